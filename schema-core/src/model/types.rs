//! Canonical SQL types: every PostgreSQL spelling of a type maps to one [`SqlType`],
//! whose `Display` is what PostgreSQL's `format_type` prints.

use std::fmt;

use sqlparser::ast::{
    ArrayElemTypeDef, CharacterLength, DataType, ExactNumberInfo, ObjectName, TimezoneInfo,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use super::QualifiedName;
use super::names;

/// A column type in canonical form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SqlType {
    /// `smallint` (`int2`).
    SmallInt,
    /// `integer` (`int`, `int4`).
    Integer,
    /// `bigint` (`int8`).
    BigInt,
    /// `real` (`float4`, `float(1..24)`).
    Real,
    /// `double precision` (`float8`, `float`, `float(25..53)`).
    DoublePrecision,
    /// `numeric[(p[, s])]` (`decimal`).
    Numeric {
        /// Precision.
        precision: Option<u32>,
        /// Scale (0 when only a precision is given).
        scale: Option<i64>,
    },
    /// `money`.
    Money,
    /// `text`.
    Text,
    /// `character varying[(n)]` (`varchar`).
    Varchar(Option<u32>),
    /// `character(n)` (`char`; `char` alone is `character(1)`).
    Char(u32),
    /// `bytea`.
    Bytea,
    /// `boolean` (`bool`).
    Boolean,
    /// `date`.
    Date,
    /// `time[(p)] with[out] time zone` (`timetz`).
    Time {
        /// Fractional-second precision.
        precision: Option<u32>,
        /// `with time zone`.
        with_time_zone: bool,
    },
    /// `timestamp[(p)] with[out] time zone` (`timestamptz`).
    Timestamp {
        /// Fractional-second precision.
        precision: Option<u32>,
        /// `with time zone`.
        with_time_zone: bool,
    },
    /// `interval [fields] [(p)]`.
    Interval {
        /// Fractional-second precision.
        precision: Option<u32>,
        /// The fields restriction as PostgreSQL prints it (`day to second`,
        /// `year`), `None` for a plain `interval`.
        fields: Option<&'static str>,
    },
    /// `uuid`.
    Uuid,
    /// `json`.
    Json,
    /// `jsonb`.
    Jsonb,
    /// `xml`.
    Xml,
    /// `inet`.
    Inet,
    /// `cidr`.
    Cidr,
    /// `macaddr`.
    MacAddr,
    /// `bit(n)` (`bit` alone is `bit(1)`).
    Bit(u32),
    /// `bit varying[(n)]` (`varbit`).
    VarBit(Option<u32>),
    /// `tsvector`.
    TsVector,
    /// `tsquery`.
    TsQuery,
    /// A built-in type with no modifiers that the model carries by its name
    /// (one of [`BUILTIN_BY_NAME`]): the range and multirange types, the
    /// geometric types, `macaddr8`, `pg_lsn`.
    Builtin(&'static str),
    /// `T[]`; PostgreSQL ignores declared dimensions, and so do we.
    Array(Box<SqlType>),
    /// A user-defined type, such as an enum.
    Named(QualifiedName),
}

/// The built-in types carried by their name alone ([`SqlType::Builtin`]), as
/// PostgreSQL's `format_type` prints them.
pub const BUILTIN_BY_NAME: &[&str] = &[
    "int4range",
    "int8range",
    "numrange",
    "tsrange",
    "tstzrange",
    "daterange",
    "int4multirange",
    "int8multirange",
    "nummultirange",
    "tsmultirange",
    "tstzmultirange",
    "datemultirange",
    "point",
    "line",
    "lseg",
    "box",
    "path",
    "polygon",
    "circle",
    "macaddr8",
    "pg_lsn",
];

impl SqlType {
    /// Whether values of the type have a collation: the text types (and
    /// arrays of them); a named type may (a domain over text) or may not (an
    /// enum), so it counts as one.
    pub fn is_collatable(&self) -> bool {
        match self {
            SqlType::Text | SqlType::Varchar(_) | SqlType::Char(_) | SqlType::Named(_) => true,
            SqlType::Array(inner) => inner.is_collatable(),
            _ => false,
        }
    }

    /// The operator class a btree index key of this type gets when none is
    /// written (`pg_opclass.opcdefault`, through binary coercion for
    /// `varchar`): PostgreSQL reports a key written with it as one without.
    /// `None` for a named type (an enum's or a domain's depends on the schema).
    pub fn default_btree_opclass(&self) -> Option<&'static str> {
        Some(match self {
            SqlType::SmallInt => "int2_ops",
            SqlType::Integer => "int4_ops",
            SqlType::BigInt => "int8_ops",
            SqlType::Real => "float4_ops",
            SqlType::DoublePrecision => "float8_ops",
            SqlType::Numeric { .. } => "numeric_ops",
            SqlType::Money => "money_ops",
            SqlType::Text | SqlType::Varchar(_) => "text_ops",
            SqlType::Char(_) => "bpchar_ops",
            SqlType::Bytea => "bytea_ops",
            SqlType::Boolean => "bool_ops",
            SqlType::Date => "date_ops",
            SqlType::Time { with_time_zone, .. } => {
                if *with_time_zone {
                    "timetz_ops"
                } else {
                    "time_ops"
                }
            }
            SqlType::Timestamp { with_time_zone, .. } => {
                if *with_time_zone {
                    "timestamptz_ops"
                } else {
                    "timestamp_ops"
                }
            }
            SqlType::Interval { .. } => "interval_ops",
            SqlType::Uuid => "uuid_ops",
            SqlType::Jsonb => "jsonb_ops",
            SqlType::Inet => "inet_ops",
            SqlType::Array(_) => "array_ops",
            _ => return None,
        })
    }
}

