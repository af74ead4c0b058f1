//! Differences between two schemas as a list of [`Change`]s: what would turn
//! `from` into `to`. Drift reports and the down-undoes-up check are built on it.
//!
//! Column order is not compared (PostgreSQL cannot reorder columns in place);
//! constraints and indexes compare by name; a constraint or index whose
//! definition changed is a drop plus an add.

mod dependents;
pub mod drift;
pub mod functions;
mod others;
mod privileges;
mod views;
pub(crate) use dependents::calls_any;
pub use views::view_order;
mod triggers;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::model::StorageParameters;

use crate::model::{
    Column, CompositeType, Constraint, Domain, EnumType, Extension, ExtensionComment, Index,
    QualifiedName, Schema, Sequence, SqlType, Table, View,
};

/// One step from one schema to another.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(
    clippy::large_enum_variant,
    reason = "a migration holds a handful of changes; `AlterColumn` carries two whole columns by design"
)]
pub enum Change {
    /// An enum type only `to` has.
    CreateEnum(EnumType),
    /// An enum type only `from` has.
    DropEnum(EnumType),
    /// A label added to an enum type (`ALTER TYPE ... ADD VALUE`).
    AddEnumValue {
        /// The type.
        name: QualifiedName,
        /// The new label.
        value: String,
        /// The existing label it goes before; `None` appends it.
        before: Option<String>,
    },
    /// An enum type whose labels were removed or reordered: PostgreSQL has no
    /// `DROP VALUE`, so the type is recreated and its columns converted.
    RecreateEnum {
        /// Before.
        from: EnumType,
        /// After.
        to: EnumType,
    },
    /// A view or materialized view only `to` has (or one created again),
    /// with its indexes and comments.
    CreateView(View),
    /// A view or materialized view only `from` has (or one dropped to be
    /// created again).
    DropView(View),
    /// A plain view whose query changes in a way `CREATE OR REPLACE VIEW`
    /// makes (its old columns first in the new ones).
    ReplaceView {
        /// Before.
        from: View,
        /// After.
        to: View,
    },
    /// A view whose definition is the same and whose options, indexes,
    /// comments or `WITH [NO] DATA` differ.
    AlterView {
        /// Before.
        from: View,
        /// After.
        to: View,
    },
    /// A domain only `to` has.
    CreateDomain(Domain),
    /// A domain only `from` has.
    DropDomain(Domain),
    /// A domain whose base type or collation differs: PostgreSQL cannot
    /// change them, so it is dropped and created again (which PostgreSQL
    /// refuses while columns use it).
    ReplaceDomain {
        /// Before.
        from: Domain,
        /// After.
        to: Domain,
    },
    /// A domain whose default, `NOT NULL`, checks or comment differ
    /// (`ALTER DOMAIN`, `COMMENT ON DOMAIN`).
    AlterDomain {
        /// Before.
        from: Domain,
        /// After.
        to: Domain,
    },
    /// A composite type only `to` has.
    CreateComposite(CompositeType),
    /// A composite type only `from` has.
    DropComposite(CompositeType),
    /// A composite type whose attributes differ in a way `ALTER TYPE` can
    /// make: attributes dropped, added at the end, or given another type.
    AlterComposite {
        /// Before.
        from: CompositeType,
        /// After.
        to: CompositeType,
    },
    /// A composite type whose attributes are reordered: dropped and created
    /// again (which PostgreSQL refuses while columns use it).
    ReplaceComposite {
        /// Before.
        from: CompositeType,
        /// After.
        to: CompositeType,
    },
    /// A schema (namespace) only `to` creates or uses.
    CreateSchema(String),
    /// A schema (namespace) only `from` creates or uses.
    DropSchema(String),
    /// An extension only `to` has.
    CreateExtension(Extension),
    /// An extension only `from` has.
    DropExtension(Extension),
    /// An extension whose stated schema or version differs: dropped and
    /// created again (sqlparser cannot read `ALTER EXTENSION`, so a migration
    /// could not be replayed).
    ReplaceExtension {
        /// Before.
        from: Extension,
        /// After.
        to: Extension,
    },
    /// A sequence only `to` has.
    CreateSequence(Sequence),
    /// A sequence renamed with the column that owns it (a `serial` column of a
    /// renamed table): renaming keeps its current value.
    RenameSequence {
        /// Old name.
        from: QualifiedName,
        /// New name.
        to: QualifiedName,
    },
    /// A sequence only `from` has.
    DropSequence(Sequence),
    /// A sequence whose owner or options (`AS`, `INCREMENT`, ...) differ.
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
    /// A table renamed (from a `-- schema: renamed from` hint).
    RenameTable {
        /// Old name.
        from: QualifiedName,
        /// New name.
        to: QualifiedName,
    },
    /// A view or materialized view renamed (from a `-- schema: renamed
    /// from` hint): `ALTER [MATERIALIZED] VIEW ... RENAME TO`. Its query,
    /// options, indexes, comments and grants go with it; another change
    /// after it redefines it if the declared one differs.
    RenameView {
        /// The view as it is before.
        from: View,
        /// Its new name (same schema).
        to: QualifiedName,
    },
    /// An enum type, domain or composite type renamed (from a `-- schema:
    /// renamed from` hint): `ALTER TYPE`/`ALTER DOMAIN ... RENAME TO`, which
    /// its columns, arrays and the types built on it follow.
    RenameType {
        /// Which kind of type.
        kind: crate::model::TypeKind,
        /// Old name.
        from: QualifiedName,
        /// New name (in the same schema).
        to: QualifiedName,
    },
    /// A constraint whose definition is unchanged but whose name differs (for
    /// example the implicit `t_pkey` after the table was renamed).
    RenameConstraint {
        /// Its table (new name).
        table: QualifiedName,
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// An index whose definition is unchanged but whose name differs.
    RenameIndex {
        /// Its table (new name).
        table: QualifiedName,
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// A column renamed (from a `-- schema: renamed from` hint).
    RenameColumn {
        /// Its table (new name).
        table: QualifiedName,
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
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
    /// A column default taken off before a function it calls is dropped and
    /// created again (PostgreSQL refuses to drop a function a default calls):
    /// `ALTER TABLE ... ALTER COLUMN ... DROP DEFAULT`, early, under `from`'s
    /// names. [`Change::SetColumnDefault`] puts it back after.
    DropColumnDefault {
        /// Its table.
        table: QualifiedName,
        /// The column, with the default it loses.
        column: Column,
    },
    /// The default of a column set again once the functions it calls are
    /// created again: `ALTER TABLE ... ALTER COLUMN ... SET DEFAULT`, late,
    /// under `to`'s names.
    SetColumnDefault {
        /// Its table.
        table: QualifiedName,
        /// The column, with its default.
        column: Column,
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
    /// A check or foreign key added `NOT VALID` that is now validated:
    /// `ALTER TABLE ... VALIDATE CONSTRAINT`. (The way back, valid to not
    /// valid, is a drop and an add: PostgreSQL cannot un-validate.)
    ValidateConstraint {
        /// Its table.
        table: QualifiedName,
        /// The constraint's name.
        constraint: String,
    },
    /// A constraint's comment that differs (also the comment of a new one).
    SetConstraintComment {
        /// Its table.
        table: QualifiedName,
        /// The constraint's name.
        constraint: String,
        /// Before.
        from: Option<String>,
        /// After.
        to: Option<String>,
    },
    /// An index's comment that differs (also the comment of a new one).
    SetIndexComment {
        /// Its table.
        table: QualifiedName,
        /// The index's name.
        index: String,
        /// Before.
        from: Option<String>,
        /// After.
        to: Option<String>,
    },
    /// A sequence's comment that differs (also the comment of a new one).
    SetSequenceComment {
        /// The sequence.
        name: QualifiedName,
        /// Before.
        from: Option<String>,
        /// After.
        to: Option<String>,
    },
    /// The comment of an enum or composite type that differs (also the
    /// comment of a new or recreated one). A domain's is part of
    /// [`Change::AlterDomain`].
    SetTypeComment {
        /// The type.
        name: QualifiedName,
        /// Before.
        from: Option<String>,
        /// After.
        to: Option<String>,
    },
    /// A schema's comment that differs (also the comment of a new one, and
    /// `public`'s, see [`Schema::namespace_comment`]).
    SetSchemaComment {
        /// The schema.
        name: String,
        /// Before.
        from: Option<String>,
        /// After.
        to: Option<String>,
    },
    /// An extension's comment that differs (also the comment of a new or
    /// recreated one, when it is not its control file's).
    SetExtensionComment {
        /// The extension.
        name: String,
        /// Before.
        from: ExtensionComment,
        /// After.
        to: ExtensionComment,
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
    /// A table whose persistence or row-level security flags differ
    /// (`SET LOGGED`/`SET UNLOGGED`, `ENABLE`/`DISABLE`/`FORCE`/`NO FORCE ROW
    /// LEVEL SECURITY`); also the row-level security of a new table.
    SetTableFlags {
        /// The table.
        table: QualifiedName,
        /// Before.
        from: TableFlags,
        /// After.
        to: TableFlags,
    },
    /// A partition whose bound differs: detached and attached again.
    SetPartitionBound {
        /// The partition.
        table: QualifiedName,
        /// Its parent, and its bound before.
        from: crate::model::PartitionOf,
        /// Its parent, and its bound after.
        to: crate::model::PartitionOf,
    },
    /// An index whose storage parameters alone differ (`ALTER INDEX ... SET
    /// (...)` / `RESET (...)`).
    SetIndexOptions {
        /// Its table.
        table: QualifiedName,
        /// The index's name (in the table's schema).
        index: String,
        /// Before.
        from: StorageParameters,
        /// After.
        to: StorageParameters,
    },
    /// `GRANT privileges ON kind object [(column)] TO grantee [WITH GRANT OPTION]`.
    Grant {
        /// What kind of object.
        kind: crate::model::privileges::AclKind,
        /// The object.
        object: QualifiedName,
        /// The column, for a column privilege.
        column: Option<String>,
        /// The role (or `PUBLIC`).
        grantee: String,
        /// The privileges.
        privileges: Vec<crate::model::privileges::Privilege>,
        /// `WITH GRANT OPTION`.
        grantable: bool,
    },
    /// `REVOKE privileges ON kind object [(column)] FROM grantee`.
    Revoke {
        /// What kind of object.
        kind: crate::model::privileges::AclKind,
        /// The object.
        object: QualifiedName,
        /// The column, for a column privilege.
        column: Option<String>,
        /// The role (or `PUBLIC`).
        grantee: String,
        /// The privileges.
        privileges: Vec<crate::model::privileges::Privilege>,
        /// `REVOKE GRANT OPTION FOR`: the privileges stay, the option goes.
        option_only: bool,
    },
    /// `ALTER DEFAULT PRIVILEGES [FOR ROLE r] [IN SCHEMA s] GRANT | REVOKE ...`.
    DefaultPrivileges {
        /// `FOR ROLE`; `None` for the role that runs the migrations.
        role: Option<String>,
        /// `IN SCHEMA`.
        schema: Option<String>,
        /// `ON TABLES`, ...
        objects: crate::model::privileges::DefaultObjects,
        /// The role (or `PUBLIC`).
        grantee: String,
        /// The privileges.
        privileges: Vec<crate::model::privileges::Privilege>,
        /// `REVOKE` rather than `GRANT`.
        revoke: bool,
        /// `REVOKE GRANT OPTION FOR`.
        option_only: bool,
        /// `WITH GRANT OPTION`.
        grantable: bool,
    },
    /// `ALTER kind object OWNER TO role` (`None`: the role that runs the
    /// migrations, `CURRENT_USER`).
    SetOwner {
        /// What kind of object.
        kind: crate::model::privileges::AclKind,
        /// The object.
        object: QualifiedName,
        /// The owner before.
        from: Option<String>,
        /// The owner after.
        to: Option<String>,
    },
    /// A function or procedure only `to` has (`CREATE FUNCTION`, and its comment).
    CreateFunction {
        /// The whole function.
        function: crate::model::Function,
        /// True when its body reads a relation of the schema (it is then
        /// created after the tables, see [`Change`] ordering).
        reads_relations: bool,
        /// True when its body reads a view (a `LANGUAGE sql` body is
        /// checked when created): it is then created after the views.
        reads_views: bool,
    },
    /// A function or procedure only `from` has (`DROP FUNCTION`).
    DropFunction {
        /// The whole function.
        function: crate::model::Function,
        /// True when its signature uses a table's row type: it is then
        /// dropped before the tables (PostgreSQL refuses to drop a table
        /// whose row type a function uses).
        reads_relations: bool,
    },
    /// A function PostgreSQL replaces in place (`CREATE OR REPLACE`): same
    /// signature and result, another body or attributes.
    ReplaceFunction {
        /// Before.
        from: crate::model::Function,
        /// After.
        to: crate::model::Function,
        /// As for [`Change::CreateFunction`].
        reads_relations: bool,
        /// True when its body reads a view (a `LANGUAGE sql` body is
        /// checked when created): it is then created after the views.
        reads_views: bool,
    },
    /// A function PostgreSQL cannot replace in place (a new result type,
    /// `OUT` arguments, a renamed argument, a removed default): dropped and
    /// created again, at once.
    RecreateFunction {
        /// Before.
        from: crate::model::Function,
        /// After.
        to: crate::model::Function,
        /// As for [`Change::CreateFunction`].
        reads_relations: bool,
        /// True when its body reads a view (a `LANGUAGE sql` body is
        /// checked when created): it is then created after the views.
        reads_views: bool,
    },
    /// A function's comment differs (`COMMENT ON FUNCTION`).
    SetFunctionComment {
        /// The function (as it is after).
        function: crate::model::Function,
        /// Before.
        from: Option<String>,
        /// After.
        to: Option<String>,
    },
    /// A trigger only `to` has: `CREATE TRIGGER`, its state and comment.
    CreateTrigger(crate::model::Trigger),
    /// A trigger only `from` has: `DROP TRIGGER`.
    DropTrigger(crate::model::Trigger),
    /// A trigger whose definition differs: `CREATE OR REPLACE TRIGGER` (a
    /// constraint trigger is dropped and created instead).
    ReplaceTrigger {
        /// Before.
        from: crate::model::Trigger,
        /// After.
        to: crate::model::Trigger,
    },
    /// A trigger whose enabled state or comment alone differ.
    AlterTrigger {
        /// Before.
        from: crate::model::Trigger,
        /// After.
        to: crate::model::Trigger,
    },
    /// A policy only `to` has: `CREATE POLICY` and its comment.
    CreatePolicy(crate::model::Policy),
    /// A policy only `from` has: `DROP POLICY`.
    DropPolicy(crate::model::Policy),
    /// A policy whose roles, `USING`, `WITH CHECK` or comment differ (`ALTER
    /// POLICY`, `COMMENT ON POLICY`).
    AlterPolicy {
        /// Before.
        from: crate::model::Policy,
        /// After.
        to: crate::model::Policy,
    },
    /// A table whose storage parameters differ (`ALTER TABLE ... SET (...)` /
    /// `RESET (...)`).
    SetTableOptions {
        /// The table.
        table: QualifiedName,
        /// Before.
        from: StorageParameters,
        /// After.
        to: StorageParameters,
    },
    /// An aggregate, operator, cast, collation, text-search object, event
    /// trigger, publication or rule only `to` has (or whose definition
    /// differs, after its [`Change::DropOther`]): its statements as written.
    CreateOther(crate::model::others::OtherObject),
    /// One only `from` has: `DROP <kind>`.
    DropOther(crate::model::others::OtherObject),
    /// One whose definition differs: dropped and created again, where the
    /// new one sorts (PostgreSQL has no way to change most of them in place).
    RecreateOther {
        /// Before.
        from: crate::model::others::OtherObject,
        /// After.
        to: crate::model::others::OtherObject,
    },
    /// One whose comment alone differs.
    SetOtherComment {
        /// The object (as `to` has it).
        object: crate::model::others::OtherObject,
        /// Before.
        from: Option<String>,
        /// After.
        to: Option<String>,
    },
}

/// The flags of a table that `ALTER TABLE` sets one by one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TableFlags {
    /// `UNLOGGED`.
    pub unlogged: bool,
    /// `ENABLE ROW LEVEL SECURITY`.
    pub row_security: bool,
    /// `FORCE ROW LEVEL SECURITY`.
    pub force_row_security: bool,
}

impl TableFlags {
    /// The flags of `t`.
    pub fn of(t: &Table) -> Self {
        TableFlags {
            unlogged: t.unlogged,
            row_security: t.row_security,
            force_row_security: t.force_row_security,
        }
    }

    /// What differs from `from` to `self`, in words.
    pub(crate) fn differences(&self, from: &TableFlags) -> Vec<&'static str> {
        let mut out = Vec::new();
        if from.unlogged != self.unlogged {
            out.push(if self.unlogged {
                "set unlogged"
            } else {
                "set logged"
            });
        }
        if from.row_security != self.row_security {
            out.push(if self.row_security {
                "enable row level security"
            } else {
                "disable row level security"
            });
        }
        if from.force_row_security != self.force_row_security {
            out.push(if self.force_row_security {
                "force row level security"
            } else {
                "no force row level security"
            });
        }
        out
    }
}

/// What differs between two versions of a column, in words.
pub(crate) fn column_differences(from: &Column, to: &Column) -> Vec<String> {
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
        let identity = |i: Option<crate::model::Identity>| match i {
            None => "no identity",
            Some(crate::model::Identity::Always) => "GENERATED ALWAYS AS IDENTITY",
            Some(crate::model::Identity::ByDefault) => "GENERATED BY DEFAULT AS IDENTITY",
        };
        out.push(format!(
            "{} → {}",
            identity(from.identity),
            identity(to.identity)
        ));
    }
    if let (Some(a), Some(b)) = (&from.identity_options, &to.identity_options) {
        for d in a.differences(b) {
            out.push(format!("identity {d}"));
        }
    }
    if from.collation != to.collation {
        let show = |c: &Option<String>| {
            c.as_ref().map_or_else(
                || "default collation".to_string(),
                |c| format!("COLLATE \"{c}\""),
            )
        };
        out.push(format!(
            "{} → {}",
            show(&from.collation),
            show(&to.collation)
        ));
    }
    if from.generated != to.generated {
        out.push("generated expression differs".to_string());
    }
    if from.storage != to.storage {
        let show = |s: Option<crate::model::Storage>| {
            s.map_or_else(
                || "the type's storage".to_string(),
                |s| format!("STORAGE {s}"),
            )
        };
        out.push(format!("{} → {}", show(from.storage), show(to.storage)));
    }
    if from.compression != to.compression {
        let show = |c: Option<crate::model::Compression>| {
            c.map_or_else(
                || "COMPRESSION default".to_string(),
                |c| format!("COMPRESSION {c}"),
            )
        };
        out.push(format!(
            "{} → {}",
            show(from.compression),
            show(to.compression)
        ));
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
            Change::AddEnumValue { name, value, .. } => {
                write!(f, "add label '{value}' to enum type `{name}`")
            }
            Change::RecreateEnum { from, to } => write!(
                f,
                "recreate enum type `{}` with labels ({}) instead of ({})",
                from.name,
                to.values.join(", "),
                from.values.join(", ")
            ),
            Change::CreateView(v) => write!(f, "create {} `{}`", v.describe(), v.name),
            Change::DropView(v) => write!(f, "drop {} `{}`", v.describe(), v.name),
            Change::ReplaceView { from, to } => write!(
                f,
                "replace view `{}`: {}",
                to.name,
                views::view_differences(from, to).join(", ")
            ),
            Change::AlterView { from, to } => write!(
                f,
                "alter {} `{}`: {}",
                to.describe(),
                to.name,
                views::view_differences(from, to).join(", ")
            ),
            Change::CreateDomain(d) => write!(f, "create domain `{}`", d.name),
            Change::DropDomain(d) => write!(f, "drop domain `{}`", d.name),
            Change::ReplaceDomain { from, to } => write!(
                f,
                "recreate domain `{}` as {}{} instead of {}{}",
                to.name,
                to.base,
                collation_words(to),
                from.base,
                collation_words(from)
            ),
            Change::AlterDomain { from, to } => write!(
                f,
                "alter domain `{}`: {}",
                to.name,
                domain_differences(from, to).join(", ")
            ),
            Change::CreateComposite(c) => write!(f, "create composite type `{}`", c.name),
            Change::DropComposite(c) => write!(f, "drop composite type `{}`", c.name),
            Change::AlterComposite { from, to } => write!(
                f,
                "alter composite type `{}`: {}",
                to.name,
                attribute_differences(from, to).join(", ")
            ),
            Change::ReplaceComposite { from, to } => write!(
                f,
                "recreate composite type `{}` with attributes ({}) instead of ({})",
                to.name,
                attribute_names(to),
                attribute_names(from)
            ),
            Change::CreateSchema(n) => write!(f, "create schema `{n}`"),
            Change::DropSchema(n) => write!(f, "drop schema `{n}`"),
            Change::CreateExtension(e) => write!(f, "create extension `{}`", e.name),
            Change::DropExtension(e) => write!(f, "drop extension `{}`", e.name),
            Change::ReplaceExtension { from, to } => write!(
                f,
                "recreate extension `{}` {} instead of {}",
                to.name,
                extension_placement(to),
                extension_placement(from)
            ),
            Change::CreateSequence(s) => write!(f, "create sequence `{}`", s.name),
            Change::RenameSequence { from, to } => {
                write!(f, "rename sequence `{from}` to `{}`", to.name)
            }
            Change::DropSequence(s) => write!(f, "drop sequence `{}`", s.name),
            Change::AlterSequence { from, to } => {
                let mut what = from.options.differences(&to.options);
                if from.owned_by != to.owned_by {
                    what.insert(0, "owner".to_string());
                }
                write!(f, "change sequence `{}`: {}", to.name, what.join(", "))
            }
            Change::CreateTable(t) => write!(f, "create table `{}`", t.name),
            Change::DropTable(t) => write!(f, "drop table `{}`", t.name),
            Change::RenameTable { from, to } => write!(f, "rename table `{from}` to `{to}`"),
            Change::RenameType { kind, from, to } => {
                write!(f, "rename {} `{from}` to `{}`", kind.describe(), to.name)
            }
            Change::RenameColumn { table, from, to } => {
                write!(f, "rename column `{table}.{from}` to `{to}`")
            }
            Change::RenameConstraint { table, from, to } => {
                write!(f, "rename constraint `{from}` on `{table}` to `{to}`")
            }
            Change::RenameIndex { table, from, to } => {
                write!(f, "rename index `{from}` on `{table}` to `{to}`")
            }
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
            Change::SetSequenceComment { name, .. } => {
                write!(f, "change comment of sequence `{name}`")
            }
            Change::SetTypeComment { name, .. } => write!(f, "change comment of type `{name}`"),
            Change::SetSchemaComment { name, .. } => write!(
                f,
                "change comment of schema `{}`",
                crate::model::names::quote_ident(name)
            ),
            Change::SetExtensionComment { name, .. } => {
                write!(f, "change comment of extension `{name}`")
            }
            Change::ValidateConstraint { table, constraint } => {
                write!(f, "validate constraint `{constraint}` of table `{table}`")
            }
            Change::SetConstraintComment {
                table, constraint, ..
            } => write!(
                f,
                "change comment of constraint `{constraint}` of table `{table}`"
            ),
            Change::SetIndexComment { table, index, .. } => {
                write!(f, "change comment of index `{index}` of table `{table}`")
            }
            Change::SetTableFlags { table, from, to } => write!(
                f,
                "alter table `{table}`: {}",
                to.differences(from).join(", ")
            ),
            Change::SetPartitionBound { table, from, to } => {
                write!(f, "partition `{table}`: `{}` → `{}`", from.bound, to.bound)
            }
            Change::SetIndexOptions {
                table,
                index,
                from,
                to,
            } => write!(
                f,
                "change storage parameters of index `{index}` on `{table}` from ({}) to ({})",
                from.to_sql(),
                to.to_sql()
            ),
            Change::CreateTrigger(t) => {
                write!(f, "create trigger `{}` on `{}`", t.name, t.table)
            }
            Change::DropTrigger(t) => write!(f, "drop trigger `{}` on `{}`", t.name, t.table),
            Change::ReplaceTrigger { from, to } | Change::AlterTrigger { from, to } => write!(
                f,
                "change trigger `{}` on `{}`: {}",
                to.name,
                to.table,
                triggers::trigger_differences(from, to).join(", ")
            ),
            Change::CreatePolicy(p) => write!(f, "create policy `{}` on `{}`", p.name, p.table),
            Change::DropPolicy(p) => write!(f, "drop policy `{}` on `{}`", p.name, p.table),
            Change::AlterPolicy { from, to } => write!(
                f,
                "change policy `{}` on `{}`: {}",
                to.name,
                to.table,
                triggers::policy_differences(from, to).join(", ")
            ),
            Change::SetTableOptions { table, from, to } => write!(
                f,
                "change storage parameters of table `{table}` from ({}) to ({})",
                from.to_sql(),
                to.to_sql()
            ),
            Change::Grant {
                kind,
                object,
                column,
                grantee,
                privileges,
                grantable,
            } => write!(
                f,
                "grant {}{} on {} `{}` to {grantee}{}",
                privileges::privilege_list(privileges),
                column
                    .as_ref()
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default(),
                kind.keyword().to_ascii_lowercase(),
                privilege_object(*kind, object),
                if *grantable { " with grant option" } else { "" }
            ),
            Change::Revoke {
                kind,
                object,
                column,
                grantee,
                privileges,
                option_only,
            } => write!(
                f,
                "revoke {}{}{} on {} `{}` from {grantee}",
                if *option_only {
                    "grant option for "
                } else {
                    ""
                },
                privileges::privilege_list(privileges),
                column
                    .as_ref()
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default(),
                kind.keyword().to_ascii_lowercase(),
                privilege_object(*kind, object),
            ),
            Change::DefaultPrivileges { .. } => {
                write!(
                    f,
                    "default privileges: {}",
                    crate::render::default_privileges_sql(self)
                )
            }
            Change::SetOwner {
                kind, object, to, ..
            } => write!(
                f,
                "change owner of {} `{}` to {}",
                kind.keyword().to_ascii_lowercase(),
                privilege_object(*kind, object),
                to.as_deref().unwrap_or("the role that runs the migrations")
            ),
            Change::CreateFunction { function, .. } => write!(
                f,
                "create {} `{}`",
                function.kind.describe(),
                function.signature()
            ),
            Change::DropFunction { function, .. } => write!(
                f,
                "drop {} `{}`",
                function.kind.describe(),
                function.signature()
            ),
            Change::ReplaceFunction { from, to, .. } => write!(
                f,
                "replace {} `{}`: {}",
                to.kind.describe(),
                to.signature(),
                functions::differences(from, to).join(", ")
            ),
            Change::RecreateFunction { from, to, .. } => write!(
                f,
                "recreate {} `{}`: {}",
                to.kind.describe(),
                to.signature(),
                from.replace_refusal(to).unwrap_or_default()
            ),
            Change::RenameView { from, to } => {
                write!(
                    f,
                    "rename {} `{}` to `{}`",
                    from.describe(),
                    from.name,
                    to.name
                )
            }
            Change::DropColumnDefault { table, column } => write!(
                f,
                "drop default of column `{}` of `{table}` while the functions it calls are recreated",
                column.name
            ),
            Change::SetColumnDefault { table, column } => write!(
                f,
                "set default of column `{}` of `{table}` again",
                column.name
            ),
            Change::SetFunctionComment { function, .. } => write!(
                f,
                "change comment of {} `{}`",
                function.kind.describe(),
                function.signature()
            ),
            Change::CreateOther(o) => write!(f, "create {}", o.identity),
            Change::DropOther(o) => write!(f, "drop {}", o.identity),
            Change::RecreateOther { to, .. } => write!(f, "recreate {}", to.identity),
            Change::SetOtherComment { object, .. } => {
                write!(f, "change comment of {}", object.identity)
            }
        }
    }
}

/// An object a privilege is on, as written after `ON kind`.
pub(crate) fn privilege_object(
    kind: crate::model::privileges::AclKind,
    object: &QualifiedName,
) -> String {
    use crate::model::privileges::AclKind;
    match kind {
        AclKind::Schema => crate::model::names::quote_ident(&object.name),
        AclKind::Function | AclKind::Procedure => {
            let bare = crate::model::function::name_of_key(object);
            format!("{bare}{}", &object.name[bare.name.len()..])
        }
        _ => object.to_string(),
    }
}

/// ` COLLATE c` when a domain has a collation of its own.
fn collation_words(d: &Domain) -> String {
    d.collation
        .as_ref()
        .map(|c| format!(" COLLATE {}", crate::model::names::quote_ident(c)))
        .unwrap_or_default()
}

/// What differs between two versions of a domain (same base type), in words.
pub(crate) fn domain_differences(from: &Domain, to: &Domain) -> Vec<String> {
    let mut out = Vec::new();
    if from.default != to.default {
        let show = |d: &Option<crate::model::Expression>| {
            d.as_ref()
                .map_or_else(|| "no default".to_string(), |e| format!("DEFAULT {e}"))
        };
        out.push(format!("{} → {}", show(&from.default), show(&to.default)));
    }
    if from.not_null != to.not_null {
        let word = |n: bool| if n { "NOT NULL" } else { "NULL" };
        out.push(format!("{} → {}", word(from.not_null), word(to.not_null)));
    }
    for (name, c) in &from.checks {
        match to.checks.get(name) {
            None => out.push(format!("drop check `{name}`")),
            Some(t) if t.expr != c.expr => out.push(format!("change check `{name}`")),
            Some(_) => {}
        }
    }
    for name in to.checks.keys() {
        if !from.checks.contains_key(name) {
            out.push(format!("add check `{name}`"));
        }
    }
    if from.comment != to.comment {
        out.push("comment differs".to_string());
    }
    out
}

/// A composite type's attribute names, comma-separated.
fn attribute_names(c: &CompositeType) -> String {
    c.attributes
        .iter()
        .map(|a| a.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// What differs between two versions of a composite type, in words.
pub(crate) fn attribute_differences(from: &CompositeType, to: &CompositeType) -> Vec<String> {
    let mut out = Vec::new();
    for a in &from.attributes {
        match to.attributes.iter().find(|b| b.name == a.name) {
            None => out.push(format!("drop attribute `{}`", a.name)),
            Some(b) if b != a => out.push(format!(
                "attribute `{}` type `{}` → `{}`",
                a.name, a.data_type, b.data_type
            )),
            Some(_) => {}
        }
    }
    for b in &to.attributes {
        if !from.attributes.iter().any(|a| a.name == b.name) {
            out.push(format!("add attribute `{}` {}", b.name, b.data_type));
        }
    }
    out
}

/// True when `ALTER TYPE` can turn `from`'s attributes into `to`'s: the
/// attributes both have keep their order, and new ones come after them.
fn attributes_reachable(from: &CompositeType, to: &CompositeType) -> bool {
    let kept_from: Vec<&str> = from
        .attributes
        .iter()
        .filter(|a| to.attributes.iter().any(|b| b.name == a.name))
        .map(|a| a.name.as_str())
        .collect();
    let in_from = |n: &str| from.attributes.iter().any(|a| a.name == n);
    let kept_to: Vec<&str> = to
        .attributes
        .iter()
        .map(|b| b.name.as_str())
        .filter(|n| in_from(n))
        .collect();
    let last_kept = to.attributes.iter().rposition(|b| in_from(&b.name));
    let first_new = to.attributes.iter().position(|b| !in_from(&b.name));
    kept_from == kept_to
        && match (last_kept, first_new) {
            (Some(k), Some(n)) => k < n,
            _ => true,
        }
}

/// For every domain and composite type of `schema`, how many domains and
/// composite types stand between it and plain types: 0 for a domain over a
/// plain type or a composite whose attributes are all plain, one more than
/// the deepest type it uses otherwise (a domain's base, a composite's
/// attributes, arrays of them). Creating in increasing depth and dropping in
/// decreasing depth puts each type after what it uses. Each type is
/// visited once; a cycle (which PostgreSQL refuses) is cut where it closes.
fn type_depths(schema: &Schema) -> BTreeMap<QualifiedName, usize> {
    /// The domains and composite types `name` uses directly.
    fn uses<'s>(schema: &'s Schema, name: &QualifiedName) -> Vec<&'s QualifiedName> {
        let types: Vec<&SqlType> = if let Some(d) = schema.domains.get(name) {
            vec![&d.base]
        } else if let Some(c) = schema.composites.get(name) {
            c.attributes.iter().map(|a| &a.data_type).collect()
        } else {
            Vec::new()
        };
        types
            .into_iter()
            .filter_map(|ty| {
                let mut inner = ty;
                while let SqlType::Array(i) = inner {
                    inner = i;
                }
                match inner {
                    SqlType::Named(n)
                        if schema.domains.contains_key(n) || schema.composites.contains_key(n) =>
                    {
                        Some(n)
                    }
                    _ => None,
                }
            })
            .collect()
    }
    let mut depths: BTreeMap<QualifiedName, usize> = BTreeMap::new();
    let mut visiting: BTreeSet<&QualifiedName> = BTreeSet::new();
    // Depth-first without recursion (a chain of types may be long): a type
    // is finished once everything it uses is.
    for root in schema.domains.keys().chain(schema.composites.keys()) {
        let mut stack = vec![root];
        while let Some(&name) = stack.last() {
            if depths.contains_key(name) {
                stack.pop();
                continue;
            }
            visiting.insert(name);
            let pending: Vec<&QualifiedName> = uses(schema, name)
                .into_iter()
                .filter(|u| !depths.contains_key(*u) && !visiting.contains(*u))
                .collect();
            if pending.is_empty() {
                let depth = uses(schema, name)
                    .into_iter()
                    .filter_map(|u| depths.get(u).map(|d| d + 1))
                    .max()
                    .unwrap_or(0);
                depths.insert(name.clone(), depth);
                visiting.remove(name);
                stack.pop();
            } else {
                stack.extend(pending);
            }
        }
    }
    depths
}

/// Domains and composite types created, dropped, replaced and altered:
/// creations in dependency order across both kinds (a domain over a
/// composite after it, a composite with a domain attribute after that
/// domain), drops in the reverse order.
fn domain_changes(from: &Schema, to: &Schema) -> Vec<Change> {
    let (to_depth, from_depth) = (type_depths(to), type_depths(from));
    let depth_in = |depths: &BTreeMap<QualifiedName, usize>, name: &QualifiedName| {
        depths.get(name).copied().unwrap_or(0)
    };
    let mut out = Vec::new();
    let mut dropped: Vec<(usize, Change)> = Vec::new();
    for (name, d) in from.domains.iter() {
        match to.domains.get(name) {
            None => dropped.push((depth_in(&from_depth, name), Change::DropDomain(d.clone()))),
            Some(t) if t.base != d.base || t.collation != d.collation => {
                out.push((
                    depth_in(&to_depth, name),
                    Change::ReplaceDomain {
                        from: d.clone(),
                        to: t.clone(),
                    },
                ));
            }
            Some(t) if t != d => out.push((
                depth_in(&to_depth, name),
                Change::AlterDomain {
                    from: d.clone(),
                    to: t.clone(),
                },
            )),
            Some(_) => {}
        }
    }
    for (name, d) in to.domains.iter() {
        if !from.domains.contains_key(name) {
            out.push((depth_in(&to_depth, name), Change::CreateDomain(d.clone())));
        }
    }
    for (name, c) in from.composites.iter() {
        match to.composites.get(name) {
            None => dropped.push((
                depth_in(&from_depth, name),
                Change::DropComposite(c.clone()),
            )),
            Some(t) if t.attributes == c.attributes => {}
            Some(t) => {
                let change = if attributes_reachable(c, t) {
                    Change::AlterComposite {
                        from: c.clone(),
                        to: t.clone(),
                    }
                } else {
                    Change::ReplaceComposite {
                        from: c.clone(),
                        to: t.clone(),
                    }
                };
                out.push((depth_in(&to_depth, name), change));
            }
        }
    }
    for (name, c) in to.composites.iter() {
        if !from.composites.contains_key(name) {
            out.push((
                depth_in(&to_depth, name),
                Change::CreateComposite(c.clone()),
            ));
        }
    }
    // Stable sorts: name order holds within a depth, domains before
    // composite types.
    out.sort_by_key(|(depth, _)| *depth);
    dropped.sort_by_key(|(depth, _)| std::cmp::Reverse(*depth));
    out.into_iter().chain(dropped).map(|(_, c)| c).collect()
}

/// `in schema s, version v` as an extension states them.
fn extension_placement(e: &Extension) -> String {
    format!(
        "in schema {}, version {}",
        e.schema.as_deref().unwrap_or("(unstated)"),
        e.version.as_deref().unwrap_or("(unstated)")
    )
}

/// Every difference between `from` and `to`, in the order a migration must
/// apply them (see [`diff`]), without rename hints.
pub fn compare(from: &Schema, to: &Schema) -> Vec<Change> {
    order(raw_changes(from, to, &Renames::default()), from, to)
}

/// Renames to apply instead of drop + create: from `-- schema: renamed from <old>`
/// directives in the declared schema, or their inverse for a down migration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Renames {
    /// `(old, new)` table names.
    pub tables: Vec<(QualifiedName, QualifiedName)>,
    /// `(table as named in the target, old column, new column)`.
    pub columns: Vec<(QualifiedName, String, String)>,
    /// `(old, new)` names of enum types, domains and composite types.
    pub types: Vec<(QualifiedName, QualifiedName)>,
    /// `(old, new)` names of views and materialized views.
    pub views: Vec<(QualifiedName, QualifiedName)>,
}

