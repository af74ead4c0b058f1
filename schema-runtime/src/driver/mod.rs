//! The driver trait: the few things the [`Migrator`](crate::Migrator) asks of a
//! database, so that a new database (MySQL/MariaDB next) is one more
//! implementation and no change to the migrator.
//!
//! A driver owns its connection(s), the version table's SQL and the migrator
//! lock. It runs SQL text it is given; what to run, when, and what to record is
//! the migrator's business.

use std::fmt;
use std::time::Duration;

use schema_core::Schema;

use crate::introspect::IntrospectError;
use crate::migration::Dialect;
use crate::session::Param;

pub use asynchronous::AsyncDriver;

#[cfg(feature = "postgres")]
pub(crate) use lock::wait_for_lock;

pub mod asynchronous;
#[cfg(any(feature = "tokio-postgres", feature = "sqlx-postgres"))]
pub mod block_on;
mod lock;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(any(feature = "tokio-postgres", feature = "sqlx-postgres"))]
pub mod postgres_async;
#[cfg(feature = "sqlite")]
pub mod sqlite;
#[cfg(any(feature = "sqlite", feature = "sqlx-sqlite"))]
pub mod sqlite_core;
#[cfg(feature = "sqlx-sqlite")]
pub mod sqlx_sqlite;

/// The version table's name. Introspection leaves out every table whose name
/// starts with `_schema_`.
pub const VERSION_TABLE: &str = "_schema_migrations";

/// The table SQLite's lock row lives in.
pub const LOCK_TABLE: &str = "_schema_migrations_lock";

/// Where a recorded migration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowState {
    /// Applied and recorded.
    Applied,
    /// A `no-transaction` migration whose up started and did not finish.
    Applying,
    /// A `no-transaction` migration whose down started and did not finish.
    Reverting,
}

impl RowState {
    /// The text stored in the version table.
    pub const fn as_str(self) -> &'static str {
        match self {
            RowState::Applied => "applied",
            RowState::Applying => "applying",
            RowState::Reverting => "reverting",
        }
    }

    /// Reads the stored text.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "applied" => Some(RowState::Applied),
            "applying" => Some(RowState::Applying),
            "reverting" => Some(RowState::Reverting),
            _ => None,
        }
    }
}

/// One row of the version table.
#[derive(Debug, Clone, PartialEq)]
pub struct VersionRow {
    /// The migration's version.
    pub version: u64,
    /// Its slug.
    pub name: String,
    /// SHA-256 of its up.sql when it was applied.
    pub checksum: String,
    /// When it was applied, as the database printed it (UTC).
    pub applied_at: String,
    /// How long its up took, in milliseconds.
    pub duration_ms: f64,
    /// The down SQL in this database's dialect, kept so that a binary that does
    /// not know the migration can still revert it.
    pub down_sql: String,
    /// True when it ran outside a transaction (`-- schema: no-transaction`).
    pub no_transaction: bool,
    /// Where it stands.
    pub state: RowState,
}

/// What a migration run in one batch ([`Driver::run_in_one_batch`]) does to
/// its version row, in the same transaction as its script.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RowChange<'a> {
    /// An up: the row is inserted after the script, with the script's time
    /// as its `duration_ms`; a row of the version found before the script
    /// (another migrator recorded it meanwhile) stops it.
    Insert(&'a VersionRow),
    /// A down: the row of this version is deleted after the script.
    Delete(u64),
}

/// What went wrong in a driver: what it was doing and the database's error.
#[derive(Debug)]
pub struct DriverError {
    /// What the driver was doing (`creating the version table`, ...).
    pub doing: String,
    /// The database's error, if it gave one.
    pub source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
    /// The message when there is no source error.
    pub message: Option<String>,
}

impl DriverError {
    /// An error of the database while `doing` something.
    pub fn new(
        doing: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        DriverError {
            doing: doing.into(),
            source: Some(Box::new(source)),
            message: None,
        }
    }

