//! `GRANT` and `REVOKE` of privileges on tables, columns, sequences,
//! schemas, functions, procedures and types, and `ALTER DEFAULT PRIVILEGES`, read by hand on sqlparser's parser (its AST has no per-privilege
//! column lists, no `REVOKE GRANT OPTION FOR` and no `ON ALL ... IN SCHEMA`
//! for every kind). What each does to the model is in `apply/privileges.rs`.

use sqlparser::ast::{Ident, ObjectName};
use sqlparser::keywords::Keyword;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Location, Token};

use super::alter_sequence::ReadError;
use super::functions::RoutineRef;
use crate::model::function::RoutineKind;
use crate::model::privileges::{AclKind, DefaultObjects, Privilege};

/// `GRANT ... ON ... TO ...` or `REVOKE ... ON ... FROM ...`.
#[derive(Debug, Clone)]
pub struct GrantStatement {
    /// `REVOKE` rather than `GRANT`.
    pub revoke: bool,
    /// `REVOKE GRANT OPTION FOR`: only the grant option is taken.
    pub option_only: bool,
    /// The privileges, each with its column list and where it starts.
    pub privileges: Vec<PrivilegeWords>,
    /// What they are on.
    pub objects: GrantObjects,
    /// The roles, each where it is written.
    pub grantees: Vec<(Grantee, Location)>,
    /// `WITH GRANT OPTION`.
    pub with_grant_option: bool,
}

/// One privilege as written: `ALL [PRIVILEGES]` or one keyword, with its
/// column list (`SELECT (a, b)`).
#[derive(Debug, Clone)]
pub struct PrivilegeWords {
    /// `None` for `ALL [PRIVILEGES]`.
    pub privilege: Option<Privilege>,
    /// The columns, when a list follows.
    pub columns: Vec<Ident>,
    /// Where it starts.
    pub at: Location,
}

/// What a `GRANT` is on.
#[derive(Debug, Clone)]
pub enum GrantObjects {
    /// `[TABLE] t, ...`, `SEQUENCE s, ...`, `SCHEMA s, ...`.
    Named {
        /// Their kind.
        kind: AclKind,
        /// Their names, each where it is written.
        names: Vec<(ObjectName, Location)>,
    },
    /// `TABLES`, `SEQUENCES`, ... after `ON` in `ALTER DEFAULT PRIVILEGES`.
    Defaults(DefaultObjects, Location),
    /// `ALL {TABLES | SEQUENCES | FUNCTIONS | PROCEDURES | ROUTINES} IN
    /// SCHEMA s, ...`.
    AllInSchema {
        /// Tables, sequences, functions or procedures; `None` for
        /// `ROUTINES` (functions and procedures).
        kind: Option<AclKind>,
        /// The schemas, each where it is written.
        schemas: Vec<(Ident, Location)>,
    },
    /// `FUNCTION f(args), ...`, `PROCEDURE p(args), ...` or `ROUTINE r(args), ...`.
    Routines {
        /// `FUNCTION` or `PROCEDURE`; `None` for `ROUTINE` (either).
        kind: Option<RoutineKind>,
        /// The routines, each where it is written.
        routines: Vec<(RoutineRef, Location)>,
    },
    /// `TYPE t, ...` or `DOMAIN d, ...`.
    Types {
        /// `DOMAIN`: each must be a domain.
        domain: bool,
        /// Their names, each where it is written.
        names: Vec<(ObjectName, Location)>,
    },
}

/// A role a privilege is given to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grantee {
    /// `PUBLIC`.
    Public,
    /// A role, by name.
    Role(Ident),
}

fn at(parser: &Parser<'_>) -> Location {
    parser.peek_token().span.start
}

fn syntax(parser: &Parser<'_>, expected: &str) -> ReadError {
    let next = parser.peek_token();
    let l = next.span.start;
    ReadError::Syntax(
        format!("expected {expected}, found `{}`", next.token),
        u32::try_from(l.line).unwrap_or(1),
        u32::try_from(l.column).unwrap_or(1),
    )
}

fn refused(clause: &'static str, l: Location) -> ReadError {
    ReadError::Refused(
        clause,
        u32::try_from(l.line).unwrap_or(1),
        u32::try_from(l.column).unwrap_or(1),
    )
}

fn ident(parser: &mut Parser<'_>, what: &str) -> Result<Ident, ReadError> {
    parser.parse_identifier().map_err(|_| syntax(parser, what))
}

fn object_name(parser: &mut Parser<'_>) -> Result<ObjectName, ReadError> {
    parser
        .parse_object_name(false)
        .map_err(|_| syntax(parser, "an object name"))
}

