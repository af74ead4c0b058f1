//! Domains: `CREATE DOMAIN`, `ALTER DOMAIN`, `DROP DOMAIN`, as PostgreSQL 15
//! does them to the model (unnamed checks get PostgreSQL's names, a domain
//! columns use is dropped only with `CASCADE`).

use std::collections::BTreeMap;

use sqlparser::ast::{DropBehavior, DropDomain};
use sqlparser::tokenizer::Location;

use super::{Cx, Res};
use crate::diagnostic::{Diagnostic, codes};
use crate::model::mentions::uses_type;
use crate::model::names::{choose_constraint_name, fold_ident};
use crate::model::types::TypeSpec;
use crate::model::{Directives, Domain, DomainCheck, Expression, QualifiedName, SqlType};
use crate::parse::domains::{
    AlterDomain, AlterDomainAction, CreateDomain, DomainConstraint, DomainConstraintKind,
};

impl Cx<'_> {
    /// `CREATE DOMAIN`.
    pub(super) fn create_domain(&mut self, cd: &CreateDomain) -> Res<()> {
        self.check_object_name(&cd.name, "domain")?;
        let name = self.name(&cd.name)?;
        if self.schema.type_name_taken(&name) {
            let mut d = self.err(
                codes::DUPLICATE_OBJECT,
                format!("type `{name}` already exists"),
            );
            if let Some(previous) = self.schema.domains.get(&name) {
                d = d.related(&previous.origin, "first created here");
            }
            return Err(d
                .at(&self.at_name(&cd.name))
                .help("a domain shares its schema's type names with enum types and tables: choose another name"));
        }
        let type_at = self.at_location(cd.type_at);
        let spec = TypeSpec::from_ast(&cd.data_type).map_err(|m| {
            Diagnostic::error(codes::SYNTAX, m)
                .at(&type_at)
                .help("write a PostgreSQL type")
        })?;
        if spec.serial {
            return Err(Diagnostic::error(
                codes::SYNTAX,
                format!("`{}` is not a type a domain can be based on", cd.data_type),
            )
            .at(&type_at)
            .note("serial is a shorthand of column definitions, not a type")
            .help("base the domain on `integer` (or `bigint`, `smallint`)"));
        }
        self.check_type_exists(&spec.ty, &type_at)?;
        let collation = match &cd.collation {
            None => None,
            Some((c, at)) => self.domain_collation(&name, &spec.ty, c, *at)?,
        };
        if cd.defaults.len() > 1 {
            return Err(
                Diagnostic::error(codes::SYNTAX, "multiple default expressions")
                    .at(&self.at_location(cd.defaults[1].1))
                    .help("keep one `DEFAULT`"),
            );
        }
        let default = cd
            .defaults
            .first()
            .map(|(e, _)| Expression::from_ast(e))
            .filter(|e| !e.is_null() || null_default_kept(&spec.ty, self.schema));
        // Without a default of its own, a domain over a domain takes that
        // domain's (PostgreSQL copies it).
        let default = match (&default, &spec.ty) {
            (None, SqlType::Named(n)) if cd.defaults.is_empty() => {
                self.schema.domains.get(n).and_then(|d| d.default.clone())
            }
            _ => default,
        };
        let mut domain = Domain {
            name: name.clone(),
            base: spec.ty,
            collation,
            default,
            not_null: false,
            checks: BTreeMap::new(),
            comment: None,
            origin: self.at_name(&cd.name),
            directives: Directives(self.directives.clone()),
        };
        let mut null_seen = false;
        for c in &cd.constraints {
            match &c.kind {
                DomainConstraintKind::NotNull | DomainConstraintKind::Null => {
                    let not_null = matches!(c.kind, DomainConstraintKind::NotNull);
                    if (not_null && null_seen) || (!not_null && domain.not_null) {
                        return Err(Diagnostic::error(
                            codes::SYNTAX,
                            "conflicting NULL/NOT NULL constraints",
                        )
                        .at(&self.at_location(c.at))
                        .help("keep either `NULL` or `NOT NULL`"));
                    }
                    null_seen |= !not_null;
                    domain.not_null |= not_null;
                }
                DomainConstraintKind::Check(_) => {
                    let check = self.domain_check(&domain, c)?;
                    domain.checks.insert(check.name.clone(), check);
                }
            }
        }
        self.schema.domains.insert(name, domain);
        Ok(())
    }

    /// A domain's `COLLATE`, refused where PostgreSQL refuses it (a base type
    /// without collations); `None` for `"default"`, which is the base type's own.
    fn domain_collation(
        &self,
        name: &QualifiedName,
        base: &SqlType,
        collation: &sqlparser::ast::ObjectName,
        at: Location,
    ) -> Res<Option<String>> {
        let at = self.at_location(at);
        let collatable = matches!(
            self.schema.base_type(base),
            SqlType::Text | SqlType::Varchar(_) | SqlType::Char(_)
        );
        if !collatable {
            return Err(Diagnostic::error(
                codes::SYNTAX,
                format!("collations are not supported by type `{base}`"),
            )
            .at(&at)
            .note(format!("PostgreSQL refuses this `CREATE DOMAIN {name}`"))
            .help("remove `COLLATE`, or base the domain on a text type"));
        }
        let visible = super::indexes::visible_name(collation, "collation").map_err(|m| {
            self.refuse_clause("COLLATE", &["COLLATE"], "CREATE DOMAIN")
                .at(&at)
                .note(m)
        })?;
        Ok((visible != "default").then_some(visible))
    }

    /// A check constraint of `domain`, named as PostgreSQL names it.
    fn domain_check(&self, domain: &Domain, c: &DomainConstraint) -> Res<DomainCheck> {
        let DomainConstraintKind::Check(expr) = &c.kind else {
            return Err(
                Diagnostic::error(codes::SYNTAX, "expected a CHECK constraint")
                    .at(&self.at_location(c.at)),
            );
        };
        let name = match &c.name {
            Some(n) => {
                self.check_name(n, "constraint")?;
                let n = fold_ident(n);
                if domain.checks.contains_key(&n) {
                    return Err(Diagnostic::error(
                        codes::DUPLICATE_OBJECT,
                        format!(
                            "constraint `{n}` for domain `{}` already exists",
                            domain.name
                        ),
                    )
                    .at(&self.at_location(c.at))
                    .help("choose another name"));
                }
                n
            }
            None => {
                let taken: Vec<String> = domain.checks.keys().cloned().collect();
                choose_constraint_name(self.schema, &taken, &domain.name, None, "check")
            }
        };
        Ok(DomainCheck {
            name,
            expr: Expression::from_ast(expr),
            valid: true,
            origin: self.at_location(c.at),
        })
    }

    fn unknown_domain(&self, name: &QualifiedName, at: &crate::diagnostic::Origin) -> Diagnostic {
        let mut d = Diagnostic::error(
            codes::UNKNOWN_OBJECT,
            format!("domain `{name}` does not exist at this point"),
        )
        .at(at);
        d = match crate::model::names::closest(
            &name.name,
            self.schema.domains.keys().map(|k| k.name.as_str()),
        ) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.help("create the domain before this statement (statements apply in order)"),
        };
        d
    }

    /// `ALTER DOMAIN`.
    pub(super) fn alter_domain(&mut self, ad: &AlterDomain) -> Res<()> {
        let name = self.name(&ad.name)?;
        let name_at = self.at_name(&ad.name);
        let at = self.at_location(ad.at);
        let Some(mut domain) = self.schema.domains.get(&name).cloned() else {
            return Err(self.unknown_domain(&name, &name_at));
        };
        if let AlterDomainAction::OwnerTo(owner) = &ad.action {
            self.set_owner(
                crate::model::privileges::AclKind::Type,
                &name,
                owner.clone(),
            );
            return Ok(());
        }
        // pg_dump writes a check not yet validated as `ALTER DOMAIN ... ADD
        // CONSTRAINT ... NOT VALID`: the one form schema.sql takes too.
        let pg_dump_form = matches!(
            &ad.action,
            AlterDomainAction::AddConstraint {
                not_valid: Some(_),
                ..
            }
        );
        if !pg_dump_form {
            self.not_in_declarative("ALTER DOMAIN")?;
        }
        let known = if domain.checks.is_empty() {
            "it has no check constraint".to_string()
        } else {
            format!(
                "its check constraints are: {}",
                domain.checks.keys().cloned().collect::<Vec<_>>().join(", ")
            )
        };
        let unknown_check = |n: &str, at: &crate::diagnostic::Origin| {
            Diagnostic::error(
                codes::UNKNOWN_OBJECT,
                format!("constraint `{n}` of domain `{name}` does not exist at this point"),
            )
            .at(at)
            .note(known.clone())
            .help("name one of its constraints")
        };
        match &ad.action {
            AlterDomainAction::SetDefault(e) => {
                domain.default = Some(Expression::from_ast(e))
                    .filter(|e| !e.is_null() || null_default_kept(&domain.base, self.schema));
            }
            AlterDomainAction::DropDefault => domain.default = None,
            AlterDomainAction::SetNotNull => domain.not_null = true,
            AlterDomainAction::DropNotNull => domain.not_null = false,
            AlterDomainAction::AddConstraint {
                constraint,
                not_valid,
            } => {
                if !matches!(constraint.kind, DomainConstraintKind::Check(_)) {
                    return Err(Diagnostic::error(
                        codes::SYNTAX,
                        "`ALTER DOMAIN ... ADD` takes a CHECK constraint",
                    )
                    .at(&self.at_location(constraint.at))
                    .note("PostgreSQL 15 refuses `ADD NOT NULL` on a domain")
                    .help("write `ALTER DOMAIN name SET NOT NULL`"));
                }
                let mut check = self.domain_check(&domain, constraint)?;
                check.valid = not_valid.is_none();
                domain.checks.insert(check.name.clone(), check);
            }
            AlterDomainAction::DropConstraint { name: n, if_exists } => {
                let n = fold_ident(n);
                if domain.checks.remove(&n).is_none() {
                    if *if_exists {
                        return Ok(());
                    }
                    return Err(unknown_check(&n, &at));
                }
            }
            AlterDomainAction::RenameConstraint { from, to } => {
                self.check_name(to, "constraint")?;
                let (from, to) = (fold_ident(from), fold_ident(to));
                let Some(mut c) = domain.checks.remove(&from) else {
                    return Err(unknown_check(&from, &at));
                };
                if domain.checks.contains_key(&to) {
                    return Err(Diagnostic::error(
                        codes::DUPLICATE_OBJECT,
                        format!("constraint `{to}` for domain `{name}` already exists"),
                    )
                    .at(&at));
                }
                c.name.clone_from(&to);
                domain.checks.insert(to, c);
            }
            AlterDomainAction::ValidateConstraint(n) => {
                let n = fold_ident(n);
                let Some(check) = domain.checks.get_mut(&n) else {
                    return Err(unknown_check(&n, &at));
                };
                check.valid = true;
            }
            AlterDomainAction::OwnerTo(_) => {}
            AlterDomainAction::Rename(new) => {
                self.check_name(new, "domain")?;
                let new = QualifiedName::new(name.schema.clone(), fold_ident(new));
                return self.move_domain(&name, new, domain, &at);
            }
            AlterDomainAction::SetSchema(schema) => {
                let schema = fold_ident(schema);
                if !self.namespace_exists(&schema) {
                    return Err(Diagnostic::error(
                        codes::UNKNOWN_OBJECT,
                        format!("schema `{schema}` does not exist at this point"),
                    )
                    .at(&at)
                    .help(format!("create it first: `CREATE SCHEMA {schema};`")));
                }
                let new = QualifiedName::new(schema, name.name.clone());
                return self.move_domain(&name, new, domain, &at);
            }
        }
        self.schema.domains.insert(name, domain);
        Ok(())
    }

    /// A domain renamed or moved to another schema: the columns and domains
    /// that use it follow.
    fn move_domain(
        &mut self,
        old: &QualifiedName,
        new: QualifiedName,
        mut domain: Domain,
        at: &crate::diagnostic::Origin,
    ) -> Res<()> {
        if new == *old {
            return Ok(());
        }
        if self.schema.type_name_taken(&new) {
            return Err(Diagnostic::error(
                codes::DUPLICATE_OBJECT,
                format!("type `{new}` already exists"),
            )
            .at(at)
            .help("choose another name"));
        }
        self.schema.domains.remove(old);
        domain.name = new.clone();
        self.schema.domains.insert(new.clone(), domain);
        self.rename_type_everywhere(old, &new);
        Ok(())
    }

    /// Renames type `old` to `new` wherever it is used (see
    /// [`crate::model::Schema::rename_type`]).
    pub(super) fn rename_type_everywhere(&mut self, old: &QualifiedName, new: &QualifiedName) {
        // Its grants and owner go with it.
        self.schema.rename_acl(old, new);
        self.schema.rename_type_uses(old, new);
    }

    /// The domains and columns that use type `name`, in words.
    pub(super) fn users_of_type(&self, name: &QualifiedName) -> Vec<String> {
        let columns = self.schema.tables.values().flat_map(|t| {
            t.columns
                .iter()
                .filter(|c| uses_type(&c.data_type, name))
                .map(|c| format!("column `{}.{}`", t.name, c.name))
        });
        let domains = self
            .schema
            .domains
            .values()
            .filter(|d| uses_type(&d.base, name))
            .map(|d| format!("domain `{}`", d.name));
        let attributes = self.schema.composites.values().flat_map(|c| {
            c.attributes
                .iter()
                .filter(|a| uses_type(&a.data_type, name))
                .map(|a| format!("attribute `{}.{}`", c.name, a.name))
        });
        columns
            .chain(domains)
            .chain(attributes)
            .chain(self.functions_using_type_described(name))
            .collect()
    }

    /// Drops type `name` and, with `CASCADE`, the columns and domains that use
    /// it (a domain's own users first), as PostgreSQL does.
    pub(super) fn drop_type_users(&mut self, name: &QualifiedName, depth: usize) -> Res<()> {
        if depth > self.schema.domains.len() {
            return Ok(());
        }
        let domains: Vec<QualifiedName> = self
            .schema
            .domains
            .values()
            .filter(|d| uses_type(&d.base, name))
            .map(|d| d.name.clone())
            .collect();
        for d in domains {
            self.drop_type_users(&d, depth + 1)?;
            self.schema.domains.remove(&d);
        }
        self.drop_functions_using_type(name);
        let columns: Vec<(QualifiedName, String)> = self
            .schema
            .tables
            .values()
            .flat_map(|t| {
                t.columns
                    .iter()
                    .filter(|c| uses_type(&c.data_type, name))
                    .map(|c| (t.name.clone(), c.name.clone()))
            })
            .collect();
        for (t, c) in columns {
            self.drop_column(&t, &c, true, true)?;
        }
        // A composite type loses the attributes of that type, as PostgreSQL does.
        self.schema.composites.update_where(
            |c| c.attributes.iter().any(|a| uses_type(&a.data_type, name)),
            |c| c.attributes.retain(|a| !uses_type(&a.data_type, name)),
        );
        Ok(())
    }

    /// `DROP DOMAIN [IF EXISTS] name [CASCADE | RESTRICT]`.
    pub(super) fn drop_domain(&mut self, dd: &DropDomain) -> Res<()> {
        let name = self.name(&dd.name)?;
        let at = self.at_name(&dd.name);
        if !self.schema.domains.contains_key(&name) {
            if dd.if_exists {
                return Ok(());
            }
            return Err(self.unknown_domain(&name, &at));
        }
        self.not_in_declarative("DROP DOMAIN")?;
        let cascade = matches!(dd.drop_behavior, Some(DropBehavior::Cascade));
        let users = self.users_of_type(&name);
        if !users.is_empty() && !cascade {
            return Err(Diagnostic::error(
                codes::NOT_ALLOWED_HERE,
                format!("cannot drop domain `{name}` because other objects depend on it"),
            )
            .at(&at)
            .note(format!("used by {}", users.join(", ")))
            .help("drop or change those first, or add CASCADE"));
        }
        self.drop_type_users(&name, 0)?;
        self.schema.domains.remove(&name);
        Ok(())
    }

    /// `COMMENT ON DOMAIN name IS ...`.
    pub(super) fn comment_on_domain(
        &mut self,
        name: &QualifiedName,
        at: &crate::diagnostic::Origin,
        comment: Option<String>,
        if_exists: bool,
    ) -> Res<()> {
        if !self.schema.domains.contains_key(name) {
            if if_exists {
                return Ok(());
            }
            return Err(self.unknown_domain(name, at));
        }
        self.schema
            .domains
            .update_where(|d| d.name == *name, |d| d.comment = comment.clone());
        Ok(())
    }
}

/// Whether PostgreSQL keeps a domain's `DEFAULT NULL`: it drops a default
/// that is a null constant once coerced to the base type, which it is unless
/// the coercion applies a type modifier (`varchar(20)`) or a domain's checks.
fn null_default_kept(base: &SqlType, schema: &crate::model::Schema) -> bool {
    let mut inner = base;
    while let SqlType::Array(i) = inner {
        inner = i;
    }
    matches!(inner, SqlType::Named(n) if schema.domains.contains_key(n))
        || base.to_string().contains('(')
}
