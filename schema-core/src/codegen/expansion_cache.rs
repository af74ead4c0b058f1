//! The expansion of `schema!()` cached on disk, under the target directory, so
//! that the first expansion in a compiler process (every `cargo build` that
//! recompiles the crate starts one) costs reading and hashing the project's
//! files instead of parsing, replaying, checking and generating code.
//!
//! - **Where**: `<target dir>/schema-cache/`. The target directory is the
//!   ancestor of rustc's `--out-dir` that holds Cargo's `CACHEDIR.TAG` (so
//!   `build.target-dir` in a config file is found too), else
//!   `CARGO_TARGET_DIR`, else the nearest `target/` holding `CACHEDIR.TAG`
//!   above the crate's manifest. Without one, nothing is cached.
//! - **Key**: a [`Fingerprint`] of this format's version, the macro crate's
//!   version and build, the enabled features, the macro's `derive(..)` and
//!   `attr(..)` arguments, the project's paths (the macro's path arguments,
//!   resolved) and the fingerprint of every input file's
//!   path and contents. Any edit, added or removed migration, other feature
//!   set or rebuilt macro is another key. The build is told apart by the
//!   proc-macro library's size and modification time where the platform tells
//!   which file it is (Linux: the library that holds this code, which is
//!   linked into the macro crate); elsewhere a macro built from a registry's
//!   sources is told apart by its version alone, and one built from a path or
//!   git checkout (which can change without a new version) caches nothing.
//!   The macro crate gives its version and sources in its [`Host`].
//! - **Entry**: `<project>-<key>.tokens`: a header (format, key, length and
//!   fingerprint of the body) and the expansion's tokens as text. An entry is
//!   used only when the whole header matches: a truncated, edited or foreign
//!   file is a miss. Only successful expansions are stored; a project with
//!   errors is analysed again each time, so its errors are always current.
//! - **Writes** go to a temporary file renamed into place, so a reader never
//!   sees half an entry. Each project keeps its [`PER_PROJECT`] newest entries
//!   and the directory at most [`IN_ALL`]; a hit refreshes its entry's time.
//! - **Reads** overlap the hashing: while a thread reads and hashes the
//!   inputs, the macro's thread reads back the project's most recently used
//!   entry (the compiler's lexer runs on that thread only), which is kept when
//!   its key turns out to be the one.
//! - **Never fails the build**: every I/O error is a miss or a skipped write.
//! - `SCHEMA_NO_CACHE=1` (any value but `0` or empty) turns it off.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use proc_macro2::TokenStream;

use super::host::Host;
use super::render_cache::{self, Renderings};
use crate::Project;
use crate::codegen::Inputs;
use crate::fingerprint::Fingerprint;

/// The first line of every entry; bump the number when the format or what the
/// key covers changes.
const FORMAT: &str = "schema!() expansion cache, format 1";

/// Entries kept per project (per crate and pair of paths): enough to go back
/// and forth between a few edits, features sets or profiles without a miss.
const PER_PROJECT: usize = 4;

/// Entries kept in the directory in all.
const IN_ALL: usize = 64;

/// The directory's name under the target directory.
const DIR_NAME: &str = "schema-cache";

/// Where a project's expansions are cached, and the part of their key that
/// does not depend on the files' contents.
pub(crate) struct Place {
    /// `<target>/schema-cache`.
    dir: PathBuf,
    /// The project part of the file names (16 hex digits).
    project: String,
    /// The key so far: format, version, build, features, project.
    key: Fingerprint,
    /// The macro's version and build: what the renderings are keyed by
    /// beside the history.
    build: Fingerprint,
}

