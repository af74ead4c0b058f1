//! The seed fixture end to end, the way a user meets it: a crate calling
//! `schema!()` on `tests/fixtures/seed/` does not compile and the errors name
//! its four faults; `schema new` writes the fixing migration, the empty
//! migration is marked as intended, and the crate compiles. The fixed history
//! then runs on a fresh PostgreSQL database (each up.sql as written) and on an
//! in-memory SQLite database (each migration rendered for SQLite from the
//! replay, by the scratch crate's own binary), and both live schemas, read back
//! by introspection, are what schema.sql declares.
//!
//! Why the empty migration is kept and marked `-- schema: allow(empty_migration)`
//! rather than deleted: it is in the history, so databases that already ran it
//! record its version; deleting it would leave them with an applied migration
//! the project no longer knows. Marking it changes only its checksum (re-summed).

#![allow(clippy::panic, reason = "a test reports failure by panicking")]

use std::path::Path;

use schema_core::Project;
use schema_core::diff::{Renames, diff};
use schema_test_support::pg;
use schema_test_support::scratch::{Scratch, workspace};

const EMPTY: &str = "20240320140000_add_google_docs_integration_models";

/// The scratch crate's binary: the embedded migrations, then the fixed history
/// run on an in-memory SQLite database and compared with schema.sql.
const MAIN: &str = r#"sqlschema::schema!();

use schema_core::diagnostic::render_all;
use schema_core::diff::{Renames, diff};
use schema_core::migrations::dialects::rendered;
use schema_core::render::Sqlite;
use schema_core::render::sqlite::comparable;

const PRAGMAS: [&str; 3] = [
    "PRAGMA foreign_keys=OFF;",
    "PRAGMA foreign_key_check;",
    "PRAGMA foreign_keys=ON;",
];

fn fail(message: String) -> ! {
    eprintln!("{message}");
    std::process::exit(1)
}

fn main() {
    println!("embedded migrations={}", MIGRATIONS.len());
    let project = schema_core::Project::new(env!("CARGO_MANIFEST_DIR"));
    let analysis = schema_core::analyze(&project)
        .unwrap_or_else(|d| fail(render_all(&d, false)));
    let conn = rusqlite::Connection::open_in_memory()
        .unwrap_or_else(|e| fail(format!("sqlite: {e}")));
    conn.execute_batch("PRAGMA foreign_keys=ON;")
        .unwrap_or_else(|e| fail(format!("sqlite: {e}")));
    for m in &analysis.replay.migrations {
        let name = &m.files.dir_name;
        let up = rendered(m, &Sqlite)
            .unwrap_or_else(|e| fail(format!("{name}: not expressible in SQLite: {e}")))
            .up;
        // A rebuild asks for foreign keys off: SQLite ignores the pragma inside
        // a transaction, so switch them off before it and check after it.
        let rebuild = up.lines().any(|l| l == PRAGMAS[0]);
        let body: String = up
            .lines()
            .filter(|l| !PRAGMAS.contains(l))
            .map(|l| format!("{l}\n"))
            .collect();
        if rebuild {
            conn.execute_batch(PRAGMAS[0])
                .unwrap_or_else(|e| fail(format!("{name}: {e}")));
        }
        conn.execute_batch(&format!("BEGIN;\n{body}COMMIT;\n"))
            .unwrap_or_else(|e| fail(format!("{name}: {e}\n{up}")));
        if rebuild {
            let mut check = conn
                .prepare(PRAGMAS[1])
                .unwrap_or_else(|e| fail(format!("{name}: {e}")));
            let broken = check
                .query_map([], |_| Ok(()))
                .unwrap_or_else(|e| fail(format!("{name}: {e}")))
                .count();
            if broken > 0 {
                fail(format!("{name}: {broken} foreign key violation(s)"));
            }
            conn.execute_batch(PRAGMAS[2])
                .unwrap_or_else(|e| fail(format!("{name}: {e}")));
        }
        println!("sqlite applied {name}");
    }
    let live = schema_runtime::introspect::sqlite::introspect(&conn)
        .unwrap_or_else(|e| fail(format!("sqlite introspection: {e}")));
    let declared = comparable(&analysis.declared);
    let live = comparable(&live);
    if live != declared {
        let changes: Vec<String> = diff(&live, &declared, &Renames::default())
            .iter()
            .map(|c| format!("  - {c}"))
            .collect();
        fail(format!(
            "the SQLite schema differs from schema.sql:\n{}\nlive: {live:#?}\ndeclared: {declared:#?}",
            changes.join("\n")
        ));
    }
    println!("sqlite matches schema.sql");
}
"#;

fn seed() -> std::path::PathBuf {
    workspace().join("tests/fixtures/seed")
}

