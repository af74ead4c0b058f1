//! Privileges and owners without a server: what `GRANT`, `REVOKE` and `OWNER
//! TO` leave in the model, what is refused (each located at the words that
//! cause it), `-- schema: ignore(privileges)`, and the down a generated
//! migration comes with undoing its up. The same statements against
//! PostgreSQL are the canonical fixtures `grants_*` and the diff cases
//! `grants_*`, `a_grant_*`, `privileges_*` and `routine_and_type_privileges_*`.

#![allow(clippy::panic)] // test helpers fail loudly

use schema_core::diagnostic::{Diagnostic, Source, render_all};
use schema_core::migrations::MigrationFiles;
use schema_core::migrations::replay::replay;
use schema_core::model::QualifiedName;
use schema_core::model::privileges::{AclItem, AclKind, PUBLIC, Privilege};
use schema_core::parse::parse_schema_str;
use schema_core::{Schema, diagnostic::codes};

fn schema(sql: &str) -> Schema {
    parse_schema_str("schema.sql", sql).unwrap_or_else(|d| panic!("{}", render_all(&d, false)))
}

fn errors(sql: &str) -> Vec<Diagnostic> {
    match parse_schema_str("schema.sql", sql) {
        Ok(_) => panic!("accepted:\n{sql}"),
        Err(d) => d,
    }
}

/// The one error of `sql`, which must have `code`, be at `line:column` and
/// mention every one of `words`.
fn refused(sql: &str, code: &str, at: (u32, u32), words: &[&str]) {
    let d = errors(sql);
    let shown = render_all(&d, false);
    assert_eq!(d.len(), 1, "{shown}");
    assert_eq!(d[0].code.id, code, "{shown}");
    let origin = d[0]
        .origin
        .as_ref()
        .unwrap_or_else(|| panic!("no place: {shown}"));
    assert_eq!((origin.line, origin.column), at, "{shown}");
    for w in words {
        assert!(shown.contains(w), "`{w}` missing from:\n{shown}");
    }
}

fn item(grantee: &str, privilege: Privilege, grantable: bool) -> AclItem {
    AclItem {
        grantee: grantee.into(),
        privilege,
        grantable,
    }
}

const TABLE: &str = "CREATE TABLE t (id int PRIMARY KEY, a text, b text);\n";

#[test]
fn grants_and_revokes_leave_what_postgres_would() {
    let s = schema(&format!(
        "{TABLE}GRANT ALL ON t TO Reader WITH GRANT OPTION;\n\
         REVOKE GRANT OPTION FOR DELETE, TRUNCATE ON t FROM reader;\n\
         REVOKE INSERT, UPDATE, REFERENCES, TRIGGER ON TABLE t FROM reader;\n\
         GRANT SELECT (a), UPDATE (a, b) ON t TO \"Writer\", PUBLIC;\n\
         REVOKE UPDATE ON t FROM PUBLIC;"
    ));
    let acl = s.acl(AclKind::Table, &QualifiedName::public("t"));
    let items: Vec<&AclItem> = acl.items.iter().collect();
    assert_eq!(
        items,
        vec![
            &item("reader", Privilege::Select, true),
            &item("reader", Privilege::Delete, false),
            &item("reader", Privilege::Truncate, false),
        ]
    );
    // A table-level REVOKE takes the column privileges of the same kind.
    assert_eq!(
        acl.columns["a"],
        [
            item("Writer", Privilege::Select, false),
            item("Writer", Privilege::Update, false),
            item(PUBLIC, Privilege::Select, false),
        ]
        .into_iter()
        .collect()
    );
    assert_eq!(
        acl.columns["b"],
        [item("Writer", Privilege::Update, false)]
            .into_iter()
            .collect()
    );
}

#[test]
fn revoking_everything_leaves_no_entry() {
    let s = schema(&format!(
        "{TABLE}GRANT SELECT ON t TO reader;\nREVOKE ALL PRIVILEGES ON t FROM reader;\n\
         REVOKE USAGE ON SCHEMA public FROM PUBLIC;\nGRANT USAGE ON SCHEMA public TO PUBLIC;"
    ));
    assert!(s.privileges.is_empty(), "{:#?}", s.privileges);
}

