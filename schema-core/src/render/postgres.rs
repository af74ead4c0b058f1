//! PostgreSQL: the default spelling of every piece, schema-qualified names, and
//! the procedures PostgreSQL needs (enum recreation, `USING` casts, `serial`).

use super::{Renderer, Statement, Unsupported, data_loss, literal};
use crate::diff::Change;
use crate::model::names;
use crate::model::{Column, Identity, QualifiedName, Schema, SqlType, Table};

/// The PostgreSQL renderer.
#[derive(Debug, Clone, Copy, Default)]
pub struct Postgres;

/// True when PostgreSQL converts `from` to `to` without `USING` (an implicit or
/// assignment cast exists).
pub fn converts_without_using(from: &SqlType, to: &SqlType) -> bool {
    use SqlType as T;
    let numeric = |t: &SqlType| {
        matches!(
            t,
            T::SmallInt | T::Integer | T::BigInt | T::Real | T::DoublePrecision | T::Numeric { .. }
        )
    };
    let string = |t: &SqlType| matches!(t, T::Text | T::Varchar(_) | T::Char(_));
    let temporal = |t: &SqlType| matches!(t, T::Date | T::Timestamp { .. });
    match (from, to) {
        _ if from == to => true,
        (_, t) if string(t) => true,
        (a, b) if numeric(a) && numeric(b) => true,
        (a, b) if temporal(a) && temporal(b) => true,
        (T::Time { .. }, T::Time { .. }) | (T::Interval { .. }, T::Interval { .. }) => true,
        (T::Bit(_) | T::VarBit(_), T::Bit(_) | T::VarBit(_)) => true,
        (T::Inet, T::Cidr) | (T::Cidr, T::Inet) => true,
        (T::Json, T::Jsonb) | (T::Jsonb, T::Json) => false,
        _ => false,
    }
}

/// The name PostgreSQL gives the sequence of a `serial` column.
fn implicit_sequence(table: &QualifiedName, column: &str) -> QualifiedName {
    QualifiedName::new(
        table.schema.clone(),
        names::make_object_name(&table.name, Some(column), Some("seq")),
    )
}