fn expect_success(out: &std::process::Output, what: &str) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The migration directories of the scratch project, in version order.
fn migration_dirs(root: &Path) -> Vec<std::path::PathBuf> {
    let entries = std::fs::read_dir(root.join("migrations"))
        .unwrap_or_else(|e| panic!("cannot list the migrations: {e}"));
    let mut dirs: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn the_seed_project_fails_to_build_then_is_fixed_and_migrates_both_databases() {
    let scratch = Scratch::new("seed");
    scratch.manifest(
        "seed_end_to_end",
        r#"sqlschema = { path = "{ws}", features = ["json"] }
schema-core = { path = "{ws}/schema-core" }
schema-runtime = { path = "{ws}/schema-runtime", features = ["sqlite"] }
rusqlite = { version = "0.32.1", features = ["bundled"] }"#,
    );
    scratch.write("src/main.rs", MAIN);
    scratch.copy_dir(&seed().join("migrations"), "migrations");
    scratch.write(
        "schema.sql",
        &std::fs::read_to_string(seed().join("schema.sql"))
            .unwrap_or_else(|e| panic!("cannot read the seed schema.sql: {e}")),
    );

    // 1. The four faults stop the build, each named.
    let stderr = match scratch.build() {
        Ok(stderr) => panic!("the seed project compiled:\n{stderr}"),
        Err(stderr) => stderr,
    };
    for needle in [
        &format!("migration `{EMPTY}` is empty"),
        "primary key `resumes_pkey` on `resumes`",
        "primary key `job_descriptions_pkey` on `job_descriptions`",
        "table `resume_templates` is declared",
        "table `google_auth_tokens` is declared",
        "table `generated_documents` is declared",
    ] {
        assert!(
            stderr.contains(needle),
            "the build errors do not say `{needle}`:\n{stderr}"
        );
    }

    // 2. `schema new` writes the migration that creates what is missing.
    let out = scratch.schema_cli(&["new", "add_google_docs_tables"]);
    let stdout = expect_success(&out, "`schema new add_google_docs_tables`");
    assert!(
        stdout.contains("_add_google_docs_tables/up.sql"),
        "{stdout}"
    );
    let dirs = migration_dirs(scratch.dir());
    assert_eq!(dirs.len(), 4, "{dirs:?}");
    let fixing = std::fs::read_to_string(dirs[3].join("up.sql"))
        .unwrap_or_else(|e| panic!("cannot read the new migration: {e}"));
    for needle in [
        "resumes_pkey",
        "job_descriptions_pkey",
        "resume_templates",
        "google_auth_tokens",
        "generated_documents",
    ] {
        assert!(fixing.contains(needle), "no `{needle}` in:\n{fixing}");
    }

    // 3. The empty migration is marked intended and the sums are recorded again.
    let empty_up = format!("migrations/{EMPTY}/up.sql");
    let text = scratch.read(&empty_up);
    scratch.write(
        &empty_up,
        &format!("-- schema: allow(empty_migration)\n{text}"),
    );
    expect_success(
        &scratch.schema_cli(&["sum", "--migrations", "migrations"]),
        "`schema sum`",
    );
    if let Err(stderr) = scratch.build() {
        panic!("the fixed seed project does not compile:\n{stderr}\n{fixing}");
    }

    // 4. SQLite: the scratch binary runs the rendered history and compares.
    let run = scratch.run();
    assert!(run.contains("embedded migrations=4"), "{run}");
    assert!(run.contains("sqlite matches schema.sql"), "{run}");

    // 5. PostgreSQL: each up.sql as written, in order, on a fresh database.
    let analysis = schema_core::analyze(&Project::new(scratch.dir()))
        .unwrap_or_else(|d| panic!("{}", schema_core::diagnostic::render_all(&d, false)));
    let Some(server) = pg::server() else {
        return;
    };
    let database = server.create_database("schema_seed");
    let mut client = database.connect();
    for dir in &dirs {
        let up = std::fs::read_to_string(dir.join("up.sql"))
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
        if let Err(e) = client.batch_execute(&up) {
            panic!(
                "{} fails on PostgreSQL (database `{}`): {e}\n{up}",
                dir.display(),
                database.name()
            );
        }
    }
    let live = schema_runtime::introspect::postgres::introspect(&mut client, &["public"])
        .unwrap_or_else(|e| panic!("introspection: {e}"));
    if live != analysis.declared {
        let changes: Vec<String> = diff(&live, &analysis.declared, &Renames::default())
            .iter()
            .map(|c| format!("  - {c}"))
            .collect();
        panic!(
            "the PostgreSQL schema differs from schema.sql:\n{}\nlive: {live:#?}\ndeclared: {:#?}",
            changes.join("\n"),
            analysis.declared
        );
    }
    eprintln!(
        "postgres matches schema.sql: {} tables, {} enums",
        live.tables.len(),
        live.enums.len()
    );
}
