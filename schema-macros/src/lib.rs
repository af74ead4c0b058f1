//! Procedural macros of the schema toolkit: `schema!()` and `#[derive(Schema)]`.
//!
//! A thin layer over `schema_core`: parse the macro input, call the engine
//! (`schema_core::analyze`, `schema_core::codegen`), emit its tokens, or one
//! `compile_error!` per diagnostic placed on the smallest token it is about.
//! Use them through the `schema` crate, which re-exports them.

mod args;
mod cache;
mod derive;
mod disk;
mod expand;
#[cfg(test)]
mod snapshots;
mod track;

use proc_macro::TokenStream;

/// Checks the project's `schema.sql` against its `migrations/` at compile time
/// and expands to `pub mod models { .. }` (one struct per table, one enum per
/// enum type) and `pub static MIGRATIONS: ::schema::Migrations`.
///
/// Paths are relative to the crate's `Cargo.toml`; both are optional:
///
/// ```ignore
/// schema::schema!();
/// schema::schema!(schema = "db/schema.sql", migrations = "db/migrations");
/// ```
///
/// Every problem the engine finds (drift between schema.sql and the migrations,
/// an empty migration, a down that does not undo its up, a migration edited
/// after `schema.sum` recorded it, ...) is a compile error quoting the file,
/// line and column. Editing any of these files rebuilds the crate.
#[proc_macro]
pub fn schema(input: TokenStream) -> TokenStream {
    expand::schema_inner(input.into()).into()
}

/// Implements `::schema::Model` for a struct after checking it field by field
/// against the table schema.sql declares, and `::schema::Record` (rows to and
/// from the database) when it models every column of the table (not `partial`).
///
/// ```ignore
/// #[derive(schema::Schema)]
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
    derive::derive_inner(input.into()).into()
}
