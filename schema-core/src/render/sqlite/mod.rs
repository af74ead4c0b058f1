//! SQLite: bare names, declared types chosen for their affinity, enum types as
//! `CHECK`s, `serial` and identity columns as rowid aliases, native `ALTER TABLE`
//! where SQLite has it and its table-rebuild procedure everywhere else; plus the
//! reading back of what this module writes (types, expressions, column markers),
//! which live introspection uses.
//!
//! # Types
//! Each canonical type is written as a declared type that SQLite gives the
//! affinity in the table and that reads back to the same type:
//!
//! | model type                         | declared type                   | affinity |
//! |------------------------------------|---------------------------------|----------|
//! | `smallint`, `integer`, `bigint`    | `SMALLINT`, `INTEGER`, `BIGINT` | INTEGER  |
//! | `real`, `double precision`         | `REAL`, `DOUBLE PRECISION`      | REAL     |
//! | `numeric[(p,s)]`, `money`          | `NUMERIC[(p,s)]`, `MONEY`       | NUMERIC  |
//! | `text`                             | `TEXT`                          | TEXT     |
//! | `character varying[(n)]`           | `VARCHAR[(n)]`                  | TEXT     |
//! | `character(n)`                     | `CHAR(n)`                       | TEXT     |
//! | `bytea`                            | `BLOB` (read back as `bytea`)   | BLOB     |
//! | `boolean`                          | `BOOLEAN`                       | NUMERIC  |
//! | `date`                             | `DATE`                          | NUMERIC  |
//! | `time[(p)]`, `time with time zone` | `TIME[(p)]`, `TIMETZ[(p)]`      | NUMERIC  |
//! | `timestamp[(p)]`, `timestamptz`    | `TIMESTAMP[(p)]`, `TIMESTAMPTZ[(p)]` | NUMERIC |
//! | `interval[(p)]`                    | `INTERVAL[(p)]`                 | INTEGER  |
//! | `uuid`, `json`, `jsonb`, `xml`     | `UUID`, `JSON`, `JSONB`, `XML`  | NUMERIC  |
//! | `inet`, `cidr`, `macaddr`          | `INET`, `CIDR`, `MACADDR`       | NUMERIC  |
//! | an enum type `mood`                | `TEXT /* schema: enum mood */` + `CHECK (col IN (..))` | TEXT |
//! | `T[]` (`text[]`, `integer[]`, ...) | `TEXT[]`, `INTEGER[]`, ...      | T's      |
//!
//! No spelling that PostgreSQL's type parser reads as `bytea` gives BLOB
//! affinity (`BYTEA` would be NUMERIC, which turns text that looks like a
//! number into a number), so `bytea` is written `BLOB` and [`type_from_sqlite`]
//! reads `BLOB` back as `bytea`. NUMERIC affinity keeps text that does not look
//! like a number as text, so dates, UUIDs and JSON objects are stored as written.
//! Lengths (`varchar(20)`) and precisions are kept in the declared type but not
//! enforced by SQLite.
//!
//! Arrays are stored as PostgreSQL's array text (`'{a,b}'`, so a default such
//! as `'{}'` keeps its meaning); SQLite does not check their elements. Their
//! element affinity keeps that text as text (it never looks like a number). An
//! enum array (`mood[]`) has no `CHECK`: its enum's labels are read back from
//! a column of the enum type itself, which must exist. An array of a type with
//! a modifier (`varchar(20)[]`: SQLite's grammar has no place for it) or of
//! `bytea` is unsupported, and so is an `ARRAY[..]` expression.
//!
//! An enum column's declared type is `TEXT` (so a label such as `'1e3'` or
//! `'007'` is stored as written, never as a number) followed by a comment
//! naming the enum ([`parse_enum_marker`]), so introspection knows the type,
//! and a column `CHECK ("col" IN ('a', 'b'))` holds its labels in order;
//! changing the labels rebuilds the tables whose columns use the type. An enum
//! type no column uses has no trace in SQLite: [`comparable`] leaves it out.
//!
//! # Automatic numbering
//! A `serial` column (its default is `nextval` of the sequence it owns) and an
//! identity column become `INTEGER ... PRIMARY KEY AUTOINCREMENT`, a rowid alias
//! whose values are never reused, when the column is the table's whole primary
//! key. The declared type must then be exactly `INTEGER`, so the model type, the
//! kind and the sequence name are kept in a comment in the column definition
//! (`/* schema: bigint serial t_id_seq */`, see [`RowidMarker`]); SQLite keeps
//! comments in the stored `CREATE TABLE` text. `GENERATED ALWAYS` is not
//! enforced: SQLite accepts explicit values.
//!
//! # Expressions
//! Canonical expressions are written with every identifier quoted; `now()` is
//! `datetime('now')` (and read back as `now()`), `CURRENT_TIMESTAMP`,
//! `CURRENT_DATE` and `CURRENT_TIME` stay; casts become `CAST(x AS <declared
//! type>)`. Only functions that SQLite has with the same meaning are written
//! (`lower`, `upper`, `length`, `abs`, `coalesce`, `nullif`, `replace`,
//! `round`, `substr`, `trim`, `ltrim`, `rtrim`). SQLite's `LIKE` ignores ASCII
//! case where PostgreSQL's does not.
//!
//! # Changes
//! Native where SQLite has the statement: `CREATE TABLE` (with its foreign keys
//! inline, as SQLite cannot add them later), `DROP TABLE` (children before
//! parents), `RENAME TO`, `RENAME COLUMN`, `ADD COLUMN` (when SQLite allows it:
//! no primary key or unique constraint, a constant default, a non-NULL default
//! for `NOT NULL`, a foreign key only with a NULL default — folded into the
//! column), `DROP COLUMN` (when the column is in no constraint, kept index or
//! generated column), `CREATE INDEX`, `DROP INDEX` (an index rename is a drop
//! and a create). Every other change of a table (column type, nullability,
//! default; constraints added, dropped or renamed; enum labels its columns
//! use) rebuilds the table once, covering all its changes, with the procedure
//! of <https://www.sqlite.org/lang_altertable.html#otheralter>: create
//! `_new_<table>` as the table is in the target schema, copy the rows of the
//! columns both have (renames are applied first; new columns get their
//! default), drop the table, rename the new one, recreate its indexes. Rebuilds
//! run after the migration's drops and renames and before everything else.
//!
//! A migration that rebuilds a table starts with `PRAGMA foreign_keys=OFF` and
//! ends with `PRAGMA foreign_key_check` and `PRAGMA foreign_keys=ON`. SQLite
//! ignores `PRAGMA foreign_keys` inside a transaction, so the migrator must run
//! such a migration with foreign keys off (outside a transaction, or switch
//! them off before `BEGIN`), and treat a row returned by
//! `PRAGMA foreign_key_check` as a failure.
//!
//! SQLite sorts NULLs first in an ascending index key and last in a
//! descending one, whatever the key says; a key's non-default `NULLS FIRST` /
//! `NULLS LAST` (PostgreSQL's default is the opposite of SQLite's order) is
//! kept in a comment after it (`/* schema: nulls first */`), like a `varchar`
//! length: declared, read back, not enforced.
//!
//! Comments (`COMMENT ON`) have no SQLite equivalent and are skipped: the
//! model's comments do not survive on SQLite ([`comparable`] clears them).
//!
//! # Data statements
//! A migration's `INSERT`, `UPDATE` and `DELETE` run as written, between the
//! schema changes around them, when SQLite reads them as PostgreSQL does
//! ([`data`]); otherwise they are [`Unsupported`].
//!
//! # Unsupported
//! [`Unsupported`], naming the change: a table without columns, two names
//! that differ only in case ([`case_collisions`]: SQLite ignores ASCII case in
//! names), objects outside the `public` schema,
//! the arrays above, `bit`, `bit varying`, `tsvector`, `tsquery`, sequences other than a
//! rowid alias's, `serial`/identity columns that are not the whole integer
//! primary key, deferrable primary keys and unique constraints, `NULLS NOT
//! DISTINCT`, `MATCH FULL` (SQLite parses it but does not enforce it), index
//! methods other than `btree`, `INCLUDE`, and expressions using
//! operators, functions or syntax SQLite does not have with the same meaning
//! (`ILIKE`, `SIMILAR TO`, regular expressions, arrays, `AT TIME ZONE`, ...).

