//! Schemas (namespaces) and extensions: `CREATE SCHEMA`, `DROP SCHEMA`,
//! `CREATE EXTENSION`, `DROP EXTENSION`, and `ALTER SEQUENCE ... RENAME TO`
//! (which carries a `serial` column's default along).
//!
//! `public` and the `plpgsql` extension exist in every database: creating
//! them again is a no-op in schema.sql (pg_dump writes both) and, as in
//! PostgreSQL, an error in a migration unless it says `IF NOT EXISTS`.

use sqlparser::ast::{CreateExtension, DropExtension, Ident, ObjectName, SchemaName, SqlOption};

use super::{Cx, Mode, Res};
use crate::diagnostic::{Diagnostic, Origin, codes};
use crate::model::expr::nextval;
use crate::model::names::{fold_ident, object_name_parts};
use crate::model::{DEFAULT_SCHEMA, Extension, Namespace, QualifiedName};

/// The extension every PostgreSQL database has (and introspection leaves out).
pub const BUILTIN_EXTENSION: &str = "plpgsql";

/// Schemas that always exist and that no statement creates.
const SYSTEM_SCHEMAS: [&str; 3] = [DEFAULT_SCHEMA, "pg_catalog", "information_schema"];

/// The parts of a `CREATE SCHEMA` statement, as sqlparser reads them.
pub(super) struct CreateSchema<'s> {
    pub(super) schema_name: &'s SchemaName,
    pub(super) or_replace: bool,
    pub(super) if_not_exists: bool,
    pub(super) with: Option<&'s Vec<SqlOption>>,
    pub(super) options: Option<&'s Vec<SqlOption>>,
    pub(super) default_collate_spec: bool,
    pub(super) clone: bool,
}