/// True when the next token is the unquoted word `word` (consumed).
fn word(parser: &mut Parser<'_>, word: &str) -> bool {
    match &parser.peek_token().token {
        Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(word) => {
            parser.next_token();
            true
        }
        _ => false,
    }
}

/// `ALTER DEFAULT PRIVILEGES [FOR ROLE r, ...] [IN SCHEMA s, ...] GRANT | REVOKE ...`.
#[derive(Debug, Clone)]
pub struct DefaultPrivilegesStatement {
    /// `FOR ROLE` (or `FOR USER`): the roles whose new objects it is about.
    pub for_roles: Vec<Ident>,
    /// `IN SCHEMA`: the schemas, each where it is written.
    pub in_schemas: Vec<(Ident, Location)>,
    /// The abbreviated `GRANT` or `REVOKE` (its objects are
    /// [`GrantObjects::Defaults`]).
    pub grant: GrantStatement,
}

/// Reads a whole `ALTER DEFAULT PRIVILEGES` (the parser is at `ALTER`).
pub(super) fn parse_alter_default_privileges(
    parser: &mut Parser<'_>,
) -> Result<DefaultPrivilegesStatement, ReadError> {
    if !parser.parse_keywords(&[Keyword::ALTER, Keyword::DEFAULT, Keyword::PRIVILEGES]) {
        return Err(syntax(parser, "ALTER DEFAULT PRIVILEGES"));
    }
    let mut for_roles = Vec::new();
    let mut in_schemas = Vec::new();
    loop {
        if parser.parse_keyword(Keyword::FOR) {
            if !(parser.parse_keyword(Keyword::ROLE) || parser.parse_keyword(Keyword::USER)) {
                return Err(syntax(parser, "ROLE"));
            }
            loop {
                let l = at(parser);
                if matches!(&parser.peek_token().token, Token::Word(w) if w.quote_style.is_none()
                    && matches!(w.keyword, Keyword::CURRENT_USER | Keyword::SESSION_USER | Keyword::CURRENT_ROLE | Keyword::PUBLIC))
                {
                    return Err(refused(
                        "a role that is not named after FOR ROLE (name the role)",
                        l,
                    ));
                }
                for_roles.push(ident(parser, "a role name")?);
                if !parser.consume_token(&Token::Comma) {
                    break;
                }
            }
        } else if parser.parse_keywords(&[Keyword::IN, Keyword::SCHEMA]) {
            loop {
                let l = at(parser);
                in_schemas.push((ident(parser, "a schema name")?, l));
                if !parser.consume_token(&Token::Comma) {
                    break;
                }
            }
        } else {
            break;
        }
    }
    let grant = grant_or_revoke(parser, true)?;
    Ok(DefaultPrivilegesStatement {
        for_roles,
        in_schemas,
        grant,
    })
}

/// Reads a whole `GRANT` or `REVOKE` statement (the parser is at its first word).
pub(super) fn parse_grant(parser: &mut Parser<'_>) -> Result<GrantStatement, ReadError> {
    grant_or_revoke(parser, false)
}

