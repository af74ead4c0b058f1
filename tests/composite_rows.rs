//! Composite types meet rows: the structs `schema!()` generates for the
//! composite types of `tests/fixtures/composite_rows/` are written and read
//! through the generated models on PostgreSQL, and what PostgreSQL stores
//! is checked with its own operators: each column's text (`"c"::text`, its
//! `record_out`) against the text the model wrote, attributes picked out by
//! `(c).a`, and rows PostgreSQL built itself (`ROW(...)`) read through the
//! models. The values carry what record text must quote: NULL and empty
//! attributes, quotes, commas, backslashes, parentheses, whitespace, arrays
//! and composites inside composites, arrays of composites.
//!
//! The golden file `tests/fixtures/composite_rows/models.rs` shows the
//! generated code (rewrite it with `SCHEMA_BLESS=1`).
#![cfg(feature = "chrono")]
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    reason = "a test reports failure by panicking"
)]

use std::path::Path;

use chrono::NaiveDate;
use schema_core::codegen::{self, Features};
use schema_test_support::pg;
use sqlschema::{Dialect, Field, Value};

sqlschema::schema!(
    schema = "tests/fixtures/composite_rows/schema.sql",
    migrations = "tests/fixtures/composite_rows/migrations",
);

use models::{Address, Contact, Mood, Nothing, Person};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A migrated database of its own, and a connection to it whose `money`
/// prints in the C locale (`$1,000.00`); `None` when there is no server and
/// none is required.
fn postgres(prefix: &str) -> Option<(pg::TestDatabase, postgres::Client)> {
    let server = pg::server()?;
    let database = server.create_database(prefix);
    let mut client = database.connect();
    for migration in MIGRATIONS.iter() {
        client
            .batch_execute(migration.postgres.up)
            .unwrap_or_else(|e| panic!("{}: {e}", migration.name));
    }
    client.batch_execute("SET lc_monetary TO 'C'").unwrap();
    Some((database, client))
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(ToString::to_string).collect()
}

/// Every attribute set, plainly.
fn plain() -> Address {
    Address {
        street: Some("Main St".to_string()),
        zip: Some(12345),
        note: Some("ok".to_string()),
        mood: Some(Mood::Happy),
        rank: Some(1),
        tags: Some(strings(&["a"])),
        payload: Some(vec![1]),
        flag: Some(true),
        ratio: Some(1.5),
        day: NaiveDate::from_ymd_opt(2024, 2, 29),
        price: Some("$1,000.00".to_string()),
    }
}

