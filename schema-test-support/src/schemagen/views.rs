//! Views and a function for the schema pair generator (PostgreSQL only):
//! views and materialized views over some columns of a table, filtered on
//! one of them, a second layer of views over the first, and one SQL function
//! `scaled(integer)` that view filters and a table check call. Edits between
//! `from` and `to` add, drop, rename (with a hint) and redefine views (a prefix of the columns kept
//! replaces in place, anything else drops and creates), change the function's
//! body (replaced in place) or result type (dropped and created again under
//! the views and the check that call it), and move the check; the table
//! edits of the parent generator retype, rename and drop the columns and
//! tables the views read.
//!
//! EXCLUDED, engine limitation: views are not generated in the SQLite-friendly
//! space: a SQLite table rebuild under a view fails on SQLite 3.26 and later,
//! which checks the views of a schema when a table is renamed.

use std::fmt::Write as _;

use proptest::prelude::*;
use proptest::sample::Index as Pick;

use super::{Model, Ty, fresh, pick, q};

/// View names; `Active` needs quotes. None is a table, type or index name.
const NAMES: &[&str] = &["v_recent", "v_Active", "v_summary"];

/// A view as generated: over a table, some of its columns, a filter on one,
/// and maybe a view over it.
#[derive(Clone, Debug)]
pub(super) struct RawView {
    name: Pick,
    table: Pick,
    cols: Vec<Pick>,
    filter: Option<Pick>,
    materialized: bool,
    /// A view over this one, taking its first `n` columns (`n` picked).
    layer: Option<Pick>,
}

/// An edit of the views and the function.
#[derive(Clone, Debug)]
pub(super) enum ViewEdit {
    Add(RawView),
    Drop(Pick),
    /// Columns, filter and layer redefined; name, table and kind kept.
    Redefine(Pick, RawView),
    /// The function: `None` drops it, else its result type (`bigint` or
    /// `integer`) and its factor.
    SetFunction(Option<(bool, u8)>),
    /// The table check calling the function: on a table's column, or none.
    SetCheck(Option<(Pick, Pick)>),
    /// A view renamed, with its `-- schema: renamed from` hint.
    Rename(Pick),
}

pub(super) fn raw_view() -> impl Strategy<Value = RawView> {
    (
        pick(),
        pick(),
        prop::collection::vec(pick(), 1..=3),
        prop::option::of(pick()),
        prop::bool::weighted(0.3),
        prop::option::of(pick()),
    )
        .prop_map(|(name, table, cols, filter, materialized, layer)| RawView {
            name,
            table,
            cols,
            filter,
            materialized,
            layer,
        })
}

/// The views, function and check of `from`.
#[derive(Clone, Debug)]
pub(super) struct RawViews {
    views: Vec<RawView>,
    /// The function `scaled`: its result type (`bigint` or not) and factor.
    function: Option<(bool, u8)>,
    /// The table check calling the function: its table and column.
    check: Option<(Pick, Pick)>,
}

pub(super) fn raw_views() -> impl Strategy<Value = RawViews> {
    (
        prop::collection::vec(raw_view(), 0..=2),
        prop::option::weighted(0.5, (any::<bool>(), 2u8..4)),
        prop::option::weighted(0.5, (pick(), pick())),
    )
        .prop_map(|(views, function, check)| RawViews {
            views,
            function,
            check,
        })
}

pub(super) fn raw_edit() -> impl Strategy<Value = ViewEdit> {
    prop_oneof![
        2 => raw_view().prop_map(ViewEdit::Add),
        1 => pick().prop_map(ViewEdit::Drop),
        3 => (pick(), raw_view()).prop_map(|(v, r)| ViewEdit::Redefine(v, r)),
        3 => prop::option::weighted(0.85, (any::<bool>(), 2u8..4)).prop_map(ViewEdit::SetFunction),
        2 => prop::option::weighted(0.8, (pick(), pick())).prop_map(ViewEdit::SetCheck),
        2 => pick().prop_map(ViewEdit::Rename),
    ]
}

/// The function `scaled(n integer)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Function {
    bigint: bool,
    factor: u8,
}

