//! `CREATE`, `DROP`, `ALTER` and `COMMENT ON` of aggregates, operators, casts,
//! collations, text-search objects, event triggers, publications and rules,
//! read by hand from the tokens (sqlparser reads none of them): the kind, the
//! object's identity and where its name is written; the statement itself is
//! carried verbatim (see `model/others.rs`). What each does to the model is
//! in `apply/others.rs`.

use sqlparser::ast::DataType;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Location, Token, TokenWithSpan};

use super::alter_sequence::ReadError;
use super::line_col;
use crate::model::others::{OtherKind, canonical_type};

/// One statement about an object of these kinds.
#[derive(Debug, Clone)]
pub struct OtherStatement {
    /// The object's kind.
    pub kind: OtherKind,
    /// What the statement does.
    pub action: OtherAction,
    /// The byte range of the (first) object's name in the statement's text
    /// (set by `parse_file`, which knows the text).
    pub name_at: Option<(usize, usize)>,
    /// The byte range of a rule's table's name in the statement's text (set
    /// by `parse_file`).
    pub table_at: Option<(usize, usize)>,
}

/// What a statement does.
#[derive(Debug, Clone)]
pub enum OtherAction {
    /// `CREATE [OR REPLACE] <kind> [IF NOT EXISTS] ...`.
    Create {
        /// `OR REPLACE` (aggregates and rules).
        or_replace: bool,
        /// `IF NOT EXISTS` (collations).
        if_not_exists: bool,
        /// What it creates.
        target: Target,
    },
    /// `DROP <kind> [IF EXISTS] target, ... [CASCADE | RESTRICT]`.
    Drop {
        /// `IF EXISTS`.
        if_exists: bool,
        /// What it drops.
        targets: Vec<Target>,
    },
    /// `ALTER <kind> target RENAME TO name`.
    Rename {
        /// What it renames.
        target: Target,
        /// The new name, folded.
        name: String,
    },
    /// `ALTER <kind> target SET SCHEMA name`.
    SetSchema {
        /// What it moves.
        target: Target,
        /// The new schema, folded.
        schema: String,
    },
    /// `ALTER <kind> target OWNER TO role` (owners of these kinds are not
    /// modelled: read and ignored).
    OwnerTo {
        /// Whose owner it sets.
        target: Target,
    },
    /// Any other `ALTER` (a text-search configuration's mappings, a
    /// publication's tables, an event trigger's `ENABLE`): carried with the object.
    Alter {
        /// What it alters.
        target: Target,
    },
    /// `COMMENT ON <kind> target IS 'text' | NULL`.
    Comment {
        /// What it comments.
        target: Target,
        /// The comment, `None` for `NULL`.
        comment: Option<String>,
    },
}

/// An object as a statement names it.
#[derive(Debug, Clone)]
pub struct Target {
    /// The schema, when the name is qualified (a rule's is its table's).
    pub schema: Option<String>,
    /// The name, folded (an operator's symbol; empty for a cast).
    pub name: String,
    /// The rest of the identity, canonical (see `OtherIdentity::args`).
    pub args: String,
    /// A rule's table, name parts folded.
    pub table: Option<Vec<String>>,
    /// Where a rule's table's name starts and ends.
    pub table_span: Option<(Location, Location)>,
    /// Where the name starts.
    pub at: Location,
    /// Where the name ends.
    pub end: Location,
}

/// The kind of object the statement at the parser's position creates, drops,
/// alters or comments, when it is one of these.
pub(super) fn statement_kind(parser: &Parser<'_>) -> Option<OtherKind> {
    let w = |n: usize| word_at(&parser.peek_nth_token(n).token);
    let at = match w(0)?.as_str() {
        "CREATE" => {
            if w(1).as_deref() == Some("OR") && w(2).as_deref() == Some("REPLACE") {
                3
            } else {
                1
            }
        }
        "DROP" | "ALTER" => 1,
        "COMMENT" if w(1).as_deref() == Some("ON") => 2,
        _ => return None,
    };
    kind_at(&|n| w(at + n)).map(|(k, _)| k)
}

