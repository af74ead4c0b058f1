//! SQLite's table rebuilds: which tables a change list rebuilds, the rebuild
//! procedure, and the order dropped tables go in.

use std::collections::{BTreeMap, BTreeSet};

use super::expr::sqlite_default;
use super::markers::{rowid_alias, rowid_kind};
use super::{REBUILD_PREFIX, Reason, Sqlite, quoted};
use crate::diff::Change;
use crate::model::mentions::{expression_mentions, index_mentions, uses_type};
use crate::model::{
    Column, Constraint, ConstraintKind, Expression, QualifiedName, Schema, SqlType, Table,
};
use crate::render::{Renderer, Statement, Unsupported, data_loss, literal};

/// True when `expr` refers to `column`.
fn mentions(expr: &Expression, column: &str) -> bool {
    expression_mentions(expr, column)
}

/// True when constraint `c` uses `column`.
fn constraint_mentions(c: &Constraint, column: &str) -> bool {
    match &c.kind {
        ConstraintKind::Check { expr } => mentions(expr, column),
        kind => kind.columns().iter().any(|c| c == column),
    }
}

/// How the renderer runs a change list: which tables are created, dropped and
/// rebuilt.
pub(super) struct Plan<'a> {
    pub(super) changes: &'a [Change],
    pub(super) from: &'a Schema,
    pub(super) to: &'a Schema,
    /// Tables created by the change list (target names).
    pub(super) created: BTreeSet<QualifiedName>,
    /// Tables dropped by the change list.
    pub(super) dropped: BTreeSet<QualifiedName>,
    /// Tables to rebuild (target names), with the change that needs it.
    pub(super) rebuilt: BTreeMap<QualifiedName, usize>,
}

impl<'a> Plan<'a> {
    /// The name table `name` of `from` has after the change list's renames.
    pub(super) fn target(&self, name: &QualifiedName) -> QualifiedName {
        self.changes
            .iter()
            .find_map(|c| match c {
                Change::RenameTable { from, to } if from == name => Some(to.clone()),
                _ => None,
            })
            .unwrap_or_else(|| name.clone())
    }

    /// The name table `name` of `to` has in `from`.
    pub(super) fn source(&self, name: &QualifiedName) -> QualifiedName {
        self.changes
            .iter()
            .find_map(|c| match c {
                Change::RenameTable { from, to } if to == name => Some(from.clone()),
                _ => None,
            })
            .unwrap_or_else(|| name.clone())
    }

    /// Table `name` of `to` as it is in `from`, with the list's column renames applied.
    pub(super) fn source_table(&self, name: &QualifiedName) -> Option<Table> {
        let mut t = self.from.tables.get(&self.source(name))?.clone();
        for c in self.changes {
            if let Change::RenameColumn { table, from, to } = c {
                if table == name {
                    if let Some(col) = t.column_mut(from) {
                        col.name.clone_from(to);
                    }
                }
            }
        }
        Some(t)
    }

    /// True when SQLite can `DROP COLUMN` `column` of `table` (target name).
    fn native_drop(&self, table: &QualifiedName, column: &str) -> bool {
        let Some(t) = self.source_table(table) else {
            return false;
        };
        let source = self.source(table);
        let dropped_index = |name: &str| {
            self.changes.iter().any(|c| {
                matches!(c, Change::DropIndex { table: tt, index } if *tt == source && index.name == name)
            })
        };
        let auto = t
            .column(column)
            .is_some_and(|c| rowid_kind(&t, c, self.from).ok().flatten().is_some());
        !auto
            && !t
                .constraints
                .values()
                .any(|c| constraint_mentions(c, column))
            && !t
                .indexes
                .values()
                .any(|i| index_mentions(i, column) && !dropped_index(&i.name))
            && !t.columns.iter().any(|c| {
                c.name != column && c.generated.as_ref().is_some_and(|g| mentions(g, column))
            })
    }

