//! The files a project's analysis reads, and a fingerprint of their contents:
//! what a macro tracks (so editing a file rebuilds) and caches its analysis by.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::analyze::Project;

/// The files of a project and the hash of their paths and contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inputs {
    /// Every file read, absolute when the project root is: schema.sql, then each
    /// file of the migrations directory and of its subdirectories, sorted.
    pub files: Vec<PathBuf>,
    /// A hash of the project's paths and of every file's contents (stable within
    /// one process, which is all a cache needs).
    pub fingerprint: u64,
}

/// The sorted entries of `dir` (nothing when it cannot be read).
fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.sort();
    paths
}

/// The files that make up a project: schema.sql, then each file of the
/// migrations directory and of its subdirectories, sorted.
fn candidates(project: &Project) -> Vec<PathBuf> {
    let mut out = vec![project.schema_path()];
    for entry in entries(&project.migrations_path()) {
        if entry.is_dir() {
            out.extend(entries(&entry).into_iter().filter(|p| p.is_file()));
        } else {
            out.push(entry);
        }
    }
    out
}

/// One file's place, size and modification time: cheap to read (one `stat`),
/// and different whenever the file, or the list of files, changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// The file.
    pub path: PathBuf,
    /// Its size, `None` when it cannot be read.
    pub len: Option<u64>,
    /// Its modification time, `None` when unknown.
    pub modified: Option<std::time::SystemTime>,
}

/// The stamps of every file of `project`: when they are equal to an earlier
/// call's, the earlier [`inputs`] still hold (and need not be read again).
pub fn stamps(project: &Project) -> Vec<Stamp> {
    candidates(project)
        .into_iter()
        .map(|path| {
            let meta = std::fs::metadata(&path).ok();
            Stamp {
                len: meta.as_ref().map(std::fs::Metadata::len),
                modified: meta.and_then(|m| m.modified().ok()),
                path,
            }
        })
        .collect()
}

/// Lists and hashes the inputs of `project`. Files that cannot be read are
/// hashed as absent and left out of [`Inputs::files`].
pub fn inputs(project: &Project) -> Inputs {
    let schema = project.schema_path();
    let migrations = project.migrations_path();
    let candidates = candidates(project);
    let mut hasher = DefaultHasher::new();
    project.root.hash(&mut hasher);
    schema.hash(&mut hasher);
    migrations.hash(&mut hasher);
    let mut files = Vec::new();
    for path in candidates {
        path.hash(&mut hasher);
        match std::fs::read(&path) {
            Ok(bytes) => {
                bytes.hash(&mut hasher);
                files.push(path);
            }
            Err(_) => "<unreadable>".hash(&mut hasher),
        }
    }
    Inputs {
        files,
        fingerprint: hasher.finish(),
    }
}
