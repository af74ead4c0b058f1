//! PostgreSQL live introspection into the schema model: what `pg_catalog` says
//! a database holds, as the same [`Schema`] that parsing `schema.sql` gives.
//!
//! Types come from `format_type`, expressions from `pg_get_expr` and
//! `pg_get_indexdef`, and both go through the model's own parsers, so the live
//! schema is in the canonical form the declared one is in. The queries run in
//! one read-only, repeatable-read transaction with `search_path` set to the
//! default schema, so the text PostgreSQL prints does not depend on the
//! session the caller left behind.

use std::collections::{BTreeMap, HashMap};

use crate::session::{NOT_READY, Param, Row, Session, SessionError, ready};
use schema_core::Origin;
use schema_core::Schema;
use schema_core::model::{
    Attribute, Column, CompositeType, Compression, Constraint, ConstraintKind, DEFAULT_SCHEMA,
    Directives, Domain, DomainCheck, EnumType, Exclusion, ExclusionElement, Expression, Extension,
    ExtensionComment, ForeignKey, Identity, Index, IndexKey, IndexPart, Namespace, OperatorClass,
    PUBLIC_SCHEMA_COMMENT, PartitionOf, QualifiedName, ReferentialAction, Sequence,
    SequenceOptions, SequenceType, SqlType, Storage, StorageParameters, Table,
};
use schema_core::parse::apply::{
    operator_class_of, partition_bound_from_text, partition_key_from_text, split_key_collation,
};

pub use crate::introspect::IntrospectError;

mod functions;

type Result<T> = std::result::Result<T, IntrospectError>;

pub(crate) fn query_error(what: &'static str) -> impl FnOnce(SessionError) -> IntrospectError {
    move |source| IntrospectError::Query {
        what: what.to_string(),
        source,
    }
}

pub(crate) fn origin() -> Origin {
    Origin::synthetic("postgres")
}

pub(super) fn expression(owner: impl FnOnce() -> String, text: &str) -> Result<Expression> {
    Expression::parse(text).map_err(|message| IntrospectError::Expression {
        owner: owner(),
        text: text.to_string(),
        message,
    })
}

/// Reads the tables, enum types and sequences of `schemas` (e.g. `["public"]`)
/// from a live PostgreSQL database into the model, in canonical form.
///
/// Objects the model has no place for (views, exclusion constraints, triggers,
/// ...) are not read.
///
/// # Errors
/// [`IntrospectError::Query`] when a catalog query fails; the other variants
/// when PostgreSQL prints a type or an expression the model cannot read.
pub fn introspect(
    client: &mut postgres::Client,
    schemas: &[&str],
) -> std::result::Result<Schema, IntrospectError> {
    ready(introspect_on(client, schemas)).unwrap_or_else(not_ready)
}

/// The error of a blocking call that waited (see [`ready`]).
pub(crate) fn not_ready<T>() -> std::result::Result<T, IntrospectError> {
    Err(IntrospectError::Catalog {
        owner: "the database".to_string(),
        message: NOT_READY.to_string(),
    })
}

/// [`introspect`] on any session.
pub(crate) async fn introspect_on<S: Session>(
    tx: &mut S,
    schemas: &[&str],
) -> std::result::Result<Schema, IntrospectError> {
    introspect_within(tx, schemas, false).await
}

/// [`introspect_on`] a session that may be inside a transaction already
/// (`in_transaction`): the catalog is then read inside it, in a savepoint
/// rolled back after (it undoes the session settings, not the transaction's
/// own changes), so that what the transaction did is seen before it commits.
pub(crate) async fn introspect_within<S: Session>(
    tx: &mut S,
    schemas: &[&str],
    in_transaction: bool,
) -> std::result::Result<Schema, IntrospectError> {
    const SAVEPOINT: &str = "schema_introspect";
    if in_transaction {
        tx.execute(&format!("SAVEPOINT {SAVEPOINT}"))
            .await
            .map_err(query_error("a savepoint"))?;
        let read = match tx.execute(&session_settings()).await {
            Ok(()) => read_schema(tx, schemas).await,
            Err(e) => Err(query_error("session settings")(e)),
        };
        tx.execute(&format!(
            "ROLLBACK TO SAVEPOINT {SAVEPOINT}; RELEASE SAVEPOINT {SAVEPOINT}"
        ))
        .await
        .map_err(query_error("a savepoint"))?;
        return read;
    }
    tx.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .await
        .map_err(query_error("a read-only transaction"))?;
    // `pg_get_expr` qualifies names outside the search path (the canonical form
    // qualifies exactly those outside the default schema) and prints constants
    // in the session's styles: fix them all, whatever the caller's session says.
    let read = match tx.execute(&session_settings()).await {
        Ok(()) => read_schema(tx, schemas).await,
        Err(e) => Err(query_error("session settings")(e)),
    };
    match read {
        Ok(schema) => {
            tx.execute("COMMIT")
                .await
                .map_err(query_error("a read-only transaction"))?;
            Ok(schema)
        }
        Err(e) => {
            let _ = tx.execute("ROLLBACK").await;
            Err(e)
        }
    }
}

/// The session settings every read of the catalog runs under (as `SET LOCAL`,
/// inside a transaction).
pub(crate) fn session_settings() -> String {
    format!(
        "SET LOCAL search_path TO {DEFAULT_SCHEMA};
         SET LOCAL DateStyle TO ISO, MDY;
         SET LOCAL IntervalStyle TO postgres;
         SET LOCAL TimeZone TO 'UTC';
         SET LOCAL extra_float_digits TO 1;
         SET LOCAL bytea_output TO hex;"
    )
}

