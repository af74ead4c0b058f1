//! The extensions shipped with PostgreSQL (its `contrib` modules) and the
//! column types each one creates, so that `email citext` resolves once
//! `CREATE EXTENSION citext` is there; an extension not listed here is
//! accepted with its types as opaque names (see [`resolve_extension_type`]).

use super::{DEFAULT_SCHEMA, QualifiedName, Schema};

/// Every extension PostgreSQL 15 ships in `contrib`, by the name
/// `CREATE EXTENSION` takes.
pub const CONTRIB_EXTENSIONS: &[&str] = &[
    "adminpack",
    "amcheck",
    "autoinc",
    "bloom",
    "btree_gin",
    "btree_gist",
    "citext",
    "cube",
    "dblink",
    "dict_int",
    "dict_xsyn",
    "earthdistance",
    "file_fdw",
    "fuzzystrmatch",
    "hstore",
    "insert_username",
    "intagg",
    "intarray",
    "isn",
    "lo",
    "ltree",
    "moddatetime",
    "old_snapshot",
    "pageinspect",
    "pg_buffercache",
    "pg_freespacemap",
    "pg_prewarm",
    "pg_stat_statements",
    "pg_surgery",
    "pg_trgm",
    "pg_visibility",
    "pg_walinspect",
    "pgcrypto",
    "pgrowlocks",
    "pgstattuple",
    "plpgsql",
    "postgres_fdw",
    "refint",
    "seg",
    "sslinfo",
    "tablefunc",
    "tcn",
    "tsm_system_rows",
    "tsm_system_time",
    "unaccent",
    "uuid-ossp",
    "xml2",
];

/// The types a column can have that contrib extensions create, with the
/// extension that creates each (their array types come with them). Index
/// support types (`gtrgm`, `ghstore`, `gbtreekey8`, ...) are left out: no
/// column holds one.
pub const CONTRIB_TYPES: &[(&str, &str)] = &[
    ("citext", "citext"),
    ("cube", "cube"),
    ("earth", "earthdistance"),
    ("hstore", "hstore"),
    ("query_int", "intarray"),
    ("ean13", "isn"),
    ("isbn", "isn"),
    ("isbn13", "isn"),
    ("ismn", "isn"),
    ("ismn13", "isn"),
    ("issn", "isn"),
    ("issn13", "isn"),
    ("upc", "isn"),
    ("lo", "lo"),
    ("lquery", "ltree"),
    ("ltree", "ltree"),
    ("ltxtquery", "ltree"),
    ("seg", "seg"),
];

/// The comment each contrib extension's control file gives it (PostgreSQL
/// 15's `pg_available_extensions.comment`): what `CREATE EXTENSION` sets and
/// pg_dump writes back as `COMMENT ON EXTENSION`.
pub const CONTRIB_COMMENTS: &[(&str, &str)] = &[
    ("adminpack", "administrative functions for PostgreSQL"),
    ("amcheck", "functions for verifying relation integrity"),
    ("autoinc", "functions for autoincrementing fields"),
    ("bloom", "bloom access method - signature file based index"),
    ("btree_gin", "support for indexing common datatypes in GIN"),
    (
        "btree_gist",
        "support for indexing common datatypes in GiST",
    ),
    ("citext", "data type for case-insensitive character strings"),
    ("cube", "data type for multidimensional cubes"),
    (
        "dblink",
        "connect to other PostgreSQL databases from within a database",
    ),
    ("dict_int", "text search dictionary template for integers"),
    (
        "dict_xsyn",
        "text search dictionary template for extended synonym processing",
    ),
    (
        "earthdistance",
        "calculate great-circle distances on the surface of the Earth",
    ),
    ("file_fdw", "foreign-data wrapper for flat file access"),
    (
        "fuzzystrmatch",
        "determine similarities and distance between strings",
    ),
    ("hstore", "data type for storing sets of (key, value) pairs"),
    (
        "insert_username",
        "functions for tracking who changed a table",
    ),
    ("intagg", "integer aggregator and enumerator (obsolete)"),
    (
        "intarray",
        "functions, operators, and index support for 1-D arrays of integers",
    ),
    (
        "isn",
        "data types for international product numbering standards",
    ),
    ("lo", "Large Object maintenance"),
    ("ltree", "data type for hierarchical tree-like structures"),
    (
        "moddatetime",
        "functions for tracking last modification time",
    ),
    (
        "old_snapshot",
        "utilities in support of old_snapshot_threshold",
    ),
    (
        "pageinspect",
        "inspect the contents of database pages at a low level",
    ),
    ("pg_buffercache", "examine the shared buffer cache"),
    ("pg_freespacemap", "examine the free space map (FSM)"),
    ("pg_prewarm", "prewarm relation data"),
    (
        "pg_stat_statements",
        "track planning and execution statistics of all SQL statements executed",
    ),
    (
        "pg_surgery",
        "extension to perform surgery on a damaged relation",
    ),
    (
        "pg_trgm",
        "text similarity measurement and index searching based on trigrams",
    ),
    (
        "pg_visibility",
        "examine the visibility map (VM) and page-level visibility info",
    ),
    (
        "pg_walinspect",
        "functions to inspect contents of PostgreSQL Write-Ahead Log",
    ),
    ("pgcrypto", "cryptographic functions"),
    ("pgrowlocks", "show row-level locking information"),
    ("pgstattuple", "show tuple-level statistics"),
    ("plpgsql", "PL/pgSQL procedural language"),
    (
        "postgres_fdw",
        "foreign-data wrapper for remote PostgreSQL servers",
    ),
    (
        "refint",
        "functions for implementing referential integrity (obsolete)",
    ),
    (
        "seg",
        "data type for representing line segments or floating-point intervals",
    ),
    ("sslinfo", "information about SSL certificates"),
    (
        "tablefunc",
        "functions that manipulate whole tables, including crosstab",
    ),
    ("tcn", "Triggered change notifications"),
    (
        "tsm_system_rows",
        "TABLESAMPLE method which accepts number of rows as a limit",
    ),
    (
        "tsm_system_time",
        "TABLESAMPLE method which accepts time in milliseconds as a limit",
    ),
    ("unaccent", "text search dictionary that removes accents"),
    (
        "uuid-ossp",
        "generate universally unique identifiers (UUIDs)",
    ),
    ("xml2", "XPath querying and XSLT"),
];

