//! Database URLs: one that names no database is an error saying which forms
//! are read; commands that only read (`status`, `verify`, `diff`, and `down`,
//! `redo`, `resolve`) never create a missing SQLite file, `up` and `stamp` do.

use crate::{assert_exit, one_table_project, schema, stderr, stdout};

#[test]
fn a_url_naming_no_database_is_an_error_with_the_forms() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    one_table_project(dir);
    for url in ["sqlite://", "sqlite:"] {
        for command in ["up", "status", "verify"] {
            let out = schema(dir, &[command, "--database-url", url]);
            assert_exit(&out, 1);
            let err = stderr(&out);
            assert!(
                err.contains(&format!("`{url}` names no SQLite file"))
                    && err.contains("sqlite::memory:"),
                "{command} {url}:\n{err}"
            );
            assert!(!stdout(&out).contains("nothing to do"), "{command} {url}");
        }
        let out = schema(dir, &["diff", "--from", url, "--to", "schema.sql"]);
        assert_exit(&out, 1);
        assert!(stderr(&out).contains("names no SQLite file"), "diff {url}");
    }
    let out = schema(
        dir,
        &["up", "--database-url", "mysql://root:hunter2@db/app"],
    );
    assert_exit(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("`mysql://root:***@db/app` is not a database URL")
            && err.contains("postgres://user[:password]@host")
            && !err.contains("hunter2"),
        "{err}"
    );
    // No host at all.
    let out = schema(dir, &["status", "--database-url", "postgres://"]);
    assert_exit(&out, 1);
    assert!(stderr(&out).contains("names no host"), "{}", stderr(&out));
    // In memory stays valid.
    let out = schema(dir, &["up", "--database-url", "sqlite::memory:"]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("applied 1 migration"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn read_only_commands_never_create_a_missing_sqlite_file() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    one_table_project(dir);
    let missing = dir.join("missing.db");
    let url = format!("sqlite://{}", missing.display());
    let commands: [&[&str]; 7] = [
        &["status", "--database-url", &url],
        &["verify", "--database-url", &url],
        &["down", "--database-url", &url],
        &["redo", "--database-url", &url],
        &["resolve", "1", "--applied", "--database-url", &url],
        &["diff", "--from", &url, "--to", "schema.sql"],
        &["diff", "--from", "schema.sql", "--to", &url],
    ];
    for args in commands {
        let out = schema(dir, args);
        assert_exit(&out, 1);
        let err = stderr(&out);
        assert!(
            err.contains("missing.db") && err.contains("the file does not exist"),
            "{args:?}:\n{err}"
        );
        assert!(!missing.exists(), "{args:?} created {}", missing.display());
    }
    // `stamp` and `up` start a new database.
    assert_exit(&schema(dir, &["stamp", "0", "--database-url", &url]), 0);
    assert!(missing.exists(), "stamp creates the file");
    std::fs::remove_file(&missing).expect("remove the file");
    assert_exit(&schema(dir, &["up", "--database-url", &url]), 0);
    assert!(missing.exists(), "up creates the file");
    assert_exit(&schema(dir, &["status", "--database-url", &url]), 0);
}
