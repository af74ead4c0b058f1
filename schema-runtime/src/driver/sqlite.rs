//! The blocking SQLite driver: one `rusqlite` connection, driven by the
//! SQLite driver's logic in [`sqlite_core`](super::sqlite_core) (which the
//! async sqlx driver shares): `BEGIN IMMEDIATE` transactions, and a lock row
//! so that migrators in several processes on one file take turns.

use std::path::Path;
use std::time::Duration;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, ErrorCode, OpenFlags};
use schema_core::Schema;

use super::asynchronous::Db;
use super::sqlite_core::{AsyncSqliteDriver, SqliteConnection};
use super::{Driver, DriverError, RowState, ScriptError, VersionRow, excerpt};
use crate::introspect::IntrospectError;
use crate::introspect::sqlite::Shared;
use crate::migration::Dialect;
use crate::session::{Cell, NOT_READY, Param, Row, Session, SessionError, ready};

/// A SQLite database the migrator can work on.
#[derive(Debug)]
pub struct SqliteDriver {
    inner: AsyncSqliteDriver<Connection>,
}

/// Runs `sql` with `params` on `conn` and reads every row as cells.
fn query_on(conn: &Connection, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, SessionError> {
    let mut stmt = conn.prepare(sql)?;
    for (i, p) in params.iter().enumerate() {
        let at = i + 1;
        match *p {
            Param::Text(s) => stmt.raw_bind_parameter(at, s)?,
            Param::Int8(v) => stmt.raw_bind_parameter(at, v)?,
            Param::Int4(v) => stmt.raw_bind_parameter(at, v)?,
            Param::Float8(v) => stmt.raw_bind_parameter(at, v)?,
            Param::Bool(v) => stmt.raw_bind_parameter(at, v)?,
            Param::Texts(_) => return Err("SQLite has no array parameters".into()),
        }
    }
    let columns = stmt.column_count();
    let mut rows = stmt.raw_query();
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let mut cells = Vec::with_capacity(columns);
        for i in 0..columns {
            cells.push(match row.get_ref(i)? {
                ValueRef::Null => Cell::Null,
                ValueRef::Integer(v) => Cell::Int(v),
                ValueRef::Real(v) => Cell::Float(v),
                ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(_) => Cell::Other("BLOB".to_string()),
            });
        }
        out.push(Row(cells));
    }
    Ok(out)
}

impl Session for Connection {
    async fn execute(&mut self, sql: &str) -> Result<(), SessionError> {
        self.execute_batch(sql).map_err(Into::into)
    }

    async fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, SessionError> {
        query_on(self, sql, params)
    }
}

impl Session for Shared<'_> {
    async fn execute(&mut self, sql: &str) -> Result<(), SessionError> {
        self.0.execute_batch(sql).map_err(Into::into)
    }

    async fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, SessionError> {
        query_on(self.0, sql, params)
    }
}

impl SqliteConnection for Connection {
    fn is_busy(error: &SessionError) -> bool {
        error
            .downcast_ref::<rusqlite::Error>()
            .and_then(rusqlite::Error::sqlite_error_code)
            .is_some_and(|c| matches!(c, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked))
    }

    async fn pause(pause: Duration) {
        std::thread::sleep(pause);
    }
}

