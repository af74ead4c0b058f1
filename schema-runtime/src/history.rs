//! The migrated schema at a version, rebuilt at run time from the embedded
//! migrations' PostgreSQL text (what `stamp` and `verify` compare a live
//! database with).

use schema_core::model::Schema;
use schema_core::parse::{self, Mode, apply::apply_file};
use schema_core::{Diagnostic, Source};

use crate::migration::Migration;

/// The schema `migrations` give when applied in order onto an empty database.
///
/// # Errors
/// Every diagnostic, rendered, when one of them does not parse or apply
/// (which the build's own check rules out for `schema!()`'s migrations).
pub fn schema_after<'a>(
    migrations: impl IntoIterator<Item = &'a Migration>,
) -> Result<Schema, Vec<String>> {
    let mut schema = Schema::new();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    for m in migrations {
        let source = Source::new(
            format!("migrations/{}_{}/up.sql", m.version, m.name),
            m.postgres.up,
        );
        let (file, mut found) = parse::parse_file(&source);
        diagnostics.append(&mut found);
        apply_file(&mut schema, &file, Mode::Migration, &mut diagnostics);
    }
    let errors: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.render(false))
        .collect();
    if errors.is_empty() {
        Ok(schema)
    } else {
        Err(errors)
    }
}

/// The PostgreSQL schemas (namespaces) `schema` uses, `public` first (see
/// [`Schema::used_namespaces`]).
pub fn namespaces(schema: &Schema) -> Vec<String> {
    let mut out = vec!["public".to_string()];
    for name in schema.used_namespaces() {
        if !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
    }
    out
}
