//! 16 migrators start `up` on an empty database at the same moment, 20 rounds:
//! every process succeeds, every migration is applied exactly once (one row
//! each in the version table, one line each in the migrations' own log) and
//! no lock is left behind.

use std::process::{Child, Output};
use std::time::Instant;

use crate::child::{self, Barrier};
use crate::fixtures::{self, VERSIONS};
use crate::{describe, finish, pg, stdout};

const PROCESSES: usize = 16;
const ROUNDS: usize = 20;

/// Starts `PROCESSES` children built by `command` at once and gives their outputs.
fn stampede(
    barrier_dir: std::path::PathBuf,
    command: impl Fn() -> std::process::Command,
) -> Vec<Output> {
    let barrier = Barrier::new(barrier_dir, PROCESSES);
    let mut children: Vec<Child> = (0..PROCESSES)
        .map(|id| {
            let mut c = command();
            barrier.join(&mut c, id);
            c.spawn().expect("start a migrator")
        })
        .collect();
    barrier.release(&mut children);
    children.into_iter().map(finish).collect()
}

fn all(outputs: &[Output]) -> String {
    outputs
        .iter()
        .enumerate()
        .map(|(i, o)| format!("=== process {i}: {}", describe(o)))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn postgres_herd_of_16_cli_migrators_applies_each_migration_once() {
    crate::on_pg_driver(
        "postgres",
        postgres_herd_of_16_cli_migrators_applies_each_migration_once_on,
    );
}

/// The same with the async driver (`tokio-postgres`).
#[test]
fn postgres_herd_of_16_cli_migrators_applies_each_migration_once_async_driver() {
    crate::on_pg_driver(
        "tokio-postgres",
        postgres_herd_of_16_cli_migrators_applies_each_migration_once_on,
    );
}

/// The same with the async driver over an sqlx pool (`sqlx-postgres`).
#[test]
fn postgres_herd_of_16_cli_migrators_applies_each_migration_once_sqlx_driver() {
    crate::on_pg_driver(
        "sqlx-postgres",
        postgres_herd_of_16_cli_migrators_applies_each_migration_once_on,
    );
}

fn postgres_herd_of_16_cli_migrators_applies_each_migration_once_on() {
    let Some(server) = pg::server() else {
        return;
    };
    let db = server.create_database("migrate_herd");
    let tmp = tempfile::tempdir().expect("temp dir");
    let project = tmp.path().join("project");
    fixtures::write_project(&project);
    let url = db.url();
    let mut client = db.connect();
    let started = Instant::now();
    for round in 0..ROUNDS {
        client
            .batch_execute(
                "DROP SCHEMA public CASCADE; CREATE SCHEMA public;
                 COMMENT ON SCHEMA public IS 'standard public schema';",
            )
            .expect("empty the database");
        let outputs = stampede(tmp.path().join(format!("barrier-{round}")), || {
            child::exec_schema(&project, &["up", "--database-url", &url])
        });
        let all = all(&outputs);
        assert!(
            outputs.iter().all(|o| o.status.success()),
            "round {round}: a migrator failed:\n{all}"
        );
        let applied: usize = outputs
            .iter()
            .map(|o| stdout(o).matches("applying ").count())
            .sum();
        assert_eq!(
            applied,
            VERSIONS.len(),
            "round {round}: migrations applied in all:\n{all}"
        );
        let rows: Vec<(i64, String)> = client
            .query(
                "SELECT version, state FROM _schema_migrations ORDER BY version",
                &[],
            )
            .expect("read the version table")
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let expected: Vec<(i64, String)> = VERSIONS
            .iter()
            .map(|v| (*v as i64, "applied".to_string()))
            .collect();
        assert_eq!(rows, expected, "round {round}: the version table\n{all}");
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
        assert_eq!(log, once, "round {round}: each up.sql ran once\n{all}");
        assert_eq!(
            pg::advisory_holders(&mut client, db.name()),
            Vec::<i32>::new(),
            "round {round}: the migrator lock is released"
        );
    }
    eprintln!(
        "postgres herd: {ROUNDS} rounds of {PROCESSES} processes in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn sqlite_herd_of_16_migrators_on_one_new_file_applies_each_migration_once() {
    crate::on_sqlite_driver(
        "rusqlite",
        sqlite_herd_of_16_migrators_on_one_new_file_applies_each_migration_once_on,
    );
}

/// The same with the children migrating over an sqlx pool (`SqlxSqliteDriver`).
#[test]
fn sqlite_herd_of_16_migrators_on_one_new_file_applies_each_migration_once_sqlx_driver() {
    crate::on_sqlite_driver(
        "sqlx",
        sqlite_herd_of_16_migrators_on_one_new_file_applies_each_migration_once_on,
    );
}

fn sqlite_herd_of_16_migrators_on_one_new_file_applies_each_migration_once_on() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let migrations = fixtures::sqlite_herd().len();
    let started = Instant::now();
    for round in 0..ROUNDS {
        let path = tmp.path().join(format!("herd-{round}.db"));
        let outputs = stampede(tmp.path().join(format!("barrier-{round}")), || {
            child::sqlite_up(&path, "herd", None)
        });
        let all = all(&outputs);
        assert!(
            outputs.iter().all(|o| o.status.success()),
            "round {round}: a migrator failed:\n{all}"
        );
        let applied: usize = outputs
            .iter()
            .map(|o| {
                stdout(o)
                    .lines()
                    .find_map(|l| l.strip_prefix("applied-steps: "))
                    .and_then(|n| n.parse::<usize>().ok())
                    .expect("each child says how many it applied")
            })
            .sum();
        assert_eq!(
            applied, migrations,
            "round {round}: migrations applied in all:\n{all}"
        );
        let conn = rusqlite::Connection::open(&path).expect("open the database");
        let rows: Vec<(i64, String)> = conn
            .prepare("SELECT version, state FROM _schema_migrations ORDER BY version")
            .expect("read the version table")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("read the version table")
            .collect::<Result<_, _>>()
            .expect("read the version table");
        let expected: Vec<(i64, String)> = (1..=migrations as i64)
            .map(|v| (v, "applied".to_string()))
            .collect();
        assert_eq!(rows, expected, "round {round}: the version table\n{all}");
        let log: Vec<(i64, i64, String)> = conn
            .prepare(
                "SELECT version, count(*), group_concat(pid) FROM migration_log \
                 GROUP BY version ORDER BY version",
            )
            .expect("read the migrations' log")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("read the migrations' log")
            .collect::<Result<_, _>>()
            .expect("read the migrations' log");
        let counts: Vec<(i64, i64)> = log.iter().map(|(v, n, _)| (*v, *n)).collect();
        let once: Vec<(i64, i64)> = (1..=migrations as i64).map(|v| (v, 1)).collect();
        assert_eq!(
            counts, once,
            "round {round}: each script ran once (version, count, pids: {log:?})\n{all}"
        );
        let locks: i64 = conn
            .query_row("SELECT count(*) FROM _schema_migrations_lock", [], |r| {
                r.get(0)
            })
            .expect("read the lock table");
        assert_eq!(locks, 0, "round {round}: the lock row is released");
    }
    eprintln!(
        "sqlite herd: {ROUNDS} rounds of {PROCESSES} processes in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
