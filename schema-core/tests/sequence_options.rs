//! Sequence options, modelled: what `CREATE SEQUENCE`, `ALTER SEQUENCE`,
//! `serial` and identity columns give (the values `pg_sequence` holds), the
//! values PostgreSQL refuses (located errors), `RESTART` (a warning in
//! schema.sql), and generated migrations that replay to their target.

#![allow(clippy::panic)] // test helpers fail loudly

use schema_core::Schema;
use schema_core::diagnostic::{Diagnostic, Severity, Source, codes, render_all};
use schema_core::diff::{Renames, compare};
use schema_core::migrations::generate::generate;
use schema_core::model::{QualifiedName, SequenceOptions, SequenceType};
use schema_core::parse::apply::apply_file;
use schema_core::parse::{Mode, parse_file, parse_schema_str};
use schema_core::render::Postgres;

fn schema(sql: &str) -> Schema {
    parse_schema_str("schema.sql", sql).unwrap_or_else(|d| panic!("{}", render_all(&d, false)))
}

fn refused(sql: &str) -> Vec<Diagnostic> {
    match parse_schema_str("schema.sql", sql) {
        Ok(_) => panic!("accepted:\n{sql}"),
        Err(d) => d,
    }
}

fn options(schema: &Schema, name: &str) -> SequenceOptions {
    schema.sequences[&QualifiedName::public(name)].options
}

fn identity(schema: &Schema, table: &str, column: &str) -> SequenceOptions {
    let t = &schema.tables[&QualifiedName::public(table)];
    t.column(column)
        .and_then(|c| c.identity_options.as_deref().copied())
        .unwrap_or_else(|| panic!("{table}.{column} is not an identity"))
}

/// `sql` applied as a migration on `schema`.
fn migrate(mut schema: Schema, sql: &str) -> Result<Schema, Vec<Diagnostic>> {
    let (file, mut diagnostics) = parse_file(&Source::new("up.sql", sql));
    apply_file(&mut schema, &file, Mode::Migration, &mut diagnostics);
    if diagnostics.is_empty() {
        Ok(schema)
    } else {
        Err(diagnostics)
    }
}

#[test]
fn every_option_is_held_as_pg_sequence_holds_it() {
    let s = schema(
        "CREATE SEQUENCE a AS integer INCREMENT BY -2 MINVALUE -1000 MAXVALUE -10 START WITH -20 CACHE 5 CYCLE;
         CREATE SEQUENCE b INCREMENT -1;
         CREATE SEQUENCE c AS smallint;
         CREATE SEQUENCE d;",
    );
    let a = options(&s, "a");
    assert_eq!(
        (
            a.data_type,
            a.increment,
            a.min_value,
            a.max_value,
            a.start,
            a.cache,
            a.cycle
        ),
        (SequenceType::Integer, -2, -1000, -10, -20, 5, true)
    );
    let b = options(&s, "b");
    assert_eq!((b.min_value, b.max_value, b.start), (i64::MIN, -1, -1));
    assert_eq!(options(&s, "c").max_value, 32767);
    assert_eq!(options(&s, "d"), SequenceOptions::default());
}

#[test]
fn explicit_defaults_equal_omitted_ones() {
    let written = schema(
        "CREATE SEQUENCE s AS bigint START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1 NO CYCLE;
         CREATE TABLE t (id integer GENERATED ALWAYS AS IDENTITY (START 1 INCREMENT 1 MINVALUE 1 MAXVALUE 2147483647 CACHE 1));",
    );
    let omitted =
        schema("CREATE SEQUENCE s; CREATE TABLE t (id integer GENERATED ALWAYS AS IDENTITY);");
    assert!(compare(&written, &omitted).is_empty());
}

