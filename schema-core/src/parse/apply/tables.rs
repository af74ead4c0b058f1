//! `CREATE TABLE`: the clauses the model refuses, the table itself and its
//! columns (types, defaults, identity, `serial`, generated columns), with the
//! constraints written in it handed to [`super::constraints`].

use sqlparser::ast::{ColumnDef, ColumnOption, CreateTable, Expr, GeneratedAs};

use super::constraints::{PendingConstraint, merge_duplicate_keys};
use super::storage::Owner;
use super::{Cx, Res};
use crate::diagnostic::{Diagnostic, codes};
use crate::directive::Directive;
use crate::model::expr::nextval;
use crate::model::names::{self, fold_ident};
use crate::model::types::TypeSpec;
use crate::model::{
    Column, Directives, Expression, Identity, QualifiedName, Sequence, SequenceOptions,
    SequenceType, Table,
};

impl Cx<'_> {
    /// Every field of `CREATE TABLE` is bound here, so a field a new sqlparser
    /// adds is a compile error: the model carries it, or it is refused by name.
    fn refuse_table_clauses(&self, ct: &CreateTable) -> Res<()> {
        let CreateTable {
            or_replace,
            temporary,
            // Modelled: `Table::unlogged`, set by `create_table`.
            unlogged: _,
            external,
            dynamic,
            global,
            if_not_exists: _,
            transient,
            volatile,
            iceberg,
            snapshot,
            name: _,
            columns: _,
            constraints: _,
            hive_distribution,
            hive_formats,
            table_options,
            file_format,
            location,
            query,
            sqlite_table_options,
            like,
            clone,
            version,
            comment,
            on_commit,
            on_cluster,
            primary_key,
            order_by,
            partition_by,
            cluster_by,
            clustered_by,
            inherits,
            partition_of,
            for_values,
            copy_grants,
            enable_schema_evolution,
            change_tracking,
            data_retention_time_in_days,
            max_data_extension_time_in_days,
            default_ddl_collation,
            with_aggregation_policy,
            with_row_access_policy,
            with_storage_lifecycle_policy,
            with_tags,
            external_volume,
            with_connection,
            base_location,
            catalog,
            catalog_sync,
            storage_serialization_policy,
            target_lag,
            warehouse,
            refresh_mode,
            initialize,
            require_user,
            diststyle,
            distkey,
            sortkey,
            backup,
            multiset,
            fallback,
            with_data,
        } = ct;
        let options_clause = match table_options {
            sqlparser::ast::CreateTableOptions::None => None,
            // Modelled: `Table::options`, set by `create_table`.
            sqlparser::ast::CreateTableOptions::With(_) => None,
            sqlparser::ast::CreateTableOptions::Plain(_) => {
                Some(("TABLESPACE", &["TABLESPACE"][..]))
            }
            sqlparser::ast::CreateTableOptions::Options(_) => {
                Some(("OPTIONS (...)", &["OPTIONS"][..]))
            }
            sqlparser::ast::CreateTableOptions::TableProperties(_) => {
                Some(("TBLPROPERTIES", &["TBLPROPERTIES"][..]))
            }
        };
        // PostgreSQL's clauses first, each with the words that start it.
        // Modelled: `PARTITION BY`, `PARTITION OF ... FOR VALUES` (see
        // `create_table` and `partitions.rs`).
        let _ = (partition_by, partition_of);
        let postgres: [(bool, &str, &[&str]); 8] = [
            (*temporary, "TEMPORARY", &["TEMP"]),
            (
                for_values.is_some() && partition_of.is_none(),
                "FOR VALUES",
                &["FOR", "VALUES"],
            ),
            (inherits.is_some(), "INHERITS", &["INHERITS"]),
            (on_commit.is_some(), "ON COMMIT", &["ON", "COMMIT"]),
            (query.is_some(), "AS query", &["AS"]),
            (like.is_some(), "LIKE", &["LIKE"]),
            (global.is_some(), "GLOBAL / LOCAL", &[]),
            (*or_replace, "OR REPLACE", &["OR", "REPLACE"]),
        ];
        for (set, clause, words) in postgres {
            if set {
                let words = if clause == "TEMPORARY" && !self.has_words(&["TEMP"]) {
                    &["TEMPORARY"][..]
                } else {
                    words
                };
                return Err(self.refuse_clause(clause, words, "CREATE TABLE"));
            }
        }
        if let Some((clause, words)) = options_clause {
            return Err(self.refuse_clause(clause, words, "CREATE TABLE"));
        }
        // Other dialects' clauses: PostgreSQL's grammar never sets them.
        let foreign = [
            (*external, "EXTERNAL"),
            (*dynamic, "DYNAMIC"),
            (*transient, "TRANSIENT"),
            (*volatile, "VOLATILE"),
            (*iceberg, "ICEBERG"),
            (*snapshot, "SNAPSHOT"),
            (
                *hive_distribution != sqlparser::ast::HiveDistributionStyle::NONE,
                "PARTITIONED BY",
            ),
            (hive_formats.is_some(), "ROW FORMAT / STORED AS"),
            (file_format.is_some(), "STORED AS"),
            (location.is_some(), "LOCATION"),
            (
                *sqlite_table_options != sqlparser::ast::SqliteTableOptions::default(),
                "STRICT / WITHOUT ROWID",
            ),
            (clone.is_some(), "CLONE"),
            (version.is_some(), "AT / BEFORE"),
            (comment.is_some(), "COMMENT"),
            (on_cluster.is_some(), "ON CLUSTER"),
            (primary_key.is_some(), "PRIMARY KEY (table option)"),
            (order_by.is_some(), "ORDER BY"),
            (cluster_by.is_some(), "CLUSTER BY"),
            (clustered_by.is_some(), "CLUSTERED BY"),
            (*copy_grants, "COPY GRANTS"),
            (enable_schema_evolution.is_some(), "ENABLE_SCHEMA_EVOLUTION"),
            (change_tracking.is_some(), "CHANGE_TRACKING"),
            (
                data_retention_time_in_days.is_some(),
                "DATA_RETENTION_TIME_IN_DAYS",
            ),
            (
                max_data_extension_time_in_days.is_some(),
                "MAX_DATA_EXTENSION_TIME_IN_DAYS",
            ),
            (default_ddl_collation.is_some(), "DEFAULT_DDL_COLLATION"),
            (with_aggregation_policy.is_some(), "WITH AGGREGATION POLICY"),
            (with_row_access_policy.is_some(), "WITH ROW ACCESS POLICY"),
            (
                with_storage_lifecycle_policy.is_some(),
                "WITH STORAGE LIFECYCLE POLICY",
            ),
            (with_tags.is_some(), "WITH TAG"),
            (external_volume.is_some(), "EXTERNAL_VOLUME"),
            (with_connection.is_some(), "WITH CONNECTION"),
            (base_location.is_some(), "BASE_LOCATION"),
            (catalog.is_some(), "CATALOG"),
            (catalog_sync.is_some(), "CATALOG_SYNC"),
            (
                storage_serialization_policy.is_some(),
                "STORAGE_SERIALIZATION_POLICY",
            ),
            (target_lag.is_some(), "TARGET_LAG"),
            (warehouse.is_some(), "WAREHOUSE"),
            (refresh_mode.is_some(), "REFRESH_MODE"),
            (initialize.is_some(), "INITIALIZE"),
            (*require_user, "REQUIRE USER"),
            (diststyle.is_some(), "DISTSTYLE"),
            (distkey.is_some(), "DISTKEY"),
            (sortkey.is_some(), "SORTKEY"),
            (backup.is_some(), "BACKUP"),
            (multiset.is_some(), "MULTISET / SET"),
            (fallback.is_some(), "FALLBACK"),
            (with_data.is_some(), "WITH DATA"),
        ];
        match foreign.iter().find(|(set, _)| *set) {
            Some((_, clause)) => Err(self.refuse_clause(clause, &[], "CREATE TABLE")),
            None => Ok(()),
        }
    }

    pub(super) fn create_table(&mut self, ct: &CreateTable) -> Res<()> {
        let name = self.name(&ct.name)?;
        self.check_object_name(&ct.name, "table")?;
        self.refuse_table_clauses(ct)?;
        if self.schema.tables.contains_key(&name) {
            let previous = self.schema.tables[&name].origin.clone();
            if ct.if_not_exists {
                return self.skipped_if_not_exists(&format!("table `{name}`"), &previous);
            }
            return Err(Diagnostic::error(
                codes::DUPLICATE_OBJECT,
                format!("table `{name}` is created twice"),
            )
            .at(&self.at_name(&ct.name))
            .related(&previous, "first created here")
            .help("remove one of the two definitions"));
        }
        if self.schema.relation_name_taken(&name) {
            return Err(self
                .err(
                    codes::DUPLICATE_OBJECT,
                    format!("relation `{name}` already exists"),
                )
                .help("an index or sequence already has this name; choose another"));
        }
        let mut table = Table::new(name.clone(), self.at_name(&ct.name));
        table.directives = Directives(self.directives.clone());
        table.unlogged = ct.unlogged;
        if let sqlparser::ast::CreateTableOptions::With(options) = &ct.table_options {
            let written = self.written_options(options)?;
            for (n, v) in self.storage_parameters(&written, Owner::Table, false)? {
                table.options.set(&n, v.as_deref().unwrap_or("true"));
            }
        }
        self.schema.tables.insert(name.clone(), table);
        let result = self
            .fill_table(&name, ct)
            .and_then(|()| self.check_toast_parameters(&name));
        if result.is_err() {
            // Leave no half-built table behind: later statements see a clean state.
            self.schema.tables.remove(&name);
            self.schema
                .sequences
                .retain(|_, s| s.owned_by.as_ref().is_none_or(|(t, _)| *t != name));
        }
        result
    }

    fn fill_table(&mut self, name: &QualifiedName, ct: &CreateTable) -> Res<()> {
        let mut pending = Vec::new();
        let partition_of = match &ct.partition_of {
            Some(parent) => Some(self.create_partition_columns(name, ct, parent)?),
            None => {
                let origin = self.origin();
                self.table_mut(name, &origin)?
                    .columns
                    .reserve_exact(ct.columns.len());
                let mut previous_line = self.statement.origin.line;
                for column in &ct.columns {
                    let line = self.at_ident(&column.name).line;
                    let directives = self.file.directives_between(previous_line, line);
                    previous_line = line;
                    self.add_column(name, column, directives, &mut pending)?;
                }
                None
            }
        };
        if let Some(expr) = &ct.partition_by {
            let key = self.partition_key(expr)?;
            self.check_partition_key(name, &key)?;
            let origin = self.origin();
            self.table_mut(name, &origin)?.partition_by = Some(key);
        }
        if let Some(of) = partition_of {
            let origin = self.origin();
            self.table_mut(name, &origin)?.partition_of = Some(of);
        }
        for constraint in &ct.constraints {
            pending.push(self.table_constraint(constraint)?);
        }
        self.add_constraints(name, merge_duplicate_keys(pending))
    }

    pub(super) fn add_column(
        &mut self,
        table: &QualifiedName,
        def: &ColumnDef,
        directives: Vec<Directive>,
        pending: &mut Vec<PendingConstraint>,
    ) -> Res<()> {
        let ColumnDef {
            name: column_ident,
            data_type: _,
            options,
        } = def;
        self.check_name(column_ident, "column")?;
        for option in options {
            if let Some(name) = &option.name {
                self.check_name(name, "constraint")?;
            }
        }
        let at = self.at_ident(&def.name);
        let col_name = fold_ident(&def.name);
        let spec = TypeSpec::from_ast(&def.data_type).map_err(|m| {
            Diagnostic::error(codes::UNSUPPORTED_FEATURE, m)
                .at(&at)
                .help("use a PostgreSQL type: integer, bigint, text, varchar(n), numeric(p,s), boolean, timestamptz, uuid, jsonb, an enum, ...")
        })?;
        self.check_type_exists(&spec.ty, &at)?;
        if self
            .schema
            .tables
            .get(table)
            .is_some_and(|t| t.column(&col_name).is_some())
        {
            return Err(Diagnostic::error(
                codes::DUPLICATE_OBJECT,
                format!("column `{col_name}` of table `{table}` already exists"),
            )
            .at(&at)
            .help("rename or remove one of the two columns"));
        }
        let mut column = Column {
            name: col_name.clone(),
            data_type: spec.ty.clone(),
            nullable: true,
            default: None,
            identity: None,
            identity_options: None,
            generated: None,
            comment: None,
            collation: None,
            storage: None,
            compression: self.written_compression(column_ident, &spec.ty)?,
            origin: at.clone(),
            directives: Directives(directives),
        };
        let mut saw_null = false;
        for option in &def.options {
            let constraint_name = option.name.as_ref().map(fold_ident);
            match &option.option {
                ColumnOption::Null => saw_null = true,
                ColumnOption::NotNull => column.nullable = false,
                ColumnOption::Default(e) => {
                    // PostgreSQL reads `DEFAULT 'x' COLLATE "C"` as the
                    // column's collation after its default.
                    let e = match e {
                        Expr::Collate { expr, collation } => {
                            column.collation = self.column_collation(collation, &spec.ty)?;
                            &**expr
                        }
                        e => e,
                    };
                    if !crate::model::expr::is_bare_default(e) {
                        return Err(Diagnostic::error(
                                codes::SYNTAX,
                                format!("PostgreSQL needs parentheses around this `DEFAULT` of column `{col_name}`"),
                            )
                            .at(&at)
                            .note("in a column definition, `DEFAULT` takes only a restricted expression: `NOT`, `AND`/`OR`, `IS ...`, `LIKE`, `IN`, `BETWEEN`, `AT TIME ZONE` and `COLLATE` must be parenthesised")
                            .help(format!("write `DEFAULT ({e})`")));
                    }
                    column.default = column_default(e);
                }
                ColumnOption::PrimaryKey(pk) => {
                    column.nullable = false;
                    let mut p = self.primary_key(pk, Some(&col_name))?;
                    p.name = p.name.or(constraint_name);
                    p.origin = at.clone();
                    pending.push(p);
                }
                ColumnOption::Unique(u) => {
                    let mut p = self.unique(u, Some(&col_name))?;
                    p.name = p.name.or(constraint_name);
                    p.origin = at.clone();
                    pending.push(p);
                }
                ColumnOption::ForeignKey(fk) => {
                    let mut p = self.foreign_key(fk, Some(&col_name))?;
                    p.name = p.name.or(constraint_name);
                    p.origin = at.clone();
                    pending.push(p);
                }
                ColumnOption::Check(c) => {
                    let mut p = self.check(c)?;
                    p.name = p.name.or(constraint_name);
                    p.origin = at.clone();
                    pending.push(p);
                }
                ColumnOption::Generated {
                    generated_as,
                    sequence_options,
                    generation_expr,
                    generation_expr_mode,
                    generated_keyword: _,
                } => match (generated_as, generation_expr) {
                    (GeneratedAs::Always | GeneratedAs::ByDefault, None) => {
                        if spec.ty.is_integer() {
                            column.identity_options = Some(Box::new(
                                self.identity_options(sequence_options.as_deref(), &spec.ty)?,
                            ));
                        }
                        column.identity = Some(if *generated_as == GeneratedAs::Always {
                            Identity::Always
                        } else {
                            Identity::ByDefault
                        });
                    }
                    (_, Some(e)) => {
                        if matches!(
                            generation_expr_mode,
                            Some(sqlparser::ast::GeneratedExpressionMode::Virtual)
                        ) {
                            return Err(self.refuse_clause(
                                "VIRTUAL",
                                &["VIRTUAL"],
                                "generated column",
                            ));
                        }
                        column.generated = Some(Box::new(Expression::from_ast(e)));
                    }
                    (GeneratedAs::ExpStored, None) => {
                        return Err(self.unsupported("a generated column without expression"));
                    }
                },
                ColumnOption::Collation(name) => {
                    column.collation = self.column_collation(name, &spec.ty)?;
                }
                other => {
                    return Err(Diagnostic::error(
                        codes::UNSUPPORTED_FEATURE,
                        format!("column option `{other}` is not supported by the schema model"),
                    )
                    .at(&at)
                    .help("remove it from the column definition"));
                }
            }
        }
        if saw_null && !column.nullable {
            return Err(Diagnostic::error(
                codes::SYNTAX,
                format!("column `{col_name}` is declared both NULL and NOT NULL"),
            )
            .at(&at)
            .help("keep one of the two"));
        }
        if column.identity.is_some() {
            if !spec.ty.is_integer() {
                return Err(Diagnostic::error(
                    codes::SYNTAX,
                    format!(
                        "identity column `{col_name}` must be smallint, integer or bigint, not `{}`",
                        spec.ty
                    ),
                )
                .at(&at)
                .help("change the type to an integer type"));
            }
            column.nullable = false;
        }
        if spec.serial {
            column.nullable = false;
            let seq_name =
                names::choose_relation_name(self.schema, &[], table, Some(&col_name), "seq");
            let seq = QualifiedName::new(table.schema.clone(), seq_name);
            column.default = Some(nextval(&seq));
            self.schema.sequences.insert(
                seq.clone(),
                Sequence {
                    name: seq,
                    owned_by: Some((table.clone(), col_name.clone())),
                    options: SequenceOptions::defaults(
                        SequenceType::of(&spec.ty).unwrap_or(SequenceType::Integer),
                    ),
                    comment: None,
                    origin: at.clone(),
                },
            );
        }
        let t = self.table_mut(table, &at)?;
        // Exactly one more: a table copied on write has no room to spare,
        // and doubling would keep half its columns' room empty for good.
        t.columns.reserve_exact(1);
        t.columns.push(column);
        Ok(())
    }
}

