//! Triggers and row-level security policies: `CREATE [OR REPLACE]
//! [CONSTRAINT] TRIGGER`, `ALTER TRIGGER ... RENAME`, `DROP TRIGGER`, `ALTER
//! TABLE ... ENABLE/DISABLE TRIGGER`, `CREATE/ALTER/DROP POLICY`, `COMMENT ON
//! TRIGGER/POLICY`; and what renaming or dropping a table or column does to
//! them.

use sqlparser::ast::{
    AlterPolicy, AlterPolicyOperation, AlterTrigger, AlterTriggerOperation, CreatePolicy,
    CreatePolicyCommand, CreatePolicyType, DropPolicy, DropTrigger, Expr, Ident, Owner,
};

use super::{Cx, Res};
use crate::diagnostic::{Diagnostic, Origin, codes};
use crate::model::names::{fold_ident, object_name_parts};
use crate::model::policy::PUBLIC_ROLE;
use crate::model::trigger::{ConstraintTrigger, trigger_function_name};
use crate::model::{
    Expression, Policies, Policy, PolicyCommand, QualifiedName, Schema, Trigger, TriggerEvents,
    TriggerState, TriggerTiming, Triggers,
};
use crate::parse::triggers::{CommentOnTableObject, CreateTrigger, TableObjectKind, WrittenEvent};

/// Whether the function a trigger executes exists at this point: one of
/// PostgreSQL's own (`pg_catalog`), a function of the schema with that name
/// that takes no arguments and returns `trigger`, or, when the schema has no
/// function of that name at all, one an installed extension may have created
/// (contrib's `moddatetime`, `lo_manage`, ...: the model does not list
/// extensions' functions, so PostgreSQL judges those at `up`).
pub(crate) fn trigger_function_exists(schema: &Schema, function: &QualifiedName) -> bool {
    use crate::model::function::{Returns, key_of};
    if function.schema == "pg_catalog" {
        return true;
    }
    if let Some(f) = schema.functions.get(&key_of(function, std::iter::empty())) {
        return matches!(
            &f.returns,
            Some(Returns::Type {
                setof: false,
                ty: crate::model::SqlType::Builtin("trigger")
            })
        );
    }
    let same_name = schema.functions.values().any(|f| f.name == *function);
    !same_name
        && schema
            .extensions
            .keys()
            .any(|e| e.name != crate::parse::apply::BUILTIN_EXTENSION)
}

impl Schema {
    /// The trigger `name` on `table`.
    pub fn trigger(&self, table: &QualifiedName, name: &str) -> Option<&Trigger> {
        self.triggers.get(table).and_then(|t| t.0.get(name))
    }

    /// The policy `name` on `table`.
    pub fn policy(&self, table: &QualifiedName, name: &str) -> Option<&Policy> {
        self.policies.get(table).and_then(|p| p.0.get(name))
    }

    /// Every trigger, by table then name.
    pub fn all_triggers(&self) -> impl Iterator<Item = &Trigger> {
        self.triggers.values().flat_map(|t| t.0.values())
    }

    /// Every policy, by table then name.
    pub fn all_policies(&self) -> impl Iterator<Item = &Policy> {
        self.policies.values().flat_map(|p| p.0.values())
    }

    /// Adds (or replaces) a trigger.
    pub fn insert_trigger(&mut self, trigger: Trigger) {
        let table = trigger.table.clone();
        match self.triggers.get_mut(&table) {
            Some(t) => {
                t.0.insert(trigger.name.clone(), trigger);
            }
            None => {
                let mut t = Triggers::default();
                t.0.insert(trigger.name.clone(), trigger);
                self.triggers.insert(table, t);
            }
        }
    }

    /// Adds (or replaces) a policy.
    pub fn insert_policy(&mut self, policy: Policy) {
        let table = policy.table.clone();
        match self.policies.get_mut(&table) {
            Some(p) => {
                p.0.insert(policy.name.clone(), policy);
            }
            None => {
                let mut p = Policies::default();
                p.0.insert(policy.name.clone(), policy);
                self.policies.insert(table, p);
            }
        }
    }

    /// Removes a trigger (and the table's entry when it was the last).
    pub fn remove_trigger(&mut self, table: &QualifiedName, name: &str) -> Option<Trigger> {
        let t = self.triggers.get_mut(table)?;
        let out = t.0.remove(name);
        if t.0.is_empty() {
            self.triggers.remove(table);
        }
        out
    }

    /// Removes a policy (and the table's entry when it was the last).
    pub fn remove_policy(&mut self, table: &QualifiedName, name: &str) -> Option<Policy> {
        let p = self.policies.get_mut(table)?;
        let out = p.0.remove(name);
        if p.0.is_empty() {
            self.policies.remove(table);
        }
        out
    }

    /// A table renamed: its triggers and policies follow it (and constraint
    /// triggers `FROM` it name it anew).
    pub(crate) fn rename_table_objects(&mut self, old: &QualifiedName, new: &QualifiedName) {
        self.rename_table_rules(old, new);
        if let Some(mut t) = self.triggers.remove(old) {
            for trigger in t.0.values_mut() {
                trigger.table = new.clone();
            }
            self.triggers.insert(new.clone(), t);
        }
        if let Some(mut p) = self.policies.remove(old) {
            for policy in p.0.values_mut() {
                policy.table = new.clone();
            }
            self.policies.insert(new.clone(), p);
        }
        let from_old = |t: &Triggers| {
            t.0.values().any(|x| {
                x.constraint
                    .as_ref()
                    .is_some_and(|c| c.from.as_ref() == Some(old))
            })
        };
        self.triggers.update_where(from_old, |t| {
            for x in t.0.values_mut() {
                if let Some(c) = &mut x.constraint {
                    if c.from.as_ref() == Some(old) {
                        c.from = Some(new.clone());
                    }
                }
            }
        });
    }

    /// A table dropped: its triggers and policies go with it (as PostgreSQL
    /// drops them).
    pub(crate) fn drop_table_objects(&mut self, table: &QualifiedName) {
        self.drop_table_rules(table);
        self.triggers.remove(table);
        self.policies.remove(table);
        // A constraint trigger `FROM` it goes too (an automatic dependency).
        let from_it = |t: &Triggers| {
            t.0.values().any(|x| {
                x.constraint
                    .as_ref()
                    .is_some_and(|c| c.from.as_ref() == Some(table))
            })
        };
        let owners: Vec<QualifiedName> = self
            .triggers
            .iter()
            .filter(|(_, t)| from_it(t))
            .map(|(k, _)| k.clone())
            .collect();
        for owner in owners {
            let names: Vec<String> = self.triggers[&owner]
                .0
                .values()
                .filter(|x| {
                    x.constraint
                        .as_ref()
                        .is_some_and(|c| c.from.as_ref() == Some(table))
                })
                .map(|x| x.name.clone())
                .collect();
            for name in names {
                self.remove_trigger(&owner, &name);
            }
        }
    }

