//! What PostgreSQL stores for a declared schema's views: each is created as a
//! temporary view (in dependency order, so that a view reading another the
//! database lacks reads its temporary twin; `pg_temp` is searched last) in a
//! transaction that is rolled back, and its query is
//! read back with `pg_get_viewdef(oid, true)`, with its columns' names and
//! types. The declared view then compares by that text, keeping the user's
//! spelling for rendering ([`schema_core::model::ViewQuery::compared_as`]).
//! A view PostgreSQL refuses (it reads what the database lacks) is left as
//! declared, and the comparison reports the real difference.

use std::collections::BTreeMap;

use schema_core::Schema;
use schema_core::model::{QualifiedName, SqlType, ViewColumn, ViewQuery};
use schema_core::render::{Postgres, Renderer};

use crate::session::{Row, Session, ready};

/// What PostgreSQL stores for one temporary view: its query as
/// `pg_get_viewdef` prints it, and its columns' names and types.
type StoredView = (String, Vec<(String, Option<SqlType>)>);

/// `declared` with every view's query and columns as PostgreSQL stores them
/// in `client`'s database. Never fails: whatever cannot be asked is left as
/// declared.
pub fn views_as_stored(client: &mut postgres::Client, declared: &Schema) -> Schema {
    ready(views_as_stored_on(client, declared)).unwrap_or_else(|| declared.clone())
}

/// Creates every declared view's temporary twin in the transaction `tx`
/// holds; gives the twins' names (with their views') and the rows of what
/// PostgreSQL stored, `None` when the transaction broke.
async fn twins<S: Session>(
    tx: &mut S,
    declared: &Schema,
) -> Option<(BTreeMap<String, QualifiedName>, Vec<Row>)> {
    // `pg_temp` last: a twin reads the real relation of a name where there
    // is one (and its twin only where there is not), so that no twin
    // shadows a real view, which would make PostgreSQL qualify its name.
    tx.execute(&crate::introspect::postgres::session_settings())
        .await
        .ok()?;
    tx.execute("SET LOCAL search_path TO public, pg_temp")
        .await
        .ok()?;
    let pg = Postgres;
    let mut shadows: BTreeMap<String, QualifiedName> = BTreeMap::new();
    for name in schema_core::diff::view_order(declared) {
        let Some(v) = declared.views.get(&name) else {
            continue;
        };
        if shadows.contains_key(&name.name) {
            continue;
        }
        let mut sql = String::from("CREATE TEMPORARY ");
        if v.recursive {
            sql.push_str("RECURSIVE ");
        }
        sql.push_str(&format!("VIEW pg_temp.{}", pg.ident(&name.name)));
        if !v.column_list.is_empty() {
            let cols: Vec<String> = v.column_list.iter().map(|c| pg.ident(c)).collect();
            sql.push_str(&format!(" ({})", cols.join(", ")));
        }
        sql.push_str(" AS\n");
        sql.push_str(v.query.source());
        let created = match tx.execute("SAVEPOINT shadow_view").await {
            Ok(()) => tx.execute(&sql).await,
            Err(e) => Err(e),
        };
        match created {
            Ok(()) => {
                shadows.insert(name.name.clone(), name.clone());
            }
            Err(_) => {
                tx.execute("ROLLBACK TO SAVEPOINT shadow_view").await.ok()?;
            }
        }
    }
    let rows = tx
        .query(
            "SELECT c.relname::text, pg_get_viewdef(c.oid, true), a.attname::text,
                    format_type(a.atttypid, a.atttypmod)
             FROM pg_class c
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             WHERE c.relnamespace = pg_my_temp_schema() AND c.relkind = 'v'
             ORDER BY c.relname, a.attnum",
            &[],
        )
        .await
        .ok()?;
    Some((shadows, rows))
}

/// [`views_as_stored`] on any session.
pub(crate) async fn views_as_stored_on<S: Session>(client: &mut S, declared: &Schema) -> Schema {
    let mut out = declared.clone();
    if declared.views.is_empty() || client.execute("BEGIN").await.is_err() {
        return out;
    }
    let read = twins(client, declared).await;
    // Nothing was meant to last: the temporary views go with the transaction.
    let _ = client.execute("ROLLBACK").await;
    let Some((shadows, rows)) = read else {
        return out;
    };
    let mut stored: BTreeMap<String, StoredView> = BTreeMap::new();
    for row in rows {
        let entry = stored
            .entry(row.get(0))
            .or_insert_with(|| (row.get::<_, String>(1), Vec::new()));
        let ty: String = row.get(3);
        entry.1.push((row.get(2), SqlType::parse(&ty).ok()));
    }
    for (shadow, name) in shadows {
        let (Some((definition, columns)), Some(v)) =
            (stored.get(&shadow), out.views.get_mut(&name))
        else {
            continue;
        };
        let definition = definition.trim().trim_end_matches(';').trim_end();
        v.query = v.query.compared_as(&ViewQuery::new(definition, &[], false));
        let declared_columns = std::mem::take(&mut v.columns);
        v.columns = columns
            .iter()
            .map(|(n, ty)| {
                let mine = declared_columns.iter().find(|c| c.name == *n);
                ViewColumn {
                    name: n.clone(),
                    data_type: ty
                        .clone()
                        .or_else(|| mine.and_then(|c| c.data_type.clone())),
                    comment: mine.and_then(|c| c.comment.clone()),
                }
            })
            .collect();
    }
    out
}
