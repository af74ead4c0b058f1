//! Discovering a migrations directory, checksums and `schema.sum`, on real directories.

use std::error::Error;
use std::fs;
use std::path::Path;

use schema_core::diagnostic::{Code, Diagnostic, codes, render_all};
use schema_core::migrations::sum::{self, SUM_FILE};
use schema_core::migrations::{MigrationFiles, checksum, discover};

type TestResult = Result<(), Box<dyn Error>>;

const UP_1: &str = "CREATE TABLE users (\n  id bigint PRIMARY KEY\n);\n";
const DOWN_1: &str = "DROP TABLE users;\n";
const UP_2: &str = "ALTER TABLE users ADD COLUMN email text;\n";
const DOWN_2: &str = "ALTER TABLE users DROP COLUMN email;\n";

/// Writes `<dir>/<name>/up.sql` and `down.sql`.
fn add_migration(dir: &Path, name: &str, up: &str, down: &str) -> std::io::Result<()> {
    fs::create_dir_all(dir.join(name))?;
    fs::write(dir.join(name).join("up.sql"), up)?;
    fs::write(dir.join(name).join("down.sql"), down)
}

/// A directory with two migrations, written out of version order on purpose.
fn two_migrations() -> std::io::Result<tempfile::TempDir> {
    let tmp = tempfile::tempdir()?;
    add_migration(tmp.path(), "20240212101500_add_email", UP_2, DOWN_2)?;
    add_migration(tmp.path(), "20240105093000_create_users", UP_1, DOWN_1)?;
    Ok(tmp)
}

/// Discovers `dir`, which must hold no problem.
fn discover_clean(dir: &Path) -> Result<Vec<MigrationFiles>, Box<dyn Error>> {
    let (migrations, diagnostics) = discover(dir, "migrations");
    if !diagnostics.is_empty() {
        return Err(render_all(&diagnostics, false).into());
    }
    Ok(migrations)
}

/// The codes of `diagnostics`, after checking that each renders and carries a help.
fn codes_of(diagnostics: &[Diagnostic]) -> Vec<Code> {
    for d in diagnostics {
        let text = d.render(false);
        assert!(text.contains(d.code.id), "{text}");
        assert!(d.help.is_some(), "no help in:\n{text}");
        assert!(!d.message.ends_with('.'), "{text}");
    }
    diagnostics.iter().map(|d| d.code).collect()
}

/// Rewrites every file under `dir` with CRLF line endings.
fn to_crlf(dir: &Path) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            to_crlf(&path)?;
        } else {
            let text = fs::read_to_string(&path)?;
            fs::write(&path, text.replace('\n', "\r\n"))?;
        }
    }
    Ok(())
}

#[test]
fn migrations_come_out_in_version_order() -> TestResult {
    let tmp = two_migrations()?;
    add_migration(tmp.path(), "9_early", "", "")?;
    let migrations = discover_clean(tmp.path())?;
    let names: Vec<&str> = migrations.iter().map(|m| m.dir_name.as_str()).collect();
    assert_eq!(
        names,
        [
            "9_early",
            "20240105093000_create_users",
            "20240212101500_add_email"
        ]
    );
    let first = &migrations[1];
    assert_eq!(first.version, 20240105093000);
    assert_eq!(first.version_text, "20240105093000");
    assert_eq!(first.slug, "create_users");
    assert_eq!(
        first.up.path,
        "migrations/20240105093000_create_users/up.sql"
    );
    assert_eq!(first.up.text, UP_1);
    assert_eq!(first.down.text, DOWN_1);
    Ok(())
}

#[test]
fn sum_file_readme_and_hidden_entries_are_ignored() -> TestResult {
    let tmp = two_migrations()?;
    fs::write(tmp.path().join("README.md"), "# migrations\n")?;
    fs::write(tmp.path().join(".DS_Store"), "")?;
    fs::create_dir(tmp.path().join(".git"))?;
    fs::write(tmp.path().join(SUM_FILE), "h1 x\n")?;
    assert_eq!(discover_clean(tmp.path())?.len(), 2);
    Ok(())
}

#[test]
fn texts_are_kept_exactly_as_read() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let up = "\u{feff}CREATE TABLE t (id int PRIMARY KEY);\r\n";
    add_migration(tmp.path(), "1_t", up, "DROP TABLE t;\r\n")?;
    let migrations = discover_clean(tmp.path())?;
    assert_eq!(migrations[0].up.text, up);
    Ok(())
}

