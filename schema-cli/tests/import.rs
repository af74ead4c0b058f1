//! `schema import --from <format>`: each format's fixture history under
//! `tests/fixtures/import/<format>/` (the same three steps: create `users`;
//! create `posts` with a foreign key and insert a row; add an index) is
//! imported; the files written are checked line by line (versions, the header
//! other tools read, up and down text); `schema check` agrees with
//! `fixtures/import/schema.sql`; on PostgreSQL (a database per test, skipped
//! without a server) `up` and `verify` succeed and the catalog holds the
//! tables, the foreign key, the index and the row; `down` to 0 empties it
//! where the format has downs. Then the refusals: files that are not
//! migrations, malformed files (named with their line), existing migrations
//! never overwritten.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)] // tests fail loudly

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use schema_test_support::pg;

const USERS: &str =
    "CREATE TABLE users (\n    id bigint PRIMARY KEY,\n    name text NOT NULL\n);\n";
const POSTS: &str = "CREATE TABLE posts (\n    id bigint PRIMARY KEY,\n    user_id bigint NOT NULL REFERENCES users (id),\n    title text NOT NULL\n);\n\nINSERT INTO users (id, name) VALUES (1, 'ada');\n";
const POSTS_DOWN: &str = "DELETE FROM users WHERE id = 1;\nDROP TABLE posts;\n";
const INDEX: &str = "CREATE INDEX posts_user_id_idx ON posts (user_id);\n";
const CINDEX: &str = "CREATE INDEX CONCURRENTLY posts_user_id_idx ON posts (user_id);\n";
const INDEX_DOWN: &str = "DROP INDEX posts_user_id_idx;\n";

/// One imported migration, as it must be written.
struct Step {
    dir: &'static str,
    /// The version as the tool records it (the header's).
    tool_version: &'static str,
    /// The original file, relative to the fixture directory.
    path: &'static str,
    up: &'static str,
    no_transaction: bool,
    /// The down file and its SQL, when the tool has one.
    down: Option<(&'static str, &'static str)>,
}

/// `schema <args>` run in `dir`.
fn schema(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_schema"))
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("the schema binary runs")
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

fn describe(out: &Output) -> String {
    format!(
        "{}\n--- stdout\n{}--- stderr\n{}",
        out.status,
        text(&out.stdout),
        text(&out.stderr)
    )
}

#[track_caller]
fn assert_exit(out: &Output, code: i32) {
    assert_eq!(out.status.code(), Some(code), "{}", describe(out));
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import")
}

/// A project directory holding the fixtures' schema.sql.
fn project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::copy(fixtures().join("schema.sql"), tmp.path().join("schema.sql"))
        .expect("copy schema.sql");
    tmp
}