/// The kind named by the words from `w(0)`, and how many words name it.
fn kind_at(w: &dyn Fn(usize) -> Option<String>) -> Option<(OtherKind, usize)> {
    let kind = match w(0)?.as_str() {
        "COLLATION" => (OtherKind::Collation, 1),
        "AGGREGATE" => (OtherKind::Aggregate, 1),
        // `OPERATOR CLASS` and `OPERATOR FAMILY` are other kinds.
        "OPERATOR" if !matches!(w(1).as_deref(), Some("CLASS" | "FAMILY")) => {
            (OtherKind::Operator, 1)
        }
        "CAST" => (OtherKind::Cast, 1),
        "PUBLICATION" => (OtherKind::Publication, 1),
        "RULE" => (OtherKind::Rule, 1),
        "EVENT" if w(1).as_deref() == Some("TRIGGER") => (OtherKind::EventTrigger, 2),
        "TEXT" if w(1).as_deref() == Some("SEARCH") => match w(2)?.as_str() {
            "CONFIGURATION" => (OtherKind::TextSearchConfiguration, 3),
            "DICTIONARY" => (OtherKind::TextSearchDictionary, 3),
            "PARSER" => (OtherKind::TextSearchParser, 3),
            "TEMPLATE" => (OtherKind::TextSearchTemplate, 3),
            _ => return None,
        },
        _ => return None,
    };
    Some(kind)
}

fn word_at(t: &Token) -> Option<String> {
    match t {
        Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
        _ => None,
    }
}

/// The statement's tokens (whitespace left out), read from the parser up to
/// its `;` outside parentheses (a rule's commands hold `;`s) or the end; the
/// `;` is left to the caller.
fn statement_tokens(parser: &mut Parser<'_>) -> Result<Vec<TokenWithSpan>, ReadError> {
    let mut out = Vec::new();
    let mut open: Vec<Location> = Vec::new();
    loop {
        let next = parser.peek_token();
        match &next.token {
            Token::EOF => break,
            Token::SemiColon if open.is_empty() => break,
            Token::LParen => open.push(next.span.start),
            Token::RParen if open.pop().is_none() => {
                let (line, column) = line_col(&next);
                return Err(ReadError::Syntax(
                    "unbalanced `)`: no `(` opens it".to_string(),
                    line,
                    column,
                ));
            }
            _ => {}
        }
        out.push(parser.next_token());
    }
    if let Some(at) = open.last() {
        return Err(ReadError::Syntax(
            "`(` is never closed".to_string(),
            u32::try_from(at.line).unwrap_or(1),
            u32::try_from(at.column).unwrap_or(1),
        ));
    }
    Ok(out)
}

/// A cursor over a statement's tokens.
struct Reader {
    tokens: Vec<TokenWithSpan>,
    i: usize,
    /// Where the statement ends (for errors at its end).
    end: Location,
}

impl Reader {
    fn peek(&self, n: usize) -> &Token {
        self.tokens
            .get(self.i + n)
            .map_or(&Token::EOF, |t| &t.token)
    }

    fn word(&self, n: usize) -> Option<String> {
        word_at(self.peek(n))
    }

    fn is(&self, n: usize, w: &str) -> bool {
        self.word(n).as_deref() == Some(w)
    }

