//! The next migration written for a busy database (`schema new --online`): the
//! change [`generate`] writes, as up to three consecutive migrations whose
//! statements take no long lock on a table that already holds rows (one that
//! `from` has). A step with nothing to do is left out.
//!
//! | step (suffix) | runs | holds |
//! |---|---|---|
//! | 1 (`""`) | in a transaction | `SET LOCAL lock_timeout = '5s';` (when it touches a table of `from`), then everything of the plain migration, except on tables of `from`: new indexes wait for step 2; new foreign keys and checks are added `NOT VALID`; a column becoming `NOT NULL` stays nullable and gets a `CHECK (c IS NOT NULL) NOT VALID`; a new primary key or unique constraint waits for steps 2 and 3 |
//! | 2 (`"concurrently"`) | `-- schema: no-transaction` | no lock timeout (it would cancel a concurrent build waiting for older transactions, leaving an INVALID index), then `CREATE [UNIQUE] INDEX CONCURRENTLY` for the new indexes and for the index of each new primary key or unique constraint (named as the constraint), `DROP INDEX CONCURRENTLY` for the dropped ones |
//! | 3 (`"validate"`) | in a transaction | `SET LOCAL lock_timeout = '5s';`, `VALIDATE CONSTRAINT` of what step 1 added `NOT VALID`; for each column becoming `NOT NULL`: its check validated, `SET NOT NULL` (which trusts the check from PostgreSQL 12 on, no scan), the check dropped; then `ADD CONSTRAINT k PRIMARY KEY \| UNIQUE USING INDEX k` |
//!
//! Construction: two schemas between `from` and `to`, `S1` (after step 1)
//! and `S2` (after step 2), are `to` edited (constraints not validated, columns
//! nullable with their checks, keys as plain unique indexes; then, for `S1`,
//! the new indexes taken out and the dropped ones kept). Steps 1 and 2 are the
//! existing diff and renderer from `from` to `S1` and from `S1` to `S2` (step
//! 2's index statements then made `CONCURRENTLY`); step 3 is written here.
//!
//! Each down is the exact reverse of its up. Step 2's is `no-transaction` too
//! (indexes dropped and built again concurrently). Step 3's drops what it
//! added: a key made from an index drops that index with it, so its down
//! builds the unique index again, under the name step 2 gave it. Step 3 stays
//! transactional (its up is then all or nothing, and can be run again), so
//! that index is built without `CONCURRENTLY` in the down: a rollback blocks
//! writes to the table while the index builds. A validated constraint cannot
//! be un-validated: the down drops it and adds it again `NOT VALID`.
//!
//! What keeps its plain form (and so its lock): partitioned tables and
//! partitions (PostgreSQL has no `CONCURRENTLY` and no `USING INDEX` for
//! them, nor `NOT VALID` foreign keys before 18); exclusion constraints (no
//! concurrent form); a primary key, unique constraint or unique index that a
//! new foreign key references (the foreign key, added in step 1, needs it); a
//! column that becomes an identity column as it becomes `NOT NULL`; a dropped
//! index that uses a column step 1 drops or retypes.

use std::collections::BTreeSet;

use crate::diff::{self, Change, Renames};
use crate::migrations::generate::generate;
use crate::model::mentions::{index_mentions, rename_in_expression};
use crate::model::names::{choose_name, quote_ident};
use crate::model::{
    Constraint, ConstraintKind, Expression, Index, IndexKey, IndexPart, QualifiedName, Schema,
    StorageParameters, Table,
};
use crate::render::{Postgres, Renderer, Statement, Unsupported, literal, to_script};

/// The statement each transactional step that locks a table of `from` starts
/// with: a lock that cannot be had at once fails the migration after 5
/// seconds, rather than queueing every read and write of the table behind it.
/// `LOCAL`: it ends with the migration's transaction, so it never reaches
/// step 2 on the same session.
pub const LOCK_TIMEOUT: &str = "SET LOCAL lock_timeout = '5s';";

/// The comment step 2 carries instead of a lock timeout.
pub const NO_LOCK_TIMEOUT: &str = "-- No lock_timeout here: CREATE INDEX CONCURRENTLY waits for older transactions\n-- through locks, and a timeout would cancel it and leave an INVALID index behind.\n-- Its own locks (SHARE UPDATE EXCLUSIVE) block no reads or writes.";

/// The first line of step 2.
pub const NO_TRANSACTION: &str = "-- schema: no-transaction";

/// One migration of an online plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnlineMigration {
    /// What the migration's slug gets after it: `""` for the first step,
    /// `"concurrently"` for the index builds, `"validate"` for the last.
    pub suffix: &'static str,
    /// True when it runs outside a transaction (its up.sql and down.sql start
    /// with [`NO_TRANSACTION`]).
    pub no_transaction: bool,
    /// up.sql.
    pub up: String,
    /// down.sql.
    pub down: String,
    /// What the up does, one line each (for the CLI's report).
    pub changes: Vec<String>,
}

/// A column that becomes `NOT NULL` through a check.
struct NotNull {
    table: QualifiedName,
    column: String,
    check: Constraint,
}