/// The migration directories `schema import` wrote, by name.
fn written(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("migrations"))
        .expect("migrations/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != "schema.sum" && !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

fn rows(client: &mut postgres::Client, sql: &str) -> Vec<String> {
    match client.query(sql, &[]) {
        Ok(rows) => rows.iter().map(|r| r.get(0)).collect(),
        Err(e) => panic!("`{sql}`: {e}"),
    }
}

/// The tables, foreign keys, indexes and `users` rows of the database.
fn catalog(client: &mut postgres::Client) -> Vec<String> {
    let mut all = rows(
        client,
        "SELECT 'table ' || relname::text FROM pg_class \
         WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' \
           AND relname <> '_schema_migrations' ORDER BY 1",
    );
    all.extend(rows(
        client,
        "SELECT 'fk ' || conname::text || ' ' || pg_get_constraintdef(oid) FROM pg_constraint \
         WHERE contype = 'f' AND connamespace = 'public'::regnamespace ORDER BY 1",
    ));
    all.extend(rows(
        client,
        "SELECT 'index ' || c.relname::text || CASE WHEN i.indisvalid THEN '' ELSE ' INVALID' END \
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
         WHERE c.relnamespace = 'public'::regnamespace AND NOT i.indisprimary \
           AND c.relname NOT LIKE '\\_schema%' ORDER BY 1",
    ));
    if all.iter().any(|t| t == "table users") {
        all.extend(rows(
            client,
            "SELECT 'user ' || id::text || ' ' || name FROM users ORDER BY id",
        ));
    }
    all
}

const MIGRATED: [&str; 5] = [
    "table posts",
    "table users",
    "fk posts_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id)",
    "index posts_user_id_idx",
    "user 1 ada",
];

/// Imports `format` from `source` (with `extra` arguments), checks the files
/// against `steps`, `schema check`, and on PostgreSQL `up`, `verify`, `down`.
fn import_and_run(format: &str, source: &str, extra: &[&str], steps: &[Step; 3]) {
    let tmp = project();
    let dir = tmp.path();
    let source = fixtures().join(source);
    let source = source.to_str().expect("UTF-8 path");
    let mut args = vec!["import", "--from", format, source];
    args.extend(extra);
    let out = schema(dir, &args);
    assert_exit(&out, 0);
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert!(stdout.contains("imported 3 migrations from"), "{stdout}");
    assert!(stdout.contains("next: run `schema check`"), "{stdout}");
    let names: Vec<&str> = steps.iter().map(|s| s.dir).collect();
    assert_eq!(written(dir), names);
    for s in steps {
        let read = |f: &str| {
            std::fs::read_to_string(dir.join("migrations").join(s.dir).join(f)).expect("read")
        };
        let mut up = format!(
            "-- imported from {format} {} ({})\n",
            s.tool_version, s.path
        );
        if s.no_transaction {
            up.push_str("-- schema: no-transaction\n");
        }
        up.push_str(s.up);
        assert_eq!(read("up.sql"), up, "{}/up.sql", s.dir);
        let down = read("down.sql");
        match s.down {
            Some((path, sql)) => {
                assert_eq!(
                    down,
                    format!(
                        "-- imported from {format} {} ({path})\n{sql}",
                        s.tool_version
                    ),
                    "{}/down.sql",
                    s.dir
                );
                assert!(
                    stderr.contains(&format!("imported migrations/{} from", s.dir)),
                    "{stderr}"
                );
            }
            None => {
                assert!(
                    down.starts_with(&format!(
                        "-- imported from {format} {} ({}): ",
                        s.tool_version, s.path
                    )),
                    "{down}"
                );
                assert!(
                    down.contains("\n-- schema: allow(down_does_not_undo_up)\n"),
                    "{down}"
                );
                assert!(
                    stderr.contains(&format!(
                        "warning: migrations/{}/down.sql does nothing",
                        s.dir
                    )),
                    "{stderr}"
                );
            }
        }
    }
    // schema.sum as `schema sum` writes it, and the history as schema.sql says.
    let sum = schema(dir, &["sum"]);
    assert_exit(&sum, 0);
    assert!(
        text(&sum.stdout).contains("is up to date"),
        "{}",
        describe(&sum)
    );
    let check = schema(dir, &["check"]);
    assert_exit(&check, 0);
    assert!(
        text(&check.stdout).starts_with("ok: schema.sql matches 3 migrations"),
        "{}",
        describe(&check)
    );

    let Some(server) = pg::server() else { return };
    let db = server.create_database(&format!("import_{}", format.replace('-', "_")));
    let url = db.url();
    let on_db = |args: &[&str], code: i32| {
        let mut all = args.to_vec();
        all.extend(["--database-url", url.as_str()]);
        let out = schema(dir, &all);
        assert_exit(&out, code);
        out
    };
    on_db(&["up"], 0);
    on_db(&["verify"], 0);
    let mut client = db.connect();
    assert_eq!(catalog(&mut client), MIGRATED);
    let applied = rows(
        &mut client,
        "SELECT version::text FROM _schema_migrations ORDER BY version",
    );
    let versions: Vec<String> = steps
        .iter()
        .map(|s| {
            s.dir
                .split('_')
                .next()
                .unwrap_or("")
                .trim_start_matches('0')
                .to_string()
        })
        .collect();
    assert_eq!(applied, versions);
    if steps[..2].iter().all(|s| s.down.is_some()) {
        on_db(&["down", "--to", "0"], 0);
        assert!(
            catalog(&mut client).is_empty(),
            "{:?}",
            catalog(&mut client)
        );
        assert!(rows(&mut client, "SELECT version::text FROM _schema_migrations").is_empty());
    } else {
        // No down: `schema down` records the revert and changes nothing.
        on_db(&["down"], 0);
        assert_eq!(catalog(&mut client), MIGRATED);
        assert_eq!(
            rows(&mut client, "SELECT count(*)::text FROM _schema_migrations"),
            ["2"]
        );
    }
}

#[test]
fn sqlx_reversible_and_simple_migrations_import() {
    import_and_run(
        "sqlx",
        "sqlx",
        &[],
        &[
            Step {
                dir: "20240101000000_create_users",
                tool_version: "20240101000000",
                path: "20240101000000_create_users.up.sql",
                up: USERS,
                no_transaction: false,
                down: Some((
                    "20240101000000_create_users.down.sql",
                    "DROP TABLE users;\n",
                )),
            },
            Step {
                dir: "20240102000000_create_posts",
                tool_version: "20240102000000",
                path: "20240102000000_create_posts.up.sql",
                up: POSTS,
                no_transaction: false,
                down: Some(("20240102000000_create_posts.down.sql", POSTS_DOWN)),
            },
            Step {
                dir: "20240103000000_add_posts_index",
                tool_version: "20240103000000",
                path: "20240103000000_add_posts_index.sql",
                up: CINDEX,
                no_transaction: true,
                down: None,
            },
        ],
    );
}

#[test]
fn diesel_directories_import_with_their_recorded_versions() {
    import_and_run(
        "diesel",
        "diesel",
        &[],
        &[
            Step {
                dir: "20240101000000_create_users",
                tool_version: "20240101000000",
                path: "2024-01-01-000000_create_users/up.sql",
                up: USERS,
                no_transaction: false,
                down: Some((
                    "2024-01-01-000000_create_users/down.sql",
                    "-- This file should undo anything in `up.sql`\nDROP TABLE users;\n",
                )),
            },
            Step {
                dir: "20240102000000_create_posts",
                tool_version: "20240102000000",
                path: "2024-01-02-000000_create_posts/up.sql",
                up: POSTS,
                no_transaction: false,
                down: Some(("2024-01-02-000000_create_posts/down.sql", POSTS_DOWN)),
            },
            Step {
                dir: "20240103000000_add_posts_index",
                tool_version: "20240103000000",
                path: "2024-01-03-000000_add_posts_index/up.sql",
                up: CINDEX,
                no_transaction: true,
                down: Some(("2024-01-03-000000_add_posts_index/down.sql", INDEX_DOWN)),
            },
        ],
    );
}

#[test]
fn refinery_migrations_import_up_only() {
    import_and_run(
        "refinery",
        "refinery",
        &[],
        &[
            Step {
                dir: "1_create_users",
                tool_version: "1",
                path: "V1__create_users.sql",
                up: USERS,
                no_transaction: false,
                down: None,
            },
            Step {
                dir: "2_create_posts",
                tool_version: "2",
                path: "V2__create_posts.sql",
                up: POSTS,
                no_transaction: false,
                down: None,
            },
            Step {
                dir: "3_add_posts_index",
                tool_version: "3",
                path: "V3__add_posts_index.sql",
                up: CINDEX,
                no_transaction: true,
                down: None,
            },
        ],
    );
}

#[test]
fn golang_migrate_pairs_import() {
    import_and_run(
        "golang-migrate",
        "golang-migrate",
        &[],
        &[
            Step {
                dir: "000001_create_users",
                tool_version: "1",
                path: "000001_create_users.up.sql",
                up: USERS,
                no_transaction: false,
                down: Some((
                    "000001_create_users.down.sql",
                    "DROP TABLE IF EXISTS users;\n",
                )),
            },
            Step {
                dir: "000002_create_posts",
                tool_version: "2",
                path: "000002_create_posts.up.sql",
                up: POSTS,
                no_transaction: false,
                down: Some(("000002_create_posts.down.sql", POSTS_DOWN)),
            },
            Step {
                dir: "000003_add_posts_index",
                tool_version: "3",
                path: "000003_add_posts_index.up.sql",
                up: INDEX,
                no_transaction: false,
                down: Some((
                    "000003_add_posts_index.down.sql",
                    "DROP INDEX IF EXISTS posts_user_id_idx;\n",
                )),
            },
        ],
    );
}

#[test]
fn goose_sections_import_without_their_annotations() {
    import_and_run(
        "goose",
        "goose",
        &[],
        &[
            Step {
                dir: "00001_create_users",
                tool_version: "1",
                path: "00001_create_users.sql",
                up: USERS,
                no_transaction: false,
                down: Some(("00001_create_users.sql", "DROP TABLE users;\n")),
            },
            Step {
                dir: "00002_create_posts",
                tool_version: "2",
                path: "00002_create_posts.sql",
                up: POSTS,
                no_transaction: false,
                down: Some(("00002_create_posts.sql", POSTS_DOWN)),
            },
            Step {
                dir: "00003_add_posts_index",
                tool_version: "3",
                path: "00003_add_posts_index.sql",
                up: CINDEX,
                no_transaction: true,
                down: Some(("00003_add_posts_index.sql", INDEX_DOWN)),
            },
        ],
    );
}

#[test]
fn dbmate_sections_import_without_their_markers() {
    import_and_run(
        "dbmate",
        "dbmate",
        &[],
        &[
            Step {
                dir: "20240101000000_create_users",
                tool_version: "20240101000000",
                path: "20240101000000_create_users.sql",
                up: USERS,
                no_transaction: false,
                down: Some(("20240101000000_create_users.sql", "DROP TABLE users;\n")),
            },
            Step {
                dir: "20240102000000_create_posts",
                tool_version: "20240102000000",
                path: "20240102000000_create_posts.sql",
                up: POSTS,
                no_transaction: false,
                down: Some(("20240102000000_create_posts.sql", POSTS_DOWN)),
            },
            Step {
                dir: "20240103000000_add_posts_index",
                tool_version: "20240103000000",
                path: "20240103000000_add_posts_index.sql",
                up: CINDEX,
                no_transaction: true,
                down: Some(("20240103000000_add_posts_index.sql", INDEX_DOWN)),
            },
        ],
    );
}

#[test]
fn flyway_dotted_versions_map_to_increasing_numbers() {
    import_and_run(
        "flyway",
        "flyway",
        &[],
        &[
            Step {
                dir: "1000_create_users",
                tool_version: "1",
                path: "sql/V1__create_users.sql",
                up: USERS,
                no_transaction: false,
                down: Some(("sql/U1__create_users.sql", "DROP TABLE users;\n")),
            },
            Step {
                dir: "1001_create_posts",
                tool_version: "1.1",
                path: "sql/V1.1__create_posts.sql",
                up: POSTS,
                no_transaction: false,
                down: Some(("sql/U1.1__create_posts.sql", POSTS_DOWN)),
            },
            Step {
                dir: "2001_add_posts_index",
                tool_version: "2.1",
                path: "V2_1__add_posts_index.sql",
                up: INDEX,
                no_transaction: false,
                down: Some(("U2_1__add_posts_index.sql", INDEX_DOWN)),
            },
        ],
    );
}

const ALEMBIC_USERS: &str = "CREATE TABLE users (\n    id BIGINT NOT NULL, \n    name TEXT NOT NULL, \n    PRIMARY KEY (id)\n);\n";
const ALEMBIC_POSTS: &str = "CREATE TABLE posts (\n    id BIGINT NOT NULL, \n    user_id BIGINT NOT NULL, \n    title TEXT NOT NULL, \n    PRIMARY KEY (id), \n    FOREIGN KEY(user_id) REFERENCES users (id)\n);\n\nINSERT INTO users (id, name) VALUES (1, 'ada');\n";

#[test]
fn alembic_offline_sql_imports_in_chain_order_without_bookkeeping() {
    import_and_run(
        "alembic",
        "alembic/upgrade.sql",
        &[
            "--down",
            fixtures()
                .join("alembic/downgrade.sql")
                .to_str()
                .expect("UTF-8 path"),
        ],
        &[
            Step {
                dir: "1_1975ea83b712",
                tool_version: "1975ea83b712",
                path: "upgrade.sql",
                up: ALEMBIC_USERS,
                no_transaction: false,
                down: Some(("downgrade.sql", "DROP TABLE users;\n")),
            },
            Step {
                dir: "2_ae1027a6acf",
                tool_version: "ae1027a6acf",
                path: "upgrade.sql",
                up: ALEMBIC_POSTS,
                no_transaction: false,
                down: Some((
                    "downgrade.sql",
                    "DELETE FROM users WHERE id = 1;\n\nDROP TABLE posts;\n",
                )),
            },
            Step {
                dir: "3_27c6a30d7c24",
                tool_version: "27c6a30d7c24",
                path: "upgrade.sql",
                up: "CREATE INDEX posts_user_id_idx ON posts (user_id);\n",
                no_transaction: false,
                down: Some(("downgrade.sql", INDEX_DOWN)),
            },
        ],
    );
}

#[test]
fn alembic_says_what_it_dropped_and_without_down_sql_writes_no_downs() {
    let tmp = project();
    let dir = tmp.path();
    let upgrade = fixtures().join("alembic/upgrade.sql");
    let out = schema(
        dir,
        &[
            "import",
            "--from",
            "alembic",
            upgrade.to_str().expect("UTF-8"),
        ],
    );
    assert_exit(&out, 0);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("dropped: 2 `BEGIN;`/`COMMIT;`"), "{stdout}");
    assert!(
        stdout.contains("dropped: 1 `CREATE TABLE alembic_version`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("dropped: 3 statements writing `alembic_version`"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "without a down (their down.sql changes nothing; write one by hand): 1, 2, 3"
        ),
        "{stdout}"
    );
    assert_eq!(
        text(&out.stderr).matches("does nothing").count(),
        3,
        "{}",
        describe(&out)
    );
    assert_exit(&schema(dir, &["check"]), 0);
}