    fn take(&mut self, w: &str) -> bool {
        if self.is(0, w) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn location(&self) -> Location {
        self.tokens.get(self.i).map_or(self.end, |t| t.span.start)
    }

    fn syntax(&self, message: impl Into<String>) -> ReadError {
        let at = self.location();
        ReadError::Syntax(
            message.into(),
            u32::try_from(at.line).unwrap_or(1),
            u32::try_from(at.column).unwrap_or(1),
        )
    }

    fn found(&self) -> String {
        match self.peek(0) {
            Token::EOF => "the end of the statement".to_string(),
            t => format!("`{t}`"),
        }
    }

    fn expect(&mut self, w: &str) -> Result<(), ReadError> {
        if self.take(w) {
            Ok(())
        } else {
            Err(self.syntax(format!("expected `{w}`, found {}", self.found())))
        }
    }

    fn expect_token(&mut self, token: &Token) -> Result<(), ReadError> {
        if self.peek(0) == token {
            self.i += 1;
            Ok(())
        } else {
            Err(self.syntax(format!("expected `{token}`, found {}", self.found())))
        }
    }

    /// The end of the token before the cursor.
    fn previous_end(&self) -> Location {
        self.i
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map_or(self.end, |t| t.span.end)
    }

    /// One identifier, folded.
    fn ident(&mut self, what: &str) -> Result<String, ReadError> {
        match self.peek(0) {
            Token::Word(w) => {
                let v = if w.quote_style.is_some() {
                    w.value.clone()
                } else {
                    w.value.to_ascii_lowercase()
                };
                self.i += 1;
                Ok(v)
            }
            _ => Err(self.syntax(format!("expected {what}, found {}", self.found()))),
        }
    }

    /// A name of up to three parts, folded.
    fn dotted(&mut self, what: &str) -> Result<Vec<String>, ReadError> {
        let mut parts = vec![self.ident(what)?];
        while self.peek(0) == &Token::Period && matches!(self.peek(1), Token::Word(_)) {
            self.i += 1;
            parts.push(self.ident(what)?);
        }
        if parts.len() > 3 {
            return Err(self.syntax(format!("`{}` is not a valid name", parts.join("."))));
        }
        Ok(parts)
    }

    /// A target named by a possibly qualified name (the last part is the name).
    fn named(&mut self, what: &str) -> Result<Target, ReadError> {
        let at = self.location();
        let mut parts = self.dotted(what)?;
        let name = parts.pop().unwrap_or_default();
        Ok(Target {
            schema: parts.pop(),
            name,
            args: String::new(),
            table: None,
            table_span: None,
            at,
            end: self.previous_end(),
        })
    }

    /// The tokens from the cursor to the matching `)` of the `(` at the
    /// cursor (both taken), split at the commas at the top level.
    fn parenthesized(&mut self) -> Result<Vec<Vec<TokenWithSpan>>, ReadError> {
        self.expect_token(&Token::LParen)?;
        let mut groups = vec![Vec::new()];
        let mut depth = 0usize;
        loop {
            let Some(t) = self.tokens.get(self.i).cloned() else {
                return Err(self.syntax("expected `)`, found the end of the statement"));
            };
            self.i += 1;
            match &t.token {
                Token::RParen if depth == 0 => break,
                Token::Comma if depth == 0 => {
                    groups.push(Vec::new());
                    continue;
                }
                Token::LParen => depth += 1,
                Token::RParen => depth = depth.saturating_sub(1),
                _ => {}
            }
            if let Some(g) = groups.last_mut() {
                g.push(t);
            }
        }
        if groups.len() == 1 && groups[0].is_empty() {
            groups.clear();
        }
        Ok(groups)
    }

    /// A string literal, or `NULL` (`None`).
    fn comment_value(&mut self) -> Result<Option<String>, ReadError> {
        if self.take("NULL") {
            return Ok(None);
        }
        let value = match self.peek(0) {
            Token::SingleQuotedString(s)
            | Token::EscapedStringLiteral(s)
            | Token::NationalStringLiteral(s) => s.clone(),
            Token::DollarQuotedString(s) => s.value.clone(),
            _ => {
                return Err(
                    self.syntax(format!("expected a string or NULL, found {}", self.found()))
                );
            }
        };
        self.i += 1;
        Ok(Some(value))
    }
}

/// A type written in `tokens`, canonical; `Err` with a message when they are
/// not one type.
fn type_of(tokens: &[TokenWithSpan]) -> Result<String, String> {
    if tokens.is_empty() {
        return Err("expected a type".to_string());
    }
    if let [t] = tokens
        && let Some(w) = word_at(&t.token)
        && w == "NONE"
    {
        return Ok("NONE".to_string());
    }
    let dialect = PostgreSqlDialect {};
    let mut parser = Parser::new(&dialect).with_tokens_with_locations(tokens.to_vec());
    let ty: DataType = parser.parse_data_type().map_err(|e| e.to_string())?;
    if parser.peek_token().token != Token::EOF {
        return Err(format!(
            "unexpected `{}` after the type",
            parser.peek_token().token
        ));
    }
    Ok(canonical_type(&ty))
}

/// One argument of an aggregate's signature, `[mode] [name] type`: its type.
fn argument_type(tokens: &[TokenWithSpan]) -> Result<String, String> {
    let mut rest = tokens;
    if let Some(first) = rest.first()
        && matches!(word_at(&first.token).as_deref(), Some("IN" | "VARIADIC"))
        && rest.len() > 1
    {
        rest = &rest[1..];
    }
    match type_of(rest) {
        Ok(t) => Ok(t),
        // `name type`: the first word is the argument's name.
        Err(e) if rest.len() > 1 && matches!(rest[0].token, Token::Word(_)) => {
            type_of(&rest[1..]).map_err(|_| e)
        }
        Err(e) => Err(e),
    }
}

/// The located error of a type that could not be read.
fn type_error(tokens: &[TokenWithSpan], fallback: Location, message: &str) -> ReadError {
    let at = tokens.first().map_or(fallback, |t| t.span.start);
    ReadError::Syntax(
        format!("cannot read this type: {message}"),
        u32::try_from(at.line).unwrap_or(1),
        u32::try_from(at.column).unwrap_or(1),
    )
}

/// An aggregate's signature from its parenthesized groups (`*`, `type, ...`,
/// `[types] ORDER BY types`).
fn aggregate_signature(groups: &[Vec<TokenWithSpan>], at: Location) -> Result<String, ReadError> {
    if let [g] = groups
        && let [t] = g.as_slice()
        && t.token == Token::Mul
    {
        return Ok("*".to_string());
    }
    let mut direct = Vec::new();
    let mut ordered = Vec::new();
    let mut in_order = false;
    for g in groups {
        let mut g = g.as_slice();
        // `ORDER BY` splits the group it is in.
        if let Some(p) = g.windows(2).position(|w| {
            word_at(&w[0].token).as_deref() == Some("ORDER")
                && word_at(&w[1].token).as_deref() == Some("BY")
        }) {
            if p > 0 {
                let t = argument_type(&g[..p]).map_err(|m| type_error(&g[..p], at, &m))?;
                direct.push(t);
            }
            in_order = true;
            g = &g[p + 2..];
        }
        let t = argument_type(g).map_err(|m| type_error(g, at, &m))?;
        if in_order {
            ordered.push(t);
        } else {
            direct.push(t);
        }
    }
    let mut out = direct.join(", ");
    if in_order {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str("ORDER BY ");
        out.push_str(&ordered.join(", "));
    }
    Ok(out)
}

/// `key = value` items of an option list, keys upper case; `None` when an
/// item has no `=` (not an option list).
fn options(groups: &[Vec<TokenWithSpan>]) -> Option<Vec<(String, Vec<TokenWithSpan>)>> {
    groups
        .iter()
        .map(|g| {
            let key = word_at(&g.first()?.token)?;
            match g.get(1).map(|t| &t.token) {
                Some(Token::Eq) => Some((key, g[2..].to_vec())),
                // `HYPOTHETICAL`, `DETERMINISTIC` without a value.
                None => Some((key, Vec::new())),
                _ => None,
            }
        })
        .collect()
}

/// Reads one statement the parser is at (its kind as [`statement_kind`] gives it).
pub(super) fn parse(parser: &mut Parser<'_>, kind: OtherKind) -> Result<OtherStatement, ReadError> {
    let tokens = statement_tokens(parser)?;
    let end = tokens.last().map_or(Location::of(1, 1), |t| t.span.end);
    let mut r = Reader { tokens, i: 0, end };
    let verb = r.word(0).unwrap_or_default();
    r.i += 1;
    let kind_words = kind.keyword().split(' ').count();
    let action = match verb.as_str() {
        "CREATE" => {
            let or_replace = r.take("OR");
            if or_replace {
                r.expect("REPLACE")?;
                if !matches!(kind, OtherKind::Aggregate | OtherKind::Rule) {
                    return Err(r.syntax(format!(
                        "`CREATE OR REPLACE {kind}` does not exist in PostgreSQL"
                    )));
                }
            }
            r.i += kind_words;
            let if_not_exists = kind == OtherKind::Collation && r.is(0, "IF");
            if if_not_exists {
                r.i += 1;
                r.expect("NOT")?;
                r.expect("EXISTS")?;
            }
            let target = create_target(&mut r, kind)?;
            OtherAction::Create {
                or_replace,
                if_not_exists,
                target,
            }
        }
        "DROP" => {
            r.i += kind_words;
            let if_exists = r.is(0, "IF");
            if if_exists {
                r.i += 1;
                r.expect("EXISTS")?;
            }
            let mut targets = vec![target(&mut r, kind)?];
            while r.peek(0) == &Token::Comma && kind != OtherKind::Rule {
                r.i += 1;
                targets.push(target(&mut r, kind)?);
            }
            if !(r.take("CASCADE") || r.take("RESTRICT")) && r.peek(0) != &Token::EOF {
                return Err(r.syntax(format!(
                    "expected `,`, `CASCADE`, `RESTRICT` or `;`, found {}",
                    r.found()
                )));
            }
            OtherAction::Drop { if_exists, targets }
        }
        "ALTER" => {
            r.i += kind_words;
            if kind == OtherKind::Cast {
                return Err(
                    r.syntax("PostgreSQL has no `ALTER CAST`: drop the cast and create it again")
                );
            }
            let target = target(&mut r, kind)?;
            if r.is(0, "RENAME") && r.is(1, "TO") {
                r.i += 2;
                let name = r.ident("the new name")?;
                OtherAction::Rename { target, name }
            } else if r.is(0, "SET") && r.is(1, "SCHEMA") {
                r.i += 2;
                let schema = r.ident("a schema name")?;
                OtherAction::SetSchema { target, schema }
            } else if r.is(0, "OWNER") && r.is(1, "TO") {
                r.i += 2;
                r.ident("a role")?;
                OtherAction::OwnerTo { target }
            } else if r.peek(0) == &Token::EOF {
                return Err(r.syntax(format!("expected what to alter, found {}", r.found())));
            } else {
                r.i = r.tokens.len();
                OtherAction::Alter { target }
            }
        }
        _ => {
            // COMMENT ON <kind> target IS ...
            r.i += 1 + kind_words;
            let target = target(&mut r, kind)?;
            r.expect("IS")?;
            let comment = r.comment_value()?;
            OtherAction::Comment { target, comment }
        }
    };
    if r.i < r.tokens.len() && !matches!(action, OtherAction::Create { .. }) {
        return Err(r.syntax(format!("expected `;`, found {}", r.found())));
    }
    Ok(OtherStatement {
        kind,
        action,
        name_at: None,
        table_at: None,
    })
}

/// The object a `DROP`, `ALTER` or `COMMENT ON` names.
fn target(r: &mut Reader, kind: OtherKind) -> Result<Target, ReadError> {
    match kind {
        OtherKind::Cast => cast_target(r),
        OtherKind::Operator => {
            let mut t = operator_name(r)?;
            let at = r.location();
            let groups = r.parenthesized()?;
            let types = groups
                .iter()
                .map(|g| type_of(g).map_err(|m| type_error(g, at, &m)))
                .collect::<Result<Vec<_>, _>>()?;
            if types.len() != 2 {
                return Err(ReadError::Syntax(
                    "an operator is named with its two argument types: `(left, right)`, `NONE` for a missing one".to_string(),
                    u32::try_from(at.line).unwrap_or(1),
                    u32::try_from(at.column).unwrap_or(1),
                ));
            }
            t.args = types.join(", ");
            Ok(t)
        }
        OtherKind::Aggregate => {
            let mut t = r.named("an aggregate name")?;
            let at = r.location();
            let groups = r.parenthesized()?;
            t.args = aggregate_signature(&groups, at)?;
            Ok(t)
        }
        OtherKind::Rule => {
            let mut t = r.named("a rule name")?;
            r.expect("ON")?;
            let at = r.location();
            t.table = Some(r.dotted("a table name")?);
            t.table_span = Some((at, r.previous_end()));
            Ok(t)
        }
        _ => r.named(&format!("a {} name", kind.describe())),
    }
}

/// `(source AS target)`.
fn cast_target(r: &mut Reader) -> Result<Target, ReadError> {
    let at = r.location();
    let groups = r.parenthesized()?;
    let end = r.previous_end();
    let [group] = groups.as_slice() else {
        return Err(ReadError::Syntax(
            "expected `(source_type AS target_type)`".to_string(),
            u32::try_from(at.line).unwrap_or(1),
            u32::try_from(at.column).unwrap_or(1),
        ));
    };
    let Some(p) = group
        .iter()
        .position(|t| word_at(&t.token).as_deref() == Some("AS"))
    else {
        return Err(ReadError::Syntax(
            "expected `(source_type AS target_type)`".to_string(),
            u32::try_from(at.line).unwrap_or(1),
            u32::try_from(at.column).unwrap_or(1),
        ));
    };
    let source = type_of(&group[..p]).map_err(|m| type_error(&group[..p], at, &m))?;
    let target = type_of(&group[p + 1..]).map_err(|m| type_error(&group[p + 1..], at, &m))?;
    Ok(Target {
        schema: None,
        name: String::new(),
        args: format!("{source} AS {target}"),
        table: None,
        table_span: None,
        at,
        end,
    })
}

/// An operator's name: `[schema.]symbol`.
fn operator_name(r: &mut Reader) -> Result<Target, ReadError> {
    let at = r.location();
    let schema = if matches!(r.peek(0), Token::Word(_)) && r.peek(1) == &Token::Period {
        let s = r.ident("a schema name")?;
        r.i += 1;
        Some(s)
    } else {
        None
    };
    let mut symbol = String::new();
    while !matches!(r.peek(0), Token::LParen | Token::EOF | Token::Word(_)) && symbol.len() < 64 {
        symbol.push_str(&r.peek(0).to_string());
        r.i += 1;
    }
    if symbol.is_empty() {
        return Err(r.syntax(format!("expected an operator, found {}", r.found())));
    }
    Ok(Target {
        schema,
        name: symbol,
        args: String::new(),
        table: None,
        table_span: None,
        at,
        end: r.previous_end(),
    })
}

/// What a `CREATE` creates: its name and, for aggregates and operators, the
/// identity its definition gives; the rest of the statement is carried.
fn create_target(r: &mut Reader, kind: OtherKind) -> Result<Target, ReadError> {
    let target = match kind {
        OtherKind::Cast => cast_target(r)?,
        OtherKind::Operator => {
            let mut t = operator_name(r)?;
            let at = r.location();
            let groups = r.parenthesized()?;
            let opts = options(&groups).ok_or_else(|| {
                ReadError::Syntax(
                    "expected `(FUNCTION = name, LEFTARG = type, RIGHTARG = type, ...)`"
                        .to_string(),
                    u32::try_from(at.line).unwrap_or(1),
                    u32::try_from(at.column).unwrap_or(1),
                )
            })?;
            let side = |key: &str| -> Result<String, ReadError> {
                match opts.iter().find(|(k, _)| k == key) {
                    Some((_, v)) => type_of(v).map_err(|m| type_error(v, at, &m)),
                    None => Ok("NONE".to_string()),
                }
            };
            t.args = format!("{}, {}", side("LEFTARG")?, side("RIGHTARG")?);
            t
        }
        OtherKind::Aggregate => {
            let mut t = r.named("an aggregate name")?;
            let at = r.location();
            let groups = r.parenthesized()?;
            // The old form: `(BASETYPE = type, SFUNC = ..., ...)`.
            let old = options(&groups).filter(|o| o.iter().any(|(k, _)| k == "BASETYPE"));
            t.args = match old {
                Some(o) => {
                    let base = o
                        .iter()
                        .find(|(k, _)| k == "BASETYPE")
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default();
                    let ty = type_of(&base).map_err(|m| type_error(&base, at, &m))?;
                    if ty == "\"any\"" { "*".to_string() } else { ty }
                }
                None => {
                    let args = aggregate_signature(&groups, at)?;
                    if r.peek(0) != &Token::LParen {
                        return Err(r.syntax(format!(
                            "expected the aggregate's options `(SFUNC = name, STYPE = type, ...)`, found {}",
                            r.found()
                        )));
                    }
                    r.parenthesized()?;
                    args
                }
            };
            t
        }
        OtherKind::Rule => {
            let mut t = r.named("a rule name")?;
            r.expect("AS")?;
            r.expect("ON")?;
            if !matches!(
                r.word(0).as_deref(),
                Some("SELECT" | "INSERT" | "UPDATE" | "DELETE")
            ) {
                return Err(r.syntax(format!(
                    "expected `SELECT`, `INSERT`, `UPDATE` or `DELETE`, found {}",
                    r.found()
                )));
            }
            r.i += 1;
            r.expect("TO")?;
            let at = r.location();
            t.table = Some(r.dotted("a table name")?);
            t.table_span = Some((at, r.previous_end()));
            let Some(p) = r.tokens[r.i..]
                .iter()
                .position(|t| word_at(&t.token).as_deref() == Some("DO"))
            else {
                return Err(r.syntax(format!("expected `DO`, found {}", r.found())));
            };
            r.i += p + 1;
            if r.peek(0) == &Token::EOF {
                return Err(r.syntax("expected the rule's command after `DO`"));
            }
            t
        }
        OtherKind::EventTrigger => {
            let t = r.named("an event trigger name")?;
            r.expect("ON")?;
            r.ident("an event")?;
            if !r.tokens[r.i..]
                .iter()
                .any(|t| word_at(&t.token).as_deref() == Some("EXECUTE"))
            {
                return Err(r.syntax(format!(
                    "expected `EXECUTE FUNCTION name()`, found {}",
                    r.found()
                )));
            }
            t
        }
        OtherKind::Publication => r.named("a publication name")?,
        _ => {
            let t = r.named(&format!("a {} name", kind.describe()))?;
            if kind == OtherKind::Collation && r.take("FROM") {
                r.dotted("a collation name")?;
            } else if r.peek(0) == &Token::LParen {
                r.parenthesized()?;
            } else {
                return Err(r.syntax(format!(
                    "expected `(option = value, ...)`, found {}",
                    r.found()
                )));
            }
            if r.i < r.tokens.len() {
                return Err(r.syntax(format!("expected `;`, found {}", r.found())));
            }
            t
        }
    };
    r.i = r.tokens.len();
    Ok(target)
}

/// Where the (first) object's name is written: its first and last token's
/// start and end.
pub(super) fn name_span(statement: &OtherStatement) -> Option<(Location, Location)> {
    let t = named_target(statement)?;
    (t.at.line > 0 && t.end.line > 0).then_some((t.at, t.end))
}

/// Where a rule's table is written.
pub(super) fn table_span(statement: &OtherStatement) -> Option<(Location, Location)> {
    named_target(statement)?.table_span
}

/// The (first) object a statement names.
fn named_target(statement: &OtherStatement) -> Option<&Target> {
    Some(match &statement.action {
        OtherAction::Create { target, .. }
        | OtherAction::Rename { target, .. }
        | OtherAction::SetSchema { target, .. }
        | OtherAction::OwnerTo { target }
        | OtherAction::Alter { target }
        | OtherAction::Comment { target, .. } => target,
        OtherAction::Drop { targets, .. } => targets.first()?,
    })
}

/// The diagnostic of a statement this module could not read.
pub(super) fn read_error(
    e: ReadError,
    kind: &str,
    source: &std::sync::Arc<crate::diagnostic::Source>,
    origin: &crate::diagnostic::Origin,
) -> crate::diagnostic::Diagnostic {
    super::hand_read_error(
        e,
        kind,
        source,
        origin,
        "write the statement as PostgreSQL's documentation spells it (for example `CREATE COLLATION name (provider = icu, locale = 'de')`, `CREATE AGGREGATE name (type) (SFUNC = f, STYPE = type)`, `CREATE OPERATOR === (FUNCTION = f, LEFTARG = type, RIGHTARG = type)`, `CREATE CAST (a AS b) WITH FUNCTION f(a)`)",
        "remove it; if the database needs it, apply it from a separate SQL file run after migrations",
    )
}

#[cfg(test)]
mod tests {
    use super::super::{ParsedStatement, parse_file};
    use super::*;
    use crate::diagnostic::Source;

