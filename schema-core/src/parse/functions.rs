//! `CREATE [OR REPLACE] FUNCTION | PROCEDURE`, `DROP`, `ALTER` and `COMMENT
//! ON` of functions and procedures, read by hand on sqlparser's parser
//! (sqlparser reads no `COST`, `ROWS`, `LEAKPROOF`, no `OUT` arguments of
//! `DROP`, and no `ALTER FUNCTION`). Every clause keeps where it is written; a
//! clause the model does not carry is refused there. What each statement does
//! to the model is in `apply/functions.rs`.

use sqlparser::ast::{DataType, Expr, Ident, ObjectName};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Location, Token};

use super::alter_sequence::ReadError;
use super::{clean_message, line_col, location_in_message};
use crate::model::function::{ArgMode, Parallel, RoutineKind, Volatility, is_list_parameter};

/// One statement about functions or procedures.
#[derive(Debug, Clone)]
pub enum FunctionStatement {
    /// `CREATE [OR REPLACE] FUNCTION | PROCEDURE`.
    Create(CreateFunction),
    /// `DROP FUNCTION | PROCEDURE [IF EXISTS] name[(args)], ... [CASCADE | RESTRICT]`.
    Drop {
        /// Function or procedure.
        kind: RoutineKind,
        /// `IF EXISTS`.
        if_exists: bool,
        /// What it drops.
        routines: Vec<RoutineRef>,
        /// `CASCADE`.
        cascade: bool,
    },
    /// `ALTER FUNCTION | PROCEDURE name[(args)] action`.
    Alter {
        /// What it alters.
        routine: RoutineRef,
        /// What it does.
        action: AlterAction,
    },
    /// `COMMENT ON FUNCTION | PROCEDURE name[(args)] IS 'text' | NULL`.
    Comment {
        /// What it comments.
        routine: RoutineRef,
        /// The comment, `None` for `NULL`.
        comment: Option<String>,
    },
}

/// `CREATE [OR REPLACE] FUNCTION | PROCEDURE name (args) [RETURNS ...] option...`.
#[derive(Debug, Clone)]
pub struct CreateFunction {
    /// `OR REPLACE`.
    pub or_replace: bool,
    /// Function or procedure.
    pub kind: RoutineKind,
    /// The name.
    pub name: ObjectName,
    /// The arguments.
    pub args: Vec<ArgSpec>,
    /// `RETURNS ...` and where it starts.
    pub returns: Option<(ReturnsSpec, Location)>,
    /// The options in order, each where it starts.
    pub options: Vec<(FunctionOption, Location)>,
}

/// One argument as written.
#[derive(Debug, Clone)]
pub struct ArgSpec {
    /// Mode (`IN` unless written).
    pub mode: ArgMode,
    /// Name.
    pub name: Option<Ident>,
    /// Type.
    pub data_type: DataType,
    /// Where the type starts.
    pub type_at: Location,
    /// `DEFAULT expr` or `= expr`, and where the expression starts.
    pub default: Option<(Expr, Location)>,
    /// Where the argument starts.
    pub at: Location,
}

/// `RETURNS` as written.
#[derive(Debug, Clone)]
pub enum ReturnsSpec {
    /// `[SETOF] type`.
    Type {
        /// `SETOF`.
        setof: bool,
        /// The type.
        data_type: DataType,
    },
    /// `TABLE (name type, ...)`, each column with where its type starts.
    Table(Vec<(Ident, DataType, Location)>),
}

/// One option of `CREATE FUNCTION` or `ALTER FUNCTION`.
#[derive(Debug, Clone, PartialEq)]
pub enum FunctionOption {
    /// `LANGUAGE name`.
    Language(String),
    /// `IMMUTABLE | STABLE | VOLATILE`.
    Volatility(Volatility),
    /// `STRICT`, `RETURNS NULL ON NULL INPUT` (true), `CALLED ON NULL INPUT` (false).
    Strict(bool),
    /// `[EXTERNAL] SECURITY DEFINER` (true) or `INVOKER` (false).
    SecurityDefiner(bool),
    /// `[NOT] LEAKPROOF`.
    Leakproof(bool),
    /// `PARALLEL ...`.
    Parallel(Parallel),
    /// `COST n`, the number as written.
    Cost(String),
    /// `ROWS n`, the number as written.
    Rows(String),
    /// `SET name {TO | =} value, ...`: the name folded, the value as
    /// `pg_proc.proconfig` holds it.
    Set(String, String),
    /// `RESET name` (`None`: `RESET ALL`), of `ALTER FUNCTION`.
    Reset(Option<String>),
    /// `AS 'body'` or `AS $tag$body$tag$`: the body's text.
    Body(String),
    /// `RETURN expression`: a SQL-standard body.
    Return(Box<Expr>),
}

