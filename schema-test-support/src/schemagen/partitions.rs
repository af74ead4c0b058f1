//! Partitioned tables for the schema pair generator (PostgreSQL only):
//! `PARTITION BY RANGE | LIST | HASH` on a key column, partitions with bounds
//! that never overlap (each partition owns a slot of the key's values), a
//! `DEFAULT` partition, indexes on the parent, a primary key holding the key,
//! and edits between `from` and `to`: partitions added and dropped, a bound
//! changed (`DETACH` + `ATTACH`), the default partition toggled, indexes and
//! columns of the parent added and dropped, whole partitioned tables added and
//! dropped.

use std::fmt::Write as _;

use proptest::prelude::*;
use proptest::sample::Index as Pick;

use super::{Model, fresh, pick, q};

/// Partitioned table names: `Logs` needs quotes.
const NAMES: &[&str] = &["readings", "Logs"];
/// Columns a parent may gain after its own (`id`, `k`, `v`).
const EXTRA_COLUMNS: &[(&str, &str)] = &[("w", "integer"), ("note", "text"), ("at", "date")];
/// Key slots of `RANGE` and `LIST` partitions (hash partitions have 4).
const SLOTS: usize = 8;
/// The modulus of every hash partition.
const MODULUS: usize = 4;

/// How a table is partitioned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum PartitionBy {
    /// On `k integer`: slot `s` holds `s * 100` up to `s * 100 + 50` or `+ 100`.
    Range,
    /// On `k text`: slot `s` holds `'a<s>'`, and `'b<s>'` when wide.
    List,
    /// On `k integer`: slot `s` is remainder `s` of modulus 4.
    Hash,
}

/// A partitioned table as generated.
#[derive(Clone, Debug)]
pub(super) struct RawPartitioned {
    name: Pick,
    by: PartitionBy,
    pk: bool,
    /// Each partition: its slot and whether its bound is wide.
    partitions: Vec<(Pick, bool)>,
    default: bool,
    /// Each index: its column and whether it is named.
    indexes: Vec<(Pick, bool)>,
}

/// An edit of the partitioned tables.
#[derive(Clone, Debug)]
pub(super) enum PartitionEdit {
    Add(RawPartitioned),
    Drop(Pick),
    AddPartition(Pick, Pick, bool),
    DropPartition(Pick, Pick),
    /// Range and list partitions widen or narrow; a hash partition moves to
    /// a free remainder.
    ChangeBound(Pick, Pick, Pick),
    ToggleDefault(Pick),
    AddIndex(Pick, Pick, bool),
    DropIndex(Pick, Pick),
    AddColumn(Pick, Pick),
    DropColumn(Pick, Pick),
}

pub(super) fn raw_partitioned() -> impl Strategy<Value = RawPartitioned> {
    (
        pick(),
        prop_oneof![
            Just(PartitionBy::Range),
            Just(PartitionBy::List),
            Just(PartitionBy::Hash),
        ],
        any::<bool>(),
        prop::collection::vec((pick(), any::<bool>()), 0..=3),
        any::<bool>(),
        prop::collection::vec((pick(), any::<bool>()), 0..=2),
    )
        .prop_map(
            |(name, by, pk, partitions, default, indexes)| RawPartitioned {
                name,
                by,
                pk,
                partitions,
                default,
                indexes,
            },
        )
}

pub(super) fn raw_edit() -> impl Strategy<Value = PartitionEdit> {
    let p = pick;
    prop_oneof![
        1 => raw_partitioned().prop_map(PartitionEdit::Add),
        1 => p().prop_map(PartitionEdit::Drop),
        3 => (p(), p(), any::<bool>()).prop_map(|(t, s, w)| PartitionEdit::AddPartition(t, s, w)),
        2 => (p(), p()).prop_map(|(t, i)| PartitionEdit::DropPartition(t, i)),
        3 => (p(), p(), p()).prop_map(|(t, i, s)| PartitionEdit::ChangeBound(t, i, s)),
        2 => p().prop_map(PartitionEdit::ToggleDefault),
        2 => (p(), p(), any::<bool>()).prop_map(|(t, c, n)| PartitionEdit::AddIndex(t, c, n)),
        1 => (p(), p()).prop_map(|(t, i)| PartitionEdit::DropIndex(t, i)),
        1 => (p(), p()).prop_map(|(t, c)| PartitionEdit::AddColumn(t, c)),
        1 => (p(), p()).prop_map(|(t, c)| PartitionEdit::DropColumn(t, c)),
    ]
}

