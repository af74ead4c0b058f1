//! Opening a database from a URL: `postgres://...`, `sqlite://path`,
//! `sqlite:path` or `sqlite::memory:`, as the CLI's `--database-url` and
//! `DATABASE_URL` take them.

use crate::driver::{Driver, DriverError};

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
    /// When the scheme is not one of `postgres://`, `postgresql://`, `sqlite:`.
    pub fn parse(url: &str) -> Result<Self, DriverError> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Target::Postgres(url.to_string()));
        }
        if let Some(rest) = url.strip_prefix("sqlite:") {
            let path = rest.strip_prefix("//").unwrap_or(rest);
            let path = path.split('?').next().unwrap_or(path);
            return Ok(match path {
                ":memory:" | "" => Target::SqliteMemory,
                _ => Target::SqliteFile(path.to_string()),
            });
        }
        Err(DriverError::message(
            "reading the database URL",
            format!(
                "`{url}` is not a database URL this build knows: use `postgres://user@host:port/db`, \
                 `sqlite://path/to/file.db` or `sqlite::memory:`"
            ),
        ))
    }
}

/// Opens the database `url` names, with the driver its scheme calls for.
///
/// # Errors
/// When the URL cannot be read, its driver's feature is off, or the database
/// cannot be opened.
pub fn connect(url: &str) -> Result<Box<dyn Driver>, DriverError> {
    match Target::parse(url)? {
        #[cfg(feature = "postgres")]
        Target::Postgres(url) => Ok(Box::new(crate::driver::postgres::PostgresDriver::connect(
            &url,
        )?)),
        #[cfg(feature = "sqlite")]
        Target::SqliteFile(path) => Ok(Box::new(crate::driver::sqlite::SqliteDriver::open(path)?)),
        #[cfg(feature = "sqlite")]
        Target::SqliteMemory => Ok(Box::new(crate::driver::sqlite::SqliteDriver::memory()?)),
        #[allow(unreachable_patterns)]
        other => Err(DriverError::message(
            "opening the database",
            format!(
                "{other:?} needs feature `{}` of schema-runtime, which this build does not have",
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
    use super::Target;

    #[test]
    fn urls_name_their_database() {
        let t = |u: &str| Target::parse(u).ok();
        assert_eq!(t("sqlite::memory:"), Some(Target::SqliteMemory));
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
        assert!(Target::parse("mysql://x").is_err());
    }
}