    /// True when an `ALTER COLUMN` changes more than the comment.
    fn alters(from: &Column, to: &Column) -> bool {
        let mut a = from.clone();
        a.comment.clone_from(&to.comment);
        a != *to
    }

    /// The tables of `to` (not created here) whose columns use enum `name` and
    /// already existed with that type.
    fn enum_users(&self, name: &QualifiedName) -> Vec<QualifiedName> {
        let mut out = Vec::new();
        for t in self.to.tables.values() {
            if self.created.contains(&t.name) {
                continue;
            }
            let Some(source) = self.source_table(&t.name) else {
                continue;
            };
            let uses = t.columns.iter().any(|c| {
                matches!(&c.data_type, SqlType::Named(n) if n == name)
                    && source
                        .column(&c.name)
                        .is_some_and(|s| s.data_type == c.data_type)
            });
            if uses {
                out.push(t.name.clone());
            }
        }
        out
    }

    pub(super) fn new(changes: &'a [Change], from: &'a Schema, to: &'a Schema) -> Self {
        let mut plan = Plan {
            changes,
            from,
            to,
            created: BTreeSet::new(),
            dropped: BTreeSet::new(),
            rebuilt: BTreeMap::new(),
        };
        for c in changes {
            match c {
                Change::CreateTable(t) => {
                    plan.created.insert(t.name.clone());
                }
                Change::DropTable(t) => {
                    plan.dropped.insert(t.name.clone());
                }
                _ => {}
            }
        }
        let mut rebuilt = Vec::new();
        for (i, c) in changes.iter().enumerate() {
            match c {
                Change::AlterColumn { table, from, to } if Self::alters(from, to) => {
                    rebuilt.push((table.clone(), i));
                }
                Change::AddColumn { table, column }
                    if !plan.created.contains(table)
                        && native_add(changes, to, table, column).is_err() =>
                {
                    rebuilt.push((table.clone(), i));
                }
                Change::DropColumn { table, column } if !plan.native_drop(table, &column.name) => {
                    rebuilt.push((table.clone(), i));
                }
                Change::AddConstraint { table, constraint } if !plan.created.contains(table) => {
                    let folded = changes.iter().any(|ch| match ch {
                        Change::AddColumn { table: t, column } if t == table => {
                            native_add(changes, to, table, column)
                                .ok()
                                .flatten()
                                .is_some_and(|k| k.name == constraint.name)
                        }
                        _ => false,
                    });
                    if !folded {
                        rebuilt.push((table.clone(), i));
                    }
                }
                Change::DropConstraint { table, .. } if !plan.dropped.contains(table) => {
                    rebuilt.push((plan.target(table), i));
                }
                Change::RenameConstraint { table, .. } => rebuilt.push((table.clone(), i)),
                Change::AddEnumValue { name, .. } => {
                    for t in plan.enum_users(name) {
                        rebuilt.push((t, i));
                    }
                }
                Change::RecreateEnum { to: e, .. } => {
                    for t in plan.enum_users(&e.name) {
                        rebuilt.push((t, i));
                    }
                }
                // Their columns' marker comments (and arrays' declared
                // types) name the type.
                Change::RenameType { to: name, .. } => {
                    for t in plan.to.tables.values() {
                        let uses = t.columns.iter().any(|c| uses_type(&c.data_type, name));
                        if uses && !plan.created.contains(&t.name) {
                            rebuilt.push((t.name.clone(), i));
                        }
                    }
                }
                // The column's marker names its sequence.
                Change::RenameSequence { to: seq, .. } => {
                    let owner = plan
                        .to
                        .sequences
                        .get(seq)
                        .and_then(|s| s.owned_by.as_ref())
                        .map(|(t, _)| t.clone());
                    if let Some(t) = owner.filter(|t| !plan.created.contains(t)) {
                        rebuilt.push((t, i));
                    }
                }
                _ => {}
            }
        }
        for (t, i) in rebuilt {
            plan.rebuilt.entry(t).or_insert(i);
        }
        plan
    }
}