#[test]
fn an_owner_absorbs_its_own_grants_and_its_tables_sequences_follow() {
    let s = schema(
        "CREATE TABLE t (id serial PRIMARY KEY);\n\
         GRANT SELECT ON t TO admin;\nGRANT USAGE ON SEQUENCE t_id_seq TO admin;\n\
         ALTER TABLE t OWNER TO admin;\nGRANT INSERT ON t TO admin;",
    );
    let table = s.acl(AclKind::Table, &QualifiedName::public("t"));
    assert_eq!(table.owner.as_deref(), Some("admin"));
    assert!(table.items.is_empty(), "{table:#?}");
    let seq = s.acl(AclKind::Sequence, &QualifiedName::public("t_id_seq"));
    assert_eq!(seq.owner.as_deref(), Some("admin"));
    assert!(seq.items.is_empty(), "{seq:#?}");
    // `CURRENT_USER` is the role that runs the migrations: no named owner.
    let s = schema("CREATE TABLE t (id int);\nALTER TABLE t OWNER TO CURRENT_USER;");
    assert!(s.privileges.is_empty());
}

#[test]
fn renames_keep_grants_and_drops_take_them() {
    let files = [MigrationFiles {
        version: 1,
        version_text: "00000000000001".into(),
        slug: "a".into(),
        up: Source::new(
            "migrations/00000000000001_a/up.sql",
            "CREATE TABLE t (id int, a text);\nCREATE TABLE gone (id int);\n\
             GRANT SELECT (a) ON t TO reader;\nGRANT SELECT ON gone TO reader;\n\
             ALTER TABLE t RENAME TO u;\nALTER TABLE u RENAME COLUMN a TO b;\nDROP TABLE gone;\n\
             CREATE TABLE gone (id int);",
        ),
        down: Source::new(
            "migrations/00000000000001_a/down.sql",
            "DROP TABLE u;\nDROP TABLE gone;",
        ),
        dir_name: "00000000000001_a".into(),
    }];
    let mut diags = Vec::new();
    let r = replay(&files, &mut diags);
    assert!(diags.is_empty(), "{}", render_all(&diags, false));
    let keys: Vec<String> = r
        .migrated
        .privileges
        .keys()
        .map(ToString::to_string)
        .collect();
    assert_eq!(keys, vec!["u"]);
    let acl = &r.migrated.privileges[&QualifiedName::public("u")];
    assert_eq!(acl.columns.keys().collect::<Vec<_>>(), vec!["b"]);
}

#[test]
fn what_the_model_does_not_carry_is_refused_where_it_is_written() {
    let unsupported = codes::UNSUPPORTED_FEATURE.id;
    refused(
        "GRANT CONNECT ON DATABASE test TO x;",
        unsupported,
        (1, 7),
        &["databases"],
    );
    refused(
        "GRANT USAGE ON LANGUAGE plpgsql TO x;",
        unsupported,
        (1, 16),
        &["languages"],
    );
    refused(
        "GRANT admin TO bob;",
        unsupported,
        (1, 7),
        &["role membership"],
    );
    refused(
        &format!("{TABLE}GRANT SELECT ON t TO CURRENT_USER;"),
        unsupported,
        (2, 22),
        &["name the role"],
    );
    refused(
        &format!("{TABLE}GRANT SELECT ON t TO x GRANTED BY y;"),
        unsupported,
        (2, 24),
        &["GRANTED BY"],
    );
    refused(
        &format!("{TABLE}REVOKE SELECT ON t FROM x CASCADE;"),
        unsupported,
        (2, 27),
        &["CASCADE"],
    );
    refused(
        "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY);\nGRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO x;",
        unsupported,
        (2, 41),
        &["identity column `t.id`", "ON SEQUENCE"],
    );
    refused(
        "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY);\nGRANT USAGE ON SEQUENCE t_id_seq TO x;",
        unsupported,
        (2, 25),
        &["identity column `t.id`"],
    );
    refused(
        &format!("{TABLE}ALTER TABLE t OWNER TO admin;\nREVOKE SELECT ON t FROM admin;"),
        unsupported,
        (3, 25),
        &["owner `admin`"],
    );
}

