//! `CREATE INDEX` and `ALTER INDEX ... RENAME`, with the implicit index names
//! PostgreSQL chooses (`FigureIndexColname`, `ChooseIndexColumnNames`).

use sqlparser::ast::{CreateIndex, Expr, IndexColumn, IndexType, ObjectName, OrderBySort};

use super::storage::Owner;
use super::{Cx, Res};
use crate::diagnostic::{Diagnostic, codes};
use crate::model::names::{self, fold_ident, object_name_parts};
use crate::model::types::TypeSpec;
use crate::model::{
    Expression, Index, IndexKey, IndexPart, OperatorClass, QualifiedName, SqlType,
    StorageParameters,
};

/// The column name of an index key written as a plain column, if it is one.
pub(super) fn plain_column(e: &Expr) -> Option<String> {
    match e {
        Expr::Identifier(i) => Some(fold_ident(i)),
        Expr::Nested(inner) => plain_column(inner),
        _ => None,
    }
}

/// An index key's expression without its top-level `COLLATE` (PostgreSQL keeps
/// that as the key's collation: `x COLLATE y` and `(x COLLATE y)` alike), and
/// the collation's name as PostgreSQL prints it.
///
/// # Errors
/// A collation qualified with a schema other than `pg_catalog` or `public`.
pub fn split_key_collation(e: &Expr) -> Result<(&Expr, Option<String>), String> {
    let mut inner = e;
    while let Expr::Nested(x) = inner {
        inner = x;
    }
    match inner {
        Expr::Collate { expr, collation } => {
            Ok((expr, Some(visible_name(collation, "collation")?)))
        }
        _ => Ok((e, None)),
    }
}

/// An index key's operator class as the model keeps it.
///
/// # Errors
/// A class name with more than two parts.
pub fn operator_class_of(name: &ObjectName) -> Result<OperatorClass, String> {
    let parts = object_name_parts(name);
    match parts.as_slice() {
        [name] => Ok(OperatorClass {
            schema: None,
            name: name.clone(),
            parameters: StorageParameters::default(),
        }),
        [schema, name] => Ok(OperatorClass {
            schema: (!on_search_path(schema)).then(|| schema.clone()),
            name: name.clone(),
            parameters: StorageParameters::default(),
        }),
        _ => Err(format!("operator class `{name}` has too many name parts")),
    }
}

/// Whether PostgreSQL prints names of `schema` unqualified (`pg_catalog` and
/// `public`, the default search path).
fn on_search_path(schema: &str) -> bool {
    schema == "pg_catalog" || schema == "public"
}

/// The name of a collation as PostgreSQL prints it in the search path
/// (`pg_catalog` and `public`): unqualified.
pub(super) fn visible_name(name: &ObjectName, what: &str) -> Result<String, String> {
    let parts = object_name_parts(name);
    match parts.as_slice() {
        [name] => Ok(name.clone()),
        [schema, name] if on_search_path(schema) => Ok(name.clone()),
        _ => Err(format!(
            "{what} `{name}` is qualified with a schema the model does not carry: \
             only `pg_catalog` and `public` {what}s are supported"
        )),
    }
}

/// PostgreSQL's `FigureIndexColname`: the name an index column gets from its
/// expression, `expr` when nothing in it gives one.
/// PostgreSQL's `INDEX_MAX_KEYS`: the most columns (keys and `INCLUDE`) an
/// index may have.
pub(super) const INDEX_MAX_KEYS: usize = 32;

/// The name addition PostgreSQL would give `index` if it were created
/// unnamed (on a partition, for the copy of a parent's index): its key
/// columns' names (an expression's as `FigureColname` finds it) and its
/// `INCLUDE` columns, made distinct.
pub(super) fn implicit_index_addition(index: &Index) -> String {
    let mut names: Vec<String> = index
        .keys
        .iter()
        .map(|k| match &k.part {
            IndexPart::Column(c) => c.clone(),
            IndexPart::Expression(e) => {
                sqlparser::parser::Parser::new(&sqlparser::dialect::PostgreSqlDialect {})
                    .try_with_sql(e.sql())
                    .and_then(|mut p| p.parse_expr())
                    .map_or_else(|_| "expr".to_string(), |x| figure_name(&x))
            }
        })
        .collect();
    names.extend(index.include.iter().cloned());
    names::name_addition(dedup_column_names(names).iter().map(String::as_str))
}

fn figure_name(e: &Expr) -> String {
    figure_colname(e).map_or_else(|| "expr".to_string(), |(name, _)| name)
}