/// The foreign key folded into a native `ADD COLUMN`, if any; `Err` when the
/// column cannot be added natively.
pub(super) fn native_add<'a>(
    changes: &'a [Change],
    to: &Schema,
    table: &QualifiedName,
    c: &Column,
) -> Result<Option<&'a Constraint>, ()> {
    let Some(t) = to.tables.get(table) else {
        return Err(());
    };
    if c.generated.is_some() || rowid_kind(t, c, to).map_err(|_| ())?.is_some() {
        return Err(());
    }
    let default = match &c.default {
        None => None,
        Some(d) => {
            let (text, constant) = sqlite_default(d).map_err(|_| ())?;
            if !constant {
                return Err(());
            }
            Some(text)
        }
    };
    let null_default = default
        .as_deref()
        .is_none_or(|d| d.eq_ignore_ascii_case("NULL"));
    if !c.nullable && null_default {
        return Err(());
    }
    let mut folded = None;
    for ch in changes {
        let Change::AddConstraint {
            table: t,
            constraint,
        } = ch
        else {
            continue;
        };
        if t != table || !constraint_mentions(constraint, &c.name) {
            continue;
        }
        match &constraint.kind {
            ConstraintKind::ForeignKey(fk)
                if fk.columns == [c.name.clone()] && null_default && folded.is_none() =>
            {
                folded = Some(constraint);
            }
            _ => return Err(()),
        }
    }
    Ok(folded)
}

/// The target table a per-table change applies to (renames of tables and
/// columns, creates and drops excluded: they always run natively).
pub(super) fn changed_table(plan: &Plan<'_>, c: &Change) -> Option<QualifiedName> {
    match c {
        Change::AddColumn { table, .. }
        | Change::DropColumn { table, .. }
        | Change::AlterColumn { table, .. }
        | Change::AddConstraint { table, .. }
        | Change::RenameConstraint { table, .. }
        | Change::CreateIndex { table, .. }
        | Change::RenameIndex { table, .. } => Some(table.clone()),
        Change::DropConstraint { table, .. } | Change::DropIndex { table, .. } => {
            Some(plan.target(table))
        }
        _ => None,
    }
}

