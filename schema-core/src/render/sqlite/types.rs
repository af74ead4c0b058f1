//! SQLite's declared types: the model's types written for their affinity and
//! read back, and the part of a model SQLite keeps.

use std::collections::BTreeSet;

use super::{Reason, public};
use crate::model::names::quote_ident;
use crate::model::{QualifiedName, Schema, SqlType};

/// The declared type of a column of type `ty`, without the enum's `CHECK`.
pub(super) fn declared_type(ty: &SqlType) -> Result<String, Reason> {
    use SqlType as T;
    let with_precision = |name: &str, p: &Option<u32>| match p {
        Some(p) => format!("{name}({p})"),
        None => name.to_string(),
    };
    Ok(match ty {
        T::SmallInt => "SMALLINT".into(),
        T::Integer => "INTEGER".into(),
        T::BigInt => "BIGINT".into(),
        T::Real => "REAL".into(),
        T::DoublePrecision => "DOUBLE PRECISION".into(),
        T::Numeric {
            precision: Some(p),
            scale,
        } => format!("NUMERIC({p},{})", scale.unwrap_or(0)),
        T::Numeric { .. } => "NUMERIC".into(),
        T::Money => "MONEY".into(),
        T::Text => "TEXT".into(),
        T::Varchar(n) => with_precision("VARCHAR", n),
        T::Char(n) => format!("CHAR({n})"),
        T::Bytea => "BLOB".into(),
        T::Boolean => "BOOLEAN".into(),
        T::Date => "DATE".into(),
        T::Time {
            precision,
            with_time_zone,
        } => with_precision(if *with_time_zone { "TIMETZ" } else { "TIME" }, precision),
        T::Timestamp {
            precision,
            with_time_zone,
        } => with_precision(
            if *with_time_zone {
                "TIMESTAMPTZ"
            } else {
                "TIMESTAMP"
            },
            precision,
        ),
        T::Interval {
            fields: Some(fields),
            ..
        } => {
            return Err(format!(
                "SQLite has no interval fields restriction (`interval {fields}` in `{ty}`)"
            ));
        }
        T::Interval {
            precision,
            fields: None,
        } => with_precision("INTERVAL", precision),
        T::Uuid => "UUID".into(),
        T::Json => "JSON".into(),
        T::Jsonb => "JSONB".into(),
        T::Xml => "XML".into(),
        T::Inet => "INET".into(),
        T::Cidr => "CIDR".into(),
        T::MacAddr => "MACADDR".into(),
        T::Bit(_) | T::VarBit(_) => {
            return Err(format!(
                "SQLite has no bit strings (`{ty}` would be stored as a number)"
            ));
        }
        T::TsVector | T::TsQuery => {
            return Err(format!("SQLite has no text-search type `{ty}`"));
        }
        T::Builtin(name) => {
            let kind = if name.ends_with("range") {
                "range type"
            } else if name.ends_with("multirange") {
                "multirange type"
            } else if matches!(*name, "macaddr8" | "pg_lsn") {
                "type"
            } else {
                "geometric type"
            };
            return Err(format!("SQLite has no {kind} `{ty}`"));
        }
        T::Array(inner) => {
            let element = match &**inner {
                T::Bytea => return Err(format!("SQLite has no array of blobs (`{ty}`)")),
                other => declared_type(other)?,
            };
            if element.contains('(') {
                return Err(format!(
                    "SQLite cannot declare an array of a type with a modifier (`{ty}`)"
                ));
            }
            format!("{element}[]")
        }
        T::Named(name) => {
            public(name, "type")?;
            quote_ident(&name.name)
        }
    })
}

/// Reads a declared type as this module writes it (`BLOB` is `bytea`) or as a
/// PostgreSQL type name.
///
/// # Errors
/// The type parser's message when the text is not a type the model knows.
pub fn type_from_sqlite(declared: &str) -> Result<SqlType, String> {
    if declared.trim().eq_ignore_ascii_case("blob") {
        return Ok(SqlType::Bytea);
    }
    SqlType::parse(declared)
}

