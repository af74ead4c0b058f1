//! Taking a database over from another migration tool (`schema stamp
//! --from-tool TOOL`), on databases built the way each tool leaves them: the
//! up SQL of the tool's own history (`tests/fixtures/takeover/TOOL/history`)
//! and its version table as captured (`pg_schema.sql`, `pg_data.sql`,
//! `sqlite.sql`; `PRODUCED.md` in each says from which tool, or from its
//! documentation). Each tool on PostgreSQL and on a SQLite file: the stamp
//! records the imported migrations, `verify` is clean with the tool's table
//! left in place, and `up` applies only a migration added after. Refused:
//! drift, a dirty golang-migrate row, a failed sqlx row, a tool version with
//! no imported migration, a gap, a missing table, a database taken over
//! already, and `up` on a database another tool keeps.

use std::path::{Path, PathBuf};

use crate::{assert_exit, describe, pg, schema, stderr, stdout};

/// Our versions of the imported histories.
const IMPORTED: [i64; 3] = [20240101000001, 20240101000002, 20240101000003];

/// The migration added after the takeover.
const ADDED: i64 = 20240201000000;

fn fixture(tool: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/takeover")
        .join(tool)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Copies `from` into `to`, directories and all.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a directory");
    for entry in std::fs::read_dir(from).expect("read a fixture directory") {
        let entry = entry.expect("a directory entry");
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).expect("copy a fixture file");
        }
    }
}

/// The project of `tool`'s fixture (schema.sql and the imported migrations) in `dir`.
fn project(tool: &str, dir: &Path) {
    let from = fixture(tool);
    std::fs::copy(from.join("schema.sql"), dir.join("schema.sql")).expect("copy schema.sql");
    copy_dir(&from.join("migrations"), &dir.join("migrations"));
}

/// The imported migrations' directories, in order.
fn migration_dirs(tool: &str) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixture(tool).join("migrations"))
        .expect("read the fixture's migrations")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// The file of the tool's history an imported migration's header names:
/// the longest tail of its original path found under `history/`.
fn history_file(tool: &str, original: &str) -> PathBuf {
    let history = fixture(tool).join("history");
    let parts: Vec<&str> = original.split('/').collect();
    (0..parts.len())
        .map(|i| history.join(parts[i..].join("/")))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{tool}: no file of history/ is the header's `{original}`"))
}

/// The text between `start` and `end` (or the end), for the up part of a
/// file that holds both directions.
fn between(text: &str, start: &str, end: &str) -> String {
    let from = text
        .find(start)
        .map(|i| i + start.len())
        .unwrap_or_else(|| panic!("no `{start}` in {text}"));
    let rest = &text[from..];
    rest[..rest.find(end).unwrap_or(rest.len())].to_string()
}

/// The up SQL of each migration of the tool's own history, in its order,
/// found through the imported migrations' headers.
fn history_up(tool: &str) -> Vec<String> {
    migration_dirs(tool)
        .iter()
        .map(|dir| {
            let up = read(&dir.join("up.sql"));
            let header = up.lines().next().unwrap_or_default();
            let original = header
                .rsplit_once(" (")
                .and_then(|(_, rest)| rest.strip_suffix(')'))
                .unwrap_or_else(|| panic!("{}: no import header", dir.display()));
            let text = read(&history_file(tool, original));
            match tool {
                "dbmate" => between(&text, "-- migrate:up", "-- migrate:down"),
                "goose" => between(&text, "-- +goose Up", "-- +goose Down"),
                "alembic" => between(&text, "op.execute(\"\"\"", "\"\"\")"),
                "rails" => between(&text, "execute <<~SQL", "    SQL"),
                _ => text,
            }
        })
        .collect()
}

