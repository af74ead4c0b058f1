//! The sequence statements sqlparser does not read, read by hand from tokens:
//! `ALTER SEQUENCE name option...` and the identity forms of `ALTER TABLE ...
//! ALTER COLUMN` (`SET GENERATED`, `SET INCREMENT BY ...`, `RESTART`, `DROP
//! IDENTITY`). Every option keeps the line and column of its first word.

use sqlparser::keywords::Keyword;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, TokenWithSpan};

use super::{ParsedStatement, line_col, word_value};
use crate::model::{Identity, SequenceOption, SequenceType};

/// A sequence option as written, with the line and column of its first word.
pub type LocatedOption = (SequenceOption, u32, u32);

/// What `ALTER TABLE ... ALTER COLUMN c` does to an identity column.
#[derive(Debug, Clone)]
pub enum IdentityAlteration {
    /// `DROP IDENTITY [IF EXISTS]`.
    Drop {
        /// `IF EXISTS`.
        if_exists: bool,
    },
    /// `SET GENERATED ...`, `SET option`, `RESTART`, in any number.
    Set {
        /// `SET GENERATED { ALWAYS | BY DEFAULT }`.
        generated: Option<Identity>,
        /// `SET option`s.
        options: Vec<LocatedOption>,
        /// Where a `RESTART [[WITH] n]` is (it changes the value, not the schema).
        restart: Option<(u32, u32)>,
    },
}

/// Why a statement read by hand was not read: its message, and where.
#[derive(Debug)]
pub(super) enum ReadError {
    /// It is not valid SQL.
    Syntax(String, u32, u32),
    /// It holds a clause the model does not carry: the clause, its line and column.
    Refused(&'static str, u32, u32),
}

/// One item of an option list.
enum Item {
    Option(SequenceOption),
    Restart,
    OwnedBy(Option<Vec<String>>),
}

/// A cursor over a statement's significant tokens.
struct Reader<'t> {
    tokens: &'t [TokenWithSpan],
    i: usize,
    /// Where the statement ends, for errors at its end.
    end: (u32, u32),
}

