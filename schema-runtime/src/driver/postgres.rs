//! The PostgreSQL driver: a working connection for migrations and a second one
//! that holds the migrator lock.
//!
//! # The lock
//! A session-level advisory lock (key [`LOCK_KEY`]) taken on its own
//! connection by polling `pg_try_advisory_lock`, never by waiting in
//! `pg_advisory_lock`: a waiting session would hold up `CREATE INDEX
//! CONCURRENTLY` on the working connection of the migrator that holds the lock
//! (it waits for every transaction that could see the table), a deadlock
//! PostgreSQL cannot see. The lock is released with `pg_advisory_unlock`, whose
//! answer is checked; it also goes when the process dies, with its connection.

use std::time::{Duration, Instant};

use postgres::types::Type;
use postgres::{Client, Config, NoTls};
use schema_core::Schema;

use super::{Driver, DriverError, RowState, ScriptError, VERSION_TABLE, VersionRow, excerpt};
use crate::introspect::IntrospectError;
use crate::migration::Dialect;
use crate::split::statements;

/// The advisory lock's key: `schema` and 1 in its bytes. Advisory locks are per
/// database, so migrators of different databases never wait for each other.
pub const LOCK_KEY: i64 = 0x7363_6865_6d61_0001;

/// A PostgreSQL database the migrator can work on.
pub struct PostgresDriver {
    client: Client,
    config: Option<Config>,
    lock: Option<Client>,
    /// Between `begin` and `commit` or `rollback`.
    in_transaction: bool,
}

/// The savepoint a script runs after inside a transaction (see `run_script`).
const SAVEPOINT: &str = "_schema_script";

impl std::fmt::Debug for PostgresDriver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresDriver")
            .field("locked", &self.lock.is_some())
            .finish_non_exhaustive()
    }
}

impl PostgresDriver {
    /// Connects to `url` (`postgres://user@host:port/db`, or the key=value
    /// form). The lock connection is opened when the lock is first taken.
    ///
    /// # Errors
    /// When the URL cannot be read or the server refuses the connection.
    pub fn connect(url: &str) -> Result<Self, DriverError> {
        let config: Config = url
            .parse()
            .map_err(DriverError::while_("reading the PostgreSQL URL"))?;
        let mut client = config
            .connect(NoTls)
            .map_err(DriverError::while_("connecting to PostgreSQL"))?;
        // PostgreSQL 14+: stop a running statement within a second when this
        // process dies, so a killed migrator's locks go with it. Older servers
        // do not know the setting; they keep running it to its end.
        let _ = client.batch_execute("SET client_connection_check_interval = '1s'");
        Ok(PostgresDriver {
            client,
            config: Some(config),
            lock: None,
            in_transaction: false,
        })
    }

    /// Wraps a working connection and a second connection to the same database
    /// for the lock.
    pub fn new(client: Client, lock_connection: Client) -> Self {
        PostgresDriver {
            client,
            config: None,
            lock: Some(lock_connection),
            in_transaction: false,
        }
    }

    /// The working connection, to read and write rows.
    pub fn client(&mut self) -> &mut Client {
        &mut self.client
    }

    /// The working connection, given back.
    pub fn into_client(self) -> Client {
        self.client
    }

    fn lock_client(&mut self) -> Result<&mut Client, DriverError> {
        if self.lock.is_none() {
            let config = self.config.as_ref().ok_or_else(|| {
                DriverError::message("taking the migrator lock", "no lock connection")
            })?;
            let client = config
                .connect(NoTls)
                .map_err(DriverError::while_("opening the lock connection"))?;
            self.lock = Some(client);
        }
        self.lock
            .as_mut()
            .ok_or_else(|| DriverError::message("taking the migrator lock", "no lock connection"))
    }

    fn batch(&mut self, doing: &str, sql: &str) -> Result<(), DriverError> {
        self.client
            .batch_execute(sql)
            .map_err(DriverError::while_(doing))
    }

    /// Runs `list` one statement per round trip, stopping at the first failure.
    fn each_statement(&mut self, list: &[&str]) -> Result<(), ScriptError> {
        for (i, statement) in list.iter().enumerate() {
            self.client
                .batch_execute(statement)
                .map_err(|e| ScriptError {
                    statement: i + 1,
                    statements: list.len(),
                    sql: excerpt(statement),
                    error: DriverError::new("running the migration", e),
                })?;
        }
        Ok(())
    }
}

