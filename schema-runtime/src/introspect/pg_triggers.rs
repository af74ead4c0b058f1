//! Triggers and row-level security policies of a live PostgreSQL database:
//! `pg_trigger` (user triggers, not the clones PostgreSQL makes on
//! partitions) read back through `pg_get_triggerdef` and the model's own
//! trigger reader; `pg_policy` with its expressions from `pg_get_expr`.

use crate::session::{Param, Session};
use schema_core::Origin;
use schema_core::Schema;
use schema_core::model::{Policy, PolicyCommand, TriggerState};
use schema_core::parse::triggers::read_trigger_definition;

use super::IntrospectError;
use super::postgres::{expression, query_error};

type Result<T> = std::result::Result<T, IntrospectError>;

fn origin() -> Origin {
    Origin::synthetic("postgres")
}

fn malformed(owner: String, text: String, message: String) -> IntrospectError {
    IntrospectError::Expression {
        owner,
        text,
        message,
    }
}

/// Reads the triggers of the tables of `schemas` into `schema`.
pub(crate) async fn read_triggers<S: Session>(
    tx: &mut S,
    schemas: &[String],
    version: i32,
    schema: &mut Schema,
) -> Result<()> {
    // PostgreSQL 13 and later clone a partitioned table's triggers onto its
    // partitions (`tgparentid`): only the parent's is the user's.
    let clones = if version >= 130_000 {
        "AND t.tgparentid = 0"
    } else {
        ""
    };
    let rows = tx
        .query(
            &format!(
                "SELECT n.nspname::text, c.relname::text, t.tgname::text,
                        pg_get_triggerdef(t.oid), t.tgenabled::text,
                        obj_description(t.oid, 'pg_trigger')
                 FROM pg_trigger t
                 JOIN pg_class c ON c.oid = t.tgrelid
                 JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE NOT t.tgisinternal {clones} AND n.nspname::text = ANY($1)
                 ORDER BY 1, 2, 3"
            ),
            &[Param::Texts(schemas)],
        )
        .await
        .map_err(query_error("triggers"))?;
    for row in rows {
        let (ns, table, name): (String, String, String) = (row.get(0), row.get(1), row.get(2));
        let owner = || format!("trigger `{name}` on `{ns}.{table}`");
        let text: String = row.get(3);
        let read = read_trigger_definition(&text)
            .and_then(|ct| ct.to_model(origin()))
            .map_err(|message| malformed(owner(), text.clone(), message))?;
        let mut trigger = read;
        let code: String = row.get(4);
        trigger.state = TriggerState::from_code(&code)
            .ok_or_else(|| malformed(owner(), code.clone(), "unknown tgenabled".to_string()))?;
        trigger.comment = row.get(5);
        schema.insert_trigger(trigger);
    }
    Ok(())
}

/// Reads the row-level security policies of the tables of `schemas` into `schema`.
pub(crate) async fn read_policies<S: Session>(
    tx: &mut S,
    schemas: &[String],
    schema: &mut Schema,
) -> Result<()> {
    let rows = tx
        .query(
            "SELECT n.nspname::text, c.relname::text, p.polname::text, p.polpermissive,
                    p.polcmd::text,
                    ARRAY(SELECT CASE WHEN r.oid = 0 THEN 'public'
                                      ELSE (SELECT a.rolname::text FROM pg_roles a WHERE a.oid = r.oid) END
                          FROM unnest(p.polroles) AS r(oid) ORDER BY 1),
                    pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid),
                    obj_description(p.oid, 'pg_policy')
             FROM pg_policy p
             JOIN pg_class c ON c.oid = p.polrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname::text = ANY($1)
             ORDER BY 1, 2, 3",
            &[Param::Texts(schemas)],
        )
        .await.map_err(query_error("policies"))?;
    for row in rows {
        let table = schema_core::model::QualifiedName::new(
            row.get::<_, String>(0),
            row.get::<_, String>(1),
        );
        let name: String = row.get(2);
        let owner = || format!("policy `{name}` on `{table}`");
        let code: String = row.get(4);
        let command = PolicyCommand::from_code(&code)
            .ok_or_else(|| malformed(owner(), code.clone(), "unknown polcmd".to_string()))?;
        let expr = |i: usize| -> Result<_> {
            row.get::<_, Option<String>>(i)
                .map(|text| expression(owner, &text))
                .transpose()
        };
        let (using, with_check) = (expr(6)?, expr(7)?);
        schema.insert_policy(Policy {
            name: name.clone(),
            table: table.clone(),
            permissive: row.get(3),
            command,
            roles: row.get(5),
            using,
            with_check,
            comment: row.get(8),
            origin: origin(),
        });
    }
    Ok(())
}
