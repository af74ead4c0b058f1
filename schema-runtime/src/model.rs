//! The [`Model`] trait: what a Rust type knows about the table it models.

/// A Rust type that models one table; implemented by the structs `schema!()`
/// generates and by `#[derive(Schema)]`.
pub trait Model {
    /// The table's name as schema.sql declares it (`users`, `app.items`).
    const TABLE: &'static str;
    /// Column names, in field order.
    const COLUMNS: &'static [&'static str];
    /// Primary key columns, in key order (empty without a primary key).
    const PRIMARY_KEY: &'static [&'static str];
}
