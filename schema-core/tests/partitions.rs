//! Partitioned tables in the model: what PostgreSQL accepts is read (both
//! the `PARTITION OF` form and pg_dump's attach form), what it refuses is a
//! located error, and a partition keeps its parent's columns through
//! `ALTER TABLE` on the parent.

#![allow(clippy::panic)] // test helpers fail loudly

use schema_core::Schema;
use schema_core::diagnostic::render_all;
use schema_core::model::{PartitionBound, PartitionStrategy, QualifiedName};
use schema_core::parse::parse_schema_str;

const PARENT: &str =
    "CREATE TABLE m (id integer NOT NULL, at date NOT NULL, v text) PARTITION BY RANGE (at);\n";

fn schema(sql: &str) -> Schema {
    parse_schema_str("schema.sql", sql).unwrap_or_else(|d| panic!("{}", render_all(&d, false)))
}

/// The rendered errors of `sql`, which must be refused.
fn refused(sql: &str) -> String {
    match parse_schema_str("schema.sql", sql) {
        Ok(_) => panic!("accepted:\n{sql}"),
        Err(d) => render_all(&d, false),
    }
}

/// `sql` applied as a migration's up.sql: the schema, or the first error.
fn replay(sql: &str) -> Result<Schema, String> {
    let source = schema_core::diagnostic::Source::new("up.sql", sql);
    let (file, diagnostics) = schema_core::parse::parse_file(&source);
    if let Some(d) = diagnostics.first() {
        return Err(d.render(false));
    }
    let mut schema = Schema::new();
    for statement in &file.statements {
        schema_core::parse::apply_statement(
            &mut schema,
            &file,
            statement,
            schema_core::parse::Mode::Migration,
        )
        .map_err(|d| d.render(false))?;
    }
    Ok(schema)
}

fn table<'s>(s: &'s Schema, name: &str) -> &'s schema_core::model::Table {
    &s.tables[&QualifiedName::public(name)]
}

#[test]
fn a_partition_has_its_parents_columns_and_bound() {
    let s = schema(&format!(
        "{PARENT}CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO (MAXVALUE);\n\
         CREATE TABLE m2 PARTITION OF m DEFAULT;"
    ));
    let key = table(&s, "m").partition_by.as_ref().map(|k| k.strategy);
    assert_eq!(key, Some(PartitionStrategy::Range));
    let m1 = table(&s, "m1");
    let names: Vec<&str> = m1.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["id", "at", "v"]);
    assert_eq!(
        m1.partition_of.as_ref().map(|of| of.bound.to_string()),
        Some("FOR VALUES FROM ('2024-01-01') TO (MAXVALUE)".to_string())
    );
    assert_eq!(
        table(&s, "m2")
            .partition_of
            .as_ref()
            .map(|of| of.bound.clone()),
        Some(PartitionBound::Default)
    );
}

#[test]
fn the_attach_form_pg_dump_writes_gives_the_same_model() {
    let declared = schema(&format!(
        "{PARENT}ALTER TABLE m ADD PRIMARY KEY (id, at);\nCREATE INDEX m_v ON m (v);\n\
         CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');"
    ));
    let dumped = schema(
        "CREATE TABLE m (id integer NOT NULL, at date NOT NULL, v text) PARTITION BY RANGE (at);\n\
         CREATE TABLE m1 (id integer NOT NULL, at date NOT NULL, v text);\n\
         ALTER TABLE ONLY m ATTACH PARTITION m1 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n\
         ALTER TABLE ONLY m ADD CONSTRAINT m_pkey PRIMARY KEY (id, at);\n\
         ALTER TABLE ONLY m1 ADD CONSTRAINT m1_pkey PRIMARY KEY (id, at);\n\
         CREATE INDEX m_v ON ONLY m USING btree (v);\n\
         CREATE INDEX m1_v_idx ON m1 USING btree (v);\n\
         ALTER INDEX m_pkey ATTACH PARTITION m1_pkey;\n\
         ALTER INDEX m_v ATTACH PARTITION m1_v_idx;",
    );
    assert_eq!(declared.tables, dumped.tables);
}

