//! The files a project's analysis reads, and a fingerprint of their contents:
//! what a macro tracks (so editing a file rebuilds) and caches its analysis by.

use std::path::{Path, PathBuf};

use crate::analyze::Project;
use crate::fingerprint::Fingerprint;
use crate::walk;

/// The files of a project and the hash of their paths and contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inputs {
    /// Every file read, absolute when the project root is: schema.sql, then each
    /// file of the migrations directory and of its subdirectories, sorted.
    pub files: Vec<PathBuf>,
    /// A [`Fingerprint`] of the project's paths and of every file's contents:
    /// stable across processes and versions, so a cache on disk can key by it.
    pub fingerprint: u128,
}

/// The files that make up a project: schema.sql, then each file of the
/// migrations directory and of its subdirectories, sorted.
fn candidates(project: &Project) -> Vec<PathBuf> {
    let mut out = vec![project.schema_path()];
    for entry in walk::entries(&project.migrations_path()) {
        if entry.is_dir() {
            out.extend(
                walk::entries(&entry.path)
                    .into_iter()
                    .filter(walk::Entry::is_file)
                    .map(|e| e.path),
            );
        } else {
            out.push(entry.path);
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

/// A path as the bytes the fingerprint hashes.
fn path_bytes(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

/// Lists and hashes the inputs of `project`. Files that cannot be read are
/// hashed as absent and left out of [`Inputs::files`].
pub fn inputs(project: &Project) -> Inputs {
    let schema = project.schema_path();
    let migrations = project.migrations_path();
    let candidates = candidates(project);
    let mut hasher = Fingerprint::new();
    hasher.write(path_bytes(&project.root));
    hasher.write(path_bytes(&schema));
    hasher.write(path_bytes(&migrations));
    let mut files = Vec::new();
    for path in candidates {
        hasher.write(path_bytes(&path));
        match std::fs::read(&path) {
            Ok(bytes) => {
                hasher.write_u64(0);
                hasher.write(&bytes);
                files.push(path);
            }
            Err(_) => hasher.write_u64(1),
        }
    }
    Inputs {
        files,
        fingerprint: hasher.finish(),
    }
}
