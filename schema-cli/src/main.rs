//! The `schema` command line: `check`, `diff`, `new`, `sum` over the project's
//! files, and `up`, `down`, `redo`, `status`, `stamp`, `verify`, `resolve` on a
//! database (see [`migrate`]).
//!
//! Exit codes: 0 success (and, for `diff --exit-code`, no changes); 1 errors,
//! diagnostics or a refused operation; 2 bad command line (clap) or, for
//! `diff --exit-code`, changes found; 3 `verify` found the database different
//! from the declared schema; 4 `verify` found it consistent, with migrations
//! pending. Output that cannot be written ends the command: quietly, with its
//! own exit code, when the reader went away (`| head`), and with exit 1 and a
//! message for any other failure (a full disk).

/// `eprint!` that never panics: when standard error itself cannot be
/// written there is nowhere left to report it.
macro_rules! report {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

/// `eprintln!` that never panics (see [`report!`]).
macro_rules! reportln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `println!` for progress and reports of the database commands: a reader that
/// went away (`schema status | head -1`) ends the output quietly instead of
/// panicking, and the command still ends with its own exit code.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

mod dotenv;
mod import;
mod init;
mod lock;
mod migrate;
mod takeover;

use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;

use clap::builder::PossibleValue;
use clap::{Parser, Subcommand, ValueEnum};
use schema_core::Dialect;
use schema_core::diagnostic::{Diagnostic, Source, render_all};
use schema_core::diff;
use schema_core::lint::online;
use schema_core::migrations::generate::{GeneratedMigration, generate};
use schema_core::model::Schema;
use schema_core::render::Postgres;
use schema_core::{Project, load, migrations};

/// Make database drift a compile error: check schema.sql against its migrations.
#[derive(Debug, Parser)]
#[command(name = "schema", version, about, after_help = ENVIRONMENT_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where settings come from, as `schema --help` ends.
const ENVIRONMENT_HELP: &str = "\
Environment and .env:
  The database commands take the database from `--database-url` (or `--url`),
  else from DATABASE_URL in the environment, else from DATABASE_URL in a `.env`
  file: the first found in the current directory or its parents. A flag wins
  over the environment, and the environment over `.env` (which never replaces
  a variable that is set). SCHEMA_CONNECT_TIMEOUT is read the same way.
  `.env` holds `KEY=VALUE` lines (`export ` allowed, values bare or in single
  or double quotes, `#` comments); a malformed line is an error naming it.";

/// The core's [`Dialect`] as a `--dialect` value: its [`Dialect::name`], one
/// possible value per dialect of [`Dialect::ALL`].
#[derive(Debug, Clone, Copy)]
struct DialectArg(Dialect);

impl ValueEnum for DialectArg {
    fn value_variants<'a>() -> &'a [Self] {
        static ALL: OnceLock<Vec<DialectArg>> = OnceLock::new();
        ALL.get_or_init(|| Dialect::ALL.iter().copied().map(DialectArg).collect())
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.0.name()))
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse schema.sql and the migrations, replay them, lint, and report drift
    /// with the migration that would fix it.
    Check {
        /// The declarative schema file.
        #[arg(long, default_value = "schema.sql")]
        schema: PathBuf,
        /// The migrations directory.
        #[arg(long, default_value = "migrations")]
        migrations: PathBuf,
        #[command(flatten)]
        online: OnlineArgs,
    },
    /// Print the SQL that turns schema A into schema B. A and B are schema files,
    /// migrations directories (meaning their migrated schema), or database URLs
    /// (`postgres://...`, `sqlite://path`: meaning their live schema).
    Diff {
        /// The schema to start from.
        #[arg(long)]
        from: String,
        /// The schema to arrive at (its `-- schema: renamed from` hints are used).
        #[arg(long)]
        to: String,
        /// The SQL dialect to print.
        #[arg(long, value_enum, default_value = "postgres")]
        dialect: DialectArg,
        /// Exit with 2 when there are changes (0 when none).
        #[arg(long)]
        exit_code: bool,
    },
    /// Write the next migration (up.sql and down.sql) from the difference between
    /// the migrated schema and schema.sql, and update schema.sum.
    New {
        /// A short snake_case description, e.g. `add_user_bio`.
        slug: String,
        /// Write the migration even if it drops tables or columns, or narrows types.
        #[arg(long)]
        allow_destructive: bool,
        /// Write an empty migration to fill by hand (a data migration, or what
        /// `new` cannot write): no difference is computed, schema.sql is not read.
        #[arg(long, conflicts_with = "allow_destructive")]
        empty: bool,
        /// Write the change in forms that do not lock a busy table: indexes
        /// built `CONCURRENTLY` in a `no-transaction` migration, constraints
        /// added `NOT VALID` and validated in a later migration, `SET NOT NULL`
        /// through a validated check, `SET lock_timeout` first.
        #[arg(long, conflicts_with = "empty")]
        online: bool,
        #[command(flatten)]
        lints: OnlineArgs,
        /// The declarative schema file.
        #[arg(long, default_value = "schema.sql")]
        schema: PathBuf,
        /// The migrations directory.
        #[arg(long, default_value = "migrations")]
        migrations: PathBuf,
    },
    /// Start a project from a live database: write schema.sql (every
    /// non-system schema, grouped by table), a baseline migration that creates
    /// it and schema.sum, then stamp the database at the baseline after
    /// checking that its live schema is the baseline's. Overwrites nothing.
    Init {
        /// The database to adopt: `postgres://user@host:port/db` or
        /// `sqlite://path/to/file.db`.
        #[arg(long, value_name = "URL")]
        from_database: String,
        /// The declarative schema file to write.
        #[arg(long, visible_alias = "schema", default_value = "schema.sql")]
        schema_file: PathBuf,
        /// The migrations directory to write (missing or empty).
        #[arg(long, default_value = "migrations")]
        migrations: PathBuf,
    },
    /// Record the checksum of every migration file in `<migrations>/schema.sum`.
    Sum {
        /// The migrations directory.
        #[arg(long, default_value = "migrations")]
        migrations: PathBuf,
    },
    /// Convert another tool's SQL migration history (sqlx, diesel, refinery,
    /// golang-migrate, goose, dbmate, flyway, alembic's offline SQL) into
    /// migrations here, versions and order kept, and write schema.sum.
    Import(import::ImportArgs),
    #[command(flatten)]
    Db(migrate::DbCommand),
}

