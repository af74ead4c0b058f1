//! Names SQLite reads as one (it ignores ASCII case in names): the lint's
//! helpers, and the refusal of a change list that leaves such a pair or a table
//! without columns.

use std::collections::BTreeMap;

use super::quoted;
use crate::diff::Change;
use crate::model::{Column, Index, QualifiedName, Schema, Table};

/// Two objects whose names differ only in case, which SQLite (ignoring ASCII
/// case in names) reads as one: tables and indexes share one namespace, the
/// columns of a table another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseCollision {
    /// Each object described (`table "Users"`) with where it is declared,
    /// in name order.
    pub objects: [(String, crate::Origin); 2],
}

/// Every pair of objects of `schema` that SQLite would read as one name.
pub fn case_collisions(schema: &Schema) -> Vec<CaseCollision> {
    fn pairs(names: Vec<(String, String, crate::Origin)>, out: &mut Vec<CaseCollision>) {
        let mut by_key: BTreeMap<String, Vec<(String, String, crate::Origin)>> = BTreeMap::new();
        for (name, what, origin) in names {
            by_key
                .entry(name.to_ascii_lowercase())
                .or_default()
                .push((name, what, origin));
        }
        for mut group in by_key.into_values() {
            group.sort_by(|a, b| a.0.cmp(&b.0));
            let mut group = group.into_iter();
            let Some((_, first, first_at)) = group.next() else {
                continue;
            };
            for (_, what, at) in group {
                out.push(CaseCollision {
                    objects: [(first.clone(), first_at.clone()), (what, at)],
                });
            }
        }
    }
    let mut out = Vec::new();
    let mut all = Vec::new();
    for t in schema.tables.values() {
        all.extend(relations(t).map(|(n, i, o)| (n.to_string(), describe(t, i), o.clone())));
        let columns = t
            .columns
            .iter()
            .map(|c| (c.name.clone(), describe_column(t, c), c.origin.clone()))
            .collect();
        pairs(columns, &mut out);
    }
    pairs(all, &mut out);
    out
}

/// The relations (a table and its indexes) SQLite names in one namespace:
/// each name, its index (none for the table) and where it is declared.
fn relations(t: &Table) -> impl Iterator<Item = (&str, Option<&Index>, &crate::Origin)> {
    std::iter::once((t.name.name.as_str(), None, &t.origin)).chain(
        t.indexes
            .values()
            .map(|i| (i.name.as_str(), Some(i), &i.origin)),
    )
}

/// `column "c" of "t"`.
fn describe_column(t: &Table, c: &Column) -> String {
    format!("column {} of {}", quoted(&c.name), quoted(&t.name.name))
}

/// `table "t"` or `index "i" on "t"`.
fn describe(t: &Table, index: Option<&Index>) -> String {
    match index {
        None => format!("table {}", quoted(&t.name.name)),
        Some(i) => format!("index {} on {}", quoted(&i.name), quoted(&t.name.name)),
    }
}

/// The pairs of [`case_collisions`] of `after` that the schema before the
/// migration did not have, looking only at what `touched` (the objects a
/// migration left, as in `after`) names: fast on a large schema. `before`
/// holds the objects the migration touched as they were before it (what
/// replay's journal gives); every other object is as in `after`.
pub fn new_case_collisions(
    before: &Schema,
    after: &Schema,
    touched: &Schema,
) -> Vec<CaseCollision> {
    collisions_where(before, after, touched, |_| true)
}

/// The relation names (of tables and their indexes) of a schema by their
/// spelling with ASCII case folded, counted: replay keeps one in step with
/// its schema ([`CaseIndex::update`]) so that a migration's names are checked
/// against the whole schema only when one of them has another spelling there.
#[derive(Debug, Default)]
pub(crate) struct CaseIndex {
    /// Folded name → each spelling → how many relations have it.
    names: std::collections::HashMap<String, BTreeMap<String, u32>>,
}

impl CaseIndex {
    /// The relation names of `schema`.
    pub(crate) fn of(schema: &Schema) -> CaseIndex {
        let mut index = CaseIndex::default();
        index.update(&Schema::new(), schema);
        index
    }

