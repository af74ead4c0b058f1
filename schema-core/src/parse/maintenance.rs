//! `VACUUM` and `ANALYZE` in PostgreSQL's own forms, read by hand (sqlparser
//! reads another dialect's): `VACUUM [FULL] [FREEZE] [VERBOSE] [ANALYZE]`,
//! `VACUUM (option [value], ...)`, `ANALYZE [VERBOSE]`, `ANALYZE (option, ...)`,
//! then tables, each with an optional column list. They change no schema; the
//! online lints judge their locks.

use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;

use super::alter_sequence::{ReadError, statement_tokens};
use super::{ParsedStatement, line_col, word_value};

/// A `VACUUM` or `ANALYZE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Maintenance {
    /// `VACUUM` (else `ANALYZE`).
    pub vacuum: bool,
    /// `FULL` (or `(FULL)`, `(FULL true)`): the table is rewritten.
    pub full: bool,
    /// The tables named, each as its name parts; none for the whole database.
    pub tables: Vec<Vec<String>>,
}

/// Reads the statement at `parser` (its first word `VACUUM`, `ANALYZE` or
/// `ANALYSE`).
pub(super) fn parse_maintenance(parser: &mut Parser<'_>) -> Result<ParsedStatement, ReadError> {
    let (tokens, end) = statement_tokens(parser);
    let syntax = |i: usize, message: &str| {
        let (line, column) = tokens.get(i).map_or(end, line_col);
        ReadError::Syntax(message.to_string(), line, column)
    };
    let word = |i: usize| {
        tokens.get(i).and_then(|t| match &t.token {
            Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_lowercase()),
            _ => None,
        })
    };
    let vacuum = word(0).as_deref() == Some("vacuum");
    let mut i = 1;
    let mut full = false;
    if tokens.get(i).map(|t| &t.token) == Some(&Token::LParen) {
        i += 1;
        loop {
            let Some(option) = word(i) else {
                return Err(syntax(
                    i,
                    "expected an option name in the parenthesized option list",
                ));
            };
            i += 1;
            // An option's value: a word or a number, up to `,` or `)`.
            let mut value = None;
            while let Some(t) = tokens.get(i) {
                match &t.token {
                    Token::Comma | Token::RParen => break,
                    Token::Word(w) => value = Some(w.value.to_ascii_lowercase()),
                    Token::Number(n, _) => value = Some(n.clone()),
                    Token::SingleQuotedString(s) => value = Some(s.to_ascii_lowercase()),
                    _ => return Err(syntax(i, "expected `,` or `)` after the option")),
                }
                i += 1;
            }
            if option == "full" {
                full = !matches!(value.as_deref(), Some("false" | "off" | "0" | "no"));
            }
            match tokens.get(i).map(|t| &t.token) {
                Some(Token::Comma) => i += 1,
                Some(Token::RParen) => {
                    i += 1;
                    break;
                }
                _ => return Err(syntax(i, "expected `)` to close the option list")),
            }
        }
    } else {
        // The unparenthesized options, in PostgreSQL's order.
        let words: &[&str] = if vacuum {
            &["full", "freeze", "verbose", "analyze", "analyse"]
        } else {
            &["verbose"]
        };
        for expected in words {
            if word(i).as_deref() == Some(*expected) {
                full |= *expected == "full";
                i += 1;
            }
        }
    }
    let mut tables = Vec::new();
    while i < tokens.len() {
        let mut parts = Vec::new();
        while let Some(v) = tokens.get(i).and_then(|t| word_value(&t.token)) {
            parts.push(v);
            i += 1;
            if tokens.get(i).map(|t| &t.token) == Some(&Token::Period) {
                i += 1;
            } else {
                break;
            }
        }
        if parts.is_empty() {
            return Err(syntax(i, "expected a table name"));
        }
        tables.push(parts);
        if tokens.get(i).map(|t| &t.token) == Some(&Token::LParen) {
            // A column list: names and commas up to `)`.
            i += 1;
            loop {
                match tokens.get(i).map(|t| &t.token) {
                    Some(Token::Word(_) | Token::Comma) => i += 1,
                    Some(Token::RParen) => {
                        i += 1;
                        break;
                    }
                    _ => return Err(syntax(i, "expected column names and `)`")),
                }
            }
        }
        match tokens.get(i).map(|t| &t.token) {
            Some(Token::Comma) => i += 1,
            None => break,
            _ => {
                return Err(syntax(
                    i,
                    "expected `,` or the end of the statement after a table",
                ));
            }
        }
    }
    Ok(ParsedStatement::Maintenance(Maintenance {
        vacuum,
        full,
        tables,
    }))
}
