//! flyway's SQL migrations: `V<version>__<description>.sql` with undo
//! `U<version>__<description>.sql`, found in the directory and its
//! subdirectories; a `<file>.conf` beside one may say
//! `executeInTransaction=false`. Versions are dotted (`1.1`, or `2_1`
//! meaning 2.1) and compare part by part; flyway records them with `_` as
//! `.`. Repeatable `R__` and baseline `B` migrations are refused: they have
//! no place in a history that runs each migration once, in order.
//!
//! Our version: when every version is one number, that number. Otherwise
//! each version is padded with zero parts to the longest one, and each part
//! after the first is written on three digits (`1` → 1000, `1.1` → 1001,
//! `2.1` → 2001 when the longest has two parts): a part after the first
//! must be below 1000, and the result must fit a PostgreSQL `bigint`.

use schema_core::diagnostic::{Diagnostic, codes};

use super::source::{File, Tree, unmatched};
use super::{Down, Imported, Parsed, section};

/// Each part of a dotted version after the first is written on this many
/// decimal digits.
const PART_DIGITS: u32 = 3;

/// A `V` or `U` file, read from its name.
struct Named<'a> {
    file: &'a File,
    undo: bool,
    /// The version as flyway records it (`_` as `.`).
    recorded: String,
    parts: Vec<u64>,
    description: &'a str,
}

