//! The `GRANT`, `REVOKE` and `OWNER TO` that take one schema's privileges to
//! another's, given the other changes (an object created or re-created starts
//! from what a new object has; a renamed one keeps its grants).

use std::collections::{BTreeMap, BTreeSet};

use super::{Change, Renames};
use crate::model::privileges::{Acl, AclItem, AclKind, DefaultObjects, Privilege};
use crate::model::{QualifiedName, Schema};

/// The grants and revokes from `from`'s ACLs to `to`'s, for the objects `to`
/// has (a dropped object takes its grants with it), given the `changes` that
/// create, re-create or rename objects.
pub(super) fn privilege_changes(
    from: &Schema,
    to: &Schema,
    renames: &Renames,
    changes: &[Change],
) -> Vec<Change> {
    if from.privileges_ignored || to.privileges_ignored {
        return Vec::new();
    }
    let mut out = default_privilege_changes(from, to);
    if from.privileges.is_empty() && to.privileges.is_empty() && from.default_privileges.is_empty()
    {
        return out;
    }
    let names: BTreeSet<&QualifiedName> =
        from.privileges.keys().chain(to.privileges.keys()).collect();
    // Names in `to`: the ACLs of `from` under the names `to` gives them.
    let mut targets: BTreeMap<QualifiedName, (AclKind, Option<&Acl>)> = BTreeMap::new();
    for name in &names {
        if let Some(acl) = to.privileges.get(name) {
            targets.insert((*name).clone(), (acl.kind, Some(acl)));
        }
    }
    // A new object gets the default privileges even where `to` holds no
    // entry for it.
    if !from.default_privileges.is_empty() {
        let tables = to
            .tables
            .keys()
            .chain(to.views.keys())
            .map(|n| (AclKind::Table, n.clone()));
        let sequences = to.sequences.keys().map(|n| (AclKind::Sequence, n.clone()));
        let schemas = to.namespaces.keys().map(|n| (AclKind::Schema, n.clone()));
        let functions = to
            .functions
            .iter()
            .map(|(k, f)| (routine_kind(f.kind), k.clone()));
        let types = to
            .enums
            .keys()
            .chain(to.domains.keys())
            .chain(to.composites.keys())
            .map(|n| (AclKind::Type, n.clone()));
        for (kind, name) in tables
            .chain(sequences)
            .chain(schemas)
            .chain(functions)
            .chain(types)
        {
            let old = name_in_from(kind, &name, renames, changes);
            if created(changes, kind, &name) || !exists(from, kind, &old) {
                targets.entry(name).or_insert((kind, None));
            }
        }
    }
    for name in names {
        if let Some(acl) = from.privileges.get(name) {
            let now = name_in_to(acl, renames, changes);
            if exists(to, acl.kind, &now) {
                let wanted = to.privileges.get(&now).filter(|a| a.kind == acl.kind);
                targets.entry(now).or_insert((acl.kind, wanted));
            }
        }
    }
    for (name, (kind, wanted)) in targets {
        if !exists(to, kind, &name) {
            continue;
        }
        let wanted = wanted
            .cloned()
            .unwrap_or_else(|| Acl::default_for(kind, &name));
        let old = name_in_from(kind, &name, renames, changes);
        let had = if created(changes, kind, &name) || !exists(from, kind, &old) {
            // What PostgreSQL gives a new object: the default privileges in
            // force when it is created, `from`'s (the changes alter them
            // last, so that each object's grants are written as declared).
            let mut acl = Acl::default_for(kind, &name);
            let in_schema = if kind == AclKind::Schema {
                &name.name
            } else {
                &name.schema
            };
            acl.items = from.creation_items(DefaultObjects::of(kind), in_schema);
            acl
        } else {
            let mut acl = from.acl(kind, &old);
            // Columns under their names in `to`.
            if kind == AclKind::Table {
                acl.columns = acl
                    .columns
                    .into_iter()
                    .map(|(c, items)| (column_in_to(renames, &name, &c), items))
                    .collect();
            }
            acl
        };
        // Revokes first (a role about to own the object loses nothing the
        // owner change does not give back), then the owner, then the grants
        // (a previous owner's rights go with the change).
        let columns: BTreeSet<&String> = had.columns.keys().chain(wanted.columns.keys()).collect();
        let empty = BTreeSet::new();
        let mut grants = Vec::new();
        push_item_changes(
            &mut out,
            &mut grants,
            kind,
            &name,
            None,
            &had.items,
            &wanted.items,
        );
        for c in columns {
            push_item_changes(
                &mut out,
                &mut grants,
                kind,
                &name,
                Some(c),
                had.columns.get(c).unwrap_or(&empty),
                wanted.columns.get(c).unwrap_or(&empty),
            );
        }
        // A sequence a table's column owns follows the table's owner.
        // (Only one linked when the table changes owner: a sequence the
        // changes create on its own is linked by `OWNED BY` last, and takes
        // its owner itself first, as linking needs.)
        let follows_table = kind == AclKind::Sequence
            && !created(changes, AclKind::Sequence, &name)
            && to
                .sequences
                .get(&name)
                .and_then(|s| s.owned_by.as_ref())
                .is_some_and(|(t, _)| {
                    let table_now = to.acl(AclKind::Table, t).owner;
                    let table_before = if created(changes, AclKind::Table, t) {
                        None
                    } else {
                        from.acl(AclKind::Table, renames.table_source(t)).owner
                    };
                    table_now == wanted.owner && table_before != table_now
                });
        if had.owner != wanted.owner && !follows_table {
            out.push(Change::SetOwner {
                kind,
                object: name.clone(),
                from: had.owner.clone(),
                to: wanted.owner.clone(),
            });
        }
        out.extend(grants);
    }
    out
}

