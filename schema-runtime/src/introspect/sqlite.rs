//! SQLite live introspection into the schema model: what a database's pragmas
//! and stored `CREATE` statements say, as the same [`Schema`] that parsing
//! `schema.sql` gives.
//!
//! Columns come from `pragma_table_xinfo` (defaults through
//! [`expression_from_sqlite`]; declared types through [`type_from_sqlite`],
//! read from the stored text, which keeps the quotes the pragma drops), foreign
//! keys from `pragma_foreign_key_list`, indexes from `pragma_index_list` and
//! `pragma_index_xinfo`. What no pragma reports is read from the `CREATE TABLE`
//! and `CREATE INDEX` text SQLite stores in `sqlite_schema` (and rewrites on
//! every rename): constraint names, `CHECK` expressions, primary key and unique
//! constraints, generated expressions, foreign key deferral, index expressions
//! and predicates, the rowid markers of `serial` and identity columns
//! ([`RowidMarker`]) and the enum types, each rebuilt from a column whose
//! marker comment (`TEXT /* schema: enum mood */`, or in older databases its
//! declared type) names the enum and whose `CHECK (col IN (...))` lists its
//! labels. A constraint declared without a name gets the one PostgreSQL would
//! choose.
//!
//! Comments do not exist in SQLite: every comment of the result is `None`
//! (compare with [`schema_core::render::sqlite::comparable`]). Tables named
//! `sqlite_*` and `_schema_*` are SQLite's and the migrator's own and are not read.

use std::collections::BTreeMap;

#[cfg(feature = "sqlite")]
use crate::session::{NOT_READY, ready};
use crate::session::{Param, Row, Session, SessionError};
use schema_core::Origin;
use schema_core::Schema;
use schema_core::model::expr::nextval;
use schema_core::model::names::{make_object_name, name_addition};
use schema_core::model::{
    Column, Constraint, ConstraintKind, Directives, EnumType, Expression, ForeignKey, Index,
    IndexKey, IndexPart, QualifiedName, ReferentialAction, Sequence, SequenceOptions, SequenceType,
    SqlType, Table,
};
use schema_core::render::sqlite::{
    RowidKind, RowidMarker, expression_from_sqlite, parse_enum_marker, type_from_sqlite,
};

pub use crate::introspect::IntrospectError;

type Result<T> = std::result::Result<T, IntrospectError>;

fn query_error(what: impl Into<String>) -> impl FnOnce(SessionError) -> IntrospectError {
    move |source| IntrospectError::Query {
        what: what.into(),
        source,
    }
}

fn catalog(owner: impl Into<String>, message: impl Into<String>) -> IntrospectError {
    IntrospectError::Catalog {
        owner: owner.into(),
        message: message.into(),
    }
}

fn origin() -> Origin {
    Origin::synthetic("sqlite")
}

fn expression(owner: impl FnOnce() -> String, text: &str) -> Result<Expression> {
    expression_from_sqlite(text).map_err(|message| IntrospectError::Expression {
        owner: owner(),
        text: text.to_string(),
        message,
    })
}

/// Runs `sql` with `params` and collects every row through `f`.
async fn rows<S: Session, T>(
    conn: &mut S,
    what: impl Into<String>,
    sql: &str,
    params: &[Param<'_>],
    f: impl FnMut(&Row) -> T,
) -> Result<Vec<T>> {
    let rows = conn.query(sql, params).await.map_err(query_error(what))?;
    Ok(rows.iter().map(f).collect())
}

/// The error of a blocking call that waited (see [`ready`]).
#[cfg(feature = "sqlite")]
pub(crate) fn not_ready<T>() -> std::result::Result<T, IntrospectError> {
    Err(IntrospectError::Catalog {
        owner: "the database".to_string(),
        message: NOT_READY.to_string(),
    })
}

/// Reads the tables of a SQLite database (with their columns, constraints and
/// indexes), the enum types their columns stand for and the sequences of
/// their `serial` columns, in canonical form.
///
/// Views are read back from the `CREATE VIEW` SQLite stores; triggers and
/// virtual tables are not read.
///
/// # Errors
/// [`IntrospectError::Query`] when a query fails; the other variants when a
/// declared type, an expression or a stored statement cannot be read.
#[cfg(feature = "sqlite")]
pub fn introspect(conn: &rusqlite::Connection) -> std::result::Result<Schema, IntrospectError> {
    ready(introspect_on(&mut Shared(conn))).unwrap_or_else(not_ready)
}

/// A rusqlite connection borrowed shared, as a session (its calls need no
/// more).
#[cfg(feature = "sqlite")]
pub(crate) struct Shared<'a>(pub(crate) &'a rusqlite::Connection);

