//! A fast path for sqlparser's PostgreSQL tokenizer: the tokens most DDL is made of,
//! read straight from the bytes. A piece holding any other token is read by sqlparser's
//! own tokenizer instead, so what the parser gets never differs.
//!
//! sqlparser's tokenizer reads a `char` at a time through a peekable iterator, builds every
//! word in a growing `String` and looks each word up among its 1,138 keywords by a binary
//! search of case-folding comparisons: about 320 instructions a byte of DDL (callgrind, the
//! memory benchmark's 10,000-table schema.sql), 28% of a `schema diff`. Here a word is one
//! slice, one allocation and one hash lookup.
//!
//! What is read here: spaces, tabs, `\n`, `\r\n` and `\r`; unquoted words of ASCII letters,
//! digits, `_` and `$`; `"quoted"` identifiers; `'strings'` (with `''`); integers and
//! decimals (`12`, `12.50`); `--` and `/* */` comments (nested); `( ) , ; . [ ] + * / = ==
//! => : :: :=`, and `- < > <= >= <>` where no other operator character follows. Everything
//! else (`E'..'`, `B'..'`, `X'..'`, `N'..'`, `U&'..'`, `$1`, `$$..$$`, exponents, `0x1F`,
//! `1_000`, `.5`, other operators, non-ASCII outside strings and comments,
//! `COPY ... FROM STDIN` and unterminated quotes or comments) sends the piece back. The
//! tests hold this reader to sqlparser's output, token for token and span for span.

use std::collections::HashMap;
use std::sync::OnceLock;

use sqlparser::keywords::{ALL_KEYWORDS, ALL_KEYWORDS_INDEX, Keyword};
use sqlparser::tokenizer::{Location, Span, Token, TokenWithSpan, Whitespace, Word};

/// Room for a word folded to upper case on the stack; a longer word is looked up by
/// sqlparser (no keyword is this long).
const FOLD_ROOM: usize = 48;

type KeywordMap = HashMap<&'static [u8], Keyword, foldhash::fast::FixedState>;

/// sqlparser's keywords by their upper-case spelling.
fn keyword_map() -> &'static KeywordMap {
    static MAP: OnceLock<KeywordMap> = OnceLock::new();
    MAP.get_or_init(|| {
        ALL_KEYWORDS
            .iter()
            .zip(ALL_KEYWORDS_INDEX)
            .map(|(word, keyword)| (word.as_bytes(), *keyword))
            .collect()
    })
}

/// The keyword an unquoted ASCII `word` is, as sqlparser's `keyword_lookup` finds it
/// (ASCII case-insensitive, `Keyword::NoKeyword` when none).
fn keyword(word: &str) -> Keyword {
    if word.len() > FOLD_ROOM {
        let Token::Word(w) = Token::make_word(word, None) else {
            return Keyword::NoKeyword;
        };
        return w.keyword;
    }
    let mut room = [0u8; FOLD_ROOM];
    let folded = &mut room[..word.len()];
    for (to, from) in folded.iter_mut().zip(word.as_bytes()) {
        *to = from.to_ascii_uppercase();
    }
    keyword_map()
        .get(&*folded)
        .copied()
        .unwrap_or(Keyword::NoKeyword)
}

/// Moves `line` and `column` over `bytes` as sqlparser counts them: a `\n` starts a line,
/// every other character (not byte) is a column.
fn advance(bytes: &[u8], line: &mut u64, column: &mut u64) {
    for &b in bytes {
        if b == b'\n' {
            *line += 1;
            *column = 1;
        } else if b & 0xC0 != 0x80 {
            *column += 1;
        }
    }
}