/// The settings of the online-safety lints (S05xx).
#[derive(Debug, Clone, clap::Args)]
struct OnlineArgs {
    /// How the online-safety lints (S05xx: what locks or rewrites a busy
    /// table) report: `off`, `warn` or `deny` (errors).
    #[arg(long, value_name = "LEVEL", default_value = "warn", value_parser = parse_level)]
    online_lints: online::Level,
    /// The PostgreSQL major version the online lints judge for (some
    /// changes are free on later versions, e.g. a constant default since 11).
    #[arg(long, value_name = "MAJOR", default_value_t = online::DEFAULT_PG, value_parser = parse_pg_version)]
    pg_version: u32,
    /// Also the style lints (`int_primary_key`).
    #[arg(long)]
    style_lints: bool,
    /// Judge only migrations with a version greater than this one (those up
    /// to it already ran in production).
    #[arg(long, value_name = "VERSION")]
    online_after: Option<u64>,
}

impl OnlineArgs {
    fn settings(&self) -> online::Settings {
        online::Settings {
            level: self.online_lints,
            pg_version: self.pg_version,
            style: self.style_lints,
            after: self.online_after,
        }
    }
}

fn parse_level(text: &str) -> Result<online::Level, String> {
    online::Level::parse(text)
}

fn parse_pg_version(text: &str) -> Result<u32, String> {
    online::Settings::parse_pg_version(text)
}

fn project(schema: PathBuf, migrations: PathBuf) -> Project {
    let root = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    Project::new(root)
        .with_schema(schema)
        .with_migrations(migrations)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Every command runs with a stack large enough for the deepest expression
    // the parser accepts (see `schema_core::stack`).
    schema_core::stack::on_big_stack(move || run(cli))
}

