//! The online-safety lints (`S05xx`) proven on PostgreSQL, one test per lint, each on a
//! database of its own: the unsafe migration of `tests/fixtures/online/<lint>/` blocks the
//! application's reads or writes (a second session seen waiting in `pg_locks`, naming the
//! lock it waits for and the lock the migration holds), scans or rewrites the table, or is
//! refused, as the lint says; the safe form does none of it. Every fixture migration runs
//! up, down and up again, the down giving back the catalog its up started from.

#![allow(clippy::panic, reason = "a test reports failure by panicking")]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use postgres::{Client, NoTls};
use schema_runtime::Dialect;
use schema_runtime::split::statements;
use schema_test_support::pg::{self, TestDatabase};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/online");
/// The bound of every wait: a failing test fails, it never hangs.
const WAIT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(5);

// ------------------------------------------------------------------ fixtures

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Up,
    Down,
}

/// One migration: its up and down, and how the migrator runs them.
#[derive(Clone)]
struct Migration {
    /// `index_without_concurrently/safe/01`, for messages.
    name: String,
    up: String,
    down: String,
    /// `-- schema: no-transaction` in up.sql or down.sql.
    no_transaction: bool,
}

impl Migration {
    fn read(rule: &str, part: &str) -> Migration {
        let dir = Path::new(FIXTURES).join(rule).join(part);
        let read = |file: &str| {
            std::fs::read_to_string(dir.join(file))
                .unwrap_or_else(|e| panic!("{}/{file}: {e}", dir.display()))
        };
        Migration::inline(
            &format!("{rule}/{part}"),
            &read("up.sql"),
            &read("down.sql"),
        )
    }

    /// A migration the test writes itself (a variant the fixture does not hold).
    fn inline(name: &str, up: &str, down: &str) -> Migration {
        let no_transaction = [up, down]
            .iter()
            .any(|sql| sql.lines().any(is_no_transaction));
        Migration {
            name: name.to_string(),
            up: up.to_string(),
            down: down.to_string(),
            no_transaction,
        }
    }

    /// The same statements run as if `-- schema: no-transaction` were written.
    fn outside_transaction(&self) -> Migration {
        Migration {
            name: format!("{} (outside a transaction)", self.name),
            no_transaction: true,
            ..self.clone()
        }
    }

    fn statements(&self, d: Direction) -> Vec<&str> {
        statements(
            match d {
                Direction::Up => &self.up,
                Direction::Down => &self.down,
            },
            Dialect::Postgres,
        )
    }

    fn label(&self, d: Direction) -> String {
        match d {
            Direction::Up => format!("{}/up.sql", self.name),
            Direction::Down => format!("{}/down.sql", self.name),
        }
    }
}

fn is_no_transaction(line: &str) -> bool {
    line.trim()
        .strip_prefix("--")
        .and_then(|l| l.trim().strip_prefix("schema:"))
        .is_some_and(|l| l.trim() == "no-transaction")
}

/// The statement marked `-- hold` (the comment stays with the statement below it).
fn held_at(statements: &[&str], label: &str) -> usize {
    statements
        .iter()
        .position(|s| s.lines().any(|l| l.trim() == "-- hold"))
        .unwrap_or_else(|| panic!("{label}: no statement is marked `-- hold`"))
}

/// The statement without the comments in front of it, for messages.
fn code(statement: &str) -> String {
    statement
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join(" ")
}

struct Fixture {
    rule: &'static str,
    before: Migration,
    unsafe_form: Migration,
    safe: Vec<Migration>,
    probes: Vec<String>,
}

fn fixture(rule: &'static str) -> Fixture {
    let root = Path::new(FIXTURES).join(rule);
    let mut parts: Vec<String> = std::fs::read_dir(root.join("safe"))
        .unwrap_or_else(|e| panic!("{rule}/safe: {e}"))
        .map(|entry| {
            let entry = entry.unwrap_or_else(|e| panic!("{rule}/safe: {e}"));
            entry.file_name().to_string_lossy().into_owned()
        })
        .collect();
    parts.sort();
    let probes = match std::fs::read_to_string(root.join("probe.sql")) {
        Ok(sql) => statements(&sql, Dialect::Postgres)
            .into_iter()
            .map(code)
            .collect(),
        Err(_) => Vec::new(),
    };
    Fixture {
        rule,
        before: Migration::read(rule, "before"),
        unsafe_form: Migration::read(rule, "unsafe"),
        safe: parts
            .iter()
            .map(|p| Migration::read(rule, &format!("safe/{p}")))
            .collect(),
        probes,
    }
}

// ------------------------------------------------------------------ sessions

/// A connection with its server process id and the notices it received.
struct Session {
    client: Client,
    pid: i32,
    notices: Arc<Mutex<Vec<String>>>,
}

/// A new session on `db` named `role` (`application_name`), with a
/// `statement_timeout` as a safety net.
fn session(db: &TestDatabase, role: &str) -> Session {
    let notices = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&notices);
    let mut config = postgres::Config::from_str(&db.url())
        .unwrap_or_else(|e| panic!("the test database's URL: {e}"));
    config.application_name(role);
    config.notice_callback(move |notice| {
        if let Ok(mut all) = sink.lock() {
            all.push(notice.message().to_string());
        }
    });
    let mut client = config
        .connect(NoTls)
        .unwrap_or_else(|e| panic!("cannot connect as {role}: {e}"));
    client
        .batch_execute("SET statement_timeout = '30s'")
        .unwrap_or_else(|e| panic!("{e}"));
    let pid = client
        .query_one("SELECT pg_backend_pid()", &[])
        .unwrap_or_else(|e| panic!("{e}"))
        .get(0);
    Session {
        client,
        pid,
        notices,
    }
}

impl Session {
    /// A session that runs migrations: it also receives `DEBUG1` messages.
    fn migrator(db: &TestDatabase) -> Session {
        let mut s = session(db, "migration");
        s.client
            .batch_execute("SET client_min_messages = debug1")
            .unwrap_or_else(|e| panic!("{e}"));
        s
    }

    fn notices(&self) -> Vec<String> {
        self.notices.lock().map(|n| n.clone()).unwrap_or_default()
    }

    fn run(&mut self, sql: &str) {
        if let Err(e) = self.client.batch_execute(sql) {
            panic!("`{sql}`: {}", pg::describe_pg_error(&e, sql));
        }
    }
}

/// A statement PostgreSQL refused.
#[derive(Debug, Clone)]
struct Failed {
    statement: String,
    code: String,
    message: String,
}