pub mod data;

use std::collections::{BTreeMap, BTreeSet};

use sqlparser::ast::{
    BinaryOperator, CastKind, DataType, Expr, Function, FunctionArg, FunctionArgExpr,
    FunctionArguments, Ident, InTarget, ObjectName, UnaryOperator, Value,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use super::{Renderer, Statement, Unsupported, data_loss, literal};
use crate::diff::Change;
use crate::model::names::quote_ident;
use crate::model::types::TypeSpec;
use crate::model::{
    Column, Constraint, ConstraintKind, DEFAULT_SCHEMA, Expression, Identity, Index, IndexPart,
    QualifiedName, ReferentialAction, Schema, Sequence, SqlType, Table,
};
use crate::parse::apply::{expression_mentions, nextval};

/// The SQLite renderer.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sqlite;

/// The prefix of the table a rebuild creates and renames.
pub const REBUILD_PREFIX: &str = "_new_";

/// Functions SQLite has with PostgreSQL's name and meaning.
const SAME_FUNCTIONS: &[&str] = &[
    "abs", "coalesce", "length", "lower", "ltrim", "nullif", "replace", "round", "rtrim", "substr",
    "trim", "upper",
];

type Reason = String;

/// A double-quoted identifier, always (SQLite's keywords are not PostgreSQL's).
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn public(name: &QualifiedName, what: &str) -> Result<(), Reason> {
    if name.schema == DEFAULT_SCHEMA {
        Ok(())
    } else {
        Err(format!(
            "SQLite has no schemas: {what} `{name}` is outside `{DEFAULT_SCHEMA}`"
        ))
    }
}

/// The declared type of a column of type `ty`, without the enum's `CHECK`.
fn declared_type(ty: &SqlType) -> Result<String, Reason> {
    use SqlType as T;
    let with_precision = |name: &str, p: &Option<u32>| match p {
        Some(p) => format!("{name}({p})"),
        None => name.to_string(),
    };
    Ok(match ty {
        T::SmallInt => "SMALLINT".into(),
        T::Integer => "INTEGER".into(),
        T::BigInt => "BIGINT".into(),
        T::Real => "REAL".into(),
        T::DoublePrecision => "DOUBLE PRECISION".into(),
        T::Numeric {
            precision: Some(p),
            scale,
        } => format!("NUMERIC({p},{})", scale.unwrap_or(0)),
        T::Numeric { .. } => "NUMERIC".into(),
        T::Money => "MONEY".into(),
        T::Text => "TEXT".into(),
        T::Varchar(n) => with_precision("VARCHAR", n),
        T::Char(n) => format!("CHAR({n})"),
        T::Bytea => "BLOB".into(),
        T::Boolean => "BOOLEAN".into(),
        T::Date => "DATE".into(),
        T::Time {
            precision,
            with_time_zone,
        } => with_precision(if *with_time_zone { "TIMETZ" } else { "TIME" }, precision),
        T::Timestamp {
            precision,
            with_time_zone,
        } => with_precision(
            if *with_time_zone {
                "TIMESTAMPTZ"
            } else {
                "TIMESTAMP"
            },
            precision,
        ),
        T::Interval { precision } => with_precision("INTERVAL", precision),
        T::Uuid => "UUID".into(),
        T::Json => "JSON".into(),
        T::Jsonb => "JSONB".into(),
        T::Xml => "XML".into(),
        T::Inet => "INET".into(),
        T::Cidr => "CIDR".into(),
        T::MacAddr => "MACADDR".into(),
        T::Bit(_) | T::VarBit(_) => {
            return Err(format!(
                "SQLite has no bit strings (`{ty}` would be stored as a number)"
            ));
        }
        T::TsVector | T::TsQuery => {
            return Err(format!("SQLite has no text-search type `{ty}`"));
        }
        T::Array(inner) => {
            let element = match &**inner {
                T::Bytea => return Err(format!("SQLite has no array of blobs (`{ty}`)")),
                other => declared_type(other)?,
            };
            if element.contains('(') {
                return Err(format!(
                    "SQLite cannot declare an array of a type with a modifier (`{ty}`)"
                ));
            }
            format!("{element}[]")
        }
        T::Named(name) => {
            public(name, "type")?;
            quote_ident(&name.name)
        }
    })
}

/// Reads a declared type as this module writes it (`BLOB` is `bytea`) or as a
/// PostgreSQL type name.
///
/// # Errors
/// The type parser's message when the text is not a type the model knows.
pub fn type_from_sqlite(declared: &str) -> Result<SqlType, String> {
    if declared.trim().eq_ignore_ascii_case("blob") {
        return Ok(SqlType::Bytea);
    }
    SqlType::parse(declared)
}

/// Reads an expression SQLite stored (a default, a check, an index part) back
/// into canonical form: the inverse of the spelling this module writes.
///
/// # Errors
/// The parser's message when the text is not an expression.
pub fn expression_from_sqlite(text: &str) -> Result<Expression, String> {
    let e = Expression::parse(text)?;
    if e.sql() == "datetime('now')" {
        return Expression::parse("now()");
    }
    Ok(e)
}

fn parse_expr(text: &str) -> Result<Expr, Reason> {
    Parser::new(&PostgreSqlDialect {})
        .try_with_sql(text)
        .and_then(|mut p| p.parse_expr())
        .map_err(|e| e.to_string())
}

fn quote_ident_node(mut i: Ident) -> Ident {
    i.quote_style = Some('"');
    i
}

fn boxed(e: Expr) -> Result<Box<Expr>, Reason> {
    Ok(Box::new(to_sqlite(e)?))
}

fn sqlite_operator(op: &BinaryOperator) -> bool {
    use BinaryOperator as B;
    matches!(
        op,
        B::Plus
            | B::Minus
            | B::Multiply
            | B::Divide
            | B::Modulo
            | B::StringConcat
            | B::Gt
            | B::Lt
            | B::GtEq
            | B::LtEq
            | B::Eq
            | B::NotEq
            | B::And
            | B::Or
            | B::BitwiseOr
            | B::BitwiseAnd
            | B::PGBitwiseShiftLeft
            | B::PGBitwiseShiftRight
    )
}

fn function(f: Function) -> Result<Expr, Reason> {
    let name = f.name.to_string().to_ascii_lowercase();
    let plain = !f.uses_odbc_syntax
        && matches!(f.parameters, FunctionArguments::None)
        && f.filter.is_none()
        && f.null_treatment.is_none()
        && f.over.is_none()
        && f.within_group.is_empty();
    let unsupported = || format!("function `{name}` has no SQLite equivalent");
    if !plain {
        return Err(unsupported());
    }
    match (name.as_str(), f.args) {
        ("current_timestamp" | "current_date" | "current_time", FunctionArguments::None) => {
            Ok(Expr::Function(Function {
                name: f.name,
                args: FunctionArguments::None,
                ..f
            }))
        }
        ("now", FunctionArguments::List(list)) if list.args.is_empty() => {
            parse_expr("datetime('now')")
        }
        (n, FunctionArguments::List(mut list))
            if SAME_FUNCTIONS.contains(&n)
                && list.duplicate_treatment.is_none()
                && list.clauses.is_empty() =>
        {
            let mut args = Vec::new();
            for arg in list.args {
                match arg {
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => {
                        args.push(FunctionArg::Unnamed(FunctionArgExpr::Expr(to_sqlite(e)?)));
                    }
                    _ => return Err(unsupported()),
                }
            }
            list.args = args;
            Ok(Expr::Function(Function {
                name: f.name,
                args: FunctionArguments::List(list),
                ..f
            }))
        }
        _ => Err(unsupported()),
    }
}

/// A canonical expression tree in SQLite's spelling.
fn to_sqlite(e: Expr) -> Result<Expr, Reason> {
    use Expr as E;
    Ok(match e {
        E::Identifier(i) => E::Identifier(quote_ident_node(i)),
        E::CompoundIdentifier(parts) => {
            E::CompoundIdentifier(parts.into_iter().map(quote_ident_node).collect())
        }
        E::Value(v) => match v.value {
            Value::Number(..) | Value::SingleQuotedString(_) | Value::Boolean(_) | Value::Null => {
                E::Value(v)
            }
            other => return Err(format!("the literal `{other}` has no SQLite spelling")),
        },
        E::Nested(inner) => E::Nested(boxed(*inner)?),
        E::UnaryOp {
            op: op @ (UnaryOperator::Not | UnaryOperator::Minus | UnaryOperator::Plus),
            expr,
        } => E::UnaryOp {
            op,
            expr: boxed(*expr)?,
        },
        E::BinaryOp { left, op, right } if sqlite_operator(&op) => E::BinaryOp {
            left: boxed(*left)?,
            op,
            right: boxed(*right)?,
        },
        E::Like {
            negated,
            any: false,
            expr,
            pattern,
            escape_char,
        } => E::Like {
            negated,
            any: false,
            expr: boxed(*expr)?,
            pattern: boxed(*pattern)?,
            escape_char: escape_char.map(|c| boxed(*c)).transpose()?,
        },
        E::In {
            expr,
            target: InTarget::List(list),
            negated,
            global: false,
        } => E::In {
            expr: boxed(*expr)?,
            target: InTarget::List(list.into_iter().map(to_sqlite).collect::<Result<_, _>>()?),
            negated,
            global: false,
        },
        E::Between {
            expr,
            negated,
            low,
            high,
        } => E::Between {
            expr: boxed(*expr)?,
            negated,
            low: boxed(*low)?,
            high: boxed(*high)?,
        },
        E::IsNull(x) => E::IsNull(boxed(*x)?),
        E::IsNotNull(x) => E::IsNotNull(boxed(*x)?),
        E::IsTrue(x) => E::IsTrue(boxed(*x)?),
        E::IsNotTrue(x) => E::IsNotTrue(boxed(*x)?),
        E::IsFalse(x) => E::IsFalse(boxed(*x)?),
        E::IsNotFalse(x) => E::IsNotFalse(boxed(*x)?),
        E::IsDistinctFrom(a, b) => E::IsDistinctFrom(boxed(*a)?, boxed(*b)?),
        E::IsNotDistinctFrom(a, b) => E::IsNotDistinctFrom(boxed(*a)?, boxed(*b)?),
        E::Case {
            case_token,
            end_token,
            operand,
            conditions,
            else_result,
        } => E::Case {
            case_token,
            end_token,
            operand: operand.map(|o| boxed(*o)).transpose()?,
            conditions: conditions
                .into_iter()
                .map(|w| {
                    Ok(sqlparser::ast::CaseWhen {
                        condition: to_sqlite(w.condition)?,
                        result: to_sqlite(w.result)?,
                    })
                })
                .collect::<Result<_, Reason>>()?,
            else_result: else_result.map(|e| boxed(*e)).transpose()?,
        },
        E::Cast {
            kind: CastKind::Cast | CastKind::DoubleColon,
            expr,
            data_type,
            format: None,
        } => {
            let ty = TypeSpec::from_ast(&data_type)?.ty;
            if matches!(ty, SqlType::Named(_) | SqlType::Bytea) {
                return Err(format!("SQLite has no cast to `{ty}`"));
            }
            E::Cast {
                kind: CastKind::Cast,
                expr: boxed(*expr)?,
                data_type: DataType::Custom(
                    ObjectName::from(vec![Ident::new(declared_type(&ty)?)]),
                    Vec::new(),
                ),
                format: None,
            }
        }
        E::Function(f) => function(f)?,
        E::Trim {
            trim_where: None,
            trim_what: None,
            expr,
            trim_characters: None,
        } => E::Trim {
            trim_where: None,
            trim_what: None,
            expr: boxed(*expr)?,
            trim_characters: None,
        },
        other => return Err(format!("`{other}` has no SQLite equivalent")),
    })
}

/// An expression in SQLite's spelling.
fn sqlite_expr(e: &Expression) -> Result<String, Reason> {
    let tree = parse_expr(e.sql())?;
    let out = to_sqlite(tree).map_err(|why| format!("`{e}`: {why}"))?;
    Ok(out.to_string())
}

/// A `DEFAULT` clause's expression, and whether `ADD COLUMN` accepts it (a
/// literal: SQLite refuses `CURRENT_*` and parenthesised expressions there).
fn sqlite_default(e: &Expression) -> Result<(String, bool), Reason> {
    let tree = to_sqlite(parse_expr(e.sql())?).map_err(|why| format!("`{e}`: {why}"))?;
    let text = tree.to_string();
    let number = |e: &Expr| matches!(e, Expr::Value(v) if matches!(v.value, Value::Number(..)));
    Ok(match tree {
        Expr::Value(_) => (text, true),
        Expr::UnaryOp {
            op: UnaryOperator::Minus | UnaryOperator::Plus,
            ref expr,
        } if number(expr) => (text, true),
        Expr::Function(ref f) if matches!(f.args, FunctionArguments::None) => (text, false),
        _ => (format!("({text})"), false),
    })
}

/// The comment that keeps an index key's non-default `NULLS FIRST`/`NULLS LAST`.
fn nulls_marker(nulls_first: bool) -> String {
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
    pub fn to_comment(&self) -> Result<String, String> {
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
fn enum_marker(name: &QualifiedName) -> Result<String, Reason> {
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

/// The part of a model SQLite keeps, for comparing a model with what SQLite
/// introspection reads: comments cleared, enum types no column uses and
/// extensions (PostgreSQL's alone) left out.
pub fn comparable(schema: &Schema) -> Schema {
    let mut out = schema.clone();
    out.extensions = crate::model::ObjectMap::new();
    let used: BTreeSet<QualifiedName> = schema
        .tables
        .values()
        .flat_map(|t| &t.columns)
        .filter_map(|c| match &c.data_type {
            SqlType::Named(n) => Some(n.clone()),
            SqlType::Array(inner) => match &**inner {
                SqlType::Named(n) => Some(n.clone()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    out.enums.retain(|name, _| used.contains(name));
    let names: Vec<QualifiedName> = out.tables.keys().cloned().collect();
    for name in names {
        if let Some(t) = out.tables.get_mut(&name) {
            t.comment = None;
            for c in &mut t.columns {
                c.comment = None;
            }
        }
    }
    out
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

/// An enum array's labels are read back from a column of the enum type (an
/// array has no `CHECK` to hold them): such a column must exist.
fn enum_arrays_have_labels(schema: &Schema) -> Result<(), Reason> {
    let columns = || {
        schema
            .tables
            .values()
            .flat_map(|t| t.columns.iter().map(move |c| (t, c)))
    };
    for (t, c) in columns() {
        if let SqlType::Array(inner) = &c.data_type {
            if let SqlType::Named(e) = &**inner {
                let scalar = columns().any(|(_, s)| s.data_type == **inner);
                if !scalar {
                    return Err(format!(
                        "SQLite keeps the labels of enum type `{e}` in the `CHECK` of a column \
                         of that type, and `{}.{}` (`{}`) has none to read them from",
                        t.name, c.name, c.data_type
                    ));
                }
            }
        }
    }
    Ok(())
}

/// How `c` is numbered automatically, if it is.
fn rowid_kind(table: &Table, c: &Column, schema: &Schema) -> Result<Option<RowidKind>, Reason> {
    if let Some(kind) = c.identity {
        return Ok(Some(RowidKind::Identity(kind)));
    }
    Ok(serial_sequence(table, c, schema)?.map(|s| RowidKind::Serial(s.name.clone())))
}

/// The column of `table` that is a rowid alias numbered automatically, checking
/// that every automatically numbered column can be one.
fn rowid_alias(table: &Table, schema: &Schema) -> Result<Option<(String, RowidMarker)>, Reason> {
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

/// True when `expr` refers to `column`.
fn mentions(expr: &Expression, column: &str) -> bool {
    expression_mentions(expr, column)
}

/// True when index `i` uses `column` (key, expression, `INCLUDE`, predicate).
fn index_mentions(i: &Index, column: &str) -> bool {
    i.include.iter().any(|c| c == column)
        || i.predicate.as_ref().is_some_and(|p| mentions(p, column))
        || i.keys.iter().any(|k| match &k.part {
            IndexPart::Column(c) => c == column,
            IndexPart::Expression(e) => mentions(e, column),
        })
}

/// True when constraint `c` uses `column`.
fn constraint_mentions(c: &Constraint, column: &str) -> bool {
    match &c.kind {
        ConstraintKind::Check { expr } => mentions(expr, column),
        kind => kind.columns().iter().any(|c| c == column),
    }
}

impl Sqlite {
    fn column_list(&self, columns: &[String]) -> String {
        columns
            .iter()
            .map(|c| quoted(c))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `REFERENCES ...` with actions and deferral.
    fn references(&self, fk: &crate::model::ForeignKey, c: &Constraint) -> Result<String, Reason> {
        public(&fk.ref_table, "table")?;
        if fk.match_full {
            return Err("SQLite parses `MATCH FULL` but does not enforce it".to_string());
        }
        let mut s = format!(
            "REFERENCES {} ({})",
            quoted(&fk.ref_table.name),
            self.column_list(&fk.ref_columns)
        );
        if fk.on_update != ReferentialAction::NoAction {
            s.push_str(&format!(" ON UPDATE {}", fk.on_update.as_sql()));
        }
        if fk.on_delete != ReferentialAction::NoAction {
            s.push_str(&format!(" ON DELETE {}", fk.on_delete.as_sql()));
        }
        if c.deferrable {
            s.push_str(if c.initially_deferred {
                " DEFERRABLE INITIALLY DEFERRED"
            } else {
                " DEFERRABLE INITIALLY IMMEDIATE"
            });
        }
        Ok(s)
    }

    /// `CONSTRAINT name <body>` as a table constraint.
    fn table_constraint(&self, c: &Constraint) -> Result<String, Reason> {
        if c.deferrable && !matches!(c.kind, ConstraintKind::ForeignKey(_)) {
            return Err(format!(
                "SQLite can defer only foreign keys, not {} `{}`",
                c.kind.describe(),
                c.name
            ));
        }
        let body = match &c.kind {
            ConstraintKind::PrimaryKey { columns } => {
                format!("PRIMARY KEY ({})", self.column_list(columns))
            }
            ConstraintKind::Unique {
                columns,
                nulls_not_distinct,
            } => {
                if *nulls_not_distinct {
                    return Err(format!(
                        "SQLite has no `NULLS NOT DISTINCT` (unique constraint `{}`)",
                        c.name
                    ));
                }
                format!("UNIQUE ({})", self.column_list(columns))
            }
            ConstraintKind::ForeignKey(fk) => format!(
                "FOREIGN KEY ({}) {}",
                self.column_list(&fk.columns),
                self.references(fk, c)?
            ),
            ConstraintKind::Check { expr } => format!("CHECK ({})", sqlite_expr(expr)?),
        };
        Ok(format!("CONSTRAINT {} {body}", quoted(&c.name)))
    }

    /// A column's name, declared type, generated expression, default and
    /// nullability.
    fn plain_column(&self, c: &Column) -> Result<String, Reason> {
        let declared = match &c.data_type {
            // TEXT affinity, so a label that looks like a number stays text.
            SqlType::Named(name) => format!("TEXT {}", enum_marker(name)?),
            other => declared_type(other)?,
        };
        let mut out = format!("{} {declared}", quoted(&c.name));
        if let Some(g) = &c.generated {
            out.push_str(&format!(
                " GENERATED ALWAYS AS ({}) STORED",
                sqlite_expr(g)?
            ));
        }
        if let Some(d) = &c.default {
            out.push_str(&format!(" DEFAULT {}", sqlite_default(d)?.0));
        }
        if !c.nullable {
            out.push_str(" NOT NULL");
        }
        Ok(out)
    }

    /// A column definition in its table (`schema` is the one the table is in):
    /// the plain column and the enum's `CHECK`, or for the rowid alias its
    /// marker and inline primary key.
    fn column_sql(
        &self,
        table: &Table,
        c: &Column,
        schema: &Schema,
        alias: Option<&(String, RowidMarker)>,
    ) -> Result<String, Reason> {
        if let Some((_, marker)) = alias.filter(|(name, _)| *name == c.name) {
            let pk = table
                .primary_key()
                .map(|p| p.name.clone())
                .ok_or_else(|| format!("`{}` has no primary key", table.name))?;
            return Ok(format!(
                "{} INTEGER {} NOT NULL CONSTRAINT {} PRIMARY KEY AUTOINCREMENT",
                quoted(&c.name),
                marker.to_comment()?,
                quoted(&pk)
            ));
        }
        let mut out = self.plain_column(c)?;
        if let SqlType::Named(name) = &c.data_type {
            let e = schema.enums.get(name).ok_or_else(|| {
                format!(
                    "type `{name}` of `{}.{}` is not an enum type",
                    table.name, c.name
                )
            })?;
            let labels: Vec<String> = e.values.iter().map(|v| literal(v)).collect();
            out.push_str(&format!(
                " CHECK ({} IN ({}))",
                quoted(&c.name),
                labels.join(", ")
            ));
        }
        Ok(out)
    }

    /// `CREATE TABLE` for `table` as it is in `schema`, named `name`, with every
    /// constraint (foreign keys included) and without its indexes.
    fn create_table_sql(
        &self,
        name: &str,
        table: &Table,
        schema: &Schema,
    ) -> Result<String, Reason> {
        public(&table.name, "table")?;
        enum_arrays_have_labels(schema)?;
        let alias = rowid_alias(table, schema)?;
        let mut items = Vec::new();
        for c in &table.columns {
            items.push(self.column_sql(table, c, schema, alias.as_ref())?);
        }
        for c in table.constraints.values() {
            let inline_pk = alias.is_some() && matches!(c.kind, ConstraintKind::PrimaryKey { .. });
            if !inline_pk {
                items.push(self.table_constraint(c)?);
            }
        }
        Ok(format!(
            "CREATE TABLE {} (\n    {}\n);",
            quoted(name),
            items.join(",\n    ")
        ))
    }

    fn index_sql(&self, table: &QualifiedName, i: &Index) -> Result<String, Reason> {
        public(table, "table")?;
        if i.method != "btree" {
            return Err(format!(
                "SQLite has only b-tree indexes, not `{}` (index `{}`)",
                i.method, i.name
            ));
        }
        if !i.include.is_empty() {
            return Err(format!("SQLite has no `INCLUDE` (index `{}`)", i.name));
        }
        if i.nulls_not_distinct {
            return Err(format!(
                "SQLite has no `NULLS NOT DISTINCT` (index `{}`)",
                i.name
            ));
        }
        let mut keys = Vec::new();
        for k in &i.keys {
            let mut s = match &k.part {
                IndexPart::Column(c) => quoted(c),
                IndexPart::Expression(e) => format!("({})", sqlite_expr(e)?),
            };
            if k.descending {
                s.push_str(" DESC");
            }
            if k.nulls_first != k.descending {
                s.push(' ');
                s.push_str(&nulls_marker(k.nulls_first));
            }
            keys.push(s);
        }
        let mut out = format!(
            "CREATE {}INDEX {} ON {} ({})",
            if i.unique { "UNIQUE " } else { "" },
            quoted(&i.name),
            quoted(&table.name),
            keys.join(", ")
        );
        if let Some(p) = &i.predicate {
            out.push_str(&format!(" WHERE {}", sqlite_expr(p)?));
        }
        out.push(';');
        Ok(out)
    }
}

/// How the renderer runs a change list: which tables are created, dropped and
/// rebuilt.
struct Plan<'a> {
    changes: &'a [Change],
    from: &'a Schema,
    to: &'a Schema,
    /// Tables created by the change list (target names).
    created: BTreeSet<QualifiedName>,
    /// Tables dropped by the change list.
    dropped: BTreeSet<QualifiedName>,
    /// Tables to rebuild (target names), with the change that needs it.
    rebuilt: BTreeMap<QualifiedName, usize>,
}

impl<'a> Plan<'a> {
    /// The name table `name` of `from` has after the change list's renames.
    fn target(&self, name: &QualifiedName) -> QualifiedName {
        self.changes
            .iter()
            .find_map(|c| match c {
                Change::RenameTable { from, to } if from == name => Some(to.clone()),
                _ => None,
            })
            .unwrap_or_else(|| name.clone())
    }

    /// The name table `name` of `to` has in `from`.
    fn source(&self, name: &QualifiedName) -> QualifiedName {
        self.changes
            .iter()
            .find_map(|c| match c {
                Change::RenameTable { from, to } if to == name => Some(from.clone()),
                _ => None,
            })
            .unwrap_or_else(|| name.clone())
    }

    /// Table `name` of `to` as it is in `from`, with the list's column renames applied.
    fn source_table(&self, name: &QualifiedName) -> Option<Table> {
        let mut t = self.from.tables.get(&self.source(name))?.clone();
        for c in self.changes {
            if let Change::RenameColumn { table, from, to } = c {
                if table == name {
                    if let Some(col) = t.column_mut(from) {
                        col.name.clone_from(to);
                    }
                }
            }
        }
        Some(t)
    }

    /// The foreign key folded into a native `ADD COLUMN`, if any; `Err` when the
    /// column cannot be added natively.
    fn native_add(&self, table: &QualifiedName, c: &Column) -> Result<Option<&'a Constraint>, ()> {
        let Some(t) = self.to.tables.get(table) else {
            return Err(());
        };
        if c.generated.is_some() || rowid_kind(t, c, self.to).map_err(|_| ())?.is_some() {
            return Err(());
        }
        let default = match &c.default {
            None => None,
            Some(d) => {
                let (text, constant) = sqlite_default(d).map_err(|_| ())?;
                if !constant {
                    return Err(());
                }
                Some(text)
            }
        };
        let null_default = default
            .as_deref()
            .is_none_or(|d| d.eq_ignore_ascii_case("NULL"));
        if !c.nullable && null_default {
            return Err(());
        }
        let changes: &'a [Change] = self.changes;
        let mut folded = None;
        for ch in changes {
            let Change::AddConstraint {
                table: t,
                constraint,
            } = ch
            else {
                continue;
            };
            if t != table || !constraint_mentions(constraint, &c.name) {
                continue;
            }
            match &constraint.kind {
                ConstraintKind::ForeignKey(fk)
                    if fk.columns == [c.name.clone()] && null_default && folded.is_none() =>
                {
                    folded = Some(constraint);
                }
                _ => return Err(()),
            }
        }
        Ok(folded)
    }

    /// True when SQLite can `DROP COLUMN` `column` of `table` (target name).
    fn native_drop(&self, table: &QualifiedName, column: &str) -> bool {
        let Some(t) = self.source_table(table) else {
            return false;
        };
        let source = self.source(table);
        let dropped_index = |name: &str| {
            self.changes.iter().any(|c| {
                matches!(c, Change::DropIndex { table: tt, index } if *tt == source && index.name == name)
            })
        };
        let auto = t
            .column(column)
            .is_some_and(|c| rowid_kind(&t, c, self.from).ok().flatten().is_some());
        !auto
            && !t
                .constraints
                .values()
                .any(|c| constraint_mentions(c, column))
            && !t
                .indexes
                .values()
                .any(|i| index_mentions(i, column) && !dropped_index(&i.name))
            && !t.columns.iter().any(|c| {
                c.name != column && c.generated.as_ref().is_some_and(|g| mentions(g, column))
            })
    }

    /// True when an `ALTER COLUMN` changes more than the comment.
    fn alters(from: &Column, to: &Column) -> bool {
        let mut a = from.clone();
        a.comment.clone_from(&to.comment);
        a != *to
    }

    /// The tables of `to` (not created here) whose columns use enum `name` and
    /// already existed with that type.
    fn enum_users(&self, name: &QualifiedName) -> Vec<QualifiedName> {
        let mut out = Vec::new();
        for t in self.to.tables.values() {
            if self.created.contains(&t.name) {
                continue;
            }
            let Some(source) = self.source_table(&t.name) else {
                continue;
            };
            let uses = t.columns.iter().any(|c| {
                matches!(&c.data_type, SqlType::Named(n) if n == name)
                    && source
                        .column(&c.name)
                        .is_some_and(|s| s.data_type == c.data_type)
            });
            if uses {
                out.push(t.name.clone());
            }
        }
        out
    }

    fn new(changes: &'a [Change], from: &'a Schema, to: &'a Schema) -> Self {
        let mut plan = Plan {
            changes,
            from,
            to,
            created: BTreeSet::new(),
            dropped: BTreeSet::new(),
            rebuilt: BTreeMap::new(),
        };
        for c in changes {
            match c {
                Change::CreateTable(t) => {
                    plan.created.insert(t.name.clone());
                }
                Change::DropTable(t) => {
                    plan.dropped.insert(t.name.clone());
                }
                _ => {}
            }
        }
        let mut rebuilt = Vec::new();
        for (i, c) in changes.iter().enumerate() {
            match c {
                Change::AlterColumn { table, from, to } if Self::alters(from, to) => {
                    rebuilt.push((table.clone(), i));
                }
                Change::AddColumn { table, column }
                    if !plan.created.contains(table) && plan.native_add(table, column).is_err() =>
                {
                    rebuilt.push((table.clone(), i));
                }
                Change::DropColumn { table, column } if !plan.native_drop(table, &column.name) => {
                    rebuilt.push((table.clone(), i));
                }
                Change::AddConstraint { table, constraint } if !plan.created.contains(table) => {
                    let folded = changes.iter().any(|ch| match ch {
                        Change::AddColumn { table: t, column } if t == table => plan
                            .native_add(table, column)
                            .ok()
                            .flatten()
                            .is_some_and(|k| k.name == constraint.name),
                        _ => false,
                    });
                    if !folded {
                        rebuilt.push((table.clone(), i));
                    }
                }
                Change::DropConstraint { table, .. } if !plan.dropped.contains(table) => {
                    rebuilt.push((plan.target(table), i));
                }
                Change::RenameConstraint { table, .. } => rebuilt.push((table.clone(), i)),
                Change::AddEnumValue { name, .. } => {
                    for t in plan.enum_users(name) {
                        rebuilt.push((t, i));
                    }
                }
                Change::RecreateEnum { to: e, .. } => {
                    for t in plan.enum_users(&e.name) {
                        rebuilt.push((t, i));
                    }
                }
                // The column's marker names its sequence.
                Change::RenameSequence { to: seq, .. } => {
                    let owner = plan
                        .to
                        .sequences
                        .get(seq)
                        .and_then(|s| s.owned_by.as_ref())
                        .map(|(t, _)| t.clone());
                    if let Some(t) = owner.filter(|t| !plan.created.contains(t)) {
                        rebuilt.push((t, i));
                    }
                }
                _ => {}
            }
        }
        for (t, i) in rebuilt {
            plan.rebuilt.entry(t).or_insert(i);
        }
        plan
    }
}

/// The target table a per-table change applies to (renames of tables and
/// columns, creates and drops excluded: they always run natively).
fn changed_table(plan: &Plan<'_>, c: &Change) -> Option<QualifiedName> {
    match c {
        Change::AddColumn { table, .. }
        | Change::DropColumn { table, .. }
        | Change::AlterColumn { table, .. }
        | Change::AddConstraint { table, .. }
        | Change::RenameConstraint { table, .. }
        | Change::CreateIndex { table, .. }
        | Change::RenameIndex { table, .. } => Some(table.clone()),
        Change::DropConstraint { table, .. } | Change::DropIndex { table, .. } => {
            Some(plan.target(table))
        }
        _ => None,
    }
}

/// True when `seq` numbers a `serial` column of `schema` (the only sequences
/// SQLite keeps, as the column's rowid).
fn attached(seq: &Sequence, schema: &Schema) -> bool {
    seq.owned_by.as_ref().is_some_and(|(t, c)| {
        schema
            .tables
            .get(t)
            .and_then(|t| t.column(c))
            .is_some_and(|c| c.default == Some(nextval(&seq.name)))
    })
}

fn sequence_check(seq: &Sequence, schema: &Schema) -> Result<(), Reason> {
    public(&seq.name, "sequence")?;
    if attached(seq, schema) {
        Ok(())
    } else {
        Err(format!(
            "SQLite has no sequences; only the one a `serial` primary key owns is kept, as its rowid (`{}` is not one)",
            seq.name
        ))
    }
}

/// Dropped tables, children before their parents; true when foreign keys make
/// a cycle (then foreign keys must be off).
fn drop_order(plan: &Plan<'_>) -> (Vec<Table>, bool) {
    let mut left: Vec<Table> = plan
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::DropTable(t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    while !left.is_empty() {
        let referenced = |name: &QualifiedName, left: &[Table]| {
            left.iter().any(|t| {
                t.name != *name
                    && t.constraints.values().any(
                        |c| matches!(&c.kind, ConstraintKind::ForeignKey(fk) if fk.ref_table == *name),
                    )
            })
        };
        match left.iter().position(|t| !referenced(&t.name, &left)) {
            Some(i) => out.push(left.remove(i)),
            None => {
                out.append(&mut left);
                return (out, true);
            }
        }
    }
    (out, false)
}

impl Sqlite {
    fn unsupported(&self, change: &Change, reason: Reason) -> Unsupported {
        Unsupported {
            dialect: self.name(),
            change: change.to_string(),
            reason,
        }
    }

    /// The rebuild of `table` (target name) into its shape in `to`.
    fn rebuild(&self, plan: &Plan<'_>, table: &QualifiedName) -> Result<Vec<Statement>, Reason> {
        let target = plan
            .to
            .tables
            .get(table)
            .ok_or_else(|| format!("table `{table}` is not in the target schema"))?;
        let source = plan
            .source_table(table)
            .ok_or_else(|| format!("table `{table}` is not in the source schema"))?;
        let tmp = format!("{REBUILD_PREFIX}{}", table.name);
        let mut out = vec![Statement::new(
            self.create_table_sql(&tmp, target, plan.to)?,
        )];
        let copied: Vec<String> = target
            .columns
            .iter()
            .filter(|c| c.generated.is_none() && source.column(&c.name).is_some())
            .map(|c| quoted(&c.name))
            .collect();
        // Every row is kept: with no column in common, the rows are carried by
        // their rowid and the new columns take their defaults.
        let cols = if copied.is_empty() {
            "rowid".to_string()
        } else {
            copied.join(", ")
        };
        out.push(Statement::new(format!(
            "INSERT INTO {} ({cols}) SELECT {cols} FROM {};",
            quoted(&tmp),
            quoted(&table.name)
        )));
        let numbered_before = plan
            .from
            .tables
            .get(&plan.source(table))
            .is_some_and(|t| rowid_alias(t, plan.from).ok().flatten().is_some());
        if numbered_before && rowid_alias(target, plan.to)?.is_some() {
            // Keep AUTOINCREMENT's high-water mark: values are never reused.
            out.push(Statement::new(format!(
                "DELETE FROM sqlite_sequence WHERE name = {};",
                literal(&tmp)
            )));
            out.push(Statement::new(format!(
                "INSERT INTO sqlite_sequence (name, seq) SELECT {}, seq FROM sqlite_sequence WHERE name = {};",
                literal(&tmp),
                literal(&table.name)
            )));
        }
        out.push(Statement::new(format!(
            "DROP TABLE {};",
            quoted(&table.name)
        )));
        out.push(Statement::new(format!(
            "ALTER TABLE {} RENAME TO {};",
            quoted(&tmp),
            quoted(&table.name)
        )));
        for i in target.indexes.values() {
            out.push(Statement::new(self.index_sql(table, i)?));
        }
        Ok(out)
    }

    /// Every rebuild of the plan, each with the changes it covers in comments.
    fn rebuilds(&self, plan: &Plan<'_>) -> Result<Vec<Statement>, Unsupported> {
        let mut out = Vec::new();
        for (table, &why) in &plan.rebuilt {
            let mut stmts = self
                .rebuild(plan, table)
                .map_err(|r| self.unsupported(&plan.changes[why], r))?;
            let mut comments = vec![format!(
                "rebuild `{table}`: SQLite cannot {} in place",
                plan.changes[why]
            )];
            for c in plan.changes {
                if changed_table(plan, c).as_ref() == Some(table) {
                    if let Some(loss) = data_loss(c) {
                        comments.push(format!("destructive: {loss}"));
                    }
                }
            }
            if let Some(first) = stmts.first_mut() {
                first.comments = comments;
            }
            out.append(&mut stmts);
        }
        Ok(out)
    }

    /// The statements of one change that runs natively (none when it is
    /// covered by a rebuild, by its table's `CREATE TABLE` or has no SQLite
    /// meaning).
    fn native(
        &self,
        plan: &Plan<'_>,
        change: &Change,
        drops: &mut Option<Vec<Table>>,
    ) -> Result<Vec<Statement>, Reason> {
        if changed_table(plan, change).is_some_and(|t| plan.rebuilt.contains_key(&t)) {
            return Ok(Vec::new());
        }
        let one = |sql: String| Ok(vec![Statement::new(sql)]);
        match change {
            Change::CreateEnum(e) | Change::DropEnum(e) => {
                public(&e.name, "type")?;
                Ok(Vec::new())
            }
            Change::AddEnumValue { name, .. } => {
                public(name, "type")?;
                Ok(Vec::new())
            }
            Change::RecreateEnum { to, .. } => {
                public(&to.name, "type")?;
                Ok(Vec::new())
            }
            Change::CreateSequence(s) | Change::AlterSequence { to: s, .. } => {
                sequence_check(s, plan.to)?;
                Ok(Vec::new())
            }
            Change::DropSequence(s) => {
                sequence_check(s, plan.from)?;
                Ok(Vec::new())
            }
            Change::RenameSequence { to, .. } => {
                let s = plan
                    .to
                    .sequences
                    .get(to)
                    .ok_or_else(|| format!("sequence `{to}` is not in the target schema"))?;
                sequence_check(s, plan.to)?;
                Ok(Vec::new())
            }
            Change::CreateSchema(_) | Change::DropSchema(_) => {
                Err("SQLite has no schemas".to_string())
            }
            // PostgreSQL's alone: a comment marks the place (README, "Dialects").
            Change::CreateExtension(_)
            | Change::DropExtension(_)
            | Change::ReplaceExtension { .. } => Ok(vec![Statement {
                comments: vec![format!(
                    "{change}: a PostgreSQL extension, nothing to do in SQLite"
                )],
                sql: String::new(),
            }]),
            Change::CreateTable(t) => {
                let full = plan.to.tables.get(&t.name).unwrap_or(t);
                one(self.create_table_sql(&t.name.name, full, plan.to)?)
            }
            Change::DropTable(_) => {
                let mut out = Vec::new();
                for t in drops.take().unwrap_or_default() {
                    public(&t.name, "table")?;
                    let mut s = Statement::new(format!("DROP TABLE {};", quoted(&t.name.name)));
                    if let Some(loss) = data_loss(&Change::DropTable(t.clone())) {
                        s.comments.push(format!("destructive: {loss}"));
                    }
                    out.push(s);
                }
                Ok(out)
            }
            Change::RenameTable { from, to } => {
                public(from, "table")?;
                public(to, "table")?;
                one(format!(
                    "ALTER TABLE {} RENAME TO {};",
                    quoted(&from.name),
                    quoted(&to.name)
                ))
            }
            Change::RenameColumn { table, from, to } => {
                public(table, "table")?;
                one(format!(
                    "ALTER TABLE {} RENAME COLUMN {} TO {};",
                    quoted(&table.name),
                    quoted(from),
                    quoted(to)
                ))
            }
            Change::RenameIndex { table, from, to } => {
                let index = plan
                    .to
                    .tables
                    .get(table)
                    .and_then(|t| t.indexes.get(to))
                    .ok_or_else(|| format!("index `{to}` is not in the target schema"))?;
                Ok(vec![
                    Statement::new(format!("DROP INDEX {};", quoted(from))),
                    Statement::new(self.index_sql(table, index)?),
                ])
            }
            Change::AddColumn { table, column } => {
                let t = plan
                    .to
                    .tables
                    .get(table)
                    .ok_or_else(|| format!("table `{table}` is not in the target schema"))?;
                let folded = plan
                    .native_add(table, column)
                    .map_err(|()| "SQLite cannot add this column in place".to_string())?;
                let mut sql = format!(
                    "ALTER TABLE {} ADD COLUMN {}",
                    quoted(&table.name),
                    self.column_sql(t, column, plan.to, None)?
                );
                if let Some(fk) = folded {
                    if let ConstraintKind::ForeignKey(k) = &fk.kind {
                        sql.push_str(&format!(
                            " CONSTRAINT {} {}",
                            quoted(&fk.name),
                            self.references(k, fk)?
                        ));
                    }
                }
                sql.push(';');
                one(sql)
            }
            Change::DropColumn { table, column } => one(format!(
                "ALTER TABLE {} DROP COLUMN {};",
                quoted(&table.name),
                quoted(&column.name)
            )),
            Change::CreateIndex { table, index } => one(self.index_sql(table, index)?),
            Change::DropIndex { index, .. } => one(format!("DROP INDEX {};", quoted(&index.name))),
            // Covered by a rebuild, a `CREATE TABLE` or an `ADD COLUMN`; comments
            // have no SQLite equivalent.
            Change::AlterColumn { .. }
            | Change::AddConstraint { .. }
            | Change::DropConstraint { .. }
            | Change::RenameConstraint { .. }
            | Change::SetTableComment { .. } => Ok(Vec::new()),
        }
    }
}

/// True for the changes that run before rebuilds: drops and renames.
fn runs_before_rebuilds(c: &Change) -> bool {
    matches!(
        c,
        Change::DropConstraint { .. }
            | Change::DropIndex { .. }
            | Change::DropTable(_)
            | Change::RenameTable { .. }
            | Change::RenameColumn { .. }
            | Change::RenameConstraint { .. }
            | Change::RenameIndex { .. }
    )
}

/// Two objects whose names differ only in case, which SQLite (ignoring ASCII
/// case in names) reads as one: tables and indexes share one namespace, the
/// columns of a table another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseCollision {
    /// Each object described (`table "Users"`) with where it is declared,
    /// in name order.
    pub objects: [(String, crate::Origin); 2],
}

/// Every pair of objects of `schema` that SQLite would read as one name.
pub fn case_collisions(schema: &Schema) -> Vec<CaseCollision> {
    fn pairs(names: Vec<(String, String, crate::Origin)>, out: &mut Vec<CaseCollision>) {
        let mut by_key: BTreeMap<String, Vec<(String, String, crate::Origin)>> = BTreeMap::new();
        for (name, what, origin) in names {
            by_key
                .entry(name.to_ascii_lowercase())
                .or_default()
                .push((name, what, origin));
        }
        for mut group in by_key.into_values() {
            group.sort_by(|a, b| a.0.cmp(&b.0));
            let mut group = group.into_iter();
            let Some((_, first, first_at)) = group.next() else {
                continue;
            };
            for (_, what, at) in group {
                out.push(CaseCollision {
                    objects: [(first.clone(), first_at.clone()), (what, at)],
                });
            }
        }
    }
    let mut out = Vec::new();
    let mut all = Vec::new();
    for t in schema.tables.values() {
        all.extend(relations(t).map(|(n, i, o)| (n.to_string(), describe(t, i), o.clone())));
        let columns = t
            .columns
            .iter()
            .map(|c| (c.name.clone(), describe_column(t, c), c.origin.clone()))
            .collect();
        pairs(columns, &mut out);
    }
    pairs(all, &mut out);
    out
}

/// The relations (a table and its indexes) SQLite names in one namespace:
/// each name, its index (none for the table) and where it is declared.
fn relations(t: &Table) -> impl Iterator<Item = (&str, Option<&Index>, &crate::Origin)> {
    std::iter::once((t.name.name.as_str(), None, &t.origin)).chain(
        t.indexes
            .values()
            .map(|i| (i.name.as_str(), Some(i), &i.origin)),
    )
}

/// `column "c" of "t"`.
fn describe_column(t: &Table, c: &Column) -> String {
    format!("column {} of {}", quoted(&c.name), quoted(&t.name.name))
}

/// `table "t"` or `index "i" on "t"`.
fn describe(t: &Table, index: Option<&Index>) -> String {
    match index {
        None => format!("table {}", quoted(&t.name.name)),
        Some(i) => format!("index {} on {}", quoted(&i.name), quoted(&t.name.name)),
    }
}

/// The pairs of [`case_collisions`] of `after` that the schema before the
/// migration did not have, looking only at what `touched` (the objects a
/// migration left, as in `after`) names: fast on a large schema. `before`
/// holds the objects the migration touched as they were before it (what
/// replay's journal gives); every other object is as in `after`.
pub fn new_case_collisions(
    before: &Schema,
    after: &Schema,
    touched: &Schema,
) -> Vec<CaseCollision> {
    let clash = |a: &str, b: &str| a != b && a.eq_ignore_ascii_case(b);
    let pair = |a: (String, crate::Origin), b: (String, crate::Origin)| {
        let objects = if a.0 <= b.0 { [a, b] } else { [b, a] };
        CaseCollision { objects }
    };
    let mut out: Vec<CaseCollision> = Vec::new();
    for t in touched.tables.values() {
        let old = before.tables.get(&t.name);
        let had = |name: &str| old.is_some_and(|o| o.columns.iter().any(|c| c.name == name));
        for (i, c) in t.columns.iter().enumerate() {
            for d in t.columns[..i].iter().filter(|d| clash(&c.name, &d.name)) {
                if had(&c.name) && had(&d.name) {
                    continue;
                }
                out.push(pair(
                    (describe_column(t, d), d.origin.clone()),
                    (describe_column(t, c), c.origin.clone()),
                ));
            }
        }
    }
    let mine: Vec<(&str, String, &crate::Origin)> = touched
        .tables
        .values()
        .flat_map(|t| relations(t).map(move |(n, i, o)| (n, describe(t, i), o)))
        .collect();
    if mine.is_empty() {
        return out;
    }
    let holds = |t: &Table, name: &str| t.name.name == name || t.indexes.contains_key(name);
    let existed = |name: &str| {
        before.tables.values().any(|t| holds(t, name))
            || after
                .tables
                .values()
                .any(|t| !touched.tables.contains_key(&t.name) && holds(t, name))
    };
    for t in after.tables.values() {
        for (name, index, origin) in relations(t) {
            for (m, m_what, m_origin) in mine.iter().filter(|m| clash(m.0, name)) {
                if existed(m) && existed(name) {
                    continue;
                }
                let what = describe(t, index);
                let c = pair(
                    (m_what.clone(), (*m_origin).clone()),
                    (what, origin.clone()),
                );
                if !out.contains(&c) {
                    out.push(c);
                }
            }
        }
    }
    out
}

/// The first change that leaves `to` with a table without columns or with a
/// name clash `from` does not have, and why SQLite cannot run it.
fn shape_refusal<'c>(
    changes: &'c [Change],
    from: &Schema,
    to: &Schema,
) -> Option<(&'c Change, String)> {
    let empty = |name: &QualifiedName| to.tables.get(name).is_some_and(|t| t.columns.is_empty());
    for c in changes {
        let table = match c {
            Change::CreateTable(t) => Some(&t.name),
            Change::DropColumn { table, .. } | Change::RenameTable { to: table, .. } => Some(table),
            _ => None,
        };
        if let Some(t) = table.filter(|t| empty(t)) {
            return Some((
                c,
                format!("SQLite cannot hold table `{t}`, which has no columns"),
            ));
        }
    }
    let known = case_collisions(from);
    let new = case_collisions(to)
        .into_iter()
        .find(|c| !known.contains(c))?;
    let [(a, _), (b, _)] = &new.objects;
    Some((
        changes.first()?,
        format!("{a} and {b} differ only in case, and SQLite reads them as one name"),
    ))
}

impl Renderer for Sqlite {
    fn name(&self) -> &'static str {
        "SQLite"
    }

    /// As written when SQLite runs it as PostgreSQL does (see [`data::check`]).
    fn data_statement(&self, text: &str, origin: &crate::Origin) -> Result<Statement, Unsupported> {
        match data::check(text) {
            Ok(()) => Ok(Statement::new(format!("{text};"))),
            Err(r) => Err(Unsupported {
                dialect: self.name(),
                change: format!("the data statement at {origin}"),
                reason: format!("{}: {}", r.what, r.help),
            }),
        }
    }

    /// Always double-quoted: SQLite's keywords are not PostgreSQL's.
    fn ident(&self, name: &str) -> String {
        quoted(name)
    }

    /// The bare name (SQLite has no schemas; `render` refuses other schemas).
    fn object_name(&self, name: &QualifiedName) -> String {
        if name.schema == DEFAULT_SCHEMA {
            quoted(&name.name)
        } else {
            format!("{}.{}", quoted(&name.schema), quoted(&name.name))
        }
    }

    fn column_type(&self, ty: &SqlType) -> Result<String, Unsupported> {
        declared_type(ty).map_err(|reason| Unsupported {
            dialect: self.name(),
            change: format!("type `{ty}`"),
            reason,
        })
    }

    /// A column without its table: identity and `serial` columns need their
    /// table (see [`Renderer::render`]), and an enum column's `CHECK` needs the
    /// enum's labels, so it is left out.
    fn column_def(&self, c: &Column) -> Result<String, Unsupported> {
        let unsupported = |reason: String| Unsupported {
            dialect: self.name(),
            change: format!("column `{}`", c.name),
            reason,
        };
        if c.identity.is_some()
            || c.default
                .as_ref()
                .is_some_and(|d| d.nextval_sequence().is_some())
        {
            return Err(unsupported(
                "an automatically numbered column is rendered with its table".to_string(),
            ));
        }
        self.plain_column(c).map_err(unsupported)
    }

    /// The SQLite spelling; what SQLite cannot express (which [`Renderer::render`]
    /// refuses) is a comment saying why.
    fn constraint_body(&self, c: &Constraint) -> String {
        match self.table_constraint(c) {
            Ok(sql) => sql
                .strip_prefix(&format!("CONSTRAINT {} ", quoted(&c.name)))
                .map(str::to_string)
                .unwrap_or(sql),
            Err(reason) => format!("/* {reason} */"),
        }
    }

    fn create_index(&self, table: &QualifiedName, i: &Index) -> Result<String, Unsupported> {
        self.index_sql(table, i).map_err(|reason| Unsupported {
            dialect: self.name(),
            change: format!("create index `{}` on `{table}`", i.name),
            reason,
        })
    }

    fn render(
        &self,
        changes: &[Change],
        from: &Schema,
        to: &Schema,
    ) -> Result<Vec<Statement>, Unsupported> {
        if let (Err(reason), Some(first)) = (enum_arrays_have_labels(to), changes.first()) {
            return Err(self.unsupported(first, reason));
        }
        if let Some((change, reason)) = shape_refusal(changes, from, to) {
            return Err(self.unsupported(change, reason));
        }
        let plan = Plan::new(changes, from, to);
        let (order, cycle) = drop_order(&plan);
        let mut drops = Some(order);
        let fk_off = cycle || !plan.rebuilt.is_empty();
        let mut out = Vec::new();
        if fk_off {
            out.push(Statement {
                comments: vec![
                    "SQLite ignores this inside a transaction: run this migration with foreign keys off"
                        .to_string(),
                ],
                sql: "PRAGMA foreign_keys=OFF;".to_string(),
            });
        }
        let split = changes
            .iter()
            .position(|c| !runs_before_rebuilds(c))
            .unwrap_or(changes.len());
        for (i, change) in changes.iter().enumerate() {
            if i == split {
                out.extend(self.rebuilds(&plan)?);
            }
            let mut stmts = self
                .native(&plan, change, &mut drops)
                .map_err(|r| self.unsupported(change, r))?;
            if !matches!(change, Change::DropTable(_)) {
                if let (Some(loss), Some(first)) = (data_loss(change), stmts.first_mut()) {
                    first.comments.insert(0, format!("destructive: {loss}"));
                }
            }
            out.append(&mut stmts);
        }
        if split == changes.len() {
            out.extend(self.rebuilds(&plan)?);
        }
        if fk_off {
            out.push(Statement {
                comments: vec![
                    "any row returned here is a foreign key the migration broke".to_string(),
                ],
                sql: "PRAGMA foreign_key_check;".to_string(),
            });
            out.push(Statement::new("PRAGMA foreign_keys=ON;"));
        }
        Ok(out)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_type_reads_back_as_its_model_type() {
        for text in [
            "smallint",
            "integer",
            "bigint",
            "real",
            "double precision",
            "numeric",
            "numeric(10,2)",
            "numeric(5)",
            "money",
            "text",
            "varchar",
            "varchar(50)",
            "char(3)",
            "bytea",
            "boolean",
            "date",
            "time",
            "time(3)",
            "timetz",
            "timestamp",
            "timestamp(6)",
            "timestamptz",
            "timestamptz(3)",
            "interval",
            "interval(2)",
            "uuid",
            "json",
            "jsonb",
            "xml",
            "inet",
            "cidr",
            "macaddr",
            "text[]",
            "integer[]",
            "timestamptz[]",
            "mood",
            "\"Mood\"",
            "mood[]",
        ] {
            let ty = SqlType::parse(text).unwrap();
            let declared = declared_type(&ty).unwrap();
            assert_eq!(
                type_from_sqlite(&declared),
                Ok(ty),
                "`{text}` → `{declared}`"
            );
        }
        for text in [
            "bit(3)",
            "varbit",
            "tsvector",
            "varchar(20)[]",
            "bytea[]",
            "app.mood",
        ] {
            assert!(
                declared_type(&SqlType::parse(text).unwrap()).is_err(),
                "{text}"
            );
        }
    }

    #[test]
    fn expressions_read_back_as_themselves() {
        for text in [
            "now()",
            "CURRENT_TIMESTAMP",
            "current_date",
            "lower(email) LIKE 'a%' ESCAPE '!'",
            "(qty)::numeric(10,2) >= 0",
            "CAST(n AS bigint) + 1",
            "CASE WHEN a > 0 THEN 'x' END",
            "a IS DISTINCT FROM b OR a IS NULL",
            "x IN (1, 2) AND y NOT IN ('a')",
            "n BETWEEN -1 AND 5",
            "-1",
            "'it''s'",
            "\"Mixed Case\" > 0 AND \"order\" <> ''",
            "coalesce(nullif(trim(s), ''), upper(s)) || 'x'",
        ] {
            let e = Expression::parse(text).unwrap();
            let written = sqlite_expr(&e).unwrap();
            assert_eq!(
                expression_from_sqlite(&written),
                Ok(e),
                "`{text}` → `{written}`"
            );
        }
    }

    #[test]
    fn expressions_sqlite_does_not_have_are_refused() {
        for text in [
            "a ILIKE 'x%'",
            "a ~ '^x'",
            "a SIMILAR TO 'x'",
            "x = ANY (ARRAY[a, b])",
            "ARRAY[1, 2]",
            "gen_random_uuid()",
            "char_length(s) > 0",
            "now() AT TIME ZONE 'utc'",
            "2 ^ 3",
            "(b)::bytea",
        ] {
            let e = Expression::parse(text).unwrap();
            assert!(sqlite_expr(&e).is_err(), "`{text}` was written");
        }
    }

    #[test]
    fn defaults_are_literals_only_when_add_column_accepts_them() {
        for (text, written, constant) in [
            ("1", "1", true),
            ("-5", "-5", true),
            ("'x'", "'x'", true),
            ("true", "true", true),
            ("NULL", "NULL", true),
            ("CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP", false),
            ("now()", "(datetime('now'))", false),
            ("upper('y')", "(upper('y'))", false),
        ] {
            let e = Expression::parse(text).unwrap();
            assert_eq!(
                sqlite_default(&e).unwrap(),
                (written.to_string(), constant),
                "{text}"
            );
        }
    }

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
