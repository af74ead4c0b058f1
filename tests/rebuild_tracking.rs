//! Editing the files `schema!()` reads re-runs the macro on the next
//! `cargo build`, with no build script: a scratch crate holding a copy of the
//! demo project builds, stops building when schema.sql drifts from the
//! migrations, builds again when the edit is undone, and builds with the new
//! migration (and reports it) once one is added and summed.
//!
//! A second scratch crate checks the expansion cached on disk: the next build's
//! fresh compiler process reads it back instead of analysing, an edit is a
//! miss, and a damaged entry is ignored and written again.
//!
//! The scratch crates live in the temporary directory and build offline into
//! `target/scratch`, shared with the other scratch-crate tests.

#![allow(clippy::panic, reason = "a test reports failure by panicking")]

use std::path::PathBuf;

use schema_test_support::scratch::{self, Scratch, workspace};

const MAIN: &str = r#"sqlschema::schema!();

use sqlschema::Model;

fn main() {
    println!(
        "migrations={} user_columns={} latest={:?}",
        MIGRATIONS.len(),
        models::User::COLUMNS.len(),
        MIGRATIONS.latest()
    );
}
"#;

const USERS_END: &str = "    updated_at timestamp NOT NULL\n);\n\nCREATE TABLE resumes";
const USERS_END_WITH_NICKNAME: &str =
    "    updated_at timestamp NOT NULL,\n    nickname varchar(40)\n);\n\nCREATE TABLE resumes";

fn expect_build(scratch: &Scratch, step: &str) {
    if let Err(stderr) = scratch.build() {
        panic!("{step}: `cargo build` should succeed:\n{stderr}");
    }
}

#[test]
fn editing_schema_files_reruns_the_macro_without_a_build_script() {
    let scratch = Scratch::new("rebuild");
    scratch.manifest(
        "rebuild_tracking_demo",
        r#"sqlschema = { path = "{ws}", features = ["json"] }"#,
    );
    scratch.write("src/main.rs", MAIN);
    let original = std::fs::read_to_string(workspace().join("schema.sql"))
        .unwrap_or_else(|e| panic!("cannot read the demo schema.sql: {e}"));
    scratch.write("schema.sql", &original);
    scratch.copy_dir(&workspace().join("migrations"), "migrations");
    assert!(original.contains(USERS_END), "the demo users table changed");

    // 1. The copy of the demo project builds.
    expect_build(&scratch, "the demo project");
    let before = scratch.run();
    assert!(
        before.contains("migrations=5 user_columns=11 latest=Some(20240408113000)"),
        "{before}"
    );

    // 2. A column declared without a migration: drift, the build fails.
    scratch.write(
        "schema.sql",
        &original.replacen(USERS_END, USERS_END_WITH_NICKNAME, 1),
    );
    match scratch.build() {
        Ok(stderr) => panic!(
            "`cargo build` succeeded after schema.sql gained a column no migration adds: \
             the macro did not re-run\n{stderr}"
        ),
        Err(stderr) => {
            assert!(stderr.contains("no migration adds it"), "{stderr}");
            assert!(stderr.contains("users.nickname"), "{stderr}");
        }
    }

    // 3. Undone: it builds again.
    scratch.write("schema.sql", &original);
    expect_build(&scratch, "schema.sql restored");
    assert_eq!(scratch.run(), before);

    // 4. The column with its migration, summed: it builds and embeds it.
    scratch.write(
        "migrations/20240501120000_add_user_nickname/up.sql",
        "ALTER TABLE users ADD COLUMN nickname varchar(40);\n",
    );
    scratch.write(
        "migrations/20240501120000_add_user_nickname/down.sql",
        "ALTER TABLE users DROP COLUMN nickname;\n",
    );
    let sum = scratch.schema_cli(&["sum", "--migrations", "migrations"]);
    assert!(
        sum.status.success(),
        "`schema sum` failed:\n{}",
        String::from_utf8_lossy(&sum.stderr)
    );
    assert!(
        scratch
            .read("migrations/schema.sum")
            .contains("20240501120000_add_user_nickname/up.sql"),
        "schema.sum does not list the new migration"
    );
    scratch.write(
        "schema.sql",
        &original.replacen(USERS_END, USERS_END_WITH_NICKNAME, 1),
    );
    expect_build(&scratch, "the new migration");
    let after = scratch.run();
    assert!(
        after.contains("migrations=6 user_columns=12 latest=Some(20240501120000)"),
        "{after}"
    );
}

