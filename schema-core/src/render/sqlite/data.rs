//! Data statements of a migration (`INSERT`, `UPDATE`, `DELETE`) on SQLite:
//! carried verbatim when SQLite runs them as PostgreSQL does, else refused with
//! the place of the first thing SQLite lacks and how to write it portably.
//!
//! The check reads the statement's tokens (as PostgreSQL's grammar splits them)
//! for what is PostgreSQL's own: `::` casts, `E'...'` and dollar-quoted
//! strings, typed constants (`DATE '...'`), PostgreSQL operators (regular
//! expressions, `@>`, `?`, `&&`, array subscripts, ...), `ILIKE`, `SIMILAR TO`,
//! `ARRAY`, `INTERVAL`, `AT TIME ZONE`, `ONLY`, `DEFAULT` as a value,
//! `TRUNCATE`, `DELETE ... USING`, schema-qualified names, and calls of
//! functions SQLite does not have ([`SQLITE_FUNCTIONS`]); then the statement
//! must parse with sqlparser's SQLite dialect. `RETURNING`, `ON CONFLICT`,
//! `UPDATE ... FROM`, `->` and `->>` are SQLite's too.

use sqlparser::dialect::{PostgreSqlDialect, SQLiteDialect};
use sqlparser::keywords::Keyword;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

/// Functions a data statement may call on SQLite: its core, date and time,
/// aggregate, window and JSON functions.
pub(crate) const SQLITE_FUNCTIONS: &[&str] = &[
    "abs",
    "avg",
    "changes",
    "char",
    "coalesce",
    "concat",
    "concat_ws",
    "count",
    "cume_dist",
    "date",
    "datetime",
    "dense_rank",
    "first_value",
    "format",
    "glob",
    "group_concat",
    "hex",
    "ifnull",
    "iif",
    "instr",
    "json",
    "json_array",
    "json_array_length",
    "json_extract",
    "json_group_array",
    "json_group_object",
    "json_insert",
    "json_object",
    "json_patch",
    "json_quote",
    "json_remove",
    "json_replace",
    "json_set",
    "json_type",
    "json_valid",
    "julianday",
    "lag",
    "last_insert_rowid",
    "last_value",
    "lead",
    "length",
    "like",
    "lower",
    "ltrim",
    "max",
    "min",
    "nth_value",
    "ntile",
    "nullif",
    "percent_rank",
    "printf",
    "quote",
    "random",
    "randomblob",
    "rank",
    "replace",
    "round",
    "row_number",
    "rtrim",
    "sign",
    "strftime",
    "string_agg",
    "substr",
    "substring",
    "sum",
    "time",
    "total",
    "total_changes",
    "trim",
    "typeof",
    "unhex",
    "unicode",
    "unixepoch",
    "upper",
    "zeroblob",
];

/// Words that, before `(`, are syntax rather than a function's name.
const NOT_CALLS: &[&str] = &[
    "all",
    "and",
    "any",
    "as",
    "between",
    "by",
    "case",
    "cast",
    "conflict",
    "distinct",
    "do",
    "else",
    "end",
    "escape",
    "except",
    "exists",
    "filter",
    "from",
    "glob",
    "having",
    "in",
    "intersect",
    "into",
    "is",
    "join",
    "key",
    "like",
    "limit",
    "not",
    "offset",
    "on",
    "or",
    "over",
    "partition",
    "recursive",
    "returning",
    "select",
    "set",
    "some",
    "table",
    "then",
    "union",
    "update",
    "using",
    "values",
    "when",
    "where",
    "window",
    "with",
];

/// Type names that, before a string, make a PostgreSQL typed constant.
const TYPED_CONSTANTS: &[&str] = &[
    "bigint",
    "bit",
    "bool",
    "boolean",
    "bytea",
    "char",
    "cidr",
    "date",
    "decimal",
    "float",
    "inet",
    "int",
    "integer",
    "interval",
    "json",
    "jsonb",
    "macaddr",
    "money",
    "numeric",
    "real",
    "smallint",
    "text",
    "time",
    "timestamp",
    "timestamptz",
    "timetz",
    "uuid",
    "varchar",
    "xml",
];

