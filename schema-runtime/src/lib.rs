//! The runtime an application links: live introspection now; the migrator and
//! drivers arrive with the runtime issue.

#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "sqlite")]
pub mod sqlite;
