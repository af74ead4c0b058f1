//! Views and materialized views: `CREATE [OR REPLACE] [RECURSIVE] VIEW` and
//! `CREATE MATERIALIZED VIEW`, their query compared by a normalized text, their
//! output columns, options, a materialized view's indexes, and comments.
//!
//! The query compares by [`ViewQuery`]'s normalized text: the tokens of the
//! query as sqlparser prints it back, whitespace and comments dropped and
//! unquoted words folded, with the column list and `RECURSIVE` in front (they
//! change what the view is). A live database prints a view's query its own way
//! (`pg_get_viewdef`): a declared view compares with a live one through the
//! text PostgreSQL stores for it (the runtime's `stored` module creates it as
//! a temporary view and takes that text with [`ViewQuery::compared_as`]).
//!
//! Column types are known where the query says them: a select item that is a
//! plain column of a table (or a view) of the schema read in `FROM`, or a cast
//! (`x::integer`); other columns' types are unknown until a database reports
//! them (introspection, or the stored form).

use sqlparser::ast::{Expr, Query, SelectItem, SetExpr, TableFactor};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer, Whitespace};

use super::depends::Reads;
use super::names::fold_ident;
use super::{Directives, Index, QualifiedName, Schema, SqlType, StorageParameters};
use crate::diagnostic::Origin;

/// A view's query: the normalized text it compares by, and the user's own
/// text it is written back in.
#[derive(Debug, Clone)]
pub struct ViewQuery {
    compare: String,
    source: String,
}

impl PartialEq for ViewQuery {
    fn eq(&self, other: &Self) -> bool {
        self.compare == other.compare
    }
}
impl Eq for ViewQuery {}

impl ViewQuery {
    /// The query `source` (as written, without a trailing `;`), compared by
    /// its normalized form with `columns` (the column list, when one is
    /// written) and `recursive` in front.
    pub fn new(source: &str, columns: &[String], recursive: bool) -> Self {
        let mut compare = String::new();
        if recursive {
            compare.push_str("recursive ");
        }
        if !columns.is_empty() {
            compare.push('(');
            compare.push_str(&columns.join(","));
            compare.push_str(") ");
        }
        compare.push_str(&normalize(source));
        ViewQuery {
            compare,
            source: source.trim().to_string(),
        }
    }

    /// The query as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The normalized text it compares by.
    pub fn compared(&self) -> &str {
        &self.compare
    }

    /// This query's spelling, compared as `stored` (what PostgreSQL stores for
    /// it): the database is the judge of equality.
    #[must_use]
    pub fn compared_as(&self, stored: &ViewQuery) -> ViewQuery {
        ViewQuery {
            compare: stored.compare.clone(),
            source: self.source.clone(),
        }
    }
}

/// The normalized text of SQL: its tokens one space apart, comments and
/// whitespace dropped, unquoted words lower-cased, a quoted word that needs no
/// quotes unquoted, a trailing `;` dropped. Text the tokenizer cannot read is
/// compared as it is, trimmed. Linear in the text's length.
pub fn normalize(sql: &str) -> String {
    let dialect = PostgreSqlDialect {};
    let Ok(tokens) = Tokenizer::new(&dialect, sql).tokenize() else {
        return sql.trim().to_string();
    };
    let mut out = String::with_capacity(sql.len());
    for t in &tokens {
        let piece = match t {
            Token::Whitespace(
                Whitespace::Space
                | Whitespace::Tab
                | Whitespace::Newline
                | Whitespace::SingleLineComment { .. }
                | Whitespace::MultiLineComment(_),
            ) => continue,
            Token::Word(w) if w.quote_style.is_none() => w.value.to_ascii_lowercase(),
            Token::Word(w)
                if w.quote_style == Some('"') && !super::names::needs_quotes(&w.value) =>
            {
                w.value.clone()
            }
            other => other.to_string(),
        };
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&piece);
    }
    while out.ends_with(" ;") || out.ends_with(';') {
        out.pop();
        while out.ends_with(' ') {
            out.pop();
        }
    }
    out
}

