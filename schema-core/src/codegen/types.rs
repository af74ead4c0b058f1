//! The one mapping from SQL types to Rust types (documented on [`super`]), and
//! the comparison of a Rust type as written in a struct with the mapped one.

use std::fmt;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::SqlType;

use super::models::ModelNames;

/// Which optional crates the generated code may use: the features of `sqlschema`
/// (`schema-macros` reads them with `cfg!` and passes them here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Features {
    /// Date and time columns as `chrono` types.
    pub chrono: bool,
    /// Date and time columns as `time` types (used when `chrono` is off).
    pub time: bool,
    /// `uuid` columns as `uuid::Uuid`.
    pub uuid: bool,
    /// `json`/`jsonb` columns as `serde_json::Value`.
    pub json: bool,
    /// `numeric`/`money` columns as `rust_decimal::Decimal`.
    pub decimal: bool,
    /// `Serialize`/`Deserialize` derives on generated models.
    pub serde: bool,
    /// `sqlx::FromRow` on generated models, `sqlx::Type` on generated enums.
    pub sqlx: bool,
}

impl Features {
    /// The default features of `sqlschema`: `chrono` only.
    pub const DEFAULT: Features = Features {
        chrono: true,
        time: false,
        uuid: false,
        json: false,
        decimal: false,
        serde: false,
        sqlx: false,
    };

    /// Every feature on.
    pub const ALL: Features = Features {
        chrono: true,
        time: true,
        uuid: true,
        json: true,
        decimal: true,
        serde: true,
        sqlx: true,
    };
}

/// A column's Rust type, without the `Option` of a nullable column.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RustType {
    /// A primitive or a prelude type: `i32`, `bool`, `String`.
    Prelude(&'static str),
    /// `Vec<T>`.
    Vec(Box<RustType>),
    /// A type of an optional crate that `schema` re-exports as
    /// `sqlschema::__private::<krate>`.
    Crate {
        /// The crate (`chrono`, `time`, `uuid`, `serde_json`, `rust_decimal`).
        krate: &'static str,
        /// The type's name in the crate's root.
        name: &'static str,
        /// Generic arguments.
        args: Vec<RustType>,
    },
    /// An enum generated from an enum type, by its Rust name.
    Enum(String),
    /// A struct generated from a composite type, by its Rust name.
    Composite(String),
}

/// A type needs a feature of `sqlschema` that is off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedsFeature {
    /// The feature to enable.
    pub feature: &'static str,
    /// Another feature that would do as well (`time` for `chrono`).
    pub or: Option<&'static str>,
}

impl NeedsFeature {
    /// `feature `uuid`` or `feature `chrono` (or `time`)`.
    pub fn describe(&self) -> String {
        match self.or {
            Some(or) => format!("feature `{}` (or `{or}`)", self.feature),
            None => format!("feature `{}`", self.feature),
        }
    }
}

fn krate(krate: &'static str, name: &'static str) -> RustType {
    RustType::Crate {
        krate,
        name,
        args: Vec::new(),
    }
}

