//! `CREATE [OR REPLACE] [TEMP] [RECURSIVE] VIEW`, `CREATE MATERIALIZED VIEW`
//! and `ALTER [MATERIALIZED] VIEW`, read by hand on sqlparser's parser:
//! sqlparser reads no `RECURSIVE`, no `WITH [LOCAL | CASCADED] CHECK OPTION`,
//! no `WITH [NO] DATA` and no `ALTER VIEW ... RENAME`. The query itself is
//! sqlparser's, and its text is kept as written. What each form does to the
//! model is in `apply/views.rs`.

use sqlparser::ast::{Ident, ObjectName, Query, SqlOption};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Location, Token, TokenWithSpan};

/// `CREATE ... VIEW ...` as written.
#[derive(Debug, Clone)]
pub struct CreateView {
    /// `OR REPLACE`.
    pub or_replace: bool,
    /// `TEMP`/`TEMPORARY`, where it is.
    pub temporary: Option<Location>,
    /// `RECURSIVE`.
    pub recursive: bool,
    /// `MATERIALIZED`.
    pub materialized: bool,
    /// `IF NOT EXISTS` (materialized views).
    pub if_not_exists: bool,
    /// The view's name.
    pub name: ObjectName,
    /// The column list.
    pub columns: Vec<Ident>,
    /// `USING method`, where it is.
    pub using: Option<Location>,
    /// `WITH (...)` options, and where the list starts.
    pub options: Vec<SqlOption>,
    /// Where `WITH (` is.
    pub options_at: Option<Location>,
    /// `TABLESPACE name`, where it is.
    pub tablespace: Option<Location>,
    /// The query.
    pub query: Box<Query>,
    /// The query's text as written.
    pub query_text: String,
    /// `WITH [LOCAL | CASCADED] CHECK OPTION`: `local` or `cascaded`, and where.
    pub check_option: Option<(String, Location)>,
    /// `WITH DATA` (`Some(true)`) or `WITH NO DATA` (`Some(false)`), and where.
    pub with_data: Option<(bool, Location)>,
}

/// `ALTER [MATERIALIZED] VIEW [IF EXISTS] name action`.
#[derive(Debug, Clone)]
pub struct AlterView {
    /// `MATERIALIZED`.
    pub materialized: bool,
    /// `IF EXISTS`.
    pub if_exists: bool,
    /// The view's name.
    pub name: ObjectName,
    /// What it does.
    pub action: AlterViewAction,
    /// Where the action starts.
    pub at: Location,
}

/// The actions of `ALTER [MATERIALIZED] VIEW` the model carries.
#[derive(Debug, Clone)]
pub enum AlterViewAction {
    /// `RENAME TO name`.
    Rename(Ident),
    /// `RENAME [COLUMN] a TO b`.
    RenameColumn {
        /// Old name.
        from: Ident,
        /// New name.
        to: Ident,
    },
    /// `SET SCHEMA name`.
    SetSchema(Ident),
    /// `SET (name [= value], ...)`.
    SetOptions(Vec<SqlOption>),
    /// `RESET (name, ...)`.
    ResetOptions(Vec<Ident>),
    /// `OWNER TO role`: the role, `None` for `CURRENT_USER`,
    /// `CURRENT_ROLE` and `SESSION_USER` (the role that runs the migrations).
    OwnerTo(Option<String>),
    /// Another action (`ALTER COLUMN ... SET DEFAULT`, `CLUSTER ON`, ...):
    /// its first words, refused by name.
    Other(String),
}

fn located(message: &str, at: Location) -> ParserError {
    ParserError::ParserError(format!("{message}{at}"))
}

fn start(parser: &Parser<'_>) -> Location {
    parser.peek_token().span.start
}

/// True when the statement at the parser's position is a `CREATE ... VIEW`
/// (any of `OR REPLACE`, `TEMP`, `TEMPORARY`, `RECURSIVE`, `MATERIALIZED`
/// between the two words).
pub(super) fn is_create_view(parser: &Parser<'_>) -> bool {
    if !matches!(&parser.peek_nth_token(0).token, Token::Word(w) if w.keyword == Keyword::CREATE) {
        return false;
    }
    for n in 1..8 {
        match &parser.peek_nth_token(n).token {
            Token::Word(w) if w.quote_style.is_none() => match w.keyword {
                Keyword::VIEW => return true,
                Keyword::OR
                | Keyword::REPLACE
                | Keyword::TEMP
                | Keyword::TEMPORARY
                | Keyword::RECURSIVE
                | Keyword::MATERIALIZED => {}
                _ => return false,
            },
            _ => return false,
        }
    }
    false
}

/// True when the statement at the parser's position is `ALTER [MATERIALIZED] VIEW`.
pub(super) fn is_alter_view(parser: &Parser<'_>) -> bool {
    let word = |n: usize, k: Keyword| matches!(&parser.peek_nth_token(n).token, Token::Word(w) if w.keyword == k && w.quote_style.is_none());
    word(0, Keyword::ALTER)
        && (word(1, Keyword::VIEW) || (word(1, Keyword::MATERIALIZED) && word(2, Keyword::VIEW)))
}

