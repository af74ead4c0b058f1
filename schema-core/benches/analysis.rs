//! The PERFORMANCE.md workload: a synthetic project of 500 tables × 15 columns
//! (schema.sql, ~0.5 MB) and 1,000 migrations (~0.7 MB) that replay to it.
//!
//! - `analysis/500_tables_1000_migrations`: `analyze_sources` (parse, replay, lint, drift);
//! - `raw_sqlparser/parse_same_text`: sqlparser's `Parser::parse_sql` over the same
//!   bytes (schema.sql and every up.sql and down.sql), the floor the analysis builds on;
//! - `parse/schema_only`: `parse_schema_str` of schema.sql alone;
//! - `diff/500_tables_10_percent_changed`: `diff` between the 500-table schema and a
//!   copy where every tenth table changed (a column added, one retyped, one made
//!   NOT NULL, an index dropped), and the same rendered as PostgreSQL.
//!
//! `cargo bench -p schema-core --bench analysis`

#![allow(clippy::panic, clippy::expect_used)] // a broken input should stop the benchmark loudly

use schema_test_support::synthetic;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use schema_core::analyze::analyze_sources;
use schema_core::diagnostic::render_all;
use schema_core::parse::parse_schema_str;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

fn benches(c: &mut Criterion) {
    let project = synthetic::standard();
    eprintln!(
        "synthetic project: schema.sql {} bytes, {} migrations {} bytes",
        project.schema_bytes(),
        project.migrations.len(),
        project.migration_bytes()
    );
    if let Err(diagnostics) = analyze_sources(&project.schema, &project.migrations) {
        panic!(
            "the synthetic project does not check clean:\n{}",
            render_all(&diagnostics, false)
        );
    }
    let texts: Vec<&str> = std::iter::once(project.schema.text.as_str())
        .chain(
            project
                .migrations
                .iter()
                .flat_map(|m| [m.up.text.as_str(), m.down.text.as_str()]),
        )
        .collect();
    for text in &texts {
        if let Err(e) = Parser::parse_sql(&PostgreSqlDialect {}, text) {
            panic!("sqlparser rejects a generated file: {e}");
        }
    }

    let mut group = c.benchmark_group("analysis");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("500_tables_1000_migrations", |b| {
        b.iter(|| analyze_sources(black_box(&project.schema), black_box(&project.migrations)));
    });
    group.finish();

    let mut group = c.benchmark_group("raw_sqlparser");
    group.sample_size(10);
    group.bench_function("parse_same_text", |b| {
        b.iter(|| {
            for text in &texts {
                let statements = Parser::parse_sql(&PostgreSqlDialect {}, black_box(text));
                black_box(statements.map(|s| s.len()).unwrap_or(0));
            }
        });
    });
    group.finish();

    let mut group = c.benchmark_group("parse");
    group.sample_size(20);
    group.bench_function("schema_only", |b| {
        b.iter(|| parse_schema_str("schema.sql", black_box(&project.schema.text)));
    });
    group.finish();
}

/// Every tenth table of `schema` changed in four ways.
fn ten_percent_changed(schema: &schema_core::Schema) -> schema_core::Schema {
    use schema_core::model::SqlType;
    let mut changed = schema.clone();
    let names: Vec<_> = changed.tables.keys().step_by(10).cloned().collect();
    for name in names {
        if let Some(t) = changed.tables.get_mut(&name) {
            if let Some(mut extra) = t.columns.last().cloned() {
                extra.name = format!("{}_extra", extra.name);
                extra.nullable = true;
                extra.default = None;
                extra.identity = None;
                extra.generated = None;
                t.columns.push(extra);
            }
            if let Some(c) = t
                .columns
                .iter_mut()
                .find(|c| c.data_type == SqlType::Integer && c.default.is_none())
            {
                c.data_type = SqlType::BigInt;
            }
            if let Some(c) = t.columns.iter_mut().find(|c| c.nullable) {
                c.nullable = false;
            }
            let first = t.indexes.keys().next().cloned();
            if let Some(first) = first {
                t.indexes.remove(&first);
            }
        }
    }
    changed
}

fn diff_benches(c: &mut Criterion) {
    use schema_core::diff::{Renames, diff};
    use schema_core::render::{Postgres, Renderer};
    let project = synthetic::standard();
    let from = parse_schema_str("schema.sql", &project.schema.text)
        .unwrap_or_else(|d| panic!("{}", render_all(&d, false)));
    let to = ten_percent_changed(&from);
    let changes = diff(&from, &to, &Renames::default());
    eprintln!(
        "diff: {} changes between 500 tables and its 10%-changed copy",
        changes.len()
    );
    assert!(
        changes.len() >= 150,
        "expected about 4 changes on 50 tables"
    );
    let mut group = c.benchmark_group("diff");
    group.sample_size(20);
    group.bench_function("500_tables_10_percent_changed", |b| {
        b.iter(|| diff(black_box(&from), black_box(&to), &Renames::default()));
    });
    group.bench_function("500_tables_10_percent_changed_rendered_postgres", |b| {
        b.iter(|| {
            let changes = diff(black_box(&from), black_box(&to), &Renames::default());
            Postgres.render(&changes, &from, &to).expect("renders")
        });
    });
    group.finish();
}

criterion_group!(analysis, benches, diff_benches);
criterion_main!(analysis);