impl FunctionOption {
    /// The clause's name, for messages about it.
    pub fn clause(&self) -> &'static str {
        match self {
            FunctionOption::Language(_) => "LANGUAGE",
            FunctionOption::Volatility(_) => "IMMUTABLE | STABLE | VOLATILE",
            FunctionOption::Strict(_) => "STRICT | CALLED ON NULL INPUT",
            FunctionOption::SecurityDefiner(_) => "SECURITY",
            FunctionOption::Leakproof(_) => "LEAKPROOF",
            FunctionOption::Parallel(_) => "PARALLEL",
            FunctionOption::Cost(_) => "COST",
            FunctionOption::Rows(_) => "ROWS",
            FunctionOption::Set(..) => "SET",
            FunctionOption::Reset(_) => "RESET",
            FunctionOption::Body(_) | FunctionOption::Return(_) => "AS | RETURN",
        }
    }
}

/// A function named by `DROP`, `ALTER` or `COMMENT`: the name, and the
/// argument list when written.
#[derive(Debug, Clone)]
pub struct RoutineRef {
    /// Function or procedure.
    pub kind: RoutineKind,
    /// The name.
    pub name: ObjectName,
    /// The arguments, when a list is written.
    pub args: Option<Vec<ArgSpec>>,
}

/// What `ALTER FUNCTION` does.
#[derive(Debug, Clone)]
pub enum AlterAction {
    /// `RENAME TO name`.
    Rename(Ident),
    /// `SET SCHEMA name`.
    SetSchema(Ident),
    /// `OWNER TO role`: the role, `None` for `CURRENT_USER`,
    /// `CURRENT_ROLE` and `SESSION_USER` (the role that runs the migrations).
    OwnerTo(Option<String>),
    /// Options (`IMMUTABLE`, `SET ...`, `RESET ...`, ...).
    Options(Vec<(FunctionOption, Location)>),
}

/// True for the statement kinds this module reads (`kind` as
/// `statement_kind` gives it: the leading keywords, upper case).
pub(super) fn is_function_statement(kind: &str) -> bool {
    const KINDS: &[&str] = &[
        "CREATE FUNCTION",
        "CREATE PROCEDURE",
        "CREATE OR REPLACE FUNCTION",
        "CREATE OR REPLACE PROCEDURE",
        "DROP FUNCTION",
        "DROP PROCEDURE",
        "ALTER FUNCTION",
        "ALTER PROCEDURE",
        "COMMENT ON FUNCTION",
        "COMMENT ON PROCEDURE",
    ];
    KINDS.iter().any(|k| {
        kind.strip_prefix(k)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
    })
}

fn at(parser: &Parser<'_>) -> (u32, u32) {
    line_col(&parser.peek_token())
}

fn location(parser: &Parser<'_>) -> Location {
    parser.peek_token().span.start
}

fn syntax(parser: &Parser<'_>, message: impl Into<String>) -> ReadError {
    let (line, column) = at(parser);
    ReadError::Syntax(message.into(), line, column)
}

fn refused(parser: &Parser<'_>, clause: &'static str) -> ReadError {
    let (line, column) = at(parser);
    ReadError::Refused(clause, line, column)
}

/// A sqlparser error as a located syntax error (at the next token when the
/// message names no place).
fn from_parser(parser: &Parser<'_>, e: &ParserError) -> ReadError {
    let text = e.to_string();
    let (line, column) = location_in_message(&text)
        .filter(|(l, _)| *l > 0)
        .unwrap_or_else(|| at(parser));
    ReadError::Syntax(clean_message(&text), line, column)
}

