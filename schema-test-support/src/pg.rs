//! A PostgreSQL server for tests: connect (or skip), throwaway databases that
//! are dropped when the test ends, passing or failing, and what the tests
//! watch on the server (sessions, advisory locks, catalog facts).
//!
//! The server is `SCHEMA_TEST_PG_URL` (a URL or `key=value` string), by default
//! `host=127.0.0.1 user=postgres dbname=test`. When it cannot be reached a test
//! prints why and passes, unless `SCHEMA_TEST_REQUIRE_DB=1`, which makes it fail.

use std::fmt::Write as _;
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use postgres::config::Host;
use postgres::{Client, Config, NoTls};

/// The connection string used when `SCHEMA_TEST_PG_URL` is not set.
pub const DEFAULT_URL: &str = "host=127.0.0.1 user=postgres dbname=test";

/// A reachable server, through its administrative connection string.
pub struct Server {
    config: Config,
}

/// The server to test against, or `None` (after saying so) when it is not
/// reachable and not required.
///
/// # Panics
/// When the server is unreachable and `SCHEMA_TEST_REQUIRE_DB=1`, or the URL is malformed.
pub fn server() -> Option<Server> {
    let url = std::env::var("SCHEMA_TEST_PG_URL").unwrap_or_else(|_| DEFAULT_URL.to_string());
    let config = match Config::from_str(&url) {
        Ok(config) => config,
        Err(e) => panic!("SCHEMA_TEST_PG_URL is not a PostgreSQL connection string: {e}"),
    };
    match config.connect(NoTls) {
        Ok(mut client) => {
            create_test_roles(&mut client);
            Some(Server { config })
        }
        Err(e) => {
            let e = error_chain(&e);
            let url = describe(&config);
            let required = std::env::var("SCHEMA_TEST_REQUIRE_DB").is_ok_and(|v| v == "1");
            assert!(
                !required,
                "PostgreSQL not reachable at {url}: {e} (SCHEMA_TEST_REQUIRE_DB=1 requires it)"
            );
            eprintln!("skipping: PostgreSQL not reachable at {url}: {e}");
            None
        }
    }
}

/// The roles fixtures grant privileges to and hand objects over to. Roles
/// belong to the whole server, so they are created once, with no rights and
/// no login, and left for the next run.
pub const TEST_ROLES: &[&str] = &[
    "schema_test_reader",
    "schema_test_writer",
    "schema_test_admin",
];

