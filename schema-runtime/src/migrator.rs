//! The migrator: applies, reverts, stamps and verifies embedded migrations on a
//! database through a [`Driver`], one migrator at a time.
//!
//! # What it records
//! The version table `_schema_migrations` holds one row per applied migration:
//! version, name, checksum of its up.sql, when it was applied, how long it
//! took, its down SQL in the database's dialect (so that an older binary can
//! still revert a migration it does not know), whether it ran outside a
//! transaction, and its state.
//!
//! # Safety
//! - Every operation that writes takes the driver's migrator lock first
//!   (PostgreSQL: an advisory lock polled on its own connection; SQLite:
//!   `BEGIN IMMEDIATE` and a lock row) and releases it after, whatever happened.
//! - A migration and its row commit in one transaction. Inside it the migrator
//!   checks that no other process recorded the version meanwhile.
//! - A migration marked `-- schema: no-transaction` (for `CREATE INDEX
//!   CONCURRENTLY` and the like) runs statement by statement, between an
//!   `applying` row written before and its `applied` state written after. A
//!   process that dies in between leaves the `applying` row: [`Migrator::status`]
//!   names the migration as interrupted and every later `up` or `down` refuses
//!   until it is resolved ([`Migrator::resolve`], `schema resolve`).
//! - Before applying anything, `up` compares the database's rows with the
//!   embedded migrations and refuses, naming version, file and both checksums,
//!   when an applied migration was edited ([`Options::allow_modified`]), when an
//!   applied one is missing from the binary ([`Options::allow_missing`]), when a
//!   pending one is older than the latest applied ([`Options::allow_out_of_order`]),
//!   or when the database has migrations newer than the binary's latest
//!   ([`Options::allow_newer_database`]). Checksums are taken after removing a BOM
//!   and reading CRLF as LF, so a Windows checkout of the same files matches.
//! - `down` reverts with the binary's down SQL when it knows the migration, else
//!   with the down SQL recorded when it was applied.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::time::{Duration, Instant};

use schema_core::Schema;

use crate::driver::asynchronous::{AsyncDriver, Blocking, Db, Nonblocking};
use crate::driver::{Driver, DriverError, RowChange, RowState, ScriptError, VersionRow};
use crate::history;
use crate::introspect::IntrospectError;
use crate::migration::{Dialect, Fresh, Migration, Migrations};
use crate::session::{NOT_READY, ready};

/// What the migrator may allow that it refuses by default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Apply even though an applied migration's up.sql changed since.
    pub allow_modified: bool,
    /// Apply even though an applied migration is not in the binary.
    pub allow_missing: bool,
    /// Apply a pending migration older than the latest applied one.
    pub allow_out_of_order: bool,
    /// Go on although the database has migrations newer than the binary's latest.
    pub allow_newer_database: bool,
    /// How long to wait for another migrator's lock, and, inside a
    /// migration, for each lock on a table another session holds
    /// ([`Driver::set_lock_timeout`]).
    pub lock_timeout: Duration,
    /// On an empty database with no migration recorded, create the schema the
    /// whole history leaves with one script ([`crate::Fresh`], built with the
    /// migrations) and record every migration, in one transaction, instead of
    /// running each migration. Before the transaction commits, the database
    /// is compared with the schema the migrations build, as `verify` does; on
    /// any difference it is rolled back and the migrations run one by one.
    /// Off by default: see `docs/performance.md` ("A fresh database").
    pub fresh_database: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            allow_modified: false,
            allow_missing: false,
            allow_out_of_order: false,
            allow_newer_database: false,
            lock_timeout: Duration::from_secs(300),
            fresh_database: false,
        }
    }
}

/// Up or down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Applying.
    Up,
    /// Reverting.
    Down,
}

/// One migration the migrator starts or finishes, for a progress line.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Applying or reverting.
    pub direction: Direction,
    /// The migration's version.
    pub version: u64,
    /// Its name.
    pub name: String,
    /// `None` when starting; how long it took when finished.
    pub duration: Option<Duration>,
}

impl Step {
    /// `m` starting to apply.
    fn starting_up(m: &Migration) -> Step {
        Step {
            direction: Direction::Up,
            version: m.version,
            name: m.name.to_string(),
            duration: None,
        }
    }
}

/// Where one migration stands, binary against database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// Applied, with the same checksum.
    Applied,
    /// In the binary, not applied.
    Pending,
    /// In the binary, not applied, and older than the latest applied one.
    OutOfOrder,
    /// Applied, but its up.sql changed since: the recorded checksum differs.
    Modified {
        /// The checksum recorded when it was applied.
        applied: String,
    },
    /// Applied, not in the binary, older than the binary's latest.
    Missing,
    /// Applied, newer than every migration of the binary.
    Newer,
    /// A `no-transaction` migration that started and did not finish.
    Interrupted(RowState),
}

impl State {
    /// A word for the state.
    pub const fn as_str(&self) -> &'static str {
        match self {
            State::Applied => "applied",
            State::Pending => "pending",
            State::OutOfOrder => "out of order",
            State::Modified { .. } => "modified",
            State::Missing => "missing from the binary",
            State::Newer => "newer than the binary",
            State::Interrupted(RowState::Reverting) => "interrupted while reverting",
            State::Interrupted(_) => "interrupted",
        }
    }
}

/// One line of [`Status`].
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The version.
    pub version: u64,
    /// The name.
    pub name: String,
    /// Where it stands.
    pub state: State,
    /// When it was applied (UTC), when it was.
    pub applied_at: Option<String>,
    /// How long it took, when it was applied.
    pub duration_ms: Option<f64>,
}

/// Every migration of the binary and the database, in version order.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    /// One entry per version.
    pub entries: Vec<Entry>,
}

