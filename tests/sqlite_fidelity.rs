//! SQLite gets what the user wrote (issue 9): the data statements of
//! migrations reach a SQLite file in their place, enum labels that look like
//! numbers are read back exactly as written, and enum labels named like the
//! generated enums' own items (`err`, `from_str`, `ALL`, ...) compile and
//! round-trip.
//!
//! The fixture `tests/fixtures/sqlite_fidelity/` has a migration of data
//! statements only, and one mixing `CREATE TABLE`, `INSERT`, `ALTER` and
//! `UPDATE` where each data statement needs the table as it is at its place.
//! That this file compiles is the codegen half of the test: the generated
//! enums would not compile if a variant met one of their own items.
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    reason = "a test reports failure by panicking"
)]

use std::path::PathBuf;

use sqlschema::runtime::migrator::DownTo;
use sqlschema::{Field, Migrator, SqliteDriver};

sqlschema::schema!(
    schema = "tests/fixtures/sqlite_fidelity/schema.sql",
    migrations = "tests/fixtures/sqlite_fidelity/migrations",
);

use models::{Code, Item, Note, Setting, Shout, Verdict};

/// A fresh database file of its own, removed when dropped.
struct TempDb(PathBuf);

impl TempDb {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!(
            "schema-sqlite-fidelity-{}-{name}.db",
            std::process::id()
        ));
        let _ = std::fs::remove_file(&path);
        TempDb(path)
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn migrated(name: &str) -> (TempDb, SqliteDriver) {
    let file = TempDb::new(name);
    let mut db = SqliteDriver::open(&file.0).unwrap();
    let report = Migrator::new(&MIGRATIONS).up(&mut db).unwrap();
    assert_eq!(report.steps.len(), 3);
    (file, db)
}

fn settings(db: &SqliteDriver) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = Setting::all(db.connection())
        .unwrap()
        .into_iter()
        .map(|s| (s.key, s.value))
        .collect();
    rows.sort();
    rows
}

#[test]
fn a_migration_of_data_statements_only_fills_a_sqlite_file() {
    let script = MIGRATIONS
        .iter()
        .find(|m| m.name == "seed_settings")
        .unwrap()
        .script(sqlschema::Dialect::Sqlite)
        .unwrap();
    assert!(
        script
            .up
            .contains("INSERT INTO settings VALUES ('zeros', '007');"),
        "{}",
        script.up
    );
    let (_file, mut db) = migrated("seed");
    assert_eq!(
        settings(&db),
        vec![
            ("motto".to_string(), "it's; fine".to_string()),
            ("theme".to_string(), "dark".to_string()),
            ("zeros".to_string(), "007".to_string()),
        ]
    );
    // Its down.sql is data too: reverting the two latest migrations empties
    // `settings` (and drops `notes`).
    Migrator::new(&MIGRATIONS)
        .down(&mut db, DownTo::Steps(2))
        .unwrap();
    assert_eq!(settings(&db), Vec::new());
}

#[test]
fn data_statements_meet_each_table_as_it_is_at_their_place() {
    let (_file, db) = migrated("notes");
    let mut notes = Note::all(db.connection()).unwrap();
    notes.sort_by_key(|n| n.id);
    let got: Vec<(i32, &str, i32)> = notes
        .iter()
        .map(|n| (n.id, n.body.as_str(), n.stars))
        .collect();
    assert_eq!(
        got,
        vec![(1, "FIRST", 0), (2, "second", 20), (3, "", 0)],
        "the INSERT ran before `legacy` was dropped, the UPDATEs after `stars` was added and after the rebuild"
    );
}

#[test]
fn enum_labels_that_look_like_numbers_read_back_as_written() {
    let (_file, db) = migrated("codes");
    let conn = db.connection();
    for (id, code) in (1..).zip(Code::ALL) {
        Item {
            id,
            code: *code,
            verdict: None,
            shout: None,
        }
        .insert(conn)
        .unwrap();
    }
    // Written by hand, and by SQLite itself from the default '007'.
    conn.execute("INSERT INTO items (id, code) VALUES (100, '1e3')", [])
        .unwrap();
    conn.execute("INSERT INTO items (id) VALUES (101)", [])
        .unwrap();
    let mut read = Item::all(conn).unwrap();
    read.sort_by_key(|i| i.id);
    let labels: Vec<&str> = read.iter().map(|i| i.code.as_str()).collect();
    assert_eq!(
        labels,
        vec!["1e3", "007", "1", ".5", "-0", "0x10", "1e3", "007"]
    );
    // Stored as text, not as numbers SQLite would have made of them.
    let stored: Vec<(String, String)> = conn
        .prepare("SELECT code, typeof(code) FROM items ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (value, kind) in &stored {
        assert_eq!(kind, "text", "{value}");
    }
    assert_eq!(stored[0].0, "1e3");
}

#[test]
fn labels_named_like_generated_items_compile_and_round_trip() {
    let names: Vec<String> = Verdict::ALL.iter().map(|v| format!("{v:?}")).collect();
    assert_eq!(
        names,
        vec![
            "Err", "Ok", "FromStr", "AsStr", "ALL_", "All", "None", "Self_", "ToValue"
        ]
    );
    for v in Verdict::ALL {
        assert_eq!(v.as_str().parse::<Verdict>().unwrap(), *v);
        assert_eq!(v.to_string(), v.as_str());
        assert_eq!(Verdict::from_value(v.to_value()).unwrap(), *v);
    }
    assert_eq!("err".parse::<Verdict>().unwrap(), Verdict::Err);
    assert!("Err".parse::<Verdict>().is_err());
    assert_eq!(Shout::ALL, &[Shout::Err, Shout::Ok, Shout::All]);
    assert_eq!(Shout::All.as_str(), "ALL");

    let (_file, db) = migrated("verdicts");
    let conn = db.connection();
    for (id, (verdict, shout)) in (1..).zip(Verdict::ALL.iter().zip(Shout::ALL.iter().cycle())) {
        let item = Item {
            id,
            code: Code::V1,
            verdict: Some(*verdict),
            shout: Some(*shout),
        };
        item.insert(conn).unwrap();
        assert_eq!(Item::find(conn, id).unwrap(), Some(item));
    }
}