    /// The policies of other tables whose expressions name table `table` (a
    /// subquery over it): `(their table, policy name)`. A name that is a
    /// column of the policy's own table does not count.
    pub(crate) fn policies_reading(&self, table: &QualifiedName) -> Vec<(QualifiedName, String)> {
        let mut out = Vec::new();
        for (owner, policies) in self.policies.iter().filter(|(o, _)| *o != table) {
            let own = self.tables.get(owner);
            for p in policies.0.values() {
                let names = [&p.using, &p.with_check]
                    .into_iter()
                    .flatten()
                    .flat_map(|e| crate::model::depends::mentioned_names(e.sql()));
                let reads = names.into_iter().any(|n| match n.parts.as_slice() {
                    [name] => {
                        table.schema == crate::model::DEFAULT_SCHEMA
                            && *name == table.name
                            && !n.is_call
                            && own.is_none_or(|t| t.column(name).is_none())
                    }
                    [schema, name] => *schema == table.schema && *name == table.name && !n.is_call,
                    _ => false,
                });
                if reads {
                    out.push((owner.clone(), p.name.clone()));
                }
            }
        }
        out
    }

    /// A column renamed: the triggers and policies of its table follow it.
    pub(crate) fn rename_column_objects(&mut self, table: &QualifiedName, old: &str, new: &str) {
        if let Some(t) = self.triggers.get_mut(table) {
            for trigger in t.0.values_mut() {
                trigger.rename_column(old, new);
            }
        }
        if let Some(p) = self.policies.get_mut(table) {
            for policy in p.0.values_mut() {
                policy.rename_column(old, new);
            }
        }
    }

    /// The triggers and policies of `table` that use its column `column`:
    /// `("trigger" | "policy", name)`.
    pub(crate) fn column_users(
        &self,
        table: &QualifiedName,
        column: &str,
    ) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(t) = self.triggers.get(table) {
            for x in t.0.values().filter(|x| x.mentions_column(column)) {
                out.push(("trigger", x.name.clone()));
            }
        }
        if let Some(p) = self.policies.get(table) {
            for x in p.0.values().filter(|x| x.mentions_column(column)) {
                out.push(("policy", x.name.clone()));
            }
        }
        out
    }
}

