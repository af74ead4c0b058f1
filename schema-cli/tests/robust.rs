//! The `schema` binary under hostile conditions: expressions thousands of
//! terms deep, a reader that goes away, a full stdout, a full disk, two
//! `schema new` at once, a mistyped migrations directory, versions past a
//! PostgreSQL `bigint`. Each must end with a clear message or quietly, never
//! with a crash (a signal or a panic's exit 101).

#![allow(clippy::expect_used)] // test helpers fail loudly

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn schema(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_schema"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the schema binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The process ended by itself with `code` (no signal), without a panic.
fn assert_exit(out: &Output, code: i32, what: &str) {
    let stderr = text(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(code),
        "{what}: {:?}\n{}{stderr}",
        out.status,
        text(&out.stdout)
    );
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
}

fn write(path: &Path, contents: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, contents).expect("write");
}

/// A project whose schema.sql holds one table and an empty migrations directory.
fn project(schema_sql: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    write(&dir.path().join("schema.sql"), schema_sql);
    std::fs::create_dir_all(dir.path().join("migrations")).expect("mkdir");
    dir
}

/// A table whose `column` has `clause` followed by a 4,000-term chain.
fn deep_table(column: &str, clause: &str, term: &str, operator: &str, tail: &str) -> String {
    format!(
        "CREATE TABLE t (id int PRIMARY KEY, {column} {clause}{}{tail});\n",
        vec![term; 4000].join(operator)
    )
}

/// A 4,000-term chain of each operator the issue names, in a CHECK or a DEFAULT.
fn deep_tables() -> Vec<(&'static str, String)> {
    vec![
        ("OR", deep_table("b bool", "CHECK (", "b", " OR ", ")")),
        ("AND", deep_table("b bool,", "CHECK (", "b", " AND ", ")")),
        ("||", deep_table("s text", "DEFAULT ", "'x'", " || ", "")),
        ("+", deep_table("a int", "DEFAULT ", "1", " + ", "")),
        ("::", deep_table("a int", "DEFAULT 1", "", "::int", "")),
    ]
}

