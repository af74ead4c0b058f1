//! Golden files: the expected output of a case, kept in the repository beside
//! its input and compared with what the code produces now (as prost-build's
//! `_expected` files). With `SCHEMA_BLESS=1` the files are rewritten instead:
//! run it, review the change with `git diff`, commit.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The environment variable that rewrites golden files instead of checking them.
pub const BLESS: &str = "SCHEMA_BLESS";

/// True when `SCHEMA_BLESS=1`: write what the code produces into the golden files.
pub fn blessing() -> bool {
    std::env::var(BLESS).is_ok_and(|v| v == "1")
}

/// The case directories under `root` that hold every file of `inputs`, sorted.
///
/// # Panics
/// When `root` cannot be listed.
pub fn case_dirs(root: &Path, inputs: &[&str]) -> Vec<PathBuf> {
    let entries = match std::fs::read_dir(root) {
        Ok(entries) => entries,
        Err(e) => panic!("cannot list {}: {e}", root.display()),
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| inputs.iter().all(|input| p.join(input).is_file()))
        .collect();
    dirs.sort();
    dirs
}

/// The diff cases under `root` (directories holding `from.sql` and `to.sql`),
/// kept to those whose name contains `SCHEMA_DIFF_ONLY` when it is set.
///
/// # Panics
/// When `root` cannot be listed, or holds fewer than 30 cases (a moved
/// fixture directory must not pass as "nothing to check").
pub fn diff_cases(root: &Path) -> Vec<PathBuf> {
    let mut dirs = case_dirs(root, &["from.sql", "to.sql"]);
    assert!(
        dirs.len() >= 30,
        "the diff fixtures are fewer than 30: {}",
        dirs.len()
    );
    if let Ok(only) = std::env::var("SCHEMA_DIFF_ONLY") {
        dirs.retain(|d| {
            d.file_name()
                .is_some_and(|n| n.to_string_lossy().contains(&only))
        });
    }
    dirs
}

/// The golden files of one case: the directory `dir` holds exactly the files
/// given to [`Goldens::check`], each with the text given.
#[derive(Debug)]
pub struct Goldens {
    dir: PathBuf,
    bless: bool,
    checked: BTreeSet<String>,
    failures: Vec<String>,
}

impl Goldens {
    /// The golden files in `dir` (created when blessing), checked or, with
    /// `SCHEMA_BLESS=1`, rewritten.
    pub fn new(dir: &Path) -> Goldens {
        Goldens {
            dir: dir.to_path_buf(),
            bless: blessing(),
            checked: BTreeSet::new(),
            failures: Vec::new(),
        }
    }

    /// Compares `actual` with the file `name` (or writes it when blessing).
    pub fn check(&mut self, name: &str, actual: &str) {
        self.checked.insert(name.to_string());
        let path = self.dir.join(name);
        if self.bless {
            if std::fs::read_to_string(&path).is_ok_and(|old| old == actual) {
                return;
            }
            let written =
                std::fs::create_dir_all(&self.dir).and_then(|()| std::fs::write(&path, actual));
            if let Err(e) = written {
                self.failures
                    .push(format!("cannot write {}: {e}", path.display()));
            }
            return;
        }
        match std::fs::read_to_string(&path) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => self.failures.push(format!(
                "{} differs from what the code produces now ({}); if the change is \
                 intended, run the test again with {BLESS}=1 and review `git diff`\n{}",
                path.display(),
                first_difference(&expected, actual),
                both_texts(&expected, actual),
            )),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => self.failures.push(format!(
                "{} is missing: run the test with {BLESS}=1 to write it, then review and \
                 commit it\n--- produced ---\n{actual}--- end ---",
                path.display()
            )),
            Err(e) => self
                .failures
                .push(format!("cannot read {}: {e}", path.display())),
        }
    }

    /// Ends the case: a file in the directory that no [`Goldens::check`]
    /// named is stale (removed when blessing).
    ///
    /// # Errors
    /// Every difference, missing file and stale file, with what to do.
    pub fn finish(mut self) -> Result<(), String> {
        let present: Vec<String> = std::fs::read_dir(&self.dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.path().is_file())
                    .filter_map(|e| e.file_name().into_string().ok())
                    .collect()
            })
            .unwrap_or_default();
        let mut stale: Vec<String> = present
            .into_iter()
            .filter(|name| !self.checked.contains(name))
            .collect();
        stale.sort();
        for name in stale {
            let path = self.dir.join(&name);
            if self.bless {
                if let Err(e) = std::fs::remove_file(&path) {
                    self.failures
                        .push(format!("cannot remove {}: {e}", path.display()));
                }
            } else {
                self.failures.push(format!(
                    "{} is stale (the code produces no such output now): run the test \
                     with {BLESS}=1 to remove it",
                    path.display()
                ));
            }
        }
        if self.failures.is_empty() {
            Ok(())
        } else {
            Err(self.failures.join("\n"))
        }
    }
}

/// `line N` of the first line where the two texts differ.
fn first_difference(expected: &str, actual: &str) -> String {
    let mut expected_lines = expected.lines();
    let mut actual_lines = actual.lines();
    let mut n = 1;
    loop {
        match (expected_lines.next(), actual_lines.next()) {
            (Some(e), Some(a)) if e == a => n += 1,
            (None, None) => return "only in line endings".to_string(),
            _ => return format!("first at line {n}"),
        }
    }
}

/// Both texts, one after the other.
fn both_texts(expected: &str, actual: &str) -> String {
    format!("--- expected ---\n{expected}--- produced ---\n{actual}--- end ---")
}

#[cfg(test)]
mod tests {
    use super::first_difference;

    #[test]
    fn the_first_difference_is_named_by_its_line() {
        assert_eq!(first_difference("a\nb\n", "a\nc\n"), "first at line 2");
        assert_eq!(first_difference("a\n", "a\nb\n"), "first at line 2");
        assert_eq!(first_difference("a\n", "a"), "only in line endings");
    }
}
