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

/// [`is_reserved`] of `word` folded to lower case, without allocating (it
/// is asked of every name a statement gives).
pub(crate) fn is_reserved_unfolded(word: &str) -> bool {
    // Room for the longest reserved word (17 bytes) and more.
    let mut folded = [0u8; 24];
    let Some(room) = folded.get_mut(..word.len()) else {
        // Longer than every reserved word.
        return false;
    };
    room.copy_from_slice(word.as_bytes());
    room.make_ascii_lowercase();
    std::str::from_utf8(room).is_ok_and(is_reserved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reserved_word_is_found_in_any_case_and_only_then() {
        for word in RESERVED {
            assert!(word.len() <= 24, "`{word}` does not fit the folding buffer");
            let upper = word.to_ascii_uppercase();
            assert_eq!(is_reserved_unfolded(&upper), is_reserved(word), "{upper}");
            assert_eq!(is_reserved_unfolded(word), is_reserved(word), "{word}");
        }
        for name in ["users", "Select_x", "ÜSER", "", &"x".repeat(40)] {
            assert!(!is_reserved_unfolded(name), "{name}");
        }
        assert!(is_reserved_unfolded("SeLeCt") && is_reserved_unfolded("USER"));
    }
}