impl Reader<'_> {
    fn keyword(&self, n: usize) -> Option<Keyword> {
        match self.tokens.get(self.i + n).map(|t| &t.token) {
            Some(Token::Word(w)) if w.quote_style.is_none() => Some(w.keyword),
            _ => None,
        }
    }

    fn is(&self, n: usize, keyword: Keyword) -> bool {
        self.keyword(n) == Some(keyword)
    }

    fn at(&self) -> (u32, u32) {
        self.tokens.get(self.i).map_or(self.end, line_col)
    }

    fn syntax(&self, message: impl Into<String>) -> ReadError {
        let (line, column) = self.at();
        ReadError::Syntax(message.into(), line, column)
    }

    /// `[-|+] integer`.
    fn number(&mut self, after: &str) -> Result<i64, ReadError> {
        let negative = match self.tokens.get(self.i).map(|t| &t.token) {
            Some(Token::Minus) => {
                self.i += 1;
                true
            }
            Some(Token::Plus) => {
                self.i += 1;
                false
            }
            _ => false,
        };
        let Some(Token::Number(text, _)) = self.tokens.get(self.i).map(|t| &t.token) else {
            return Err(self.syntax(format!("expected a number after {after}")));
        };
        let value = integer(text, negative).map_err(|m| self.syntax(m))?;
        self.i += 1;
        Ok(value)
    }

    /// A dotted name (`a`, `s.t.c`).
    fn name(&mut self) -> Vec<String> {
        let mut parts = Vec::new();
        while let Some(v) = self.tokens.get(self.i).and_then(|t| word_value(&t.token)) {
            parts.push(v);
            self.i += 1;
            if self.tokens.get(self.i).map(|t| &t.token) == Some(&Token::Period) {
                self.i += 1;
            } else {
                break;
            }
        }
        parts
    }

    /// One option (without a leading `SET`), or `None` when the next token
    /// starts none.
    fn option(&mut self) -> Result<Option<Item>, ReadError> {
        let Some(keyword) = self.keyword(0) else {
            return Ok(None);
        };
        let at = self.at();
        let refused = |clause| Err(ReadError::Refused(clause, at.0, at.1));
        let item = match keyword {
            Keyword::AS => {
                self.i += 1;
                let parts = self.name();
                let ty = match parts.iter().map(String::as_str).collect::<Vec<_>>()[..] {
                    ["smallint" | "int2"] | ["pg_catalog", "int2"] => SequenceType::SmallInt,
                    ["integer" | "int" | "int4"] | ["pg_catalog", "int4"] => SequenceType::Integer,
                    ["bigint" | "int8"] | ["pg_catalog", "int8"] => SequenceType::BigInt,
                    _ => {
                        return Err(ReadError::Syntax(
                            "sequence type must be smallint, integer, or bigint".into(),
                            at.0,
                            at.1,
                        ));
                    }
                };
                Item::Option(SequenceOption::As(ty))
            }
            Keyword::INCREMENT => {
                self.i += 1;
                if self.is(0, Keyword::BY) {
                    self.i += 1;
                }
                Item::Option(SequenceOption::Increment(self.number("INCREMENT BY")?))
            }
            Keyword::MINVALUE => {
                self.i += 1;
                Item::Option(SequenceOption::MinValue(Some(self.number("MINVALUE")?)))
            }
            Keyword::MAXVALUE => {
                self.i += 1;
                Item::Option(SequenceOption::MaxValue(Some(self.number("MAXVALUE")?)))
            }
            Keyword::NO => {
                let option = match self.keyword(1) {
                    Some(Keyword::MINVALUE) => SequenceOption::MinValue(None),
                    Some(Keyword::MAXVALUE) => SequenceOption::MaxValue(None),
                    Some(Keyword::CYCLE) => SequenceOption::Cycle(false),
                    _ => {
                        self.i += 1;
                        return Err(self.syntax("expected MINVALUE, MAXVALUE or CYCLE after NO"));
                    }
                };
                self.i += 2;
                Item::Option(option)
            }
            Keyword::CYCLE => {
                self.i += 1;
                Item::Option(SequenceOption::Cycle(true))
            }
            Keyword::START => {
                self.i += 1;
                if self.is(0, Keyword::WITH) {
                    self.i += 1;
                }
                Item::Option(SequenceOption::Start(self.number("START WITH")?))
            }
            Keyword::CACHE => {
                self.i += 1;
                Item::Option(SequenceOption::Cache(self.number("CACHE")?))
            }
            Keyword::RESTART => {
                self.i += 1;
                if self.is(0, Keyword::WITH) {
                    self.i += 1;
                    self.number("RESTART WITH")?;
                } else if matches!(
                    self.tokens.get(self.i).map(|t| &t.token),
                    Some(Token::Number(..) | Token::Minus | Token::Plus)
                ) {
                    self.number("RESTART")?;
                }
                Item::Restart
            }
            Keyword::OWNED if self.is(1, Keyword::BY) => {
                self.i += 2;
                let parts = self.name();
                match parts.as_slice() {
                    [none] if none == "none" => Item::OwnedBy(None),
                    [] | [_] => {
                        return Err(self.syntax("expected `table.column` or NONE after OWNED BY"));
                    }
                    _ => Item::OwnedBy(Some(parts)),
                }
            }
            Keyword::SEQUENCE if self.is(1, Keyword::NAME) => return refused("SEQUENCE NAME"),
            Keyword::LOGGED | Keyword::UNLOGGED => return refused("SET LOGGED / SET UNLOGGED"),
            _ => return Ok(None),
        };
        Ok(Some(item))
    }
}

/// The value of an integer literal, as PostgreSQL's `int8in` reads it.
fn integer(text: &str, negative: bool) -> Result<i64, String> {
    let signed = if negative {
        format!("-{text}")
    } else {
        text.to_string()
    };
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "invalid input syntax for type bigint: \"{signed}\": a sequence option takes an integer"
        ));
    }
    signed
        .parse::<i64>()
        .map_err(|_| format!("value \"{signed}\" is out of range for type bigint"))
}

/// The value of a sequence option's expression in `CREATE SEQUENCE` or
/// identity options (`-5`, `+5`, `5`).
///
/// # Errors
/// A message when it is not an integer PostgreSQL reads as a `bigint`.
pub(crate) fn expression_value(e: &sqlparser::ast::Expr) -> Result<i64, String> {
    use sqlparser::ast::{Expr, UnaryOperator, Value};
    let (negative, e) = match e {
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => (true, expr.as_ref()),
        Expr::UnaryOp {
            op: UnaryOperator::Plus,
            expr,
        } => (false, expr.as_ref()),
        e => (false, e),
    };
    match e {
        Expr::Value(v) => match &v.value {
            Value::Number(text, _) => integer(text, negative),
            other => Err(format!("`{other}` is not an integer")),
        },
        other => Err(format!("`{other}` is not an integer")),
    }
}

