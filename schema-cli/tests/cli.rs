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

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

#[test]
fn new_writes_the_fixing_migration_and_then_refuses_when_nothing_is_left() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&workspace().join("tests/fixtures/seed"), dir.path());
    // The empty migration is one of the seed's faults; allow it to isolate `new`.
    std::fs::write(
        dir.path()
            .join("migrations/20240320140000_add_google_docs_integration_models/up.sql"),
        "-- add google docs integration models\n-- schema: allow(empty_migration)\n",
    )
    .expect("write");
    assert_eq!(schema(dir.path(), &["sum"]).status.code(), Some(0));
    let before = schema(dir.path(), &["check"]);
    let stderr = String::from_utf8_lossy(&before.stderr);
    assert_eq!(before.status.code(), Some(1));
    assert!(
        stderr.contains("this migration would bring the migrations in line"),
        "{stderr}"
    );
    assert!(
        stderr.contains("ADD CONSTRAINT resumes_pkey PRIMARY KEY (user_id, serial_number)"),
        "{stderr}"
    );

    let out = schema(dir.path(), &["new", "add_google_docs_tables"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("create table `resume_templates`"),
        "{stdout}"
    );
    assert!(stdout.contains("updated migrations/schema.sum"), "{stdout}");

    let after = schema(dir.path(), &["check"]);
    assert_eq!(
        after.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&after.stderr)
    );
    let again = schema(dir.path(), &["new", "again"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("nothing to do"));
}

#[test]
fn new_refuses_destructive_changes_unless_allowed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let m = dir.path().join("migrations/20240101000000_init");
    std::fs::create_dir_all(&m).expect("mkdir");
    std::fs::write(
        m.join("up.sql"),
        "create table t (id int primary key, gone text);\n",
    )
    .expect("write");
    std::fs::write(m.join("down.sql"), "drop table t;\n").expect("write");
    std::fs::write(
        dir.path().join("schema.sql"),
        "create table t (id int primary key);\n",
    )
    .expect("write");
    assert_eq!(schema(dir.path(), &["sum"]).status.code(), Some(0));
    let refused = schema(dir.path(), &["new", "drop_gone"]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("drops column `t.gone`"), "{stderr}");
    assert!(stderr.contains("--allow-destructive"), "{stderr}");
    let allowed = schema(dir.path(), &["new", "drop_gone", "--allow-destructive"]);
    assert_eq!(
        allowed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&allowed.stderr)
    );
    assert_eq!(schema(dir.path(), &["check"]).status.code(), Some(0));
}

#[test]
fn diff_prints_the_up_sql_and_exit_code_says_whether_there_are_changes() {
    let root = workspace();
    let same = schema(
        &root,
        &[
            "diff",
            "--from",
            "migrations",
            "--to",
            "schema.sql",
            "--exit-code",
        ],
    );
    assert_eq!(
        same.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&same.stderr)
    );
    assert!(same.stdout.is_empty());
    let changed = schema(
        &root,
        &[
            "diff",
            "--from",
            "tests/fixtures/seed/schema.sql",
            "--to",
            "schema.sql",
            "--exit-code",
        ],
    );
    assert_eq!(changed.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&changed.stdout).contains("ADD CONSTRAINT user_sites_resume_fkey")
    );
    let broken = schema(&root, &["diff", "--from", "nope.sql", "--to", "schema.sql"]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&broken.stderr).contains("cannot read `nope.sql`"));
}

#[test]
fn diff_renders_sqlite_with_the_table_rebuild() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("a.sql"),
        "create table t (id int primary key, n int);\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("b.sql"),
        "create table t (id int primary key, n bigint not null default 0);\n",
    )
    .expect("write");
    let out = schema(
        dir.path(),
        &[
            "diff",
            "--from",
            "a.sql",
            "--to",
            "b.sql",
            "--dialect",
            "sqlite",
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("PRAGMA foreign_keys=OFF"), "{stdout}");
    assert!(stdout.contains("INSERT INTO"), "{stdout}");
    assert!(stdout.contains("PRAGMA foreign_key_check"), "{stdout}");
}

