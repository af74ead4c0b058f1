//! The whole compile-time pipeline: a [`Project`] (schema.sql + migrations/) in,
//! an [`Analysis`] or every diagnostic out. Macro, build helper and CLI all call
//! [`analyze`], so they reach the same verdict.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Source, codes};
use crate::diff::drift::drift;
use crate::lint;
use crate::migrations::replay::{Replay, replay_onto};
use crate::migrations::{self, MigrationFiles};
use crate::model::Schema;
use crate::parse::{self, Mode};

/// Where a project's schema file and migrations are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// The project root (the crate's manifest directory, or the current directory).
    pub root: PathBuf,
    /// The schema file, relative to `root` unless absolute.
    pub schema: PathBuf,
    /// The migrations directory, relative to `root` unless absolute.
    pub migrations: PathBuf,
    /// How the online lints (`S05xx`) report.
    pub online: crate::lint::online::Settings,
}

impl Project {
    /// A project at `root` with the defaults `schema.sql` and `migrations/`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Project {
            root: root.into(),
            schema: PathBuf::from("schema.sql"),
            migrations: PathBuf::from("migrations"),
            online: crate::lint::online::Settings::default(),
        }
    }

    /// Uses other online-lint settings.
    #[must_use]
    pub fn with_online(mut self, online: crate::lint::online::Settings) -> Self {
        self.online = online;
        self
    }

    /// Uses another schema file.
    #[must_use]
    pub fn with_schema(mut self, path: impl Into<PathBuf>) -> Self {
        self.schema = path.into();
        self
    }

    /// Uses another migrations directory.
    #[must_use]
    pub fn with_migrations(mut self, path: impl Into<PathBuf>) -> Self {
        self.migrations = path.into();
        self
    }

    /// The schema file's full path.
    pub fn schema_path(&self) -> PathBuf {
        if self.schema.is_absolute() {
            self.schema.clone()
        } else {
            self.root.join(&self.schema)
        }
    }

    /// The migrations directory's full path.
    pub fn migrations_path(&self) -> PathBuf {
        migrations::resolve_migrations_dir(&self.root, Some(&self.migrations))
    }

    /// How to show `path` to the user: relative to the root when inside it.
    pub fn display(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }
}

/// Everything the engine learned about a project that checks clean.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// What schema.sql declares.
    pub declared: Schema,
    /// The replayed history (and the migrated schema).
    pub replay: Replay,
    /// Warnings (never errors).
    pub warnings: Vec<Diagnostic>,
}

/// Everything read from a project, kept even when it has errors, so tools can
/// still show the migration that would fix drift.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// What schema.sql declares (partial when `declared_ok` is false).
    pub declared: Schema,
    /// schema.sql read, parsed and applied without error.
    pub declared_ok: bool,
    /// The replayed history.
    pub replay: Replay,
    /// The history was found, matched schema.sum and replayed without error
    /// (lints such as an empty migration do not count).
    pub history_ok: bool,
    /// Every diagnostic, errors and warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    /// The migration that would bring the migrations in line with schema.sql
    /// (PostgreSQL, up and down), when both read cleanly and differ.
    pub fn fixing_migration(&self) -> Option<crate::migrations::generate::GeneratedMigration> {
        if !(self.declared_ok && self.history_ok) {
            return None;
        }
        let renames =
            crate::diff::renames_from_hints(&self.replay.migrated, &self.declared).ok()?;
        crate::migrations::generate::generate(
            &self.replay.migrated,
            &self.declared,
            &renames,
            &crate::render::Postgres,
        )
        .ok()
        .filter(|m| !m.is_empty())
    }

    /// The analysis when there is no error, else every error.
    ///
    /// # Errors
    /// Every error diagnostic, in file order.
    pub fn into_result(self) -> Result<Analysis, Vec<Diagnostic>> {
        let (errors, warnings): (Vec<_>, Vec<_>) =
            self.diagnostics.into_iter().partition(Diagnostic::is_error);
        if errors.is_empty() {
            Ok(Analysis {
                declared: self.declared,
                replay: self.replay,
                warnings,
            })
        } else {
            Err(errors)
        }
    }
}

/// Reads and checks a project: parse schema.sql, discover and verify the
/// migrations against schema.sum, replay them, lint, and compare.
///
/// # Errors
/// Every diagnostic found, in file order; never only the first.
pub fn analyze(project: &Project) -> Result<Analysis, Vec<Diagnostic>> {
    load(project).into_result()
}

/// Reads a project like [`analyze`], keeping the models whatever the diagnostics.
pub fn load(project: &Project) -> Loaded {
    load_with(project, |_| ()).0
}

