//! Domains: how `CREATE DOMAIN` reads (PostgreSQL's names for unnamed
//! checks, its rules for defaults and collations), how migrations replay
//! `ALTER DOMAIN` and `DROP DOMAIN`, and that malformed forms are located
//! errors, never panics.

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
fn unnamed_checks_get_postgres_names_avoiding_taken_ones() {
    let s = parsed(
        "CREATE TABLE t (a integer CONSTRAINT d_check CHECK (a > 0));
         CREATE DOMAIN d AS integer CHECK (VALUE > 0) CONSTRAINT d_check2 CHECK (VALUE < 9)
             CHECK (VALUE <> 5);",
    );
    let d = &s.domains[&QualifiedName::public("d")];
    let names: Vec<&str> = d.checks.keys().map(String::as_str).collect();
    assert_eq!(names, ["d_check1", "d_check2", "d_check3"]);
}

#[test]
fn defaults_follow_postgres() {
    let s = parsed(
        "CREATE DOMAIN a AS integer DEFAULT NULL;
         CREATE DOMAIN b AS varchar(5) DEFAULT NULL;
         CREATE DOMAIN c AS integer DEFAULT 7 NOT NULL;
         CREATE DOMAIN e AS c;",
    );
    let get = |n: &str| &s.domains[&QualifiedName::public(n)];
    assert_eq!(get("a").default, None);
    assert!(get("b").default.as_ref().is_some_and(|e| e.is_null()));
    assert_eq!(get("e").default, get("c").default);
    assert!(get("c").not_null && !get("e").not_null);
    assert_eq!(
        s.resolved_type(&SqlType::Array(Box::new(SqlType::Named(
            QualifiedName::public("e")
        )))),
        SqlType::Array(Box::new(SqlType::Integer))
    );
}

#[test]
fn alter_domain_forms_replay() {
    assert_replays_to(
        &[
            (
                "CREATE SCHEMA app;
                 CREATE DOMAIN d AS integer DEFAULT 0 CHECK (VALUE > 0);
                 CREATE TABLE t (id integer PRIMARY KEY, v d);",
                "DROP TABLE t; DROP DOMAIN d; DROP SCHEMA app;",
            ),
            (
                "ALTER DOMAIN d SET DEFAULT 5;
                 ALTER DOMAIN d SET NOT NULL;
                 ALTER DOMAIN d ADD CHECK (VALUE < 100);
                 ALTER DOMAIN d ADD CONSTRAINT small CHECK (VALUE < 50);
                 ALTER DOMAIN d RENAME CONSTRAINT small TO smaller;
                 ALTER DOMAIN d DROP CONSTRAINT d_check;
                 ALTER DOMAIN d DROP CONSTRAINT IF EXISTS nothing;
                 ALTER DOMAIN d VALIDATE CONSTRAINT smaller;
                 ALTER DOMAIN d OWNER TO schema_test_admin;
                 COMMENT ON DOMAIN d IS 'a number';
                 ALTER DOMAIN d RENAME TO n;
                 ALTER DOMAIN n SET SCHEMA app;",
                "ALTER DOMAIN app.n SET SCHEMA public;
                 ALTER DOMAIN n RENAME TO d;
                 ALTER DOMAIN d OWNER TO CURRENT_USER;
                 COMMENT ON DOMAIN d IS NULL;
                 ALTER DOMAIN d ADD CONSTRAINT d_check CHECK (VALUE > 0);
                 ALTER DOMAIN d RENAME CONSTRAINT smaller TO small;
                 ALTER DOMAIN d DROP CONSTRAINT small;
                 ALTER DOMAIN d DROP CONSTRAINT d_check1;
                 ALTER DOMAIN d DROP NOT NULL;
                 ALTER DOMAIN d SET DEFAULT 0;",
            ),
        ],
        "CREATE SCHEMA app;
         CREATE DOMAIN app.n AS integer DEFAULT 5 NOT NULL
             CONSTRAINT d_check1 CHECK (VALUE < 100) CONSTRAINT smaller CHECK (VALUE < 50);
         COMMENT ON DOMAIN app.n IS 'a number';
         -- The owner follows the renames.
         ALTER DOMAIN app.n OWNER TO schema_test_admin;
         CREATE TABLE t (id integer PRIMARY KEY, v app.n);",
    );
}

