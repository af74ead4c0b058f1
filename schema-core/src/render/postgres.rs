//! PostgreSQL: the renderer, which is [`Renderer`]'s defaults, and the
//! procedures those defaults run when a change takes more than one statement of
//! PostgreSQL's spelling (`serial` columns, `USING` casts, enum recreation).

use super::{Renderer, Statement, Unsupported, literal};
use crate::diff::Change;
use crate::model::names;
use crate::model::{
    Column, Identity, QualifiedName, Schema, SequenceOption, SequenceOptions, SequenceType,
    SqlType, Table,
};

/// The PostgreSQL renderer.
#[derive(Debug, Clone, Copy, Default)]
pub struct Postgres;

/// True when PostgreSQL converts `from` to `to` without `USING` (an implicit or
/// assignment cast exists).
pub(crate) fn converts_without_using(from: &SqlType, to: &SqlType) -> bool {
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

/// `serial`/`bigserial`/`smallserial` when the column is exactly what that
/// shorthand creates and its sequence is created by the same migration.
pub(super) fn serial_type(
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
    // `serial` creates its sequence with the defaults for the column's type.
    let defaults = SequenceType::of(&c.data_type).map(SequenceOptions::defaults);
    let created = changes.iter().any(|ch| {
        matches!(ch, Change::CreateSequence(s) if s.name == seq
            && s.owned_by.as_ref().is_some_and(|(t, col)| t == table && *col == c.name)
            && Some(s.options) == defaults)
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

/// A column definition as `CREATE TABLE` and `ADD COLUMN` write it: `serial`
/// when [`serial_type`] says so.
pub(super) fn column<R: Renderer + ?Sized>(
    r: &R,
    table: &QualifiedName,
    c: &Column,
    changes: &[Change],
) -> Result<String, Unsupported> {
    match serial_type(table, c, changes) {
        Some(serial) => Ok(format!("{} {serial}", r.ident(&c.name))),
        None => r.column_def(c),
    }
}

/// True when `seq` is the sequence of a column the change list creates and
/// writes as `serial` (which creates the sequence itself).
pub(super) fn is_serial_sequence(
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
    column_created && serial_type(table, c, changes).is_some()
}

/// `CREATE EXTENSION` as the declaration wrote it: `IF NOT EXISTS`,
/// `WITH`, `SCHEMA`, `VERSION` and `CASCADE` exactly when it said them.
pub(super) fn create_extension<R: Renderer + ?Sized>(
    r: &R,
    e: &crate::model::Extension,
) -> Statement {
    let mut sql = format!(
        "CREATE EXTENSION {}{}",
        if e.if_not_exists {
            "IF NOT EXISTS "
        } else {
            ""
        },
        r.ident(&e.name)
    );
    if e.with_keyword {
        sql.push_str(" WITH");
    }
    if let Some(s) = &e.schema {
        sql.push_str(&format!(" SCHEMA {}", r.ident(s)));
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
pub(super) fn drop_extension<R: Renderer + ?Sized>(
    r: &R,
    e: &crate::model::Extension,
) -> Statement {
    Statement::new(format!(
        "DROP EXTENSION {}{};",
        if e.if_not_exists { "IF EXISTS " } else { "" },
        r.ident(&e.name)
    ))
}

/// `COMMENT ON COLUMN`, `NULL` when the column has none.
pub(super) fn column_comment<R: Renderer + ?Sized>(
    r: &R,
    table: &QualifiedName,
    c: &Column,
) -> Statement {
    Statement::new(format!(
        "COMMENT ON COLUMN {}.{} IS {};",
        r.object_name(table),
        r.ident(&c.name),
        c.comment
            .as_deref()
            .map_or_else(|| "NULL".to_string(), literal)
    ))
}

/// `ALTER TABLE [ONLY] t ALTER COLUMN c SET STORAGE | SET COMPRESSION` taking
/// column `c` from `before` (its storage and compression) to its own; a
/// storage back to its type's default is named (PostgreSQL 15 has no `SET
/// STORAGE DEFAULT`).
pub(super) fn set_storage<R: Renderer + ?Sized>(
    r: &R,
    schema: &Schema,
    table: &QualifiedName,
    only: bool,
    before: (
        Option<crate::model::Storage>,
        Option<crate::model::Compression>,
    ),
    c: &Column,
) -> Vec<Statement> {
    let prefix = format!(
        "ALTER TABLE {}{} ALTER COLUMN {}",
        if only { "ONLY " } else { "" },
        r.object_name(table),
        r.ident(&c.name)
    );
    let mut out = Vec::new();
    if before.0 != c.storage {
        if let Some(storage) = c.storage.or_else(|| schema.default_storage(&c.data_type)) {
            out.push(Statement::new(format!("{prefix} SET STORAGE {storage};")));
        }
    }
    if before.1 != c.compression {
        let method = c
            .compression
            .map_or_else(|| "default".to_string(), |m| m.to_string());
        out.push(Statement::new(format!(
            "{prefix} SET COMPRESSION {method};"
        )));
    }
    out
}

/// The storage and compression of a new table's columns that `CREATE TABLE`
/// does not give: `SET STORAGE` of each column, and for a partition (whose
/// columns `PARTITION OF` copies from its parent as the parent is at that
/// point) what differs from the parent's.
///
/// # Errors
/// When a partition is created in the migration that retypes a column of its
/// parent with a storage of its own: the retype, which runs after, resets it.
pub(super) fn created_table_storage<R: Renderer + ?Sized>(
    r: &R,
    cx: &crate::render::Context<'_>,
    t: &Table,
) -> Result<Vec<Statement>, Unsupported> {
    let mut out = Vec::new();
    let Some(of) = &t.partition_of else {
        for c in &t.columns {
            out.extend(set_storage(
                r,
                cx.to,
                &t.name,
                false,
                (None, c.compression),
                c,
            ));
        }
        return Ok(out);
    };
    // `PARTITION OF` runs before the parent's columns are added or altered,
    // unless the parent is new too.
    let parent_created = cx
        .changes
        .iter()
        .any(|ch| matches!(ch, Change::CreateTable(p) if p.name == of.parent));
    let refuse = |c: &Column, why: &str| Unsupported {
        dialect: "PostgreSQL 15",
        change: format!(
            "create partition `{}` with a storage or compression of its own for column `{}`",
            t.name, c.name
        ),
        reason: format!("{why}; set it in a later migration"),
    };
    for c in &t.columns {
        let own = (c.storage, c.compression);
        let state = |p: &Column| (p.storage, p.compression);
        let to_parent = cx.to.tables.get(&of.parent).and_then(|p| p.column(&c.name));
        let from_parent = cx
            .from
            .tables
            .get(&of.parent)
            .and_then(|p| p.column(&c.name))
            .filter(|_| !parent_created);
        let before = match from_parent {
            _ if parent_created => to_parent.map(state),
            Some(p) => {
                let retyped = p.data_type != c.data_type || p.collation != c.collation;
                if retyped && own != (None, None) {
                    return Err(refuse(
                        c,
                        "the same migration changes the type of the parent's column, which resets the partition's storage after it is created",
                    ));
                }
                Some(state(p))
            }
            None => {
                if to_parent.map(state) != Some(own) {
                    return Err(refuse(
                        c,
                        "the same migration adds the column to the parent, after the partition is created",
                    ));
                }
                None
            }
        };
        if let Some(before) = before {
            out.extend(set_storage(r, cx.to, &t.name, true, before, c));
        }
    }
    Ok(out)
}

/// `CREATE TABLE` with its constraints, then `COMMENT ON` its table and columns.
pub(super) fn create_table<R: Renderer + ?Sized>(
    r: &R,
    t: &Table,
    changes: &[Change],
) -> Result<Vec<Statement>, Unsupported> {
    let mut lines = Vec::new();
    // A partition's columns are its parent's: `PARTITION OF` gives them.
    if t.partition_of.is_none() {
        for c in &t.columns {
            lines.push(format!("    {}", column(r, &t.name, c, changes)?));
        }
    }
    for c in t.constraints.values() {
        lines.push(format!(
            "    CONSTRAINT {} {}",
            r.ident(&c.name),
            r.constraint_body(c)
        ));
    }
    let mut head = format!(
        "CREATE {}TABLE {}",
        if t.unlogged { "UNLOGGED " } else { "" },
        r.object_name(&t.name),
    );
    let body = if lines.is_empty() && t.partition_of.is_some() {
        String::new()
    } else {
        format!(" (\n{}\n)", lines.join(",\n"))
    };
    match &t.partition_of {
        Some(of) => head.push_str(&format!(
            " PARTITION OF {}{body} {}",
            r.object_name(&of.parent),
            of.bound
        )),
        None => head.push_str(&body),
    }
    if let Some(key) = &t.partition_by {
        head.push_str(&format!(" PARTITION BY {key}"));
    }
    if !t.options.is_empty() {
        head.push_str(&format!(" WITH ({})", t.options.to_sql()));
    }
    head.push(';');
    let mut out = vec![Statement::new(head)];
    if let Some(comment) = &t.comment {
        out.push(Statement::new(format!(
            "COMMENT ON TABLE {} IS {};",
            r.object_name(&t.name),
            literal(comment)
        )));
    }
    for c in t.columns.iter().filter(|c| c.comment.is_some()) {
        out.push(column_comment(r, &t.name, c));
    }
    Ok(out)
}

/// The `ALTER COLUMN` statements from `from` to `to`, in the order PostgreSQL
/// needs them; a changed generation expression is refused.
pub(super) fn alter_column<R: Renderer + ?Sized>(
    r: &R,
    table: &QualifiedName,
    from: &Column,
    to: &Column,
) -> Result<Vec<Statement>, Unsupported> {
    let prefix = format!(
        "ALTER TABLE {} ALTER COLUMN {}",
        r.object_name(table),
        r.ident(&to.name)
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
    // A new collation is `TYPE ... COLLATE`; PostgreSQL rebuilds the indexes.
    let retype = type_changes || from.collation != to.collation;
    let default_changes = from.default != to.default;
    if from.identity.is_some() && to.identity.is_none() {
        out.push(Statement::new(format!("{prefix} DROP IDENTITY;")));
    }
    if type_changes && from.default.is_some() {
        out.push(Statement::new(format!("{prefix} DROP DEFAULT;")));
    }
    if retype {
        let ty = r.column_type(&to.data_type)?;
        let from_string = matches!(
            from.data_type,
            SqlType::Text | SqlType::Varchar(_) | SqlType::Char(_)
        );
        let collate = to
            .collation
            .as_ref()
            .map(|c| format!(" COLLATE {}", r.ident(c)))
            .unwrap_or_default();
        let using = if !type_changes || converts_without_using(&from.data_type, &to.data_type) {
            String::new()
        } else if from_string {
            format!(" USING {}::{ty}", r.ident(&to.name))
        } else {
            // No direct cast between most type pairs: go through text, which
            // every type reads and writes.
            format!(" USING {}::text::{ty}", r.ident(&to.name))
        };
        out.push(Statement::new(format!(
            "{prefix} TYPE {ty}{collate}{using};"
        )));
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
            "{prefix} ADD GENERATED {} AS IDENTITY{};",
            identity_words(kind),
            identity_options(to)
        ))),
        (Some(a), Some(b)) => {
            let mut sets = Vec::new();
            if a != b {
                sets.push(format!("SET GENERATED {}", identity_words(b)));
            }
            if let (Some(mut before), Some(after)) = (
                from.identity_options.as_deref().copied(),
                to.identity_options.as_deref().copied(),
            ) {
                // A new column type is the sequence's new type too.
                if let Some(ty) = SequenceType::of(&to.data_type) {
                    let _ = before.apply(&[SequenceOption::As(ty)], false);
                }
                let sequence = format!(
                    "pg_get_serial_sequence({}, {})::regclass",
                    literal(&r.object_name(table)),
                    literal(&r.ident(&to.name))
                );
                let set = |options: Vec<SequenceOption>| -> Vec<String> {
                    options
                        .iter()
                        .filter(|o| !matches!(o, SequenceOption::As(_)))
                        .map(|o| format!("SET {o}"))
                        .collect()
                };
                let moved = move_into_range(&sequence, &before, &after);
                if let Some(wide) = moved.as_ref().and_then(|_| widened(&before, &after, false)) {
                    out.push(Statement::new(format!(
                        "{prefix} {};",
                        set(before.alter_options(&wide)).join(" ")
                    )));
                    before = wide;
                }
                out.extend(moved);
                sets.extend(
                    before
                        .alter_options(&after)
                        .iter()
                        .filter(|o| !matches!(o, SequenceOption::As(_)))
                        .map(|o| format!("SET {o}")),
                );
            }
            if !sets.is_empty() {
                out.push(Statement::new(format!("{prefix} {};", sets.join(" "))));
            }
        }
        _ => {}
    }
    if from.comment != to.comment {
        out.push(column_comment(r, table, to));
    }
    Ok(out)
}

/// Recreates an enum type and converts the columns that exist at this point of
/// the migration: those of `before` (tables not dropped), under the names the
/// migration's renames have given them. Checks and indexes whose expression
/// compares such a column with a label would stop the conversion, so they are
/// dropped first and put back after; each column gets its final default.
pub(super) fn recreate_enum<R: Renderer + ?Sized>(
    r: &R,
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
            r.object_name(&from.name),
            r.ident(&old.name)
        )),
        Statement::new(format!(
            "CREATE TYPE {} AS ENUM ({});",
            r.object_name(&to.name),
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
        let table_now = super::table_after_renames(changes, &t.name);
        let table_after = after.tables.get(&table_now);
        for c in &t.columns {
            let (_, column_now) = super::names_after_renames(changes, &t.name, &c.name);
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
            let table_sql = r.object_name(&table_now);
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
                        r.ident(&k.name)
                    )));
                    restore.push(Statement::new(format!(
                        "ALTER TABLE {table_sql} ADD CONSTRAINT {} {}{};",
                        r.ident(&k.name),
                        r.constraint_body(k),
                        if k.validated { "" } else { " NOT VALID" }
                    )));
                    if let Some(comment) = &k.comment {
                        restore.push(Statement::new(format!(
                            "COMMENT ON CONSTRAINT {} ON {table_sql} IS {};",
                            r.ident(&k.name),
                            literal(comment)
                        )));
                    }
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
                        r.object_name(&QualifiedName::new(
                            table_now.schema.clone(),
                            i.name.clone()
                        ))
                    )));
                    restore.push(Statement::new(r.create_index(&table_now, i)?));
                    if let Some(comment) = &i.comment {
                        restore.push(Statement::new(format!(
                            "COMMENT ON INDEX {} IS {};",
                            r.object_name(&QualifiedName::new(
                                table_now.schema.clone(),
                                i.name.clone()
                            )),
                            literal(comment)
                        )));
                    }
                }
            }
            let prefix = format!(
                "ALTER TABLE {table_sql} ALTER COLUMN {}",
                r.ident(&column_now)
            );
            if c.default.is_some() {
                out.push(Statement::new(format!("{prefix} DROP DEFAULT;")));
            }
            let ty = r.column_type(&c.data_type)?;
            let via = if is_array { "text[]" } else { "text" };
            out.push(Statement::new(format!(
                "{prefix} TYPE {ty} USING {}::{via}::{ty};",
                r.ident(&column_now)
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
        r.object_name(&old)
    )));
    out.extend(restore);
    Ok(out)
}