/// Creates each of [`TEST_ROLES`] that does not exist yet (tests running at
/// once may race to create one: whoever loses finds it there).
fn create_test_roles(client: &mut Client) {
    for role in TEST_ROLES {
        let sql = format!(
            "DO $$ BEGIN CREATE ROLE {role} NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        );
        if let Err(e) = client.batch_execute(&sql) {
            panic!("cannot create the test role `{role}`: {e}");
        }
    }
}

impl Server {
    /// Creates a fresh, empty database `<prefix>_<pid>_<n>`, dropped when the
    /// returned guard goes out of scope.
    ///
    /// # Panics
    /// When the database cannot be created.
    pub fn create_database(&self, prefix: &str) -> TestDatabase {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let name = format!("{prefix}_{}_{n}", std::process::id());
        let mut admin = self.admin();
        // A database left behind by a crashed run of the same pid and number.
        drop_database(&mut admin, &name);
        if let Err(e) = admin.batch_execute(&format!("CREATE DATABASE \"{name}\"")) {
            panic!("cannot create test database `{name}`: {e}");
        }
        TestDatabase {
            admin: self.config.clone(),
            name,
        }
    }

    fn admin(&self) -> Client {
        connect(&self.config)
    }
}

fn connect(config: &Config) -> Client {
    match config.connect(NoTls) {
        Ok(client) => client,
        Err(e) => panic!("cannot connect to PostgreSQL: {e}"),
    }
}

/// A database that exists for one test; dropping the guard drops the database.
pub struct TestDatabase {
    admin: Config,
    name: String,
}

impl TestDatabase {
    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// This database as a `postgres://` URL (what `DATABASE_URL` and
    /// `--database-url` take), its parts percent-encoded.
    pub fn url(&self) -> String {
        let host = match self.admin.get_hosts().first() {
            Some(Host::Tcp(name)) => encode(name.as_bytes()),
            #[cfg(unix)]
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

    /// A new connection to this database.
    ///
    /// # Panics
    /// When the connection fails.
    pub fn connect(&self) -> Client {
        let mut config = self.admin.clone();
        config.dbname(&self.name);
        match config.connect(NoTls) {
            Ok(client) => client,
            Err(e) => panic!("cannot connect to test database `{}`: {e}", self.name),
        }
    }

    /// `ALTER DATABASE ... SET name = value` (new sessions see it), or `RESET`
    /// with `None`.
    ///
    /// # Panics
    /// When the server refuses.
    pub fn set(&self, name: &str, value: Option<&str>) {
        if let Err(e) = self.try_set(name, value) {
            panic!("{e}");
        }
    }

    /// [`TestDatabase::set`], giving the server's refusal back.
    ///
    /// # Errors
    /// The statement and the server's refusal.
    pub fn try_set(&self, name: &str, value: Option<&str>) -> Result<(), String> {
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
    // FORCE: a connection the failing test still holds must not keep it alive.
    if let Err(e) = admin.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
    {
        eprintln!("cannot drop test database `{name}`: {e}");
    }
}

/// Where `config` points, without its password: `host=… port=… user=… dbname=…`.
fn describe(config: &Config) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|h| match h {
            Host::Tcp(name) => name.clone(),
            #[cfg(unix)]
            Host::Unix(path) => path.display().to_string(),
        })
        .collect();
    let ports: Vec<String> = config.get_ports().iter().map(u16::to_string).collect();
    format!(
        "host={} port={} user={} dbname={}",
        hosts.join(","),
        if ports.is_empty() {
            "5432".to_string()
        } else {
            ports.join(",")
        },
        config.get_user().unwrap_or("(default)"),
        config.get_dbname().unwrap_or("(default)"),
    )
}

/// An error with its causes: `error connecting to server: Connection refused`.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !out.ends_with(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = cause.source();
    }
    out
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
pub fn sessions(client: &mut Client, db: &str) -> i64 {
    query_i64(client, &format!("SELECT count(*) {OTHERS}"), db)
}

/// How many sessions of `db` run a `pg_sleep` right now.
pub fn sleeping(client: &mut Client, db: &str) -> i64 {
    query_i64(
        client,
        &format!("SELECT count(*) {OTHERS} AND state = 'active' AND query LIKE '%pg_sleep(%'"),
        db,
    )
}

/// How many sessions of `db` were opened with `application_name`.
pub fn sessions_named(client: &mut Client, db: &str, application_name: &str) -> i64 {
    match client.query_one(
        &format!("SELECT count(*) {OTHERS} AND application_name = $2"),
        &[&db, &application_name],
    ) {
        Ok(row) => row.get(0),
        Err(e) => panic!("reading pg_stat_activity: {e}"),
    }
}

/// The server process ids holding an advisory lock in `db`.
pub fn advisory_holders(client: &mut Client, db: &str) -> Vec<i32> {
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
pub fn wait_for_sessions_to_end(client: &mut Client, db: &str) {
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

/// A PostgreSQL error with its detail and the line of `sql` it points at.
pub fn describe_pg_error(e: &postgres::Error, sql: &str) -> String {
    let Some(db) = e.as_db_error() else {
        return e.to_string();
    };
    let mut out = format!("{}: {}", db.code().code(), db.message());
    if let Some(detail) = db.detail() {
        let _ = write!(out, "\ndetail: {detail}");
    }
    if let Some(postgres::error::ErrorPosition::Original(at)) = db.position() {
        let at = (*at as usize).saturating_sub(1).min(sql.len());
        let line = sql[..at].matches('\n').count() + 1;
        let text = sql.lines().nth(line - 1).unwrap_or_default();
        let _ = write!(out, "\nat line {line}: {text}");
    }
    out
}

/// The catalog facts query (a copy of `shared/tools/pg_catalog_facts.sql`).
const CATALOG_FACTS: &str = include_str!("catalog_facts.sql");

/// The catalog facts of the database `client` is connected to, without the
/// migrator's own tables (`_schema_migrations`, `_schema_migrations_lock`).
///
/// # Errors
/// When the query fails, with PostgreSQL's error.
pub fn catalog_facts(client: &mut Client) -> Result<Vec<String>, String> {
    let rows = client.query(CATALOG_FACTS, &[]).map_err(|e| {
        format!(
            "the catalog facts query fails: {}",
            describe_pg_error(&e, CATALOG_FACTS)
        )
    })?;
    let mut lines: Vec<String> = rows
        .iter()
        .map(|r| r.get::<_, String>(0))
        .filter(|line| !line.contains("_schema_migrations"))
        .collect();
    lines.sort();
    Ok(lines)
}