/// Reads `schemas` inside a transaction whose settings are [`session_settings`].
pub(crate) async fn read_schema<S: Session>(tx: &mut S, schemas: &[&str]) -> Result<Schema> {
    let schemas: Vec<String> = schemas.iter().map(|s| (*s).to_string()).collect();
    let version: i32 = tx
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .await
        .map_err(query_error("the server version"))?
        .get(0);
    let mut tables = read_tables(tx, &schemas).await?;
    read_columns(tx, &schemas, &mut tables).await?;
    read_constraints(tx, &schemas, version, &mut tables).await?;
    read_indexes(tx, &schemas, version, &mut tables).await?;
    for table in tables.values_mut() {
        exclusions_from_their_indexes(table)?;
    }
    let mut schema = Schema::new();
    for table in tables.into_values() {
        schema.tables.insert(table.name.clone(), table);
    }
    for e in read_enums(tx, &schemas).await? {
        schema.enums.insert(e.name.clone(), e);
    }
    for d in read_domains(tx, &schemas).await? {
        schema.domains.insert(d.name.clone(), d);
    }
    for c in read_composites(tx, &schemas).await? {
        schema.composites.insert(c.name.clone(), c);
    }
    for s in read_sequences(tx, &schemas).await? {
        schema.sequences.insert(s.name.clone(), s);
    }
    let (functions, function_acls) = functions::read_functions(tx, &schemas).await?;
    for f in functions {
        schema.functions.insert(f.key(), f);
    }
    for acl in function_acls {
        schema.set_acl(acl);
    }
    read_namespaces_and_extensions(tx, &schemas, &mut schema).await?;
    super::pg_privileges::read_privileges(tx, &schemas, &mut schema).await?;
    for v in super::pg_views::read_views(tx, &schemas, version).await? {
        schema.views.insert(v.name.clone(), v);
    }
    super::pg_triggers::read_triggers(tx, &schemas, version, &mut schema).await?;
    super::pg_triggers::read_policies(tx, &schemas, &mut schema).await?;
    super::pg_others::read_others(tx, &schemas, &mut schema).await?;
    Ok(schema)
}

/// `pg_class.reloptions` (`name=value` entries) as the model keeps them,
/// each name with `prefix` (`toast.` for the TOAST table's).
pub(crate) fn storage_parameters(entries: Vec<String>, prefix: &str) -> StorageParameters {
    StorageParameters(
        entries
            .into_iter()
            .map(|e| match e.split_once('=') {
                Some((n, v)) => (format!("{prefix}{n}"), v.to_string()),
                None => (format!("{prefix}{e}"), String::new()),
            })
            .collect(),
    )
}

/// Tables by oid.
async fn read_tables<S: Session>(tx: &mut S, schemas: &[String]) -> Result<BTreeMap<u32, Table>> {
    let rows = tx
        .query(
            "SELECT c.oid, n.nspname::text, c.relname::text, obj_description(c.oid, 'pg_class'),
                    c.relpersistence = 'u', c.relrowsecurity, c.relforcerowsecurity,
                    CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
                    pn.nspname::text, pc.relname::text, pg_get_expr(c.relpartbound, c.oid),
                    COALESCE(c.reloptions, '{}')::text[],
                    COALESCE(tc.reloptions, '{}')::text[]
             FROM pg_class c
             JOIN pg_namespace n ON n.oid = c.relnamespace
             LEFT JOIN pg_inherits h ON h.inhrelid = c.oid AND c.relispartition
             LEFT JOIN pg_class pc ON pc.oid = h.inhparent
             LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace
             LEFT JOIN pg_class tc ON tc.oid = c.reltoastrelid
             WHERE c.relkind IN ('r', 'p') AND n.nspname::text = ANY($1)
               AND c.relname::text NOT LIKE '\\_schema\\_%'",
            &[Param::Texts(schemas)],
        )
        .await
        .map_err(query_error("tables"))?;
    let mut tables = BTreeMap::new();
    for row in rows {
        let name = QualifiedName::new(row.get::<_, String>(1), row.get::<_, String>(2));
        let mut table = Table::new(name, origin());
        table.comment = row.get(3);
        table.unlogged = row.get(4);
        table.row_security = row.get(5);
        table.force_row_security = row.get(6);
        let owner = || format!("table `{}`", table.name);
        if let Some(key) = row.get::<_, Option<String>>(7) {
            table.partition_by = Some(partition_key_from_text(&key).map_err(|message| {
                IntrospectError::Catalog {
                    owner: format!("partition key `{key}` of {}", owner()),
                    message,
                }
            })?);
        }
        if let (Some(schema), Some(parent), Some(bound)) = (
            row.get::<_, Option<String>>(8),
            row.get::<_, Option<String>>(9),
            row.get::<_, Option<String>>(10),
        ) {
            table.partition_of = Some(PartitionOf {
                parent: QualifiedName::new(schema, parent),
                bound: partition_bound_from_text(&bound).map_err(|message| {
                    IntrospectError::Catalog {
                        owner: format!("partition bound `{bound}` of {}", owner()),
                        message,
                    }
                })?,
            });
        }
        table.options = storage_parameters(row.get(11), "");
        table
            .options
            .0
            .extend(storage_parameters(row.get(12), "toast.").0);
        tables.insert(row.get::<_, u32>(0), table);
    }
    Ok(tables)
}

const TABLE_FILTER: &str = "JOIN pg_class c ON c.oid = {rel}
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND n.nspname::text = ANY($1)
       AND c.relname::text NOT LIKE '\\_schema\\_%'";

fn table_filter(rel: &str) -> String {
    TABLE_FILTER.replace("{rel}", rel)
}