/// The kind of ACL a function or procedure has.
fn routine_kind(kind: crate::model::function::RoutineKind) -> AclKind {
    match kind {
        crate::model::function::RoutineKind::Function => AclKind::Function,
        crate::model::function::RoutineKind::Procedure => AclKind::Procedure,
    }
}

/// The `ALTER DEFAULT PRIVILEGES` from `from`'s entries to `to`'s (an entry
/// in a schema `to` drops goes with it).
fn default_privilege_changes(from: &Schema, to: &Schema) -> Vec<Change> {
    let keys: BTreeSet<&QualifiedName> = from
        .default_privileges
        .keys()
        .chain(to.default_privileges.keys())
        .collect();
    let mut out = Vec::new();
    for key in keys {
        let Some(d) = to
            .default_privileges
            .get(key)
            .or_else(|| from.default_privileges.get(key))
        else {
            continue;
        };
        let (role, schema, objects) = (d.role.as_deref(), d.schema.as_deref(), d.objects);
        if schema.is_some_and(|s| !to.used_namespaces().contains(s)) {
            continue;
        }
        let had = from.default_acl(role, schema, objects).items;
        let wanted = to.default_acl(role, schema, objects).items;
        for c in item_changes(&had, &wanted) {
            out.push(Change::DefaultPrivileges {
                role: d.role.clone(),
                schema: d.schema.clone(),
                objects,
                grantee: c.grantee,
                privileges: c.privileges,
                revoke: c.revoke,
                option_only: c.revoke && c.option,
                grantable: !c.revoke && c.option,
            });
        }
    }
    out
}

/// One `GRANT` or `REVOKE` between two lists of ACL entries.
struct ItemChange {
    /// The role (or `PUBLIC`).
    grantee: String,
    /// The privileges.
    privileges: Vec<Privilege>,
    /// `REVOKE` rather than `GRANT`.
    revoke: bool,
    /// `REVOKE GRANT OPTION FOR` (a revoke), `WITH GRANT OPTION` (a grant).
    option: bool,
}

/// The revokes, then the grants, from `had` to `wanted`, one per role and
/// option.
fn item_changes(had: &BTreeSet<AclItem>, wanted: &BTreeSet<AclItem>) -> Vec<ItemChange> {
    let with_option = |i: &AclItem, grantable: bool| AclItem {
        grantable,
        ..i.clone()
    };
    let mut revokes: BTreeMap<(&str, bool), Vec<Privilege>> = BTreeMap::new();
    for item in had.difference(wanted) {
        // Given the option next (`GRANT ... WITH GRANT OPTION`): nothing to take.
        if !item.grantable && wanted.contains(&with_option(item, true)) {
            continue;
        }
        // A privilege kept without its grant option loses the option alone
        // (`REVOKE GRANT OPTION FOR`), never the privilege and what others
        // were granted from it.
        let option_only = item.grantable && wanted.contains(&with_option(item, false));
        revokes
            .entry((&item.grantee, option_only))
            .or_default()
            .push(item.privilege);
    }
    let mut grants: BTreeMap<(&str, bool), Vec<Privilege>> = BTreeMap::new();
    for item in wanted.difference(had) {
        if !item.grantable && had.contains(&with_option(item, true)) {
            continue;
        }
        grants
            .entry((&item.grantee, item.grantable))
            .or_default()
            .push(item.privilege);
    }
    let step = |revoke: bool| {
        move |((grantee, option), privileges): ((&str, bool), Vec<Privilege>)| ItemChange {
            grantee: grantee.to_string(),
            privileges,
            revoke,
            option,
        }
    };
    revokes
        .into_iter()
        .map(step(true))
        .chain(grants.into_iter().map(step(false)))
        .collect()
}

