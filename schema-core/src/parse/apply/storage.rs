//! Storage parameters (`WITH (...)` of `CREATE TABLE` and `CREATE INDEX`,
//! `ALTER TABLE ... SET (...)` / `RESET (...)`, `ALTER INDEX ... SET/RESET`):
//! names checked against PostgreSQL 15's lists, values kept as PostgreSQL
//! stores them in `pg_class.reloptions`.

use sqlparser::ast::{BinaryOperator, Expr, ObjectName, SqlOption, UnaryOperator, Value};

use super::{Cx, Res};
use crate::diagnostic::{Diagnostic, Origin, codes};
use crate::model::names::{closest, object_name_parts};

/// The parameters of a table (heap) in PostgreSQL 15.
const TABLE: &[&str] = &[
    "fillfactor",
    "toast_tuple_target",
    "parallel_workers",
    "autovacuum_enabled",
    "vacuum_index_cleanup",
    "vacuum_truncate",
    "autovacuum_vacuum_threshold",
    "autovacuum_vacuum_scale_factor",
    "autovacuum_vacuum_insert_threshold",
    "autovacuum_vacuum_insert_scale_factor",
    "autovacuum_analyze_threshold",
    "autovacuum_analyze_scale_factor",
    "autovacuum_vacuum_cost_delay",
    "autovacuum_vacuum_cost_limit",
    "autovacuum_freeze_min_age",
    "autovacuum_freeze_max_age",
    "autovacuum_freeze_table_age",
    "autovacuum_multixact_freeze_min_age",
    "autovacuum_multixact_freeze_max_age",
    "autovacuum_multixact_freeze_table_age",
    "log_autovacuum_min_duration",
    "user_catalog_table",
];

/// The parameters of a table's TOAST table (written `toast.name`).
const TOAST: &[&str] = &[
    "autovacuum_enabled",
    "vacuum_index_cleanup",
    "vacuum_truncate",
    "autovacuum_vacuum_threshold",
    "autovacuum_vacuum_scale_factor",
    "autovacuum_vacuum_insert_threshold",
    "autovacuum_vacuum_insert_scale_factor",
    "autovacuum_vacuum_cost_delay",
    "autovacuum_vacuum_cost_limit",
    "autovacuum_freeze_min_age",
    "autovacuum_freeze_max_age",
    "autovacuum_freeze_table_age",
    "autovacuum_multixact_freeze_min_age",
    "autovacuum_multixact_freeze_max_age",
    "autovacuum_multixact_freeze_table_age",
    "log_autovacuum_min_duration",
];

/// The parameters of an index, by access method (methods of extensions are
/// not checked: PostgreSQL judges them).
fn index_parameters(method: &str) -> Option<&'static [&'static str]> {
    Some(match method {
        "btree" => &["fillfactor", "deduplicate_items"],
        "hash" | "spgist" => &["fillfactor"],
        "gist" => &["fillfactor", "buffering"],
        "gin" => &["fastupdate", "gin_pending_list_limit"],
        "brin" => &["pages_per_range", "autosummarize"],
        _ => return None,
    })
}

/// What the parameters belong to.
#[derive(Clone, Copy)]
pub(super) enum Owner<'a> {
    /// A table.
    Table,
    /// An index of this access method.
    Index(&'a str),
}

/// One parameter as written: its name parts, its value (`None` for a bare
/// name, which PostgreSQL reads as `true`), and where it is.
pub(super) struct Written<'a> {
    name: Vec<String>,
    value: Option<&'a Expr>,
    at: Origin,
}

