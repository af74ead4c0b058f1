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

use std::sync::{Arc, Mutex, MutexGuard, PoisonError, mpsc};
use std::time::{Duration, Instant};

use postgres::config::Host;
use postgres::error::SqlState;
use postgres::types::Type;
use postgres::{Client, Config, NoTls};
use schema_core::Schema;

use super::{
    Driver, DriverError, RowChange, RowState, ScriptError, VERSION_TABLE, VersionRow, chain,
    excerpt, wait_for_lock,
};
use crate::connect::{DEFAULT_CONNECT_TIMEOUT, URL_FORMS, redact};
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
    /// The lock connection, shared with the [`Watcher`]'s thread.
    lock: Option<Arc<Mutex<Client>>>,
    /// The thread that watches, with a lock timeout set, which sessions
    /// block the working connection's script; started when first needed,
    /// stopped by `unlock`.
    watcher: Option<Watcher>,
    /// Between `begin` and `commit` or `rollback`.
    in_transaction: bool,
    /// The bound on lock waits set by [`Driver::set_lock_timeout`].
    lock_timeout: Option<Duration>,
    /// The working connection's server process id, once read.
    backend_pid: Option<i32>,
    /// The script whose one batch ([`Driver::run_in_one_batch`]) just failed
    /// inside it, for the steps that follow to go on from that failure.
    failed_batch: Option<FailedBatch<postgres::Error>>,
    /// [`prepare_sql`]'s statements are prepared on the working connection
    /// (until `unlock`).
    prepared: bool,
}

/// A script whose one batch failed inside its transaction (so the batch
/// parsed: a batch that does not parse runs nothing and leaves no transaction
/// open), rolled back since: the batch's error and the sessions the watcher
/// saw blocking meanwhile. The next `run_script` of the same script in a
/// transaction takes it instead of sending the script in one batch again: it
/// goes on as after a batch of its own that failed and went back to its
/// savepoint, naming the failing statement statement by statement, without
/// running the whole script (or waiting out a whole lock timeout) twice.
pub(crate) struct FailedBatch<E> {
    pub(crate) sql: String,
    pub(crate) error: E,
    pub(crate) seen: Vec<Blocker>,
}

/// tokio-postgres's keepalive idle time when the URL does not set one (2 h).
pub(crate) const LIBRARY_KEEPALIVES_IDLE: Duration = Duration::from_secs(2 * 60 * 60);

/// Ours: a dead server or network is noticed within minutes, not hours.
pub(crate) const KEEPALIVES_IDLE: Duration = Duration::from_secs(60);

/// Where `config` connects, as `host:port` (the first host; every one when
/// there are several).
pub(crate) fn address(config: &Config) -> String {
    let ports = config.get_ports();
    let port = |i: usize| {
        ports
            .get(i)
            .or_else(|| ports.first())
            .copied()
            .unwrap_or(5432)
    };
    let hosts = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, host)| match host {
            Host::Tcp(name) => format!("{name}:{}", port(i)),
            #[cfg(unix)]
            Host::Unix(path) => format!("{}/.s.PGSQL.{}", path.display(), port(i)),
        });
    let addrs = config
        .get_hostaddrs()
        .iter()
        .enumerate()
        .map(|(i, a)| format!("{a}:{}", port(i)));
    let mut all: Vec<String> = hosts.collect();
    if all.is_empty() {
        all = addrs.collect();
    }
    all.join(", ")
}

/// Connects with `config`, giving up after its connect timeout (per host).
///
/// The driver's own `connect_timeout` bounds only the TCP connect: a server
/// that accepts and never answers holds its startup handshake forever. So the
/// connection is made on a thread of its own and waited for at most the
/// timeout; a handshake that does not finish in time is left to that thread
/// (it ends when the server answers or closes) and reported here.
fn connect_bounded(config: &Config, doing: &str) -> Result<Client, DriverError> {
    let at = address(config);
    let Some(timeout) = config.get_connect_timeout().copied() else {
        return config
            .connect(NoTls)
            .map_err(DriverError::while_(&format!("{doing} at {at}")));
    };
    let count = config.get_hosts().len().max(config.get_hostaddrs().len());
    let hosts = u32::try_from(count.max(1)).unwrap_or(u32::MAX);
    let deadline = timeout.saturating_mul(hosts);
    let (tx, rx) = mpsc::channel();
    let cfg = config.clone();
    let spawned = std::thread::Builder::new()
        .name("schema-pg-connect".into())
        .spawn(move || {
            let _ = tx.send(cfg.connect(NoTls));
        });
    if let Err(e) = spawned {
        return Err(DriverError::new(doing, e));
    }
    match rx.recv_timeout(deadline) {
        Ok(Ok(client)) => Ok(client),
        Ok(Err(e)) => Err(DriverError::new(format!("{doing} at {at}"), e)),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(DriverError::message(
            doing,
            format!(
                "no answer from {at} within the connect timeout of {} s: check that a \
                 PostgreSQL server listens there and is up (a port that accepts and never \
                 answers is another program, or a server stuck at startup), or raise the \
                 timeout (`connect_timeout=SECONDS` in the URL)",
                fmt_secs(timeout)
            ),
        )),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(DriverError::message(
            doing,
            format!("the connection to {at} failed without an error"),
        )),
    }
}