impl Place {
    /// The place of `project`'s expansions with the host's features; `None` when the
    /// cache is off or has no place.
    pub(crate) fn of(project: &Project, host: &Host, arguments: &str) -> Option<Place> {
        if !enabled() {
            return None;
        }
        let build = build_id(host.macro_source)?;
        let dir = target_dir(&project.root)?.join(DIR_NAME);
        let mut paths = Fingerprint::new();
        paths.write_str(FORMAT);
        paths.write(project.root.as_os_str().as_encoded_bytes());
        paths.write(project.schema_path().as_os_str().as_encoded_bytes());
        paths.write(project.migrations_path().as_os_str().as_encoded_bytes());
        let project_id = paths.finish();
        let mut key = Fingerprint::new();
        key.write_str(FORMAT);
        key.write_str(host.macro_version);
        key.write_str(build);
        key.write_str(&format!("{:?}", host.features));
        key.write_str(arguments);
        key.write(&project_id.to_le_bytes());
        let mut build_key = Fingerprint::new();
        build_key.write_str(host.macro_version);
        build_key.write_str(build);
        Some(Place {
            dir,
            project: format!("{:016x}", (project_id >> 64) as u64),
            key,
            build: build_key,
        })
    }

    /// The project's cached renderings.
    pub(crate) fn renderings(&self) -> Renderings {
        Renderings {
            file: self
                .dir
                .join(format!("{}{}", self.project, render_cache::SUFFIX)),
            dir: self.dir.clone(),
            base: self.build.clone(),
        }
    }

    /// The entry for these inputs.
    pub(crate) fn entry(&self, inputs: &Inputs) -> Entry {
        let mut key = self.key.clone();
        key.write(&inputs.fingerprint.to_le_bytes());
        Entry {
            dir: self.dir.clone(),
            project: self.project.clone(),
            key: key.hex(),
        }
    }

    /// The project's most recently used entry: the likeliest to be the one
    /// (what a rebuild with no edit asks for), so it can be read while the
    /// inputs are still being hashed.
    pub(crate) fn newest(&self) -> Option<Entry> {
        let prefix = format!("{}-", self.project);
        let newest = fs::read_dir(&self.dir)
            .ok()?
            .filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let key = name.strip_prefix(&prefix)?.strip_suffix(".tokens")?;
                let modified = e.metadata().and_then(|m| m.modified()).ok()?;
                Some((modified, key.to_string()))
            })
            .max()?;
        Some(Entry {
            dir: self.dir.clone(),
            project: self.project.clone(),
            key: newest.1,
        })
    }
}

/// One expansion's place in the cache.
pub(crate) struct Entry {
    /// `<target>/schema-cache`.
    dir: PathBuf,
    /// The project part of the file name (16 hex digits).
    project: String,
    /// The key, 32 hex digits.
    key: String,
}

/// True unless `SCHEMA_NO_CACHE` is set to something other than `0` or empty.
fn enabled() -> bool {
    std::env::var_os("SCHEMA_NO_CACHE").is_none_or(|v| v.is_empty() || v == "0")
}

impl Entry {
    /// True when both are the same entry.
    pub(crate) fn is(&self, other: &Entry) -> bool {
        self.key == other.key && self.project == other.project && self.dir == other.dir
    }

    /// The entry's file.
    pub(crate) fn path(&self) -> PathBuf {
        self.dir
            .join(format!("{}-{}.tokens", self.project, self.key))
    }

    /// True when one of `paths` was modified after this entry was last
    /// written or used: then an edit happened since, and the entry is likely
    /// not the one (the key, made from the contents, decides). A directory's
    /// time changes when an entry is added or removed, not when a file in it
    /// is edited.
    pub(crate) fn predates(&self, paths: &[PathBuf]) -> bool {
        let modified = |path: &Path| fs::metadata(path).and_then(|m| m.modified()).ok();
        let Some(own) = modified(&self.path()) else {
            return true;
        };
        paths.iter().any(|p| modified(p).is_some_and(|m| m > own))
    }

    /// The cached expansion, when there is a valid one.
    pub(crate) fn read(&self, host: &Host) -> Option<TokenStream> {
        let text = fs::read_to_string(self.path()).ok()?;
        let body = self.body(&text)?;
        parse_tokens(body, host)
    }

