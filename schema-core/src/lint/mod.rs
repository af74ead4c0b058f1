//! Lints: rules that fail a check although the SQL is valid. Each has a stable
//! code and name (see [`crate::diagnostic::codes`]) and is allowed for one table
//! or one migration by `-- schema: allow(<name>)`.
//!
//! | name | allowed where |
//! |---|---|
//! | `empty_migration` | anywhere in that migration's up.sql |
//! | `missing_primary_key` | in the comment lines right above the `CREATE TABLE` in schema.sql |
//! | `down_does_not_undo_up` | anywhere in that migration's up.sql or down.sql |
//! | `unmigrated_object` | above the object's `CREATE` in schema.sql |
//! | `security_definer_search_path` (a warning) | in the comment lines right above the `CREATE FUNCTION` in schema.sql |

pub mod online;
pub mod rewrite;

use crate::diagnostic::{Diagnostic, Origin, codes};
use crate::diff::Change;
use crate::directive::Directive;
use crate::migrations::MigrationFiles;
use crate::model::{QualifiedName, Schema};

fn allowed(directives: &[Directive], name: &str) -> bool {
    directives.iter().any(|d| d.allows(name))
}

fn allow_help(name: &str, place: &str) -> String {
    format!("if this is intended, write `-- schema: allow({name})` {place}")
}

/// `empty_migration`: an up.sql without a single statement.
pub fn empty_migration(
    migration: &MigrationFiles,
    statements: usize,
    directives: &[Directive],
) -> Option<Diagnostic> {
    if statements > 0 || allowed(directives, codes::EMPTY_MIGRATION.name) {
        return None;
    }
    Some(
        Diagnostic::error(
            codes::EMPTY_MIGRATION,
            format!(
                "migration `{}` is empty: its up.sql holds no statement",
                migration.dir_name
            ),
        )
        .at(&Origin::new(&migration.up, 1, 1))
        .note("an empty migration records a change that was never written; a fresh database built from the migrations will lack it")
        .help(format!(
            "write the statements this migration stands for (`schema check` lists what schema.sql declares and no migration creates); {}",
            allow_help(codes::EMPTY_MIGRATION.name, "in its up.sql")
        )),
    )
}

/// `missing_primary_key`: declared tables without a primary key.
pub(crate) fn missing_primary_keys(declared: &Schema) -> Vec<Diagnostic> {
    declared
        .tables
        .values()
        .filter(|t| t.primary_key().is_none())
        // A partition's key is its parent's (the lint speaks of the parent).
        .filter(|t| t.partition_of.is_none())
        .filter(|t| !t.directives.allows(codes::MISSING_PRIMARY_KEY.name))
        .map(|t| {
            Diagnostic::error(
                codes::MISSING_PRIMARY_KEY,
                format!("table `{}` has no primary key", t.name),
            )
            .at(&t.origin)
            .label("declared here")
            .note("rows without a key cannot be updated or deleted one by one, and replication and most ORMs need one")
            .help(format!(
                "add `PRIMARY KEY (...)` on the columns that identify a row; {}",
                allow_help(codes::MISSING_PRIMARY_KEY.name, "on the line above `CREATE TABLE`")
            ))
        })
        .collect()
}

/// `security_definer_search_path`: a declared `SECURITY DEFINER` function or
/// procedure without `SET search_path`, a warning at the function. Its
/// caller chooses the search path the body's unqualified names resolve in,
/// and runs them with the owner's rights.
pub(crate) fn security_definer_without_search_path(declared: &Schema) -> Vec<Diagnostic> {
    let name = codes::SECURITY_DEFINER_SEARCH_PATH.name;
    declared
        .functions
        .values()
        .filter(|f| f.security_definer && !f.config.iter().any(|(n, _)| n == "search_path"))
        .filter(|f| !f.directives.allows(name))
        .map(|f| {
            Diagnostic::warning(
                codes::SECURITY_DEFINER_SEARCH_PATH,
                format!(
                    "{} `{}` is SECURITY DEFINER without `SET search_path`",
                    f.kind.describe(),
                    f.signature()
                ),
            )
            .at(&f.origin)
            .label("declared here")
            .note("it runs with its owner's rights, and whoever calls it chooses the search path its unqualified names resolve in (a table or function of theirs can stand in for yours)")
            .help(format!(
                "add `SET search_path = pg_catalog, public, pg_temp` (trusted schemas, then `pg_temp`) to it; {}",
                allow_help(name, "on the line above `CREATE FUNCTION`")
            ))
        })
        .collect()
}