/// A pg_dump file without psql's meta-commands (`\restrict`).
fn dump(path: &Path) -> String {
    read(path)
        .lines()
        .filter(|l| !l.starts_with('\\'))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A PostgreSQL database as `tool` left it, with `data` for its version
/// rows (`None`: the captured ones).
fn pg_as_left(tool: &str, client: &mut postgres::Client, data: Option<&str>) {
    for up in history_up(tool) {
        client
            .batch_execute(&up)
            .unwrap_or_else(|e| panic!("{tool}'s up SQL: {e}\n{up}"));
    }
    let dir = fixture(tool);
    client
        .batch_execute(&dump(&dir.join("pg_schema.sql")))
        .unwrap_or_else(|e| panic!("{tool}'s pg_schema.sql: {e}"));
    let data = data.map_or_else(|| dump(&dir.join("pg_data.sql")), str::to_string);
    client
        .batch_execute(&data)
        .unwrap_or_else(|e| panic!("{tool}'s version rows: {e}"));
    // pg_dump's files empty the session's search_path.
    client
        .batch_execute("SET search_path TO DEFAULT")
        .expect("reset the search_path");
}

/// A SQLite file as `tool` left it.
fn sqlite_as_left(tool: &str, path: &Path) {
    let conn = rusqlite::Connection::open(path).expect("open the database");
    for up in history_up(tool) {
        conn.execute_batch(&up)
            .unwrap_or_else(|e| panic!("{tool}'s up SQL: {e}\n{up}"));
    }
    conn.execute_batch(&read(&fixture(tool).join("sqlite.sql")))
        .unwrap_or_else(|e| panic!("{tool}'s sqlite.sql: {e}"));
}

/// `schema <args> --database-url url` in `dir`, with the exit code expected.
#[track_caller]
fn run(dir: &Path, url: &str, args: &[&str], code: i32) -> String {
    let mut all = args.to_vec();
    all.extend(["--database-url", url]);
    let out = schema(dir, &all);
    assert_exit(&out, code);
    format!("{}{}", stdout(&out), stderr(&out))
}

/// Adds a migration after the imported ones (and to schema.sql).
fn add_migration(dir: &Path) {
    let table = "CREATE TABLE tags (\n    id integer PRIMARY KEY,\n    name text NOT NULL\n);\n";
    let mut declared = read(&dir.join("schema.sql"));
    declared.push_str(table);
    std::fs::write(dir.join("schema.sql"), declared).expect("write schema.sql");
    let m = dir.join(format!("migrations/{ADDED}_tags"));
    std::fs::create_dir_all(&m).expect("create the migration");
    std::fs::write(m.join("up.sql"), table).expect("write up.sql");
    std::fs::write(m.join("down.sql"), "DROP TABLE tags;\n").expect("write down.sql");
    assert_exit(&schema(dir, &["sum", "--migrations", "migrations"]), 0);
}

/// The takeover, then a migration added and applied, on `url`; `versions`
/// reads our version table's versions and `tool_rows` the tool's rows.
fn take_over_then_migrate(
    tool: &str,
    dir: &Path,
    url: &str,
    versions: &mut dyn FnMut() -> Vec<i64>,
    tool_rows: &mut dyn FnMut() -> i64,
) {
    let before = tool_rows();
    let text = run(dir, url, &["stamp", "--from-tool", tool], 0);
    assert!(text.contains("took over from"), "{text}");
    assert!(
        text.contains("left in place") && text.contains("DROP TABLE"),
        "{text}"
    );
    assert_eq!(versions(), IMPORTED.to_vec(), "{text}");
    assert_eq!(tool_rows(), before, "the tool's table is left as it was");
    let text = run(dir, url, &["verify"], 0);
    assert!(text.contains("ok"), "{text}");

    add_migration(dir);
    let text = run(dir, url, &["up"], 0);
    assert!(
        text.contains(&format!("applying {ADDED}_tags")) && text.contains("applied 1 migration"),
        "up applies only the new migration: {text}"
    );
    let mut all = IMPORTED.to_vec();
    all.push(ADDED);
    assert_eq!(versions(), all);
    run(dir, url, &["verify"], 0);
}

fn pg_versions(client: &mut postgres::Client) -> Vec<i64> {
    client
        .query(
            "SELECT version FROM _schema_migrations ORDER BY version",
            &[],
        )
        .expect("read _schema_migrations")
        .iter()
        .map(|r| r.get(0))
        .collect()
}

fn pg_count(client: &mut postgres::Client, table: &str) -> i64 {
    client
        .query_one(&format!("SELECT count(*) FROM {table}"), &[])
        .expect("count rows")
        .get(0)
}

fn sqlite_versions(path: &Path) -> Vec<i64> {
    let conn = rusqlite::Connection::open(path).expect("open the database");
    let mut s = conn
        .prepare("SELECT version FROM _schema_migrations ORDER BY version")
        .expect("read _schema_migrations");
    s.query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

fn sqlite_count(path: &Path, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).expect("open the database");
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .expect("count rows")
}

/// The tool's version table (Rails' and dbmate's are `schema_migrations`).
fn table_of(tool: &str) -> &'static str {
    match tool {
        "sqlx" => "_sqlx_migrations",
        "diesel" => "__diesel_schema_migrations",
        "refinery" => "refinery_schema_history",
        "golang-migrate" | "dbmate" | "rails" => "schema_migrations",
        "goose" => "goose_db_version",
        "flyway" => "flyway_schema_history",
        "alembic" => "alembic_version",
        other => panic!("no tool {other}"),
    }
}

