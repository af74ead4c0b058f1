//! The SQLite driver's logic, written once over any SQLite connection
//! ([`SqliteConnection`]): `rusqlite`'s (the blocking
//! [`SqliteDriver`](super::sqlite::SqliteDriver), feature `sqlite`) and
//! sqlx 0.8's (the async driver, feature `sqlx-sqlite`).
//!
//! # The lock
//! [`AsyncDriver::lock`] takes SQLite's write lock (`BEGIN IMMEDIATE`, waiting
//! up to the busy timeout), and within it claims the one row of
//! `_schema_migrations_lock` when it is free, then commits. The row names its
//! holder (host, process id and the process's start time), so a row left by a
//! process that died (killed, power loss) is taken over when that process is
//! gone from this host. On systems without `/proc`, a row left by a dead process
//! must be deleted by hand; the timeout error says how.
//!
//! # Foreign keys
//! SQLite ignores `PRAGMA foreign_keys` inside a transaction, and a script that
//! rebuilds tables starts with `PRAGMA foreign_keys=OFF`. So `begin`
//! switches foreign keys off before `BEGIN` when the script asks for it, the
//! script's own `PRAGMA foreign_keys` statements are skipped inside the
//! transaction, and `commit` (or rollback) switches them back on when
//! they were on. A row returned by the script's `PRAGMA foreign_key_check`
//! fails the migration (it is rolled back).

use std::path::Path;
use std::time::{Duration, Instant};

use schema_core::Schema;

use super::asynchronous::Db;
use super::failed;
use super::{DriverError, LOCK_TABLE, RowState, ScriptError, VERSION_TABLE, VersionRow, excerpt};
use crate::introspect::IntrospectError;
use crate::migration::Dialect;
use crate::session::{Param, Session, SessionError};
use crate::split::statements;

/// How long `BEGIN IMMEDIATE` waits for another connection's write lock.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// A SQLite connection the driver can use: a [`Session`] that tells a busy
/// error and can wait.
///
/// Sealed: its supertrait is private to this crate, which implements it for
/// `rusqlite` and sqlx connections.
#[allow(private_bounds, async_fn_in_trait)]
pub trait SqliteConnection: Session {
    /// True when `error` is SQLite giving up on another connection's lock
    /// (`SQLITE_BUSY`, `SQLITE_LOCKED`).
    fn is_busy(error: &SessionError) -> bool;

    /// Waits `pause` (blocking connections sleep the thread).
    async fn pause(pause: Duration);
}

/// A SQLite database the migrator can work on, over any [`SqliteConnection`].
#[derive(Debug)]
pub struct AsyncSqliteDriver<C> {
    pub(crate) conn: C,
    /// Foreign keys were on when `begin` switched them off.
    restore_foreign_keys: bool,
    /// This process as the lock row names it.
    me: Holder,
    /// The busy timeout set by `set_lock_timeout`, when one is.
    lock_timeout: Option<Duration>,
    /// Between `begin` and `commit` or `rollback`.
    in_transaction: bool,
}

/// The error of a statement that waited `timeout` for another connection's
/// lock on the database file.
fn busy_error(doing: &str, e: &SessionError, timeout: Duration) -> DriverError {
    DriverError::message(
        doing,
        format!(
            "{e}: another connection held the database file's lock for more than {} s (the \
             lock timeout); SQLite does not say which connection\n\
             help: end the other connection's transaction (a `BEGIN` left open in a sqlite3 \
             shell, an application writing), then run again; or run with a longer \
             `--lock-timeout`",
            timeout.as_secs()
        ),
    )
}

use super::lock::{FIRST_PAUSE, MAX_PAUSE};

impl<C: SqliteConnection> AsyncSqliteDriver<C> {
    /// Wraps an open connection as it is (its busy timeout is set to 60 s;
    /// its `foreign_keys` setting is kept).
    ///
    /// # Errors
    /// When the busy timeout cannot be set.
    pub async fn from_connection(mut conn: C) -> Result<Self, DriverError> {
        conn.execute(&busy_timeout_sql(BUSY_TIMEOUT))
            .await
            .map_err(failed("setting SQLite's busy timeout"))?;
        Ok(AsyncSqliteDriver {
            conn,
            restore_foreign_keys: false,
            me: Holder::me(),
            lock_timeout: None,
            in_transaction: false,
        })
    }

