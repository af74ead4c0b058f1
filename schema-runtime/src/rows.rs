//! Rows of [`Record`]s on a connection, with the SQL of [`crate::record`],
//! in either dialect.
//!
//! The one way to move rows is the methods `schema!()` generates on each
//! model (and `#[derive(Schema)]` on a struct that models every column),
//! each taking any [`Executor`] (`&rusqlite::Connection`,
//! `&rusqlite::Transaction`, `&mut postgres::Client`, `&mut
//! postgres::Transaction`, or `&mut` a [`Driver`](crate::Driver), such as
//! the `Box<dyn Driver>` [`connect`](crate::connect()) opens):
//!
//! ```ignore
//! let ada = models::NewUser { id: None, username: "ada".into(), created_at: None }
//!     .insert(&conn)?;                                   // the row the database made
//! let found = models::User::find(&mut client, ada.id)?;  // the key's own type
//! ada.update(&conn)?;
//! ada.delete(&conn)?;
//! models::User::delete_by_key(&conn, 7)?;
//! let every = models::User::all(&conn)?;
//! ```
//!
//! The functions below without documentation are what those methods call;
//! [`RecordExt`] and `rows::sqlite`/`rows::postgres` are the older ways,
//! deprecated.
//!
//! A model's `insert` writes the whole row as given (not the generated
//! columns, which the database computes; a `GENERATED ALWAYS AS IDENTITY`
//! column with `OVERRIDING SYSTEM VALUE`). On PostgreSQL, a value written
//! into a column a sequence fills (`serial`, identity, a `nextval(...)`
//! default) moves the sequence past it in the same statement, so the next
//! row the sequence numbers does not collide (this needs `UPDATE` on the
//! sequence, as `setval` does). `update` writes every column outside the
//! key but the generated ones and returns whether a row had the key; so
//! does `delete`. `all` orders rows by primary key.

#[cfg(any(feature = "sqlite", feature = "postgres"))]
use crate::driver::Driver;
use crate::migration::Dialect;
use crate::record::{
    Insert, Record, RowError, check_key, check_model, check_values, delete_by_key_sql,
    insert_statement, select_all_sql, select_by_key_sql, update_by_key_sql,
};
use crate::value::Value;

/// A connection (or transaction) that runs the SQL of [`crate::record`]:
/// implemented for `&rusqlite::Connection`, `&mut rusqlite::Connection` and
/// `&rusqlite::Transaction` (feature `sqlite`), for `&mut
/// postgres::Client` and `&mut postgres::Transaction` (feature `postgres`),
/// and for `&mut` any [`Driver`](crate::Driver) (on the connection it lends).
/// Each method takes the executor by value: a reference is passed for each
/// call.
pub trait Executor {
    /// The dialect of the SQL this connection runs.
    fn dialect(&self) -> Dialect;

    /// Runs one statement with `params` bound in order (`$1`, `?1`, ...) and
    /// returns how many rows it changed.
    ///
    /// # Errors
    /// The driver's error.
    fn execute(self, sql: &str, params: &[Value]) -> Result<u64, RowError>;

    /// Runs one query with `params` bound in order, and returns each row's
    /// values in select-list order.
    ///
    /// # Errors
    /// The driver's error.
    fn query(self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, RowError>;

    /// Whether this connection runs `INSERT ... RETURNING`, which reads back
    /// the row an insert made; the default is yes.
    ///
    /// # Errors
    /// Why not, and what to do (SQLite before 3.35).
    fn supports_returning(&self) -> Result<(), String> {
        Ok(())
    }
}

#[cfg(any(feature = "sqlite", feature = "postgres"))]
/// The connection a [`Driver`] lends to the generated models
/// ([`Driver::lend_connection`]).
#[non_exhaustive]
pub enum DriverConnection<'a> {
    /// The SQLite driver's connection.
    #[cfg(feature = "sqlite")]
    Sqlite(&'a rusqlite::Connection),
    /// The blocking PostgreSQL driver's working connection.
    #[cfg(feature = "postgres")]
    Postgres(&'a mut ::postgres::Client),
}

#[cfg(any(feature = "sqlite", feature = "postgres"))]
impl std::fmt::Debug for DriverConnection<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            #[cfg(feature = "sqlite")]
            DriverConnection::Sqlite(_) => "DriverConnection::Sqlite",
            #[cfg(feature = "postgres")]
            DriverConnection::Postgres(_) => "DriverConnection::Postgres",
        })
    }
}

#[cfg(any(feature = "sqlite", feature = "postgres"))]
/// A driver's connection, or why it lends none.
fn lent(driver: &mut (impl Driver + ?Sized)) -> Result<DriverConnection<'_>, RowError> {
    driver.lend_connection().ok_or(RowError::NoConnection)
}

#[cfg(any(feature = "sqlite", feature = "postgres"))]
/// Whether a driver's database runs `INSERT ... RETURNING`.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
fn driver_returning(driver: &(impl Driver + ?Sized)) -> Result<(), String> {
    #[cfg(feature = "sqlite")]
    if driver.dialect() == Dialect::Sqlite {
        return sqlite::returning(rusqlite::version_number());
    }
    let _ = driver;
    Ok(())
}

