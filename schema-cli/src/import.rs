//! `schema import --from <format> DIR`: another tool's SQL migration history
//! (sqlx, diesel, refinery, golang-migrate, goose, dbmate, flyway, alembic's
//! offline SQL) converted into `<version>_<slug>/{up.sql,down.sql}` here,
//! versions and order kept, and `schema.sum` written as `schema sum` writes it.
//!
//! Each format's reader (a submodule) turns the files into [`Imported`]
//! migrations in the tool's own order; this module checks the versions, writes
//! the directories (all or none) and reports what converted and what needs a
//! hand. The first line of every imported up.sql is
//! `-- imported from <format> <tool-version> (<path relative to DIR>)`, with the
//! version as the tool's own version table stores it: other tools read it.

mod alembic;
mod dbmate;
mod diesel;
mod flyway;
mod golang_migrate;
mod goose;
mod refinery;
mod source;
mod sql;
mod sqlx;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use schema_core::diagnostic::{Diagnostic, codes, render_all};
use schema_core::migrations;

use source::Tree;

/// The formats `schema import --from` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// sqlx: `<version>_<desc>.sql`, or `.up.sql` and `.down.sql`.
    Sqlx,
    /// diesel: `<version>_<name>/{up,down}.sql` (and `metadata.toml`).
    Diesel,
    /// refinery: `V<n>__<name>.sql` (up only).
    Refinery,
    /// golang-migrate: `<n>_<name>.up.sql` and `<n>_<name>.down.sql`.
    GolangMigrate,
    /// goose: `<n>_<name>.sql` with `-- +goose Up` / `-- +goose Down` sections.
    Goose,
    /// dbmate: `<version>_<name>.sql` with `-- migrate:up` / `-- migrate:down`.
    Dbmate,
    /// flyway: `V<version>__<desc>.sql` and undo `U<version>__<desc>.sql`.
    Flyway,
    /// alembic: the offline SQL of `alembic upgrade --sql` (and `--down`:
    /// of `alembic downgrade --sql <head>:base`).
    Alembic,
}

impl Format {
    /// The `--from` value, as the header line names the format.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Format::Sqlx => "sqlx",
            Format::Diesel => "diesel",
            Format::Refinery => "refinery",
            Format::GolangMigrate => "golang-migrate",
            Format::Goose => "goose",
            Format::Dbmate => "dbmate",
            Format::Flyway => "flyway",
            Format::Alembic => "alembic",
        }
    }
}

/// `schema import`'s command line.
#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The tool the history comes from.
    #[arg(long, value_enum, value_name = "FORMAT")]
    from: Format,
    /// alembic only: the output of `alembic downgrade --sql <head>:base` (a
    /// file, or a directory of such files), for the down scripts.
    #[arg(long, value_name = "FILE")]
    down: Option<PathBuf>,
    /// The migrations directory to write into (created if missing).
    #[arg(long, default_value = "migrations")]
    migrations: PathBuf,
    /// The other tool's migrations directory (alembic: the file `alembic
    /// upgrade --sql` wrote, or a directory of such files).
    #[arg(value_name = "DIR")]
    dir: PathBuf,
}

/// One migration of the other tool, converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Imported {
    /// Our version.
    pub(crate) version: u64,
    /// Our version as the directory name writes it (the tool's digits where
    /// it has them, leading zeros kept).
    pub(crate) version_text: String,
    /// The version as the tool's own version table stores it.
    pub(crate) tool_version: String,
    /// The tool's name or description of it, for the slug.
    pub(crate) name: String,
    /// The up file (or, for alembic, the offline SQL file), relative to DIR.
    pub(crate) up_path: String,
    /// The up SQL, verbatim but for the format's own markers.
    pub(crate) up_sql: String,
    /// The down SQL, or why there is none.
    pub(crate) down: Down,
    /// The tool ran it outside a transaction (`-- schema: no-transaction` here).
    pub(crate) no_transaction: bool,
    /// What the conversion could not carry over: each needs a hand.
    pub(crate) hand: Vec<String>,
}

