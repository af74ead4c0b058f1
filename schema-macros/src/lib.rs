//! Procedural macros of the schema toolkit: `schema!()` and `#[derive(Schema)]`.
//!
//! A thin shell over `schema_core::codegen` (feature `codegen`), which parses
//! the macro input, analyses the project (cached), generates the code and
//! places each error on the smallest token it is about. This crate holds what
//! only a proc-macro crate has: the entry points, the conversion of
//! `proc_macro::TokenStream` to and from `proc_macro2`, and the [`Host`] facts
//! (the features of `sqlschema` it was built with, its own version and sources,
//! the compiler's lexer). Use the macros through the `sqlschema` crate, which
//! re-exports them.

use std::path::PathBuf;
use std::str::FromStr;

use proc_macro::TokenStream;
use schema_core::codegen::{self, Features, Host};

/// Checks the project's `schema.sql` against its `migrations/` at compile time
/// and expands to `pub mod models { .. }` (one struct per table, one enum per
/// enum type) and `pub static MIGRATIONS: ::sqlschema::Migrations`.
///
/// Paths are relative to the crate's `Cargo.toml`; both are optional:
///
/// ```ignore
/// sqlschema::schema!();
/// sqlschema::schema!(schema = "db/schema.sql", migrations = "db/migrations");
/// // Derives and attributes on every table's model (and insert struct), or one table's:
/// sqlschema::schema!(derive(Eq, Hash), derive(users: Default), attr(serde(rename_all = "camelCase")));
/// // The online lints (S05xx): errors, judged for PostgreSQL 15, style rules on,
/// // only the migrations after one that already ran in production:
/// sqlschema::schema!(online_lints = "deny", pg_version = 15, style_lints = true, online_after = 20240408113000);
/// ```
///
/// The online lints' warnings (a migration that locks or rewrites a busy
/// table) are compiler warnings, shown as the `deprecated` lint's (stable Rust
/// gives a macro no warnings of its own); `online_lints = "off"` silences them.
///
/// Each table's model gets its row methods (`insert`, `all`; with a primary
/// key `find(db, key)`, `update`, `delete`, `delete_by_key`), and a table
/// with defaults a `New<Model>` whose `insert` returns the row the database
/// made. A derive some column's type cannot have (`Eq` on a `real` column)
/// is an error naming the column.
///
/// Every problem the engine finds (drift between schema.sql and the migrations,
/// an empty migration, a down that does not undo its up, a migration edited
/// after `schema.sum` recorded it, ...) is a compile error quoting the file,
/// line and column. Editing any of these files rebuilds the crate.
#[proc_macro]
pub fn schema(input: TokenStream) -> TokenStream {
    codegen::schema_at(&host(), &manifest_dir(), input.into()).into()
}

/// Implements `::sqlschema::Model` for a struct after checking it field by field
/// against the table schema.sql declares, and `::sqlschema::Record` (rows to and
/// from the database) when it models every column of the table (not `partial`).
///
/// ```ignore
/// #[derive(sqlschema::Schema)]
/// #[schema(table = "users")]          // required; `partial` to model some columns only,
///                                     // `schema = "path"` for another schema file
/// struct UserRow {
///     id: i32,
///     #[schema(column = "email")]     // when the field's name is not the column's
///     address: String,
///     bio: Option<String>,
/// }
/// ```
#[proc_macro_derive(Schema, attributes(schema))]
pub fn derive_schema(input: TokenStream) -> TokenStream {
    codegen::derive_at(&host(), &manifest_dir(), input.into()).into()
}

/// What only this crate knows of an expansion.
fn host() -> Host {
    Host {
        features: features(),
        macro_version: env!("CARGO_PKG_VERSION"),
        macro_source: env!("CARGO_MANIFEST_DIR"),
        lex,
    }
}

/// The crate being compiled: where relative paths start.
fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default()
}

/// The features of `sqlschema` this build has, which decide the generated types.
fn features() -> Features {
    Features {
        chrono: cfg!(feature = "chrono"),
        time: cfg!(feature = "time"),
        uuid: cfg!(feature = "uuid"),
        json: cfg!(feature = "json"),
        decimal: cfg!(feature = "decimal"),
        serde: cfg!(feature = "serde"),
        sqlx: cfg!(feature = "sqlx"),
    }
}

/// Tokens from their text by the compiler's own lexer, which is much faster
/// than `proc_macro2`'s in an unoptimised proc macro (and a call into the
/// compiler per token is slower still); `None` outside a macro.
fn lex(text: &str) -> Option<proc_macro2::TokenStream> {
    if !proc_macro::is_available() {
        return None;
    }
    proc_macro::TokenStream::from_str(text)
        .ok()
        .map(proc_macro2::TokenStream::from)
}