fn table_of<'t>(
    tables: &'t mut BTreeMap<u32, Table>,
    oid: u32,
    what: &str,
) -> Result<&'t mut Table> {
    tables
        .get_mut(&oid)
        .ok_or_else(|| IntrospectError::Catalog {
            owner: what.to_string(),
            message: format!("relation {oid} vanished while reading"),
        })
}

async fn read_columns<S: Session>(
    tx: &mut S,
    schemas: &[String],
    tables: &mut BTreeMap<u32, Table>,
) -> Result<()> {
    // A user-defined type (an enum) is named by its namespace and name rather
    // than by `format_type`, which qualifies it only when it is off the path.
    let sql = format!(
        "SELECT a.attrelid, a.attname::text, format_type(a.atttypid, a.atttypmod),
                a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity::text,
                a.attgenerated::text, col_description(a.attrelid, a.attnum),
                un.nspname::text, ut.typname::text, t.typcategory = 'A' AND t.typelem <> 0,
                sq.seqtypid::regtype::text, sq.seqincrement, sq.seqmin, sq.seqmax,
                sq.seqstart, sq.seqcache, sq.seqcycle,
                (SELECT co.collname::text FROM pg_collation co
                 WHERE co.oid = a.attcollation AND a.attcollation <> t.typcollation),
                NULLIF(a.attstorage, t.typstorage)::text, a.attcompression::text
         FROM pg_attribute a
         JOIN pg_type t ON t.oid = a.atttypid
         JOIN pg_type et ON et.oid = CASE WHEN t.typcategory = 'A' AND t.typelem <> 0
                                          THEN t.typelem ELSE t.oid END
         LEFT JOIN pg_type ut ON ut.oid = et.oid
              AND et.typnamespace <> 'pg_catalog'::regnamespace
         LEFT JOIN pg_namespace un ON un.oid = ut.typnamespace
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         LEFT JOIN pg_depend isd ON a.attidentity <> ''
              AND isd.classid = 'pg_class'::regclass AND isd.refclassid = 'pg_class'::regclass
              AND isd.refobjid = a.attrelid AND isd.refobjsubid = a.attnum AND isd.deptype = 'i'
         LEFT JOIN pg_sequence sq ON sq.seqrelid = isd.objid
         {}
           AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attrelid, a.attnum",
        table_filter("a.attrelid")
    );
    let rows = tx
        .query(&sql, &[Param::Texts(schemas)])
        .await
        .map_err(query_error("columns"))?;
    for row in rows {
        let table = table_of(tables, row.get(0), "columns")?;
        let name: String = row.get(1);
        let owner = |what: &str| format!("{what} of `{}.{name}`", table.name);
        let type_text: String = row.get(2);
        let user_type: Option<String> = row.get(9);
        let data_type = match (row.get::<_, Option<String>>(8), user_type) {
            (Some(schema), Some(ty)) => {
                let named = SqlType::Named(QualifiedName::new(schema, ty));
                if row.get::<_, bool>(10) {
                    SqlType::Array(Box::new(named))
                } else {
                    named
                }
            }
            _ => SqlType::parse(&type_text).map_err(|message| IntrospectError::Type {
                column: format!("{}.{name}", table.name),
                text: type_text.clone(),
                message,
            })?,
        };
        let expr: Option<String> = row.get(4);
        let generated = row.get::<_, String>(6) == "s";
        let expr = expr
            .map(|text| {
                let what = if generated {
                    "generation expression"
                } else {
                    "default"
                };
                expression(|| owner(what), &text)
            })
            .transpose()?;
        let (default, generated) = if generated {
            (None, expr)
        } else {
            (expr, None)
        };
        let identity = match row.get::<_, String>(5).as_str() {
            "" => None,
            "a" => Some(Identity::Always),
            "d" => Some(Identity::ByDefault),
            other => {
                return Err(IntrospectError::Catalog {
                    owner: owner("identity"),
                    message: format!("unknown attidentity `{other}`"),
                });
            }
        };
        let identity_options = match identity {
            Some(_) => Some(sequence_options(&row, 11, &owner("identity sequence"))?),
            None => None,
        };
        let storage = match row.get::<_, Option<String>>(19) {
            None => None,
            Some(code) => {
                Some(
                    Storage::from_code(&code).ok_or_else(|| IntrospectError::Catalog {
                        owner: owner("storage"),
                        message: format!("unknown attstorage `{code}`"),
                    })?,
                )
            }
        };
        let compression = Compression::from_code(&row.get::<_, String>(20));
        table.columns.push(Column {
            name,
            data_type,
            nullable: !row.get::<_, bool>(3),
            default,
            identity,
            identity_options: identity_options.map(Box::new),
            generated: generated.map(Box::new),
            comment: row.get(7),
            collation: row.get(18),
            storage,
            compression,
            origin: origin(),
            directives: Directives::default(),
        });
    }
    Ok(())
}

/// The names of the columns `attnums` of relation `rel`, in key order.
fn column_names(attnums: &str, rel: &str) -> String {
    format!(
        "ARRAY(SELECT a.attname::text
               FROM unnest({attnums}) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = {rel} AND a.attnum = k.attnum
               ORDER BY k.ord)"
    )
}

fn referential_action(code: &str, owner: &str) -> Result<ReferentialAction> {
    Ok(match code {
        "a" => ReferentialAction::NoAction,
        "r" => ReferentialAction::Restrict,
        "c" => ReferentialAction::Cascade,
        "n" => ReferentialAction::SetNull,
        "d" => ReferentialAction::SetDefault,
        other => {
            return Err(IntrospectError::Catalog {
                owner: owner.to_string(),
                message: format!("unknown referential action `{other}`"),
            });
        }
    })
}

