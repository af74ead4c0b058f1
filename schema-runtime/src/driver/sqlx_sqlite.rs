//! The async SQLite driver over sqlx 0.8's SQLite connections (feature
//! `sqlx-sqlite`): the SQLite driver's logic of
//! [`sqlite_core`](super::sqlite_core) on a connection taken from the
//! application's pool.

use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::{Executor, Row as _, Sqlite, TypeInfo, ValueRef};

use super::DriverError;
use super::sqlite_core::{AsyncSqliteDriver, SqliteConnection};
use crate::session::{Cell, Param, Row, Session, SessionError};

fn cell(row: &SqliteRow, i: usize) -> Cell {
    let kind = match row.try_get_raw(i) {
        Ok(v) if v.is_null() => return Cell::Null,
        Ok(v) => v.type_info().name().to_ascii_uppercase(),
        Err(e) => return Cell::Other(e.to_string()),
    };
    let text = || match row.try_get_unchecked::<String, _>(i) {
        Ok(v) => Cell::Text(v),
        Err(e) => Cell::Other(e.to_string()),
    };
    match kind.as_str() {
        "INTEGER" | "INT" | "BOOLEAN" | "INT8" | "BIGINT" => {
            match row.try_get_unchecked::<i64, _>(i) {
                Ok(v) => Cell::Int(v),
                Err(_) => text(),
            }
        }
        "REAL" | "FLOAT" | "DOUBLE" | "NUMERIC" => match row.try_get_unchecked::<f64, _>(i) {
            Ok(v) => Cell::Float(v),
            Err(_) => text(),
        },
        "BLOB" => Cell::Other("BLOB".to_string()),
        _ => text(),
    }
}

fn row_of(row: &SqliteRow) -> Row {
    Row((0..row.columns().len()).map(|i| cell(row, i)).collect())
}

impl Session for PoolConnection<Sqlite> {
    async fn execute(&mut self, sql: &str) -> Result<(), SessionError> {
        let conn: &mut sqlx::SqliteConnection = self;
        Executor::execute(conn, sqlx::raw_sql(sql))
            .await
            .map(drop)
            .map_err(Into::into)
    }

    async fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, SessionError> {
        let mut q = sqlx::query(sql);
        for p in params {
            q = match *p {
                Param::Text(s) => q.bind(s.to_string()),
                Param::Int8(i) => q.bind(i),
                Param::Int4(i) => q.bind(i),
                Param::Float8(f) => q.bind(f),
                Param::Bool(b) => q.bind(b),
                Param::Texts(_) => return Err("SQLite has no array parameters".into()),
            };
        }
        let conn: &mut sqlx::SqliteConnection = self;
        let rows = conn.fetch_all(q).await?;
        Ok(rows.iter().map(row_of).collect())
    }
}

impl SqliteConnection for PoolConnection<Sqlite> {
    fn is_busy(error: &SessionError) -> bool {
        match error.downcast_ref::<sqlx::Error>() {
            Some(sqlx::Error::Database(e)) => e
                .code()
                .and_then(|c| c.parse::<i64>().ok())
                .is_some_and(|c| matches!(c & 0xff, 5 | 6)),
            _ => false,
        }
    }

    async fn pause(pause: Duration) {
        tokio::time::sleep(pause).await;
    }
}

/// The async SQLite driver over a connection of an sqlx pool.
pub type SqlxSqliteDriver = AsyncSqliteDriver<PoolConnection<Sqlite>>;

super::asynchronous::async_driver_via_db!(AsyncSqliteDriver<PoolConnection<Sqlite>>);

impl SqlxSqliteDriver {
    /// Takes a connection from `pool` for as long as the driver lives (it
    /// goes back to the pool when the driver is dropped, with its busy
    /// timeout set back to 60 s). Foreign keys stay as the pool set them
    /// (sqlx switches them on by default).
    ///
    /// # Errors
    /// When the pool cannot give a connection.
    pub async fn from_pool(pool: &SqlitePool) -> Result<Self, DriverError> {
        let conn = pool
            .acquire()
            .await
            .map_err(DriverError::while_("taking a connection from the pool"))?;
        AsyncSqliteDriver::from_connection(conn).await
    }
}
