//! The generated-migration round trip on a real server, shared by the curated
//! fixtures (`diff_postgres.rs`) and the property test (`diff_property.rs`):
//! a database holding `from` is what `from` parses to; the generated up, run in
//! one transaction, leaves a database PostgreSQL reports as `to`, with nothing
//! left to diff; the generated down brings `from` back.

use std::fmt::Write as _;

use postgres::Client;
use schema_core::Schema;
use schema_core::diagnostic::render_all;
use schema_core::diff::{Renames, compare, diff, renames_from_hints};
use schema_core::migrations::generate::generate;
use schema_core::parse::parse_schema_str;
use schema_core::render::Postgres;
use schema_runtime::introspect::postgres::introspect;
use schema_runtime::stored::views_as_stored;

use crate::pg::describe_pg_error;

/// Every schema of the database that is not PostgreSQL's own.
fn user_schemas(client: &mut Client) -> Result<Vec<String>, String> {
    client
        .query(
            "SELECT nspname::text FROM pg_namespace
             WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
             ORDER BY 1",
            &[],
        )
        .map(|rows| rows.iter().map(|r| r.get(0)).collect())
        .map_err(|e| format!("cannot list schemas: {e}"))
}

/// What the database holds now, in every user schema.
pub fn live_schema(client: &mut Client) -> Result<Schema, String> {
    let schemas = user_schemas(client)?;
    let schemas: Vec<&str> = schemas.iter().map(String::as_str).collect();
    introspect(client, &schemas).map_err(|e| format!("introspection fails: {e}"))
}

/// What differs between the expected and the live schema: the changes that
/// would turn live into expected, then both sides of each differing object.
fn difference(expected: &Schema, live: &Schema) -> String {
    let mut out = String::new();
    for change in compare(live, expected) {
        let _ = writeln!(out, "  to reach the expected schema: {change}");
    }
    let mut names: Vec<_> = expected.tables.keys().chain(live.tables.keys()).collect();
    names.sort();
    names.dedup();
    for name in names {
        let (e, l) = (expected.tables.get(name), live.tables.get(name));
        if e != l {
            let _ = writeln!(out, "table `{name}`\n  expected: {e:?}\n  live:     {l:?}");
        }
    }
    if expected.enums != live.enums {
        let _ = writeln!(
            out,
            "enums\n  expected: {:?}\n  live:     {:?}",
            expected.enums, live.enums
        );
    }
    if expected.domains != live.domains {
        let _ = writeln!(
            out,
            "domains\n  expected: {:?}\n  live:     {:?}",
            expected.domains, live.domains
        );
    }
    if expected.composites != live.composites {
        let _ = writeln!(
            out,
            "composite types\n  expected: {:?}\n  live:     {:?}",
            expected.composites, live.composites
        );
    }
    if expected.views != live.views {
        let _ = writeln!(
            out,
            "views\n  expected: {:?}\n  live:     {:?}",
            expected.views, live.views
        );
    }
    if expected.sequences != live.sequences {
        let _ = writeln!(
            out,
            "sequences\n  expected: {:?}\n  live:     {:?}",
            expected.sequences, live.sequences
        );
    }
    out
}

/// Runs `sql` in one transaction.
fn run_in_transaction(client: &mut Client, sql: &str) -> Result<(), String> {
    let mut tx = client.transaction().map_err(|e| e.to_string())?;
    tx.batch_execute(sql)
        .map_err(|e| describe_pg_error(&e, sql))?;
    tx.commit().map_err(|e| describe_pg_error(&e, sql))
}

fn parse(shown: &str, text: &str) -> Result<Schema, String> {
    parse_schema_str(shown, text)
        .map_err(|d| format!("{shown} does not parse:\n{}", render_all(&d, false)))
}

/// The round trip on `client`, whose database must be empty: see the module
/// documentation.
///
/// # Errors
/// The first check that fails, with the generated SQL when there is some.
pub fn round_trip(client: &mut Client, from_text: &str, to_text: &str) -> Result<(), String> {
    round_trip_with(client, from_text, to_text, ColumnOrder::Exact)
}

/// [`round_trip`] on a database that also holds rows: `rows_text` (inserts)
/// runs after `from_text`, and every row must read back the same (as record
/// text, whatever table holds it) after up.sql and again after down.sql.
///
/// # Errors
/// The first check that fails, with the generated SQL when there is some.
pub fn round_trip_with_rows(
    client: &mut Client,
    from_text: &str,
    to_text: &str,
    rows_text: &str,
) -> Result<(), String> {
    round_trip_checked(
        client,
        from_text,
        to_text,
        ColumnOrder::Exact,
        Some(rows_text),
    )
}

/// Every row of every table (each partition once), as record text, sorted.
fn every_row(client: &mut Client) -> Result<Vec<String>, String> {
    let schema = live_schema(client)?;
    let mut out = Vec::new();
    for name in schema.tables.keys() {
        let sql = format!("SELECT r::text FROM ONLY {name} AS r");
        let rows = client
            .query(sql.as_str(), &[])
            .map_err(|e| format!("cannot read the rows of `{name}`: {e}"))?;
        out.extend(rows.iter().map(|r| r.get::<_, String>(0)));
    }
    out.sort();
    Ok(out)
}