#[test]
fn check_prints_the_fixing_migration_when_schema_sql_says_more() {
    let tmp = project();
    let dir = tmp.path();
    let source = fixtures().join("golang-migrate");
    assert_exit(
        &schema(
            dir,
            &[
                "import",
                "--from",
                "golang-migrate",
                source.to_str().expect("UTF-8"),
            ],
        ),
        0,
    );
    let declared = std::fs::read_to_string(dir.join("schema.sql"))
        .expect("schema.sql")
        .replace(
            "name text NOT NULL\n",
            "name text NOT NULL,\n    email text\n",
        );
    std::fs::write(dir.join("schema.sql"), declared).expect("write schema.sql");
    let out = schema(dir, &["check"]);
    assert_exit(&out, 1);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("this migration would bring the migrations in line"),
        "{stderr}"
    );
    assert!(stderr.contains("ADD COLUMN email text"), "{stderr}");
}

/// A directory of files for a refusal test.
fn source_dir(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    for (name, bytes) in files {
        let path = tmp.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, bytes).expect("write");
    }
    tmp
}

/// `schema import --from <format> <src>` refused: exit 1, nothing written, stderr.
fn refused(format: &str, src: &Path) -> String {
    let tmp = project();
    let out = schema(
        tmp.path(),
        &["import", "--from", format, src.to_str().expect("UTF-8")],
    );
    assert_exit(&out, 1);
    assert!(
        !tmp.path().join("migrations").exists(),
        "nothing written: {}",
        describe(&out)
    );
    text(&out.stderr)
}

