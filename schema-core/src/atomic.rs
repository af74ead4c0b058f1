//! Writing files whole or not at all: every file the toolkit writes (schema.sum,
//! a new migration's up.sql and down.sql, build-script artifacts) goes to a
//! temporary file in the same directory, which is then renamed over the real
//! one. A full disk or a crash leaves the old file as it was (and, at worst, a
//! hidden `.<name>.tmp-*` file, which [`crate::migrations::discover`] skips).

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh hidden name next to `path`: `.<name>.tmp-<pid>-<n>`.
fn temporary_beside(path: &Path) -> io::Result<PathBuf> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("`{}` names no file", path.display()),
        )
    })?;
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let temporary = format!(".{}.tmp-{}-{n}", name.to_string_lossy(), std::process::id());
    Ok(path.with_file_name(temporary))
}

/// Flushes a directory's entries to disk (best effort: not every platform
/// can open a directory).
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// The directory `path` is in (`.` for a bare name).
fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Writes `contents` to `path` through a temporary file in the same directory,
/// synced, then renamed over `path`: readers see the old file or the new one,
/// never a part. The directory must exist.
///
/// # Errors
/// Any I/O error; the temporary file is removed and `path` is left as it was.
pub fn write(path: &Path, contents: &[u8]) -> io::Result<()> {
    let temporary = temporary_beside(path)?;
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)?;
        file.write_all(contents)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temporary, path)
    })();
    settle(written, path, || {
        let _ = std::fs::remove_file(&temporary);
    })
}

/// After the rename of a temporary into `path`: on success the directory's
/// entries are synced; on failure `clean` removes the temporary.
fn settle(written: io::Result<()>, path: &Path, clean: impl FnOnce()) -> io::Result<()> {
    match written {
        Ok(()) => {
            sync_dir(parent_of(path));
            Ok(())
        }
        Err(e) => {
            clean();
            Err(e)
        }
    }
}

/// Creates the directory `dir` holding `files` (name, contents), all complete,
/// or nothing: they are written into a hidden temporary directory beside it,
/// which is renamed to `dir` once every file is on disk.
///
/// # Errors
/// Any I/O error, and [`io::ErrorKind::AlreadyExists`] when `dir` exists; the
/// temporary directory is removed and `dir` is not created.
pub fn create_dir_with(dir: &Path, files: &[(&str, &str)]) -> io::Result<()> {
    if dir.exists() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("`{}` already exists", dir.display()),
        ));
    }
    let temporary = temporary_beside(dir)?;
    let written = (|| {
        std::fs::create_dir(&temporary)?;
        for (name, contents) in files {
            let mut file = std::fs::File::create(temporary.join(name))?;
            file.write_all(contents.as_bytes())?;
            file.sync_all()?;
        }
        sync_dir(&temporary);
        // rename(2) replaces an empty directory: refuse one made meanwhile.
        if dir.exists() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("`{}` already exists", dir.display()),
            ));
        }
        std::fs::rename(&temporary, dir)
    })();
    settle(written, dir, || {
        let _ = std::fs::remove_dir_all(&temporary);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("schema-atomic-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("list")
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_write_replaces_the_file_and_leaves_no_temporary() {
        let dir = scratch("write");
        let path = dir.join("schema.sum");
        write(&path, b"old\n").expect("write");
        write(&path, b"new\n").expect("write");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new\n");
        assert_eq!(names(&dir), ["schema.sum"]);
        // A failed write (the directory is gone) leaves nothing behind.
        assert!(write(&dir.join("missing/schema.sum"), b"x").is_err());
        assert_eq!(names(&dir), ["schema.sum"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_directory_is_created_with_every_file_or_not_at_all() {
        let dir = scratch("dir");
        let target = dir.join("20240101000000_init");
        create_dir_with(&target, &[("up.sql", "up\n"), ("down.sql", "down\n")]).expect("create");
        assert_eq!(names(&target), ["down.sql", "up.sql"]);
        let again = create_dir_with(&target, &[("up.sql", "other\n")]);
        assert_eq!(
            again.map_err(|e| e.kind()),
            Err(io::ErrorKind::AlreadyExists)
        );
        assert_eq!(
            std::fs::read_to_string(target.join("up.sql")).expect("read"),
            "up\n"
        );
        // A file that cannot be written: no directory, no temporary.
        let bad = dir.join("20240102000000_bad");
        assert!(create_dir_with(&bad, &[("up.sql", "x"), ("no/such/dir.sql", "y")]).is_err());
        assert_eq!(names(&dir), ["20240101000000_init"]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
