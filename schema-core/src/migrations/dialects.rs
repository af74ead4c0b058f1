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

use std::sync::Arc;

use crate::Dialect;
use crate::diagnostic::{Diagnostic, Origin, Source, codes};
use crate::diff;
use crate::directive::Directive;
use crate::migrations::replay::{ReplayedMigration, Step};
use crate::model::Schema;
use crate::render::sqlite::{CaseIndex, data, new_case_collisions_indexed};
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

/// The migration in `dialect`: PostgreSQL's is the files as written, the others
/// are rendered from the replayed changes.
///
/// # Errors
/// When the dialect cannot express one of the migration's changes.
pub fn sql(m: &ReplayedMigration, dialect: Dialect) -> Result<DialectSql, Unsupported> {
    match dialect {
        Dialect::Postgres => Ok(postgres(m)),
        other => rendered(m, other.renderer()),
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

/// The `sqlite_unsupported` lints of one migration: its up.sql, the objects
/// up.sql touched as they were before it (`before`), replay's whole schema
/// after it, the objects up.sql left (`touched`), the steps of its files, and
/// the relation names of `after` ([`CaseIndex`]). Nothing when the migration allows the lint.
pub(crate) fn sqlite_lints(
    up: &Arc<Source>,
    before: &Schema,
    after: &Schema,
    touched: &Schema,
    steps: [&[Step]; 2],
    directives: &[Directive],
    names: &CaseIndex,
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
                d.origin.column.saturating_add(r.column - 1)
            } else {
                r.column
            };
            let line = d.origin.line.saturating_add(r.line - 1);
            let at = Origin::clamped(&d.origin.source, line, column);
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
    for c in new_case_collisions_indexed(before, after, touched, names) {
        // The object this migration's up.sql declares comes first.
        let [a, b] = &c.objects;
        let ((new, new_at), (old, old_at)) = if Arc::ptr_eq(&b.1.source, up) {
            (b, a)
        } else {
            (a, b)
        };
        out.push(
            Diagnostic::error(
                codes::SQLITE_UNSUPPORTED,
                format!("{new} and {old} differ only in case: SQLite reads them as one name"),
            )
            .at(new_at)
            .label("declared here")
            .related(old_at, format!("{old} is here"))
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
    // Rendering re-reads expressions: on a stack of its own, as schema!()
    // calls this on the compiler's thread.
    let sqlite = crate::stack::on_big_stack(|| sql(m, Dialect::Sqlite).map_err(|e| e.to_string()));
    embedded_with_sqlite(m, sqlite)
}

/// [`embedded`] with its SQLite script already rendered (by an earlier
/// process, for the same history).
pub(crate) fn embedded_with_sqlite(
    m: &ReplayedMigration,
    sqlite: Result<DialectSql, String>,
) -> Embedded {
    Embedded {
        version: m.files.version,
        name: m.files.slug.clone(),
        checksum: crate::migrations::checksum(&m.files.up.text),
        no_transaction: m.no_transaction(),
        postgres: postgres(m),
        sqlite,
    }
}

/// The schema a whole history leaves, created at once: what the migrator may
/// run on an empty database instead of every migration (see
/// `Options::fresh_database` in the runtime).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fresh {
    /// For PostgreSQL, when every migration can be replaced by it.
    pub postgres: Option<String>,
    /// For SQLite, when every migration can be replaced by it and SQLite runs
    /// them all.
    pub sqlite: Option<String>,
}

/// The migrated schema of `replay` created from nothing, in each dialect, when
/// the history allows it: every migration changes only the schema (a data
/// statement's rows would be lost) and runs in a transaction (a
/// `no-transaction` migration cannot share one). The script is rendered from
/// the replayed model, the same one `schema check` proves equal to what the
/// migrations build; `verify` after it compares the database with it too.
/// `embedded` are the history's migrations as [`embedded`] gives them (SQLite
/// gets a script only when it runs every one of them).
pub fn fresh(replay: &crate::migrations::replay::Replay, embedded: &[Embedded]) -> Fresh {
    let eligible = !replay.migrations.is_empty()
        && replay
            .migrations
            .iter()
            .all(|m| m.up_steps.is_empty() && !m.no_transaction());
    if !eligible {
        return Fresh::default();
    }
    let empty = Schema {
        privileges_ignored: replay.migrated.privileges_ignored,
        ..Schema::new()
    };
    let to = &replay.migrated;
    let changes = diff::diff(&empty, to, &diff::Renames::default());
    let render = |dialect: Dialect| {
        // Rendering walks expressions: on a stack of its own.
        crate::stack::on_big_stack(|| dialect.renderer().render(&changes, &empty, to))
            .ok()
            .map(|statements| to_script(&statements))
    };
    let sqlite_runs_all = embedded.iter().all(|e| e.sqlite.is_ok());
    Fresh {
        postgres: render(Dialect::Postgres),
        sqlite: sqlite_runs_all.then(|| render(Dialect::Sqlite)).flatten(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::codes;
    use crate::migrations::replay::replay;
    use crate::render::Sqlite;

    use crate::migrations::MigrationFiles;
    use crate::migrations::discover::in_memory as m;

    /// The error messages of replaying `history`, with their line and column.
    fn lints(history: &[(&str, &str)]) -> Vec<(String, u32, u32)> {
        let files: Vec<MigrationFiles> = (1..)
            .zip(history)
            .map(|(n, (up, down))| m(n, up, down))
            .collect();
        let mut diags = Vec::new();
        replay(&files, &mut diags);
        diags
            .iter()
            .map(|d| {
                assert_eq!(d.code, codes::SQLITE_UNSUPPORTED, "{d:?}");
                let o = d.origin.as_ref().map_or((0, 0), |o| (o.line, o.column));
                (d.message.clone(), o.0, o.1)
            })
            .collect()
    }

    #[test]
    fn data_statements_run_in_their_place() {
        let up = "CREATE TABLE t (id int PRIMARY KEY, a text NOT NULL, old text);\n\
                  INSERT INTO t (id, a, old) VALUES (1, 'x;y', 'o');\n\
                  ALTER TABLE t DROP COLUMN old;\n\
                  ALTER TABLE t ADD COLUMN n int NOT NULL DEFAULT 0;\n\
                  UPDATE t\n  SET n = 2;\n\
                  ALTER TABLE t ALTER COLUMN a SET DEFAULT '';\n\
                  DELETE FROM t WHERE n = 3;\n";
        let down = "DELETE FROM t;\nDROP TABLE t;\n";
        let mut diags = Vec::new();
        let r = replay(&[m(1, up, down)], &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        let sql = rendered(&r.migrations[0], &Sqlite).unwrap_or_else(|e| panic!("{e}"));
        let order = [
            "CREATE TABLE \"t\"",
            "INSERT INTO t (id, a, old) VALUES (1, 'x;y', 'o');",
            "ADD COLUMN \"n\"",
            "DROP COLUMN \"old\"",
            "UPDATE t\n  SET n = 2;",
            "CREATE TABLE \"_new_t\"",
            "DELETE FROM t WHERE n = 3;",
        ];
        let at: Vec<usize> = order
            .iter()
            .map(|s| {
                sql.up
                    .find(s)
                    .unwrap_or_else(|| panic!("no {s:?} in:\n{}", sql.up))
            })
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?} in:\n{}", sql.up);
        // Foreign keys were off for the rebuild: the last data statement is checked too.
        assert!(
            sql.up.trim_end().ends_with("PRAGMA foreign_key_check;"),
            "{}",
            sql.up
        );
        assert!(
            sql.down.starts_with("DELETE FROM t;\n") && sql.down.ends_with("DROP TABLE \"t\";\n"),
            "{}",
            sql.down
        );
        // A file of data statements only is not empty on SQLite.
        let r = replay(
            &[
                m(1, up, down),
                m(
                    2,
                    "INSERT INTO t (id, a) VALUES (2, 'b');",
                    "DELETE FROM t WHERE id = 2;",
                ),
            ],
            &mut diags,
        );
        assert!(diags.is_empty(), "{diags:?}");
        let sql = rendered(&r.migrations[1], &Sqlite).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(sql.up, "INSERT INTO t (id, a) VALUES (2, 'b');\n");
        assert_eq!(sql.down, "DELETE FROM t WHERE id = 2;\n");
    }

    #[test]
    fn what_sqlite_cannot_run_is_an_error_at_check_time_unless_allowed() {
        let table = "CREATE TABLE t (id int PRIMARY KEY, a text);\n";
        let found = lints(&[
            (table, "DROP TABLE t;"),
            (
                "INSERT INTO t VALUES (1, 'a');\nUPDATE t SET a = id::text;\n",
                "DELETE FROM t WHERE a = now();",
            ),
            (
                "CREATE TABLE \"T\" (id int);\nCREATE TABLE e ();\nALTER TABLE t ADD COLUMN \"A\" int;\n",
                "DROP TABLE e;\nDROP TABLE \"T\";\nALTER TABLE t DROP COLUMN \"A\";\n",
            ),
        ]);
        let expected = [
            (
                "SQLite cannot run this data statement: `::` casts are PostgreSQL's",
                2,
                20,
            ),
            (
                "SQLite cannot run this data statement: function `now` does not exist in SQLite",
                1,
                25,
            ),
            (
                "column \"A\" of \"t\" and column \"a\" of \"t\" differ only in case: SQLite reads them as one name",
                3,
                26,
            ),
            (
                "table \"T\" and table \"t\" differ only in case: SQLite reads them as one name",
                1,
                14,
            ),
            ("table `e` has no columns: SQLite cannot hold it", 2, 14),
        ];
        let expected: Vec<(String, u32, u32)> = expected
            .iter()
            .map(|(m, l, c)| ((*m).to_string(), *l, *c))
            .collect();
        let mut found = found;
        found.sort();
        let mut expected = expected;
        expected.sort();
        assert_eq!(found, expected);
        // Allowed, the migration checks; its SQLite rendering is the refusal.
        let allowed =
            "-- schema: allow(sqlite_unsupported)\nINSERT INTO t VALUES (1, now()::text);\n";
        assert_eq!(
            lints(&[(table, "DROP TABLE t;"), (allowed, "DELETE FROM t;")]),
            vec![]
        );
        let mut diags = Vec::new();
        let r = replay(
            &[
                m(1, table, "DROP TABLE t;"),
                m(2, allowed, "DELETE FROM t;"),
            ],
            &mut diags,
        );
        let e = rendered(&r.migrations[1], &Sqlite).expect_err("refused");
        assert_eq!(e.change, "the data statement at up.sql:2:1");
        assert!(e.reason.contains("function `now`"), "{e}");
    }

    #[test]
    fn sqlite_refuses_empty_tables_and_case_only_differences() {
        let mut diags = Vec::new();
        let r = replay(
            &[
                m(1, "CREATE TABLE e ();", "DROP TABLE e;"),
                m(
                    2,
                    "-- schema: allow(sqlite_unsupported)\nCREATE TABLE a (x int, \"X\" int);",
                    "DROP TABLE a;",
                ),
            ],
            &mut diags,
        );
        assert_eq!(diags.len(), 1, "{diags:?}");
        let e = rendered(&r.migrations[0], &Sqlite).expect_err("empty table");
        assert_eq!(e.change, "create table `e`");
        assert!(e.reason.contains("no columns"), "{e}");
        let e = rendered(&r.migrations[1], &Sqlite).expect_err("case clash");
        assert!(
            e.reason
                .contains("column \"X\" of \"a\" and column \"x\" of \"a\" differ only in case"),
            "{e}"
        );
    }

    #[test]
    fn names_that_differ_only_in_case_are_found_as_tables_come_and_go() {
        // Replay keeps the schema's relation names by folded spelling from
        // migration to migration: each clash is found where a scan of the
        // whole schema finds it, and a name that left takes its clash along.
        let history: Vec<MigrationFiles> = [
            (
                "CREATE TABLE users (id int); CREATE INDEX users_idx ON users (id);",
                "DROP TABLE users;",
            ),
            ("CREATE TABLE \"Users\" (id int);", "DROP TABLE \"Users\";"),
            (
                "DROP TABLE users;",
                "CREATE TABLE users (id int); CREATE INDEX users_idx ON users (id);",
            ),
            (
                "CREATE TABLE \"USERS_IDX\" (id int);",
                "DROP TABLE \"USERS_IDX\";",
            ),
            (
                "ALTER TABLE \"Users\" RENAME TO accounts;",
                "ALTER TABLE accounts RENAME TO \"Users\";",
            ),
            (
                "CREATE TABLE \"Accounts\" (id int);",
                "DROP TABLE \"Accounts\";",
            ),
            (
                "CREATE INDEX \"ACCOUNTS\" ON \"Accounts\" (id);",
                "DROP INDEX \"ACCOUNTS\";",
            ),
        ]
        .iter()
        .zip(1..)
        .map(|((up, down), n)| m(n, up, down))
        .collect();
        let mut diags = Vec::new();
        let r = replay(&history, &mut diags);
        let clashes: Vec<(u64, String)> = r
            .migrations
            .iter()
            .flat_map(|m| {
                diags
                    .iter()
                    .filter(|d| {
                        d.origin
                            .as_ref()
                            .is_some_and(|o| Arc::ptr_eq(&o.source, &m.files.up))
                    })
                    .map(|d| (m.files.version, d.message.clone()))
            })
            .collect();
        let expected = [
            (2, "table \"Users\" and table \"users\" differ only in case"),
            (
                6,
                "table \"Accounts\" and table \"accounts\" differ only in case",
            ),
            (
                7,
                "index \"ACCOUNTS\" on \"Accounts\" and table \"Accounts\" differ",
            ),
            (
                7,
                "index \"ACCOUNTS\" on \"Accounts\" and table \"accounts\" differ",
            ),
        ];
        assert_eq!(clashes.len(), expected.len(), "{clashes:#?}");
        for ((version, message), (want_version, want)) in clashes.iter().zip(expected) {
            assert_eq!(*version, want_version, "{clashes:#?}");
            assert!(message.starts_with(want), "{message} / {want}");
        }
    }

    #[test]
    fn a_table_rebuilt_for_sqlite_keeps_its_enum_and_serial_columns() {
        // The enum type and the serial's sequence are not touched by the
        // migration that rebuilds the table, yet SQLite's rendering needs them.
        let mut diags = Vec::new();
        let r = replay(
            &[
                m(
                    1,
                    "CREATE TYPE mood AS ENUM ('ok', 'sad');\n\
                     CREATE TABLE t (id serial PRIMARY KEY, m mood NOT NULL, note text);",
                    "DROP TABLE t; DROP TYPE mood;",
                ),
                m(
                    2,
                    "ALTER TABLE t ADD CONSTRAINT note_short CHECK (length(note) < 10);",
                    "ALTER TABLE t DROP CONSTRAINT note_short;",
                ),
            ],
            &mut diags,
        );
        assert!(diags.is_empty(), "{diags:?}");
        let sql = rendered(&r.migrations[1], &Sqlite).unwrap_or_else(|e| panic!("{e}"));
        assert!(sql.up.contains("AUTOINCREMENT"), "{}", sql.up);
        assert!(sql.up.contains("'sad'"), "{}", sql.up);
        assert!(sql.up.contains("note_short"), "{}", sql.up);
        // Untouched, they are no change of the migration.
        let changes = diff::diff(
            &r.migrations[1].before,
            &r.migrations[1].after,
            &r.migrations[1].renames,
        );
        assert_eq!(changes.len(), 1, "{changes:?}");
    }

    #[test]
    fn a_rename_stays_a_rename_in_sqlite() {
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