/// `down_does_not_undo_up`: replaying down after up does not give back the schema before.
pub fn down_does_not_undo_up(
    migration: &MigrationFiles,
    differences: &[Change],
    directives: &[Directive],
) -> Option<Diagnostic> {
    if differences.is_empty() || allowed(directives, codes::DOWN_DOES_NOT_UNDO_UP.name) {
        return None;
    }
    let mut d = Diagnostic::error(
        codes::DOWN_DOES_NOT_UNDO_UP,
        format!(
            "down.sql of migration `{}` does not undo its up.sql",
            migration.dir_name
        ),
    )
    .at(&Origin::new(&migration.down, 1, 1));
    const SHOWN: usize = 8;
    for c in differences.iter().take(SHOWN) {
        d = d.note(format!("after up then down, still to do: {c}"));
    }
    if differences.len() > SHOWN {
        d = d.note(format!("... and {} more", differences.len() - SHOWN));
    }
    Some(d.help(format!(
        "make down.sql restore exactly the schema before up.sql; {}",
        allow_help(
            codes::DOWN_DOES_NOT_UNDO_UP.name,
            "in down.sql when the migration cannot be undone"
        )
    )))
}

const UNMIGRATED_HELP: &str = "add a migration that creates it, then run `schema sum`; if it is created outside migrations on purpose, write `-- schema: allow(unmigrated_object)` above it";