/// `GRANT ... ON ... TO ...` or `REVOKE ...`; with `defaults`, as
/// `ALTER DEFAULT PRIVILEGES` abbreviates them (`ON TABLES`, ...).
fn grant_or_revoke(parser: &mut Parser<'_>, defaults: bool) -> Result<GrantStatement, ReadError> {
    let revoke = if parser.parse_keyword(Keyword::REVOKE) {
        true
    } else if parser.parse_keyword(Keyword::GRANT) {
        false
    } else {
        return Err(syntax(parser, "GRANT or REVOKE"));
    };
    let option_only =
        revoke && parser.parse_keywords(&[Keyword::GRANT, Keyword::OPTION, Keyword::FOR]);
    let privileges = privilege_list(parser)?;
    if !parser.parse_keyword(Keyword::ON) {
        // `GRANT role TO role`: membership, which the tool does not manage.
        let l = privileges.first().map_or_else(|| at(parser), |p| p.at);
        return Err(refused("GRANT role TO role (role membership)", l));
    }
    let objects = if defaults {
        default_objects(parser)?
    } else {
        objects(parser)?
    };
    let to = if revoke { Keyword::FROM } else { Keyword::TO };
    if !parser.parse_keyword(to) {
        return Err(syntax(parser, if revoke { "FROM" } else { "TO" }));
    }
    let mut grantees = Vec::new();
    loop {
        let l = at(parser);
        let _ = parser.parse_keyword(Keyword::GROUP);
        let g = match &parser.peek_token().token {
            Token::Word(w) if w.quote_style.is_none() && w.keyword == Keyword::PUBLIC => {
                parser.next_token();
                Grantee::Public
            }
            Token::Word(w)
                if w.quote_style.is_none()
                    && matches!(
                        w.keyword,
                        Keyword::CURRENT_USER | Keyword::SESSION_USER | Keyword::CURRENT_ROLE
                    ) =>
            {
                return Err(refused(
                    "CURRENT_USER, CURRENT_ROLE or SESSION_USER as a grantee (name the role)",
                    l,
                ));
            }
            _ => Grantee::Role(ident(parser, "a role name or PUBLIC")?),
        };
        grantees.push((g, l));
        if !parser.consume_token(&Token::Comma) {
            break;
        }
    }
    let with_grant_option =
        !revoke && parser.parse_keywords(&[Keyword::WITH, Keyword::GRANT, Keyword::OPTION]);
    let granted_by = at(parser);
    if parser.parse_keywords(&[Keyword::GRANTED, Keyword::BY]) {
        return Err(refused("GRANTED BY", granted_by));
    }
    if revoke {
        let l = at(parser);
        if parser.parse_keyword(Keyword::CASCADE) {
            return Err(refused("CASCADE (revoking what others granted on)", l));
        }
        let _ = parser.parse_keyword(Keyword::RESTRICT);
    }
    if !matches!(parser.peek_token().token, Token::SemiColon | Token::EOF) {
        return Err(syntax(parser, "the end of the statement"));
    }
    Ok(GrantStatement {
        revoke,
        option_only,
        privileges,
        objects,
        grantees,
        with_grant_option,
    })
}

/// `ALL [PRIVILEGES] [(cols)]` or `priv [(cols)], ...`.
fn privilege_list(parser: &mut Parser<'_>) -> Result<Vec<PrivilegeWords>, ReadError> {
    let mut out = Vec::new();
    loop {
        let l = at(parser);
        let privilege = if parser.parse_keyword(Keyword::ALL) {
            let _ = parser.parse_keyword(Keyword::PRIVILEGES);
            None
        } else {
            let next = parser.peek_token();
            let Token::Word(w) = &next.token else {
                return Err(syntax(parser, "a privilege"));
            };
            let found = Privilege::from_keyword(&w.value).filter(|_| w.quote_style.is_none());
            match found {
                Some(p) => {
                    parser.next_token();
                    Some(p)
                }
                None if ["CONNECT", "TEMPORARY", "TEMP", "MAINTAIN", "SET", "ALTER"]
                    .iter()
                    .any(|k| w.value.eq_ignore_ascii_case(k)) =>
                {
                    return Err(refused("this privilege (on databases or parameters)", l));
                }
                // A role name: `GRANT role TO role`.
                None => {
                    ident(parser, "a privilege")?;
                    if parser.consume_token(&Token::Comma) {
                        continue;
                    }
                    return Ok(out_or_role(out, l));
                }
            }
        };
        let mut columns = Vec::new();
        if parser.consume_token(&Token::LParen) {
            loop {
                columns.push(ident(parser, "a column name")?);
                if !parser.consume_token(&Token::Comma) {
                    break;
                }
            }
            if !parser.consume_token(&Token::RParen) {
                return Err(syntax(parser, "`)`"));
            }
        }
        out.push(PrivilegeWords {
            privilege,
            columns,
            at: l,
        });
        if !parser.consume_token(&Token::Comma) {
            break;
        }
    }
    Ok(out)
}

/// The privileges read before a role name showed this is role membership:
/// returned with the role's place first so the caller refuses it there.
fn out_or_role(mut out: Vec<PrivilegeWords>, l: Location) -> Vec<PrivilegeWords> {
    out.insert(
        0,
        PrivilegeWords {
            privilege: None,
            columns: Vec::new(),
            at: l,
        },
    );
    out
}

/// What follows `ON` in `ALTER DEFAULT PRIVILEGES`.
fn default_objects(parser: &mut Parser<'_>) -> Result<GrantObjects, ReadError> {
    let l = at(parser);
    let found = [
        ("TABLES", DefaultObjects::Tables),
        ("SEQUENCES", DefaultObjects::Sequences),
        ("FUNCTIONS", DefaultObjects::Functions),
        ("ROUTINES", DefaultObjects::Functions),
        ("TYPES", DefaultObjects::Types),
        ("SCHEMAS", DefaultObjects::Schemas),
    ]
    .into_iter()
    .find(|(w, _)| word(parser, w));
    match found {
        Some((_, objects)) => Ok(GrantObjects::Defaults(objects, l)),
        None => Err(syntax(
            parser,
            "TABLES, SEQUENCES, FUNCTIONS, ROUTINES, TYPES or SCHEMAS",
        )),
    }
}

