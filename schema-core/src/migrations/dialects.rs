//! Each migration's SQL in every dialect. PostgreSQL runs the file's own text;
//! another dialect runs the migration's changes (from replay: the objects it
//! touched before and after, and its renames) rendered for it.

use crate::diff;
use crate::migrations::replay::ReplayedMigration;
use crate::render::{Renderer, Unsupported, to_script};

/// One migration's up and down SQL in one dialect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialectSql {
    /// The up script.
    pub up: String,
    /// The down script.
    pub down: String,
}

/// The migration as PostgreSQL runs it: the files' own text.
pub fn postgres(m: &ReplayedMigration) -> DialectSql {
    DialectSql {
        up: m.files.up.text.clone(),
        down: m.files.down.text.clone(),
    }
}

/// The migration rendered for another dialect.
///
/// # Errors
/// When the dialect cannot express one of its changes.
pub fn rendered(m: &ReplayedMigration, renderer: &dyn Renderer) -> Result<DialectSql, Unsupported> {
    let up = diff::diff(&m.before, &m.after, &m.renames);
    let down = diff::diff(&m.after, &m.before, &m.renames.inverse());
    Ok(DialectSql {
        up: to_script(&renderer.render(&up, &m.before, &m.after)?),
        down: to_script(&renderer.render(&down, &m.after, &m.before)?),
    })
}

/// Everything the runtime embeds of one migration (`schema_runtime::Migration`),
/// owned: what `schema!()` turns into tokens and the CLI runs as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embedded {
    /// The version.
    pub version: u64,
    /// The slug.
    pub name: String,
    /// SHA-256 of up.sql (see [`crate::migrations::checksum`]).
    pub checksum: String,
    /// `-- schema: no-transaction`.
    pub no_transaction: bool,
    /// The files' own text.
    pub postgres: DialectSql,
    /// Rendered for SQLite, or why it cannot be.
    pub sqlite: Result<DialectSql, String>,
}

/// The migration as the runtime embeds it, in every dialect.
pub fn embedded(m: &ReplayedMigration) -> Embedded {
    Embedded {
        version: m.files.version,
        name: m.files.slug.clone(),
        checksum: crate::migrations::checksum(&m.files.up.text),
        no_transaction: m.no_transaction(),
        postgres: postgres(m),
        // Rendering re-reads expressions: on a stack of its own, as schema!()
        // calls this on the compiler's thread.
        sqlite: crate::stack::on_big_stack(|| {
            rendered(m, &crate::render::Sqlite).map_err(|e| e.to_string())
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Source;
    use crate::migrations::MigrationFiles;
    use crate::migrations::replay::replay;
    use crate::render::Sqlite;

    #[test]
    fn a_rename_stays_a_rename_in_sqlite() {
        let m = |n: u64, up: &str, down: &str| MigrationFiles {
            version: n,
            version_text: n.to_string(),
            slug: "x".into(),
            dir_name: format!("{n}_x"),
            up: Source::new("up.sql", up),
            down: Source::new("down.sql", down),
        };
        let mut diags = Vec::new();
        let r = replay(
            &[
                m(
                    1,
                    "create table t (id int primary key, a text);",
                    "drop table t;",
                ),
                m(
                    2,
                    "alter table t rename column a to b;",
                    "alter table t rename column b to a;",
                ),
            ],
            &mut diags,
        );
        assert!(diags.is_empty(), "{diags:?}");
        let sql = rendered(&r.migrations[1], &Sqlite).unwrap_or_else(|e| panic!("{e}"));
        assert!(sql.up.contains("RENAME COLUMN"), "{}", sql.up);
        assert!(!sql.up.contains("DROP"), "{}", sql.up);
        assert!(sql.down.contains("RENAME COLUMN"), "{}", sql.down);
    }
}
