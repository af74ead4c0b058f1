//! PostgreSQL's reserved key words as names: unquoted, they cannot name a
//! table, a column, a type, an index, a sequence or a constraint.

use crate::model::names::RESERVED;

/// Reserved only from PostgreSQL 16 on: PostgreSQL 15 accepts them as names.
const RESERVED_SINCE_16: &[&str] = &["system_user"];

/// The key words PostgreSQL 15 refuses where its grammar expects a name
/// (`ColId`): those `pg_get_keywords()` lists as `reserved` (catcode `R`) and
/// `reserved (can be function or type)` (catcode `T`).
pub fn reserved_words() -> impl Iterator<Item = &'static str> {
    RESERVED
        .iter()
        .copied()
        .filter(|w| !RESERVED_SINCE_16.contains(w))
}

/// True when `word` (already folded to lower case) cannot be written unquoted
/// where PostgreSQL's grammar expects a name.
pub fn is_reserved(word: &str) -> bool {
    RESERVED.binary_search(&word).is_ok() && !RESERVED_SINCE_16.contains(&word)
}
