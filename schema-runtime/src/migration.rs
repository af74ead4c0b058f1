//! Embedded migrations: what `schema!()` compiles into a binary for the migrator.

/// A SQL dialect a migration is available in: the core's one [`Dialect`],
/// which the facade re-exports as `sqlschema::Dialect`.
pub use schema_core::Dialect;

/// One migration's up and down SQL in one dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Script {
    /// The up SQL.
    pub up: &'static str,
    /// The down SQL.
    pub down: &'static str,
}

/// One migration, as the build embedded it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migration {
    /// The version (the digits of its directory name).
    pub version: u64,
    /// The slug (the rest of its directory name).
    pub name: &'static str,
    /// SHA-256 (hex) of up.sql with a BOM removed and CRLF read as LF.
    pub checksum: &'static str,
    /// `-- schema: no-transaction`: run outside a transaction.
    pub no_transaction: bool,
    /// PostgreSQL: the files' own text.
    pub postgres: Script,
    /// SQLite: the migration's changes rendered, or why they cannot be.
    pub sqlite: Result<Script, &'static str>,
}

impl Migration {
    /// The scripts for `dialect`.
    ///
    /// # Errors
    /// Why the migration cannot run on `dialect`.
    pub fn script(&self, dialect: Dialect) -> Result<&Script, &'static str> {
        match dialect {
            Dialect::Postgres => Ok(&self.postgres),
            Dialect::Sqlite => self.sqlite.as_ref().map_err(|e| *e),
            // A dialect added to the core after this runtime: nothing embedded.
            _ => Err("the build embedded no scripts for this dialect"),
        }
    }
}

/// The schema a whole history leaves, created by one script per dialect:
/// what `up` may run on an empty database instead of every migration
/// ([`crate::Options::fresh_database`]). `None` where the history does not
/// allow it (a data statement, a `no-transaction` migration, a migration the
/// dialect cannot run).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Fresh {
    /// The PostgreSQL script.
    pub postgres: Option<&'static str>,
    /// The SQLite script.
    pub sqlite: Option<&'static str>,
}

impl Fresh {
    /// The script for `dialect`, if any.
    pub fn script(&self, dialect: Dialect) -> Option<&'static str> {
        match dialect {
            Dialect::Postgres => self.postgres,
            Dialect::Sqlite => self.sqlite,
            _ => None,
        }
    }
}

/// Every migration of a project, in version order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migrations {
    /// The migrations.
    pub migrations: &'static [Migration],
    /// `-- schema: ignore(privileges)` in schema.sql: `verify` and `stamp`
    /// leave grants and owners out of the comparison.
    pub privileges_ignored: bool,
    /// The schema they leave, created at once.
    pub fresh: Fresh,
}

impl Migrations {
    /// Wraps a list of migrations (in version order).
    pub const fn new(migrations: &'static [Migration]) -> Self {
        Migrations {
            migrations,
            privileges_ignored: false,
            fresh: Fresh {
                postgres: None,
                sqlite: None,
            },
        }
    }

    /// The same migrations, with the scripts that create what they leave at once.
    #[must_use]
    pub const fn with_fresh(self, fresh: Fresh) -> Self {
        Migrations { fresh, ..self }
    }

    /// The same migrations, for a project whose privileges are managed
    /// elsewhere (`-- schema: ignore(privileges)`).
    #[must_use]
    pub const fn ignoring_privileges(self) -> Self {
        Migrations {
            privileges_ignored: true,
            ..self
        }
    }

    /// The migrations, in version order.
    pub fn iter(&self) -> impl Iterator<Item = &'static Migration> {
        self.migrations.iter()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.migrations.len()
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.migrations.is_empty()
    }

    /// The latest version, if any.
    pub fn latest(&self) -> Option<u64> {
        self.migrations.last().map(|m| m.version)
    }
}