/// The significant tokens of the statement at `parser`, consumed up to (not
/// including) its `;`.
pub(super) fn statement_tokens(parser: &mut Parser<'_>) -> (Vec<TokenWithSpan>, (u32, u32)) {
    let mut located = Vec::new();
    loop {
        let t = parser.peek_token();
        if matches!(t.token, Token::SemiColon | Token::EOF) {
            return (located, line_col(&t));
        }
        let t = parser.next_token();
        if !matches!(t.token, Token::Whitespace(_)) {
            located.push(t);
        }
    }
}

/// Reads `ALTER SEQUENCE [IF EXISTS] name ...;` by hand: `RENAME TO`, or
/// options, `RESTART` and `OWNED BY`.
pub(super) fn parse_alter_sequence(parser: &mut Parser<'_>) -> Result<ParsedStatement, ReadError> {
    parser.next_token(); // ALTER
    parser.next_token(); // SEQUENCE
    let (tokens, end) = statement_tokens(parser);
    let mut r = Reader {
        tokens: &tokens,
        i: 0,
        end,
    };
    let if_exists = r.is(0, Keyword::IF) && r.is(1, Keyword::EXISTS);
    if if_exists {
        r.i = 2;
    }
    let sequence = r.name();
    if sequence.is_empty() {
        return Err(r.syntax("expected a sequence name after ALTER SEQUENCE"));
    }
    if r.is(0, Keyword::RENAME) && r.is(1, Keyword::TO) {
        r.i += 2;
        return match &tokens[r.i..] {
            [name] if word_value(&name.token).is_some() => Ok(ParsedStatement::RenameSequence {
                sequence,
                if_exists,
                new_name: word_value(&name.token).unwrap_or_default(),
            }),
            _ => Err(r.syntax("expected one new name after ALTER SEQUENCE ... RENAME TO")),
        };
    }
    if r.is(0, Keyword::SET) {
        let (line, column) = r.at();
        let clause = match r.keyword(1) {
            Some(Keyword::SCHEMA) => "SET SCHEMA",
            _ => "SET LOGGED / SET UNLOGGED",
        };
        return Err(ReadError::Refused(clause, line, column));
    }
    let mut options = Vec::new();
    let mut owned_by = None;
    let mut restart = None;
    while r.i < tokens.len() {
        let (line, column) = r.at();
        match r.option()? {
            Some(Item::Option(o)) => options.push((o, line, column)),
            Some(Item::Restart) => restart = Some((line, column)),
            Some(Item::OwnedBy(owner)) => owned_by = Some(owner),
            None => {
                return Err(r.syntax(format!(
                    "unexpected `{}` in ALTER SEQUENCE",
                    tokens[r.i].token
                )));
            }
        }
    }
    Ok(ParsedStatement::AlterSequence {
        sequence,
        if_exists,
        options,
        owned_by,
        restart,
    })
}

/// True when the statement at `parser` is `ALTER TABLE [IF EXISTS] [ONLY]
/// name ALTER [COLUMN] c` followed by an identity form sqlparser does not
/// read (`SET GENERATED`, `SET <sequence option>`, `RESTART`, `DROP
/// IDENTITY`). Looks at a bounded number of tokens, consumes none.
pub(super) fn peek_alter_identity(parser: &Parser<'_>) -> bool {
    let keyword = |n: usize| match parser.peek_nth_token(n).token {
        Token::Word(w) if w.quote_style.is_none() => Some(w.keyword),
        _ => None,
    };
    if keyword(0) != Some(Keyword::ALTER) || keyword(1) != Some(Keyword::TABLE) {
        return false;
    }
    let mut n = 2;
    if keyword(n) == Some(Keyword::IF) && keyword(n + 1) == Some(Keyword::EXISTS) {
        n += 2;
    }
    if keyword(n) == Some(Keyword::ONLY) {
        n += 1;
    }
    for _ in 0..3 {
        if word_value(&parser.peek_nth_token(n).token).is_none() {
            return false;
        }
        n += 1;
        if parser.peek_nth_token(n).token == Token::Period {
            n += 1;
        } else {
            break;
        }
    }
    if keyword(n) != Some(Keyword::ALTER) {
        return false;
    }
    n += 1;
    if keyword(n) == Some(Keyword::COLUMN) {
        n += 1;
    }
    if word_value(&parser.peek_nth_token(n).token).is_none() {
        return false;
    }
    n += 1;
    match keyword(n) {
        Some(Keyword::RESTART) => true,
        Some(Keyword::DROP) => keyword(n + 1) == Some(Keyword::IDENTITY),
        Some(Keyword::SET) => matches!(
            keyword(n + 1),
            Some(
                Keyword::GENERATED
                    | Keyword::INCREMENT
                    | Keyword::START
                    | Keyword::MINVALUE
                    | Keyword::MAXVALUE
                    | Keyword::NO
                    | Keyword::CACHE
                    | Keyword::CYCLE
                    | Keyword::AS
                    | Keyword::OWNED
                    | Keyword::SEQUENCE
                    | Keyword::RESTART
                    | Keyword::LOGGED
                    | Keyword::UNLOGGED
            )
        ),
        _ => false,
    }
}