#[test]
fn drop_domain_needs_cascade_while_used() {
    let (_, diags) = replayed(&[
        (
            "CREATE DOMAIN d AS integer; CREATE DOMAIN e AS d; CREATE TABLE t (id integer PRIMARY KEY, v d[]);",
            "DROP TABLE t; DROP DOMAIN e; DROP DOMAIN d;",
        ),
        ("DROP DOMAIN d;", "CREATE DOMAIN d AS integer;"),
    ]);
    let text = render_all(&diags, false);
    assert!(
        diags
            .iter()
            .any(|d| d.code == codes::NOT_ALLOWED_HERE && d.message.contains("domain `d`")),
        "{text}"
    );
    assert!(
        text.contains("column `t.v`") && text.contains("domain `e`"),
        "{text}"
    );
    assert_replays_to(
        &[
            (
                "CREATE DOMAIN d AS integer; CREATE DOMAIN e AS d;
                 CREATE TABLE t (id integer PRIMARY KEY, v d[], w e, x integer);",
                "DROP TABLE t; DROP DOMAIN e; DROP DOMAIN d;",
            ),
            (
                "DROP DOMAIN d CASCADE;",
                "CREATE DOMAIN d AS integer; CREATE DOMAIN e AS d;
                 ALTER TABLE t ADD COLUMN v d[]; ALTER TABLE t ADD COLUMN w e;",
            ),
        ],
        "CREATE TABLE t (id integer PRIMARY KEY, x integer);",
    );
}

#[test]
fn a_domain_may_take_a_sequence_name() {
    // PostgreSQL 15 gives sequences no row type.
    parsed("CREATE SEQUENCE s;\nCREATE DOMAIN s AS integer;");
}

#[test]
fn domains_share_type_names() {
    for sql in [
        "CREATE TABLE d (a integer);\nCREATE DOMAIN d AS integer;",
        "CREATE TYPE d AS ENUM ('x');\nCREATE DOMAIN d AS integer;",
        "CREATE DOMAIN d AS integer;\nCREATE TYPE d AS ENUM ('x');",
    ] {
        let d = errors(sql);
        assert_eq!(
            d[0].code,
            codes::DUPLICATE_OBJECT,
            "{}",
            render_all(&d, false)
        );
        assert!(
            d[0].location()
                .is_some_and(|l| l.starts_with("schema.sql:2:")),
            "{}",
            render_all(&d, false)
        );
    }
}

#[test]
fn malformed_domains_are_located_errors() {
    // (SQL, line:column the first error points at)
    for (sql, place) in [
        ("CREATE DOMAIN;", "1:14"),
        ("CREATE DOMAIN d AS;", "1:19"),
        ("CREATE DOMAIN d AS integer CHECK VALUE > 0;", "1:34"),
        ("CREATE DOMAIN d AS integer CONSTRAINT c;", "1:40"),
        ("CREATE DOMAIN d AS integer NOT NULL NULL;", "1:37"),
        ("CREATE DOMAIN d AS integer DEFAULT 1 DEFAULT 2;", "1:38"),
        ("CREATE DOMAIN d AS integer COLLATE \"C\";", "1:28"),
        ("CREATE DOMAIN d AS serial;", "1:20"),
        ("CREATE DOMAIN d AS nope;", "1:20"),
        ("CREATE DOMAIN d AS integer\n  FOO;", "2:3"),
        (
            "CREATE DOMAIN d AS integer CHECK (VALUE > 0) CHECK ((((;",
            "1:56",
        ),
        ("ALTER DOMAIN d SET DEFAULT 1;", "1:14"),
        ("CREATE DOMAIN d AS integer;\nALTER DOMAIN d FROB;", "2:16"),
        ("CREATE DOMAIN d AS integer;\nDROP DOMAIN e;", "2:13"),
        ("COMMENT ON DOMAIN nope IS 'x';", "1:19"),
    ] {
        let d = errors(sql);
        let text = render_all(&d, false);
        assert_eq!(
            d[0].location(),
            Some(format!("schema.sql:{place}")),
            "{sql}\n{text}"
        );
        assert!(
            d[0].help.is_some() || !d[0].notes.is_empty(),
            "{sql}\n{text}"
        );
    }
}

#[test]
fn alter_domain_is_a_migration_statement() {
    let d = errors("CREATE DOMAIN d AS integer;\nALTER DOMAIN d SET NOT NULL;");
    assert_eq!(d[0].code, codes::NOT_ALLOWED_HERE);
    let (_, d) = replayed(&[(
        "CREATE DOMAIN d AS integer;\nALTER DOMAIN d ADD NOT NULL;",
        "DROP DOMAIN d;",
    )]);
    let text = render_all(&d, false);
    assert!(
        d[0].location().is_some_and(|l| l.ends_with("up.sql:2:20")),
        "{text}"
    );
    assert!(text.contains("SET NOT NULL"), "{text}");
    // pg_dump's ownership statement is read in schema.sql.
    parsed("CREATE DOMAIN d AS integer;\nALTER DOMAIN d OWNER TO postgres;");
}

#[test]
fn range_and_base_types_are_refused_by_name() {
    for sql in [
        "CREATE TYPE r AS RANGE (subtype = integer);",
        "CREATE TYPE b (INPUT = b_in, OUTPUT = b_out);",
    ] {
        let d = errors(&format!("CREATE TABLE t (a integer);\n{sql}"));
        let text = render_all(&d, false);
        assert_eq!(d[0].location().as_deref(), Some("schema.sql:2:1"), "{text}");
        assert!(d[0].message.contains("CREATE TYPE"), "{text}");
    }
}