    fn read(sql: &str) -> Result<Vec<OtherStatement>, Vec<String>> {
        let (file, diags) = parse_file(&Source::new("t.sql", sql));
        if !diags.is_empty() {
            return Err(diags.iter().map(|d| format!("{d:?}")).collect());
        }
        Ok(file
            .statements
            .into_iter()
            .filter_map(|s| match s.statement {
                ParsedStatement::Other(o) => Some(*o),
                _ => None,
            })
            .collect())
    }

    fn target_of(s: &OtherStatement) -> &Target {
        match &s.action {
            OtherAction::Create { target, .. }
            | OtherAction::Rename { target, .. }
            | OtherAction::SetSchema { target, .. }
            | OtherAction::OwnerTo { target }
            | OtherAction::Alter { target }
            | OtherAction::Comment { target, .. } => target,
            OtherAction::Drop { targets, .. } => &targets[0],
        }
    }

    #[test]
    fn each_kind_is_read_with_its_identity() {
        let cases: &[(&str, OtherKind, &str, &str)] = &[
            (
                "CREATE COLLATION german_phonebook (provider = icu, locale = 'de-u-co-phonebk')",
                OtherKind::Collation,
                "german_phonebook",
                "",
            ),
            (
                "CREATE COLLATION IF NOT EXISTS app.\"C2\" FROM \"C\"",
                OtherKind::Collation,
                "C2",
                "",
            ),
            (
                "CREATE TEXT SEARCH CONFIGURATION my_english (COPY = english)",
                OtherKind::TextSearchConfiguration,
                "my_english",
                "",
            ),
            (
                "CREATE AGGREGATE myavg (int4) (SFUNC = int4_avg_accum, STYPE = _int8)",
                OtherKind::Aggregate,
                "myavg",
                "integer",
            ),
            (
                "CREATE OR REPLACE AGGREGATE pct (float8 ORDER BY x numeric) (SFUNC = f, STYPE = internal)",
                OtherKind::Aggregate,
                "pct",
                "double precision ORDER BY numeric",
            ),
            (
                "CREATE AGGREGATE cnt (*) (SFUNC = int8inc, STYPE = int8)",
                OtherKind::Aggregate,
                "cnt",
                "*",
            ),
            (
                "CREATE AGGREGATE old (BASETYPE = int, SFUNC = f, STYPE = int)",
                OtherKind::Aggregate,
                "old",
                "integer",
            ),
            (
                "CREATE OPERATOR === (LEFTARG = box, RIGHTARG = box, FUNCTION = area_equal_function)",
                OtherKind::Operator,
                "===",
                "box, box",
            ),
            (
                "CREATE OPERATOR app.!# (RIGHTARG = int, PROCEDURE = f)",
                OtherKind::Operator,
                "!#",
                "NONE, integer",
            ),
            (
                "CREATE CAST (bigint AS int4) WITH FUNCTION int4(bigint) AS ASSIGNMENT",
                OtherKind::Cast,
                "",
                "bigint AS integer",
            ),
            (
                "CREATE EVENT TRIGGER abort_ddl ON ddl_command_start EXECUTE FUNCTION abort_any_command()",
                OtherKind::EventTrigger,
                "abort_ddl",
                "",
            ),
            (
                "CREATE PUBLICATION mypublication FOR TABLE users, departments",
                OtherKind::Publication,
                "mypublication",
                "",
            ),
            (
                "CREATE RULE r AS ON INSERT TO t DO INSTEAD (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))",
                OtherKind::Rule,
                "r",
                "",
            ),
        ];
        for (sql, kind, name, args) in cases {
            let read = read(sql).unwrap_or_else(|e| panic!("{sql}: {e:?}"));
            assert_eq!(read.len(), 1, "{sql}");
            assert_eq!(read[0].kind, *kind, "{sql}");
            let t = target_of(&read[0]);
            assert_eq!((t.name.as_str(), t.args.as_str()), (*name, *args), "{sql}");
        }
    }

