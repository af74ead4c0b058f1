//! One migrator at a time: while one holds the lock (inside a migration), a
//! second one with a 1 s lock timeout gives up naming the holder, and a third
//! one, started meanwhile, waits and then succeeds, doing only what the first
//! left to do.
//! (A SQLite lock row left by a killed process is taken over: see
//! [`crash`](crate::crash).)

use std::time::{Duration, Instant};

use rusqlite::Connection;
use schema_runtime::driver::sqlite::SqliteDriver;
use schema_runtime::{Migrator, Options};

use crate::fixtures::{self, DIR3, V2, VERSIONS};
use crate::{
    assert_exit, child, describe, finish, pg, schema, spawn_schema, stderr, stdout, wait_until,
};

#[test]
fn postgres_second_migrator_waits_for_the_lock_or_times_out_naming_the_holder() {
    crate::on_pg_driver(
        "postgres",
        postgres_second_migrator_waits_for_the_lock_or_times_out_naming_the_holder_on,
    );
}

/// The same with the async driver (`tokio-postgres`).
#[test]
fn postgres_second_migrator_waits_for_the_lock_or_times_out_naming_the_holder_async_driver() {
    crate::on_pg_driver(
        "tokio-postgres",
        postgres_second_migrator_waits_for_the_lock_or_times_out_naming_the_holder_on,
    );
}

/// The same with the async driver over an sqlx pool (`sqlx-postgres`).
#[test]
fn postgres_second_migrator_waits_for_the_lock_or_times_out_naming_the_holder_sqlx_driver() {
    crate::on_pg_driver(
        "sqlx-postgres",
        postgres_second_migrator_waits_for_the_lock_or_times_out_naming_the_holder_on,
    );
}

fn postgres_second_migrator_waits_for_the_lock_or_times_out_naming_the_holder_on() {
    let Some(server) = pg::server() else {
        return;
    };
    let db = server.create_database("migrate_lock");
    let tmp = tempfile::tempdir().expect("temp dir");
    let project = tmp.path().join("project");
    fixtures::write_project(&project);
    let mut client = db.connect();
    let url = |application: &str| format!("{}?application_name={application}", db.url());

    // The holder: applies up to V2, sleeping 6 s inside V2, holding the lock.
    db.set("schema_test.sleep", Some("6"));
    let holder_url = url("schema_test_holder");
    let to = V2.to_string();
    let mut holder = spawn_schema(
        &project,
        &["up", "--database-url", &holder_url, "--to", &to],
    );
    wait_until(
        "the holder sleeping inside a migration",
        Duration::from_secs(60),
        &mut holder,
        || pg::sleeping(&mut client, db.name()) == 1,
    );
    db.set("schema_test.sleep", None);
    let holders = pg::advisory_holders(&mut client, db.name());
    assert_eq!(holders.len(), 1, "one session holds the migrator lock");

    // A migrator that waits 1 s gives up, naming the holder.
    let started = Instant::now();
    let impatient = schema(
        &project,
        &[
            "up",
            "--database-url",
            &url("schema_test_impatient"),
            "--lock-timeout",
            "1",
        ],
    );
    let waited = started.elapsed();
    assert_exit(&impatient, 1);
    let err = stderr(&impatient);
    for needle in [
        format!("server process {}", holders[0]),
        "application `schema_test_holder`".to_string(),
        "for more than 1 s".to_string(),
    ] {
        assert!(
            err.contains(&needle),
            "the timeout names `{needle}`:\n{err}"
        );
    }
    assert!(waited >= Duration::from_secs(1), "it waited {waited:?}");
    assert!(
        pg::sleeping(&mut client, db.name()) == 1,
        "the holder still holds the lock (raise its sleep if this machine is this slow)"
    );

    // A patient migrator starts while the holder sleeps, waits, then applies
    // only what the holder left: V3.
    let waiter_url = url("schema_test_waiter");
    let mut waiter = spawn_schema(&project, &["up", "--database-url", &waiter_url]);
    wait_until(
        "the waiter's two sessions",
        Duration::from_secs(30),
        &mut waiter,
        || pg::sessions_named(&mut client, db.name(), "schema_test_waiter") == 2,
    );
    assert_eq!(
        pg::sleeping(&mut client, db.name()),
        1,
        "the waiter asked for the lock while the holder held it"
    );
    let holder = finish(holder);
    assert_exit(&holder, 0);
    assert_eq!(
        stdout(&holder).matches("applying ").count(),
        2,
        "{}",
        describe(&holder)
    );
    let waiter = finish(waiter);
    assert_exit(&waiter, 0);
    let out = stdout(&waiter);
    let applied: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("applying "))
        .filter_map(|l| l.split(' ').next())
        .collect();
    assert_eq!(
        applied,
        vec![DIR3],
        "the waiter ran after the holder finished:\n{}",
        describe(&waiter)
    );
    let log: Vec<(i64, i64)> = client
        .query(
            "SELECT version, count(*) FROM migration_log GROUP BY version ORDER BY version",
            &[],
        )
        .expect("read the migrations' log")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let once: Vec<(i64, i64)> = VERSIONS.iter().map(|v| (*v as i64, 1)).collect();
    assert_eq!(log, once);
}