/// Who holds the advisory lock in this database (advisory locks of the same
/// key in other databases of the cluster are other migrators'), as
/// `pg_stat_activity` says.
fn holder(client: &mut Client) -> String {
    let row = client.query_opt(
        "SELECT a.pid, coalesce(a.application_name, ''), coalesce(a.client_addr::text, 'local'), \
                a.backend_start::text \
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
         WHERE l.locktype = 'advisory' AND l.granted \
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
           AND l.classid::bigint = $1 AND l.objid::bigint = $2 AND l.objsubid = 1",
        &[&(LOCK_KEY >> 32), &(LOCK_KEY & 0xffff_ffff)],
    );
    match row {
        Ok(Some(row)) => format!(
            "server process {} (application `{}`, from {}, connected at {})",
            row.get::<_, i32>(0),
            row.get::<_, String>(1),
            row.get::<_, String>(2),
            row.get::<_, String>(3)
        ),
        _ => "another session".to_string(),
    }
}

fn to_i64(version: u64) -> Result<i64, DriverError> {
    i64::try_from(version).map_err(|_| {
        DriverError::message(
            "recording a migration",
            format!("version {version} is larger than a bigint"),
        )
    })
}

impl Driver for PostgresDriver {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn lock(&mut self, timeout: Duration) -> Result<(), DriverError> {
        let started = Instant::now();
        let mut pause = Duration::from_millis(10);
        let client = self.lock_client()?;
        loop {
            let taken: bool = client
                .query_typed_one(
                    "SELECT pg_try_advisory_lock($1)",
                    &[(&LOCK_KEY, Type::INT8)],
                )
                .map_err(DriverError::while_("taking the migrator lock"))?
                .get(0);
            if taken {
                return Ok(());
            }
            if started.elapsed() >= timeout {
                let who = holder(client);
                return Err(DriverError::message(
                    "taking the migrator lock",
                    format!(
                        "{who} has held advisory lock {LOCK_KEY} for more than {} s; \
                         it is released when that migrator finishes or its connection closes",
                        timeout.as_secs()
                    ),
                ));
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(200));
        }
    }

    fn unlock(&mut self) -> Result<(), DriverError> {
        let released: bool = self
            .lock_client()?
            .query_typed_one("SELECT pg_advisory_unlock($1)", &[(&LOCK_KEY, Type::INT8)])
            .map_err(DriverError::while_("releasing the migrator lock"))?
            .get(0);
        if released {
            Ok(())
        } else {
            Err(DriverError::message(
                "releasing the migrator lock",
                "the lock was not held any more (its connection was lost while the migrator ran)",
            ))
        }
    }

