//! Dependents dropped before a change PostgreSQL refuses while they depend on
//! what it changes, and created again after it: a view over a column retyped
//! or dropped (or converted to a type recreated under its name), over a table
//! dropped and created again, or calling a function dropped and created again
//! (a new result type, ...); and the views reading such a view, layer after
//! layer. Triggers and policies over a changed function are dropped and
//! created again too (over changed columns, `triggers.rs` already does it),
//! and so are the column defaults, checks, exclusion constraints and indexes
//! of tables that stay (a default is taken off and set again).
//!
//! The edges are each object's `reads()` (see [`crate::model::depends`]).
//! Drops run early (phase 12 to 14), creations late (194 to 197), so the
//! change itself runs with nothing depending on it; views are created in
//! dependency order and dropped in the reverse one.

use std::collections::BTreeSet;

use super::{Change, Renames, view_order};
use crate::model::depends::mentioned_names;
use crate::model::{
    Constraint, ConstraintKind, DEFAULT_SCHEMA, Expression, Index, IndexPart, QualifiedName, Schema,
};

/// What the `changes` change in a way PostgreSQL refuses under a dependent,
/// under `from`'s names.
struct Disturbed {
    /// `(table, column)` retyped, dropped, renamed, or converted to a
    /// recreated type.
    columns: BTreeSet<(QualifiedName, String)>,
    /// Tables dropped and created again, or renamed.
    tables: BTreeSet<QualifiedName>,
    /// Functions dropped, or dropped and created again (by name: a view
    /// calls a name).
    functions: BTreeSet<QualifiedName>,
}

impl Disturbed {
    fn of(changes: &[Change], from: &Schema, renames: &Renames) -> Disturbed {
        let mut columns = BTreeSet::new();
        let mut tables = BTreeSet::new();
        let mut functions = BTreeSet::new();
        let created: BTreeSet<&QualifiedName> = changes
            .iter()
            .filter_map(|c| match c {
                Change::CreateTable(t) => Some(&t.name),
                _ => None,
            })
            .collect();
        let mut recreated_types = Vec::new();
        for c in changes {
            match c {
                Change::AlterColumn { table, from: f, to }
                    if f.data_type != to.data_type || f.collation != to.collation =>
                {
                    columns.insert((renames.table_source(table).clone(), f.name.clone()));
                }
                Change::DropColumn { table, column } => {
                    columns.insert((renames.table_source(table).clone(), column.name.clone()));
                }
                Change::DropTable(t) if created.contains(&t.name) => {
                    tables.insert(t.name.clone());
                }
                // PostgreSQL follows a rename in a view's stored query, but
                // the replay keeps each query as written and refuses a rename
                // under a view: the view goes first and comes back after.
                Change::RenameTable { from: old, .. } => {
                    tables.insert(old.clone());
                }
                Change::RenameView { from: v, .. } => {
                    tables.insert(v.name.clone());
                }
                Change::RenameColumn {
                    table, from: old, ..
                } => {
                    columns.insert((renames.table_source(table).clone(), old.clone()));
                }
                // A view replaced in place after a function it called
                // is dropped still calls it until then: it goes first.
                Change::RecreateFunction { from: f, .. }
                | Change::DropFunction { function: f, .. } => {
                    functions.insert(f.name.clone());
                }
                // An aggregate is called like a function.
                Change::RecreateOther { from: o, .. } | Change::DropOther(o) => {
                    functions.extend(aggregate_name(o));
                }
                Change::RecreateEnum { from: e, .. } => recreated_types.push(e.name.clone()),
                Change::ReplaceDomain { from: d, .. } => recreated_types.push(d.name.clone()),
                Change::ReplaceComposite { from: t, .. } => recreated_types.push(t.name.clone()),
                _ => {}
            }
        }
        if !recreated_types.is_empty() {
            for t in from.tables.values() {
                for c in &t.columns {
                    if recreated_types
                        .iter()
                        .any(|ty| crate::model::mentions::uses_type(&c.data_type, ty))
                    {
                        columns.insert((t.name.clone(), c.name.clone()));
                    }
                }
            }
        }
        Disturbed {
            columns,
            tables,
            functions,
        }
    }

    fn is_empty(&self) -> bool {
        self.columns.is_empty() && self.tables.is_empty() && self.functions.is_empty()
    }

    /// True when an object reading `reads` must go while the change runs.
    fn hits(&self, reads: &crate::model::depends::Reads) -> bool {
        reads.columns.iter().any(|c| self.columns.contains(c))
            || reads.relations.iter().any(|r| self.tables.contains(r))
            || reads.functions.iter().any(|f| self.functions.contains(f))
    }
}