impl Cx<'_> {
    /// The table a trigger or policy goes on: it must exist and be a table.
    fn host_table(&self, name: &sqlparser::ast::ObjectName, what: &str) -> Res<QualifiedName> {
        let table = self.name(name)?;
        if self.schema.tables.contains_key(&table) {
            return Ok(table);
        }
        let at = self.at_name(name);
        if self.schema.relation_name_taken(&table) {
            return Err(Diagnostic::error(
                codes::UNSUPPORTED_FEATURE,
                format!("`{table}` is not a table: a {what} here is not supported"),
            )
            .at(&at)
            .note(format!(
                "the schema model carries {what}s on tables only (views are not modelled yet)"
            ))
            .help("put it on a table, or keep it in a separate SQL file run after migrations"));
        }
        Err(self.unknown_table(&table, &at))
    }

    fn at_or_statement(&self, at: sqlparser::tokenizer::Location) -> Origin {
        self.at_location(at)
    }

    /// `CREATE [OR REPLACE] [CONSTRAINT] TRIGGER`.
    pub(super) fn create_trigger(&mut self, ct: &CreateTrigger) -> Res<()> {
        self.check_name(&ct.name, "trigger")?;
        let name = fold_ident(&ct.name);
        let table = self.host_table(&ct.table, "trigger")?;
        let bad = |at: Origin, message: String, help: &str| {
            Diagnostic::error(codes::NOT_ALLOWED_HERE, message)
                .at(&at)
                .note("PostgreSQL refuses this trigger")
                .help(help.to_string())
        };
        if ct.timing == TriggerTiming::InsteadOf {
            return Err(bad(
                self.at_words(&["INSTEAD"]).unwrap_or_else(|| self.origin()),
                format!("`INSTEAD OF` triggers are for views; `{table}` is a table"),
                "use BEFORE or AFTER on a table",
            ));
        }
        let mut events = TriggerEvents::default();
        for (event, at) in &ct.events {
            let twice = match event {
                WrittenEvent::Insert => std::mem::replace(&mut events.insert, true),
                WrittenEvent::Delete => std::mem::replace(&mut events.delete, true),
                WrittenEvent::Truncate => std::mem::replace(&mut events.truncate, true),
                WrittenEvent::Update(cols) => {
                    let cols: Vec<String> = cols.iter().map(fold_ident).collect();
                    let mut seen = std::collections::HashSet::new();
                    if let Some((i, c)) = cols
                        .iter()
                        .enumerate()
                        .find(|(_, c)| !seen.insert(c.as_str()))
                    {
                        let at = match event {
                            WrittenEvent::Update(idents) => self.at_ident(&idents[i]),
                            _ => self.origin(),
                        };
                        return Err(bad(
                            at,
                            format!("column `{c}` is listed twice in `UPDATE OF`"),
                            "list each column once",
                        ));
                    }
                    events.update.replace(cols).is_some()
                }
            };
            if twice {
                return Err(bad(
                    self.at_or_statement(*at),
                    "an event is listed twice".to_string(),
                    "list each of INSERT, UPDATE, DELETE and TRUNCATE once",
                ));
            }
        }
        if let Some(cols) = &events.update {
            let t = &self.schema.tables[&table];
            let names: std::collections::HashSet<&str> =
                t.columns.iter().map(|c| c.name.as_str()).collect();
            for (c, ident) in cols.iter().zip(ct.events.iter().flat_map(|(e, _)| match e {
                WrittenEvent::Update(i) => i.as_slice(),
                _ => &[],
            })) {
                if !names.contains(c.as_str()) && t.partition_of.is_none() {
                    return Err(Diagnostic::error(
                        codes::UNKNOWN_OBJECT,
                        format!("column `{c}` of table `{table}` does not exist at this point"),
                    )
                    .at(&self.at_ident(ident))
                    .help("name a column of the table in `UPDATE OF`"));
                }
            }
        }
        let for_each_row = ct.for_each_row.is_some_and(|(row, _)| row);
        if events.truncate && for_each_row {
            return Err(bad(
                self.at_or_statement(ct.for_each_row.map_or_else(|| ct.events[0].1, |f| f.1)),
                "`TRUNCATE` triggers fire once per statement".to_string(),
                "write `FOR EACH STATEMENT` for a TRUNCATE trigger",
            ));
        }
        let constraint = if ct.constraint {
            if ct.or_replace {
                return Err(bad(
                    self.origin(),
                    "`CREATE OR REPLACE CONSTRAINT TRIGGER` is not supported by PostgreSQL"
                        .to_string(),
                    "drop the constraint trigger and create it again",
                ));
            }
            if ct.timing != TriggerTiming::After || !for_each_row {
                return Err(bad(
                    self.origin(),
                    "a constraint trigger must be `AFTER ... FOR EACH ROW`".to_string(),
                    "write AFTER and FOR EACH ROW",
                ));
            }
            let from = match &ct.from {
                Some(f) => {
                    let f = self.name(f)?;
                    if !self.schema.tables.contains_key(&f) {
                        let at = self.at_name(ct.from.as_ref().unwrap_or(&ct.table));
                        return Err(self.unknown_table(&f, &at));
                    }
                    Some(f)
                }
                None => None,
            };
            let deferrable = ct.deferrable.is_some_and(|(d, _)| d);
            let initially_deferred = ct.initially_deferred.is_some_and(|(d, _)| d);
            if initially_deferred && ct.deferrable.is_some_and(|(d, _)| !d) {
                return Err(bad(
                    self.at_or_statement(ct.deferrable.map_or(ct.events[0].1, |d| d.1)),
                    "a constraint trigger cannot be `NOT DEFERRABLE INITIALLY DEFERRED`"
                        .to_string(),
                    "write DEFERRABLE INITIALLY DEFERRED",
                ));
            }
            Some(ConstraintTrigger {
                // `INITIALLY DEFERRED` implies `DEFERRABLE`.
                deferrable: deferrable || initially_deferred,
                initially_deferred,
                from,
            })
        } else {
            for (clause, at) in [
                ("FROM", ct.from.as_ref().map(|_| self.at_words(&["FROM"]))),
                (
                    "DEFERRABLE",
                    ct.deferrable.map(|(_, at)| Some(self.at_location(at))),
                ),
                (
                    "INITIALLY",
                    ct.initially_deferred
                        .map(|(_, at)| Some(self.at_location(at))),
                ),
            ] {
                if let Some(at) = at {
                    return Err(bad(
                        at.unwrap_or_else(|| self.origin()),
                        format!("`{clause}` is only for constraint triggers"),
                        "write `CREATE CONSTRAINT TRIGGER`, or remove the clause",
                    ));
                }
            }
            None
        };
        let transition = ct.old_table.as_ref().or(ct.new_table.as_ref());
        if let Some((_, at)) = transition {
            let at = self.at_location(*at);
            let reason = if ct.timing != TriggerTiming::After {
                Some("transition tables are for AFTER triggers")
            } else if constraint.is_some() {
                Some("a constraint trigger cannot have transition tables")
            } else if events.update.as_ref().is_some_and(|c| !c.is_empty()) {
                Some("transition tables cannot be given for a trigger with `UPDATE OF` columns")
            } else if ct.events.len() > 1 {
                Some("transition tables cannot be given for a trigger with more than one event")
            } else if ct.old_table.is_some() && !(events.update.is_some() || events.delete) {
                Some("`OLD TABLE` is for UPDATE or DELETE triggers")
            } else if ct.new_table.is_some() && !(events.update.is_some() || events.insert) {
                Some("`NEW TABLE` is for INSERT or UPDATE triggers")
            } else {
                None
            };
            if let Some(reason) = reason {
                return Err(bad(at, reason.to_string(), "remove the REFERENCING clause"));
            }
        }
        let when = match &ct.when {
            Some((e, at)) => {
                if !for_each_row && mentions_row(e) {
                    return Err(bad(
                        self.at_location(*at),
                        "a statement trigger's `WHEN` cannot use NEW or OLD".to_string(),
                        "write FOR EACH ROW, or a WHEN without NEW and OLD",
                    ));
                }
                Some(Expression::from_ast(e))
            }
            None => None,
        };
        let parts = object_name_parts(&ct.function);
        let Some(function) = trigger_function_name(&parts) else {
            return Err(self
                .err(
                    codes::SYNTAX,
                    format!("`{}` is not a function name", ct.function),
                )
                .at(&self.at_name(&ct.function)));
        };
        if !trigger_function_exists(self.schema, &function) {
            return Err(Diagnostic::error(
                codes::UNKNOWN_OBJECT,
                format!("function `{function}` does not exist at this point"),
            )
            .at(&self.at_name(&ct.function))
            .help("create the trigger function before the trigger"));
        }
        let old_state = match self.schema.trigger(&table, &name) {
            Some(existing) if !ct.or_replace => {
                return Err(self
                    .err(
                        codes::DUPLICATE_OBJECT,
                        format!("trigger `{name}` on table `{table}` already exists"),
                    )
                    .at(&self.at_ident(&ct.name))
                    .related(&existing.origin, "created here")
                    .help("choose another name, or write `CREATE OR REPLACE TRIGGER`"));
            }
            Some(existing) if existing.constraint.is_some() || constraint.is_some() => {
                return Err(self
                    .err(
                        codes::NOT_ALLOWED_HERE,
                        format!("trigger `{name}` on table `{table}` is a constraint trigger: it cannot be replaced"),
                    )
                    .at(&self.at_ident(&ct.name))
                    .help("drop it first (`DROP TRIGGER`), then create it"));
            }
            // `CREATE OR REPLACE` keeps the comment (the trigger keeps its
            // oid); it enables the trigger again (`tgenabled` is set anew).
            Some(existing) => existing.comment.clone(),
            None => None,
        };
        let (state, comment) = (TriggerState::Enabled, old_state);
        self.schema.insert_trigger(Trigger {
            name,
            table,
            timing: ct.timing,
            events,
            for_each_row,
            when,
            old_table: ct.old_table.as_ref().map(|(n, _)| fold_ident(n)),
            new_table: ct.new_table.as_ref().map(|(n, _)| fold_ident(n)),
            constraint,
            function,
            arguments: ct.arguments.clone(),
            state,
            comment,
            origin: self.origin(),
        });
        Ok(())
    }

    /// `DROP TRIGGER [IF EXISTS] name ON table [CASCADE | RESTRICT]`.
    pub(super) fn drop_trigger(&mut self, dt: &DropTrigger) -> Res<()> {
        let Some(table_name) = &dt.table_name else {
            return Err(self
                .err(codes::SYNTAX, "`DROP TRIGGER` needs `ON table`")
                .help("write `DROP TRIGGER name ON table`"));
        };
        let table = self.name(table_name)?;
        let name = object_name_parts(&dt.trigger_name)
            .pop()
            .unwrap_or_default();
        if !self.schema.tables.contains_key(&table) {
            if dt.if_exists {
                return Ok(());
            }
            return Err(self.unknown_table(&table, &self.at_name(table_name)));
        }
        if self.schema.trigger(&table, &name).is_none() {
            // pg_dump --clean: dropping what was never created is a no-op.
            if dt.if_exists {
                return Ok(());
            }
            return Err(self.unknown_trigger(&table, &name, &self.at_name(&dt.trigger_name)));
        }
        self.not_in_declarative("DROP TRIGGER")?;
        self.schema.remove_trigger(&table, &name);
        Ok(())
    }

    fn unknown_trigger(&self, table: &QualifiedName, name: &str, at: &Origin) -> Diagnostic {
        let mut d = Diagnostic::error(
            codes::UNKNOWN_OBJECT,
            format!("trigger `{name}` on table `{table}` does not exist at this point"),
        )
        .at(at);
        if let Some(t) = self.schema.triggers.get(table) {
            if let Some(similar) =
                crate::model::names::closest(name, t.0.keys().map(String::as_str))
            {
                d = d.help(format!("did you mean `{similar}`?"));
            }
        }
        d
    }

    fn unknown_policy(&self, table: &QualifiedName, name: &str, at: &Origin) -> Diagnostic {
        let mut d = Diagnostic::error(
            codes::UNKNOWN_OBJECT,
            format!("policy `{name}` on table `{table}` does not exist at this point"),
        )
        .at(at);
        if let Some(p) = self.schema.policies.get(table) {
            if let Some(similar) =
                crate::model::names::closest(name, p.0.keys().map(String::as_str))
            {
                d = d.help(format!("did you mean `{similar}`?"));
            }
        }
        d
    }

    /// `ALTER TRIGGER name ON table RENAME TO new`.
    pub(super) fn alter_trigger(&mut self, at: &AlterTrigger) -> Res<()> {
        let table = self.name(&at.table_name)?;
        let name = fold_ident(&at.name);
        let new = match &at.operation {
            AlterTriggerOperation::Rename { new_name } => {
                self.check_name(new_name, "trigger")?;
                fold_ident(new_name)
            }
            AlterTriggerOperation::DependsOnExtension { .. } => {
                return Err(self.refuse_clause(
                    "DEPENDS ON EXTENSION",
                    &["DEPENDS"],
                    "ALTER TRIGGER",
                ));
            }
        };
        self.not_in_declarative("ALTER TRIGGER ... RENAME TO")?;
        if !self.schema.tables.contains_key(&table) {
            return Err(self.unknown_table(&table, &self.at_name(&at.table_name)));
        }
        if self.schema.trigger(&table, &new).is_some() {
            return Err(self
                .err(
                    codes::DUPLICATE_OBJECT,
                    format!("trigger `{new}` on table `{table}` already exists"),
                )
                .help("choose another name"));
        }
        let Some(mut trigger) = self.schema.remove_trigger(&table, &name) else {
            return Err(self.unknown_trigger(&table, &name, &self.at_ident(&at.name)));
        };
        trigger.name = new;
        self.schema.insert_trigger(trigger);
        Ok(())
    }

    /// `ALTER TABLE t {ENABLE | DISABLE | ENABLE REPLICA | ENABLE ALWAYS}
    /// TRIGGER {name | USER | ALL}`.
    pub(super) fn set_trigger_state(
        &mut self,
        table: &QualifiedName,
        name: &Ident,
        state: TriggerState,
    ) -> Res<()> {
        let which = fold_ident(name);
        if name.quote_style.is_none() && which == "all" {
            return Err(self
                .refuse_clause("TRIGGER ALL", &["ALL"], "ALTER TABLE")
                .note("`ALL` also switches the internal triggers of foreign keys, which the model does not carry")
                .help("name the trigger, or write `TRIGGER USER` for every trigger of the table"));
        }
        if !self.schema.tables.contains_key(table) {
            return Err(self.unknown_table(table, &self.origin()));
        }
        if name.quote_style.is_none() && which == "user" {
            if let Some(t) = self.schema.triggers.get_mut(table) {
                for trigger in t.0.values_mut() {
                    trigger.state = state;
                }
            }
            return Ok(());
        }
        if self.schema.trigger(table, &which).is_none() {
            return Err(self.unknown_trigger(table, &which, &self.at_ident(name)));
        }
        if let Some(t) = self.schema.triggers.get_mut(table) {
            if let Some(trigger) = t.0.get_mut(&which) {
                trigger.state = state;
            }
        }
        Ok(())
    }

    /// The roles of `TO`: folded names, sorted; `PUBLIC` alone.
    fn policy_roles(&self, to: Option<&Vec<Owner>>) -> Res<Vec<String>> {
        let Some(to) = to else {
            return Ok(vec![PUBLIC_ROLE.to_string()]);
        };
        let mut roles = Vec::new();
        for owner in to {
            match owner {
                Owner::Ident(i) => roles.push(fold_ident(i)),
                other => {
                    let word = other.to_string();
                    return Err(Diagnostic::error(
                        codes::UNSUPPORTED_FEATURE,
                        format!("`{word}` in a policy's roles is not supported"),
                    )
                    .at(&self.at_words(&[&word]).unwrap_or_else(|| self.origin()))
                    .note(format!("PostgreSQL stores the role `{word}` stands for when the policy is created, so the schema would depend on who runs the migration"))
                    .help("name the role"));
                }
            }
        }
        roles.sort();
        roles.dedup();
        if roles.len() > 1 && roles.iter().any(|r| r == PUBLIC_ROLE) {
            return Err(Diagnostic::error(
                codes::NOT_ALLOWED_HERE,
                "`PUBLIC` with other roles: PostgreSQL ignores the other roles",
            )
            .at(&self.at_words(&["PUBLIC"]).unwrap_or_else(|| self.origin()))
            .help("write `TO PUBLIC` alone, or only the other roles"));
        }
        Ok(roles)
    }

    /// PostgreSQL's refusals of `USING` / `WITH CHECK` for a command.
    fn check_policy_expressions(
        &self,
        command: PolicyCommand,
        using: bool,
        with_check: bool,
    ) -> Res<()> {
        let refused = match command {
            PolicyCommand::Insert if using => {
                Some(("USING", "only WITH CHECK is allowed for INSERT"))
            }
            PolicyCommand::Select | PolicyCommand::Delete if with_check => {
                Some(("WITH", "WITH CHECK cannot be applied to SELECT or DELETE"))
            }
            _ => None,
        };
        if let Some((word, reason)) = refused {
            return Err(Diagnostic::error(
                codes::NOT_ALLOWED_HERE,
                format!("{reason} (PostgreSQL refuses this policy)"),
            )
            .at(&self.at_words(&[word]).unwrap_or_else(|| self.origin()))
            .help(format!("remove the `{word}` clause")));
        }
        Ok(())
    }

    /// `CREATE POLICY`.
    pub(super) fn create_policy(&mut self, cp: &CreatePolicy) -> Res<()> {
        self.check_name(&cp.name, "policy")?;
        let name = fold_ident(&cp.name);
        let table = self.host_table(&cp.table_name, "policy")?;
        let command = match cp.command {
            None | Some(CreatePolicyCommand::All) => PolicyCommand::All,
            Some(CreatePolicyCommand::Select) => PolicyCommand::Select,
            Some(CreatePolicyCommand::Insert) => PolicyCommand::Insert,
            Some(CreatePolicyCommand::Update) => PolicyCommand::Update,
            Some(CreatePolicyCommand::Delete) => PolicyCommand::Delete,
        };
        self.check_policy_expressions(command, cp.using.is_some(), cp.with_check.is_some())?;
        let roles = self.policy_roles(cp.to.as_ref())?;
        if let Some(existing) = self.schema.policy(&table, &name) {
            return Err(self
                .err(
                    codes::DUPLICATE_OBJECT,
                    format!("policy `{name}` on table `{table}` already exists"),
                )
                .at(&self.at_ident(&cp.name))
                .related(&existing.origin, "created here")
                .help("choose another name"));
        }
        let expr = |e: &Option<Expr>| e.as_ref().map(Expression::from_ast);
        self.schema.insert_policy(Policy {
            name,
            table,
            permissive: !matches!(cp.policy_type, Some(CreatePolicyType::Restrictive)),
            command,
            roles,
            using: expr(&cp.using),
            with_check: expr(&cp.with_check),
            comment: None,
            origin: self.origin(),
        });
        Ok(())
    }

    /// `ALTER POLICY name ON table {RENAME TO new | [TO roles] [USING (...)]
    /// [WITH CHECK (...)]}`.
    pub(super) fn alter_policy(&mut self, ap: &AlterPolicy) -> Res<()> {
        self.not_in_declarative("ALTER POLICY")?;
        let table = self.name(&ap.table_name)?;
        let name = fold_ident(&ap.name);
        if !self.schema.tables.contains_key(&table) {
            return Err(self.unknown_table(&table, &self.at_name(&ap.table_name)));
        }
        let Some(mut policy) = self.schema.policy(&table, &name).cloned() else {
            return Err(self.unknown_policy(&table, &name, &self.at_ident(&ap.name)));
        };
        match &ap.operation {
            AlterPolicyOperation::Rename { new_name } => {
                self.check_name(new_name, "policy")?;
                let new = fold_ident(new_name);
                if self.schema.policy(&table, &new).is_some() {
                    return Err(self
                        .err(
                            codes::DUPLICATE_OBJECT,
                            format!("policy `{new}` on table `{table}` already exists"),
                        )
                        .help("choose another name"));
                }
                self.schema.remove_policy(&table, &name);
                policy.name = new;
            }
            AlterPolicyOperation::Apply {
                to,
                using,
                with_check,
            } => {
                self.check_policy_expressions(
                    policy.command,
                    using.is_some(),
                    with_check.is_some(),
                )?;
                if to.is_some() {
                    policy.roles = self.policy_roles(to.as_ref())?;
                }
                if let Some(e) = using {
                    policy.using = Some(Expression::from_ast(e));
                }
                if let Some(e) = with_check {
                    policy.with_check = Some(Expression::from_ast(e));
                }
            }
        }
        self.schema.insert_policy(policy);
        Ok(())
    }

    /// `DROP POLICY [IF EXISTS] name ON table`.
    pub(super) fn drop_policy(&mut self, dp: &DropPolicy) -> Res<()> {
        let table = self.name(&dp.table_name)?;
        let name = fold_ident(&dp.name);
        if !self.schema.tables.contains_key(&table) {
            if dp.if_exists {
                return Ok(());
            }
            return Err(self.unknown_table(&table, &self.at_name(&dp.table_name)));
        }
        if self.schema.policy(&table, &name).is_none() {
            // pg_dump --clean: dropping what was never created is a no-op.
            if dp.if_exists {
                return Ok(());
            }
            return Err(self.unknown_policy(&table, &name, &self.at_ident(&dp.name)));
        }
        self.not_in_declarative("DROP POLICY")?;
        self.schema.remove_policy(&table, &name);
        Ok(())
    }

    /// `COMMENT ON {TRIGGER | POLICY} name ON table IS ...`.
    pub(super) fn comment_on_table_object(&mut self, c: &CommentOnTableObject) -> Res<()> {
        let table = self.name(&c.table)?;
        let name = fold_ident(&c.name);
        if !self.schema.tables.contains_key(&table) {
            return Err(self.unknown_table(&table, &self.at_name(&c.table)));
        }
        // PostgreSQL stores no empty comment: `IS ''` removes it.
        let comment = c.comment.clone().filter(|c| !c.is_empty());
        match c.kind {
            TableObjectKind::Trigger => {
                let Some(mut t) = self.schema.trigger(&table, &name).cloned() else {
                    return Err(self.unknown_trigger(&table, &name, &self.at_ident(&c.name)));
                };
                t.comment = comment;
                self.schema.insert_trigger(t);
            }
            TableObjectKind::Policy => {
                let Some(mut p) = self.schema.policy(&table, &name).cloned() else {
                    return Err(self.unknown_policy(&table, &name, &self.at_ident(&c.name)));
                };
                p.comment = comment;
                self.schema.insert_policy(p);
            }
        }
        Ok(())
    }

    /// What dropping table `table` does to the policies of other tables that
    /// read it: refused without `CASCADE` (as PostgreSQL refuses), dropped with it.
    pub(super) fn drop_table_policy_readers(
        &mut self,
        table: &QualifiedName,
        cascade: bool,
    ) -> Res<()> {
        let readers = self.schema.policies_reading(table);
        if readers.is_empty() {
            return Ok(());
        }
        if !cascade {
            let list: Vec<String> = readers
                .iter()
                .map(|(t, p)| format!("policy `{p}` on `{t}`"))
                .collect();
            return Err(self
                .err(
                    codes::NOT_ALLOWED_HERE,
                    format!("cannot drop table `{table}` because other objects depend on it"),
                )
                .note(format!("depended on by {}", list.join(", ")))
                .help("drop or change them first, or add CASCADE (which drops them)"));
        }
        for (t, p) in readers {
            self.schema.remove_policy(&t, &p);
        }
        Ok(())
    }

    /// PostgreSQL refuses to change the type of a column a trigger or policy
    /// uses ("cannot alter type of a column used in a trigger definition").
    pub(super) fn check_retype_users(
        &self,
        table: &QualifiedName,
        column: &str,
        at: &Origin,
    ) -> Res<()> {
        let Some((kind, name)) = self.schema.column_users(table, column).into_iter().next() else {
            return Ok(());
        };
        Err(Diagnostic::error(
            codes::NOT_ALLOWED_HERE,
            format!("cannot change the type of column `{column}` of table `{table}`: {kind} `{name}` uses it"),
        )
        .at(at)
        .note(format!("PostgreSQL refuses to alter the type of a column used in a {kind} definition"))
        .help(format!("drop the {kind} before this statement and create it again after")))
    }

    /// What dropping column `column` of `table` does to the triggers and
    /// policies that use it: refused without `CASCADE` (as PostgreSQL
    /// refuses), dropped with it.
    pub(super) fn drop_column_users(
        &mut self,
        table: &QualifiedName,
        column: &str,
        cascade: bool,
    ) -> Res<()> {
        let users = self.schema.column_users(table, column);
        if users.is_empty() {
            return Ok(());
        }
        if !cascade {
            let list: Vec<String> = users
                .iter()
                .map(|(kind, name)| format!("{kind} `{name}` on `{table}`"))
                .collect();
            return Err(self
                .err(
                    codes::NOT_ALLOWED_HERE,
                    format!(
                        "cannot drop column `{column}` of table `{table}` because other objects depend on it"
                    ),
                )
                .note(format!("depended on by {}", list.join(", ")))
                .help("drop or change them first, or add CASCADE (which drops them)"));
        }
        for (kind, name) in users {
            if kind == "trigger" {
                self.schema.remove_trigger(table, &name);
            } else {
                self.schema.remove_policy(table, &name);
            }
        }
        Ok(())
    }
}