#[derive(Clone, Debug)]
struct Partition {
    name: String,
    slot: usize,
    wide: bool,
}

#[derive(Clone, Debug)]
struct ParentIndex {
    column: String,
    name: Option<String>,
}

/// A partitioned table of the model.
#[derive(Clone, Debug)]
pub(super) struct Partitioned {
    name: String,
    by: PartitionBy,
    pk: bool,
    /// The columns after `id`, `k` and `v`: name and type.
    extra: Vec<(&'static str, &'static str)>,
    partitions: Vec<Partition>,
    default: Option<String>,
    indexes: Vec<ParentIndex>,
}

impl Partitioned {
    /// True when the table, one of its partitions or indexes is called `name`.
    pub(super) fn owns_name(&self, name: &str) -> bool {
        self.name == name
            || self.partitions.iter().any(|p| p.name == name)
            || self.default.as_deref() == Some(name)
            || self.indexes.iter().any(|i| i.name.as_deref() == Some(name))
    }

    fn slots(&self) -> usize {
        if self.by == PartitionBy::Hash {
            MODULUS
        } else {
            SLOTS
        }
    }

    fn slot_taken(&self, slot: usize) -> bool {
        self.partitions.iter().any(|p| p.slot == slot)
    }

    fn columns(&self) -> Vec<&str> {
        ["id", "v"]
            .into_iter()
            .chain(self.extra.iter().map(|(n, _)| *n))
            .collect()
    }

    fn add_partition(&mut self, id: usize, slot: &Pick, wide: bool) {
        let slot = slot.index(self.slots());
        if !self.slot_taken(slot) {
            self.partitions.push(Partition {
                name: format!("{}_p{id}", self.name),
                slot,
                wide,
            });
        }
    }

    /// EXCLUDED, engine bug: two indexes of a partitioned table on the same
    /// columns give each partition two copies, named `<partition>_v_idx` and
    /// `<partition>_v_idx1` in the order the parent's indexes are created;
    /// `schema new` creates them in name order, not in the order of
    /// schema.sql, so the copies attach the other way round than in the
    /// user's database (`CREATE INDEX pix2 ON "Logs" (v); CREATE INDEX ON
    /// "Logs" (v);`: the fidelity suite's catalogs differ). So a parent has
    /// at most one index per column.
    fn add_index(&mut self, id: usize, column: &Pick, named: bool) {
        let columns = self.columns();
        let column = columns[column.index(columns.len())].to_string();
        if self.indexes.iter().any(|i| i.column == column) {
            return;
        }
        self.indexes.push(ParentIndex {
            column,
            name: named.then(|| format!("pix{id}")),
        });
    }

    /// `FOR VALUES ...` or `DEFAULT` of a partition.
    fn bound(&self, p: &Partition) -> String {
        let s = p.slot;
        match self.by {
            PartitionBy::Range => {
                let width = if p.wide { 100 } else { 50 };
                format!("FOR VALUES FROM ({}) TO ({})", s * 100, s * 100 + width)
            }
            PartitionBy::List if p.wide => format!("FOR VALUES IN ('a{s}', 'b{s}')"),
            PartitionBy::List => format!("FOR VALUES IN ('a{s}')"),
            PartitionBy::Hash => format!("FOR VALUES WITH (MODULUS {MODULUS}, REMAINDER {s})"),
        }
    }
}

impl Model {
    pub(super) fn add_partitioned(&mut self, raw: &RawPartitioned) {
        let base = NAMES[raw.name.index(NAMES.len())];
        let name = fresh(base, |n| self.type_name_taken(n));
        let mut t = Partitioned {
            name,
            by: raw.by,
            pk: raw.pk,
            extra: Vec::new(),
            partitions: Vec::new(),
            default: None,
            indexes: Vec::new(),
        };
        for (slot, wide) in &raw.partitions {
            let id = self.id();
            t.add_partition(id, slot, *wide);
        }
        if raw.default && raw.by != PartitionBy::Hash {
            t.default = Some(format!("{}_default", t.name));
        }
        for (column, named) in &raw.indexes {
            let id = self.id();
            t.add_index(id, column, *named);
        }
        self.partitioned.push(t);
    }
}

