//! The migrator's acceptance tests (issue 5) with real processes on real
//! databases: PostgreSQL (a database per test, see [`pg`]) and SQLite files.
//!
//! - [`herd`]: 16 processes start `up` on an empty database at the same moment,
//!   20 rounds, on PostgreSQL (the `schema` binary) and on a SQLite file (the
//!   Migrator API): every migration applied exactly once.
//! - [`crash`]: a migrator SIGKILLed in the middle of a migration leaves no row
//!   and no partial schema, the next `up` completes; killed in a
//!   `no-transaction` migration, `status` names it interrupted, `up` refuses
//!   with the way to recover, and `resolve` settles it.
//! - [`edited`]: an applied migration edited → `up` refused; a CRLF copy of the
//!   same files → accepted.
//! - [`lock`]: a second migrator waits for the first, or gives up after
//!   `--lock-timeout` naming the holder.
//! - [`hang`]: a port that accepts and never answers fails within the connect
//!   timeout; a table lock held by another session fails `up` after
//!   `--lock-timeout`, naming that session.
//! - [`urls`]: bad database URLs are errors naming the forms; read-only
//!   commands never create a missing SQLite file.
//! - [`verify`]: exit 3 on drift only, 4 for pending migrations; INVALID
//!   indexes are drift; every schema is read, not only `public`.
//! - [`init`]: `schema init --from-database` on six shapes of PostgreSQL
//!   database and a SQLite file: check and verify clean, the baseline
//!   rebuilds the same catalog, a second run writes the same bytes.
//! - [`replay`]: extensions, non-`public` schemas and a renamed table with a
//!   `serial` key: `new`, `check`, `up`, `verify`, `down` (issue 9).
//! - [`takeover`]: `stamp --from-tool` takes over databases that sqlx, diesel,
//!   refinery, golang-migrate, dbmate, Rails, goose, Flyway and Alembic left
//!   (PostgreSQL and SQLite), then `up` applies only what came after; drift,
//!   dirty or failed rows, unimported versions and `up` on such a database
//!   are refused.
//!
//! Children are the `schema` binary or this test binary run again (see [`child`]).

#![cfg(unix)]
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)] // tests fail loudly

mod child;
mod crash;
mod edited;
mod fixtures;
mod hang;
mod herd;
mod init;
mod lock;
mod replay;
mod takeover;
mod urls;
mod verify;

use schema_test_support::pg;

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// `schema <args>` run in `dir`, to the end.
pub(crate) fn schema(dir: &Path, args: &[&str]) -> Output {
    schema_command(dir, args)
        .output()
        .expect("the schema binary runs")
}

/// `schema <args>` started in `dir`, its output piped.
pub(crate) fn spawn_schema(dir: &Path, args: &[&str]) -> Child {
    schema_command(dir, args)
        .spawn()
        .expect("the schema binary starts")
}

thread_local! {
    /// The PostgreSQL driver the `schema` commands this test thread starts
    /// use (`SCHEMA_PG_DRIVER`).
    static PG_DRIVER: std::cell::Cell<&'static str> = const { std::cell::Cell::new("postgres") };
}

/// Runs `test` with the `schema` commands it starts on the PostgreSQL
/// driver `driver` (`postgres`, `tokio-postgres` or `sqlx-postgres`): the
/// same test proves every driver.
pub(crate) fn on_pg_driver(driver: &'static str, test: impl FnOnce()) {
    PG_DRIVER.set(driver);
    eprintln!("on the {driver} driver");
    test();
}

/// The driver [`on_pg_driver`] set for this thread.
pub(crate) fn pg_driver() -> &'static str {
    PG_DRIVER.get()
}

thread_local! {
    /// The SQLite driver the `sqlite-up` children this test thread starts
    /// use (see [`child`]).
    static SQLITE_DRIVER: std::cell::Cell<&'static str> = const { std::cell::Cell::new("rusqlite") };
}

/// Runs `test` with the SQLite migrators it starts as children on the
/// driver `driver` (`rusqlite` or `sqlx`).
pub(crate) fn on_sqlite_driver(driver: &'static str, test: impl FnOnce()) {
    SQLITE_DRIVER.set(driver);
    eprintln!("on the {driver} SQLite driver");
    test();
}

/// The driver [`on_sqlite_driver`] set for this thread.
pub(crate) fn sqlite_driver() -> &'static str {
    SQLITE_DRIVER.get()
}

