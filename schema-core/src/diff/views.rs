//! The changes between two schemas' views and materialized views: created,
//! dropped, replaced in place (`CREATE OR REPLACE VIEW`, when PostgreSQL
//! allows it: see [`View::replaceable_by`]), dropped and created again
//! (a materialized view whose query changes, a plain view losing or renaming
//! columns), or altered (options, indexes, comments, `WITH [NO] DATA`).
//! Creations come in dependency order (a view after the views it reads),
//! drops in the reverse order.

use std::collections::{BTreeMap, BTreeSet};

use super::Change;
use crate::model::{QualifiedName, Schema, View};

/// The views of `schema` in an order where each comes after the views it
/// reads (a cycle, which PostgreSQL cannot hold, ends in name order).
pub fn view_order(schema: &Schema) -> Vec<QualifiedName> {
    let reads: BTreeMap<&QualifiedName, BTreeSet<QualifiedName>> = schema
        .views
        .iter()
        .map(|(name, v)| {
            let reads = v.reads(schema).relations;
            let views: BTreeSet<QualifiedName> = reads
                .into_iter()
                .filter(|r| schema.views.contains_key(r))
                .collect();
            (name, views)
        })
        .collect();
    let mut done: BTreeSet<QualifiedName> = BTreeSet::new();
    let mut out = Vec::new();
    // Each round places every view whose reads are placed: at most one round
    // per view.
    for _ in 0..=reads.len() {
        let ready: Vec<&QualifiedName> = reads
            .iter()
            .filter(|(name, _)| !done.contains(**name))
            .filter(|(_, r)| r.iter().all(|x| done.contains(x)))
            .map(|(name, _)| *name)
            .collect();
        if ready.is_empty() {
            break;
        }
        for name in ready {
            done.insert(name.clone());
            out.push(name.clone());
        }
    }
    for name in reads.keys() {
        if !done.contains(*name) {
            out.push((*name).clone());
        }
    }
    out
}

/// True when `from` and `to` have the same definition: the query, the
/// columns and the kind (what `CREATE OR REPLACE` or a new view would change).
fn same_definition(from: &View, to: &View) -> bool {
    from.materialized == to.materialized
        && from.query == to.query
        && from.columns.len() == to.columns.len()
        && from
            .columns
            .iter()
            .zip(&to.columns)
            .all(|(a, b)| a.name == b.name)
}

/// The view changes from `from` to `to`, in the order they apply among
/// themselves (the phases place them among the other changes).
/// [`view_changes`], with the views `renames` renames renamed first: each
/// renamed view is a [`Change::RenameView`], then compared under its new
/// name; one that must be dropped and created again is dropped under its old
/// name, and not renamed.
pub(crate) fn view_changes_with_renames(
    from: &Schema,
    to: &Schema,
    renames: &super::Renames,
) -> Vec<Change> {
    if renames.views.is_empty() {
        return view_changes(from, to);
    }
    let mut moved = from.clone();
    let mut out = Vec::new();
    // A view in the way of a rename (a new view takes the old name of a
    // renamed one; or the other way round, on the way down), and the views
    // reading it: dropped first; `to`'s views of those names are created.
    let mut gone: BTreeSet<QualifiedName> = renames
        .views
        .iter()
        .filter(|(_, new)| from.views.contains_key(new))
        .map(|(_, new)| new.clone())
        .collect();
    if !gone.is_empty() {
        for name in view_order(from) {
            let reads_gone = from
                .views
                .get(&name)
                .is_some_and(|v| v.reads(from).relations.iter().any(|r| gone.contains(r)));
            if reads_gone {
                gone.insert(name);
            }
        }
        for name in &gone {
            if let Some(v) = moved.views.remove(name) {
                out.push(Change::DropView(v));
            }
        }
    }
    for (old, new) in &renames.views {
        if gone.contains(old) {
            continue;
        }
        if let Some(mut v) = moved.views.remove(old) {
            out.push(Change::RenameView {
                from: v.clone(),
                to: new.clone(),
            });
            v.name = new.clone();
            moved.views.insert(new.clone(), v);
        }
    }
    let mut changes = view_changes(&moved, to);
    for c in &mut changes {
        if let Change::DropView(v) = c {
            let old = renames.relation_source(&v.name);
            if let (true, Some(before)) = (*old != v.name, from.views.get(old)) {
                out.retain(|r| !matches!(r, Change::RenameView { from, .. } if from.name == *old));
                *v = before.clone();
            }
        }
    }
    out.extend(changes);
    // `moved` lost the edges from the views that name a renamed one: the
    // views reading a view dropped go too (and come back), the drops go in
    // `from`'s order (under its names), the creations in `to`'s.
    let dropped: BTreeSet<QualifiedName> = out
        .iter()
        .filter_map(|c| match c {
            Change::DropView(v) => Some(v.name.clone()),
            _ => None,
        })
        .collect();
    let mut readers = dropped.clone();
    for name in view_order(from) {
        let reads_dropped = from
            .views
            .get(&name)
            .is_some_and(|v| v.reads(from).relations.iter().any(|r| readers.contains(r)));
        if reads_dropped {
            readers.insert(name);
        }
    }
    for name in readers.difference(&dropped) {
        let Some(v) = from.views.get(name) else {
            continue;
        };
        out.push(Change::DropView(v.clone()));
        let now = renames.relation_target(name);
        out.retain(|c| {
            !matches!(c, Change::RenameView { from: r, .. } if r.name == *name)
                && !matches!(c, Change::ReplaceView { to: r, .. }
                    | Change::AlterView { to: r, .. } if r.name == *now)
        });
        let created = out
            .iter()
            .any(|c| matches!(c, Change::CreateView(r) if r.name == *now));
        if let (Some(t), false) = (to.views.get(now), created) {
            out.push(Change::CreateView(t.clone()));
        }
    }
    super::dependents::sort_view_changes(&mut out, from, to);
    out
}