impl Renames {
    /// The renames that undo these.
    pub(crate) fn inverse(&self) -> Renames {
        let table_back = |t: &QualifiedName| {
            self.tables
                .iter()
                .find(|(_, new)| new == t)
                .map_or_else(|| t.clone(), |(old, _)| old.clone())
        };
        Renames {
            tables: self
                .tables
                .iter()
                .map(|(old, new)| (new.clone(), old.clone()))
                .collect(),
            columns: self
                .columns
                .iter()
                .map(|(t, old, new)| (table_back(t), new.clone(), old.clone()))
                .collect(),
            types: self
                .types
                .iter()
                .rev()
                .map(|(old, new)| (new.clone(), old.clone()))
                .collect(),
            views: self
                .views
                .iter()
                .map(|(old, new)| (new.clone(), old.clone()))
                .collect(),
        }
    }

    /// The old name of table or view `to` (itself when not renamed).
    pub(crate) fn relation_source<'a>(&'a self, to: &'a QualifiedName) -> &'a QualifiedName {
        self.tables
            .iter()
            .chain(&self.views)
            .find(|(_, new)| new == to)
            .map_or(to, |(old, _)| old)
    }

    /// The new name of table or view `from` (itself when not renamed).
    pub(crate) fn relation_target<'a>(&'a self, from: &'a QualifiedName) -> &'a QualifiedName {
        self.tables
            .iter()
            .chain(&self.views)
            .find(|(old, _)| old == from)
            .map_or(from, |(_, new)| new)
    }