fn on_postgres(tool: &str) {
    let Some(server) = pg::server() else {
        return;
    };
    let db = server.create_database(&format!("takeover_{}", tool.replace('-', "_")));
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    project(tool, dir);
    let url = db.url();
    let mut client = db.connect();
    pg_as_left(tool, &mut client, None);
    let table = table_of(tool);
    let mut reader = db.connect();
    take_over_then_migrate(
        tool,
        dir,
        &url,
        &mut || pg_versions(&mut client),
        &mut || pg_count(&mut reader, table),
    );
}

fn on_sqlite(tool: &str) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    project(tool, dir);
    let path = dir.join("app.db");
    sqlite_as_left(tool, &path);
    let url = format!("sqlite://{}", path.display());
    let table = table_of(tool);
    take_over_then_migrate(tool, dir, &url, &mut || sqlite_versions(&path), &mut || {
        sqlite_count(&path, table)
    });
}

macro_rules! tool_tests {
    ($($pg:ident, $sqlite:ident: $tool:literal;)*) => {$(
        #[test]
        fn $pg() {
            on_postgres($tool);
        }

        #[test]
        fn $sqlite() {
            on_sqlite($tool);
        }
    )*};
}

tool_tests! {
    sqlx_postgres, sqlx_sqlite: "sqlx";
    diesel_postgres, diesel_sqlite: "diesel";
    refinery_postgres, refinery_sqlite: "refinery";
    golang_migrate_postgres, golang_migrate_sqlite: "golang-migrate";
    dbmate_postgres, dbmate_sqlite: "dbmate";
    rails_postgres, rails_sqlite: "rails";
    goose_postgres, goose_sqlite: "goose";
    flyway_postgres, flyway_sqlite: "flyway";
    alembic_postgres, alembic_sqlite: "alembic";
}

/// A PostgreSQL database as `tool` left it, with `data` for its version
/// rows (`None`: the captured ones) and `by_hand` run after; the project in
/// `dir`. `None` without a server.
fn pg_case(
    tool: &str,
    dir: &Path,
    data: Option<&str>,
    by_hand: &str,
) -> Option<(pg::TestDatabase, postgres::Client)> {
    let server = pg::server()?;
    let db = server.create_database("takeover_refused");
    project(tool, dir);
    let mut client = db.connect();
    pg_as_left(tool, &mut client, data);
    client
        .batch_execute(by_hand)
        .expect("run the change by hand");
    Some((db, client))
}

