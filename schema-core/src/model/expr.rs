//! SQL expressions (defaults, checks, index parts, predicates) compared by a
//! canonical text, so that what a user writes and what PostgreSQL prints back
//! (`pg_get_expr`) compare equal.
//!
//! Canonicalisation: redundant parentheses go; casts of literals and of plain
//! columns to text types go (PostgreSQL adds them: `(0)::numeric`,
//! `(email)::text`); `x = ANY (ARRAY[..])` is written `x IN (..)`; `BETWEEN`
//! is spelled out; `~~` is `LIKE`; unquoted identifiers and function names are
//! folded; `nextval('public.s'::regclass)` loses the default schema.

use std::fmt;

use sqlparser::ast::{
    BinaryOperator, CastKind, DataType, Expr, FunctionArg, FunctionArgExpr, FunctionArguments,
    Ident, InTarget, ObjectName, ObjectNamePart, UnaryOperator, Value, ValueWithSpan,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Span;

use super::names;

/// An expression, kept in canonical text form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Expression {
    sql: String,
}

impl Expression {
    /// Canonicalises a parsed expression.
    pub fn from_ast(expr: &Expr) -> Self {
        Expression {
            sql: canonical(expr.clone()).to_string(),
        }
    }

    /// Parses and canonicalises expression text (e.g. from `pg_get_expr`).
    ///
    /// # Errors
    /// The parser's message when the text is not an expression.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut parser = Parser::new(&PostgreSqlDialect {})
            .try_with_sql(text)
            .map_err(|e| e.to_string())?;
        let expr = parser.parse_expr().map_err(|e| e.to_string())?;
        Ok(Self::from_ast(&expr))
    }

    /// The canonical SQL text.
    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// The sequence name when this is `nextval('seq')`.
    pub fn nextval_sequence(&self) -> Option<&str> {
        let rest = self.sql.strip_prefix("nextval('")?;
        rest.strip_suffix("')")
    }
}

impl fmt::Display for Expression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.sql)
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

