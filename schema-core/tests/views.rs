//! Views and materialized views: how `CREATE [OR REPLACE] [MATERIALIZED]
//! VIEW` reads (columns, options, check options, `WITH [NO] DATA`), how
//! migrations replay `CREATE OR REPLACE`, `ALTER VIEW`, `DROP VIEW` and
//! `REFRESH`, what is refused (located, with a help), how the diff decides
//! between replacing in place and dropping and creating again, and that
//! hostile input is an error, never a panic.

#![allow(clippy::panic)] // test helpers fail loudly

use schema_core::diagnostic::{Diagnostic, codes, render_all};
use schema_core::diff::{Change, compare};
use schema_core::migrations::MigrationFiles;
use schema_core::migrations::replay::replay;
use schema_core::model::{QualifiedName, Schema, SqlType};
use schema_core::parse::parse_schema_str;
use schema_core::render::{Postgres, Renderer, Sqlite};
use schema_test_support::replay::migration;

fn parsed(sql: &str) -> Schema {
    parse_schema_str("schema.sql", sql).unwrap_or_else(|d| panic!("{}", render_all(&d, false)))
}

fn first_error(sql: &str) -> Diagnostic {
    match parse_schema_str("schema.sql", sql) {
        Ok(_) => panic!("accepted:\n{sql}"),
        Err(d) => d
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no diagnostic")),
    }
}

/// The error's line and column.
fn at(d: &Diagnostic) -> (u32, u32) {
    let o = d
        .origin
        .as_ref()
        .unwrap_or_else(|| panic!("unlocated: {d:?}"));
    (o.line, o.column)
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

fn errors_of(diags: &[Diagnostic]) -> Vec<&Diagnostic> {
    diags.iter().filter(|d| d.is_error()).collect()
}

const USERS: &str =
    "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, email varchar(80));\n";

#[test]
fn columns_types_options_and_check_options_are_read() {
    let s = parsed(&format!(
        "{USERS}CREATE VIEW v (ident) WITH (security_barrier, security_invoker = off) AS
             SELECT u.id, name, email::text AS mail, 1 FROM users u
             WITH LOCAL CHECK OPTION;
         CREATE MATERIALIZED VIEW m AS SELECT * FROM users WITH NO DATA;
         CREATE UNIQUE INDEX m_id ON m (id);"
    ));
    let v = &s.views[&QualifiedName::public("v")];
    let names: Vec<&str> = v.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["ident", "name", "mail", "?column?"]);
    let types: Vec<Option<&SqlType>> = v.columns.iter().map(|c| c.data_type.as_ref()).collect();
    assert_eq!(
        types,
        [
            Some(&SqlType::BigInt),
            Some(&SqlType::Text),
            Some(&SqlType::Text),
            None
        ]
    );
    assert_eq!(v.options.get("security_barrier"), Some("true"));
    assert_eq!(v.options.get("security_invoker"), Some("off"));
    assert_eq!(v.options.get("check_option"), Some("local"));
    let m = &s.views[&QualifiedName::public("m")];
    assert!(m.materialized && !m.populated);
    assert_eq!(m.columns.len(), 3);
    assert!(m.indexes.contains_key("m_id"));
}

#[test]
fn spelling_does_not_count_but_the_query_does() {
    let a = parsed(&format!(
        "{USERS}CREATE VIEW v AS SELECT id, name FROM users;"
    ));
    let b = parsed(&format!(
        "{USERS}create view V as\n  select \"id\", NAME -- the name\n  from Users;"
    ));
    assert_eq!(a, b);
    let c = parsed(&format!(
        "{USERS}CREATE VIEW v AS SELECT id, name FROM users WHERE id > 1;"
    ));
    assert_ne!(a, c);
}

#[test]
fn refusals_are_located_at_their_clause() {
    let d = first_error(&format!("{USERS}CREATE TEMP VIEW v AS SELECT 1;"));
    assert_eq!(d.code, codes::UNSUPPORTED_FEATURE);
    assert_eq!(at(&d), (2, 8), "{d:?}");
    let d = first_error(&format!(
        "{USERS}CREATE MATERIALIZED VIEW m\n  USING heap AS SELECT 1;"
    ));
    assert_eq!(d.code, codes::UNSUPPORTED_FEATURE);
    assert_eq!(at(&d), (3, 3), "{d:?}");
    let d = first_error(&format!(
        "{USERS}CREATE MATERIALIZED VIEW m TABLESPACE pg_default AS SELECT 1;"
    ));
    assert_eq!(at(&d), (2, 28), "{d:?}");
    assert!(d.help.is_some());
}

