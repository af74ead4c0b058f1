//! Index keys' operator classes and collations (issue 11): PostgreSQL gets
//! them as written; SQLite gets its own collations (`BINARY`, `NOCASE`,
//! `RTRIM`) and refuses, by name, any other collation and any operator class.

#![allow(clippy::panic)] // test helpers fail loudly

use schema_core::Schema;
use schema_core::diagnostic::render_all;
use schema_core::diff::diff;
use schema_core::parse::parse_schema_str;
use schema_core::render::{Postgres, Renderer, Sqlite, to_script};

fn schema(sql: &str) -> Schema {
    parse_schema_str("schema.sql", sql).unwrap_or_else(|d| panic!("{}", render_all(&d, false)))
}

/// The script `renderer` writes to create `sql` from nothing, or its refusal.
fn created(renderer: &dyn Renderer, sql: &str) -> Result<String, String> {
    let to = schema(sql);
    let from = Schema::new();
    let up = diff(&from, &to, &Default::default());
    renderer
        .render(&up, &from, &to)
        .map(|r| to_script(&r))
        .map_err(|e| e.to_string())
}

const TABLE: &str = "CREATE TABLE t (id integer PRIMARY KEY, a text, b text);\n";

#[test]
fn postgres_gets_classes_and_collations_as_postgres_spells_them() {
    let sql = format!(
        "{TABLE}CREATE INDEX t_a ON t (a COLLATE \"C\" text_pattern_ops DESC, lower(b) pg_catalog.varchar_pattern_ops);\n\
         CREATE UNIQUE INDEX t_b ON t ((b COLLATE pg_catalog.\"POSIX\") NULLS FIRST);"
    );
    let script = created(&Postgres, &sql).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        script.contains(
            "CREATE INDEX t_a ON public.t (a COLLATE \"C\" text_pattern_ops DESC, (lower(b)) varchar_pattern_ops);"
        ),
        "{script}"
    );
    assert!(
        script.contains("CREATE UNIQUE INDEX t_b ON public.t (b COLLATE \"POSIX\" NULLS FIRST);"),
        "{script}"
    );
    // What we write reads back as the same model.
    let again = schema(&format!(
        "{TABLE}{}",
        script.split_once(";\n").map_or("", |(_, rest)| rest)
    ));
    assert_eq!(again.tables, schema(&sql).tables);
}

#[test]
fn a_changed_class_or_collation_recreates_the_index() {
    let from = schema(&format!(
        "{TABLE}CREATE INDEX t_a ON t (a text_pattern_ops);"
    ));
    for to in [
        "CREATE INDEX t_a ON t (a varchar_pattern_ops);",
        "CREATE INDEX t_a ON t (a);",
        "CREATE INDEX t_a ON t (a COLLATE \"C\" text_pattern_ops);",
    ] {
        let to = schema(&format!("{TABLE}{to}"));
        let changes = diff(&from, &to, &Default::default());
        let text: Vec<String> = changes.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            ["drop index `t_a` on `t`", "create index `t_a` on `t`"],
            "{to:?}"
        );
    }
}

/// PostgreSQL does not report a btree key's default operator class
/// (`pg_get_indexdef` prints `(id)` for `(id int4_ops)`): the model does not
/// keep it either, or a database built from the declaration would always
/// differ from it (found by the diff property test).
#[test]
fn a_key_written_with_its_types_default_class_is_one_without() {
    let written = schema(&format!(
        "{TABLE}CREATE TABLE u (n bigint, v varchar(5), c char(2));
         CREATE INDEX t_a ON t (id int4_ops, a pg_catalog.text_ops DESC);
         CREATE INDEX u_n ON u (n int8_ops, v text_ops, c bpchar_ops);"
    ));
    let plain = schema(&format!(
        "{TABLE}CREATE TABLE u (n bigint, v varchar(5), c char(2));
         CREATE INDEX t_a ON t (id, a DESC);
         CREATE INDEX u_n ON u (n, v, c);"
    ));
    assert_eq!(written.tables, plain.tables);
    // Another class, a qualified one in another schema, or another method's
    // key keeps what was written.
    for kept in [
        "CREATE INDEX t_a ON t (a varchar_ops);",
        "CREATE INDEX t_a ON t (a text_pattern_ops);",
        "CREATE INDEX t_a ON t (id ext.int4_ops);",
        "CREATE INDEX t_a ON t USING hash (a text_ops);",
        "CREATE INDEX t_a ON t ((a || b) text_ops);",
    ] {
        let t = schema(&format!("{TABLE}{kept}"));
        let index = t.tables.values().flat_map(|t| t.indexes.values()).next();
        assert!(
            index.is_some_and(|i| i.keys[0].opclass.is_some()),
            "{kept}: {index:?}"
        );
    }
}

