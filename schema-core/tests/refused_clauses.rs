//! Every clause the schema model does not carry is refused by name, never
//! dropped in silence: one minimal statement per clause, each checked for its
//! code (S0003 `unsupported_feature`), the clause named in the message, and the
//! place it points at (the clause's own first word where it can be found).
//!
//! A clause the model learns to carry moves out of this list into a test of
//! its round trip; a new sqlparser field in a node the parser reads is a
//! compile error in `parse/apply/` (`tables.rs` for `CREATE TABLE`), where it
//! must be modelled or refused.

#![allow(clippy::panic)] // test helpers fail loudly

use schema_core::diagnostic::{Diagnostic, codes, render_all};
use schema_core::parse::parse_schema_str;

/// `sql` after a table `t` to refer to (so its errors are on line 2 or later).
macro_rules! with_t {
    ($sql:literal) => {
        concat!("CREATE TABLE t (a integer PRIMARY KEY, b text);\n", $sql)
    };
}

/// (clause named in the message, SQL, line:column the error points at)
const REFUSED: &[(&str, &str, &str)] = &[
    // Tables.
    ("TEMPORARY", "CREATE TEMPORARY TABLE u (a integer);", "1:8"),
    ("TEMPORARY", "CREATE TEMP TABLE u (a integer);", "1:8"),
    (
        "INHERITS",
        "CREATE TABLE p (a integer);\nCREATE TABLE c (b integer) INHERITS (p);",
        "2:28",
    ),
    (
        "ON COMMIT",
        "CREATE TABLE u (a integer) ON COMMIT DELETE ROWS;",
        "1:28",
    ),
    (
        "TABLESPACE",
        "CREATE TABLE u (a integer) TABLESPACE pg_default;",
        "1:28",
    ),
    (
        "OIDS",
        "CREATE TABLE u (a integer) WITH (OIDS = TRUE);",
        "1:34",
    ),
    ("AS query", "CREATE TABLE u AS SELECT 1 AS a;", "1:16"),
    // Constraints.
    (
        "NO INHERIT",
        "CREATE TABLE u (a integer, CHECK (a > 0) NO INHERIT);",
        "1:42",
    ),
    (
        "MATCH PARTIAL",
        with_t!("CREATE TABLE r (a integer REFERENCES t (a) MATCH PARTIAL);"),
        "2:44",
    ),
    // Partitions.
    (
        "column options in PARTITION OF",
        "CREATE TABLE m (a integer) PARTITION BY RANGE (a);\nCREATE TABLE m1 PARTITION OF m (a DEFAULT 1) FOR VALUES FROM (1) TO (10);",
        "2:1",
    ),
    (
        "DETACH PARTITION ... FINALIZE",
        "CREATE TABLE m (a integer) PARTITION BY RANGE (a);\nCREATE TABLE m1 PARTITION OF m FOR VALUES FROM (1) TO (10);\nALTER TABLE m DETACH PARTITION m1 FINALIZE;",
        "3:35",
    ),
    // Table storage.
    (
        "another action beside `SET STORAGE` / `SET COMPRESSION` in one `ALTER TABLE`",
        with_t!("ALTER TABLE t ALTER COLUMN b SET STORAGE EXTERNAL, ADD COLUMN c text;"),
        "2:52",
    ),
    (
        "SET STATISTICS",
        with_t!("ALTER TABLE t ALTER COLUMN b SET STATISTICS 100;"),
        "2:30",
    ),
    // Indexes.
    (
        "operator class parameters",
        with_t!("CREATE INDEX ON t USING gist (b gist_trgm_ops(siglen));"),
        "2:46",
    ),
    (
        "TABLESPACE",
        with_t!("CREATE INDEX ON t (b) TABLESPACE pg_default;"),
        "2:23",
    ),
    (
        "WITH (...) of a constraint's index",
        "CREATE TABLE u (a integer, PRIMARY KEY (a) WITH (fillfactor = 70));",
        "1:44",
    ),
    // Sequences: every option is modelled (tests/sequence_options.rs); these
    // are not.
    ("TEMPORARY", "CREATE TEMP SEQUENCE s;", "1:8"),
    (
        "SET SCHEMA",
        "CREATE SEQUENCE s;\nALTER SEQUENCE s SET SCHEMA other;",
        "2:18",
    ),
    (
        "SET LOGGED / SET UNLOGGED",
        "CREATE SEQUENCE s;\nALTER SEQUENCE s SET UNLOGGED;",
        "2:18",
    ),
    (
        "SEQUENCE NAME",
        "CREATE SEQUENCE s;\nALTER SEQUENCE s SEQUENCE NAME t;",
        "2:18",
    ),
    // Identity columns' sequences.
    (
        "SEQUENCE NAME",
        "CREATE TABLE u (a integer GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME u_seq));",
        "1:57",
    ),
    (
        "SEQUENCE NAME",
        "CREATE TABLE u (a integer GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME u_seq START 1));",
        "1:57",
    ),
    (
        "SEQUENCE NAME",
        with_t!(
            "ALTER TABLE t ALTER COLUMN a ADD GENERATED ALWAYS AS IDENTITY (\n  SEQUENCE NAME public.a_seq\n  START WITH 1\n);"
        ),
        "3:3",
    ),
    (
        "SET OWNED BY",
        "CREATE TABLE u (a integer GENERATED ALWAYS AS IDENTITY);\nALTER TABLE u ALTER COLUMN a SET OWNED BY NONE;",
        "2:34",
    ),
    // Domains.
    (
        "COLLATE",
        "CREATE DOMAIN d AS text\n  COLLATE app.c;",
        "2:3",
    ),
];

