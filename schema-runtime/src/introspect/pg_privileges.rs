//! PostgreSQL's access control lists and owners read into the model's
//! [`Acl`]s: `aclexplode` of `pg_class.relacl`, `pg_attribute.attacl`,
//! `pg_namespace.nspacl` and `pg_type.typacl` (functions' `pg_proc.proacl`
//! is read with the functions, which know their keys), without the owner's own entries, and the owner when
//! it is not the role reading (the one that runs the migrations).

use crate::session::{Param, Session};
use schema_core::Schema;
use schema_core::model::QualifiedName;
use schema_core::model::privileges::{
    Acl, AclItem, AclKind, DefaultAcl, DefaultObjects, PUBLIC, PUBLIC_SCHEMA_OWNER, Privilege,
};

use super::postgres::query_error;
use crate::introspect::IntrospectError;

type Result<T> = std::result::Result<T, IntrospectError>;

/// Reads the ACLs and owners of the tables, sequences, schemas and types of
/// `schemas` into `schema` (only those that differ from a new object's).
pub(crate) async fn read_privileges<S: Session>(
    tx: &mut S,
    schemas: &[String],
    schema: &mut Schema,
) -> Result<()> {
    // One row per ACL entry (or one with no entry, for an owner), the
    // grantee 0 meaning PUBLIC. Column entries have a column name.
    let rows = tx
        .query(
            "WITH objects AS (
                 SELECT n.nspname::text AS nsp, c.relname::text AS name,
                        CASE WHEN c.relkind = 'S' THEN 'S' ELSE 'T' END AS kind,
                        NULL::text AS col, c.relacl AS acl, c.relowner AS owner
                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname::text = ANY($1) AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                   -- An identity column's sequence is part of its column.
                   AND NOT EXISTS (SELECT 1 FROM pg_depend d
                                   WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                     AND d.deptype = 'i')
               UNION ALL
                 SELECT n.nspname::text, c.relname::text, 'T', a.attname::text, a.attacl, c.relowner
                 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                 JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname::text = ANY($1) AND c.relkind IN ('r', 'p')
                   AND a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL
               UNION ALL
                 SELECT '', n.nspname::text, 'N', NULL, n.nspacl, n.nspowner
                 FROM pg_namespace n WHERE n.nspname::text = ANY($1)
               UNION ALL
                 -- Enum types, domains and composite types (not those of an
                 -- extension); a NULL ACL is the default one (USAGE for PUBLIC).
                 SELECT n.nspname::text, t.typname::text, 'Y', NULL,
                        coalesce(t.typacl, acldefault('T', t.typowner)), t.typowner
                 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                 WHERE n.nspname::text = ANY($1)
                   AND (t.typtype IN ('e', 'd')
                        OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class c
                                                        WHERE c.oid = t.typrelid AND c.relkind = 'c')))
                   AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_type'::regclass
                                     AND e.objid = t.oid AND e.deptype = 'e')
             )
             SELECT o.kind, o.nsp, o.name, o.col,
                    CASE WHEN o.owner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
                         THEN NULL ELSE pg_get_userbyid(o.owner)::text END,
                    e.grantee = 0, CASE WHEN e.grantee = 0 THEN NULL ELSE pg_get_userbyid(e.grantee)::text END,
                    e.privilege_type, e.is_grantable
             FROM objects o
             LEFT JOIN LATERAL aclexplode(o.acl) e ON e.grantee <> o.owner
             ORDER BY 1, 2, 3, 4",
            &[Param::Texts(schemas)],
        )
        .await.map_err(query_error("privileges"))?;
    let mut acls: std::collections::BTreeMap<QualifiedName, Acl> =
        std::collections::BTreeMap::new();
    for row in rows {
        let kind = match row.get::<_, &str>(0) {
            "S" => AclKind::Sequence,
            "N" => AclKind::Schema,
            "Y" => AclKind::Type,
            _ => AclKind::Table,
        };
        let name = if kind == AclKind::Schema {
            QualifiedName::global(row.get::<_, String>(2))
        } else {
            QualifiedName::new(row.get::<_, String>(1), row.get::<_, String>(2))
        };
        let column: Option<String> = row.get(3);
        let mut owner: Option<String> = row.get(4);
        if kind == AclKind::Schema
            && name.name == schema_core::model::DEFAULT_SCHEMA
            && owner.as_deref() == Some(PUBLIC_SCHEMA_OWNER)
        {
            owner = None;
        }
        let acl = acls.entry(name.clone()).or_insert_with(|| {
            // An ACL never set is the default one: the owner's rights and,
            // for `public`, USAGE for every role (read below as entries when set).
            let mut acl = Acl::default_for(kind, &name);
            acl.items.clear();
            acl.owner = owner;
            acl
        });
        let privilege: Option<String> = row.get(7);
        let Some(privilege) = privilege else {
            continue;
        };
        let Some(privilege) = Privilege::from_keyword(&privilege) else {
            // A privilege the model does not know (MAINTAIN on a newer
            // server): reported as an entry it cannot hold would lose it.
            return Err(IntrospectError::Query {
                what: format!("privileges of `{name}`"),
                source: format!("privilege `{privilege}` is not modelled").into(),
            });
        };
        let grantee = if row.get::<_, bool>(5) {
            PUBLIC.to_string()
        } else {
            row.get::<_, Option<String>>(6).unwrap_or_default()
        };
        let item = AclItem {
            grantee,
            privilege,
            grantable: row.get(8),
        };
        match column {
            Some(c) => {
                acl.columns.entry(c).or_default().insert(item);
            }
            None => {
                acl.items.insert(item);
            }
        }
    }
    // Objects whose ACL was never set hold their default entries: only
    // `public`'s USAGE for PUBLIC differs from an empty list.
    let unset = tx
        .query(
            "SELECT n.nspname::text FROM pg_namespace n
             WHERE n.nspname::text = ANY($1) AND n.nspacl IS NULL",
            &[Param::Texts(schemas)],
        )
        .await
        .map_err(query_error("privileges of schemas"))?;
    for row in unset {
        let name = QualifiedName::global(row.get::<_, String>(0));
        if let Some(acl) = acls.get_mut(&name) {
            acl.items = Acl::default_for(AclKind::Schema, &name).items;
        }
    }
    for acl in acls.into_values() {
        schema.set_acl(acl);
    }
    read_default_privileges(tx, schemas, schema).await
}

