//! `schema.sum`: the recorded checksum of every migration file and of the whole history.
//!
//! The file lives next to the migrations (`migrations/schema.sum`) and is written by
//! `schema sum`, like Atlas's `atlas.sum`. It catches a migration edited after it was
//! recorded (and so perhaps after it was applied somewhere), and a migration added or
//! removed without anyone noticing. Its format:
//!
//! ```text
//! h1 <total hex>
//! 20240105093000_initial_tables/down.sql <hex>
//! 20240105093000_initial_tables/up.sql <hex>
//! 20240212101500_user_sites/down.sql <hex>
//! 20240212101500_user_sites/up.sql <hex>
//! ```
//!
//! - one line per file: `down.sql` then `up.sql` of each migration, migrations in
//!   version order; the path is relative to the migrations directory;
//! - `<hex>` is [`checksum`] of the file's text: lower-case hex SHA-256 with a leading
//!   BOM removed and CRLF turned into LF, so a Windows checkout verifies too;
//! - `<total hex>` is the lower-case hex SHA-256 of all the file lines that follow,
//!   each with its trailing `\n`, so any hand edit of the file shows;
//! - every line ends with `\n` (a CRLF copy of the file is read the same).

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Origin, Source, codes};

use super::discover::{MigrationFiles, checksum, display_path, sha256_hex};

/// The name of the sum file inside the migrations directory.
pub const SUM_FILE: &str = "schema.sum";

const SUM_HELP: &str = "run `schema sum` to rewrite it";

/// The `schema.sum` text for `migrations` (sorted by version whatever their order).
pub fn render(migrations: &[MigrationFiles]) -> String {
    let body = entry_lines(migrations);
    format!("h1 {}\n{body}", sha256_hex(body.as_bytes()))
}

/// The file lines of `schema.sum` (everything after the `h1` line).
fn entry_lines(migrations: &[MigrationFiles]) -> String {
    entry_lines_of(migrations, &checksums(migrations))
}

/// The checksums of each migration's down.sql and up.sql, in `migrations`' order.
fn checksums(migrations: &[MigrationFiles]) -> Vec<[String; 2]> {
    migrations
        .iter()
        .map(|m| [checksum(&m.down.text), checksum(&m.up.text)])
        .collect()
}

/// [`entry_lines`] with the files' checksums already computed ([`checksums`]).
fn entry_lines_of(migrations: &[MigrationFiles], sums: &[[String; 2]]) -> String {
    let mut sorted: Vec<(&MigrationFiles, &[String; 2])> = migrations.iter().zip(sums).collect();
    sorted.sort_by(|(a, _), (b, _)| {
        (a.version, &a.version_text, &a.dir_name).cmp(&(b.version, &b.version_text, &b.dir_name))
    });
    let mut body = String::new();
    for (m, [down, up]) in sorted {
        for (file, sum) in [("down.sql", down), ("up.sql", up)] {
            body.push_str(&m.dir_name);
            body.push('/');
            body.push_str(file);
            body.push(' ');
            body.push_str(sum);
            body.push('\n');
        }
    }
    body
}

