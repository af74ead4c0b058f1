//! Which changes lose data or may fail on existing rows, in words every
//! dialect's rendering puts in a `destructive:` comment.

use super::literal;
use crate::diff::Change;
use crate::model::SqlType;

/// Why a change loses data, if it does.
pub fn data_loss(change: &Change) -> Option<String> {
    match change {
        Change::DropTable(t) => Some(format!("drops table `{}` and all its rows", t.name)),
        Change::DropColumn { table, column } => Some(format!(
            "drops column `{table}.{}` and the data in it",
            column.name
        )),
        Change::AlterColumn { table, from, to } if narrows(&from.data_type, &to.data_type) => {
            let what = if rounds(&from.data_type, &to.data_type) {
                "values are rounded or truncated to fit, without an error"
            } else {
                "values that do not fit make it fail"
            };
            Some(format!(
                "narrows `{table}.{}` from `{}` to `{}`: {what}",
                to.name, from.data_type, to.data_type
            ))
        }
        Change::SetPartitionBound { table, to, .. } => Some(format!(
            "re-attaches partition `{table}` as `{}`: a row outside it makes it fail",
            to.bound
        )),
        Change::RecreateEnum { from, to } => {
            let removed: Vec<&String> = from
                .values
                .iter()
                .filter(|v| !to.values.contains(v))
                .collect();
            if removed.is_empty() {
                None
            } else {
                let list: Vec<String> = removed.iter().map(|v| literal(v)).collect();
                Some(format!(
                    "removes label(s) {} from enum type `{}`: rows holding them make it fail",
                    list.join(", "),
                    from.name
                ))
            }
        }
        _ => None,
    }
}

/// Whether PostgreSQL converts `from` to `to` by rounding fractional seconds
/// or cutting an interval's fields rather than by failing.
fn rounds(from: &SqlType, to: &SqlType) -> bool {
    use SqlType as T;
    matches!(
        (from, to),
        (T::Timestamp { .. }, T::Timestamp { .. })
            | (T::Time { .. }, T::Time { .. })
            | (T::Interval { .. }, T::Interval { .. })
    )
}

fn int_rank(t: &SqlType) -> Option<u8> {
    match t {
        SqlType::SmallInt => Some(1),
        SqlType::Integer => Some(2),
        SqlType::BigInt => Some(3),
        SqlType::Numeric {
            precision: None, ..
        } => Some(4),
        _ => None,
    }
}

/// True when converting `from` to `to` can lose information or fail on existing values.
pub fn narrows(from: &SqlType, to: &SqlType) -> bool {
    use SqlType as T;
    if from == to {
        return false;
    }
    match (from, to) {
        (_, T::Text) => false,
        // `citext` (the contrib extension) holds any text as it is.
        (T::Text | T::Varchar(_) | T::Char(_), T::Named(n)) if n.name == "citext" => false,
        (T::Varchar(_) | T::Char(_), T::Varchar(None)) => false,
        (T::Varchar(Some(a)), T::Varchar(Some(b))) => b < a,
        (T::Char(a), T::Varchar(Some(b)) | T::Char(b)) => b < a,
        (T::Text | T::Varchar(None), T::Varchar(Some(_)) | T::Char(_)) => true,
        (T::Real, T::DoublePrecision) => false,
        (
            T::Numeric {
                precision: Some(p1),
                scale: s1,
            },
            T::Numeric {
                precision: Some(p2),
                scale: s2,
            },
        ) => {
            let (s1, s2) = (s1.unwrap_or(0), s2.unwrap_or(0));
            s2 < s1 || i64::from(*p2) - s2 < i64::from(*p1) - s1
        }
        (
            T::Numeric { .. },
            T::Numeric {
                precision: None, ..
            },
        ) => false,
        (T::Timestamp { precision: a, .. }, T::Timestamp { precision: b, .. })
        | (T::Time { precision: a, .. }, T::Time { precision: b, .. }) => {
            matches!((a, b), (None, Some(_))) || matches!((a, b), (Some(x), Some(y)) if y < x)
        }
        (
            T::Interval {
                precision: a,
                fields: from_fields,
            },
            T::Interval {
                precision: b,
                fields: to_fields,
            },
        ) => {
            let fields_cut = to_fields.is_some() && from_fields != to_fields;
            fields_cut
                || matches!((a, b), (None, Some(_)))
                || matches!((a, b), (Some(x), Some(y)) if y < x)
        }
        // A range of a wider element type holds every range of the narrower.
        (T::Builtin("int4range"), T::Builtin("int8range" | "numrange"))
        | (T::Builtin("int8range"), T::Builtin("numrange"))
        | (T::Builtin("int4multirange"), T::Builtin("int8multirange" | "nummultirange"))
        | (T::Builtin("int8multirange"), T::Builtin("nummultirange")) => false,
        (T::Date, T::Timestamp { .. }) => false,
        (T::Json, T::Jsonb) | (T::Jsonb, T::Json) => false,
        (T::VarBit(Some(a)), T::VarBit(Some(b))) => b < a,
        (T::Bit(_) | T::VarBit(_), T::VarBit(None)) => false,
        _ => match (int_rank(from), int_rank(to)) {
            (Some(a), Some(b)) => b < a,
            _ => true,
        },
    }
}
