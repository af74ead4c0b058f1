//! Random `schema.sql` texts for the fidelity property test: one table whose
//! column `x` has a default of a random type (string, numeric, boolean, typed
//! and enum constants in their various spellings, or chains of `||`, `+`, `-`,
//! `AND`, `OR` up to depth 6), and a CHECK that chains predicates on the other
//! columns with `AND`, `OR` and `NOT`, with the parentheses the tree needs
//! and, at random, some it does not.
//!
//! Every text is valid PostgreSQL: constants fit their column's type.
//!
//! [`schema_strategy`] takes whole schemas from the diff property test's
//! generator (`schema_test_support::schemagen`): tables with keys, checks,
//! foreign keys, indexes with operator classes, collations and storage
//! parameters, exclusion constraints, domains, composite types, partitioned
//! tables, `UNLOGGED`, row level security, `NOT VALID` constraints, views,
//! materialized views, a SQL function they and a check call, and
//! comments.

use std::fmt;

use proptest::prelude::*;
use schema_test_support::schemagen::schema_pair_strategy;

/// One generated `schema.sql`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Case {
    /// Its text.
    pub(crate) sql: String,
}

impl fmt::Debug for Case {
    /// The text as it is, so a failing case reads like a file.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\n--- schema.sql ---\n{}\n--- end ---\n", self.sql)
    }
}

/// Characters chosen to make strings that look like numbers, booleans,
/// arrays, escapes or quotes.
const STRING_CHARS: &[char] = &[
    '0', '1', '7', '.', 'e', 'E', '-', '+', ' ', '\'', '\\', 'a', 't', 'x', 'é', '✓', '$', '"',
    '{', '}', '\n', ',',
];

/// Whole strings that are worth hitting often.
const STRING_WORDS: &[&str] = &[
    "", "007", "1e3", ".5", "-0", "00001", "0", "true", "f", "NULL", "{}", "[]", "it's", "a\\b",
    "0x1F", "1,5", " 1 ",
];

fn string_body() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(STRING_WORDS).prop_map(str::to_string),
        prop::collection::vec(prop::sample::select(STRING_CHARS), 0..8)
            .prop_map(|v| v.into_iter().collect::<String>()),
    ]
}

/// `body` as a string constant in one of PostgreSQL's spellings: plain,
/// `E''` escapes, dollar-quoted, `U&''` escapes, or with a `::text` cast.
fn spell_string(body: &str, style: u8) -> String {
    match style % 5 {
        1 => {
            let mut out = String::from("E'");
            for c in body.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\'' => out.push_str("\\'"),
                    '\n' => out.push_str("\\n"),
                    c => out.push(c),
                }
            }
            out.push('\'');
            out
        }
        2 if !body.contains('$') => format!("$${body}$$"),
        3 => {
            let mut out = String::from("U&'");
            for c in body.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\'' => out.push_str("''"),
                    c if c.is_ascii() => out.push(c),
                    c => out.push_str(&format!("\\{:04X}", u32::from(c))),
                }
            }
            out.push('\'');
            out
        }
        4 => format!("'{}'::text", body.replace('\'', "''")),
        _ => format!("'{}'", body.replace('\'', "''")),
    }
}

/// A string constant, spelled at random.
fn string_constant() -> impl Strategy<Value = String> {
    (string_body(), any::<u8>()).prop_map(|(body, style)| spell_string(&body, style))
}

/// A string constant without a cast, for a column of another string type.
fn bare_string_constant() -> impl Strategy<Value = String> {
    (string_body(), 0u8..4).prop_map(|(body, style)| spell_string(&body, style))
}

/// An integer constant that fits `integer`, negative ones with a unary minus.
fn int_constant() -> impl Strategy<Value = String> {
    prop_oneof![
        (0i32..1000).prop_map(|n| n.to_string()),
        any::<i32>().prop_map(|n| n.to_string()),
    ]
}

/// A numeric constant in one of its spellings: integer, decimal with trailing
/// zeros, leading or trailing dot, exponent, negative.
fn numeric_constant() -> impl Strategy<Value = String> {
    (0u32..100_000, 0u32..1000, -12i32..12, any::<bool>(), 0u8..6).prop_map(
        |(int, frac, exp, negative, style)| {
            let text = match style {
                0 => int.to_string(),
                1 => format!("{int}.{frac:03}"),
                2 => format!(".{frac}"),
                3 => format!("{int}."),
                4 => format!("{int}e{exp}"),
                _ => format!("{}.{frac}E{exp}", int % 10),
            };
            if negative { format!("-{text}") } else { text }
        },
    )
}

