//! Splitting a SQL script into its statements, so that each runs (and fails)
//! on its own: quotes, dollar quotes and comments are skipped over, and a
//! statement holding only comments is dropped.

/// The statements of `sql`, each without its `;`, in order.
///
/// Understands `'...'` (with `''`), `E'...'` (with backslash escapes),
/// `"..."`, PostgreSQL's `$tag$ ... $tag$`, `-- ...` and nested `/* ... */`.
/// An unterminated quote or comment runs to the end of the text (the database
/// then reports it).
pub fn statements(sql: &str) -> Vec<&str> {
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

#[cfg(test)]
mod tests {
    use super::statements;

    #[test]
    fn splits_on_semicolons_outside_quotes_and_comments() {
        let sql = "CREATE TABLE a (x text DEFAULT 'a;b'); -- c;d\n\
                   /* e; /* nested; */ f; */ CREATE INDEX CONCURRENTLY i ON a (x);\n\
                   COMMENT ON TABLE a IS E'it\\'s;';\n\
                   CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\n\
                   SELECT \"we;ird\" FROM a WHERE x = $1;;\n-- only a comment;\n";
        assert_eq!(
            statements(sql),
            vec![
                "CREATE TABLE a (x text DEFAULT 'a;b')",
                "-- c;d\n/* e; /* nested; */ f; */ CREATE INDEX CONCURRENTLY i ON a (x)",
                "COMMENT ON TABLE a IS E'it\\'s;'",
                "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql",
                "SELECT \"we;ird\" FROM a WHERE x = $1",
            ]
        );
    }

    #[test]
    fn a_comment_only_script_has_no_statement() {
        assert!(statements("-- nothing\n/* at all */\n").is_empty());
        assert_eq!(statements("SELECT 1"), vec!["SELECT 1"]);
        assert_eq!(
            statements("SELECT 'unterminated;"),
            vec!["SELECT 'unterminated;"]
        );
    }
}