/// One output column of a view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewColumn {
    /// Its name.
    pub name: String,
    /// Its type, when known (see the module documentation). Not compared:
    /// a declared view may not know what a live one reports.
    pub data_type: Option<SqlType>,
    /// `COMMENT ON COLUMN view.column`.
    pub comment: Option<String>,
}

/// A view or a materialized view.
#[derive(Debug, Clone)]
pub struct View {
    /// Qualified name.
    pub name: QualifiedName,
    /// `MATERIALIZED`.
    pub materialized: bool,
    /// `RECURSIVE` (how it was written; PostgreSQL stores it as `WITH
    /// RECURSIVE`, and the query's compared text says it).
    pub recursive: bool,
    /// The column list as written (empty when none): how it was written.
    pub column_list: Vec<String>,
    /// The output columns, in order, as far as they are known (a query whose
    /// columns cannot be read from its text, `SELECT *` of an unknown
    /// relation, leaves the unknown ones out).
    pub columns: Vec<ViewColumn>,
    /// The query.
    pub query: ViewQuery,
    /// `WITH (...)` options (`security_barrier`, `security_invoker`,
    /// `check_option`, which `WITH [LOCAL | CASCADED] CHECK OPTION` also
    /// sets; a materialized view's storage parameters), as PostgreSQL stores
    /// them in `pg_class.reloptions`.
    pub options: StorageParameters,
    /// A materialized view's `WITH DATA` (the default; `WITH NO DATA` is
    /// false). Always true for a plain view.
    pub populated: bool,
    /// A materialized view's indexes, by name.
    pub indexes: super::NameMap<Index>,
    /// `COMMENT ON VIEW` / `COMMENT ON MATERIALIZED VIEW`.
    pub comment: Option<String>,
    /// Where it is declared.
    pub origin: Origin,
    /// `-- schema:` directives written just before it.
    pub directives: Directives,
}

impl PartialEq for View {
    /// Name, kind, query (by its compared text), column names and comments,
    /// options, `WITH [NO] DATA`, indexes and comment; not how it was spelled
    /// (`RECURSIVE`, the column list: both are in the query's compared text)
    /// nor column types (see [`ViewColumn::data_type`]).
    fn eq(&self, other: &Self) -> bool {
        let columns = |v: &View| -> Vec<(String, Option<String>)> {
            v.columns
                .iter()
                .map(|c| (c.name.clone(), c.comment.clone()))
                .collect()
        };
        self.name == other.name
            && self.materialized == other.materialized
            && self.query == other.query
            && columns(self) == columns(other)
            && self.options == other.options
            && self.populated == other.populated
            && self.indexes == other.indexes
            && self.comment == other.comment
    }
}
impl Eq for View {}

impl super::Indexed for View {
    /// Its indexes' names.
    fn held_names(&self) -> impl Iterator<Item = &str> {
        self.indexes.keys().map(String::as_str)
    }

    /// None.
    fn references(&self) -> impl Iterator<Item = &QualifiedName> {
        std::iter::empty()
    }
}

impl View {
    /// `VIEW` or `MATERIALIZED VIEW`.
    pub fn keyword(&self) -> &'static str {
        if self.materialized {
            "MATERIALIZED VIEW"
        } else {
            "VIEW"
        }
    }

    /// `view` or `materialized view`.
    pub fn describe(&self) -> &'static str {
        if self.materialized {
            "materialized view"
        } else {
            "view"
        }
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&ViewColumn> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// What its query reads of `schema`: relations (tables, views), their
    /// columns, functions and types; itself left out (a recursive view names
    /// itself).
    pub fn reads(&self, schema: &Schema) -> Reads {
        let mut reads = Reads::of_sql(&self.query.source, schema);
        for name in super::depends::mentioned_names(&self.query.source) {
            let key = match name.parts.as_slice() {
                [n] => QualifiedName::public(n.clone()),
                [s, n] | [_, s, n] => QualifiedName::new(s.clone(), n.clone()),
                _ => continue,
            };
            if !name.is_call && schema.views.contains_key(&key) {
                reads.relations.insert(key);
            }
        }
        reads.relations.remove(&self.name);
        reads
    }

    /// True when PostgreSQL's `CREATE OR REPLACE VIEW` turns `self` into
    /// `to`: both plain views, and `self`'s columns are the first of `to`'s,
    /// with the same names and (where both are known) types.
    pub fn replaceable_by(&self, to: &View) -> bool {
        !self.materialized
            && !to.materialized
            && self.columns.len() <= to.columns.len()
            && self.columns.iter().zip(&to.columns).all(|(a, b)| {
                a.name == b.name
                    && match (&a.data_type, &b.data_type) {
                        (Some(x), Some(y)) => x == y,
                        _ => true,
                    }
            })
    }
}