fn run(cli: Cli) -> ExitCode {
    let color = std::io::stderr().is_terminal();
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    if let Err(bad) = dotenv::init(&cwd) {
        reportln!("{}", bad.render(color));
        return ExitCode::from(1);
    }
    match cli.command {
        Command::Check {
            schema,
            migrations,
            online,
        } => check(
            &project(schema, migrations).with_online(online.settings()),
            color,
        ),
        Command::Diff {
            from,
            to,
            dialect,
            exit_code,
        } => diff_command(&from, &to, dialect.0, exit_code, color),
        Command::New {
            slug,
            empty: true,
            schema,
            migrations,
            ..
        } => new_empty(&project(schema, migrations), &slug, color),
        Command::New {
            slug,
            allow_destructive,
            empty: false,
            online,
            lints,
            schema,
            migrations,
        } => new(
            &project(schema, migrations).with_online(lints.settings()),
            &slug,
            allow_destructive,
            online,
            color,
        ),
        Command::Sum { migrations } => sum(&project(PathBuf::from("schema.sql"), migrations)),
        Command::Init {
            from_database,
            schema_file,
            migrations,
        } => init::run(&from_database, &project(schema_file, migrations), color),
        Command::Import(args) => import::run(&args, color),
        Command::Db(mut command) => {
            match migrate::complete(db_target(&mut command)) {
                Ok(()) => {}
                Err(migrate::Incomplete::NoUrl) => {
                    reportln!(
                        "error: no database URL\n  = help: pass `--database-url <URL>`, set \
                         DATABASE_URL, or write `DATABASE_URL=<URL>` in a `.env` file (in this \
                         directory or a parent)"
                    );
                    return ExitCode::from(2);
                }
                Err(migrate::Incomplete::Bad(message)) => {
                    reportln!("error: {message}");
                    return ExitCode::from(1);
                }
            }
            let target = db_target(&mut command);
            let project = project(target.schema.clone(), target.migrations.clone());
            if let Some(missing) = migrations_dir_error(&project) {
                report!("{}", render_all(&[missing], color));
                return ExitCode::from(1);
            }
            migrate::run(command, color)
        }
    }
}

/// Where a database command finds its project.
fn db_target(command: &mut migrate::DbCommand) -> &mut migrate::Target {
    use migrate::DbCommand as C;
    match command {
        C::Up { target, .. }
        | C::Down { target, .. }
        | C::Redo { target, .. }
        | C::Status { target }
        | C::Stamp { target, .. }
        | C::Verify { target }
        | C::Resolve { target, .. } => target,
    }
}

/// Writes `text` to standard output and ends with `code`. A reader that went
/// away (`schema diff ... | head -1`) is no error: the command ends quietly
/// with its own code. Any other failure (a full disk) is reported, exit 1.
fn finish(text: &str, code: ExitCode) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => code,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(e) => {
            reportln!("error: cannot write to standard output: {e}");
            ExitCode::from(1)
        }
    }
}