impl Cx<'_> {
    /// A column's `COLLATE name` as the model keeps it: unqualified when in
    /// `pg_catalog` or `public`, `None` for `default` (the type's own); an
    /// error for a type without collations.
    pub(super) fn column_collation(
        &self,
        name: &sqlparser::ast::ObjectName,
        ty: &crate::model::SqlType,
    ) -> Res<Option<String>> {
        let parts = crate::model::names::object_name_parts(name);
        self.collation_of_parts(&parts, &self.at_span(name), ty)
    }

    /// [`Self::column_collation`] of a name already split into its parts.
    pub(super) fn collation_of_parts(
        &self,
        parts: &[String],
        at: &crate::diagnostic::Origin,
        ty: &crate::model::SqlType,
    ) -> Res<Option<String>> {
        use crate::model::SqlType;
        let collation = match parts {
            [name] => name.clone(),
            [schema, name] if schema == "pg_catalog" || schema == "public" => name.clone(),
            _ => {
                return Err(Diagnostic::error(
                    codes::UNSUPPORTED_FEATURE,
                    format!(
                        "collation `{}` is qualified with a schema the model does not carry: \
                         only `pg_catalog` and `public` collations are supported",
                        parts.join(".")
                    ),
                )
                .at(at)
                .help("write the collation unqualified, or in `pg_catalog` or `public`"));
            }
        };
        let mut base = ty;
        while let SqlType::Array(inner) = base {
            base = inner;
        }
        let collatable = match base {
            SqlType::Text | SqlType::Varchar(_) | SqlType::Char(_) => true,
            SqlType::Named(n) => !self.schema.enums.contains_key(n),
            _ => false,
        };
        if !collatable {
            return Err(Diagnostic::error(
                codes::SYNTAX,
                format!("collations are not supported by type `{ty}`"),
            )
            .at(at)
            .help("remove `COLLATE`: only text types (text, varchar, char) have a collation"));
        }
        Ok((collation != "default").then_some(collation))
    }
}

