//! `Options::fresh_database`: an empty database gets the schema the whole
//! history leaves in one script, judged by the database itself: the catalog
//! (PostgreSQL) or the introspected schema (SQLite) equals what running every
//! migration gives, `verify` is clean, every migration is recorded with its
//! down, and the history goes down again. Where the path does not apply (a
//! data statement, a database that is not empty, `--to` short of the latest)
//! the migrations run one by one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use schema_test_support::pg;

use schema_core::Source;
use schema_core::migrations::replay::replay;
use schema_core::migrations::{MigrationFiles, dialects};
use schema_runtime::driver::postgres::PostgresDriver;
use schema_runtime::driver::sqlite::SqliteDriver;
use schema_runtime::driver::{Driver, VERSION_TABLE};
use schema_runtime::migrator::DownTo;
use schema_runtime::{Fresh, Migration, Migrations, Migrator, Options, Script};

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// A history of schema changes: tables created and altered (an enum column and
/// a serial one among them, which SQLite's table rebuilds must carry), an
/// identity, a rename, an index, a column dropped, a foreign key, a check, a
/// comment.
const HISTORY: &[(&str, &str)] = &[
    (
        "CREATE TYPE mood AS ENUM ('ok', 'sad');\n\
         CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, mood mood DEFAULT 'ok');\n",
        "DROP TABLE users;\nDROP TYPE mood;\n",
    ),
    (
        "CREATE TABLE posts (id serial PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE, title varchar(200) NOT NULL, body text);\n\
         CREATE INDEX posts_user_idx ON posts (user_id);\n",
        "DROP TABLE posts;\n",
    ),
    (
        "ALTER TABLE users ADD COLUMN email text;\n\
         ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);\n\
         COMMENT ON COLUMN users.email IS 'where we write';\n",
        "ALTER TABLE users DROP COLUMN email;\n",
    ),
    (
        "ALTER TABLE posts RENAME COLUMN body TO content;\n\
         ALTER TABLE posts ADD CONSTRAINT title_not_blank CHECK (title <> '');\n",
        "ALTER TABLE posts DROP CONSTRAINT title_not_blank;\n\
         ALTER TABLE posts RENAME COLUMN content TO body;\n",
    ),
    (
        "CREATE TABLE tags (name text PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now());\n\
         ALTER TABLE posts DROP COLUMN content;\n",
        "ALTER TABLE posts ADD COLUMN content text;\nDROP TABLE tags;\n",
    ),
];

/// The migrations of `history` as a build embeds them, with their fresh scripts.
fn migrations(history: &[(&str, &str)]) -> &'static Migrations {
    let files: Vec<MigrationFiles> = history
        .iter()
        .enumerate()
        .map(|(i, (up, down))| {
            let version = 20_240_101_000_000 + i as u64;
            MigrationFiles {
                version,
                version_text: version.to_string(),
                slug: format!("m{i}"),
                dir_name: format!("{version}_m{i}"),
                up: Source::new(format!("{version}_m{i}/up.sql"), *up),
                down: Source::new(format!("{version}_m{i}/down.sql"), *down),
            }
        })
        .collect();
    let mut diagnostics = Vec::new();
    let replayed = replay(&files, &mut diagnostics);
    assert!(
        !diagnostics.iter().any(|d| d.is_error()),
        "the history does not check out: {diagnostics:#?}"
    );
    let embedded: Vec<dialects::Embedded> =
        replayed.migrations.iter().map(dialects::embedded).collect();
    let fresh = dialects::fresh(&replayed, &embedded);
    let script = |sql: dialects::DialectSql| Script {
        up: leak(sql.up),
        down: leak(sql.down),
    };
    let list: Vec<Migration> = embedded
        .into_iter()
        .map(|e| Migration {
            version: e.version,
            name: leak(e.name),
            checksum: leak(e.checksum),
            no_transaction: e.no_transaction,
            postgres: script(e.postgres),
            sqlite: e.sqlite.map(script).map_err(leak),
        })
        .collect();
    let list: &'static [Migration] = Box::leak(list.into_boxed_slice());
    Box::leak(Box::new(Migrations::new(list).with_fresh(Fresh {
        postgres: fresh.postgres.map(leak),
        sqlite: fresh.sqlite.map(leak),
    })))
}

fn fresh_options() -> Options {
    Options {
        fresh_database: true,
        ..Options::default()
    }
}

/// What the SQLite database holds, for comparing two of them: its schema as
/// introspected, and every version row but the times.
fn sqlite_state(db: &mut SqliteDriver) -> (String, Vec<String>) {
    let schema = db.introspect(&["public".to_string()]).unwrap();
    let rows: Vec<String> = db
        .read_versions()
        .unwrap()
        .into_iter()
        .map(|r| {
            format!(
                "{} {} {} {} {:?} {:?}",
                r.version, r.name, r.checksum, r.no_transaction, r.state, r.down_sql
            )
        })
        .collect();
    (format!("{schema:#?}"), rows)
}

