//! Which `ALTER COLUMN ... TYPE` changes make PostgreSQL rewrite the table
//! (and rebuild its indexes), by server version.
//!
//! PostgreSQL decides in `ATColumnChangeRequiresRewrite` (`tablecmds.c`): it
//! builds the assignment coercion from the old column to the new type, lets
//! the planner simplify it, and skips the rewrite only when what is left is
//! the column itself under binary relabelings (`RelabelType`), unconstrained
//! domain coercions, or (from 12) the `timestamp` ↔ `timestamptz` conversion
//! in a zero-offset session time zone. The planner removes a length coercion
//! (`varchar(n)`, `numeric(p,s)`, `varbit(n)`, `time(p)`, `timetz(p)`,
//! `timestamp(p)`, `timestamptz(p)`, `interval ... (p)`) through the type's
//! support function when the new modifier accepts every old value; `bpchar`
//! and `bit` have no such function. When the table is not rewritten, an
//! index on the plain column keeps its storage if its operator class does not
//! change (`CheckIndexCompatible`); otherwise it is rebuilt.
//!
//! The rules, checked against a live server by `tests/online_rewrite.rs`:
//!
//! | from → to | answer |
//! |---|---|
//! | the same type and modifier | [`TypeChange::Free`] |
//! | `varchar(n)` → `varchar(m)`, `m >= n`; `varchar[(n)]` → `varchar`, `text` | `Free` |
//! | `text` → `varchar` (no limit); `xml` → `text`, `varchar` (no limit) | `Free` |
//! | `varchar` or `text` → `varchar(n)` (or a smaller limit) | [`TypeChange::Rewrite`] |
//! | `numeric(p,s)` → `numeric(q,s)`, `q >= p`; `numeric[(p,s)]` → `numeric` | `Free` |
//! | `numeric` → `numeric(p,s)`; a smaller precision; any change of scale | `Rewrite` |
//! | `varbit(n)` → `varbit(m)`, `m >= n`; `varbit[(n)]` → `varbit` | `Free` |
//! | `varbit` → `varbit(n)`; a smaller limit | `Rewrite` |
//! | `bit(n)` → `varbit` (no limit) | [`TypeChange::RebuildsIndexes`] (`bit_ops` → `varbit_ops`) |
//! | `bit(n)` → `bit(m)`, `varbit(m)`; `varbit` → `bit(n)` | `Rewrite` |
//! | `char(n)` → anything else (`char(m)`, `text`, `varchar`: through `rtrim`) | `Rewrite` |
//! | `text`, `varchar` → `char(n)` | `Rewrite` |
//! | `time(p)`, `timetz(p)`, `timestamp(p)`, `timestamptz(p)` → the same type with `q >= p`, `(6)` or no precision | `Free` |
//! | the same with a smaller precision, or from no precision to `(q)`, `q < 6` | `Rewrite` |
//! | `interval [fields] [(p)]` → one whose least field is not larger and, when the old least field is `second`, whose precision is not smaller | `Free` |
//! | other `interval` changes (`interval` → `interval day`, `interval hour` → `interval day`) | `Rewrite` |
//! | `timestamp[(p)]` ↔ `timestamptz` (or `(6)`), PostgreSQL >= 12, session zone of offset 0 | `RebuildsIndexes` (see [`column_type_change_in_zone`]) |
//! | `timestamp` ↔ `timestamptz` otherwise (before 12, another zone, a zone not known, a target precision below 6) | `Rewrite` |
//! | `time` ↔ `timetz` | `Rewrite` |
//! | `cidr` → `inet` | `Free` (both index with `inet_ops`) |
//! | `inet` → `cidr`, `smallint` → `integer` → `bigint`, `real` → `double precision`, `json` → `jsonb`, any other pair | `Rewrite` |
//! | `T[]` → `T[]` of the same element type without a modifier (`varchar(10)[]` → `varchar[]`) | `Free` |
//! | any other array change, even `varchar(10)[]` → `varchar(20)[]` or `varchar[]` → `text[]` | `Rewrite` (an `ArrayCoerceExpr` always rewrites) |
//! | a named type (enum, domain, extension type) → the same name | `Free` |
//! | to or from a different named type | `Rewrite`: conservative (see below) |
//!
//! Named types: the types alone do not say whether a domain has constraints
//! (an unconstrained domain over `text` would be free from `text`, a
//! constrained one is checked by a rewrite) nor which casts an extension
//! type has (`citext` ↔ `text` is binary), so a change to or from a named
//! type other than itself is reported as a rewrite.
//!
//! What changed between PostgreSQL 10 and 18:
//! - 12: `timestamp` ↔ `timestamptz` no longer rewrites when the session
//!   `TimeZone` has a fixed offset of zero (`UTC`, `Etc/UTC`, `GMT`, `+00:00`;
//!   not `Europe/London`; `TimestampTimestampTzRequiresRewrite`); the indexes
//!   on the column are still rebuilt (their operator class changes). Before
//!   12 it always rewrites.
//! - Nothing else in these rules moved: the length-coercion support functions
//!   (`protransform` until 11, `prosupport` from 12) and the binary casts
//!   date from 9.1/9.2, and PostgreSQL 15's negative `numeric` scales follow
//!   the same `numeric` rule. Versions below 10 are answered as 10, above 18
//!   as 18.
//!
//! What none of the answers cover: an index whose expression or predicate
//! mentions the column is always rebuilt, even when the change is
//! [`TypeChange::Free`] or to the very same type (PostgreSQL does not try to prove such an index
//! unchanged); a `USING` clause, a change of collation, and non-btree
//! operator classes are out of scope.

