//! Generated migrations against a real server. For each pair of schemas in
//! `tests/fixtures/diff/<case>/{from,to}.sql`: a database holding `from` is
//! what `from` parses to; the generated up, run in one transaction, leaves a
//! database PostgreSQL reports as `to`, with nothing left to diff; the
//! generated down brings `from` back. A case with a `rows.sql` (inserts run
//! after `from.sql`) must also keep every row as it reads, up and down.
//!
//! Each case runs in its own fresh database, dropped afterwards; cases run in
//! parallel threads and every failure is reported at once, with the generated
//! up and down. Only the generated migration text runs between the checks.
//! The text itself is checked without a server by `tests/diff_golden.rs`,
//! against each case's `expected/` files.

#![allow(clippy::panic, reason = "a test reports failure by panicking")]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use schema_test_support::golden::diff_cases;
use schema_test_support::pg;
use schema_test_support::roundtrip::{round_trip, round_trip_with_rows};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff")
}

fn run_case(server: &pg::Server, dir: &Path) -> Result<(), String> {
    let read = |file: &str| {
        std::fs::read_to_string(dir.join(file))
            .map_err(|e| format!("cannot read {}: {e}", dir.join(file).display()))
    };
    let (from, to) = (read("from.sql")?, read("to.sql")?);
    if dir.join("expected/postgres.up.error").is_file() {
        // A change the PostgreSQL renderer refuses (the golden test checks
        // the refusal): nothing to run.
        return Ok(());
    }
    let database = server.create_database("schema_diff");
    let mut client = database.connect();
    let checked = if dir.join("rows.sql").is_file() {
        round_trip_with_rows(&mut client, &from, &to, &read("rows.sql")?)
    } else {
        round_trip(&mut client, &from, &to)
    };
    checked.map_err(|e| format!("(database `{}`) {e}", database.name()))
}

/// Every case of `tests/fixtures/diff/`; `SCHEMA_DIFF_ONLY=<text>` keeps the
/// cases whose name contains it, `SCHEMA_DIFF_SHOW=1` prints every migration.
#[test]
fn generated_migrations_go_up_and_down_on_postgres() {
    let Some(server) = pg::server() else {
        return;
    };
    const WORKERS: usize = 8;
    let dirs = diff_cases(&fixture_dir());
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..WORKERS.min(dirs.len()) {
            scope.spawn(|| {
                while let Some(dir) = dirs.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let name = dir.file_name().unwrap_or_default().to_string_lossy();
                    match run_case(&server, dir) {
                        Ok(()) => eprintln!("ok      {name}"),
                        Err(message) => {
                            eprintln!("FAILED  {name}");
                            failures
                                .lock()
                                .unwrap_or_else(PoisonError::into_inner)
                                .push(format!("case `{name}`: {message}"));
                        }
                    }
                }
            });
        }
    });
    let mut failures = failures
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    failures.sort();
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n\n")
    );
}
