//! `ALTER TABLE`: its operations, `ALTER COLUMN`, the renames of tables,
//! columns and constraints (carried into what refers to them), and `OWNER TO`.

use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, GeneratedAs, Ident, ObjectType, RenameTableNameKind,
    TableConstraint,
};

use super::storage::Owner;
use super::tables::column_default;
use super::{Cx, Mode, Res};
use crate::diagnostic::{Diagnostic, codes};
use crate::model::mentions::{references, rename_in_exclusion, rename_in_expression};
use crate::model::names::{closest, fold_ident};
use crate::model::privileges::AclKind;
use crate::model::types::TypeSpec;
use crate::model::{
    Column, ConstraintKind, Identity, IndexPart, QualifiedName, SequenceOption, SequenceType,
};

impl Cx<'_> {
    pub(super) fn alter_table_statement(&mut self, at: &sqlparser::ast::AlterTable) -> Res<()> {
        let sqlparser::ast::AlterTable {
            name: table,
            if_exists,
            // Inheritance is refused, and what `ALTER TABLE ONLY` leaves out
            // on a partitioned table is what pg_dump then adds to each
            // partition (or attaches), so the end is the same.
            only: _,
            operations,
            location,
            on_cluster,
            table_type,
            end_token: _,
        } = at;
        if location.is_some() || on_cluster.is_some() || table_type.is_some() {
            return Err(self.unsupported("`ALTER TABLE` forms other than PostgreSQL's"));
        }
        let name = self.name(table)?;
        self.check_object_name(table, "table")?;
        let owner_only = operations
            .iter()
            .all(|op| matches!(op, AlterTableOperation::OwnerTo { .. }));
        if !self.schema.tables.contains_key(&name) {
            // pg_dump writes `ALTER TABLE s OWNER TO` for a sequence too.
            // ... and for a view.
            let kind = if self.schema.sequences.contains_key(&name) {
                Some(AclKind::Sequence)
            } else if self.schema.views.contains_key(&name) {
                Some(AclKind::Table)
            } else {
                None
            };
            if let (true, Some(kind)) = (owner_only, kind) {
                for op in operations {
                    if let AlterTableOperation::OwnerTo { new_owner } = op {
                        let owner = super::privileges::owner_role(new_owner);
                        self.set_owner(kind, &name, owner);
                    }
                }
                return Ok(());
            }
            if *if_exists || (owner_only && self.schema.relation_name_taken(&name)) {
                return Ok(());
            }
            return Err(self.unknown_table(&name, &self.at_name(table)));
        }
        let is_partition = self.schema.tables[&name].partition_of.is_some();
        for op in operations {
            if is_partition
                && matches!(
                    op,
                    AlterTableOperation::AddColumn { .. }
                        | AlterTableOperation::DropColumn { .. }
                        | AlterTableOperation::AlterColumn { .. }
                        | AlterTableOperation::RenameColumn { .. }
                )
            {
                return Err(self
                    .unsupported(format!("changing a column of partition `{name}` on its own"))
                    .note("a partition has its parent's columns; PostgreSQL refuses adding, dropping, renaming or retyping one, and the model does not carry a partition's own defaults or NOT NULL")
                    .help("change the column on the partitioned table: PostgreSQL carries it to every partition"));
            }
            self.alter_table(&name, op)?;
        }
        self.sync_partition_columns(&name);
        Ok(())
    }

    fn alter_table(&mut self, name: &QualifiedName, op: &AlterTableOperation) -> Res<()> {
        let origin = self.origin();
        match op {
            AlterTableOperation::AddColumn {
                column_keyword: _,
                if_not_exists,
                column_def,
                column_position,
            } => {
                if column_position.is_some() {
                    return Err(self.unsupported("column position (`FIRST`/`AFTER`)"));
                }
                let exists = self
                    .table_mut(name, &origin)?
                    .column(&fold_ident(&column_def.name))
                    .is_some();
                if exists && *if_not_exists {
                    return Ok(());
                }
                let mut pending = Vec::new();
                self.add_column(name, column_def, self.directives.clone(), &mut pending)?;
                self.add_constraints(name, pending)
            }
            AlterTableOperation::DropColumn {
                has_column_keyword: _,
                column_names,
                if_exists,
                drop_behavior,
            } => {
                self.not_in_declarative("ALTER TABLE ... DROP COLUMN")?;
                let cascade = matches!(drop_behavior, Some(sqlparser::ast::DropBehavior::Cascade));
                for c in column_names {
                    self.drop_column(name, &fold_ident(c), *if_exists, cascade)?;
                }
                Ok(())
            }
            AlterTableOperation::AlterColumn { column_name, op } => {
                self.alter_column(name, column_name, op)
            }
            AlterTableOperation::AddConstraint {
                constraint:
                    c @ (TableConstraint::PrimaryKeyUsingIndex(using)
                    | TableConstraint::UniqueUsingIndex(using)),
                not_valid,
            } => {
                let primary = matches!(c, TableConstraint::PrimaryKeyUsingIndex(_));
                if *not_valid {
                    let at = self.at_words(&["NOT", "VALID"]).unwrap_or(origin);
                    return Err(Diagnostic::error(
                        codes::NOT_ALLOWED_HERE,
                        "a constraint on an existing index cannot be marked `NOT VALID`",
                    )
                    .at(&at)
                    .help("remove `NOT VALID`: the index already holds every row"));
                }
                self.add_constraint_using_index(name, using, primary, &origin)
            }
            AlterTableOperation::AddConstraint {
                constraint,
                not_valid,
            } => {
                self.table_mut(name, &origin)?;
                let mut p = self.table_constraint(constraint)?;
                if *not_valid {
                    if !p.kind.can_be_not_valid() {
                        let at = self.at_words(&["NOT", "VALID"]).unwrap_or(origin);
                        return Err(Diagnostic::error(
                            codes::NOT_ALLOWED_HERE,
                            format!("a {} cannot be marked `NOT VALID`", p.kind.describe()),
                        )
                        .at(&at)
                        .help("only check constraints and foreign keys can be added `NOT VALID`; remove `NOT VALID`"));
                    }
                    p.validated = false;
                }
                self.add_constraints(name, vec![p])
            }
            AlterTableOperation::DropConstraint {
                if_exists,
                name: cname,
                drop_behavior,
            } => {
                let exists = self
                    .table_mut(name, &origin)?
                    .constraints
                    .contains_key(&fold_ident(cname));
                if *if_exists && !exists {
                    // pg_dump --clean: dropping what was never created is a no-op.
                    return Ok(());
                }
                self.not_in_declarative("ALTER TABLE ... DROP CONSTRAINT")?;
                let cascade = matches!(drop_behavior, Some(sqlparser::ast::DropBehavior::Cascade));
                self.drop_constraint(name, &fold_ident(cname), *if_exists, cascade)
            }
            AlterTableOperation::RenameColumn {
                old_column_name,
                new_column_name,
            } => {
                self.not_in_declarative("ALTER TABLE ... RENAME COLUMN")?;
                self.check_name(new_column_name, "column")?;
                let (old, new) = (fold_ident(old_column_name), fold_ident(new_column_name));
                self.refuse_change_read_by_views(name, Some(&old), "rename")?;
                self.rename_column(name, &old, &new)?;
                self.rename_partition_column(name, &old, &new);
                Ok(())
            }
            AlterTableOperation::RenameTable { table_name } => {
                self.not_in_declarative("ALTER TABLE ... RENAME TO")?;
                self.refuse_change_read_by_views(name, None, "rename")?;
                let new = match table_name {
                    RenameTableNameKind::As(n) | RenameTableNameKind::To(n) => {
                        self.check_object_name(n, "table")?;
                        self.name(n)?
                    }
                };
                self.rename_table(name, &new.name)
            }
            AlterTableOperation::RenameConstraint { old_name, new_name } => {
                self.not_in_declarative("ALTER TABLE ... RENAME CONSTRAINT")?;
                self.check_name(new_name, "constraint")?;
                self.rename_constraint(name, &fold_ident(old_name), &fold_ident(new_name))
            }
            AlterTableOperation::OwnerTo { new_owner } => {
                self.set_owner(
                    AclKind::Table,
                    name,
                    super::privileges::owner_role(new_owner),
                );
                Ok(())
            }
            AlterTableOperation::ValidateConstraint { name: cname } => {
                self.validate_constraint(name, cname)
            }
            AlterTableOperation::AttachPartitionOf {
                partition,
                for_values,
            } => self.attach_partition(name, partition, for_values),
            AlterTableOperation::DetachPartitionOf { partition, mode } => {
                if matches!(mode, Some(sqlparser::ast::DetachPartitionMode::Finalize)) {
                    return Err(self.refuse_clause(
                        "DETACH PARTITION ... FINALIZE",
                        &["FINALIZE"],
                        "ALTER TABLE",
                    ));
                }
                self.not_in_declarative("ALTER TABLE ... DETACH PARTITION")?;
                self.detach_partition(name, partition)
            }
            AlterTableOperation::AttachPartition { .. } => {
                Err(self.refuse_clause("ATTACH PARTITION", &["ATTACH", "PARTITION"], "ALTER TABLE"))
            }
            AlterTableOperation::DetachPartition { .. } => {
                Err(self.refuse_clause("DETACH PARTITION", &["DETACH", "PARTITION"], "ALTER TABLE"))
            }
            AlterTableOperation::SetOptionsParens { options } => {
                let written = self.written_options(options)?;
                let set = self.storage_parameters(&written, Owner::Table, false)?;
                let table = self.table_mut(name, &origin)?;
                for (n, v) in set {
                    table.options.set(&n, v.as_deref().unwrap_or("true"));
                }
                self.check_toast_parameters(name)
            }
            AlterTableOperation::ResetOptions { options } => {
                let written: Vec<_> = options.iter().map(|n| self.written_name(n)).collect();
                let reset = self.storage_parameters(&written, Owner::Table, true)?;
                let table = self.table_mut(name, &origin)?;
                for (n, _) in reset {
                    table.options.reset(&n);
                }
                Ok(())
            }
            AlterTableOperation::SetLogged => {
                self.table_mut(name, &origin)?.unlogged = false;
                Ok(())
            }
            AlterTableOperation::SetUnlogged => {
                self.table_mut(name, &origin)?.unlogged = true;
                Ok(())
            }
            AlterTableOperation::EnableRowLevelSecurity => {
                self.table_mut(name, &origin)?.row_security = true;
                Ok(())
            }
            AlterTableOperation::DisableRowLevelSecurity => {
                self.table_mut(name, &origin)?.row_security = false;
                Ok(())
            }
            AlterTableOperation::ForceRowLevelSecurity => {
                self.table_mut(name, &origin)?.force_row_security = true;
                Ok(())
            }
            AlterTableOperation::NoForceRowLevelSecurity => {
                self.table_mut(name, &origin)?.force_row_security = false;
                Ok(())
            }
            AlterTableOperation::EnableTrigger { name: t } => {
                self.set_trigger_state(name, t, crate::model::TriggerState::Enabled)
            }
            AlterTableOperation::DisableTrigger { name: t } => {
                self.set_trigger_state(name, t, crate::model::TriggerState::Disabled)
            }
            AlterTableOperation::EnableReplicaTrigger { name: t } => {
                self.set_trigger_state(name, t, crate::model::TriggerState::Replica)
            }
            AlterTableOperation::EnableAlwaysTrigger { name: t } => {
                self.set_trigger_state(name, t, crate::model::TriggerState::Always)
            }
            AlterTableOperation::Inherit { .. } | AlterTableOperation::NoInherit { .. } => {
                Err(self.refuse_clause("INHERIT", &[], "ALTER TABLE"))
            }
            other => Err(self.unsupported(format!("`ALTER TABLE ... {other}`"))),
        }
    }

    fn column_mut(&mut self, table: &QualifiedName, column: &Ident) -> Res<&mut Column> {
        let at = self.at_ident(column);
        let col = fold_ident(column);
        let t = self.table_mut(table, &at)?;
        let suggestion =
            closest(&col, t.columns.iter().map(|c| c.name.as_str())).map(str::to_string);
        let Some(c) = t.columns.iter_mut().find(|c| c.name == col) else {
            return Err(Diagnostic::error(
                codes::UNKNOWN_OBJECT,
                format!("column `{col}` of table `{table}` does not exist at this point"),
            )
            .at(&at)
            .help(match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => "add the column first".to_string(),
            }));
        };
        Ok(c)
    }

    fn alter_column(
        &mut self,
        table: &QualifiedName,
        column: &Ident,
        op: &AlterColumnOperation,
    ) -> Res<()> {
        let declarative = self.mode == Mode::Declarative;
        let at = self.at_ident(column);
        match op {
            AlterColumnOperation::SetDefault { value } => {
                self.column_mut(table, column)?.default = column_default(value);
                Ok(())
            }
            AlterColumnOperation::AddGenerated {
                generated_as,
                sequence_options,
            } => {
                let ty = self.column_mut(table, column)?.data_type.clone();
                if !ty.is_integer() {
                    return Err(Diagnostic::error(
                        codes::SYNTAX,
                        format!(
                            "identity column `{}` must be smallint, integer or bigint, not `{ty}`",
                            fold_ident(column)
                        ),
                    )
                    .at(&at)
                    .help("change the column's type to an integer type first"));
                }
                let values = self.identity_options(sequence_options.as_deref(), &ty)?;
                let c = self.column_mut(table, column)?;
                if c.identity.is_some() {
                    return Err(Diagnostic::error(
                        codes::NOT_ALLOWED_HERE,
                        format!("column `{}` of table `{table}` is already an identity column", c.name),
                    )
                    .at(&at)
                    .help("change its options with `ALTER COLUMN ... SET INCREMENT BY ...`, or drop the identity first"));
                }
                c.identity_options = Some(Box::new(values));
                c.identity = Some(match generated_as {
                    Some(GeneratedAs::Always) => Identity::Always,
                    _ => Identity::ByDefault,
                });
                c.nullable = false;
                Ok(())
            }
            _ if declarative => self.not_in_declarative(&format!("ALTER COLUMN ... {op}")),
            AlterColumnOperation::SetNotNull => {
                self.column_mut(table, column)?.nullable = false;
                Ok(())
            }
            AlterColumnOperation::DropNotNull => {
                let col = fold_ident(column);
                let in_pk = self
                    .schema
                    .tables
                    .get(table)
                    .is_some_and(|t| t.primary_key_columns().contains(&col));
                if in_pk {
                    return Err(Diagnostic::error(
                        codes::NOT_ALLOWED_HERE,
                        format!("column `{col}` is in a primary key"),
                    )
                    .at(&at)
                    .help("drop the primary key first"));
                }
                self.column_mut(table, column)?.nullable = true;
                Ok(())
            }
            AlterColumnOperation::DropDefault => {
                self.column_mut(table, column)?.default = None;
                Ok(())
            }
            AlterColumnOperation::SetDataType {
                data_type,
                // How rows are converted: data, not schema.
                using: _,
                had_set: _,
            } => {
                let spec = TypeSpec::from_ast(data_type)
                    .map_err(|m| Diagnostic::error(codes::UNSUPPORTED_FEATURE, m).at(&at))?;
                self.refuse_change_read_by_views(
                    table,
                    Some(&fold_ident(column)),
                    "change the type of",
                )?;
                self.check_retype_users(table, &fold_ident(column), &at)?;
                if spec.serial {
                    return Err(Diagnostic::error(
                        codes::SYNTAX,
                        format!("type `{data_type}` does not exist"),
                    )
                    .at(&at)
                    .help("serial is only a shorthand in CREATE TABLE / ADD COLUMN; use an integer type with a default"));
                }
                self.check_type_exists(&spec.ty, &at)?;
                // Without `COLLATE`, the column takes the new type's default.
                let written = self.file.type_collations.iter().find(|(line, col, _)| {
                    (u64::from(*line), u64::from(*col))
                        == (column.span.start.line, column.span.start.column)
                });
                let collation = match written {
                    Some((line, col, parts)) => {
                        let at = crate::diagnostic::Origin::new(&self.file.source, *line, *col);
                        self.collation_of_parts(parts, &at, &spec.ty)?
                    }
                    None => None,
                };
                let c = self.column_mut(table, column)?;
                if let Some(options) = &mut c.identity_options {
                    // The identity's sequence takes the column's new type.
                    let Some(ty) = SequenceType::of(&spec.ty) else {
                        return Err(Diagnostic::error(
                            codes::SYNTAX,
                            format!("identity column `{}` must be smallint, integer or bigint, not `{}`", c.name, spec.ty),
                        )
                        .at(&at)
                        .help("drop the identity first (`ALTER COLUMN ... DROP IDENTITY`)"));
                    };
                    if let Err(m) = options.apply(&[SequenceOption::As(ty)], false) {
                        return Err(Diagnostic::error(
                            codes::SYNTAX,
                            format!("PostgreSQL refuses the new type of identity column `{}`: {m}", c.name),
                        )
                        .at(&at)
                        .help("change the identity's bounds first (`ALTER COLUMN ... SET MAXVALUE n`)"));
                    }
                }
                c.data_type = spec.ty;
                c.collation = collation;
                // A new type, even the same one, resets the column's storage
                // and compression, in every partition too.
                c.storage = None;
                c.compression = None;
                let col = c.name.clone();
                for p in self.partitions_of(table) {
                    self.schema.tables.update_where(
                        |t| t.name == p,
                        |t| {
                            if let Some(c) = t.column_mut(&col) {
                                c.storage = None;
                                c.compression = None;
                            }
                        },
                    );
                }
                if let Some(t) = self.schema.tables.get_mut(table) {
                    t.canonical_key_collations();
                }
                Ok(())
            }
            other => Err(self.unsupported(format!("`ALTER COLUMN ... {other}`"))),
        }
    }

    fn rename_column(&mut self, table_name: &QualifiedName, old: &str, new: &str) -> Res<()> {
        let origin = self.origin();
        let table = self.table_mut(table_name, &origin)?;
        if table.column(new).is_some() {
            return Err(self.err(
                codes::DUPLICATE_OBJECT,
                format!("column `{new}` of table `{table_name}` already exists"),
            ));
        }
        let table = self.table_mut(table_name, &origin)?;
        let Some(col) = table.column_mut(old) else {
            return Err(self.err(
                codes::UNKNOWN_OBJECT,
                format!("column `{old}` of table `{table_name}` does not exist at this point"),
            ));
        };
        col.name = new.to_string();
        for c in &mut table.columns {
            if let Some(g) = &mut c.generated {
                **g = rename_in_expression(g, old, new);
            }
        }
        if let Some(key) = &mut table.partition_by {
            for k in &mut key.keys {
                match &mut k.part {
                    IndexPart::Column(c) if c == old => *c = new.to_string(),
                    IndexPart::Expression(e) => *e = rename_in_expression(e, old, new),
                    IndexPart::Column(_) => {}
                }
            }
        }
        let ren = |v: &mut Vec<String>| {
            for c in v.iter_mut() {
                if c == old {
                    *c = new.to_string();
                }
            }
        };
        for c in table.constraints.values_mut() {
            match &mut c.kind {
                ConstraintKind::PrimaryKey { columns, include }
                | ConstraintKind::Unique {
                    columns, include, ..
                } => {
                    ren(columns);
                    ren(include);
                }
                ConstraintKind::ForeignKey(fk) => ren(&mut fk.columns),
                ConstraintKind::Check { expr } => *expr = rename_in_expression(expr, old, new),
                ConstraintKind::Exclude(x) => rename_in_exclusion(x, old, new),
            }
        }
        for i in table.indexes.values_mut() {
            ren(&mut i.include);
            for k in &mut i.keys {
                match &mut k.part {
                    IndexPart::Column(c) if c == old => *c = new.to_string(),
                    IndexPart::Expression(e) => *e = rename_in_expression(e, old, new),
                    IndexPart::Column(_) => {}
                }
            }
            if let Some(p) = &mut i.predicate {
                *p = rename_in_expression(p, old, new);
            }
        }
        self.schema.tables.update_where(
            |t| references(t, table_name),
            |t| {
                for c in t.constraints.values_mut() {
                    if let ConstraintKind::ForeignKey(fk) = &mut c.kind {
                        if fk.ref_table == *table_name {
                            ren(&mut fk.ref_columns);
                        }
                    }
                }
            },
        );
        self.schema.sequences.update_where(
            |s| {
                s.owned_by
                    .as_ref()
                    .is_some_and(|(t, c)| t == table_name && c == old)
            },
            |s| {
                if let Some((_, c)) = &mut s.owned_by {
                    *c = new.to_string();
                }
            },
        );
        super::privileges::rename_column_acl(self.schema, table_name, old, new);
        self.schema.rename_column_objects(table_name, old, new);
        // PostgreSQL renames the column in every partition too.
        for child in self.children_of(table_name) {
            self.rename_column(&child, old, new)?;
        }
        Ok(())
    }

    fn rename_table(&mut self, old: &QualifiedName, new: &str) -> Res<()> {
        let origin = self.origin();
        let new_name = QualifiedName::new(old.schema.clone(), new.to_string());
        self.table_mut(old, &origin)?;
        if self.schema.relation_name_taken(&new_name) {
            return Err(self.err(
                codes::DUPLICATE_OBJECT,
                format!("relation `{new_name}` already exists"),
            ));
        }
        let Some(mut table) = self.schema.tables.remove(old) else {
            return Err(self.unknown_table(old, &origin));
        };
        table.name = new_name.clone();
        self.schema.tables.insert(new_name.clone(), table);
        self.schema.rename_acl(old, &new_name);
        self.schema.rename_table_objects(old, &new_name);
        self.schema.tables.update_where(
            |t| references(t, old),
            |t| {
                for c in t.constraints.values_mut() {
                    if let ConstraintKind::ForeignKey(fk) = &mut c.kind {
                        if fk.ref_table == *old {
                            fk.ref_table = new_name.clone();
                        }
                    }
                }
            },
        );
        self.schema.tables.update_where(
            |t| t.partition_of.as_ref().is_some_and(|of| of.parent == *old),
            |t| {
                if let Some(of) = &mut t.partition_of {
                    of.parent = new_name.clone();
                }
            },
        );
        self.schema.sequences.update_where(
            |s| s.owned_by.as_ref().is_some_and(|(t, _)| t == old),
            |s| {
                if let Some((t, _)) = &mut s.owned_by {
                    *t = new_name.clone();
                }
            },
        );
        // Its row type is renamed with it, in function signatures too.
        crate::model::function::rename_type_in_functions(self.schema, old, &new_name);
        Ok(())
    }

    /// `ALTER TABLE t VALIDATE CONSTRAINT c`: the check or foreign key `c`,
    /// added `NOT VALID`, is validated (validating a valid one changes nothing,
    /// as in PostgreSQL).
    fn validate_constraint(&mut self, table_name: &QualifiedName, cname: &Ident) -> Res<()> {
        let at = self.at_ident(cname);
        let cname = fold_ident(cname);
        let table = self.table_mut(table_name, &at)?;
        let suggestion =
            closest(&cname, table.constraints.keys().map(String::as_str)).map(str::to_string);
        let Some(c) = table.constraints.get_mut(&cname) else {
            return Err(Diagnostic::error(
                codes::UNKNOWN_OBJECT,
                format!(
                    "constraint `{cname}` of table `{table_name}` does not exist at this point"
                ),
            )
            .at(&at)
            .help(match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => "add the constraint first (statements apply in order)".to_string(),
            }));
        };
        if !c.kind.can_be_not_valid() {
            let kind = c.kind.describe();
            return Err(Diagnostic::error(
                codes::NOT_ALLOWED_HERE,
                format!(
                    "constraint `{cname}` of table `{table_name}` is a {kind}, not a foreign key or check constraint"
                ),
            )
            .at(&at)
            .help("only check constraints and foreign keys can be validated; remove this statement"));
        }
        c.validated = true;
        Ok(())
    }

    fn rename_constraint(&mut self, table_name: &QualifiedName, old: &str, new: &str) -> Res<()> {
        let origin = self.origin();
        let table = self.table_mut(table_name, &origin)?;
        if table.constraints.contains_key(new) {
            return Err(self.err(
                codes::DUPLICATE_OBJECT,
                format!("constraint `{new}` of table `{table_name}` already exists"),
            ));
        }
        let table = self.table_mut(table_name, &origin)?;
        let Some(mut c) = table.constraints.remove(old) else {
            return Err(self.err(
                codes::UNKNOWN_OBJECT,
                format!("constraint `{old}` of table `{table_name}` does not exist at this point"),
            ));
        };
        c.name = new.to_string();
        table.constraints.insert(new.to_string(), c);
        Ok(())
    }

    /// `ALTER {SEQUENCE | TYPE | INDEX} name OWNER TO role`: a sequence's
    /// and a type's owner is modelled; an index's follows its table's
    /// (PostgreSQL ignores it), so that one is read and ignored once the
    /// index is known to exist.
    pub(super) fn owner_to(
        &mut self,
        kind: &str,
        name: &[String],
        owner: Option<String>,
    ) -> Res<()> {
        let name = match name {
            [n] => QualifiedName::public(n.clone()),
            [s, n] | [_, s, n] => QualifiedName::new(s.clone(), n.clone()),
            _ => return Err(self.err(codes::SYNTAX, "bad object name")),
        };
        let object_type = match kind {
            "SEQUENCE" => ObjectType::Sequence,
            "INDEX" => ObjectType::Index,
            _ => ObjectType::Type,
        };
        if self.exists(&object_type, &name) {
            match object_type {
                ObjectType::Sequence => self.set_owner(AclKind::Sequence, &name, owner),
                ObjectType::Type => self.set_owner(AclKind::Type, &name, owner),
                _ => {}
            }
            return Ok(());
        }
        Err(self
            .err(
                codes::UNKNOWN_OBJECT,
                format!(
                    "{} `{name}` does not exist at this point",
                    kind.to_ascii_lowercase()
                ),
            )
            .help("create it before changing its owner (statements apply in order)"))
    }
}
