//! Models meet rows: records that `schema!()` generates, that
//! `#[derive(Schema)]` implements and that are written by hand are inserted,
//! found, updated, deleted and listed on SQLite (in memory) and PostgreSQL
//! (a database of its own per test), and what each database returns equals
//! what was written. Raw queries check that the database holds the values in
//! its own types, not just text that reads back.
//!
//! The fixture `tests/fixtures/rows/` has a column of every type the default
//! features map (the `chrono` dates and times, `json`), an enum and arrays,
//! nullable columns, a composite key with names that need quotes, a table
//! whose every column is in the key and a table without a primary key. The
//! types of the other features (`uuid`, `decimal`, `time`) are moved by a
//! hand-written record on a table the test creates.
#![cfg(feature = "chrono")]
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    reason = "a test reports failure by panicking"
)]

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde_json::json;
use sqlschema::runtime::Executor;
use sqlschema::runtime::record::RowValues;
use sqlschema::{Dialect, Field, Model, Record, RowError, Value};

sqlschema::schema!(
    schema = "tests/fixtures/rows/schema.sql",
    migrations = "tests/fixtures/rows/migrations",
);

use models::{Event, Mood, OrderLine, Sample, Tag};
use schema_test_support::pg;

/// A connection that lends an [`Executor`] for each call.
trait Db {
    fn ex(&mut self) -> impl Executor + '_;
}

impl Db for rusqlite::Connection {
    fn ex(&mut self) -> impl Executor + '_ {
        &*self
    }
}

impl Db for postgres::Client {
    fn ex(&mut self) -> impl Executor + '_ {
        self
    }
}

impl Db for postgres::Transaction<'_> {
    fn ex(&mut self) -> impl Executor + '_ {
        self
    }
}

fn sqlite() -> rusqlite::Connection {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    for migration in MIGRATIONS.iter() {
        let script = migration
            .script(Dialect::Sqlite)
            .unwrap_or_else(|e| panic!("{}: {e}", migration.name));
        conn.execute_batch(script.up)
            .unwrap_or_else(|e| panic!("{}: {e}", migration.name));
    }
    conn
}

