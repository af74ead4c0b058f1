//! PostgreSQL's statements for triggers and row-level security policies:
//! `CREATE [OR REPLACE] [CONSTRAINT] TRIGGER`, `ALTER TABLE ... ENABLE/DISABLE
//! TRIGGER`, `DROP TRIGGER`, `CREATE/ALTER/DROP POLICY`, and their comments.

use super::{Rendered, Statement, literal};
use crate::diff::Change;
use crate::model::names::quote_ident;
use crate::model::policy::PUBLIC_ROLE;
use crate::model::{Policy, QualifiedName, Trigger, TriggerState};

/// A name qualified whatever the `search_path` the migration runs under, as
/// the PostgreSQL renderer writes every name.
fn object_name(name: &QualifiedName) -> String {
    if name.schema.is_empty() {
        return quote_ident(&name.name);
    }
    format!("{}.{}", quote_ident(&name.schema), quote_ident(&name.name))
}

/// The trigger's definition: `CREATE [OR REPLACE] [CONSTRAINT] TRIGGER ...;`.
pub fn create_trigger_sql(t: &Trigger, or_replace: bool) -> String {
    let mut sql = String::from("CREATE ");
    if or_replace {
        sql.push_str("OR REPLACE ");
    }
    if t.constraint.is_some() {
        sql.push_str("CONSTRAINT ");
    }
    sql.push_str(&format!(
        "TRIGGER {} {} ",
        quote_ident(&t.name),
        t.timing.keyword()
    ));
    let mut events = Vec::new();
    if t.events.insert {
        events.push("INSERT".to_string());
    }
    if t.events.delete {
        events.push("DELETE".to_string());
    }
    if let Some(cols) = &t.events.update {
        if cols.is_empty() {
            events.push("UPDATE".to_string());
        } else {
            let cols: Vec<String> = cols.iter().map(|c| quote_ident(c)).collect();
            events.push(format!("UPDATE OF {}", cols.join(", ")));
        }
    }
    if t.events.truncate {
        events.push("TRUNCATE".to_string());
    }
    sql.push_str(&events.join(" OR "));
    sql.push_str(&format!(" ON {}", object_name(&t.table)));
    if let Some(c) = &t.constraint {
        if let Some(from) = &c.from {
            sql.push_str(&format!(" FROM {}", object_name(from)));
        }
        sql.push_str(if c.deferrable {
            " DEFERRABLE"
        } else {
            " NOT DEFERRABLE"
        });
        sql.push_str(if c.initially_deferred {
            " INITIALLY DEFERRED"
        } else {
            " INITIALLY IMMEDIATE"
        });
    }
    if t.old_table.is_some() || t.new_table.is_some() {
        sql.push_str(" REFERENCING");
        if let Some(o) = &t.old_table {
            sql.push_str(&format!(" OLD TABLE AS {}", quote_ident(o)));
        }
        if let Some(n) = &t.new_table {
            sql.push_str(&format!(" NEW TABLE AS {}", quote_ident(n)));
        }
    }
    sql.push_str(if t.for_each_row {
        " FOR EACH ROW"
    } else {
        " FOR EACH STATEMENT"
    });
    if let Some(w) = &t.when {
        sql.push_str(&format!(" WHEN ({w})"));
    }
    let args: Vec<String> = t.arguments.iter().map(|a| literal(a)).collect();
    sql.push_str(&format!(
        " EXECUTE FUNCTION {}({});",
        object_name(&t.function),
        args.join(", ")
    ));
    sql
}

fn trigger_state_sql(t: &Trigger) -> String {
    format!(
        "ALTER TABLE {} {} TRIGGER {};",
        object_name(&t.table),
        t.state.alter_words(),
        quote_ident(&t.name)
    )
}

fn trigger_comment_sql(t: &Trigger) -> String {
    format!(
        "COMMENT ON TRIGGER {} ON {} IS {};",
        quote_ident(&t.name),
        object_name(&t.table),
        t.comment
            .as_deref()
            .map_or_else(|| "NULL".to_string(), literal)
    )
}