/// A primary key or unique constraint made from an index built concurrently.
struct Key {
    table: QualifiedName,
    /// As `to` has it.
    constraint: Constraint,
    /// The unique index step 2 builds, named as the constraint.
    index: Index,
}

/// The schemas between the steps and what step 3 does.
struct Plan {
    /// After step 1.
    s1: Schema,
    /// After step 2.
    s2: Schema,
    /// Checks and foreign keys added `NOT VALID` in step 1, as `to` has
    /// them (validated).
    validate: Vec<(QualifiedName, Constraint)>,
    not_null: Vec<NotNull>,
    keys: Vec<Key>,
}

/// The migrations that make the change of `generate(from, to, renames,
/// &Postgres)` without long locks on tables `from` has (see the module
/// documentation); empty when there is nothing to do.
///
/// # Errors
/// When PostgreSQL cannot express one of the changes (as [`generate`]).
pub fn generate_online(
    from: &Schema,
    to: &Schema,
    renames: &Renames,
) -> Result<Vec<OnlineMigration>, Unsupported> {
    let plan = plan(from, to, renames);
    let mut out = Vec::new();

    let first = generate(from, &plan.s1, renames, &Postgres)?;
    if !first.is_empty() {
        let lock = first
            .changes
            .iter()
            .any(|c| locks_existing(c, from, renames));
        let head = if lock {
            vec![lock_timeout()]
        } else {
            Vec::new()
        };
        out.push(OnlineMigration {
            suffix: "",
            no_transaction: false,
            up: to_script(&[head.clone(), first.up].concat()),
            down: to_script(&[head, first.down].concat()),
            changes: first
                .changes
                .iter()
                .map(|c| match c {
                    Change::AddConstraint { constraint, .. } if !constraint.validated => {
                        format!("{c} NOT VALID")
                    }
                    _ => c.to_string(),
                })
                .collect(),
        });
    }

    let second = generate(&plan.s1, &plan.s2, &Renames::default(), &Postgres)?;
    if !second.is_empty() {
        let script = |statements: &[Statement]| {
            let all: Vec<Statement> = statements.iter().cloned().map(concurrently).collect();
            format!("{NO_TRANSACTION}\n{NO_LOCK_TIMEOUT}\n{}", to_script(&all))
        };
        out.push(OnlineMigration {
            suffix: "concurrently",
            no_transaction: true,
            up: script(&second.up),
            down: script(&second.down),
            changes: second
                .changes
                .iter()
                .map(|c| match c {
                    Change::CreateIndex { .. } | Change::DropIndex { .. } => {
                        format!("{c} concurrently")
                    }
                    _ => c.to_string(),
                })
                .collect(),
        });
    }

    if !(plan.validate.is_empty() && plan.not_null.is_empty() && plan.keys.is_empty()) {
        out.push(third_step(&plan)?);
    }
    Ok(out)
}

/// [`LOCK_TIMEOUT`].
fn lock_timeout() -> Statement {
    Statement::new(LOCK_TIMEOUT)
}

/// An index statement of step 2 as its `CONCURRENTLY` form.
fn concurrently(mut s: Statement) -> Statement {
    const FORMS: [(&str, &str); 3] = [
        ("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX CONCURRENTLY "),
        ("CREATE INDEX ", "CREATE INDEX CONCURRENTLY "),
        ("DROP INDEX ", "DROP INDEX CONCURRENTLY "),
    ];
    for (plain, online) in FORMS {
        if let Some(rest) = s.sql.strip_prefix(plain) {
            s.sql = format!("{online}{rest}");
            break;
        }
    }
    s
}

/// `from`'s table that `to`'s table `name` is (under its old name when
/// renamed); `None` for a table new in `to`.
fn source_table<'a>(
    from: &'a Schema,
    renames: &Renames,
    name: &QualifiedName,
) -> Option<&'a Table> {
    let source = match renames.tables.iter().find(|(_, new)| new == name) {
        Some((old, _)) => old,
        // A new table that takes the old name of a renamed one.
        None if renames.tables.iter().any(|(old, _)| old == name) => return None,
        None => name,
    };
    from.tables.get(source)
}

/// True for a table the online forms apply to: neither partitioned nor a
/// partition.
fn online_table(t: &Table) -> bool {
    t.partition_by.is_none() && t.partition_of.is_none()
}

/// The column `IS NOT NULL` check.
fn not_null_expression(column: &str) -> Option<Expression> {
    Expression::parse(&format!("{} IS NOT NULL", quote_ident(column))).ok()
}

/// The plain unique index a key is made from: its columns in default order.
fn key_index(c: &Constraint) -> Option<Index> {
    let (columns, include, nulls_not_distinct) = match &c.kind {
        ConstraintKind::PrimaryKey { columns, include } => (columns, include, false),
        ConstraintKind::Unique {
            columns,
            nulls_not_distinct,
            include,
        } => (columns, include, *nulls_not_distinct),
        _ => return None,
    };
    Some(Index {
        name: c.name.clone(),
        unique: true,
        method: "btree".to_string(),
        keys: columns
            .iter()
            .map(|col| IndexKey {
                part: IndexPart::Column(col.clone()),
                descending: false,
                nulls_first: false,
                collation: None,
                opclass: None,
            })
            .collect(),
        include: include.clone(),
        nulls_not_distinct,
        predicate: None,
        comment: None,
        options: StorageParameters::default(),
        origin: c.origin.clone(),
    })
}