#[test]
fn a_second_import_refuses_to_overwrite_and_changes_nothing() {
    let tmp = project();
    let dir = tmp.path();
    let source = fixtures().join("goose");
    let args = ["import", "--from", "goose", source.to_str().expect("UTF-8")];
    assert_exit(&schema(dir, &args), 0);
    let sum = std::fs::read_to_string(dir.join("migrations/schema.sum")).expect("sum");
    std::fs::write(
        dir.join("migrations/00001_create_users/up.sql"),
        "-- mine\n",
    )
    .expect("edit");
    let out = schema(dir, &args);
    assert_exit(&out, 1);
    let stderr = text(&out.stderr);
    for name in ["00002_create_posts", "00003_add_posts_index"] {
        assert!(
            stderr.contains(&format!("`migrations/{name}` already exists")),
            "{stderr}"
        );
    }
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.join("migrations/schema.sum")).expect("sum"),
        sum
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("migrations/00001_create_users/up.sql")).expect("up"),
        "-- mine\n"
    );
}

#[test]
fn malformed_files_are_named_with_their_line_and_the_fix() {
    let goose = source_dir(&[
        ("1_a.sql", b"CREATE TABLE t (x int);\n"),
        (
            "2_b.sql",
            b"-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n",
        ),
        ("3_c.sql", b""),
    ]);
    let stderr = refused("goose", goose.path());
    for needle in [
        "1_a.sql:1:1",
        "CREATE TABLE t (x int);",
        "SQL before `-- +goose Up`",
        "2_b.sql:2:1",
        "`-- +goose StatementBegin` is not closed",
        "3_c.sql` has no `-- +goose Up` line",
        "help: ",
    ] {
        assert!(stderr.contains(needle), "{needle} in {stderr}");
    }
    let dbmate = source_dir(&[(
        "1_a.sql",
        b"-- migrate:down\nDROP TABLE t;\n-- migrate:up\n",
    )]);
    let stderr = refused("dbmate", dbmate.path());
    assert!(
        stderr.contains("1_a.sql:1:1") && stderr.contains("before `-- migrate:up`"),
        "{stderr}"
    );
}

