//! Composite types: `CREATE TYPE ... AS (...)` and `ALTER TYPE ... ATTRIBUTE`,
//! as PostgreSQL 15 does them to the model (an attribute's type cannot change
//! while a column or another type uses the type).

use sqlparser::ast::{DataType, Ident, ObjectName, UserDefinedTypeCompositeAttributeDef};

use super::{Cx, Res};
use crate::diagnostic::{Diagnostic, Origin, codes};
use crate::model::names::fold_ident;
use crate::model::types::TypeSpec;
use crate::model::{Attribute, CompositeType, Directives, QualifiedName, SqlType};
use crate::parse::composites::{AlterAttributes, AttributeAction};

impl Cx<'_> {
    /// `CREATE TYPE name AS (attribute type [COLLATE c], ...)`.
    pub(super) fn create_composite(
        &mut self,
        name: &ObjectName,
        attributes: &[UserDefinedTypeCompositeAttributeDef],
    ) -> Res<()> {
        self.check_object_name(name, "type")?;
        let at = self.at_name(name);
        let name = self.name(name)?;
        if self.schema.type_name_taken(&name) {
            return Err(Diagnostic::error(
                codes::DUPLICATE_OBJECT,
                format!("type `{name}` already exists"),
            )
            .at(&at)
            .help("a type shares its schema's type names with tables, enum types and domains: choose another name"));
        }
        let mut out = CompositeType {
            name: name.clone(),
            attributes: Vec::new(),
            comment: None,
            origin: at,
            directives: Directives(self.directives.clone()),
        };
        for a in attributes {
            let attribute = self.attribute(&name, &a.name, &a.data_type, a.collation.as_ref())?;
            if out.attributes.iter().any(|x| x.name == attribute.name) {
                return Err(self.duplicate_attribute(&name, &attribute.name, &a.name));
            }
            out.attributes.push(attribute);
        }
        self.schema.composites.insert(name, out);
        Ok(())
    }

    fn duplicate_attribute(&self, ty: &QualifiedName, name: &str, at: &Ident) -> Diagnostic {
        Diagnostic::error(
            codes::DUPLICATE_OBJECT,
            format!("attribute `{name}` of type `{ty}` already exists"),
        )
        .at(&self.at_ident(at))
        .help("choose another name")
    }

    /// One attribute, its type checked and its collation read.
    fn attribute(
        &self,
        ty: &QualifiedName,
        name: &Ident,
        data_type: &DataType,
        collation: Option<&ObjectName>,
    ) -> Res<Attribute> {
        self.check_name(name, "attribute")?;
        let at = self.at_ident(name);
        let spec = TypeSpec::from_ast(data_type).map_err(|m| {
            Diagnostic::error(codes::SYNTAX, m)
                .at(&at)
                .help("write a PostgreSQL type")
        })?;
        if spec.serial {
            return Err(Diagnostic::error(
                codes::SYNTAX,
                format!("`{data_type}` is not a type an attribute can have"),
            )
            .at(&at)
            .note("serial is a shorthand of column definitions, not a type")
            .help("use `integer` (or `bigint`, `smallint`)"));
        }
        if let SqlType::Named(n) = &spec.ty {
            if n == ty {
                return Err(Diagnostic::error(
                    codes::SYNTAX,
                    format!("composite type `{ty}` cannot be made a member of itself"),
                )
                .at(&at)
                .help("use another type"));
            }
        }
        self.check_type_exists(&spec.ty, &at)?;
        let collation = match collation {
            None => None,
            Some(c) => {
                let collatable = matches!(
                    self.schema.base_type(&spec.ty),
                    SqlType::Text | SqlType::Varchar(_) | SqlType::Char(_)
                );
                if !collatable {
                    return Err(Diagnostic::error(
                        codes::SYNTAX,
                        format!("collations are not supported by type `{}`", spec.ty),
                    )
                    .at(&self.at_name(c))
                    .help("remove `COLLATE`, or use a text type"));
                }
                let visible = super::indexes::visible_name(c, "collation").map_err(|m| {
                    self.refuse_clause("COLLATE", &["COLLATE"], "CREATE TYPE")
                        .at(&self.at_name(c))
                        .note(m)
                })?;
                (visible != "default").then_some(visible)
            }
        };
        Ok(Attribute {
            name: fold_ident(name),
            data_type: spec.ty,
            collation,
        })
    }

    /// `ALTER TYPE name {ADD | DROP | ALTER | RENAME} ATTRIBUTE ...`.
    pub(super) fn alter_attributes(&mut self, aa: &AlterAttributes) -> Res<()> {
        self.not_in_declarative("ALTER TYPE")?;
        let name = self.name(&aa.name)?;
        let Some(mut ty) = self.schema.composites.get(&name).cloned() else {
            return Err(Diagnostic::error(
                codes::UNKNOWN_OBJECT,
                format!("composite type `{name}` does not exist at this point"),
            )
            .at(&self.at_name(&aa.name))
            .help("create it before this statement (statements apply in order)"));
        };
        for (action, at) in &aa.actions {
            let at = self.at_location(*at);
            let position =
                |ty: &CompositeType, n: &str| ty.attributes.iter().position(|a| a.name == n);
            match action {
                AttributeAction::Add {
                    name: a,
                    data_type,
                    collation,
                } => {
                    let attribute = self.attribute(&name, a, data_type, collation.as_ref())?;
                    if position(&ty, &attribute.name).is_some() {
                        return Err(self.duplicate_attribute(&name, &attribute.name, a));
                    }
                    ty.attributes.push(attribute);
                }
                AttributeAction::Drop { name: a, if_exists } => {
                    match position(&ty, &fold_ident(a)) {
                        Some(i) => {
                            ty.attributes.remove(i);
                        }
                        None if *if_exists => {}
                        None => return Err(unknown_attribute(&name, &fold_ident(a), &at)),
                    }
                }
                AttributeAction::SetType {
                    name: a,
                    data_type,
                    collation,
                } => {
                    let users = self.users_of_type(&name);
                    if !users.is_empty() {
                        return Err(Diagnostic::error(
                            codes::NOT_ALLOWED_HERE,
                            format!("cannot alter type `{name}` because {} uses it", users[0]),
                        )
                        .at(&at)
                        .note(format!("used by {}", users.join(", ")))
                        .note("PostgreSQL refuses to change an attribute's type while the type is in use")
                        .help("change or drop those first, or add a new attribute and drop the old one"));
                    }
                    let attribute = self.attribute(&name, a, data_type, collation.as_ref())?;
                    let Some(i) = position(&ty, &attribute.name) else {
                        return Err(unknown_attribute(&name, &attribute.name, &at));
                    };
                    ty.attributes[i] = attribute;
                }
                AttributeAction::Rename { from, to } => {
                    self.check_name(to, "attribute")?;
                    let (from, to_name) = (fold_ident(from), fold_ident(to));
                    let Some(i) = position(&ty, &from) else {
                        return Err(unknown_attribute(&name, &from, &at));
                    };
                    if position(&ty, &to_name).is_some() {
                        return Err(self.duplicate_attribute(&name, &to_name, to));
                    }
                    ty.attributes[i].name = to_name;
                }
            }
        }
        self.schema.composites.insert(name, ty);
        Ok(())
    }
}

fn unknown_attribute(ty: &QualifiedName, name: &str, at: &Origin) -> Diagnostic {
    Diagnostic::error(
        codes::UNKNOWN_OBJECT,
        format!("attribute `{name}` of type `{ty}` does not exist at this point"),
    )
    .at(at)
    .help("name one of its attributes")
}
