//! Schemas, extensions and sequence renames (issue 9, replay): each is
//! modelled when parsed and replayed, created first and dropped last by a
//! diff, written back as the declaration spelled it, and what `schema new`
//! generates for them replays (up, and down on a snapshot) without an error.

#![allow(clippy::panic)] // test helpers fail loudly

use schema_core::diagnostic::{Diagnostic, render_all};
use schema_core::diff::{Change, compare, diff, renames_from_hints};
use schema_core::migrations::MigrationFiles;
use schema_core::migrations::generate::generate;
use schema_core::migrations::replay::replay;
use schema_core::model::QualifiedName;
use schema_core::parse::parse_schema_str;
use schema_core::render::{Postgres, Renderer, Sqlite, to_script};
use schema_core::{Schema, diagnostic::codes};
use schema_test_support::replay::migration;

fn schema(sql: &str) -> Schema {
    parse_schema_str("schema.sql", sql).unwrap_or_else(|d| panic!("{}", render_all(&d, false)))
}

/// Replays `steps` (up, down); the migrated schema and every diagnostic.
fn replayed(steps: &[(String, String)]) -> (Schema, Vec<Diagnostic>) {
    let files: Vec<MigrationFiles> = steps
        .iter()
        .enumerate()
        .map(|(i, (up, down))| migration(i as u64 + 1, up, down))
        .collect();
    let mut diags = Vec::new();
    let r = replay(&files, &mut diags);
    (r.migrated, diags)
}

/// What `schema new` does for each declared version in turn (the migration
/// from the migrated schema to it, renames from its hints), then what
/// `schema check` does: replay every up and down, and compare with the last.
/// Gives each generated (up, down).
fn new_then_check(versions: &[&str]) -> Vec<(String, String)> {
    let mut steps: Vec<(String, String)> = Vec::new();
    for declared in versions {
        let (migrated, diags) = replayed(&steps);
        assert!(diags.is_empty(), "{}", render_all(&diags, false));
        let declared = schema(declared);
        let renames = renames_from_hints(&migrated, &declared)
            .unwrap_or_else(|d| panic!("{}", render_all(&d, false)));
        let m =
            generate(&migrated, &declared, &renames, &Postgres).unwrap_or_else(|e| panic!("{e}"));
        steps.push((m.up_sql(), m.down_sql()));
    }
    let (migrated, diags) = replayed(&steps);
    assert!(
        diags.is_empty(),
        "check rejects what new wrote:\n{}\n{steps:#?}",
        render_all(&diags, false)
    );
    let declared = schema(versions.last().copied().unwrap_or_default());
    assert_eq!(compare(&migrated, &declared), vec![], "{steps:#?}");
    steps
}

/// The one error of replaying `steps`, with its code.
fn replay_error(steps: &[(&str, &str)]) -> Diagnostic {
    let steps: Vec<(String, String)> = steps
        .iter()
        .map(|(u, d)| (u.to_string(), d.to_string()))
        .collect();
    let (_, diags) = replayed(&steps);
    match diags.as_slice() {
        [one] => one.clone(),
        _ => panic!("expected one error, got {}", render_all(&diags, false)),
    }
}

fn mentions(d: &Diagnostic, needles: &[&str]) {
    let text = d.render(false);
    for n in needles {
        assert!(text.contains(n), "`{n}` missing from:\n{text}");
    }
}

#[test]
fn create_extension_is_modelled_with_what_it_states() {
    let s = schema(
        "CREATE SCHEMA ext;\n\
         CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\";\n\
         CREATE EXTENSION hstore WITH SCHEMA ext VERSION '1.8' CASCADE;\n\
         CREATE EXTENSION IF NOT EXISTS plpgsql WITH SCHEMA pg_catalog;",
    );
    let uuid = &s.extensions[&QualifiedName::global("uuid-ossp")];
    assert_eq!(
        (uuid.schema.as_deref(), uuid.version.as_deref()),
        (None, None)
    );
    assert!(uuid.if_not_exists && !uuid.cascade && !uuid.with_keyword);
    let hstore = &s.extensions[&QualifiedName::global("hstore")];
    assert_eq!(hstore.schema.as_deref(), Some("ext"));
    assert_eq!(hstore.version.as_deref(), Some("1.8"));
    assert!(hstore.cascade && hstore.with_keyword && !hstore.if_not_exists);
    assert_eq!(hstore.origin.line, 3);
    // plpgsql is in every database: not an object of the model.
    assert_eq!(s.extensions.len(), 2);
    assert!(s.namespaces.contains_key(&QualifiedName::global("ext")));
}