    /// Takes out the relations of the tables of `before` and adds those of
    /// `after`: the tables a migration touched as they were and as they are.
    pub(crate) fn update(&mut self, before: &Schema, after: &Schema) {
        for t in before.tables.values() {
            for (name, _, _) in relations(t) {
                let folded = name.to_ascii_lowercase();
                if let Some(spellings) = self.names.get_mut(&folded) {
                    if let Some(n) = spellings.get_mut(name) {
                        *n -= 1;
                        if *n == 0 {
                            spellings.remove(name);
                        }
                    }
                    if spellings.is_empty() {
                        self.names.remove(&folded);
                    }
                }
            }
        }
        for t in after.tables.values() {
            for (name, _, _) in relations(t) {
                *self
                    .names
                    .entry(name.to_ascii_lowercase())
                    .or_default()
                    .entry(name.to_string())
                    .or_default() += 1;
            }
        }
    }

    /// True when a relation is spelled like `name` but for case.
    fn other_spelling(&self, name: &str) -> bool {
        self.names
            .get(&name.to_ascii_lowercase())
            .is_some_and(|spellings| spellings.keys().any(|s| s != name))
    }
}

/// [`new_case_collisions`] with `after`'s names in `index`: the whole schema
/// is looked at only when a name of `touched` has another spelling in it.
pub(crate) fn new_case_collisions_indexed(
    before: &Schema,
    after: &Schema,
    touched: &Schema,
    index: &CaseIndex,
) -> Vec<CaseCollision> {
    collisions_where(before, after, touched, |name| index.other_spelling(name))
}

/// [`new_case_collisions`], looking across the schema only when `may_clash`
/// holds for one of `touched`'s relation names.
fn collisions_where(
    before: &Schema,
    after: &Schema,
    touched: &Schema,
    may_clash: impl Fn(&str) -> bool,
) -> Vec<CaseCollision> {
    let clash = |a: &str, b: &str| a != b && a.eq_ignore_ascii_case(b);
    let pair = |a: (String, crate::Origin), b: (String, crate::Origin)| {
        let objects = if a.0 <= b.0 { [a, b] } else { [b, a] };
        CaseCollision { objects }
    };
    let mut out: Vec<CaseCollision> = Vec::new();
    for t in touched.tables.values() {
        let old = before.tables.get(&t.name);
        let had = |name: &str| old.is_some_and(|o| o.columns.iter().any(|c| c.name == name));
        for (i, c) in t.columns.iter().enumerate() {
            for d in t.columns[..i].iter().filter(|d| clash(&c.name, &d.name)) {
                if had(&c.name) && had(&d.name) {
                    continue;
                }
                out.push(pair(
                    (describe_column(t, d), d.origin.clone()),
                    (describe_column(t, c), c.origin.clone()),
                ));
            }
        }
    }
    let mine: Vec<(&str, String, &crate::Origin)> = touched
        .tables
        .values()
        .flat_map(|t| relations(t).map(move |(n, i, o)| (n, describe(t, i), o)))
        .collect();
    if !mine.iter().any(|(name, _, _)| may_clash(name)) {
        return out;
    }
    let holds = |t: &Table, name: &str| t.name.name == name || t.indexes.contains_key(name);
    let existed = |name: &str| {
        before.tables.values().any(|t| holds(t, name))
            || after
                .tables
                .values()
                .any(|t| !touched.tables.contains_key(&t.name) && holds(t, name))
    };
    for t in after.tables.values() {
        for (name, index, origin) in relations(t) {
            for (m, m_what, m_origin) in mine.iter().filter(|m| clash(m.0, name)) {
                if existed(m) && existed(name) {
                    continue;
                }
                let what = describe(t, index);
                let c = pair(
                    (m_what.clone(), (*m_origin).clone()),
                    (what, origin.clone()),
                );
                if !out.contains(&c) {
                    out.push(c);
                }
            }
        }
    }
    out
}

/// The first change that leaves `to` with a table without columns or with a
/// name clash `from` does not have, and why SQLite cannot run it.
pub(super) fn shape_refusal<'c>(
    changes: &'c [Change],
    from: &Schema,
    to: &Schema,
) -> Option<(&'c Change, String)> {
    let empty = |name: &QualifiedName| to.tables.get(name).is_some_and(|t| t.columns.is_empty());
    for c in changes {
        let table = match c {
            Change::CreateTable(t) => Some(&t.name),
            Change::DropColumn { table, .. } | Change::RenameTable { to: table, .. } => Some(table),
            _ => None,
        };
        if let Some(t) = table.filter(|t| empty(t)) {
            return Some((
                c,
                format!("SQLite cannot hold table `{t}`, which has no columns"),
            ));
        }
    }
    let known = case_collisions(from);
    let new = case_collisions(to)
        .into_iter()
        .find(|c| !known.contains(c))?;
    let [(a, _), (b, _)] = &new.objects;
    Some((
        changes.first()?,
        format!("{a} and {b} differ only in case, and SQLite reads them as one name"),
    ))
}