/// [`introspect`] on any session.
pub(crate) async fn introspect_on<S: Session>(
    conn: &mut S,
) -> std::result::Result<Schema, IntrospectError> {
    let tables = rows(
        conn,
        "tables",
        "SELECT name, sql FROM sqlite_schema \
         WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
         AND name NOT LIKE '\\_schema\\_%' ESCAPE '\\' ORDER BY name",
        &[],
        |r| (r.get::<_, String>(0), r.get::<_, Option<String>>(1)),
    )
    .await?;
    let mut schema = Schema::new();
    let mut enum_owner: BTreeMap<QualifiedName, String> = BTreeMap::new();
    for (name, sql) in tables {
        let sql = sql.unwrap_or_default();
        if sql
            .trim_start()
            .get(..14)
            .is_some_and(|s| s.eq_ignore_ascii_case("create virtual"))
        {
            continue;
        }
        let stored = stored::read_table(&sql).map_err(|m| catalog(format!("table `{name}`"), m))?;
        let mut table = read_table(conn, &name, &stored, &mut schema, &mut enum_owner).await?;
        // SQLite reports a key's collation even when it is its column's.
        table.canonical_key_collations();
        schema.tables.insert(table.name.clone(), table);
    }
    resolve_referenced_columns(conn, &mut schema).await?;
    super::sqlite_views::read_views(conn, &mut schema).await?;
    for t in schema.tables.values() {
        for c in &t.columns {
            if let SqlType::Array(inner) = &c.data_type {
                if let SqlType::Named(e) = &**inner {
                    if !schema.enums.contains_key(e) {
                        return Err(catalog(
                            format!("column `{}.{}`", t.name, c.name),
                            format!("no column of type `{e}` lists the labels of its `{e}[]`"),
                        ));
                    }
                }
            }
        }
    }
    Ok(schema)
}

/// A foreign key whose `REFERENCES` named no columns references the primary key.
async fn resolve_referenced_columns<S: Session>(conn: &mut S, schema: &mut Schema) -> Result<()> {
    let names: Vec<QualifiedName> = schema.tables.keys().cloned().collect();
    for name in names {
        let Some(table) = schema.tables.get(&name) else {
            continue;
        };
        let mut fixes = Vec::new();
        for c in table.constraints.values() {
            if let ConstraintKind::ForeignKey(fk) = &c.kind {
                if fk.ref_columns.is_empty() {
                    let pk = primary_key_columns(conn, &fk.ref_table.name).await?;
                    fixes.push((c.name.clone(), pk));
                }
            }
        }
        if let Some(table) = schema.tables.get_mut(&name) {
            for (cname, pk) in fixes {
                if let Some(Constraint {
                    kind: ConstraintKind::ForeignKey(fk),
                    ..
                }) = table.constraints.get_mut(&cname)
                {
                    fk.ref_columns = pk;
                }
            }
        }
    }
    Ok(())
}

async fn primary_key_columns<S: Session>(conn: &mut S, table: &str) -> Result<Vec<String>> {
    let mut pk = rows(
        conn,
        format!("the primary key of `{table}`"),
        "SELECT pk, name FROM pragma_table_xinfo(?1) WHERE pk > 0",
        &[Param::Text(table)],
        |r| (r.get::<_, i64>(0), r.get::<_, String>(1)),
    )
    .await?;
    pk.sort();
    Ok(pk.into_iter().map(|(_, n)| n).collect())
}

/// One row of `pragma_table_xinfo`.
struct ColumnInfo {
    name: String,
    declared: String,
    not_null: bool,
    default: Option<String>,
    hidden: i64,
}

fn action(text: &str, owner: &str) -> Result<ReferentialAction> {
    Ok(match text.to_ascii_uppercase().as_str() {
        "NO ACTION" | "" => ReferentialAction::NoAction,
        "RESTRICT" => ReferentialAction::Restrict,
        "CASCADE" => ReferentialAction::Cascade,
        "SET NULL" => ReferentialAction::SetNull,
        "SET DEFAULT" => ReferentialAction::SetDefault,
        other => return Err(catalog(owner, format!("unknown action `{other}`"))),
    })
}

fn same_columns(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.eq_ignore_ascii_case(y))
}

