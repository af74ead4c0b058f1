//! SQL expressions (defaults, checks, index parts, predicates) compared by a
//! canonical text, so that what a user writes and what PostgreSQL prints back
//! (`pg_get_expr`) compare equal.
//!
//! Canonicalisation: redundant parentheses go (and exactly the needed ones are
//! printed back); casts of literals and of plain columns to text types go
//! (PostgreSQL adds them: `(0)::numeric`, `(email)::text`); `x = ANY (ARRAY[..])`
//! is written `x IN (..)`, and `x IN (a)` is `x = a`, as PostgreSQL parses them;
//! `[NOT] BETWEEN` is spelled out; `~~` is `LIKE` and `~~*` is `ILIKE`; string
//! literals of every spelling are plain strings, bit strings are their bits,
//! numbers lose their exponent; unquoted identifiers and function names are
//! folded; `nextval('public.s'::regclass)` loses the default schema and quotes
//! the name as `regclass` prints it.

use std::fmt;

use sqlparser::ast::{
    BinaryOperator, CastKind, DataType, Expr, FunctionArg, FunctionArgExpr, FunctionArguments,
    Ident, InTarget, ObjectName, ObjectNamePart, UnaryOperator, Value, ValueWithSpan,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Span;

use super::{QualifiedName, names};

/// An expression: the canonical text it compares by, and the user's own
/// spelling it is written back in.
///
/// Equality, ordering and hashing look at the canonical text alone, so `'x'`
/// and `'x'::text` are one default; rendering ([`fmt::Display`]) prints the
/// spelling the expression was read from, so `'007'` stays a string and
/// `B'0101'` a bit string whatever the canonical form makes of them.
#[derive(Debug, Clone)]
pub struct Expression {
    sql: String,
    source: String,
}

impl PartialEq for Expression {
    fn eq(&self, other: &Self) -> bool {
        self.sql == other.sql
    }
}

impl Eq for Expression {}

impl std::hash::Hash for Expression {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.sql.hash(state);
    }
}

impl PartialOrd for Expression {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Expression {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.sql.cmp(&other.sql)
    }
}

impl Expression {
    /// Canonicalises a parsed expression, keeping its own spelling for rendering.
    pub(crate) fn from_ast(expr: &Expr) -> Self {
        // canonical() and Display recurse down a chain: a long one gets a
        // stack of its own.
        if super::depth::left_spine(expr) > super::depth::INLINE_DEPTH {
            return crate::stack::on_big_stack(|| Self::from_ast_here(expr));
        }
        Self::from_ast_here(expr)
    }

    /// [`Expression::from_ast`] on the current stack.
    fn from_ast_here(expr: &Expr) -> Self {
        let sql = canonical(expr.clone()).to_string();
        let mut source = expr.to_string();
        // sqlparser prints a string holding `\'` in a spelling that does not
        // read back (`'\''`): where the printed text could hold one, it must
        // read back as the same expression, or the canonical text (which
        // spells such strings `E'…'`) is written instead.
        if (source.contains('\\') || source.contains("''")) && !reads_back_as(&source, &sql) {
            // The same expression with such strings spelled `E'…'`, which
            // prints in a form that reads back; the canonical text (which may
            // write a string as a number, drop a cast) only as a last resort.
            let respelled = respell_strings(expr.clone()).to_string();
            if reads_back_as(&respelled, &sql) {
                source = respelled;
            } else {
                source.clone_from(&sql);
            }
        }
        Expression { sql, source }
    }

    /// Parses and canonicalises expression text (e.g. from `pg_get_expr`); the
    /// text itself is the spelling written back.
    ///
    /// # Errors
    /// The parser's message when the text is not an expression, or the depth
    /// limit's ([`super::depth`]) when it nests too deep.
    pub fn parse(text: &str) -> Result<Self, String> {
        if let Some(deep) = super::depth::too_deep_in(text) {
            return Err(deep.message());
        }
        let mut parser = Parser::new(&PostgreSqlDialect {})
            .try_with_sql(text)
            .map_err(|e| e.to_string())?;
        let expr = parser.parse_expr().map_err(|e| e.to_string())?;
        let long = super::depth::left_spine(&expr) > super::depth::INLINE_DEPTH;
        let sql = move || canonical(expr).to_string();
        Ok(Expression {
            sql: if long {
                crate::stack::on_big_stack(sql)
            } else {
                sql()
            },
            source: text.trim().to_string(),
        })
    }

    /// Wraps text that is already canonical (the caller guarantees it); it is
    /// also the spelling written back.
    pub(crate) fn from_canonical(sql: String) -> Self {
        Expression {
            source: sql.clone(),
            sql,
        }
    }

    /// An expression from its canonical text and the spelling to write back
    /// (the caller guarantees both describe one expression).
    pub(crate) fn from_parts(sql: String, source: String) -> Self {
        Expression { sql, source }
    }

    /// This expression's spelling, compared as `stored`: for a declared
    /// expression once the database has said what it stores for it (a
    /// timestamp constant's text, an interval's units), so that comparing with
    /// what the database holds compares like with like.
    #[must_use]
    pub fn compared_as(&self, stored: &Expression) -> Expression {
        Expression {
            sql: stored.sql.clone(),
            source: self.source.clone(),
        }
    }

    /// The spelling to write after `DEFAULT` in a column definition: the
    /// user's own, in parentheses where PostgreSQL's grammar needs them there
    /// (see [`is_bare_default`]).
    pub(crate) fn as_column_default(&self) -> String {
        let bare = Parser::new(&PostgreSqlDialect {})
            .try_with_sql(&self.source)
            .and_then(|mut parser| parser.parse_expr())
            .map_or(true, |e| is_bare_default(&e));
        if bare {
            self.source.clone()
        } else {
            format!("({})", self.source)
        }
    }

    /// The canonical SQL text: what equality compares, not what is rendered.
    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// The spelling the expression was read from, which rendering writes back
    /// (also what [`fmt::Display`] prints).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// True for the bare `NULL` literal (casts of literals are already gone).
    pub fn is_null(&self) -> bool {
        self.sql == "NULL"
    }

    /// The sequence name when this is `nextval('seq')`, as `regclass` prints it
    /// (`seq`, `"Seq"`, `app.seq`).
    pub fn nextval_sequence(&self) -> Option<&str> {
        let rest = self.sql.strip_prefix("nextval('")?;
        rest.strip_suffix("')")
    }
}