/// A binary tree of `leaf`s joined by one of `ops`, up to depth 6. A right
/// operand that is itself a chain is parenthesised (the tree is what the
/// user wrote); a left one is, at random, too (redundant parentheses).
fn chain(
    leaf: impl Strategy<Value = String> + 'static,
    ops: &'static [&'static str],
) -> impl Strategy<Value = String> {
    let leaf = leaf.prop_map(|text| (text, false));
    leaf.prop_recursive(6, 32, 2, move |inner| {
        (
            inner.clone(),
            prop::sample::select(ops),
            inner,
            any::<bool>(),
        )
            .prop_map(|((l, l_chain), op, (r, r_chain), extra)| {
                let l = if l_chain && extra {
                    format!("({l})")
                } else {
                    l
                };
                let r = if r_chain { format!("({r})") } else { r };
                (format!("{l} {op} {r}"), true)
            })
    })
    .prop_map(|(text, _)| text)
}

/// A date constant that exists in every year.
fn date() -> impl Strategy<Value = String> {
    (1u32..=9999, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

fn time() -> impl Strategy<Value = String> {
    (0u32..24, 0u32..60, 0u32..60).prop_map(|(h, m, s)| format!("{h:02}:{m:02}:{s:02}"))
}

/// A column type and a default of that type.
fn column_default() -> BoxedStrategy<(String, String, Option<String>)> {
    let plain = |ty: &'static str, default: BoxedStrategy<String>| {
        default.prop_map(move |d| (ty.to_string(), d, None)).boxed()
    };
    prop_oneof![
        plain("text", chain(string_constant(), &["||"]).boxed()),
        plain("character varying(60)", bare_string_constant().boxed()),
        plain("character(10)", bare_string_constant().boxed()),
        plain("integer", chain(int_constant(), &["+", "-"]).boxed()),
        plain(
            "bigint",
            prop_oneof![
                any::<i64>().prop_map(|n| n.to_string()),
                int_constant().prop_map(|n| format!("{n}::bigint")),
            ]
            .boxed()
        ),
        plain(
            "numeric",
            chain(numeric_constant(), &["+", "-", "*"]).boxed()
        ),
        plain(
            "double precision",
            prop_oneof![
                numeric_constant(),
                Just("'NaN'".to_string()),
                Just("'-Infinity'".to_string()),
            ]
            .boxed()
        ),
        plain(
            "boolean",
            chain(
                prop::sample::select(&["true", "false", "NOT true", "'t'", "'off'"][..])
                    .prop_map(str::to_string),
                &["AND", "OR"],
            )
            // DEFAULT takes no bare AND, OR or NOT (PostgreSQL's `b_expr`).
            .prop_map(|e| format!("({e})"))
            .boxed()
        ),
        plain(
            "date",
            (date(), 0u8..3)
                .prop_map(|(d, style)| match style {
                    0 => format!("DATE '{d}'"),
                    1 => format!("'{d}'::date"),
                    _ => format!("'{d}'"),
                })
                .boxed()
        ),
        plain(
            "timestamp without time zone",
            (date(), time(), any::<bool>())
                .prop_map(|(d, t, typed)| if typed {
                    format!("TIMESTAMP '{d} {t}'")
                } else {
                    format!("'{d} {t}'")
                })
                .boxed()
        ),
        plain(
            "timestamp with time zone",
            prop_oneof![
                date().prop_map(|d| format!("'{d}'")),
                (
                    1u32..500,
                    prop::sample::select(&["minutes", "hours", "days"][..])
                )
                    .prop_map(|(n, unit)| format!("now() + interval '{n} {unit}'")),
                Just("(now() AT TIME ZONE 'utc')::timestamp with time zone".to_string()),
            ]
            .boxed()
        ),
        plain(
            "interval",
            (
                1u32..500,
                prop::sample::select(&["minutes", "hours", "days", "mons"][..]),
                any::<bool>()
            )
                .prop_map(|(n, unit, typed)| if typed {
                    format!("interval '{n} {unit}'")
                } else {
                    format!("'{n} {unit}'")
                })
                .boxed()
        ),
        plain(
            "bit(8)",
            (any::<u8>(), any::<bool>())
                .prop_map(|(n, hex)| if hex {
                    format!("X'{n:02X}'")
                } else {
                    format!("B'{n:08b}'")
                })
                .boxed()
        ),
        // An enum whose labels are random strings; the default is one of them.
        (
            prop::collection::btree_set(string_body(), 1..4),
            any::<prop::sample::Index>(),
            any::<bool>()
        )
            .prop_map(|(labels, pick, cast)| {
                let labels: Vec<String> = labels.into_iter().collect();
                let label = pick.get(&labels).replace('\'', "''");
                let list: Vec<String> = labels
                    .iter()
                    .map(|l| format!("'{}'", l.replace('\'', "''")))
                    .collect();
                let default = if cast {
                    format!("'{label}'::e")
                } else {
                    format!("'{label}'")
                };
                (
                    "e".to_string(),
                    default,
                    Some(format!("CREATE TYPE e AS ENUM ({});", list.join(", "))),
                )
            })
            .boxed(),
    ]
    .boxed()
}

/// A predicate on the columns `a integer`, `b text`, `n numeric`, `d boolean`.
fn predicate() -> impl Strategy<Value = String> {
    let compare = prop::sample::select(&["=", "<>", "<", "<=", ">", ">="][..]);
    prop_oneof![
        (compare.clone(), int_constant()).prop_map(|(op, v)| format!("a {op} {v}")),
        (int_constant(), compare.clone(), int_constant())
            .prop_map(|(k, op, v)| format!("a + {k} {op} {v}")),
        (compare.clone(), string_constant()).prop_map(|(op, v)| format!("b {op} {v}")),
        (string_constant(), string_constant()).prop_map(|(s, v)| format!("b || {s} <> {v}")),
        (string_constant(), string_constant()).prop_map(|(s, v)| format!("b IN ({s}, {v})")),
        string_constant().prop_map(|s| format!("b LIKE {s}")),
        (compare, numeric_constant()).prop_map(|(op, v)| format!("n {op} {v}")),
        Just("d".to_string()),
        Just("NOT d".to_string()),
        Just("a IS NOT NULL".to_string()),
        Just("b IS DISTINCT FROM 'x'".to_string()),
    ]
}

/// A boolean tree of predicates with `AND`, `OR` and `NOT`, up to depth 6.
fn check_expression() -> impl Strategy<Value = String> {
    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Top {
        Leaf,
        And,
        Or,
        Not,
    }
    let leaf = predicate().prop_map(|p| (p, Top::Leaf));
    leaf.prop_recursive(6, 32, 2, |inner| {
        prop_oneof![
            (inner.clone(), any::<bool>(), inner.clone(), any::<bool>()).prop_map(
                |((l, lt), and, (r, rt), extra)| {
                    let top = if and { Top::And } else { Top::Or };
                    // The left operand needs parentheses when it binds more
                    // loosely (OR under AND); the right one whenever it is a
                    // chain, to keep the tree; some are added for nothing.
                    let l = if (and && lt == Top::Or) || (extra && lt != Top::Leaf) {
                        format!("({l})")
                    } else {
                        l
                    };
                    let r = if matches!(rt, Top::And | Top::Or) || (extra && rt == Top::Not) {
                        format!("({r})")
                    } else {
                        r
                    };
                    (format!("{l} {} {r}", if and { "AND" } else { "OR" }), top)
                }
            ),
            inner.prop_map(|(e, _)| (format!("NOT ({e})"), Top::Not)),
        ]
    })
    .prop_map(|(e, _)| e)
}

/// A random `schema.sql`: see the module documentation.
pub(crate) fn case_strategy() -> impl Strategy<Value = Case> {
    (column_default(), check_expression()).prop_map(|((ty, default, before), check)| {
        let mut sql = before.map(|b| b + "\n").unwrap_or_default();
        sql.push_str(&format!(
            "CREATE TABLE t (\n    id integer PRIMARY KEY,\n    a integer,\n    b text,\n    n numeric,\n    d boolean,\n    x {ty} DEFAULT {default},\n    CHECK ({check})\n);"
        ));
        Case { sql }
    })
}

/// A random schema of the diff property test's generator (its `from.sql`):
/// see the module documentation.
pub(crate) fn schema_strategy() -> impl Strategy<Value = Case> {
    schema_pair_strategy().prop_map(|pair| Case { sql: pair.from_sql })
}