/// Applies `edit` to the partitioned tables of `m`.
pub(super) fn apply(m: &mut Model, edit: &PartitionEdit) {
    let table = match edit {
        PartitionEdit::Add(raw) => {
            m.add_partitioned(raw);
            return;
        }
        PartitionEdit::Drop(t)
        | PartitionEdit::AddPartition(t, ..)
        | PartitionEdit::DropPartition(t, _)
        | PartitionEdit::ChangeBound(t, ..)
        | PartitionEdit::ToggleDefault(t)
        | PartitionEdit::AddIndex(t, ..)
        | PartitionEdit::DropIndex(t, _)
        | PartitionEdit::AddColumn(t, _)
        | PartitionEdit::DropColumn(t, _) => t,
    };
    if m.partitioned.is_empty() {
        return;
    }
    let ti = table.index(m.partitioned.len());
    let id = m.id();
    let t = &mut m.partitioned[ti];
    match edit {
        PartitionEdit::Add(_) => {}
        PartitionEdit::Drop(_) => {
            m.partitioned.remove(ti);
        }
        PartitionEdit::AddPartition(_, slot, wide) => t.add_partition(id, slot, *wide),
        PartitionEdit::DropPartition(_, i) if !t.partitions.is_empty() => {
            t.partitions.remove(i.index(t.partitions.len()));
        }
        PartitionEdit::ChangeBound(_, i, slot) if !t.partitions.is_empty() => {
            let i = i.index(t.partitions.len());
            if t.by == PartitionBy::Hash {
                let free: Vec<usize> = (0..MODULUS).filter(|s| !t.slot_taken(*s)).collect();
                if !free.is_empty() {
                    t.partitions[i].slot = free[slot.index(free.len())];
                }
            } else {
                t.partitions[i].wide = !t.partitions[i].wide;
            }
        }
        PartitionEdit::ToggleDefault(_) if t.by != PartitionBy::Hash => {
            t.default = match t.default {
                Some(_) => None,
                None => Some(format!("{}_default", t.name)),
            };
        }
        PartitionEdit::AddIndex(_, column, named) => t.add_index(id, column, *named),
        PartitionEdit::DropIndex(_, i) if !t.indexes.is_empty() => {
            t.indexes.remove(i.index(t.indexes.len()));
        }
        PartitionEdit::AddColumn(_, c) => {
            let (name, ty) = EXTRA_COLUMNS[c.index(EXTRA_COLUMNS.len())];
            if !t.extra.iter().any(|(n, _)| *n == name) {
                t.extra.push((name, ty));
            }
        }
        PartitionEdit::DropColumn(_, c) if !t.extra.is_empty() => {
            t.extra.remove(c.index(t.extra.len()));
        }
        PartitionEdit::DropPartition(..)
        | PartitionEdit::ChangeBound(..)
        | PartitionEdit::ToggleDefault(_)
        | PartitionEdit::DropIndex(..)
        | PartitionEdit::DropColumn(..) => {}
    }
}

/// What depends on a dropped column goes with it (its indexes).
pub(super) fn normalize(m: &mut Model) {
    for t in &mut m.partitioned {
        let columns: Vec<String> = t.columns().iter().map(|c| (*c).to_string()).collect();
        t.indexes.retain(|i| columns.contains(&i.column));
    }
}

/// The partitioned tables of `m`, each with its indexes and partitions.
pub(super) fn render(m: &Model, out: &mut String) {
    for t in &m.partitioned {
        let (key, strategy) = match t.by {
            PartitionBy::Range => ("integer", "RANGE"),
            PartitionBy::List => ("text", "LIST"),
            PartitionBy::Hash => ("integer", "HASH"),
        };
        let name = q(&t.name);
        let _ = write!(
            out,
            "CREATE TABLE {name} (\n    id integer NOT NULL,\n    k {key} NOT NULL,\n    v text"
        );
        for (column, ty) in &t.extra {
            let _ = write!(out, ",\n    {column} {ty}");
        }
        if t.pk {
            out.push_str(",\n    PRIMARY KEY (id, k)");
        }
        let _ = writeln!(out, "\n) PARTITION BY {strategy} (k);");
        for i in &t.indexes {
            let index = i.name.as_ref().map(|n| format!("{} ", q(n)));
            let _ = writeln!(
                out,
                "CREATE INDEX {}ON {name} ({});",
                index.unwrap_or_default(),
                q(&i.column)
            );
        }
        for p in &t.partitions {
            let _ = writeln!(
                out,
                "CREATE TABLE {} PARTITION OF {name} {};",
                q(&p.name),
                t.bound(p)
            );
        }
        if let Some(d) = &t.default {
            let _ = writeln!(out, "CREATE TABLE {} PARTITION OF {name} DEFAULT;", q(d));
        }
        out.push('\n');
    }
}
