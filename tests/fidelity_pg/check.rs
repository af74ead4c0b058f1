//! The fidelity check of one `schema.sql` on two databases: the user's DDL as
//! written on one (`user`), what `schema new` writes for it from an empty
//! history, applied by the migrator, on the other (`ours`); then the catalog
//! text of both, `verify`, and `diff --from <database>` on each.
//!
//! Every stage that can run does, so one fixture reports all it gets wrong.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use schema_core::Schema;
use schema_core::Source;
use schema_core::diagnostic::render_all;

use crate::fixtures::Refusal;
use schema_core::diff::{compare, diff, renames_from_hints};
use schema_core::migrations::generate::generate;
use schema_core::migrations::replay::replay;
use schema_core::migrations::{MigrationFiles, checksum};
use schema_core::parse::apply::apply_file;
use schema_core::parse::{Mode, parse_file, parse_schema_str};
use schema_core::render::{Postgres, Renderer, to_script};
use schema_runtime::driver::postgres::PostgresDriver;
use schema_runtime::{Migration, Migrator, Script};

use schema_test_support::pg::describe_pg_error;
use schema_test_support::pg::{TestDatabase, catalog_facts};

/// The version and slug of the one generated migration.
const VERSION: u64 = 20260101000000;
const SLUG: &str = "fidelity";

/// What went wrong, by the stage that saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Stage {
    /// The two databases could not be emptied before the check.
    Setup,
    /// PostgreSQL refuses the fixture itself: the fixture is wrong, not the engine.
    FixtureRejected,
    /// `schema.sql` does not parse (a refusal or a parser bug).
    Parse,
    /// `schema new` cannot write the migration.
    Generate,
    /// Parsing our up.sql as a schema does not give the declared model back.
    ModelRoundTrip,
    /// `schema check` after `schema new`: the replayed history is not the declaration.
    Check,
    /// The migrator's `up` fails on PostgreSQL.
    Up,
    /// The catalog text of the two databases differs.
    Catalog,
    /// `verify` right after `up` is not clean.
    Verify,
    /// `diff --from <our database>` is not empty.
    DiffFromOurs,
    /// `diff --from <the user's database>` is not empty.
    DiffFromUsers,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Setup => "setup",
            Stage::FixtureRejected => "fixture rejected by PostgreSQL",
            Stage::Parse => "parse",
            Stage::Generate => "generate (schema new)",
            Stage::ModelRoundTrip => "model round trip",
            Stage::Check => "check after new",
            Stage::Up => "up",
            Stage::Catalog => "catalog",
            Stage::Verify => "verify after up",
            Stage::DiffFromOurs => "diff --from our database",
            Stage::DiffFromUsers => "diff --from the user's database",
        })
    }
}

/// One problem: its stage and what it says.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    /// Where it was seen.
    pub(crate) stage: Stage,
    /// The details, several lines.
    pub(crate) detail: String,
}

/// What the check of one `schema.sql` found.
#[derive(Debug, Clone, Default)]
pub(crate) struct Outcome {
    /// Our up.sql, when it could be written.
    pub(crate) up_sql: Option<String>,
    /// Every problem, in stage order.
    pub(crate) problems: Vec<Problem>,
}

impl Outcome {
    /// The outcome of a check that could not start: the databases could not
    /// be emptied.
    pub(crate) fn broken(detail: String) -> Self {
        let mut outcome = Outcome::default();
        outcome.fail(Stage::Setup, detail);
        outcome
    }

    fn fail(&mut self, stage: Stage, detail: impl Into<String>) {
        self.problems.push(Problem {
            stage,
            detail: detail.into(),
        });
    }

    /// The report of a failing check: the schema, our up.sql, each problem.
    pub(crate) fn report(&self, name: &str, sql: &str) -> String {
        let mut out = format!("=== {name}\n--- schema.sql\n{}\n", sql.trim_end());
        if let Some(up) = &self.up_sql {
            let _ = writeln!(out, "--- our up.sql\n{}", up.trim_end());
        }
        for p in &self.problems {
            let _ = writeln!(out, "--- [{}]\n{}", p.stage, p.detail.trim_end());
        }
        out
    }

    /// One line: the stages that failed and the first line of the first problem.
    pub(crate) fn summary(&self) -> String {
        let mut stages: Vec<String> = self.problems.iter().map(|p| p.stage.to_string()).collect();
        stages.dedup();
        let first = self
            .problems
            .first()
            .and_then(|p| p.detail.lines().next())
            .unwrap_or_default();
        format!("[{}] {first}", stages.join(", "))
    }
}

