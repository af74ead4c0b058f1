//! sqlx's migrations: `<version>_<description>.sql` (up only), or
//! `<version>_<description>.up.sql` with `.down.sql`, in one directory;
//! `-- no-transaction` as the first line runs one outside a transaction.
//! sqlx records the version as an `i64`.

use std::collections::BTreeMap;

use schema_core::diagnostic::{Diagnostic, codes};

use super::source::{Tree, unmatched};
use super::{Down, Imported, Parsed, section, version_of};

/// The first line by which sqlx runs a migration outside a transaction.
const NO_TRANSACTION: &str = "-- no-transaction";

/// The kind of a sqlx file, from its suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Simple,
    Up,
    Down,
}

/// Reads a sqlx migrations directory.
///
/// # Errors
/// Every file that is not a sqlx migration, a version with two up files or a
/// down without its up, a version too large, text that is not UTF-8.
pub(crate) fn read(tree: &Tree) -> Result<Parsed, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut strays = Vec::new();
    // version -> (digits, kind, file index)
    let mut by_version: BTreeMap<u64, Vec<(String, Kind, usize)>> = BTreeMap::new();
    for (i, f) in tree.files.iter().enumerate() {
        let parsed = (!f.rel.contains('/'))
            .then(|| split_name(f.name()))
            .flatten();
        let Some((digits, _, kind)) = parsed else {
            strays.push(f.rel.clone());
            continue;
        };
        let Some(version) = version_of(digits) else {
            errors.push(Diagnostic::error(
                codes::BAD_MIGRATION_NAME,
                format!("`{}`: version `{digits}` does not fit an i64 (sqlx) or a PostgreSQL bigint", tree.show(&f.rel)),
            ).help("renumber it at most 9223372036854775807, then import again"));
            continue;
        };
        by_version
            .entry(version)
            .or_default()
            .push((digits.to_string(), kind, i));
    }
    if !strays.is_empty() {
        errors.push(unmatched(
            tree,
            &strays,
            "sqlx",
            "`<version>_<description>.sql`, or `.up.sql` and `.down.sql` (the version in digits)",
        ));
    }
    let mut migrations = Vec::new();
    for (version, files) in by_version {
        let ups: Vec<&(String, Kind, usize)> =
            files.iter().filter(|(_, k, _)| *k != Kind::Down).collect();
        let downs: Vec<&(String, Kind, usize)> =
            files.iter().filter(|(_, k, _)| *k == Kind::Down).collect();
        let shown = |i: usize| tree.show(&tree.files[i].rel);
        if ups.len() > 1 || downs.len() > 1 {
            let names: Vec<String> = files
                .iter()
                .map(|(_, _, i)| format!("`{}`", shown(*i)))
                .collect();
            errors.push(
                Diagnostic::error(
                    codes::DUPLICATE_VERSION,
                    format!("{} share version {version}", names.join(" and ")),
                )
                .note("sqlx refuses two migrations of one version too")
                .help("renumber one of them, then import again"),
            );
            continue;
        }
        let Some((digits, kind, up_i)) = ups.first().map(|u| (u.0.clone(), u.1, u.2)) else {
            let i = downs.first().map_or(0, |d| d.2);
            errors.push(
                Diagnostic::error(
                    codes::BAD_MIGRATION_NAME,
                    format!("`{}` has no `.up.sql` beside it", shown(i)),
                )
                .help(
                    "add the up file of this version, or remove the down file, then import again",
                ),
            );
            continue;
        };
        if kind == Kind::Simple && !downs.is_empty() {
            errors.push(
                Diagnostic::error(
                    codes::BAD_MIGRATION_NAME,
                    format!(
                        "`{}` is a simple (up only) migration, yet `{}` is its down",
                        shown(up_i),
                        shown(downs[0].2)
                    ),
                )
                .help("rename the up file to `<version>_<description>.up.sql`, then import again"),
            );
            continue;
        }
        let up_file = &tree.files[up_i];
        let up = match tree.text(up_file) {
            Ok(s) => s,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        let (up_sql, no_transaction) = strip_no_transaction(&up.text);
        let mut hand = Vec::new();
        let down = match downs.first() {
            None => {
                Down::Missing("sqlx has no down script for a simple (up only) migration".into())
            }
            Some(&&(_, _, down_i)) => {
                let down_file = &tree.files[down_i];
                match tree.text(down_file) {
                    Ok(s) => {
                        let (sql, down_outside) = strip_no_transaction(&s.text);
                        if down_outside && !no_transaction {
                            hand.push(format!(
                                "sqlx ran `{}` outside a transaction and its up in one; here a \
                                 migration runs both one way (in a transaction)",
                                down_file.rel
                            ));
                        }
                        Down::of(
                            &down_file.rel,
                            section(&sql),
                            "its `.down.sql` holds no statement",
                        )
                    }
                    Err(d) => {
                        errors.push(d);
                        continue;
                    }
                }
            }
        };
        if up.text.trim().is_empty() {
            // An empty file is a migration sqlx runs; say so rather than refuse.
            hand.push(format!("`{}` is empty", up_file.rel));
        }
        let name = split_name(up_file.name())
            .map_or("", |(_, d, _)| d)
            .to_string();
        migrations.push(Imported {
            version,
            version_text: digits,
            tool_version: version.to_string(),
            name,
            up_path: up_file.rel.clone(),
            up_sql: section(&up_sql),
            down,
            no_transaction,
            hand,
        });
    }
    if errors.is_empty() {
        Ok(Parsed {
            migrations,
            dropped: Vec::new(),
        })
    } else {
        Err(errors)
    }
}

