//! `schema`: make database drift a compile error. This facade is the one crate a
//! user depends on: it re-exports the runtime ([`Model`], [`Migrations`], ...)
//! and, as they arrive, the macros.

#[doc(inline)]
pub use schema_macros as macros;
#[doc(inline)]
pub use schema_runtime as runtime;
pub use schema_runtime::{Dialect, Migration, Migrations, Model, Script};
