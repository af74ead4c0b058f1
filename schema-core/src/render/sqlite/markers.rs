//! The comment markers SQLite's column and index definitions carry (rowid
//! alias, enum type, `NULLS FIRST`/`LAST`), and which column is a table's
//! automatically numbered rowid alias.

use super::{Reason, public};
use crate::model::expr::nextval;
use crate::model::names::quote_ident;
use crate::model::{Column, Identity, QualifiedName, Schema, Sequence, SqlType, Table};

/// The comment that keeps an index key's non-default `NULLS FIRST`/`NULLS LAST`.
pub(super) fn nulls_marker(nulls_first: bool) -> String {
    format!(
        "/* {MARKER_PREFIX} nulls {} */",
        if nulls_first { "first" } else { "last" }
    )
}

/// Reads an index key's comment: `Some(nulls_first)` for a nulls marker.
pub fn parse_nulls_marker(comment: &str) -> Option<bool> {
    let body = comment
        .trim()
        .strip_prefix("/*")?
        .strip_suffix("*/")?
        .trim();
    let words: Vec<&str> = body
        .strip_prefix(MARKER_PREFIX)?
        .split_whitespace()
        .collect();
    match words.as_slice() {
        ["nulls", "first"] => Some(true),
        ["nulls", "last"] => Some(false),
        _ => None,
    }
}

/// What a rowid-alias column stands for in the model: written as a comment in
/// its definition, because its declared type must be exactly `INTEGER`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowidMarker {
    /// The column's model type (`smallint`, `integer` or `bigint`).
    pub data_type: SqlType,
    /// What numbers it.
    pub kind: RowidKind,
}

/// How a rowid-alias column is numbered in the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowidKind {
    /// A `serial` column: its default is `nextval` of this sequence, which it owns.
    Serial(QualifiedName),
    /// An identity column.
    Identity(Identity),
}

const MARKER_PREFIX: &str = "schema:";

impl RowidMarker {
    /// The comment, `/* schema: bigint serial t_id_seq */`.
    ///
    /// # Errors
    /// When a name would end the comment.
    pub(crate) fn to_comment(&self) -> Result<String, String> {
        let kind = match &self.kind {
            RowidKind::Serial(seq) => {
                public(seq, "sequence")?;
                format!("serial {}", quote_ident(&seq.name))
            }
            RowidKind::Identity(Identity::Always) => "identity always".to_string(),
            RowidKind::Identity(Identity::ByDefault) => "identity by default".to_string(),
        };
        let body = format!("{MARKER_PREFIX} {} {kind}", self.data_type);
        if body.contains("*/") {
            return Err(format!("the name in `{body}` cannot be kept in a comment"));
        }
        Ok(format!("/* {body} */"))
    }

    /// Reads a comment's text (with or without `/*` `*/`); `None` when it is
    /// not a marker.
    ///
    /// # Errors
    /// A message when the comment is a marker this module did not write.
    pub fn parse_comment(comment: &str) -> Option<Result<RowidMarker, String>> {
        if parse_enum_marker(comment).is_some() {
            return None;
        }
        let body = comment.trim();
        let body = body.strip_prefix("/*").unwrap_or(body);
        let body = body.strip_suffix("*/").unwrap_or(body).trim();
        let rest = body.strip_prefix(MARKER_PREFIX)?.trim();
        Some(Self::parse_body(rest).ok_or_else(|| format!("unreadable column marker `{body}`")))
    }

    fn parse_body(rest: &str) -> Option<RowidMarker> {
        let (ty, rest) = rest.split_once(char::is_whitespace)?;
        let data_type = SqlType::parse(ty).ok().filter(SqlType::is_integer)?;
        let rest = rest.trim();
        let kind = if let Some(seq) = rest.strip_prefix("serial") {
            RowidKind::Serial(QualifiedName::public(unquote(seq.trim())?))
        } else {
            match rest.split_whitespace().collect::<Vec<_>>().as_slice() {
                ["identity", "always"] => RowidKind::Identity(Identity::Always),
                ["identity", "by", "default"] => RowidKind::Identity(Identity::ByDefault),
                _ => return None,
            }
        };
        Some(RowidMarker { data_type, kind })
    }
}

const ENUM_MARKER: &str = "enum";

/// The comment after an enum column's declared type `TEXT`, naming its type:
/// `/* schema: enum mood */`. (The type's name as the declared type would give
/// the column NUMERIC affinity, or INTEGER when it contains `int`, turning a
/// label such as `'1e3'` into a number.)
pub(super) fn enum_marker(name: &QualifiedName) -> Result<String, Reason> {
    public(name, "type")?;
    let body = format!("{MARKER_PREFIX} {ENUM_MARKER} {}", quote_ident(&name.name));
    if body.contains("*/") {
        return Err(format!("the name in `{body}` cannot be kept in a comment"));
    }
    Ok(format!("/* {body} */"))
}

