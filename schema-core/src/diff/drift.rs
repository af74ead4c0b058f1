//! Drift between the migrated and the declared schema, as located diagnostics:
//! each difference points at the declaration in schema.sql, or at the migration
//! that created what schema.sql lacks.

use crate::diagnostic::{Diagnostic, codes};
use crate::diff::{Change, column_differences};
use crate::lint;
use crate::model::{QualifiedName, Schema};

/// Every difference between `migrated` and `declared`, located.
pub fn drift(migrated: &Schema, declared: &Schema) -> Vec<Diagnostic> {
    let changes = super::compare(migrated, declared);
    // Sequences owned by a column that is itself missing on one side are part of
    // that column's (or table's) report.
    let owner_reported = |s: &crate::model::Sequence| {
        s.owned_by.as_ref().is_some_and(|(t, c)| {
            changes.iter().any(|ch| match ch {
                Change::CreateTable(x) | Change::DropTable(x) => x.name == *t,
                Change::AddColumn { table, column } | Change::DropColumn { table, column } => {
                    table == t && column.name == *c
                }
                _ => false,
            })
        })
    };
    let created: Vec<&crate::model::QualifiedName> = changes
        .iter()
        .filter_map(|c| match c {
            Change::CreateTable(t) => Some(&t.name),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for change in &changes {
        // A table no migration creates is one report, not one per index and key.
        if let Change::AddConstraint { table, .. }
        | Change::CreateIndex { table, .. }
        | Change::SetTableFlags { table, .. }
        | Change::SetTableOptions { table, .. } = change
        {
            if created.contains(&table) {
                continue;
            }
        }
        let d = match change {
            // `unmigrated_object` is a lint: `lint` words it (and honours its allows).
            Change::CreateTable(_)
            | Change::CreateEnum(_)
            | Change::CreateDomain(_)
            | Change::CreateComposite(_)
            | Change::CreateFunction { .. }
            | Change::CreateExtension(_) => {
                let Some(d) = lint::unmigrated_object(change, declared) else { continue };
                d
            }
            Change::CreateOther(_) => {
                let Some(d) = lint::unmigrated_object(change, declared) else { continue };
                d
            }
            Change::DropOther(o) => Diagnostic::error(
                codes::DRIFT,
                format!("{} is created by the migrations but not declared in schema.sql", o.identity),
            )
            .at(&o.origin)
            .label("created here")
            .help(format!("declare the {} in schema.sql, or drop it in a new migration", o.identity.kind.describe())),
            Change::RecreateOther { from, to } => Diagnostic::error(
                codes::DRIFT,
                format!(
                    "{} differs between schema.sql and the migrations: {}",
                    to.identity,
                    super::others::differences(from, to).join(", ")
                ),
            )
            .at(&to.origin)
            .related(&from.origin, "created by this migration")
            .help("add a migration that drops it and creates it as schema.sql declares it, or make schema.sql match"),
            Change::SetOtherComment { object, .. } => Diagnostic::error(
                codes::DRIFT,
                format!("the comment of {} differs between schema.sql and the migrations", object.identity),
            )
            .at(&object.origin)
            .help(format!("add a migration with `COMMENT ON {} {} IS ...`, or make schema.sql match", object.identity.kind.keyword(), object.identity.sql())),
            Change::CreateView(v) => {
                // A view created again (its definition differs) is reported
                // with its drop.
                if migrated.views.contains_key(&v.name) {
                    continue;
                }
                let Some(d) = lint::unmigrated_object(change, declared) else { continue };
                d
            }
            Change::DropView(v) => match declared.views.get(&v.name) {
                None => Diagnostic::error(
                    codes::DRIFT,
                    format!("{} `{}` is created by the migrations but not declared in schema.sql", v.describe(), v.name),
                )
                .at(&v.origin)
                .label("created here")
                .help(format!("declare the {} in schema.sql, or drop it in a new migration", v.describe())),
                Some(to) => Diagnostic::error(
                    codes::DRIFT,
                    format!(
                        "{} `{}` differs between schema.sql and the migrations: {}",
                        to.describe(),
                        to.name,
                        super::views::view_differences(v, to).join(", ")
                    ),
                )
                .at(&to.origin)
                .related(&v.origin, "created by this migration")
                .help("add a migration that drops and creates it as schema.sql declares it, or make schema.sql match"),
            },
            Change::ReplaceView { from, to } | Change::AlterView { from, to } => Diagnostic::error(
                codes::DRIFT,
                format!(
                    "{} `{}` differs between schema.sql and the migrations: {}",
                    to.describe(),
                    to.name,
                    super::views::view_differences(from, to).join(", ")
                ),
            )
            .at(&to.origin)
            .related(&from.origin, "created by this migration")
            .help("add a migration that makes the change (`CREATE OR REPLACE VIEW`, `ALTER VIEW`, ...), or make schema.sql match"),
            Change::CreateSequence(s) => {
                if owner_reported(s) {
                    continue;
                }
                let Some(d) = lint::unmigrated_object(change, declared) else { continue };
                d
            }
            Change::DropFunction { .. }
            | Change::ReplaceFunction { .. }
            | Change::RecreateFunction { .. }
            | Change::SetFunctionComment { .. } => {
                let Some(d) = super::functions::drift(change, &changes) else { continue };
                d
            }
            Change::DropTable(t) => Diagnostic::error(
                codes::DRIFT,
                format!("table `{}` is created by the migrations but not declared in schema.sql", t.name),
            )
            .at(&t.origin)
            .label("created here")
            .help("declare the table in schema.sql, or drop it in a new migration"),
            Change::DropEnum(e) => Diagnostic::error(
                codes::DRIFT,
                format!("enum type `{}` is created by the migrations but not declared in schema.sql", e.name),
            )
            .at(&e.origin)
            .help("declare the type in schema.sql, or drop it in a new migration"),
            Change::DropDomain(d) => Diagnostic::error(
                codes::DRIFT,
                format!("domain `{}` is created by the migrations but not declared in schema.sql", d.name),
            )
            .at(&d.origin)
            .help("declare the domain in schema.sql, or drop it in a new migration"),
            Change::ReplaceDomain { from, to } => Diagnostic::error(
                codes::DRIFT,
                format!(
                    "domain `{}` is based on `{}` in schema.sql but on `{}` in the migrations",
                    to.name,
                    to.base,
                    from.base
                ),
            )
            .at(&to.origin)
            .related(&from.origin, "created by this migration")
            .help("PostgreSQL cannot change a domain's type or collation: make them agree, or drop and create the domain in a new migration"),
            Change::AlterDomain { from, to } => Diagnostic::error(
                codes::DRIFT,
                format!(
                    "domain `{}` differs between schema.sql and the migrations: {}",
                    to.name,
                    super::domain_differences(from, to).join(", ")
                ),
            )
            .at(&to.origin)
            .related(&from.origin, "created by this migration")
            .help("add a migration with the `ALTER DOMAIN` statements, or make schema.sql match"),
            Change::DropComposite(c) => Diagnostic::error(
                codes::DRIFT,
                format!("composite type `{}` is created by the migrations but not declared in schema.sql", c.name),
            )
            .at(&c.origin)
            .help("declare the type in schema.sql, or drop it in a new migration"),
            Change::AlterComposite { from, to } | Change::ReplaceComposite { from, to } => Diagnostic::error(
                codes::DRIFT,
                format!(
                    "composite type `{}` differs between schema.sql and the migrations: {}",
                    to.name,
                    super::attribute_differences(from, to).join(", ")
                ),
            )
            .at(&to.origin)
            .related(&from.origin, "created by this migration")
            .help("add a migration with the `ALTER TYPE` statements, or make schema.sql match"),
            Change::CreateTrigger(t) => Diagnostic::error(
                codes::DRIFT,
                format!("trigger `{}` on `{}` is declared in schema.sql but no migration creates it", t.name, t.table),
            )
            .at(&t.origin)
            .help("add a migration that creates it (`schema new` writes one)"),
            Change::DropTrigger(t) => Diagnostic::error(
                codes::DRIFT,
                format!("trigger `{}` on `{}` is created by the migrations but not declared in schema.sql", t.name, t.table),
            )
            .at(&t.origin)
            .help("declare the trigger in schema.sql, or drop it in a new migration"),
            Change::ReplaceTrigger { from, to } | Change::AlterTrigger { from, to } => Diagnostic::error(
                codes::DRIFT,
                format!(
                    "trigger `{}` on `{}` differs between schema.sql and the migrations: {}",
                    to.name,
                    to.table,
                    super::triggers::trigger_differences(from, to).join(", ")
                ),
            )
            .at(&to.origin)
            .related(&from.origin, "created by this migration")
            .help("add a migration that changes it, or make schema.sql match"),
            Change::CreatePolicy(p) => Diagnostic::error(
                codes::DRIFT,
                format!("policy `{}` on `{}` is declared in schema.sql but no migration creates it", p.name, p.table),
            )
            .at(&p.origin)
            .help("add a migration that creates it (`schema new` writes one)"),
            Change::DropPolicy(p) => Diagnostic::error(
                codes::DRIFT,
                format!("policy `{}` on `{}` is created by the migrations but not declared in schema.sql", p.name, p.table),
            )
            .at(&p.origin)
            .help("declare the policy in schema.sql, or drop it in a new migration"),
            Change::AlterPolicy { from, to } => Diagnostic::error(
                codes::DRIFT,
                format!(
                    "policy `{}` on `{}` differs between schema.sql and the migrations: {}",
                    to.name,
                    to.table,
                    super::triggers::policy_differences(from, to).join(", ")
                ),
            )
            .at(&to.origin)
            .related(&from.origin, "created by this migration")
            .help("add a migration with `ALTER POLICY`, or make schema.sql match"),
            Change::DropSequence(s) => {
                if owner_reported(s) {
                    continue;
                }
                Diagnostic::error(
                    codes::DRIFT,
                    format!("sequence `{}` is created by the migrations but not declared in schema.sql", s.name),
                )
                .at(&s.origin)
                .help("declare the sequence in schema.sql, or drop it in a new migration")
            }
            Change::AddEnumValue { name, value, .. } => {
                let Some(to) = declared.enums.get(name) else { continue };
                let from_values = migrated.enums.get(name).map(|e| e.values.join(", ")).unwrap_or_default();
                Diagnostic::error(
                    codes::DRIFT,
                    format!("enum type `{name}` declares label '{value}' but no migration adds it"),
                )
                .at(&to.origin)
                .note(format!("schema.sql: ({})", to.values.join(", ")))
                .note(format!("migrations: ({from_values})"))
                .help(format!("add a migration with `ALTER TYPE {name} ADD VALUE '{value}'`"))
            }
            Change::RenameTable { .. }
            | Change::RenameColumn { .. }
            | Change::RenameType { .. }
            | Change::RenameView { .. } => continue,
            // Part of a function's recreation, which is reported on its own.
            Change::DropColumnDefault { .. } | Change::SetColumnDefault { .. } => continue,
            // A schema another change puts objects in or takes them out of is
            // part of that change's report; one created by name alone is not.
            Change::CreateSchema(n) => {
                if changes.iter().any(|c| touches_namespace(c, n)) {
                    continue;
                }
                let Some(d) = lint::unmigrated_object(change, declared) else { continue };
                d
            }
            Change::DropSchema(n) => {
                let Some(ns) = migrated.namespaces.get(&QualifiedName::global(n)) else {
                    continue;
                };
                if changes.iter().any(|c| touches_namespace(c, n)) {
                    continue;
                }
                Diagnostic::error(
                    codes::DRIFT,
                    format!("schema `{n}` is created by the migrations but not declared in schema.sql"),
                )
                .at(&ns.origin)
                .label("created here")
                .help("declare it in schema.sql (`CREATE SCHEMA ...`), or drop it in a new migration")
            }
            Change::DropExtension(e) => Diagnostic::error(
                codes::DRIFT,
                format!("extension `{}` is created by the migrations but not declared in schema.sql", e.name),
            )
            .at(&e.origin)
            .label("created here")
            .help("declare it in schema.sql (`CREATE EXTENSION ...`), or drop it in a new migration"),
            Change::ReplaceExtension { from, to } => Diagnostic::error(
                codes::DRIFT,
                format!("extension `{}` differs between schema.sql and the migrations: {change}", to.name),
            )
            .at(&to.origin)
            .label("declared here")
            .note(format!("the migrations create it at {}", from.origin))
            .help("state the same SCHEMA and VERSION in both, or recreate it in a new migration"),
            Change::RenameSequence { from, to } => Diagnostic::error(
                codes::DRIFT,
                format!("sequence `{to}` is called `{from}` after the migrations"),
            )
            .at(&declared.sequences.get(to).map_or_else(|| crate::diagnostic::Origin::synthetic("schema.sql"), |s| s.origin.clone()))
            .help(format!("add a migration with `ALTER SEQUENCE {from} RENAME TO {}`", to.name)),
            Change::RenameConstraint { table, from, to } => Diagnostic::error(
                codes::DRIFT,
                format!("constraint `{to}` on `{table}` is called `{from}` after the migrations"),
            )
            .at(&declared.tables.get(table).and_then(|t| t.constraints.get(to)).map_or_else(|| crate::diagnostic::Origin::synthetic("schema.sql"), |c| c.origin.clone()))
            .help(format!("add a migration with `ALTER TABLE {table} RENAME CONSTRAINT {from} TO {to}`, or name it `{from}` in schema.sql")),
            Change::RenameIndex { table, from, to } => Diagnostic::error(
                codes::DRIFT,
                format!("index `{to}` on `{table}` is called `{from}` after the migrations"),
            )
            .at(&declared.tables.get(table).and_then(|t| t.indexes.get(to)).map_or_else(|| crate::diagnostic::Origin::synthetic("schema.sql"), |i| i.origin.clone()))
            .help(format!("add a migration with `ALTER INDEX {from} RENAME TO {to}`, or name it `{from}` in schema.sql")),
            Change::RecreateEnum { from, to } => Diagnostic::error(
                codes::DRIFT,
                format!("enum type `{}` has different labels in schema.sql and in the migrations", to.name),
            )
            .at(&to.origin)
            .related(&from.origin, "created by this migration")
            .note(format!("schema.sql: ({})", to.values.join(", ")))
            .note(format!("migrations: ({})", from.values.join(", ")))
            .help("add a migration with `ALTER TYPE ... ADD VALUE` / `RENAME VALUE`, or fix schema.sql"),
            Change::AlterSequence { from, to } => {
                let mut d = Diagnostic::error(
                    codes::DRIFT,
                    format!("sequence `{}` differs between schema.sql and the migrations", to.name),
                )
                .at(&to.origin)
                .related(&from.origin, "created by this migration");
                let owner = |s: &crate::model::Sequence| {
                    s.owned_by
                        .as_ref()
                        .map_or_else(|| "NONE".to_string(), |(t, c)| format!("{t}.{c}"))
                };
                if from.owned_by != to.owned_by {
                    d = d.note(format!("OWNED BY: {} in the migrations, {} in schema.sql", owner(from), owner(to)));
                }
                for difference in from.options.differences(&to.options) {
                    d = d.note(format!("migrations → schema.sql: {difference}"));
                }
                d.help("add a migration with `ALTER SEQUENCE ...` (`schema new` writes it), or fix schema.sql")
            }
            Change::AddColumn { table, column } => Diagnostic::error(
                codes::DRIFT,
                format!(
                    "column `{table}.{}` is declared at {} but no migration adds it",
                    column.name, column.origin
                ),
            )
            .at(&column.origin)
            .label("declared here")
            .help(format!(
                "add `ALTER TABLE {table} ADD COLUMN {} {} ...;` in a new migration",
                column.name, column.data_type
            )),
            Change::DropColumn { table, column } => Diagnostic::error(
                codes::DRIFT,
                format!(
                    "column `{table}.{}` exists after the migrations but is not declared in schema.sql",
                    column.name
                ),
            )
            .at(&column.origin)
            .label("added here")
            .help(format!(
                "declare the column in table `{table}` in schema.sql, or drop it in a new migration"
            )),
            Change::AlterColumn { table, from, to } => Diagnostic::error(
                codes::DRIFT,
                format!(
                    "column `{table}.{}` differs between schema.sql and the migrations: {}",
                    to.name,
                    column_differences(from, to).join(", ")
                ),
            )
            .at(&to.origin)
            .label("declared here")
            .related(&from.origin, "as the migrations leave it")
            .note("read each change as migrations → schema.sql")
            .help("add a migration with `ALTER TABLE ... ALTER COLUMN ...`, or fix schema.sql to match"),
            Change::AddConstraint { table, constraint } => Diagnostic::error(
                codes::DRIFT,
                format!(
                    "{} `{}` on `{table}` is declared at {} but no migration creates it",
                    constraint.kind.describe(),
                    constraint.name,
                    constraint.origin
                ),
            )
            .at(&constraint.origin)
            .label("declared here")
            .help(format!(
                "add `ALTER TABLE {table} ADD CONSTRAINT {} ...;` in a new migration",
                constraint.name
            )),
            Change::DropConstraint { table, constraint } => Diagnostic::error(
                codes::DRIFT,
                format!(
                    "{} `{}` on `{table}` is created by the migrations but not declared in schema.sql",
                    constraint.kind.describe(),
                    constraint.name
                ),
            )
            .at(&constraint.origin)
            .label("created here")
            .help("declare it in schema.sql (implicit names follow PostgreSQL: `t_pkey`, `t_col_key`, `t_col_fkey`), or drop it in a new migration"),
            Change::CreateIndex { table, index } => Diagnostic::error(
                codes::DRIFT,
                format!(
                    "index `{}` on `{table}` is declared at {} but no migration creates it",
                    index.name, index.origin
                ),
            )
            .at(&index.origin)
            .label("declared here")
            .help("add the `CREATE INDEX` in a new migration"),
            Change::DropIndex { table, index } => Diagnostic::error(
                codes::DRIFT,
                format!(
                    "index `{}` on `{table}` is created by the migrations but not declared in schema.sql",
                    index.name
                ),
            )
            .at(&index.origin)
            .label("created here")
            .help("declare the index in schema.sql, or drop it in a new migration"),
            Change::SetTableComment { table, .. } => {
                let origin = declared
                    .tables
                    .get(table)
                    .map(|t| t.origin.clone());
                Diagnostic::error(
                    codes::DRIFT,
                    format!("the comment on table `{table}` differs between schema.sql and the migrations"),
                )
                .help("add a migration with `COMMENT ON TABLE ...`, or fix schema.sql")
                .maybe_at(origin.as_ref())
            }
            Change::SetIndexOptions {
                table,
                index,
                from,
                to,
            } => {
                let origin = declared
                    .tables
                    .get(table)
                    .and_then(|t| t.indexes.get(index))
                    .map(|i| i.origin.clone());
                Diagnostic::error(
                    codes::DRIFT,
                    format!(
                        "index `{index}` on `{table}` differs between schema.sql and the migrations: storage parameters ({}) in schema.sql, ({}) after the migrations",
                        to.to_sql(),
                        from.to_sql()
                    ),
                )
                .help("add a migration with the `ALTER INDEX ... SET (...)` / `RESET (...)` that does it, or fix schema.sql")
                .maybe_at(origin.as_ref())
            }
            Change::SetTableOptions { table, from, to } => {
                let origin = declared.tables.get(table).map(|t| t.origin.clone());
                Diagnostic::error(
                    codes::DRIFT,
                    format!(
                        "table `{table}` differs between schema.sql and the migrations: storage parameters ({}) in schema.sql, ({}) after the migrations",
                        to.to_sql(),
                        from.to_sql()
                    ),
                )
                .help("add a migration with the `ALTER TABLE ... SET (...)` / `RESET (...)` that does it, or fix schema.sql")
                .maybe_at(origin.as_ref())
            }
            Change::SetPartitionBound { table, from, to } => {
                let origin = declared.tables.get(table).map(|t| t.origin.clone());
                Diagnostic::error(
                    codes::DRIFT,
                    format!(
                        "partition `{table}` of `{}` differs between schema.sql and the migrations: `{}` there, `{}` in schema.sql",
                        to.parent, from.bound, to.bound
                    ),
                )
                .help("add a migration that detaches the partition and attaches it with the new bound, or fix schema.sql")
                .maybe_at(origin.as_ref())
            }
            Change::ValidateConstraint { table, constraint } => {
                let origin = declared
                    .tables
                    .get(table)
                    .and_then(|t| t.constraints.get(constraint))
                    .map(|c| c.origin.clone());
                Diagnostic::error(
                    codes::DRIFT,
                    format!("constraint `{constraint}` of table `{table}` is valid in schema.sql but `NOT VALID` after the migrations"),
                )
                .help("add a migration with `ALTER TABLE ... VALIDATE CONSTRAINT ...`, or add it `NOT VALID` in schema.sql")
                .maybe_at(origin.as_ref())
            }
            Change::SetConstraintComment {
                table, constraint, ..
            } => {
                let origin = declared
                    .tables
                    .get(table)
                    .and_then(|t| t.constraints.get(constraint))
                    .map(|c| c.origin.clone());
                Diagnostic::error(
                    codes::DRIFT,
                    format!("the comment on constraint `{constraint}` of table `{table}` differs between schema.sql and the migrations"),
                )
                .help("add a migration with `COMMENT ON CONSTRAINT ... ON ...`, or fix schema.sql")
                .maybe_at(origin.as_ref())
            }
            Change::SetIndexComment { table, index, .. } => {
                let origin = declared
                    .tables
                    .get(table)
                    .and_then(|t| t.indexes.get(index))
                    .map(|i| i.origin.clone());
                Diagnostic::error(
                    codes::DRIFT,
                    format!("the comment on index `{index}` of table `{table}` differs between schema.sql and the migrations"),
                )
                .help("add a migration with `COMMENT ON INDEX ...`, or fix schema.sql")
                .maybe_at(origin.as_ref())
            }
            Change::SetSequenceComment { name, .. } => {
                if changes.iter().any(|c| matches!(c, Change::CreateSequence(s) if s.name == *name)) {
                    continue;
                }
                let origin = declared.sequences.get(name).map(|s| s.origin.clone());
                Diagnostic::error(
                    codes::DRIFT,
                    format!("the comment on sequence `{name}` differs between schema.sql and the migrations"),
                )
                .help("add a migration with `COMMENT ON SEQUENCE ...`, or fix schema.sql")
                .maybe_at(origin.as_ref())
            }
            Change::SetTypeComment { name, .. } => {
                let created = changes.iter().any(|c| match c {
                    Change::CreateEnum(e) | Change::RecreateEnum { to: e, .. } => e.name == *name,
                    Change::CreateComposite(t) | Change::ReplaceComposite { to: t, .. } => t.name == *name,
                    _ => false,
                });
                if created {
                    continue;
                }
                let origin = declared
                    .enums
                    .get(name)
                    .map(|e| e.origin.clone())
                    .or_else(|| declared.composites.get(name).map(|c| c.origin.clone()));
                Diagnostic::error(
                    codes::DRIFT,
                    format!("the comment on type `{name}` differs between schema.sql and the migrations"),
                )
                .help("add a migration with `COMMENT ON TYPE ...`, or fix schema.sql")
                .maybe_at(origin.as_ref())
            }
            Change::SetSchemaComment { name, from, to } => {
                if changes.iter().any(|c| matches!(c, Change::CreateSchema(n) if n == name)) {
                    continue;
                }
                let origin = declared
                    .namespaces
                    .get(&QualifiedName::global(name))
                    .or_else(|| migrated.namespaces.get(&QualifiedName::global(name)))
                    .map(|n| n.origin.clone());
                let show = |c: &Option<String>| c.as_deref().map_or_else(|| "none".to_string(), |c| format!("'{c}'"));
                Diagnostic::error(
                    codes::DRIFT,
                    format!("the comment on schema `{name}` differs between schema.sql and the migrations"),
                )
                .note(format!("migrations: {}; schema.sql: {}", show(from), show(to)))
                .help("add a migration with `COMMENT ON SCHEMA ...`, or fix schema.sql")
                .maybe_at(origin.as_ref())
            }
            Change::SetExtensionComment { name, .. } => {
                let created = changes.iter().any(|c| {
                    matches!(c, Change::CreateExtension(e) | Change::ReplaceExtension { to: e, .. } if e.name == *name)
                });
                if created {
                    continue;
                }
                let origin = declared
                    .extensions
                    .get(&QualifiedName::global(name))
                    .map(|e| e.origin.clone());
                Diagnostic::error(
                    codes::DRIFT,
                    format!("the comment on extension `{name}` differs between schema.sql and the migrations"),
                )
                .help("add a migration with `COMMENT ON EXTENSION ...`, or fix schema.sql")
                .maybe_at(origin.as_ref())
            }
            Change::Grant { kind, object, .. }
            | Change::Revoke { kind, object, .. }
            | Change::SetOwner { kind, object, .. } => {
                use crate::model::privileges::AclKind;
                let origin = match kind {
                    AclKind::Table => declared.tables.get(object).map(|t| t.origin.clone()),
                    AclKind::Sequence => declared.sequences.get(object).map(|s| s.origin.clone()),
                    AclKind::Schema => declared.namespaces.get(object).map(|n| n.origin.clone()),
                    AclKind::Function | AclKind::Procedure => {
                        declared.functions.get(object).map(|f| f.origin.clone())
                    }
                    AclKind::Type => declared
                        .enums
                        .get(object)
                        .map(|e| e.origin.clone())
                        .or_else(|| declared.domains.get(object).map(|d| d.origin.clone()))
                        .or_else(|| declared.composites.get(object).map(|c| c.origin.clone())),
                };
                Diagnostic::error(
                    codes::DRIFT,
                    format!(
                        "the privileges of {} `{}` differ between schema.sql and the migrations: schema.sql would {change}",
                        kind.keyword().to_ascii_lowercase(),
                        super::privilege_object(*kind, object),
                    ),
                )
                .help("add a migration with the `GRANT`, `REVOKE` or `OWNER TO` that does it, or fix schema.sql")
                .maybe_at(origin.as_ref())
            }
            Change::DefaultPrivileges { .. } => Diagnostic::error(
                codes::DRIFT,
                format!("the default privileges differ between schema.sql and the migrations: schema.sql would {change}"),
            )
            .help("add a migration with the `ALTER DEFAULT PRIVILEGES` that does it, or fix schema.sql"),
            Change::SetTableFlags { table, from, to } => {
                let origin = declared.tables.get(table).map(|t| t.origin.clone());
                Diagnostic::error(
                    codes::DRIFT,
                    format!(
                        "table `{table}` differs between schema.sql and the migrations: schema.sql would {}",
                        to.differences(from).join(", ")
                    ),
                )
                .help("add a migration with the `ALTER TABLE ...` that does it, or fix schema.sql")
                .maybe_at(origin.as_ref())
            }
        };
        out.push(d);
    }
    out
}

/// True when `change` creates, drops or renames an object in schema `n` (so
/// a report about the object covers the schema).
fn touches_namespace(change: &Change, n: &str) -> bool {
    let name = match change {
        Change::CreateTable(t) | Change::DropTable(t) => &t.name,
        Change::CreateEnum(e) | Change::DropEnum(e) => &e.name,
        Change::CreateDomain(d) | Change::DropDomain(d) => &d.name,
        Change::CreateComposite(c) | Change::DropComposite(c) => &c.name,
        Change::CreateSequence(s) | Change::DropSequence(s) => &s.name,
        Change::CreateFunction { function: f, .. } | Change::DropFunction { function: f, .. } => {
            &f.name
        }
        Change::CreateView(v) | Change::DropView(v) => &v.name,
        Change::CreateOther(o) | Change::DropOther(o) => return o.key().schema == n,
        Change::RenameTable { to, .. } => to,
        Change::CreateExtension(e) | Change::DropExtension(e) => {
            return e.schema.as_deref() == Some(n);
        }
        _ => return false,
    };
    name.schema == n
}
