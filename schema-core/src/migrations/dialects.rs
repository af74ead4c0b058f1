//! Each migration's SQL in every dialect. PostgreSQL runs the file's own text;
//! another dialect runs the migration's changes (from replay: the objects it
//! touched before and after, and its renames) rendered for it. A file holding
//! data statements (`INSERT`, `UPDATE`, `DELETE`) runs step by step: the
//! schema changes before each data statement, then the statement as written
//! (so it meets the tables as they are at that point), and so on.
//!
//! What SQLite cannot run is found at check time too ([`sqlite_lints`],
//! `S0205/sqlite_unsupported`): a data statement in PostgreSQL's own syntax,
//! names that differ only in case, a table without columns. A migration that
//! never runs on SQLite says so with `-- schema: allow(sqlite_unsupported)`;
//! its SQLite rendering is then the refusal the migrator reports.

use crate::diagnostic::{Diagnostic, Origin, codes};
use crate::diff;
use crate::migrations::replay::{ReplayedMigration, Step};
use crate::model::Schema;
use crate::parse::directive::Directive;
use crate::render::sqlite::{case_collisions, data};
use crate::render::{Renderer, Statement, Unsupported, to_script};

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
    let up = if m.up_steps.is_empty() {
        let up = diff::diff(&m.before, &m.after, &m.renames);
        renderer.render(&up, &m.before, &m.after)?
    } else {
        steps(&m.up_steps, renderer)?
    };
    let down = if m.down_steps.is_empty() {
        let down = diff::diff(&m.after, &m.before, &m.renames.inverse());
        renderer.render(&down, &m.after, &m.before)?
    } else {
        steps(&m.down_steps, renderer)?
    };
    Ok(DialectSql {
        up: to_script(&up),
        down: to_script(&down),
    })
}

/// A file's steps in order: each group of schema changes rendered, each data
/// statement as the dialect runs it. When a group switched foreign keys off
/// (a table rebuild), the data statements after its check are checked too.
fn steps(steps: &[Step], renderer: &dyn Renderer) -> Result<Vec<Statement>, Unsupported> {
    const FK_OFF: &str = "PRAGMA foreign_keys=OFF;";
    const FK_ON: &str = "PRAGMA foreign_keys=ON;";
    let mut out = Vec::new();
    for step in steps {
        match step {
            Step::Schema {
                before,
                after,
                renames,
            } => {
                let changes = diff::diff(before, after, renames);
                out.extend(renderer.render(&changes, before, after)?);
            }
            Step::Data(d) => out.push(renderer.data_statement(&d.text, &d.origin)?),
        }
    }
    let fk_off = out.iter().any(|s| s.sql == FK_OFF);
    if fk_off && out.last().is_some_and(|s| s.sql != FK_ON) {
        out.push(Statement {
            comments: vec!["any row returned here is a foreign key the migration broke".into()],
            sql: "PRAGMA foreign_key_check;".into(),
        });
    }
    Ok(out)
}

/// The `sqlite_unsupported` lints of one migration: replay's whole schema
/// before and after its up.sql, the objects up.sql left (`touched`), and the
/// steps of its files. Nothing when the migration allows the lint.
pub fn sqlite_lints(
    before: &Schema,
    after: &Schema,
    touched: &Schema,
    steps: [&[Step]; 2],
    directives: &[Directive],
) -> Vec<Diagnostic> {
    let name = codes::SQLITE_UNSUPPORTED.name;
    if directives.iter().any(|d| d.allows(name)) {
        return Vec::new();
    }
    let allow = format!(
        "if this migration never runs on SQLite, write `-- schema: allow({name})` in its up.sql"
    );
    let mut out = Vec::new();
    for step in steps.into_iter().flatten() {
        let Step::Data(d) = step else { continue };
        if let Err(r) = data::check(&d.text) {
            let column = if r.line == 1 {
                d.origin.column + r.column - 1
            } else {
                r.column
            };
            let at = Origin::clamped(&d.origin.source, d.origin.line + r.line - 1, column);
            out.push(
                Diagnostic::error(
                    codes::SQLITE_UNSUPPORTED,
                    format!("SQLite cannot run this data statement: {}", r.what),
                )
                .at(&at)
                .related(&d.origin, "in this statement, which SQLite runs as written")
                .help(format!("{}; {allow}", r.help)),
            );
        }
    }
    let known = case_collisions(before);
    for c in case_collisions(after) {
        if known.contains(&c) {
            continue;
        }
        let [(first, first_at), (second, second_at)] = &c.objects;
        out.push(
            Diagnostic::error(
                codes::SQLITE_UNSUPPORTED,
                format!("{second} and {first} differ only in case: SQLite reads them as one name"),
            )
            .at(second_at)
            .label("this migration makes the second one")
            .related(first_at, format!("{first} is here"))
            .help(format!("rename one of them; {allow}")),
        );
    }
    for t in touched.tables.values().filter(|t| t.columns.is_empty()) {
        out.push(
            Diagnostic::error(
                codes::SQLITE_UNSUPPORTED,
                format!("table `{}` has no columns: SQLite cannot hold it", t.name),
            )
            .at(&t.origin)
            .help(format!(
                "give it a column (or drop the table rather than its last column); {allow}"
            )),
        );
    }
    out
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
        sqlite: rendered(m, &crate::render::Sqlite).map_err(|e| e.to_string()),
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
