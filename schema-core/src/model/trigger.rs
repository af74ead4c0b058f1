//! Triggers (`CREATE [CONSTRAINT] TRIGGER`) on tables, held per table in
//! [`Schema::triggers`](super::Schema::triggers): when they fire, on which
//! events, the function they call with its arguments, and their enabled state.

use std::collections::BTreeMap;

use super::depends::Reads;
use super::{Expression, Indexed, QualifiedName, Schema};
use crate::diagnostic::Origin;

/// When a trigger fires relative to its event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TriggerTiming {
    /// `BEFORE`.
    Before,
    /// `AFTER`.
    After,
    /// `INSTEAD OF` (views only).
    InsteadOf,
}

impl TriggerTiming {
    /// The SQL words.
    pub fn keyword(self) -> &'static str {
        match self {
            TriggerTiming::Before => "BEFORE",
            TriggerTiming::After => "AFTER",
            TriggerTiming::InsteadOf => "INSTEAD OF",
        }
    }
}

/// The events a trigger fires on, in the order PostgreSQL prints them
/// (`INSERT OR DELETE OR UPDATE OF ... OR TRUNCATE`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct TriggerEvents {
    /// `INSERT`.
    pub insert: bool,
    /// `DELETE`.
    pub delete: bool,
    /// `UPDATE`: `None` without it; `Some(columns)` with it, the `OF`
    /// columns in the order written (empty: any column).
    pub update: Option<Vec<String>>,
    /// `TRUNCATE`.
    pub truncate: bool,
}

/// A trigger's enabled state (`pg_trigger.tgenabled`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum TriggerState {
    /// Fires in the `origin` and `local` session replication roles (`O`): the default.
    #[default]
    Enabled,
    /// `DISABLE TRIGGER` (`D`).
    Disabled,
    /// `ENABLE REPLICA TRIGGER` (`R`).
    Replica,
    /// `ENABLE ALWAYS TRIGGER` (`A`).
    Always,
}

impl TriggerState {
    /// The `ALTER TABLE` words that set this state (before `TRIGGER name`).
    pub fn alter_words(self) -> &'static str {
        match self {
            TriggerState::Enabled => "ENABLE",
            TriggerState::Disabled => "DISABLE",
            TriggerState::Replica => "ENABLE REPLICA",
            TriggerState::Always => "ENABLE ALWAYS",
        }
    }

    /// The state from `pg_trigger.tgenabled`.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "O" => Some(TriggerState::Enabled),
            "D" => Some(TriggerState::Disabled),
            "R" => Some(TriggerState::Replica),
            "A" => Some(TriggerState::Always),
            _ => None,
        }
    }
}

/// What `CREATE CONSTRAINT TRIGGER` adds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ConstraintTrigger {
    /// `DEFERRABLE`.
    pub deferrable: bool,
    /// `INITIALLY DEFERRED`.
    pub initially_deferred: bool,
    /// `FROM table`: the table a referential constraint references.
    pub from: Option<QualifiedName>,
}

/// A trigger on a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    /// Its name (unique per table).
    pub name: String,
    /// The table it is on.
    pub table: QualifiedName,
    /// `BEFORE`, `AFTER` or `INSTEAD OF`.
    pub timing: TriggerTiming,
    /// The events it fires on.
    pub events: TriggerEvents,
    /// `FOR EACH ROW` (`false`: `FOR EACH STATEMENT`, the default).
    pub for_each_row: bool,
    /// `WHEN (condition)`.
    pub when: Option<Expression>,
    /// `REFERENCING OLD TABLE AS name`.
    pub old_table: Option<String>,
    /// `REFERENCING NEW TABLE AS name`.
    pub new_table: Option<String>,
    /// `CREATE CONSTRAINT TRIGGER`.
    pub constraint: Option<ConstraintTrigger>,
    /// The function it executes (`EXECUTE FUNCTION name(...)`).
    pub function: QualifiedName,
    /// The function's arguments: literal strings, as PostgreSQL stores them.
    pub arguments: Vec<String>,
    /// `ALTER TABLE ... ENABLE/DISABLE [REPLICA | ALWAYS] TRIGGER`.
    pub state: TriggerState,
    /// `COMMENT ON TRIGGER`.
    pub comment: Option<String>,
    /// Where it is declared (never part of equality).
    pub origin: Origin,
}