/// True when `e` names `NEW` or `OLD` (a row trigger's records).
fn mentions_row(e: &Expr) -> bool {
    crate::model::depends::mentioned_names(&e.to_string())
        .iter()
        .any(|n| n.parts.len() > 1 && (n.parts[0] == "new" || n.parts[0] == "old"))
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::{Diagnostic, Source};
    use crate::model::{PolicyCommand, QualifiedName, Schema, TriggerState};
    use crate::parse::{Mode, apply::apply_file, parse_file};

    const TABLE: &str = "CREATE TABLE t (a integer PRIMARY KEY, b text);\n";

    /// `sql` applied as a migration: the schema, and its error diagnostics.
    fn migrate(sql: &str) -> (Schema, Vec<Diagnostic>) {
        let (file, mut diagnostics) = parse_file(&Source::new("m.sql", sql));
        let mut schema = Schema::new();
        apply_file(&mut schema, &file, Mode::Migration, &mut diagnostics);
        diagnostics.retain(Diagnostic::is_error);
        (schema, diagnostics)
    }

    /// The one error `sql` gives: its message and `line:column`.
    fn error(sql: &str) -> (String, String) {
        let (_, d) = migrate(sql);
        assert_eq!(d.len(), 1, "{sql}\n{d:#?}");
        let at = d[0]
            .origin
            .as_ref()
            .map(|o| format!("{}:{}", o.line, o.column))
            .unwrap_or_default();
        (d[0].message.clone(), at)
    }

    /// `sql` fails with a message holding `words`, located on line `line`
    /// where `needle` first starts on it.
    fn refused(sql: &str, words: &str, line: usize, needle: &str) {
        let (message, found) = error(sql);
        assert!(message.contains(words), "{sql}\n{message}");
        let text = sql.lines().nth(line - 1).unwrap_or_default();
        let column = text
            .find(needle)
            .map_or(0, |i| text[..i].chars().count() + 1);
        assert_eq!(found, format!("{line}:{column}"), "{sql}\n{message}");
    }

    const FUNCTION: &str = "EXECUTE FUNCTION suppress_redundant_updates_trigger()";

    #[test]
    fn triggers_postgresql_refuses_are_refused_where_they_go_wrong() {
        refused(
            &format!("CREATE TRIGGER x BEFORE UPDATE ON nope FOR EACH ROW {FUNCTION};"),
            "table `nope` does not exist",
            1,
            "nope",
        );
        refused(
            &format!("CREATE SEQUENCE s;\nCREATE TRIGGER x AFTER INSERT ON s {FUNCTION};"),
            "`s` is not a table",
            2,
            "s EXECUTE",
        );
        refused(
            &format!("{TABLE}CREATE TRIGGER x\n  INSTEAD OF INSERT ON t FOR EACH ROW {FUNCTION};"),
            "`INSTEAD OF` triggers are for views",
            3,
            "INSTEAD",
        );
        refused(
            &format!("{TABLE}CREATE TRIGGER x AFTER TRUNCATE ON t FOR EACH ROW {FUNCTION};"),
            "`TRUNCATE` triggers fire once per statement",
            2,
            "FOR EACH",
        );
        refused(
            &format!("{TABLE}CREATE TRIGGER x AFTER INSERT ON t FROM t FOR EACH ROW {FUNCTION};"),
            "`FROM` is only for constraint triggers",
            2,
            "FROM",
        );
        refused(
            &format!(
                "{TABLE}CREATE TRIGGER x AFTER INSERT OR DELETE ON t\n  REFERENCING NEW TABLE AS n FOR EACH STATEMENT {FUNCTION};"
            ),
            "more than one event",
            3,
            "NEW TABLE",
        );
        refused(
            &format!(
                "{TABLE}CREATE TRIGGER x BEFORE UPDATE OF a, nope ON t FOR EACH ROW {FUNCTION};"
            ),
            "column `nope` of table `t` does not exist",
            2,
            "nope",
        );
        refused(
            &format!("{TABLE}CREATE TRIGGER x AFTER INSERT ON t\n  WHEN (NEW.a > 0) {FUNCTION};"),
            "a statement trigger's `WHEN` cannot use NEW or OLD",
            3,
            "NEW.a",
        );
        refused(
            &format!(
                "{TABLE}CREATE TRIGGER x AFTER INSERT ON t {FUNCTION};\nCREATE TRIGGER x AFTER DELETE ON t {FUNCTION};"
            ),
            "trigger `x` on table `t` already exists",
            3,
            "x AFTER",
        );
        refused(
            &format!(
                "{TABLE}CREATE OR REPLACE CONSTRAINT TRIGGER x AFTER INSERT ON t FOR EACH ROW {FUNCTION};"
            ),
            "`CREATE OR REPLACE CONSTRAINT TRIGGER` is not supported",
            2,
            "CREATE",
        );
        refused(
            &format!(
                "{TABLE}CREATE CONSTRAINT TRIGGER x AFTER INSERT ON t FOR EACH ROW {FUNCTION};\nCREATE OR REPLACE TRIGGER x AFTER INSERT ON t FOR EACH ROW {FUNCTION};"
            ),
            "is a constraint trigger: it cannot be replaced",
            3,
            "x AFTER",
        );
        refused(
            &format!(
                "{TABLE}CREATE TRIGGER x AFTER INSERT ON t {FUNCTION};\nALTER TABLE t DISABLE TRIGGER ALL;"
            ),
            "`TRIGGER ALL` is not supported yet",
            3,
            "ALL",
        );
        refused(
            &format!(
                "{TABLE}CREATE TRIGGER x BEFORE UPDATE OF a, b, a ON t FOR EACH ROW {FUNCTION};"
            ),
            "column `a` is listed twice",
            2,
            "a ON",
        );
        refused(
            &format!("{TABLE}ALTER TABLE t ENABLE TRIGGER nope;"),
            "trigger `nope` on table `t` does not exist",
            2,
            "nope",
        );
        refused(
            &format!("{TABLE}COMMENT ON TRIGGER nope ON t IS 'x';"),
            "trigger `nope` on table `t` does not exist",
            2,
            "nope",
        );
        refused(
            &format!("{TABLE}ALTER TRIGGER nope ON t RENAME TO x;"),
            "trigger `nope` on table `t` does not exist",
            2,
            "nope",
        );
    }

    #[test]
    fn columns_a_trigger_or_policy_uses_cannot_be_dropped_or_retyped_without_cascade() {
        let trigger =
            format!("{TABLE}CREATE TRIGGER x BEFORE UPDATE OF b ON t FOR EACH ROW {FUNCTION};\n");
        refused(
            &format!("{trigger}ALTER TABLE t DROP COLUMN b;"),
            "cannot drop column `b` of table `t` because other objects depend on it",
            3,
            "ALTER",
        );
        refused(
            &format!("{trigger}ALTER TABLE t ALTER COLUMN b TYPE varchar(10);"),
            "trigger `x` uses it",
            3,
            "b TYPE",
        );
        let (schema, d) = migrate(&format!("{trigger}ALTER TABLE t DROP COLUMN b CASCADE;"));
        assert!(d.is_empty(), "{d:#?}");
        assert!(schema.all_triggers().next().is_none());
        let policy = format!("{TABLE}CREATE POLICY p ON t USING (b <> '');\n");
        refused(
            &format!("{policy}ALTER TABLE t DROP COLUMN b;"),
            "because other objects depend on it",
            3,
            "ALTER",
        );
        let (_, d) = migrate(&format!("{policy}ALTER TABLE t DROP COLUMN b;"));
        assert!(
            d[0].notes.iter().any(|n| n.contains("policy `p` on `t`")),
            "{d:#?}"
        );
        let (schema, d) = migrate(&format!("{policy}ALTER TABLE t DROP COLUMN b CASCADE;"));
        assert!(d.is_empty(), "{d:#?}");
        assert!(schema.all_policies().next().is_none());
    }

    #[test]
    fn dropping_a_table_takes_constraint_triggers_from_it_and_is_refused_under_a_policy() {
        let sql = format!(
            "CREATE TABLE r (id integer PRIMARY KEY);\n{TABLE}CREATE CONSTRAINT TRIGGER c AFTER INSERT ON t FROM r FOR EACH ROW {FUNCTION};\n"
        );
        let (schema, d) = migrate(&format!("{sql}DROP TABLE r;"));
        assert!(d.is_empty(), "{d:#?}");
        assert!(schema.all_triggers().next().is_none(), "{schema:#?}");
        let sql = format!(
            "CREATE TABLE r (id integer PRIMARY KEY);\n{TABLE}CREATE POLICY p ON t USING (a IN (SELECT id FROM public.r));\n"
        );
        refused(
            &format!("{sql}DROP TABLE r;"),
            "cannot drop table `r` because other objects depend on it",
            4,
            "DROP",
        );
        let (schema, d) = migrate(&format!("{sql}DROP TABLE r CASCADE;"));
        assert!(d.is_empty(), "{d:#?}");
        assert!(schema.all_policies().next().is_none(), "{schema:#?}");
        // A column of the policy's own table named like the table is no reference.
        let sql = "CREATE TABLE r (id integer PRIMARY KEY);\nCREATE TABLE t (r integer);\nCREATE POLICY p ON t USING (r > 0);\nDROP TABLE r;";
        let (_, d) = migrate(sql);
        assert!(d.is_empty(), "{d:#?}");
    }

    #[test]
    fn policies_postgresql_refuses_are_refused_where_they_go_wrong() {
        refused(
            &format!("{TABLE}CREATE POLICY p ON t TO current_user USING (true);"),
            "`CURRENT_USER` in a policy's roles is not supported",
            2,
            "current_user",
        );
        refused(
            &format!("{TABLE}CREATE POLICY p ON t TO alice, PUBLIC USING (true);"),
            "`PUBLIC` with other roles",
            2,
            "PUBLIC",
        );
        refused(
            &format!("{TABLE}CREATE POLICY p ON t FOR INSERT USING (true);"),
            "only WITH CHECK is allowed for INSERT",
            2,
            "USING",
        );
        refused(
            &format!("{TABLE}CREATE POLICY p ON t FOR SELECT WITH CHECK (true);"),
            "WITH CHECK cannot be applied to SELECT or DELETE",
            2,
            "WITH",
        );
        refused(
            &format!(
                "{TABLE}CREATE POLICY p ON t USING (true);\nCREATE POLICY p ON t USING (false);"
            ),
            "policy `p` on table `t` already exists",
            3,
            "p ON",
        );
        refused(
            &format!("{TABLE}ALTER POLICY nope ON t RENAME TO q;"),
            "policy `nope` on table `t` does not exist",
            2,
            "nope",
        );
        refused(
            &format!("{TABLE}DROP POLICY nope ON t;"),
            "policy `nope` on table `t` does not exist",
            2,
            "nope",
        );
    }

    #[test]
    fn renames_follow_into_triggers_and_policies_and_drops_take_them() {
        let sql = format!(
            "{TABLE}CREATE TRIGGER x BEFORE UPDATE OF b ON t FOR EACH ROW WHEN (OLD.b <> NEW.b) {FUNCTION};
ALTER TABLE t DISABLE TRIGGER x;
CREATE POLICY p ON t FOR UPDATE TO alice, bob USING (b = 'x') WITH CHECK (b <> '');
ALTER TABLE t RENAME COLUMN b TO c;
ALTER TABLE t RENAME TO u;
ALTER TRIGGER x ON u RENAME TO y;
ALTER POLICY p ON u TO PUBLIC;
"
        );
        let (schema, d) = migrate(&sql);
        assert!(d.is_empty(), "{d:#?}");
        let u = QualifiedName::public("u");
        let y = schema
            .trigger(&u, "y")
            .unwrap_or_else(|| panic!("{schema:#?}"));
        assert_eq!(y.events.update, Some(vec!["c".to_string()]));
        assert_eq!(
            y.when.as_ref().map(|w| w.sql().to_string()),
            Some("old.c <> new.c".to_string())
        );
        assert_eq!(y.state, TriggerState::Disabled);
        let p = schema
            .policy(&u, "p")
            .unwrap_or_else(|| panic!("{schema:#?}"));
        assert_eq!(p.roles, vec!["public".to_string()]);
        assert_eq!(p.command, PolicyCommand::Update);
        assert_eq!(
            p.using.as_ref().map(|e| e.sql().to_string()),
            Some("c = 'x'".to_string())
        );
        let (schema, d) = migrate(&format!("{sql}DROP TABLE u;"));
        assert!(d.is_empty(), "{d:#?}");
        assert!(schema.triggers.is_empty() && schema.policies.is_empty());
    }

    #[test]
    fn a_trigger_function_must_exist_and_return_trigger() {
        let table = "CREATE TABLE t (id integer PRIMARY KEY);\n";
        let fire = "CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();";
        // Missing, with no extension that could have created it.
        let (message, _) = error(&format!("{table}{fire}"));
        assert!(message.contains("function `f` does not exist"), "{message}");
        // There, but not a trigger function.
        let (message, _) = error(&format!(
            "{table}CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS 'SELECT 1';\n{fire}"
        ));
        assert!(message.contains("function `f` does not exist"), "{message}");
        // The schema's own, PostgreSQL's, or possibly an extension's.
        for ok in [
            format!(
                "{table}CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n{fire}"
            ),
            format!(
                "{table}CREATE TRIGGER x BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();"
            ),
            format!("CREATE EXTENSION moddatetime;\n{table}{fire}"),
        ] {
            let (_, d) = migrate(&ok);
            assert!(d.is_empty(), "{ok}\n{d:#?}");
        }
    }

    #[test]
    fn a_trigger_and_a_policy_read_their_table_function_columns_and_what_they_name() {
        let sql = format!(
            "CREATE TABLE r (id integer PRIMARY KEY, owner text);\n{TABLE}CREATE FUNCTION app_check() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\nCREATE CONSTRAINT TRIGGER c AFTER UPDATE OF b ON t FROM r FOR EACH ROW WHEN (NEW.a > 0) EXECUTE FUNCTION app_check();\nCREATE POLICY p ON t USING (b IN (SELECT owner FROM r) AND is_ok(a));"
        );
        let (schema, d) = migrate(&sql);
        assert!(d.is_empty(), "{d:#?}");
        let (t, r) = (QualifiedName::public("t"), QualifiedName::public("r"));
        let trigger = schema
            .trigger(&t, "c")
            .unwrap_or_else(|| panic!("{schema:#?}"));
        let reads = trigger.reads(&schema);
        assert!(
            reads.relations.contains(&t) && reads.relations.contains(&r),
            "{reads:?}"
        );
        assert!(
            reads
                .functions
                .contains(&QualifiedName::public("app_check")),
            "{reads:?}"
        );
        assert!(
            reads.columns.contains(&(t.clone(), "a".to_string())),
            "{reads:?}"
        );
        assert!(
            reads.columns.contains(&(t.clone(), "b".to_string())),
            "{reads:?}"
        );
        let policy = schema
            .policy(&t, "p")
            .unwrap_or_else(|| panic!("{schema:#?}"));
        let reads = policy.reads(&schema);
        assert!(
            reads.relations.contains(&t) && reads.relations.contains(&r),
            "{reads:?}"
        );
        assert!(
            reads.functions.contains(&QualifiedName::public("is_ok")),
            "{reads:?}"
        );
        assert!(
            reads.columns.contains(&(r.clone(), "owner".to_string())),
            "{reads:?}"
        );
        assert!(reads.columns.contains(&(t, "a".to_string())), "{reads:?}");
    }

    #[test]
    fn the_reader_of_user_text_reads_pg_get_triggerdef_back() {
        let text = "CREATE CONSTRAINT TRIGGER c AFTER INSERT OR UPDATE OF a, b ON public.t FROM public.r DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ((new.a > 0)) EXECUTE FUNCTION app.f('7', 'x y')";
        let t = crate::parse::triggers::read_trigger_definition(text)
            .and_then(|ct| ct.to_model(crate::diagnostic::Origin::synthetic("t")))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.function, QualifiedName::new("app", "f"));
        assert_eq!(t.arguments, ["7", "x y"]);
        assert!(t.events.insert && !t.events.delete);
        assert_eq!(t.events.update, Some(vec!["a".into(), "b".into()]));
        let c = t.constraint.unwrap_or_default();
        assert!(c.deferrable && c.initially_deferred);
        assert_eq!(c.from, Some(QualifiedName::public("r")));
        assert!(crate::parse::triggers::read_trigger_definition(&format!("{text} extra")).is_err());
    }
}