/// Our version table's rows, 0 when it does not exist.
fn pg_our_rows(client: &mut postgres::Client) -> i64 {
    let exists: bool = client
        .query_one("SELECT to_regclass('_schema_migrations') IS NOT NULL", &[])
        .expect("look for _schema_migrations")
        .get(0);
    if exists {
        pg_count(client, "_schema_migrations")
    } else {
        0
    }
}

#[test]
fn a_drifted_database_is_refused_naming_the_difference() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let Some((db, mut client)) = pg_case(
        "dbmate",
        tmp.path(),
        None,
        "ALTER TABLE users ADD COLUMN email text;",
    ) else {
        return;
    };
    let text = run(
        tmp.path(),
        &db.url(),
        &["stamp", "--from-tool", "dbmate"],
        1,
    );
    assert!(text.contains("email"), "{text}");
    assert_eq!(pg_our_rows(&mut client), 0, "nothing recorded: {text}");
    // --force keeps its meaning: stamped, the difference printed.
    let text = run(
        tmp.path(),
        &db.url(),
        &["stamp", "--from-tool", "dbmate", "--force"],
        0,
    );
    assert!(text.contains("--force") && text.contains("email"), "{text}");
    assert_eq!(pg_versions(&mut client), IMPORTED.to_vec());
}

#[test]
fn a_dirty_golang_migrate_version_is_refused() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = "INSERT INTO public.schema_migrations VALUES (3, true);";
    let Some((db, mut client)) = pg_case("golang-migrate", tmp.path(), Some(data), "") else {
        return;
    };
    let text = run(
        tmp.path(),
        &db.url(),
        &["stamp", "--from-tool", "golang-migrate"],
        1,
    );
    assert!(
        text.contains("dirty at version 3") && text.contains("migrate force"),
        "{text}"
    );
    assert_eq!(pg_our_rows(&mut client), 0);
}

#[test]
fn a_dirty_golang_migrate_version_is_refused_on_sqlite() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    project("golang-migrate", dir);
    let path = dir.join("app.db");
    sqlite_as_left("golang-migrate", &path);
    rusqlite::Connection::open(&path)
        .expect("open")
        .execute_batch("UPDATE schema_migrations SET dirty = 1;")
        .expect("make it dirty");
    let url = format!("sqlite://{}", path.display());
    let text = run(dir, &url, &["stamp", "--from-tool", "golang-migrate"], 1);
    assert!(text.contains("dirty at version 3"), "{text}");
}

#[test]
fn a_failed_sqlx_migration_is_refused_naming_it() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let Some((db, mut client)) = pg_case(
        "sqlx",
        tmp.path(),
        None,
        "UPDATE _sqlx_migrations SET success = false WHERE version = 20240101000003;",
    ) else {
        return;
    };
    let text = run(tmp.path(), &db.url(), &["stamp", "--from-tool", "sqlx"], 1);
    assert!(
        text.contains("20240101000003 (index posts user)") && text.contains("failed"),
        "{text}"
    );
    assert_eq!(pg_our_rows(&mut client), 0);
}

#[test]
fn a_tool_version_without_an_imported_migration_is_refused() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let Some((db, mut client)) = pg_case(
        "dbmate",
        tmp.path(),
        None,
        "INSERT INTO schema_migrations VALUES ('20240301000000');",
    ) else {
        return;
    };
    let text = run(
        tmp.path(),
        &db.url(),
        &["stamp", "--from-tool", "dbmate"],
        1,
    );
    assert!(
        text.contains("20240301000000") && text.contains("schema import --from dbmate"),
        "{text}"
    );
    assert_eq!(pg_our_rows(&mut client), 0);
}

#[test]
fn a_gap_in_the_applied_versions_is_refused_naming_it() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let Some((db, _client)) = pg_case(
        "refinery",
        tmp.path(),
        None,
        "DELETE FROM refinery_schema_history WHERE version = 2;",
    ) else {
        return;
    };
    let text = run(
        tmp.path(),
        &db.url(),
        &["stamp", "--from-tool", "refinery"],
        1,
    );
    assert!(
        text.contains("20240101000002_create_posts (from refinery 2")
            && text.contains("not applied"),
        "{text}"
    );
}