/// The comment `CREATE EXTENSION name` gives a contrib extension (see
/// [`CONTRIB_COMMENTS`]); `None` for an extension not listed there.
pub fn default_comment(name: &str) -> Option<&'static str> {
    CONTRIB_COMMENTS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, comment)| *comment)
}

/// The contrib extension that creates the type called `name`, if one does.
pub fn contrib_type_extension(name: &str) -> Option<&'static str> {
    CONTRIB_TYPES
        .iter()
        .find(|(ty, _)| *ty == name)
        .map(|(_, extension)| *extension)
}

/// How a type name that is not one of the schema's own types resolves
/// against its extensions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtensionType {
    /// A contrib type whose extension the schema creates, in the schema the
    /// name is in.
    Known {
        /// The extension.
        extension: &'static str,
    },
    /// A contrib type whose extension the schema does not create (or creates
    /// in another schema than the name says).
    Missing {
        /// The extension that would create it.
        extension: &'static str,
        /// The schema the extension is created in, when it is created.
        installed_in: Option<String>,
    },
    /// Not a contrib type, but the schema creates an extension this list does
    /// not know, which may create it: taken as an opaque name.
    Opaque {
        /// The unknown extensions (sorted).
        extensions: Vec<String>,
    },
    /// Nothing creates it.
    Unknown,
}

/// How the type `name` resolves against `schema`'s extensions. An extension
/// created without `SCHEMA` goes in `public` (the first schema of the default
/// `search_path`); a type named without a schema is looked for in `public`.
pub fn resolve_extension_type(schema: &Schema, name: &QualifiedName) -> ExtensionType {
    if let Some(extension) = contrib_type_extension(&name.name) {
        return match schema.extensions.get(&QualifiedName::global(extension)) {
            Some(e) => {
                let installed = e.schema.as_deref().unwrap_or(DEFAULT_SCHEMA);
                if installed == name.schema {
                    ExtensionType::Known { extension }
                } else {
                    ExtensionType::Missing {
                        extension,
                        installed_in: Some(installed.to_string()),
                    }
                }
            }
            None => ExtensionType::Missing {
                extension,
                installed_in: None,
            },
        };
    }
    let extensions: Vec<String> = schema
        .extensions
        .values()
        .filter(|e| !CONTRIB_EXTENSIONS.contains(&e.name.as_str()))
        .map(|e| e.name.clone())
        .collect();
    if extensions.is_empty() {
        ExtensionType::Unknown
    } else {
        ExtensionType::Opaque { extensions }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Origin;
    use crate::model::Extension;

    fn with_extension(name: &str, in_schema: Option<&str>) -> Schema {
        let mut schema = Schema::new();
        schema.extensions.insert(
            QualifiedName::global(name),
            Extension {
                name: name.to_string(),
                schema: in_schema.map(str::to_string),
                version: None,
                if_not_exists: false,
                with_keyword: false,
                cascade: false,
                requires: Vec::new(),
                comment: crate::model::ExtensionComment::Default,
                origin: Origin::synthetic("test"),
            },
        );
        schema
    }

    #[test]
    fn every_contrib_extension_has_its_comment() {
        for name in CONTRIB_EXTENSIONS {
            assert!(default_comment(name).is_some(), "{name}");
        }
    }

    #[test]
    fn a_contrib_type_resolves_only_with_its_extension_in_its_schema() {
        let citext = QualifiedName::public("citext");
        assert_eq!(
            resolve_extension_type(&Schema::new(), &citext),
            ExtensionType::Missing {
                extension: "citext",
                installed_in: None
            }
        );
        assert_eq!(
            resolve_extension_type(&with_extension("citext", None), &citext),
            ExtensionType::Known {
                extension: "citext"
            }
        );
        assert_eq!(
            resolve_extension_type(&with_extension("citext", Some("ext")), &citext),
            ExtensionType::Missing {
                extension: "citext",
                installed_in: Some("ext".to_string())
            }
        );
        assert_eq!(
            resolve_extension_type(
                &with_extension("citext", Some("ext")),
                &QualifiedName::new("ext", "citext")
            ),
            ExtensionType::Known {
                extension: "citext"
            }
        );
    }

    #[test]
    fn an_unknown_extension_makes_other_names_opaque_and_a_contrib_one_does_not() {
        let geometry = QualifiedName::public("geometry");
        assert_eq!(
            resolve_extension_type(&with_extension("postgis", None), &geometry),
            ExtensionType::Opaque {
                extensions: vec!["postgis".to_string()]
            }
        );
        assert_eq!(
            resolve_extension_type(&with_extension("hstore", None), &geometry),
            ExtensionType::Unknown
        );
    }

    #[test]
    fn every_contrib_type_names_a_contrib_extension() {
        for (ty, extension) in CONTRIB_TYPES {
            assert!(CONTRIB_EXTENSIONS.contains(extension), "{ty}: {extension}");
        }
    }
}