/// True when `e` may stand bare after `DEFAULT` in a column definition, where
/// PostgreSQL's grammar takes a restricted expression (`b_expr`): not `NOT`,
/// `AND`/`OR`, `IS [NOT] NULL`/`TRUE`/..., `LIKE`, `IN`, `BETWEEN`,
/// `AT TIME ZONE` or `COLLATE` at the top (`ALTER ... SET DEFAULT` takes any).
pub(crate) fn is_bare_default(e: &Expr) -> bool {
    !matches!(
        e,
        Expr::UnaryOp {
            op: UnaryOperator::Not,
            ..
        } | Expr::BinaryOp {
            op: BinaryOperator::And | BinaryOperator::Or,
            ..
        } | Expr::IsNull(_)
            | Expr::IsNotNull(_)
            | Expr::IsTrue(_)
            | Expr::IsNotTrue(_)
            | Expr::IsFalse(_)
            | Expr::IsNotFalse(_)
            | Expr::IsUnknown(_)
            | Expr::IsNotUnknown(_)
            | Expr::Like { .. }
            | Expr::ILike { .. }
            | Expr::SimilarTo { .. }
            | Expr::In { .. }
            | Expr::Between { .. }
            | Expr::AtTimeZone { .. }
            | Expr::Collate { .. }
    )
}

/// True when `text` parses as an expression whose canonical text is `sql`.
/// `expr` with every string literal that holds a quote or a backslash
/// spelled as an escape string (`E'it\\'s'`), which sqlparser prints in a form
/// that reads back as the same string; nothing else changes. The walk covers
/// the forms defaults, checks and index expressions are made of.
fn respell_strings(expr: Expr) -> Expr {
    let boxed = |e: Box<Expr>| Box::new(respell_strings(*e));
    match expr {
        Expr::Value(ValueWithSpan {
            value: Value::SingleQuotedString(s),
            span,
        }) if s.contains('\'') || s.contains('\\') => Expr::Value(ValueWithSpan {
            value: Value::EscapedStringLiteral(s),
            span,
        }),
        Expr::Nested(e) => Expr::Nested(boxed(e)),
        Expr::BinaryOp { left, op, right } => Expr::BinaryOp {
            left: boxed(left),
            op,
            right: boxed(right),
        },
        Expr::UnaryOp { op, expr } => Expr::UnaryOp {
            op,
            expr: boxed(expr),
        },
        Expr::Cast {
            kind,
            expr,
            data_type,
            format,
        } => Expr::Cast {
            kind,
            expr: boxed(expr),
            data_type,
            format,
        },
        Expr::Collate { expr, collation } => Expr::Collate {
            expr: boxed(expr),
            collation,
        },
        Expr::IsNull(e) => Expr::IsNull(boxed(e)),
        Expr::IsNotNull(e) => Expr::IsNotNull(boxed(e)),
        Expr::In {
            expr,
            target: InTarget::List(list),
            negated,
            global,
        } => Expr::In {
            expr: boxed(expr),
            target: InTarget::List(list.into_iter().map(respell_strings).collect()),
            negated,
            global,
        },
        Expr::Between {
            expr,
            negated,
            low,
            high,
        } => Expr::Between {
            expr: boxed(expr),
            negated,
            low: boxed(low),
            high: boxed(high),
        },
        Expr::Like {
            negated,
            any,
            expr,
            pattern,
            escape_char,
        } => Expr::Like {
            negated,
            any,
            expr: boxed(expr),
            pattern: boxed(pattern),
            escape_char,
        },
        Expr::ILike {
            negated,
            any,
            expr,
            pattern,
            escape_char,
        } => Expr::ILike {
            negated,
            any,
            expr: boxed(expr),
            pattern: boxed(pattern),
            escape_char,
        },
        Expr::Function(mut f) => {
            if let FunctionArguments::List(list) = &mut f.args {
                for arg in &mut list.args {
                    if let FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) = arg {
                        *e = respell_strings(std::mem::replace(e, value(Value::Null)));
                    }
                }
            }
            Expr::Function(f)
        }
        other => other,
    }
}

fn reads_back_as(text: &str, sql: &str) -> bool {
    Parser::new(&PostgreSqlDialect {})
        .try_with_sql(text)
        .and_then(|mut parser| parser.parse_expr())
        .is_ok_and(|e| canonical(e).to_string() == sql)
}

impl fmt::Display for Expression {
    /// The user's own spelling ([`Expression::source`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

fn is_literal(e: &Expr) -> bool {
    match e {
        Expr::Value(_) | Expr::TypedString(_) => true,
        Expr::Array(a) => a.elem.iter().all(is_literal),
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => matches!(**expr, Expr::Value(_)),
        _ => false,
    }
}

/// SQL's value functions, written without parentheses (`CURRENT_DATE`): they are
/// keywords, printed in capitals and never quoted.
fn sql_value_function(name: &str) -> Option<&'static str> {
    const KEYWORDS: &[&str] = &[
        "CURRENT_DATE",
        "CURRENT_TIME",
        "CURRENT_TIMESTAMP",
        "LOCALTIME",
        "LOCALTIMESTAMP",
        "CURRENT_USER",
        "CURRENT_ROLE",
        "SESSION_USER",
        "CURRENT_CATALOG",
        "CURRENT_SCHEMA",
        "USER",
    ];
    KEYWORDS
        .iter()
        .find(|k| k.eq_ignore_ascii_case(name))
        .copied()
}

/// Numeric types PostgreSQL casts a column to on its own (`qty::numeric` in
/// `price * qty`): such a cast of a plain column is not part of the canonical form.
fn is_numeric_type(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Numeric(_)
            | DataType::Decimal(_)
            | DataType::Int(_)
            | DataType::Integer(_)
            | DataType::Int4(_)
            | DataType::BigInt(_)
            | DataType::Int8(_)
            | DataType::SmallInt(_)
            | DataType::Int2(_)
            | DataType::Real
            | DataType::Float4
            | DataType::Float8
            | DataType::DoublePrecision
    )
}

fn is_text_type(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Text
            | DataType::Varchar(_)
            | DataType::CharacterVarying(_)
            | DataType::CharVarying(_)
            | DataType::Char(_)
            | DataType::Character(_)
    ) || matches!(t, DataType::Custom(name, _) if name.to_string().eq_ignore_ascii_case("bpchar"))
        || matches!(t, DataType::Array(_))
}

fn value(v: Value) -> Expr {
    Expr::Value(ValueWithSpan {
        value: v,
        span: Span::empty(),
    })
}

fn looks_numeric(s: &str) -> bool {
    let body = s.strip_prefix('-').unwrap_or(s);
    !body.is_empty()
        && body.chars().all(|c| c.is_ascii_digit() || c == '.')
        && body.chars().filter(|&c| c == '.').count() <= 1
        && body.chars().any(|c| c.is_ascii_digit())
}

fn fold(ident: Ident) -> Ident {
    names::ident(&names::fold_ident(&ident))
}