/// The enum type an enum column's marker comment names (see [`enum_marker`]);
/// `None` when the comment is not one.
pub fn parse_enum_marker(comment: &str) -> Option<QualifiedName> {
    let body = comment.trim();
    let body = body.strip_prefix("/*").unwrap_or(body);
    let body = body.strip_suffix("*/").unwrap_or(body).trim();
    let rest = body.strip_prefix(MARKER_PREFIX)?.trim_start();
    let name = rest.strip_prefix(ENUM_MARKER)?;
    if !name.starts_with(char::is_whitespace) {
        return None;
    }
    unquote(name.trim()).map(QualifiedName::public)
}

/// A name as [`quote_ident`] writes it, unquoted.
fn unquote(text: &str) -> Option<String> {
    match text.strip_prefix('"') {
        Some(inner) => Some(inner.strip_suffix('"')?.replace("\"\"", "\"")),
        None if !text.is_empty() && !text.contains(char::is_whitespace) => Some(text.to_string()),
        None => None,
    }
}

/// The sequence `c` takes its default from, when it is the column's own (a
/// `serial` column); an error when it takes it from any other sequence.
fn serial_sequence<'s>(
    table: &Table,
    c: &Column,
    schema: &'s Schema,
) -> Result<Option<&'s Sequence>, Reason> {
    let Some(default) = &c.default else {
        return Ok(None);
    };
    if default.nextval_sequence().is_none() {
        return Ok(None);
    }
    schema
        .sequences
        .values()
        .find(|s| {
            s.owned_by
                .as_ref()
                .is_some_and(|(t, col)| *t == table.name && *col == c.name)
                && nextval(&s.name) == *default
        })
        .map(Some)
        .ok_or_else(|| {
            format!(
                "SQLite has no sequences: `{}.{}` takes its default from one it does not own",
                table.name, c.name
            )
        })
}

/// How `c` is numbered automatically, if it is.
pub(super) fn rowid_kind(
    table: &Table,
    c: &Column,
    schema: &Schema,
) -> Result<Option<RowidKind>, Reason> {
    if let Some(kind) = c.identity {
        return Ok(Some(RowidKind::Identity(kind)));
    }
    Ok(serial_sequence(table, c, schema)?.map(|s| RowidKind::Serial(s.name.clone())))
}

/// The column of `table` that is a rowid alias numbered automatically, checking
/// that every automatically numbered column can be one.
pub(super) fn rowid_alias(
    table: &Table,
    schema: &Schema,
) -> Result<Option<(String, RowidMarker)>, Reason> {
    let mut found = None;
    for c in &table.columns {
        let Some(kind) = rowid_kind(table, c, schema)? else {
            continue;
        };
        if table.primary_key_columns() != [c.name.clone()] || !c.data_type.is_integer() {
            return Err(format!(
                "SQLite numbers rows automatically only through a table's single-column \
                 integer primary key (its rowid); `{}.{}` is not one",
                table.name, c.name
            ));
        }
        found = Some((
            c.name.clone(),
            RowidMarker {
                data_type: c.data_type.clone(),
                kind,
            },
        ));
    }
    Ok(found)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn markers_read_back_as_themselves() {
        for marker in [
            RowidMarker {
                data_type: SqlType::BigInt,
                kind: RowidKind::Serial(QualifiedName::public("t_id_seq")),
            },
            RowidMarker {
                data_type: SqlType::Integer,
                kind: RowidKind::Serial(QualifiedName::public("Odd Name_seq")),
            },
            RowidMarker {
                data_type: SqlType::SmallInt,
                kind: RowidKind::Identity(Identity::ByDefault),
            },
            RowidMarker {
                data_type: SqlType::Integer,
                kind: RowidKind::Identity(Identity::Always),
            },
        ] {
            let comment = marker.to_comment().unwrap();
            assert_eq!(RowidMarker::parse_comment(&comment), Some(Ok(marker)));
        }
        assert_eq!(RowidMarker::parse_comment("/* a note */"), None);
        assert!(matches!(
            RowidMarker::parse_comment("/* schema: text serial x */"),
            Some(Err(_))
        ));
        assert_eq!(parse_nulls_marker(&nulls_marker(true)), Some(true));
        assert_eq!(parse_nulls_marker(&nulls_marker(false)), Some(false));
    }
}