/// `unmigrated_object`: a table, enum type, sequence, schema or extension that
/// schema.sql declares and no migration creates, reported for one `change` of
/// the drift from the migrated to the `declared` schema.
///
/// `None` for any other change, for a table or enum type whose declaration
/// allows the lint, and for a schema `declared` does not hold. Which changes
/// another report already covers (a sequence owned by a missing column, a
/// schema other objects are created in) is for the caller, [`crate::diff::drift`].
pub fn unmigrated_object(change: &Change, declared: &Schema) -> Option<Diagnostic> {
    let d = match change {
        Change::CreateTable(t) => {
            if t.directives.allows(codes::UNMIGRATED_OBJECT.name) {
                return None;
            }
            Diagnostic::error(
                codes::UNMIGRATED_OBJECT,
                format!(
                    "table `{}` is declared at {} but no migration creates it",
                    t.name, t.origin
                ),
            )
            .at(&t.origin)
            .label("declared here")
            .help(UNMIGRATED_HELP)
        }
        Change::CreateEnum(e) => {
            if e.directives.allows(codes::UNMIGRATED_OBJECT.name) {
                return None;
            }
            Diagnostic::error(
                codes::UNMIGRATED_OBJECT,
                format!(
                    "enum type `{}` is declared at {} but no migration creates it",
                    e.name, e.origin
                ),
            )
            .at(&e.origin)
            .help(UNMIGRATED_HELP)
        }
        Change::CreateDomain(d) => {
            if d.directives.allows(codes::UNMIGRATED_OBJECT.name) {
                return None;
            }
            Diagnostic::error(
                codes::UNMIGRATED_OBJECT,
                format!(
                    "domain `{}` is declared at {} but no migration creates it",
                    d.name, d.origin
                ),
            )
            .at(&d.origin)
            .label("declared here")
            .help(UNMIGRATED_HELP)
        }
        Change::CreateComposite(c) => {
            if c.directives.allows(codes::UNMIGRATED_OBJECT.name) {
                return None;
            }
            Diagnostic::error(
                codes::UNMIGRATED_OBJECT,
                format!(
                    "composite type `{}` is declared at {} but no migration creates it",
                    c.name, c.origin
                ),
            )
            .at(&c.origin)
            .label("declared here")
            .help(UNMIGRATED_HELP)
        }
        Change::CreateView(v) => {
            if v.directives.allows(codes::UNMIGRATED_OBJECT.name) {
                return None;
            }
            Diagnostic::error(
                codes::UNMIGRATED_OBJECT,
                format!(
                    "{} `{}` is declared at {} but no migration creates it",
                    v.describe(),
                    v.name,
                    v.origin
                ),
            )
            .at(&v.origin)
            .label("declared here")
            .help(UNMIGRATED_HELP)
        }
        Change::CreateSequence(s) => Diagnostic::error(
            codes::UNMIGRATED_OBJECT,
            format!(
                "sequence `{}` is declared at {} but no migration creates it",
                s.name, s.origin
            ),
        )
        .at(&s.origin)
        .help(UNMIGRATED_HELP),
        Change::CreateSchema(n) => {
            let ns = declared.namespaces.get(&QualifiedName::global(n))?;
            Diagnostic::error(
                codes::UNMIGRATED_OBJECT,
                format!(
                    "schema `{n}` is declared at {} but no migration creates it",
                    ns.origin
                ),
            )
            .at(&ns.origin)
            .label("declared here")
            .help(format!(
                "add a migration with `CREATE SCHEMA {n};`, then run `schema sum`"
            ))
        }
        Change::CreateExtension(e) => Diagnostic::error(
            codes::UNMIGRATED_OBJECT,
            format!(
                "extension `{}` is declared at {} but no migration creates it",
                e.name, e.origin
            ),
        )
        .at(&e.origin)
        .label("declared here")
        .help("add a migration with the same `CREATE EXTENSION` statement, then run `schema sum`"),
        Change::CreateFunction { function: f, .. } => {
            if f.directives.allows(codes::UNMIGRATED_OBJECT.name) {
                return None;
            }
            Diagnostic::error(
                codes::UNMIGRATED_OBJECT,
                format!(
                    "{} `{}` is declared at {} but no migration creates it",
                    f.kind.describe(),
                    f.signature(),
                    f.origin
                ),
            )
            .at(&f.origin)
            .label("declared here")
            .help(UNMIGRATED_HELP)
        }
        Change::CreateOther(o) => {
            if o.directives.allows(codes::UNMIGRATED_OBJECT.name) {
                return None;
            }
            Diagnostic::error(
                codes::UNMIGRATED_OBJECT,
                format!(
                    "{} is declared at {} but no migration creates it",
                    o.identity, o.origin
                ),
            )
            .at(&o.origin)
            .label("declared here")
            .help(UNMIGRATED_HELP)
        }
        _ => return None,
    };
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    fn declared(sql: &str) -> Schema {
        match crate::parse::parse_schema_str("schema.sql", sql) {
            Ok(s) => s,
            Err(d) => panic!("{}", crate::diagnostic::render_all(&d, false)),
        }
    }

    #[test]
    fn security_definer_without_search_path_is_a_located_warning() {
        let schema = declared(
            "CREATE TABLE t (id int PRIMARY KEY);\n\
             CREATE FUNCTION open_door() RETURNS void\n  LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';\n\
             CREATE FUNCTION safe_door() RETURNS void\n  LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS 'SELECT 1';\n\
             -- schema: allow(security_definer_search_path)\n\
             CREATE FUNCTION allowed_door() RETURNS void LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';\n\
             CREATE FUNCTION invoker() RETURNS void LANGUAGE sql AS 'SELECT 1';\n",
        );
        let found = security_definer_without_search_path(&schema);
        assert_eq!(found.len(), 1, "{found:?}");
        let d = &found[0];
        assert_eq!(d.code.id, "S0206");
        assert_eq!(d.code.name, "security_definer_search_path");
        assert_eq!(d.severity, Severity::Warning);
        assert!(d.message.contains("open_door()"), "{}", d.message);
        let at = d.origin.as_ref().map(|o| (o.line, o.column));
        assert_eq!(at, Some((2, 17)));
        assert!(
            d.help.iter().any(|h| h.contains("SET search_path")),
            "{d:?}"
        );
    }
}
