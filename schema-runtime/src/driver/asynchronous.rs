//! The async driver trait, and the one interface the migrator's policy is
//! written against ([`Db`]), which both a blocking [`Driver`] and an
//! [`AsyncDriver`] give: the migrator decides once what to run, lock and
//! record, whichever kind of driver does it.

use std::future::Future;
use std::time::Duration;

use schema_core::Schema;

use super::{Driver, DriverError, RowChange, RowState, ScriptError, VersionRow};
use crate::introspect::IntrospectError;
use crate::migration::Dialect;

/// A database the migrator can work on without blocking its thread: what
/// [`Driver`] does, as futures (which are `Send`, so a migration can run in
/// a spawned task). Each method means exactly what the same-named method of
/// [`Driver`] means; the async [`Migrator`](crate::Migrator) methods
/// (`up_async`, `verify_async`, ...) drive them.
pub trait AsyncDriver: Send {
    /// See [`Driver::dialect`].
    fn dialect(&self) -> Dialect;

    /// See [`Driver::transactional_ddl`].
    fn transactional_ddl(&self) -> bool {
        true
    }

    /// See [`Driver::lock`].
    fn lock(&mut self, timeout: Duration) -> impl Future<Output = Result<(), DriverError>> + Send;

    /// See [`Driver::set_lock_timeout`].
    fn set_lock_timeout(
        &mut self,
        timeout: Duration,
    ) -> impl Future<Output = Result<(), DriverError>> + Send;

    /// See [`Driver::unlock`].
    fn unlock(&mut self) -> impl Future<Output = Result<(), DriverError>> + Send;

    /// See [`Driver::ensure_version_table`].
    fn ensure_version_table(&mut self) -> impl Future<Output = Result<(), DriverError>> + Send;

    /// See [`Driver::read_versions`].
    fn read_versions(
        &mut self,
    ) -> impl Future<Output = Result<Vec<VersionRow>, DriverError>> + Send;

    /// See [`Driver::is_recorded`].
    fn is_recorded(
        &mut self,
        version: u64,
    ) -> impl Future<Output = Result<bool, DriverError>> + Send;

    /// See [`Driver::begin`].
    fn begin(&mut self, script: &str) -> impl Future<Output = Result<(), DriverError>> + Send;

    /// See [`Driver::commit`].
    fn commit(&mut self) -> impl Future<Output = Result<(), DriverError>> + Send;

    /// See [`Driver::rollback`].
    fn rollback(&mut self) -> impl Future<Output = Result<(), DriverError>> + Send;

    /// See [`Driver::run_script`].
    fn run_script(&mut self, sql: &str) -> impl Future<Output = Result<(), ScriptError>> + Send;

    /// See [`Driver::write_row`].
    fn write_row(
        &mut self,
        row: &VersionRow,
    ) -> impl Future<Output = Result<(), DriverError>> + Send;

    /// See [`Driver::run_in_one_batch`]. The default does nothing and gives
    /// `false`.
    fn run_in_one_batch(
        &mut self,
        change: RowChange<'_>,
        script: &str,
    ) -> impl Future<Output = Result<bool, DriverError>> + Send {
        let _ = (change, script);
        std::future::ready(Ok(false))
    }

    /// See [`Driver::set_state`].
    fn set_state(
        &mut self,
        version: u64,
        state: RowState,
        duration_ms: Option<f64>,
    ) -> impl Future<Output = Result<(), DriverError>> + Send;

    /// See [`Driver::delete_row`].
    fn delete_row(&mut self, version: u64) -> impl Future<Output = Result<(), DriverError>> + Send;

    /// See [`Driver::introspect`].
    fn introspect(
        &mut self,
        schemas: &[String],
    ) -> impl Future<Output = Result<Schema, IntrospectError>> + Send;

    /// See [`Driver::namespaces`].
    fn namespaces(&mut self) -> impl Future<Output = Result<Vec<String>, IntrospectError>> + Send;

    /// See [`Driver::unusable`].
    fn unusable(
        &mut self,
        schemas: &[String],
    ) -> impl Future<Output = Result<Vec<String>, IntrospectError>> + Send;

    /// See [`Driver::comparable`].
    fn comparable(&self, declared: &Schema) -> Schema {
        declared.clone()
    }

    /// See [`Driver::as_stored`].
    fn as_stored(&mut self, declared: &Schema) -> impl Future<Output = Schema> + Send;
}

