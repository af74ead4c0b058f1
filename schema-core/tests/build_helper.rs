//! The build-script helper (`schema_core::build`): the artifacts of the demo
//! project, writing only what changed, failing on drift with the diagnostics,
//! the paths cargo watches, and a real `cargo build` of `examples/build_script`.

#![allow(clippy::panic, clippy::expect_used, clippy::unwrap_used)] // test helpers fail loudly

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

use schema_core::build::{
    Artifact, Artifacts, BuildError, Config, Dialect, GENERATED_MARKER, UNSUPPORTED_FILE, artifacts,
};
use schema_core::diagnostic::{codes, render_all};
use schema_core::migrations::{discover, sum};
use schema_core::{Analysis, Project, analyze};

/// The workspace root: the demo `schema.sql` and `migrations/`.
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("schema-core has a parent")
        .to_path_buf()
}

fn analyze_at(root: &Path) -> Analysis {
    analyze(&Project::new(root)).unwrap_or_else(|d| panic!("{}", render_all(&d, false)))
}

/// Copies `from` into `to`, recursively, skipping `target/`.
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "target" {
                copy_tree(&src, &dst);
            }
        } else {
            fs::copy(&src, &dst).unwrap();
        }
    }
}

/// A writable copy of the demo project (schema.sql + migrations/).
fn demo_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    fs::copy(
        workspace().join("schema.sql"),
        tmp.path().join("schema.sql"),
    )
    .unwrap();
    copy_tree(
        &workspace().join("migrations"),
        &tmp.path().join("migrations"),
    );
    tmp
}

/// Rewrites `<root>/migrations/schema.sum` for the migrations present.
fn write_sum(root: &Path) {
    let dir = root.join("migrations");
    let (found, diags) = discover(&dir, "migrations");
    assert!(diags.is_empty(), "{}", render_all(&diags, false));
    sum::write(&dir, &found).unwrap();
}

fn run(config: &Config) -> Artifacts {
    config
        .run()
        .unwrap_or_else(|e| panic!("{}", e.render(false)))
}

fn paths(files: &[Artifact]) -> Vec<String> {
    files
        .iter()
        .map(|f| f.relative_path.to_string_lossy().replace('\\', "/"))
        .collect()
}

fn mtimes(files: &[PathBuf]) -> Vec<SystemTime> {
    files
        .iter()
        .map(|p| fs::metadata(p).unwrap().modified().unwrap())
        .collect()
}

#[test]
fn demo_artifacts_hold_both_dialects_each_with_a_header() {
    let analysis = analyze_at(&workspace());
    let files = artifacts(&analysis, Dialect::ALL).unwrap();
    let paths = paths(&files);
    let migrations: Vec<&str> = analysis
        .replay
        .migrations
        .iter()
        .map(|m| m.files.dir_name.as_str())
        .collect();
    assert_eq!(migrations.len(), 5);

    let mut expected = Vec::new();
    for dialect in ["postgres", "sqlite"] {
        expected.push(format!("{dialect}/schema.sql"));
        for m in &migrations {
            expected.push(format!("{dialect}/migrations/{m}/up.sql"));
            expected.push(format!("{dialect}/migrations/{m}/down.sql"));
        }
    }
    assert_eq!(paths, expected);

    for f in &files {
        assert!(
            f.contents.starts_with(GENERATED_MARKER),
            "{}:\n{}",
            f.relative_path.display(),
            f.contents
        );
        assert!(f.contents.lines().nth(1).unwrap().contains("Do not edit"));
        assert!(f.contents.ends_with('\n'));
    }
    let file = |p: &str| &files[paths.iter().position(|x| x == p).unwrap()].contents;

    // Full DDL of the declared schema, per dialect, naming its source.
    let pg = file("postgres/schema.sql");
    assert!(
        pg.lines().next().unwrap().contains("from `schema.sql`"),
        "{pg}"
    );
    assert!(
        pg.contains("CREATE TYPE public.document_status AS ENUM"),
        "{pg}"
    );
    assert!(
        pg.contains("CREATE TABLE public.generated_documents"),
        "{pg}"
    );
    let lite = file("sqlite/schema.sql");
    assert!(
        lite.contains("CREATE TABLE \"generated_documents\""),
        "{lite}"
    );
    assert!(!lite.contains("CREATE TYPE"), "{lite}");

    // PostgreSQL migrations are the files' own text under the header.
    let first = &analysis.replay.migrations[0].files;
    let up = file(&format!("postgres/migrations/{}/up.sql", first.dir_name));
    assert!(up.ends_with(&first.up.text), "{up}");
    assert!(
        up.lines()
            .next()
            .unwrap()
            .contains(&format!("from `migrations/{}/up.sql`", first.dir_name)),
        "{up}"
    );
    // SQLite migrations are rendered.
    let up = file(&format!("sqlite/migrations/{}/up.sql", first.dir_name));
    assert!(up.contains("rendered for SQLite"), "{up}");
    assert!(up.contains("CREATE TABLE \"users\""), "{up}");
}