/// Writes `dir/schema.sum` for `migrations` unless the file already says the
/// same (line endings aside). Returns whether it wrote.
///
/// The file is replaced whole ([`crate::atomic::write`]): a full disk leaves the
/// old one intact. `dir` is never created: a missing directory is an error.
///
/// # Errors
///
/// Any I/O error from reading or writing the file (`NotFound` when `dir` does
/// not exist).
pub fn write(dir: &Path, migrations: &[MigrationFiles]) -> io::Result<bool> {
    let path = dir.join(SUM_FILE);
    let wanted = render(migrations);
    match std::fs::read(&path) {
        Ok(bytes) => {
            if String::from_utf8(bytes).is_ok_and(|current| normalize(&current) == wanted) {
                return Ok(false);
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    crate::atomic::write(&path, wanted.as_bytes())?;
    Ok(true)
}

/// `text` without a leading BOM and with CRLF turned into LF.
fn normalize(text: &str) -> String {
    text.strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n")
}

/// Checks `dir/schema.sum` against `migrations`. `display` is how `dir` is shown.
///
/// # Errors
///
/// Returned as diagnostics, every problem at once: `sum_missing` when there are
/// migrations but no sum file, `checksum_mismatch` for each file edited after it was
/// recorded, `sum_stale` for files present but not recorded or recorded but absent,
/// `sum_malformed` for each line that cannot be read and for a total that does not
/// match, `io_error` when the file cannot be read.
pub fn verify(dir: &Path, display: &str, migrations: &[MigrationFiles]) -> Vec<Diagnostic> {
    let shown = display_path(display, SUM_FILE);
    let bytes = match std::fs::read(dir.join(SUM_FILE)) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if migrations.is_empty() {
                return Vec::new();
            }
            return vec![
                Diagnostic::error(codes::SUM_MISSING, format!("`{shown}` is missing"))
                    .note(
                        "it records a checksum of every migration file, so that a migration \
                         edited after it was applied is caught",
                    )
                    .help("run `schema sum` to record the checksums of the current migrations"),
            ];
        }
        Err(e) => {
            return vec![
                Diagnostic::error(codes::IO, format!("cannot read `{shown}`: {e}"))
                    .help(format!("make `{shown}` a readable file")),
            ];
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            return vec![
                Diagnostic::error(
                    codes::SUM_MALFORMED,
                    format!("`{shown}` is not valid UTF-8"),
                )
                .note(format!(
                    "the first invalid byte is at offset {}",
                    e.utf8_error().valid_up_to()
                ))
                .help(SUM_HELP),
            ];
        }
    };
    let source = Source::new(shown, text);
    let mut parsed = parse(&source);
    let mut diagnostics = std::mem::take(&mut parsed.diagnostics);
    let sums = checksums(migrations);
    check_entries(
        &source,
        display,
        &parsed,
        migrations,
        &sums,
        &mut diagnostics,
    );

    // The total only means something once every line checks out.
    if diagnostics.is_empty() {
        diagnostics.extend(check_total(
            &source,
            parsed.total.as_ref(),
            migrations,
            &sums,
        ));
    }
    diagnostics
}

/// `sum_malformed` when the recorded total is not the total of the current files.
fn check_total(
    source: &Arc<Source>,
    total: Option<&(String, u32)>,
    migrations: &[MigrationFiles],
    sums: &[[String; 2]],
) -> Option<Diagnostic> {
    let (recorded, line) = total?;
    let expected = sha256_hex(entry_lines_of(migrations, sums).as_bytes());
    (*recorded != expected).then(|| {
        Diagnostic::error(
            codes::SUM_MALFORMED,
            format!(
                "`{}` was edited by hand: its `h1` total does not match its lines",
                source.path
            ),
        )
        .at(&Origin::new(source, *line, 1))
        .label("this total")
        .note(format!("recorded: {recorded}"))
        .note(format!("expected: {expected}"))
        .help("run `schema sum` to rewrite it from the current migrations")
    })
}

/// One file line of `schema.sum`.
struct Entry {
    /// `<dir_name>/<up.sql|down.sql>`.
    path: String,
    /// The recorded checksum.
    hex: String,
    /// 1-based line in the sum file.
    line: u32,
}

/// What `parse` read: the total with its line, the file lines and the lines it could not read.
struct Parsed {
    total: Option<(String, u32)>,
    entries: Vec<Entry>,
    /// The text of the lines that could not be read as an entry.
    unreadable: Vec<String>,
    diagnostics: Vec<Diagnostic>,
}

fn parse(source: &Arc<Source>) -> Parsed {
    let mut parsed = Parsed {
        total: None,
        entries: Vec::new(),
        unreadable: Vec::new(),
        diagnostics: Vec::new(),
    };
    let text = source.text.strip_prefix('\u{feff}').unwrap_or(&source.text);
    let mut seen_content = false;
    let mut header_reported = false;
    let mut seen: HashMap<&str, u32> = HashMap::new();
    for (index, raw) in text.split('\n').enumerate() {
        let line = u32::try_from(index).map_or(u32::MAX, |i| i.saturating_add(1));
        let content = raw.trim_end();
        if content.is_empty() {
            continue;
        }
        let first = !seen_content;
        seen_content = true;
        let malformed = |message: String| {
            Diagnostic::error(codes::SUM_MALFORMED, message)
                .at(&Origin::new(source, line, 1))
                .help(SUM_HELP)
        };
        if let Some(rest) = content.strip_prefix("h1 ") {
            if !first {
                parsed.diagnostics.push(malformed(format!(
                    "line {line} of `{}` repeats the `h1` total, which belongs on the first line only",
                    source.path
                )));
            } else if is_hex64(rest) {
                parsed.total = Some((rest.to_string(), line));
            } else {
                header_reported = true;
                parsed.diagnostics.push(
                    malformed(format!(
                        "the `h1` total in `{}` is not a checksum",
                        source.path
                    ))
                    .note("expected `h1 ` and 64 lower-case hex digits"),
                );
            }
            continue;
        }
        let Some((path, hex)) = parse_entry(content) else {
            let d = if first {
                header_reported = true;
                malformed(format!(
                    "`{}` does not start with its `h1 <checksum>` total",
                    source.path
                ))
                .label("expected `h1 <checksum>` here")
            } else {
                malformed(format!(
                    "line {line} of `{}` is not `<migration>/<file> <checksum>`",
                    source.path
                ))
                .note("expected e.g. `20240105093000_create_users/up.sql <64 hex digits>`")
            };
            parsed.diagnostics.push(d);
            parsed.unreadable.push(content.to_string());
            continue;
        };
        if first {
            header_reported = true;
            parsed.diagnostics.push(
                malformed(format!(
                    "`{}` does not start with its `h1 <checksum>` total",
                    source.path
                ))
                .label("expected `h1 <checksum>` here"),
            );
        }
        if let Some(previous) = seen.insert(path, line) {
            parsed.diagnostics.push(
                malformed(format!("`{path}` is listed twice in `{}`", source.path))
                    .related(&Origin::new(source, previous, 1), "first listed here"),
            );
            continue;
        }
        parsed.entries.push(Entry {
            path: path.to_string(),
            hex: hex.to_string(),
            line,
        });
    }
    if parsed.total.is_none() && !header_reported {
        parsed.diagnostics.push(
            Diagnostic::error(
                codes::SUM_MALFORMED,
                format!("`{}` has no `h1 <checksum>` total", source.path),
            )
            .at(&Origin::new(source, 1, 1))
            .help(SUM_HELP),
        );
    }
    parsed
}

/// `<dir>/<up.sql|down.sql> <checksum>` split into its path and checksum.
fn parse_entry(line: &str) -> Option<(&str, &str)> {
    let (path, hex) = line.split_once(' ')?;
    let (dir, file) = path.split_once('/')?;
    let file_ok = !dir.is_empty() && (file == "up.sql" || file == "down.sql");
    (file_ok && is_hex64(hex)).then_some((path, hex))
}

/// True for exactly 64 lower-case hex digits.
fn is_hex64(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Compares the recorded file lines with the migration files on disk.
fn check_entries(
    sum: &Arc<Source>,
    display: &str,
    parsed: &Parsed,
    migrations: &[MigrationFiles],
    sums: &[[String; 2]],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let entries = &parsed.entries;
    let recorded: HashMap<&str, &Entry> = entries.iter().map(|e| (e.path.as_str(), e)).collect();
    let mut present: HashSet<String> = HashSet::new();
    let mut unrecorded: Vec<&str> = Vec::new();
    for (m, [down_sum, up_sum]) in migrations.iter().zip(sums) {
        for (file, source, now) in [("down.sql", &m.down, down_sum), ("up.sql", &m.up, up_sum)] {
            let path = format!("{}/{file}", m.dir_name);
            match recorded.get(path.as_str()) {
                Some(entry) => {
                    if entry.hex != *now {
                        diagnostics.push(mismatch(sum, entry, source, now));
                    }
                }
                // A file named on a line already reported as unreadable is not news.
                None if parsed
                    .unreadable
                    .iter()
                    .any(|line| line.starts_with(&format!("{path} "))) => {}
                None => unrecorded.push(source.path.as_str()),
            }
            present.insert(path);
        }
    }
    if !unrecorded.is_empty() {
        diagnostics.push(
            Diagnostic::error(
                codes::SUM_STALE,
                format!("`{}` does not record {}", sum.path, list(&unrecorded)),
            )
            .note("a migration was added or renamed after `schema sum` last ran")
            .help(SUM_HELP),
        );
    }
    let absent: Vec<&Entry> = entries
        .iter()
        .filter(|e| !present.contains(&e.path))
        .collect();
    if let Some((first, rest)) = absent.split_first() {
        let names: Vec<String> = absent
            .iter()
            .map(|e| display_path(display, &e.path))
            .collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let (verb, pronoun) = if absent.len() == 1 {
            ("does", "it")
        } else {
            ("do", "them")
        };
        let mut d = Diagnostic::error(
            codes::SUM_STALE,
            format!(
                "`{}` records {}, which {verb} not exist",
                sum.path,
                list(&names)
            ),
        )
        .at(&Origin::new(sum, first.line, 1))
        .label("recorded here");
        for entry in rest {
            d = d.related(&Origin::new(sum, entry.line, 1), "and here");
        }
        diagnostics.push(
            d.note(format!(
                "if a removed migration was applied anywhere, restore {pronoun} instead"
            ))
            .help(SUM_HELP),
        );
    }
}

fn mismatch(sum: &Arc<Source>, entry: &Entry, file: &Arc<Source>, now: &str) -> Diagnostic {
    let hex_column = u32::try_from(entry.path.chars().count()).map_or(1, |n| n.saturating_add(2));
    Diagnostic::error(
        codes::CHECKSUM_MISMATCH,
        format!(
            "migration file `{}` changed after it was recorded in schema.sum",
            file.path
        ),
    )
    .at(&Origin::new(file, 1, 1))
    .label("this file was edited")
    .related(
        &Origin::new(sum, entry.line, hex_column),
        "recorded checksum",
    )
    .note(format!("recorded: {}", entry.hex))
    .note(format!("now:      {now}"))
    .help(
        "if this migration has not been applied anywhere, run `schema sum` to record the edit; \
         otherwise revert the edit and put the change in a new migration",
    )
}

/// `a`, `a` and `b`, or `a`, `b` and `c`, each in backticks.
fn list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}
