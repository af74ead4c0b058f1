//! dbmate's migrations: `<version>_<name>.sql` in one directory, each with a
//! `-- migrate:up` section and an optional `-- migrate:down` section, either
//! marker followed by options (`transaction:false`). dbmate records the
//! version as the digits of the file name (text) and orders by them as text.

use std::sync::Arc;

use schema_core::diagnostic::{Diagnostic, Source, codes};

use super::source::{Tree, about_file, at_line, bare, in_order, lines, unmatched};
use super::{Down, Imported, Parsed, section, version_of};

/// One dbmate file, split into its sections.
#[derive(Debug, Default, PartialEq, Eq)]
struct Sections {
    up: String,
    down: Option<String>,
    up_outside: bool,
    down_outside: bool,
    unknown_options: Vec<String>,
}

/// Reads a dbmate migrations directory.
///
/// # Errors
/// Files that are not dbmate migrations, versions two files share, a file
/// without `-- migrate:up`, statements outside the sections, `-- migrate:down`
/// before `-- migrate:up`, text that is not UTF-8.
pub(crate) fn read(tree: &Tree) -> Result<Parsed, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut strays = Vec::new();
    let mut found: Vec<Imported> = Vec::new();
    for f in &tree.files {
        let parsed = (!f.rel.contains('/'))
            .then(|| split_name(f.name()))
            .flatten();
        let Some((digits, name)) = parsed else {
            strays.push(f.rel.clone());
            continue;
        };
        let Some(version) = version_of(digits) else {
            errors.push(
                Diagnostic::error(
                    codes::BAD_MIGRATION_NAME,
                    format!(
                        "`{}`: version `{digits}` does not fit a PostgreSQL bigint",
                        tree.show(&f.rel)
                    ),
                )
                .help("renumber it at most 9223372036854775807, then import again"),
            );
            continue;
        };
        let text = match tree.text(f) {
            Ok(s) => s,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        let sections = match split(&text) {
            Ok(s) => s,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        let mut hand = Vec::new();
        if sections.down_outside && !sections.up_outside {
            hand.push(format!(
                "dbmate ran the down of `{}` outside a transaction and its up in one; here a \
                 migration runs both one way (in a transaction)",
                f.rel
            ));
        }
        for option in &sections.unknown_options {
            hand.push(format!(
                "`{}`: dbmate option `{option}` is not carried over",
                f.rel
            ));
        }
        let down = match sections.down {
            None => Down::Missing("the dbmate file has no `-- migrate:down` section".into()),
            Some(sql) => Down::of(
                &f.rel,
                section(&sql),
                "its `-- migrate:down` section holds no statement",
            ),
        };
        found.push(Imported {
            version,
            version_text: digits.to_string(),
            tool_version: digits.to_string(),
            name: name.to_string(),
            up_path: f.rel.clone(),
            up_sql: section(&sections.up),
            down,
            no_transaction: sections.up_outside,
            hand,
        });
    }
    if !strays.is_empty() {
        errors.push(unmatched(
            tree,
            &strays,
            "dbmate",
            "`<version>_<name>.sql` (the version in digits)",
        ));
    }
    // dbmate's order: the version digits as text.
    in_order(tree, found, errors, |m| m.tool_version.clone(), None)
}

/// `<digits>_<name>.sql` (dbmate's `^(\d+)_.*\.sql$`).
fn split_name(file: &str) -> Option<(&str, &str)> {
    let stem = file.strip_suffix(".sql")?;
    let (digits, name) = stem.split_once('_')?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some((digits, name))
}

/// A marker line: `-- migrate:<which>` and its options, when `line` is one.
fn marker<'a>(line: &'a str, which: &str) -> Option<&'a str> {
    let rest = line.strip_prefix("--")?.trim_start();
    let rest = rest.strip_prefix("migrate:")?.strip_prefix(which)?;
    (rest.is_empty() || rest.starts_with(char::is_whitespace)).then_some(rest.trim())
}

