//! The seed's faults, each seen by its diagnostic: the history that went wrong
//! (tests/fixtures/seed) and edits made to copies of the demo project.

#![allow(clippy::panic, clippy::expect_used)] // test helpers fail loudly

use std::path::{Path, PathBuf};

use schema_core::diagnostic::{Diagnostic, codes, render_all};
use schema_core::{Project, analyze};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn errors_of(root: &Path) -> Vec<Diagnostic> {
    match analyze(&Project::new(root)) {
        Ok(_) => Vec::new(),
        Err(d) => d,
    }
}

fn with_code<'a>(diags: &'a [Diagnostic], code: &str) -> Vec<&'a Diagnostic> {
    diags.iter().filter(|d| d.code.name == code).collect()
}

/// Copies the project at `from` into a fresh temporary directory, passing each
/// file's text through `edit(relative_path, text)`.
fn copy_project(from: &Path, edit: impl Fn(&str, String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fn walk(src: &Path, dst: &Path, rel: &str, edit: &dyn Fn(&str, String) -> String) {
        std::fs::create_dir_all(dst).expect("mkdir");
        for entry in std::fs::read_dir(src).expect("read dir") {
            let entry = entry.expect("entry");
            let name = entry.file_name().to_string_lossy().to_string();
            let rel = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let path = entry.path();
            if path.is_dir() {
                walk(&path, &dst.join(&name), &rel, edit);
            } else {
                let text = std::fs::read_to_string(&path).expect("read");
                std::fs::write(dst.join(&name), edit(&rel, text)).expect("write");
            }
        }
    }
    std::fs::copy(from.join("schema.sql"), dir.path().join("schema.sql")).expect("copy schema");
    walk(
        &from.join("migrations"),
        &dir.path().join("migrations"),
        "",
        &edit,
    );
    dir
}

#[test]
fn the_demo_project_checks_clean() {
    if let Err(d) = analyze(&Project::new(workspace())) {
        panic!("{}", render_all(&d, false));
    }
}

#[test]
fn the_seed_history_shows_all_four_faults_at_once() {
    let diags = errors_of(&workspace().join("tests/fixtures/seed"));
    let text = render_all(&diags, false);

    let empty = with_code(&diags, "empty_migration");
    assert_eq!(empty.len(), 1, "{text}");
    assert!(
        empty[0]
            .message
            .contains("20240320140000_add_google_docs_integration_models")
    );
    assert!(
        empty[0]
            .location()
            .is_some_and(|l| l.ends_with("up.sql:1:1"))
    );

    for table in ["resumes", "job_descriptions"] {
        let missing_pk = diags.iter().any(|d| {
            d.code.name == "drift"
                && d.message
                    .contains(&format!("primary key `{table}_pkey` on `{table}`"))
                && d.message.contains("no migration creates it")
                && d.location().is_some_and(|l| l.starts_with("schema.sql:"))
        });
        assert!(
            missing_pk,
            "no missing-primary-key drift for {table}:\n{text}"
        );
    }

    let unmigrated = with_code(&diags, "unmigrated_object");
    let mut names: Vec<&str> = unmigrated
        .iter()
        .filter(|d| d.message.starts_with("table"))
        .filter_map(|d| d.message.split('`').nth(1))
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "generated_documents",
            "google_auth_tokens",
            "resume_templates"
        ],
        "{text}"
    );
    // The message names where the table is declared.
    assert!(
        unmigrated.iter().all(|d| d.message.contains("schema.sql:")),
        "{text}"
    );
    // No panic, no unrelated noise: every error is one of the four faults.
    assert!(
        diags
            .iter()
            .all(|d| ["empty_migration", "drift", "unmigrated_object"].contains(&d.code.name)),
        "{text}"
    );
}

#[test]
fn tables_without_primary_keys_are_linted_and_the_directive_allows_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("schema.sql"),
        "create table a (x int);\n-- schema: allow(missing_primary_key)\ncreate table b (x int);\n",
    )
    .expect("write");
    let diags = errors_of(dir.path());
    let lint = with_code(&diags, "missing_primary_key");
    assert_eq!(lint.len(), 1, "{}", render_all(&diags, false));
    assert_eq!(lint[0].location().as_deref(), Some("schema.sql:1:14"));
}

#[test]
fn a_migration_edited_after_schema_sum_recorded_it_is_an_error_naming_both_hashes() {
    let copy = copy_project(&workspace(), |rel, text| {
        if rel == "20240212101500_user_sites/up.sql" {
            text.replace("varchar(63)", "varchar(64)")
        } else {
            text
        }
    });
    let diags = errors_of(copy.path());
    let mismatch = with_code(&diags, "checksum_mismatch");
    assert_eq!(mismatch.len(), 1, "{}", render_all(&diags, false));
    let shown = mismatch[0].render(false);
    assert!(
        shown.contains("20240212101500_user_sites/up.sql"),
        "{shown}"
    );
    let hexes = shown
        .split(|c: char| !c.is_ascii_hexdigit())
        .filter(|w| w.len() == 64)
        .count();
    assert!(hexes >= 2, "both hashes must be shown:\n{shown}");
}

#[test]
fn a_crlf_copy_of_the_migrations_is_not_an_error() {
    let copy = copy_project(&workspace(), |_, text| text.replace('\n', "\r\n"));
    let diags = errors_of(copy.path());
    assert!(diags.is_empty(), "{}", render_all(&diags, false));
}

#[test]
fn a_down_that_does_not_undo_its_up_is_reported_with_the_difference() {
    let copy = copy_project(&workspace(), |rel, text| {
        if rel == "20240408113000_job_description_keywords/down.sql" {
            "-- forgot to drop the column\nSELECT 1;\n".to_string()
        } else {
            text
        }
    });
    // The edit also changes the checksum; the down check must still be reported.
    let diags = errors_of(copy.path());
    let undo = with_code(&diags, "down_does_not_undo_up");
    assert_eq!(undo.len(), 1, "{}", render_all(&diags, false));
    assert!(
        undo[0]
            .notes
            .iter()
            .any(|n| n.contains("drop column `job_descriptions.keywords`"))
    );
    let _ = codes::DOWN_DOES_NOT_UNDO_UP;
}
