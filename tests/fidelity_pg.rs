//! The fidelity suite of issue 9 on a real PostgreSQL: what the user wrote
//! reaches the database unchanged.
//!
//! For each fixture of `fidelity_pg/fixtures.rs`, each fixture of the canonical
//! suite (`tests/fixtures/canonical/`, its migrations replayed) and each case
//! the property test generates, the user's `schema.sql` runs as written in one database;
//! what `schema new` writes for it from an empty history runs, through the
//! migrator's `up`, in another. Then (`fidelity_pg/check.rs`):
//! - the catalog text PostgreSQL stores for both (`pg_get_expr`,
//!   `pg_get_indexdef`, `pg_get_constraintdef`, `format_type`, `pg_sequence`,
//!   `reloptions`, ...: `support/catalog_facts.sql`) is byte-equal;
//! - parsing our up.sql gives the declared model back, and `schema check`
//!   after `schema new` (the replay of that migration) is clean;
//! - `verify` right after `up` is clean;
//! - `diff --from <database>` to the declaration is empty, for our database
//!   and for the user's.
//!
//! Every fixture runs (in parallel, each on two emptied databases) and every
//! failing one is reported, with its schema.sql, our up.sql and each problem.
//! `FIDELITY_ONLY=<text>[,<text>...]` keeps the fixtures whose name contains one;
//! `FIDELITY_REPORT=<file>` also writes the report of every failure and a
//! summary line per fixture to that file.
//!
//! Run just this suite with `cargo test --test fidelity_pg`.

#![allow(clippy::panic, reason = "a test reports failure by panicking")]

#[path = "fidelity_pg/check.rs"]
mod check;
#[path = "fidelity_pg/fixtures.rs"]
mod fixtures;
#[path = "fidelity_pg/gen.rs"]
mod gen_case;

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};
use schema_core::Schema;
use schema_core::diagnostic::render_all;
use schema_core::migrations::generate::generate;
use schema_core::parse::parse_schema_str;
use schema_core::render::Postgres;

use check::{Outcome, check};
use fixtures::FIXTURES;
use gen_case::{Case, case_strategy, schema_strategy};
use schema_test_support::pg::{self, Server, TestDatabase};
use schema_test_support::runs::{env_number, on_workers, seed};

/// The variable that sets the property tests' seed.
const SEED_VAR: &str = "FIDELITY_PROPTEST_SEED";

/// Parallel workers for the fixtures (each holds two databases at a time).
const WORKERS: usize = 4;

/// Writes `text` to `FIDELITY_REPORT` when it is set.
fn write_report(text: &str) {
    if let Ok(path) = std::env::var("FIDELITY_REPORT") {
        if let Err(e) = std::fs::write(&path, text) {
            panic!("cannot write FIDELITY_REPORT={path}: {e}");
        }
    }
}

#[test]
fn fixture_names_are_unique_and_the_suite_is_large_enough() {
    let mut seen = BTreeSet::new();
    for f in FIXTURES {
        assert!(
            seen.insert(f.name),
            "fixture `{}` is declared twice",
            f.name
        );
        assert!(
            f.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "fixture name `{}` is not snake_case",
            f.name
        );
    }
    assert!(
        FIXTURES.len() >= 130,
        "the fidelity suite has {} fixtures, fewer than 130",
        FIXTURES.len()
    );
}

/// The fixtures of the canonical suite, named `canonical_<file stem>`: its
/// `schema.sql` files (`tests/fixtures/canonical/*.sql`) and its migrations
/// (`tests/fixtures/canonical/migrations/*.sql`, replayed): each must reach
/// PostgreSQL as written too.
fn canonical_fixtures() -> Vec<fixtures::Fixture> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/canonical");
    let mut out = Vec::new();
    for (dir, as_migration) in [(dir.clone(), false), (dir.join("migrations"), true)] {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) => panic!("cannot list {}: {e}", dir.display()),
        };
        let mut paths: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "sql"))
            .collect();
        paths.sort();
        for path in paths {
            let sql = match std::fs::read_to_string(&path) {
                Ok(sql) => sql,
                Err(e) => panic!("cannot read {}: {e}", path.display()),
            };
            let stem = path.file_stem().unwrap_or_default().to_string_lossy();
            out.push(fixtures::Fixture {
                name: Box::leak(format!("canonical_{stem}").into_boxed_str()),
                sql: Box::leak(sql.into_boxed_str()),
                refused: None,
                as_migration,
            });
        }
    }
    out
}

