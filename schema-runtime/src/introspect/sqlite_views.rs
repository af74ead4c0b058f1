//! The views of a SQLite database: SQLite keeps each `CREATE VIEW` as written
//! (`sqlite_schema.sql`), which is the statement this crate rendered, so it
//! is read back by the same parser as schema.sql, over the tables already
//! read (in creation order, so a view over a view finds it).

use rusqlite::Connection;
use schema_core::Schema;
use schema_core::diagnostic::{Source, render_all};
use schema_core::parse::apply::apply_file;
use schema_core::parse::{Mode, parse_file};

use super::IntrospectError;

/// Adds the views of `conn` to `schema` (whose tables are read).
///
/// # Errors
/// [`IntrospectError::Query`] when the query fails,
/// [`IntrospectError::Catalog`] when a stored view does not read back.
pub(crate) fn read_views(conn: &Connection, schema: &mut Schema) -> Result<(), IntrospectError> {
    let mut stmt = conn
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'view' ORDER BY rowid")
        .map_err(|e| IntrospectError::query("views", e))?;
    let views = stmt
        .query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
        })
        .map_err(|e| IntrospectError::query("views", e))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(|e| IntrospectError::query("views", e))?;
    for (name, sql) in views {
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
