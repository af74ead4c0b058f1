//! The canonical form against a real server: for each fixture, the model parsed
//! from the SQL equals the model introspected from a PostgreSQL database the
//! same SQL ran on.
//!
//! Each fixture runs in its own fresh database, dropped afterwards; fixtures
//! run in parallel threads, and every failure is reported at once.
//!
//! The fixtures directly in `tests/fixtures/canonical/` are `schema.sql` files
//! (declarative: creates, and the `ALTER` forms pg_dump writes). Those in
//! `tests/fixtures/canonical/migrations/` are migrations (`up.sql`): they alter
//! what they created (`ALTER DOMAIN`, `ALTER TYPE`, `RENAME`, `DETACH`, ...),
//! and the model the replay ends with must equal what PostgreSQL ends with.
//!
//! Views are the one exception to comparing the parsed model directly: a
//! view's query compares by the text PostgreSQL stores for it
//! (`pg_get_viewdef`), so the declared views are first given that text by
//! `schema_runtime::stored::views_as_stored` (the database is the judge);
//! everything else compares as parsed.

#![allow(clippy::panic, reason = "a test reports failure by panicking")]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use postgres::Client;
use schema_core::Schema;
use schema_core::Source;
use schema_core::diagnostic::render_all;
use schema_core::parse::apply::apply_file;
use schema_core::parse::{Mode, parse_file, parse_schema_str};
use schema_runtime::introspect::postgres::introspect;
use schema_runtime::stored::views_as_stored;
use schema_test_support::pg::{self, Server, describe_pg_error};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/canonical")
}

/// True for a fixture that is a migration rather than a `schema.sql`.
fn is_migration(path: &Path) -> bool {
    path.parent()
        .is_some_and(|dir| dir == fixture_dir().join("migrations"))
}

/// The schema `text` declares: parsed as `schema.sql`, or replayed as the one
/// migration's `up.sql` when `migration` (any error diagnostic fails it).
///
/// # Errors
/// Every diagnostic, rendered.
fn declared_schema(shown: &str, text: &str, migration: bool) -> Result<Schema, String> {
    let fail = |diagnostics: &[schema_core::Diagnostic]| {
        format!(
            "{shown} does not parse:\n{}",
            render_all(diagnostics, false)
        )
    };
    if !migration {
        return parse_schema_str(shown, text).map_err(|d| fail(&d));
    }
    // Applied as a migration's up.sql is (the replay's lints about down.sql
    // have nothing to judge here).
    let (file, mut diagnostics) = parse_file(&Source::new(shown, text));
    let mut schema = Schema::new();
    apply_file(&mut schema, &file, Mode::Migration, &mut diagnostics);
    if diagnostics.iter().any(schema_core::Diagnostic::is_error) {
        return Err(fail(&diagnostics));
    }
    Ok(schema)
}