/// [`load`], calling `on_declared` on the calling thread with what schema.sql
/// declares (`None` when it has errors) while the history is still being
/// replayed (see [`load_sources_with`]).
pub(crate) fn load_with<T>(
    project: &Project,
    on_declared: impl FnOnce(Option<&Schema>) -> T,
) -> (Loaded, T) {
    let schema_path = project.schema_path();
    let schema_display = project.display(&schema_path);
    let migrations_path = project.migrations_path();
    let migrations_display = project.display(&migrations_path);
    let mut diagnostics = Vec::new();
    let mut readable = true;
    let schema_source = match std::fs::read_to_string(&schema_path) {
        Ok(text) => Source::new(schema_display, text),
        Err(e) => {
            readable = false;
            diagnostics.push(
                Diagnostic::error(
                    codes::IO,
                    format!("cannot read the schema file `{schema_display}`: {e}"),
                )
                .help("create schema.sql with your CREATE TABLE statements, or pass its path (`--schema`)"),
            );
            Source::new(project.display(&schema_path), String::new())
        }
    };
    // The migrations are found and checked against schema.sum on the
    // replay's thread, while schema.sql is read.
    let find = || {
        let (found, mut found_diagnostics) =
            migrations::discover(&migrations_path, &migrations_display);
        found_diagnostics.extend(migrations::sum::verify(
            &migrations_path,
            &migrations_display,
            &found,
        ));
        (found, found_diagnostics)
    };
    // An unreadable schema.sql reads as empty: nothing to hand over.
    let (mut loaded, early, found_diagnostics) =
        load_found_with(&schema_source, find, |declared| {
            on_declared(declared.filter(|_| readable))
        });
    loaded.declared_ok &= readable;
    loaded.history_ok &= found_diagnostics.is_empty();
    diagnostics.extend(found_diagnostics);
    diagnostics.append(&mut loaded.diagnostics);
    diagnostics.extend(project.online.judge(&loaded.replay.online));
    loaded.diagnostics = sorted(diagnostics);
    (loaded, early)
}

/// Orders diagnostics by file, line and column (those without a place last).
fn sorted(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            d.origin
                .as_ref()
                .map(|o| (0, o.source.path.clone(), o.line, o.column))
                .unwrap_or((1, String::new(), 0, 0))
        };
        key(a).cmp(&key(b))
    });
    diagnostics
}

/// The pure core of [`analyze`]: no file system, inputs already read.
///
/// # Errors
/// Every diagnostic found.
pub fn analyze_sources(
    schema: &Arc<Source>,
    migrations: &[MigrationFiles],
) -> Result<Analysis, Vec<Diagnostic>> {
    let mut loaded = load_sources(schema, migrations);
    let online = crate::lint::online::Settings::default().judge(&loaded.replay.online);
    loaded.diagnostics = sorted(loaded.diagnostics.into_iter().chain(online).collect());
    loaded.into_result()
}

/// The pure core of [`load`], on a big stack (see [`crate::stack`]): sqlparser
/// recurses at every parenthesis, and a caller's thread may have as little as
/// 2 MiB (a test's, an async runtime's worker).
pub(crate) fn load_sources(schema: &Arc<Source>, migrations: &[MigrationFiles]) -> Loaded {
    load_sources_with(schema, migrations, |_| ()).0
}

/// [`load_sources`], calling `on_declared` on the calling thread with what
/// schema.sql declares as soon as it is read, while the history is still
/// being replayed on other threads (`schema!()` generates its models there:
/// tokens can only be made on the compiler's thread). `on_declared` gets
/// `None` when schema.sql has errors.
///
/// schema.sql and the history are read at once: the replay starts from
/// schema.sql's project settings ([`Schema::privileges_ignored`]), guessed
/// from its text first; when the guess is wrong, the history is replayed
/// again from the right start, so the result never depends on the guess.
pub(crate) fn load_sources_with<T>(
    schema: &Arc<Source>,
    migrations: &[MigrationFiles],
    on_declared: impl FnOnce(Option<&Schema>) -> T,
) -> (Loaded, T) {
    let (loaded, early, ()) = load_found_with(schema, || (migrations, ()), on_declared);
    (loaded, early)
}

