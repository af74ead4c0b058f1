//! What PostgreSQL stores for a declared schema's aggregates, operators,
//! casts, collations, text-search objects, event triggers, publications and
//! rules: in a transaction that is always rolled back, each declared object
//! is created from its own statements (the live one of the same key dropped
//! first, with what depends on it), and its catalog facts are read back as
//! introspection reads them (`introspect/pg_others.rs`). The declared object
//! then compares with the live one by those facts: the database is the judge.
//! An object PostgreSQL refuses here (it uses what the database lacks) keeps
//! no facts and compares by key.

use schema_core::Schema;
use schema_core::model::QualifiedName;
use schema_core::model::others::OtherObject;

use crate::introspect::pg_others::{kind_query, object_of};
use crate::session::{Param, Session, ready};

/// `declared` with the facts of each of these objects as PostgreSQL stores
/// them in `client`'s database. Never fails: whatever cannot be asked is
/// left as declared.
pub fn others_as_stored(client: &mut postgres::Client, declared: &Schema) -> Schema {
    ready(others_as_stored_on(client, declared)).unwrap_or_else(|| declared.clone())
}

/// [`others_as_stored`] on any session.
pub(crate) async fn others_as_stored_on<S: Session>(client: &mut S, declared: &Schema) -> Schema {
    let mut out = declared.clone();
    if declared.others.is_empty() || client.execute("BEGIN").await.is_err() {
        return out;
    }
    let facts = twin_facts(client, declared).await;
    // Nothing was meant to last.
    let _ = client.execute("ROLLBACK").await;
    for (key, f) in facts.unwrap_or_default() {
        if let Some(o) = out.others.get_mut(&key) {
            o.facts = Some(f);
        }
    }
    out
}

/// Creates each declared object's twin in the transaction `tx` holds and
/// reads its facts; `None` when the transaction broke.
async fn twin_facts<S: Session>(
    tx: &mut S,
    declared: &Schema,
) -> Option<Vec<(QualifiedName, String)>> {
    if tx
        .execute(&crate::introspect::postgres::session_settings())
        .await
        .is_err()
    {
        return None;
    }
    // Kinds in the order a migration creates them, so that one that uses
    // another finds it.
    let mut order: Vec<(&QualifiedName, &OtherObject)> = declared.others.iter().collect();
    order.sort_by_key(|(_, o)| o.identity.kind);
    let mut facts = Vec::new();
    for (key, object) in order {
        tx.execute("SAVEPOINT other_twin").await.ok()?;
        let mut script = format!(
            "DROP {} IF EXISTS {} CASCADE;\n",
            object.identity.kind.keyword(),
            object.identity.sql()
        );
        for s in &object.statements {
            script.push_str(s.text.trim_end());
            script.push_str(";\n");
        }
        let schemas = vec![object.identity.schema.clone()];
        let read = match tx.execute(&script).await {
            Ok(()) => {
                tx.query(&kind_query(object.identity.kind), &[Param::Texts(&schemas)])
                    .await
            }
            Err(e) => Err(e),
        };
        match read {
            Ok(rows) => {
                let found = rows
                    .iter()
                    .map(|r| object_of(object.identity.kind, r))
                    .find(|o| o.key() == *key);
                if let Some(f) = found.and_then(|o| o.facts) {
                    facts.push((key.clone(), f));
                }
                tx.execute("RELEASE SAVEPOINT other_twin").await.ok()?;
            }
            Err(_) => {
                tx.execute("ROLLBACK TO SAVEPOINT other_twin").await.ok()?;
            }
        }
    }
    Some(facts)
}