/// `pg_index.indnullsnotdistinct` where the server has it (PostgreSQL 15+).
fn nulls_not_distinct(version: i32, index: &str) -> String {
    if version >= 150_000 {
        format!("COALESCE({index}.indnullsnotdistinct, false)")
    } else {
        "false".to_string()
    }
}

async fn read_constraints<S: Session>(
    tx: &mut S,
    schemas: &[String],
    version: i32,
    tables: &mut BTreeMap<u32, Table>,
) -> Result<()> {
    let sql = format!(
        "SELECT con.conrelid, con.conname::text, con.contype::text,
                con.condeferrable, con.condeferred,
                {}, rn.nspname::text, rc.relname::text, {},
                con.confupdtype::text, con.confdeltype::text, con.confmatchtype::text,
                pg_get_expr(con.conbin, con.conrelid), {},
                con.convalidated, obj_description(con.oid, 'pg_constraint'),
                ARRAY(SELECT a.attname::text
                      FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
                      WHERE k.ord > i.indnkeyatts
                      ORDER BY k.ord),
                ARRAY(SELECT o.oprname::text
                      FROM unnest(con.conexclop) WITH ORDINALITY AS x(op, ord)
                      JOIN pg_operator o ON o.oid = x.op
                      ORDER BY x.ord),
                xc.relname::text
         FROM pg_constraint con
         LEFT JOIN pg_class xc ON xc.oid = con.conindid AND con.contype = 'x'
         LEFT JOIN pg_class rc ON rc.oid = con.confrelid
         LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
         LEFT JOIN pg_index i ON i.indexrelid = con.conindid AND con.contype IN ('p', 'u')
         {}
           AND con.contype IN ('p', 'u', 'f', 'c', 'x')
           -- What a partition inherits from its parent is the parent's.
           AND con.coninhcount = 0 AND con.conparentid = 0",
        column_names("con.conkey", "con.conrelid"),
        column_names("con.confkey", "con.confrelid"),
        nulls_not_distinct(version, "i"),
        table_filter("con.conrelid"),
    );
    let rows = tx
        .query(&sql, &[Param::Texts(schemas)])
        .await
        .map_err(query_error("constraints"))?;
    for row in rows {
        let table = table_of(tables, row.get(0), "constraints")?;
        let name: String = row.get(1);
        let owner = format!("constraint `{name}` of `{}`", table.name);
        let columns: Vec<String> = row.get(5);
        let kind = match row.get::<_, String>(2).as_str() {
            "p" => ConstraintKind::PrimaryKey {
                columns,
                include: row.get(16),
            },
            "u" => ConstraintKind::Unique {
                columns,
                nulls_not_distinct: row.get(13),
                include: row.get(16),
            },
            "f" => ConstraintKind::ForeignKey(ForeignKey {
                columns,
                ref_table: QualifiedName::new(row.get::<_, String>(6), row.get::<_, String>(7)),
                ref_columns: row.get(8),
                on_update: referential_action(&row.get::<_, String>(9), &owner)?,
                on_delete: referential_action(&row.get::<_, String>(10), &owner)?,
                match_full: row.get::<_, String>(11) == "f",
            }),
            // Its keys, method and predicate are its index's: filled in by
            // `exclusions_from_their_indexes` once indexes are read.
            "x" => ConstraintKind::Exclude(Exclusion {
                method: row.get::<_, Option<String>>(18).unwrap_or_default(),
                elements: row
                    .get::<_, Vec<String>>(17)
                    .into_iter()
                    .map(|operator| ExclusionElement {
                        key: IndexKey {
                            part: IndexPart::Column(String::new()),
                            descending: false,
                            nulls_first: false,
                            collation: None,
                            opclass: None,
                        },
                        operator,
                    })
                    .collect(),
                include: Vec::new(),
                predicate: None,
            }),
            _ => {
                let text: String = row.get(12);
                ConstraintKind::Check {
                    expr: expression(|| owner.clone(), &text)?,
                }
            }
        };
        table.constraints.insert(
            name.clone(),
            Constraint {
                name,
                kind,
                deferrable: row.get(3),
                initially_deferred: row.get(4),
                validated: row.get(14),
                comment: row.get(15),
                origin: origin(),
            },
        );
    }
    Ok(())
}

/// An exclusion constraint's keys, method, `INCLUDE` and predicate are its
/// index's (read with the table's indexes, under the index's name, which
/// [`read_constraints`] left in the constraint's `method`): moved into it.
fn exclusions_from_their_indexes(table: &mut Table) -> Result<()> {
    let table_name = table.name.clone();
    for c in table.constraints.values_mut() {
        let ConstraintKind::Exclude(x) = &mut c.kind else {
            continue;
        };
        let index = table
            .indexes
            .remove(&x.method)
            .filter(|i| i.keys.len() == x.elements.len());
        let Some(index) = index else {
            return Err(IntrospectError::Catalog {
                owner: format!("constraint `{}` of `{table_name}`", c.name),
                message: "its index is missing or does not match its operators".to_string(),
            });
        };
        x.method = index.method;
        for (e, key) in x.elements.iter_mut().zip(index.keys) {
            e.key = key;
        }
        x.include = index.include;
        x.predicate = index.predicate;
    }
    Ok(())
}

/// One key or included column of an index, as the catalog gives it.
struct IndexColumn {
    /// 1-based position in the index.
    position: i64,
    /// The column, `None` for an expression.
    column: Option<String>,
    /// `pg_get_indexdef(index, position, true)`: the column or the expression.
    definition: String,
    /// `indoption` bits: 1 = DESC, 2 = NULLS FIRST.
    option: i16,
}

async fn read_indexes<S: Session>(
    tx: &mut S,
    schemas: &[String],
    version: i32,
    tables: &mut BTreeMap<u32, Table>,
) -> Result<()> {
    read_indexes_where(tx, schemas, version, tables, TABLE_FILTER).await
}

