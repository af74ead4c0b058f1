//! The async PostgreSQL driver, written once over any async connection
//! ([`PgConnection`]): `tokio-postgres`'s client (feature `tokio-postgres`)
//! and sqlx's PostgreSQL connections (feature `sqlx-postgres`).
//!
//! It does what the blocking [`PostgresDriver`](super::postgres::PostgresDriver)
//! does, with the same SQL: the migrator lock is a session-level advisory
//! lock polled on a second connection; a script runs in one round trip after
//! a savepoint, and again statement by statement to name the one that failed;
//! with a lock timeout set, the lock connection watches which sessions block
//! the migration's, so that a statement that waited too long names them.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use futures_util::future::{Either, select};
use schema_core::Schema;

use super::asynchronous::Db;
use super::failed;
use super::postgres::{
    BLOCKERS_SQL, Blocker, CHECK, FailedBatch, HOLDER_SQL, LOCK_KEY, RECORD, RERUN_LOCK_TIMEOUT,
    SAVEPOINT, WATCH_EVERY, blocker_of, delete_row_sql, held_error, holder_of, is_recorded_sql,
    lock_timeout_error, lost_lock, one_batch_sql, prepare_sql, read_versions_sql,
    set_lock_timeout_sql, set_state_sql, to_i64, version_table_ddl, write_row_sql,
};
use super::{DriverError, RowChange, RowState, ScriptError, VERSION_TABLE, VersionRow, excerpt};
use crate::introspect::IntrospectError;
use crate::migration::Dialect;
use crate::session::{Param, Session, SessionError};
use crate::split::statements;

/// An async connection to PostgreSQL the driver can use: a [`Session`]
/// whose errors tell their SQLSTATE.
#[allow(private_bounds)]
pub trait PgConnection: Session + Send {
    /// The SQLSTATE of `error` (`55P03` for a lock timeout), when the server
    /// gave one.
    fn sqlstate(error: &SessionError) -> Option<String>;
}

/// A PostgreSQL database the async migrator can work on: a working
/// connection and a second one for the migrator lock.
pub struct AsyncPostgresDriver<C> {
    client: C,
    lock: C,
    in_transaction: bool,
    lock_timeout: Option<Duration>,
    backend_pid: Option<i32>,
    /// As the blocking driver's: the script whose one batch just failed
    /// inside it.
    failed_batch: Option<FailedBatch<SessionError>>,
    /// The one-batch up's statements are prepared (until `unlock`).
    prepared: bool,
}

impl<C> std::fmt::Debug for AsyncPostgresDriver<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncPostgresDriver")
            .field("in_transaction", &self.in_transaction)
            .finish_non_exhaustive()
    }
}

impl<C: PgConnection> AsyncPostgresDriver<C> {
    /// Wraps a working connection and a second connection to the same
    /// database, which holds the migrator lock.
    pub fn new(client: C, lock_connection: C) -> Self {
        AsyncPostgresDriver {
            client,
            lock: lock_connection,
            in_transaction: false,
            lock_timeout: None,
            backend_pid: None,
            failed_batch: None,
            prepared: false,
        }
    }

    /// The working connection, to read and write rows.
    pub fn client(&mut self) -> &mut C {
        &mut self.client
    }

    /// The two connections, given back (working, lock).
    pub fn into_connections(self) -> (C, C) {
        (self.client, self.lock)
    }

    async fn batch(&mut self, doing: &str, sql: &str) -> Result<(), DriverError> {
        self.client.execute(sql).await.map_err(failed(doing))
    }

    async fn backend_pid(&mut self) -> Result<i32, DriverError> {
        if let Some(pid) = self.backend_pid {
            return Ok(pid);
        }
        let pid: i32 = self
            .client
            .query_one("SELECT pg_backend_pid()", &[])
            .await
            .map_err(failed("reading the session's process id"))?
            .get(0);
        self.backend_pid = Some(pid);
        Ok(pid)
    }
}

