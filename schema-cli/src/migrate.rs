//! The commands that work on a live database: `up`, `down`, `redo`, `status`,
//! `stamp`, `verify`, `resolve`, over the migrations directory as the build
//! embeds it (PostgreSQL: the files' text; SQLite: rendered from the replay).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Args, Subcommand};
use schema_core::diagnostic::{Diagnostic, render_all};
use schema_core::migrations::dialects::{self, DialectSql};
use schema_core::migrations::replay::Replay;
use schema_core::{Project, load};
use schema_runtime::connect::{ConnectOptions, PostgresDriverKind, connect_with};
use schema_runtime::driver::Driver;
use schema_runtime::{
    DownTo, Fresh, MigrateError, Migration, Migrator, Options, Resolution, Script, Step,
    migrator::Direction,
};

use crate::takeover;

/// Where the database is and where the migrations are.
#[derive(Debug, Args)]
pub(crate) struct Target {
    /// The database: `postgres://user@host:port/db`, `sqlite://path/to/file.db`
    /// or `sqlite::memory:`. Without the flag: `DATABASE_URL` from the
    /// environment, else from the nearest `.env` file.
    #[arg(long, visible_alias = "url", env = DATABASE_URL_ENV, value_name = "URL")]
    pub(crate) database_url: Option<String>,
    /// The migrations directory.
    #[arg(long, default_value = "migrations")]
    pub(crate) migrations: PathBuf,
    /// The declarative schema file (checked with the migrations before anything runs).
    #[arg(long, default_value = "schema.sql")]
    pub(crate) schema: PathBuf,
    /// Seconds to wait for another migrator's lock, and, inside a migration,
    /// for each table lock another session holds (PostgreSQL `lock_timeout`,
    /// SQLite busy timeout); the error names the blocking session.
    #[arg(long, default_value_t = 300, value_name = "SECS")]
    pub(crate) lock_timeout: u64,
    /// Seconds to wait for a PostgreSQL server to accept and answer
    /// (`connect_timeout` in the URL wins). Without the flag:
    /// `SCHEMA_CONNECT_TIMEOUT` from the environment, else from `.env`, else 10.
    #[arg(long, env = CONNECT_TIMEOUT_ENV, value_name = "SECS")]
    pub(crate) connect_timeout: Option<u64>,
}

impl Target {
    /// The database URL: the flag's, the environment's or the `.env` file's
    /// (see [`complete`]).
    pub(crate) fn url(&self) -> &str {
        self.database_url.as_deref().unwrap_or_default()
    }