/// A driver [`connect`](crate::connect::connect) opened (or any other) runs
/// the models' rows on the connection it lends ([`Driver::lend_connection`]):
/// `User::find(&mut db, id)` with `db` a `Box<dyn Driver>` or a driver.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
impl<D: Driver + ?Sized> Executor for &mut D {
    fn dialect(&self) -> Dialect {
        Driver::dialect(&**self)
    }

    fn execute(self, sql: &str, params: &[Value]) -> Result<u64, RowError> {
        match lent(self)? {
            #[cfg(feature = "sqlite")]
            DriverConnection::Sqlite(conn) => Executor::execute(conn, sql, params),
            #[cfg(feature = "postgres")]
            DriverConnection::Postgres(client) => Executor::execute(client, sql, params),
        }
    }

    fn query(self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, RowError> {
        match lent(self)? {
            #[cfg(feature = "sqlite")]
            DriverConnection::Sqlite(conn) => Executor::query(conn, sql, params),
            #[cfg(feature = "postgres")]
            DriverConnection::Postgres(client) => Executor::query(client, sql, params),
        }
    }

    fn supports_returning(&self) -> Result<(), String> {
        driver_returning(&**self)
    }
}

/// What [`connect`](crate::connect()) opens, as the driver inside it.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
impl Executor for &mut Box<dyn Driver> {
    fn dialect(&self) -> Dialect {
        Driver::dialect(&***self)
    }

    fn execute(self, sql: &str, params: &[Value]) -> Result<u64, RowError> {
        Executor::execute(&mut **self, sql, params)
    }

    fn query(self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, RowError> {
        Executor::query(&mut **self, sql, params)
    }

    fn supports_returning(&self) -> Result<(), String> {
        driver_returning(&***self)
    }
}

/// An async connection (or pool) that runs the SQL of [`crate::record`]:
/// implemented for `&tokio_postgres::Client` (feature `tokio-postgres`),
/// `&tokio_postgres::Transaction`, `&sqlx::PgPool` and `&mut sqlx::PgConnection`
/// (feature `sqlx-postgres`; a pool's connection or a transaction is `&mut
/// *conn` or `&mut *tx`), and `&sqlx::SqlitePool` and `&mut sqlx::SqliteConnection`
/// (feature `sqlx-sqlite`). The generated `_async` methods (`insert_async`,
/// `find_async`, ...) take one; their futures are `Send`.
pub trait AsyncExecutor: Send {
    /// The dialect of the SQL this connection runs.
    fn dialect(&self) -> Dialect;

    /// Runs one statement with `params` bound in order and returns how many
    /// rows it changed.
    fn execute(
        self,
        sql: &str,
        params: &[Value],
    ) -> impl std::future::Future<Output = Result<u64, RowError>> + Send;

    /// Runs one query with `params` bound in order, and returns each row's
    /// values in select-list order.
    fn query(
        self,
        sql: &str,
        params: &[Value],
    ) -> impl std::future::Future<Output = Result<Vec<Vec<Value>>, RowError>> + Send;

