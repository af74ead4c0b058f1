//! Comments on sequences, enum and composite types, schemas and extensions:
//! what the model keeps of each `COMMENT ON` (the comments PostgreSQL gives on
//! creation as the defaults, `IS ''` as `IS NULL`), how migrations replay
//! them, and how a difference reads as drift.

#![allow(clippy::panic)] // test helpers fail loudly

use schema_core::diagnostic::{Diagnostic, codes, render_all};
use schema_core::diff::drift::drift;
use schema_core::migrations::MigrationFiles;
use schema_core::migrations::replay::replay;
use schema_core::model::{ExtensionComment, PUBLIC_SCHEMA_COMMENT, QualifiedName, Schema};
use schema_core::parse::parse_schema_str;
use schema_test_support::replay::migration;

fn parsed(sql: &str) -> Schema {
    parse_schema_str("schema.sql", sql).unwrap_or_else(|d| panic!("{}", render_all(&d, false)))
}

fn replayed(steps: &[(&str, &str)]) -> (Schema, Vec<Diagnostic>) {
    let files: Vec<MigrationFiles> = (1u64..)
        .zip(steps)
        .map(|(n, (up, down))| migration(n, up, down))
        .collect();
    let mut diags = Vec::new();
    let r = replay(&files, &mut diags);
    (r.migrated, diags)
}

const OBJECTS: &str = "CREATE SCHEMA app;
CREATE EXTENSION hstore;
CREATE SEQUENCE app.tickets;
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TYPE pair AS (a integer, b integer);
CREATE DOMAIN posint AS integer;
CREATE TABLE t (id serial PRIMARY KEY, note text);
";

#[test]
fn each_kind_keeps_its_comment_and_null_or_empty_removes_it() {
    let s = parsed(&format!(
        "{OBJECTS}
         COMMENT ON SEQUENCE app.tickets IS 'tickets';
         COMMENT ON SEQUENCE t_id_seq IS 'the serial''s';
         COMMENT ON TYPE mood IS 'how';
         COMMENT ON TYPE pair IS 'two';
         COMMENT ON TYPE posint IS 'a domain';
         COMMENT ON SCHEMA app IS 'the app';
         COMMENT ON EXTENSION hstore IS 'pairs';
         COMMENT ON TABLE t IS 'gone soon';
         COMMENT ON TABLE t IS '';
         COMMENT ON TYPE pair IS NULL;"
    ));
    let seq = |n: &QualifiedName| s.sequences.get(n).and_then(|x| x.comment.clone());
    assert_eq!(
        seq(&QualifiedName::new("app", "tickets")).as_deref(),
        Some("tickets")
    );
    assert_eq!(
        seq(&QualifiedName::public("t_id_seq")).as_deref(),
        Some("the serial's")
    );
    let mood = s.enums.get(&QualifiedName::public("mood"));
    assert_eq!(mood.and_then(|e| e.comment.as_deref()), Some("how"));
    let pair = s.composites.get(&QualifiedName::public("pair"));
    assert_eq!(pair.map(|c| c.comment.clone()), Some(None));
    let posint = s.domains.get(&QualifiedName::public("posint"));
    assert_eq!(posint.and_then(|d| d.comment.as_deref()), Some("a domain"));
    assert_eq!(s.namespace_comment("app"), Some("the app"));
    assert_eq!(s.namespace_comment("public"), Some(PUBLIC_SCHEMA_COMMENT));
    let hstore = s.extensions.get(&QualifiedName::global("hstore"));
    assert_eq!(
        hstore.map(|e| e.comment.clone()),
        Some(ExtensionComment::Set("pairs".into()))
    );
    let t = s.tables.get(&QualifiedName::public("t"));
    assert_eq!(t.map(|t| t.comment.clone()), Some(None));
}

#[test]
fn the_comments_postgres_gives_on_creation_are_the_defaults() {
    let plain = parsed(OBJECTS);
    let restated = parsed(&format!(
        "{OBJECTS}
         COMMENT ON SCHEMA public IS 'mine';
         COMMENT ON SCHEMA public IS 'standard public schema';
         COMMENT ON EXTENSION hstore IS 'data type for storing sets of (key, value) pairs';
         COMMENT ON EXTENSION plpgsql IS 'PL/pgSQL procedural language';"
    ));
    assert_eq!(plain, restated);
    assert!(schema_core::diff::compare(&plain, &restated).is_empty());
    let removed = parsed(&format!(
        "{OBJECTS}
         COMMENT ON SCHEMA public IS NULL;
         COMMENT ON EXTENSION hstore IS NULL;"
    ));
    assert_eq!(removed.namespace_comment("public"), None);
    let changes: Vec<String> = schema_core::diff::compare(&plain, &removed)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        changes,
        [
            "change comment of schema `public`",
            "change comment of extension `hstore`"
        ]
    );
}

#[test]
fn migrations_replay_comments_and_a_difference_is_drift() {
    // Each down.sql must undo its up.sql, comments included (the replay
    // checks it).
    let (migrated, diags) = replayed(&[
        (
            OBJECTS,
            "DROP TABLE t; DROP DOMAIN posint; DROP TYPE pair; DROP TYPE mood;
             DROP SEQUENCE app.tickets; DROP EXTENSION hstore; DROP SCHEMA app;",
        ),
        (
            "COMMENT ON SEQUENCE app.tickets IS 'tickets';
             COMMENT ON TYPE mood IS 'how';
             COMMENT ON SCHEMA public IS 'tables';
             COMMENT ON EXTENSION hstore IS 'pairs';",
            "COMMENT ON SEQUENCE app.tickets IS NULL;
             COMMENT ON TYPE mood IS NULL;
             COMMENT ON SCHEMA public IS 'standard public schema';
             COMMENT ON EXTENSION hstore IS 'data type for storing sets of (key, value) pairs';",
        ),
        (
            "COMMENT ON TYPE mood IS NULL;",
            "COMMENT ON TYPE mood IS 'how';",
        ),
    ]);
    assert!(diags.is_empty(), "{}", render_all(&diags, false));
    let declared = parsed(&format!(
        "{OBJECTS}
         COMMENT ON SEQUENCE app.tickets IS 'tickets';
         COMMENT ON SCHEMA public IS 'tables';
         COMMENT ON EXTENSION hstore IS 'pairs';"
    ));
    assert!(schema_core::diff::compare(&migrated, &declared).is_empty());
    let other = parsed(&format!(
        "{OBJECTS}
         COMMENT ON SEQUENCE app.tickets IS 'numbers';
         COMMENT ON TYPE mood IS 'how';
         COMMENT ON EXTENSION hstore IS 'pairs';"
    ));
    let reports = drift(&migrated, &other);
    let messages: Vec<&str> = reports.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(reports.len(), 3, "{messages:#?}");
    assert!(reports.iter().all(|d| d.code == codes::DRIFT));
    for what in ["schema `public`", "sequence `app.tickets`", "type `mood`"] {
        assert!(
            messages.iter().any(|m| m.contains(what)),
            "{what}: {messages:#?}"
        );
    }
}

#[test]
fn a_down_that_forgets_a_comment_does_not_undo_its_up() {
    let (_, diags) = replayed(&[
        ("CREATE SEQUENCE s;", "DROP SEQUENCE s;"),
        ("COMMENT ON SEQUENCE s IS 'numbers';", ""),
    ]);
    assert_eq!(diags.len(), 1, "{}", render_all(&diags, false));
    assert!(
        diags[0]
            .notes
            .iter()
            .any(|n| n.contains("comment of sequence `s`")),
        "{}",
        render_all(&diags, false)
    );
}
