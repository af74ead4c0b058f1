//! `COMMENT ON TABLE | COLUMN | INDEX | CONSTRAINT | DOMAIN | SEQUENCE | TYPE |
//! SCHEMA | EXTENSION`, kept in the model. As in PostgreSQL, `IS NULL` and
//! `IS ''` remove a comment, and `COMMENT ON TYPE` names any type a comment
//! can be kept on (an enum type, a composite type, a domain).

use sqlparser::ast::{CommentObject, Ident, ObjectName};

use super::{BUILTIN_EXTENSION, Cx, Res};
use crate::diagnostic::{Diagnostic, Origin, codes};
use crate::model::names::{closest, fold_ident, object_name_parts, quote_ident};
use crate::model::{
    DEFAULT_SCHEMA, ExtensionComment, Namespace, PUBLIC_SCHEMA_COMMENT, QualifiedName, contrib,
};

impl Cx<'_> {
    pub(super) fn comment(
        &mut self,
        object_type: &CommentObject,
        object_name: &ObjectName,
        comment: Option<String>,
        if_exists: bool,
    ) -> Res<()> {
        let at = self.at_name(object_name);
        // PostgreSQL stores no empty comment: `IS ''` removes it.
        let comment = comment.filter(|c| !c.is_empty());
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
                if let Some(done) =
                    self.comment_on_view_column(&table, &column, &at, comment.clone())
                {
                    return done;
                }
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
            CommentObject::View | CommentObject::MaterializedView => {
                let name = self.name(object_name)?;
                let materialized = matches!(object_type, CommentObject::MaterializedView);
                self.comment_on_view(&name, materialized, &at, comment, if_exists)
            }
            CommentObject::Domain => {
                let name = self.name(object_name)?;
                self.comment_on_domain(&name, &at, comment, if_exists)
            }
            CommentObject::Index => {
                let name = self.name(object_name)?;
                if let Some(view) = self.schema.view_index_owner(&name).cloned() {
                    if let Some(i) = self
                        .schema
                        .views
                        .get_mut(&view)
                        .and_then(|v| v.indexes.get_mut(&name.name))
                    {
                        i.comment = comment;
                    }
                    return Ok(());
                }
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
            CommentObject::Sequence => {
                let name = self.name(object_name)?;
                self.comment_on_sequence(&name, &at, comment, if_exists)
            }
            CommentObject::Type => {
                let name = self.name(object_name)?;
                self.comment_on_type(&name, &at, comment, if_exists)
            }
            CommentObject::Schema => {
                let name = self.global_name(object_name, "schema")?;
                self.comment_on_schema(&name, &at, comment, if_exists)
            }
            CommentObject::Extension => {
                let name = self.global_name(object_name, "extension")?;
                self.comment_on_extension(&name, &at, comment, if_exists)
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

impl Cx<'_> {
    /// The one-part name of a schema or an extension (`what`).
    fn global_name(&self, name: &ObjectName, what: &str) -> Res<String> {
        match object_name_parts(name).as_slice() {
            [one] => Ok(one.clone()),
            _ => Err(self
                .err(
                    codes::SYNTAX,
                    format!("`{name}` is not the name of a {what}"),
                )
                .at(&self.at_name(name))
                .help(format!(
                    "a {what} has a one-part name: `COMMENT ON {} name IS '...'`",
                    what.to_uppercase()
                ))),
        }
    }

    /// `COMMENT ON SEQUENCE name IS ...`: a sequence of its own or a `serial`
    /// column's. An identity column's sequence is part of its column in the
    /// model, which does not carry a comment on it: refused by name.
    fn comment_on_sequence(
        &mut self,
        name: &QualifiedName,
        at: &Origin,
        comment: Option<String>,
        if_exists: bool,
    ) -> Res<()> {
        if self.schema.sequences.contains_key(name) {
            self.schema
                .sequences
                .update_where(|s| s.name == *name, |s| s.comment = comment.clone());
            return Ok(());
        }
        if let Some((table, column)) = self.identity_sequence_owner(name) {
            return Err(Diagnostic::error(
                codes::UNSUPPORTED_FEATURE,
                format!(
                    "sequence `{name}` is the sequence of identity column `{table}.{column}`: a comment on it is not supported yet"
                ),
            )
            .at(at)
            .note("the model keeps an identity column's sequence as part of the column; the comment is refused rather than dropped, so the database never silently differs from this file")
            .help("remove this statement; if the database needs the comment, set it from a separate SQL file run after migrations"));
        }
        if if_exists {
            return Ok(());
        }
        let mut d = Diagnostic::error(
            codes::UNKNOWN_OBJECT,
            format!("sequence `{name}` does not exist at this point"),
        )
        .at(at);
        d = match closest(
            &name.name,
            self.schema.sequences.keys().map(|k| k.name.as_str()),
        ) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => {
                d.help("create the sequence before commenting on it (statements apply in order)")
            }
        };
        Err(d)
    }

    /// The identity column whose sequence PostgreSQL names `name`, if one is.
    pub(super) fn identity_sequence_owner(
        &self,
        name: &QualifiedName,
    ) -> Option<(QualifiedName, String)> {
        self.schema
            .tables
            .values()
            .filter(|t| t.name.schema == name.schema)
            .flat_map(|t| {
                t.columns
                    .iter()
                    .filter(|c| c.identity.is_some())
                    .map(move |c| (t, c))
            })
            .find(|(t, c)| {
                let plain =
                    crate::model::names::make_object_name(&t.name.name, Some(&c.name), Some("seq"));
                plain == name.name
                    || crate::model::names::choose_relation_name(
                        self.schema,
                        &[],
                        &t.name,
                        Some(&c.name),
                        "seq",
                    ) == name.name
            })
            .map(|(t, c)| (t.name.clone(), c.name.clone()))
    }

    /// `COMMENT ON TYPE name IS ...`: an enum type, a composite type, or (as
    /// PostgreSQL takes it) a domain. A table's row type is refused: the
    /// model does not carry a comment on it.
    fn comment_on_type(
        &mut self,
        name: &QualifiedName,
        at: &Origin,
        comment: Option<String>,
        if_exists: bool,
    ) -> Res<()> {
        if self.schema.enums.contains_key(name) {
            self.schema
                .enums
                .update_where(|e| e.name == *name, |e| e.comment = comment.clone());
            return Ok(());
        }
        if self.schema.composites.contains_key(name) {
            self.schema
                .composites
                .update_where(|c| c.name == *name, |c| c.comment = comment.clone());
            return Ok(());
        }
        if self.schema.domains.contains_key(name) {
            return self.comment_on_domain(name, at, comment, if_exists);
        }
        if self.schema.tables.contains_key(name) {
            return Err(Diagnostic::error(
                codes::UNSUPPORTED_FEATURE,
                format!("type `{name}` is the row type of table `{name}`: a comment on it is not supported"),
            )
            .at(at)
            .note("it is refused rather than dropped, so the database never silently differs from this file")
            .help(format!("comment on the table instead: `COMMENT ON TABLE {name} IS '...'`")));
        }
        if if_exists {
            return Ok(());
        }
        let types = self
            .schema
            .enums
            .keys()
            .chain(self.schema.composites.keys())
            .chain(self.schema.domains.keys())
            .map(|k| k.name.as_str());
        let mut d = Diagnostic::error(
            codes::UNKNOWN_OBJECT,
            format!("type `{name}` does not exist at this point"),
        )
        .at(at)
        .note("a comment is kept on an enum type, a composite type or a domain of the schema; PostgreSQL's own types are left alone");
        d = match closest(&name.name, types) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.help("create the type before commenting on it (statements apply in order)"),
        };
        Err(d)
    }

    /// `COMMENT ON SCHEMA name IS ...`: a schema created by name, or
    /// `public`, which the model holds as a [`Namespace`] only while its
    /// comment is not [`PUBLIC_SCHEMA_COMMENT`].
    fn comment_on_schema(
        &mut self,
        name: &str,
        at: &Origin,
        comment: Option<String>,
        if_exists: bool,
    ) -> Res<()> {
        let key = QualifiedName::global(name);
        if self.schema.namespaces.contains_key(&key) {
            if name == DEFAULT_SCHEMA && comment.as_deref() == Some(PUBLIC_SCHEMA_COMMENT) {
                self.schema.namespaces.remove(&key);
            } else {
                self.schema
                    .namespaces
                    .update_where(|n| n.name == name, |n| n.comment = comment.clone());
            }
            return Ok(());
        }
        if name == DEFAULT_SCHEMA {
            if comment.as_deref() != Some(PUBLIC_SCHEMA_COMMENT) {
                self.schema.namespaces.insert(
                    key,
                    Namespace {
                        name: name.to_string(),
                        comment,
                        origin: at.clone(),
                    },
                );
            }
            return Ok(());
        }
        if self.namespace_exists(name) {
            return Err(Diagnostic::error(
                codes::UNSUPPORTED_FEATURE,
                format!("a comment on schema `{name}`, which this file does not create, is not supported"),
            )
            .at(at)
            .note("it is refused rather than dropped, so the database never silently differs from this file")
            .help(format!("create the schema first (`CREATE SCHEMA {}`), or remove this statement", quote_ident(name))));
        }
        if if_exists {
            return Ok(());
        }
        Err(Diagnostic::error(
            codes::UNKNOWN_OBJECT,
            format!("schema `{name}` does not exist at this point"),
        )
        .at(at)
        .help(format!(
            "create it before commenting on it: `CREATE SCHEMA {};`",
            quote_ident(name)
        )))
    }

    /// `COMMENT ON EXTENSION name IS ...` (see [`ExtensionComment`]).
    /// `plpgsql`, which every database has, is not modelled: its own comment
    /// (as pg_dump may write it) is accepted, another refused.
    fn comment_on_extension(
        &mut self,
        name: &str,
        at: &Origin,
        comment: Option<String>,
        if_exists: bool,
    ) -> Res<()> {
        let key = QualifiedName::global(name);
        if self.schema.extensions.contains_key(&key) {
            let stated = ExtensionComment::stated(name, comment);
            self.schema
                .extensions
                .update_where(|e| e.name == name, |e| e.comment = stated.clone());
            return Ok(());
        }
        if name == BUILTIN_EXTENSION {
            if comment.as_deref() == contrib::default_comment(name) {
                return Ok(());
            }
            return Err(Diagnostic::error(
                codes::UNSUPPORTED_FEATURE,
                format!("a comment on extension `{name}` other than its own is not supported"),
            )
            .at(at)
            .note("every database has `plpgsql`, which the model leaves out; the comment is refused rather than dropped, so the database never silently differs from this file")
            .help("remove this statement"));
        }
        if if_exists {
            return Ok(());
        }
        Err(Diagnostic::error(
            codes::UNKNOWN_OBJECT,
            format!("extension `{name}` does not exist at this point"),
        )
        .at(at)
        .help(format!(
            "create it before commenting on it: `CREATE EXTENSION {};`",
            quote_ident(name)
        )))
    }
}
