//! A lexical view of PostgreSQL text for the importers: where statements end
//! (outside strings, quoted names, dollar quotes and comments) and whether a
//! text holds any statement at all.

use std::ops::Range;

use schema_runtime::Dialect;
use schema_runtime::split;

/// The byte ranges of the statements of `text`, in order, as the migrator
/// splits them (`schema_runtime::split::statements`, sqlparser's tokenizer):
/// each runs from the end of the one before to its `;` (included); a
/// statement without `;` runs to the end. Comments between statements go
/// with the statement after them; text after the last `;` (comments, lone
/// `;`) is the last range. Never panics: an unterminated string or comment
/// runs to the end.
pub(crate) fn statements(text: &str) -> Vec<Range<usize>> {
    let base = text.as_ptr() as usize;
    let mut ranges = Vec::new();
    let mut start = 0;
    for statement in split::statements(text, Dialect::Postgres) {
        // A sub-slice of `text`: its offset is where it starts.
        let end = statement.as_ptr() as usize - base + statement.len();
        let after = &text[end..];
        let gap = after.len() - after.trim_start().len();
        let stop = if after[gap..].starts_with(';') {
            end + gap + 1
        } else {
            text.len()
        };
        ranges.push(start..stop);
        start = stop;
    }
    if start < text.len() {
        ranges.push(start..text.len());
    }
    ranges
}

/// Where the first token of `text[range]` starts, after whitespace and
/// comments; `None` when the range holds none.
pub(crate) fn first_token(text: &str, range: Range<usize>) -> Option<usize> {
    let b = text.as_bytes();
    let end = range.end.min(b.len());
    let mut i = range.start;
    while i < end {
        i = match b[i] {
            c if c.is_ascii_whitespace() => i + 1,
            b'-' if b.get(i + 1) == Some(&b'-') => line_end(b, i),
            b'/' if b.get(i + 1) == Some(&b'*') => block_comment_end(b, i),
            b';' => i + 1,
            _ => return Some(i),
        };
    }
    None
}

/// True when `text` holds a statement: anything but whitespace, comments and
/// lone `;`.
pub(crate) fn has_statement(text: &str) -> bool {
    statements(text)
        .into_iter()
        .any(|r| first_token(text, r).is_some())
}

/// The words a statement starts with, upper-cased, up to `n` of them (for
/// recognising `CREATE TABLE alembic_version`).
pub(crate) fn leading_words(text: &str, range: Range<usize>, n: usize) -> Vec<String> {
    let Some(from) = first_token(text, range.clone()) else {
        return Vec::new();
    };
    text.get(from..range.end.min(text.len()))
        .unwrap_or_default()
        .split(|c: char| c.is_whitespace() || c == ';' || c == '(')
        .filter(|w| !w.is_empty())
        .take(n)
        .map(str::to_ascii_uppercase)
        .collect()
}

/// `text` without the statements at `ranges` (ranges [`statements`] gave, in
/// order): each goes from the start of its line (with the blank lines before
/// it) through the end of the line holding its `;`, so no gap is left.
pub(crate) fn without(text: &str, ranges: &[Range<usize>]) -> String {
    let mut out = String::new();
    let mut kept_to = 0;
    for range in ranges {
        let Some(token) = first_token(text, range.clone()) else {
            continue;
        };
        let end = range.end.min(text.len());
        let lead = &text[range.start..token];
        let start = if lead.trim().is_empty() {
            lead.find('\n').map_or(range.start, |p| range.start + p + 1)
        } else {
            token
        };
        let after = &text[end..];
        let tail = after
            .find('\n')
            .filter(|p| after[..*p].trim().is_empty())
            .map_or(0, |p| p + 1);
        out.push_str(&text[kept_to.min(start)..start.max(kept_to)]);
        kept_to = kept_to.max(end + tail);
    }
    out.push_str(&text[kept_to.min(text.len())..]);
    out
}