    /// Whether this connection runs `INSERT ... RETURNING`; the default is yes.
    ///
    /// # Errors
    /// Why not, and what to do.
    fn supports_returning(&self) -> Result<(), String> {
        Ok(())
    }
}

/// The positions in `T::COLUMNS` of `names`.
fn positions<T: Record>(names: &[&str]) -> Result<Vec<usize>, RowError> {
    names
        .iter()
        .map(|name| {
            T::COLUMNS.iter().position(|c| c == name).ok_or_else(|| {
                RowError::invalid_model(T::TABLE, format!("it has no column `{name}`"))
            })
        })
        .collect()
}

/// Inserts the columns at `written` (positions in `T::COLUMNS`) with
/// `values`, and reads the row back when `returning`.
async fn insert_columns<T: Record>(
    db: impl RowsDb,
    written: &[usize],
    values: &[Value],
    returning: bool,
) -> Result<Option<T>, RowError> {
    let dialect = db.dialect();
    let is_written = |column: &str| {
        written
            .iter()
            .any(|&i| T::COLUMNS.get(i).is_some_and(|c| *c == column))
    };
    let sequences: Vec<(&str, &str)> = T::SEQUENCE_COLUMNS
        .iter()
        .copied()
        .filter(|(column, _)| is_written(column))
        .collect();
    let insert = Insert {
        table: T::TABLE,
        columns: T::COLUMNS,
        types: T::COLUMN_TYPES,
        written,
        overriding: T::ALWAYS_IDENTITY_COLUMNS.iter().any(|c| is_written(c)),
        returning,
        sequences: if dialect == Dialect::Postgres {
            &sequences
        } else {
            &[]
        },
    };
    let sql = insert_statement(dialect, &insert);
    if !returning && insert.sequences.is_empty() {
        db.execute(&sql, values).await?;
        return Ok(None);
    }
    let rows = db.query(&sql, values).await?;
    if !returning {
        return Ok(None);
    }
    let Some(mut row) = rows.into_iter().next() else {
        return Err(RowError::invalid_model(
            T::TABLE,
            "an insert read back no row".to_string(),
        ));
    };
    row.truncate(T::COLUMNS.len());
    T::from_values(row).map(Some)
}

/// The insert of a whole row behind a generated `row.insert(db)`: every
/// column but the generated ones.
///
/// # Errors
/// As the generated method says.
async fn insert_row_on<T: Record>(db: impl RowsDb, row: &T) -> Result<(), RowError> {
    check_model::<T>()?;
    let values = row.to_values();
    check_values::<T>(&values, "`to_values`")?;
    let (written, values): (Vec<usize>, Vec<Value>) = values
        .into_iter()
        .enumerate()
        .filter(|(i, _)| {
            T::COLUMNS
                .get(*i)
                .is_some_and(|c| !T::GENERATED_COLUMNS.contains(c))
        })
        .unzip();
    insert_columns::<T>(db, &written, &values, false)
        .await
        .map(drop)
}

/// The insert behind a generated `New<Model>::insert(db)`: the columns
/// `given`, the row read back.
///
/// # Errors
/// As the generated method says.
async fn insert_new_on<T: Record>(
    db: impl RowsDb,
    given: Vec<(&'static str, Value)>,
) -> Result<T, RowError> {
    check_model::<T>()?;
    if let Err(message) = db.supports_returning() {
        return Err(RowError::Unsupported {
            table: T::TABLE,
            message,
        });
    }
    let (names, values): (Vec<&str>, Vec<Value>) = given.into_iter().unzip();
    let written = positions::<T>(&names)?;
    insert_columns::<T>(db, &written, &values, true)
        .await?
        .ok_or_else(|| RowError::invalid_model(T::TABLE, "an insert read back no row".to_string()))
}

/// The select behind a generated `Model::find(db, key)`.
///
/// # Errors
/// As the generated method says.
async fn find_row_on<T: Record>(
    db: impl RowsDb,
    key: impl AsRef<[Value]>,
) -> Result<Option<T>, RowError> {
    let key = key.as_ref();
    check_model::<T>()?;
    check_key::<T>(key.len())?;
    let sql = select_by_key_sql(
        db.dialect(),
        T::TABLE,
        T::COLUMNS,
        T::COLUMN_TYPES,
        T::PRIMARY_KEY,
    );
    db.query(&sql, key)
        .await?
        .into_iter()
        .next()
        .map(T::from_values)
        .transpose()
}

/// The update behind a generated `row.update(db)`.
///
/// # Errors
/// As the generated method says.
async fn update_row_on<T: Record>(db: impl RowsDb, row: &T) -> Result<bool, RowError> {
    check_model::<T>()?;
    check_key::<T>(T::PRIMARY_KEY.len())?;
    let values = row.to_values();
    check_values::<T>(&values, "`to_values`")?;
    let fixed: Vec<&str> = T::GENERATED_COLUMNS
        .iter()
        .chain(T::ALWAYS_IDENTITY_COLUMNS)
        .copied()
        .collect();
    let (sql, bound) = update_by_key_sql(
        db.dialect(),
        T::TABLE,
        T::COLUMNS,
        T::COLUMN_TYPES,
        T::PRIMARY_KEY,
        &fixed,
    );
    let params: Vec<Value> = bound
        .iter()
        .filter_map(|&i| values.get(i).cloned())
        .collect();
    Ok(db.execute(&sql, &params).await? > 0)
}

/// The delete behind generated `row.delete(db)` and
/// `Model::delete_by_key(db, key)`.
///
/// # Errors
/// As the generated method says.
async fn delete_row_on<T: Record>(
    db: impl RowsDb,
    key: impl AsRef<[Value]>,
) -> Result<bool, RowError> {
    let key = key.as_ref();
    check_model::<T>()?;
    check_key::<T>(key.len())?;
    let sql = delete_by_key_sql(
        db.dialect(),
        T::TABLE,
        T::COLUMNS,
        T::COLUMN_TYPES,
        T::PRIMARY_KEY,
    );
    Ok(db.execute(&sql, key).await? > 0)
}

/// The select behind a generated `Model::all(db)`.
///
/// # Errors
/// As the generated method says.
async fn all_rows_on<T: Record>(db: impl RowsDb) -> Result<Vec<T>, RowError> {
    check_model::<T>()?;
    let sql = select_all_sql(
        db.dialect(),
        T::TABLE,
        T::COLUMNS,
        T::COLUMN_TYPES,
        T::PRIMARY_KEY,
    );
    db.query(&sql, &[])
        .await?
        .into_iter()
        .map(T::from_values)
        .collect()
}

/// What the row functions ask of a connection, blocking or async: the one
/// interface the row logic above is written against.
trait RowsDb {
    fn dialect(&self) -> Dialect;
    fn supports_returning(&self) -> Result<(), String>;
    async fn execute(self, sql: &str, params: &[Value]) -> Result<u64, RowError>;
    async fn query(self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, RowError>;
}

/// A blocking [`Executor`] as a [`RowsDb`]: its futures are ready at once.
struct Blocking<E>(E);

impl<E: Executor> RowsDb for Blocking<E> {
    fn dialect(&self) -> Dialect {
        self.0.dialect()
    }
    fn supports_returning(&self) -> Result<(), String> {
        self.0.supports_returning()
    }
    async fn execute(self, sql: &str, params: &[Value]) -> Result<u64, RowError> {
        self.0.execute(sql, params)
    }
    async fn query(self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, RowError> {
        self.0.query(sql, params)
    }
}

/// An [`AsyncExecutor`] as a [`RowsDb`].
struct Nonblocking<E>(E);

impl<E: AsyncExecutor> RowsDb for Nonblocking<E> {
    fn dialect(&self) -> Dialect {
        self.0.dialect()
    }
    fn supports_returning(&self) -> Result<(), String> {
        self.0.supports_returning()
    }
    async fn execute(self, sql: &str, params: &[Value]) -> Result<u64, RowError> {
        self.0.execute(sql, params).await
    }
    async fn query(self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, RowError> {
        self.0.query(sql, params).await
    }
}

/// Drives a blocking executor's row call (see [`crate::session::ready`]).
fn block<T>(
    table: &'static str,
    f: impl std::future::Future<Output = Result<T, RowError>>,
) -> Result<T, RowError> {
    crate::session::ready(f).unwrap_or_else(|| {
        Err(RowError::invalid_model(
            table,
            crate::session::NOT_READY.to_string(),
        ))
    })
}

/// A row function for a blocking [`Executor`] and its `_async` twin for an
/// [`AsyncExecutor`], both running the one `_on` function.
macro_rules! both {
    ($(#[$doc:meta])* $name:ident, $async_name:ident, $on:ident, ($($arg:ident: $ty:ty),*) -> $out:ty) => {
        $(#[$doc])*
        ///
        /// # Errors
        /// As the generated method says.
        #[doc(hidden)]
        pub fn $name<T: Record>(db: impl Executor, $($arg: $ty),*) -> Result<$out, RowError> {
            block(T::TABLE, $on::<T>(Blocking(db), $($arg),*))
        }

        $(#[$doc])*
        ///
        /// # Errors
        /// As the generated method says.
        #[doc(hidden)]
        pub async fn $async_name<T: Record>(
            db: impl AsyncExecutor,
            $($arg: $ty),*
        ) -> Result<$out, RowError> {
            $on::<T>(Nonblocking(db), $($arg),*).await
        }
    };
}

both!(
    /// The insert of a whole row behind a generated `row.insert(db)`.
    insert_row, insert_row_async, insert_row_on, (row: &T) -> ()
);
both!(
    /// The insert behind a generated `New<Model>::insert(db)`.
    insert_new, insert_new_async, insert_new_on, (given: Vec<(&'static str, Value)>) -> T
);
both!(
    /// The select behind a generated `Model::find(db, key)`.
    find_row, find_row_async, find_row_on, (key: impl AsRef<[Value]>) -> Option<T>
);
both!(
    /// The update behind a generated `row.update(db)`.
    update_row, update_row_async, update_row_on, (row: &T) -> bool
);
both!(
    /// The delete behind generated `row.delete(db)` and `Model::delete_by_key(db, key)`.
    delete_row, delete_row_async, delete_row_on, (key: impl AsRef<[Value]>) -> bool
);
both!(
    /// The select behind a generated `Model::all(db)`.
    all_rows, all_rows_async, all_rows_on, () -> Vec<T>
);

/// `insert`, `find`, `update`, `delete` and `all` as methods of every
/// [`Record`], on any [`Executor`], with an untyped key.
#[deprecated(
    since = "0.1.0",
    note = "use the methods `schema!()` and `#[derive(Schema)]` generate on the model: \
            `row.insert(db)`, `Model::find(db, key)` (the key's own type), `row.update(db)`, \
            `row.delete(db)`, `Model::delete_by_key(db, key)`, `Model::all(db)`"
)]
pub trait RecordExt: Record {
    /// Inserts this row (every column but the generated ones).
    ///
    /// # Errors
    /// The driver's error (a duplicate key, a violated constraint, ...).
    fn insert(&self, db: impl Executor) -> Result<(), RowError> {
        insert_row(db, self)
    }

    /// The row whose primary key is `key` (values in
    /// [`PRIMARY_KEY`](crate::Model::PRIMARY_KEY) order), if any.
    ///
    /// # Errors
    /// [`RowError::NoPrimaryKey`], [`RowError::KeyLength`], the driver's
    /// error, or [`RowError::Field`] for a value that does not convert.
    fn find(db: impl Executor, key: &[Value]) -> Result<Option<Self>, RowError> {
        find_row(db, key)
    }

    /// Writes every column outside the primary key to the row with this
    /// row's key; false when there is none.
    ///
    /// # Errors
    /// [`RowError::NoPrimaryKey`] or the driver's error.
    fn update(&self, db: impl Executor) -> Result<bool, RowError> {
        update_row(db, self)
    }

    /// Deletes the row with this row's primary key; false when there is none.
    ///
    /// # Errors
    /// [`RowError::NoPrimaryKey`] or the driver's error.
    fn delete(&self, db: impl Executor) -> Result<bool, RowError> {
        delete_row::<Self>(db, &self.key_values())
    }

    /// Every row, ordered by primary key.
    ///
    /// # Errors
    /// The driver's error, or [`RowError::Field`] for a value that does not
    /// convert.
    fn all(db: impl Executor) -> Result<Vec<Self>, RowError> {
        all_rows(db)
    }
}

#[allow(deprecated)]
impl<T: Record> RecordExt for T {}

/// Rows on SQLite (`rusqlite`): values bound natively, booleans as `0`/`1`.
/// The functions are deprecated: the generated methods take a
/// `&rusqlite::Connection` (or `&Transaction`) as their [`Executor`].
#[cfg(feature = "sqlite")]
pub mod sqlite {
    use rusqlite::types::{ToSqlOutput, ValueRef};
    use rusqlite::{Connection, ToSql, Transaction, params_from_iter};

    use super::{Executor, Record, RowError, Value};
    use crate::migration::Dialect;

    /// A [`Value`] as a SQLite parameter.
    struct Param<'a>(&'a Value);

    impl ToSql for Param<'_> {
        fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
            Ok(ToSqlOutput::Borrowed(match self.0 {
                Value::Null => ValueRef::Null,
                Value::Bool(b) => ValueRef::Integer(i64::from(*b)),
                Value::Int(i) => ValueRef::Integer(*i),
                Value::Float(f) => ValueRef::Real(*f),
                Value::Text(s) => ValueRef::Text(s.as_bytes()),
                Value::Bytes(b) => ValueRef::Blob(b),
            }))
        }
    }

    /// SQLite's value as a [`Value`]; text that is not UTF-8 comes as bytes
    /// (and is an error for a `String` field, naming the column).
    fn value(value: ValueRef<'_>) -> Value {
        match value {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Int(i),
            ValueRef::Real(f) => Value::Float(f),
            ValueRef::Text(t) => match String::from_utf8(t.to_vec()) {
                Ok(text) => Value::Text(text),
                Err(e) => Value::Bytes(e.into_bytes()),
            },
            ValueRef::Blob(b) => Value::Bytes(b.to_vec()),
        }
    }

    /// The first SQLite with `INSERT ... RETURNING` (3.35.0), as
    /// `sqlite3_libversion_number` counts.
    const RETURNING_SINCE: i32 = 3_035_000;

    /// Whether SQLite `version` (`sqlite3_libversion_number`) runs `INSERT ...
    /// RETURNING`.
    pub(super) fn returning(version: i32) -> Result<(), String> {
        if version >= RETURNING_SINCE {
            return Ok(());
        }
        let (major, minor, patch) = (
            version / 1_000_000,
            version / 1_000 % 1_000,
            version % 1_000,
        );
        Err(format!(
            "reading back the inserted row needs `INSERT ... RETURNING`, which SQLite has since 3.35.0, \
             but this program links SQLite {major}.{minor}.{patch}; link a newer one (rusqlite's feature \
             `bundled` builds one), or insert the whole row with `row.insert(db)`"
        ))
    }

    fn params(values: &[Value]) -> impl rusqlite::Params + '_ {
        params_from_iter(values.iter().map(Param))
    }

    fn execute(conn: &Connection, sql: &str, values: &[Value]) -> Result<u64, RowError> {
        let changed = conn.prepare_cached(sql)?.execute(params(values))?;
        Ok(u64::try_from(changed).unwrap_or(u64::MAX))
    }

    fn query(conn: &Connection, sql: &str, values: &[Value]) -> Result<Vec<Vec<Value>>, RowError> {
        let mut statement = conn.prepare_cached(sql)?;
        let width = statement.column_count();
        let mut rows = statement.query(params(values))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let values = (0..width)
                .map(|i| row.get_ref(i).map(value))
                .collect::<Result<_, _>>()?;
            out.push(values);
        }
        Ok(out)
    }

    impl Executor for &Connection {
        fn dialect(&self) -> Dialect {
            Dialect::Sqlite
        }

        fn execute(self, sql: &str, params: &[Value]) -> Result<u64, RowError> {
            execute(self, sql, params)
        }

        fn query(self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, RowError> {
            query(self, sql, params)
        }

        fn supports_returning(&self) -> Result<(), String> {
            returning(rusqlite::version_number())
        }
    }

    impl Executor for &mut Connection {
        fn dialect(&self) -> Dialect {
            Dialect::Sqlite
        }

        fn execute(self, sql: &str, params: &[Value]) -> Result<u64, RowError> {
            execute(self, sql, params)
        }

        fn query(self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, RowError> {
            query(self, sql, params)
        }

        fn supports_returning(&self) -> Result<(), String> {
            returning(rusqlite::version_number())
        }
    }

    impl Executor for &Transaction<'_> {
        fn dialect(&self) -> Dialect {
            Dialect::Sqlite
        }

        fn execute(self, sql: &str, params: &[Value]) -> Result<u64, RowError> {
            execute(self, sql, params)
        }

        fn query(self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, RowError> {
            query(self, sql, params)
        }

        fn supports_returning(&self) -> Result<(), String> {
            returning(rusqlite::version_number())
        }
    }

    /// Inserts `row` (every column, key included).
    ///
    /// # Errors
    /// SQLite's error (a duplicate key, a violated constraint, ...).
    #[deprecated(since = "0.1.0", note = "use the generated method: `row.insert(db)`")]
    pub fn insert<T: Record>(conn: &Connection, row: &T) -> Result<(), RowError> {
        super::insert_row(conn, row)
    }

    /// The row whose primary key is `key` (in `PRIMARY_KEY` order), if any.
    ///
    /// # Errors
    /// [`RowError::NoPrimaryKey`], [`RowError::KeyLength`], SQLite's error,
    /// or [`RowError::Field`] for a value that does not convert.
    #[deprecated(
        since = "0.1.0",
        note = "use the generated method: `Model::find(db, key)`, the key in its own type"
    )]
    pub fn find<T: Record>(conn: &Connection, key: &[Value]) -> Result<Option<T>, RowError> {
        super::find_row(conn, key)
    }

    /// Writes every column outside the primary key to the row with `row`'s
    /// key; false when there is none.
    ///
    /// # Errors
    /// [`RowError::NoPrimaryKey`] or SQLite's error.
    #[deprecated(since = "0.1.0", note = "use the generated method: `row.update(db)`")]
    pub fn update<T: Record>(conn: &Connection, row: &T) -> Result<bool, RowError> {
        super::update_row(conn, row)
    }

    /// Deletes the row of `T` whose primary key is `key`; false when there is
    /// none.
    ///
    /// # Errors
    /// [`RowError::NoPrimaryKey`], [`RowError::KeyLength`] or SQLite's error.
    #[deprecated(
        since = "0.1.0",
        note = "use the generated method: `Model::delete_by_key(db, key)` or `row.delete(db)`"
    )]
    pub fn delete<T: Record>(conn: &Connection, key: &[Value]) -> Result<bool, RowError> {
        super::delete_row::<T>(conn, key)
    }

    /// Every row of `T`, ordered by primary key.
    ///
    /// # Errors
    /// SQLite's error, or [`RowError::Field`] for a value that does not
    /// convert.
    #[deprecated(since = "0.1.0", note = "use the generated method: `Model::all(db)`")]
    pub fn all<T: Record>(conn: &Connection) -> Result<Vec<T>, RowError> {
        super::all_rows(conn)
    }
}

/// Rows on PostgreSQL (`postgres`), through a `Client` or a `Transaction`:
/// every value moves as text (see [`crate::record`]). The functions are
/// deprecated: the generated methods take a `&mut postgres::Client` (or
/// `&mut Transaction`) as their [`Executor`].
#[cfg(feature = "postgres")]
pub mod postgres {
    use ::postgres::types::{ToSql, Type};
    use ::postgres::{Client, GenericClient, Transaction};