fn boxed(e: Expr) -> Box<Expr> {
    Box::new(canonical(e))
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
            let inner = canonical(*expr);
            let drop_cast = is_literal(&inner)
                || (matches!(inner, Expr::Identifier(_) | Expr::CompoundIdentifier(_))
                    && is_text_type(&data_type))
                || matches!(data_type, DataType::Regclass);
            if drop_cast {
                inner
            } else {
                Expr::Cast {
                    kind: match kind {
                        CastKind::Cast | CastKind::DoubleColon => CastKind::DoubleColon,
                        other => other,
                    },
                    expr: Box::new(inner),
                    data_type,
                    format,
                }
            }
        }
        Expr::TypedString(ts) => Expr::Value(ts.value),
        Expr::Value(ValueWithSpan { value: v, span }) => match v {
            Value::SingleQuotedString(s) if looks_numeric(&s) => value(Value::Number(s, false)),
            other => Expr::Value(ValueWithSpan { value: other, span }),
        },
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
                (op, inner) => Expr::UnaryOp {
                    op,
                    expr: Box::new(inner),
                },
            }
        }
        Expr::Identifier(i) => Expr::Identifier(fold(i)),
        Expr::CompoundIdentifier(parts) => {
            let mut parts: Vec<Ident> = parts.into_iter().map(fold).collect();
            if parts.len() == 1 {
                Expr::Identifier(parts.remove(0))
            } else {
                Expr::CompoundIdentifier(parts)
            }
        }
        Expr::BinaryOp { left, op, right } => {
            let (op, negated_like) = match op {
                BinaryOperator::PGLikeMatch => {
                    return Expr::Like {
                        negated: false,
                        any: false,
                        expr: boxed(*left),
                        pattern: boxed(*right),
                        escape_char: None,
                    };
                }
                BinaryOperator::PGNotLikeMatch => (BinaryOperator::PGNotLikeMatch, true),
                op => (op, false),
            };
            if negated_like {
                return Expr::Like {
                    negated: true,
                    any: false,
                    expr: boxed(*left),
                    pattern: boxed(*right),
                    escape_char: None,
                };
            }
            Expr::BinaryOp {
                left: boxed(*left),
                op,
                right: boxed(*right),
            }
        }
        Expr::AnyOp {
            left,
            compare_op,
            right,
            is_some,
        } => {
            let left = boxed(*left);
            let right = canonical(*right);
            match (compare_op, right) {
                (BinaryOperator::Eq, Expr::Array(array)) => Expr::In {
                    expr: left,
                    target: InTarget::List(array.elem),
                    negated: false,
                    global: false,
                },
                (compare_op, right) => Expr::AnyOp {
                    left,
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
            let left = boxed(*left);
            let right = canonical(*right);
            match (compare_op, right) {
                (BinaryOperator::NotEq, Expr::Array(array)) => Expr::In {
                    expr: left,
                    target: InTarget::List(array.elem),
                    negated: true,
                    global: false,
                },
                (compare_op, right) => Expr::AllOp {
                    left,
                    compare_op,
                    right: Box::new(right),
                },
            }
        }
        Expr::In {
            expr,
            target,
            negated,
            global,
        } => Expr::In {
            expr: boxed(*expr),
            target: match target {
                InTarget::List(list) => InTarget::List(list.into_iter().map(canonical).collect()),
                other => other,
            },
            negated,
            global,
        },
        Expr::Between {
            expr,
            negated: false,
            low,
            high,
        } => {
            let e = canonical(*expr);
            Expr::BinaryOp {
                left: Box::new(Expr::BinaryOp {
                    left: Box::new(e.clone()),
                    op: BinaryOperator::GtEq,
                    right: boxed(*low),
                }),
                op: BinaryOperator::And,
                right: Box::new(Expr::BinaryOp {
                    left: Box::new(e),
                    op: BinaryOperator::LtEq,
                    right: boxed(*high),
                }),
            }
        }
        Expr::Like {
            negated,
            any,
            expr,
            pattern,
            escape_char,
        } => Expr::Like {
            negated,
            any,
            expr: boxed(*expr),
            pattern: boxed(*pattern),
            escape_char,
        },
        Expr::IsNull(e) => Expr::IsNull(boxed(*e)),
        Expr::IsNotNull(e) => Expr::IsNotNull(boxed(*e)),
        Expr::IsTrue(e) => Expr::IsTrue(boxed(*e)),
        Expr::IsFalse(e) => Expr::IsFalse(boxed(*e)),
        Expr::IsDistinctFrom(a, b) => Expr::IsDistinctFrom(boxed(*a), boxed(*b)),
        Expr::IsNotDistinctFrom(a, b) => Expr::IsNotDistinctFrom(boxed(*a), boxed(*b)),
        Expr::Array(mut array) => {
            array.elem = array.elem.into_iter().map(canonical).collect();
            array.named = true;
            Expr::Array(array)
        }
        Expr::Function(mut function) => {
            function.name = fold_name(function.name);
            let is_nextval = function.name.to_string() == "nextval";
            if let FunctionArguments::List(list) = &mut function.args {
                for arg in &mut list.args {
                    if let FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) = arg {
                        let mut c = canonical(std::mem::replace(e, value(Value::Null)));
                        if is_nextval {
                            c = strip_default_schema(c);
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

/// `'public.seq'` → `'seq'` (how `pg_get_expr` prints it with the default search path).
fn strip_default_schema(e: Expr) -> Expr {
    match e {
        Expr::Value(ValueWithSpan {
            value: Value::SingleQuotedString(s),
            span,
        }) => {
            let s = s
                .strip_prefix(&format!("{}.", super::DEFAULT_SCHEMA))
                .map(str::to_string)
                .unwrap_or(s);
            Expr::Value(ValueWithSpan {
                value: Value::SingleQuotedString(s),
                span,
            })
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn different_expressions_differ() {
        assert_ne!(Expression::parse("a > 0"), Expression::parse("a >= 0"));
        assert_ne!(Expression::parse("'a'"), Expression::parse("'b'"));
    }
}
