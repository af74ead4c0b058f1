//! The child processes: this test binary run again
//! (`current_exe() --exact child::entry --nocapture`) with `SCHEMA_TEST_CHILD`
//! saying what to do, optionally after a start barrier:
//!
//! - `exec`: become the `schema` binary (`exec`), with the given arguments, so
//!   a herd of CLI migrators starts at the same moment;
//! - `sqlite-up`: run `Migrator::up` on a SQLite file over one of the
//!   hand-built migration lists of [`fixtures`](crate::fixtures), print
//!   `applied-steps: N` and exit 0, or print the error and exit 1; with
//!   `SCHEMA_TEST_SQLITE_DRIVER=sqlx`, `Migrator::up_async` over an sqlx
//!   pool (`SqlxSqliteDriver`) instead of rusqlite.
//!
//! Run as a test of the suite (no `SCHEMA_TEST_CHILD`), [`entry`] does nothing.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use schema_runtime::driver::sqlite::SqliteDriver;
use schema_runtime::driver::sqlx_sqlite::SqlxSqliteDriver;
use schema_runtime::{Migrator, Report, Step};

use crate::fixtures;

const ROLE: &str = "SCHEMA_TEST_CHILD";
const BARRIER: &str = "SCHEMA_TEST_BARRIER";
const ID: &str = "SCHEMA_TEST_CHILD_ID";
const PROGRAM: &str = "SCHEMA_TEST_PROGRAM";
const ARGS: &str = "SCHEMA_TEST_ARGS";
const DB: &str = "SCHEMA_TEST_DB";
const SET: &str = "SCHEMA_TEST_SET";
const MARKS: &str = "SCHEMA_TEST_MARKS";
const BLOCKER: &str = "SCHEMA_TEST_BLOCKER";
const SQLITE_DRIVER: &str = "SCHEMA_TEST_SQLITE_DRIVER";

/// Separates `SCHEMA_TEST_ARGS`.
const UNIT: char = '\u{1f}';

/// What a child does; see the module docs.
#[test]
fn entry() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    wait_at_barrier();
    match role.as_str() {
        "exec" => {
            let program = var(PROGRAM);
            let args = var(ARGS);
            let error = Command::new(&program).args(args.split(UNIT)).exec();
            eprintln!("cannot run `{program}`: {error}");
            std::process::exit(127)
        }
        "sqlite-up" => std::process::exit(sqlite_up_now()),
        other => {
            eprintln!("unknown child role `{other}`");
            std::process::exit(2)
        }
    }
}

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        eprintln!("{name} is not set");
        std::process::exit(2)
    })
}