impl fmt::Display for Failed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` failed: {}", code(&self.statement), self.message)
    }
}

fn failed(e: &postgres::Error, statement: &str) -> Failed {
    Failed {
        statement: statement.to_string(),
        code: e.code().map(|c| c.code().to_string()).unwrap_or_default(),
        message: pg::describe_pg_error(e, statement),
    }
}

/// Asserts that `result` is PostgreSQL's refusal `code`.
fn assert_refused<T>(result: &Result<T, Failed>, code: &str, what: &str) -> Failed {
    match result {
        Ok(_) => panic!("{what}: PostgreSQL accepted it; expected error {code}"),
        Err(f) => {
            assert_eq!(f.code, code, "{what}: expected error {code}, got {f}");
            f.clone()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tx {
    /// Each statement on its own.
    Autocommit,
    /// `BEGIN`, the statements, `COMMIT` (`ROLLBACK` after a failure).
    Whole,
    /// The statements, then `COMMIT`: the transaction was begun before.
    Finish,
}

fn execute<S: AsRef<str>>(client: &mut Client, statements: &[S], tx: Tx) -> Result<(), Failed> {
    if tx == Tx::Whole {
        client
            .batch_execute("BEGIN")
            .map_err(|e| failed(&e, "BEGIN"))?;
    }
    for s in statements {
        let s = s.as_ref();
        if let Err(e) = client.batch_execute(s) {
            let f = failed(&e, s);
            if tx != Tx::Autocommit {
                let _ = client.batch_execute("ROLLBACK");
            }
            return Err(f);
        }
    }
    if tx != Tx::Autocommit {
        client
            .batch_execute("COMMIT")
            .map_err(|e| failed(&e, "COMMIT"))?;
    }
    Ok(())
}

/// Statements running on their own session, on a thread.
struct Running {
    pid: i32,
    handle: JoinHandle<(Session, Result<(), Failed>, Duration)>,
}

fn spawn(mut s: Session, statements: Vec<String>, tx: Tx) -> Running {
    let pid = s.pid;
    let handle = thread::spawn(move || {
        let started = Instant::now();
        let result = execute(&mut s.client, &statements, tx);
        (s, result, started.elapsed())
    });
    Running { pid, handle }
}

impl Running {
    fn finished(&self) -> bool {
        self.handle.is_finished()
    }

    fn join(self, what: &str) -> (Session, Result<(), Failed>, Duration) {
        wait_until(&format!("{what} to finish"), || self.handle.is_finished());
        self.handle
            .join()
            .unwrap_or_else(|_| panic!("{what}: its thread panicked"))
    }
}

/// Polls `done` until it holds; fails after [`WAIT`].
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < WAIT,
            "waited {WAIT:?} for {what}: a lock the test does not expect?"
        );
        thread::sleep(POLL);
    }
}

// ------------------------------------------------------------------ what the server shows

/// A lock of `pg_locks`: on a relation of `public` (by name), or a wait for
/// another transaction (`virtualxid`, `transactionid`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Lock {
    object: String,
    mode: String,
    granted: bool,
}

impl fmt::Display for Lock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.granted {
            write!(f, "holds {} on {}", self.mode, self.object)
        } else {
            write!(f, "waits for {} on {}", self.mode, self.object)
        }
    }
}

fn list<T: fmt::Display>(items: &[T]) -> String {
    let all: Vec<String> = items.iter().map(ToString::to_string).collect();
    format!("[{}]", all.join(", "))
}

/// The locks of server process `pid` on the relations of `public` (a relation
/// created by its uncommitted transaction shows as `relation <oid>`), and the
/// transactions it waits for.
fn locks(client: &mut Client, pid: i32) -> Vec<Lock> {
    const SQL: &str = "SELECT CASE WHEN l.locktype = 'relation' \
                  THEN coalesce(c.relname::text, 'relation ' || l.relation::text) \
                  ELSE l.locktype END, l.mode, l.granted \
         FROM pg_locks l LEFT JOIN pg_class c ON c.oid = l.relation \
         WHERE l.pid = $1 AND CASE WHEN l.locktype = 'relation' \
             THEN l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
                  AND (c.oid IS NULL OR c.relnamespace = 'public'::regnamespace) \
             ELSE NOT l.granted END \
         ORDER BY 3 DESC, 1, 2";
    client
        .query(SQL, &[&pid])
        .unwrap_or_else(|e| panic!("reading pg_locks: {e}"))
        .iter()
        .map(|r| Lock {
            object: r.get(0),
            mode: r.get(1),
            granted: r.get(2),
        })
        .collect()
}

fn waiting(client: &mut Client, pid: i32) -> Option<Lock> {
    locks(client, pid).into_iter().find(|l| !l.granted)
}

fn blocking_pids(client: &mut Client, pid: i32) -> Vec<i32> {
    client
        .query_one("SELECT pg_blocking_pids($1)", &[&pid])
        .unwrap_or_else(|e| panic!("pg_blocking_pids: {e}"))
        .get(0)
}

/// Sequential scans per table of `public`, counted in the session's own transaction.
fn seq_scans(client: &mut Client) -> BTreeMap<String, i64> {
    client
        .query(
            "SELECT relname::text, seq_scan FROM pg_stat_xact_user_tables WHERE schemaname = 'public'",
            &[],
        )
        .unwrap_or_else(|e| panic!("pg_stat_xact_user_tables: {e}"))
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

fn scans_between(
    before: &BTreeMap<String, i64>,
    after: &BTreeMap<String, i64>,
) -> BTreeMap<String, i64> {
    after
        .iter()
        .map(|(t, n)| (t.clone(), n - before.get(t).copied().unwrap_or(0)))
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// Each table's file (`pg_class.relfilenode`): a new one means the table was rewritten.
fn relfilenodes(client: &mut Client) -> BTreeMap<String, u32> {
    client
        .query(
            "SELECT relname::text, relfilenode FROM pg_class \
             WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'",
            &[],
        )
        .unwrap_or_else(|e| panic!("pg_class: {e}"))
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

fn rewritten_between(
    before: &BTreeMap<String, u32>,
    after: &BTreeMap<String, u32>,
) -> BTreeSet<String> {
    after
        .iter()
        .filter(|(t, n)| before.get(*t).is_some_and(|b| b != *n))
        .map(|(t, _)| t.clone())
        .collect()
}

fn facts(db: &TestDatabase) -> Vec<String> {
    pg::catalog_facts(&mut db.connect()).unwrap_or_else(|e| panic!("{e}"))
}

fn assert_same_facts(expected: &[String], actual: &[String], what: &str) {
    if expected != actual {
        let missing: Vec<&String> = expected.iter().filter(|l| !actual.contains(l)).collect();
        let extra: Vec<&String> = actual.iter().filter(|l| !expected.contains(l)).collect();
        panic!("{what}\nmissing: {missing:#?}\nextra: {extra:#?}");
    }
}

// ------------------------------------------------------------------ applying migrations

/// What a migration (or one statement of it) did in its transaction: the locks it
/// held at the end, the sequential scans it made, the tables it rewrote, the
/// server's messages.
#[derive(Debug, Default)]
struct Work {
    locks: Vec<Lock>,
    scans: BTreeMap<String, i64>,
    rewritten: BTreeSet<String>,
    notices: Vec<String>,
}

impl fmt::Display for Work {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "locks {}, seq scans {:?}, rewrote {:?}",
            list(&self.locks),
            self.scans,
            self.rewritten
        )
    }
}

/// Runs `statements` in one transaction on a new migration session, measuring
/// them, then commits (or rolls back).
fn measure(db: &TestDatabase, statements: &[&str], commit: bool) -> (Work, Result<(), Failed>) {
    let mut s = Session::migrator(db);
    s.run("BEGIN");
    let scans0 = seq_scans(&mut s.client);
    let files0 = relfilenodes(&mut s.client);
    if let Err(f) = execute(&mut s.client, statements, Tx::Autocommit) {
        s.run("ROLLBACK");
        return (Work::default(), Err(f));
    }
    let pid = s.pid;
    let work = Work {
        locks: locks(&mut s.client, pid),
        scans: scans_between(&scans0, &seq_scans(&mut s.client)),
        rewritten: rewritten_between(&files0, &relfilenodes(&mut s.client)),
        notices: s.notices(),
    };
    let result = if commit {
        execute(&mut s.client, &[] as &[&str], Tx::Finish)
    } else {
        s.run("ROLLBACK");
        Ok(())
    };
    (work, result)
}

/// Runs the up or down of `m` as the migrator does, failing the test if
/// PostgreSQL refuses; for a transactional migration, what it did.
fn apply(db: &TestDatabase, m: &Migration, d: Direction) -> Work {
    match try_apply(db, m, d) {
        (work, Ok(())) => work,
        (_, Err(f)) => panic!("{}: {f}", m.label(d)),
    }
}

fn try_apply(db: &TestDatabase, m: &Migration, d: Direction) -> (Work, Result<(), Failed>) {
    let statements = m.statements(d);
    if m.no_transaction {
        let mut s = Session::migrator(db);
        let before = relfilenodes(&mut s.client);
        let result = execute(&mut s.client, &statements, Tx::Autocommit);
        let work = Work {
            rewritten: rewritten_between(&before, &relfilenodes(&mut s.client)),
            notices: s.notices(),
            ..Work::default()
        };
        (work, result)
    } else {
        measure(db, &statements, true)
    }
}

/// Applies `m` with `step(m, Up)`, then checks that its down (run with
/// `step(m, Down)`) gives back the catalog before it and that its up runs
/// again (as the migrator does) to the same catalog. `m` is left applied.
fn cycle(db: &TestDatabase, m: &Migration, mut step: impl FnMut(&Migration, Direction)) {
    let before = facts(db);
    step(m, Direction::Up);
    let after = facts(db);
    step(m, Direction::Down);
    assert_same_facts(
        &before,
        &facts(db),
        &format!(
            "{}: the down does not give back the catalog the up started from",
            m.name
        ),
    );
    apply(db, m, Direction::Up);
    assert_same_facts(
        &after,
        &facts(db),
        &format!("{}: up after down gives another catalog", m.name),
    );
}

/// [`cycle`] with the migration run plainly both ways: what its up did.
fn cycle_plain(db: &TestDatabase, m: &Migration) -> Work {
    let mut work = Work::default();
    cycle(db, m, |m, d| {
        let done = apply(db, m, d);
        if d == Direction::Up {
            work = done;
        }
    });
    work
}

// ------------------------------------------------------------------ the application meanwhile

/// A probe seen waiting: the lock it waited for and who blocked it.
#[derive(Debug)]
struct Wait {
    lock: Lock,
    blocked_by: Vec<i32>,
}

struct Probe {
    sql: String,
    running: Running,
    waited: Option<Wait>,
}

/// The application's statements, each on a session of its own, started at once.
struct Probes(Vec<Probe>);

impl Probes {
    /// A session for each of `sqls`, connected before the migration starts
    /// so that the probes run at once when launched.
    fn connect(db: &TestDatabase, sqls: &[String]) -> Vec<(String, Session)> {
        sqls.iter()
            .map(|sql| (sql.clone(), session(db, "application")))
            .collect()
    }

    fn launch(sessions: Vec<(String, Session)>) -> Probes {
        Probes(
            sessions
                .into_iter()
                .map(|(sql, s)| Probe {
                    running: spawn(s, vec![sql.clone()], Tx::Autocommit),
                    sql,
                    waited: None,
                })
                .collect(),
        )
    }

    /// Watches until each probe has finished or is seen waiting for a lock.
    fn settle(&mut self, watch: &mut Client) {
        wait_until("each probe to finish or wait for a lock", || {
            let mut settled = true;
            for p in &mut self.0 {
                if p.waited.is_some() || p.running.finished() {
                    continue;
                }
                match waiting(watch, p.running.pid) {
                    Some(lock) => {
                        let blocked_by = blocking_pids(watch, p.running.pid);
                        p.waited = Some(Wait { lock, blocked_by });
                    }
                    None => settled = false,
                }
            }
            settled
        });
    }

    fn wait_finished(&self) {
        wait_until("every probe to finish", || {
            self.0.iter().all(|p| p.running.finished())
        });
    }

    fn finished(&self) -> Vec<bool> {
        self.0.iter().map(|p| p.running.finished()).collect()
    }

    /// Joins every probe; `finished_early` says which had finished while the
    /// migration still held its locks.
    fn finish(self, finished_early: &[bool]) -> Vec<ProbeSeen> {
        self.0
            .into_iter()
            .zip(finished_early)
            .map(|(p, early)| {
                let (_, result, elapsed) = p.running.join(&format!("probe `{}`", p.sql));
                ProbeSeen {
                    sql: p.sql,
                    waited: p.waited,
                    result,
                    elapsed,
                    finished_early: *early,
                }
            })
            .collect()
    }
}

#[derive(Debug)]
struct ProbeSeen {
    sql: String,
    waited: Option<Wait>,
    result: Result<(), Failed>,
    elapsed: Duration,
    /// Finished while the migration was still at work.
    finished_early: bool,
}

/// What happened while one statement of a migration was at work.
struct Seen {
    label: String,
    statement: String,
    migration_pid: i32,
    /// The migration session's locks (and waits) while the probes were watched.
    holds: Vec<Lock>,
    probes: Vec<ProbeSeen>,
    /// What the held statement itself did (transactional migrations only).
    work: Work,
    /// The migration's result once its locks were released.
    result: Result<(), Failed>,
    rewritten: BTreeSet<String>,
}

impl Seen {
    fn print(&self) {
        println!("{} `{}`:", self.label, code(&self.statement));
        println!("  migration {}", list(&self.holds));
        if !self.work.scans.is_empty() || !self.rewritten.is_empty() {
            println!(
                "  seq scans {:?}, rewrote {:?}",
                self.work.scans, self.rewritten
            );
        }
        for p in &self.probes {
            match &p.waited {
                Some(w) => println!(
                    "  probe `{}` {} (blocked by {}), done after {:?}",
                    p.sql,
                    w.lock,
                    if w.blocked_by.contains(&self.migration_pid) {
                        "the migration".to_string()
                    } else {
                        format!("{:?}", w.blocked_by)
                    },
                    p.elapsed
                ),
                None => println!("  probe `{}` free, done in {:?}", p.sql, p.elapsed),
            }
        }
        if let Err(f) = &self.result {
            println!("  migration failed: {f}");
        }
    }

    fn assert_ok(&self) {
        if let Err(f) = &self.result {
            panic!("{}: {f}", self.label);
        }
        for p in &self.probes {
            if let Err(f) = &p.result {
                panic!("{}: probe {f}", self.label);
            }
        }
    }

    /// The migration holds `mode` on `object` (granted).
    fn assert_holds(&self, object: &str, mode: &str) {
        assert!(
            self.holds
                .iter()
                .any(|l| l.granted && l.object == object && l.mode == mode),
            "{}: the migration does not hold {mode} on {object}; it {}",
            self.label,
            list(&self.holds)
        );
    }

    /// The migration waits for `mode` on `object`.
    fn assert_awaits(&self, object: &str, mode: &str) {
        assert!(
            self.holds
                .iter()
                .any(|l| !l.granted && l.object == object && l.mode == mode),
            "{}: the migration does not wait for {mode} on {object}; it {}",
            self.label,
            list(&self.holds)
        );
    }

    /// Probe `i` waited for `mode` on `object`, blocked by the migration.
    fn assert_blocked(&self, i: usize, object: &str, mode: &str) {
        let p = &self.probes[i];
        let Some(w) = &p.waited else {
            panic!(
                "{}: probe `{}` was not blocked (done in {:?}) while the migration {}",
                self.label,
                p.sql,
                p.elapsed,
                list(&self.holds)
            );
        };
        assert!(
            w.lock.object == object && w.lock.mode == mode && !w.lock.granted,
            "{}: probe `{}` {}, not {mode} on {object}",
            self.label,
            p.sql,
            w.lock
        );
        assert!(
            w.blocked_by.contains(&self.migration_pid),
            "{}: probe `{}` is blocked by {:?}, not by the migration ({})",
            self.label,
            p.sql,
            w.blocked_by,
            self.migration_pid
        );
        assert!(
            !p.finished_early,
            "{}: probe `{}` finished while the migration was at work",
            self.label, p.sql
        );
    }

    /// Probe `i` was never seen waiting and finished while the migration was at work.
    fn assert_free(&self, i: usize) {
        let p = &self.probes[i];
        if let Some(w) = &p.waited {
            panic!(
                "{}: probe `{}` {} (blocked by {:?}) while the migration {}",
                self.label,
                p.sql,
                w.lock,
                w.blocked_by,
                list(&self.holds)
            );
        }
        assert!(
            p.finished_early,
            "{}: probe `{}` finished only after the migration",
            self.label, p.sql
        );
    }

    fn assert_all_free(&self) {
        for i in 0..self.probes.len() {
            self.assert_free(i);
        }
    }
}

/// Runs the statements of a transactional migration up to and including its
/// `-- hold` statement, and keeps the transaction open while the probes run;
/// then the rest of the migration and `COMMIT`.
fn hold(db: &TestDatabase, m: &Migration, d: Direction, probes: &[String]) -> Seen {
    let label = m.label(d);
    assert!(!m.no_transaction, "{label}: runs outside a transaction");
    let all = m.statements(d);
    let at = held_at(&all, &label);
    let mut watch = db.connect();
    let probe_sessions = Probes::connect(db, probes);
    let mut s = Session::migrator(db);
    let pid = s.pid;
    s.run("BEGIN");
    if let Err(f) = execute(&mut s.client, &all[..at], Tx::Autocommit) {
        panic!("{label}: {f}");
    }
    let scans0 = seq_scans(&mut s.client);
    let files0 = relfilenodes(&mut s.client);
    if let Err(f) = execute(&mut s.client, &all[at..=at], Tx::Autocommit) {
        panic!("{label}: {f}");
    }
    let rewritten = rewritten_between(&files0, &relfilenodes(&mut s.client));
    let work = Work {
        scans: scans_between(&scans0, &seq_scans(&mut s.client)),
        rewritten: rewritten.clone(),
        notices: s.notices(),
        ..Work::default()
    };
    let mut running = Probes::launch(probe_sessions);
    running.settle(&mut watch);
    let holds = locks(&mut watch, pid);
    let early = running.finished();
    let result = execute(&mut s.client, &all[at + 1..], Tx::Finish);
    let seen = Seen {
        label,
        statement: all[at].to_string(),
        migration_pid: pid,
        holds,
        probes: running.finish(&early),
        work,
        result,
        rewritten,
    };
    seen.print();
    seen
}

/// A third session's transaction that the held statement has to wait for.
mod blocker {
    /// An open snapshot: `CREATE INDEX CONCURRENTLY` waits for it in its last phase.
    pub(crate) const SNAPSHOT: &str =
        "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM accounts";
    /// A reader's `ACCESS SHARE`: `DROP INDEX CONCURRENTLY` waits for it, and
    /// so does every `ACCESS EXCLUSIVE` request.
    pub(crate) const READER: &str = "BEGIN; SELECT count(*) FROM accounts";
    /// `SHARE UPDATE EXCLUSIVE`, as autovacuum (or `ANALYZE`, or another
    /// `CREATE INDEX CONCURRENTLY`) holds: every `VACUUM` waits for it.
    pub(crate) const AUTOVACUUM: &str = "BEGIN; LOCK TABLE accounts IN SHARE UPDATE EXCLUSIVE MODE";
}

/// Runs a migration whose held statement must wait for a third session's
/// transaction (`blocker`): the statements before it on the migration session,
/// the held one and the rest on a thread; once the migration is seen waiting,
/// the probes run. With `probes_first`, the probes must finish before the
/// blocker commits; otherwise the blocker commits once they settled.
fn behind(
    db: &TestDatabase,
    m: &Migration,
    d: Direction,
    probes: &[String],
    blocker: &str,
    probes_first: bool,
) -> Seen {
    let label = m.label(d);
    let all = m.statements(d);
    let at = held_at(&all, &label);
    let mut watch = db.connect();
    let probe_sessions = Probes::connect(db, probes);
    let mut h = session(db, "blocker");
    h.run(blocker);
    let mut s = Session::migrator(db);
    let pid = s.pid;
    let tx = if m.no_transaction {
        Tx::Autocommit
    } else {
        s.run("BEGIN");
        Tx::Finish
    };
    if let Err(f) = execute(&mut s.client, &all[..at], Tx::Autocommit) {
        panic!("{label}: {f}");
    }
    let files0 = relfilenodes(&mut watch);
    let rest: Vec<String> = all[at..].iter().map(ToString::to_string).collect();
    let migration = spawn(s, rest, tx);
    let mut first_wait = None;
    wait_until(&format!("{label} to wait behind the blocker"), || {
        first_wait = waiting(&mut watch, pid);
        first_wait.is_some() || migration.finished()
    });
    let mut running = Probes::launch(probe_sessions);
    running.settle(&mut watch);
    let mut holds = locks(&mut watch, pid);
    // A migration that gave up (`lock_timeout`) waits no more: keep what it waited for.
    if let Some(wait) = first_wait {
        if !holds.contains(&wait) {
            holds.push(wait);
        }
    }
    if probes_first {
        running.wait_finished();
    }
    let early = running.finished();
    h.run("COMMIT");
    let (s, result, _) = migration.join(&label);
    let seen = Seen {
        label,
        statement: all[at].to_string(),
        migration_pid: pid,
        holds,
        probes: running.finish(&early),
        work: Work {
            notices: s.notices(),
            ..Work::default()
        },
        result,
        rewritten: rewritten_between(&files0, &relfilenodes(&mut watch)),
    };
    seen.print();
    seen
}

fn print_work(label: &str, work: &Work) {
    println!("{label}: {work}");
}

fn start(rule: &'static str) -> Option<(TestDatabase, Fixture)> {
    let server = pg::server()?;
    let db = server.create_database("online_locks");
    let f = fixture(rule);
    println!("== {} ({} safe migrations)", f.rule, f.safe.len());
    cycle_plain(&db, &f.before);
    Some((db, f))
}

// ------------------------------------------------------------------ S0501

/// `CREATE INDEX` holds `SHARE` (writes wait) and `DROP INDEX` `ACCESS EXCLUSIVE`
/// (reads wait too) until the migration commits; `CONCURRENTLY` holds `SHARE
/// UPDATE EXCLUSIVE` while it waits for older transactions, and queues for it
/// without queueing anyone: the application goes on. But its waits for older
/// transactions are lock waits: `lock_timeout` cancels them, leaving an
/// INVALID index that makes the migration fail when run again.
#[test]
fn s0501_index_without_concurrently() {
    let Some((db, f)) = start("index_without_concurrently") else {
        return;
    };
    let before = facts(&db);
    cycle(&db, &f.unsafe_form, |m, d| match d {
        Direction::Up => {
            let seen = hold(&db, m, Direction::Up, &f.probes);
            seen.assert_ok();
            seen.assert_holds("accounts", "ShareLock");
            seen.assert_free(0);
            seen.assert_blocked(1, "accounts", "RowExclusiveLock");
        }
        Direction::Down => {
            let seen = hold(&db, m, Direction::Down, &f.probes);
            seen.assert_ok();
            seen.assert_holds("accounts", "AccessExclusiveLock");
            seen.assert_blocked(0, "accounts", "AccessShareLock");
            seen.assert_blocked(1, "accounts", "RowExclusiveLock");
        }
    });
    apply(&db, &f.unsafe_form, Direction::Down);
    assert_same_facts(&before, &facts(&db), "unsafe down");

    let safe = &f.safe[0];
    cycle(&db, safe, |m, d| match d {
        Direction::Up => {
            let seen = behind(&db, m, Direction::Up, &f.probes, blocker::SNAPSHOT, false);
            seen.assert_ok();
            seen.assert_holds("accounts", "ShareUpdateExclusiveLock");
            seen.assert_awaits("virtualxid", "ShareLock");
            seen.assert_all_free();
        }
        Direction::Down => {
            let seen = behind(&db, m, Direction::Down, &f.probes, blocker::READER, false);
            seen.assert_ok();
            seen.assert_holds("accounts", "ShareUpdateExclusiveLock");
            seen.assert_awaits("virtualxid", "ShareLock");
            seen.assert_all_free();
        }
    });

    // Queued for its own lock (behind autovacuum, say), `CONCURRENTLY` queues
    // no read or write: `SHARE UPDATE EXCLUSIVE` conflicts with none of theirs.
    apply(&db, safe, Direction::Down);
    let seen = behind(
        &db,
        safe,
        Direction::Up,
        &f.probes,
        blocker::AUTOVACUUM,
        false,
    );
    seen.assert_ok();
    seen.assert_awaits("accounts", "ShareUpdateExclusiveLock");
    seen.assert_all_free();

    // Why neither S0510 nor `schema new --online` asks a concurrent build for a
    // `lock_timeout`: its waits for older transactions are lock waits, so any
    // transaction open longer than the timeout makes it fail, leaving an
    // INVALID index behind, and the migration cannot run again.
    apply(&db, safe, Direction::Down);
    let mut h = session(&db, "blocker");
    h.run(blocker::SNAPSHOT);
    let mut s = Session::migrator(&db);
    s.client
        .batch_execute("SET lock_timeout = '2s'")
        .unwrap_or_else(|e| panic!("{e}"));
    let started = Instant::now();
    let result = execute(
        &mut s.client,
        &safe.statements(Direction::Up),
        Tx::Autocommit,
    );
    let took = started.elapsed();
    let refused = assert_refused(
        &result,
        "55P03",
        "CREATE INDEX CONCURRENTLY behind a snapshot",
    );
    let valid: Option<bool> = s
        .client
        .query_opt(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('accounts_email_idx')",
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|r| r.get(0));
    assert_eq!(valid, Some(false), "the index CONCURRENTLY left");
    h.run("COMMIT");
    let again = execute(
        &mut s.client,
        &safe.statements(Direction::Up),
        Tx::Autocommit,
    );
    let again = assert_refused(&again, "42P07", "the same migration again");
    println!(
        "{}/up.sql with a snapshot open for longer than lock_timeout: {refused} after {took:?}; \
         left accounts_email_idx INVALID; run again: {again}",
        safe.name
    );
    apply(&db, safe, Direction::Down);
    assert_same_facts(&before, &facts(&db), "after dropping the INVALID index");
}

