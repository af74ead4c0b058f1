//! The schema engine: parse `schema.sql` and the migration history into one model,
//! replay, lint and compare, with located diagnostics.
//!
//! No proc macro and no database driver live here; the macro crate, the CLI and the
//! runtime all call into this crate so that every surface reaches the same verdict.
//!
//! Feature `codegen` adds module `codegen`: the Rust code of the models, the
//! expansions of `schema!()` and `#[derive(Schema)]` and their caches, which
//! the proc-macro crate `schema-macros` runs (the runtime and the CLI leave it
//! off, so applications do not compile it).

pub mod analyze;
pub mod atomic;
pub mod build;
#[cfg(feature = "codegen")]
pub mod codegen;
pub mod diagnostic;
pub mod dialect;
pub mod diff;
pub mod directive;
pub mod fingerprint;
pub mod lint;
pub mod migrations;
pub mod model;
pub mod parse;
pub mod render;
pub mod stack;
pub(crate) mod walk;

pub use analyze::{Analysis, Loaded, Project, analyze, load};
pub use diagnostic::{Diagnostic, Origin, Source};
pub use dialect::Dialect;
pub use model::Schema;
