//! The facade's documentation against its sources of truth: the type mapping
//! table in `src/lib.rs` is the one of `schema-core/src/codegen/mod.rs` (the
//! facade's users cannot reach schema-core's docs), and every feature of
//! `sqlschema` in Cargo.toml is in its feature table.

#![allow(clippy::panic, reason = "a test reports failure by panicking")]

use std::path::Path;

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {relative}: {e}"))
}

/// The rows of the `//!` table whose header row starts with `header`.
fn table(text: &str, header: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().map(str::trim_start).collect();
    let Some(start) = lines
        .iter()
        .position(|l| l.starts_with(&format!("//! {header}")))
    else {
        return Vec::new();
    };
    lines[start..]
        .iter()
        .take_while(|l| l.starts_with("//! |"))
        .map(|l| l.to_string())
        .collect()
}

#[test]
fn the_facade_carries_the_type_mapping_of_the_code_generator() {
    let header = "| column type | Rust type |";
    let codegen = table(&read("schema-core/src/codegen/mod.rs"), header);
    let facade = table(&read("src/lib.rs"), header);
    assert!(
        codegen.len() > 15,
        "the code generator's table was found: {codegen:#?}"
    );
    let missing: Vec<&String> = codegen.iter().filter(|r| !facade.contains(r)).collect();
    let extra: Vec<&String> = facade.iter().filter(|r| !codegen.contains(r)).collect();
    assert!(
        codegen == facade,
        "the type mapping in src/lib.rs differs from schema-core/src/codegen/mod.rs: copy \
         the table of the second into the first\nmissing or changed in src/lib.rs: \
         {missing:#?}\nonly in src/lib.rs: {extra:#?}"
    );
}

#[test]
fn every_feature_of_the_facade_is_documented() {
    let manifest = read("Cargo.toml");
    let section = manifest
        .split("\n[features]\n")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .unwrap_or_else(|| panic!("Cargo.toml has a [features] section"));
    let features: Vec<&str> = section
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && !l.starts_with(']'))
        .filter_map(|l| l.split_once('=').map(|(name, _)| name.trim()))
        .filter(|name| !name.is_empty() && *name != "default")
        .collect();
    assert!(features.contains(&"postgres"), "{features:?}");
    let docs = table(&read("src/lib.rs"), "| feature | what |").join("\n");
    // The async drivers' features are documented before they are added.
    let wanted = features
        .iter()
        .copied()
        .chain(["tokio-postgres", "sqlx-postgres", "sqlx-sqlite"]);
    for feature in wanted {
        assert!(
            docs.contains(&format!("| `{feature}`")),
            "feature `{feature}` of Cargo.toml is not in the feature table of src/lib.rs:\n{docs}"
        );
    }
}