/// What follows `ON`.
fn objects(parser: &mut Parser<'_>) -> Result<GrantObjects, ReadError> {
    let l = at(parser);
    if parser.parse_keyword(Keyword::ALL) {
        let kind = if word(parser, "TABLES") {
            Some(AclKind::Table)
        } else if word(parser, "SEQUENCES") {
            Some(AclKind::Sequence)
        } else if word(parser, "FUNCTIONS") {
            Some(AclKind::Function)
        } else if word(parser, "PROCEDURES") {
            Some(AclKind::Procedure)
        } else if word(parser, "ROUTINES") {
            None
        } else {
            return Err(syntax(
                parser,
                "TABLES, SEQUENCES, FUNCTIONS, PROCEDURES or ROUTINES",
            ));
        };
        if !parser.parse_keywords(&[Keyword::IN, Keyword::SCHEMA]) {
            return Err(syntax(parser, "IN SCHEMA"));
        }
        let mut schemas = Vec::new();
        loop {
            let l = at(parser);
            schemas.push((ident(parser, "a schema name")?, l));
            if !parser.consume_token(&Token::Comma) {
                break;
            }
        }
        return Ok(GrantObjects::AllInSchema { kind, schemas });
    }
    // `ON FUNCTION f(...)`: a word after `ON` is a kind only when a name
    // follows it (`ON function TO r` grants on a table named so).
    let names_follow = |parser: &Parser<'_>| {
        !matches!(parser.peek_nth_token(1).token, Token::Comma | Token::Period)
            && !matches!(&parser.peek_nth_token(1).token, Token::Word(n)
                if n.quote_style.is_none() && (n.keyword == Keyword::TO || n.keyword == Keyword::FROM))
    };
    let routine_kind = [
        ("FUNCTION", Some(RoutineKind::Function)),
        ("PROCEDURE", Some(RoutineKind::Procedure)),
        ("ROUTINE", None),
    ]
    .into_iter()
    .find(|(w, _)| names_follow(parser) && word(parser, w));
    if let Some((_, kind)) = routine_kind {
        let mut routines = Vec::new();
        loop {
            let l = at(parser);
            let r = super::functions::routine(parser, kind.unwrap_or(RoutineKind::Function))?;
            routines.push((r, l));
            if !parser.consume_token(&Token::Comma) {
                break;
            }
        }
        return Ok(GrantObjects::Routines { kind, routines });
    }
    let type_kind = ["TYPE", "DOMAIN"]
        .into_iter()
        .find(|w| names_follow(parser) && word(parser, w));
    if let Some(w) = type_kind {
        let mut names = Vec::new();
        loop {
            let l = at(parser);
            names.push((object_name(parser)?, l));
            if !parser.consume_token(&Token::Comma) {
                break;
            }
        }
        return Ok(GrantObjects::Types {
            domain: w == "DOMAIN",
            names,
        });
    }
    let kind = if parser.parse_keyword(Keyword::TABLE) {
        AclKind::Table
    } else if parser.parse_keyword(Keyword::SEQUENCE) {
        AclKind::Sequence
    } else if parser.parse_keyword(Keyword::SCHEMA) {
        AclKind::Schema
    } else {
        let other = [
            "DATABASE",
            "LANGUAGE",
            "LARGE",
            "FOREIGN",
            "TABLESPACE",
            "PARAMETER",
        ];
        let next = parser.peek_token();
        let is_other = matches!(&next.token, Token::Word(w) if w.quote_style.is_none()
            && other.iter().any(|o| w.value.eq_ignore_ascii_case(o))
            // `ON foreign_table` is a table named so only when `TO`/`FROM`
            // or `,` follows it.
            && !matches!(parser.peek_nth_token(1).token, Token::Comma | Token::Period)
            && !matches!(&parser.peek_nth_token(1).token, Token::Word(n) if n.keyword == Keyword::TO || n.keyword == Keyword::FROM));
        if is_other {
            return Err(refused(
                "privileges on databases, languages, large objects, foreign data wrappers and servers, tablespaces and parameters",
                l,
            ));
        }
        AclKind::Table
    };
    let mut names = Vec::new();
    loop {
        let l = at(parser);
        names.push((object_name(parser)?, l));
        if !parser.consume_token(&Token::Comma) {
            break;
        }
    }
    Ok(GrantObjects::Named { kind, names })
}
