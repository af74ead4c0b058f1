//! The SQLite round trip of `sqlite_roundtrip.rs` on random schema pairs
//! (`schema_test_support::schemagen`, SQLite-friendly): an in-memory database
//! created from `from` with the SQLite renderer, a few rows inserted in each
//! table, the generated up applied (foreign keys off around rebuilds); the live
//! schema is `to` (column order ignored, comments cleared), nothing is left to
//! diff, the surviving tables keep their rows; the generated down brings `from`
//! back with the rows. Pairs the renderer reports unsupported are skipped and
//! counted (at least half must run); a migration that fails on the inserted
//! rows (a new `NOT NULL`, `CHECK` or foreign key they break, or a down that
//! restores a `NOT NULL` column the destructive up dropped, as PostgreSQL
//! would refuse too) is run again on empty tables.
//!
//! `SCHEMA_PROPTEST_CASES` sets the number of cases (200 by default) and
//! `SCHEMA_PROPTEST_SEED` the seed (random, printed on failure). A failure is
//! shrunk to a minimal pair, printed as from.sql and to.sql with the generated
//! migration and SQLite's error.

#![allow(clippy::panic, reason = "a test reports failure by panicking")]

mod support_sqlite;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::time::Instant;

use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};
use schema_test_support::schemagen::{SchemaPair, schema_pair_strategy_for};
use support_sqlite::{Outcome, round_trip};

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => match v.trim().parse() {
            Ok(n) => n,
            Err(e) => panic!("{name}={v} is not a number: {e}"),
        },
        Err(_) => default,
    }
}

/// A seed from the clock and the process id, unless `SCHEMA_PROPTEST_SEED` is set.
fn seed() -> u64 {
    let clock = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or_default();
    env_number(
        "SCHEMA_PROPTEST_SEED",
        clock ^ u64::from(std::process::id()).rotate_left(32),
    )
}

/// What became of the cases, by kind.
#[derive(Default)]
struct Tally {
    with_rows: u64,
    without_rows: u64,
    /// Unsupported cases by the first line of the reason, without the object.
    unsupported: BTreeMap<String, u64>,
}

/// The reason with names in backquotes blanked, so that reasons group.
fn kind_of(reason: &str) -> String {
    let line = reason.lines().next().unwrap_or_default();
    let mut out = String::new();
    let mut quoted = false;
    for c in line.chars() {
        if c == '`' {
            quoted = !quoted;
            if quoted {
                out.push_str("`…`");
            }
        } else if !quoted {
            out.push(c);
        }
    }
    out
}

#[test]
fn generated_migrations_of_random_schema_pairs_go_up_and_down_on_sqlite() {
    let cases = u32::try_from(env_number("SCHEMA_PROPTEST_CASES", 200)).unwrap_or(u32::MAX);
    let seed = seed();
    let started = Instant::now();
    let tally = RefCell::new(Tally::default());
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(seed),
        max_shrink_iters: 4096,
        max_shrink_time: 120_000,
        ..Config::default()
    });
    let result = runner.run(&schema_pair_strategy_for(true), |pair: SchemaPair| {
        let outcome = match round_trip(&pair.from_sql, &pair.to_sql, None, true) {
            // The up destroyed data the down cannot make up (a `NOT NULL`
            // column without a default dropped, then restored): the down
            // fails on the rows as it would on PostgreSQL. Again without rows.
            Err(e) if e.starts_with("down:") && e.contains("up.sql destroys data") => {
                round_trip(&pair.from_sql, &pair.to_sql, None, false)
                    .map_err(|again| format!("{e}\nwithout rows: {again}"))
                    .map_err(TestCaseError::fail)?;
                Outcome::RanWithoutRows(e)
            }
            other => other.map_err(TestCaseError::fail)?,
        };
        let mut tally = tally.borrow_mut();
        match outcome {
            Outcome::Ran => tally.with_rows += 1,
            Outcome::RanWithoutRows(_) => tally.without_rows += 1,
            Outcome::Unsupported(why) => *tally.unsupported.entry(kind_of(&why)).or_default() += 1,
        }
        Ok(())
    });
    match result {
        Ok(()) => {}
        Err(TestError::Fail(reason, pair)) => panic!(
            "minimal failing pair (seed {seed}, rerun with SCHEMA_PROPTEST_SEED={seed}):{pair:?}{}",
            reason.message()
        ),
        Err(e) => panic!("seed {seed}: {e}"),
    }
    let tally = tally.into_inner();
    let unsupported: u64 = tally.unsupported.values().sum();
    let ran = tally.with_rows + tally.without_rows;
    eprintln!(
        "{cases} cases (seed {seed}) in {:.1?}: {} ran with rows, {} only on empty \
         tables, {unsupported} unsupported on SQLite",
        started.elapsed(),
        tally.with_rows,
        tally.without_rows,
    );
    for (why, n) in &tally.unsupported {
        eprintln!("  {n:>4} unsupported: {why}");
    }
    assert!(
        ran * 2 >= u64::from(cases),
        "only {ran} of {cases} cases ran on SQLite (seed {seed})"
    );
}
