//! Read-only models: the rows of a view or materialized view. A
//! [`ViewRecord`] reads every row ([`ViewRecord::all`]) and nothing else: no
//! insert, update, delete or find by key, which a view's rows do not have.

use crate::model::Model;
use crate::record::{RowError, select_all_sql};
use crate::rows::Executor;
use crate::value::Value;

/// A Rust type that models the rows of one view or materialized view;
/// implemented by the structs `schema!()` generates for views.
pub trait ViewRecord: Model + Sized {
    /// The canonical PostgreSQL type of each column, in [`Model::COLUMNS`]
    /// order (see [`crate::Record::COLUMN_TYPES`]).
    const COLUMN_TYPES: &'static [&'static str];

    /// The row from its values, one per column in [`Model::COLUMNS`] order.
    ///
    /// # Errors
    /// [`RowError::ColumnCount`] for another number of values, and
    /// [`RowError::Field`] for a value that does not convert.
    fn from_values(values: Vec<Value>) -> Result<Self, RowError>;

    /// Every row of the view, in the order the database gives them.
    ///
    /// # Errors
    /// The driver's error, or [`RowError::Field`] for a value that does not
    /// convert.
    fn all(db: impl Executor) -> Result<Vec<Self>, RowError> {
        if Self::COLUMN_TYPES.len() != Self::COLUMNS.len() {
            return Err(RowError::invalid_model(
                Self::TABLE,
                format!(
                    "it has {} columns but {} column types",
                    Self::COLUMNS.len(),
                    Self::COLUMN_TYPES.len()
                ),
            ));
        }
        let sql = select_all_sql(
            db.dialect(),
            Self::TABLE,
            Self::COLUMNS,
            Self::COLUMN_TYPES,
            &[],
        );
        db.query(&sql, &[])?
            .into_iter()
            .map(Self::from_values)
            .collect()
    }
}