/// The indexes of the relations `filter` keeps (a `JOIN ... WHERE` over
/// `{rel}`, as [`TABLE_FILTER`]), into `tables` by the relation's oid.
pub(crate) async fn read_indexes_where<S: Session>(
    tx: &mut S,
    schemas: &[String],
    version: i32,
    tables: &mut BTreeMap<u32, Table>,
    filter: &str,
) -> Result<()> {
    // Indexes that implement a constraint belong to the constraint. (A foreign
    // key's `conindid` is the referenced table's index, hence the contype.)
    let not_a_constraint = "NOT EXISTS (
             SELECT 1 FROM pg_constraint con
             WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid
               AND con.contype IN ('p', 'u'))";
    let sql = format!(
        "SELECT i.indexrelid, i.indrelid, ic.relname::text, i.indisunique, am.amname::text,
                i.indnkeyatts::int8, pg_get_expr(i.indpred, i.indrelid), {},
                pg_get_indexdef(i.indexrelid), obj_description(i.indexrelid, 'pg_class'),
                COALESCE(ic.reloptions, '{{}}')::text[]
         FROM pg_index i
         JOIN pg_class ic ON ic.oid = i.indexrelid
         JOIN pg_am am ON am.oid = ic.relam
         {}
           AND {not_a_constraint}
           -- A partition's index attached to its parent's is the parent's.
           AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)",
        nulls_not_distinct(version, "i"),
        filter.replace("{rel}", "i.indrelid"),
    );
    let rows = tx
        .query(&sql, &[Param::Texts(schemas)])
        .await
        .map_err(query_error("indexes"))?;
    let key_sql = format!(
        "SELECT i.indexrelid, k.ord, a.attname::text,
                pg_get_indexdef(i.indexrelid, k.ord::int, true), COALESCE(k.opt, 0::int2)
         FROM pg_index i
         CROSS JOIN LATERAL unnest(i.indkey::int2[], i.indoption::int2[])
              WITH ORDINALITY AS k(attnum, opt, ord)
         LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
              AND k.attnum > 0
         {}
           AND {not_a_constraint}
         ORDER BY i.indexrelid, k.ord",
        filter.replace("{rel}", "i.indrelid"),
    );
    let key_rows = tx
        .query(&key_sql, &[Param::Texts(schemas)])
        .await
        .map_err(query_error("index columns"))?;
    let mut columns: HashMap<u32, Vec<IndexColumn>> = HashMap::new();
    for row in key_rows {
        columns.entry(row.get(0)).or_default().push(IndexColumn {
            position: row.get(1),
            column: row.get(2),
            definition: row.get(3),
            option: row.get(4),
        });
    }
    for row in rows {
        let table = table_of(tables, row.get(1), "indexes")?;
        let name: String = row.get(2);
        let owner = |what: &str| format!("{what} of index `{name}` on `{}`", table.name);
        let key_count: i64 = row.get(5);
        let definition: String = row.get(8);
        let mut extras = key_extras(&definition)
            .map_err(|message| IntrospectError::Expression {
                owner: owner("definition"),
                text: definition.clone(),
                message,
            })?
            .into_iter();
        let mut keys = Vec::new();
        let mut include = Vec::new();
        for c in columns.remove(&row.get::<_, u32>(0)).unwrap_or_default() {
            if c.position > key_count {
                include.push(c.column.unwrap_or(c.definition));
                continue;
            }
            let part = match c.column {
                Some(column) => IndexPart::Column(column),
                None => IndexPart::Expression(expression(|| owner("key"), &c.definition)?),
            };
            let (collation, opclass) = extras.next().unwrap_or_default();
            keys.push(IndexKey {
                part,
                descending: c.option & 1 != 0,
                nulls_first: c.option & 2 != 0,
                collation,
                opclass,
            });
        }
        let predicate = row
            .get::<_, Option<String>>(6)
            .map(|text| expression(|| owner("predicate"), &text))
            .transpose()?;
        table.indexes.insert(
            name.clone(),
            Index {
                name,
                unique: row.get(3),
                method: row.get(4),
                keys,
                include,
                nulls_not_distinct: row.get(7),
                predicate,
                comment: row.get(9),
                options: storage_parameters(row.get(10), ""),
                origin: origin(),
            },
        );
    }
    Ok(())
}

/// Each key's collation and operator class in `pg_get_indexdef`'s text, which
/// names them only when they are not the key's defaults.
fn key_extras(definition: &str) -> std::result::Result<KeyExtras, String> {
    use sqlparser::ast::Statement;
    // `ON ONLY` (a partitioned table's index) and operator class parameters
    // (`gist_trgm_ops (siglen='32')`) are not read by sqlparser: the core's
    // reader takes them out.
    let (statement, parameters) = schema_core::parse::read_index_definition(definition)?;
    let Statement::CreateIndex(ci) = statement else {
        return Err("not a `CREATE INDEX` statement".into());
    };
    ci.columns
        .iter()
        .map(|c| {
            let (_, collation) = split_key_collation(&c.column.expr)?;
            let opclass = c
                .operator_class
                .as_ref()
                .map(|name| {
                    let mut class = operator_class_of(name)?;
                    if let Some(p) = schema_core::parse::opclass_parameters_of(&parameters, name) {
                        class.parameters = p;
                    }
                    Ok::<_, String>(class)
                })
                .transpose()?;
            Ok((collation, opclass))
        })
        .collect()
}

/// Per key: its collation and its operator class.
type KeyExtras = Vec<(Option<String>, Option<OperatorClass>)>;

