//! The PostgreSQL spelling of view changes: `CREATE [OR REPLACE] [RECURSIVE]
//! VIEW`, `CREATE MATERIALIZED VIEW` with its indexes, `DROP`, `ALTER ... SET
//! (...)`/`RESET (...)`, `REFRESH ... WITH [NO] DATA`, and the comments. The
//! query is the user's own text.

use super::{Renderer, Statement, Unsupported, literal, set_storage_parameters};
use crate::model::{QualifiedName, View};

/// `CREATE [OR REPLACE] ... VIEW name [(columns)] [WITH (...)] AS query [WITH NO DATA];`.
pub(crate) fn create_view_sql<R: Renderer + ?Sized>(r: &R, v: &View, or_replace: bool) -> String {
    let mut sql = String::from("CREATE ");
    if or_replace {
        sql.push_str("OR REPLACE ");
    }
    if v.recursive {
        sql.push_str("RECURSIVE ");
    }
    sql.push_str(v.keyword());
    sql.push(' ');
    sql.push_str(&r.object_name(&v.name));
    if !v.column_list.is_empty() {
        let cols: Vec<String> = v.column_list.iter().map(|c| r.ident(c)).collect();
        sql.push_str(&format!(" ({})", cols.join(", ")));
    }
    if !v.options.is_empty() {
        sql.push_str(&format!(" WITH ({})", v.options.to_sql()));
    }
    sql.push_str(" AS\n");
    sql.push_str(v.query.source());
    if v.materialized && !v.populated {
        sql.push_str("\nWITH NO DATA");
    }
    sql.push(';');
    sql
}

/// `COMMENT ON [MATERIALIZED] VIEW` and `COMMENT ON COLUMN` for what differs
/// from `from` (everything that is set, without `from`).
pub(super) fn view_comments<R: Renderer + ?Sized>(
    r: &R,
    from: Option<&View>,
    to: &View,
) -> Vec<Statement> {
    let mut out = Vec::new();
    let text = |c: Option<&String>| c.map_or_else(|| "NULL".to_string(), |c| literal(c));
    if from.map_or(to.comment.is_some(), |f| f.comment != to.comment) {
        out.push(Statement::new(format!(
            "COMMENT ON {} {} IS {};",
            to.keyword(),
            r.object_name(&to.name),
            text(to.comment.as_ref())
        )));
    }
    for c in &to.columns {
        let before = from
            .and_then(|f| f.column(&c.name))
            .and_then(|fc| fc.comment.as_ref());
        if before != c.comment.as_ref() {
            out.push(Statement::new(format!(
                "COMMENT ON COLUMN {}.{} IS {};",
                r.object_name(&to.name),
                r.ident(&c.name),
                text(c.comment.as_ref())
            )));
        }
    }
    out
}

/// The index comments of `to` that differ from `from`'s.
fn index_comments<R: Renderer + ?Sized>(r: &R, from: Option<&View>, to: &View) -> Vec<Statement> {
    let mut out = Vec::new();
    for i in to.indexes.values() {
        let before = from
            .and_then(|f| f.indexes.get(&i.name))
            .filter(|fi| fi.keys == i.keys && fi.unique == i.unique && fi.predicate == i.predicate)
            .and_then(|fi| fi.comment.as_ref());
        if before != i.comment.as_ref() {
            out.push(Statement::new(format!(
                "COMMENT ON INDEX {} IS {};",
                r.object_name(&QualifiedName::new(to.name.schema.clone(), i.name.clone())),
                i.comment
                    .as_ref()
                    .map_or_else(|| "NULL".to_string(), |c| literal(c))
            )));
        }
    }
    out
}

/// A whole view: created, its indexes, its comments.
pub(super) fn create_view<R: Renderer + ?Sized>(
    r: &R,
    v: &View,
) -> Result<Vec<Statement>, Unsupported> {
    let mut out = vec![Statement::new(create_view_sql(r, v, false))];
    for i in v.indexes.values() {
        out.push(Statement::new(r.create_index(&v.name, i)?));
    }
    out.extend(view_comments(r, None, v));
    out.extend(index_comments(r, None, v));
    Ok(out)
}

/// `DROP [MATERIALIZED] VIEW`.
pub(crate) fn drop_view<R: Renderer + ?Sized>(r: &R, v: &View) -> Vec<Statement> {
    vec![Statement::new(format!(
        "DROP {} {};",
        v.keyword(),
        r.object_name(&v.name)
    ))]
}

/// `CREATE OR REPLACE VIEW`, and the comments that differ.
pub(super) fn replace_view<R: Renderer + ?Sized>(r: &R, from: &View, to: &View) -> Vec<Statement> {
    let mut out = vec![Statement::new(create_view_sql(r, to, true))];
    out.extend(view_comments(r, Some(from), to));
    out
}

