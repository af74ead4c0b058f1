//! SQLite's spelling of expressions: canonical expressions translated to what
//! SQLite runs with the same meaning (or refused), and read back.

use sqlparser::ast::{
    BinaryOperator, CastKind, DataType, Expr, Function, FunctionArg, FunctionArgExpr,
    FunctionArguments, Ident, InTarget, ObjectName, UnaryOperator, Value,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use super::Reason;
use super::types::declared_type;
use crate::model::types::TypeSpec;
use crate::model::{Expression, SqlType};

/// Functions SQLite has with PostgreSQL's name and meaning.
const SAME_FUNCTIONS: &[&str] = &[
    "abs", "coalesce", "length", "lower", "ltrim", "nullif", "replace", "round", "rtrim", "substr",
    "trim", "upper",
];

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
pub(super) fn sqlite_expr(e: &Expression) -> Result<String, Reason> {
    let tree = parse_expr(e.sql())?;
    let out = to_sqlite(tree).map_err(|why| format!("`{e}`: {why}"))?;
    Ok(out.to_string())
}

/// A `DEFAULT` clause's expression, and whether `ADD COLUMN` accepts it (a
/// literal: SQLite refuses `CURRENT_*` and parenthesised expressions there).
pub(super) fn sqlite_default(e: &Expression) -> Result<(String, bool), Reason> {
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

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
}
