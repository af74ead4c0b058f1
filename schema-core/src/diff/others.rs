//! The changes of aggregates, operators, casts, collations, text-search
//! objects, event triggers, publications and rules between two schemas:
//! created, dropped, or dropped and created again in one step (where the
//! new one is created) when their definitions differ (there is no way to change them in place that the model could
//! derive from two texts); a comment alone is set. Where each sorts is in
//! `phase()` ([`create_phase`], [`drop_phase`]).

use super::Change;
use crate::model::others::{OtherKind, OtherObject};
use crate::model::{QualifiedName, Schema};

/// The changes of these objects from `from` to `to`, given the other
/// `changes` (a rule goes with a table dropped, and comes back with it when
/// the table is created again).
pub(super) fn changes(from: &Schema, to: &Schema, changes: &[Change]) -> Vec<Change> {
    let dropped_tables: Vec<&QualifiedName> = changes
        .iter()
        .filter_map(|c| match c {
            Change::DropTable(t) => Some(&t.name),
            _ => None,
        })
        .collect();
    let on_dropped_table = |o: &OtherObject| {
        o.identity
            .table
            .as_ref()
            .is_some_and(|t| dropped_tables.contains(&t))
    };
    let mut out = Vec::new();
    for (key, old) in from.others.iter() {
        match to.others.get(key) {
            None => {
                if !on_dropped_table(old) {
                    out.push(Change::DropOther(old.clone()));
                }
            }
            Some(new) if on_dropped_table(old) => out.push(Change::CreateOther(new.clone())),
            Some(new) if !old.same_definition(new) => out.push(Change::RecreateOther {
                from: old.clone(),
                to: new.clone(),
            }),
            Some(new) if old.comment != new.comment => out.push(Change::SetOtherComment {
                object: new.clone(),
                from: old.comment.clone(),
                to: new.comment.clone(),
            }),
            Some(_) => {}
        }
    }
    for (key, new) in to.others.iter() {
        if !from.others.contains_key(key) {
            out.push(Change::CreateOther(new.clone()));
        }
    }
    out
}

/// Where creating an object of `kind` sorts: collations before the types
/// and tables that use them; text-search objects, operators, casts and
/// aggregates after the functions they call (85) and before the tables,
/// indexes and views that use them; rules and publications after the tables
/// and views they are on; event triggers after the functions they run.
pub(super) fn create_phase(kind: OtherKind) -> u16 {
    match kind {
        OtherKind::Collation => 15,
        OtherKind::TextSearchParser | OtherKind::TextSearchTemplate => 86,
        OtherKind::TextSearchDictionary | OtherKind::Operator | OtherKind::Cast => 87,
        OtherKind::TextSearchConfiguration | OtherKind::Aggregate => 88,
        OtherKind::Rule | OtherKind::Publication | OtherKind::EventTrigger => 195,
    }
}

/// Where dropping one sorts: the reverse of [`create_phase`] (rules,
/// publications and event triggers before the tables and functions they
/// use go; aggregates, casts and operators before their functions; the
/// text-search objects in reverse; collations after the columns that use them).
pub(super) fn drop_phase(kind: OtherKind) -> u16 {
    match kind {
        OtherKind::Rule | OtherKind::Publication | OtherKind::EventTrigger => 11,
        OtherKind::TextSearchConfiguration | OtherKind::Aggregate => 131,
        OtherKind::TextSearchDictionary | OtherKind::Operator | OtherKind::Cast => 132,
        OtherKind::TextSearchParser | OtherKind::TextSearchTemplate => 133,
        OtherKind::Collation => 145,
    }
}

/// The difference of two versions of an object, in words.
pub(super) fn differences(from: &OtherObject, to: &OtherObject) -> Vec<String> {
    let mut out = Vec::new();
    if !from.same_definition(to) {
        out.push(match (&from.facts, &to.facts) {
            (Some(a), Some(b)) => format!("the database holds `{a}`, the declaration gives `{b}`"),
            _ => "its definition differs".to_string(),
        });
    }
    if from.comment != to.comment {
        out.push("its comment differs".to_string());
    }
    out
}