    use super::{Executor, Record, RowError, Value};
    use crate::migration::Dialect;

    /// Any client, as an [`Executor`].
    struct Generic<'a, C>(&'a mut C);

    /// Each parameter as its text (NULL as none), for `TEXT` parameters.
    pub(super) fn texts(params: &[Value]) -> Vec<Option<String>> {
        params.iter().map(Value::postgres_text).collect()
    }

    /// `texts` as parameters typed `TEXT`.
    pub(super) fn typed(texts: &[Option<String>]) -> Vec<(&(dyn ToSql + Sync), Type)> {
        texts
            .iter()
            .map(|t| (t as &(dyn ToSql + Sync), Type::TEXT))
            .collect()
    }

    /// Rows whose every column is text, as values.
    pub(super) fn text_rows(rows: &[::postgres::Row]) -> Result<Vec<Vec<Value>>, RowError> {
        rows.iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| {
                        let text: Option<String> = row.try_get(i)?;
                        Ok(text.map_or(Value::Null, Value::Text))
                    })
                    .collect()
            })
            .collect()
    }

    impl<C: GenericClient> Executor for Generic<'_, C> {
        fn dialect(&self) -> Dialect {
            Dialect::Postgres
        }

        fn execute(self, sql: &str, params: &[Value]) -> Result<u64, RowError> {
            let texts = texts(params);
            Ok(self.0.execute_typed(sql, &typed(&texts))?)
        }

        fn query(self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, RowError> {
            let texts = texts(params);
            text_rows(&self.0.query_typed(sql, &typed(&texts))?)
        }
    }

    impl Executor for &mut Client {
        fn dialect(&self) -> Dialect {
            Dialect::Postgres
        }

        fn execute(self, sql: &str, params: &[Value]) -> Result<u64, RowError> {
            Generic(self).execute(sql, params)
        }

        fn query(self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, RowError> {
            Generic(self).query(sql, params)
        }
    }

    impl Executor for &mut Transaction<'_> {
        fn dialect(&self) -> Dialect {
            Dialect::Postgres
        }

        fn execute(self, sql: &str, params: &[Value]) -> Result<u64, RowError> {
            Generic(self).execute(sql, params)
        }

        fn query(self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, RowError> {
            Generic(self).query(sql, params)
        }
    }

    /// Inserts `row` (every column, key included).
    ///
    /// # Errors
    /// PostgreSQL's error (a duplicate key, a violated constraint, a value
    /// too long for its column, ...).
    #[deprecated(since = "0.1.0", note = "use the generated method: `row.insert(db)`")]
    pub fn insert<T: Record>(client: &mut impl GenericClient, row: &T) -> Result<(), RowError> {
        super::insert_row(Generic(client), row)
    }

    /// The row whose primary key is `key` (in `PRIMARY_KEY` order), if any.
    ///
    /// # Errors
    /// [`RowError::NoPrimaryKey`], [`RowError::KeyLength`], PostgreSQL's
    /// error, or [`RowError::Field`] for a value that does not convert.
    #[deprecated(
        since = "0.1.0",
        note = "use the generated method: `Model::find(db, key)`, the key in its own type"
    )]
    pub fn find<T: Record>(
        client: &mut impl GenericClient,
        key: &[Value],
    ) -> Result<Option<T>, RowError> {
        super::find_row(Generic(client), key)
    }

    /// Writes every column outside the primary key to the row with `row`'s
    /// key; false when there is none.
    ///
    /// # Errors
    /// [`RowError::NoPrimaryKey`] or PostgreSQL's error.
    #[deprecated(since = "0.1.0", note = "use the generated method: `row.update(db)`")]
    pub fn update<T: Record>(client: &mut impl GenericClient, row: &T) -> Result<bool, RowError> {
        super::update_row(Generic(client), row)
    }

    /// Deletes the row of `T` whose primary key is `key`; false when there is
    /// none.
    ///
    /// # Errors
    /// [`RowError::NoPrimaryKey`], [`RowError::KeyLength`] or PostgreSQL's
    /// error.
    #[deprecated(
        since = "0.1.0",
        note = "use the generated method: `Model::delete_by_key(db, key)` or `row.delete(db)`"
    )]
    pub fn delete<T: Record>(
        client: &mut impl GenericClient,
        key: &[Value],
    ) -> Result<bool, RowError> {
        super::delete_row::<T>(Generic(client), key)
    }

    /// Every row of `T`, ordered by primary key.
    ///
    /// # Errors
    /// PostgreSQL's error, or [`RowError::Field`] for a value that does not
    /// convert.
    #[deprecated(since = "0.1.0", note = "use the generated method: `Model::all(db)`")]
    pub fn all<T: Record>(client: &mut impl GenericClient) -> Result<Vec<T>, RowError> {
        super::all_rows(Generic(client))
    }
}