/// The unquoted word `n` tokens ahead, upper case.
fn word(parser: &Parser<'_>, n: usize) -> Option<String> {
    match parser.peek_nth_token(n).token {
        Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
        _ => None,
    }
}

fn is(parser: &Parser<'_>, n: usize, w: &str) -> bool {
    word(parser, n).as_deref() == Some(w)
}

/// Consumes the unquoted word `w` when it is next.
fn take(parser: &mut Parser<'_>, w: &str) -> bool {
    if is(parser, 0, w) {
        parser.next_token();
        true
    } else {
        false
    }
}

fn expect(parser: &mut Parser<'_>, w: &str) -> Result<(), ReadError> {
    if take(parser, w) {
        Ok(())
    } else {
        Err(syntax(
            parser,
            format!("expected `{w}`, found `{}`", parser.peek_token().token),
        ))
    }
}

fn expect_token(parser: &mut Parser<'_>, token: &Token) -> Result<(), ReadError> {
    if parser.consume_token(token) {
        Ok(())
    } else {
        Err(syntax(
            parser,
            format!("expected `{token}`, found `{}`", parser.peek_token().token),
        ))
    }
}

fn at_end(parser: &Parser<'_>) -> bool {
    matches!(parser.peek_token().token, Token::SemiColon | Token::EOF)
}

fn kind_word(parser: &mut Parser<'_>) -> Result<RoutineKind, ReadError> {
    if take(parser, "FUNCTION") {
        Ok(RoutineKind::Function)
    } else if take(parser, "PROCEDURE") {
        Ok(RoutineKind::Procedure)
    } else {
        Err(syntax(parser, "expected FUNCTION or PROCEDURE"))
    }
}

fn object_name(parser: &mut Parser<'_>) -> Result<ObjectName, ReadError> {
    parser
        .parse_object_name(false)
        .map_err(|e| from_parser(parser, &e))
}

fn data_type(parser: &mut Parser<'_>) -> Result<(DataType, Location), ReadError> {
    let type_at = location(parser);
    let ty = parser
        .parse_data_type()
        .map_err(|e| from_parser(parser, &e))?;
    if parser.peek_token().token == Token::Mod {
        return Err(refused(parser, "%TYPE"));
    }
    Ok((ty, type_at))
}

fn ends_argument(parser: &Parser<'_>) -> bool {
    matches!(
        parser.peek_token().token,
        Token::Comma | Token::RParen | Token::Eq
    ) || is(parser, 0, "DEFAULT")
}

fn mode_word(parser: &mut Parser<'_>) -> Option<ArgMode> {
    let mode = match word(parser, 0).as_deref() {
        Some("IN") => {
            if is(parser, 1, "OUT") {
                parser.next_token();
                ArgMode::InOut
            } else {
                ArgMode::In
            }
        }
        Some("OUT") => ArgMode::Out,
        Some("INOUT") => ArgMode::InOut,
        Some("VARIADIC") => ArgMode::Variadic,
        _ => return None,
    };
    parser.next_token();
    Some(mode)
}

/// `( [arg [, ...]] )`: `[mode] [name] type [{DEFAULT | =} expr]`.
fn arguments(parser: &mut Parser<'_>, defaults: bool) -> Result<Vec<ArgSpec>, ReadError> {
    expect_token(parser, &Token::LParen)?;
    let mut out = Vec::new();
    if parser.consume_token(&Token::RParen) {
        return Ok(out);
    }
    loop {
        let arg_at = location(parser);
        let mut mode = mode_word(parser);
        // A type alone (`double precision`), else a name and a type.
        let type_at = location(parser);
        let alone = parser
            .maybe_parse(|p| {
                let ty = p.parse_data_type()?;
                if ends_argument(p) {
                    Ok(ty)
                } else {
                    Err(ParserError::ParserError(String::new()))
                }
            })
            .map_err(|e| from_parser(parser, &e))?;
        let (name, data_type, type_at) = match alone {
            Some(ty) => (None, ty, type_at),
            None => {
                let name = parser
                    .parse_identifier()
                    .map_err(|e| from_parser(parser, &e))?;
                if mode.is_none() {
                    mode = mode_word(parser);
                }
                let (ty, type_at) = data_type(parser)?;
                (Some(name), ty, type_at)
            }
        };
        if parser.peek_token().token == Token::Mod {
            return Err(refused(parser, "%TYPE"));
        }
        let default = if defaults && (take(parser, "DEFAULT") || parser.consume_token(&Token::Eq)) {
            let default_at = location(parser);
            let e = parser.parse_expr().map_err(|e| from_parser(parser, &e))?;
            Some((e, default_at))
        } else {
            None
        };
        out.push(ArgSpec {
            mode: mode.unwrap_or(ArgMode::In),
            name,
            data_type,
            type_at,
            default,
            at: arg_at,
        });
        if parser.consume_token(&Token::RParen) {
            return Ok(out);
        }
        expect_token(parser, &Token::Comma)?;
    }
}

