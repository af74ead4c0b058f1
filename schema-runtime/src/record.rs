//! [`Record`]: a [`Model`] whose rows move to and from a database as
//! [`Value`]s, and the SQL that moves them in each [`Dialect`]: insert, and
//! select, update and delete by primary key.
//!
//! `schema!()` implements `Record` for every struct it generates, and
//! `#[derive(Schema)]` for a struct that models every column of its table;
//! [`crate::rows`] runs the SQL on a connection, behind the row methods both
//! generate.
//!
//! # The SQL
//!
//! Identifiers are always quoted (`"users"`, `"app"."items"`, `"userId"`), so
//! every name means what schema.sql declares whatever the dialect's keywords.
//!
//! PostgreSQL moves every value as text and casts it where it is used:
//! parameters are bound as `text` and cast to the column's type
//! (`$1::text::integer`, `$2::text::document_status`, without the type's
//! modifier, so that a value too long for `varchar(20)` is an error rather
//! than cut short), and columns are read as `"c"::text` (a `money` column
//! through `numeric`, an `inet` column with `abbrev`). Every type moves the same way, enums, arrays, `json`,
//! `uuid` and `numeric` included, and exactly (floats print their shortest
//! exact form). What is read is the text the session prints, so it relies
//! on PostgreSQL's defaults for how that looks: `DateStyle` `ISO` and
//! `extra_float_digits` of 1 or more (exact floats), `IntervalStyle` for the
//! text of an `interval`; any `TimeZone` and either `bytea_output` will do.
//!
//! SQLite binds native values (`?1`, `?2`): integers, reals, text, blobs, and
//! booleans as `0`/`1`.

use std::fmt;

use crate::migration::Dialect;
use crate::model::Model;
use crate::value::{Field, FieldError, Value};

/// A [`Model`] whose rows convert to and from [`Value`]s, one per column in
/// [`Model::COLUMNS`] order.
///
/// `schema!()` implements it for each generated struct, and
/// `#[derive(Schema)]` for a struct that models every column of its table,
/// each with its row methods (`insert`, `find`, `update`, `delete`, `all`).
/// By hand:
///
/// ```
/// use schema_runtime::record::RowValues;
/// use schema_runtime::{Field, Model, Record, RowError, Value};
///
/// struct Tag {
///     id: i32,
///     name: Option<String>,
/// }
///
/// impl Model for Tag {
///     const TABLE: &'static str = "tags";
///     const COLUMNS: &'static [&'static str] = &["id", "name"];
///     const PRIMARY_KEY: &'static [&'static str] = &["id"];
/// }
///
/// impl Record for Tag {
///     const COLUMN_TYPES: &'static [&'static str] = &["integer", "text"];
///
///     fn to_values(&self) -> Vec<Value> {
///         vec![self.id.to_value(), self.name.to_value()]
///     }
///
///     fn from_values(values: Vec<Value>) -> Result<Self, RowError> {
///         let mut row = RowValues::new::<Self>(values)?;
///         Ok(Tag {
///             id: row.take("id")?,
///             name: row.take("name")?,
///         })
///     }
///
///     fn key_values(&self) -> Vec<Value> {
///         vec![self.id.to_value()]
///     }
/// }
///
/// let tag = Tag::from_values(vec![Value::Text("7".into()), Value::Null])?;
/// assert_eq!((tag.id, tag.name), (7, None));
/// # Ok::<(), RowError>(())
/// ```
pub trait Record: Model + Sized {
    /// The canonical PostgreSQL type of each column, in [`Model::COLUMNS`]
    /// order, as `format_type` prints it: `integer`, `character varying(50)`,
    /// `timestamp without time zone`, `document_status`, `text[]`.
    const COLUMN_TYPES: &'static [&'static str];

    /// The row's values, one per column in [`Model::COLUMNS`] order.
    fn to_values(&self) -> Vec<Value>;

    /// The row from its values, one per column in [`Model::COLUMNS`] order.
    ///
    /// # Errors
    /// [`RowError::ColumnCount`] for another number of values, and
    /// [`RowError::Field`], naming the column, for a value that does not
    /// convert to its field's type.
    fn from_values(values: Vec<Value>) -> Result<Self, RowError>;

    /// The values of the primary key's columns, in [`Model::PRIMARY_KEY`]
    /// order (none without a primary key).
    fn key_values(&self) -> Vec<Value>;

    /// The columns the database computes (`GENERATED ALWAYS AS (...)
    /// STORED`): read like any other, never written (an insert or update
    /// leaves them out).
    const GENERATED_COLUMNS: &'static [&'static str] = &[];

    /// The `GENERATED ALWAYS AS IDENTITY` columns: an insert of a whole row
    /// writes them with `OVERRIDING SYSTEM VALUE` (PostgreSQL), an update
    /// leaves them out.
    const ALWAYS_IDENTITY_COLUMNS: &'static [&'static str] = &[];

    /// The columns a sequence fills (`serial`, identity, a `nextval(...)`
    /// default), each with its sequence as a `regclass` name (`users_id_seq`,
    /// `app."Seq"`), or `""` for an identity column (found with
    /// `pg_get_serial_sequence`). On PostgreSQL an insert that writes such a
    /// column itself moves the sequence past the value written, so that the
    /// next row the sequence numbers does not collide with it.
    const SEQUENCE_COLUMNS: &'static [(&'static str, &'static str)] = &[];
}

