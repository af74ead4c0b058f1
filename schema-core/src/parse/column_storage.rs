//! A column's storage and compression, which sqlparser does not read: `COMPRESSION
//! method` after a column's type (`CREATE TABLE`, `ADD COLUMN`) is taken out of
//! the tokens before parsing, and `ALTER TABLE [ONLY] t ALTER [COLUMN] c SET
//! STORAGE s | SET COMPRESSION m` (pg_dump's forms) is read by hand.

use sqlparser::keywords::Keyword;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Location, Token, TokenWithSpan, Whitespace};

use super::alter_sequence::{ReadError, statement_tokens};
use super::{ParsedStatement, line_col, word_value};
use crate::model::{Compression, Storage};

/// `COMPRESSION method` written in a column definition, taken out of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenCompression {
    /// Line and column of the column's name.
    pub column_at: (u32, u32),
    /// The method's name as written (folded unless quoted).
    pub method: String,
    /// Line and column of `COMPRESSION`.
    pub at: (u32, u32),
}

/// `ALTER TABLE [IF EXISTS] [ONLY] t ALTER [COLUMN] c SET STORAGE s | SET
/// COMPRESSION m [, ...]`.
#[derive(Debug, Clone)]
pub struct AlterColumnStorage {
    /// The table name parts.
    pub table: Vec<String>,
    /// `IF EXISTS`.
    pub if_exists: bool,
    /// `ONLY`: `SET STORAGE` stays off the partitions.
    pub only: bool,
    /// The actions in order.
    pub actions: Vec<StorageAction>,
}

/// One `ALTER [COLUMN] c SET ...`.
#[derive(Debug, Clone)]
pub struct StorageAction {
    /// The column.
    pub column: String,
    /// Line and column of the column's name.
    pub column_at: (u32, u32),
    /// What it sets.
    pub setting: StorageSetting,
}

/// What a [`StorageAction`] sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageSetting {
    /// `SET STORAGE s`.
    Storage(Storage),
    /// `SET COMPRESSION m` (`None` for `default`).
    Compression(Option<Compression>),
}

/// The words that start a column option: a `COMPRESSION` after one is not
/// right after the type, where PostgreSQL reads it.
const COLUMN_OPTION_WORDS: &[Keyword] = &[
    Keyword::DEFAULT,
    Keyword::NOT,
    Keyword::NULL,
    Keyword::CONSTRAINT,
    Keyword::CHECK,
    Keyword::REFERENCES,
    Keyword::PRIMARY,
    Keyword::UNIQUE,
    Keyword::GENERATED,
    Keyword::COLLATE,
    // A second `COMPRESSION` (PostgreSQL refuses it): left to sqlparser.
    Keyword::COMPRESSION,
];

/// The words that start a table element that is not a column.
const TABLE_ELEMENT_WORDS: &[Keyword] = &[
    Keyword::CONSTRAINT,
    Keyword::PRIMARY,
    Keyword::UNIQUE,
    Keyword::CHECK,
    Keyword::FOREIGN,
    Keyword::EXCLUDE,
    Keyword::LIKE,
];

fn keyword_of(t: &TokenWithSpan) -> Option<Keyword> {
    match &t.token {
        Token::Word(w) if w.quote_style.is_none() => Some(w.keyword),
        _ => None,
    }
}

/// How many tokens a column element may hold before its `COMPRESSION`
/// (name, type with modifiers, `COLLATE`): a bound that keeps the scan linear.
const MAX_ELEMENT_TOKENS: usize = 64;