fn fold_name(name: ObjectName) -> ObjectName {
    ObjectName(
        name.0
            .into_iter()
            .map(|part| match part {
                ObjectNamePart::Identifier(i) => ObjectNamePart::Identifier(fold(i)),
                other => other,
            })
            .collect(),
    )
}

/// A function name without a `pg_catalog.` or `public.` qualifier: both
/// schemas are on the default `search_path`, where PostgreSQL prints such a
/// function unqualified (pg_dump, which empties the path, qualifies it:
/// `public.uuid_generate_v4()`).
fn unqualified_on_search_path(name: ObjectName) -> ObjectName {
    match name.0.as_slice() {
        [ObjectNamePart::Identifier(schema), _]
            if schema.value == "pg_catalog" || schema.value == super::DEFAULT_SCHEMA =>
        {
            ObjectName(name.0.into_iter().skip(1).collect())
        }
        _ => name,
    }
}

/// Binding strengths of sqlparser's PostgreSQL dialect (`dialect/postgresql.rs`):
/// the canonical text is printed with exactly the parentheses that make it parse
/// back into the same tree.
mod prec {
    pub(super) const OR: u8 = 10;
    pub(super) const AND: u8 = 20;
    pub(super) const NOT: u8 = 30;
    pub(super) const IS: u8 = 40;
    pub(super) const COMPARE: u8 = 50;
    pub(super) const IN_LIKE: u8 = 60;
    pub(super) const OTHER: u8 = 70;
    pub(super) const XOR: u8 = 75;
    pub(super) const ADD: u8 = 80;
    pub(super) const MUL: u8 = 90;
    /// Unary minus parses its operand at `MUL`.
    pub(super) const UNARY: u8 = 90;
    pub(super) const EXP: u8 = 100;
    pub(super) const AT_TZ: u8 = 110;
    pub(super) const COLLATE: u8 = 120;
    pub(super) const CAST: u8 = 140;
    pub(super) const ATOM: u8 = u8::MAX;
}

fn binary_precedence(op: &BinaryOperator) -> u8 {
    use BinaryOperator as B;
    match op {
        B::Or => prec::OR,
        B::And => prec::AND,
        B::Eq
        | B::NotEq
        | B::Lt
        | B::Gt
        | B::LtEq
        | B::GtEq
        | B::Spaceship
        | B::PGRegexMatch
        | B::PGRegexIMatch
        | B::PGRegexNotMatch
        | B::PGRegexNotIMatch
        | B::PGLikeMatch
        | B::PGILikeMatch
        | B::PGNotLikeMatch
        | B::PGNotILikeMatch => prec::COMPARE,
        B::Xor => prec::XOR,
        B::Plus | B::Minus => prec::ADD,
        B::Multiply | B::Divide | B::Modulo | B::MyIntegerDivide | B::DuckIntegerDivide => {
            prec::MUL
        }
        B::PGExp => prec::EXP,
        _ => prec::OTHER,
    }
}

/// How tightly the outermost operator of `e` binds.
fn precedence(e: &Expr) -> u8 {
    match e {
        Expr::BinaryOp { op, .. } => binary_precedence(op),
        Expr::UnaryOp {
            op: UnaryOperator::Not,
            ..
        } => prec::NOT,
        Expr::UnaryOp { .. } => prec::UNARY,
        Expr::Value(ValueWithSpan {
            value: Value::Number(n, _),
            ..
        }) if n.starts_with('-') => prec::UNARY,
        Expr::IsNull(_)
        | Expr::IsNotNull(_)
        | Expr::IsTrue(_)
        | Expr::IsNotTrue(_)
        | Expr::IsFalse(_)
        | Expr::IsNotFalse(_)
        | Expr::IsUnknown(_)
        | Expr::IsNotUnknown(_)
        | Expr::IsDistinctFrom(..)
        | Expr::IsNotDistinctFrom(..) => prec::IS,
        Expr::AnyOp { .. } | Expr::AllOp { .. } => prec::COMPARE,
        Expr::In { .. }
        | Expr::Between { .. }
        | Expr::Like { .. }
        | Expr::ILike { .. }
        | Expr::SimilarTo { .. } => prec::IN_LIKE,
        Expr::AtTimeZone { .. } => prec::AT_TZ,
        Expr::Collate { .. } => prec::COLLATE,
        Expr::Cast {
            kind: CastKind::DoubleColon,
            ..
        } => prec::CAST,
        _ => prec::ATOM,
    }
}

/// An operand (already canonical), parenthesised when it binds looser than `min`.
fn operand(e: Expr, min: u8) -> Box<Expr> {
    Box::new(if precedence(&e) < min {
        Expr::Nested(Box::new(e))
    } else {
        e
    })
}

/// `left op right` from canonical operands (left-associative).
fn binary(left: Expr, op: BinaryOperator, right: Expr) -> Expr {
    let p = binary_precedence(&op);
    Expr::BinaryOp {
        left: operand(left, p),
        op,
        right: operand(right, p + 1),
    }
}

/// The canonical form of `e`, as an operand that must bind at least as tight as `min`.
fn sub(e: Expr, min: u8) -> Box<Expr> {
    operand(canonical(e), min)
}

fn sub_opt(e: Option<Box<Expr>>, min: u8) -> Option<Box<Expr>> {
    e.map(|e| sub(*e, min))
}

/// True when `e` refers to a column (PostgreSQL's "contains Vars").
fn mentions_column(e: &Expr) -> bool {
    match e {
        Expr::Identifier(_) | Expr::CompoundIdentifier(_) | Expr::CompoundFieldAccess { .. } => {
            true
        }
        Expr::Value(_) | Expr::TypedString(_) | Expr::Interval(_) => false,
        Expr::Nested(e)
        | Expr::UnaryOp { expr: e, .. }
        | Expr::Cast { expr: e, .. }
        | Expr::Collate { expr: e, .. } => mentions_column(e),
        Expr::BinaryOp { left, right, .. } => mentions_column(left) || mentions_column(right),
        Expr::Array(a) => a.elem.iter().any(mentions_column),
        Expr::Function(f) => match &f.args {
            FunctionArguments::List(list) => list.args.iter().any(|a| match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => mentions_column(e),
                _ => true,
            }),
            _ => false,
        },
        _ => true,
    }
}

