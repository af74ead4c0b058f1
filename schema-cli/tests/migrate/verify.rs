//! `verify`'s answers: 0 clean; 4 consistent but behind (pending migrations
//! only); 3 drift, pending or not. INVALID indexes are drift, with how to fix
//! them; objects in any schema, not only `public`, are read (by `verify` and by
//! `diff` from a database).

use std::path::Path;

use crate::{assert_exit, describe, pg, schema, stderr, stdout, write_project};

const V1: &str = "20240101000001";

/// `t (id, x)`, then `u`.
fn project(dir: &Path) {
    write_project(
        dir,
        "CREATE TABLE t (id integer PRIMARY KEY, x integer);\n\
         CREATE TABLE u (id integer PRIMARY KEY);\n",
        &[
            (
                "20240101000001_t",
                "CREATE TABLE t (id integer PRIMARY KEY, x integer);\n",
                "DROP TABLE t;\n",
            ),
            (
                "20240101000002_u",
                "CREATE TABLE u (id integer PRIMARY KEY);\n",
                "DROP TABLE u;\n",
            ),
        ],
    );
}

#[track_caller]
fn verify(dir: &Path, url: &str, code: i32) -> String {
    let out = schema(dir, &["verify", "--database-url", url]);
    assert_exit(&out, code);
    format!("{}{}", stdout(&out), stderr(&out))
}

#[test]
fn sqlite_verify_exits_4_when_behind_and_3_on_drift() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    project(dir);
    let path = dir.join("app.db");
    let url = format!("sqlite://{}", path.display());
    assert_exit(&schema(dir, &["up", "--database-url", &url, "--to", V1]), 0);
    let text = verify(dir, &url, 4);
    assert!(
        text.contains("20240101000002 u") && text.contains("run `schema up`"),
        "{text}"
    );
    assert_exit(&schema(dir, &["up", "--database-url", &url]), 0);
    verify(dir, &url, 0);
    let conn = rusqlite::Connection::open(&path).expect("open the database");
    conn.execute_batch("CREATE TABLE by_hand (id INTEGER PRIMARY KEY);")
        .expect("create a table by hand");
    let text = verify(dir, &url, 3);
    assert!(text.contains("by_hand"), "{text}");
}

#[test]
fn up_fresh_database_creates_everything_at_once_and_verifies_clean() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    project(dir);
    let url = format!("sqlite://{}", dir.join("fresh.db").display());
    let out = schema(dir, &["up", "--database-url", &url, "--fresh-database"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(
        text.contains("created the schema of all 2 migrations at once"),
        "{}",
        describe(&out)
    );
    verify(dir, &url, 0);
    // Not empty any more: the flag changes nothing, and the migrations go down.
    let out = schema(dir, &["up", "--database-url", &url, "--fresh-database"]);
    assert_exit(&out, 0);
    assert!(!stdout(&out).contains("at once"), "{}", describe(&out));
    assert_exit(
        &schema(dir, &["down", "--database-url", &url, "--to", "0"]),
        0,
    );
    // An empty database and `--to` short of the latest: one by one.
    let out = schema(
        dir,
        &["up", "--database-url", &url, "--fresh-database", "--to", V1],
    );
    assert_exit(&out, 0);
    assert!(!stdout(&out).contains("at once"), "{}", describe(&out));
    verify(dir, &url, 4);
}

#[test]
fn postgres_verify_exit_codes_invalid_indexes_and_every_schema() {
    let Some(server) = pg::server() else {
        return;
    };
    let db = server.create_database("migrate_verify");
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    project(dir);
    let url = db.url();
    let mut client = db.connect();

    // Behind: 4.
    assert_exit(&schema(dir, &["up", "--database-url", &url, "--to", V1]), 0);
    let text = verify(dir, &url, 4);
    assert!(text.contains("20240101000002 u"), "{text}");

    // A table in schema `app`: drift, although migrations are pending too.
    client
        .batch_execute("CREATE SCHEMA app; CREATE TABLE app.extra (id integer);")
        .expect("create app.extra");
    let text = verify(dir, &url, 3);
    assert!(
        text.contains("app.extra"),
        "verify reads schema `app`:\n{text}"
    );

    // `diff` from the database reads it too, both ways.
    let out = schema(dir, &["diff", "--from", &url, "--to", "migrations"]);
    assert_exit(&out, 0);
    let sql = stdout(&out);
    assert!(
        sql.contains("DROP TABLE app.extra;") && sql.contains("CREATE TABLE public.u ("),
        "{}",
        describe(&out)
    );
    let out = schema(dir, &["diff", "--from", "migrations", "--to", &url]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("CREATE TABLE app.extra"),
        "{}",
        describe(&out)
    );
    client
        .batch_execute("DROP SCHEMA app CASCADE;")
        .expect("drop schema app");

    // Up to date: 0.
    assert_exit(&schema(dir, &["up", "--database-url", &url]), 0);
    let text = verify(dir, &url, 0);
    assert!(
        text.contains("ok: the live schema is the declared schema"),
        "{text}"
    );

    // A UNIQUE index built concurrently on duplicate values fails and stays,
    // INVALID: drift, with how to fix it.
    client
        .batch_execute("INSERT INTO t (id, x) VALUES (1, 7), (2, 7);")
        .expect("insert duplicates");
    let failed = client.batch_execute("CREATE UNIQUE INDEX CONCURRENTLY t_x_key ON t (x)");
    assert!(failed.is_err(), "the duplicate values fail the index");
    let valid: bool = client
        .query_one(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = 't_x_key'::regclass",
            &[],
        )
        .expect("the index is left")
        .get(0);
    assert!(!valid, "the failed index is left INVALID");
    let text = verify(dir, &url, 3);
    for needle in [
        "index `t_x_key` on `t` is INVALID",
        "REINDEX INDEX CONCURRENTLY t_x_key;",
        "DROP INDEX CONCURRENTLY t_x_key;",
        "CREATE UNIQUE INDEX t_x_key ON public.t USING btree (x)",
    ] {
        assert!(text.contains(needle), "verify says `{needle}`:\n{text}");
    }
    // `stamp` refuses it too.
    let out = schema(dir, &["stamp", "20240101000002", "--database-url", &url]);
    assert_exit(&out, 1);
    assert!(stderr(&out).contains("is INVALID"), "{}", describe(&out));
    client
        .batch_execute("DROP INDEX CONCURRENTLY t_x_key;")
        .expect("drop the invalid index");
    verify(dir, &url, 0);
}