/// A migrated database of its own, and a connection to it whose session time
/// zone is not UTC (timestamps come back with a `+05:30` offset); `None`
/// when there is no server and none is required.
fn postgres(prefix: &str) -> Option<(pg::TestDatabase, postgres::Client)> {
    let server = pg::server()?;
    let database = server.create_database(prefix);
    let mut client = database.connect();
    for migration in MIGRATIONS.iter() {
        client
            .batch_execute(migration.postgres.up)
            .unwrap_or_else(|e| panic!("{}: {e}", migration.name));
    }
    client
        .batch_execute("SET TIME ZONE 'Asia/Kolkata'")
        .unwrap();
    Some((database, client))
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn time(h: u32, m: u32, s: u32, micro: u32) -> NaiveTime {
    NaiveTime::from_hms_micro_opt(h, m, s, micro).unwrap()
}

fn stamp(d: NaiveDate, t: NaiveTime) -> NaiveDateTime {
    d.and_time(t)
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(ToString::to_string).collect()
}

/// Every column set, with values at the edges of what each type's text form
/// must carry.
fn full() -> Sample {
    Sample {
        id: 1,
        small: i16::MIN,
        big: Some(i64::MIN),
        ratio: Some(0.1),
        score: Some(-1.0e-300),
        name: "O'Brien \"Bob\" {x}".to_string(),
        code: Some("fr".to_string()),
        note: Some("línea 1\nline {2}, \\ end; NULL".to_string()),
        payload: Some(vec![0, 1, 0x7f, 0x80, 0xff]),
        flag: true,
        day: Some(date(2024, 2, 29)),
        at_time: Some(time(23, 59, 59, 999_999)),
        at_timestamp: Some(stamp(date(2024, 1, 5), time(8, 30, 0, 123_456))),
        at_timestamptz: Some(stamp(date(2024, 1, 5), time(8, 30, 0, 500_000)).and_utc()),
        doc: Some(json!({ "a": [1, "two", null], "nested": { "x": 1.5 } })),
        docb: Some(json!([true, { "k": "v \" w" }])),
        tags: strings(&[
            "a",
            "b c",
            "",
            "NULL",
            "quo\"te",
            "comma,",
            "{brace}",
            "back\\slash",
        ]),
        scores: Some(vec![-1, 0, i32::MAX]),
        moods: Some(vec![Mood::Happy, Mood::InProgress, Mood::NA]),
        current_mood: Mood::NA,
        span: Some("1 day 02:03:04".to_string()),
    }
}

/// Every nullable column NULL, empty arrays, a date before year 1.
fn sparse() -> Sample {
    Sample {
        id: 2,
        small: 0,
        big: None,
        ratio: None,
        score: Some(f64::NEG_INFINITY),
        name: String::new(),
        code: None,
        note: None,
        payload: Some(Vec::new()),
        flag: false,
        day: Some(date(-43, 3, 15)),
        at_time: None,
        at_timestamp: None,
        at_timestamptz: None,
        doc: None,
        docb: Some(json!("just a string")),
        tags: Vec::new(),
        scores: Some(Vec::new()),
        moods: None,
        current_mood: Mood::Happy,
        span: None,
    }
}

/// `full()` changed in every column outside the key.
fn changed() -> Sample {
    Sample {
        small: i16::MAX,
        big: None,
        ratio: Some(f32::MAX),
        score: Some(f64::MAX),
        name: "twenty chars exactly".to_string(),
        code: None,
        note: Some(String::new()),
        payload: None,
        flag: false,
        day: None,
        at_time: Some(time(0, 0, 0, 0)),
        at_timestamp: Some(stamp(date(1999, 12, 31), time(23, 59, 59, 1))),
        at_timestamptz: Some(DateTime::<Utc>::UNIX_EPOCH),
        doc: Some(json!(null)),
        docb: None,
        tags: strings(&["only"]),
        scores: None,
        moods: Some(Vec::new()),
        current_mood: Mood::InProgress,
        span: Some("00:00:01".to_string()),
        ..full()
    }
}

/// The same steps on either database: every operation of every model, each
/// judged by what the database gives back.
fn rows_round_trip(db: &mut impl Db) {
    let (full, sparse) = (full(), sparse());
    full.insert(db.ex()).unwrap();
    sparse.insert(db.ex()).unwrap();
    assert_eq!(Sample::find(db.ex(), 1).unwrap().as_ref(), Some(&full));
    assert_eq!(Sample::find(db.ex(), 2).unwrap().as_ref(), Some(&sparse));
    assert_eq!(Sample::find(db.ex(), 3).unwrap(), None);

    let changed = changed();
    assert!(changed.update(db.ex()).unwrap(), "row 1 exists");
    assert_eq!(Sample::find(db.ex(), 1).unwrap().as_ref(), Some(&changed));
    let missing = Sample {
        id: 99,
        ..sparse.clone()
    };
    assert!(!missing.update(db.ex()).unwrap(), "no row 99");
    assert_eq!(
        Sample::all(db.ex()).unwrap(),
        [changed.clone(), sparse.clone()]
    );

    assert!(sparse.delete(db.ex()).unwrap(), "row 2 existed");
    assert!(!sparse.delete(db.ex()).unwrap(), "row 2 is gone");
    assert_eq!(Sample::all(db.ex()).unwrap(), [changed]);

    // A composite key over quoted names, given in key order.
    let lines = [
        OrderLine {
            order_id: 7,
            line: 2,
            r#type: "tea".to_string(),
            quantity: 3,
        },
        OrderLine {
            order_id: 7,
            line: 1,
            r#type: "cake".to_string(),
            quantity: 1,
        },
        OrderLine {
            order_id: 8,
            line: 1,
            r#type: "tea".to_string(),
            quantity: 5,
        },
    ];
    for line in &lines {
        line.insert(db.ex()).unwrap();
    }
    assert_eq!(lines[0].key(), (7, 2));
    assert_eq!(
        OrderLine::find(db.ex(), (7, 2)).unwrap().as_ref(),
        Some(&lines[0])
    );
    let more = OrderLine {
        quantity: 30,
        ..lines[0].clone()
    };
    assert!(more.update(db.ex()).unwrap());
    assert_eq!(
        OrderLine::all(db.ex()).unwrap(),
        [lines[1].clone(), more.clone(), lines[2].clone()],
        "ordered by key"
    );
    assert!(lines[2].delete(db.ex()).unwrap());
    assert_eq!(OrderLine::all(db.ex()).unwrap().len(), 2);
    assert!(OrderLine::delete_by_key(db.ex(), (7, 1)).unwrap());
    assert!(!OrderLine::delete_by_key(db.ex(), (7, 1)).unwrap());
    assert_eq!(OrderLine::all(db.ex()).unwrap(), [more]);

    // Every column in the key: an update changes nothing but finds the row.
    let tag = Tag {
        name: "rust".to_string(),
        lang: "en".to_string(),
    };
    tag.insert(db.ex()).unwrap();
    assert!(tag.update(db.ex()).unwrap());
    assert!(
        !Tag {
            lang: "fr".to_string(),
            ..tag.clone()
        }
        .update(db.ex())
        .unwrap()
    );
    assert!(tag.delete(db.ex()).unwrap());
    assert!(Tag::all(db.ex()).unwrap().is_empty());

    // No primary key: insert and all only (no `find`, `update` or
    // `delete`: tests/ui/pass and the golden file show what is generated).
    let event = Event {
        at: stamp(date(2024, 6, 1), time(12, 0, 0, 0)).and_utc(),
        message: None,
    };
    event.insert(db.ex()).unwrap();
    assert_eq!(Event::all(db.ex()).unwrap(), std::slice::from_ref(&event));

    // A duplicate key is the database's error.
    let err = full.insert(db.ex()).unwrap_err();
    assert!(
        matches!(err, RowError::Sqlite(_) | RowError::Postgres(_)),
        "{err}"
    );
}

#[test]
fn sqlite_moves_rows_of_every_model() {
    rows_round_trip(&mut sqlite());
}

#[test]
fn postgres_moves_rows_of_every_model() {
    let Some((_database, mut client)) = postgres("rows_models") else {
        return;
    };
    rows_round_trip(&mut client);
}

#[test]
fn sqlite_stores_values_in_its_own_types() {
    let conn = sqlite();
    let sample = full();
    sample.insert(&conn).unwrap();
    let row: (String, i64, String, String, String, String, String, String) = conn
        .query_row(
            "SELECT typeof(flag), flag, typeof(payload), hex(payload), typeof(ratio),
                    at_timestamptz, tags, moods
             FROM samples WHERE id = 1",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(
        row,
        (
            "integer".to_string(),
            1,
            "blob".to_string(),
            "00017F80FF".to_string(),
            "real".to_string(),
            "2024-01-05 08:30:00.500000+00:00".to_string(),
            r#"{a,"b c","","NULL","quo\"te","comma,","{brace}","back\\slash"}"#.to_string(),
            r#"{happy,"in progress",N/A}"#.to_string(),
        )
    );
    // The enum's CHECK holds the labels: a label that is not one fails.
    let err = conn
        .execute("UPDATE samples SET current_mood = 'sad' WHERE id = 1", [])
        .unwrap_err();
    assert!(err.to_string().contains("CHECK"), "{err}");
    // A `timestamptz` SQLite wrote itself (no offset) reads as UTC.
    conn.execute(
        "INSERT INTO events (at, message) VALUES ('2024-06-01 12:00:00', 'by hand')",
        [],
    )
    .unwrap();
    let events = Event::all(&conn).unwrap();
    assert_eq!(
        events[0].at,
        stamp(date(2024, 6, 1), time(12, 0, 0, 0)).and_utc()
    );
    // A value that does not convert names its column.
    conn.execute("UPDATE samples SET small = 70000 WHERE id = 1", [])
        .unwrap();
    let err = Sample::find(&conn, 1).unwrap_err();
    assert_eq!(
        err.to_string(),
        "column `samples.small`: expected an i16, found integer 70000: out of range"
    );
    let tx = conn.unchecked_transaction().unwrap();
    assert!(Sample::delete_by_key(&tx, 1).unwrap());
    assert!(Sample::all(&tx).unwrap().is_empty());
}

#[test]
fn postgres_stores_values_in_its_own_types() {
    let Some((_database, mut client)) = postgres("rows_types") else {
        return;
    };
    let sample = full();
    sample.insert(&mut client).unwrap();
    let row = client
        .query_one(
            "SELECT flag, payload, at_timestamptz = '2024-01-05 08:30:00.5+00',
                    tags[2], array_length(tags, 1), tags[3] = '', moods[2]::text,
                    docb -> 1 ->> 'k', code, ratio = real '0.1',
                    span = interval '1 day 2 hours 3 minutes 4 seconds'
             FROM samples WHERE id = 1",
            &[],
        )
        .unwrap();
    assert!(row.get::<_, bool>(0));
    assert_eq!(row.get::<_, Vec<u8>>(1), [0, 1, 0x7f, 0x80, 0xff]);
    assert!(row.get::<_, bool>(2), "the same instant");
    assert_eq!(row.get::<_, String>(3), "b c");
    assert_eq!(row.get::<_, i32>(4), 8);
    assert!(row.get::<_, bool>(5), "an empty element, not NULL");
    assert_eq!(row.get::<_, String>(6), "in progress");
    assert_eq!(row.get::<_, String>(7), "v \" w");
    assert_eq!(row.get::<_, String>(8), "fr");
    assert!(row.get::<_, bool>(9), "real 0.1 exactly");
    assert!(row.get::<_, bool>(10));
    let null_element: bool = client
        .query_one("SELECT tags[4] = 'NULL' FROM samples WHERE id = 1", &[])
        .unwrap()
        .get(0);
    assert!(null_element, "the text NULL, not a NULL element");

    // Modifiers are checked by the column, not cut short by the cast.
    let long = Sample {
        id: 3,
        name: "twenty-one characters".to_string(),
        ..full()
    };
    let err = long.insert(&mut client).unwrap_err();
    assert!(err.to_string().contains("too long"), "{err}");

    // NaN moves as PostgreSQL reads it.
    let nan = Sample {
        id: 4,
        score: Some(f64::NAN),
        ratio: Some(f32::NAN),
        ..full()
    };
    nan.insert(&mut client).unwrap();
    let back = Sample::find(&mut client, 4).unwrap().unwrap();
    assert!(back.score.is_some_and(f64::is_nan) && back.ratio.is_some_and(f32::is_nan));

    assert_eq!(Sample::all(&mut client).unwrap().len(), 2);
}

#[test]
fn postgres_transactions_are_executors() {
    let Some((_database, mut client)) = postgres("rows_transaction") else {
        return;
    };
    let mut tx = client.transaction().unwrap();
    full().insert(&mut tx).unwrap();
    let line = OrderLine {
        order_id: 1,
        line: 1,
        r#type: "tea".to_string(),
        quantity: 1,
    };
    line.insert(&mut tx).unwrap();
    assert_eq!(Sample::find(&mut tx, 1).unwrap(), Some(full()));
    let in_tx = OrderLine::all(&mut tx).unwrap();
    assert_eq!(in_tx, [line]);
    tx.rollback().unwrap();
    assert!(OrderLine::all(&mut client).unwrap().is_empty());
    assert!(Sample::all(&mut client).unwrap().is_empty(), "rolled back");
}

/// A struct checked against its table, in its own field order.
#[derive(sqlschema::Schema, Debug, Clone, PartialEq)]
#[schema(table = "Order Lines", schema = "tests/fixtures/rows/schema.sql")]
struct Line {
    quantity: i32,
    #[schema(column = "type")]
    kind: String,
    line: i16,
    #[schema(column = "orderId")]
    order: i32,
}

fn derived_round_trip(db: &mut impl Db) {
    assert_eq!(
        Line::COLUMN_TYPES,
        ["integer", "text", "smallint", "integer"]
    );
    let line = Line {
        quantity: 2,
        kind: "scone".to_string(),
        line: 1,
        order: 9,
    };
    line.insert(db.ex()).unwrap();
    // The generated model reads the row the derived one wrote.
    let generated = OrderLine::find(db.ex(), (9, 1)).unwrap();
    assert_eq!(
        generated,
        Some(OrderLine {
            order_id: 9,
            line: 1,
            r#type: "scone".to_string(),
            quantity: 2
        })
    );
    let more = Line {
        quantity: 4,
        ..line.clone()
    };
    assert!(more.update(db.ex()).unwrap());
    assert_eq!(Line::find(db.ex(), (9, 1)).unwrap(), Some(more.clone()));
    assert!(more.delete(db.ex()).unwrap());
    assert!(Line::all(db.ex()).unwrap().is_empty());
}

#[test]
fn derived_records_move_rows_on_sqlite_and_postgres() {
    derived_round_trip(&mut sqlite());
    if let Some((_database, mut client)) = postgres("rows_derived") {
        derived_round_trip(&mut client);
    }
}

/// The types of the features `schema`'s tests leave off, in a record written
/// by hand.
#[derive(Debug, Clone, PartialEq)]
struct Extra {
    id: uuid::Uuid,
    price: rust_decimal::Decimal,
    cash: Option<rust_decimal::Decimal>,
    day: Option<time::Date>,
    at_time: Option<time::Time>,
    at: Option<time::PrimitiveDateTime>,
    at_tz: Option<time::OffsetDateTime>,
    amounts: Option<Vec<rust_decimal::Decimal>>,
}

impl Model for Extra {
    const TABLE: &'static str = "extras";
    const COLUMNS: &'static [&'static str] = &[
        "id", "price", "cash", "day", "at_time", "at", "at_tz", "amounts",
    ];
    const PRIMARY_KEY: &'static [&'static str] = &["id"];
}

