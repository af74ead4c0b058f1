//! The changes of triggers and row-level security policies between two
//! schemas: created, dropped, replaced (`CREATE OR REPLACE TRIGGER`, or drop
//! and create where PostgreSQL cannot replace), altered (a trigger's enabled
//! state and comment; a policy's roles, `USING`, `WITH CHECK` and comment).

use super::{Change, Renames};
use crate::model::{Policy, QualifiedName, Schema, Trigger};

/// `t` as `to` names things: its table under the name a rename gives it,
/// and the columns renamed on the way.
fn renamed_trigger(t: &Trigger, table: &QualifiedName, renames: &Renames) -> Trigger {
    let mut t = t.clone();
    t.table = table.clone();
    for (tbl, old, new) in &renames.columns {
        if tbl == table {
            t.rename_column(old, new);
        }
    }
    if let Some(c) = &mut t.constraint {
        if let Some(f) = &mut c.from {
            if let Some((_, new)) = renames.tables.iter().find(|(old, _)| old == f) {
                *f = new.clone();
            }
        }
    }
    t
}

/// `p` as `to` names things (see [`renamed_trigger`]).
fn renamed_policy(p: &Policy, table: &QualifiedName, renames: &Renames) -> Policy {
    let mut p = p.clone();
    p.table = table.clone();
    for (tbl, old, new) in &renames.columns {
        if tbl == table {
            p.rename_column(old, new);
        }
    }
    p
}

/// The tables of `to` that `changes` drop and create again (their triggers
/// and policies went with the old one).
fn recreated_tables(changes: &[Change]) -> Vec<&QualifiedName> {
    changes
        .iter()
        .filter_map(|c| match c {
            Change::DropTable(t) => Some(&t.name),
            _ => None,
        })
        .filter(|n| {
            changes
                .iter()
                .any(|c| matches!(c, Change::CreateTable(t) if t.name == **n))
        })
        .collect()
}