#[test]
fn artifacts_are_deterministic_and_independent_of_where_the_project_lives() {
    let a = artifacts(&analyze_at(&workspace()), Dialect::ALL).unwrap();
    let b = artifacts(&analyze_at(&workspace()), Dialect::ALL).unwrap();
    assert_eq!(a, b);
    let copy = demo_copy();
    let c = artifacts(&analyze_at(copy.path()), Dialect::ALL).unwrap();
    assert_eq!(a, c);
    for f in &a {
        assert!(!f.contents.contains(&*workspace().to_string_lossy()));
    }
}

#[test]
fn dialects_can_be_chosen_and_duplicates_are_ignored() {
    let analysis = analyze_at(&workspace());
    let files = artifacts(&analysis, &[Dialect::Sqlite, Dialect::Sqlite]).unwrap();
    assert!(paths(&files).iter().all(|p| p.starts_with("sqlite/")));
    assert_eq!(files.len(), 1 + 2 * 5);
}

#[test]
fn a_second_run_writes_nothing_and_keeps_mtimes() {
    let out = tempfile::tempdir().unwrap();
    let mut config = Config::new();
    config.root(workspace()).out_dir(out.path());

    let first = run(&config);
    assert_eq!(first.written.len(), first.files.len());
    assert!(first.unchanged.is_empty());
    for (path, file) in first.written.iter().zip(&first.files) {
        assert_eq!(path, &out.path().join(&file.relative_path));
        assert_eq!(fs::read_to_string(path).unwrap(), file.contents);
    }
    let before = mtimes(&first.written);

    let second = run(&config);
    assert!(second.written.is_empty(), "{:?}", second.written);
    assert_eq!(second.unchanged, first.written);
    assert_eq!(mtimes(&second.unchanged), before);

    // A hand edit is undone, and only that file is written.
    let edited = first.written[3].clone();
    fs::write(&edited, "-- edited by hand\n").unwrap();
    let third = run(&config);
    assert_eq!(third.written, vec![edited]);
}

#[test]
fn stale_generated_files_are_removed_and_other_files_kept() {
    let out = tempfile::tempdir().unwrap();
    let mut config = Config::new();
    config.root(workspace()).out_dir(out.path());
    run(&config);

    let stale_dir = out.path().join("sqlite/migrations/20991231000000_gone");
    fs::create_dir_all(&stale_dir).unwrap();
    let stale = stale_dir.join("up.sql");
    fs::write(&stale, format!("{GENERATED_MARKER} from `x`.\nSELECT 1;\n")).unwrap();
    let mine = out.path().join("postgres/README.md");
    fs::write(&mine, "notes\n").unwrap();

    let again = run(&config);
    assert_eq!(again.removed, vec![stale]);
    assert!(!stale_dir.exists());
    assert!(mine.exists());
    assert!(again.written.is_empty());
}