/// A model's insert struct (`NewUser`, which `schema!()` generates): the
/// columns it writes, each with its value. Its `insert` writes what
/// [`NewRecord::given`] gives and reads back the row the database made.
pub trait NewRecord {
    /// The columns given, in column order, each with its value: every column
    /// without a default, and each one with a default whose field is `Some`.
    fn given(&self) -> Vec<(&'static str, Value)>;
}

/// The values of one row, taken out by column: what
/// [`Record::from_values`] implementations read a row with.
#[derive(Debug)]
pub struct RowValues {
    table: &'static str,
    columns: &'static [&'static str],
    values: Vec<Option<Value>>,
}

impl RowValues {
    /// The values of a row of `T`, one per column of `T::COLUMNS`.
    ///
    /// # Errors
    /// [`RowError::ColumnCount`] when there are more or fewer values.
    pub fn new<T: Model>(values: Vec<Value>) -> Result<Self, RowError> {
        if values.len() != T::COLUMNS.len() {
            return Err(RowError::ColumnCount {
                table: T::TABLE,
                expected: T::COLUMNS.len(),
                found: values.len(),
            });
        }
        Ok(RowValues {
            table: T::TABLE,
            columns: T::COLUMNS,
            values: values.into_iter().map(Some).collect(),
        })
    }

    /// Column `column`'s value, as a `F`.
    ///
    /// # Errors
    /// [`RowError::Field`] when the value does not convert to `F`;
    /// [`RowError::InvalidModel`] when the model has no such column, or it
    /// was taken already.
    pub fn take<F: Field>(&mut self, column: &str) -> Result<F, RowError> {
        let found = self
            .columns
            .iter()
            .zip(&mut self.values)
            .find(|(name, _)| **name == column);
        let Some((name, slot)) = found else {
            return Err(RowError::invalid_model(
                self.table,
                format!("it has no column `{column}`"),
            ));
        };
        let Some(value) = slot.take() else {
            return Err(RowError::invalid_model(
                self.table,
                format!("column `{column}` is read twice"),
            ));
        };
        F::from_value(value).map_err(|error| RowError::Field {
            table: self.table,
            column: name,
            error,
        })
    }
}