/// `<digits>_<description>.sql` split into digits, description and kind.
fn split_name(name: &str) -> Option<(&str, &str, Kind)> {
    let (digits, rest) = name.split_once('_')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (description, kind) = if let Some(d) = rest.strip_suffix(".up.sql") {
        (d, Kind::Up)
    } else if let Some(d) = rest.strip_suffix(".down.sql") {
        (d, Kind::Down)
    } else {
        (rest.strip_suffix(".sql")?, Kind::Simple)
    };
    Some((digits, description, kind))
}

/// The text without sqlx's `-- no-transaction` first line, and whether it had one.
fn strip_no_transaction(text: &str) -> (String, bool) {
    if text.starts_with(NO_TRANSACTION) {
        let rest = text.split_once('\n').map_or("", |(_, rest)| rest);
        (rest.to_string(), true)
    } else {
        (text.to_string(), false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reversible_and_simple_migrations_convert_in_version_order() {
        let tree = Tree::of(&[
            (
                "2_posts.sql",
                "-- no-transaction\nCREATE INDEX CONCURRENTLY i ON t (x);\n",
            ),
            ("1_create_users.up.sql", "CREATE TABLE t (x int);\n"),
            ("1_create_users.down.sql", "DROP TABLE t;\n"),
            ("README.md", "not a migration"),
        ]);
        let Ok(parsed) = read(&tree) else {
            panic!("reads")
        };
        let m = &parsed.migrations;
        assert_eq!(m.len(), 2);
        assert_eq!((m[0].version, m[0].tool_version.as_str()), (1, "1"));
        assert_eq!(m[0].name, "create_users");
        assert_eq!(
            m[0].down,
            Down::Sql {
                path: "1_create_users.down.sql".into(),
                sql: "DROP TABLE t;\n".into()
            }
        );
        assert!(m[1].no_transaction);
        assert_eq!(m[1].up_sql, "CREATE INDEX CONCURRENTLY i ON t (x);\n");
        assert!(matches!(m[1].down, Down::Missing(_)));
    }

    #[test]
    fn strays_duplicates_and_lonely_downs_are_refused_by_name() {
        let tree = Tree::of(&[
            ("1_a.sql", "SELECT 1;"),
            ("01_b.sql", "SELECT 1;"),
            ("3_c.down.sql", "SELECT 1;"),
            ("notes.txt", ""),
            ("sub/4_d.sql", ""),
            ("99999999999999999999_big.sql", ""),
        ]);
        let Err(errors) = read(&tree) else {
            panic!("refused")
        };
        let all: String = errors.iter().map(|d| d.render(false)).collect();
        for needle in [
            "notes.txt",
            "sub/4_d.sql",
            "1_a.sql",
            "01_b.sql",
            "3_c.down.sql",
            "99999999999999999999",
        ] {
            assert!(all.contains(needle), "{needle} in {all}");
        }
    }

    #[test]
    fn non_utf8_is_an_error_naming_the_file() {
        let mut tree = Tree::of(&[("1_a.sql", "")]);
        tree.files[0].bytes = vec![b'S', 0xff];
        let Err(errors) = read(&tree) else {
            panic!("refused")
        };
        assert!(errors[0].message.contains("1_a.sql"), "{:?}", errors[0]);
    }
}
