//! The README's main command and the resume app, run as a user runs them:
//! `cargo test` builds the examples, and these tests run the binaries it
//! built and judge them by their output and exit status (each example itself
//! checks its rows and ends with a clean `verify`).

#![allow(clippy::panic, reason = "a test reports failure by panicking")]

use std::path::PathBuf;
use std::process::{Command, Output};

use schema_test_support::pg;

/// The example binary `cargo test` built next to this test's own binary.
fn example(name: &str) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?.parent()?.join("examples");
    let path = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if path.exists() {
        Some(path)
    } else {
        // `cargo test --test examples` alone does not build examples.
        eprintln!(
            "skipping: {} was not built (run `cargo test --workspace`, which builds examples)",
            path.display()
        );
        None
    }
}

fn run(name: &str, database_url: Option<&str>) -> Option<Output> {
    let path = example(name)?;
    let mut command = Command::new(&path);
    command.env_remove("DATABASE_URL");
    if let Some(url) = database_url {
        command.env("DATABASE_URL", url);
    }
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", path.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{name} failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    Some(output)
}

#[test]
fn the_quickstart_migrates_writes_reads_and_verifies_on_sqlite() {
    let Some(output) = run("quickstart", None) else {
        return;
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "5 applied",
        "applied 20240105093000_initial_tables",
        "user 1: ada <ada@example.com>",
        "5 applied, 0 pending",
        "ok: the live schema is the declared schema (version 20240408113000)",
        "6. migrate again: 0 to apply",
    ] {
        assert!(stdout.contains(expected), "no `{expected}` in:\n{stdout}");
    }
}

#[test]
fn the_resume_app_runs_on_sqlite() {
    let Some(output) = run("resume_app", None) else {
        return;
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("on SQLite"), "{stdout}");
    assert!(
        stdout.contains("updated the document to `ready`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ok: the live schema is the declared schema"),
        "{stdout}"
    );
}

#[test]
fn the_resume_app_runs_on_postgres_when_database_url_is_set() {
    let Some(server) = pg::server() else {
        return;
    };
    let db = server.create_database("resume_app");
    let Some(output) = run("resume_app", Some(&db.url())) else {
        return;
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("on PostgreSQL"), "{stdout}");
    assert!(
        stdout.contains("deleted the site; 1 user(s) and 1 resume(s) remain"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ok: the live schema is the declared schema"),
        "{stdout}"
    );
    // What the database holds, not what the example printed.
    let mut client = db.connect();
    let documents: i64 = client
        .query_one(
            "SELECT count(*) FROM generated_documents WHERE status = 'ready'",
            &[],
        )
        .map(|r| r.get(0))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(documents, 1);
    let versions: i64 = client
        .query_one(
            "SELECT count(*) FROM _schema_migrations WHERE state = 'applied'",
            &[],
        )
        .map(|r| r.get(0))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(versions, 5);
}

#[test]
fn the_async_example_migrates_inserts_and_verifies_on_postgres() {
    let Some(server) = pg::server() else {
        return;
    };
    let db = server.create_database("async_app");
    let Some(output) = run("async_postgres", Some(&db.url())) else {
        return;
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "tokio-postgres: 5 applied",
        "inserted user 1",
        "inserted user 2",
        "found user 1: ada",
        "tokio-postgres verify: clean",
        "sqlx: 0 applied",
        "sqlx verify: clean",
        "users: 2",
    ] {
        assert!(
            stdout.contains(expected),
            "`{expected}` not in the output:\n{stdout}"
        );
    }
}

#[test]
fn the_sqlx_sqlite_example_migrates_its_pool_and_verifies() {
    let Some(output) = run("sqlx_sqlite", None) else {
        return;
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "sqlx sqlite: 5 applied",
        "inserted user 1",
        "found: ada@example.com",
        "updated: true",
        "city: London",
        "deleted: true",
        "left: 0",
        "sqlx sqlite verify: clean",
    ] {
        assert!(
            stdout.contains(expected),
            "`{expected}` not in the output:\n{stdout}"
        );
    }
}