#[test]
fn a_missing_tool_table_names_it_and_the_database() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let Some((db, _client)) = pg_case("dbmate", tmp.path(), None, "") else {
        return;
    };
    let text = run(
        tmp.path(),
        &db.url(),
        &["stamp", "--from-tool", "flyway"],
        1,
    );
    assert!(
        text.contains("flyway_schema_history") && text.contains(db.name()),
        "{text}"
    );
    // golang-migrate's table is not dbmate's, though both are schema_migrations.
    let text = run(
        tmp.path(),
        &db.url(),
        &["stamp", "--from-tool", "golang-migrate"],
        1,
    );
    assert!(text.contains("dirty"), "{text}");
}

#[test]
fn a_database_taken_over_already_is_refused() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let Some((db, _client)) = pg_case("goose", tmp.path(), None, "") else {
        return;
    };
    run(tmp.path(), &db.url(), &["stamp", "--from-tool", "goose"], 0);
    let text = run(tmp.path(), &db.url(), &["stamp", "--from-tool", "goose"], 1);
    assert!(
        text.contains("_schema_migrations") && text.contains("schema status"),
        "{text}"
    );
}

#[test]
fn up_refuses_a_database_another_tool_keeps() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let Some((db, mut client)) = pg_case("sqlx", tmp.path(), None, "") else {
        return;
    };
    let out = schema(tmp.path(), &["up", "--database-url", &db.url()]);
    assert_exit(&out, 1);
    let text = describe(&out);
    assert!(
        text.contains("_sqlx_migrations")
            && text.contains("schema import --from sqlx")
            && text.contains("schema stamp --from-tool sqlx"),
        "{text}"
    );
    assert!(!text.contains("applying"), "{text}");
    assert_eq!(pg_our_rows(&mut client), 0);
}

/// `down` and `redo` refuse too, creating nothing; and an empty version
/// table of ours (left by an earlier command) does not make the database
/// ours: `up` still refuses (it would run again what sqlx ran).
#[test]
fn down_redo_and_an_empty_version_table_do_not_get_past_another_tool() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let Some((db, mut client)) = pg_case("sqlx", tmp.path(), None, "") else {
        return;
    };
    let url = db.url();
    for command in ["down", "redo"] {
        let text = run(tmp.path(), &url, &[command], 1);
        assert!(text.contains("_sqlx_migrations"), "{command}: {text}");
    }
    let ours: bool = client
        .query_one("SELECT to_regclass('_schema_migrations') IS NOT NULL", &[])
        .expect("look for our table")
        .get(0);
    assert!(!ours, "down and redo created nothing");
    client
        .batch_execute(
            "CREATE TABLE _schema_migrations (version bigint PRIMARY KEY, name text NOT NULL, \
             checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), \
             duration_ms double precision, down_sql text NOT NULL DEFAULT '', \
             no_transaction boolean NOT NULL DEFAULT false, state text NOT NULL DEFAULT 'applied')",
        )
        .expect("an empty version table of ours");
    let text = run(tmp.path(), &url, &["up"], 1);
    assert!(
        text.contains("_sqlx_migrations") && !text.contains("applying"),
        "{text}"
    );
}

#[test]
fn up_refuses_a_sqlite_file_another_tool_keeps() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    project("goose", dir);
    let path = dir.join("app.db");
    sqlite_as_left("goose", &path);
    let url = format!("sqlite://{}", path.display());
    let text = run(dir, &url, &["up"], 1);
    assert!(
        text.contains("goose_db_version") && text.contains("schema stamp --from-tool goose"),
        "{text}"
    );
}