fn is_lock_timeout<C: PgConnection>(e: &SessionError) -> bool {
    C::sqlstate(e).as_deref() == Some("55P03")
}

/// Runs `list` one statement per round trip, stopping at the first failure;
/// the failure's session error is kept for the caller to inspect.
async fn each_statement<C: PgConnection>(
    client: &mut C,
    list: &[&str],
) -> Result<(), (ScriptError, Option<String>)> {
    for (i, statement) in list.iter().enumerate() {
        if let Err(e) = client.execute(statement).await {
            let state = C::sqlstate(&e);
            return Err((
                ScriptError {
                    statement: i + 1,
                    statements: list.len(),
                    sql: excerpt(statement),
                    error: failed("running the migration")(e),
                },
                state,
            ));
        }
    }
    Ok(())
}

/// See the blocking driver's `run_script_on`: the same steps, awaited
/// (`earlier`: the error of the script's failed one batch). The error's
/// SQLSTATE comes along.
async fn run_script_on<C: PgConnection>(
    client: &mut C,
    in_transaction: bool,
    sql: &str,
    lock_timeout: Option<Duration>,
    earlier: Option<SessionError>,
) -> Result<(), (ScriptError, Option<String>)> {
    let list = statements(sql, Dialect::Postgres);
    let first = match earlier {
        Some(first) if in_transaction => first,
        _ => {
            if !in_transaction || list.len() < 2 {
                return each_statement(client, &list).await;
            }
            let batch = format!("SAVEPOINT {SAVEPOINT};\n{sql}");
            let Err(first) = client.execute(&batch).await else {
                return Ok(());
            };
            let back = format!("ROLLBACK TO SAVEPOINT {SAVEPOINT}");
            if client.execute(&back).await.is_err() {
                let first_state = C::sqlstate(&first);
                if client.execute("ROLLBACK; BEGIN").await.is_ok() {
                    each_statement(client, &list).await?;
                }
                return Err((
                    ScriptError {
                        statement: 1,
                        statements: list.len(),
                        sql: excerpt(sql),
                        error: failed("running the migration")(first),
                    },
                    first_state,
                ));
            }
            first
        }
    };
    let first_state = C::sqlstate(&first);
    if !is_lock_timeout::<C>(&first) {
        return each_statement(client, &list).await;
    }
    let _ = client
        .execute(&set_lock_timeout_sql(true, RERUN_LOCK_TIMEOUT))
        .await;
    let again = each_statement(client, &list).await;
    if let Some(t) = lock_timeout {
        let _ = client.execute(&set_lock_timeout_sql(true, t)).await;
    }
    again.map_err(|(mut e, state)| {
        if state.as_deref() == Some("55P03") {
            (e, state)
        } else {
            e.error = failed("running the migration")(first);
            (e, first_state)
        }
    })
}

/// Awaits `work` while `lock` asks who blocks server process `pid` (see
/// [`watch_blockers`]); gives `work`'s output and the sessions seen blocking.
async fn watched<C: PgConnection, T>(
    lock: &mut C,
    pid: i32,
    work: impl Future<Output = T>,
) -> (T, Vec<Blocker>) {
    let seen = Mutex::new(Vec::new());
    let result = {
        let run = std::pin::pin!(work);
        let watch = std::pin::pin!(watch_blockers(lock, pid, &seen));
        match select(run, watch).await {
            Either::Left((result, _)) => result,
            Either::Right(((), run)) => run.await,
        }
    };
    (result, seen.into_inner().unwrap_or_default())
}

/// Asks on `lock` every [`WATCH_EVERY`] which sessions block server process
/// `pid`, keeping the last non-empty answer in `seen`; never ends (the
/// caller drops it when the script is done).
async fn watch_blockers<C: PgConnection>(lock: &mut C, pid: i32, seen: &Mutex<Vec<Blocker>>) {
    loop {
        tokio::time::sleep(WATCH_EVERY).await;
        if let Ok(rows) = lock.query(BLOCKERS_SQL, &[Param::Int4(pid)]).await {
            if !rows.is_empty() {
                if let Ok(mut s) = seen.lock() {
                    *s = rows.iter().map(blocker_of).collect();
                }
            }
        }
    }
}