impl Record for Extra {
    const COLUMN_TYPES: &'static [&'static str] = &[
        "uuid",
        "numeric(10,2)",
        "money",
        "date",
        "time without time zone",
        "timestamp without time zone",
        "timestamp with time zone",
        "numeric[]",
    ];

    fn to_values(&self) -> Vec<Value> {
        vec![
            self.id.to_value(),
            self.price.to_value(),
            self.cash.to_value(),
            self.day.to_value(),
            self.at_time.to_value(),
            self.at.to_value(),
            self.at_tz.to_value(),
            self.amounts.to_value(),
        ]
    }

    fn from_values(values: Vec<Value>) -> Result<Self, RowError> {
        let mut row = RowValues::new::<Self>(values)?;
        Ok(Extra {
            id: row.take("id")?,
            price: row.take("price")?,
            cash: row.take("cash")?,
            day: row.take("day")?,
            at_time: row.take("at_time")?,
            at: row.take("at")?,
            at_tz: row.take("at_tz")?,
            amounts: row.take("amounts")?,
        })
    }

    fn key_values(&self) -> Vec<Value> {
        vec![self.id.to_value()]
    }
}

fn extras() -> [Extra; 2] {
    use rust_decimal::Decimal;
    use time::{Date, Month, PrimitiveDateTime, Time, UtcOffset};
    let day = Date::from_calendar_date(2024, Month::March, 31).unwrap();
    let at_time = Time::from_hms_micro(8, 5, 3, 7).unwrap();
    let at = PrimitiveDateTime::new(day, at_time);
    [
        Extra {
            id: uuid::Uuid::from_u128(0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8),
            price: Decimal::new(1999, 2),
            cash: Some(Decimal::new(-123_456_789, 2)),
            day: Some(day),
            at_time: Some(at_time),
            at: Some(at),
            at_tz: Some(at.assume_offset(UtcOffset::from_hms(-3, -30, 0).unwrap())),
            amounts: Some(vec![
                Decimal::new(15, 1),
                Decimal::ZERO,
                Decimal::new(-7, 3),
            ]),
        },
        Extra {
            id: uuid::Uuid::nil(),
            price: Decimal::new(-5, 0),
            cash: None,
            day: None,
            at_time: None,
            at: None,
            at_tz: None,
            amounts: None,
        },
    ]
}