/// The lines of `user` not in `ours` (`- user:`) and of `ours` not in `user`
/// (`+ ours:`), counting repeats; empty when the two are equal.
fn facts_difference(user: &[String], ours: &[String]) -> String {
    let mut count: BTreeMap<&str, i64> = BTreeMap::new();
    for line in user {
        *count.entry(line).or_default() += 1;
    }
    for line in ours {
        *count.entry(line).or_default() -= 1;
    }
    let mut out = String::new();
    for (line, n) in &count {
        for _ in 0..n.unsigned_abs() {
            let side = if *n > 0 { "- user:" } else { "+ ours:" };
            let _ = writeln!(out, "{side} {line}");
        }
    }
    out
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}\n")).collect()
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// The migration `schema new` writes from an empty history to `declared`:
/// its up.sql and down.sql, with the header `new` puts first.
fn new_migration(declared: &Schema) -> Result<(String, String), String> {
    let empty = Schema::new();
    let renames = renames_from_hints(&empty, declared)
        .map_err(|d| format!("rename hints are rejected:\n{}", render_all(&d, false)))?;
    let migration = generate(&empty, declared, &renames, &Postgres).map_err(|e| e.to_string())?;
    if migration.is_empty() {
        return Err("nothing to do: the migration is empty".to_string());
    }
    let header = |which: &str| {
        format!(
            "-- {VERSION}_{SLUG} {which}: generated by `schema new` from the difference between the migrations and schema.sql\n"
        )
    };
    Ok((
        header("up") + &migration.up_sql(),
        header("down") + &migration.down_sql(),
    ))
}

/// Parses our up.sql as a schema (declarative mode): it must give the
/// declared model back.
fn model_round_trip(declared: &Schema, up: &str) -> Result<(), String> {
    let reparsed = parse_schema_str("up.sql", up)
        .map_err(|d| format!("our up.sql does not parse:\n{}", render_all(&d, false)))?;
    model_difference(declared, &reparsed, "up.sql parsed")
}

/// `schema check` after `schema new`: the one migration replays (up, then
/// down on a snapshot) without errors and gives the declared schema.
fn check_after_new(declared: &Schema, up: &str, down: &str) -> Result<(), String> {
    let files = MigrationFiles {
        version: VERSION,
        version_text: VERSION.to_string(),
        slug: SLUG.to_string(),
        dir_name: format!("{VERSION}_{SLUG}"),
        up: Source::new(format!("migrations/{VERSION}_{SLUG}/up.sql"), up),
        down: Source::new(format!("migrations/{VERSION}_{SLUG}/down.sql"), down),
    };
    let mut diagnostics = Vec::new();
    let replayed = replay(&[files], &mut diagnostics);
    let errors: Vec<_> = diagnostics.into_iter().filter(|d| d.is_error()).collect();
    if !errors.is_empty() {
        return Err(format!(
            "the replay of our migration fails:\n{}",
            render_all(&errors, false)
        ));
    }
    model_difference(declared, &replayed.migrated, "migrated")
}

/// Empty when `other` is `declared`; else the changes that would turn `other`
/// into `declared`, or (when the diff sees none) both sides of each object
/// that differs.
fn model_difference(declared: &Schema, other: &Schema, what: &str) -> Result<(), String> {
    if other == declared {
        return Ok(());
    }
    let mut out = String::new();
    for change in compare(other, declared) {
        let _ = writeln!(out, "{what} -> declared: {change}");
    }
    if out.is_empty() {
        let _ = writeln!(
            out,
            "{what} differs from declared, and the diff sees nothing:"
        );
        for (name, table) in declared.tables.iter() {
            let theirs = other.tables.get(name);
            if theirs != Some(table) {
                let _ = writeln!(
                    out,
                    "  declared {name}: {table:?}\n  {what} {name}: {theirs:?}"
                );
            }
        }
        if declared.enums != other.enums || declared.sequences != other.sequences {
            let _ = writeln!(
                out,
                "  declared enums/sequences: {:?} {:?}\n  {what}: {:?} {:?}",
                declared.enums, declared.sequences, other.enums, other.sequences
            );
        }
    }
    Err(out)
}

/// `schema diff --from <url> --to schema.sql`, as the CLI does it: introspects
/// every schema that is not PostgreSQL's own, takes the declaration as that database stores its expressions
/// (`Driver::as_stored`), and diffs; the SQL it would print, when any.
fn diff_from_database(url: &str, declared: &Schema) -> Result<(), String> {
    let mut db = schema_runtime::connect(url).map_err(|e| format!("cannot connect: {e}"))?;
    let live = db
        .namespaces()
        .and_then(|schemas| db.introspect(&schemas))
        .map_err(|e| format!("introspection fails: {e}"))?;
    let declared = &db.as_stored(declared);
    let renames = renames_from_hints(&live, declared)
        .map_err(|d| format!("rename hints are rejected:\n{}", render_all(&d, false)))?;
    let changes = diff(&live, declared, &renames);
    if changes.is_empty() {
        return Ok(());
    }
    let mut out = String::new();
    for c in &changes {
        let _ = writeln!(out, "change: {c}");
    }
    match Postgres.render(&changes, &live, declared) {
        Ok(statements) => {
            let _ = write!(out, "it prints:\n{}", indent(&to_script(&statements)));
        }
        Err(e) => {
            let _ = writeln!(out, "and cannot render it: {e}");
        }
    }
    Err(out)
}

