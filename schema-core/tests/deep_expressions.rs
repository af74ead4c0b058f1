//! Deep expressions through the engine's entry points, on the small stacks an
//! application's threads have (the runtime replays embedded migrations and
//! reads live expressions on whatever thread calls it): a chain just under
//! the depth limit is analysed, rendered and read back, a longer one is a
//! located error, and nothing overflows.

#![allow(clippy::expect_used)] // test helpers fail loudly

use schema_core::Source;
use schema_core::migrations::MigrationFiles;
use schema_core::migrations::dialects;
use schema_core::model::expr::Expression;

/// Runs `f` on a thread with a 2 MiB stack, the default of `std::thread::spawn`.
fn on_a_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .expect("thread")
        .join()
        .expect("no panic")
}

fn table(terms: usize) -> String {
    format!(
        "CREATE TABLE t (id int PRIMARY KEY, b bool, CHECK ({}));\n",
        vec!["b"; terms].join(" OR ")
    )
}

#[test]
fn a_chain_under_the_limit_is_analysed_rendered_and_read_back_on_a_small_stack() {
    let done = on_a_small_stack(|| {
        let sql = table(990);
        let schema = Source::new("schema.sql", sql.clone());
        let up = MigrationFiles {
            version: 1,
            version_text: "1".into(),
            slug: "init".into(),
            dir_name: "1_init".into(),
            up: Source::new("migrations/1_init/up.sql", sql),
            down: Source::new("migrations/1_init/down.sql", "DROP TABLE t;\n"),
        };
        let analysis =
            schema_core::analyze::analyze_sources(&schema, &[up]).map_err(|d| format!("{d:?}"))?;
        let embedded = dialects::embedded(&analysis.replay.migrations[0]);
        let sqlite = embedded.sqlite?;
        let check = vec!["b"; 990].join(" OR ");
        let read_back = Expression::parse(&check)?;
        Ok::<_, String>((sqlite.up.matches(" OR ").count(), read_back.sql().len()))
    });
    let (ors, len) = done.expect("analysed");
    assert_eq!(ors, 989);
    assert_eq!(len, vec!["b"; 990].join(" OR ").len());
}

#[test]
fn a_longer_chain_is_a_located_error_on_a_small_stack() {
    let result = on_a_small_stack(|| {
        let schema = Source::new("schema.sql", table(4000));
        let read = Expression::parse(&vec!["b"; 4000].join(" OR "));
        (schema_core::analyze::analyze_sources(&schema, &[]), read)
    });
    let errors = result.0.expect_err("refused");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].code.id, "S0003");
    assert_eq!(
        errors[0].message,
        "expression nested 4001 deep; limit is 1000"
    );
    // Located at the operator where the depth passes the limit.
    let location = errors[0].location().expect("located");
    let column: usize = location
        .strip_prefix("schema.sql:1:")
        .and_then(|c| c.parse().ok())
        .expect("schema.sql:1:<column>");
    let line = table(4000);
    assert_eq!(&line[column - 1..column + 1], "OR", "{location}");
    let before = &line[..column - 1];
    assert_eq!(before.matches(" OR ").count(), 998, "{location}");
    assert_eq!(
        result.1,
        Err("expression nested 3999 deep; limit is 1000".to_string())
    );
}
