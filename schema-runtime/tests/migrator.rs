//! The migrator's API on real databases: verify, stamp, status and refusals,
//! down / redo / up_to, `no-transaction` migrations on PostgreSQL, SQLite's
//! table rebuilds, and rollback of a failing migration.
//!
//! PostgreSQL tests each create (and drop) a database of their own on the server
//! of `schema_test_support::pg`; without a server they say why and skip, unless
//! `SCHEMA_TEST_REQUIRE_DB=1`. SQLite tests use in-memory databases.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use schema_test_support::pg;

use std::time::{Duration, Instant};

use schema_core::Source;
use schema_core::migrations::replay::replay;
use schema_core::migrations::{MigrationFiles, checksum, dialects};
use schema_runtime::driver::Driver;
use schema_runtime::driver::RowState;
use schema_runtime::driver::VersionRow;
use schema_runtime::driver::postgres::{LOCK_KEY, PostgresDriver};
use schema_runtime::driver::postgres_async::sqlx_connection::SqlxPostgresDriver;
use schema_runtime::driver::postgres_async::tokio_postgres_connection::{
    TokioPostgresDriver, connect as connect_async,
};
use schema_runtime::driver::sqlite::SqliteDriver;
use schema_runtime::driver::sqlx_sqlite::SqlxSqliteDriver;
use schema_runtime::migrator::{Direction, State, Status};
use schema_runtime::migrator::{StampReport, VerifyReport};
use schema_runtime::{
    DownTo, MigrateError, Migration, Migrator, Options, Report, Resolution, Script, Step,
};

/// Renders `(version, slug, up, down)` migrations the way the CLI and
/// `schema!()` embed them: replayed, PostgreSQL running the files' text,
/// SQLite the changes rendered.
fn render(specs: &[(u64, &str, &str, &str)]) -> Vec<Migration> {
    let files: Vec<MigrationFiles> = specs
        .iter()
        .map(|(version, slug, up, down)| MigrationFiles {
            version: *version,
            version_text: version.to_string(),
            slug: (*slug).to_string(),
            dir_name: format!("{version}_{slug}"),
            up: Source::new(format!("migrations/{version}_{slug}/up.sql"), *up),
            down: Source::new(format!("migrations/{version}_{slug}/down.sql"), *down),
        })
        .collect();
    let mut diagnostics = Vec::new();
    let replayed = replay(&files, &mut diagnostics);
    let errors: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.render(false))
        .collect();
    assert!(
        errors.is_empty(),
        "fixture migrations do not check out:\n{}",
        errors.join("\n")
    );
    replayed
        .migrations
        .iter()
        .map(|m| {
            let e = dialects::embedded(m);
            let script = |sql: dialects::DialectSql| Script {
                up: leak(sql.up),
                down: leak(sql.down),
            };
            Migration {
                version: e.version,
                name: leak(e.name),
                checksum: leak(e.checksum),
                no_transaction: e.no_transaction,
                postgres: script(e.postgres),
                sqlite: e.sqlite.map(script).map_err(leak),
            }
        })
        .collect()
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

const V1: u64 = 20240101000000;
const V2: u64 = 20240102000000;
const V3: u64 = 20240103000000;
const V4: u64 = 20240104000000;

const USERS_UP: &str = "CREATE TABLE users (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    name text,
    status text NOT NULL DEFAULT 'active'
);
CREATE INDEX users_email_idx ON users (email);
";
const POSTS_UP: &str = "CREATE TABLE posts (
    id bigint PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id),
    title text NOT NULL
);
CREATE INDEX posts_user_id_idx ON posts (user_id);
";

/// The fixture history: users, posts (a foreign key to users), a column.
fn base() -> Vec<Migration> {
    render(&[
        (V1, "create_users", USERS_UP, "DROP TABLE users;\n"),
        (V2, "create_posts", POSTS_UP, "DROP TABLE posts;\n"),
        (
            V3,
            "add_user_bio",
            "ALTER TABLE users ADD COLUMN bio text;\n",
            "ALTER TABLE users DROP COLUMN bio;\n",
        ),
    ])
}

/// A database under test, with a way to run plain SQL on it.
#[allow(clippy::large_enum_variant)] // a handful live at a time
enum Db {
    Sqlite(Lite),
    // The driver is dropped (its connections closed) before the database.
    Postgres(Pg, pg::TestDatabase),
}

/// SQLite through the blocking driver (in memory), or through the async
/// driver over an sqlx pool (on a file, with a rusqlite connection to the
/// same file for the tests' own SQL).
enum Lite {
    Blocking(SqliteDriver),
    Sqlx {
        // In an `Option` so that it is dropped inside its runtime.
        driver: Option<SqlxSqliteDriver>,
        conn: rusqlite::Connection,
        runtime: tokio::runtime::Runtime,
        _dir: tempfile::TempDir,
    },
}

impl Lite {
    /// A rusqlite connection on the database, for the tests' own SQL.
    fn connection(&self) -> &rusqlite::Connection {
        match self {
            Lite::Blocking(d) => d.connection(),
            Lite::Sqlx { conn, .. } => conn,
        }
    }
}

impl Drop for Lite {
    fn drop(&mut self) {
        if let Lite::Sqlx {
            driver, runtime, ..
        } = self
        {
            let _inside = runtime.enter();
            drop(driver.take());
        }
    }
}

/// PostgreSQL through the blocking driver, or through the async driver on
/// `tokio-postgres` (with a blocking client for the tests' own SQL): every
/// test runs on both, through the migrator's blocking and async methods.
enum Pg {
    Blocking(PostgresDriver),
    Async {
        driver: TokioPostgresDriver,
        sql: postgres::Client,
        runtime: tokio::runtime::Runtime,
    },
    Sqlx {
        // In an `Option` so that it is dropped inside its runtime (a pool
        // connection goes back to its pool on a task).
        driver: Option<SqlxPostgresDriver>,
        sql: postgres::Client,
        runtime: tokio::runtime::Runtime,
    },
}

impl Drop for Pg {
    fn drop(&mut self) {
        if let Pg::Sqlx {
            driver, runtime, ..
        } = self
        {
            let _inside = runtime.enter();
            drop(driver.take());
        }
    }
}

/// The driver a migrator call goes to.
enum Target<'a> {
    Blocking(&'a mut dyn Driver),
    Async(&'a tokio::runtime::Runtime, &'a mut TokioPostgresDriver),
    Sqlx(&'a tokio::runtime::Runtime, &'a mut SqlxPostgresDriver),
    SqlxSqlite(&'a tokio::runtime::Runtime, &'a mut SqlxSqliteDriver),
}