use super::lock::{FIRST_PAUSE, MAX_PAUSE};

impl<C: PgConnection> Db for AsyncPostgresDriver<C> {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn transactional_ddl(&self) -> bool {
        true
    }

    fn comparable(&self, declared: &Schema) -> Schema {
        declared.clone()
    }

    async fn lock(&mut self, timeout: Duration) -> Result<(), DriverError> {
        let started = Instant::now();
        let mut pause = FIRST_PAUSE;
        loop {
            let taken: bool = self
                .lock
                .query_one("SELECT pg_try_advisory_lock($1)", &[Param::Int8(LOCK_KEY)])
                .await
                .map_err(failed("taking the migrator lock"))?
                .get(0);
            if taken {
                return Ok(());
            }
            if started.elapsed() >= timeout {
                let who = match self
                    .lock
                    .query(
                        HOLDER_SQL,
                        &[
                            Param::Int8(LOCK_KEY >> 32),
                            Param::Int8(LOCK_KEY & 0xffff_ffff),
                        ],
                    )
                    .await
                {
                    Ok(rows) if rows.len() == 1 => holder_of(&rows[0]),
                    _ => "another session".to_string(),
                };
                return Err(held_error(&who, timeout));
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(MAX_PAUSE);
        }
    }

    async fn set_lock_timeout(&mut self, timeout: Duration) -> Result<(), DriverError> {
        self.batch(
            "setting lock_timeout",
            &set_lock_timeout_sql(false, timeout),
        )
        .await?;
        self.lock_timeout = Some(timeout);
        Ok(())
    }

    async fn unlock(&mut self) -> Result<(), DriverError> {
        if self.lock_timeout.take().is_some() {
            let _ = self.client.execute("RESET lock_timeout").await;
        }
        if std::mem::take(&mut self.prepared) {
            let _ = self
                .client
                .execute(&format!("DEALLOCATE {CHECK}; DEALLOCATE {RECORD}"))
                .await;
        }
        let released: bool = self
            .lock
            .query_one("SELECT pg_advisory_unlock($1)", &[Param::Int8(LOCK_KEY)])
            .await
            .map_err(failed("releasing the migrator lock"))?
            .get(0);
        if released { Ok(()) } else { Err(lost_lock()) }
    }

    async fn ensure_version_table(&mut self) -> Result<(), DriverError> {
        self.batch("creating the version table", &version_table_ddl())
            .await
    }

    async fn read_versions(&mut self) -> Result<Vec<VersionRow>, DriverError> {
        let doing = "reading the version table";
        let exists: bool = self
            .client
            .query_one(
                "SELECT to_regclass($1) IS NOT NULL",
                &[Param::Text(VERSION_TABLE)],
            )
            .await
            .map_err(failed(doing))?
            .get(0);
        if !exists {
            return Ok(Vec::new());
        }
        let rows = self
            .client
            .query(&read_versions_sql(), &[])
            .await
            .map_err(failed(doing))?;
        rows.iter().map(super::version_row_of).collect()
    }

    async fn is_recorded(&mut self, version: u64) -> Result<bool, DriverError> {
        let version = to_i64(version)?;
        Ok(self
            .client
            .query_one(&is_recorded_sql(), &[Param::Int8(version)])
            .await
            .map_err(failed("reading the version table"))?
            .get::<_, i64>(0)
            > 0)
    }

    async fn begin(&mut self, _script: &str) -> Result<(), DriverError> {
        self.batch("starting a transaction", "BEGIN").await?;
        self.in_transaction = true;
        Ok(())
    }

    async fn commit(&mut self) -> Result<(), DriverError> {
        self.in_transaction = false;
        self.failed_batch = None;
        self.batch("committing", "COMMIT").await
    }

    async fn rollback(&mut self) -> Result<(), DriverError> {
        self.in_transaction = false;
        self.failed_batch = None;
        self.batch("rolling back", "ROLLBACK").await
    }

    async fn run_script(&mut self, sql: &str) -> Result<(), ScriptError> {
        let in_transaction = self.in_transaction;
        let (earlier, seen_before) = match self
            .failed_batch
            .take()
            .filter(|f| in_transaction && f.sql == sql)
        {
            Some(f) => (Some(f.error), f.seen),
            None => (None, Vec::new()),
        };
        let Some(timeout) = self.lock_timeout else {
            return run_script_on(&mut self.client, in_transaction, sql, None, earlier)
                .await
                .map_err(|(e, _)| e);
        };
        let pid = match self.backend_pid().await {
            Ok(pid) => pid,
            Err(error) => {
                return Err(ScriptError {
                    statement: 1,
                    statements: statements(sql, Dialect::Postgres).len(),
                    sql: excerpt(sql),
                    error,
                });
            }
        };
        let (result, seen) = watched(
            &mut self.lock,
            pid,
            run_script_on(
                &mut self.client,
                in_transaction,
                sql,
                Some(timeout),
                earlier,
            ),
        )
        .await;
        let seen = if seen.is_empty() { seen_before } else { seen };
        result.map_err(|(mut e, state)| {
            if state.as_deref() == Some("55P03") {
                e.error = lock_timeout_error(e.error, timeout, &seen);
            }
            e
        })
    }

    /// As the blocking driver's: the whole migration in one round trip (its
    /// statements prepared once per session), watched as `run_script` is; on
    /// failure rolled back, `false`, a failure inside its transaction kept
    /// for the next `run_script` of the script.
    async fn run_in_one_batch(
        &mut self,
        change: RowChange<'_>,
        script: &str,
    ) -> Result<bool, DriverError> {
        self.failed_batch = None;
        let Ok(batch) = one_batch_sql(change, script) else {
            return Ok(false);
        };
        if matches!(change, RowChange::Insert(_)) && !self.prepared {
            if self.client.execute(&prepare_sql()).await.is_err() {
                let _ = self.client.execute(&format!("DEALLOCATE {CHECK}")).await;
                let _ = self.client.execute(&format!("DEALLOCATE {RECORD}")).await;
                if self.client.execute(&prepare_sql()).await.is_err() {
                    return Ok(false);
                }
            }
            self.prepared = true;
        }
        let (result, seen) = match self.lock_timeout {
            None => (self.client.execute(&batch).await, Vec::new()),
            Some(_) => {
                let Ok(pid) = self.backend_pid().await else {
                    return Ok(false);
                };
                watched(&mut self.lock, pid, self.client.execute(&batch)).await
            }
        };
        let Err(error) = result else {
            return Ok(true);
        };
        if C::sqlstate(&error).as_deref() == Some("26000") {
            self.prepared = false;
        }
        let aborted = match self.client.execute("SELECT 1").await {
            Err(e) => C::sqlstate(&e).as_deref() == Some("25P02"),
            Ok(()) => false,
        };
        let _ = self.client.execute("ROLLBACK").await;
        if aborted {
            self.failed_batch = Some(FailedBatch {
                sql: script.to_string(),
                error,
                seen,
            });
        }
        Ok(false)
    }

    async fn write_row(&mut self, row: &VersionRow) -> Result<(), DriverError> {
        let version = to_i64(row.version)?;
        self.client
            .query(&write_row_sql(), &super::row_params(version, row))
            .await
            .map(drop)
            .map_err(failed("recording a migration"))
    }

    async fn set_state(
        &mut self,
        version: u64,
        state: RowState,
        duration_ms: Option<f64>,
    ) -> Result<(), DriverError> {
        let version = to_i64(version)?;
        self.client
            .query(
                &set_state_sql(),
                &[
                    Param::Int8(version),
                    Param::Text(state.as_str()),
                    Param::Float8(duration_ms),
                ],
            )
            .await
            .map(drop)
            .map_err(failed("recording a migration's state"))
    }

    async fn delete_row(&mut self, version: u64) -> Result<(), DriverError> {
        let version = to_i64(version)?;
        self.client
            .query(&delete_row_sql(), &[Param::Int8(version)])
            .await
            .map(drop)
            .map_err(failed("removing a migration's record"))
    }

    async fn introspect(&mut self, schemas: &[String]) -> Result<Schema, IntrospectError> {
        let names: Vec<&str> = schemas.iter().map(String::as_str).collect();
        crate::introspect::postgres::introspect_within(
            &mut self.client,
            &names,
            self.in_transaction,
        )
        .await
    }

    async fn namespaces(&mut self) -> Result<Vec<String>, IntrospectError> {
        crate::introspect::postgres::user_schemas_on(&mut self.client).await
    }

    async fn unusable(&mut self, schemas: &[String]) -> Result<Vec<String>, IntrospectError> {
        let names: Vec<&str> = schemas.iter().map(String::as_str).collect();
        Ok(
            crate::introspect::postgres::invalid_indexes_on(&mut self.client, &names)
                .await?
                .iter()
                .map(ToString::to_string)
                .collect(),
        )
    }

    async fn as_stored(&mut self, declared: &Schema) -> Schema {
        if self.in_transaction {
            return declared.clone();
        }
        crate::stored::as_stored_on(&mut self.client, declared).await
    }
}

#[cfg(feature = "tokio-postgres")]
pub mod tokio_postgres_connection {
    //! `tokio-postgres`'s client as a [`PgConnection`](super::PgConnection),
    //! and [`connect`].

