//! The `schema` binary as a user runs it: exit codes and what it prints.

#![allow(clippy::expect_used)] // test helpers fail loudly

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn schema(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_schema"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the schema binary runs")
}

#[test]
fn check_passes_on_the_demo_with_exit_code_0() {
    let out = schema(&workspace(), &["check"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("ok: schema.sql matches 5 migrations"),
        "{stdout}"
    );
}

#[test]
fn check_fails_on_the_seed_with_exit_code_1_and_located_errors() {
    let out = schema(&workspace().join("tests/fixtures/seed"), &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[S0201/empty_migration]"), "{stderr}");
    assert!(stderr.contains("--> schema.sql:"), "{stderr}");
    assert!(
        stderr.contains("could not check the schema due to"),
        "{stderr}"
    );
}

#[test]
fn explicit_paths_are_honoured_and_a_missing_schema_file_is_reported() {
    let root = workspace();
    let out = schema(
        &root,
        &[
            "check",
            "--schema",
            "tests/fixtures/seed/schema.sql",
            "--migrations",
            "tests/fixtures/seed/migrations",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let out = schema(&root, &["check", "--schema", "nope.sql"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot read the schema file `nope.sql`"),
        "{stderr}"
    );
}

#[test]
fn sum_writes_the_checksums_then_reports_them_up_to_date() {
    let dir = tempfile::tempdir().expect("temp dir");
    let m = dir.path().join("migrations/20240101000000_init");
    std::fs::create_dir_all(&m).expect("mkdir");
    std::fs::write(m.join("up.sql"), "create table t (id int primary key);\n").expect("write");
    std::fs::write(m.join("down.sql"), "drop table t;\n").expect("write");
    std::fs::write(
        dir.path().join("schema.sql"),
        "create table t (id int primary key);\n",
    )
    .expect("write");
    let check = schema(dir.path(), &["check"]);
    assert_eq!(
        check.status.code(),
        Some(1),
        "a missing schema.sum fails the check"
    );
    assert!(String::from_utf8_lossy(&check.stderr).contains("schema sum"));
    let first = schema(dir.path(), &["sum"]);
    assert!(String::from_utf8_lossy(&first.stdout).contains("wrote migrations/schema.sum"));
    let second = schema(dir.path(), &["sum"]);
    assert!(String::from_utf8_lossy(&second.stdout).contains("up to date"));
    assert_eq!(schema(dir.path(), &["check"]).status.code(), Some(0));
}