#[test]
fn the_async_postgres_drivers_take_over_too() {
    // They lend no connection: the tool's table is read over a blocking one.
    for driver in ["tokio-postgres", "sqlx-postgres"] {
        crate::on_pg_driver(driver, || on_postgres("flyway"));
    }
}

#[test]
fn odd_rows_are_errors_not_panics() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    project("sqlx", dir);
    let path = dir.join("app.db");
    sqlite_as_left("sqlx", &path);
    let url = format!("sqlite://{}", path.display());
    let conn = rusqlite::Connection::open(&path).expect("open");
    // SQLite keeps what it is given: text, a number past i64, a NULL.
    conn.execute_batch(
        "INSERT INTO _sqlx_migrations VALUES ('v9', 'text', '', 1, X'00', 0);
         INSERT INTO _sqlx_migrations VALUES (99999999999999999999, 'huge', '', 1, X'00', 0);",
    )
    .expect("odd rows");
    let text = run(dir, &url, &["stamp", "--from-tool", "sqlx"], 1);
    assert!(
        text.contains("v9") && text.contains("schema import --from sqlx"),
        "{text}"
    );
    conn.execute_batch(
        "DELETE FROM _sqlx_migrations WHERE description IN ('text', 'huge');
         INSERT INTO _sqlx_migrations VALUES (NULL, 'null', '', 1, X'00', 0);",
    )
    .expect("a NULL version");
    let text = run(dir, &url, &["stamp", "--from-tool", "sqlx"], 1);
    assert!(text.contains("NULL"), "{text}");
    conn.execute_batch(
        "DELETE FROM _sqlx_migrations WHERE version IS NULL;
         UPDATE _sqlx_migrations SET success = 'maybe' WHERE version = 20240101000002;",
    )
    .expect("an odd success");
    let text = run(dir, &url, &["stamp", "--from-tool", "sqlx"], 1);
    assert!(text.contains("20240101000002 (create posts)"), "{text}");
}

/// The two halves together: `schema import --from TOOL` of the tool's own
/// history (not the hand-written imported migrations above), `check`, then
/// on the database the tool left (PostgreSQL, or a SQLite file): `up`
/// refuses naming the tool's table, `stamp --from-tool TOOL` takes it over
/// (the import's headers are what it matches, whatever versions the import
/// chose: refinery's `V1` is our 1, Flyway's `1.1` our 1001), `verify` is
/// clean, and a further migration is applied.
fn import_then_take_over(tool: &str, sqlite: bool) {
    let server = if sqlite { None } else { Some(pg::server()) };
    if matches!(server, Some(None)) {
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    std::fs::copy(fixture(tool).join("schema.sql"), dir.join("schema.sql"))
        .expect("copy schema.sql");
    let history = fixture(tool).join("history");
    let out = schema(
        dir,
        &[
            "import",
            "--from",
            tool,
            history.to_str().expect("a UTF-8 path"),
        ],
    );
    assert_exit(&out, 0);
    assert_exit(&schema(dir, &["check"]), 0);
    let mut imported: Vec<i64> = std::fs::read_dir(dir.join("migrations"))
        .expect("read the imported migrations")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.split_once('_')?.0.parse().ok()
        })
        .collect();
    imported.sort_unstable();
    assert_eq!(imported.len(), 3, "{}", describe(&out));

    let path = dir.join("app.db");
    let (url, database, mut versions): (String, _, Box<dyn FnMut() -> Vec<i64>>) = match server
        .flatten()
    {
        Some(server) => {
            let db = server.create_database(&format!("import_takeover_{}", tool.replace('-', "_")));
            let mut client = db.connect();
            pg_as_left(tool, &mut client, None);
            (
                db.url(),
                Some(db),
                Box::new(move || pg_versions(&mut client)),
            )
        }
        None => {
            sqlite_as_left(tool, &path);
            let at = path.clone();
            (
                format!("sqlite://{}", path.display()),
                None,
                Box::new(move || sqlite_versions(&at)),
            )
        }
    };
    let text = run(dir, &url, &["up"], 1);
    assert!(
        text.contains(table_of(tool)),
        "up refuses, naming the tool's table: {text}"
    );
    let text = run(dir, &url, &["stamp", "--from-tool", tool], 0);
    assert!(text.contains("took over from"), "{text}");
    assert_eq!(versions(), imported, "{text}");
    run(dir, &url, &["verify"], 0);
    add_migration(dir);
    let text = run(dir, &url, &["up"], 0);
    assert!(text.contains("applied 1 migration"), "{text}");
    run(dir, &url, &["verify"], 0);
    drop(database);
}

