//! What `pg_dump` writes is read as a declarative schema: the `--clean
//! --if-exists` drops at the top (no-ops before the creations), `OWNER TO` on
//! every kind of object (ownership is not modelled yet), and data statements,
//! which are ignored with a located warning, never an error.
//!
//! The fixture is the real output of PostgreSQL 15's `pg_dump` on a database
//! built for it: `pg_dump --schema-only --clean --if-exists` followed by
//! `pg_dump --data-only --inserts --table=schema_migrations` (as a Rails
//! `structure.sql` ends).

#![allow(clippy::panic)] // test helpers fail loudly

use std::sync::Arc;

use schema_core::diagnostic::{Diagnostic, Severity, Source, codes, render_all};
use schema_core::model::QualifiedName;
use schema_core::parse::{self, Mode, apply::apply_file, parse_schema_str};

const CLEAN: &str = include_str!("fixtures/pg_dump_clean.sql");

/// The dump without what `--clean` adds (its drops), as `pg_dump --schema-only`
/// writes it.
fn plain() -> String {
    CLEAN
        .lines()
        .filter(|l| {
            !(l.starts_with("DROP ")
                || l.starts_with("ALTER TABLE IF EXISTS ")
                || l.starts_with("INSERT INTO "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Parses declarative SQL and returns the schema with every diagnostic.
fn read(path: &str, text: &str) -> (schema_core::Schema, Vec<Diagnostic>) {
    let source: Arc<Source> = Source::new(path, text);
    let (file, mut diagnostics) = parse::parse_file(&source);
    let mut schema = schema_core::Schema::new();
    apply_file(&mut schema, &file, Mode::Declarative, &mut diagnostics);
    (schema, diagnostics)
}

#[test]
fn a_clean_dump_reads_as_the_dump_without_its_drops_does() {
    let (clean, diagnostics) = read("structure.sql", CLEAN);
    let errors: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    assert!(errors.is_empty(), "{}", render_all(&errors, false));
    let plain = parse_schema_str("plain.sql", &plain())
        .unwrap_or_else(|d| panic!("{}", render_all(&d, false)));
    let changes = schema_core::diff::compare(&plain, &clean);
    assert!(changes.is_empty(), "{changes:#?}");
    for table in [
        QualifiedName::public("users"),
        QualifiedName::public("tags"),
        QualifiedName::public("schema_migrations"),
        QualifiedName::new("app", "posts"),
        QualifiedName::new("app", "events"),
    ] {
        assert!(clean.tables.contains_key(&table), "{table} is missing");
    }
    assert!(
        clean
            .enums
            .contains_key(&QualifiedName::new("app", "level"))
    );
    assert!(
        clean
            .sequences
            .contains_key(&QualifiedName::public("order"))
    );
    // Identity columns, written `ADD GENERATED ... (SEQUENCE NAME ... START WITH 1 ...)`.
    let events = &clean.tables[&QualifiedName::new("app", "events")];
    assert!(
        events
            .columns
            .iter()
            .all(|c| c.name == "at" || c.identity.is_some())
    );
    let posts = &clean.tables[&QualifiedName::new("app", "posts")];
    assert_eq!(posts.indexes.len(), 2);
    assert_eq!(
        posts.constraints.len(),
        3,
        "{:?}",
        posts.constraints.keys().collect::<Vec<_>>()
    );
}

#[test]
fn data_statements_are_ignored_with_a_located_warning() {
    let (_, diagnostics) = read("structure.sql", CLEAN);
    let warnings: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .collect();
    let inserts: Vec<usize> = CLEAN
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("INSERT INTO"))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(inserts.len(), 2);
    assert_eq!(
        warnings.len(),
        inserts.len(),
        "{}",
        render_all(&diagnostics, false)
    );
    for (w, line) in warnings.iter().zip(&inserts) {
        assert_eq!(w.code, codes::IGNORED_STATEMENT);
        assert_eq!(w.location(), Some(format!("structure.sql:{line}:1")));
        assert!(w.help.is_some());
    }
    // A Rails structure.sql, as Rails writes its last lines.
    let rails = "CREATE TABLE \"schema_migrations\" (\"version\" character varying NOT NULL PRIMARY KEY);\n\
                 INSERT INTO \"schema_migrations\" (version) VALUES\n('20240101000000'),\n('20240202000000');\n\
                 UPDATE \"schema_migrations\" SET version = version;\n\
                 DELETE FROM \"schema_migrations\";\n";
    let (schema, diagnostics) = read("db/structure.sql", rails);
    assert_eq!(schema.tables.len(), 1);
    assert!(
        diagnostics.iter().all(|d| !d.is_error()),
        "{}",
        render_all(&diagnostics, false)
    );
    let lines: Vec<Option<String>> = diagnostics.iter().map(Diagnostic::location).collect();
    assert_eq!(
        lines,
        [
            Some("db/structure.sql:2:1".to_string()),
            Some("db/structure.sql:5:1".to_string()),
            Some("db/structure.sql:6:1".to_string()),
        ]
    );
    // parse_schema_str keeps only errors: warnings alone give the schema.
    assert!(parse_schema_str("db/structure.sql", rails).is_ok());
}

/// The one diagnostic of `sql`, which must be refused.
fn only_error(sql: &str) -> Diagnostic {
    let mut diagnostics = parse_schema_str("schema.sql", sql)
        .err()
        .unwrap_or_default();
    assert_eq!(
        diagnostics.len(),
        1,
        "{sql}: {}",
        render_all(&diagnostics, false)
    );
    diagnostics.remove(0)
}

#[test]
fn a_drop_if_exists_after_the_creation_is_still_refused() {
    for sql in [
        "CREATE TABLE t (id integer PRIMARY KEY);\nDROP TABLE IF EXISTS t;",
        "CREATE TYPE e AS ENUM ('a');\nDROP TYPE IF EXISTS e;",
        "CREATE SEQUENCE s;\nDROP SEQUENCE IF EXISTS s;",
        "CREATE TABLE t (id integer PRIMARY KEY);\nCREATE INDEX i ON t (id);\nDROP INDEX IF EXISTS i;",
        "CREATE SCHEMA app;\nCREATE TABLE app.t (id integer PRIMARY KEY);\nDROP SCHEMA IF EXISTS app;",
        "CREATE TABLE t (id integer PRIMARY KEY);\nALTER TABLE IF EXISTS ONLY t DROP CONSTRAINT IF EXISTS t_pkey;",
    ] {
        let error = only_error(sql);
        assert_eq!(error.code, codes::NOT_ALLOWED_HERE, "{sql}");
        let last_line = u32::try_from(sql.lines().count()).unwrap_or(0);
        assert_eq!(error.origin.map(|o| o.line), Some(last_line), "{sql}");
    }
}

#[test]
fn owner_to_is_read_on_every_kind_of_object_and_needs_the_object() {
    let sql = "CREATE SCHEMA app;\nALTER SCHEMA app OWNER TO postgres;\n\
               CREATE TYPE app.e AS ENUM ('a');\nALTER TYPE app.e OWNER TO postgres;\n\
               CREATE TABLE app.t (id serial PRIMARY KEY);\nALTER TABLE app.t OWNER TO postgres;\n\
               ALTER TABLE app.t_id_seq OWNER TO postgres;\nALTER SEQUENCE app.t_id_seq OWNER TO postgres;\n\
               CREATE INDEX i ON app.t (id);\nALTER INDEX app.i OWNER TO postgres;\n";
    let schema =
        parse_schema_str("schema.sql", sql).unwrap_or_else(|d| panic!("{}", render_all(&d, false)));
    // OWNER TO does not touch the sequence's owning column.
    let seq = &schema.sequences[&QualifiedName::new("app", "t_id_seq")];
    assert!(seq.owned_by.is_some());
    for (sql, line) in [
        ("ALTER TYPE nope OWNER TO postgres;", 1),
        ("ALTER SEQUENCE nope OWNER TO postgres;", 1),
        ("ALTER TABLE nope OWNER TO postgres;", 1),
    ] {
        let error = only_error(sql);
        assert_eq!(error.code, codes::UNKNOWN_OBJECT, "{sql}");
        assert_eq!(error.origin.map(|o| o.line), Some(line), "{sql}");
    }
}

/// pg_dump writes `COMMENT ON EXTENSION` (each extension's control file
/// comment included) and `COMMENT ON SCHEMA public IS ''` once public's
/// default comment is removed: the model keeps them, with the comments
/// PostgreSQL gives on creation as the defaults.
#[test]
fn comments_on_extensions_and_schemas_are_modelled() {
    use schema_core::model::{ExtensionComment, PUBLIC_SCHEMA_COMMENT};
    let sql = "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;\n\
               COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';\n\
               CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;\n\
               COMMENT ON EXTENSION citext IS 'text similarity';\n\
               COMMENT ON SCHEMA public IS 'standard public schema';\n\
               CREATE TABLE t (id integer PRIMARY KEY);\n";
    let (schema, diagnostics) = read("schema.sql", sql);
    assert!(
        diagnostics.is_empty(),
        "{}",
        render_all(&diagnostics, false)
    );
    let comment = |name: &str| {
        schema
            .extensions
            .get(&QualifiedName::global(name))
            .map(|e| e.comment.clone())
    };
    assert_eq!(comment("pg_trgm"), Some(ExtensionComment::Default));
    assert_eq!(
        comment("citext"),
        Some(ExtensionComment::Set("text similarity".into()))
    );
    assert!(schema.namespaces.is_empty());
    assert_eq!(
        schema.namespace_comment("public"),
        Some(PUBLIC_SCHEMA_COMMENT)
    );
    let (schema, diagnostics) = read("schema.sql", "COMMENT ON SCHEMA public IS '';\n");
    assert!(
        diagnostics.is_empty(),
        "{}",
        render_all(&diagnostics, false)
    );
    assert_eq!(schema.namespace_comment("public"), None);
}
