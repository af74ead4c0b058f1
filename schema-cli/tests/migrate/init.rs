//! `schema init --from-database` on databases of six shapes (every object
//! kind the model holds; several schemas with a foreign-key cycle; tables
//! without primary keys; partitions; extensions; another tool's version
//! table, left out, beside hand-made tables), and on a SQLite file. Each time:
//! `init` exits 0 and stamps; `check` and `verify` are clean with nothing
//! edited; a fresh database built by `up` from the baseline holds the same
//! catalog facts as the original; `init` run again writes the same files
//! byte for byte; a further migration (`new` + `up`) lands on top.

use std::path::{Path, PathBuf};

use crate::{assert_exit, describe, pg, schema, stderr, stdout};

/// Other tools' version tables, which `init` leaves out.
const TOOL_TABLES: &[&str] = &["_sqlx_migrations"];

/// `schema init --from-database <url>` in `dir`.
fn init(dir: &Path, url: &str) -> std::process::Output {
    std::fs::create_dir_all(dir).expect("create the project directory");
    schema(dir, &["init", "--from-database", url])
}

/// Every file under `dir`, relative path → bytes, sorted.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).expect("read a directory") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let bytes = std::fs::read(&path).expect("read a file");
                let relative = path
                    .strip_prefix(root)
                    .expect("under the root")
                    .to_path_buf();
                out.push((relative, bytes));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// The whole story on PostgreSQL for a database built by `ddl`; gives
/// schema.sql as `init` wrote it.
fn adopt_postgres(prefix: &str, ddl: &str) -> Option<String> {
    adopt_postgres_keeping(prefix, ddl, &[])
}

/// [`adopt_postgres`], checking at the end that each `(table, rows)` still
/// holds its rows.
fn adopt_postgres_keeping(prefix: &str, ddl: &str, kept: &[(&str, i64)]) -> Option<String> {
    let server = pg::server()?;
    let original = server.create_database(prefix);
    let mut client = original.connect();
    client.batch_execute(ddl).unwrap_or_else(|e| {
        panic!(
            "build the {prefix} database: {}",
            pg::describe_pg_error(&e, ddl)
        )
    });
    let before = pg::catalog_facts(&mut client).expect("the original's catalog facts");
    let tmp = tempfile::tempdir().expect("temp dir");
    let first = tmp.path().join("first");
    let url = original.url();

    let out = init(&first, &url);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("stamped version 1"),
        "init stamps the baseline: {}",
        describe(&out)
    );
    let check = schema(&first, &["check"]);
    assert_exit(&check, 0);
    assert_exit(&schema(&first, &["verify", "--database-url", &url]), 0);
    let rows: Vec<(i64, String)> = client
        .query("SELECT version, state FROM _schema_migrations", &[])
        .expect("read the version table")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(rows, [(1, "applied".to_string())]);
    assert_eq!(
        pg::catalog_facts(&mut client).expect("the facts after init"),
        before,
        "init changed nothing but the version table"
    );

    // The baseline builds the same database from nothing.
    let fresh = server.create_database(&format!("{prefix}_fresh"));
    assert_exit(&schema(&first, &["up", "--database-url", &fresh.url()]), 0);
    let rebuilt = pg::catalog_facts(&mut fresh.connect()).expect("the rebuilt facts");
    // Another tool's version table stays out of the project (and its facts here).
    let before: Vec<String> = before
        .into_iter()
        .filter(|f| !TOOL_TABLES.iter().any(|t| f.contains(t)))
        .collect();
    let missing: Vec<&String> = before.iter().filter(|f| !rebuilt.contains(f)).collect();
    let extra: Vec<&String> = rebuilt.iter().filter(|f| !before.contains(f)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{prefix}: the database built from the baseline differs from the original\n\
         only in the original:\n  {}\nonly in the rebuilt one:\n  {}",
        missing
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n  "),
        extra
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n  ")
    );

    // Again, from the same database: the same bytes.
    client
        .batch_execute(
            "DROP TABLE _schema_migrations; DROP TABLE IF EXISTS _schema_migrations_lock;",
        )
        .expect("forget the stamp");
    let second = tmp.path().join("second");
    assert_exit(&init(&second, &url), 0);
    assert_eq!(
        files(&first),
        files(&second),
        "init twice writes the same files"
    );

    // A further migration on top.
    let schema_sql = std::fs::read_to_string(first.join("schema.sql")).expect("read schema.sql");
    std::fs::write(
        first.join("schema.sql"),
        format!("{schema_sql}\nCREATE TABLE public.init_extra (id integer PRIMARY KEY);\n"),
    )
    .expect("edit schema.sql");
    assert_exit(&schema(&first, &["new", "extra"]), 0);
    let up = schema(&first, &["up", "--database-url", &url]);
    assert_exit(&up, 0);
    assert_eq!(
        stdout(&up).matches("applying ").count(),
        1,
        "{}",
        describe(&up)
    );
    assert_exit(&schema(&first, &["verify", "--database-url", &url]), 0);
    for (table, rows) in kept {
        let count: i64 = client
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])
            .expect("count the rows")
            .get(0);
        assert_eq!(count, *rows, "the rows of `{table}` are kept");
    }
    Some(schema_sql)
}