/// A type as written in a column definition: the canonical type and whether it
/// was one of the `serial` pseudo-types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TypeSpec {
    /// The canonical type (`integer` for `serial`).
    pub ty: SqlType,
    /// True for `smallserial`, `serial`, `bigserial` and their aliases.
    pub serial: bool,
}

impl SqlType {
    /// Parses a type name as PostgreSQL prints it (`format_type`) or as a user writes it.
    ///
    /// # Errors
    /// A message when the text is not a type this model knows.
    pub fn parse(text: &str) -> Result<SqlType, String> {
        let mut parser = Parser::new(&PostgreSqlDialect {})
            .try_with_sql(text)
            .map_err(|e| e.to_string())?;
        let data_type = parser.parse_data_type().map_err(|e| e.to_string())?;
        Ok(TypeSpec::from_ast(&data_type)?.ty)
    }

    /// True for the integer types (the ones `serial` and identity columns use).
    pub(crate) fn is_integer(&self) -> bool {
        matches!(self, SqlType::SmallInt | SqlType::Integer | SqlType::BigInt)
    }
}

fn u32_of(n: u64) -> Result<u32, String> {
    u32::try_from(n).map_err(|_| format!("type modifier `{n}` is too large"))
}

fn char_len(len: &Option<CharacterLength>) -> Result<Option<u32>, String> {
    match len {
        None => Ok(None),
        Some(CharacterLength::IntegerLength { length, .. }) => Ok(Some(u32_of(*length)?)),
        Some(CharacterLength::Max) => Err("`MAX` length is not PostgreSQL".to_string()),
    }
}

fn opt_u32(n: &Option<u64>) -> Result<Option<u32>, String> {
    n.map(u32_of).transpose()
}

fn numeric(info: &ExactNumberInfo) -> Result<SqlType, String> {
    Ok(match info {
        ExactNumberInfo::None => SqlType::Numeric {
            precision: None,
            scale: None,
        },
        ExactNumberInfo::Precision(p) => SqlType::Numeric {
            precision: Some(u32_of(*p)?),
            scale: Some(0),
        },
        ExactNumberInfo::PrecisionAndScale(p, s) => SqlType::Numeric {
            precision: Some(u32_of(*p)?),
            scale: Some(*s),
        },
    })
}