/// Each fixture on two empty databases: see the module documentation.
#[test]
fn fixtures_reach_postgres_as_written() {
    let Some(server) = pg::server() else {
        return;
    };
    let only = std::env::var("FIDELITY_ONLY").ok();
    let canonical = canonical_fixtures();
    let fixtures: Vec<_> = FIXTURES
        .iter()
        .chain(&canonical)
        .filter(|f| {
            only.as_deref()
                .is_none_or(|o| o.split(',').any(|o| f.name.contains(o.trim())))
        })
        .collect();
    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(&str, &str, Outcome)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..WORKERS.min(fixtures.len()) {
            scope.spawn(|| {
                // Dropping a database costs a checkpoint: each worker keeps
                // its two and empties them before each fixture.
                let user = database(&server, "schema_fid_user");
                let ours = database(&server, "schema_fid_ours");
                while let Some(f) = fixtures.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let outcome = match reset(&user).and_then(|()| reset(&ours)) {
                        Ok(()) => check(f.sql, f.refused, f.as_migration, &user, &ours),
                        Err(e) => Outcome::broken(e),
                    };
                    let verdict = if outcome.problems.is_empty() {
                        "ok    "
                    } else {
                        "FAILED"
                    };
                    eprintln!("{verdict} {}", f.name);
                    results
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push((f.name, f.sql, outcome));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(PoisonError::into_inner);
    results.sort_by_key(|(name, _, _)| *name);
    let failing: Vec<_> = results
        .iter()
        .filter(|(_, _, o)| !o.problems.is_empty())
        .collect();
    let mut report = String::new();
    for (name, sql, outcome) in &failing {
        report.push_str(&outcome.report(name, sql));
        report.push('\n');
    }
    report.push_str(&format!(
        "{} of {} fixtures fail ({:.1?}):\n",
        failing.len(),
        results.len(),
        started.elapsed()
    ));
    for (name, _, outcome) in &failing {
        report.push_str(&format!("  {name}: {}\n", outcome.summary()));
    }
    write_report(&report);
    assert!(failing.is_empty(), "{report}");
}

/// The proptest configuration: `cases` cases from `seed`, not persisted, and a
/// shrink bounded by `shrink_iters` steps and 30 s (a step on a server costs a
/// check on two databases).
fn config(cases: u32, seed: u64, shrink_iters: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(seed),
        max_shrink_iters: shrink_iters,
        max_shrink_time: 30_000,
        ..Config::default()
    }
}

/// Parse → canonical model → our rendering → parse: the same model, for
/// random constants and chains (no server needed). `FIDELITY_PROPTEST_CASES`
/// (64) times four cases; `FIDELITY_PROPTEST_SEED` sets the seed (random,
/// printed on failure).
#[test]
fn generated_defaults_and_checks_round_trip_through_the_model() {
    let seed = seed(SEED_VAR);
    let cases = u32::try_from(env_number("FIDELITY_PROPTEST_CASES", 64) * 4).unwrap_or(256);
    let mut runner = TestRunner::new(config(cases, seed, 4096));
    let result = runner.run(&case_strategy(), |case: Case| {
        let declared = parse_schema_str("schema.sql", &case.sql).map_err(|d| {
            TestCaseError::fail(format!("schema.sql does not parse:\n{}", render_all(&d, false)))
        })?;
        let up = generate(&Schema::new(), &declared, &Default::default(), &Postgres)
            .map_err(|e| TestCaseError::fail(format!("generate fails: {e}")))?
            .up_sql();
        let reparsed = parse_schema_str("up.sql", &up).map_err(|d| {
            TestCaseError::fail(format!(
                "our up.sql does not parse:\n{up}\n{}",
                render_all(&d, false)
            ))
        })?;
        if reparsed != declared {
            let changes: Vec<String> = schema_core::diff::compare(&reparsed, &declared)
                .iter()
                .map(|c| format!("  {c}"))
                .collect();
            return Err(TestCaseError::fail(format!(
                "parsing our up.sql gives another model:\n--- our up.sql\n{up}--- changes back to the declared model\n{}",
                changes.join("\n")
            )));
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("seed {seed} (rerun with FIDELITY_PROPTEST_SEED={seed}): {e}");
    }
}

/// A new database whose sessions do not wait for the disk on commit (it is
/// thrown away), the migrator's included.
fn database(server: &Server, prefix: &str) -> TestDatabase {
    let database = server.create_database(prefix);
    let sql = format!(
        "ALTER DATABASE \"{}\" SET synchronous_commit TO off",
        database.name()
    );
    if let Err(e) = database.connect().batch_execute(&sql) {
        panic!("cannot configure `{}`: {e}", database.name());
    }
    database
}

/// Empties a database between cases (every extension, schema, publication,
/// event trigger and user cast but
/// PostgreSQL's own go; `public` comes back empty, with the owner, privileges
/// and comment a new database gives it; default privileges are PostgreSQL's
/// own again), and
/// checks that nothing is left.
fn reset(database: &TestDatabase) -> Result<(), String> {
    let mut client = database.connect();
    client
        .batch_execute(
            "DO $$ DECLARE r record; BEGIN
               -- Publications, event triggers and casts belong to no schema.
               FOR r IN SELECT pubname FROM pg_publication LOOP
                 EXECUTE format('DROP PUBLICATION %I', r.pubname);
               END LOOP;
               FOR r IN SELECT evtname FROM pg_event_trigger LOOP
                 EXECUTE format('DROP EVENT TRIGGER %I', r.evtname);
               END LOOP;
               FOR r IN SELECT format_type(castsource, NULL) AS s, format_type(casttarget, NULL) AS t
                        FROM pg_cast c WHERE c.oid >= 16384 AND NOT EXISTS (
                          SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_cast'::regclass
                            AND d.objid = c.oid AND d.deptype IN ('e', 'i')) LOOP
                 EXECUTE format('DROP CAST IF EXISTS (%s AS %s) CASCADE', r.s, r.t);
               END LOOP;
               -- Tables and materialized views first: dropping a schema that holds
               -- an extension whose operator class takes options (`ext.gist_trgm_ops
               -- (siglen = 64)`) before the table of an index using it fails in
               -- PostgreSQL 15 (cache lookup failed for function, or operator
               -- class has no options), depending on the order of the schemas.
               FOR r IN SELECT format('%I.%I', n.nspname, c.relname) AS rel, c.relkind = 'm' AS mat
                        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE c.relkind IN ('r', 'p', 'm') AND NOT c.relispartition
                          AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
                          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                            AND d.objid = c.oid AND d.deptype = 'e') LOOP
                 IF r.mat THEN
                   EXECUTE format('DROP MATERIALIZED VIEW IF EXISTS %s CASCADE', r.rel);
                 ELSE
                   EXECUTE format('DROP TABLE IF EXISTS %s CASCADE', r.rel);
                 END IF;
               END LOOP;
               FOR r IN SELECT nspname FROM pg_namespace
                        WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' LOOP
                 EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname);
               END LOOP;
               FOR r IN SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' LOOP
                 EXECUTE format('DROP EXTENSION IF EXISTS %I CASCADE', r.extname);
               END LOOP;
             END $$;
             -- Default privileges for every schema go back to PostgreSQL's own.
             DO $$ DECLARE r record; BEGIN
               FOR r IN SELECT d.defaclrole::regrole::text AS role, d.defaclobjtype AS t,
                               CASE d.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES'
                                    WHEN 'f' THEN 'FUNCTIONS' WHEN 'T' THEN 'TYPES' ELSE 'SCHEMAS' END AS what
                        FROM pg_default_acl d WHERE d.defaclnamespace = 0 LOOP
                 EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %s REVOKE ALL ON %s FROM PUBLIC, schema_test_reader, schema_test_writer, schema_test_admin', r.role, r.what);
                 EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %s GRANT ALL ON %s TO %s', r.role, r.what, r.role);
                 IF r.t IN ('f', 'T') THEN
                   EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %s GRANT ALL ON %s TO PUBLIC', r.role, r.what);
                 END IF;
               END LOOP;
             END $$;
             CREATE SCHEMA public AUTHORIZATION pg_database_owner;
             GRANT USAGE ON SCHEMA public TO PUBLIC;
             COMMENT ON SCHEMA public IS 'standard public schema';",
        )
        .map_err(|e| {
            format!(
                "cannot empty `{}`: {}",
                database.name(),
                pg::describe_pg_error(&e, "the reset")
            )
        })?;
    let left = pg::catalog_facts(&mut client)?;
    if left.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not empty after a reset: {left:?}",
            database.name()
        ))
    }
}

