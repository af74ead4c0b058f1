//! A migrator SIGKILLed in the middle of a migration.
//!
//! In a transaction: afterwards there is no row for it and nothing of it (a
//! table its script created before the kill does not exist), and the next
//! `up` completes. Outside a transaction (`-- schema: no-transaction`):
//! `status` names it interrupted, `up` refuses and says how to recover
//! (`schema resolve`), and once it is resolved (`--rolled-back` after undoing
//! it by hand, or `--applied` after finishing it) `up` completes.

use std::path::Path;
use std::time::{Duration, Instant};

use postgres::Client;
use rusqlite::Connection;
use schema_runtime::driver::RowState;
use schema_runtime::driver::sqlite::SqliteDriver;
use schema_runtime::{MigrateError, Migrator, Options, Resolution, State};

use crate::fixtures::{self, DIR2, DIR3, FOREVER, V1, V2, V3};
use crate::{assert_exit, kill, pg, schema, spawn_schema, stderr, stdout, wait_until};

/// `(version, state)` of every row of the version table.
fn pg_rows(client: &mut Client) -> Vec<(u64, String)> {
    client
        .query(
            "SELECT version, state FROM _schema_migrations ORDER BY version",
            &[],
        )
        .expect("read the version table")
        .iter()
        .map(|r| (r.get::<_, i64>(0) as u64, r.get(1)))
        .collect()
}

fn applied(versions: &[u64]) -> Vec<(u64, String)> {
    versions
        .iter()
        .map(|v| (*v, "applied".to_string()))
        .collect()
}

fn pg_exists(client: &mut Client, relation: &str) -> bool {
    client
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&relation])
        .expect("look up a relation")
        .get(0)
}

fn pg_log(client: &mut Client) -> Vec<(u64, i64)> {
    client
        .query(
            "SELECT version, count(*) FROM migration_log GROUP BY version ORDER BY version",
            &[],
        )
        .expect("read the migrations' log")
        .iter()
        .map(|r| (r.get::<_, i64>(0) as u64, r.get(1)))
        .collect()
}

/// Starts `schema up`, waits until it sleeps inside the migration, SIGKILLs it
/// and waits until its server sessions are gone.
fn kill_while_sleeping(project: &Path, db: &pg::TestDatabase, client: &mut Client, what: &str) {
    db.set("schema_test.sleep", Some("30"));
    let url = db.url();
    let mut child = spawn_schema(project, &["up", "--database-url", &url]);
    wait_until(
        &format!("`schema up` sleeping inside {what}"),
        Duration::from_secs(60),
        &mut child,
        || pg::sleeping(client, db.name()) == 1,
    );
    kill(child);
    pg::wait_for_sessions_to_end(client, db.name());
    db.set("schema_test.sleep", None);
}

#[test]
fn postgres_migrator_killed_mid_migration_leaves_nothing_or_an_interrupted_row() {
    crate::on_pg_driver(
        "postgres",
        postgres_migrator_killed_mid_migration_leaves_nothing_or_an_interrupted_row_on,
    );
}

/// The same with the async driver (`tokio-postgres`).
#[test]
fn postgres_migrator_killed_mid_migration_leaves_nothing_or_an_interrupted_row_async_driver() {
    crate::on_pg_driver(
        "tokio-postgres",
        postgres_migrator_killed_mid_migration_leaves_nothing_or_an_interrupted_row_on,
    );
}

/// The same with the async driver over an sqlx pool (`sqlx-postgres`).
#[test]
fn postgres_migrator_killed_mid_migration_leaves_nothing_or_an_interrupted_row_sqlx_driver() {
    crate::on_pg_driver(
        "sqlx-postgres",
        postgres_migrator_killed_mid_migration_leaves_nothing_or_an_interrupted_row_on,
    );
}