#[test]
fn pg_dump_of_a_serial_with_options_reads_as_that_sequence() {
    let s = schema(
        "CREATE TABLE t (id integer NOT NULL);
         CREATE SEQUENCE t_id_seq AS integer START WITH 100 INCREMENT BY 5 NO MINVALUE MAXVALUE 100000 CACHE 1;
         ALTER SEQUENCE t_id_seq OWNED BY t.id;
         ALTER TABLE ONLY t ALTER COLUMN id SET DEFAULT nextval('t_id_seq'::regclass);",
    );
    let o = options(&s, "t_id_seq");
    assert_eq!(
        (o.data_type, o.start, o.increment, o.max_value),
        (SequenceType::Integer, 100, 5, 100_000)
    );
    // pg_dump's identity form, with its options.
    let s = schema(
        "CREATE TABLE u (a bigint NOT NULL);
         ALTER TABLE u ALTER COLUMN a ADD GENERATED ALWAYS AS IDENTITY (
             SEQUENCE NAME public.u_a_seq START WITH 10 INCREMENT BY 10 NO MINVALUE NO MAXVALUE CACHE 1 CYCLE);",
    );
    let o = identity(&s, "u", "a");
    assert_eq!(
        (o.data_type, o.start, o.increment, o.cycle),
        (SequenceType::BigInt, 10, 10, true)
    );
}

#[test]
fn alter_sequence_follows_postgresql() {
    let s = schema(
        "CREATE SEQUENCE s AS integer INCREMENT BY -1;
         ALTER SEQUENCE s AS smallint;
         CREATE SEQUENCE m MAXVALUE 100;
         ALTER SEQUENCE m AS smallint CACHE 3 CYCLE;
         ALTER SEQUENCE IF EXISTS nothing INCREMENT 2;",
    );
    let o = options(&s, "s");
    // The old type's minimum moves to the new type's; -1 stays.
    assert_eq!(
        (o.data_type, o.min_value, o.max_value),
        (SequenceType::SmallInt, -32768, -1)
    );
    let m = options(&s, "m");
    assert_eq!((m.max_value, m.cache, m.cycle), (100, 3, true));
}

