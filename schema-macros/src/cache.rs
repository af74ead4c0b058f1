//! The analysis of a project, once per process per content: a hundred macros
//! over one schema cost one parse and one replay.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use schema_core::codegen::{Features, Inputs, inputs};
use schema_core::{Loaded, Project};

/// Loaded projects by the fingerprint of their files' contents.
static CACHE: OnceLock<Mutex<HashMap<u64, Arc<Loaded>>>> = OnceLock::new();

/// The crate being compiled: where relative paths start.
pub(crate) fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default()
}

/// The features of `schema` this build has, which decide the generated types.
pub(crate) fn features() -> Features {
    Features {
        chrono: cfg!(feature = "chrono"),
        time: cfg!(feature = "time"),
        uuid: cfg!(feature = "uuid"),
        json: cfg!(feature = "json"),
        decimal: cfg!(feature = "decimal"),
        serde: cfg!(feature = "serde"),
    }
}

/// The project loaded (from the cache when its files did not change) and the
/// files it was read from.
pub(crate) fn load(project: &Project) -> (Arc<Loaded>, Inputs) {
    let inputs = inputs(project);
    let mut cache = CACHE
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    let loaded = cache
        .entry(inputs.fingerprint)
        .or_insert_with(|| Arc::new(schema_core::load(project)))
        .clone();
    (loaded, inputs)
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
}
