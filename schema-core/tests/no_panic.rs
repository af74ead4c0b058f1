//! Mutated SQL never panics the engine, and every diagnostic it returns is well formed.
//!
//! Starting from real files (the demo `schema.sql`, the files under `migrations/`,
//! and the `.sql` fixtures under `tests/fixtures/`), each case applies a few
//! mutations (byte ranges deleted, inserted or replaced with SQL-ish tokens,
//! statements duplicated, truncation, quotes, parentheses, comments, `-- schema:`
//! directives, random Unicode) and feeds the result through `analyze_sources` as
//! schema.sql, as a migration's up.sql and as its down.sql. Every diagnostic must
//! have a message, and its origin (and related origins) a line of the file it
//! names. Rendering every diagnostic must not panic either.
//!
//! Bounded for the debug profile; `SCHEMA_PROPTEST_CASES=<n>` runs more.

#![allow(clippy::panic, clippy::expect_used)] // a failing test is the point

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use proptest::prelude::*;
use proptest::sample::Index;
use schema_core::analyze::analyze_sources;
use schema_core::diagnostic::{Diagnostic, Origin, Source, render_all};
use schema_core::migrations::MigrationFiles;

/// Cases when `SCHEMA_PROPTEST_CASES` is not set: a few seconds in the debug profile.
const DEFAULT_CASES: u32 = 1024;

fn cases() -> u32 {
    std::env::var("SCHEMA_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("schema-core sits in the workspace")
        .to_path_buf()
}

/// Every `.sql` file under `dir`, recursively, in name order.
fn sql_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            sql_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "sql") {
            out.push(path);
        }
    }
}

/// The seed texts: demo schema, demo migrations, fixtures.
fn seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let root = workspace_root();
        let mut paths = vec![root.join("schema.sql")];
        sql_files(&root.join("migrations"), &mut paths);
        sql_files(&root.join("tests/fixtures"), &mut paths);
        let texts: Vec<String> = paths
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .filter(|t| !t.trim().is_empty())
            .collect();
        assert!(
            !texts.is_empty(),
            "no seed SQL found under {}",
            root.display()
        );
        texts
    })
}

/// The down.sql paired with a mutated up.sql: valid, and harmless whatever up did.
fn probe_down() -> &'static str {
    "DROP TABLE IF EXISTS mutated_probe;\n"
}