#[cfg(all(test, feature = "sqlite"))]
mod tests {
    use super::sqlite::returning;

    #[test]
    fn returning_needs_sqlite_3_35() {
        assert_eq!(returning(3_035_000), Ok(()));
        assert_eq!(returning(3_046_001), Ok(()));
        let err = returning(3_034_001).unwrap_err();
        assert!(err.contains("SQLite 3.34.1"), "{err}");
        assert!(err.contains("since 3.35.0"), "{err}");
        assert_eq!(
            returning(rusqlite::version_number()),
            Ok(()),
            "the bundled one"
        );
    }
}

/// Rows on `tokio-postgres`: every value moves as text, as on `postgres`.
#[cfg(feature = "tokio-postgres")]
mod tokio_postgres_rows {
    use tokio_postgres::{Client, Transaction};

    use super::postgres::{text_rows, texts, typed};
    use super::{AsyncExecutor, RowError, Value};
    use crate::migration::Dialect;

    macro_rules! text_executor {
        ($t:ty) => {
            impl AsyncExecutor for $t {
                fn dialect(&self) -> Dialect {
                    Dialect::Postgres
                }

                async fn execute(self, sql: &str, params: &[Value]) -> Result<u64, RowError> {
                    let texts = texts(params);
                    Ok(self.execute_typed(sql, &typed(&texts)).await?)
                }

                async fn query(
                    self,
                    sql: &str,
                    params: &[Value],
                ) -> Result<Vec<Vec<Value>>, RowError> {
                    let texts = texts(params);
                    text_rows(&self.query_typed(sql, &typed(&texts)).await?)
                }
            }
        };
    }

