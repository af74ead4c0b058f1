//! The `.env` file of the database commands: found in the current directory or
//! the nearest parent, it gives what the environment does not set; the
//! environment wins over it and `--database-url`/`--url` over both. Run on
//! SQLite files, so no server is needed.

#![allow(clippy::expect_used)] // test helpers fail loudly

use std::path::Path;
use std::process::{Command, Output};

/// A project of one migration, schema.sql in step with it, schema.sum written.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let m = dir.path().join("migrations/20240101000000_init");
    std::fs::create_dir_all(&m).expect("mkdir");
    std::fs::write(m.join("up.sql"), "create table t (id int primary key);\n").expect("write");
    std::fs::write(m.join("down.sql"), "drop table t;\n").expect("write");
    std::fs::write(
        dir.path().join("schema.sql"),
        "create table t (id int primary key);\n",
    )
    .expect("write");
    let sum = schema(dir.path(), &["sum"], &[]);
    assert_eq!(sum.status.code(), Some(0), "{}", text(&sum));
    dir
}

/// Runs `schema args` in `dir` with only `env` of the variables it reads set.
fn schema(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_schema"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("SCHEMA_CONNECT_TIMEOUT");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("the schema binary runs")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

#[test]
fn the_flag_wins_over_the_environment_which_wins_over_dot_env() {
    let dir = project();
    let root = dir.path();
    let (from_file, from_env, from_flag) = (
        root.join("file.db"),
        root.join("env.db"),
        root.join("flag.db"),
    );
    std::fs::write(
        root.join(".env"),
        format!(
            "# the project's database\nexport DATABASE_URL=\"{}\"  # quoted\n",
            sqlite_url(&from_file)
        ),
    )
    .expect("write .env");

    // Only .env: its URL.
    let out = schema(root, &["up"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(from_file.exists(), "`up` used .env's URL: {}", text(&out));

    // The environment over .env.
    let env_url = sqlite_url(&from_env);
    let out = schema(root, &["up"], &[("DATABASE_URL", &env_url)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(from_env.exists(), "`up` used DATABASE_URL: {}", text(&out));

    // `--url` (and `--database-url`) over both.
    let flag_url = sqlite_url(&from_flag);
    let out = schema(
        root,
        &["up", "--url", &flag_url],
        &[("DATABASE_URL", &env_url)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(from_flag.exists(), "`up` used the flag: {}", text(&out));
    std::fs::remove_file(&from_flag).expect("remove");
    let out = schema(root, &["up", "--database-url", &flag_url], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(from_flag.exists(), "`up` used the flag: {}", text(&out));
}

#[test]
fn the_nearest_dot_env_above_the_current_directory_is_read() {
    let dir = project();
    let root = dir.path();
    let db = root.join("parent.db");
    std::fs::write(
        root.join(".env"),
        format!("DATABASE_URL='{}'\n", sqlite_url(&db)),
    )
    .expect("write .env");
    let sub = root.join("deeper/still");
    std::fs::create_dir_all(&sub).expect("mkdir");
    let args = [
        "up",
        "--migrations",
        "../../migrations",
        "--schema",
        "../../schema.sql",
    ];
    let out = schema(&sub, &args, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(db.exists(), "`up` used the parent's .env: {}", text(&out));

    // A nearer .env is the one read (its URL names another file).
    let nearer = root.join("nearer.db");
    std::fs::write(
        root.join("deeper/.env"),
        format!("DATABASE_URL={}\n", sqlite_url(&nearer)),
    )
    .expect("write .env");
    let out = schema(&sub, &args, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(nearer.exists(), "`up` used the nearer .env: {}", text(&out));
}

#[test]
fn a_malformed_dot_env_is_an_error_naming_its_line_and_column() {
    let dir = project();
    let root = dir.path();
    std::fs::write(
        root.join(".env"),
        "# settings\nDATABASE_URL=sqlite://a.db\nGREETING=hello world\n",
    )
    .expect("write .env");
    let out = schema(root, &["status"], &[]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("malformed line in `.env`"), "{all}");
    assert!(all.contains("--> .env:3:16"), "{all}");
    assert!(all.contains("GREETING=hello world"), "{all}");
    assert!(all.contains("put the value in quotes"), "{all}");
    assert!(!root.join("a.db").exists(), "nothing ran");
    // From a subdirectory, the path shown leads to the file.
    let sub = root.join("sub");
    std::fs::create_dir_all(&sub).expect("mkdir");
    let all = text(&schema(&sub, &["check"], &[]));
    assert!(all.contains("--> ../.env:3:16"), "{all}");
}

#[test]
fn without_a_url_anywhere_the_command_line_is_wrong() {
    let dir = project();
    let out = schema(dir.path(), &["status"], &[]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(2), "{all}");
    assert!(all.contains("no database URL"), "{all}");
    assert!(all.contains("`.env`"), "{all}");
}

#[test]
fn a_connect_timeout_from_dot_env_that_is_no_number_names_its_line() {
    let dir = project();
    let root = dir.path();
    std::fs::write(
        root.join(".env"),
        "DATABASE_URL=sqlite::memory:\nSCHEMA_CONNECT_TIMEOUT=soon\n",
    )
    .expect("write .env");
    let out = schema(root, &["status"], &[]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(
        all.contains("SCHEMA_CONNECT_TIMEOUT=`soon` (from .env:2) is not a number of seconds"),
        "{all}"
    );
    // The environment's value wins over the file's.
    let out = schema(root, &["status"], &[("SCHEMA_CONNECT_TIMEOUT", "5")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn help_states_the_precedence() {
    let out = schema(Path::new("."), &["--help"], &[]);
    let help = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{help}");
    assert!(help.contains("Environment and .env:"), "{help}");
    assert!(
        help.contains("A flag wins\n  over the environment, and the environment over `.env`"),
        "{help}"
    );
    let out = schema(Path::new("."), &["up", "--help"], &[]);
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("--database-url <URL>"), "{help}");
    assert!(help.contains("[alias: --url]"), "{help}");
    assert!(help.contains("[env: DATABASE_URL="), "{help}");
}