/// The Rust type of a column of type `ty` (its domains resolved already, see
/// [`ModelNames::column_type`]). `names` gives the Rust name of each enum
/// type and composite type.
///
/// # Errors
/// The feature to enable when the type needs one that `features` lacks.
pub fn rust_type(
    ty: &SqlType,
    names: &ModelNames,
    features: Features,
) -> Result<RustType, NeedsFeature> {
    let need = |feature| NeedsFeature { feature, or: None };
    let date_time = |chrono_name, time_name| {
        if features.chrono {
            Ok(krate("chrono", chrono_name))
        } else if features.time {
            Ok(krate("time", time_name))
        } else {
            Err(NeedsFeature {
                feature: "chrono",
                or: Some("time"),
            })
        }
    };
    Ok(match ty {
        SqlType::SmallInt => RustType::Prelude("i16"),
        SqlType::Integer => RustType::Prelude("i32"),
        SqlType::BigInt => RustType::Prelude("i64"),
        SqlType::Real => RustType::Prelude("f32"),
        SqlType::DoublePrecision => RustType::Prelude("f64"),
        SqlType::Numeric { .. } | SqlType::Money => {
            if !features.decimal {
                return Err(need("decimal"));
            }
            krate("rust_decimal", "Decimal")
        }
        SqlType::Text | SqlType::Varchar(_) | SqlType::Char(_) => RustType::Prelude("String"),
        SqlType::Bytea => RustType::Vec(Box::new(RustType::Prelude("u8"))),
        SqlType::Boolean => RustType::Prelude("bool"),
        SqlType::Date => date_time("NaiveDate", "Date")?,
        SqlType::Time {
            with_time_zone: false,
            ..
        } => date_time("NaiveTime", "Time")?,
        SqlType::Timestamp {
            with_time_zone: false,
            ..
        } => date_time("NaiveDateTime", "PrimitiveDateTime")?,
        SqlType::Timestamp {
            with_time_zone: true,
            ..
        } if features.chrono => RustType::Crate {
            krate: "chrono",
            name: "DateTime",
            args: vec![krate("chrono", "Utc")],
        },
        SqlType::Timestamp {
            with_time_zone: true,
            ..
        } => date_time("DateTime", "OffsetDateTime")?,
        SqlType::Uuid => {
            if !features.uuid {
                return Err(need("uuid"));
            }
            krate("uuid", "Uuid")
        }
        SqlType::Json | SqlType::Jsonb => {
            if !features.json {
                return Err(need("json"));
            }
            krate("serde_json", "Value")
        }
        SqlType::Array(inner) => RustType::Vec(Box::new(rust_type(inner, names, features)?)),
        SqlType::Named(name) => match (names.enums.get(name), names.composites.get(name)) {
            (Some(rust_name), _) => RustType::Enum(rust_name.clone()),
            (None, Some(rust_name)) => RustType::Composite(rust_name.clone()),
            (None, None) => RustType::Prelude("String"),
        },
        SqlType::Time {
            with_time_zone: true,
            ..
        }
        | SqlType::Interval { .. }
        | SqlType::Xml
        | SqlType::Inet
        | SqlType::Cidr
        | SqlType::MacAddr
        | SqlType::Bit(_)
        | SqlType::VarBit(_)
        | SqlType::TsVector
        | SqlType::TsQuery
        | SqlType::Builtin(_) => RustType::Prelude("String"),
    })
}