#[test]
fn alter_table_on_the_parent_reaches_every_partition() {
    let s = replay(&format!(
        "{PARENT}CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (MINVALUE) TO ('2025-01-01') PARTITION BY HASH (id);\n\
         CREATE TABLE m1a PARTITION OF m1 FOR VALUES WITH (MODULUS 1, REMAINDER 0);\n\
         ALTER TABLE m ADD COLUMN n integer DEFAULT 3;\n\
         ALTER TABLE m RENAME COLUMN v TO w;\n\
         ALTER TABLE m ALTER COLUMN w SET NOT NULL;"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    for name in ["m1", "m1a"] {
        let t = table(&s, name);
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["id", "at", "w", "n"], "{name}");
        assert!(!t.column("w").is_some_and(|c| c.nullable), "{name}");
    }
    // Dropping the parent drops its partitions, on down.
    let s = replay(&format!(
        "{PARENT}CREATE TABLE m1 PARTITION OF m DEFAULT PARTITION BY LIST (v);\n\
         CREATE TABLE m1a PARTITION OF m1 DEFAULT;\nDROP TABLE m;"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(s.tables.is_empty());
}

#[test]
fn what_postgres_refuses_is_a_located_error() {
    let cases: &[(&str, &str)] = &[
        (
            "CREATE TABLE p (a integer);\nCREATE TABLE c PARTITION OF p DEFAULT;",
            "table `p` is not partitioned",
        ),
        (
            "CREATE TABLE p (a integer) PARTITION BY LIST (a);\nCREATE TABLE c PARTITION OF p FOR VALUES FROM (1) TO (2);",
            "does not fit table `p`",
        ),
        (
            "CREATE TABLE p (a integer) PARTITION BY HASH (a);\nCREATE TABLE c PARTITION OF p DEFAULT;",
            "does not fit table `p`",
        ),
        (
            "CREATE TABLE p (a integer) PARTITION BY HASH (a);\nCREATE TABLE c PARTITION OF p FOR VALUES WITH (MODULUS 2, REMAINDER 2);",
            "the remainder must be less than a positive modulus",
        ),
        (
            "CREATE TABLE p (a integer) PARTITION BY RANGE (b);",
            "column `b` named in the partition key does not exist",
        ),
        (
            "CREATE TABLE p (a integer, b integer) PARTITION BY LIST (a, b);",
            "needs exactly one key",
        ),
        (
            "CREATE TABLE p (a integer) PARTITION BY RANGE (a);\nCREATE TABLE c (a bigint);\nALTER TABLE p ATTACH PARTITION c FOR VALUES FROM (1) TO (2);",
            "its column `a` is `bigint`, the parent's `integer`",
        ),
        (
            "CREATE TABLE p (a integer, b text) PARTITION BY RANGE (a);\nCREATE TABLE c (a integer);\nALTER TABLE p ATTACH PARTITION c FOR VALUES FROM (1) TO (2);",
            "it has no column `b`",
        ),
        (
            "CREATE TABLE p (a integer) PARTITION BY RANGE (a);\nCREATE TABLE c PARTITION OF p DEFAULT;\nALTER TABLE c ADD COLUMN b integer;",
            "changing a column of partition `c` on its own",
        ),
        (
            "CREATE TABLE p (a integer) PARTITION BY RANGE (a);\nCREATE TABLE c PARTITION OF p DEFAULT;\nALTER INDEX nope ATTACH PARTITION also_nope;",
            "index `also_nope` does not exist",
        ),
    ];
    for (sql, message) in cases {
        let text = refused(sql);
        assert!(
            text.contains(message),
            "`{message}` missing:\n{sql}\n{text}"
        );
        assert!(text.contains("--> schema.sql:"), "not located:\n{text}");
    }
}

#[test]
fn a_table_cannot_become_a_partition_of_its_own_partition() {
    let steps = "CREATE TABLE p (a integer) PARTITION BY RANGE (a);\n\
         CREATE TABLE c PARTITION OF p DEFAULT PARTITION BY RANGE (a);\n\
         ALTER TABLE p DETACH PARTITION c;\n\
         ALTER TABLE c ATTACH PARTITION p DEFAULT;\n\
         ALTER TABLE p ATTACH PARTITION c DEFAULT;";
    // schema.sql refuses DETACH (it is a migration's step); replayed as one
    // migration's text, the last attach closes a cycle.
    let text = refused(steps);
    assert!(text.contains("DETACH PARTITION"), "{text}");
    let error = replay(steps).err();
    let error = error.unwrap_or_else(|| panic!("the cycle was accepted"));
    let text = replay(
        "CREATE TABLE p (a integer) PARTITION BY RANGE (a);\nCREATE TABLE c PARTITION OF p DEFAULT PARTITION BY RANGE (a);\nALTER TABLE c DETACH PARTITION p;",
    )
    .err()
    .unwrap_or_default();
    assert!(
        text.contains("table `p` is not a partition of `c`"),
        "{text}"
    );
    assert!(text.contains("--> up.sql:3:"), "{text}");
    // A detached partition is a table of its own again.
    let s = replay(
        "CREATE TABLE p (a integer) PARTITION BY RANGE (a);\nCREATE TABLE c PARTITION OF p DEFAULT;\nALTER TABLE p DETACH PARTITION c;",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(table(&s, "c").partition_of.is_none());
    assert!(error.contains("which is its own partition"), "{error}");
}

#[test]
fn renaming_a_parent_column_renames_it_in_partitions_keys_and_generated_columns() {
    let s = replay(
        "CREATE TABLE r (a integer NOT NULL, b date NOT NULL, g integer GENERATED ALWAYS AS (a * 2) STORED) \
         PARTITION BY RANGE (b);\n\
         CREATE TABLE r1 PARTITION OF r FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') PARTITION BY LIST (a);\n\
         CREATE TABLE r11 PARTITION OF r1 (CONSTRAINT r11_a CHECK (a > 0)) FOR VALUES IN (1);\n\
         ALTER TABLE r RENAME COLUMN a TO a2;\n\
         ALTER TABLE r RENAME COLUMN b TO b2;",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for name in ["r", "r1", "r11"] {
        let t = table(&s, name);
        let columns: Vec<_> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            columns,
            ["a2", "b2", "g"],
            "columns of {name} keep their places"
        );
        let generated = t.columns[2].generated.as_ref().map(|g| g.sql().to_string());
        assert_eq!(
            generated.as_deref(),
            Some("a2 * 2"),
            "generated column of {name}"
        );
    }
    let key = |name: &str| {
        format!(
            "{:?}",
            table(&s, name)
                .partition_by
                .as_ref()
                .map(|k| &k.keys[0].part)
        )
    };
    assert!(key("r").contains("b2"), "{}", key("r"));
    assert!(key("r1").contains("a2"), "{}", key("r1"));
    let check = format!(
        "{:?}",
        table(&s, "r11").constraints.get("r11_a").map(|c| &c.kind)
    );
    assert!(check.contains("a2 > 0"), "{check}");
}

#[test]
fn a_detached_partition_keeps_copies_of_what_it_inherited() {
    let s = replay(
        "CREATE TABLE r (id integer PRIMARY KEY);\n\
         CREATE TABLE m (a integer NOT NULL REFERENCES r, b date NOT NULL, d text, \
         PRIMARY KEY (a, b), UNIQUE (b, a), CHECK (a > 0)) PARTITION BY RANGE (b);\n\
         CREATE INDEX m_d ON m (d);\n\
         CREATE INDEX ON m (lower(d));\n\
         CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n\
         CREATE TABLE m2 (a integer NOT NULL, b date NOT NULL, d text, CONSTRAINT own_pk PRIMARY KEY (a, b), \
         CONSTRAINT m_a_check CHECK (a > 0));\n\
         CREATE INDEX own_d ON m2 (d);\n\
         ALTER TABLE m ATTACH PARTITION m2 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');\n\
         ALTER TABLE m DETACH PARTITION m1;\n\
         ALTER TABLE m DETACH PARTITION m2;",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let names = |t: &str| {
        let t = table(&s, t);
        let mut n: Vec<String> = t
            .constraints
            .keys()
            .chain(t.indexes.keys())
            .cloned()
            .collect();
        n.sort();
        n
    };
    // As PostgreSQL 15 names them (checked on the server by the canonical
    // fixture `migrations/partitions_detached_keep_copies_of_keys_and_indexes`).
    assert_eq!(
        names("m1"),
        [
            "m1_b_a_key",
            "m1_d_idx",
            "m1_lower_idx",
            "m1_pkey",
            "m_a_check",
            "m_a_fkey"
        ]
    );
    assert_eq!(
        names("m2"),
        [
            "m2_b_a_key",
            "m2_lower_idx",
            "m_a_check",
            "m_a_fkey",
            "own_d",
            "own_pk"
        ]
    );
    assert!(table(&s, "m2").partition_of.is_none());
}
