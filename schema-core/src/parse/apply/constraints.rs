//! Table constraints (primary key, unique, check, foreign key) as written in
//! `CREATE TABLE` or `ALTER TABLE ... ADD`: read, named as PostgreSQL names
//! them, checked against the table and added.

use sqlparser::ast::{
    ConstraintCharacteristics, DeferrableInitial, ExcludeConstraintOperator, Expr,
    ForeignKeyConstraint, Ident, IndexColumn, IndexType, NullsDistinctOption, TableConstraint,
};

use super::indexes::{dedup_column_names, plain_column};
use super::{Cx, Res};
use crate::diagnostic::{Diagnostic, Origin, codes};
use crate::model::mentions::expression_mentions;
use crate::model::names::{self, closest, fold_ident};
use crate::model::{
    Constraint, ConstraintKind, Exclusion, ExclusionElement, Expression, ForeignKey, IndexPart,
    QualifiedName, ReferentialAction,
};

fn action(a: &Option<sqlparser::ast::ReferentialAction>) -> ReferentialAction {
    use sqlparser::ast::ReferentialAction as A;
    match a {
        None | Some(A::NoAction) => ReferentialAction::NoAction,
        Some(A::Restrict) => ReferentialAction::Restrict,
        Some(A::Cascade) => ReferentialAction::Cascade,
        Some(A::SetNull) => ReferentialAction::SetNull,
        Some(A::SetDefault) => ReferentialAction::SetDefault,
    }
}

/// The fields a primary key and a unique constraint share.
struct KeyParts<'k> {
    name: Option<&'k Ident>,
    index_name: Option<&'k Ident>,
    index_type: Option<&'k IndexType>,
    columns: &'k [IndexColumn],
    include: &'k [Ident],
    index_options: &'k [sqlparser::ast::IndexOption],
    characteristics: Option<&'k ConstraintCharacteristics>,
}

/// A key constraint's columns and deferral (see [`Cx::key_parts`]).
struct KeyColumns {
    columns: Vec<String>,
    include: Vec<String>,
    deferrable: bool,
    initially_deferred: bool,
}

/// A description of a constraint before it gets its name.
pub(super) struct PendingConstraint {
    pub(super) name: Option<String>,
    pub(super) kind: ConstraintKind,
    pub(super) deferrable: bool,
    pub(super) initially_deferred: bool,
    /// False for `ALTER TABLE ... ADD CONSTRAINT ... NOT VALID`.
    pub(super) validated: bool,
    /// An exclusion constraint's index column names (`FigureIndexColname`),
    /// which its implicit name is made of; empty for the other kinds.
    pub(super) name_parts: Vec<String>,
    pub(super) origin: Origin,
}