    /// An error with a message of our own.
    pub fn message(doing: impl Into<String>, message: impl Into<String>) -> Self {
        DriverError {
            doing: doing.into(),
            source: None,
            message: Some(message.into()),
        }
    }

    /// A closure turning a database error into a `DriverError` while `doing`.
    pub fn while_<E: std::error::Error + Send + Sync + 'static>(
        doing: &str,
    ) -> impl FnOnce(E) -> DriverError + '_ {
        move |e| DriverError::new(doing, e)
    }
}

impl fmt::Display for DriverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.source, &self.message) {
            (Some(source), _) => write!(f, "while {}: {}", self.doing, chain(&**source)),
            (None, Some(message)) => write!(f, "while {}: {message}", self.doing),
            (None, None) => write!(f, "while {}", self.doing),
        }
    }
}

/// An error and its sources, `: `-separated (drivers nest the server's message).
pub(crate) fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut out = error.to_string();
    let mut next = error.source();
    while let Some(e) = next {
        let text = e.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        next = e.source();
    }
    out
}

impl std::error::Error for DriverError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|e| &**e as &(dyn std::error::Error + 'static))
    }
}

/// A database the migrator can work on.
///
/// The migrator calls [`lock`](Driver::lock) before it changes anything and
/// [`unlock`](Driver::unlock) after, whatever happened in between. Between
/// [`begin`](Driver::begin) and [`commit`](Driver::commit), everything runs in
/// one transaction; outside, every call commits on its own.
pub trait Driver {
    /// The dialect of the embedded scripts this database runs.
    fn dialect(&self) -> Dialect;

    /// False for a database whose DDL commits on its own (MySQL, MariaDB): the
    /// migrator then runs every migration as it runs a `no-transaction` one,
    /// between an `applying` row and its `applied` state, so that an
    /// interrupted one is detected.
    fn transactional_ddl(&self) -> bool {
        true
    }

    /// Takes the migrator lock, waiting at most `timeout` for another migrator
    /// to release it.
    ///
    /// # Errors
    /// When the lock is still held after `timeout` (the error names its holder
    /// when the database says), or the database fails.
    fn lock(&mut self, timeout: Duration) -> Result<(), DriverError>;

    /// Bounds every later wait for a lock inside a migration (a table
    /// another session holds) by `timeout`: PostgreSQL's `lock_timeout`,
    /// SQLite's busy timeout. A wait that trips it fails its statement with
    /// an error naming the blocking session where the database says.
    /// [`unlock`](Driver::unlock) lifts it. The migrator calls it right after
    /// [`lock`](Driver::lock), with the same timeout.
    ///
    /// # Errors
    /// When the database fails.
    fn set_lock_timeout(&mut self, timeout: Duration) -> Result<(), DriverError> {
        let _ = timeout;
        Ok(())
    }

    /// Releases the migrator lock, checking that it was still held.
    ///
    /// # Errors
    /// When the lock was lost, or the database fails.
    fn unlock(&mut self) -> Result<(), DriverError>;

    /// Creates the version table when it does not exist.
    ///
    /// # Errors
    /// When the database fails.
    fn ensure_version_table(&mut self) -> Result<(), DriverError>;

    /// Every row of the version table, in version order; empty when the table
    /// does not exist.
    ///
    /// # Errors
    /// When the database fails or a row cannot be read.
    fn read_versions(&mut self) -> Result<Vec<VersionRow>, DriverError>;

    /// True when `version` has a row (read inside the current transaction).
    ///
    /// # Errors
    /// When the database fails.
    fn is_recorded(&mut self, version: u64) -> Result<bool, DriverError>;

    /// Starts a transaction that takes the database's write lock at once where
    /// the database has one (SQLite's `BEGIN IMMEDIATE`). `script` is what will
    /// run in it, for what must be set before a transaction starts (SQLite's
    /// `PRAGMA foreign_keys`).
    ///
    /// # Errors
    /// When the database fails.
    fn begin(&mut self, script: &str) -> Result<(), DriverError>;

