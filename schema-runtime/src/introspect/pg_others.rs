//! Aggregates, operators, casts, collations, text-search objects, event
//! triggers, publications and rules of a live PostgreSQL database, read from
//! their catalogs (`pg_aggregate`, `pg_operator`, `pg_cast`, `pg_collation`,
//! `pg_ts_*`, `pg_event_trigger`, `pg_publication`, `pg_rewrite`) under the
//! keys the parser gives them, members of extensions and system schemas left
//! out. Each carries its facts: its catalog row as JSON (names, owners and
//! its own oid left out; a publication's tables and schemas, a text-search
//! configuration's mappings and a rule's definition added), which `verify`
//! compares with what the declared statements give (see `stored/others.rs`).

use crate::session::{Param, Row, Session};
use schema_core::Origin;
use schema_core::Schema;
use schema_core::model::QualifiedName;
use schema_core::model::others::{OtherIdentity, OtherKind, OtherObject};

use super::IntrospectError;

type Result<T> = std::result::Result<T, IntrospectError>;

/// `NOT` a member of an extension: `catalog` is the object's catalog, `oid` its oid.
fn not_in_extension(catalog: &str, oid: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = '{catalog}'::regclass
                     AND dep.objid = {oid} AND dep.deptype IN ('e', 'i'))"
    )
}

/// The query listing one kind: `(oid, schema, name, args, table schema,
/// table name, comment, facts)`, the schema filter as `$1`.
pub(crate) fn kind_query(kind: OtherKind) -> String {
    let named = |catalog: &str, alias: &str, name: &str, ns: &str, drop: &str, extra: &str| {
        format!(
            "SELECT {alias}.oid, n.nspname::text, {alias}.{name}::text, ''::text, NULL::text, NULL::text,
                    obj_description({alias}.oid, '{catalog}'),
                    ((to_jsonb({alias}) - 'oid' - '{name}' - '{ns}' {drop}) {extra})::text
             FROM {catalog} {alias} JOIN pg_namespace n ON n.oid = {alias}.{ns}
             WHERE n.nspname::text = ANY($1) AND {}",
            not_in_extension(catalog, &format!("{alias}.oid"))
        )
    };
    match kind {
        OtherKind::Collation => named(
            "pg_collation",
            "c",
            "collname",
            "collnamespace",
            "- 'collowner' - 'collversion'",
            "",
        ),
        OtherKind::TextSearchParser => named("pg_ts_parser", "p", "prsname", "prsnamespace", "", ""),
        OtherKind::TextSearchTemplate => named(
            "pg_ts_template",
            "t",
            "tmplname",
            "tmplnamespace",
            "",
            "",
        ),
        OtherKind::TextSearchDictionary => named(
            "pg_ts_dict",
            "d",
            "dictname",
            "dictnamespace",
            "- 'dictowner'",
            "",
        ),
        OtherKind::TextSearchConfiguration => named(
            "pg_ts_config",
            "c",
            "cfgname",
            "cfgnamespace",
            "- 'cfgowner'",
            "|| jsonb_build_object('mappings', (SELECT coalesce(jsonb_agg(jsonb_build_array(m.maptokentype, m.mapseqno, m.mapdict::regdictionary::text) ORDER BY m.maptokentype, m.mapseqno), '[]'::jsonb) FROM pg_ts_config_map m WHERE m.mapcfg = c.oid))",
        ),
        OtherKind::Operator => format!(
            "SELECT o.oid, n.nspname::text, o.oprname::text,
                    CASE WHEN o.oprleft = 0 THEN 'NONE' ELSE format_type(o.oprleft, NULL) END
                    || ', ' ||
                    CASE WHEN o.oprright = 0 THEN 'NONE' ELSE format_type(o.oprright, NULL) END,
                    NULL::text, NULL::text, obj_description(o.oid, 'pg_operator'),
                    (to_jsonb(o) - 'oid' - 'oprname' - 'oprnamespace' - 'oprowner'
                     || jsonb_build_object('oprcom', o.oprcom::regoperator::text,
                                           'oprnegate', o.oprnegate::regoperator::text))::text
             FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace
             WHERE n.nspname::text = ANY($1) AND {}",
            not_in_extension("pg_operator", "o.oid")
        ),
        OtherKind::Aggregate => format!(
            "SELECT p.oid, n.nspname::text, p.proname::text,
                    CASE WHEN p.pronargs = 0 THEN '*'
                    ELSE (SELECT string_agg(
                            CASE WHEN a.aggkind <> 'n' AND u.i = a.aggnumdirectargs + 1
                                 THEN CASE WHEN a.aggnumdirectargs = 0 THEN 'ORDER BY ' ELSE ' ORDER BY ' END
                                 WHEN u.i > 1 THEN ', ' ELSE '' END
                            || format_type(u.t, NULL), '' ORDER BY u.i)
                          FROM unnest(p.proargtypes) WITH ORDINALITY AS u(t, i))
                    END,
                    NULL::text, NULL::text, obj_description(p.oid, 'pg_proc'),
                    (to_jsonb(a) - 'aggfnoid'
                     || jsonb_build_object('aggtranstype', format_type(a.aggtranstype, NULL),
                                           'aggmtranstype', format_type(NULLIF(a.aggmtranstype, 0), NULL),
                                           'aggsortop', a.aggsortop::regoperator::text))::text
             FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
             JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname::text = ANY($1) AND {}",
            not_in_extension("pg_proc", "p.oid")
        ),
        OtherKind::Cast => format!(
            "SELECT c.oid, ''::text, ''::text,
                    format_type(c.castsource, NULL) || ' AS ' || format_type(c.casttarget, NULL),
                    NULL::text, NULL::text, obj_description(c.oid, 'pg_cast'),
                    (to_jsonb(c) - 'oid' - 'castsource' - 'casttarget'
                     || jsonb_build_object('castfunc', NULLIF(c.castfunc, 0)::regprocedure::text))::text
             FROM pg_cast c
             WHERE c.oid >= 16384 AND $1::text[] IS NOT NULL AND {}",
            not_in_extension("pg_cast", "c.oid")
        ),
        OtherKind::EventTrigger => format!(
            "SELECT e.oid, ''::text, e.evtname::text, ''::text, NULL::text, NULL::text,
                    obj_description(e.oid, 'pg_event_trigger'),
                    (to_jsonb(e) - 'oid' - 'evtname' - 'evtowner'
                     || jsonb_build_object('evtfoid', e.evtfoid::regprocedure::text))::text
             FROM pg_event_trigger e
             WHERE $1::text[] IS NOT NULL AND {}",
            not_in_extension("pg_event_trigger", "e.oid")
        ),
        OtherKind::Publication => format!(
            "SELECT p.oid, ''::text, p.pubname::text, ''::text, NULL::text, NULL::text,
                    obj_description(p.oid, 'pg_publication'),
                    (to_jsonb(p) - 'oid' - 'pubname' - 'pubowner'
                     || jsonb_build_object(
                          'tables', (SELECT coalesce(jsonb_agg(r.prrelid::regclass::text ORDER BY 1), '[]'::jsonb)
                                     FROM pg_publication_rel r WHERE r.prpubid = p.oid),
                          'schemas', (SELECT coalesce(jsonb_agg(s.pnnspid::regnamespace::text ORDER BY 1), '[]'::jsonb)
                                      FROM pg_publication_namespace s WHERE s.pnpubid = p.oid)))::text
             FROM pg_publication p
             WHERE $1::text[] IS NOT NULL AND {}",
            not_in_extension("pg_publication", "p.oid")
        ),
        OtherKind::Rule => format!(
            "SELECT r.oid, n.nspname::text, r.rulename::text, ''::text, n.nspname::text, c.relname::text,
                    obj_description(r.oid, 'pg_rewrite'),
                    jsonb_build_object('definition', pg_get_ruledef(r.oid), 'enabled', r.ev_enabled)::text
             FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE r.rulename <> '_RETURN' AND n.nspname::text = ANY($1) AND {}",
            not_in_extension("pg_rewrite", "r.oid")
        ),
    }
}