#[test]
fn extension_statements_that_cannot_apply_are_located_errors() {
    let d = replay_error(&[("CREATE EXTENSION citext;\nCREATE EXTENSION citext;", "")]);
    assert_eq!(d.code, codes::DUPLICATE_OBJECT);
    mentions(
        &d,
        &[
            "extension `citext` already exists",
            "up.sql:2:",
            "IF NOT EXISTS",
        ],
    );

    let d = replay_error(&[("DROP EXTENSION citext;", "")]);
    assert_eq!(d.code, codes::UNKNOWN_OBJECT);
    mentions(&d, &["extension `citext` does not exist", "up.sql:1:16"]);

    let d = replay_error(&[("CREATE EXTENSION citext;", "DROP EXTENSION citext CASCADE;")]);
    assert_eq!(d.code, codes::UNSUPPORTED_FEATURE);
    mentions(
        &d,
        &[
            "`DROP EXTENSION ... CASCADE`",
            "down.sql:1:1",
            "without CASCADE",
        ],
    );

    let d = replay_error(&[("CREATE EXTENSION citext SCHEMA nowhere;", "")]);
    assert_eq!(d.code, codes::UNKNOWN_OBJECT);
    mentions(
        &d,
        &[
            "schema `nowhere` does not exist",
            "up.sql:1:32",
            "CREATE SCHEMA nowhere;",
        ],
    );

    // PostgreSQL has plpgsql already: only IF NOT EXISTS is a no-op.
    let d = replay_error(&[("CREATE EXTENSION plpgsql;", "")]);
    assert_eq!(d.code, codes::DUPLICATE_OBJECT);
    let (s, diags) = replayed(&[(
        "CREATE EXTENSION IF NOT EXISTS plpgsql;".into(),
        String::new(),
    )]);
    assert!(
        diags.is_empty() && s.extensions.is_empty(),
        "{}",
        render_all(&diags, false)
    );
}

#[test]
fn schema_statements_replay_and_refuse_what_the_model_lacks() {
    let d = replay_error(&[("CREATE SCHEMA app AUTHORIZATION bob;", "")]);
    assert_eq!(d.code, codes::UNSUPPORTED_FEATURE);
    mentions(&d, &["AUTHORIZATION", "up.sql:1:1"]);

    let d = replay_error(&[(
        "CREATE SCHEMA app;\nCREATE TABLE app.t (id int PRIMARY KEY);",
        "DROP SCHEMA app;",
    )]);
    assert_eq!(d.code, codes::NOT_ALLOWED_HERE);
    mentions(
        &d,
        &[
            "cannot drop schema `app`",
            "table `app.t`",
            "down.sql:1:13",
            "CASCADE",
        ],
    );

    let d = replay_error(&[("DROP SCHEMA app;", "")]);
    assert_eq!(d.code, codes::UNKNOWN_OBJECT);

    let d = replay_error(&[(
        "CREATE SCHEMA app;\nCREATE TYPE app.e AS ENUM ('a');\nCREATE TABLE t (id int PRIMARY KEY, e app.e);",
        "DROP SCHEMA app CASCADE;",
    )]);
    assert_eq!(d.code, codes::UNSUPPORTED_FEATURE);
    mentions(&d, &["column `t.e`", "outside the schema"]);

    // CASCADE takes everything in the schema (and its extensions) with it.
    let up = "CREATE SCHEMA app;\n\
              CREATE TYPE app.e AS ENUM ('a');\n\
              CREATE TABLE app.p (id serial PRIMARY KEY, e app.e);\n\
              CREATE TABLE app.c (id int PRIMARY KEY, p int REFERENCES app.p);\n\
              CREATE EXTENSION citext SCHEMA app;";
    let steps = [(up.to_string(), "DROP SCHEMA app CASCADE;".to_string())];
    let (s, diags) = replayed(&steps);
    assert!(diags.is_empty(), "{}", render_all(&diags, false));
    assert!(s.namespaces.contains_key(&QualifiedName::global("app")));
    let steps = [steps[0].clone(), (steps[0].1.clone(), up.to_string())];
    let (s, diags) = replayed(&steps);
    assert!(diags.is_empty(), "{}", render_all(&diags, false));
    assert!(s.is_empty(), "{s:#?}");
}

#[test]
fn an_empty_declared_schema_is_an_object_too() {
    let declared = schema("CREATE SCHEMA app;");
    let changes = compare(&Schema::new(), &declared);
    assert_eq!(changes, vec![Change::CreateSchema("app".into())]);
    let drift = schema_core::diff::drift::drift(&Schema::new(), &declared);
    assert_eq!(drift.len(), 1, "{}", render_all(&drift, false));
    mentions(&drift[0], &["schema `app` is declared", "schema.sql:1:15"]);
    new_then_check(&["CREATE SCHEMA app;", ""]);
}

