//! SQLite round trips: every diff fixture (`tests/fixtures/diff/` and
//! `tests/fixtures/diff_sqlite/`) is created on an embedded database, filled
//! with rows, migrated up and down with the SQLite renderer, and compared with
//! its model through introspection (what SQLite reports, not the SQL we sent);
//! plus hand-written checks of the table-rebuild procedure.
//!
//! Migrations run the way the renderer documents it: when one switches foreign
//! keys off, that happens before its transaction.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use rusqlite::types::Value;
use schema_core::Schema;
use schema_core::diff::{Renames, compare, diff, renames_from_hints};
use schema_core::migrations::generate::generate;
use schema_core::model::{ConstraintKind, QualifiedName, SqlType, Table};
use schema_core::parse::parse_schema_str;
use schema_core::render::sqlite::comparable;
use schema_core::render::{Renderer, Sqlite, Statement, to_script};
use schema_runtime::sqlite::introspect;

const ROWS: usize = 3;

fn schema(sql: &str) -> Schema {
    match parse_schema_str("t.sql", sql) {
        Ok(s) => s,
        Err(d) => panic!("{}", schema_core::diagnostic::render_all(&d, false)),
    }
}

/// A model as SQLite can hold it, columns in name order (column order is not
/// part of a schema's identity: `ADD COLUMN` appends).
fn normalized(s: &Schema) -> Schema {
    let mut out = comparable(s);
    let names: Vec<QualifiedName> = out.tables.keys().cloned().collect();
    for n in names {
        if let Some(t) = out.tables.get_mut(&n) {
            t.columns.sort_by(|a, b| a.name.cmp(&b.name));
        }
    }
    out
}

/// Runs a migration as a migrator must: foreign keys off before the
/// transaction when it asks for it, a failed `foreign_key_check` rolls back.
fn apply(conn: &Connection, statements: &[Statement]) -> Result<(), String> {
    let fk_off = statements
        .iter()
        .any(|s| s.sql == "PRAGMA foreign_keys=OFF;");
    if fk_off {
        conn.execute_batch("PRAGMA foreign_keys=OFF;")
            .map_err(|e| e.to_string())?;
    }
    conn.execute_batch("BEGIN;").map_err(|e| e.to_string())?;
    let run = || -> Result<(), String> {
        for s in statements {
            if s.sql.starts_with("PRAGMA foreign_key_check") {
                let mut stmt = conn.prepare(&s.sql).map_err(|e| e.to_string())?;
                let broken = stmt
                    .query_map([], |r| r.get::<_, String>(0))
                    .map_err(|e| e.to_string())?
                    .count();
                if broken > 0 {
                    return Err(format!("{broken} foreign key violation(s)"));
                }
            } else {
                conn.execute_batch(&s.sql)
                    .map_err(|e| format!("{e}\nin: {}", s.sql))?;
            }
        }
        Ok(())
    };
    let result = run();
    let end = if result.is_ok() {
        "COMMIT;"
    } else {
        "ROLLBACK;"
    };
    conn.execute_batch(end).map_err(|e| e.to_string())?;
    conn.execute_batch("PRAGMA foreign_keys=ON;")
        .map_err(|e| e.to_string())?;
    result
}

fn open() -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch("PRAGMA foreign_keys=ON;").unwrap();
    conn
}

fn count(conn: &Connection, table: &str) -> i64 {
    conn.query_row(
        &format!("SELECT count(*) FROM \"{}\"", table.replace('"', "\"\"")),
        [],
        |r| r.get(0),
    )
    .unwrap()
}

/// Asserts the live schema is `expected` (as SQLite can hold it) and that the
/// diff between them is empty.
fn assert_live(conn: &Connection, expected: &Schema, when: &str) -> Result<(), String> {
    let live = introspect(conn).map_err(|e| format!("{when}: {e}"))?;
    let changes = compare(&normalized(&live), &normalized(expected));
    if !changes.is_empty() || normalized(&live) != normalized(expected) {
        let list: Vec<String> = changes.iter().map(ToString::to_string).collect();
        return Err(format!(
            "{when}: live schema differs: [{}]\nlive: {:#?}\nexpected: {:#?}",
            list.join("; "),
            normalized(&live),
            normalized(expected)
        ));
    }
    Ok(())
}