/// The end of a quoted text opened at byte `open` of `text` by `quote`, where a doubled quote
/// stands for one: the index of the closing quote and the text between, undoubled.
/// `None` when it is never closed.
fn quoted(text: &str, open: usize, quote: u8) -> Option<(usize, String)> {
    let bytes = text.as_bytes();
    let mut value = String::new();
    let mut from = open + 1;
    let mut at = from;
    loop {
        let close = at + find_byte(quote, &bytes[at..])?;
        if bytes.get(close + 1) == Some(&quote) {
            // A doubled quote: one quote of the value.
            value.push_str(&text[from..=close]);
            at = close + 2;
            from = at;
        } else {
            value.push_str(&text[from..close]);
            return Some((close, value));
        }
    }
}

/// The index of the first `needle` in `haystack`.
fn find_byte(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

/// A character of a PostgreSQL operator name (`CREATE OPERATOR`), as sqlparser's dialect
/// lists them: after `-`, `<` or `>`, one makes a longer operator.
fn is_operator_part(b: u8) -> bool {
    matches!(
        b,
        b'+' | b'-'
            | b'*'
            | b'/'
            | b'<'
            | b'>'
            | b'='
            | b'~'
            | b'!'
            | b'@'
            | b'#'
            | b'%'
            | b'^'
            | b'&'
            | b'|'
            | b'`'
            | b'?'
    )
}

/// Tokenizes `text` into `out` as `Tokenizer::new(&PostgreSqlDialect {}, text)
/// .tokenize_with_location_into_buf(out)` would, when every token is one of those this
/// module reads. Returns false, with `out` holding a part of the tokens, when one is not;
/// the caller then clears `out` and runs sqlparser's tokenizer.
pub(crate) fn tokenize_common(text: &str, out: &mut Vec<TokenWithSpan>) -> bool {
    let bytes = text.as_bytes();
    let len = bytes.len();
    let mut i = 0;
    let mut line = 1u64;
    let mut column = 1u64;
    while i < len {
        let start = Location { line, column };
        let next = bytes.get(i + 1).copied();
        let token = match bytes[i] {
            b' ' => {
                i += 1;
                column += 1;
                Token::Whitespace(Whitespace::Space)
            }
            b'\t' => {
                i += 1;
                column += 1;
                Token::Whitespace(Whitespace::Tab)
            }
            b'\n' => {
                i += 1;
                line += 1;
                column = 1;
                Token::Whitespace(Whitespace::Newline)
            }
            b'\r' => {
                // One newline for `\r\n`; a line is counted at its `\n` only.
                i += 1;
                if next == Some(b'\n') {
                    i += 1;
                    line += 1;
                    column = 1;
                } else {
                    column += 1;
                }
                Token::Whitespace(Whitespace::Newline)
            }
            first @ (b'a'..=b'z' | b'A'..=b'Z' | b'_') => {
                // A letter before a quote may open a literal (`E'..'`, `B'..'`, `X'..'`,
                // `N'..'`, `U&'..'`): sqlparser's to read.
                if matches!(
                    (first.to_ascii_lowercase(), next),
                    (b'b' | b'e' | b'n' | b'x', Some(b'\'' | b'"')) | (b'u', Some(b'&'))
                ) {
                    return false;
                }
                let from = i;
                i += 1;
                while i < len
                    && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'$'))
                {
                    i += 1;
                }
                if i < len && !bytes[i].is_ascii() {
                    // A word that goes on in another script.
                    return false;
                }
                column += (i - from) as u64;
                let value = &text[from..i];
                let keyword = keyword(value);
                if keyword == Keyword::STDIN {
                    // The lines after `COPY ... FROM STDIN;` are data.
                    return false;
                }
                Token::Word(Word {
                    value: value.to_owned(),
                    quote_style: None,
                    keyword,
                })
            }
            b'0'..=b'9' => {
                let from = i;
                while i < len && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                if i + 1 < len && bytes[i] == b'.' && bytes[i + 1].is_ascii_digit() {
                    i += 1;
                    while i < len && bytes[i].is_ascii_digit() {
                        i += 1;
                    }
                }
                // `1e5`, `0x1F`, `1_000`, `12L`, `1.`, `1.2.3`, `1$`: sqlparser's to read.
                if i < len
                    && (bytes[i].is_ascii_alphanumeric()
                        || matches!(bytes[i], b'_' | b'.' | b'$')
                        || !bytes[i].is_ascii())
                {
                    return false;
                }
                column += (i - from) as u64;
                Token::Number(text[from..i].to_owned(), false)
            }
            b'.' => {
                if next.is_some_and(|b| b.is_ascii_digit() || b == b'_') {
                    return false;
                }
                i += 1;
                column += 1;
                Token::Period
            }
            b'(' | b')' | b',' | b';' | b'[' | b']' | b'+' | b'*' => {
                let token = match bytes[i] {
                    b'(' => Token::LParen,
                    b')' => Token::RParen,
                    b',' => Token::Comma,
                    b';' => Token::SemiColon,
                    b'[' => Token::LBracket,
                    b']' => Token::RBracket,
                    b'+' => Token::Plus,
                    _ => Token::Mul,
                };
                i += 1;
                column += 1;
                token
            }
            b'=' => {
                let (token, width) = match next {
                    Some(b'>') => (Token::RArrow, 2),
                    Some(b'=') => (Token::DoubleEq, 2),
                    _ => (Token::Eq, 1),
                };
                i += width;
                column += width as u64;
                token
            }
            b':' => {
                let (token, width) = match next {
                    Some(b':') => (Token::DoubleColon, 2),
                    Some(b'=') => (Token::Assignment, 2),
                    _ => (Token::Colon, 1),
                };
                i += width;
                column += width as u64;
                token
            }
            quote @ (b'\'' | b'"') => {
                let Some((close, value)) = quoted(text, i, quote) else {
                    return false;
                };
                advance(&bytes[i..=close], &mut line, &mut column);
                i = close + 1;
                if quote == b'\'' {
                    Token::SingleQuotedString(value)
                } else {
                    Token::Word(Word {
                        value,
                        quote_style: Some('"'),
                        keyword: Keyword::NoKeyword,
                    })
                }
            }
            b'-' if next == Some(b'-') => {
                // To the end of the line, without it; sqlparser stops at `\r` too.
                let from = i + 2;
                let end = from
                    + bytes[from..]
                        .iter()
                        .position(|&b| b == b'\n' || b == b'\r')
                        .unwrap_or(len - from);
                advance(&bytes[i..end], &mut line, &mut column);
                i = end;
                Token::Whitespace(Whitespace::SingleLineComment {
                    prefix: "--".to_owned(),
                    comment: text[from..end].to_owned(),
                })
            }
            b'/' if next == Some(b'*') => {
                // Nested, as PostgreSQL's are: the text between the outer `/*` and `*/`.
                let from = i + 2;
                let mut at = from;
                let mut depth = 1u32;
                loop {
                    match (bytes.get(at), bytes.get(at + 1)) {
                        (None, _) => return false,
                        (Some(b'/'), Some(b'*')) => {
                            depth += 1;
                            at += 2;
                        }
                        (Some(b'*'), Some(b'/')) => {
                            depth -= 1;
                            at += 2;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => at += 1,
                    }
                }
                advance(&bytes[i..at], &mut line, &mut column);
                i = at;
                Token::Whitespace(Whitespace::MultiLineComment(text[from..at - 2].to_owned()))
            }
            b'/' => {
                i += 1;
                column += 1;
                Token::Div
            }
            b'-' | b'<' | b'>' => {
                // An operator alone: with another operator character after it, it
                // would be a longer one (`->`, `<<`, `>>=`, a custom operator).
                let alone = |at: usize| bytes.get(at).is_none_or(|&b| !is_operator_part(b));
                let (token, width) = match (bytes[i], next) {
                    (b'-', _) if alone(i + 1) => (Token::Minus, 1),
                    (b'<', Some(b'=')) if alone(i + 2) => (Token::LtEq, 2),
                    (b'<', Some(b'>')) if alone(i + 2) => (Token::Neq, 2),
                    (b'<', _) if alone(i + 1) => (Token::Lt, 1),
                    (b'>', Some(b'=')) if alone(i + 2) => (Token::GtEq, 2),
                    (b'>', _) if alone(i + 1) => (Token::Gt, 1),
                    _ => return false,
                };
                i += width;
                column += width as u64;
                token
            }
            _ => return false,
        };
        out.push(TokenWithSpan::new(
            token,
            Span::new(start, Location { line, column }),
        ));
    }
    true
}