fn float(info: &ExactNumberInfo) -> Result<SqlType, String> {
    match info {
        ExactNumberInfo::None => Ok(SqlType::DoublePrecision),
        ExactNumberInfo::Precision(p) if (1..=24).contains(p) => Ok(SqlType::Real),
        ExactNumberInfo::Precision(p) if (25..=53).contains(p) => Ok(SqlType::DoublePrecision),
        _ => Err("precision for type float must be between 1 and 53".to_string()),
    }
}

fn with_tz(tz: &TimezoneInfo) -> bool {
    matches!(tz, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz)
}

impl TypeSpec {
    fn plain(ty: SqlType) -> Self {
        TypeSpec { ty, serial: false }
    }

    /// Maps a sqlparser type (PostgreSQL dialect) to its canonical form.
    ///
    /// # Errors
    /// A message naming the type when it is not one PostgreSQL has or the model covers.
    pub(crate) fn from_ast(data_type: &DataType) -> Result<TypeSpec, String> {
        use DataType as D;
        let ty = match data_type {
            D::SmallInt(_) | D::Int2(_) => SqlType::SmallInt,
            D::Int(_) | D::Integer(_) | D::Int4(_) => SqlType::Integer,
            D::BigInt(_) | D::Int8(_) => SqlType::BigInt,
            D::Real | D::Float4 => SqlType::Real,
            D::DoublePrecision | D::Float8 => SqlType::DoublePrecision,
            D::Double(ExactNumberInfo::None) => SqlType::DoublePrecision,
            D::Float(info) => float(info)?,
            D::Numeric(info) | D::Decimal(info) | D::Dec(info) => numeric(info)?,
            D::Text => SqlType::Text,
            D::Varchar(len) | D::CharacterVarying(len) | D::CharVarying(len) => {
                SqlType::Varchar(char_len(len)?)
            }
            D::Char(len) | D::Character(len) => SqlType::Char(char_len(len)?.unwrap_or(1)),
            D::Bytea => SqlType::Bytea,
            D::Bool | D::Boolean => SqlType::Boolean,
            D::Date => SqlType::Date,
            D::Time(p, tz) => SqlType::Time {
                precision: opt_u32(p)?,
                with_time_zone: with_tz(tz),
            },
            D::Timestamp(p, tz) => SqlType::Timestamp {
                precision: opt_u32(p)?,
                with_time_zone: with_tz(tz),
            },
            D::Interval { fields, precision } => {
                let fields = fields.as_ref().map(interval_fields);
                let precision = opt_u32(precision)?;
                if precision.is_some() && fields.is_some_and(|f| !f.ends_with("second")) {
                    return Err(format!(
                        "`{data_type}`: PostgreSQL takes a precision only with a SECOND field"
                    ));
                }
                SqlType::Interval { precision, fields }
            }
            D::Uuid => SqlType::Uuid,
            D::JSON => SqlType::Json,
            D::JSONB => SqlType::Jsonb,
            D::Bit(n) => SqlType::Bit(opt_u32(n)?.unwrap_or(1)),
            D::BitVarying(n) | D::VarBit(n) => SqlType::VarBit(opt_u32(n)?),
            D::TsVector => SqlType::TsVector,
            D::TsQuery => SqlType::TsQuery,
            D::Array(elem) => {
                let inner = match elem {
                    ArrayElemTypeDef::SquareBracket(inner, _)
                    | ArrayElemTypeDef::AngleBracket(inner)
                    | ArrayElemTypeDef::Parenthesis(inner)
                    | ArrayElemTypeDef::Qualified(inner, _) => inner,
                    _ => return Err(format!("unsupported array type `{data_type}`")),
                };
                let inner = TypeSpec::from_ast(inner)?;
                if inner.serial {
                    return Err("array of serial is not a PostgreSQL type".to_string());
                }
                match inner.ty {
                    // `integer[][]` is `integer[]` in PostgreSQL.
                    SqlType::Array(t) => SqlType::Array(t),
                    t => SqlType::Array(Box::new(t)),
                }
            }
            D::Custom(name, modifiers) => return custom(name, modifiers, data_type),
            other => return Err(format!("type `{other}` is not a PostgreSQL type")),
        };
        Ok(TypeSpec::plain(ty))
    }
}