fn postgres_migrator_killed_mid_migration_leaves_nothing_or_an_interrupted_row_on() {
    let Some(server) = pg::server() else {
        return;
    };
    let db = server.create_database("migrate_crash");
    // A server process whose client died notices it even inside pg_sleep
    // (PostgreSQL 14+; older servers' are terminated after 5 s instead).
    if let Err(e) = db.try_set("client_connection_check_interval", Some("100")) {
        eprintln!("note: {e}");
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let project = tmp.path().join("project");
    fixtures::write_project(&project);
    let url = db.url();
    let mut client = db.connect();
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--database-url", &url]);
        schema(&project, &all)
    };

    // Killed inside V2's transaction, after its CREATE TABLE ran.
    kill_while_sleeping(&project, &db, &mut client, "V2's transaction");
    assert_eq!(pg_rows(&mut client), applied(&[V1]), "no row for V2");
    assert!(
        !pg_exists(&mut client, "crash_partial"),
        "the table V2 created before the kill is rolled back"
    );
    assert_eq!(pg_log(&mut client), vec![(V1, 1)]);
    let out = run(&["verify"]);
    assert_exit(&out, 4); // behind, not drifted
    assert!(
        stderr(&out).contains(&format!(
            "the live schema matches the migrated schema at version {V1}"
        )),
        "introspection finds nothing of V2: {}",
        stderr(&out)
    );
    assert_eq!(
        pg::advisory_holders(&mut client, db.name()),
        Vec::<i32>::new(),
        "the killed migrator's lock went with its connection"
    );
    let out = run(&["status"]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("1 applied, 2 pending"),
        "{}",
        stdout(&out)
    );
    let out = run(&["up", "--to", &V2.to_string()]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains(&format!("applying {DIR2} ... ok")),
        "{}",
        stdout(&out)
    );
    assert_eq!(pg_rows(&mut client), applied(&[V1, V2]));
    assert!(pg_exists(&mut client, "crash_partial"));

    // Killed in V3 (no transaction), after CREATE INDEX CONCURRENTLY committed.
    kill_while_sleeping(&project, &db, &mut client, "V3 (no-transaction)");
    assert_eq!(
        pg_rows(&mut client),
        vec![
            (V1, "applied".to_string()),
            (V2, "applied".to_string()),
            (V3, "applying".to_string())
        ]
    );
    let valid: bool = client
        .query_one(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = 't_x_idx'::regclass",
            &[],
        )
        .expect("the index V3 built before the kill")
        .get(0);
    assert!(valid, "the concurrently built index is complete");
    let out = run(&["status"]);
    assert_exit(&out, 0);
    let status = stdout(&out);
    let line = status
        .lines()
        .find(|l| l.contains(&V3.to_string()))
        .unwrap_or_else(|| panic!("status lists {V3}:\n{status}"));
    assert!(line.contains("interrupted"), "{status}");
    assert!(
        status.contains(&format!("schema resolve {V3} --applied")),
        "status says how to recover:\n{status}"
    );
    let out = run(&["up"]);
    assert_exit(&out, 1);
    let err = stderr(&out);
    for needle in [
        format!("migration {V3} (concurrent_index)"),
        "interrupted".to_string(),
        format!("migrations/{DIR3}/up.sql"),
        format!("schema resolve {V3} --applied"),
        format!("schema resolve {V3} --rolled-back"),
    ] {
        assert!(
            err.contains(&needle),
            "`up` refuses naming `{needle}`:\n{err}"
        );
    }
    assert_eq!(pg_rows(&mut client).len(), 3, "the refusal changed nothing");

    // Undo by hand, resolve --rolled-back: `up` applies V3 again.
    client
        .batch_execute("DROP INDEX t_x_idx")
        .expect("undo V3 by hand");
    let out = run(&["resolve", &V3.to_string(), "--rolled-back"]);
    assert_exit(&out, 0);
    assert_eq!(pg_rows(&mut client), applied(&[V1, V2]));
    let out = run(&["up"]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains(&format!("applying {DIR3} ... ok")),
        "{}",
        stdout(&out)
    );
    assert_eq!(pg_rows(&mut client), applied(&[V1, V2, V3]));
    assert!(pg_exists(&mut client, "t_x_idx"));

    // Revert it, kill it again, finish it by hand, resolve --applied.
    assert_exit(&run(&["down"]), 0);
    assert!(!pg_exists(&mut client, "t_x_idx"));
    kill_while_sleeping(&project, &db, &mut client, "V3 again");
    client
        .batch_execute(&format!(
            "INSERT INTO migration_log (version, backend) VALUES ({V3}, pg_backend_pid())"
        ))
        .expect("finish V3 by hand: its statement after the sleep");
    let out = run(&["resolve", &V3.to_string(), "--applied"]);
    assert_exit(&out, 0);
    let out = run(&["up"]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("nothing to do"), "{}", stdout(&out));
    assert_eq!(pg_rows(&mut client), applied(&[V1, V2, V3]));
    let out = run(&["status"]);
    assert!(
        stdout(&out).contains("3 applied, 0 pending"),
        "{}",
        stdout(&out)
    );
    assert!(!stdout(&out).contains("interrupted"), "{}", stdout(&out));
    assert_exit(&run(&["verify"]), 0);
    // V2's up.sql ran to its end once (the killed run never reached its log
    // line); V3's twice: the resolved-away run, and the one finished by hand.
    assert_eq!(pg_log(&mut client), vec![(V1, 1), (V2, 1), (V3, 2)]);
}