impl SqliteDriver {
    /// Opens (creating it when missing) the database file at `path`, with
    /// foreign keys enforced (`PRAGMA foreign_keys=ON`; SQLite's own default
    /// is off).
    ///
    /// # Errors
    /// When SQLite cannot open it.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, DriverError> {
        let path = path.as_ref();
        let conn = Connection::open(path).map_err(DriverError::while_(&format!(
            "opening SQLite database `{}`",
            path.display()
        )))?;
        Self::enforcing_foreign_keys(conn)
    }

    /// Opens the existing database file at `path` (never creating it), with
    /// foreign keys enforced: for commands that only read.
    ///
    /// # Errors
    /// When the file does not exist, or SQLite cannot open it.
    pub fn open_existing(path: impl AsRef<Path>) -> Result<Self, DriverError> {
        let path = path.as_ref();
        let doing = format!("opening SQLite database `{}`", path.display());
        if !path.exists() {
            return Err(DriverError::message(
                doing,
                "the file does not exist: check the path in the URL (relative paths start \
                 from the current directory); `schema up` creates a new database",
            ));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(DriverError::while_(&doing))?;
        Self::enforcing_foreign_keys(conn)
    }

    /// A new, empty in-memory database, with foreign keys enforced.
    ///
    /// # Errors
    /// When SQLite cannot open it.
    pub fn memory() -> Result<Self, DriverError> {
        let conn = Connection::open_in_memory()
            .map_err(DriverError::while_("opening an in-memory SQLite database"))?;
        Self::enforcing_foreign_keys(conn)
    }

    fn enforcing_foreign_keys(conn: Connection) -> Result<Self, DriverError> {
        conn.execute_batch("PRAGMA foreign_keys=ON")
            .map_err(DriverError::while_("switching foreign keys on"))?;
        Self::from_connection(conn)
    }

    /// Wraps an open connection as it is (its busy timeout is set to 60 s;
    /// its `foreign_keys` setting is kept).
    ///
    /// # Errors
    /// When the busy timeout cannot be set.
    pub fn from_connection(conn: Connection) -> Result<Self, DriverError> {
        let inner =
            ready(AsyncSqliteDriver::from_connection(conn)).unwrap_or_else(|| Err(not_ready()))?;
        Ok(SqliteDriver { inner })
    }

    /// The connection, to read and write rows.
    pub fn connection(&self) -> &Connection {
        &self.inner.conn
    }

    /// The connection, given back.
    pub fn into_connection(self) -> Connection {
        self.inner.into_connection()
    }
}

fn not_ready() -> DriverError {
    DriverError::message("running the migrator", NOT_READY)
}

macro_rules! ready_or {
    ($call:expr) => {
        ready($call).unwrap_or_else(|| Err(not_ready()))
    };
}

impl Driver for SqliteDriver {
    fn lend_connection(&mut self) -> Option<crate::rows::DriverConnection<'_>> {
        Some(crate::rows::DriverConnection::Sqlite(&self.inner.conn))
    }

    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn lock(&mut self, timeout: Duration) -> Result<(), DriverError> {
        ready_or!(self.inner.lock(timeout))
    }

    fn set_lock_timeout(&mut self, timeout: Duration) -> Result<(), DriverError> {
        ready_or!(self.inner.set_lock_timeout(timeout))
    }

    fn unlock(&mut self) -> Result<(), DriverError> {
        ready_or!(self.inner.unlock())
    }

    fn ensure_version_table(&mut self) -> Result<(), DriverError> {
        ready_or!(self.inner.ensure_version_table())
    }

    fn read_versions(&mut self) -> Result<Vec<VersionRow>, DriverError> {
        ready_or!(self.inner.read_versions())
    }

    fn is_recorded(&mut self, version: u64) -> Result<bool, DriverError> {
        ready_or!(self.inner.is_recorded(version))
    }

    fn begin(&mut self, script: &str) -> Result<(), DriverError> {
        ready_or!(self.inner.begin(script))
    }

    fn commit(&mut self) -> Result<(), DriverError> {
        ready_or!(self.inner.commit())
    }

    fn rollback(&mut self) -> Result<(), DriverError> {
        ready_or!(self.inner.rollback())
    }

    fn run_script(&mut self, sql: &str) -> Result<(), ScriptError> {
        ready(self.inner.run_script(sql)).unwrap_or_else(|| {
            Err(ScriptError {
                statement: 1,
                statements: 1,
                sql: excerpt(sql),
                error: not_ready(),
            })
        })
    }

    fn write_row(&mut self, row: &VersionRow) -> Result<(), DriverError> {
        ready_or!(self.inner.write_row(row))
    }

    fn set_state(
        &mut self,
        version: u64,
        state: RowState,
        duration_ms: Option<f64>,
    ) -> Result<(), DriverError> {
        ready_or!(self.inner.set_state(version, state, duration_ms))
    }

    fn delete_row(&mut self, version: u64) -> Result<(), DriverError> {
        ready_or!(self.inner.delete_row(version))
    }

    fn introspect(&mut self, schemas: &[String]) -> Result<Schema, IntrospectError> {
        ready(self.inner.introspect(schemas)).unwrap_or_else(crate::introspect::sqlite::not_ready)
    }

    fn comparable(&self, declared: &Schema) -> Schema {
        Db::comparable(&self.inner, declared)
    }
}
