//! The splitter the runtime had before it used the tokenizer, kept as the
//! oracle the tokenizer-based one is compared with (it read every dialect as
//! PostgreSQL): quotes, dollar quotes and comments are skipped over by hand,
//! and a statement holding only comments is dropped.

/// The statements of `sql`, each without its `;`, in order.
///
/// Understands `'...'` (with `''`), `E'...'` (with backslash escapes),
/// `"..."`, PostgreSQL's `$tag$ ... $tag$`, `-- ...` and nested `/* ... */`.
/// An unterminated quote or comment runs to the end of the text (the database
/// then reports it).
pub(super) fn statements(sql: &str) -> Vec<&str> {
    let bytes = sql.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut has_code = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = sql[i..].find('\n').map_or(bytes.len(), |n| i + n + 1);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = skip_block_comment(bytes, i);
                continue;
            }
            b'\'' => {
                let escapes = i > 0
                    && matches!(bytes[i - 1], b'E' | b'e')
                    && (i < 2 || !is_word(bytes[i - 2]));
                i = skip_quoted(bytes, i, b'\'', escapes);
                has_code = true;
                continue;
            }
            b'"' => {
                i = skip_quoted(bytes, i, b'"', false);
                has_code = true;
                continue;
            }
            b'$' if i == 0 || !is_word(bytes[i - 1]) => {
                if let Some(end) = skip_dollar_quote(sql, i) {
                    i = end;
                    has_code = true;
                    continue;
                }
            }
            b';' => {
                if has_code {
                    out.push(sql[start..i].trim());
                }
                start = i + 1;
                has_code = false;
                i += 1;
                continue;
            }
            _ => {}
        }
        if !b.is_ascii_whitespace() {
            has_code = true;
        }
        i += 1;
    }
    if has_code {
        let rest = sql[start..].trim();
        if !rest.is_empty() {
            out.push(rest);
        }
    }
    out
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// The index after a `/* ... */` starting at `i` (nested comments count).
fn skip_block_comment(bytes: &[u8], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < bytes.len() {
        if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
        } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// The index after a quoted run opened by `quote` at `i`.
fn skip_quoted(bytes: &[u8], mut i: usize, quote: u8, escapes: bool) -> usize {
    i += 1;
    while i < bytes.len() {
        let b = bytes[i];
        if escapes && b == b'\\' {
            i += 2;
            continue;
        }
        if b == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

/// The index after a dollar-quoted string starting at `i`, or `None` when the
/// `$` does not open one (a parameter such as `$1`).
fn skip_dollar_quote(sql: &str, i: usize) -> Option<usize> {
    let rest = &sql[i + 1..];
    let tag_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b >= 0x80)
        .count();
    if rest.as_bytes().get(tag_len) != Some(&b'$') {
        return None;
    }
    let tag = &rest[..tag_len];
    if tag.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let delimiter = format!("${tag}$");
    let body = i + delimiter.len();
    Some(
        sql[body..]
            .find(&delimiter)
            .map_or(sql.len(), |n| body + n + delimiter.len()),
    )
}

/// The tokenizer-based splitter against this one: on every `.sql` file of the
/// repository and on generated scripts, both give the same statements.
#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use proptest::prelude::*;

    use crate::Dialect;

    /// Every `.sql` file under `dir`, leaving out build output and dot
    /// directories.
    fn sql_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if path.is_dir() {
                if !name.starts_with('.') && name != "target" {
                    sql_files(&path, out);
                }
            } else if name.ends_with(".sql") {
                out.push(path);
            }
        }
    }

    #[test]
    fn every_sql_file_of_the_repository_splits_as_before() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        sql_files(&root, &mut files);
        assert!(files.len() > 100, "found only {} .sql files", files.len());
        let mut differ = Vec::new();
        for file in &files {
            let Ok(text) = std::fs::read_to_string(file) else {
                continue;
            };
            // SQLite has no dollar quotes: a file holding one (a function's
            // body) is PostgreSQL's alone, and SQLite would split it at each
            // `;` inside, as the tokenizer does.
            let dollar_quoted = sqlparser::tokenizer::Tokenizer::new(
                &sqlparser::dialect::PostgreSqlDialect {},
                &text,
            )
            .tokenize()
            .is_ok_and(|tokens| {
                tokens
                    .iter()
                    .any(|t| matches!(t, sqlparser::tokenizer::Token::DollarQuotedString(_)))
            });
            for dialect in [Dialect::Postgres, Dialect::Sqlite] {
                if dialect == Dialect::Sqlite && dollar_quoted {
                    continue;
                }
                let old = super::statements(&text);
                let new = crate::split::statements(&text, dialect);
                if old != new {
                    differ.push(format!(
                        "{} ({dialect:?}):\n{old:#?}\n{new:#?}",
                        file.display()
                    ));
                }
            }
        }
        assert!(differ.is_empty(), "{}", differ.join("\n\n"));
    }

    /// Pieces of PostgreSQL scripts where a `;` is not the end of a
    /// statement, or looks like one. A digit is never followed by a `$`: the
    /// old splitter read `1$$ a; $$` as `1$$ a` and `$$`, PostgreSQL (and
    /// the tokenizer) as `1` and a dollar quote.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("SELECT".to_string()),
            Just("x".to_string()),
            Just("1 ".to_string()),
            Just(" ".to_string()),
            Just("\n".to_string()),
            Just(";".to_string()),
            Just("'a;b'".to_string()),
            Just("'it''s;'".to_string()),
            Just("E'it\\'s;'".to_string()),
            Just("e'\\\\;'".to_string()),
            Just("E'\\\\'".to_string()),
            Just("\"we;ird\"".to_string()),
            Just("\"a\"\"b;\"".to_string()),
            Just("$$ a; $$".to_string()),
            Just("$body$ a; $$ b; $body$".to_string()),
            Just("$t_1$;$t_1$".to_string()),
            // `$1$$` is `$1` and `$$` to PostgreSQL and to the old
            // splitter, the tokenizer reads a tag `1`: never written.
            Just("$1 ".to_string()),
            Just("-- c;\n".to_string()),
            Just("-- c; 'd\n".to_string()),
            Just("/* a; */".to_string()),
            Just("/* /* n; */ m; */".to_string()),
            Just("/* 'a; */".to_string()),
            "[a-zE_ ;\n]{1,6}",
        ]
    }

    /// Pieces SQLite reads as PostgreSQL does (no `E''`, no dollar quotes,
    /// no nested comments). No `e` comes before a quote (the old splitter
    /// read `e'a\'` as PostgreSQL's escape string, SQLite and the tokenizer
    /// as `e` and `'a\'`), nor an `x` (the tokenizer reads `x'a\'` as a
    /// blob literal with an escaped quote, which SQLite refuses either way).
    fn sqlite_piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("SELECT".to_string()),
            Just("y".to_string()),
            Just("1".to_string()),
            Just(" ".to_string()),
            Just("\n".to_string()),
            Just(";".to_string()),
            Just("'a;b'".to_string()),
            Just("'it''s;'".to_string()),
            Just("'a\\'".to_string()),
            Just("\"we;ird\"".to_string()),
            Just("\"a\"\"b;\"".to_string()),
            Just("?1".to_string()),
            Just("-- c;\n".to_string()),
            Just("-- c; 'd\n".to_string()),
            Just("/* a; */".to_string()),
            Just("/* 'a; */".to_string()),
            "[a-df-wyz_ ;\n]{1,6}",
        ]
    }

    /// What may end a script: nothing, or something left open.
    fn end() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just(String::new()),
            Just("'open;".to_string()),
            Just("\"open;".to_string()),
            Just("/* open;".to_string()),
            Just("-- open;".to_string()),
        ]
    }

    proptest! {
        #[test]
        fn generated_postgres_scripts_split_as_before(
            pieces in prop::collection::vec(piece(), 0..40),
            open in prop_oneof![end(), Just("$q$ open;".to_string())],
        ) {
            let sql = pieces.concat() + &open;
            prop_assert_eq!(
                crate::split::statements(&sql, Dialect::Postgres),
                super::statements(&sql),
                "{:?}", sql
            );
        }

        #[test]
        fn generated_sqlite_scripts_split_as_before(
            pieces in prop::collection::vec(sqlite_piece(), 0..40),
            open in end(),
        ) {
            let sql = pieces.concat() + &open;
            prop_assert_eq!(
                crate::split::statements(&sql, Dialect::Sqlite),
                super::statements(&sql),
                "{:?}", sql
            );
        }
    }
}