#[test]
fn init_adopts_every_object_kind() {
    let Some(sql) = adopt_postgres(
        "init_kinds",
        "CREATE EXTENSION pgcrypto;
         CREATE SCHEMA app;
         CREATE TYPE app.status AS ENUM ('new', 'done');
         CREATE DOMAIN app.positive AS integer CHECK (VALUE > 0);
         CREATE TYPE app.pair AS (a integer, b text);
         CREATE SEQUENCE app.ticket_seq START 100 INCREMENT 5;
         CREATE TABLE app.accounts (
             id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
             name text NOT NULL UNIQUE,
             qty app.positive,
             st app.status NOT NULL DEFAULT 'new',
             pair app.pair,
             ticket bigint DEFAULT nextval('app.ticket_seq'),
             tags text[] DEFAULT '{}',
             code text DEFAULT '007',
             doubled integer GENERATED ALWAYS AS (qty * 2) STORED
         );
         CREATE TABLE app.entries (
             id bigserial PRIMARY KEY,
             account_id integer NOT NULL REFERENCES app.accounts (id) ON DELETE CASCADE
                 DEFERRABLE INITIALLY DEFERRED,
             note text CHECK (note <> ''),
             at timestamptz NOT NULL DEFAULT now()
         );
         CREATE INDEX entries_note_lower ON app.entries (lower(note)) WHERE note IS NOT NULL;
         CREATE UNIQUE INDEX accounts_name_ci ON app.accounts (lower(name));
         COMMENT ON TABLE app.accounts IS 'who pays';
         COMMENT ON COLUMN app.entries.note IS 'free text';
         CREATE VIEW app.totals AS
             SELECT account_id, count(*) AS n FROM app.entries GROUP BY account_id;
         CREATE FUNCTION app.bump() RETURNS trigger LANGUAGE plpgsql
             AS $$BEGIN NEW.at := now(); RETURN NEW; END$$;
         CREATE TRIGGER entries_bump BEFORE UPDATE ON app.entries
             FOR EACH ROW EXECUTE FUNCTION app.bump();
         ALTER TABLE app.entries ENABLE ROW LEVEL SECURITY;
         CREATE POLICY entries_positive ON app.entries USING (account_id > 0);",
    ) else {
        return;
    };
    // Grouped by table: its indexes and comment right after it.
    let table = sql
        .find("CREATE TABLE app.accounts")
        .expect("the accounts table");
    let index = sql
        .find("CREATE UNIQUE INDEX accounts_name_ci")
        .expect("its index");
    let next_table = sql
        .find("CREATE TABLE app.entries")
        .expect("the entries table");
    assert!(table < index && index < next_table, "{sql}");
    assert!(
        sql.contains("DEFAULT '007'"),
        "a string default stays a string:\n{sql}"
    );
}

