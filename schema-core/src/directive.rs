//! `-- schema: ...` comment directives: the documented way to talk to the engine
//! from inside SQL files.
//!
//! | directive | where | effect |
//! |---|---|---|
//! | `-- schema: allow(<lint>[, <lint>])` | above a `CREATE TABLE` in schema.sql, or anywhere in a migration's up.sql/down.sql | silences that lint for that table or migration |
//! | `-- schema: renamed from <old_name>` | above a table, column, enum type, composite type or domain in schema.sql | read by the diff engine |
//! | `-- schema: model = <StructName>` | above a table in schema.sql | the generated model's name |
//! | `-- schema: no-transaction` | anywhere in a migration | run it outside a transaction |
//! | `-- schema: ignore(privileges)` | anywhere in schema.sql | privileges and owners are managed elsewhere: `GRANT`, `REVOKE` and `OWNER TO` are checked but not modelled, diffed or verified (`ignore(grants)` says the same) |

use crate::diagnostic::{Diagnostic, Origin, codes};

/// The marker that starts a directive inside a `--` comment.
pub(crate) const MARKER: &str = "schema:";

/// One directive and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// What it says.
    pub kind: DirectiveKind,
    /// Where it is.
    pub origin: Origin,
}

/// The directives the engine understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DirectiveKind {
    /// `allow(<lint>)`: silence the lint of that name.
    Allow(String),
    /// `renamed from <old_name>`.
    RenamedFrom(String),
    /// `model = <Name>`.
    Model(String),
    /// `no-transaction`.
    NoTransaction,
    /// `ignore(privileges)` (or `ignore(grants)`).
    IgnorePrivileges,
}

impl Directive {
    /// True when this directive allows the lint called `name`.
    pub fn allows(&self, name: &str) -> bool {
        matches!(&self.kind, DirectiveKind::Allow(n) if n == name)
    }
}

/// Reads the directives of one comment's text (without the `--`).
///
/// Returns nothing for ordinary comments.
///
/// # Errors
/// A diagnostic for a comment that starts with `schema:` but says nothing we know.
pub fn parse_comment(text: &str, origin: &Origin) -> Result<Vec<Directive>, Diagnostic> {
    let trimmed = text.trim();
    let Some(body) = trimmed.strip_prefix(MARKER) else {
        return Ok(Vec::new());
    };
    let body = body.trim();
    let make = |kind| Directive {
        kind,
        origin: origin.clone(),
    };
    let bad = |why: &str| {
        Diagnostic::error(codes::BAD_DIRECTIVE, format!("unknown directive `{body}`"))
            .at(origin)
            .note(why.to_string())
            .help(
                "directives are `-- schema: allow(<lint>)`, `-- schema: renamed from <name>`, \
                 `-- schema: model = <Name>`, `-- schema: no-transaction` and \
                 `-- schema: ignore(privileges)`",
            )
    };
    if let Some(args) = body
        .strip_prefix("allow")
        .map(str::trim_start)
        .and_then(|r| r.strip_prefix('('))
        .and_then(|r| r.trim_end().strip_suffix(')'))
    {
        let mut out = Vec::new();
        for name in args.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let known = crate::diagnostic::codes::lints().any(|c| c.name == name || c.id == name);
            if !known {
                let names: Vec<&str> = crate::diagnostic::codes::lints().map(|c| c.name).collect();
                return Err(bad(&format!(
                    "`{name}` is not a lint; lints are: {}",
                    names.join(", ")
                )));
            }
            let name = crate::diagnostic::codes::lints()
                .find(|c| c.id == name)
                .map_or(name, |c| c.name);
            out.push(make(DirectiveKind::Allow(name.to_string())));
        }
        if out.is_empty() {
            return Err(bad("`allow()` names no lint"));
        }
        return Ok(out);
    }
    if let Some(old) = body.strip_prefix("renamed from") {
        let old = old.trim().trim_matches('"');
        if old.is_empty() || old.contains(char::is_whitespace) {
            return Err(bad("`renamed from` takes one name"));
        }
        return Ok(vec![make(DirectiveKind::RenamedFrom(old.to_string()))]);
    }
    if let Some(name) = body.strip_prefix("model").map(str::trim_start) {
        if let Some(name) = name.strip_prefix('=') {
            let name = name.trim();
            let valid = name.chars().next().is_some_and(char::is_alphabetic)
                && name.chars().all(|c| c.is_alphanumeric() || c == '_');
            if !valid {
                return Err(bad("`model =` takes a Rust identifier"));
            }
            return Ok(vec![make(DirectiveKind::Model(name.to_string()))]);
        }
    }
    if body == "no-transaction" {
        return Ok(vec![make(DirectiveKind::NoTransaction)]);
    }
    if let Some(what) = body
        .strip_prefix("ignore")
        .map(str::trim_start)
        .and_then(|r| r.strip_prefix('('))
        .and_then(|r| r.trim_end().strip_suffix(')'))
    {
        return match what.trim() {
            "privileges" | "grants" => Ok(vec![make(DirectiveKind::IgnorePrivileges)]),
            other => Err(bad(&format!(
                "`ignore({other})`: only `ignore(privileges)` (or `ignore(grants)`) is known"
            ))),
        };
    }
    Err(bad(
        "this comment starts with `schema:`, which is reserved for directives",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Source;

    #[test]
    fn reads_each_directive_and_rejects_unknown_ones() {
        let o = Origin::new(&Source::new("x.sql", "x"), 1, 1);
        let kinds = |s: &str| -> Vec<DirectiveKind> {
            parse_comment(s, &o)
                .map(|v| v.into_iter().map(|d| d.kind).collect())
                .unwrap_or_default()
        };
        assert_eq!(
            kinds(" schema: allow(empty_migration)"),
            vec![DirectiveKind::Allow("empty_migration".into())]
        );
        assert_eq!(
            kinds(" schema: renamed from old_users"),
            vec![DirectiveKind::RenamedFrom("old_users".into())]
        );
        assert_eq!(
            kinds(" schema: model = Person"),
            vec![DirectiveKind::Model("Person".into())]
        );
        assert_eq!(kinds(" plain comment"), vec![]);
        assert!(parse_comment(" schema: allow(nonsense)", &o).is_err());
        assert!(parse_comment(" schema: frobnicate", &o).is_err());
    }
}