#[test]
fn also_write_to_writes_the_same_files_relative_to_the_root() {
    let root = demo_copy();
    let out = tempfile::tempdir().unwrap();
    let mut config = Config::new();
    config
        .root(root.path())
        .out_dir(out.path())
        .also_write_to("sql")
        .dialects(&[Dialect::Postgres]);
    let done = run(&config);
    assert_eq!(
        done.out_dirs,
        vec![out.path().to_path_buf(), root.path().join("sql")]
    );
    assert_eq!(done.written.len(), 2 * done.files.len());
    for f in &done.files {
        let a = fs::read(out.path().join(&f.relative_path)).unwrap();
        let b = fs::read(root.path().join("sql").join(&f.relative_path)).unwrap();
        assert_eq!(a, b);
    }
    assert!(!root.path().join("sql/sqlite").exists());
}

#[test]
fn drift_fails_with_the_diagnostics_the_fix_and_writes_nothing() {
    let root = demo_copy();
    let schema = root.path().join("schema.sql");
    let text = fs::read_to_string(&schema).unwrap();
    let text = text.replacen(
        "    bio varchar(200),\n",
        "    bio varchar(200),\n    nickname text,\n",
        1,
    );
    assert!(text.contains("nickname"));
    fs::write(&schema, text).unwrap();
    let out = tempfile::tempdir().unwrap();

    let err = Config::new()
        .root(root.path())
        .out_dir(out.path())
        .run()
        .unwrap_err();
    let BuildError::Check {
        diagnostics, fix, ..
    } = &err
    else {
        panic!("expected a check error, got {err}");
    };
    assert_eq!(diagnostics.len(), 1, "{}", err.render(false));
    assert_eq!(diagnostics[0].code, codes::DRIFT);
    assert!(diagnostics[0].message.contains("users.nickname"));
    assert_eq!(
        fix.as_deref(),
        Some("ALTER TABLE public.users ADD COLUMN nickname text;\n")
    );
    assert_eq!(err.diagnostics(), diagnostics.as_slice());

    let report = err.render(false);
    assert!(
        report.contains("error[S0301/drift]: column `users.nickname`"),
        "{report}"
    );
    assert!(report.contains(" --> schema.sql:"), "{report}");
    assert!(report.contains("could not check the schema due to 1 previous error"));
    assert!(report.contains("    ALTER TABLE public.users ADD COLUMN nickname text;"));
    // Display (and Debug, which `fn main() -> Result` prints) is one line.
    assert_eq!(
        err.to_string(),
        "while checking `schema.sql` against `migrations`: 1 error"
    );
    assert_eq!(format!("{err:?}"), err.to_string());
    // Nothing written.
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn a_broken_history_reports_every_diagnostic_without_a_fix() {
    let root = demo_copy();
    let dir = root.path().join("migrations/20991231000000_half");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("up.sql"), "CREATE TABLE t (id int PRIMARY KEY);\n").unwrap();
    let err = Config::new()
        .root(root.path())
        .out_dir(root.path().join("out"))
        .run()
        .unwrap_err();
    let found: Vec<&str> = err.diagnostics().iter().map(|d| d.code.name).collect();
    assert!(
        found.contains(&codes::MISSING_MIGRATION_FILE.name),
        "{found:?}"
    );
    assert!(matches!(err, BuildError::Check { fix: None, .. }));
    assert!(!root.path().join("out").exists());
}

#[test]
fn rerun_if_changed_lists_the_schema_the_directory_and_every_file_in_it() {
    let root = demo_copy();
    let mut config = Config::new();
    config.root(root.path()).out_dir(root.path().join("out"));
    let listed = config.rerun_if_changed();
    let migrations = root.path().join("migrations");
    assert_eq!(listed[0], root.path().join("schema.sql"));
    assert_eq!(listed[1], migrations);
    let first = migrations.join("20240105093000_initial_tables");
    for p in [
        first.clone(),
        first.join("up.sql"),
        first.join("down.sql"),
        migrations.join("schema.sum"),
    ] {
        assert!(listed.contains(&p), "{p:?} not in {listed:#?}");
    }
    assert_eq!(listed.len(), 2 + 5 * 3 + 1);
    // run() returns the same list.
    assert_eq!(run(&config).rerun_if_changed, listed);

    // A new migration directory shows up.
    let new = migrations.join("20991231000000_more");
    fs::create_dir_all(&new).unwrap();
    fs::write(new.join("up.sql"), "").unwrap();
    let listed = config.rerun_if_changed();
    assert!(listed.contains(&new) && listed.contains(&new.join("up.sql")));
}

