//! Writing the next migration: the up from `diff(from, to)` and the down from the
//! inverse diff, rendered for one dialect, with data loss spelled out.

use crate::diff::{self, Change, Renames};
use crate::model::Schema;
use crate::render::{Renderer, Statement, Unsupported, data_loss, to_script};

/// A generated migration: its up and down SQL and what it would destroy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedMigration {
    /// The changes of the up, in order.
    pub changes: Vec<Change>,
    /// up.sql statements.
    pub up: Vec<Statement>,
    /// down.sql statements.
    pub down: Vec<Statement>,
    /// One line per destructive change of the up (drop table, drop column,
    /// narrowing type, removed enum label).
    pub destructive: Vec<String>,
}

impl GeneratedMigration {
    /// True when there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// up.sql as text.
    pub fn up_sql(&self) -> String {
        to_script(&self.up)
    }

    /// down.sql as text.
    pub fn down_sql(&self) -> String {
        to_script(&self.down)
    }
}

/// The migration from `from` to `to` (the down goes back), rendered by `renderer`.
///
/// # Errors
/// When the dialect cannot express one of the changes.
pub fn generate(
    from: &Schema,
    to: &Schema,
    renames: &Renames,
    renderer: &dyn Renderer,
) -> Result<GeneratedMigration, Unsupported> {
    let changes = diff::diff(from, to, renames);
    let back = diff::diff(to, from, &renames.inverse());
    let up = renderer.render(&changes, from, to)?;
    let mut down = renderer.render(&back, to, from)?;
    let lost: Vec<String> = changes.iter().filter_map(data_loss).collect();
    if !lost.is_empty() {
        if let Some(first) = down.first_mut() {
            first.comments.insert(
                0,
                "up.sql destroys data; this down.sql restores the schema, not the data".to_string(),
            );
        }
    }
    Ok(GeneratedMigration {
        changes,
        up,
        down,
        destructive: lost,
    })
}