/// Why SQLite cannot run a data statement as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Line of the offending token within the statement's text (1-based).
    pub line: u32,
    /// Its column (1-based, in characters).
    pub column: u32,
    /// What SQLite lacks, e.g. "`::` casts are PostgreSQL's".
    pub what: String,
    /// How to write it portably.
    pub help: String,
}

fn refuse(t: &TokenWithSpan, what: impl Into<String>, help: impl Into<String>) -> Refusal {
    Refusal {
        line: u32::try_from(t.span.start.line).unwrap_or(1).max(1),
        column: u32::try_from(t.span.start.column).unwrap_or(1).max(1),
        what: what.into(),
        help: help.into(),
    }
}

fn word(t: &TokenWithSpan) -> Option<String> {
    match &t.token {
        Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_lowercase()),
        _ => None,
    }
}

/// A word's name as a function or table: folded unless quoted.
fn name(t: &TokenWithSpan) -> Option<String> {
    match &t.token {
        Token::Word(w) if w.quote_style.is_some() => Some(w.value.clone()),
        _ => word(t),
    }
}

/// The operators PostgreSQL has and SQLite does not (or reads otherwise).
fn postgres_operator(t: &Token) -> bool {
    use Token as T;
    matches!(
        t,
        T::Tilde
            | T::TildeAsterisk
            | T::ExclamationMarkTilde
            | T::ExclamationMarkTildeAsterisk
            | T::DoubleTilde
            | T::DoubleTildeAsterisk
            | T::ExclamationMarkDoubleTilde
            | T::ExclamationMarkDoubleTildeAsterisk
            | T::Overlap
            | T::ExclamationMark
            | T::DoubleExclamationMark
            | T::AtSign
            | T::CaretAt
            | T::PGSquareRoot
            | T::PGCubeRoot
            | T::HashArrow
            | T::HashLongArrow
            | T::HashMinus
            | T::AtDashAt
            | T::AtArrow
            | T::ArrowAt
            | T::AtQuestion
            | T::AtAt
            | T::Question
            | T::QuestionAnd
            | T::QuestionPipe
            | T::QuestionMarkDash
            | T::QuestionMarkSharp
            | T::QuestionMarkDashVerticalBar
            | T::QuestionMarkDoubleVerticalBar
            | T::Sharp
            | T::LBracket
            | T::TildeEqual
            | T::TwoWayArrow
            | T::CustomBinaryOperator(_)
    )
}

