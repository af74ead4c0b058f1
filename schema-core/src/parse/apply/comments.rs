//! `COMMENT ON TABLE | COLUMN` (kept in the model) and on schemas and
//! extensions (ignored with a warning in schema.sql).

use sqlparser::ast::{CommentObject, ObjectName};

use super::{Cx, Mode, Res};
use crate::diagnostic::{Diagnostic, codes};
use crate::model::QualifiedName;
use crate::model::names::object_name_parts;

impl Cx<'_> {
    pub(super) fn comment(
        &mut self,
        object_type: &CommentObject,
        object_name: &ObjectName,
        comment: Option<String>,
        if_exists: bool,
    ) -> Res<()> {
        let at = self.at_name(object_name);
        match object_type {
            CommentObject::Table => {
                let name = self.name(object_name)?;
                if if_exists && !self.schema.tables.contains_key(&name) {
                    return Ok(());
                }
                self.table_mut(&name, &at)?.comment = comment;
                Ok(())
            }
            CommentObject::Column => {
                let parts = object_name_parts(object_name);
                let (table, column) = match parts.as_slice() {
                    [t, c] => (QualifiedName::public(t.clone()), c.clone()),
                    [s, t, c] => (QualifiedName::new(s.clone(), t.clone()), c.clone()),
                    _ => {
                        return Err(self
                            .err(
                                codes::SYNTAX,
                                format!("`{object_name}` is not `table.column`"),
                            )
                            .help("write `COMMENT ON COLUMN table.column IS '...'`"));
                    }
                };
                if if_exists && !self.schema.tables.contains_key(&table) {
                    return Ok(());
                }
                let t = self.table_mut(&table, &at)?;
                let Some(c) = t.column_mut(&column) else {
                    return Err(Diagnostic::error(
                        codes::UNKNOWN_OBJECT,
                        format!(
                            "column `{column}` of table `{table}` does not exist at this point"
                        ),
                    )
                    .at(&at));
                };
                c.comment = comment;
                Ok(())
            }
            CommentObject::Domain => {
                let name = self.name(object_name)?;
                self.comment_on_domain(&name, &at, comment, if_exists)
            }
            CommentObject::Extension | CommentObject::Schema => {
                // A migration's own text runs on PostgreSQL as written; in
                // schema.sql the comment would never reach the database.
                if self.mode == Mode::Migration {
                    return Ok(());
                }
                Err(Diagnostic::warning(
                    codes::IGNORED_STATEMENT,
                    format!(
                        "`COMMENT ON {object_type}` ignored: the schema model does not carry comments on {}s yet",
                        object_type.to_string().to_lowercase()
                    ),
                )
                .at(&at)
                .note("`schema new` writes no such comment and `verify` does not compare it")
                .help("set it in a migration, or remove it to silence this warning"))
            }
            other => Err(self.unsupported(format!("`COMMENT ON {other}`"))),
        }
    }
}
