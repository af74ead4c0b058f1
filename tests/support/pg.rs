//! A PostgreSQL server for tests: connect (or skip), and throwaway databases
//! that are dropped when the test ends, passing or failing.
//!
//! The server is `SCHEMA_TEST_PG_URL` (a URL or `key=value` string), by default
//! `host=127.0.0.1 user=postgres dbname=test`. When it cannot be reached a test
//! prints why and passes, unless `SCHEMA_TEST_REQUIRE_DB=1`, which makes it fail.

use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};

use postgres::{Client, Config, NoTls};

/// The connection string used when `SCHEMA_TEST_PG_URL` is not set.
pub(crate) const DEFAULT_URL: &str = "host=127.0.0.1 user=postgres dbname=test";

/// A reachable server, through its administrative connection string.
pub(crate) struct Server {
    config: Config,
}

/// The server to test against, or `None` (after saying so) when it is not
/// reachable and not required.
///
/// # Panics
/// When the server is unreachable and `SCHEMA_TEST_REQUIRE_DB=1`, or the URL is malformed.
pub(crate) fn server() -> Option<Server> {
    let url = std::env::var("SCHEMA_TEST_PG_URL").unwrap_or_else(|_| DEFAULT_URL.to_string());
    let config = match Config::from_str(&url) {
        Ok(config) => config,
        Err(e) => panic!("SCHEMA_TEST_PG_URL is not a PostgreSQL connection string: {e}"),
    };
    match config.connect(NoTls) {
        Ok(_) => Some(Server { config }),
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

impl Server {
    /// Creates a fresh, empty database `<prefix>_<pid>_<n>`, dropped when the
    /// returned guard goes out of scope.
    ///
    /// # Panics
    /// When the database cannot be created.
    pub(crate) fn create_database(&self, prefix: &str) -> TestDatabase {
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
        match self.config.connect(NoTls) {
            Ok(client) => client,
            Err(e) => panic!("cannot connect to PostgreSQL: {e}"),
        }
    }
}

/// A database that exists for one test; dropping the guard drops the database.
pub(crate) struct TestDatabase {
    admin: Config,
    name: String,
}

impl TestDatabase {
    /// The database's name.
    #[allow(dead_code, reason = "not every test binary uses it")]
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// This database as a `postgres://` URL (what `DATABASE_URL` takes).
    #[allow(dead_code, reason = "not every test binary uses it")]
    pub(crate) fn url(&self) -> String {
        let host = match self.admin.get_hosts().first() {
            Some(postgres::config::Host::Tcp(name)) => name.clone(),
            _ => "127.0.0.1".to_string(),
        };
        let port = self.admin.get_ports().first().copied().unwrap_or(5432);
        let user = self.admin.get_user().unwrap_or("postgres");
        let password = self
            .admin
            .get_password()
            .map(|p| format!(":{}", String::from_utf8_lossy(p)))
            .unwrap_or_default();
        format!("postgres://{user}{password}@{host}:{port}/{}", self.name)
    }

    /// A new connection to this database.
    ///
    /// # Panics
    /// When the connection fails.
    pub(crate) fn connect(&self) -> Client {
        let mut config = self.admin.clone();
        config.dbname(&self.name);
        match config.connect(NoTls) {
            Ok(client) => client,
            Err(e) => panic!("cannot connect to test database `{}`: {e}", self.name),
        }
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
            postgres::config::Host::Tcp(name) => name.clone(),
            #[cfg(unix)]
            postgres::config::Host::Unix(path) => path.display().to_string(),
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
