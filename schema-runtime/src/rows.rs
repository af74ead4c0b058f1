//! Rows of [`Record`]s on a connection: insert, find, update and delete by
//! primary key, and read every row, with the SQL of [`crate::record`], in
//! either dialect.
//!
//! With [`RecordExt`] in scope, every record has the five as methods, on any
//! [`Executor`] (`&rusqlite::Connection`, `&rusqlite::Transaction`,
//! `&mut postgres::Client`, `&mut postgres::Transaction`):
//!
//! ```ignore
//! use sqlschema::RecordExt;
//!
//! let user = models::User { id: 1, username: "ada".into(), /* .. */ };
//! user.insert(&conn)?;                                   // SQLite: &Connection
//! let found = models::User::find(&mut client, &[1.into()])?; // PostgreSQL: &mut Client
//! ```
//!
//! `rows::sqlite` and `rows::postgres` (features `sqlite` and `postgres`) have
//! the same five as functions over their driver's connection.
//!
//! `insert` writes every column, key included: a `serial` key is written
//! as given, and PostgreSQL's sequence does not advance past it. `update`
//! writes every column outside the key and returns whether a row had the
//! key; so does `delete`. `all` orders rows by primary key.

use crate::migration::Dialect;
use crate::record::{
    Record, RowError, check_key, check_model, check_values, delete_by_key_sql, insert_sql,
    select_all_sql, select_by_key_sql, update_by_key_sql,
};
use crate::value::Value;

/// A connection (or transaction) that runs the SQL of [`crate::record`]:
/// implemented for `&rusqlite::Connection`, `&mut rusqlite::Connection` and
/// `&rusqlite::Transaction` (feature `sqlite`), and for `&mut
/// postgres::Client` and `&mut postgres::Transaction` (feature `postgres`).
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
}

fn insert<T: Record>(db: impl Executor, row: &T) -> Result<(), RowError> {
    check_model::<T>()?;
    let values = row.to_values();
    check_values::<T>(&values, "`to_values`")?;
    let sql = insert_sql(db.dialect(), T::TABLE, T::COLUMNS, T::COLUMN_TYPES);
    db.execute(&sql, &values)?;
    Ok(())
}

fn find<T: Record>(db: impl Executor, key: &[Value]) -> Result<Option<T>, RowError> {
    check_model::<T>()?;
    check_key::<T>(key.len())?;
    let sql = select_by_key_sql(
        db.dialect(),
        T::TABLE,
        T::COLUMNS,
        T::COLUMN_TYPES,
        T::PRIMARY_KEY,
    );
    db.query(&sql, key)?
        .into_iter()
        .next()
        .map(T::from_values)
        .transpose()
}

fn update<T: Record>(db: impl Executor, row: &T) -> Result<bool, RowError> {
    check_model::<T>()?;
    check_key::<T>(T::PRIMARY_KEY.len())?;
    let values = row.to_values();
    check_values::<T>(&values, "`to_values`")?;
    let sql = update_by_key_sql(
        db.dialect(),
        T::TABLE,
        T::COLUMNS,
        T::COLUMN_TYPES,
        T::PRIMARY_KEY,
    );
    Ok(db.execute(&sql, &values)? > 0)
}

fn delete<T: Record>(db: impl Executor, key: &[Value]) -> Result<bool, RowError> {
    check_model::<T>()?;
    check_key::<T>(key.len())?;
    let sql = delete_by_key_sql(
        db.dialect(),
        T::TABLE,
        T::COLUMNS,
        T::COLUMN_TYPES,
        T::PRIMARY_KEY,
    );
    Ok(db.execute(&sql, key)? > 0)
}

fn all<T: Record>(db: impl Executor) -> Result<Vec<T>, RowError> {
    check_model::<T>()?;
    let sql = select_all_sql(
        db.dialect(),
        T::TABLE,
        T::COLUMNS,
        T::COLUMN_TYPES,
        T::PRIMARY_KEY,
    );
    db.query(&sql, &[])?
        .into_iter()
        .map(T::from_values)
        .collect()
}

/// `insert`, `find`, `update`, `delete` and `all` as methods of every
/// [`Record`], on any [`Executor`].
pub trait RecordExt: Record {
    /// Inserts this row (every column, key included).
    ///
    /// # Errors
    /// The driver's error (a duplicate key, a violated constraint, ...).
    fn insert(&self, db: impl Executor) -> Result<(), RowError> {
        insert(db, self)
    }

    /// The row whose primary key is `key` (values in
    /// [`PRIMARY_KEY`](crate::Model::PRIMARY_KEY) order), if any.
    ///
    /// # Errors
    /// [`RowError::NoPrimaryKey`], [`RowError::KeyLength`], the driver's
    /// error, or [`RowError::Field`] for a value that does not convert.
    fn find(db: impl Executor, key: &[Value]) -> Result<Option<Self>, RowError> {
        find(db, key)
    }

    /// Writes every column outside the primary key to the row with this
    /// row's key; false when there is none.
    ///
    /// # Errors
    /// [`RowError::NoPrimaryKey`] or the driver's error.
    fn update(&self, db: impl Executor) -> Result<bool, RowError> {
        update(db, self)
    }

    /// Deletes the row with this row's primary key; false when there is none.
    ///
    /// # Errors
    /// [`RowError::NoPrimaryKey`] or the driver's error.
    fn delete(&self, db: impl Executor) -> Result<bool, RowError> {
        delete::<Self>(db, &self.key_values())
    }

