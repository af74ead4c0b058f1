//! Sessions: the one primitive that reading a live schema asks of a
//! connection (run SQL, run a query with parameters and get its rows as
//! plain values), so that introspection is written once for every connection
//! type: the blocking `postgres::Client` and the async `tokio-postgres` and
//! sqlx connections.
//!
//! The async drivers' futures are `Send` because each driver is implemented
//! for concrete connection types (whose futures are); the trait itself does
//! not ask it, so that a blocking connection borrowed shared can read too.
//!
//! A blocking connection's futures are ready when first polled: [`ready`]
//! drives them without a runtime, so the blocking drivers call the same code
//! as the async ones.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// A database error of a session, as its driver gave it.
pub(crate) type SessionError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A query parameter.
#[derive(Debug, Clone, Copy)]
#[allow(dead_code)] // each variant is used by some of the features' sessions
pub(crate) enum Param<'a> {
    /// `text`.
    Text(&'a str),
    /// `text[]`.
    Texts(&'a [String]),
    /// `bigint`.
    Int8(i64),
    /// `integer`.
    Int4(i32),
    /// `double precision`, or NULL.
    Float8(Option<f64>),
    /// `boolean`.
    Bool(bool),
}

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
#[allow(dead_code)] // SQLite sessions give neither booleans nor arrays
pub(crate) enum Cell {
    /// SQL NULL.
    Null,
    /// A boolean.
    Bool(bool),
    /// Any integer (`smallint`, `integer`, `bigint`, `oid`).
    Int(i64),
    /// `real` or `double precision`.
    Float(f64),
    /// Any text (`text`, `name`, `varchar`, `"char"`).
    Text(String),
    /// An array of any of these.
    Array(Vec<Cell>),
    /// A type the sessions do not read (named), for the error.
    Other(String),
}

/// One row of a query's result.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Row(pub(crate) Vec<Cell>);

/// A type a [`Cell`] converts to.
pub(crate) trait FromCell<'a>: Sized {
    /// The value, or `None` when the cell holds another type.
    fn from_cell(cell: &'a Cell) -> Option<Self>;
}

impl<'a> FromCell<'a> for &'a str {
    fn from_cell(cell: &'a Cell) -> Option<Self> {
        match cell {
            Cell::Text(s) => Some(s),
            _ => None,
        }
    }
}

impl FromCell<'_> for String {
    fn from_cell(cell: &Cell) -> Option<Self> {
        match cell {
            Cell::Text(s) => Some(s.clone()),
            _ => None,
        }
    }
}

impl FromCell<'_> for bool {
    fn from_cell(cell: &Cell) -> Option<Self> {
        match cell {
            Cell::Bool(b) => Some(*b),
            // SQLite keeps booleans as 0 and 1.
            Cell::Int(i) => Some(*i != 0),
            _ => None,
        }
    }
}

impl FromCell<'_> for f64 {
    fn from_cell(cell: &Cell) -> Option<Self> {
        match cell {
            Cell::Float(f) => Some(*f),
            _ => None,
        }
    }
}

macro_rules! ints {
    ($($t:ty),*) => {$(
        impl FromCell<'_> for $t {
            fn from_cell(cell: &Cell) -> Option<Self> {
                match cell {
                    Cell::Int(i) => <$t>::try_from(*i).ok(),
                    _ => None,
                }
            }
        }
    )*};
}
ints!(i16, i32, i64, u32);

impl<'a, T: FromCell<'a>> FromCell<'a> for Option<T> {
    fn from_cell(cell: &'a Cell) -> Option<Self> {
        match cell {
            Cell::Null => Some(None),
            other => T::from_cell(other).map(Some),
        }
    }
}

impl<'a, T: FromCell<'a>> FromCell<'a> for Vec<T> {
    fn from_cell(cell: &'a Cell) -> Option<Self> {
        match cell {
            Cell::Array(items) => items.iter().map(T::from_cell).collect(),
            _ => None,
        }
    }
}

/// What [`Row::get`] takes as a column index (a `usize`, as `postgres`'s
/// `Row::get` does, so that integer literals infer).
pub(crate) trait RowIndex {
    /// The 0-based index.
    fn index(&self) -> usize;
}