    /// Marks the entry used: pruning removes the least recently used first.
    pub(crate) fn touch(&self) {
        if let Ok(file) = fs::OpenOptions::new().write(true).open(self.path()) {
            let _ = file.set_modified(SystemTime::now());
        }
    }

    /// The body of an entry's text, when its header is this entry's and
    /// describes it exactly.
    fn body<'t>(&self, text: &'t str) -> Option<&'t str> {
        let (header, body) = text.split_once("\n\n")?;
        let mut lines = header.lines();
        let format = lines.next()?;
        let key = lines.next()?.strip_prefix("key ")?;
        let length: usize = lines.next()?.strip_prefix("length ")?.parse().ok()?;
        let checksum = lines.next()?.strip_prefix("fingerprint ")?;
        let valid = format == FORMAT
            && key == self.key
            && lines.next().is_none()
            && length == body.len()
            && checksum == format!("{:032x}", Fingerprint::of(body.as_bytes()));
        valid.then_some(body)
    }

    /// Stores `tokens` as this entry (errors ignored), then prunes.
    #[cfg(test)]
    pub(crate) fn write(&self, tokens: &TokenStream) {
        self.write_text(&tokens.to_string());
    }

    /// Stores `body` (tokens as text) as this entry (errors ignored), then
    /// prunes.
    pub(crate) fn write_text(&self, body: &str) {
        let text = format!(
            "{FORMAT}\nkey {}\nlength {}\nfingerprint {:032x}\n\n{body}",
            self.key,
            body.len(),
            Fingerprint::of(body.as_bytes())
        );
        if write_atomically(&self.dir, &self.path(), &text) {
            self.prune();
        }
    }

    /// Removes this project's entries past the newest [`PER_PROJECT`], any
    /// past the newest [`IN_ALL`], and temporary files an hour old.
    fn prune(&self) {
        let Ok(listing) = fs::read_dir(&self.dir) else {
            return;
        };
        let now = SystemTime::now();
        let mut entries: Vec<(SystemTime, PathBuf, bool)> = Vec::new();
        for entry in listing.filter_map(Result::ok) {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let modified = entry
                .metadata()
                .and_then(|m| m.modified())
                .unwrap_or(SystemTime::UNIX_EPOCH);
            let age = now.duration_since(modified).unwrap_or_default();
            if name.starts_with(".tmp-") {
                if age > Duration::from_secs(3600) {
                    let _ = fs::remove_file(entry.path());
                }
            } else if name.ends_with(render_cache::SUFFIX) {
                if age > render_cache::STALE_AFTER {
                    let _ = fs::remove_file(entry.path());
                }
            } else if name.ends_with(".tokens") {
                let mine = name.starts_with(&format!("{}-", self.project));
                entries.push((modified, entry.path(), mine));
            }
        }
        // Newest first; this entry counts as the newest whatever the clock says.
        let this = self.path();
        entries.sort_by_key(|(modified, path, _)| std::cmp::Reverse((*path == this, *modified)));
        let mut mine = 0;
        for (i, (_, path, is_mine)) in entries.iter().enumerate() {
            mine += usize::from(*is_mine);
            if i >= IN_ALL || (*is_mine && mine > PER_PROJECT) {
                let _ = fs::remove_file(path);
            }
        }
    }
}

/// Writes `text` to `path` in `dir` through a temporary file renamed into
/// place, so a reader sees the old file or the new one, never half of one;
/// false when it could not (nothing is left behind).
pub(crate) fn write_atomically(dir: &Path, path: &Path, text: &str) -> bool {
    if fs::create_dir_all(dir).is_err() {
        return false;
    }
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let temp = dir.join(format!(
        ".tmp-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
    ));
    let written = fs::File::create(&temp).and_then(|mut f| f.write_all(text.as_bytes()));
    if written.is_err() || fs::rename(&temp, path).is_err() {
        let _ = fs::remove_file(&temp);
        return false;
    }
    true
}