/// Tokens that stress the tokenizer, the parser, the directive reader and apply.
const TOKENS: &[&str] = &[
    "'",
    "\"",
    "(",
    ")",
    ";",
    ",",
    ".",
    "::",
    "[",
    "]",
    "--",
    "/*",
    "*/",
    "/* nested /* comment */",
    "$$",
    "$body$",
    "E'\\'",
    "U&\"\\0041\"",
    "''",
    "\"\"",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\u{feff}",
    "\u{0}",
    "\n\\restrict abc\n",
    "\\connect db",
    "-- schema: allow(missing_primary_key)\n",
    "-- schema: allow(down_does_not_undo_up)\n",
    "-- schema: allow(empty_migration, unmigrated_object)\n",
    "-- schema: allow(\n",
    "-- schema: allow()\n",
    "-- schema: allow(nonsense)\n",
    "-- schema: renamed from old_name\n",
    "-- schema: renamed from \n",
    "-- schema: model = Thing\n",
    "-- schema: model = \n",
    "-- schema: no-transaction\n",
    "-- schema:\n",
    "-- schema: ???\n",
    "CREATE TABLE probe (id int PRIMARY KEY);",
    "CREATE TABLE ",
    "CREATE TABLE IF NOT EXISTS ",
    "CREATE UNIQUE INDEX ",
    "CREATE INDEX CONCURRENTLY ",
    "CREATE TYPE mood AS ENUM ('a', 'b');",
    "ALTER TYPE mood ADD VALUE 'c' BEFORE 'a';",
    "ALTER TYPE mood RENAME VALUE 'a' TO 'z';",
    "CREATE SEQUENCE s;",
    "ALTER SEQUENCE s OWNED BY ",
    "ALTER SEQUENCE ",
    "OWNED BY NONE",
    "CREATE VIEW v AS SELECT 1;",
    "CREATE SCHEMA ",
    "ALTER TABLE ",
    "ALTER TABLE ONLY ",
    "ADD COLUMN ",
    "DROP COLUMN ",
    "ALTER COLUMN ",
    " WITH (fillfactor = 70, toast.autovacuum_enabled = off)",
    " WITH (",
    "SET (fillfactor = ",
    "RESET (toast.",
    "ALTER INDEX probe_idx SET (fillfactor = 50);",
    "ALTER INDEX IF EXISTS probe_idx RESET (",
    " TYPE text COLLATE pg_catalog.\"C\"",
    " ALTER a TYPE varchar(3) COLLATE ",
    "SET DATA TYPE ",
    "SET NOT NULL",
    "DROP NOT NULL",
    "SET DEFAULT ",
    "DROP DEFAULT",
    "ADD CONSTRAINT ",
    "DROP CONSTRAINT ",
    "RENAME TO ",
    "RENAME COLUMN ",
    "RENAME CONSTRAINT ",
    "DROP TABLE ",
    "DROP INDEX ",
    "DROP TYPE ",
    "DROP SEQUENCE ",
    "IF EXISTS ",
    " CASCADE",
    "COMMENT ON TABLE ",
    "CREATE DOMAIN d AS integer ",
    "ALTER DOMAIN d ",
    "DROP DOMAIN ",
    "COMMENT ON DOMAIN ",
    " ADD CONSTRAINT c CHECK (VALUE > 0)",
    " DROP CONSTRAINT IF EXISTS ",
    " RENAME CONSTRAINT a TO ",
    " SET DEFAULT ",
    " SET NOT NULL",
    " NOT VALID",
    "VALUE",
    "CREATE TYPE p AS (a integer, b text)",
    "ALTER TYPE p ",
    " ADD ATTRIBUTE c integer",
    " DROP ATTRIBUTE IF EXISTS ",
    " ALTER ATTRIBUTE a SET DATA TYPE ",
    " RENAME ATTRIBUTE a TO ",
    "COMMENT ON COLUMN ",
    "COMMENT ON CONSTRAINT ",
    "COMMENT ON CONSTRAINT c ON ",
    "COMMENT ON INDEX ",
    " IS NULL",
    " NOT VALID",
    "VALIDATE CONSTRAINT ",
    " INCLUDE (",
    "EXCLUDE USING gist (",
    " WITH &&",
    " WITH OPERATOR(pg_catalog.=)",
    " IS NULL",
    " IS 'text'",
    "PRIMARY KEY",
    "PRIMARY KEY (",
    "UNIQUE",
    "UNIQUE NULLS NOT DISTINCT",
    "REFERENCES ",
    "FOREIGN KEY (",
    "ON DELETE CASCADE",
    "ON UPDATE SET NULL",
    "MATCH FULL",
    "DEFERRABLE INITIALLY DEFERRED",
    "CHECK (",
    "CHECK (x > 0)",
    "NOT NULL",
    "NULL",
    "DEFAULT ",
    "DEFAULT now()",
    "DEFAULT nextval('s'::regclass)",
    "GENERATED ALWAYS AS IDENTITY",
    "GENERATED BY DEFAULT AS IDENTITY",
    "GENERATED ALWAYS AS (a + 1) STORED",
    "COLLATE \"C\"",
    "USING gin (",
    "INCLUDE (",
    "WHERE ",
    "DESC NULLS LAST",
    "serial",
    "bigserial",
    "smallserial",
    "integer",
    "int[]",
    "int[][]",
    "varchar(",
    "varchar(0)",
    "varchar(99999999999)",
    "numeric(1000, -5)",
    "numeric(",
    "timestamp(7) with time zone",
    "interval day to second(3)",
    "bit varying(",
    "double precision",
    "character varying",
    "\"MixedCase\"",
    "\"with \"\"quotes\"\"\"",
    "public.",
    "other_schema.",
    "a.b.c.d.",
    "SELECT 1;",
    "SELECT pg_catalog.set_config('search_path', '', false);",
    "INSERT INTO t VALUES (1);",
    "BEGIN;",
    "COMMIT;",
    "SET client_encoding = 'UTF8';",
    "CREATE EXTENSION IF NOT EXISTS pgcrypto;",
    "GRANT ALL ON t TO u;",
    "DO $$ BEGIN END $$;",
    "-1",
    "1e309",
    "99999999999999999999999999",
    "0x",
    "B'101'",
    "X'ff'",
    "PARTITION BY RANGE (",
    "PARTITION BY LIST (lower(",
    "PARTITION BY HASH (a, ",
    "PARTITION OF t ",
    "FOR VALUES FROM (MINVALUE) TO (",
    "FOR VALUES IN (NULL, ",
    "FOR VALUES WITH (MODULUS 0, REMAINDER 5)",
    " DEFAULT;",
    "ALTER TABLE t ATTACH PARTITION t ",
    "ALTER TABLE ONLY t DETACH PARTITION ",
    "ON ONLY ",
    "ALTER INDEX i ATTACH PARTITION i;",
    "CREATE EXTENSION citext;",
    "citext[]",
    "ext.hstore",
];

