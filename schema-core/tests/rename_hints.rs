//! Rename hints that claim the same old name twice (two columns, tables or
//! views renamed from one) are located errors, not two renames of one object.

#![allow(clippy::panic)] // test helpers fail loudly

use schema_core::diagnostic::{Diagnostic, render_all};
use schema_core::diff::renames_from_hints;
use schema_core::parse::parse_schema_str;

fn schema(name: &str, sql: &str) -> schema_core::Schema {
    parse_schema_str(name, sql).unwrap_or_else(|d| panic!("{}", render_all(&d, false)))
}

fn hint_errors(from: &str, to: &str) -> Vec<Diagnostic> {
    renames_from_hints(&schema("from.sql", from), &schema("schema.sql", to))
        .err()
        .unwrap_or_default()
}

#[test]
fn two_columns_renamed_from_one_are_an_error_at_the_second_hint() {
    let errors = hint_errors(
        "CREATE TABLE t (id int PRIMARY KEY, a int, b text);",
        "CREATE TABLE t (id int PRIMARY KEY,\n  -- schema: renamed from a\n  c int,\n  -- schema: renamed from a\n  d text);",
    );
    let shown = render_all(&errors, false);
    assert_eq!(errors.len(), 1, "{shown}");
    assert!(
        shown.contains("columns `c` and `d` of table `t` are both renamed from `a`"),
        "{shown}"
    );
    assert!(shown.contains("schema.sql:4:"), "{shown}");
}

#[test]
fn two_tables_or_views_renamed_from_one_are_an_error() {
    let errors = hint_errors(
        "CREATE TABLE t (id int PRIMARY KEY);",
        "-- schema: renamed from t\nCREATE TABLE u (id int PRIMARY KEY);\n-- schema: renamed from t\nCREATE TABLE w (id int PRIMARY KEY);",
    );
    let shown = render_all(&errors, false);
    assert_eq!(errors.len(), 1, "{shown}");
    assert!(
        shown.contains("tables `u` and `w` are both renamed from `t`"),
        "{shown}"
    );
    let errors = hint_errors(
        "CREATE TABLE t (id int PRIMARY KEY);\nCREATE VIEW v AS SELECT id FROM t;",
        "CREATE TABLE t (id int PRIMARY KEY);\n-- schema: renamed from v\nCREATE VIEW v1 AS SELECT id FROM t;\n-- schema: renamed from v\nCREATE VIEW v2 AS SELECT id FROM t;",
    );
    let shown = render_all(&errors, false);
    assert_eq!(errors.len(), 1, "{shown}");
    assert!(
        shown.contains("`v1` and `v2` are both renamed from `v`"),
        "{shown}"
    );
}

/// Found by `tests/diff_property.rs` (seed 1796617284877142175): a table
/// renamed away, and a new one under its old name with a policy (or trigger)
/// of the same name, needs that policy created; it is not the renamed one's.
#[test]
fn a_new_table_under_a_renamed_tables_old_name_gets_its_own_policies_and_triggers() {
    let from = "CREATE TABLE \"Items\" (a integer);\n\
                CREATE POLICY seen ON \"Items\" USING (a IS NOT NULL);\n\
                CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n\
                CREATE TRIGGER t BEFORE UPDATE ON \"Items\" FOR EACH ROW EXECUTE FUNCTION touch();\n";
    let to = "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n\
              -- schema: renamed from \"Items\"\n\
              CREATE TABLE \"Items_v2\" (a integer);\n\
              CREATE POLICY seen ON \"Items_v2\" USING (a IS NOT NULL);\n\
              CREATE TRIGGER t BEFORE UPDATE ON \"Items_v2\" FOR EACH ROW EXECUTE FUNCTION touch();\n\
              CREATE TABLE \"Items\" (a integer);\n\
              CREATE POLICY seen ON \"Items\" USING (a IS NOT NULL);\n\
              CREATE TRIGGER t BEFORE UPDATE ON \"Items\" FOR EACH ROW EXECUTE FUNCTION touch();\n";
    if let Err(e) = schema_test_support::replay::generated_history_is_clean(from, to) {
        panic!("{e}");
    }
}
