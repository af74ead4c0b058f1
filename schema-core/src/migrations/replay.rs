//! Replaying the migration history: each up.sql applied in order gives the
//! *migrated* schema; after each up its down is replayed on a snapshot and must
//! give back the schema before it.

use crate::diagnostic::Diagnostic;
use crate::diff;
use crate::lint;
use crate::migrations::MigrationFiles;
use crate::model::Schema;
use crate::parse::directive::{Directive, DirectiveKind};
use crate::parse::{self, Mode, apply::apply_file};

/// What replay learned about one migration.
#[derive(Debug, Clone)]
pub struct ReplayedMigration {
    /// The files.
    pub files: MigrationFiles,
    /// Statements in up.sql.
    pub up_statements: usize,
    /// Directives of up.sql and down.sql.
    pub directives: Vec<Directive>,
    /// The schema after this migration's up.
    pub after: Schema,
}

impl ReplayedMigration {
    /// True when the migration asks to run outside a transaction.
    pub fn no_transaction(&self) -> bool {
        self.directives
            .iter()
            .any(|d| d.kind == DirectiveKind::NoTransaction)
    }
}

/// The result of replaying a whole history.
#[derive(Debug, Clone, Default)]
pub struct Replay {
    /// The schema after every up.sql.
    pub migrated: Schema,
    /// Each migration, in order.
    pub migrations: Vec<ReplayedMigration>,
}

/// Replays `migrations` in order onto an empty schema, pushing every parse,
/// replay and lint diagnostic into `diagnostics`.
pub fn replay(migrations: &[MigrationFiles], diagnostics: &mut Vec<Diagnostic>) -> Replay {
    let mut schema = Schema::new();
    let mut out = Vec::with_capacity(migrations.len());
    for m in migrations {
        let before_count = diagnostics.len();
        let (up, up_diags) = parse::parse_file(&m.up);
        let (down, down_diags) = parse::parse_file(&m.down);
        diagnostics.extend(up_diags);
        diagnostics.extend(down_diags);
        let mut directives = up.all_directives();
        directives.extend(down.all_directives());
        let before = schema.clone();
        let up_statements = apply_file(&mut schema, &up, Mode::Migration, diagnostics);
        if up.statements.is_empty() && diagnostics.len() == before_count {
            diagnostics.extend(lint::empty_migration(m, 0, &up.all_directives()));
        }
        if diagnostics.len() == before_count {
            let mut undone = schema.clone();
            apply_file(&mut undone, &down, Mode::Migration, diagnostics);
            if diagnostics.len() == before_count {
                let left = diff::compare(&undone, &before);
                diagnostics.extend(lint::down_does_not_undo_up(m, &left, &directives));
            }
        }
        out.push(ReplayedMigration {
            files: m.clone(),
            up_statements,
            directives,
            after: schema.clone(),
        });
    }
    Replay {
        migrated: schema,
        migrations: out,
    }
}
