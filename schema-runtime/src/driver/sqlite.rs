//! The SQLite driver: one `rusqlite` connection, `BEGIN IMMEDIATE`
//! transactions, and a lock row so that migrators in several processes on one
//! file take turns.
//!
//! # The lock
//! [`Driver::lock`] takes SQLite's write lock (`BEGIN IMMEDIATE`, waiting up to
//! the busy timeout), and within it claims the one row of
//! `_schema_migrations_lock` when it is free, then commits. The row names its
//! holder (host, process id and the process's start time), so a row left by a
//! process that died (killed, power loss) is taken over when that process is
//! gone from this host. On systems without `/proc`, a row left by a dead process
//! must be deleted by hand; the timeout error says how.
//!
//! # Foreign keys
//! SQLite ignores `PRAGMA foreign_keys` inside a transaction, and a script that
//! rebuilds tables starts with `PRAGMA foreign_keys=OFF`. So [`Driver::begin`]
//! switches foreign keys off before `BEGIN` when the script asks for it, the
//! script's own `PRAGMA foreign_keys` statements are skipped inside the
//! transaction, and [`Driver::commit`] (or rollback) switches them back on when
//! they were on. A row returned by the script's `PRAGMA foreign_key_check`
//! fails the migration (it is rolled back).

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, params};
use schema_core::Schema;

use super::{
    Driver, DriverError, LOCK_TABLE, RowState, ScriptError, VERSION_TABLE, VersionRow, excerpt,
    wait_for_lock,
};
use crate::introspect::IntrospectError;
use crate::migration::Dialect;
use crate::split::statements;

/// How long `BEGIN IMMEDIATE` waits for another connection's write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// A SQLite database the migrator can work on.
#[derive(Debug)]
pub struct SqliteDriver {
    conn: Connection,
    /// Foreign keys were on when `begin` switched them off.
    restore_foreign_keys: bool,
    /// This process as the lock row names it.
    me: Holder,
    /// The busy timeout set by [`Driver::set_lock_timeout`], when one is.
    lock_timeout: Option<Duration>,
}

