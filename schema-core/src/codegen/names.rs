//! Rust names for SQL objects: struct names (singular, UpperCamelCase), field
//! names (the column's, raw when a keyword) and enum variant names.
//!
//! The rules are documented on [`super`]; every name goes through [`ident`], so
//! nothing generated is ever an invalid identifier.

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Keywords that are valid raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where",
    "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers: a trailing `_` is added instead.
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// The singular of the last snake_case word of `name` (the rules of [`super`]).
pub(crate) fn singular(name: &str) -> String {
    let (head, last) = match name.rfind('_') {
        Some(i) => name.split_at(i + 1),
        None => ("", name),
    };
    format!("{head}{}", singular_word(last))
}

fn singular_word(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    let keep = |n: usize| word[..word.len() - n].to_string();
    if lower.len() > 3 && lower.ends_with("ies") {
        format!("{}y", keep(3))
    } else if ["sses", "ches", "shes", "xes"]
        .iter()
        .any(|s| lower.ends_with(s))
    {
        // `sses` → `ss`; `ches`, `shes`, `xes` lose their `es`.
        keep(2)
    } else if lower.len() > 1
        && lower.ends_with('s')
        && !["ss", "us", "is"].iter().any(|s| lower.ends_with(s))
    {
        keep(1)
    } else {
        word.to_string()
    }
}

/// The struct name of a table called `table` (no `model =` directive).
pub(crate) fn struct_name(table: &str) -> String {
    type_name(&singular(table))
}

/// `name` with every character that is not an ASCII letter, digit or `_`
/// turned into a word separator, so what heck makes of it is a valid identifier.
fn ascii_words(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                ' '
            }
        })
        .collect()
}

/// An UpperCamelCase type name for `name` (a table, enum type or label).
pub fn type_name(name: &str) -> String {
    let camel = ascii_words(name).to_upper_camel_case();
    if camel.is_empty() {
        "Empty".to_string()
    } else if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{camel}")
    } else {
        camel
    }
}

/// Names of the enum's own associated items that an UpperCamelCase name can
/// spell (`Mood::ALL`); a variant never takes them. (`FromStr::Err` is always
/// written `<Self as FromStr>::Err`, so a variant `Err` is fine.)
const ENUM_ITEMS: &[&str] = &["ALL"];

/// The variant name of an enum label: its [`type_name`], with a `_` added
/// when that is the name of one of the enum's own items (`'a l l'` → `ALL_`,
/// since `ALL` is the list of every label).
pub(crate) fn variant_name(label: &str) -> String {
    let name = type_name(label);
    if ENUM_ITEMS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// The field name of a column called `column`: the name itself when it is a
/// snake_case identifier, else its snake_case form.
pub(crate) fn field_name(column: &str) -> String {
    let valid = column
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && column
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    let name = if valid {
        column.to_string()
    } else {
        ascii_words(column).to_snake_case()
    };
    if name.is_empty() {
        "column".to_string()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name
    }
}

/// An identifier for `name`: raw when it is a keyword, with a trailing `_` when
/// it is a keyword that cannot be raw.
pub fn ident(name: &str) -> Ident {
    if NON_RAW_KEYWORDS.contains(&name) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if RAW_KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// `name` as written in Rust source (`r#type` for a raw identifier).
pub(crate) fn ident_text(name: &str) -> String {
    ident(name).to_string()
}

/// The name a Rust field or identifier stands for: `r#type` is `type`.
pub(crate) fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn singular_follows_the_documented_rules_on_the_last_word_only() {
        for (plural, singular_form) in [
            ("users", "user"),
            ("companies", "company"),
            ("addresses", "address"),
            ("matches", "match"),
            ("wishes", "wish"),
            ("boxes", "box"),
            ("status", "status"),
            ("analysis", "analysis"),
            ("class", "class"),
            ("job_descriptions", "job_description"),
            ("news_items", "news_item"),
            ("user_sites", "user_site"),
            ("s", "s"),
            ("data", "data"),
        ] {
            assert_eq!(singular(plural), singular_form, "{plural}");
        }
    }

    #[test]
    fn struct_names_are_upper_camel_case_singulars() {
        assert_eq!(struct_name("google_auth_tokens"), "GoogleAuthToken");
        assert_eq!(struct_name("users"), "User");
        assert_eq!(struct_name("2fa_codes"), "V2faCode");
    }

    #[test]
    fn field_names_are_valid_identifiers() {
        assert_eq!(ident_text(&field_name("type")), "r#type");
        assert_eq!(ident_text(&field_name("self")), "self_");
        assert_eq!(ident_text(&field_name("userId")), "user_id");
        assert_eq!(ident_text(&field_name("first name")), "first_name");
        assert_eq!(ident_text(&field_name("1st")), "_1st");
        assert_eq!(ident_text(&type_name("self")), "Self_");
        assert_eq!(ident_text(&type_name("in progress")), "InProgress");
        assert_eq!(ident_text(&type_name("")), "Empty");
        assert_eq!(ident_text(&type_name("N/A")), "NA");
        assert_eq!(ident_text(&variant_name("a l l")), "ALL_");
        assert_eq!(ident_text(&variant_name("err")), "Err");
        assert_eq!(ident_text(&variant_name("all")), "All");
        assert_eq!(ident_text(&field_name("prix €")), "prix");
    }
}