/// `changes` with the dependents of what they disturb dropped first and
/// created again after (see the module documentation).
pub(super) fn with_dependents(
    mut changes: Vec<Change>,
    from: &Schema,
    to: &Schema,
    renames: &Renames,
) -> Vec<Change> {
    table_dependents(&mut changes, from, to, renames);
    if from.views.is_empty() && from.triggers.is_empty() && from.policies.is_empty() {
        return changes;
    }
    let disturbed = Disturbed::of(&changes, from, renames);
    if disturbed.is_empty() {
        return changes;
    }
    // Views: those reading what is disturbed, then those reading them.
    let dropped: BTreeSet<QualifiedName> = changes
        .iter()
        .filter_map(|c| match c {
            Change::DropView(v) => Some(v.name.clone()),
            _ => None,
        })
        .collect();
    let mut marked: BTreeSet<QualifiedName> = BTreeSet::new();
    let order = view_order(from);
    // A view reads only views placed before it: one pass in order reaches
    // every layer.
    for name in &order {
        let Some(v) = from.views.get(name) else {
            continue;
        };
        let reads = v.reads(from);
        let over_marked = reads
            .relations
            .iter()
            .any(|r| marked.contains(r) || (dropped.contains(r) && to.views.contains_key(r)));
        if disturbed.hits(&reads) || over_marked {
            marked.insert(name.clone());
        }
    }
    let newly: Vec<QualifiedName> = marked.difference(&dropped).cloned().collect();
    if !newly.is_empty() {
        // Replaced or altered in place no more: dropped and created again.
        changes.retain(|c| {
            !matches!(c, Change::ReplaceView { to: v, .. } | Change::AlterView { to: v, .. }
                if newly.contains(&v.name))
        });
        for name in order.iter().rev().filter(|n| newly.contains(n)) {
            changes.push(Change::DropView(from.views[name].clone()));
        }
        for name in &newly {
            // A renamed view dropped first is created under its new name.
            let now = renames.relation_target(name);
            if now != name {
                changes.retain(|c| {
                    !matches!(c, Change::RenameView { from: v, .. } if v.name == *name)
                        && !matches!(c, Change::ReplaceView { to: v, .. }
                            | Change::AlterView { to: v, .. } if v.name == *now)
                });
            }
            let created = changes
                .iter()
                .any(|c| matches!(c, Change::CreateView(v) if v.name == *now));
            if let (Some(v), false) = (to.views.get(now), created) {
                changes.push(Change::CreateView(v.clone()));
            }
        }
        sort_view_changes(&mut changes, from, to);
    }
    // Triggers and policies calling a function dropped and created again.
    if !disturbed.functions.is_empty() {
        let mut more = Vec::new();
        for t in from.all_triggers() {
            let hit = disturbed.functions.contains(&t.function) || disturbed.hits(&t.reads(from));
            let handled = changes.iter().any(
                |c| matches!(c, Change::DropTrigger(x) if x.table == t.table && x.name == t.name),
            );
            if !hit || handled {
                continue;
            }
            changes.retain(|c| {
                !matches!(c, Change::ReplaceTrigger { from: x, .. } | Change::AlterTrigger { from: x, .. }
                    if x.table == t.table && x.name == t.name)
            });
            more.push(Change::DropTrigger(t.clone()));
            let table_now = renamed_table(&t.table, renames);
            if let Some(now) = to.trigger(&table_now, &t.name) {
                let created = changes.iter().any(|c| {
                    matches!(c, Change::CreateTrigger(x) if x.table == now.table && x.name == now.name)
                });
                if !created {
                    more.push(Change::CreateTrigger(now.clone()));
                }
            }
        }
        for p in from.all_policies() {
            let handled = changes.iter().any(
                |c| matches!(c, Change::DropPolicy(x) if x.table == p.table && x.name == p.name),
            );
            if handled || !disturbed.hits(&p.reads(from)) {
                continue;
            }
            changes.retain(|c| {
                !matches!(c, Change::AlterPolicy { from: x, .. } if x.table == p.table && x.name == p.name)
            });
            more.push(Change::DropPolicy(p.clone()));
            let table_now = renamed_table(&p.table, renames);
            if let Some(now) = to.policy(&table_now, &p.name) {
                let created = changes.iter().any(|c| {
                    matches!(c, Change::CreatePolicy(x) if x.table == now.table && x.name == now.name)
                });
                if !created {
                    more.push(Change::CreatePolicy(now.clone()));
                }
            }
        }
        changes.extend(more);
    }
    changes
}