use crate::model::SqlType;

/// What a column type change costs on a table that holds rows, ordered from
/// the cheapest to the costliest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeChange {
    /// The catalog changes and nothing else: no rewrite, no scan, and a plain
    /// index on the column keeps its storage. (An index whose expression or
    /// predicate mentions the column is still rebuilt.)
    Free,
    /// The table keeps its storage, but every index on the column is rebuilt
    /// (its operator class changes, e.g. `bit_ops` → `varbit_ops`) under the
    /// `ACCESS EXCLUSIVE` lock. Without an index on the column it costs what
    /// [`TypeChange::Free`] does.
    RebuildsIndexes,
    /// Every row is rewritten (and every index on the table rebuilt) under
    /// an `ACCESS EXCLUSIVE` lock.
    Rewrite,
}

/// What the session that runs the migration has as its `TimeZone`, the one
/// setting a type change's cost depends on (`timestamp` ↔ `timestamptz`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SessionTimeZone {
    /// A zone with a fixed offset of zero: `UTC`, `Etc/UTC`, `GMT`, `+00:00`
    /// (a zone with daylight saving time, such as `Europe/London`, is not one
    /// even in winter).
    Utc,
    /// Any other zone, or a zone not known: a linter reading migration files
    /// cannot know the `TimeZone` of the session that will run them.
    #[default]
    Unknown,
}

/// What changing a column from `from` to `to` (without `USING`) costs on
/// PostgreSQL `pg_version` (the major version: 13, 15, ...), when the session's
/// time zone is not known.
///
/// `timestamp` ↔ `timestamptz` is therefore a [`TypeChange::Rewrite`]:
/// PostgreSQL 12 and later skip the rewrite only when the session `TimeZone`
/// has an offset of zero, which a linter cannot see; see
/// [`column_type_change_in_zone`] for the answer in a known zone.
pub fn column_type_change(from: &SqlType, to: &SqlType, pg_version: u32) -> TypeChange {
    column_type_change_in_zone(from, to, pg_version, SessionTimeZone::Unknown)
}

