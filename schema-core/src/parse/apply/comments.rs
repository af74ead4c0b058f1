//! `COMMENT ON TABLE | COLUMN | INDEX | CONSTRAINT` (kept in the model) and on
//! schemas and extensions (ignored with a warning in schema.sql).

use sqlparser::ast::{CommentObject, Ident, ObjectName};

use super::{Cx, Mode, Res};
use crate::diagnostic::{Diagnostic, codes};
use crate::model::QualifiedName;
use crate::model::names::{closest, fold_ident, object_name_parts};

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
            CommentObject::Index => {
                let name = self.name(object_name)?;
                let owner = self.schema.index_owner(&name).cloned();
                let Some(table) = owner else {
                    if if_exists {
                        return Ok(());
                    }
                    let of_constraint = self.schema.tables.holding(&name.name).any(|(_, t)| {
                        t.name.schema == name.schema
                            && t.constraints
                                .get(&name.name)
                                .is_some_and(|c| c.kind.has_index())
                    });
                    if of_constraint {
                        return Err(Diagnostic::error(
                            codes::UNSUPPORTED_FEATURE,
                            format!(
                                "index `{name}` is the index of a constraint: a comment on it is not supported yet"
                            ),
                        )
                        .at(&at)
                        .note("it is refused rather than dropped, so the database never silently differs from this file")
                        .help(format!(
                            "comment on the constraint instead: `COMMENT ON CONSTRAINT {} ON <table> IS '...'`",
                            crate::model::names::quote_ident(&name.name)
                        )));
                    }
                    return Err(Diagnostic::error(
                        codes::UNKNOWN_OBJECT,
                        format!("index `{name}` does not exist at this point"),
                    )
                    .at(&at)
                    .help("create the index before commenting on it (statements apply in order)"));
                };
                if let Some(i) = self.table_mut(&table, &at)?.indexes.get_mut(&name.name) {
                    i.comment = comment;
                }
                Ok(())
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

impl Cx<'_> {
    /// `COMMENT ON CONSTRAINT c ON t IS {'text' | NULL}`.
    pub(super) fn comment_on_constraint(
        &mut self,
        constraint: &Ident,
        table: &ObjectName,
        domain: bool,
        comment: Option<String>,
    ) -> Res<()> {
        if domain {
            return Err(self.refuse_clause(
                "COMMENT ON CONSTRAINT ... ON DOMAIN",
                &["DOMAIN"],
                "COMMENT ON CONSTRAINT",
            ));
        }
        let at = self.at_ident(constraint);
        let table_name = self.name(table)?;
        let cname = fold_ident(constraint);
        let t = self.table_mut(&table_name, &self.at_name(table))?;
        let suggestion =
            closest(&cname, t.constraints.keys().map(String::as_str)).map(str::to_string);
        let Some(c) = t.constraints.get_mut(&cname) else {
            return Err(Diagnostic::error(
                codes::UNKNOWN_OBJECT,
                format!(
                    "constraint `{cname}` of table `{table_name}` does not exist at this point"
                ),
            )
            .at(&at)
            .help(match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => "add the constraint before commenting on it (statements apply in order)"
                    .to_string(),
            }));
        };
        c.comment = comment;
        Ok(())
    }
}
