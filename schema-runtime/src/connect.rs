//! Opening a database from a URL: `postgres://...`, `sqlite://path`,
//! `sqlite:path` or `sqlite::memory:`, as the CLI's `--database-url` and
//! `DATABASE_URL` take them.
//!
//! A URL that names no database is an error saying which forms are read. A
//! command that only reads (`status`, `verify`, `diff`) opens with
//! [`ConnectOptions::read_only`], so a mistyped SQLite path is an error instead
//! of a new empty file. PostgreSQL connections give up after
//! [`ConnectOptions::connect_timeout`] (`connect_timeout` in the URL wins).

use std::time::Duration;

use crate::driver::{Driver, DriverError};

/// The forms of database URL this build reads, for error messages.
pub const URL_FORMS: &str = "`postgres://user[:password]@host[:port]/database` (or \
     `postgresql://`), `sqlite://path/to/file.db`, `sqlite:///absolute/path.db` or `sqlite::memory:`";

/// The connect timeout when neither the URL nor the caller sets one.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How [`connect_with`] opens a database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectOptions {
    /// How long to wait for a PostgreSQL server to accept and answer (TCP
    /// connect and startup handshake); `connect_timeout` in the URL wins.
    pub connect_timeout: Duration,
    /// Create a missing SQLite file (`up`, `stamp`); when false, a missing
    /// file is an error.
    pub create_missing: bool,
    /// Which driver a PostgreSQL URL opens.
    pub postgres_driver: PostgresDriverKind,
}

/// The PostgreSQL driver [`connect_with`] opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PostgresDriverKind {
    /// The blocking driver on the `postgres` crate (feature `postgres`).
    #[default]
    Blocking,
    /// The async driver on `tokio-postgres` (feature `tokio-postgres`), run
    /// on a runtime of its own ([`BlockOn`](crate::driver::block_on::BlockOn)).
    TokioPostgres,
    /// The async driver over an sqlx 0.8 pool of two connections (feature
    /// `sqlx-postgres`), on a runtime of its own.
    SqlxPostgres,
}

impl PostgresDriverKind {
    /// Reads `postgres`, `tokio-postgres` or `sqlx-postgres`.
    ///
    /// # Errors
    /// Any other name, with the names there are.
    pub fn parse(name: &str) -> Result<Self, String> {
        match name.trim() {
            "" | "postgres" => Ok(PostgresDriverKind::Blocking),
            "tokio-postgres" => Ok(PostgresDriverKind::TokioPostgres),
            "sqlx-postgres" => Ok(PostgresDriverKind::SqlxPostgres),
            other => Err(format!(
                "`{other}` is not a PostgreSQL driver: use `postgres` (the default), \
                 `tokio-postgres` or `sqlx-postgres`"
            )),
        }
    }
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            create_missing: true,
            postgres_driver: PostgresDriverKind::Blocking,
        }
    }
}

impl ConnectOptions {
    /// For a command that only reads: a missing SQLite file is an error.
    pub fn read_only() -> Self {
        ConnectOptions {
            create_missing: false,
            ..ConnectOptions::default()
        }
    }
}

/// What a database URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A PostgreSQL connection string (URL or key=value form).
    Postgres(String),
    /// A SQLite file.
    SqliteFile(String),
    /// A new in-memory SQLite database.
    SqliteMemory,
}

