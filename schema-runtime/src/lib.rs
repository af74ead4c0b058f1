//! The runtime an application links: the [`Model`] trait, embedded
//! [`Migrations`], and live introspection (PostgreSQL behind feature `postgres`,
//! SQLite behind the default feature `sqlite`). The migrator and drivers come
//! with the runtime issue.

pub mod introspect;
pub mod migration;
pub mod model;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "sqlite")]
pub mod sqlite;

pub use migration::{Dialect, Migration, Migrations, Script};
pub use model::Model;
