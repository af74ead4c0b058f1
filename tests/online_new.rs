//! `schema new --online` on PostgreSQL: for each change kind, the online steps of `from` →
//! `to` run as the migrator runs them (a transactional step in one transaction, a
//! `no-transaction` one statement by statement) on a database holding `from` and some
//! rows; the catalog is then the one of a database built straight from `to`; the downs,
//! in reverse order, give back `from`'s catalog; and the steps go up again.

#![allow(clippy::panic, reason = "a test reports failure by panicking")]

use postgres::Client;
use schema_core::diff::{Renames, renames_from_hints};
use schema_core::migrations::generate::generate;
use schema_core::migrations::online::{OnlineMigration, generate_online};
use schema_core::model::Schema;
use schema_core::parse::parse_schema_str;
use schema_core::render::Postgres;
use schema_runtime::Dialect;
use schema_runtime::split::statements;
use schema_test_support::pg;

/// The schema every case starts from.
const FROM: &str = "
CREATE TABLE users (
    id bigint PRIMARY KEY,
    email text,
    name text
);
CREATE TABLE posts (
    id bigint PRIMARY KEY,
    user_id bigint,
    title text
);
CREATE INDEX posts_title_idx ON posts (title);
CREATE TABLE events (
    id bigint,
    kind text
);
";

/// Rows every `to` of the cases accepts.
const ROWS: &str = "
INSERT INTO users (id, email, name) VALUES (1, 'a@example.com', 'Ann'), (2, 'b@example.com', 'Bob');
INSERT INTO posts (id, user_id, title) VALUES (1, 1, 'first'), (2, 2, 'second'), (3, 1, 'third');
INSERT INTO events (id, kind) VALUES (1, 'signup'), (2, 'login'), (3, 'login');
";

fn parse(name: &str, text: &str) -> Schema {
    parse_schema_str(name, text).unwrap_or_else(|d| panic!("{name} does not parse: {d:?}"))
}

/// The plain DDL creating `schema` on an empty database.
fn create_sql(schema: &Schema) -> String {
    generate(&Schema::new(), schema, &Renames::default(), &Postgres)
        .unwrap_or_else(|e| panic!("cannot write the creating migration: {e}"))
        .up_sql()
}

fn facts(client: &mut Client) -> Vec<String> {
    pg::catalog_facts(client).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs `sql` as the migrator runs a migration.
fn run(client: &mut Client, sql: &str, no_transaction: bool) -> Result<(), String> {
    if no_transaction {
        for statement in statements(sql, Dialect::Postgres) {
            client
                .batch_execute(statement)
                .map_err(|e| pg::describe_pg_error(&e, statement))?;
        }
        return Ok(());
    }
    let mut tx = client.transaction().map_err(|e| e.to_string())?;
    tx.batch_execute(sql)
        .map_err(|e| pg::describe_pg_error(&e, sql))?;
    tx.commit().map_err(|e| e.to_string())
}

fn shown(steps: &[OnlineMigration]) -> String {
    steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            format!(
                "--- step {} ({:?}) up ---\n{}--- down ---\n{}",
                i + 1,
                s.suffix,
                s.up,
                s.down
            )
        })
        .collect()
}

/// Lines of `a` not in `b` and of `b` not in `a`.
fn difference(a: &[String], b: &[String]) -> String {
    let only = |x: &[String], y: &[String]| {
        x.iter()
            .filter(|l| !y.contains(l))
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!("only here:\n{}\nonly expected:\n{}", only(a, b), only(b, a))
}

/// The whole check for one case from [`FROM`]; returns the steps it ran.
fn case(to_text: &str, expected_suffixes: &[&str]) -> Vec<OnlineMigration> {
    case_from(FROM, to_text, expected_suffixes)
}

/// The whole check for one case; returns the steps it ran.
fn case_from(from_text: &str, to_text: &str, expected_suffixes: &[&str]) -> Vec<OnlineMigration> {
    let Some(server) = pg::server() else {
        return Vec::new();
    };
    let (from, to) = (parse("from.sql", from_text), parse("to.sql", to_text));
    let renames = renames_from_hints(&from, &to).unwrap_or_else(|d| panic!("{d:?}"));
    let steps = generate_online(&from, &to, &renames).unwrap_or_else(|e| panic!("{e}"));
    let suffixes: Vec<&str> = steps.iter().map(|s| s.suffix).collect();
    assert_eq!(suffixes, expected_suffixes, "{}", shown(&steps));

    // What `to` is, built straight from its DDL.
    let target = server.create_database("online_new");
    let mut c = target.connect();
    run(&mut c, &create_sql(&to), false).unwrap_or_else(|e| panic!("`to` does not build: {e}"));
    let to_facts = facts(&mut c);
    drop(c);

    let db = server.create_database("online_new");
    let mut c = db.connect();
    run(&mut c, &create_sql(&from), false).unwrap_or_else(|e| panic!("`from` does not build: {e}"));
    let from_facts = facts(&mut c);
    run(&mut c, ROWS, false).unwrap_or_else(|e| panic!("rows: {e}"));

    let up = |c: &mut Client, round: &str| {
        for (i, s) in steps.iter().enumerate() {
            if let Err(e) = run(c, &s.up, s.no_transaction) {
                panic!("{round}: step {} up fails: {e}\n{}", i + 1, shown(&steps));
            }
        }
        let now = facts(c);
        assert!(
            now == to_facts,
            "{round}: the catalog after the steps is not `to`'s:\n{}\n{}",
            difference(&now, &to_facts),
            shown(&steps)
        );
    };
    up(&mut c, "first up");
    for (i, s) in steps.iter().enumerate().rev() {
        if let Err(e) = run(&mut c, &s.down, s.no_transaction) {
            panic!("step {} down fails: {e}\n{}", i + 1, shown(&steps));
        }
    }
    let now = facts(&mut c);
    assert!(
        now == from_facts,
        "the catalog after the downs is not `from`'s:\n{}\n{}",
        difference(&now, &from_facts),
        shown(&steps)
    );
    up(&mut c, "second up");
    let rows: i64 = c
        .query_one(
            "SELECT (SELECT count(*) FROM posts) + (SELECT count(*) FROM events)",
            &[],
        )
        .map(|r| r.get(0))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rows, 6, "rows were lost");
    steps
}

