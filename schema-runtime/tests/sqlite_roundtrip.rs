//! SQLite round trips: every diff fixture (`tests/fixtures/diff/` and
//! `tests/fixtures/diff_sqlite/`) is created on an embedded database, filled
//! with rows, migrated up and down with the SQLite renderer, and compared with
//! its model through introspection (what SQLite reports, not the SQL we sent);
//! plus hand-written checks of the table-rebuild procedure.
//!
//! Migrations run the way the renderer documents it: when one switches foreign
//! keys off, that happens before its transaction.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support_sqlite;

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use schema_core::Schema;
use schema_core::diff::{Renames, diff, renames_from_hints};
use schema_core::migrations::generate::generate;
use schema_core::render::{Renderer, Sqlite};
use support_sqlite::{Outcome, apply, assert_live, count, open, round_trip, schema};

/// One fixture case: its `from.sql` and `to.sql` through [`round_trip`].
fn run_case(dir: &Path, with_rows: bool) -> Result<Outcome, String> {
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).map_err(|e| format!("{f}: {e}"));
    let (from, to) = (read("from.sql")?, read("to.sql")?);
    let label = dir.display().to_string();
    round_trip(&from, &to, Some(&label), with_rows)
}

fn case_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut out = Vec::new();
    for set in ["diff", "diff_sqlite"] {
        let Ok(entries) = std::fs::read_dir(root.join(set)) else {
            continue;
        };
        for e in entries.flatten() {
            if e.path().join("from.sql").is_file() {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_diff_fixture_round_trips_through_sqlite() {
    let dirs = case_dirs();
    assert!(!dirs.is_empty(), "no fixture cases found");
    let (mut ran, mut skipped, mut failures) = (0usize, Vec::new(), Vec::new());
    for dir in &dirs {
        let name = dir
            .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures"))
            .unwrap_or(dir)
            .display()
            .to_string();
        match run_case(dir, true) {
            Ok(Outcome::Ran) => ran += 1,
            Ok(Outcome::RanWithoutRows(why)) => {
                ran += 1;
                println!(
                    "ran without rows: {name}: {}",
                    why.lines().next().unwrap_or("")
                );
            }
            Ok(Outcome::Unsupported(why)) => {
                println!("unsupported on SQLite: {name}: {why}");
                if !refusal_is_recorded(dir) {
                    failures.push(format!(
                        "{name}: SQLite refuses it ({why}), but no golden \
                         `expected/sqlite.{{up,down}}.error` records that refusal: a case \
                         that ran on SQLite before must keep running (or bless the refusal \
                         with SCHEMA_BLESS=1 cargo test -p sqlschema --test diff_golden and \
                         review it)"
                    ));
                }
                skipped.push(name);
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    println!(
        "{ran} of {} cases ran, {} unsupported on SQLite",
        dirs.len(),
        skipped.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // A floor, not a ratio: PostgreSQL-only features add cases SQLite
    // refuses (each blessed above); this catches SQLite quietly running far
    // fewer cases than the 91 it ran when the floor was set. Raise it as
    // SQLite-capable cases are added.
    const AT_LEAST: usize = 90;
    assert!(
        ran >= AT_LEAST,
        "only {ran} of {} cases ran on SQLite (at least {AT_LEAST} did before)",
        dirs.len()
    );
}

/// Whether the case's reviewed goldens record that SQLite refuses it: every case
/// SQLite cannot run is one whose refusal was blessed (PostgreSQL-only features
/// add such cases; a case that silently stops running on SQLite fails instead).
fn refusal_is_recorded(dir: &Path) -> bool {
    ["sqlite.up.error", "sqlite.down.error"]
        .iter()
        .any(|f| dir.join("expected").join(f).is_file())
}

/// Creates `from` (with `rows` inserted by SQL), migrates to `to`, checks the
/// live schema; returns the connection.
fn migrate(from: &str, rows: &str, to: &str) -> (Connection, Schema, Schema) {
    let (from, to) = (schema(from), schema(to));
    let empty = Schema::new();
    let conn = open();
    let create = Sqlite
        .render(&diff(&empty, &from, &Renames::default()), &empty, &from)
        .unwrap();
    apply(&conn, &create).unwrap();
    conn.execute_batch(rows).unwrap();
    let renames = renames_from_hints(&from, &to).unwrap();
    let m = generate(&from, &to, &renames, &Sqlite).unwrap();
    apply(&conn, &m.up).unwrap_or_else(|e| panic!("{e}\n{}", m.up_sql()));
    assert_live(&conn, &to, "after up").unwrap();
    (conn, from, to)
}

#[test]
fn changing_a_column_type_keeps_the_rows() {
    let (conn, ..) = migrate(
        "create table t (id integer primary key, amount text not null);",
        "insert into t values (1, '12'), (2, '7');",
        "create table t (id integer primary key, amount bigint not null);",
    );
    let amounts: Vec<(i64, String)> = conn
        .prepare("select amount, typeof(amount) from t order by id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        amounts,
        vec![(12, "integer".to_string()), (7, "integer".to_string())]
    );
}

#[test]
fn a_not_null_column_with_a_default_is_added_to_a_table_with_rows() {
    let (conn, ..) = migrate(
        "create table t (id integer primary key, name text not null);",
        "insert into t values (1, 'a'), (2, 'b');",
        "create table t (id integer primary key, name text not null,
            active boolean not null default true,
            created_at timestamp not null default current_timestamp,
            seen timestamptz default now());",
    );
    let ok: i64 = conn
        .query_row(
            "select count(*) from t where active = 1 and created_at is not null and seen is not null",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(ok, 2);
}

#[test]
fn a_column_used_by_an_index_and_a_unique_constraint_is_dropped() {
    let (conn, ..) = migrate(
        "create table t (id integer primary key, name text not null, code text, unique (name, code));
         create index t_code on t (code);
         create index t_lower_code on t (lower(code)) where code is not null;",
        "insert into t values (1, 'a', 'x'), (2, 'b', 'y');",
        "create table t (id integer primary key, name text not null);",
    );
    assert_eq!(count(&conn, "t"), 2);
    let indexes: i64 = conn
        .query_row(
            "select count(*) from sqlite_schema where type = 'index' and tbl_name = 't'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(indexes, 0);
}

#[test]
fn a_changed_check_is_enforced_and_a_violating_row_stops_the_rebuild() {
    let (conn, ..) = migrate(
        "create table t (id integer primary key, qty integer constraint qty_ok check (qty > 0));",
        "insert into t values (1, 20), (2, 30);",
        "create table t (id integer primary key, qty integer constraint qty_ok check (qty > 10));",
    );
    assert_eq!(count(&conn, "t"), 2);
    assert!(conn.execute("insert into t values (3, 5)", []).is_err());

    // A row the new check refuses: the rebuild fails and nothing changes.
    let from = schema("create table t (id integer primary key, qty integer check (qty > 0));");
    let to = schema("create table t (id integer primary key, qty integer check (qty > 10));");
    let conn = open();
    let empty = Schema::new();
    apply(
        &conn,
        &Sqlite
            .render(&diff(&empty, &from, &Renames::default()), &empty, &from)
            .unwrap(),
    )
    .unwrap();
    conn.execute_batch("insert into t values (1, 5);").unwrap();
    let m = generate(&from, &to, &Renames::default(), &Sqlite).unwrap();
    assert!(apply(&conn, &m.up).is_err());
    assert_live(&conn, &from, "after a failed up").unwrap();
    assert_eq!(count(&conn, "t"), 1);
}

#[test]
fn an_added_enum_label_is_accepted_after_the_rebuild() {
    let (conn, ..) = migrate(
        "create type mood as enum ('happy', 'sad');
         create table t (id integer primary key, mood mood not null default 'happy');",
        "insert into t (id) values (1); insert into t values (2, 'sad');",
        "create type mood as enum ('happy', 'meh', 'sad');
         create table t (id integer primary key, mood mood not null default 'happy');",
    );
    assert_eq!(count(&conn, "t"), 2);
    conn.execute("insert into t values (3, 'meh')", []).unwrap();
    assert!(
        conn.execute("insert into t values (4, 'angry')", [])
            .is_err()
    );
}

#[test]
fn a_serial_key_keeps_counting_after_a_rebuild() {
    let (conn, ..) = migrate(
        "create table t (id bigserial primary key, name text);",
        "insert into t (name) values ('a'), ('b'), ('c'); delete from t where id = 3;",
        "create table t (id bigserial primary key, name text not null default '');",
    );
    conn.execute("insert into t (name) values ('d')", [])
        .unwrap();
    let id: i64 = conn
        .query_row("select id from t where name = 'd'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(id, 4, "AUTOINCREMENT never reuses a value");
}

#[test]
fn what_sqlite_cannot_express_is_unsupported_naming_the_change() {
    let from = schema("create table t (id integer primary key);");
    for (to, change) in [
        (
            "create table t (id integer primary key, tags varchar(20)[]);",
            "add column `t.tags`",
        ),
        (
            "create schema app; create table t (id integer primary key); create table app.u (id int primary key);",
            "app",
        ),
        (
            "create table t (id integer primary key); create index on t using gin (id);",
            "create index `t_id_idx`",
        ),
        ("create table t (id integer primary key, n serial);", "t.n"),
    ] {
        let to = schema(to);
        let err = generate(&from, &to, &Renames::default(), &Sqlite).unwrap_err();
        assert_eq!(err.dialect, "SQLite");
        assert!(
            err.to_string().contains(change),
            "`{err}` does not name `{change}`"
        );
    }
}

#[test]
fn a_schema_written_by_hand_reads_as_its_postgresql_declaration() {
    let sql = "create table parent (id integer primary key, code text not null unique);
        create table child (
            id integer primary key,
            parent_id integer references parent (id) on delete cascade,
            qty integer check (qty > 0),
            constraint few check (qty < 100)
        );
        create index child_parent on child (parent_id desc) where parent_id is not null;
        create unique index child_qty on child ((qty + 1));";
    let conn = open();
    conn.execute_batch(sql).unwrap();
    assert_live(&conn, &schema(sql), "hand-written").unwrap();
}
