//! goose's SQL migrations: `<n>_<name>.sql` in one directory, each with a
//! `-- +goose Up` section and an optional `-- +goose Down` section;
//! `-- +goose StatementBegin` / `StatementEnd` around statements goose must
//! not split, `-- +goose NO TRANSACTION` to run it outside a transaction, and
//! `-- +goose ENVSUB ON|OFF`. goose records the version as an integer
//! (`goose_db_version.version_id`).

use std::sync::Arc;

use schema_core::diagnostic::{Diagnostic, Source, codes};

use super::source::{Tree, about_file, at_line, bare, in_order, lines, unmatched};
use super::{Down, Imported, Parsed, section, version_of};

/// One goose file, split into its sections.
#[derive(Debug, Default, PartialEq, Eq)]
struct Sections {
    up: String,
    down: Option<String>,
    no_transaction: bool,
    envsub: bool,
}

/// Reads a goose migrations directory.
///
/// # Errors
/// Files that are not goose migrations (Go migrations `.go` named apart),
/// versions below 1 or shared by two files, a file without `-- +goose Up`,
/// SQL before it, an unknown annotation, an unterminated `StatementBegin`,
/// text that is not UTF-8.
pub(crate) fn read(tree: &Tree) -> Result<Parsed, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut strays = Vec::new();
    let mut found: Vec<Imported> = Vec::new();
    for f in &tree.files {
        let parsed = (!f.rel.contains('/'))
            .then(|| split_name(f.name()))
            .flatten();
        let Some((digits, name, ext)) = parsed else {
            strays.push(f.rel.clone());
            continue;
        };
        if ext == "go" {
            errors.push(
                Diagnostic::error(
                    codes::UNSUPPORTED_FEATURE,
                    format!("`{}` is a Go migration", tree.show(&f.rel)),
                )
                .note("it runs Go code: there is no SQL to convert")
                .help("write what it does as SQL in `<n>_<name>.sql` with `-- +goose Up` (or move it out), then import again"),
            );
            continue;
        }
        let Some(version) = version_of(digits).filter(|v| *v >= 1) else {
            errors.push(
                Diagnostic::error(
                    codes::BAD_MIGRATION_NAME,
                    format!("`{}`: version `{digits}` is not one goose takes (1 to 9223372036854775807)", tree.show(&f.rel)),
                )
                .help("renumber it, then import again"),
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
        if sections.envsub {
            hand.push(format!(
                "`{}` has `-- +goose ENVSUB ON`: goose replaced `${{VAR}}` from the environment \
                 when it ran; the text is copied as written",
                f.rel
            ));
        }
        let down = match sections.down {
            None => Down::Missing("the goose file has no `-- +goose Down` section".into()),
            Some(sql) => Down::of(
                &f.rel,
                section(&sql),
                "its `-- +goose Down` section holds no statement",
            ),
        };
        found.push(Imported {
            version,
            version_text: digits.to_string(),
            tool_version: version.to_string(),
            name: name.to_string(),
            up_path: f.rel.clone(),
            up_sql: section(&sections.up),
            down,
            no_transaction: sections.no_transaction,
            hand,
        });
    }
    if !strays.is_empty() {
        errors.push(unmatched(
            tree,
            &strays,
            "goose",
            "`<version>_<name>.sql` (the version in digits, from 1)",
        ));
    }
    in_order(tree, found, errors, |m| m.version, Some("goose"))
}

/// `<digits>_<name>.(sql|go)`, as goose reads a file name.
fn split_name(file: &str) -> Option<(&str, &str, &str)> {
    let (stem, ext) = file.rsplit_once('.')?;
    if ext != "sql" && ext != "go" {
        return None;
    }
    let (digits, name) = stem.split_once('_')?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then_some((digits, name, ext))
}

/// Where a line of a goose file belongs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Before,
    Up,
    Down,
}

