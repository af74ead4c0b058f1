//! The online lints (`S05xx`) on the shared fixtures of `tests/fixtures/online/`:
//! each rule's unsafe migration, after the migration that creates the
//! existing tables, raises that rule and no other; its safe form (one or more
//! migrations) raises none. tests/online_locks.rs runs the same files on
//! PostgreSQL and shows the locks are real.

#![allow(clippy::panic, reason = "a test reports failure by panicking")]

use std::path::{Path, PathBuf};

use schema_core::diagnostic::{Severity, codes, render_all};
use schema_core::lint::online::{Level, Settings};
use schema_core::migrations::MigrationFiles;
use schema_core::migrations::replay::replay;
use schema_test_support::replay::migration;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/online")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn step(n: u64, dir: &Path) -> MigrationFiles {
    migration(n, &read(&dir.join("up.sql")), &read(&dir.join("down.sql")))
}

/// The online codes (names) raised by `history`, judged on PostgreSQL
/// `pg`, style rules on, with every other diagnostic required clean.
fn online_codes(history: &[MigrationFiles], pg: u32) -> Vec<(u64, String)> {
    let mut diagnostics = Vec::new();
    let replayed = replay(history, &mut diagnostics);
    let errors: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    assert!(errors.is_empty(), "{}", render_all(&errors, false));
    let settings = Settings {
        level: Level::Warn,
        pg_version: pg,
        style: true,
        after: None,
    };
    let mut out: Vec<(u64, String)> = settings
        .judge(&replayed.online)
        .into_iter()
        .map(|d| {
            let at = d
                .origin
                .as_ref()
                .map(|o| o.source.path.clone())
                .unwrap_or_default();
            assert!(d.origin.is_some(), "{d:?}");
            assert!(d.help.is_some(), "every finding shows the safe form: {d:?}");
            let version = at
                .split('/')
                .nth(1)
                .and_then(|dir| dir.split('_').next())
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            (version, d.code.name.to_string())
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn every_rule_has_a_fixture_that_raises_it_and_a_safe_form_that_does_not() {
    let mut failures = Vec::new();
    for code in codes::ONLINE {
        let dir = fixtures().join(code.name);
        if !dir.is_dir() {
            failures.push(format!(
                "{}: no fixture directory {}",
                code.name,
                dir.display()
            ));
            continue;
        }
        let before = step(1, &dir.join("before"));
        let unsafe_ = step(2, &dir.join("unsafe"));
        let mut safe_dirs: Vec<PathBuf> = std::fs::read_dir(dir.join("safe"))
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        safe_dirs.sort();
        for pg in [13, 15] {
            let found = online_codes(&[before.clone(), unsafe_.clone()], pg);
            let wanted = vec![(2, code.name.to_string())];
            if found != wanted {
                failures.push(format!(
                    "{} (PostgreSQL {pg}): the unsafe form raised {found:?}, wanted {wanted:?}",
                    code.name
                ));
            }
            let mut history = vec![before.clone()];
            history.extend(
                safe_dirs
                    .iter()
                    .enumerate()
                    .map(|(i, d)| step(2 + i as u64, d)),
            );
            let found = online_codes(&history, pg);
            if !found.is_empty() {
                failures.push(format!(
                    "{} (PostgreSQL {pg}): the safe form raised {found:?}",
                    code.name
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What the settings do: levels, the version judged, the first migration
/// judged, per-statement and per-migration allows.
#[test]
fn settings_and_allows_decide_what_is_reported() {
    let before = migration(
        1,
        "CREATE TABLE t (id bigint PRIMARY KEY, a text);\n",
        "DROP TABLE t;\n",
    );
    let index = migration(
        2,
        "SET lock_timeout = '2s';\nCREATE INDEX t_a ON t (a);\n",
        "DROP INDEX t_a;\n",
    );
    let mut diagnostics = Vec::new();
    let replayed = replay(&[before.clone(), index.clone()], &mut diagnostics);
    let judge = |s: Settings| s.judge(&replayed.online);
    let warn = judge(Settings::default());
    assert_eq!(warn.len(), 1, "{warn:?}");
    assert_eq!(warn[0].severity, Severity::Warning);
    assert_eq!(warn[0].code, codes::INDEX_WITHOUT_CONCURRENTLY);
    assert!(warn[0].message.contains("`t`"), "{}", warn[0].message);
    let deny = judge(Settings {
        level: Level::Deny,
        ..Settings::default()
    });
    assert_eq!(deny[0].severity, Severity::Error);
    assert!(
        judge(Settings {
            level: Level::Off,
            ..Settings::default()
        })
        .is_empty()
    );
    assert!(
        judge(Settings {
            after: Some(2),
            ..Settings::default()
        })
        .is_empty()
    );
    assert_eq!(
        judge(Settings {
            after: Some(1),
            ..Settings::default()
        })
        .len(),
        1
    );

    // A constant default rewrites before PostgreSQL 11 only.
    let default = migration(
        2,
        "SET lock_timeout = '2s';\nALTER TABLE t ADD COLUMN b int DEFAULT 0;\n",
        "ALTER TABLE t DROP COLUMN b;\n",
    );
    let mut diagnostics = Vec::new();
    let replayed = replay(&[before.clone(), default], &mut diagnostics);
    let on = |pg| {
        Settings {
            pg_version: pg,
            ..Settings::default()
        }
        .judge(&replayed.online)
        .len()
    };
    assert_eq!((on(10), on(11), on(15)), (1, 0, 0));

    // Allowed above the statement: that statement only.
    let allowed = migration(
        2,
        "SET lock_timeout = '2s';\n-- schema: allow(index_without_concurrently)\nCREATE INDEX t_a ON t (a);\nCREATE INDEX t_a2 ON t (a);\n",
        "DROP INDEX t_a2;\nDROP INDEX t_a;\n",
    );
    let mut diagnostics = Vec::new();
    let replayed = replay(&[before.clone(), allowed], &mut diagnostics);
    let found = Settings::default().judge(&replayed.online);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].origin.as_ref().map(|o| o.line), Some(4));

    // Allowed in the header: the whole migration.
    let allowed = migration(
        2,
        "-- schema: allow(index_without_concurrently)\n\nSET lock_timeout = '2s';\nCREATE INDEX t_a ON t (a);\nCREATE INDEX t_a2 ON t (a);\n",
        "DROP INDEX t_a2;\nDROP INDEX t_a;\n",
    );
    let mut diagnostics = Vec::new();
    let replayed = replay(&[before, allowed], &mut diagnostics);
    assert!(Settings::default().judge(&replayed.online).is_empty());
}

/// A table created in the migration is new: indexing, constraining and
/// altering it costs nothing, and needs no lock timeout.
#[test]
fn a_table_created_in_the_same_migration_is_safe_to_change() {
    let up = "CREATE TABLE u (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, a text, n int);\n\
              CREATE INDEX u_a ON u (a);\n\
              ALTER TABLE u ADD CONSTRAINT u_n CHECK (n > 0);\n\
              ALTER TABLE u ALTER COLUMN a SET NOT NULL;\n\
              ALTER TABLE u ALTER COLUMN n TYPE bigint;\n\
              ALTER TABLE u ADD COLUMN b uuid DEFAULT gen_random_uuid();\n\
              ALTER TABLE u ADD CONSTRAINT u_a_key UNIQUE (a);\n\
              ALTER TABLE u RENAME COLUMN n TO m;\n\
              ALTER TABLE u RENAME TO v;\n\
              CREATE INDEX v_m ON v (m);\n";
    let down = "DROP TABLE v;\n";
    let mut diagnostics = Vec::new();
    let replayed = replay(&[migration(1, up, down)], &mut diagnostics);
    let errors: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    assert!(errors.is_empty(), "{}", render_all(&errors, false));
    let found = Settings {
        style: true,
        ..Settings::default()
    }
    .judge(&replayed.online);
    assert!(found.is_empty(), "{}", render_all(&found, false));
}

/// The online codes `up` raises after a migration creating the tables of
/// [`PROBE_BASE`], judged on PostgreSQL 15.
fn raised(up: &str, down: &str) -> Vec<String> {
    let mut diagnostics = Vec::new();
    let replayed = replay(
        &[
            migration(1, PROBE_BASE, PROBE_BASE_DOWN),
            migration(2, up, down),
        ],
        &mut diagnostics,
    );
    let errors: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    assert!(errors.is_empty(), "{}", render_all(&errors, false));
    let mut codes: Vec<String> = Settings {
        pg_version: 15,
        ..Settings::default()
    }
    .judge(&replayed.online)
    .iter()
    .map(|d| d.code.name.to_string())
    .collect();
    codes.sort();
    codes
}

const PROBE_BASE: &str = "CREATE TYPE mood AS ENUM ('sad', 'ok');\n\
    CREATE TABLE t (id bigint PRIMARY KEY, a int, b text, m mood,\n\
      CONSTRAINT t_a_check CHECK (a IS NOT NULL AND a < 100));\n\
    CREATE TABLE p (id bigint NOT NULL, at date NOT NULL, x int, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);\n\
    CREATE TABLE p_2026 PARTITION OF p FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\n";
const PROBE_BASE_DOWN: &str = "DROP TABLE p;\nDROP TABLE t;\nDROP TYPE mood;\n";

/// What a new user and hostile input found, kept fixed.
#[test]
fn what_probing_found_stays_fixed() {
    // PostgreSQL's own VACUUM forms parse; FULL in any spelling rewrites.
    for full in [
        "VACUUM (FULL) t",
        "VACUUM (FULL true, ANALYZE) t (a)",
        "VACUUM FULL ANALYZE t (a)",
    ] {
        let up = format!("-- schema: no-transaction\nSET lock_timeout = '1s';\n{full};\n");
        assert_eq!(raised(&up, "-- nothing\n"), ["table_rewrite"], "{full}");
    }
    for plain in [
        "VACUUM FREEZE t",
        "VACUUM (VERBOSE, ANALYZE) t (a), p",
        "VACUUM (FULL false) t",
        "ANALYZE VERBOSE t (a)",
    ] {
        let up = format!("-- schema: no-transaction\n{plain};\n");
        assert!(raised(&up, "-- nothing\n").is_empty(), "{plain}");
    }
    // A statement PostgreSQL refuses in a transaction cannot be allowed.
    assert_eq!(
        raised(
            "-- schema: allow(concurrently_in_transaction)\nVACUUM t;\n",
            "-- nothing\n"
        ),
        ["concurrently_in_transaction"]
    );
    assert_eq!(
        raised(
            "SET lock_timeout = '1s';\nALTER TABLE p DETACH PARTITION p_2026 CONCURRENTLY;\n",
            "ALTER TABLE p ATTACH PARTITION p_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\n"
        ),
        ["concurrently_in_transaction"]
    );
    // `SET LOCAL` outside a transaction sets nothing.
    assert_eq!(
        raised(
            "-- schema: no-transaction\nSET LOCAL lock_timeout = '1s';\nALTER TABLE t ADD COLUMN c int;\n",
            "ALTER TABLE t DROP COLUMN c;\n"
        ),
        ["missing_lock_timeout"]
    );
    // `ON ONLY` builds nothing.
    assert!(
        raised(
            "SET lock_timeout = '1s';\nCREATE INDEX p_x ON ONLY p (x);\n",
            "DROP INDEX p_x;\n"
        )
        .is_empty()
    );
    // A validated check with `a IS NOT NULL` as one term of its AND proves it.
    assert!(
        raised(
            "SET lock_timeout = '1s';\nALTER TABLE t ALTER COLUMN a SET NOT NULL;\n",
            "ALTER TABLE t ALTER COLUMN a DROP NOT NULL;\n"
        )
        .is_empty()
    );
    // `USING` the column itself computes nothing.
    assert!(
        raised(
            "SET lock_timeout = '1s';\nALTER TABLE t ALTER COLUMN a TYPE int USING a;\n",
            "-- nothing\n"
        )
        .is_empty()
    );
    // A new enum value's literal in a statement that names no column of the
    // enum is not its use.
    assert_eq!(
        raised(
            "ALTER TYPE mood ADD VALUE 'happy';\nSET lock_timeout = '1s';\nALTER TABLE t ALTER COLUMN b SET DEFAULT 'happy';\nUPDATE t SET m = 'happy';\n",
            "ALTER TABLE t ALTER COLUMN b DROP DEFAULT;\n-- schema: allow(down_does_not_undo_up)\n"
        ),
        ["enum_value_used_in_transaction"]
    );
}
