//! The columns a view's query names, checked against the relations it reads:
//! a column no relation of its `FROM` has is a located error, as PostgreSQL
//! would give at `CREATE VIEW`. Only queries whose every part is understood
//! are checked (one `SELECT` over tables and views of the model, joins,
//! expressions of the common kinds); anything else (subqueries, common table
//! expressions, set operations, table functions, window functions, ...) is
//! left to PostgreSQL rather than risk refusing valid SQL.

use std::collections::BTreeMap;

use sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, GroupByExpr, InTarget, JoinConstraint,
    JoinOperator, OrderByKind, Query, SelectItem, SetExpr, TableFactor,
};
use sqlparser::tokenizer::Location;

use crate::model::names::{closest, fold_ident};
use crate::model::{QualifiedName, Schema};

/// A column reference no relation of the query has.
pub(super) struct UnknownColumn {
    /// The column as written (folded).
    pub(super) column: String,
    /// The relation it is qualified with, if any.
    pub(super) relation: Option<String>,
    /// Where it is.
    pub(super) at: Location,
    /// A column of the relations with a close name.
    pub(super) similar: Option<String>,
}

/// Names that read like columns but are PostgreSQL's own values.
const SPECIAL: &[&str] = &[
    "current_date",
    "current_time",
    "current_timestamp",
    "localtime",
    "localtimestamp",
    "current_user",
    "current_role",
    "session_user",
    "user",
    "current_catalog",
    "current_schema",
    "true",
    "false",
    "null",
];

/// System columns every table has.
const SYSTEM: &[&str] = &["ctid", "xmin", "xmax", "cmin", "cmax", "tableoid"];

/// What the query's `FROM` brings in scope: each relation's names (alias,
/// or table name) and its columns.
struct Scope {
    by_name: BTreeMap<String, Vec<String>>,
}

impl Scope {
    fn all_columns(&self) -> impl Iterator<Item = &String> {
        self.by_name.values().flatten()
    }

    fn has(&self, column: &str) -> bool {
        self.all_columns().any(|c| c == column)
    }
}

/// The first column the query names that none of its relations has, when
/// the whole query is of a shape this check understands.
pub(super) fn unknown_column(query: &Query, schema: &Schema) -> Option<UnknownColumn> {
    if query.with.is_some() || query.fetch.is_some() {
        return None;
    }
    let SetExpr::Select(select) = query.body.as_ref() else {
        return None;
    };
    if !select.lateral_views.is_empty()
        || select.prewhere.is_some()
        || !select.named_window.is_empty()
        || select.qualify.is_some()
        || !select.connect_by.is_empty()
    {
        return None;
    }
    let mut scope = Scope {
        by_name: BTreeMap::new(),
    };
    let mut exprs: Vec<&Expr> = Vec::new();
    for from in &select.from {
        let factors = std::iter::once(&from.relation).chain(from.joins.iter().map(|j| &j.relation));
        for factor in factors {
            add_to_scope(factor, schema, &mut scope)?;
        }
        for join in &from.joins {
            match join_constraint(&join.join_operator)? {
                JoinConstraint::On(e) => exprs.push(e),
                JoinConstraint::None | JoinConstraint::Natural => {}
                JoinConstraint::Using(_) | JoinConstraint::UsingAlias(..) => return None,
            }
        }
    }
    if scope.by_name.is_empty() {
        return None;
    }
    let mut outputs: Vec<String> = Vec::new();
    for item in &select.projection {
        match item {
            SelectItem::UnnamedExpr(e) => exprs.push(e),
            SelectItem::ExprWithAlias { expr, alias } => {
                outputs.push(fold_ident(alias));
                exprs.push(expr);
            }
            SelectItem::Wildcard(_) => {}
            _ => return None,
        }
    }
    exprs.extend(select.selection.as_ref());
    exprs.extend(select.having.as_ref());
    match &select.group_by {
        GroupByExpr::Expressions(list, modifiers) if modifiers.is_empty() => exprs.extend(list),
        _ => return None,
    }
    if let Some(order) = &query.order_by {
        match &order.kind {
            OrderByKind::Expressions(list) => exprs.extend(list.iter().map(|o| &o.expr)),
            OrderByKind::All(_) => return None,
        }
    }
    let mut refs = Vec::new();
    for e in exprs {
        column_refs(e, &mut refs, 0)?;
    }
    for (parts, at) in refs {
        let found = match parts.as_slice() {
            [c] => {
                scope.has(c)
                    || scope.by_name.contains_key(c)
                    || outputs.contains(c)
                    || SPECIAL.contains(&c.as_str())
                    || SYSTEM.contains(&c.as_str())
            }
            [r, c] => match scope.by_name.get(r) {
                Some(cols) => cols.contains(c) || SYSTEM.contains(&c.as_str()),
                // Not a relation of the query: PostgreSQL's own error
                // ("missing FROM-clause entry"), left to it.
                None => true,
            },
            _ => true,
        };
        if !found {
            let (relation, column) = match parts.as_slice() {
                [r, c] => (Some(r.clone()), c.clone()),
                [c] => (None, c.clone()),
                _ => continue,
            };
            let similar = match &relation {
                Some(r) => scope
                    .by_name
                    .get(r)
                    .and_then(|cols| closest(&column, cols.iter().map(String::as_str))),
                None => closest(&column, scope.all_columns().map(String::as_str)),
            }
            .map(str::to_string);
            return Some(UnknownColumn {
                column,
                relation,
                at,
                similar,
            });
        }
    }
    None
}