    /// The connection, to read and write rows.
    pub fn connection(&mut self) -> &mut C {
        &mut self.conn
    }

    /// The connection, given back.
    pub fn into_connection(self) -> C {
        self.conn
    }

    async fn execute(&mut self, doing: &str, sql: &str) -> Result<(), DriverError> {
        match self.conn.execute(sql).await {
            Ok(()) => Ok(()),
            Err(e) => Err(match self.lock_timeout {
                Some(t) if C::is_busy(&e) => busy_error(doing, &e, t),
                _ => failed(doing)(e),
            }),
        }
    }

    async fn count(
        &mut self,
        doing: &str,
        sql: &str,
        params: &[Param<'_>],
    ) -> Result<i64, DriverError> {
        Ok(self
            .conn
            .query_one(sql, params)
            .await
            .map_err(failed(doing))?
            .get::<_, i64>(0))
    }

    async fn foreign_keys_on(&mut self) -> Result<bool, DriverError> {
        Ok(self
            .count("reading PRAGMA foreign_keys", "PRAGMA foreign_keys", &[])
            .await?
            != 0)
    }

    async fn restore(&mut self) -> Result<(), DriverError> {
        if std::mem::take(&mut self.restore_foreign_keys) {
            self.execute("switching foreign keys back on", "PRAGMA foreign_keys=ON")
                .await?;
        }
        Ok(())
    }

    /// One try at the lock row: `Ok(None)` when taken, else who holds it.
    async fn try_lock(&mut self) -> Result<Option<String>, DriverError> {
        self.execute("taking SQLite's write lock", "BEGIN IMMEDIATE")
            .await?;
        let result = self.claim_lock_row().await;
        match &result {
            Ok(None) => self.execute("committing the lock row", "COMMIT").await?,
            _ => {
                let _ = self.conn.execute("ROLLBACK").await;
            }
        }
        result
    }

    async fn claim_lock_row(&mut self) -> Result<Option<String>, DriverError> {
        self.execute(
            "creating the lock table",
            &format!(
                "CREATE TABLE IF NOT EXISTS {LOCK_TABLE} (\
                   id INTEGER PRIMARY KEY CHECK (id = 1), \
                   holder TEXT NOT NULL, \
                   locked_at TEXT NOT NULL)"
            ),
        )
        .await?;
        let held = self
            .conn
            .query(
                &format!("SELECT holder FROM {LOCK_TABLE} WHERE id = 1"),
                &[],
            )
            .await
            .map_err(failed("reading the lock row"))?;
        if let Some(row) = held.first() {
            let holder: String = row.get(0);
            if Holder::parse(&holder).is_none_or(|h| h.is_alive()) {
                return Ok(Some(holder));
            }
        }
        let me = self.me.to_string();
        self.conn
            .query(
                &format!(
                    "INSERT OR REPLACE INTO {LOCK_TABLE} (id, holder, locked_at) \
                     VALUES (1, ?1, strftime('%Y-%m-%d %H:%M:%f', 'now'))"
                ),
                &[Param::Text(&me)],
            )
            .await
            .map_err(failed("writing the lock row"))?;
        Ok(None)
    }
}

/// `PRAGMA busy_timeout` of `timeout`.
fn busy_timeout_sql(timeout: Duration) -> String {
    format!("PRAGMA busy_timeout = {}", timeout.as_millis())
}

/// A process, as the lock row names it: `host:pid:start`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Holder {
    host: String,
    pid: u32,
    /// The process's start time in clock ticks since boot (`/proc/<pid>/stat`
    /// field 22), so that a reused process id is not taken for the holder.
    start: Option<u64>,
}

impl Holder {
    fn me() -> Self {
        let pid = std::process::id();
        Holder {
            host: hostname(),
            pid,
            start: start_time(pid),
        }
    }

    fn parse(text: &str) -> Option<Self> {
        let mut parts = text.rsplitn(3, ':');
        let start = parts.next()?;
        let pid = parts.next()?.parse().ok()?;
        let host = parts.next()?.to_string();
        Some(Holder {
            host,
            pid,
            start: start.parse().ok(),
        })
    }