/// Reads the statement [`peek_alter_identity`] recognised.
pub(super) fn parse_alter_identity(parser: &mut Parser<'_>) -> Result<ParsedStatement, ReadError> {
    parser.next_token(); // ALTER
    parser.next_token(); // TABLE
    let (tokens, end) = statement_tokens(parser);
    let mut r = Reader {
        tokens: &tokens,
        i: 0,
        end,
    };
    let if_exists = r.is(0, Keyword::IF) && r.is(1, Keyword::EXISTS);
    if if_exists {
        r.i += 2;
    }
    if r.is(0, Keyword::ONLY) {
        r.i += 1;
    }
    let table = r.name();
    r.i += 1; // ALTER
    if r.is(0, Keyword::COLUMN) {
        r.i += 1;
    }
    let column_at = r.at();
    let column = r
        .tokens
        .get(r.i)
        .and_then(|t| word_value(&t.token))
        .ok_or_else(|| r.syntax("expected a column name"))?;
    r.i += 1;
    let alteration = if r.is(0, Keyword::DROP) && r.is(1, Keyword::IDENTITY) {
        r.i += 2;
        let if_exists = r.is(0, Keyword::IF) && r.is(1, Keyword::EXISTS);
        if if_exists {
            r.i += 2;
        }
        IdentityAlteration::Drop { if_exists }
    } else {
        let mut generated = None;
        let mut options = Vec::new();
        let mut restart = None;
        while r.i < tokens.len() && !matches!(tokens[r.i].token, Token::Comma) {
            let (line, column) = r.at();
            if r.is(0, Keyword::RESTART) {
                r.option()?;
                restart = Some((line, column));
                continue;
            }
            if !r.is(0, Keyword::SET) {
                return Err(r.syntax("expected SET or RESTART"));
            }
            r.i += 1;
            if r.is(0, Keyword::GENERATED) {
                r.i += 1;
                generated = Some(if r.is(0, Keyword::ALWAYS) {
                    r.i += 1;
                    Identity::Always
                } else if r.is(0, Keyword::BY) && r.is(1, Keyword::DEFAULT) {
                    r.i += 2;
                    Identity::ByDefault
                } else {
                    return Err(r.syntax("expected ALWAYS or BY DEFAULT after SET GENERATED"));
                });
                continue;
            }
            let (line, column) = r.at();
            match r.option()? {
                Some(Item::Option(SequenceOption::As(_))) => {
                    return Err(ReadError::Refused("SET AS", line, column));
                }
                Some(Item::Option(o)) => options.push((o, line, column)),
                Some(Item::Restart) => restart = Some((line, column)),
                Some(Item::OwnedBy(_)) => {
                    return Err(ReadError::Refused("SET OWNED BY", line, column));
                }
                None => return Err(r.syntax("expected a sequence option after SET")),
            }
        }
        IdentityAlteration::Set {
            generated,
            options,
            restart,
        }
    };
    if r.i < tokens.len() {
        let (line, column) = r.at();
        return Err(ReadError::Refused(
            "another action after an identity change",
            line,
            column,
        ));
    }
    Ok(ParsedStatement::AlterIdentity {
        table,
        if_exists,
        column,
        column_at,
        alteration,
    })
}

#[cfg(test)]
mod tests {
    use super::integer;

    #[test]
    fn integers_read_as_postgresql_reads_them() {
        assert_eq!(integer("9223372036854775808", true), Ok(i64::MIN));
        assert!(integer("9223372036854775808", false).is_err());
        assert!(integer("1.5", false).is_err());
        assert_eq!(integer("42", false), Ok(42));
    }
}