impl Target {
    /// Reads a database URL.
    ///
    /// # Errors
    /// When the scheme is not one of `postgres://`, `postgresql://`, `sqlite:`,
    /// or a `sqlite:` URL names no file.
    pub fn parse(url: &str) -> Result<Self, DriverError> {
        let url = url.trim();
        let doing = "reading the database URL";
        if let Some(rest) = url
            .strip_prefix("postgres://")
            .or_else(|| url.strip_prefix("postgresql://"))
        {
            let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
            let (host, database) = before_query.split_once('/').unwrap_or((before_query, ""));
            let named_in_query = query
                .split('&')
                .any(|kv| kv.starts_with("dbname=") && kv.len() > "dbname=".len());
            // (A URL without a host is refused where it is opened, naming that.)
            if !host.is_empty() && database.is_empty() && !named_in_query {
                // libpq would pick a database named after the user (often
                // `postgres`): a migration must never land there by accident.
                return Err(DriverError::message(
                    doing,
                    format!(
                        "`{}` names no database: write it after the host \
                         (`postgres://user@host:5432/app`)",
                        redact(url)
                    ),
                ));
            }
            return Ok(Target::Postgres(url.to_string()));
        }
        if let Some(rest) = url.strip_prefix("sqlite:") {
            let path = rest.strip_prefix("//").unwrap_or(rest);
            let path = path.split('?').next().unwrap_or(path);
            return match path {
                ":memory:" => Ok(Target::SqliteMemory),
                "" => Err(DriverError::message(
                    doing,
                    format!(
                        "`{url}` names no SQLite file: write the file's path after `sqlite://` \
                         (`sqlite://app.db` is relative to the current directory, \
                         `sqlite:///var/db/app.db` absolute), or `sqlite::memory:` for a \
                         database in memory"
                    ),
                )),
                _ => Ok(Target::SqliteFile(path.to_string())),
            };
        }
        let shown = if url.is_empty() {
            "an empty string".to_string()
        } else {
            format!("`{}`", redact(url))
        };
        Err(DriverError::message(
            doing,
            format!("{shown} is not a database URL this build knows: use {URL_FORMS}"),
        ))
    }
}