    /// False only when the holder is on this host and is known to be gone.
    fn is_alive(&self) -> bool {
        if self.host != hostname() || !Path::new("/proc/self/stat").exists() {
            return true;
        }
        match start_time(self.pid) {
            None => false,
            Some(now) => self.start.is_none_or(|then| then == now),
        }
    }
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let start = self.start.map(|s| s.to_string()).unwrap_or_default();
        write!(f, "{}:{}:{start}", self.host, self.pid)
    }
}

fn hostname() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "localhost".to_string())
}

/// Field 22 of `/proc/<pid>/stat`: when the process started.
fn start_time(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(19)?.parse().ok()
}

/// The statement without the comments the splitter leaves in front of it
/// (the SQLite renderer writes one above each `PRAGMA`), without whitespace,
/// in lower case.
fn compact(statement: &str) -> String {
    let mut code = statement.trim_start();
    loop {
        if let Some(rest) = code.strip_prefix("--") {
            code = rest.find('\n').map_or("", |n| &rest[n + 1..]).trim_start();
        } else if code.starts_with("/*") {
            let mut depth = 0usize;
            let mut end = code.len();
            let bytes = code.as_bytes();
            let mut i = 0;
            while i + 1 < bytes.len() {
                match (bytes[i], bytes[i + 1]) {
                    (b'/', b'*') => {
                        depth += 1;
                        i += 2;
                    }
                    (b'*', b'/') => {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            end = i;
                            break;
                        }
                    }
                    _ => i += 1,
                }
            }
            code = code[end..].trim_start();
        } else {
            break;
        }
    }
    code.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// `PRAGMA foreign_keys=...` in any spelling: `Some(on)`.
fn foreign_keys_pragma(statement: &str) -> Option<bool> {
    let compact = compact(statement);
    let value = compact.strip_prefix("pragmaforeign_keys=")?;
    match value.trim_matches(|c| c == '\'' || c == '"') {
        "off" | "0" | "false" | "no" => Some(false),
        "on" | "1" | "true" | "yes" => Some(true),
        _ => None,
    }
}

fn is_foreign_key_check(statement: &str) -> bool {
    compact(statement).starts_with("pragmaforeign_key_check")
}

fn to_i64(version: u64) -> Result<i64, DriverError> {
    i64::try_from(version).map_err(|_| {
        DriverError::message(
            "recording a migration",
            format!("version {version} is larger than SQLite's integers"),
        )
    })
}

impl<C: SqliteConnection> Db for AsyncSqliteDriver<C> {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn transactional_ddl(&self) -> bool {
        true
    }

    async fn lock(&mut self, timeout: Duration) -> Result<(), DriverError> {
        // `BEGIN IMMEDIATE` below waits for another connection's write lock
        // no longer than for the lock row.
        self.set_lock_timeout(timeout).await?;
        let started = Instant::now();
        let mut pause = FIRST_PAUSE;
        loop {
            let holder = match self.try_lock().await? {
                None => return Ok(()),
                Some(holder) => holder,
            };
            if started.elapsed() >= timeout {
                return Err(DriverError::message(
                    "taking the migrator lock",
                    format!(
                        "another migrator ({holder}, as host:pid:start) has held it for more \
                         than {} s; if no migrator is running, remove the lock with \
                         `DELETE FROM {LOCK_TABLE};` and try again",
                        timeout.as_secs()
                    ),
                ));
            }
            C::pause(pause).await;
            pause = (pause * 2).min(MAX_PAUSE);
        }
    }

    async fn set_lock_timeout(&mut self, timeout: Duration) -> Result<(), DriverError> {
        self.conn
            .execute(&busy_timeout_sql(timeout))
            .await
            .map_err(failed("setting SQLite's busy timeout"))?;
        self.lock_timeout = Some(timeout);
        Ok(())
    }

    async fn unlock(&mut self) -> Result<(), DriverError> {
        if self.lock_timeout.take().is_some() {
            self.conn
                .execute(&busy_timeout_sql(BUSY_TIMEOUT))
                .await
                .map_err(failed("setting SQLite's busy timeout"))?;
        }
        let me = self.me.to_string();
        let deleted = self
            .conn
            .query(
                &format!("DELETE FROM {LOCK_TABLE} WHERE id = 1 AND holder = ?1 RETURNING id"),
                &[Param::Text(&me)],
            )
            .await
            .map_err(failed("releasing the migrator lock"))?;
        if deleted.len() == 1 {
            Ok(())
        } else {
            Err(DriverError::message(
                "releasing the migrator lock",
                "the lock row was not ours any more: another process removed or took it while \
                 this migrator ran",
            ))
        }
    }