#[test]
fn a_relation_that_does_not_exist_yet_is_a_located_error() {
    let d = first_error(&format!(
        "{USERS}CREATE VIEW v AS\n  SELECT * FROM users JOIN orderz o ON o.user_id = users.id;"
    ));
    assert_eq!(d.code, codes::UNKNOWN_OBJECT);
    assert!(d.message.contains("orderz"), "{}", d.message);
    assert_eq!(at(&d), (3, 28));
    // Common table expressions, PostgreSQL's catalogs and table functions
    // are not relations of the schema.
    parsed(&format!(
        "{USERS}CREATE VIEW v AS
             WITH recent AS (SELECT id FROM users)
             SELECT r.id, c.relname FROM recent r, pg_class c, generate_series(1, 3) g;"
    ));
}

#[test]
fn wrong_forms_are_errors() {
    let cases = [
        "CREATE RECURSIVE VIEW r AS SELECT 1;",
        "CREATE VIEW v WITH (security_barier) AS SELECT 1;",
        "CREATE VIEW v WITH (check_option = everything) AS SELECT 1;",
        "CREATE VIEW v AS SELECT 1 WITH NO DATA;",
        "CREATE MATERIALIZED VIEW m AS SELECT 1 AS a WITH CHECK OPTION;",
        "CREATE VIEW v AS SELECT 1 AS a, 2 AS a;",
        "CREATE VIEW users AS SELECT 1;",
        "CREATE VIEW v AS SELECT 1; CREATE INDEX ON v (x);",
        "CREATE VIEW v AS SELECT 1 AS x; REFRESH MATERIALIZED VIEW v;",
    ];
    for sql in cases {
        let d = first_error(&format!("{USERS}{sql}"));
        assert!(d.origin.is_some(), "{sql}: {d:?}");
        assert!(
            d.help.is_some() || !d.notes.is_empty() || d.code == codes::SYNTAX,
            "{sql}: {d:?}"
        );
    }
}

#[test]
fn or_replace_follows_postgres_rule() {
    let create = "CREATE TABLE t (a integer, b text, c bigint);
                  CREATE VIEW v AS SELECT a, b FROM t;";
    let (s, diags) = replayed(&[(
        &format!("{create} CREATE OR REPLACE VIEW v AS SELECT a, b, c FROM t;"),
        "DROP VIEW v; DROP TABLE t;",
    )]);
    assert!(
        errors_of(&diags).is_empty(),
        "{}",
        render_all(&diags, false)
    );
    assert_eq!(s.views[&QualifiedName::public("v")].columns.len(), 3);
    for (replacement, words) in [
        ("SELECT a FROM t", "cannot drop columns from view"),
        (
            "SELECT a, c FROM t",
            "cannot change name of view column `b` to `c`",
        ),
        (
            "SELECT a::text, b FROM t",
            "cannot change data type of view column `a`",
        ),
    ] {
        let (_, diags) = replayed(&[(
            &format!("{create} CREATE OR REPLACE VIEW v AS {replacement};"),
            "DROP VIEW v; DROP TABLE t;",
        )]);
        let errors = errors_of(&diags);
        assert!(
            errors.iter().any(|d| d.message.contains(words)),
            "{replacement}: {}",
            render_all(&diags, false)
        );
    }
}

