//! `CREATE [OR REPLACE] [CONSTRAINT] TRIGGER` and `COMMENT ON {TRIGGER |
//! POLICY} name ON table`, read by hand on sqlparser's parser: sqlparser reads
//! a trigger function's arguments as parameter declarations (PostgreSQL's are
//! literals) and has no `COMMENT ON TRIGGER`. The same reader reads
//! `pg_get_triggerdef` back ([`read_trigger_definition`]). What each form does
//! to the model is in `apply/triggers.rs`.

use sqlparser::ast::{Expr, Ident, ObjectName};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Location, Token};

/// `CREATE [OR REPLACE] [CONSTRAINT] TRIGGER ...`, as written.
#[derive(Debug, Clone)]
pub struct CreateTrigger {
    /// `OR REPLACE`.
    pub or_replace: bool,
    /// `CONSTRAINT`.
    pub constraint: bool,
    /// The trigger's name.
    pub name: Ident,
    /// `BEFORE`, `AFTER` or `INSTEAD OF`.
    pub timing: crate::model::TriggerTiming,
    /// The events, as written, each where it starts: `UPDATE` with its `OF` columns.
    pub events: Vec<(WrittenEvent, Location)>,
    /// The table.
    pub table: ObjectName,
    /// `FROM table` (constraint triggers).
    pub from: Option<ObjectName>,
    /// `[NOT] DEFERRABLE`: `Some(true)` for `DEFERRABLE`, with where it starts.
    pub deferrable: Option<(bool, Location)>,
    /// `INITIALLY DEFERRED` (`Some(true)`) or `IMMEDIATE`, with where it starts.
    pub initially_deferred: Option<(bool, Location)>,
    /// `REFERENCING OLD TABLE [AS] name`.
    pub old_table: Option<(Ident, Location)>,
    /// `REFERENCING NEW TABLE [AS] name`.
    pub new_table: Option<(Ident, Location)>,
    /// `FOR [EACH] ROW` (`Some(true)`) or `STATEMENT`, with where it starts.
    pub for_each_row: Option<(bool, Location)>,
    /// `WHEN (condition)`, with where the condition starts.
    pub when: Option<(Expr, Location)>,
    /// The function.
    pub function: ObjectName,
    /// Its arguments as PostgreSQL keeps them: each literal's text.
    pub arguments: Vec<String>,
}

/// One event of a trigger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WrittenEvent {
    /// `INSERT`.
    Insert,
    /// `DELETE`.
    Delete,
    /// `UPDATE [OF column, ...]`.
    Update(Vec<Ident>),
    /// `TRUNCATE`.
    Truncate,
}

/// What `COMMENT ON TRIGGER|POLICY` comments on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableObjectKind {
    /// `TRIGGER`.
    Trigger,
    /// `POLICY`.
    Policy,
}

impl TableObjectKind {
    /// The SQL word.
    pub fn keyword(self) -> &'static str {
        match self {
            TableObjectKind::Trigger => "TRIGGER",
            TableObjectKind::Policy => "POLICY",
        }
    }
}

/// `COMMENT ON {TRIGGER | POLICY} name ON table IS {'text' | NULL}`.
#[derive(Debug, Clone)]
pub struct CommentOnTableObject {
    /// Trigger or policy.
    pub kind: TableObjectKind,
    /// Its name.
    pub name: Ident,
    /// Its table.
    pub table: ObjectName,
    /// The comment, `None` for `IS NULL`.
    pub comment: Option<String>,
}

/// True when a statement's leading keywords (see `statement_kind`) are
/// those of `CREATE [OR REPLACE] [CONSTRAINT] TRIGGER`.
pub(super) fn is_create_trigger(kind: &str) -> bool {
    [
        "CREATE TRIGGER",
        "CREATE CONSTRAINT TRIGGER",
        "CREATE OR REPLACE TRIGGER",
        "CREATE OR REPLACE CONSTRAINT TRIGGER",
    ]
    .iter()
    .any(|k| {
        kind.strip_prefix(k)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
    })
}

fn start(parser: &Parser<'_>) -> Location {
    parser.peek_token().span.start
}

