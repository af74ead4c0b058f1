//! The migrator's cost over the SQL it runs.
//!
//! 1. 1,000 generated migrations applied by the [`Migrator`] against the same
//!    SQL executed raw (each migration's script in a transaction of its own),
//!    on SQLite (a file in a temporary directory, and in memory) and on
//!    PostgreSQL (one `batch_execute` per migration on one session). These runs
//!    take seconds each and this machine is shared, so they are *paired*: each
//!    round runs both, in alternating order, on fresh databases, and the
//!    median of the rounds' ratios is reported (criterion's sampling, all of one
//!    then all of the other, turned load drift into ±50% swings here).
//!    PostgreSQL is also compared with one `psql` session running the same
//!    scripts from a file, each between `BEGIN` and `COMMIT` (psql sends each
//!    statement on its own: four round trips or more per migration, where the
//!    raw runner above and the migrator send one), when `psql` is on the PATH.
//! 2. With criterion: `status` on 1,000 applied migrations, and an `up` with
//!    nothing to do right after opening or connecting.
//!
//! Goals: SQLite bookkeeping ≤ 10%, PostgreSQL ≤ 1.05×, nothing-to-do `up` ≤
//! 20 ms. PostgreSQL is the server of `schema_test_support::pg`
//! (`SCHEMA_TEST_PG_URL`), skipped when unreachable.
//!
//! `cargo bench -p schema-runtime --bench migrator [-- FILTER]`; FILTER (a
//! substring) picks benchmarks, e.g. `paired/sqlite`, `postgres`, `status`,
//! `paired/postgres_psql`.
//! `SCHEMA_BENCH_ROUNDS` sets the paired rounds (default 5).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use schema_test_support::pg;

use std::cell::OnceCell;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, SamplingMode};
use schema_core::Source;
use schema_core::migrations::replay::replay;
use schema_core::migrations::{MigrationFiles, checksum, dialects};
use schema_core::render::Sqlite;
use schema_runtime::driver::postgres::PostgresDriver;
use schema_runtime::driver::sqlite::SqliteDriver;
use schema_runtime::{Migration, Migrator, Script};

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// `n` migrations: table `t<k>` created (four columns, an index), then
/// altered (a column, another index), alternately; rendered as the CLI does.
fn generated(n: usize) -> &'static [Migration] {
    let files: Vec<MigrationFiles> = (0..n)
        .map(|i| {
            let k = i / 2;
            let (slug, up, down) = if i % 2 == 0 {
                (
                    format!("create_t{k}"),
                    format!(
                        "CREATE TABLE t{k} (\n    id bigint PRIMARY KEY,\n    name text NOT NULL,\n    \
                         score integer,\n    created_at timestamptz NOT NULL DEFAULT now()\n);\n\
                         CREATE INDEX t{k}_name_idx ON t{k} (name);\n"
                    ),
                    format!("DROP TABLE t{k};\n"),
                )
            } else {
                (
                    format!("alter_t{k}"),
                    format!(
                        "ALTER TABLE t{k} ADD COLUMN note text;\n\
                         CREATE INDEX t{k}_score_idx ON t{k} (score);\n"
                    ),
                    format!("DROP INDEX t{k}_score_idx;\nALTER TABLE t{k} DROP COLUMN note;\n"),
                )
            };
            let version = 20_000_000_000_000 + i as u64;
            MigrationFiles {
                version,
                version_text: version.to_string(),
                dir_name: format!("{version}_{slug}"),
                up: Source::new(format!("{version}_{slug}/up.sql"), up),
                down: Source::new(format!("{version}_{slug}/down.sql"), down),
                slug,
            }
        })
        .collect();
    let mut diagnostics = Vec::new();
    let replayed = replay(&files, &mut diagnostics);
    assert!(
        !diagnostics.iter().any(|d| d.is_error()),
        "generated migrations do not check out"
    );
    let list: Vec<Migration> = replayed
        .migrations
        .iter()
        .map(|m| {
            let pg = dialects::postgres(m);
            let sqlite = dialects::rendered(m, &Sqlite).unwrap();
            Migration {
                version: m.files.version,
                name: leak(m.files.slug.clone()),
                checksum: leak(checksum(&m.files.up.text)),
                no_transaction: false,
                postgres: Script {
                    up: leak(pg.up),
                    down: leak(pg.down),
                },
                sqlite: Ok(Script {
                    up: leak(sqlite.up),
                    down: leak(sqlite.down),
                }),
            }
        })
        .collect();
    Box::leak(list.into_boxed_slice())
}

/// A new SQLite file in its own temporary directory (removed with the guard).
fn sqlite_file() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.db");
    (dir, path)
}

/// What the migrator does, without it: each migration's script in one
/// transaction of its own, with `execute_batch`.
fn raw_sqlite(conn: &rusqlite::Connection, migrations: &[Migration]) {
    for m in migrations {
        conn.execute_batch("BEGIN").unwrap();
        conn.execute_batch(m.sqlite.unwrap().up).unwrap();
        conn.execute_batch("COMMIT").unwrap();
    }
}