/// The migrator's methods on a [`Target`]: the blocking method on a
/// blocking driver, the `_async` one on an async driver.
trait OnTarget {
    fn status_t(&self, t: Target<'_>) -> Result<Status, MigrateError>;
    fn up_t(&self, t: Target<'_>) -> Result<Report, MigrateError>;
    fn up_to_t(&self, t: Target<'_>, v: Option<u64>) -> Result<Report, MigrateError>;
    fn down_t(&self, t: Target<'_>, to: DownTo) -> Result<Report, MigrateError>;
    fn redo_t(&self, t: Target<'_>) -> Result<Report, MigrateError>;
    fn resolve_t(&self, t: Target<'_>, v: u64, r: Resolution) -> Result<(), MigrateError>;
    fn stamp_t(&self, t: Target<'_>, v: u64, force: bool) -> Result<StampReport, MigrateError>;
    fn verify_t(&self, t: Target<'_>) -> Result<VerifyReport, MigrateError>;
}

macro_rules! on_target {
    ($m:expr, $t:expr, $sync:ident, $async:ident $(, $arg:expr)*) => {
        match $t {
            Target::Blocking(d) => $m.$sync(d $(, $arg)*),
            Target::Async(rt, d) => rt.block_on($m.$async(d $(, $arg)*)),
            Target::Sqlx(rt, d) => rt.block_on($m.$async(d $(, $arg)*)),
            Target::SqlxSqlite(rt, d) => rt.block_on($m.$async(d $(, $arg)*)),
        }
    };
}

impl OnTarget for Migrator<'_> {
    fn status_t(&self, t: Target<'_>) -> Result<Status, MigrateError> {
        on_target!(self, t, status, status_async)
    }
    fn up_t(&self, t: Target<'_>) -> Result<Report, MigrateError> {
        on_target!(self, t, up, up_async)
    }
    fn up_to_t(&self, t: Target<'_>, v: Option<u64>) -> Result<Report, MigrateError> {
        on_target!(self, t, up_to, up_to_async, v)
    }
    fn down_t(&self, t: Target<'_>, to: DownTo) -> Result<Report, MigrateError> {
        on_target!(self, t, down, down_async, to)
    }
    fn redo_t(&self, t: Target<'_>) -> Result<Report, MigrateError> {
        on_target!(self, t, redo, redo_async)
    }
    fn resolve_t(&self, t: Target<'_>, v: u64, r: Resolution) -> Result<(), MigrateError> {
        on_target!(self, t, resolve, resolve_async, v, r)
    }
    fn stamp_t(&self, t: Target<'_>, v: u64, force: bool) -> Result<StampReport, MigrateError> {
        on_target!(self, t, stamp, stamp_async, v, force)
    }
    fn verify_t(&self, t: Target<'_>) -> Result<VerifyReport, MigrateError> {
        on_target!(self, t, verify, verify_async)
    }
}

impl Db {
    fn sqlite() -> Db {
        Db::Sqlite(Lite::Blocking(SqliteDriver::memory().unwrap()))
    }

    fn sqlite_sqlx() -> Db {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let driver = runtime.block_on(async {
            let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=rwc", path.display()))
                .await
                .unwrap();
            SqlxSqliteDriver::from_pool(&pool).await.unwrap()
        });
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA foreign_keys=ON").unwrap();
        Db::Sqlite(Lite::Sqlx {
            driver: Some(driver),
            conn,
            runtime,
            _dir: dir,
        })
    }

    fn postgres(server: &pg::Server, prefix: &str) -> Db {
        let db = server.create_database(prefix);
        Db::Postgres(
            Pg::Blocking(PostgresDriver::new(db.connect(), db.connect())),
            db,
        )
    }

    fn postgres_async(server: &pg::Server, prefix: &str) -> Db {
        let db = server.create_database(&format!("{prefix}_async"));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let driver = runtime.block_on(connect_async(&db.url())).unwrap();
        Db::Postgres(
            Pg::Async {
                driver,
                sql: db.connect(),
                runtime,
            },
            db,
        )
    }

    fn postgres_sqlx(server: &pg::Server, prefix: &str) -> Db {
        let db = server.create_database(&format!("{prefix}_sqlx"));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let driver = runtime.block_on(async {
            let pool = sqlx::PgPool::connect(&db.url()).await.unwrap();
            SqlxPostgresDriver::from_pool(&pool).await.unwrap()
        });
        Db::Postgres(
            Pg::Sqlx {
                driver: Some(driver),
                sql: db.connect(),
                runtime,
            },
            db,
        )
    }

    /// The blocking and the async PostgreSQL drivers (tokio-postgres, sqlx),
    /// each on a database of its own.
    fn postgres_both(server: &pg::Server, prefix: &str) -> Vec<Db> {
        vec![
            Db::postgres(server, prefix),
            Db::postgres_async(server, prefix),
            Db::postgres_sqlx(server, prefix),
        ]
    }

    /// SQLite, then PostgreSQL (blocking and async) when a server is reachable.
    fn each(prefix: &str) -> Vec<Db> {
        let mut out = vec![Db::sqlite(), Db::sqlite_sqlx()];
        if let Some(server) = pg::server() {
            out.extend(Db::postgres_both(&server, prefix));
        }
        out
    }

    fn driver(&mut self) -> Target<'_> {
        match self {
            Db::Sqlite(Lite::Blocking(d)) => Target::Blocking(d),
            Db::Sqlite(Lite::Sqlx {
                driver, runtime, ..
            }) => Target::SqlxSqlite(runtime, driver.as_mut().expect("not dropped yet")),
            Db::Postgres(Pg::Blocking(d), _) => Target::Blocking(d),
            Db::Postgres(
                Pg::Async {
                    driver, runtime, ..
                },
                _,
            ) => Target::Async(runtime, driver),
            Db::Postgres(
                Pg::Sqlx {
                    driver, runtime, ..
                },
                _,
            ) => Target::Sqlx(runtime, driver.as_mut().expect("not dropped yet")),
        }
    }

    /// The version table's rows, through the driver.
    fn read_versions(&mut self) -> Vec<VersionRow> {
        use schema_runtime::AsyncDriver;
        match self.driver() {
            Target::Blocking(d) => d.read_versions().unwrap(),
            Target::Async(rt, d) => rt.block_on(AsyncDriver::read_versions(d)).unwrap(),
            Target::Sqlx(rt, d) => rt.block_on(AsyncDriver::read_versions(d)).unwrap(),
            Target::SqlxSqlite(rt, d) => rt.block_on(AsyncDriver::read_versions(d)).unwrap(),
        }
    }

    /// A blocking client on the PostgreSQL database, for the tests' own SQL.
    fn sql(&mut self) -> &mut postgres::Client {
        match self {
            Db::Postgres(Pg::Blocking(d), _) => d.client(),
            Db::Postgres(Pg::Async { sql, .. } | Pg::Sqlx { sql, .. }, _) => sql,
            Db::Sqlite(_) => panic!("not PostgreSQL"),
        }
    }

    fn label(&self) -> &'static str {
        match self {
            Db::Sqlite(Lite::Blocking(_)) => "sqlite",
            Db::Sqlite(Lite::Sqlx { .. }) => "sqlite (sqlx)",
            Db::Postgres(Pg::Blocking(_), _) => "postgres",
            Db::Postgres(Pg::Async { .. }, _) => "postgres (tokio-postgres)",
            Db::Postgres(Pg::Sqlx { .. }, _) => "postgres (sqlx)",
        }
    }

    fn is_postgres(&self) -> bool {
        matches!(self, Db::Postgres(..))
    }

    fn exec(&mut self, sql: &str) {
        let result = match self {
            Db::Sqlite(d) => d.connection().execute_batch(sql).map_err(|e| e.to_string()),
            Db::Postgres(..) => self.sql().batch_execute(sql).map_err(|e| e.to_string()),
        };
        if let Err(e) = result {
            panic!("{}: {e}\nin: {sql}", self.label());
        }
    }

    /// The first column of the one row `sql` returns, as an integer.
    fn int(&mut self, sql: &str) -> i64 {
        match self {
            Db::Sqlite(d) => d.connection().query_row(sql, [], |r| r.get(0)).unwrap(),
            Db::Postgres(..) => self.sql().query_one(sql, &[]).unwrap().get(0),
        }
    }

    /// True when table (or index) `name` exists.
    fn exists(&mut self, name: &str) -> bool {
        let sql = match self {
            Db::Sqlite(_) => format!("SELECT count(*) FROM sqlite_schema WHERE name = '{name}'"),
            Db::Postgres(..) => {
                format!("SELECT count(*) FROM pg_class WHERE relname = '{name}'")
            }
        };
        self.int(&sql) > 0
    }

    /// True when `table` has column `column`.
    fn has_column(&mut self, table: &str, column: &str) -> bool {
        let sql = match self {
            Db::Sqlite(_) => {
                format!("SELECT count(*) FROM pragma_table_info('{table}') WHERE name = '{column}'")
            }
            Db::Postgres(..) => format!(
                "SELECT count(*) FROM information_schema.columns \
                 WHERE table_name = '{table}' AND column_name = '{column}'"
            ),
        };
        self.int(&sql) > 0
    }

    /// The versions recorded in the version table, in order.
    fn versions(&mut self) -> Vec<u64> {
        self.read_versions().iter().map(|r| r.version).collect()
    }

    /// Runs each migration's up script directly, as if created by hand.
    fn run_ups(&mut self, migrations: &[Migration]) {
        for m in migrations {
            let script = if self.is_postgres() {
                m.postgres
            } else {
                *m.sqlite.as_ref().unwrap()
            };
            self.exec(script.up);
        }
    }
}

fn migrator(migrations: &[Migration]) -> Migrator<'_> {
    Migrator::from_slice(migrations)
}

fn allowing(migrations: &[Migration], options: Options) -> Migrator<'_> {
    Migrator::from_slice(migrations).options(options)
}

/// The versions of a report's steps, with their direction.
fn steps(report: &Report) -> Vec<(Direction, u64)> {
    report
        .steps
        .iter()
        .map(|s| (s.direction, s.version))
        .collect()
}

fn ups(versions: &[u64]) -> Vec<(Direction, u64)> {
    versions.iter().map(|v| (Direction::Up, *v)).collect()
}

fn downs(versions: &[u64]) -> Vec<(Direction, u64)> {
    versions.iter().map(|v| (Direction::Down, *v)).collect()
}

/// Each entry's version and state.
fn states(status: &Status) -> Vec<(u64, State)> {
    status
        .entries
        .iter()
        .map(|e| (e.version, e.state.clone()))
        .collect()
}

/// A hand-written migration (not replayed): the same SQL on both databases.
fn hand(version: u64, name: &'static str, up: &'static str, down: &'static str) -> Migration {
    Migration {
        version,
        name,
        checksum: leak(checksum(up)),
        no_transaction: false,
        postgres: Script { up, down },
        sqlite: Ok(Script { up, down }),
    }
}

// ---------------------------------------------------------------------------
// verify

/// How a test changes the live schema behind the migrator's back on SQLite.
enum SqliteChange {
    /// Plain SQL.
    Sql(&'static str),
    /// SQLite cannot alter this in place: rebuild `table` by hand (the procedure
    /// SQLite documents) from its `CREATE TABLE` with `from` replaced by `to`.
    Rebuild {
        table: &'static str,
        from: &'static str,
        to: &'static str,
    },
}

/// Rebuilds `table` from its own `CREATE TABLE` text with `from` replaced by
/// `to`: new table, copy every row, drop, rename, indexes again.
fn rebuild_by_hand(conn: &rusqlite::Connection, table: &str, from: &str, to: &str) {
    let create: String = conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?1",
            [table],
            |r| r.get(0),
        )
        .unwrap();
    assert!(create.contains(from), "`{from}` is not in {create}");
    let edited = create.replacen(from, to, 1).replacen(
        &format!("CREATE TABLE \"{table}\""),
        &format!("CREATE TABLE \"_oob_{table}\""),
        1,
    );
    assert!(edited.contains("_oob_"), "{create}");
    let indexes: Vec<String> = conn
        .prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL")
        .unwrap()
        .query_map([table], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    conn.execute_batch(&format!(
        "PRAGMA foreign_keys=OFF;
         BEGIN;
         {edited};
         INSERT INTO \"_oob_{table}\" SELECT * FROM \"{table}\";
         DROP TABLE \"{table}\";
         ALTER TABLE \"_oob_{table}\" RENAME TO \"{table}\";
         {};
         COMMIT;
         PRAGMA foreign_keys=ON;",
        indexes.join(";\n")
    ))
    .unwrap();
}

/// Migrates a fresh database, checks verify is clean, makes one change with
/// plain SQL and checks verify reports exactly `expected`.
fn drift_is_found(prefix: &str, postgres: &str, sqlite: SqliteChange, expected: &str) {
    drift_is_found_as(prefix, postgres, sqlite, expected, expected);
}

/// [`drift_is_found`] where each database words the difference its own way
/// (the live side is shown as the database prints it).
fn drift_is_found_as(
    prefix: &str,
    postgres: &str,
    sqlite: SqliteChange,
    expected_postgres: &str,
    expected_sqlite: &str,
) {
    let migrations = base();
    for mut db in Db::each(prefix) {
        let m = migrator(&migrations);
        m.up_t(db.driver()).unwrap();
        let clean = m.verify_t(db.driver()).unwrap();
        assert!(clean.is_clean(), "{}: fresh database: {clean}", db.label());
        match (&mut db, &sqlite) {
            (Db::Postgres(..), _) => db.exec(postgres),
            (Db::Sqlite(_), SqliteChange::Sql(sql)) => db.exec(sql),
            (Db::Sqlite(d), SqliteChange::Rebuild { table, from, to }) => {
                rebuild_by_hand(d.connection(), table, from, to);
            }
        }
        let report = m.verify_t(db.driver()).unwrap();
        let expected = match db {
            Db::Postgres(..) => expected_postgres,
            Db::Sqlite(_) => expected_sqlite,
        };
        assert_eq!(
            report.differences,
            vec![expected.to_string()],
            "{}: {report}",
            db.label()
        );
        assert!(!report.is_clean(), "{}", db.label());
        assert_eq!(report.version, Some(V3), "{}", db.label());
        assert!(
            report.pending.is_empty() && report.problems.is_empty(),
            "{}: {report}",
            db.label()
        );
        let text = report.to_string();
        assert!(
            text.contains("differs") && text.contains(expected),
            "{}: {text}",
            db.label()
        );
    }
}

#[test]
fn verify_finds_an_added_column() {
    let sql = "ALTER TABLE users ADD COLUMN nickname text";
    drift_is_found(
        "mig_verify_col",
        sql,
        SqliteChange::Sql(sql),
        "drop column `users.nickname`",
    );
}

#[test]
fn verify_finds_a_dropped_index() {
    let sql = "DROP INDEX users_email_idx";
    drift_is_found(
        "mig_verify_idx",
        sql,
        SqliteChange::Sql(sql),
        "create index `users_email_idx` on `users`",
    );
}

#[test]
fn verify_finds_a_changed_default() {
    drift_is_found_as(
        "mig_verify_default",
        "ALTER TABLE users ALTER COLUMN status SET DEFAULT 'new'",
        SqliteChange::Rebuild {
            table: "users",
            from: "DEFAULT 'active'",
            to: "DEFAULT 'new'",
        },
        "alter column `users.status`: DEFAULT 'new'::text → DEFAULT 'active'",
        "alter column `users.status`: DEFAULT 'new' → DEFAULT 'active'",
    );
}

#[test]
fn verify_finds_a_changed_nullability() {
    drift_is_found(
        "mig_verify_null",
        "ALTER TABLE users ALTER COLUMN name SET NOT NULL",
        SqliteChange::Rebuild {
            table: "users",
            from: "\"name\" TEXT,",
            to: "\"name\" TEXT NOT NULL,",
        },
        "alter column `users.name`: NOT NULL → NULL",
    );
}

#[test]
fn verify_finds_a_dropped_foreign_key() {
    drift_is_found(
        "mig_verify_fk",
        "ALTER TABLE posts DROP CONSTRAINT posts_user_id_fkey",
        SqliteChange::Rebuild {
            table: "posts",
            from: ",\n    CONSTRAINT \"posts_user_id_fkey\" FOREIGN KEY (\"user_id\") REFERENCES \"users\" (\"id\")",
            to: "",
        },
        "add foreign key `posts_user_id_fkey` on `posts`",
    );
}

#[test]
fn verify_finds_an_added_table() {
    let sql = "CREATE TABLE audit (id bigint PRIMARY KEY, what text)";
    drift_is_found(
        "mig_verify_table",
        sql,
        SqliteChange::Sql(sql),
        "drop table `audit`",
    );
}

#[test]
fn verify_lists_the_migrations_a_database_is_behind_by() {
    let migrations = base();
    for mut db in Db::each("mig_verify_behind") {
        let m = migrator(&migrations);
        let empty = m.verify_t(db.driver()).unwrap();
        assert_eq!(empty.version, None);
        assert_eq!(empty.pending.len(), 3, "{}: {empty}", db.label());
        m.up_to_t(db.driver(), Some(V1)).unwrap();
        let report = m.verify_t(db.driver()).unwrap();
        assert_eq!(report.version, Some(V1), "{}", db.label());
        assert!(report.differences.is_empty(), "{}: {report}", db.label());
        assert!(report.problems.is_empty(), "{}: {report}", db.label());
        assert_eq!(
            report.pending,
            vec![
                (V2, "create_posts".to_string()),
                (V3, "add_user_bio".to_string())
            ],
            "{}",
            db.label()
        );
        assert!(!report.is_clean());
        assert!(
            report
                .to_string()
                .contains("2 migrations of the binary are not applied"),
            "{report}"
        );
    }
}

// ---------------------------------------------------------------------------
// stamp

#[test]
fn stamp_refuses_a_database_that_differs_and_force_stamps_it() {
    let migrations = base();
    for mut db in Db::each("mig_stamp_refused") {
        // Users and posts created by hand, the bio column of V3 forgotten.
        db.run_ups(&migrations[..2]);
        let m = migrator(&migrations);
        let differences = match m.stamp_t(db.driver(), V3, false) {
            Err(MigrateError::StampRefused {
                version,
                differences,
            }) => {
                assert_eq!(version, V3);
                differences
            }
            other => panic!("{}: expected StampRefused, got {other:?}", db.label()),
        };
        assert_eq!(differences.len(), 1, "{}: {differences:?}", db.label());
        assert!(
            differences[0].starts_with("add column `users.bio`"),
            "{}: {differences:?}",
            db.label()
        );
        let message = m.stamp_t(db.driver(), V3, false).unwrap_err().to_string();
        assert!(
            message.contains("refusing to stamp version 20240103000000")
                && message.contains(&differences[0])
                && message.contains("--force"),
            "{message}"
        );
        assert!(
            db.versions().is_empty(),
            "{}: a refused stamp records nothing",
            db.label()
        );

        let report = m.stamp_t(db.driver(), V3, true).unwrap();
        assert_eq!(report.recorded, vec![V1, V2, V3], "{}", db.label());
        assert!(report.removed.is_empty());
        assert_eq!(report.skipped_differences, differences, "{}", db.label());
        assert_eq!(db.versions(), vec![V1, V2, V3]);
        assert!(m.status_t(db.driver()).unwrap().is_up_to_date());
        // The drift is still there, and verify still says so.
        let verify = m.verify_t(db.driver()).unwrap();
        assert_eq!(verify.differences, differences, "{}", db.label());
    }
}

#[test]
fn stamp_records_a_database_that_matches() {
    let migrations = base();
    for mut db in Db::each("mig_stamp_ok") {
        db.run_ups(&migrations);
        let m = migrator(&migrations);
        assert_eq!(m.status_t(db.driver()).unwrap().pending().count(), 3);
        let report = m.stamp_t(db.driver(), V3, false).unwrap();
        assert_eq!(report.recorded, vec![V1, V2, V3], "{}", db.label());
        assert!(report.removed.is_empty() && report.skipped_differences.is_empty());
        let rows = db.read_versions();
        assert_eq!(rows.len(), 3);
        for (row, migration) in rows.iter().zip(&migrations) {
            assert_eq!(row.checksum, migration.checksum);
            assert_eq!(row.name, migration.name);
        }
        let status = m.status_t(db.driver()).unwrap();
        assert!(status.is_up_to_date(), "{}: {status}", db.label());
        assert!(
            m.up_t(db.driver()).unwrap().steps.is_empty(),
            "{}",
            db.label()
        );
        assert!(m.verify_t(db.driver()).unwrap().is_clean());
        // Stamping again records nothing new.
        assert!(
            m.stamp_t(db.driver(), V3, false)
                .unwrap()
                .recorded
                .is_empty()
        );
    }
}

#[test]
fn stamping_a_lower_version_removes_the_later_rows() {
    let migrations = base();
    for mut db in Db::each("mig_stamp_lower") {
        let m = migrator(&migrations);
        m.up_t(db.driver()).unwrap();
        // Undone by hand, without the migrator.
        for migration in migrations[1..].iter().rev() {
            let down = if db.is_postgres() {
                migration.postgres.down
            } else {
                migration.sqlite.unwrap().down
            };
            db.exec(down);
        }
        // The live schema is V1's: stamping V2 is refused, V1 is not.
        assert!(matches!(
            m.stamp_t(db.driver(), V2, false),
            Err(MigrateError::StampRefused { version: V2, .. })
        ));
        let report = m.stamp_t(db.driver(), V1, false).unwrap();
        assert!(
            report.recorded.is_empty(),
            "{}: V1 was recorded already",
            db.label()
        );
        assert_eq!(report.removed, vec![V2, V3], "{}", db.label());
        assert_eq!(db.versions(), vec![V1]);
        let status = m.status_t(db.driver()).unwrap();
        assert_eq!(
            states(&status),
            vec![
                (V1, State::Applied),
                (V2, State::Pending),
                (V3, State::Pending)
            ]
        );
        assert_eq!(steps(&m.up_t(db.driver()).unwrap()), ups(&[V2, V3]));
        assert!(m.verify_t(db.driver()).unwrap().is_clean());
        // Stamping 0 forgets every row (after the schema is emptied by hand).
        db.exec("DROP TABLE posts; DROP TABLE users;");
        assert_eq!(
            m.stamp_t(db.driver(), 0, false).unwrap().removed,
            vec![V1, V2, V3]
        );
        assert!(db.versions().is_empty());
    }
}

// ---------------------------------------------------------------------------
// status and up's refusals

#[test]
fn status_shows_pending_then_applied() {
    let migrations = base();
    for mut db in Db::each("mig_status_applied") {
        let m = migrator(&migrations);
        let status = m.status_t(db.driver()).unwrap();
        assert_eq!(
            states(&status),
            vec![
                (V1, State::Pending),
                (V2, State::Pending),
                (V3, State::Pending)
            ],
            "{}",
            db.label()
        );
        assert!(!status.is_up_to_date());
        assert_eq!(status.applied_version(), None);
        assert!(
            status.to_string().ends_with("0 applied, 3 pending"),
            "{status}"
        );

        m.up_to_t(db.driver(), Some(V1)).unwrap();
        let status = m.status_t(db.driver()).unwrap();
        assert_eq!(
            states(&status),
            vec![
                (V1, State::Applied),
                (V2, State::Pending),
                (V3, State::Pending)
            ]
        );
        assert!(
            status.entries[0]
                .applied_at
                .as_ref()
                .is_some_and(|t| t.len() >= 19)
        );
        assert!(status.entries[0].duration_ms.is_some_and(|d| d >= 0.0));
        assert!(status.entries[1].applied_at.is_none());
        assert_eq!(status.applied_version(), Some(V1));

        m.up_t(db.driver()).unwrap();
        let status = m.status_t(db.driver()).unwrap();
        assert!(status.is_up_to_date(), "{}: {status}", db.label());
        assert!(
            status.to_string().ends_with("3 applied, 0 pending"),
            "{status}"
        );
    }
}

/// `base()` with V3's up.sql edited (another checksum).
fn with_edited_v3() -> Vec<Migration> {
    render(&[
        (V1, "create_users", USERS_UP, "DROP TABLE users;\n"),
        (V2, "create_posts", POSTS_UP, "DROP TABLE posts;\n"),
        (
            V3,
            "add_user_bio",
            "-- the bio shown on the profile page\nALTER TABLE users ADD COLUMN bio text;\n",
            "ALTER TABLE users DROP COLUMN bio;\n",
        ),
    ])
}

#[test]
fn an_edited_migration_is_modified_and_refused_unless_allowed() {
    let migrations = base();
    let edited = with_edited_v3();
    let (applied, embedded) = (migrations[2].checksum, edited[2].checksum);
    assert_ne!(applied, embedded);
    for mut db in Db::each("mig_status_modified") {
        migrator(&migrations).up_t(db.driver()).unwrap();
        let m = migrator(&edited);
        let status = m.status_t(db.driver()).unwrap();
        assert_eq!(
            states(&status)[2],
            (
                V3,
                State::Modified {
                    applied: applied.to_string()
                }
            ),
            "{}",
            db.label()
        );
        assert!(
            status
                .to_string()
                .contains(&format!("recorded checksum {applied}"))
        );
        match m.up_t(db.driver()) {
            Err(MigrateError::Modified {
                version,
                name,
                applied: a,
                embedded: e,
            }) => {
                assert_eq!((version, name.as_str()), (V3, "add_user_bio"));
                assert_eq!((a.as_str(), e.as_str()), (applied, embedded));
            }
            other => panic!("{}: expected Modified, got {other:?}", db.label()),
        }
        let message = m.up_t(db.driver()).unwrap_err().to_string();
        for part in [
            "migration 20240103000000",
            "migrations/20240103000000_add_user_bio/up.sql",
            applied,
            embedded,
            "allow_modified",
        ] {
            assert!(message.contains(part), "`{part}` not in: {message}");
        }
        // Down refuses too: its down SQL may not undo what was applied.
        assert!(matches!(
            m.down_t(db.driver(), DownTo::Steps(1)),
            Err(MigrateError::Modified { .. })
        ));
        assert!(!m.verify_t(db.driver()).unwrap().problems.is_empty());
        let allowed = Options {
            allow_modified: true,
            ..Options::default()
        };
        assert!(
            allowing(&edited, allowed)
                .up_t(db.driver())
                .unwrap()
                .steps
                .is_empty()
        );
        assert_eq!(db.versions(), vec![V1, V2, V3]);

        // The same files checked out with CRLF line ends and a BOM are not an edit.
        let crlf = render(&[
            (
                V1,
                "create_users",
                &format!("\u{feff}{}", USERS_UP.replace('\n', "\r\n")),
                "DROP TABLE users;\r\n",
            ),
            (
                V2,
                "create_posts",
                &POSTS_UP.replace('\n', "\r\n"),
                "DROP TABLE posts;\r\n",
            ),
            (
                V3,
                "add_user_bio",
                "ALTER TABLE users ADD COLUMN bio text;\r\n",
                "ALTER TABLE users DROP COLUMN bio;\r\n",
            ),
        ]);
        assert!(
            migrator(&crlf)
                .status_t(db.driver())
                .unwrap()
                .is_up_to_date(),
            "{}",
            db.label()
        );
        assert!(migrator(&crlf).up_t(db.driver()).unwrap().steps.is_empty());
    }
}

#[test]
fn an_applied_migration_missing_from_the_binary_is_refused_unless_allowed() {
    let migrations = base();
    let without_v2 = vec![migrations[0], migrations[2]];
    for mut db in Db::each("mig_status_missing") {
        migrator(&migrations).up_t(db.driver()).unwrap();
        let m = migrator(&without_v2);
        let status = m.status_t(db.driver()).unwrap();
        assert_eq!(
            states(&status),
            vec![
                (V1, State::Applied),
                (V2, State::Missing),
                (V3, State::Applied)
            ],
            "{}",
            db.label()
        );
        assert_eq!(
            status.entries[1].name, "create_posts",
            "the name comes from the row"
        );
        match m.up_t(db.driver()) {
            Err(MigrateError::Missing(versions)) => {
                assert_eq!(versions, vec![(V2, "create_posts".to_string())]);
            }
            other => panic!("{}: expected Missing, got {other:?}", db.label()),
        }
        let message = m.up_t(db.driver()).unwrap_err().to_string();
        assert!(
            message.contains("20240102000000_create_posts") && message.contains("allow_missing"),
            "{message}"
        );
        let allowed = Options {
            allow_missing: true,
            ..Options::default()
        };
        assert!(
            allowing(&without_v2, allowed)
                .up_t(db.driver())
                .unwrap()
                .steps
                .is_empty()
        );
        assert_eq!(db.versions(), vec![V1, V2, V3]);
    }
}

#[test]
fn a_database_newer_than_the_binary_is_refused_unless_allowed() {
    let migrations = base();
    let older_binary = &migrations[..2];
    for mut db in Db::each("mig_status_newer") {
        migrator(&migrations).up_t(db.driver()).unwrap();
        let m = migrator(older_binary);
        let status = m.status_t(db.driver()).unwrap();
        assert_eq!(
            states(&status),
            vec![
                (V1, State::Applied),
                (V2, State::Applied),
                (V3, State::Newer)
            ],
            "{}",
            db.label()
        );
        match m.up_t(db.driver()) {
            Err(MigrateError::Newer {
                versions,
                binary_latest,
            }) => {
                assert_eq!(versions, vec![(V3, "add_user_bio".to_string())]);
                assert_eq!(binary_latest, Some(V2));
            }
            other => panic!("{}: expected Newer, got {other:?}", db.label()),
        }
        let message = m.up_t(db.driver()).unwrap_err().to_string();
        assert!(
            message.contains("20240103000000_add_user_bio")
                && message.contains("(20240102000000)")
                && message.contains("allow_newer_database"),
            "{message}"
        );
        let allowed = Options {
            allow_newer_database: true,
            ..Options::default()
        };
        assert!(
            allowing(older_binary, allowed)
                .up_t(db.driver())
                .unwrap()
                .steps
                .is_empty()
        );
        assert_eq!(db.versions(), vec![V1, V2, V3]);
    }
}

#[test]
fn a_pending_migration_older_than_the_latest_applied_is_out_of_order() {
    let migrations = base();
    // A branch without V2 migrated first.
    let branch = vec![migrations[0], migrations[2]];
    for mut db in Db::each("mig_status_order") {
        assert_eq!(
            steps(&migrator(&branch).up_t(db.driver()).unwrap()),
            ups(&[V1, V3])
        );
        let m = migrator(&migrations);
        let status = m.status_t(db.driver()).unwrap();
        assert_eq!(
            states(&status),
            vec![
                (V1, State::Applied),
                (V2, State::OutOfOrder),
                (V3, State::Applied)
            ],
            "{}",
            db.label()
        );
        assert_eq!(status.pending().count(), 1);
        match m.up_t(db.driver()) {
            Err(MigrateError::OutOfOrder {
                version,
                name,
                latest,
            }) => {
                assert_eq!((version, name.as_str(), latest), (V2, "create_posts", V3));
            }
            other => panic!("{}: expected OutOfOrder, got {other:?}", db.label()),
        }
        let message = m.up_t(db.driver()).unwrap_err().to_string();
        assert!(
            message.contains("migration 20240102000000 (create_posts)")
                && message.contains("20240103000000")
                && message.contains("allow_out_of_order"),
            "{message}"
        );
        assert_eq!(db.versions(), vec![V1, V3], "a refused up applies nothing");
        assert!(!db.exists("posts"));
        let allowed = Options {
            allow_out_of_order: true,
            ..Options::default()
        };
        assert_eq!(
            steps(&allowing(&migrations, allowed).up_t(db.driver()).unwrap()),
            ups(&[V2])
        );
        assert!(m.status_t(db.driver()).unwrap().is_up_to_date());
        assert!(m.verify_t(db.driver()).unwrap().is_clean());
    }
}

// ---------------------------------------------------------------------------
// down, redo, up_to

#[test]
fn down_reverts_steps_or_to_a_version() {
    let migrations = base();
    for mut db in Db::each("mig_down") {
        let m = migrator(&migrations);
        m.up_t(db.driver()).unwrap();
        let report = m.down_t(db.driver(), DownTo::Steps(2)).unwrap();
        assert_eq!(steps(&report), downs(&[V3, V2]), "{}", db.label());
        assert!(report.steps.iter().all(|s| s.duration.is_some()));
        assert_eq!(db.versions(), vec![V1]);
        assert!(!db.exists("posts") && !db.has_column("users", "bio"));
        assert!(db.exists("users"));
        assert!(m.verify_t(db.driver()).unwrap().differences.is_empty());

        m.up_t(db.driver()).unwrap();
        assert_eq!(
            steps(&m.down_t(db.driver(), DownTo::Version(V1)).unwrap()),
            downs(&[V3, V2])
        );
        assert_eq!(db.versions(), vec![V1]);
        // Already there: nothing to do.
        assert!(
            m.down_t(db.driver(), DownTo::Version(V1))
                .unwrap()
                .steps
                .is_empty()
        );
        assert_eq!(
            steps(&m.down_t(db.driver(), DownTo::Version(0)).unwrap()),
            downs(&[V1])
        );
        assert!(db.versions().is_empty() && !db.exists("users"));
        assert!(
            m.down_t(db.driver(), DownTo::Steps(1))
                .unwrap()
                .steps
                .is_empty()
        );
    }
}

#[test]
fn down_reverts_a_migration_the_binary_lacks_with_its_recorded_sql() {
    let migrations = base();
    for mut db in Db::each("mig_down_recorded") {
        migrator(&migrations).up_t(db.driver()).unwrap();
        let rows = db.read_versions();
        let expected_down = if db.is_postgres() {
            migrations[2].postgres.down
        } else {
            migrations[2].sqlite.unwrap().down
        };
        assert_eq!(rows[2].down_sql, expected_down, "{}", db.label());

        // An older binary, with the default options: the newer database is
        // refused for `up`, not for `down`.
        let older = migrator(&migrations[..2]);
        let report = older.down_t(db.driver(), DownTo::Steps(1)).unwrap();
        assert_eq!(steps(&report), downs(&[V3]), "{}", db.label());
        assert_eq!(report.steps[0].name, "add_user_bio");
        assert!(
            !db.has_column("users", "bio"),
            "{}: the recorded down SQL ran",
            db.label()
        );
        assert_eq!(db.versions(), vec![V1, V2]);
        assert!(older.status_t(db.driver()).unwrap().is_up_to_date());
        assert!(older.verify_t(db.driver()).unwrap().is_clean());
    }
}

#[test]
fn redo_reverts_and_applies_the_latest_again() {
    let migrations = base();
    for mut db in Db::each("mig_redo") {
        let m = migrator(&migrations);
        match m.redo_t(db.driver()) {
            Err(MigrateError::NothingToRedo(why)) => assert!(why.contains("no migration"), "{why}"),
            other => panic!("{}: expected NothingToRedo, got {other:?}", db.label()),
        }
        m.up_t(db.driver()).unwrap();
        db.exec("INSERT INTO users (id, email, bio) VALUES (1, 'a@example.com', 'hello')");
        let report = m.redo_t(db.driver()).unwrap();
        assert_eq!(
            steps(&report),
            vec![(Direction::Down, V3), (Direction::Up, V3)],
            "{}",
            db.label()
        );
        assert_eq!(db.versions(), vec![V1, V2, V3]);
        assert!(db.has_column("users", "bio"));
        // The column was dropped and added again: its value is gone.
        assert_eq!(
            db.int("SELECT count(*) FROM users WHERE bio IS NULL"),
            1,
            "{}",
            db.label()
        );
        assert!(m.verify_t(db.driver()).unwrap().is_clean());

        match migrator(&migrations[..2]).redo_t(db.driver()) {
            Err(MigrateError::NothingToRedo(why)) => {
                assert!(why.contains("20240103000000"), "{why}");
            }
            other => panic!("{}: expected NothingToRedo, got {other:?}", db.label()),
        }
        assert_eq!(db.versions(), vec![V1, V2, V3]);
    }
}

#[test]
fn up_to_stops_at_a_version_and_reports_progress() {
    let migrations = base();
    for mut db in Db::each("mig_up_to") {
        let seen = std::sync::Mutex::new(Vec::new());
        let progress = |s: &Step| seen.lock().unwrap().push((s.version, s.duration.is_some()));
        let m = migrator(&migrations).on_progress(&progress);
        assert_eq!(
            steps(&m.up_to_t(db.driver(), Some(V2)).unwrap()),
            ups(&[V1, V2])
        );
        assert_eq!(
            seen.lock().unwrap().clone(),
            vec![(V1, false), (V1, true), (V2, false), (V2, true)]
        );
        assert_eq!(db.versions(), vec![V1, V2]);
        assert!(db.exists("posts") && !db.has_column("users", "bio"));
        assert!(m.up_to_t(db.driver(), Some(V2)).unwrap().steps.is_empty());
        assert!(m.up_to_t(db.driver(), Some(V1)).unwrap().steps.is_empty());
        assert_eq!(
            steps(&m.up_t(db.driver()).unwrap()),
            ups(&[V3]),
            "{}",
            db.label()
        );
    }
}

#[test]
fn unknown_versions_are_refused() {
    let migrations = base();
    for mut db in Db::each("mig_unknown") {
        let m = migrator(&migrations);
        m.up_to_t(db.driver(), Some(V1)).unwrap();
        let unknown = |r: Result<(), MigrateError>| match r {
            Err(MigrateError::UnknownVersion(42)) => {}
            other => panic!("expected UnknownVersion(42), got {other:?}"),
        };
        unknown(m.up_to_t(db.driver(), Some(42)).map(drop));
        unknown(m.down_t(db.driver(), DownTo::Version(42)).map(drop));
        unknown(m.stamp_t(db.driver(), 42, true).map(drop));
        unknown(m.resolve_t(db.driver(), 42, Resolution::Applied));
        // An applied, finished migration is not something to resolve.
        match m.resolve_t(db.driver(), V1, Resolution::RolledBack) {
            Err(MigrateError::UnknownVersion(V1)) => {}
            other => panic!("expected UnknownVersion({V1}), got {other:?}"),
        }
        let message = m.up_to_t(db.driver(), Some(42)).unwrap_err().to_string();
        assert!(message.contains("version 42 is neither"), "{message}");
        assert_eq!(db.versions(), vec![V1], "{}: nothing changed", db.label());
    }
}

// ---------------------------------------------------------------------------
// no-transaction migrations (PostgreSQL)

const NAME_INDEX_UP: &str =
    "-- schema: no-transaction\nCREATE INDEX CONCURRENTLY users_name_idx ON users (name);\n";
const NAME_INDEX_DOWN: &str = "-- schema: no-transaction\nDROP INDEX users_name_idx;\n";

/// `base()` and a `no-transaction` migration V4 (`up`, `down`).
fn with_v4(slug: &str, up: &str, down: &str) -> Vec<Migration> {
    render(&[
        (V1, "create_users", USERS_UP, "DROP TABLE users;\n"),
        (V2, "create_posts", POSTS_UP, "DROP TABLE posts;\n"),
        (
            V3,
            "add_user_bio",
            "ALTER TABLE users ADD COLUMN bio text;\n",
            "ALTER TABLE users DROP COLUMN bio;\n",
        ),
        (V4, slug, up, down),
    ])
}

/// True when index `name` exists and is valid.
fn valid_index(db: &mut Db, name: &str) -> bool {
    db.int(&format!(
        "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
         WHERE c.relname = '{name}' AND i.indisvalid"
    )) == 1
}

#[test]
fn create_index_concurrently_runs_outside_a_transaction() {
    let Some(server) = pg::server() else { return };
    let migrations = with_v4("index_user_names", NAME_INDEX_UP, NAME_INDEX_DOWN);
    assert!(migrations[3].no_transaction, "the directive is read");

    // The same migration without the directive fails: PostgreSQL refuses
    // CONCURRENTLY inside a transaction block. Nothing of it is left.
    let mut in_transaction = migrations.clone();
    in_transaction[3].no_transaction = false;
    in_transaction[3].checksum = "not-the-file";
    for mut db in Db::postgres_both(&server, "mig_concurrently") {
        match migrator(&in_transaction).up_t(db.driver()) {
            Err(MigrateError::Failed {
                version: V4,
                no_transaction: false,
                error,
                ..
            }) => {
                assert!(
                    error.to_string().contains("inside a transaction block"),
                    "{error}"
                );
            }
            other => panic!("expected Failed, got {other:?}"),
        }
        assert_eq!(db.versions(), vec![V1, V2, V3]);
        assert!(!db.exists("users_name_idx"));

        let m = migrator(&migrations);
        assert_eq!(steps(&m.up_t(db.driver()).unwrap()), ups(&[V4]));
        assert!(valid_index(&mut db, "users_name_idx"));
        let row = db.read_versions().pop().unwrap();
        assert_eq!(
            (row.version, row.no_transaction, row.state),
            (V4, true, RowState::Applied)
        );
        assert!(m.status_t(db.driver()).unwrap().is_up_to_date());
        assert!(m.verify_t(db.driver()).unwrap().is_clean());

        // Its down also runs outside a transaction. (Plain DROP INDEX: the
        // engine's parser does not read `DROP INDEX CONCURRENTLY` yet.)
        assert_eq!(
            steps(&m.down_t(db.driver(), DownTo::Steps(1)).unwrap()),
            downs(&[V4])
        );
        assert!(!db.exists("users_name_idx"));
        assert_eq!(db.versions(), vec![V1, V2, V3]);
    }
}

#[test]
fn an_interrupted_no_transaction_migration_is_refused_until_resolved() {
    let Some(server) = pg::server() else { return };
    let migrations = with_v4(
        "index_users",
        "-- schema: no-transaction\n\
         CREATE INDEX CONCURRENTLY users_name_idx ON users (name);\n\
         CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);\n",
        "-- schema: no-transaction\n\
         DROP INDEX users_email_key;\n\
         DROP INDEX users_name_idx;\n",
    );
    for mut db in Db::postgres_both(&server, "mig_interrupted") {
        let m = migrator(&migrations);
        m.up_to_t(db.driver(), Some(V3)).unwrap();
        // Two users with one email: the unique index fails, after the first index.
        db.exec("INSERT INTO users (id, email) VALUES (1, 'a@example.com'), (2, 'a@example.com')");

        let interrupt = |db: &mut Db| {
            match m.up_t(db.driver()) {
                Err(e @ MigrateError::Failed { .. }) => {
                    let message = e.to_string();
                    assert!(
                        message.contains("the 1 statement(s) before the failing one stay applied"),
                        "{message}"
                    );
                    assert!(
                        message.contains("schema resolve 20240104000000"),
                        "{message}"
                    );
                    let MigrateError::Failed {
                        version,
                        no_transaction,
                        error,
                        ..
                    } = e
                    else {
                        unreachable!()
                    };
                    assert_eq!(
                        (version, no_transaction, error.statement, error.statements),
                        (V4, true, 2, 2)
                    );
                }
                other => panic!("expected Failed, got {other:?}"),
            }
            let row = db.read_versions().pop().unwrap();
            assert_eq!((row.version, row.state), (V4, RowState::Applying));
            assert!(
                valid_index(db, "users_name_idx"),
                "statement 1 stays applied"
            );
            let status = m.status_t(db.driver()).unwrap();
            assert_eq!(
                states(&status)[3],
                (V4, State::Interrupted(RowState::Applying))
            );
            assert_eq!(status.problems().count(), 1);
            assert!(status.to_string().contains("interrupted"), "{status}");
            match m.up_t(db.driver()) {
                Err(e @ MigrateError::Interrupted { .. }) => {
                    let message = e.to_string();
                    assert!(
                        message.contains("migration 20240104000000 (index_users)"),
                        "{message}"
                    );
                    assert!(message.contains("--rolled-back"), "{message}");
                    let MigrateError::Interrupted { version, state, .. } = e else {
                        unreachable!()
                    };
                    assert_eq!((version, state), (V4, RowState::Applying));
                }
                other => panic!("expected Interrupted, got {other:?}"),
            }
            assert!(matches!(
                m.down_t(db.driver(), DownTo::Steps(1)),
                Err(MigrateError::Interrupted { .. })
            ));
            assert!(matches!(
                m.redo_t(db.driver()),
                Err(MigrateError::Interrupted { .. })
            ));
            let verify = m.verify_t(db.driver()).unwrap();
            assert!(
                verify.problems.iter().any(|p| p.contains("interrupted")),
                "{verify}"
            );
        };

        interrupt(&mut db);
        // Undone by hand (the failed unique index is left behind, invalid).
        assert!(db.exists("users_email_key") && !valid_index(&mut db, "users_email_key"));
        db.exec("DROP INDEX users_email_key; DROP INDEX users_name_idx;");
        m.resolve_t(db.driver(), V4, Resolution::RolledBack)
            .unwrap();
        assert_eq!(db.versions(), vec![V1, V2, V3]);
        assert_eq!(
            states(&m.status_t(db.driver()).unwrap())[3],
            (V4, State::Pending)
        );

        interrupt(&mut db);
        // Finished by hand this time.
        db.exec(
            "DELETE FROM users WHERE id = 2; DROP INDEX users_email_key; \
         CREATE UNIQUE INDEX users_email_key ON users (email);",
        );
        m.resolve_t(db.driver(), V4, Resolution::Applied).unwrap();
        let status = m.status_t(db.driver()).unwrap();
        assert!(status.is_up_to_date(), "{status}");
        assert!(m.up_t(db.driver()).unwrap().steps.is_empty());
        assert!(m.verify_t(db.driver()).unwrap().is_clean());

        // Its down, interrupted: statement 1 runs, statement 2 fails.
        let interrupt_down = |db: &mut Db| {
            db.exec("DROP INDEX users_name_idx");
            match m.down_t(db.driver(), DownTo::Steps(1)) {
                Err(MigrateError::Failed {
                    direction: Direction::Down,
                    version: V4,
                    no_transaction: true,
                    error,
                    ..
                }) => {
                    assert_eq!(error.statement, 2);
                }
                other => panic!("expected Failed, got {other:?}"),
            }
            let status = m.status_t(db.driver()).unwrap();
            assert_eq!(
                states(&status)[3],
                (V4, State::Interrupted(RowState::Reverting))
            );
            assert!(
                status.to_string().contains("interrupted while reverting"),
                "{status}"
            );
            let message = m.up_t(db.driver()).unwrap_err().to_string();
            assert!(
                message.contains("interrupted while reverting")
                    && message.contains("20240104000000_index_users/down.sql"),
                "{message}"
            );
        };
        interrupt_down(&mut db);
        // The down undone by hand: the migration is applied again.
        db.exec("CREATE INDEX users_name_idx ON users (name); CREATE UNIQUE INDEX users_email_key ON users (email);");
        m.resolve_t(db.driver(), V4, Resolution::RolledBack)
            .unwrap();
        assert!(m.status_t(db.driver()).unwrap().is_up_to_date());
        assert!(m.verify_t(db.driver()).unwrap().is_clean());

        interrupt_down(&mut db);
        // The down finished by hand (both indexes are gone): the migration is reverted.
        assert!(!db.exists("users_email_key") && !db.exists("users_name_idx"));
        m.resolve_t(db.driver(), V4, Resolution::Applied).unwrap();
        assert_eq!(
            db.versions(),
            vec![V1, V2, V3],
            "a finished revert leaves no row"
        );
        assert_eq!(
            states(&m.status_t(db.driver()).unwrap())[3],
            (V4, State::Pending)
        );
        let verify = m.verify_t(db.driver()).unwrap();
        assert!(verify.differences.is_empty(), "{verify}");
    }
}

// ---------------------------------------------------------------------------
// SQLite table rebuilds, and failing migrations

fn foreign_keys_on(db: &mut Db) -> bool {
    db.int("PRAGMA foreign_keys") == 1
}

/// The whole schema as SQLite keeps it.
fn sqlite_schema(db: &mut Db) -> Vec<(String, Option<String>)> {
    let Db::Sqlite(d) = db else { unreachable!() };
    d.connection()
        .prepare("SELECT name, sql FROM sqlite_schema WHERE name NOT LIKE '\\_schema\\_%' ESCAPE '\\' ORDER BY name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn fill(db: &mut Db) {
    db.exec(
        "INSERT INTO users (id, email, name) VALUES (1, 'a@example.com', 'Ann'), (2, 'b@example.com', 'Bob');
         INSERT INTO posts (id, user_id, title) VALUES (10, 1, 'first'), (11, 1, 'second'), (12, 2, 'third');",
    );
}

#[test]
fn a_sqlite_rebuild_keeps_rows_and_turns_foreign_keys_back_on() {
    let migrations = with_v4(
        "require_user_name",
        "ALTER TABLE users ALTER COLUMN name SET NOT NULL;\n",
        "ALTER TABLE users ALTER COLUMN name DROP NOT NULL;\n",
    );
    let script = migrations[3].sqlite.unwrap();
    for sql in [script.up, script.down] {
        let code: Vec<&str> = sql.lines().filter(|l| !l.starts_with("--")).collect();
        assert_eq!(code.first(), Some(&"PRAGMA foreign_keys=OFF;"), "{sql}");
        assert_eq!(
            code[code.len() - 2..],
            ["PRAGMA foreign_key_check;", "PRAGMA foreign_keys=ON;"],
            "{sql}"
        );
        assert!(sql.contains("DROP TABLE \"users\""), "a rebuild: {sql}");
    }
    let mut db = Db::sqlite();
    assert!(foreign_keys_on(&mut db));
    let m = migrator(&migrations);
    m.up_to_t(db.driver(), Some(V3)).unwrap();
    fill(&mut db);
    assert_eq!(steps(&m.up_t(db.driver()).unwrap()), ups(&[V4]));
    assert!(foreign_keys_on(&mut db), "foreign keys are back on");
    assert_eq!(db.int("SELECT count(*) FROM users"), 2);
    assert_eq!(db.int("SELECT count(*) FROM posts"), 3);
    assert_eq!(
        db.int("SELECT count(*) FROM users WHERE name = 'Ann' AND email = 'a@example.com'"),
        1
    );
    assert!(m.verify_t(db.driver()).unwrap().is_clean());
    let Db::Sqlite(d) = &db else { unreachable!() };
    let conn = d.connection();
    assert!(
        conn.execute(
            "INSERT INTO users (id, email) VALUES (3, 'c@example.com')",
            []
        )
        .is_err(),
        "NOT NULL"
    );
    assert!(
        conn.execute(
            "INSERT INTO posts (id, user_id, title) VALUES (13, 99, 'orphan')",
            []
        )
        .is_err(),
        "the foreign key to the rebuilt table is enforced"
    );
    assert_eq!(
        conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r
            .get::<_, i64>(
            0
        ))
        .unwrap(),
        0
    );

    assert_eq!(
        steps(&m.down_t(db.driver(), DownTo::Steps(1)).unwrap()),
        downs(&[V4])
    );
    assert!(foreign_keys_on(&mut db));
    assert_eq!(db.int("SELECT count(*) FROM posts"), 3);
    assert!(m.verify_t(db.driver()).unwrap().differences.is_empty());
}

/// A hand-written SQLite rebuild of `users` that leaves out user 1, whom posts
/// reference.
/// Commented the way the renderer comments its rebuilds.
const BREAKING_REBUILD: &str = r#"-- run this migration with foreign keys off
PRAGMA foreign_keys=OFF;
-- rebuild `users` without user 1
CREATE TABLE "_new_users" (
    "id" BIGINT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "status" TEXT DEFAULT 'active' NOT NULL,
    "bio" TEXT,
    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);
INSERT INTO "_new_users" SELECT * FROM "users" WHERE "id" <> 1;
DROP TABLE "users";
ALTER TABLE "_new_users" RENAME TO "users";
CREATE INDEX "users_email_idx" ON "users" ("email");
-- any row returned here is a foreign key the migration broke
PRAGMA foreign_key_check;
PRAGMA foreign_keys=ON;
"#;

#[test]
fn a_sqlite_rebuild_that_breaks_a_foreign_key_is_rolled_back() {
    let mut migrations = base();
    migrations.push(hand(V4, "drop_first_user", BREAKING_REBUILD, "SELECT 1;"));
    let mut db = Db::sqlite();
    let m = migrator(&migrations);
    m.up_to_t(db.driver(), Some(V3)).unwrap();
    fill(&mut db);
    let before = sqlite_schema(&mut db);
    match m.up_t(db.driver()) {
        Err(e @ MigrateError::Failed { .. }) => {
            let message = e.to_string();
            assert!(message.contains("foreign keys point nowhere"), "{message}");
            assert!(message.contains("rolled back"), "{message}");
            let MigrateError::Failed {
                version,
                no_transaction,
                error,
                ..
            } = e
            else {
                unreachable!()
            };
            assert_eq!((version, no_transaction, error.statement), (V4, false, 7));
        }
        other => panic!("expected Failed, got {other:?}"),
    }
    assert_eq!(
        db.versions(),
        vec![V1, V2, V3],
        "no row for the failed migration"
    );
    assert_eq!(sqlite_schema(&mut db), before, "schema unchanged");
    assert_eq!(db.int("SELECT count(*) FROM users"), 2);
    assert!(!db.exists("_new_users"));
    assert!(foreign_keys_on(&mut db), "foreign keys are back on");
}

#[test]
fn a_failing_migration_is_rolled_back_whole() {
    let mut migrations = base();
    migrations.push(hand(
        V4,
        "half_done",
        "CREATE TABLE partial (id integer PRIMARY KEY);\n\
         INSERT INTO partial (id) VALUES (1);\n\
         CREATE INDEX partial_idx ON partial (id);\n\
         INSERT INTO no_such_table (id) VALUES (1);\n",
        "DROP TABLE partial;\n",
    ));
    for mut db in Db::each("mig_rollback") {
        let m = migrator(&migrations);
        match m.up_t(db.driver()) {
            Err(e @ MigrateError::Failed { .. }) => {
                let message = e.to_string();
                assert!(
                    message.contains("applying migration 20240104000000 (half_done) failed"),
                    "{message}"
                );
                assert!(
                    message.contains("statement 4 of 4") && message.contains("no_such_table"),
                    "{message}"
                );
                assert!(message.contains("nothing of it is left"), "{message}");
            }
            other => panic!("{}: expected Failed, got {other:?}", db.label()),
        }
        assert_eq!(
            db.versions(),
            vec![V1, V2, V3],
            "{}: earlier migrations stay",
            db.label()
        );
        assert!(
            !db.exists("partial") && !db.exists("partial_idx"),
            "{}: no partial table",
            db.label()
        );
        assert_eq!(
            states(&m.status_t(db.driver()).unwrap())[3],
            (V4, State::Pending)
        );
    }
}

#[test]
fn a_failing_down_is_rolled_back_whole() {
    let mut migrations = base();
    migrations.push(hand(
        V4,
        "add_tags",
        "CREATE TABLE tags (id integer PRIMARY KEY);\nCREATE INDEX tags_idx ON tags (id);\n",
        "DROP INDEX tags_idx;\nDROP TABLE no_such_table;\n",
    ));
    for mut db in Db::each("mig_rollback_down") {
        let m = migrator(&migrations);
        m.up_t(db.driver()).unwrap();
        match m.down_t(db.driver(), DownTo::Steps(2)) {
            Err(MigrateError::Failed {
                direction: Direction::Down,
                version: V4,
                error,
                ..
            }) => {
                assert_eq!(error.statement, 2);
            }
            other => panic!("{}: expected Failed, got {other:?}", db.label()),
        }
        assert_eq!(db.versions(), vec![V1, V2, V3, V4], "{}", db.label());
        assert!(
            db.exists("tags_idx"),
            "{}: the dropped index is back",
            db.label()
        );
    }
}

// ---------------------------------------------------------------------------
// the lock

#[test]
fn up_with_nothing_to_do_takes_no_lock_and_a_held_lock_times_out() {
    let migrations = base();
    let quick = Options {
        lock_timeout: Duration::from_millis(300),
        ..Options::default()
    };
    for mut db in Db::each("mig_lock") {
        migrator(&migrations[..2]).up_t(db.driver()).unwrap();
        // Another migrator holds the lock.
        let mut holder = match &db {
            Db::Sqlite(d) => {
                d.connection()
                    .execute_batch(
                        "INSERT INTO _schema_migrations_lock (id, holder, locked_at) \
                         VALUES (1, 'another migrator', 'now')",
                    )
                    .unwrap();
                None
            }
            Db::Postgres(_, test_db) => {
                let mut client = test_db.connect();
                client
                    .query_one("SELECT pg_advisory_lock($1)", &[&LOCK_KEY])
                    .unwrap();
                Some(client)
            }
        };
        let started = Instant::now();
        let report = allowing(&migrations[..2], quick.clone())
            .up_t(db.driver())
            .unwrap();
        assert!(report.steps.is_empty(), "{}", db.label());
        assert!(
            started.elapsed() < Duration::from_millis(300),
            "{}: nothing to do does not wait for the lock",
            db.label()
        );
        match allowing(&migrations, quick.clone()).up_t(db.driver()) {
            Err(MigrateError::Driver(e)) => {
                assert!(e.to_string().contains("taking the migrator lock"), "{e}");
            }
            other => panic!("{}: expected a lock timeout, got {other:?}", db.label()),
        }
        assert_eq!(db.versions(), vec![V1, V2], "{}", db.label());
        // Released: the pending migration runs.
        match holder.as_mut() {
            None => db.exec("DELETE FROM _schema_migrations_lock"),
            Some(client) => {
                client
                    .query_one("SELECT pg_advisory_unlock($1)", &[&LOCK_KEY])
                    .unwrap();
            }
        }
        let report = allowing(&migrations, quick.clone())
            .up_t(db.driver())
            .unwrap();
        assert_eq!(steps(&report), ups(&[V3]), "{}", db.label());
    }
}

#[test]
fn a_statement_postgresql_cannot_parse_is_named_and_rolled_back() {
    let Some(server) = pg::server() else { return };
    let mut migrations = base();
    migrations.push(hand(
        V4,
        "typo",
        "CREATE TABLE partial (id integer PRIMARY KEY);\n\
         CREATE TABEL oops (id integer);\n\
         CREATE TABLE later (id integer);\n",
        "DROP TABLE later;\nDROP TABLE partial;\n",
    ));
    for mut db in Db::postgres_both(&server, "mig_syntax") {
        let m = migrator(&migrations);
        match m.up_t(db.driver()) {
            Err(MigrateError::Failed {
                version: V4, error, ..
            }) => {
                assert_eq!((error.statement, error.statements), (2, 3), "{error}");
                assert!(error.sql.contains("CREATE TABEL oops"), "{error}");
                assert!(error.to_string().contains("syntax error"), "{error}");
            }
            other => panic!("expected Failed, got {other:?}"),
        }
        assert_eq!(db.versions(), vec![V1, V2, V3]);
        assert!(!db.exists("partial") && !db.exists("later"));
        // The connection is usable: the next migrator call works.
        assert!(m.verify_t(db.driver()).unwrap().differences.is_empty());
    }
}

/// Roles are not created by the tool: a grant to one the server does not
/// have fails at `up`, in its migration, with PostgreSQL's message naming
/// the role and the statement that names it; nothing of the migration stays.
#[test]
fn a_grant_to_a_role_the_server_lacks_names_the_role_at_up() {
    let Some(server) = pg::server() else { return };
    let mut migrations = base();
    migrations.push(hand(
        V4,
        "grants",
        "CREATE TABLE reports (id integer PRIMARY KEY);\n\
         GRANT SELECT ON reports TO schema_test_no_such_role;\n",
        "DROP TABLE reports;\n",
    ));
    for mut db in Db::postgres_both(&server, "mig_role") {
        let m = migrator(&migrations);
        match m.up_t(db.driver()) {
            Err(e @ MigrateError::Failed { .. }) => {
                let message = e.to_string();
                assert!(
                    message.contains("role \"schema_test_no_such_role\" does not exist"),
                    "{message}"
                );
                assert!(message.contains("statement 2 of 2"), "{message}");
                assert!(message.contains("GRANT SELECT ON reports"), "{message}");
            }
            other => panic!("expected Failed, got {other:?}"),
        }
        assert_eq!(db.versions(), vec![V1, V2, V3]);
        assert!(!db.exists("reports"));
    }
}

const OTHERS_UP: &str = "CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE FUNCTION int_sum_sq(acc bigint, x integer) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT acc + x * x $$;
CREATE AGGREGATE sum_of_squares (integer) (SFUNC = int_sum_sq, STYPE = bigint, INITCOND = '0');
CREATE PUBLICATION user_changes FOR TABLE users;
COMMENT ON PUBLICATION user_changes IS 'users only';
CREATE RULE posts_keep AS ON DELETE TO posts DO INSTEAD NOTHING;
";
const OTHERS_DOWN: &str = "DROP RULE posts_keep ON posts;
DROP PUBLICATION user_changes;
DROP AGGREGATE sum_of_squares(integer);
DROP FUNCTION int_sum_sq(bigint, integer);
DROP COLLATION nocase;
";

/// Aggregates, collations, publications and rules (carried as written) are
/// compared by what the database holds for them: clean right after `up`, and
/// each hand-made change found, named as the change that would undo it.
#[test]
fn verify_finds_drift_in_carried_objects() {
    let Some(server) = pg::server() else { return };
    let migrations = with_v4("other_objects", OTHERS_UP, OTHERS_DOWN);
    let cases = [
        (
            "ALTER PUBLICATION user_changes ADD TABLE posts",
            "recreate publication `user_changes`",
        ),
        (
            "DROP AGGREGATE sum_of_squares(integer);
             CREATE AGGREGATE sum_of_squares (integer) (SFUNC = int_sum_sq, STYPE = bigint, INITCOND = '1')",
            "recreate aggregate `sum_of_squares(integer)`",
        ),
        (
            "CREATE OR REPLACE RULE posts_keep AS ON DELETE TO posts DO INSTEAD SELECT 1",
            "recreate rule `posts_keep ON posts`",
        ),
        ("DROP RULE posts_keep ON posts", "create rule `posts_keep ON posts`"),
        (
            "CREATE COLLATION extra (provider = icu, locale = 'de')",
            "drop collation `extra`",
        ),
        (
            "COMMENT ON PUBLICATION user_changes IS NULL",
            "change comment of publication `user_changes`",
        ),
    ];
    for (i, (sql, expected)) in cases.iter().enumerate() {
        let mut db = Db::postgres(&server, &format!("mig_verify_other{i}"));
        let m = migrator(&migrations);
        m.up_t(db.driver()).unwrap();
        let clean = m.verify_t(db.driver()).unwrap();
        assert!(clean.is_clean(), "fresh database: {clean}");
        db.exec(sql);
        let report = m.verify_t(db.driver()).unwrap();
        assert_eq!(
            report.differences,
            vec![expected.to_string()],
            "{sql}: {report}"
        );
    }
}

// ---------------------------------------------------------------------------
// one round trip per migration (PostgreSQL: `Driver::run_in_one_batch`)

/// A down script that stores as itself only when every character is escaped
/// right: quotes, `$$` and a dollar tag, backslashes, unicode.
const AWKWARD_DOWN: &str = r#"SELECT 'it''s $$ $t$ \ \\ ünïcödé ✓ 日本語 🎉' AS "x ""y""";
DROP TABLE quoted; -- it's "quoted": $$ $t$ E'\n' \\ back\slash ✓
"#;

/// The one-batch path's row: name, checksum, down SQL (byte for byte), state
/// and a positive duration; the down (also one batch) deletes it; and the
/// same on SQLite, which keeps the step-by-step path.
#[test]
fn an_up_in_one_batch_records_its_row_exactly() {
    let mut migrations = base();
    migrations.push(hand(
        V4,
        "it's_quoted",
        // The last statement has no `;` and ends in a line comment.
        "CREATE TABLE quoted (id integer PRIMARY KEY, note text DEFAULT 'it''s');\n\
         INSERT INTO quoted (id) VALUES (1) -- no semicolon, no newline",
        AWKWARD_DOWN,
    ));
    for mut db in Db::each("mig_one_batch_row") {
        let m = migrator(&migrations);
        let report = m.up_t(db.driver()).unwrap();
        assert_eq!(steps(&report), ups(&[V1, V2, V3, V4]), "{}", db.label());
        assert!(report.steps.iter().all(|s| s.duration.is_some()));
        let row = db.read_versions().pop().unwrap();
        assert_eq!(
            (
                row.version,
                row.name.as_str(),
                row.checksum.as_str(),
                row.down_sql.as_str(),
                row.no_transaction,
                row.state
            ),
            (
                V4,
                "it's_quoted",
                migrations[3].checksum,
                AWKWARD_DOWN,
                false,
                RowState::Applied
            ),
            "{}",
            db.label()
        );
        assert!(
            row.duration_ms > 0.0 && row.duration_ms < 60_000.0,
            "{}: {}",
            db.label(),
            row.duration_ms
        );
        assert!(!row.applied_at.is_empty());
        assert_eq!(db.int("SELECT count(*) FROM quoted"), 1, "{}", db.label());
        if db.is_postgres() {
            // Compared by the server too, against the text sent as a parameter.
            let same: bool = db
                .sql()
                .query_one(
                    "SELECT down_sql = $1 AND name = $2 FROM _schema_migrations WHERE version = $3",
                    &[&AWKWARD_DOWN, &"it's_quoted", &(V4 as i64)],
                )
                .unwrap()
                .get(0);
            assert!(same, "{}", db.label());
        }
        assert!(m.status_t(db.driver()).unwrap().is_up_to_date());
        // The down runs the recorded-as-embedded script and deletes the row.
        assert_eq!(
            steps(&m.down_t(db.driver(), DownTo::Steps(1)).unwrap()),
            downs(&[V4])
        );
        assert!(!db.exists("quoted"), "{}", db.label());
        assert_eq!(db.versions(), vec![V1, V2, V3], "{}", db.label());
    }
}

/// The error a script gives through the driver's steps (`begin`,
/// `run_script`, `rollback`): what the migrator reported before it ran a
/// migration in one batch.
fn step_by_step_error(db: &mut Db, script: &str) -> schema_runtime::driver::ScriptError {
    use schema_runtime::AsyncDriver;
    macro_rules! steps_on {
        ($rt:expr, $d:expr) => {
            $rt.block_on(async {
                AsyncDriver::begin($d, script).await.unwrap();
                let e = AsyncDriver::run_script($d, script).await.unwrap_err();
                AsyncDriver::rollback($d).await.unwrap();
                e
            })
        };
    }
    match db.driver() {
        Target::Blocking(d) => {
            d.begin(script).unwrap();
            let e = d.run_script(script).unwrap_err();
            d.rollback().unwrap();
            e
        }
        Target::Async(rt, d) => steps_on!(rt, d),
        Target::Sqlx(rt, d) => steps_on!(rt, d),
        Target::SqlxSqlite(rt, d) => steps_on!(rt, d),
    }
}

/// A script failing in the one batch is reported as the steps report it:
/// the same statement number, statement and error; no row and nothing of the
/// script is left; the connection goes on working.
#[test]
fn a_failing_up_in_one_batch_fails_as_step_by_step_and_leaves_nothing() {
    let Some(server) = pg::server() else { return };
    let cases: [(&str, &'static str, usize, usize); 4] = [
        (
            "in_the_middle",
            "CREATE TABLE partial (id integer PRIMARY KEY);\n\
             INSERT INTO no_such_table (id) VALUES (1);\n\
             CREATE TABLE later (id integer);\n",
            2,
            3,
        ),
        (
            "one_statement",
            "INSERT INTO no_such_table (id) VALUES (1);\n",
            1,
            1,
        ),
        (
            "syntax",
            "CREATE TABLE partial (id integer PRIMARY KEY);\n\
             CREATE TABEL oops (id integer);\n\
             CREATE TABLE later (id integer);\n",
            2,
            3,
        ),
        (
            "last_no_semicolon",
            "CREATE TABLE partial (id integer PRIMARY KEY);\n\
             ALTER TABLE partial ADD COLUMN id integer -- a duplicate column",
            2,
            2,
        ),
    ];
    for (slug, up, statement, statements) in cases {
        let mut migrations = base();
        migrations.push(hand(V4, slug, up, "DROP TABLE IF EXISTS partial;\n"));
        for mut db in Db::postgres_both(&server, &format!("mig_one_batch_fail_{slug}")) {
            let m = migrator(&migrations);
            m.up_to_t(db.driver(), Some(V3)).unwrap();
            let before = step_by_step_error(&mut db, up);
            let label = format!("{} {slug}", db.label());
            match m.up_t(db.driver()) {
                Err(
                    e @ MigrateError::Failed {
                        direction: Direction::Up,
                        version: V4,
                        no_transaction: false,
                        ..
                    },
                ) => {
                    let MigrateError::Failed { error, .. } = &e else {
                        unreachable!()
                    };
                    assert_eq!(
                        (error.statement, error.statements),
                        (statement, statements),
                        "{label}: {e}"
                    );
                    assert_eq!(
                        (
                            error.statement,
                            error.statements,
                            &error.sql,
                            error.error.to_string()
                        ),
                        (
                            before.statement,
                            before.statements,
                            &before.sql,
                            before.error.to_string()
                        ),
                        "{label}: as the steps report it"
                    );
                    assert!(
                        e.to_string().contains("nothing of it is left"),
                        "{label}: {e}"
                    );
                }
                other => panic!("{label}: expected Failed, got {other:?}"),
            }
            assert_eq!(db.versions(), vec![V1, V2, V3], "{label}");
            assert!(
                !db.exists("partial") && !db.exists("later"),
                "{label}: nothing of the script is left"
            );
            assert!(
                m.verify_t(db.driver()).unwrap().differences.is_empty(),
                "{label}: the connection works"
            );
        }
    }
}

/// A version another migrator records after this one read the version table
/// (here: from the progress callback, as the migration starts) is skipped:
/// its script does not run and the other's row stays.
#[test]
fn a_version_recorded_meanwhile_is_skipped_not_run_again() {
    let Some(server) = pg::server() else { return };
    let mut migrations = base();
    migrations.push(hand(
        V4,
        "recorded_elsewhere",
        "CREATE TABLE not_run (id integer);\nCREATE INDEX not_run_idx ON not_run (id);\n",
        "DROP TABLE not_run;\n",
    ));
    for mut db in Db::postgres_both(&server, "mig_one_batch_skip") {
        let other = match &db {
            Db::Postgres(_, test_db) => std::sync::Mutex::new(test_db.connect()),
            Db::Sqlite(_) => unreachable!(),
        };
        let record = |step: &Step| {
            if step.version != V4 || step.duration.is_some() {
                return;
            }
            // On a thread of its own: the blocking client refuses to run
            // inside the async drivers' runtime.
            std::thread::scope(|s| {
                s.spawn(|| {
                    other
                        .lock()
                        .unwrap()
                        .batch_execute(&format!(
                            "INSERT INTO _schema_migrations \
                             (version, name, checksum, duration_ms, down_sql, no_transaction, state) \
                             VALUES ({V4}, 'by_another', 'theirs', 1, '', false, 'applied')"
                        ))
                        .unwrap();
                })
                .join()
                .unwrap();
            });
        };
        let m = migrator(&migrations).on_progress(&record);
        let report = m.up_t(db.driver()).unwrap();
        assert_eq!(steps(&report), ups(&[V1, V2, V3]), "{}", db.label());
        assert!(!db.exists("not_run"), "{}: not run", db.label());
        let row = db.read_versions().pop().unwrap();
        assert_eq!(
            (row.version, row.name.as_str(), row.checksum.as_str()),
            (V4, "by_another", "theirs"),
            "{}",
            db.label()
        );
    }
}

/// With a lock timeout, the one batch is watched as a script is: a
/// statement that waits too long for a table fails naming the session that
/// holds it, the failing statement is named, and the whole timeout is waited
/// once (not again by the steps after the batch).
#[test]
fn a_lock_timeout_in_one_batch_names_the_blocker_and_waits_once() {
    let Some(server) = pg::server() else { return };
    let mut migrations = base();
    migrations.push(hand(
        V4,
        "lock_users",
        "CREATE TABLE lt (id integer);\nALTER TABLE users ADD COLUMN locked text;\n",
        "ALTER TABLE users DROP COLUMN locked;\nDROP TABLE lt;\n",
    ));
    let timeout = Duration::from_secs(2);
    let options = Options {
        lock_timeout: timeout,
        ..Options::default()
    };
    for mut db in Db::postgres_both(&server, "mig_one_batch_lock") {
        let m = allowing(&migrations, options.clone());
        m.up_to_t(db.driver(), Some(V3)).unwrap();
        let mut blocker = match &db {
            Db::Postgres(_, test_db) => test_db.connect(),
            Db::Sqlite(_) => unreachable!(),
        };
        let pid: i32 = blocker
            .query_one("SELECT pg_backend_pid()", &[])
            .unwrap()
            .get(0);
        blocker
            .batch_execute(
                "SET application_name = 'schema_test_blocker'; BEGIN; \
                 LOCK TABLE users IN ACCESS EXCLUSIVE MODE;",
            )
            .unwrap();
        let started = Instant::now();
        let result = m.up_t(db.driver());
        let took = started.elapsed();
        blocker.batch_execute("ROLLBACK").unwrap();
        match result {
            Err(e @ MigrateError::Failed { .. }) => {
                let message = e.to_string();
                for needle in [
                    "canceling statement due to lock timeout".to_string(),
                    "waited more than 2 s".to_string(),
                    format!("server process {pid}"),
                    "application `schema_test_blocker`".to_string(),
                    "statement 2 of 2".to_string(),
                    "ALTER TABLE users ADD COLUMN locked".to_string(),
                ] {
                    assert!(
                        message.contains(&needle),
                        "{}: names `{needle}`:\n{message}",
                        db.label()
                    );
                }
            }
            other => panic!("{}: expected Failed, got {other:?}", db.label()),
        }
        // The batch's wait, then the steps' 1 s rerun of the statements:
        // not the whole timeout twice.
        assert!(
            took >= timeout && took < timeout * 2 + Duration::from_millis(500),
            "{}: took {took:?}",
            db.label()
        );
        assert_eq!(db.versions(), vec![V1, V2, V3], "{}", db.label());
        assert!(!db.exists("lt") && !db.has_column("users", "locked"));
        assert_eq!(steps(&m.up_t(db.driver()).unwrap()), ups(&[V4]));
    }
}

/// A script that deallocates the session's prepared statements (the one
/// batch's own among them) does not break the migrations after it: the next
/// one's batch fails, runs step by step, and the one after prepares them
/// again. The migrator leaves none behind.
#[test]
fn a_script_that_deallocates_prepared_statements_breaks_nothing() {
    let Some(server) = pg::server() else { return };
    const V5: u64 = 20240105000000;
    let mut migrations = base()[..2].to_vec();
    migrations.extend([
        hand(
            V3,
            "forget_plans",
            "CREATE TABLE plans (id integer);\nDEALLOCATE ALL;\n",
            "DROP TABLE plans;\n",
        ),
        hand(
            V4,
            "next",
            "CREATE TABLE next (id integer);\n",
            "DROP TABLE next;\n",
        ),
        hand(
            V5,
            "after",
            "CREATE TABLE after (id integer);\n",
            "DROP TABLE after;\n",
        ),
    ]);
    // Not on sqlx: its own statement cache does not survive `DEALLOCATE ALL`.
    for mut db in [
        Db::postgres(&server, "mig_one_batch_deallocate"),
        Db::postgres_async(&server, "mig_one_batch_deallocate"),
    ] {
        let m = migrator(&migrations);
        assert_eq!(
            steps(&m.up_t(db.driver()).unwrap()),
            ups(&[V1, V2, V3, V4, V5]),
            "{}",
            db.label()
        );
        assert_eq!(db.versions(), vec![V1, V2, V3, V4, V5], "{}", db.label());
        assert!(db.exists("plans") && db.exists("next") && db.exists("after"));
        if let Db::Postgres(Pg::Blocking(d), _) = &mut db {
            let left: i64 = d
                .client()
                .query_one(
                    "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE '\\_schema%'",
                    &[],
                )
                .unwrap()
                .get(0);
            assert_eq!(left, 0, "the migrator's statements are deallocated");
        }
    }
}