impl Postgres {
    /// `serial`/`bigserial`/`smallserial` when the column is exactly what that
    /// shorthand creates and its sequence is created by the same migration.
    fn serial_type(
        &self,
        table: &QualifiedName,
        c: &Column,
        changes: &[Change],
    ) -> Option<&'static str> {
        if c.nullable || c.identity.is_some() {
            return None;
        }
        let seq = implicit_sequence(table, &c.name);
        let default = crate::model::expr::nextval(&seq);
        if c.default.as_ref() != Some(&default) {
            return None;
        }
        let created = changes.iter().any(|ch| {
            matches!(ch, Change::CreateSequence(s) if s.name == seq
                && s.owned_by.as_ref().is_some_and(|(t, col)| t == table && *col == c.name))
        });
        if !created {
            return None;
        }
        match c.data_type {
            SqlType::Integer => Some("serial"),
            SqlType::BigInt => Some("bigserial"),
            SqlType::SmallInt => Some("smallserial"),
            _ => None,
        }
    }

    fn column(
        &self,
        table: &QualifiedName,
        c: &Column,
        changes: &[Change],
    ) -> Result<String, Unsupported> {
        match self.serial_type(table, c, changes) {
            Some(serial) => Ok(format!("{} {serial}", self.ident(&c.name))),
            None => self.column_def(c),
        }
    }

    fn is_serial_sequence(
        &self,
        seq: &crate::model::Sequence,
        to: &Schema,
        changes: &[Change],
    ) -> bool {
        let Some((table, column)) = &seq.owned_by else {
            return false;
        };
        let Some(c) = to.tables.get(table).and_then(|t| t.column(column)) else {
            return false;
        };
        let column_created = changes.iter().any(|ch| match ch {
            Change::CreateTable(t) => t.name == *table,
            Change::AddColumn { table: t, column } => t == table && column.name == c.name,
            _ => false,
        });
        column_created && self.serial_type(table, c, changes).is_some()
    }

    /// `CREATE EXTENSION` as the declaration wrote it: `IF NOT EXISTS`,
    /// `WITH`, `SCHEMA`, `VERSION` and `CASCADE` exactly when it said them.
    fn create_extension(&self, e: &crate::model::Extension) -> Statement {
        let mut sql = format!(
            "CREATE EXTENSION {}{}",
            if e.if_not_exists {
                "IF NOT EXISTS "
            } else {
                ""
            },
            self.ident(&e.name)
        );
        if e.with_keyword {
            sql.push_str(" WITH");
        }
        if let Some(s) = &e.schema {
            sql.push_str(&format!(" SCHEMA {}", self.ident(s)));
        }
        if let Some(v) = &e.version {
            sql.push_str(&format!(" VERSION {}", literal(v)));
        }
        if e.cascade {
            sql.push_str(" CASCADE");
        }
        sql.push(';');
        Statement::new(sql)
    }

    /// `DROP EXTENSION`, with `IF EXISTS` when it was created `IF NOT EXISTS`
    /// (so undoing an idempotent create is idempotent too).
    fn drop_extension(&self, e: &crate::model::Extension) -> Statement {
        Statement::new(format!(
            "DROP EXTENSION {}{};",
            if e.if_not_exists { "IF EXISTS " } else { "" },
            self.ident(&e.name)
        ))
    }

    fn column_comment(&self, table: &QualifiedName, c: &Column) -> Statement {
        Statement::new(format!(
            "COMMENT ON COLUMN {}.{} IS {};",
            self.object_name(table),
            self.ident(&c.name),
            c.comment
                .as_deref()
                .map_or_else(|| "NULL".to_string(), literal)
        ))
    }

    fn create_table(&self, t: &Table, changes: &[Change]) -> Result<Vec<Statement>, Unsupported> {
        let mut lines = Vec::new();
        for c in &t.columns {
            lines.push(format!("    {}", self.column(&t.name, c, changes)?));
        }
        for c in t.constraints.values() {
            lines.push(format!(
                "    CONSTRAINT {} {}",
                self.ident(&c.name),
                self.constraint_body(c)
            ));
        }
        let mut out = vec![Statement::new(format!(
            "CREATE TABLE {} (\n{}\n);",
            self.object_name(&t.name),
            lines.join(",\n")
        ))];
        if let Some(comment) = &t.comment {
            out.push(Statement::new(format!(
                "COMMENT ON TABLE {} IS {};",
                self.object_name(&t.name),
                literal(comment)
            )));
        }
        for c in t.columns.iter().filter(|c| c.comment.is_some()) {
            out.push(self.column_comment(&t.name, c));
        }
        Ok(out)
    }

    fn alter_column(
        &self,
        table: &QualifiedName,
        from: &Column,
        to: &Column,
    ) -> Result<Vec<Statement>, Unsupported> {
        let prefix = format!(
            "ALTER TABLE {} ALTER COLUMN {}",
            self.object_name(table),
            self.ident(&to.name)
        );
        let mut out = Vec::new();
        if from.generated != to.generated {
            return Err(Unsupported {
                dialect: "PostgreSQL 15",
                change: format!("change the generation expression of `{table}.{}`", to.name),
                reason: "a generated column's expression cannot be altered; drop the column and add it again".into(),
            });
        }
        let type_changes = from.data_type != to.data_type;
        let default_changes = from.default != to.default;
        if from.identity.is_some() && to.identity.is_none() {
            out.push(Statement::new(format!("{prefix} DROP IDENTITY;")));
        }
        if type_changes && from.default.is_some() {
            out.push(Statement::new(format!("{prefix} DROP DEFAULT;")));
        }
        if type_changes {
            let ty = self.column_type(&to.data_type)?;
            let from_string = matches!(
                from.data_type,
                SqlType::Text | SqlType::Varchar(_) | SqlType::Char(_)
            );
            let using = if converts_without_using(&from.data_type, &to.data_type) {
                String::new()
            } else if from_string {
                format!(" USING {}::{ty}", self.ident(&to.name))
            } else {
                // No direct cast between most type pairs: go through text, which
                // every type reads and writes.
                format!(" USING {}::text::{ty}", self.ident(&to.name))
            };
            out.push(Statement::new(format!("{prefix} TYPE {ty}{using};")));
        }
        if (type_changes || default_changes) && to.default.is_some() {
            if let Some(d) = &to.default {
                out.push(Statement::new(format!("{prefix} SET DEFAULT {d};")));
            }
        } else if default_changes && !type_changes {
            out.push(Statement::new(format!("{prefix} DROP DEFAULT;")));
        }
        // Before identity: PostgreSQL adds identity only to a NOT NULL column.
        if from.nullable != to.nullable {
            out.push(Statement::new(format!(
                "{prefix} {} NOT NULL;",
                if to.nullable { "DROP" } else { "SET" }
            )));
        }
        match (from.identity, to.identity) {
            (None, Some(kind)) => out.push(Statement::new(format!(
                "{prefix} ADD GENERATED {} AS IDENTITY;",
                identity_words(kind)
            ))),
            (Some(a), Some(b)) if a != b => out.push(Statement::new(format!(
                "{prefix} SET GENERATED {};",
                identity_words(b)
            ))),
            _ => {}
        }
        if from.comment != to.comment {
            out.push(self.column_comment(table, to));
        }
        Ok(out)
    }

    /// Recreates an enum type and converts the columns that exist at this point of
    /// the migration: those of `before` (tables not dropped), under the names the
    /// migration's renames have given them. Checks and indexes whose expression
    /// compares such a column with a label would stop the conversion, so they are
    /// dropped first and put back after; each column gets its final default.
    fn recreate_enum(
        &self,
        from: &crate::model::EnumType,
        to: &crate::model::EnumType,
        before: &Schema,
        after: &Schema,
        changes: &[Change],
    ) -> Result<Vec<Statement>, Unsupported> {
        use crate::model::mentions::expression_mentions;
        use crate::model::{ConstraintKind, IndexPart};
        let old = QualifiedName::new(
            from.name.schema.clone(),
            names::make_object_name(&from.name.name, None, Some("old")),
        );
        let values: Vec<String> = to.values.iter().map(|v| literal(v)).collect();
        let mut out = vec![
            Statement::new(format!(
                "ALTER TYPE {} RENAME TO {};",
                self.object_name(&from.name),
                self.ident(&old.name)
            )),
            Statement::new(format!(
                "CREATE TYPE {} AS ENUM ({});",
                self.object_name(&to.name),
                values.join(", ")
            )),
        ];
        let mut restore = Vec::new();
        // Columns this migration drops before it gets here use the type no
        // more (a later column may even have taken the name).
        let here = changes
            .iter()
            .position(|ch| matches!(ch, Change::RecreateEnum { to: e, .. } if e.name == to.name))
            .unwrap_or(changes.len());
        let dropped_before = |tables: [&QualifiedName; 2], column: &str| {
            changes[..here].iter().any(|ch| {
                matches!(ch, Change::DropColumn { table, column: c }
                    if tables.contains(&table) && c.name == column)
            })
        };
        for t in before.tables.values() {
            if changes
                .iter()
                .any(|ch| matches!(ch, Change::DropTable(d) if d.name == t.name))
            {
                continue;
            }
            let table_now = changes
                .iter()
                .find_map(|ch| match ch {
                    Change::RenameTable { from, to } if from == &t.name => Some(to.clone()),
                    _ => None,
                })
                .unwrap_or_else(|| t.name.clone());
            let table_after = after.tables.get(&table_now);
            for c in &t.columns {
                let column_now = changes
                    .iter()
                    .find_map(|ch| match ch {
                        Change::RenameColumn { table, from, to }
                            if *table == table_now && *from == c.name =>
                        {
                            Some(to.clone())
                        }
                        _ => None,
                    })
                    .unwrap_or_else(|| c.name.clone());
                let (is_array, uses) = match &c.data_type {
                    SqlType::Named(n) => (false, *n == from.name),
                    SqlType::Array(inner) => (
                        true,
                        matches!(&**inner, SqlType::Named(n) if *n == from.name),
                    ),
                    _ => (false, false),
                };
                if !uses || dropped_before([&t.name, &table_now], &c.name) {
                    continue;
                }
                let table_sql = self.object_name(&table_now);
                // Checks and indexes that exist now and compare this column.
                if let Some(ta) = table_after {
                    for k in ta.constraints.values() {
                        let added_later = changes.iter().any(|ch| matches!(ch, Change::AddConstraint { table, constraint } if *table == table_now && constraint.name == k.name));
                        let ConstraintKind::Check { expr } = &k.kind else {
                            continue;
                        };
                        if added_later || !expression_mentions(expr, &column_now) {
                            continue;
                        }
                        out.push(Statement::new(format!(
                            "ALTER TABLE {table_sql} DROP CONSTRAINT {};",
                            self.ident(&k.name)
                        )));
                        restore.push(Statement::new(format!(
                            "ALTER TABLE {table_sql} ADD CONSTRAINT {} {};",
                            self.ident(&k.name),
                            self.constraint_body(k)
                        )));
                    }
                    for i in ta.indexes.values() {
                        let created_later = changes.iter().any(|ch| matches!(ch, Change::CreateIndex { table, index } if *table == table_now && index.name == i.name));
                        let mentions = i.predicate.as_ref().is_some_and(|p| expression_mentions(p, &column_now))
                            || i.keys.iter().any(|k| matches!(&k.part, IndexPart::Expression(e) if expression_mentions(e, &column_now)));
                        if created_later || !mentions {
                            continue;
                        }
                        out.push(Statement::new(format!(
                            "DROP INDEX {};",
                            self.object_name(&QualifiedName::new(
                                table_now.schema.clone(),
                                i.name.clone()
                            ))
                        )));
                        restore.push(Statement::new(self.create_index(&table_now, i)?));
                    }
                }
                let prefix = format!(
                    "ALTER TABLE {table_sql} ALTER COLUMN {}",
                    self.ident(&column_now)
                );
                if c.default.is_some() {
                    out.push(Statement::new(format!("{prefix} DROP DEFAULT;")));
                }
                let ty = self.column_type(&c.data_type)?;
                let via = if is_array { "text[]" } else { "text" };
                out.push(Statement::new(format!(
                    "{prefix} TYPE {ty} USING {}::{via}::{ty};",
                    self.ident(&column_now)
                )));
                // The final default when the column keeps this type; none otherwise
                // (a later change of the column sets what it needs).
                let final_default = table_after
                    .and_then(|ta| ta.column(&column_now))
                    .filter(|ca| ca.data_type == c.data_type)
                    .and_then(|ca| ca.default.clone());
                if let Some(d) = final_default {
                    out.push(Statement::new(format!("{prefix} SET DEFAULT {d};")));
                }
            }
        }
        out.push(Statement::new(format!(
            "DROP TYPE {};",
            self.object_name(&old)
        )));
        out.extend(restore);
        Ok(out)
    }
}

