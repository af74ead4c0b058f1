//! The pg_dump round trip: a database built by hand
//! (`tests/fixtures/pg_dump/round_trip/source.sql`) is dumped with `pg_dump
//! --schema-only`; the dump, read as schema.sql, gives the migration `schema
//! new` would write from an empty history; that migration, run on a fresh
//! database, must give the same dump (statement by statement, after sorting)
//! and the same catalog facts, and leave nothing to diff (views compared by
//! the query PostgreSQL stores for them). Owners and privileges are dumped
//! too (the roles are the test harness's).

#![allow(clippy::panic, reason = "a test reports failure by panicking")]

use std::path::Path;
use std::process::Command;

use schema_core::Schema;
use schema_core::diagnostic::render_all;
use schema_core::diff::{Renames, diff};
use schema_core::migrations::generate::generate;
use schema_core::parse::parse_schema_str;
use schema_core::render::Postgres;
use schema_test_support::pg::{self, TestDatabase, catalog_facts, describe_pg_error};
use schema_test_support::roundtrip::live_schema;

/// `pg_dump --schema-only` of `database`, or why it could not run.
fn dump(database: &TestDatabase) -> Result<String, String> {
    let output = Command::new("pg_dump")
        .args(["--schema-only", "-d"])
        .arg(database.url())
        .output()
        .map_err(|e| format!("cannot run pg_dump: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "pg_dump fails: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("pg_dump output is not UTF-8: {e}"))
}

/// The dump's statements, sorted: comments, psql's `\restrict` lines (whose
/// key is random) and blank lines left out.
fn statements(dump: &str) -> Vec<String> {
    let text: Vec<&str> = dump
        .lines()
        .filter(|l| !l.starts_with("--") && !l.starts_with('\\') && !l.trim().is_empty())
        .collect();
    let mut out: Vec<String> = text
        .join("\n")
        .split(";\n")
        .map(|s| s.trim().trim_end_matches(';').to_string())
        .filter(|s| !s.is_empty())
        .collect();
    out.sort();
    out
}

fn only_in<'a>(a: &'a [String], b: &[String]) -> Vec<&'a String> {
    a.iter().filter(|s| !b.contains(s)).collect()
}

#[test]
fn a_pg_dump_read_as_schema_sql_rebuilds_the_same_database() {
    let Some(server) = pg::server() else {
        return;
    };
    let source_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pg_dump/round_trip/source.sql");
    let source = std::fs::read_to_string(&source_path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", source_path.display()));

    let original = server.create_database("schema_dump_src");
    original
        .connect()
        .batch_execute(&source)
        .unwrap_or_else(|e| panic!("source.sql: {}", describe_pg_error(&e, &source)));
    let first = match dump(&original) {
        Ok(text) => text,
        Err(reason) if std::env::var_os("SCHEMA_TEST_REQUIRE_DB").is_none() => {
            eprintln!("skipped: {reason}");
            return;
        }
        Err(reason) => panic!("{reason}"),
    };

    let declared = parse_schema_str("dump.sql", &first).unwrap_or_else(|d| {
        panic!(
            "the dump does not parse:\n{}\n{first}",
            render_all(&d, false)
        )
    });
    let migration = generate(&Schema::new(), &declared, &Renames::default(), &Postgres)
        .unwrap_or_else(|e| panic!("generate fails: {e}"));
    let up = migration.up_sql();

    let rebuilt = server.create_database("schema_dump_new");
    let mut client = rebuilt.connect();
    {
        let mut tx = client.transaction().unwrap_or_else(|e| panic!("{e}"));
        tx.batch_execute(&up)
            .unwrap_or_else(|e| panic!("up.sql: {}\n{up}", describe_pg_error(&e, &up)));
        tx.commit().unwrap_or_else(|e| panic!("{e}"));
    }
    let second = dump(&rebuilt).unwrap_or_else(|e| panic!("{e}"));

    let (a, b) = (statements(&first), statements(&second));
    assert!(
        a == b,
        "the dumps differ\n--- only in the original's dump:\n{}\n--- only in the rebuilt one's:\n{}\n--- up.sql:\n{up}",
        only_in(&a, &b)
            .iter()
            .map(|s| format!("{s};"))
            .collect::<Vec<_>>()
            .join("\n"),
        only_in(&b, &a)
            .iter()
            .map(|s| format!("{s};"))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let facts =
        |db: &TestDatabase| catalog_facts(&mut db.connect()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(facts(&original), facts(&rebuilt), "catalog facts differ");

    let live = live_schema(&mut client).unwrap_or_else(|e| panic!("{e}"));
    // A view's query compares as PostgreSQL stores it (the dump's text is
    // qualified for an empty search path); owners and default privileges of
    // the role connected are the ones the model leaves unnamed: the database
    // says both.
    let declared = schema_runtime::stored::as_stored(&mut client, &declared);
    let left = diff(&live, &declared, &Renames::default());
    assert!(
        left.is_empty(),
        "after up the diff is not empty: {}",
        left.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    );
    // The statements checked are many: a dump that lost most of them would
    // compare equal too.
    assert!(a.len() > 60, "only {} statements in the dump", a.len());
}