fn schema_command(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_schema"));
    c.args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env("SCHEMA_PG_DRIVER", pg_driver())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// A process's standard output.
pub(crate) fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A process's standard error.
pub(crate) fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// How a process ended and what it printed, for an assertion's message.
pub(crate) fn describe(out: &Output) -> String {
    format!(
        "{}\n--- stdout\n{}--- stderr\n{}",
        out.status,
        stdout(out),
        stderr(out)
    )
}

/// Asserts that `out` exited with `code`.
#[track_caller]
pub(crate) fn assert_exit(out: &Output, code: i32) {
    assert_eq!(out.status.code(), Some(code), "{}", describe(out));
}

/// Polls `ready` every 10 ms for up to `timeout`; fails naming `what`, with
/// `child`'s output, when the child exits meanwhile or at the timeout (after
/// killing it, so that no slow migration outlives the test).
#[track_caller]
pub(crate) fn wait_until(
    what: &str,
    timeout: Duration,
    child: &mut Child,
    mut ready: impl FnMut() -> bool,
) {
    let started = Instant::now();
    while !ready() {
        if child.try_wait().expect("poll the child").is_some() {
            let out = read_output(child);
            panic!("waiting for {what}, the child exited: {}", describe(&out));
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let out = read_output(child);
            panic!(
                "{what}: not after {} s; the child (killed): {}",
                timeout.as_secs(),
                describe(&out)
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// SIGKILLs `child` and reaps it (so that its `/proc` entry is gone).
pub(crate) fn kill(mut child: Child) -> Output {
    child.kill().expect("SIGKILL the child");
    let out = child.wait_with_output().expect("reap the child");
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&out.status),
        Some(9),
        "the child ended before it was killed: {}",
        describe(&out)
    );
    out
}

/// The output of a child that has exited.
fn read_output(child: &mut Child) -> Output {
    use std::io::Read;
    let mut out = Output {
        status: child.wait().expect("reap the child"),
        stdout: Vec::new(),
        stderr: Vec::new(),
    };
    if let Some(mut s) = child.stdout.take() {
        let _ = s.read_to_end(&mut out.stdout);
    }
    if let Some(mut s) = child.stderr.take() {
        let _ = s.read_to_end(&mut out.stderr);
    }
    out
}

/// Runs `command` to its end, killing it (and failing, naming `what`) when it
/// is still running after `deadline`: for commands that must not hang.
#[track_caller]
pub(crate) fn run_bounded(what: &str, mut command: Command, deadline: Duration) -> Output {
    let mut child = command.spawn().expect("start the child");
    let started = Instant::now();
    while child.try_wait().expect("poll the child").is_none() {
        if started.elapsed() > deadline {
            let _ = child.kill();
            let out = read_output(&mut child);
            panic!(
                "{what}: still running after {} s (killed): {}",
                deadline.as_secs(),
                describe(&out)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    read_output(&mut child)
}

/// `schema <args>` in `dir`, as a [`Command`] to run (see [`run_bounded`]).
pub(crate) fn schema_cmd(dir: &Path, args: &[&str]) -> Command {
    schema_command(dir, args)
}

/// Writes a project into `dir`: `schema.sql`, and for each `(directory,
/// up.sql, down.sql)` a migration; then its schema.sum.
pub(crate) fn write_project(dir: &Path, schema_sql: &str, migrations: &[(&str, &str, &str)]) {
    let mut files = vec![("schema.sql".to_string(), schema_sql.to_string())];
    for (name, up, down) in migrations {
        files.push((format!("migrations/{name}/up.sql"), (*up).to_string()));
        files.push((format!("migrations/{name}/down.sql"), (*down).to_string()));
    }
    write_files(dir, files);
}

/// A project whose one migration creates `t (id)`.
pub(crate) fn one_table_project(dir: &Path) {
    write_project(
        dir,
        "CREATE TABLE t (id integer PRIMARY KEY);\n",
        &[(
            "20240101000001_t",
            "CREATE TABLE t (id integer PRIMARY KEY);\n",
            "DROP TABLE t;\n",
        )],
    );
}

/// Writes `(path, text)` files into `dir`, then the migrations' schema.sum.
pub(crate) fn write_files(dir: &Path, files: Vec<(String, String)>) {
    for (path, text) in files {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create the project's directories");
        }
        std::fs::write(&path, text).expect("write a project file");
    }
    assert_exit(&schema(dir, &["sum", "--migrations", "migrations"]), 0);
}

/// Waits for `child` to exit and gives its output.
pub(crate) fn finish(child: Child) -> Output {
    child.wait_with_output().expect("wait for the child")
}