/// Tables with the tables they reference first.
fn parents_first(s: &Schema) -> Vec<&Table> {
    let mut left: Vec<&Table> = s.tables.values().collect();
    let mut out = Vec::new();
    while !left.is_empty() {
        let ready = left.iter().position(|t| {
            t.constraints.values().all(|c| match &c.kind {
                ConstraintKind::ForeignKey(fk) => {
                    fk.ref_table == t.name || !left.iter().any(|l| l.name == fk.ref_table)
                }
                _ => true,
            })
        });
        out.push(left.remove(ready.unwrap_or(0)));
    }
    out
}

/// A value of type `ty` for row `i`; `None` when the harness has none.
fn value(s: &Schema, ty: &SqlType, i: usize, variant: usize) -> Option<Value> {
    use SqlType as T;
    let n = i64::try_from(i).ok()? + 1;
    Some(match ty {
        T::SmallInt | T::Integer | T::BigInt => Value::Integer(n),
        T::Real | T::DoublePrecision | T::Numeric { .. } | T::Money => Value::Real(n as f64 + 0.5),
        T::Text | T::Varchar(_) | T::Char(_) => Value::Text(format!("v{i}")),
        T::Bytea => Value::Blob(vec![u8::try_from(i).ok()?]),
        T::Boolean => Value::Integer(i64::from(i % 2 == 0)),
        T::Date => Value::Text(format!("2024-01-0{n}")),
        T::Time { .. } => Value::Text(format!("12:00:0{i}")),
        T::Timestamp { .. } => Value::Text(format!("2024-01-01 00:00:0{i}")),
        T::Interval { .. } => Value::Text(format!("{n} days")),
        T::Uuid => Value::Text(format!("00000000-0000-0000-0000-00000000000{i}")),
        T::Json | T::Jsonb => Value::Text(format!("{{\"n\": {i}}}")),
        T::Xml => Value::Text("<a/>".to_string()),
        T::Inet => Value::Text(format!("10.0.0.{n}")),
        T::Cidr => Value::Text(format!("10.0.{n}.0/24")),
        T::MacAddr => Value::Text(format!("08:00:2b:01:02:0{i}")),
        T::Array(_) => Value::Text("{}".to_string()),
        T::Named(e) => {
            let labels = &s.enums.get(e)?.values;
            Value::Text(labels.get(variant % labels.len().max(1))?.clone())
        }
        _ => return None,
    })
}

/// Inserts up to [`ROWS`] rows in each table that values can be found for;
/// returns the row count of every table.
fn fill(conn: &Connection, s: &Schema) -> BTreeMap<QualifiedName, i64> {
    for t in parents_first(s) {
        'row: for i in 0..ROWS {
            for variant in 0..6 {
                let (label, nulls) = (variant / 2, variant % 2 == 1);
                let mut names = Vec::new();
                let mut values = Vec::new();
                let mut possible = true;
                for c in &t.columns {
                    let numbered = c.identity.is_some()
                        || c.default
                            .as_ref()
                            .is_some_and(|d| d.nextval_sequence().is_some());
                    if numbered || c.generated.is_some() {
                        continue;
                    }
                    let fk = t.constraints.values().find_map(|k| match &k.kind {
                        ConstraintKind::ForeignKey(fk) if fk.columns.contains(&c.name) => Some(fk),
                        _ => None,
                    });
                    let v = if let Some(fk) = fk {
                        let pos = fk.columns.iter().position(|x| *x == c.name).unwrap_or(0);
                        let parent = fk.ref_table.name.replace('"', "\"\"");
                        let col = fk.ref_columns[pos].replace('"', "\"\"");
                        let sql = format!(
                            "SELECT \"{col}\" FROM \"{parent}\" ORDER BY rowid LIMIT 1 OFFSET {i}"
                        );
                        let found: Option<Value> = conn.query_row(&sql, [], |r| r.get(0)).ok();
                        match found {
                            Some(v) if fk.ref_table != t.name => v,
                            _ if c.nullable => Value::Null,
                            _ => {
                                possible = false;
                                break;
                            }
                        }
                    } else if nulls && c.nullable {
                        Value::Null
                    } else {
                        match value(s, &c.data_type, i, label) {
                            Some(v) => v,
                            None if c.nullable || c.default.is_some() => continue,
                            None => {
                                possible = false;
                                break;
                            }
                        }
                    };
                    names.push(format!("\"{}\"", c.name.replace('"', "\"\"")));
                    values.push(v);
                }
                if !possible {
                    break 'row;
                }
                let sql = if names.is_empty() {
                    format!("INSERT INTO \"{}\" DEFAULT VALUES", t.name.name)
                } else {
                    let marks: Vec<String> = (1..=names.len()).map(|k| format!("?{k}")).collect();
                    format!(
                        "INSERT INTO \"{}\" ({}) VALUES ({})",
                        t.name.name.replace('"', "\"\""),
                        names.join(", "),
                        marks.join(", ")
                    )
                };
                if conn
                    .execute(&sql, rusqlite::params_from_iter(values.iter()))
                    .is_ok()
                {
                    continue 'row;
                }
            }
        }
    }
    s.tables
        .keys()
        .map(|n| (n.clone(), count(conn, &n.name)))
        .collect()
}