    text_executor!(&Client);
    text_executor!(&Transaction<'_>);
}

/// `AsyncExecutor` for an sqlx executor type `$t` of `$dialect`, through the
/// `execute` and `query` functions of the module it is used in.
#[cfg(any(feature = "sqlx-postgres", feature = "sqlx-sqlite"))]
macro_rules! sqlx_executor {
    ($t:ty, $dialect:expr) => {
        impl AsyncExecutor for $t {
            fn dialect(&self) -> Dialect {
                $dialect
            }

            async fn execute(self, sql: &str, params: &[Value]) -> Result<u64, RowError> {
                execute(self, sql, params).await
            }

            async fn query(self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, RowError> {
                query(self, sql, params).await
            }
        }
    };
}

/// Rows on sqlx's PostgreSQL pools: every value moves as text, as on
/// `postgres`.
#[cfg(feature = "sqlx-postgres")]
mod sqlx_postgres_rows {
    use sqlx::{PgConnection, PgExecutor, PgPool, Row as _};

    use super::{AsyncExecutor, RowError, Value};
    use crate::migration::Dialect;

    fn bound<'q>(
        sql: &'q str,
        params: &[Value],
    ) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
        let mut q = sqlx::query(sql);
        for p in params {
            q = q.bind(p.postgres_text());
        }
        q
    }