/// A converted migration's down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Down {
    /// The tool's down SQL (verbatim but for the format's markers), from `path`.
    Sql {
        /// The file it comes from, relative to its directory.
        path: String,
        /// The SQL.
        sql: String,
    },
    /// The tool has no usable down for it, and why.
    Missing(String),
}

impl Down {
    /// `Sql` when `sql` holds a statement, otherwise `Missing(empty_why)`.
    pub(crate) fn of(path: &str, sql: String, empty_why: impl Into<String>) -> Down {
        if sql::has_statement(&sql) {
            Down::Sql {
                path: path.to_string(),
                sql,
            }
        } else {
            Down::Missing(empty_why.into())
        }
    }
}

/// What a format's reader found.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    /// The migrations, in the tool's order.
    pub(crate) migrations: Vec<Imported>,
    /// What was read and left out on purpose (alembic's bookkeeping), each
    /// with why.
    pub(crate) dropped: Vec<String>,
}

/// A format's reader: the files in, the migrations out, or every error found.
pub(crate) type Reader = fn(&Tree) -> Result<Parsed, Vec<Diagnostic>>;

/// Reads `tree` as `format` (`down`: alembic's downgrade SQL).
fn read(format: Format, tree: &Tree, down: Option<&Tree>) -> Result<Parsed, Vec<Diagnostic>> {
    let reader: Reader = match format {
        Format::Sqlx => sqlx::read,
        Format::Diesel => diesel::read,
        Format::Refinery => refinery::read,
        Format::GolangMigrate => golang_migrate::read,
        Format::Goose => goose::read,
        Format::Dbmate => dbmate::read,
        Format::Flyway => flyway::read,
        Format::Alembic => return alembic::read(tree, down),
    };
    reader(tree)
}

/// The text between the format's markers, as it goes into a file here: blank
/// lines at either end removed, one line ending at the end (nothing for none).
pub(crate) fn section(text: &str) -> String {
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    while lines.first().is_some_and(|l| l.trim().is_empty()) {
        lines.remove(0);
    }
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let mut out: String = lines.concat();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Our slug for a tool's migration name: letters, digits, `_` and `-` kept,
/// runs of anything else one `_`; `migration` when nothing is left.
pub(crate) fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '-' {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches('_').to_string();
    if out.is_empty() {
        "migration".to_string()
    } else {
        out
    }
}

/// Our version for a tool's decimal digits: `None` when they do not fit a
/// PostgreSQL `bigint`, as our version table keeps them.
pub(crate) fn version_of(digits: &str) -> Option<u64> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits
        .parse::<u64>()
        .ok()
        .filter(|v| i64::try_from(*v).is_ok())
}

/// The directory name of `m` here.
fn dir_name(m: &Imported) -> String {
    format!("{}_{}", m.version_text, slug(&m.name))
}

/// The files of `m` here: up.sql and down.sql.
fn files_of(format: Format, m: &Imported) -> (String, String) {
    let name = format.name();
    let mut up = format!(
        "-- imported from {name} {} ({})\n",
        m.tool_version, m.up_path
    );
    if m.no_transaction {
        up.push_str("-- schema: no-transaction\n");
    }
    if !sql::has_statement(&m.up_sql) {
        up.push_str(
            "-- the imported migration holds no statement\n-- schema: allow(empty_migration)\n",
        );
    }
    up.push_str(&m.up_sql);
    let down = match &m.down {
        Down::Sql { path, sql } => {
            format!("-- imported from {name} {} ({path})\n{sql}", m.tool_version)
        }
        Down::Missing(why) => format!(
            "-- imported from {name} {} ({}): {why}\n\
             -- schema: allow(down_does_not_undo_up)\n\
             -- `schema down` past this migration changes nothing in the database: write the\n\
             -- statements that undo up.sql here, remove the `allow` line above, then run\n\
             -- `schema sum`.\n",
            m.tool_version, m.up_path
        ),
    };
    (up, down)
}