#[test]
fn files_that_are_not_migrations_are_listed_and_readmes_skipped() {
    let src = source_dir(&[
        ("20240101000000_a.sql", b"-- migrate:up\nSELECT 1;\n"),
        ("README.md", b"about"),
        ("notes.txt", b""),
        ("schema.sql", b""),
        ("old/20230101000000_b.sql", b"-- migrate:up\n"),
    ]);
    let stderr = refused("dbmate", src.path());
    assert!(stderr.contains("3 files in"), "{stderr}");
    for name in ["notes.txt", "schema.sql", "old/20230101000000_b.sql"] {
        assert!(stderr.contains(name), "{name} in {stderr}");
    }
    assert!(!stderr.contains("README.md"), "{stderr}");
}

#[test]
fn flyway_repeatable_migrations_are_refused_with_the_reason() {
    let src = source_dir(&[
        ("V1__a.sql", b"CREATE TABLE t (x int);\n"),
        ("R__views.sql", b"CREATE VIEW v AS SELECT 1;\n"),
    ]);
    let stderr = refused("flyway", src.path());
    assert!(
        stderr.contains("R__views.sql` is a repeatable migration"),
        "{stderr}"
    );
    assert!(
        stderr.contains("runs each migration once") || stderr.contains("runs once"),
        "{stderr}"
    );
}