impl Status {
    /// Entries in `state`-matching states.
    fn with(&self, pick: impl Fn(&State) -> bool) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(move |e| pick(&e.state))
    }

    /// Migrations the binary has and the database has not applied.
    pub fn pending(&self) -> impl Iterator<Item = &Entry> {
        self.with(|s| matches!(s, State::Pending | State::OutOfOrder))
    }

    /// Entries that are neither applied nor pending.
    pub fn problems(&self) -> impl Iterator<Item = &Entry> {
        self.with(|s| !matches!(s, State::Applied | State::Pending))
    }

    /// True when every migration is applied and nothing is wrong.
    pub fn is_up_to_date(&self) -> bool {
        self.entries.iter().all(|e| e.state == State::Applied)
    }

    /// The latest applied version.
    pub fn applied_version(&self) -> Option<u64> {
        self.entries
            .iter()
            .filter(|e| e.applied_at.is_some())
            .map(|e| e.version)
            .max()
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.entries {
            write!(f, "{:>14}  {:<40}  {}", e.version, e.name, e.state.as_str())?;
            if let Some(at) = &e.applied_at {
                write!(f, " {at}")?;
            }
            if let State::Modified { applied } = &e.state {
                write!(f, " (recorded checksum {applied})")?;
            }
            writeln!(f)?;
        }
        let applied = self.with(|s| *s == State::Applied).count();
        let pending = self.pending().count();
        let problems = self.problems().count() - self.with(|s| *s == State::OutOfOrder).count();
        write!(f, "{applied} applied, {pending} pending")?;
        if problems > 0 {
            write!(f, ", {problems} to look at")?;
        }
        Ok(())
    }
}

/// What `up`, `down` or `redo` did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// The migrations applied or reverted, in order, each finished step.
    pub steps: Vec<Step>,
    /// The migrations were applied at once, by the schema they leave
    /// ([`Options::fresh_database`]): each step's duration is then the whole.
    pub fresh: bool,
}

/// What `stamp` did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StampReport {
    /// Versions recorded as applied.
    pub recorded: Vec<u64>,
    /// Versions whose rows were removed (above the stamped version).
    pub removed: Vec<u64>,
    /// Differences between the live schema and the migrated schema at the
    /// version, which `force` skipped over (empty without `force`).
    pub skipped_differences: Vec<String>,
}

/// What `verify` found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VerifyReport {
    /// The latest applied version the live schema was compared at.
    pub version: Option<u64>,
    /// Each difference between the live schema and the migrated schema at
    /// `version`: the change that would turn the live schema into it.
    pub differences: Vec<String>,
    /// Migrations of the binary the database has not applied.
    pub pending: Vec<(u64, String)>,
    /// Other problems of the version table (modified, missing, interrupted, ...).
    pub problems: Vec<String>,
}

impl VerifyReport {
    /// True when the live schema is exactly the declared one.
    pub fn is_clean(&self) -> bool {
        !self.has_drift() && self.pending.is_empty()
    }

    /// True when the database differs from what its version table says it
    /// is: the live schema differs from the migrated schema at its version
    /// (or holds unusable objects), or the version table disagrees with the
    /// binary (modified, missing, interrupted migrations). Pending migrations
    /// alone are not drift.
    pub fn has_drift(&self) -> bool {
        !self.differences.is_empty() || !self.problems.is_empty()
    }

    /// True when the database is consistent but behind: migrations are
    /// pending and nothing else is wrong.
    pub fn is_behind(&self) -> bool {
        !self.has_drift() && !self.pending.is_empty()
    }
}

impl fmt::Display for VerifyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.version.map_or_else(
            || "an empty database".to_string(),
            |v| format!("version {v}"),
        );
        if self.is_clean() {
            return write!(f, "ok: the live schema is the declared schema ({at})");
        }
        if self.differences.is_empty() {
            writeln!(f, "the live schema matches the migrated schema at {at}")?;
        } else {
            writeln!(
                f,
                "the live schema differs from the migrated schema at {at} in {} place{}; \
                 to make it match:",
                self.differences.len(),
                if self.differences.len() == 1 { "" } else { "s" }
            )?;
            for d in &self.differences {
                writeln!(f, "  - {d}")?;
            }
        }
        if !self.pending.is_empty() {
            writeln!(
                f,
                "{} migration{} of the binary {} not applied (run `schema up`):",
                self.pending.len(),
                if self.pending.len() == 1 { "" } else { "s" },
                if self.pending.len() == 1 { "is" } else { "are" }
            )?;
            for (v, name) in &self.pending {
                writeln!(f, "  - {v} {name}")?;
            }
        }
        for p in &self.problems {
            writeln!(f, "{p}")?;
        }
        Ok(())
    }
}

/// How far `down` goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DownTo {
    /// Revert this many applied migrations, latest first.
    Steps(usize),
    /// Revert every applied migration newer than this version (0: all).
    Version(u64),
}

/// How an interrupted `no-transaction` migration was settled by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// The interrupted script's statements all ran (finished by hand): an
    /// interrupted up is recorded as applied, an interrupted down as reverted
    /// (its row is removed).
    Applied,
    /// The interrupted script's statements were undone by hand: an interrupted
    /// up is forgotten (its row is removed), an interrupted down is recorded
    /// as applied again.
    RolledBack,
}

/// Everything the migrator can refuse or fail with.
#[derive(Debug)]
#[non_exhaustive]
pub enum MigrateError {
    /// The database failed.
    Driver(DriverError),
    /// An applied migration's up.sql changed since it was applied.
    Modified {
        /// Its version.
        version: u64,
        /// Its name.
        name: String,
        /// The checksum recorded when it was applied.
        applied: String,
        /// The embedded checksum.
        embedded: String,
    },
    /// Applied migrations the binary does not have.
    Missing(Vec<(u64, String)>),
    /// Applied migrations newer than the binary's latest.
    Newer {
        /// The database's migrations the binary does not know.
        versions: Vec<(u64, String)>,
        /// The binary's latest version.
        binary_latest: Option<u64>,
    },
    /// A pending migration older than the latest applied one.
    OutOfOrder {
        /// Its version.
        version: u64,
        /// Its name.
        name: String,
        /// The latest applied version.
        latest: u64,
    },
    /// A `no-transaction` migration started and did not finish.
    Interrupted {
        /// Its version.
        version: u64,
        /// Its name.
        name: String,
        /// Applying or reverting.
        state: RowState,
    },
    /// A migration failed (rolled back when it ran in a transaction).
    Failed {
        /// Applying or reverting.
        direction: Direction,
        /// Its version.
        version: u64,
        /// Its name.
        name: String,
        /// True when it ran outside a transaction (partly applied).
        no_transaction: bool,
        /// The failing statement.
        error: ScriptError,
    },
    /// A migration that cannot run on this database.
    Unsupported {
        /// Its version.
        version: u64,
        /// Its name.
        name: String,
        /// The database's dialect.
        dialect: Dialect,
        /// Why.
        reason: &'static str,
    },
    /// A version that is neither in the binary nor in the database.
    UnknownVersion(u64),
    /// `redo` with nothing applied, or with a latest migration the binary lacks.
    NothingToRedo(String),
    /// `stamp` found the live schema different from the migrated schema.
    StampRefused {
        /// The version.
        version: u64,
        /// Each difference.
        differences: Vec<String>,
    },
    /// The embedded migrations do not replay (cannot happen for a build that passed).
    History(Vec<String>),
    /// The live schema could not be read.
    Introspect(IntrospectError),
}