/// PostgreSQL's `transformAExprIn`: `x IN (a, b)` is `x = ANY (ARRAY[a, b])`
/// over the items without columns when there are at least two of them; every
/// other item (all of them otherwise, so `x IN (a)` is `x = a`) is compared on
/// its own and OR-ed on (`<>` and AND for `NOT IN`). Operands are canonical.
fn in_list(expr: Expr, list: Vec<Expr>, negated: bool) -> Expr {
    let (compare, join) = if negated {
        (BinaryOperator::NotEq, BinaryOperator::And)
    } else {
        (BinaryOperator::Eq, BinaryOperator::Or)
    };
    let (columns, constants): (Vec<Expr>, Vec<Expr>) =
        list.iter().cloned().partition(mentions_column);
    let mut result = None;
    let rest = if constants.len() > 1 {
        result = Some(Expr::In {
            expr: operand(expr.clone(), prec::IN_LIKE + 1),
            target: InTarget::List(constants),
            negated,
            global: false,
        });
        columns
    } else {
        list
    };
    for item in rest {
        let cmp = binary(expr.clone(), compare.clone(), item);
        result = Some(match result {
            None => cmp,
            Some(r) => binary(r, join.clone(), cmp),
        });
    }
    result.unwrap_or(Expr::In {
        expr: operand(expr, prec::IN_LIKE + 1),
        target: InTarget::List(Vec::new()),
        negated,
        global: false,
    })
}

/// `ARRAY[..]` as the list of an `IN`, when PostgreSQL would have printed an
/// `IN` list that way (two or more items, none referring to a column).
fn array_as_in_list(right: &Expr) -> Option<Vec<Expr>> {
    match right {
        Expr::Array(a) if a.elem.len() > 1 && !a.elem.iter().any(mentions_column) => {
            Some(a.elem.clone())
        }
        _ => None,
    }
}

/// A number without exponent: `1e10` → `10000000000`, `1.5e-05` → `0.000015`
/// (PostgreSQL prints floating-point constants in whichever form is shorter).
fn expand_exponent(n: &str) -> Option<String> {
    let (mantissa, exponent) = n.split_once(['e', 'E'])?;
    let exponent: i64 = exponent.parse().ok()?;
    if exponent.abs() > 1000 {
        return None;
    }
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if !(int.chars().chain(frac.chars())).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let digits = format!("{int}{frac}");
    let point = i64::try_from(int.len()).ok()? + exponent;
    let len = i64::try_from(digits.len()).ok()?;
    let body = if point <= 0 {
        format!("0.{}{digits}", "0".repeat(usize::try_from(-point).ok()?))
    } else if point >= len {
        format!("{digits}{}", "0".repeat(usize::try_from(point - len).ok()?))
    } else {
        let at = usize::try_from(point).ok()?;
        format!("{}.{}", &digits[..at], &digits[at..])
    };
    let body = match body.split_once('.') {
        Some((i, f)) => format!("{}.{f}", trim_leading_zeros(i)),
        None => trim_leading_zeros(&body).to_string(),
    };
    Some(format!("{sign}{body}"))
}

fn trim_leading_zeros(int: &str) -> &str {
    let trimmed = int.trim_start_matches('0');
    if trimmed.is_empty() { "0" } else { trimmed }
}

/// A bit-string constant's bits: `B'1010'` → `1010`, `X'1F'` → `00011111`.
fn hex_bits(hex: &str) -> Option<String> {
    hex.chars()
        .map(|c| c.to_digit(16).map(|d| format!("{d:04b}")))
        .collect()
}