/// PostgreSQL's `FigureColnameInternal`: a name and how strong a guess it is
/// (2 for a column, a function or a construct named like one; 1 for a cast's
/// type or `case`).
fn figure_colname(e: &Expr) -> Option<(String, u8)> {
    let strong = |name: &str| Some((name.to_string(), 2));
    match e {
        Expr::Identifier(i) => Some((fold_ident(i), 2)),
        Expr::CompoundIdentifier(parts) => parts.last().map(|i| (fold_ident(i), 2)),
        Expr::Nested(inner) | Expr::Collate { expr: inner, .. } => figure_colname(inner),
        Expr::Function(f) => object_name_parts(&f.name).last().map(|n| (n.clone(), 2)),
        // Constructs the grammar turns into function calls.
        Expr::Floor { .. } => strong("floor"),
        Expr::Ceil { .. } => strong("ceil"),
        Expr::AtTimeZone { .. } => strong("timezone"),
        Expr::Extract { .. } => strong("extract"),
        Expr::Position { .. } => strong("position"),
        Expr::Substring { .. } => strong("substring"),
        Expr::Trim { trim_where, .. } => match trim_where {
            Some(sqlparser::ast::TrimWhereField::Leading) => strong("ltrim"),
            Some(sqlparser::ast::TrimWhereField::Trailing) => strong("rtrim"),
            _ => strong("btrim"),
        },
        Expr::Array(_) => strong("array"),
        Expr::Tuple(_) => strong("row"),
        Expr::Cast {
            expr, data_type, ..
        } => match figure_colname(expr) {
            Some((name, 2)) => Some((name, 2)),
            _ => Some((internal_type_name(data_type), 1)),
        },
        Expr::Case { else_result, .. } => match else_result.as_deref().and_then(figure_colname) {
            Some((name, 2)) => Some((name, 2)),
            _ => Some(("case".to_string(), 1)),
        },
        _ => None,
    }
}

/// The last part of a type name as PostgreSQL's grammar records it: SQL's
/// spellings of built-in types become their internal names (`integer` is `int4`).
fn internal_type_name(data_type: &sqlparser::ast::DataType) -> String {
    match TypeSpec::from_ast(data_type).map(|spec| spec.ty) {
        Ok(SqlType::SmallInt) => "int2".into(),
        Ok(SqlType::Integer) => "int4".into(),
        Ok(SqlType::BigInt) => "int8".into(),
        Ok(SqlType::Real) => "float4".into(),
        Ok(SqlType::DoublePrecision) => "float8".into(),
        Ok(SqlType::Numeric { .. }) => "numeric".into(),
        Ok(SqlType::Boolean) => "bool".into(),
        Ok(SqlType::Varchar(_)) => "varchar".into(),
        Ok(SqlType::Char(_)) => "bpchar".into(),
        Ok(SqlType::Time {
            with_time_zone: true,
            ..
        }) => "timetz".into(),
        Ok(SqlType::Time { .. }) => "time".into(),
        Ok(SqlType::Timestamp {
            with_time_zone: true,
            ..
        }) => "timestamptz".into(),
        Ok(SqlType::Timestamp { .. }) => "timestamp".into(),
        Ok(SqlType::Interval { .. }) => "interval".into(),
        Ok(SqlType::Bit(_)) => "bit".into(),
        Ok(SqlType::VarBit(_)) => "varbit".into(),
        Ok(SqlType::Array(_)) | Err(_) => data_type.to_string().to_ascii_lowercase(),
        Ok(SqlType::Named(name)) => name.name,
        Ok(other) => other.to_string(),
    }
}

/// PostgreSQL's `ChooseIndexColumnNames`: a name repeated within one index
/// gets a number (`lower`, `lower1`).
pub(super) fn dedup_column_names(names: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        let mut candidate = name.clone();
        let mut i = 0;
        while out.contains(&candidate) {
            i += 1;
            let suffix = i.to_string();
            let base = names::truncate(&name, names::MAX_IDENTIFIER_BYTES - suffix.len());
            candidate = format!("{base}{suffix}");
        }
        out.push(candidate);
    }
    out
}