/// What went wrong while moving rows of a [`Record`].
#[derive(Debug)]
#[non_exhaustive]
pub enum RowError {
    /// A column's value does not convert to its field's type.
    Field {
        /// The table ([`Model::TABLE`]).
        table: &'static str,
        /// The column.
        column: &'static str,
        /// Why.
        error: FieldError,
    },
    /// A row has another number of values than the model has columns.
    ColumnCount {
        /// The table ([`Model::TABLE`]).
        table: &'static str,
        /// How many columns the model has.
        expected: usize,
        /// How many values came.
        found: usize,
    },
    /// A key with another number of values than the primary key has columns.
    KeyLength {
        /// The table ([`Model::TABLE`]).
        table: &'static str,
        /// How many columns the primary key has.
        expected: usize,
        /// How many values were given.
        found: usize,
    },
    /// Finding, updating or deleting by key a row of a table without a
    /// primary key.
    NoPrimaryKey {
        /// The table ([`Model::TABLE`]).
        table: &'static str,
    },
    /// A [`Record`] implementation that contradicts itself (a column type or
    /// a value per column missing, a key column that is not a column).
    InvalidModel {
        /// The table ([`Model::TABLE`]).
        table: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The connection cannot run what was asked (`INSERT ... RETURNING` on a
    /// SQLite older than 3.35).
    Unsupported {
        /// The table ([`Model::TABLE`]).
        table: &'static str,
        /// What cannot run, why, and what to do.
        message: String,
    },
    /// A [`Driver`](crate::driver::Driver) that lends the models no
    /// connection (the async drivers run blocking).
    NoConnection,
    /// SQLite failed.
    #[cfg(feature = "sqlite")]
    Sqlite(rusqlite::Error),
    /// PostgreSQL failed.
    #[cfg(feature = "postgres")]
    Postgres(postgres::Error),
    /// sqlx failed.
    #[cfg(any(feature = "sqlx-postgres", feature = "sqlx-sqlite"))]
    Sqlx(sqlx::Error),
}

impl RowError {
    pub(crate) fn invalid_model(table: &'static str, message: String) -> Self {
        RowError::InvalidModel { table, message }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RowError::Field {
                table,
                column,
                error,
            } => write!(f, "column `{table}.{column}`: {error}"),
            RowError::ColumnCount {
                table,
                expected,
                found,
            } => write!(
                f,
                "a row of `{table}` has {found} values, but its model has {expected} columns"
            ),
            RowError::KeyLength {
                table,
                expected,
                found,
            } => write!(
                f,
                "the primary key of `{table}` has {expected} columns, but {found} key values were given"
            ),
            RowError::NoPrimaryKey { table } => write!(
                f,
                "table `{table}` has no primary key, so its rows cannot be found, updated or deleted by key"
            ),
            RowError::Unsupported { table, message } => {
                write!(f, "cannot insert into `{table}`: {message}")
            }
            RowError::NoConnection => f.write_str(
                "this driver lends no connection to the models (an async driver run blocking \
                 lends none): run the models' `_async` methods on your own client or pool, or open \
                 the database with `connect`'s default drivers",
            ),
            RowError::InvalidModel { table, message } => {
                write!(
                    f,
                    "the `Record` implementation of `{table}` is wrong: {message}"
                )
            }
            #[cfg(feature = "sqlite")]
            RowError::Sqlite(e) => write!(f, "SQLite: {e}"),
            // The server's message (`ERROR: value too long for ...`, with its
            // detail and hint), which the error's own text leaves out.
            #[cfg(feature = "postgres")]
            RowError::Postgres(e) => match e.as_db_error() {
                Some(db) => write!(f, "PostgreSQL: {db}"),
                None => write!(f, "PostgreSQL: {e}"),
            },
            #[cfg(any(feature = "sqlx-postgres", feature = "sqlx-sqlite"))]
            RowError::Sqlx(e) => write!(f, "sqlx: {e}"),
        }
    }
}

impl std::error::Error for RowError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RowError::Field { error, .. } => Some(error),
            #[cfg(feature = "sqlite")]
            RowError::Sqlite(e) => Some(e),
            #[cfg(feature = "postgres")]
            RowError::Postgres(e) => Some(e),
            #[cfg(any(feature = "sqlx-postgres", feature = "sqlx-sqlite"))]
            RowError::Sqlx(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(feature = "sqlite")]
impl From<rusqlite::Error> for RowError {
    fn from(e: rusqlite::Error) -> Self {
        RowError::Sqlite(e)
    }
}

#[cfg(any(feature = "sqlx-postgres", feature = "sqlx-sqlite"))]
impl From<sqlx::Error> for RowError {
    fn from(e: sqlx::Error) -> Self {
        RowError::Sqlx(e)
    }
}

#[cfg(feature = "postgres")]
impl From<postgres::Error> for RowError {
    fn from(e: postgres::Error) -> Self {
        RowError::Postgres(e)
    }
}

/// Checks that `T`'s constants agree: a type per column, every key column a
/// column.
pub(crate) fn check_model<T: Record>() -> Result<(), RowError> {
    if T::COLUMN_TYPES.len() != T::COLUMNS.len() {
        return Err(RowError::invalid_model(
            T::TABLE,
            format!(
                "it has {} columns but {} column types",
                T::COLUMNS.len(),
                T::COLUMN_TYPES.len()
            ),
        ));
    }
    match T::PRIMARY_KEY.iter().find(|k| !T::COLUMNS.contains(k)) {
        Some(key) => Err(RowError::invalid_model(
            T::TABLE,
            format!("primary key column `{key}` is not one of its columns"),
        )),
        None => Ok(()),
    }
}

/// Checks that `values` has one value per column of `T`.
pub(crate) fn check_values<T: Record>(values: &[Value], what: &str) -> Result<(), RowError> {
    if values.len() == T::COLUMNS.len() {
        Ok(())
    } else {
        Err(RowError::invalid_model(
            T::TABLE,
            format!(
                "its {what} gives {} values for {} columns",
                values.len(),
                T::COLUMNS.len()
            ),
        ))
    }
}

/// Checks that `T` has a primary key of `given` columns.
pub(crate) fn check_key<T: Record>(given: usize) -> Result<(), RowError> {
    if T::PRIMARY_KEY.is_empty() {
        return Err(RowError::NoPrimaryKey { table: T::TABLE });
    }
    if given != T::PRIMARY_KEY.len() {
        return Err(RowError::KeyLength {
            table: T::TABLE,
            expected: T::PRIMARY_KEY.len(),
            found: given,
        });
    }
    Ok(())
}

/// `name` quoted: `"name"`, embedded quotes doubled.
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A table's name as [`Model::TABLE`] gives it (`users`, `app.items`,
/// `"Order Items"`), with every part quoted: `"users"`, `"app"."items"`.
/// Unquoted parts fold to lower case, as PostgreSQL folds them.
fn quote_table(table: &str) -> String {
    let mut parts = Vec::new();
    let mut part = String::new();
    let mut chars = table.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.next_if_eq(&'"').is_some() => part.push('"'),
            '"' => quoted = !quoted,
            '.' if !quoted => parts.push(quote(&std::mem::take(&mut part))),
            c if quoted => part.push(c),
            c => part.extend(c.to_lowercase()),
        }
    }
    parts.push(quote(&part));
    parts.join(".")
}

