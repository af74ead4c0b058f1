//! What an application that depends on `sqlschema` compiles and links, read
//! from cargo's own resolution of this workspace (`cargo tree`, run offline
//! when the network is not there): which SQLite library each feature choice
//! brings.

#![allow(clippy::panic, reason = "a test reports failure by panicking")]

use std::path::PathBuf;
use std::process::Command;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")
}

/// Runs `cargo <args> --locked` on this workspace (again with `--offline` when
/// that fails, for a machine without the network) and returns its standard
/// output.
fn cargo(args: &[&str]) -> String {
    let run = |offline: bool| {
        let mut command = Command::new(env!("CARGO"));
        command
            .args(args)
            .arg("--manifest-path")
            .arg(manifest())
            .arg("--locked");
        if offline {
            command.arg("--offline");
        }
        command
            .output()
            .unwrap_or_else(|e| panic!("cannot run cargo {args:?}: {e}"))
    };
    let mut output = run(false);
    if !output.status.success() {
        output = run(true);
    }
    assert!(
        output.status.success(),
        "cargo {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The normal (linked or proc-macro) dependencies of `sqlschema` with
/// `features`, and the features each has, one `name version [features]` a line.
fn facade_graph(features: &[&str], default_features: bool) -> String {
    let features = features.join(",");
    let mut args = vec![
        "tree",
        "-p",
        "sqlschema",
        "-e",
        "normal",
        "--prefix",
        "none",
        "--format",
        "{p} [{f}]",
        "--features",
        &features,
    ];
    if !default_features {
        args.push("--no-default-features");
    }
    cargo(&args)
}

fn line_of<'a>(graph: &'a str, package: &str) -> Option<&'a str> {
    graph
        .lines()
        .find(|l| l.starts_with(&format!("{package} v")))
}

#[test]
fn sqlite_is_bundled_by_default_system_with_sqlite_system_and_absent_without_both() {
    let default = facade_graph(&[], true);
    let sys = line_of(&default, "libsqlite3-sys")
        .unwrap_or_else(|| panic!("the default features link SQLite:\n{default}"));
    assert!(
        sys.contains("bundled"),
        "the default `sqlite` feature compiles SQLite in: {sys}"
    );

    let system = facade_graph(&["chrono", "sqlite-system"], false);
    let sys = line_of(&system, "libsqlite3-sys")
        .unwrap_or_else(|| panic!("`sqlite-system` links SQLite:\n{system}"));
    assert!(
        !sys.contains("bundled"),
        "`sqlite-system` links the system's libsqlite3, not a bundled one: {sys}"
    );

    let none = facade_graph(&["chrono", "postgres"], false);
    for package in ["rusqlite", "libsqlite3-sys"] {
        assert!(
            line_of(&none, package).is_none(),
            "without `sqlite` and `sqlite-system`, {package} is not compiled:\n{none}"
        );
    }
}
