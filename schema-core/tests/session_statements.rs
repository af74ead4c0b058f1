//! Session and transaction statements: what the model may pass over and what
//! it must refuse, because passing over it would change where objects land or
//! what a migration leaves behind when it fails.

#![allow(clippy::panic, reason = "a test reports failure by panicking")]

use std::sync::Arc;

use schema_core::diagnostic::{Diagnostic, Source, codes, render_all};
use schema_core::parse::{self, Mode, apply::apply_file};

fn errors(mode: Mode, text: &str) -> Vec<Diagnostic> {
    let source: Arc<Source> = Source::new("file.sql", text);
    let (file, mut diagnostics) = parse::parse_file(&source);
    let mut schema = schema_core::Schema::new();
    apply_file(&mut schema, &file, mode, &mut diagnostics);
    diagnostics
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect()
}

#[test]
fn a_migration_may_not_end_the_migrators_transaction() {
    for (statement, named) in [
        ("COMMIT;", "COMMIT"),
        ("END;", "COMMIT"),
        ("BEGIN;", "BEGIN"),
        ("START TRANSACTION;", "BEGIN"),
    ] {
        let text = format!(
            "CREATE TABLE t (id int PRIMARY KEY);\n{statement}\nCREATE TABLE u (id int);\n"
        );
        let found = errors(Mode::Migration, &text);
        assert_eq!(found.len(), 1, "{statement}: {}", render_all(&found, false));
        assert_eq!(found[0].code, codes::NOT_ALLOWED_HERE);
        assert!(found[0].message.contains(named), "{}", found[0].message);
        assert_eq!(found[0].location().as_deref(), Some("file.sql:2:1"));
        assert!(
            found[0]
                .help
                .as_deref()
                .is_some_and(|h| h.contains("no-transaction"))
        );
    }
    // A declarative file states the schema; a psql-style BEGIN/COMMIT around it is harmless.
    assert!(
        errors(
            Mode::Declarative,
            "BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;\n"
        )
        .is_empty()
    );
}

#[test]
fn a_search_path_that_moves_unqualified_names_is_refused_by_name() {
    for text in [
        "SET search_path = app;",
        "SET search_path TO app, public;",
        "SET LOCAL search_path TO 'billing';",
    ] {
        for mode in [Mode::Declarative, Mode::Migration] {
            let found = errors(
                mode,
                &format!("CREATE SCHEMA app;\nCREATE SCHEMA billing;\n{text}\n"),
            );
            assert_eq!(found.len(), 1, "{text}: {}", render_all(&found, false));
            assert_eq!(found[0].code, codes::UNSUPPORTED_FEATURE);
            assert!(
                found[0].message.contains("search_path"),
                "{}",
                found[0].message
            );
            assert_eq!(
                found[0].location().map(|l| l.starts_with("file.sql:3:")),
                Some(true)
            );
        }
    }
    // What pg_dump and Rails write keeps names in `public`; other settings change no name.
    for text in [
        "SET search_path TO \"$user\", public;",
        "SET search_path = public, pg_catalog;",
        "SET search_path = '';",
        "SET statement_timeout = 0;",
        "SET client_encoding = 'UTF8';",
    ] {
        for mode in [Mode::Declarative, Mode::Migration] {
            let found = errors(mode, text);
            assert!(found.is_empty(), "{text}: {}", render_all(&found, false));
        }
    }
}

/// A migration that changes role would run the rest, and the migrator's own
/// record of it, as another role: refused by name, located.
#[test]
fn a_migration_may_not_change_role() {
    for text in [
        "SET ROLE schema_test_admin;",
        "SET SESSION ROLE schema_test_admin;",
        "SET LOCAL ROLE schema_test_admin;",
        "SET SESSION AUTHORIZATION schema_test_admin;",
    ] {
        let found = errors(
            Mode::Migration,
            &format!(
                "CREATE TABLE t (id integer);
{text}
"
            ),
        );
        assert_eq!(found.len(), 1, "{text}: {}", render_all(&found, false));
        assert_eq!(found[0].code, codes::UNSUPPORTED_FEATURE);
        assert!(
            found[0].message.contains("SET ROLE"),
            "{}",
            found[0].message
        );
        assert_eq!(
            found[0].location().map(|l| l.starts_with("file.sql:2:")),
            Some(true),
            "{text}"
        );
    }
}