/// Attributes with everything record text must quote or escape.
fn tricky() -> Address {
    Address {
        street: Some(r#"O'Brien "Bob", (flat 2) \ back\slash"#.to_string()),
        zip: None,
        note: Some(String::new()),
        mood: Some(Mood::InProgress),
        rank: Some(7),
        tags: Some(strings(&[
            "x y", "", "NULL", "{b}", "q\"uote", "(p)", "c,d",
        ])),
        payload: Some(vec![0, b'\\', b'"', 0xff]),
        flag: Some(false),
        ratio: Some(-0.1),
        day: NaiveDate::from_ymd_opt(-43, 3, 15),
        price: Some("-$0.05".to_string()),
    }
}

/// Every attribute NULL: a value, not a NULL composite.
fn all_null() -> Address {
    Address::default()
}

fn full() -> Person {
    Person {
        id: 1,
        home: Some(tricky()),
        work: plain(),
        contact: Some(Contact {
            name: Some(" Ann \"A\" (x), y\\z ".to_string()),
            home: Some(tricky()),
            previous: Some(vec![all_null(), tricky(), plain()]),
        }),
        history: Some(vec![tricky(), all_null()]),
        verified: Some(plain()),
        empty: Some(Nothing {}),
    }
}

fn sparse() -> Person {
    Person {
        id: 2,
        home: None,
        work: all_null(),
        contact: Some(Contact {
            name: Some(String::new()),
            home: None,
            previous: Some(Vec::new()),
        }),
        history: Some(Vec::new()),
        verified: None,
        empty: None,
    }
}

/// The text PostgreSQL prints for column `column` of row `id`.
fn stored_text(client: &mut postgres::Client, column: &str, id: i32) -> Option<String> {
    client
        .query_one(
            &format!("SELECT {column}::text FROM people WHERE id = $1"),
            &[&id],
        )
        .unwrap()
        .get(0)
}

fn text_of(value: &impl Field) -> Option<String> {
    match value.to_value() {
        Value::Text(text) => Some(text),
        Value::Null => None,
        other => panic!("a composite is text, not {other:?}"),
    }
}

#[test]
fn composite_structs_write_the_text_record_out_prints() {
    assert_eq!(
        text_of(&plain()).as_deref(),
        Some(r#"("Main St",12345,ok,happy,1,{a},"\\x01",t,1.5,2024-02-29,"$1,000.00")"#)
    );
    assert_eq!(text_of(&all_null()).as_deref(), Some("(,,,,,,,,,,)"));
    assert_eq!(text_of(&Nothing {}).as_deref(), Some("()"));
    let back = Address::from_value(tricky().to_value()).unwrap();
    assert_eq!(back, tricky());
    let err = Address::from_value(Value::Text("(1,2)".to_string())).unwrap_err();
    assert_eq!(
        err.to_string(),
        "expected a `address` value (`(a,b)`), found text \"(1,2)\": only 2 of 11 attributes"
    );
}

#[test]
fn postgres_moves_composites_through_the_generated_models() {
    let Some((_database, mut client)) = postgres("composite_rows") else {
        return;
    };
    let (full, sparse) = (full(), sparse());
    full.insert(&mut client).unwrap();
    sparse.insert(&mut client).unwrap();
    assert_eq!(Person::find(&mut client, 1).unwrap(), Some(full.clone()));
    assert_eq!(Person::find(&mut client, 2).unwrap(), Some(sparse.clone()));

    // What PostgreSQL prints is what the model wrote, column by column.
    for (column, text) in [
        ("home", text_of(&full.home)),
        ("work", text_of(&full.work)),
        ("contact", text_of(&full.contact)),
        ("history", text_of(&full.history)),
        ("verified", text_of(&full.verified)),
        ("empty", text_of(&full.empty)),
    ] {
        assert_eq!(stored_text(&mut client, column, 1), text, "{column}");
    }
    assert_eq!(
        stored_text(&mut client, "home", 2),
        None,
        "a NULL composite"
    );
    assert_eq!(
        stored_text(&mut client, "work", 2).as_deref(),
        Some("(,,,,,,,,,,)"),
        "a composite of NULL attributes"
    );

    // PostgreSQL holds each attribute in its own type.
    let row = client
        .query_one(
            "SELECT (home).street, (home).zip IS NULL, (home).note = '', (home).mood::text,
                    (home).tags[3] = 'NULL', (home).tags[2] = '', (home).payload,
                    (home).flag, (home).ratio = -0.1::float8, (home).day = '0044-03-15 BC',
                    (home).price = '-0.05'::money, ((contact).home).street,
                    ((contact).previous[1]).street IS NULL, ((contact).previous[3]).zip,
                    (history[1]).tags[7], (work).price = 1000::money,
                    pg_typeof(verified)::text, (contact).name
             FROM people WHERE id = 1",
            &[],
        )
        .unwrap();
    assert_eq!(
        row.get::<_, String>(0),
        r#"O'Brien "Bob", (flat 2) \ back\slash"#
    );
    assert!(row.get::<_, bool>(1), "a NULL attribute");
    assert!(row.get::<_, bool>(2), "an empty attribute, not NULL");
    assert_eq!(row.get::<_, String>(3), "in progress");
    assert!(row.get::<_, bool>(4), "the text NULL, not a NULL element");
    assert!(row.get::<_, bool>(5), "an empty element");
    assert_eq!(row.get::<_, Vec<u8>>(6), [0, b'\\', b'"', 0xff]);
    assert!(!row.get::<_, bool>(7));
    assert!(row.get::<_, bool>(8), "-0.1 exactly");
    assert!(row.get::<_, bool>(9), "a date before year 1");
    assert!(row.get::<_, bool>(10));
    assert_eq!(
        row.get::<_, String>(11),
        r#"O'Brien "Bob", (flat 2) \ back\slash"#
    );
    assert!(row.get::<_, bool>(12), "a composite of NULLs in an array");
    assert_eq!(row.get::<_, i32>(13), 12345);
    assert_eq!(row.get::<_, String>(14), "c,d");
    assert!(row.get::<_, bool>(15));
    assert_eq!(row.get::<_, String>(16), "verified_address");
    assert_eq!(row.get::<_, String>(17), " Ann \"A\" (x), y\\z ");

    // Update and list, judged by what comes back.
    let changed = Person {
        home: Some(all_null()),
        work: tricky(),
        contact: None,
        history: Some(vec![plain()]),
        empty: Some(Nothing {}),
        ..sparse.clone()
    };
    assert!(changed.update(&mut client).unwrap());
    assert_eq!(Person::all(&mut client).unwrap(), [full, changed]);

    // A domain's check still judges what the model writes.
    let bad = Person {
        id: 3,
        work: Address {
            rank: Some(0),
            ..plain()
        },
        ..sparse
    };
    let err = bad.insert(&mut client).unwrap_err();
    assert!(err.to_string().contains("positive_check"), "{err}");
}

/// Rows PostgreSQL builds itself, from `ROW(...)` and literals, read through
/// the models.
#[test]
fn postgres_built_composites_read_through_the_models() {
    let Some((_database, mut client)) = postgres("composite_rows_built") else {
        return;
    };
    client
        .batch_execute(
            r#"INSERT INTO people (id, home, work, contact, history, empty) VALUES (
                5,
                ROW(' lead', NULL, '', 'in progress', 2, ARRAY['NULL', '', 'a"b'],
                    '\x5c22'::bytea, true, 'Infinity', '2024-01-05', '1.5')::address,
                '(x,,,,,,,,,,)',
                ROW('n', ROW('in', 1, NULL, NULL, NULL, '{}', NULL, NULL, NULL, NULL, NULL)::address,
                    ARRAY[ROW(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::address])::contact,
                '{}',
                '()'
            )"#,
        )
        .unwrap();
    let empty_address = all_null();
    let expected = Person {
        id: 5,
        home: Some(Address {
            street: Some(" lead".to_string()),
            zip: None,
            note: Some(String::new()),
            mood: Some(Mood::InProgress),
            rank: Some(2),
            tags: Some(strings(&["NULL", "", "a\"b"])),
            payload: Some(b"\\\"".to_vec()),
            flag: Some(true),
            ratio: Some(f64::INFINITY),
            day: NaiveDate::from_ymd_opt(2024, 1, 5),
            price: Some("$1.50".to_string()),
        }),
        work: Address {
            street: Some("x".to_string()),
            ..all_null()
        },
        contact: Some(Contact {
            name: Some("n".to_string()),
            home: Some(Address {
                street: Some("in".to_string()),
                zip: Some(1),
                tags: Some(Vec::new()),
                ..all_null()
            }),
            previous: Some(vec![empty_address]),
        }),
        history: Some(Vec::new()),
        verified: None,
        empty: Some(Nothing {}),
    };
    assert_eq!(Person::find(&mut client, 5).unwrap(), Some(expected));
}

/// With feature `serde`, composite structs serialize by attribute name.
#[cfg(feature = "serde")]
#[test]
fn composite_structs_serialize_by_attribute_name() {
    let value = serde_json::to_value(full()).unwrap();
    assert_eq!(value["work"]["street"], "Main St");
    assert_eq!(value["contact"]["previous"][1]["mood"], "in progress");
    assert_eq!(value["home"]["zip"], serde_json::Value::Null);
    let back: Person = serde_json::from_value(value).unwrap();
    assert_eq!(back, full());
}

/// SQLite has no composite types (nor domains): the migration is refused,
/// so no SQLite database ever holds a column of these models.
#[test]
fn sqlite_refuses_the_migration_of_composite_types() {
    for migration in MIGRATIONS.iter() {
        let err = migration.script(Dialect::Sqlite).unwrap_err();
        assert!(
            err.to_string().starts_with("SQLite cannot express"),
            "{err}"
        );
    }
}

/// The models of the fixture, formatted, are the golden file (rewrite it
/// with `SCHEMA_BLESS=1`).
#[test]
fn generated_composite_models_match_the_golden_file() {
    let dir = Path::new(ROOT).join("tests/fixtures/composite_rows");
    let sql = std::fs::read_to_string(dir.join("schema.sql")).unwrap();
    let schema = schema_core::parse::parse_schema_str("schema.sql", &sql)
        .unwrap_or_else(|d| panic!("{}", schema_core::diagnostic::render_all(&d, false)));
    let tokens = codegen::models(&schema, Features::DEFAULT)
        .unwrap_or_else(|d| panic!("{}", schema_core::diagnostic::render_all(&d, false)));
    let file: syn::File = syn::parse2(tokens).unwrap_or_else(|e| panic!("{e}"));
    let text = format!(
        "// @generated by schema_core::codegen::models from tests/fixtures/composite_rows/schema.sql\n\
         // (default features). Regenerate: SCHEMA_BLESS=1 cargo test --test composite_rows\n\n{}",
        prettyplease::unparse(&file)
    );
    let golden = dir.join("models.rs");
    if std::env::var_os("SCHEMA_BLESS").is_some() {
        std::fs::write(&golden, &text).unwrap();
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_default();
    assert!(
        expected == text,
        "generated models differ from {}; rerun with SCHEMA_BLESS=1 and review the diff\n{text}",
        golden.display()
    );
}