impl From<DriverError> for MigrateError {
    fn from(e: DriverError) -> Self {
        MigrateError::Driver(e)
    }
}

impl From<IntrospectError> for MigrateError {
    fn from(e: IntrospectError) -> Self {
        MigrateError::Introspect(e)
    }
}

fn list(versions: &[(u64, String)]) -> String {
    versions
        .iter()
        .map(|(v, n)| format!("{v}_{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for MigrateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MigrateError::Driver(e) => write!(f, "{e}"),
            MigrateError::Modified {
                version,
                name,
                applied,
                embedded,
            } => write!(
                f,
                "migration {version} was edited after it was applied: \
                 migrations/{version}_{name}/up.sql has checksum {embedded}, \
                 the database recorded {applied}\n\
                 help: put the file back as it was and add a new migration for the change; \
                 to go on anyway, pass --allow-modified (Options::allow_modified)"
            ),
            MigrateError::Missing(versions) => write!(
                f,
                "the database has applied migration{} the binary does not have: {}\n\
                 help: build from a checkout that has them (a merge may have dropped them); \
                 to go on anyway, pass --allow-missing (Options::allow_missing)",
                if versions.len() == 1 { "" } else { "s" },
                list(versions)
            ),
            MigrateError::Newer {
                versions,
                binary_latest,
            } => write!(
                f,
                "the database is newer than this binary: it has applied {} after the binary's \
                 latest ({})\n\
                 help: run a newer build; `schema down` can revert them with the down SQL \
                 the database recorded; to go on anyway, pass --allow-newer-database \
                 (Options::allow_newer_database)",
                list(versions),
                binary_latest.map_or_else(|| "none".to_string(), |v| v.to_string())
            ),
            MigrateError::OutOfOrder {
                version,
                name,
                latest,
            } => write!(
                f,
                "migration {version} ({name}) is pending but older than the latest applied \
                 migration {latest} (a branch merged late?)\n\
                 help: give it a version after {latest} (rename its directory, then `schema sum`), \
                 or apply it out of order with --allow-out-of-order (Options::allow_out_of_order)"
            ),
            MigrateError::Interrupted {
                version,
                name,
                state,
            } => write!(
                f,
                "migration {version} ({name}) runs outside a transaction and was interrupted \
                 while {}: some of its statements may have run\n\
                 help: look at the database and finish or undo its statements by hand \
                 (migrations/{version}_{name}/{}.sql), then record what you did with \
                 `schema resolve {version} --applied` or `schema resolve {version} --rolled-back`",
                if *state == RowState::Reverting {
                    "reverting"
                } else {
                    "applying"
                },
                if *state == RowState::Reverting {
                    "down"
                } else {
                    "up"
                }
            ),
            MigrateError::Failed {
                direction,
                version,
                name,
                no_transaction,
                error,
            } => {
                let what = match direction {
                    Direction::Up => "applying",
                    Direction::Down => "reverting",
                };
                write!(f, "{what} migration {version} ({name}) failed: {error}")?;
                if *no_transaction {
                    write!(
                        f,
                        "\nnote: it runs outside a transaction: the {} statement(s) before the \
                         failing one stay applied, and it is recorded as interrupted\n\
                         help: finish or undo it by hand, then `schema resolve {version} \
                         --applied` or `--rolled-back`",
                        error.statement - 1
                    )
                } else {
                    write!(f, "\nnote: it was rolled back: nothing of it is left")
                }
            }
            MigrateError::Unsupported {
                version,
                name,
                dialect,
                reason,
            } => write!(
                f,
                "migration {version} ({name}) cannot run on {dialect:?}: {reason}"
            ),
            MigrateError::UnknownVersion(v) => write!(
                f,
                "version {v} is neither a migration of this binary nor applied to the database"
            ),
            MigrateError::NothingToRedo(why) => write!(f, "nothing to redo: {why}"),
            MigrateError::StampRefused {
                version,
                differences,
            } => {
                writeln!(
                    f,
                    "refusing to stamp version {version}: the live schema is not the migrated \
                     schema at that version; it differs in {} place{}:",
                    differences.len(),
                    if differences.len() == 1 { "" } else { "s" }
                )?;
                for d in differences {
                    writeln!(f, "  - {d}")?;
                }
                write!(
                    f,
                    "help: make the database match (or stamp the version it does match); \
                     --force stamps without this check"
                )
            }
            MigrateError::History(errors) => {
                writeln!(f, "the embedded migrations do not replay:")?;
                for e in errors {
                    writeln!(f, "{e}")?;
                }
                Ok(())
            }
            MigrateError::Introspect(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for MigrateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            MigrateError::Driver(e) => Some(e),
            MigrateError::Failed { error, .. } => Some(error),
            MigrateError::Introspect(e) => Some(e),
            _ => None,
        }
    }
}

type Result<T> = std::result::Result<T, MigrateError>;

/// Applies, reverts, stamps and verifies a project's embedded migrations.
///
/// ```no_run
/// # use schema_runtime::{Migrations, Migrator, driver::sqlite::SqliteDriver};
/// # static MIGRATIONS: Migrations = Migrations::new(&[]);
/// let mut db = SqliteDriver::open("app.db")?;
/// let report = Migrator::new(&MIGRATIONS).up(&mut db)?;
/// println!("applied {} migrations", report.steps.len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Migrator<'a> {
    migrations: &'a [Migration],
    privileges_ignored: bool,
    fresh: Fresh,
    options: Options,
    progress: Option<&'a (dyn Fn(&Step) + Sync)>,
}

