//! The edges of the dependency graph over a schema's objects: what a view,
//! function, trigger or policy reads, so that the diff creates each after what
//! it reads and drops it before what it reads is dropped or changed.
//!
//! Names are read from SQL text by the tokenizer ([`mentioned_names`]), which
//! works alike for a view's query, a `LANGUAGE sql` body, a PL/pgSQL body and a
//! policy's expressions; [`Reads::resolve`] keeps the names that are objects of
//! the schema. It over-approximates (a word that is both a column and a view's
//! name counts as the view): an extra edge only orders one more change, it
//! never loses one.

use std::collections::BTreeSet;

use sqlparser::tokenizer::{Token, Tokenizer, Whitespace};

use super::{DEFAULT_SCHEMA, QualifiedName, Schema};

/// What one object reads from the rest of the schema. Unqualified names are
/// resolved as PostgreSQL's default `search_path` would (`public`, then
/// `pg_catalog`, whose objects are not the schema's and are left out).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reads {
    /// Tables (views and materialized views too, once modelled) and sequences.
    pub relations: BTreeSet<QualifiedName>,
    /// Columns of those relations it may name (`(relation, column)`).
    pub columns: BTreeSet<(QualifiedName, String)>,
    /// Functions and procedures it calls, by name (any signature).
    pub functions: BTreeSet<QualifiedName>,
    /// Enum, domain and composite types it names.
    pub types: BTreeSet<QualifiedName>,
}

/// One name as written: its parts, folded as PostgreSQL folds them (unquoted
/// parts lower-cased), and whether a `(` follows it (a call).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionedName {
    /// `["s", "t"]` for `s.t`, `["t"]` for `t`.
    pub parts: Vec<String>,
    /// True when the name is followed by `(`.
    pub is_call: bool,
}

/// Every (possibly qualified) name in `sql`, in order; strings, numbers and
/// comments are skipped, and so is the inside of dollar-quoted strings (a
/// caller that wants a body's names passes the body itself). Text the
/// tokenizer cannot read gives no names.
pub fn mentioned_names(sql: &str) -> Vec<MentionedName> {
    let dialect = sqlparser::dialect::PostgreSqlDialect {};
    let Ok(tokens) = Tokenizer::new(&dialect, sql).tokenize() else {
        return Vec::new();
    };
    let tokens: Vec<&Token> = tokens
        .iter()
        .filter(|t| {
            !matches!(
                t,
                Token::Whitespace(
                    Whitespace::Space
                        | Whitespace::Tab
                        | Whitespace::Newline
                        | Whitespace::SingleLineComment { .. }
                        | Whitespace::MultiLineComment(_)
                )
            )
        })
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let Token::Word(w) = tokens[i] else {
            i += 1;
            continue;
        };
        let fold = |w: &sqlparser::tokenizer::Word| {
            if w.quote_style.is_some() {
                w.value.clone()
            } else {
                w.value.to_ascii_lowercase()
            }
        };
        let mut parts = vec![fold(w)];
        let mut j = i + 1;
        while parts.len() < 3
            && matches!(tokens.get(j), Some(Token::Period))
            && matches!(tokens.get(j + 1), Some(Token::Word(_)))
        {
            if let Some(Token::Word(next)) = tokens.get(j + 1) {
                parts.push(fold(next));
            }
            j += 2;
        }
        let is_call = matches!(tokens.get(j), Some(Token::LParen));
        out.push(MentionedName { parts, is_call });
        i = j;
    }
    out
}

impl Reads {
    /// The objects of `schema` that the names in `sql` can refer to.
    pub fn of_sql(sql: &str, schema: &Schema) -> Reads {
        Self::resolve(&mentioned_names(sql), schema)
    }

    /// The objects of `schema` that `names` can refer to: a one-part name
    /// looked up in `public`, a two-part name as `schema.object`, and the last
    /// part (or the last but one, for `t.c`) as a column of a relation read.
    pub fn resolve(names: &[MentionedName], schema: &Schema) -> Reads {
        let mut out = Reads::default();
        let mut words = BTreeSet::new();
        for n in names {
            let key = match n.parts.as_slice() {
                [name] => QualifiedName::new(DEFAULT_SCHEMA, name.clone()),
                [s, name] | [_, s, name] => QualifiedName::new(s.clone(), name.clone()),
                _ => continue,
            };
            if n.is_call {
                out.functions.insert(key);
                continue;
            }
            for part in &n.parts {
                words.insert(part.clone());
            }
            // `t.c`: the relation `public.t` too.
            if let [t, _] = n.parts.as_slice() {
                let rel = QualifiedName::new(DEFAULT_SCHEMA, t.clone());
                if schema.tables.contains_key(&rel) || schema.sequences.contains_key(&rel) {
                    out.relations.insert(rel);
                }
            }
            if schema.tables.contains_key(&key) || schema.sequences.contains_key(&key) {
                out.relations.insert(key.clone());
            }
            if schema.enums.contains_key(&key)
                || schema.domains.contains_key(&key)
                || schema.composites.contains_key(&key)
            {
                out.types.insert(key);
            }
        }
        for rel in &out.relations {
            if let Some(t) = schema.tables.get(rel) {
                for c in &t.columns {
                    if words.contains(&c.name) {
                        out.columns.insert((rel.clone(), c.name.clone()));
                    }
                }
            }
        }
        out
    }

    /// Adds everything `other` reads.
    pub fn extend(&mut self, other: Reads) {
        self.relations.extend(other.relations);
        self.columns.extend(other.columns);
        self.functions.extend(other.functions);
        self.types.extend(other.types);
    }

    /// True when nothing is read.
    pub fn is_empty(&self) -> bool {
        self.relations.is_empty()
            && self.columns.is_empty()
            && self.functions.is_empty()
            && self.types.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_folded_qualified_and_calls_marked() {
        let names = mentioned_names(
            "SELECT u.id, \"Mixed\".x -- users\n FROM app.Users u WHERE f(1) AND 'orders' = s.g (2)",
        );
        let shown: Vec<(String, bool)> = names
            .iter()
            .map(|n| (n.parts.join("."), n.is_call))
            .collect();
        assert!(shown.contains(&("u.id".into(), false)), "{shown:?}");
        assert!(shown.contains(&("Mixed.x".into(), false)), "{shown:?}");
        assert!(shown.contains(&("app.users".into(), false)), "{shown:?}");
        assert!(shown.contains(&("f".into(), true)), "{shown:?}");
        assert!(shown.contains(&("s.g".into(), true)), "{shown:?}");
        assert!(!shown.iter().any(|(n, _)| n == "orders"), "{shown:?}");
    }
}