/// A project whose first migration uses a type SQLite cannot store and whose
/// second drops it again.
fn project_with_an_array_of_varchar() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let p = root.path();
    fs::write(
        p.join("schema.sql"),
        "CREATE TABLE t (id int PRIMARY KEY);\n",
    )
    .unwrap();
    for (name, up, down) in [
        (
            "1_create",
            "CREATE TABLE t (id int PRIMARY KEY, tags varchar(20)[]);\n",
            "DROP TABLE t;\n",
        ),
        (
            "2_drop_tags",
            "ALTER TABLE t DROP COLUMN tags;\n",
            "ALTER TABLE t ADD COLUMN tags varchar(20)[];\n",
        ),
    ] {
        let dir = p.join("migrations").join(name);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("up.sql"), up).unwrap();
        fs::write(dir.join("down.sql"), down).unwrap();
    }
    write_sum(p);
    root
}

#[test]
fn a_migration_sqlite_cannot_express_gets_a_note_instead_of_sql() {
    let root = project_with_an_array_of_varchar();
    let done = run(Config::new()
        .root(root.path())
        .out_dir(root.path().join("out")));
    let paths = paths(&done.files);
    assert!(paths.contains(&"postgres/migrations/1_create/up.sql".to_string()));
    assert!(paths.contains(&format!("sqlite/migrations/1_create/{UNSUPPORTED_FILE}")));
    assert!(!paths.contains(&"sqlite/migrations/1_create/up.sql".to_string()));
    let note = done
        .files
        .iter()
        .find(|f| {
            f.is_unsupported_note() && f.relative_path.starts_with("sqlite/migrations/1_create")
        })
        .unwrap();
    assert!(note.contents.starts_with(GENERATED_MARKER));
    assert!(
        note.contents.contains("no up.sql or down.sql for SQLite"),
        "{}",
        note.contents
    );
    assert!(
        note.contents.lines().all(|l| l.starts_with("--")),
        "{}",
        note.contents
    );
    assert!(
        done.warnings
            .iter()
            .any(|w| w.contains("`1_create` cannot be expressed in sqlite")),
        "{:?}",
        done.warnings
    );
    // The declared schema renders fine: sqlite/schema.sql is there.
    assert!(paths.contains(&"sqlite/schema.sql".to_string()));
}

#[test]
fn a_declared_schema_a_dialect_cannot_express_is_an_error() {
    let root = tempfile::tempdir().unwrap();
    let p = root.path();
    let table = "CREATE TABLE t (id int PRIMARY KEY, tags varchar(20)[]);\n";
    fs::write(p.join("schema.sql"), table).unwrap();
    let dir = p.join("migrations/1_create");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("up.sql"), table).unwrap();
    fs::write(dir.join("down.sql"), "DROP TABLE t;\n").unwrap();
    write_sum(p);

    let mut config = Config::new();
    config.root(p).out_dir(p.join("out"));
    let err = config.run().unwrap_err();
    assert!(
        matches!(&err, BuildError::Render(u) if u.dialect == "SQLite"),
        "{err}"
    );
    assert!(
        err.to_string()
            .starts_with("while rendering the declared schema: SQLite cannot express")
    );
    assert!(std::error::Error::source(&err).is_some());
    // PostgreSQL alone is fine.
    run(config.dialects(&[Dialect::Postgres]));
}