/// The migrator's `up` of our migration on `ours`, then `verify`; the driver
/// stays connected for `verify`.
fn up_and_verify(ours: &TestDatabase, up: &str, down: &str, outcome: &mut Outcome) -> bool {
    let migrations: &'static [Migration] = Box::leak(Box::new([Migration {
        version: VERSION,
        name: SLUG,
        checksum: leak(checksum(up)),
        no_transaction: false,
        postgres: Script {
            up: leak(up.to_string()),
            down: leak(down.to_string()),
        },
        sqlite: Err("the fidelity suite runs on PostgreSQL only"),
    }]));
    let migrator = Migrator::from_slice(migrations);
    let mut driver = match PostgresDriver::connect(&ours.url()) {
        Ok(d) => d,
        Err(e) => {
            outcome.fail(Stage::Up, format!("cannot connect the migrator: {e}"));
            return false;
        }
    };
    if let Err(e) = migrator.up(&mut driver) {
        outcome.fail(Stage::Up, format!("PostgreSQL rejects our up.sql: {e}"));
        return false;
    }
    match migrator.verify(&mut driver) {
        Ok(report) if report.is_clean() => {}
        Ok(report) => outcome.fail(Stage::Verify, report.to_string()),
        Err(e) => outcome.fail(Stage::Verify, format!("verify fails: {e}")),
    }
    true
}

/// `sql` applied as a migration's `up.sql` onto an empty schema (the
/// canonical suite's migrations): the schema it ends with, or its errors.
fn replayed_up(sql: &str) -> Result<Schema, Vec<schema_core::Diagnostic>> {
    let (file, mut diagnostics) = parse_file(&Source::new("up.sql", sql));
    let mut schema = Schema::new();
    apply_file(&mut schema, &file, Mode::Migration, &mut diagnostics);
    if diagnostics.iter().any(schema_core::Diagnostic::is_error) {
        Err(diagnostics)
    } else {
        Ok(schema)
    }
}

/// The whole check of `sql` on two empty databases: see the module documentation.
pub(crate) fn check(
    sql: &str,
    refused: Option<Refusal>,
    as_migration: bool,
    user: &TestDatabase,
    ours: &TestDatabase,
) -> Outcome {
    let mut outcome = Outcome::default();
    let mut user_client = user.connect();
    if let Err(e) = user_client.batch_execute(sql) {
        outcome.fail(Stage::FixtureRejected, describe_pg_error(&e, sql));
        return outcome;
    }
    let parsed = if as_migration {
        replayed_up(sql)
    } else {
        parse_schema_str("schema.sql", sql)
    };
    if let Some(r) = refused {
        // Valid PostgreSQL the tool does not model yet: refused, by name, at
        // a place in the file, never accepted and changed.
        let named = parsed.as_ref().err().is_some_and(|d| {
            d.iter()
                .any(|d| d.code.id == r.code && d.message.contains(r.names) && d.origin.is_some())
        });
        if !named {
            let got = match &parsed {
                Ok(_) => "it was accepted".to_string(),
                Err(d) => render_all(d, false),
            };
            outcome.fail(
                Stage::Parse,
                format!(
                    "expected a located {} error naming `{}`; {got}",
                    r.code, r.names
                ),
            );
        }
        return outcome;
    }
    let declared = match parsed {
        Ok(s) => s,
        Err(d) => {
            outcome.fail(Stage::Parse, render_all(&d, false));
            return outcome;
        }
    };
    let (up, down) = match new_migration(&declared) {
        Ok(m) => m,
        Err(e) => {
            outcome.fail(Stage::Generate, e);
            return outcome;
        }
    };
    outcome.up_sql = Some(up.clone());
    if let Err(e) = model_round_trip(&declared, &up) {
        outcome.fail(Stage::ModelRoundTrip, e);
    }
    if let Err(e) = check_after_new(&declared, &up, &down) {
        outcome.fail(Stage::Check, e);
    }
    if up_and_verify(ours, &up, &down, &mut outcome) {
        // The user's SQL may have changed the session (pg_dump's
        // `set_config('search_path', '', false)`): catalog text is printed
        // relative to the search_path, so both sides are read in a fresh session.
        let facts = catalog_facts(&mut user.connect())
            .and_then(|u| catalog_facts(&mut ours.connect()).map(|o| (u, o)));
        match facts {
            Ok((u, o)) => {
                let difference = facts_difference(&u, &o);
                if !difference.is_empty() {
                    outcome.fail(Stage::Catalog, difference);
                }
            }
            Err(e) => outcome.fail(Stage::Catalog, e),
        }
        if let Err(e) = diff_from_database(&ours.url(), &declared) {
            outcome.fail(Stage::DiffFromOurs, e);
        }
    }
    if let Err(e) = diff_from_database(&user.url(), &declared) {
        outcome.fail(Stage::DiffFromUsers, e);
    }
    outcome.problems.sort_by_key(|p| p.stage);
    outcome
}