/// Every version increases strictly in the tool's order and fits a `bigint`;
/// otherwise an error naming both files.
fn check_order(format: Format, tree: &Tree, found: &[Imported]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for m in found {
        if i64::try_from(m.version).is_err() {
            errors.push(
                Diagnostic::error(
                    codes::BAD_MIGRATION_NAME,
                    format!(
                        "`{}`: version {} does not fit a PostgreSQL bigint",
                        tree.show(&m.up_path),
                        m.version
                    ),
                )
                .help("renumber it (and the ones after it) at most 9223372036854775807"),
            );
        }
    }
    for pair in found.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.version == b.version {
            errors.push(
                Diagnostic::error(
                    codes::DUPLICATE_VERSION,
                    format!(
                        "`{}` ({} {}) and `{}` ({} {}) would both be version {}",
                        tree.show(&a.up_path),
                        format.name(),
                        a.tool_version,
                        tree.show(&b.up_path),
                        format.name(),
                        b.tool_version,
                        a.version
                    ),
                )
                .note("each migration here has a version of its own")
                .help("renumber one of them in the other tool's history, then import again"),
            );
        } else if a.version > b.version {
            errors.push(
                Diagnostic::error(
                    codes::DUPLICATE_VERSION,
                    format!(
                        "{} runs `{}` ({}) before `{}` ({}), but version {} is greater than {}",
                        format.name(),
                        tree.show(&a.up_path),
                        a.tool_version,
                        tree.show(&b.up_path),
                        b.tool_version,
                        a.version,
                        b.version
                    ),
                )
                .note("migrations here run in the order of their versions")
                .help(
                    "give them versions of one width (e.g. zero-padded) so the order is the \
                     same, then import again",
                ),
            );
        }
    }
    errors
}

/// Takes off the `BEGIN;` ... `COMMIT;` a file wraps itself in (see
/// [`sql::unwrapped`]), and says so in [`Parsed::dropped`].
fn unwrap_transactions(parsed: &mut Parsed) {
    let mut versions = Vec::new();
    for m in &mut parsed.migrations {
        let mut any = false;
        if let Some(up) = sql::unwrapped(&m.up_sql) {
            m.up_sql = section(&up);
            any = true;
        }
        if let Down::Sql { sql: down, .. } = &mut m.down {
            if let Some(unwrapped) = sql::unwrapped(down) {
                *down = section(&unwrapped);
                any = true;
            }
        }
        if any {
            versions.push(m.version.to_string());
        }
    }
    if !versions.is_empty() {
        parsed.dropped.push(format!(
            "the `BEGIN;` and `COMMIT;` around the whole up or down of {} (the migrator runs \
             each migration in a transaction of its own; a `COMMIT` inside would end it early)",
            versions.join(", ")
        ));
    }
}