/// True when `url` sets `connect_timeout` to zero or less, which means, as
/// for libpq, no timeout (the driver reads it as not set).
pub(crate) fn waits_forever(url: &str) -> bool {
    url.split(['?', '&', ' ', '\t', '\n'])
        .filter_map(|part| part.trim().strip_prefix("connect_timeout="))
        .next_back()
        .is_some_and(|v| v.trim().parse::<i64>().is_ok_and(|n| n <= 0))
}

/// Seconds, without a fraction when there is none.
pub(crate) fn fmt_secs(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        d.as_secs().to_string()
    } else {
        format!("{:.1}", d.as_secs_f64())
    }
}

/// The savepoint a script runs after inside a transaction (see `run_script`).
pub(crate) const SAVEPOINT: &str = "_schema_script";

impl std::fmt::Debug for PostgresDriver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresDriver")
            .field("locked", &self.lock.is_some())
            .finish_non_exhaustive()
    }
}

impl PostgresDriver {
    /// Connects to `url` (`postgres://user@host:port/db`, or the key=value
    /// form), giving up after [`DEFAULT_CONNECT_TIMEOUT`] unless the URL sets
    /// `connect_timeout`. The lock connection is opened when the lock is
    /// first taken.
    ///
    /// # Errors
    /// When the URL cannot be read, the server refuses the connection, or it
    /// does not answer in time.
    pub fn connect(url: &str) -> Result<Self, DriverError> {
        Self::connect_timeout(url, DEFAULT_CONNECT_TIMEOUT)
    }

    /// [`PostgresDriver::connect`], waiting at most `timeout` for the server
    /// to accept and answer (`connect_timeout` in the URL wins; 0 there
    /// waits as long as it takes, as libpq does). TCP keepalives are on
    /// (after 60 s idle unless the URL says otherwise).
    ///
    /// # Errors
    /// As [`PostgresDriver::connect`].
    pub fn connect_timeout(url: &str, timeout: Duration) -> Result<Self, DriverError> {
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
        let mut client = connect_bounded(&config, "connecting to PostgreSQL")?;
        // PostgreSQL 14+: stop a running statement within a second when this
        // process dies, so a killed migrator's locks go with it. Older servers
        // do not know the setting; they keep running it to its end.
        let _ = client.batch_execute("SET client_connection_check_interval = '1s'");
        Ok(PostgresDriver {
            client,
            config: Some(config),
            lock: None,
            watcher: None,
            in_transaction: false,
            lock_timeout: None,
            backend_pid: None,
            failed_batch: None,
            prepared: false,
        })
    }