impl Cx<'_> {
    pub(super) fn create_index(&mut self, ci: &CreateIndex) -> Res<()> {
        let CreateIndex {
            name: _,
            table_name: _,
            using,
            columns,
            unique: _,
            // Builds the same index; the file's own text keeps the word for PostgreSQL.
            concurrently: _,
            r#async,
            if_not_exists: _,
            include: _,
            nulls_distinct: _,
            with,
            predicate: _,
            index_options,
            alter_options,
        } = ci;
        let table_name = self.name(&ci.table_name)?;
        self.check_object_name(&ci.table_name, "table")?;
        if let Some(n) = &ci.name {
            self.check_object_name(n, "index")?;
        }
        for c in &ci.include {
            self.check_name(c, "column")?;
        }
        let at = self.at_name(&ci.table_name);
        let partitioned = self
            .schema
            .tables
            .get(&table_name)
            .is_some_and(|t| t.partition_by.is_some());
        if ci.concurrently && partitioned {
            return Err(Diagnostic::error(
                codes::NOT_ALLOWED_HERE,
                format!("PostgreSQL builds no index concurrently on partitioned table `{table_name}`"),
            )
            .at(&at)
            .help(format!("create it with `CREATE INDEX ... ON ONLY {table_name} (...)` (it builds nothing), build each partition's index with `CREATE INDEX CONCURRENTLY`, then `ALTER INDEX ... ATTACH PARTITION` each")));
        }
        if *r#async || !index_options.is_empty() || !alter_options.is_empty() {
            return Err(self.unsupported("index options other than PostgreSQL's"));
        }
        let method = match using {
            None | Some(IndexType::BTree) => "btree".to_string(),
            Some(IndexType::Hash) => "hash".into(),
            Some(IndexType::GIN) => "gin".into(),
            Some(IndexType::GiST) => "gist".into(),
            Some(IndexType::SPGiST) => "spgist".into(),
            Some(IndexType::BRIN) => "brin".into(),
            Some(IndexType::Bloom) => "bloom".into(),
            Some(IndexType::Custom(i)) => fold_ident(i),
        };
        let written = self.written_expressions(with)?;
        let mut options = StorageParameters::default();
        for (n, v) in self.storage_parameters(&written, Owner::Index(&method), false)? {
            options.set(&n, v.as_deref().unwrap_or("true"));
        }
        if columns.len() + ci.include.len() > INDEX_MAX_KEYS {
            return Err(self
                .err(
                    codes::NOT_ALLOWED_HERE,
                    format!(
                        "an index has at most {INDEX_MAX_KEYS} columns, this one {}",
                        columns.len() + ci.include.len()
                    ),
                )
                .note("PostgreSQL refuses more (`INDEX_MAX_KEYS`)")
                .help("index fewer columns, or several indexes"));
        }
        let mut keys = Vec::with_capacity(columns.len());
        let mut addition = Vec::new();
        for c in columns {
            let (key, name) = self.index_key(c, "CREATE INDEX")?;
            keys.push(key);
            addition.push(name);
        }
        let include: Vec<String> = ci.include.iter().map(fold_ident).collect();
        // Included columns count in the implicit name, as key columns do.
        addition.extend(include.iter().cloned());
        let addition = dedup_column_names(addition);
        let name = match &ci.name {
            Some(n) => {
                let q = self.name(n)?;
                if q.schema != table_name.schema && object_name_parts(n).len() > 1 {
                    return Err(self
                        .err(codes::SYNTAX, "an index lives in its table's schema")
                        .help("write the index name without a schema"));
                }
                q.name
            }
            None => names::choose_relation_name(
                self.schema,
                &[],
                &table_name,
                Some(&names::name_addition(addition.iter().map(String::as_str))),
                "idx",
            ),
        };
        let qualified_index = QualifiedName::new(table_name.schema.clone(), name.clone());
        if self.schema.relation_name_taken(&qualified_index) {
            if ci.if_not_exists {
                let previous = self
                    .schema
                    .index_owner(&qualified_index)
                    .and_then(|t| self.schema.tables.get(t))
                    .and_then(|t| t.indexes.get(&qualified_index.name))
                    .map(|i| i.origin.clone());
                return match previous {
                    Some(previous) => {
                        self.skipped_if_not_exists(&format!("index `{qualified_index}`"), &previous)
                    }
                    None => Ok(()),
                };
            }
            return Err(self
                .err(
                    codes::DUPLICATE_OBJECT,
                    format!("relation `{qualified_index}` already exists"),
                )
                .help("give the index another name"));
        }
        if let Some(view) = self.schema.views.get(&table_name) {
            let index = Index {
                name: name.clone(),
                unique: ci.unique,
                method,
                keys,
                include,
                nulls_not_distinct: ci.nulls_distinct == Some(false),
                predicate: ci.predicate.as_ref().map(Expression::from_ast),
                comment: None,
                options,
                origin: match &ci.name {
                    Some(n) => self.at_name(n),
                    None => self.origin(),
                },
            };
            return self.create_view_index(&view.name.clone(), index, &at);
        }
        let table = self.table_mut(&table_name, &at)?;
        for key in &keys {
            if let IndexPart::Column(c) = &key.part {
                if table.column(c).is_none() {
                    return Err(Diagnostic::error(
                        codes::UNKNOWN_OBJECT,
                        format!(
                            "column `{c}` of table `{table_name}` does not exist at this point"
                        ),
                    )
                    .at(&at)
                    .help("index existing columns"));
                }
            }
        }
        let origin = match &ci.name {
            Some(n) => self.at_name(n),
            None => self.origin(),
        };
        let index = Index {
            name: name.clone(),
            unique: ci.unique,
            method,
            keys,
            include,
            nulls_not_distinct: ci.nulls_distinct == Some(false),
            predicate: ci.predicate.as_ref().map(Expression::from_ast),
            comment: None,
            options,
            origin,
        };
        let table = self.table_mut(&table_name, &at)?;
        table.indexes.insert(name, index);
        table.canonical_key_collations();
        Ok(())
    }

    /// One index key as written (`CREATE INDEX`, an `EXCLUDE` element) and
    /// the name PostgreSQL gives its index column (`FigureIndexColname`).
    pub(super) fn index_key(&self, c: &IndexColumn, statement: &str) -> Res<(IndexKey, String)> {
        let IndexColumn {
            column:
                sqlparser::ast::OrderByExpr {
                    expr,
                    options: sqlparser::ast::OrderByOptions { sort, nulls_first },
                    with_fill,
                },
            operator_class,
        } = c;
        let opclass = match operator_class {
            Some(name) => {
                let mut class = operator_class_of(name).map_err(|m| {
                    self.err(codes::SYNTAX, m)
                        .at(&self.at_span(name))
                        .help("write the operator class as `name` or `schema.name`")
                })?;
                if let Some(parameters) =
                    crate::parse::opclass_parameters_of(&self.file.opclass_parameters, name)
                {
                    class.parameters = parameters;
                }
                Some(class)
            }
            None => None,
        };
        if with_fill.is_some() {
            return Err(self.refuse_clause("WITH FILL", &["WITH", "FILL"], statement));
        }
        let (expr, collation) = split_key_collation(expr).map_err(|m| {
            self.err(codes::UNSUPPORTED_FEATURE, m)
                .at(&self.at_span(expr))
                .help("write the collation unqualified, or in `pg_catalog` or `public`")
        })?;
        if let Expr::Identifier(i) = expr {
            self.check_name(i, "column")?;
        }
        let descending = match sort {
            None | Some(OrderBySort::Asc) => false,
            Some(OrderBySort::Desc) => true,
            Some(OrderBySort::Using(_)) => {
                return Err(self.refuse_clause("USING operator", &["USING"], statement));
            }
        };
        let nulls_first = nulls_first.unwrap_or(descending);
        let (part, name) = match plain_column(expr) {
            Some(col) => (IndexPart::Column(col.clone()), col),
            None => (
                IndexPart::Expression(Expression::from_ast(expr)),
                figure_name(expr),
            ),
        };
        Ok((
            IndexKey {
                part,
                descending,
                nulls_first,
                collation,
                opclass,
            },
            name,
        ))
    }

    pub(super) fn rename_index(&mut self, old: &QualifiedName, new: &str) -> Res<()> {
        let new_q = QualifiedName::new(old.schema.clone(), new.to_string());
        if self.schema.relation_name_taken(&new_q) {
            return Err(self.err(
                codes::DUPLICATE_OBJECT,
                format!("relation `{new_q}` already exists"),
            ));
        }
        let Some(owner) = self.schema.index_owner(old).cloned() else {
            return Err(self.err(
                codes::UNKNOWN_OBJECT,
                format!("index `{old}` does not exist at this point"),
            ));
        };
        if let Some(t) = self.schema.tables.get_mut(&owner) {
            if let Some(mut i) = t.indexes.remove(&old.name) {
                i.name = new.to_string();
                t.indexes.insert(new.to_string(), i);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::model::QualifiedName;
    use crate::parse::parse_schema_str;

    #[test]
    fn implicit_index_names_follow_postgres() {
        let sql = "create table r (id int, a text, b text, v numeric, n text);
            create index on r ((v::integer));
            create index on r (((v + 1)::integer));
            create index on r (lower(a), lower(b));
            create index on r (a, a);
            create index on r ((case when v > 0 then a else b end));
            create index on r ((case when v > 0 then 'x' end));
            create index on r ((v * 2));
            create index on r (id) include (n);";
        let schema = parse_schema_str("t.sql", sql).unwrap_or_else(|d| panic!("{d:?}"));
        let table = schema.tables.get(&QualifiedName::public("r"));
        let mut names: Vec<&str> = table
            .map(|t| t.indexes.keys().map(String::as_str).collect())
            .unwrap_or_default();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "r_a_a1_idx",
                "r_b_idx",
                "r_case_idx",
                "r_expr_idx",
                "r_id_n_idx",
                "r_int4_idx",
                "r_lower_lower1_idx",
                "r_v_idx",
            ]
        );
    }
}
