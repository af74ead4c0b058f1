//! Views and materialized views of a live PostgreSQL database: `pg_class`
//! relkind `v`/`m`, their query as `pg_get_viewdef(oid, true)` prints it,
//! their columns (`pg_attribute`, with `format_type` where the model reads
//! it), options (`reloptions`), `relispopulated`, a materialized view's
//! indexes, and comments.

use std::collections::BTreeMap;

use crate::session::{Param, Session};
use schema_core::model::{Directives, QualifiedName, SqlType, Table, View, ViewColumn, ViewQuery};

use super::postgres::{origin, query_error, read_indexes_where, storage_parameters};

type Result<T> = std::result::Result<T, super::IntrospectError>;

/// The relations of materialized views, for their indexes.
const MATVIEW_FILTER: &str = "JOIN pg_class c ON c.oid = {rel}
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind = 'm' AND n.nspname::text = ANY($1)";

/// The views and materialized views of `schemas` (those of extensions left out).
pub(crate) async fn read_views<S: Session>(
    tx: &mut S,
    schemas: &[String],
    version: i32,
) -> Result<Vec<View>> {
    let rows = tx
        .query(
            "SELECT c.oid, n.nspname::text, c.relname::text, c.relkind = 'm',
                    pg_get_viewdef(c.oid, true), COALESCE(c.reloptions, '{}')::text[],
                    c.relispopulated, obj_description(c.oid, 'pg_class')
             FROM pg_class c
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('v', 'm') AND n.nspname::text = ANY($1)
               AND NOT EXISTS (SELECT 1 FROM pg_depend d
                               WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                 AND d.deptype = 'e')
             ORDER BY 1",
            &[Param::Texts(schemas)],
        )
        .await
        .map_err(query_error("views"))?;
    let mut views: BTreeMap<u32, View> = BTreeMap::new();
    for row in rows {
        let name = QualifiedName::new(row.get::<_, String>(1), row.get::<_, String>(2));
        let definition: String = row.get(4);
        let definition = definition
            .trim()
            .trim_end_matches(';')
            .trim_end()
            .to_string();
        views.insert(
            row.get(0),
            View {
                name,
                materialized: row.get(3),
                recursive: false,
                column_list: Vec::new(),
                columns: Vec::new(),
                query: ViewQuery::new(&definition, &[], false),
                options: storage_parameters(row.get(5), ""),
                populated: row.get(6),
                indexes: schema_core::model::NameMap::new(),
                comment: row.get(7),
                origin: origin(),
                directives: Directives::default(),
            },
        );
    }
    if views.is_empty() {
        return Ok(Vec::new());
    }
    let oids: Vec<String> = views.keys().map(u32::to_string).collect();
    let columns = tx
        .query(
            "SELECT a.attrelid, a.attname::text, format_type(a.atttypid, a.atttypmod),
                    col_description(a.attrelid, a.attnum)
             FROM pg_attribute a
             WHERE a.attrelid = ANY($1::text[]::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attrelid, a.attnum",
            &[Param::Texts(&oids)],
        )
        .await
        .map_err(query_error("view columns"))?;
    for row in columns {
        if let Some(v) = views.get_mut(&row.get::<_, u32>(0)) {
            let ty: String = row.get(2);
            v.columns.push(ViewColumn {
                name: row.get(1),
                data_type: SqlType::parse(&ty).ok(),
                comment: row.get(3),
            });
        }
    }
    // A materialized view's indexes, read as a table's are.
    let mut holders: BTreeMap<u32, Table> = views
        .iter()
        .filter(|(_, v)| v.materialized)
        .map(|(oid, v)| (*oid, Table::new(v.name.clone(), origin())))
        .collect();
    if !holders.is_empty() {
        read_indexes_where(tx, schemas, version, &mut holders, MATVIEW_FILTER).await?;
        for (oid, t) in holders {
            if let Some(v) = views.get_mut(&oid) {
                v.indexes = t.indexes;
            }
        }
    }
    Ok(views.into_values().collect())
}