// ------------------------------------------------------------------ S0502

/// `CONCURRENTLY` and `VACUUM` are refused in a transaction block (25001); the
/// directive runs them.
#[test]
fn s0502_concurrently_in_transaction() {
    let Some((db, f)) = start("concurrently_in_transaction") else {
        return;
    };
    let before = facts(&db);
    let refused = try_apply(&db, &f.unsafe_form, Direction::Up).1;
    let refused = assert_refused(&refused, "25001", "unsafe/up.sql in a transaction");
    println!("{}/up.sql: {refused}", f.unsafe_form.name);
    assert_same_facts(&before, &facts(&db), "a refused migration changes nothing");
    // The same statements are right outside a transaction; the down is refused
    // in a transaction as well.
    let outside = f.unsafe_form.outside_transaction();
    cycle_plain(&db, &outside);
    let applied = facts(&db);
    let refused = try_apply(&db, &f.unsafe_form, Direction::Down).1;
    let refused = assert_refused(&refused, "25001", "unsafe/down.sql in a transaction");
    println!("{}/down.sql: {refused}", f.unsafe_form.name);
    assert_same_facts(&applied, &facts(&db), "a refused down changes nothing");
    apply(&db, &outside, Direction::Down);

    cycle_plain(&db, &f.safe[0]);
    apply(&db, &f.safe[0], Direction::Down);
    assert_same_facts(&before, &facts(&db), "safe down");

    // The other statements PostgreSQL refuses in a transaction, and one it takes.
    let mut s = session(&db, "migration");
    s.run(
        "CREATE MATERIALIZED VIEW account_emails AS SELECT id, email FROM accounts; \
         CREATE UNIQUE INDEX account_emails_id ON account_emails (id); \
         CREATE TABLE events (at date NOT NULL, kind text) PARTITION BY RANGE (at); \
         CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
    );
    for (sql, expected) in [
        ("VACUUM accounts", Some("25001")),
        ("VACUUM FULL accounts", Some("25001")),
        ("REINDEX TABLE CONCURRENTLY accounts", Some("25001")),
        (
            "ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY",
            Some("25001"),
        ),
        (
            "REFRESH MATERIALIZED VIEW CONCURRENTLY account_emails",
            None,
        ),
    ] {
        let result = execute(&mut s.client, &[sql], Tx::Whole);
        match expected {
            Some(code) => {
                let f = assert_refused(&result, code, sql);
                println!("in a transaction: {f}");
            }
            None => {
                if let Err(f) = &result {
                    panic!("in a transaction: {f}");
                }
                println!("in a transaction: `{sql}` runs");
            }
        }
    }
    s.run("DROP MATERIALIZED VIEW account_emails; DROP TABLE events");
    assert_same_facts(
        &before,
        &facts(&db),
        "after the statements in a transaction",
    );
}