    /// The old name of table `to` (itself when not renamed).
    fn table_source<'a>(&'a self, to: &'a QualifiedName) -> &'a QualifiedName {
        self.tables
            .iter()
            .find(|(_, new)| new == to)
            .map_or(to, |(old, _)| old)
    }

    /// The table of `from` that target table `to` is: its old name when it
    /// was renamed, itself otherwise, and none when its name was freed by a
    /// rename (`a` renamed to `b`, and a new `a` created): then `to` is new.
    fn table_origin<'a>(&'a self, to: &'a QualifiedName) -> Option<&'a QualifiedName> {
        let source = self.table_source(to);
        let freed = source == to && self.tables.iter().any(|(old, new)| old == to && new != to);
        (!freed).then_some(source)
    }

    /// The old name of column `column` of target table `table`.
    fn column_source<'a>(&'a self, table: &QualifiedName, column: &'a str) -> &'a str {
        self.columns
            .iter()
            .find(|(t, _, new)| t == table && new == column)
            .map_or(column, |(_, old, _)| old.as_str())
    }
}

/// Reads the rename hints of `declared` and checks each against `from`.
///
/// A hint is used when `from` has the old name and not the new one; it is
/// satisfied (and ignored) when `from` already has the new name and not the old
/// one; it is an error when `from` has neither (the hint names nothing) or both.
///
/// # Errors
/// One diagnostic per hint that matches nothing or is ambiguous.
pub fn renames_from_hints(
    from: &Schema,
    declared: &Schema,
) -> Result<Renames, Vec<crate::diagnostic::Diagnostic>> {
    use crate::diagnostic::{Diagnostic, codes};
    use crate::directive::DirectiveKind;
    let mut renames = Renames::default();
    let mut errors = Vec::new();
    let hints = |d: &crate::model::Directives| -> Vec<(String, crate::diagnostic::Origin)> {
        d.0.iter()
            .filter_map(|d| match &d.kind {
                DirectiveKind::RenamedFrom(old) => Some((old.clone(), d.origin.clone())),
                _ => None,
            })
            .collect()
    };
    for table in declared.tables.values() {
        let mut source = table.name.clone();
        for (old, origin) in hints(&table.directives) {
            let old_name = QualifiedName::new(table.name.schema.clone(), old.clone());
            match (
                from.tables.contains_key(&old_name),
                from.tables.contains_key(&table.name),
            ) {
                (true, false) => {
                    if let Some((_, other)) = renames.tables.iter().find(|(o, _)| *o == old_name) {
                        errors.push(
                            Diagnostic::error(
                                codes::BAD_DIRECTIVE,
                                format!(
                                    "rename hint is ambiguous: tables `{other}` and `{}` are both renamed from `{old_name}`",
                                    table.name
                                ),
                            )
                            .at(&origin)
                            .help("a table is renamed once: remove one of the hints (the other table is then created)"),
                        );
                        continue;
                    }
                    renames.tables.push((old_name.clone(), table.name.clone()));
                    source = old_name;
                }
                (false, true) => {}
                (true, true) => errors.push(
                    Diagnostic::error(
                        codes::BAD_DIRECTIVE,
                        format!("rename hint is ambiguous: both `{old_name}` and `{}` exist", table.name),
                    )
                    .at(&origin)
                    .help("drop one of the tables in a migration first, or remove the hint"),
                ),
                (false, false) => errors.push(
                    Diagnostic::error(
                        codes::BAD_DIRECTIVE,
                        format!("rename hint matches nothing: there is no table `{old_name}` to rename to `{}`", table.name),
                    )
                    .at(&origin)
                    .help("fix the old name, or remove the hint to create the table"),
                ),
            }
        }
        let Some(from_table) = from.tables.get(&source) else {
            for column in &table.columns {
                for (old, origin) in hints(&column.directives) {
                    errors.push(
                        Diagnostic::error(
                            codes::BAD_DIRECTIVE,
                            format!(
                                "rename hint matches nothing: table `{}` is new, so column `{old}` cannot be renamed",
                                table.name
                            ),
                        )
                        .at(&origin)
                        .help("remove the hint"),
                    );
                }
            }
            continue;
        };
        for column in &table.columns {
            for (old, origin) in hints(&column.directives) {
                match (
                    from_table.column(&old).is_some(),
                    from_table.column(&column.name).is_some(),
                ) {
                    (true, false) => {
                        let claimed = renames
                            .columns
                            .iter()
                            .find(|(t, o, _)| *t == table.name && *o == old)
                            .map(|(_, _, new)| new.clone());
                        match claimed {
                            Some(other) => errors.push(
                                Diagnostic::error(
                                    codes::BAD_DIRECTIVE,
                                    format!(
                                        "rename hint is ambiguous: columns `{other}` and `{}` of table `{}` are both renamed from `{old}`",
                                        column.name, table.name
                                    ),
                                )
                                .at(&origin)
                                .help("a column is renamed once: remove one of the hints (the other column is then added)"),
                            ),
                            None => renames.columns.push((
                                table.name.clone(),
                                old.clone(),
                                column.name.clone(),
                            )),
                        }
                    }
                    (false, true) => {}
                    (true, true) => errors.push(
                        Diagnostic::error(
                            codes::BAD_DIRECTIVE,
                            format!(
                                "rename hint is ambiguous: table `{}` has both `{old}` and `{}`",
                                table.name, column.name
                            ),
                        )
                        .at(&origin)
                        .help("drop one of the columns in a migration first, or remove the hint"),
                    ),
                    (false, false) => errors.push(
                        Diagnostic::error(
                            codes::BAD_DIRECTIVE,
                            format!(
                                "rename hint matches nothing: table `{}` has no column `{old}`",
                                table.name
                            ),
                        )
                        .at(&origin)
                        .help("fix the old name, or remove the hint to add the column"),
                    ),
                }
            }
        }
    }
    errors.extend(type_renames_from_hints(from, declared, &mut renames));
    for view in declared.views.values() {
        for (old, origin) in hints(&view.directives) {
            let old_name = QualifiedName::new(view.name.schema.clone(), old.clone());
            let what = view.describe();
            match (from.views.get(&old_name), from.views.contains_key(&view.name)) {
                (Some(v), false) if v.materialized == view.materialized => {
                    if let Some((_, other)) = renames.views.iter().find(|(o, _)| *o == old_name) {
                        errors.push(
                            Diagnostic::error(
                                codes::BAD_DIRECTIVE,
                                format!(
                                    "rename hint is ambiguous: `{other}` and `{}` are both renamed from `{old_name}`",
                                    view.name
                                ),
                            )
                            .at(&origin)
                            .help("a view is renamed once: remove one of the hints (the other view is then created)"),
                        );
                        continue;
                    }
                    renames.views.push((old_name, view.name.clone()));
                }
                (Some(v), false) => errors.push(
                    Diagnostic::error(
                        codes::BAD_DIRECTIVE,
                        format!(
                            "rename hint names a {} but `{}` is declared as a {what}",
                            v.describe(),
                            view.name
                        ),
                    )
                    .at(&origin)
                    .help(format!("a rename keeps the kind; remove the hint to drop `{old_name}` and create `{}`", view.name)),
                ),
                (None, true) => {}
                (Some(_), true) => errors.push(
                    Diagnostic::error(
                        codes::BAD_DIRECTIVE,
                        format!("rename hint is ambiguous: both `{old_name}` and `{}` exist", view.name),
                    )
                    .at(&origin)
                    .help("drop one of the views in a migration first, or remove the hint"),
                ),
                (None, false) => errors.push(
                    Diagnostic::error(
                        codes::BAD_DIRECTIVE,
                        format!("rename hint matches nothing: there is no {what} `{old_name}` to rename to `{}`", view.name),
                    )
                    .at(&origin)
                    .help(format!("fix the old name, or remove the hint to create the {what}")),
                ),
            }
        }
    }
    if errors.is_empty() {
        Ok(renames)
    } else {
        Err(errors)
    }
}