#[test]
fn grants_on_what_is_not_there_or_does_not_take_them_are_errors() {
    let syntax = codes::SYNTAX.id;
    let unknown = codes::UNKNOWN_OBJECT.id;
    refused(
        "GRANT SELECT ON nope TO x;",
        unknown,
        (1, 17),
        &["table `nope`"],
    );
    refused(
        "GRANT USAGE ON SCHEMA app TO x;",
        unknown,
        (1, 23),
        &["schema `app`"],
    );
    refused(
        &format!("{TABLE}GRANT SELECT (zz) ON t TO x;"),
        unknown,
        (2, 15),
        &["column `zz`"],
    );
    refused(
        &format!("{TABLE}GRANT USAGE ON t TO x;"),
        syntax,
        (2, 7),
        &["`USAGE` does not apply to a table", "`SELECT`"],
    );
    refused(
        &format!("{TABLE}GRANT DELETE (a) ON t TO x;"),
        syntax,
        (2, 7),
        &["does not apply to a column"],
    );
    refused("GRANT SELECT ON t;", syntax, (1, 18), &["expected TO"]);
}

#[test]
fn ignore_privileges_checks_the_statements_and_keeps_nothing() {
    let s = schema(&format!(
        "-- schema: ignore(privileges)\n{TABLE}GRANT SELECT ON t TO reader;\nALTER TABLE t OWNER TO admin;"
    ));
    assert!(s.privileges_ignored);
    assert!(s.privileges.is_empty());
    // Still checked: a grant on a table that is not there is an error.
    refused(
        "-- schema: ignore(grants)\nGRANT SELECT ON nope TO x;",
        codes::UNKNOWN_OBJECT.id,
        (2, 17),
        &["nope"],
    );
    // A setting of the whole project: not in a migration.
    let files = [MigrationFiles {
        version: 1,
        version_text: "00000000000001".into(),
        slug: "a".into(),
        up: Source::new(
            "migrations/00000000000001_a/up.sql",
            "-- schema: ignore(privileges)\nCREATE TABLE t (id int);",
        ),
        down: Source::new("migrations/00000000000001_a/down.sql", "DROP TABLE t;"),
        dir_name: "00000000000001_a".into(),
    }];
    let mut diags = Vec::new();
    replay(&files, &mut diags);
    let shown = render_all(&diags, false);
    assert!(shown.contains("schema.sql"), "{shown}");
    assert!(
        diags
            .iter()
            .any(|d| d.code.id == codes::NOT_ALLOWED_HERE.id),
        "{shown}"
    );
}

#[test]
fn default_privileges_reach_what_is_created_after_them() {
    use schema_core::model::privileges::DefaultObjects;
    let s = schema(
        "CREATE SCHEMA app;\nCREATE TABLE app.before (id int);\n\
         ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO reader;\n\
         ALTER DEFAULT PRIVILEGES GRANT USAGE ON SEQUENCES TO writer;\n\
         ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON ROUTINES FROM PUBLIC;\n\
         ALTER DEFAULT PRIVILEGES FOR USER admin GRANT ALL ON TABLES TO writer;\n\
         CREATE TABLE app.after (id serial);\nCREATE TABLE elsewhere (id int);",
    );
    let after = s.acl(AclKind::Table, &QualifiedName::new("app", "after"));
    assert_eq!(
        after.items,
        [item("reader", Privilege::Select, false)]
            .into_iter()
            .collect()
    );
    // Made before the default privileges, or outside their schema: nothing.
    assert!(
        s.privileges
            .get(&QualifiedName::new("app", "before"))
            .is_none()
    );
    assert!(
        s.privileges
            .get(&QualifiedName::public("elsewhere"))
            .is_none()
    );
    // The serial's sequence is created too.
    let seq = s.acl(
        AclKind::Sequence,
        &QualifiedName::new("app", "after_id_seq"),
    );
    assert_eq!(
        seq.items,
        [item("writer", Privilege::Usage, false)]
            .into_iter()
            .collect()
    );
    // EXECUTE for PUBLIC is the built-in default: revoking it is an entry.
    let functions = s.default_acl(None, None, DefaultObjects::Functions);
    assert!(functions.items.is_empty());
    assert_eq!(s.default_privileges.len(), 4);
    // Another role's defaults do not reach what the migrations create.
    assert_eq!(
        s.default_acl(Some("admin"), None, DefaultObjects::Tables)
            .items
            .len(),
        7
    );
}