    use std::time::Duration;

    use tokio_postgres::{Client, Config, NoTls};

    use super::{AsyncPostgresDriver, PgConnection};
    use crate::connect::{DEFAULT_CONNECT_TIMEOUT, URL_FORMS, redact};
    use crate::driver::DriverError;
    use crate::driver::postgres::{
        KEEPALIVES_IDLE, LIBRARY_KEEPALIVES_IDLE, address, fmt_secs, waits_forever,
    };
    use crate::session::pg::{Owned, row};
    use crate::session::{Param, Row, Session, SessionError};

    impl Session for Client {
        async fn execute(&mut self, sql: &str) -> Result<(), SessionError> {
            self.batch_execute(sql).await.map_err(Into::into)
        }

        async fn query(
            &mut self,
            sql: &str,
            params: &[Param<'_>],
        ) -> Result<Vec<Row>, SessionError> {
            let owned = Owned::all(params);
            let refs: Vec<_> = owned.iter().map(Owned::as_sql).collect();
            let rows = Client::query(self, sql, &refs).await?;
            Ok(rows.iter().map(row).collect())
        }
    }

    impl PgConnection for Client {
        fn sqlstate(error: &SessionError) -> Option<String> {
            error
                .downcast_ref::<tokio_postgres::Error>()
                .and_then(tokio_postgres::Error::code)
                .map(|c| c.code().to_string())
        }
    }