/// Options, indexes, `WITH [NO] DATA` and comments of a view whose
/// definition stays.
pub(super) fn alter_view<R: Renderer + ?Sized>(
    r: &R,
    from: &View,
    to: &View,
) -> Result<Vec<Statement>, Unsupported> {
    let mut out = set_storage_parameters(
        &format!("ALTER {} {}", to.keyword(), r.object_name(&to.name)),
        &from.options,
        &to.options,
    );
    let index_name =
        |n: &str| r.object_name(&QualifiedName::new(to.name.schema.clone(), n.to_string()));
    let same_index = |a: &crate::model::Index, b: &crate::model::Index| {
        let (mut a, mut b) = (a.clone(), b.clone());
        a.comment = None;
        b.comment = None;
        a == b
    };
    for (name, i) in &from.indexes {
        if to.indexes.get(name).is_none_or(|t| !same_index(t, i)) {
            out.push(Statement::new(format!("DROP INDEX {};", index_name(name))));
        }
    }
    if from.populated != to.populated {
        out.push(Statement::new(format!(
            "REFRESH MATERIALIZED VIEW {} WITH {}DATA;",
            r.object_name(&to.name),
            if to.populated { "" } else { "NO " }
        )));
    }
    for (name, i) in &to.indexes {
        if from.indexes.get(name).is_none_or(|f| !same_index(f, i)) {
            out.push(Statement::new(r.create_index(&to.name, i)?));
        }
    }
    out.extend(view_comments(r, Some(from), to));
    out.extend(index_comments(r, Some(from), to));
    Ok(out)
}

/// Why SQLite cannot hold view `v` as declared, if it cannot: a materialized
/// view, options, `RECURSIVE`, a schema other than `public`, or a query with
/// PostgreSQL-only syntax (`::` casts, `DISTINCT ON`, `ILIKE`, `SIMILAR TO`,
/// `LATERAL`, `interval '...'`, `now()`): a scan of the query's tokens, which
/// catches the common spellings, not every function SQLite lacks.
pub(crate) fn sqlite_view_check(v: &View) -> Result<(), String> {
    use sqlparser::tokenizer::{Token, Tokenizer};
    let name = &v.name;
    if v.materialized {
        return Err(format!(
            "SQLite has no materialized views: `{name}` is PostgreSQL-only; declare a plain view or a table"
        ));
    }
    if name.schema != crate::model::DEFAULT_SCHEMA {
        return Err(format!(
            "SQLite has no schemas: view `{name}` is outside `{}`",
            crate::model::DEFAULT_SCHEMA
        ));
    }
    if !v.options.is_empty() {
        return Err(format!(
            "SQLite has no view options: remove `WITH ({})` (or `CHECK OPTION`) from view `{name}`",
            v.options.to_sql()
        ));
    }
    if v.recursive {
        return Err(format!(
            "SQLite has no `CREATE RECURSIVE VIEW`: write view `{name}` with `WITH RECURSIVE` in its query"
        ));
    }
    let dialect = sqlparser::dialect::PostgreSqlDialect {};
    let Ok(tokens) = Tokenizer::new(&dialect, v.query.source()).tokenize() else {
        return Err(format!("the query of view `{name}` cannot be read"));
    };
    let words: Vec<&Token> = tokens
        .iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .collect();
    let word = |t: &Token, w: &str| matches!(t, Token::Word(x) if x.quote_style.is_none() && x.value.eq_ignore_ascii_case(w));
    for (i, t) in words.iter().enumerate() {
        let next = words.get(i + 1).copied();
        let pg_only = if matches!(t, Token::DoubleColon) {
            Some("`::` casts (write `CAST(x AS type)`)")
        } else if word(t, "distinct") && next.is_some_and(|n| word(n, "on")) {
            Some("`DISTINCT ON`")
        } else if word(t, "ilike") {
            Some("`ILIKE`")
        } else if word(t, "similar") {
            Some("`SIMILAR TO`")
        } else if word(t, "lateral") {
            Some("`LATERAL`")
        } else if word(t, "interval")
            && next.is_some_and(|n| matches!(n, Token::SingleQuotedString(_)))
        {
            Some("`interval '...'` constants")
        } else if word(t, "now") && next.is_some_and(|n| matches!(n, Token::LParen)) {
            Some("`now()` (SQLite spells it `datetime('now')`)")
        } else {
            None
        };
        if let Some(what) = pg_only {
            return Err(format!(
                "the query of view `{name}` uses {what}, which SQLite does not run; keep the view PostgreSQL-only or rewrite its query"
            ));
        }
    }
    Ok(())
}
