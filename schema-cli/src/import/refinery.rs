//! refinery's migrations: `V<n>__<name>.sql` (and `U<n>__<name>.sql`,
//! "unversioned": applied even when older than the latest), found in the
//! directory and its subdirectories; up only (refinery has no down); a
//! `-- +refinery NO TRANSACTION` line runs one outside a transaction.
//! refinery records the version as an integer.

use schema_core::diagnostic::{Diagnostic, codes};

use super::source::{Tree, in_order, unmatched};
use super::{Down, Imported, Parsed, section, version_of};

/// The line by which refinery runs a migration outside a transaction.
const NO_TRANSACTION: &str = "-- +refinery NO TRANSACTION";

/// Reads a refinery migrations directory.
///
/// # Errors
/// Files that are not refinery SQL migrations (Rust migrations `.rs` are
/// named apart: they cannot be converted), versions that are not integers or
/// that two files share, text that is not UTF-8.
pub(crate) fn read(tree: &Tree) -> Result<Parsed, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut strays = Vec::new();
    let mut found: Vec<Imported> = Vec::new();
    for f in &tree.files {
        let Some((prefix, digits, name, ext)) = split_name(f.name()) else {
            strays.push(f.rel.clone());
            continue;
        };
        if ext == "rs" {
            errors.push(
                Diagnostic::error(
                    codes::UNSUPPORTED_FEATURE,
                    format!("`{}` is a Rust migration", tree.show(&f.rel)),
                )
                .note("its SQL is what its `migration()` function returns at run time: there is no file to convert")
                .help("write its SQL into `V<n>__<name>.sql` (what the function returns), then import again"),
            );
            continue;
        }
        let Some(version) = version_of(digits).filter(|_| !digits.contains('.')) else {
            errors.push(
                Diagnostic::error(
                    codes::BAD_MIGRATION_NAME,
                    format!(
                        "`{}`: version `{digits}` is not an integer refinery can record",
                        tree.show(&f.rel)
                    ),
                )
                .help("refinery keeps versions as integers: renumber it, then import again"),
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
        let mut no_transaction = false;
        let mut up = String::new();
        for line in text.text.split_inclusive('\n') {
            if line.trim() == NO_TRANSACTION {
                no_transaction = true;
            } else {
                up.push_str(line);
            }
        }
        let mut hand = Vec::new();
        if prefix == 'U' {
            hand.push(format!(
                "refinery applied `{}` (unversioned) even when older than the latest applied; \
                 here it runs in version order like the others",
                f.rel
            ));
        }
        found.push(Imported {
            version,
            version_text: digits.to_string(),
            tool_version: version.to_string(),
            name: name.to_string(),
            up_path: f.rel.clone(),
            up_sql: section(&up),
            down: Down::Missing("refinery has no down migrations".into()),
            no_transaction,
            hand,
        });
    }
    if !strays.is_empty() {
        errors.push(unmatched(
            tree,
            &strays,
            "refinery",
            "`V<n>__<name>.sql` (or `U<n>__<name>.sql`), `<name>` of letters, digits and `_`",
        ));
    }
    in_order(tree, found, errors, |m| m.version, Some("refinery"))
}

/// `(U|V)<version>__<name>.(sql|rs)`, as refinery matches it
/// (`^(U|V)(\d+(?:\.\d+)?)__(\w+)\.sql$`).
fn split_name(file: &str) -> Option<(char, &str, &str, &str)> {
    let prefix = file.chars().next().filter(|c| *c == 'U' || *c == 'V')?;
    let (version, rest) = file[1..].split_once("__")?;
    let (name, ext) = rest.rsplit_once('.')?;
    let version_ok = {
        let mut parts = version.split('.');
        let ok = |p: Option<&str>| {
            p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        };
        ok(parts.next()) && parts.clone().count() <= 1 && parts.all(|p| ok(Some(p)))
    };
    let name_ok = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    (version_ok && name_ok && (ext == "sql" || ext == "rs")).then_some((prefix, version, name, ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versioned_files_convert_up_only_in_number_order() {
        let tree = Tree::of(&[
            (
                "V10__add_index.sql",
                "-- +refinery NO TRANSACTION\nCREATE INDEX CONCURRENTLY i ON t (x);\n",
            ),
            ("sub/V2__create_t.sql", "CREATE TABLE t (x int);\n"),
        ]);
        let Ok(parsed) = read(&tree) else {
            panic!("reads")
        };
        let m = &parsed.migrations;
        assert_eq!(m[0].tool_version, "2");
        assert_eq!(m[0].up_path, "sub/V2__create_t.sql");
        assert!(matches!(m[0].down, Down::Missing(_)));
        assert!(m[1].no_transaction);
        assert_eq!(m[1].up_sql, "CREATE INDEX CONCURRENTLY i ON t (x);\n");
    }

    #[test]
    fn rust_dotted_duplicate_and_stray_files_are_refused_by_name() {
        let tree = Tree::of(&[
            ("V1__a.rs", ""),
            ("V1.5__b.sql", ""),
            ("V3__c.sql", ""),
            ("U3__d.sql", ""),
            ("V4__bad-name.sql", ""),
            ("R__x.sql", ""),
        ]);
        let Err(errors) = read(&tree) else {
            panic!("refused")
        };
        let all: String = errors.iter().map(|d| d.render(false)).collect();
        for needle in [
            "V1__a.rs",
            "V1.5__b.sql",
            "V3__c.sql",
            "U3__d.sql",
            "V4__bad-name.sql",
            "R__x.sql",
        ] {
            assert!(all.contains(needle), "{needle} in {all}");
        }
    }
}
