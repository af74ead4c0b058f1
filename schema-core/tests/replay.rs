//! Replay of each migration statement form: the history on the left must give
//! the same model as the declaration on the right.

#![allow(clippy::panic)] // test helpers fail loudly

use schema_core::diagnostic::{Diagnostic, render_all};
use schema_core::migrations::MigrationFiles;
use schema_core::migrations::replay::replay;
use schema_core::parse::parse_schema_str;
use schema_test_support::replay::migration;

fn replayed(steps: &[(&str, &str)]) -> (schema_core::Schema, Vec<Diagnostic>) {
    let files: Vec<MigrationFiles> = steps
        .iter()
        .enumerate()
        .map(|(i, (up, down))| migration(i as u64 + 1, up, down))
        .collect();
    let mut diags = Vec::new();
    let r = replay(&files, &mut diags);
    (r.migrated, diags)
}

fn assert_replays_to(steps: &[(&str, &str)], declared: &str) {
    let (migrated, diags) = replayed(steps);
    assert!(diags.is_empty(), "{}", render_all(&diags, false));
    let declared = parse_schema_str("schema.sql", declared)
        .unwrap_or_else(|d| panic!("{}", render_all(&d, false)));
    let changes = schema_core::diff::compare(&migrated, &declared);
    assert!(changes.is_empty(), "{changes:#?}");
    assert_eq!(migrated, declared);
}

#[test]
fn add_drop_and_alter_columns() {
    assert_replays_to(
        &[
            (
                "create table t (id int primary key, a text, b int);",
                "drop table t;",
            ),
            (
                "alter table t add column c varchar(10) not null default 'x';
                 alter table t drop column a;
                 alter table t alter column b type bigint;
                 alter table t alter column b set not null;
                 alter table t alter column b set default 0;",
                "alter table t alter column b drop default;
                 alter table t alter column b drop not null;
                 alter table t alter column b type int;
                 alter table t add column a text;
                 alter table t drop column c;",
            ),
        ],
        "create table t (id int primary key, b bigint not null default 0, c varchar(10) not null default 'x');",
    );
}

#[test]
fn renames_follow_through_constraints_indexes_and_foreign_keys() {
    assert_replays_to(
        &[
            (
                "create table a (id serial primary key, email text unique);
                 create table b (id int primary key, a_id int references a (id));
                 create index a_lower on a (lower(email)) where email is not null;",
                "drop table b; drop table a;",
            ),
            (
                "alter table a rename column email to mail;
                 alter table a rename to accounts;
                 alter table accounts rename constraint a_email_key to accounts_mail_key;
                 alter index a_lower rename to accounts_lower;",
                "alter index accounts_lower rename to a_lower;
                 alter table accounts rename constraint accounts_mail_key to a_email_key;
                 alter table accounts rename to a;
                 alter table a rename column mail to email;",
            ),
        ],
        // PostgreSQL keeps the names of the sequence, primary key and foreign key.
        "create table accounts (id integer not null default nextval('a_id_seq'), mail text,
             constraint a_pkey primary key (id), constraint accounts_mail_key unique (mail));
         create sequence a_id_seq as integer owned by accounts.id;
         create table b (id int primary key, a_id int, constraint b_a_id_fkey foreign key (a_id) references accounts (id));
         create index accounts_lower on accounts (lower(mail)) where mail is not null;",
    );
}

#[test]
fn enum_labels_are_added_before_after_and_renamed() {
    assert_replays_to(
        &[
            (
                "create type mood as enum ('sad', 'happy'); create table p (id int primary key, m mood);",
                "drop table p; drop type mood;",
            ),
            (
                "alter type mood add value 'ok' before 'happy';
                 alter type mood add value 'great' after 'happy';
                 alter type mood rename value 'sad' to 'blue';",
                "-- schema: allow(down_does_not_undo_up)\n-- PostgreSQL cannot drop enum labels\nselect 1;",
            ),
        ],
        "create type mood as enum ('blue', 'ok', 'happy', 'great'); create table p (id int primary key, m mood);",
    );
}

