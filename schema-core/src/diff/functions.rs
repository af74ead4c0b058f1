//! Functions and procedures between two schemas: created, dropped, replaced
//! in place (`CREATE OR REPLACE`, when PostgreSQL allows it), or dropped and
//! created again (a new result type, `OUT` arguments, a renamed argument, a
//! removed default); comments.
//!
//! Where they sort (`phase` in `diff/mod.rs`): a function is created at 85,
//! after the types it may use and before the tables whose defaults and
//! checks may call it, unless PostgreSQL checks it against relations when it
//! is created (a `LANGUAGE sql` body that reads a table, or a table's row
//! type in its signature): then at 192, after the tables. Drops go at 135,
//! after the columns that used them and before the types they use; one whose
//! signature uses a table's row type at 45, before the tables are dropped.

use super::Change;
use crate::model::function::Returns;
use crate::model::{Function, Schema, SqlType};

/// True when PostgreSQL needs relations of `schema` to exist to create `f`:
/// a table's row type in its signature, or a `LANGUAGE sql` body reading one.
pub(crate) fn reads_relations(f: &Function, schema: &Schema) -> bool {
    signature_reads_relations(f, schema) || (f.language == "sql" && f.body_reads_relation(schema))
}

/// True when `f` is a `LANGUAGE sql` function whose body reads a view of
/// `schema` (it must then be created after the views).
pub(crate) fn reads_views(f: &Function, schema: &Schema) -> bool {
    f.language == "sql" && f.body_reads_view(schema)
}

/// True when `f`'s signature uses the row type of a table of `schema`.
pub(crate) fn signature_reads_relations(f: &Function, schema: &Schema) -> bool {
    let is_table = |ty: &SqlType| {
        let mut ty = ty;
        while let SqlType::Array(inner) = ty {
            ty = inner;
        }
        matches!(ty, SqlType::Named(n) if schema.tables.contains_key(n))
    };
    f.args.iter().any(|a| is_table(&a.ty))
        || match &f.returns {
            Some(Returns::Type { ty, .. }) => is_table(ty),
            Some(Returns::Table(columns)) => columns.iter().any(|(_, t)| is_table(t)),
            None => false,
        }
}

/// The changes that turn `from`'s functions into `to`'s.
pub(crate) fn function_changes(from: &Schema, to: &Schema) -> Vec<Change> {
    let mut out = Vec::new();
    for (key, old) in from.functions.iter() {
        match to.functions.get(key) {
            None => out.push(Change::DropFunction {
                function: old.clone(),
                reads_relations: signature_reads_relations(old, from),
            }),
            Some(new) if new == old => {}
            Some(new) => {
                let comment = (old.comment != new.comment).then(|| Change::SetFunctionComment {
                    function: new.clone(),
                    from: old.comment.clone(),
                    to: new.comment.clone(),
                });
                let mut old_uncommented = old.clone();
                old_uncommented.comment.clone_from(&new.comment);
                if old_uncommented == *new {
                    out.extend(comment);
                } else if old.replaceable_by(new) {
                    out.push(Change::ReplaceFunction {
                        from: old.clone(),
                        to: new.clone(),
                        reads_relations: reads_relations(new, to),
                        reads_views: reads_views(new, to),
                    });
                    out.extend(comment);
                } else {
                    out.push(Change::RecreateFunction {
                        from: old.clone(),
                        to: new.clone(),
                        reads_relations: reads_relations(new, to),
                        reads_views: reads_views(new, to),
                    });
                }
            }
        }
    }
    for (key, new) in to.functions.iter() {
        if !from.functions.contains_key(key) {
            out.push(Change::CreateFunction {
                function: new.clone(),
                reads_relations: reads_relations(new, to),
                reads_views: reads_views(new, to),
            });
        }
    }
    out
}