impl RustType {
    /// The type as generated code spells it: prelude names bare, crate types
    /// by a path from their crate (`chrono::NaiveDate`), which the generated
    /// module imports from `::sqlschema::__private` (see [`RustType::krates`]).
    pub fn tokens(&self) -> TokenStream {
        match self {
            RustType::Prelude(name) => {
                let ident = Ident::new(name, Span::call_site());
                quote!(#ident)
            }
            RustType::Vec(inner) => {
                let inner = inner.tokens();
                quote!(Vec<#inner>)
            }
            RustType::Crate { krate, name, args } => {
                let krate = Ident::new(krate, Span::call_site());
                let name = Ident::new(name, Span::call_site());
                if args.is_empty() {
                    quote!(#krate::#name)
                } else {
                    let args = args.iter().map(RustType::tokens);
                    quote!(#krate::#name<#(#args),*>)
                }
            }
            RustType::Enum(name) | RustType::Composite(name) => {
                let ident = Ident::new(name, Span::call_site());
                quote!(#ident)
            }
        }
    }

    /// The optional crates this type's tokens name.
    pub(crate) fn krates(&self, out: &mut std::collections::BTreeSet<&'static str>) {
        if let RustType::Crate { krate, .. } = self {
            out.insert(krate);
        }
        for arg in self.args() {
            arg.krates(out);
        }
    }

    /// The full paths a user may write for this type's outer name (without
    /// generic arguments); any suffix of one of them is accepted too.
    fn full_paths(&self) -> Vec<Vec<String>> {
        let path = |s: &str| s.split("::").map(str::to_string).collect::<Vec<_>>();
        match self {
            RustType::Prelude("String") => {
                vec![path("std::string::String"), path("alloc::string::String")]
            }
            RustType::Prelude(p) => vec![
                path(&format!("std::primitive::{p}")),
                path(&format!("core::primitive::{p}")),
            ],
            RustType::Vec(_) => vec![path("std::vec::Vec"), path("alloc::vec::Vec")],
            RustType::Crate { krate, name, .. } => vec![path(&format!("{krate}::{name}"))],
            RustType::Enum(name) | RustType::Composite(name) => vec![vec![name.clone()]],
        }
    }

    fn args(&self) -> Vec<&RustType> {
        match self {
            RustType::Vec(inner) => vec![inner],
            RustType::Crate { args, .. } => args.iter().collect(),
            RustType::Prelude(_) | RustType::Enum(_) | RustType::Composite(_) => Vec::new(),
        }
    }

    /// True when `written` names this type: a suffix of its full path (after an
    /// optional `sqlschema::__private::`), with matching generic arguments; for a
    /// generated enum or composite struct, any path ending in its name.
    pub fn matches(&self, written: &FieldType) -> bool {
        let FieldType::Path(segments) = written else {
            return false;
        };
        let Some(last) = segments.last() else {
            return false;
        };
        let names: Vec<&str> = segments.iter().map(|s| s.name.as_str()).collect();
        let names = match names.as_slice() {
            ["sqlschema", "__private", rest @ ..] => rest,
            all => all,
        };
        let path_ok = match self {
            RustType::Enum(name) | RustType::Composite(name) => last.name == *name,
            _ => self.full_paths().iter().any(|full| {
                full.len() >= names.len()
                    && full[full.len() - names.len()..]
                        .iter()
                        .zip(names)
                        .all(|(a, b)| a == b)
            }),
        };
        let wanted = self.args();
        path_ok
            && !names.is_empty()
            && segments[..segments.len() - 1]
                .iter()
                .all(|s| s.args.is_empty())
            && last.args.len() == wanted.len()
            && wanted.iter().zip(&last.args).all(|(w, a)| w.matches(a))
    }
}

impl fmt::Display for RustType {
    /// The type as a user writes it: `String`, `Vec<u8>`, `chrono::NaiveDate`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RustType::Prelude(name) => f.write_str(name),
            RustType::Vec(inner) => write!(f, "Vec<{inner}>"),
            RustType::Crate { krate, name, args } => {
                write!(f, "{krate}::{name}")?;
                if !args.is_empty() {
                    let args: Vec<String> = args.iter().map(ToString::to_string).collect();
                    write!(f, "<{}>", args.join(", "))?;
                }
                Ok(())
            }
            RustType::Enum(name) | RustType::Composite(name) => f.write_str(name),
        }
    }
}

/// A field's type as written in a struct, reduced to what the check compares.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FieldType {
    /// A path type (`Option<String>`, `chrono::NaiveDate`); lifetimes left out.
    Path(Vec<PathSegment>),
    /// Anything else (references, tuples, arrays, ...), as written.
    Other(String),
}

/// One segment of a path type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PathSegment {
    /// The identifier (`r#` removed).
    pub name: String,
    /// Type arguments in angle brackets.
    pub args: Vec<FieldType>,
}

impl FieldType {
    /// A path type from its segments' names, without arguments.
    pub fn path(text: &str) -> FieldType {
        FieldType::Path(
            text.split("::")
                .map(|name| PathSegment {
                    name: name.to_string(),
                    args: Vec::new(),
                })
                .collect(),
        )
    }

