//! Reading directories: the one way the crate lists a directory (entries sorted
//! by name, each with the type read along with the listing) and walks a tree.

use std::ffi::OsString;
use std::fs::FileType;
use std::io;
use std::path::{Path, PathBuf};

/// One entry of a directory listing.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The entry's path: the listed directory joined with its name.
    pub(crate) path: PathBuf,
    /// The entry's name in its directory.
    pub(crate) name: OsString,
    /// The type read with the listing (`None` when it could not be read).
    file_type: Option<FileType>,
}

impl Entry {
    /// True when the entry is a directory (following a symbolic link). The type
    /// read with the directory listing answers without a `stat` of each entry.
    pub(crate) fn is_dir(&self) -> bool {
        match self.file_type {
            Some(t) if !t.is_symlink() => t.is_dir(),
            _ => self.path.is_dir(),
        }
    }

    /// True when the entry is a file (following a symbolic link).
    pub(crate) fn is_file(&self) -> bool {
        match self.file_type {
            Some(t) if !t.is_symlink() => t.is_file(),
            _ => self.path.is_file(),
        }
    }
}

/// A directory's entries, sorted by name, and the errors met reading entries
/// (an entry that could not be read is left out).
#[derive(Debug, Default)]
pub(crate) struct Listing {
    /// The entries read, sorted by name.
    pub(crate) entries: Vec<Entry>,
    /// One error per entry that could not be read, in the order met.
    pub(crate) errors: Vec<io::Error>,
}

/// The entries of `dir`, sorted by name (read_dir order is the file system's;
/// sorting makes everything built from a listing stable).
///
/// # Errors
/// When `dir` itself cannot be opened (it does not exist, is not a directory,
/// or is not readable).
pub(crate) fn list(dir: &Path) -> io::Result<Listing> {
    let mut listing = Listing::default();
    for entry in std::fs::read_dir(dir)? {
        match entry {
            Ok(entry) => listing.entries.push(Entry {
                path: PathBuf::new(),
                name: entry.file_name(),
                file_type: entry.file_type().ok(),
            }),
            Err(e) => listing.errors.push(e),
        }
    }
    // By name (what sorting the paths gives, for one directory), which is
    // cheaper unoptimised than comparing paths component by component.
    listing.entries.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    for entry in &mut listing.entries {
        entry.path = dir.join(&entry.name);
    }
    Ok(listing)
}

/// The entries of `dir` that can be read, sorted by name (nothing when `dir`
/// cannot be read).
pub(crate) fn entries(dir: &Path) -> Vec<Entry> {
    list(dir).map(|l| l.entries).unwrap_or_default()
}

/// Every entry under `dir`, depth first (a directory right before its
/// contents), each directory's entries sorted by name; directories that cannot
/// be read add nothing.
pub(crate) fn tree(dir: &Path) -> Vec<Entry> {
    let mut out = Vec::new();
    tree_into(dir, &mut out);
    out
}

fn tree_into(dir: &Path, out: &mut Vec<Entry>) {
    for entry in entries(dir) {
        let is_dir = entry.is_dir();
        let path = entry.path.clone();
        out.push(entry);
        if is_dir {
            tree_into(&path, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_lists_each_directory_before_its_sorted_contents() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/d")).unwrap();
        std::fs::write(root.join("b/d/f"), "").unwrap();
        std::fs::write(root.join("b/c"), "").unwrap();
        std::fs::write(root.join("a"), "").unwrap();
        let shown: Vec<(String, bool)> = tree(root)
            .iter()
            .map(|e| {
                let rel = e.path.strip_prefix(root).unwrap();
                (rel.to_string_lossy().replace('\\', "/"), e.is_dir())
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("a".to_string(), false),
                ("b".to_string(), true),
                ("b/c".to_string(), false),
                ("b/d".to_string(), true),
                ("b/d/f".to_string(), false),
            ]
        );
        assert!(list(&root.join("missing")).is_err());
        assert!(entries(&root.join("a")).is_empty());
    }
}
