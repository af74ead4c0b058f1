//! golang-migrate's migrations: `<n>_<name>.up.sql` and `<n>_<name>.down.sql`
//! in one directory (the down optional). golang-migrate records the version
//! as an integer (`schema_migrations.version`, a bigint).

use std::collections::BTreeMap;

use schema_core::diagnostic::{Diagnostic, codes};

use super::source::{File, Tree, unmatched};
use super::{Down, Imported, Parsed, section, version_of};

/// Reads a golang-migrate migrations directory.
///
/// # Errors
/// Files that are not golang-migrate SQL migrations, two up (or down) files
/// of one version, a down without its up, text that is not UTF-8.
pub(crate) fn read(tree: &Tree) -> Result<Parsed, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut strays = Vec::new();
    let mut by_version: BTreeMap<u64, (Vec<&File>, Vec<&File>, String)> = BTreeMap::new();
    for f in &tree.files {
        let Some((digits, _, up)) = (!f.rel.contains('/'))
            .then(|| split_name(f.name()))
            .flatten()
        else {
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
        let entry = by_version
            .entry(version)
            .or_insert_with(|| (Vec::new(), Vec::new(), digits.to_string()));
        if up {
            entry.0.push(f);
        } else {
            entry.1.push(f);
        }
    }
    if !strays.is_empty() {
        errors.push(unmatched(
            tree,
            &strays,
            "golang-migrate",
            "`<version>_<name>.up.sql` and `<version>_<name>.down.sql` (the version in digits)",
        ));
    }
    let mut migrations = Vec::new();
    for (version, (ups, downs, digits)) in by_version {
        if ups.len() > 1 || downs.len() > 1 {
            let names: Vec<String> = ups
                .iter()
                .chain(&downs)
                .map(|f| format!("`{}`", tree.show(&f.rel)))
                .collect();
            errors.push(
                Diagnostic::error(
                    codes::DUPLICATE_VERSION,
                    format!("{} share version {version}", names.join(" and ")),
                )
                .note("golang-migrate refuses two migrations of one version too")
                .help("renumber one of them, then import again"),
            );
            continue;
        }
        let Some(up_file) = ups.first() else {
            let shown = downs.first().map(|f| tree.show(&f.rel)).unwrap_or_default();
            errors.push(
                Diagnostic::error(
                    codes::BAD_MIGRATION_NAME,
                    format!("`{shown}` has no `.up.sql` beside it"),
                )
                .help(
                    "add the up file of this version, or remove the down file, then import again",
                ),
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
        let down = match downs.first().map(|f| (f, tree.text(f))) {
            None => Down::Missing("golang-migrate has no `.down.sql` for it".into()),
            Some((f, Ok(s))) => Down::of(
                &f.rel,
                section(&s.text),
                "its `.down.sql` holds no statement",
            ),
            Some((_, Err(d))) => {
                errors.push(d);
                continue;
            }
        };
        let name = split_name(up_file.name())
            .map_or("", |(_, n, _)| n)
            .to_string();
        migrations.push(Imported {
            version,
            version_text: digits,
            tool_version: version.to_string(),
            name,
            up_path: up_file.rel.clone(),
            up_sql: section(&up.text),
            down,
            no_transaction: false,
            hand: Vec::new(),
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

/// `<digits>_<name>.(up|down).sql` split into digits, name and whether up
/// (golang-migrate's `^([0-9]+)_(.*)\.(down|up)\.(.*)$`, for SQL files).
fn split_name(file: &str) -> Option<(&str, &str, bool)> {
    let (digits, rest) = file.split_once('_')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Some(name) = rest.strip_suffix(".up.sql") {
        Some((digits, name, true))
    } else {
        rest.strip_suffix(".down.sql")
            .map(|name| (digits, name, false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_and_down_pairs_convert_by_number() {
        let tree = Tree::of(&[
            ("000002_b.up.sql", "CREATE INDEX i ON t (x);\n"),
            ("000001_a.up.sql", "CREATE TABLE t (x int);\n"),
            ("000001_a.down.sql", "\n\nDROP TABLE t;\n\n"),
        ]);
        let Ok(parsed) = read(&tree) else {
            panic!("reads")
        };
        let m = &parsed.migrations;
        assert_eq!(
            (m[0].version_text.as_str(), m[0].tool_version.as_str()),
            ("000001", "1")
        );
        assert_eq!(
            m[0].down,
            Down::Sql {
                path: "000001_a.down.sql".into(),
                sql: "DROP TABLE t;\n".into()
            }
        );
        assert!(matches!(m[1].down, Down::Missing(_)));
    }

    #[test]
    fn lonely_downs_duplicates_and_strays_are_refused_by_name() {
        let tree = Tree::of(&[
            ("1_a.up.sql", ""),
            ("01_b.up.sql", ""),
            ("2_c.down.sql", ""),
            ("3_d.sql", ""),
        ]);
        let Err(errors) = read(&tree) else {
            panic!("refused")
        };
        let all: String = errors.iter().map(|d| d.render(false)).collect();
        for needle in ["1_a.up.sql", "01_b.up.sql", "2_c.down.sql", "3_d.sql"] {
            assert!(all.contains(needle), "{needle} in {all}");
        }
    }
}