/// PostgreSQL skips `CREATE ... IF NOT EXISTS` of what exists; in schema.sql a
/// second declaration that silently does nothing is warned about, located.
#[test]
fn a_repeated_if_not_exists_declaration_is_warned_about() {
    let text = "CREATE TABLE t (id int PRIMARY KEY);\n\
                CREATE TABLE IF NOT EXISTS t (id int PRIMARY KEY, extra int);\n\
                CREATE INDEX t_id_idx ON t (id);\n\
                CREATE INDEX IF NOT EXISTS t_id_idx ON t (id DESC);\n";
    let source: Arc<Source> = Source::new("schema.sql", text);
    let (file, mut diagnostics) = parse::parse_file(&source);
    let mut schema = schema_core::Schema::new();
    apply_file(&mut schema, &file, Mode::Declarative, &mut diagnostics);
    let located: Vec<(String, Option<String>)> = diagnostics
        .iter()
        .map(|d| {
            assert_eq!(
                d.code,
                codes::IGNORED_STATEMENT,
                "{}",
                render_all(&diagnostics, false)
            );
            (d.message.clone(), d.location())
        })
        .collect();
    assert_eq!(located.len(), 2, "{located:?}");
    assert!(located[0].0.contains("table `t` already exists"));
    assert_eq!(located[0].1.as_deref(), Some("schema.sql:2:1"));
    assert!(located[1].0.contains("t_id_idx"));
    assert_eq!(located[1].1.as_deref(), Some("schema.sql:4:1"));
    // A migration runs as written: PostgreSQL's no-op, nothing to say.
    assert!(errors(Mode::Migration, text).is_empty());
}

/// In a column definition PostgreSQL's `DEFAULT` takes a restricted expression:
/// what it would reject is a located error, never a failure at `up`; the
/// column's own `COLLATE` written after a default is refused by name.
#[test]
fn a_column_default_that_needs_parentheses_is_an_error_saying_so() {
    for default in [
        "NOT false",
        "true AND false",
        "1 IN (1)",
        "1 BETWEEN 0 AND 2",
        "now() AT TIME ZONE 'utc'",
        "1 IS NULL",
        "'a' LIKE 'b'",
    ] {
        let text =
            format!("CREATE TABLE t (\n  id int PRIMARY KEY,\n  c text DEFAULT {default}\n);\n");
        let found = errors(Mode::Declarative, &text);
        assert_eq!(found.len(), 1, "{default}: {}", render_all(&found, false));
        assert_eq!(found[0].code, codes::SYNTAX, "{default}");
        assert!(
            found[0].message.contains("parentheses"),
            "{}",
            found[0].message
        );
        assert_eq!(
            found[0]
                .location()
                .map(|l| l.starts_with("schema.sql:3:") || l.starts_with("file.sql:3:")),
            Some(true),
            "{default}"
        );
        assert!(
            found[0]
                .help
                .as_deref()
                .is_some_and(|h| h.contains(&format!("DEFAULT ({default})")))
        );
        // Parenthesised, it is what PostgreSQL takes.
        let fixed = format!("CREATE TABLE t (id int PRIMARY KEY, c text DEFAULT ({default}));");
        assert!(errors(Mode::Declarative, &fixed).is_empty(), "({default})");
    }
    // `COLLATE` after a default is the column's collation, as PostgreSQL reads it.
    let found = errors(
        Mode::Declarative,
        "CREATE TABLE t (c text DEFAULT 'x' COLLATE \"C\");",
    );
    assert!(found.is_empty(), "{found:?}");
}

/// `-- schema: no-transaction` means something in one migration's up.sql only;
/// in schema.sql it is an error, not a silent no-op.
#[test]
fn no_transaction_in_schema_sql_is_an_error() {
    let text = "-- schema: no-transaction\nCREATE TABLE t (id integer);\n";
    let found = errors(Mode::Declarative, text);
    assert_eq!(found.len(), 1, "{}", render_all(&found, false));
    assert_eq!(found[0].code, codes::NOT_ALLOWED_HERE);
    assert!(
        found[0].message.contains("no-transaction"),
        "{}",
        found[0].message
    );
    assert_eq!(
        found[0].location().map(|l| l.starts_with("file.sql:1:")),
        Some(true)
    );
    assert!(errors(Mode::Migration, text).is_empty());
}
