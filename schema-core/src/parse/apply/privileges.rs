//! `GRANT`, `REVOKE` and `OWNER TO` on tables, columns, sequences, schemas,
//! functions, procedures and types:
//! what they leave in each object's [`Acl`], and the ACLs that follow an
//! object renamed or go with one dropped.

use sqlparser::ast::Ident;
use sqlparser::tokenizer::Location;

use super::{Cx, Res};
use crate::diagnostic::{Diagnostic, Origin, codes};
use crate::model::names::fold_ident;
use crate::model::privileges::{AclKind, COLUMN_PRIVILEGES, PUBLIC, Privilege};
use crate::model::{QualifiedName, Schema};
use crate::parse::privileges::{DefaultPrivilegesStatement, GrantObjects, GrantStatement, Grantee};

impl Cx<'_> {
    fn at_loc(&self, l: Location) -> Origin {
        self.at_location(l)
    }

    /// Applies a `GRANT` or `REVOKE`.
    pub(super) fn grant(&mut self, g: &GrantStatement) -> Res<()> {
        let objects = self.grant_objects(&g.objects)?;
        if self.schema.privileges_ignored {
            return Ok(());
        }
        let grantees: Vec<String> = g
            .grantees
            .iter()
            .map(|(g, _)| match g {
                Grantee::Public => PUBLIC.to_string(),
                Grantee::Role(r) => fold_ident(r),
            })
            .collect();
        for (kind, name) in objects {
            let mut acl = self.schema.acl(kind, &name);
            for words in &g.privileges {
                let columns = self.grant_columns(kind, &name, &words.columns)?;
                let privileges: Vec<Privilege> = match (words.privilege, columns.is_empty()) {
                    (Some(p), _) => vec![p],
                    (None, true) => kind.all().to_vec(),
                    (None, false) => COLUMN_PRIVILEGES.to_vec(),
                };
                let allowed: &[Privilege] = if columns.is_empty() {
                    kind.all()
                } else {
                    COLUMN_PRIVILEGES
                };
                if let Some(bad) = privileges.iter().find(|p| !allowed.contains(p)) {
                    let on = if columns.is_empty() {
                        kind.keyword().to_ascii_lowercase()
                    } else {
                        "column".to_string()
                    };
                    return Err(Diagnostic::error(
                        codes::SYNTAX,
                        format!("privilege `{bad}` does not apply to a {on} (`{name}`)"),
                    )
                    .at(&self.at_loc(words.at))
                    .help(format!(
                        "a {on} takes {}",
                        allowed
                            .iter()
                            .map(|p| format!("`{p}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
                for (grantee, (_, at)) in grantees.iter().zip(&g.grantees) {
                    // The owner holds every privilege already: a grant to it
                    // changes nothing, and its own rights are not modelled.
                    if acl.owner.as_deref() == Some(grantee.as_str()) {
                        if g.revoke {
                            return Err(Diagnostic::error(
                                codes::UNSUPPORTED_FEATURE,
                                format!("revoking privileges of `{name}` from its owner `{grantee}` is not supported yet: the schema model does not carry an owner's own rights"),
                            )
                            .at(&self.at_loc(*at))
                            .note("it is refused rather than dropped, so the database never silently differs from this file")
                            .help("remove it; if the database needs it, apply it from a separate SQL file run after migrations"));
                        }
                        continue;
                    }
                    for &p in &privileges {
                        let targets: Vec<Option<&str>> = if columns.is_empty() {
                            vec![None]
                        } else {
                            columns.iter().map(|c| Some(c.as_str())).collect()
                        };
                        for column in targets {
                            if g.revoke {
                                acl.revoke(column, grantee, p, g.option_only);
                                if column.is_none() {
                                    // A table-level REVOKE takes the same
                                    // privilege from every column too.
                                    let cols: Vec<String> = acl.columns.keys().cloned().collect();
                                    for c in cols {
                                        acl.revoke(Some(&c), grantee, p, g.option_only);
                                    }
                                }
                            } else {
                                acl.grant(column, grantee, p, g.with_grant_option);
                            }
                        }
                    }
                }
            }
            self.schema.set_acl(acl);
        }
        Ok(())
    }

    /// The objects a `GRANT` is on, each with the kind of its ACL.
    fn grant_objects(&self, objects: &GrantObjects) -> Res<Vec<(AclKind, QualifiedName)>> {
        let mut out = Vec::new();
        match objects {
            GrantObjects::Named { kind, names } => {
                for (name, at) in names {
                    let at = self.at_loc(*at);
                    if *kind == AclKind::Schema {
                        let [part] = name.0.as_slice() else {
                            return Err(self
                                .err(codes::SYNTAX, format!("`{name}` is not a schema name"))
                                .at(&at));
                        };
                        let schema = part
                            .as_ident()
                            .map(fold_ident)
                            .unwrap_or_else(|| part.to_string());
                        if !self.namespace_exists(&schema) {
                            return Err(Diagnostic::error(
                                codes::UNKNOWN_OBJECT,
                                format!("schema `{schema}` does not exist at this point"),
                            )
                            .at(&at)
                            .help("create the schema before granting on it (statements apply in order)"));
                        }
                        out.push((AclKind::Schema, QualifiedName::global(schema)));
                        continue;
                    }
                    let q = self.name(name)?;
                    // `ON TABLE` covers views and sequences too, as in PostgreSQL.
                    let relation =
                        self.schema.tables.contains_key(&q) || self.schema.views.contains_key(&q);
                    let found = if relation && *kind == AclKind::Table {
                        Some(AclKind::Table)
                    } else if self.schema.sequences.contains_key(&q) {
                        Some(AclKind::Sequence)
                    } else {
                        None
                    };
                    let Some(found) = found else {
                        if let Some((table, column)) = self.identity_sequence_owner(&q) {
                            if self.schema.privileges_ignored {
                                continue;
                            }
                            return Err(Diagnostic::error(
                                codes::UNSUPPORTED_FEATURE,
                                format!("sequence `{q}` is the sequence of identity column `{table}.{column}`, whose privileges the schema model does not carry yet"),
                            )
                            .at(&at)
                            .note("it is refused rather than dropped, so the database never silently differs from this file")
                            .help("remove it; if the database needs it, apply it from a separate SQL file run after migrations, or write `-- schema: ignore(privileges)` in schema.sql"));
                        }
                        let what = kind.keyword().to_ascii_lowercase();
                        return Err(Diagnostic::error(
                            codes::UNKNOWN_OBJECT,
                            format!("{what} `{q}` does not exist at this point"),
                        )
                        .at(&at)
                        .help(format!(
                            "create `{q}` before granting on it (statements apply in order)"
                        )));
                    };
                    out.push((found, q));
                }
            }
            GrantObjects::Routines { kind, routines } => {
                for (r, _) in routines {
                    let Some(key) = self.find_routine(r, false, kind.is_none())? else {
                        continue;
                    };
                    let f = &self.schema.functions[&key];
                    out.push((super::functions::routine_acl_kind(f.kind), key));
                }
            }
            GrantObjects::Types { domain, names } => {
                for (name, at) in names {
                    let q = self.name(name)?;
                    let at = self.at_loc(*at);
                    let is_domain = self.schema.domains.contains_key(&q);
                    let exists = is_domain
                        || self.schema.enums.contains_key(&q)
                        || self.schema.composites.contains_key(&q);
                    if exists && *domain && !is_domain {
                        return Err(Diagnostic::error(
                            codes::UNKNOWN_OBJECT,
                            format!("`{q}` is not a domain"),
                        )
                        .at(&at)
                        .help(format!("write `ON TYPE {q}`")));
                    }
                    if !exists {
                        let what = if *domain { "domain" } else { "type" };
                        let mut d = Diagnostic::error(
                            codes::UNKNOWN_OBJECT,
                            format!("{what} `{q}` does not exist at this point"),
                        )
                        .at(&at);
                        let types = self
                            .schema
                            .enums
                            .keys()
                            .chain(self.schema.domains.keys())
                            .chain(self.schema.composites.keys())
                            .filter(|k| k.schema == q.schema)
                            .map(|k| k.name.as_str());
                        d = match crate::model::names::closest(&q.name, types) {
                            Some(similar) => d.help(format!("did you mean `{similar}`?")),
                            None if self.schema.tables.contains_key(&q)
                                || self.schema.views.contains_key(&q) =>
                            {
                                d.help(format!(
                                    "`{q}` is a relation: grant on it with `ON TABLE {q}`"
                                ))
                            }
                            None => d.help(format!(
                                "create `{q}` before granting on it (statements apply in order)"
                            )),
                        };
                        return Err(d);
                    }
                    out.push((AclKind::Type, q));
                }
            }
            GrantObjects::Defaults(_, at) => {
                return Err(self
                    .err(
                        codes::SYNTAX,
                        "`ON TABLES` and the like belong in `ALTER DEFAULT PRIVILEGES`",
                    )
                    .at(&self.at_loc(*at)));
            }
            GrantObjects::AllInSchema { kind, schemas } => {
                for (schema, at) in schemas {
                    let s = fold_ident(schema);
                    if !self.namespace_exists(&s) {
                        return Err(Diagnostic::error(
                            codes::UNKNOWN_OBJECT,
                            format!("schema `{s}` does not exist at this point"),
                        )
                        .at(&self.at_loc(*at)));
                    }
                    let identity = self
                        .schema
                        .tables
                        .values()
                        .filter(|t| t.name.schema == s)
                        .find_map(|t| {
                            t.columns
                                .iter()
                                .find(|c| c.identity.is_some())
                                .map(|c| format!("{}.{}", t.name, c.name))
                        });
                    if let (Some(AclKind::Sequence), Some(column)) = (kind, identity) {
                        return Err(Diagnostic::error(
                            codes::UNSUPPORTED_FEATURE,
                            format!("`ON ALL SEQUENCES IN SCHEMA {s}` would also grant on the sequence of identity column `{column}`, whose privileges the schema model does not carry yet"),
                        )
                        .at(&self.at_loc(*at))
                        .note("it is refused rather than applied in part, so the database never silently differs from this file")
                        .help("grant on the sequences by name (`ON SEQUENCE a, b`)"));
                    }
                    let names: Vec<(AclKind, QualifiedName)> = match kind {
                        Some(AclKind::Sequence) => self
                            .schema
                            .sequences
                            .keys()
                            .filter(|n| n.schema == s)
                            .map(|n| (AclKind::Sequence, n.clone()))
                            .collect(),
                        Some(AclKind::Table) => self
                            .schema
                            .tables
                            .keys()
                            .chain(self.schema.views.keys())
                            .filter(|n| n.schema == s)
                            .map(|n| (AclKind::Table, n.clone()))
                            .collect(),
                        // Functions, procedures, or both (`ROUTINES`).
                        _ => self
                            .schema
                            .functions
                            .iter()
                            .filter(|(k, _)| k.schema == s)
                            .map(|(k, f)| (super::functions::routine_acl_kind(f.kind), k.clone()))
                            .filter(|(k, _)| kind.is_none_or(|want| want == *k))
                            .collect(),
                    };
                    out.extend(names);
                }
            }
        }
        Ok(out)
    }

    /// The columns of a column-level privilege, checked against the table.
    fn grant_columns(
        &self,
        kind: AclKind,
        table: &QualifiedName,
        columns: &[Ident],
    ) -> Res<Vec<String>> {
        if columns.is_empty() {
            return Ok(Vec::new());
        }
        let t = match (kind, self.schema.tables.get(table)) {
            (AclKind::Table, Some(t)) => t,
            _ => {
                return Err(self
                    .err(
                        codes::SYNTAX,
                        format!("`{table}` is not a table: only a table's columns take privileges"),
                    )
                    .at(&self.at_ident(&columns[0])));
            }
        };
        let mut out = Vec::new();
        for c in columns {
            let name = fold_ident(c);
            if t.column(&name).is_none() {
                return Err(Diagnostic::error(
                    codes::UNKNOWN_OBJECT,
                    format!("column `{name}` of table `{table}` does not exist at this point"),
                )
                .at(&self.at_ident(c)));
            }
            out.push(name);
        }
        Ok(out)
    }

    /// `OWNER TO role` on a table, sequence or schema: `None` for
    /// `CURRENT_USER`, `CURRENT_ROLE` and `SESSION_USER` (the role that runs
    /// the migrations, which owns what it creates anyway).
    pub(super) fn set_owner(&mut self, kind: AclKind, name: &QualifiedName, owner: Option<String>) {
        if self.schema.privileges_ignored {
            return;
        }
        if kind == AclKind::Table {
            // The sequences a table's columns own follow the table.
            let owned: Vec<QualifiedName> = self
                .schema
                .sequences
                .values()
                .filter(|s| s.owned_by.as_ref().is_some_and(|(t, _)| t == name))
                .map(|s| s.name.clone())
                .collect();
            for s in owned {
                self.set_owner(AclKind::Sequence, &s, owner.clone());
            }
        }
        let mut acl = self.schema.acl(kind, name);
        // The new owner's own entries merge into its owner's rights (which the
        // model leaves out), on the object and on its columns.
        if let Some(role) = &owner {
            acl.items.retain(|i| i.grantee != *role);
            for items in acl.columns.values_mut() {
                items.retain(|i| i.grantee != *role);
            }
            acl.columns.retain(|_, items| !items.is_empty());
        }
        acl.owner = owner;
        self.schema.set_acl(acl);
    }
}

/// The role an `OWNER TO` names: `None` for the session's own role.
pub(super) fn owner_role(owner: &sqlparser::ast::Owner) -> Option<String> {
    match owner {
        sqlparser::ast::Owner::Ident(i) => Some(fold_ident(i)),
        _ => None,
    }
}

/// The objects there were before a statement that may create some, when
/// default privileges may give them grants.
pub(super) struct BeforeCreation {
    tables: std::collections::BTreeSet<QualifiedName>,
    sequences: std::collections::BTreeSet<QualifiedName>,
    namespaces: std::collections::BTreeSet<String>,
    functions: std::collections::BTreeSet<QualifiedName>,
    types: std::collections::BTreeSet<QualifiedName>,
}

/// What exists before a `CREATE TABLE`, `CREATE SEQUENCE` or `CREATE SCHEMA`
/// when default privileges are set (nothing to do otherwise).
pub(super) fn before_creation(cx: &Cx<'_>) -> Option<BeforeCreation> {
    use sqlparser::ast::Statement;
    if cx.schema.default_privileges.is_empty() || cx.schema.privileges_ignored {
        return None;
    }
    use crate::parse::ParsedStatement;
    let creates = match &cx.statement.statement {
        ParsedStatement::Sql(s) => matches!(
            s.as_ref(),
            Statement::CreateTable(_)
                | Statement::CreateSequence { .. }
                | Statement::CreateSchema { .. }
                | Statement::CreateType { .. }
        ),
        ParsedStatement::Function(f) => {
            matches!(
                f.as_ref(),
                crate::parse::functions::FunctionStatement::Create(_)
            )
        }
        ParsedStatement::CreateDomain(_) | ParsedStatement::CreateView(_) => true,
        _ => false,
    };
    if !creates {
        return None;
    }
    Some(BeforeCreation {
        tables: cx
            .schema
            .tables
            .keys()
            .chain(cx.schema.views.keys())
            .cloned()
            .collect(),
        sequences: cx.schema.sequences.keys().cloned().collect(),
        namespaces: cx
            .schema
            .namespaces
            .keys()
            .map(|n| n.name.clone())
            .collect(),
        functions: cx.schema.functions.keys().cloned().collect(),
        types: type_names(cx.schema).cloned().collect(),
    })
}

/// The enum types, domains and composite types of `schema`.
fn type_names(schema: &Schema) -> impl Iterator<Item = &QualifiedName> {
    schema
        .enums
        .keys()
        .chain(schema.domains.keys())
        .chain(schema.composites.keys())
}

/// Gives each object created since `before` what the default privileges of
/// the role that runs the migrations give it.
pub(super) fn after_creation(schema: &mut Schema, before: &BeforeCreation) {
    use crate::model::privileges::DefaultObjects;
    let new_tables: Vec<QualifiedName> = schema
        .tables
        .keys()
        .chain(schema.views.keys())
        .filter(|k| !before.tables.contains(*k))
        .cloned()
        .collect();
    let new_sequences: Vec<QualifiedName> = schema
        .sequences
        .keys()
        .filter(|k| !before.sequences.contains(*k))
        .cloned()
        .collect();
    let new_namespaces: Vec<String> = schema
        .namespaces
        .keys()
        .filter(|k| !before.namespaces.contains(&k.name))
        .map(|k| k.name.clone())
        .collect();
    let give = |schema: &mut Schema,
                kind: AclKind,
                objects: DefaultObjects,
                name: QualifiedName,
                in_schema: &str| {
        let mut acl = crate::model::privileges::Acl::default_for(kind, &name);
        acl.items = schema.creation_items(objects, in_schema);
        schema.set_acl(acl);
    };
    for t in new_tables {
        let s = t.schema.clone();
        give(schema, AclKind::Table, DefaultObjects::Tables, t, &s);
    }
    for q in new_sequences {
        let s = q.schema.clone();
        give(schema, AclKind::Sequence, DefaultObjects::Sequences, q, &s);
    }
    let new_functions: Vec<(AclKind, QualifiedName)> = schema
        .functions
        .iter()
        .filter(|(k, _)| !before.functions.contains(*k))
        .map(|(k, f)| (super::functions::routine_acl_kind(f.kind), k.clone()))
        .collect();
    for (kind, f) in new_functions {
        let s = f.schema.clone();
        give(schema, kind, DefaultObjects::Functions, f, &s);
    }
    let new_types: Vec<QualifiedName> = type_names(schema)
        .filter(|k| !before.types.contains(*k))
        .cloned()
        .collect();
    for t in new_types {
        let s = t.schema.clone();
        give(schema, AclKind::Type, DefaultObjects::Types, t, &s);
    }
    for n in new_namespaces {
        let name = QualifiedName::global(n.clone());
        give(schema, AclKind::Schema, DefaultObjects::Schemas, name, &n);
    }
}

impl Cx<'_> {
    /// Applies an `ALTER DEFAULT PRIVILEGES`.
    pub(super) fn default_privileges(&mut self, d: &DefaultPrivilegesStatement) -> Res<()> {
        use crate::model::privileges::{DefaultObjects, grant_in, revoke_in};
        let g = &d.grant;
        let GrantObjects::Defaults(objects, _) = &g.objects else {
            return Err(self.err(
                codes::SYNTAX,
                "expected TABLES, SEQUENCES, FUNCTIONS, ROUTINES, TYPES or SCHEMAS",
            ));
        };
        let objects = *objects;
        if let (DefaultObjects::Schemas, Some((_, at))) = (objects, d.in_schemas.first()) {
            return Err(Diagnostic::error(
                codes::SYNTAX,
                "`IN SCHEMA` cannot be used with `ON SCHEMAS`",
            )
            .at(&self.at_loc(*at))
            .help(
                "remove `IN SCHEMA ...`: default privileges on schemas are for the whole database",
            ));
        }
        let mut schemas: Vec<Option<String>> = Vec::new();
        for (s, at) in &d.in_schemas {
            let name = fold_ident(s);
            if !self.namespace_exists(&name) {
                return Err(Diagnostic::error(
                    codes::UNKNOWN_OBJECT,
                    format!("schema `{name}` does not exist at this point"),
                )
                .at(&self.at_loc(*at))
                .help("create the schema first (statements apply in order)"));
            }
            schemas.push(Some(name));
        }
        if schemas.is_empty() {
            schemas.push(None);
        }
        let mut roles: Vec<Option<String>> =
            d.for_roles.iter().map(|r| Some(fold_ident(r))).collect();
        if roles.is_empty() {
            roles.push(None);
        }
        let mut privileges = Vec::new();
        for words in &g.privileges {
            if let Some(c) = words.columns.first() {
                return Err(self
                    .err(codes::SYNTAX, "default privileges take no column list")
                    .at(&self.at_ident(c)));
            }
            match words.privilege {
                None => privileges.extend_from_slice(objects.all()),
                Some(p) if objects.all().contains(&p) => privileges.push(p),
                Some(p) => {
                    let what = objects.keyword().to_ascii_lowercase();
                    let takes: Vec<String> =
                        objects.all().iter().map(|p| format!("`{p}`")).collect();
                    return Err(Diagnostic::error(
                        codes::SYNTAX,
                        format!("privilege `{p}` does not apply to {what}"),
                    )
                    .at(&self.at_loc(words.at))
                    .help(format!("{what} take {}", takes.join(", "))));
                }
            }
        }
        if self.schema.privileges_ignored {
            return Ok(());
        }
        for role in &roles {
            for schema in &schemas {
                let mut entry =
                    self.schema
                        .default_acl(role.as_deref(), schema.as_deref(), objects);
                for (grantee, _) in &g.grantees {
                    let grantee = match grantee {
                        Grantee::Public => PUBLIC.to_string(),
                        Grantee::Role(r) => fold_ident(r),
                    };
                    for &p in &privileges {
                        if g.revoke {
                            revoke_in(&mut entry.items, &grantee, p, g.option_only);
                        } else {
                            grant_in(&mut entry.items, &grantee, p, g.with_grant_option);
                        }
                    }
                }
                self.schema.set_default_acl(entry);
            }
        }
        Ok(())
    }
}

/// Drops the ACLs of objects that no longer exist, and the column entries
/// of columns that no longer exist (PostgreSQL drops them with the object).
pub(super) fn prune(schema: &mut Schema) {
    // Default privileges in a schema go with the schema.
    if !schema.default_privileges.is_empty() {
        let gone: Vec<QualifiedName> = schema
            .default_privileges
            .iter()
            .filter(|(_, d)| {
                d.schema.as_deref().is_some_and(|s| {
                    s != crate::model::DEFAULT_SCHEMA
                        && !schema.namespaces.contains_key(&QualifiedName::global(s))
                })
            })
            .map(|(k, _)| k.clone())
            .collect();
        for k in gone {
            schema.default_privileges.remove(&k);
        }
    }
    if schema.privileges.is_empty() {
        return;
    }
    let gone: Vec<QualifiedName> = schema
        .privileges
        .values()
        .filter(|acl| match acl.kind {
            AclKind::Table => {
                !schema.tables.contains_key(&acl.name) && !schema.views.contains_key(&acl.name)
            }
            AclKind::Sequence => !schema.sequences.contains_key(&acl.name),
            AclKind::Schema => {
                acl.name.name != crate::model::DEFAULT_SCHEMA
                    && !schema.namespaces.contains_key(&acl.name)
            }
            AclKind::Function | AclKind::Procedure => !schema.functions.contains_key(&acl.name),
            AclKind::Type => {
                !schema.enums.contains_key(&acl.name)
                    && !schema.domains.contains_key(&acl.name)
                    && !schema.composites.contains_key(&acl.name)
            }
        })
        .map(|acl| acl.name.clone())
        .collect();
    for name in gone {
        schema.privileges.remove(&name);
    }
    let stale: Vec<QualifiedName> = schema
        .privileges
        .values()
        .filter(|acl| {
            acl.kind == AclKind::Table
                && schema
                    .tables
                    .get(&acl.name)
                    .is_some_and(|t| acl.columns.keys().any(|c| t.column(c).is_none()))
        })
        .map(|acl| acl.name.clone())
        .collect();
    for name in stale {
        let Some(mut acl) = schema.privileges.get(&name).cloned() else {
            continue;
        };
        if let Some(t) = schema.tables.get(&name) {
            acl.columns.retain(|c, _| t.column(c).is_some());
        }
        schema.set_acl(acl);
    }
}

/// Moves a column's entries to its new name.
pub(super) fn rename_column_acl(schema: &mut Schema, table: &QualifiedName, old: &str, new: &str) {
    let Some(mut acl) = schema.privileges.get(table).cloned() else {
        return;
    };
    if let Some(items) = acl.columns.remove(old) {
        acl.columns.insert(new.to_string(), items);
        schema.set_acl(acl);
    }
}

impl Cx<'_> {
    /// `ALTER SCHEMA name OWNER TO role`; other forms are refused.
    pub(super) fn alter_schema(
        &mut self,
        name: &sqlparser::ast::ObjectName,
        if_exists: bool,
        operations: &[sqlparser::ast::AlterSchemaOperation],
    ) -> Res<()> {
        use sqlparser::ast::AlterSchemaOperation;
        if let Some(op) = operations
            .iter()
            .find(|op| !matches!(op, AlterSchemaOperation::OwnerTo { .. }))
        {
            return Err(self.unsupported(format!("`ALTER SCHEMA ... {op}`")));
        }
        let schema = match name.0.as_slice() {
            [part] => part.as_ident().map_or_else(|| part.to_string(), fold_ident),
            _ => return Err(self.err(codes::SYNTAX, format!("`{name}` is not a schema name"))),
        };
        if !self.namespace_exists(&schema) {
            if if_exists {
                return Ok(());
            }
            return Err(self
                .err(
                    codes::UNKNOWN_OBJECT,
                    format!("schema `{schema}` does not exist at this point"),
                )
                .help("create the schema before changing its owner (statements apply in order)"));
        }
        for op in operations {
            if let AlterSchemaOperation::OwnerTo { owner } = op {
                let mut role = owner_role(owner);
                // `public` belongs to pg_database_owner in a new database.
                if schema == crate::model::DEFAULT_SCHEMA
                    && role.as_deref() == Some(crate::model::privileges::PUBLIC_SCHEMA_OWNER)
                {
                    role = None;
                }
                self.set_owner(
                    AclKind::Schema,
                    &QualifiedName::global(schema.clone()),
                    role,
                );
            }
        }
        Ok(())
    }
}