/// The type a text parameter is cast to for a column of type `ty`: `ty`
/// without its modifiers, so that the assignment to the column checks them
/// (`character varying(20)` → `character varying`), and the unbounded
/// type where the bare name has a length of 1 (`character(2)` → `bpchar`,
/// `bit(3)` → `bit varying`).
fn cast_type(ty: &str) -> String {
    let mut bare = String::new();
    let mut depth = 0_usize;
    let mut quoted = false;
    for c in ty.chars() {
        match c {
            '"' if depth == 0 => {
                quoted = !quoted;
                bare.push(c);
            }
            _ if quoted => bare.push(c),
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c => bare.push(c),
        }
    }
    let base = bare.trim_end_matches("[]");
    let dims = &bare[base.len()..];
    let base = match base.trim_end() {
        "character" => "bpchar",
        "bit" => "bit varying",
        other => other,
    };
    format!("{base}{dims}")
}

/// Parameter `n` (from 1) for a column of type `ty`.
fn param(dialect: Dialect, n: usize, ty: Option<&str>) -> String {
    match (dialect, ty) {
        (Dialect::Postgres, Some(ty)) => format!("${n}::text::{}", cast_type(ty)),
        (Dialect::Postgres, None) => format!("${n}::text"),
        (Dialect::Sqlite, _) => format!("?{n}"),
        // A dialect the core added later (`Dialect` is non-exhaustive): numbered `?`.
        _ => format!("?{n}"),
    }
}