/// The error for a migrations directory that is not there: every command but
/// the first `schema new` needs it, or a mistyped `--migrations` would read as
/// an empty history.
fn migrations_dir_error(project: &Project) -> Option<Diagnostic> {
    let dir = project.migrations_path();
    let shown = project.display(&dir);
    let io = schema_core::diagnostic::codes::IO;
    match std::fs::metadata(&dir) {
        Ok(meta) if meta.is_dir() => None,
        Ok(_) => Some(
            Diagnostic::error(
                io,
                format!("the migrations directory `{shown}` is a file, not a directory"),
            )
            .help(
                "pass the directory that holds the `<version>_<slug>/` migrations with \
                 `--migrations <dir>`",
            ),
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(
            Diagnostic::error(
                io,
                format!("the migrations directory `{shown}` does not exist"),
            )
            .note(format!("looked for `{}`", dir.display()))
            .help(
                "check the path given to `--migrations` (default `migrations`, from the \
                 current directory); in a project without migrations yet, \
                 `schema new <slug>` creates it with the first one",
            ),
        ),
        Err(e) => Some(
            Diagnostic::error(
                io,
                format!("cannot read the migrations directory `{shown}`: {e}"),
            )
            .help(format!("make `{shown}` a readable directory")),
        ),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn check(project: &Project, color: bool) -> ExitCode {
    if let Some(missing) = migrations_dir_error(project) {
        report!("{}", render_all(&[missing], color));
        return ExitCode::from(1);
    }
    let loaded = load(project);
    let failed = loaded.diagnostics.iter().any(Diagnostic::is_error);
    // Only an error (drift) has a fix, and only then are all diagnostics
    // shown: with errors, the warnings are shown too (an online lint's
    // warning next to the error it explains).
    let (fix, all) = if failed {
        (loaded.fixing_migration(), loaded.diagnostics.clone())
    } else {
        (None, Vec::new())
    };
    let migrations_count = loaded.replay.migrations.len();
    let schema_display = project.display(&project.schema_path());
    match loaded.into_result() {
        Ok(analysis) => {
            if !analysis.warnings.is_empty() {
                report!("{}", render_all(&analysis.warnings, color));
            }
            let declared = &analysis.declared;
            let ok = format!(
                "ok: {schema_display} matches {migrations_count} migration{} ({} table{}, {} enum type{})\n",
                plural(migrations_count),
                declared.tables.len(),
                plural(declared.tables.len()),
                declared.enums.len(),
                plural(declared.enums.len()),
            );
            // The process ends here: freeing the models one by one would
            // cost more than a tenth of the check on a large project.
            std::mem::forget(analysis);
            finish(&ok, ExitCode::SUCCESS)
        }
        Err(_) => {
            report!("{}", render_all(&all, color));
            if let Some(fix) = fix {
                reportln!(
                    "\nhelp: this migration would bring the migrations in line with {schema_display} \
                     (`schema new <slug>` writes it, with its down.sql):\n"
                );
                for line in fix.up_sql().lines() {
                    reportln!("    {line}");
                }
            }
            ExitCode::from(1)
        }
    }
}

/// True when `text` is a database URL rather than a path.
fn is_database_url(text: &str) -> bool {
    ["postgres://", "postgresql://", "sqlite:"]
        .iter()
        .any(|p| text.starts_with(p))
}

/// A live database's schema, and whether it is SQLite's.
fn read_live(url: &str) -> Result<(Schema, bool), Vec<Diagnostic>> {
    let fail = |message: String| {
        vec![
            Diagnostic::error(schema_core::diagnostic::codes::IO, message).help(
                "check the URL: `postgres://user@host:port/db` or `sqlite://path/to/file.db`",
            ),
        ]
    };
    let mut db = migrate::connect_to_read(url).map_err(fail)?;
    let sqlite = db.dialect() == schema_runtime::Dialect::Sqlite;
    let live = db
        .namespaces()
        .and_then(|schemas| db.introspect(&schemas))
        .map_err(|e| fail(e.to_string()))?;
    Ok((live, sqlite))
}

/// `schema` (read from `spec`) compared as the database at `other` stores its
/// expressions, when `other` is a PostgreSQL URL and `spec` is not: the
/// database normalises constants the canonical form cannot (see
/// `schema_runtime::stored`). Otherwise, or if the database cannot be asked,
/// `schema` as it is.
fn as_stored_in(spec: &str, other: &str, schema: Schema) -> Schema {
    if is_database_url(spec) || !is_database_url(other) {
        return schema;
    }
    match migrate::connect_to_read(other) {
        Ok(mut db) if db.dialect() == schema_runtime::Dialect::Postgres => db.as_stored(&schema),
        _ => schema,
    }
}

/// A schema from a file (declarative), a migrations directory (replayed) or a
/// database URL (introspected); true for a SQLite database.
fn read_any(spec: &str) -> Result<(Schema, bool), Vec<Diagnostic>> {
    if is_database_url(spec) {
        read_live(spec)
    } else {
        read_schema(Path::new(spec)).map(|s| (s, false))
    }
}

/// A schema from a file (declarative) or a migrations directory (replayed).
fn read_schema(path: &Path) -> Result<Schema, Vec<Diagnostic>> {
    let display = path.display().to_string();
    if path.is_dir() {
        let (found, mut diagnostics) = migrations::discover(path, &display);
        let replay = migrations::replay::replay(&found, &mut diagnostics);
        let errors: Vec<Diagnostic> = diagnostics
            .into_iter()
            .filter(|d| d.is_error() && !d.code.allowable)
            .collect();
        return if errors.is_empty() {
            Ok(replay.migrated)
        } else {
            Err(errors)
        };
    }
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![
            Diagnostic::error(
                schema_core::diagnostic::codes::IO,
                format!("cannot read `{display}`: {e}"),
            )
            .help("pass a schema file or a migrations directory"),
        ]
    })?;
    schema_core::parse::parse_schema(&Source::new(display, text))
}

fn diff_command(from: &str, to: &str, dialect: Dialect, exit_code: bool, color: bool) -> ExitCode {
    // The two sides are read at once: each is mostly parsing.
    let read = schema_core::stack::join(|| read_any(from), || read_any(to));
    let (from_schema, to_schema) = match read {
        // A SQLite database keeps no comments (and no unused enum types):
        // compare the other side as SQLite would keep it.
        (Ok((a, false)), Ok((b, true))) => (schema_core::render::sqlite::comparable(&a), b),
        (Ok((a, true)), Ok((b, false))) => (a, schema_core::render::sqlite::comparable(&b)),
        (Ok((a, _)), Ok((b, _))) => (as_stored_in(from, to, a), as_stored_in(to, from, b)),
        (a, b) => {
            let mut all = a.err().unwrap_or_default();
            all.extend(b.err().unwrap_or_default());
            report!("{}", render_all(&all, color));
            return ExitCode::from(1);
        }
    };
    let renames = match diff::renames_from_hints(&from_schema, &to_schema) {
        Ok(r) => r,
        Err(d) => {
            report!("{}", render_all(&d, color));
            return ExitCode::from(1);
        }
    };
    let changes = diff::diff(&from_schema, &to_schema, &renames);
    match dialect
        .renderer()
        .render(&changes, &from_schema, &to_schema)
    {
        Ok(statements) => {
            let code = if exit_code && !changes.is_empty() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
            finish(&schema_core::render::to_script(&statements), code)
        }
        Err(e) => {
            reportln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// The next version: the current UTC time as `YYYYMMDDHHMMSS`, or the second
/// after the last version when the clock is not past it (`...235959` is
/// followed by the next day's `...000000`, never by `...235960`).
fn next_version(last: Option<u64>) -> u64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let now = stamp_of(secs);
    match last {
        Some(last) if last >= now => seconds_of(last).map_or(last + 1, |s| stamp_of(s + 1)),
        _ => now,
    }
}

/// Seconds since 1970-01-01 UTC as `YYYYMMDDHHMMSS`.
fn stamp_of(secs: u64) -> u64 {
    let days = secs / 86_400;
    let rem = secs % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let stamp = format!(
        "{year:04}{month:02}{day:02}{:02}{:02}{:02}",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    );
    stamp.parse::<u64>().unwrap_or(0)
}

/// The seconds since 1970-01-01 UTC of a `YYYYMMDDHHMMSS` version; `None`
/// when it is no valid time (a version need not be one).
fn seconds_of(stamp: u64) -> Option<u64> {
    let (date, time) = (stamp / 1_000_000, stamp % 1_000_000);
    let (year, month, day) = (date / 10_000, date / 100 % 100, date % 100);
    let (hour, minute, second) = (time / 10_000, time / 100 % 100, time % 100);
    if !(1970..=9999).contains(&year)
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y = i64::try_from(year).ok()? - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::try_from(month).ok()?;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::try_from(day).ok()? - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = u64::try_from(era * 146_097 + doe - 719_468).ok()?;
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second;
    // A day the month does not have (`20260231`) is no valid time either.
    (stamp_of(secs) == stamp).then_some(secs)
}

fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Removes the migrations directory on drop if this command created it and
/// left it empty (a first `schema new` that wrote nothing).
struct CreatedDir(Option<PathBuf>);

impl Drop for CreatedDir {
    fn drop(&mut self) {
        if let Some(dir) = &self.0 {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// The first version after `version` not taken by an entry of `dir` (a
/// migration directory, even one `discover` could not read).
fn unused_version(dir: &Path, mut version: u64) -> u64 {
    let taken: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    while taken.iter().any(|name| {
        name.split_once('_')
            .is_some_and(|(digits, _)| digits.parse::<u64>() == Ok(version))
    }) {
        version += 1;
    }
    version
}

/// The migrations directory of `new`, ready to write into: created if missing
/// (and removed again if nothing is written into it), held under the lock of
/// `new` and `sum`, so the history read under it is the one a new migration
/// follows (a second `schema new` waits, then sees this one's migration).
struct Writing {
    /// Dropped first: the lock goes before an unused new directory does.
    _lock: lock::Lock,
    _created: CreatedDir,
    dir: PathBuf,
    display: String,
}

/// Checks the slug, prepares the migrations directory and takes the lock; the
/// error is reported.
fn start_writing(project: &Project, slug: &str, color: bool) -> Result<Writing, ExitCode> {
    if !valid_slug(slug) {
        reportln!(
            "error: `{slug}` is not a valid slug\n  = help: use lower-case letters, digits and `_`, e.g. `add_user_bio`"
        );
        return Err(ExitCode::from(1));
    }
    let dir = project.migrations_path();
    let display = project.display(&dir);
    // Only the first `schema new` creates the directory; it goes again if
    // nothing is written into it.
    let created = if dir.exists() {
        if let Some(not_a_dir) = migrations_dir_error(project) {
            report!("{}", render_all(&[not_a_dir], color));
            return Err(ExitCode::from(1));
        }
        None
    } else if let Err(e) = std::fs::create_dir_all(&dir) {
        reportln!("error: cannot create the migrations directory `{display}`: {e}");
        return Err(ExitCode::from(1));
    } else {
        Some(dir.clone())
    };
    let created = CreatedDir(created);
    let lock = match lock::acquire(&dir, &display, lock::WAIT) {
        Ok(lock) => lock,
        Err(message) => {
            reportln!("error: {message}");
            return Err(ExitCode::from(1));
        }
    };
    Ok(Writing {
        _lock: lock,
        _created: created,
        dir,
        display,
    })
}

/// Writes the migration after `last` named `<version>_<slug>`, its two files
/// given by `files(name)` (up, down), both whole or neither, and rewrites
/// schema.sum (taking the migration back if that fails). Returns the name; the
/// error is reported.
fn write_migration(
    writing: &Writing,
    project: &Project,
    last: Option<u64>,
    slug: &str,
    files: impl Fn(&str) -> (String, String),
    color: bool,
) -> Result<String, ExitCode> {
    let (dir, display) = (&writing.dir, &writing.display);
    let version = unused_version(dir, next_version(last));
    if i64::try_from(version).is_err() {
        reportln!(
            "error: the next version, {version}, does not fit a PostgreSQL bigint\n  = help: \
             the latest migration's version is too large; renumber the migrations not yet \
             applied anywhere with `<yyyymmddhhmmss>` timestamps"
        );
        return Err(ExitCode::from(1));
    }
    let name = format!("{version}_{slug}");
    let target = dir.join(&name);
    let (up, down) = files(&name);
    // Both files complete, or no migration directory at all.
    if let Err(e) =
        schema_core::atomic::create_dir_with(&target, &[("up.sql", &up), ("down.sql", &down)])
    {
        reportln!("error: cannot write {}: {e}", project.display(&target));
        return Err(ExitCode::from(1));
    }
    let (found, diagnostics) = migrations::discover(dir, display);
    let summed = if diagnostics.is_empty() {
        migrations::sum::write(dir, &found).map_err(|e| {
            format!(
                "error: cannot write {display}/{}: {e}",
                migrations::sum::SUM_FILE
            )
        })
    } else {
        Err(render_all(&diagnostics, color))
    };
    if let Err(message) = summed {
        // schema.sum is as it was: take the migration back with it.
        let _ = std::fs::remove_dir_all(&target);
        reportln!("{}", message.trim_end());
        reportln!("error: the migration was not written");
        return Err(ExitCode::from(1));
    }
    Ok(name)
}

fn new(
    project: &Project,
    slug: &str,
    allow_destructive: bool,
    online: bool,
    color: bool,
) -> ExitCode {
    let writing = match start_writing(project, slug, color) {
        Ok(w) => w,
        Err(code) => return code,
    };
    let loaded = load(project);
    if !loaded.declared_ok || !loaded.history_ok {
        let blocking: Vec<Diagnostic> = loaded
            .diagnostics
            .into_iter()
            .filter(|d| d.is_error() && !d.code.allowable && d.code.name != "drift")
            .collect();
        report!("{}", render_all(&blocking, color));
        reportln!(
            "error: fix these first: a migration can only be generated from a clean history and a valid schema.sql"
        );
        return ExitCode::from(1);
    }
    let renames = match diff::renames_from_hints(&loaded.replay.migrated, &loaded.declared) {
        Ok(r) => r,
        Err(d) => {
            report!("{}", render_all(&d, color));
            return ExitCode::from(1);
        }
    };
    let migration: GeneratedMigration = match generate(
        &loaded.replay.migrated,
        &loaded.declared,
        &renames,
        &Postgres,
    ) {
        Ok(m) => m,
        Err(e) => {
            reportln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    if migration.is_empty() {
        reportln!(
            "error: nothing to do: the migrations already give the schema that schema.sql declares\n  \
             = help: for a migration written by hand (a data migration), run `schema new --empty {slug}`"
        );
        return ExitCode::from(1);
    }
    if !migration.destructive.is_empty() && !allow_destructive {
        reportln!("error: this migration would destroy data:");
        for d in &migration.destructive {
            reportln!("  - {d}");
        }
        reportln!(
            "  = help: review the changes; if they are intended, run again with `--allow-destructive`"
        );
        return ExitCode::from(1);
    }
    // The plain migration decided whether there is anything to do and what
    // it destroys; `--online` writes the same change in other forms.
    if online {
        return new_online(project, &writing, &loaded, &renames, slug, color);
    }
    let last = loaded.replay.migrations.last().map(|m| m.files.version);
    let schema_file = project.display(&project.schema_path());
    let files = |name: &str| {
        let header = |which: &str| {
            format!(
                "-- {name} {which}: generated by `schema new` from the difference between the migrations and {schema_file}\n"
            )
        };
        (
            header("up") + &migration.up_sql(),
            header("down") + &migration.down_sql(),
        )
    };
    let name = match write_migration(&writing, project, last, slug, files, color) {
        Ok(name) => name,
        Err(code) => return code,
    };
    let display = &writing.display;
    let mut text = format!(
        "wrote {display}/{name}/up.sql ({} change{})\n",
        migration.changes.len(),
        plural(migration.changes.len())
    );
    for c in &migration.changes {
        let _ = writeln!(text, "  - {c}");
    }
    let _ = writeln!(text, "wrote {display}/{name}/down.sql");
    let _ = writeln!(text, "updated {display}/{}", migrations::sum::SUM_FILE);
    let code = report_online_lints(project, &[name], false, color);
    finish(&text, code)
}

/// `schema new --online`: the change as up to three migrations in the forms
/// that do not lock a busy table (`schema_core::migrations::online`), once
/// `new` has found there is a change and that what it destroys is allowed.
fn new_online(
    project: &Project,
    writing: &Writing,
    loaded: &schema_core::Loaded,
    renames: &diff::Renames,
    slug: &str,
    color: bool,
) -> ExitCode {
    let (from, to) = (&loaded.replay.migrated, &loaded.declared);
    let steps = match migrations::online::generate_online(from, to, renames) {
        Ok(steps) => steps,
        Err(e) => {
            reportln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let schema_file = project.display(&project.schema_path());
    let display = &writing.display;
    let mut last = loaded.replay.migrations.last().map(|m| m.files.version);
    let mut names = Vec::new();
    let mut text = String::new();
    for (i, step) in steps.iter().enumerate() {
        let step_slug = if step.suffix.is_empty() {
            slug.to_string()
        } else {
            format!("{slug}_{}", step.suffix)
        };
        let files = |name: &str| {
            let header = |which: &str| {
                format!(
                    "-- {name} {which}: generated by `schema new --online` (step {} of {}) from the difference between the migrations and {schema_file}\n",
                    i + 1,
                    steps.len()
                )
            };
            // The no-transaction directive stays the file's first line.
            let with_header = |sql: &str, which: &str| match sql
                .strip_prefix(migrations::online::NO_TRANSACTION)
            {
                Some(rest) => format!(
                    "{}\n{}{}",
                    migrations::online::NO_TRANSACTION,
                    header(which),
                    rest.trim_start_matches('\n')
                ),
                None => header(which) + sql,
            };
            (with_header(&step.up, "up"), with_header(&step.down, "down"))
        };
        let name = match write_migration(writing, project, last, &step_slug, files, color) {
            Ok(name) => name,
            Err(code) => return code,
        };
        last = name.split('_').next().and_then(|v| v.parse().ok()).or(last);
        let how = if step.no_transaction {
            ", outside a transaction"
        } else {
            ""
        };
        let _ = writeln!(
            text,
            "wrote {display}/{name}/up.sql ({} change{}{how})",
            step.changes.len(),
            plural(step.changes.len())
        );
        for c in &step.changes {
            let _ = writeln!(text, "  - {c}");
        }
        let _ = writeln!(text, "wrote {display}/{name}/down.sql");
        names.push(name);
    }
    let _ = writeln!(text, "updated {display}/{}", migrations::sum::SUM_FILE);
    let code = report_online_lints(project, &names, true, color);
    finish(&text, code)
}

/// After `new`: the online lints' findings in the migrations just written
/// (`names`), so the author sees what the change would lock before it is
/// committed; without `--online`, with the hint to use it. Failure when one
/// is an error (`--online-lints deny`): the build would reject the migration.
fn report_online_lints(project: &Project, names: &[String], online: bool, color: bool) -> ExitCode {
    let loaded = load(project);
    let ours: Vec<Diagnostic> = loaded
        .diagnostics
        .into_iter()
        .filter(|d| schema_core::diagnostic::codes::ONLINE.contains(&d.code))
        .filter(|d| {
            d.origin.as_ref().is_some_and(|o| {
                names
                    .iter()
                    .any(|n| o.source.path.contains(&format!("/{n}/")))
            })
        })
        .collect();
    if ours.is_empty() {
        return ExitCode::SUCCESS;
    }
    report!("{}", render_all(&ours, color));
    let denied = ours.iter().any(Diagnostic::is_error);
    if denied {
        reportln!(
            "error: the migration was written, and `schema check` and the build will reject it \
             for the errors above: rewrite it in the safe forms (`schema new --online`), or \
             allow each deliberate one with `-- schema: allow(<name>)`"
        );
    } else if !online {
        reportln!(
            "note: the migration was written; `schema new --online <slug>` (after deleting it \
             and running `schema sum`) writes the same change in forms that do not lock the \
             tables: indexes built concurrently, constraints validated in a later migration"
        );
    }
    if denied {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The up.sql of `schema new --empty`: comments only, saying what to do.
fn empty_up(name: &str) -> String {
    format!(
        "-- {name} up: written by hand (`schema new --empty`), for what `schema new` does not
-- write: a data migration (INSERT, UPDATE, DELETE, a backfill), or a schema change
-- in your own words. Write the statements below, then run `schema sum`.
-- A schema change here must also be made in schema.sql (`schema check` compares them).
-- Until a statement is here, `schema check` reports this migration as empty
-- (S0201/empty_migration).
"
    )
}

/// The down.sql of `schema new --empty`: comments only, saying what to do.
fn empty_down(name: &str) -> String {
    format!(
        "-- {name} down: written by hand (`schema new --empty`): the statements that undo
-- up.sql, below; then run `schema sum`. Without statements it changes nothing, which
-- is right for a migration that changes no schema and whose data need not come back.
"
    )
}

/// `schema new --empty`: the next migration with comment-only files, to be
/// written by hand. No difference is computed: it works whatever schema.sql
/// says, on a history whose directories can be read and whose schema.sum is
/// up to date.
fn new_empty(project: &Project, slug: &str, color: bool) -> ExitCode {
    let writing = match start_writing(project, slug, color) {
        Ok(w) => w,
        Err(code) => return code,
    };
    // The directories readable and schema.sum in step with them: rewriting
    // schema.sum must not record an edit nobody reviewed.
    let (found, mut diagnostics) = migrations::discover(&writing.dir, &writing.display);
    if diagnostics.is_empty() {
        diagnostics = migrations::sum::verify(&writing.dir, &writing.display, &found);
    }
    if !diagnostics.is_empty() {
        report!("{}", render_all(&diagnostics, color));
        reportln!(
            "error: fix these first: the new migration follows the ones there, and schema.sum \
             is rewritten with it"
        );
        return ExitCode::from(1);
    }
    let last = found.iter().map(|m| m.version).max();
    let files = |name: &str| (empty_up(name), empty_down(name));
    let name = match write_migration(&writing, project, last, slug, files, color) {
        Ok(name) => name,
        Err(code) => return code,
    };
    let display = &writing.display;
    let text = format!(
        "wrote {display}/{name}/up.sql (empty: write the migration by hand)\n\
         wrote {display}/{name}/down.sql\n\
         updated {display}/{}\n",
        migrations::sum::SUM_FILE
    );
    finish(&text, ExitCode::SUCCESS)
}

fn sum(project: &Project) -> ExitCode {
    if let Some(missing) = migrations_dir_error(project) {
        report!("{}", render_all(&[missing], false));
        return ExitCode::from(1);
    }
    let dir = project.migrations_path();
    let display = project.display(&dir);
    let _lock = match lock::acquire(&dir, &display, lock::WAIT) {
        Ok(lock) => lock,
        Err(message) => {
            reportln!("error: {message}");
            return ExitCode::from(1);
        }
    };
    let (found, diagnostics) = migrations::discover(&dir, &display);
    if !diagnostics.is_empty() {
        report!("{}", render_all(&diagnostics, false));
        return ExitCode::from(1);
    }
    match migrations::sum::write(&dir, &found) {
        Ok(true) => finish(
            &format!(
                "wrote {display}/{} ({} migration{})\n",
                migrations::sum::SUM_FILE,
                found.len(),
                plural(found.len())
            ),
            ExitCode::SUCCESS,
        ),
        Ok(false) => finish(
            &format!("{display}/{} is up to date\n", migrations::sum::SUM_FILE),
            ExitCode::SUCCESS,
        ),
        Err(e) => {
            reportln!(
                "error: cannot write {display}/{}: {e}\n  = help: {display}/{} is as it was; \
                 free some space (or fix the permissions) and run `schema sum` again",
                migrations::sum::SUM_FILE,
                migrations::sum::SUM_FILE
            );
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{next_version, seconds_of, stamp_of};

    #[test]
    fn a_version_after_the_last_one_is_the_next_second_as_a_time() {
        assert_eq!(stamp_of(0), 19_700_101_000_000);
        assert_eq!(seconds_of(19_700_101_000_000), Some(0));
        // The clock behind the last version: one second later, as a time.
        assert_eq!(next_version(Some(99_991_231_235_958)), 99_991_231_235_959);
        let after = stamp_of(seconds_of(20_261_206_194_059).unwrap_or(0) + 1);
        assert_eq!(after, 20_261_206_194_100);
        let new_year = stamp_of(seconds_of(20_261_231_235_959).unwrap_or(0) + 1);
        assert_eq!(new_year, 20_270_101_000_000);
        let leap = stamp_of(seconds_of(20_280_228_235_959).unwrap_or(0) + 1);
        assert_eq!(leap, 20_280_229_000_000);
        // Not a time: one more, as before.
        assert_eq!(seconds_of(20_260_231_000_000), None);
        assert_eq!(seconds_of(5), None);
        assert_eq!(next_version(Some(99_999_999_999_999)), 100_000_000_000_000);
    }
}
