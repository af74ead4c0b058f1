//! Finding migrations on disk: the one directory resolver, the naming rules and checksums.
//!
//! A migrations directory holds one subdirectory per migration, named
//! `<version>_<slug>` (e.g. `20240105093000_create_users/`), each with an `up.sql`
//! and a `down.sql`. Besides those it may hold `schema.sum` (see
//! [`super::sum`]), `README*` files and hidden entries; anything else is an error.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::diagnostic::{Diagnostic, Origin, Source, codes};
use crate::walk;

use super::sum::SUM_FILE;

/// One migration directory and its two files.
#[derive(Debug, Clone)]
pub struct MigrationFiles {
    /// The version (the digits before the first `_`).
    pub version: u64,
    /// The digits exactly as written (kept for display and for sorting ties).
    pub version_text: String,
    /// The slug after the first `_`.
    pub slug: String,
    /// The directory name, `<version>_<slug>`.
    pub dir_name: String,
    /// `up.sql`, read whole.
    pub up: Arc<Source>,
    /// `down.sql`, read whole.
    pub down: Arc<Source>,
}

/// A migration held in memory, for tests: version `n`, named `m<n>`, its files
/// `up.sql` and `down.sql`.
#[cfg(test)]
pub(crate) fn in_memory(n: u64, up: &str, down: &str) -> MigrationFiles {
    MigrationFiles {
        version: n,
        version_text: n.to_string(),
        slug: format!("m{n}"),
        dir_name: format!("{n}_m{n}"),
        up: Source::new("up.sql", up),
        down: Source::new("down.sql", down),
    }
}

/// The migrations directory for a project rooted at `root`: `explicit` when given
/// (relative paths are taken from `root`), else `root/migrations`.
pub fn resolve_migrations_dir(root: &Path, explicit: Option<&Path>) -> PathBuf {
    match explicit {
        Some(p) if p.is_absolute() => p.to_path_buf(),
        Some(p) => root.join(p),
        None => root.join("migrations"),
    }
}

/// SHA-256 (lower-case hex) of `text` with a leading BOM removed and CRLF turned into LF.
///
/// The normalisation makes a Windows checkout (`core.autocrlf`) hash like the
/// committed file; any other edit, whitespace included, changes the checksum.
pub fn checksum(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut hasher = Sha256::new();
    for (i, part) in text.split("\r\n").enumerate() {
        if i > 0 {
            hasher.update(b"\n");
        }
        hasher.update(part.as_bytes());
    }
    hex(&hasher.finalize())
}

/// SHA-256 (lower-case hex) of `bytes`, as they are.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex of `bytes`.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// `display` and `rest` joined by `/`, the way paths are shown to the user.
pub(crate) fn display_path(display: &str, rest: &str) -> String {
    let display = display.trim_end_matches(['/', '\\']);
    if display.is_empty() {
        rest.to_string()
    } else {
        format!("{display}/{rest}")
    }
}