/// A view of the model.
#[derive(Clone, Debug)]
pub(super) struct View {
    name: String,
    /// Its name in `from`; `None` for a view `from` does not have.
    from_name: Option<String>,
    /// The id of the table it reads.
    table: usize,
    /// Ids of the columns it selects, in order.
    cols: Vec<usize>,
    /// The id of the column it filters on.
    filter: Option<usize>,
    materialized: bool,
    /// A view over this one: its name and how many columns it takes.
    layer: Option<(String, usize)>,
}

/// The views, the function and the check of a [`Model`].
#[derive(Clone, Debug, Default)]
pub(super) struct Views {
    views: Vec<View>,
    function: Option<Function>,
    /// The table check `scaled_ok`: table id and column id.
    check: Option<(usize, usize)>,
}

impl Views {
    /// True when a view (or a view over one) is called `name`.
    pub(super) fn owns_name(&self, name: &str) -> bool {
        self.views
            .iter()
            .any(|v| v.name == name || v.layer.as_ref().is_some_and(|(l, _)| l == name))
    }
}

/// Adds the objects of `from`.
pub(super) fn build(m: &mut Model, raw: &RawViews) {
    m.views.function = raw
        .function
        .map(|(bigint, factor)| Function { bigint, factor });
    for v in &raw.views {
        add(m, v, true);
    }
    set_check(m, raw.check.as_ref());
}

fn add(m: &mut Model, raw: &RawView, in_from: bool) {
    if m.tables.is_empty() {
        return;
    }
    let base = NAMES[raw.name.index(NAMES.len())];
    let taken = |n: &str| m.type_name_taken(n) || m.views.owns_name(n);
    let name = fresh(base, taken);
    let layer = raw.layer.as_ref().map(|p| {
        let layer_name = fresh(&format!("{name}_top"), |n| {
            m.type_name_taken(n) || m.views.owns_name(n) || n == name
        });
        (layer_name, p.index(3) + 1)
    });
    let t = &m.tables[raw.table.index(m.tables.len())];
    let mut view = View {
        from_name: in_from.then(|| name.clone()),
        name,
        table: t.id,
        cols: Vec::new(),
        filter: None,
        materialized: raw.materialized,
        layer,
    };
    define(&mut view, t, raw);
    m.views.views.push(view);
}

/// The columns, filter and layer of `view` from `raw`, on table `t`.
fn define(view: &mut View, t: &super::TableDef, raw: &RawView) {
    if t.columns.is_empty() {
        view.cols.clear();
        return;
    }
    view.cols = t.key_cols(&raw.cols);
    view.filter = raw
        .filter
        .as_ref()
        .map(|p| t.columns[p.index(t.columns.len())].id);
    let count = raw.layer.as_ref().map(|p| p.index(3) + 1);
    view.layer = match (view.layer.take(), count) {
        (Some((name, _)), Some(n)) => Some((name, n)),
        (Some((name, n)), None) => Some((name, n)),
        (None, _) => None,
    };
}

/// The check on an `integer` column (the function's argument type) of the
/// picked table, or on the first table that has one.
fn set_check(m: &mut Model, check: Option<&(Pick, Pick)>) {
    m.views.check = check.and_then(|(tp, cp)| {
        let n = m.tables.len();
        (0..n)
            .map(|k| &m.tables[(tp.index(n.max(1)) + k) % n])
            .find_map(|t| {
                let ints: Vec<usize> = t
                    .columns
                    .iter()
                    .filter(|c| c.ty == Ty::Integer)
                    .map(|c| c.id)
                    .collect();
                (!ints.is_empty()).then(|| (t.id, ints[cp.index(ints.len())]))
            })
    });
}

