//! What the migrators run: a project directory for the `schema` binary
//! (PostgreSQL runs its files' own text, so its up.sql files log and sleep), and
//! hand-built migration lists for the Migrator API on SQLite (whose CLI scripts
//! are rendered from schema changes, without DML).

use std::path::Path;

use schema_runtime::{Migration, Script};

/// The first migration: the log table and `t`, and its log line.
pub(crate) const V1: u64 = 20240101000001;
/// The second: `crash_partial`, then a sleep, then its log line, in one transaction.
pub(crate) const V2: u64 = 20240101000002;
/// The third, `-- schema: no-transaction`: `CREATE INDEX CONCURRENTLY`, a sleep, its log line.
pub(crate) const V3: u64 = 20240101000003;
/// Every version of the project, in order.
pub(crate) const VERSIONS: [u64; 3] = [V1, V2, V3];

/// The migrations' directory names.
pub(crate) const DIR1: &str = "20240101000001_log";
pub(crate) const DIR2: &str = "20240101000002_slow_table";
pub(crate) const DIR3: &str = "20240101000003_concurrent_index";

/// How long the project's migrations sleep: the database setting
/// `schema_test.sleep` in seconds (0 when unset), so a test makes a migrator
/// hang in the middle of a migration with `ALTER DATABASE ... SET`.
const SLEEP: &str = "SELECT pg_sleep(coalesce(nullif(current_setting('schema_test.sleep', true), ''), '0')::float8);";

const SCHEMA_SQL: &str = "\
CREATE TABLE migration_log (
    id serial PRIMARY KEY,
    version bigint NOT NULL,
    backend integer NOT NULL
);

CREATE TABLE t (
    id integer PRIMARY KEY,
    x integer
);

CREATE INDEX t_x_idx ON t (x);

CREATE TABLE crash_partial (
    id integer PRIMARY KEY
);
";

/// Writes the project (schema.sql, three migrations, schema.sum) into `dir`.
pub(crate) fn write_project(dir: &Path) {
    let log = |v: u64| {
        format!("INSERT INTO migration_log (version, backend) VALUES ({v}, pg_backend_pid());\n")
    };
    let files = [
        ("schema.sql".to_string(), SCHEMA_SQL.to_string()),
        (
            format!("migrations/{DIR1}/up.sql"),
            format!(
                "CREATE TABLE migration_log (\n    id serial PRIMARY KEY,\n    \
                 version bigint NOT NULL,\n    backend integer NOT NULL\n);\n\
                 CREATE TABLE t (\n    id integer PRIMARY KEY,\n    x integer\n);\n{}",
                log(V1)
            ),
        ),
        (
            format!("migrations/{DIR1}/down.sql"),
            "DROP TABLE t;\nDROP TABLE migration_log;\n".to_string(),
        ),
        (
            format!("migrations/{DIR2}/up.sql"),
            format!(
                "CREATE TABLE crash_partial (\n    id integer PRIMARY KEY\n);\n{SLEEP}\n{}",
                log(V2)
            ),
        ),
        (
            format!("migrations/{DIR2}/down.sql"),
            "DROP TABLE crash_partial;\n".to_string(),
        ),
        (
            format!("migrations/{DIR3}/up.sql"),
            format!(
                "-- schema: no-transaction\nCREATE INDEX CONCURRENTLY t_x_idx ON t (x);\n{SLEEP}\n{}",
                log(V3)
            ),
        ),
        (
            format!("migrations/{DIR3}/down.sql"),
            "-- schema: no-transaction\nDROP INDEX t_x_idx;\n".to_string(),
        ),
    ];
    crate::write_files(dir, files.to_vec());
}

fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

/// A hand-built migration whose SQLite script is `up`/`down` (the PostgreSQL
/// text, which only `stamp` and `verify` would read, is the same).
fn migration(
    version: u64,
    name: &'static str,
    no_transaction: bool,
    up: &str,
    down: &str,
) -> Migration {
    let script = Script {
        up: leak(up.to_string()),
        down: leak(down.to_string()),
    };
    Migration {
        version,
        name,
        checksum: leak(format!("checksum-of-{version}")),
        no_transaction,
        postgres: script,
        sqlite: Ok(script),
    }
}

/// The herd's migrations: each creates something and logs itself with the
/// process id (a second application would fail on its `CREATE` and log twice).
/// The fourth runs outside a transaction.
pub(crate) fn sqlite_herd() -> Vec<Migration> {
    let log = |v: u64| {
        format!(
            "INSERT INTO migration_log (version, pid) VALUES ({v}, {});",
            std::process::id()
        )
    };
    vec![
        migration(
            1,
            "log_and_a",
            false,
            &format!(
                "CREATE TABLE migration_log (version INTEGER NOT NULL, pid INTEGER NOT NULL);\n\
                 CREATE TABLE a (id INTEGER PRIMARY KEY, x TEXT);\n{}",
                log(1)
            ),
            "DROP TABLE a; DROP TABLE migration_log;",
        ),
        migration(
            2,
            "b",
            false,
            &format!(
                "CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a (id));\n{}",
                log(2)
            ),
            "DROP TABLE b;",
        ),
        migration(
            3,
            "b_index",
            false,
            &format!("CREATE INDEX b_a_id_idx ON b (a_id);\n{}", log(3)),
            "DROP INDEX b_a_id_idx;",
        ),
        migration(
            4,
            "c_outside_a_transaction",
            true,
            &format!("CREATE TABLE c (id INTEGER PRIMARY KEY);\n{}", log(4)),
            "DROP TABLE c;",
        ),
    ]
}

/// A statement that runs as long as `crash_control.n` says: with n = 10^12 it
/// does not end before the test kills it; with n = 1 it is instant.
const SLOW: &str = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c \
                    WHERE x < (SELECT n FROM crash_control)) SELECT count(*) FROM c;";

/// `n` in `crash_control` for a statement that never ends by itself.
pub(crate) const FOREVER: i64 = 1_000_000_000_000;

/// The crash test's migrations: `t`; `partial` then the slow statement, in a
/// transaction; `nt` then the slow statement, outside a transaction.
pub(crate) fn sqlite_crash() -> Vec<Migration> {
    vec![
        migration(
            1,
            "t",
            false,
            "CREATE TABLE t (id INTEGER PRIMARY KEY, x INTEGER);",
            "DROP TABLE t;",
        ),
        migration(
            2,
            "slow_in_a_transaction",
            false,
            &format!("CREATE TABLE partial (id INTEGER PRIMARY KEY);\n{SLOW}"),
            "DROP TABLE partial;",
        ),
        migration(
            3,
            "slow_outside_a_transaction",
            true,
            &format!("CREATE TABLE nt (id INTEGER PRIMARY KEY);\n{SLOW}"),
            "DROP TABLE nt;",
        ),
    ]
}

/// The lock test's one migration, outside a transaction: it writes to another
/// database file, `blocker`, and so waits (holding the migrator lock) for as
/// long as the test holds that file's write lock.
pub(crate) fn sqlite_lock(blocker: &Path) -> Vec<Migration> {
    let path = blocker.display().to_string().replace('\'', "''");
    vec![migration(
        1,
        "gate",
        true,
        &format!(
            "ATTACH DATABASE '{path}' AS blk;\nINSERT INTO blk.gate (id) VALUES (1);\nDETACH DATABASE blk;"
        ),
        "SELECT 1;",
    )]
}