impl RowIndex for usize {
    fn index(&self) -> usize {
        *self
    }
}

impl Row {
    /// Column `idx` as a `T`. The queries that read rows cast every column to
    /// a type the sessions read, so a mismatch is a bug of ours: debug builds
    /// stop on it; release builds give `T`'s default (an empty name or list),
    /// which the comparison after shows as a difference.
    pub(crate) fn get<'a, I: RowIndex, T: FromCell<'a> + Default>(&'a self, idx: I) -> T {
        let i = idx.index();
        let value = self.0.get(i).and_then(T::from_cell);
        debug_assert!(
            value.is_some(),
            "column {i} is {:?}, not a {}",
            self.0.get(i),
            std::any::type_name::<T>()
        );
        value.unwrap_or_default()
    }

    /// The number of columns.
    #[allow(dead_code)]
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}

/// A connection that can read a schema.
#[cfg_attr(
    not(any(feature = "sqlite", feature = "postgres", feature = "sqlx-sqlite")),
    allow(dead_code)
)]
pub(crate) trait Session {
    /// Runs `sql` (one statement or several, without parameters) and
    /// discards what it returns.
    async fn execute(&mut self, sql: &str) -> Result<(), SessionError>;

    /// Runs the query `sql` with `params` (`$1`, `$2`, ...) and gives its rows.
    async fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, SessionError>;

    /// The one row `sql` returns.
    async fn query_one(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Row, SessionError> {
        let mut rows = self.query(sql, params).await?;
        if rows.len() != 1 {
            return Err(format!("the query returned {} rows, not one", rows.len()).into());
        }
        Ok(rows.remove(0))
    }
}

/// Drives `future`, whose every await is ready at once (a blocking session's),
/// to its end; `None` when it waits (a bug: nothing would wake it).
pub(crate) fn ready<F: Future>(future: F) -> Option<F::Output> {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    match future.as_mut().poll(&mut cx) {
        Poll::Ready(out) => Some(out),
        Poll::Pending => None,
    }
}

/// The message of a [`ready`] that found a future waiting.
pub(crate) const NOT_READY: &str =
    "a blocking connection's call waited for an event (a bug of schema: please report it)";

#[cfg(any(feature = "postgres", feature = "tokio-postgres"))]
pub(crate) mod pg {
    //! Rows of `postgres` and `tokio-postgres` (the same `Row` type) as cells,
    //! and parameters as theirs.

    use tokio_postgres_types::{ToSql, Type};

    use super::{Cell, Param, Row};

    #[cfg(feature = "postgres")]
    use postgres::types as tokio_postgres_types;
    #[cfg(all(not(feature = "postgres"), feature = "tokio-postgres"))]
    use tokio_postgres::types as tokio_postgres_types;

    #[cfg(feature = "postgres")]
    type PgRow = postgres::Row;
    #[cfg(all(not(feature = "postgres"), feature = "tokio-postgres"))]
    type PgRow = tokio_postgres::Row;

    /// Owned parameters, to borrow as `&[&(dyn ToSql + Sync)]`.
    pub(crate) enum Owned {
        Text(String),
        Texts(Vec<String>),
        Int8(i64),
        Int4(i32),
        Float8(Option<f64>),
        Bool(bool),
    }

    impl Owned {
        pub(crate) fn all(params: &[Param<'_>]) -> Vec<Owned> {
            params
                .iter()
                .map(|p| match *p {
                    Param::Text(s) => Owned::Text(s.to_string()),
                    Param::Texts(s) => Owned::Texts(s.to_vec()),
                    Param::Int8(i) => Owned::Int8(i),
                    Param::Int4(i) => Owned::Int4(i),
                    Param::Float8(f) => Owned::Float8(f),
                    Param::Bool(b) => Owned::Bool(b),
                })
                .collect()
        }

        pub(crate) fn as_sql(&self) -> &(dyn ToSql + Sync) {
            match self {
                Owned::Text(s) => s,
                Owned::Texts(s) => s,
                Owned::Int8(i) => i,
                Owned::Int4(i) => i,
                Owned::Float8(f) => f,
                Owned::Bool(b) => b,
            }
        }
    }

