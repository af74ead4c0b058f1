//! What PostgreSQL stores for a declared schema's expressions, asked of the
//! live database itself: the database is the judge of equality.
//!
//! The canonical form ([`schema_core::model::Expression`]) makes most
//! spellings of one expression compare equal, but some constants only
//! PostgreSQL can normalise: `timestamptz '0001-01-01'` is stored as
//! `'0001-01-01 00:00:00+00'`, `interval '15 minutes'` as `'00:15:00'`,
//! `numeric '.5'` as `0.5`. Before a declared schema is compared with a live
//! one, [`as_stored`] creates each declared table that has expressions as a
//! temporary table (same columns, types, defaults, generated columns, checks,
//! and the indexes with expressions or predicates), reads back what PostgreSQL
//! stored, and gives each declared expression that canonical text, keeping
//! the user's spelling for rendering. Everything runs in one transaction that
//! is rolled back; a table PostgreSQL refuses (a type or function the live
//! database lacks) is left as declared, and the comparison then reports the
//! real difference.

use schema_core::Schema;
use schema_core::diff::Change;
use schema_core::model::{
    ConstraintKind, Domain, Expression, IndexKey, IndexPart, PartitionBound, QualifiedName,
    RangeBound, Table,
};
use schema_core::render::{Context, Postgres, Renderer};

mod others;
mod views;
use crate::session::{Session, SessionError, ready};
pub use others::others_as_stored;
pub use views::views_as_stored;

/// `declared` with every expression compared as PostgreSQL stores it in
/// `client`'s database. Never fails: whatever cannot be asked is left as
/// declared.
pub fn as_stored(client: &mut postgres::Client, declared: &Schema) -> Schema {
    ready(as_stored_on(client, declared)).unwrap_or_else(|| declared.clone())
}

/// [`as_stored`] on any session.
pub(crate) async fn as_stored_on<S: Session>(client: &mut S, declared: &Schema) -> Schema {
    let out = tables_as_stored(client, declared).await;
    let out = views::views_as_stored_on(client, &out).await;
    others::others_as_stored_on(client, &out).await
}

/// Runs `first`, then `second` when it passed.
async fn both<S: Session>(s: &mut S, first: &str, second: &str) -> Result<(), SessionError> {
    s.execute(first).await?;
    s.execute(second).await
}

/// What the shadows of a declared schema read back as: the temporary
/// schema, what it holds, and which declared tables, domains and partition
/// bounds (declared table, shadow partition) have a shadow there.
struct Shadows {
    ns: String,
    stored: Schema,
    tables: Vec<QualifiedName>,
    domains: Vec<QualifiedName>,
    bounds: Vec<(QualifiedName, String)>,
}

/// Creates the shadows in the transaction `tx` holds and reads them back.
async fn read_shadows<S: Session>(tx: &mut S, declared: &Schema) -> Option<Shadows> {
    if tx
        .execute(&crate::introspect::postgres::session_settings())
        .await
        .is_err()
    {
        return None;
    }
    let mut shadows = Vec::new();
    for table in declared
        .tables
        .values()
        .filter(|t| has_expressions(t) || has_object_expressions(declared, &t.name))
    {
        let Ok(ddl) = shadow_ddl(table) else { continue };
        let created = both(tx, "SAVEPOINT shadow", &ddl).await;
        match created {
            Ok(()) => shadows.push(table.name.clone()),
            Err(_) => {
                if tx.execute("ROLLBACK TO SAVEPOINT shadow").await.is_err() {
                    return None;
                }
                continue;
            }
        }
        // Its triggers' `WHEN` and policies' expressions, on the shadow (a
        // role or function the live database lacks leaves them as declared).
        let objects = shadow_objects_ddl(declared, &table.name);
        if objects.is_empty() {
            continue;
        }
        let created = both(tx, "SAVEPOINT shadow_objects", &objects).await;
        if created.is_err()
            && tx
                .execute("ROLLBACK TO SAVEPOINT shadow_objects")
                .await
                .is_err()
        {
            return None;
        }
    }
    let mut shadow_domains = Vec::new();
    for domain in declared
        .domains
        .values()
        .filter(|d| d.default.is_some() || !d.checks.is_empty())
    {
        let Some(ddl) = shadow_domain_ddl(domain) else {
            continue;
        };
        let created = both(tx, "SAVEPOINT shadow", &ddl).await;
        match created {
            Ok(()) => shadow_domains.push(domain.name.clone()),
            Err(_) => {
                if tx.execute("ROLLBACK TO SAVEPOINT shadow").await.is_err() {
                    return None;
                }
            }
        }
    }
    // A partition's bound: a temporary partitioned table with its parent's
    // columns and key, and a temporary partition of it with the bound.
    let mut bounds = Vec::new();
    for (i, table) in declared.tables.values().enumerate() {
        let Some(ddl) = bound_shadow_ddl(declared, table, i) else {
            continue;
        };
        let created = both(tx, "SAVEPOINT shadow", &ddl).await;
        match created {
            Ok(()) => bounds.push((table.name.clone(), format!("schema_bound_{i}_part"))),
            Err(_) => {
                if tx.execute("ROLLBACK TO SAVEPOINT shadow").await.is_err() {
                    return None;
                }
            }
        }
    }
    if shadows.is_empty() && shadow_domains.is_empty() && bounds.is_empty() {
        return None;
    }
    let temp_schema: Option<String> = tx
        .query_one(
            "SELECT nspname::text FROM pg_namespace WHERE oid = pg_my_temp_schema()",
            &[],
        )
        .await
        .ok()
        .map(|row| row.get(0));
    let ns = temp_schema?;
    let stored = crate::introspect::postgres::read_schema(tx, &[ns.as_str()])
        .await
        .ok()?;
    Some(Shadows {
        ns,
        stored,
        tables: shadows,
        domains: shadow_domains,
        bounds,
    })
}