/// Splits a goose file into its sections, the annotations left out.
fn split(source: &Arc<Source>) -> Result<Sections, Diagnostic> {
    let help_up = "start the migration with a `-- +goose Up` line (comments may come before it)";
    let mut out = Sections::default();
    let mut part = Part::Before;
    let mut begin: Option<usize> = None;
    let mut down = String::new();
    for (n, line) in lines(&source.text) {
        let trimmed = bare(line).trim();
        let Some(annotation) = trimmed.strip_prefix("-- +goose") else {
            match part {
                Part::Before if !trimmed.is_empty() && !trimmed.starts_with("--") => {
                    return Err(at_line(
                        codes::SYNTAX,
                        source,
                        n,
                        format!("`{}`: SQL before `-- +goose Up`", source.path),
                        "goose does not know where this belongs",
                        help_up,
                    ));
                }
                Part::Before | Part::Up => out.up.push_str(line),
                Part::Down => down.push_str(line),
            }
            continue;
        };
        let unterminated = |at: usize| {
            at_line(
                codes::SYNTAX,
                source,
                at,
                format!(
                    "`{}`: `-- +goose StatementBegin` is not closed",
                    source.path
                ),
                "opened here",
                "add a `-- +goose StatementEnd` line after the statement it opens",
            )
        };
        match annotation.trim().to_ascii_lowercase().as_str() {
            "up" => {
                if part != Part::Before {
                    return Err(at_line(
                        codes::SYNTAX,
                        source,
                        n,
                        format!("`{}`: a second `-- +goose Up`", source.path),
                        "the migration has its Up section already",
                        "keep one `-- +goose Up` line, before `-- +goose Down`",
                    ));
                }
                part = Part::Up;
            }
            "down" => {
                if let Some(at) = begin {
                    return Err(unterminated(at));
                }
                match part {
                    Part::Before => {
                        return Err(at_line(
                            codes::SYNTAX,
                            source,
                            n,
                            format!("`{}`: `-- +goose Down` before `-- +goose Up`", source.path),
                            "no Up section before this",
                            help_up,
                        ));
                    }
                    Part::Down => {
                        return Err(at_line(
                            codes::SYNTAX,
                            source,
                            n,
                            format!("`{}`: a second `-- +goose Down`", source.path),
                            "the migration has its Down section already",
                            "keep one `-- +goose Down` line",
                        ));
                    }
                    Part::Up => part = Part::Down,
                }
            }
            "statementbegin" => {
                if part == Part::Before {
                    return Err(at_line(
                        codes::SYNTAX,
                        source,
                        n,
                        format!(
                            "`{}`: `-- +goose StatementBegin` before `-- +goose Up`",
                            source.path
                        ),
                        "outside any section",
                        help_up,
                    ));
                }
                if let Some(at) = begin {
                    return Err(at_line(
                        codes::SYNTAX,
                        source,
                        n,
                        format!(
                            "`{}`: `-- +goose StatementBegin` inside another (opened at line {at})",
                            source.path
                        ),
                        "a second one",
                        "close the first with `-- +goose StatementEnd` before opening another",
                    ));
                }
                begin = Some(n);
            }
            "statementend" => {
                if begin.take().is_none() {
                    return Err(at_line(
                        codes::SYNTAX,
                        source,
                        n,
                        format!(
                            "`{}`: `-- +goose StatementEnd` without `-- +goose StatementBegin`",
                            source.path
                        ),
                        "nothing to close",
                        "add `-- +goose StatementBegin` before the statement, or remove this line",
                    ));
                }
            }
            "no transaction" => out.no_transaction = true,
            "envsub on" => out.envsub = true,
            "envsub off" => {}
            _ => {
                return Err(at_line(
                    codes::SYNTAX,
                    source,
                    n,
                    format!("`{}`: unknown goose annotation `{trimmed}`", source.path),
                    "not a goose annotation",
                    "goose knows `-- +goose Up`, `Down`, `StatementBegin`, `StatementEnd`, \
                     `NO TRANSACTION` and `ENVSUB ON|OFF`: fix the line, then import again",
                ));
            }
        }
    }
    if let Some(at) = begin {
        return Err(at_line(
            codes::SYNTAX,
            source,
            at,
            format!(
                "`{}`: `-- +goose StatementBegin` is not closed",
                source.path
            ),
            "opened here",
            "add a `-- +goose StatementEnd` line after the statement it opens",
        ));
    }
    if part == Part::Before {
        return Err(about_file(
            codes::SYNTAX,
            source,
            format!("`{}` has no `-- +goose Up` line", source.path),
            help_up,
        ));
    }
    if part == Part::Down {
        out.down = Some(down);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections(text: &str) -> Result<Sections, String> {
        split(&Source::new("m.sql", text)).map_err(|d| d.render(false))
    }

    #[test]
    fn sections_lose_their_annotations_and_keep_everything_else() {
        let s = sections(
            "-- a header\n-- +goose NO TRANSACTION\n-- +goose Up\n-- +goose StatementBegin\n\
             CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n-- +goose StatementEnd\n\
             -- +goose down\nDROP FUNCTION f();\n",
        );
        assert_eq!(
            s,
            Ok(Sections {
                up: "-- a header\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n".into(),
                down: Some("DROP FUNCTION f();\n".into()),
                no_transaction: true,
                envsub: false,
            })
        );
    }

    #[test]
    fn malformed_files_are_errors_at_their_line() {
        for (text, needle) in [
            ("", "has no `-- +goose Up` line"),
            ("CREATE TABLE t (x int);\n", "m.sql:1:1"),
            (
                "-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n",
                "m.sql:2:1",
            ),
            (
                "-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n-- +goose Down\n",
                "not closed",
            ),
            ("-- +goose Up\n-- +goose StatementEnd\n", "without"),
            ("-- +goose Down\n", "before `-- +goose Up`"),
            ("-- +goose Up\n-- +goose Up\n", "a second"),
            (
                "-- +goose Up\n-- +goose Sideways\n",
                "unknown goose annotation",
            ),
        ] {
            let Err(e) = sections(text) else {
                panic!("{text:?} refused")
            };
            assert!(e.contains(needle), "{needle} in {e}");
        }
    }

    #[test]
    fn go_files_duplicates_and_strays_are_refused_by_name() {
        let tree = Tree::of(&[
            ("1_a.sql", "-- +goose Up\nSELECT 1;\n"),
            ("001_b.sql", "-- +goose Up\nSELECT 1;\n"),
            ("2_c.go", "package x"),
            ("0_d.sql", "-- +goose Up\n"),
            ("x.sql", ""),
        ]);
        let Err(errors) = read(&tree) else {
            panic!("refused")
        };
        let all: String = errors.iter().map(|d| d.render(false)).collect();
        for needle in [
            "`in/001_b.sql` and `in/1_a.sql` share version 1",
            "2_c.go",
            "0_d.sql",
            "x.sql",
        ] {
            assert!(all.contains(needle), "{needle} in {all}");
        }
    }

    #[test]
    fn a_file_without_down_converts_up_only() {
        let tree = Tree::of(&[(
            "20240101000000_a.sql",
            "-- +goose Up\nCREATE TABLE t (x int);\n",
        )]);
        let Ok(parsed) = read(&tree) else {
            panic!("reads")
        };
        assert_eq!(parsed.migrations[0].tool_version, "20240101000000");
        assert!(matches!(parsed.migrations[0].down, Down::Missing(_)));
    }
}