// ------------------------------------------------------------------ S0503

/// A foreign key added valid holds `SHARE ROW EXCLUSIVE` on both tables through
/// its validating scan (writes wait on both); `NOT VALID` then `VALIDATE`: the
/// scan runs under `SHARE UPDATE EXCLUSIVE` (and `ROW SHARE` on the referenced
/// table), and writes go on. A check constraint: `ACCESS EXCLUSIVE` then
/// `SHARE UPDATE EXCLUSIVE`.
#[test]
fn s0503_constraint_without_not_valid() {
    let Some((db, f)) = start("constraint_without_not_valid") else {
        return;
    };
    let before = facts(&db);
    cycle(&db, &f.unsafe_form, |m, d| match d {
        Direction::Up => {
            let seen = hold(&db, m, Direction::Up, &f.probes);
            seen.assert_ok();
            seen.assert_holds("orders", "ShareRowExclusiveLock");
            seen.assert_holds("accounts", "ShareRowExclusiveLock");
            assert!(seen.work.scans.contains_key("orders"), "no validating scan");
            seen.assert_free(0);
            seen.assert_blocked(1, "orders", "RowExclusiveLock");
            seen.assert_free(2);
            seen.assert_blocked(3, "accounts", "RowExclusiveLock");
        }
        Direction::Down => {
            apply(&db, m, Direction::Down);
        }
    });
    apply(&db, &f.unsafe_form, Direction::Down);
    assert_same_facts(&before, &facts(&db), "unsafe down");

    let add = cycle_plain(&db, &f.safe[0]);
    print_work(&f.safe[0].label(Direction::Up), &add);
    assert!(add.scans.is_empty(), "NOT VALID scanned: {add}");
    assert!(has(&add.locks, "orders", "ShareRowExclusiveLock"), "{add}");
    cycle(&db, &f.safe[1], |m, d| match d {
        Direction::Up => {
            let seen = hold(&db, m, Direction::Up, &f.probes);
            seen.assert_ok();
            seen.assert_holds("orders", "ShareUpdateExclusiveLock");
            seen.assert_holds("accounts", "RowShareLock");
            assert!(
                seen.work.scans.contains_key("orders"),
                "VALIDATE did not scan"
            );
            seen.assert_all_free();
        }
        Direction::Down => {
            apply(&db, m, Direction::Down);
        }
    });

    // The same for a check constraint.
    let probes = &f.probes[..2];
    let check = Migration::inline(
        "check",
        "SET lock_timeout = '2s';\n-- hold\nALTER TABLE orders ADD CONSTRAINT orders_amount_check CHECK (amount > 0);",
        "ALTER TABLE orders DROP CONSTRAINT orders_amount_check;",
    );
    let seen = hold(&db, &check, Direction::Up, probes);
    seen.assert_ok();
    seen.assert_holds("orders", "AccessExclusiveLock");
    assert!(seen.work.scans.contains_key("orders"), "no validating scan");
    seen.assert_blocked(0, "orders", "AccessShareLock");
    seen.assert_blocked(1, "orders", "RowExclusiveLock");
    apply(&db, &check, Direction::Down);
    let not_valid = Migration::inline(
        "check NOT VALID",
        "ALTER TABLE orders ADD CONSTRAINT orders_amount_check CHECK (amount > 0) NOT VALID;",
        "ALTER TABLE orders DROP CONSTRAINT orders_amount_check;",
    );
    let add = apply(&db, &not_valid, Direction::Up);
    print_work("check NOT VALID", &add);
    assert!(add.scans.is_empty(), "NOT VALID scanned: {add}");
    let validate = Migration::inline(
        "check VALIDATE",
        "-- hold\nALTER TABLE orders VALIDATE CONSTRAINT orders_amount_check;",
        "",
    );
    let seen = hold(&db, &validate, Direction::Up, probes);
    seen.assert_ok();
    seen.assert_holds("orders", "ShareUpdateExclusiveLock");
    assert!(
        seen.work.scans.contains_key("orders"),
        "VALIDATE did not scan"
    );
    seen.assert_all_free();
    apply(&db, &not_valid, Direction::Down);
}