/// How the checks after up.sql and down.sql compare column order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnOrder {
    /// Columns must be in their order in to.sql (after up) and from.sql (after
    /// down).
    Exact,
    /// Columns compare by name. `ADD COLUMN` appends and PostgreSQL cannot
    /// reorder columns, so a column that down.sql restores comes back last,
    /// and one that to.sql drops and declares again before others stays
    /// where it was; the diff ignores column order too.
    Ignored,
}

/// The same schema with every table's columns sorted by name.
fn columns_by_name(schema: &Schema) -> Schema {
    let mut schema = schema.clone();
    schema
        .tables
        .update_where(|_| true, |t| t.columns.sort_by(|a, b| a.name.cmp(&b.name)));
    schema
}

/// [`round_trip`], with a choice of how the checks after up.sql and down.sql
/// treat column order.
///
/// # Errors
/// The first check that fails, with the generated SQL when there is some.
pub fn round_trip_with(
    client: &mut Client,
    from_text: &str,
    to_text: &str,
    order: ColumnOrder,
) -> Result<(), String> {
    round_trip_checked(client, from_text, to_text, order, None)
}

/// The round trip, with rows when `rows_text` is some (see
/// [`round_trip_with_rows`]).
fn round_trip_checked(
    client: &mut Client,
    from_text: &str,
    to_text: &str,
    order: ColumnOrder,
    rows_text: Option<&str>,
) -> Result<(), String> {
    let same = |live: &Schema, expected: &Schema| {
        // A project that ignores privileges compares without them.
        let live = if expected.privileges_ignored {
            live.clone().ignoring_privileges()
        } else {
            live.clone()
        };
        match order {
            ColumnOrder::Exact => live == *expected,
            ColumnOrder::Ignored => columns_by_name(&live) == columns_by_name(expected),
        }
    };
    let from = parse("from.sql", from_text)?;
    let to = parse("to.sql", to_text)?;
    client.batch_execute(from_text).map_err(|e| {
        format!(
            "PostgreSQL rejects from.sql: {}",
            describe_pg_error(&e, from_text)
        )
    })?;
    // Views compare by the text PostgreSQL stores for their query (the
    // database is the judge): the parsed views are given it; nothing else.
    let from_stored = views_as_stored(client, &from);
    let live = live_schema(client)?;
    if live != from_stored {
        return Err(format!(
            "sanity: the database holding from.sql differs from its parsed model\n{}",
            difference(&from_stored, &live)
        ));
    }
    let rows = match rows_text {
        Some(text) => {
            client.batch_execute(text).map_err(|e| {
                format!(
                    "PostgreSQL rejects rows.sql: {}",
                    describe_pg_error(&e, text)
                )
            })?;
            Some(every_row(client)?)
        }
        None => None,
    };
    let rows_kept = |client: &mut Client, when: &str| -> Result<(), String> {
        let Some(before) = &rows else { return Ok(()) };
        let now = every_row(client)?;
        if now == *before {
            Ok(())
        } else {
            Err(format!(
                "{when} the rows differ\n  before: {before:?}\n  now:    {now:?}"
            ))
        }
    };
    let renames = renames_from_hints(&from, &to)
        .map_err(|d| format!("rename hints are rejected:\n{}", render_all(&d, false)))?;
    let migration =
        generate(&from, &to, &renames, &Postgres).map_err(|e| format!("generate fails: {e}"))?;
    let (up, down) = (migration.up_sql(), migration.down_sql());
    let with_sql = |message: String| {
        format!("{message}\n--- up.sql ---\n{up}--- down.sql ---\n{down}--- end ---")
    };
    if std::env::var_os("SCHEMA_DIFF_SHOW").is_some() {
        eprintln!("{}", with_sql(String::from("generated")));
    }
    run_in_transaction(client, &up)
        .map_err(|e| with_sql(format!("PostgreSQL rejects up.sql: {e}")))?;
    let to = views_as_stored(client, &to);
    let live = live_schema(client).map_err(&with_sql)?;
    if !same(&live, &to) {
        return Err(with_sql(format!(
            "after up.sql the database differs from to.sql\n{}",
            difference(&to, &live)
        )));
    }
    rows_kept(client, "after up.sql").map_err(&with_sql)?;
    let churn = diff(&live, &to, &Renames::default());
    if !churn.is_empty() {
        let listed: Vec<String> = churn.iter().map(|c| format!("  {c}")).collect();
        return Err(with_sql(format!(
            "after up.sql the diff against to.sql is not empty:\n{}",
            listed.join("\n")
        )));
    }
    run_in_transaction(client, &down)
        .map_err(|e| with_sql(format!("PostgreSQL rejects down.sql: {e}")))?;
    let live = live_schema(client).map_err(&with_sql)?;
    if !same(&live, &from_stored) {
        return Err(with_sql(format!(
            "after down.sql the database differs from from.sql\n{}",
            difference(&from_stored, &live)
        )));
    }
    rows_kept(client, "after down.sql").map_err(&with_sql)?;
    Ok(())
}