/// A hand-written record has none of the generated methods: the deprecated
/// `RecordExt` still moves it.
#[allow(deprecated)]
fn extras_round_trip(db: &mut impl Db) {
    use sqlschema::RecordExt;

    let [first, second] = extras();
    first.insert(db.ex()).unwrap();
    second.insert(db.ex()).unwrap();
    let key = [first.id.to_value()];
    assert_eq!(Extra::find(db.ex(), &key).unwrap().as_ref(), Some(&first));
    let changed = Extra {
        price: rust_decimal::Decimal::new(1, 2),
        cash: None,
        ..first.clone()
    };
    assert!(changed.update(db.ex()).unwrap());
    assert_eq!(Extra::all(db.ex()).unwrap(), [second, changed]);
}

#[test]
fn sqlite_moves_uuid_decimal_and_time_types() {
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    // The declared types SQLite's rendering of these columns gives.
    conn.execute_batch(
        "CREATE TABLE extras (id UUID PRIMARY KEY, price NUMERIC(10,2) NOT NULL, cash MONEY,
         day DATE, at_time TIME, at TIMESTAMP, at_tz TIMESTAMPTZ, amounts NUMERIC[])",
    )
    .unwrap();
    extras_round_trip(&mut conn);
}

#[test]
fn postgres_moves_uuid_decimal_and_time_types() {
    let Some((_database, mut client)) = postgres("rows_extras") else {
        return;
    };
    client
        .batch_execute(
            "CREATE TABLE extras (id uuid PRIMARY KEY, price numeric(10,2) NOT NULL, cash money,
             day date, at_time time, at timestamp, at_tz timestamptz, amounts numeric[])",
        )
        .unwrap();
    extras_round_trip(&mut client);
    let cash: String = client
        .query_one(
            "SELECT cash::numeric::text FROM extras WHERE price = -5",
            &[],
        )
        .map(|r| r.get::<_, Option<String>>(0).unwrap_or_default())
        .unwrap();
    assert_eq!(cash, "");
    let row = client
        .query_one(
            "SELECT at_tz = '2024-03-31 11:35:03.000007+00', amounts[3]::text
             FROM extras WHERE id = '67e55044-10b1-426f-9247-bb680e5fe0c8'",
            &[],
        )
        .unwrap();
    assert!(row.get::<_, bool>(0), "the same instant");
    assert_eq!(row.get::<_, String>(1), "-0.007");
}

