//! Editing the files `schema!()` reads re-runs the macro on the next
//! `cargo build`, with no build script: a scratch crate holding a copy of the
//! demo project builds, stops building when schema.sql drifts from the
//! migrations, builds again when the edit is undone, and builds with the new
//! migration (and reports it) once one is added and summed.
//!
//! The scratch crate lives in the temporary directory and builds offline into
//! `target/scratch`, shared with the other scratch-crate tests.

#![allow(clippy::panic, reason = "a test reports failure by panicking")]

#[path = "support/scratch.rs"]
mod scratch;

use std::path::Path;

use scratch::{Scratch, WORKSPACE};

const MAIN: &str = r#"schema::schema!();

use schema::Model;

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
        r#"schema = { path = "{ws}", features = ["json"] }"#,
    );
    scratch.write("src/main.rs", MAIN);
    let original = std::fs::read_to_string(Path::new(WORKSPACE).join("schema.sql"))
        .unwrap_or_else(|e| panic!("cannot read the demo schema.sql: {e}"));
    scratch.write("schema.sql", &original);
    scratch.copy_dir(&Path::new(WORKSPACE).join("migrations"), "migrations");
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