/// Tokens from their text: the compiler's own lexer inside a macro (the text
/// is what `to_string` of a token stream gave, checked by the header), else
/// `proc_macro2`'s (unit tests).
pub(crate) fn parse_tokens(text: &str, host: &Host) -> Option<TokenStream> {
    // Not `proc_macro2`'s `from_str` in a macro: it first lexes the whole text
    // with its own lexer, unoptimised in a proc macro, to validate it.
    (host.lex)(text).or_else(|| TokenStream::from_str(text).ok())
}

/// What tells this build of the macro from another of the same version: the
/// proc-macro library's path, size and modification time where the platform
/// says which file it is; `"registry"` for a build from a registry's sources
/// (`source`, the macro crate's, never changes under one version); else
/// `None`: no caching.
fn build_id(source: &'static str) -> Option<&'static str> {
    static BUILD: OnceLock<Option<String>> = OnceLock::new();
    BUILD
        .get_or_init(|| {
            if let Some(library) = own_library() {
                let meta = fs::metadata(&library).ok()?;
                let modified = meta
                    .modified()
                    .ok()?
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .ok()?;
                return Some(format!(
                    "{} {} {}",
                    library.display(),
                    meta.len(),
                    modified.as_nanos()
                ));
            }
            let source = Path::new(source);
            let from_registry = source
                .components()
                .any(|c| c.as_os_str() == "registry" || c.as_os_str() == "vendor");
            from_registry.then(|| "registry".to_string())
        })
        .as_deref()
}

/// The file this code was loaded from (the proc-macro library, which this
/// crate is linked into), read from `/proc/self/maps` on Linux: the mapping
/// that holds this function.
fn own_library() -> Option<PathBuf> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let here = own_library as fn() -> Option<PathBuf> as usize;
    let maps = fs::read_to_string("/proc/self/maps").ok()?;
    maps.lines().find_map(|line| {
        let mut fields = line.split_whitespace();
        let (start, end) = fields.next()?.split_once('-')?;
        let start = usize::from_str_radix(start, 16).ok()?;
        let end = usize::from_str_radix(end, 16).ok()?;
        if !(start <= here && here < end) {
            return None;
        }
        // perms, offset, device, inode, then the path (which may hold spaces).
        let path = line.splitn(6, char::is_whitespace).nth(5)?.trim_start();
        path.starts_with('/').then(|| PathBuf::from(path))
    })
}

/// The target directory of this build (see the module's documentation).
fn target_dir(manifest_dir: &Path) -> Option<PathBuf> {
    let tagged = |dir: &Path| dir.join("CACHEDIR.TAG").is_file();
    if let Some(out_dir) = rustc_out_dir() {
        if let Some(dir) = out_dir.ancestors().find(|d| tagged(d)) {
            return Some(dir.to_path_buf());
        }
    }
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        let dir = PathBuf::from(dir);
        return Some(if dir.is_absolute() {
            dir
        } else {
            std::env::current_dir().ok()?.join(dir)
        });
    }
    manifest_dir
        .ancestors()
        .map(|d| d.join("target"))
        .find(|d| tagged(d))
}