/// The rename hints above the enum types, domains and composite types of
/// `declared`, checked against `from` as [`renames_from_hints`] checks those of
/// tables; a type keeps its kind.
fn type_renames_from_hints(
    from: &Schema,
    declared: &Schema,
    renames: &mut Renames,
) -> Vec<crate::diagnostic::Diagnostic> {
    use crate::diagnostic::{Diagnostic, codes};
    use crate::directive::DirectiveKind;
    use crate::model::TypeKind;
    let types = declared
        .enums
        .values()
        .map(|e| (TypeKind::Enum, &e.name, &e.directives))
        .chain(
            declared
                .domains
                .values()
                .map(|d| (TypeKind::Domain, &d.name, &d.directives)),
        )
        .chain(
            declared
                .composites
                .values()
                .map(|c| (TypeKind::Composite, &c.name, &c.directives)),
        );
    let mut errors = Vec::new();
    for (kind, name, directives) in types {
        let hints = directives.0.iter().filter_map(|d| match &d.kind {
            DirectiveKind::RenamedFrom(old) => Some((old, &d.origin)),
            _ => None,
        });
        for (old, origin) in hints {
            let old_name = QualifiedName::new(name.schema.clone(), old.clone());
            let what = kind.describe();
            let error = |message: String, help: String| {
                Diagnostic::error(codes::BAD_DIRECTIVE, message)
                    .at(origin)
                    .help(help)
            };
            match (from.type_kind(&old_name), from.type_kind(name)) {
                (Some(k), _) if k != kind => errors.push(
                    error(
                        format!(
                            "rename hint names a type of another kind: `{old_name}` is {}, `{name}` is declared as {}",
                            k.with_article(),
                            kind.with_article()
                        ),
                        format!(
                            "a rename keeps the kind of a type; remove the hint to drop {} `{old_name}` and create {what} `{name}`",
                            k.describe()
                        ),
                    ),
                ),
                (Some(_), None) if !from.type_name_taken(name) => {
                    renames.types.push((old_name, name.clone()));
                }
                (Some(_), _) => errors.push(error(
                    format!("rename hint is ambiguous: both `{old_name}` and `{name}` exist"),
                    "drop one of the types in a migration first, or remove the hint".to_string(),
                )),
                (None, Some(k)) if k == kind => {}
                (None, _) => errors.push(error(
                    format!(
                        "rename hint matches nothing: there is no {what} `{old_name}` to rename to `{name}`"
                    ),
                    format!("fix the old name, or remove the hint to create the {what}"),
                )),
            }
        }
    }
    errors
}

/// The changes that turn `from` into `to`, ordered so each can run after the
/// ones before it: foreign keys, indexes and constraints are dropped before what
/// they depend on; renames come next; enum types and sequences before the tables
/// that use them; tables before their columns, constraints and indexes; foreign
/// keys last. Deterministic; `diff(x, x, _)` is empty.
pub fn diff(from: &Schema, to: &Schema, renames: &Renames) -> Vec<Change> {
    if renames.types.is_empty() {
        return order(raw_changes(from, to, renames), from, to);
    }
    // Types are renamed first; the rest compares against what they leave.
    let mut changes = Vec::new();
    let mut renamed = from.clone();
    for (old, new) in &renames.types {
        if let Some(kind) = renamed.type_kind(old) {
            renamed.rename_type(old, new);
            changes.push(Change::RenameType {
                kind,
                from: old.clone(),
                to: new.clone(),
            });
        }
    }
    changes.extend(raw_changes(&renamed, to, renames));
    order(changes, &renamed, to)
}