    async fn ensure_version_table(&mut self) -> Result<(), DriverError> {
        self.execute(
            "creating the version table",
            &format!(
                "CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (\
                   version INTEGER PRIMARY KEY, \
                   name TEXT NOT NULL, \
                   checksum TEXT NOT NULL, \
                   applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')), \
                   duration_ms REAL NOT NULL, \
                   down_sql TEXT NOT NULL, \
                   no_transaction INTEGER NOT NULL, \
                   state TEXT NOT NULL)"
            ),
        )
        .await
    }

    async fn read_versions(&mut self) -> Result<Vec<VersionRow>, DriverError> {
        let doing = "reading the version table";
        let exists = self
            .count(
                doing,
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                &[Param::Text(VERSION_TABLE)],
            )
            .await?
            > 0;
        if !exists {
            return Ok(Vec::new());
        }
        let rows = self
            .conn
            .query(
                &format!(
                    "SELECT version, name, checksum, applied_at, CAST(duration_ms AS REAL), \
                     down_sql, no_transaction, state FROM {VERSION_TABLE} ORDER BY version"
                ),
                &[],
            )
            .await
            .map_err(failed(doing))?;
        rows.iter().map(super::version_row_of).collect()
    }

    async fn is_recorded(&mut self, version: u64) -> Result<bool, DriverError> {
        let version = to_i64(version)?;
        Ok(self
            .count(
                "reading the version table",
                &format!("SELECT count(*) FROM {VERSION_TABLE} WHERE version = ?1"),
                &[Param::Int8(version)],
            )
            .await?
            > 0)
    }

    async fn begin(&mut self, script: &str) -> Result<(), DriverError> {
        let wants_off = statements(script, Dialect::Sqlite)
            .iter()
            .any(|s| foreign_keys_pragma(s) == Some(false));
        if wants_off && self.foreign_keys_on().await? {
            self.execute("switching foreign keys off", "PRAGMA foreign_keys=OFF")
                .await?;
            self.restore_foreign_keys = true;
        }
        if let Err(e) = self
            .execute("starting a transaction", "BEGIN IMMEDIATE")
            .await
        {
            self.restore().await?;
            return Err(e);
        }
        self.in_transaction = true;
        Ok(())
    }

    async fn commit(&mut self) -> Result<(), DriverError> {
        self.in_transaction = false;
        let result = self.execute("committing", "COMMIT").await;
        if result.is_err() {
            let _ = self.conn.execute("ROLLBACK").await;
        }
        let restored = self.restore().await;
        result.and(restored)
    }

    async fn rollback(&mut self) -> Result<(), DriverError> {
        self.in_transaction = false;
        // SQLite rolls some failures back itself (a full disk, an interrupt):
        // then there is no transaction left to end.
        let result = match self.conn.execute("ROLLBACK").await {
            Ok(()) => Ok(()),
            Err(e) if e.to_string().contains("no transaction is active") => Ok(()),
            Err(e) => Err(failed("rolling back")(e)),
        };
        let restored = self.restore().await;
        result.and(restored)
    }

    async fn run_script(&mut self, sql: &str) -> Result<(), ScriptError> {
        let list = statements(sql, Dialect::Sqlite);
        let in_transaction = self.in_transaction;
        for (i, statement) in list.iter().enumerate() {
            let fail = |error: DriverError| ScriptError {
                statement: i + 1,
                statements: list.len(),
                sql: excerpt(statement),
                error,
            };
            if in_transaction && foreign_keys_pragma(statement).is_some() {
                continue;
            }
            if is_foreign_key_check(statement) {
                let rows = self
                    .conn
                    .query(statement, &[])
                    .await
                    .map_err(|e| fail(failed("checking foreign keys")(e)))?;
                let broken = foreign_key_violations(&rows);
                if !broken.is_empty() {
                    return Err(fail(DriverError::message(
                        "checking foreign keys",
                        format!(
                            "the migration leaves rows whose foreign keys point nowhere: {}",
                            broken.join("; ")
                        ),
                    )));
                }
                continue;
            }
            if let Err(e) = self.conn.query(statement, &[]).await {
                return Err(fail(match self.lock_timeout {
                    Some(t) if C::is_busy(&e) => busy_error("running the migration", &e, t),
                    _ => failed("running the migration")(e),
                }));
            }
        }
        Ok(())
    }

