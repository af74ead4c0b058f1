//! Functions and procedures from `pg_proc` (`prokind` `f` and `p`; those an
//! extension owns, aggregates and window functions left out): signature,
//! result, language, body (`prosrc`, as written), attributes, `SET`
//! options, comment, owner and ACL (`proacl`), in the model's canonical form.

use crate::session::{Param, Row, Session};
use schema_core::model::function::{
    ArgMode, Argument, Body, Function, Parallel, Returns, RoutineKind, SIGNATURE_TYPES, Volatility,
    signature_type,
};
use schema_core::model::privileges::{Acl, AclItem, AclKind, PUBLIC, Privilege};
use schema_core::model::{Directives, QualifiedName, SqlType};

use super::{Result, expression, origin, query_error};
use crate::introspect::IntrospectError;

/// A type of a signature as `format_type` prints it, in the model's form.
fn signature_type_of(text: &str, owner: &str) -> Result<SqlType> {
    if let Some(t) = SIGNATURE_TYPES.iter().find(|t| **t == text) {
        return Ok(SqlType::Builtin(t));
    }
    SqlType::parse(text)
        .map(signature_type)
        .map_err(|message| IntrospectError::Type {
            column: owner.to_string(),
            text: text.to_string(),
            message,
        })
}

/// A `float4` catalog number as the model writes it.
#[allow(
    clippy::cast_possible_truncation,
    reason = "the catalog holds a float4: back to its own precision"
)]
fn number(value: f64) -> String {
    format!("{}", value as f32)
}