    /// The async driver on `tokio-postgres`.
    pub type TokioPostgresDriver = AsyncPostgresDriver<Client>;

    crate::driver::asynchronous::async_driver_via_db!(AsyncPostgresDriver<Client>);

    async fn open(config: &Config, at: &str, doing: &str) -> Result<Client, DriverError> {
        let connecting = config.connect(NoTls);
        let connected = match config.get_connect_timeout().copied() {
            None => connecting.await,
            Some(timeout) => match tokio::time::timeout(timeout, connecting).await {
                Ok(c) => c,
                Err(_) => {
                    return Err(DriverError::message(
                        doing,
                        format!(
                            "no answer from {at} within the connect timeout of {} s: check \
                             that a PostgreSQL server listens there and is up, or raise the \
                             timeout (`connect_timeout=SECONDS` in the URL)",
                            fmt_secs(timeout)
                        ),
                    ));
                }
            },
        };
        let (client, connection) =
            connected.map_err(|e| DriverError::new(format!("{doing} at {at}"), e))?;
        tokio::spawn(async move {
            // Ends when the client is dropped or the server goes away; the
            // client's next call reports the latter.
            let _ = connection.await;
        });
        // As the blocking driver: a killed migrator's statement stops within
        // a second on PostgreSQL 14+.
        let _ = client
            .batch_execute("SET client_connection_check_interval = '1s'")
            .await;
        Ok(client)
    }

