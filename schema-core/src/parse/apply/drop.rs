//! Removing objects: `DROP TABLE | INDEX | TYPE | SEQUENCE | SCHEMA`,
//! `ALTER TABLE ... DROP COLUMN | DROP CONSTRAINT`, with the foreign keys that
//! depend on what goes refused without `CASCADE` and removed with it.

use sqlparser::ast::{ObjectName, ObjectType};

use super::{Cx, Res};
use crate::diagnostic::{Diagnostic, Origin, codes};
use crate::model::expr::nextval;
use crate::model::mentions::{exclusion_mentions, expression_mentions, index_mentions};
use crate::model::names::{closest, object_name_parts};
use crate::model::{Column, ConstraintKind, ForeignKey, QualifiedName, Table};
use crate::parse::unsupported_statement;

impl Cx<'_> {
    /// Every column (table, column name) of the schema that `f` holds for.
    pub(super) fn columns_where(
        &self,
        f: impl Fn(&Column) -> bool,
    ) -> Vec<(QualifiedName, String)> {
        self.schema
            .tables
            .values()
            .flat_map(|t| {
                t.columns
                    .iter()
                    .filter(|c| f(c))
                    .map(|c| (t.name.clone(), c.name.clone()))
            })
            .collect()
    }

    pub(super) fn drop(
        &mut self,
        object_type: &ObjectType,
        names: &[ObjectName],
        if_exists: bool,
        cascade: bool,
    ) -> Res<()> {
        for n in names {
            let name = self.name(n)?;
            let at = self.at_name(n);
            if if_exists && !self.exists(object_type, &name) {
                // pg_dump --clean: dropping what was never created is a no-op.
                continue;
            }
            self.not_in_declarative(&format!("DROP {object_type}"))?;
            match object_type {
                ObjectType::Table => self.drop_table(&name, if_exists, cascade, &at)?,
                ObjectType::View | ObjectType::MaterializedView => self.drop_view(
                    &name,
                    matches!(object_type, ObjectType::MaterializedView),
                    if_exists,
                    cascade,
                    &at,
                )?,
                ObjectType::Index => {
                    if let Some(view) = self.schema.view_index_owner(&name).cloned() {
                        if let Some(v) = self.schema.views.get_mut(&view) {
                            v.indexes.remove(&name.name);
                        }
                        continue;
                    }
                    let Some(owner) = self.schema.index_owner(&name).cloned() else {
                        if if_exists {
                            continue;
                        }
                        let is_constraint = self.schema.relation_name_taken(&name);
                        let mut d = Diagnostic::error(
                            codes::UNKNOWN_OBJECT,
                            format!("index `{name}` does not exist at this point"),
                        )
                        .at(&at);
                        if is_constraint {
                            d = d.note("this name belongs to a constraint's index").help(
                                "drop the constraint instead: `ALTER TABLE t DROP CONSTRAINT name`",
                            );
                        }
                        return Err(d);
                    };
                    if let Some(t) = self.schema.tables.get_mut(&owner) {
                        t.indexes.remove(&name.name);
                    }
                }
                ObjectType::Type => {
                    if self.schema.domains.contains_key(&name) {
                        // `DROP TYPE` drops a domain too.
                        self.drop_domain(&sqlparser::ast::DropDomain {
                            if_exists,
                            name: n.clone(),
                            drop_behavior: cascade.then_some(sqlparser::ast::DropBehavior::Cascade),
                        })?;
                        continue;
                    }
                    if !self.schema.enums.contains_key(&name)
                        && !self.schema.composites.contains_key(&name)
                    {
                        if if_exists {
                            continue;
                        }
                        return Err(Diagnostic::error(
                            codes::UNKNOWN_OBJECT,
                            format!("type `{name}` does not exist at this point"),
                        )
                        .at(&at));
                    }
                    let users = self.users_of_type(&name);
                    if !users.is_empty() && !cascade {
                        return Err(Diagnostic::error(
                            codes::NOT_ALLOWED_HERE,
                            format!("cannot drop type `{name}` because other objects depend on it"),
                        )
                        .at(&at)
                        .note(format!("used by {}", users.join(", ")))
                        .help("drop or change those first, or add CASCADE"));
                    }
                    self.drop_type_users(&name, 0)?;
                    self.schema.enums.remove(&name);
                    self.schema.composites.remove(&name);
                }
                ObjectType::Sequence => {
                    if self.schema.sequences.remove(&name).is_none() && !if_exists {
                        return Err(Diagnostic::error(
                            codes::UNKNOWN_OBJECT,
                            format!("sequence `{name}` does not exist at this point"),
                        )
                        .at(&at));
                    }
                    let target = nextval(&name);
                    let users: Vec<String> = self
                        .columns_where(|c| c.default.as_ref() == Some(&target))
                        .into_iter()
                        .map(|(t, c)| format!("{t}.{c}"))
                        .collect();
                    if !users.is_empty() && !cascade {
                        return Err(Diagnostic::error(
                            codes::NOT_ALLOWED_HERE,
                            format!(
                                "cannot drop sequence `{name}`: column `{}` uses it",
                                users.join("`, `")
                            ),
                        )
                        .at(&at)
                        .help("drop the column's default first, or add CASCADE"));
                    }
                    self.schema.tables.update_where(
                        |t| {
                            t.columns
                                .iter()
                                .any(|c| c.default.as_ref() == Some(&target))
                        },
                        |t| {
                            for c in &mut t.columns {
                                if c.default.as_ref() == Some(&target) {
                                    c.default = None;
                                }
                            }
                        },
                    );
                }
                ObjectType::Schema => {
                    let schema = object_name_parts(n).join(".");
                    self.drop_schema(&schema, if_exists, cascade, &at)?;
                }
                other => {
                    return Err(unsupported_statement(
                        &format!("DROP {other}"),
                        &self.origin(),
                    ));
                }
            }
        }
        Ok(())
    }

    /// True when an object of this kind and name exists at this point; kinds
    /// the model does not hold are taken to exist (so dropping them is refused).
    pub(super) fn exists(&self, object_type: &ObjectType, name: &QualifiedName) -> bool {
        match object_type {
            ObjectType::Table => self.schema.tables.contains_key(name),
            ObjectType::Index => {
                self.schema.index_owner(name).is_some()
                    || self.schema.view_index_owner(name).is_some()
            }
            ObjectType::View => self.schema.views.get(name).is_some_and(|v| !v.materialized),
            ObjectType::MaterializedView => {
                self.schema.views.get(name).is_some_and(|v| v.materialized)
            }
            ObjectType::Sequence => self.schema.sequences.contains_key(name),
            ObjectType::Type => {
                self.schema.enums.contains_key(name)
                    || self.schema.domains.contains_key(name)
                    || self.schema.composites.contains_key(name)
            }
            // A schema exists for the model once created or once something
            // lives in it.
            ObjectType::Schema => {
                let schema = &name.name;
                self.schema.namespaces.keys().any(|n| n.name == *schema)
                    || self.schema.tables.keys().any(|t| t.schema == *schema)
                    || self.schema.enums.keys().any(|e| e.schema == *schema)
                    || self.schema.domains.keys().any(|d| d.schema == *schema)
                    || self.schema.composites.keys().any(|c| c.schema == *schema)
                    || self.schema.sequences.keys().any(|s| s.schema == *schema)
            }
            _ => true,
        }
    }

    pub(super) fn drop_table(
        &mut self,
        name: &QualifiedName,
        if_exists: bool,
        cascade: bool,
        at: &Origin,
    ) -> Res<()> {
        if !self.schema.tables.contains_key(name) {
            if if_exists {
                return Ok(());
            }
            return Err(self.unknown_table(name, at));
        }
        self.drop_views_reading(name, &format!("table `{name}`"), cascade, at)?;
        // Foreign keys of other tables that reference it.
        self.drop_dependent_foreign_keys(
            &format!("table `{name}`"),
            name,
            |t, _| t.name != *name,
            cascade,
        )?;
        // Functions over its row type.
        let functions = self.functions_using_type_described(name);
        if !functions.is_empty() && !cascade {
            return Err(Diagnostic::error(
                codes::NOT_ALLOWED_HERE,
                format!("cannot drop table `{name}` because other objects depend on it"),
            )
            .at(at)
            .note(format!("its row type is used by {}", functions.join(", ")))
            .help("drop those first, or add CASCADE"));
        }
        self.drop_functions_using_type(name);
        self.drop_table_policy_readers(name, cascade)?;
        // Its partitions go with it (PostgreSQL drops them too), partitions
        // of partitions first.
        for partition in self.partitions_of(name) {
            self.drop_table(&partition, true, cascade, at)?;
        }
        self.schema.tables.remove(name);
        self.schema.drop_table_objects(name);
        let owned: Vec<QualifiedName> = self
            .schema
            .sequences
            .referring_to(name)
            .map(|(sequence, _)| sequence.clone())
            .collect();
        for sequence in owned {
            self.schema.sequences.remove(&sequence);
        }
        Ok(())
    }

    pub(super) fn drop_column(
        &mut self,
        table_name: &QualifiedName,
        column: &str,
        if_exists: bool,
        cascade: bool,
    ) -> Res<()> {
        let origin = self.origin();
        let exists = self
            .table_mut(table_name, &origin)?
            .column(column)
            .is_some();
        if !exists {
            if if_exists {
                return Ok(());
            }
            return Err(self.err(
                codes::UNKNOWN_OBJECT,
                format!("column `{column}` of table `{table_name}` does not exist at this point"),
            ));
        }
        self.drop_views_reading_column(table_name, column, cascade)?;
        // Foreign keys of other tables that reference this column (the
        // table's own go with the column below).
        self.drop_dependent_foreign_keys(
            &format!("column `{column}` of table `{table_name}`"),
            table_name,
            |t, fk| t.name != *table_name && fk.ref_columns.iter().any(|r| r == column),
            cascade,
        )?;
        self.drop_column_users(table_name, column, cascade)?;
        let table = self.table_mut(table_name, &origin)?;
        table.columns.retain(|c| c.name != column);
        table.constraints.retain(|_, c| match &c.kind {
            ConstraintKind::Check { expr } => !expression_mentions(expr, column),
            ConstraintKind::ForeignKey(fk) => {
                let self_reference =
                    fk.ref_table == *table_name && fk.ref_columns.iter().any(|r| r == column);
                !(fk.columns.iter().any(|c| c == column) || self_reference)
            }
            ConstraintKind::Exclude(x) => !exclusion_mentions(x, column),
            k => !k.columns().iter().chain(k.included()).any(|c| c == column),
        });
        table.indexes.retain(|_, i| !index_mentions(i, column));
        let owned: Vec<QualifiedName> = self
            .schema
            .sequences
            .referring_to(table_name)
            .filter(|(_, s)| {
                s.owned_by
                    .as_ref()
                    .is_some_and(|(t, c)| t == table_name && c == column)
            })
            .map(|(name, _)| name.clone())
            .collect();
        for name in owned {
            self.schema.sequences.remove(&name);
        }
        Ok(())
    }

    /// What `DROP` does to the foreign keys that depend on `what`, an object
    /// of table `table`: those that reference `table` and that `depends` picks
    /// (given the referencing table) are refused without `CASCADE`, listed in
    /// name order, and removed with it.
    fn drop_dependent_foreign_keys(
        &mut self,
        what: &str,
        table: &QualifiedName,
        depends: impl Fn(&Table, &ForeignKey) -> bool,
        cascade: bool,
    ) -> Res<()> {
        let dependents: Vec<(QualifiedName, String)> = self
            .schema
            .foreign_keys_referencing(table)
            .filter(|(t, _, fk)| depends(t, fk))
            .map(|(t, c, _)| (t.name.clone(), c.name.clone()))
            .collect();
        if !dependents.is_empty() && !cascade {
            return Err(self.dependency_error(what, &dependents));
        }
        for (t, c) in dependents {
            if let Some(t) = self.schema.tables.get_mut(&t) {
                t.constraints.remove(&c);
            }
        }
        Ok(())
    }

    fn dependency_error(&self, what: &str, dependents: &[(QualifiedName, String)]) -> Diagnostic {
        let list: Vec<String> = dependents
            .iter()
            .map(|(t, c)| format!("`{c}` on `{t}`"))
            .collect();
        self.err(
            codes::NOT_ALLOWED_HERE,
            format!("cannot drop {what} because other objects depend on it"),
        )
        .note(format!("depended on by {}", list.join(", ")))
        .help("drop the dependent objects first, or add CASCADE")
    }

    pub(super) fn drop_constraint(
        &mut self,
        table_name: &QualifiedName,
        cname: &str,
        if_exists: bool,
        cascade: bool,
    ) -> Res<()> {
        let origin = self.origin();
        let table = self.table_mut(table_name, &origin)?;
        let Some(constraint) = table.constraints.get(cname).cloned() else {
            if if_exists {
                return Ok(());
            }
            let suggestion =
                closest(cname, table.constraints.keys().map(String::as_str)).map(str::to_string);
            return Err(self
                .err(
                    codes::UNKNOWN_OBJECT,
                    format!("constraint `{cname}` of table `{table_name}` does not exist at this point"),
                )
                .help(match suggestion {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "check the constraint's name (implicit names follow PostgreSQL: `t_pkey`, `t_col_key`, `t_col_fkey`, `t_col_check`)".to_string(),
                }));
        };
        if constraint.kind.has_index() {
            // Foreign keys on its columns, the table's own included.
            let cols = constraint.kind.columns();
            self.drop_dependent_foreign_keys(
                &format!("constraint `{cname}` of table `{table_name}`"),
                table_name,
                |_, fk| fk.ref_columns == cols,
                cascade,
            )?;
        }
        if let Some(t) = self.schema.tables.get_mut(table_name) {
            t.constraints.remove(cname);
        }
        Ok(())
    }
}