/// Column `old` renamed `new` in `index`.
fn rename_in_index(index: &mut Index, old: &str, new: &str) {
    for c in &mut index.include {
        if c == old {
            *c = new.to_string();
        }
    }
    for k in &mut index.keys {
        match &mut k.part {
            IndexPart::Column(c) if c == old => *c = new.to_string(),
            IndexPart::Expression(e) => *e = rename_in_expression(e, old, new),
            IndexPart::Column(_) => {}
        }
    }
    if let Some(p) = &mut index.predicate {
        *p = rename_in_expression(p, old, new);
    }
}

/// `S1`, `S2` and step 3's work, from the plain migration's changes.
fn plan(from: &Schema, to: &Schema, renames: &Renames) -> Plan {
    let plain = diff::diff(from, to, renames);
    let eligible = |name: &QualifiedName| {
        source_table(from, renames, name).is_some_and(online_table)
            && to.tables.get(name).is_some_and(online_table)
    };
    // A key a new foreign key references (its table and columns) is made in
    // step 1: the foreign key needs it there.
    let referenced: BTreeSet<(&QualifiedName, BTreeSet<&String>)> = plain
        .iter()
        .filter_map(|c| match c {
            Change::AddConstraint { constraint, .. } => match &constraint.kind {
                ConstraintKind::ForeignKey(fk) => {
                    Some((&fk.ref_table, fk.ref_columns.iter().collect()))
                }
                _ => None,
            },
            _ => None,
        })
        .collect();
    // The columns of a primary key made in step 1 (as a foreign key needs
    // it): `ADD PRIMARY KEY` makes them `NOT NULL` itself, so they take no
    // check route.
    let keyed_in_step_1: BTreeSet<(&QualifiedName, &String)> = plain
        .iter()
        .filter_map(|c| match c {
            Change::AddConstraint { table, constraint }
                if matches!(constraint.kind, ConstraintKind::PrimaryKey { .. })
                    && referenced
                        .contains(&(table, constraint.kind.columns().iter().collect())) =>
            {
                Some(constraint.kind.columns().iter().map(move |c| (table, c)))
            }
            _ => None,
        })
        .flatten()
        .collect();
    let mut s2 = to.clone();
    let mut validate = Vec::new();
    let mut not_null: Vec<NotNull> = Vec::new();
    let mut keys = Vec::new();
    for change in &plain {
        match change {
            Change::AddConstraint { table, constraint } if eligible(table) => {
                match &constraint.kind {
                    ConstraintKind::ForeignKey(_) | ConstraintKind::Check { .. }
                        if constraint.validated =>
                    {
                        let held = s2
                            .tables
                            .get_mut(table)
                            .and_then(|t| t.constraints.get_mut(&constraint.name));
                        if let Some(c) = held {
                            c.validated = false;
                            validate.push((table.clone(), constraint.clone()));
                        }
                    }
                    ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. }
                        if !referenced
                            .contains(&(table, constraint.kind.columns().iter().collect())) =>
                    {
                        let Some(index) = key_index(constraint) else {
                            continue;
                        };
                        if let Some(t) = s2.tables.get_mut(table) {
                            t.constraints.remove(&constraint.name);
                            t.indexes.insert(index.name.clone(), index.clone());
                            keys.push(Key {
                                table: table.clone(),
                                constraint: constraint.clone(),
                                index,
                            });
                        }
                    }
                    _ => {}
                }
            }
            Change::AlterColumn {
                table,
                from: before,
                to: after,
            } if eligible(table)
                && before.nullable
                && !after.nullable
                && !keyed_in_step_1.contains(&(table, &after.name))
                // PostgreSQL makes only a `NOT NULL` column an identity column.
                && (after.identity.is_none() || before.identity.is_some()) =>
            {
                let Some(expr) = not_null_expression(&after.name) else {
                    continue;
                };
                // Not `<table>_<column>_not_null`: PostgreSQL 18 gives that
                // name to the not-null constraint `SET NOT NULL` makes.
                let name = choose_name(&table.name, Some(&after.name), "not_null_check", |n| {
                    from.constraint_name_taken(&table.schema, n)
                        || to.constraint_name_taken(&table.schema, n)
                        || not_null
                            .iter()
                            .any(|x| x.table.schema == table.schema && x.check.name == n)
                });
                let check = Constraint {
                    name,
                    kind: ConstraintKind::Check { expr },
                    deferrable: false,
                    initially_deferred: false,
                    validated: false,
                    comment: None,
                    origin: after.origin.clone(),
                };
                if let Some(t) = s2.tables.get_mut(table) {
                    if let Some(c) = t.column_mut(&after.name) {
                        c.nullable = true;
                        t.constraints.insert(check.name.clone(), check.clone());
                        not_null.push(NotNull {
                            table: table.clone(),
                            column: after.name.clone(),
                            check,
                        });
                    }
                }
            }
            _ => {}
        }
    }

    let mut s1 = s2.clone();
    for k in &keys {
        if let Some(t) = s1.tables.get_mut(&k.table) {
            t.indexes.remove(&k.index.name);
        }
    }
    for change in &plain {
        if let Change::CreateIndex { table, index } = change {
            // A unique index a new foreign key needs is built in step 1.
            let needed = index.unique
                && index.predicate.is_none()
                && referenced.iter().any(|(t, columns)| {
                    *t == table
                        && index.include.is_empty()
                        && index.keys.len() == columns.len()
                        && index
                            .keys
                            .iter()
                            .all(|k| matches!(&k.part, IndexPart::Column(c) if columns.contains(c)))
                });
            if eligible(table) && !needed {
                if let Some(t) = s1.tables.get_mut(table) {
                    t.indexes.remove(&index.name);
                }
            }
        }
    }
    // Columns step 1 drops or retypes: an index on them goes with step 1.
    let unsettled = diff::dropped_or_retyped_columns(&plain);
    for change in &plain {
        let Change::DropIndex { table, index } = change else {
            continue;
        };
        let target = renames
            .tables
            .iter()
            .find(|(old, _)| old == table)
            .map_or(table, |(_, new)| new);
        if !eligible(target) {
            continue;
        }
        let mut kept = index.clone();
        for (t, old, new) in &renames.columns {
            if t == target {
                rename_in_index(&mut kept, old, new);
            }
        }
        let on_unsettled = unsettled
            .iter()
            .any(|(t, c)| *t == target && index_mentions(&kept, c));
        let name = QualifiedName::new(target.schema.clone(), kept.name.clone());
        if on_unsettled || s1.relation_name_taken(&name) {
            continue;
        }
        if let Some(t) = s1.tables.get_mut(target) {
            t.indexes.insert(kept.name.clone(), kept);
        }
    }
    Plan {
        s1,
        s2,
        validate,
        not_null,
        keys,
    }
}