/// The diagnostics of `sql`, which must not be accepted.
fn refusal(sql: &str) -> Vec<Diagnostic> {
    match parse_schema_str("schema.sql", sql) {
        Ok(_) => panic!("accepted, so it would be dropped in silence:\n{sql}"),
        Err(diagnostics) => diagnostics,
    }
}

#[test]
fn every_clause_the_model_does_not_carry_is_refused_by_name() {
    let mut failures = Vec::new();
    for (clause, sql, place) in REFUSED {
        let diagnostics = refusal(sql);
        let rendered = render_all(&diagnostics, false);
        let ok = diagnostics.len() == 1
            && diagnostics[0].code == codes::UNSUPPORTED_FEATURE
            && diagnostics[0]
                .message
                .contains(&format!("`{clause}` is not supported yet"))
            && diagnostics[0].location() == Some(format!("schema.sql:{place}"))
            && diagnostics[0].help.is_some();
        if !ok {
            failures.push(format!(
                "{clause} (expected at {place}):\n{sql}\n{rendered}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_error_quotes_the_line_and_says_what_to_do() {
    let diagnostics =
        refusal("CREATE TABLE p (a integer);\nCREATE TABLE m (b integer)\n  INHERITS (p);");
    let text = render_all(&diagnostics, false);
    assert!(text.contains("S0003/unsupported_feature"), "{text}");
    assert!(text.contains("schema.sql:3:3"), "{text}");
    assert!(text.contains("INHERITS (p);"), "{text}");
    assert!(text.contains("help: remove `INHERITS`"), "{text}");
}

/// PostgreSQL's defaults, as `pg_dump` writes them, are read: refusing them
/// would refuse every dump.
#[test]
fn sequence_options_at_their_defaults_are_read() {
    let sql = "CREATE TABLE w (id integer NOT NULL, big bigint NOT NULL, s smallint NOT NULL);
CREATE TABLE n (a integer NOT NULL, b integer GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME n_b_seq NO CYCLE));
ALTER TABLE n ALTER COLUMN a ADD GENERATED BY DEFAULT AS IDENTITY (SEQUENCE NAME public.n_a_seq START WITH 1);
CREATE SEQUENCE w_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE w_id_seq OWNED BY w.id;
CREATE SEQUENCE w_s_seq AS smallint START 1 INCREMENT 1 MINVALUE 1 NO MAXVALUE NO CYCLE;
ALTER SEQUENCE w_s_seq OWNED BY w.s;
CREATE SEQUENCE w_big_seq AS bigint START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE w_big_seq OWNED BY w.big;
CREATE SEQUENCE free_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE TABLE i (a integer GENERATED BY DEFAULT AS IDENTITY (START WITH 1 INCREMENT BY 1 CACHE 1));
";
    let schema =
        parse_schema_str("schema.sql", sql).unwrap_or_else(|d| panic!("{}", render_all(&d, false)));
    assert_eq!(schema.sequences.len(), 4);
}

/// Index keys carry their operator class and collation (no longer refused).
#[test]
fn index_keys_carry_operator_classes_and_collations() {
    let sql = with_t!(
        "CREATE INDEX t_b ON t (b COLLATE \"C\" text_pattern_ops DESC, (lower(b)) pg_catalog.varchar_pattern_ops, ((b COLLATE pg_catalog.\"POSIX\")));"
    );
    let schema =
        parse_schema_str("schema.sql", sql).unwrap_or_else(|d| panic!("{}", render_all(&d, false)));
    let table = schema
        .tables
        .values()
        .next()
        .unwrap_or_else(|| panic!("no table"));
    let index = &table.indexes["t_b"];
    let keys: Vec<(Option<&str>, Option<&str>)> = index
        .keys
        .iter()
        .map(|k| {
            (
                k.collation.as_deref(),
                k.opclass.as_ref().map(|o| o.name.as_str()),
            )
        })
        .collect();
    assert_eq!(
        keys,
        [
            (Some("C"), Some("text_pattern_ops")),
            (None, Some("varchar_pattern_ops")),
            (Some("POSIX"), None),
        ]
    );
    assert!(matches!(
        index.keys[2].part,
        schema_core::model::IndexPart::Column(ref c) if c == "b"
    ));
}

/// A collation in a schema the model does not carry is refused, located.
#[test]
fn a_collation_in_another_schema_is_refused() {
    let diagnostics = refusal(with_t!("CREATE INDEX ON t (b COLLATE other.\"C\");"));
    assert_eq!(diagnostics.len(), 1, "{}", render_all(&diagnostics, false));
    assert_eq!(diagnostics[0].code, codes::UNSUPPORTED_FEATURE);
    assert!(diagnostics[0].message.contains("other"));
    assert!(diagnostics[0].help.is_some());
}

/// `UNLOGGED` and the row-level security flags moved out of [`REFUSED`]: they
/// are carried by the model, in schema.sql and in migrations alike.
#[test]
fn unlogged_and_row_level_security_are_modelled() {
    let schema = |sql: &str| match parse_schema_str("schema.sql", sql) {
        Ok(s) => s,
        Err(e) => panic!("{}", render_all(&e, false)),
    };
    let t = |s: &schema_core::Schema| s.tables.values().next().cloned().unwrap();
    let u = t(&schema("CREATE UNLOGGED TABLE u (a integer);"));
    assert!(u.unlogged && !u.row_security && !u.force_row_security);
    let u = t(&schema(with_t!(
        "ALTER TABLE t SET UNLOGGED, ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;"
    )));
    assert!(u.unlogged && u.row_security && u.force_row_security);
    let u = t(&schema(with_t!(
        "ALTER TABLE t SET UNLOGGED, ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;\nALTER TABLE t SET LOGGED, DISABLE ROW LEVEL SECURITY, NO FORCE ROW LEVEL SECURITY;"
    )));
    assert!(!u.unlogged && !u.row_security && !u.force_row_security);
}

/// `NOT VALID`, `VALIDATE CONSTRAINT` and `INCLUDE` on keys moved out of
/// [`REFUSED`]: the model carries them.
#[test]
fn not_valid_validate_and_include_are_modelled() {
    let schema = |sql: &str| match parse_schema_str("schema.sql", sql) {
        Ok(s) => s,
        Err(e) => panic!("{}", render_all(&e, false)),
    };
    let s = schema(with_t!(
        "CREATE TABLE r (a integer);\nALTER TABLE r ADD CONSTRAINT r_fk FOREIGN KEY (a) REFERENCES t (a) NOT VALID;\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\nALTER TABLE t ADD CONSTRAINT d CHECK (a > 1) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT d;"
    ));
    let t = &s.tables[&schema_core::model::QualifiedName::public("t")];
    let r = &s.tables[&schema_core::model::QualifiedName::public("r")];
    assert!(!r.constraints["r_fk"].validated);
    assert!(!t.constraints["c"].validated);
    assert!(t.constraints["d"].validated);
    assert!(t.constraints["t_pkey"].validated);
    let s = schema(
        "CREATE TABLE u (a integer, b integer, c integer, PRIMARY KEY (a) INCLUDE (b), UNIQUE (b) INCLUDE (c, a));",
    );
    let u = &s.tables[&schema_core::model::QualifiedName::public("u")];
    assert_eq!(u.constraints["u_pkey"].kind.included(), ["b"]);
    assert_eq!(u.constraints["u_b_c_a_key"].kind.included(), ["c", "a"]);
}

/// What PostgreSQL rejects around `NOT VALID`, `VALIDATE`, `INCLUDE` and
/// constraint and index comments is an error at the word at fault.
#[test]
fn constraint_errors_are_located() {
    let cases: &[(&str, &str, &str)] = &[
        (
            with_t!("ALTER TABLE t ADD CONSTRAINT u UNIQUE (b) NOT VALID;"),
            "2:43",
            "cannot be marked `NOT VALID`",
        ),
        (
            with_t!("ALTER TABLE t VALIDATE CONSTRAINT t_pkey;"),
            "2:35",
            "not a foreign key or check constraint",
        ),
        (
            with_t!("ALTER TABLE t VALIDATE CONSTRAINT t_pkye;"),
            "2:35",
            "does not exist",
        ),
        (
            "CREATE TABLE u (a integer, UNIQUE (a) INCLUDE (nope));",
            "1:36",
            "column `nope`",
        ),
        (
            with_t!("COMMENT ON CONSTRAINT nope ON t IS 'x';"),
            "2:23",
            "constraint `nope` of table `t` does not exist",
        ),
        (
            with_t!("COMMENT ON CONSTRAINT t_pkey ON nope IS 'x';"),
            "2:33",
            "nope",
        ),
        (
            with_t!("COMMENT ON CONSTRAINT t_pkey ON t IS 42;"),
            "2:38",
            "string literal or NULL",
        ),
        (with_t!("COMMENT ON CONSTRAINT t_pkey ON t;"), "2:34", "IS"),
        (
            with_t!("COMMENT ON CONSTRAINT t_pkey ON t IS 'x' 'y';"),
            "2:42",
            "expected `;`",
        ),
        (
            with_t!("COMMENT ON INDEX nope IS 'x';"),
            "2:18",
            "index `nope` does not exist",
        ),
        (
            with_t!("COMMENT ON INDEX t_pkey IS 'x';"),
            "2:18",
            "index of a constraint",
        ),
        (
            with_t!("ALTER TABLE t ADD EXCLUDE (nope WITH =);"),
            "2:28",
            "column `nope`",
        ),
        (
            with_t!("ALTER TABLE t ADD EXCLUDE (a WITH OPERATOR(other.=));"),
            "2:35",
            "`OPERATOR(other.=)` is not supported yet",
        ),
        (
            with_t!("ALTER TABLE t ADD EXCLUDE (a WITH =) NOT VALID;"),
            "2:38",
            "exclusion constraint cannot be marked `NOT VALID`",
        ),
        (
            with_t!("COMMENT ON CONSTRAINT c ON DOMAIN d IS 'x';"),
            "2:28",
            "ON DOMAIN",
        ),
        (
            with_t!("COMMENT ON SEQUENCE nope IS 'x';"),
            "2:21",
            "sequence `nope` does not exist",
        ),
        (
            "CREATE TABLE u (id integer GENERATED ALWAYS AS IDENTITY);\nCOMMENT ON SEQUENCE u_id_seq IS 'x';",
            "2:21",
            "identity column `u.id`",
        ),
        (
            with_t!("COMMENT ON TYPE t IS 'x';"),
            "2:17",
            "row type of table `t`",
        ),
        (
            with_t!("COMMENT ON TYPE integer IS 'x';"),
            "2:17",
            "type `integer` does not exist",
        ),
        (
            with_t!("COMMENT ON SCHEMA nope IS 'x';"),
            "2:19",
            "schema `nope` does not exist",
        ),
        (
            with_t!("COMMENT ON SCHEMA a.b IS 'x';"),
            "2:19",
            "not the name of a schema",
        ),
        (
            with_t!("COMMENT ON EXTENSION hstore IS 'x';"),
            "2:22",
            "extension `hstore` does not exist",
        ),
        (
            with_t!("COMMENT ON EXTENSION plpgsql IS 'mine';"),
            "2:22",
            "extension `plpgsql` other than its own",
        ),
    ];
    let mut failures = Vec::new();
    for (sql, place, words) in cases {
        let diagnostics = refusal(sql);
        let rendered = render_all(&diagnostics, false);
        let ok = diagnostics.len() == 1
            && diagnostics[0].message.contains(words)
            && diagnostics[0].location() == Some(format!("schema.sql:{place}"));
        if !ok {
            failures.push(format!("expected `{words}` at {place}:\n{sql}\n{rendered}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn storage_parameters_and_column_collations_are_modelled() {
    let schema = |sql: &str| match parse_schema_str("schema.sql", sql) {
        Ok(s) => s,
        Err(e) => panic!("{}", render_all(&e, false)),
    };
    let s = schema(
        "CREATE TABLE u (a text COLLATE \"C\", b text COLLATE \"default\", c varchar(3) COLLATE pg_catalog.\"POSIX\")
           WITH (FillFactor = 070, autovacuum_enabled, toast.autovacuum_enabled = OFF, oids = false,
                 autovacuum_vacuum_scale_factor = '0.2', log_autovacuum_min_duration = -1);
         CREATE INDEX ON u USING gin ((a::tsvector)) WITH (fastupdate = off);",
    );
    let u = s.tables.values().next().cloned().unwrap();
    let options: Vec<(&str, &str)> = u
        .options
        .0
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        options,
        [
            ("fillfactor", "70"),
            ("autovacuum_enabled", "true"),
            ("toast.autovacuum_enabled", "off"),
            ("autovacuum_vacuum_scale_factor", "0.2"),
            ("log_autovacuum_min_duration", "-1"),
        ]
    );
    let collations: Vec<Option<&str>> = u.columns.iter().map(|c| c.collation.as_deref()).collect();
    assert_eq!(collations, [Some("C"), None, Some("POSIX")]);
    let index = u.indexes.values().next().unwrap();
    assert_eq!(index.options.get("fastupdate"), Some("off"));
    let s = schema(
        "CREATE TABLE u (a text);
         CREATE INDEX i ON u (a) WITH (fillfactor = 50, deduplicate_items = off);
         ALTER INDEX i SET (fillfactor = 60);
         ALTER INDEX IF EXISTS public.i RESET (deduplicate_items);
         ALTER INDEX IF EXISTS missing SET (fillfactor = 70);",
    );
    let index = &s.tables.values().next().unwrap().indexes["i"];
    assert_eq!(
        index.options.0,
        [("fillfactor".to_string(), "60".to_string())]
    );
}

#[test]
fn bad_storage_parameters_and_collations_are_located_errors() {
    // (SQL, what the message says, line:column)
    let cases: &[(&str, &str, &str)] = &[
        (
            "CREATE TABLE u (a integer) WITH (fillfactr = 70);",
            "unrecognized storage parameter `fillfactr`",
            "1:34",
        ),
        (
            "CREATE TABLE u (a integer) WITH (toast.fillfactor = 70);",
            "unrecognized storage parameter `toast.fillfactor`",
            "1:34",
        ),
        (
            "CREATE TABLE u (a integer) WITH (fillfactor = 70, fillfactor = 80);",
            "specified more than once",
            "1:51",
        ),
        (
            "CREATE TABLE u (a integer) WITH (fillfactor = now());",
            "not a value PostgreSQL takes",
            "1:34",
        ),
        (
            "CREATE TABLE u (a integer);\nALTER TABLE u RESET (fillfactor = 70);",
            "",
            "",
        ),
        (
            "CREATE TABLE u (a text);\nCREATE INDEX ON u (a) WITH (fastupdate = off);",
            "unrecognized storage parameter `fastupdate`",
            "2:29",
        ),
        (
            "CREATE TABLE u (a text);\nCREATE INDEX i ON u (a);\nALTER INDEX i SET (fastupdate = on);",
            "unrecognized storage parameter `fastupdate`",
            "3:20",
        ),
        (
            "CREATE TABLE u (a text);\nALTER INDEX i SET (fillfactor = 10);",
            "index `i` does not exist",
            "2:13",
        ),
        (
            "CREATE TABLE u (a text);\nCREATE INDEX i ON u (a);\nALTER INDEX i SET (fillfactor 10);",
            "",
            "",
        ),
        (
            "CREATE TABLE u (a integer) WITH (fillfactor);",
            "invalid value for storage parameter `fillfactor`: `true`",
            "1:34",
        ),
        (
            "CREATE TABLE u (a integer) WITH (autovacuum_enabled = maybe);",
            "invalid value for storage parameter `autovacuum_enabled`",
            "1:34",
        ),
        (
            "CREATE TABLE u (a integer, b varchar(10)) WITH (toast.autovacuum_enabled = false);",
            "would be dropped by PostgreSQL: table `u` has no TOAST table",
            "1:49",
        ),
        (
            "CREATE TABLE u (a integer);\nALTER TABLE u SET (toast.autovacuum_enabled = false);",
            "would be dropped by PostgreSQL",
            "2:20",
        ),
        (
            "CREATE TABLE u (a integer COLLATE \"C\");",
            "collations are not supported by type `integer`",
            "1:35",
        ),
        (
            "CREATE TABLE u (a text COLLATE other.\"C\");",
            "qualified with a schema",
            "1:32",
        ),
        (
            "CREATE TABLE u (a text);\nALTER TABLE u ALTER COLUMN a TYPE integer COLLATE \"C\";",
            "",
            "",
        ),
    ];
    for (sql, message, place) in cases {
        let diagnostics = refusal(sql);
        let rendered = render_all(&diagnostics, false);
        assert!(!diagnostics.is_empty(), "{sql}");
        assert!(
            diagnostics[0].message.contains(message),
            "{sql}\n{rendered}"
        );
        if !place.is_empty() {
            assert_eq!(
                diagnostics[0].location(),
                Some(format!("schema.sql:{place}")),
                "{sql}\n{rendered}"
            );
            assert!(diagnostics[0].help.is_some(), "{sql}\n{rendered}");
        }
    }
}

/// The first error of `sql`, rendered, with its code.
fn first_error(sql: &str) -> (String, String) {
    let d = refusal(sql);
    let first = d.first().unwrap_or_else(|| panic!("no error for {sql}"));
    (first.code.name.to_string(), render_all(&d, false))
}

#[test]
fn storage_and_compression_are_modelled() {
    let s = parse_schema_str(
        "schema.sql",
        "CREATE TABLE t (a text COMPRESSION lz4, b text, c numeric COMPRESSION default, \"compression\" text);\n\
         ALTER TABLE ONLY t ALTER COLUMN b SET STORAGE EXTERNAL, ALTER COLUMN b SET COMPRESSION pglz;\n\
         ALTER TABLE t ALTER c SET STORAGE MAIN;",
    )
    .unwrap_or_else(|d| panic!("{}", render_all(&d, false)));
    let t = &s.tables[&schema_core::model::QualifiedName::public("t")];
    use schema_core::model::{Compression, Storage};
    let col = |n: &str| t.column(n).unwrap_or_else(|| panic!("no column {n}"));
    assert_eq!(col("a").compression, Some(Compression::Lz4));
    assert_eq!(col("a").storage, None);
    assert_eq!(col("b").storage, Some(Storage::External));
    assert_eq!(col("b").compression, Some(Compression::Pglz));
    // numeric's own storage is MAIN: carried as none.
    assert_eq!(col("c").storage, None);
    assert_eq!(col("c").compression, None);
    assert_eq!(col("compression").compression, None);
}

#[test]
fn storage_and_compression_postgresql_refuses_are_errors() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "CREATE TABLE u (a integer COMPRESSION lz4);",
            "not_allowed_here",
            "column data type `integer` does not support compression",
        ),
        (
            "CREATE TABLE u (a integer);\nALTER TABLE u ALTER COLUMN a SET STORAGE EXTERNAL;",
            "not_allowed_here",
            "column data type `integer` can only have storage PLAIN",
        ),
        (
            "CREATE TABLE u (a text COMPRESSION zstd);",
            "syntax_error",
            "invalid compression method `zstd`",
        ),
        (
            "CREATE TABLE u (a text);\nALTER TABLE u ALTER COLUMN a SET STORAGE toast;",
            "syntax_error",
            "invalid storage type `toast`",
        ),
        (
            "CREATE TABLE u (a text STORAGE EXTERNAL);",
            "syntax_error",
            "PostgreSQL 15 has no `STORAGE` in a column definition",
        ),
        (
            "CREATE TABLE u (a text NOT NULL COMPRESSION lz4);",
            "syntax_error",
            "write `COMPRESSION method` right after the column's type",
        ),
        (
            // PostgreSQL takes one `COMPRESSION` per column.
            "CREATE TABLE u (a text COMPRESSION pglz COMPRESSION lz4);",
            "syntax_error",
            "--> schema.sql:1:41",
        ),
        (
            "CREATE EXTENSION unknown_ext;\nCREATE TABLE u (a thing COMPRESSION lz4);",
            "unsupported_feature",
            "`COMPRESSION` on a column of type `thing` is not supported yet",
        ),
        (
            "CREATE EXTENSION unknown_ext;\nCREATE TABLE u (a thing);\nALTER TABLE u ALTER COLUMN a SET STORAGE MAIN;",
            "unsupported_feature",
            "`SET STORAGE` on a column of type `thing` is not supported yet",
        ),
        (
            "CREATE TABLE u (a text);\nALTER TABLE u ALTER COLUMN z SET STORAGE MAIN;",
            "unknown_object",
            "column `z` of table `u` does not exist",
        ),
    ];
    for (sql, code, text) in cases {
        let (got, rendered) = first_error(sql);
        assert_eq!(got, *code, "{sql}:\n{rendered}");
        assert!(
            rendered.contains(text),
            "{sql}: expected `{text}` in\n{rendered}"
        );
    }
}