/// [`as_stored`] for tables, domains and partition bounds.
async fn tables_as_stored<S: Session>(client: &mut S, declared: &Schema) -> Schema {
    let mut out = declared.clone();
    owners_as_stored(client, &mut out).await;
    if client.execute("BEGIN").await.is_err() {
        return out;
    }
    let read = read_shadows(client, declared).await;
    // Nothing was meant to last: the temporary tables go with the transaction.
    let _ = client.execute("ROLLBACK").await;
    let Some(Shadows {
        ns,
        stored,
        tables: shadows,
        domains: shadow_domains,
        bounds,
    }) = read
    else {
        return out;
    };
    for name in shadows {
        let (Some(shadow), Some(table)) = (
            stored
                .tables
                .get(&QualifiedName::new(ns.clone(), name.name.clone())),
            out.tables.get_mut(&name),
        ) else {
            continue;
        };
        take_stored(table, shadow);
        take_stored_objects(
            &mut out,
            &stored,
            &QualifiedName::new(ns.clone(), name.name.clone()),
            &name,
        );
    }
    for name in shadow_domains {
        let (Some(shadow), Some(domain)) = (
            stored
                .domains
                .get(&QualifiedName::new(ns.clone(), name.name.clone())),
            out.domains.get_mut(&name),
        ) else {
            continue;
        };
        if let (Some(m), Some(t)) = (domain.default.as_mut(), shadow.default.as_ref()) {
            *m = m.compared_as(t);
        }
        for (check, c) in &mut domain.checks {
            if let Some(theirs) = shadow.checks.get(check) {
                c.expr = c.expr.compared_as(&theirs.expr);
            }
        }
    }
    for (name, shadow) in bounds {
        let (Some(stored), Some(table)) = (
            stored
                .tables
                .get(&QualifiedName::new(ns.clone(), shadow))
                .and_then(|t| t.partition_of.as_ref()),
            out.tables.get_mut(&name),
        ) else {
            continue;
        };
        if let Some(of) = &mut table.partition_of {
            take_stored_bound(&mut of.bound, &stored.bound);
        }
    }
    out
}

/// An owner named in `schema` that is the role connected (the one that runs
/// the migrations) is the owner the model leaves unnamed, as introspection
/// reads it.
async fn owners_as_stored<S: Session>(client: &mut S, schema: &mut Schema) {
    if !schema.privileges.values().any(|a| a.owner.is_some())
        && !schema.default_privileges.values().any(|d| d.role.is_some())
    {
        return;
    }
    let Ok(row) = client.query_one("SELECT current_user::text", &[]).await else {
        return;
    };
    let me: String = row.get(0);
    let mine: Vec<_> = schema
        .privileges
        .values()
        .filter(|a| a.owner.as_deref() == Some(me.as_str()))
        .cloned()
        .collect();
    for mut acl in mine {
        acl.owner = None;
        schema.set_acl(acl);
    }
    let mine: Vec<_> = schema
        .default_privileges
        .iter()
        .filter(|(_, d)| d.role.as_deref() == Some(me.as_str()))
        .map(|(k, d)| (k.clone(), d.clone()))
        .collect();
    for (key, mut d) in mine {
        schema.default_privileges.remove(&key);
        d.role = None;
        schema.set_default_acl(d);
    }
}