/// True for a number in the one spelling PostgreSQL prints: an optional minus,
/// no leading zeros, no exponent, digits after a point if there is one, and
/// not a negative zero (`7`, `-1`, `0.5`, `12.50`; not `007`, `.5`, `1e3`, `-0`).
fn is_plain_number(s: &str) -> bool {
    let (negative, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    digits(int)
        && (int == "0" || !int.starts_with('0'))
        && frac.is_none_or(digits)
        && !(negative && body.bytes().all(|b| b == b'0' || b == b'.'))
}

/// Canonical literal values. A string stays a string whatever it looks like,
/// except that a string spelling a number exactly as PostgreSQL prints it is
/// that number (`'7'` and `7` store the same default in a text or a numeric
/// column; `'007'`, `'1e3'` and `'.5'` stay strings). Every string spelling is
/// a plain string, bit strings of every spelling are `B'…'`, and numbers lose
/// their exponent.
fn literal(v: ValueWithSpan) -> Expr {
    let text = match v.value {
        Value::SingleQuotedString(s)
        | Value::EscapedStringLiteral(s)
        | Value::UnicodeStringLiteral(s)
        | Value::NationalStringLiteral(s) => s,
        Value::DollarQuotedString(d) => d.value,
        Value::HexStringLiteral(h) => match hex_bits(&h) {
            Some(bits) => return value(Value::SingleQuotedByteStringLiteral(bits)),
            None => return value(Value::HexStringLiteral(h)),
        },
        Value::Number(n, long) => {
            return value(Value::Number(expand_exponent(&n).unwrap_or(n), long));
        }
        other => {
            return Expr::Value(ValueWithSpan {
                value: other,
                span: v.span,
            });
        }
    };
    if is_plain_number(&text) {
        value(Value::Number(text, false))
    } else if text.contains("\\'") || text.contains("''") {
        // sqlparser prints a plain string holding `\'` or two quotes in a row
        // as text that reads back as another string (`'\''`; two quotes come
        // out as one); the escape-string spelling reads back.
        value(Value::EscapedStringLiteral(text))
    } else {
        value(Value::SingleQuotedString(text))
    }
}

/// A constant cast to `data_type`, as PostgreSQL stores it: a string cast to a
/// number type is that number (PostgreSQL prints `-1` as `'-1'::integer`), a
/// string cast to `bit`/`varbit` is a bit string; any other constant keeps its
/// kind (the cast itself is not part of the canonical form).
fn typed_constant(written_as_string: bool, inner: Expr, data_type: &DataType) -> Expr {
    let text = match &inner {
        Expr::Value(ValueWithSpan {
            value: Value::SingleQuotedString(text) | Value::Number(text, false),
            ..
        }) if written_as_string => text,
        _ => return inner,
    };
    if is_numeric_type(data_type) {
        let number = expand_exponent(text).unwrap_or_else(|| text.clone());
        if looks_numeric(&number) {
            return value(Value::Number(number, false));
        }
    } else if is_bit_type(data_type) && text.bytes().all(|b| b == b'0' || b == b'1') {
        return value(Value::SingleQuotedByteStringLiteral(text.clone()));
    }
    inner
}

/// True for a string constant of any spelling.
fn is_string(e: &Expr) -> bool {
    matches!(e, Expr::Value(v) if is_string_value(&v.value))
}

fn is_string_value(v: &Value) -> bool {
    matches!(
        v,
        Value::SingleQuotedString(_)
            | Value::EscapedStringLiteral(_)
            | Value::UnicodeStringLiteral(_)
            | Value::NationalStringLiteral(_)
            | Value::DollarQuotedString(_)
    )
}

/// `bit(n)` and `bit varying(n)` however spelled (`"bit"` is how PostgreSQL prints it).
fn is_bit_type(t: &DataType) -> bool {
    match t {
        DataType::Bit(_) | DataType::BitVarying(_) => true,
        DataType::Custom(name, _) => {
            let n = name.to_string().trim_matches('"').to_ascii_lowercase();
            n == "bit" || n == "varbit" || n == "bit varying"
        }
        _ => false,
    }
}

/// Rewrites an expression into canonical form.
fn canonical(expr: Expr) -> Expr {
    match expr {
        Expr::Nested(inner) => canonical(*inner),
        Expr::Cast {
            kind,
            expr,
            data_type,
            format,
        } => {
            let inner = typed_constant(is_string(&expr), canonical(*expr), &data_type);
            let drop_cast = is_literal(&inner)
                || (matches!(inner, Expr::Identifier(_) | Expr::CompoundIdentifier(_))
                    && (is_text_type(&data_type) || is_numeric_type(&data_type)))
                || matches!(data_type, DataType::Regclass)
                || (matches!(data_type, DataType::Text) && is_varchar_cast(&inner));
            if drop_cast {
                inner
            } else {
                Expr::Cast {
                    kind: match kind {
                        CastKind::Cast | CastKind::DoubleColon => CastKind::DoubleColon,
                        other => other,
                    },
                    expr: operand(inner, prec::CAST),
                    data_type: canonical_type(data_type),
                    format,
                }
            }
        }
        Expr::TypedString(ts) => {
            let written_as_string = is_string_value(&ts.value.value);
            typed_constant(written_as_string, literal(ts.value), &ts.data_type)
        }
        Expr::Interval(interval)
            if interval.leading_field.is_none()
                && interval.last_field.is_none()
                && interval.fractional_seconds_precision.is_none() =>
        {
            // `INTERVAL '7 days'` is the string PostgreSQL prints as `'7 days'::interval`.
            match canonical(*interval.value) {
                Expr::Value(v) => Expr::Value(v),
                other => Expr::Cast {
                    kind: CastKind::DoubleColon,
                    expr: operand(other, prec::CAST),
                    data_type: DataType::Interval {
                        fields: None,
                        precision: None,
                    },
                    format: None,
                },
            }
        }
        Expr::Value(v) => literal(v),
        Expr::UnaryOp { op, expr } => {
            let inner = canonical(*expr);
            match (op, inner) {
                (
                    UnaryOperator::Minus,
                    Expr::Value(ValueWithSpan {
                        value: Value::Number(n, l),
                        ..
                    }),
                ) if !n.starts_with('-') => value(Value::Number(format!("-{n}"), l)),
                (UnaryOperator::Plus, inner) => inner,
                (UnaryOperator::Not, inner) => Expr::UnaryOp {
                    op: UnaryOperator::Not,
                    expr: operand(inner, prec::NOT),
                },
                (op, inner) => Expr::UnaryOp {
                    op,
                    expr: operand(inner, prec::UNARY + 1),
                },
            }
        }
        Expr::Identifier(i) => {
            match sql_value_function(&i.value).filter(|_| i.quote_style.is_none()) {
                Some(keyword) => Expr::Identifier(Ident::new(keyword)),
                None => Expr::Identifier(fold(i)),
            }
        }
        // `OLD.*` in a trigger's `WHEN`: its name folds as a column's does.
        Expr::QualifiedWildcard(name, token) => Expr::QualifiedWildcard(fold_name(name), token),
        Expr::CompoundIdentifier(parts) => {
            let mut parts: Vec<Ident> = parts.into_iter().map(fold).collect();
            if parts.len() == 1 {
                Expr::Identifier(parts.remove(0))
            } else {
                Expr::CompoundIdentifier(parts)
            }
        }
        Expr::BinaryOp { left, op, right } => {
            // PostgreSQL prints LIKE and ILIKE as the operators they stand for.
            let like = match op {
                BinaryOperator::PGLikeMatch => Some((false, false)),
                BinaryOperator::PGNotLikeMatch => Some((true, false)),
                BinaryOperator::PGILikeMatch => Some((false, true)),
                BinaryOperator::PGNotILikeMatch => Some((true, true)),
                _ => None,
            };
            if let Some((negated, case_insensitive)) = like {
                return like_expr(negated, case_insensitive, *left, *right, None);
            }
            binary(canonical(*left), op, canonical(*right))
        }
        Expr::AnyOp {
            left,
            compare_op,
            right,
            is_some,
        } => {
            let left = canonical(*left);
            let right = canonical(*right);
            match (compare_op, array_as_in_list(&right)) {
                (BinaryOperator::Eq, Some(list)) => Expr::In {
                    expr: operand(left, prec::IN_LIKE + 1),
                    target: InTarget::List(list),
                    negated: false,
                    global: false,
                },
                (compare_op, _) => Expr::AnyOp {
                    left: operand(left, prec::COMPARE + 1),
                    compare_op,
                    right: Box::new(right),
                    is_some,
                },
            }
        }
        Expr::AllOp {
            left,
            compare_op,
            right,
        } => {
            let left = canonical(*left);
            let right = canonical(*right);
            match (compare_op, array_as_in_list(&right)) {
                (BinaryOperator::NotEq, Some(list)) => Expr::In {
                    expr: operand(left, prec::IN_LIKE + 1),
                    target: InTarget::List(list),
                    negated: true,
                    global: false,
                },
                (compare_op, _) => Expr::AllOp {
                    left: operand(left, prec::COMPARE + 1),
                    compare_op,
                    right: Box::new(right),
                },
            }
        }
        Expr::In {
            expr,
            target: InTarget::List(list),
            negated,
            ..
        } => in_list(
            canonical(*expr),
            list.into_iter().map(canonical).collect(),
            negated,
        ),
        Expr::In {
            expr,
            target,
            negated,
            global,
        } => Expr::In {
            expr: sub(*expr, prec::IN_LIKE + 1),
            target,
            negated,
            global,
        },
        Expr::Between {
            expr,
            negated,
            low,
            high,
        } => {
            // PostgreSQL spells BETWEEN out: `x >= a AND x <= b`, `x < a OR x > b`.
            let e = canonical(*expr);
            let (low, high) = (canonical(*low), canonical(*high));
            if negated {
                binary(
                    binary(e.clone(), BinaryOperator::Lt, low),
                    BinaryOperator::Or,
                    binary(e, BinaryOperator::Gt, high),
                )
            } else {
                binary(
                    binary(e.clone(), BinaryOperator::GtEq, low),
                    BinaryOperator::And,
                    binary(e, BinaryOperator::LtEq, high),
                )
            }
        }
        Expr::Like {
            negated,
            expr,
            pattern,
            escape_char,
            any: false,
        } => like_expr(negated, false, *expr, *pattern, escape_char),
        Expr::ILike {
            negated,
            expr,
            pattern,
            escape_char,
            any: false,
        } => like_expr(negated, true, *expr, *pattern, escape_char),
        Expr::SimilarTo {
            negated,
            expr,
            pattern,
            escape_char,
        } => Expr::SimilarTo {
            negated,
            expr: sub(*expr, prec::IN_LIKE + 1),
            pattern: sub(*pattern, prec::IN_LIKE + 1),
            escape_char: sub_opt(escape_char, prec::ATOM),
        },
        Expr::IsNull(e) => Expr::IsNull(sub(*e, prec::IS + 1)),
        Expr::IsNotNull(e) => Expr::IsNotNull(sub(*e, prec::IS + 1)),
        Expr::IsTrue(e) => Expr::IsTrue(sub(*e, prec::IS + 1)),
        Expr::IsNotTrue(e) => Expr::IsNotTrue(sub(*e, prec::IS + 1)),
        Expr::IsFalse(e) => Expr::IsFalse(sub(*e, prec::IS + 1)),
        Expr::IsNotFalse(e) => Expr::IsNotFalse(sub(*e, prec::IS + 1)),
        Expr::IsUnknown(e) => Expr::IsUnknown(sub(*e, prec::IS + 1)),
        Expr::IsNotUnknown(e) => Expr::IsNotUnknown(sub(*e, prec::IS + 1)),
        Expr::IsDistinctFrom(a, b) => {
            Expr::IsDistinctFrom(sub(*a, prec::IS + 1), sub(*b, prec::IS + 1))
        }
        Expr::IsNotDistinctFrom(a, b) => {
            Expr::IsNotDistinctFrom(sub(*a, prec::IS + 1), sub(*b, prec::IS + 1))
        }
        Expr::AtTimeZone {
            timestamp,
            time_zone,
        } => Expr::AtTimeZone {
            timestamp: sub(*timestamp, prec::AT_TZ + 1),
            time_zone: sub(*time_zone, prec::AT_TZ + 1),
        },
        Expr::Collate { expr, collation } => Expr::Collate {
            expr: sub(*expr, prec::COLLATE),
            collation,
        },
        Expr::Ceil { expr, field } => Expr::Ceil {
            expr: Box::new(canonical(*expr)),
            field,
        },
        Expr::Floor { expr, field } => Expr::Floor {
            expr: Box::new(canonical(*expr)),
            field,
        },
        Expr::Extract {
            field,
            syntax,
            expr,
        } => Expr::Extract {
            field,
            syntax,
            expr: Box::new(canonical(*expr)),
        },
        Expr::Position { expr, r#in } => Expr::Position {
            expr: sub(*expr, prec::IN_LIKE + 1),
            r#in: Box::new(canonical(*r#in)),
        },
        Expr::Substring {
            expr,
            substring_from,
            substring_for,
            special,
            shorthand,
        } => Expr::Substring {
            expr: Box::new(canonical(*expr)),
            substring_from: sub_opt(substring_from, prec::ATOM),
            substring_for: sub_opt(substring_for, prec::ATOM),
            special,
            shorthand,
        },
        Expr::Trim {
            trim_where,
            trim_what,
            expr,
            trim_characters,
        } => Expr::Trim {
            trim_where,
            trim_what: trim_what.map(|e| Box::new(canonical(*e))),
            expr: Box::new(canonical(*expr)),
            trim_characters: trim_characters.map(|v| v.into_iter().map(canonical).collect()),
        },
        Expr::Case {
            case_token,
            end_token,
            operand: case_operand,
            conditions,
            else_result,
        } => Expr::Case {
            case_token,
            end_token,
            operand: case_operand.map(|e| Box::new(canonical(*e))),
            conditions: conditions
                .into_iter()
                .map(|w| sqlparser::ast::CaseWhen {
                    condition: canonical(w.condition),
                    result: canonical(w.result),
                })
                .collect(),
            // PostgreSQL spells out the default `ELSE NULL`.
            else_result: Some(Box::new(
                else_result.map_or(value(Value::Null), |e| canonical(*e)),
            )),
        },
        Expr::Tuple(items) => Expr::Tuple(items.into_iter().map(canonical).collect()),
        Expr::JsonAccess { value, path } => Expr::JsonAccess {
            value: sub(*value, prec::ATOM),
            path,
        },
        Expr::CompoundFieldAccess { root, access_chain } => Expr::CompoundFieldAccess {
            root: sub(*root, prec::ATOM),
            access_chain,
        },
        Expr::Array(mut array) => {
            array.elem = array.elem.into_iter().map(canonical).collect();
            array.named = true;
            Expr::Array(array)
        }
        Expr::Function(mut function) => {
            if matches!(function.args, FunctionArguments::None) {
                if let Some(keyword) = sql_value_function(&function.name.to_string()) {
                    return Expr::Identifier(Ident::new(keyword));
                }
            }
            function.name = unqualified_on_search_path(fold_name(function.name));
            let is_nextval = function.name.to_string() == "nextval";
            if let FunctionArguments::List(list) = &mut function.args {
                for arg in &mut list.args {
                    if let FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) = arg {
                        let mut c = canonical(std::mem::replace(e, value(Value::Null)));
                        if is_nextval {
                            c = canonical_regclass(c);
                        }
                        *e = c;
                    }
                }
            }
            Expr::Function(function)
        }
        other => other,
    }
}