async fn read_table<S: Session>(
    conn: &mut S,
    name: &str,
    stored: &stored::Table,
    schema: &mut Schema,
    enum_owner: &mut BTreeMap<QualifiedName, String>,
) -> Result<Table> {
    let qualified = QualifiedName::public(name);
    let mut table = Table::new(qualified.clone(), origin());
    let infos = rows(
        conn,
        format!("the columns of `{name}`"),
        "SELECT name, type, \"notnull\", dflt_value, hidden FROM pragma_table_xinfo(?1) ORDER BY cid",
        &[Param::Text(name)],
        |r| ColumnInfo {
            name: r.get(0),
            declared: r.get(1),
            not_null: r.get::<_, i64>(2) != 0,
            default: r.get(3),
            hidden: r.get(4),
        },
    )
    .await?;
    let mut enum_checks = Vec::new();
    for info in infos.into_iter().filter(|i| i.hidden != 1) {
        let owner = format!("{name}.{}", info.name);
        let column_text = stored.columns.iter().find(|c| c.name == info.name);
        let marker = match column_text.and_then(|c| c.marker.as_deref()) {
            Some(text) => match RowidMarker::parse_comment(text) {
                Some(m) => Some(m.map_err(|m| catalog(format!("column `{owner}`"), m))?),
                None => None,
            },
            None => None,
        };
        let mut column = Column {
            name: info.name.clone(),
            data_type: SqlType::Integer,
            nullable: !info.not_null,
            default: None,
            identity: None,
            identity_options: None,
            generated: None,
            comment: None,
            // SQLite's default, `BINARY`, is no collation in the model.
            collation: column_text
                .and_then(|c| c.collation.as_deref())
                .map(str::to_ascii_lowercase)
                .filter(|c| c != "binary"),
            storage: None,
            compression: None,
            origin: origin(),
            directives: Directives::default(),
        };
        match marker {
            Some(m) => {
                column.data_type = m.data_type;
                match m.kind {
                    RowidKind::Serial(seq) => {
                        column.default = Some(nextval(&seq));
                        schema.sequences.insert(
                            seq.clone(),
                            Sequence {
                                name: seq,
                                owned_by: Some((qualified.clone(), info.name.clone())),
                                // SQLite holds only sequences at their defaults.
                                options: SequenceOptions::defaults(
                                    SequenceType::of(&column.data_type)
                                        .unwrap_or(SequenceType::Integer),
                                ),
                                comment: None,
                                origin: origin(),
                            },
                        );
                    }
                    RowidKind::Identity(kind) => {
                        column.identity = Some(kind);
                        column.identity_options = Some(Box::new(SequenceOptions::defaults(
                            SequenceType::of(&column.data_type).unwrap_or(SequenceType::Integer),
                        )));
                    }
                }
            }
            None => {
                let declared = column_text
                    .and_then(|c| c.declared.clone())
                    .unwrap_or_else(|| info.declared.clone());
                let enum_type = column_text
                    .and_then(|c| c.marker.as_deref())
                    .and_then(parse_enum_marker);
                column.data_type = match enum_type {
                    Some(name) => SqlType::Named(name),
                    None => {
                        type_from_sqlite(&declared).map_err(|message| IntrospectError::Type {
                            column: owner.clone(),
                            text: declared.clone(),
                            message,
                        })?
                    }
                };
                if let Some(d) = &info.default {
                    column.default = Some(expression(|| format!("default of {owner}"), d)?);
                }
            }
        }
        if info.hidden == 2 || info.hidden == 3 {
            let text = column_text
                .and_then(|c| c.generated.as_deref())
                .ok_or_else(|| {
                    catalog(
                        format!("column `{owner}`"),
                        "generated column without expression",
                    )
                })?;
            column.generated = Some(Box::new(expression(
                || format!("generated expression of {owner}"),
                text,
            )?));
        }
        if let SqlType::Named(type_name) = &column.data_type {
            let check = stored.constraints.iter().position(|c| {
                c.column.as_deref() == Some(info.name.as_str())
                    && matches!(
                        &c.kind,
                        stored::Kind::Check {
                            labels: Some(_),
                            ..
                        }
                    )
            });
            let Some(check) = check else {
                return Err(catalog(
                    format!("column `{owner}`"),
                    format!(
                        "type `{type_name}` is not a SQLite type and no `CHECK ({} IN (...))` lists its labels",
                        info.name
                    ),
                ));
            };
            if let stored::Kind::Check {
                labels: Some(labels),
                ..
            } = &stored.constraints[check].kind
            {
                add_enum(schema, enum_owner, type_name, labels, &owner)?;
            }
            enum_checks.push(check);
        }
        table.columns.push(column);
    }
    // A rowid alias (`INTEGER` and the whole primary key) is never NULL, even
    // when it is not declared `NOT NULL`.
    let pk: Vec<&stored::Constraint> = stored
        .constraints
        .iter()
        .filter(|c| matches!(c.kind, stored::Kind::PrimaryKey(_)))
        .collect();
    if let [
        stored::Constraint {
            kind: stored::Kind::PrimaryKey(columns),
            ..
        },
    ] = pk.as_slice()
    {
        if let [only] = columns.as_slice() {
            let alias = stored.columns.iter().any(|c| {
                c.name == *only
                    && c.declared
                        .as_deref()
                        .is_some_and(|d| d.trim().eq_ignore_ascii_case("integer"))
            });
            if let Some(c) = table.columns.iter_mut().find(|c| c.name == *only && alias) {
                c.nullable = false;
            }
        }
    }
    let fks = foreign_keys(conn, name).await?;
    for (i, c) in stored.constraints.iter().enumerate() {
        if enum_checks.contains(&i) {
            continue;
        }
        let owner = format!("a constraint of `{name}`");
        let (kind, deferrable, initially_deferred) = match &c.kind {
            stored::Kind::PrimaryKey(columns) => (
                ConstraintKind::PrimaryKey {
                    columns: columns.clone(),
                    include: Vec::new(),
                },
                false,
                false,
            ),
            stored::Kind::Unique(columns) => (
                ConstraintKind::Unique {
                    columns: columns.clone(),
                    nulls_not_distinct: false,
                    include: Vec::new(),
                },
                false,
                false,
            ),
            stored::Kind::Check { text, .. } => (
                ConstraintKind::Check {
                    expr: expression(|| format!("check of `{name}`"), text)?,
                },
                false,
                false,
            ),
            stored::Kind::ForeignKey {
                columns,
                ref_table,
                deferrable,
                initially_deferred,
            } => {
                let fk = fks
                    .iter()
                    .find(|fk| {
                        same_columns(&fk.columns, columns)
                            && fk.ref_table.name.eq_ignore_ascii_case(ref_table)
                    })
                    .ok_or_else(|| {
                        catalog(
                            owner.clone(),
                            format!(
                                "no foreign key on ({}) in `pragma_foreign_key_list`",
                                columns.join(", ")
                            ),
                        )
                    })?;
                (
                    ConstraintKind::ForeignKey(fk.clone()),
                    *deferrable,
                    *initially_deferred,
                )
            }
        };
        let name = match &c.name {
            Some(n) => n.clone(),
            None => implicit_name(name, &kind, c.column.as_deref()),
        };
        table.constraints.insert(
            name.clone(),
            Constraint {
                name,
                kind,
                deferrable,
                initially_deferred,
                validated: true,
                comment: None,
                origin: origin(),
            },
        );
    }
    for index in indexes(conn, name).await? {
        table.indexes.insert(index.name.clone(), index);
    }
    Ok(table)
}

