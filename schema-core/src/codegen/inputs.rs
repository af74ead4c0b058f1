//! The files a project's analysis reads, and a fingerprint of their contents:
//! what a macro tracks (so editing a file rebuilds) and caches its analysis by.

use std::fs::FileType;
use std::path::{Path, PathBuf};

use crate::analyze::Project;
use crate::fingerprint::Fingerprint;

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

/// The entries of `dir` with their types, sorted by name (nothing when it
/// cannot be read).
fn entries(dir: &Path) -> Vec<(PathBuf, Option<FileType>)> {
    let mut found: Vec<(std::ffi::OsString, Option<FileType>)> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| (e.file_name(), e.file_type().ok()))
                .collect()
        })
        .unwrap_or_default();
    // By name (what sorting the paths gives, for one directory), which is
    // cheaper unoptimised than comparing paths component by component.
    found.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    found
        .into_iter()
        .map(|(name, file_type)| (dir.join(name), file_type))
        .collect()
}

/// True when the entry is a directory (following a symbolic link). The type
/// read with the directory listing answers without a `stat` of each entry.
fn is_dir(path: &Path, file_type: Option<FileType>) -> bool {
    match file_type {
        Some(t) if !t.is_symlink() => t.is_dir(),
        _ => path.is_dir(),
    }
}

/// True when the entry is a file (following a symbolic link).
fn is_file(path: &Path, file_type: Option<FileType>) -> bool {
    match file_type {
        Some(t) if !t.is_symlink() => t.is_file(),
        _ => path.is_file(),
    }
}

/// The files that make up a project: schema.sql, then each file of the
/// migrations directory and of its subdirectories, sorted.
fn candidates(project: &Project) -> Vec<PathBuf> {
    let mut out = vec![project.schema_path()];
    for (entry, file_type) in entries(&project.migrations_path()) {
        if is_dir(&entry, file_type) {
            out.extend(
                entries(&entry)
                    .into_iter()
                    .filter(|(p, t)| is_file(p, *t))
                    .map(|(p, _)| p),
            );
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
