//! Types: `CREATE TYPE ... AS ENUM`, `ALTER TYPE`, and whether a column's type
//! exists at this point.

use sqlparser::ast::{AlterTypeAddValuePosition, AlterTypeOperation, Ident};

use super::{Cx, Res};
use crate::diagnostic::{Diagnostic, Origin, codes};
use crate::model::contrib::{ExtensionType, resolve_extension_type};
use crate::model::names::{closest, fold_ident, quote_ident};
use crate::model::{Directives, EnumType, QualifiedName, SqlType};

impl Cx<'_> {
    pub(super) fn create_enum(&mut self, name: QualifiedName, labels: &[Ident]) -> Res<()> {
        if let Some(domain) = self.schema.domains.get(&name) {
            return Err(self
                .err(
                    codes::DUPLICATE_OBJECT,
                    format!("type `{name}` already exists"),
                )
                .related(&domain.origin, "a domain of that name is created here")
                .help("choose another name"));
        }
        if let Some(c) = self.schema.composites.get(&name) {
            return Err(self
                .err(
                    codes::DUPLICATE_OBJECT,
                    format!("type `{name}` already exists"),
                )
                .related(&c.origin, "a composite type of that name is created here")
                .help("choose another name"));
        }
        if self.schema.enums.contains_key(&name) {
            return Err(self
                .err(
                    codes::DUPLICATE_OBJECT,
                    format!("type `{name}` already exists"),
                )
                .related(&self.schema.enums[&name].origin, "first created here")
                .help("remove one of the two definitions"));
        }
        let mut values: Vec<String> = Vec::new();
        for l in labels {
            if values.contains(&l.value) {
                return Err(self
                    .err(
                        codes::DUPLICATE_OBJECT,
                        format!("enum label `{}` is listed twice", l.value),
                    )
                    .help("remove the repeated label"));
            }
            values.push(l.value.clone());
        }
        self.schema.enums.insert(
            name.clone(),
            EnumType {
                name,
                values,
                comment: None,
                origin: self.origin(),
                directives: Directives(self.directives.clone()),
            },
        );
        Ok(())
    }

    pub(super) fn alter_type(&mut self, name: &QualifiedName, op: &AlterTypeOperation) -> Res<()> {
        self.not_in_declarative("ALTER TYPE")?;
        if let (Some(c), AlterTypeOperation::Rename(r)) = (self.schema.composites.get(name), op) {
            let new = QualifiedName::new(name.schema.clone(), fold_ident(&r.new_name));
            if new == *name {
                return Ok(());
            }
            if self.schema.type_name_taken(&new) {
                return Err(self.err(
                    codes::DUPLICATE_OBJECT,
                    format!("type `{new}` already exists"),
                ));
            }
            let mut c = c.clone();
            c.name = new.clone();
            self.schema.composites.remove(name);
            self.schema.composites.insert(new.clone(), c);
            self.rename_type_everywhere(name, &new);
            return Ok(());
        }
        let Some(e) = self.schema.enums.get(name) else {
            if self.schema.composites.contains_key(name) {
                return Err(self
                    .err(
                        codes::SYNTAX,
                        format!("`{name}` is a composite type: it has no labels"),
                    )
                    .help("change its attributes with `ALTER TYPE ... ADD | DROP | ALTER | RENAME ATTRIBUTE`"));
            }
            if self.schema.domains.contains_key(name) {
                return Err(self
                    .err(
                        codes::UNSUPPORTED_FEATURE,
                        format!("`{name}` is a domain: `ALTER TYPE` changes enum types here"),
                    )
                    .help("use `ALTER DOMAIN` instead"));
            }
            return Err(self
                .err(
                    codes::UNKNOWN_OBJECT,
                    format!("type `{name}` does not exist at this point"),
                )
                .help("create the type first"));
        };
        let mut e = e.clone();
        match op {
            AlterTypeOperation::AddValue(add) => {
                let v = add.value.value.clone();
                if e.values.contains(&v) {
                    if add.if_not_exists {
                        return Ok(());
                    }
                    return Err(self.err(
                        codes::DUPLICATE_OBJECT,
                        format!("enum label `{v}` already exists in `{name}`"),
                    ));
                }
                let at = match &add.position {
                    None => e.values.len(),
                    Some(AlterTypeAddValuePosition::Before(n)) => self.label_index(&e, &n.value)?,
                    Some(AlterTypeAddValuePosition::After(n)) => {
                        self.label_index(&e, &n.value)? + 1
                    }
                };
                e.values.insert(at, v);
            }
            AlterTypeOperation::RenameValue(r) => {
                let i = self.label_index(&e, &r.from.value)?;
                if e.values.contains(&r.to.value) {
                    return Err(self.err(
                        codes::DUPLICATE_OBJECT,
                        format!("enum label `{}` already exists in `{name}`", r.to.value),
                    ));
                }
                e.values[i] = r.to.value.clone();
            }
            AlterTypeOperation::Rename(r) => {
                let new = QualifiedName::new(name.schema.clone(), fold_ident(&r.new_name));
                if new == *name {
                    return Ok(());
                }
                if self.schema.type_name_taken(&new) {
                    return Err(self.err(
                        codes::DUPLICATE_OBJECT,
                        format!("type `{new}` already exists"),
                    ));
                }
                self.schema.enums.remove(name);
                e.name = new.clone();
                self.schema.enums.insert(new.clone(), e);
                self.rename_type_everywhere(name, &new);
                return Ok(());
            }
        }
        self.schema.enums.insert(name.clone(), e);
        Ok(())
    }

    fn label_index(&self, e: &EnumType, label: &str) -> Res<usize> {
        e.values.iter().position(|v| v == label).ok_or_else(|| {
            self.err(
                codes::UNKNOWN_OBJECT,
                format!("`{label}` is not a label of enum `{}`", e.name),
            )
            .note(format!("its labels are: {}", e.values.join(", ")))
        })
    }

    /// True when `c`'s type (through arrays) is an extension's type that
    /// resolves: a contrib type whose extension is created, or an opaque
    /// name under an extension this tool does not know.
    pub(super) fn extension_type_resolves(&self, c: &crate::model::Column) -> bool {
        let mut ty = &c.data_type;
        while let SqlType::Array(inner) = ty {
            ty = inner;
        }
        matches!(ty, SqlType::Named(name) if matches!(
            resolve_extension_type(self.schema, name),
            ExtensionType::Known { .. } | ExtensionType::Opaque { .. }
        ))
    }

    pub(super) fn check_type_exists(&self, ty: &SqlType, at: &Origin) -> Res<()> {
        match ty {
            SqlType::Array(inner) => self.check_type_exists(inner, at),
            SqlType::Named(name)
                if self.schema.domains.contains_key(name)
                    || self.schema.composites.contains_key(name) =>
            {
                Ok(())
            }
            SqlType::Named(name)
                if !self.schema.enums.contains_key(name)
                    && name.schema == crate::model::DEFAULT_SCHEMA
                    && !self.schema.enums.keys().any(|k| k.name == name.name)
                    && is_unmodelled_builtin_type(&name.name) =>
            {
                Err(Diagnostic::error(
                    codes::UNSUPPORTED_FEATURE,
                    format!(
                        "type `{}` is not supported yet: it is a PostgreSQL type the schema model does not carry",
                        name.name
                    ),
                )
                .at(at)
                .note("it is refused rather than changed, so the database never silently differs from this file")
                .help("use a type the model knows (`text`, `integer`, `jsonb`, ...), or keep this table in a separate SQL file run after migrations"))
            }
            SqlType::Named(name) if !self.schema.enums.contains_key(name) => {
                match resolve_extension_type(self.schema, name) {
                    ExtensionType::Known { .. } | ExtensionType::Opaque { .. } => return Ok(()),
                    ExtensionType::Missing {
                        extension,
                        installed_in,
                    } => {
                        let d = Diagnostic::error(
                            codes::UNKNOWN_OBJECT,
                            format!("type `{name}` does not exist at this point"),
                        )
                        .at(at);
                        return Err(match installed_in {
                            None => d
                                .note(format!("`{}` is created by the extension `{extension}`", name.name))
                                .help(format!(
                                    "create the extension first: `CREATE EXTENSION IF NOT EXISTS {};`",
                                    quote_ident(extension)
                                )),
                            Some(installed) => d
                                .note(format!(
                                    "the extension `{extension}` creates `{}` in schema `{installed}`",
                                    name.name
                                ))
                                .help(format!(
                                    "write `{}`",
                                    QualifiedName::new(installed, name.name.clone())
                                )),
                        });
                    }
                    ExtensionType::Unknown => {}
                }
                let mut d = Diagnostic::error(
                    codes::UNKNOWN_OBJECT,
                    format!("type `{name}` does not exist at this point"),
                )
                .at(at);
                d = match closest(
                    &name.name,
                    self.schema
                        .enums
                        .keys()
                        .chain(self.schema.domains.keys())
                        .chain(self.schema.composites.keys())
                        .map(|k| k.name.as_str()),
                ) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.help(format!(
                        "declare it first: `CREATE TYPE {name} AS ENUM (...);`"
                    )),
                };
                Err(d)
            }
            _ => Ok(()),
        }
    }
}

/// PostgreSQL's own types that the model has no place for yet (system
/// types, ...): refused by name instead of "does not exist".
fn is_unmodelled_builtin_type(name: &str) -> bool {
    const BUILTIN: &[&str] = &[
        "name",
        "oid",
        "regclass",
        "regproc",
        "regprocedure",
        "regoper",
        "regoperator",
        "regtype",
        "regconfig",
        "regdictionary",
        "regnamespace",
        "regrole",
        "regcollation",
        "xid",
        "xid8",
        "cid",
        "tid",
        "pg_snapshot",
        "txid_snapshot",
        "\"char\"",
        "char",
        "aclitem",
        "refcursor",
    ];
    BUILTIN.contains(&name)
}
