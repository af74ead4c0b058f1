//! What an application that depends on `sqlschema` (or installs `schema-cli`)
//! compiles and links, read from cargo's own resolution of this workspace
//! (`cargo tree`, `cargo metadata`, run offline when the network is not there):
//! which SQLite library each feature choice brings, and that our
//! `rust-version` is the highest any compiled dependency declares (no other
//! toolchain is needed to check it).

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

/// What our own code needs whatever the dependencies declare: let chains
/// (`if let .. && let ..`, stable since 1.88 in edition 2024).
const LANGUAGE_FLOOR: (u64, u64) = (1, 88);

/// The edition 2024 needs 1.85.
const EDITION_2024: (u64, u64) = (1, 85);

/// `1.88`, `1.88.0` → `(1, 88)`.
fn minor_version(text: &str) -> (u64, u64) {
    let mut parts = text.split('.').map(|p| p.parse::<u64>().ok());
    match (parts.next().flatten(), parts.next().flatten()) {
        (Some(major), Some(minor)) => (major, minor),
        _ => panic!("`{text}` is not a Rust version"),
    }
}

#[test]
fn the_rust_version_is_the_highest_that_a_compiled_dependency_declares() {
    use serde_json::Value;
    let text = cargo(&["metadata", "--format-version", "1", "--all-features"]);
    let metadata: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("cargo metadata: {e}"));
    let empty = Vec::new();
    let packages = metadata["packages"].as_array().unwrap_or(&empty);
    let package = |id: &str| packages.iter().find(|p| p["id"] == id);
    let nodes = metadata["resolve"]["nodes"].as_array().unwrap_or(&empty);
    let node = |id: &str| nodes.iter().find(|n| n["id"] == id);
    // The published crates a user compiles: the facade and the CLI.
    let roots: Vec<&str> = packages
        .iter()
        .filter(|p| p["name"] == "sqlschema" || p["name"] == "schema-cli")
        .filter_map(|p| p["id"].as_str())
        .collect();
    assert_eq!(
        roots.len(),
        2,
        "sqlschema and schema-cli are in the workspace"
    );
    let ours = package(roots[0])
        .and_then(|p| p["rust_version"].as_str())
        .map(minor_version)
        .unwrap_or_else(|| panic!("the workspace declares a rust-version"));
    // Every package reachable through normal and build dependencies (proc
    // macros and build scripts included: the user's compiler builds them),
    // for every feature and every platform.
    let mut seen: Vec<&str> = Vec::new();
    let mut stack = roots.clone();
    while let Some(id) = stack.pop() {
        if seen.contains(&id) {
            continue;
        }
        seen.push(id);
        let deps = node(id)
            .and_then(|n| n["deps"].as_array())
            .unwrap_or(&empty);
        for dep in deps {
            let linked = dep["dep_kinds"]
                .as_array()
                .unwrap_or(&empty)
                .iter()
                .any(|k| k["kind"].is_null() || k["kind"] == "build");
            if let (true, Some(pkg)) = (linked, dep["pkg"].as_str()) {
                stack.push(pkg);
            }
        }
    }
    assert!(
        seen.len() > 50,
        "the walk found the dependency graph ({} packages)",
        seen.len()
    );
    // The highest requirement and who states it.
    let mut needed = (
        LANGUAGE_FLOOR,
        vec!["our own code (let chains)".to_string()],
    );
    let mut too_new = Vec::new();
    for id in &seen {
        // Our own crates declare ours: only the others' count.
        let Some(p) = package(id).filter(|p| !p["source"].is_null()) else {
            continue;
        };
        let name = format!(
            "{} {}",
            p["name"].as_str().unwrap_or("?"),
            p["version"].as_str().unwrap_or("?")
        );
        let declared = p["rust_version"].as_str().map(minor_version);
        let edition = (p["edition"] == "2024").then_some(EDITION_2024);
        let Some(version) = declared.max(edition) else {
            continue;
        };
        if version > ours {
            too_new.push(format!("{name} needs Rust {}.{}", version.0, version.1));
        }
        if version > needed.0 {
            needed = (version, vec![name]);
        } else if version == needed.0 {
            needed.1.push(name);
        }
    }
    assert!(
        too_new.is_empty(),
        "our rust-version is {}.{}, but dependencies of sqlschema or schema-cli declare a \
         higher one: {}; raise `rust-version` in [workspace.package] of Cargo.toml (and the \
         README), or keep the older versions in Cargo.lock",
        ours.0,
        ours.1,
        too_new.join(", ")
    );
    assert_eq!(
        ours,
        needed.0,
        "our rust-version {}.{} is higher than needed: the highest requirement is {}.{} ({}); \
         lower `rust-version` in [workspace.package] of Cargo.toml",
        ours.0,
        ours.1,
        needed.0.0,
        needed.0.1,
        needed.1.join(", ")
    );
}

#[test]
fn an_application_links_no_code_generation_crate() {
    // Every feature of the facade, without the proc-macro crates: those run in
    // the compiler and are not linked into the application.
    let linked = cargo(&[
        "tree",
        "-p",
        "sqlschema",
        "-e",
        "normal,no-proc-macro",
        "--all-features",
        "--prefix",
        "none",
        "--format",
        "{p} [{f}]",
    ]);
    for package in ["syn", "quote", "proc-macro2", "heck", "schema-macros"] {
        assert!(
            line_of(&linked, package).is_none(),
            "{package} reaches the application's linked graph (gate it behind \
             schema-core's `codegen`):\n{linked}"
        );
    }
    let core = line_of(&linked, "schema-core")
        .unwrap_or_else(|| panic!("the runtime links schema-core:\n{linked}"));
    assert!(
        !core.contains("codegen"),
        "schema-core is linked with `codegen`: {core}"
    );
    // The proc-macro crate itself does use them, at build time.
    let all = cargo(&[
        "tree",
        "-p",
        "sqlschema",
        "-e",
        "normal",
        "--prefix",
        "none",
        "--format",
        "{p}",
    ]);
    assert!(
        line_of(&all, "syn").is_some(),
        "schema-macros uses syn:\n{all}"
    );
}
