//! Types renamed by a `-- schema: renamed from <old>` hint: the hint's
//! errors, the migration written for them replayed back to the declared
//! schema (both ways), and the SQLite rendering of such a migration.

#![allow(clippy::panic)] // test helpers fail loudly

use schema_core::Dialect;
use schema_core::diagnostic::{Diagnostic, render_all};
use schema_core::diff::{Change, diff, renames_from_hints};
use schema_core::migrations::dialects;
use schema_core::migrations::generate::generate;
use schema_core::migrations::replay::replay;
use schema_core::model::{QualifiedName, TypeKind};
use schema_core::parse::parse_schema_str;
use schema_core::render::Postgres;
use schema_test_support::replay::migration;

fn schema(sql: &str) -> schema_core::Schema {
    parse_schema_str("schema.sql", sql).unwrap_or_else(|d| panic!("{}", render_all(&d, false)))
}

fn hint_errors(from: &str, to: &str) -> Vec<Diagnostic> {
    renames_from_hints(&schema(from), &schema(to))
        .err()
        .unwrap_or_default()
}

#[test]
fn a_hint_whose_old_type_is_missing_is_located_with_help() {
    let errors = hint_errors(
        "CREATE TYPE mood AS ENUM ('a');",
        "CREATE TABLE t (id int);\n-- schema: renamed from moood\nCREATE TYPE feeling AS ENUM ('a');",
    );
    assert_eq!(errors.len(), 1, "{}", render_all(&errors, false));
    let shown = render_all(&errors, false);
    assert!(
        shown.contains(
            "rename hint matches nothing: there is no enum type `moood` to rename to `feeling`"
        ),
        "{shown}"
    );
    assert!(shown.contains("schema.sql:2:"), "{shown}");
    assert!(shown.contains("-- schema: renamed from moood"), "{shown}");
    assert!(shown.contains("help: fix the old name"), "{shown}");
}

#[test]
fn a_hint_whose_new_name_is_taken_is_ambiguous() {
    let errors = hint_errors(
        "CREATE DOMAIN price AS numeric;\nCREATE DOMAIN amount AS numeric;",
        "-- schema: renamed from price\nCREATE DOMAIN amount AS numeric;",
    );
    assert_eq!(errors.len(), 1, "{}", render_all(&errors, false));
    assert!(
        errors[0]
            .message
            .contains("rename hint is ambiguous: both `price` and `amount` exist"),
        "{}",
        errors[0]
    );
    // Taken by a type of another kind, or a table's row type, alike.
    let errors = hint_errors(
        "CREATE TYPE point2 AS (x int, y int);\nCREATE TABLE coordinates (id int);",
        "-- schema: renamed from point2\nCREATE TYPE coordinates AS (x int, y int);",
    );
    assert_eq!(errors.len(), 1, "{}", render_all(&errors, false));
    assert!(errors[0].message.contains("ambiguous"), "{}", errors[0]);
}

#[test]
fn a_hint_cannot_change_the_kind_of_a_type() {
    let errors = hint_errors(
        "CREATE DOMAIN mood AS text;",
        "-- schema: renamed from mood\nCREATE TYPE feeling AS ENUM ('a');",
    );
    assert_eq!(errors.len(), 1, "{}", render_all(&errors, false));
    let shown = render_all(&errors, false);
    assert!(
        shown.contains(
            "rename hint names a type of another kind: `mood` is a domain, `feeling` is declared as an enum type"
        ),
        "{shown}"
    );
    assert!(
        shown.contains("a rename keeps the kind of a type"),
        "{shown}"
    );
}

#[test]
fn a_hint_already_applied_is_satisfied() {
    let from = "CREATE TYPE feeling AS ENUM ('a');";
    let to = "-- schema: renamed from mood\nCREATE TYPE feeling AS ENUM ('a');";
    let renames = renames_from_hints(&schema(from), &schema(to))
        .unwrap_or_else(|d| panic!("{}", render_all(&d, false)));
    assert!(renames.types.is_empty(), "{renames:?}");
}

#[test]
fn a_type_renamed_in_a_schema_keeps_its_schema() {
    let from = schema("CREATE SCHEMA s;\nCREATE TYPE s.mood AS ENUM ('a');");
    let to = schema(
        "CREATE SCHEMA s;\n-- schema: renamed from mood\nCREATE TYPE s.feeling AS ENUM ('a');",
    );
    let renames =
        renames_from_hints(&from, &to).unwrap_or_else(|d| panic!("{}", render_all(&d, false)));
    assert_eq!(
        diff(&from, &to, &renames),
        vec![Change::RenameType {
            kind: TypeKind::Enum,
            from: QualifiedName::new("s", "mood"),
            to: QualifiedName::new("s", "feeling"),
        }]
    );
}

/// A check that casts to the type follows the rename, as PostgreSQL's
/// stored expression does: nothing else differs.
#[test]
fn casts_to_a_renamed_type_follow_it() {
    let from = schema(
        "CREATE TYPE mood AS ENUM ('a', 'b');
         CREATE TABLE t (label text CHECK (label::mood <> 'b'), m mood DEFAULT 'a');",
    );
    let to = schema(
        "-- schema: renamed from mood
         CREATE TYPE feeling AS ENUM ('a', 'b');
         CREATE TABLE t (label text CHECK (label::feeling <> 'b'), m feeling DEFAULT 'a');",
    );
    let casts = format!("{:?}", from.tables.values().next().map(|t| &t.constraints));
    assert!(casts.contains("::mood"), "the cast is kept: {casts}");
    let renames =
        renames_from_hints(&from, &to).unwrap_or_else(|d| panic!("{}", render_all(&d, false)));
    let changes = diff(&from, &to, &renames);
    assert_eq!(changes.len(), 1, "{changes:#?}");
}