#[test]
fn init_adopts_several_schemas_and_a_foreign_key_cycle() {
    let Some(sql) = adopt_postgres(
        "init_schemas",
        "CREATE SCHEMA sales;
         CREATE SCHEMA hr;
         CREATE TABLE sales.people (id integer PRIMARY KEY, manager integer);
         CREATE TABLE hr.people (id integer PRIMARY KEY, seller integer REFERENCES sales.people (id));
         ALTER TABLE sales.people ADD FOREIGN KEY (manager) REFERENCES hr.people (id);
         CREATE TABLE public.people (id integer PRIMARY KEY, parent integer REFERENCES public.people (id));",
    ) else {
        return;
    };
    // Runs from top to bottom: each foreign key after both of its tables.
    let fk = sql
        .find("REFERENCES hr.people")
        .expect("the foreign key to hr.people");
    let target = sql.find("CREATE TABLE hr.people").expect("hr.people");
    assert!(target < fk, "{sql}");
}

#[test]
fn init_allows_the_missing_primary_keys_it_finds_saying_why() {
    let Some(sql) = adopt_postgres(
        "init_no_pk",
        "CREATE TABLE log (at timestamptz NOT NULL DEFAULT now(), line text);
         CREATE TABLE tags (name text NOT NULL UNIQUE);
         CREATE TABLE keyed (id integer PRIMARY KEY);",
    ) else {
        return;
    };
    assert_eq!(
        sql.matches("-- schema: allow(missing_primary_key)").count(),
        2,
        "{sql}"
    );
    assert!(
        sql.contains("has no primary key; add one"),
        "each directive says why:\n{sql}"
    );
}

#[test]
fn init_adopts_partitions() {
    adopt_postgres(
        "init_partitions",
        "CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, kind text NOT NULL,
             PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
         CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
         CREATE TABLE events_rest PARTITION OF events DEFAULT;
         CREATE INDEX events_kind ON events (kind);
         CREATE TABLE regions (code text NOT NULL, n integer, PRIMARY KEY (code)) PARTITION BY LIST (code);
         CREATE TABLE regions_eu PARTITION OF regions FOR VALUES IN ('fr', 'de');
         CREATE TABLE buckets (id integer PRIMARY KEY) PARTITION BY HASH (id);
         CREATE TABLE buckets_0 PARTITION OF buckets FOR VALUES WITH (MODULUS 2, REMAINDER 0);
         CREATE TABLE buckets_1 PARTITION OF buckets FOR VALUES WITH (MODULUS 2, REMAINDER 1);",
    );
}

#[test]
fn init_adopts_extensions_and_what_uses_them() {
    adopt_postgres(
        "init_extensions",
        "CREATE EXTENSION citext;
         CREATE EXTENSION pg_trgm;
         CREATE EXTENSION hstore;
         CREATE TABLE members (id integer PRIMARY KEY, email citext NOT NULL UNIQUE,
             attrs hstore, bio text);
         CREATE INDEX members_bio_trgm ON members USING gin (bio gin_trgm_ops);",
    );
}

#[test]
fn init_leaves_another_tools_version_table_out_and_says_so() {
    let Some(server) = pg::server() else {
        return;
    };
    let ddl =
        "CREATE TABLE _sqlx_migrations (version bigint PRIMARY KEY, description text NOT NULL,
                   installed_on timestamptz NOT NULL DEFAULT now(), success boolean NOT NULL,
                   checksum bytea NOT NULL, execution_time bigint NOT NULL);
               INSERT INTO _sqlx_migrations VALUES (1, 'users', now(), true, '\\x00', 1);
               CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL);
               CREATE TABLE made_by_hand (id integer, note text);";
    let Some(sql) = adopt_postgres("init_other_tool", ddl) else {
        return;
    };
    assert!(!sql.contains("_sqlx_migrations"), "{sql}");
    assert!(sql.contains("CREATE TABLE public.made_by_hand"), "{sql}");
    // The note, on a run of its own.
    let db = server.create_database("init_other_tool_note");
    db.connect().batch_execute(ddl).expect("build the database");
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = init(tmp.path(), &db.url());
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("`_sqlx_migrations` is sqlx's version table: left out"),
        "{}",
        describe(&out)
    );
}

