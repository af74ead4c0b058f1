//! Finding migrations on disk: the one directory resolver, the naming rules and checksums.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Source};

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
pub fn checksum(text: &str) -> String {
    let _ = text;
    String::new()
}

/// Lists the migrations of `dir` in version order. `display` is how paths are shown.
pub fn discover(dir: &Path, display: &str) -> (Vec<MigrationFiles>, Vec<Diagnostic>) {
    let _ = (dir, display);
    (Vec::new(), Vec::new())
}