/// `pg_default_acl`: the entries for every schema and those in `schemas`,
/// without the entries of the role they are for.
async fn read_default_privileges<S: Session>(
    tx: &mut S,
    schemas: &[String],
    schema: &mut Schema,
) -> Result<()> {
    let rows = tx
        .query(
            "SELECT CASE WHEN d.defaclrole = (SELECT oid FROM pg_roles WHERE rolname = current_user)
                         THEN NULL ELSE pg_get_userbyid(d.defaclrole)::text END,
                    n.nspname::text, d.defaclobjtype::text,
                    e.grantee = 0, CASE WHEN e.grantee = 0 THEN NULL ELSE pg_get_userbyid(e.grantee)::text END,
                    e.privilege_type, e.is_grantable
             FROM pg_default_acl d
             LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
             LEFT JOIN LATERAL aclexplode(d.defaclacl) e ON e.grantee <> d.defaclrole
             WHERE d.defaclnamespace = 0 OR n.nspname::text = ANY($1)
             ORDER BY 1, 2, 3",
            &[Param::Texts(schemas)],
        )
        .await.map_err(query_error("default privileges"))?;
    let mut entries: std::collections::BTreeMap<QualifiedName, DefaultAcl> =
        std::collections::BTreeMap::new();
    for row in rows {
        let role: Option<String> = row.get(0);
        let in_schema: Option<String> = row.get(1);
        let code: String = row.get(2);
        let Some(objects) = DefaultObjects::from_code(&code) else {
            return Err(IntrospectError::Query {
                what: "default privileges".into(),
                source: format!("objects of kind `{code}` are not modelled").into(),
            });
        };
        let key = DefaultAcl::key(role.as_deref(), in_schema.as_deref(), objects);
        let entry = entries.entry(key).or_insert_with(|| DefaultAcl {
            role: role.clone(),
            schema: in_schema.clone(),
            objects,
            items: std::collections::BTreeSet::new(),
        });
        let Some(privilege) = row.get::<_, Option<String>>(5) else {
            continue;
        };
        let Some(privilege) = Privilege::from_keyword(&privilege) else {
            return Err(IntrospectError::Query {
                what: "default privileges".into(),
                source: format!("privilege `{privilege}` is not modelled").into(),
            });
        };
        let grantee = if row.get::<_, bool>(3) {
            PUBLIC.to_string()
        } else {
            row.get::<_, Option<String>>(4).unwrap_or_default()
        };
        entry.items.insert(AclItem {
            grantee,
            privilege,
            grantable: row.get(6),
        });
    }
    for entry in entries.into_values() {
        schema.set_default_acl(entry);
    }
    Ok(())
}