macro_rules! import_tests {
    ($($pg:ident, $sqlite:ident: $tool:literal;)*) => {$(
        #[test]
        fn $pg() {
            import_then_take_over($tool, false);
        }

        #[test]
        fn $sqlite() {
            import_then_take_over($tool, true);
        }
    )*};
}

import_tests! {
    sqlx_imported_and_taken_over, sqlx_imported_and_taken_over_sqlite: "sqlx";
    diesel_imported_and_taken_over, diesel_imported_and_taken_over_sqlite: "diesel";
    refinery_imported_and_taken_over, refinery_imported_and_taken_over_sqlite: "refinery";
    golang_migrate_imported_and_taken_over, golang_migrate_imported_and_taken_over_sqlite: "golang-migrate";
    goose_imported_and_taken_over, goose_imported_and_taken_over_sqlite: "goose";
    dbmate_imported_and_taken_over, dbmate_imported_and_taken_over_sqlite: "dbmate";
    flyway_imported_and_taken_over, flyway_imported_and_taken_over_sqlite: "flyway";
}

/// Alembic end to end on PostgreSQL, from what the real alembic 1.20 wrote
/// (`tests/fixtures/import/alembic`, README there): its offline upgrade SQL
/// builds the database as alembic leaves it (`alembic_version` at the
/// head); then import (with the offline downgrade), check, takeover,
/// verify, a further migration, and `down` back to the baseline of the
/// import: the downs alembic wrote run.
#[test]
fn alembic_offline_sql_imported_and_taken_over() {
    let Some(server) = pg::server() else {
        return;
    };
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    let alembic = fixtures.join("alembic");
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    std::fs::copy(fixtures.join("schema.sql"), dir.join("schema.sql")).expect("copy schema.sql");
    let upgrade = alembic.join("upgrade.sql");
    let downgrade = alembic.join("downgrade.sql");
    let out = schema(
        dir,
        &[
            "import",
            "--from",
            "alembic",
            upgrade.to_str().expect("a UTF-8 path"),
            "--down",
            downgrade.to_str().expect("a UTF-8 path"),
        ],
    );
    assert_exit(&out, 0);
    assert_exit(&schema(dir, &["check"]), 0);
    let db = server.create_database("import_takeover_alembic");
    let mut client = db.connect();
    client
        .batch_execute(&read(&upgrade))
        .expect("alembic's offline upgrade runs");
    let head: String = client
        .query_one("SELECT version_num FROM alembic_version", &[])
        .expect("alembic's head")
        .get(0);
    let url = db.url();
    run(dir, &url, &["up"], 1);
    let text = run(dir, &url, &["stamp", "--from-tool", "alembic"], 0);
    assert!(text.contains("took over from"), "{text}");
    let versions = pg_versions(&mut client);
    assert_eq!(versions.len(), 3, "every revision up to `{head}`: {text}");
    run(dir, &url, &["verify"], 0);
    add_migration(dir);
    run(dir, &url, &["up"], 0);
    run(dir, &url, &["verify"], 0);
    // alembic's own downs, converted, undo the revisions.
    run(dir, &url, &["down", "--to", "0"], 0);
    let left: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' \
             AND tablename IN ('users', 'posts', 'tags')",
            &[],
        )
        .expect("count the tables")
        .get(0);
    assert_eq!(left, 0, "the downs ran");
}