fn has(locks: &[Lock], object: &str, mode: &str) -> bool {
    locks
        .iter()
        .any(|l| l.granted && l.object == object && l.mode == mode)
}

// ------------------------------------------------------------------ S0504

/// `SET NOT NULL` scans under `ACCESS EXCLUSIVE`; after a validated
/// `CHECK (c IS NOT NULL)` it does not scan (the server says so at `DEBUG1`).
#[test]
fn s0504_set_not_null_scans() {
    let Some((db, f)) = start("set_not_null_scans") else {
        return;
    };
    const PROOF: &str = "existing constraints on column \"accounts.email\" are sufficient to prove that it does not contain nulls";
    let before = facts(&db);
    cycle(&db, &f.unsafe_form, |m, d| match d {
        Direction::Up => {
            let seen = hold(&db, m, Direction::Up, &f.probes);
            seen.assert_ok();
            seen.assert_holds("accounts", "AccessExclusiveLock");
            assert!(
                seen.work.scans.contains_key("accounts"),
                "SET NOT NULL did not scan"
            );
            assert!(
                !seen.work.notices.iter().any(|n| n == PROOF),
                "{:?}",
                seen.work.notices
            );
            seen.assert_blocked(0, "accounts", "AccessShareLock");
            seen.assert_blocked(1, "accounts", "RowExclusiveLock");
        }
        Direction::Down => {
            apply(&db, m, Direction::Down);
        }
    });
    apply(&db, &f.unsafe_form, Direction::Down);
    assert_same_facts(&before, &facts(&db), "unsafe down");

    let add = cycle_plain(&db, &f.safe[0]);
    print_work(&f.safe[0].label(Direction::Up), &add);
    assert!(add.scans.is_empty(), "NOT VALID scanned: {add}");
    cycle(&db, &f.safe[1], |m, d| match d {
        Direction::Up => {
            let seen = hold(&db, m, Direction::Up, &f.probes);
            seen.assert_ok();
            seen.assert_holds("accounts", "ShareUpdateExclusiveLock");
            assert!(
                seen.work.scans.contains_key("accounts"),
                "VALIDATE did not scan"
            );
            seen.assert_all_free();
        }
        Direction::Down => {
            apply(&db, m, Direction::Down);
        }
    });
    let set = cycle_plain(&db, &f.safe[2]);
    print_work(&f.safe[2].label(Direction::Up), &set);
    println!("  server: {:?}", set.notices);
    assert!(set.scans.is_empty(), "SET NOT NULL scanned: {set}");
    assert!(
        set.notices.iter().any(|n| n == PROOF),
        "the server did not say the check proves it: {:?}",
        set.notices
    );
    assert!(has(&set.locks, "accounts", "AccessExclusiveLock"), "{set}");
}