/// The name PostgreSQL gives a constraint declared without one.
fn implicit_name(table: &str, kind: &ConstraintKind, column: Option<&str>) -> String {
    match kind {
        ConstraintKind::PrimaryKey { .. } => make_object_name(table, None, Some("pkey")),
        ConstraintKind::Unique { columns, .. } => make_object_name(
            table,
            Some(&name_addition(columns.iter().map(String::as_str))),
            Some("key"),
        ),
        ConstraintKind::ForeignKey(fk) => make_object_name(
            table,
            Some(&name_addition(fk.columns.iter().map(String::as_str))),
            Some("fkey"),
        ),
        ConstraintKind::Check { .. } => make_object_name(table, column, Some("check")),
        // SQLite has none: never read back from it.
        ConstraintKind::Exclude(_) => make_object_name(table, column, Some("excl")),
    }
}

fn add_enum(
    schema: &mut Schema,
    enum_owner: &mut BTreeMap<QualifiedName, String>,
    name: &QualifiedName,
    labels: &[String],
    column: &str,
) -> Result<()> {
    match schema.enums.get(name) {
        Some(e) if e.values != labels => Err(catalog(
            format!("column `{column}`"),
            format!(
                "its `CHECK` lists the labels of enum type `{name}` as ({}), but column `{}` lists ({})",
                labels.join(", "),
                enum_owner.get(name).map_or("?", String::as_str),
                e.values.join(", ")
            ),
        )),
        Some(_) => Ok(()),
        None => {
            schema.enums.insert(
                name.clone(),
                EnumType {
                    name: name.clone(),
                    values: labels.to_vec(),
                    comment: None,
                    origin: origin(),
                    directives: Directives::default(),
                },
            );
            enum_owner.insert(name.clone(), column.to_string());
            Ok(())
        }
    }
}

/// The foreign keys `pragma_foreign_key_list` reports, in declaration order.
async fn foreign_keys<S: Session>(conn: &mut S, table: &str) -> Result<Vec<ForeignKey>> {
    let list = rows(
        conn,
        format!("the foreign keys of `{table}`"),
        "SELECT id, seq, \"table\", \"from\", \"to\", on_update, on_delete \
         FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
        &[Param::Text(table)],
        |r| {
            (
                r.get::<_, i64>(0),
                r.get::<_, String>(2),
                r.get::<_, String>(3),
                r.get::<_, Option<String>>(4),
                r.get::<_, String>(5),
                r.get::<_, String>(6),
            )
        },
    )
    .await?;
    let owner = format!("the foreign keys of `{table}`");
    let mut out: Vec<(i64, ForeignKey)> = Vec::new();
    for (id, ref_table, from, to, on_update, on_delete) in list {
        if out.last().is_none_or(|(last, _)| *last != id) {
            out.push((
                id,
                ForeignKey {
                    columns: Vec::new(),
                    ref_table: QualifiedName::public(ref_table),
                    ref_columns: Vec::new(),
                    on_delete: action(&on_delete, &owner)?,
                    on_update: action(&on_update, &owner)?,
                    match_full: false,
                },
            ));
        }
        if let Some((_, fk)) = out.last_mut() {
            fk.columns.push(from);
            if let Some(to) = to {
                fk.ref_columns.push(to);
            }
        }
    }
    // SQLite lists foreign keys last declared first.
    out.reverse();
    Ok(out.into_iter().map(|(_, fk)| fk).collect())
}