    /// The `T` of `Option<T>` (also spelled `std::option::Option<T>` or
    /// `core::option::Option<T>`).
    pub(crate) fn option_inner(&self) -> Option<&FieldType> {
        let FieldType::Path(segments) = self else {
            return None;
        };
        let names: Vec<&str> = segments.iter().map(|s| s.name.as_str()).collect();
        let is_option = matches!(
            names.as_slice(),
            ["Option"] | ["option", "Option"] | ["std" | "core", "option", "Option"]
        );
        match segments.last() {
            Some(last) if is_option && last.args.len() == 1 => last.args.first(),
            _ => None,
        }
    }
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldType::Other(text) => f.write_str(text),
            FieldType::Path(segments) => {
                for (i, segment) in segments.iter().enumerate() {
                    if i > 0 {
                        f.write_str("::")?;
                    }
                    f.write_str(&segment.name)?;
                    if !segment.args.is_empty() {
                        let args: Vec<String> =
                            segment.args.iter().map(ToString::to_string).collect();
                        write!(f, "<{}>", args.join(", "))?;
                    }
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::QualifiedName;

    fn ty(text: &str) -> RustType {
        let parsed = SqlType::parse(text).unwrap_or_else(|e| panic!("{e}"));
        let mut names = ModelNames::default();
        names
            .enums
            .insert(QualifiedName::public("mood"), "Mood".to_string());
        names
            .composites
            .insert(QualifiedName::public("address"), "Address".to_string());
        rust_type(&parsed, &names, Features::ALL).unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn generic(name: &str, args: Vec<FieldType>) -> FieldType {
        FieldType::Path(vec![PathSegment {
            name: name.to_string(),
            args,
        }])
    }

    #[test]
    fn each_sql_type_maps_to_the_documented_rust_type() {
        for (sql, rust) in [
            ("smallint", "i16"),
            ("integer", "i32"),
            ("bigint", "i64"),
            ("real", "f32"),
            ("double precision", "f64"),
            ("numeric(10,2)", "rust_decimal::Decimal"),
            ("money", "rust_decimal::Decimal"),
            ("text", "String"),
            ("varchar(20)", "String"),
            ("char(2)", "String"),
            ("bytea", "Vec<u8>"),
            ("boolean", "bool"),
            ("date", "chrono::NaiveDate"),
            ("time", "chrono::NaiveTime"),
            ("timestamp", "chrono::NaiveDateTime"),
            ("timestamptz", "chrono::DateTime<chrono::Utc>"),
            ("uuid", "uuid::Uuid"),
            ("json", "serde_json::Value"),
            ("jsonb", "serde_json::Value"),
            ("text[]", "Vec<String>"),
            ("mood", "Mood"),
            ("mood[]", "Vec<Mood>"),
            ("address", "Address"),
            ("address[]", "Vec<Address>"),
            ("unknown_type", "String"),
            ("interval", "String"),
            ("inet", "String"),
            ("timetz", "String"),
            ("tsvector", "String"),
        ] {
            assert_eq!(ty(sql).to_string(), rust, "{sql}");
        }
    }

    #[test]
    fn time_types_are_used_when_chrono_is_off() {
        let features = Features {
            chrono: false,
            time: true,
            ..Features::DEFAULT
        };
        let map = |sql: &str| {
            let parsed = SqlType::parse(sql).unwrap_or_else(|e| panic!("{e}"));
            rust_type(&parsed, &ModelNames::default(), features).map(|t| t.to_string())
        };
        assert_eq!(map("timestamptz").as_deref(), Ok("time::OffsetDateTime"));
        assert_eq!(map("timestamp").as_deref(), Ok("time::PrimitiveDateTime"));
        assert_eq!(map("date").as_deref(), Ok("time::Date"));
    }

    #[test]
    fn a_type_behind_a_disabled_feature_names_the_feature() {
        let none = Features::default();
        let needs = |sql: &str| {
            let parsed = SqlType::parse(sql).unwrap_or_else(|e| panic!("{e}"));
            rust_type(&parsed, &ModelNames::default(), none).err()
        };
        assert_eq!(needs("uuid").map(|n| n.feature), Some("uuid"));
        assert_eq!(needs("jsonb").map(|n| n.feature), Some("json"));
        assert_eq!(needs("numeric").map(|n| n.feature), Some("decimal"));
        assert_eq!(
            needs("date[]").map(|n| n.describe()).as_deref(),
            Some("feature `chrono` (or `time`)")
        );
        assert_eq!(needs("text"), None);
    }

    #[test]
    fn written_types_match_by_any_suffix_of_the_full_path() {
        let string = ty("text");
        assert!(string.matches(&FieldType::path("String")));
        assert!(string.matches(&FieldType::path("std::string::String")));
        assert!(!string.matches(&FieldType::path("str")));
        let stamp = ty("timestamp");
        assert!(stamp.matches(&FieldType::path("NaiveDateTime")));
        assert!(stamp.matches(&FieldType::path("chrono::NaiveDateTime")));
        assert!(stamp.matches(&FieldType::path(
            "sqlschema::__private::chrono::NaiveDateTime"
        )));
        assert!(!stamp.matches(&FieldType::path("time::NaiveDateTime")));
        let tz = ty("timestamptz");
        assert!(tz.matches(&generic("DateTime", vec![FieldType::path("Utc")])));
        assert!(!tz.matches(&generic("DateTime", vec![FieldType::path("Local")])));
        assert!(!tz.matches(&FieldType::path("DateTime")));
        let bytes = ty("bytea");
        assert!(bytes.matches(&generic("Vec", vec![FieldType::path("u8")])));
        assert!(!bytes.matches(&generic("Vec", vec![FieldType::path("i8")])));
        let mood = ty("mood");
        assert!(mood.matches(&FieldType::path("models::Mood")));
        let address = ty("address");
        assert!(address.matches(&FieldType::path("models::Address")));
        assert!(!address.matches(&FieldType::path("String")));
        let option = generic("Option", vec![FieldType::path("i32")]);
        assert_eq!(option.option_inner(), Some(&FieldType::path("i32")));
        assert_eq!(option.to_string(), "Option<i32>");
    }
}