    /// Connects to `url` twice (the working connection and the lock's), as
    /// [`PostgresDriver::connect`](crate::driver::postgres::PostgresDriver::connect)
    /// does: the same URL forms, connect timeout and keepalives. Needs a tokio
    /// runtime (the connections' tasks are spawned on it).
    ///
    /// # Errors
    /// When the URL cannot be read, the server refuses, or it does not answer
    /// in time.
    pub async fn connect(url: &str) -> Result<TokioPostgresDriver, DriverError> {
        connect_timeout(url, DEFAULT_CONNECT_TIMEOUT).await
    }

    /// [`connect`] with a connect timeout (`connect_timeout` in the URL wins).
    ///
    /// # Errors
    /// As [`connect`].
    pub async fn connect_timeout(
        url: &str,
        timeout: Duration,
    ) -> Result<TokioPostgresDriver, DriverError> {
        let mut config: Config = url.parse().map_err(|e| {
            DriverError::message(
                "reading the PostgreSQL URL",
                format!(
                    "`{}` is not a PostgreSQL URL this build can read: {e}; use {URL_FORMS}",
                    redact(url)
                ),
            )
        })?;
        if config.get_hosts().is_empty() && config.get_hostaddrs().is_empty() {
            return Err(DriverError::message(
                "reading the PostgreSQL URL",
                format!(
                    "`{}` names no host: use `postgres://user@host:port/database`",
                    redact(url)
                ),
            ));
        }
        if config.get_connect_timeout().is_none() && !waits_forever(url) {
            config.connect_timeout(timeout);
        }
        if config.get_keepalives() && config.get_keepalives_idle() == LIBRARY_KEEPALIVES_IDLE {
            config.keepalives_idle(KEEPALIVES_IDLE);
        }
        let at = url
            .parse::<postgres::Config>()
            .map(|c| address(&c))
            .unwrap_or_default();
        let client = open(&config, &at, "connecting to PostgreSQL").await?;
        let lock = open(&config, &at, "opening the lock connection").await?;
        Ok(AsyncPostgresDriver::new(client, lock))
    }
}

#[cfg(feature = "sqlx-postgres")]
pub mod sqlx_connection {
    //! sqlx 0.8's PostgreSQL connections as a [`PgConnection`](super::PgConnection):
    //! a connection of its own or one taken from the application's pool.

    use sqlx::pool::PoolConnection;
    use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow, PgTypeInfo};
    use sqlx::{Column, Executor, Postgres, Row as _, TypeInfo, ValueRef};

    use super::{AsyncPostgresDriver, Duration, PgConnection};
    use crate::connect::{URL_FORMS, redact};
    use crate::driver::DriverError;
    use crate::driver::postgres::{address, fmt_secs, waits_forever};
    use crate::session::{Cell, Param, Row, Session, SessionError};