/// An interval's fields restriction as PostgreSQL's `format_type` prints it.
fn interval_fields(fields: &sqlparser::ast::IntervalFields) -> &'static str {
    use sqlparser::ast::IntervalFields as F;
    match fields {
        F::Year => "year",
        F::Month => "month",
        F::Day => "day",
        F::Hour => "hour",
        F::Minute => "minute",
        F::Second => "second",
        F::YearToMonth => "year to month",
        F::DayToHour => "day to hour",
        F::DayToMinute => "day to minute",
        F::DayToSecond => "day to second",
        F::HourToMinute => "hour to minute",
        F::HourToSecond => "hour to second",
        F::MinuteToSecond => "minute to second",
    }
}

fn custom(
    name: &ObjectName,
    modifiers: &[sqlparser::ast::TypeModifier],
    whole: &DataType,
) -> Result<TypeSpec, String> {
    let parts = names::object_name_parts(name);
    let single = match parts.as_slice() {
        [one] => Some(one.as_str()),
        [schema, one] if schema == "pg_catalog" => Some(one.as_str()),
        _ => None,
    };
    let modifier = |i: usize| -> Result<Option<u32>, String> {
        match modifiers.get(i) {
            None => Ok(None),
            Some(sqlparser::ast::TypeModifier::Number(n, _)) => n
                .parse::<u32>()
                .map(Some)
                .map_err(|_| format!("bad type modifier in `{whole}`")),
            Some(_) => Err(format!("bad type modifier in `{whole}`")),
        }
    };
    let serial = |ty| {
        if modifiers.is_empty() {
            Ok(TypeSpec { ty, serial: true })
        } else {
            Err(format!("`{whole}` takes no modifier"))
        }
    };
    let ty = match single {
        Some("serial" | "serial4") => return serial(SqlType::Integer),
        Some("bigserial" | "serial8") => return serial(SqlType::BigInt),
        Some("smallserial" | "serial2") => return serial(SqlType::SmallInt),
        Some("int2") => SqlType::SmallInt,
        Some("int4") => SqlType::Integer,
        Some("int8") => SqlType::BigInt,
        Some("float4") => SqlType::Real,
        Some("float8") => SqlType::DoublePrecision,
        Some("bool") => SqlType::Boolean,
        Some("bpchar") => SqlType::Char(modifier(0)?.unwrap_or(1)),
        Some("varbit") => SqlType::VarBit(modifier(0)?),
        Some("timestamptz") => SqlType::Timestamp {
            precision: modifier(0)?,
            with_time_zone: true,
        },
        Some("timetz") => SqlType::Time {
            precision: modifier(0)?,
            with_time_zone: true,
        },
        Some("money") => SqlType::Money,
        Some("xml") => SqlType::Xml,
        Some("inet") => SqlType::Inet,
        Some("cidr") => SqlType::Cidr,
        Some("macaddr") => SqlType::MacAddr,
        Some("tsvector") => SqlType::TsVector,
        Some("tsquery") => SqlType::TsQuery,
        Some(builtin) if BUILTIN_BY_NAME.contains(&builtin) => {
            if !modifiers.is_empty() {
                return Err(format!("`{whole}` takes no modifier"));
            }
            let name = BUILTIN_BY_NAME
                .iter()
                .find(|b| **b == builtin)
                .copied()
                .unwrap_or_default();
            SqlType::Builtin(name)
        }
        _ => {
            if !modifiers.is_empty() {
                return Err(format!("type `{whole}` is not a type this tool knows"));
            }
            let qualified = match parts.as_slice() {
                [one] => QualifiedName::public(one.clone()),
                [schema, one] => QualifiedName::new(schema.clone(), one.clone()),
                _ => return Err(format!("type name `{whole}` has too many parts")),
            };
            SqlType::Named(qualified)
        }
    };
    Ok(TypeSpec::plain(ty))
}

fn precision(f: &mut fmt::Formatter<'_>, p: Option<u32>) -> fmt::Result {
    match p {
        Some(p) => write!(f, "({p})"),
        None => Ok(()),
    }
}

fn zone(with_time_zone: bool) -> &'static str {
    if with_time_zone {
        " with time zone"
    } else {
        " without time zone"
    }
}

