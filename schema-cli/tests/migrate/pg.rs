//! A PostgreSQL server for the process tests: connect (or skip), throwaway
//! databases dropped when the test ends, and what the tests watch on the server.
//!
//! Same rule as the workspace's `tests/support/pg.rs`: the server is
//! `SCHEMA_TEST_PG_URL` (a URL or `key=value` string), by default
//! `host=127.0.0.1 user=postgres dbname=test`; when it cannot be reached a test
//! prints why and passes, unless `SCHEMA_TEST_REQUIRE_DB=1`, which makes it fail.
//! Unlike that helper, a database here also has a `postgres://` URL, which is
//! what the `schema` binary takes.

use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use postgres::config::Host;
use postgres::{Client, Config, NoTls};

/// The connection string used when `SCHEMA_TEST_PG_URL` is not set.
const DEFAULT_URL: &str = "host=127.0.0.1 user=postgres dbname=test";

/// A reachable server.
pub(crate) struct Server {
    config: Config,
}

/// The server to test against, or `None` (after saying so) when it is not
/// reachable and not required.
pub(crate) fn server() -> Option<Server> {
    let url = std::env::var("SCHEMA_TEST_PG_URL").unwrap_or_else(|_| DEFAULT_URL.to_string());
    let config = match Config::from_str(&url) {
        Ok(config) => config,
        Err(e) => panic!("SCHEMA_TEST_PG_URL is not a PostgreSQL connection string: {e}"),
    };
    match config.connect(NoTls) {
        Ok(_) => Some(Server { config }),
        Err(e) => {
            let required = std::env::var("SCHEMA_TEST_REQUIRE_DB").is_ok_and(|v| v == "1");
            assert!(
                !required,
                "PostgreSQL not reachable at `{url}`: {e} (SCHEMA_TEST_REQUIRE_DB=1 requires it)"
            );
            eprintln!("skipping: PostgreSQL not reachable at `{url}`: {e}");
            None
        }
    }
}

impl Server {
    /// A fresh, empty database `<prefix>_<pid>_<n>`, dropped with the guard.
    pub(crate) fn create_database(&self, prefix: &str) -> TestDatabase {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let name = format!("{prefix}_{}_{n}", std::process::id());
        let mut admin = connect(&self.config);
        drop_database(&mut admin, &name);
        if let Err(e) = admin.batch_execute(&format!("CREATE DATABASE \"{name}\"")) {
            panic!("cannot create test database `{name}`: {e}");
        }
        TestDatabase {
            admin: self.config.clone(),
            name,
        }
    }
}

fn connect(config: &Config) -> Client {
    match config.connect(NoTls) {
        Ok(client) => client,
        Err(e) => panic!("cannot connect to PostgreSQL: {e}"),
    }
}

/// A database that exists for one test; dropping the guard drops it (with
/// whatever sessions a killed migrator left).
pub(crate) struct TestDatabase {
    admin: Config,
    name: String,
}

impl TestDatabase {
    /// The database's name.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// A new connection to this database.
    pub(crate) fn connect(&self) -> Client {
        let mut config = self.admin.clone();
        config.dbname(&self.name);
        connect(&config)
    }

    /// The database as a `postgres://` URL (the form `--database-url` takes).
    pub(crate) fn url(&self) -> String {
        let host = match self.admin.get_hosts().first() {
            Some(Host::Tcp(name)) => encode(name.as_bytes()),
            Some(Host::Unix(path)) => encode(path.to_string_lossy().as_bytes()),
            None => "localhost".to_string(),
        };
        let port = self.admin.get_ports().first().copied().unwrap_or(5432);
        let mut user = encode(self.admin.get_user().unwrap_or("postgres").as_bytes());
        if let Some(password) = self.admin.get_password() {
            user = format!("{user}:{}", encode(password));
        }
        format!(
            "postgres://{user}@{host}:{port}/{}",
            encode(self.name.as_bytes())
        )
    }

