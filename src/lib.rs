//! `sqlschema`: make database drift a compile error. This facade is the one crate a
//! user depends on: it re-exports the runtime ([`Model`], [`Migrations`], ...)
//! and the macros [`schema!`] and [`derive(Schema)`](derive@Schema).
//!
//! ```toml
//! [dependencies]
//! sqlschema = "0.1"   # chrono date/time types, the SQLite driver with SQLite compiled in
//! # sqlschema = { version = "0.1", features = ["postgres", "json", "uuid", "decimal", "serde"] }
//! ```
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
//! | `sqlite` (default) | `SqliteDriver`, the SQLite driver of the migrator (rusqlite), with SQLite compiled in: nothing to install |
//! | `sqlite-system` | the same driver linked to the system's libsqlite3 (`apt install libsqlite3-dev`); use it with `default-features = false` |
//! | `postgres` | `PostgresDriver`, the PostgreSQL driver of the migrator (the `postgres` crate) |
//! | `tokio-postgres` | `TokioPostgresDriver`, the async PostgreSQL driver on `tokio-postgres` (`tokio_postgres_connection::connect(url).await`) |
//! | `sqlx-postgres` | `SqlxPostgresDriver`, the async PostgreSQL driver over an sqlx 0.8 pool (`SqlxPostgresDriver::from_pool(&pool).await`) |
//! | `sqlx-sqlite` | `SqlxSqliteDriver`, the async SQLite driver over an sqlx 0.8 pool (`SqlxSqliteDriver::from_pool(&pool).await`) |
//! | `sqlx` | `sqlx::FromRow` on generated models, `sqlx::Type` on generated enums (your crate depends on `sqlx` itself: its derives name `::sqlx`) |
//!
//! # Async
//!
//! Every [`Migrator`] method has an `_async` twin taking an [`AsyncDriver`]
//! (`up_async`, `down_async`, `redo_async`, `status_async`, `verify_async`,
//! `stamp_async`, `resolve_async`): the same policy (one code path decides
//! what to lock, run and record for both), futures that are `Send` (a
//! migration can run in `tokio::spawn`), locks, transactions and
//! `no-transaction` migrations as with the blocking drivers. The drivers need
//! a tokio runtime. See `docs/async.md`.
//!
//! ```ignore
//! let pool = sqlx::PgPool::connect(&url).await?;
//! let mut db = sqlschema::SqlxPostgresDriver::from_pool(&pool).await?;
//! sqlschema::Migrator::new(&MIGRATIONS).up_async(&mut db).await?;
//! ```
//!
//! # SQLite linkage
//!
//! With `default-features = false` and neither `sqlite` nor `sqlite-system`, no
//! SQLite library is compiled or linked and `SqliteDriver` is absent:
//!
//! ```toml
//! sqlschema = { version = "0.1", default-features = false, features = ["chrono", "postgres"] }
//! ```
//!
//! `sqlite-system` links the system's SQLite instead of compiling one (install
//! its development files first: `apt install libsqlite3-dev` on Debian and
//! Ubuntu). When `sqlite` is on too, the bundled SQLite wins.
//!
//! **Using sqlx's SQLite.** The driver is rusqlite 0.32, whose `libsqlite3-sys`
//! 0.30 is the one sqlx 0.8 uses, so an application with sqlx 0.8 (feature
//! `sqlite`, or `sqlite-unbundled`) and this crate's `sqlite` or `sqlite-system`
//! builds and links one SQLite library, shared by both: cargo allows only one
//! crate that links `sqlite3`. It is compiled in when either side asks for
//! bundling (sqlx's `sqlite` does, and so does `sqlite` here), and the system's
//! otherwise (sqlx's `sqlite-unbundled` with `sqlite-system`).
//!
//! # Types
//!
//! The one mapping from column types to Rust types, used by `schema!()` for the
//! generated models and checked by `#[derive(Schema)]` (a field's type as
//! written: a suffix of the type's full path, `Option<T>` of it; type aliases are
//! not resolved). A nullable column is an `Option` of it. The generated code
//! reaches the crates it uses through this crate, so depending on `sqlschema`
//! (with the feature) is enough.
//!
//! | column type | Rust type | feature of `sqlschema` |
//! |---|---|---|
//! | `smallint` | `i16` | |
//! | `integer` (`serial`) | `i32` | |
//! | `bigint` (`bigserial`) | `i64` | |
//! | `real` | `f32` | |
//! | `double precision` | `f64` | |
//! | `numeric`, `money` | `rust_decimal::Decimal` | `decimal` |
//! | `text`, `varchar`, `char` | `String` | |
//! | `bytea` | `Vec<u8>` | |
//! | `boolean` | `bool` | |
//! | `date` | `chrono::NaiveDate` / `time::Date` | `chrono` (default) / `time` |
//! | `time` | `chrono::NaiveTime` / `time::Time` | `chrono` / `time` |
//! | `timestamp` | `chrono::NaiveDateTime` / `time::PrimitiveDateTime` | `chrono` / `time` |
//! | `timestamptz` | `chrono::DateTime<chrono::Utc>` / `time::OffsetDateTime` | `chrono` / `time` |
//! | `uuid` | `uuid::Uuid` | `uuid` |
//! | `json`, `jsonb` | `serde_json::Value` | `json` |
//! | `T[]` | `Vec<T>` (elements taken as not null) | as `T` |
//! | an enum type | its generated enum | |
//! | a composite type | its generated struct, every attribute an `Option` of its type by this table (a `money` attribute is `String`: see below) | as its attributes' types |
//! | a domain | the type of its base type (domains over domains followed); `Option` unless the column itself is `NOT NULL` (a domain's own `NOT NULL` is not enough: an outer join still reads `NULL`) | as its base type |
//! | `timetz`, `interval`, `inet`, `cidr`, `macaddr`, `xml`, `bit`, `varbit`, `tsvector`, `tsquery`, the range and multirange types, the geometric types, `macaddr8`, `pg_lsn`, other named types | `String` (their text form) | |
//!
//! A composite type's struct has an `Option` field per attribute (PostgreSQL has
//! no `NOT NULL` attribute) and moves as PostgreSQL's record text, `(1,"a b",)`,
//! so composites nest in composites and arrays. Inside a record a `money` prints
//! in the locale's currency format (`$1,000.00`), which cannot be read back
//! exactly as a number, so a `money` attribute is a `String`: the text as printed.
//!
//! With both `chrono` and `time` on, `chrono` is used (turn off the default
//! features to get `time`). A column whose type needs a feature that is off is
//! an error (`S0401/feature_disabled`) that names the feature.
//!
//! Names: a table's struct is the UpperCamelCase singular of the table's name
//! (`job_descriptions` → `JobDescription`), an enum type's enum and a composite
//! type's struct the UpperCamelCase of its name; a `-- schema: model = Name`
//! directive on the line(s) above the `CREATE` names it otherwise. A field is
//! named by its column (`r#type` for a keyword, `"userId"` → `user_id`).