/// What the migrator's policy asks of a database, blocking or not.
pub(crate) trait Db {
    fn dialect(&self) -> Dialect;
    fn transactional_ddl(&self) -> bool;
    fn comparable(&self, declared: &Schema) -> Schema;
    async fn lock(&mut self, timeout: Duration) -> Result<(), DriverError>;
    async fn set_lock_timeout(&mut self, timeout: Duration) -> Result<(), DriverError>;
    async fn unlock(&mut self) -> Result<(), DriverError>;
    async fn ensure_version_table(&mut self) -> Result<(), DriverError>;
    async fn read_versions(&mut self) -> Result<Vec<VersionRow>, DriverError>;
    async fn is_recorded(&mut self, version: u64) -> Result<bool, DriverError>;
    async fn begin(&mut self, script: &str) -> Result<(), DriverError>;
    async fn commit(&mut self) -> Result<(), DriverError>;
    async fn rollback(&mut self) -> Result<(), DriverError>;
    async fn run_script(&mut self, sql: &str) -> Result<(), ScriptError>;
    async fn write_row(&mut self, row: &VersionRow) -> Result<(), DriverError>;
    async fn run_in_one_batch(
        &mut self,
        change: RowChange<'_>,
        script: &str,
    ) -> Result<bool, DriverError> {
        let _ = (change, script);
        Ok(false)
    }
    async fn set_state(
        &mut self,
        version: u64,
        state: RowState,
        duration_ms: Option<f64>,
    ) -> Result<(), DriverError>;
    async fn delete_row(&mut self, version: u64) -> Result<(), DriverError>;
    async fn introspect(&mut self, schemas: &[String]) -> Result<Schema, IntrospectError>;
    async fn namespaces(&mut self) -> Result<Vec<String>, IntrospectError>;
    async fn unusable(&mut self, schemas: &[String]) -> Result<Vec<String>, IntrospectError>;
    async fn as_stored(&mut self, declared: &Schema) -> Schema;
}

/// A blocking driver as a [`Db`]: every future is ready when first polled.
pub(crate) struct Blocking<'a>(pub(crate) &'a mut dyn Driver);

/// An async driver as a [`Db`].
pub(crate) struct Nonblocking<'a, D>(pub(crate) &'a mut D);

macro_rules! db_impl {
    ($($await:tt)*) => {
        fn dialect(&self) -> Dialect {
            self.0.dialect()
        }
        fn transactional_ddl(&self) -> bool {
            self.0.transactional_ddl()
        }
        fn comparable(&self, declared: &Schema) -> Schema {
            self.0.comparable(declared)
        }
        async fn lock(&mut self, timeout: Duration) -> Result<(), DriverError> {
            self.0.lock(timeout)$($await)*
        }
        async fn set_lock_timeout(&mut self, timeout: Duration) -> Result<(), DriverError> {
            self.0.set_lock_timeout(timeout)$($await)*
        }
        async fn unlock(&mut self) -> Result<(), DriverError> {
            self.0.unlock()$($await)*
        }
        async fn ensure_version_table(&mut self) -> Result<(), DriverError> {
            self.0.ensure_version_table()$($await)*
        }
        async fn read_versions(&mut self) -> Result<Vec<VersionRow>, DriverError> {
            self.0.read_versions()$($await)*
        }
        async fn is_recorded(&mut self, version: u64) -> Result<bool, DriverError> {
            self.0.is_recorded(version)$($await)*
        }
        async fn begin(&mut self, script: &str) -> Result<(), DriverError> {
            self.0.begin(script)$($await)*
        }
        async fn commit(&mut self) -> Result<(), DriverError> {
            self.0.commit()$($await)*
        }
        async fn rollback(&mut self) -> Result<(), DriverError> {
            self.0.rollback()$($await)*
        }
        async fn run_script(&mut self, sql: &str) -> Result<(), ScriptError> {
            self.0.run_script(sql)$($await)*
        }
        async fn write_row(&mut self, row: &VersionRow) -> Result<(), DriverError> {
            self.0.write_row(row)$($await)*
        }
        async fn run_in_one_batch(
            &mut self,
            change: RowChange<'_>,
            script: &str,
        ) -> Result<bool, DriverError> {
            self.0.run_in_one_batch(change, script)$($await)*
        }
        async fn set_state(
            &mut self,
            version: u64,
            state: RowState,
            duration_ms: Option<f64>,
        ) -> Result<(), DriverError> {
            self.0.set_state(version, state, duration_ms)$($await)*
        }
        async fn delete_row(&mut self, version: u64) -> Result<(), DriverError> {
            self.0.delete_row(version)$($await)*
        }
        async fn introspect(&mut self, schemas: &[String]) -> Result<Schema, IntrospectError> {
            self.0.introspect(schemas)$($await)*
        }
        async fn namespaces(&mut self) -> Result<Vec<String>, IntrospectError> {
            self.0.namespaces()$($await)*
        }
        async fn unusable(&mut self, schemas: &[String]) -> Result<Vec<String>, IntrospectError> {
            self.0.unusable(schemas)$($await)*
        }
        async fn as_stored(&mut self, declared: &Schema) -> Schema {
            self.0.as_stored(declared)$($await)*
        }
    };
}

impl Db for Blocking<'_> {
    db_impl!();
}

impl<D: AsyncDriver> Db for Nonblocking<'_, D> {
    db_impl!(.await);
}