/// `name [( args )]`.
/// A routine named by its name and, when written, its argument list (modes
/// and names allowed, as `DROP FUNCTION` takes them).
pub(super) fn routine(parser: &mut Parser<'_>, kind: RoutineKind) -> Result<RoutineRef, ReadError> {
    let name = object_name(parser)?;
    let args = if parser.peek_token().token == Token::LParen {
        Some(arguments(parser, false)?)
    } else {
        None
    };
    Ok(RoutineRef { kind, name, args })
}

/// The role of `OWNER TO role`: `None` for `CURRENT_USER`, `CURRENT_ROLE`
/// and `SESSION_USER`; a name folded unless quoted.
fn owner_role(parser: &mut Parser<'_>) -> Result<Option<String>, ReadError> {
    if let Token::Word(w) = &parser.peek_token().token {
        if w.quote_style.is_none()
            && matches!(
                w.keyword,
                Keyword::CURRENT_USER | Keyword::CURRENT_ROLE | Keyword::SESSION_USER
            )
        {
            parser.next_token();
            return Ok(None);
        }
    }
    let role = parser
        .parse_identifier()
        .map_err(|e| from_parser(parser, &e))?;
    Ok(Some(crate::model::names::fold_ident(&role)))
}

/// A number as written (`[-] digits`).
fn number(parser: &mut Parser<'_>) -> Result<String, ReadError> {
    let negative = parser.consume_token(&Token::Minus);
    match parser.next_token().token {
        Token::Number(n, _) => Ok(if negative { format!("-{n}") } else { n }),
        other => {
            parser.prev_token();
            Err(syntax(
                parser,
                format!("expected a number, found `{other}`"),
            ))
        }
    }
}

/// A string constant's contents (any spelling), or `None` when the next
/// token is no string (nothing is consumed then).
fn string(parser: &mut Parser<'_>) -> Option<String> {
    let s = match parser.peek_token().token {
        Token::SingleQuotedString(s)
        | Token::EscapedStringLiteral(s)
        | Token::NationalStringLiteral(s)
        | Token::UnicodeStringLiteral(s) => s,
        Token::DollarQuotedString(d) => d.value,
        _ => return None,
    };
    parser.next_token();
    Some(s)
}

/// `SET name {TO | =} value [, ...]` after `SET`.
fn set_option(parser: &mut Parser<'_>) -> Result<FunctionOption, ReadError> {
    let name = set_name(parser)?;
    if is(parser, 0, "FROM") && is(parser, 1, "CURRENT") {
        return Err(refused(parser, "SET ... FROM CURRENT"));
    }
    if !take(parser, "TO") && !parser.consume_token(&Token::Eq) {
        return Err(syntax(
            parser,
            "expected TO or = after the parameter's name",
        ));
    }
    if is(parser, 0, "DEFAULT") {
        return Err(refused(parser, "SET ... TO DEFAULT"));
    }
    let list = is_list_parameter(&name);
    let mut values = Vec::new();
    loop {
        let value = if let Some(s) = string(parser) {
            if list {
                crate::model::names::quote_ident(&s)
            } else {
                s
            }
        } else {
            match parser.peek_token().token {
                Token::Word(w) => {
                    parser.next_token();
                    let v = if w.quote_style.is_some() {
                        w.value
                    } else {
                        w.value.to_ascii_lowercase()
                    };
                    if list {
                        crate::model::names::quote_ident(&v)
                    } else {
                        v
                    }
                }
                Token::Number(..) | Token::Minus => number(parser)?,
                other => {
                    return Err(syntax(
                        parser,
                        format!("expected a value for `{name}`, found `{other}`"),
                    ));
                }
            }
        };
        values.push(value);
        if !parser.consume_token(&Token::Comma) {
            break;
        }
    }
    Ok(FunctionOption::Set(name, values.join(", ")))
}