/// `CREATE DOMAIN` of `domain` as a temporary domain of the same name, base
/// type, default and checks (`None` when it cannot be written).
fn shadow_domain_ddl(domain: &Domain) -> Option<String> {
    let mut shadow = domain.clone();
    shadow.name = QualifiedName::new("pg_temp", domain.name.name.clone());
    shadow.comment = None;
    let change = Change::CreateDomain(shadow.clone());
    let (from, to) = (Schema::new(), Schema::new());
    let cx = Context {
        changes: std::slice::from_ref(&change),
        from: &from,
        to: &to,
        change: &change,
    };
    let statements = Postgres.render_create_domain(&cx, &shadow).ok()?;
    Some(
        statements
            .iter()
            .map(|s| s.sql.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// True when a trigger on `table` has a `WHEN`, or a policy on it an expression.
fn has_object_expressions(declared: &Schema, table: &QualifiedName) -> bool {
    declared
        .triggers
        .get(table)
        .is_some_and(|t| t.0.values().any(|x| x.when.is_some()))
        || declared.policies.get(table).is_some_and(|p| {
            p.0.values()
                .any(|x| x.using.is_some() || x.with_check.is_some())
        })
}

/// `CREATE TRIGGER` and `CREATE POLICY` of `table`'s triggers with a `WHEN`
/// and policies with expressions, on its shadow (`pg_temp`, same name).
fn shadow_objects_ddl(declared: &Schema, table: &QualifiedName) -> String {
    let temp = QualifiedName::new("pg_temp", table.name.clone());
    let mut out = Vec::new();
    for t in declared
        .triggers
        .get(table)
        .into_iter()
        .flat_map(|t| t.0.values())
        .filter(|t| t.when.is_some())
    {
        let mut t = t.clone();
        t.table = temp.clone();
        out.push(schema_core::render::triggers::create_trigger_sql(&t, false));
    }
    for p in declared
        .policies
        .get(table)
        .into_iter()
        .flat_map(|p| p.0.values())
        .filter(|p| p.using.is_some() || p.with_check.is_some())
    {
        let mut p = p.clone();
        p.table = temp.clone();
        out.push(schema_core::render::triggers::create_policy_sql(&p));
    }
    out.join("\n")
}

/// Gives the `WHEN` of `table`'s triggers and its policies' expressions (in
/// `out`) the canonical text of the same ones on its shadow `shadow` (in `stored`).
fn take_stored_objects(
    out: &mut Schema,
    stored: &Schema,
    shadow: &QualifiedName,
    table: &QualifiedName,
) {
    let stored_expr = |mine: &mut Option<Expression>, theirs: &Option<Expression>| {
        if let (Some(m), Some(t)) = (mine.as_mut(), theirs.as_ref()) {
            *m = m.compared_as(t);
        }
    };
    if let (Some(theirs), Some(mine)) = (stored.triggers.get(shadow), out.triggers.get_mut(table)) {
        for (name, t) in &mut mine.0 {
            if let Some(s) = theirs.0.get(name) {
                stored_expr(&mut t.when, &s.when);
            }
        }
    }
    if let (Some(theirs), Some(mine)) = (stored.policies.get(shadow), out.policies.get_mut(table)) {
        for (name, p) in &mut mine.0 {
            if let Some(s) = theirs.0.get(name) {
                stored_expr(&mut p.using, &s.using);
                stored_expr(&mut p.with_check, &s.with_check);
            }
        }
    }
}

fn has_expressions(t: &Table) -> bool {
    t.columns
        .iter()
        .any(|c| c.default.is_some() || c.generated.is_some())
        || t.constraints.values().any(|c| {
            matches!(
                c.kind,
                ConstraintKind::Check { .. } | ConstraintKind::Exclude(_)
            )
        })
        || t.indexes.values().any(|i| {
            i.predicate.is_some()
                || i.keys.iter().any(|k| {
                    matches!(k.part, IndexPart::Expression(_))
                        || k.collation.is_some()
                        || k.opclass.is_some()
                })
        })
}

/// `CREATE TEMPORARY TABLE` with `table`'s columns (no identity, no NOT NULL),
/// checks and exclusion constraints, then its indexes that hold expressions.
fn shadow_ddl(table: &Table) -> Result<String, schema_core::render::Unsupported> {
    let pg = Postgres;
    let temp = QualifiedName::new("pg_temp", table.name.name.clone());
    let mut parts = Vec::new();
    for c in &table.columns {
        let mut c = c.clone();
        c.identity = None;
        c.nullable = true;
        parts.push(pg.column_def(&c)?);
    }
    for c in table.constraints.values() {
        if matches!(
            c.kind,
            ConstraintKind::Check { .. } | ConstraintKind::Exclude(_)
        ) {
            parts.push(format!(
                "CONSTRAINT {} {}",
                pg.ident(&c.name),
                pg.constraint_body(c)
            ));
        }
    }
    let mut ddl = format!(
        "CREATE TEMPORARY TABLE {} ({});\n",
        pg.object_name(&temp),
        parts.join(", ")
    );
    for i in table.indexes.values() {
        let expressions = i.predicate.is_some()
            || i.keys.iter().any(|k| {
                matches!(k.part, IndexPart::Expression(_))
                    || k.collation.is_some()
                    || k.opclass.is_some()
            });
        if expressions {
            ddl.push_str(&pg.create_index(&temp, i)?);
            ddl.push('\n');
        }
    }
    Ok(ddl)
}

/// Gives `table`'s expressions the canonical text of the same expressions in
/// `shadow`, where the shadow holds them.
fn take_stored(table: &mut Table, shadow: &Table) {
    let stored = |mine: Option<&mut Expression>, theirs: Option<&Expression>| {
        if let (Some(m), Some(t)) = (mine, theirs) {
            *m = m.compared_as(t);
        }
    };
    for c in &mut table.columns {
        if let Some(s) = shadow.column(&c.name) {
            stored(c.default.as_mut(), s.default.as_ref());
            stored(c.generated.as_deref_mut(), s.generated.as_deref());
        }
    }
    for (name, c) in &mut table.constraints {
        let Some(s) = shadow.constraints.get(name) else {
            continue;
        };
        match (&mut c.kind, &s.kind) {
            (ConstraintKind::Check { expr }, ConstraintKind::Check { expr: theirs }) => {
                *expr = expr.compared_as(theirs);
            }
            (ConstraintKind::Exclude(x), ConstraintKind::Exclude(sx)) => {
                stored(x.predicate.as_mut(), sx.predicate.as_ref());
                if sx.elements.len() == x.elements.len() {
                    for (e, se) in x.elements.iter_mut().zip(&sx.elements) {
                        stored_key(&mut e.key, &se.key);
                    }
                }
            }
            _ => {}
        }
    }
    for (name, i) in &mut table.indexes {
        let Some(s) = shadow.indexes.get(name) else {
            continue;
        };
        stored(i.predicate.as_mut(), s.predicate.as_ref());
        if s.keys.len() == i.keys.len() {
            for (k, sk) in i.keys.iter_mut().zip(&s.keys) {
                stored_key(k, sk);
            }
        }
    }
}

/// The temporary partitioned table and partition that hold `table`'s bound,
/// when it is a partition whose bound has values.
fn bound_shadow_ddl(declared: &Schema, table: &Table, i: usize) -> Option<String> {
    let of = table.partition_of.as_ref()?;
    if !matches!(
        of.bound,
        PartitionBound::In(_) | PartitionBound::Range { .. }
    ) {
        return None;
    }
    let parent = declared.tables.get(&of.parent)?;
    let key = parent.partition_by.as_ref()?;
    let pg = Postgres;
    let columns: Vec<String> = parent
        .columns
        .iter()
        .map(|c| {
            pg.column_type(&c.data_type)
                .map(|ty| format!("{} {ty}", pg.ident(&c.name)))
        })
        .collect::<Result<_, _>>()
        .ok()?;
    Some(format!(
        "CREATE TEMPORARY TABLE pg_temp.schema_bound_{i} ({}) PARTITION BY {key};\n\
         CREATE TEMPORARY TABLE pg_temp.schema_bound_{i}_part PARTITION OF pg_temp.schema_bound_{i} {};",
        columns.join(", "),
        of.bound
    ))
}

/// Gives `bound`'s values the canonical text of the same values in `stored`.
fn take_stored_bound(bound: &mut PartitionBound, stored: &PartitionBound) {
    let take = |mine: &mut Expression, theirs: &Expression| *mine = mine.compared_as(theirs);
    match (bound, stored) {
        (PartitionBound::In(mine), PartitionBound::In(theirs)) if mine.len() == theirs.len() => {
            for (m, t) in mine.iter_mut().zip(theirs) {
                take(m, t);
            }
        }
        (
            PartitionBound::Range { from, to },
            PartitionBound::Range {
                from: stored_from,
                to: stored_to,
            },
        ) if from.len() == stored_from.len() && to.len() == stored_to.len() => {
            for (m, t) in from
                .iter_mut()
                .zip(stored_from)
                .chain(to.iter_mut().zip(stored_to))
            {
                if let (RangeBound::Value(m), RangeBound::Value(t)) = (m, t) {
                    take(m, t);
                }
            }
        }
        _ => {}
    }
}

/// An index key (of an index or an exclusion constraint) as `shadow` stores it.
fn stored_key(k: &mut IndexKey, sk: &IndexKey) {
    // PostgreSQL omits a default operator class or collation.
    k.collation.clone_from(&sk.collation);
    k.opclass.clone_from(&sk.opclass);
    if let (IndexPart::Expression(e), IndexPart::Expression(se)) = (&mut k.part, &sk.part) {
        *e = e.compared_as(se);
    }
}