/// The constraint of a join of the kinds PostgreSQL has.
fn join_constraint(op: &JoinOperator) -> Option<&JoinConstraint> {
    match op {
        JoinOperator::Join(c)
        | JoinOperator::Inner(c)
        | JoinOperator::Left(c)
        | JoinOperator::LeftOuter(c)
        | JoinOperator::Right(c)
        | JoinOperator::RightOuter(c)
        | JoinOperator::FullOuter(c)
        | JoinOperator::CrossJoin(c) => Some(c),
        _ => None,
    }
}

/// Adds a plain table or view of the model to `scope`; `None` for anything
/// else (a subquery, a function, a relation the model does not hold).
fn add_to_scope(factor: &TableFactor, schema: &Schema, scope: &mut Scope) -> Option<()> {
    let TableFactor::Table {
        name,
        alias,
        args: None,
        with_hints,
        version: None,
        with_ordinality: false,
        partitions,
        json_path: None,
        sample: None,
        index_directives,
        ..
    } = factor
    else {
        return None;
    };
    if !with_hints.is_empty() || !partitions.is_empty() || !index_directives.is_empty() {
        return None;
    }
    let parts: Vec<String> = name
        .0
        .iter()
        .map(|p| p.as_ident().map(fold_ident))
        .collect::<Option<_>>()?;
    let key = match parts.as_slice() {
        [n] => QualifiedName::public(n.clone()),
        [s, n] => QualifiedName::new(s.clone(), n.clone()),
        _ => return None,
    };
    let mut columns: Vec<String> = if let Some(t) = schema.tables.get(&key) {
        t.columns.iter().map(|c| c.name.clone()).collect()
    } else if let Some(v) = schema.views.get(&key) {
        v.columns.iter().map(|c| c.name.clone()).collect()
    } else {
        return None;
    };
    let shown = match alias {
        Some(a) => {
            // `AS x (a, b)` renames the first columns.
            for (i, c) in a.columns.iter().enumerate() {
                if let Some(slot) = columns.get_mut(i) {
                    *slot = fold_ident(&c.name);
                }
            }
            fold_ident(&a.name)
        }
        None => key.name.clone(),
    };
    if scope.by_name.insert(shown, columns).is_some() {
        // The same name twice is PostgreSQL's error to give.
        return None;
    }
    Some(())
}