/// Splits a dbmate file into its sections, the markers left out.
fn split(source: &Arc<Source>) -> Result<Sections, Diagnostic> {
    let mut out = Sections::default();
    // 0: before up, 1: up, 2: down.
    let mut part = 0;
    let mut down = String::new();
    for (n, line) in lines(&source.text) {
        let text = bare(line);
        if let Some(options) = marker(text, "up") {
            if part != 0 {
                return Err(at_line(
                    codes::SYNTAX,
                    source,
                    n,
                    format!("`{}`: a second `-- migrate:up`", source.path),
                    "the migration has its up section already",
                    "keep one `-- migrate:up` line, before `-- migrate:down`",
                ));
            }
            out.up_outside = options_of(options, &mut out.unknown_options);
            part = 1;
            continue;
        }
        if let Some(options) = marker(text, "down") {
            if part != 1 {
                let why = if part == 0 {
                    "`-- migrate:down` before `-- migrate:up`"
                } else {
                    "a second `-- migrate:down`"
                };
                return Err(at_line(
                    codes::SYNTAX,
                    source,
                    n,
                    format!("`{}`: {why}", source.path),
                    "here",
                    "dbmate wants one `-- migrate:up` section, then at most one `-- migrate:down`",
                ));
            }
            out.down_outside = options_of(options, &mut out.unknown_options);
            part = 2;
            continue;
        }
        match part {
            0 => {
                let t = text.trim();
                if !t.is_empty() && !t.starts_with("--") {
                    return Err(at_line(
                        codes::SYNTAX,
                        source,
                        n,
                        format!("`{}`: a statement before `-- migrate:up`", source.path),
                        "outside the up and down sections",
                        "move it below `-- migrate:up` (dbmate refuses it there too)",
                    ));
                }
                out.up.push_str(line);
            }
            1 => out.up.push_str(line),
            _ => down.push_str(line),
        }
    }
    if part == 0 {
        return Err(about_file(
            codes::SYNTAX,
            source,
            format!("`{}` has no `-- migrate:up` line", source.path),
            "start the migration's statements with a `-- migrate:up` line",
        ));
    }
    if part == 2 {
        out.down = Some(down);
    }
    Ok(out)
}

/// True for `transaction:false`; other options are collected.
fn options_of(options: &str, unknown: &mut Vec<String>) -> bool {
    let mut outside = false;
    for option in options.split_whitespace() {
        match option {
            "transaction:false" => outside = true,
            "transaction:true" => outside = false,
            other => unknown.push(other.to_string()),
        }
    }
    outside
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections(text: &str) -> Result<Sections, String> {
        split(&Source::new("m.sql", text)).map_err(|d| d.render(false))
    }

    #[test]
    fn sections_and_options_are_read_and_the_markers_left_out() {
        let s = sections(
            "-- comment\n-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (x);\n\n\
             --migrate:down\nDROP INDEX i;\n",
        );
        assert_eq!(
            s,
            Ok(Sections {
                up: "-- comment\nCREATE INDEX CONCURRENTLY i ON t (x);\n\n".into(),
                down: Some("DROP INDEX i;\n".into()),
                up_outside: true,
                down_outside: false,
                unknown_options: Vec::new(),
            })
        );
    }

    #[test]
    fn malformed_files_are_errors_at_their_line() {
        for (text, needle) in [
            ("", "has no `-- migrate:up` line"),
            ("SELECT 1;\n-- migrate:up\n", "m.sql:1:1"),
            ("-- migrate:down\n-- migrate:up\n", "before `-- migrate:up`"),
            (
                "-- migrate:up\n-- migrate:down\n-- migrate:down\n",
                "m.sql:3:1",
            ),
            ("-- migrate:up\n-- migrate:up\n", "a second `-- migrate:up`"),
        ] {
            let Err(e) = sections(text) else {
                panic!("{text:?} refused")
            };
            assert!(e.contains(needle), "{needle} in {e}");
        }
    }

    #[test]
    fn versions_order_as_text_and_keep_their_digits() {
        let tree = Tree::of(&[
            ("20240102000000_b.sql", "-- migrate:up\nSELECT 2;\n"),
            (
                "20240101000000_a.sql",
                "-- migrate:up\nSELECT 1;\n-- migrate:down\n\n",
            ),
            ("schema.sql", ""),
        ]);
        let Err(errors) = read(&tree) else {
            panic!("schema.sql refused")
        };
        assert!(errors[0].render(false).contains("schema.sql"));
        let tree = Tree::of(
            &tree
                .files
                .iter()
                .filter(|f| f.rel != "schema.sql")
                .map(|f| (f.rel.as_str(), std::str::from_utf8(&f.bytes).unwrap_or("")))
                .collect::<Vec<_>>(),
        );
        let Ok(parsed) = read(&tree) else {
            panic!("reads")
        };
        let m = &parsed.migrations;
        assert_eq!(m[0].tool_version, "20240101000000");
        assert!(
            matches!(m[0].down, Down::Missing(_)),
            "an empty down section is no down"
        );
    }
}