/// Reads `CREATE ... VIEW ...` up to (not including) its `;`; `text` gives
/// the source text between two tokens.
pub(super) fn parse_create_view(
    parser: &mut Parser<'_>,
    text: &dyn Fn(&TokenWithSpan, &TokenWithSpan) -> String,
) -> Result<CreateView, ParserError> {
    parser.expect_keyword(Keyword::CREATE)?;
    let or_replace = parser.parse_keywords(&[Keyword::OR, Keyword::REPLACE]);
    let temp_at = start(parser);
    let temporary = parser
        .parse_one_of_keywords(&[Keyword::TEMP, Keyword::TEMPORARY])
        .is_some()
        .then_some(temp_at);
    let recursive = parser.parse_keyword(Keyword::RECURSIVE);
    let materialized = parser.parse_keyword(Keyword::MATERIALIZED);
    parser.expect_keyword(Keyword::VIEW)?;
    let if_not_exists = parser.parse_keywords(&[Keyword::IF, Keyword::NOT, Keyword::EXISTS]);
    let name = parser.parse_object_name(false)?;
    let mut columns = Vec::new();
    if parser.consume_token(&Token::LParen) {
        columns = parser.parse_comma_separated(|p| p.parse_identifier())?;
        parser.expect_token(&Token::RParen)?;
    }
    let using_at = start(parser);
    let using = if parser.parse_keyword(Keyword::USING) {
        parser.parse_identifier()?;
        Some(using_at)
    } else {
        None
    };
    let options_at = start(parser);
    let options = parser.parse_options(Keyword::WITH)?;
    let options_at = (!options.is_empty()).then_some(options_at);
    let tablespace_at = start(parser);
    let tablespace = if parser.parse_keyword(Keyword::TABLESPACE) {
        parser.parse_identifier()?;
        Some(tablespace_at)
    } else {
        None
    };
    parser.expect_keyword(Keyword::AS)?;
    let first = parser.peek_token();
    let query = parser.parse_query()?;
    let last = parser.get_current_token().clone();
    let query_text = text(&first, &last);
    let at = start(parser);
    let mut check_option = None;
    let mut with_data = None;
    if parser.parse_keyword(Keyword::WITH) {
        if parser.parse_keyword(Keyword::DATA) {
            with_data = Some((true, at));
        } else if parser.parse_keywords(&[Keyword::NO, Keyword::DATA]) {
            with_data = Some((false, at));
        } else {
            let kind = if parser.parse_keyword(Keyword::LOCAL) {
                "local"
            } else {
                let _ = parser.parse_keyword(Keyword::CASCADED);
                "cascaded"
            };
            parser.expect_keywords(&[Keyword::CHECK, Keyword::OPTION])?;
            check_option = Some((kind.to_string(), at));
        }
    }
    Ok(CreateView {
        or_replace,
        temporary,
        recursive,
        materialized,
        if_not_exists,
        name,
        columns,
        using,
        options,
        options_at,
        tablespace,
        query,
        query_text,
        check_option,
        with_data,
    })
}

/// Reads `ALTER [MATERIALIZED] VIEW ...` up to (not including) its `;`.
pub(super) fn parse_alter_view(parser: &mut Parser<'_>) -> Result<AlterView, ParserError> {
    parser.expect_keyword(Keyword::ALTER)?;
    let materialized = parser.parse_keyword(Keyword::MATERIALIZED);
    parser.expect_keyword(Keyword::VIEW)?;
    let if_exists = parser.parse_keywords(&[Keyword::IF, Keyword::EXISTS]);
    let name = parser.parse_object_name(false)?;
    let at = start(parser);
    let action = if parser.parse_keywords(&[Keyword::RENAME, Keyword::TO]) {
        AlterViewAction::Rename(parser.parse_identifier()?)
    } else if parser.parse_keyword(Keyword::RENAME) {
        let _ = parser.parse_keyword(Keyword::COLUMN);
        let from = parser.parse_identifier()?;
        parser.expect_keyword(Keyword::TO)?;
        let to = parser.parse_identifier()?;
        AlterViewAction::RenameColumn { from, to }
    } else if parser.parse_keywords(&[Keyword::SET, Keyword::SCHEMA]) {
        AlterViewAction::SetSchema(parser.parse_identifier()?)
    } else if parser.peek_keyword(Keyword::SET) && parser.peek_nth_token(1).token == Token::LParen {
        parser.expect_keyword(Keyword::SET)?;
        parser.expect_token(&Token::LParen)?;
        let options = parser.parse_comma_separated(Parser::parse_sql_option)?;
        parser.expect_token(&Token::RParen)?;
        AlterViewAction::SetOptions(options)
    } else if parser.parse_keyword(Keyword::RESET) {
        parser.expect_token(&Token::LParen)?;
        let names = parser.parse_comma_separated(|p| p.parse_identifier())?;
        parser.expect_token(&Token::RParen)?;
        AlterViewAction::ResetOptions(names)
    } else if parser.parse_keywords(&[Keyword::OWNER, Keyword::TO]) {
        let session = parser.parse_one_of_keywords(&[
            Keyword::CURRENT_USER,
            Keyword::CURRENT_ROLE,
            Keyword::SESSION_USER,
        ]);
        if session.is_some() {
            AlterViewAction::OwnerTo(None)
        } else {
            let role = parser.parse_identifier()?;
            AlterViewAction::OwnerTo(Some(crate::model::names::fold_ident(&role)))
        }
    } else {
        let mut words = Vec::new();
        for n in 0..3 {
            match &parser.peek_nth_token(n).token {
                Token::Word(w) => words.push(w.value.to_ascii_uppercase()),
                _ => break,
            }
        }
        if words.is_empty() {
            return Err(located(
                "expected RENAME, SET SCHEMA, SET (...), RESET (...) or OWNER TO after ALTER VIEW name",
                at,
            ));
        }
        // The rest is skipped by the caller (up to `;`).
        while !matches!(parser.peek_token().token, Token::SemiColon | Token::EOF) {
            parser.next_token();
        }
        AlterViewAction::Other(words.join(" "))
    };
    Ok(AlterView {
        materialized,
        if_exists,
        name,
        action,
        at,
    })
}
