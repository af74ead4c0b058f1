//! The SQLite round-trip harness shared by `sqlite_roundtrip.rs` (the diff
//! fixtures) and `sqlite_property.rs` (random schema pairs): an in-memory
//! database created from a model with the SQLite renderer, rows inserted that
//! satisfy the constraints, migrations run the way the renderer documents it
//! (when one switches foreign keys off, that happens before its transaction),
//! and the live schema compared with its model through introspection.

#![allow(dead_code)] // each test crate takes what it needs
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use rusqlite::Connection;
use rusqlite::types::Value;
use schema_core::Schema;
use schema_core::diff::{Renames, compare, diff, renames_from_hints};
use schema_core::migrations::generate::generate;
use schema_core::model::{ConstraintKind, QualifiedName, SqlType, Table};
use schema_core::parse::parse_schema_str;
use schema_core::render::sqlite::comparable;
use schema_core::render::{Renderer, Sqlite, Statement, to_script};
use schema_runtime::introspect::sqlite::introspect;

pub(crate) const ROWS: usize = 3;

pub(crate) fn schema(sql: &str) -> Schema {
    match parse_schema_str("t.sql", sql) {
        Ok(s) => s,
        Err(d) => panic!("{}", schema_core::diagnostic::render_all(&d, false)),
    }
}

/// A model as SQLite can hold it, columns in name order (column order is not
/// part of a schema's identity: `ADD COLUMN` appends).
pub(crate) fn normalized(s: &Schema) -> Schema {
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
pub(crate) fn apply(conn: &Connection, statements: &[Statement]) -> Result<(), String> {
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

pub(crate) fn open() -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch("PRAGMA foreign_keys=ON;").unwrap();
    conn
}

pub(crate) fn count(conn: &Connection, table: &str) -> i64 {
    conn.query_row(
        &format!("SELECT count(*) FROM \"{}\"", table.replace('"', "\"\"")),
        [],
        |r| r.get(0),
    )
    .unwrap()
}

/// Asserts the live schema is `expected` (as SQLite can hold it) and that the
/// diff between them is empty.
pub(crate) fn assert_live(conn: &Connection, expected: &Schema, when: &str) -> Result<(), String> {
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
pub(crate) fn parents_first(s: &Schema) -> Vec<&Table> {
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
pub(crate) fn value(s: &Schema, ty: &SqlType, i: usize, variant: usize) -> Option<Value> {
    use SqlType as T;
    let n = i64::try_from(i).ok()? + 1;
    Some(match ty {
        T::SmallInt | T::Integer | T::BigInt => Value::Integer(n),
        T::Real | T::DoublePrecision | T::Numeric { .. } | T::Money => Value::Real(n as f64 + 0.5),
        T::Text | T::Varchar(_) | T::Char(_) => Value::Text(format!("v{i}")),
        T::Bytea => Value::Blob(vec![u8::try_from(i).ok()?]),
        T::Boolean => Value::Integer(i64::from(i.is_multiple_of(2))),
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
pub(crate) fn fill(conn: &Connection, s: &Schema) -> BTreeMap<QualifiedName, i64> {
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
pub(crate) enum Outcome {
    /// Ran with rows.
    Ran,
    /// Ran, but only without rows: the migration fails on the rows the harness
    /// inserted (as it would on PostgreSQL).
    RanWithoutRows(String),
    /// SQLite cannot express it.
    Unsupported(String),
}

/// The round trip of `from_text` to `to_text` on a new in-memory database:
/// create `from` (it reads back as exactly its model), fill it with rows when
/// `with_rows`, migrate up (the live schema is `to`, nothing left to diff, the
/// surviving tables keep their rows), migrate down (the live schema is `from`,
/// rows kept). A migration that fails on the harness's rows is run again
/// without rows ([`Outcome::RanWithoutRows`]). `label` names the case in the
/// note about tables no row could be inserted into (none when `None`).
///
/// # Errors
/// The first check that fails, with the generated SQL when there is some.
pub(crate) fn round_trip(
    from_text: &str,
    to_text: &str,
    label: Option<&str>,
    with_rows: bool,
) -> Result<Outcome, String> {
    let from = parse_schema_str("from.sql", from_text)
        .map_err(|d| schema_core::diagnostic::render_all(&d, false))?;
    let to = parse_schema_str("to.sql", to_text)
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
    if let Some(label) = label.filter(|_| !empty_tables.is_empty()) {
        println!(
            "no rows could be inserted into {} of {label}",
            empty_tables.join(", ")
        );
    }
    if let Err(e) = apply(&conn, &migration.up) {
        let msg = format!("up: {e}\n{}", migration.up_sql());
        if with_rows {
            round_trip(from_text, to_text, label, false)
                .map_err(|again| format!("{msg}\nwithout rows: {again}"))?;
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