    /// Wraps a working connection and a second connection to the same database
    /// for the lock.
    pub fn new(client: Client, lock_connection: Client) -> Self {
        PostgresDriver {
            client,
            config: None,
            lock: Some(Arc::new(Mutex::new(lock_connection))),
            watcher: None,
            in_transaction: false,
            lock_timeout: None,
            backend_pid: None,
            failed_batch: None,
            prepared: false,
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

    fn lock_client(&mut self) -> Result<MutexGuard<'_, Client>, DriverError> {
        if self.lock.is_none() {
            let config = self.config.as_ref().ok_or_else(|| {
                DriverError::message("taking the migrator lock", "no lock connection")
            })?;
            let client = connect_bounded(config, "opening the lock connection")?;
            self.lock = Some(Arc::new(Mutex::new(client)));
        }
        self.lock
            .as_ref()
            .map(|lock| lock.lock().unwrap_or_else(PoisonError::into_inner))
            .ok_or_else(|| DriverError::message("taking the migrator lock", "no lock connection"))
    }

    /// Runs `work` on the working connection, watched by the [`Watcher`]
    /// (started when first needed) for sessions that block server process
    /// `pid` (this session's) while it runs. Gives `work`'s result and, when
    /// it failed, the last sessions the watcher saw blocking it. Without a
    /// lock connection (or a thread), `work` runs unwatched.
    fn watched<T, E>(
        &mut self,
        pid: i32,
        work: impl FnOnce(&mut Client) -> Result<T, E>,
    ) -> (Result<T, E>, Vec<Blocker>) {
        let Some(lock) = self.lock.as_ref() else {
            return (work(&mut self.client), Vec::new());
        };
        if self.watcher.is_none() {
            self.watcher = Watcher::start(lock);
        }
        let Some(watcher) = self.watcher.as_mut() else {
            return (work(&mut self.client), Vec::new());
        };
        let call = watcher.begin(pid);
        let result = work(&mut self.client);
        let seen = watcher.end(call, result.is_err(), lock);
        (result, seen)
    }

    fn batch(&mut self, doing: &str, sql: &str) -> Result<(), DriverError> {
        self.client
            .batch_execute(sql)
            .map_err(DriverError::while_(doing))
    }

    /// This session's server process id, read once.
    fn backend_pid(&mut self) -> Result<i32, DriverError> {
        if let Some(pid) = self.backend_pid {
            return Ok(pid);
        }
        let pid: i32 = self
            .client
            .query_one("SELECT pg_backend_pid()", &[])
            .map_err(DriverError::while_("reading the session's process id"))?
            .get(0);
        self.backend_pid = Some(pid);
        Ok(pid)
    }
}

/// Runs `list` one statement per round trip, stopping at the first failure.
fn each_statement(client: &mut Client, list: &[&str]) -> Result<(), ScriptError> {
    for (i, statement) in list.iter().enumerate() {
        client.batch_execute(statement).map_err(|e| ScriptError {
            statement: i + 1,
            statements: list.len(),
            sql: excerpt(statement),
            error: DriverError::new("running the migration", e),
        })?;
    }
    Ok(())
}

/// `SET [LOCAL] lock_timeout` to `timeout` (at least 1 ms: 0 would mean none).
pub(crate) fn set_lock_timeout_sql(local: bool, timeout: Duration) -> String {
    format!(
        "SET {}lock_timeout = '{}ms'",
        if local { "LOCAL " } else { "" },
        timeout.as_millis().max(1)
    )
}

/// How long a statement may wait for a lock when a script that timed out on
/// a lock runs again statement by statement, only to name the one that waits.
pub(crate) const RERUN_LOCK_TIMEOUT: Duration = Duration::from_secs(1);

/// True when `e` is PostgreSQL's `lock_not_available` (55P03): `lock_timeout`
/// tripped, or a `NOWAIT` lock was taken.
fn is_lock_timeout(e: &(dyn std::error::Error + 'static)) -> bool {
    e.downcast_ref::<postgres::Error>()
        .and_then(postgres::Error::code)
        .is_some_and(|c| *c == SqlState::LOCK_NOT_AVAILABLE)
}

/// Runs a migration's script on `client` (see [`Driver::run_script`] of
/// [`PostgresDriver`]); `lock_timeout` is the session's, restored after a
/// rerun that lowered it. `failed` is the error of the same script's one
/// batch, which failed inside its transaction and was rolled back
/// ([`FailedBatch`]): in a transaction, the script then goes on as after a
/// batch of its own that failed with it and went back to its savepoint.
fn run_script_on(
    client: &mut Client,
    in_transaction: bool,
    sql: &str,
    lock_timeout: Option<Duration>,
    failed: Option<postgres::Error>,
) -> Result<(), ScriptError> {
    let list = statements(sql, Dialect::Postgres);
    let first = match failed {
        Some(first) if in_transaction => first,
        _ => {
            if !in_transaction || list.len() < 2 {
                return each_statement(client, &list);
            }
            let batch = format!("SAVEPOINT {SAVEPOINT};\n{sql}");
            let Err(first) = client.batch_execute(&batch) else {
                return Ok(());
            };
            let back = format!("ROLLBACK TO SAVEPOINT {SAVEPOINT}");
            if client.batch_execute(&back).is_err() {
                if client.batch_execute("ROLLBACK; BEGIN").is_ok() {
                    each_statement(client, &list)?;
                }
                // Not found statement by statement: the batch's error, for the script.
                return Err(ScriptError {
                    statement: 1,
                    statements: list.len(),
                    sql: excerpt(sql),
                    error: DriverError::new("running the migration", first),
                });
            }
            first
        }
    };
    // Back at the savepoint: nothing of the script is left.
    if !is_lock_timeout(&first) {
        return each_statement(client, &list);
    }
    // The batch waited the whole lock timeout: the statements run again
    // to name the one that waits, each waiting a moment only.
    let _ = client.batch_execute(&set_lock_timeout_sql(true, RERUN_LOCK_TIMEOUT));
    let again = each_statement(client, &list);
    if let Some(t) = lock_timeout {
        let _ = client.batch_execute(&set_lock_timeout_sql(true, t));
    }
    again.map_err(|mut e| {
        if !e
            .error
            .source
            .as_deref()
            .is_some_and(|s| is_lock_timeout(s))
        {
            // Something else failed first this time: keep the batch's error.
            e.error = DriverError::new("running the migration", first);
        }
        e
    })
}

/// `text` as an SQL string literal, whatever the server's
/// `standard_conforming_strings`: an escape string (`E'...'`) with its
/// backslashes and quotes doubled. (A text holds no NUL: PostgreSQL's text
/// cannot.)
pub(crate) fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 3);
    out.push_str("E'");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("''"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// The prepared statement of a one-batch up's check ([`prepare_sql`]).
pub(crate) const CHECK: &str = "_schema_check";
/// The prepared statement of a one-batch up's row ([`prepare_sql`]).
pub(crate) const RECORD: &str = "_schema_record";

/// Prepares, for [`one_batch_sql`], the check that fails when version `$1`
/// is recorded already (a cast that cannot succeed, evaluated only for the
/// version's row: `invalid input syntax for type integer: "_schema_migrations:
/// version ... is recorded already"`), and the insert of an up's row (`$1`..
/// `$6`: version, name, checksum, down SQL, no-transaction, state), whose
/// `duration_ms` is the time since its transaction started by the database's
/// clock. Prepared once per session, they are planned once, not per
/// migration: on small migrations that is a few percent of their time.
pub(crate) fn prepare_sql() -> String {
    format!(
        "PREPARE {CHECK}(bigint) AS \
         SELECT ('{VERSION_TABLE}: version ' || version || ' is recorded already')::integer \
         FROM {VERSION_TABLE} WHERE version = $1;\n\
         PREPARE {RECORD}(bigint, text, text, text, boolean, text) AS \
         INSERT INTO {VERSION_TABLE} \
         (version, name, checksum, duration_ms, down_sql, no_transaction, state) \
         VALUES ($1, $2, $3, 1000 * extract(epoch FROM clock_timestamp() - now()), $4, $5, $6)"
    )
}

/// One transactional migration in one simple-query batch (see
/// [`Driver::run_in_one_batch`] of [`PostgresDriver`]), in the order of the
/// migrator's steps: `BEGIN`; for an up, the check ([`prepare_sql`]); the
/// script; the up's row inserted ([`prepare_sql`]) or the down's deleted;
/// `COMMIT`. Values are escape-string literals ([`literal`]).
pub(crate) fn one_batch_sql(change: RowChange<'_>, script: &str) -> Result<String, DriverError> {
    let version = match change {
        RowChange::Insert(row) => to_i64(row.version)?,
        RowChange::Delete(version) => to_i64(version)?,
    };
    let mut sql = String::with_capacity(script.len() + 512);
    sql.push_str("BEGIN;\n");
    if let RowChange::Insert(_) = change {
        sql.push_str(&format!("EXECUTE {CHECK}({version});\n"));
    }
    sql.push_str(script);
    // A last line comment, or a last statement without `;`, ends here.
    sql.push_str("\n;\n");
    match change {
        RowChange::Insert(row) => sql.push_str(&format!(
            "EXECUTE {RECORD}({version}, {}, {}, {}, {}, {});\n",
            literal(&row.name),
            literal(&row.checksum),
            literal(&row.down_sql),
            row.no_transaction,
            literal(row.state.as_str()),
        )),
        RowChange::Delete(_) => sql.push_str(&format!(
            "DELETE FROM {VERSION_TABLE} WHERE version = {version};\n"
        )),
    }
    sql.push_str("COMMIT");
    Ok(sql)
}

/// A session that blocked the migration's, as `pg_stat_activity` showed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Blocker {
    pub(crate) pid: i32,
    /// Its application, database, address, state, transaction start and query.
    pub(crate) description: String,
}

/// How often the watcher asks who blocks the migration's session.
pub(crate) const WATCH_EVERY: Duration = Duration::from_millis(100);

/// The lock connection's watcher: a thread that, while a script or batch of
/// the working connection runs for more than [`WATCH_EVERY`], asks every
/// [`WATCH_EVERY`] on the lock connection which sessions block it, keeping
/// the last non-empty answer. One thread for the migrator's whole run rather
/// than one per script: a thread started and joined around each migration
/// costs about a millisecond each on a busy machine (it has to be scheduled
/// twice), which is as much as a small migration.
struct Watcher {
    state: Arc<Mutex<Watch>>,
    /// Dropped to stop the thread (with the watcher).
    _stop: mpsc::Sender<()>,
    /// The number of the last watched call.
    calls: u64,
}

/// What the watcher's thread and the driver share.
#[derive(Default)]
struct Watch {
    /// The call running: its number, its server process and since when.
    running: Option<(u64, i32, Instant)>,
    /// The last non-empty answer, with the number of the call it is for.
    seen: Option<(u64, Vec<Blocker>)>,
}

fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Watcher {
    /// Starts the thread on `lock`; `None` when no thread can be started.
    fn start(lock: &Arc<Mutex<Client>>) -> Option<Watcher> {
        let state = Arc::new(Mutex::new(Watch::default()));
        let (stop, stopped) = mpsc::channel::<()>();
        let (lock, shared) = (Arc::clone(lock), Arc::clone(&state));
        std::thread::Builder::new()
            .name("schema-pg-watch".into())
            .spawn(move || watch_blockers(&lock, &shared, &stopped))
            .ok()?;
        Some(Watcher {
            state,
            _stop: stop,
            calls: 0,
        })
    }

    /// A call on server process `pid` starts; gives its number.
    fn begin(&mut self, pid: i32) -> u64 {
        self.calls += 1;
        locked(&self.state).running = Some((self.calls, pid, Instant::now()));
        self.calls
    }

    /// Call `call` ended; when it `failed`, the last sessions seen blocking
    /// it, an answer on its way included (it holds `lock` meanwhile).
    fn end(&mut self, call: u64, failed: bool, lock: &Mutex<Client>) -> Vec<Blocker> {
        if failed {
            drop(locked(lock));
        }
        locked(&self.state).running = None;
        if !failed {
            return Vec::new();
        }
        match locked(&self.state).seen.take() {
            Some((c, seen)) if c == call => seen,
            _ => Vec::new(),
        }
    }
}

/// The watcher's thread: until `stop` says so (or is dropped), every
/// [`WATCH_EVERY`], when a call has been running that long, asks on `lock`
/// which sessions block its server process and keeps a non-empty answer.
fn watch_blockers(lock: &Mutex<Client>, state: &Mutex<Watch>, stop: &mpsc::Receiver<()>) {
    while let Err(mpsc::RecvTimeoutError::Timeout) = stop.recv_timeout(WATCH_EVERY) {
        let Some((call, pid, since)) = locked(state).running else {
            continue;
        };
        if since.elapsed() < WATCH_EVERY {
            continue;
        }
        let mut client = locked(lock);
        if let Ok(now) = blockers(&mut client, pid) {
            let mut state = locked(state);
            if !now.is_empty() && state.running.is_some_and(|(c, ..)| c == call) {
                state.seen = Some((call, now));
            }
        }
    }
}

/// The sessions `pg_blocking_pids` names for server process `pid`.
fn blockers(client: &mut Client, pid: i32) -> Result<Vec<Blocker>, postgres::Error> {
    let rows = client.query_typed(BLOCKERS_SQL, &[(&pid, Type::INT4)])?;
    Ok(rows
        .iter()
        .map(|row| blocker_of(&crate::session::pg::row(row)))
        .collect())
}

/// The sessions that block server process `$1` (`pg_blocking_pids`).
pub(crate) const BLOCKERS_SQL: &str = "SELECT a.pid, coalesce(a.application_name, ''), \
        coalesce(a.client_addr::text, 'local'), coalesce(a.state, ''), \
        coalesce(to_char(coalesce(a.xact_start, a.state_change) AT TIME ZONE 'UTC', \
                         'YYYY-MM-DD HH24:MI:SS'), ''), \
        coalesce(a.query, ''), coalesce(a.datname::text, '') \
 FROM unnest(pg_blocking_pids($1)) AS b(pid) \
 JOIN pg_stat_activity a ON a.pid = b.pid ORDER BY a.pid";

/// A row of [`BLOCKERS_SQL`].
pub(crate) fn blocker_of(row: &crate::session::Row) -> Blocker {
    let state: String = row.get(3);
    let query: String = row.get(5);
    let last = if state == "active" {
        "running"
    } else {
        "last query"
    };
    Blocker {
        pid: row.get(0),
        description: format!(
            "application `{}`, database `{}`, from {}, {}, in a transaction since {} UTC, \
             {last}: `{}`",
            row.get::<_, String>(1),
            row.get::<_, String>(6),
            row.get::<_, String>(2),
            if state.is_empty() {
                "state unknown"
            } else {
                &state
            },
            row.get::<_, String>(4),
            excerpt(&query)
        ),
    }
}

/// The error of a statement that waited `timeout` for a lock: the server's
/// message, who held the lock, and what to do.
pub(crate) fn lock_timeout_error(
    error: DriverError,
    timeout: Duration,
    blockers: &[Blocker],
) -> DriverError {
    let server = match error.source.as_deref() {
        Some(source) => chain(source),
        None => error.to_string(),
    };
    let who = if blockers.is_empty() {
        "another session (it let go before it could be named; \
         `SELECT * FROM pg_locks WHERE NOT granted` shows waits while they last)"
            .to_string()
    } else {
        blockers
            .iter()
            .map(|b| format!("server process {} ({})", b.pid, b.description))
            .collect::<Vec<_>>()
            .join("; and ")
    };
    let terminate = blockers
        .iter()
        .map(|b| format!("`SELECT pg_terminate_backend({});`", b.pid))
        .collect::<Vec<_>>()
        .join(", ");
    DriverError::message(
        "running the migration",
        format!(
            "{server}: the migration waited more than {} s (the lock timeout) for a lock held by {who}\n\
             help: end that session's transaction (COMMIT or ROLLBACK in it{}), then run the \
             migration again; or run it with a longer `--lock-timeout` when that session is \
             expected to finish",
            fmt_secs(timeout),
            if terminate.is_empty() {
                String::new()
            } else {
                format!(", or {terminate}")
            }
        ),
    )
}

/// Who holds the advisory lock in this database (advisory locks of the same
/// key in other databases of the cluster are other migrators'), as
/// `pg_stat_activity` says.
fn holder(client: &mut Client) -> String {
    let row = client.query_opt(HOLDER_SQL, &[&(LOCK_KEY >> 32), &(LOCK_KEY & 0xffff_ffff)]);
    match row {
        Ok(Some(row)) => holder_of(&crate::session::pg::row(&row)),
        _ => "another session".to_string(),
    }
}

/// Who holds the advisory lock `($1, $2)` (the key's halves) in this database.
pub(crate) const HOLDER_SQL: &str = "SELECT a.pid, coalesce(a.application_name, ''), coalesce(a.client_addr::text, 'local'), \
            a.backend_start::text \
     FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
     WHERE l.locktype = 'advisory' AND l.granted \
       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
       AND l.classid::bigint = $1 AND l.objid::bigint = $2 AND l.objsubid = 1";

/// A row of [`HOLDER_SQL`].
pub(crate) fn holder_of(row: &crate::session::Row) -> String {
    format!(
        "server process {} (application `{}`, from {}, connected at {})",
        row.get::<_, i32>(0),
        row.get::<_, String>(1),
        row.get::<_, String>(2),
        row.get::<_, String>(3)
    )
}

/// The error of a migrator lock still held by `who` after `timeout`.
pub(crate) fn held_error(who: &str, timeout: Duration) -> DriverError {
    DriverError::message(
        "taking the migrator lock",
        format!(
            "{who} has held advisory lock {LOCK_KEY} for more than {} s; \
             it is released when that migrator finishes or its connection closes",
            timeout.as_secs()
        ),
    )
}

/// The error of a release that found the lock gone.
pub(crate) fn lost_lock() -> DriverError {
    DriverError::message(
        "releasing the migrator lock",
        "the lock was not held any more (its connection was lost while the migrator ran)",
    )
}

/// The version table's `CREATE TABLE IF NOT EXISTS`.
pub(crate) fn version_table_ddl() -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (
           version bigint PRIMARY KEY,
           name text NOT NULL,
           checksum text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now(),
           duration_ms double precision NOT NULL,
           down_sql text NOT NULL,
           no_transaction boolean NOT NULL,
           state text NOT NULL)"
    )
}

