//! A column's TOAST storage and compression (`pg_attribute.attstorage`,
//! `attcompression`), and the storage each type gives its columns by default
//! (`pg_type.typstorage`), which the model compares against: a column carries
//! only a storage its type would not give it.

use std::fmt;

use super::{Schema, SqlType, contrib};

/// How PostgreSQL stores a column's values (`SET STORAGE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Storage {
    /// `PLAIN` (`p`): inline, uncompressed; the only storage of fixed-length types.
    Plain,
    /// `EXTERNAL` (`e`): out of line, uncompressed.
    External,
    /// `EXTENDED` (`x`): compressed, then out of line.
    Extended,
    /// `MAIN` (`m`): compressed, out of line only as a last resort.
    Main,
}

impl Storage {
    /// The storage named `name` as `SET STORAGE` reads it (any case).
    pub fn from_name(name: &str) -> Option<Storage> {
        match name.to_ascii_lowercase().as_str() {
            "plain" => Some(Storage::Plain),
            "external" => Some(Storage::External),
            "extended" => Some(Storage::Extended),
            "main" => Some(Storage::Main),
            _ => None,
        }
    }

    /// The storage of a `pg_attribute.attstorage`/`pg_type.typstorage` letter.
    pub fn from_code(code: &str) -> Option<Storage> {
        match code {
            "p" => Some(Storage::Plain),
            "e" => Some(Storage::External),
            "x" => Some(Storage::Extended),
            "m" => Some(Storage::Main),
            _ => None,
        }
    }
}

impl fmt::Display for Storage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Storage::Plain => "PLAIN",
            Storage::External => "EXTERNAL",
            Storage::Extended => "EXTENDED",
            Storage::Main => "MAIN",
        })
    }
}

/// A column's compression method (`COMPRESSION`, `SET COMPRESSION`); a column
/// without one (`default`) compresses with `default_toast_compression`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Compression {
    /// `pglz` (`p`).
    Pglz,
    /// `lz4` (`l`; PostgreSQL built `--with-lz4`).
    Lz4,
}

impl Compression {
    /// The method named `name` (as PostgreSQL compares it, case included);
    /// `Ok(None)` for `default`.
    ///
    /// # Errors
    /// When PostgreSQL has no such method.
    pub fn from_name(name: &str) -> Result<Option<Compression>, String> {
        match name {
            "pglz" => Ok(Some(Compression::Pglz)),
            "lz4" => Ok(Some(Compression::Lz4)),
            "default" => Ok(None),
            other => Err(format!(
                "invalid compression method `{other}`: PostgreSQL has `pglz`, `lz4` and `default`"
            )),
        }
    }

    /// The method of a `pg_attribute.attcompression` letter (`None` for none).
    pub fn from_code(code: &str) -> Option<Compression> {
        match code {
            "p" => Some(Compression::Pglz),
            "l" => Some(Compression::Lz4),
            _ => None,
        }
    }
}

impl fmt::Display for Compression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Compression::Pglz => "pglz",
            Compression::Lz4 => "lz4",
        })
    }
}

/// The storage PostgreSQL 15 gives columns of a built-in type or a contrib
/// extension's type (`pg_type.typstorage`); `None` for a named type it does
/// not create.
fn builtin_storage(ty: &SqlType) -> Option<Storage> {
    use Storage::{Extended, Main, Plain};
    Some(match ty {
        SqlType::SmallInt
        | SqlType::Integer
        | SqlType::BigInt
        | SqlType::Real
        | SqlType::DoublePrecision
        | SqlType::Money
        | SqlType::Boolean
        | SqlType::Date
        | SqlType::Time { .. }
        | SqlType::Timestamp { .. }
        | SqlType::Interval { .. }
        | SqlType::Uuid
        | SqlType::MacAddr
        | SqlType::TsQuery => Plain,
        SqlType::Numeric { .. } | SqlType::Inet | SqlType::Cidr => Main,
        SqlType::Text
        | SqlType::Varchar(_)
        | SqlType::Char(_)
        | SqlType::Bytea
        | SqlType::Json
        | SqlType::Jsonb
        | SqlType::Xml
        | SqlType::Bit(_)
        | SqlType::VarBit(_)
        | SqlType::TsVector
        | SqlType::Array(_) => Extended,
        SqlType::Builtin(name) => match *name {
            "point" | "line" | "lseg" | "box" | "circle" | "macaddr8" | "pg_lsn" => Plain,
            // The range and multirange types, `path`, `polygon`.
            _ => Extended,
        },
        SqlType::Named(name) => match contrib::contrib_type_extension(&name.name)? {
            "citext" | "hstore" | "ltree" => Extended,
            // cube, earthdistance's earth (a domain over cube), isn's types,
            // intarray's query_int, lo (a domain over oid), seg.
            _ => Plain,
        },
    })
}

impl Schema {
    /// The storage PostgreSQL gives a column of type `ty` by default
    /// (`pg_type.typstorage`): built-in types from a table, an enum `PLAIN`,
    /// a composite type `EXTENDED`, a domain its base type's. `None` for a
    /// type whose storage the model cannot know (one an unknown extension
    /// creates).
    pub fn default_storage(&self, ty: &SqlType) -> Option<Storage> {
        let mut ty = ty;
        // A domain's base may be another domain: at most one step per domain.
        for _ in 0..=self.domains.len() {
            let SqlType::Named(name) = ty else {
                return builtin_storage(ty);
            };
            if self.enums.contains_key(name) {
                return Some(Storage::Plain);
            }
            if self.composites.contains_key(name) {
                return Some(Storage::Extended);
            }
            match self.domains.get(name) {
                Some(d) => ty = &d.base,
                None => return builtin_storage(ty),
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_as_postgresql_reads_them() {
        assert_eq!(Storage::from_name("External"), Some(Storage::External));
        assert_eq!(Storage::from_name("toast"), None);
        assert_eq!(Compression::from_name("lz4"), Ok(Some(Compression::Lz4)));
        assert_eq!(Compression::from_name("default"), Ok(None));
        assert!(Compression::from_name("LZ4").is_err());
    }

    #[test]
    fn fixed_length_types_are_plain_and_text_extended() {
        let s = Schema::default();
        assert_eq!(s.default_storage(&SqlType::Integer), Some(Storage::Plain));
        assert_eq!(s.default_storage(&SqlType::Text), Some(Storage::Extended));
        assert_eq!(
            s.default_storage(&SqlType::Numeric {
                precision: None,
                scale: None
            }),
            Some(Storage::Main)
        );
        assert_eq!(
            s.default_storage(&SqlType::Array(Box::new(SqlType::Integer))),
            Some(Storage::Extended)
        );
        let unknown = SqlType::Named(crate::model::QualifiedName::new(
            "public".to_string(),
            "thing".to_string(),
        ));
        assert_eq!(s.default_storage(&unknown), None);
    }
}
