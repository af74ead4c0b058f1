//! Differences between two schemas as a list of [`Change`]s: what would turn
//! `from` into `to`. Drift reports and the down-undoes-up check are built on it.
//!
//! Column order is not compared (PostgreSQL cannot reorder columns in place);
//! constraints and indexes compare by name; a constraint or index whose
//! definition changed is a drop plus an add.

pub mod drift;

use std::fmt;

use crate::model::{Column, Constraint, EnumType, Index, QualifiedName, Schema, Sequence, Table};

/// One step from one schema to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// An enum type only `to` has.
    CreateEnum(EnumType),
    /// An enum type only `from` has.
    DropEnum(EnumType),
    /// An enum type whose labels differ.
    AlterEnum {
        /// Before.
        from: EnumType,
        /// After.
        to: EnumType,
    },
    /// A sequence only `to` has.
    CreateSequence(Sequence),
    /// A sequence only `from` has.
    DropSequence(Sequence),
    /// A sequence whose owner differs.
    AlterSequence {
        /// Before.
        from: Sequence,
        /// After.
        to: Sequence,
    },
    /// A table only `to` has.
    CreateTable(Table),
    /// A table only `from` has.
    DropTable(Table),
    /// A column only `to` has.
    AddColumn {
        /// Its table.
        table: QualifiedName,
        /// The column.
        column: Column,
    },
    /// A column only `from` has.
    DropColumn {
        /// Its table.
        table: QualifiedName,
        /// The column.
        column: Column,
    },
    /// A column present in both that differs.
    AlterColumn {
        /// Its table.
        table: QualifiedName,
        /// Before.
        from: Column,
        /// After.
        to: Column,
    },
    /// A constraint only `to` has (or whose definition changed).
    AddConstraint {
        /// Its table.
        table: QualifiedName,
        /// The constraint.
        constraint: Constraint,
    },
    /// A constraint only `from` has (or whose definition changed).
    DropConstraint {
        /// Its table.
        table: QualifiedName,
        /// The constraint.
        constraint: Constraint,
    },
    /// An index only `to` has (or whose definition changed).
    CreateIndex {
        /// Its table.
        table: QualifiedName,
        /// The index.
        index: Index,
    },
    /// An index only `from` has (or whose definition changed).
    DropIndex {
        /// Its table.
        table: QualifiedName,
        /// The index.
        index: Index,
    },
    /// A table comment that differs.
    SetTableComment {
        /// The table.
        table: QualifiedName,
        /// Before.
        from: Option<String>,
        /// After.
        to: Option<String>,
    },
}

/// What differs between two versions of a column, in words.
pub fn column_differences(from: &Column, to: &Column) -> Vec<String> {
    let mut out = Vec::new();
    if from.data_type != to.data_type {
        out.push(format!("type `{}` → `{}`", from.data_type, to.data_type));
    }
    if from.nullable != to.nullable {
        let word = |n: bool| if n { "NULL" } else { "NOT NULL" };
        out.push(format!("{} → {}", word(from.nullable), word(to.nullable)));
    }
    if from.default != to.default {
        let show = |d: &Option<crate::model::Expression>| {
            d.as_ref()
                .map_or_else(|| "no default".to_string(), |e| format!("DEFAULT {e}"))
        };
        out.push(format!("{} → {}", show(&from.default), show(&to.default)));
    }
    if from.identity != to.identity {
        out.push(format!("identity {:?} → {:?}", from.identity, to.identity));
    }
    if from.generated != to.generated {
        out.push("generated expression differs".to_string());
    }
    if from.comment != to.comment {
        out.push("comment differs".to_string());
    }
    out
}

impl fmt::Display for Change {
    /// One line describing the change, e.g. `add column `users.bio``.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::CreateEnum(e) => write!(f, "create enum type `{}`", e.name),
            Change::DropEnum(e) => write!(f, "drop enum type `{}`", e.name),
            Change::AlterEnum { from, to } => write!(
                f,
                "change labels of enum `{}` from ({}) to ({})",
                from.name,
                from.values.join(", "),
                to.values.join(", ")
            ),
            Change::CreateSequence(s) => write!(f, "create sequence `{}`", s.name),
            Change::DropSequence(s) => write!(f, "drop sequence `{}`", s.name),
            Change::AlterSequence { to, .. } => write!(f, "change owner of sequence `{}`", to.name),
            Change::CreateTable(t) => write!(f, "create table `{}`", t.name),
            Change::DropTable(t) => write!(f, "drop table `{}`", t.name),
            Change::AddColumn { table, column } => {
                write!(
                    f,
                    "add column `{table}.{}` {}",
                    column.name, column.data_type
                )
            }
            Change::DropColumn { table, column } => {
                write!(f, "drop column `{table}.{}`", column.name)
            }
            Change::AlterColumn { table, from, to } => write!(
                f,
                "alter column `{table}.{}`: {}",
                to.name,
                column_differences(from, to).join(", ")
            ),
            Change::AddConstraint { table, constraint } => write!(
                f,
                "add {} `{}` on `{table}`",
                constraint.kind.describe(),
                constraint.name
            ),
            Change::DropConstraint { table, constraint } => write!(
                f,
                "drop {} `{}` on `{table}`",
                constraint.kind.describe(),
                constraint.name
            ),
            Change::CreateIndex { table, index } => {
                write!(f, "create index `{}` on `{table}`", index.name)
            }
            Change::DropIndex { table, index } => {
                write!(f, "drop index `{}` on `{table}`", index.name)
            }
            Change::SetTableComment { table, .. } => write!(f, "change comment of table `{table}`"),
        }
    }
}

