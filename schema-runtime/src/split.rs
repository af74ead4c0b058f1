//! Splitting a SQL script into its statements, so that each runs (and fails)
//! on its own: the script is read by sqlparser's tokenizer, the one the engine
//! parses `schema.sql` with, in the database's dialect, and cut at its
//! top-level `;` tokens. A statement holding only comments is dropped.

use sqlparser::dialect::{PostgreSqlDialect, SQLiteDialect};
use sqlparser::tokenizer::{Location, Token, Tokenizer};

use crate::Dialect;

#[cfg(test)]
mod oracle;

/// The statements of `sql`, each without its `;`, in order, as the user wrote
/// them (trimmed; comments in front of a statement stay with it).
///
/// `dialect` chooses the tokenizer, so quotes and comments are those of the
/// database that runs the script: PostgreSQL's `E'...'` strings (with
/// backslash escapes), `$tag$ ... $tag$` and nested `/* ... */`, SQLite's
/// `` `...` `` and `[...]` identifiers. An unterminated quote or comment runs
/// to the end of the script, so that the database reports it (a comment after
/// the last statement is dropped like any other); any other character the
/// tokenizer refuses (`1_`) is kept in its statement, and reading goes on
/// after it.
pub fn statements(sql: &str, dialect: Dialect) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut has_code = false;
    let mut from = 0;
    loop {
        let text = &sql[from..];
        let mut tokens = Vec::new();
        // Tokens are only cut at, never printed: unescaping would only add errors.
        let read = if dialect == Dialect::Sqlite {
            Tokenizer::new(&SQLiteDialect {}, text)
                .with_unescape(false)
                .tokenize_with_location_into_buf(&mut tokens)
        } else {
            Tokenizer::new(&PostgreSqlDialect {}, text)
                .with_unescape(false)
                .tokenize_with_location_into_buf(&mut tokens)
        };
        let mut offsets = Offsets::new(text);
        for token in &tokens {
            match &token.token {
                Token::SemiColon => {
                    let at = from + offsets.of(token.span.start);
                    if has_code {
                        out.push(sql[start..at].trim());
                    }
                    start = from + offsets.of(token.span.end);
                    has_code = false;
                }
                Token::Whitespace(_) => {}
                _ => has_code = true,
            }
        }
        let Err(error) = read else {
            break;
        };
        // The tokens stop before what could not be read.
        let read_to = from + tokens.last().map_or(0, |t| offsets.of(t.span.end));
        let rest = sql[read_to..].trim_start();
        if error.message.contains("nterminated") || error.message.contains("EOF") {
            // A quote makes the rest a statement, a comment adds nothing.
            has_code |= !rest.starts_with("/*");
            break;
        }
        // A character the tokenizer refuses is code; read on after it.
        let Some(c) = rest.chars().next() else {
            break;
        };
        has_code = true;
        from = sql.len() - rest.len() + c.len_utf8();
    }
    if has_code {
        let rest = sql[start..].trim();
        if !rest.is_empty() {
            out.push(rest);
        }
    }
    out
}

/// Byte offsets of the tokenizer's locations (1-based lines and columns in
/// characters), found by walking the text once: the locations asked for never
/// go back.
struct Offsets<'t> {
    text: &'t str,
    /// The byte offset of `at`.
    offset: usize,
    at: Location,
}

impl<'t> Offsets<'t> {
    fn new(text: &'t str) -> Self {
        Offsets {
            text,
            offset: 0,
            at: Location { line: 1, column: 1 },
        }
    }

    /// The byte offset of `to` (the text's end past it).
    fn of(&mut self, to: Location) -> usize {
        let mut chars = self.text[self.offset..].chars();
        while (self.at.line, self.at.column) < (to.line, to.column) {
            let Some(c) = chars.next() else {
                break;
            };
            self.offset += c.len_utf8();
            if c == '\n' {
                self.at.line += 1;
                self.at.column = 1;
            } else {
                self.at.column += 1;
            }
        }
        self.offset
    }
}

#[cfg(test)]
mod tests {
    use super::{oracle, statements};
    use crate::Dialect;

    #[test]
    fn splits_on_semicolons_outside_quotes_and_comments() {
        let sql = "CREATE TABLE a (x text DEFAULT 'a;b'); -- c;d\n\
                   /* e; /* nested; */ f; */ CREATE INDEX CONCURRENTLY i ON a (x);\n\
                   COMMENT ON TABLE a IS E'it\\'s;';\n\
                   CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\n\
                   SELECT \"we;ird\" FROM a WHERE x = $1;;\n-- only a comment;\n";
        assert_eq!(
            statements(sql, Dialect::Postgres),
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
        for dialect in [Dialect::Postgres, Dialect::Sqlite] {
            assert!(statements("-- nothing\n/* at all */\n", dialect).is_empty());
            assert_eq!(statements("SELECT 1", dialect), vec!["SELECT 1"]);
            assert_eq!(
                statements("SELECT 'unterminated;", dialect),
                vec!["SELECT 'unterminated;"]
            );
            assert_eq!(
                statements("SELECT 1; SELECT 2 /* unterminated;", dialect),
                vec!["SELECT 1", "SELECT 2 /* unterminated;"]
            );
            assert_eq!(
                statements("SELECT 1; /* unterminated; */", dialect),
                vec!["SELECT 1"]
            );
        }
    }

    #[test]
    fn reading_goes_on_after_a_refused_character() {
        for dialect in [Dialect::Postgres, Dialect::Sqlite] {
            assert_eq!(
                statements("SELECT 1_; SELECT 'a;b'", dialect),
                vec!["SELECT 1_", "SELECT 'a;b'"]
            );
        }
    }

    #[test]
    fn sqlite_reads_its_own_quotes() {
        assert_eq!(
            statements(
                "CREATE TABLE \"a;\" ([b;] TEXT, `c;` TEXT); SELECT 'd;'",
                Dialect::Sqlite
            ),
            vec!["CREATE TABLE \"a;\" ([b;] TEXT, `c;` TEXT)", "SELECT 'd;'"]
        );
    }

    /// As the old splitter did, the `;` inside a trigger's body ends a
    /// statement: no script of this crate holds a trigger.
    #[test]
    fn a_trigger_body_is_cut_as_before() {
        let sql = "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = 1; END;";
        for dialect in [Dialect::Postgres, Dialect::Sqlite] {
            assert_eq!(statements(sql, dialect), oracle::statements(sql));
        }
    }

    #[test]
    fn statements_keep_the_users_bytes() {
        let sql = "\u{feff}SELECT 'é;ü' -- ça;\r\n  , \"ß\";\r\n\tSELECT 2\r\n";
        assert_eq!(
            statements(sql, Dialect::Postgres),
            vec!["\u{feff}SELECT 'é;ü' -- ça;\r\n  , \"ß\"", "SELECT 2"]
        );
    }
}