    fn cell_of(row: &PgRow, i: usize, ty: &Type) -> Cell {
        fn opt<T>(v: Result<Option<T>, impl std::error::Error>, f: impl Fn(T) -> Cell) -> Cell {
            match v {
                Ok(Some(v)) => f(v),
                Ok(None) => Cell::Null,
                Err(e) => Cell::Other(e.to_string()),
            }
        }
        fn array<T>(
            v: Result<Option<Vec<Option<T>>>, impl std::error::Error>,
            f: impl Fn(T) -> Cell,
        ) -> Cell {
            opt(v, |items| {
                Cell::Array(
                    items
                        .into_iter()
                        .map(|x| x.map_or(Cell::Null, &f))
                        .collect(),
                )
            })
        }
        match *ty {
            Type::BOOL => opt(row.try_get::<_, Option<bool>>(i), Cell::Bool),
            Type::INT2 => opt(row.try_get::<_, Option<i16>>(i), |v| Cell::Int(v.into())),
            Type::INT4 => opt(row.try_get::<_, Option<i32>>(i), |v| Cell::Int(v.into())),
            Type::INT8 => opt(row.try_get::<_, Option<i64>>(i), Cell::Int),
            Type::OID => opt(row.try_get::<_, Option<u32>>(i), |v| Cell::Int(v.into())),
            Type::FLOAT4 => opt(row.try_get::<_, Option<f32>>(i), |v| Cell::Float(v.into())),
            Type::FLOAT8 => opt(row.try_get::<_, Option<f64>>(i), Cell::Float),
            Type::CHAR => opt(row.try_get::<_, Option<i8>>(i), |v| {
                Cell::Text(char::from(v.to_ne_bytes()[0]).to_string())
            }),
            Type::BOOL_ARRAY => array(row.try_get::<_, Option<Vec<Option<bool>>>>(i), Cell::Bool),
            Type::INT2_ARRAY | Type::INT2_VECTOR => {
                array(row.try_get::<_, Option<Vec<Option<i16>>>>(i), |v| {
                    Cell::Int(v.into())
                })
            }
            Type::INT4_ARRAY => array(row.try_get::<_, Option<Vec<Option<i32>>>>(i), |v| {
                Cell::Int(v.into())
            }),
            Type::INT8_ARRAY => array(row.try_get::<_, Option<Vec<Option<i64>>>>(i), Cell::Int),
            Type::OID_ARRAY | Type::OID_VECTOR => {
                array(row.try_get::<_, Option<Vec<Option<u32>>>>(i), |v| {
                    Cell::Int(v.into())
                })
            }
            Type::TEXT_ARRAY
            | Type::NAME_ARRAY
            | Type::VARCHAR_ARRAY
            | Type::BPCHAR_ARRAY
            | Type::CHAR_ARRAY => {
                array(row.try_get::<_, Option<Vec<Option<String>>>>(i), Cell::Text)
            }
            _ => match row.try_get::<_, Option<String>>(i) {
                Ok(Some(v)) => Cell::Text(v),
                Ok(None) => Cell::Null,
                Err(_) => Cell::Other(ty.name().to_string()),
            },
        }
    }

    /// A row as cells.
    pub(crate) fn row(row: &PgRow) -> Row {
        Row(row
            .columns()
            .iter()
            .enumerate()
            .map(|(i, c)| cell_of(row, i, c.type_()))
            .collect())
    }
}

#[cfg(feature = "postgres")]
mod blocking_pg {
    //! The blocking `postgres` client as a session: every future is ready.

    use super::pg::{Owned, row};
    use super::{Param, Row, Session, SessionError};

    impl Session for postgres::Client {
        async fn execute(&mut self, sql: &str) -> Result<(), SessionError> {
            self.batch_execute(sql).map_err(Into::into)
        }

        async fn query(
            &mut self,
            sql: &str,
            params: &[Param<'_>],
        ) -> Result<Vec<Row>, SessionError> {
            let owned = Owned::all(params);
            let refs: Vec<_> = owned.iter().map(Owned::as_sql).collect();
            let rows = postgres::Client::query(self, sql, &refs)?;
            Ok(rows.iter().map(row).collect())
        }
    }
}