/// The SQL PostgreSQL runs: the file without psql's `\` meta-command lines.
fn server_sql(text: &str) -> String {
    text.lines()
        .filter(|line| !line.starts_with('\\'))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every schema of the database that is not PostgreSQL's own.
fn user_schemas(client: &mut Client) -> Vec<String> {
    match client.query(
        "SELECT nspname::text FROM pg_namespace
         WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'",
        &[],
    ) {
        Ok(rows) => rows.iter().map(|r| r.get(0)).collect(),
        Err(e) => panic!("cannot list schemas: {e}"),
    }
}

/// What differs between the declared and the live schema, object by object,
/// with both sides of each differing object in full.
fn difference(declared: &Schema, live: &Schema) -> String {
    let mut out = String::new();
    for d in declared.all_triggers() {
        let l = live.trigger(&d.table, &d.name);
        if l != Some(d) {
            let _ = writeln!(
                out,
                "trigger `{}`:\n  declared: {d:?}\n  live:     {l:?}",
                d.name
            );
        }
    }
    for l in live.all_triggers() {
        if declared.trigger(&l.table, &l.name).is_none() {
            let _ = writeln!(out, "trigger `{}` only live: {l:?}", l.name);
        }
    }
    for d in declared.all_policies() {
        let l = live.policy(&d.table, &d.name);
        if l != Some(d) {
            let _ = writeln!(
                out,
                "policy `{}`:\n  declared: {d:?}\n  live:     {l:?}",
                d.name
            );
        }
    }
    for l in live.all_policies() {
        if declared.policy(&l.table, &l.name).is_none() {
            let _ = writeln!(out, "policy `{}` only live: {l:?}", l.name);
        }
    }
    let mut names: Vec<_> = declared.tables.keys().chain(live.tables.keys()).collect();
    names.sort();
    names.dedup();
    for name in names {
        let (d, l) = (declared.tables.get(name), live.tables.get(name));
        if d == l {
            continue;
        }
        let _ = writeln!(out, "table `{name}` differs");
        if let (Some(d), Some(l)) = (d, l) {
            let columns = d.columns.len().max(l.columns.len());
            for i in 0..columns {
                let (dc, lc) = (d.columns.get(i), l.columns.get(i));
                if dc != lc {
                    let _ = writeln!(
                        out,
                        "  column #{i}:\n    declared: {dc:?}\n    live:     {lc:?}"
                    );
                }
            }
            let mut keys: Vec<_> = d.constraints.keys().chain(l.constraints.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let (dc, lc) = (d.constraints.get(k), l.constraints.get(k));
                if dc != lc {
                    let _ = writeln!(
                        out,
                        "  constraint `{k}`:\n    declared: {dc:?}\n    live:     {lc:?}"
                    );
                }
            }
            let mut keys: Vec<_> = d.indexes.keys().chain(l.indexes.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let (di, li) = (d.indexes.get(k), l.indexes.get(k));
                if di != li {
                    let _ = writeln!(
                        out,
                        "  index `{k}`:\n    declared: {di:?}\n    live:     {li:?}"
                    );
                }
            }
            if d.comment != l.comment {
                let _ = writeln!(
                    out,
                    "  comment: declared {:?}, live {:?}",
                    d.comment, l.comment
                );
            }
        }
        let _ = writeln!(out, "declared: {d:#?}\nlive: {l:#?}");
    }
    if declared.enums != live.enums {
        let _ = writeln!(
            out,
            "enums differ\ndeclared: {:#?}\nlive: {:#?}",
            declared.enums, live.enums
        );
    }
    let mut domains: Vec<_> = declared.domains.keys().chain(live.domains.keys()).collect();
    domains.sort();
    domains.dedup();
    for name in domains {
        let (d, l) = (declared.domains.get(name), live.domains.get(name));
        if d != l {
            let _ = writeln!(
                out,
                "domain `{name}` differs\ndeclared: {d:#?}\nlive: {l:#?}"
            );
        }
    }
    if declared.composites != live.composites {
        let _ = writeln!(
            out,
            "composite types differ\ndeclared: {:#?}\nlive: {:#?}",
            declared.composites, live.composites
        );
    }
    if declared.namespaces != live.namespaces || declared.extensions != live.extensions {
        let _ = writeln!(
            out,
            "schemas or extensions differ\ndeclared: {:#?} {:#?}\nlive: {:#?} {:#?}",
            declared.namespaces, declared.extensions, live.namespaces, live.extensions
        );
    }
    let mut functions: Vec<_> = declared
        .functions
        .keys()
        .chain(live.functions.keys())
        .collect();
    functions.sort();
    functions.dedup();
    for key in functions {
        let (d, l) = (declared.functions.get(key), live.functions.get(key));
        if d != l {
            let _ = writeln!(
                out,
                "function `{}` differs\ndeclared: {d:#?}\nlive: {l:#?}",
                key.name
            );
        }
    }
    let mut views: Vec<_> = declared.views.keys().chain(live.views.keys()).collect();
    views.sort();
    views.dedup();
    for name in views {
        let (d, l) = (declared.views.get(name), live.views.get(name));
        if d != l {
            let _ = writeln!(out, "view `{name}` differs\ndeclared: {d:#?}\nlive: {l:#?}");
        }
    }
    if declared.sequences != live.sequences {
        let _ = writeln!(
            out,
            "sequences differ\ndeclared: {:#?}\nlive: {:#?}",
            declared.sequences, live.sequences
        );
    }
    let mut acls: Vec<_> = declared
        .privileges
        .keys()
        .chain(live.privileges.keys())
        .collect();
    acls.sort();
    acls.dedup();
    for name in acls {
        let (d, l) = (declared.privileges.get(name), live.privileges.get(name));
        if d != l {
            let _ = writeln!(
                out,
                "privileges of `{name}` differ\ndeclared: {d:#?}\nlive: {l:#?}"
            );
        }
    }
    if declared.default_privileges != live.default_privileges {
        let _ = writeln!(
            out,
            "default privileges differ\ndeclared: {:#?}\nlive: {:#?}",
            declared.default_privileges, live.default_privileges
        );
    }
    out
}

/// Parses `path`, runs it on a fresh database of `server` (plus `after`, SQL
/// that must not change the model), introspects and compares.
///
/// # Errors
/// What went wrong, naming the fixture.
fn check_with(server: &Server, path: &Path, after: &str) -> Result<(), String> {
    let shown = path
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .display()
        .to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    let declared = declared_schema(&shown, &text, is_migration(path))?;
    let database = server.create_database("schema_canon");
    let mut client = database.connect();
    let sql = server_sql(&text);
    client.batch_execute(&sql).map_err(|e| {
        format!(
            "PostgreSQL rejects {shown}: {}",
            describe_pg_error(&e, &sql)
        )
    })?;
    client.batch_execute(after).map_err(|e| {
        format!(
            "PostgreSQL rejects the SQL run after {shown}: {}",
            describe_pg_error(&e, after)
        )
    })?;
    let schemas = user_schemas(&mut client);
    let schemas: Vec<&str> = schemas.iter().map(String::as_str).collect();
    let declared = views_as_stored(&mut client, &declared);
    let live = introspect(&mut client, &schemas).map_err(|e| {
        format!(
            "introspecting {shown} (database `{}`) fails: {e}",
            database.name()
        )
    })?;
    if declared != live {
        return Err(format!(
            "{shown}: the parsed model differs from what PostgreSQL reports\n{}",
            difference(&declared, &live)
        ));
    }
    Ok(())
}

/// The `.sql` files directly in `dir`, sorted.
fn sql_files(dir: &Path) -> Vec<PathBuf> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => panic!("cannot list {}: {e}", dir.display()),
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    files
}