/// True when SQLite gave up waiting for another connection's lock.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// The error of a statement that waited `timeout` for another connection's
/// lock on the database file.
fn busy_error(doing: &str, e: rusqlite::Error, timeout: Duration) -> DriverError {
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
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(DriverError::while_("setting SQLite's busy timeout"))?;
        Ok(SqliteDriver {
            conn,
            restore_foreign_keys: false,
            me: Holder::me(),
            lock_timeout: None,
        })
    }

    /// The connection, to read and write rows.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// The connection, given back.
    pub fn into_connection(self) -> Connection {
        self.conn
    }

    fn execute(&self, doing: &str, sql: &str) -> Result<(), DriverError> {
        self.conn
            .execute_batch(sql)
            .map_err(|e| match self.lock_timeout {
                Some(t) if is_busy(&e) => busy_error(doing, e, t),
                _ => DriverError::new(doing, e),
            })
    }

    fn foreign_keys_on(&self) -> Result<bool, DriverError> {
        self.conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get::<_, i64>(0))
            .map(|v| v != 0)
            .map_err(DriverError::while_("reading PRAGMA foreign_keys"))
    }

    fn restore(&mut self) -> Result<(), DriverError> {
        if std::mem::take(&mut self.restore_foreign_keys) {
            self.execute("switching foreign keys back on", "PRAGMA foreign_keys=ON")?;
        }
        Ok(())
    }

    /// One try at the lock row: `Ok(None)` when taken, else who holds it.
    fn try_lock(&mut self) -> Result<Option<String>, DriverError> {
        self.execute("taking SQLite's write lock", "BEGIN IMMEDIATE")?;
        let result = self.claim_lock_row();
        match &result {
            Ok(None) => self.execute("committing the lock row", "COMMIT")?,
            _ => {
                let _ = self.conn.execute_batch("ROLLBACK");
            }
        }
        result
    }

    fn claim_lock_row(&mut self) -> Result<Option<String>, DriverError> {
        self.execute(
            "creating the lock table",
            &format!(
                "CREATE TABLE IF NOT EXISTS {LOCK_TABLE} (\
                   id INTEGER PRIMARY KEY CHECK (id = 1), \
                   holder TEXT NOT NULL, \
                   locked_at TEXT NOT NULL)"
            ),
        )?;
        let held: Option<String> = self
            .conn
            .query_row(
                &format!("SELECT holder FROM {LOCK_TABLE} WHERE id = 1"),
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(DriverError::while_("reading the lock row"))?;
        if let Some(holder) = held {
            if Holder::parse(&holder).is_none_or(|h| h.is_alive()) {
                return Ok(Some(holder));
            }
        }
        self.conn
            .execute(
                &format!(
                    "INSERT OR REPLACE INTO {LOCK_TABLE} (id, holder, locked_at) \
                     VALUES (1, ?1, strftime('%Y-%m-%d %H:%M:%f', 'now'))"
                ),
                [self.me.to_string()],
            )
            .map_err(DriverError::while_("writing the lock row"))?;
        Ok(None)
    }
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

impl Driver for SqliteDriver {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn lock(&mut self, timeout: Duration) -> Result<(), DriverError> {
        // `BEGIN IMMEDIATE` below waits for another connection's write lock
        // no longer than for the lock row.
        self.set_lock_timeout(timeout)?;
        wait_for_lock(self, timeout, Self::try_lock, |_, holder| {
            DriverError::message(
                "taking the migrator lock",
                format!(
                    "another migrator ({holder}, as host:pid:start) has held it for more than {} s; \
                     if no migrator is running, remove the lock with \
                     `DELETE FROM {LOCK_TABLE};` and try again",
                    timeout.as_secs()
                ),
            )
        })
    }

    fn set_lock_timeout(&mut self, timeout: Duration) -> Result<(), DriverError> {
        self.conn
            .busy_timeout(timeout)
            .map_err(DriverError::while_("setting SQLite's busy timeout"))?;
        self.lock_timeout = Some(timeout);
        Ok(())
    }

    fn unlock(&mut self) -> Result<(), DriverError> {
        if self.lock_timeout.take().is_some() {
            self.conn
                .busy_timeout(BUSY_TIMEOUT)
                .map_err(DriverError::while_("setting SQLite's busy timeout"))?;
        }
        let deleted = self
            .conn
            .execute(
                &format!("DELETE FROM {LOCK_TABLE} WHERE id = 1 AND holder = ?1"),
                [self.me.to_string()],
            )
            .map_err(DriverError::while_("releasing the migrator lock"))?;
        if deleted == 1 {
            Ok(())
        } else {
            Err(DriverError::message(
                "releasing the migrator lock",
                "the lock row was not ours any more: another process removed or took it while this migrator ran",
            ))
        }
    }

    fn ensure_version_table(&mut self) -> Result<(), DriverError> {
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
    }

    fn read_versions(&mut self) -> Result<Vec<VersionRow>, DriverError> {
        let doing = "reading the version table";
        let exists: bool = self
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                [VERSION_TABLE],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n > 0)
            .map_err(DriverError::while_(doing))?;
        if !exists {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT version, name, checksum, applied_at, duration_ms, down_sql, \
                 no_transaction, state FROM {VERSION_TABLE} ORDER BY version"
            ))
            .map_err(DriverError::while_(doing))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, f64>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, bool>(6)?,
                    r.get::<_, String>(7)?,
                ))
            })
            .map_err(DriverError::while_(doing))?;
        let mut out = Vec::new();
        for row in rows {
            let (version, name, checksum, applied_at, duration_ms, down_sql, no_tx, state) =
                row.map_err(DriverError::while_(doing))?;
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
                name,
                checksum,
                applied_at,
                duration_ms,
                down_sql,
                no_transaction: no_tx,
                state,
            });
        }
        Ok(out)
    }

    fn is_recorded(&mut self, version: u64) -> Result<bool, DriverError> {
        self.conn
            .query_row(
                &format!("SELECT count(*) FROM {VERSION_TABLE} WHERE version = ?1"),
                [to_i64(version)?],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n > 0)
            .map_err(DriverError::while_("reading the version table"))
    }

    fn begin(&mut self, script: &str) -> Result<(), DriverError> {
        let wants_off = statements(script, Dialect::Sqlite)
            .iter()
            .any(|s| foreign_keys_pragma(s) == Some(false));
        if wants_off && self.foreign_keys_on()? {
            self.execute("switching foreign keys off", "PRAGMA foreign_keys=OFF")?;
            self.restore_foreign_keys = true;
        }
        if let Err(e) = self.execute("starting a transaction", "BEGIN IMMEDIATE") {
            self.restore()?;
            return Err(e);
        }
        Ok(())
    }

    fn commit(&mut self) -> Result<(), DriverError> {
        let result = self.execute("committing", "COMMIT");
        if result.is_err() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        let restored = self.restore();
        result.and(restored)
    }

    fn rollback(&mut self) -> Result<(), DriverError> {
        let result = if self.conn.is_autocommit() {
            Ok(())
        } else {
            self.execute("rolling back", "ROLLBACK")
        };
        let restored = self.restore();
        result.and(restored)
    }

    fn run_script(&mut self, sql: &str) -> Result<(), ScriptError> {
        let list = statements(sql, Dialect::Sqlite);
        let in_transaction = !self.conn.is_autocommit();
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
                let broken = foreign_key_violations(&self.conn, statement)
                    .map_err(|e| fail(DriverError::new("checking foreign keys", e)))?;
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
            run_statement(&self.conn, statement).map_err(|e| {
                fail(match self.lock_timeout {
                    Some(t) if is_busy(&e) => busy_error("running the migration", e, t),
                    _ => DriverError::new("running the migration", e),
                })
            })?;
        }
        Ok(())
    }

    fn write_row(&mut self, row: &VersionRow) -> Result<(), DriverError> {
        self.conn
            .execute(
                &format!(
                    "INSERT OR REPLACE INTO {VERSION_TABLE} \
                     (version, name, checksum, duration_ms, down_sql, no_transaction, state) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                ),
                params![
                    to_i64(row.version)?,
                    row.name,
                    row.checksum,
                    row.duration_ms,
                    row.down_sql,
                    row.no_transaction,
                    row.state.as_str()
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
        self.conn
            .execute(
                &format!(
                    "UPDATE {VERSION_TABLE} SET state = ?2, \
                     duration_ms = coalesce(?3, duration_ms) WHERE version = ?1"
                ),
                params![to_i64(version)?, state.as_str(), duration_ms],
            )
            .map(drop)
            .map_err(DriverError::while_("recording a migration's state"))
    }

    fn delete_row(&mut self, version: u64) -> Result<(), DriverError> {
        self.conn
            .execute(
                &format!("DELETE FROM {VERSION_TABLE} WHERE version = ?1"),
                [to_i64(version)?],
            )
            .map(drop)
            .map_err(DriverError::while_("removing a migration's record"))
    }

    fn introspect(&mut self, _schemas: &[String]) -> Result<Schema, IntrospectError> {
        crate::introspect::sqlite::introspect(&self.conn)
    }

    fn comparable(&self, declared: &Schema) -> Schema {
        schema_core::render::sqlite::comparable(declared)
    }
}

/// Runs one statement, reading (and dropping) any rows it returns.
fn run_statement(conn: &Connection, statement: &str) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(statement)?;
    let mut rows = stmt.query([])?;
    while rows.next()?.is_some() {}
    Ok(())
}

/// What `PRAGMA foreign_key_check` returns, one text per row.
fn foreign_key_violations(conn: &Connection, statement: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(statement)?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let table: String = row.get(0)?;
        let rowid: Option<i64> = row.get(1)?;
        let parent: String = row.get(2)?;
        out.push(format!(
            "`{table}` row {} references a missing row of `{parent}`",
            rowid.map_or_else(|| "?".to_string(), |r| r.to_string())
        ));
        if out.len() == 5 {
            out.push("...".to_string());
            break;
        }
    }
    Ok(out)
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
