//! The analysis of a project, once per process per content: a hundred macros
//! over one schema cost one parse and one replay.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use crate::codegen::{self, Inputs, Stamp, stamps};
use crate::{Loaded, Project};

/// Loaded projects by the fingerprint of their files' contents.
static CACHE: OnceLock<Mutex<HashMap<u128, Arc<Loaded>>>> = OnceLock::new();

/// The inputs last read for a project (by its schema file and migrations
/// directory), with the stamps of its files then and when they were last
/// checked: while the stamps are equal (one `stat` a file) the files are not
/// read and hashed again, and stamps are checked at most once per
/// [`RECHECK_AFTER`]. A long-lived macro process (an IDE's) sees an edit within
/// that time, because an edit changes a stamp.
#[allow(clippy::type_complexity)]
static INPUTS: OnceLock<Mutex<HashMap<(PathBuf, PathBuf), (Instant, Vec<Stamp>, Inputs)>>> =
    OnceLock::new();

/// How long checked stamps are trusted: the macros of one crate (often
/// hundreds of derives) expand well within it.
const RECHECK_AFTER: Duration = Duration::from_secs(1);

/// The project's inputs, read and hashed only when a file changed.
pub(crate) fn inputs(project: &Project) -> Inputs {
    let key = (project.schema_path(), project.migrations_path());
    let mut memo = INPUTS
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some((checked, _, inputs)) = memo.get(&key) {
        if checked.elapsed() < RECHECK_AFTER {
            return inputs.clone();
        }
    }
    let now = stamps(project);
    if let Some((checked, then, inputs)) = memo.get_mut(&key) {
        if *then == now {
            *checked = Instant::now();
            return inputs.clone();
        }
    }
    let fresh = codegen::inputs(project);
    memo.insert(key, (Instant::now(), now, fresh.clone()));
    fresh
}

/// The project loaded (from the cache when its files did not change) and the
/// files it was read from.
pub(crate) fn load(project: &Project) -> (Arc<Loaded>, Inputs) {
    let (loaded, inputs, _) = load_with(project, |_| ());
    (loaded, inputs)
}

/// [`load`], calling `on_declared` on this thread with what schema.sql
/// declares (`None` when it has errors) while the history is replayed on
/// others; `None` instead of its result when the project came from the cache
/// (nothing was read).
pub(crate) fn load_with<T>(
    project: &Project,
    on_declared: impl FnOnce(Option<&crate::Schema>) -> T,
) -> (Arc<Loaded>, Inputs, Option<T>) {
    let inputs = inputs(project);
    // The online lints' settings change the diagnostics: part of the key.
    let key =
        inputs.fingerprint ^ crate::fingerprint::Fingerprint::of(project.online.key().as_bytes());
    let cached = CACHE
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&key)
        .cloned();
    if let Some(loaded) = cached {
        return (loaded, inputs, None);
    }
    // The analysis moves to threads with stacks of their own (the compiler's
    // is too small for deep expressions); `on_declared` stays here, where the
    // proc_macro API works.
    let (loaded, early) = crate::analyze::load_with(project, on_declared);
    let loaded = CACHE
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .entry(key)
        .or_insert_with(|| Arc::new(loaded))
        .clone();
    (loaded, inputs, Some(early))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_project_is_analysed_once_per_content() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let project = Project::new(&root)
            .with_schema("tests/fixtures/ui/notes/schema.sql")
            .with_migrations("tests/fixtures/ui/notes/migrations");
        let (first, inputs) = load(&project);
        let (second, _) = load(&project);
        assert!(Arc::ptr_eq(&first, &second));
        assert_eq!(inputs.files.len(), 4, "{:?}", inputs.files);
        assert!(first.diagnostics.is_empty(), "{:?}", first.diagnostics);
    }

    #[test]
    fn an_edit_is_seen_even_by_a_long_lived_process() {
        let dir = std::env::temp_dir().join(format!("schema-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let project = Project::new(&dir);
        std::fs::write(
            dir.join("schema.sql"),
            "create table t (id int primary key);\n",
        )
        .expect("write");
        let (first, inputs) = load(&project);
        assert_eq!(first.declared.tables.len(), 1);
        // Same size, new content: the stamp still changes with the modification
        // time. Wait past RECHECK_AFTER (and past coarse file-system clocks).
        std::thread::sleep(RECHECK_AFTER + std::time::Duration::from_millis(100));
        std::fs::write(
            dir.join("schema.sql"),
            "create table u (id int primary key);\n",
        )
        .expect("write");
        let (second, again) = load(&project);
        assert_ne!(inputs.fingerprint, again.fingerprint);
        let name = second.declared.tables.keys().next().map(|k| k.name.clone());
        assert_eq!(name.as_deref(), Some("u"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