async fn read_enums<S: Session>(tx: &mut S, schemas: &[String]) -> Result<Vec<EnumType>> {
    let rows = tx
        .query(
            "SELECT n.nspname::text, t.typname::text,
                    ARRAY(SELECT e.enumlabel::text FROM pg_enum e
                          WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder),
                    obj_description(t.oid, 'pg_type')
             FROM pg_type t
             JOIN pg_namespace n ON n.oid = t.typnamespace
             WHERE t.typtype = 'e' AND n.nspname::text = ANY($1)",
            &[Param::Texts(schemas)],
        )
        .await
        .map_err(query_error("enum types"))?;
    Ok(rows
        .into_iter()
        .map(|row| EnumType {
            name: QualifiedName::new(row.get::<_, String>(0), row.get::<_, String>(1)),
            values: row.get(2),
            comment: row.get(3),
            origin: origin(),
            directives: Directives::default(),
        })
        .collect())
}

/// Domains (`typtype 'd'`, those of an extension left out): the base type (a user-defined one by namespace
/// and name, as for columns), a collation other than the base type's, the
/// default, `NOT NULL` and the check constraints (`pg_constraint.contypid`,
/// with whether each is validated).
async fn read_domains<S: Session>(tx: &mut S, schemas: &[String]) -> Result<Vec<Domain>> {
    let rows = tx
        .query(
            "SELECT n.nspname::text, t.typname::text, format_type(t.typbasetype, t.typtypmod),
                    un.nspname::text, ut.typname::text, bt.typcategory = 'A' AND bt.typelem <> 0,
                    CASE WHEN t.typcollation <> bt.typcollation THEN co.collname::text END,
                    t.typdefault, t.typnotnull, obj_description(t.oid, 'pg_type'),
                    ARRAY(SELECT c.conname::text FROM pg_constraint c
                          WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname),
                    ARRAY(SELECT pg_get_expr(c.conbin, 0) FROM pg_constraint c
                          WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname),
                    ARRAY(SELECT c.convalidated FROM pg_constraint c
                          WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname)
             FROM pg_type t
             JOIN pg_namespace n ON n.oid = t.typnamespace
             JOIN pg_type bt ON bt.oid = t.typbasetype
             JOIN pg_type et ON et.oid = CASE WHEN bt.typcategory = 'A' AND bt.typelem <> 0
                                              THEN bt.typelem ELSE bt.oid END
             LEFT JOIN pg_type ut ON ut.oid = et.oid
                  AND et.typnamespace <> 'pg_catalog'::regnamespace
             LEFT JOIN pg_namespace un ON un.oid = ut.typnamespace
             LEFT JOIN pg_collation co ON co.oid = t.typcollation
             WHERE t.typtype = 'd' AND n.nspname::text = ANY($1)
               AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_type'::regclass
                                 AND e.objid = t.oid AND e.deptype = 'e')",
            &[Param::Texts(schemas)],
        )
        .await
        .map_err(query_error("domains"))?;
    let mut out = Vec::new();
    for row in rows {
        let name = QualifiedName::new(row.get::<_, String>(0), row.get::<_, String>(1));
        let type_text: String = row.get(2);
        let base = match (
            row.get::<_, Option<String>>(3),
            row.get::<_, Option<String>>(4),
        ) {
            (Some(schema), Some(ty)) => {
                let named = SqlType::Named(QualifiedName::new(schema, ty));
                if row.get::<_, bool>(5) {
                    SqlType::Array(Box::new(named))
                } else {
                    named
                }
            }
            _ => SqlType::parse(&type_text).map_err(|message| IntrospectError::Type {
                column: format!("domain {name}"),
                text: type_text.clone(),
                message,
            })?,
        };
        let default = row
            .get::<_, Option<String>>(7)
            .map(|text| expression(|| format!("default of domain `{name}`"), &text))
            .transpose()?;
        let names: Vec<String> = row.get(10);
        let exprs: Vec<String> = row.get(11);
        let valid: Vec<bool> = row.get(12);
        let mut checks = BTreeMap::new();
        for ((check, text), valid) in names.into_iter().zip(exprs).zip(valid) {
            let expr = expression(|| format!("constraint `{check}` of domain `{name}`"), &text)?;
            checks.insert(
                check.clone(),
                DomainCheck {
                    name: check,
                    expr,
                    valid,
                    origin: origin(),
                },
            );
        }
        out.push(Domain {
            name,
            base,
            collation: row.get(6),
            default,
            not_null: row.get(8),
            checks,
            comment: row.get(9),
            origin: origin(),
            directives: Directives::default(),
        });
    }
    Ok(out)
}

