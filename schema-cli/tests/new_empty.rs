//! `schema new --empty <slug>`: the next migration with comment-only files,
//! for a migration written by hand; no difference is computed.

#![allow(clippy::expect_used)] // test helpers fail loudly

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn schema(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_schema"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the schema binary runs")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A project whose schema.sql and migrations agree.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let m = dir.path().join("migrations/20240101000000_init");
    std::fs::create_dir_all(&m).expect("mkdir");
    std::fs::write(
        m.join("up.sql"),
        "create table t (id int primary key, n int);\n",
    )
    .expect("write");
    std::fs::write(m.join("down.sql"), "drop table t;\n").expect("write");
    std::fs::write(
        dir.path().join("schema.sql"),
        "create table t (id int primary key, n int);\n",
    )
    .expect("write");
    assert_eq!(schema(dir.path(), &["sum"]).status.code(), Some(0));
    assert_eq!(schema(dir.path(), &["check"]).status.code(), Some(0));
    dir
}

/// The migration directories, sorted.
fn migrations(root: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root.join("migrations"))
        .expect("read migrations")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn new_empty_writes_comment_only_files_and_the_sum_where_new_has_nothing_to_do() {
    let dir = project();
    let root = dir.path();
    let nothing = schema(root, &["new", "backfill_n"]);
    assert_eq!(nothing.status.code(), Some(1), "{}", text(&nothing));
    assert!(
        text(&nothing).contains("schema new --empty backfill_n"),
        "`new` points to `--empty`: {}",
        text(&nothing)
    );

    let out = schema(root, &["new", "--empty", "backfill_n"]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(0), "{all}");
    let dirs = migrations(root);
    assert_eq!(dirs.len(), 2, "{dirs:?}");
    let new = &dirs[1];
    let name = new.file_name().and_then(|n| n.to_str()).unwrap_or("");
    assert!(name.ends_with("_backfill_n"), "{name}");
    let version: u64 = name
        .split('_')
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!(version > 20_240_101_000_000, "after the last one: {name}");
    assert!(
        all.contains(&format!("wrote migrations/{name}/up.sql")),
        "{all}"
    );
    assert!(all.contains("updated migrations/schema.sum"), "{all}");
    for file in ["up.sql", "down.sql"] {
        let body = std::fs::read_to_string(new.join(file)).expect("read");
        assert!(
            body.lines().all(|l| l.starts_with("-- ")),
            "{file} holds comments only:\n{body}"
        );
        assert!(body.contains(name), "{file} names its migration:\n{body}");
        assert!(body.contains("schema new --empty"), "{body}");
    }
    let up = std::fs::read_to_string(new.join("up.sql")).expect("read");
    assert!(up.contains("data migration"), "{up}");
    let sum = std::fs::read_to_string(root.join("migrations/schema.sum")).expect("read");
    assert!(sum.contains(&format!("{name}/up.sql ")), "{sum}");
    assert!(sum.contains(&format!("{name}/down.sql ")), "{sum}");

    // schema.sum is right, and the empty up.sql is the one thing `check` reports.
    let check = schema(root, &["check"]);
    let all = text(&check);
    assert_eq!(check.status.code(), Some(1), "{all}");
    assert!(all.contains("S0201/empty_migration"), "{all}");
    assert!(!all.contains("S011"), "schema.sum is up to date: {all}");

    // Written by hand and summed: a clean history.
    std::fs::write(
        new.join("up.sql"),
        format!("{up}update t set n = 0 where n is null;\n"),
    )
    .expect("write");
    assert_eq!(schema(root, &["sum"]).status.code(), Some(0));
    let check = schema(root, &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check));
}

#[test]
fn new_empty_refuses_an_edited_history_and_writes_nothing() {
    let dir = project();
    let root = dir.path();
    let up = root.join("migrations/20240101000000_init/up.sql");
    std::fs::write(&up, "create table t (id bigint primary key, n int);\n").expect("write");
    let sum_before = std::fs::read_to_string(root.join("migrations/schema.sum")).expect("read");
    let out = schema(root, &["new", "--empty", "fix"]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("S0112/checksum_mismatch"), "{all}");
    assert!(all.contains("fix these first"), "{all}");
    assert_eq!(migrations(root).len(), 1, "no migration was written");
    let sum_after = std::fs::read_to_string(root.join("migrations/schema.sum")).expect("read");
    assert_eq!(sum_before, sum_after, "schema.sum is as it was");
}

#[test]
fn new_empty_starts_a_history_and_checks_its_slug() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let bad = schema(root, &["new", "--empty", "Not-A-Slug"]);
    assert_eq!(bad.status.code(), Some(1), "{}", text(&bad));
    assert!(text(&bad).contains("not a valid slug"), "{}", text(&bad));
    assert!(!root.join("migrations").exists(), "nothing was created");
    let out = schema(root, &["new", "--empty", "seed_data"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(migrations(root).len(), 1);
    assert!(root.join("migrations/schema.sum").exists());
    let both = schema(root, &["new", "--empty", "--allow-destructive", "x"]);
    assert_eq!(both.status.code(), Some(2), "{}", text(&both));
}