    /// Commits the transaction.
    ///
    /// # Errors
    /// When the database fails; the transaction is then rolled back.
    fn commit(&mut self) -> Result<(), DriverError>;

    /// Rolls the transaction back.
    ///
    /// # Errors
    /// When the database fails.
    fn rollback(&mut self) -> Result<(), DriverError>;

    /// Runs a migration's script, statement after statement. Inside a
    /// transaction when one is open, else each statement commits on its own.
    /// On failure, the error says which statement failed (1-based) and how
    /// many ran before it.
    ///
    /// # Errors
    /// The first statement that fails, as [`ScriptError`].
    fn run_script(&mut self, sql: &str) -> Result<(), ScriptError>;

    /// Inserts or replaces `row`.
    ///
    /// # Errors
    /// When the database fails.
    fn write_row(&mut self, row: &VersionRow) -> Result<(), DriverError>;

    /// Runs a transactional migration's `script` and its version row's
    /// `change` in one transaction, sent in one round trip where the database
    /// can: `true` when it ran and committed. `false` when it did not: then
    /// nothing of it is left (rolled back, or never tried) and the migrator
    /// takes its usual steps (`begin`, `is_recorded` for an up, `run_script`,
    /// `write_row` or `delete_row`, `commit`), which decide what happened:
    /// the version recorded by another migrator (skipped), the script's
    /// failing statement, or it runs after all.
    ///
    /// The default does nothing and gives `false`.
    ///
    /// # Errors
    /// When the database fails so that the usual steps cannot run either (a
    /// failed rollback: the connection is gone).
    fn run_in_one_batch(
        &mut self,
        change: RowChange<'_>,
        script: &str,
    ) -> Result<bool, DriverError> {
        let _ = (change, script);
        Ok(false)
    }

    /// Sets the state of `version`'s row.
    ///
    /// # Errors
    /// When the database fails.
    fn set_state(
        &mut self,
        version: u64,
        state: RowState,
        duration_ms: Option<f64>,
    ) -> Result<(), DriverError>;

    /// Deletes `version`'s row.
    ///
    /// # Errors
    /// When the database fails.
    fn delete_row(&mut self, version: u64) -> Result<(), DriverError>;

    /// Reads the live schema (leaving out the migrator's own tables), in the
    /// form [`Driver::comparable`] makes of a declared one.
    ///
    /// `schemas` are the PostgreSQL schemas to read (`public` and those the
    /// declared schema uses); databases without schemas ignore it.
    ///
    /// # Errors
    /// When introspection fails.
    fn introspect(&mut self, schemas: &[String]) -> Result<Schema, IntrospectError>;

    /// The schemas (namespaces) that hold the database's own objects: every
    /// schema but the system's (PostgreSQL: all but `pg_catalog`,
    /// `information_schema`, `pg_toast*` and `pg_temp*`), for
    /// [`Driver::introspect`]. Databases without schemas give `public`.
    ///
    /// # Errors
    /// When the database fails.
    fn namespaces(&mut self) -> Result<Vec<String>, IntrospectError> {
        Ok(vec![schema_core::model::DEFAULT_SCHEMA.to_string()])
    }

    /// Objects of `schemas` the database holds in a state it cannot use,
    /// which the model has no word for (PostgreSQL: INVALID indexes, as a
    /// failed `CREATE INDEX CONCURRENTLY` leaves them), each as a sentence
    /// saying how to fix it. Empty where the database has no such state.
    ///
    /// # Errors
    /// When the database fails.
    fn unusable(&mut self, schemas: &[String]) -> Result<Vec<String>, IntrospectError> {
        let _ = schemas;
        Ok(Vec::new())
    }

    /// The part of a declared (PostgreSQL-form) schema this database can keep,
    /// for comparing with [`Driver::introspect`]: SQLite has no comments, for
    /// instance.
    fn comparable(&self, declared: &Schema) -> Schema {
        declared.clone()
    }

