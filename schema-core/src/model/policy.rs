//! Row-level security policies (`CREATE POLICY`), held per table in
//! [`Schema::policies`](super::Schema::policies): permissive or restrictive,
//! the command and roles they apply to, their `USING` and `WITH CHECK`.

use std::collections::BTreeMap;

use super::depends::Reads;
use super::{Expression, Indexed, QualifiedName, Schema};
use crate::diagnostic::Origin;

/// The command a policy applies to (`pg_policy.polcmd`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum PolicyCommand {
    /// `FOR ALL` (the default; `*`).
    #[default]
    All,
    /// `FOR SELECT` (`r`).
    Select,
    /// `FOR INSERT` (`a`).
    Insert,
    /// `FOR UPDATE` (`w`).
    Update,
    /// `FOR DELETE` (`d`).
    Delete,
}

impl PolicyCommand {
    /// The SQL word.
    pub fn keyword(self) -> &'static str {
        match self {
            PolicyCommand::All => "ALL",
            PolicyCommand::Select => "SELECT",
            PolicyCommand::Insert => "INSERT",
            PolicyCommand::Update => "UPDATE",
            PolicyCommand::Delete => "DELETE",
        }
    }

    /// The command from `pg_policy.polcmd`.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "*" => Some(PolicyCommand::All),
            "r" => Some(PolicyCommand::Select),
            "a" => Some(PolicyCommand::Insert),
            "w" => Some(PolicyCommand::Update),
            "d" => Some(PolicyCommand::Delete),
            _ => None,
        }
    }
}

/// The role name `PUBLIC` stands for in [`Policy::roles`].
pub const PUBLIC_ROLE: &str = "public";

/// A row-level security policy on a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Its name (unique per table).
    pub name: String,
    /// The table it is on.
    pub table: QualifiedName,
    /// `AS PERMISSIVE` (the default) or `AS RESTRICTIVE` (`false`).
    pub permissive: bool,
    /// `FOR ALL | SELECT | INSERT | UPDATE | DELETE`.
    pub command: PolicyCommand,
    /// `TO role, ...`: role names, sorted and without repeats; `public`
    /// ([`PUBLIC_ROLE`]) for `PUBLIC` (the default).
    pub roles: Vec<String>,
    /// `USING (expr)`.
    pub using: Option<Expression>,
    /// `WITH CHECK (expr)`.
    pub with_check: Option<Expression>,
    /// `COMMENT ON POLICY`.
    pub comment: Option<String>,
    /// Where it is declared (never part of equality).
    pub origin: Origin,
}

impl Policy {
    /// True when `ALTER POLICY` can change `self` into `other`: the same
    /// command and kind (only roles, `USING` and `WITH CHECK` can change),
    /// and no expression removed (`ALTER POLICY` can only set one).
    pub fn alterable_to(&self, other: &Policy) -> bool {
        self.permissive == other.permissive
            && self.command == other.command
            && (self.using.is_none() || other.using.is_some())
            && (self.with_check.is_none() || other.with_check.is_some())
    }

    /// True when it uses column `column` of its table.
    pub fn mentions_column(&self, column: &str) -> bool {
        [&self.using, &self.with_check]
            .into_iter()
            .flatten()
            .any(|e| super::mentions::expression_mentions(e, column))
    }

    /// Renames column `old` of its table to `new` in its expressions.
    pub fn rename_column(&mut self, old: &str, new: &str) {
        for e in [&mut self.using, &mut self.with_check]
            .into_iter()
            .flatten()
        {
            *e = super::mentions::rename_in_expression(e, old, new);
        }
    }

    /// What it reads: its table, and the relations, columns, functions and
    /// types its expressions name (its own table's columns included).
    pub fn reads(&self, schema: &Schema) -> Reads {
        let mut out = Reads::default();
        out.relations.insert(self.table.clone());
        for e in [&self.using, &self.with_check].into_iter().flatten() {
            out.extend(Reads::of_sql(e.sql(), schema));
            if let Some(t) = schema.tables.get(&self.table) {
                for c in &t.columns {
                    if super::mentions::expression_mentions(e, &c.name) {
                        out.columns.insert((self.table.clone(), c.name.clone()));
                    }
                }
            }
        }
        out
    }
}

/// The policies of one table, by name (one entry of
/// [`Schema::policies`](super::Schema::policies); never empty there).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policies(pub BTreeMap<String, Policy>);

impl Indexed for Policies {
    /// None (policy names are per table).
    fn held_names(&self) -> impl Iterator<Item = &str> {
        std::iter::empty()
    }

    /// None.
    fn references(&self) -> impl Iterator<Item = &QualifiedName> {
        std::iter::empty()
    }
}