#[test]
fn badly_named_entries_are_each_reported() -> TestResult {
    let tmp = two_migrations()?;
    add_migration(tmp.path(), "create_posts", "", "")?; // no version
    add_migration(tmp.path(), "20240301_", "", "")?; // empty slug
    add_migration(tmp.path(), "2024a_posts", "", "")?; // not digits
    add_migration(tmp.path(), "20240301_posts.v2", "", "")?; // `.` in slug
    add_migration(tmp.path(), "12345678901234567890_long", "", "")?; // 20 digits
    fs::write(tmp.path().join("20240302_notes.sql"), "")?; // a file
    fs::write(tmp.path().join("20240303_file"), "")?; // a file with a good name
    add_migration(tmp.path(), "20240304_Add-Posts", "", "")?; // accepted
    let (migrations, diagnostics) = discover(tmp.path(), "migrations");
    assert_eq!(
        codes_of(&diagnostics),
        vec![codes::BAD_MIGRATION_NAME; 7],
        "{}",
        render_all(&diagnostics, false)
    );
    assert_eq!(migrations.len(), 3);
    let text = render_all(&diagnostics, false);
    assert!(text.contains("`migrations/create_posts`"), "{text}");
    assert!(text.contains("`20240105093000_create_users/`"), "{text}");
    Ok(())
}

#[test]
fn two_migrations_with_one_version_are_reported_with_both_names() -> TestResult {
    let tmp = two_migrations()?;
    add_migration(tmp.path(), "20240105093000_create_posts", "", "")?;
    let (migrations, diagnostics) = discover(tmp.path(), "migrations");
    assert_eq!(codes_of(&diagnostics), [codes::DUPLICATE_VERSION]);
    let message = &diagnostics[0].message;
    assert!(message.contains("20240105093000_create_posts"), "{message}");
    assert!(message.contains("20240105093000_create_users"), "{message}");
    assert_eq!(migrations.len(), 3);
    Ok(())
}

#[test]
fn versions_compare_as_numbers() -> TestResult {
    let tmp = tempfile::tempdir()?;
    add_migration(tmp.path(), "0001_a", "", "")?;
    add_migration(tmp.path(), "1_b", "", "")?;
    let (_, diagnostics) = discover(tmp.path(), "migrations");
    assert_eq!(codes_of(&diagnostics), [codes::DUPLICATE_VERSION]);
    Ok(())
}

#[test]
fn a_migration_without_down_sql_is_reported() -> TestResult {
    let tmp = two_migrations()?;
    fs::remove_file(tmp.path().join("20240212101500_add_email/down.sql"))?;
    let (migrations, diagnostics) = discover(tmp.path(), "migrations");
    assert_eq!(codes_of(&diagnostics), [codes::MISSING_MIGRATION_FILE]);
    let text = diagnostics[0].render(false);
    assert!(
        text.contains("migrations/20240212101500_add_email"),
        "{text}"
    );
    assert!(text.contains("down_does_not_undo_up"), "{text}");
    assert_eq!(migrations.len(), 1);
    Ok(())
}

#[test]
fn a_missing_directory_holds_no_migrations() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let (migrations, diagnostics) = discover(&tmp.path().join("migrations"), "migrations");
    assert!(migrations.is_empty());
    assert!(diagnostics.is_empty());
    Ok(())
}

#[test]
fn a_file_instead_of_a_directory_is_an_io_error() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let file = tmp.path().join("migrations");
    fs::write(&file, "")?;
    let (migrations, diagnostics) = discover(&file, "migrations");
    assert!(migrations.is_empty());
    assert_eq!(codes_of(&diagnostics), [codes::IO]);
    Ok(())
}

#[test]
fn a_file_that_is_not_utf8_is_an_io_error_naming_it() -> TestResult {
    let tmp = two_migrations()?;
    fs::write(
        tmp.path().join("20240212101500_add_email/up.sql"),
        b"SELECT \xff;\n",
    )?;
    let (migrations, diagnostics) = discover(tmp.path(), "migrations");
    assert_eq!(codes_of(&diagnostics), [codes::IO]);
    assert!(
        diagnostics[0]
            .message
            .contains("migrations/20240212101500_add_email/up.sql"),
        "{}",
        diagnostics[0].message
    );
    assert_eq!(migrations.len(), 1);
    Ok(())
}