/// Takes `COMPRESSION method` out of the column definitions of `CREATE
/// TABLE` and `ALTER TABLE ... ADD [COLUMN]`, where it follows the column's
/// type, keeping every location. A `COMPRESSION` anywhere else is left for
/// the parser to stop at.
///
/// A column element longer than [`MAX_ELEMENT_TOKENS`] before its
/// `COMPRESSION` is left to sqlparser, which refuses it by name.
pub(super) fn blank_column_compressions(tokens: &mut [TokenWithSpan]) -> Vec<WrittenCompression> {
    let sig = super::significant_tokens(tokens);
    let kw = |k: usize| sig.get(k).and_then(|&i| keyword_of(&tokens[i]));
    let mut found = Vec::new();
    let mut blank = Vec::new();
    let mut start = 0;
    let mut depth = 0usize;
    for k in 0..sig.len() {
        match tokens[sig[k]].token {
            Token::SemiColon => {
                start = k + 1;
                depth = 0;
                continue;
            }
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            _ => {}
        }
        if kw(k) != Some(Keyword::COMPRESSION) {
            continue;
        }
        let Some(method) = sig.get(k + 1).and_then(|&i| word_value(&tokens[i].token)) else {
            continue;
        };
        let create = kw(start) == Some(Keyword::CREATE)
            && (start + 1..(start + 4).min(k)).any(|j| kw(j) == Some(Keyword::TABLE));
        let alter = kw(start) == Some(Keyword::ALTER) && kw(start + 1) == Some(Keyword::TABLE);
        if !((create && depth == 1) || (alter && depth == 0)) {
            continue;
        }
        // Back to the element's start: after `(` or `,` at this depth. A
        // column's name and type are a few tokens: the walk is bounded, so
        // that a file of many `COMPRESSION` words stays linear.
        let mut level = 0usize;
        let mut e = k;
        let reach = k.saturating_sub(MAX_ELEMENT_TOKENS).max(start);
        while e > reach {
            match tokens[sig[e - 1]].token {
                Token::RParen => level += 1,
                Token::LParen if level == 0 => break,
                Token::LParen => level -= 1,
                Token::Comma if level == 0 => break,
                _ => {}
            }
            e -= 1;
        }
        if e == reach && reach > start {
            continue;
        }
        let mut c = e;
        if alter {
            // `ADD [COLUMN] [IF NOT EXISTS] name`.
            let Some(add) = (e..k).find(|&j| kw(j) == Some(Keyword::ADD)) else {
                continue;
            };
            c = add + 1;
            if kw(c) == Some(Keyword::COLUMN) {
                c += 1;
            }
            if kw(c) == Some(Keyword::IF) && kw(c + 1) == Some(Keyword::NOT) {
                c += 3;
            }
        } else if e == start {
            continue;
        }
        let is_column = sig
            .get(c)
            .is_some_and(|&i| word_value(&tokens[i].token).is_some())
            && !kw(c).is_some_and(|w| TABLE_ELEMENT_WORDS.contains(&w));
        // The type runs from after the name to `COMPRESSION`, with no option
        // in between.
        let mut level = 0usize;
        let typed = c + 1 < k
            && (c + 1..k).all(|j| {
                match tokens[sig[j]].token {
                    Token::LParen => level += 1,
                    Token::RParen => level = level.saturating_sub(1),
                    _ => {}
                }
                level > 0 || !kw(j).is_some_and(|w| COLUMN_OPTION_WORDS.contains(&w))
            });
        if !is_column || !typed {
            continue;
        }
        found.push(WrittenCompression {
            column_at: line_col(&tokens[sig[c]]),
            method,
            at: line_col(&tokens[sig[k]]),
        });
        blank.extend([sig[k], sig[k + 1]]);
    }
    for i in blank {
        tokens[i].token = Token::Whitespace(Whitespace::Space);
    }
    found
}

/// Where the `ALTER TABLE` statements start that hold `SET STORAGE` or `SET
/// COMPRESSION` outside parentheses: [`parse_alter_column_storage`] reads them.
pub(super) fn alter_storage_statements(tokens: &[TokenWithSpan]) -> Vec<Location> {
    let sig = super::significant_tokens(tokens);
    let kw = |k: usize| sig.get(k).and_then(|&i| keyword_of(&tokens[i]));
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth = 0usize;
    for k in 0..sig.len() {
        match tokens[sig[k]].token {
            Token::SemiColon => {
                start = k + 1;
                depth = 0;
            }
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            _ if depth == 0
                && kw(k) == Some(Keyword::SET)
                && matches!(kw(k + 1), Some(Keyword::STORAGE | Keyword::COMPRESSION))
                && kw(start) == Some(Keyword::ALTER)
                && kw(start + 1) == Some(Keyword::TABLE) =>
            {
                let at = tokens[sig[start]].span.start;
                if out.last() != Some(&at) {
                    out.push(at);
                }
            }
            _ => {}
        }
    }
    out
}