    /// The connect timeout: the flag's, the environment's, the `.env` file's
    /// or the default (see [`complete`]).
    pub(crate) fn connect_timeout(&self) -> Duration {
        Duration::from_secs(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
    }
}

/// The environment variable that names the database.
pub(crate) const DATABASE_URL_ENV: &str = "DATABASE_URL";

/// The environment variable that sets the connect timeout (for `diff` too).
pub(crate) const CONNECT_TIMEOUT_ENV: &str = "SCHEMA_CONNECT_TIMEOUT";

/// Why a database command cannot start.
pub(crate) enum Incomplete {
    /// No URL anywhere: a bad command line (exit 2).
    NoUrl,
    /// A value from `.env` that cannot be used (exit 1).
    Bad(String),
}

/// Fills what neither the flags nor the environment set (clap read both)
/// from the `.env` file: the database URL, which one of the three must give,
/// and the connect timeout.
pub(crate) fn complete(target: &mut Target) -> Result<(), Incomplete> {
    if target.database_url.is_none() {
        let (url, _) = crate::dotenv::var(DATABASE_URL_ENV).ok_or(Incomplete::NoUrl)?;
        target.database_url = Some(url);
    }
    if target.connect_timeout.is_none() {
        target.connect_timeout = connect_timeout_from_env().map_err(Incomplete::Bad)?;
    }
    Ok(())
}

/// `SCHEMA_CONNECT_TIMEOUT` from the environment or the `.env` file, if set.
fn connect_timeout_from_env() -> Result<Option<u64>, String> {
    let Some((text, from)) = crate::dotenv::var(CONNECT_TIMEOUT_ENV) else {
        return Ok(None);
    };
    match text.trim().parse::<u64>() {
        Ok(seconds) => Ok(Some(seconds)),
        Err(_) => Err(format!(
            "{CONNECT_TIMEOUT_ENV}=`{text}` (from {from}) is not a number of seconds: set it \
             to a whole number such as 10, or remove it"
        )),
    }
}

/// The connect timeout, in seconds, when neither flag, variable nor URL sets one.
const DEFAULT_CONNECT_TIMEOUT: u64 = 10;

/// What the migrator refuses by default.
#[derive(Debug, Args)]
pub(crate) struct Allow {
    /// Go on when an applied migration's up.sql was edited since.
    #[arg(long)]
    pub(crate) allow_modified: bool,
    /// Go on when an applied migration is missing from the migrations directory.
    #[arg(long)]
    pub(crate) allow_missing: bool,
    /// Apply a pending migration older than the latest applied one.
    #[arg(long)]
    pub(crate) allow_out_of_order: bool,
    /// Go on when the database has migrations newer than the directory's latest.
    #[arg(long)]
    pub(crate) allow_newer_database: bool,
}

/// The database commands.
#[derive(Debug, Subcommand)]
pub(crate) enum DbCommand {
    /// Apply every pending migration (or up to `--to`).
    Up {
        #[command(flatten)]
        target: Target,
        #[command(flatten)]
        allow: Allow,
        /// Stop after this version.
        #[arg(long)]
        to: Option<u64>,
        /// On an empty database with no migration recorded, create the schema
        /// all the migrations leave with one script and record them all, in one
        /// transaction that commits only if the database then holds what the
        /// migrations build (else they run one by one). Only for histories of
        /// schema changes alone (no data statements, no `no-transaction`).
        #[arg(long)]
        fresh_database: bool,
    },
    /// Revert the latest applied migration (or `--steps N`, or down to `--to`).
    Down {
        #[command(flatten)]
        target: Target,
        #[command(flatten)]
        allow: Allow,
        /// How many migrations to revert.
        #[arg(long, conflicts_with = "to")]
        steps: Option<usize>,
        /// Revert every migration after this version (0: all).
        #[arg(long)]
        to: Option<u64>,
    },
    /// Revert the latest applied migration and apply it again.
    Redo {
        #[command(flatten)]
        target: Target,
        #[command(flatten)]
        allow: Allow,
    },
    /// List every migration: applied, pending, modified, missing, out of order,
    /// newer than the directory, interrupted.
    Status {
        #[command(flatten)]
        target: Target,
    },
    /// Record the database as migrated up to VERSION (0: none), after checking
    /// that its live schema is the migrated schema at VERSION; or, with
    /// `--from-tool TOOL`, take it over from another migration tool.
    Stamp {
        #[command(flatten)]
        target: Target,
        /// The version.
        #[arg(required_unless_present = "from_tool", conflicts_with = "from_tool")]
        version: Option<u64>,
        /// Take the database over from TOOL: read TOOL's version table, match
        /// each applied version with the migration `schema import --from TOOL`
        /// wrote for it (its `-- imported from` header), and stamp at the last
        /// one, after the same check. TOOL's table is left in place.
        #[arg(long, value_name = "TOOL")]
        from_tool: Option<takeover::Tool>,
        /// Stamp without the check (the differences are printed, not refused).
        #[arg(long)]
        force: bool,
    },
    /// Compare the live schema with the declared one and list every difference.
    ///
    /// Exit codes: 0 the database is the declared schema; 3 drift (the live
    /// schema differs from the migrated schema at its version, an index is
    /// INVALID, or an applied migration was edited, is missing or was
    /// interrupted); 4 no drift, but migrations are pending (run `schema up`);
    /// 1 an error.
    Verify {
        #[command(flatten)]
        target: Target,
    },
    /// Settle an interrupted `no-transaction` migration after finishing or
    /// undoing it by hand.
    Resolve {
        #[command(flatten)]
        target: Target,
        /// The interrupted migration's version.
        version: u64,
        /// The interrupted script's statements all ran (finished by hand): an
        /// interrupted up is recorded as applied, an interrupted down as reverted.
        #[arg(
            long,
            conflicts_with = "rolled_back",
            required_unless_present = "rolled_back"
        )]
        applied: bool,
        /// The interrupted script's statements were undone by hand: an interrupted
        /// up is forgotten, an interrupted down is recorded as applied again.
        #[arg(long)]
        rolled_back: bool,
    },
}