/// The output columns of `query` as far as its text says them (see the
/// module documentation), named by `column_list` first.
pub fn derive_columns(query: &Query, column_list: &[String], schema: &Schema) -> Vec<ViewColumn> {
    let mut out = Vec::new();
    let mut body = &*query.body;
    // A set operation's columns are its first branch's names.
    let mut fuel = 64;
    loop {
        match body {
            SetExpr::SetOperation { left, .. } if fuel > 0 => {
                body = left;
                fuel -= 1;
            }
            SetExpr::Query(q) if fuel > 0 => {
                body = &q.body;
                fuel -= 1;
            }
            _ => break,
        }
    }
    let single_branch = matches!(&*query.body, SetExpr::Select(_));
    let mut complete = true;
    if let SetExpr::Select(select) = body {
        // FROM relations by the name (or alias) they are known by.
        let mut relations: Vec<(String, QualifiedName)> = Vec::new();
        for t in &select.from {
            for factor in std::iter::once(&t.relation).chain(t.joins.iter().map(|j| &j.relation)) {
                if let TableFactor::Table { name, alias, .. } = factor {
                    let parts = super::names::object_name_parts(name);
                    let key = match parts.as_slice() {
                        [n] => QualifiedName::public(n.clone()),
                        [s, n] => QualifiedName::new(s.clone(), n.clone()),
                        _ => continue,
                    };
                    let known_as = alias
                        .as_ref()
                        .map_or_else(|| key.name.clone(), |a| fold_ident(&a.name));
                    relations.push((known_as, key));
                }
            }
        }
        let columns_of = |rel: &QualifiedName| -> Option<Vec<(String, Option<SqlType>)>> {
            if let Some(t) = schema.tables.get(rel) {
                return Some(
                    t.columns
                        .iter()
                        .map(|c| (c.name.clone(), Some(c.data_type.clone())))
                        .collect(),
                );
            }
            schema.views.get(rel).map(|v| {
                v.columns
                    .iter()
                    .map(|c| (c.name.clone(), c.data_type.clone()))
                    .collect()
            })
        };
        let column_type = |qualifier: Option<&str>, column: &str| -> Option<SqlType> {
            let candidates: Vec<&QualifiedName> = relations
                .iter()
                .filter(|(known_as, _)| qualifier.is_none_or(|q| q == known_as))
                .map(|(_, k)| k)
                .collect();
            let mut found = candidates.iter().filter_map(|rel| {
                columns_of(rel)?
                    .into_iter()
                    .find(|(n, _)| n == column)
                    .map(|(_, t)| t)
            });
            let first = found.next()?;
            // A name two relations have is ambiguous: unknown.
            if found.next().is_some() {
                return None;
            }
            first
        };
        for item in &select.projection {
            match item {
                SelectItem::UnnamedExpr(e) => {
                    let (name, ty) = name_and_type(e, &column_type);
                    out.push(ViewColumn {
                        name,
                        data_type: if single_branch { ty } else { None },
                        comment: None,
                    });
                }
                SelectItem::ExprWithAlias { expr, alias } => {
                    let (_, ty) = name_and_type(expr, &column_type);
                    out.push(ViewColumn {
                        name: fold_ident(alias),
                        data_type: if single_branch { ty } else { None },
                        comment: None,
                    });
                }
                SelectItem::ExprWithAliases { .. } => complete = false,
                SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..) => {
                    let qualifier = match item {
                        SelectItem::QualifiedWildcard(
                            sqlparser::ast::SelectItemQualifiedWildcardKind::ObjectName(n),
                            _,
                        ) => super::names::object_name_parts(n).last().cloned(),
                        _ => None,
                    };
                    let mut any = false;
                    for (known_as, rel) in &relations {
                        if qualifier.as_ref().is_some_and(|q| q != known_as) {
                            continue;
                        }
                        match columns_of(rel) {
                            Some(cols) => {
                                any = true;
                                out.extend(cols.into_iter().map(|(name, ty)| ViewColumn {
                                    name,
                                    data_type: if single_branch { ty } else { None },
                                    comment: None,
                                }));
                            }
                            None => complete = false,
                        }
                    }
                    if !any {
                        complete = false;
                    }
                }
            }
        }
    } else {
        complete = false;
    }
    if !complete {
        // Some columns are unknown, so the known ones' positions are too.
        out.clear();
    }
    for (i, name) in column_list.iter().enumerate() {
        match out.get_mut(i) {
            Some(c) => c.name.clone_from(name),
            None => out.push(ViewColumn {
                name: name.clone(),
                data_type: None,
                comment: None,
            }),
        }
    }
    out
}