/// `schema import`: reads, checks, writes, reports.
pub(crate) fn run(args: &ImportArgs, color: bool) -> ExitCode {
    if args.down.is_some() && args.from != Format::Alembic {
        reportln!(
            "error: `--down` is for `--from alembic` only\n  = help: {} keeps its down scripts \
             beside the up ones in `{}`: leave `--down` out",
            args.from.name(),
            args.dir.display()
        );
        return ExitCode::from(2);
    }
    let fail = |diagnostics: &[Diagnostic]| {
        report!("{}", render_all(diagnostics, color));
        reportln!("error: nothing was imported");
        ExitCode::from(1)
    };
    let tree = match Tree::read(&args.dir) {
        Ok(tree) => tree,
        Err(d) => return fail(&d),
    };
    let down_tree = match args.down.as_deref().map(Tree::read).transpose() {
        Ok(t) => t,
        Err(d) => return fail(&d),
    };
    let mut parsed = match read(args.from, &tree, down_tree.as_ref()) {
        Ok(p) => p,
        Err(d) => return fail(&d),
    };
    unwrap_transactions(&mut parsed);
    if parsed.migrations.is_empty() {
        reportln!(
            "error: `{}` holds no {} migration\n  = help: pass the directory that holds them \
             (e.g. `migrations/`, `db/migrations/`, `src/main/resources/db/migration/`)",
            args.dir.display(),
            args.from.name()
        );
        return ExitCode::from(1);
    }
    let order = check_order(args.from, &tree, &parsed.migrations);
    if !order.is_empty() {
        return fail(&order);
    }
    let project = crate::project(PathBuf::from("schema.sql"), args.migrations.clone());
    let written = match write(args.from, &project, &parsed.migrations, color) {
        Ok(w) => w,
        Err(code) => return code,
    };
    report_imported(args, &tree, &parsed, &written)
}