pub(super) fn apply(m: &mut Model, edit: &ViewEdit) {
    match edit {
        ViewEdit::Add(raw) => add(m, raw, false),
        ViewEdit::Drop(p) if !m.views.views.is_empty() => {
            let i = p.index(m.views.views.len());
            m.views.views.remove(i);
        }
        ViewEdit::Drop(_) => {}
        ViewEdit::Redefine(p, raw) if !m.views.views.is_empty() => {
            let i = p.index(m.views.views.len());
            let table = m.views.views[i].table;
            if let Some(t) = m.tables.iter().find(|t| t.id == table) {
                let t = t.clone();
                define(&mut m.views.views[i], &t, raw);
            }
        }
        ViewEdit::Redefine(..) => {}
        ViewEdit::SetFunction(f) => {
            m.views.function = f.map(|(bigint, factor)| Function { bigint, factor });
        }
        ViewEdit::SetCheck(c) => set_check(m, c.as_ref()),
        ViewEdit::Rename(p) if !m.views.views.is_empty() => {
            let i = p.index(m.views.views.len());
            let base = format!("{}_v2", m.views.views[i].name);
            let name = fresh(&base, |n| m.type_name_taken(n));
            m.views.views[i].name = name;
        }
        ViewEdit::Rename(_) => {}
    }
}

/// Drops what no longer holds after the table edits: views over a dropped
/// table, columns dropped, the check without its function or an integer
/// column.
pub(super) fn normalize(m: &mut Model) {
    let tables = m.tables.clone();
    m.views.views.retain_mut(|v| {
        let Some(t) = tables.iter().find(|t| t.id == v.table) else {
            return false;
        };
        v.cols.retain(|c| t.column(*c).is_some());
        if v.filter.is_some_and(|c| t.column(c).is_none()) {
            v.filter = None;
        }
        if let Some((_, n)) = &mut v.layer {
            *n = (*n).min(v.cols.len());
        }
        if v.layer.as_ref().is_some_and(|(_, n)| *n == 0) {
            v.layer = None;
        }
        !v.cols.is_empty()
    });
    let function = m.views.function;
    m.views.check = m.views.check.filter(|(t, c)| {
        function.is_some()
            && tables
                .iter()
                .find(|x| x.id == *t)
                .and_then(|x| x.column(*c))
                .is_some_and(|c| c.ty == Ty::Integer)
    });
}

/// The function, before the tables (the check calls it).
pub(super) fn render_function(m: &Model, out: &mut String) {
    if let Some(f) = m.views.function {
        let (ty, body) = if f.bigint {
            ("bigint", format!("n::bigint * {}", f.factor))
        } else {
            ("integer", format!("n * {}", f.factor))
        };
        let _ = writeln!(
            out,
            "CREATE FUNCTION scaled(n integer) RETURNS {ty} LANGUAGE sql IMMUTABLE AS $$ SELECT {body} $$;"
        );
    }
}

/// The table check on the function, as a line of `CREATE TABLE`.
pub(super) fn check_line(m: &Model, t: &super::TableDef) -> Option<String> {
    let (table, col) = m.views.check?;
    (table == t.id).then(|| {
        format!(
            "CONSTRAINT scaled_ok CHECK (scaled({}) > -1000000)",
            t.col_name(col)
        )
    })
}

/// The views, after every table.
pub(super) fn render(m: &Model, out: &mut String) {
    for v in &m.views.views {
        let Some(t) = m.tables.iter().find(|t| t.id == v.table) else {
            continue;
        };
        let cols: Vec<String> = v.cols.iter().map(|c| t.col_name(*c)).collect();
        let filter = v
            .filter
            .and_then(|c| t.column(c))
            .map(|c| {
                if m.views.function.is_some() && c.ty == Ty::Integer {
                    format!(" WHERE scaled({}) > 0", q(&c.name))
                } else {
                    format!(" WHERE {} IS NOT NULL", q(&c.name))
                }
            })
            .unwrap_or_default();
        let kind = if v.materialized {
            "MATERIALIZED VIEW"
        } else {
            "VIEW"
        };
        if let Some(old) = v.from_name.as_ref().filter(|old| **old != v.name) {
            let _ = writeln!(out, "-- schema: renamed from {}", q(old));
        }
        let _ = writeln!(
            out,
            "CREATE {kind} {} AS SELECT {} FROM {}{filter};",
            q(&v.name),
            cols.join(", "),
            q(&t.name)
        );
        if let Some((name, n)) = &v.layer {
            let _ = writeln!(
                out,
                "CREATE VIEW {} AS SELECT {} FROM {};",
                q(name),
                cols[..(*n).min(cols.len())].join(", "),
                q(&v.name)
            );
        }
    }
}