const PROBE_MAIN: &str = r#"sqlschema::schema!();

use sqlschema::Model;

fn main() {
    let names: Vec<&str> = MIGRATIONS.iter().map(|m| m.name).collect();
    println!("columns={:?} migrations={names:?}", models::Probe::COLUMNS);
}
"#;

const PROBE: &str = "CREATE TABLE probe (\n    id int PRIMARY KEY,\n    label text\n);\n";
const PROBE_WITH_NOTE: &str =
    "CREATE TABLE probe (\n    id int PRIMARY KEY,\n    label text,\n    note text\n);\n";

/// Writes `migrations/schema.sum` for the scratch crate's migrations.
fn write_sum(scratch: &Scratch) {
    let dir = scratch.path("migrations");
    let (found, diagnostics) = schema_core::migrations::discover(&dir, "migrations");
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    if let Err(e) = schema_core::migrations::sum::write(&dir, &found) {
        panic!("cannot write schema.sum: {e}");
    }
}

/// `cargo run` with the macro reporting what it did: (stdout, the macro's line).
fn run_reporting(scratch: &Scratch) -> (String, String) {
    // A new compiler process each time: the in-memory cache cannot answer.
    run_main(scratch, PROBE_MAIN, &[("SCHEMA_NO_CACHE", None)])
}

/// `cargo run` of `main` (written as src/main.rs) with `env` and the macro
/// reporting what it did: (stdout, the macro's line).
fn run_main(scratch: &Scratch, main: &str, env: &[(&str, Option<&str>)]) -> (String, String) {
    scratch.write("src/main.rs", main);
    let mut env = env.to_vec();
    env.push(("SCHEMA_MACRO_TIMINGS", Some("1")));
    let out = scratch.run_with_env(&env);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "`cargo run` failed:\n{stdout}\n{stderr}"
    );
    let line = stderr
        .lines()
        .find(|l| l.starts_with("schema!() in "))
        .unwrap_or_else(|| panic!("the macro did not report:\n{stderr}"));
    (stdout, line.to_string())
}

/// The cache entry a report names (`..., entry <path>.tokens, <n> ms`).
fn entry_of(report: &str) -> PathBuf {
    let path = report
        .split_once(", entry ")
        .and_then(|(_, rest)| rest.split_once(".tokens"))
        .map(|(path, _)| format!("{path}.tokens"))
        .unwrap_or_else(|| panic!("no entry in {report:?}"));
    PathBuf::from(path)
}