/// `text` without a `BEGIN;` that opens it and a `COMMIT;` that ends it
/// (other tools' migrations often wrap themselves so; the migrator runs each
/// migration in a transaction of its own), when no other `BEGIN`, `COMMIT`
/// or `ROLLBACK` is inside; `None` when it has no such pair.
pub(crate) fn unwrapped(text: &str) -> Option<String> {
    let all: Vec<Range<usize>> = statements(text)
        .into_iter()
        .filter(|r| first_token(text, r.clone()).is_some())
        .collect();
    let words = |r: &Range<usize>| leading_words(text, r.clone(), 2);
    let is_begin = |w: &[String]| {
        matches!(w.first().map(String::as_str), Some("BEGIN")) || w == ["START", "TRANSACTION"]
    };
    let is_end = |w: &[String]| matches!(w.first().map(String::as_str), Some("COMMIT" | "END"));
    let is_control = |w: &[String]| {
        is_begin(w)
            || is_end(w)
            || matches!(
                w.first().map(String::as_str),
                Some("ROLLBACK" | "SAVEPOINT")
            )
    };
    let (first, last) = (all.first()?, all.last()?);
    if all.len() < 2 || !is_begin(&words(first)) || !is_end(&words(last)) {
        return None;
    }
    if all[1..all.len() - 1].iter().any(|r| is_control(&words(r))) {
        return None;
    }
    Some(without(text, &[first.clone(), last.clone()]))
}

/// The index after the line that starts a `--` comment at `i` (its newline included).
fn line_end(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| i + p + 1)
}

/// The index after a (nested) `/* */` comment starting at `i`.
fn block_comment_end(b: &[u8], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
        } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
            depth = depth.saturating_sub(1);
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sql: &str) -> Vec<&str> {
        statements(sql).into_iter().map(|r| &sql[r]).collect()
    }

    #[test]
    fn semicolons_in_strings_comments_and_dollar_quotes_end_nothing() {
        let sql = "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\n\
                   -- a comment; still a comment\nINSERT INTO t VALUES ('a;b', E'c\\';d', \"x;y\");\n\
                   /* one /* nested; */ still; */ SELECT $1;";
        assert_eq!(
            texts(sql),
            [
                "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;",
                "\n-- a comment; still a comment\nINSERT INTO t VALUES ('a;b', E'c\\';d', \"x;y\");",
                "\n/* one /* nested; */ still; */ SELECT $1;",
            ]
        );
    }

    #[test]
    fn unterminated_text_runs_to_the_end_without_panicking() {
        for sql in ["'abc", "$a$ x", "/* x", "\"x", "-- x", "$", "E'\\", ""] {
            let all: usize = statements(sql).iter().map(|r| r.len()).sum();
            assert_eq!(all, sql.len(), "{sql:?}");
        }
    }

    #[test]
    fn a_wrapping_transaction_comes_off_and_nothing_else() {
        let sql = "-- head\nBEGIN;\n\nCREATE TABLE t (x int);\n\nCOMMIT;\n";
        assert_eq!(
            unwrapped(sql).as_deref(),
            Some("-- head\n\nCREATE TABLE t (x int);\n")
        );
        assert_eq!(unwrapped("BEGIN;\nSELECT 1;\nCOMMIT;\nSELECT 2;\n"), None);
        assert_eq!(
            unwrapped("BEGIN;\nSELECT 1;\nCOMMIT;\nBEGIN;\nSELECT 2;\nCOMMIT;\n"),
            None
        );
        assert_eq!(unwrapped("SELECT 1;\n"), None);
        assert_eq!(unwrapped("BEGIN;COMMIT;").as_deref(), Some(""));
    }

    #[test]
    fn comments_and_semicolons_alone_hold_no_statement() {
        assert!(!has_statement("-- only\n/* this */ ;\n  \n"));
        assert!(has_statement("-- x\nDROP TABLE t"));
        let sql = "  -- c\n  create table alembic_version (x int);";
        assert_eq!(
            leading_words(sql, 0..sql.len(), 3),
            ["CREATE", "TABLE", "ALEMBIC_VERSION"]
        );
    }
}