    /// `ALTER DATABASE ... SET name = value` (new sessions see it), or `RESET`
    /// with `None`.
    pub(crate) fn set(&self, name: &str, value: Option<&str>) {
        if let Err(e) = self.try_set(name, value) {
            panic!("{e}");
        }
    }

    /// [`TestDatabase::set`], giving the server's refusal back.
    pub(crate) fn try_set(&self, name: &str, value: Option<&str>) -> Result<(), String> {
        let sql = match value {
            Some(v) => format!("ALTER DATABASE \"{}\" SET {name} = '{v}'", self.name),
            None => format!("ALTER DATABASE \"{}\" RESET {name}", self.name),
        };
        connect(&self.admin)
            .batch_execute(&sql)
            .map_err(|e| format!("`{sql}` failed: {e}"))
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match self.admin.connect(NoTls) {
            Ok(mut admin) => drop_database(&mut admin, &self.name),
            Err(e) => eprintln!("cannot drop test database `{}`: {e}", self.name),
        }
    }
}

fn drop_database(admin: &mut Client, name: &str) {
    if let Err(e) = admin.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
    {
        eprintln!("cannot drop test database `{name}`: {e}");
    }
}

/// Percent-encodes everything but unreserved URL characters.
fn encode(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The client sessions on database `db` other than `client`'s own.
const OTHERS: &str = "FROM pg_stat_activity \
     WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'";

/// How many sessions other than `client` are connected to `db`.
pub(crate) fn sessions(client: &mut Client, db: &str) -> i64 {
    query_i64(client, &format!("SELECT count(*) {OTHERS}"), db)
}

/// How many sessions of `db` run a `pg_sleep` right now.
pub(crate) fn sleeping(client: &mut Client, db: &str) -> i64 {
    query_i64(
        client,
        &format!("SELECT count(*) {OTHERS} AND state = 'active' AND query LIKE '%pg_sleep(%'"),
        db,
    )
}

/// How many sessions of `db` were opened with `application_name`.
pub(crate) fn sessions_named(client: &mut Client, db: &str, application_name: &str) -> i64 {
    match client.query_one(
        &format!("SELECT count(*) {OTHERS} AND application_name = $2"),
        &[&db, &application_name],
    ) {
        Ok(row) => row.get(0),
        Err(e) => panic!("reading pg_stat_activity: {e}"),
    }
}

/// The server process ids holding an advisory lock in `db`.
pub(crate) fn advisory_holders(client: &mut Client, db: &str) -> Vec<i32> {
    match client.query(
        "SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database \
         WHERE l.locktype = 'advisory' AND l.granted AND d.datname = $1",
        &[&db],
    ) {
        Ok(rows) => rows.iter().map(|r| r.get(0)).collect(),
        Err(e) => panic!("reading pg_locks: {e}"),
    }
}

fn query_i64(client: &mut Client, sql: &str, db: &str) -> i64 {
    match client.query_one(sql, &[&db]) {
        Ok(row) => row.get(0),
        Err(e) => panic!("`{sql}` failed: {e}"),
    }
}

/// Waits until no session but `client`'s is left on `db`: after a migrator is
/// killed, its server processes roll back and go (the test databases set
/// `client_connection_check_interval`, so even one sleeping in `pg_sleep`
/// notices its client is gone); any still there after 5 s are terminated.
pub(crate) fn wait_for_sessions_to_end(client: &mut Client, db: &str) {
    let started = Instant::now();
    let mut terminated = false;
    while sessions(client, db) > 0 {
        if !terminated && started.elapsed() > Duration::from_secs(5) {
            eprintln!("note: terminating the sessions a killed migrator left on `{db}`");
            if let Err(e) = client.execute(
                &format!("SELECT pg_terminate_backend(pid) {OTHERS}"),
                &[&db],
            ) {
                panic!("cannot terminate the sessions left on `{db}`: {e}");
            }
            terminated = true;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the sessions of a killed migrator are still on `{db}` after 30 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