/// `--out-dir` of the rustc running this macro (absent when the macro runs
/// elsewhere, e.g. in an IDE's proc-macro server).
fn rustc_out_dir() -> Option<PathBuf> {
    let mut args = std::env::args_os();
    while let Some(arg) = args.next() {
        if arg == "--out-dir" {
            return args.next().map(PathBuf::from);
        }
        if let Some(dir) = arg.to_str().and_then(|a| a.strip_prefix("--out-dir=")) {
            return Some(PathBuf::from(dir));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host() -> Host {
        Host::for_tests()
    }

    /// An entry in a fresh temporary directory.
    fn entry(name: &str) -> Entry {
        let dir = std::env::temp_dir().join(format!("schema-disk-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        Entry {
            dir,
            project: "0123456789abcdef".into(),
            key: format!("{:032x}", Fingerprint::of(name.as_bytes())),
        }
    }

    #[test]
    fn an_entry_reads_back_what_was_written() {
        let e = entry("roundtrip");
        assert!(e.read(&host()).is_none());
        let tokens: TokenStream = "pub mod models { pub struct User { pub id : i32 , } }"
            .parse()
            .unwrap_or_default();
        e.write(&tokens);
        assert_eq!(
            e.read(&host()).map(|t| t.to_string()),
            Some(tokens.to_string())
        );
        let _ = fs::remove_dir_all(&e.dir);
    }

    #[test]
    fn a_damaged_or_foreign_entry_is_a_miss() {
        let e = entry("damaged");
        let tokens: TokenStream = "const A : u8 = 1 ;".parse().unwrap_or_default();
        e.write(&tokens);
        let good = fs::read_to_string(e.path()).unwrap_or_default();
        let damaged = [
            good.replace("const A : u8 = 1", "const A : u8 = 2"),
            good[..good.len() - 3].to_string(),
            good.replace(&e.key, &"0".repeat(32)),
            good.replace("format 1", "format 0"),
            format!("{good} extra"),
            "garbage".to_string(),
            String::new(),
        ];
        for text in damaged {
            let _ = fs::write(e.path(), &text);
            assert!(e.read(&host()).is_none(), "{text:?} was used");
        }
        let _ = fs::write(e.path(), [0xff, 0xfe, 0x00]);
        assert!(e.read(&host()).is_none());
        let _ = fs::remove_dir_all(&e.dir);
    }

    #[test]
    fn each_project_keeps_its_newest_entries() {
        let first = entry("prune");
        for i in 0..PER_PROJECT + 3 {
            let e = Entry {
                key: format!("{i:032x}"),
                dir: first.dir.clone(),
                project: first.project.clone(),
            };
            e.write(&TokenStream::new());
            assert!(e.path().is_file());
        }
        let other = Entry {
            project: "fedcba9876543210".into(),
            key: "f".repeat(32),
            dir: first.dir.clone(),
        };
        other.write(&TokenStream::new());
        let names: Vec<String> = fs::read_dir(&first.dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        let mine = names
            .iter()
            .filter(|n| n.starts_with(&first.project))
            .count();
        assert_eq!(mine, PER_PROJECT, "{names:?}");
        assert!(other.path().is_file());
        assert!(!names.iter().any(|n| n.starts_with(".tmp")), "{names:?}");
        let _ = fs::remove_dir_all(&first.dir);
    }

    #[test]
    fn the_newest_entry_of_a_project_is_the_likely_one() {
        let first = entry("newest");
        let place = Place {
            dir: first.dir.clone(),
            project: first.project.clone(),
            key: Fingerprint::new(),
            build: Fingerprint::new(),
        };
        assert!(place.newest().is_none());
        let inputs = |fingerprint| Inputs {
            files: Vec::new(),
            fingerprint,
        };
        let (a, b) = (place.entry(&inputs(1)), place.entry(&inputs(2)));
        assert!(!a.is(&b));
        a.write(&TokenStream::new());
        b.write(&TokenStream::new());
        let past = SystemTime::now() - Duration::from_secs(60);
        if let Ok(file) = fs::OpenOptions::new().write(true).open(b.path()) {
            let _ = file.set_modified(past);
        }
        assert!(place.newest().is_some_and(|e| e.is(&a)));
        b.touch();
        assert!(place.newest().is_some_and(|e| e.is(&b)));
        let _ = fs::remove_dir_all(&first.dir);
    }

    #[test]
    fn this_library_is_found_on_linux() {
        if cfg!(target_os = "linux") {
            let library = own_library();
            assert!(library.as_ref().is_some_and(|p| p.is_file()), "{library:?}");
            assert!(build_id(env!("CARGO_MANIFEST_DIR")).is_some());
        }
    }
}