#[test]
fn default_privileges_refuse_what_postgres_refuses() {
    let syntax = codes::SYNTAX.id;
    refused(
        "CREATE SCHEMA app;\nALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT USAGE ON SCHEMAS TO x;",
        syntax,
        (2, 36),
        &["`IN SCHEMA` cannot be used with `ON SCHEMAS`"],
    );
    refused(
        "ALTER DEFAULT PRIVILEGES IN SCHEMA nope GRANT SELECT ON TABLES TO x;",
        codes::UNKNOWN_OBJECT.id,
        (1, 36),
        &["schema `nope`"],
    );
    refused(
        "ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON TABLES TO x;",
        syntax,
        (1, 32),
        &["`EXECUTE` does not apply to tables"],
    );
    refused(
        "ALTER DEFAULT PRIVILEGES GRANT SELECT (a) ON TABLES TO x;",
        syntax,
        (1, 40),
        &["no column list"],
    );
    refused(
        "ALTER DEFAULT PRIVILEGES FOR ROLE CURRENT_USER GRANT SELECT ON TABLES TO x;",
        codes::UNSUPPORTED_FEATURE.id,
        (1, 35),
        &["name the role"],
    );
    refused(
        "ALTER DEFAULT PRIVILEGES GRANT SELECT ON VIEWS TO x;",
        syntax,
        (1, 42),
        &["TABLES, SEQUENCES"],
    );
}

const ROUTINES: &str = "CREATE TYPE mood AS ENUM ('sad', 'happy');\n\
    CREATE DOMAIN positive AS integer CHECK (VALUE > 0);\n\
    CREATE FUNCTION f(a integer, OUT b text) LANGUAGE sql AS 'SELECT a::text';\n\
    CREATE FUNCTION g(m mood) RETURNS integer LANGUAGE sql AS 'SELECT 1';\n\
    CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1';\n";

fn function_key(name: &str) -> QualifiedName {
    QualifiedName::public(name)
}

#[test]
fn grants_on_functions_procedures_and_types_leave_what_postgres_would() {
    let s = schema(&format!(
        "{ROUTINES}GRANT EXECUTE ON FUNCTION f(IN a integer, OUT text) TO Reader;\n\
         REVOKE EXECUTE ON FUNCTION f FROM PUBLIC;\n\
         GRANT ALL PRIVILEGES ON PROCEDURE p() TO writer WITH GRANT OPTION;\n\
         GRANT EXECUTE ON ROUTINE p TO reader;\n\
         REVOKE USAGE ON TYPE mood FROM PUBLIC;\n\
         GRANT USAGE ON DOMAIN positive TO reader;\n\
         ALTER FUNCTION g(mood) OWNER TO admin;\n\
         ALTER TYPE mood OWNER TO admin;\n\
         ALTER DOMAIN positive OWNER TO CURRENT_USER;"
    ));
    // A new routine has EXECUTE for PUBLIC: revoking it is what the entry says.
    let f = s.acl(AclKind::Function, &function_key("f(integer)"));
    assert_eq!(
        f.items,
        [item("reader", Privilege::Execute, false)]
            .into_iter()
            .collect()
    );
    let p = s.acl(AclKind::Procedure, &function_key("p()"));
    assert_eq!(
        p.items,
        [
            item(PUBLIC, Privilege::Execute, false),
            item("reader", Privilege::Execute, false),
            item("writer", Privilege::Execute, true),
        ]
        .into_iter()
        .collect()
    );
    let mood = s.acl(AclKind::Type, &QualifiedName::public("mood"));
    assert!(mood.items.is_empty());
    assert_eq!(mood.owner.as_deref(), Some("admin"));
    let positive = s.acl(AclKind::Type, &QualifiedName::public("positive"));
    assert_eq!(
        positive.items,
        [
            item(PUBLIC, Privilege::Usage, false),
            item("reader", Privilege::Usage, false),
        ]
        .into_iter()
        .collect()
    );
    assert_eq!(positive.owner, None);
    let g = s.acl(AclKind::Function, &function_key("g(mood)"));
    assert_eq!(g.owner.as_deref(), Some("admin"));
    assert!(!g.is_default());
    // Granting back what a new object has leaves no entry.
    let back = schema(&format!(
        "{ROUTINES}REVOKE EXECUTE ON FUNCTION f(integer) FROM PUBLIC;\n\
         GRANT EXECUTE ON FUNCTION f(integer) TO PUBLIC;\n\
         REVOKE ALL ON TYPE mood FROM PUBLIC;\nGRANT ALL ON TYPE mood TO PUBLIC;"
    ));
    assert!(back.privileges.is_empty(), "{:?}", back.privileges);
}