#[test]
fn unlogged_tables_and_row_level_security_are_refused_for_sqlite_by_name() {
    let cases = [
        (
            "CREATE UNLOGGED TABLE t (id int PRIMARY KEY);\n",
            "table `t` is `UNLOGGED`",
        ),
        (
            "CREATE TABLE t (id int PRIMARY KEY);\nALTER TABLE t ENABLE ROW LEVEL SECURITY;\n",
            "SQLite has no row-level security",
        ),
        (
            "CREATE TABLE t (id int PRIMARY KEY);\nALTER TABLE t FORCE ROW LEVEL SECURITY;\n",
            "SQLite has no row-level security",
        ),
    ];
    for (table, names) in cases {
        let root = tempfile::tempdir().unwrap();
        let p = root.path();
        fs::write(p.join("schema.sql"), table).unwrap();
        let dir = p.join("migrations/1_create");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("up.sql"), table).unwrap();
        fs::write(dir.join("down.sql"), "DROP TABLE t;\n").unwrap();
        write_sum(p);

        let mut config = Config::new();
        config.root(p).out_dir(p.join("out"));
        let err = config.run().unwrap_err();
        assert!(
            matches!(&err, BuildError::Render(u) if u.dialect == "SQLite"),
            "{err}"
        );
        assert!(err.to_string().contains(names), "{err}");
        // PostgreSQL alone is fine.
        run(config.dialects(&[Dialect::Postgres]));
    }
}

// ---------------------------------------------------------------------------
// A real build of examples/build_script, in a copy.
// ---------------------------------------------------------------------------

/// `cargo build -v` of the copied example, sharing one target directory so the
/// dependencies are built once.
fn cargo_build(dir: &Path) -> Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    Command::new(cargo)
        .args(["build", "-v", "--offline", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", workspace().join("target/build_example"))
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// True when cargo ran the build script during this build.
fn ran_build_script(o: &Output) -> bool {
    stderr(o)
        .lines()
        .any(|l| l.trim_start().starts_with("Running") && l.contains("build-script-build"))
}

#[test]
fn the_example_builds_fails_on_drift_and_reruns_for_a_new_migration() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("build_script");
    copy_tree(&workspace().join("examples/build_script"), &dir);
    let _ = fs::remove_dir_all(dir.join("sql"));
    let manifest = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    let core = Path::new(env!("CARGO_MANIFEST_DIR")).display().to_string();
    let manifest = manifest.replace("\"../../schema-core\"", &format!("{core:?}"));
    assert!(manifest.contains(&format!("{core:?}")));
    fs::write(dir.join("Cargo.toml"), manifest).unwrap();

    // 1. It builds, writing the artifacts (here also to sql/).
    let o = cargo_build(&dir);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(ran_build_script(&o));
    let sql = dir.join("sql");
    assert!(sql.join("postgres/schema.sql").is_file());
    assert!(
        sql.join("sqlite/migrations/20240102000000_create_posts/up.sql")
            .is_file()
    );

    // 2. Nothing changed: the script does not run again.
    let o = cargo_build(&dir);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!ran_build_script(&o), "{}", stderr(&o));

    // 3. A column without a migration: the build fails with the drift diagnostic.
    let schema = dir.join("schema.sql");
    let declared = fs::read_to_string(&schema).unwrap();
    let drifted = declared.replacen(
        "    title text NOT NULL,\n",
        "    title text NOT NULL,\n    body text,\n",
        1,
    );
    assert_ne!(drifted, declared);
    fs::write(&schema, &drifted).unwrap();
    let o = cargo_build(&dir);
    let err = stderr(&o);
    assert!(!o.status.success(), "{err}");
    assert!(
        err.contains("error[S0301/drift]: column `posts.body` is declared at schema.sql:"),
        "{err}"
    );
    assert!(
        err.contains("ALTER TABLE public.posts ADD COLUMN body text;"),
        "{err}"
    );
    assert!(err.contains("while checking `schema.sql` against `migrations`: 1 error"));
    assert!(!err.contains("--- stdout"), "{err}");

    // 4. Restored: it builds again.
    fs::write(&schema, &declared).unwrap();
    let o = cargo_build(&dir);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(ran_build_script(&o));

    // 5. A new migration directory alone reruns the script (which fails: schema.sum
    //    does not record it yet and schema.sql lacks the column) ...
    let new = dir.join("migrations/20240103000000_add_post_body");
    fs::create_dir_all(&new).unwrap();
    fs::write(
        new.join("up.sql"),
        "ALTER TABLE posts ADD COLUMN body text;\n",
    )
    .unwrap();
    fs::write(
        new.join("down.sql"),
        "ALTER TABLE posts DROP COLUMN body;\n",
    )
    .unwrap();
    let o = cargo_build(&dir);
    let err = stderr(&o);
    assert!(ran_build_script(&o), "{err}");
    assert!(!o.status.success(), "{err}");
    assert!(err.contains("S0111/sum_stale"), "{err}");

    // ... and with schema.sum and schema.sql updated it builds, with the new
    //    migration's artifacts.
    write_sum(&dir);
    fs::write(&schema, &drifted).unwrap();
    let o = cargo_build(&dir);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(ran_build_script(&o));
    let up = fs::read_to_string(sql.join("sqlite/migrations/20240103000000_add_post_body/up.sql"))
        .unwrap();
    assert!(up.contains("ADD COLUMN \"body\" TEXT"), "{up}");
}