/// What became of one fixture case.
enum Outcome {
    /// Ran with rows.
    Ran,
    /// Ran, but only without rows: the migration fails on the rows the harness
    /// inserted (as it would on PostgreSQL).
    RanWithoutRows(String),
    /// SQLite cannot express it.
    Unsupported(String),
}

fn run_case(dir: &Path, with_rows: bool) -> Result<Outcome, String> {
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).map_err(|e| format!("{f}: {e}"));
    let from = parse_schema_str("from.sql", &read("from.sql")?)
        .map_err(|d| schema_core::diagnostic::render_all(&d, false))?;
    let to = parse_schema_str("to.sql", &read("to.sql")?)
        .map_err(|d| schema_core::diagnostic::render_all(&d, false))?;
    let renames = renames_from_hints(&from, &to)
        .map_err(|d| schema_core::diagnostic::render_all(&d, false))?;
    let empty = Schema::new();
    let create = match Sqlite.render(&diff(&empty, &from, &Renames::default()), &empty, &from) {
        Ok(c) => c,
        Err(u) => return Ok(Outcome::Unsupported(format!("from.sql: {u}"))),
    };
    let migration = match generate(&from, &to, &renames, &Sqlite) {
        Ok(m) => m,
        Err(u) => return Ok(Outcome::Unsupported(format!("migration: {u}"))),
    };
    let conn = open();
    apply(&conn, &create).map_err(|e| format!("create: {e}\n{}", to_script(&create)))?;
    // Rendered from the model, the database reads back as exactly the model.
    let live = introspect(&conn).map_err(|e| format!("after create: {e}"))?;
    if live != comparable(&from) {
        return Err(format!(
            "after create: introspect != from\nlive: {live:#?}\nfrom: {:#?}",
            comparable(&from)
        ));
    }
    let before = if with_rows {
        fill(&conn, &from)
    } else {
        BTreeMap::new()
    };
    let empty_tables: Vec<String> = before
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(t, _)| t.to_string())
        .collect();
    if !empty_tables.is_empty() {
        println!(
            "no rows could be inserted into {} of {}",
            empty_tables.join(", "),
            dir.display()
        );
    }
    if let Err(e) = apply(&conn, &migration.up) {
        let msg = format!("up: {e}\n{}", migration.up_sql());
        if with_rows {
            run_case(dir, false).map_err(|again| format!("{msg}\nwithout rows: {again}"))?;
            return Ok(Outcome::RanWithoutRows(msg));
        }
        return Err(msg);
    }
    assert_live(&conn, &to, "after up").map_err(|e| format!("{e}\n{}", migration.up_sql()))?;
    let live = introspect(&conn).map_err(|e| e.to_string())?;
    let left = diff(&live, &comparable(&to), &Renames::default());
    if !left.is_empty() {
        return Err(format!("diff(live, to) after up is not empty: {left:?}"));
    }
    let target = |old: &QualifiedName| {
        renames
            .tables
            .iter()
            .find(|(o, _)| o == old)
            .map_or_else(|| old.clone(), |(_, n)| n.clone())
    };
    for (table, n) in &before {
        let now = target(table);
        if to.tables.contains_key(&now) {
            let after = count(&conn, &now.name);
            if after != *n {
                return Err(format!("`{table}` had {n} rows, has {after} after up"));
            }
        }
    }
    apply(&conn, &migration.down).map_err(|e| format!("down: {e}\n{}", migration.down_sql()))?;
    assert_live(&conn, &from, "after down")
        .map_err(|e| format!("{e}\n{}", migration.down_sql()))?;
    for (table, n) in &before {
        if to.tables.contains_key(&target(table)) {
            let after = count(&conn, &table.name);
            if after != *n {
                return Err(format!("`{table}` had {n} rows, has {after} after down"));
            }
        }
    }
    Ok(Outcome::Ran)
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
    assert!(
        ran * 5 >= dirs.len() * 4,
        "only {ran} of {} cases ran on SQLite",
        dirs.len()
    );
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