impl Cx<'_> {
    /// True when schema `name` exists: created by name, holding an object, or
    /// one of PostgreSQL's own.
    pub(super) fn namespace_exists(&self, name: &str) -> bool {
        SYSTEM_SCHEMAS.contains(&name) || self.schema.used_namespaces().contains(name)
    }

    /// `CREATE SCHEMA [IF NOT EXISTS] name`.
    pub(super) fn create_schema(&mut self, s: &CreateSchema<'_>) -> Res<()> {
        let refused = [
            (s.or_replace, "`CREATE OR REPLACE SCHEMA`"),
            (s.with.is_some(), "`CREATE SCHEMA ... WITH (...)`"),
            (s.options.is_some(), "`CREATE SCHEMA ... OPTIONS (...)`"),
            (
                s.default_collate_spec,
                "`CREATE SCHEMA ... DEFAULT COLLATE`",
            ),
            (s.clone, "`CREATE SCHEMA ... CLONE`"),
        ];
        if let Some((_, what)) = refused.iter().find(|(present, _)| *present) {
            return Err(self.unsupported(what));
        }
        let name = match s.schema_name {
            SchemaName::Simple(name) => name,
            SchemaName::UnnamedAuthorization(_) | SchemaName::NamedAuthorization(..) => {
                return Err(self
                    .unsupported("`CREATE SCHEMA ... AUTHORIZATION` (a schema's owner)")
                    .help(
                        "write `CREATE SCHEMA name;` and set its owner outside the schema files",
                    ));
            }
        };
        let at = self.at_name(name);
        let name = self.namespace_name(name)?;
        if name.starts_with("pg_") {
            return Err(Diagnostic::error(
                codes::NOT_ALLOWED_HERE,
                format!(
                    "schema name `{name}` is reserved: PostgreSQL refuses names starting with `pg_`"
                ),
            )
            .at(&at)
            .help("choose another name"));
        }
        let key = QualifiedName::global(&name);
        let builtin = SYSTEM_SCHEMAS.contains(&name.as_str());
        if self.schema.namespaces.contains_key(&key) || builtin {
            if s.if_not_exists || (builtin && self.mode == Mode::Declarative) {
                return Ok(());
            }
            return Err(Diagnostic::error(
                codes::DUPLICATE_OBJECT,
                format!("schema `{name}` already exists"),
            )
            .at(&at)
            .help("remove this statement, or write `CREATE SCHEMA IF NOT EXISTS`"));
        }
        self.schema.namespaces.insert(
            key,
            Namespace {
                name,
                comment: None,
                origin: at,
            },
        );
        Ok(())
    }

    /// `DROP SCHEMA [IF EXISTS] name [CASCADE]` (called once per name).
    pub(super) fn drop_schema(
        &mut self,
        name: &str,
        if_exists: bool,
        cascade: bool,
        at: &Origin,
    ) -> Res<()> {
        if SYSTEM_SCHEMAS.contains(&name) {
            return Err(self
                .unsupported(format!("dropping schema `{name}`"))
                .help("drop the objects in it instead"));
        }
        if !self.namespace_exists(name) {
            if if_exists {
                return Ok(());
            }
            return Err(Diagnostic::error(
                codes::UNKNOWN_OBJECT,
                format!("schema `{name}` does not exist at this point"),
            )
            .at(at)
            .help("create it before this statement (statements apply in order), or write `DROP SCHEMA IF EXISTS`"));
        }
        let inside = |q: &QualifiedName| q.schema == name;
        let tables: Vec<QualifiedName> = self
            .schema
            .tables
            .keys()
            .filter(|q| inside(q))
            .cloned()
            .collect();
        let enums: Vec<QualifiedName> = self
            .schema
            .enums
            .keys()
            .filter(|q| inside(q))
            .cloned()
            .collect();
        let sequences: Vec<QualifiedName> = self
            .schema
            .sequences
            .keys()
            .filter(|q| inside(q))
            .cloned()
            .collect();
        let domains: Vec<QualifiedName> = self
            .schema
            .domains
            .keys()
            .chain(self.schema.composites.keys())
            .filter(|q| inside(q))
            .cloned()
            .collect();
        let extensions: Vec<QualifiedName> = self
            .schema
            .extensions
            .iter()
            .filter(|(_, e)| e.schema.as_deref() == Some(name))
            .map(|(k, _)| k.clone())
            .collect();
        let functions: Vec<QualifiedName> = self
            .schema
            .functions
            .keys()
            .filter(|q| inside(q))
            .cloned()
            .collect();
        let views: Vec<QualifiedName> = self
            .schema
            .views
            .keys()
            .filter(|q| inside(q))
            .cloned()
            .collect();
        let held: Vec<String> = tables
            .iter()
            .map(|t| format!("table `{t}`"))
            .chain(views.iter().map(|v| format!("view `{v}`")))
            .chain(enums.iter().map(|e| format!("type `{e}`")))
            .chain(sequences.iter().map(|s| format!("sequence `{s}`")))
            .chain(domains.iter().map(|d| format!("type `{d}`")))
            .chain(extensions.iter().map(|e| format!("extension `{e}`")))
            .chain(
                functions
                    .iter()
                    .map(|f| format!("function `{}`", self.schema.functions[f].signature())),
            )
            .chain(self.schema.namespace_others(name))
            .collect();
        if !held.is_empty() && !cascade {
            return Err(Diagnostic::error(
                codes::NOT_ALLOWED_HERE,
                format!("cannot drop schema `{name}`: other objects depend on it"),
            )
            .at(at)
            .note(format!("it holds {}", held.join(", ")))
            .help("drop them first, or add CASCADE"));
        }
        if let Some(outside) = self.depends_from_outside(name) {
            return Err(self
                .unsupported("`DROP SCHEMA ... CASCADE` reaching objects outside the schema")
                .note(format!("{outside} depends on an object in schema `{name}`"))
                .help("drop or change it first, then drop the schema"));
        }
        for v in &views {
            if self.schema.views.contains_key(v) {
                self.drop_views_reading(v, "", true, at)?;
                self.schema.views.remove(v);
            }
        }
        for t in &tables {
            if self.schema.tables.contains_key(t) {
                self.drop_table(t, true, true, at)?;
            }
        }
        for d in &domains {
            self.schema.domains.remove(d);
            self.schema.composites.remove(d);
        }
        for e in &enums {
            self.schema.enums.remove(e);
        }
        for s in &sequences {
            self.schema.sequences.remove(s);
        }
        for e in &extensions {
            self.schema.extensions.remove(e);
        }
        for f in &functions {
            self.schema.functions.remove(f);
        }
        self.schema.drop_namespace_others(name);
        self.schema.namespaces.remove(&QualifiedName::global(name));
        Ok(())
    }

    /// Something outside schema `name` that uses an object in it (a foreign
    /// key to one of its tables, a column of one of its types, a default
    /// taking values from one of its sequences), in words.
    fn depends_from_outside(&self, name: &str) -> Option<String> {
        for d in self
            .schema
            .domains
            .values()
            .filter(|d| d.name.schema != name)
        {
            let mut inner = &d.base;
            while let crate::model::SqlType::Array(i) = inner {
                inner = i;
            }
            if matches!(inner, crate::model::SqlType::Named(n) if n.schema == name) {
                return Some(format!("domain `{}`", d.name));
            }
        }
        for c in self
            .schema
            .composites
            .values()
            .filter(|c| c.name.schema != name)
        {
            for a in &c.attributes {
                let mut inner = &a.data_type;
                while let crate::model::SqlType::Array(i) = inner {
                    inner = i;
                }
                if matches!(inner, crate::model::SqlType::Named(n) if n.schema == name) {
                    return Some(format!("attribute `{}.{}`", c.name, a.name));
                }
            }
        }
        for t in self
            .schema
            .tables
            .values()
            .filter(|t| t.name.schema != name)
        {
            for c in t.constraints.values() {
                if let crate::model::ConstraintKind::ForeignKey(fk) = &c.kind {
                    if fk.ref_table.schema == name {
                        return Some(format!("foreign key `{}` of table `{}`", c.name, t.name));
                    }
                }
            }
            for c in &t.columns {
                let in_schema = |ty: &crate::model::SqlType| match ty {
                    crate::model::SqlType::Named(n) => n.schema == name,
                    crate::model::SqlType::Array(inner) => {
                        matches!(&**inner, crate::model::SqlType::Named(n) if n.schema == name)
                    }
                    _ => false,
                };
                let from_sequence = self
                    .schema
                    .sequences
                    .keys()
                    .filter(|s| s.schema == name)
                    .any(|s| c.default.as_ref() == Some(&nextval(s)));
                if in_schema(&c.data_type) || from_sequence {
                    return Some(format!("column `{}.{}`", t.name, c.name));
                }
            }
        }
        None
    }

    /// The one-part name of a schema.
    fn namespace_name(&self, name: &ObjectName) -> Res<String> {
        match object_name_parts(name).as_slice() {
            [n] => Ok(n.clone()),
            _ => Err(self
                .err(
                    codes::SYNTAX,
                    format!("`{name}` is not a valid schema name"),
                )
                .at(&self.at_name(name))
                .help("a schema name has one part")),
        }
    }

    /// `CREATE EXTENSION [IF NOT EXISTS] name [WITH] [SCHEMA s] [VERSION v] [CASCADE]`.
    pub(super) fn create_extension(&mut self, ce: &CreateExtension) -> Res<()> {
        let at = self.at_ident(&ce.name);
        let name = fold_ident(&ce.name);
        let key = QualifiedName::global(&name);
        if self.schema.extensions.contains_key(&key) || name == BUILTIN_EXTENSION {
            if ce.if_not_exists || (name == BUILTIN_EXTENSION && self.mode == Mode::Declarative) {
                return Ok(());
            }
            return Err(Diagnostic::error(
                codes::DUPLICATE_OBJECT,
                format!("extension `{name}` already exists"),
            )
            .at(&at)
            .help("remove this statement, or write `CREATE EXTENSION IF NOT EXISTS`"));
        }
        let schema = ce.schema.as_ref().map(fold_ident);
        if let Some(s) = &schema {
            if !self.namespace_exists(s) {
                let at = ce.schema.as_ref().map_or(at.clone(), |i| self.at_ident(i));
                return Err(Diagnostic::error(
                    codes::UNKNOWN_OBJECT,
                    format!("schema `{s}` does not exist at this point"),
                )
                .at(&at)
                .help(format!("create it first: `CREATE SCHEMA {s};`")));
            }
        }
        self.schema.extensions.insert(
            key,
            Extension {
                name,
                schema,
                version: ce.version.as_ref().map(version_text),
                if_not_exists: ce.if_not_exists,
                with_keyword: ce.with_keyword,
                cascade: ce.cascade,
                requires: Vec::new(),
                comment: crate::model::ExtensionComment::Default,
                origin: at,
            },
        );
        Ok(())
    }

    /// `DROP EXTENSION [IF EXISTS] name, ... [RESTRICT]`. `CASCADE` is refused:
    /// the model does not know which defaults, columns or indexes use an
    /// extension's functions and types, which PostgreSQL would drop with it.
    pub(super) fn drop_extension(&mut self, de: &DropExtension) -> Res<()> {
        if matches!(
            de.cascade_or_restrict,
            Some(sqlparser::ast::ReferentialAction::Cascade)
        ) {
            return Err(self
                .unsupported("`DROP EXTENSION ... CASCADE`")
                .note("PostgreSQL would also drop what uses the extension's functions and types, which the model does not track")
                .help("drop or change what uses the extension first, then write `DROP EXTENSION` without CASCADE"));
        }
        if !de.if_exists {
            self.not_in_declarative("DROP EXTENSION")?;
        }
        for ident in &de.names {
            let name = fold_ident(ident);
            let at = self.at_ident(ident);
            if name == BUILTIN_EXTENSION {
                return Err(self
                    .unsupported(format!("dropping extension `{name}`"))
                    .help("every PostgreSQL database has it; remove this statement"));
            }
            let key = QualifiedName::global(&name);
            let resolved_before = self.columns_where(|c| self.extension_type_resolves(c));
            if let Some(extension) = self.schema.extensions.remove(&key) {
                let orphaned: Vec<String> = resolved_before
                    .into_iter()
                    .filter(|(table, column)| {
                        self.schema.tables.get(table).is_some_and(|t| {
                            t.column(column)
                                .is_some_and(|c| !self.extension_type_resolves(c))
                        })
                    })
                    .map(|(table, column)| format!("`{table}.{column}`"))
                    .collect();
                if !orphaned.is_empty() {
                    self.schema.extensions.insert(key, extension);
                    return Err(Diagnostic::error(
                        codes::NOT_ALLOWED_HERE,
                        format!(
                            "extension `{name}` cannot be dropped: {} {} a type it creates",
                            orphaned.join(", "),
                            if orphaned.len() == 1 { "has" } else { "have" }
                        ),
                    )
                    .at(&at)
                    .note("PostgreSQL refuses to drop an extension whose types columns still use")
                    .help("drop those columns or change their types first"));
                }
            } else if !de.if_exists {
                return Err(Diagnostic::error(
                    codes::UNKNOWN_OBJECT,
                    format!("extension `{name}` does not exist at this point"),
                )
                .at(&at)
                .help("create it before this statement, or write `DROP EXTENSION IF EXISTS`"));
            }
        }
        Ok(())
    }

    /// `ALTER SEQUENCE [IF EXISTS] name RENAME TO new`: columns whose default
    /// takes values from it keep doing so under the new name (PostgreSQL
    /// stores the sequence's oid in the default, and prints its current name).
    pub(super) fn rename_sequence(
        &mut self,
        sequence: &[String],
        if_exists: bool,
        new_name: &str,
    ) -> Res<()> {
        self.not_in_declarative("ALTER SEQUENCE ... RENAME TO")?;
        let old = match sequence {
            [n] => QualifiedName::public(n.clone()),
            [s, n] => QualifiedName::new(s.clone(), n.clone()),
            _ => return Err(self.err(codes::SYNTAX, "bad sequence name")),
        };
        let Some(mut seq) = self.schema.sequences.get(&old).cloned() else {
            if if_exists {
                return Ok(());
            }
            return Err(self
                .err(
                    codes::UNKNOWN_OBJECT,
                    format!("sequence `{old}` does not exist at this point"),
                )
                .help("create the sequence first"));
        };
        let new = QualifiedName::new(old.schema.clone(), new_name);
        if new == old {
            return Ok(());
        }
        if self.schema.relation_name_taken(&new) {
            return Err(self
                .err(
                    codes::DUPLICATE_OBJECT,
                    format!("relation `{new}` already exists"),
                )
                .help("choose another name"));
        }
        self.schema.sequences.remove(&old);
        seq.name = new.clone();
        self.schema.sequences.insert(new.clone(), seq);
        self.schema.rename_acl(&old, &new);
        let (from, to) = (nextval(&old), nextval(&new));
        self.schema.tables.update_where(
            |t| t.columns.iter().any(|c| c.default.as_ref() == Some(&from)),
            |t| {
                for c in &mut t.columns {
                    if c.default.as_ref() == Some(&from) {
                        c.default = Some(to.clone());
                    }
                }
            },
        );
        Ok(())
    }
}

/// The text of `VERSION v`: the string or the identifier as written.
fn version_text(v: &Ident) -> String {
    v.value.clone()
}