    /// Every row, ordered by primary key.
    ///
    /// # Errors
    /// The driver's error, or [`RowError::Field`] for a value that does not
    /// convert.
    fn all(db: impl Executor) -> Result<Vec<Self>, RowError> {
        all(db)
    }
}

impl<T: Record> RecordExt for T {}

/// Rows on SQLite (`rusqlite`): values bound natively, booleans as `0`/`1`.
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
    }

    /// Inserts `row` (every column, key included).
    ///
    /// # Errors
    /// SQLite's error (a duplicate key, a violated constraint, ...).
    pub fn insert<T: Record>(conn: &Connection, row: &T) -> Result<(), RowError> {
        super::insert(conn, row)
    }

    /// The row whose primary key is `key` (in `PRIMARY_KEY` order), if any.
    ///
    /// # Errors
    /// [`RowError::NoPrimaryKey`], [`RowError::KeyLength`], SQLite's error,
    /// or [`RowError::Field`] for a value that does not convert.
    pub fn find<T: Record>(conn: &Connection, key: &[Value]) -> Result<Option<T>, RowError> {
        super::find(conn, key)
    }

    /// Writes every column outside the primary key to the row with `row`'s
    /// key; false when there is none.
    ///
    /// # Errors
    /// [`RowError::NoPrimaryKey`] or SQLite's error.
    pub fn update<T: Record>(conn: &Connection, row: &T) -> Result<bool, RowError> {
        super::update(conn, row)
    }

    /// Deletes the row of `T` whose primary key is `key`; false when there is
    /// none.
    ///
    /// # Errors
    /// [`RowError::NoPrimaryKey`], [`RowError::KeyLength`] or SQLite's error.
    pub fn delete<T: Record>(conn: &Connection, key: &[Value]) -> Result<bool, RowError> {
        super::delete::<T>(conn, key)
    }

    /// Every row of `T`, ordered by primary key.
    ///
    /// # Errors
    /// SQLite's error, or [`RowError::Field`] for a value that does not
    /// convert.
    pub fn all<T: Record>(conn: &Connection) -> Result<Vec<T>, RowError> {
        super::all(conn)
    }
}

/// Rows on PostgreSQL (`postgres`), through a `Client` or a `Transaction`:
/// every value moves as text (see [`crate::record`]).
#[cfg(feature = "postgres")]
pub mod postgres {
    use ::postgres::types::{ToSql, Type};
    use ::postgres::{Client, GenericClient, Transaction};

    use super::{Executor, Record, RowError, Value};
    use crate::migration::Dialect;

    /// Any client, as an [`Executor`].
    struct Generic<'a, C>(&'a mut C);

    impl<C: GenericClient> Executor for Generic<'_, C> {
        fn dialect(&self) -> Dialect {
            Dialect::Postgres
        }

        fn execute(self, sql: &str, params: &[Value]) -> Result<u64, RowError> {
            let texts: Vec<Option<String>> = params.iter().map(Value::postgres_text).collect();
            let typed: Vec<(&(dyn ToSql + Sync), Type)> = texts
                .iter()
                .map(|t| (t as &(dyn ToSql + Sync), Type::TEXT))
                .collect();
            Ok(self.0.execute_typed(sql, &typed)?)
        }

        fn query(self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, RowError> {
            let texts: Vec<Option<String>> = params.iter().map(Value::postgres_text).collect();
            let typed: Vec<(&(dyn ToSql + Sync), Type)> = texts
                .iter()
                .map(|t| (t as &(dyn ToSql + Sync), Type::TEXT))
                .collect();
            let rows = self.0.query_typed(sql, &typed)?;
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
    pub fn insert<T: Record>(client: &mut impl GenericClient, row: &T) -> Result<(), RowError> {
        super::insert(Generic(client), row)
    }

    /// The row whose primary key is `key` (in `PRIMARY_KEY` order), if any.
    ///
    /// # Errors
    /// [`RowError::NoPrimaryKey`], [`RowError::KeyLength`], PostgreSQL's
    /// error, or [`RowError::Field`] for a value that does not convert.
    pub fn find<T: Record>(
        client: &mut impl GenericClient,
        key: &[Value],
    ) -> Result<Option<T>, RowError> {
        super::find(Generic(client), key)
    }

    /// Writes every column outside the primary key to the row with `row`'s
    /// key; false when there is none.
    ///
    /// # Errors
    /// [`RowError::NoPrimaryKey`] or PostgreSQL's error.
    pub fn update<T: Record>(client: &mut impl GenericClient, row: &T) -> Result<bool, RowError> {
        super::update(Generic(client), row)
    }

    /// Deletes the row of `T` whose primary key is `key`; false when there is
    /// none.
    ///
    /// # Errors
    /// [`RowError::NoPrimaryKey`], [`RowError::KeyLength`] or PostgreSQL's
    /// error.
    pub fn delete<T: Record>(
        client: &mut impl GenericClient,
        key: &[Value],
    ) -> Result<bool, RowError> {
        super::delete::<T>(Generic(client), key)
    }

    /// Every row of `T`, ordered by primary key.
    ///
    /// # Errors
    /// PostgreSQL's error, or [`RowError::Field`] for a value that does not
    /// convert.
    pub fn all<T: Record>(client: &mut impl GenericClient) -> Result<Vec<T>, RowError> {
        super::all(Generic(client))
    }
}