#[cfg(test)]
mod tests {
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::keywords::{ALL_KEYWORDS, Keyword};
    use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

    /// sqlparser's tokens of `text`, or its error.
    fn theirs(text: &str) -> Result<Vec<TokenWithSpan>, String> {
        let mut out = Vec::new();
        Tokenizer::new(&PostgreSqlDialect {}, text)
            .tokenize_with_location_into_buf(&mut out)
            .map_err(|e| e.to_string())?;
        Ok(out)
    }

    /// Ours, when the fast path reads `text`; asserts that they are sqlparser's, token
    /// for token and span for span. True when the fast path read it.
    fn same(text: &str) -> bool {
        let mut ours = Vec::new();
        if !super::tokenize_common(text, &mut ours) {
            return false;
        }
        let theirs =
            theirs(text).unwrap_or_else(|e| panic!("{text:?}: we read it, sqlparser: {e}"));
        assert_eq!(
            ours.len(),
            theirs.len(),
            "{text:?}\nours   {ours:?}\ntheirs {theirs:?}"
        );
        for (o, t) in ours.iter().zip(&theirs) {
            assert_eq!(o.token, t.token, "{text:?}");
            assert_eq!(o.span, t.span, "{text:?}: {:?}", o.token);
            // `Word`'s equality and `Debug` cover the keyword and quote style too.
            assert_eq!(format!("{o:?}"), format!("{t:?}"), "{text:?}");
        }
        true
    }

