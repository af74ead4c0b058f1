//! The demo schema.sql and a real `pg_dump --schema-only` of it parse to the same model.

#![allow(clippy::panic, clippy::expect_used)] // test helpers fail loudly

use schema_core::parse::parse_schema_str;

fn read(path: &str) -> String {
    let full = format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("reading {full}: {e}"))
}

#[test]
fn demo_schema_and_its_pg_dump_give_one_model() {
    let declared = parse_schema_str("schema.sql", &read("schema.sql"))
        .unwrap_or_else(|d| panic!("{}", schema_core::diagnostic::render_all(&d, false)));
    let dumped = parse_schema_str("demo.sql", &read("tests/fixtures/pg_dump/demo.sql"))
        .unwrap_or_else(|d| panic!("{}", schema_core::diagnostic::render_all(&d, false)));
    assert_eq!(declared.tables.len(), 7);
    assert_eq!(declared, dumped);
}
