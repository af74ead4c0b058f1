//! diesel's migrations: a directory `<version>_<name>/` per migration with
//! `up.sql`, `down.sql` (optional since diesel 2) and `metadata.toml`
//! (`run_in_transaction = false`). diesel records the version as the part of
//! the name before the first `_` with its `-` removed (`2024-01-01-000000`
//! becomes `20240101000000`) and orders migrations by that text.

use std::collections::BTreeMap;

use schema_core::diagnostic::{Diagnostic, codes};

use super::source::{File, Tree, unmatched};
use super::{Down, Imported, Parsed, section, version_of};

/// The files of one diesel migration directory.
#[derive(Default)]
struct Dir<'a> {
    up: Option<&'a File>,
    down: Option<&'a File>,
    metadata: Option<&'a File>,
}

/// Reads a diesel migrations directory.
///
/// # Errors
/// Files outside a migration directory or unknown inside one, a directory
/// without `up.sql`, a version diesel would record with other characters
/// than digits, text that is not UTF-8.
pub(crate) fn read(tree: &Tree) -> Result<Parsed, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut strays = Vec::new();
    let mut dirs: BTreeMap<&str, Dir> = BTreeMap::new();
    for f in &tree.files {
        let parent = f.parent();
        if parent.is_empty() || parent.contains('/') {
            strays.push(f.rel.clone());
            continue;
        }
        let dir = dirs.entry(parent).or_default();
        match f.name() {
            "up.sql" => dir.up = Some(f),
            "down.sql" => dir.down = Some(f),
            "metadata.toml" => dir.metadata = Some(f),
            _ => strays.push(f.rel.clone()),
        }
    }
    if !strays.is_empty() {
        errors.push(unmatched(
            tree,
            &strays,
            "diesel",
            "`<version>_<name>/up.sql`, `down.sql` and `metadata.toml`, one directory per \
             migration",
        ));
    }
    // diesel's order: by the recorded version, as text.
    let mut found: Vec<(String, Imported)> = Vec::new();
    for (name, dir) in &dirs {
        let Some((raw, rest)) = name.split_once('_') else {
            errors.push(bad_dir(tree, name, "the name has no `_` after the version"));
            continue;
        };
        let recorded = raw.replace('-', "");
        if recorded.is_empty() || !recorded.bytes().all(|b| b.is_ascii_digit()) {
            errors.push(bad_dir(
                tree,
                name,
                &format!(
                    "diesel records its version as `{recorded}`: versions here are digits only"
                ),
            ));
            continue;
        }
        let Some(version) = version_of(&recorded) else {
            errors.push(bad_dir(
                tree,
                name,
                "the version does not fit a PostgreSQL bigint",
            ));
            continue;
        };
        let Some(up_file) = dir.up else {
            errors.push(
                Diagnostic::error(
                    codes::BAD_MIGRATION_NAME,
                    format!("`{}` has no `up.sql`", tree.show(name)),
                )
                .note("diesel does not take a migration directory without `up.sql` either")
                .help("add its up.sql, or move the directory away, then import again"),
            );
            continue;
        };
        let up = match tree.text(up_file) {
            Ok(s) => s,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        let down = match dir.down.map(|f| (f, tree.text(f))) {
            None => Down::Missing("the diesel migration has no down.sql".into()),
            Some((f, Ok(s))) => {
                Down::of(&f.rel, section(&s.text), "its down.sql holds no statement")
            }
            Some((_, Err(d))) => {
                errors.push(d);
                continue;
            }
        };
        let mut hand = Vec::new();
        let no_transaction = match dir.metadata.map(|f| (f, tree.text(f))) {
            None => false,
            Some((f, Ok(s))) => {
                let (outside, others) = metadata(&s.text);
                if !others.is_empty() {
                    hand.push(format!(
                        "`{}` sets {} for diesel; nothing here reads them",
                        f.rel,
                        others.join(", ")
                    ));
                }
                outside
            }
            Some((_, Err(d))) => {
                errors.push(d);
                continue;
            }
        };
        found.push((
            recorded.clone(),
            Imported {
                version,
                version_text: recorded.clone(),
                tool_version: recorded,
                name: rest.to_string(),
                up_path: up_file.rel.clone(),
                up_sql: section(&up.text),
                down,
                no_transaction,
                hand,
            },
        ));
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    for pair in found.windows(2) {
        if pair[0].0 == pair[1].0 {
            errors.push(
                Diagnostic::error(
                    codes::DUPLICATE_VERSION,
                    format!(
                        "`{}` and `{}` share version {}",
                        tree.show(&pair[0].1.up_path),
                        tree.show(&pair[1].1.up_path),
                        pair[0].0
                    ),
                )
                .help("renumber one of them, then import again"),
            );
        }
    }
    if errors.is_empty() {
        Ok(Parsed {
            migrations: found.into_iter().map(|(_, m)| m).collect(),
            dropped: Vec::new(),
        })
    } else {
        Err(errors)
    }
}

fn bad_dir(tree: &Tree, name: &str, why: &str) -> Diagnostic {
    Diagnostic::error(
        codes::BAD_MIGRATION_NAME,
        format!("`{}` is not a diesel migration directory", tree.show(name)),
    )
    .note(why)
    .help(
        "name it `<version>_<name>/` with a version of digits (and `-`), e.g. \
         `2024-01-01-000000_create_users/`, then import again",
    )
}

/// `metadata.toml`: whether it says `run_in_transaction = false`, and the
/// other keys it sets.
fn metadata(text: &str) -> (bool, Vec<String>) {
    let mut outside = false;
    let mut others = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        if key == "run_in_transaction" {
            outside = value.trim() == "false";
        } else {
            others.push(format!("`{key}`"));
        }
    }
    (outside, others)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphens_leave_the_version_and_metadata_moves_it_out_of_a_transaction() {
        let tree = Tree::of(&[
            (
                "2024-01-02-000000_idx/up.sql",
                "CREATE INDEX CONCURRENTLY i ON t (x);",
            ),
            (
                "2024-01-02-000000_idx/metadata.toml",
                "run_in_transaction = false # why\n",
            ),
            (
                "2024-01-01-000000_create_t/up.sql",
                "CREATE TABLE t (x int);\n",
            ),
            (
                "2024-01-01-000000_create_t/down.sql",
                "-- This file should undo anything in `up.sql`\n",
            ),
            ("00000000000000_diesel_initial_setup/up.sql", "SELECT 1;\n"),
            (
                "00000000000000_diesel_initial_setup/down.sql",
                "SELECT 2;\n",
            ),
            (".keep", ""),
        ]);
        let Ok(parsed) = read(&tree) else {
            panic!("reads")
        };
        let m = &parsed.migrations;
        let versions: Vec<&str> = m.iter().map(|m| m.tool_version.as_str()).collect();
        assert_eq!(
            versions,
            ["00000000000000", "20240101000000", "20240102000000"]
        );
        assert_eq!(m[1].version, 20_240_101_000_000);
        assert!(
            matches!(m[1].down, Down::Missing(_)),
            "a template-only down is no down"
        );
        assert!(m[2].no_transaction);
        assert_eq!(m[2].up_sql, "CREATE INDEX CONCURRENTLY i ON t (x);\n");
        assert_eq!(m[0].version, 0);
    }

    #[test]
    fn stray_files_and_bad_names_are_refused_by_name() {
        let tree = Tree::of(&[
            ("schema.rs", ""),
            ("2024_x/notes.sql", ""),
            ("2024_x/up.sql", ""),
            ("v1_x/up.sql", ""),
            ("2025_y/down.sql", "DROP TABLE t;"),
        ]);
        let Err(errors) = read(&tree) else {
            panic!("refused")
        };
        let all: String = errors.iter().map(|d| d.render(false)).collect();
        for needle in [
            "schema.rs",
            "2024_x/notes.sql",
            "v1_x",
            "2025_y` has no `up.sql`",
        ] {
            assert!(all.contains(needle), "{needle} in {all}");
        }
    }
}