fn sqlite_up_now() -> i32 {
    let path = var(DB);
    let migrations = match var(SET).as_str() {
        "herd" => fixtures::sqlite_herd(),
        "crash" => fixtures::sqlite_crash(),
        "lock" => fixtures::sqlite_lock(Path::new(&var(BLOCKER))),
        other => {
            eprintln!("unknown migration set `{other}`");
            return 2;
        }
    };
    let marks = std::env::var_os(MARKS).map(PathBuf::from);
    let mark = |name: &str| {
        if let Some(dir) = &marks {
            if let Err(e) = std::fs::write(dir.join(name), "") {
                eprintln!("cannot write mark `{name}`: {e}");
            }
        }
    };
    let progress = |step: &Step| {
        if step.duration.is_none() {
            mark(&format!("started-{}", step.version));
        }
    };
    let migrator = Migrator::from_slice(&migrations).on_progress(&progress);
    let applied = if std::env::var(SQLITE_DRIVER).as_deref() == Ok("sqlx") {
        sqlx_up(&path, &migrator, &mark)
    } else {
        match SqliteDriver::open(&path) {
            Ok(mut db) => {
                mark("opened");
                migrator.up(&mut db).map_err(|e| e.to_string())
            }
            Err(e) => Err(e.to_string()),
        }
    };
    match applied {
        Ok(report) => {
            println!("applied-steps: {}", report.steps.len());
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}

/// `migrator.up_async` on the SQLite file `path` over an sqlx pool of one
/// connection (sqlx's default options: it creates the file), on a
/// current-thread runtime.
fn sqlx_up(path: &str, migrator: &Migrator<'_>, mark: &dyn Fn(&str)) -> Result<Report, String> {
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("starting a runtime: {e}"))?;
    runtime.block_on(async {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .map_err(|e| format!("opening `{path}` with sqlx: {e}"))?;
        let mut db = SqlxSqliteDriver::from_pool(&pool)
            .await
            .map_err(|e| e.to_string())?;
        mark("opened");
        migrator.up_async(&mut db).await.map_err(|e| e.to_string())
    })
}

/// With `SCHEMA_TEST_BARRIER`: says it is ready, then waits for `go`.
fn wait_at_barrier() {
    let Some(dir) = std::env::var_os(BARRIER).map(PathBuf::from) else {
        return;
    };
    let ready = dir.join(format!("ready-{}", var(ID)));
    if let Err(e) = std::fs::write(&ready, "") {
        eprintln!("cannot write `{}`: {e}", ready.display());
        std::process::exit(3);
    }
    let go = dir.join("go");
    let started = Instant::now();
    while !go.exists() {
        if started.elapsed() > Duration::from_secs(120) {
            eprintln!("no `go` after 120 s");
            std::process::exit(3);
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// This test binary as a child in `role`, its output piped.
fn command(role: &str) -> Command {
    let exe = std::env::current_exe().expect("the test binary's path");
    let mut c = Command::new(exe);
    c.args(["--exact", "child::entry", "--nocapture"])
        .env(ROLE, role)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// A child that becomes `schema <args>` in `dir`.
pub(crate) fn exec_schema(dir: &Path, args: &[&str]) -> Command {
    let mut c = command("exec");
    c.current_dir(dir)
        .env("SCHEMA_PG_DRIVER", crate::pg_driver())
        .env(PROGRAM, env!("CARGO_BIN_EXE_schema"))
        .env(ARGS, args.join(&UNIT.to_string()));
    c
}

/// A child that runs `Migrator::up` over the migration list `set` (`herd`,
/// `crash`, `lock`) on the SQLite file `db`, writing marks into `marks`:
/// `opened` just before `up`, `started-<version>` when a migration starts.
pub(crate) fn sqlite_up(db: &Path, set: &str, marks: Option<&Path>) -> Command {
    let mut c = command("sqlite-up");
    c.env(DB, db)
        .env(SET, set)
        .env(SQLITE_DRIVER, crate::sqlite_driver());
    if let Some(marks) = marks {
        c.env(MARKS, marks);
    }
    c
}

/// With [`sqlite_up`]'s `lock` set: the file the migration writes to.
pub(crate) fn blocker(c: &mut Command, path: &Path) {
    c.env(BLOCKER, path);
}

/// A start line for `parties` children: each says it is ready, and none goes
/// on before [`Barrier::release`].
pub(crate) struct Barrier {
    dir: PathBuf,
    parties: usize,
}

impl Barrier {
    /// A barrier in the new directory `dir`.
    pub(crate) fn new(dir: PathBuf, parties: usize) -> Self {
        std::fs::create_dir_all(&dir).expect("create the barrier directory");
        Barrier { dir, parties }
    }

    /// Makes child `id` of `c` wait at the barrier.
    pub(crate) fn join(&self, c: &mut Command, id: usize) {
        c.env(BARRIER, &self.dir).env(ID, id.to_string());
    }

    /// Waits until every party is ready, then lets them all go at once.
    pub(crate) fn release(&self, children: &mut [Child]) {
        let started = Instant::now();
        loop {
            let ready = std::fs::read_dir(&self.dir)
                .expect("read the barrier directory")
                .filter(|e| {
                    e.as_ref()
                        .is_ok_and(|e| e.file_name().to_string_lossy().starts_with("ready-"))
                })
                .count();
            if ready == self.parties {
                break;
            }
            for c in children.iter_mut() {
                if let Some(status) = c.try_wait().expect("poll a child") {
                    panic!("a child exited ({status}) before the start");
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "only {ready} of {} children ready after 60 s",
                self.parties
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        std::fs::write(self.dir.join("go"), "").expect("write the go file");
    }
}