/// Exit code of `verify` when the database differs from the declared schema.
pub(crate) const DRIFT: u8 = 3;

/// Exit code of `verify` when the database is consistent, with migrations pending.
pub(crate) const PENDING: u8 = 4;

/// Runs a database command.
pub(crate) fn run(command: DbCommand, color: bool) -> ExitCode {
    match execute(command, color) {
        Ok(code) => code,
        Err(message) => {
            reportln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

fn options(target: &Target, allow: Option<&Allow>) -> Options {
    let mut o = Options {
        lock_timeout: Duration::from_secs(target.lock_timeout),
        ..Options::default()
    };
    if let Some(a) = allow {
        o.allow_modified = a.allow_modified;
        o.allow_missing = a.allow_missing;
        o.allow_out_of_order = a.allow_out_of_order;
        o.allow_newer_database = a.allow_newer_database;
    }
    o
}

fn progress(step: &Step) {
    let what = match step.direction {
        Direction::Up => "applying",
        Direction::Down => "reverting",
    };
    let mut out = std::io::stdout().lock();
    let _ = match step.duration {
        None => write!(out, "{what} {}_{} ... ", step.version, step.name),
        Some(d) => writeln!(out, "ok ({:.1} ms)", d.as_secs_f64() * 1000.0),
    };
    let _ = out.flush();
}

fn execute(command: DbCommand, color: bool) -> Result<ExitCode, String> {
    let started = Instant::now();
    match command {
        DbCommand::Up {
            target,
            allow,
            to,
            fresh_database,
        } => {
            let (migrations, fresh, mut db) = open(&target, color, Create::Yes)?;
            takeover::refuse_untaken(&mut *db, target.url(), target.connect_timeout())?;
            let mut options = options(&target, Some(&allow));
            options.fresh_database = fresh_database;
            let migrator = Migrator::from_slice(migrations)
                .with_fresh(fresh)
                .options(options)
                .on_progress(&progress);
            let report = migrator.up_to(&mut *db, to).map_err(failed)?;
            if report.fresh {
                println!(
                    "created the schema of all {} migrations at once (--fresh-database)",
                    report.steps.len()
                );
            }
            let status = migrator.status(&mut *db).map_err(failed)?;
            summary("applied", report.steps.len(), started, &status);
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::Down {
            target,
            allow,
            steps,
            to,
        } => {
            let (migrations, _, mut db) = open(&target, color, Create::No)?;
            takeover::refuse_untaken(&mut *db, target.url(), target.connect_timeout())?;
            let migrator = Migrator::from_slice(migrations)
                .options(options(&target, Some(&allow)))
                .on_progress(&progress);
            let how = match (steps, to) {
                (_, Some(v)) => DownTo::Version(v),
                (n, None) => DownTo::Steps(n.unwrap_or(1)),
            };
            let report = migrator.down(&mut *db, how).map_err(failed)?;
            let status = migrator.status(&mut *db).map_err(failed)?;
            summary("reverted", report.steps.len(), started, &status);
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::Redo { target, allow } => {
            let (migrations, _, mut db) = open(&target, color, Create::No)?;
            takeover::refuse_untaken(&mut *db, target.url(), target.connect_timeout())?;
            let migrator = Migrator::from_slice(migrations)
                .options(options(&target, Some(&allow)))
                .on_progress(&progress);
            migrator.redo(&mut *db).map_err(failed)?;
            let status = migrator.status(&mut *db).map_err(failed)?;
            summary("redid", 1, started, &status);
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::Status { target } => {
            let (migrations, _, mut db) = open(&target, color, Create::No)?;
            let migrator = Migrator::from_slice(migrations);
            let status = migrator.status(&mut *db).map_err(failed)?;
            outln!("{status}");
            for e in status.problems() {
                if let schema_runtime::State::Interrupted(state) = e.state {
                    let why = MigrateError::Interrupted {
                        version: e.version,
                        name: e.name.clone(),
                        state,
                    };
                    outln!("\n{why}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::Stamp {
            target,
            version,
            from_tool: Some(tool),
            force,
        } => {
            let _ = version; // clap refuses a version with --from-tool
            let (migrations, _, mut db) = open(&target, color, Create::No)?;
            let migrator = Migrator::from_slice(migrations).options(options(&target, None));
            let taken = takeover::stamp(&migrator, migrations, &mut *db, &target, tool, force)?;
            warn_forced(taken.version, &taken.report);
            outln!("{}", taken.describe());
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::Stamp {
            target,
            version,
            from_tool: None,
            force,
        } => {
            let version = version.unwrap_or_default();
            let (migrations, _, mut db) = open(&target, color, Create::Yes)?;
            let migrator = Migrator::from_slice(migrations).options(options(&target, None));
            let report = migrator.stamp(&mut *db, version, force).map_err(failed)?;
            warn_forced(version, &report);
            outln!(
                "stamped version {version}: {} recorded, {} removed",
                report.recorded.len(),
                report.removed.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::Verify { target } => {
            let (migrations, _, mut db) = open(&target, color, Create::No)?;
            let migrator = Migrator::from_slice(migrations);
            let report = migrator.verify(&mut *db).map_err(failed)?;
            if report.is_clean() {
                outln!("{report}");
                Ok(ExitCode::SUCCESS)
            } else {
                report!("{report}");
                Ok(ExitCode::from(if report.has_drift() {
                    DRIFT
                } else {
                    PENDING
                }))
            }
        }
        DbCommand::Resolve {
            target,
            version,
            applied,
            rolled_back: _,
        } => {
            let (migrations, _, mut db) = open(&target, color, Create::No)?;
            let migrator = Migrator::from_slice(migrations).options(options(&target, None));
            let resolution = if applied {
                Resolution::Applied
            } else {
                Resolution::RolledBack
            };
            migrator
                .resolve(&mut *db, version, resolution)
                .map_err(failed)?;
            outln!(
                "resolved {version} ({}); `schema status` shows where it stands",
                if applied {
                    "its statements ran"
                } else {
                    "its statements were undone"
                }
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The differences `--force` stamped over, as a warning.
fn warn_forced(version: u64, report: &schema_runtime::migrator::StampReport) {
    if !report.skipped_differences.is_empty() {
        reportln!(
            "warning: --force: stamped without the check; the live schema differs from \
             the migrated schema at {version} in {} place(s):",
            report.skipped_differences.len()
        );
        for d in &report.skipped_differences {
            reportln!("  - {d}");
        }
    }
}

fn failed(e: MigrateError) -> String {
    e.to_string()
}

fn summary(verb: &str, n: usize, started: Instant, status: &schema_runtime::Status) {
    let at = status.applied_version().map_or_else(
        || "at no migration (none applied)".to_string(),
        |v| format!("at version {v}"),
    );
    let pending = status.pending().count();
    if n == 0 && verb == "applied" {
        outln!("nothing to do: the database is {at}");
    } else {
        outln!(
            "{verb} {n} migration{} in {:.2} s; the database is {at}{}",
            if n == 1 { "" } else { "s" },
            started.elapsed().as_secs_f64(),
            if pending > 0 {
                format!(", {pending} pending")
            } else {
                String::new()
            }
        );
    }
}

/// Whether a command may create a missing SQLite file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Create {
    /// `up`, `stamp`: a new database is where they start.
    Yes,
    /// Every other command: a missing file is a mistyped path.
    No,
}

/// The migrations directory as the build embeds it, and the database.
/// The project's migrations, the scripts that create what they leave at
/// once, and the database.
type Opened = (&'static [Migration], Fresh, Box<dyn Driver>);

fn open(target: &Target, color: bool, create: Create) -> Result<Opened, String> {
    let (migrations, fresh) = embedded(target, color)?;
    let options = ConnectOptions {
        connect_timeout: target.connect_timeout(),
        create_missing: create == Create::Yes,
        postgres_driver: postgres_driver()?,
    };
    let db = connect_with(target.url(), &options).map_err(|e| e.to_string())?;
    // Other tools' version tables are not part of the schema (see takeover).
    Ok((
        migrations,
        fresh,
        Box::new(takeover::HideToolTables::new(db)),
    ))
}

/// The environment variable that picks the PostgreSQL driver: `postgres`
/// (blocking, the default), `tokio-postgres` or `sqlx-postgres` (the async
/// drivers, which behave the same; the migrator's process tests run the CLI
/// on all three). `sqlx-postgres` needs schema-runtime's feature of that
/// name, which the installed binary leaves out and its tests turn on.
pub(crate) const PG_DRIVER_ENV: &str = "SCHEMA_PG_DRIVER";

/// The PostgreSQL driver [`PG_DRIVER_ENV`] names.
fn postgres_driver() -> Result<PostgresDriverKind, String> {
    match std::env::var(PG_DRIVER_ENV) {
        Err(_) => Ok(PostgresDriverKind::Blocking),
        Ok(name) => PostgresDriverKind::parse(&name).map_err(|e| format!("{PG_DRIVER_ENV}: {e}")),
    }
}

/// Opens `url` to read it (`diff`): a missing SQLite file is an error; the
/// connect timeout is `SCHEMA_CONNECT_TIMEOUT`'s (from the environment, else
/// from `.env`; default 10 s) unless the URL sets one.
pub(crate) fn connect_to_read(url: &str) -> Result<Box<dyn Driver>, String> {
    let seconds = connect_timeout_from_env()?.unwrap_or(DEFAULT_CONNECT_TIMEOUT);
    let options = ConnectOptions {
        connect_timeout: Duration::from_secs(seconds),
        postgres_driver: postgres_driver()?,
        ..ConnectOptions::read_only()
    };
    connect_with(url, &options).map_err(|e| e.to_string())
}

/// Checks the project, then renders its migrations as `schema!()` embeds them.
fn embedded(target: &Target, color: bool) -> Result<(&'static [Migration], Fresh), String> {
    let root = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let project = Project::new(root)
        .with_schema(target.schema.clone())
        .with_migrations(target.migrations.clone());
    let loaded = load(&project);
    if !loaded.history_ok {
        let errors: Vec<Diagnostic> = loaded
            .diagnostics
            .into_iter()
            .filter(|d| d.is_error() && d.code.name != "drift")
            .collect();
        report!("{}", render_all(&errors, color));
        return Err(format!(
            "the migrations in {} do not check out: fix them before running them",
            project.display(&project.migrations_path())
        ));
    }
    if !loaded.declared_ok || loaded.diagnostics.iter().any(|d| d.is_error()) {
        reportln!(
            "warning: {} does not match the migrations (`schema check` says how); \
             the migrations run as they are",
            project.display(&project.schema_path())
        );
    }
    Ok(to_static(&loaded.replay))
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// The replayed history as `'static` migrations (the process ends after one
/// command), and the scripts that create what they leave at once.
fn to_static(replay: &Replay) -> (&'static [Migration], Fresh) {
    let script = |sql: DialectSql| Script {
        up: leak(sql.up),
        down: leak(sql.down),
    };
    let embedded: Vec<dialects::Embedded> =
        replay.migrations.iter().map(dialects::embedded).collect();
    let fresh = dialects::fresh(replay, &embedded);
    let fresh = Fresh {
        postgres: fresh.postgres.map(leak),
        sqlite: fresh.sqlite.map(leak),
    };
    let list: Vec<Migration> = embedded
        .into_iter()
        .map(|e| Migration {
            version: e.version,
            name: leak(e.name),
            checksum: leak(e.checksum),
            no_transaction: e.no_transaction,
            postgres: script(e.postgres),
            sqlite: e.sqlite.map(script).map_err(leak),
        })
        .collect();
    (Box::leak(list.into_boxed_slice()), fresh)
}