/// The functions `changes` drop and create again, or drop before the tables
/// change (by name: an expression calls a name). A function dropped late
/// (phase 135) goes after every column, constraint and index drop already.
fn gone_functions(changes: &[Change]) -> BTreeSet<QualifiedName> {
    changes
        .iter()
        .filter_map(|c| match c {
            Change::RecreateFunction { from, .. } => Some(from.name.clone()),
            Change::DropFunction {
                function,
                reads_relations: true,
            } => Some(function.name.clone()),
            Change::RecreateOther { from, .. } => aggregate_name(from),
            _ => None,
        })
        .collect()
}

/// The name an aggregate is called by (`None` for other carried objects).
fn aggregate_name(o: &crate::model::others::OtherObject) -> Option<QualifiedName> {
    (o.identity.kind == crate::model::others::OtherKind::Aggregate)
        .then(|| QualifiedName::new(o.identity.schema.clone(), o.identity.name.clone()))
}

/// True when `expr` calls one of `functions`.
pub(crate) fn calls_any(expr: &Expression, functions: &BTreeSet<QualifiedName>) -> bool {
    mentioned_names(expr.sql()).iter().any(|n| {
        n.is_call
            && match n.parts.as_slice() {
                [name] => functions.contains(&QualifiedName::new(DEFAULT_SCHEMA, name.clone())),
                [s, name] | [_, s, name] => {
                    functions.contains(&QualifiedName::new(s.clone(), name.clone()))
                }
                _ => false,
            }
    })
}

/// The expressions of a constraint (a check's condition, an exclusion's
/// element expressions and predicate).
fn constraint_expressions(c: &Constraint) -> Vec<&Expression> {
    match &c.kind {
        ConstraintKind::Check { expr } => vec![expr],
        ConstraintKind::Exclude(x) => x
            .elements
            .iter()
            .filter_map(|e| match &e.key.part {
                IndexPart::Expression(expr) => Some(expr),
                IndexPart::Column(_) => None,
            })
            .chain(x.predicate.as_ref())
            .collect(),
        _ => Vec::new(),
    }
}

/// The expressions of an index (its expression keys and predicate).
fn index_expressions(i: &Index) -> Vec<&Expression> {
    i.keys
        .iter()
        .filter_map(|k| match &k.part {
            IndexPart::Expression(expr) => Some(expr),
            IndexPart::Column(_) => None,
        })
        .chain(i.predicate.as_ref())
        .collect()
}