/// The column references in `e` (`[column]` or `[relation, column]`, with
/// where each is); `None` when `e` holds something this check does not read.
fn column_refs(e: &Expr, out: &mut Vec<(Vec<String>, Location)>, depth: usize) -> Option<()> {
    if depth > 100 {
        return None;
    }
    let mut walk = |x: &Expr| column_refs(x, out, depth + 1);
    match e {
        Expr::Identifier(i) => {
            out.push((vec![fold_ident(i)], i.span.start));
            Some(())
        }
        Expr::CompoundIdentifier(parts) => {
            let at = parts.first().map(|p| p.span.start)?;
            out.push((parts.iter().map(fold_ident).collect(), at));
            Some(())
        }
        Expr::Value(_) | Expr::TypedString(_) => Some(()),
        Expr::IsFalse(x)
        | Expr::IsNotFalse(x)
        | Expr::IsTrue(x)
        | Expr::IsNotTrue(x)
        | Expr::IsNull(x)
        | Expr::IsNotNull(x)
        | Expr::IsUnknown(x)
        | Expr::IsNotUnknown(x)
        | Expr::Nested(x)
        | Expr::UnaryOp { expr: x, .. }
        | Expr::Cast { expr: x, .. } => walk(x),
        Expr::IsDistinctFrom(a, b)
        | Expr::IsNotDistinctFrom(a, b)
        | Expr::BinaryOp {
            left: a, right: b, ..
        } => {
            walk(a)?;
            walk(b)
        }
        Expr::Like {
            expr,
            pattern,
            escape_char,
            ..
        }
        | Expr::ILike {
            expr,
            pattern,
            escape_char,
            ..
        } => {
            walk(expr)?;
            walk(pattern)?;
            escape_char.as_deref().map_or(Some(()), walk)
        }
        Expr::Between {
            expr, low, high, ..
        } => {
            walk(expr)?;
            walk(low)?;
            walk(high)
        }
        Expr::In {
            expr,
            target: InTarget::List(list),
            ..
        } => {
            walk(expr)?;
            list.iter().try_for_each(walk)
        }
        Expr::Case {
            operand,
            conditions,
            else_result,
            ..
        } => {
            if let Some(o) = operand {
                walk(o)?;
            }
            for c in conditions {
                walk(&c.condition)?;
                walk(&c.result)?;
            }
            else_result.as_deref().map_or(Some(()), walk)
        }
        Expr::Function(f) => {
            if f.over.is_some()
                || f.filter.is_some()
                || !f.within_group.is_empty()
                || !matches!(f.parameters, FunctionArguments::None)
            {
                return None;
            }
            match &f.args {
                FunctionArguments::None => Some(()),
                FunctionArguments::Subquery(_) => None,
                FunctionArguments::List(list) => {
                    if !list.clauses.is_empty() {
                        return None;
                    }
                    for a in &list.args {
                        match a {
                            FunctionArg::Unnamed(FunctionArgExpr::Expr(x)) => walk(x)?,
                            FunctionArg::Unnamed(FunctionArgExpr::Wildcard) => {}
                            _ => return None,
                        }
                    }
                    Some(())
                }
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::parse::parse_schema_str;

    fn errors(sql: &str) -> Vec<String> {
        match parse_schema_str("schema.sql", sql) {
            Ok(_) => Vec::new(),
            Err(d) => d.iter().map(|d| d.message.clone()).collect(),
        }
    }

    const TABLES: &str = "CREATE TABLE users (id integer PRIMARY KEY, email text, team integer);\nCREATE TABLE teams (id integer PRIMARY KEY, name text);\n";

    #[test]
    fn a_column_no_relation_has_is_a_located_error_with_a_suggestion() {
        let sql = format!("{TABLES}CREATE VIEW v AS SELECT id, emails FROM users;");
        let d = parse_schema_str("schema.sql", &sql)
            .err()
            .unwrap_or_default();
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("`emails`"), "{}", d[0].message);
        let text = crate::diagnostic::render_all(&d, false);
        assert!(text.contains("schema.sql:3:29"), "{text}");
        assert!(text.contains("did you mean `email`"), "{text}");
    }

    #[test]
    fn a_qualified_column_is_looked_up_in_its_relation() {
        let sql = format!(
            "{TABLES}CREATE VIEW v AS SELECT u.id, t.email FROM users u JOIN teams t ON t.id = u.team;"
        );
        let e = errors(&sql);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].contains("`t.email`"), "{e:?}");
        let e = errors(&format!(
            "{TABLES}CREATE VIEW v AS SELECT u.id, t.name FROM users u JOIN teams t ON t.id = u.tem;"
        ));
        assert!(e.iter().any(|m| m.contains("`u.tem`")), "{e:?}");
    }

    #[test]
    fn valid_queries_pass() {
        for q in [
            "SELECT id, email FROM users",
            "SELECT u.id, t.name AS team_name FROM users AS u LEFT JOIN teams t ON t.id = u.team WHERE u.email IS NOT NULL ORDER BY team_name",
            "SELECT team, count(*) AS n FROM users GROUP BY team HAVING count(*) > 1",
            "SELECT lower(email) AS e, current_date AS d, CURRENT_USER AS who FROM users",
            "SELECT u FROM users u",
            "SELECT id, CASE WHEN team IN (1, 2) THEN 'a' ELSE 'b' END AS k FROM users WHERE email LIKE '%@x' AND id BETWEEN 1 AND 9",
            "SELECT x.a, x.b FROM users AS x (a, b)",
            "SELECT users.id, ctid FROM users",
            "SELECT * FROM users",
            "SELECT id FROM users WHERE id IN (SELECT id FROM teams WHERE nothere > 0)",
            "SELECT nothere FROM users, generate_series(1, 3) AS g (nothere)",
            "WITH w AS (SELECT 1 AS c) SELECT c FROM w",
        ] {
            let e = errors(&format!("{TABLES}CREATE VIEW v AS {q};"));
            assert!(e.is_empty(), "{q}: {e:?}");
        }
    }
}