#[test]
fn extensions_are_created_first_and_dropped_last() {
    let to = schema(
        "CREATE TABLE a (id int PRIMARY KEY);\n\
         CREATE SCHEMA ext;\n\
         CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\" WITH SCHEMA ext;\n\
         CREATE TABLE t (id uuid PRIMARY KEY DEFAULT ext.uuid_generate_v4());",
    );
    let from = Schema::new();
    let up = diff(&from, &to, &Default::default());
    let names: Vec<String> = up.iter().map(ToString::to_string).collect();
    assert_eq!(
        names[..2],
        ["create schema `ext`", "create extension `uuid-ossp`"],
        "{names:#?}"
    );
    let down = diff(&to, &from, &Default::default());
    let names: Vec<String> = down.iter().map(ToString::to_string).collect();
    assert_eq!(
        names[names.len() - 2..],
        ["drop extension `uuid-ossp`", "drop schema `ext`"],
        "{names:#?}"
    );
    let sql = to_script(
        &Postgres
            .render(&up, &from, &to)
            .unwrap_or_else(|e| panic!("{e}")),
    );
    assert!(
        sql.starts_with(
            "CREATE SCHEMA ext;\nCREATE EXTENSION IF NOT EXISTS \"uuid-ossp\" WITH SCHEMA ext;\n"
        ),
        "{sql}"
    );
    let sql = to_script(
        &Postgres
            .render(&down, &to, &from)
            .unwrap_or_else(|e| panic!("{e}")),
    );
    assert!(
        sql.ends_with("DROP EXTENSION IF EXISTS \"uuid-ossp\";\nDROP SCHEMA ext;\n"),
        "{sql}"
    );
}

#[test]
fn an_extension_is_written_back_as_declared_and_replays() {
    let steps = new_then_check(&[
        "CREATE EXTENSION citext VERSION \"1.6\" CASCADE;\n\
         CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\";\n\
         CREATE TABLE t (id uuid PRIMARY KEY DEFAULT uuid_generate_v4());",
        "CREATE EXTENSION citext VERSION '1.6' CASCADE;",
        "",
    ]);
    let (up, down) = &steps[0];
    assert!(
        up.starts_with(
            "CREATE EXTENSION citext VERSION '1.6' CASCADE;\nCREATE EXTENSION IF NOT EXISTS \"uuid-ossp\";\nCREATE TABLE"
        ),
        "{up}"
    );
    assert!(
        down.ends_with("DROP EXTENSION citext;\nDROP EXTENSION IF EXISTS \"uuid-ossp\";\n"),
        "{down}"
    );
    assert_eq!(steps[2].0, "DROP EXTENSION citext;\n");
}

#[test]
fn a_stated_version_is_compared_only_when_both_sides_state_it() {
    let unstated = schema("CREATE EXTENSION citext;");
    let v16 = schema("CREATE EXTENSION citext VERSION '1.6';");
    let v15 = schema("CREATE EXTENSION citext VERSION '1.5';");
    assert_eq!(compare(&unstated, &v16), vec![]);
    assert_eq!(compare(&v16, &unstated), vec![]);
    let changes = compare(&v15, &v16);
    assert!(
        matches!(changes.as_slice(), [Change::ReplaceExtension { .. }]),
        "{changes:#?}"
    );
    let sql = to_script(
        &Postgres
            .render(&changes, &v15, &v16)
            .unwrap_or_else(|e| panic!("{e}")),
    );
    assert_eq!(
        sql,
        "DROP EXTENSION citext;\nCREATE EXTENSION citext VERSION '1.6';\n"
    );
}