// ------------------------------------------------------------------ S0505

/// `integer` → `bigint` rewrites the table under `ACCESS EXCLUSIVE` (a new
/// relfilenode); `varchar(20)` → `varchar(50)` does not (same relfilenode, no
/// scan), though it takes `ACCESS EXCLUSIVE` for its instant too.
#[test]
fn s0505_column_type_rewrites() {
    let Some((db, f)) = start("column_type_rewrites") else {
        return;
    };
    let before = facts(&db);
    cycle(&db, &f.unsafe_form, |m, d| match d {
        Direction::Up => {
            let seen = hold(&db, m, Direction::Up, &f.probes);
            seen.assert_ok();
            seen.assert_holds("accounts", "AccessExclusiveLock");
            assert!(seen.rewritten.contains("accounts"), "no rewrite");
            seen.assert_blocked(0, "accounts", "AccessShareLock");
            seen.assert_blocked(1, "accounts", "RowExclusiveLock");
        }
        Direction::Down => {
            apply(&db, m, Direction::Down);
        }
    });
    apply(&db, &f.unsafe_form, Direction::Down);
    assert_same_facts(&before, &facts(&db), "unsafe down");
    let widen = cycle_plain(&db, &f.safe[0]);
    print_work(&f.safe[0].label(Direction::Up), &widen);
    assert!(widen.rewritten.is_empty(), "rewrote: {widen}");
    assert!(widen.scans.is_empty(), "scanned: {widen}");
    assert!(
        has(&widen.locks, "accounts", "AccessExclusiveLock"),
        "{widen}"
    );

    // Which changes rewrite, on this server (rolled back one by one).
    let mut s = session(&db, "setup");
    s.run(
        "CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0); \
         CREATE TABLE type_changes (id bigint PRIMARY KEY, i integer, v varchar(20), t text, \
           n numeric(10, 2), ts timestamp, tz timestamptz, c char(5), b varbit(5)); \
         INSERT INTO type_changes VALUES (1, 1, 'v', 't', 1.5, '2024-01-01', '2024-01-01', 'c', '1')",
    );
    let mut differ = Vec::new();
    for (timezone, column, to, rewrites) in [
        ("UTC", "i", "bigint", true),
        ("UTC", "i", "smallint", true),
        ("UTC", "i", "numeric", true),
        ("UTC", "i", "positive_int", true),
        ("UTC", "v", "varchar(50)", false),
        ("UTC", "v", "text", false),
        ("UTC", "v", "varchar(10)", true),
        ("UTC", "t", "varchar(50)", true),
        ("UTC", "n", "numeric(12, 2)", false),
        ("UTC", "n", "numeric", false),
        ("UTC", "n", "numeric(12, 4)", true),
        ("UTC", "c", "char(10)", true),
        ("UTC", "c", "text", true),
        ("UTC", "b", "varbit(10)", false),
        ("UTC", "ts", "timestamptz", false),
        ("Europe/Paris", "ts", "timestamptz", true),
        ("UTC", "tz", "timestamp", false),
        ("Europe/Paris", "tz", "timestamp", true),
    ] {
        let sql = format!("ALTER TABLE type_changes ALTER COLUMN {column} TYPE {to}");
        let timezone_sql = format!("SET LOCAL TimeZone = '{timezone}'");
        let (work, result) = measure(&db, &[timezone_sql.as_str(), sql.as_str()], false);
        if let Err(e) = result {
            panic!("{e}");
        }
        let rewrote = work.rewritten.contains("type_changes");
        println!(
            "TimeZone {timezone}: `{sql}`: {}",
            if rewrote { "rewrite" } else { "no rewrite" }
        );
        assert_eq!(
            rewrote,
            !work.scans.is_empty(),
            "{sql}: a scan without a rewrite: {work}"
        );
        if rewrote != rewrites {
            differ.push(sql);
        }
    }
    assert!(differ.is_empty(), "not as expected: {differ:#?}");
    s.run("DROP TABLE type_changes; DROP DOMAIN positive_int");
}

// ------------------------------------------------------------------ S0506

/// A volatile default rewrites the table under `ACCESS EXCLUSIVE`; a column
/// without default, then `SET DEFAULT`, rewrites nothing; the backfill holds
/// `ROW EXCLUSIVE` and the application goes on.
#[test]
fn s0506_volatile_default() {
    let Some((db, f)) = start("volatile_default") else {
        return;
    };
    let before = facts(&db);
    cycle(&db, &f.unsafe_form, |m, d| match d {
        Direction::Up => {
            let seen = hold(&db, m, Direction::Up, &f.probes);
            seen.assert_ok();
            seen.assert_holds("accounts", "AccessExclusiveLock");
            assert!(seen.rewritten.contains("accounts"), "no rewrite");
            seen.assert_blocked(0, "accounts", "AccessShareLock");
            seen.assert_blocked(1, "accounts", "RowExclusiveLock");
        }
        Direction::Down => {
            apply(&db, m, Direction::Down);
        }
    });
    apply(&db, &f.unsafe_form, Direction::Down);
    assert_same_facts(&before, &facts(&db), "unsafe down");
    let add = cycle_plain(&db, &f.safe[0]);
    print_work(&f.safe[0].label(Direction::Up), &add);
    assert!(add.rewritten.is_empty(), "rewrote: {add}");
    assert!(add.scans.is_empty(), "scanned: {add}");
    cycle(&db, &f.safe[1], |m, d| match d {
        Direction::Up => {
            let seen = hold(&db, m, Direction::Up, &f.probes);
            seen.assert_ok();
            seen.assert_holds("accounts", "RowExclusiveLock");
            assert!(seen.rewritten.is_empty(), "the backfill rewrote");
            seen.assert_all_free();
        }
        Direction::Down => {
            apply(&db, m, Direction::Down);
        }
    });

    // Which added columns rewrite (rolled back one by one).
    let mut s = session(&db, "setup");
    s.run("CREATE SEQUENCE counter");
    let mut differ = Vec::new();
    for (column, rewrites) in [
        ("c text DEFAULT 'x'", false),
        ("c integer NOT NULL DEFAULT 0", false),
        ("c timestamptz DEFAULT now()", false),
        ("c timestamptz DEFAULT CURRENT_TIMESTAMP", false),
        ("c date DEFAULT now() + interval '1 day'", false),
        ("c timestamptz DEFAULT clock_timestamp()", true),
        ("c double precision DEFAULT random()", true),
        ("c uuid DEFAULT gen_random_uuid()", true),
        ("c bigint DEFAULT nextval('counter')", true),
        ("c bigserial", true),
        ("c bigint GENERATED ALWAYS AS IDENTITY", true),
        ("c bigint GENERATED ALWAYS AS (id * 2) STORED", true),
    ] {
        let sql = format!("ALTER TABLE accounts ADD COLUMN {column}");
        let (work, result) = measure(&db, &[sql.as_str()], false);
        if let Err(e) = result {
            panic!("{e}");
        }
        let rewrote = work.rewritten.contains("accounts");
        println!(
            "`{sql}`: {}",
            if rewrote { "rewrite" } else { "no rewrite" }
        );
        if rewrote != rewrites {
            differ.push(sql);
        }
    }
    assert!(differ.is_empty(), "not as expected: {differ:#?}");
    s.run("DROP SEQUENCE counter");
}

// ------------------------------------------------------------------ S0507

