//! Nothing hangs: a port that accepts connections and never answers (the
//! PostgreSQL driver's own `connect_timeout` bounds only the TCP connect, not
//! the startup handshake) fails within the connect timeout, naming host:port;
//! a table lock another session holds fails `up` after `--lock-timeout`,
//! naming that session, with the migration unrecorded.

use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use crate::{
    assert_exit, one_table_project, pg, run_bounded, schema, schema_cmd, stderr, write_project,
};

/// A port on 127.0.0.1 that accepts every connection and never writes a byte
/// (the accepted sockets stay open until the test process ends).
fn silent_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a port");
    let port = listener.local_addr().expect("the port").port();
    std::thread::spawn(move || {
        let mut held: Vec<TcpStream> = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    port
}

/// Slack on top of a timeout for a loaded machine to start and end the binary.
const SLACK: Duration = Duration::from_secs(20);

#[test]
fn a_port_that_never_answers_fails_within_the_connect_timeout() {
    crate::on_pg_driver(
        "postgres",
        a_port_that_never_answers_fails_within_the_connect_timeout_on,
    );
}

/// The same with the async driver (`tokio-postgres`).
#[test]
fn a_port_that_never_answers_fails_within_the_connect_timeout_async_driver() {
    crate::on_pg_driver(
        "tokio-postgres",
        a_port_that_never_answers_fails_within_the_connect_timeout_on,
    );
}

/// The same with the async driver over an sqlx pool (`sqlx-postgres`).
#[test]
fn a_port_that_never_answers_fails_within_the_connect_timeout_sqlx_driver() {
    crate::on_pg_driver(
        "sqlx-postgres",
        a_port_that_never_answers_fails_within_the_connect_timeout_on,
    );
}

fn a_port_that_never_answers_fails_within_the_connect_timeout_on() {
    let tmp = tempfile::tempdir().expect("temp dir");
    one_table_project(tmp.path());
    let port = silent_port();
    let at = format!("127.0.0.1:{port}");
    let url = format!("postgres://postgres@{at}/app");
    let run = |what: &str, args: &[&str], env: Option<&str>, timeout: u64| {
        let mut c = schema_cmd(tmp.path(), args);
        c.env_remove("SCHEMA_CONNECT_TIMEOUT");
        if let Some(v) = env {
            c.env("SCHEMA_CONNECT_TIMEOUT", v);
        }
        let out = run_bounded(what, c, Duration::from_secs(timeout) + SLACK);
        assert_exit(&out, 1);
        let err = stderr(&out);
        for needle in [
            at.clone(),
            format!("within the connect timeout of {timeout} s"),
        ] {
            assert!(err.contains(&needle), "{what}: names `{needle}`:\n{err}");
        }
    };
    // The flag.
    run(
        "status --connect-timeout 2",
        &["status", "--database-url", &url, "--connect-timeout", "2"],
        None,
        2,
    );
    // `connect_timeout` in the URL wins over the flag (600 s would outlast the deadline).
    let in_url = format!("{url}?connect_timeout=1");
    run(
        "up with connect_timeout=1 in the URL",
        &["up", "--database-url", &in_url, "--connect-timeout", "600"],
        None,
        1,
    );
    // `diff` reads the environment variable.
    run(
        "diff with SCHEMA_CONNECT_TIMEOUT=1",
        &["diff", "--from", &url, "--to", "schema.sql"],
        Some("1"),
        1,
    );
    // The default: 10 s.
    run(
        "verify with the default timeout",
        &["verify", "--database-url", &url],
        None,
        10,
    );
}

#[test]
fn postgres_table_lock_held_by_another_session_fails_up_after_the_lock_timeout() {
    crate::on_pg_driver(
        "postgres",
        postgres_table_lock_held_by_another_session_fails_up_after_the_lock_timeout_on,
    );
}

/// The same with the async driver (`tokio-postgres`).
#[test]
fn postgres_table_lock_held_by_another_session_fails_up_after_the_lock_timeout_async_driver() {
    crate::on_pg_driver(
        "tokio-postgres",
        postgres_table_lock_held_by_another_session_fails_up_after_the_lock_timeout_on,
    );
}

/// The same with the async driver over an sqlx pool (`sqlx-postgres`).
#[test]
fn postgres_table_lock_held_by_another_session_fails_up_after_the_lock_timeout_sqlx_driver() {
    crate::on_pg_driver(
        "sqlx-postgres",
        postgres_table_lock_held_by_another_session_fails_up_after_the_lock_timeout_on,
    );
}

fn postgres_table_lock_held_by_another_session_fails_up_after_the_lock_timeout_on() {
    let Some(server) = pg::server() else {
        return;
    };
    let db = server.create_database("migrate_table_lock");
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    const V1: &str = "20240101000001";
    const V2: &str = "20240101000002";
    let v2_up = "ALTER TABLE t ADD COLUMN y integer;\nCREATE INDEX t_y_idx ON t (y);\n";
    write_project(
        dir,
        "CREATE TABLE t (id integer PRIMARY KEY, y integer);\nCREATE INDEX t_y_idx ON t (y);\n",
        &[
            (
                &format!("{V1}_t"),
                "CREATE TABLE t (id integer PRIMARY KEY);\n",
                "DROP TABLE t;\n",
            ),
            (
                &format!("{V2}_t_y"),
                v2_up,
                "DROP INDEX t_y_idx;\nALTER TABLE t DROP COLUMN y;\n",
            ),
        ],
    );
    let url = db.url();
    assert_exit(&schema(dir, &["up", "--database-url", &url, "--to", V1]), 0);

    // Another session holds `t` in an open transaction.
    let mut blocker = db.connect();
    let blocker_pid: i32 = blocker
        .query_one("SELECT pg_backend_pid()", &[])
        .expect("the blocker's pid")
        .get(0);
    blocker
        .batch_execute(
            "SET application_name = 'schema_test_blocker'; BEGIN; \
             LOCK TABLE t IN ACCESS EXCLUSIVE MODE;",
        )
        .expect("lock t");

    let out = run_bounded(
        "up while t is locked",
        schema_cmd(dir, &["up", "--database-url", &url, "--lock-timeout", "2"]),
        Duration::from_secs(2) + SLACK,
    );
    assert_exit(&out, 1);
    let err = stderr(&out);
    for needle in [
        "canceling statement due to lock timeout".to_string(),
        "waited more than 2 s".to_string(),
        format!("server process {blocker_pid}"),
        "application `schema_test_blocker`".to_string(),
        "idle in transaction".to_string(),
        "LOCK TABLE t IN ACCESS EXCLUSIVE MODE".to_string(),
        format!("pg_terminate_backend({blocker_pid})"),
        "statement 1 of 2".to_string(),
        "ALTER TABLE t ADD COLUMN y integer".to_string(),
    ] {
        assert!(err.contains(&needle), "the error names `{needle}`:\n{err}");
    }

    // Nothing of V2 is left: no row, no column.
    let mut client = db.connect();
    let recorded: i64 = client
        .query_one(
            "SELECT count(*) FROM _schema_migrations WHERE version = $1",
            &[&V2.parse::<i64>().expect("a version")],
        )
        .expect("read the version table")
        .get(0);
    blocker.batch_execute("ROLLBACK").expect("release t");
    assert_eq!(recorded, 0, "the timed-out migration is not recorded");
    let columns: i64 = client
        .query_one(
            "SELECT count(*) FROM information_schema.columns \
             WHERE table_name = 't' AND column_name = 'y'",
            &[],
        )
        .expect("read the columns")
        .get(0);
    assert_eq!(columns, 0, "the timed-out migration left nothing");

    // Once the lock is gone, the same command applies it.
    let again = schema(dir, &["up", "--database-url", &url, "--lock-timeout", "2"]);
    assert_exit(&again, 0);
    assert_exit(&schema(dir, &["verify", "--database-url", &url]), 0);
}

#[test]
fn sqlite_write_lock_held_by_another_connection_fails_up_after_the_lock_timeout() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    one_table_project(dir);
    let path = dir.join("app.db");
    let holder = rusqlite::Connection::open(&path).expect("create the database");
    holder
        .execute_batch("CREATE TABLE other (id INTEGER); BEGIN IMMEDIATE;")
        .expect("hold the write lock");
    let url = format!("sqlite://{}", path.display());
    let out = run_bounded(
        "up while the file is locked",
        schema_cmd(dir, &["up", "--database-url", &url, "--lock-timeout", "1"]),
        Duration::from_secs(1) + SLACK,
    );
    assert_exit(&out, 1);
    let err = stderr(&out);
    for needle in [
        "held the database file's lock for more than 1 s",
        "SQLite does not say which connection",
        "--lock-timeout",
    ] {
        assert!(err.contains(needle), "the error says `{needle}`:\n{err}");
    }
    holder.execute_batch("ROLLBACK").expect("release the lock");
    assert_exit(&schema(dir, &["up", "--database-url", &url]), 0);
}
