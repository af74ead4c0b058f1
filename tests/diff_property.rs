//! The round trip of `diff_postgres.rs` on random schema pairs
//! (`schema_test_support::schemagen`): a database holding `from` is what `from` parses to;
//! the generated up leaves a database PostgreSQL reports as `to`, with nothing
//! left to diff; the generated down brings `from` back.
//!
//! `SCHEMA_PROPTEST_CASES` sets the number of cases (200 by default),
//! `SCHEMA_PROPTEST_WORKERS` the threads that share them (2), and
//! `SCHEMA_PROPTEST_SEED` the seed (random, printed on failure). Each worker
//! has one database, emptied between cases (`DROP SCHEMA public CASCADE`), and
//! shrinks its first failure to a minimal pair, printed as from.sql and to.sql
//! with the generated migration and PostgreSQL's error. Failures are not
//! persisted: rerun with the printed seed.

#![allow(clippy::panic, reason = "a test reports failure by panicking")]

use std::cell::RefCell;
use std::time::Instant;

use postgres::Client;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};
use schema_core::diagnostic::render_all;
use schema_core::diff::renames_from_hints;
use schema_core::parse::parse_schema_str;
use schema_test_support::pg;
use schema_test_support::replay::generated_history_is_clean;
use schema_test_support::roundtrip::{ColumnOrder, round_trip_with};
use schema_test_support::runs::{env_number, on_workers, seed};
use schema_test_support::schemagen::{SchemaPair, schema_pair_strategy};

/// The variable that sets the seed.
const SEED_VAR: &str = "SCHEMA_PROPTEST_SEED";

fn config(cases: u32, seed: u64) -> Config {
    Config {
        cases,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(seed),
        max_shrink_iters: 2048,
        max_shrink_time: 120_000,
        ..Config::default()
    }
}

/// Empties the database: the enum types live in `public` and go with it
/// (which comes back with the comment a new database gives it).
fn reset(client: &mut Client) -> Result<(), String> {
    client
        .batch_execute(
            "DROP SCHEMA public CASCADE; CREATE SCHEMA public;
             COMMENT ON SCHEMA public IS 'standard public schema';",
        )
        .map_err(|e| format!("cannot empty the database: {e}"))
}

/// The generator's own check, without a server: both texts parse, the
/// rename hints of `to` name columns and tables of `from`, and the generated
/// migrations replay without errors and leave no drift.
#[test]
fn generated_schema_pairs_parse_and_their_hints_match() {
    let seed = seed(SEED_VAR);
    let mut runner = TestRunner::new(config(256, seed));
    let result = runner.run(&schema_pair_strategy(), |pair| {
        let parse = |name: &str, text: &str| {
            parse_schema_str(name, text).map_err(|d| {
                TestCaseError::fail(format!("{name} does not parse:\n{}", render_all(&d, false)))
            })
        };
        let from = parse("from.sql", &pair.from_sql)?;
        let to = parse("to.sql", &pair.to_sql)?;
        renames_from_hints(&from, &to).map_err(|d| {
            TestCaseError::fail(format!(
                "rename hints are rejected:\n{}",
                render_all(&d, false)
            ))
        })?;
        // Our own migrations pass our own analysis: replayed, with no drift.
        generated_history_is_clean(&pair.from_sql, &pair.to_sql).map_err(TestCaseError::fail)?;
        Ok(())
    });
    if let Err(e) = result {
        panic!("seed {seed}: {e}");
    }
}

/// Runs `cases` cases on `client` and returns the minimal failing pair, if any.
fn run_worker(client: Client, cases: u32, seed: u64) -> Option<String> {
    let mut client = client;
    // Commits need not wait for the disk: the database is thrown away.
    if let Err(e) = client.batch_execute("SET synchronous_commit = off") {
        return Some(format!("cannot configure the connection: {e}"));
    }
    let client = RefCell::new(client);
    let mut runner = TestRunner::new(config(cases, seed));
    let result = runner.run(&schema_pair_strategy(), |pair: SchemaPair| {
        let mut client = client.borrow_mut();
        reset(&mut client).map_err(TestCaseError::fail)?;
        round_trip_with(
            &mut client,
            &pair.from_sql,
            &pair.to_sql,
            ColumnOrder::Ignored,
        )
        .map_err(TestCaseError::fail)
    });
    match result {
        Ok(()) => None,
        Err(TestError::Fail(reason, pair)) => Some(format!(
            "minimal failing pair (seed {seed}):{pair:?}{}",
            reason.message()
        )),
        Err(e) => Some(format!("seed {seed}: {e}")),
    }
}

#[test]
fn generated_migrations_of_random_schema_pairs_go_up_and_down_on_postgres() {
    let Some(server) = pg::server() else {
        return;
    };
    let cases = env_number("SCHEMA_PROPTEST_CASES", 200);
    let workers = env_number("SCHEMA_PROPTEST_WORKERS", 2).clamp(1, 64);
    let seed = seed(SEED_VAR);
    let started = Instant::now();
    let failures = on_workers(cases, workers, |w, share| {
        let database = server.create_database("schema_prop");
        run_worker(database.connect(), share, seed.wrapping_add(w))
            .map(|f| format!("(database `{}`): {f}", database.name()))
    });
    eprintln!(
        "{cases} cases on {workers} workers (seed {seed}) in {:.1?}",
        started.elapsed()
    );
    assert!(
        failures.is_empty(),
        "{} of {workers} workers found a failing pair (rerun one with \
         SCHEMA_PROPTEST_SEED=<seed> SCHEMA_PROPTEST_WORKERS=1):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
