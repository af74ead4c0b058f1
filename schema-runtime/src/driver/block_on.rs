//! An async driver used from blocking code: [`BlockOn`] runs each of its
//! calls to the end on a tokio runtime of its own, so that a blocking program
//! (the `schema` command line with `SCHEMA_PG_DRIVER=tokio-postgres`) drives
//! the async drivers through the blocking [`Migrator`](crate::Migrator)
//! methods. Not for use inside an async runtime: there, call the migrator's
//! `_async` methods.

use std::time::Duration;

use schema_core::Schema;

use super::{AsyncDriver, Driver, DriverError, RowChange, RowState, ScriptError, VersionRow};
use crate::introspect::IntrospectError;
use crate::migration::Dialect;

/// An [`AsyncDriver`] and the runtime its futures run on.
pub struct BlockOn<D> {
    runtime: tokio::runtime::Runtime,
    driver: Option<D>,
}

impl<D> std::fmt::Debug for BlockOn<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockOn").finish_non_exhaustive()
    }
}

impl<D: AsyncDriver> BlockOn<D> {
    /// A current-thread runtime, and the driver `connect` makes on it.
    ///
    /// # Errors
    /// When the runtime cannot start or `connect` fails.
    pub fn connect<F>(connect: impl FnOnce() -> F) -> Result<Self, DriverError>
    where
        F: std::future::Future<Output = Result<D, DriverError>>,
    {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(DriverError::while_(
                "starting a runtime for the async driver",
            ))?;
        let driver = runtime.block_on(connect())?;
        Ok(BlockOn {
            runtime,
            driver: Some(driver),
        })
    }
}

impl<D> Drop for BlockOn<D> {
    fn drop(&mut self) {
        // Inside the runtime: a connection may hand itself back on a task.
        let _inside = self.runtime.enter();
        drop(self.driver.take());
    }
}

macro_rules! on {
    ($self:ident, $doing:expr, |$d:ident| $call:expr) => {
        match $self.driver.as_mut() {
            Some($d) => $self.runtime.block_on($call),
            None => Err(DriverError::message($doing, "the driver was dropped").into()),
        }
    };
}

impl<D: AsyncDriver> Driver for BlockOn<D> {
    fn dialect(&self) -> Dialect {
        self.driver
            .as_ref()
            .map_or(Dialect::Postgres, AsyncDriver::dialect)
    }

    fn transactional_ddl(&self) -> bool {
        self.driver
            .as_ref()
            .is_none_or(AsyncDriver::transactional_ddl)
    }

    fn lock(&mut self, timeout: Duration) -> Result<(), DriverError> {
        on!(self, "taking the migrator lock", |d| d.lock(timeout))
    }

    fn set_lock_timeout(&mut self, timeout: Duration) -> Result<(), DriverError> {
        on!(self, "setting lock_timeout", |d| d
            .set_lock_timeout(timeout))
    }

    fn unlock(&mut self) -> Result<(), DriverError> {
        on!(self, "releasing the migrator lock", |d| d.unlock())
    }

    fn ensure_version_table(&mut self) -> Result<(), DriverError> {
        on!(self, "creating the version table", |d| d
            .ensure_version_table())
    }

    fn read_versions(&mut self) -> Result<Vec<VersionRow>, DriverError> {
        on!(self, "reading the version table", |d| d.read_versions())
    }

    fn is_recorded(&mut self, version: u64) -> Result<bool, DriverError> {
        on!(self, "reading the version table", |d| d
            .is_recorded(version))
    }

    fn begin(&mut self, script: &str) -> Result<(), DriverError> {
        on!(self, "starting a transaction", |d| d.begin(script))
    }

    fn commit(&mut self) -> Result<(), DriverError> {
        on!(self, "committing", |d| d.commit())
    }

    fn rollback(&mut self) -> Result<(), DriverError> {
        on!(self, "rolling back", |d| d.rollback())
    }

    fn run_script(&mut self, sql: &str) -> Result<(), ScriptError> {
        match self.driver.as_mut() {
            Some(d) => self.runtime.block_on(d.run_script(sql)),
            None => Err(ScriptError {
                statement: 1,
                statements: 1,
                sql: super::excerpt(sql),
                error: DriverError::message("running the migration", "the driver was dropped"),
            }),
        }
    }

    fn write_row(&mut self, row: &VersionRow) -> Result<(), DriverError> {
        on!(self, "recording a migration", |d| d.write_row(row))
    }

    fn run_in_one_batch(
        &mut self,
        change: RowChange<'_>,
        script: &str,
    ) -> Result<bool, DriverError> {
        on!(self, "running the migration", |d| d
            .run_in_one_batch(change, script))
    }

    fn set_state(
        &mut self,
        version: u64,
        state: RowState,
        duration_ms: Option<f64>,
    ) -> Result<(), DriverError> {
        on!(self, "recording a migration's state", |d| d.set_state(
            version,
            state,
            duration_ms
        ))
    }

    fn delete_row(&mut self, version: u64) -> Result<(), DriverError> {
        on!(self, "removing a migration's record", |d| d
            .delete_row(version))
    }

    fn introspect(&mut self, schemas: &[String]) -> Result<Schema, IntrospectError> {
        match self.driver.as_mut() {
            Some(d) => self.runtime.block_on(d.introspect(schemas)),
            None => Err(IntrospectError::Catalog {
                owner: "the database".into(),
                message: "the driver was dropped".into(),
            }),
        }
    }

    fn namespaces(&mut self) -> Result<Vec<String>, IntrospectError> {
        match self.driver.as_mut() {
            Some(d) => self.runtime.block_on(d.namespaces()),
            None => Ok(Vec::new()),
        }
    }

    fn unusable(&mut self, schemas: &[String]) -> Result<Vec<String>, IntrospectError> {
        match self.driver.as_mut() {
            Some(d) => self.runtime.block_on(d.unusable(schemas)),
            None => Ok(Vec::new()),
        }
    }

    fn comparable(&self, declared: &Schema) -> Schema {
        match self.driver.as_ref() {
            Some(d) => d.comparable(declared),
            None => declared.clone(),
        }
    }

    fn as_stored(&mut self, declared: &Schema) -> Schema {
        match self.driver.as_mut() {
            Some(d) => self.runtime.block_on(d.as_stored(declared)),
            None => declared.clone(),
        }
    }
}