/// `url` with its password, if any, replaced by `***` (for messages).
pub fn redact(url: &str) -> String {
    // URL form: scheme://user:password@host...
    if let Some(scheme_end) = url.find("://") {
        let rest = &url[scheme_end + 3..];
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        if let Some(at) = authority.rfind('@') {
            if let Some(colon) = authority[..at].find(':') {
                return format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &authority[..colon],
                    &rest[at..]
                );
            }
        }
        return url.to_string();
    }
    // key=value form.
    url.split_whitespace()
        .map(|pair| {
            if pair.starts_with("password=") {
                "password=***"
            } else {
                pair
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Opens the database `url` names, with the driver its scheme calls for and
/// the default [`ConnectOptions`] (a missing SQLite file is created). The
/// driver migrates (`Migrator::up(&mut *db)`) and lends its connection to
/// the generated models (`User::find(&mut db, id)`).
///
/// # Errors
/// When the URL cannot be read, its driver's feature is off, or the database
/// cannot be opened.
pub fn connect(url: &str) -> Result<Box<dyn Driver>, DriverError> {
    connect_with(url, &ConnectOptions::default())
}

/// Opens the database `url` names, as `options` say.
///
/// # Errors
/// When the URL cannot be read, its driver's feature is off, the SQLite file
/// is missing and `options` do not create it, or the database cannot be opened
/// (PostgreSQL: within the connect timeout).
pub fn connect_with(url: &str, options: &ConnectOptions) -> Result<Box<dyn Driver>, DriverError> {
    #[cfg(not(feature = "postgres"))]
    let _ = options.connect_timeout;
    match Target::parse(url)? {
        #[cfg(feature = "tokio-postgres")]
        Target::Postgres(url) if options.postgres_driver == PostgresDriverKind::TokioPostgres => {
            let timeout = options.connect_timeout;
            Ok(Box::new(crate::driver::block_on::BlockOn::connect(
                || async move {
                    crate::driver::postgres_async::tokio_postgres_connection::connect_timeout(
                        &url, timeout,
                    )
                    .await
                },
            )?))
        }
        #[cfg(not(feature = "tokio-postgres"))]
        Target::Postgres(_) if options.postgres_driver == PostgresDriverKind::TokioPostgres => {
            Err(DriverError::message(
                "opening the database",
                "the tokio-postgres driver needs feature `tokio-postgres` of schema-runtime, \
                 which this build does not have",
            ))
        }
        #[cfg(feature = "sqlx-postgres")]
        Target::Postgres(url) if options.postgres_driver == PostgresDriverKind::SqlxPostgres => {
            let timeout = options.connect_timeout;
            Ok(Box::new(crate::driver::block_on::BlockOn::connect(
                || async move {
                    crate::driver::postgres_async::sqlx_connection::connect_timeout(&url, timeout)
                        .await
                },
            )?))
        }
        #[cfg(not(feature = "sqlx-postgres"))]
        Target::Postgres(_) if options.postgres_driver == PostgresDriverKind::SqlxPostgres => {
            Err(DriverError::message(
                "opening the database",
                "the sqlx-postgres driver needs feature `sqlx-postgres` of schema-runtime, \
                 which this build does not have",
            ))
        }
        #[cfg(feature = "postgres")]
        Target::Postgres(url) => Ok(Box::new(
            crate::driver::postgres::PostgresDriver::connect_timeout(
                &url,
                options.connect_timeout,
            )?,
        )),
        #[cfg(feature = "sqlite")]
        Target::SqliteFile(path) if options.create_missing => {
            Ok(Box::new(crate::driver::sqlite::SqliteDriver::open(path)?))
        }
        #[cfg(feature = "sqlite")]
        Target::SqliteFile(path) => Ok(Box::new(
            crate::driver::sqlite::SqliteDriver::open_existing(path)?,
        )),
        #[cfg(feature = "sqlite")]
        Target::SqliteMemory => Ok(Box::new(crate::driver::sqlite::SqliteDriver::memory()?)),
        #[allow(unreachable_patterns)]
        other => Err(DriverError::message(
            "opening the database",
            format!(
                "{} needs feature `{}` of schema-runtime, which this build does not have",
                match &other {
                    Target::Postgres(_) => "a PostgreSQL URL",
                    _ => "a SQLite URL",
                },
                if matches!(other, Target::Postgres(_)) {
                    "postgres"
                } else {
                    "sqlite"
                }
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::{Target, redact};

    #[test]
    fn urls_name_their_database() {
        let t = |u: &str| Target::parse(u).ok();
        assert_eq!(t("sqlite::memory:"), Some(Target::SqliteMemory));
        assert_eq!(t("sqlite://:memory:"), Some(Target::SqliteMemory));
        assert_eq!(
            t("sqlite://app.db"),
            Some(Target::SqliteFile("app.db".into()))
        );
        assert_eq!(
            t("sqlite:///tmp/a.db?mode=rwc"),
            Some(Target::SqliteFile("/tmp/a.db".into()))
        );
        assert_eq!(
            t("sqlite:data/a.db"),
            Some(Target::SqliteFile("data/a.db".into()))
        );
        assert!(matches!(t("postgres://u@h/db"), Some(Target::Postgres(_))));
        assert!(matches!(
            t("postgres://u@h/?dbname=db"),
            Some(Target::Postgres(_))
        ));
        for no_database in [
            "postgres://u@h",
            "postgres://u@h/",
            "postgresql://u:p@h:5432/?sslmode=disable",
        ] {
            let err = Target::parse(no_database)
                .map(|_| ())
                .unwrap_err()
                .to_string();
            assert!(err.contains("names no database"), "{no_database}: {err}");
            assert!(!err.contains(":p@"), "{err}");
        }
        assert!(Target::parse("mysql://x").is_err());
    }

    #[test]
    fn a_url_naming_no_database_is_an_error_showing_the_forms() {
        for url in ["sqlite://", "sqlite:", "sqlite://?mode=rwc", " sqlite:// "] {
            let err = match Target::parse(url) {
                Ok(t) => panic!("`{url}` was read as {t:?}"),
                Err(e) => e.to_string(),
            };
            assert!(err.contains("names no SQLite file"), "{url}: {err}");
            assert!(err.contains("sqlite::memory:"), "{url}: {err}");
        }
        let err = Target::parse("").map(|_| ()).unwrap_err().to_string();
        assert!(
            err.contains("an empty string is not a database URL"),
            "{err}"
        );
        let err = Target::parse("mysql://root:hunter2@db/app")
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(err.contains("`mysql://root:***@db/app`"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
        assert!(err.contains("postgres://user[:password]@host"), "{err}");
    }

    #[test]
    fn passwords_are_hidden() {
        assert_eq!(
            redact("postgres://u:p@h:5/db?x=1"),
            "postgres://u:***@h:5/db?x=1"
        );
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(
            redact("host=h password=secret user=u"),
            "host=h password=*** user=u"
        );
    }
}