/// A token: an SQL-ish one, a short random Unicode string, or any one character.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => proptest::sample::select(TOKENS).prop_map(str::to_string),
        2 => "\\PC{1,6}",
        1 => any::<char>().prop_map(String::from),
        1 => (1usize..60).prop_map(|n| "(".repeat(n)),
        1 => (60usize..140).prop_map(|n| "x".repeat(n)),
    ]
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete {
        at: Index,
        len: usize,
    },
    Insert {
        at: Index,
        token: String,
    },
    Replace {
        at: Index,
        len: usize,
        token: String,
    },
    DuplicateStatement {
        at: Index,
    },
    SwapStatements {
        a: Index,
        b: Index,
    },
    Truncate {
        at: Index,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<Index>(), 1usize..40).prop_map(|(at, len)| Mutation::Delete { at, len }),
        4 => (any::<Index>(), token()).prop_map(|(at, token)| Mutation::Insert { at, token }),
        4 => (any::<Index>(), 1usize..20, token())
            .prop_map(|(at, len, token)| Mutation::Replace { at, len, token }),
        1 => any::<Index>().prop_map(|at| Mutation::DuplicateStatement { at }),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapStatements { a, b }),
        1 => any::<Index>().prop_map(|at| Mutation::Truncate { at }),
    ]
}

/// The largest char boundary of `text` at or before `at`.
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Byte ranges of the `;`-terminated pieces of `text` (the last one may lack its `;`).
fn statements(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b';' {
            out.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

fn apply(text: &mut String, m: &Mutation) {
    let pos = |at: &Index, text: &str| floor_boundary(text, at.index(text.len() + 1));
    match m {
        Mutation::Delete { at, len } => {
            let start = pos(at, text);
            let end = floor_boundary(text, start + len);
            text.replace_range(start..end, "");
        }
        Mutation::Insert { at, token } => {
            let start = pos(at, text);
            text.insert_str(start, token);
        }
        Mutation::Replace { at, len, token } => {
            let start = pos(at, text);
            let end = floor_boundary(text, start + len);
            text.replace_range(start..end, token);
        }
        Mutation::DuplicateStatement { at } => {
            let pieces = statements(text);
            if pieces.is_empty() {
                return;
            }
            let (s, e) = pieces[at.index(pieces.len())];
            let copy = text[s..e].to_string();
            text.insert_str(e, &copy);
        }
        Mutation::SwapStatements { a, b } => {
            let pieces = statements(text);
            if pieces.len() < 2 {
                return;
            }
            let (i, j) = (a.index(pieces.len()), b.index(pieces.len()));
            let (first, second) = (i.min(j), i.max(j));
            if first == second {
                return;
            }
            let (s1, e1) = pieces[first];
            let (s2, e2) = pieces[second];
            let swapped = format!(
                "{}{}{}{}{}",
                &text[..s1],
                &text[s2..e2],
                &text[e1..s2],
                &text[s1..e1],
                &text[e2..]
            );
            *text = swapped;
        }
        Mutation::Truncate { at } => {
            let end = pos(at, text);
            text.truncate(end);
        }
    }
}

fn migration(up: &str, down: &str) -> MigrationFiles {
    let dir_name = "20240101000000_mutated".to_string();
    MigrationFiles {
        version: 20_240_101_000_000,
        version_text: "20240101000000".to_string(),
        slug: "mutated".to_string(),
        up: Source::new(format!("migrations/{dir_name}/up.sql"), up),
        down: Source::new(format!("migrations/{dir_name}/down.sql"), down),
        dir_name,
    }
}

/// The last line a diagnostic may point at in `text`.
///
/// `text.lines()` does not count the empty line after a final newline, but a
/// diagnostic about the end of the file ("unexpected EOF ...") points there, the
/// way sqlparser reports it (line = number of `\n` + 1). That one line is
/// tolerated; set `STRICT_LAST_LINE` to hold the engine to `text.lines()`.
fn last_line(text: &str) -> usize {
    if STRICT_LAST_LINE {
        text.lines().count().max(1)
    } else {
        text.split('\n').count()
    }
}

/// See [`last_line`].
const STRICT_LAST_LINE: bool = true;

fn check_origin(origin: &Origin, d: &Diagnostic) {
    let lines = last_line(&origin.source.text);
    assert!(
        origin.line >= 1 && origin.line as usize <= lines,
        "diagnostic `{}` points at line {} of `{}`, which has {lines} line(s):\n{}",
        d.message,
        origin.line,
        origin.source.path,
        d.render(false)
    );
    assert!(origin.column >= 1, "column 0 in `{}`", d.message);
}

fn check(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        assert!(!d.message.trim().is_empty(), "empty message: {d:?}");
        if let Some(origin) = &d.origin {
            check_origin(origin, d);
        }
        for (origin, _) in &d.related {
            check_origin(origin, d);
        }
    }
    // Rendering quotes lines and places carets: it must not panic either.
    let _ = render_all(diagnostics, false);
}

fn run(schema: &Arc<Source>, migrations: &[MigrationFiles]) {
    match analyze_sources(schema, migrations) {
        Ok(analysis) => check(&analysis.warnings),
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty(), "Err without a diagnostic");
            check(&diagnostics);
        }
    }
}