impl fmt::Debug for Migrator<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Migrator")
            .field("migrations", &self.migrations.len())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<'a> Migrator<'a> {
    /// A migrator over `migrations` with the default [`Options`].
    pub fn new(migrations: &'a Migrations) -> Self {
        Migrator {
            privileges_ignored: migrations.privileges_ignored,
            fresh: migrations.fresh,
            ..Self::from_slice(migrations.migrations)
        }
    }

    /// Gives the scripts that create what the migrations leave at once
    /// ([`Options::fresh_database`]); [`Migrator::new`] takes them from the
    /// [`Migrations`].
    #[must_use]
    pub fn with_fresh(mut self, fresh: Fresh) -> Self {
        self.fresh = fresh;
        self
    }

    /// A migrator over a list of migrations in version order.
    pub fn from_slice(migrations: &'a [Migration]) -> Self {
        Migrator {
            migrations,
            privileges_ignored: false,
            fresh: Fresh::default(),
            options: Options::default(),
            progress: None,
        }
    }

    /// Replaces the options.
    pub fn options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// Calls `progress` when a migration starts and when it finishes.
    pub fn on_progress(mut self, progress: &'a (dyn Fn(&Step) + Sync)) -> Self {
        self.progress = Some(progress);
        self
    }

    fn report(&self, step: &Step) {
        if let Some(p) = self.progress {
            p(step);
        }
    }

    fn embedded(&self, version: u64) -> Option<&'a Migration> {
        self.migrations.iter().find(|m| m.version == version)
    }

    /// Takes the migrator lock and puts the version table in place; releases
    /// the lock again when that fails.
    async fn acquire<B: Db>(&self, driver: &mut B) -> Result<()> {
        driver.lock(self.options.lock_timeout).await?;
        let prepared = match driver.set_lock_timeout(self.options.lock_timeout).await {
            Ok(()) => driver.ensure_version_table().await,
            Err(e) => Err(e),
        };
        if let Err(e) = prepared {
            let _ = driver.unlock().await;
            return Err(e.into());
        }
        Ok(())
    }

    /// Releases the lock [`Migrator::acquire`] took, after `result`: its
    /// error wins over the release's.
    async fn release<B: Db, T>(driver: &mut B, result: Result<T>) -> Result<T> {
        let unlocked = driver.unlock().await;
        match (result, unlocked) {
            (Err(e), _) => Err(e),
            (Ok(_), Err(e)) => Err(e.into()),
            (Ok(v), Ok(())) => Ok(v),
        }
    }

    /// Where every migration stands (reads only; takes no lock).
    ///
    /// # Errors
    /// When the database fails.
    pub fn status(&self, driver: &mut dyn Driver) -> Result<Status> {
        block(self.status_on(&mut Blocking(driver)))
    }

    /// [`Migrator::status`] on an async driver.
    ///
    /// # Errors
    /// As [`Migrator::status`].
    pub async fn status_async<D: AsyncDriver>(&self, driver: &mut D) -> Result<Status> {
        self.status_on(&mut Nonblocking(driver)).await
    }

    async fn status_on<B: Db>(&self, driver: &mut B) -> Result<Status> {
        Ok(self.status_of(&driver.read_versions().await?))
    }

    fn status_of(&self, rows: &[VersionRow]) -> Status {
        let binary_latest = self.migrations.iter().map(|m| m.version).max();
        let latest_applied = rows.iter().map(|r| r.version).max();
        let by_version: HashMap<u64, &VersionRow> = rows.iter().map(|r| (r.version, r)).collect();
        let embedded: HashSet<u64> = self.migrations.iter().map(|m| m.version).collect();
        let mut entries = Vec::with_capacity(self.migrations.len() + rows.len());
        for m in self.migrations {
            let row = by_version.get(&m.version).copied();
            let state = match row {
                None if latest_applied.is_some_and(|l| l > m.version) => State::OutOfOrder,
                None => State::Pending,
                Some(r) if r.state != RowState::Applied => State::Interrupted(r.state),
                Some(r) if r.checksum != m.checksum => State::Modified {
                    applied: r.checksum.clone(),
                },
                Some(_) => State::Applied,
            };
            entries.push(Entry {
                version: m.version,
                name: m.name.to_string(),
                state,
                applied_at: row.map(|r| r.applied_at.clone()),
                duration_ms: row.map(|r| r.duration_ms),
            });
        }
        for r in rows {
            if embedded.contains(&r.version) {
                continue;
            }
            let state = if r.state != RowState::Applied {
                State::Interrupted(r.state)
            } else if binary_latest.is_none_or(|b| r.version > b) {
                State::Newer
            } else {
                State::Missing
            };
            entries.push(Entry {
                version: r.version,
                name: r.name.clone(),
                state,
                applied_at: Some(r.applied_at.clone()),
                duration_ms: Some(r.duration_ms),
            });
        }
        entries.sort_by_key(|e| e.version);
        Status { entries }
    }

    /// The first refusal `status` calls for, given what the caller is doing.
    fn refuse(&self, status: &Status, applying: bool) -> Result<()> {
        let o = &self.options;
        for e in &status.entries {
            if let State::Interrupted(state) = e.state {
                return Err(MigrateError::Interrupted {
                    version: e.version,
                    name: e.name.clone(),
                    state,
                });
            }
        }
        for e in &status.entries {
            if let State::Modified { applied } = &e.state {
                if !o.allow_modified {
                    let embedded = self
                        .embedded(e.version)
                        .map(|m| m.checksum.to_string())
                        .unwrap_or_default();
                    return Err(MigrateError::Modified {
                        version: e.version,
                        name: e.name.clone(),
                        applied: applied.clone(),
                        embedded,
                    });
                }
            }
        }
        if !applying {
            return Ok(());
        }
        let of = |state: State| -> Vec<(u64, String)> {
            status
                .entries
                .iter()
                .filter(|e| e.state == state)
                .map(|e| (e.version, e.name.clone()))
                .collect()
        };
        let missing = of(State::Missing);
        if !missing.is_empty() && !o.allow_missing {
            return Err(MigrateError::Missing(missing));
        }
        let newer = of(State::Newer);
        if !newer.is_empty() && !o.allow_newer_database {
            return Err(MigrateError::Newer {
                versions: newer,
                binary_latest: self.migrations.iter().map(|m| m.version).max(),
            });
        }
        if !o.allow_out_of_order {
            if let Some(e) = status.with(|s| *s == State::OutOfOrder).next() {
                return Err(MigrateError::OutOfOrder {
                    version: e.version,
                    name: e.name.clone(),
                    latest: status.applied_version().unwrap_or_default(),
                });
            }
        }
        Ok(())
    }

    /// Applies every pending migration.
    ///
    /// # Errors
    /// A refusal (see the module docs), a failed migration (earlier ones stay
    /// applied), or the database's failure.
    pub fn up(&self, driver: &mut dyn Driver) -> Result<Report> {
        self.up_to(driver, None)
    }

    /// [`Migrator::up`] on an async driver.
    ///
    /// # Errors
    /// As [`Migrator::up`].
    pub async fn up_async<D: AsyncDriver>(&self, driver: &mut D) -> Result<Report> {
        self.up_to_async(driver, None).await
    }

    /// Applies pending migrations up to and including `version` (all of them
    /// with `None`).
    ///
    /// # Errors
    /// As [`Migrator::up`]; and [`MigrateError::UnknownVersion`] when `version`
    /// is not a migration of the binary.
    pub fn up_to(&self, driver: &mut dyn Driver, version: Option<u64>) -> Result<Report> {
        block(self.up_to_on(&mut Blocking(driver), version))
    }

    /// [`Migrator::up_to`] on an async driver.
    ///
    /// # Errors
    /// As [`Migrator::up_to`].
    pub async fn up_to_async<D: AsyncDriver>(
        &self,
        driver: &mut D,
        version: Option<u64>,
    ) -> Result<Report> {
        self.up_to_on(&mut Nonblocking(driver), version).await
    }

    async fn up_to_on<B: Db>(&self, driver: &mut B, version: Option<u64>) -> Result<Report> {
        if let Some(v) = version {
            if self.embedded(v).is_none() {
                return Err(MigrateError::UnknownVersion(v));
            }
        }
        // Nothing to do needs no lock (and no write): an `applied` row is
        // committed with its migration (a `no-transaction` one's row says
        // `applying` until it finished, which `refuse` stops at), so rows that
        // cover every wanted migration, with nothing to refuse, mean the
        // database is up to date. Anything else is decided under the lock.
        let rows = driver.read_versions().await?;
        if !rows.is_empty()
            && self.refuse(&self.status_of(&rows), true).is_ok()
            && self.wanted(&rows, version).next().is_none()
        {
            return Ok(Report::default());
        }
        self.acquire(driver).await?;
        let result = self.up_locked(driver, version).await;
        Self::release(driver, result).await
    }

    /// The binary's migrations up to `version` that `rows` do not record.
    fn wanted<'r>(
        &'r self,
        rows: &[VersionRow],
        version: Option<u64>,
    ) -> impl Iterator<Item = &'a Migration> + 'r {
        let recorded: HashSet<u64> = rows.iter().map(|r| r.version).collect();
        self.migrations
            .iter()
            .filter(move |m| version.is_none_or(|v| m.version <= v))
            .filter(move |m| !recorded.contains(&m.version))
    }

    async fn up_locked<B: Db>(&self, d: &mut B, version: Option<u64>) -> Result<Report> {
        let rows = d.read_versions().await?;
        let status = self.status_of(&rows);
        self.refuse(&status, true)?;
        if let Some(report) = self.fresh_up(d, &rows, version).await? {
            return Ok(report);
        }
        let mut report = Report::default();
        for m in self.wanted(&rows, version) {
            if let Some(step) = self.apply(d, m).await? {
                report.steps.push(step);
            }
        }
        Ok(report)
    }

    /// [`Options::fresh_database`]: on an empty database with no migration
    /// recorded, every migration applied at once by the [`Fresh`] script, in
    /// one transaction that commits only when the database then holds what
    /// the migrations build. `None` when that does not apply (the caller runs
    /// the migrations one by one).
    async fn fresh_up<B: Db>(
        &self,
        d: &mut B,
        rows: &[VersionRow],
        version: Option<u64>,
    ) -> Result<Option<Report>> {
        let dialect = d.dialect();
        let latest = self.migrations.last().map(|m| m.version);
        let Some(script) = self.fresh.script(dialect) else {
            return Ok(None);
        };
        if !self.options.fresh_database
            || !rows.is_empty()
            || latest.is_none()
            || version.is_some_and(|v| Some(v) != latest)
            || !d.transactional_ddl()
        {
            return Ok(None);
        }
        let mut downs = Vec::with_capacity(self.migrations.len());
        for m in self.migrations {
            match m.script(dialect) {
                Ok(s) if !m.no_transaction => downs.push(s.down),
                _ => return Ok(None),
            }
        }
        if !Self::differences(d, &self.expected(d, &[])?)
            .await?
            .is_empty()
        {
            return Ok(None);
        }
        let all: Vec<u64> = self.migrations.iter().map(|m| m.version).collect();
        let expected = self.expected(d, &all)?;
        let started = Instant::now();
        d.begin(script).await?;
        let done = async {
            if d.run_script(script).await.is_err() {
                return Ok(false);
            }
            if !Self::differences(d, &expected).await?.is_empty() {
                return Ok(false);
            }
            let elapsed = millis(started.elapsed());
            for (m, down) in self.migrations.iter().zip(downs) {
                d.write_row(&VersionRow {
                    version: m.version,
                    name: m.name.to_string(),
                    checksum: m.checksum.to_string(),
                    applied_at: String::new(),
                    duration_ms: elapsed,
                    down_sql: down.to_string(),
                    no_transaction: false,
                    state: RowState::Applied,
                })
                .await?;
            }
            Ok::<bool, MigrateError>(true)
        }
        .await;
        match done {
            Ok(true) => d.commit().await?,
            Ok(false) => {
                // Not what the migrations build: nothing of it stays, and the
                // migrations run one by one.
                d.rollback().await?;
                return Ok(None);
            }
            Err(e) => {
                let _ = d.rollback().await;
                return Err(e);
            }
        }
        let elapsed = started.elapsed();
        let mut steps = Vec::with_capacity(self.migrations.len());
        for m in self.migrations {
            let mut step = Step::starting_up(m);
            self.report(&step);
            step.duration = Some(elapsed);
            self.report(&step);
            steps.push(step);
        }
        Ok(Some(Report { steps, fresh: true }))
    }

    /// Applies one migration; `None` when another migrator recorded it first.
    async fn apply<B: Db>(&self, d: &mut B, m: &Migration) -> Result<Option<Step>> {
        let dialect = d.dialect();
        let script = m
            .script(dialect)
            .map_err(|reason| MigrateError::Unsupported {
                version: m.version,
                name: m.name.to_string(),
                dialect,
                reason,
            })?;
        let mut step = Step::starting_up(m);
        self.report(&step);
        let row = VersionRow {
            version: m.version,
            name: m.name.to_string(),
            checksum: m.checksum.to_string(),
            applied_at: String::new(),
            duration_ms: 0.0,
            down_sql: script.down.to_string(),
            no_transaction: m.no_transaction,
            state: RowState::Applied,
        };
        let outside = m.no_transaction || !d.transactional_ddl();
        let Some(elapsed) = run_recorded(d, Direction::Up, &row, script.up, outside).await? else {
            return Ok(None);
        };
        step.duration = Some(elapsed);
        self.report(&step);
        Ok(Some(step))
    }

    /// Reverts applied migrations, latest first.
    ///
    /// # Errors
    /// An interrupted or modified migration, a failed down (earlier reverts
    /// stay done), or the database's failure.
    pub fn down(&self, driver: &mut dyn Driver, to: DownTo) -> Result<Report> {
        block(self.down_on(&mut Blocking(driver), to))
    }

    /// [`Migrator::down`] on an async driver.
    ///
    /// # Errors
    /// As [`Migrator::down`].
    pub async fn down_async<D: AsyncDriver>(&self, driver: &mut D, to: DownTo) -> Result<Report> {
        self.down_on(&mut Nonblocking(driver), to).await
    }

    async fn down_on<B: Db>(&self, driver: &mut B, to: DownTo) -> Result<Report> {
        self.acquire(driver).await?;
        let result = self.down_locked(driver, to).await;
        Self::release(driver, result).await
    }

    async fn down_locked<B: Db>(&self, d: &mut B, to: DownTo) -> Result<Report> {
        let rows = d.read_versions().await?;
        let status = self.status_of(&rows);
        self.refuse(&status, false)?;
        if let DownTo::Version(v) = to {
            if v != 0 && self.embedded(v).is_none() && !rows.iter().any(|r| r.version == v) {
                return Err(MigrateError::UnknownVersion(v));
            }
        }
        let mut applied: Vec<&VersionRow> = rows.iter().collect();
        applied.sort_by_key(|r| std::cmp::Reverse(r.version));
        let chosen: Vec<&VersionRow> = match to {
            DownTo::Steps(n) => applied.into_iter().take(n).collect(),
            DownTo::Version(v) => applied.into_iter().filter(|r| r.version > v).collect(),
        };
        let mut report = Report::default();
        for row in chosen {
            report.steps.push(self.revert(d, row).await?);
        }
        Ok(report)
    }

    async fn revert<B: Db>(&self, d: &mut B, row: &VersionRow) -> Result<Step> {
        let dialect = d.dialect();
        let down = match self.embedded(row.version) {
            Some(m) => m
                .script(dialect)
                .map_err(|reason| MigrateError::Unsupported {
                    version: m.version,
                    name: m.name.to_string(),
                    dialect,
                    reason,
                })?
                .down
                .to_string(),
            None => row.down_sql.clone(),
        };
        let mut step = Step {
            direction: Direction::Down,
            version: row.version,
            name: row.name.clone(),
            duration: None,
        };
        self.report(&step);
        let outside = row.no_transaction || !d.transactional_ddl();
        // A down's step counts the whole revert, commit included.
        let started = Instant::now();
        run_recorded(d, Direction::Down, row, &down, outside).await?;
        step.duration = Some(started.elapsed());
        self.report(&step);
        Ok(step)
    }

    /// Reverts the latest applied migration and applies it again.
    ///
    /// # Errors
    /// [`MigrateError::NothingToRedo`] when nothing is applied or the latest
    /// applied migration is not in the binary; otherwise as `down` and `up`.
    pub fn redo(&self, driver: &mut dyn Driver) -> Result<Report> {
        block(self.redo_on(&mut Blocking(driver)))
    }

    /// [`Migrator::redo`] on an async driver.
    ///
    /// # Errors
    /// As [`Migrator::redo`].
    pub async fn redo_async<D: AsyncDriver>(&self, driver: &mut D) -> Result<Report> {
        self.redo_on(&mut Nonblocking(driver)).await
    }

    async fn redo_on<B: Db>(&self, driver: &mut B) -> Result<Report> {
        self.acquire(driver).await?;
        let result = self.redo_locked(driver).await;
        Self::release(driver, result).await
    }

    async fn redo_locked<B: Db>(&self, d: &mut B) -> Result<Report> {
        {
            let rows = d.read_versions().await?;
            let last = rows
                .iter()
                .max_by_key(|r| r.version)
                .ok_or_else(|| MigrateError::NothingToRedo("no migration is applied".into()))?;
            let m = self.embedded(last.version).ok_or_else(|| {
                MigrateError::NothingToRedo(format!(
                    "the latest applied migration, {} ({}), is not in this binary",
                    last.version, last.name
                ))
            })?;
            let mut report = self.down_locked(d, DownTo::Steps(1)).await?;
            let mut again = self.apply(d, m).await?.into_iter().collect();
            report.steps.append(&mut again);
            Ok(report)
        }
    }

    /// Records an interrupted `no-transaction` migration as applied, or
    /// forgets it, after it was finished or undone by hand.
    ///
    /// # Errors
    /// [`MigrateError::UnknownVersion`] when `version` has no interrupted row;
    /// or the database's failure.
    pub fn resolve(
        &self,
        driver: &mut dyn Driver,
        version: u64,
        resolution: Resolution,
    ) -> Result<()> {
        block(self.resolve_on(&mut Blocking(driver), version, resolution))
    }

    /// [`Migrator::resolve`] on an async driver.
    ///
    /// # Errors
    /// As [`Migrator::resolve`].
    pub async fn resolve_async<D: AsyncDriver>(
        &self,
        driver: &mut D,
        version: u64,
        resolution: Resolution,
    ) -> Result<()> {
        self.resolve_on(&mut Nonblocking(driver), version, resolution)
            .await
    }

    async fn resolve_on<B: Db>(
        &self,
        driver: &mut B,
        version: u64,
        resolution: Resolution,
    ) -> Result<()> {
        self.acquire(driver).await?;
        let result = Self::resolve_locked(driver, version, resolution).await;
        Self::release(driver, result).await
    }

    async fn resolve_locked<B: Db>(d: &mut B, version: u64, resolution: Resolution) -> Result<()> {
        {
            let rows = d.read_versions().await?;
            let row = rows
                .iter()
                .find(|r| r.version == version && r.state != RowState::Applied)
                .ok_or(MigrateError::UnknownVersion(version))?;
            // For an interrupted down, "its statements" are the down's: all
            // run means the migration is reverted, none left means applied.
            match (resolution, row.state) {
                (Resolution::Applied, RowState::Reverting) => d.delete_row(version).await?,
                (Resolution::Applied, _) => d.set_state(version, RowState::Applied, None).await?,
                (Resolution::RolledBack, RowState::Reverting) => {
                    d.set_state(version, RowState::Applied, None).await?
                }
                (Resolution::RolledBack, _) => d.delete_row(version).await?,
            }
            Ok(())
        }
    }

    /// The schema after the binary's migrations up to `version`, as `driver`'s
    /// database keeps it.
    fn expected<B: Db>(&self, driver: &B, versions: &[u64]) -> Result<Schema> {
        let schema = history::schema_after(
            self.migrations
                .iter()
                .filter(|m| versions.contains(&m.version)),
        )
        .map_err(MigrateError::History)?;
        let schema = driver.comparable(&schema);
        Ok(if self.privileges_ignored {
            schema.ignoring_privileges()
        } else {
            schema
        })
    }

    /// How the live schema differs from `expected` (every schema of the
    /// database is read, not only those `expected` uses), then the objects the
    /// database holds in a state it cannot use ([`Driver::unusable`]).
    async fn differences<B: Db>(driver: &mut B, expected: &Schema) -> Result<Vec<String>> {
        let mut schemas = history::namespaces(expected);
        for s in driver.namespaces().await? {
            if !schemas.contains(&s) {
                schemas.push(s);
            }
        }
        let mut live = driver.introspect(&schemas).await?;
        if expected.privileges_ignored {
            live = live.ignoring_privileges();
        }
        let expected = driver.as_stored(expected).await;
        let mut out: Vec<String> = schema_core::diff::compare(&live, &expected)
            .iter()
            .map(ToString::to_string)
            .collect();
        out.extend(driver.unusable(&schemas).await?);
        Ok(out)
    }

    /// Records the database as migrated up to `version` (0: none), after
    /// checking that its live schema is the migrated schema at that version.
    /// Rows of later versions are removed. With `force`, the check's
    /// differences are reported, not refused.
    ///
    /// # Errors
    /// [`MigrateError::StampRefused`] listing every difference;
    /// [`MigrateError::UnknownVersion`]; or the database's failure.
    pub fn stamp(&self, driver: &mut dyn Driver, version: u64, force: bool) -> Result<StampReport> {
        block(self.stamp_on(&mut Blocking(driver), version, force))
    }

    /// [`Migrator::stamp`] on an async driver.
    ///
    /// # Errors
    /// As [`Migrator::stamp`].
    pub async fn stamp_async<D: AsyncDriver>(
        &self,
        driver: &mut D,
        version: u64,
        force: bool,
    ) -> Result<StampReport> {
        self.stamp_on(&mut Nonblocking(driver), version, force)
            .await
    }

    async fn stamp_on<B: Db>(
        &self,
        driver: &mut B,
        version: u64,
        force: bool,
    ) -> Result<StampReport> {
        if version != 0 && self.embedded(version).is_none() {
            return Err(MigrateError::UnknownVersion(version));
        }
        let versions: Vec<u64> = self
            .migrations
            .iter()
            .map(|m| m.version)
            .filter(|v| *v <= version)
            .collect();
        let expected = self.expected(driver, &versions)?;
        self.acquire(driver).await?;
        let result = self.stamp_locked(driver, version, force, &expected).await;
        Self::release(driver, result).await
    }

    async fn stamp_locked<B: Db>(
        &self,
        d: &mut B,
        version: u64,
        force: bool,
        expected: &Schema,
    ) -> Result<StampReport> {
        {
            let differences = Self::differences(d, expected).await?;
            if !differences.is_empty() && !force {
                return Err(MigrateError::StampRefused {
                    version,
                    differences,
                });
            }
            let dialect = d.dialect();
            let rows = d.read_versions().await?;
            let mut report = StampReport {
                skipped_differences: differences,
                ..StampReport::default()
            };
            for m in self.migrations.iter().filter(|m| m.version <= version) {
                let current = rows.iter().find(|r| r.version == m.version);
                if current.is_some_and(|r| r.state == RowState::Applied && r.checksum == m.checksum)
                {
                    continue;
                }
                let down = m.script(dialect).map(|s| s.down).unwrap_or_default();
                d.write_row(&VersionRow {
                    version: m.version,
                    name: m.name.to_string(),
                    checksum: m.checksum.to_string(),
                    applied_at: String::new(),
                    duration_ms: 0.0,
                    down_sql: down.to_string(),
                    no_transaction: m.no_transaction,
                    state: RowState::Applied,
                })
                .await?;
                report.recorded.push(m.version);
            }
            for r in rows.iter().filter(|r| r.version > version) {
                d.delete_row(r.version).await?;
                report.removed.push(r.version);
            }
            Ok(report)
        }
    }

    /// Compares the live schema with the migrated schema at the database's
    /// applied version, and lists pending migrations and version-table
    /// problems: clean only when the database is exactly the declared schema.
    ///
    /// # Errors
    /// When the database or introspection fails.
    pub fn verify(&self, driver: &mut dyn Driver) -> Result<VerifyReport> {
        block(self.verify_on(&mut Blocking(driver)))
    }

    /// [`Migrator::verify`] on an async driver.
    ///
    /// # Errors
    /// As [`Migrator::verify`].
    pub async fn verify_async<D: AsyncDriver>(&self, driver: &mut D) -> Result<VerifyReport> {
        self.verify_on(&mut Nonblocking(driver)).await
    }

    async fn verify_on<B: Db>(&self, driver: &mut B) -> Result<VerifyReport> {
        let rows = driver.read_versions().await?;
        let status = self.status_of(&rows);
        let applied: Vec<u64> = rows
            .iter()
            .filter(|r| r.state == RowState::Applied)
            .map(|r| r.version)
            .collect();
        let expected = self.expected(driver, &applied)?;
        let differences = Self::differences(driver, &expected).await?;
        let mut report = VerifyReport {
            version: status.applied_version(),
            differences,
            ..VerifyReport::default()
        };
        for e in &status.entries {
            match &e.state {
                State::Applied => {}
                State::Pending | State::OutOfOrder => report.pending.push((e.version, e.name.clone())),
                State::Modified { applied } => report.problems.push(format!(
                    "migration {} ({}) was edited after it was applied (recorded checksum {applied})",
                    e.version, e.name
                )),
                State::Missing | State::Newer => report.problems.push(format!(
                    "migration {} ({}) is applied but not in this binary: the comparison leaves it out",
                    e.version, e.name
                )),
                State::Interrupted(_) => report.problems.push(format!(
                    "migration {} ({}) was interrupted: `schema status` says how to recover",
                    e.version, e.name
                )),
            }
        }
        Ok(report)
    }
}