#[test]
fn values_postgresql_refuses_are_located_errors() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "CREATE SEQUENCE s INCREMENT 0;",
            "INCREMENT must not be zero",
            "1:19",
        ),
        (
            "CREATE SEQUENCE s\n  MINVALUE 5 MAXVALUE 5;",
            "MINVALUE (5) must be less than MAXVALUE (5)",
            "2:3",
        ),
        (
            "CREATE SEQUENCE s START 0;",
            "START value (0) cannot be less than MINVALUE (1)",
            "1:19",
        ),
        (
            "CREATE SEQUENCE s CACHE 0;",
            "CACHE (0) must be greater than zero",
            "1:19",
        ),
        (
            "CREATE SEQUENCE s AS smallint MAXVALUE 100000;",
            "MAXVALUE (100000) is out of range for sequence data type smallint",
            "1:31",
        ),
        (
            "CREATE SEQUENCE s AS numeric;",
            "sequence type must be smallint, integer, or bigint",
            "1:19",
        ),
        (
            "CREATE SEQUENCE s MAXVALUE 99999999999999999999;",
            "out of range for type bigint",
            "1:19",
        ),
        (
            "CREATE SEQUENCE s;\nALTER SEQUENCE s MINVALUE 10 START 5;",
            "START value (5) cannot be less than MINVALUE (10)",
            "2:30",
        ),
        (
            "CREATE SEQUENCE s;\nALTER SEQUENCE s AS text;",
            "sequence type must be smallint, integer, or bigint",
            "2:18",
        ),
        (
            "CREATE SEQUENCE s;\nALTER SEQUENCE s INCREMENT BY 1.5;",
            "invalid input syntax for type bigint",
            "2:31",
        ),
        (
            // PostgreSQL: conflicting or redundant options.
            "CREATE TABLE t (a integer GENERATED ALWAYS AS IDENTITY (AS bigint));",
            "found: AS",
            "1:57",
        ),
        (
            "CREATE TABLE t (a smallint GENERATED ALWAYS AS IDENTITY (MAXVALUE 40000));",
            "MAXVALUE (40000) is out of range for sequence data type smallint",
            "1:58",
        ),
        (
            "CREATE SEQUENCE s;\nALTER SEQUENCE s INCREMENT BY;",
            "expected a number after INCREMENT BY",
            "2:30",
        ),
        (
            "CREATE SEQUENCE s;\nALTER SEQUENCE s FROBNICATE;",
            "unexpected `FROBNICATE`",
            "2:18",
        ),
        (
            "ALTER SEQUENCE nope INCREMENT BY 2;",
            "sequence `nope` does not exist",
            "1:1",
        ),
    ];
    let mut failures = Vec::new();
    for (sql, message, place) in cases {
        let d = refused(sql);
        let ok = d.len() == 1
            && d[0].message.contains(message)
            && d[0].location() == Some(format!("schema.sql:{place}"))
            && d[0].help.is_some();
        if !ok {
            failures.push(format!(
                "{sql}\n(expected `{message}` at {place})\n{}",
                render_all(&d, false)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn restart_is_a_warning_in_schema_sql_and_runs_in_a_migration() {
    let (file, mut d) = parse_file(&Source::new(
        "schema.sql",
        "CREATE SEQUENCE s;\nALTER SEQUENCE s INCREMENT 3 RESTART WITH 7;",
    ));
    let mut declared = Schema::new();
    apply_file(&mut declared, &file, Mode::Declarative, &mut d);
    assert_eq!(d.len(), 1, "{}", render_all(&d, false));
    assert_eq!(d[0].code, codes::IGNORED_STATEMENT);
    assert_eq!(d[0].severity, Severity::Warning);
    assert_eq!(options(&declared, "s").increment, 3);
    assert_eq!(d[0].location().as_deref(), Some("schema.sql:2:30"));
    let migrated = migrate(
        schema("CREATE SEQUENCE s;"),
        "ALTER SEQUENCE s INCREMENT 3 RESTART WITH 7;",
    )
    .unwrap_or_else(|d| panic!("{}", render_all(&d, false)));
    assert_eq!(options(&migrated, "s").increment, 3);
}

#[test]
fn identity_alterations_replay() {
    let from =
        schema("CREATE TABLE t (a integer GENERATED ALWAYS AS IDENTITY, b integer NOT NULL);");
    let after = migrate(
        from,
        "ALTER TABLE t ALTER COLUMN a SET GENERATED BY DEFAULT SET INCREMENT BY 4 SET NO CYCLE RESTART WITH 9;
         ALTER TABLE ONLY t ALTER COLUMN b ADD GENERATED ALWAYS AS IDENTITY (START WITH 3);
         ALTER TABLE t ALTER b SET MAXVALUE 50;
         ALTER TABLE t ALTER COLUMN a TYPE bigint;",
    )
    .unwrap_or_else(|d| panic!("{}", render_all(&d, false)));
    let a = identity(&after, "t", "a");
    assert_eq!(
        (a.increment, a.data_type, a.max_value),
        (4, SequenceType::BigInt, i64::MAX)
    );
    let b = identity(&after, "t", "b");
    assert_eq!((b.start, b.max_value), (3, 50));
    let dropped = migrate(after, "ALTER TABLE t ALTER COLUMN a DROP IDENTITY; ALTER TABLE t ALTER COLUMN a DROP IDENTITY IF EXISTS;")
        .unwrap_or_else(|d| panic!("{}", render_all(&d, false)));
    let t = &dropped.tables[&QualifiedName::public("t")];
    assert!(
        t.column("a")
            .is_some_and(|c| c.identity.is_none() && c.identity_options.is_none())
    );
    let d = migrate(dropped, "ALTER TABLE t ALTER COLUMN a SET INCREMENT BY 2;")
        .err()
        .unwrap_or_default();
    assert_eq!(d.len(), 1);
    assert!(
        d[0].message.contains("is not an identity column"),
        "{}",
        render_all(&d, false)
    );
}

#[test]
fn an_identity_retyped_past_its_bounds_is_refused_as_postgresql_refuses_it() {
    let from =
        schema("CREATE TABLE t (a bigint GENERATED ALWAYS AS IDENTITY (MAXVALUE 10000000000));");
    let d = migrate(from, "ALTER TABLE t ALTER COLUMN a TYPE integer;")
        .err()
        .unwrap_or_default();
    assert_eq!(d.len(), 1);
    assert!(
        d[0].message
            .contains("MAXVALUE (10000000000) is out of range for sequence data type integer"),
        "{}",
        render_all(&d, false)
    );
    let from = schema("CREATE TABLE u (a integer GENERATED ALWAYS AS IDENTITY);");
    let d = migrate(from, "ALTER TABLE u ALTER COLUMN a SET CYCLE SET NO CYCLE;")
        .err()
        .unwrap_or_default();
    assert!(
        d.first()
            .is_some_and(|d| d.message.contains("conflicting or redundant options")),
        "{}",
        render_all(&d, false)
    );
}

#[test]
fn drift_in_options_names_each_difference() {
    let migrated = schema("CREATE SEQUENCE s;");
    let declared = schema("CREATE SEQUENCE s INCREMENT BY 4 CYCLE;");
    let d = schema_core::diff::drift::drift(&migrated, &declared);
    assert_eq!(d.len(), 1);
    let text = render_all(&d, false);
    assert!(text.contains("sequence `s` differs"), "{text}");
    assert!(text.contains("INCREMENT BY 1 → 4"), "{text}");
    assert!(text.contains("NO CYCLE → CYCLE"), "{text}");
}

/// The generated migration, read back as a migration, gives its target (and
/// its down gives the source back).
#[test]
fn generated_migrations_replay_to_their_target() {
    let pairs = [
        (
            "CREATE SEQUENCE s; CREATE SEQUENCE d AS integer INCREMENT -1;
             CREATE TABLE t (id serial, a integer GENERATED ALWAYS AS IDENTITY, b bigint NOT NULL);",
            "CREATE SEQUENCE s AS smallint INCREMENT 3 MINVALUE 10 MAXVALUE 20000 CYCLE;
             CREATE SEQUENCE d AS bigint INCREMENT -1 MAXVALUE -100;
             CREATE SEQUENCE n AS integer START 5;
             CREATE TABLE t (id serial, a bigint GENERATED BY DEFAULT AS IDENTITY (INCREMENT 7 MINVALUE 3),
                             b bigint GENERATED ALWAYS AS IDENTITY (CACHE 4));
             ALTER SEQUENCE t_id_seq CACHE 9;",
        ),
    ];
    for (from_sql, to_sql) in pairs {
        let (from, to) = (schema(from_sql), schema(to_sql));
        let m =
            generate(&from, &to, &Renames::default(), &Postgres).unwrap_or_else(|e| panic!("{e}"));
        let up = migrate(from.clone(), &m.up_sql())
            .unwrap_or_else(|d| panic!("{}\n{}", m.up_sql(), render_all(&d, false)));
        assert!(
            compare(&up, &to).is_empty(),
            "{}\n{:?}",
            m.up_sql(),
            compare(&up, &to)
        );
        let down = migrate(up, &m.down_sql())
            .unwrap_or_else(|d| panic!("{}\n{}", m.down_sql(), render_all(&d, false)));
        assert!(
            compare(&down, &from).is_empty(),
            "{}\n{:?}",
            m.down_sql(),
            compare(&down, &from)
        );
    }
}

/// Hostile option values never panic: each is a located error or accepted.
#[test]
fn odd_option_values_never_panic() {
    for sql in [
        "CREATE SEQUENCE s INCREMENT BY -9223372036854775808;",
        "CREATE SEQUENCE s MINVALUE -9223372036854775808 MAXVALUE 9223372036854775807 INCREMENT -9223372036854775808;",
        "CREATE SEQUENCE s START WITH 'x';",
        "CREATE SEQUENCE s CACHE -1;",
        "CREATE SEQUENCE s INCREMENT 1 INCREMENT 2;",
        "CREATE SEQUENCE s; ALTER SEQUENCE s MAXVALUE -;",
        "CREATE SEQUENCE s; ALTER SEQUENCE s NO;",
        "CREATE SEQUENCE s; ALTER SEQUENCE s OWNED BY;",
        "CREATE SEQUENCE s; ALTER SEQUENCE s START WITH 1 START WITH 2;",
        "ALTER SEQUENCE;",
        "ALTER SEQUENCE IF EXISTS;",
        "CREATE TABLE t (a int); ALTER TABLE t ALTER COLUMN a SET GENERATED;",
        "CREATE TABLE t (a int); ALTER TABLE t ALTER COLUMN SET GENERATED ALWAYS;",
        "CREATE TABLE t (a int); ALTER TABLE t ALTER COLUMN a DROP IDENTITY, ALTER COLUMN a SET NOT NULL;",
        "CREATE TABLE t (a int GENERATED ALWAYS AS IDENTITY); ALTER TABLE t ALTER COLUMN a SET INCREMENT BY 0;",
        "CREATE TABLE t (a int GENERATED ALWAYS AS IDENTITY); ALTER TABLE t ALTER COLUMN a RESTART WITH;",
        "ALTER TABLE t ALTER COLUMN a RESTART",
    ] {
        let _ = parse_schema_str("schema.sql", sql);
        let _ = migrate(Schema::new(), sql);
    }
}