/// [`column_type_change`] for a session whose time zone is `zone`: with
/// [`SessionTimeZone::Utc`] on PostgreSQL 12 and later, `timestamp` ↔
/// `timestamptz` keeps the table (its indexes are rebuilt), unless the new
/// type has a precision below 6.
pub fn column_type_change_in_zone(
    from: &SqlType,
    to: &SqlType,
    pg_version: u32,
    zone: SessionTimeZone,
) -> TypeChange {
    use SqlType as T;
    use TypeChange::{Free, RebuildsIndexes, Rewrite};

    // The same type and modifier: the coercion is the column itself.
    if normalized(from) == normalized(to) {
        return Free;
    }
    match (from, to) {
        // The same element type to no modifier: the column itself again (the
        // array type and its modifier-free target need no coercion). Any
        // other change coerces element by element (`ArrayCoerceExpr`),
        // which PostgreSQL never proves a no-op.
        (T::Array(a), T::Array(b)) => free_if(same_base_type(a, b) && unconstrained(b)),
        // Binary casts (`pg_cast.castmethod = 'b'`) to a type without limit.
        (T::Varchar(_) | T::Text | T::Xml, T::Text | T::Varchar(None)) => Free,
        (T::Cidr, T::Inet) => Free,
        (T::Bit(_), T::VarBit(None)) => RebuildsIndexes,
        // `varchar_support`.
        (T::Varchar(Some(n)), T::Varchar(Some(m))) => free_if(m >= n),
        // `numeric_support`: the same scale and no smaller precision.
        (
            T::Numeric {
                precision: p,
                scale: s,
            },
            T::Numeric {
                precision: q,
                scale: t,
            },
        ) => match (p, q) {
            (_, None) => Free,
            (Some(p), Some(q)) => free_if(s == t && q >= p),
            (None, Some(_)) => Rewrite,
        },
        // `varbit_support`.
        (T::VarBit(_), T::VarBit(None)) => Free,
        (T::VarBit(Some(n)), T::VarBit(Some(m))) => free_if(m >= n),
        // `time_support`, `timestamp_support` (`TemporalSimplify`).
        (
            T::Time {
                precision: p,
                with_time_zone: x,
            },
            T::Time {
                precision: q,
                with_time_zone: y,
            },
        ) if x == y => temporal(*p, *q),
        (
            T::Timestamp {
                precision: p,
                with_time_zone: x,
            },
            T::Timestamp {
                precision: q,
                with_time_zone: y,
            },
        ) => {
            if x == y {
                temporal(*p, *q)
            } else if zone == SessionTimeZone::Utc
                && pg_version >= 12
                && q.is_none_or(|q| clamp(q) == MAX_PRECISION)
            {
                // The conversion is skipped in a zero-offset zone, but the
                // length coercion to `(q)` then applies to a value whose
                // precision PostgreSQL no longer knows: only `(6)` or none is
                // free. The operator class changes (`timestamp_ops` ↔
                // `timestamptz_ops`), so the indexes are rebuilt.
                RebuildsIndexes
            } else {
                Rewrite
            }
        }
        // `interval_support`.
        (
            T::Interval {
                precision: p,
                fields: f,
            },
            T::Interval {
                precision: q,
                fields: g,
            },
        ) => interval(*p, *f, *q, *g),
        _ => Rewrite,
    }
}

/// The largest fractional-second precision of `time`, `timestamp` and
/// `interval` (`MAX_TIMESTAMP_PRECISION`, `MAX_TIME_PRECISION`,
/// `MAX_INTERVAL_PRECISION`); PostgreSQL lowers a larger one to it.
const MAX_PRECISION: u32 = 6;

/// An `interval` typmod's precision when none is written
/// (`INTERVAL_FULL_PRECISION`).
const INTERVAL_FULL_PRECISION: u32 = 0xFFFF;

fn clamp(precision: u32) -> u32 {
    precision.min(MAX_PRECISION)
}

fn free_if(free: bool) -> TypeChange {
    if free {
        TypeChange::Free
    } else {
        TypeChange::Rewrite
    }
}

/// The type with the modifier PostgreSQL stores (precisions above 6 lowered
/// to 6), so that two spellings of one typmod compare equal.
fn normalized(ty: &SqlType) -> SqlType {
    match ty {
        SqlType::Time {
            precision,
            with_time_zone,
        } => SqlType::Time {
            precision: precision.map(clamp),
            with_time_zone: *with_time_zone,
        },
        SqlType::Timestamp {
            precision,
            with_time_zone,
        } => SqlType::Timestamp {
            precision: precision.map(clamp),
            with_time_zone: *with_time_zone,
        },
        SqlType::Interval { precision, fields } => SqlType::Interval {
            precision: precision.map(clamp),
            fields: *fields,
        },
        SqlType::Array(inner) => SqlType::Array(Box::new(normalized(inner))),
        other => other.clone(),
    }
}

/// Whether the two are the same PostgreSQL type (`pg_type` row), whatever
/// their modifiers.
fn same_base_type(a: &SqlType, b: &SqlType) -> bool {
    use SqlType as T;
    match (a, b) {
        (T::Varchar(_), T::Varchar(_))
        | (T::Char(_), T::Char(_))
        | (T::Numeric { .. }, T::Numeric { .. })
        | (T::Bit(_), T::Bit(_))
        | (T::VarBit(_), T::VarBit(_))
        | (T::Interval { .. }, T::Interval { .. }) => true,
        (
            T::Time {
                with_time_zone: x, ..
            },
            T::Time {
                with_time_zone: y, ..
            },
        )
        | (
            T::Timestamp {
                with_time_zone: x, ..
            },
            T::Timestamp {
                with_time_zone: y, ..
            },
        ) => x == y,
        _ => a == b,
    }
}