#[test]
fn sqlite_gets_its_own_collations() {
    let script = created(
        &Sqlite,
        &format!("{TABLE}CREATE INDEX t_a ON t (a COLLATE nocase, (lower(b)) COLLATE RTRIM DESC, b COLLATE \"BINARY\");"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        script.contains(
            "CREATE INDEX \"t_a\" ON \"t\" (\"a\" COLLATE NOCASE, (lower(\"b\")) COLLATE RTRIM DESC, \"b\" COLLATE BINARY);"
        ),
        "{script}"
    );
}

#[test]
fn sqlite_refuses_other_collations_and_operator_classes_by_name() {
    let err = created(
        &Sqlite,
        &format!("{TABLE}CREATE INDEX t_a ON t (a COLLATE \"C\");"),
    )
    .err()
    .unwrap_or_else(|| panic!("accepted"));
    assert!(err.contains("not `C` (index `t_a`)"), "{err}");
    assert!(err.contains("`NOCASE`"), "{err}");
    let err = created(
        &Sqlite,
        &format!("{TABLE}CREATE INDEX t_a ON t (a text_pattern_ops);"),
    )
    .err()
    .unwrap_or_else(|| panic!("accepted"));
    assert!(
        err.contains("SQLite has no operator classes, not `text_pattern_ops` (index `t_a`)"),
        "{err}"
    );
}

#[test]
fn operator_class_parameters_are_read_and_written_back() {
    let sql = "CREATE EXTENSION pg_trgm;\nCREATE TABLE t (id integer PRIMARY KEY, title text);\n\
               CREATE INDEX t_a ON t USING gist (title gist_trgm_ops(siglen = 32), lower(title) public.gist_trgm_ops (siglen='64'));\n\
               CREATE INDEX t_b ON t USING gist (title COLLATE \"C\" gist_trgm_ops(siglen=8) DESC) WHERE length(title) > 0;";
    let schema = schema_core::parse::parse_schema_str("schema.sql", sql)
        .unwrap_or_else(|d| panic!("{}", schema_core::diagnostic::render_all(&d, false)));
    let t = &schema.tables[&schema_core::model::QualifiedName::public("t")];
    let params = |index: &str, key: usize| {
        t.indexes[index].keys[key]
            .opclass
            .as_ref()
            .map(|o| (o.name.clone(), o.parameters.to_sql()))
    };
    assert_eq!(
        params("t_a", 0),
        Some(("gist_trgm_ops".into(), "siglen=32".into()))
    );
    assert_eq!(
        params("t_a", 1),
        Some(("gist_trgm_ops".into(), "siglen=64".into()))
    );
    assert_eq!(
        params("t_b", 0),
        Some(("gist_trgm_ops".into(), "siglen=8".into()))
    );
    // A function call in a key is not a class: `lower(title)` stays an expression.
    assert!(format!("{:?}", t.indexes["t_a"].keys[1].part).contains("lower"));
}

#[test]
fn an_index_of_more_than_32_columns_is_refused_as_postgres_refuses_it() {
    let keys: Vec<String> = (0..33).map(|i| format!("c{i}")).collect();
    let columns: Vec<String> = keys.iter().map(|k| format!("{k} integer")).collect();
    let sql = format!(
        "CREATE TABLE t (id integer PRIMARY KEY, {});\nCREATE INDEX t_wide ON t ({});",
        columns.join(", "),
        keys.join(", ")
    );
    let errors = match schema_core::parse::parse_schema_str("schema.sql", &sql) {
        Ok(_) => panic!("an index of 33 columns was accepted"),
        Err(d) => schema_core::diagnostic::render_all(&d, false),
    };
    assert!(
        errors.contains("an index has at most 32 columns, this one 33")
            && errors.contains("--> schema.sql:2:1"),
        "{errors}"
    );
    // 32 is the limit, not past it.
    let sql = sql.replace(", c32)", ")");
    if let Err(d) = schema_core::parse::parse_schema_str("schema.sql", &sql) {
        panic!("{}", schema_core::diagnostic::render_all(&d, false));
    }
}