    #[test]
    fn every_keyword_is_found_in_every_case() {
        for word in ALL_KEYWORDS {
            let lower = word.to_ascii_lowercase();
            let mixed: String = word
                .chars()
                .enumerate()
                .map(|(i, c)| {
                    if i % 2 == 0 {
                        c.to_ascii_lowercase()
                    } else {
                        c
                    }
                })
                .collect();
            for spelling in [word.to_string(), lower, mixed] {
                let Token::Word(w) = Token::make_word(&spelling, None) else {
                    unreachable!()
                };
                assert_eq!(super::keyword(&spelling), w.keyword, "{spelling}");
                assert_ne!(w.keyword, Keyword::NoKeyword, "{spelling}");
            }
        }
        for word in [
            "",
            "tbl",
            "selectx",
            "x_select",
            "sel$ect",
            "a1",
            &"create".repeat(20),
        ] {
            let Token::Word(w) = Token::make_word(word, None) else {
                unreachable!()
            };
            assert_eq!(super::keyword(word), w.keyword, "{word}");
        }
    }

    /// What DDL is mostly made of is read here, and read as sqlparser reads it.
    #[test]
    fn common_ddl_is_read_as_sqlparser_reads_it() {
        for text in [
            "CREATE TABLE t (\n    id bigint PRIMARY KEY,\n    c1 varchar(120) NOT NULL,\n    n numeric(12,2) DEFAULT 12.50,\n    note text DEFAULT 'n/a'\n);\n",
            "create index t_c1 on public.t (c1) where note is not null;",
            "ALTER TABLE \"Weird \"\"name\"\"\" ADD COLUMN x int[] DEFAULT '{}'::int[];",
            "-- a comment é\nselect 1; /* outer /* inner */ still */ select 'it''s', '';",
            "insert into t values (1, 'a\nb', \"x\"\"y\");\n\tupdate t set a = a + 1, b = b * 2;",
            "f(a => 1); g(x := 2); a == b; a:b; a[1]; t.*; s.t.c",
            "",
            ";",
            "x",
            "1",
            "'é ü'",
            "\"ïd\" text",
            "--",
            "-- to the end",
            "/**/",
            "a.\"b\"",
            "a$b$ c_1 _x",
            "e1 b2 n3 x4 u5 E U N",
            "a.",
            ".",
            "a\r\nb\r\n",
            "a\rb",
            "-- c\r\nx",
            "'a\r\nb' \"c\rd\" /* \r\n */",
            "check (a > 0 and b < 1 and c >= 2 and d <= 3 and e <> f and g / 2 = 1)",
            "default -1",
            "a - b a-b a<b a>b a / b",
            "-",
            "<",
            "a /",
        ] {
            assert!(same(text), "not read here: {text:?}");
        }
    }