/// `from` as the type renames among `changes` leave it: the schema the
/// changes after them apply to (see [`diff`]).
pub fn with_type_renames<'s>(from: &'s Schema, changes: &[Change]) -> std::borrow::Cow<'s, Schema> {
    let mut out = std::borrow::Cow::Borrowed(from);
    for c in changes {
        if let Change::RenameType {
            from: old, to: new, ..
        } = c
        {
            out.to_mut().rename_type(old, new);
        }
    }
    out
}

/// Unordered changes, one per differing object.
fn raw_changes(from: &Schema, to: &Schema, renames: &Renames) -> Vec<Change> {
    let mut out = Vec::new();
    let (from_schemas, to_schemas) = (from.used_namespaces(), to.used_namespaces());
    for n in to_schemas.difference(&from_schemas) {
        out.push(Change::CreateSchema((*n).to_string()));
    }
    for n in from_schemas.difference(&to_schemas) {
        out.push(Change::DropSchema((*n).to_string()));
    }
    out.extend(extension_changes(from, to));
    let seq_renames = sequence_renames(from, to, renames);
    for (name, e) in from.enums.iter() {
        match to.enums.get(name) {
            None => out.push(Change::DropEnum(e.clone())),
            Some(t) if t.values != e.values => out.extend(enum_changes(e, t)),
            Some(_) => {}
        }
    }
    for (name, e) in to.enums.iter() {
        if !from.enums.contains_key(name) {
            out.push(Change::CreateEnum(e.clone()));
        }
    }
    out.extend(domain_changes(from, to));
    out.extend(functions::function_changes(from, to));
    out.extend(views::view_changes_with_renames(from, to, renames));
    let renamed_away: Vec<&QualifiedName> = renames.tables.iter().map(|(old, _)| old).collect();
    // Tables: those of `to` matched to their source in `from`.
    for (name, t) in to.tables.iter() {
        if renames.tables.is_empty() && from.tables.shares(&to.tables, name) {
            continue;
        }
        let source = renames.table_source(name);
        // A new table may take the old name of a table renamed away.
        let takes_renamed_name = source == name && renamed_away.contains(&name);
        match from.tables.get(source).filter(|_| !takes_renamed_name) {
            None => out.extend(create_table(t)),
            Some(f) if !same_partitioning(f, t, renames) => {
                // PostgreSQL cannot partition a table, or change how, in
                // place: a new table (which `new` refuses as destructive).
                out.push(Change::DropTable(f.clone()));
                out.extend(create_table(t));
            }
            Some(f) => {
                if source != name {
                    out.push(Change::RenameTable {
                        from: source.clone(),
                        to: name.clone(),
                    });
                }
                if !(source == name && from.tables.shares(&to.tables, name)) {
                    compare_tables(f, t, renames, &seq_renames, &mut out);
                    if let (Some(a), Some(b)) = (&f.partition_of, &t.partition_of) {
                        if a.bound != b.bound {
                            out.push(Change::SetPartitionBound {
                                table: name.clone(),
                                from: a.clone(),
                                to: b.clone(),
                            });
                        }
                    }
                }
            }
        }
    }
    for (name, t) in from.tables.iter() {
        // Gone, or its name taken over by a table renamed to it.
        let name_taken = renames
            .tables
            .iter()
            .any(|(old, new)| new == name && old != name);
        if (!to.tables.contains_key(name) || name_taken) && !renamed_away.contains(&name) {
            out.push(Change::DropTable(t.clone()));
        }
    }
    // Sequences, leaving out those a dropped table or column takes with it.
    let implied_drop = |s: &Sequence| {
        s.owned_by.as_ref().is_some_and(|(t, c)| {
            out.iter().any(|ch| match ch {
                Change::DropTable(x) => x.name == *t,
                Change::DropColumn { table, column } => {
                    renames.table_source(table) == t && column.name == *c
                }
                _ => false,
            })
        })
    };
    let mut seq_changes = Vec::new();
    for (old, new) in &seq_renames {
        seq_changes.push(Change::RenameSequence {
            from: old.clone(),
            to: new.clone(),
        });
    }
    let seq_renamed = |n: &QualifiedName| seq_renames.iter().any(|(o, w)| o == n || w == n);
    for (name, s) in from.sequences.iter() {
        if renames.tables.is_empty()
            && renames.columns.is_empty()
            && from.sequences.shares(&to.sequences, name)
        {
            continue;
        }
        let renamed = rename_owner(s, renames);
        match to.sequences.get(name) {
            None if implied_drop(s) || seq_renamed(name) => {}
            None => seq_changes.push(Change::DropSequence(s.clone())),
            Some(t) if !same_but_comment(t, &renamed) => seq_changes.push(Change::AlterSequence {
                from: s.clone(),
                to: t.clone(),
            }),
            Some(_) => {}
        }
    }
    for (name, s) in to.sequences.iter() {
        if !from.sequences.contains_key(name) && !seq_renamed(name) {
            seq_changes.push(Change::CreateSequence(s.clone()));
        }
    }
    out.extend(seq_changes);
    // `DROP TABLE` of a partitioned table drops its partitions too.
    let dropped: Vec<QualifiedName> = out
        .iter()
        .filter_map(|c| match c {
            Change::DropTable(t) => Some(t.name.clone()),
            _ => None,
        })
        .collect();
    out.retain(|c| {
        !matches!(c, Change::DropTable(t)
            if t.partition_of.as_ref().is_some_and(|of| dropped.contains(&of.parent)))
    });
    let mut out = recreate_enums_used_in_the_same_migration(out, from, to);
    // After the enum recreations: what they convert holds triggers and policies.
    let carried = others::changes(from, to, &out);
    out.extend(carried);
    let objects = triggers::changes(from, to, renames, &out);
    out.extend(objects);
    // Views, triggers and policies over what PostgreSQL will not change
    // under them: dropped first, created again after.
    let mut out = dependents::with_dependents(out, from, to, renames);
    let comments = comment_changes(&out, from, to, &seq_renames);
    out.extend(comments);
    let privileges = privileges::privilege_changes(from, to, renames, &out);
    out.extend(privileges);
    out
}

/// True when two versions of a sequence differ at most in their comment.
fn same_but_comment(a: &Sequence, b: &Sequence) -> bool {
    a.owned_by == b.owned_by && a.options == b.options
}

/// The comments on sequences, enum and composite types, schemas and
/// extensions that differ, given the other `changes`: an object they create
/// (or recreate) starts with no comment (an extension with its control
/// file's), a renamed sequence with its old one.
fn comment_changes(
    changes: &[Change],
    from: &Schema,
    to: &Schema,
    seq_renames: &[(QualifiedName, QualifiedName)],
) -> Vec<Change> {
    let mut out = Vec::new();
    let created_schema = |n: &str| {
        changes
            .iter()
            .any(|c| matches!(c, Change::CreateSchema(x) if x == n))
    };
    let mut names: Vec<&str> = to.used_namespaces().into_iter().collect();
    names.extend(to.namespaces.values().map(|n| n.name.as_str()));
    names.sort_unstable();
    names.dedup();
    for name in names {
        let was = if created_schema(name) {
            None
        } else {
            from.namespace_comment(name)
        };
        let now = to.namespace_comment(name);
        if was != now {
            out.push(Change::SetSchemaComment {
                name: name.to_string(),
                from: was.map(str::to_string),
                to: now.map(str::to_string),
            });
        }
    }
    for (key, e) in to.extensions.iter() {
        let recreated = changes.iter().any(|c| {
            matches!(c, Change::CreateExtension(x) | Change::ReplaceExtension { to: x, .. } if x.name == e.name)
        });
        let was = match from.extensions.get(key) {
            Some(f) if !recreated => f.comment.clone(),
            _ => ExtensionComment::Default,
        };
        let present = recreated || from.extensions.contains_key(key);
        if present && was != e.comment {
            out.push(Change::SetExtensionComment {
                name: e.name.clone(),
                from: was,
                to: e.comment.clone(),
            });
        }
    }
    for (name, s) in to.sequences.iter() {
        let source = seq_renames
            .iter()
            .find(|(_, new)| new == name)
            .map_or(name, |(old, _)| old);
        let was = from.sequences.get(source).and_then(|f| f.comment.clone());
        if was != s.comment {
            out.push(Change::SetSequenceComment {
                name: name.clone(),
                from: was,
                to: s.comment.clone(),
            });
        }
    }
    let recreated_type = |n: &QualifiedName| {
        changes.iter().any(|c| match c {
            Change::CreateEnum(x) => x.name == *n,
            Change::RecreateEnum { to: x, .. } => x.name == *n,
            Change::CreateComposite(x) => x.name == *n,
            Change::ReplaceComposite { to: x, .. } => x.name == *n,
            _ => false,
        })
    };
    let types = to
        .enums
        .values()
        .map(|e| {
            (
                &e.name,
                &e.comment,
                from.enums.get(&e.name).map(|f| &f.comment),
            )
        })
        .chain(to.composites.values().map(|c| {
            (
                &c.name,
                &c.comment,
                from.composites.get(&c.name).map(|f| &f.comment),
            )
        }));
    for (name, now, before) in types {
        let was = match before {
            Some(b) if !recreated_type(name) => b.clone(),
            _ => None,
        };
        if was != *now {
            out.push(Change::SetTypeComment {
                name: name.clone(),
                from: was,
                to: now.clone(),
            });
        }
    }
    out
}

/// Extensions created, dropped and replaced (a stated schema or version that
/// differs, see [`Extension::differs_from`]). An extension only
/// one side has is left out when, on that side, an extension both sides have
/// requires it: `CREATE EXTENSION ... CASCADE` installed it (a live database
/// says what requires what; a statement does not).
fn extension_changes(from: &Schema, to: &Schema) -> Vec<Change> {
    let required_by_shared = |side: &Schema, other: &Schema, name: &str| {
        side.extensions.values().any(|e| {
            e.requires.iter().any(|r| r == name)
                && other
                    .extensions
                    .contains_key(&QualifiedName::global(&e.name))
        })
    };
    let mut out = Vec::new();
    for (key, e) in from.extensions.iter() {
        match to.extensions.get(key) {
            None if required_by_shared(from, to, &e.name) => {}
            None => out.push(Change::DropExtension(e.clone())),
            Some(t) if e.differs_from(t) => out.push(Change::ReplaceExtension {
                from: e.clone(),
                to: t.clone(),
            }),
            Some(_) => {}
        }
    }
    for (key, e) in to.extensions.iter() {
        if !from.extensions.contains_key(key) && !required_by_shared(to, from, &e.name) {
            out.push(Change::CreateExtension(e.clone()));
        }
    }
    out
}

/// Sequences that only changed name along with their owning column: the old
/// one (in `from`) owned by the column that owns the new one (in `to`).
fn sequence_renames(
    from: &Schema,
    to: &Schema,
    renames: &Renames,
) -> Vec<(QualifiedName, QualifiedName)> {
    let mut out = Vec::new();
    for (name, s) in to.sequences.iter() {
        if from.sequences.contains_key(name) || s.owned_by.is_none() {
            continue;
        }
        let old = from.sequences.iter().find(|(old_name, old)| {
            !to.sequences.contains_key(old_name)
                && old_name.schema == name.schema
                && rename_owner(old, renames).owned_by == s.owned_by
        });
        if let Some((old_name, _)) = old {
            out.push((old_name.clone(), name.clone()));
        }
    }
    out
}