    /// `declared` with each expression compared as this database stores it
    /// (PostgreSQL normalises constants such as `timestamptz '0001-01-01'`
    /// itself), so that comparing it with [`Driver::introspect`] compares like
    /// with like. The default leaves the schema as it is.
    fn as_stored(&mut self, declared: &Schema) -> Schema {
        declared.clone()
    }

    #[cfg(any(feature = "sqlite", feature = "postgres"))]
    /// The connection this driver works on, lent to the generated models
    /// (`User::find(&mut db, id)` on what [`connect`](crate::connect::connect)
    /// opened): the SQLite and blocking PostgreSQL drivers lend theirs. The
    /// default lends none (a model's method then fails, saying so).
    fn lend_connection(&mut self) -> Option<crate::rows::DriverConnection<'_>> {
        None
    }
}

/// A row of the version table as both drivers read it (`version, name,
/// checksum, applied_at, duration_ms, down_sql, no_transaction, state`).
#[cfg_attr(
    not(any(feature = "sqlite", feature = "sqlx-sqlite", feature = "postgres")),
    allow(dead_code)
)]
pub(crate) fn version_row_of(row: &crate::session::Row) -> Result<VersionRow, DriverError> {
    let doing = "reading the version table";
    let version: i64 = row.get(0);
    let state: String = row.get(7);
    let state = RowState::parse(&state).ok_or_else(|| {
        DriverError::message(
            doing,
            format!("version {version} has unknown state `{state}`"),
        )
    })?;
    let version = u64::try_from(version)
        .map_err(|_| DriverError::message(doing, format!("negative version {version}")))?;
    Ok(VersionRow {
        version,
        name: row.get(1),
        checksum: row.get(2),
        applied_at: row.get(3),
        duration_ms: row.get(4),
        down_sql: row.get(5),
        no_transaction: row.get(6),
        state,
    })
}

/// The parameters of a version row in the order `INSERT`s name them
/// (version, name, checksum, duration, down SQL, no-transaction, state).
#[cfg_attr(
    not(any(
        feature = "sqlite",
        feature = "sqlx-sqlite",
        feature = "tokio-postgres"
    )),
    allow(dead_code)
)]
pub(crate) fn row_params(version: i64, row: &VersionRow) -> [Param<'_>; 7] {
    [
        Param::Int8(version),
        Param::Text(&row.name),
        Param::Text(&row.checksum),
        Param::Float8(Some(row.duration_ms)),
        Param::Text(&row.down_sql),
        Param::Bool(row.no_transaction),
        Param::Text(row.state.as_str()),
    ]
}

/// A session's error while `doing`.
#[cfg_attr(
    not(any(
        feature = "sqlite",
        feature = "sqlx-sqlite",
        feature = "tokio-postgres"
    )),
    allow(dead_code)
)]
pub(crate) fn failed(doing: &str) -> impl FnOnce(crate::session::SessionError) -> DriverError + '_ {
    move |e| DriverError {
        doing: doing.to_string(),
        source: Some(e),
        message: None,
    }
}

/// A statement of a script that failed.
#[derive(Debug)]
pub struct ScriptError {
    /// 1-based index of the failing statement.
    pub statement: usize,
    /// How many statements the script has.
    pub statements: usize,
    /// The statement's text (trimmed; long ones cut).
    pub sql: String,
    /// The database's error.
    pub error: DriverError,
}

impl fmt::Display for ScriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "statement {} of {} failed: {}\n  statement: {}",
            self.statement, self.statements, self.error, self.sql
        )
    }
}

impl std::error::Error for ScriptError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// A statement's text for an error message: trimmed, at most ~200 characters.
pub fn excerpt(sql: &str) -> String {
    let sql = sql.trim();
    let mut out: String = sql.chars().take(200).collect();
    if out.len() < sql.len() {
        out.push_str(" ...");
    }
    out.replace('\n', " ")
}