/// What differs between two versions of one function, in words.
pub(crate) fn differences(from: &Function, to: &Function) -> Vec<String> {
    let mut out = Vec::new();
    if from.body != to.body {
        out.push("body".to_string());
    }
    if from.language != to.language {
        out.push(format!("language {} → {}", from.language, to.language));
    }
    if from.args != to.args {
        out.push("argument defaults".to_string());
    }
    if from.volatility != to.volatility {
        out.push(format!(
            "{} → {}",
            from.volatility.keyword(),
            to.volatility.keyword()
        ));
    }
    if from.strict != to.strict {
        out.push(if to.strict { "STRICT" } else { "not STRICT" }.to_string());
    }
    if from.security_definer != to.security_definer {
        out.push(
            if to.security_definer {
                "SECURITY DEFINER"
            } else {
                "SECURITY INVOKER"
            }
            .to_string(),
        );
    }
    if from.leakproof != to.leakproof {
        out.push(
            if to.leakproof {
                "LEAKPROOF"
            } else {
                "NOT LEAKPROOF"
            }
            .to_string(),
        );
    }
    if from.parallel != to.parallel {
        out.push(format!("PARALLEL {}", to.parallel.keyword()));
    }
    if from.cost != to.cost {
        out.push("COST".to_string());
    }
    if from.rows != to.rows {
        out.push("ROWS".to_string());
    }
    if from.config != to.config {
        out.push("SET options".to_string());
    }
    out
}

/// The drift report of a function change from the migrated to the declared
/// schema (a function created in schema.sql alone is `unmigrated_object`,
/// reported by the lint); `None` for a comment set on a function `changes`
/// create anyway.
pub(crate) fn drift(change: &Change, changes: &[Change]) -> Option<crate::diagnostic::Diagnostic> {
    use crate::diagnostic::{Diagnostic, codes};
    Some(match change {
        Change::RecreateFunction { from: f, to, .. } => Diagnostic::error(
            codes::DRIFT,
            format!(
                "{} `{}` differs between schema.sql and the migrations: {}",
                to.kind.describe(),
                to.signature(),
                f.replace_refusal(to).unwrap_or_default()
            ),
        )
        .at(&to.origin)
        .related(&f.origin, "created by this migration")
        .help(format!(
            "PostgreSQL cannot replace it in place: add a migration that drops and creates it (`DROP {} {};` then the `CREATE`), or make schema.sql match",
            f.kind.keyword(),
            f.signature()
        )),
        Change::DropFunction { function: f, .. } => {
            Diagnostic::error(
                codes::DRIFT,
                format!(
                    "{} `{}` is created by the migrations but not declared in schema.sql",
                    f.kind.describe(),
                    f.signature()
                ),
            )
            .at(&f.origin)
            .help("declare it in schema.sql, or drop it in a new migration")
        }
        Change::ReplaceFunction { from, to, .. } => Diagnostic::error(
            codes::DRIFT,
            format!(
                "{} `{}` differs between schema.sql and the migrations: {}",
                to.kind.describe(),
                to.signature(),
                differences(from, to).join(", ")
            ),
        )
        .at(&to.origin)
        .related(&from.origin, "created by this migration")
        .help(format!(
            "add a migration with `CREATE OR REPLACE {} ...` as schema.sql has it, or make schema.sql match",
            to.kind.keyword()
        )),
        Change::SetFunctionComment { function, .. } => {
            let created = changes.iter().any(|c| {
                matches!(c, Change::CreateFunction { function: f, .. } if f.key() == function.key())
            });
            if created {
                return None;
            }
            Diagnostic::error(
                codes::DRIFT,
                format!(
                    "the comment on {} `{}` differs between schema.sql and the migrations",
                    function.kind.describe(),
                    function.signature()
                ),
            )
            .at(&function.origin)
            .help(format!(
                "add a migration with `COMMENT ON {} {} IS ...`, or fix schema.sql",
                function.kind.keyword(),
                function.signature()
            ))
        }
        _ => return None,
    })
}