/// Every row of the version table, in version order.
pub(crate) fn read_versions_sql() -> String {
    format!(
        "SELECT version, name, checksum, \
         to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS'), \
         duration_ms, down_sql, no_transaction, state \
         FROM {VERSION_TABLE} ORDER BY version"
    )
}

/// Inserts or replaces a version row (`$1`..`$7`: version, name, checksum,
/// duration, down SQL, no-transaction, state).
pub(crate) fn write_row_sql() -> String {
    format!(
        "INSERT INTO {VERSION_TABLE} \
         (version, name, checksum, duration_ms, down_sql, no_transaction, state) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (version) DO UPDATE SET name = EXCLUDED.name, \
         checksum = EXCLUDED.checksum, applied_at = now(), \
         duration_ms = EXCLUDED.duration_ms, down_sql = EXCLUDED.down_sql, \
         no_transaction = EXCLUDED.no_transaction, state = EXCLUDED.state"
    )
}

/// Sets a row's state (`$1` version, `$2` state, `$3` duration or NULL).
pub(crate) fn set_state_sql() -> String {
    format!(
        "UPDATE {VERSION_TABLE} SET state = $2, \
         duration_ms = coalesce($3, duration_ms) WHERE version = $1"
    )
}

/// Deletes a row (`$1` version).
pub(crate) fn delete_row_sql() -> String {
    format!("DELETE FROM {VERSION_TABLE} WHERE version = $1")
}