/// The part of a model SQLite keeps, for comparing a model with what SQLite
/// introspection reads: comments cleared (`public`'s schema entry, which
/// holds its comment, left out), enum types no column uses and extensions
/// (PostgreSQL's alone) left out.
pub fn comparable(schema: &Schema) -> Schema {
    // SQLite has no roles, privileges or owners.
    let mut out = schema.clone().ignoring_privileges();
    out.privileges_ignored = false;
    out.extensions = crate::model::ObjectMap::new();
    let used: BTreeSet<QualifiedName> = schema
        .tables
        .values()
        .flat_map(|t| &t.columns)
        .filter_map(|c| match &c.data_type {
            SqlType::Named(n) => Some(n.clone()),
            SqlType::Array(inner) => match &**inner {
                SqlType::Named(n) => Some(n.clone()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    out.enums.retain(|name, _| used.contains(name));
    // SQLite keeps no comment, and has no schema to hold `public`'s.
    out.namespaces
        .remove(&QualifiedName::global(crate::model::DEFAULT_SCHEMA));
    out.enums.update_where(|_| true, |e| e.comment = None);
    out.sequences.update_where(|_| true, |s| s.comment = None);
    out.views.update_where(
        |_| true,
        |v| {
            v.comment = None;
            for c in &mut v.columns {
                c.comment = None;
            }
        },
    );
    let names: Vec<QualifiedName> = out.tables.keys().cloned().collect();
    for name in names {
        if let Some(t) = out.tables.get_mut(&name) {
            t.comment = None;
            for c in &mut t.columns {
                c.comment = None;
                c.collation = c
                    .collation
                    .take()
                    .map(|c| c.to_ascii_lowercase())
                    .filter(|c| c != "binary");
            }
            for c in t.constraints.values_mut() {
                c.comment = None;
            }
            for i in t.indexes.values_mut() {
                i.comment = None;
            }
            // SQLite reports collation names as it knows them, `BINARY` as
            // the default: the model folds them, and keeps no default.
            for k in t.indexes.values_mut().flat_map(|i| i.keys.iter_mut()) {
                k.collation = k
                    .collation
                    .take()
                    .map(|c| c.to_ascii_lowercase())
                    .filter(|c| c != "binary");
            }
            // SQLite reports a key's collation even when it is its column's.
            t.canonical_key_collations();
        }
    }
    out
}

/// An enum array's labels are read back from a column of the enum type (an
/// array has no `CHECK` to hold them): such a column must exist.
pub(super) fn enum_arrays_have_labels(schema: &Schema) -> Result<(), Reason> {
    let columns = || {
        schema
            .tables
            .values()
            .flat_map(|t| t.columns.iter().map(move |c| (t, c)))
    };
    for (t, c) in columns() {
        if let SqlType::Array(inner) = &c.data_type {
            if let SqlType::Named(e) = &**inner {
                let scalar = columns().any(|(_, s)| s.data_type == **inner);
                if !scalar {
                    return Err(format!(
                        "SQLite keeps the labels of enum type `{e}` in the `CHECK` of a column \
                         of that type, and `{}.{}` (`{}`) has none to read them from",
                        t.name, c.name, c.data_type
                    ));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_type_reads_back_as_its_model_type() {
        for text in [
            "smallint",
            "integer",
            "bigint",
            "real",
            "double precision",
            "numeric",
            "numeric(10,2)",
            "numeric(5)",
            "money",
            "text",
            "varchar",
            "varchar(50)",
            "char(3)",
            "bytea",
            "boolean",
            "date",
            "time",
            "time(3)",
            "timetz",
            "timestamp",
            "timestamp(6)",
            "timestamptz",
            "timestamptz(3)",
            "interval",
            "interval(2)",
            "uuid",
            "json",
            "jsonb",
            "xml",
            "inet",
            "cidr",
            "macaddr",
            "text[]",
            "integer[]",
            "timestamptz[]",
            "mood",
            "\"Mood\"",
            "mood[]",
        ] {
            let ty = SqlType::parse(text).unwrap();
            let declared = declared_type(&ty).unwrap();
            assert_eq!(
                type_from_sqlite(&declared),
                Ok(ty),
                "`{text}` → `{declared}`"
            );
        }
        for text in [
            "bit(3)",
            "varbit",
            "tsvector",
            "varchar(20)[]",
            "bytea[]",
            "app.mood",
        ] {
            assert!(
                declared_type(&SqlType::parse(text).unwrap()).is_err(),
                "{text}"
            );
        }
    }
}