/// ` (option ...)` of an identity column whose sequence options differ from
/// PostgreSQL's defaults for its type; empty otherwise.
pub(super) fn identity_options(c: &Column) -> String {
    match (
        c.identity_options.as_deref(),
        SequenceType::of(&c.data_type),
    ) {
        (Some(options), Some(ty)) => {
            let list = options.create_options(ty);
            if list.is_empty() {
                String::new()
            } else {
                format!(
                    " ({})",
                    list.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            }
        }
        _ => String::new(),
    }
}

/// Before an `ALTER SEQUENCE` that raises an ascending sequence's minimum
/// (or lowers a descending one's maximum): PostgreSQL refuses the new bound
/// while the sequence's current value lies outside it, so a value short of
/// it moves to the new start, further along the sequence's own direction
/// (never back over values it gave). `sequence` is a `regclass` expression.
/// A bound the other way (an ascending maximum below the current value) is
/// left to PostgreSQL to refuse: values were given past it.
pub(super) fn move_into_range(
    sequence: &str,
    from: &SequenceOptions,
    to: &SequenceOptions,
) -> Option<Statement> {
    let outside = if to.increment > 0 && to.min_value > from.min_value {
        format!(
            "coalesce(pg_sequence_last_value({sequence}), {}) < {}",
            to.min_value.checked_sub(1)?,
            to.min_value
        )
    } else if to.increment < 0 && to.max_value < from.max_value {
        format!(
            "coalesce(pg_sequence_last_value({sequence}), {}) > {}",
            to.max_value.checked_add(1)?,
            to.max_value
        )
    } else {
        return None;
    };
    Some(Statement::new(format!(
        "SELECT setval({sequence}, {}, false) WHERE {outside};",
        to.start
    )))
}

/// When [`move_into_range`] must move the value to `to`'s start and that
/// start lies outside `from`'s bounds (where `setval` refuses it): the
/// options of a first `ALTER` whose bounds hold both (`bigint`, the widest
/// type, when `may_retype`; an identity keeps its column's type).
pub(super) fn widened(
    from: &SequenceOptions,
    to: &SequenceOptions,
    may_retype: bool,
) -> Option<SequenceOptions> {
    if (from.min_value..=from.max_value).contains(&to.start) {
        return None;
    }
    let mut wide = *from;
    if may_retype {
        wide.data_type = SequenceType::BigInt;
    }
    wide.min_value = from.min_value.min(to.start);
    wide.max_value = from.max_value.max(to.start);
    Some(wide)
}

/// ` option option ...`, each as PostgreSQL reads it.
pub(super) fn option_list(options: &[SequenceOption]) -> String {
    options.iter().map(|o| format!(" {o}")).collect()
}

/// `ALWAYS` or `BY DEFAULT`.
pub(super) fn identity_words(kind: Identity) -> &'static str {
    match kind {
        Identity::Always => "ALWAYS",
        Identity::ByDefault => "BY DEFAULT",
    }
}

impl Renderer for Postgres {
    fn name(&self) -> &'static str {
        "PostgreSQL"
    }
}