/// The indexes created by `CREATE INDEX` (not those backing constraints).
async fn indexes<S: Session>(conn: &mut S, table: &str) -> Result<Vec<Index>> {
    let list = rows(
        conn,
        format!("the indexes of `{table}`"),
        "SELECT l.name, l.\"unique\", l.partial, s.sql FROM pragma_index_list(?1) AS l \
         JOIN sqlite_schema AS s ON s.type = 'index' AND s.name = l.name \
         WHERE l.origin = 'c' ORDER BY l.name",
        &[Param::Text(table)],
        |r| {
            (
                r.get::<_, String>(0),
                r.get::<_, i64>(1) != 0,
                r.get::<_, i64>(2) != 0,
                r.get::<_, Option<String>>(3),
            )
        },
    )
    .await?;
    let mut out = Vec::new();
    for (name, unique, partial, sql) in list {
        let owner = format!("index `{name}`");
        let stored = stored::read_index(sql.as_deref().unwrap_or_default())
            .map_err(|m| catalog(owner.clone(), m))?;
        let keys = rows(
            conn,
            format!("the keys of index `{name}`"),
            "SELECT cid, name, \"desc\", coll FROM pragma_index_xinfo(?1) WHERE key = 1 ORDER BY seqno",
            &[Param::Text(&name)],
            |r| {
                (
                    r.get::<_, i64>(0),
                    r.get::<_, Option<String>>(1),
                    r.get::<_, i64>(2) != 0,
                    r.get::<_, Option<String>>(3),
                )
            },
        )
        .await?;
        if keys.len() != stored.keys.len() {
            return Err(catalog(
                owner,
                "its stored definition and `pragma_index_xinfo` disagree",
            ));
        }
        let mut index = Index {
            name: name.clone(),
            unique,
            method: "btree".to_string(),
            keys: Vec::new(),
            include: Vec::new(),
            nulls_not_distinct: false,
            predicate: None,
            comment: None,
            options: Default::default(),
            origin: origin(),
        };
        for ((cid, column, descending, coll), (text, nulls)) in keys.into_iter().zip(&stored.keys) {
            let part = match (cid, column) {
                (-2, _) => IndexPart::Expression(expression(
                    || format!("expression of index `{name}`"),
                    text,
                )?),
                (_, Some(column)) if cid >= 0 => IndexPart::Column(column),
                _ => return Err(catalog(owner, "it indexes the rowid")),
            };
            index.keys.push(IndexKey {
                part,
                descending,
                // SQLite's order is fixed; a marker keeps a non-default one.
                nulls_first: nulls.unwrap_or(descending),
                // The model keeps collation names folded; `BINARY` is the default.
                collation: coll
                    .map(|c| c.to_ascii_lowercase())
                    .filter(|c| c != "binary"),
                opclass: None,
            });
        }
        if partial {
            let text = stored
                .predicate
                .as_deref()
                .ok_or_else(|| catalog(owner.clone(), "partial index without `WHERE`"))?;
            index.predicate = Some(expression(|| format!("predicate of index `{name}`"), text)?);
        }
        out.push(index);
    }
    Ok(out)
}

/// Reading the `CREATE TABLE` and `CREATE INDEX` text SQLite stores: a small
/// tokenizer (SQLite's quoting rules) and the parts no pragma reports.
mod stored {
    use schema_core::render::sqlite::parse_nulls_marker;

    /// A token and where it is in the text.
    #[derive(Debug, Clone, PartialEq, Eq)]
    struct Token {
        kind: Tok,
        start: usize,
        end: usize,
    }

    #[derive(Debug, Clone, PartialEq, Eq)]
    enum Tok {
        /// A keyword, a bare identifier or a number.
        Word(String),
        /// A quoted identifier (`"x"`, `[x]`, `` `x` ``).
        Quoted(String),
        /// A string literal.
        Str(String),
        /// A comment, as written.
        Comment,
        /// Any other character.
        Punct(char),
    }

    fn tokenize(sql: &str) -> Result<Vec<Token>, String> {
        let bytes: Vec<(usize, char)> = sql.char_indices().collect();
        let at = |i: usize| bytes.get(i).map(|(_, c)| *c);
        let offset = |i: usize| bytes.get(i).map_or(sql.len(), |(o, _)| *o);
        let mut out = Vec::new();
        let mut i = 0;
        while let Some(c) = at(i) {
            let start = i;
            let kind = if c.is_whitespace() {
                i += 1;
                continue;
            } else if c == '-' && at(i + 1) == Some('-') {
                while at(i).is_some_and(|c| c != '\n') {
                    i += 1;
                }
                Tok::Comment
            } else if c == '/' && at(i + 1) == Some('*') {
                i += 2;
                while at(i).is_some() && !(at(i) == Some('*') && at(i + 1) == Some('/')) {
                    i += 1;
                }
                i = (i + 2).min(bytes.len());
                Tok::Comment
            } else if matches!(c, '\'' | '"' | '`' | '[') {
                let close = if c == '[' { ']' } else { c };
                let mut text = String::new();
                i += 1;
                loop {
                    match at(i) {
                        None => return Err("unterminated quote".to_string()),
                        Some(x) if x == close && close != ']' && at(i + 1) == Some(close) => {
                            text.push(x);
                            i += 2;
                        }
                        Some(x) if x == close => {
                            i += 1;
                            break;
                        }
                        Some(x) => {
                            text.push(x);
                            i += 1;
                        }
                    }
                }
                if c == '\'' {
                    Tok::Str(text)
                } else {
                    Tok::Quoted(text)
                }
            } else if c.is_alphanumeric()
                || c == '_'
                || c == '$'
                || c == '.' && at(i + 1).is_some_and(|d| d.is_ascii_digit())
            {
                let mut text = String::new();
                while let Some(x) = at(i) {
                    if x.is_alphanumeric()
                        || x == '_'
                        || x == '$'
                        || (x == '.' && text.chars().all(|d| d.is_ascii_digit()))
                    {
                        text.push(x);
                        i += 1;
                    } else {
                        break;
                    }
                }
                Tok::Word(text)
            } else {
                i += 1;
                Tok::Punct(c)
            };
            out.push(Token {
                kind,
                start: offset(start),
                end: offset(i),
            });
        }
        Ok(out)
    }