/// Runs `check_with(.., "")` on every file, `WORKERS` at a time (each case is
/// mostly waiting for the server), and fails with every failure at once.
fn check_all(server: &Server, files: &[PathBuf]) {
    const WORKERS: usize = 16;
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..WORKERS.min(files.len()) {
            scope.spawn(|| {
                while let Some(file) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let result = check_with(server, file, "");
                    let name = file.file_stem().unwrap_or_default().to_string_lossy();
                    match result {
                        Ok(()) => eprintln!("ok      {name}"),
                        Err(message) => {
                            eprintln!("FAILED  {name}");
                            failures
                                .lock()
                                .unwrap_or_else(PoisonError::into_inner)
                                .push(message);
                        }
                    }
                }
            });
        }
    });
    let failures = failures
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ:\n\n{}",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
}

/// Every fixture of `tests/fixtures/canonical/` and the pg_dump of the demo
/// schema; `SCHEMA_CANON_ONLY=<text>` keeps the fixtures whose name contains it.
#[test]
fn parsed_schema_equals_what_postgres_reports() {
    let Some(server) = pg::server() else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = sql_files(&fixture_dir());
    files.extend(sql_files(&fixture_dir().join("migrations")));
    assert!(
        files.len() >= 142,
        "the canonical fixtures are fewer than 142: {}",
        files.len()
    );
    files.push(root.join("tests/fixtures/pg_dump/demo.sql"));
    if let Ok(only) = std::env::var("SCHEMA_CANON_ONLY") {
        files.retain(|f| {
            f.file_stem()
                .is_some_and(|s| s.to_string_lossy().contains(&only))
        });
    }
    check_all(&server, &files);
}

#[test]
fn dropped_columns_leave_gaps_that_introspection_skips() {
    let Some(server) = pg::server() else {
        return;
    };
    // The last column is dropped and added again: attnums 9 and 10 are gaps.
    let result = check_with(
        &server,
        &fixture_dir().join("integer_types_and_their_aliases.sql"),
        "ALTER TABLE counters ADD COLUMN gone integer;
         ALTER TABLE counters DROP COLUMN i;
         ALTER TABLE counters DROP COLUMN gone;
         ALTER TABLE counters ADD COLUMN i bigint;",
    );
    if let Err(message) = result {
        panic!("{message}");
    }
}

/// What PostgreSQL prints differently and the model does not (yet) canonicalise
/// (`tests/fixtures/canonical/known_differences/`: typed constants in defaults are
/// printed in their type's output format, `'08:30'` as `'08:30:00'`). This test
/// pins the limitation: when a fixture there starts to match, move it up a level.
#[test]
fn known_differences_still_differ() {
    let Some(server) = pg::server() else {
        return;
    };
    let files = sql_files(&fixture_dir().join("known_differences"));
    assert!(!files.is_empty());
    for file in files {
        assert!(
            check_with(&server, &file, "").is_err(),
            "{} now matches PostgreSQL: move it into tests/fixtures/canonical/",
            file.display()
        );
    }
}