#[test]
fn duplicate_versions_and_non_utf8_text_are_refused_by_name() {
    let src = source_dir(&[
        ("1_a.up.sql", b"SELECT 1;\n"),
        ("01_b.up.sql", b"SELECT 2;\n"),
    ]);
    let stderr = refused("golang-migrate", src.path());
    assert!(
        stderr.contains("01_b.up.sql")
            && stderr.contains("1_a.up.sql")
            && stderr.contains("share version 1"),
        "{stderr}"
    );
    let src = source_dir(&[("1_a.sql", b"SELECT '\xff';\n")]);
    let stderr = refused("sqlx", src.path());
    assert!(stderr.contains("1_a.sql` is not valid UTF-8"), "{stderr}");
    let src = source_dir(&[
        ("9_a.sql", b"-- migrate:up\n"),
        ("10_b.sql", b"-- migrate:up\n"),
    ]);
    let stderr = refused("dbmate", src.path());
    assert!(
        stderr.contains("runs `") && stderr.contains("10_b.sql") && stderr.contains("9_a.sql"),
        "{stderr}"
    );
}

#[test]
fn a_file_wrapped_in_its_own_transaction_loses_the_wrapper_and_says_so() {
    let src = source_dir(&[
        (
            "1_t.up.sql",
            b"BEGIN;\n\nCREATE TABLE t (id int PRIMARY KEY);\n\nCOMMIT;\n",
        ),
        ("1_t.down.sql", b"BEGIN;\nDROP TABLE t;\nCOMMIT;\n"),
    ]);
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        tmp.path().join("schema.sql"),
        "CREATE TABLE t (id int PRIMARY KEY);\n",
    )
    .expect("schema.sql");
    let out = schema(
        tmp.path(),
        &[
            "import",
            "--from",
            "golang-migrate",
            src.path().to_str().expect("UTF-8"),
        ],
    );
    assert_exit(&out, 0);
    assert!(
        text(&out.stdout)
            .contains("dropped: the `BEGIN;` and `COMMIT;` around the whole up or down of 1"),
        "{}",
        describe(&out)
    );
    let read =
        |f: &str| std::fs::read_to_string(tmp.path().join("migrations/1_t").join(f)).expect("read");
    assert_eq!(
        read("up.sql"),
        "-- imported from golang-migrate 1 (1_t.up.sql)\nCREATE TABLE t (id int PRIMARY KEY);\n"
    );
    assert_eq!(
        read("down.sql"),
        "-- imported from golang-migrate 1 (1_t.down.sql)\nDROP TABLE t;\n"
    );
    assert_exit(&schema(tmp.path(), &["check"]), 0);
}