/// Checks that SQLite runs the data statement `text` (PostgreSQL, without its
/// `;`) as PostgreSQL does.
///
/// # Errors
/// The first thing SQLite lacks, located in `text`.
pub fn check(text: &str) -> Result<(), Refusal> {
    let tokens: Vec<TokenWithSpan> = Tokenizer::new(&PostgreSqlDialect {}, text)
        .tokenize_with_location()
        .map_err(|e| Refusal {
            line: u32::try_from(e.location.line).unwrap_or(1).max(1),
            column: u32::try_from(e.location.column).unwrap_or(1).max(1),
            what: e.message,
            help: "write the statement in SQL both PostgreSQL and SQLite read".to_string(),
        })?
        .into_iter()
        .filter(|t| !matches!(t.token, Token::Whitespace(_)))
        .collect();
    let first = tokens.first().and_then(word);
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|p| tokens.get(p));
        let next = tokens.get(i + 1);
        match &t.token {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            Token::DoubleColon => {
                return Err(refuse(
                    t,
                    "`::` casts are PostgreSQL's",
                    "write `CAST(<value> AS <type>)`, which both read",
                ));
            }
            Token::EscapedStringLiteral(_)
            | Token::UnicodeStringLiteral(_)
            | Token::DollarQuotedString(_)
            | Token::NationalStringLiteral(_) => {
                return Err(refuse(
                    t,
                    format!("the string `{}` is PostgreSQL's", t.token),
                    "write a plain `'...'` string (a quote doubled as `''`)",
                ));
            }
            other if postgres_operator(other) => {
                return Err(refuse(
                    t,
                    format!("operator `{other}` is PostgreSQL's"),
                    "write the condition with operators both have (`=`, `<`, `LIKE`, `IN`, `IS NULL`, `||`, ...)",
                ));
            }
            Token::Word(w) => {
                let lower = w.value.to_ascii_lowercase();
                let bare = w.quote_style.is_none();
                if bare && i == 0 && lower == "truncate" {
                    return Err(refuse(
                        t,
                        "SQLite has no `TRUNCATE`",
                        "write `DELETE FROM <table>`",
                    ));
                }
                if bare
                    && matches!(
                        w.keyword,
                        Keyword::ILIKE
                            | Keyword::SIMILAR
                            | Keyword::ARRAY
                            | Keyword::ONLY
                            | Keyword::LATERAL
                    )
                {
                    return Err(refuse(
                        t,
                        format!("`{}` is PostgreSQL's", w.value.to_ascii_uppercase()),
                        "write the statement with what SQLite has too (`LIKE`, `IN (...)`, a plain table name)",
                    ));
                }
                if bare && lower == "at" && next.and_then(word).as_deref() == Some("time") {
                    return Err(refuse(
                        t,
                        "`AT TIME ZONE` is PostgreSQL's",
                        "write the time in UTC, as a string",
                    ));
                }
                if bare && lower == "default" && next.and_then(word).as_deref() != Some("values") {
                    return Err(refuse(
                        t,
                        "SQLite has no `DEFAULT` as a value",
                        "leave the column out of the statement so it takes its default",
                    ));
                }
                if bare && lower == "using" && depth == 0 && first.as_deref() == Some("delete") {
                    return Err(refuse(
                        t,
                        "SQLite has no `DELETE ... USING`",
                        "write `DELETE FROM <table> WHERE <key> IN (SELECT ...)`",
                    ));
                }
                if bare
                    && TYPED_CONSTANTS.contains(&lower.as_str())
                    && matches!(next.map(|n| &n.token), Some(Token::SingleQuotedString(_)))
                {
                    return Err(refuse(
                        t,
                        format!(
                            "the typed constant `{} '...'` is PostgreSQL's",
                            w.value.to_ascii_uppercase()
                        ),
                        "write the string alone (`'...'`): the column's type gives its meaning",
                    ));
                }
                if matches!(next.map(|n| &n.token), Some(Token::Period)) {
                    let qualified_table = prev.and_then(word).is_some_and(|p| {
                        ["into", "update", "from", "join", "table"].contains(&p.as_str())
                    });
                    if qualified_table || name(t).as_deref() == Some("public") {
                        return Err(refuse(
                            t,
                            format!("SQLite has no schemas: `{}.` names one", w.value),
                            "write the table's name alone",
                        ));
                    }
                }
                if matches!(next.map(|n| &n.token), Some(Token::LParen)) {
                    check_call(t, &lower, prev)?;
                }
            }
            _ => {}
        }
    }
    Parser::new(&SQLiteDialect {})
        .try_with_sql(text)
        .and_then(|mut p| p.parse_statements())
        .map(drop)
        .map_err(|e| Refusal {
            line: 1,
            column: 1,
            what: format!("SQLite's grammar does not read it: {e}"),
            help: "write the statement in SQL both PostgreSQL and SQLite read".to_string(),
        })
}