    async fn write_row(&mut self, row: &VersionRow) -> Result<(), DriverError> {
        let version = to_i64(row.version)?;
        self.conn
            .query(
                &format!(
                    "INSERT OR REPLACE INTO {VERSION_TABLE} \
                     (version, name, checksum, duration_ms, down_sql, no_transaction, state) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                ),
                &super::row_params(version, row),
            )
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
        self.conn
            .query(
                &format!(
                    "UPDATE {VERSION_TABLE} SET state = ?2, \
                     duration_ms = coalesce(?3, duration_ms) WHERE version = ?1"
                ),
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
        self.conn
            .query(
                &format!("DELETE FROM {VERSION_TABLE} WHERE version = ?1"),
                &[Param::Int8(version)],
            )
            .await
            .map(drop)
            .map_err(failed("removing a migration's record"))
    }

    async fn introspect(&mut self, _schemas: &[String]) -> Result<Schema, IntrospectError> {
        crate::introspect::sqlite::introspect_on(&mut self.conn).await
    }

    async fn namespaces(&mut self) -> Result<Vec<String>, IntrospectError> {
        Ok(vec![schema_core::model::DEFAULT_SCHEMA.to_string()])
    }

    async fn unusable(&mut self, _schemas: &[String]) -> Result<Vec<String>, IntrospectError> {
        Ok(Vec::new())
    }

    fn comparable(&self, declared: &Schema) -> Schema {
        schema_core::render::sqlite::comparable(declared)
    }

    async fn as_stored(&mut self, declared: &Schema) -> Schema {
        declared.clone()
    }
}

/// What `PRAGMA foreign_key_check` returned, one text per row (five at most).
fn foreign_key_violations(rows: &[crate::session::Row]) -> Vec<String> {
    let mut out = Vec::new();
    for row in rows {
        let table: String = row.get(0);
        let rowid: Option<i64> = row.get(1);
        let parent: String = row.get(2);
        out.push(format!(
            "`{table}` row {} references a missing row of `{parent}`",
            rowid.map_or_else(|| "?".to_string(), |r| r.to_string())
        ));
        if out.len() == 5 {
            out.push("...".to_string());
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Holder, foreign_keys_pragma, is_foreign_key_check};

    #[test]
    fn pragmas_are_recognised_in_any_spelling() {
        assert_eq!(foreign_keys_pragma("PRAGMA foreign_keys=OFF"), Some(false));
        assert_eq!(
            foreign_keys_pragma("pragma foreign_keys = 'on'"),
            Some(true)
        );
        assert_eq!(foreign_keys_pragma("PRAGMA foreign_key_check"), None);
        assert!(is_foreign_key_check("PRAGMA  foreign_key_check"));
        assert!(!is_foreign_key_check("PRAGMA foreign_keys=ON"));
        // As the splitter hands them over: with the renderer's comment in front.
        assert_eq!(
            foreign_keys_pragma("-- run with foreign keys off\nPRAGMA foreign_keys=OFF"),
            Some(false)
        );
        assert!(is_foreign_key_check(
            "/* a /* nested */ comment */ -- and a line\n  PRAGMA foreign_key_check"
        ));
        assert_eq!(foreign_keys_pragma("-- PRAGMA foreign_keys=OFF"), None);
    }

    #[test]
    fn this_process_is_alive_and_a_made_up_one_is_not() {
        let me = Holder::me();
        let parsed = Holder::parse(&me.to_string());
        assert_eq!(parsed.as_ref(), Some(&me));
        assert!(me.is_alive());
        if std::path::Path::new("/proc/self/stat").exists() {
            let mut gone = me.clone();
            gone.start = me.start.map(|s| s + 1);
            assert!(!gone.is_alive(), "same pid, another start time");
            let other_host = Holder {
                host: "elsewhere".into(),
                ..gone
            };
            assert!(other_host.is_alive(), "another host is never judged");
        }
    }
}
