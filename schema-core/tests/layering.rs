//! The model sits at the bottom: no file under `src/model/`, nor the directive
//! module, names a layer above them (the parser, diff, rendering, code
//! generation, migrations, lints, the build helper or the analysis).
//!
//! Read as text, so a new import of an upper layer fails here with its file and
//! line, whatever form it takes (`use crate::parse::..`, `crate::{parse, ..}`,
//! a path in an expression or a doc link).

#![allow(clippy::panic)] // test helpers fail loudly

use std::path::{Path, PathBuf};

/// The modules above the model.
const UPPER: &[&str] = &[
    "parse",
    "diff",
    "render",
    "codegen",
    "migrations",
    "lint",
    "build",
    "analyze",
];

/// The files that must stay below the upper layers.
fn bottom_files() -> Vec<PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src.join("directive.rs")];
    let mut dirs = vec![src.join("model")];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
        for entry in entries {
            let path = entry
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
                .path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The upper module a path starting right after `crate::` (or a crate-root
/// `super::`) names, if any: `parse::apply` or `{model, parse}`.
fn upper_named(rest: &str) -> Option<&'static str> {
    let first_segment = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    if let Some(group) = rest.strip_prefix('{') {
        // A `use` group: its items at depth 0, up to the matching brace.
        let mut depth = 0usize;
        let mut item_start = 0;
        let mut items = Vec::new();
        for (i, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    items.push(&group[item_start..i]);
                    break;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    items.push(&group[item_start..i]);
                    item_start = i + 1;
                }
                _ => {}
            }
        }
        return items
            .into_iter()
            .find_map(|item| UPPER.iter().copied().find(|u| first_segment(item) == *u));
    }
    let segment = first_segment(rest);
    UPPER.iter().copied().find(|u| segment == *u)
}

/// `(line, module, text of the line)` for each mention of an upper module.
fn violations(path: &Path, text: &str) -> Vec<(usize, &'static str, String)> {
    // `super::` reaches the crate root from `model/mod.rs` and `directive.rs`
    // does not have one; from `model/x.rs` it takes `super::super::`.
    let root_super = if path.ends_with("model/mod.rs") {
        "super::"
    } else {
        "super::super::"
    };
    let mut out = Vec::new();
    for prefix in ["crate::", root_super] {
        for (at, _) in text.match_indices(prefix) {
            let before = &text[..at];
            // `super::super::` also contains `super::` at its second half.
            if prefix == "super::" && before.ends_with("super::") {
                continue;
            }
            let rest = &text[at + prefix.len()..];
            if let Some(module) = upper_named(rest) {
                let line = before.matches('\n').count() + 1;
                let line_text = text.lines().nth(line - 1).unwrap_or_default().trim();
                out.push((line, module, line_text.to_string()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_model_and_directives_import_no_upper_layer() {
    let files = bottom_files();
    assert!(
        files.iter().any(|f| f.ends_with("model/mod.rs")),
        "no model/mod.rs among {files:?}"
    );
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        for (line, module, line_text) in violations(file, &text) {
            found.push(format!(
                "{}:{line}: names `crate::{module}`: {line_text}",
                file.display()
            ));
        }
    }
    assert!(
        found.is_empty(),
        "the model and the directives sit below {}; move what they need down instead:\n{}",
        UPPER.join(", "),
        found.join("\n")
    );
}

#[test]
fn the_check_sees_each_form_of_import() {
    let model = Path::new("src/model/expr.rs");
    let names = |text: &str| -> Vec<&'static str> {
        violations(model, text)
            .into_iter()
            .map(|(_, m, _)| m)
            .collect()
    };
    assert_eq!(names("use crate::parse::depth;"), ["parse"]);
    assert_eq!(names("use crate::{diagnostic, render::x};"), ["render"]);
    assert_eq!(
        names("use crate::{\n    model::{a, b},\n    lint,\n};"),
        ["lint"]
    );
    assert_eq!(names("let x = super::super::diff::f();"), ["diff"]);
    assert_eq!(names("/// See [`crate::analyze`]."), ["analyze"]);
    assert!(names("use crate::diagnostic::Origin; use super::names;").is_empty());
    assert!(names("use crate::builder;").is_empty());
    let root = Path::new("src/model/mod.rs");
    assert_eq!(violations(root, "use super::codegen;").len(), 1);
}