#[test]
fn a_chain_of_four_thousand_terms_is_a_located_error_not_a_stack_overflow() {
    for (operator, table) in deep_tables() {
        let dir = project(&table);
        let out = schema(dir.path(), &["check"]);
        assert_exit(&out, 1, operator);
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("error[S0003/unsupported_feature]"),
            "{operator}: {stderr}"
        );
        assert!(stderr.contains("limit is 1000"), "{operator}: {stderr}");
        assert!(stderr.contains("--> schema.sql:1:"), "{operator}: {stderr}");
        // The same refusal through `diff`, which reads the file by itself.
        let out = schema(
            dir.path(),
            &["diff", "--from", "schema.sql", "--to", "schema.sql"],
        );
        assert_exit(&out, 1, operator);
        assert!(
            text(&out.stderr).contains("limit is 1000"),
            "{operator}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn a_chain_just_under_the_limit_goes_through_new_check_and_diff() {
    let check = vec!["b"; 990].join(" OR ");
    let dir = project(&format!(
        "CREATE TABLE t (id int PRIMARY KEY, b bool, CHECK ({check}));\n"
    ));
    assert_exit(&schema(dir.path(), &["new", "init"]), 0, "new");
    assert_exit(&schema(dir.path(), &["check"]), 0, "check");
    let out = schema(
        dir.path(),
        &[
            "diff",
            "--from",
            "/dev/null",
            "--to",
            "schema.sql",
            "--dialect",
            "sqlite",
        ],
    );
    assert_exit(&out, 0, "diff");
    let stdout = text(&out.stdout);
    assert_eq!(
        stdout.matches(r#""b" OR "b""#).count(),
        495,
        "{:.300}",
        stdout
    );
}

/// A schema.sql whose `diff` from nothing prints far more than a pipe holds.
fn many_tables() -> tempfile::TempDir {
    let mut sql = String::new();
    for i in 0..2000 {
        sql.push_str(&format!(
            "CREATE TABLE table_{i} (id int PRIMARY KEY, name text NOT NULL);\n"
        ));
    }
    project(&sql)
}

#[test]
fn a_reader_that_goes_away_ends_the_command_quietly() {
    let dir = many_tables();
    let mut child = Command::new(env!("CARGO_BIN_EXE_schema"))
        .args(["diff", "--from", "/dev/null", "--to", "schema.sql"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the schema binary runs");
    // `| head -1`: read one line, then close the pipe while the command still
    // has most of its output to write.
    let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    reader.read_line(&mut first).expect("one line");
    assert!(first.starts_with("CREATE TABLE"), "{first}");
    drop(reader);
    let out = child.wait_with_output().expect("wait");
    assert_exit(&out, 0, "diff | head -1");
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

#[test]
fn database_commands_whose_reader_went_away_end_quietly() {
    let dir =
        project("CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (id int PRIMARY KEY);\n");
    assert_exit(&schema(dir.path(), &["new", "init"]), 0, "new");
    let url = "sqlite://app.db";
    assert_exit(&schema(dir.path(), &["up", "--database-url", url]), 0, "up");
    for args in [
        ["status", "--database-url", url],
        ["verify", "--database-url", url],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_schema"))
            .args(args)
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the schema binary runs");
        // `| head -0`: the reader is gone before the first line is written.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        assert_exit(&out, 0, args[0]);
    }
}

#[test]
fn a_full_stdout_is_reported_with_exit_1() {
    let dir = many_tables();
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        println!("skipped: this system has no /dev/full");
        return;
    };
    let out = Command::new(env!("CARGO_BIN_EXE_schema"))
        .args(["diff", "--from", "/dev/null", "--to", "schema.sql"])
        .current_dir(dir.path())
        .stdout(full)
        .output()
        .expect("the schema binary runs");
    assert_exit(&out, 1, "diff > /dev/full");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("error: cannot write to standard output"),
        "{stderr}"
    );
}

/// A small tmpfs mounted at a fresh directory, unmounted on drop.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// `None` (with the reason printed) where mounting is not allowed.
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().expect("temp dir");
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output();
        match mounted {
            Ok(out) if out.status.success() => Some(SmallDisk { dir }),
            Ok(out) => {
                println!(
                    "skipped: cannot mount a tmpfs (needs root): {}",
                    text(&out.stderr).trim()
                );
                None
            }
            Err(e) => {
                println!("skipped: cannot run mount: {e}");
                None
            }
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills the disk: a file grows until the disk refuses more.
    fn fill(&self) {
        let mut filler = std::fs::File::create(self.path().join("filler")).expect("filler");
        let chunk = [b'x'; 1024];
        while filler
            .write_all(&chunk)
            .and_then(|()| filler.sync_all())
            .is_ok()
        {}
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).output();
    }
}

fn migration(root: &Path, version: u64, table: &str) {
    let dir = root.join(format!("migrations/{version}_create_{table}"));
    write(
        &dir.join("up.sql"),
        &format!("CREATE TABLE {table} (id int PRIMARY KEY, name text NOT NULL);\n"),
    );
    write(&dir.join("down.sql"), &format!("DROP TABLE {table};\n"));
}

/// Every entry of `dir` whose name starts with `.` (temporary files left behind).
fn hidden(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("list")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.starts_with('.'))
        .collect()
}

#[test]
fn a_full_disk_leaves_schema_sum_and_the_migrations_as_they_were() {
    // Each small file takes a 4 KiB page: room for the migrations below.
    let Some(disk) = SmallDisk::mount("512k") else {
        return;
    };
    let root = disk.path();
    write(&root.join("schema.sql"), "");
    migration(root, 20240101000000, "first");
    assert_exit(&schema(root, &["sum"]), 0, "sum");
    let sum_path = root.join("migrations/schema.sum");
    let before = std::fs::read(&sum_path).expect("schema.sum");
    // Thirty more migrations: their schema.sum takes two pages, the old one one.
    for i in 1..=30 {
        migration(root, 20240101000000 + i, &format!("t{i}"));
    }
    disk.fill();

    let out = schema(root, &["sum"]);
    assert_exit(&out, 1, "sum on a full disk");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("cannot write migrations/schema.sum"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&sum_path).expect("schema.sum"), before);
    assert_eq!(hidden(&root.join("migrations")), Vec::<String>::new());
}

#[test]
fn a_full_disk_leaves_no_partial_migration() {
    let Some(disk) = SmallDisk::mount("64k") else {
        return;
    };
    let root = disk.path();
    // An up.sql of several pages, which cannot fit once the disk is full.
    let check = vec!["b"; 900].join(" OR ");
    write(
        &root.join("schema.sql"),
        &format!("CREATE TABLE wide (id int PRIMARY KEY, b bool, CHECK ({check}));\n"),
    );
    std::fs::create_dir_all(root.join("migrations")).expect("mkdir");
    disk.fill();
    let out = schema(root, &["new", "add_wide"]);
    assert_exit(&out, 1, "new on a full disk");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("cannot write migrations/"), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(root.join("migrations"))
        .expect("list")
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn two_new_started_together_never_write_one_version_twice() {
    // Enough tables that both analyses run at the same time.
    let dir = many_tables();
    let start = |slug: &str| {
        Command::new(env!("CARGO_BIN_EXE_schema"))
            .args(["new", slug])
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the schema binary runs")
    };
    let (a, b) = (start("first"), start("second"));
    let outs = [
        a.wait_with_output().expect("wait"),
        b.wait_with_output().expect("wait"),
    ];
    let ok = outs.iter().filter(|o| o.status.success()).count();
    assert_eq!(ok, 1, "exactly one writes the migration");
    for out in outs.iter().filter(|o| !o.status.success()) {
        // The other waited for the lock, then saw the first one's migration.
        assert_exit(out, 1, "the second new");
        assert!(
            text(&out.stderr).contains("nothing to do"),
            "{}",
            text(&out.stderr)
        );
    }
    let versions: Vec<String> = std::fs::read_dir(dir.path().join("migrations"))
        .expect("list")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.contains('_'))
        .collect();
    assert_eq!(versions.len(), 1, "{versions:?}");
    assert!(!dir.path().join("migrations/.schema-new.lock").exists());
    assert_exit(&schema(dir.path(), &["check"]), 0, "check after both");
}