/// `schema <args> --database-url <url>` in the workspace (the demo project).
fn on_database(args: &[&str], url: &str) -> (Option<i32>, String, String) {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--database-url", url]);
    let out = schema(&workspace(), &all);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn database_commands_migrate_report_and_find_drift_on_a_sqlite_file() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("demo.db");
    let url = format!("sqlite://{}", file.display());

    let (code, out, err) = on_database(&["up"], &url);
    assert_eq!(code, Some(0), "{out}{err}");
    assert_eq!(
        out.matches("applying ").count(),
        5,
        "a progress line each:\n{out}"
    );
    assert!(out.contains("applied 5 migrations"), "{out}");
    assert!(out.contains("at version 20240408113000"), "{out}");

    let (code, out, err) = on_database(&["up"], &url);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("nothing to do"), "{out}");

    let (code, out, _) = on_database(&["status"], &url);
    assert_eq!(code, Some(0));
    assert!(out.contains("5 applied, 0 pending"), "{out}");

    let (code, out, err) = on_database(&["verify"], &url);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        out.contains("ok: the live schema is the declared schema"),
        "{out}"
    );

    // `diff` reads the live schema from a URL: nothing between it and schema.sql.
    let (code, out, err) = on_database(&[], "");
    assert_eq!(code, Some(2), "no subcommand is a usage error: {out}{err}");
    let diff = schema(
        &workspace(),
        &[
            "diff",
            "--from",
            &url,
            "--to",
            "schema.sql",
            "--dialect",
            "sqlite",
            "--exit-code",
        ],
    );
    assert_eq!(
        diff.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&diff.stdout),
        String::from_utf8_lossy(&diff.stderr)
    );

    // An out-of-band change, made with plain SQL.
    let conn = rusqlite::Connection::open(&file).expect("open the file");
    conn.execute_batch("ALTER TABLE users ADD COLUMN nickname text;")
        .expect("alter");
    drop(conn);
    let (code, _, err) = on_database(&["verify"], &url);
    assert_eq!(code, Some(3), "drift exits 3: {err}");
    assert!(err.contains("drop column `users.nickname`"), "{err}");
    let diff = schema(
        &workspace(),
        &[
            "diff",
            "--from",
            &url,
            "--to",
            "schema.sql",
            "--dialect",
            "sqlite",
            "--exit-code",
        ],
    );
    let sql = String::from_utf8_lossy(&diff.stdout);
    assert_eq!(diff.status.code(), Some(2), "{sql}");
    assert!(
        sql.contains(r#"ALTER TABLE "users" DROP COLUMN "nickname";"#),
        "{sql}"
    );

    let (code, out, err) = on_database(&["down", "--steps", "2"], &url);
    assert_eq!(code, Some(0), "{out}{err}");
    assert_eq!(out.matches("reverting ").count(), 2, "{out}");
    assert!(out.contains("2 pending"), "{out}");

    let (code, _, err) = on_database(&["up"], "mysql://nowhere");
    assert_eq!(code, Some(1));
    assert!(err.contains("is not a database URL"), "{err}");
}

/// `new` reports the online lints of what it wrote; `new --online` writes the
/// same change as migrations that raise none; `check --online-lints deny`
/// fails on the first and passes on the second.
#[test]
fn new_online_writes_the_safe_forms_and_check_judges_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::write(
        root.join("schema.sql"),
        "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text, name text);\n",
    )
    .expect("write");
    assert_eq!(schema(root, &["new", "init"]).status.code(), Some(0));
    std::fs::write(
        root.join("schema.sql"),
        "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL, name text UNIQUE);\n\
         CREATE INDEX users_email_idx ON users (email);\n",
    )
    .expect("write");

    // Plain `new`: written, with the lints of what it wrote and the hint.
    let plain = schema(root, &["new", "tighten"]);
    let stderr = String::from_utf8_lossy(&plain.stderr);
    assert_eq!(plain.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("S0501/index_without_concurrently"),
        "{stderr}"
    );
    assert!(stderr.contains("S0504/set_not_null_scans"), "{stderr}");
    assert!(stderr.contains("schema new --online"), "{stderr}");
    let denied = schema(root, &["check", "--online-lints", "deny"]);
    assert_eq!(denied.status.code(), Some(1));
    let warned = schema(root, &["check"]);
    assert_eq!(warned.status.code(), Some(0));

    // The same change with `--online`.
    let written: Vec<PathBuf> = std::fs::read_dir(root.join("migrations"))
        .expect("read")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with("_tighten"))
        .collect();
    assert_eq!(written.len(), 1);
    std::fs::remove_dir_all(&written[0]).expect("remove");
    assert_eq!(schema(root, &["sum"]).status.code(), Some(0));
    let online = schema(root, &["new", "--online", "tighten"]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&online.stdout),
        String::from_utf8_lossy(&online.stderr),
    );
    assert_eq!(online.status.code(), Some(0), "{stdout}{stderr}");
    assert!(!stderr.contains("warning["), "{stderr}");
    let mut names: Vec<String> = std::fs::read_dir(root.join("migrations"))
        .expect("read")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("_tighten"))
        .collect();
    names.sort();
    let suffixes: Vec<&str> = names
        .iter()
        .map(|n| n.split_once("_tighten").map_or("", |(_, s)| s))
        .collect();
    assert_eq!(suffixes, ["", "_concurrently", "_validate"], "{stdout}");
    let concurrently =
        std::fs::read_to_string(root.join("migrations").join(&names[1]).join("up.sql"))
            .expect("read");
    assert!(
        concurrently.starts_with("-- schema: no-transaction\n"),
        "{concurrently}"
    );
    assert!(
        concurrently.contains("CREATE INDEX CONCURRENTLY users_email_idx"),
        "{concurrently}"
    );
    assert!(!concurrently.contains("SET lock_timeout"), "{concurrently}");
    let denied = schema(root, &["check", "--online-lints", "deny"]);
    assert_eq!(
        denied.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&denied.stderr)
    );
}
