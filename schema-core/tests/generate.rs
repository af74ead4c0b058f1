//! Generated migrations, as text: the shapes a reviewer reads.

#![allow(clippy::panic)] // test helpers fail loudly

use schema_core::diff::Renames;
use schema_core::migrations::generate::generate;
use schema_core::parse::parse_schema_str;
use schema_core::render::Postgres;

fn schema(sql: &str) -> schema_core::Schema {
    match parse_schema_str("schema.sql", sql) {
        Ok(s) => s,
        Err(d) => panic!("{}", schema_core::diagnostic::render_all(&d, false)),
    }
}

#[test]
fn from_empty_to_the_demo_and_back() {
    let demo = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.sql"))
        .unwrap_or_default();
    let to = schema(&demo);
    let m = generate(
        &schema_core::Schema::new(),
        &to,
        &Renames::default(),
        &Postgres,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let up = m.up_sql();
    assert!(
        up.contains("CREATE TABLE public.users (\n    id serial,"),
        "{up}"
    );
    assert!(
        up.contains("CREATE TYPE public.document_status AS ENUM ('pending', 'ready', 'failed');"),
        "{up}"
    );
    let fk = up
        .find("ADD CONSTRAINT generated_documents_user_id_resume_id_fkey")
        .unwrap_or(0);
    let last_table = up.rfind("CREATE TABLE").unwrap_or(usize::MAX);
    assert!(
        fk > last_table,
        "foreign keys come after every table:\n{up}"
    );
    let down = m.down_sql();
    assert!(down.contains("DROP TABLE public.users;"), "{down}");
    assert!(
        down.find("DROP CONSTRAINT").unwrap_or(usize::MAX) < down.find("DROP TABLE").unwrap_or(0),
        "{down}"
    );
    assert!(m.destructive.is_empty());
    println!("{up}\n----\n{down}");
}

#[test]
fn destructive_changes_are_listed_and_commented() {
    let from = schema("create table t (id int primary key, name varchar(100), gone text);");
    let to = schema("create table t (id int primary key, name varchar(50));");
    let m = generate(&from, &to, &Renames::default(), &Postgres).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(m.destructive.len(), 2, "{:?}", m.destructive);
    let up = m.up_sql();
    assert!(up.contains("-- destructive: drops column `t.gone`"), "{up}");
    assert!(up.contains("-- destructive: narrows `t.name`"), "{up}");
    assert!(
        m.down_sql().starts_with("-- up.sql destroys data"),
        "{}",
        m.down_sql()
    );
}

#[test]
fn rename_hints_become_renames_both_ways() {
    let from = schema("create table people (id int primary key, nm text);");
    let to = schema(
        "-- schema: renamed from people\ncreate table persons (id int primary key,\n  -- schema: renamed from nm\n  name text);",
    );
    let renames = schema_core::diff::renames_from_hints(&from, &to).unwrap_or_default();
    let m = generate(&from, &to, &renames, &Postgres).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        m.up_sql(),
        "ALTER TABLE public.people RENAME TO persons;\n\
         ALTER TABLE public.persons RENAME COLUMN nm TO name;\n\
         ALTER TABLE public.persons RENAME CONSTRAINT people_pkey TO persons_pkey;\n"
    );
    assert_eq!(
        m.down_sql(),
        "ALTER TABLE public.persons RENAME TO people;\n\
         ALTER TABLE public.people RENAME COLUMN name TO nm;\n\
         ALTER TABLE public.people RENAME CONSTRAINT persons_pkey TO people_pkey;\n"
    );
    let bad = schema("-- schema: renamed from nobody\ncreate table persons (id int primary key);");
    let err = schema_core::diff::renames_from_hints(&from, &bad)
        .err()
        .unwrap_or_default();
    assert_eq!(err.len(), 1);
    assert!(err[0].message.contains("matches nothing"), "{}", err[0]);
}

/// The down of "add an enum label and a column holding it" drops the column
/// before it recreates the type without the label: converting the column's
/// rows first would fail on that very label.
#[test]
fn a_down_drops_the_column_of_a_removed_label_before_recreating_the_enum() {
    let from = schema(
        "CREATE TYPE status AS ENUM ('open', 'paid');
         CREATE TABLE invoice (id int PRIMARY KEY, state status NOT NULL DEFAULT 'open');",
    );
    let to = schema(
        "CREATE TYPE status AS ENUM ('open', 'paid', 'archived');
         CREATE TABLE invoice (id int PRIMARY KEY, state status NOT NULL DEFAULT 'open',
                               archive_state status NOT NULL DEFAULT 'archived');",
    );
    let migration =
        generate(&from, &to, &Renames::default(), &Postgres).unwrap_or_else(|e| panic!("{e}"));
    let down = migration.down_sql();
    let drop = down.find("DROP COLUMN archive_state");
    let recreate = down.find("RENAME TO status_old");
    assert!(
        matches!((drop, recreate), (Some(d), Some(r)) if d < r),
        "{down}"
    );
    // The column that stays is still converted.
    assert!(down.contains("ALTER COLUMN state TYPE"), "{down}");
    assert!(!down.contains("ALTER COLUMN archive_state TYPE"), "{down}");
}
