//! Golden migrations, without a server. For each pair of schemas in
//! `tests/fixtures/diff/<case>/{from,to}.sql`, the migration the engine writes
//! (`generate`, as `schema new` does below its header line) must equal the
//! files in `<case>/expected/`: `postgres.up.sql`, `postgres.down.sql`,
//! `sqlite.up.sql`, `sqlite.down.sql`; where the engine refuses a dialect,
//! `<dialect>.up.error` (or `.down.error` when only the down cannot be written)
//! holds its message instead. `SCHEMA_BLESS=1` rewrites the files; a new case
//! directory fails until they are written.
//!
//! `tests/diff_postgres.rs` runs the same cases on PostgreSQL, and
//! `schema-runtime/tests/sqlite_roundtrip.rs` on SQLite.

#![allow(clippy::panic, reason = "a test reports failure by panicking")]

use std::path::{Path, PathBuf};

use schema_core::diagnostic::render_all;
use schema_core::diff::{diff, renames_from_hints};
use schema_core::migrations::generate::generate;
use schema_core::parse::parse_schema_str;
use schema_core::render::{Postgres, Renderer, Sqlite};
use schema_test_support::golden::{BLESS, Goldens, diff_cases};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff")
}

/// The files of `<case>/expected/`: name and text.
fn migrations(from_text: &str, to_text: &str) -> Result<Vec<(String, String)>, String> {
    let parse = |shown: &str, text: &str| {
        parse_schema_str(shown, text)
            .map_err(|d| format!("{shown} does not parse:\n{}", render_all(&d, false)))
    };
    let (from, to) = (parse("from.sql", from_text)?, parse("to.sql", to_text)?);
    let renames = renames_from_hints(&from, &to)
        .map_err(|d| format!("rename hints are rejected:\n{}", render_all(&d, false)))?;
    let dialects: [(&str, &dyn Renderer); 2] = [("postgres", &Postgres), ("sqlite", &Sqlite)];
    let mut files = Vec::new();
    for (dialect, renderer) in dialects {
        match generate(&from, &to, &renames, renderer) {
            Ok(migration) => {
                files.push((format!("{dialect}.up.sql"), migration.up_sql()));
                files.push((format!("{dialect}.down.sql"), migration.down_sql()));
            }
            Err(refused) => {
                // `generate` renders the up first: the refusal is the up's
                // when the up alone cannot be rendered.
                let up = renderer.render(&diff(&from, &to, &renames), &from, &to);
                let side = if up.is_err() { "up" } else { "down" };
                files.push((format!("{dialect}.{side}.error"), format!("{refused}\n")));
            }
        }
    }
    Ok(files)
}

fn check_case(dir: &Path) -> Result<(), String> {
    let read = |file: &str| {
        std::fs::read_to_string(dir.join(file))
            .map_err(|e| format!("cannot read {}: {e}", dir.join(file).display()))
    };
    let (from, to) = (read("from.sql")?, read("to.sql")?);
    let mut goldens = Goldens::new(&dir.join("expected"));
    for (name, text) in migrations(&from, &to)? {
        goldens.check(&name, &text);
    }
    goldens.finish()
}

/// Every case of `tests/fixtures/diff/`; `SCHEMA_DIFF_ONLY=<text>` keeps the
/// cases whose name contains it.
#[test]
fn generated_migrations_equal_the_golden_files() {
    let dirs = diff_cases(&fixture_dir());
    let failures: Vec<String> = dirs
        .iter()
        .filter_map(|dir| {
            let name = dir.file_name().unwrap_or_default().to_string_lossy();
            check_case(dir)
                .err()
                .map(|message| format!("case `{name}`: {message}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from their golden files ({BLESS}=1 rewrites them):\n\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n\n")
    );
}