/// Composite types made by `CREATE TYPE ... AS (...)` (`typtype 'c'` whose
/// relation is of kind `'c'`, not a table's row type), with their attributes
/// in order: types as for columns, a collation other than the type's own.
async fn read_composites<S: Session>(tx: &mut S, schemas: &[String]) -> Result<Vec<CompositeType>> {
    let rows = tx
        .query(
            "SELECT n.nspname::text, t.typname::text, a.attname::text,
                    format_type(a.atttypid, a.atttypmod), un.nspname::text, ut.typname::text,
                    at.typcategory = 'A' AND at.typelem <> 0,
                    CASE WHEN a.attcollation <> at.typcollation THEN co.collname::text END,
                    obj_description(t.oid, 'pg_type')
             FROM pg_type t
             JOIN pg_namespace n ON n.oid = t.typnamespace
             JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
             LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             LEFT JOIN pg_type at ON at.oid = a.atttypid
             LEFT JOIN pg_type et ON et.oid = CASE WHEN at.typcategory = 'A' AND at.typelem <> 0
                                                   THEN at.typelem ELSE at.oid END
             LEFT JOIN pg_type ut ON ut.oid = et.oid
                  AND et.typnamespace <> 'pg_catalog'::regnamespace
             LEFT JOIN pg_namespace un ON un.oid = ut.typnamespace
             LEFT JOIN pg_collation co ON co.oid = a.attcollation
             WHERE t.typtype = 'c' AND n.nspname::text = ANY($1)
               AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_type'::regclass
                                 AND e.objid = t.oid AND e.deptype = 'e')
             ORDER BY n.nspname, t.typname, a.attnum",
            &[Param::Texts(schemas)],
        )
        .await
        .map_err(query_error("composite types"))?;
    let mut out: Vec<CompositeType> = Vec::new();
    for row in rows {
        let name = QualifiedName::new(row.get::<_, String>(0), row.get::<_, String>(1));
        if out.last().is_none_or(|c| c.name != name) {
            out.push(CompositeType {
                name: name.clone(),
                attributes: Vec::new(),
                comment: row.get(8),
                origin: origin(),
                directives: Directives::default(),
            });
        }
        let Some(attribute) = row.get::<_, Option<String>>(2) else {
            continue;
        };
        let type_text: String = row.get(3);
        let data_type = match (
            row.get::<_, Option<String>>(4),
            row.get::<_, Option<String>>(5),
        ) {
            (Some(schema), Some(ty)) => {
                let named = SqlType::Named(QualifiedName::new(schema, ty));
                if row.get::<_, bool>(6) {
                    SqlType::Array(Box::new(named))
                } else {
                    named
                }
            }
            _ => SqlType::parse(&type_text).map_err(|message| IntrospectError::Type {
                column: format!("{name}.{attribute}"),
                text: type_text.clone(),
                message,
            })?,
        };
        if let Some(c) = out.last_mut() {
            c.attributes.push(Attribute {
                name: attribute,
                data_type,
                collation: row.get(7),
            });
        }
    }
    Ok(out)
}

async fn read_sequences<S: Session>(tx: &mut S, schemas: &[String]) -> Result<Vec<Sequence>> {
    // Identity columns' sequences (`deptype 'i'`) are part of their column.
    let rows = tx
        .query(
            "SELECT n.nspname::text, c.relname::text, tn.nspname::text, tc.relname::text,
                    a.attname::text, sq.seqtypid::regtype::text, sq.seqincrement, sq.seqmin,
                    sq.seqmax, sq.seqstart, sq.seqcache, sq.seqcycle,
                    obj_description(c.oid, 'pg_class')
             FROM pg_class c
             JOIN pg_namespace n ON n.oid = c.relnamespace
             JOIN pg_sequence sq ON sq.seqrelid = c.oid
             LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
                  AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0
                  AND d.deptype = 'a'
             LEFT JOIN pg_class tc ON tc.oid = d.refobjid
             LEFT JOIN pg_namespace tn ON tn.oid = tc.relnamespace
             LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
             WHERE c.relkind = 'S' AND n.nspname::text = ANY($1)
               AND NOT EXISTS (
                   SELECT 1 FROM pg_depend i
                   WHERE i.classid = 'pg_class'::regclass AND i.objid = c.oid
                     AND i.deptype = 'i')",
            &[Param::Texts(schemas)],
        )
        .await
        .map_err(query_error("sequences"))?;
    rows.into_iter()
        .map(|row| {
            let name = QualifiedName::new(row.get::<_, String>(0), row.get::<_, String>(1));
            let options = sequence_options(&row, 5, &format!("sequence `{name}`"))?;
            let owned_by = match (
                row.get::<_, Option<String>>(2),
                row.get::<_, Option<String>>(3),
                row.get::<_, Option<String>>(4),
            ) {
                (Some(schema), Some(table), Some(column)) => {
                    Some((QualifiedName::new(schema, table), column))
                }
                _ => None,
            };
            Ok(Sequence {
                name,
                owned_by,
                options,
                comment: row.get(12),
                origin: origin(),
            })
        })
        .collect()
}

/// A sequence's options from the seven `pg_sequence` columns starting at
/// `first` (`seqtypid::regtype::text`, increment, min, max, start, cache,
/// cycle).
fn sequence_options(row: &Row, first: usize, owner: &str) -> Result<SequenceOptions> {
    let type_name: Option<String> = row.get(first);
    let data_type = match type_name.as_deref() {
        Some("smallint") => SequenceType::SmallInt,
        Some("integer") => SequenceType::Integer,
        Some("bigint") => SequenceType::BigInt,
        other => {
            return Err(IntrospectError::Catalog {
                owner: owner.to_string(),
                message: format!("unknown sequence type `{}`", other.unwrap_or("(none)")),
            });
        }
    };
    Ok(SequenceOptions {
        data_type,
        increment: row.get(first + 1),
        min_value: row.get(first + 2),
        max_value: row.get(first + 3),
        start: row.get(first + 4),
        cache: row.get(first + 5),
        cycle: row.get(first + 6),
    })
}

