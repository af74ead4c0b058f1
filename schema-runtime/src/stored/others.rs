//! What PostgreSQL stores for a declared schema's aggregates, operators,
//! casts, collations, text-search objects, event triggers, publications and
//! rules: in a transaction that is always rolled back, each declared object
//! is created from its own statements (the live one of the same key dropped
//! first, with what depends on it), and its catalog facts are read back as
//! introspection reads them (`introspect/pg_others.rs`). The declared object
//! then compares with the live one by those facts: the database is the judge.
//! An object PostgreSQL refuses here (it uses what the database lacks) keeps
//! no facts and compares by key.

use postgres::Client;
use schema_core::Schema;
use schema_core::model::QualifiedName;
use schema_core::model::others::OtherObject;

use crate::introspect::pg_others::{kind_query, object_of};

/// `declared` with the facts of each of these objects as PostgreSQL stores
/// them in `client`'s database. Never fails: whatever cannot be asked is
/// left as declared.
pub fn others_as_stored(client: &mut Client, declared: &Schema) -> Schema {
    let mut out = declared.clone();
    if declared.others.is_empty() {
        return out;
    }
    let Ok(mut tx) = client.transaction() else {
        return out;
    };
    if tx
        .batch_execute(&crate::introspect::postgres::session_settings())
        .is_err()
    {
        return out;
    }
    // Kinds in the order a migration creates them, so that one that uses
    // another finds it.
    let mut order: Vec<(&QualifiedName, &OtherObject)> = declared.others.iter().collect();
    order.sort_by_key(|(_, o)| o.identity.kind);
    let mut facts = Vec::new();
    for (key, object) in order {
        if tx.batch_execute("SAVEPOINT other_twin").is_err() {
            return out;
        }
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
        let read = tx
            .batch_execute(&script)
            .and_then(|()| tx.query(&kind_query(object.identity.kind), &[&schemas]));
        match read {
            Ok(rows) => {
                let found = rows
                    .iter()
                    .map(|r| object_of(object.identity.kind, r))
                    .find(|o| o.key() == *key);
                if let Some(f) = found.and_then(|o| o.facts) {
                    facts.push((key.clone(), f));
                }
                if tx.batch_execute("RELEASE SAVEPOINT other_twin").is_err() {
                    return out;
                }
            }
            Err(_) => {
                if tx
                    .batch_execute("ROLLBACK TO SAVEPOINT other_twin")
                    .is_err()
                {
                    return out;
                }
            }
        }
    }
    // Nothing was meant to last.
    let _ = tx.rollback();
    for (key, f) in facts {
        if let Some(o) = out.others.get_mut(&key) {
            o.facts = Some(f);
        }
    }
    out
}
