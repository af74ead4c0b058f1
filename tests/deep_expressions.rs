//! `schema!()` on a CHECK thousands of terms long: rustc used to die with
//! "rustc unexpectedly overflowed its stack" from about 180 `OR` terms. Now a
//! chain just under the depth limit builds (the analysis runs on a stack of its
//! own), and a 4,000-term chain is a located compile error.
//!
//! The scratch crate lives in the temporary directory and builds offline into
//! `target/scratch`, shared with the other scratch-crate tests.

#![allow(clippy::panic, reason = "a test reports failure by panicking")]

use schema_test_support::scratch::Scratch;

const MAIN: &str = r#"sqlschema::schema!();

fn main() {
    let sql = MIGRATIONS.iter().next().map(|m| m.postgres.up).unwrap_or_default();
    println!("migrations={} ors={}", MIGRATIONS.len(), sql.matches(" OR ").count());
}
"#;

fn table(terms: usize) -> String {
    format!(
        "CREATE TABLE t (id int PRIMARY KEY, b bool, CHECK ({}));\n",
        vec!["b"; terms].join(" OR ")
    )
}

#[test]
fn a_chain_under_the_limit_builds_and_four_thousand_terms_are_a_compile_error() {
    let scratch = Scratch::new("deep");
    scratch.manifest(
        "deep_expressions_demo",
        r#"sqlschema = { path = "{ws}", features = ["json"] }"#,
    );
    scratch.write("src/main.rs", MAIN);
    // 990 terms: accepted; schema!() expands on the compiler's own thread.
    let near = table(990);
    scratch.write("schema.sql", &near);
    scratch.write("migrations/20240101000000_init/up.sql", &near);
    scratch.write("migrations/20240101000000_init/down.sql", "DROP TABLE t;\n");
    let (found, diagnostics) =
        schema_core::migrations::discover(&scratch.path("migrations"), "migrations");
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    if let Err(e) = schema_core::migrations::sum::write(&scratch.path("migrations"), &found) {
        panic!("cannot write schema.sum: {e}");
    }
    if let Err(stderr) = scratch.build() {
        panic!("a 990-term chain should build:\n{stderr}");
    }
    let out = scratch.run();
    assert!(out.contains("migrations=1 ors=989"), "{out}");

    // 4,000 terms: the build fails with the located refusal, not a crash.
    scratch.write("schema.sql", &table(4000));
    match scratch.build() {
        Ok(stderr) => panic!("a 4,000-term chain built:\n{stderr}"),
        Err(stderr) => {
            assert!(!stderr.contains("overflowed its stack"), "{stderr:.2000}");
            assert!(
                stderr.contains("S0003/unsupported_feature"),
                "{stderr:.2000}"
            );
            assert!(
                stderr.contains("expression nested 4001 deep; limit is 1000"),
                "{stderr:.2000}"
            );
            assert!(stderr.contains("schema.sql:1:"), "{stderr:.2000}");
        }
    }
}