#[test]
fn an_empty_migration_imports_and_passes_check() {
    let src = source_dir(&[
        ("1_nothing.sql", b""),
        ("2_comment.sql", b"-- nothing yet\n"),
    ]);
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::write(tmp.path().join("schema.sql"), "").expect("schema.sql");
    let out = schema(
        tmp.path(),
        &[
            "import",
            "--from",
            "sqlx",
            src.path().to_str().expect("UTF-8"),
        ],
    );
    assert_exit(&out, 0);
    let up = std::fs::read_to_string(tmp.path().join("migrations/1_nothing/up.sql")).expect("up");
    assert_eq!(
        up,
        "-- imported from sqlx 1 (1_nothing.sql)\n-- the imported migration holds no statement\n\
         -- schema: allow(empty_migration)\n"
    );
    let check = schema(tmp.path(), &["check"]);
    assert_exit(&check, 0);
}

#[test]
fn an_empty_directory_and_down_for_the_wrong_format_are_refused() {
    let src = source_dir(&[]);
    let stderr = refused("sqlx", src.path());
    assert!(stderr.contains("holds no sqlx migration"), "{stderr}");
    let tmp = project();
    let out = schema(
        tmp.path(),
        &[
            "import",
            "--from",
            "sqlx",
            "--down",
            "x.sql",
            src.path().to_str().expect("UTF-8"),
        ],
    );
    assert_exit(&out, 2);
    assert!(
        text(&out.stderr).contains("`--down` is for `--from alembic` only"),
        "{}",
        describe(&out)
    );
}

/// A file name with a line break would carry SQL into the imported
/// header comment: refused, naming it, nothing written.
#[test]
fn a_file_name_with_a_control_character_is_refused() {
    let src = source_dir(&[
        ("1_init.sql", b"CREATE TABLE t (id integer PRIMARY KEY);\n"),
        (
            "2_add\nDELETE FROM t; --.sql",
            b"CREATE INDEX t_id ON t (id);\n",
        ),
    ]);
    let err = refused("sqlx", src.path());
    assert!(
        err.contains("control character") && err.contains("2_add\\nDELETE"),
        "{err}"
    );
}

/// Deeper than the walk goes is an error, never a migration left out.
#[test]
fn a_migration_too_deep_is_an_error_not_skipped() {
    let deep = format!("{}V2__b.sql", "d/".repeat(17));
    let src = source_dir(&[
        ("V1__a.sql", b"CREATE TABLE a (id integer PRIMARY KEY);\n"),
        (&deep, b"CREATE TABLE b (id integer PRIMARY KEY);\n"),
    ]);
    let err = refused("refinery", src.path());
    assert!(err.contains("directories deep"), "{err}");
}