    #[test]
    fn drops_alters_and_comments_name_their_objects() {
        let read = read(
            "DROP AGGREGATE IF EXISTS myavg(integer), b(text) CASCADE;\n\
             ALTER TEXT SEARCH CONFIGURATION my_english ALTER MAPPING FOR asciiword WITH english_stem;\n\
             ALTER COLLATION a RENAME TO b;\nALTER PUBLICATION p OWNER TO bob;\n\
             COMMENT ON CAST (text AS int) IS 'c';\nDROP RULE r ON app.t;\n\
             DROP OPERATOR === (box, box);",
        )
        .unwrap();
        assert!(
            matches!(&read[0].action, OtherAction::Drop { if_exists: true, targets } if targets.len() == 2 && targets[1].args == "text")
        );
        assert!(
            matches!(&read[1].action, OtherAction::Alter { target } if target.name == "my_english")
        );
        assert!(matches!(&read[2].action, OtherAction::Rename { name, .. } if name == "b"));
        assert!(matches!(&read[3].action, OtherAction::OwnerTo { .. }));
        assert!(
            matches!(&read[4].action, OtherAction::Comment { target, comment: Some(c) } if target.args == "text AS integer" && c == "c")
        );
        assert!(
            matches!(&read[5].action, OtherAction::Drop { targets, .. } if targets[0].table == Some(vec!["app".to_string(), "t".to_string()]))
        );
        assert!(
            matches!(&read[6].action, OtherAction::Drop { targets, .. } if targets[0].args == "box, box")
        );
    }