fn roles_sql(roles: &[String]) -> String {
    roles
        .iter()
        .map(|r| {
            if r == PUBLIC_ROLE {
                "PUBLIC".to_string()
            } else {
                quote_ident(r)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The policy's definition: `CREATE POLICY ...;`.
pub fn create_policy_sql(p: &Policy) -> String {
    let mut sql = format!(
        "CREATE POLICY {} ON {}",
        quote_ident(&p.name),
        object_name(&p.table)
    );
    if !p.permissive {
        sql.push_str(" AS RESTRICTIVE");
    }
    sql.push_str(&format!(" FOR {}", p.command.keyword()));
    sql.push_str(&format!(" TO {}", roles_sql(&p.roles)));
    if let Some(u) = &p.using {
        sql.push_str(&format!(" USING ({u})"));
    }
    if let Some(c) = &p.with_check {
        sql.push_str(&format!(" WITH CHECK ({c})"));
    }
    sql.push(';');
    sql
}

fn policy_comment_sql(p: &Policy) -> String {
    format!(
        "COMMENT ON POLICY {} ON {} IS {};",
        quote_ident(&p.name),
        object_name(&p.table),
        p.comment
            .as_deref()
            .map_or_else(|| "NULL".to_string(), literal)
    )
}

/// The statements of a trigger or policy change in PostgreSQL's spelling
/// (none for any other change).
pub fn render(change: &Change) -> Rendered {
    let mut out = Vec::new();
    match change {
        Change::CreateTrigger(t) => {
            out.push(create_trigger_sql(t, false));
            if t.state != TriggerState::Enabled {
                out.push(trigger_state_sql(t));
            }
            if t.comment.is_some() {
                out.push(trigger_comment_sql(t));
            }
        }
        Change::DropTrigger(t) => out.push(format!(
            "DROP TRIGGER {} ON {};",
            quote_ident(&t.name),
            object_name(&t.table)
        )),
        Change::ReplaceTrigger { from, to } => {
            // `CREATE OR REPLACE TRIGGER` enables the trigger again; the
            // comment stays.
            out.push(create_trigger_sql(to, true));
            if to.state != TriggerState::Enabled {
                out.push(trigger_state_sql(to));
            }
            if from.comment != to.comment {
                out.push(trigger_comment_sql(to));
            }
        }
        Change::AlterTrigger { from, to } => {
            if from.state != to.state {
                out.push(trigger_state_sql(to));
            }
            if from.comment != to.comment {
                out.push(trigger_comment_sql(to));
            }
        }
        Change::CreatePolicy(p) => {
            out.push(create_policy_sql(p));
            if p.comment.is_some() {
                out.push(policy_comment_sql(p));
            }
        }
        Change::DropPolicy(p) => out.push(format!(
            "DROP POLICY {} ON {};",
            quote_ident(&p.name),
            object_name(&p.table)
        )),
        Change::AlterPolicy { from, to } => {
            let mut clauses = Vec::new();
            if from.roles != to.roles {
                clauses.push(format!(" TO {}", roles_sql(&to.roles)));
            }
            // `ALTER POLICY` cannot remove an expression: such a change is a
            // drop and a create (see `Policy::alterable_to`).
            if let (true, Some(u)) = (from.using != to.using, &to.using) {
                clauses.push(format!(" USING ({u})"));
            }
            if let (true, Some(c)) = (from.with_check != to.with_check, &to.with_check) {
                clauses.push(format!(" WITH CHECK ({c})"));
            }
            if !clauses.is_empty() {
                out.push(format!(
                    "ALTER POLICY {} ON {}{};",
                    quote_ident(&to.name),
                    object_name(&to.table),
                    clauses.concat()
                ));
            }
            if from.comment != to.comment {
                out.push(policy_comment_sql(to));
            }
        }
        _ => {}
    }
    Ok(out.into_iter().map(Statement::new).collect())
}