#[test]
fn checksum_ignores_crlf_and_bom_but_not_other_edits() {
    let lf = "CREATE TABLE t (\n  id int\n);\n";
    let sum = checksum(lf);
    assert_eq!(sum.len(), 64);
    assert!(
        sum.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    assert_eq!(checksum(&lf.replace('\n', "\r\n")), sum);
    assert_eq!(checksum(&format!("\u{feff}{lf}")), sum);
    assert_eq!(
        checksum(&format!("\u{feff}{}", lf.replace('\n', "\r\n"))),
        sum
    );
    assert_ne!(checksum(&lf.replace("  ", "    ")), sum);
    assert_ne!(checksum(lf.trim_end()), sum);
    assert_ne!(checksum(&lf.replace('\n', "\r")), sum);
    // The well-known SHA-256 of the empty string.
    assert_eq!(
        checksum(""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn sum_file_lists_down_then_up_per_migration_under_a_total() -> TestResult {
    let tmp = two_migrations()?;
    let migrations = discover_clean(tmp.path())?;
    let text = sum::render(&migrations);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    assert!(lines[0].starts_with("h1 "), "{text}");
    assert_eq!(
        lines[1],
        format!("20240105093000_create_users/down.sql {}", checksum(DOWN_1))
    );
    assert_eq!(
        lines[2],
        format!("20240105093000_create_users/up.sql {}", checksum(UP_1))
    );
    assert!(lines[3].starts_with("20240212101500_add_email/down.sql "));
    assert!(lines[4].starts_with("20240212101500_add_email/up.sql "));
    assert!(text.ends_with('\n'));
    let body: String = lines[1..].iter().map(|l| format!("{l}\n")).collect();
    assert_eq!(lines[0], format!("h1 {}", checksum(&body)));
    Ok(())
}

#[test]
fn written_sum_verifies_and_is_not_rewritten() -> TestResult {
    let tmp = two_migrations()?;
    let migrations = discover_clean(tmp.path())?;
    assert!(sum::write(tmp.path(), &migrations)?);
    assert_eq!(
        fs::read_to_string(tmp.path().join(SUM_FILE))?,
        sum::render(&migrations)
    );
    assert!(!sum::write(tmp.path(), &migrations)?);
    let again = discover_clean(tmp.path())?;
    let diagnostics = sum::verify(tmp.path(), "migrations", &again);
    assert!(
        diagnostics.is_empty(),
        "{}",
        render_all(&diagnostics, false)
    );
    Ok(())
}

#[test]
fn no_migrations_and_no_sum_is_fine() -> TestResult {
    let tmp = tempfile::tempdir()?;
    assert!(sum::verify(tmp.path(), "migrations", &[]).is_empty());
    Ok(())
}

#[test]
fn editing_a_recorded_file_is_a_checksum_mismatch_showing_both_hashes() -> TestResult {
    let tmp = two_migrations()?;
    let before = discover_clean(tmp.path())?;
    sum::write(tmp.path(), &before)?;
    let edited = UP_1.replace("bigint", "int");
    fs::write(
        tmp.path().join("20240105093000_create_users/up.sql"),
        &edited,
    )?;
    let after = discover_clean(tmp.path())?;
    let diagnostics = sum::verify(tmp.path(), "migrations", &after);
    assert_eq!(codes_of(&diagnostics), [codes::CHECKSUM_MISMATCH]);
    let text = diagnostics[0].render(false);
    assert!(
        text.contains("migrations/20240105093000_create_users/up.sql"),
        "{text}"
    );
    assert!(text.contains(&checksum(UP_1)), "{text}");
    assert!(text.contains(&checksum(&edited)), "{text}");
    assert!(text.contains("schema sum"), "{text}");
    assert_eq!(
        diagnostics[0].location().as_deref(),
        Some("migrations/20240105093000_create_users/up.sql:1:1")
    );
    Ok(())
}

#[test]
fn every_edited_file_is_reported() -> TestResult {
    let tmp = two_migrations()?;
    sum::write(tmp.path(), &discover_clean(tmp.path())?)?;
    fs::write(tmp.path().join("20240105093000_create_users/down.sql"), "")?;
    fs::write(tmp.path().join("20240212101500_add_email/up.sql"), "")?;
    let diagnostics = sum::verify(tmp.path(), "migrations", &discover_clean(tmp.path())?);
    assert_eq!(
        codes_of(&diagnostics),
        [codes::CHECKSUM_MISMATCH, codes::CHECKSUM_MISMATCH]
    );
    Ok(())
}

#[test]
fn a_crlf_checkout_of_everything_still_verifies() -> TestResult {
    let tmp = two_migrations()?;
    sum::write(tmp.path(), &discover_clean(tmp.path())?)?;
    to_crlf(tmp.path())?;
    let migrations = discover_clean(tmp.path())?;
    assert!(migrations[0].up.text.contains("\r\n"));
    let diagnostics = sum::verify(tmp.path(), "migrations", &migrations);
    assert!(
        diagnostics.is_empty(),
        "{}",
        render_all(&diagnostics, false)
    );
    assert!(!sum::write(tmp.path(), &migrations)?);
    Ok(())
}

#[test]
fn a_migration_added_without_resumming_makes_the_sum_stale() -> TestResult {
    let tmp = two_migrations()?;
    sum::write(tmp.path(), &discover_clean(tmp.path())?)?;
    add_migration(
        tmp.path(),
        "20240301000000_posts",
        "CREATE TABLE p ();\n",
        "",
    )?;
    let diagnostics = sum::verify(tmp.path(), "migrations", &discover_clean(tmp.path())?);
    assert_eq!(codes_of(&diagnostics), [codes::SUM_STALE]);
    let text = diagnostics[0].render(false);
    assert!(
        text.contains("migrations/20240301000000_posts/up.sql"),
        "{text}"
    );
    assert!(
        text.contains("migrations/20240301000000_posts/down.sql"),
        "{text}"
    );
    assert!(text.contains("schema sum"), "{text}");
    Ok(())
}

#[test]
fn a_removed_migration_makes_the_sum_stale() -> TestResult {
    let tmp = two_migrations()?;
    sum::write(tmp.path(), &discover_clean(tmp.path())?)?;
    fs::remove_dir_all(tmp.path().join("20240212101500_add_email"))?;
    let diagnostics = sum::verify(tmp.path(), "migrations", &discover_clean(tmp.path())?);
    assert_eq!(codes_of(&diagnostics), [codes::SUM_STALE]);
    let text = diagnostics[0].render(false);
    assert!(
        text.contains("migrations/20240212101500_add_email/up.sql"),
        "{text}"
    );
    assert!(text.contains("migrations/schema.sum:4:1"), "{text}");
    Ok(())
}

#[test]
fn a_missing_sum_says_to_run_schema_sum() -> TestResult {
    let tmp = two_migrations()?;
    let diagnostics = sum::verify(tmp.path(), "migrations", &discover_clean(tmp.path())?);
    assert_eq!(codes_of(&diagnostics), [codes::SUM_MISSING]);
    assert_eq!(diagnostics[0].message, "`migrations/schema.sum` is missing");
    assert!(
        diagnostics[0]
            .help
            .as_deref()
            .is_some_and(|h| h.contains("`schema sum`")),
        "{}",
        diagnostics[0].render(false)
    );
    Ok(())
}

#[test]
fn a_hand_edited_total_is_malformed() -> TestResult {
    let tmp = two_migrations()?;
    let migrations = discover_clean(tmp.path())?;
    let text = sum::render(&migrations);
    let Some((_, body)) = text.split_once('\n') else {
        return Err("no newline in schema.sum".into());
    };
    let zeros = "0".repeat(64);
    fs::write(tmp.path().join(SUM_FILE), format!("h1 {zeros}\n{body}"))?;
    let diagnostics = sum::verify(tmp.path(), "migrations", &migrations);
    assert_eq!(codes_of(&diagnostics), [codes::SUM_MALFORMED]);
    let rendered = diagnostics[0].render(false);
    assert!(rendered.contains("by hand"), "{rendered}");
    assert!(rendered.contains("migrations/schema.sum:1:1"), "{rendered}");
    Ok(())
}

#[test]
fn unreadable_sum_lines_are_each_reported_where_they_are() -> TestResult {
    let tmp = two_migrations()?;
    let migrations = discover_clean(tmp.path())?;
    let text = sum::render(&migrations);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[2] = "20240105093000_create_users/up.sql not-a-hash".to_string();
    lines.push("garbage".to_string());
    fs::write(tmp.path().join(SUM_FILE), lines.join("\n"))?;
    let diagnostics = sum::verify(tmp.path(), "migrations", &migrations);
    let found = codes_of(&diagnostics);
    // The two bad lines, and no follow-on for the file whose line could not be read.
    assert_eq!(
        found,
        [codes::SUM_MALFORMED, codes::SUM_MALFORMED],
        "{}",
        render_all(&diagnostics, false)
    );
    let first = diagnostics[0].render(false);
    assert!(first.contains("migrations/schema.sum:3:1"), "{first}");
    assert!(first.contains("not-a-hash"), "{first}");
    assert_eq!(
        diagnostics[1].location().as_deref(),
        Some("migrations/schema.sum:6:1")
    );
    Ok(())
}

#[test]
fn a_sum_without_its_total_line_is_malformed() -> TestResult {
    let tmp = two_migrations()?;
    let migrations = discover_clean(tmp.path())?;
    let text = sum::render(&migrations);
    let body: Vec<&str> = text.lines().skip(1).collect();
    fs::write(tmp.path().join(SUM_FILE), body.join("\n"))?;
    let diagnostics = sum::verify(tmp.path(), "migrations", &migrations);
    assert_eq!(codes_of(&diagnostics), [codes::SUM_MALFORMED]);
    fs::write(tmp.path().join(SUM_FILE), "")?;
    let diagnostics = sum::verify(tmp.path(), "migrations", &migrations);
    assert!(codes_of(&diagnostics).contains(&codes::SUM_MALFORMED));
    Ok(())
}

#[test]
fn the_demo_migrations_are_all_found_in_order() -> TestResult {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
    let migrations = discover_clean(&dir)?;
    assert!(migrations.len() >= 5);
    assert!(migrations.windows(2).all(|w| w[0].version < w[1].version));
    assert_eq!(migrations[0].dir_name, "20240105093000_initial_tables");
    Ok(())
}
