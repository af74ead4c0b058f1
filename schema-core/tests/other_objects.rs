//! Aggregates, operators, casts, collations, text-search objects, event
//! triggers, publications and rules through the whole engine: migrations
//! replay them (a down must undo its up, ALTERs included), a declaration no
//! migration creates is `unmigrated_object`, a definition or comment that
//! differs is drift located at the declaration, and formatting, case and
//! option order do not count.

#![allow(clippy::panic)] // test helpers fail loudly

use schema_core::diagnostic::{Diagnostic, codes, render_all};
use schema_core::diff::drift::drift;
use schema_core::migrations::MigrationFiles;
use schema_core::migrations::replay::replay;
use schema_core::model::Schema;
use schema_core::parse::parse_schema_str;
use schema_test_support::replay::migration;

fn parsed(sql: &str) -> Schema {
    parse_schema_str("schema.sql", sql).unwrap_or_else(|d| panic!("{}", render_all(&d, false)))
}

fn replayed(steps: &[(&str, &str)]) -> (Schema, Vec<Diagnostic>) {
    let files: Vec<MigrationFiles> = (1u64..)
        .zip(steps)
        .map(|(n, (up, down))| migration(n, up, down))
        .collect();
    let mut diags = Vec::new();
    let r = replay(&files, &mut diags);
    (r.migrated, diags)
}

const BASE: &str = "CREATE TABLE t (id integer PRIMARY KEY);
CREATE FUNCTION sq(acc bigint, x integer) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT acc + x * x $$;";

const OBJECTS: &str = "CREATE COLLATION german (provider = icu, locale = 'de-u-co-phonebk');
CREATE AGGREGATE sum_sq (integer) (SFUNC = sq, STYPE = bigint, INITCOND = '0');
CREATE PUBLICATION p FOR TABLE t;
CREATE RULE keep AS ON DELETE TO t DO INSTEAD NOTHING;
CREATE TEXT SEARCH CONFIGURATION cfg (COPY = english);
ALTER TEXT SEARCH CONFIGURATION cfg DROP MAPPING FOR email;
COMMENT ON COLLATION german IS 'phone book';";

const DROPS: &str = "DROP TEXT SEARCH CONFIGURATION cfg;
DROP RULE keep ON t;
DROP PUBLICATION p;
DROP AGGREGATE sum_sq(integer);
DROP COLLATION german;";

#[test]
fn migrations_replay_them_and_the_declaration_matches() {
    let (migrated, diags) = replayed(&[
        (BASE, "DROP FUNCTION sq(bigint, integer); DROP TABLE t;"),
        (OBJECTS, DROPS),
    ]);
    assert!(diags.is_empty(), "{}", render_all(&diags, false));
    assert_eq!(migrated.others.len(), 5);
    // Layout, case and the order of options do not count (type names inside
    // the text are compared as written: `int4` would count as a difference
    // here, while a live database judges by what it holds).
    let declared = parsed(&format!(
        "{BASE}
         create collation GERMAN (LOCALE = 'de-u-co-phonebk', provider = icu);
         COMMENT ON COLLATION german IS 'phone book';
         CREATE AGGREGATE sum_sq (integer) (
             STYPE = bigint,
             SFUNC = sq,
             INITCOND = '0'
         );
         CREATE PUBLICATION p FOR TABLE t;
         CREATE RULE keep AS ON DELETE TO t DO INSTEAD NOTHING;
         CREATE TEXT SEARCH CONFIGURATION cfg (COPY = english);
         ALTER TEXT SEARCH CONFIGURATION cfg DROP MAPPING FOR email;"
    ));
    let left = schema_core::diff::compare(&migrated, &declared);
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_down_that_forgets_one_or_an_alter_does_not_undo_its_up() {
    let forgets = DROPS.replace("DROP PUBLICATION p;", "");
    let (_, diags) = replayed(&[
        (BASE, "DROP FUNCTION sq(bigint, integer); DROP TABLE t;"),
        (OBJECTS, &forgets),
    ]);
    let text = render_all(&diags, false);
    assert!(
        diags.iter().any(|d| d.code.name == "down_does_not_undo_up")
            && text.contains("publication `p`"),
        "{text}"
    );
    let (_, diags) = replayed(&[
        (BASE, "DROP FUNCTION sq(bigint, integer); DROP TABLE t;"),
        (OBJECTS, DROPS),
        ("ALTER PUBLICATION p ADD TABLE ONLY t;", "SELECT 1;"),
    ]);
    let text = render_all(&diags, false);
    assert!(
        diags.iter().any(|d| d.code.name == "down_does_not_undo_up")
            && text.contains("publication `p`"),
        "{text}"
    );
}

#[test]
fn what_differs_is_drift_at_the_declaration() {
    let (migrated, diags) = replayed(&[
        (BASE, "DROP FUNCTION sq(bigint, integer); DROP TABLE t;"),
        (OBJECTS, DROPS),
    ]);
    assert!(diags.is_empty(), "{}", render_all(&diags, false));
    let declared = parsed(&format!(
        "{BASE}
         CREATE COLLATION german (provider = icu, locale = 'de');
         CREATE AGGREGATE sum_sq (integer) (SFUNC = sq, STYPE = bigint, INITCOND = '0');
         COMMENT ON AGGREGATE sum_sq(integer) IS 'new';
         CREATE PUBLICATION p FOR TABLE t;
         CREATE OPERATOR === (LEFTARG = integer, RIGHTARG = integer, FUNCTION = int4eq);
         CREATE TEXT SEARCH CONFIGURATION cfg (COPY = english);
         ALTER TEXT SEARCH CONFIGURATION cfg DROP MAPPING FOR email;"
    ));
    let reports = drift(&migrated, &declared);
    let messages: Vec<String> = reports.iter().map(|d| d.message.clone()).collect();
    let find = |needle: &str| {
        reports
            .iter()
            .find(|d| d.message.contains(needle))
            .unwrap_or_else(|| panic!("no `{needle}` in {messages:#?}"))
    };
    let collation = find("collation `german` differs");
    assert_eq!(collation.code, codes::DRIFT);
    assert_eq!(collation.origin.as_ref().map(|o| o.line), Some(3));
    let comment = find("comment of aggregate `sum_sq(integer)`");
    assert_eq!(comment.code, codes::DRIFT);
    let unmigrated = find("operator `=== (integer, integer)` is declared");
    assert_eq!(unmigrated.code.name, "unmigrated_object");
    assert_eq!(unmigrated.origin.as_ref().map(|o| o.line), Some(7));
    let gone = find("rule `keep ON t` is created by the migrations");
    assert_eq!(gone.code, codes::DRIFT);
    assert_eq!(reports.len(), 4, "{messages:#?}");
}