#[test]
fn init_refuses_to_overwrite_or_to_adopt_twice() {
    let Some(server) = pg::server() else {
        return;
    };
    let db = server.create_database("init_refusals");
    db.connect()
        .batch_execute("CREATE TABLE t (id integer PRIMARY KEY);")
        .expect("build the database");
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    std::fs::write(dir.join("schema.sql"), "-- mine\n").expect("write schema.sql");
    let out = init(dir, &db.url());
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("`schema.sql` exists"),
        "{}",
        describe(&out)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("schema.sql")).expect("read schema.sql"),
        "-- mine\n",
        "left as it was"
    );
    assert!(!dir.join("migrations").exists(), "nothing written");
    std::fs::remove_file(dir.join("schema.sql")).expect("remove schema.sql");
    assert_exit(&init(dir, &db.url()), 0);
    let again = tmp.path().join("again");
    let out = init(&again, &db.url());
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("already records 1 migration"),
        "{}",
        describe(&out)
    );
    // An empty database has nothing to adopt.
    let empty = server.create_database("init_empty");
    let out = init(&tmp.path().join("empty"), &empty.url());
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("nothing to adopt"),
        "{}",
        describe(&out)
    );
}

#[test]
fn init_adopts_a_sqlite_file() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join("app.db");
    rusqlite::Connection::open(&path)
        .expect("create the database")
        .execute_batch(
            "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE,
                 created_at TEXT DEFAULT CURRENT_TIMESTAMP);
             CREATE TABLE posts (id INTEGER PRIMARY KEY,
                 user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE, body TEXT);
             CREATE INDEX posts_user ON posts (user_id);
             CREATE TABLE log (at TEXT, msg TEXT);",
        )
        .expect("build the database");
    let url = format!("sqlite://{}", path.display());
    let dir = tmp.path().join("project");
    let out = init(&dir, &url);
    assert_exit(&out, 0);
    assert_exit(&schema(&dir, &["check"]), 0);
    assert_exit(&schema(&dir, &["verify", "--database-url", &url]), 0);
    let sql = std::fs::read_to_string(dir.join("schema.sql")).expect("read schema.sql");
    assert_eq!(
        sql.matches("allow(missing_primary_key)").count(),
        1,
        "{sql}"
    );
    // A fresh file from the baseline holds the same tables and indexes.
    let fresh = tmp.path().join("fresh.db");
    let fresh_url = format!("sqlite://{}", fresh.display());
    assert_exit(&schema(&dir, &["up", "--database-url", &fresh_url]), 0);
    let objects = |p: &Path| -> Vec<(String, String)> {
        let conn = rusqlite::Connection::open(p).expect("open");
        let mut stmt = conn
            .prepare(
                "SELECT type, name FROM sqlite_master WHERE name NOT LIKE '_schema%' \
                 AND name NOT LIKE 'sqlite_%' ORDER BY type, name",
            )
            .expect("prepare");
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    };
    assert_eq!(objects(&fresh), objects(&path));
    assert_exit(&schema(&dir, &["verify", "--database-url", &fresh_url]), 0);
}

/// The story in `examples/adopt_drifted/story.sql` (sqlx's history, an empty
/// migration, tables made by hand, keys added on the server only, a blind
/// stamp): `init` declares what the database holds, not what the history
/// claims, and the rows stay.
#[test]
fn the_drifted_database_of_the_story_is_adopted() {
    let Some(sql) = adopt_postgres_keeping(
        "init_story",
        include_str!("../../../examples/adopt_drifted/story.sql"),
        &[
            ("users", 2),
            ("posts", 2),
            ("post_tags", 1),
            ("audit_log", 1),
        ],
    ) else {
        return;
    };
    assert!(sql.contains("CREATE TABLE public.audit_log"), "{sql}");
    assert!(
        sql.contains("CONSTRAINT post_tags_pkey PRIMARY KEY (post_id, tag_id)"),
        "the key added on the server:\n{sql}"
    );
    assert!(
        !sql.contains("published_at"),
        "not what the blind stamp claims:\n{sql}"
    );
    assert_eq!(
        sql.matches("allow(missing_primary_key)").count(),
        1,
        "audit_log has no key:\n{sql}"
    );
}