fn migrate(driver: &mut dyn schema_runtime::Driver, migrations: &[Migration]) {
    let report = Migrator::from_slice(migrations).up(driver).unwrap();
    assert_eq!(report.steps.len(), migrations.len());
}

/// One way of applying the migrations, timed after `setup`.
type Run<'a> = Box<dyn Fn() -> Duration + 'a>;

/// Runs `migrator` and `raw` `rounds` times each, alternating which goes
/// first, and prints the medians and the median ratio.
fn paired(name: &str, rounds: usize, goal: f64, migrator: Run<'_>, raw: Run<'_>) {
    let (mut ms, mut rs, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let (m, r) = if round % 2 == 0 {
            let r = raw();
            (migrator(), r)
        } else {
            let m = migrator();
            (m, raw())
        };
        ratios.push(m.as_secs_f64() / r.as_secs_f64());
        ms.push(m);
        rs.push(r);
    }
    let median_ratio = median(&mut ratios);
    println!(
        "{name}\n    migrator: median {:.3} s, min {:.3} s\n    raw:      median {:.3} s, min {:.3} s\n    \
         migrator / raw per round: {}\n    median ratio {median_ratio:.3} (goal ≤ {goal:.2}{})",
        median(&mut ms.iter().map(Duration::as_secs_f64).collect::<Vec<_>>()),
        ms.iter().min().unwrap().as_secs_f64(),
        median(&mut rs.iter().map(Duration::as_secs_f64).collect::<Vec<_>>()),
        rs.iter().min().unwrap().as_secs_f64(),
        ratios
            .iter()
            .map(|r| format!("{r:.3}"))
            .collect::<Vec<_>>()
            .join(" "),
        if median_ratio <= goal {
            ", met"
        } else {
            ", NOT met"
        },
    );
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// The paired 1,000-migration comparisons.
fn paired_runs(migrations: &'static [Migration], rounds: usize, wanted: &dyn Fn(&str) -> bool) {
    let n = migrations.len();
    let name = format!("paired/sqlite_file_{n}");
    if wanted(&name) {
        paired(
            &name,
            rounds,
            1.10,
            Box::new(|| {
                let (_dir, path) = sqlite_file();
                let mut db = SqliteDriver::open(&path).unwrap();
                let started = Instant::now();
                migrate(&mut db, migrations);
                started.elapsed()
            }),
            Box::new(|| {
                let (_dir, path) = sqlite_file();
                let conn = rusqlite::Connection::open(&path).unwrap();
                let started = Instant::now();
                raw_sqlite(&conn, migrations);
                started.elapsed()
            }),
        );
    }
    let name = format!("paired/sqlite_memory_{n}");
    if wanted(&name) {
        paired(
            &name,
            rounds,
            1.10,
            Box::new(|| {
                let mut db = SqliteDriver::memory().unwrap();
                let started = Instant::now();
                migrate(&mut db, migrations);
                started.elapsed()
            }),
            Box::new(|| {
                let conn = rusqlite::Connection::open_in_memory().unwrap();
                let started = Instant::now();
                raw_sqlite(&conn, migrations);
                started.elapsed()
            }),
        );
    }
    let name = format!("paired/postgres_{n}");
    let psql_name = format!("paired/postgres_psql_{n}");
    if !wanted(&name) && !wanted(&psql_name) {
        return;
    }
    let Some(server) = pg::server() else { return };
    let on_postgres = || {
        Box::new(|| {
            let db = server.create_database("bench_migrator");
            let mut driver = PostgresDriver::new(db.connect(), db.connect());
            let started = Instant::now();
            migrate(&mut driver, migrations);
            started.elapsed()
        }) as Run<'_>
    };
    if wanted(&psql_name) {
        psql_runs(&psql_name, rounds, migrations, &server, on_postgres());
    }
    if !wanted(&name) {
        return;
    }
    paired(
        &name,
        rounds,
        1.05,
        on_postgres(),
        Box::new(|| {
            let db = server.create_database("bench_raw");
            let mut client = db.connect();
            let started = Instant::now();
            // One session; each migration's text in one implicit
            // transaction, as the migrator commits each on its own.
            for m in migrations {
                client.batch_execute(m.postgres.up).unwrap();
            }
            started.elapsed()
        }),
    );
}

/// The migrator (`migrator`) against one `psql` session running every up
/// script from a file, each in `BEGIN` ... `COMMIT` (skipped when `psql` is
/// not on the PATH). The session's settings (`options` of
/// `SCHEMA_TEST_PG_URL`) go to psql as `PGOPTIONS`.
fn psql_runs(
    name: &str,
    rounds: usize,
    migrations: &[Migration],
    server: &pg::Server,
    migrator: Run<'_>,
) {
    let found = std::process::Command::new("psql")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("{name}: skipped, no `psql` on the PATH");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("up.sql");
    let mut text = String::new();
    for m in migrations {
        text.push_str("BEGIN;\n");
        text.push_str(m.postgres.up);
        text.push_str("\nCOMMIT;\n");
    }
    std::fs::write(&file, text).unwrap();
    let options = std::env::var("SCHEMA_TEST_PG_URL")
        .ok()
        .and_then(|url| url.parse::<postgres::Config>().ok())
        .and_then(|c| c.get_options().map(str::to_string));
    paired(
        name,
        rounds,
        1.05,
        migrator,
        Box::new(|| {
            let db = server.create_database("bench_psql");
            let mut psql = std::process::Command::new("psql");
            psql.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &db.url(), "-f"])
                .arg(&file)
                .stdout(std::process::Stdio::null());
            if let Some(o) = &options {
                psql.env("PGOPTIONS", o);
            }
            let started = Instant::now();
            let status = psql.status().unwrap();
            let took = started.elapsed();
            assert!(status.success(), "psql failed");
            took
        }),
    );
}

