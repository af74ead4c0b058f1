//! Replaying the migration history: each up.sql applied in order gives the
//! *migrated* schema; after each up its down is replayed (journaled, then rolled
//! back) and must give back the schema before it.

use crate::diagnostic::Diagnostic;
use crate::diff;
use crate::lint;
use crate::migrations::MigrationFiles;
use crate::model::{Journal, ObjectMap, Schema, SchemaJournal};
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
        schema.begin_journal();
        let up_statements = apply_file(&mut schema, &up, Mode::Migration, diagnostics);
        let up_journal = schema.take_journal();
        if up.statements.is_empty() && diagnostics.len() == before_count {
            diagnostics.extend(lint::empty_migration(m, 0, &up.all_directives()));
        }
        if diagnostics.len() == before_count {
            // Down runs on the migrated schema itself, journaled, then is rolled back.
            schema.begin_journal();
            apply_file(&mut schema, &down, Mode::Migration, diagnostics);
            let down_journal = schema.take_journal();
            if diagnostics.len() == before_count {
                let (undone, before) = touched(&schema, &up_journal, &down_journal);
                if undone != before {
                    let left = diff::compare(&undone, &before);
                    diagnostics.extend(lint::down_does_not_undo_up(m, &left, &directives));
                }
            }
            schema.roll_back(down_journal);
        }
        out.push(ReplayedMigration {
            files: m.clone(),
            up_statements,
            directives,
        });
    }
    Replay {
        migrated: schema,
        migrations: out,
    }
}

/// The objects a migration's up or down touched, as they are now (`undone`) and
/// as they were before the up (`before`): the prior value recorded by the up's
/// journal, else by the down's (what the up left untouched is as it was).
fn touched(now: &Schema, up: &SchemaJournal, down: &SchemaJournal) -> (Schema, Schema) {
    fn pick<V: Clone>(
        now: &ObjectMap<V>,
        up: &Journal<V>,
        down: &Journal<V>,
        undone: &mut ObjectMap<V>,
        before: &mut ObjectMap<V>,
    ) {
        for name in up.keys().chain(down.keys()) {
            if let Some(v) = now.entry_arc(name) {
                undone.insert_arc(name.clone(), v);
            }
            let prior = up.get(name).or_else(|| down.get(name)).cloned().flatten();
            if let Some(v) = prior {
                before.insert_arc(name.clone(), v);
            }
        }
    }
    let (mut undone, mut before) = (Schema::new(), Schema::new());
    pick(
        &now.tables,
        &up.tables,
        &down.tables,
        &mut undone.tables,
        &mut before.tables,
    );
    pick(
        &now.enums,
        &up.enums,
        &down.enums,
        &mut undone.enums,
        &mut before.enums,
    );
    pick(
        &now.sequences,
        &up.sequences,
        &down.sequences,
        &mut undone.sequences,
        &mut before.sequences,
    );
    (undone, before)
}