fn sqlite_rows(path: &Path) -> Vec<(u64, String)> {
    let conn = Connection::open(path).expect("open the database");
    conn.prepare("SELECT version, state FROM _schema_migrations ORDER BY version")
        .expect("read the version table")
        .query_map([], |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)))
        .expect("read the version table")
        .collect::<Result<_, _>>()
        .expect("read the version table")
}

fn sqlite_has_table(path: &Path, name: &str) -> bool {
    let conn = Connection::open(path).expect("open the database");
    conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
        [name],
        |r| r.get::<_, i64>(0),
    )
    .expect("read sqlite_schema")
        > 0
}

fn sqlite_lock_holder(path: &Path) -> Option<String> {
    let conn = Connection::open(path).expect("open the database");
    conn.query_row("SELECT holder FROM _schema_migrations_lock", [], |r| {
        r.get(0)
    })
    .ok()
}

fn set_slowness(path: &Path, n: i64) {
    Connection::open(path)
        .expect("open the database")
        .execute("UPDATE crash_control SET n = ?1", [n])
        .expect("set crash_control.n");
}

#[test]
fn sqlite_migrator_killed_mid_migration_leaves_nothing_or_an_interrupted_row() {
    crate::on_sqlite_driver(
        "rusqlite",
        sqlite_migrator_killed_mid_migration_leaves_nothing_or_an_interrupted_row_on,
    );
}

/// The same with the children migrating over an sqlx pool (`SqlxSqliteDriver`).
#[test]
fn sqlite_migrator_killed_mid_migration_leaves_nothing_or_an_interrupted_row_sqlx_driver() {
    crate::on_sqlite_driver(
        "sqlx",
        sqlite_migrator_killed_mid_migration_leaves_nothing_or_an_interrupted_row_on,
    );
}

