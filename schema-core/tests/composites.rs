//! Composite types: how `CREATE TYPE ... AS (...)` reads, how migrations
//! replay `ALTER TYPE ... ATTRIBUTE`, `RENAME TO` and `DROP TYPE`, and that
//! malformed forms are located errors, never panics.

#![allow(clippy::panic)] // test helpers fail loudly

use schema_core::diagnostic::{Diagnostic, codes, render_all};
use schema_core::migrations::MigrationFiles;
use schema_core::migrations::replay::replay;
use schema_core::model::{QualifiedName, Schema, SqlType};
use schema_core::parse::parse_schema_str;
use schema_test_support::replay::migration;

fn parsed(sql: &str) -> Schema {
    parse_schema_str("schema.sql", sql).unwrap_or_else(|d| panic!("{}", render_all(&d, false)))
}

fn errors(sql: &str) -> Vec<Diagnostic> {
    match parse_schema_str("schema.sql", sql) {
        Ok(_) => panic!("accepted:\n{sql}"),
        Err(d) => d,
    }
}

fn replayed(steps: &[(&str, &str)]) -> (Schema, Vec<Diagnostic>) {
    let files: Vec<MigrationFiles> = steps
        .iter()
        .enumerate()
        .map(|(i, (up, down))| migration(i as u64 + 1, up, down))
        .collect();
    let mut diags = Vec::new();
    let r = replay(&files, &mut diags);
    (r.migrated, diags)
}

fn assert_replays_to(steps: &[(&str, &str)], declared: &str) {
    let (migrated, diags) = replayed(steps);
    assert!(diags.is_empty(), "{}", render_all(&diags, false));
    let declared = parsed(declared);
    let changes = schema_core::diff::compare(&migrated, &declared);
    assert!(changes.is_empty(), "{changes:#?}");
    assert_eq!(migrated, declared);
}

#[test]
fn attributes_keep_their_order_types_and_collations() {
    let s = parsed(
        "CREATE TYPE p AS (B int, \"C\" varchar(3) COLLATE \"C\", d text COLLATE \"default\", e int[]);",
    );
    let p = &s.composites[&QualifiedName::public("p")];
    let names: Vec<&str> = p.attributes.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["b", "C", "d", "e"]);
    assert_eq!(p.attributes[1].collation.as_deref(), Some("C"));
    assert_eq!(p.attributes[2].collation, None);
    assert_eq!(
        p.attributes[3].data_type,
        SqlType::Array(Box::new(SqlType::Integer))
    );
}

