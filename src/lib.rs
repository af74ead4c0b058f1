//! `schema`: make database drift a compile error. This facade re-exports the
//! runtime and the macros so users depend on one crate.

#[doc(inline)]
pub use schema_macros as macros;
#[doc(inline)]
pub use schema_runtime as runtime;