/// Reads `CREATE [OR REPLACE] [CONSTRAINT] TRIGGER name {BEFORE | AFTER |
/// INSTEAD OF} event [OR ...] ON table [FROM reftable] [NOT DEFERRABLE |
/// [DEFERRABLE] [INITIALLY {IMMEDIATE | DEFERRED}]] [REFERENCING {OLD | NEW}
/// TABLE [AS] name ...] [FOR [EACH] {ROW | STATEMENT}] [WHEN (condition)]
/// EXECUTE {FUNCTION | PROCEDURE} name(arguments)`.
///
/// # Errors
/// What is not such a statement, located.
pub fn parse_create_trigger(parser: &mut Parser<'_>) -> Result<CreateTrigger, ParserError> {
    parser.expect_keyword_is(Keyword::CREATE)?;
    let or_replace = parser.parse_keywords(&[Keyword::OR, Keyword::REPLACE]);
    let constraint = parser.parse_keyword(Keyword::CONSTRAINT);
    parser.expect_keyword_is(Keyword::TRIGGER)?;
    let name = parser.parse_identifier()?;
    let timing = match parser.expect_one_of_keywords(&[
        Keyword::BEFORE,
        Keyword::AFTER,
        Keyword::INSTEAD,
    ])? {
        Keyword::BEFORE => crate::model::TriggerTiming::Before,
        Keyword::AFTER => crate::model::TriggerTiming::After,
        _ => {
            parser.expect_keyword_is(Keyword::OF)?;
            crate::model::TriggerTiming::InsteadOf
        }
    };
    let mut events = Vec::new();
    loop {
        let at = start(parser);
        let event = match parser.expect_one_of_keywords(&[
            Keyword::INSERT,
            Keyword::UPDATE,
            Keyword::DELETE,
            Keyword::TRUNCATE,
        ])? {
            Keyword::INSERT => WrittenEvent::Insert,
            Keyword::DELETE => WrittenEvent::Delete,
            Keyword::TRUNCATE => WrittenEvent::Truncate,
            _ => {
                if parser.parse_keyword(Keyword::OF) {
                    WrittenEvent::Update(parser.parse_comma_separated(Parser::parse_identifier)?)
                } else {
                    WrittenEvent::Update(Vec::new())
                }
            }
        };
        events.push((event, at));
        if !parser.parse_keyword(Keyword::OR) {
            break;
        }
    }
    parser.expect_keyword_is(Keyword::ON)?;
    let table = parser.parse_object_name(false)?;
    let from = if parser.parse_keyword(Keyword::FROM) {
        Some(parser.parse_object_name(false)?)
    } else {
        None
    };
    let mut deferrable = None;
    let mut initially_deferred = None;
    loop {
        let at = start(parser);
        if parser.parse_keywords(&[Keyword::NOT, Keyword::DEFERRABLE]) {
            deferrable = Some((false, at));
        } else if parser.parse_keyword(Keyword::DEFERRABLE) {
            deferrable = Some((true, at));
        } else if parser.parse_keyword(Keyword::INITIALLY) {
            let deferred = matches!(
                parser.expect_one_of_keywords(&[Keyword::DEFERRED, Keyword::IMMEDIATE])?,
                Keyword::DEFERRED
            );
            initially_deferred = Some((deferred, at));
        } else {
            break;
        }
    }
    let mut old_table = None;
    let mut new_table = None;
    if parser.parse_keyword(Keyword::REFERENCING) {
        loop {
            let at = start(parser);
            let old = match parser.parse_one_of_keywords(&[Keyword::OLD, Keyword::NEW]) {
                Some(Keyword::OLD) => true,
                Some(_) => false,
                None => break,
            };
            if !parser.parse_keyword(Keyword::TABLE) {
                let next = parser.peek_token();
                return parser.expected("TABLE (transition relations are tables)", next);
            }
            let _ = parser.parse_keyword(Keyword::AS);
            let name = parser.parse_identifier()?;
            if old {
                old_table = Some((name, at));
            } else {
                new_table = Some((name, at));
            }
        }
        if old_table.is_none() && new_table.is_none() {
            let next = parser.peek_token();
            return parser.expected("OLD TABLE or NEW TABLE after REFERENCING", next);
        }
    }
    let for_each_row = {
        let at = start(parser);
        if parser.parse_keyword(Keyword::FOR) {
            let _ = parser.parse_keyword(Keyword::EACH);
            let row = matches!(
                parser.expect_one_of_keywords(&[Keyword::ROW, Keyword::STATEMENT])?,
                Keyword::ROW
            );
            Some((row, at))
        } else {
            None
        }
    };
    let when = if parser.parse_keyword(Keyword::WHEN) {
        parser.expect_token(&Token::LParen)?;
        let at = start(parser);
        let e = parser.parse_expr()?;
        parser.expect_token(&Token::RParen)?;
        Some((e, at))
    } else {
        None
    };
    parser.expect_keyword_is(Keyword::EXECUTE)?;
    parser.expect_one_of_keywords(&[Keyword::FUNCTION, Keyword::PROCEDURE])?;
    let function = parser.parse_object_name(false)?;
    parser.expect_token(&Token::LParen)?;
    let mut arguments = Vec::new();
    if !parser.consume_token(&Token::RParen) {
        loop {
            let next = parser.next_token();
            let text = match &next.token {
                Token::SingleQuotedString(s) | Token::EscapedStringLiteral(s) => s.clone(),
                // PostgreSQL keeps an integer as the number it reads
                // (`007` is `'7'`), any other number as written.
                Token::Number(n, _) => n
                    .parse::<i32>()
                    .ok()
                    .filter(|_| n.bytes().all(|b| b.is_ascii_digit()))
                    .map_or_else(|| n.clone(), |i| i.to_string()),
                Token::Word(w) if w.quote_style.is_none() => w.value.to_ascii_lowercase(),
                Token::Word(w) => w.value.clone(),
                _ => return parser.expected("a literal argument (string, number or name)", next),
            };
            arguments.push(text);
            if parser.consume_token(&Token::RParen) {
                break;
            }
            parser.expect_token(&Token::Comma)?;
        }
    }
    Ok(CreateTrigger {
        or_replace,
        constraint,
        name,
        timing,
        events,
        table,
        from,
        deferrable,
        initially_deferred,
        old_table,
        new_table,
        for_each_row,
        when,
        function,
        arguments,
    })
}

