//! Compile-time errors as a user sees them (trybuild): one file per broken rule
//! under `tests/ui/<category>/`, named as a sentence, with its reviewed
//! `.stderr`; `tests/ui/pass/` must compile.
//!
//! Regenerate the `.stderr` files with `TRYBUILD=overwrite cargo test -p sqlschema
//! --test ui`, then read every one: a new user must be able to act on it.
//!
//! trybuild compiles the cases as binaries of a generated crate in
//! `<target>/tests/trybuild/schema/`, so `CARGO_MANIFEST_DIR` (where `schema!()`
//! and `#[derive(Schema)]` resolve relative paths) is that directory, not this
//! package's. [`link_project_files`] makes the paths the cases use
//! (`schema.sql`, `migrations/`, `tests/fixtures/...`) resolve there as they do
//! here, by symbolic links.
//!
//! The cases model the demo schema with `chrono` types: they need the default
//! feature `chrono`.
#![cfg(feature = "chrono")]

use std::path::{Path, PathBuf};

/// The generated crate's directory (trybuild's layout: `<target>/tests/trybuild/<crate>`).
fn trybuild_project_dir() -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    target
        .join("tests")
        .join("trybuild")
        .join(env!("CARGO_PKG_NAME"))
}

/// Links `schema.sql`, `migrations/` and `tests/fixtures/` of this package into
/// trybuild's generated crate.
#[cfg(unix)]
fn link_project_files() -> std::io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = trybuild_project_dir();
    for path in ["schema.sql", "migrations", "tests/fixtures"] {
        let link = project.join(path);
        if let Some(parent) = link.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(root.join(path), &link)?;
    }
    Ok(())
}

#[cfg(unix)]
#[test]
fn ui() {
    link_project_files().expect("cannot link the project files into trybuild's crate");
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/args/*.rs");
    t.compile_fail("tests/ui/schema_sql/*.rs");
    t.compile_fail("tests/ui/drift/*.rs");
    t.compile_fail("tests/ui/migrations/*.rs");
    t.compile_fail("tests/ui/derive/*.rs");
    // Cases for a type whose feature is off; with the feature on they compile.
    if !cfg!(feature = "uuid") {
        t.compile_fail("tests/ui/features/*.rs");
    }
}