impl Cx<'_> {
    /// PostgreSQL keeps `toast.` parameters only on a table that has a TOAST
    /// table, and drops them silently otherwise: refuse them there.
    pub(super) fn check_toast_parameters(&self, table: &crate::model::QualifiedName) -> Res<()> {
        let Some(t) = self.schema.tables.get(table) else {
            return Ok(());
        };
        let Some((name, _)) = t.options.0.iter().find(|(n, _)| n.starts_with("toast.")) else {
            return Ok(());
        };
        if may_have_toast_table(t) {
            return Ok(());
        }
        let at = self.at_words(&["toast"]).unwrap_or_else(|| self.origin());
        Err(Diagnostic::error(
            codes::UNSUPPORTED_FEATURE,
            format!(
                "`{name}` would be dropped by PostgreSQL: table `{table}` has no TOAST table \
                 (none of its columns can hold a value stored out of line)"
            ),
        )
        .at(&at)
        .note("PostgreSQL creates a TOAST table only for a table with a column such as text, bytea, jsonb, an array or a long varchar, and keeps `toast.` parameters nowhere else")
        .help(format!("remove `{name}`")))
    }

    /// `ALTER INDEX [IF EXISTS] name SET (...)` / `RESET (...)`.
    pub(super) fn alter_index_options(
        &mut self,
        index: &ObjectName,
        if_exists: bool,
        set: &[SqlOption],
        reset: &[ObjectName],
    ) -> Res<()> {
        let name = self.name(index)?;
        let Some(table) = self.schema.index_owner(&name).cloned() else {
            if if_exists {
                return Ok(());
            }
            return Err(Diagnostic::error(
                codes::UNKNOWN_OBJECT,
                format!("index `{name}` does not exist at this point"),
            )
            .at(&self.at_span(index))
            .help(
                "create the index first, or check its name (an index lives in its table's schema)",
            ));
        };
        let method = self
            .schema
            .tables
            .get(&table)
            .and_then(|t| t.indexes.get(&name.name))
            .map(|i| i.method.clone())
            .unwrap_or_default();
        let (written, is_reset) = if reset.is_empty() {
            (self.written_options(set)?, false)
        } else {
            (reset.iter().map(|n| self.written_name(n)).collect(), true)
        };
        let changes = self.storage_parameters(&written, Owner::Index(&method), is_reset)?;
        let origin = self.origin();
        let options = &mut self
            .table_mut(&table, &origin)?
            .indexes
            .get_mut(&name.name)
            .ok_or_else(|| {
                Diagnostic::error(codes::UNKNOWN_OBJECT, format!("index `{name}` vanished"))
            })?
            .options;
        for (n, v) in changes {
            match v {
                Some(v) => options.set(&n, &v),
                None => options.reset(&n),
            }
        }
        Ok(())
    }

    /// The parameters of a `WITH (...)` or `SET (...)` option list.
    pub(super) fn written_options<'a>(&self, options: &'a [SqlOption]) -> Res<Vec<Written<'a>>> {
        options
            .iter()
            .map(|o| match o {
                SqlOption::Ident(name) => Ok(self.written(name, None)),
                SqlOption::KeyValue { key, value } => Ok(self.written(key, Some(value))),
                other => Err(self
                    .err(
                        codes::SYNTAX,
                        format!("`{other}` is not a storage parameter"),
                    )
                    .help("write storage parameters as `name = value`")),
            })
            .collect()
    }

    /// The parameters of `CREATE INDEX ... WITH (...)`, which sqlparser reads
    /// as expressions (`fillfactor = 50`, or a bare name).
    pub(super) fn written_expressions<'a>(&self, exprs: &'a [Expr]) -> Res<Vec<Written<'a>>> {
        exprs
            .iter()
            .map(|e| {
                let (key, value) = match e {
                    Expr::BinaryOp {
                        left,
                        op: BinaryOperator::Eq,
                        right,
                    } => (&**left, Some(&**right)),
                    other => (other, None),
                };
                let at = self.at_span(key);
                let name = match key {
                    Expr::Identifier(i) => vec![crate::model::names::fold_ident(i)],
                    Expr::CompoundIdentifier(parts) => {
                        parts.iter().map(crate::model::names::fold_ident).collect()
                    }
                    _ => {
                        return Err(Diagnostic::error(
                            codes::SYNTAX,
                            format!("`{e}` is not a storage parameter"),
                        )
                        .at(&at)
                        .help("write storage parameters as `name = value`"));
                    }
                };
                Ok(Written { name, value, at })
            })
            .collect()
    }

    /// A parameter of `RESET (...)`: a name without value.
    pub(super) fn written_name(&self, name: &ObjectName) -> Written<'static> {
        self.written(name, None)
    }

    fn written<'a>(&self, name: &ObjectName, value: Option<&'a Expr>) -> Written<'a> {
        Written {
            name: object_name_parts(name),
            value,
            at: self.at_span(name),
        }
    }

    /// The parameters to store, in order, each checked as PostgreSQL checks
    /// it: a known name for `owner`, written once, with a value PostgreSQL
    /// reads. With `reset`, values are not allowed (`RESET (name, ...)`).
    pub(super) fn storage_parameters(
        &self,
        written: &[Written<'_>],
        owner: Owner<'_>,
        reset: bool,
    ) -> Res<Vec<(String, Option<String>)>> {
        let mut out: Vec<(String, Option<String>)> = Vec::new();
        for w in written {
            let name = w.name.join(".");
            let fix = |d: Diagnostic| d.at(&w.at);
            let (known, bare): (&[&str], &str) = match (owner, w.name.as_slice()) {
                (Owner::Table, [toast, n]) if toast == "toast" => (TOAST, n),
                (Owner::Table, [n]) => (TABLE, n),
                (Owner::Index(method), [n]) => (index_parameters(method).unwrap_or(&[]), n),
                _ => (&[], ""),
            };
            let unchecked = matches!(owner, Owner::Index(m) if index_parameters(m).is_none());
            if matches!(owner, Owner::Table) && name == "oids" {
                // `WITH (OIDS = FALSE)` as old dumps write it: PostgreSQL 12+
                // accepts it and stores nothing; `OIDS = TRUE` it refuses.
                let value = w.value.map(stored_value);
                if !reset && matches!(value, Some(Some(v)) if is_false(&v)) {
                    continue;
                }
                return Err(fix(Diagnostic::error(
                    codes::UNSUPPORTED_FEATURE,
                    "`OIDS` is not supported yet: PostgreSQL 12 and later have no tables with OIDs",
                ))
                .help("remove `OIDS`, or write `OIDS = FALSE`, which PostgreSQL ignores"));
            }
            if !unchecked && (bare.is_empty() || !known.contains(&bare)) {
                let mut d = fix(Diagnostic::error(
                    codes::SYNTAX,
                    format!("unrecognized storage parameter `{name}`"),
                ));
                let suggestion = closest(bare, known.iter().copied());
                d = match (suggestion, w.name.first()) {
                    (Some(s), Some(first)) if w.name.len() == 2 => {
                        d.help(format!("did you mean `{first}.{s}`?"))
                    }
                    (Some(s), _) => d.help(format!("did you mean `{s}`?")),
                    (None, _) => d.help(format!(
                        "PostgreSQL 15 knows these here: {}",
                        known.join(", ")
                    )),
                };
                return Err(d);
            }
            if out.iter().any(|(n, _)| *n == name) {
                return Err(fix(Diagnostic::error(
                    codes::SYNTAX,
                    format!("storage parameter `{name}` is specified more than once"),
                ))
                .help("keep one of the two"));
            }
            let value = match (reset, w.value) {
                (true, None) => None,
                (true, Some(_)) => {
                    return Err(fix(Diagnostic::error(
                        codes::SYNTAX,
                        format!("`RESET` takes names only, not a value for `{name}`"),
                    ))
                    .help(format!("write `RESET ({name})`")));
                }
                (false, None) => Some("true".to_string()),
                (false, Some(e)) => Some(stored_value(e).ok_or_else(|| {
                    fix(Diagnostic::error(
                        codes::SYNTAX,
                        format!("`{e}` is not a value PostgreSQL takes for storage parameter `{name}`"),
                    ))
                    .help("write a number, a word (`on`, `off`, `true`, `false`) or a string constant")
                })?),
            };
            if let (Some(v), false) = (&value, unchecked) {
                if let Err(expected) = check_value(bare, v) {
                    return Err(fix(Diagnostic::error(
                        codes::SYNTAX,
                        format!("invalid value for storage parameter `{name}`: `{v}`"),
                    ))
                    .help(format!("`{name}` takes {expected}")));
                }
            }
            out.push((name, value));
        }
        Ok(out)
    }
}