/// Reads `COMMENT ON {TRIGGER | POLICY} name ON table IS {'text' | NULL}`.
///
/// # Errors
/// What is not such a statement, located.
pub fn parse_comment_on_table_object(
    parser: &mut Parser<'_>,
) -> Result<CommentOnTableObject, ParserError> {
    parser.expect_keyword_is(Keyword::COMMENT)?;
    parser.expect_keyword_is(Keyword::ON)?;
    let kind = match parser.expect_one_of_keywords(&[Keyword::TRIGGER, Keyword::POLICY])? {
        Keyword::TRIGGER => TableObjectKind::Trigger,
        _ => TableObjectKind::Policy,
    };
    let name = parser.parse_identifier()?;
    parser.expect_keyword_is(Keyword::ON)?;
    let table = parser.parse_object_name(false)?;
    let comment = super::parse_comment_is(parser)?;
    Ok(CommentOnTableObject {
        kind,
        name,
        table,
        comment,
    })
}

/// Reads a whole trigger definition (`pg_get_triggerdef`'s text), with the
/// reader of the user's own text.
///
/// # Errors
/// The parser's message when it is not one `CREATE TRIGGER` statement.
pub fn read_trigger_definition(sql: &str) -> Result<CreateTrigger, String> {
    let mut parser = Parser::new(&PostgreSqlDialect {})
        .with_recursion_limit(50)
        .try_with_sql(sql)
        .map_err(|e| e.to_string())?;
    let out = parse_create_trigger(&mut parser).map_err(|e| e.to_string())?;
    let _ = parser.consume_token(&Token::SemiColon);
    if parser.peek_token().token != Token::EOF {
        return Err(format!(
            "unexpected `{}` after the trigger",
            parser.peek_token()
        ));
    }
    Ok(out)
}

impl CreateTrigger {
    /// The trigger this statement creates (enabled, without a comment), or
    /// why it is not one the model can hold. `replay` checks more, with
    /// locations (`apply/triggers.rs`); introspection reads PostgreSQL's own
    /// text with it.
    ///
    /// # Errors
    /// A name that is not one, or an event listed twice.
    pub fn to_model(
        &self,
        origin: crate::diagnostic::Origin,
    ) -> Result<crate::model::Trigger, String> {
        use crate::model::names::{fold_ident, object_name_parts};
        let qualified = |name: &ObjectName| match object_name_parts(name).as_slice() {
            [n] => Ok(crate::model::QualifiedName::public(n.clone())),
            [s, n] | [_, s, n] => Ok(crate::model::QualifiedName::new(s.clone(), n.clone())),
            _ => Err(format!("`{name}` is not a valid object name")),
        };
        let mut events = crate::model::TriggerEvents::default();
        for (event, _) in &self.events {
            let twice = match event {
                WrittenEvent::Insert => std::mem::replace(&mut events.insert, true),
                WrittenEvent::Delete => std::mem::replace(&mut events.delete, true),
                WrittenEvent::Truncate => std::mem::replace(&mut events.truncate, true),
                WrittenEvent::Update(cols) => events
                    .update
                    .replace(cols.iter().map(fold_ident).collect())
                    .is_some(),
            };
            if twice {
                return Err("an event is listed twice".to_string());
            }
        }
        let function =
            crate::model::trigger::trigger_function_name(&object_name_parts(&self.function))
                .ok_or_else(|| format!("`{}` is not a function name", self.function))?;
        let constraint = if self.constraint {
            let initially_deferred = self.initially_deferred.is_some_and(|(d, _)| d);
            Some(crate::model::trigger::ConstraintTrigger {
                deferrable: self.deferrable.is_some_and(|(d, _)| d) || initially_deferred,
                initially_deferred,
                from: self.from.as_ref().map(qualified).transpose()?,
            })
        } else {
            None
        };
        Ok(crate::model::Trigger {
            name: fold_ident(&self.name),
            table: qualified(&self.table)?,
            timing: self.timing,
            events,
            for_each_row: self.for_each_row.is_some_and(|(row, _)| row),
            when: self
                .when
                .as_ref()
                .map(|(e, _)| crate::model::Expression::from_ast(e)),
            old_table: self.old_table.as_ref().map(|(n, _)| fold_ident(n)),
            new_table: self.new_table.as_ref().map(|(n, _)| fold_ident(n)),
            constraint,
            function,
            arguments: self.arguments.clone(),
            state: crate::model::TriggerState::Enabled,
            comment: None,
            origin,
        })
    }
}