/// Runs one migration's `script` in `direction` and keeps its version `row` in
/// step with it: the one skeleton of both `up` and `down`.
///
/// In a transaction (`outside` false): first all of it in one round trip
/// where the driver can ([`Driver::run_in_one_batch`]); when that did not
/// commit (nothing of it is left then), step by step: `BEGIN`; for an up,
/// gives `None` (and rolls back) when another migrator recorded the version
/// meanwhile; runs the script (which names the failing statement); writes
/// `row` as applied with the script's duration (up) or deletes it (down);
/// commits. Any failure rolls back. Outside a transaction: writes
/// `row` as `applying` (up) or sets it to `reverting` (down), runs the script,
/// then sets it to `applied` with the duration (up) or deletes it (down), so
/// that a process dying in between leaves the row saying so.
///
/// Gives the time from the start to the end of the script (the up's recorded
/// duration; in one batch, to the end of the batch: the driver records the
/// script's time, measured by the database).
///
/// # Errors
/// [`MigrateError::Failed`] when the script fails; the database's failure.
async fn run_recorded<B: Db>(
    d: &mut B,
    direction: Direction,
    row: &VersionRow,
    script: &str,
    outside: bool,
) -> Result<Option<Duration>> {
    let failed = |error: ScriptError| MigrateError::Failed {
        direction,
        version: row.version,
        name: row.name.clone(),
        no_transaction: outside,
        error,
    };
    let started = Instant::now();
    if outside {
        match direction {
            Direction::Up => {
                d.write_row(&VersionRow {
                    state: RowState::Applying,
                    ..row.clone()
                })
                .await?
            }
            Direction::Down => d.set_state(row.version, RowState::Reverting, None).await?,
        }
        d.run_script(script).await.map_err(failed)?;
        let elapsed = started.elapsed();
        match direction {
            Direction::Up => {
                d.set_state(row.version, RowState::Applied, Some(millis(elapsed)))
                    .await?;
            }
            Direction::Down => d.delete_row(row.version).await?,
        }
        return Ok(Some(elapsed));
    }
    let change = match direction {
        Direction::Up => RowChange::Insert(row),
        Direction::Down => RowChange::Delete(row.version),
    };
    if d.run_in_one_batch(change, script).await? {
        return Ok(Some(started.elapsed()));
    }
    let started = Instant::now();
    d.begin(script).await?;
    let done = in_transaction(d, direction, row, script, started)
        .await
        .map_err(|e| match e {
            Err(error) => failed(error),
            Ok(e) => e,
        });
    match done {
        Ok(Some(elapsed)) => {
            d.commit().await?;
            Ok(Some(elapsed))
        }
        Ok(None) => {
            d.rollback().await?;
            Ok(None)
        }
        Err(e) => {
            let _ = d.rollback().await;
            Err(e)
        }
    }
}

