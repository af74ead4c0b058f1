//! The schema engine behind `schema-macros`, `schema-cli` and `schema-runtime`:
//! parse `schema.sql` and the migration history into one model, replay, lint,
//! compare and render, with located diagnostics.
//!
//! **Its API is not stable.** It exists so that every surface reaches the same
//! verdict, and it changes with them: depend on the `schema` facade (or the CLI)
//! instead; a minor release of this crate may change anything public here.
//! ARCHITECTURE.md at the repository's root walks through the modules.
//!
//! No proc macro and no database driver live here. Feature `codegen` adds module
//! `codegen`: the Rust code of the models, the expansions of `schema!()` and
//! `#[derive(Schema)]` and their caches, which the proc-macro crate
//! `schema-macros` runs (the runtime and the CLI leave it off, so applications
//! do not compile it, nor quote, proc-macro2 and syn through it).

pub mod analyze;
pub mod atomic;
pub mod build;
#[cfg(feature = "codegen")]
pub mod codegen;
pub mod diagnostic;
pub mod dialect;
pub mod diff;
pub mod directive;
#[cfg(feature = "codegen")]
pub(crate) mod fingerprint;
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
