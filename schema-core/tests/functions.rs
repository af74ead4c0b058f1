//! Functions and procedures through the whole pipeline: migrations replay
//! them (the down-undoes-up check included), drift between the migrations
//! and schema.sql names what differs, and the SECURITY DEFINER lint is a
//! warning that does not fail the check.

#![allow(clippy::panic)] // test helpers fail loudly

use schema_core::analyze::analyze_sources;
use schema_core::diagnostic::{Diagnostic, Severity, Source, render_all};
use schema_core::migrations::replay::replay;
use schema_test_support::replay::migration;

/// Every diagnostic of `schema.sql` against one migration.
fn check(schema: &str, up: &str, down: &str) -> Vec<Diagnostic> {
    let files = [migration(1, up, down)];
    match analyze_sources(&Source::new("schema.sql", schema), &files) {
        Ok(analysis) => analysis.warnings,
        Err(d) => d,
    }
}

const UP: &str = "CREATE FUNCTION total(a integer, b integer) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$;
CREATE PROCEDURE tidy() LANGUAGE sql AS $$ SELECT 1 $$;
";
const DOWN: &str = "DROP PROCEDURE tidy();\nDROP FUNCTION total(integer, integer);\n";

#[test]
fn a_migrated_function_matching_schema_sql_checks_clean() {
    // Another tag, other whitespace, a comment: the same body.
    let schema = "CREATE FUNCTION total(a integer, b integer) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $fn$
        SELECT a + b -- the sum
    $fn$;
CREATE PROCEDURE tidy() LANGUAGE sql AS 'SELECT 1';
";
    let d = check(schema, UP, DOWN);
    assert!(d.is_empty(), "{}", render_all(&d, false));
}

#[test]
fn a_down_that_forgets_a_function_is_reported() {
    let files = [migration(1, UP, "DROP PROCEDURE tidy();\n")];
    let mut diags = Vec::new();
    replay(&files, &mut diags);
    assert_eq!(diags.len(), 1, "{}", render_all(&diags, false));
    assert_eq!(diags[0].code.name, "down_does_not_undo_up");
    assert!(
        diags[0]
            .notes
            .iter()
            .any(|n| n.contains("drop function `total(integer, integer)`")),
        "{:?}",
        diags[0]
    );
}

#[test]
fn drift_names_what_differs_and_where() {
    let schema = "CREATE FUNCTION total(a integer, b integer) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT a + b + 0 $$;
CREATE PROCEDURE tidy() LANGUAGE sql AS $$ SELECT 1 $$;
CREATE FUNCTION extra() RETURNS void LANGUAGE sql AS $$ $$;
";
    let d = check(schema, UP, DOWN);
    let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
    assert!(
        messages.iter().any(|m| m.contains(
            "function `total(integer, integer)` differs between schema.sql and the migrations: body, STRICT"
        )),
        "{messages:#?}"
    );
    assert!(
        messages.iter().any(|m| m.contains(
            "function `extra()` is declared at schema.sql:4:17 but no migration creates it"
        )),
        "{messages:#?}"
    );
    let total = d
        .iter()
        .find(|d| d.message.contains("total"))
        .and_then(|d| d.origin.as_ref())
        .map(|o| (o.line, o.column));
    assert_eq!(total, Some((1, 17)));
}

#[test]
fn a_return_type_schema_sql_changes_needs_a_drop() {
    let schema = "CREATE FUNCTION total(a integer, b integer) RETURNS bigint
    LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$;
CREATE PROCEDURE tidy() LANGUAGE sql AS $$ SELECT 1 $$;
";
    let d = check(schema, UP, DOWN);
    assert_eq!(d.len(), 1, "{}", render_all(&d, false));
    assert!(
        d[0].message.contains("cannot change return type"),
        "{}",
        d[0].message
    );
    assert!(
        d[0].help
            .as_deref()
            .is_some_and(|h| h.contains("DROP FUNCTION total(integer, integer)")),
        "{:?}",
        d[0].help
    );
}

#[test]
fn security_definer_without_search_path_warns_without_failing() {
    let schema = "CREATE FUNCTION total(a integer, b integer) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$;
CREATE PROCEDURE tidy() LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;
";
    let up = "CREATE FUNCTION total(a integer, b integer) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$;
CREATE PROCEDURE tidy() LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;
";
    let files = [migration(1, up, DOWN)];
    let analysis = match analyze_sources(&Source::new("schema.sql", schema), &files) {
        Ok(a) => a,
        Err(d) => panic!("a warning failed the check:\n{}", render_all(&d, false)),
    };
    let warnings: Vec<&Diagnostic> = analysis
        .warnings
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .collect();
    assert_eq!(warnings.len(), 1, "{:?}", analysis.warnings);
    assert_eq!(warnings[0].code.name, "security_definer_search_path");
    assert!(warnings[0].message.contains("procedure `tidy()`"));
}

#[test]
fn big_bodies_and_many_overloads_are_read_whole() {
    use std::fmt::Write as _;
    // A body of a few megabytes, with strings, comments and nested quotes.
    let mut body = String::new();
    for i in 0..40_000 {
        let _ = writeln!(body, "    x := x + {i}; -- step 'quoted' $q$ {i} $q$");
    }
    let mut sql = format!(
        "CREATE FUNCTION big(x integer) RETURNS integer LANGUAGE plpgsql AS $fn$\nBEGIN\n{body}    RETURN x;\nEND\n$fn$;\n"
    );
    // Many overloads of one name, each dropped by its signature.
    let types = [
        "integer", "text", "bigint", "boolean", "date", "uuid", "jsonb", "numeric",
    ];
    let mut drops = String::new();
    for i in 0..300 {
        let args: Vec<&str> = (0..=i % 6).map(|k| types[(i + k) % types.len()]).collect();
        let name = format!("f{}", i / 7);
        let _ = writeln!(
            sql,
            "CREATE FUNCTION {name}({}) RETURNS void LANGUAGE sql AS '';",
            args.join(", ")
        );
        let _ = writeln!(drops, "DROP FUNCTION {name}({});", args.join(", "));
    }
    // One function of many arguments, each with a default.
    let args: Vec<String> = (0..400)
        .map(|i| format!("a{i} integer DEFAULT {i}"))
        .collect();
    let _ = writeln!(
        sql,
        "CREATE FUNCTION wide({}) RETURNS integer LANGUAGE sql AS 'SELECT 1';",
        args.join(", ")
    );
    let files = [migration(
        1,
        &sql,
        &format!("{drops}DROP FUNCTION wide;\nDROP FUNCTION big(integer);\n"),
    )];
    let mut diags = Vec::new();
    let r = replay(&files, &mut diags);
    assert!(diags.is_empty(), "{}", render_all(&diags, false));
    let migrated = r.migrated;
    let wide = migrated
        .functions
        .values()
        .find(|f| f.name.name == "wide")
        .map(|f| f.args.len());
    assert_eq!(wide, Some(400));
    let big = migrated.functions.values().find(|f| f.name.name == "big");
    assert!(big.is_some_and(|f| f.body.text().len() > 1_000_000));
}