/// The part of [`run_recorded`] inside its transaction; a failing script's
/// error comes back as `Err(Err(..))` for the caller to describe.
async fn in_transaction<B: Db>(
    d: &mut B,
    direction: Direction,
    row: &VersionRow,
    script: &str,
    started: Instant,
) -> std::result::Result<Option<Duration>, std::result::Result<MigrateError, ScriptError>> {
    if direction == Direction::Up && d.is_recorded(row.version).await.map_err(|e| Ok(e.into()))? {
        return Ok(None);
    }
    d.run_script(script).await.map_err(Err)?;
    let elapsed = started.elapsed();
    match direction {
        Direction::Up => d
            .write_row(&VersionRow {
                duration_ms: millis(elapsed),
                ..row.clone()
            })
            .await
            .map_err(|e| Ok(e.into()))?,
        Direction::Down => d.delete_row(row.version).await.map_err(|e| Ok(e.into()))?,
    }
    Ok(Some(elapsed))
}

/// Drives a blocking driver's migrator call (see [`ready`]).
fn block<T>(future: impl std::future::Future<Output = Result<T>>) -> Result<T> {
    ready(future).unwrap_or_else(|| {
        Err(MigrateError::Driver(DriverError::message(
            "running the migrator",
            NOT_READY,
        )))
    })
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