#[test]
fn new_index_on_an_existing_table() {
    case(
        &format!(
            "{FROM}CREATE INDEX users_name_idx ON users (name);\nCREATE UNIQUE INDEX users_lower_email ON users (lower(email));\n"
        ),
        &["concurrently"],
    );
}

#[test]
fn dropped_index() {
    case(
        &FROM.replace("CREATE INDEX posts_title_idx ON posts (title);\n", ""),
        &["concurrently"],
    );
}

#[test]
fn changed_index() {
    case(
        &FROM.replace(
            "posts_title_idx ON posts (title)",
            "posts_title_idx ON posts (title DESC)",
        ),
        &["concurrently"],
    );
}

#[test]
fn existing_unique_index_becomes_a_constraint() {
    case_from(
        &format!("{FROM}CREATE UNIQUE INDEX users_email_key ON users (email);\n"),
        &FROM.replace("email text,", "email text UNIQUE,"),
        &["validate"],
    );
}

#[test]
fn foreign_key_added() {
    case(
        &FROM.replace("user_id bigint,", "user_id bigint REFERENCES users (id),"),
        &["", "validate"],
    );
}

#[test]
fn check_added() {
    case(
        &FROM.replace(
            "name text\n",
            "name text CONSTRAINT users_name_length CHECK (length(name) > 0)\n",
        ),
        &["", "validate"],
    );
}

#[test]
fn set_not_null() {
    case(
        &FROM.replace("email text,", "email text NOT NULL,"),
        &["", "validate"],
    );
}

#[test]
fn primary_key_added_to_a_table_without_one() {
    case(
        &FROM.replace(
            "    id bigint,\n    kind",
            "    id bigint PRIMARY KEY,\n    kind",
        ),
        &["", "concurrently", "validate"],
    );
}

#[test]
fn unique_added() {
    case(
        &FROM.replace("email text,", "email text UNIQUE,"),
        &["concurrently", "validate"],
    );
}

#[test]
fn deferrable_unique_added() {
    case(
        &FROM.replace(
            "email text,",
            "email text CONSTRAINT users_email_key UNIQUE DEFERRABLE INITIALLY DEFERRED,",
        ),
        &["concurrently", "validate"],
    );
}

#[test]
fn new_table_with_indexes_and_foreign_keys_is_one_ordinary_migration() {
    let steps = case(
        &format!(
            "{FROM}CREATE TABLE comments (
    id bigint PRIMARY KEY,
    post_id bigint NOT NULL REFERENCES posts (id),
    parent_id bigint REFERENCES comments (id),
    body text NOT NULL CHECK (body <> ''),
    UNIQUE (post_id, id)
);
CREATE INDEX comments_post_id_idx ON comments (post_id);
"
        ),
        &[""],
    );
    for s in &steps {
        assert!(!s.no_transaction && !s.up.contains("CONCURRENTLY") && !s.up.contains("NOT VALID"));
    }
}

#[test]
fn every_kind_at_once_with_renames() {
    case(
        "
-- schema: renamed from users
CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    -- schema: renamed from email
    mail text NOT NULL UNIQUE,
    name text CONSTRAINT accounts_name_length CHECK (length(name) > 0)
);
CREATE INDEX accounts_name_idx ON accounts (name);
CREATE TABLE posts (
    id bigint PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES accounts (id),
    title text,
    body text
);
CREATE INDEX posts_title_body_idx ON posts (title, body);
CREATE TABLE events (
    id bigint PRIMARY KEY,
    kind text NOT NULL
);
CREATE TABLE tags (id bigint PRIMARY KEY, post_id bigint REFERENCES posts (id));
",
        &["", "concurrently", "validate"],
    );
}