    async fn execute<'c>(
        db: impl PgExecutor<'c>,
        sql: &str,
        params: &[Value],
    ) -> Result<u64, RowError> {
        Ok(bound(sql, params).execute(db).await?.rows_affected())
    }

    async fn query<'c>(
        db: impl PgExecutor<'c>,
        sql: &str,
        params: &[Value],
    ) -> Result<Vec<Vec<Value>>, RowError> {
        let rows = bound(sql, params).fetch_all(db).await?;
        rows.iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| {
                        let text: Option<String> = row.try_get(i)?;
                        Ok(text.map_or(Value::Null, Value::Text))
                    })
                    .collect()
            })
            .collect()
    }

    sqlx_executor!(&PgPool, Dialect::Postgres);
    // A connection of the pool (`&mut *conn`) or a transaction (`&mut *tx`).
    sqlx_executor!(&mut PgConnection, Dialect::Postgres);
}

/// Rows on sqlx's SQLite pools: values bound natively, booleans as `0`/`1`,
/// as on `rusqlite`.
#[cfg(feature = "sqlx-sqlite")]
mod sqlx_sqlite_rows {
    use sqlx::sqlite::{Sqlite, SqliteArguments, SqliteRow};
    use sqlx::{Row as _, SqliteConnection, SqliteExecutor, SqlitePool, TypeInfo, ValueRef};