/// True when `change` (of step 1) locks a table `from` has.
fn locks_existing(change: &Change, from: &Schema, renames: &Renames) -> bool {
    let old =
        |t: &QualifiedName| from.tables.contains_key(t) || source_table(from, renames, t).is_some();
    match change {
        Change::DropTable(t) => old(&t.name),
        Change::RenameTable { from: t, .. } => old(t),
        Change::AddConstraint { table, constraint } => {
            old(table)
                || matches!(&constraint.kind, ConstraintKind::ForeignKey(fk) if old(&fk.ref_table))
        }
        Change::AddColumn { table, .. }
        | Change::DropColumn { table, .. }
        | Change::AlterColumn { table, .. }
        | Change::DropColumnDefault { table, .. }
        | Change::SetColumnDefault { table, .. }
        | Change::DropConstraint { table, .. }
        | Change::ValidateConstraint { table, .. }
        | Change::RenameConstraint { table, .. }
        | Change::RenameColumn { table, .. }
        | Change::CreateIndex { table, .. }
        | Change::DropIndex { table, .. }
        | Change::RenameIndex { table, .. }
        | Change::SetIndexOptions { table, .. }
        | Change::SetTableFlags { table, .. }
        | Change::SetTableOptions { table, .. }
        | Change::SetPartitionBound { table, .. } => old(table),
        Change::CreateTrigger(t) | Change::DropTrigger(t) => old(&t.table),
        Change::ReplaceTrigger { to, .. } | Change::AlterTrigger { to, .. } => old(&to.table),
        Change::CreatePolicy(p) | Change::DropPolicy(p) => old(&p.table),
        Change::AlterPolicy { to, .. } => old(&to.table),
        // Types whose columns are converted or checked.
        Change::RecreateEnum { .. }
        | Change::ReplaceDomain { .. }
        | Change::AlterDomain { .. }
        | Change::AlterComposite { .. }
        | Change::ReplaceComposite { .. } => !from.tables.is_empty(),
        _ => false,
    }
}