/// `ADD UNIQUE` builds its index under `ACCESS EXCLUSIVE`; `CREATE UNIQUE INDEX
/// CONCURRENTLY` under `SHARE UPDATE EXCLUSIVE`, then `ADD CONSTRAINT ... USING
/// INDEX` takes `ACCESS EXCLUSIVE` for an instant, without a scan.
#[test]
fn s0507_constraint_builds_index() {
    let Some((db, f)) = start("constraint_builds_index") else {
        return;
    };
    let before = facts(&db);
    cycle(&db, &f.unsafe_form, |m, d| match d {
        Direction::Up => {
            let seen = hold(&db, m, Direction::Up, &f.probes);
            seen.assert_ok();
            seen.assert_holds("accounts", "AccessExclusiveLock");
            seen.assert_blocked(0, "accounts", "AccessShareLock");
            seen.assert_blocked(1, "accounts", "RowExclusiveLock");
        }
        Direction::Down => {
            apply(&db, m, Direction::Down);
        }
    });
    apply(&db, &f.unsafe_form, Direction::Down);
    assert_same_facts(&before, &facts(&db), "unsafe down");
    cycle(&db, &f.safe[0], |m, d| match d {
        Direction::Up => {
            let seen = behind(&db, m, Direction::Up, &f.probes, blocker::SNAPSHOT, false);
            seen.assert_ok();
            seen.assert_holds("accounts", "ShareUpdateExclusiveLock");
            seen.assert_awaits("virtualxid", "ShareLock");
            seen.assert_all_free();
        }
        Direction::Down => {
            apply(&db, m, Direction::Down);
        }
    });
    let attach = cycle_plain(&db, &f.safe[1]);
    print_work(&f.safe[1].label(Direction::Up), &attach);
    assert!(attach.scans.is_empty(), "scanned: {attach}");
    assert!(
        has(&attach.locks, "accounts", "AccessExclusiveLock"),
        "{attach}"
    );

    // A primary key through an index on a nullable column: PostgreSQL sets
    // the column NOT NULL itself, with the scan that takes.
    let mut s = session(&db, "setup");
    s.run(
        "CREATE TABLE legacy (code text, note text); \
         INSERT INTO legacy VALUES ('a', 'x'), ('b', 'y'); \
         CREATE UNIQUE INDEX legacy_code_key ON legacy (code)",
    );
    let (work, result) = measure(
        &db,
        &["ALTER TABLE legacy ADD CONSTRAINT legacy_pkey PRIMARY KEY USING INDEX legacy_code_key"],
        false,
    );
    if let Err(e) = result {
        panic!("{e}");
    }
    println!("PRIMARY KEY USING INDEX on a nullable column: {work}");
    assert!(work.scans.contains_key("legacy"), "no scan: {work}");
    let (work, result) = measure(
        &db,
        &["ALTER TABLE legacy ALTER COLUMN code SET NOT NULL"],
        true,
    );
    if let Err(e) = result {
        panic!("{e}");
    }
    assert!(work.scans.contains_key("legacy"), "{work}");
    let (work, result) = measure(
        &db,
        &["ALTER TABLE legacy ADD CONSTRAINT legacy_pkey PRIMARY KEY USING INDEX legacy_code_key"],
        false,
    );
    if let Err(e) = result {
        panic!("{e}");
    }
    println!("PRIMARY KEY USING INDEX on a NOT NULL column: {work}");
    assert!(work.scans.is_empty(), "scanned: {work}");
    s.run("DROP TABLE legacy");
}

// ------------------------------------------------------------------ S0508, S0509

/// The previous release: a session that prepared its queries before the migration.
struct Release {
    session: Session,
    statements: Vec<(String, postgres::Statement)>,
}

fn previous_release(db: &TestDatabase, sqls: &[&str]) -> Release {
    let mut session = session(db, "previous release");
    let statements = sqls
        .iter()
        .map(|sql| {
            let statement = session
                .client
                .prepare(sql)
                .unwrap_or_else(|e| panic!("`{sql}`: {e}"));
            (sql.to_string(), statement)
        })
        .collect();
    let mut release = Release {
        session,
        statements,
    };
    for (sql, result) in release.run() {
        if let Err(f) = result {
            panic!("the previous release's `{sql}` before the migration: {f}");
        }
    }
    release
}

impl Release {
    /// Executes each prepared query: its SQLSTATE if refused.
    fn run(&mut self) -> Vec<(String, Result<(), Failed>)> {
        self.statements
            .iter()
            .map(|(sql, statement)| {
                let result = self
                    .session
                    .client
                    .execute(statement, &[])
                    .map(|_| ())
                    .map_err(|e| failed(&e, sql));
                (sql.clone(), result)
            })
            .collect()
    }
}

/// The SQLSTATE of each result (`ok` for success), printed.
fn outcomes(label: &str, results: &[(String, Result<(), Failed>)]) -> Vec<String> {
    results
        .iter()
        .map(|(sql, r)| {
            let outcome = match r {
                Ok(()) => "ok".to_string(),
                Err(f) => f.code.clone(),
            };
            match r {
                Ok(()) => println!("{label}: `{sql}` ok"),
                Err(f) => println!("{label}: {f}"),
            }
            outcome
        })
        .collect()
}

/// After a rename the previous release's queries fail (42703; 42P01 for a
/// table); after the expand step (a new column) they run, but a prepared
/// `SELECT *` fails: its result type changed (0A000).
#[test]
fn s0508_rename_in_use() {
    let Some((db, f)) = start("rename_in_use") else {
        return;
    };
    let before = facts(&db);
    let mut queries: Vec<&str> = f.probes.iter().map(String::as_str).collect();
    queries.push("SELECT * FROM accounts WHERE id = 1");
    let mut release = previous_release(&db, &queries);
    cycle(&db, &f.unsafe_form, |m, d| match d {
        Direction::Up => {
            let work = apply(&db, m, Direction::Up);
            print_work(&m.label(Direction::Up), &work);
            let got = outcomes("after the rename", &release.run());
            assert_eq!(got, ["42703", "42703", "0A000"]);
            let fresh = execute(&mut db.connect(), &queries[..1], Tx::Autocommit);
            assert_refused(&fresh, "42703", "the query sent again");
        }
        Direction::Down => {
            apply(&db, m, Direction::Down);
            let got = outcomes("after the rename back", &release.run());
            assert_eq!(got, ["ok", "ok", "ok"]);
        }
    });
    apply(&db, &f.unsafe_form, Direction::Down);
    assert_same_facts(&before, &facts(&db), "unsafe down");

    let mut release = previous_release(&db, &queries);
    cycle(&db, &f.safe[0], |m, d| match d {
        Direction::Up => {
            apply(&db, m, Direction::Up);
            let got = outcomes("after the new column", &release.run());
            assert_eq!(got, ["ok", "ok", "0A000"]);
        }
        Direction::Down => {
            apply(&db, m, Direction::Down);
        }
    });
    apply(&db, &f.safe[0], Direction::Down);

    // A table renamed.
    let mut release = previous_release(&db, &queries[..2]);
    let rename = Migration::inline(
        "rename table",
        "ALTER TABLE accounts RENAME TO users;",
        "ALTER TABLE users RENAME TO accounts;",
    );
    apply(&db, &rename, Direction::Up);
    let got = outcomes("after the table rename", &release.run());
    assert_eq!(got, ["42P01", "42P01"]);
    apply(&db, &rename, Direction::Down);
}

/// After a drop the previous release's queries fail (42703; 42P01 for a
/// table); after the safe step (`DROP NOT NULL`, so that the new release can
/// stop writing the column) they run, and so does the new release's insert.
#[test]
fn s0509_drop_in_use() {
    let Some((db, f)) = start("drop_in_use") else {
        return;
    };
    let before = facts(&db);
    let queries: Vec<&str> = f.probes.iter().map(String::as_str).collect();
    let new_release = "INSERT INTO accounts (email) VALUES ('new@example.com')";
    let mut release = previous_release(&db, &queries);
    cycle(&db, &f.unsafe_form, |m, d| match d {
        Direction::Up => {
            apply(&db, m, Direction::Up);
            let got = outcomes("after the drop", &release.run());
            assert_eq!(got, ["42703", "42703"]);
        }
        Direction::Down => {
            apply(&db, m, Direction::Down);
            let got = outcomes("after the column is back", &release.run());
            assert_eq!(got, ["ok", "ok"]);
        }
    });
    apply(&db, &f.unsafe_form, Direction::Down);
    assert_same_facts(&before, &facts(&db), "unsafe down");

    let mut client = db.connect();
    let refused = execute(&mut client, &[new_release], Tx::Whole);
    assert_refused(
        &refused,
        "23502",
        "the new release's insert before the safe step",
    );
    let mut release = previous_release(&db, &queries);
    cycle(&db, &f.safe[0], |m, d| match d {
        Direction::Up => {
            apply(&db, m, Direction::Up);
            let got = outcomes("after DROP NOT NULL", &release.run());
            assert_eq!(got, ["ok", "ok"]);
            // The new release's insert, rolled back so that the down can run.
            client
                .batch_execute("BEGIN")
                .unwrap_or_else(|e| panic!("{e}"));
            if let Err(e) = client.batch_execute(new_release) {
                panic!("the new release's insert: {e}");
            }
            client
                .batch_execute("ROLLBACK")
                .unwrap_or_else(|e| panic!("{e}"));
        }
        Direction::Down => {
            apply(&db, m, Direction::Down);
        }
    });

    // A table dropped.
    let mut s = session(&db, "setup");
    s.run("CREATE TABLE audit_log (id bigint PRIMARY KEY, what text)");
    let mut release = previous_release(&db, &["SELECT count(*) FROM audit_log"]);
    s.run("DROP TABLE audit_log");
    let got = outcomes("after DROP TABLE", &release.run());
    assert_eq!(got, ["42P01"]);
}

