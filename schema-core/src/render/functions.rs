//! Functions and procedures in PostgreSQL's spelling: `CREATE [OR REPLACE]
//! FUNCTION | PROCEDURE` with the user's own body in dollar quotes (a tag
//! that does not occur in it), `DROP`, `COMMENT ON`. SQLite has none: its
//! renderer refuses these changes (`render/sqlite/mod.rs`).

use super::{Context, Rendered, Renderer, Statement, Unsupported, literal};
use crate::model::Function;
use crate::model::function::{Returns, is_list_parameter};

/// `name(type, ...)` as `DROP` and `COMMENT ON` name a function.
fn signature<R: Renderer + ?Sized>(r: &R, f: &Function) -> Result<String, super::Unsupported> {
    let mut types = Vec::new();
    for a in f.args.iter().filter(|a| a.mode.is_input()) {
        types.push(r.column_type(&a.ty)?);
    }
    Ok(format!("{}({})", r.object_name(&f.name), types.join(", ")))
}

/// `CREATE [OR REPLACE] FUNCTION ...` (and `COMMENT ON`, for a new one).
pub(super) fn create<R: Renderer + ?Sized>(r: &R, f: &Function, replace: bool) -> Rendered {
    let mut args = Vec::new();
    for a in &f.args {
        let mut s = String::new();
        if let Some(mode) = a.mode.keyword() {
            s.push_str(mode);
            s.push(' ');
        }
        if let Some(name) = &a.name {
            s.push_str(&r.ident(name));
            s.push(' ');
        }
        s.push_str(&r.column_type(&a.ty)?);
        if let Some(d) = &a.default {
            s.push_str(" DEFAULT ");
            s.push_str(d.source());
        }
        args.push(s);
    }
    let mut sql = format!(
        "CREATE {}{} {}({})",
        if replace { "OR REPLACE " } else { "" },
        f.kind.keyword(),
        r.object_name(&f.name),
        args.join(", ")
    );
    // OUT arguments give the result type: RETURNS is written only when
    // there are none (or for a set of them).
    let outputs = f.args.iter().any(|a| a.mode.is_output());
    match &f.returns {
        None => {}
        Some(Returns::Table(columns)) => {
            let mut cols = Vec::new();
            for (name, ty) in columns {
                cols.push(format!("{} {}", r.ident(name), r.column_type(ty)?));
            }
            sql.push_str(&format!("\n RETURNS TABLE({})", cols.join(", ")));
        }
        Some(Returns::Type { setof, ty }) if !outputs || *setof => {
            sql.push_str(&format!(
                "\n RETURNS {}{}",
                if *setof { "SETOF " } else { "" },
                r.column_type(ty)?
            ));
        }
        Some(Returns::Type { .. }) => {}
    }
    sql.push_str(&format!("\n LANGUAGE {}", r.ident(&f.language)));
    let mut attributes = Vec::new();
    if f.kind == crate::model::function::RoutineKind::Function {
        if f.volatility != crate::model::function::Volatility::Volatile {
            attributes.push(f.volatility.keyword().to_string());
        }
        if f.strict {
            attributes.push("STRICT".to_string());
        }
        if f.leakproof {
            attributes.push("LEAKPROOF".to_string());
        }
        if f.parallel != crate::model::function::Parallel::Unsafe {
            attributes.push(format!("PARALLEL {}", f.parallel.keyword()));
        }
        if let Some(c) = &f.cost {
            attributes.push(format!("COST {c}"));
        }
        if let Some(n) = &f.rows {
            attributes.push(format!("ROWS {n}"));
        }
    }
    if f.security_definer {
        attributes.push("SECURITY DEFINER".to_string());
    }
    if !attributes.is_empty() {
        sql.push_str(&format!("\n {}", attributes.join(" ")));
    }
    for (name, value) in &f.config {
        let value = if is_list_parameter(name) {
            list_items(value)
                .iter()
                .map(|item| {
                    if crate::model::names::needs_quotes(item) {
                        literal(item)
                    } else {
                        item.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            literal(value)
        };
        sql.push_str(&format!("\n SET {} = {value}", r.ident(name)));
    }
    if f.body.is_standard() {
        sql.push_str(&format!("\n{};", f.body.text()));
    } else {
        sql.push_str(&format!("\nAS {};", f.body.quoted()));
    }
    let mut out = vec![Statement::new(sql)];
    if !replace && let Some(comment) = &f.comment {
        out.push(Statement::new(format!(
            "COMMENT ON {} {} IS {};",
            f.kind.keyword(),
            signature(r, f)?,
            literal(comment)
        )));
    }
    Ok(out)
}

/// The items of a list parameter's value as `proconfig` holds it
/// (`"$user", public`, `""`), unquoted: each is written back bare, or as a
/// string where it needs quotes (PostgreSQL stores a string item quoted as
/// the identifier it stands for; `""` is no identifier).
fn list_items(value: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut chars = value.chars().peekable();
    loop {
        while chars.peek() == Some(&' ') {
            chars.next();
        }
        let mut item = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                if c == '"' {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        item.push('"');
                    } else {
                        break;
                    }
                } else {
                    item.push(c);
                }
            }
            // Up to the comma.
            for c in chars.by_ref() {
                if c == ',' {
                    break;
                }
            }
            items.push(item);
        } else {
            let mut ended = true;
            for c in chars.by_ref() {
                if c == ',' {
                    ended = false;
                    break;
                }
                item.push(c);
            }
            items.push(item.trim_end().to_string());
            if ended {
                return items;
            }
            continue;
        }
        if chars.peek().is_none() {
            return items;
        }
    }
}