    fn is_kw(t: Option<&Token>, kw: &str) -> bool {
        matches!(t.map(|t| &t.kind), Some(Tok::Word(w)) if w.eq_ignore_ascii_case(kw))
    }

    fn is_punct(t: Option<&Token>, p: char) -> bool {
        matches!(t.map(|t| &t.kind), Some(Tok::Punct(c)) if *c == p)
    }

    fn name(t: Option<&Token>) -> Option<String> {
        match t.map(|t| &t.kind) {
            Some(Tok::Word(w) | Tok::Quoted(w) | Tok::Str(w)) => Some(w.clone()),
            _ => None,
        }
    }

    /// The index of the `)` that closes the `(` at `open`.
    fn closing(tokens: &[Token], open: usize) -> Result<usize, String> {
        if !is_punct(tokens.get(open), '(') {
            return Err("`(` expected".to_string());
        }
        let mut depth = 0usize;
        for (i, t) in tokens.iter().enumerate().skip(open) {
            match t.kind {
                Tok::Punct('(') => depth += 1,
                Tok::Punct(')') => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Ok(i);
                    }
                }
                _ => {}
            }
        }
        Err("unbalanced parentheses".to_string())
    }

    /// The comma-separated parts between the parentheses at `open` and `close`.
    fn parts(tokens: &[Token], open: usize, close: usize) -> Vec<&[Token]> {
        let mut out = Vec::new();
        let mut depth = 0usize;
        let mut start = open + 1;
        for i in open + 1..close {
            match tokens[i].kind {
                Tok::Punct('(') => depth += 1,
                Tok::Punct(')') => depth = depth.saturating_sub(1),
                Tok::Punct(',') if depth == 0 => {
                    out.push(&tokens[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        if start < close {
            out.push(&tokens[start..close]);
        }
        out
    }

    /// The text between the parentheses at `open` and `close`.
    fn inner_text(sql: &str, tokens: &[Token], open: usize, close: usize) -> String {
        sql[tokens[open].end..tokens[close].start]
            .trim()
            .to_string()
    }

    fn without_comments(tokens: &[Token]) -> Vec<Token> {
        tokens
            .iter()
            .filter(|t| t.kind != Tok::Comment)
            .cloned()
            .collect()
    }

    /// The first name of each part (a key column, possibly with `ASC`/`COLLATE`).
    fn column_names(tokens: &[Token], open: usize) -> Result<(Vec<String>, usize), String> {
        let close = closing(tokens, open)?;
        let names = parts(tokens, open, close)
            .into_iter()
            .map(|p| name(p.first()).ok_or_else(|| "a column name is missing".to_string()))
            .collect::<Result<_, _>>()?;
        Ok((names, close))
    }

    /// The words that end a column's declared type.
    const COLUMN_CONSTRAINT: &[&str] = &[
        "constraint",
        "primary",
        "not",
        "null",
        "unique",
        "check",
        "default",
        "collate",
        "references",
        "generated",
        "as",
    ];

    /// A stored `CREATE TABLE`'s columns and constraints.
    #[derive(Debug, Default)]
    pub(super) struct Table {
        /// Column definitions in order.
        pub(super) columns: Vec<Column>,
        /// Column and table constraints in order.
        pub(super) constraints: Vec<Constraint>,
    }

    /// What a column definition says that pragmas do not.
    #[derive(Debug)]
    pub(super) struct Column {
        /// Name.
        pub(super) name: String,
        /// The declared type as written (`pragma_table_xinfo` drops its quotes).
        pub(super) declared: Option<String>,
        /// The first `/* schema: ... */` comment.
        pub(super) marker: Option<String>,
        /// `GENERATED ALWAYS AS (expr)` / `AS (expr)`.
        pub(super) generated: Option<String>,
        /// `COLLATE name` (outside parentheses), as written.
        pub(super) collation: Option<String>,
    }

    /// A constraint as declared.
    #[derive(Debug)]
    pub(super) struct Constraint {
        /// `CONSTRAINT name`, if given.
        pub(super) name: Option<String>,
        /// The column it is declared on, for a column constraint.
        pub(super) column: Option<String>,
        /// What it is.
        pub(super) kind: Kind,
    }

    /// The constraint kinds.
    #[derive(Debug)]
    pub(super) enum Kind {
        PrimaryKey(Vec<String>),
        Unique(Vec<String>),
        Check {
            /// The expression's text.
            text: String,
            /// The labels, when the check is `col IN ('a', ...)` on its own column.
            labels: Option<Vec<String>>,
        },
        ForeignKey {
            columns: Vec<String>,
            ref_table: String,
            deferrable: bool,
            initially_deferred: bool,
        },
    }

    /// Reads a stored `CREATE TABLE`.
    pub(super) fn read_table(sql: &str) -> Result<Table, String> {
        let all = tokenize(sql)?;
        let open = all
            .iter()
            .position(|t| t.kind == Tok::Punct('('))
            .ok_or("no column list")?;
        let close = closing(&all, open)?;
        let mut out = Table::default();
        for part in parts(&all, open, close) {
            let marker = part
                .iter()
                .filter(|t| t.kind == Tok::Comment)
                .map(|t| sql[t.start..t.end].to_string())
                .find(|c| {
                    c.trim_start_matches("/*")
                        .trim_start()
                        .starts_with("schema:")
                });
            let tokens = without_comments(part);
            let first = tokens.first();
            let is_constraint = ["constraint", "primary", "unique", "check", "foreign"]
                .iter()
                .any(|kw| is_kw(first, kw));
            if is_constraint {
                constraints(sql, &tokens, None, &mut out.constraints)?;
            } else {
                let name = name(first).ok_or("a column has no name")?;
                let type_end = tokens
                    .iter()
                    .skip(1)
                    .position(|t| COLUMN_CONSTRAINT.iter().any(|kw| is_kw(Some(t), kw)))
                    .map_or(tokens.len(), |p| p + 1);
                let declared = match (tokens.get(1), tokens.get(type_end.wrapping_sub(1))) {
                    (Some(a), Some(b)) if type_end > 1 => Some(sql[a.start..b.end].to_string()),
                    _ => None,
                };
                let generated = constraints(sql, &tokens[1..], Some(&name), &mut out.constraints)?;
                let mut depth = 0usize;
                let mut collation = None;
                for (i, t) in tokens.iter().enumerate().skip(1) {
                    if is_punct(Some(t), '(') {
                        depth += 1;
                    } else if is_punct(Some(t), ')') {
                        depth = depth.saturating_sub(1);
                    } else if depth == 0 && is_kw(Some(t), "collate") {
                        collation = self::name(tokens.get(i + 1));
                    }
                }
                out.columns.push(Column {
                    name,
                    declared,
                    marker,
                    generated,
                    collation,
                });
            }
        }
        Ok(out)
    }

    /// Reads the constraints in `tokens` (a column's after its name when
    /// `column` is given, else one table constraint); returns a column's
    /// generated expression.
    fn constraints(
        sql: &str,
        tokens: &[Token],
        column: Option<&str>,
        out: &mut Vec<Constraint>,
    ) -> Result<Option<String>, String> {
        let mut generated = None;
        let mut pending: Option<String> = None;
        let mut i = 0;
        let own = || column.map(|c| vec![c.to_string()]);
        while i < tokens.len() {
            let t = Some(&tokens[i]);
            let mut push = |kind: Kind, pending: &mut Option<String>| {
                out.push(Constraint {
                    name: pending.take(),
                    column: column.map(str::to_string),
                    kind,
                });
            };
            if is_kw(t, "constraint") {
                pending = name(tokens.get(i + 1));
                i += 2;
            } else if is_kw(t, "primary") && is_kw(tokens.get(i + 1), "key") {
                i += 2;
                let columns = match own() {
                    Some(c) => c,
                    None => {
                        let (c, close) = column_names(tokens, i)?;
                        i = close + 1;
                        c
                    }
                };
                push(Kind::PrimaryKey(columns), &mut pending);
            } else if is_kw(t, "unique") {
                i += 1;
                let columns = match own() {
                    Some(c) => c,
                    None => {
                        let (c, close) = column_names(tokens, i)?;
                        i = close + 1;
                        c
                    }
                };
                push(Kind::Unique(columns), &mut pending);
            } else if is_kw(t, "check") && is_punct(tokens.get(i + 1), '(') {
                let close = closing(tokens, i + 1)?;
                let text = inner_text(sql, tokens, i + 1, close);
                let labels = column.and_then(|c| enum_labels(&tokens[i + 2..close], c));
                push(Kind::Check { text, labels }, &mut pending);
                i = close + 1;
            } else if is_kw(t, "foreign") && is_kw(tokens.get(i + 1), "key") {
                let (columns, close) = column_names(tokens, i + 2)?;
                i = close + 1;
                let (kind, next) = references(tokens, i, columns)?;
                push(kind, &mut pending);
                i = next;
            } else if is_kw(t, "references") {
                let columns = own().ok_or("`REFERENCES` outside a column")?;
                let (kind, next) = references(tokens, i, columns)?;
                push(kind, &mut pending);
                i = next;
            } else if is_kw(t, "as") && is_punct(tokens.get(i + 1), '(') {
                let close = closing(tokens, i + 1)?;
                generated = Some(inner_text(sql, tokens, i + 1, close));
                i = close + 1;
            } else if is_punct(t, '(') {
                i = closing(tokens, i)? + 1;
            } else {
                i += 1;
            }
        }
        Ok(generated)
    }

    /// `REFERENCES table [(columns)] [actions] [deferral]` from `at`.
    fn references(
        tokens: &[Token],
        at: usize,
        columns: Vec<String>,
    ) -> Result<(Kind, usize), String> {
        if !is_kw(tokens.get(at), "references") {
            return Err("`FOREIGN KEY` without `REFERENCES`".to_string());
        }
        let ref_table = name(tokens.get(at + 1)).ok_or("`REFERENCES` without a table")?;
        let mut i = at + 2;
        if is_punct(tokens.get(i), '(') {
            i = closing(tokens, i)? + 1;
        }
        let (mut deferrable, mut initially_deferred) = (false, false);
        loop {
            let t = tokens.get(i);
            if is_kw(t, "on") {
                // ON DELETE|UPDATE SET NULL|SET DEFAULT|NO ACTION|CASCADE|RESTRICT
                let two_words = is_kw(tokens.get(i + 2), "set") || is_kw(tokens.get(i + 2), "no");
                i += if two_words { 4 } else { 3 };
            } else if is_kw(t, "match") {
                i += 2;
            } else if is_kw(t, "not") && is_kw(tokens.get(i + 1), "deferrable") {
                deferrable = false;
                i += 2;
            } else if is_kw(t, "deferrable") {
                deferrable = true;
                i += 1;
            } else if is_kw(t, "initially") {
                initially_deferred = is_kw(tokens.get(i + 1), "deferred");
                i += 2;
            } else {
                break;
            }
        }
        Ok((
            Kind::ForeignKey {
                columns,
                ref_table,
                deferrable,
                initially_deferred: deferrable && initially_deferred,
            },
            i,
        ))
    }

    /// The labels of `"col" IN ('a', 'b')` on column `column`.
    fn enum_labels(tokens: &[Token], column: &str) -> Option<Vec<String>> {
        let first = name(tokens.first())?;
        if !first.eq_ignore_ascii_case(column)
            || !is_kw(tokens.get(1), "in")
            || !is_punct(tokens.get(2), '(')
            || !is_punct(tokens.last(), ')')
        {
            return None;
        }
        let mut labels = Vec::new();
        let inner = &tokens[3..tokens.len() - 1];
        for (k, t) in inner.iter().enumerate() {
            match (&t.kind, k % 2) {
                (Tok::Str(s), 0) => labels.push(s.clone()),
                (Tok::Punct(','), 1) => {}
                _ => return None,
            }
        }
        (inner.is_empty() || inner.len() % 2 == 1).then_some(labels)
    }

    /// A stored `CREATE INDEX`'s key texts and predicate.
    #[derive(Debug)]
    pub(super) struct Index {
        /// Each key without `ASC`/`DESC`/`COLLATE` (expressions keep their
        /// parentheses), with the `NULLS FIRST` its nulls marker says, if any.
        pub(super) keys: Vec<(String, Option<bool>)>,
        /// The `WHERE` condition.
        pub(super) predicate: Option<String>,
    }

    /// Reads a stored `CREATE INDEX`.
    pub(super) fn read_index(sql: &str) -> Result<Index, String> {
        let with_comments = tokenize(sql)?;
        let all = without_comments(&with_comments);
        let on = all
            .iter()
            .position(|t| matches!(&t.kind, Tok::Word(w) if w.eq_ignore_ascii_case("on")))
            .ok_or("no `ON`")?;
        let open = (on..all.len())
            .find(|&i| is_punct(all.get(i), '('))
            .ok_or("no key list")?;
        let close = closing(&all, open)?;
        let mut keys = Vec::new();
        for part in parts(&all, open, close) {
            let mut end = part.len();
            while end > 0 && (is_kw(part.get(end - 1), "asc") || is_kw(part.get(end - 1), "desc")) {
                end -= 1;
            }
            if end >= 2 && is_kw(part.get(end - 2), "collate") {
                end -= 2;
            }
            let (Some(first), Some(last)) =
                (part.first(), end.checked_sub(1).and_then(|e| part.get(e)))
            else {
                return Err("an empty index key".to_string());
            };
            // The key's comments run up to the `,` or `)` after it.
            let part_end = part.last().map_or(last.end, |t| t.end);
            let boundary = all
                .iter()
                .find(|t| t.start >= part_end)
                .map_or(sql.len(), |t| t.start);
            let nulls = with_comments
                .iter()
                .filter(|t| t.kind == Tok::Comment && t.start > first.start && t.start < boundary)
                .find_map(|t| parse_nulls_marker(&sql[t.start..t.end]));
            keys.push((sql[first.start..last.end].trim().to_string(), nulls));
        }
        let predicate = is_kw(all.get(close + 1), "where").then(|| {
            let start = all.get(close + 2).map_or(sql.len(), |t| t.start);
            sql[start..].trim().trim_end_matches(';').trim().to_string()
        });
        Ok(Index { keys, predicate })
    }
}