impl Cx<'_> {
    fn index_columns(&self, columns: &[IndexColumn]) -> Res<Vec<String>> {
        for c in columns {
            if let Expr::Identifier(i) = &c.column.expr {
                self.check_name(i, "column")?;
            }
        }
        columns
            .iter()
            .map(|c| {
                plain_column(&c.column.expr).ok_or_else(|| {
                    self.unsupported(format!("constraint on expression `{}`", c.column.expr))
                })
            })
            .collect()
    }

    /// `DEFERRABLE` / `INITIALLY DEFERRED` as the model keeps them; `NOT ENFORCED`
    /// is refused (PostgreSQL 15 has no such clause for these constraints).
    fn deferral(&self, c: Option<&ConstraintCharacteristics>) -> Res<(bool, bool)> {
        let Some(ConstraintCharacteristics {
            deferrable,
            initially,
            enforced,
        }) = c
        else {
            return Ok((false, false));
        };
        if enforced.is_some() {
            let clause = if *enforced == Some(false) {
                "NOT ENFORCED"
            } else {
                "ENFORCED"
            };
            return Err(self.refuse_clause(clause, &["ENFORCED"], "constraint"));
        }
        let deferred = matches!(initially, Some(DeferrableInitial::Deferred));
        Ok((deferrable.unwrap_or(false) || deferred, deferred))
    }

    /// What a primary key and a unique constraint share: the columns (`column`
    /// when written on one), the `INCLUDE` columns and deferral, once the
    /// clauses the model does not carry are refused.
    fn key_parts(&self, key: KeyParts<'_>, column: Option<&str>) -> Res<KeyColumns> {
        if let Some(n) = key.name {
            self.check_name(n, "constraint")?;
        }
        for i in key.include {
            self.check_name(i, "column")?;
        }
        if key.index_type.is_some() || !key.index_options.is_empty() {
            return Err(self.refuse_clause("USING", &["USING"], "constraint"));
        }
        if key.index_name.is_some() {
            return Err(self.refuse_clause("index name in a key constraint", &[], "constraint"));
        }
        let (deferrable, initially_deferred) = self.deferral(key.characteristics)?;
        let columns = match column {
            Some(c) => vec![c.to_string()],
            None => self.index_columns(key.columns)?,
        };
        Ok(KeyColumns {
            columns,
            include: key.include.iter().map(fold_ident).collect(),
            deferrable,
            initially_deferred,
        })
    }

    /// A primary key; `column` is the column it is written on, if any.
    pub(super) fn primary_key(
        &self,
        pk: &sqlparser::ast::PrimaryKeyConstraint,
        column: Option<&str>,
    ) -> Res<PendingConstraint> {
        let sqlparser::ast::PrimaryKeyConstraint {
            name,
            index_name,
            index_type,
            columns,
            include,
            index_options,
            characteristics,
        } = pk;
        let KeyColumns {
            columns,
            include,
            deferrable,
            initially_deferred,
        } = self.key_parts(
            KeyParts {
                name: name.as_ref(),
                index_name: index_name.as_ref(),
                index_type: index_type.as_ref(),
                columns,
                include,
                index_options,
                characteristics: characteristics.as_ref(),
            },
            column,
        )?;
        Ok(PendingConstraint {
            name: name.as_ref().map(fold_ident),
            kind: ConstraintKind::PrimaryKey { columns, include },
            deferrable,
            initially_deferred,
            validated: true,
            name_parts: Vec::new(),
            origin: name
                .as_ref()
                .map_or_else(|| self.at_span(pk), |i| self.at_ident(i)),
        })
    }

    /// A unique constraint; `column` is the column it is written on, if any.
    pub(super) fn unique(
        &self,
        u: &sqlparser::ast::UniqueConstraint,
        column: Option<&str>,
    ) -> Res<PendingConstraint> {
        let sqlparser::ast::UniqueConstraint {
            name,
            index_name,
            index_type_display,
            index_type,
            columns,
            include,
            index_options,
            characteristics,
            nulls_distinct,
        } = u;
        if *index_type_display != sqlparser::ast::KeyOrIndexDisplay::None {
            return Err(self.refuse_clause("UNIQUE KEY / UNIQUE INDEX", &[], "constraint"));
        }
        let KeyColumns {
            columns,
            include,
            deferrable,
            initially_deferred,
        } = self.key_parts(
            KeyParts {
                name: name.as_ref(),
                index_name: index_name.as_ref(),
                index_type: index_type.as_ref(),
                columns,
                include,
                index_options,
                characteristics: characteristics.as_ref(),
            },
            column,
        )?;
        Ok(PendingConstraint {
            name: name.as_ref().map(fold_ident),
            kind: ConstraintKind::Unique {
                columns,
                nulls_not_distinct: matches!(nulls_distinct, NullsDistinctOption::NotDistinct),
                include,
            },
            deferrable,
            initially_deferred,
            validated: true,
            name_parts: Vec::new(),
            origin: name
                .as_ref()
                .map_or_else(|| self.at_span(u), |i| self.at_ident(i)),
        })
    }

    /// A check constraint.
    pub(super) fn check(&self, c: &sqlparser::ast::CheckConstraint) -> Res<PendingConstraint> {
        let sqlparser::ast::CheckConstraint {
            name,
            expr,
            no_inherit,
            enforced,
        } = c;
        if let Some(n) = name {
            self.check_name(n, "constraint")?;
        }
        if *no_inherit {
            return Err(self.refuse_clause("NO INHERIT", &["NO", "INHERIT"], "CHECK constraint"));
        }
        if enforced.is_some() {
            return Err(self.refuse_clause("NOT ENFORCED", &["ENFORCED"], "CHECK constraint"));
        }
        Ok(PendingConstraint {
            name: name.as_ref().map(fold_ident),
            kind: ConstraintKind::Check {
                expr: Expression::from_ast(expr),
            },
            deferrable: false,
            initially_deferred: false,
            validated: true,
            name_parts: Vec::new(),
            origin: name
                .as_ref()
                .map_or_else(|| self.at_span(c), |i| self.at_ident(i)),
        })
    }

    /// An exclusion constraint: `EXCLUDE [USING method] (element WITH
    /// operator, ...) [INCLUDE (...)] [WHERE (predicate)]`.
    pub(super) fn exclude(&self, x: &sqlparser::ast::ExcludeConstraint) -> Res<PendingConstraint> {
        let sqlparser::ast::ExcludeConstraint {
            name,
            index_method,
            elements,
            include,
            where_clause,
            characteristics,
        } = x;
        if let Some(n) = name {
            self.check_name(n, "constraint")?;
        }
        for i in include {
            self.check_name(i, "column")?;
        }
        let mut parts = Vec::new();
        let mut out = Vec::new();
        for e in elements {
            let (key, part) = self.index_key(&e.column, "EXCLUDE")?;
            let operator = match &e.operator {
                ExcludeConstraintOperator::Token(op) => op.clone(),
                ExcludeConstraintOperator::PGOperator(path) => match path.as_slice() {
                    [op] => op.clone(),
                    [schema, op] if schema == "pg_catalog" || schema == "public" => op.clone(),
                    _ => {
                        return Err(self.refuse_clause(
                            &format!("OPERATOR({})", path.join(".")),
                            &["OPERATOR"],
                            "EXCLUDE",
                        ));
                    }
                },
            };
            parts.push(part);
            out.push(ExclusionElement { key, operator });
        }
        let include: Vec<String> = include.iter().map(fold_ident).collect();
        parts.extend(include.iter().cloned());
        let (deferrable, initially_deferred) = self.deferral(characteristics.as_ref())?;
        Ok(PendingConstraint {
            name: name.as_ref().map(fold_ident),
            kind: ConstraintKind::Exclude(Exclusion {
                method: index_method
                    .as_ref()
                    .map_or_else(|| "btree".to_string(), fold_ident),
                elements: out,
                include,
                predicate: where_clause.as_deref().map(Expression::from_ast),
            }),
            deferrable,
            initially_deferred,
            validated: true,
            name_parts: dedup_column_names(parts),
            origin: name
                .as_ref()
                .map_or_else(|| self.at_span(x), |i| self.at_ident(i)),
        })
    }

    /// A foreign key; `column` is the column it is written on, if any.
    pub(super) fn foreign_key(
        &self,
        fk: &ForeignKeyConstraint,
        column: Option<&str>,
    ) -> Res<PendingConstraint> {
        let ForeignKeyConstraint {
            name,
            index_name,
            columns,
            foreign_table,
            referred_columns,
            on_delete,
            on_update,
            match_kind,
            characteristics,
        } = fk;
        if let Some(n) = name {
            self.check_name(n, "constraint")?;
        }
        for c in columns.iter().chain(referred_columns) {
            self.check_name(c, "column")?;
        }
        self.check_object_name(foreign_table, "table")?;
        if matches!(
            match_kind,
            Some(sqlparser::ast::ConstraintReferenceMatchKind::Partial)
        ) {
            return Err(self.refuse_clause("MATCH PARTIAL", &["MATCH"], "foreign key"));
        }
        if index_name.is_some() {
            return Err(self.refuse_clause("index name in a foreign key", &[], "foreign key"));
        }
        let ref_table = self.name(foreign_table)?;
        let (deferrable, initially_deferred) = self.deferral(characteristics.as_ref())?;
        let columns = match column {
            Some(c) => vec![c.to_string()],
            None => columns.iter().map(fold_ident).collect(),
        };
        Ok(PendingConstraint {
            name: name.as_ref().map(fold_ident),
            kind: ConstraintKind::ForeignKey(ForeignKey {
                columns,
                ref_table,
                ref_columns: referred_columns.iter().map(fold_ident).collect(),
                on_delete: action(on_delete),
                on_update: action(on_update),
                match_full: matches!(
                    match_kind,
                    Some(sqlparser::ast::ConstraintReferenceMatchKind::Full)
                ),
            }),
            deferrable,
            initially_deferred,
            validated: true,
            name_parts: Vec::new(),
            origin: name
                .as_ref()
                .map_or_else(|| self.origin(), |i| self.at_ident(i)),
        })
    }

    pub(super) fn table_constraint(&self, constraint: &TableConstraint) -> Res<PendingConstraint> {
        match constraint {
            TableConstraint::PrimaryKey(pk) => self.primary_key(pk, None),
            TableConstraint::Unique(u) => self.unique(u, None),
            TableConstraint::ForeignKey(fk) => self.foreign_key(fk, None),
            TableConstraint::Check(c) => self.check(c),
            TableConstraint::Exclude(x) => self.exclude(x),
            other => Err(self
                .unsupported(format!("constraint `{other}`"))
                .at(&self.at_span(other))),
        }
    }

    /// `ALTER TABLE t ADD [CONSTRAINT c] PRIMARY KEY | UNIQUE USING INDEX i`:
    /// the unique index `i` of `t` becomes the constraint's index (renamed to
    /// `c` when one is given), as PostgreSQL does; a primary key's columns
    /// become `NOT NULL`. The index must be what PostgreSQL accepts: unique,
    /// b-tree, plain columns in default order, not partial.
    pub(super) fn add_constraint_using_index(
        &mut self,
        table: &QualifiedName,
        using: &sqlparser::ast::ConstraintUsingIndex,
        primary: bool,
        origin: &Origin,
    ) -> Res<()> {
        self.table_mut(table, origin)?;
        if let Some(n) = &using.name {
            self.check_name(n, "constraint")?;
        }
        self.check_name(&using.index_name, "index")?;
        let at = self.at_ident(&using.index_name);
        let index_name = QualifiedName::new(table.schema.clone(), fold_ident(&using.index_name));
        let what = if primary {
            "primary key"
        } else {
            "unique constraint"
        };
        let owner = self.schema.index_owner(&index_name).cloned();
        if owner.as_ref() != Some(table) {
            return Err(Diagnostic::error(
                codes::UNKNOWN_OBJECT,
                format!("index `{index_name}` of table `{table}` does not exist at this point"),
            )
            .at(&at)
            .help("create it first: `CREATE UNIQUE INDEX CONCURRENTLY i ON t (columns)`, in a migration of its own with `-- schema: no-transaction`"));
        }
        let index = self
            .schema
            .tables
            .get(table)
            .and_then(|t| t.indexes.get(&index_name.name))
            .cloned()
            .ok_or_else(|| self.unknown_table(table, origin))?;
        let refuse = |why: &str| {
            Diagnostic::error(
                codes::NOT_ALLOWED_HERE,
                format!("index `{index_name}` cannot become a {what}: {why}"),
            )
            .at(&at)
            .help("PostgreSQL takes only a unique b-tree index on plain columns, in default order, without `WHERE`; build one like that concurrently and name it here")
        };
        if !index.unique {
            return Err(refuse("it is not unique"));
        }
        if index.method != "btree" {
            return Err(refuse(&format!("it uses `{}`, not b-tree", index.method)));
        }
        if index.predicate.is_some() {
            return Err(refuse("it is partial (`WHERE`)"));
        }
        if primary && index.nulls_not_distinct {
            return Err(refuse("it is `NULLS NOT DISTINCT`"));
        }
        if index.comment.is_some() || !index.options.is_empty() {
            return Err(refuse("it has a comment or storage parameters, which the constraint's model does not carry").help("set them after the constraint is added"));
        }
        let mut columns = Vec::with_capacity(index.keys.len());
        for key in &index.keys {
            let plain = key.collation.is_none()
                && key.opclass.is_none()
                && !key.descending
                && !key.nulls_first;
            match &key.part {
                IndexPart::Column(c) if plain => columns.push(c.clone()),
                IndexPart::Column(_) => {
                    return Err(refuse(
                        "a key has a sort order, collation or operator class",
                    ));
                }
                IndexPart::Expression(_) => return Err(refuse("a key is an expression")),
            }
        }
        let kind = if primary {
            ConstraintKind::PrimaryKey {
                columns,
                include: index.include.clone(),
            }
        } else {
            ConstraintKind::Unique {
                columns,
                nulls_not_distinct: index.nulls_not_distinct,
                include: index.include.clone(),
            }
        };
        let (deferrable, initially_deferred) = self.deferral(using.characteristics.as_ref())?;
        let name = using
            .name
            .as_ref()
            .map_or_else(|| index_name.name.clone(), fold_ident);
        let pending = PendingConstraint {
            name: Some(name),
            kind,
            deferrable,
            initially_deferred,
            validated: true,
            name_parts: Vec::new(),
            origin: using
                .name
                .as_ref()
                .map_or_else(|| at.clone(), |n| self.at_ident(n)),
        };
        // The index is the constraint's from now on, under its name.
        if let Some(t) = self.schema.tables.get_mut(table) {
            t.indexes.remove(&index_name.name);
        }
        let added = self.add_constraints(table, vec![pending]);
        if added.is_err() {
            if let Some(t) = self.schema.tables.get_mut(table) {
                t.indexes.insert(index_name.name.clone(), index);
            }
        }
        added
    }

    /// Names and adds constraints in PostgreSQL's order: checks, then primary
    /// key and unique (their indexes), then foreign keys.
    pub(super) fn add_constraints(
        &mut self,
        table: &QualifiedName,
        pending: Vec<PendingConstraint>,
    ) -> Res<()> {
        let rank = |k: &ConstraintKind| match k {
            ConstraintKind::Check { .. } => 0,
            ConstraintKind::PrimaryKey { .. }
            | ConstraintKind::Unique { .. }
            | ConstraintKind::Exclude(_) => 1,
            ConstraintKind::ForeignKey(_) => 2,
        };
        let mut pending = pending;
        pending.sort_by_key(|p| rank(&p.kind));
        // Names given explicitly are reserved before any is chosen.
        let mut chosen: Vec<String> = pending.iter().filter_map(|p| p.name.clone()).collect();
        for p in pending {
            let name = match p.name.clone() {
                Some(n) => n,
                None => {
                    let n =
                        self.implicit_constraint_name(table, &p.kind, &p.name_parts, &chosen)?;
                    chosen.push(n.clone());
                    n
                }
            };
            self.add_constraint(table, name, p)?;
        }
        Ok(())
    }

    fn implicit_constraint_name(
        &self,
        table: &QualifiedName,
        kind: &ConstraintKind,
        name_parts: &[String],
        chosen: &[String],
    ) -> Res<String> {
        Ok(match kind {
            ConstraintKind::PrimaryKey { .. } => {
                names::choose_relation_name(self.schema, chosen, table, None, "pkey")
            }
            ConstraintKind::Unique {
                columns, include, ..
            } => {
                // PostgreSQL names the index after its `INCLUDE` columns too.
                let add = names::name_addition(columns.iter().chain(include).map(String::as_str));
                names::choose_relation_name(self.schema, chosen, table, Some(&add), "key")
            }
            ConstraintKind::Exclude(_) => {
                // Named after its elements and `INCLUDE` columns, as an index.
                let add = names::name_addition(name_parts.iter().map(String::as_str));
                names::choose_relation_name(self.schema, chosen, table, Some(&add), "excl")
            }
            ConstraintKind::ForeignKey(fk) => {
                let add = names::name_addition(fk.columns.iter().map(String::as_str));
                names::choose_constraint_name(self.schema, chosen, table, Some(&add), "fkey")
            }
            ConstraintKind::Check { expr } => {
                let t = self.schema.tables.get(table);
                let referenced: Vec<&str> = t
                    .map(|t| {
                        t.columns
                            .iter()
                            .filter(|c| expression_mentions(expr, &c.name))
                            .map(|c| c.name.as_str())
                            .collect()
                    })
                    .unwrap_or_default();
                let add = match referenced.as_slice() {
                    [one] => Some(*one),
                    _ => None,
                };
                names::choose_constraint_name(self.schema, chosen, table, add, "check")
            }
        })
    }

    fn add_constraint(
        &mut self,
        table_name: &QualifiedName,
        name: String,
        p: PendingConstraint,
    ) -> Res<()> {
        let mut kind = p.kind;
        // Validate columns.
        let table = self
            .schema
            .tables
            .get(table_name)
            .ok_or_else(|| self.unknown_table(table_name, &p.origin))?;
        let element_columns: Vec<&String> = match &kind {
            ConstraintKind::Exclude(x) => x
                .elements
                .iter()
                .filter_map(|e| match &e.key.part {
                    IndexPart::Column(c) => Some(c),
                    IndexPart::Expression(_) => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        for c in kind
            .columns()
            .iter()
            .chain(kind.included())
            .chain(element_columns)
        {
            if table.column(c).is_none() {
                return Err(Diagnostic::error(
                    codes::UNKNOWN_OBJECT,
                    format!(
                        "column `{c}` named in {} `{name}` does not exist in table `{table_name}`",
                        kind.describe()
                    ),
                )
                .at(&p.origin)
                .help(
                    match closest(c, table.columns.iter().map(|c| c.name.as_str())) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => "add the column or fix the name".to_string(),
                    },
                ));
            }
        }
        if let Some(existing) = table.constraints.get(&name) {
            return Err(Diagnostic::error(
                codes::DUPLICATE_OBJECT,
                format!("constraint `{name}` of table `{table_name}` already exists"),
            )
            .at(&p.origin)
            .related(&existing.origin, "the existing one")
            .help("give the new constraint another name"));
        }
        if matches!(kind, ConstraintKind::PrimaryKey { .. }) {
            if let Some(existing) = table.primary_key() {
                return Err(Diagnostic::error(
                    codes::DUPLICATE_OBJECT,
                    format!("table `{table_name}` already has a primary key"),
                )
                .at(&p.origin)
                .related(&existing.origin, "declared here")
                .help("a table has at most one primary key; merge the columns into one"));
            }
        }
        if kind.has_index()
            && self
                .schema
                .relation_name_taken(&QualifiedName::new(table_name.schema.clone(), name.clone()))
        {
            return Err(Diagnostic::error(
                codes::DUPLICATE_OBJECT,
                format!("relation `{name}` already exists"),
            )
            .at(&p.origin)
            .help("the constraint's index needs this name; choose another constraint name"));
        }
        if let ConstraintKind::ForeignKey(fk) = &mut kind {
            let referenced = if fk.ref_table == *table_name {
                Some(table)
            } else {
                self.schema.tables.get(&fk.ref_table)
            };
            let Some(referenced) = referenced else {
                return Err(self.unknown_table(&fk.ref_table.clone(), &p.origin));
            };
            if fk.ref_columns.is_empty() {
                fk.ref_columns = referenced.primary_key_columns().to_vec();
                if fk.ref_columns.is_empty() {
                    return Err(Diagnostic::error(
                        codes::UNKNOWN_OBJECT,
                        format!(
                            "there is no primary key for referenced table `{}`",
                            fk.ref_table
                        ),
                    )
                    .at(&p.origin)
                    .help("name the referenced columns: `REFERENCES t (col)`"));
                }
            }
            for c in &fk.ref_columns {
                if referenced.column(c).is_none() {
                    return Err(Diagnostic::error(
                        codes::UNKNOWN_OBJECT,
                        format!(
                            "column `{c}` referenced in foreign key `{name}` does not exist in table `{}`",
                            fk.ref_table
                        ),
                    )
                    .at(&p.origin)
                    .help("reference existing columns of the referenced table"));
                }
            }
            if fk.columns.len() != fk.ref_columns.len() {
                return Err(Diagnostic::error(
                    codes::SYNTAX,
                    format!(
                        "foreign key `{name}` has {} columns but references {}",
                        fk.columns.len(),
                        fk.ref_columns.len()
                    ),
                )
                .at(&p.origin)
                .help("list as many referenced columns as referencing ones"));
            }
        }
        let is_pk = matches!(kind, ConstraintKind::PrimaryKey { .. });
        let pk_columns: Vec<String> = if is_pk {
            kind.columns().to_vec()
        } else {
            Vec::new()
        };
        let table = self.table_mut(table_name, &p.origin)?;
        for c in &pk_columns {
            if let Some(col) = table.column_mut(c) {
                col.nullable = false;
            }
        }
        table.constraints.insert(
            name.clone(),
            Constraint {
                name,
                kind,
                deferrable: p.deferrable,
                initially_deferred: p.initially_deferred,
                validated: p.validated,
                comment: None,
                origin: p.origin,
            },
        );
        Ok(())
    }
}

/// PostgreSQL's `transformIndexConstraints`: within one `CREATE TABLE`, a unique
/// constraint on the same columns as the primary key or an earlier unique one is
/// the same index, and so is an exclusion constraint equal to an earlier one;
/// the survivor (the primary key if either is one) takes the
/// duplicate's name when it has none of its own.
pub(super) fn merge_duplicate_keys(pending: Vec<PendingConstraint>) -> Vec<PendingConstraint> {
    let key = |p: &PendingConstraint| match &p.kind {
        ConstraintKind::PrimaryKey { columns, include } => {
            Some(((columns.clone(), include.clone()), false))
        }
        ConstraintKind::Unique {
            columns,
            nulls_not_distinct,
            include,
        } => Some(((columns.clone(), include.clone()), *nulls_not_distinct)),
        _ => None,
    };
    let mut out: Vec<PendingConstraint> = Vec::with_capacity(pending.len());
    // The primary key first, so it survives a unique constraint written before it.
    let (pks, rest): (Vec<_>, Vec<_>) = pending
        .into_iter()
        .partition(|p| matches!(p.kind, ConstraintKind::PrimaryKey { .. }));
    for p in pks.into_iter().chain(rest) {
        let same = key(&p)
            .and_then(|k| {
                out.iter().position(|o| {
                    key(o).is_some_and(|ko| {
                        ko.0 == k.0
                            && (ko.1 == k.1 || matches!(o.kind, ConstraintKind::PrimaryKey { .. }))
                    }) && o.deferrable == p.deferrable
                        && o.initially_deferred == p.initially_deferred
                })
            })
            .or_else(|| {
                // Two equal exclusion constraints are one index too.
                let ConstraintKind::Exclude(x) = &p.kind else {
                    return None;
                };
                out.iter().position(|o| {
                    matches!(&o.kind, ConstraintKind::Exclude(y) if y == x)
                        && o.deferrable == p.deferrable
                        && o.initially_deferred == p.initially_deferred
                })
            });
        match same {
            Some(i) if !matches!(p.kind, ConstraintKind::PrimaryKey { .. }) => {
                if out[i].name.is_none() {
                    out[i].name = p.name;
                }
            }
            _ => out.push(p),
        }
    }
    out
}
