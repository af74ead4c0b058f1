//! Partitioned tables: `PARTITION BY`, `CREATE TABLE ... PARTITION OF`,
//! `ALTER TABLE ... ATTACH | DETACH PARTITION` and `ALTER INDEX ... ATTACH
//! PARTITION` (pg_dump's forms), and the columns a partition shares with its
//! parent.

use sqlparser::ast::{
    CreateTable, Expr, ForValues, FunctionArg, FunctionArgExpr, FunctionArguments,
    PartitionBoundValue, Statement,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use super::indexes::{plain_column, split_key_collation};
use super::{Cx, Res};
use crate::diagnostic::{Diagnostic, codes};
use crate::model::names;
use crate::model::{
    ConstraintKind, Expression, IndexKey, IndexPart, PartitionBound, PartitionKey, PartitionOf,
    PartitionStrategy, QualifiedName, RangeBound,
};

impl Cx<'_> {
    /// `PARTITION BY RANGE | LIST | HASH (keys)`, which sqlparser reads as a
    /// function call.
    pub(super) fn partition_key(&self, expr: &Expr) -> Res<PartitionKey> {
        partition_key_of(expr).map_err(|(code, message, help)| self.err(code, message).help(help))
    }

    /// Checks that the key's plain columns are columns of `table`.
    pub(super) fn check_partition_key(&self, table: &QualifiedName, key: &PartitionKey) -> Res<()> {
        let Some(t) = self.schema.tables.get(table) else {
            return Ok(());
        };
        for k in &key.keys {
            if let IndexPart::Column(c) = &k.part {
                if t.column(c).is_none() {
                    return Err(self
                        .err(
                            codes::UNKNOWN_OBJECT,
                            format!("column `{c}` named in the partition key does not exist in table `{table}`"),
                        )
                        .help("name a column of the table"));
                }
            }
        }
        Ok(())
    }

    /// `FOR VALUES ...` or `DEFAULT`.
    pub(super) fn partition_bound(&self, values: &ForValues) -> Res<PartitionBound> {
        partition_bound_of(values)
            .map_err(|m| self.err(codes::SYNTAX, m).help("PostgreSQL refuses it too"))
    }

    /// The partitioned table `parent` as a partition's parent, and that the
    /// bound's kind fits its strategy.
    fn check_parent(&self, parent: &QualifiedName, bound: &PartitionBound) -> Res<()> {
        let Some(p) = self.schema.tables.get(parent) else {
            return Err(self.unknown_table(parent, &self.origin()));
        };
        let Some(key) = &p.partition_by else {
            return Err(self
                .err(
                    codes::NOT_ALLOWED_HERE,
                    format!("table `{parent}` is not partitioned"),
                )
                .help("declare it with `PARTITION BY ...` before its partitions"));
        };
        let fits = match (key.strategy, bound) {
            (_, PartitionBound::Default) => key.strategy != PartitionStrategy::Hash,
            (PartitionStrategy::Range, PartitionBound::Range { from, to }) => {
                from.len() == key.keys.len() && to.len() == key.keys.len()
            }
            (PartitionStrategy::List, PartitionBound::In(values)) => !values.is_empty(),
            (PartitionStrategy::Hash, PartitionBound::Hash { .. }) => true,
            _ => false,
        };
        if !fits {
            return Err(self
                .err(
                    codes::SYNTAX,
                    format!(
                        "`{bound}` does not fit table `{parent}`, partitioned by `{key}`"
                    ),
                )
                .help("PostgreSQL refuses it too: a range partition takes `FROM (...) TO (...)` with one value per key, a list partition `IN (...)`, a hash partition `WITH (MODULUS m, REMAINDER r)`; only range and list tables take `DEFAULT`"));
        }
        Ok(())
    }

    /// `CREATE TABLE name PARTITION OF parent ...`: the parent's columns,
    /// then the partition's own constraints; `fill` reads the rest.
    pub(super) fn create_partition_columns(
        &mut self,
        name: &QualifiedName,
        ct: &CreateTable,
        parent_name: &sqlparser::ast::ObjectName,
    ) -> Res<PartitionOf> {
        let parent = self.name(parent_name)?;
        let Some(values) = &ct.for_values else {
            return Err(self
                .err(
                    codes::SYNTAX,
                    "`PARTITION OF` needs `FOR VALUES ...` or `DEFAULT`",
                )
                .help("write `CREATE TABLE name PARTITION OF parent FOR VALUES ...`"));
        };
        let bound = self.partition_bound(values)?;
        self.check_parent(&parent, &bound)?;
        if !ct.columns.is_empty() {
            return Err(self.refuse_clause(
                "column options in PARTITION OF",
                &[],
                "CREATE TABLE ... PARTITION OF",
            ));
        }
        let columns = self.schema.tables[&parent].columns.clone();
        let origin = self.at_name(&ct.name);
        let table = self.table_mut(name, &origin)?;
        table.columns = columns
            .into_iter()
            .map(|mut c| {
                c.origin = origin.clone();
                c.comment = None;
                c.directives = Default::default();
                c
            })
            .collect();
        Ok(PartitionOf { parent, bound })
    }

    /// `ALTER TABLE parent ATTACH PARTITION child FOR VALUES ...`.
    pub(super) fn attach_partition(
        &mut self,
        parent: &QualifiedName,
        child_name: &sqlparser::ast::ObjectName,
        values: &ForValues,
    ) -> Res<()> {
        let child = self.name(child_name)?;
        let at = self.at_name(child_name);
        let bound = self.partition_bound(values)?;
        self.check_parent(parent, &bound)?;
        let Some(c) = self.schema.tables.get(&child) else {
            return Err(self.unknown_table(&child, &at));
        };
        if let Some(of) = &c.partition_of {
            return Err(Diagnostic::error(
                codes::NOT_ALLOWED_HERE,
                format!("table `{child}` is already a partition of `{}`", of.parent),
            )
            .at(&at)
            .help("detach it first"));
        }
        if child == *parent || self.partitions_of(&child).contains(parent) {
            return Err(Diagnostic::error(
                codes::NOT_ALLOWED_HERE,
                format!("table `{child}` cannot be a partition of `{parent}`, which is its own partition"),
            )
            .at(&at)
            .help("PostgreSQL refuses it too"));
        }
        let p = &self.schema.tables[parent];
        let mut problems = Vec::new();
        for pc in &p.columns {
            match c.column(&pc.name) {
                None => problems.push(format!("it has no column `{}`", pc.name)),
                Some(cc) if cc.data_type != pc.data_type => problems.push(format!(
                    "its column `{}` is `{}`, the parent's `{}`",
                    pc.name, cc.data_type, pc.data_type
                )),
                Some(cc) if cc.nullable && !pc.nullable => problems.push(format!(
                    "its column `{}` is nullable, the parent's `NOT NULL`",
                    pc.name
                )),
                Some(_) => {}
            }
        }
        for cc in &c.columns {
            if p.column(&cc.name).is_none() {
                problems.push(format!("its column `{}` is not the parent's", cc.name));
            }
        }
        if !problems.is_empty() {
            return Err(Diagnostic::error(
                codes::NOT_ALLOWED_HERE,
                format!(
                    "table `{child}` cannot be a partition of `{parent}`: {}",
                    problems.join("; ")
                ),
            )
            .at(&at)
            .note("a partition has exactly its parent's columns, of the same types")
            .help("PostgreSQL refuses it too: change the table's columns first"));
        }
        // What the parent and its own parents have, the partition now
        // inherits instead of owning.
        let ancestors = self.with_ancestors(parent);
        let child_table = self.table_mut(&child, &at)?;
        // Each one the partition had that matches one it inherits becomes
        // that one's copy, keeping its own name (given back by a DETACH).
        let mut copies = Vec::new();
        child_table.constraints.retain(|name, constraint| {
            let parent_one =
                ancestors
                    .iter()
                    .flat_map(|a| a.constraints.values())
                    .find(|pc| match (&pc.kind, &constraint.kind) {
                        (ConstraintKind::Check { .. }, ConstraintKind::Check { .. }) => {
                            pc.name == *name
                        }
                        (a, b) => a == b,
                    });
            if let Some(pc) = parent_one {
                copies.push((name.clone(), pc.name.clone()));
            }
            parent_one.is_none()
        });
        child_table.indexes.retain(|name, i| {
            let parent_one = ancestors
                .iter()
                .flat_map(|a| a.indexes.values())
                .find(|pi| same_index(pi, i));
            if let Some(pi) = parent_one {
                copies.push((name.clone(), pi.name.clone()));
            }
            parent_one.is_none()
        });
        child_table.attached_indexes.0.extend(copies);
        child_table.partition_of = Some(PartitionOf {
            parent: parent.clone(),
            bound,
        });
        Ok(())
    }

    /// `ALTER TABLE parent DETACH PARTITION child`: the child becomes a table
    /// of its own, keeping its copies of what it inherited (from the parent
    /// and the parent's own parents): checks and foreign keys under the
    /// parent's names, keys and indexes under the names PostgreSQL gave the
    /// copies (the partition's own, when it had them at `ATTACH`, else the
    /// names it would give an unnamed key or index on the child).
    pub(super) fn detach_partition(
        &mut self,
        parent: &QualifiedName,
        child_name: &sqlparser::ast::ObjectName,
    ) -> Res<()> {
        let child = self.name(child_name)?;
        let at = self.at_name(child_name);
        let Some(c) = self.schema.tables.get(&child) else {
            return Err(self.unknown_table(&child, &at));
        };
        if c.partition_of
            .as_ref()
            .is_none_or(|of| of.parent != *parent)
        {
            return Err(Diagnostic::error(
                codes::NOT_ALLOWED_HERE,
                format!("table `{child}` is not a partition of `{parent}`"),
            )
            .at(&at)
            .help("name one of its partitions"));
        }
        let ancestors = self.with_ancestors(parent);
        let attached = self.schema.tables[&child].attached_indexes.0.clone();
        let own_name = |parent_name: &str| {
            attached
                .iter()
                .find(|(_, p)| *p == parent_name)
                .map(|(c, _)| c.clone())
        };
        let mut constraints = Vec::new();
        let mut indexes = Vec::new();
        let mut chosen: Vec<String> = Vec::new();
        for a in &ancestors {
            for pc in a.constraints.values() {
                let name = match &pc.kind {
                    ConstraintKind::Check { .. } | ConstraintKind::ForeignKey(_) => pc.name.clone(),
                    ConstraintKind::PrimaryKey { .. } => own_name(&pc.name).unwrap_or_else(|| {
                        names::choose_relation_name(self.schema, &chosen, &child, None, "pkey")
                    }),
                    ConstraintKind::Unique {
                        columns, include, ..
                    } => own_name(&pc.name).unwrap_or_else(|| {
                        let add =
                            names::name_addition(columns.iter().chain(include).map(String::as_str));
                        names::choose_relation_name(self.schema, &chosen, &child, Some(&add), "key")
                    }),
                    ConstraintKind::Exclude(_) => own_name(&pc.name).unwrap_or_else(|| {
                        names::choose_relation_name(self.schema, &chosen, &child, None, "excl")
                    }),
                };
                chosen.push(name.clone());
                let mut copy = pc.clone();
                copy.name.clone_from(&name);
                copy.comment = None;
                constraints.push(copy);
            }
            for pi in a.indexes.values() {
                let name = own_name(&pi.name).unwrap_or_else(|| {
                    let add = super::indexes::implicit_index_addition(pi);
                    names::choose_relation_name(self.schema, &chosen, &child, Some(&add), "idx")
                });
                chosen.push(name.clone());
                let mut copy = pi.clone();
                copy.name.clone_from(&name);
                copy.comment = None;
                indexes.push(copy);
            }
        }
        let t = self.table_mut(&child, &at)?;
        for c in constraints {
            t.constraints.insert(c.name.clone(), c);
        }
        for i in indexes {
            t.indexes.insert(i.name.clone(), i);
        }
        t.attached_indexes = crate::model::AttachedIndexes::default();
        t.partition_of = None;
        Ok(())
    }

    /// `ALTER INDEX parent ATTACH PARTITION child`: the partition's index
    /// (or its constraint's) becomes the parent's, which the model does not
    /// list on partitions.
    pub(super) fn attach_index_partition(
        &mut self,
        index: &[String],
        partition: &[String],
    ) -> Res<()> {
        let qualify = |parts: &[String]| match parts {
            [n] => Some(QualifiedName::public(n.clone())),
            [s, n] => Some(QualifiedName::new(s.clone(), n.clone())),
            _ => None,
        };
        let (Some(index), Some(partition)) = (qualify(index), qualify(partition)) else {
            return Err(self
                .err(
                    codes::SYNTAX,
                    "an index name has at most a schema and a name",
                )
                .help("write `ALTER INDEX schema.index ATTACH PARTITION schema.index`"));
        };
        let owner_of = |name: &QualifiedName| {
            self.schema
                .tables
                .values()
                .filter(|t| t.name.schema == name.schema)
                .find(|t| {
                    t.indexes.contains_key(&name.name)
                        || t.attached_indexes.0.contains_key(&name.name)
                        || t.constraints
                            .get(&name.name)
                            .is_some_and(|c| c.kind.has_index())
                })
                .map(|t| t.name.clone())
        };
        let parent_owner = owner_of(&index);
        let Some(child_owner) = owner_of(&partition) else {
            return Err(self
                .err(
                    codes::UNKNOWN_OBJECT,
                    format!("index `{partition}` does not exist at this point"),
                )
                .help("create the partition's index before attaching it"));
        };
        let is_child = self.schema.tables[&child_owner]
            .partition_of
            .as_ref()
            .is_some_and(|of| Some(&of.parent) == parent_owner.as_ref());
        if parent_owner.is_none() || !is_child {
            return Err(self
                .err(
                    codes::NOT_ALLOWED_HERE,
                    format!("index `{partition}` is not on a partition of the table index `{index}` is on"),
                )
                .help("attach a partition's index to its parent's index"));
        }
        let origin = self.origin();
        let t = self.table_mut(&child_owner, &origin)?;
        if t.indexes.remove(&partition.name).is_none() {
            t.constraints.remove(&partition.name);
        }
        t.attached_indexes.0.insert(partition.name, index.name);
        Ok(())
    }

    /// Gives every partition of `parent` (and theirs, on down) the parent's
    /// columns, as PostgreSQL carries `ALTER TABLE` on a partitioned table to
    /// its partitions: a column keeps its place in a partition that has it.
    pub(super) fn sync_partition_columns(&mut self, parent: &QualifiedName) {
        let Some(p) = self.schema.tables.get(parent) else {
            return;
        };
        if p.partition_by.is_none() {
            return;
        }
        let columns = p.columns.clone();
        for child in self.children_of(parent) {
            self.schema.tables.update_where(
                |t| t.name == child,
                |t| {
                    let mut synced: Vec<_> = t
                        .columns
                        .iter()
                        .filter_map(|own| {
                            columns.iter().find(|c| c.name == own.name).map(|c| {
                                let mut c = c.clone();
                                c.origin = own.origin.clone();
                                c.comment = own.comment.clone();
                                // A partition's own: `SET STORAGE` reaches it
                                // unless `ONLY`, `SET COMPRESSION` never.
                                c.storage = own.storage;
                                c.compression = own.compression;
                                c
                            })
                        })
                        .collect();
                    for c in &columns {
                        if !synced.iter().any(|s| s.name == c.name) {
                            let mut c = c.clone();
                            c.comment = None;
                            synced.push(c);
                        }
                    }
                    t.columns = synced;
                },
            );
            self.sync_partition_columns(&child);
        }
    }

    /// Renames column `old` to `new` in every partition of `parent`, on down.
    pub(super) fn rename_partition_column(&mut self, parent: &QualifiedName, old: &str, new: &str) {
        for child in self.children_of(parent) {
            self.schema.tables.update_where(
                |t| t.name == child,
                |t| {
                    if let Some(c) = t.columns.iter_mut().find(|c| c.name == old) {
                        c.name = new.to_string();
                    }
                },
            );
            self.rename_partition_column(&child, old, new);
        }
    }

    /// The partitions of `table` itself.
    /// `table` and the tables it is a partition of, up to the root: what a
    /// partition of `table` inherits from. Bounded by the number of tables.
    fn with_ancestors(&self, table: &QualifiedName) -> Vec<crate::model::Table> {
        let mut out: Vec<crate::model::Table> =
            self.schema.tables.get(table).cloned().into_iter().collect();
        while let Some(of) = out.last().and_then(|t| t.partition_of.as_ref()) {
            match self.schema.tables.get(&of.parent) {
                Some(t) if out.len() <= self.schema.tables.len() => out.push(t.clone()),
                _ => break,
            }
        }
        out
    }

    pub(super) fn children_of(&self, table: &QualifiedName) -> Vec<QualifiedName> {
        // Only a partitioned table has partitions: no look at every table
        // for the others (dropping 10,000 tables was quadratic).
        if self
            .schema
            .tables
            .get(table)
            .is_some_and(|t| t.partition_by.is_none())
        {
            return Vec::new();
        }
        self.schema
            .tables
            .values()
            .filter(|t| {
                t.partition_of
                    .as_ref()
                    .is_some_and(|of| of.parent == *table)
            })
            .map(|t| t.name.clone())
            .collect()
    }

    /// Every partition of `table`, on down (partitions of partitions first).
    pub(super) fn partitions_of(&self, table: &QualifiedName) -> Vec<QualifiedName> {
        let mut out = Vec::new();
        for child in self.children_of(table) {
            out.extend(self.partitions_of(&child));
            out.push(child);
        }
        out
    }
}

