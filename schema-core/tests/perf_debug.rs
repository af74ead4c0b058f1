//! Times one analysis of the synthetic 500-table, 1,000-migration project in
//! whatever profile the test runs in (the dev profile by default, i.e. unoptimised,
//! which is what a proc macro gets). Prints the time; asserts only that the
//! project checks clean, never a duration.
//!
//! `cargo test -p schema-core --test perf_debug -- --nocapture`

#![allow(clippy::panic)] // a failing test is the point

use schema_test_support::synthetic;

use std::time::Instant;

use schema_core::analyze::analyze_sources;
use schema_core::diagnostic::render_all;

#[test]
fn synthetic_project_analyses_clean() {
    let project = synthetic::standard();
    let started = Instant::now();
    let result = analyze_sources(&project.schema, &project.migrations);
    let elapsed = started.elapsed();
    println!(
        "analyze_sources: {} tables' schema.sql ({} bytes) + {} migrations ({} bytes): {:.1} ms ({})",
        500,
        project.schema_bytes(),
        project.migrations.len(),
        project.migration_bytes(),
        elapsed.as_secs_f64() * 1e3,
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
    );
    if let Err(diagnostics) = result {
        panic!("{}", render_all(&diagnostics, false));
    }
}

/// With `SCHEMA_SYNTH_DUMP=<dir>`, writes the synthetic project there
/// (`schema.sql` and `migrations/<version>_<slug>/{up,down}.sql`), e.g. to run it
/// on PostgreSQL or through the CLI.
#[test]
fn dump_when_asked() {
    let Some(dir) = std::env::var_os("SCHEMA_SYNTH_DUMP") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let project = synthetic::standard();
    let write = |path: std::path::PathBuf, text: &str| {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
        }
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    };
    write(dir.join(&project.schema.path), &project.schema.text);
    for m in &project.migrations {
        write(dir.join(&m.up.path), &m.up.text);
        write(dir.join(&m.down.path), &m.down.text);
    }
}