/// What the model cannot hold yet is refused by name, and nothing is
/// written or recorded: table inheritance, `NO INHERIT`, statistics targets,
/// `CLUSTER ON`, foreign servers, a renamed identity sequence; a rule (which `init` cannot write) is
/// caught by the stamp's check on the staged files.
#[test]
fn init_refuses_what_it_cannot_adopt_naming_it() {
    let Some(server) = pg::server() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    let cases = [
        (
            "CREATE TABLE parent (id integer PRIMARY KEY);
             CREATE TABLE child (extra integer) INHERITS (parent);",
            "table inheritance: `child` INHERITS `parent`",
        ),
        (
            "CREATE TABLE t (id integer PRIMARY KEY, n integer, CHECK (n > 0) NO INHERIT);",
            "NO INHERIT: constraint `t_n_check`",
        ),
        (
            "CREATE TABLE t (id integer PRIMARY KEY, n integer);
             ALTER TABLE t ALTER COLUMN n SET STATISTICS 500;",
            "SET STATISTICS on column `t.n`",
        ),
        (
            "CREATE TABLE t (id integer PRIMARY KEY);
             ALTER TABLE t CLUSTER ON t_pkey;",
            "CLUSTER ON index `t_pkey`",
        ),
        (
            "CREATE TABLE t (id integer PRIMARY KEY, a integer, b integer);
             CREATE STATISTICS t_ab ON a, b FROM t;",
            "extended statistics `public.t_ab`",
        ),
        (
            "CREATE TABLE t (id integer PRIMARY KEY);
             CREATE RULE t_keep AS ON DELETE TO t DO INSTEAD NOTHING;",
            "t_keep",
        ),
        (
            "CREATE TABLE t (id integer GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME my_ids)
                 PRIMARY KEY);",
            "identity sequence `my_ids` of `t.id`",
        ),
    ];
    for (i, (ddl, named)) in cases.iter().enumerate() {
        let db = server.create_database(&format!("init_refused_{i}"));
        let mut client = db.connect();
        client.batch_execute(ddl).expect("build the database");
        let dir = tmp.path().join(format!("case{i}"));
        let out = init(&dir, &db.url());
        assert_exit(&out, 1);
        assert!(
            stderr(&out).contains(named),
            "names `{named}`: {}",
            describe(&out)
        );
        assert!(
            !dir.join("schema.sql").exists() && !dir.join("migrations").exists(),
            "nothing written: {}",
            describe(&out)
        );
        let exists: bool = client
            .query_one("SELECT to_regclass('_schema_migrations') IS NOT NULL", &[])
            .expect("look for the version table")
            .get(0);
        if exists {
            let recorded: i64 = client
                .query_one("SELECT count(*) FROM _schema_migrations", &[])
                .expect("read the version table")
                .get(0);
            assert_eq!(recorded, 0, "nothing recorded");
        }
    }
    // SQLite.
    for (i, (ddl, named)) in [
        (
            "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER);",
            "AUTOINCREMENT on `t`",
        ),
        (
            "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER);
             CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN UPDATE t SET n = 1; END;",
            "trigger `t_ai` on `t`",
        ),
        (
            "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER) STRICT;",
            "STRICT table `t`",
        ),
        (
            "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER,
                 m INTEGER GENERATED ALWAYS AS (n * 2) VIRTUAL);",
            "VIRTUAL generated column `t.m`",
        ),
    ]
    .iter()
    .enumerate()
    {
        let path = tmp.path().join(format!("lite{i}.db"));
        rusqlite::Connection::open(&path)
            .expect("create the database")
            .execute_batch(ddl)
            .expect("build the database");
        let dir = tmp.path().join(format!("lite{i}"));
        let out = init(&dir, &format!("sqlite://{}", path.display()));
        assert_exit(&out, 1);
        assert!(
            stderr(&out).contains(named),
            "names `{named}`: {}",
            describe(&out)
        );
        assert!(!dir.join("schema.sql").exists(), "nothing written");
    }
}