#[test]
fn all_routines_in_a_schema_take_the_grant() {
    let s = schema(&format!(
        "{ROUTINES}GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO reader;\n\
         REVOKE EXECUTE ON ALL PROCEDURES IN SCHEMA public FROM PUBLIC;\n\
         GRANT EXECUTE ON ALL ROUTINES IN SCHEMA public TO writer;"
    ));
    for key in ["f(integer)", "g(mood)"] {
        let acl = s.acl(AclKind::Function, &function_key(key));
        assert_eq!(
            acl.items,
            [
                item(PUBLIC, Privilege::Execute, false),
                item("reader", Privilege::Execute, false),
                item("writer", Privilege::Execute, false),
            ]
            .into_iter()
            .collect(),
            "{key}"
        );
    }
    let p = s.acl(AclKind::Procedure, &function_key("p()"));
    assert_eq!(
        p.items,
        [item("writer", Privilege::Execute, false)]
            .into_iter()
            .collect()
    );
}

#[test]
fn routine_and_type_grants_follow_renames_and_go_with_drops() {
    let up = format!(
        "{ROUTINES}CREATE SCHEMA app;\n\
         GRANT EXECUTE ON FUNCTION g(mood) TO reader;\n\
         GRANT EXECUTE ON FUNCTION f(integer) TO reader;\n\
         REVOKE USAGE ON TYPE mood FROM PUBLIC;\n\
         ALTER TYPE mood RENAME TO feeling;\n\
         ALTER FUNCTION f(integer) RENAME TO h;\n\
         ALTER FUNCTION h(integer) SET SCHEMA app;\n\
         GRANT EXECUTE ON PROCEDURE p() TO reader;\nDROP PROCEDURE p();\n\
         GRANT USAGE ON DOMAIN positive TO reader;\nDROP DOMAIN positive;"
    );
    let files = [MigrationFiles {
        version: 1,
        version_text: "00000000000001".into(),
        slug: "a".into(),
        up: Source::new("migrations/00000000000001_a/up.sql", up),
        down: Source::new(
            "migrations/00000000000001_a/down.sql",
            "DROP FUNCTION app.h(integer);\nDROP FUNCTION g(feeling);\nDROP TYPE feeling;\nDROP SCHEMA app;",
        ),
        dir_name: "00000000000001_a".into(),
    }];
    let mut diags = Vec::new();
    let s = replay(&files, &mut diags).migrated;
    assert!(diags.is_empty(), "{}", render_all(&diags, false));
    // The type's grants follow it, and so do those of the function whose
    // signature names it.
    assert!(
        s.acl(AclKind::Type, &QualifiedName::public("feeling"))
            .items
            .is_empty()
    );
    let g = s.acl(AclKind::Function, &function_key("g(feeling)"));
    assert!(g.items.contains(&item("reader", Privilege::Execute, false)));
    let h = s.acl(AclKind::Function, &QualifiedName::new("app", "h(integer)"));
    assert!(h.items.contains(&item("reader", Privilege::Execute, false)));
    assert_eq!(
        s.privileges.len(),
        3,
        "the dropped ones go: {:?}",
        s.privileges.keys().collect::<Vec<_>>()
    );
}