#[test]
fn two_new_of_different_changes_write_distinct_versions() {
    // Each run adds its own table: both succeed, one after the other.
    let dir = project("CREATE TABLE a (id int PRIMARY KEY);\n");
    assert_exit(&schema(dir.path(), &["new", "add_a"]), 0, "first new");
    write(
        &dir.path().join("schema.sql"),
        "CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (id int PRIMARY KEY);\n",
    );
    // Within the same second as the first: the clock gives the same version.
    assert_exit(&schema(dir.path(), &["new", "add_b"]), 0, "second new");
    let mut versions: Vec<String> = std::fs::read_dir(dir.path().join("migrations"))
        .expect("list")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter_map(|n| n.split_once('_').map(|(v, _)| v.to_string()))
        .collect();
    versions.sort();
    versions.dedup();
    assert_eq!(versions.len(), 2, "{versions:?}");
    assert_exit(&schema(dir.path(), &["check"]), 0, "check");
}

#[test]
fn a_missing_migrations_directory_is_an_error_that_names_it() {
    let dir = project("CREATE TABLE t (id int PRIMARY KEY);\n");
    let root = dir.path();
    let db = format!("sqlite://{}", root.join("app.db").display());
    for args in [
        vec!["check", "--migrations", "migratons"],
        vec!["sum", "--migrations", "migratons"],
        vec!["status", "--migrations", "migratons", "--database-url", &db],
        vec!["up", "--migrations", "migratons", "--database-url", &db],
    ] {
        let out = schema(root, &args);
        assert_exit(&out, 1, args[0]);
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("the migrations directory `migratons` does not exist"),
            "{}: {stderr}",
            args[0]
        );
        assert!(stderr.contains("--migrations"), "{}: {stderr}", args[0]);
        assert!(!root.join("migratons").exists(), "{} created it", args[0]);
    }
    assert!(!root.join("app.db").exists(), "a database was created");
    // A file where the directory should be.
    write(&root.join("notadir"), "");
    for mut args in [vec!["check"], vec!["new", "init"]] {
        let command = args[0];
        args.extend(["--migrations", "notadir"]);
        let out = schema(root, &args);
        assert_exit(&out, 1, command);
        assert!(
            text(&out.stderr).contains("`notadir` is a file, not a directory"),
            "{command}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn only_the_first_new_creates_the_migrations_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    // Nothing to write: the directory is not left behind.
    write(&root.join("schema.sql"), "");
    let out = schema(root, &["new", "init"]);
    assert_exit(&out, 1, "new with nothing to do");
    assert!(!root.join("migrations").exists());
    write(
        &root.join("schema.sql"),
        "CREATE TABLE t (id int PRIMARY KEY);\n",
    );
    assert_exit(&schema(root, &["new", "init"]), 0, "first new");
    assert!(root.join("migrations/schema.sum").is_file());
    assert_exit(&schema(root, &["check"]), 0, "check");
}

#[test]
fn check_refuses_a_version_past_a_bigint() {
    let dir = project("CREATE TABLE t (id int PRIMARY KEY);\n");
    let root = dir.path();
    let name = "9223372036854775808_create_t";
    write(
        &root.join(format!("migrations/{name}/up.sql")),
        "CREATE TABLE t (id int PRIMARY KEY);\n",
    );
    write(
        &root.join(format!("migrations/{name}/down.sql")),
        "DROP TABLE t;\n",
    );
    let out = schema(root, &["check"]);
    assert_exit(&out, 1, "check");
    let stderr = text(&out.stderr);
    assert!(stderr.contains(&format!("`migrations/{name}`")), "{stderr}");
    assert!(
        stderr.contains("does not fit a PostgreSQL bigint"),
        "{stderr}"
    );
    // The largest bigint itself is a fine version.
    let fine = root.join("migrations/9223372036854775807_create_t");
    std::fs::rename(root.join(format!("migrations/{name}")), &fine).expect("rename");
    assert_exit(&schema(root, &["sum"]), 0, "sum");
    assert_exit(&schema(root, &["check"]), 0, "check");
}