fn sqlite_migrator_killed_mid_migration_leaves_nothing_or_an_interrupted_row_on() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join("crash.db");
    let journal = tmp.path().join("crash.db-journal");
    Connection::open(&path)
        .expect("create the database")
        .execute_batch("CREATE TABLE crash_control (n INTEGER NOT NULL); INSERT INTO crash_control VALUES (1);")
        .expect("create crash_control");
    set_slowness(&path, FOREVER);
    let migrations = fixtures::sqlite_crash();
    let options = Options {
        lock_timeout: Duration::from_secs(10),
        ..Options::default()
    };
    let migrator = Migrator::from_slice(&migrations).options(options);

    // Killed inside migration 2's transaction, after its CREATE TABLE wrote
    // (the rollback journal exists from the transaction's first write).
    let marks = tmp.path().join("marks-1");
    std::fs::create_dir(&marks).expect("marks dir");
    let mut child = crate::child::sqlite_up(&path, "crash", Some(&marks))
        .spawn()
        .expect("start the migrator");
    let pid = child.id();
    wait_until(
        "migration 2 writing in its transaction",
        Duration::from_secs(60),
        &mut child,
        || marks.join("started-2").exists() && journal.exists(),
    );
    std::thread::sleep(Duration::from_millis(200));
    kill(child);
    assert!(journal.exists(), "the kill left a hot journal");
    assert_eq!(sqlite_rows(&path), applied(&[1]), "no row for migration 2");
    assert!(
        !sqlite_has_table(&path, "partial"),
        "the table migration 2 created before the kill is rolled back"
    );
    let holder = sqlite_lock_holder(&path).expect("the killed migrator's lock row is left");
    assert!(
        holder.contains(&format!(":{pid}:")),
        "the lock row names the killed process {pid}: {holder}"
    );
    // The next `up` takes the dead process's lock over and completes.
    set_slowness(&path, 1);
    let mut db = SqliteDriver::open(&path).expect("open the database");
    let started = Instant::now();
    let report = migrator
        .up_to(&mut db, Some(2))
        .unwrap_or_else(|e| panic!("the next up: {e}"));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the stale lock was taken over at once, not waited for"
    );
    let steps: Vec<u64> = report.steps.iter().map(|s| s.version).collect();
    assert_eq!(steps, vec![2]);
    assert_eq!(sqlite_rows(&path), applied(&[1, 2]));
    assert!(sqlite_has_table(&path, "partial"));
    assert_eq!(sqlite_lock_holder(&path), None, "the lock row is released");

    // Killed in migration 3 (no transaction), after its CREATE TABLE committed.
    set_slowness(&path, FOREVER);
    let marks = tmp.path().join("marks-2");
    std::fs::create_dir(&marks).expect("marks dir");
    let mut child = crate::child::sqlite_up(&path, "crash", Some(&marks))
        .spawn()
        .expect("start the migrator");
    wait_until(
        "migration 3's first statement",
        Duration::from_secs(60),
        &mut child,
        || marks.join("started-3").exists() && sqlite_has_table(&path, "nt"),
    );
    std::thread::sleep(Duration::from_millis(200));
    kill(child);
    assert_eq!(
        sqlite_rows(&path),
        vec![
            (1, "applied".to_string()),
            (2, "applied".to_string()),
            (3, "applying".to_string())
        ]
    );
    let status = migrator.status(&mut db).expect("status");
    let entry = status
        .entries
        .iter()
        .find(|e| e.version == 3)
        .expect("status lists migration 3");
    assert_eq!(entry.state, State::Interrupted(RowState::Applying));
    assert!(status.to_string().contains("interrupted"), "{status}");
    set_slowness(&path, 1);
    match migrator.up(&mut db) {
        Err(e @ MigrateError::Interrupted { version: 3, .. }) => {
            let text = e.to_string();
            assert!(
                text.contains("schema resolve 3 --applied")
                    && text.contains("schema resolve 3 --rolled-back"),
                "{text}"
            );
        }
        other => panic!("up must refuse an interrupted migration, got {other:?}"),
    }
    assert!(sqlite_has_table(&path, "nt"), "its first statement stays");
    // Undo by hand, resolve as rolled back, `up` applies it again.
    Connection::open(&path)
        .expect("open the database")
        .execute_batch("DROP TABLE nt")
        .expect("undo migration 3 by hand");
    migrator
        .resolve(&mut db, 3, Resolution::RolledBack)
        .unwrap_or_else(|e| panic!("resolve: {e}"));
    assert_eq!(sqlite_rows(&path), applied(&[1, 2]));
    let report = migrator
        .up(&mut db)
        .unwrap_or_else(|e| panic!("up after resolve: {e}"));
    let steps: Vec<u64> = report.steps.iter().map(|s| s.version).collect();
    assert_eq!(steps, vec![3]);
    assert_eq!(sqlite_rows(&path), applied(&[1, 2, 3]));
    assert!(sqlite_has_table(&path, "nt"));
    assert!(migrator.status(&mut db).expect("status").is_up_to_date());
}