#[test]
fn default_privileges_reach_created_functions_and_types() {
    let s = schema(
        "ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;\n\
         ALTER DEFAULT PRIVILEGES GRANT USAGE ON TYPES TO reader;\n\
         CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS 'SELECT 1';\n\
         CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1';\n\
         CREATE TYPE mood AS ENUM ('a');\nCREATE DOMAIN d AS integer;\n\
         CREATE TYPE pair AS (a integer);\n\
         ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO reader;\n\
         CREATE VIEW v AS SELECT 1 AS a;",
    );
    // A view is created as a table is: the default privileges reach it.
    assert_eq!(
        s.acl(AclKind::Table, &QualifiedName::public("v")).items,
        [item("reader", Privilege::Select, false)]
            .into_iter()
            .collect()
    );
    assert!(
        s.acl(AclKind::Function, &function_key("f()"))
            .items
            .is_empty()
    );
    assert!(
        s.acl(AclKind::Procedure, &function_key("p()"))
            .items
            .is_empty()
    );
    for t in ["mood", "d", "pair"] {
        assert_eq!(
            s.acl(AclKind::Type, &QualifiedName::public(t)).items,
            [
                item(PUBLIC, Privilege::Usage, false),
                item("reader", Privilege::Usage, false),
            ]
            .into_iter()
            .collect(),
            "{t}"
        );
    }
}

#[test]
fn routine_and_type_grants_on_what_is_not_there_are_located_errors() {
    let unknown = codes::UNKNOWN_OBJECT.id;
    refused(
        &format!("{ROUTINES}GRANT EXECUTE ON FUNCTION ff(integer) TO x;"),
        unknown,
        (6, 27),
        &["function `ff(integer)` does not exist", "did you mean `f`?"],
    );
    refused(
        &format!("{ROUTINES}GRANT EXECUTE ON FUNCTION f(text) TO x;"),
        unknown,
        (6, 27),
        &["`f(text)` does not exist", "did you mean `f(integer)`?"],
    );
    refused(
        &format!(
            "{ROUTINES}CREATE FUNCTION f(t text) RETURNS text LANGUAGE sql AS 'SELECT t';\n\
             GRANT EXECUTE ON FUNCTION f TO x;"
        ),
        unknown,
        (7, 27),
        &["not unique", "`f(integer)`", "`f(text)`"],
    );
    refused(
        &format!("{ROUTINES}GRANT EXECUTE ON PROCEDURE f(integer) TO x;"),
        unknown,
        (6, 28),
        &["is not a procedure", "FUNCTION f(integer)"],
    );
    refused(
        &format!("{ROUTINES}GRANT USAGE ON TYPE moood TO x;"),
        unknown,
        (6, 21),
        &["type `moood` does not exist", "did you mean `mood`?"],
    );
    refused(
        &format!("{ROUTINES}GRANT USAGE ON DOMAIN mood TO x;"),
        unknown,
        (6, 23),
        &["`mood` is not a domain", "ON TYPE mood"],
    );
    refused(
        &format!("{ROUTINES}GRANT SELECT ON FUNCTION f(integer) TO x;"),
        codes::SYNTAX.id,
        (6, 7),
        &["`SELECT` does not apply to a function", "`EXECUTE`"],
    );
    refused(
        &format!("{ROUTINES}GRANT EXECUTE ON ALL TYPES IN SCHEMA public TO x;"),
        codes::SYNTAX.id,
        (6, 22),
        &["FUNCTIONS, PROCEDURES or ROUTINES"],
    );
    refused(
        &format!("{ROUTINES}GRANT EXECUTE ON FUNCTION f(integer TO x;"),
        codes::SYNTAX.id,
        (6, 40),
        &["expected `,`", "in this `GRANT EXECUTE ON FUNCTION`"],
    );
    // Created later: statements apply in order.
    refused(
        "GRANT USAGE ON TYPE later TO x;\nCREATE TYPE later AS ENUM ('a');",
        unknown,
        (1, 21),
        &["type `later` does not exist at this point"],
    );
}

#[test]
fn ignore_privileges_keeps_no_routine_or_type_grants() {
    let s = schema(&format!(
        "-- schema: ignore(privileges)\n{ROUTINES}REVOKE EXECUTE ON FUNCTION f(integer) FROM PUBLIC;\n\
         ALTER FUNCTION g(mood) OWNER TO admin;\nALTER TYPE mood OWNER TO admin;\n\
         ALTER DOMAIN positive OWNER TO admin;\nREVOKE USAGE ON TYPE mood FROM PUBLIC;\n\
         CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY);\n\
         GRANT USAGE ON SEQUENCE t_id_seq TO x;"
    ));
    assert!(s.privileges.is_empty());
}