/// PostgreSQL cannot use a label added by `ALTER TYPE ... ADD VALUE` in the same
/// transaction. When the migration also touches columns of that type (a new
/// table or column, a changed default, a constraint or index on its table), the
/// type is recreated instead.
fn recreate_enums_used_in_the_same_migration(
    changes: Vec<Change>,
    from: &Schema,
    to: &Schema,
) -> Vec<Change> {
    let uses = |ty: &crate::model::SqlType, e: &QualifiedName| match ty {
        crate::model::SqlType::Named(n) => n == e,
        crate::model::SqlType::Array(inner) => {
            matches!(&**inner, crate::model::SqlType::Named(n) if n == e)
        }
        _ => false,
    };
    let table_uses = |t: &QualifiedName, e: &QualifiedName| {
        to.tables
            .get(t)
            .is_some_and(|t| t.columns.iter().any(|c| uses(&c.data_type, e)))
    };
    let used = |e: &QualifiedName| {
        changes.iter().any(|c| match c {
            Change::CreateTable(t) => t.columns.iter().any(|c| uses(&c.data_type, e)),
            Change::AddColumn { column, .. } => uses(&column.data_type, e),
            Change::AlterColumn { to: c, .. } => uses(&c.data_type, e),
            Change::AddConstraint { table, .. } | Change::CreateIndex { table, .. } => {
                table_uses(table, e)
            }
            _ => false,
        })
    };
    let recreate: Vec<QualifiedName> = changes
        .iter()
        .filter_map(|c| match c {
            Change::AddEnumValue { name, .. } if used(name) => Some(name.clone()),
            _ => None,
        })
        .collect();
    let mut out = Vec::with_capacity(changes.len());
    for c in changes {
        match &c {
            Change::AddEnumValue { name, .. } if recreate.contains(name) => {
                let already = out
                    .iter()
                    .any(|x| matches!(x, Change::RecreateEnum { to: t, .. } if t.name == *name));
                if let (false, Some(f), Some(t)) =
                    (already, from.enums.get(name), to.enums.get(name))
                {
                    out.push(Change::RecreateEnum {
                        from: f.clone(),
                        to: t.clone(),
                    });
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// A new table: `CREATE TABLE` without its foreign keys and indexes, which follow
/// as their own changes (so tables that reference each other can be created).
fn create_table(t: &Table) -> Vec<Change> {
    // A constraint added `NOT VALID` follows as `ALTER TABLE ... ADD` (in
    // `CREATE TABLE` PostgreSQL marks every constraint valid).
    let inline = |c: &Constraint| {
        !matches!(c.kind, crate::model::ConstraintKind::ForeignKey(_)) && c.validated
    };
    let mut bare = t.clone();
    bare.indexes.clear();
    bare.constraints.retain(|_, c| inline(c));
    for c in bare.constraints.values_mut() {
        c.comment = None;
    }
    let mut out = vec![Change::CreateTable(bare)];
    // `CREATE TABLE` says `UNLOGGED`; row-level security is an `ALTER TABLE`.
    let created = TableFlags {
        unlogged: t.unlogged,
        ..TableFlags::default()
    };
    if TableFlags::of(t) != created {
        out.push(Change::SetTableFlags {
            table: t.name.clone(),
            from: created,
            to: TableFlags::of(t),
        });
    }
    for c in t.constraints.values() {
        if !inline(c) {
            out.push(Change::AddConstraint {
                table: t.name.clone(),
                constraint: c.clone(),
            });
        }
    }
    for i in t.indexes.values() {
        out.push(Change::CreateIndex {
            table: t.name.clone(),
            index: i.clone(),
        });
    }
    for c in t.constraints.values() {
        if c.comment.is_some() {
            out.push(Change::SetConstraintComment {
                table: t.name.clone(),
                constraint: c.name.clone(),
                from: None,
                to: c.comment.clone(),
            });
        }
    }
    for i in t.indexes.values() {
        if i.comment.is_some() {
            out.push(Change::SetIndexComment {
                table: t.name.clone(),
                index: i.name.clone(),
                from: None,
                to: i.comment.clone(),
            });
        }
    }
    out
}

/// A sequence as it reads after the table and column renames.
fn rename_owner(s: &Sequence, renames: &Renames) -> Sequence {
    let mut s = s.clone();
    if let Some((t, c)) = &mut s.owned_by {
        if let Some((_, new)) = renames.tables.iter().find(|(old, _)| old == t) {
            *t = new.clone();
        }
        if let Some((_, _, new)) = renames
            .columns
            .iter()
            .find(|(table, old, _)| table == t && old == c)
        {
            *c = new.clone();
        }
    }
    s
}

/// Label changes: appended or inserted labels become `ADD VALUE`; anything else
/// (a label removed or moved) recreates the type.
fn enum_changes(from: &EnumType, to: &EnumType) -> Vec<Change> {
    let mut i = 0;
    for v in &to.values {
        if from.values.get(i) == Some(v) {
            i += 1;
        }
    }
    let only_insertions = i == from.values.len();
    if !only_insertions {
        return vec![Change::RecreateEnum {
            from: from.clone(),
            to: to.clone(),
        }];
    }
    let mut out = Vec::new();
    for (k, v) in to.values.iter().enumerate() {
        if !from.values.contains(v) {
            let before = to.values[k + 1..]
                .iter()
                .find(|n| from.values.contains(n))
                .cloned();
            out.push(Change::AddEnumValue {
                name: to.name.clone(),
                value: v.clone(),
                before,
            });
        }
    }
    out
}

/// The phase of a change in a migration; see [`diff`].
fn phase(c: &Change) -> u16 {
    match c {
        // Schemas, then extensions (which may go in one), before anything
        // else: what follows may use them.
        Change::CreateSchema(_) => 0,
        Change::CreateExtension(_) | Change::ReplaceExtension { .. } => 10,
        Change::DropConstraint { constraint, .. }
            if matches!(constraint.kind, crate::model::ConstraintKind::ForeignKey(_)) =>
        {
            20
        }
        Change::DropView(_) => 14,
        // Before the functions they call are dropped (45 at the earliest).
        Change::DropColumnDefault { .. } => 42,
        // After the functions they call are created again (192 at the latest).
        Change::SetColumnDefault { .. } => 193,
        Change::DropIndex { .. } => 30,
        Change::DropConstraint { .. } => 40,
        // Before the tables and columns they use change or go.
        Change::DropPolicy(_) => 12,
        Change::DropTrigger(_) => 13,
        // After the tables, columns and functions they use.
        Change::CreateTrigger(_) | Change::ReplaceTrigger { .. } | Change::AlterTrigger { .. } => {
            196
        }
        Change::CreatePolicy(_) | Change::AlterPolicy { .. } => 197,
        Change::DropTable(_) => 50,
        Change::RenameTable { .. } | Change::RenameType { .. } | Change::RenameView { .. } => 60,
        Change::RenameColumn { .. } => 70,
        Change::RenameConstraint { .. }
        | Change::RenameIndex { .. }
        | Change::RenameSequence { .. } => 70,
        Change::CreateEnum(_) | Change::AddEnumValue { .. } | Change::RecreateEnum { .. } => 80,
        // After the enum types they may be based on (and in dependency order
        // among themselves, as `domain_changes` gives them).
        Change::CreateDomain(_)
        | Change::ReplaceDomain { .. }
        | Change::AlterDomain { .. }
        | Change::CreateComposite(_)
        | Change::AlterComposite { .. }
        | Change::ReplaceComposite { .. } => 80,
        // Before the partitions created next, whose bounds may take what a
        // changed bound gives up.
        Change::CreateSequence(_) | Change::SetPartitionBound { .. } => 90,
        Change::CreateTable(_) => 100,
        Change::AddColumn { .. } => 110,
        Change::AlterColumn { .. } => 120,
        Change::DropColumn { .. } => 130,
        Change::AlterSequence { .. }
        | Change::DropSequence(_)
        | Change::DropDomain(_)
        | Change::DropComposite(_) => 140,
        Change::DropEnum(_) => 150,
        Change::AddConstraint { constraint, .. }
            if matches!(constraint.kind, crate::model::ConstraintKind::ForeignKey(_)) =>
        {
            180
        }
        Change::AddConstraint { .. } => 160,
        Change::CreateIndex { .. } => 170,
        // Persistence changes before the foreign keys added next: a
        // permanent table references only permanent ones (a table set
        // `LOGGED` may be referenced by a new permanent table, one set
        // `UNLOGGED` may reference an unlogged table).
        Change::SetTableFlags { from, to, .. } if from.unlogged != to.unlogged => 170,
        Change::ValidateConstraint { .. } => 180,
        Change::SetTableComment { .. }
        | Change::SetSequenceComment { .. }
        | Change::SetTypeComment { .. }
        | Change::SetSchemaComment { .. }
        | Change::SetExtensionComment { .. }
        | Change::SetTableFlags { .. }
        | Change::SetConstraintComment { .. }
        | Change::SetIndexComment { .. }
        | Change::SetTableOptions { .. }
        | Change::SetIndexOptions { .. } => 190,
        Change::SetOwner { .. } | Change::Revoke { .. } | Change::Grant { .. } => 198,
        // After everything is created, so that each new object's grants
        // are the ones written for it (see `privileges::privilege_changes`).
        Change::DefaultPrivileges { .. } => 199,
        Change::CreateView(_) | Change::ReplaceView { .. } | Change::AlterView { .. } => 194,
        Change::DropExtension(_) => 200,
        Change::DropSchema(_) => 210,
        // Functions: see `diff::functions`.
        Change::CreateFunction {
            reads_views: true, ..
        }
        | Change::ReplaceFunction {
            reads_views: true, ..
        }
        | Change::RecreateFunction {
            reads_views: true, ..
        } => 195,
        Change::CreateFunction {
            reads_relations, ..
        }
        | Change::ReplaceFunction {
            reads_relations, ..
        }
        | Change::RecreateFunction {
            reads_relations, ..
        } => {
            if *reads_relations {
                192
            } else {
                85
            }
        }
        Change::DropFunction {
            reads_relations, ..
        } => {
            if *reads_relations {
                45
            } else {
                135
            }
        }
        Change::SetFunctionComment { .. } | Change::SetOtherComment { .. } => 199,
        Change::CreateOther(o) | Change::RecreateOther { to: o, .. } => {
            others::create_phase(o.identity.kind)
        }
        Change::DropOther(o) => others::drop_phase(o.identity.kind),
    }
}

/// Orders changes by phase (stable, so name order holds within a phase), after
/// adding the foreign-key drops that dependencies require:
/// - a foreign key of a dropped table that references another dropped table, or a
///   key (primary/unique) being dropped, is dropped first;
/// - a surviving foreign key that references a key being dropped (e.g. a primary
///   key that changes) is dropped first and added back after the new key.
fn order(changes: Vec<Change>, from: &Schema, to: &Schema) -> Vec<Change> {
    use crate::model::ConstraintKind;
    let dropped_tables: Vec<QualifiedName> = changes
        .iter()
        .filter_map(|c| match c {
            Change::DropTable(t) => Some(t.name.clone()),
            _ => None,
        })
        .collect();
    let dropped_keys: Vec<(QualifiedName, Vec<String>)> = changes
        .iter()
        .filter_map(|c| match c {
            Change::DropConstraint { table, constraint } if constraint.kind.has_index() => {
                Some((table.clone(), constraint.kind.columns().to_vec()))
            }
            _ => None,
        })
        .collect();
    let already_dropped = |table: &QualifiedName, name: &str| {
        changes.iter().any(|c| {
            matches!(c, Change::DropConstraint { table: t, constraint } if t == table && constraint.name == name)
        })
    };
    let depends_on_dropped_key = |fk: &ForeignKeyRef<'_>| {
        dropped_keys
            .iter()
            .any(|(t, cols)| t == fk.ref_table && cols == fk.ref_columns)
    };
    // Columns whose type changes (directly, or through a recreated enum type): a
    // foreign key over them must go while they change, and come back after.
    let recreated: Vec<&QualifiedName> = changes
        .iter()
        .filter_map(|c| match c {
            Change::RecreateEnum { from, .. } => Some(&from.name),
            _ => None,
        })
        .collect();
    let uses_recreated = |ty: &crate::model::SqlType| match ty {
        crate::model::SqlType::Named(n) => recreated.contains(&n),
        crate::model::SqlType::Array(inner) => {
            matches!(&**inner, crate::model::SqlType::Named(n) if recreated.contains(&n))
        }
        _ => false,
    };
    // Under their names in `from` (the foreign keys below are `from`'s).
    let old_table = |table: &QualifiedName| {
        changes
            .iter()
            .find_map(|c| match c {
                Change::RenameTable { from, to } if to == table => Some(from.clone()),
                _ => None,
            })
            .unwrap_or_else(|| table.clone())
    };
    let old_column = |table: &QualifiedName, column: &str| {
        changes
            .iter()
            .find_map(|c| match c {
                Change::RenameColumn { table: t, from, to } if t == table && to == column => {
                    Some(from.clone())
                }
                _ => None,
            })
            .unwrap_or_else(|| column.to_string())
    };
    let mut retyped: Vec<(QualifiedName, String)> = changes
        .iter()
        .filter_map(|c| match c {
            // A new collation is an `ALTER COLUMN ... TYPE` too, and
            // PostgreSQL 15 fails re-checking a foreign key over it that holds
            // an array column ("could not find cast from 1007 to 2277").
            Change::AlterColumn { table, from, to }
                if from.data_type != to.data_type || from.collation != to.collation =>
            {
                Some((old_table(table), old_column(table, &to.name)))
            }
            _ => None,
        })
        .collect();
    for t in from.tables.values().filter(|_| !recreated.is_empty()) {
        for c in t.columns.iter().filter(|c| uses_recreated(&c.data_type)) {
            retyped.push((t.name.clone(), c.name.clone()));
        }
    }
    let touches_retyped = |table: &QualifiedName, fk: &crate::model::ForeignKey| {
        retyped.iter().any(|(t, c)| {
            (t == table && fk.columns.contains(c))
                || (*t == fk.ref_table && fk.ref_columns.contains(c))
        })
    };
    let mut extra = Vec::new();
    let mut renamed_away: Vec<(QualifiedName, String)> = Vec::new();
    let nothing_to_check =
        dropped_keys.is_empty() && dropped_tables.len() < 2 && retyped.is_empty();
    for t in from.tables.values().filter(|_| !nothing_to_check) {
        let table_dropped = dropped_tables.contains(&t.name);
        for constraint in t.constraints.values() {
            let ConstraintKind::ForeignKey(fk) = &constraint.kind else {
                continue;
            };
            if already_dropped(&t.name, &constraint.name) {
                continue;
            }
            let fk_ref = ForeignKeyRef {
                ref_table: &fk.ref_table,
                ref_columns: &fk.ref_columns,
            };
            let needs_drop = if table_dropped {
                (fk.ref_table != t.name && dropped_tables.contains(&fk.ref_table))
                    || depends_on_dropped_key(&fk_ref)
            } else {
                depends_on_dropped_key(&fk_ref) || touches_retyped(&t.name, fk)
            };
            if !needs_drop {
                continue;
            }
            extra.push(Change::DropConstraint {
                table: t.name.clone(),
                constraint: constraint.clone(),
            });
            if !table_dropped {
                // Still wanted: add it back once the new key exists, under the
                // names the migration's renames give it (and without renaming it).
                let table_now = changes
                    .iter()
                    .find_map(|c| match c {
                        Change::RenameTable { from, to } if *from == t.name => Some(to.clone()),
                        _ => None,
                    })
                    .unwrap_or_else(|| t.name.clone());
                let name_now = changes
                    .iter()
                    .find_map(|c| match c {
                        Change::RenameConstraint { table, from, to }
                            if *table == table_now && *from == constraint.name =>
                        {
                            Some(to.clone())
                        }
                        _ => None,
                    })
                    .unwrap_or_else(|| constraint.name.clone());
                renamed_away.push((table_now.clone(), constraint.name.clone()));
                let back = to
                    .tables
                    .get(&table_now)
                    .and_then(|tt| tt.constraints.get(&name_now))
                    .filter(|c| matches!(&c.kind, ConstraintKind::ForeignKey(_)))
                    .cloned();
                let re_added = changes.iter().any(|c| {
                    matches!(c, Change::AddConstraint { table, constraint: a } if *table == table_now && a.name == name_now)
                });
                if let (Some(back), false) = (back, re_added) {
                    // Its comment goes with it: set it again (unless the
                    // migration sets it anyway).
                    let comment_set = changes.iter().any(|c| {
                        matches!(c, Change::SetConstraintComment { table, constraint, .. } if *table == table_now && *constraint == name_now)
                    });
                    if back.comment.is_some() && !comment_set {
                        extra.push(Change::SetConstraintComment {
                            table: table_now.clone(),
                            constraint: name_now.clone(),
                            from: None,
                            to: back.comment.clone(),
                        });
                    }
                    extra.push(Change::AddConstraint {
                        table: table_now,
                        constraint: back,
                    });
                }
            }
        }
    }
    // A foreign key dropped and added back is not also renamed.
    let changes: Vec<Change> = changes
        .into_iter()
        .filter(|c| {
            !matches!(c, Change::RenameConstraint { table, from, .. }
                if renamed_away.iter().any(|(t, n)| t == table && n == from))
        })
        .collect();
    let mut all: Vec<Change> = extra.into_iter().chain(changes).collect();
    all.sort_by_key(phase);
    // A partitioned table is created before its partitions.
    all.sort_by_key(|c| match c {
        Change::CreateTable(t) => (phase(c), partition_depth(to, &t.name)),
        // A partitioned table's column changes reach its partitions first.
        Change::AlterColumn { table, .. } => (phase(c), partition_depth(to, table)),
        other => (phase(other), 0),
    });
    persistence_in_reference_order(
        drops_before_enum_recreations(drops_before_renames_that_take_their_names(all)),
        to,
    )
}

/// True when `from` and `to` (one table) are partitioned alike (or both
/// not), and are partitions of the same table (or both not).
fn same_partitioning(from: &Table, to: &Table, renames: &Renames) -> bool {
    from.partition_by == to.partition_by
        && match (&from.partition_of, &to.partition_of) {
            (None, None) => true,
            (Some(a), Some(b)) => renames.table_source(&b.parent) == &a.parent,
            _ => false,
        }
}

/// How many partitioned tables `table` is (transitively) a partition of.
fn partition_depth(schema: &Schema, table: &QualifiedName) -> usize {
    let mut depth = 0;
    let mut at = table;
    while let Some(of) = schema.tables.get(at).and_then(|t| t.partition_of.as_ref()) {
        depth += 1;
        at = &of.parent;
        if depth > schema.tables.len() {
            break;
        }
    }
    depth
}

/// PostgreSQL checks foreign keys when a table's persistence changes: a table
/// set `UNLOGGED` must not be referenced by a logged table, and a table set
/// `LOGGED` must not reference an unlogged one. So among the tables whose
/// persistence changes, those set unlogged go referencing table first, those
/// set logged referenced table first (a cycle keeps name order: PostgreSQL
/// refuses it whatever the order).
fn persistence_in_reference_order(mut all: Vec<Change>, to: &Schema) -> Vec<Change> {
    let slots: Vec<usize> = (0..all.len())
        .filter(|&i| {
            matches!(&all[i], Change::SetTableFlags { from, to, .. } if from.unlogged != to.unlogged)
        })
        .collect();
    if slots.len() < 2 {
        return all;
    }
    let references = |a: &QualifiedName, b: &QualifiedName| {
        a != b
            && to.tables.get(a).is_some_and(|t| {
                t.constraints.values().any(|c| {
                    matches!(&c.kind, crate::model::ConstraintKind::ForeignKey(fk) if fk.ref_table == *b)
                })
            })
    };
    // `x` must come before `y`.
    let before = |x: &Change, y: &Change| match (x, y) {
        (
            Change::SetTableFlags {
                table: a, to: ta, ..
            },
            Change::SetTableFlags {
                table: b, to: tb, ..
            },
        ) if ta.unlogged == tb.unlogged => {
            if ta.unlogged {
                references(a, b)
            } else {
                references(b, a)
            }
        }
        _ => false,
    };
    let mut pending: Vec<Change> = slots.iter().map(|&i| all[i].clone()).collect();
    let mut sorted = Vec::new();
    while !pending.is_empty() {
        let next = (0..pending.len())
            .find(|&i| !pending.iter().any(|other| before(other, &pending[i])))
            .unwrap_or(0);
        sorted.push(pending.remove(next));
    }
    for (slot, change) in slots.into_iter().zip(sorted) {
        all[slot] = change;
    }
    all
}

/// A column of a recreated enum type that the migration drops anyway goes
/// before the recreation: converting its rows to the new type would fail on
/// the very labels the recreation removes (the down of "add a label and a
/// column holding it").
fn drops_before_enum_recreations(mut all: Vec<Change>) -> Vec<Change> {
    let Some(first) = all
        .iter()
        .position(|c| matches!(c, Change::RecreateEnum { .. }))
    else {
        return all;
    };
    let recreated: Vec<QualifiedName> = all
        .iter()
        .filter_map(|c| match c {
            Change::RecreateEnum { from, .. } => Some(from.name.clone()),
            _ => None,
        })
        .collect();
    let uses = |ty: &crate::model::SqlType| match ty {
        crate::model::SqlType::Named(n) => recreated.contains(n),
        crate::model::SqlType::Array(inner) => {
            matches!(&**inner, crate::model::SqlType::Named(n) if recreated.contains(n))
        }
        _ => false,
    };
    let moved: Vec<usize> = (first..all.len())
        .filter(
            |&i| matches!(&all[i], Change::DropColumn { column, .. } if uses(&column.data_type)),
        )
        .collect();
    for (k, i) in moved.into_iter().enumerate() {
        let c = all.remove(i);
        all.insert(first + k, c);
    }
    all
}

/// A table or column dropped because a rename takes its name must go before
/// that rename.
fn drops_before_renames_that_take_their_names(mut all: Vec<Change>) -> Vec<Change> {
    // Tables: before the first table rename. Columns: before the first column
    // rename (after table renames, under the table's new name).
    for tables in [true, false] {
        let first = all.iter().position(|c| {
            if tables {
                matches!(c, Change::RenameTable { .. })
            } else {
                matches!(c, Change::RenameColumn { .. })
            }
        });
        let Some(first) = first else { continue };
        let takes = |c: &Change, all: &[Change]| -> bool {
            all.iter().any(|r| match (r, c) {
                (Change::RenameTable { from, to }, Change::DropTable(t)) if tables => {
                    *to == t.name && *from != t.name
                }
                (
                    Change::RenameColumn { table, from, to },
                    Change::DropColumn { table: t, column },
                ) if !tables => table == t && *to == column.name && *from != column.name,
                _ => false,
            })
        };
        let moved: Vec<usize> = (first..all.len())
            .filter(|&i| takes(&all[i], &all))
            .collect();
        for (k, i) in moved.into_iter().enumerate() {
            let c = all.remove(i);
            all.insert(first + k, c);
        }
    }
    all
}

/// What a foreign key references.
struct ForeignKeyRef<'a> {
    ref_table: &'a QualifiedName,
    ref_columns: &'a [String],
}

/// The columns of `from` and `to`, one table (see [`compare_tables`]).
fn compare_columns(
    from: &Table,
    to: &Table,
    renames: &Renames,
    seq_renames: &[(QualifiedName, QualifiedName)],
    renamed_columns: &[&(QualifiedName, String, String)],
    out: &mut Vec<Change>,
) {
    let table = &to.name;
    // Columns of `to` with their source column in `from`.
    for c in &to.columns {
        let source = renames.column_source(table, &c.name);
        // A new column may take the old name of a column renamed away.
        let takes_renamed_name =
            source == c.name && renamed_columns.iter().any(|(_, old, _)| *old == c.name);
        match from.column(source).filter(|_| !takes_renamed_name) {
            None => out.push(Change::AddColumn {
                table: table.clone(),
                column: c.clone(),
            }),
            Some(f) => {
                if source != c.name {
                    out.push(Change::RenameColumn {
                        table: table.clone(),
                        from: source.to_string(),
                        to: c.name.clone(),
                    });
                }
                let mut renamed = f.clone();
                renamed.name = c.name.clone();
                // PostgreSQL carries column renames into generated expressions.
                for (_, old, new) in renamed_columns {
                    if let Some(g) = &mut renamed.generated {
                        **g = crate::model::mentions::rename_in_expression(g, old, new);
                    }
                }
                for (old, new) in seq_renames {
                    if renamed.default == Some(crate::model::expr::nextval(old)) {
                        renamed.default = Some(crate::model::expr::nextval(new));
                    }
                }
                if renamed != *c {
                    out.push(Change::AlterColumn {
                        table: table.clone(),
                        from: renamed,
                        to: c.clone(),
                    });
                }
            }
        }
    }
    for c in &from.columns {
        let renamed_away = renamed_columns.iter().any(|(_, old, _)| *old == c.name);
        let name_taken = renamed_columns
            .iter()
            .any(|(_, old, new)| *new == c.name && *old != c.name);
        if !renamed_away && (to.column(&c.name).is_none() || name_taken) {
            out.push(Change::DropColumn {
                table: table.clone(),
                column: c.clone(),
            });
        }
    }
}

fn compare_tables(
    from: &Table,
    to: &Table,
    renames: &Renames,
    seq_renames: &[(QualifiedName, QualifiedName)],
    out: &mut Vec<Change>,
) {
    let table = &to.name;
    let renamed_columns: Vec<&(QualifiedName, String, String)> = renames
        .columns
        .iter()
        .filter(|(t, _, _)| t == table)
        .collect();
    if from.partition_of.is_some() && to.partition_of.is_some() {
        // A partition's columns are its parent's, whose changes PostgreSQL
        // carries to it: only its own column comments, storage and
        // compression compare.
        for c in &to.columns {
            let own = from.column(renames.column_source(table, &c.name));
            // A column new to the parent comes without a comment, and with
            // the parent's storage and compression (`ADD COLUMN` and `SET
            // STORAGE` reach the partitions), taken as the partition's own;
            // a new type resets them.
            let was = own.and_then(|f| f.comment.clone());
            let (storage, compression) = match own {
                Some(f) if f.data_type == c.data_type && f.collation == c.collation => {
                    (f.storage, f.compression)
                }
                Some(_) => (None, None),
                None => (c.storage, c.compression),
            };
            if was != c.comment || storage != c.storage || compression != c.compression {
                let mut before = c.clone();
                before.comment = was;
                before.storage = storage;
                before.compression = compression;
                out.push(Change::AlterColumn {
                    table: table.clone(),
                    from: before,
                    to: c.clone(),
                });
            }
        }
    } else {
        compare_columns(from, to, renames, seq_renames, &renamed_columns, out);
    }
    // Constraints and indexes compare after renames are applied to `from`'s.
    // A column of `from` whose name a renamed column takes (a new column
    // took the old name of a renamed one, and the down renames it back) is
    // another column than `to`'s of that name: what names it does not match.
    let taken_over = |name: &str| {
        !renamed_columns.iter().any(|(_, old, _)| old == name)
            && renamed_columns.iter().any(|(_, _, new)| new == name)
    };
    let rename_col = |name: &str| -> String {
        if taken_over(name) {
            return format!("{name}\u{0}(dropped)");
        }
        renamed_columns
            .iter()
            .find(|(_, old, _)| old == name)
            .map_or_else(|| name.to_string(), |(_, _, new)| new.clone())
    };
    let renamed_constraint = |c: &Constraint| -> Constraint {
        let mut c = c.clone();
        if renames.columns.is_empty() && renames.tables.is_empty() {
            return c;
        }
        match &mut c.kind {
            crate::model::ConstraintKind::PrimaryKey { columns, include }
            | crate::model::ConstraintKind::Unique {
                columns, include, ..
            } => {
                for col in columns.iter_mut().chain(include.iter_mut()) {
                    *col = rename_col(col);
                }
            }
            crate::model::ConstraintKind::ForeignKey(fk) => {
                for col in fk.columns.iter_mut() {
                    *col = rename_col(col);
                }
                if let Some((_, new)) = renames.tables.iter().find(|(old, _)| *old == fk.ref_table)
                {
                    fk.ref_table = new.clone();
                }
                let target = fk.ref_table.clone();
                for col in fk.ref_columns.iter_mut() {
                    if let Some((_, _, new)) = renames
                        .columns
                        .iter()
                        .find(|(t, old, _)| *t == target && old == col)
                    {
                        *col = new.clone();
                    }
                }
            }
            crate::model::ConstraintKind::Check { expr } => {
                for (_, old, new) in &renamed_columns {
                    *expr = crate::model::mentions::rename_in_expression(expr, old, new);
                }
            }
            crate::model::ConstraintKind::Exclude(x) => {
                for (_, old, new) in &renamed_columns {
                    crate::model::mentions::rename_in_exclusion(x, old, new);
                }
            }
        }
        c
    };
    let renamed_index = |i: &Index| -> Index {
        let mut i = i.clone();
        for col in i.include.iter_mut().filter(|c| taken_over(c)) {
            *col = rename_col(col);
        }
        for k in &mut i.keys {
            if let crate::model::IndexPart::Column(c) = &mut k.part {
                if taken_over(c) {
                    *c = rename_col(c);
                }
            }
        }
        for (_, old, new) in &renamed_columns {
            for col in i.include.iter_mut() {
                if col == old {
                    *col = new.clone();
                }
            }
            for k in &mut i.keys {
                match &mut k.part {
                    crate::model::IndexPart::Column(c) if c == old => *c = new.clone(),
                    crate::model::IndexPart::Expression(e) => {
                        *e = crate::model::mentions::rename_in_expression(e, old, new);
                    }
                    crate::model::IndexPart::Column(_) => {}
                }
            }
            if let Some(p) = &mut i.predicate {
                *p = crate::model::mentions::rename_in_expression(p, old, new);
            }
        }
        i
    };
    let same_body = |a: &Constraint, b: &Constraint| {
        a.kind == b.kind
            && a.deferrable == b.deferrable
            && a.initially_deferred == b.initially_deferred
            && a.validated == b.validated
    };
    // Kept when equal but for the comment (its own change) and a validation
    // (`VALIDATE CONSTRAINT`; valid to not valid is a drop and an add).
    let kept = |f: &Constraint, t: &Constraint| {
        let mut f = renamed_constraint(f);
        f.comment.clone_from(&t.comment);
        f.validated |= t.validated;
        f == *t
    };
    let mut dropped: Vec<Constraint> = Vec::new();
    for (name, c) in &from.constraints {
        if !to.constraints.get(name).is_some_and(|t| kept(c, t)) {
            dropped.push(c.clone());
        }
    }
    let mut added: Vec<Constraint> = Vec::new();
    let mut validated: Vec<String> = Vec::new();
    for (name, c) in &to.constraints {
        match from.constraints.get(name) {
            Some(f) if kept(f, c) => {
                if !f.validated && c.validated {
                    validated.push(name.clone());
                }
            }
            _ => added.push(c.clone()),
        }
    }
    // A dropped and an added constraint with one definition is a rename.
    let mut renamed = Vec::new();
    dropped.retain(|d| {
        let body = renamed_constraint(d);
        match added
            .iter()
            .position(|a| same_body(&body, a) && !to.constraints.contains_key(&d.name))
        {
            Some(i) => {
                renamed.push((d.name.clone(), added.remove(i).name));
                false
            }
            None => true,
        }
    });
    for d in dropped {
        out.push(Change::DropConstraint {
            table: from.name.clone(),
            constraint: d,
        });
    }
    for (old, new) in &renamed {
        out.push(Change::RenameConstraint {
            table: table.clone(),
            from: old.clone(),
            to: new.clone(),
        });
    }
    // The comment each constraint of `to` had before: none when it is added.
    let mut prior_comments: Vec<(String, Option<String>)> = Vec::new();
    for c in to.constraints.values() {
        let prior = if added.iter().any(|a| a.name == c.name) {
            None
        } else {
            let source = renamed
                .iter()
                .find(|(_, new)| *new == c.name)
                .map_or(&c.name, |(old, _)| old);
            from.constraints.get(source).and_then(|f| f.comment.clone())
        };
        if prior != c.comment {
            prior_comments.push((c.name.clone(), prior));
        }
    }
    for a in added {
        out.push(Change::AddConstraint {
            table: table.clone(),
            constraint: a,
        });
    }
    for name in validated {
        out.push(Change::ValidateConstraint {
            table: table.clone(),
            constraint: name,
        });
    }
    for (name, prior) in prior_comments {
        out.push(Change::SetConstraintComment {
            table: table.clone(),
            to: to.constraints.get(&name).and_then(|c| c.comment.clone()),
            constraint: name,
            from: prior,
        });
    }
    let bare_index = |i: &Index| {
        let mut i = i.clone();
        i.comment = None;
        i
    };
    let same_index = |a: &Index, b: &Index| {
        let mut a = bare_index(a);
        a.name.clone_from(&b.name);
        a == bare_index(b)
    };
    let mut dropped: Vec<Index> = Vec::new();
    // An index that differs only in its storage parameters is altered in place.
    let options_only = |f: &Index, t: &Index| {
        let mut body = bare_index(&renamed_index(f));
        let differ = body.options != t.options;
        body.options = t.options.clone();
        differ && body == bare_index(t)
    };
    for (name, i) in &from.indexes {
        let target = to.indexes.get(name);
        if let Some(t) = target.filter(|t| options_only(i, t)) {
            out.push(Change::SetIndexOptions {
                table: table.clone(),
                index: name.clone(),
                from: i.options.clone(),
                to: t.options.clone(),
            });
        } else if target.map(bare_index) != Some(bare_index(&renamed_index(i))) {
            dropped.push(i.clone());
        }
    }
    let mut added: Vec<Index> = Vec::new();
    for (name, i) in &to.indexes {
        let same = from
            .indexes
            .get(name)
            .is_some_and(|f| bare_index(&renamed_index(f)) == bare_index(i) || options_only(f, i));
        if !same {
            added.push(i.clone());
        }
    }
    let mut renamed = Vec::new();
    dropped.retain(|d| {
        let body = renamed_index(d);
        match added
            .iter()
            .position(|a| same_index(&body, a) && !to.indexes.contains_key(&d.name))
        {
            Some(i) => {
                renamed.push((d.name.clone(), added.remove(i).name));
                false
            }
            None => true,
        }
    });
    for d in dropped {
        out.push(Change::DropIndex {
            table: from.name.clone(),
            index: d,
        });
    }
    for (old, new) in &renamed {
        out.push(Change::RenameIndex {
            table: table.clone(),
            from: old.clone(),
            to: new.clone(),
        });
    }
    let mut prior_comments: Vec<(String, Option<String>)> = Vec::new();
    for i in to.indexes.values() {
        let prior = if added.iter().any(|a| a.name == i.name) {
            None
        } else {
            let source = renamed
                .iter()
                .find(|(_, new)| *new == i.name)
                .map_or(&i.name, |(old, _)| old);
            from.indexes.get(source).and_then(|f| f.comment.clone())
        };
        if prior != i.comment {
            prior_comments.push((i.name.clone(), prior));
        }
    }
    for a in added {
        out.push(Change::CreateIndex {
            table: table.clone(),
            index: a,
        });
    }
    for (name, prior) in prior_comments {
        out.push(Change::SetIndexComment {
            table: table.clone(),
            to: to.indexes.get(&name).and_then(|i| i.comment.clone()),
            index: name,
            from: prior,
        });
    }
    if from.comment != to.comment {
        out.push(Change::SetTableComment {
            table: table.clone(),
            from: from.comment.clone(),
            to: to.comment.clone(),
        });
    }
    if TableFlags::of(from) != TableFlags::of(to) {
        out.push(Change::SetTableFlags {
            table: table.clone(),
            from: TableFlags::of(from),
            to: TableFlags::of(to),
        });
    }
    if from.options != to.options {
        out.push(Change::SetTableOptions {
            table: table.clone(),
            from: from.options.clone(),
            to: to.options.clone(),
        });
    }
}

/// The columns `changes` drop or retype (type or collation), as `(table,
/// column)` with the column's name after the change: what an index, trigger or
/// policy on them must make way for.
pub(crate) fn dropped_or_retyped_columns(changes: &[Change]) -> Vec<(&QualifiedName, &str)> {
    changes
        .iter()
        .filter_map(|c| match c {
            Change::DropColumn { table, column } => Some((table, column.name.as_str())),
            Change::AlterColumn { table, from, to }
                if from.data_type != to.data_type || from.collation != to.collation =>
            {
                Some((table, to.name.as_str()))
            }
            _ => None,
        })
        .collect()
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
    fn table_flags_are_their_own_change_and_follow_a_new_table() {
        let plain = schema("create table t (a int primary key);");
        let flagged = schema(
            "create unlogged table t (a int primary key);\nalter table t enable row level security, force row level security;",
        );
        let all = TableFlags {
            unlogged: true,
            row_security: true,
            force_row_security: true,
        };
        let changes = compare(&plain, &flagged);
        assert_eq!(
            changes,
            vec![Change::SetTableFlags {
                table: QualifiedName::new("public", "t"),
                from: TableFlags::default(),
                to: all,
            }]
        );
        assert_eq!(
            changes[0].to_string(),
            "alter table `t`: set unlogged, enable row level security, force row level security"
        );
        let created = compare(&Schema::new(), &flagged);
        assert!(matches!(&created[0], Change::CreateTable(t) if t.unlogged && t.row_security));
        assert_eq!(
            created[1],
            Change::SetTableFlags {
                table: QualifiedName::new("public", "t"),
                from: TableFlags {
                    unlogged: true,
                    ..TableFlags::default()
                },
                to: all,
            }
        );
        assert_eq!(created.len(), 2);
    }

    #[test]
    fn a_table_flag_schema_sql_adds_is_drift_at_the_table() {
        let migrated = schema("create table t (a int primary key);");
        let declared =
            schema("create table t (a int primary key);\nalter table t enable row level security;");
        let d = drift::drift(&migrated, &declared);
        assert_eq!(d.len(), 1, "{d:?}");
        let text = crate::diagnostic::render_all(&d, false);
        assert!(
            text.contains("schema.sql would enable row level security") && text.contains("t.sql:1"),
            "{text}"
        );
        // A new table's flags are part of its one `unmigrated_object` report.
        let d = drift::drift(&Schema::new(), &declared);
        assert_eq!(d.len(), 1, "{d:?}");
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
                "create table `new`",
                "add column `t.c` text",
                "alter column `t.a`: type `integer` → `bigint`",
                "drop column `t.b`",
                "add unique constraint `t_c_key` on `t`",
                "create index `t_c_idx` on `t`",
            ]
        );
    }
}
