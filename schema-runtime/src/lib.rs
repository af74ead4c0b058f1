//! The runtime an application links: the [`Model`] trait, embedded
//! [`Migrations`], the [`Migrator`] and its [`Driver`]s (SQLite behind feature
//! `sqlite`, with SQLite compiled in by the default feature `sqlite-bundled`;
//! PostgreSQL behind feature `postgres`), and live introspection ([`introspect`]).
//!
//! Models move rows as [`Record`]s: the methods `schema!()` and
//! `#[derive(Schema)]` generate insert, find, update and delete them by
//! primary key on any [`Executor`] of either driver ([`rows`]), each field
//! converted by [`Field`] to a dialect-neutral [`Value`].

pub mod connect;
pub mod driver;
pub mod history;
pub mod introspect;
pub mod migration;
pub mod migrator;
pub mod model;
pub mod record;
pub mod rows;
pub(crate) mod session;
pub mod split;
#[cfg(feature = "postgres")]
pub mod stored;
pub mod value;
pub mod view_rows;

pub use connect::connect;
pub use driver::{AsyncDriver, Driver, DriverError};
pub use migration::{Dialect, Fresh, Migration, Migrations, Script};
pub use migrator::{
    DownTo, MigrateError, Migrator, Options, Report, Resolution, State, Status, Step, VerifyReport,
};
pub use model::Model;
pub use record::{NewRecord, Record, RowError};
#[allow(deprecated)]
pub use rows::{AsyncExecutor, Executor, RecordExt};
pub use value::{Field, FieldError, Value};
pub use view_rows::ViewRecord;
