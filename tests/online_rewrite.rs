//! The database is the judge of `schema_core::lint::rewrite`: for every column
//! type change in the matrix, PostgreSQL's `ALTER TABLE ... ALTER COLUMN c TYPE`
//! rewrites the table (a new `pg_class.relfilenode`) exactly when
//! `column_type_change` says `Rewrite`, and rebuilds a plain index on the
//! column while keeping the table exactly when it says `RebuildsIndexes`.
//!
//! What PostgreSQL 15 showed, besides the rules in the module's documentation:
//! - The pairs that keep the table but rebuild the plain index on the column
//!   (the operator class changes) are `bit(4)` → `varbit` (`bit_ops` →
//!   `varbit_ops`) and, in a zero-offset session zone only, `timestamp` ↔
//!   `timestamptz` (also `timestamp(3)` → `timestamptz` and → `timestamptz(6)`).
//!   None of the pairs the function calls `Free` rebuilds it; those two are
//!   what `TypeChange::RebuildsIndexes` is for.
//! - An index on an expression of the column (`(c IS NULL)` here) is rebuilt by
//!   every change, the free ones and `text` → `text` included: PostgreSQL never proves an
//!   expression or partial index unchanged.
//! - `timestamp(3)` → `timestamptz(3)` rewrites even in UTC: once the
//!   conversion is skipped, the length coercion no longer knows the old
//!   precision. So does `bit(4)` → `varbit(8)` (the binary relabel loses the
//!   length) while `bit(4)` → `varbit` does not.
//! - `varchar(10)[]` → `varchar[]` is free but `varchar(10)[]` →
//!   `varchar(20)[]`, `varchar[]` → `text[]` and `cidr[]` → `inet[]` rewrite:
//!   arrays are coerced element by element.

#![allow(clippy::panic, reason = "a test reports failure by panicking")]

use postgres::Client;
use schema_core::lint::rewrite::{
    SessionTimeZone, TypeChange, column_type_change, column_type_change_in_zone,
};
use schema_core::model::SqlType;
use schema_test_support::pg;

/// One `ALTER COLUMN c TYPE` to try.
struct Case {
    from: &'static str,
    to: &'static str,
    /// The expression each of the rows gets (`g` is 1, 2, 3).
    value: &'static str,
    /// `SET TimeZone` before the change, and what the function is told.
    zone: Option<(&'static str, SessionTimeZone)>,
    /// Whether the type has a default btree operator class (`xml`, `json` have none).
    index: bool,
    /// The function answers `Rewrite` on purpose where PostgreSQL may do
    /// less (named types: it cannot see a domain's constraints).
    conservative: bool,
}

fn case(from: &'static str, to: &'static str, value: &'static str) -> Case {
    Case {
        from,
        to,
        value,
        zone: None,
        index: true,
        conservative: false,
    }
}

impl Case {
    fn in_zone(self, zone: &'static str, kind: SessionTimeZone) -> Case {
        Case {
            zone: Some((zone, kind)),
            ..self
        }
    }

    fn no_index(self) -> Case {
        Case {
            index: false,
            ..self
        }
    }

