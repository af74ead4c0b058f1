//! Unquoted reserved key words as names: PostgreSQL refuses them, so `check`
//! must too (rather than pass and fail at `up`), and quoting them must work in
//! both. The word list is PostgreSQL's own (`pg_get_keywords()`), and every
//! claim is checked on the server: each word, unquoted, fails there as a table
//! name and as a column name, and each quoted form succeeds.

#![allow(clippy::panic, reason = "a test reports failure by panicking")]

use schema_core::diagnostic::{codes, render_all};
use schema_core::parse::keywords::{is_reserved, reserved_words};
use schema_core::parse::parse_schema_str;
use schema_test_support::pg;

fn words() -> Vec<&'static str> {
    reserved_words().collect()
}

/// The statements of one word: (sql, PostgreSQL accepts it, column of the word
/// when refused).
fn cases(word: &str) -> Vec<(String, bool, usize)> {
    vec![
        (format!("CREATE TABLE {word} (a integer);"), false, 14),
        (
            format!("CREATE TABLE t (a integer, {word} integer);"),
            false,
            28,
        ),
        (
            format!("CREATE TABLE t (a integer, CONSTRAINT {word} CHECK (a > 0));"),
            false,
            39,
        ),
        (
            format!("CREATE TABLE \"{word}\" (\"{word}\" integer);"),
            true,
            0,
        ),
        (format!("CREATE TABLE public.{word} (a integer);"), true, 0),
    ]
}

#[test]
fn our_parser_refuses_each_unquoted_reserved_word_as_a_name() {
    let mut failures = Vec::new();
    let mut by_sqlparser = Vec::new();
    for word in words() {
        assert!(is_reserved(word));
        for (sql, accepted, column) in cases(word) {
            match (parse_schema_str("schema.sql", &sql), accepted) {
                (Ok(_), true) => {}
                (Err(d), false)
                    if d.len() == 1
                        && d[0].code == codes::SYNTAX
                        && d[0]
                            .message
                            .contains(&format!("`{word}` is a reserved word"))
                        && d[0]
                            .help
                            .as_deref()
                            .is_some_and(|h| h.contains(&format!("\"{word}\"")))
                        && d[0].location() == Some(format!("schema.sql:1:{column}")) => {}
                // sqlparser itself cannot read a few of them there (`check`,
                // `primary`, ...): a syntax error too, located by it.
                (Err(d), false)
                    if d.len() == 1 && d[0].code == codes::SYNTAX && d[0].origin.is_some() =>
                {
                    by_sqlparser.push(sql);
                }
                (Ok(_), false) => failures.push(format!("accepted: {sql}")),
                (Err(d), _) => failures.push(format!("{sql}\n{}", render_all(&d, false))),
            }
        }
    }
    assert!(!is_reserved("name") && !is_reserved("type") && !is_reserved("key"));
    assert!(words().len() > 90);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Most go through our own check (`user`, `order`, ... all do).
    assert!(by_sqlparser.len() < 30, "{}", by_sqlparser.join("\n"));
    for sql in [
        "CREATE TABLE user (a integer);",
        "CREATE TABLE t (a integer, order integer);",
    ] {
        assert!(!by_sqlparser.contains(&sql.to_string()), "{sql}");
    }
}

#[test]
fn postgres_agrees_with_the_list_and_with_each_refusal() {
    let Some(server) = pg::server() else {
        return;
    };
    let database = server.create_database("schema_reserved");
    let mut client = database.connect();
    let rows = match client.query(
        "SELECT word::text FROM pg_get_keywords() WHERE catcode IN ('R', 'T') ORDER BY 1",
        &[],
    ) {
        Ok(rows) => rows,
        Err(e) => panic!("cannot read pg_get_keywords(): {e}"),
    };
    let mut server_words: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    server_words.sort();
    let mut ours: Vec<String> = words().into_iter().map(String::from).collect();
    ours.sort();
    assert_eq!(
        ours, server_words,
        "the reserved words differ from the server's"
    );
    let mut failures = Vec::new();
    for word in words() {
        for (sql, accepted, _) in cases(word) {
            let outcome = client
                .batch_execute(&format!("BEGIN; {sql} ROLLBACK;"))
                .map_err(|e| e.as_db_error().map(|d| d.code().code().to_string()));
            let _ = client.batch_execute("ROLLBACK");
            match (outcome, accepted) {
                (Ok(()), true) => {}
                // 42601 syntax_error; `like` starts a `LIKE table` clause
                // there, so PostgreSQL looks for a table called `integer`.
                (Err(Some(code)), false) if code == "42601" || word == "like" => {}
                (other, _) => failures.push(format!("{sql}: {other:?}")),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