/// True for `x::varchar[(n)]` and `x::text`: PostgreSQL casts such a value to
/// `text` implicitly (and binary-coercibly) wherever text is needed.
fn is_varchar_cast(e: &Expr) -> bool {
    matches!(e, Expr::Cast { data_type, .. }
    if matches!(
        super::types::TypeSpec::from_ast(data_type).map(|spec| spec.ty),
        Ok(super::SqlType::Varchar(_) | super::SqlType::Text)
    ))
}

/// A cast's target type in its canonical spelling (`varchar` is
/// `character varying`), as far as the model knows the type.
fn canonical_type(data_type: DataType) -> DataType {
    let Ok(spec) = super::types::TypeSpec::from_ast(&data_type) else {
        return data_type;
    };
    if spec.serial {
        return data_type;
    }
    let text = spec.ty.to_string();
    Parser::new(&PostgreSqlDialect {})
        .try_with_sql(&text)
        .and_then(|mut parser| parser.parse_data_type())
        .unwrap_or(data_type)
}

/// `[NOT] LIKE` / `[NOT] ILIKE` from operands not yet canonical.
fn like_expr(
    negated: bool,
    case_insensitive: bool,
    expr: Expr,
    pattern: Expr,
    escape_char: Option<Box<Expr>>,
) -> Expr {
    let expr = sub(expr, prec::IN_LIKE + 1);
    let pattern = sub(pattern, prec::IN_LIKE + 1);
    let escape_char = sub_opt(escape_char, prec::ATOM);
    if case_insensitive {
        Expr::ILike {
            negated,
            any: false,
            expr,
            pattern,
            escape_char,
        }
    } else {
        Expr::Like {
            negated,
            any: false,
            expr,
            pattern,
            escape_char,
        }
    }
}