/// Whether the type carries no modifier (typmod -1). `char` and `bit`
/// always have one (`char` alone is `char(1)`).
fn unconstrained(ty: &SqlType) -> bool {
    use SqlType as T;
    match ty {
        T::Varchar(n) | T::VarBit(n) => n.is_none(),
        T::Numeric { precision, .. }
        | T::Time { precision, .. }
        | T::Timestamp { precision, .. } => precision.is_none(),
        T::Interval { precision, fields } => precision.is_none() && fields.is_none(),
        T::Char(_) | T::Bit(_) => false,
        _ => true,
    }
}

/// `TemporalSimplify`: free when the new precision is none or the largest,
/// or when the old one is known and not larger.
fn temporal(from: Option<u32>, to: Option<u32>) -> TypeChange {
    match (from.map(clamp), to.map(clamp)) {
        (_, None) | (_, Some(MAX_PRECISION)) => TypeChange::Free,
        (Some(p), Some(q)) => free_if(q >= p),
        (None, Some(_)) => TypeChange::Rewrite,
    }
}

/// `intervaltypmodleastfield`: the least field an `interval` keeps, from
/// 0 (`second`) to 5 (`year`); a plain `interval` keeps seconds.
fn least_field(fields: Option<&str>) -> u8 {
    match fields {
        Some("year") => 5,
        Some("month" | "year to month") => 4,
        Some("day") => 3,
        Some("hour" | "day to hour") => 2,
        Some("minute" | "day to minute" | "hour to minute") => 1,
        _ => 0,
    }
}