    fn ensure_version_table(&mut self) -> Result<(), DriverError> {
        self.batch(
            "creating the version table",
            &format!(
                "CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (
                   version bigint PRIMARY KEY,
                   name text NOT NULL,
                   checksum text NOT NULL,
                   applied_at timestamptz NOT NULL DEFAULT now(),
                   duration_ms double precision NOT NULL,
                   down_sql text NOT NULL,
                   no_transaction boolean NOT NULL,
                   state text NOT NULL)"
            ),
        )
    }

    fn read_versions(&mut self) -> Result<Vec<VersionRow>, DriverError> {
        let doing = "reading the version table";
        let exists: bool = self
            .client
            .query_typed_one(
                "SELECT to_regclass($1) IS NOT NULL",
                &[(&VERSION_TABLE, Type::TEXT)],
            )
            .map_err(DriverError::while_(doing))?
            .get(0);
        if !exists {
            return Ok(Vec::new());
        }
        let rows = self
            .client
            .query_typed(
                &format!(
                    "SELECT version, name, checksum, \
                     to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS'), \
                     duration_ms, down_sql, no_transaction, state \
                     FROM {VERSION_TABLE} ORDER BY version"
                ),
                &[],
            )
            .map_err(DriverError::while_(doing))?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
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
            out.push(VersionRow {
                version,
                name: row.get(1),
                checksum: row.get(2),
                applied_at: row.get(3),
                duration_ms: row.get(4),
                down_sql: row.get(5),
                no_transaction: row.get(6),
                state,
            });
        }
        Ok(out)
    }

    fn is_recorded(&mut self, version: u64) -> Result<bool, DriverError> {
        Ok(self
            .client
            .query_typed_one(
                &format!("SELECT count(*) FROM {VERSION_TABLE} WHERE version = $1"),
                &[(&to_i64(version)?, Type::INT8)],
            )
            .map_err(DriverError::while_("reading the version table"))?
            .get::<_, i64>(0)
            > 0)
    }

    fn begin(&mut self, _script: &str) -> Result<(), DriverError> {
        self.batch("starting a transaction", "BEGIN")?;
        self.in_transaction = true;
        Ok(())
    }

    fn commit(&mut self) -> Result<(), DriverError> {
        self.in_transaction = false;
        self.batch("committing", "COMMIT")
    }

    fn rollback(&mut self) -> Result<(), DriverError> {
        self.in_transaction = false;
        self.batch("rolling back", "ROLLBACK")
    }

    /// Inside a transaction, the whole script goes to the server in one round
    /// trip, after a savepoint. When that fails, the statements run again one
    /// by one to name the failing one: from the savepoint, or, when the batch
    /// did not parse (then none of it ran and the transaction is aborted), in
    /// the transaction started again. The caller rolls back on an error; when
    /// the statements all pass from the savepoint (the failure passed: a
    /// deadlock), the script has run. Outside a transaction (a
    /// `no-transaction` migration), statements run one by one: several in one
    /// batch would form an implicit transaction, where `CREATE INDEX
    /// CONCURRENTLY` cannot run.
    fn run_script(&mut self, sql: &str) -> Result<(), ScriptError> {
        let list = statements(sql);
        if !self.in_transaction || list.len() < 2 {
            return self.each_statement(&list);
        }
        let batch = format!("SAVEPOINT {SAVEPOINT};\n{sql}");
        let Err(first) = self.client.batch_execute(&batch) else {
            return Ok(());
        };
        let back = format!("ROLLBACK TO SAVEPOINT {SAVEPOINT}");
        if self.client.batch_execute(&back).is_ok() {
            return self.each_statement(&list);
        }
        if self.client.batch_execute("ROLLBACK; BEGIN").is_ok() {
            self.each_statement(&list)?;
        }
        // Not found statement by statement: the batch's error, for the script.
        Err(ScriptError {
            statement: 1,
            statements: list.len(),
            sql: excerpt(sql),
            error: DriverError::new("running the migration", first),
        })
    }

    fn write_row(&mut self, row: &VersionRow) -> Result<(), DriverError> {
        self.client
            .execute_typed(
                &format!(
                    "INSERT INTO {VERSION_TABLE} \
                     (version, name, checksum, duration_ms, down_sql, no_transaction, state) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) \
                     ON CONFLICT (version) DO UPDATE SET name = EXCLUDED.name, \
                     checksum = EXCLUDED.checksum, applied_at = now(), \
                     duration_ms = EXCLUDED.duration_ms, down_sql = EXCLUDED.down_sql, \
                     no_transaction = EXCLUDED.no_transaction, state = EXCLUDED.state"
                ),
                &[
                    (&to_i64(row.version)?, Type::INT8),
                    (&row.name, Type::TEXT),
                    (&row.checksum, Type::TEXT),
                    (&row.duration_ms, Type::FLOAT8),
                    (&row.down_sql, Type::TEXT),
                    (&row.no_transaction, Type::BOOL),
                    (&row.state.as_str(), Type::TEXT),
                ],
            )
            .map(drop)
            .map_err(DriverError::while_("recording a migration"))
    }

    fn set_state(
        &mut self,
        version: u64,
        state: RowState,
        duration_ms: Option<f64>,
    ) -> Result<(), DriverError> {
        self.client
            .execute_typed(
                &format!(
                    "UPDATE {VERSION_TABLE} SET state = $2, \
                     duration_ms = coalesce($3, duration_ms) WHERE version = $1"
                ),
                &[
                    (&to_i64(version)?, Type::INT8),
                    (&state.as_str(), Type::TEXT),
                    (&duration_ms, Type::FLOAT8),
                ],
            )
            .map(drop)
            .map_err(DriverError::while_("recording a migration's state"))
    }

    fn delete_row(&mut self, version: u64) -> Result<(), DriverError> {
        self.client
            .execute_typed(
                &format!("DELETE FROM {VERSION_TABLE} WHERE version = $1"),
                &[(&to_i64(version)?, Type::INT8)],
            )
            .map(drop)
            .map_err(DriverError::while_("removing a migration's record"))
    }

    fn introspect(&mut self, schemas: &[String]) -> Result<Schema, IntrospectError> {
        let names: Vec<&str> = schemas.iter().map(String::as_str).collect();
        crate::postgres::introspect(&mut self.client, &names)
    }

    fn as_stored(&mut self, declared: &Schema) -> Schema {
        if self.in_transaction {
            // Asking opens (and rolls back) a transaction of its own.
            return declared.clone();
        }
        crate::stored::as_stored(&mut self.client, declared)
    }
}