/// Lists the migrations of `dir` in version order. `display` is how paths are shown.
///
/// A directory that does not exist holds no migrations (a new project). Every
/// problem found is reported, and the migrations that could be read are returned
/// alongside.
///
/// # Errors
///
/// Returned as diagnostics: `io_error` when `dir` (or a file in it) cannot be
/// read or is not UTF-8, `bad_migration_name` for an entry that is not a
/// `<version>_<slug>/` directory, `missing_migration_file` for a migration
/// without `up.sql` or `down.sql`, and `duplicate_version` for two migrations
/// with one version.
pub fn discover(dir: &Path, display: &str) -> (Vec<MigrationFiles>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let listing = match walk::list(dir) {
        Ok(listing) => listing,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return (Vec::new(), Vec::new()),
        Err(e) => {
            let d = Diagnostic::error(
                codes::IO,
                format!("cannot read the migrations directory `{display}`: {e}"),
            )
            .help(format!(
                "make `{display}` a readable directory holding one `<version>_<slug>/` directory per migration"
            ));
            return (Vec::new(), vec![d]);
        }
    };

    for e in &listing.errors {
        diagnostics.push(
            Diagnostic::error(
                codes::IO,
                format!("cannot list the migrations directory `{display}`: {e}"),
            )
            .help(format!("check the permissions of `{display}`")),
        );
    }

    // The listing is sorted, so diagnostics come out stable.
    let mut migrations = Vec::new();
    for entry in &listing.entries {
        let path = &entry.path;
        let Some(name) = entry.name.to_str() else {
            let shown = display_path(display, &entry.name.to_string_lossy());
            diagnostics.push(bad_name(&shown, "the name is not valid UTF-8"));
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let is_dir = entry.is_dir();
        if !is_dir && (name == SUM_FILE || name.starts_with("README")) {
            continue;
        }
        let shown = display_path(display, name);
        if !is_dir {
            diagnostics.push(bad_name(
                &shown,
                "it is a file; a migration is a directory holding `up.sql` and `down.sql`",
            ));
            continue;
        }
        let (version, version_text, slug) = match parse_name(name) {
            Ok(parts) => parts,
            Err(why) => {
                diagnostics.push(bad_name(&shown, why));
                continue;
            }
        };
        let up = read_migration_file(path, display, name, "up.sql", &mut diagnostics);
        let down = read_migration_file(path, display, name, "down.sql", &mut diagnostics);
        if let (Some(up), Some(down)) = (up, down) {
            migrations.push(MigrationFiles {
                version,
                version_text: version_text.to_string(),
                slug: slug.to_string(),
                dir_name: name.to_string(),
                up,
                down,
            });
        }
    }

    migrations.sort_by(|a, b| {
        (a.version, &a.version_text, &a.dir_name).cmp(&(b.version, &b.version_text, &b.dir_name))
    });
    for (first, second) in migrations.iter().zip(migrations.iter().skip(1)) {
        if first.version == second.version {
            diagnostics.push(duplicate_version(display, first, second));
        }
    }
    (migrations, diagnostics)
}

/// Splits `<digits>_<slug>` into the version, its digits and the slug, or says why not.
fn parse_name(name: &str) -> Result<(u64, &str, &str), &'static str> {
    let Some((digits, slug)) = name.split_once('_') else {
        return Err("the name has no `_` between the version and the slug");
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("the version (before the first `_`) must be made of digits only");
    }
    if digits.len() > 19 {
        return Err("the version has more than 19 digits");
    }
    let Ok(version) = digits.parse::<u64>() else {
        return Err("the version is not a number");
    };
    // The version table keeps versions in a PostgreSQL `bigint`.
    if i64::try_from(version).is_err() {
        return Err(
            "the version does not fit a PostgreSQL bigint: it must be at most \
             9223372036854775807, e.g. a `<yyyymmddhhmmss>` timestamp",
        );
    }
    if slug.is_empty() {
        return Err("the slug after the `_` is empty");
    }
    if !slug
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err("the slug may only hold letters, digits, `_` and `-`");
    }
    Ok((version, digits, slug))
}

fn bad_name(shown: &str, why: &str) -> Diagnostic {
    Diagnostic::error(
        codes::BAD_MIGRATION_NAME,
        format!("`{shown}` is not a migration directory"),
    )
    .note(why)
    .help(
        "name each migration directory `<version>_<slug>/`, for example \
         `20240105093000_create_users/`, and move other files out of the migrations directory",
    )
}

/// Reads `<dir>/<file>` of the migration `name`; `None` (with a diagnostic) when it cannot.
fn read_migration_file(
    dir: &Path,
    display: &str,
    name: &str,
    file: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Arc<Source>> {
    let shown = display_path(display, &format!("{name}/{file}"));
    let bytes = match std::fs::read(dir.join(file)) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let help = if file == "down.sql" {
                "add down.sql; if the migration cannot be undone write \
                 `-- schema: allow(down_does_not_undo_up)` in it"
                    .to_string()
            } else {
                format!("add {file} with the statements of the migration")
            };
            diagnostics.push(
                Diagnostic::error(
                    codes::MISSING_MIGRATION_FILE,
                    format!(
                        "migration `{}` has no `{file}`",
                        display_path(display, name)
                    ),
                )
                .note("every migration directory holds both `up.sql` and `down.sql`")
                .help(help),
            );
            return None;
        }
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(codes::IO, format!("cannot read `{shown}`: {e}"))
                    .help(format!("make `{shown}` a readable file")),
            );
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Some(Source::new(shown, text)),
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(codes::IO, format!("`{shown}` is not valid UTF-8"))
                    .note(format!(
                        "the first invalid byte is at offset {}",
                        e.utf8_error().valid_up_to()
                    ))
                    .help(format!("save `{shown}` as UTF-8")),
            );
            None
        }
    }
}

fn duplicate_version(display: &str, first: &MigrationFiles, second: &MigrationFiles) -> Diagnostic {
    Diagnostic::error(
        codes::DUPLICATE_VERSION,
        format!(
            "migrations `{}` and `{}` share version {}",
            display_path(display, &first.dir_name),
            display_path(display, &second.dir_name),
            first.version
        ),
    )
    .at(&Origin::new(&second.up, 1, 1))
    .label("this migration")
    .related(&Origin::new(&first.up, 1, 1), "has the same version")
    .note("migrations are applied in version order, so each version must be unique")
    .help(
        "rename the directory of the one not yet applied anywhere to a version of its own, \
         e.g. `<yyyymmddhhmmss>_<slug>/` with the current time",
    )
}