pub(crate) fn view_changes(from: &Schema, to: &Schema) -> Vec<Change> {
    let mut drops = Vec::new();
    let mut creates = Vec::new();
    let from_order = view_order(from);
    // Views dropped to be created again: those PostgreSQL cannot replace, and
    // (transitively) the views of both schemas that read a view dropped.
    let mut recreate: BTreeSet<QualifiedName> = from
        .views
        .iter()
        .filter(|(name, f)| {
            to.views
                .get(name)
                .is_some_and(|t| !same_definition(f, t) && !f.replaceable_by(t))
        })
        .map(|(name, _)| name.clone())
        .collect();
    let reads: BTreeMap<&QualifiedName, BTreeSet<QualifiedName>> = from
        .views
        .iter()
        .map(|(name, v)| (name, v.reads(from).relations))
        .collect();
    for name in &from_order {
        if !to.views.contains_key(name) || recreate.contains(name) {
            continue;
        }
        let gone = |r: &QualifiedName| {
            from.views.contains_key(r) && (!to.views.contains_key(r) || recreate.contains(r))
        };
        if reads.get(name).is_some_and(|rs| rs.iter().any(gone)) {
            recreate.insert(name.clone());
        }
    }
    let recreated = |name: &QualifiedName| recreate.contains(name);
    for name in from_order.iter().rev() {
        let Some(f) = from.views.get(name) else {
            continue;
        };
        if !to.views.contains_key(name) || recreated(name) {
            drops.push(Change::DropView(f.clone()));
        }
    }
    for name in view_order(to) {
        let Some(t) = to.views.get(&name) else {
            continue;
        };
        match from.views.get(&name) {
            None => creates.push(Change::CreateView(t.clone())),
            Some(_) if recreated(&name) => creates.push(Change::CreateView(t.clone())),
            Some(f) if f == t => {}
            Some(f) if same_definition(f, t) => creates.push(Change::AlterView {
                from: f.clone(),
                to: t.clone(),
            }),
            Some(f) => creates.push(Change::ReplaceView {
                from: f.clone(),
                to: t.clone(),
            }),
        }
    }
    drops.extend(creates);
    drops
}

/// What differs between two definitions of one view, in words.
pub(crate) fn view_differences(from: &View, to: &View) -> Vec<String> {
    let mut out = Vec::new();
    if from.query != to.query {
        out.push("query".to_string());
    }
    if from
        .columns
        .iter()
        .map(|c| &c.name)
        .ne(to.columns.iter().map(|c| &c.name))
    {
        out.push("columns".to_string());
    }
    if from.options != to.options {
        out.push(format!(
            "options ({}) instead of ({})",
            to.options.to_sql(),
            from.options.to_sql()
        ));
    }
    if from.populated != to.populated {
        out.push(
            if to.populated {
                "WITH DATA"
            } else {
                "WITH NO DATA"
            }
            .to_string(),
        );
    }
    if from.indexes != to.indexes {
        out.push("indexes".to_string());
    }
    if from.comment != to.comment
        || from
            .columns
            .iter()
            .map(|c| &c.comment)
            .ne(to.columns.iter().map(|c| &c.comment))
    {
        out.push("comments".to_string());
    }
    out
}
