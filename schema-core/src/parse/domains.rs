//! `CREATE DOMAIN` and `ALTER DOMAIN`, read by hand on sqlparser's parser:
//! sqlparser reads no `ALTER DOMAIN` and no `NOT NULL`/`NULL` in `CREATE DOMAIN`.
//! What each form does to the model is in `apply/domains.rs`.

use sqlparser::ast::{ColumnOption, DataType, Expr, Ident, ObjectName};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Location, Token};

/// `CREATE DOMAIN name [AS] type [COLLATE c] [DEFAULT e] [constraint ...]`.
#[derive(Debug, Clone)]
pub struct CreateDomain {
    /// The domain's name.
    pub name: ObjectName,
    /// Its base type.
    pub data_type: DataType,
    /// Where the base type starts.
    pub type_at: Location,
    /// `COLLATE name` and where it starts.
    pub collation: Option<(ObjectName, Location)>,
    /// `DEFAULT expr` (the last one, as PostgreSQL refuses two) and where it starts.
    pub defaults: Vec<(Expr, Location)>,
    /// Its constraints in order.
    pub constraints: Vec<DomainConstraint>,
}

/// One constraint of a domain: `[CONSTRAINT name] {NOT NULL | NULL | CHECK (expr)}`.
#[derive(Debug, Clone)]
pub struct DomainConstraint {
    /// `CONSTRAINT name`.
    pub name: Option<Ident>,
    /// What it says.
    pub kind: DomainConstraintKind,
    /// Where it starts.
    pub at: Location,
}

/// The kinds of domain constraint.
#[derive(Debug, Clone)]
pub enum DomainConstraintKind {
    /// `NOT NULL`.
    NotNull,
    /// `NULL` (the default, which a later `NOT NULL` contradicts).
    Null,
    /// `CHECK (expr)`.
    Check(Box<Expr>),
}

/// `ALTER DOMAIN name action`.
#[derive(Debug, Clone)]
pub struct AlterDomain {
    /// The domain's name.
    pub name: ObjectName,
    /// What it does.
    pub action: AlterDomainAction,
    /// Where the action starts.
    pub at: Location,
}

/// The actions of `ALTER DOMAIN`.
#[derive(Debug, Clone)]
pub enum AlterDomainAction {
    /// `SET DEFAULT expr`.
    SetDefault(Expr),
    /// `DROP DEFAULT`.
    DropDefault,
    /// `SET NOT NULL`.
    SetNotNull,
    /// `DROP NOT NULL`.
    DropNotNull,
    /// `ADD [CONSTRAINT name] ... [NOT VALID]`.
    AddConstraint {
        /// The constraint.
        constraint: DomainConstraint,
        /// `NOT VALID` and where it starts.
        not_valid: Option<Location>,
    },
    /// `DROP CONSTRAINT [IF EXISTS] name [RESTRICT | CASCADE]`.
    DropConstraint {
        /// The constraint's name.
        name: Ident,
        /// `IF EXISTS`.
        if_exists: bool,
    },
    /// `RENAME CONSTRAINT a TO b`.
    RenameConstraint {
        /// Old name.
        from: Ident,
        /// New name.
        to: Ident,
    },
    /// `RENAME TO name`.
    Rename(Ident),
    /// `VALIDATE CONSTRAINT name`.
    ValidateConstraint(Ident),
    /// `OWNER TO role`: the role, `None` for `CURRENT_USER`, `CURRENT_ROLE`
    /// and `SESSION_USER` (the role that runs the migrations).
    OwnerTo(Option<String>),
    /// `SET SCHEMA name`.
    SetSchema(Ident),
}

fn located(message: &str, at: Location) -> ParserError {
    ParserError::ParserError(format!("{message}{at}"))
}

fn start(parser: &Parser<'_>) -> Location {
    parser.peek_token().span.start
}

/// `[CONSTRAINT name] {NOT NULL | NULL | CHECK (expr)}`, or `None` when the
/// next words are none of these.
fn constraint(parser: &mut Parser<'_>) -> Result<Option<DomainConstraint>, ParserError> {
    let at = start(parser);
    let name = if parser.parse_keyword(Keyword::CONSTRAINT) {
        Some(parser.parse_identifier()?)
    } else {
        None
    };
    let kind = if parser.parse_keywords(&[Keyword::NOT, Keyword::NULL]) {
        DomainConstraintKind::NotNull
    } else if parser.parse_keyword(Keyword::NULL) {
        DomainConstraintKind::Null
    } else if parser.parse_keyword(Keyword::CHECK) {
        parser.expect_token(&Token::LParen)?;
        let expr = parser.parse_expr()?;
        parser.expect_token(&Token::RParen)?;
        DomainConstraintKind::Check(Box::new(expr))
    } else if name.is_some() {
        return Err(located(
            "expected NOT NULL, NULL or CHECK after CONSTRAINT name",
            start(parser),
        ));
    } else {
        return Ok(None);
    };
    Ok(Some(DomainConstraint { name, kind, at }))
}