#[test]
fn sqlite_gets_a_comment_in_the_place_of_an_extension() {
    let to =
        schema("CREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE TABLE t (id int PRIMARY KEY);");
    let from = Schema::new();
    let up = diff(&from, &to, &Default::default());
    let sql = to_script(
        &Sqlite
            .render(&up, &from, &to)
            .unwrap_or_else(|e| panic!("{e}")),
    );
    assert!(
        sql.starts_with(
            "-- create extension `pg_trgm`: a PostgreSQL extension, nothing to do in SQLite\nCREATE TABLE"
        ),
        "{sql}"
    );
    let down = diff(&to, &from, &Default::default());
    let sql = to_script(
        &Sqlite
            .render(&down, &to, &from)
            .unwrap_or_else(|e| panic!("{e}")),
    );
    assert!(
        sql.ends_with(
            "-- drop extension `pg_trgm`: a PostgreSQL extension, nothing to do in SQLite\n"
        ),
        "{sql}"
    );
    // SQLite's live schema has no extensions: verify compares without them.
    assert!(
        schema_core::render::sqlite::comparable(&to)
            .extensions
            .is_empty()
    );
    assert_eq!(to.extensions.len(), 1);
    // What uses an extension's functions is refused by name where SQLite has none.
    let to = schema(
        "CREATE EXTENSION \"uuid-ossp\";\nCREATE TABLE t (id uuid PRIMARY KEY DEFAULT uuid_generate_v4());",
    );
    let up = diff(&from, &to, &Default::default());
    let err = Sqlite
        .render(&up, &from, &to)
        .map(|_| ())
        .err()
        .map(|e| e.to_string());
    assert!(
        err.as_deref()
            .is_some_and(|e| e.contains("uuid_generate_v4")),
        "{err:?}"
    );
}

#[test]
fn a_schema_created_by_new_is_dropped_by_its_down_and_check_accepts_both() {
    let steps = new_then_check(&[
        "CREATE SCHEMA app;\nCREATE TABLE app.t (id serial PRIMARY KEY, name text NOT NULL);",
    ]);
    let (up, down) = &steps[0];
    assert!(
        up.starts_with("CREATE SCHEMA app;\nCREATE TABLE app.t ("),
        "{up}"
    );
    assert!(
        down.ends_with("DROP TABLE app.t;\nDROP SCHEMA app;\n"),
        "{down}"
    );
}

#[test]
fn renaming_a_table_with_a_serial_key_renames_its_sequence_and_check_accepts_it() {
    let steps = new_then_check(&[
        "CREATE TABLE old (id serial PRIMARY KEY, name text);",
        "-- schema: renamed from old\nCREATE TABLE new (id serial PRIMARY KEY, name text);",
        "CREATE SCHEMA app;\n\
         CREATE TABLE app.before (id bigserial PRIMARY KEY);\n\
         -- schema: renamed from old\nCREATE TABLE new (id serial PRIMARY KEY, name text);",
        "CREATE SCHEMA app;\n\
         -- schema: renamed from before\nCREATE TABLE app.after (id bigserial PRIMARY KEY);\n\
         -- schema: renamed from old\nCREATE TABLE new (id serial PRIMARY KEY, name text);",
    ]);
    assert_eq!(
        steps[1].0,
        "ALTER TABLE public.old RENAME TO new;\n\
         ALTER TABLE public.new RENAME CONSTRAINT old_pkey TO new_pkey;\n\
         ALTER SEQUENCE public.old_id_seq RENAME TO new_id_seq;\n"
    );
    assert!(
        steps[3]
            .0
            .contains("ALTER SEQUENCE app.before_id_seq RENAME TO after_id_seq;"),
        "{}",
        steps[3].0
    );
    // A renamed serial column: its sequence follows too.
    let steps = new_then_check(&[
        "CREATE TABLE t (id serial PRIMARY KEY);",
        "CREATE TABLE t (\n  -- schema: renamed from id\n  key serial PRIMARY KEY);",
    ]);
    assert!(
        steps[1]
            .0
            .contains("ALTER SEQUENCE public.t_id_seq RENAME TO t_key_seq;"),
        "{}",
        steps[1].0
    );
}

#[test]
fn alter_sequence_rename_carries_the_default_along() {
    let steps = [(
        "CREATE TABLE t (id serial PRIMARY KEY);\n\
         ALTER SEQUENCE IF EXISTS t_id_seq RENAME TO ids;\n\
         ALTER SEQUENCE IF EXISTS missing RENAME TO other;"
            .to_string(),
        "DROP TABLE t;".to_string(),
    )];
    let (s, diags) = replayed(&steps);
    assert!(diags.is_empty(), "{}", render_all(&diags, false));
    let t = &s.tables[&QualifiedName::public("t")];
    assert_eq!(
        t.columns[0]
            .default
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("nextval('ids')")
    );
    assert!(s.sequences.contains_key(&QualifiedName::public("ids")));
    assert!(!s.sequences.contains_key(&QualifiedName::public("t_id_seq")));

    let d = replay_error(&[(
        "CREATE TABLE t (id serial PRIMARY KEY);\nALTER SEQUENCE t_id_seq RENAME TO t_pkey;",
        "",
    )]);
    assert_eq!(d.code, codes::DUPLICATE_OBJECT);
    mentions(&d, &["relation `t_pkey` already exists", "up.sql:2:1"]);
}