    #[test]
    fn hostile_statements_are_located_errors_not_panics() {
        let giant = format!(
            "CREATE COLLATION c ({});",
            (0..5000)
                .map(|i| format!("k{i} = 'v'"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        assert!(read(&giant).is_ok());
        for sql in [
            "CREATE AGGREGATE",
            "CREATE AGGREGATE a (int",
            "CREATE AGGREGATE a (int) (SFUNC = f",
            "CREATE OPERATOR (",
            "CREATE OPERATOR === )",
            "CREATE CAST (int)",
            "CREATE CAST (int AS)",
            "CREATE RULE r AS ON INSERT TO t",
            "CREATE RULE r AS ON INSERT TO t DO",
            "CREATE EVENT TRIGGER e ON ddl_command_end",
            "CREATE COLLATION c",
            "CREATE TEXT SEARCH DICTIONARY d (((((",
            "DROP OPERATOR === (int)",
            "DROP COLLATION a b",
            "ALTER CAST (int AS text) OWNER TO x",
            "ALTER COLLATION c",
            "COMMENT ON COLLATION c IS",
            "COMMENT ON RULE r IS 'x'",
            "CREATE OR REPLACE COLLATION c (locale = 'x')",
            ")))",
        ] {
            let e = read(sql).expect_err(sql);
            assert!(
                !e.is_empty() && e.iter().all(|d| d.contains("origin: Some(t.sql:")),
                "{sql}: {e:?}"
            );
        }
    }
}