/// Dropped tables, children before their parents; true when foreign keys make
/// a cycle (then foreign keys must be off).
pub(super) fn drop_order(changes: &[Change]) -> (Vec<Table>, bool) {
    let mut left: Vec<Table> = changes
        .iter()
        .filter_map(|c| match c {
            Change::DropTable(t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    while !left.is_empty() {
        let referenced = |name: &QualifiedName, left: &[Table]| {
            left.iter().any(|t| {
                t.name != *name
                    && t.constraints.values().any(
                        |c| matches!(&c.kind, ConstraintKind::ForeignKey(fk) if fk.ref_table == *name),
                    )
            })
        };
        match left.iter().position(|t| !referenced(&t.name, &left)) {
            Some(i) => out.push(left.remove(i)),
            None => {
                out.append(&mut left);
                return (out, true);
            }
        }
    }
    (out, false)
}

impl Sqlite {
    pub(super) fn unsupported(&self, change: &Change, reason: Reason) -> Unsupported {
        Unsupported {
            dialect: self.name(),
            change: change.to_string(),
            reason,
        }
    }

    /// The rebuild of `table` (target name) into its shape in `to`.
    fn rebuild(&self, plan: &Plan<'_>, table: &QualifiedName) -> Result<Vec<Statement>, Reason> {
        let target = plan
            .to
            .tables
            .get(table)
            .ok_or_else(|| format!("table `{table}` is not in the target schema"))?;
        let source = plan
            .source_table(table)
            .ok_or_else(|| format!("table `{table}` is not in the source schema"))?;
        // A column renamed to the name of a column this migration drops runs
        // after that drop, so after the rebuild, which would copy the wrong
        // column under that name: refused rather than lose its data.
        if let Some(before) = plan.from.tables.get(&plan.source(table)) {
            for c in plan.changes {
                if let Change::RenameColumn { table: t, from, to } = c {
                    if t == table && before.column(to).is_some() {
                        return Err(format!(
                            "column `{table}.{from}` is renamed to `{to}`, the name of a column \
                             this migration drops, in a table SQLite must rebuild; split the \
                             migration: drop `{to}` in one, rename `{from}` in the next"
                        ));
                    }
                }
            }
        }
        let tmp = format!("{REBUILD_PREFIX}{}", table.name);
        let mut out = vec![Statement::new(
            self.create_table_sql(&tmp, target, plan.to)?,
        )];
        let copied: Vec<String> = target
            .columns
            .iter()
            .filter(|c| c.generated.is_none() && source.column(&c.name).is_some())
            .map(|c| quoted(&c.name))
            .collect();
        // Every row is kept: with no column in common, the rows are carried by
        // their rowid and the new columns take their defaults.
        let cols = if copied.is_empty() {
            "rowid".to_string()
        } else {
            copied.join(", ")
        };
        out.push(Statement::new(format!(
            "INSERT INTO {} ({cols}) SELECT {cols} FROM {};",
            quoted(&tmp),
            quoted(&table.name)
        )));
        let numbered_before = plan
            .from
            .tables
            .get(&plan.source(table))
            .is_some_and(|t| rowid_alias(t, plan.from).ok().flatten().is_some());
        if numbered_before && rowid_alias(target, plan.to)?.is_some() {
            // Keep AUTOINCREMENT's high-water mark: values are never reused.
            out.push(Statement::new(format!(
                "DELETE FROM sqlite_sequence WHERE name = {};",
                literal(&tmp)
            )));
            out.push(Statement::new(format!(
                "INSERT INTO sqlite_sequence (name, seq) SELECT {}, seq FROM sqlite_sequence WHERE name = {};",
                literal(&tmp),
                literal(&table.name)
            )));
        }
        out.push(Statement::new(format!(
            "DROP TABLE {};",
            quoted(&table.name)
        )));
        out.push(Statement::new(format!(
            "ALTER TABLE {} RENAME TO {};",
            quoted(&tmp),
            quoted(&table.name)
        )));
        for i in target.indexes.values() {
            out.push(Statement::new(self.index_sql(table, i)?));
        }
        Ok(out)
    }

    /// Every rebuild of the plan, each with the changes it covers in comments.
    pub(super) fn rebuilds(&self, plan: &Plan<'_>) -> Result<Vec<Statement>, Unsupported> {
        let mut out = Vec::new();
        for (table, &why) in &plan.rebuilt {
            let mut stmts = self
                .rebuild(plan, table)
                .map_err(|r| self.unsupported(&plan.changes[why], r))?;
            let mut comments = vec![format!(
                "rebuild `{table}`: SQLite cannot {} in place",
                plan.changes[why]
            )];
            for c in plan.changes {
                if changed_table(plan, c).as_ref() == Some(table) {
                    if let Some(loss) = data_loss(c) {
                        comments.push(format!("destructive: {loss}"));
                    }
                }
            }
            if let Some(first) = stmts.first_mut() {
                first.comments = comments;
            }
            out.append(&mut stmts);
        }
        Ok(out)
    }
}

/// True for the changes that run before rebuilds: drops and renames.
pub(super) fn runs_before_rebuilds(c: &Change) -> bool {
    matches!(
        c,
        Change::DropConstraint { .. }
            | Change::DropIndex { .. }
            | Change::DropTable(_)
            | Change::RenameTable { .. }
            | Change::RenameType { .. }
            | Change::RenameColumn { .. }
            | Change::RenameConstraint { .. }
            | Change::RenameIndex { .. }
    )
}