/// Trigger and policy changes from `from` to `to`, given the table
/// `changes` already found (a dropped table takes its triggers and policies
/// with it; a recreated one needs them again).
pub(super) fn changes(
    from: &Schema,
    to: &Schema,
    renames: &Renames,
    changes: &[Change],
) -> Vec<Change> {
    let recreated = recreated_tables(changes);
    // Columns PostgreSQL will not drop or retype while a trigger or policy
    // uses them: such a trigger or policy is dropped first and created after.
    let held = super::dropped_or_retyped_columns(changes);
    // Columns converted to a type recreated under the same name (an enum
    // losing labels, a replaced domain or composite type), named as in `to`.
    let recreated_types: Vec<&QualifiedName> = changes
        .iter()
        .filter_map(|c| match c {
            Change::RecreateEnum { from, .. } => Some(&from.name),
            Change::ReplaceDomain { from, .. } => Some(&from.name),
            Change::ReplaceComposite { from, .. } => Some(&from.name),
            _ => None,
        })
        .collect();
    let mut converted: Vec<(QualifiedName, String)> = Vec::new();
    for t in to.tables.values().filter(|_| !recreated_types.is_empty()) {
        for c in &t.columns {
            if recreated_types
                .iter()
                .any(|ty| crate::model::mentions::uses_type(&c.data_type, ty))
            {
                converted.push((t.name.clone(), c.name.clone()));
            }
        }
    }
    let holds = |table: &QualifiedName, uses: &dyn Fn(&str) -> bool| {
        held.iter().any(|(t, c)| *t == table && uses(c))
            || converted.iter().any(|(t, c)| t == table && uses(c))
    };
    let mut out = Vec::new();
    // Triggers and policies of `to`, matched to `from`'s under the table's old name.
    for (table, triggers) in to.triggers.iter() {
        let old = renames
            .table_origin(table)
            .and_then(|source| from.triggers.get(source))
            .filter(|_| !recreated.contains(&table));
        for t in triggers.0.values() {
            match old.and_then(|o| o.0.get(&t.name)) {
                None => out.push(Change::CreateTrigger(t.clone())),
                Some(original) => {
                    // Drops run before renames: under `from`'s names.
                    let f = renamed_trigger(original, table, renames);
                    if holds(table, &|c| f.mentions_column(c)) {
                        out.push(Change::DropTrigger(original.clone()));
                        out.push(Change::CreateTrigger(t.clone()));
                        continue;
                    }
                    if f == *t {
                        continue;
                    }
                    if f.definition_eq(t) {
                        out.push(Change::AlterTrigger {
                            from: f,
                            to: t.clone(),
                        });
                    } else if f.replaceable_by(t) {
                        out.push(Change::ReplaceTrigger {
                            from: f,
                            to: t.clone(),
                        });
                    } else {
                        out.push(Change::DropTrigger(original.clone()));
                        out.push(Change::CreateTrigger(t.clone()));
                    }
                }
            }
        }
    }
    for (table, policies) in to.policies.iter() {
        let old = renames
            .table_origin(table)
            .and_then(|source| from.policies.get(source))
            .filter(|_| !recreated.contains(&table));
        for p in policies.0.values() {
            match old.and_then(|o| o.0.get(&p.name)) {
                None => out.push(Change::CreatePolicy(p.clone())),
                Some(original) => {
                    let f = renamed_policy(original, table, renames);
                    if holds(table, &|c| f.mentions_column(c)) {
                        out.push(Change::DropPolicy(original.clone()));
                        out.push(Change::CreatePolicy(p.clone()));
                        continue;
                    }
                    if f == *p {
                        continue;
                    }
                    if f.alterable_to(p) {
                        out.push(Change::AlterPolicy {
                            from: f,
                            to: p.clone(),
                        });
                    } else {
                        out.push(Change::DropPolicy(original.clone()));
                        out.push(Change::CreatePolicy(p.clone()));
                    }
                }
            }
        }
    }
    // Those only `from` has, unless their table goes (and takes them).
    let table_now = |name: &QualifiedName| -> Option<QualifiedName> {
        let renamed = renames
            .tables
            .iter()
            .find(|(old, _)| old == name)
            .map_or_else(|| name.clone(), |(_, new)| new.clone());
        let dropped = changes
            .iter()
            .any(|c| matches!(c, Change::DropTable(t) if t.name == *name));
        (!dropped && to.tables.contains_key(&renamed)).then_some(renamed)
    };
    for (table, triggers) in from.triggers.iter() {
        let Some(now) = table_now(table) else {
            continue;
        };
        for t in triggers.0.values() {
            if to.trigger(&now, &t.name).is_none() {
                out.push(Change::DropTrigger(t.clone()));
            }
        }
    }
    for (table, policies) in from.policies.iter() {
        let Some(now) = table_now(table) else {
            continue;
        };
        for p in policies.0.values() {
            if to.policy(&now, &p.name).is_none() {
                out.push(Change::DropPolicy(p.clone()));
            }
        }
    }
    out
}

/// What differs between two versions of a trigger, for the change's description.
pub(crate) fn trigger_differences(from: &Trigger, to: &Trigger) -> Vec<&'static str> {
    let mut out = Vec::new();
    if !from.definition_eq(to) {
        out.push("definition");
    }
    if from.state != to.state {
        out.push("enabled state");
    }
    if from.comment != to.comment {
        out.push("comment");
    }
    out
}

/// What differs between two versions of a policy, for the change's description.
pub(crate) fn policy_differences(from: &Policy, to: &Policy) -> Vec<&'static str> {
    let mut out = Vec::new();
    if from.permissive != to.permissive {
        out.push("permissive/restrictive");
    }
    if from.command != to.command {
        out.push("command");
    }
    if from.roles != to.roles {
        out.push("roles");
    }
    if from.using != to.using {
        out.push("USING");
    }
    if from.with_check != to.with_check {
        out.push("WITH CHECK");
    }
    if from.comment != to.comment {
        out.push("comment");
    }
    out
}