#[test]
fn sqlite_second_migrator_waits_for_the_lock_row_or_times_out_naming_the_holder() {
    crate::on_sqlite_driver(
        "rusqlite",
        sqlite_second_migrator_waits_for_the_lock_row_or_times_out_naming_the_holder_on,
    );
}

/// The same with the children migrating over an sqlx pool (`SqlxSqliteDriver`).
#[test]
fn sqlite_second_migrator_waits_for_the_lock_row_or_times_out_naming_the_holder_sqlx_driver() {
    crate::on_sqlite_driver(
        "sqlx",
        sqlite_second_migrator_waits_for_the_lock_row_or_times_out_naming_the_holder_on,
    );
}

fn sqlite_second_migrator_waits_for_the_lock_row_or_times_out_naming_the_holder_on() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join("lock.db");
    let blocker_path = tmp.path().join("blocker.db");
    let blocker = Connection::open(&blocker_path).expect("create the blocker database");
    blocker
        .execute_batch("CREATE TABLE gate (id INTEGER); BEGIN IMMEDIATE;")
        .expect("hold the blocker's write lock");

    // The holder: its migration waits for the blocker's write lock, holding the
    // migrator lock.
    let marks = tmp.path().join("marks-holder");
    std::fs::create_dir(&marks).expect("marks dir");
    let mut c = child::sqlite_up(&path, "lock", Some(&marks));
    child::blocker(&mut c, &blocker_path);
    let mut holder = c.spawn().expect("start the holder");
    let holder_pid = holder.id();
    wait_until(
        "the holder inside its migration",
        Duration::from_secs(60),
        &mut holder,
        || marks.join("started-1").exists(),
    );

    // A migrator that waits 1 s gives up, naming the holder.
    let migrations = fixtures::sqlite_lock(&blocker_path);
    let impatient = Migrator::from_slice(&migrations).options(Options {
        lock_timeout: Duration::from_secs(1),
        ..Options::default()
    });
    let mut db = SqliteDriver::open(&path).expect("open the database");
    let started = Instant::now();
    let err = match impatient.up(&mut db) {
        Ok(report) => panic!("took the lock from a live holder: {report:?}"),
        Err(e) => e.to_string(),
    };
    let waited = started.elapsed();
    assert!(
        err.contains("another migrator (") && err.contains(&format!(":{holder_pid}:")),
        "the timeout names the holder, process {holder_pid}: {err}"
    );
    assert!(err.contains("for more than 1 s"), "{err}");
    assert!(waited >= Duration::from_secs(1), "it waited {waited:?}");

    // A patient migrator starts while the holder is blocked, and waits.
    let waiter_marks = tmp.path().join("marks-waiter");
    std::fs::create_dir(&waiter_marks).expect("marks dir");
    let mut c = child::sqlite_up(&path, "lock", Some(&waiter_marks));
    child::blocker(&mut c, &blocker_path);
    let mut waiter = c.spawn().expect("start the waiter");
    wait_until(
        "the waiter asking for the lock",
        Duration::from_secs(60),
        &mut waiter,
        || waiter_marks.join("opened").exists(),
    );
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        holder.try_wait().expect("poll").is_none() && waiter.try_wait().expect("poll").is_none(),
        "both wait while the blocker is held"
    );

    // Let the holder finish: it applies the migration, then the waiter finds it applied.
    blocker
        .execute_batch("ROLLBACK")
        .expect("release the blocker");
    let holder = finish(holder);
    assert_exit(&holder, 0);
    assert!(
        stdout(&holder).contains("applied-steps: 1"),
        "{}",
        describe(&holder)
    );
    let waiter = finish(waiter);
    assert_exit(&waiter, 0);
    assert!(
        stdout(&waiter).contains("applied-steps: 0"),
        "{}",
        describe(&waiter)
    );
    assert!(
        !waiter_marks.join("started-1").exists(),
        "the waiter never started the migration"
    );
    let gate: i64 = blocker
        .query_row("SELECT count(*) FROM gate", [], |r| r.get(0))
        .expect("read the gate");
    assert_eq!(gate, 1, "the migration ran once");
    let conn = Connection::open(&path).expect("open the database");
    let rows: Vec<(i64, String)> = conn
        .prepare("SELECT version, state FROM _schema_migrations")
        .expect("read the version table")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("read the version table")
        .collect::<Result<_, _>>()
        .expect("read the version table");
    assert_eq!(rows, vec![(1, "applied".to_string())]);
}