/// The diagnostics of a `schema.sql` that must be refused.
fn refused(sql: &str) -> Vec<Diagnostic> {
    match parse_schema_str("schema.sql", sql) {
        Ok(_) => panic!("accepted:\n{sql}"),
        Err(d) => d,
    }
}

#[test]
fn a_contrib_type_resolves_once_its_extension_is_created() {
    let s = schema(
        "CREATE EXTENSION citext;\nCREATE EXTENSION hstore;\nCREATE EXTENSION isn;\n\
         CREATE TABLE t (id integer PRIMARY KEY, e citext, es citext[], h hstore, b isbn13);",
    );
    let t = &s.tables[&QualifiedName::public("t")];
    assert_eq!(
        t.column("e").map(|c| c.data_type.to_string()),
        Some("citext".into())
    );
    assert_eq!(
        t.column("es").map(|c| c.data_type.to_string()),
        Some("citext[]".into())
    );

    // Without the extension: a located error that says which one to create.
    let d = refused("CREATE TABLE t (id integer PRIMARY KEY,\n  e citext);");
    let text = render_all(&d, false);
    assert!(text.contains("schema.sql:2:"), "{text}");
    assert!(
        text.contains("type `citext` does not exist at this point"),
        "{text}"
    );
    assert!(
        text.contains("`CREATE EXTENSION IF NOT EXISTS citext;`"),
        "{text}"
    );

    // In another schema than the extension's: the help names the right one.
    let d = refused(
        "CREATE SCHEMA ext;\nCREATE EXTENSION ltree WITH SCHEMA ext;\nCREATE TABLE t (id integer PRIMARY KEY, p ltree);",
    );
    let text = render_all(&d, false);
    assert!(text.contains("creates `ltree` in schema `ext`"), "{text}");
    assert!(text.contains("write `ext.ltree`"), "{text}");
    schema(
        "CREATE SCHEMA ext;\nCREATE EXTENSION ltree WITH SCHEMA ext;\nCREATE TABLE t (id integer PRIMARY KEY, p ext.ltree);",
    );
}

#[test]
fn an_unknown_extension_makes_unknown_type_names_opaque() {
    // PostGIS is not one of PostgreSQL's contrib extensions: its types are
    // taken as names, never an error for a valid schema.
    let s = schema(
        "CREATE EXTENSION postgis;\nCREATE TABLE places (id integer PRIMARY KEY, at geometry, area geography[]);",
    );
    let t = &s.tables[&QualifiedName::public("places")];
    assert_eq!(
        t.column("at").map(|c| c.data_type.to_string()),
        Some("geometry".into())
    );
    // A contrib extension alone does not make a misspelling opaque.
    let d =
        refused("CREATE EXTENSION citext;\nCREATE TABLE t (id integer PRIMARY KEY, e cittext);");
    assert!(render_all(&d, false).contains("type `cittext` does not exist"));
}

#[test]
fn an_extension_whose_type_a_column_uses_cannot_be_dropped() {
    let d = replay_error(&[(
        "CREATE EXTENSION citext;\nCREATE TABLE t (id integer PRIMARY KEY, e citext[]);\nDROP EXTENSION citext;",
        "",
    )]);
    mentions(
        &d,
        &[
            "extension `citext` cannot be dropped",
            "`t.e`",
            "up.sql:3:16",
        ],
    );
    // Once the column is gone, it can.
    let (s, diagnostics) = replayed(&[(
        "CREATE EXTENSION citext;\nCREATE TABLE t (id integer PRIMARY KEY, e citext);\nALTER TABLE t DROP COLUMN e;\nDROP EXTENSION citext;".to_string(),
        "CREATE EXTENSION citext;\nALTER TABLE t ADD COLUMN e citext;\nALTER TABLE t DROP COLUMN e;\nDROP TABLE t;\nDROP EXTENSION citext;".to_string(),
    )]);
    assert!(s.extensions.is_empty());
    assert!(
        diagnostics.iter().all(|d| !d.is_error()),
        "{}",
        render_all(&diagnostics, false)
    );
}

#[test]
fn drop_schema_if_exists_drops_an_empty_schema() {
    let (s, diags) = replayed(&[(
        "CREATE SCHEMA kept;\nCREATE SCHEMA empty_one;\nDROP SCHEMA IF EXISTS empty_one;\nDROP SCHEMA IF EXISTS never_made;".to_string(),
        "DROP SCHEMA kept;".to_string(),
    )]);
    assert!(
        !diags.iter().any(Diagnostic::is_error),
        "{}",
        schema_core::diagnostic::render_all(&diags, false)
    );
    let names: Vec<_> = s.namespaces.keys().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["kept"]);
}
