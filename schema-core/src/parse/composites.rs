//! `ALTER TYPE name {ADD | DROP | ALTER | RENAME} ATTRIBUTE ...`, read by hand on
//! sqlparser's parser (sqlparser reads only the enum forms of `ALTER TYPE`).
//! What each action does to the model is in `apply/composites.rs`.

use sqlparser::ast::{DataType, Ident, ObjectName};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Location, Token};

/// `ALTER TYPE name action [, action ...]` on a composite type's attributes.
#[derive(Debug, Clone)]
pub struct AlterAttributes {
    /// The type's name.
    pub name: ObjectName,
    /// The actions in order, each with where it starts.
    pub actions: Vec<(AttributeAction, Location)>,
}

/// One action of `ALTER TYPE` on an attribute.
#[derive(Debug, Clone)]
pub enum AttributeAction {
    /// `ADD ATTRIBUTE name type [COLLATE c]`.
    Add {
        /// The attribute.
        name: Ident,
        /// Its type.
        data_type: DataType,
        /// `COLLATE c`.
        collation: Option<ObjectName>,
    },
    /// `DROP ATTRIBUTE [IF EXISTS] name`.
    Drop {
        /// The attribute.
        name: Ident,
        /// `IF EXISTS`.
        if_exists: bool,
    },
    /// `ALTER ATTRIBUTE name [SET DATA] TYPE type [COLLATE c]`.
    SetType {
        /// The attribute.
        name: Ident,
        /// Its new type.
        data_type: DataType,
        /// `COLLATE c`.
        collation: Option<ObjectName>,
    },
    /// `RENAME ATTRIBUTE a TO b`.
    Rename {
        /// Old name.
        from: Ident,
        /// New name.
        to: Ident,
    },
}

fn is_attribute(t: &Token) -> bool {
    matches!(t, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("attribute"))
}

/// True when the statement at the parser's position is `ALTER TYPE name
/// {ADD | DROP | ALTER | RENAME} ATTRIBUTE ...` (nothing is consumed).
pub(super) fn is_alter_attributes(parser: &Parser<'_>) -> bool {
    let mut n = 2;
    loop {
        if !matches!(parser.peek_nth_token(n).token, Token::Word(_)) {
            return false;
        }
        n += 1;
        if parser.peek_nth_token(n).token == Token::Period {
            n += 1;
        } else {
            break;
        }
    }
    let action = matches!(&parser.peek_nth_token(n).token, Token::Word(w)
        if matches!(w.keyword, Keyword::ADD | Keyword::DROP | Keyword::ALTER | Keyword::RENAME));
    action && is_attribute(&parser.peek_nth_token(n + 1).token)
}

fn expect_attribute(parser: &mut Parser<'_>) -> Result<(), ParserError> {
    let t = parser.next_token();
    if is_attribute(&t.token) {
        Ok(())
    } else {
        Err(ParserError::ParserError(format!(
            "expected ATTRIBUTE, found {}{}",
            t.token, t.span.start
        )))
    }
}

fn collation(parser: &mut Parser<'_>) -> Result<Option<ObjectName>, ParserError> {
    if parser.parse_keyword(Keyword::COLLATE) {
        Ok(Some(parser.parse_object_name(false)?))
    } else {
        Ok(None)
    }
}

/// Reads `ALTER TYPE name action [, ...]` up to (not including) its `;`.
pub(super) fn parse_alter_attributes(
    parser: &mut Parser<'_>,
) -> Result<AlterAttributes, ParserError> {
    parser.expect_keywords(&[Keyword::ALTER, Keyword::TYPE])?;
    let name = parser.parse_object_name(false)?;
    let mut actions = Vec::new();
    loop {
        let at = parser.peek_token().span.start;
        let action = if parser.parse_keyword(Keyword::ADD) {
            expect_attribute(parser)?;
            AttributeAction::Add {
                name: parser.parse_identifier()?,
                data_type: parser.parse_data_type()?,
                collation: collation(parser)?,
            }
        } else if parser.parse_keyword(Keyword::DROP) {
            expect_attribute(parser)?;
            let if_exists = parser.parse_keywords(&[Keyword::IF, Keyword::EXISTS]);
            AttributeAction::Drop {
                name: parser.parse_identifier()?,
                if_exists,
            }
        } else if parser.parse_keyword(Keyword::ALTER) {
            expect_attribute(parser)?;
            let name = parser.parse_identifier()?;
            let _ = parser.parse_keywords(&[Keyword::SET, Keyword::DATA]);
            parser.expect_keyword(Keyword::TYPE)?;
            AttributeAction::SetType {
                name,
                data_type: parser.parse_data_type()?,
                collation: collation(parser)?,
            }
        } else if parser.parse_keyword(Keyword::RENAME) {
            expect_attribute(parser)?;
            let from = parser.parse_identifier()?;
            parser.expect_keyword(Keyword::TO)?;
            AttributeAction::Rename {
                from,
                to: parser.parse_identifier()?,
            }
        } else {
            return Err(ParserError::ParserError(format!(
                "expected ADD, DROP, ALTER or RENAME ATTRIBUTE{at}"
            )));
        };
        // No typed table (`CREATE TABLE ... OF type`) exists for CASCADE to
        // reach: both behave alike.
        let _ = parser.parse_one_of_keywords(&[Keyword::CASCADE, Keyword::RESTRICT]);
        actions.push((action, at));
        if !parser.consume_token(&Token::Comma) {
            break;
        }
    }
    Ok(AlterAttributes { name, actions })
}