/// Reads `CREATE DOMAIN ...` up to (not including) its `;`.
pub(super) fn parse_create_domain(parser: &mut Parser<'_>) -> Result<CreateDomain, ParserError> {
    parser.expect_keywords(&[Keyword::CREATE, Keyword::DOMAIN])?;
    let name = parser.parse_object_name(false)?;
    let _ = parser.parse_keyword(Keyword::AS);
    let type_at = start(parser);
    let data_type = parser.parse_data_type()?;
    let mut out = CreateDomain {
        name,
        data_type,
        type_at,
        collation: None,
        defaults: Vec::new(),
        constraints: Vec::new(),
    };
    loop {
        let at = start(parser);
        if parser.peek_keyword(Keyword::COLLATE) || parser.peek_keyword(Keyword::DEFAULT) {
            // As a column definition reads them: `DEFAULT 0 NOT NULL` ends the
            // default before `NOT`.
            match parser.parse_optional_column_option()? {
                Some(ColumnOption::Collation(c)) => {
                    if out.collation.is_some() {
                        return Err(located("COLLATE is given twice", at));
                    }
                    out.collation = Some((c, at));
                }
                Some(ColumnOption::Default(e)) => out.defaults.push((e, at)),
                _ => return Err(located("expected COLLATE or DEFAULT", at)),
            }
            continue;
        }
        match constraint(parser)? {
            Some(c) => out.constraints.push(c),
            None => break,
        }
    }
    Ok(out)
}

/// Reads `ALTER DOMAIN ...` up to (not including) its `;`.
pub(super) fn parse_alter_domain(parser: &mut Parser<'_>) -> Result<AlterDomain, ParserError> {
    parser.expect_keywords(&[Keyword::ALTER, Keyword::DOMAIN])?;
    let name = parser.parse_object_name(false)?;
    let at = start(parser);
    let action = if parser.parse_keywords(&[Keyword::SET, Keyword::DEFAULT]) {
        AlterDomainAction::SetDefault(parser.parse_expr()?)
    } else if parser.parse_keywords(&[Keyword::DROP, Keyword::DEFAULT]) {
        AlterDomainAction::DropDefault
    } else if parser.parse_keywords(&[Keyword::SET, Keyword::NOT, Keyword::NULL]) {
        AlterDomainAction::SetNotNull
    } else if parser.parse_keywords(&[Keyword::DROP, Keyword::NOT, Keyword::NULL]) {
        AlterDomainAction::DropNotNull
    } else if parser.parse_keyword(Keyword::ADD) {
        let Some(constraint) = constraint(parser)? else {
            return Err(located(
                "expected a constraint (CHECK (...)) after ADD",
                start(parser),
            ));
        };
        let not_valid_at = start(parser);
        let not_valid = parser
            .parse_keywords(&[Keyword::NOT, Keyword::VALID])
            .then_some(not_valid_at);
        AlterDomainAction::AddConstraint {
            constraint,
            not_valid,
        }
    } else if parser.parse_keywords(&[Keyword::DROP, Keyword::CONSTRAINT]) {
        let if_exists = parser.parse_keywords(&[Keyword::IF, Keyword::EXISTS]);
        let name = parser.parse_identifier()?;
        // Nothing depends on a domain's constraint: both behave alike.
        let _ = parser.parse_one_of_keywords(&[Keyword::RESTRICT, Keyword::CASCADE]);
        AlterDomainAction::DropConstraint { name, if_exists }
    } else if parser.parse_keywords(&[Keyword::RENAME, Keyword::CONSTRAINT]) {
        let from = parser.parse_identifier()?;
        parser.expect_keyword(Keyword::TO)?;
        let to = parser.parse_identifier()?;
        AlterDomainAction::RenameConstraint { from, to }
    } else if parser.parse_keywords(&[Keyword::RENAME, Keyword::TO]) {
        AlterDomainAction::Rename(parser.parse_identifier()?)
    } else if parser.parse_keywords(&[Keyword::VALIDATE, Keyword::CONSTRAINT]) {
        AlterDomainAction::ValidateConstraint(parser.parse_identifier()?)
    } else if parser.parse_keywords(&[Keyword::OWNER, Keyword::TO]) {
        let current = matches!(&parser.peek_token().token, sqlparser::tokenizer::Token::Word(w)
            if w.quote_style.is_none()
                && matches!(w.keyword, Keyword::CURRENT_USER | Keyword::CURRENT_ROLE | Keyword::SESSION_USER));
        if current {
            parser.next_token();
            AlterDomainAction::OwnerTo(None)
        } else {
            AlterDomainAction::OwnerTo(Some(crate::model::names::fold_ident(
                &parser.parse_identifier()?,
            )))
        }
    } else if parser.parse_keywords(&[Keyword::SET, Keyword::SCHEMA]) {
        AlterDomainAction::SetSchema(parser.parse_identifier()?)
    } else {
        return Err(located(
            "expected SET DEFAULT, DROP DEFAULT, SET NOT NULL, DROP NOT NULL, ADD, \
             DROP CONSTRAINT, RENAME, VALIDATE CONSTRAINT, OWNER TO or SET SCHEMA after ALTER DOMAIN name",
            at,
        ));
    };
    Ok(AlterDomain { name, action, at })
}