/// Writes every migration (each directory whole, and all of them or none) and
/// schema.sum. Returns the directory names; errors are reported.
fn write(
    format: Format,
    project: &schema_core::Project,
    found: &[Imported],
    color: bool,
) -> Result<Vec<String>, ExitCode> {
    let dir = project.migrations_path();
    let display = project.display(&dir);
    let created = if dir.exists() {
        if let Some(not_a_dir) = crate::migrations_dir_error(project) {
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
    let _created = crate::CreatedDir(created);
    let _lock = match crate::lock::acquire(&dir, &display, crate::lock::WAIT) {
        Ok(lock) => lock,
        Err(message) => {
            reportln!("error: {message}");
            return Err(ExitCode::from(1));
        }
    };
    // The history there readable and schema.sum in step with it: rewriting
    // schema.sum must not record an edit nobody reviewed.
    let (existing, mut diagnostics) = migrations::discover(&dir, &display);
    if diagnostics.is_empty() && !existing.is_empty() {
        diagnostics = migrations::sum::verify(&dir, &display, &existing);
    }
    let names: Vec<String> = found.iter().map(dir_name).collect();
    for (m, name) in found.iter().zip(&names) {
        if dir.join(name).exists() {
            diagnostics.push(
                Diagnostic::error(
                    codes::DUPLICATE_VERSION,
                    format!("`{display}/{name}` already exists"),
                )
                .help(format!(
                    "`schema import` never overwrites a migration: remove `{display}/{name}` \
                     (or import into another `--migrations` directory), then import again"
                )),
            );
        } else if let Some(there) = existing.iter().find(|e| e.version == m.version) {
            diagnostics.push(
                Diagnostic::error(
                    codes::DUPLICATE_VERSION,
                    format!(
                        "`{display}/{}` already has version {}, which `{}` would get",
                        there.dir_name, m.version, m.up_path
                    ),
                )
                .help("import into an empty `--migrations` directory, or renumber one of them"),
            );
        }
    }
    if !diagnostics.is_empty() {
        report!("{}", render_all(&diagnostics, color));
        reportln!("error: nothing was imported");
        return Err(ExitCode::from(1));
    }
    let mut done: Vec<PathBuf> = Vec::new();
    let undo = |done: &[PathBuf]| {
        for path in done {
            let _ = std::fs::remove_dir_all(path);
        }
    };
    for (m, name) in found.iter().zip(&names) {
        let (up, down) = files_of(format, m);
        let target = dir.join(name);
        if let Err(e) =
            schema_core::atomic::create_dir_with(&target, &[("up.sql", &up), ("down.sql", &down)])
        {
            undo(&done);
            reportln!(
                "error: cannot write `{display}/{name}`: {e}\n  = help: nothing was imported; free some space (or fix the permissions) and import again"
            );
            return Err(ExitCode::from(1));
        }
        done.push(target);
    }
    let (all, diagnostics) = migrations::discover(&dir, &display);
    let summed = if diagnostics.is_empty() {
        migrations::sum::write(&dir, &all).map_err(|e| {
            format!(
                "error: cannot write {display}/{}: {e}",
                migrations::sum::SUM_FILE
            )
        })
    } else {
        Err(render_all(&diagnostics, color))
    };
    if let Err(message) = summed {
        undo(&done);
        reportln!("{}", message.trim_end());
        reportln!("error: nothing was imported");
        return Err(ExitCode::from(1));
    }
    Ok(names
        .into_iter()
        .map(|n| format!("{display}/{n}"))
        .collect())
}

/// Per migration on stderr, what converted and what needs a hand; the
/// summary on stdout.
fn report_imported(
    args: &ImportArgs,
    tree: &Tree,
    parsed: &Parsed,
    written: &[String],
) -> ExitCode {
    let name = args.from.name();
    for (m, dir) in parsed.migrations.iter().zip(written) {
        let down = match &m.down {
            Down::Sql { .. } => "up and down converted".to_string(),
            Down::Missing(_) => "up converted, no down".to_string(),
        };
        let mut extra = String::new();
        if m.no_transaction {
            extra.push_str(", outside a transaction (`-- schema: no-transaction`)");
        }
        reportln!(
            "imported {dir} from `{}` ({name} {}): {down}{extra}",
            tree.show(&m.up_path),
            m.tool_version
        );
        if let Down::Missing(why) = &m.down {
            reportln!(
                "warning: {dir}/down.sql does nothing ({why}): `schema down` reverting version \
                 {} changes nothing in the database; write the statements that undo up.sql \
                 there, remove its `allow(down_does_not_undo_up)` line and run `schema sum`",
                m.version
            );
        }
        if m.version == 0 {
            reportln!(
                "warning: {dir} has version 0: `schema down --to 0` does not revert it \
                 (`--steps` does)"
            );
        }
        for hand in &m.hand {
            reportln!("warning: {dir} needs a hand: {hand}");
        }
    }
    let n = parsed.migrations.len();
    let versions: Vec<String> = parsed
        .migrations
        .iter()
        .map(|m| m.version.to_string())
        .collect();
    let (with, without): (Vec<&Imported>, Vec<&Imported>) = parsed
        .migrations
        .iter()
        .partition(|m| matches!(m.down, Down::Sql { .. }));
    let list = |ms: &[&Imported]| {
        ms.iter()
            .map(|m| m.version.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut text = format!(
        "imported {n} migration{} from {name} (`{}`)\n  versions: {}\n",
        crate::plural(n),
        args.dir.display(),
        versions.join(", ")
    );
    if !with.is_empty() {
        let _ = writeln!(text, "  with a down: {}", list(&with));
    }
    if !without.is_empty() {
        let _ = writeln!(
            text,
            "  without a down (their down.sql changes nothing; write one by hand): {}",
            list(&without)
        );
    }
    let hands = parsed
        .migrations
        .iter()
        .filter(|m| !m.hand.is_empty())
        .count();
    if hands > 0 {
        let _ = writeln!(
            text,
            "  {hands} migration{} need{} a hand (see the warnings above)",
            crate::plural(hands),
            if hands == 1 { "s" } else { "" }
        );
    }
    for d in &parsed.dropped {
        let _ = writeln!(text, "  dropped: {d}");
    }
    if let Some(first) = written.first() {
        let dir = first.rsplit_once('/').map_or(".", |(d, _)| d);
        let _ = writeln!(text, "updated {dir}/{}", migrations::sum::SUM_FILE);
    }
    text.push_str(
        "next: run `schema check` to compare the imported history with schema.sql (it prints \
         the migration that would bring them in line)\n",
    );
    crate::finish(&text, ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn imported(version: u64, path: &str) -> Imported {
        Imported {
            version,
            version_text: version.to_string(),
            tool_version: version.to_string(),
            name: "x".into(),
            up_path: path.into(),
            up_sql: "SELECT 1;\n".into(),
            down: Down::Missing("none".into()),
            no_transaction: false,
            hand: Vec::new(),
        }
    }

    #[test]
    fn slugs_keep_letters_digits_and_dashes() {
        assert_eq!(slug("create users"), "create_users");
        assert_eq!(slug("Add.Index!!"), "Add_Index");
        assert_eq!(slug("--"), "--");
        assert_eq!(slug("é"), "migration");
    }

    #[test]
    fn versions_must_increase_strictly() {
        let tree = Tree::of(&[]);
        let same = [imported(1, "a.sql"), imported(1, "b.sql")];
        let e = check_order(Format::Sqlx, &tree, &same);
        assert_eq!(e.len(), 1);
        assert!(e[0].message.contains("a.sql") && e[0].message.contains("b.sql"));
        let back = [imported(10, "10_a.sql"), imported(9, "9_b.sql")];
        assert_eq!(check_order(Format::Dbmate, &tree, &back).len(), 1);
        let big = [imported(u64::MAX, "x.sql")];
        assert_eq!(check_order(Format::Sqlx, &tree, &big).len(), 1);
        assert!(check_order(Format::Sqlx, &tree, &[imported(1, "a"), imported(2, "b")]).is_empty());
    }

    #[test]
    fn the_header_is_the_first_line_and_a_missing_down_allows_itself() {
        let mut m = imported(7, "dir/7_x.sql");
        m.no_transaction = true;
        let (up, down) = files_of(Format::Goose, &m);
        assert_eq!(
            up,
            "-- imported from goose 7 (dir/7_x.sql)\n-- schema: no-transaction\nSELECT 1;\n"
        );
        assert!(down.starts_with("-- imported from goose 7 (dir/7_x.sql): none\n"));
        assert!(down.contains("\n-- schema: allow(down_does_not_undo_up)\n"));
        assert!(!sql::has_statement(&down));
    }

    #[test]
    fn no_input_makes_a_reader_panic() {
        let texts = [
            "",
            "\u{feff}",
            ";;;",
            "-- +goose Up\n-- +goose StatementBegin\n$$ ' \" /* E'\\é",
            "-- migrate:up\n-- migrate:down\n-- migrate:down",
            "-- Running upgrade  -> a\n-- Running upgrade a -> \n-- Running upgrade  -> a",
            "-- Running downgrade a -> \nBEGIN;\nCOMMIT;\n$é$ x $é",
            "é\r\n-- Running upgrade é -> è\r\nCOMMIT; SELECT 'é'; BEGIN;",
        ];
        let names = [
            "1_a.sql",
            "1_a.up.sql",
            "1_a.down.sql",
            "V1__a.sql",
            "U1__a.sql",
            "V1.2.3__a.sql",
            "V1__a.sql.conf",
            "R__a.sql",
            "B1__a.sql",
            "0_a.sql",
            "_.sql",
            "V__.sql",
            "1_a/up.sql",
            "1-2_a/down.sql",
            "x/metadata.toml",
            "99999999999999999999999_a.sql",
            "é_a.sql",
            "V1_é__a.sql",
        ];
        for format in Format::value_variants() {
            for text in texts {
                for name in names {
                    let tree = Tree::of(&[(name, text), ("2_b.sql", text)]);
                    let _ = read(*format, &tree, Some(&tree));
                }
            }
            let mut tree = Tree::of(&[("1_a.sql", "")]);
            tree.files[0].bytes = vec![0xc3, 0x28, 0xff];
            assert!(read(*format, &tree, None).is_err(), "{format:?}");
        }
    }

    #[test]
    fn sections_lose_only_their_blank_edges() {
        assert_eq!(section("\n\n  \nA;\n\nB\n\n"), "A;\n\nB\n");
        assert_eq!(section("\n \n"), "");
    }
}
