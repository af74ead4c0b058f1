//! Our own migrations pass our own check, without a server. For each pair of
//! schemas in `tests/fixtures/diff/<case>/{from,to}.sql`: a history of two
//! migrations, the one `schema new` writes for `from` on an empty project and
//! the one it writes from `from` to `to`, is analysed against `to` as
//! schema.sql the way the macro and `schema check` analyse a project (parse,
//! replay with the down-undoes-up check, lints, drift). It must hold no
//! error: a generated migration the replay refuses (a rename under a view,
//! say) or that leaves drift is a bug of the generator or of the replay.
//!
//! Cases the PostgreSQL renderer refuses (`expected/postgres.up.error`) are
//! skipped: there is no migration to replay.

#![allow(clippy::panic, reason = "a test reports failure by panicking")]

use std::path::{Path, PathBuf};

use schema_test_support::golden::diff_cases;
use schema_test_support::replay::generated_history_is_clean;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff")
}

fn check_case(dir: &Path) -> Result<(), String> {
    if dir.join("expected/postgres.up.error").is_file() {
        return Ok(());
    }
    let read = |file: &str| {
        std::fs::read_to_string(dir.join(file))
            .map_err(|e| format!("cannot read {}: {e}", dir.join(file).display()))
    };
    generated_history_is_clean(&read("from.sql")?, &read("to.sql")?)
}

/// Every case of `tests/fixtures/diff/`.
#[test]
fn generated_migrations_replay_without_errors_and_leave_no_drift() {
    let dirs = diff_cases(&fixture_dir());
    let failures: Vec<String> = dirs
        .iter()
        .filter_map(|dir| {
            let name = dir.file_name().unwrap_or_default().to_string_lossy();
            check_case(dir).err().map(|e| format!("case `{name}`: {e}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n\n")
    );
}