    /// What is left to sqlparser is left whole: every one of these sends the text back.
    #[test]
    fn the_rest_goes_to_sqlparser() {
        for text in [
            "E'\\n'",
            "e'x'",
            "B'01'",
            "b\"x\"",
            "X'FF'",
            "x'ff'",
            "N'x'",
            "U&'\\0041'",
            "$1",
            "$$body$$",
            "1e5",
            "1E-5",
            "0x1F",
            "1_000",
            "12L",
            "1.",
            ".5",
            "1.2.3",
            "a._b",
            "café",
            "é",
            "a || b",
            "a -> b",
            "a ->> b",
            "a << b",
            "a >> b",
            "a <=> b",
            "a <-> b",
            "a <@ b",
            "a >=-1",
            "a <=+1",
            "--x\n-+",
            "'open",
            "\"open",
            "/* open",
            "copy t from stdin;\n1\n\\.\n",
            "copy t from stdin;\n1\t2\n",
            "copy t (a) from stdin;\nx\n",
            "COPY t FROM STDIN WITH (FORMAT csv);\na,b\n",
            "a ~ b",
            "a !~ b",
            "@x",
            "#x",
            "?",
            "a\u{0b}b",
            "a\u{0c}b",
            "1$",
        ] {
            let mut out = Vec::new();
            assert!(
                !super::tokenize_common(text, &mut out),
                "read here: {text:?}"
            );
        }
    }

    /// Every SQL file of this repository, and each of its lines alone, reads the same
    /// here as in sqlparser when read here; most DDL lines are read here.
    #[test]
    fn every_sql_file_of_the_repository_reads_as_sqlparser_reads_it() {
        let (mut lines, mut read) = (0usize, 0usize);
        for path in crate::parse::repository_sql_files() {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            same(&text);
            for line in text.lines() {
                lines += 1;
                read += usize::from(same(line));
            }
        }
        assert!(read * 10 >= lines * 8, "{read} of {lines} lines read here");
    }

    /// Random texts of fragments near the edges of what is read here: whenever the fast
    /// path reads one, sqlparser reads the same.
    #[test]
    fn random_texts_read_as_sqlparser_reads_them() {
        const FRAGMENTS: &[&str] = &[
            " ", "\n", "\t", "\r", "\r\n", "<", ">", "<>", ">=", "|", "~", "!", "@", "a", "E", "e",
            "b", "N", "x", "U", "u", "_", "$", "1", "0", "12", ".", "'", "''", "\"", "\"\"", "--",
            "/*", "*/", "/", "*", "-", "+", "=", ">", ":", "&", "(", ")", ",", ";", "[", "]", "é",
            "stdin", "copy", "from", "select", "create", "table", "L", "_1", "1_", "e5", "x'",
            "$$", "\\",
        ];
        let mut random = crate::parse::random_below(0x2545_f491_4f6c_dd1d);
        let mut read = 0;
        for _ in 0..20_000 {
            let len = 1 + random(12);
            let text: String = (0..len)
                .map(|_| FRAGMENTS[random(FRAGMENTS.len())])
                .collect();
            read += usize::from(same(&text));
        }
        assert!(read > 2_000, "only {read} of 20,000 read here");
    }
}