/// Step 3: validations, `SET NOT NULL` through the checks, keys from their
/// indexes; and its down, the exact reverse.
fn third_step(plan: &Plan) -> Result<OnlineMigration, Unsupported> {
    let r = Postgres;
    let alter = |t: &QualifiedName, rest: String| {
        Statement::new(format!("ALTER TABLE {} {rest};", r.object_name(t)))
    };
    let validate = |t: &QualifiedName, c: &str| {
        let mut s = alter(t, format!("VALIDATE CONSTRAINT {}", r.ident(c)));
        s.comments
            .push(format!("fails if rows of `{t}` violate it: fix them first"));
        s
    };
    let mut up = vec![lock_timeout()];
    let mut down = Vec::new();
    let mut changes = Vec::new();
    for (t, c) in &plan.validate {
        up.push(validate(t, &c.name));
        changes.push(format!("validate constraint `{}` of table `{t}`", c.name));
    }
    for n in &plan.not_null {
        let column = r.ident(&n.column);
        up.push(validate(&n.table, &n.check.name));
        up.push(alter(
            &n.table,
            format!("ALTER COLUMN {column} SET NOT NULL"),
        ));
        up.push(alter(
            &n.table,
            format!("DROP CONSTRAINT {}", r.ident(&n.check.name)),
        ));
        changes.push(format!(
            "set column `{}.{}` NOT NULL (through check `{}`, validated, then dropped)",
            n.table, n.column, n.check.name
        ));
    }
    for k in &plan.keys {
        let c = &k.constraint;
        let kind = match c.kind {
            ConstraintKind::PrimaryKey { .. } => "PRIMARY KEY",
            _ => "UNIQUE",
        };
        let deferral = match (c.deferrable, c.initially_deferred) {
            (false, _) => "",
            (true, false) => " DEFERRABLE",
            (true, true) => " DEFERRABLE INITIALLY DEFERRED",
        };
        up.push(alter(
            &k.table,
            format!(
                "ADD CONSTRAINT {} {kind} USING INDEX {}{deferral}",
                r.ident(&c.name),
                r.ident(&k.index.name)
            ),
        ));
        if let Some(comment) = &c.comment {
            up.push(Statement::new(format!(
                "COMMENT ON CONSTRAINT {} ON {} IS {};",
                r.ident(&c.name),
                r.object_name(&k.table),
                literal(comment)
            )));
        }
        changes.push(format!(
            "add {} `{}` on `{}` using index `{}`",
            c.kind.describe(),
            c.name,
            k.table,
            k.index.name
        ));
    }

    // The down, in the reverse order.
    down.push(lock_timeout());
    for k in plan.keys.iter().rev() {
        down.push(alter(
            &k.table,
            format!("DROP CONSTRAINT {}", r.ident(&k.constraint.name)),
        ));
        let mut index = Statement::new(r.create_index(&k.table, &k.index)?);
        index.comments.push(
            "the index dropped with the constraint, as the step before built it (not concurrently: this runs in a transaction)"
                .to_string(),
        );
        down.push(index);
    }
    for n in plan.not_null.iter().rev() {
        down.push(alter(
            &n.table,
            format!(
                "ADD CONSTRAINT {} {} NOT VALID",
                r.ident(&n.check.name),
                r.constraint_body(&n.check)
            ),
        ));
        down.push(alter(
            &n.table,
            format!("ALTER COLUMN {} DROP NOT NULL", r.ident(&n.column)),
        ));
    }
    for (t, c) in plan.validate.iter().rev() {
        let mut drop = alter(t, format!("DROP CONSTRAINT {}", r.ident(&c.name)));
        drop.comments.push(
            "PostgreSQL cannot un-validate a constraint: it is added again `NOT VALID`".to_string(),
        );
        down.push(drop);
        down.push(alter(
            t,
            format!(
                "ADD CONSTRAINT {} {} NOT VALID",
                r.ident(&c.name),
                r.constraint_body(c)
            ),
        ));
        if let Some(comment) = &c.comment {
            down.push(Statement::new(format!(
                "COMMENT ON CONSTRAINT {} ON {} IS {};",
                r.ident(&c.name),
                r.object_name(t),
                literal(comment)
            )));
        }
    }
    Ok(OnlineMigration {
        suffix: "validate",
        no_transaction: false,
        up: to_script(&up),
        down: to_script(&down),
        changes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Severity, Source, render_all};
    use crate::lint::online::Settings;
    use crate::migrations::MigrationFiles;
    use crate::migrations::replay::replay;

    /// The history every case starts from.
    const FROM: &str = "
CREATE TABLE users (
    id bigint PRIMARY KEY,
    email text,
    name text
);
CREATE TABLE posts (
    id bigint PRIMARY KEY,
    user_id bigint,
    title text
);
CREATE INDEX posts_title_idx ON posts (title);
CREATE TABLE events (
    id bigint,
    kind text
);
";

    fn parse(text: &str) -> Schema {
        match crate::parse::parse_schema_str("schema.sql", text) {
            Ok(s) => s,
            Err(d) => panic!("does not parse:\n{}", render_all(&d, false)),
        }
    }

    fn files(n: u64, up: &str, down: &str) -> MigrationFiles {
        let dir = format!("{n:014}_step");
        MigrationFiles {
            version: n,
            version_text: format!("{n:014}"),
            slug: "step".into(),
            up: Source::new(format!("migrations/{dir}/up.sql"), up),
            down: Source::new(format!("migrations/{dir}/down.sql"), down),
            dir_name: dir,
        }
    }

    fn shown(steps: &[OnlineMigration]) -> String {
        steps
            .iter()
            .enumerate()
            .map(|(i, s)| {
                format!(
                    "--- step {} ({:?}) up ---\n{}--- down ---\n{}",
                    i + 1,
                    s.suffix,
                    s.up,
                    s.down
                )
            })
            .collect()
    }

    /// The online steps from `from` to `to` (on top of the migration that
    /// creates `from`), checked by replay: no error, `to` at the end, each
    /// down undoing its up, and no online finding but renames and drops.
    fn online(from_text: &str, to_text: &str) -> Vec<OnlineMigration> {
        let (from, to) = (parse(from_text), parse(to_text));
        let renames = diff::renames_from_hints(&from, &to).unwrap_or_default();
        let first = generate(&Schema::new(), &from, &Renames::default(), &Postgres).unwrap();
        let steps = generate_online(&from, &to, &renames).unwrap();
        let mut history = vec![files(1, &first.up_sql(), &first.down_sql())];
        for (i, s) in steps.iter().enumerate() {
            history.push(files(i as u64 + 2, &s.up, &s.down));
        }
        let mut diagnostics = Vec::new();
        let replayed = replay(&history, &mut diagnostics);
        let errors: Vec<_> = diagnostics
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert!(
            errors.is_empty(),
            "{}\n{}",
            render_all(&errors, false),
            shown(&steps)
        );
        let left = diff::compare(&replayed.migrated, &to);
        assert!(left.is_empty(), "left: {left:?}\n{}", shown(&steps));
        for (s, m) in steps.iter().zip(&replayed.migrations[1..]) {
            assert_eq!(s.no_transaction, m.no_transaction(), "{}", shown(&steps));
        }
        let settings = Settings {
            after: Some(1),
            ..Settings::default()
        };
        let findings: Vec<_> = settings
            .judge(&replayed.online)
            .into_iter()
            .filter(|d| !matches!(d.code.name, "rename_in_use" | "drop_in_use"))
            .collect();
        assert!(
            findings.is_empty(),
            "{}\n{}",
            render_all(&findings, false),
            shown(&steps)
        );
        // The same on the newest PostgreSQL.
        let newest = Settings {
            pg_version: crate::lint::online::NEWEST_PG,
            ..settings
        };
        let findings: Vec<_> = newest
            .judge(&replayed.online)
            .into_iter()
            .filter(|d| !matches!(d.code.name, "rename_in_use" | "drop_in_use"))
            .collect();
        assert!(findings.is_empty(), "{}", render_all(&findings, false));
        steps
    }

    fn suffixes(steps: &[OnlineMigration]) -> Vec<&'static str> {
        steps.iter().map(|s| s.suffix).collect()
    }

    #[test]
    fn a_new_index_on_an_existing_table_is_built_concurrently() {
        let to = format!(
            "{FROM}CREATE INDEX users_name_idx ON users (name);\nCREATE UNIQUE INDEX users_lower_email ON users (lower(email));\n"
        );
        let steps = online(FROM, &to);
        assert_eq!(suffixes(&steps), ["concurrently"], "{}", shown(&steps));
        let s = &steps[0];
        assert!(s.up.starts_with(&format!("-- schema: no-transaction\n{NO_LOCK_TIMEOUT}\n")));
        assert!(
            s.down
                .starts_with(&format!("-- schema: no-transaction\n{NO_LOCK_TIMEOUT}\n"))
        );
        assert!(s.up.contains("CREATE INDEX CONCURRENTLY users_name_idx ON"));
        assert!(s.up.contains("CREATE UNIQUE INDEX CONCURRENTLY users_lower_email ON"));
        assert!(s.down.contains("DROP INDEX CONCURRENTLY"));
    }

    #[test]
    fn a_dropped_index_is_dropped_concurrently() {
        let to = FROM.replace("CREATE INDEX posts_title_idx ON posts (title);\n", "");
        let steps = online(FROM, &to);
        assert_eq!(suffixes(&steps), ["concurrently"], "{}", shown(&steps));
        assert!(
            steps[0]
                .up
                .contains("DROP INDEX CONCURRENTLY public.posts_title_idx;")
        );
        assert!(
            steps[0]
                .down
                .contains("CREATE INDEX CONCURRENTLY posts_title_idx ON")
        );
    }

    #[test]
    fn a_new_foreign_key_is_added_not_valid_then_validated() {
        let to = FROM.replace("user_id bigint,", "user_id bigint REFERENCES users (id),");
        let steps = online(FROM, &to);
        assert_eq!(suffixes(&steps), ["", "validate"], "{}", shown(&steps));
        assert!(steps[0].up.starts_with("SET LOCAL lock_timeout = '5s';\n"));
        assert!(
            steps[0]
                .up
                .contains("FOREIGN KEY (user_id) REFERENCES public.users (id) NOT VALID;")
        );
        assert!(steps[1].up.starts_with("SET LOCAL lock_timeout = '5s';\n"));
        assert!(
            steps[1]
                .up
                .contains("VALIDATE CONSTRAINT posts_user_id_fkey;")
        );
    }

    #[test]
    fn a_new_check_is_added_not_valid_then_validated() {
        let to = FROM.replace(
            "name text\n",
            "name text CONSTRAINT users_name_length CHECK (length(name) > 0)\n",
        );
        let steps = online(FROM, &to);
        assert_eq!(suffixes(&steps), ["", "validate"], "{}", shown(&steps));
        assert!(steps[0].up.contains("CHECK (length(name) > 0) NOT VALID;"));
        assert!(
            steps[1]
                .up
                .contains("VALIDATE CONSTRAINT users_name_length;")
        );
        assert!(steps[1].down.contains("DROP CONSTRAINT users_name_length;"));
    }

    #[test]
    fn set_not_null_goes_through_a_validated_check() {
        let to = FROM.replace("email text,", "email text NOT NULL,");
        let steps = online(FROM, &to);
        assert_eq!(suffixes(&steps), ["", "validate"], "{}", shown(&steps));
        assert!(steps[0].up.contains(
            "ADD CONSTRAINT users_email_not_null_check CHECK (email IS NOT NULL) NOT VALID;"
        ));
        assert!(!steps[0].up.contains("SET NOT NULL"), "{}", shown(&steps));
        let up = &steps[1].up;
        let (v, s, d) = (
            up.find("VALIDATE CONSTRAINT users_email_not_null_check"),
            up.find("ALTER COLUMN email SET NOT NULL"),
            up.find("DROP CONSTRAINT users_email_not_null_check"),
        );
        assert!(v < s && s < d && v.is_some(), "{}", shown(&steps));
    }

    #[test]
    fn a_new_primary_key_is_made_from_a_concurrent_index() {
        let to = FROM.replace(
            "    id bigint,\n    kind",
            "    id bigint PRIMARY KEY,\n    kind",
        );
        let steps = online(FROM, &to);
        assert_eq!(
            suffixes(&steps),
            ["", "concurrently", "validate"],
            "{}",
            shown(&steps)
        );
        assert!(
            steps[1]
                .up
                .contains("CREATE UNIQUE INDEX CONCURRENTLY events_pkey ON public.events (id);")
        );
        let up = &steps[2].up;
        let not_null = up.find("ALTER COLUMN id SET NOT NULL");
        let key = up.find("ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey;");
        assert!(not_null.is_some() && not_null < key, "{}", shown(&steps));
        let down = &steps[2].down;
        assert!(down.contains("DROP CONSTRAINT events_pkey;"));
        assert!(down.contains("CREATE UNIQUE INDEX events_pkey ON public.events (id);"));
        assert_eq!(
            steps[1].changes,
            ["create index `events_pkey` on `events` concurrently"]
        );
        assert_eq!(
            steps[2].changes,
            [
                "set column `events.id` NOT NULL (through check `events_id_not_null_check`, validated, then dropped)",
                "add primary key `events_pkey` on `events` using index `events_pkey`"
            ]
        );
        assert_eq!(
            steps[0].changes,
            ["add check constraint `events_id_not_null_check` on `events` NOT VALID"]
        );
    }

    #[test]
    fn a_new_unique_constraint_is_made_from_a_concurrent_index() {
        let to = FROM.replace("email text,", "email text UNIQUE,");
        let steps = online(FROM, &to);
        assert_eq!(
            suffixes(&steps),
            ["concurrently", "validate"],
            "{}",
            shown(&steps)
        );
        assert!(
            steps[0].up.contains(
                "CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON public.users (email);"
            )
        );
        assert!(
            steps[1]
                .up
                .contains("ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;")
        );
    }

    #[test]
    fn a_new_table_stays_one_ordinary_migration() {
        let to = format!(
            "{FROM}CREATE TABLE comments (
    id bigint PRIMARY KEY,
    post_id bigint NOT NULL REFERENCES posts (id),
    parent_id bigint REFERENCES comments (id),
    body text NOT NULL CHECK (body <> ''),
    UNIQUE (post_id, id)
);
CREATE INDEX comments_post_id_idx ON comments (post_id);
"
        );
        let steps = online(FROM, &to);
        assert_eq!(suffixes(&steps), [""], "{}", shown(&steps));
        assert!(!steps[0].no_transaction);
        assert!(!steps[0].up.contains("CONCURRENTLY"));
        assert!(!steps[0].up.contains("NOT VALID"));
        // Its foreign key locks `posts`, briefly.
        assert!(steps[0].up.starts_with("SET LOCAL lock_timeout = '5s';\n"));
        let plain = generate(&parse(FROM), &parse(&to), &Renames::default(), &Postgres).unwrap();
        assert!(steps[0].up.ends_with(&plain.up_sql()));
    }

    #[test]
    fn a_table_of_new_objects_only_needs_no_lock_timeout() {
        let to = format!("{FROM}CREATE TABLE tags (id bigint PRIMARY KEY, name text);\n");
        let steps = online(FROM, &to);
        assert_eq!(suffixes(&steps), [""], "{}", shown(&steps));
        assert!(!steps[0].up.contains("lock_timeout"), "{}", shown(&steps));
    }

    #[test]
    fn nothing_to_do_is_no_migration() {
        assert!(online(FROM, FROM).is_empty());
    }

    #[test]
    fn every_kind_at_once_on_renamed_tables_and_columns() {
        let to = "
-- schema: renamed from users
CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    -- schema: renamed from email
    mail text NOT NULL UNIQUE,
    name text CONSTRAINT accounts_name_length CHECK (length(name) > 0)
);
CREATE INDEX accounts_name_idx ON accounts (name);
CREATE TABLE posts (
    id bigint PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES accounts (id),
    title text,
    body text
);
CREATE INDEX posts_title_body_idx ON posts (title, body);
CREATE TABLE events (
    id bigint PRIMARY KEY,
    kind text NOT NULL
);
CREATE TABLE tags (id bigint PRIMARY KEY, post_id bigint REFERENCES posts (id));
";
        let steps = online(FROM, to);
        assert_eq!(
            suffixes(&steps),
            ["", "concurrently", "validate"],
            "{}",
            shown(&steps)
        );
        assert!(steps[0].up.contains("RENAME"), "{}", shown(&steps));
    }

    #[test]
    fn a_key_a_new_foreign_key_needs_stays_in_the_first_step() {
        let from = "CREATE TABLE a (id bigint NOT NULL, code text);\n";
        let to = "CREATE TABLE a (id bigint NOT NULL, code text UNIQUE);\nCREATE TABLE b (code text REFERENCES a (code));\n";
        let (from_s, to_s) = (parse(from), parse(to));
        let steps = generate_online(&from_s, &to_s, &Renames::default()).unwrap();
        assert_eq!(suffixes(&steps), [""], "{}", shown(&steps));
        assert!(steps[0].up.contains("UNIQUE (code)"), "{}", shown(&steps));
    }

    /// Found by probing: a primary key a new foreign key needs is made in step
    /// 1, which makes its columns `NOT NULL` there; they take no check route
    /// (whose down would drop `NOT NULL` from a key column).
    #[test]
    fn a_primary_key_a_new_foreign_key_needs_makes_its_columns_not_null_itself() {
        let from_text = "CREATE TABLE c (k int, v text);\n";
        let to_text = "CREATE TABLE c (k int PRIMARY KEY, v text);\nCREATE TABLE d (id bigint PRIMARY KEY, c_k int REFERENCES c (k));\n";
        let (from, to) = (parse(from_text), parse(to_text));
        let first = generate(&Schema::new(), &from, &Renames::default(), &Postgres).unwrap();
        let steps = generate_online(&from, &to, &Renames::default()).unwrap();
        let mut history = vec![files(1, &first.up_sql(), &first.down_sql())];
        for (i, s) in steps.iter().enumerate() {
            history.push(files(i as u64 + 2, &s.up, &s.down));
        }
        let mut diagnostics = Vec::new();
        let replayed = replay(&history, &mut diagnostics);
        let errors: Vec<_> = diagnostics.into_iter().filter(|d| d.is_error()).collect();
        let all = shown(&steps);
        assert!(errors.is_empty(), "{}\n{all}", render_all(&errors, false));
        assert!(diff::compare(&replayed.migrated, &to).is_empty(), "{all}");
        assert!(!all.contains("not_null_check"), "{all}");
        assert!(all.contains("PRIMARY KEY (k)"), "{all}");
    }

    #[test]
    fn a_deferrable_unique_constraint_keeps_its_deferral() {
        let to = FROM.replace(
            "email text,",
            "email text CONSTRAINT users_email_key UNIQUE DEFERRABLE INITIALLY DEFERRED,",
        );
        let steps = online(FROM, &to);
        assert!(
            steps[1]
                .up
                .contains("UNIQUE USING INDEX users_email_key DEFERRABLE INITIALLY DEFERRED;"),
            "{}",
            shown(&steps)
        );
    }

    #[test]
    fn an_existing_unique_index_becomes_a_constraint_without_a_new_build() {
        let from = format!("{FROM}CREATE UNIQUE INDEX users_email_key ON users (email);\n");
        let to = FROM.replace("email text,", "email text UNIQUE,");
        let steps = online(&from, &to);
        assert_eq!(suffixes(&steps), ["validate"], "{}", shown(&steps));
        assert!(steps[0].up.contains("UNIQUE USING INDEX users_email_key;"));
    }

    #[test]
    fn a_changed_index_is_dropped_and_built_again_concurrently() {
        let to = FROM.replace(
            "posts_title_idx ON posts (title)",
            "posts_title_idx ON posts (title DESC)",
        );
        let steps = online(FROM, &to);
        assert_eq!(suffixes(&steps), ["concurrently"], "{}", shown(&steps));
        let up = &steps[0].up;
        let (drop, create) = (
            up.find("DROP INDEX CONCURRENTLY public.posts_title_idx;"),
            up.find("CREATE INDEX CONCURRENTLY posts_title_idx ON public.posts (title DESC);"),
        );
        assert!(drop.is_some() && drop < create, "{}", shown(&steps));
    }

    #[test]
    fn a_unique_index_a_new_foreign_key_needs_stays_in_the_first_step() {
        let from = "CREATE TABLE a (id bigint NOT NULL, code text);\n";
        let to = "CREATE TABLE a (id bigint NOT NULL, code text);\nCREATE UNIQUE INDEX a_code ON a (code);\nCREATE TABLE b (code text REFERENCES a (code));\n";
        let steps = generate_online(&parse(from), &parse(to), &Renames::default()).unwrap();
        assert_eq!(suffixes(&steps), [""], "{}", shown(&steps));
    }

    #[test]
    fn a_dropped_index_on_a_retyped_column_goes_with_the_first_step() {
        let to = FROM
            .replace("CREATE INDEX posts_title_idx ON posts (title);\n", "")
            .replace("title text", "title varchar(200)");
        let steps = generate_online(&parse(FROM), &parse(&to), &Renames::default()).unwrap();
        assert_eq!(suffixes(&steps), [""], "{}", shown(&steps));
        assert!(steps[0].up.contains("DROP INDEX public.posts_title_idx;"));
    }
}
