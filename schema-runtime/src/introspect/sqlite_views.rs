//! The views of a SQLite database: SQLite keeps each `CREATE VIEW` as written
//! (`sqlite_schema.sql`), which is the statement this crate rendered, so it
//! is read back by the same parser as schema.sql, over the tables already
//! read (in creation order, so a view over a view finds it).

use schema_core::Schema;
use schema_core::diagnostic::{Source, render_all};
use schema_core::parse::apply::apply_file;
use schema_core::parse::{Mode, parse_file};

use super::IntrospectError;
use crate::session::Session;

/// Adds the views of `conn` to `schema` (whose tables are read).
///
/// # Errors
/// [`IntrospectError::Query`] when the query fails,
/// [`IntrospectError::Catalog`] when a stored view does not read back.
pub(crate) async fn read_views<S: Session>(
    conn: &mut S,
    schema: &mut Schema,
) -> Result<(), IntrospectError> {
    let views = conn
        .query(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'view' ORDER BY rowid",
            &[],
        )
        .await
        .map_err(|source| IntrospectError::Query {
            what: "views".to_string(),
            source,
        })?;
    for row in &views {
        let name: String = row.get(0);
        let sql: Option<String> = row.get(1);
        let source = Source::new(format!("sqlite view `{name}`"), sql.unwrap_or_default());
        let (file, mut diagnostics) = parse_file(&source);
        apply_file(schema, &file, Mode::Declarative, &mut diagnostics);
        if diagnostics.iter().any(schema_core::Diagnostic::is_error) {
            return Err(IntrospectError::Catalog {
                owner: format!("view `{name}`"),
                message: render_all(&diagnostics, false),
            });
        }
    }
    Ok(())
}