/// [`load_sources_with`], the history found by `find` on the replay's thread
/// (so that reading the migrations directory and checking schema.sum happen
/// while schema.sql is read), with what `find` also returns.
fn load_found_with<M, X, T>(
    schema: &Arc<Source>,
    find: impl FnOnce() -> (M, X) + Send,
    on_declared: impl FnOnce(Option<&Schema>) -> T,
) -> (Loaded, T, X)
where
    M: std::ops::Deref<Target = [MigrationFiles]> + Send + Sync,
    X: Send,
{
    let guess = likely_ignores_privileges(&schema.text);
    let replay_from = |privileges_ignored: bool, migrations: &[MigrationFiles]| {
        let mut diagnostics = Vec::new();
        let start = Schema {
            privileges_ignored,
            ..Schema::new()
        };
        let replay = replay_onto(start, migrations, &mut diagnostics);
        (replay, diagnostics)
    };
    let ((migrations, found, replayed), (declared, mut diagnostics, declared_ok, early)) =
        crate::stack::join(
            || {
                let (migrations, found) = find();
                let replayed = replay_from(guess, &migrations);
                (migrations, found, replayed)
            },
            || {
                // Each statement applied as soon as it is read: a syntax tree
                // is several times its text, and only one is kept at a time.
                let (declared, diagnostics, declared_ok) = crate::stack::on_big_stack(|| {
                    let mut declared = Schema::new();
                    let mut diagnostics =
                        parse::apply::parse_and_apply(schema, &mut declared, Mode::Declarative);
                    let declared_ok = !diagnostics.iter().any(Diagnostic::is_error);
                    diagnostics.extend(lint::missing_primary_keys(&declared));
                    diagnostics.extend(lint::security_definer_without_search_path(&declared));
                    (declared, diagnostics, declared_ok)
                });
                let early = on_declared(declared_ok.then_some(&declared));
                (declared, diagnostics, declared_ok, early)
            },
        );
    let (replay, replay_diagnostics) = if declared.privileges_ignored == guess {
        replayed
    } else {
        drop(replayed);
        crate::stack::on_big_stack(|| replay_from(declared.privileges_ignored, &migrations))
    };
    let history_ok = replay_diagnostics
        .iter()
        .all(|d| d.code.allowable || !d.is_error());
    diagnostics.extend(replay_diagnostics);
    if declared_ok {
        diagnostics.extend(crate::stack::on_big_stack(|| {
            drift(&replay.migrated, &declared)
        }));
    }
    let loaded = Loaded {
        declared,
        declared_ok,
        replay,
        history_ok,
        diagnostics: sorted(diagnostics),
    };
    (loaded, early, found)
}

/// Whether schema.sql likely holds `-- schema: ignore(privileges)`: `schema:`
/// followed on its line by `ignore` and `privileges` or `grants`. Only a
/// guess (the replay is run again when it is wrong), so quotes and comments
/// are not read.
fn likely_ignores_privileges(text: &str) -> bool {
    text.match_indices("schema:").any(|(at, _)| {
        let line = text[at..].lines().next().unwrap_or_default();
        line.contains("ignore") && (line.contains("privileges") || line.contains("grants"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrations::discover::in_memory;

    /// The history is replayed from schema.sql's settings while schema.sql is
    /// read, from a guess: a wrong guess must not show in the result.
    #[test]
    fn the_history_starts_from_schema_sql_settings_whatever_the_guess() {
        let table = "create table t (id int primary key, note text);\n";
        let cases = [
            // (schema.sql, what it sets, whether the guess is right)
            (
                format!("-- schema: ignore(privileges)\n{table}"),
                true,
                true,
            ),
            (format!("--schema:ignore( grants )\n{table}"), true, true),
            (table.to_string(), false, true),
            // The guess reads no quotes: here it is wrong, and the history
            // is replayed again.
            (
                "create table t (id int primary key, \
                 note text default 'schema: ignore(privileges)');\n"
                    .to_string(),
                false,
                false,
            ),
        ];
        let history = [in_memory(
            1,
            &format!("{table}grant select on t to public;\nalter table t owner to postgres;\n"),
            "drop table t;\n",
        )];
        for (text, ignored, guessed_right) in cases {
            assert_eq!(
                likely_ignores_privileges(&text) == ignored,
                guessed_right,
                "{text}"
            );
            let source = Source::new("schema.sql", text.as_str());
            let (loaded, seen) = load_sources_with(&source, &history, |declared| {
                declared.map(|d| d.privileges_ignored)
            });
            assert_eq!(seen, Some(ignored), "{text}");
            assert_eq!(loaded.declared.privileges_ignored, ignored, "{text}");
            let mut diagnostics = Vec::new();
            let start = Schema {
                privileges_ignored: ignored,
                ..Schema::new()
            };
            let expected = replay_onto(start, &history, &mut diagnostics);
            assert_eq!(loaded.replay.migrated, expected.migrated, "{text}");
            assert_eq!(
                loaded.replay.migrated.privileges.len(),
                usize::from(!ignored)
            );
            let replayed: Vec<_> = loaded
                .diagnostics
                .iter()
                .filter(|d| {
                    d.origin
                        .as_ref()
                        .is_some_and(|o| o.source.path != "schema.sql")
                })
                .cloned()
                .collect();
            assert_eq!(replayed, diagnostics, "{text}");
        }
    }
}