/// Splits a `regclass` text into its folded name parts (`'app."Seq"'` → `app`, `Seq`).
fn regclass_parts(text: &str) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    let mut chars = text.trim().chars().peekable();
    loop {
        let mut part = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next()? {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        part.push('"');
                    }
                    '"' => break,
                    c => part.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == '.' {
                    break;
                }
                part.push(c.to_ascii_lowercase());
                chars.next();
            }
            part = part.trim().to_string();
        }
        if part.is_empty() {
            return None;
        }
        parts.push(names::truncate(&part, names::MAX_IDENTIFIER_BYTES).to_string());
        match chars.next() {
            None => return Some(parts),
            Some('.') => {}
            Some(_) => return None,
        }
    }
}

/// The name in `nextval('…')` as `regclass` prints it with the default search
/// path: without the default schema, each part quoted where needed.
fn canonical_regclass(e: Expr) -> Expr {
    let Expr::Value(ValueWithSpan {
        value: Value::SingleQuotedString(s),
        span,
    }) = e
    else {
        return e;
    };
    let text = match regclass_parts(&s).as_deref() {
        Some([schema, name]) if schema == super::DEFAULT_SCHEMA => names::quote_ident(name),
        Some(parts) => parts
            .iter()
            .map(|p| names::quote_ident(p))
            .collect::<Vec<_>>()
            .join("."),
        None => s,
    };
    Expr::Value(ValueWithSpan {
        value: Value::SingleQuotedString(text),
        span,
    })
}

