//! A schema as a declarative schema.sql (what `schema init` writes): PostgreSQL
//! DDL in dependency order, each table with what belongs to it beside it.
//!
//! The statements are the ones a migration from an empty schema would run
//! ([`Postgres`]'s rendering of the diff from nothing), regrouped: a table's
//! own sequences come just before it, and its indexes, constraints, triggers,
//! policies, grants, owner and comments just after it. A foreign key goes
//! with whichever of its two tables comes later, so that the file still runs
//! from top to bottom. Everything else (schemas, extensions, types,
//! functions, views, ...) keeps the diff's order. Groups are separated by a
//! blank line; one-line statements of the same kind stay together.

use std::collections::HashMap;

use crate::diff::{self, Change, Renames};
use crate::model::privileges::AclKind;
use crate::model::{ConstraintKind, QualifiedName, Schema};

use super::{Postgres, Renderer, Statement, Unsupported, to_script};

/// `schema` as schema.sql text (see the module docs).
///
/// # Errors
/// When PostgreSQL's rendering cannot express one of its objects.
pub fn schema_sql(schema: &Schema) -> Result<String, Unsupported> {
    let empty = Schema::default();
    let changes = diff::diff(&empty, schema, &Renames::default());
    let rendered = Postgres.render_each(&changes, &empty, schema)?;

    // Each change's group: a table's group is where its CREATE TABLE comes;
    // what belongs to tables goes into the last of their groups.
    let mut unit_of: Vec<Option<usize>> = vec![None; changes.len()];
    let mut units: Vec<Unit> = Vec::new();
    let mut table_group: HashMap<&QualifiedName, usize> = HashMap::new();
    for (i, change) in changes.iter().enumerate() {
        if let Change::CreateTable(t) = change {
            table_group.insert(&t.name, units.len());
            unit_of[i] = Some(units.len());
            units.push(Unit::new("table", true));
        } else if attached_to(change).is_none() {
            unit_of[i] = Some(units.len());
            units.push(Unit::new(kind_of(change), false));
        }
    }
    let mut before = vec![false; changes.len()];
    for (i, change) in changes.iter().enumerate() {
        if unit_of[i].is_some() {
            continue;
        }
        let tables = attached_to(change).unwrap_or_default();
        let group = tables
            .iter()
            .filter_map(|t| table_group.get(t).copied())
            .max();
        unit_of[i] = Some(match group {
            Some(g) => {
                before[i] = matches!(change, Change::CreateSequence(_));
                g
            }
            None => {
                units.push(Unit::new(kind_of(change), false));
                units.len() - 1
            }
        });
    }
    // What must follow every change (a sequence's owner) ends its group.
    let mut tails: Vec<Vec<Statement>> = vec![Vec::new(); units.len()];
    for (i, (own, after)) in rendered.into_iter().enumerate() {
        let Some(index) = unit_of.get(i).copied().flatten() else {
            continue;
        };
        let unit = &mut units[index];
        if before[i] {
            unit.before.extend(own);
        } else {
            unit.main.extend(own);
        }
        tails[index].extend(after);
    }
    for (unit, tail) in units.iter_mut().zip(tails) {
        unit.main.extend(tail);
    }

    let mut out = String::new();
    let mut previous: Option<(&'static str, bool)> = None;
    for unit in &units {
        let statements: Vec<Statement> = unit.before.iter().chain(&unit.main).cloned().collect();
        if statements.is_empty() {
            continue;
        }
        let text = to_script(&statements);
        let one_line = !unit.is_table && text.trim_end().lines().count() == 1;
        if let Some((kind, was_one_line)) = previous {
            if !(one_line && was_one_line && kind == unit.kind) {
                out.push('\n');
            }
        }
        out.push_str(&text);
        previous = Some((unit.kind, one_line));
    }
    Ok(out)
}

/// A group of statements: a table and what belongs to it, or one other change.
struct Unit {
    /// The kind of change, to keep one-line statements of a kind together.
    kind: &'static str,
    is_table: bool,
    /// A table's own sequences.
    before: Vec<Statement>,
    /// The table (or the change), then what belongs to it.
    main: Vec<Statement>,
}

impl Unit {
    fn new(kind: &'static str, is_table: bool) -> Self {
        Unit {
            kind,
            is_table,
            before: Vec::new(),
            main: Vec::new(),
        }
    }
}

/// The tables a change belongs with (it goes after the last of them), or
/// `None` for a change that stands on its own.
fn attached_to(change: &Change) -> Option<Vec<&QualifiedName>> {
    Some(match change {
        Change::CreateSequence(s) => vec![&s.owned_by.as_ref()?.0],
        Change::CreateIndex { table, .. }
        | Change::SetConstraintComment { table, .. }
        | Change::SetIndexComment { table, .. }
        | Change::SetTableComment { table, .. }
        | Change::SetTableFlags { table, .. }
        | Change::SetTableOptions { table, .. }
        | Change::SetPartitionBound { table, .. } => vec![table],
        Change::AddConstraint { table, constraint } => match &constraint.kind {
            ConstraintKind::ForeignKey(fk) => vec![table, &fk.ref_table],
            _ => vec![table],
        },
        Change::CreateTrigger(t) => vec![&t.table],
        Change::CreatePolicy(p) => vec![&p.table],
        Change::Grant {
            kind: AclKind::Table,
            object,
            ..
        }
        | Change::SetOwner {
            kind: AclKind::Table,
            object,
            ..
        } => vec![object],
        _ => return None,
    })
}

/// A name for the kind of a change that stands on its own.
fn kind_of(change: &Change) -> &'static str {
    match change {
        Change::CreateSchema(_) => "schema",
        Change::CreateExtension(_) => "extension",
        Change::CreateEnum(_) => "enum",
        Change::CreateDomain(_) => "domain",
        Change::CreateComposite(_) => "composite",
        Change::CreateSequence(_) => "sequence",
        Change::Grant { .. } | Change::Revoke { .. } => "grant",
        Change::SetOwner { .. } => "owner",
        Change::DefaultPrivileges { .. } => "default privileges",
        Change::CreateOther(_) => "other",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::schema_sql;
    use crate::diagnostic::Source;
    use crate::parse::parse_schema;

    fn written(sql: &str) -> String {
        let schema = parse_schema(&Source::new("schema.sql", sql)).expect("parses");
        schema_sql(&schema).expect("renders")
    }

    fn at(text: &str, needle: &str) -> usize {
        text.find(needle)
            .unwrap_or_else(|| panic!("`{needle}` is not in:\n{text}"))
    }

    #[test]
    fn each_table_keeps_what_belongs_to_it_beside_it() {
        let text = written(
            "CREATE TABLE b (id integer PRIMARY KEY, a_id integer);
             CREATE INDEX b_a ON b (a_id);
             CREATE TABLE a (id integer PRIMARY KEY, note text);
             CREATE INDEX a_note ON a (note);
             COMMENT ON TABLE a IS 'first';
             ALTER TABLE b ADD FOREIGN KEY (a_id) REFERENCES a (id);",
        );
        // a, its comment and index, then b, its index and the key to a.
        let order = [
            "CREATE TABLE public.a",
            "COMMENT ON TABLE public.a",
            "CREATE INDEX a_note",
            "CREATE TABLE public.b",
            "CREATE INDEX b_a",
            "FOREIGN KEY (a_id) REFERENCES public.a",
        ];
        let places: Vec<usize> = order.iter().map(|n| at(&text, n)).collect();
        assert!(places.windows(2).all(|w| w[0] < w[1]), "{text}");
        // Groups are apart.
        assert!(text.contains(";\n\nCREATE TABLE public.b"), "{text}");
    }

    #[test]
    fn a_foreign_key_goes_with_the_later_of_its_tables() {
        let text = written(
            "CREATE TABLE a (id integer PRIMARY KEY, b_id integer);
             CREATE TABLE b (id integer PRIMARY KEY, a_id integer REFERENCES a (id));
             ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b (id);",
        );
        assert!(
            at(&text, "CREATE TABLE public.b") < at(&text, "REFERENCES public.b"),
            "{text}"
        );
    }

    #[test]
    fn an_owned_sequence_comes_before_its_table_and_its_owner_after() {
        let text = written(
            "CREATE SEQUENCE t_n_seq;
             CREATE TABLE t (id integer PRIMARY KEY, n bigint DEFAULT nextval('t_n_seq'));
             ALTER SEQUENCE t_n_seq OWNED BY t.n;",
        );
        assert!(
            at(&text, "CREATE SEQUENCE") < at(&text, "CREATE TABLE public.t")
                && at(&text, "CREATE TABLE public.t") < at(&text, "OWNED BY"),
            "{text}"
        );
    }

    #[test]
    fn nothing_declared_writes_nothing() {
        assert_eq!(written(""), "");
    }
}