/// Counts the rows of version `$1`.
pub(crate) fn is_recorded_sql() -> String {
    format!("SELECT count(*) FROM {VERSION_TABLE} WHERE version = $1")
}

pub(crate) fn to_i64(version: u64) -> Result<i64, DriverError> {
    i64::try_from(version).map_err(|_| {
        DriverError::message(
            "recording a migration",
            format!("version {version} is larger than a bigint"),
        )
    })
}

impl Driver for PostgresDriver {
    fn lend_connection(&mut self) -> Option<crate::rows::DriverConnection<'_>> {
        Some(crate::rows::DriverConnection::Postgres(&mut self.client))
    }

    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn lock(&mut self, timeout: Duration) -> Result<(), DriverError> {
        let mut client = self.lock_client()?;
        wait_for_lock(
            &mut *client,
            timeout,
            |client| {
                let taken: bool = client
                    .query_typed_one(
                        "SELECT pg_try_advisory_lock($1)",
                        &[(&LOCK_KEY, Type::INT8)],
                    )
                    .map_err(DriverError::while_("taking the migrator lock"))?
                    .get(0);
                Ok((!taken).then_some(()))
            },
            |client, ()| held_error(&holder(client), timeout),
        )
    }

    fn set_lock_timeout(&mut self, timeout: Duration) -> Result<(), DriverError> {
        self.batch(
            "setting lock_timeout",
            &set_lock_timeout_sql(false, timeout),
        )?;
        self.lock_timeout = Some(timeout);
        Ok(())
    }

    fn unlock(&mut self) -> Result<(), DriverError> {
        // Its thread ends (it holds the lock connection only while it asks).
        self.watcher = None;
        if self.lock_timeout.take().is_some() {
            // The session goes back to the server's setting for the
            // application's own use of it; a broken connection shows below.
            let _ = self.client.batch_execute("RESET lock_timeout");
        }
        if std::mem::take(&mut self.prepared) {
            let _ = self
                .client
                .batch_execute(&format!("DEALLOCATE {CHECK}; DEALLOCATE {RECORD}"));
        }
        let released: bool = self
            .lock_client()?
            .query_typed_one("SELECT pg_advisory_unlock($1)", &[(&LOCK_KEY, Type::INT8)])
            .map_err(DriverError::while_("releasing the migrator lock"))?
            .get(0);
        if released { Ok(()) } else { Err(lost_lock()) }
    }

    fn ensure_version_table(&mut self) -> Result<(), DriverError> {
        self.batch("creating the version table", &version_table_ddl())
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
            .query_typed(&read_versions_sql(), &[])
            .map_err(DriverError::while_(doing))?;
        rows.iter()
            .map(|row| super::version_row_of(&crate::session::pg::row(row)))
            .collect()
    }

    fn is_recorded(&mut self, version: u64) -> Result<bool, DriverError> {
        Ok(self
            .client
            .query_typed_one(&is_recorded_sql(), &[(&to_i64(version)?, Type::INT8)])
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
        self.failed_batch = None;
        self.batch("committing", "COMMIT")
    }

    fn rollback(&mut self) -> Result<(), DriverError> {
        self.in_transaction = false;
        self.failed_batch = None;
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
    ///
    /// With a lock timeout set ([`Driver::set_lock_timeout`]), the lock
    /// connection watches meanwhile which sessions block this one
    /// (`pg_blocking_pids`), so that a statement that waited too long for a
    /// table fails naming them; and a script whose batch timed out on a lock
    /// reruns its statements with a 1 s lock timeout, not the whole one again.
    ///
    /// After a failed [`Driver::run_in_one_batch`] of the same script, it
    /// goes on from that batch's failure (as after a batch of its own that
    /// failed), rather than sending the script in one batch again.
    fn run_script(&mut self, sql: &str) -> Result<(), ScriptError> {
        let failed = self
            .failed_batch
            .take()
            .filter(|f| self.in_transaction && f.sql == sql);
        let (failed, seen_before) = match failed {
            Some(f) => (Some(f.error), f.seen),
            None => (None, Vec::new()),
        };
        let Some(timeout) = self.lock_timeout else {
            return run_script_on(&mut self.client, self.in_transaction, sql, None, failed);
        };
        let pid = match self.backend_pid() {
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
        let in_transaction = self.in_transaction;
        let (result, seen) = self.watched(pid, |client| {
            run_script_on(client, in_transaction, sql, Some(timeout), failed)
        });
        let seen = if seen.is_empty() { seen_before } else { seen };
        result.map_err(|mut e| {
            if e.error
                .source
                .as_deref()
                .is_some_and(|s| is_lock_timeout(s))
            {
                e.error = lock_timeout_error(e.error, timeout, &seen);
            }
            e
        })
    }

    /// The whole migration in one simple-query round trip ([`one_batch_sql`]),
    /// with the lock timeout's watcher around it as around
    /// [`Driver::run_script`]. When the batch fails, it is rolled back and
    /// `false` given: the migrator's steps then find out why, as they do
    /// without it (the version recorded meanwhile, or the failing statement,
    /// its number and error). A failure inside the batch's transaction is
    /// kept for the next [`Driver::run_script`] of the same script
    /// ([`FailedBatch`]).
    fn run_in_one_batch(
        &mut self,
        change: RowChange<'_>,
        script: &str,
    ) -> Result<bool, DriverError> {
        self.failed_batch = None;
        let Ok(batch) = one_batch_sql(change, script) else {
            // A version out of range: the steps say so.
            return Ok(false);
        };
        if matches!(change, RowChange::Insert(_)) && !self.prepared {
            if self.client.batch_execute(&prepare_sql()).is_err() {
                // Left behind on this connection (by a driver that did not
                // unlock): prepared again.
                let _ = self.client.batch_execute(&format!("DEALLOCATE {CHECK}"));
                let _ = self.client.batch_execute(&format!("DEALLOCATE {RECORD}"));
                if self.client.batch_execute(&prepare_sql()).is_err() {
                    return Ok(false);
                }
            }
            self.prepared = true;
        }
        let (result, seen) = match self.lock_timeout {
            None => (self.client.batch_execute(&batch), Vec::new()),
            Some(_) => {
                let Ok(pid) = self.backend_pid() else {
                    return Ok(false);
                };
                self.watched(pid, |client| client.batch_execute(&batch))
            }
        };
        let Err(error) = result else {
            return Ok(true);
        };
        if error.code() == Some(&SqlState::INVALID_SQL_STATEMENT_NAME) {
            // Deallocated meanwhile (by a script's `DISCARD ALL`, say).
            self.prepared = false;
        }
        // An aborted transaction means that the batch parsed and failed
        // after its `BEGIN`. Else none of it ran (it did not parse) or its
        // commit failed: the steps then do it all again.
        let aborted = self
            .client
            .batch_execute("SELECT 1")
            .is_err_and(|e| e.code() == Some(&SqlState::IN_FAILED_SQL_TRANSACTION));
        // A connection that is gone shows in the steps' first call.
        let _ = self.client.batch_execute("ROLLBACK");
        if aborted {
            self.failed_batch = Some(FailedBatch {
                sql: script.to_string(),
                error,
                seen,
            });
        }
        Ok(false)
    }

    fn write_row(&mut self, row: &VersionRow) -> Result<(), DriverError> {
        self.client
            .execute_typed(
                &write_row_sql(),
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
                &set_state_sql(),
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
            .execute_typed(&delete_row_sql(), &[(&to_i64(version)?, Type::INT8)])
            .map(drop)
            .map_err(DriverError::while_("removing a migration's record"))
    }

    fn introspect(&mut self, schemas: &[String]) -> Result<Schema, IntrospectError> {
        let names: Vec<&str> = schemas.iter().map(String::as_str).collect();
        let in_transaction = self.in_transaction;
        crate::session::ready(crate::introspect::postgres::introspect_within(
            &mut self.client,
            &names,
            in_transaction,
        ))
        .unwrap_or_else(crate::introspect::postgres::not_ready)
    }

    fn namespaces(&mut self) -> Result<Vec<String>, IntrospectError> {
        crate::introspect::postgres::user_schemas(&mut self.client)
    }

    fn unusable(&mut self, schemas: &[String]) -> Result<Vec<String>, IntrospectError> {
        let names: Vec<&str> = schemas.iter().map(String::as_str).collect();
        Ok(
            crate::introspect::postgres::invalid_indexes(&mut self.client, &names)?
                .iter()
                .map(ToString::to_string)
                .collect(),
        )
    }

    fn as_stored(&mut self, declared: &Schema) -> Schema {
        if self.in_transaction {
            // Asking opens (and rolls back) a transaction of its own.
            return declared.clone();
        }
        crate::stored::as_stored(&mut self.client, declared)
    }
}

#[cfg(test)]
mod tests {
    use super::waits_forever;

    #[test]
    fn a_zero_connect_timeout_in_the_url_means_none() {
        assert!(waits_forever("postgres://u@h/db?connect_timeout=0"));
        assert!(waits_forever(
            "postgres://u@h/db?sslmode=disable&connect_timeout=-1"
        ));
        assert!(waits_forever("host=h connect_timeout=0 user=u"));
        assert!(!waits_forever("postgres://u@h/db?connect_timeout=5"));
        assert!(!waits_forever("postgres://u@h/db"));
        assert!(!waits_forever("host=h user=u"));
    }
}