/// Column defaults, checks, exclusion constraints and indexes of tables that
/// stay, calling a function `changes` drop (or drop and create again):
/// PostgreSQL refuses to drop the function under them. A default is taken
/// off first and set again after ([`Change::DropColumnDefault`],
/// [`Change::SetColumnDefault`]); a constraint or index is dropped first and
/// added again after (phases 30 and 40, 160 and 170). A generated column
/// calling such a function is left to the renderer, which refuses the
/// function's recreation with the reason.
fn table_dependents(changes: &mut Vec<Change>, from: &Schema, to: &Schema, renames: &Renames) {
    let gone = gone_functions(changes);
    if gone.is_empty() {
        return;
    }
    let mut more = Vec::new();
    for t in from.tables.values() {
        let recreated = changes
            .iter()
            .any(|c| matches!(c, Change::DropTable(x) if x.name == t.name));
        let table_now = renamed_table(&t.name, renames);
        let Some(now) = to.tables.get(&table_now) else {
            continue;
        };
        if recreated || t.partition_of.is_some() {
            continue;
        }
        for c in &t.columns {
            if !c.default.as_ref().is_some_and(|d| calls_any(d, &gone)) {
                continue;
            }
            more.push(Change::DropColumnDefault {
                table: t.name.clone(),
                column: c.clone(),
            });
            let name_now = renames
                .columns
                .iter()
                .find(|(tt, old, _)| *tt == table_now && *old == c.name)
                .map_or(c.name.as_str(), |(_, _, new)| new.as_str());
            let Some(col_now) = now.column(name_now) else {
                continue;
            };
            // The column's own change no longer touches the default: it is
            // off while the change runs, and set after.
            changes.retain_mut(|ch| match ch {
                Change::AlterColumn {
                    table,
                    from: f,
                    to: t2,
                } if *table == table_now && t2.name == col_now.name => {
                    f.default.clone_from(&t2.default);
                    *f != *t2
                }
                _ => true,
            });
            if col_now.default.is_some() {
                more.push(Change::SetColumnDefault {
                    table: table_now.clone(),
                    column: col_now.clone(),
                });
            }
        }
        for con in t.constraints.values() {
            let hit = constraint_expressions(con)
                .into_iter()
                .any(|e| calls_any(e, &gone));
            let handled = changes.iter().any(|ch| {
                matches!(ch, Change::DropConstraint { table, constraint }
                    if *table == t.name && constraint.name == con.name)
            });
            if !hit || handled {
                continue;
            }
            more.push(Change::DropConstraint {
                table: t.name.clone(),
                constraint: con.clone(),
            });
            let renamed = changes.iter().find_map(|ch| match ch {
                Change::RenameConstraint { table, from, to }
                    if *table == table_now && *from == con.name =>
                {
                    Some(to.clone())
                }
                _ => None,
            });
            changes.retain(|ch| {
                !matches!(ch, Change::RenameConstraint { table, from, .. }
                    if *table == table_now && *from == con.name)
            });
            let name_now = renamed.unwrap_or_else(|| con.name.clone());
            if let Some(c_now) = now.constraints.get(&name_now) {
                let added = changes.iter().any(|ch| {
                    matches!(ch, Change::AddConstraint { table, constraint }
                        if *table == table_now && constraint.name == c_now.name)
                });
                if !added {
                    more.push(Change::AddConstraint {
                        table: table_now.clone(),
                        constraint: c_now.clone(),
                    });
                }
            }
        }
        for index in t.indexes.values() {
            let hit = index_expressions(index)
                .into_iter()
                .any(|e| calls_any(e, &gone));
            let handled = changes.iter().any(|ch| {
                matches!(ch, Change::DropIndex { table, index: i }
                    if *table == t.name && i.name == index.name)
            });
            if !hit || handled {
                continue;
            }
            more.push(Change::DropIndex {
                table: t.name.clone(),
                index: index.clone(),
            });
            let renamed = changes.iter().find_map(|ch| match ch {
                Change::RenameIndex { table, from, to }
                    if *table == table_now && *from == index.name =>
                {
                    Some(to.clone())
                }
                _ => None,
            });
            changes.retain(|ch| {
                !matches!(ch, Change::RenameIndex { table, from, .. }
                    if *table == table_now && *from == index.name)
            });
            let name_now = renamed.unwrap_or_else(|| index.name.clone());
            if let Some(i_now) = now.indexes.get(&name_now) {
                let created = changes.iter().any(|ch| {
                    matches!(ch, Change::CreateIndex { table, index: i }
                        if *table == table_now && i.name == i_now.name)
                });
                if !created {
                    more.push(Change::CreateIndex {
                        table: table_now.clone(),
                        index: i_now.clone(),
                    });
                }
            }
        }
    }
    changes.extend(more);
}

/// The name `to` gives table `name` of `from`.
fn renamed_table(name: &QualifiedName, renames: &Renames) -> QualifiedName {
    renames
        .tables
        .iter()
        .find(|(old, _)| old == name)
        .map_or_else(|| name.clone(), |(_, new)| new.clone())
}

/// The view drops in the reverse of `from`'s dependency order and the view
/// creations, replacements and alterations in `to`'s, each group where its
/// first member was (the phases place them among the other changes).
pub(super) fn sort_view_changes(changes: &mut [Change], from: &Schema, to: &Schema) {
    let from_rank: Vec<QualifiedName> = view_order(from);
    let to_rank: Vec<QualifiedName> = view_order(to);
    let rank = |order: &[QualifiedName], n: &QualifiedName| {
        order.iter().position(|x| x == n).unwrap_or(usize::MAX)
    };
    let drops: Vec<usize> = (0..changes.len())
        .filter(|&i| matches!(changes[i], Change::DropView(_)))
        .collect();
    let mut dropped: Vec<Change> = drops.iter().map(|&i| changes[i].clone()).collect();
    dropped.sort_by_key(|c| match c {
        Change::DropView(v) => std::cmp::Reverse(rank(&from_rank, &v.name)),
        _ => std::cmp::Reverse(0),
    });
    for (slot, c) in drops.into_iter().zip(dropped) {
        changes[slot] = c;
    }
    let creates: Vec<usize> = (0..changes.len())
        .filter(|&i| {
            matches!(
                changes[i],
                Change::CreateView(_) | Change::ReplaceView { .. } | Change::AlterView { .. }
            )
        })
        .collect();
    let mut created: Vec<Change> = creates.iter().map(|&i| changes[i].clone()).collect();
    created.sort_by_key(|c| match c {
        Change::CreateView(v)
        | Change::ReplaceView { to: v, .. }
        | Change::AlterView { to: v, .. } => rank(&to_rank, &v.name),
        _ => 0,
    });
    for (slot, c) in creates.into_iter().zip(created) {
        changes[slot] = c;
    }
}