impl fmt::Display for SqlType {
    /// The type as PostgreSQL's `format_type` prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SqlType::SmallInt => f.write_str("smallint"),
            SqlType::Integer => f.write_str("integer"),
            SqlType::BigInt => f.write_str("bigint"),
            SqlType::Real => f.write_str("real"),
            SqlType::DoublePrecision => f.write_str("double precision"),
            SqlType::Numeric {
                precision: Some(p),
                scale,
            } => write!(f, "numeric({p},{})", scale.unwrap_or(0)),
            SqlType::Numeric { .. } => f.write_str("numeric"),
            SqlType::Money => f.write_str("money"),
            SqlType::Text => f.write_str("text"),
            SqlType::Varchar(n) => {
                f.write_str("character varying")?;
                precision(f, *n)
            }
            SqlType::Char(n) => write!(f, "character({n})"),
            SqlType::Bytea => f.write_str("bytea"),
            SqlType::Boolean => f.write_str("boolean"),
            SqlType::Date => f.write_str("date"),
            SqlType::Time {
                precision: p,
                with_time_zone,
            } => {
                f.write_str("time")?;
                precision(f, *p)?;
                f.write_str(zone(*with_time_zone))
            }
            SqlType::Timestamp {
                precision: p,
                with_time_zone,
            } => {
                f.write_str("timestamp")?;
                precision(f, *p)?;
                f.write_str(zone(*with_time_zone))
            }
            SqlType::Interval {
                precision: p,
                fields,
            } => {
                f.write_str("interval")?;
                if let Some(fields) = fields {
                    write!(f, " {fields}")?;
                }
                precision(f, *p)
            }
            SqlType::Uuid => f.write_str("uuid"),
            SqlType::Json => f.write_str("json"),
            SqlType::Jsonb => f.write_str("jsonb"),
            SqlType::Xml => f.write_str("xml"),
            SqlType::Inet => f.write_str("inet"),
            SqlType::Cidr => f.write_str("cidr"),
            SqlType::MacAddr => f.write_str("macaddr"),
            SqlType::Bit(n) => write!(f, "bit({n})"),
            SqlType::VarBit(n) => {
                f.write_str("bit varying")?;
                precision(f, *n)
            }
            SqlType::TsVector => f.write_str("tsvector"),
            SqlType::TsQuery => f.write_str("tsquery"),
            SqlType::Builtin(name) => f.write_str(name),
            SqlType::Array(inner) => write!(f, "{inner}[]"),
            SqlType::Named(name) => write!(f, "{name}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        match SqlType::parse(s) {
            Ok(t) => t.to_string(),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn aliases_map_to_one_canonical_type() {
        for (written, canonical) in [
            ("int", "integer"),
            ("int4", "integer"),
            ("INTEGER", "integer"),
            ("int8", "bigint"),
            ("int2", "smallint"),
            ("varchar(50)", "character varying(50)"),
            ("character varying(50)", "character varying(50)"),
            ("char", "character(1)"),
            ("bool", "boolean"),
            ("timestamptz", "timestamp with time zone"),
            ("timestamp(3) with time zone", "timestamp(3) with time zone"),
            ("INTERVAL DAY TO SECOND(3)", "interval day to second(3)"),
            ("interval hour to minute", "interval hour to minute"),
            ("interval(2)", "interval(2)"),
            ("interval minute to second[]", "interval minute to second[]"),
            ("int4range", "int4range"),
            ("pg_catalog.tstzmultirange", "tstzmultirange"),
            ("point[]", "point[]"),
            ("timestamp", "timestamp without time zone"),
            ("decimal(10,2)", "numeric(10,2)"),
            ("numeric(10)", "numeric(10,0)"),
            ("float", "double precision"),
            ("float(10)", "real"),
            ("float8", "double precision"),
            ("text[]", "text[]"),
            ("int[][]", "integer[]"),
            ("varchar(20)[]", "character varying(20)[]"),
            ("mood", "mood"),
            ("app.mood", "app.mood"),
        ] {
            assert_eq!(canon(written), canonical, "{written}");
        }
    }
}