#[test]
fn constraints_are_added_and_dropped_with_postgres_names() {
    assert_replays_to(
        &[
            (
                "create table t (id int, n int); create table u (id int primary key);",
                "drop table t; drop table u;",
            ),
            (
                "alter table t add primary key (id);
                 alter table t add check (n > 0);
                 alter table t add foreign key (n) references u;
                 alter table t add constraint named unique (n);
                 alter table t drop constraint named;
                 comment on table t is 'things';
                 comment on column t.n is 'count';
                 insert into u values (1);",
                "comment on column t.n is null; comment on table t is null;
                 alter table t drop constraint t_n_fkey; alter table t drop constraint t_n_check;
                 alter table t drop constraint t_pkey;
                 -- PostgreSQL leaves NOT NULL behind when a primary key is dropped
                 alter table t alter column id drop not null;",
            ),
        ],
        "create table u (id int primary key);
         create table t (id int primary key, n int check (n > 0) references u (id));
         comment on table t is 'things';
         comment on column t.n is 'count';",
    );
}

#[test]
fn dropping_a_referenced_table_needs_cascade_and_cascade_drops_the_foreign_key() {
    let (_, diags) = replayed(&[(
        "create table a (id int primary key); create table b (id int primary key, a int references a); drop table a;",
        "",
    )]);
    assert_eq!(diags.len(), 1, "{}", render_all(&diags, false));
    assert!(
        diags[0].message.contains("other objects depend on it"),
        "{}",
        diags[0]
    );
    assert!(diags[0].notes.iter().any(|n| n.contains("b_a_fkey")));

    assert_replays_to(
        &[(
            "create table a (id int primary key); create table b (id int primary key, a int references a); drop table a cascade;",
            "drop table b;",
        )],
        "create table b (id int primary key, a int);",
    );
}

#[test]
fn statements_on_missing_objects_are_located_errors_with_suggestions() {
    let (_, diags) = replayed(&[(
        "create table users (id int primary key);\nalter table userz add column x int;\nalter table users drop column nope;\n",
        "drop table users;",
    )]);
    let text = render_all(&diags, false);
    assert_eq!(diags.len(), 2, "{text}");
    assert!(
        diags[0].message.contains("table `userz` does not exist"),
        "{text}"
    );
    assert_eq!(
        diags[0].location().as_deref(),
        Some("migrations/00000000000001_step/up.sql:2:13")
    );
    assert!(
        diags[0]
            .help
            .as_deref()
            .is_some_and(|h| h.contains("users")),
        "{text}"
    );
    assert!(diags[1].message.contains("column `nope`"), "{text}");
}

#[test]
fn declarative_files_refuse_drops_and_renames() {
    // Data statements are read with a warning: see tests/pg_dump_forms.rs.
    for sql in [
        "create table t (id int primary key); drop table t;",
        "create table t (id int primary key); drop table if exists t;",
        "create table t (id int primary key); alter table t rename to u;",
    ] {
        let err = parse_schema_str("schema.sql", sql)
            .err()
            .unwrap_or_default();
        assert_eq!(err.len(), 1, "{sql}: {}", render_all(&err, false));
        assert_eq!(err[0].code.name, "not_allowed_here", "{sql}");
    }
}

/// Past a few dozen tables the model looks names and foreign keys up instead
/// of scanning every table: the answers must stay those of a scan, through
/// renames, drops and rolled-back downs.
#[test]
fn name_and_reference_lookups_hold_in_a_large_schema() {
    let mut create = String::from(
        "-- schema: allow(down_does_not_undo_up)\n\
         create table p (id int primary key, code text unique);\n",
    );
    for i in 0..40 {
        create.push_str(&format!(
            "create table c_{i:02} (id int primary key, p int references p (id));\n"
        ));
    }
    let (_, diags) = replayed(&[
        (&create, ""),
        (
            "-- schema: allow(down_does_not_undo_up)
             alter table c_07 rename to d_07;
             alter table p drop column id;",
            "",
        ),
    ]);
    assert_eq!(diags.len(), 1, "{}", render_all(&diags, false));
    let note = diags[0].notes.join("\n");
    let (first, renamed, last) = (
        note.find("`c_00_p_fkey` on `c_00`"),
        note.find("`c_07_p_fkey` on `d_07`"),
        note.find("`c_39_p_fkey` on `c_39`"),
    );
    // In name order, as a scan of the tables gives them.
    assert!(first.is_some() && first < last && last < renamed, "{note}");

    // A relation name taken by another table's index is skipped; one freed
    // by a drop is used again; `cascade` drops every dependent foreign key.
    let (migrated, diags) = replayed(&[
        (&create, ""),
        (
            "-- schema: allow(down_does_not_undo_up)
             create index c_01_p_idx on c_02 (p);
             create index on c_01 (p);
             create index c_03_p_idx on c_04 (p);
             drop index c_03_p_idx;
             create index on c_03 (p);
             alter table p drop column id cascade;",
            "",
        ),
    ]);
    assert!(diags.is_empty(), "{}", render_all(&diags, false));
    let table = |n: &str| {
        migrated
            .tables
            .get(&schema_core::model::QualifiedName::public(n))
            .unwrap_or_else(|| panic!("no table {n}"))
    };
    assert!(table("c_01").indexes.contains_key("c_01_p_idx1"));
    assert!(table("c_03").indexes.contains_key("c_03_p_idx"));
    assert!(
        (0..40).all(|i| table(&format!("c_{i:02}")).constraints.len() == 1),
        "a foreign key survived the cascade"
    );
}