#[test]
fn drops_renames_and_options_replay() {
    let (s, diags) = replayed(&[(
        "CREATE TABLE t (a integer);
         CREATE VIEW v AS SELECT a FROM t;
         CREATE VIEW w AS SELECT a FROM v;
         ALTER VIEW v SET (security_barrier = true);
         ALTER VIEW v RESET (security_barrier);
         ALTER VIEW w SET (check_option = local);
         ALTER VIEW w RENAME TO w2;
         CREATE MATERIALIZED VIEW m AS SELECT a FROM t WITH NO DATA;
         REFRESH MATERIALIZED VIEW m;
         CREATE SCHEMA r;
         ALTER MATERIALIZED VIEW m SET SCHEMA r;",
        "DROP MATERIALIZED VIEW r.m; DROP SCHEMA r; DROP VIEW w2; DROP VIEW v; DROP TABLE t;",
    )]);
    assert!(
        errors_of(&diags).is_empty(),
        "{}",
        render_all(&diags, false)
    );
    assert!(s.views[&QualifiedName::public("v")].options.is_empty());
    assert_eq!(
        s.views[&QualifiedName::public("w2")]
            .options
            .get("check_option"),
        Some("local")
    );
    assert!(s.views[&QualifiedName::new("r", "m")].populated);
    // A view others read cannot go without CASCADE; with it, they go too.
    let (_, diags) = replayed(&[(
        "CREATE TABLE t (a integer); CREATE VIEW v AS SELECT a FROM t;
         CREATE VIEW w AS SELECT a FROM v; DROP VIEW v;",
        "",
    )]);
    assert!(
        errors_of(&diags)
            .iter()
            .any(|d| d.message.contains("other objects depend on it")),
        "{}",
        render_all(&diags, false)
    );
    let (s, diags) = replayed(&[(
        "CREATE TABLE t (a integer); CREATE VIEW v AS SELECT a FROM t;
         CREATE VIEW w AS SELECT a FROM v; DROP TABLE t CASCADE;",
        "",
    )]);
    assert!(
        errors_of(&diags).is_empty(),
        "{}",
        render_all(&diags, false)
    );
    assert!(s.views.is_empty());
    // `DROP VIEW` of a materialized view, `RENAME COLUMN`, other actions: refused.
    for (sql, words) in [
        ("DROP VIEW m;", "is a materialized view"),
        (
            "ALTER MATERIALIZED VIEW m RENAME COLUMN a TO b;",
            "RENAME COLUMN",
        ),
        ("ALTER VIEW v ALTER COLUMN a SET DEFAULT 1;", "ALTER COLUMN"),
    ] {
        let (_, diags) = replayed(&[(
            &format!(
                "CREATE TABLE t (a integer); CREATE VIEW v AS SELECT a FROM t;
                 CREATE MATERIALIZED VIEW m AS SELECT a FROM t; {sql}"
            ),
            "",
        )]);
        assert!(
            errors_of(&diags).iter().any(|d| d.message.contains(words)),
            "{sql}: {}",
            render_all(&diags, false)
        );
    }
}

#[test]
fn replace_in_place_or_drop_and_create() {
    let from = parsed(&format!(
        "{USERS}CREATE VIEW v AS SELECT id, name FROM users;"
    ));
    let wider = parsed(&format!(
        "{USERS}CREATE VIEW v AS SELECT id, name, email FROM users WHERE id > 0;"
    ));
    let changes = compare(&from, &wider);
    assert!(
        matches!(changes.as_slice(), [Change::ReplaceView { .. }]),
        "{changes:#?}"
    );
    let narrower = parsed(&format!("{USERS}CREATE VIEW v AS SELECT id FROM users;"));
    let changes = compare(&from, &narrower);
    assert!(
        matches!(
            changes.as_slice(),
            [Change::DropView(_), Change::CreateView(_)]
        ),
        "{changes:#?}"
    );
    let retyped = parsed(&format!(
        "{USERS}CREATE VIEW v AS SELECT id::text AS id, name FROM users;"
    ));
    let changes = compare(&from, &retyped);
    assert!(
        matches!(
            changes.as_slice(),
            [Change::DropView(_), Change::CreateView(_)]
        ),
        "{changes:#?}"
    );
}

#[test]
fn sqlite_renders_plain_views_and_refuses_the_rest_by_name() {
    let from = parsed(USERS);
    let plain = parsed(&format!(
        "{USERS}CREATE VIEW v AS SELECT id, name FROM users;"
    ));
    let changes = compare(&from, &plain);
    let sql = Sqlite
        .render(&changes, &from, &plain)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        sql.iter()
            .any(|s| s.sql.starts_with("CREATE VIEW \"v\" AS")),
        "{sql:?}"
    );
    for (view, words) in [
        (
            "CREATE VIEW v AS SELECT name::text FROM users;",
            "`::` casts",
        ),
        (
            "CREATE VIEW v AS SELECT DISTINCT ON (name) name FROM users;",
            "DISTINCT ON",
        ),
        (
            "CREATE MATERIALIZED VIEW v AS SELECT 1 AS x;",
            "materialized",
        ),
        (
            "CREATE VIEW v WITH (security_barrier) AS SELECT 1 AS x;",
            "options",
        ),
    ] {
        let to = parsed(&format!("{USERS}{view}"));
        let changes = compare(&from, &to);
        let e = Sqlite.render(&changes, &from, &to).err();
        assert!(
            e.as_ref()
                .is_some_and(|e| e.to_string().contains(words) && e.to_string().contains("`v`")),
            "{view}: {e:?}"
        );
        assert!(Postgres.render(&changes, &from, &to).is_ok());
    }
}