    fn conservative(self) -> Case {
        Case {
            conservative: true,
            ..self
        }
    }
}

const UTC: SessionTimeZone = SessionTimeZone::Utc;
const OTHER: SessionTimeZone = SessionTimeZone::Unknown;

fn matrix() -> Vec<Case> {
    let mut cases = vec![
        // The same type.
        case("text", "text", "g::text"),
        case("varchar(10)", "character varying(10)", "g::text"),
        case("mood", "mood", "'ok'"),
        // varchar and text.
        case("varchar(10)", "varchar(20)", "g::text"),
        case("varchar(20)", "varchar(10)", "g::text"),
        case("varchar(10)", "varchar", "g::text"),
        case("varchar(10)", "text", "g::text"),
        case("varchar", "text", "g::text"),
        case("text", "varchar", "g::text"),
        case("text", "varchar(10)", "g::text"),
        case("varchar", "varchar(10)", "g::text"),
        case("xml", "text", "NULL").no_index(),
        case("xml", "varchar", "NULL").no_index(),
        case("xml", "varchar(10)", "NULL").no_index(),
        // char.
        case("char(4)", "char(8)", "g::text"),
        case("char(4)", "text", "g::text"),
        case("char(4)", "varchar", "g::text"),
        case("text", "char(4)", "g::text"),
        case("varchar(4)", "char(4)", "g::text"),
        // numeric.
        case("numeric(10,2)", "numeric(12,2)", "g + 0.5"),
        case("numeric(10,2)", "numeric(8,2)", "g + 0.5"),
        case("numeric(10,2)", "numeric", "g + 0.5"),
        case("numeric(10,2)", "numeric(12,3)", "g + 0.5"),
        case("numeric", "numeric(12,3)", "g + 0.5"),
        case("integer", "numeric", "g"),
        // Bit strings (`bit(n)` → `bit(m)` refuses values of another
        // length without `USING`, so those rows are NULL).
        case("varbit(4)", "varbit(8)", "B'101'"),
        case("varbit(4)", "varbit", "B'101'"),
        case("varbit(8)", "varbit(4)", "B'101'"),
        case("varbit", "varbit(4)", "B'101'"),
        case("bit(4)", "bit(8)", "NULL"),
        case("bit(4)", "varbit", "B'1010'"),
        case("bit(4)", "varbit(8)", "B'1010'"),
        case("varbit(4)", "bit(4)", "B'1010'"),
        // time and timestamp precision.
        case("timestamp(3)", "timestamp(6)", "now()"),
        case("timestamp(3)", "timestamp", "now()"),
        case("timestamp", "timestamp(6)", "now()"),
        case("timestamp", "timestamp(3)", "now()"),
        case("timestamp(6)", "timestamp(3)", "now()"),
        case("timestamptz(3)", "timestamptz(5)", "now()"),
        case("time(3)", "time(6)", "now()"),
        case("time(3)", "time", "now()"),
        case("time", "time(3)", "now()"),
        case("timetz(3)", "timetz(5)", "now()"),
        case("timetz(3)", "timetz(2)", "now()"),
        case("time", "timetz", "now()"),
        case("timestamp", "date", "now()"),
        // interval fields and precision.
        case("interval(3)", "interval(6)", "g * interval '1 day'"),
        case("interval(3)", "interval", "g * interval '1 day'"),
        case("interval", "interval(3)", "g * interval '1 day'"),
        case("interval day", "interval", "g * interval '1 day'"),
        case("interval", "interval day", "g * interval '1 day'"),
        case(
            "interval year",
            "interval year to month",
            "g * interval '1 year'",
        ),
        case("interval hour", "interval day", "g * interval '1 hour'"),
        case("interval day", "interval hour", "g * interval '1 day'"),
        case(
            "interval day to second",
            "interval day to second(3)",
            "g * interval '1 day'",
        ),
        case(
            "interval second(2)",
            "interval minute",
            "g * interval '1 minute'",
        ),
        // Other scalars.
        case("cidr", "inet", "'10.0.0.0/8'"),
        case("inet", "cidr", "'10.0.0.0/8'"),
        case("integer", "bigint", "g"),
        case("smallint", "integer", "g"),
        case("bigint", "integer", "g"),
        case("real", "double precision", "g"),
        case("json", "jsonb", "'{}'").no_index(),
        case("macaddr", "macaddr8", "'08:00:2b:01:02:03'"),
        case("uuid", "text", "gen_random_uuid()"),
        case("mood", "text", "'ok'"),
        // Arrays.
        case("varchar(10)[]", "varchar(20)[]", "ARRAY[g::text]"),
        case("varchar(10)[]", "varchar[]", "ARRAY[g::text]"),
        case("numeric(10,2)[]", "numeric[]", "ARRAY[g + 0.5]"),
        case("varchar[]", "text[]", "ARRAY[g::text]"),
        case("text[]", "varchar[]", "ARRAY[g::text]"),
        case("cidr[]", "inet[]", "ARRAY['10.0.0.0/8'::cidr]"),
        case("integer[]", "bigint[]", "ARRAY[g]"),
        // Domains: the function cannot see that `short_text` has no
        // constraint, so it answers `Rewrite` where PostgreSQL does nothing.
        case("text", "short_text", "g::text").conservative(),
        case("short_text", "text", "g::text").conservative(),
        case("text", "checked_text", "g::text"),
    ];
    // timestamp ↔ timestamptz: in UTC and in zones with other offsets (the
    // server's own default may well be UTC, so the other zones are set too).
    for (zone, kind) in [
        ("UTC", UTC),
        ("+00:00", UTC),
        ("America/New_York", OTHER),
        ("Europe/London", OTHER),
    ] {
        for (from, to) in [
            ("timestamp", "timestamptz"),
            ("timestamptz", "timestamp"),
            ("timestamp(3)", "timestamptz"),
            ("timestamp(3)", "timestamptz(6)"),
            ("timestamp(3)", "timestamptz(3)"),
            ("timestamp", "timestamptz(3)"),
            ("timestamp[]", "timestamptz[]"),
        ] {
            let value = if from.ends_with("[]") {
                "ARRAY[now()]"
            } else {
                "now()"
            };
            cases.push(case(from, to, value).in_zone(zone, kind));
        }
    }
    cases
}

const FIXTURES: &str = "
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE DOMAIN short_text AS text;
CREATE DOMAIN checked_text AS text CHECK (VALUE <> '');
";

/// The storage of the table, of the plain index on `c` and of the index on an
/// expression of `c`.
#[derive(PartialEq, Eq)]
struct Files {
    table: u32,
    index: Option<u32>,
    expression_index: u32,
}

fn relfilenode(client: &mut Client, relation: &str) -> Result<u32, String> {
    client
        .query_one(
            "SELECT relfilenode FROM pg_class WHERE oid = $1::text::regclass",
            &[&relation],
        )
        .map(|row| row.get::<_, postgres::types::Oid>(0))
        .map_err(|e| format!("relfilenode of {relation}: {e}"))
}

fn files(client: &mut Client, table: &str, index: bool) -> Result<Files, String> {
    Ok(Files {
        table: relfilenode(client, table)?,
        index: if index {
            Some(relfilenode(client, &format!("{table}_c"))?)
        } else {
            None
        },
        expression_index: relfilenode(client, &format!("{table}_e"))?,
    })
}

/// What PostgreSQL did: its `TypeChange`, and whether it rebuilt the
/// expression index.
fn observe(client: &mut Client, n: usize, c: &Case) -> Result<(TypeChange, bool), String> {
    let table = format!("rw_{n}");
    let mut setup = format!(
        "CREATE TABLE {table} (id integer, c {from});
         CREATE INDEX {table}_e ON {table} ((c IS NULL));
         INSERT INTO {table} SELECT g, {value} FROM generate_series(1, 3) g;",
        from = c.from,
        value = c.value,
    );
    if c.index {
        setup.push_str(&format!("CREATE INDEX {table}_c ON {table} (c);"));
    }
    client
        .batch_execute(&setup)
        .map_err(|e| format!("setup: {e}"))?;
    if let Some((zone, _)) = c.zone {
        client
            .batch_execute(&format!("SET TimeZone = '{zone}'"))
            .map_err(|e| format!("SET TimeZone: {e}"))?;
    }
    let before = files(client, &table, c.index)?;
    let altered =
        client.batch_execute(&format!("ALTER TABLE {table} ALTER COLUMN c TYPE {}", c.to));
    client
        .batch_execute("RESET TimeZone")
        .map_err(|e| format!("RESET TimeZone: {e}"))?;
    altered.map_err(|e| format!("ALTER: {e}"))?;
    let after = files(client, &table, c.index)?;
    let change = if after.table != before.table {
        TypeChange::Rewrite
    } else if after.index != before.index {
        TypeChange::RebuildsIndexes
    } else {
        TypeChange::Free
    };
    Ok((change, after.expression_index != before.expression_index))
}

/// What a change can show on the table of `case`: without an index on the
/// column, rebuilding its indexes is no work at all.
fn visible(change: TypeChange, case: &Case) -> TypeChange {
    if change == TypeChange::RebuildsIndexes && !case.index {
        TypeChange::Free
    } else {
        change
    }
}

fn parse(text: &str) -> Result<SqlType, String> {
    SqlType::parse(text).map_err(|e| format!("`{text}` does not parse: {e}"))
}

#[test]
fn column_type_changes_rewrite_exactly_when_postgres_does() {
    let Some(server) = pg::server() else {
        return;
    };
    let db = server.create_database("online_rewrite");
    let mut client = db.connect();
    client
        .batch_execute(FIXTURES)
        .unwrap_or_else(|e| panic!("fixtures: {e}"));
    let version_num: String = client
        .query_one("SELECT current_setting('server_version_num')", &[])
        .unwrap_or_else(|e| panic!("server_version_num: {e}"))
        .get(0);
    let version = version_num
        .parse::<u32>()
        .unwrap_or_else(|e| panic!("server_version_num `{version_num}`: {e}"))
        / 10_000;

    let cases = matrix();
    assert!(cases.len() >= 30, "the matrix has {} pairs", cases.len());
    let mut wrong = Vec::new();
    let mut seen = Vec::new();
    for (n, c) in cases.iter().enumerate() {
        let zone = c
            .zone
            .map_or(String::new(), |(z, _)| format!(" [TimeZone {z}]"));
        let pair = format!("{} -> {}{zone}", c.from, c.to);
        let result = observe(&mut client, n, c)
            .and_then(|observed| Ok((observed, parse(c.from)?, parse(c.to)?)));
        let ((observed, expression_rebuilt), from, to) = match result {
            Ok(r) => r,
            Err(e) => {
                wrong.push(format!("{pair}: {e}"));
                continue;
            }
        };
        seen.push(format!("{pair}: {observed:?}"));
        let kind = c.zone.map_or(SessionTimeZone::Unknown, |(_, k)| k);
        let told = visible(column_type_change_in_zone(&from, &to, version, kind), c);
        let default = visible(column_type_change(&from, &to, version), c);
        if c.conservative {
            if told != TypeChange::Rewrite || default != TypeChange::Rewrite {
                wrong.push(format!(
                    "{pair}: PostgreSQL {observed:?}, the function {told:?} (zone known) / {default:?} (zone not known); expected the conservative Rewrite"
                ));
            }
            continue;
        }
        if told != observed {
            wrong.push(format!(
                "{pair}: PostgreSQL {observed:?}, column_type_change_in_zone {told:?}"
            ));
        }
        // Not told the zone, the function cannot know it is UTC: there it
        // says Rewrite (the rule chosen); elsewhere it agrees with PostgreSQL.
        let chosen = if kind == SessionTimeZone::Utc {
            TypeChange::Rewrite
        } else {
            observed
        };
        if default != chosen {
            wrong.push(format!(
                "{pair}: PostgreSQL {observed:?}, column_type_change {default:?}, expected {chosen:?}"
            ));
        }
        if !expression_rebuilt {
            wrong.push(format!(
                "{pair}: the index on `(c IS NULL)` kept its storage (PostgreSQL was expected to rebuild it)"
            ));
        }
    }
    eprintln!(
        "PostgreSQL {version}, {} pairs:\n{}",
        cases.len(),
        seen.join("\n")
    );
    assert!(
        wrong.is_empty(),
        "PostgreSQL {version}: {} of {} pairs disagree:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}
