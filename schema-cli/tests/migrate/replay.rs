//! Issue 9 (replay), with the `schema` binary: what `schema new` writes for an
//! extension, a non-`public` schema and a renamed table with a `serial` key
//! passes `schema check`, and on PostgreSQL `up` leaves the database exactly
//! as declared (`verify` and `diff --from <database>` clean), `down` as it was.

use std::path::Path;

use crate::{assert_exit, describe, pg, schema, stdout};

/// Writes schema.sql in `dir` and runs `schema new <slug>`, then `schema check`;
/// gives the new migration's up.sql and down.sql.
fn declare_and_new(dir: &Path, schema_sql: &str, slug: &str) -> (String, String) {
    std::fs::write(dir.join("schema.sql"), schema_sql).expect("write schema.sql");
    assert_exit(&schema(dir, &["new", slug]), 0);
    assert_exit(&schema(dir, &["check"]), 0);
    let migrations = std::fs::read_dir(dir.join("migrations")).expect("migrations dir");
    let made = migrations
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.is_dir() && p.to_string_lossy().ends_with(&format!("_{slug}")))
        .unwrap_or_else(|| panic!("`schema new {slug}` made no directory"));
    let read = |f: &str| std::fs::read_to_string(made.join(f)).expect("read a migration file");
    (read("up.sql"), read("down.sql"))
}

/// `schema <args> --database-url <url>` in `dir`, expecting exit `code`.
fn on_db(dir: &Path, args: &[&str], url: &str, code: i32) -> String {
    let mut all = args.to_vec();
    all.extend(["--database-url", url]);
    let out = schema(dir, &all);
    assert_exit(&out, code);
    stdout(&out)
}

/// `schema diff --from <url> --to <file> --exit-code`: the live schema is the file's.
fn live_is(dir: &Path, url: &str, file: &str) {
    let out = schema(dir, &["diff", "--from", url, "--to", file, "--exit-code"]);
    assert_exit(&out, 0);
    assert!(stdout(&out).trim().is_empty(), "{}", describe(&out));
}

fn one_text(client: &mut postgres::Client, sql: &str) -> Vec<String> {
    match client.query(sql, &[]) {
        Ok(rows) => rows.iter().map(|r| r.get(0)).collect(),
        Err(e) => panic!("`{sql}`: {e}"),
    }
}

#[test]
fn an_extension_goes_up_first_and_its_function_serves_the_default() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    std::fs::write(dir.join("empty.sql"), "").expect("write empty.sql");
    let (up, down) = declare_and_new(
        dir,
        "CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\";\n\
         CREATE EXTENSION earthdistance CASCADE;\n\n\
         CREATE TABLE t (\n    id uuid PRIMARY KEY DEFAULT uuid_generate_v4(),\n    name text NOT NULL\n);\n",
        "init",
    );
    let body: Vec<&str> = up.lines().filter(|l| !l.starts_with("--")).collect();
    assert_eq!(
        body[..3],
        [
            "CREATE EXTENSION earthdistance CASCADE;",
            "CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\";",
            "CREATE TABLE public.t ("
        ],
        "{up}"
    );
    assert!(
        down.ends_with("DROP EXTENSION earthdistance;\nDROP EXTENSION IF EXISTS \"uuid-ossp\";\n"),
        "{down}"
    );
    let Some(server) = pg::server() else { return };
    let db = server.create_database("replay_extension");
    let url = db.url();
    on_db(dir, &["up"], &url, 0);
    let mut client = db.connect();
    let ids = one_text(
        &mut client,
        "INSERT INTO t (name) VALUES ('a') RETURNING id::text",
    );
    assert_eq!(ids.len(), 1);
    assert!(
        on_db(dir, &["verify"], &url, 0).contains("ok"),
        "verify is clean after up"
    );
    // `cube`, which CASCADE installed for earthdistance, is no drift.
    live_is(dir, &url, "schema.sql");
    let out = schema(
        dir,
        &["diff", "--from", "schema.sql", "--to", &url, "--exit-code"],
    );
    assert_exit(&out, 0);
    // An extension nobody declared is drift, named.
    client
        .batch_execute("CREATE EXTENSION pg_trgm")
        .expect("create pg_trgm");
    let out = schema(dir, &["verify", "--database-url", &url]);
    assert_exit(&out, 3);
    let report = crate::stderr(&out);
    assert!(
        report.contains("drop extension `pg_trgm`"),
        "{}",
        describe(&out)
    );
    client
        .batch_execute("DROP EXTENSION pg_trgm")
        .expect("drop pg_trgm");
    on_db(dir, &["down"], &url, 0);
    let left = one_text(
        &mut client,
        "SELECT extname::text FROM pg_extension WHERE extname <> 'cube' ORDER BY 1",
    );
    assert_eq!(left, ["plpgsql"]);
}

#[test]
fn a_schema_new_creates_goes_up_verifies_and_comes_down() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    let (up, down) = declare_and_new(
        dir,
        "CREATE SCHEMA app;\n\nCREATE TABLE app.t (\n    id serial PRIMARY KEY,\n    name text NOT NULL\n);\n",
        "init",
    );
    assert!(
        up.contains("CREATE SCHEMA app;\nCREATE TABLE app.t ("),
        "{up}"
    );
    assert!(
        down.ends_with("DROP TABLE app.t;\nDROP SCHEMA app;\n"),
        "{down}"
    );
    let Some(server) = pg::server() else { return };
    let db = server.create_database("replay_schema");
    let url = db.url();
    on_db(dir, &["up"], &url, 0);
    assert!(on_db(dir, &["verify"], &url, 0).contains("ok"));
    live_is(dir, &url, "schema.sql");
    on_db(dir, &["down"], &url, 0);
    let mut client = db.connect();
    let app = one_text(
        &mut client,
        "SELECT nspname::text FROM pg_namespace WHERE nspname = 'app'",
    );
    assert!(app.is_empty(), "down drops the schema");
    assert!(on_db(dir, &["status"], &url, 0).contains("0 applied"));
}

#[test]
fn renaming_a_table_with_a_serial_key_renames_its_sequence_both_ways() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    let v1 = "CREATE TABLE old (\n    id serial PRIMARY KEY,\n    name text\n);\n";
    declare_and_new(dir, v1, "init");
    std::fs::write(dir.join("v1.sql"), v1).expect("write v1.sql");
    let (up, down) = declare_and_new(
        dir,
        "-- schema: renamed from old\nCREATE TABLE new (\n    id serial PRIMARY KEY,\n    name text\n);\n",
        "rename",
    );
    assert!(
        up.ends_with("ALTER SEQUENCE public.old_id_seq RENAME TO new_id_seq;\n"),
        "{up}"
    );
    assert!(
        down.ends_with("ALTER SEQUENCE public.new_id_seq RENAME TO old_id_seq;\n"),
        "{down}"
    );
    let Some(server) = pg::server() else { return };
    let db = server.create_database("replay_rename");
    let url = db.url();
    let mut client = db.connect();
    let default = "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d
                   JOIN pg_class c ON c.oid = d.adrelid WHERE c.relname IN ('old', 'new')";
    on_db(dir, &["up"], &url, 0);
    assert_eq!(
        one_text(&mut client, default),
        ["nextval('new_id_seq'::regclass)"]
    );
    assert!(on_db(dir, &["verify"], &url, 0).contains("ok"));
    live_is(dir, &url, "schema.sql");
    on_db(dir, &["down"], &url, 0);
    assert_eq!(
        one_text(&mut client, default),
        ["nextval('old_id_seq'::regclass)"]
    );
    live_is(dir, &url, "v1.sql");
}