/// The object one row of [`kind_query`] describes (without its oid).
pub(crate) fn object_of(kind: OtherKind, row: &Row) -> OtherObject {
    let schema: String = row.get(1);
    let table = match (
        row.get::<_, Option<String>>(4),
        row.get::<_, Option<String>>(5),
    ) {
        (Some(s), Some(t)) => Some(QualifiedName::new(s, t)),
        _ => None,
    };
    let identity = OtherIdentity {
        kind,
        schema,
        name: row.get(2),
        args: row.get(3),
        table,
    };
    OtherObject {
        identity,
        statements: Vec::new(),
        normalized: String::new(),
        facts: row.get(7),
        comment: row.get(6),
        origin: Origin::synthetic("postgres"),
        directives: Default::default(),
    }
}

/// Reads the objects of these kinds in `schemas` (and the global ones) into `schema`.
pub(crate) async fn read_others<S: Session>(
    tx: &mut S,
    schemas: &[String],
    schema: &mut Schema,
) -> Result<()> {
    for kind in OtherKind::ALL {
        let rows = tx
            .query(&kind_query(kind), &[Param::Texts(schemas)])
            .await
            .map_err(|source| IntrospectError::Query {
                what: format!("{} objects", kind.keyword()),
                source,
            })?;
        for row in rows {
            let o = object_of(kind, &row);
            schema.others.insert(o.key(), o);
        }
    }
    Ok(())
}