use std::fmt;

mod row_methods;

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
#[cfg(feature = "sqlx-postgres")]
pub use schema_runtime::driver::postgres_async::sqlx_connection::SqlxPostgresDriver;
#[cfg(feature = "tokio-postgres")]
pub use schema_runtime::driver::postgres_async::tokio_postgres_connection::TokioPostgresDriver;
#[cfg(any(feature = "tokio-postgres", feature = "sqlx-postgres"))]
pub use schema_runtime::driver::postgres_async::{AsyncPostgresDriver, PgConnection};
#[cfg(any(feature = "sqlite", feature = "sqlite-system"))]
pub use schema_runtime::driver::sqlite::SqliteDriver;
#[cfg(feature = "sqlx-sqlite")]
pub use schema_runtime::driver::sqlx_sqlite::SqlxSqliteDriver;
pub use schema_runtime::{
    AsyncDriver, DownTo, Driver, MigrateError, Migrator, Options, Report, Status, VerifyReport,
    connect,
};
pub use schema_runtime::{
    AsyncExecutor, Executor, Field, FieldError, Record, RowError, Value, ViewRecord,
};
pub use schema_runtime::{Dialect, Migration, Migrations, Model, Script};

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
        AsyncExecutor, Executor, Field, FieldError, Fresh, Migration, Migrations, Model, NewRecord,
        Record, RowError, Script, Value, ViewRecord,
    };

    pub use crate::__insert_methods as insert_methods;
    pub use crate::__record_methods as record_methods;
    pub use crate::__row_methods as row_methods;

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