fn identity_words(kind: Identity) -> &'static str {
    match kind {
        Identity::Always => "ALWAYS",
        Identity::ByDefault => "BY DEFAULT",
    }
}

impl Renderer for Postgres {
    fn name(&self) -> &'static str {
        "PostgreSQL"
    }

    fn render(
        &self,
        changes: &[Change],
        from: &Schema,
        to: &Schema,
    ) -> Result<Vec<Statement>, Unsupported> {
        let mut out = Vec::new();
        let mut owners = Vec::new();
        for change in changes {
            let mut stmts = match change {
                Change::CreateEnum(e) => {
                    let values: Vec<String> = e.values.iter().map(|v| literal(v)).collect();
                    vec![Statement::new(format!(
                        "CREATE TYPE {} AS ENUM ({});",
                        self.object_name(&e.name),
                        values.join(", ")
                    ))]
                }
                Change::DropEnum(e) => vec![Statement::new(format!(
                    "DROP TYPE {};",
                    self.object_name(&e.name)
                ))],
                Change::AddEnumValue {
                    name,
                    value,
                    before,
                } => vec![Statement::new(format!(
                    "ALTER TYPE {} ADD VALUE {}{};",
                    self.object_name(name),
                    literal(value),
                    before
                        .as_ref()
                        .map(|b| format!(" BEFORE {}", literal(b)))
                        .unwrap_or_default()
                ))],
                Change::RecreateEnum { from: old, to: e } => {
                    self.recreate_enum(old, e, from, to, changes)?
                }
                Change::CreateSequence(s) => {
                    if self.is_serial_sequence(s, to, changes) {
                        Vec::new()
                    } else {
                        if let Some((t, c)) = &s.owned_by {
                            owners.push(Statement::new(format!(
                                "ALTER SEQUENCE {} OWNED BY {}.{};",
                                self.object_name(&s.name),
                                self.object_name(t),
                                self.ident(c)
                            )));
                        }
                        vec![Statement::new(format!(
                            "CREATE SEQUENCE {};",
                            self.object_name(&s.name)
                        ))]
                    }
                }
                Change::CreateSchema(n) => {
                    vec![Statement::new(format!("CREATE SCHEMA {};", self.ident(n)))]
                }
                Change::DropSchema(n) => {
                    vec![Statement::new(format!("DROP SCHEMA {};", self.ident(n)))]
                }
                Change::CreateExtension(e) => vec![self.create_extension(e)],
                Change::DropExtension(e) => vec![self.drop_extension(e)],
                Change::ReplaceExtension { from: old, to: new } => {
                    vec![self.drop_extension(old), self.create_extension(new)]
                }
                Change::RenameSequence { from: old, to: new } => vec![Statement::new(format!(
                    "ALTER SEQUENCE {} RENAME TO {};",
                    self.object_name(old),
                    self.ident(&new.name)
                ))],
                Change::DropSequence(s) => vec![Statement::new(format!(
                    "DROP SEQUENCE {};",
                    self.object_name(&s.name)
                ))],
                Change::AlterSequence { to: s, .. } => vec![Statement::new(format!(
                    "ALTER SEQUENCE {} OWNED BY {};",
                    self.object_name(&s.name),
                    match &s.owned_by {
                        Some((t, c)) => format!("{}.{}", self.object_name(t), self.ident(c)),
                        None => "NONE".to_string(),
                    }
                ))],
                Change::CreateTable(t) => self.create_table(t, changes)?,
                Change::DropTable(t) => vec![Statement::new(format!(
                    "DROP TABLE {};",
                    self.object_name(&t.name)
                ))],
                Change::RenameTable { from, to: new } => vec![Statement::new(format!(
                    "ALTER TABLE {} RENAME TO {};",
                    self.object_name(from),
                    self.ident(&new.name)
                ))],
                Change::RenameColumn {
                    table,
                    from,
                    to: new,
                } => {
                    // Table renames run first, so the table already has its new name.
                    vec![Statement::new(format!(
                        "ALTER TABLE {} RENAME COLUMN {} TO {};",
                        self.object_name(table),
                        self.ident(from),
                        self.ident(new)
                    ))]
                }
                Change::RenameConstraint {
                    table,
                    from,
                    to: new,
                } => vec![Statement::new(format!(
                    "ALTER TABLE {} RENAME CONSTRAINT {} TO {};",
                    self.object_name(table),
                    self.ident(from),
                    self.ident(new)
                ))],
                Change::RenameIndex {
                    table,
                    from,
                    to: new,
                } => vec![Statement::new(format!(
                    "ALTER INDEX {} RENAME TO {};",
                    self.object_name(&QualifiedName::new(table.schema.clone(), from.clone())),
                    self.ident(new)
                ))],
                Change::AddColumn { table, column } => {
                    let mut v = vec![Statement::new(format!(
                        "ALTER TABLE {} ADD COLUMN {};",
                        self.object_name(table),
                        self.column(table, column, changes)?
                    ))];
                    if !column.nullable && column.default.is_none() && column.identity.is_none() {
                        v[0].comments.push(format!(
                            "fails if `{table}` has rows: add it with a DEFAULT, or nullable, backfill, then SET NOT NULL"
                        ));
                    }
                    if column.comment.is_some() {
                        v.push(self.column_comment(table, column));
                    }
                    v
                }
                Change::DropColumn { table, column } => vec![Statement::new(format!(
                    "ALTER TABLE {} DROP COLUMN {};",
                    self.object_name(table),
                    self.ident(&column.name)
                ))],
                Change::AlterColumn { table, from, to: c } => self.alter_column(table, from, c)?,
                Change::AddConstraint { table, constraint } => vec![Statement::new(format!(
                    "ALTER TABLE {} ADD CONSTRAINT {} {};",
                    self.object_name(table),
                    self.ident(&constraint.name),
                    self.constraint_body(constraint)
                ))],
                Change::DropConstraint { table, constraint } => vec![Statement::new(format!(
                    "ALTER TABLE {} DROP CONSTRAINT {};",
                    self.object_name(table),
                    self.ident(&constraint.name)
                ))],
                Change::CreateIndex { table, index } => {
                    vec![Statement::new(self.create_index(table, index)?)]
                }
                Change::DropIndex { table, index } => vec![Statement::new(format!(
                    "DROP INDEX {};",
                    self.object_name(&QualifiedName::new(
                        table.schema.clone(),
                        index.name.clone()
                    ))
                ))],
                Change::SetTableComment {
                    table, to: comment, ..
                } => vec![Statement::new(format!(
                    "COMMENT ON TABLE {} IS {};",
                    self.object_name(table),
                    comment
                        .as_deref()
                        .map_or_else(|| "NULL".to_string(), literal)
                ))],
            };
            if let (Some(loss), Some(first)) = (data_loss(change), stmts.first_mut()) {
                first.comments.insert(0, format!("destructive: {loss}"));
            }
            out.append(&mut stmts);
        }
        out.extend(owners);
        Ok(out)
    }
}
