//! The database is the judge: constants only PostgreSQL can normalise
//! (`timestamptz '0001-01-01'`, `interval '15 minutes'`, `numeric '.5'`) compare
//! equal with what PostgreSQL stores once `schema_runtime::stored::as_stored`
//! has asked the live database, and a real difference is still one.

#![allow(clippy::panic, reason = "a test reports failure by panicking")]

use schema_core::Schema;
use schema_core::diff::compare;
use schema_core::parse::parse_schema_str;
use schema_runtime::introspect::postgres::introspect;
use schema_runtime::stored::as_stored;
use schema_test_support::pg;

const DECLARED: &str = "
CREATE TYPE mood AS ENUM ('1', 'ok');
CREATE TABLE t (
  id bigserial PRIMARY KEY,
  a text DEFAULT '007',
  k timestamptz DEFAULT '0001-01-01',
  l timestamptz DEFAULT now() + interval '15 minutes',
  n numeric DEFAULT '.5',
  d date DEFAULT DATE 'today',
  m mood DEFAULT '1',
  b boolean DEFAULT 'yes',
  j jsonb CHECK (j ? 'k' AND j @> '{\"a\": 1}'),
  w interval CHECK (w > '1 hour'),
  ts timestamp DEFAULT '2020-01-01',
  g numeric GENERATED ALWAYS AS (n * '1.50') STORED,
  CONSTRAINT t_a_excl EXCLUDE USING btree (a text_ops WITH =) WHERE (w > '3 hours')
);
CREATE INDEX t_ts_idx ON t ((ts + interval '1 day')) WHERE l > '2020-01-01';
";

fn parse(sql: &str) -> Schema {
    parse_schema_str("schema.sql", sql).unwrap_or_else(|d| panic!("{d:?}"))
}

fn differences(live: &Schema, declared: &Schema) -> Vec<String> {
    compare(live, declared)
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn constants_postgres_normalises_compare_as_stored() {
    let Some(server) = pg::server() else {
        return;
    };
    let database = server.create_database("schema_stored");
    let mut client = database.connect();
    client
        .batch_execute(DECLARED)
        .unwrap_or_else(|e| panic!("the user's DDL: {e}"));
    let live = introspect(&mut client, &["public"]).unwrap_or_else(|e| panic!("{e}"));
    let declared = parse(DECLARED);

    // Without asking, the canonical form alone sees false drift...
    let naive = differences(&live, &declared);
    assert!(
        naive.iter().any(|d| d.contains('k')),
        "expected the timestamptz constant to differ before asking: {naive:?}"
    );
    // ...which the database's own answer removes.
    let stored = as_stored(&mut client, &declared);
    assert_eq!(differences(&live, &stored), Vec::<String>::new());
    // The user's spelling is still what is written back.
    let column = stored
        .tables
        .values()
        .flat_map(|t| &t.columns)
        .find(|c| c.name == "k")
        .and_then(|c| c.default.as_ref())
        .map(ToString::to_string);
    assert_eq!(column.as_deref(), Some("'0001-01-01'"));

    // A real difference stays one.
    let changed = parse(
        &DECLARED
            .replace("0001-01-01", "0002-01-01")
            .replace("15 minutes", "16 minutes")
            .replace("'1 hour'", "'2 hours'"),
    );
    let stored = as_stored(&mut client, &changed);
    let found = differences(&live, &stored);
    for subject in ["`t.k`", "`t.l`", "`t_w_check`"] {
        assert!(
            found.iter().any(|d| d.contains(subject)),
            "{subject} should differ: {found:#?}"
        );
    }
    assert!(
        found.iter().all(|d| ["`t.k`", "`t.l`", "`t_w_check`"]
            .iter()
            .any(|s| d.contains(s))),
        "only the three edits differ: {found:#?}"
    );

    // Nothing of the asking is left behind.
    let temp_tables: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_class WHERE relpersistence = 't'",
            &[],
        )
        .map(|r| r.get(0))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(temp_tables, 0);
}

#[test]
fn a_table_the_database_cannot_create_is_left_as_declared() {
    let Some(server) = pg::server() else {
        return;
    };
    let database = server.create_database("schema_stored");
    let mut client = database.connect();
    // The live database lacks the enum type the declared table uses.
    let declared = parse(
        "CREATE TYPE missing AS ENUM ('a');
         CREATE TABLE u (m missing DEFAULT 'a', k timestamptz DEFAULT '0001-01-01');",
    );
    let stored = as_stored(&mut client, &declared);
    assert_eq!(stored, declared);
}