/// `interval_support`: free when the new least field is not larger and, for
/// an old value with seconds, the new precision is not smaller.
fn interval(
    from_precision: Option<u32>,
    from_fields: Option<&str>,
    to_precision: Option<u32>,
    to_fields: Option<&str>,
) -> TypeChange {
    if to_precision.is_none() && to_fields.is_none() {
        return TypeChange::Free;
    }
    let (old_least, old_precision) = if from_precision.is_none() && from_fields.is_none() {
        (0, MAX_PRECISION)
    } else {
        (
            least_field(from_fields),
            from_precision.map_or(INTERVAL_FULL_PRECISION, clamp),
        )
    };
    let new_least = least_field(to_fields);
    let new_precision = to_precision.map_or(INTERVAL_FULL_PRECISION, clamp);
    free_if(
        new_least <= old_least
            && (old_least > 0 || new_precision >= MAX_PRECISION || new_precision >= old_precision),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use TypeChange::{Free, RebuildsIndexes, Rewrite};

    fn ty(text: &str) -> SqlType {
        match SqlType::parse(text) {
            Ok(ty) => ty,
            Err(e) => panic!("`{text}`: {e}"),
        }
    }

    /// Every `(from, to, expected)` on PostgreSQL `version`, zone not known;
    /// the failures listed together.
    fn check(version: u32, cases: &[(&str, &str, TypeChange)]) {
        check_in(version, SessionTimeZone::Unknown, cases);
    }

    fn check_in(version: u32, zone: SessionTimeZone, cases: &[(&str, &str, TypeChange)]) {
        let wrong: Vec<String> = cases
            .iter()
            .filter_map(|(from, to, expected)| {
                let got = column_type_change_in_zone(&ty(from), &ty(to), version, zone);
                (got != *expected).then(|| {
                    format!(
                        "{from} -> {to} on {version} ({zone:?}): {got:?}, expected {expected:?}"
                    )
                })
            })
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn the_same_type_is_free() {
        check(
            15,
            &[
                ("integer", "int4", Free),
                ("text", "text", Free),
                ("varchar(10)", "character varying(10)", Free),
                ("numeric(10,2)", "decimal(10,2)", Free),
                ("numeric(10)", "numeric(10,0)", Free),
                ("char(3)", "character(3)", Free),
                ("bit(4)", "bit(4)", Free),
                ("timestamp(7)", "timestamp(6)", Free),
                ("int4range", "int4range", Free),
                ("integer[]", "int[]", Free),
            ],
        );
    }

    #[test]
    fn varchar_and_text() {
        check(
            15,
            &[
                ("varchar(10)", "varchar(20)", Free),
                ("varchar(20)", "varchar(10)", Rewrite),
                ("varchar(10)", "varchar", Free),
                ("varchar(10)", "text", Free),
                ("varchar", "text", Free),
                ("text", "varchar", Free),
                ("text", "varchar(10)", Rewrite),
                ("varchar", "varchar(10)", Rewrite),
                ("xml", "text", Free),
                ("xml", "varchar", Free),
                ("xml", "varchar(10)", Rewrite),
                ("text", "xml", Rewrite),
            ],
        );
    }

    #[test]
    fn char_always_rewrites() {
        check(
            15,
            &[
                ("char(4)", "char(8)", Rewrite),
                ("char(8)", "char(4)", Rewrite),
                ("char(4)", "text", Rewrite),
                ("char(4)", "varchar", Rewrite),
                ("char(4)", "varchar(8)", Rewrite),
                ("text", "char(4)", Rewrite),
                ("varchar(4)", "char(4)", Rewrite),
            ],
        );
    }

    #[test]
    fn numeric_precision_widens_for_free_scale_does_not() {
        check(
            15,
            &[
                ("numeric(10,2)", "numeric(12,2)", Free),
                ("numeric(10,2)", "numeric(8,2)", Rewrite),
                ("numeric(10,2)", "numeric", Free),
                ("numeric(10,2)", "numeric(12,3)", Rewrite),
                ("numeric(10,2)", "numeric(10,1)", Rewrite),
                ("numeric", "numeric(12,3)", Rewrite),
                ("numeric(10)", "numeric(12)", Free),
                ("integer", "numeric", Rewrite),
            ],
        );
    }

    #[test]
    fn bit_strings() {
        check(
            15,
            &[
                ("varbit(4)", "varbit(8)", Free),
                ("varbit(4)", "varbit", Free),
                ("varbit(8)", "varbit(4)", Rewrite),
                ("varbit", "varbit(4)", Rewrite),
                ("bit(4)", "bit(8)", Rewrite),
                ("bit(4)", "varbit", RebuildsIndexes),
                ("bit(4)", "varbit(8)", Rewrite),
                ("bit(4)", "varbit(4)", Rewrite),
                ("varbit(4)", "bit(4)", Rewrite),
            ],
        );
    }

    #[test]
    fn time_and_timestamp_precision() {
        check(
            15,
            &[
                ("timestamp(3)", "timestamp(6)", Free),
                ("timestamp(3)", "timestamp(4)", Free),
                ("timestamp(3)", "timestamp", Free),
                ("timestamp", "timestamp(6)", Free),
                ("timestamp", "timestamp(8)", Free),
                ("timestamp", "timestamp(3)", Rewrite),
                ("timestamp(6)", "timestamp(3)", Rewrite),
                ("timestamptz(3)", "timestamptz(5)", Free),
                ("timestamptz(3)", "timestamptz(2)", Rewrite),
                ("time(3)", "time(6)", Free),
                ("time(3)", "time", Free),
                ("time", "time(3)", Rewrite),
                ("timetz(3)", "timetz(5)", Free),
                ("timetz(3)", "timetz(2)", Rewrite),
                ("time", "timetz", Rewrite),
                ("timetz", "time", Rewrite),
                ("timestamp", "date", Rewrite),
                ("date", "timestamp", Rewrite),
            ],
        );
    }

    #[test]
    fn interval_fields_and_precision() {
        check(
            15,
            &[
                ("interval(3)", "interval(6)", Free),
                ("interval(3)", "interval", Free),
                ("interval", "interval(3)", Rewrite),
                ("interval", "interval(6)", Free),
                ("interval day", "interval", Free),
                ("interval", "interval day", Rewrite),
                ("interval year", "interval year to month", Free),
                ("interval year to month", "interval year", Rewrite),
                ("interval hour", "interval day", Rewrite),
                ("interval day", "interval hour", Free),
                (
                    "interval day to second(3)",
                    "interval day to second(6)",
                    Free,
                ),
                (
                    "interval day to second",
                    "interval day to second(3)",
                    Rewrite,
                ),
                ("interval day", "interval day to second(2)", Free),
                ("interval minute", "interval second(2)", Free),
                ("interval second(2)", "interval minute", Rewrite),
                ("interval day to second(3)", "interval second(3)", Free),
                ("interval(3)", "interval day to second(3)", Free),
            ],
        );
    }

    #[test]
    fn timestamp_and_timestamptz_rewrite_unless_the_zone_is_known_utc() {
        let pairs = [
            ("timestamp", "timestamptz"),
            ("timestamptz", "timestamp"),
            ("timestamp(3)", "timestamptz"),
            ("timestamp(3)", "timestamptz(6)"),
            ("timestamp(3)", "timestamptz(3)"),
            ("timestamp", "timestamptz(3)"),
        ];
        // The zone not known: a rewrite on every version.
        for version in 10..=18 {
            let cases: Vec<_> = pairs.iter().map(|(f, t)| (*f, *t, Rewrite)).collect();
            check(version, &cases);
        }
        // In UTC from 12: the table is kept unless a precision below 6 is asked.
        let utc = |version| {
            let free = if version >= 12 {
                RebuildsIndexes
            } else {
                Rewrite
            };
            vec![
                ("timestamp", "timestamptz", free),
                ("timestamptz", "timestamp", free),
                ("timestamp(3)", "timestamptz", free),
                ("timestamp(3)", "timestamptz(6)", free),
                ("timestamp(3)", "timestamptz(3)", Rewrite),
                ("timestamp", "timestamptz(3)", Rewrite),
                ("timestamptz(3)", "timestamp(3)", Rewrite),
            ]
        };
        for version in [10, 11, 12, 15, 18] {
            check_in(version, SessionTimeZone::Utc, &utc(version));
        }
    }

    #[test]
    fn other_scalar_changes() {
        check(
            15,
            &[
                ("cidr", "inet", Free),
                ("inet", "cidr", Rewrite),
                ("integer", "bigint", Rewrite),
                ("smallint", "integer", Rewrite),
                ("bigint", "integer", Rewrite),
                ("real", "double precision", Rewrite),
                ("json", "jsonb", Rewrite),
                ("macaddr", "macaddr8", Rewrite),
                ("uuid", "text", Rewrite),
                ("int4range", "int8range", Rewrite),
            ],
        );
    }

    #[test]
    fn arrays_are_free_only_to_the_same_element_type_without_modifier() {
        check(
            15,
            &[
                ("varchar(10)[]", "varchar[]", Free),
                ("numeric(10,2)[]", "numeric[]", Free),
                ("timestamp(3)[]", "timestamp[]", Free),
                ("interval day[]", "interval[]", Free),
                ("varchar(10)[]", "varchar(20)[]", Rewrite),
                ("varchar[]", "text[]", Rewrite),
                ("text[]", "varchar[]", Rewrite),
                ("cidr[]", "inet[]", Rewrite),
                ("integer[]", "bigint[]", Rewrite),
                ("char(2)[]", "char(4)[]", Rewrite),
                ("timestamp[]", "timestamptz[]", Rewrite),
            ],
        );
        // Not even in UTC: the array conversion is not the bare function.
        check_in(
            15,
            SessionTimeZone::Utc,
            &[("timestamp[]", "timestamptz[]", Rewrite)],
        );
    }

    #[test]
    fn named_types_are_free_only_to_themselves() {
        check(
            15,
            &[
                ("mood", "mood", Free),
                ("app.mood", "app.mood", Free),
                ("mood", "app.mood", Rewrite),
                ("mood", "text", Rewrite),
                ("text", "short_text", Rewrite),
                ("short_text", "text", Rewrite),
                ("mood[]", "mood[]", Free),
            ],
        );
    }

    #[test]
    fn the_version_matters_only_for_timestamp_in_utc() {
        let pairs = [
            ("varchar(10)", "varchar(20)"),
            ("numeric(10,2)", "numeric(12,2)"),
            ("bit(4)", "varbit"),
            ("cidr", "inet"),
            ("interval(3)", "interval"),
            ("integer", "bigint"),
            ("timestamp", "timestamptz"),
        ];
        for (from, to) in pairs {
            let on_15 = column_type_change(&ty(from), &ty(to), 15);
            for version in 10..=18 {
                assert_eq!(
                    column_type_change(&ty(from), &ty(to), version),
                    on_15,
                    "{from} -> {to} on {version}"
                );
            }
        }
        let tz = |v| {
            column_type_change_in_zone(
                &ty("timestamp"),
                &ty("timestamptz"),
                v,
                SessionTimeZone::Utc,
            )
        };
        assert_eq!(tz(11), Rewrite);
        assert_eq!(tz(12), RebuildsIndexes);
    }

    #[test]
    fn costs_are_ordered() {
        assert!(Free < RebuildsIndexes && RebuildsIndexes < Rewrite);
    }
}