#[test]
fn sqlite_an_empty_database_gets_the_whole_schema_at_once() {
    let all = migrations(HISTORY);
    assert!(all.fresh.sqlite.is_some() && all.fresh.postgres.is_some());

    let mut slow = SqliteDriver::memory().unwrap();
    let report = Migrator::new(all).up(&mut slow).unwrap();
    assert!(!report.fresh);
    assert_eq!(report.steps.len(), HISTORY.len());

    let mut fast = SqliteDriver::memory().unwrap();
    let report = Migrator::new(all)
        .options(fresh_options())
        .up(&mut fast)
        .unwrap();
    assert!(report.fresh, "the fresh path was not taken");
    assert_eq!(report.steps.len(), HISTORY.len());

    assert_eq!(sqlite_state(&mut fast), sqlite_state(&mut slow));
    let verify = Migrator::new(all).verify(&mut fast).unwrap();
    assert!(verify.differences.is_empty(), "{:?}", verify.differences);
    assert!(verify.pending.is_empty() && verify.problems.is_empty());

    // Each migration's down was recorded: the history goes down and up again.
    Migrator::new(all)
        .down(&mut fast, DownTo::Version(0))
        .unwrap();
    let empty = SqliteDriver::memory().unwrap().introspect(&[]).unwrap();
    assert_eq!(fast.introspect(&[]).unwrap(), empty);
    let report = Migrator::new(all).up(&mut fast).unwrap();
    assert!(!report.fresh);
    assert_eq!(sqlite_state(&mut fast).0, sqlite_state(&mut slow).0);
}

#[test]
fn the_migrations_run_one_by_one_where_the_fresh_path_does_not_apply() {
    // A data statement: its rows would be lost, so there is no fresh script.
    let mut with_data = HISTORY.to_vec();
    with_data.push((
        "INSERT INTO tags (name) VALUES ('first');\n",
        "DELETE FROM tags WHERE name = 'first';\n",
    ));
    let all = migrations(&with_data);
    assert_eq!(all.fresh, Fresh::default());
    let mut db = SqliteDriver::memory().unwrap();
    let report = Migrator::new(all)
        .options(fresh_options())
        .up(&mut db)
        .unwrap();
    assert!(!report.fresh);
    assert_eq!(report.steps.len(), with_data.len());

    let all = migrations(HISTORY);
    // A database that holds a table of its own is not empty.
    let mut db = SqliteDriver::memory().unwrap();
    db.connection()
        .execute_batch("CREATE TABLE mine (x int);")
        .unwrap();
    let report = Migrator::new(all)
        .options(fresh_options())
        .up(&mut db)
        .unwrap();
    assert!(!report.fresh);
    assert_eq!(report.steps.len(), HISTORY.len());

    // Up to a version short of the latest.
    let mut db = SqliteDriver::memory().unwrap();
    let to = all.migrations[1].version;
    let report = Migrator::new(all)
        .options(fresh_options())
        .up_to(&mut db, Some(to))
        .unwrap();
    assert!(!report.fresh);
    assert_eq!(report.steps.len(), 2);
    // The rest, from a database that is no longer empty.
    let report = Migrator::new(all)
        .options(fresh_options())
        .up(&mut db)
        .unwrap();
    assert!(!report.fresh);
    assert_eq!(report.steps.len(), HISTORY.len() - 2);
}

#[test]
fn postgres_an_empty_database_gets_the_catalog_the_migrations_give() {
    let Some(server) = pg::server() else {
        return;
    };
    let all = migrations(HISTORY);
    let slow_db = server.create_database("fresh_slow");
    let fast_db = server.create_database("fresh_fast");
    let mut slow = PostgresDriver::connect(&slow_db.url()).unwrap();
    let mut fast = PostgresDriver::connect(&fast_db.url()).unwrap();
    assert!(!Migrator::new(all).up(&mut slow).unwrap().fresh);
    let report = Migrator::new(all)
        .options(fresh_options())
        .up(&mut fast)
        .unwrap();
    assert!(report.fresh, "the fresh path was not taken");

    // The database is the judge: the same catalog, version table aside.
    let facts = |db: &pg::TestDatabase| -> Vec<String> {
        pg::catalog_facts(&mut db.connect())
            .unwrap()
            .into_iter()
            .filter(|f| !f.contains(VERSION_TABLE))
            .collect()
    };
    let (fast_facts, slow_facts) = (facts(&fast_db), facts(&slow_db));
    assert!(fast_facts.len() > 20, "{fast_facts:#?}");
    assert_eq!(fast_facts, slow_facts);
    let verify = Migrator::new(all).verify(&mut fast).unwrap();
    assert!(verify.differences.is_empty(), "{:?}", verify.differences);
    assert!(verify.pending.is_empty() && verify.problems.is_empty());

    // The recorded downs take it back to an empty database.
    Migrator::new(all)
        .down(&mut fast, DownTo::Version(0))
        .unwrap();
    let empty = server.create_database("fresh_empty");
    assert_eq!(facts(&fast_db), facts(&empty));
}
