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

use crate::diagnostic::{Diagnostic, Origin, codes};
use crate::diff::Change;
use crate::directive::Directive;
use crate::migrations::MigrationFiles;
use crate::model::Schema;

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
pub fn missing_primary_keys(declared: &Schema) -> Vec<Diagnostic> {
    declared
        .tables
        .values()
        .filter(|t| t.primary_key().is_none())
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