/// A column's `DEFAULT`: PostgreSQL stores no default for `DEFAULT NULL`
/// (nor for `NULL::type`), so neither does the model.
pub(super) fn column_default(e: &Expr) -> Option<Expression> {
    let default = Expression::from_ast(e);
    (!default.is_null()).then_some(default)
}

#[cfg(test)]
mod tests {
    use crate::model::{Expression, QualifiedName};
    use crate::parse::parse_schema_str;

    fn column_default(sql: &str, table: &str, column: &str) -> Option<Expression> {
        let schema = parse_schema_str("t.sql", sql).unwrap_or_else(|d| panic!("{d:?}"));
        let table = schema.tables.get(&QualifiedName::public(table));
        table
            .and_then(|t| t.column(column))
            .and_then(|c| c.default.clone())
    }

    #[test]
    fn default_null_is_no_default() {
        let sql = "create table t (a text default null, b int default null::integer, c int);
                   alter table t alter column c set default null;";
        assert_eq!(column_default(sql, "t", "a"), None);
        assert_eq!(column_default(sql, "t", "b"), None);
        assert_eq!(column_default(sql, "t", "c"), None);
    }

    #[test]
    fn serial_default_names_its_sequence_as_regclass_prints_it() {
        let sql = "create table \"Diary\" (\"Entry\" serial primary key);";
        assert_eq!(
            column_default(sql, "Diary", "Entry"),
            Expression::parse("nextval('\"Diary_Entry_seq\"'::regclass)").ok()
        );
    }
}
