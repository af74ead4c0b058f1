//! The schema engine: parse `schema.sql` and the migration history into one model,
//! replay, lint and compare, with located diagnostics.
//!
//! No proc macro and no database driver live here; the macro crate, the CLI and the
//! runtime all call into this crate so that every surface reaches the same verdict.

pub mod analyze;
pub mod atomic;
pub mod build;
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