/// The migration written for each hint, replayed after the old schema,
/// gives the declared schema, and its down undoes it (replay checks that).
#[test]
fn written_renames_replay_to_the_declared_schema() {
    let cases = [
        (
            "CREATE TYPE mood AS ENUM ('a', 'b');
             CREATE TABLE t (id int PRIMARY KEY, m mood NOT NULL DEFAULT 'a', ms mood[]);",
            "DROP TABLE t; DROP TYPE mood;",
            "-- schema: renamed from mood
             CREATE TYPE feeling AS ENUM ('a', 'b', 'c');
             CREATE TABLE t (id int PRIMARY KEY, m feeling NOT NULL DEFAULT 'a', ms feeling[]);",
        ),
        (
            "CREATE DOMAIN positive AS int CHECK (VALUE > 0);
             CREATE DOMAIN small AS positive CHECK (VALUE < 10);
             CREATE TYPE pair AS (a positive, b small);
             CREATE TABLE t (id int PRIMARY KEY, p positive, ps positive[], q pair);",
            "DROP TABLE t; DROP TYPE pair; DROP DOMAIN small; DROP DOMAIN positive;",
            "-- schema: renamed from positive
             CREATE DOMAIN strictly_positive AS int CHECK (VALUE > 0);
             CREATE DOMAIN small AS strictly_positive CHECK (VALUE < 10);
             -- schema: renamed from pair
             CREATE TYPE couple AS (a strictly_positive, b small);
             CREATE TABLE t (id int PRIMARY KEY, p strictly_positive, ps strictly_positive[], q couple);",
        ),
    ];
    for (from_text, drop_from, to_text) in cases {
        let (from, to) = (schema(from_text), schema(to_text));
        let renames =
            renames_from_hints(&from, &to).unwrap_or_else(|d| panic!("{}", render_all(&d, false)));
        assert!(!renames.types.is_empty(), "{renames:?}");
        let m = generate(&from, &to, &renames, &Postgres).unwrap_or_else(|e| panic!("{e}"));
        let (up, down) = (m.up_sql(), m.down_sql());
        assert!(up.contains(" RENAME TO "), "{up}");
        let files = [migration(1, from_text, drop_from), migration(2, &up, &down)];
        let mut diags = Vec::new();
        let r = replay(&files, &mut diags);
        assert!(
            diags.is_empty(),
            "{}\n--- up ---\n{up}--- down ---\n{down}",
            render_all(&diags, false)
        );
        let left = schema_core::diff::compare(&r.migrated, &to);
        assert!(left.is_empty(), "{left:#?}\n--- up ---\n{up}");
        // Replay reads the renames back, so another dialect renames too.
        assert_eq!(r.migrations[1].renames.types, renames.types);
    }
}

/// On SQLite an enum type lives in its columns' marker comments: a
/// migration that renames it rebuilds their tables, under the new name.
#[test]
fn sqlite_rebuilds_the_tables_of_a_renamed_enum() {
    let files = [
        migration(
            1,
            "CREATE TYPE mood AS ENUM ('a', 'b');
             CREATE TABLE t (id int PRIMARY KEY, m mood NOT NULL);
             CREATE TABLE other (id int PRIMARY KEY);",
            "DROP TABLE other; DROP TABLE t; DROP TYPE mood;",
        ),
        migration(
            2,
            "ALTER TYPE mood RENAME TO feeling;",
            "ALTER TYPE feeling RENAME TO mood;",
        ),
    ];
    let mut diags = Vec::new();
    let r = replay(&files, &mut diags);
    assert!(diags.is_empty(), "{}", render_all(&diags, false));
    let sql = dialects::sql(&r.migrations[1], Dialect::Sqlite).unwrap_or_else(|e| panic!("{e}"));
    assert!(sql.up.contains("/* schema: enum feeling */"), "{}", sql.up);
    assert!(sql.up.contains("DROP TABLE \"t\""), "{}", sql.up);
    assert!(!sql.up.contains("\"other\""), "{}", sql.up);
    assert!(sql.down.contains("/* schema: enum mood */"), "{}", sql.down);
}

/// `ALTER DOMAIN ... RENAME TO` replays: the columns, arrays and domains of
/// it follow.
#[test]
fn alter_domain_rename_replays() {
    let files = [migration(
        1,
        "CREATE DOMAIN d AS int;
         CREATE DOMAIN e AS d;
         CREATE TABLE t (a d, b d[], c e);
         ALTER DOMAIN d RENAME TO f;",
        "DROP TABLE t; DROP DOMAIN e; DROP DOMAIN f;",
    )];
    let mut diags = Vec::new();
    let r = replay(&files, &mut diags);
    assert!(diags.is_empty(), "{}", render_all(&diags, false));
    let declared = schema(
        "CREATE DOMAIN f AS int;
         CREATE DOMAIN e AS f;
         CREATE TABLE t (a f, b f[], c e);",
    );
    let left = schema_core::diff::compare(&r.migrated, &declared);
    assert!(left.is_empty(), "{left:#?}");
}