// ------------------------------------------------------------------ S0510

/// Behind a reader's open transaction the `ALTER TABLE` queues for `ACCESS
/// EXCLUSIVE`, and every read and write queues behind it; with `lock_timeout`
/// the `ALTER` gives up (55P03) and the queue drains while the reader is still
/// open.
#[test]
fn s0510_missing_lock_timeout() {
    let Some((db, f)) = start("missing_lock_timeout") else {
        return;
    };
    cycle(&db, &f.unsafe_form, |m, d| match d {
        Direction::Up => {
            let seen = behind(&db, m, Direction::Up, &f.probes, blocker::READER, false);
            seen.assert_ok();
            seen.assert_awaits("accounts", "AccessExclusiveLock");
            seen.assert_blocked(0, "accounts", "AccessShareLock");
            seen.assert_blocked(1, "accounts", "RowExclusiveLock");
        }
        Direction::Down => {
            apply(&db, m, Direction::Down);
        }
    });
    apply(&db, &f.unsafe_form, Direction::Down);

    let safe = &f.safe[0];
    cycle(&db, safe, |m, d| match d {
        Direction::Up => {
            let before = facts(&db);
            let seen = behind(&db, m, Direction::Up, &f.probes, blocker::READER, true);
            let refused = assert_refused(&seen.result, "55P03", "the ALTER behind a reader");
            println!("  → {refused}");
            seen.assert_awaits("accounts", "AccessExclusiveLock");
            for p in &seen.probes {
                if let Err(e) = &p.result {
                    panic!("probe: {e}");
                }
                assert!(
                    p.finished_early,
                    "probe `{}` did not finish while the reader was open",
                    p.sql
                );
                assert!(
                    p.elapsed < Duration::from_secs(2),
                    "probe `{}` waited {:?}",
                    p.sql,
                    p.elapsed
                );
            }
            assert_same_facts(&before, &facts(&db), "the ALTER that gave up");
            // Tried again once the reader is gone, as a deploy would.
            apply(&db, m, Direction::Up);
        }
        Direction::Down => {
            apply(&db, m, Direction::Down);
        }
    });
}

// ------------------------------------------------------------------ S0511

/// `VACUUM FULL` asks for `ACCESS EXCLUSIVE` (reads and writes queue behind it)
/// and rewrites the table; `VACUUM` asks for `SHARE UPDATE EXCLUSIVE` and the
/// application goes on. Both wait behind an autovacuum stand-in.
#[test]
fn s0511_table_rewrite() {
    let Some((db, f)) = start("table_rewrite") else {
        return;
    };
    cycle(&db, &f.unsafe_form, |m, d| match d {
        Direction::Up => {
            let seen = behind(&db, m, Direction::Up, &f.probes, blocker::AUTOVACUUM, false);
            seen.assert_ok();
            seen.assert_awaits("accounts", "AccessExclusiveLock");
            seen.assert_blocked(0, "accounts", "AccessShareLock");
            seen.assert_blocked(1, "accounts", "RowExclusiveLock");
            assert!(seen.rewritten.contains("accounts"), "no rewrite");
        }
        Direction::Down => {
            apply(&db, m, Direction::Down);
        }
    });
    cycle(&db, &f.safe[0], |m, d| match d {
        Direction::Up => {
            let seen = behind(&db, m, Direction::Up, &f.probes, blocker::AUTOVACUUM, false);
            seen.assert_ok();
            seen.assert_awaits("accounts", "ShareUpdateExclusiveLock");
            seen.assert_all_free();
            assert!(seen.rewritten.is_empty(), "VACUUM rewrote");
        }
        Direction::Down => {
            apply(&db, m, Direction::Down);
        }
    });
}

// ------------------------------------------------------------------ S0512

/// A value added to an enum cannot be used in the same transaction (55P04),
/// even without naming it; in the next migration it can.
#[test]
fn s0512_enum_value_used_in_transaction() {
    let Some((db, f)) = start("enum_value_used_in_transaction") else {
        return;
    };
    let before = facts(&db);
    let refused = try_apply(&db, &f.unsafe_form, Direction::Up).1;
    let refused = assert_refused(&refused, "55P04", "unsafe/up.sql in a transaction");
    println!("{}/up.sql: {refused}", f.unsafe_form.name);
    assert!(refused.statement.contains("CREATE VIEW"), "{refused}");
    assert_same_facts(&before, &facts(&db), "a refused migration changes nothing");
    // Outside a transaction the same statements run, and the down undoes them.
    let outside = f.unsafe_form.outside_transaction();
    cycle_plain(&db, &outside);
    apply(&db, &outside, Direction::Down);
    assert_same_facts(&before, &facts(&db), "unsafe down");

    for m in &f.safe {
        cycle_plain(&db, m);
    }
    for m in f.safe.iter().rev() {
        apply(&db, m, Direction::Down);
    }
    assert_same_facts(&before, &facts(&db), "safe downs");

    // Other uses in the same transaction.
    for (what, statements) in [
        (
            "enum_range, which names no value",
            [
                "ALTER TYPE account_status ADD VALUE 'suspended'",
                "SELECT enum_range(NULL::account_status)",
            ],
        ),
        (
            "a type created in the same transaction",
            [
                "CREATE TYPE plan AS ENUM ('free'); ALTER TYPE plan ADD VALUE 'paid'",
                "SELECT 'paid'::plan",
            ],
        ),
    ] {
        let result = execute(&mut db.connect(), &statements, Tx::Whole);
        let refused = assert_refused(&result, "55P04", what);
        println!("{what}: {refused}");
    }
}

// ------------------------------------------------------------------ S0513

/// A `serial` key's sequence is `integer`: it stops at 2147483647 (2200H), and
/// the column takes no larger value (22003); a `bigint` identity goes on.
#[test]
fn s0513_int_primary_key() {
    let Some((db, f)) = start("int_primary_key") else {
        return;
    };
    let before = facts(&db);
    cycle_plain(&db, &f.unsafe_form);
    let mut c = db.connect();
    let setval = "SELECT setval(pg_get_serial_sequence('events', 'id'), 2147483646)";
    let insert = "INSERT INTO events (kind) VALUES ('signup')";
    if let Err(e) = execute(&mut c, &[setval, insert], Tx::Autocommit) {
        panic!("{e}");
    }
    let full = execute(&mut c, &[insert], Tx::Autocommit);
    let full = assert_refused(&full, "2200H", "the 2147483648th event");
    println!("serial: {full}");
    let past = execute(
        &mut c,
        &["INSERT INTO events (id, kind) VALUES (2147483648, 'signup')"],
        Tx::Autocommit,
    );
    let past = assert_refused(&past, "22003", "an id past 2147483647");
    println!("serial: {past}");
    apply(&db, &f.unsafe_form, Direction::Down);
    assert_same_facts(&before, &facts(&db), "unsafe down");

    cycle_plain(&db, &f.safe[0]);
    let setval = "SELECT setval(pg_get_serial_sequence('events', 'id'), 2147483647)";
    if let Err(e) = execute(&mut c, &[setval, insert], Tx::Autocommit) {
        panic!("{e}");
    }
    let id: i64 = c
        .query_one("SELECT max(id) FROM events", &[])
        .unwrap_or_else(|e| panic!("{e}"))
        .get(0);
    assert_eq!(id, 2_147_483_648);
    println!("bigint identity: id {id}");
}
