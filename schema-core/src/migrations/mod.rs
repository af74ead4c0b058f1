//! The migration history: find `migrations/<version>_<slug>/{up,down}.sql`, check
//! their checksums against `schema.sum`, and replay them into the model.

pub mod dialects;
pub mod discover;
pub mod generate;
pub mod online;
pub mod replay;
pub mod sum;

pub use discover::{MigrationFiles, checksum, discover, resolve_migrations_dir};