/// Every function and procedure of `schemas`.
pub(super) async fn read_functions<S: Session>(
    tx: &mut S,
    schemas: &[String],
) -> Result<(Vec<Function>, Vec<Acl>)> {
    let version: i32 = tx
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .await
        .map_err(query_error("the server version"))?
        .get(0);
    // A SQL-standard body (PostgreSQL 14 and later) is no string: its text
    // is what pg_dump prints.
    let standard_body = if version >= 140_000 {
        "CASE WHEN p.prosqlbody IS NOT NULL THEN pg_get_function_sqlbody(p.oid) END"
    } else {
        "NULL::text"
    };
    let query = format!(
        "SELECT n.nspname::text, p.proname::text, p.prokind::text, l.lanname::text, p.prosrc,
                    p.provolatile::text, p.proisstrict, p.prosecdef, p.proleakproof,
                    p.proparallel::text, p.procost::float8, p.prorows::float8, p.proretset,
                    p.proconfig, obj_description(p.oid, 'pg_proc'),
                    coalesce(p.proargmodes::text[], ARRAY[]::text[]),
                    coalesce(p.proargnames, ARRAY[]::text[]),
                    ARRAY(SELECT format_type(t.typ, NULL)
                          FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]))
                               WITH ORDINALITY AS t(typ, i) ORDER BY t.i),
                    ARRAY(SELECT pg_get_function_arg_default(p.oid, i::int)
                          FROM generate_series(1, coalesce(array_length(
                                 coalesce(p.proallargtypes, p.proargtypes::oid[]), 1), 0)) AS i
                          ORDER BY i),
                    format_type(p.prorettype, NULL), {standard_body},
                    CASE WHEN p.proowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
                         THEN NULL ELSE pg_get_userbyid(p.proowner)::text END,
                    ARRAY(SELECT CASE WHEN e.grantee = 0 THEN NULL
                                      ELSE pg_get_userbyid(e.grantee)::text END
                          FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) e
                          WHERE e.grantee <> p.proowner
                          ORDER BY e.grantee, e.privilege_type),
                    ARRAY(SELECT e.privilege_type || CASE WHEN e.is_grantable THEN '*' ELSE '' END
                          FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) e
                          WHERE e.grantee <> p.proowner
                          ORDER BY e.grantee, e.privilege_type)
             FROM pg_proc p
             JOIN pg_namespace n ON n.oid = p.pronamespace
             JOIN pg_language l ON l.oid = p.prolang
             WHERE n.nspname::text = ANY($1) AND p.prokind IN ('f', 'p')
               AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass
                                 AND e.objid = p.oid AND e.deptype = 'e')
             ORDER BY 1, 2, p.oid"
    );
    let rows = tx
        .query(&query, &[Param::Texts(schemas)])
        .await
        .map_err(query_error("functions"))?;
    let mut out = Vec::new();
    let mut acls = Vec::new();
    for row in rows {
        let name = QualifiedName::new(row.get::<_, String>(0), row.get::<_, String>(1));
        let owner = format!("function {name}");
        let kind = if row.get::<_, String>(2) == "p" {
            RoutineKind::Procedure
        } else {
            RoutineKind::Function
        };
        let language: String = row.get(3);
        let modes: Vec<String> = row.get(15);
        let names: Vec<String> = row.get(16);
        let types: Vec<String> = row.get(17);
        let defaults: Vec<Option<String>> = row.get(18);
        let mut args = Vec::new();
        let mut table = Vec::new();
        for (i, type_text) in types.iter().enumerate() {
            let ty = signature_type_of(type_text, &owner)?;
            let arg_name = names.get(i).filter(|n| !n.is_empty()).cloned();
            let mode = match modes.get(i).map(String::as_str) {
                None | Some("i") => ArgMode::In,
                Some("o") => ArgMode::Out,
                Some("b") => ArgMode::InOut,
                Some("v") => ArgMode::Variadic,
                Some(_) => {
                    table.push((arg_name.unwrap_or_default(), ty));
                    continue;
                }
            };
            let default = defaults
                .get(i)
                .cloned()
                .flatten()
                .map(|text| expression(|| format!("a default of {owner}"), &text))
                .transpose()?;
            args.push(Argument {
                mode,
                name: arg_name,
                ty,
                default,
            });
        }
        let set: bool = row.get(12);
        let returns = match kind {
            RoutineKind::Procedure => None,
            RoutineKind::Function if !table.is_empty() => Some(Returns::Table(table)),
            RoutineKind::Function => Some(Returns::Type {
                setof: set,
                ty: signature_type_of(&row.get::<_, String>(19), &owner)?,
            }),
        };
        let default_cost = if matches!(language.as_str(), "c" | "internal") {
            "1"
        } else {
            "100"
        };
        let cost = Some(number(row.get(10))).filter(|c| c != default_cost);
        let rows_value = number(row.get(11));
        let rows = Some(rows_value).filter(|r| r != "0" && !(set && r == "1000"));
        let config = row
            .get::<_, Option<Vec<String>>>(13)
            .unwrap_or_default()
            .into_iter()
            .map(|entry| match entry.split_once('=') {
                Some((n, v)) => (n.to_string(), v.to_string()),
                None => (entry, String::new()),
            })
            .collect();
        let volatility = match row.get::<_, String>(5).as_str() {
            "i" => Volatility::Immutable,
            "s" => Volatility::Stable,
            _ => Volatility::Volatile,
        };
        let parallel = match row.get::<_, String>(9).as_str() {
            "s" => Parallel::Safe,
            "r" => Parallel::Restricted,
            _ => Parallel::Unsafe,
        };
        let (strict, leakproof) = match kind {
            RoutineKind::Function => (row.get(6), row.get(8)),
            RoutineKind::Procedure => (false, false),
        };
        out.push(Function {
            name,
            kind,
            args,
            returns,
            language,
            body: match row.get::<_, Option<String>>(20) {
                None => Body::new(row.get::<_, String>(4)),
                Some(text) => match text.trim().strip_prefix("RETURN ") {
                    Some(e) => Body::returning(&expression(|| format!("the body of {owner}"), e)?),
                    None => Body::standard(text.trim()),
                },
            },
            volatility,
            strict,
            security_definer: row.get(7),
            leakproof,
            parallel,
            cost,
            rows,
            config,
            comment: row.get(14),
            origin: origin(),
            directives: Directives::default(),
        });
        if let Some(f) = out.last() {
            acls.push(function_acl(f, &row)?);
        }
    }
    Ok((out, acls))
}

/// The ACL and owner of `f` from its row: the owner (column 21, `None` for
/// the role reading) and the entries of `proacl` beyond the owner's
/// (columns 22 and 23: grantees, `NULL` for `PUBLIC`, and privileges, `*`
/// marking a grant option; a `NULL` `proacl` read as its default).
fn function_acl(f: &Function, row: &Row) -> Result<Acl> {
    let kind = match f.kind {
        RoutineKind::Function => AclKind::Function,
        RoutineKind::Procedure => AclKind::Procedure,
    };
    let key = f.key();
    let mut acl = Acl::default_for(kind, &key);
    acl.items.clear();
    acl.owner = row.get(21);
    let grantees: Vec<Option<String>> = row.get(22);
    let privileges: Vec<String> = row.get(23);
    for (grantee, privilege) in grantees.into_iter().zip(privileges) {
        let (word, grantable) = match privilege.strip_suffix('*') {
            Some(w) => (w.to_string(), true),
            None => (privilege, false),
        };
        let Some(privilege) = Privilege::from_keyword(&word) else {
            return Err(IntrospectError::Query {
                what: format!("privileges of {} `{}`", f.kind.describe(), f.signature()),
                source: format!("privilege `{word}` is not modelled").into(),
            });
        };
        acl.items.insert(AclItem {
            grantee: grantee.unwrap_or_else(|| PUBLIC.to_string()),
            privilege,
            grantable,
        });
    }
    Ok(acl)
}