#[test]
fn attribute_forms_replay() {
    assert_replays_to(
        &[
            (
                "CREATE SCHEMA app;
                 CREATE TYPE p AS (a integer, b text, c text);
                 CREATE TYPE q AS (x integer);
                 CREATE TABLE t (id integer PRIMARY KEY, v p);",
                "DROP TABLE t; DROP TYPE q; DROP TYPE p; DROP SCHEMA app;",
            ),
            (
                "ALTER TYPE p DROP ATTRIBUTE c CASCADE, DROP ATTRIBUTE IF EXISTS zz;
                 ALTER TYPE p ADD ATTRIBUTE d numeric(5,1);
                 ALTER TYPE p RENAME ATTRIBUTE b TO bb;
                 ALTER TYPE q ALTER ATTRIBUTE x SET DATA TYPE bigint;
                 ALTER TYPE q ALTER ATTRIBUTE x TYPE text COLLATE \"C\";
                 ALTER TYPE q ADD ATTRIBUTE y p;
                 ALTER TYPE p RENAME TO pp;
                 ALTER TYPE pp OWNER TO CURRENT_USER;",
                "ALTER TYPE pp RENAME TO p;
                 ALTER TYPE q DROP ATTRIBUTE y;
                 ALTER TYPE q ALTER ATTRIBUTE x TYPE integer;
                 ALTER TYPE p RENAME ATTRIBUTE bb TO b;
                 ALTER TYPE p DROP ATTRIBUTE d;
                 ALTER TYPE p ADD ATTRIBUTE c text;",
            ),
        ],
        "CREATE SCHEMA app;
         CREATE TYPE pp AS (a integer, bb text, d numeric(5,1));
         CREATE TYPE q AS (x text COLLATE \"C\", y pp);
         CREATE TABLE t (id integer PRIMARY KEY, v pp);",
    );
}

#[test]
fn an_attribute_type_cannot_change_while_the_type_is_used() {
    let (_, diags) = replayed(&[(
        "CREATE TYPE p AS (a integer);
         CREATE TABLE t (id integer PRIMARY KEY, v p[]);
         ALTER TYPE p ALTER ATTRIBUTE a TYPE bigint;",
        "DROP TABLE t; DROP TYPE p;",
    )]);
    let text = render_all(&diags, false);
    assert!(
        diags.iter().any(|d| d.code == codes::NOT_ALLOWED_HERE
            && d.message.contains("column `t.v`")
            && d.location().is_some_and(|l| l.ends_with("up.sql:3:23"))),
        "{text}"
    );
}

#[test]
fn drop_type_cascade_drops_columns_and_attributes() {
    assert_replays_to(
        &[
            (
                "CREATE TYPE p AS (a integer);
                 CREATE TYPE q AS (x integer, y p);
                 CREATE TABLE t (id integer PRIMARY KEY, v p, w q);",
                "DROP TABLE t; DROP TYPE q; DROP TYPE p;",
            ),
            (
                "DROP TYPE p CASCADE;",
                "CREATE TYPE p AS (a integer);
                 ALTER TYPE q ADD ATTRIBUTE y p;
                 ALTER TABLE t ADD COLUMN v p;",
            ),
        ],
        "CREATE TYPE q AS (x integer);
         CREATE TABLE t (id integer PRIMARY KEY, w q);",
    );
    let (_, diags) = replayed(&[(
        "CREATE TYPE p AS (a integer);
         CREATE TYPE q AS (y p);
         DROP TYPE p;",
        "DROP TYPE q;",
    )]);
    let text = render_all(&diags, false);
    assert!(text.contains("attribute `q.y`"), "{text}");
}

#[test]
fn malformed_composite_types_are_located_errors() {
    for (sql, place) in [
        ("CREATE TYPE p AS (a integer, a text);", "1:30"),
        ("CREATE TYPE p AS (a serial);", "1:19"),
        ("CREATE TYPE p AS (a nope);", "1:19"),
        ("CREATE TYPE p AS (a p);", "1:19"),
        ("CREATE TYPE p AS (a integer COLLATE \"C\");", "1:37"),
        (
            "CREATE TABLE p (a integer);\nCREATE TYPE p AS (a integer);",
            "2:13",
        ),
        (
            "CREATE TYPE p AS (a integer);\nALTER TYPE p ADD ATTRIBUTE;",
            "2:27",
        ),
        (
            "CREATE TYPE p AS (a integer);\nALTER TYPE p ADD ATTRIBUTE b integer,;",
            "2:38",
        ),
        (
            "CREATE TYPE p AS (a integer);\nALTER TYPE p RENAME ATTRIBUTE a b;",
            "2:33",
        ),
        (
            "CREATE TYPE p AS (a integer);\nALTER TYPE p ADD VALUE 'x';",
            "2:1",
        ),
    ] {
        let d = errors(sql);
        let text = render_all(&d, false);
        assert_eq!(
            d[0].location(),
            Some(format!("schema.sql:{place}")),
            "{sql}\n{text}"
        );
    }
    let (_, diags) = replayed(&[(
        "CREATE TYPE p AS (a integer);
         ALTER TYPE p DROP ATTRIBUTE b;",
        "DROP TYPE p;",
    )]);
    let text = render_all(&diags, false);
    assert!(
        diags[0]
            .location()
            .is_some_and(|l| l.ends_with("up.sql:2:23")),
        "{text}"
    );
}