#[test]
fn sqlite_artifacts_carry_the_data_statements_of_migrations() {
    let root = workspace().join("tests/fixtures/sqlite_fidelity");
    let files = artifacts(&analyze_at(&root), &[Dialect::Sqlite]).unwrap();
    let file = |path: &str| {
        files
            .iter()
            .find(|f| f.relative_path == Path::new(path))
            .unwrap_or_else(|| panic!("no {path} in {:?}", paths(&files)))
            .contents
            .clone()
    };
    // A migration of data statements only is its statements, not a comment.
    let seed = file("sqlite/migrations/2_seed_settings/up.sql");
    assert!(
        seed.ends_with(
            "\nINSERT INTO settings (key, value) VALUES ('theme', 'dark'), ('motto', 'it''s; fine');\n\
             INSERT INTO settings VALUES ('zeros', '007');\n"
        ),
        "{seed}"
    );
    assert!(
        file("sqlite/migrations/2_seed_settings/down.sql")
            .ends_with("\nDELETE FROM settings WHERE key IN ('theme', 'motto', 'zeros');\n")
    );
    // Mixed with schema changes, each keeps its place.
    let notes = file("sqlite/migrations/3_notes/up.sql");
    let at = |s: &str| {
        notes
            .find(s)
            .unwrap_or_else(|| panic!("no {s:?} in:\n{notes}"))
    };
    let order = [
        at("CREATE TABLE \"notes\""),
        at(
            "INSERT INTO notes (id, body, legacy)\nVALUES (1, 'first', 'x'),\n       (2, 'second', 'y');",
        ),
        at("DROP COLUMN \"legacy\""),
        at("UPDATE notes SET stars = id * 10 WHERE id = 2;"),
        at("CREATE TABLE \"_new_notes\""),
        at("UPDATE notes SET body = upper(body) WHERE id = 1;"),
        at("INSERT INTO notes (id) VALUES (3);"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}:\n{notes}");
}

/// The online lints through the build helper: cargo warnings by default,
/// nothing after `online_after`, and a failed build with `Level::Deny`.
#[test]
fn online_lints_are_cargo_warnings_or_errors_as_configured() {
    use schema_core::lint::online::Level;
    let root = workspace().join("tests/fixtures/ui/online_index");
    let out = tempfile::tempdir().unwrap();
    let mut config = Config::new();
    config.root(&root).out_dir(out.path());
    let done = run(&config);
    let online: Vec<&String> = done
        .warnings
        .iter()
        .filter(|w| w.contains("S0501/index_without_concurrently"))
        .collect();
    assert_eq!(online.len(), 1, "{:?}", done.warnings);
    assert!(
        online[0].contains("20240102000000_index_bodies/up.sql:2:1"),
        "{}",
        online[0]
    );
    assert!(online[0].contains("CONCURRENTLY"), "{}", online[0]);

    config.online_after(20240102000000);
    let done = run(&config);
    assert!(
        !done.warnings.iter().any(|w| w.contains("S05")),
        "{:?}",
        done.warnings
    );

    let mut config = Config::new();
    config
        .root(&root)
        .out_dir(out.path())
        .online_lints(Level::Deny);
    let err = config.run().unwrap_err();
    let codes_found: Vec<&str> = err.diagnostics().iter().map(|d| d.code.name).collect();
    assert_eq!(
        codes_found,
        ["index_without_concurrently"],
        "{}",
        err.render(false)
    );
}