    fn cell(row: &PgRow, i: usize, ty: &PgTypeInfo) -> Cell {
        fn get<'r, T: sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>>(
            row: &'r PgRow,
            i: usize,
            f: impl Fn(T) -> Cell,
        ) -> Cell {
            match row.try_get::<Option<T>, _>(i) {
                Ok(Some(v)) => f(v),
                Ok(None) => Cell::Null,
                Err(e) => Cell::Other(e.to_string()),
            }
        }
        fn array<'r, T>(row: &'r PgRow, i: usize, f: impl Fn(T) -> Cell) -> Cell
        where
            T: sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>,
            Vec<Option<T>>: sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>,
        {
            get::<Vec<Option<T>>>(row, i, |items| {
                Cell::Array(
                    items
                        .into_iter()
                        .map(|x| x.map_or(Cell::Null, &f))
                        .collect(),
                )
            })
        }
        if row.try_get_raw(i).is_ok_and(|v| v.is_null()) {
            return Cell::Null;
        }
        match ty.name() {
            "BOOL" => get::<bool>(row, i, Cell::Bool),
            "INT2" => get::<i16>(row, i, |v| Cell::Int(v.into())),
            "INT4" => get::<i32>(row, i, |v| Cell::Int(v.into())),
            "INT8" => get::<i64>(row, i, Cell::Int),
            "OID" => get::<sqlx::postgres::types::Oid>(row, i, |v| Cell::Int(v.0.into())),
            "FLOAT4" => get::<f32>(row, i, |v| Cell::Float(v.into())),
            "FLOAT8" => get::<f64>(row, i, Cell::Float),
            "\"CHAR\"" | "CHAR" => get::<i8>(row, i, |v| {
                Cell::Text(char::from(v.to_ne_bytes()[0]).to_string())
            }),
            "BOOL[]" => array::<bool>(row, i, Cell::Bool),
            "INT2[]" | "INT2VECTOR" => array::<i16>(row, i, |v| Cell::Int(v.into())),
            "INT4[]" => array::<i32>(row, i, |v| Cell::Int(v.into())),
            "INT8[]" => array::<i64>(row, i, Cell::Int),
            "OID[]" | "OIDVECTOR" => {
                array::<sqlx::postgres::types::Oid>(row, i, |v| Cell::Int(v.0.into()))
            }
            "TEXT[]" | "NAME[]" | "VARCHAR[]" | "BPCHAR[]" | "\"CHAR\"[]" | "CHAR[]" => {
                array::<String>(row, i, Cell::Text)
            }
            _ => match row.try_get_unchecked::<Option<String>, _>(i) {
                Ok(Some(v)) => Cell::Text(v),
                Ok(None) => Cell::Null,
                Err(_) => Cell::Other(ty.name().to_string()),
            },
        }
    }

    fn row_of(row: &PgRow) -> Row {
        Row(row
            .columns()
            .iter()
            .enumerate()
            .map(|(i, c)| cell(row, i, c.type_info()))
            .collect())
    }

    macro_rules! session {
        ($t:ty) => {
            impl Session for $t {
                async fn execute(&mut self, sql: &str) -> Result<(), SessionError> {
                    let conn: &mut sqlx::PgConnection = &mut **self;
                    Executor::execute(conn, sqlx::raw_sql(sql))
                        .await
                        .map(drop)
                        .map_err(Into::into)
                }

                async fn query(
                    &mut self,
                    sql: &str,
                    params: &[Param<'_>],
                ) -> Result<Vec<Row>, SessionError> {
                    let mut q = sqlx::query(sql);
                    for p in params {
                        q = match *p {
                            Param::Text(s) => q.bind(s.to_string()),
                            Param::Texts(s) => q.bind(s.to_vec()),
                            Param::Int8(i) => q.bind(i),
                            Param::Int4(i) => q.bind(i),
                            Param::Float8(f) => q.bind(f),
                            Param::Bool(b) => q.bind(b),
                        };
                    }
                    let rows = (&mut **self).fetch_all(q).await?;
                    Ok(rows.iter().map(row_of).collect())
                }
            }

            impl PgConnection for $t {
                fn sqlstate(error: &SessionError) -> Option<String> {
                    match error.downcast_ref::<sqlx::Error>() {
                        Some(sqlx::Error::Database(e)) => e.code().map(|c| c.into_owned()),
                        _ => None,
                    }
                }
            }
        };
    }

    session!(PoolConnection<Postgres>);

    crate::driver::asynchronous::async_driver_via_db!(
        AsyncPostgresDriver<PoolConnection<Postgres>>
    );

    /// The async driver over two connections of an sqlx pool.
    pub type SqlxPostgresDriver = AsyncPostgresDriver<PoolConnection<Postgres>>;

    impl SqlxPostgresDriver {
        /// Takes two connections from `pool` (the working one and the lock's)
        /// for as long as the driver lives; they go back to the pool when it
        /// is dropped. Leaves the session settings it changed as it found
        /// them (`lock_timeout` is reset when the migrator lets go).
        ///
        /// # Errors
        /// When the pool cannot give two connections.
        pub async fn from_pool(pool: &PgPool) -> Result<Self, DriverError> {
            let client = pool
                .acquire()
                .await
                .map_err(DriverError::while_("taking a connection from the pool"))?;
            let lock = pool.acquire().await.map_err(DriverError::while_(
                "taking the lock's connection from the pool",
            ))?;
            Ok(AsyncPostgresDriver::new(client, lock))
        }
    }

    /// A pool of its own (two connections) on the database `url` names, and
    /// the driver over it: what the `schema` command line opens with
    /// `SCHEMA_PG_DRIVER=sqlx-postgres`. The same URL forms and connect
    /// timeout as [`PostgresDriver::connect_timeout`]
    /// (`connect_timeout` in the URL wins; `0` waits for ever), and, as
    /// there, a killed migrator's statement stops within a second on
    /// PostgreSQL 14+. Needs a tokio runtime.
    ///
    /// [`PostgresDriver::connect_timeout`]: crate::driver::postgres::PostgresDriver::connect_timeout
    ///
    /// # Errors
    /// When the URL cannot be read, the server refuses, or it does not answer
    /// in time.
    pub async fn connect_timeout(
        url: &str,
        timeout: Duration,
    ) -> Result<SqlxPostgresDriver, DriverError> {
        let unreadable = |e: &dyn std::fmt::Display| {
            DriverError::message(
                "reading the PostgreSQL URL",
                format!(
                    "`{}` is not a PostgreSQL URL this build can read: {e}; use {URL_FORMS}",
                    redact(url)
                ),
            )
        };
        let options: PgConnectOptions = url.parse().map_err(|e| unreadable(&e))?;
        let config: postgres::Config = url.parse().map_err(|e| unreadable(&e))?;
        let at = address(&config);
        let wait = match config.get_connect_timeout() {
            Some(t) => Some(*t),
            None if waits_forever(url) => None,
            None => Some(timeout),
        };
        let connecting = PgPoolOptions::new()
            .max_connections(2)
            .min_connections(0)
            // The pool's own bound stays out of the way of ours below.
            .acquire_timeout(Duration::from_secs(u64::from(u32::MAX)))
            .after_connect(|conn, _| {
                Box::pin(async move {
                    // PostgreSQL 14+; older servers keep the statement running.
                    let _ = conn
                        .execute("SET client_connection_check_interval = '1s'")
                        .await;
                    Ok(())
                })
            })
            .connect_with(options);
        let opened = async {
            let pool = connecting
                .await
                .map_err(|e| DriverError::new(format!("connecting to PostgreSQL at {at}"), e))?;
            SqlxPostgresDriver::from_pool(&pool).await
        };
        match wait {
            None => opened.await,
            Some(wait) => tokio::time::timeout(wait, opened)
                .await
                .unwrap_or_else(|_| {
                    Err(DriverError::message(
                        "connecting to PostgreSQL",
                        format!(
                            "no answer from {at} within the connect timeout of {} s: check \
                         that a PostgreSQL server listens there and is up, or raise the \
                         timeout (`connect_timeout=SECONDS` in the URL)",
                            fmt_secs(wait)
                        ),
                    ))
                }),
        }
    }
}
