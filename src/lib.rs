//! `sqlschema`: make database drift a compile error. This facade is the one crate a
//! user depends on: it re-exports the runtime ([`Model`], [`Migrations`], ...)
//! and the macros [`schema!`] and [`derive(Schema)`](derive@Schema).
//!
//! ```ignore
//! sqlschema::schema!();   // schema.sql + migrations/ next to Cargo.toml
//! // pub mod models { pub struct User { .. } .. }  and  pub static MIGRATIONS
//! ```
//!
//! Generated models have their row methods: `NewUser { .. }.insert(&conn)?`
//! (the row the database made, defaults and generated keys filled in),
//! `user.insert(..)`, `User::find(&conn, 1)?` (the key in its own type),
//! `user.update(..)`, `user.delete(..)`, `User::delete_by_key(..)` and
//! `User::all(..)`, on any [`Executor`]: a `&rusqlite::Connection` or a
//! `&mut postgres::Client`, or their transactions (see [`runtime::rows`]).
//!
//! # Features
//!
//! | feature | what |
//! |---|---|
//! | `chrono` (default) | date and time columns as `chrono` types |
//! | `time` | date and time columns as `time` types (turn `chrono` off) |
//! | `uuid` | `uuid` columns as `uuid::Uuid` |
//! | `json` | `json`/`jsonb` columns as `serde_json::Value` |
//! | `decimal` | `numeric`/`money` columns as `rust_decimal::Decimal` |
//! | `serde` | `Serialize`/`Deserialize` on generated models and enums |
//! | `sqlx` | `sqlx::FromRow` on generated models, `sqlx::Type` on generated enums (your crate depends on `sqlx` itself: its derives name `::sqlx`) |
//!
//! The full type mapping is documented in `schema_core::codegen`.

use std::fmt;

#[doc(inline)]
pub use schema_macros as macros;
#[doc(inline)]
pub use schema_macros::{Schema, schema};
#[doc(inline)]
pub use schema_runtime as runtime;
#[allow(deprecated)]
pub use schema_runtime::RecordExt;
#[cfg(feature = "postgres")]
pub use schema_runtime::driver::postgres::PostgresDriver;
pub use schema_runtime::driver::sqlite::SqliteDriver;
pub use schema_runtime::{Dialect, Migration, Migrations, Model, Script};
pub use schema_runtime::{
    DownTo, Driver, MigrateError, Migrator, Options, Report, Status, VerifyReport, connect,
};
pub use schema_runtime::{Executor, Field, FieldError, Record, RowError, Value, ViewRecord};

/// A string that is not a label of an enum type: the error of a generated
/// enum's `FromStr`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnknownLabel {
    /// The enum type (`document_status`).
    pub type_name: &'static str,
    /// The string that is not one of its labels.
    pub label: String,
}

impl UnknownLabel {
    /// The error for `label`, not a label of `type_name`.
    pub fn new(type_name: &'static str, label: &str) -> Self {
        UnknownLabel {
            type_name,
            label: label.to_string(),
        }
    }
}

impl fmt::Display for UnknownLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a label of enum type `{}`",
            self.label, self.type_name
        )
    }
}

impl std::error::Error for UnknownLabel {}

/// What generated code refers to; not a public API. The code `schema!()` and
/// `#[derive(Schema)]` expand to names every item of ours by a path through
/// this module (`::sqlschema::__private::Model`), so that it reads the same
/// wherever it expands and whatever the user's own names.
#[doc(hidden)]
pub mod __private {
    pub use crate::UnknownLabel;
    pub use schema_runtime::record::RowValues;
    pub use schema_runtime::rows;
    pub use schema_runtime::value::Attributes;
    pub use schema_runtime::{
        Executor, Field, FieldError, Migration, Migrations, Model, Record, RowError, Script, Value,
        ViewRecord,
    };

    #[cfg(feature = "chrono")]
    pub use chrono;
    #[cfg(feature = "decimal")]
    pub use rust_decimal;
    #[cfg(feature = "serde")]
    pub use serde;
    #[cfg(feature = "json")]
    pub use serde_json;
    #[cfg(feature = "sqlx")]
    pub use sqlx;
    #[cfg(feature = "time")]
    pub use time;
    #[cfg(feature = "uuid")]
    pub use uuid;
}