/// Skips a SQL-standard body `BEGIN ATOMIC ... END` (after `BEGIN`), so
/// that its inner `;` do not start statements.
fn skip_atomic_body(parser: &mut Parser<'_>) {
    let mut depth = 1usize;
    loop {
        match parser.next_token().token {
            Token::EOF => return,
            Token::Word(w) if w.quote_style.is_none() => {
                match w.value.to_ascii_uppercase().as_str() {
                    "BEGIN" | "CASE" => depth += 1,
                    "END" => {
                        depth -= 1;
                        if depth == 0 {
                            return;
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

/// One option, or `None` at the statement's end. `create` allows the options
/// only `CREATE` takes (`LANGUAGE`, `AS`, ...), else those only `ALTER`
/// takes (`RESET`).
fn option(parser: &mut Parser<'_>, create: bool) -> Result<Option<FunctionOption>, ReadError> {
    if at_end(parser) {
        return Ok(None);
    }
    let Some(w) = word(parser, 0) else {
        return Err(syntax(
            parser,
            format!(
                "expected a function option, found `{}`",
                parser.peek_token().token
            ),
        ));
    };
    let one = |parser: &mut Parser<'_>, o: FunctionOption| {
        parser.next_token();
        Ok(Some(o))
    };
    match w.as_str() {
        "IMMUTABLE" => one(parser, FunctionOption::Volatility(Volatility::Immutable)),
        "STABLE" => one(parser, FunctionOption::Volatility(Volatility::Stable)),
        "VOLATILE" => one(parser, FunctionOption::Volatility(Volatility::Volatile)),
        "STRICT" => one(parser, FunctionOption::Strict(true)),
        "LEAKPROOF" => one(parser, FunctionOption::Leakproof(true)),
        "NOT" => {
            parser.next_token();
            expect(parser, "LEAKPROOF")?;
            Ok(Some(FunctionOption::Leakproof(false)))
        }
        "CALLED" | "RETURNS" => {
            let strict = w == "RETURNS";
            parser.next_token();
            if strict {
                expect(parser, "NULL")?;
            }
            for w in ["ON", "NULL", "INPUT"] {
                expect(parser, w)?;
            }
            Ok(Some(FunctionOption::Strict(strict)))
        }
        "EXTERNAL" | "SECURITY" => {
            parser.next_token();
            if w == "EXTERNAL" {
                expect(parser, "SECURITY")?;
            }
            if take(parser, "DEFINER") {
                Ok(Some(FunctionOption::SecurityDefiner(true)))
            } else if take(parser, "INVOKER") {
                Ok(Some(FunctionOption::SecurityDefiner(false)))
            } else {
                Err(syntax(parser, "expected DEFINER or INVOKER"))
            }
        }
        "PARALLEL" => {
            parser.next_token();
            let p = match word(parser, 0).as_deref() {
                Some("UNSAFE") => Parallel::Unsafe,
                Some("RESTRICTED") => Parallel::Restricted,
                Some("SAFE") => Parallel::Safe,
                _ => return Err(syntax(parser, "expected UNSAFE, RESTRICTED or SAFE")),
            };
            parser.next_token();
            Ok(Some(FunctionOption::Parallel(p)))
        }
        "COST" | "ROWS" => {
            parser.next_token();
            let n = number(parser)?;
            Ok(Some(if w == "COST" {
                FunctionOption::Cost(n)
            } else {
                FunctionOption::Rows(n)
            }))
        }
        "SET" => {
            parser.next_token();
            set_option(parser).map(Some)
        }
        "RESET" if !create => {
            parser.next_token();
            if take(parser, "ALL") {
                return Ok(Some(FunctionOption::Reset(None)));
            }
            Ok(Some(FunctionOption::Reset(Some(set_name(parser)?))))
        }
        "LANGUAGE" if create => {
            parser.next_token();
            let language = match string(parser) {
                Some(s) => s,
                None => match parser.next_token().token {
                    Token::Word(w) if w.quote_style.is_some() => w.value,
                    Token::Word(w) => w.value.to_ascii_lowercase(),
                    other => {
                        parser.prev_token();
                        return Err(syntax(
                            parser,
                            format!("expected a language name, found `{other}`"),
                        ));
                    }
                },
            };
            Ok(Some(FunctionOption::Language(language)))
        }
        "AS" if create => {
            let (line, column) = at(parser);
            parser.next_token();
            let Some(body) = string(parser) else {
                return Err(syntax(
                    parser,
                    "expected the body as a string (`AS $$ ... $$` or `AS '...'`)",
                ));
            };
            if parser.peek_token().token == Token::Comma {
                return Err(ReadError::Refused(
                    "AS 'obj_file', 'link_symbol'",
                    line,
                    column,
                ));
            }
            Ok(Some(FunctionOption::Body(body)))
        }
        "RETURN" if create => {
            parser.next_token();
            let e = parser.parse_expr().map_err(|e| from_parser(parser, &e))?;
            Ok(Some(FunctionOption::Return(Box::new(e))))
        }
        "BEGIN" if create => {
            let e = refused(parser, "BEGIN ATOMIC ... END (a SQL-standard body)");
            parser.next_token();
            skip_atomic_body(parser);
            Err(e)
        }
        "WINDOW" if create => Err(refused(parser, "WINDOW")),
        "TRANSFORM" if create => Err(refused(parser, "TRANSFORM")),
        "SUPPORT" => Err(refused(parser, "SUPPORT")),
        "RESTRICT" if !create => {
            parser.next_token();
            if at_end(parser) {
                Ok(None)
            } else {
                Err(syntax(
                    parser,
                    "expected the end of the statement after RESTRICT",
                ))
            }
        }
        _ => Err(syntax(
            parser,
            format!(
                "expected a function option, found `{}`",
                parser.peek_token().token
            ),
        )),
    }
}

/// A configuration parameter's (dotted) name, folded.
fn set_name(parser: &mut Parser<'_>) -> Result<String, ReadError> {
    let mut name = Vec::new();
    loop {
        match parser.next_token().token {
            Token::Word(w) if w.quote_style.is_some() => name.push(w.value),
            Token::Word(w) => name.push(w.value.to_ascii_lowercase()),
            other => {
                parser.prev_token();
                return Err(syntax(
                    parser,
                    format!("expected a configuration parameter, found `{other}`"),
                ));
            }
        }
        if !parser.consume_token(&Token::Period) {
            return Ok(name.join("."));
        }
    }
}

fn options(
    parser: &mut Parser<'_>,
    create: bool,
) -> Result<Vec<(FunctionOption, Location)>, ReadError> {
    let mut out = Vec::new();
    loop {
        let here = location(parser);
        match option(parser, create)? {
            Some(o) => out.push((o, here)),
            None => return Ok(out),
        }
    }
}

/// Reads one statement [`is_function_statement`] accepts, up to (not
/// including) its `;`.
pub(super) fn parse(parser: &mut Parser<'_>) -> Result<FunctionStatement, ReadError> {
    if take(parser, "CREATE") {
        let or_replace = take(parser, "OR");
        if or_replace {
            expect(parser, "REPLACE")?;
        }
        let kind = kind_word(parser)?;
        let name = object_name(parser)?;
        let args = arguments(parser, true)?;
        let mut returns = None;
        if is(parser, 0, "RETURNS") && !is(parser, 1, "NULL") {
            let returns_at = location(parser);
            parser.next_token();
            let spec = if take(parser, "TABLE") {
                expect_token(parser, &Token::LParen)?;
                let mut columns = Vec::new();
                loop {
                    let name = parser
                        .parse_identifier()
                        .map_err(|e| from_parser(parser, &e))?;
                    let (ty, at) = data_type(parser)?;
                    columns.push((name, ty, at));
                    if parser.consume_token(&Token::RParen) {
                        break;
                    }
                    expect_token(parser, &Token::Comma)?;
                }
                ReturnsSpec::Table(columns)
            } else {
                let setof = take(parser, "SETOF");
                let (data_type, _) = data_type(parser)?;
                ReturnsSpec::Type { setof, data_type }
            };
            returns = Some((spec, returns_at));
        }
        let options = options(parser, true)?;
        return Ok(FunctionStatement::Create(CreateFunction {
            or_replace,
            kind,
            name,
            args,
            returns,
            options,
        }));
    }
    if take(parser, "DROP") {
        let kind = kind_word(parser)?;
        let if_exists = is(parser, 0, "IF") && is(parser, 1, "EXISTS");
        if if_exists {
            parser.next_token();
            parser.next_token();
        }
        let mut routines = Vec::new();
        loop {
            routines.push(routine(parser, kind)?);
            if !parser.consume_token(&Token::Comma) {
                break;
            }
        }
        let cascade = take(parser, "CASCADE");
        if !cascade {
            take(parser, "RESTRICT");
        }
        if !at_end(parser) {
            return Err(syntax(
                parser,
                format!(
                    "expected the end of the statement, found `{}`",
                    parser.peek_token().token
                ),
            ));
        }
        return Ok(FunctionStatement::Drop {
            kind,
            if_exists,
            routines,
            cascade,
        });
    }
    if take(parser, "ALTER") {
        let kind = kind_word(parser)?;
        let routine = routine(parser, kind)?;
        let action = if take(parser, "RENAME") {
            expect(parser, "TO")?;
            AlterAction::Rename(
                parser
                    .parse_identifier()
                    .map_err(|e| from_parser(parser, &e))?,
            )
        } else if is(parser, 0, "OWNER") && is(parser, 1, "TO") {
            parser.next_token();
            parser.next_token();
            AlterAction::OwnerTo(owner_role(parser)?)
        } else if is(parser, 0, "SET") && is(parser, 1, "SCHEMA") {
            parser.next_token();
            parser.next_token();
            AlterAction::SetSchema(
                parser
                    .parse_identifier()
                    .map_err(|e| from_parser(parser, &e))?,
            )
        } else if is(parser, 0, "DEPENDS") || (is(parser, 0, "NO") && is(parser, 1, "DEPENDS")) {
            return Err(refused(parser, "DEPENDS ON EXTENSION"));
        } else {
            let options = options(parser, false)?;
            if options.is_empty() {
                return Err(syntax(parser, "expected an action of ALTER FUNCTION"));
            }
            AlterAction::Options(options)
        };
        if !at_end(parser) {
            return Err(syntax(
                parser,
                format!(
                    "expected the end of the statement, found `{}`",
                    parser.peek_token().token
                ),
            ));
        }
        return Ok(FunctionStatement::Alter { routine, action });
    }
    expect(parser, "COMMENT")?;
    expect(parser, "ON")?;
    let kind = kind_word(parser)?;
    let routine = routine(parser, kind)?;
    expect(parser, "IS")?;
    let comment = if take(parser, "NULL") {
        None
    } else {
        Some(string(parser).ok_or_else(|| syntax(parser, "expected a string or NULL"))?)
    };
    Ok(FunctionStatement::Comment { routine, comment })
}

/// The diagnostic of a statement this module could not read.
pub(super) fn read_error(
    e: ReadError,
    kind: &str,
    source: &std::sync::Arc<crate::diagnostic::Source>,
    origin: &crate::diagnostic::Origin,
) -> crate::diagnostic::Diagnostic {
    let refused_help = match &e {
        ReadError::Refused(clause, ..) => match *clause {
            c if c.contains("SQL-standard body") => {
                "write the body as a string instead (`LANGUAGE sql AS $$ SELECT ...; SELECT ... $$`), or a single expression as `RETURN expression`".to_string()
            }
            "%TYPE" => "write the type itself (`integer`, `text`, ...)".to_string(),
            _ => "remove it; if the database needs it, apply it from a separate SQL file run after migrations".to_string(),
        },
        ReadError::Syntax(..) => String::new(),
    };
    super::hand_read_error(
        e,
        kind,
        source,
        origin,
        "write `CREATE [OR REPLACE] FUNCTION name ([[mode] [name] type [DEFAULT expr], ...]) RETURNS type LANGUAGE lang [option ...] AS $$ body $$`, as PostgreSQL's documentation spells it",
        &refused_help,
    )
}