/// `t` is a word before `(`: a call must be of a function SQLite has.
fn check_call(t: &TokenWithSpan, lower: &str, prev: Option<&TokenWithSpan>) -> Result<(), Refusal> {
    let after_syntax = prev.and_then(word).is_some_and(|p| {
        ["into", "update", "table", "as", "with", "join", "from"].contains(&p.as_str())
    });
    let qualified = matches!(prev.map(|p| &p.token), Some(Token::Period));
    let is_word = matches!(&t.token, Token::Word(w) if w.quote_style.is_none());
    if after_syntax || (is_word && NOT_CALLS.contains(&lower)) {
        return Ok(());
    }
    let shown = name(t).unwrap_or_default();
    if qualified {
        return Err(refuse(
            t,
            format!("the qualified call of `{shown}` is PostgreSQL's"),
            "call the function by its name alone, if SQLite has it",
        ));
    }
    if SQLITE_FUNCTIONS.contains(&lower) {
        return Ok(());
    }
    let hint = match lower {
        "now" | "current_timestamp" | "localtimestamp" | "transaction_timestamp" => {
            "use `CURRENT_TIMESTAMP` (no parentheses), which both have"
        }
        "gen_random_uuid" | "uuid_generate_v4" => "write the values as constants",
        _ => "compute the value in a constant, or with the functions both have",
    };
    Err(refuse(
        t,
        format!("function `{shown}` does not exist in SQLite"),
        hint,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portable_statements_pass() {
        for sql in [
            "INSERT INTO users (id, name) VALUES (1, 'a::b'), (2, 'O''Brien')",
            "INSERT INTO t DEFAULT VALUES",
            "INSERT INTO t (a) SELECT lower(name) FROM u WHERE id IN (1, 2) RETURNING a",
            "INSERT INTO t (a, b) VALUES (1, 2) ON CONFLICT (a) DO UPDATE SET b = excluded.b",
            "UPDATE t SET a = CAST(b AS integer), c = coalesce(c, 'x') WHERE \"Weird\" LIKE 'x%'",
            "UPDATE t SET at = CURRENT_TIMESTAMP WHERE EXISTS (SELECT 1 FROM u WHERE u.id = t.id)",
            "DELETE FROM t WHERE a NOT IN (SELECT a FROM u) AND b IS NOT NULL",
            "WITH x AS (SELECT 1 AS a) INSERT INTO t (a) SELECT a FROM x",
            "UPDATE t SET flag = true, n = n + 1, j = j ->> '$.a'",
        ] {
            assert_eq!(check(sql), Ok(()), "{sql}");
        }
    }

    #[test]
    fn postgresql_only_syntax_is_refused_where_it_is() {
        for (sql, what, column) in [
            ("UPDATE t SET a = b::int", "`::` casts", 19),
            ("INSERT INTO t VALUES (E'a\\n')", "the string", 23),
            ("INSERT INTO t VALUES (now())", "function `now`", 23),
            (
                "INSERT INTO t (a) SELECT pg_backend_pid()",
                "function `pg_backend_pid`",
                26,
            ),
            (
                "INSERT INTO public.t VALUES (1)",
                "SQLite has no schemas",
                13,
            ),
            (
                "DELETE FROM t USING u WHERE t.a = u.a",
                "`DELETE ... USING`",
                15,
            ),
            ("TRUNCATE t", "`TRUNCATE`", 1),
            ("UPDATE t SET a = DEFAULT", "`DEFAULT` as a value", 18),
            (
                "INSERT INTO t VALUES (DATE '2024-01-01')",
                "typed constant",
                23,
            ),
            ("DELETE FROM t WHERE a ~ 'x'", "operator `~`", 23),
            ("UPDATE t SET a = b[1]", "operator `[`", 19),
            ("DELETE FROM t WHERE a ILIKE 'x'", "`ILIKE`", 23),
            ("UPDATE t SET a = pg_catalog.lower(b)", "qualified call", 29),
        ] {
            let r = check(sql)
                .err()
                .unwrap_or_else(|| panic!("accepted: {sql}"));
            assert!(r.what.contains(what), "{sql}: {r:?}");
            assert_eq!((r.line, r.column), (1, column), "{sql}: {r:?}");
            assert!(!r.help.is_empty());
        }
    }
}