#[test]
fn concurrent_index_creation_and_drop_replay_like_the_plain_forms() {
    // `-- schema: no-transaction` migrations build and drop indexes concurrently.
    assert_replays_to(
        &[
            (
                "CREATE TABLE t (id int PRIMARY KEY, a int, b int);",
                "DROP TABLE t;",
            ),
            (
                "-- schema: no-transaction\nCREATE INDEX CONCURRENTLY t_a_idx ON t (a);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t_b_idx ON t (b);",
                "-- schema: no-transaction\nDROP INDEX CONCURRENTLY IF EXISTS t_b_idx;\ndrop index concurrently t_a_idx;",
            ),
            (
                "DROP INDEX CONCURRENTLY t_b_idx;",
                "CREATE INDEX CONCURRENTLY t_b_idx ON t (b);",
            ),
        ],
        "CREATE TABLE t (id int PRIMARY KEY, a int, b int);\nCREATE INDEX t_a_idx ON t (a);",
    );
}

#[test]
fn persistence_and_row_level_security_flags_replay_and_their_downs_undo_them() {
    assert_replays_to(
        &[
            (
                "create unlogged table t (id int primary key);
                 create table u (id int primary key);",
                "drop table u;
                 drop table t;",
            ),
            (
                "alter table t set logged;
                 alter table u set unlogged, enable row level security;
                 alter table u force row level security;",
                "alter table u no force row level security;
                 alter table u disable row level security, set logged;
                 alter table t set unlogged;",
            ),
        ],
        "create table t (id int primary key);
         create unlogged table u (id int primary key);
         alter table u enable row level security;
         alter table u force row level security;",
    );
    // A down.sql that forgets a flag does not undo its up.sql.
    let (_, diags) = replayed(&[
        ("create table t (id int primary key);", "drop table t;"),
        ("alter table t enable row level security;", ""),
    ]);
    let text = render_all(&diags, false);
    assert!(
        text.contains("does not undo") && text.contains("disable row level security"),
        "{text}"
    );
}

#[test]
fn storage_parameters_and_column_collations_replay_and_their_downs_undo_them() {
    assert_replays_to(
        &[
            (
                "create table t (id int primary key, a text collate \"C\", b text) with (fillfactor = 70);
                 create index t_b_idx on t (b) with (fillfactor = 50);",
                "drop table t;",
            ),
            (
                "alter table t set (fillfactor = 80, toast.autovacuum_enabled = false), \
                     alter column a type varchar(20), alter column b set data type text collate \"POSIX\" using b;
                 alter table t reset (toast.autovacuum_enabled);
                 alter table t add column c text collate pg_catalog.\"C\";",
                "alter table t drop column c;
                 alter table t alter column b type text, alter column a type text COLLATE \"C\";
                 alter table t set (fillfactor = 70);",
            ),
        ],
        "create table t (id int primary key, a varchar(20), b text collate \"POSIX\", c text collate \"C\")
             with (fillfactor = 80);
         create index t_b_idx on t (b) with (fillfactor = 50);",
    );
    assert_replays_to(
        &[
            (
                "create table t (id int primary key, a text);
                 create index t_a_idx on t (a) with (fillfactor = 50);",
                "drop table t;",
            ),
            (
                "alter index t_a_idx set (deduplicate_items = off, fillfactor = 60);",
                "alter index t_a_idx reset (deduplicate_items);
                 alter index public.t_a_idx set (fillfactor = 50);",
            ),
        ],
        "create table t (id int primary key, a text);
         create index t_a_idx on t (a) with (fillfactor = 60, deduplicate_items = off);",
    );
    // A down.sql that forgets a parameter does not undo its up.sql.
    let (_, diags) = replayed(&[
        ("create table t (id int primary key);", "drop table t;"),
        ("alter table t set (fillfactor = 60);", ""),
    ]);
    let text = render_all(&diags, false);
    assert!(
        text.contains("does not undo") && text.contains("fillfactor"),
        "{text}"
    );
}