impl Trigger {
    /// True when `PostgreSQL` can change `self` into `other` with `CREATE OR
    /// REPLACE TRIGGER`: neither is a constraint trigger (those cannot be
    /// replaced).
    pub fn replaceable_by(&self, other: &Trigger) -> bool {
        self.constraint.is_none() && other.constraint.is_none()
    }

    /// The same trigger with another state and comment: what differs once
    /// the definition is equal.
    pub fn definition_eq(&self, other: &Trigger) -> bool {
        let mut a = self.clone();
        a.state = other.state;
        a.comment.clone_from(&other.comment);
        a == *other
    }

    /// True when it uses column `column` of its table (`UPDATE OF`, `WHEN`).
    pub fn mentions_column(&self, column: &str) -> bool {
        self.events
            .update
            .as_ref()
            .is_some_and(|cols| cols.iter().any(|c| c == column))
            || self
                .when
                .as_ref()
                .is_some_and(|w| super::mentions::expression_mentions(w, column))
    }

    /// Renames column `old` of its table to `new` (`UPDATE OF`, `WHEN`).
    pub fn rename_column(&mut self, old: &str, new: &str) {
        if let Some(cols) = &mut self.events.update {
            for c in cols.iter_mut().filter(|c| *c == old) {
                *c = new.to_string();
            }
        }
        if let Some(w) = &mut self.when {
            *w = super::mentions::rename_in_expression(w, old, new);
        }
    }

    /// What it reads: its table and its columns it names, the constraint's
    /// `FROM` table, its function, and the names in its `WHEN`.
    pub fn reads(&self, schema: &Schema) -> Reads {
        let mut out = Reads::default();
        out.relations.insert(self.table.clone());
        if let Some(from) = self.constraint.as_ref().and_then(|c| c.from.as_ref()) {
            out.relations.insert(from.clone());
        }
        out.functions.insert(self.function.clone());
        if let Some(cols) = &self.events.update {
            for c in cols {
                out.columns.insert((self.table.clone(), c.clone()));
            }
        }
        if let Some(w) = &self.when {
            let mut when = Reads::of_sql(w.sql(), schema);
            if let Some(t) = schema.tables.get(&self.table) {
                for c in &t.columns {
                    if super::mentions::expression_mentions(w, &c.name) {
                        when.columns.insert((self.table.clone(), c.name.clone()));
                    }
                }
            }
            out.extend(when);
        }
        out
    }
}

/// The triggers of one table, by name (one entry of
/// [`Schema::triggers`](super::Schema::triggers); never empty there).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Triggers(pub BTreeMap<String, Trigger>);

impl Indexed for Triggers {
    /// None (trigger names are per table).
    fn held_names(&self) -> impl Iterator<Item = &str> {
        std::iter::empty()
    }

    /// The `FROM` tables of constraint triggers.
    fn references(&self) -> impl Iterator<Item = &QualifiedName> {
        self.0
            .values()
            .filter_map(|t| t.constraint.as_ref().and_then(|c| c.from.as_ref()))
    }
}

/// Trigger functions PostgreSQL itself provides (`pg_catalog`), which an
/// unqualified name finds before `public`.
pub const BUILTIN_TRIGGER_FUNCTIONS: &[&str] = &[
    "suppress_redundant_updates_trigger",
    "tsvector_update_trigger",
    "tsvector_update_trigger_column",
];

/// The function an (unqualified, folded) name calls: PostgreSQL's own trigger
/// functions in `pg_catalog`, anything else in `public`.
pub fn trigger_function_name(parts: &[String]) -> Option<QualifiedName> {
    match parts {
        [name] if BUILTIN_TRIGGER_FUNCTIONS.contains(&name.as_str()) => {
            Some(QualifiedName::new("pg_catalog", name.clone()))
        }
        [name] => Some(QualifiedName::public(name.clone())),
        [schema, name] | [_, schema, name] => {
            Some(QualifiedName::new(schema.clone(), name.clone()))
        }
        _ => None,
    }
}