/// Column `column` of type `ty` as a select list reads it: on PostgreSQL its
/// text, as the type's output function prints it (`::text`, except for
/// `inet`, whose cast to text always adds the netmask: `abbrev` prints it as
/// the output function does), and `money` through `numeric`, whose text does
/// not depend on the locale.
fn read(dialect: Dialect, column: &str, ty: &str) -> String {
    let column = quote(column);
    match dialect {
        Dialect::Sqlite => column,
        Dialect::Postgres => match ty.strip_prefix("money") {
            Some(dims) if dims.is_empty() || dims.chars().all(|c| c == '[' || c == ']') => {
                format!("{column}::numeric{dims}::text")
            }
            _ if ty == "inet" => format!("abbrev({column})"),
            _ => format!("{column}::text"),
        },
        // A dialect the core added later (`Dialect` is non-exhaustive): as stored.
        _ => column,
    }
}

/// The type of column `column`, when `columns` has it.
fn type_of<'a>(column: &str, columns: &[&str], types: &[&'a str]) -> Option<&'a str> {
    let i = columns.iter().position(|c| *c == column)?;
    types.get(i).copied()
}

/// `"k1" = <param 1> AND "k2" = <param 2>`, parameters numbered from `first`.
fn key_condition(
    dialect: Dialect,
    columns: &[&str],
    types: &[&str],
    key: &[&str],
    first: impl Fn(usize) -> usize,
) -> String {
    key.iter()
        .enumerate()
        .map(|(i, k)| {
            let ty = type_of(k, columns, types);
            format!("{} = {}", quote(k), param(dialect, first(i), ty))
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

fn select_list(dialect: Dialect, columns: &[&str], types: &[&str]) -> String {
    columns
        .iter()
        .enumerate()
        .map(|(i, c)| read(dialect, c, types.get(i).copied().unwrap_or("")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `INSERT INTO "t" ("a", "b") VALUES (<param 1>, <param 2>)`: bind every
/// column's value, in `columns` order ([`Record::to_values`]). `types[i]` is
/// the type of `columns[i]` ([`Record::COLUMN_TYPES`]).
pub fn insert_sql(dialect: Dialect, table: &str, columns: &[&str], types: &[&str]) -> String {
    let written: Vec<usize> = (0..columns.len()).collect();
    insert_statement(
        dialect,
        &Insert {
            table,
            columns,
            types,
            written: &written,
            overriding: false,
            returning: false,
            sequences: &[],
        },
    )
}

/// An `INSERT` of some of a table's columns, as [`insert_statement`] writes
/// it.
#[derive(Debug, Clone, Copy)]
pub struct Insert<'a> {
    /// The table ([`Model::TABLE`]).
    pub table: &'a str,
    /// Every column ([`Model::COLUMNS`]).
    pub columns: &'a [&'a str],
    /// `types[i]` is the type of `columns[i]` ([`Record::COLUMN_TYPES`]).
    pub types: &'a [&'a str],
    /// The positions in `columns` of the columns written, in the order their
    /// values are bound; none: `DEFAULT VALUES`.
    pub written: &'a [usize],
    /// `OVERRIDING SYSTEM VALUE` (PostgreSQL): a `GENERATED ALWAYS AS
    /// IDENTITY` column is written.
    pub overriding: bool,
    /// Read the row back: every column, in `columns` order, as a select list
    /// reads it.
    pub returning: bool,
    /// The sequences to move past the values written
    /// ([`Record::SEQUENCE_COLUMNS`], of written columns; PostgreSQL only).
    pub sequences: &'a [(&'a str, &'a str)],
}

/// `text` as a SQL string literal.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The statement of `insert`: `INSERT INTO "t" ("a") VALUES (<param 1>)`, or
/// `INSERT INTO "t" DEFAULT VALUES`, then `RETURNING` the select list when
/// the row is read back.
///
/// On PostgreSQL, with sequences to move, the insert is a data-modifying
/// `WITH` whose rows a `SELECT` reads (the select list, if read back), with
/// one more value per sequence: `setval` of the sequence to the value
/// written when that is past the sequence's last value (an ascending
/// sequence only, within its `MAXVALUE`). The sequence and the row move in
/// one statement; `nextval` then numbers the next row past it.
pub fn insert_statement(dialect: Dialect, insert: &Insert<'_>) -> String {
    let table = quote_table(insert.table);
    let mut sql = if insert.written.is_empty() {
        format!("INSERT INTO {table} DEFAULT VALUES")
    } else {
        let names: Vec<String> = insert
            .written
            .iter()
            .filter_map(|&i| insert.columns.get(i))
            .map(|c| quote(c))
            .collect();
        let params: Vec<String> = insert
            .written
            .iter()
            .enumerate()
            .map(|(n, &i)| param(dialect, n + 1, insert.types.get(i).copied()))
            .collect();
        let overriding = if insert.overriding && dialect == Dialect::Postgres {
            " OVERRIDING SYSTEM VALUE"
        } else {
            ""
        };
        format!(
            "INSERT INTO {table} ({}){overriding} VALUES ({})",
            names.join(", "),
            params.join(", ")
        )
    };
    let read_back = insert
        .returning
        .then(|| select_list(dialect, insert.columns, insert.types));
    if dialect == Dialect::Postgres && !insert.sequences.is_empty() {
        let inserted = "\"_inserted\"";
        let moves = insert.sequences.iter().map(|(column, sequence)| {
            let value = format!("{inserted}.{}", quote(column));
            let sequence = if sequence.is_empty() {
                format!(
                    "pg_catalog.pg_get_serial_sequence({}, {})::regclass",
                    literal(&table),
                    literal(column)
                )
            } else {
                format!("{}::regclass", literal(sequence))
            };
            format!(
                "(SELECT pg_catalog.setval(s.seqrelid, {value}::bigint)::text \
                 FROM pg_catalog.pg_sequence s \
                 WHERE s.seqrelid = {sequence} AND s.seqincrement > 0 AND {value} <= s.seqmax \
                 AND CASE WHEN pg_catalog.pg_sequence_last_value(s.seqrelid) IS NULL \
                 THEN {value} >= s.seqstart \
                 ELSE {value} > pg_catalog.pg_sequence_last_value(s.seqrelid) END)"
            )
        });
        let list: Vec<String> = read_back.into_iter().chain(moves).collect();
        return format!(
            "WITH {inserted} AS ({sql} RETURNING *) SELECT {} FROM {inserted}",
            list.join(", ")
        );
    }
    if let Some(list) = read_back {
        sql.push_str(" RETURNING ");
        sql.push_str(&list);
    }
    sql
}

/// `SELECT "a", "b" FROM "t" WHERE "k" = <param 1>`: bind the key's values,
/// in `key` order ([`Record::key_values`]); the columns come back in
/// `columns` order.
pub fn select_by_key_sql(
    dialect: Dialect,
    table: &str,
    columns: &[&str],
    types: &[&str],
    key: &[&str],
) -> String {
    format!(
        "SELECT {} FROM {} WHERE {}",
        select_list(dialect, columns, types),
        quote_table(table),
        key_condition(dialect, columns, types, key, |i| i + 1)
    )
}

/// `SELECT "a", "b" FROM "t" ORDER BY "k"`: every row, in `order_by` order
/// (the primary key, for a stable order; no `ORDER BY` when empty).
pub fn select_all_sql(
    dialect: Dialect,
    table: &str,
    columns: &[&str],
    types: &[&str],
    order_by: &[&str],
) -> String {
    let mut sql = format!(
        "SELECT {} FROM {}",
        select_list(dialect, columns, types),
        quote_table(table)
    );
    if !order_by.is_empty() {
        let order: Vec<String> = order_by.iter().map(|c| quote(c)).collect();
        sql.push_str(" ORDER BY ");
        sql.push_str(&order.join(", "));
    }
    sql
}

/// `UPDATE "t" SET "a" = <param 1> WHERE "k" = <param 2>`, and the
/// positions in `columns` of the values to bind, in parameter order: the
/// columns set (those outside `key` and `fixed`), then the key's columns, in
/// `key` order. `fixed` are the columns never written (generated columns,
/// `GENERATED ALWAYS` identities). When no column is left to set, the key
/// is set to itself, so the count of changed rows still tells whether the
/// row exists.
pub fn update_by_key_sql(
    dialect: Dialect,
    table: &str,
    columns: &[&str],
    types: &[&str],
    key: &[&str],
    fixed: &[&str],
) -> (String, Vec<usize>) {
    let mut bound = Vec::new();
    let mut set = Vec::new();
    for (i, c) in columns.iter().enumerate() {
        if key.contains(c) || fixed.contains(c) {
            continue;
        }
        bound.push(i);
        let ty = types.get(i).copied();
        set.push(format!(
            "{} = {}",
            quote(c),
            param(dialect, bound.len(), ty)
        ));
    }
    if set.is_empty() {
        set = key
            .iter()
            .map(|k| format!("{} = {}", quote(k), quote(k)))
            .collect();
    }
    let first = bound.len();
    let condition = key_condition(dialect, columns, types, key, |i| first + i + 1);
    bound.extend(
        key.iter()
            .filter_map(|k| columns.iter().position(|c| c == k)),
    );
    let sql = format!(
        "UPDATE {} SET {} WHERE {}",
        quote_table(table),
        set.join(", "),
        condition
    );
    (sql, bound)
}

/// `DELETE FROM "t" WHERE "k" = <param 1>`: bind the key's values, in `key`
/// order ([`Record::key_values`]).
pub fn delete_by_key_sql(
    dialect: Dialect,
    table: &str,
    columns: &[&str],
    types: &[&str],
    key: &[&str],
) -> String {
    format!(
        "DELETE FROM {} WHERE {}",
        quote_table(table),
        key_condition(dialect, columns, types, key, |i| i + 1)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: &[&str] = &["user_id", "serial", "title", "userName"];
    const TYPES: &[&str] = &["integer", "character(2)", "character varying(50)", "money"];
    const KEY: &[&str] = &["user_id", "serial"];

    #[test]
    fn table_names_are_quoted_part_by_part() {
        assert_eq!(quote_table("users"), r#""users""#);
        assert_eq!(quote_table("app.items"), r#""app"."items""#);
        assert_eq!(
            quote_table(r#""Order ""Items"".v2""#),
            r#""Order ""Items"".v2""#
        );
        assert_eq!(quote_table(r#"App."Mixed""#), r#""app"."Mixed""#);
    }

    #[test]
    fn casts_leave_modifiers_to_the_assignment() {
        assert_eq!(cast_type("character varying(50)"), "character varying");
        assert_eq!(cast_type("numeric(10,2)"), "numeric");
        assert_eq!(
            cast_type("timestamp(3) with time zone"),
            "timestamp with time zone"
        );
        assert_eq!(cast_type("character(2)"), "bpchar");
        assert_eq!(cast_type("character(2)[]"), "bpchar[]");
        assert_eq!(cast_type("bit(3)"), "bit varying");
        assert_eq!(cast_type("app.\"my(type)\"[]"), "app.\"my(type)\"[]");
    }

    #[test]
    fn postgres_moves_every_value_as_text() {
        let pg = Dialect::Postgres;
        assert_eq!(
            insert_sql(pg, "resumes", COLUMNS, TYPES),
            r#"INSERT INTO "resumes" ("user_id", "serial", "title", "userName") VALUES ($1::text::integer, $2::text::bpchar, $3::text::character varying, $4::text::money)"#
        );
        assert_eq!(
            select_by_key_sql(pg, "resumes", COLUMNS, TYPES, KEY),
            r#"SELECT "user_id"::text, "serial"::text, "title"::text, "userName"::numeric::text FROM "resumes" WHERE "user_id" = $1::text::integer AND "serial" = $2::text::bpchar"#
        );
        assert_eq!(
            update_by_key_sql(pg, "resumes", COLUMNS, TYPES, KEY, &[]),
            (
                r#"UPDATE "resumes" SET "title" = $1::text::character varying, "userName" = $2::text::money WHERE "user_id" = $3::text::integer AND "serial" = $4::text::bpchar"#
                    .to_string(),
                vec![2, 3, 0, 1]
            )
        );
        assert_eq!(
            update_by_key_sql(pg, "resumes", COLUMNS, TYPES, &["serial"], &["title"]),
            (
                r#"UPDATE "resumes" SET "user_id" = $1::text::integer, "userName" = $2::text::money WHERE "serial" = $3::text::bpchar"#
                    .to_string(),
                vec![0, 3, 1]
            )
        );
        assert_eq!(
            delete_by_key_sql(pg, "resumes", COLUMNS, TYPES, KEY),
            r#"DELETE FROM "resumes" WHERE "user_id" = $1::text::integer AND "serial" = $2::text::bpchar"#
        );
        assert_eq!(
            select_all_sql(pg, "t", &["m", "a"], &["money[]", "inet"], &[]),
            r#"SELECT "m"::numeric[]::text, abbrev("a") FROM "t""#
        );
    }

    #[test]
    fn sqlite_binds_native_values() {
        let lite = Dialect::Sqlite;
        assert_eq!(
            insert_sql(lite, "resumes", COLUMNS, TYPES),
            r#"INSERT INTO "resumes" ("user_id", "serial", "title", "userName") VALUES (?1, ?2, ?3, ?4)"#
        );
        assert_eq!(
            select_all_sql(lite, "resumes", COLUMNS, TYPES, KEY),
            r#"SELECT "user_id", "serial", "title", "userName" FROM "resumes" ORDER BY "user_id", "serial""#
        );
        assert_eq!(
            update_by_key_sql(
                lite,
                "tags",
                &["a", "b"],
                &["text", "text"],
                &["b", "a"],
                &[]
            ),
            (
                r#"UPDATE "tags" SET "b" = "b", "a" = "a" WHERE "b" = ?1 AND "a" = ?2"#.to_string(),
                vec![1, 0]
            )
        );
        assert_eq!(
            insert_sql(lite, "t", &[], &[]),
            r#"INSERT INTO "t" DEFAULT VALUES"#
        );
    }

    #[test]
    fn inserts_write_some_columns_and_read_the_row_back() {
        let columns = &["id", "name", "total"];
        let types = &["integer", "text", "bigint"];
        let insert =
            |written: &'static [usize],
             returning,
             sequences: &'static [(&'static str, &'static str)]| Insert {
                table: "app.items",
                columns,
                types,
                written,
                overriding: false,
                returning,
                sequences,
            };
        assert_eq!(
            insert_statement(Dialect::Sqlite, &insert(&[1], true, &[])),
            r#"INSERT INTO "app"."items" ("name") VALUES (?1) RETURNING "id", "name", "total""#
        );
        assert_eq!(
            insert_statement(Dialect::Postgres, &insert(&[], true, &[])),
            r#"INSERT INTO "app"."items" DEFAULT VALUES RETURNING "id"::text, "name"::text, "total"::text"#
        );
        let overriding = Insert {
            overriding: true,
            ..insert(&[0, 1], false, &[])
        };
        assert_eq!(
            insert_statement(Dialect::Postgres, &overriding),
            r#"INSERT INTO "app"."items" ("id", "name") OVERRIDING SYSTEM VALUE VALUES ($1::text::integer, $2::text::text)"#
        );
        assert_eq!(
            insert_statement(Dialect::Sqlite, &overriding),
            r#"INSERT INTO "app"."items" ("id", "name") VALUES (?1, ?2)"#
        );
        let moved = insert_statement(
            Dialect::Postgres,
            &insert(&[0, 2], true, &[("id", ""), ("total", "app.\"Total's\"")]),
        );
        assert!(
            moved.starts_with(
                r#"WITH "_inserted" AS (INSERT INTO "app"."items" ("id", "total") VALUES ($1::text::integer, $2::text::bigint) RETURNING *) SELECT "id"::text, "name"::text, "total"::text, (SELECT pg_catalog.setval(s.seqrelid, "_inserted"."id"::bigint)::text FROM pg_catalog.pg_sequence s WHERE s.seqrelid = pg_catalog.pg_get_serial_sequence('"app"."items"', 'id')::regclass AND "#
            ),
            "{moved}"
        );
        assert!(
            moved.contains(r#"WHERE s.seqrelid = 'app."Total''s"'::regclass"#),
            "{moved}"
        );
        assert!(moved.ends_with(r#" FROM "_inserted""#), "{moved}");
    }
}