#[test]
fn hostile_views_are_errors_or_models_never_panics() {
    let long = format!(
        "{USERS}CREATE VIEW v AS SELECT {} FROM users;",
        (0..5000)
            .map(|i| format!("id + {i} AS c{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let s = parsed(&long);
    assert_eq!(s.views[&QualifiedName::public("v")].columns.len(), 5000);
    let deep = format!(
        "{USERS}CREATE VIEW v AS SELECT {}1{} AS x;",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    assert!(parse_schema_str("schema.sql", &deep).is_err());
    let nested = format!(
        "{USERS}CREATE VIEW v AS {}SELECT 1 AS x{};",
        "SELECT * FROM (".repeat(500),
        ") s".repeat(500)
    );
    let _ = parse_schema_str("schema.sql", &nested);
    for broken in [
        "CREATE VIEW",
        "CREATE VIEW v",
        "CREATE VIEW v AS",
        "CREATE VIEW v (a AS SELECT 1",
        "CREATE OR REPLACE MATERIALIZED VIEW m AS SELECT 1",
        "ALTER VIEW",
        "ALTER VIEW v RESET (",
    ] {
        assert!(parse_schema_str("schema.sql", broken).is_err(), "{broken}");
    }
}

#[test]
fn changes_under_a_view_are_refused_or_cascade() {
    let base = "CREATE TABLE t (a integer, b text, c text); CREATE VIEW v AS SELECT a, b FROM t;";
    for (sql, words) in [
        (
            "ALTER TABLE t RENAME TO t2;",
            "cannot rename `t` while views read it",
        ),
        (
            "ALTER TABLE t RENAME COLUMN b TO bb;",
            "cannot rename column `b`",
        ),
        (
            "ALTER TABLE t ALTER COLUMN a TYPE bigint;",
            "cannot change the type of column `a`",
        ),
        ("ALTER TABLE t DROP COLUMN b;", "other objects depend on it"),
        (
            "CREATE VIEW w AS SELECT a FROM v; ALTER VIEW v RENAME TO v2;",
            "cannot rename `v`",
        ),
    ] {
        let (_, diags) = replayed(&[(&format!("{base} {sql}"), "")]);
        assert!(
            errors_of(&diags).iter().any(|d| d.message.contains(words)),
            "{sql}: {}",
            render_all(&diags, false)
        );
    }
    // What no view reads changes freely; CASCADE takes the view along.
    let (s, diags) = replayed(&[(
        &format!(
            "{base} ALTER TABLE t RENAME COLUMN c TO cc; ALTER TABLE t DROP COLUMN b CASCADE;"
        ),
        "DROP TABLE t;",
    )]);
    assert!(
        errors_of(&diags).is_empty(),
        "{}",
        render_all(&diags, false)
    );
    assert!(s.views.is_empty());
}

#[test]
fn drop_schema_takes_its_views_along_only_with_cascade() {
    let (_, diags) = replayed(&[(
        "CREATE SCHEMA r; CREATE VIEW r.v AS SELECT 1 AS x; DROP SCHEMA r;",
        "",
    )]);
    assert!(
        errors_of(&diags)
            .iter()
            .any(|d| d.notes.iter().any(|n| n.contains("view `r.v`"))),
        "{}",
        render_all(&diags, false)
    );
    let (s, diags) = replayed(&[(
        "CREATE SCHEMA r; CREATE VIEW r.v AS SELECT 1 AS x;
         CREATE MATERIALIZED VIEW r.m AS SELECT x FROM r.v; DROP SCHEMA r CASCADE;",
        "",
    )]);
    assert!(
        errors_of(&diags).is_empty(),
        "{}",
        render_all(&diags, false)
    );
    assert!(s.views.is_empty());
}

#[test]
fn a_long_chain_of_views_drops_in_one_cascade() {
    let mut up = String::from("CREATE TABLE t (a integer); CREATE VIEW v0 AS SELECT a FROM t;\n");
    for i in 1..1000 {
        up.push_str(&format!("CREATE VIEW v{i} AS SELECT a FROM v{};\n", i - 1));
    }
    up.push_str("DROP TABLE t CASCADE;");
    let started = std::time::Instant::now();
    let (s, diags) = replayed(&[(&up, "")]);
    assert!(
        errors_of(&diags).is_empty(),
        "{}",
        render_all(&diags, false)
    );
    assert!(s.views.is_empty());
    // Generous: the point is that it is not quadratic in the queries' reads.
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
}