/// Implements [`AsyncDriver`] for a concrete driver type whose [`Db`]
/// implementation (written once, generic over its connection) gives the
/// work: the futures are `Send` when the connection's are, which the
/// compiler sees for a concrete type.
#[allow(unused_macros)]
macro_rules! async_driver_via_db {
    ($t:ty) => {
        impl $crate::driver::AsyncDriver for $t {
            fn dialect(&self) -> $crate::migration::Dialect {
                $crate::driver::asynchronous::Db::dialect(self)
            }
            fn transactional_ddl(&self) -> bool {
                $crate::driver::asynchronous::Db::transactional_ddl(self)
            }
            fn comparable(&self, declared: &schema_core::Schema) -> schema_core::Schema {
                $crate::driver::asynchronous::Db::comparable(self, declared)
            }
            fn lock(
                &mut self,
                timeout: std::time::Duration,
            ) -> impl std::future::Future<Output = Result<(), $crate::driver::DriverError>> + Send
            {
                $crate::driver::asynchronous::Db::lock(self, timeout)
            }
            fn set_lock_timeout(
                &mut self,
                timeout: std::time::Duration,
            ) -> impl std::future::Future<Output = Result<(), $crate::driver::DriverError>> + Send
            {
                $crate::driver::asynchronous::Db::set_lock_timeout(self, timeout)
            }
            fn unlock(
                &mut self,
            ) -> impl std::future::Future<Output = Result<(), $crate::driver::DriverError>> + Send
            {
                $crate::driver::asynchronous::Db::unlock(self)
            }
            fn ensure_version_table(
                &mut self,
            ) -> impl std::future::Future<Output = Result<(), $crate::driver::DriverError>> + Send
            {
                $crate::driver::asynchronous::Db::ensure_version_table(self)
            }
            fn read_versions(
                &mut self,
            ) -> impl std::future::Future<
                Output = Result<Vec<$crate::driver::VersionRow>, $crate::driver::DriverError>,
            > + Send {
                $crate::driver::asynchronous::Db::read_versions(self)
            }
            fn is_recorded(
                &mut self,
                version: u64,
            ) -> impl std::future::Future<Output = Result<bool, $crate::driver::DriverError>> + Send
            {
                $crate::driver::asynchronous::Db::is_recorded(self, version)
            }
            fn begin(
                &mut self,
                script: &str,
            ) -> impl std::future::Future<Output = Result<(), $crate::driver::DriverError>> + Send
            {
                $crate::driver::asynchronous::Db::begin(self, script)
            }
            fn commit(
                &mut self,
            ) -> impl std::future::Future<Output = Result<(), $crate::driver::DriverError>> + Send
            {
                $crate::driver::asynchronous::Db::commit(self)
            }
            fn rollback(
                &mut self,
            ) -> impl std::future::Future<Output = Result<(), $crate::driver::DriverError>> + Send
            {
                $crate::driver::asynchronous::Db::rollback(self)
            }
            fn run_script(
                &mut self,
                sql: &str,
            ) -> impl std::future::Future<Output = Result<(), $crate::driver::ScriptError>> + Send
            {
                $crate::driver::asynchronous::Db::run_script(self, sql)
            }
            fn write_row(
                &mut self,
                row: &$crate::driver::VersionRow,
            ) -> impl std::future::Future<Output = Result<(), $crate::driver::DriverError>> + Send
            {
                $crate::driver::asynchronous::Db::write_row(self, row)
            }
            fn run_in_one_batch(
                &mut self,
                change: $crate::driver::RowChange<'_>,
                script: &str,
            ) -> impl std::future::Future<Output = Result<bool, $crate::driver::DriverError>> + Send
            {
                $crate::driver::asynchronous::Db::run_in_one_batch(self, change, script)
            }
            fn set_state(
                &mut self,
                version: u64,
                state: $crate::driver::RowState,
                duration_ms: Option<f64>,
            ) -> impl std::future::Future<Output = Result<(), $crate::driver::DriverError>> + Send
            {
                $crate::driver::asynchronous::Db::set_state(self, version, state, duration_ms)
            }
            fn delete_row(
                &mut self,
                version: u64,
            ) -> impl std::future::Future<Output = Result<(), $crate::driver::DriverError>> + Send
            {
                $crate::driver::asynchronous::Db::delete_row(self, version)
            }
            fn introspect(
                &mut self,
                schemas: &[String],
            ) -> impl std::future::Future<
                Output = Result<schema_core::Schema, $crate::introspect::IntrospectError>,
            > + Send {
                $crate::driver::asynchronous::Db::introspect(self, schemas)
            }
            fn namespaces(
                &mut self,
            ) -> impl std::future::Future<
                Output = Result<Vec<String>, $crate::introspect::IntrospectError>,
            > + Send {
                $crate::driver::asynchronous::Db::namespaces(self)
            }
            fn unusable(
                &mut self,
                schemas: &[String],
            ) -> impl std::future::Future<
                Output = Result<Vec<String>, $crate::introspect::IntrospectError>,
            > + Send {
                $crate::driver::asynchronous::Db::unusable(self, schemas)
            }
            fn as_stored(
                &mut self,
                declared: &schema_core::Schema,
            ) -> impl std::future::Future<Output = schema_core::Schema> + Send {
                $crate::driver::asynchronous::Db::as_stored(self, declared)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use async_driver_via_db;