/// The schemas of `schemas` that exist with their comments (`public`, which
/// every database has, only when its comment is not the one PostgreSQL gives
/// it), and every extension of the database but `plpgsql` (which every
/// database has too), with its schema, version, the extensions it requires
/// (so those `CASCADE` installed are not reported missing from the
/// declaration) and its comment (its control file's is the default).
async fn read_namespaces_and_extensions<S: Session>(
    tx: &mut S,
    schemas: &[String],
    schema: &mut Schema,
) -> Result<()> {
    let rows = tx
        .query(
            "SELECT nspname::text, obj_description(oid, 'pg_namespace') FROM pg_namespace
             WHERE nspname::text = ANY($1)",
            &[Param::Texts(schemas)],
        )
        .await
        .map_err(query_error("schemas"))?;
    for row in rows {
        let name: String = row.get(0);
        let comment: Option<String> = row.get(1);
        if name == DEFAULT_SCHEMA && comment.as_deref() == Some(PUBLIC_SCHEMA_COMMENT) {
            continue;
        }
        schema.namespaces.insert(
            QualifiedName::global(&name),
            Namespace {
                name,
                comment,
                origin: origin(),
            },
        );
    }
    let rows = tx
        .query(
            "SELECT e.extname::text, n.nspname::text, e.extversion,
                    ARRAY(SELECT r.extname::text FROM pg_depend d
                          JOIN pg_extension r ON r.oid = d.refobjid
                          WHERE d.classid = 'pg_extension'::regclass AND d.objid = e.oid
                            AND d.refclassid = 'pg_extension'::regclass
                          ORDER BY 1),
                    obj_description(e.oid, 'pg_extension'),
                    obj_description(e.oid, 'pg_extension') IS NOT DISTINCT FROM a.comment
             FROM pg_extension e
             JOIN pg_namespace n ON n.oid = e.extnamespace
             LEFT JOIN pg_available_extensions a ON a.name = e.extname
             WHERE e.extname <> $1",
            &[Param::Text(schema_core::parse::apply::BUILTIN_EXTENSION)],
        )
        .await
        .map_err(query_error("extensions"))?;
    for row in rows {
        let name: String = row.get(0);
        schema.extensions.insert(
            QualifiedName::global(&name),
            Extension {
                name,
                schema: Some(row.get(1)),
                version: Some(row.get(2)),
                if_not_exists: false,
                with_keyword: false,
                cascade: false,
                requires: row.get(3),
                comment: if row.get(5) {
                    ExtensionComment::Default
                } else {
                    match row.get::<_, Option<String>>(4) {
                        Some(text) => ExtensionComment::Set(text),
                        None => ExtensionComment::Removed,
                    }
                },
                origin: origin(),
            },
        );
    }
    Ok(())
}

/// The schemas (namespaces) of the database other than the system's:
/// every one but `pg_catalog`, `information_schema`, `pg_toast*` and
/// `pg_temp*` (temporary schemas and their TOAST schemas), in name order.
///
/// # Errors
/// [`IntrospectError::Query`] when the catalog query fails.
pub fn user_schemas(
    client: &mut postgres::Client,
) -> std::result::Result<Vec<String>, IntrospectError> {
    ready(user_schemas_on(client)).unwrap_or_else(not_ready)
}

/// [`user_schemas`] on any session.
pub(crate) async fn user_schemas_on<S: Session>(
    client: &mut S,
) -> std::result::Result<Vec<String>, IntrospectError> {
    let rows = client
        .query(
            "SELECT nspname::text FROM pg_namespace
             WHERE nspname NOT IN ('pg_catalog', 'information_schema')
               AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp\\_%'
             ORDER BY nspname",
            &[],
        )
        .await
        .map_err(query_error("schemas"))?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// An index PostgreSQL marked INVALID (`pg_index.indisvalid = false`): a
/// `CREATE INDEX CONCURRENTLY` or `REINDEX CONCURRENTLY` that failed or was
/// interrupted leaves one. It is kept up to date on every write and never
/// used by a query (a UNIQUE one still rejects duplicates of new rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidIndex {
    /// The index, schema-qualified.
    pub index: QualifiedName,
    /// Its table, schema-qualified.
    pub table: QualifiedName,
    /// `pg_get_indexdef`: the index as `CREATE INDEX` would make it.
    pub definition: String,
}

impl std::fmt::Display for InvalidIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let index = self.index.to_string();
        write!(
            f,
            "index `{index}` on `{}` is INVALID (a CREATE INDEX CONCURRENTLY that failed or was \
             interrupted left it; PostgreSQL maintains it on every write and never uses it): \
             rebuild it with `REINDEX INDEX CONCURRENTLY {index};`, or drop it with \
             `DROP INDEX CONCURRENTLY {index};` and create it again (`{}`); a UNIQUE index \
             fails again until its duplicate rows are fixed",
            self.table, self.definition
        )
    }
}

/// The INVALID indexes of tables in `schemas`.
///
/// # Errors
/// [`IntrospectError::Query`] when the catalog query fails.
pub fn invalid_indexes(
    client: &mut postgres::Client,
    schemas: &[&str],
) -> std::result::Result<Vec<InvalidIndex>, IntrospectError> {
    ready(invalid_indexes_on(client, schemas)).unwrap_or_else(not_ready)
}

/// [`invalid_indexes`] on any session.
pub(crate) async fn invalid_indexes_on<S: Session>(
    client: &mut S,
    schemas: &[&str],
) -> std::result::Result<Vec<InvalidIndex>, IntrospectError> {
    let schemas: Vec<String> = schemas.iter().map(|s| (*s).to_string()).collect();
    let rows = client
        .query(
            "SELECT n.nspname::text, ic.relname::text, c.relname::text,
                    pg_get_indexdef(i.indexrelid)
             FROM pg_index i
             JOIN pg_class ic ON ic.oid = i.indexrelid
             JOIN pg_class c ON c.oid = i.indrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE NOT i.indisvalid AND n.nspname::text = ANY($1)
             ORDER BY 1, 2",
            &[Param::Texts(&schemas)],
        )
        .await
        .map_err(query_error("invalid indexes"))?;
    Ok(rows
        .iter()
        .map(|row| {
            let schema: String = row.get(0);
            InvalidIndex {
                index: QualifiedName::new(schema.clone(), row.get::<_, String>(1)),
                table: QualifiedName::new(schema, row.get::<_, String>(2)),
                definition: row.get(3),
            }
        })
        .collect())
}