/// `DROP FUNCTION | PROCEDURE name(types)`.
pub(super) fn drop<R: Renderer + ?Sized>(r: &R, f: &Function) -> Rendered {
    Ok(vec![Statement::new(format!(
        "DROP {} {};",
        f.kind.keyword(),
        signature(r, f)?
    ))])
}

/// Refuses to drop `f` while a generated column of a table that stays calls
/// it: PostgreSQL will not drop the function under the column, and cannot
/// give an existing column a generation expression again, so only dropping
/// and adding the column (which moves it last) would do; that is the
/// user's call, not the tool's.
pub(super) fn generated_callers(
    cx: &Context<'_>,
    f: &Function,
    verb: &str,
) -> Result<(), Unsupported> {
    let names = std::collections::BTreeSet::from([f.name.clone()]);
    for t in cx.from.tables.values() {
        if !cx.to.tables.contains_key(&t.name) {
            continue;
        }
        let caller = t.columns.iter().find(|c| {
            c.generated
                .as_ref()
                .is_some_and(|g| crate::diff::calls_any(g, &names))
        });
        if let Some(c) = caller {
            return Err(Unsupported {
                dialect: "PostgreSQL 15",
                change: format!("{verb} {} `{}`", f.kind.describe(), f.signature()),
                reason: format!(
                    "generated column `{}.{}` calls it, and PostgreSQL can neither drop a function a generated column calls nor give an existing column its expression again; write this migration by hand: drop the column, recreate the function, add the column back (it then comes last)",
                    t.name, c.name
                ),
            });
        }
    }
    Ok(())
}

/// `COMMENT ON FUNCTION | PROCEDURE name(types) IS ...`.
pub(super) fn comment<R: Renderer + ?Sized>(r: &R, f: &Function, to: Option<&str>) -> Rendered {
    Ok(vec![Statement::new(format!(
        "COMMENT ON {} {} IS {};",
        f.kind.keyword(),
        signature(r, f)?,
        to.map_or_else(|| "NULL".to_string(), literal)
    ))])
}

#[cfg(test)]
mod tests {
    use super::list_items;

    #[test]
    fn list_values_split_into_unquoted_items() {
        assert_eq!(list_items("public, pg_temp"), ["public", "pg_temp"]);
        assert_eq!(list_items("\"$user\", public"), ["$user", "public"]);
        assert_eq!(list_items("\"\""), [""]);
        assert_eq!(list_items("\"a\"\"b\", \"x, y\""), ["a\"b", "x, y"]);
    }
}