/// Short operations on a database with every migration applied.
fn short_group<'a>(
    c: &'a mut Criterion,
    name: &str,
) -> criterion::BenchmarkGroup<'a, criterion::measurement::WallTime> {
    let mut g = c.benchmark_group(name);
    g.sample_size(20)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    g
}

fn sqlite_applied(c: &mut Criterion, migrations: &'static [Migration]) {
    // One file with every migration applied, made when a benchmark needs it.
    let applied = OnceCell::new();
    let applied = || {
        &applied
            .get_or_init(|| {
                let (dir, path) = sqlite_file();
                migrate(&mut SqliteDriver::open(&path).unwrap(), migrations);
                (dir, path)
            })
            .1
    };
    let migrator = Migrator::from_slice(migrations);
    let mut g = short_group(c, &format!("sqlite_file_{}_applied", migrations.len()));
    g.bench_function("status", |b| {
        let mut db = SqliteDriver::open(applied()).unwrap();
        b.iter(|| assert!(migrator.status(&mut db).unwrap().is_up_to_date()));
    });
    g.bench_function("up_nothing_to_do_after_opening", |b| {
        let path = applied();
        b.iter_batched(
            || SqliteDriver::open(path).unwrap(),
            |mut db| {
                assert!(migrator.up(&mut db).unwrap().steps.is_empty());
                db
            },
            BatchSize::PerIteration,
        );
    });
    g.bench_function("open_and_up_nothing_to_do", |b| {
        let path = applied();
        b.iter(|| {
            let mut db = SqliteDriver::open(path).unwrap();
            assert!(migrator.up(&mut db).unwrap().steps.is_empty());
        });
    });
    g.finish();
}

fn postgres_applied(c: &mut Criterion, migrations: &'static [Migration]) {
    let Some(server) = pg::server() else { return };
    let applied = OnceCell::new();
    let applied = || {
        applied.get_or_init(|| {
            let db = server.create_database("bench_applied");
            migrate(
                &mut PostgresDriver::new(db.connect(), db.connect()),
                migrations,
            );
            db
        })
    };
    let migrator = Migrator::from_slice(migrations);
    let mut g = short_group(c, &format!("postgres_{}_applied", migrations.len()));
    g.bench_function("status", |b| {
        let db = applied();
        let mut driver = PostgresDriver::new(db.connect(), db.connect());
        b.iter(|| assert!(migrator.status(&mut driver).unwrap().is_up_to_date()));
    });
    // As an application does it: `PostgresDriver::connect`, then `up`.
    let url = || {
        let url = database_url(applied().name());
        if url.is_none() {
            eprintln!("skipping: SCHEMA_TEST_PG_URL is not in key=value form");
        }
        url
    };
    g.bench_function("up_nothing_to_do_after_connecting", |b| {
        let Some(url) = url() else { return };
        b.iter_batched(
            || PostgresDriver::connect(&url).unwrap(),
            |mut driver| {
                assert!(migrator.up(&mut driver).unwrap().steps.is_empty());
                driver
            },
            BatchSize::PerIteration,
        );
    });
    g.bench_function("connect_and_up_nothing_to_do", |b| {
        let Some(url) = url() else { return };
        b.iter(|| {
            let mut driver = PostgresDriver::connect(&url).unwrap();
            assert!(migrator.up(&mut driver).unwrap().steps.is_empty());
        });
    });
    g.finish();
}

/// The test server's connection string (key=value form) for database `name`.
fn database_url(name: &str) -> Option<String> {
    let base = std::env::var("SCHEMA_TEST_PG_URL").unwrap_or_else(|_| pg::DEFAULT_URL.to_string());
    (!base.contains("://")).then(|| format!("{base} dbname={name}"))
}

fn main() {
    // `cargo test --benches` runs this without `--bench`: a quick check then.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = !args.iter().any(|a| a == "--bench") || args.iter().any(|a| a == "--test");
    let filter = args.iter().find(|a| !a.starts_with('-')).cloned();
    let wanted = |name: &str| filter.as_ref().is_none_or(|f| name.contains(f.as_str()));
    let n = if quick { 20 } else { 1000 };
    let rounds = if quick {
        1
    } else {
        std::env::var("SCHEMA_BENCH_ROUNDS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(5)
    };
    let migrations = generated(n);
    paired_runs(migrations, rounds, &wanted);
    let mut c = Criterion::default().configure_from_args();
    sqlite_applied(&mut c, migrations);
    postgres_applied(&mut c, migrations);
    c.final_summary();
}