fn mutated() -> impl Strategy<Value = String> {
    (any::<Index>(), proptest::collection::vec(mutation(), 1..8)).prop_map(|(seed, mutations)| {
        let seeds = seeds();
        let mut text = seeds[seed.index(seeds.len())].clone();
        for m in &mutations {
            apply(&mut text, m);
        }
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        // Shrinking replays the whole pipeline many times; keep a failure's report quick.
        max_shrink_iters: 2_000,
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_sql_never_panics(text in mutated(), other in any::<Index>()) {
        let seeds = seeds();
        let partner = &seeds[other.index(seeds.len())];
        // As schema.sql, with no migrations.
        run(&Source::new("schema.sql", text.as_str()), &[]);
        // As a migration's up.sql, and as its down.sql, next to an intact file.
        let schema = Source::new("schema.sql", partner.as_str());
        run(&schema, &[migration(&text, probe_down())]);
        run(&schema, &[migration(partner, &text)]);
    }
}

/// The unmutated seeds go through the same checks (they must not panic either).
#[test]
fn seeds_never_panic() {
    for text in seeds() {
        run(&Source::new("schema.sql", text.as_str()), &[]);
        run(
            &Source::new("schema.sql", ""),
            &[migration(text, probe_down())],
        );
    }
}

/// Parentheses nested just under sqlparser's recursion limit, in a data
/// statement's `FROM`, on a thread with the 2 MiB stack of a test or an async
/// worker: found by `mutated_sql_never_panics` as a stack overflow (sqlparser
/// parsed on the caller's thread), now parsed on the analysis's own stack.
#[test]
fn nested_parentheses_parse_on_a_small_stack() {
    let text = format!(
        "CREATE TABLE t (id integer PRIMARY KEY);\nINSERT INTO t SELECT 1 FROM{} t;\n",
        "(".repeat(45)
    );
    let handle = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let _ = schema_core::parse::parse_schema_str("schema.sql", &text);
            run(&Source::new("schema.sql", text.as_str()), &[]);
            let schema = Source::new("schema.sql", "CREATE TABLE t (id integer PRIMARY KEY);");
            run(&schema, &[migration(&text, probe_down())]);
        })
        .expect("a thread");
    assert!(handle.join().is_ok(), "the analysis panicked");
}