/// Reads a flyway migrations directory.
///
/// # Errors
/// Repeatable, baseline and other files that are not versioned SQL
/// migrations, versions two files share (`1` and `1.0` are one to flyway),
/// an undo without its migration, versions our mapping cannot write, text
/// that is not UTF-8.
pub(crate) fn read(tree: &Tree) -> Result<Parsed, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut strays = Vec::new();
    let mut named: Vec<Named> = Vec::new();
    let confs: Vec<&File> = tree
        .files
        .iter()
        .filter(|f| f.rel.ends_with(".sql.conf"))
        .collect();
    for f in &tree.files {
        let name = f.name();
        if name.ends_with(".sql.conf") {
            let script = &f.rel[..f.rel.len() - ".conf".len()];
            if !tree.files.iter().any(|g| g.rel == script) {
                strays.push(f.rel.clone());
            }
            continue;
        }
        if name.starts_with("R__") && name.ends_with(".sql") {
            errors.push(
                Diagnostic::error(
                    codes::UNSUPPORTED_FEATURE,
                    format!("`{}` is a repeatable migration", tree.show(&f.rel)),
                )
                .note("flyway runs a repeatable migration again whenever its text changes, after the versioned ones; here every migration runs once, in version order, and an edit after it ran is refused")
                .help("declare what it creates (a view, a function) in schema.sql, and let `schema new` write the migration that creates or replaces it; move the file out of the directory, then import again"),
            );
            continue;
        }
        if name.starts_with('B') && name.contains("__") && name.ends_with(".sql") {
            errors.push(
                Diagnostic::error(
                    codes::UNSUPPORTED_FEATURE,
                    format!("`{}` is a baseline migration", tree.show(&f.rel)),
                )
                .note("flyway runs a baseline migration instead of the versioned ones up to its version, on a new database only")
                .help("import the `V` migrations it stands for, and move it out of the directory, then import again"),
            );
            continue;
        }
        match split_name(name) {
            Some((undo, version, description)) => {
                let recorded = version.replace('_', ".");
                let parts: Option<Vec<u64>> =
                    recorded.split('.').map(|p| p.parse::<u64>().ok()).collect();
                let Some(parts) = parts else {
                    errors.push(
                        Diagnostic::error(
                            codes::BAD_MIGRATION_NAME,
                            format!(
                                "`{}`: a part of version `{recorded}` is too large",
                                tree.show(&f.rel)
                            ),
                        )
                        .help("renumber it, then import again"),
                    );
                    continue;
                };
                named.push(Named {
                    file: f,
                    undo,
                    recorded,
                    parts,
                    description,
                });
            }
            None => strays.push(f.rel.clone()),
        }
    }
    if !strays.is_empty() {
        errors.push(unmatched(
            tree,
            &strays,
            "flyway",
            "`V<version>__<description>.sql`, undo `U<version>__<description>.sql` (the version \
             in digits, parts separated by `.` or `_`), and `<file>.sql.conf` beside one",
        ));
    }
    let (mut ups, undos): (Vec<Named>, Vec<Named>) = named.into_iter().partition(|n| !n.undo);
    ups.sort_by(|a, b| compare(&a.parts, &b.parts));
    for pair in ups.windows(2) {
        if compare(&pair[0].parts, &pair[1].parts).is_eq() {
            errors.push(duplicate(tree, &pair[0], &pair[1]));
        }
    }
    for (i, u) in undos.iter().enumerate() {
        if let Some(other) = undos[..i]
            .iter()
            .find(|o| compare(&o.parts, &u.parts).is_eq())
        {
            errors.push(duplicate(tree, other, u));
        } else if !ups.iter().any(|v| compare(&v.parts, &u.parts).is_eq()) {
            errors.push(
                Diagnostic::error(
                    codes::BAD_MIGRATION_NAME,
                    format!(
                        "`{}` undoes version {}, which no `V` migration has",
                        tree.show(&u.file.rel),
                        u.recorded
                    ),
                )
                .help("rename it to the version it undoes, or move it out, then import again"),
            );
        }
    }
    let width = ups.iter().map(|n| n.parts.len()).max().unwrap_or(1);
    let mut migrations = Vec::new();
    for n in &ups {
        let Some(version) = map_version(&n.parts, width) else {
            errors.push(
                Diagnostic::error(
                    codes::BAD_MIGRATION_NAME,
                    format!("`{}`: version {} cannot be written as one number here", tree.show(&n.file.rel), n.recorded),
                )
                .note(format!(
                    "with dotted versions, each part after the first is written on {PART_DIGITS} digits (below 1000), after the first part, padded to {width} parts; the result must fit a PostgreSQL bigint"
                ))
                .help("renumber it (and the ones after it) with smaller parts, then import again"),
            );
            continue;
        };
        let text = match tree.text(n.file) {
            Ok(s) => s,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        let mut hand = Vec::new();
        let mut no_transaction = false;
        if let Some(conf) = confs
            .iter()
            .find(|c| c.rel == format!("{}.conf", n.file.rel))
        {
            match tree.text(conf) {
                Ok(s) => {
                    let (outside, others) = script_config(&s.text);
                    no_transaction = outside;
                    if !others.is_empty() {
                        hand.push(format!(
                            "`{}` sets {} for flyway; nothing here reads them",
                            conf.rel,
                            others.join(", ")
                        ));
                    }
                }
                Err(d) => errors.push(d),
            }
        }
        if text.text.contains("${") {
            hand.push(format!(
                "`{}` holds `${{...}}`: flyway replaced placeholders when it ran; the text is copied as written",
                n.file.rel
            ));
        }
        let undo = undos.iter().find(|u| compare(&u.parts, &n.parts).is_eq());
        let down = match undo {
            None => Down::Missing("flyway has no undo (`U`) migration for it".into()),
            Some(u) => match tree.text(u.file) {
                Ok(s) => {
                    if s.text.contains("${") {
                        hand.push(format!(
                            "`{}` holds `${{...}}` placeholders, copied as written",
                            u.file.rel
                        ));
                    }
                    Down::of(
                        &u.file.rel,
                        section(&s.text),
                        "its undo migration holds no statement",
                    )
                }
                Err(d) => {
                    errors.push(d);
                    continue;
                }
            },
        };
        let version_text = if width == 1 {
            n.recorded.clone()
        } else {
            version.to_string()
        };
        migrations.push(Imported {
            version,
            version_text,
            tool_version: n.recorded.clone(),
            name: n.description.to_string(),
            up_path: n.file.rel.clone(),
            up_sql: section(&text.text),
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

fn duplicate(tree: &Tree, a: &Named, b: &Named) -> Diagnostic {
    Diagnostic::error(
        codes::DUPLICATE_VERSION,
        format!(
            "`{}` and `{}` share version {} (flyway compares versions part by part, missing parts as 0)",
            tree.show(&a.file.rel),
            tree.show(&b.file.rel),
            b.recorded
        ),
    )
    .help("renumber one of them, then import again")
}

/// `V|U<version>__<description>.sql` split into undo?, version and description.
fn split_name(file: &str) -> Option<(bool, &str, &str)> {
    let stem = file.strip_suffix(".sql")?;
    let undo = match stem.chars().next()? {
        'V' => false,
        'U' => true,
        _ => return None,
    };
    let (version, description) = stem[1..].split_once("__")?;
    let ok = !version.is_empty()
        && version
            .split(['.', '_'])
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    ok.then_some((undo, version, description))
}

/// flyway's order: part by part, a missing part as 0.
fn compare(a: &[u64], b: &[u64]) -> std::cmp::Ordering {
    let n = a.len().max(b.len());
    (0..n)
        .map(|i| {
            a.get(i)
                .copied()
                .unwrap_or(0)
                .cmp(&b.get(i).copied().unwrap_or(0))
        })
        .find(|o| o.is_ne())
        .unwrap_or(std::cmp::Ordering::Equal)
}

/// Our version of a flyway version padded to `width` parts (see the module
/// documentation); `None` when it cannot be written.
fn map_version(parts: &[u64], width: usize) -> Option<u64> {
    let base = 10u64.pow(PART_DIGITS);
    let mut value = *parts.first()?;
    for i in 1..width {
        let part = parts.get(i).copied().unwrap_or(0);
        if part >= base {
            return None;
        }
        value = value.checked_mul(base)?.checked_add(part)?;
    }
    i64::try_from(value).ok().map(|_| value)
}

/// A script configuration file: whether it says
/// `executeInTransaction=false`, and the other keys it sets.
fn script_config(text: &str) -> (bool, Vec<String>) {
    let mut outside = false;
    let mut others = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        if key.trim() == "executeInTransaction" {
            outside = value.trim().eq_ignore_ascii_case("false");
        } else {
            others.push(format!("`{}`", key.trim()));
        }
    }
    (outside, others)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_versions_map_monotonically_and_keep_their_recorded_text() {
        let tree = Tree::of(&[
            ("V2_1__add_index.sql", "CREATE INDEX i ON t (x);\n"),
            ("V1__create_t.sql", "CREATE TABLE t (x int);\n"),
            ("nested/V1.1__seed.sql", "INSERT INTO t VALUES (1);\n"),
            ("U1.1__seed.sql", "DELETE FROM t;\n"),
            ("V2_1__add_index.sql.conf", "executeInTransaction=false\n"),
        ]);
        let Ok(parsed) = read(&tree) else {
            panic!("reads")
        };
        let got: Vec<(u64, &str)> = parsed
            .migrations
            .iter()
            .map(|m| (m.version, m.tool_version.as_str()))
            .collect();
        assert_eq!(got, [(1000, "1"), (1001, "1.1"), (2001, "2.1")]);
        assert!(matches!(parsed.migrations[0].down, Down::Missing(_)));
        assert!(
            matches!(&parsed.migrations[1].down, Down::Sql { path, .. } if path == "U1.1__seed.sql")
        );
        assert!(parsed.migrations[2].no_transaction);
    }

    #[test]
    fn single_numbers_are_kept_as_they_are() {
        let tree = Tree::of(&[
            ("V001__a.sql", "SELECT 1;"),
            ("V20240101120000__b.sql", "SELECT 1;"),
        ]);
        let Ok(parsed) = read(&tree) else {
            panic!("reads")
        };
        assert_eq!(parsed.migrations[0].version, 1);
        assert_eq!(parsed.migrations[0].version_text, "001");
        assert_eq!(parsed.migrations[1].version, 20_240_101_120_000);
    }

    #[test]
    fn repeatable_baseline_duplicate_orphan_and_oversized_versions_are_refused() {
        let tree = Tree::of(&[
            ("R__views.sql", ""),
            ("B5__base.sql", ""),
            ("V1__a.sql", ""),
            ("V1.0__b.sql", ""),
            ("U9__c.sql", ""),
            ("V2.1000__d.sql", ""),
            ("afterMigrate.sql", ""),
        ]);
        let Err(errors) = read(&tree) else {
            panic!("refused")
        };
        let all: String = errors.iter().map(|d| d.render(false)).collect();
        for needle in [
            "R__views.sql` is a repeatable",
            "B5__base.sql",
            "V1__a.sql",
            "V1.0__b.sql",
            "U9__c.sql",
            "V2.1000__d.sql",
            "afterMigrate.sql",
        ] {
            assert!(all.contains(needle), "{needle} in {all}");
        }
        assert_eq!(map_version(&[9_223_372_036_854_776], 2), None);
    }
}
