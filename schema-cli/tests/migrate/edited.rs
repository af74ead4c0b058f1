//! An applied migration edited afterwards is refused, naming version, file and
//! both checksums; a CRLF copy of the same files (a Windows checkout) is the
//! same migration: `check`, `up`, `status` and `verify` accept it, on a
//! database migrated from the LF files and the other way round.

use std::path::Path;

use crate::fixtures::{self, DIR1, V1};
use crate::{assert_exit, pg, schema, stderr, stdout};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Every `.sql` file under `dir` with CRLF line ends.
fn to_crlf(dir: &Path) -> usize {
    let mut converted = 0;
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            converted += to_crlf(&path);
        } else if path.extension().is_some_and(|e| e == "sql") {
            let text = std::fs::read_to_string(&path).expect("read");
            assert!(!text.contains('\r'));
            std::fs::write(&path, text.replace('\n', "\r\n")).expect("write");
            converted += 1;
        }
    }
    converted
}

/// The checksum `schema.sum` in `project` records for `file`.
fn recorded(project: &Path, file: &str) -> String {
    let sum = std::fs::read_to_string(project.join("migrations/schema.sum")).expect("schema.sum");
    sum.lines()
        .find_map(|l| l.strip_prefix(&format!("{file} ")))
        .unwrap_or_else(|| panic!("schema.sum has no line for {file}:\n{sum}"))
        .to_string()
}

/// The scenario on two empty databases `a` and `b`.
fn edited_is_refused_and_crlf_accepted(root: &Path, a: &str, b: &str, write: fn(&Path)) {
    let lf = root.join("lf");
    write(&lf);
    let run = |project: &Path, args: &[&str], url: &str| {
        let mut all = args.to_vec();
        all.extend(["--database-url", url]);
        schema(project, &all)
    };
    let out = run(&lf, &["up"], a);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("applied 3 migrations"),
        "{}",
        stdout(&out)
    );

    // Edited after it was applied (and re-summed, so `check` passes).
    let edited = root.join("edited");
    copy_dir(&lf, &edited);
    let up = edited.join(format!("migrations/{DIR1}/up.sql"));
    let mut text = std::fs::read_to_string(&up).expect("read up.sql");
    text.push_str("-- edited after it was applied\n");
    std::fs::write(&up, text).expect("edit up.sql");
    assert_exit(&schema(&edited, &["sum", "--migrations", "migrations"]), 0);
    assert_exit(&schema(&edited, &["check"]), 0);
    let before = recorded(&lf, &format!("{DIR1}/up.sql"));
    let after = recorded(&edited, &format!("{DIR1}/up.sql"));
    assert_ne!(before, after);
    let out = run(&edited, &["up"], a);
    assert_exit(&out, 1);
    let err = stderr(&out);
    for needle in [
        format!("migration {V1}"),
        format!("migrations/{DIR1}/up.sql"),
        before.clone(),
        after.clone(),
        "--allow-modified".to_string(),
    ] {
        assert!(
            err.contains(&needle),
            "the refusal names `{needle}`:\n{err}"
        );
    }
    let out = run(&edited, &["status"], a);
    assert_exit(&out, 0);
    let status = stdout(&out);
    assert!(
        status.contains("modified") && status.contains(&before),
        "status shows the edit:\n{status}"
    );

    // A CRLF checkout of the original files, schema.sum untouched.
    let crlf = root.join("crlf");
    copy_dir(&lf, &crlf);
    assert_eq!(to_crlf(&crlf), 7, "schema.sql and six migration files");
    let out = schema(&crlf, &["check"]);
    assert_exit(&out, 0);
    let out = run(&crlf, &["up"], a);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("nothing to do"), "{}", stdout(&out));
    let out = run(&crlf, &["status"], a);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("3 applied, 0 pending") && !stdout(&out).contains("modified"),
        "{}",
        stdout(&out)
    );
    assert_exit(&run(&crlf, &["verify"], a), 0);
    // `schema sum` on the CRLF copy writes the same file.
    let sum = std::fs::read(crlf.join("migrations/schema.sum")).expect("schema.sum");
    assert_exit(&schema(&crlf, &["sum", "--migrations", "migrations"]), 0);
    assert_eq!(
        std::fs::read(crlf.join("migrations/schema.sum")).expect("schema.sum"),
        sum,
        "re-summing the CRLF copy changes nothing"
    );

    // The other way round: applied from the CRLF copy, the LF files agree.
    let out = run(&crlf, &["up"], b);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("applied 3 migrations"),
        "{}",
        stdout(&out)
    );
    let out = run(&lf, &["up"], b);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("nothing to do"), "{}", stdout(&out));
    let out = run(&lf, &["status"], b);
    assert!(
        stdout(&out).contains("3 applied, 0 pending") && !stdout(&out).contains("modified"),
        "{}",
        stdout(&out)
    );
    assert_exit(&run(&lf, &["verify"], b), 0);
}

#[test]
fn sqlite_edited_migration_is_refused_and_a_crlf_checkout_accepted() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let a = format!("sqlite://{}", tmp.path().join("a.db").display());
    let b = format!("sqlite://{}", tmp.path().join("b.db").display());
    edited_is_refused_and_crlf_accepted(tmp.path(), &a, &b, fixtures::write_portable_project);
}

#[test]
fn postgres_edited_migration_is_refused_and_a_crlf_checkout_accepted() {
    let Some(server) = pg::server() else {
        return;
    };
    let a = server.create_database("migrate_edited_a");
    let b = server.create_database("migrate_edited_b");
    let tmp = tempfile::tempdir().expect("temp dir");
    edited_is_refused_and_crlf_accepted(tmp.path(), &a.url(), &b.url(), fixtures::write_project);
}