/// The name PostgreSQL gives a select item without alias, and its type when
/// the item says it.
fn name_and_type(
    e: &Expr,
    column_type: &dyn Fn(Option<&str>, &str) -> Option<SqlType>,
) -> (String, Option<SqlType>) {
    match e {
        Expr::Identifier(i) => {
            let n = fold_ident(i);
            let ty = column_type(None, &n);
            (n, ty)
        }
        Expr::CompoundIdentifier(parts) if parts.len() >= 2 => {
            let n = fold_ident(&parts[parts.len() - 1]);
            let q = fold_ident(&parts[parts.len() - 2]);
            let ty = column_type(Some(&q), &n);
            (n, ty)
        }
        Expr::Cast {
            expr, data_type, ..
        } => {
            let (name, _) = name_and_type(expr, column_type);
            let name = if matches!(**expr, Expr::Identifier(_) | Expr::CompoundIdentifier(_)) {
                name
            } else {
                type_column_name(data_type)
            };
            let ty = super::types::TypeSpec::from_ast(data_type)
                .ok()
                .map(|t| t.ty);
            (name, ty)
        }
        Expr::Nested(inner) => name_and_type(inner, column_type),
        Expr::Function(f) => (
            f.name
                .0
                .last()
                .and_then(|p| p.as_ident())
                .map_or_else(|| "?column?".to_string(), fold_ident),
            None,
        ),
        _ => ("?column?".to_string(), None),
    }
}

/// The column name PostgreSQL gives a cast of a non-column (`1::integer` is
/// `int4`): its type's internal name, for the common types; `?column?`
/// otherwise.
fn type_column_name(data_type: &sqlparser::ast::DataType) -> String {
    let Ok(spec) = super::types::TypeSpec::from_ast(data_type) else {
        return "?column?".to_string();
    };
    match spec.ty {
        SqlType::SmallInt => "int2",
        SqlType::Integer => "int4",
        SqlType::BigInt => "int8",
        SqlType::Text => "text",
        SqlType::Boolean => "bool",
        SqlType::Date => "date",
        _ => "?column?",
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalized_text_ignores_case_space_comments_and_needless_quotes() {
        assert_eq!(
            normalize("SELECT  \"id\", Name -- x\n FROM Users;"),
            normalize("select id, name from users")
        );
        assert_ne!(normalize("SELECT \"Name\""), normalize("SELECT name"));
        assert_ne!(normalize("SELECT 'A'"), normalize("SELECT 'a'"));
    }

    #[test]
    fn column_list_and_recursive_change_the_compared_text() {
        let plain = ViewQuery::new("SELECT 1", &[], false);
        assert_ne!(plain, ViewQuery::new("SELECT 1", &["a".into()], false));
        assert_ne!(plain, ViewQuery::new("SELECT 1", &[], true));
        assert_eq!(plain, ViewQuery::new("select 1;", &[], false));
    }
}