/// The revokes (into `out`), then the grants (into `grant_out`), from `had`
/// to `wanted` on one object or column.
fn push_item_changes(
    out: &mut Vec<Change>,
    grant_out: &mut Vec<Change>,
    kind: AclKind,
    object: &QualifiedName,
    column: Option<&String>,
    had: &BTreeSet<AclItem>,
    wanted: &BTreeSet<AclItem>,
) {
    for c in item_changes(had, wanted) {
        if c.revoke {
            out.push(Change::Revoke {
                kind,
                object: object.clone(),
                column: column.cloned(),
                grantee: c.grantee,
                privileges: c.privileges,
                option_only: c.option,
            });
        } else {
            grant_out.push(Change::Grant {
                kind,
                object: object.clone(),
                column: column.cloned(),
                grantee: c.grantee,
                privileges: c.privileges,
                grantable: c.option,
            });
        }
    }
}

fn exists(schema: &Schema, kind: AclKind, name: &QualifiedName) -> bool {
    match kind {
        AclKind::Table => schema.tables.contains_key(name) || schema.views.contains_key(name),
        AclKind::Sequence => schema.sequences.contains_key(name),
        AclKind::Schema => schema.used_namespaces().contains(name.name.as_str()),
        AclKind::Function | AclKind::Procedure => schema
            .functions
            .get(name)
            .is_some_and(|f| routine_kind(f.kind) == kind),
        AclKind::Type => {
            schema.enums.contains_key(name)
                || schema.domains.contains_key(name)
                || schema.composites.contains_key(name)
        }
    }
}

/// True when the `changes` create (or re-create) the object: it starts
/// with what a new object has (a function, enum, domain or composite type
/// dropped and created again loses its grants and owner, as a table does).
fn created(changes: &[Change], kind: AclKind, name: &QualifiedName) -> bool {
    changes.iter().any(|c| match (kind, c) {
        (AclKind::Table, Change::CreateTable(t)) => t.name == *name,
        (AclKind::Table, Change::CreateView(v)) => v.name == *name,
        (AclKind::Sequence, Change::CreateSequence(s)) => s.name == *name,
        (AclKind::Schema, Change::CreateSchema(s)) => *s == name.name,
        (
            AclKind::Function | AclKind::Procedure,
            Change::CreateFunction { function: f, .. } | Change::RecreateFunction { to: f, .. },
        ) => f.key() == *name,
        (AclKind::Type, Change::CreateEnum(e) | Change::RecreateEnum { to: e, .. }) => {
            e.name == *name
        }
        (AclKind::Type, Change::CreateDomain(d) | Change::ReplaceDomain { to: d, .. }) => {
            d.name == *name
        }
        (AclKind::Type, Change::CreateComposite(c) | Change::ReplaceComposite { to: c, .. }) => {
            c.name == *name
        }
        _ => false,
    })
}

/// The name an object of `from` has in `to`.
fn name_in_to(acl: &Acl, renames: &Renames, changes: &[Change]) -> QualifiedName {
    match acl.kind {
        AclKind::Table => renames.relation_target(&acl.name).clone(),
        AclKind::Sequence => changes
            .iter()
            .find_map(|c| match c {
                Change::RenameSequence { from, to } if *from == acl.name => Some(to.clone()),
                _ => None,
            })
            .unwrap_or_else(|| acl.name.clone()),
        // Functions and types: `from` is diffed with types renamed already
        // (and the functions whose signatures use them keyed again).
        AclKind::Schema | AclKind::Function | AclKind::Procedure | AclKind::Type => {
            acl.name.clone()
        }
    }
}

/// The name an object of `to` had in `from`.
fn name_in_from(
    kind: AclKind,
    name: &QualifiedName,
    renames: &Renames,
    changes: &[Change],
) -> QualifiedName {
    match kind {
        AclKind::Table => renames.relation_source(name).clone(),
        AclKind::Sequence => changes
            .iter()
            .find_map(|c| match c {
                Change::RenameSequence { from, to } if to == name => Some(from.clone()),
                _ => None,
            })
            .unwrap_or_else(|| name.clone()),
        AclKind::Schema | AclKind::Function | AclKind::Procedure | AclKind::Type => name.clone(),
    }
}

/// The name column `column` of `from`'s table has in `to`'s `table`.
fn column_in_to(renames: &Renames, table: &QualifiedName, column: &str) -> String {
    renames
        .columns
        .iter()
        .find(|(t, old, _)| t == table && old == column)
        .map_or_else(|| column.to_string(), |(_, _, new)| new.clone())
}

/// `SELECT, INSERT` for a list of privileges.
pub(crate) fn privilege_list(privileges: &[Privilege]) -> String {
    privileges
        .iter()
        .map(|p| p.keyword())
        .collect::<Vec<_>>()
        .join(", ")
}
