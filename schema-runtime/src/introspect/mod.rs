//! Live introspection: what a database holds, read into the same schema model
//! that parsing `schema.sql` gives (`postgres` reads `pg_catalog`, `sqlite`
//! the pragmas and stored `CREATE` text), and what can go wrong doing it
//! ([`IntrospectError`], whatever the database).
//!
//! The migrator's [`Driver`](crate::Driver)s, next door in [`crate::driver`],
//! call these through [`Driver::introspect`](crate::Driver::introspect).

use std::fmt;

#[cfg(feature = "postgres")]
pub(crate) mod pg_others;
#[cfg(feature = "postgres")]
mod pg_privileges;
#[cfg(feature = "postgres")]
mod pg_triggers;
#[cfg(feature = "postgres")]
mod pg_views;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(any(feature = "sqlite", feature = "sqlx-sqlite"))]
pub mod sqlite;
#[cfg(any(feature = "sqlite", feature = "sqlx-sqlite"))]
mod sqlite_views;

/// What went wrong while reading a live schema.
#[derive(Debug)]
#[non_exhaustive]
pub enum IntrospectError {
    /// A query failed.
    Query {
        /// What was being read (`tables`, `columns of users`, ...).
        what: String,
        /// The driver's error.
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
    /// A type the model cannot read.
    Type {
        /// `table.column`.
        column: String,
        /// The type as the database printed or stored it.
        text: String,
        /// Why it could not be read.
        message: String,
    },
    /// An expression the model cannot read.
    Expression {
        /// Whose expression it is (`default of users.id`, ...).
        owner: String,
        /// The expression as the database printed or stored it.
        text: String,
        /// Why it could not be read.
        message: String,
    },
    /// The database holds something the model has no word for.
    Catalog {
        /// Whose it is.
        owner: String,
        /// What is wrong with it.
        message: String,
    },
}

impl IntrospectError {
    /// A failed query reading `what`.
    pub fn query(
        what: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        IntrospectError::Query {
            what: what.into(),
            source: Box::new(source),
        }
    }
}

impl fmt::Display for IntrospectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntrospectError::Query { what, source } => {
                write!(f, "while introspecting {what}: {source}")
            }
            IntrospectError::Type {
                column,
                text,
                message,
            } => write!(
                f,
                "while introspecting the type of `{column}`: cannot read `{text}`: {message}"
            ),
            IntrospectError::Expression {
                owner,
                text,
                message,
            } => write!(
                f,
                "while introspecting the {owner}: cannot read `{text}`: {message}"
            ),
            IntrospectError::Catalog { owner, message } => {
                write!(f, "while introspecting {owner}: {message}")
            }
        }
    }
}

impl std::error::Error for IntrospectError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            IntrospectError::Query { source, .. } => Some(&**source),
            _ => None,
        }
    }
}
