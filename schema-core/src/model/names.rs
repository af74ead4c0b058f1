//! Identifiers as PostgreSQL treats them: folding, quoting, truncation to 63 bytes
//! and the implicit names it chooses for constraints, indexes and sequences; and
//! the closest known name to a misspelt one.

use sqlparser::ast::{Ident, ObjectName};

use super::{QualifiedName, Schema};

/// PostgreSQL's `NAMEDATALEN - 1`: the longest identifier, in bytes.
pub(crate) const MAX_IDENTIFIER_BYTES: usize = 63;

/// Folds an identifier as PostgreSQL does: unquoted ones to lower case (ASCII only),
/// quoted ones kept; both truncated to 63 bytes.
pub(crate) fn fold_ident(ident: &Ident) -> String {
    let mut name = ident.value.clone();
    if ident.quote_style.is_none() {
        name.make_ascii_lowercase();
    }
    let kept = truncate(&name, MAX_IDENTIFIER_BYTES).len();
    if kept < name.len() {
        name.truncate(kept);
        name.shrink_to_fit();
    }
    name
}

/// The folded parts of an object name.
pub(crate) fn object_name_parts(name: &ObjectName) -> Vec<String> {
    name.0
        .iter()
        .map(|part| match part.as_ident() {
            Some(ident) => fold_ident(ident),
            None => part.to_string(),
        })
        .collect()
}

/// Truncates `s` to at most `max` bytes on a character boundary.
pub fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// PostgreSQL's reserved key words: an identifier spelled like one must be quoted.
pub(crate) const RESERVED: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "binary",
    "both",
    "case",
    "cast",
    "check",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "false",
    "fetch",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "group",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "natural",
    "not",
    "notnull",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "overlaps",
    "placing",
    "primary",
    "references",
    "returning",
    "right",
    "select",
    "session_user",
    "similar",
    "some",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
];

/// True when `name` must be quoted to be read back as itself.
pub(crate) fn needs_quotes(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_');
    !first_ok
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$')
        || RESERVED.binary_search(&name).is_ok()
}

/// Quotes `name` when needed, doubling embedded quotes.
pub(crate) fn quote_ident(name: &str) -> String {
    if needs_quotes(name) {
        format!("\"{}\"", name.replace('"', "\"\""))
    } else {
        name.to_string()
    }
}

/// An sqlparser identifier that prints as `name` would be written.
pub fn ident(name: &str) -> Ident {
    if needs_quotes(name) {
        Ident::with_quote('"', name)
    } else {
        Ident::new(name)
    }
}

/// PostgreSQL's `makeObjectName`: `name1[_name2][_label]`, shortening the longer of
/// the two names first so the result fits in 63 bytes.
pub fn make_object_name(name1: &str, name2: Option<&str>, label: Option<&str>) -> String {
    let mut overhead = 0;
    if name2.is_some() {
        overhead += 1;
    }
    if let Some(label) = label {
        overhead += label.len() + 1;
    }
    let avail = MAX_IDENTIFIER_BYTES.saturating_sub(overhead);
    let mut n1 = name1.len();
    let mut n2 = name2.map_or(0, str::len);
    while n1 + n2 > avail {
        if n1 > n2 {
            n1 -= 1;
        } else {
            n2 -= 1;
        }
    }
    let mut out = truncate(name1, n1).to_string();
    if let Some(name2) = name2 {
        out.push('_');
        out.push_str(truncate(name2, n2));
    }
    if let Some(label) = label {
        out.push('_');
        out.push_str(label);
    }
    out
}

/// PostgreSQL's `ChooseIndexNameAddition` / `ChooseForeignKeyConstraintNameAddition`:
/// the names joined with `_`, cut once it reaches 63 bytes.
pub fn name_addition<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for name in names {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(name);
        if out.len() >= MAX_IDENTIFIER_BYTES {
            break;
        }
    }
    out
}

/// Chooses a name like PostgreSQL's `ChooseRelationName`/`ChooseConstraintName`:
/// `name1_name2_label`, then `..._label1`, `..._label2`, ... until `taken` says no.
pub(crate) fn choose_name(
    name1: &str,
    name2: Option<&str>,
    label: &str,
    taken: impl Fn(&str) -> bool,
) -> String {
    let mut candidate = make_object_name(name1, name2, Some(label));
    let mut pass = 0;
    while taken(&candidate) {
        pass += 1;
        candidate = make_object_name(name1, name2, Some(&format!("{label}{pass}")));
    }
    candidate
}

/// The name PostgreSQL gives an index-backed constraint or an index of `table`.
pub(crate) fn choose_relation_name(
    schema: &Schema,
    extra_taken: &[String],
    table: &QualifiedName,
    addition: Option<&str>,
    label: &str,
) -> String {
    choose_name(&table.name, addition, label, |name| {
        extra_taken.iter().any(|t| t == name)
            || schema.relation_name_taken(&QualifiedName::new(table.schema.clone(), name))
    })
}

/// The name PostgreSQL gives a foreign key or check constraint of `table`.
pub(crate) fn choose_constraint_name(
    schema: &Schema,
    extra_taken: &[String],
    table: &QualifiedName,
    addition: Option<&str>,
    label: &str,
) -> String {
    choose_name(&table.name, addition, label, |name| {
        extra_taken.iter().any(|t| t == name) || schema.constraint_name_taken(&table.schema, name)
    })
}

/// The candidate closest to `name` by edit distance, when close enough to be a typo.
pub(crate) fn closest<'n>(
    name: &str,
    candidates: impl Iterator<Item = &'n str>,
) -> Option<&'n str> {
    candidates
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, c)| *d <= (name.len().max(c.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_list_is_sorted_for_binary_search() {
        let mut sorted = RESERVED.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, RESERVED);
    }

    #[test]
    fn implicit_names_follow_postgres() {
        assert_eq!(make_object_name("users", None, Some("pkey")), "users_pkey");
        assert_eq!(
            make_object_name("users", Some("email"), Some("key")),
            "users_email_key"
        );
        let long = "a".repeat(60);
        let name = make_object_name(&long, Some("bbbbbbbbbb"), Some("fkey"));
        assert_eq!(name.len(), 63);
        assert!(name.ends_with("_bbbbbbbbbb_fkey"), "{name}");
    }

    #[test]
    fn quoting_only_where_needed() {
        assert_eq!(quote_ident("users"), "users");
        assert_eq!(quote_ident("user"), "\"user\"");
        assert_eq!(quote_ident("Users"), "\"Users\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }
}