/// Reads `ALTER TABLE [IF EXISTS] [ONLY] t ALTER [COLUMN] c SET STORAGE s | SET
/// COMPRESSION m [, ...]`; any other action in it is refused by name.
pub(super) fn parse_alter_column_storage(
    parser: &mut Parser<'_>,
) -> Result<ParsedStatement, ReadError> {
    parser.next_token(); // ALTER
    parser.next_token(); // TABLE
    let (tokens, end) = statement_tokens(parser);
    let at = |i: usize| tokens.get(i).map_or(end, line_col);
    let kw = |i: usize| tokens.get(i).and_then(keyword_of);
    let syntax = |i: usize, message: &str| {
        let (line, column) = at(i);
        ReadError::Syntax(message.to_string(), line, column)
    };
    let mut i = 0;
    let if_exists = kw(0) == Some(Keyword::IF) && kw(1) == Some(Keyword::EXISTS);
    if if_exists {
        i += 2;
    }
    let only = kw(i) == Some(Keyword::ONLY);
    if only {
        i += 1;
    }
    let mut table = Vec::new();
    while let Some(part) = tokens.get(i).and_then(|t| word_value(&t.token)) {
        table.push(part);
        i += 1;
        if tokens.get(i).is_some_and(|t| t.token == Token::Period) && table.len() < 3 {
            i += 1;
        } else {
            break;
        }
    }
    if table.is_empty() {
        return Err(syntax(i, "expected a table name after ALTER TABLE"));
    }
    let mut actions = Vec::new();
    loop {
        let is_storage_action = kw(i) == Some(Keyword::ALTER) && {
            let c = if kw(i + 1) == Some(Keyword::COLUMN) {
                i + 2
            } else {
                i + 1
            };
            kw(c + 1) == Some(Keyword::SET)
                && matches!(kw(c + 2), Some(Keyword::STORAGE | Keyword::COMPRESSION))
        };
        if !is_storage_action {
            let (line, column) = at(i);
            return Err(ReadError::Refused(
                "another action beside `SET STORAGE` / `SET COMPRESSION` in one `ALTER TABLE`",
                line,
                column,
            ));
        }
        i += 1;
        if kw(i) == Some(Keyword::COLUMN) {
            i += 1;
        }
        let column_at = at(i);
        let column = tokens
            .get(i)
            .and_then(|t| word_value(&t.token))
            .ok_or_else(|| syntax(i, "expected a column name"))?;
        let storage = kw(i + 2) == Some(Keyword::STORAGE);
        i += 3;
        let Some(name) = tokens.get(i).and_then(|t| word_value(&t.token)) else {
            return Err(syntax(
                i,
                if storage {
                    "expected PLAIN, EXTERNAL, EXTENDED or MAIN after SET STORAGE"
                } else {
                    "expected pglz, lz4 or default after SET COMPRESSION"
                },
            ));
        };
        let setting = if storage {
            StorageSetting::Storage(Storage::from_name(&name).ok_or_else(|| {
                syntax(
                    i,
                    &format!(
                        "invalid storage type `{name}`: PostgreSQL has PLAIN, EXTERNAL, EXTENDED and MAIN"
                    ),
                )
            })?)
        } else {
            StorageSetting::Compression(Compression::from_name(&name).map_err(|m| syntax(i, &m))?)
        };
        i += 1;
        actions.push(StorageAction {
            column,
            column_at,
            setting,
        });
        match tokens.get(i).map(|t| &t.token) {
            None => break,
            Some(Token::Comma) => i += 1,
            Some(_) => return Err(syntax(i, "expected `,` or `;` after the action")),
        }
    }
    Ok(ParsedStatement::AlterColumnStorage(Box::new(
        AlterColumnStorage {
            table,
            if_exists,
            only,
            actions,
        },
    )))
}
