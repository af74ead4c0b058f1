//! Our own migrations checked by our own analysis, without a server: a
//! history of the migration `schema new` writes for `from` on an empty
//! project and the one it writes from `from` to `to`, analysed against `to` as
//! schema.sql the way the macro and `schema check` analyse a project (parse,
//! replay with the down-undoes-up check, lints, drift).

use schema_core::analyze::analyze_sources;
use schema_core::diagnostic::{Severity, Source, render_all};
use schema_core::diff::{Renames, renames_from_hints};
use schema_core::migrations::MigrationFiles;
use schema_core::migrations::generate::generate;
use schema_core::model::Schema;
use schema_core::parse::parse_schema_str;
use schema_core::render::Postgres;

/// Lints about the project rather than the migrations: a pair of schemas is
/// not a project (a `from.sql` may be empty, a table may lack a primary key).
const PROJECT_LINTS: &[&str] = &["empty_migration", "missing_primary_key"];

/// Migration `n` of a history: `up` and `down`.
pub fn migration(n: u64, up: &str, down: &str) -> MigrationFiles {
    let dir = format!("{n:014}_step");
    MigrationFiles {
        version: n,
        version_text: format!("{n:014}"),
        slug: "step".into(),
        up: Source::new(format!("migrations/{dir}/up.sql"), up),
        down: Source::new(format!("migrations/{dir}/down.sql"), down),
        dir_name: dir,
    }
}

/// The two generated migrations (for PostgreSQL) of `from_text` and
/// `to_text`, analysed against `to_text`.
///
/// # Errors
/// Every error the analysis reports (besides [`PROJECT_LINTS`]), with the
/// migrations, or why they cannot be written.
pub fn generated_history_is_clean(from_text: &str, to_text: &str) -> Result<(), String> {
    let parse = |shown: &str, text: &str| {
        parse_schema_str(shown, text)
            .map_err(|d| format!("{shown} does not parse:\n{}", render_all(&d, false)))
    };
    let (from, to) = (parse("from.sql", from_text)?, parse("to.sql", to_text)?);
    let mut empty = Schema::new();
    if from.privileges_ignored {
        empty = empty.ignoring_privileges();
    }
    let first = generate(&empty, &from, &Renames::default(), &Postgres)
        .map_err(|e| format!("the first migration cannot be written: {e}"))?;
    let renames = renames_from_hints(&from, &to)
        .map_err(|d| format!("rename hints are rejected:\n{}", render_all(&d, false)))?;
    let second = generate(&from, &to, &renames, &Postgres)
        .map_err(|e| format!("the second migration cannot be written: {e}"))?;
    let history = [
        migration(1, &first.up_sql(), &first.down_sql()),
        migration(2, &second.up_sql(), &second.down_sql()),
    ];
    let diagnostics = match analyze_sources(&Source::new("schema.sql", to_text), &history) {
        Ok(analysis) => analysis.warnings,
        Err(d) => d,
    };
    let errors: Vec<_> = diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error && !PROJECT_LINTS.contains(&d.code.name))
        .collect();
    if errors.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{}\n--- 1 up.sql ---\n{}--- 2 up.sql ---\n{}--- 2 down.sql ---\n{}--- end ---",
        render_all(&errors, false),
        first.up_sql(),
        second.up_sql(),
        second.down_sql()
    ))
}