/// Whether `value` is of the kind PostgreSQL reads for parameter `name`
/// (its range PostgreSQL checks when it runs the statement); else what it
/// takes, in words.
fn check_value(name: &str, value: &str) -> Result<(), &'static str> {
    let boolean = "a boolean (`true`, `false`, `on`, `off`)";
    match name {
        "autovacuum_enabled" | "vacuum_truncate" | "user_catalog_table" | "deduplicate_items"
        | "fastupdate" | "autosummarize" => parse_bool(value).then_some(()).ok_or(boolean),
        "vacuum_index_cleanup" => (value.eq_ignore_ascii_case("auto") || parse_bool(value))
            .then_some(())
            .ok_or("`auto`, `on` or `off`"),
        "buffering" => ["auto", "on", "off"]
            .iter()
            .any(|w| value.eq_ignore_ascii_case(w))
            .then_some(())
            .ok_or("`auto`, `on` or `off`"),
        _ => value
            .trim()
            .parse::<f64>()
            .is_ok_and(f64::is_finite)
            .then_some(())
            .ok_or("a number"),
    }
}

/// PostgreSQL's `parse_bool`: `true`/`false`/`yes`/`no` or a prefix of one,
/// `on`, `off` (or `of`), `1`, `0`, in any case.
fn parse_bool(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    let prefix = |word: &str| !v.is_empty() && word.starts_with(v.as_str());
    prefix("true")
        || prefix("false")
        || prefix("yes")
        || prefix("no")
        || matches!(v.as_str(), "on" | "off" | "of" | "1" | "0")
}