#[test]
fn the_expansion_is_cached_on_disk_and_an_edit_or_damage_is_a_miss() {
    let scratch = Scratch::new("disk-cache");
    scratch.manifest("disk_cache_probe", r#"sqlschema = { path = "{ws}" }"#);
    scratch.write("schema.sql", PROBE);
    scratch.write("migrations/20240101000000_init/up.sql", PROBE);
    scratch.write(
        "migrations/20240101000000_init/down.sql",
        "DROP TABLE probe;\n",
    );
    write_sum(&scratch);
    let original = r#"columns=["id", "label"] migrations=["init"]"#;

    // 1. Analysed, and stored under the shared target directory.
    let (out, report) = run_reporting(&scratch);
    assert!(out.contains(original), "{out}");
    assert!(report.contains("disk cache miss"), "{report}");
    let entry = entry_of(&report);
    assert!(
        entry.starts_with(scratch::target_dir().join("schema-cache")),
        "{}",
        entry.display()
    );
    assert!(entry.is_file(), "{} was not written", entry.display());

    // 2. The next compiler process reads it back.
    let (out, report) = run_reporting(&scratch);
    assert!(out.contains(original), "{out}");
    assert!(report.contains("read from the disk cache"), "{report}");
    assert_eq!(entry_of(&report), entry);

    // 3. A damaged entry is ignored (the body no longer matches its
    //    fingerprint) and written again.
    let text = std::fs::read_to_string(&entry).unwrap_or_default();
    assert!(text.contains("\"label\""), "{text}");
    let _ = std::fs::write(&entry, text.replace("\"label\"", "\"lab3l\""));
    let (out, report) = run_reporting(&scratch);
    assert!(out.contains(original), "{out}");
    assert!(report.contains("disk cache miss"), "{report}");
    assert_eq!(std::fs::read_to_string(&entry).ok(), Some(text));

    // 4. An edit (a column, with its migration) is another key.
    scratch.write("schema.sql", PROBE_WITH_NOTE);
    scratch.write(
        "migrations/20240201000000_add_note/up.sql",
        "ALTER TABLE probe ADD COLUMN note text;\n",
    );
    scratch.write(
        "migrations/20240201000000_add_note/down.sql",
        "ALTER TABLE probe DROP COLUMN note;\n",
    );
    write_sum(&scratch);
    let (out, report) = run_reporting(&scratch);
    assert!(
        out.contains(r#"columns=["id", "label", "note"] migrations=["init", "add_note"]"#),
        "{out}"
    );
    assert!(report.contains("disk cache miss"), "{report}");
    assert_ne!(entry_of(&report), entry);

    // 5. Undone: the first entry answers again.
    scratch.write("schema.sql", PROBE);
    let _ = std::fs::remove_dir_all(scratch.path("migrations/20240201000000_add_note"));
    write_sum(&scratch);
    let (out, report) = run_reporting(&scratch);
    assert!(out.contains(original), "{out}");
    assert!(report.contains("read from the disk cache"), "{report}");
    assert_eq!(entry_of(&report), entry);
}

/// A program printing what its `schema!()` expanded to: a model's columns
/// and every migration (both dialects' scripts, the fresh-database scripts).
const AS_TEXT_MAIN: &str = r#"sqlschema::schema!();

use sqlschema::Model;

fn main() {
    println!("user columns {:?}", models::User::COLUMNS);
    println!("{MIGRATIONS:?}");
}
"#;

/// `cargo run` of [`AS_TEXT_MAIN`], the expansion made as text (`"1"`) or as
/// the compiler's tokens (`"0"`), never read from the cache: (stdout, the
/// macro's line).
fn run_made_as(scratch: &Scratch, as_text: &str) -> (String, String) {
    let env = [
        ("SCHEMA_NO_CACHE", Some("1")),
        ("SCHEMA_MACRO_AS_TEXT", Some(as_text)),
    ];
    run_main(scratch, AS_TEXT_MAIN, &env)
}

/// The expansion made as text and lexed by the compiler in one call (what an
/// optimised macro does) and made as the compiler's tokens one by one (what
/// an unoptimised one does) are the same program.
#[test]
fn an_expansion_made_as_text_is_the_one_made_as_tokens() {
    let scratch = Scratch::new("as-text");
    scratch.manifest(
        "as_text_probe",
        r#"sqlschema = { path = "{ws}", features = ["json"] }"#,
    );
    let schema = std::fs::read_to_string(workspace().join("schema.sql"))
        .unwrap_or_else(|e| panic!("cannot read the demo schema.sql: {e}"));
    scratch.write("schema.sql", &schema);
    scratch.copy_dir(&workspace().join("migrations"), "migrations");
    let (as_text, text_report) = run_made_as(&scratch, "1");
    assert!(text_report.contains("made as text"), "{text_report}");
    let (as_tokens, tokens_report) = run_made_as(&scratch, "0");
    assert!(tokens_report.contains("made as tokens"), "{tokens_report}");
    assert!(as_text.contains("user columns [\"id\""), "{as_text}");
    assert!(as_text.contains("Migration {"), "{as_text}");
    assert!(as_text.contains("CREATE TABLE users"), "{as_text}");
    assert_eq!(as_text, as_tokens);
}