/// `nextval('seq')` as canonical text; the schema is kept only outside `public`,
/// and each part is quoted where `regclass` would quote it.
pub fn nextval(seq: &QualifiedName) -> Expression {
    let text = if seq.schema == super::DEFAULT_SCHEMA {
        names::quote_ident(&seq.name)
    } else {
        format!(
            "{}.{}",
            names::quote_ident(&seq.schema),
            names::quote_ident(&seq.name)
        )
    };
    // Already canonical (what `Expression::parse` gives for it, as a test
    // checks): parsing it again would cost a parser run per serial column.
    Expression::from_canonical(format!("nextval('{}')", text.replace('\'', "''")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nextval_is_built_in_canonical_form() {
        for (schema, name) in [
            ("public", "users_id_seq"),
            ("public", "Users_Id_Seq"),
            ("public", "select"),
            ("public", "it's"),
            ("public", "a\"b"),
            ("public", "a.b"),
            ("public", "with space"),
            ("public", "ünïcode"),
            ("public", "back\\slash"),
            ("app", "s"),
            ("App", "S"),
        ] {
            let built = nextval(&QualifiedName::new(schema, name));
            assert_eq!(
                Expression::parse(built.sql()).as_ref(),
                Ok(&built),
                "{schema}.{name}"
            );
        }
    }

    #[test]
    fn sql_value_functions_stay_keywords() {
        for (written, canonical) in [
            ("CURRENT_DATE", "CURRENT_DATE"),
            ("current_timestamp", "CURRENT_TIMESTAMP"),
            ("localtimestamp", "LOCALTIMESTAMP"),
            ("CURRENT_USER", "CURRENT_USER"),
        ] {
            assert_eq!(
                Expression::parse(written).map(|e| e.sql().to_string()),
                Ok(canonical.to_string())
            );
        }
        // A quoted identifier of that spelling is a column.
        assert_eq!(
            Expression::parse("\"current_date\"").map(|e| e.sql().to_string()),
            Ok("\"current_date\"".to_string())
        );
    }

    #[test]
    fn a_string_holding_a_quote_is_respelled_not_canonicalised() {
        // sqlparser prints `'it''s'` as `'it's'`: the spelling written back
        // must still be the user's expression, `$$1$$` a string, the cast kept.
        let text = "('x' || $$1$$) || 'it''s'::text";
        let expr = Parser::new(&PostgreSqlDialect {})
            .try_with_sql(text)
            .and_then(|mut p| p.parse_expr())
            .unwrap_or_else(|e| panic!("{e}"));
        let e = Expression::from_ast(&expr);
        assert!(e.source().contains("$$1$$"), "{}", e.source());
        assert!(
            e.source().to_lowercase().contains("::text"),
            "{}",
            e.source()
        );
        assert!(reads_back_as(e.source(), e.sql()), "{}", e.source());
    }

    #[test]
    fn functions_of_pg_catalog_and_public_compare_unqualified() {
        for (qualified, plain) in [
            ("public.uuid_generate_v4()", "uuid_generate_v4()"),
            ("pg_catalog.lower(name)", "lower(name)"),
            ("\"public\".digest('x', 'sha256')", "digest('x', 'sha256')"),
        ] {
            assert_eq!(Expression::parse(qualified), Expression::parse(plain));
        }
        differ("other.f()", "f()");
        differ("public.f()", "other.f()");
    }

    #[test]
    fn implicit_numeric_casts_of_columns_are_not_canonical() {
        assert_eq!(
            Expression::parse("price * qty"),
            Expression::parse("(price * (qty)::numeric)")
        );
    }

    fn differ(a: &str, b: &str) {
        assert_ne!(Expression::parse(a), Expression::parse(b), "`{a}` vs `{b}`");
    }

    fn same(a: &str, b: &str) {
        let (x, y) = (Expression::parse(a), Expression::parse(b));
        assert_eq!(x, y, "`{a}` vs `{b}`");
        assert!(x.is_ok());
    }

    #[test]
    fn what_postgres_prints_equals_what_users_write() {
        same("price > 0", "(price > (0)::numeric)");
        same(
            "status IN ('a', 'b')",
            "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))",
        );
        same("-1", "'-1'::integer");
        same("'x'", "'x'::character varying");
        same("now()", "NOW()");
        same(
            "nextval('users_id_seq')",
            "nextval('public.users_id_seq'::regclass)",
        );
        same("n BETWEEN 1 AND 5", "((n >= 1) AND (n <= 5))");
        same("email LIKE '%@%'", "((email)::text ~~ '%@%'::text)");
        same("lower(email)", "lower((email)::text)");
        same("TRUE", "true");
        same("'{}'::jsonb", "'{}'");
    }

    #[test]
    fn postgres_rewrites_are_undone() {
        // ILIKE is printed as its operator.
        same("handle ILIKE 'a%'", "(handle ~~* 'a%'::text)");
        same("handle NOT ILIKE 'a%'", "(handle !~~* 'a%'::text)");
        // NOT BETWEEN is spelled out with OR.
        same(
            "score NOT BETWEEN -1 AND -0.5",
            "((score < '-1'::integer) OR (score > '-0.5'::numeric))",
        );
        // A one-item IN list is a comparison; items with columns are OR-ed on.
        same("status IN ('new')", "((status)::text = 'new'::text)");
        same("status NOT IN ('new')", "((status)::text <> 'new'::text)");
        same("a IN (1, 2, b)", "((a = ANY (ARRAY[1, 2])) OR (a = b))");
        same("a IN (b, 1)", "((a = b) OR (a = 1))");
        // Children of every expression kind are canonical.
        same(
            "floor(random() * 100)::integer",
            "(floor((random() * (100)::double precision)))::integer",
        );
        same(
            "now() AT TIME ZONE 'utc'",
            "(now() AT TIME ZONE 'utc'::text)",
        );
        same("(a || b)::varchar", "((a || b))::character varying");
        same("(a + 1)::int4", "((a + 1))::integer");
        same(
            "upper(s)::varchar(5) <> 'X'",
            "(((upper(s))::character varying(5))::text <> 'X'::text)",
        );
        same(
            "CASE WHEN a THEN 'x' END",
            "CASE WHEN a THEN 'x'::text ELSE NULL::text END",
        );
        same(
            "CASE WHEN a > 0 THEN 'x' ELSE 'y' END",
            "CASE WHEN (a > 0) THEN 'x'::text ELSE 'y'::text END",
        );
        // Literals: typed intervals, exponents, bit strings, escaped strings.
        same("now() + interval '7 days'", "(now() + '7 days'::interval)");
        same("-1e10", "'-10000000000'::double precision");
        same("1.5e-5", "'1.5e-05'::double precision");
        same("2.5E+3", "2500");
        same("B'1010'", "'1010'::\"bit\"");
        same("X'1F'", "B'00011111'");
        same("E'it\\'s'", "'it''s'::text");
        same("$$x$$", "'x'::text");
        // regclass quotes what needs quotes and drops the default schema.
        same(
            "nextval('\"Diary_Seq\"')",
            "nextval('public.\"Diary_Seq\"'::regclass)",
        );
        same("nextval('Diary_Seq')", "nextval('diary_seq'::regclass)");
        same("nextval('app.s')", "nextval('app.s'::regclass)");
    }

    #[test]
    fn parentheses_that_matter_are_kept() {
        differ("(a OR b) AND c", "a OR (b AND c)");
        differ("(a + b) * c", "a + b * c");
        differ("(a + b)::integer", "a + b::integer");
        differ("a - (b - c)", "a - b - c");
        differ("NOT (a AND b)", "NOT a AND b");
        differ("(a = b) IS NULL", "a = (b IS NULL)");
        differ("-(a * b)", "-a * b");
        same("(a OR b) AND c", "((a OR b) AND c)");
        same("a - b - c", "((a - b) - c)");
        same("(a + b) * c", "((a + b) * c)");
    }

    #[test]
    fn canonical_text_reads_back_as_itself() {
        for text in [
            "(a OR b) AND c",
            "a - (b - c)",
            "(a + b)::integer",
            "NOT (a AND b)",
            "-(a * b)",
            "(x = 1) IS TRUE",
            "a IN (1, 2) OR a = b",
            "x NOT BETWEEN 1 AND 2 AND y",
            "(a || b) LIKE 'x%'",
            "(ts AT TIME ZONE 'utc')::date",
            "x = ANY (ARRAY['a'])",
            "x = ANY (ARRAY[a, b])",
            "(first_name || ' ') || last_name",
            "nextval('\"Seq\"')",
            "1e20",
        ] {
            let once = Expression::parse(text).map(|e| e.sql().to_string());
            let twice = once
                .as_ref()
                .map_err(Clone::clone)
                .and_then(|t| Expression::parse(t))
                .map(|e| e.sql().to_string());
            assert_eq!(once, twice, "`{text}`");
        }
    }

    #[test]
    fn strings_stay_strings_whatever_they_look_like() {
        differ("'007'", "7");
        differ("'1e3'", "1000");
        differ("'1e3'", "1e3");
        differ("'.5'", ".5");
        differ("'-0'", "-0");
        differ("'00001'", "1");
        differ("B'0101'", "'0101'");
        differ("B'0101'", "101");
        // What PostgreSQL prints for the user's constants.
        same("'007'", "'007'::text");
        same("'00001'", "'00001'::bpchar");
        same("'1e3'", "'1e3'::text");
        same("'0'", "'0'::character varying");
        same("'7'", "7");
        same("B'00011111'", "'00011111'::\"bit\"");
        same("'1e3'::numeric", "1000");
    }

    #[test]
    fn the_users_spelling_is_what_is_written_back() {
        for text in [
            "'007'",
            "'1e3'",
            "B'00011111'",
            "X'1F'",
            "ARRAY[]::INTEGER[]",
            "(now() AT TIME ZONE 'utc')",
            "(ARRAY[(a)::TEXT, (b)::TEXT] || c)",
            "'0'::CHARACTER VARYING",
            "now() + INTERVAL '15 minutes'",
            "E'a\\nb'",
            "$q$x$q$",
        ] {
            let e = Expression::parse(text).map(|e| e.to_string());
            assert_eq!(e.as_deref(), Ok(text));
        }
    }

    #[test]
    fn a_backslash_before_a_quote_is_written_so_it_reads_back() {
        // The value `\'`: sqlparser alone would print `'\''`.
        let parsed = Expression::from_ast(&Expr::Value(ValueWithSpan {
            value: Value::SingleQuotedString(r"\'".into()),
            span: Span::empty(),
        }));
        assert_eq!(parsed.to_string(), r"E'\\\''");
        assert!(reads_back_as(&parsed.to_string(), parsed.sql()));
        same(r"'\'''", r"E'\\\''");
        same(r"'\'''", r"'\'''::text");
        same(r"'a\b'", r"'a\b'::text");
        // Two quotes in a row, which sqlparser alone prints as one.
        let quotes = Expression::from_ast(&Expr::Value(ValueWithSpan {
            value: Value::SingleQuotedString("'''e".into()),
            span: Span::empty(),
        }));
        assert!(reads_back_as(&quotes.to_string(), quotes.sql()), "{quotes}");
        same(r"'''''''e'", r"'''''''e'::text");
        differ(r"'''''''e'", r"'''''e'");
    }

    #[test]
    fn different_expressions_differ() {
        assert_ne!(Expression::parse("a > 0"), Expression::parse("a >= 0"));
        assert_ne!(Expression::parse("'a'"), Expression::parse("'b'"));
    }
}