/// Two indexes PostgreSQL would take as one when attaching a partition: the
/// same method, keys, uniqueness, inclusion and predicate.
fn same_index(a: &crate::model::Index, b: &crate::model::Index) -> bool {
    a.unique == b.unique
        && a.method == b.method
        && a.keys == b.keys
        && a.include == b.include
        && a.nulls_not_distinct == b.nulls_not_distinct
        && a.predicate == b.predicate
}

/// `PARTITION BY RANGE | LIST | HASH (keys)` as sqlparser reads it (a
/// function call); an error's code, message and help otherwise.
fn partition_key_of(
    expr: &Expr,
) -> Result<PartitionKey, (crate::diagnostic::Code, String, String)> {
    let bad = || {
        (
            codes::SYNTAX,
            format!("`PARTITION BY {expr}` is not `RANGE (...)`, `LIST (...)` or `HASH (...)`"),
            "write `PARTITION BY RANGE (column)`, `LIST (column)` or `HASH (column)`".to_string(),
        )
    };
    let Expr::Function(f) = expr else {
        return Err(bad());
    };
    let strategy = match f.name.to_string().to_ascii_uppercase().as_str() {
        "RANGE" => PartitionStrategy::Range,
        "LIST" => PartitionStrategy::List,
        "HASH" => PartitionStrategy::Hash,
        _ => return Err(bad()),
    };
    let FunctionArguments::List(list) = &f.args else {
        return Err(bad());
    };
    if !list.clauses.is_empty() || list.duplicate_treatment.is_some() {
        return Err(bad());
    }
    let mut keys = Vec::new();
    for arg in &list.args {
        let FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) = arg else {
            return Err(bad());
        };
        let (e, collation) = split_key_collation(e).map_err(|m| {
            (
                codes::UNSUPPORTED_FEATURE,
                m,
                "use a collation of `pg_catalog` or `public`".to_string(),
            )
        })?;
        let part = match plain_column(e) {
            Some(column) => IndexPart::Column(column),
            None => IndexPart::Expression(Expression::from_ast(e)),
        };
        keys.push(IndexKey {
            part,
            descending: false,
            nulls_first: false,
            collation,
            opclass: None,
        });
    }
    if keys.is_empty() || (strategy == PartitionStrategy::List && keys.len() > 1) {
        return Err((
            codes::SYNTAX,
            format!(
                "`PARTITION BY {}` needs {}",
                strategy.keyword(),
                if strategy == PartitionStrategy::List {
                    "exactly one key"
                } else {
                    "at least one key"
                }
            ),
            "PostgreSQL refuses it too".to_string(),
        ));
    }
    Ok(PartitionKey { strategy, keys })
}