/// True for the spellings of false PostgreSQL's `parse_bool` takes.
fn is_false(v: &str) -> bool {
    matches!(
        v.to_ascii_lowercase().as_str(),
        "false" | "f" | "fa" | "fal" | "fals" | "off" | "of" | "no" | "n" | "0"
    )
}

/// The text PostgreSQL stores for a parameter's value (`def_arg`): a number
/// as written (an integer in its canonical decimal form), a word folded
/// unless quoted, a string's contents; `None` for anything else.
pub(super) fn stored_value(e: &Expr) -> Option<String> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::Number(n, _) => Some(number(n)),
            Value::SingleQuotedString(s) => Some(s.clone()),
            Value::Boolean(b) => Some(b.to_string()),
            _ => None,
        },
        Expr::Identifier(i) => Some(crate::model::names::fold_ident(i)),
        Expr::UnaryOp {
            op: op @ (UnaryOperator::Minus | UnaryOperator::Plus),
            expr,
        } => match &**expr {
            Expr::Value(v) => match &v.value {
                Value::Number(n, _) => {
                    let n = number(n);
                    Some(if *op == UnaryOperator::Minus {
                        if n == "0" { n } else { format!("-{n}") }
                    } else {
                        n
                    })
                }
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// An integer that fits PostgreSQL's `int4` in its decimal form (the
/// grammar makes it an integer node), anything else as written.
fn number(n: &str) -> String {
    n.parse::<i32>()
        .map_or_else(|_| n.to_string(), |i| i.to_string())
}

/// Whether PostgreSQL may give `t` a TOAST table (`needs_toast_table`): a
/// column of unbounded variable length, or bounded ones that may together
/// pass the TOAST threshold (2032 bytes; a character counted as 4 bytes, as
/// UTF-8 allows). Other types count 16 bytes, more than any fixed-size one
/// a table here can hold, so the answer errs towards "may".
fn may_have_toast_table(t: &crate::model::Table) -> bool {
    use crate::model::SqlType;
    let mut bytes: u64 = 24;
    for c in &t.columns {
        bytes += match &c.data_type {
            SqlType::Varchar(Some(n)) | SqlType::Char(n) => u64::from(*n) * 4 + 4,
            SqlType::Bit(n) | SqlType::VarBit(Some(n)) => u64::from(*n) / 8 + 12,
            SqlType::Numeric {
                precision: Some(p), ..
            } => u64::from(*p) / 2 + 12,
            SqlType::Text
            | SqlType::Varchar(None)
            | SqlType::VarBit(None)
            | SqlType::Numeric {
                precision: None, ..
            }
            | SqlType::Bytea
            | SqlType::Json
            | SqlType::Jsonb
            | SqlType::Xml
            | SqlType::TsVector
            | SqlType::TsQuery
            | SqlType::Array(_) => return true,
            // An enum is 4 bytes; another named type may be anything.
            SqlType::Named(_) => 16,
            _ => 16,
        };
    }
    bytes > 2032
}