/// Every difference between `from` and `to`, deterministic: enums, sequences,
/// then tables, each in name order.
pub fn compare(from: &Schema, to: &Schema) -> Vec<Change> {
    let mut out = Vec::new();
    for (name, e) in from.enums.iter() {
        match to.enums.get(name) {
            None => out.push(Change::DropEnum(e.clone())),
            Some(t) if t != e => out.push(Change::AlterEnum {
                from: e.clone(),
                to: t.clone(),
            }),
            Some(_) => {}
        }
    }
    for (name, e) in to.enums.iter() {
        if !from.enums.contains_key(name) {
            out.push(Change::CreateEnum(e.clone()));
        }
    }
    for (name, s) in from.sequences.iter() {
        match to.sequences.get(name) {
            None => out.push(Change::DropSequence(s.clone())),
            Some(t) if t != s => out.push(Change::AlterSequence {
                from: s.clone(),
                to: t.clone(),
            }),
            Some(_) => {}
        }
    }
    for (name, s) in to.sequences.iter() {
        if !from.sequences.contains_key(name) {
            out.push(Change::CreateSequence(s.clone()));
        }
    }
    for (name, t) in from.tables.iter() {
        if from.tables.shares(&to.tables, name) {
            continue;
        }
        match to.tables.get(name) {
            None => out.push(Change::DropTable(t.clone())),
            Some(other) => compare_tables(t, other, &mut out),
        }
    }
    for (name, t) in to.tables.iter() {
        if !from.tables.contains_key(name) {
            out.push(Change::CreateTable(t.clone()));
        }
    }
    out
}

fn compare_tables(from: &Table, to: &Table, out: &mut Vec<Change>) {
    if from == to && from.columns == to.columns {
        return;
    }
    let table = &to.name;
    for c in &from.columns {
        match to.column(&c.name) {
            None => out.push(Change::DropColumn {
                table: table.clone(),
                column: c.clone(),
            }),
            Some(t) if t != c => out.push(Change::AlterColumn {
                table: table.clone(),
                from: c.clone(),
                to: t.clone(),
            }),
            Some(_) => {}
        }
    }
    for c in &to.columns {
        if from.column(&c.name).is_none() {
            out.push(Change::AddColumn {
                table: table.clone(),
                column: c.clone(),
            });
        }
    }
    for (name, c) in &from.constraints {
        if to.constraints.get(name) != Some(c) {
            out.push(Change::DropConstraint {
                table: table.clone(),
                constraint: c.clone(),
            });
        }
    }
    for (name, c) in &to.constraints {
        if from.constraints.get(name) != Some(c) {
            out.push(Change::AddConstraint {
                table: table.clone(),
                constraint: c.clone(),
            });
        }
    }
    for (name, i) in &from.indexes {
        if to.indexes.get(name) != Some(i) {
            out.push(Change::DropIndex {
                table: table.clone(),
                index: i.clone(),
            });
        }
    }
    for (name, i) in &to.indexes {
        if from.indexes.get(name) != Some(i) {
            out.push(Change::CreateIndex {
                table: table.clone(),
                index: i.clone(),
            });
        }
    }
    if from.comment != to.comment {
        out.push(Change::SetTableComment {
            table: table.clone(),
            from: from.comment.clone(),
            to: to.comment.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_schema_str;

    fn schema(sql: &str) -> Schema {
        match parse_schema_str("t.sql", sql) {
            Ok(s) => s,
            Err(d) => panic!("{}", crate::diagnostic::render_all(&d, false)),
        }
    }

    #[test]
    fn identical_schemas_have_no_changes_and_column_order_is_ignored() {
        let a = schema("create table t (a int primary key, b text);");
        let b = schema("create table t (b text, a integer primary key);");
        assert_eq!(compare(&a, &a), vec![]);
        assert_eq!(compare(&a, &b), vec![]);
    }

    #[test]
    fn each_kind_of_difference_is_listed() {
        let a = schema(
            "create table t (a int primary key, b text); create table gone (id int primary key);",
        );
        let b = schema(
            "create table t (a bigint primary key, c text unique); create index on t (c); create table new (id int primary key);",
        );
        let text: Vec<String> = compare(&a, &b).iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            vec![
                "drop table `gone`",
                "alter column `t.a`: type `integer` → `bigint`",
                "drop column `t.b`",
                "add column `t.c` text",
                "add unique constraint `t_c_key` on `t`",
                "create index `t_c_idx` on `t`",
                "create table `new`",
            ]
        );
    }
}