    use super::{AsyncExecutor, RowError, Value};
    use crate::migration::Dialect;

    fn bound<'q>(
        sql: &'q str,
        params: &[Value],
    ) -> sqlx::query::Query<'q, Sqlite, SqliteArguments<'q>> {
        let mut q = sqlx::query(sql);
        for p in params {
            q = match p {
                Value::Null => q.bind(None::<i64>),
                Value::Bool(b) => q.bind(i64::from(*b)),
                Value::Int(i) => q.bind(*i),
                Value::Float(f) => q.bind(*f),
                Value::Text(t) => q.bind(t.clone()),
                Value::Bytes(b) => q.bind(b.clone()),
            };
        }
        q
    }

    fn value(row: &SqliteRow, i: usize) -> Result<Value, RowError> {
        let raw = row.try_get_raw(i)?;
        if raw.is_null() {
            return Ok(Value::Null);
        }
        let kind = raw.type_info().name().to_ascii_uppercase();
        Ok(match kind.as_str() {
            "INTEGER" | "INT" | "BOOLEAN" | "INT8" | "BIGINT" => {
                Value::Int(row.try_get_unchecked::<i64, _>(i)?)
            }
            "REAL" | "FLOAT" | "DOUBLE" => Value::Float(row.try_get_unchecked::<f64, _>(i)?),
            "BLOB" => Value::Bytes(row.try_get_unchecked::<Vec<u8>, _>(i)?),
            _ => match row.try_get_unchecked::<String, _>(i) {
                Ok(text) => Value::Text(text),
                Err(_) => Value::Bytes(row.try_get_unchecked::<Vec<u8>, _>(i)?),
            },
        })
    }

    async fn execute<'c>(
        db: impl SqliteExecutor<'c>,
        sql: &str,
        params: &[Value],
    ) -> Result<u64, RowError> {
        Ok(bound(sql, params).execute(db).await?.rows_affected())
    }

    async fn query<'c>(
        db: impl SqliteExecutor<'c>,
        sql: &str,
        params: &[Value],
    ) -> Result<Vec<Vec<Value>>, RowError> {
        let rows = bound(sql, params).fetch_all(db).await?;
        rows.iter()
            .map(|row| (0..row.len()).map(|i| value(row, i)).collect())
            .collect()
    }

    sqlx_executor!(&SqlitePool, Dialect::Sqlite);
    // A connection of the pool (`&mut *conn`) or a transaction (`&mut *tx`).
    sqlx_executor!(&mut SqliteConnection, Dialect::Sqlite);
}