/// The every-type fixture of the codegen tests, generated with the features
/// `cargo test -p sqlschema --all-features --test rows` turns on, moved through
/// both databases.
#[cfg(all(feature = "uuid", feature = "decimal"))]
mod every_type {
    use serde_json::json;
    use sqlschema::__private::{rust_decimal::Decimal, uuid::Uuid};
    use sqlschema::Dialect;

    use super::{Db, date, pg, stamp, time};

    sqlschema::schema!(
        schema = "tests/fixtures/codegen/every_type/schema.sql",
        migrations = "tests/fixtures/codegen/every_type/migrations",
    );

    use models::{Mood, Sample};

    fn sample() -> Sample {
        Sample {
            id: 1,
            small: -2,
            user_id: Some(3),
            r#type: Some("kind".to_string()),
            ratio: Some(0.5),
            score: Some(1.5),
            price: Some(Decimal::new(1999, 2)),
            cash: Some(Decimal::new(-1050, 2)),
            code: Some("fr".to_string()),
            payload: Some(vec![0, 255]),
            flag: true,
            day: Some(date(2024, 1, 5)),
            at_time: Some(time(8, 30, 0, 1)),
            at_timestamp: Some(stamp(date(2024, 1, 5), time(8, 30, 0, 0))),
            at_timestamptz: Some(stamp(date(2024, 1, 5), time(8, 30, 0, 0)).and_utc()),
            token: Some(Uuid::from_u128(42)),
            doc: Some(json!({ "a": 1 })),
            docb: Some(json!([1, 2])),
            tags: vec!["x".to_string(), "y z".to_string()],
            moods: Some(vec![Mood::Happy, Mood::InProgress]),
            current_mood: Mood::NA,
            span: Some("1 day".to_string()),
            addr: Some("192.168.0.1".to_string()),
        }
    }

    fn round_trip(db: &mut impl Db) {
        let row = sample();
        row.insert(db.ex()).unwrap();
        assert_eq!(Sample::find(db.ex(), 1).unwrap(), Some(row));
    }

    #[test]
    fn every_mapped_type_moves_on_sqlite_and_postgres() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        for migration in MIGRATIONS.iter() {
            let script = migration.script(Dialect::Sqlite).unwrap();
            conn.execute_batch(script.up).unwrap();
        }
        round_trip(&mut conn);
        let Some(server) = pg::server() else {
            return;
        };
        let database = server.create_database("rows_every_type");
        let mut client = database.connect();
        for migration in MIGRATIONS.iter() {
            client.batch_execute(migration.postgres.up).unwrap();
        }
        round_trip(&mut client);
    }
}