fn run_worker(
    server: &Server,
    strategy: &impl proptest::strategy::Strategy<Value = Case>,
    cases: u32,
    seed: u64,
) -> Option<String> {
    let user = database(server, "schema_fidp_user");
    let ours = database(server, "schema_fidp_ours");
    let dbs = RefCell::new((user, ours));
    let mut runner = TestRunner::new(config(cases, seed, 128));
    let result = runner.run(strategy, |case: Case| {
        let dbs = dbs.borrow();
        reset(&dbs.0)
            .and_then(|()| reset(&dbs.1))
            .map_err(TestCaseError::fail)?;
        let outcome = check(&case.sql, None, false, &dbs.0, &dbs.1);
        if outcome.problems.is_empty() {
            Ok(())
        } else {
            Err(TestCaseError::fail(
                outcome.report("generated case", &case.sql),
            ))
        }
    });
    match result {
        Ok(()) => None,
        Err(TestError::Fail(reason, case)) => Some(format!(
            "minimal failing case (seed {seed}):{case:?}{}",
            reason.message()
        )),
        Err(e) => Some(format!("seed {seed}: {e}")),
    }
}

/// Random constants and chains as defaults and checks: catalog equality,
/// clean check, verify and diff on PostgreSQL, as for the fixtures.
/// `FIDELITY_PROPTEST_CASES` cases (64) on two workers, each with two
/// databases emptied between cases; `FIDELITY_PROPTEST_SEED` sets the seed.
#[test]
fn generated_defaults_and_checks_reach_postgres_as_written() {
    let Some(server) = pg::server() else {
        return;
    };
    let cases = env_number("FIDELITY_PROPTEST_CASES", 64);
    let workers = 2u64;
    let seed = seed(SEED_VAR);
    let started = Instant::now();
    let failures = on_workers(cases, workers, |w, share| {
        run_worker(&server, &case_strategy(), share, seed.wrapping_add(w))
    });
    eprintln!(
        "{cases} cases on {workers} workers (seed {seed}) in {:.1?}",
        started.elapsed()
    );
    assert!(
        failures.is_empty(),
        "{} of {workers} workers found a failing case (rerun one with FIDELITY_PROPTEST_SEED=<seed>):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Whole random schemas (`gen_case::schema_strategy`: every modelled kind of
/// object) checked as the fixtures are. `FIDELITY_SCHEMA_CASES` cases (16) on
/// two workers; `FIDELITY_PROPTEST_SEED` sets the seed.
#[test]
fn generated_schemas_reach_postgres_as_written() {
    let Some(server) = pg::server() else {
        return;
    };
    let cases = env_number("FIDELITY_SCHEMA_CASES", 16);
    let workers = 2u64;
    let seed = seed(SEED_VAR);
    let started = Instant::now();
    let failures = on_workers(cases, workers, |w, share| {
        run_worker(&server, &schema_strategy(), share, seed.wrapping_add(w))
    });
    eprintln!(
        "{cases} schemas on {workers} workers (seed {seed}) in {:.1?}",
        started.elapsed()
    );
    assert!(
        failures.is_empty(),
        "{} of {workers} workers found a failing schema (rerun one with FIDELITY_PROPTEST_SEED=<seed>):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