/// `FOR VALUES ...` or `DEFAULT` as sqlparser reads it.
fn partition_bound_of(values: &ForValues) -> Result<PartitionBound, String> {
    let value = |e: &Expr| Expression::from_ast(e);
    Ok(match values {
        ForValues::Default => PartitionBound::Default,
        ForValues::In(list) => PartitionBound::In(list.iter().map(value).collect()),
        ForValues::From { from, to } => {
            let bound = |list: &[PartitionBoundValue]| {
                list.iter()
                    .map(|v| match v {
                        PartitionBoundValue::MinValue => RangeBound::MinValue,
                        PartitionBoundValue::MaxValue => RangeBound::MaxValue,
                        PartitionBoundValue::Expr(e) => RangeBound::Value(value(e)),
                    })
                    .collect()
            };
            PartitionBound::Range {
                from: bound(from),
                to: bound(to),
            }
        }
        ForValues::With { modulus, remainder } => {
            if *modulus == 0 || remainder >= modulus {
                return Err(format!(
                    "`MODULUS {modulus}, REMAINDER {remainder}`: the remainder must be less than a positive modulus"
                ));
            }
            PartitionBound::Hash {
                modulus: *modulus,
                remainder: *remainder,
            }
        }
    })
}

/// A partition key as `pg_get_partkeydef` prints it (`RANGE (at)`), read
/// back into the model (for introspection).
///
/// # Errors
/// The parser's message when the text is not a partition key.
pub fn partition_key_from_text(text: &str) -> Result<PartitionKey, String> {
    let sql = format!("CREATE TABLE t (a integer) PARTITION BY {text}");
    match Parser::parse_sql(&PostgreSqlDialect {}, &sql)
        .map_err(|e| e.to_string())?
        .as_slice()
    {
        [Statement::CreateTable(ct)] => match &ct.partition_by {
            Some(expr) => partition_key_of(expr).map_err(|(_, m, _)| m),
            None => Err(format!("`{text}` is not a partition key")),
        },
        _ => Err(format!("`{text}` is not a partition key")),
    }
}

/// A partition bound as `pg_get_expr(relpartbound, oid)` prints it (`FOR
/// VALUES FROM ('2020-01-01') TO ('2021-01-01')`), read back into the model.
///
/// # Errors
/// The parser's message when the text is not a partition bound.
pub fn partition_bound_from_text(text: &str) -> Result<PartitionBound, String> {
    let sql = format!("CREATE TABLE t PARTITION OF p {text}");
    match Parser::parse_sql(&PostgreSqlDialect {}, &sql)
        .map_err(|e| e.to_string())?
        .as_slice()
    {
        [Statement::CreateTable(ct)] => match &ct.for_values {
            Some(values) => partition_bound_of(values),
            None => Err(format!("`{text}` is not a partition bound")),
        },
        _ => Err(format!("`{text}` is not a partition bound")),
    }
}
