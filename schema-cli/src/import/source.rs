//! The other tool's files as the importers read them: every file under the
//! directory given to `schema import` (hidden entries and `README*` files
//! left out), read whole, and the diagnostics that name them.

use std::path::Path;
use std::sync::Arc;

use schema_core::diagnostic::{Code, Diagnostic, Origin, Source, codes};

/// How deep `schema import` looks into subdirectories (flyway and refinery
/// search their directories recursively; the others look one level down).
const MAX_DEPTH: usize = 16;

/// One file of the other tool's history.
#[derive(Debug, Clone)]
pub(crate) struct File {
    /// Its path relative to the directory given, `/`-separated.
    pub(crate) rel: String,
    /// Its bytes, as read.
    pub(crate) bytes: Vec<u8>,
}

impl File {
    /// The file name: the last component of [`File::rel`].
    pub(crate) fn name(&self) -> &str {
        self.rel.rsplit('/').next().unwrap_or(&self.rel)
    }

    /// The directory part of [`File::rel`] (empty at the top).
    pub(crate) fn parent(&self) -> &str {
        self.rel.rsplit_once('/').map_or("", |(dir, _)| dir)
    }
}

/// Every file under the directory given (or the one file given), read whole.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tree {
    /// The directory as the user gave it, for messages.
    pub(crate) shown: String,
    /// The files, sorted by [`File::rel`].
    pub(crate) files: Vec<File>,
}

impl Tree {
    /// A tree of `(relative path, text)` pairs, for tests.
    #[cfg(test)]
    pub(crate) fn of(files: &[(&str, &str)]) -> Tree {
        let mut files: Vec<File> = files
            .iter()
            .filter(|(rel, _)| !rel.split('/').any(ignorable))
            .map(|(rel, text)| File {
                rel: (*rel).to_string(),
                bytes: text.as_bytes().to_vec(),
            })
            .collect();
        files.sort_by(|a, b| a.rel.cmp(&b.rel));
        Tree {
            shown: "in".to_string(),
            files,
        }
    }

    /// Reads `path`: a directory (every file under it) or a single file.
    ///
    /// # Errors
    /// A diagnostic naming what cannot be read, or a name that is not UTF-8.
    pub(crate) fn read(path: &Path) -> Result<Tree, Vec<Diagnostic>> {
        let shown = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|e| {
            vec![
                Diagnostic::error(codes::IO, format!("cannot read `{shown}`: {e}")).help(
                    "pass the directory that holds the other tool's migrations (for alembic, \
                     the file `alembic upgrade --sql` wrote, or a directory of such files)",
                ),
            ]
        })?;
        let mut tree = Tree {
            shown: shown.clone(),
            files: Vec::new(),
        };
        let mut errors = Vec::new();
        if meta.is_file() {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| shown.clone());
            tree.shown = path
                .parent()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            match std::fs::read(path) {
                Ok(bytes) => tree.files.push(File { rel: name, bytes }),
                Err(e) => errors.push(io_error(&shown, &e)),
            }
        } else {
            walk(path, "", 0, &shown, &mut tree.files, &mut errors);
        }
        tree.files.sort_by(|a, b| a.rel.cmp(&b.rel));
        if errors.is_empty() {
            Ok(tree)
        } else {
            Err(errors)
        }
    }

    /// How a file of this tree is shown: the directory given, then its path.
    pub(crate) fn show(&self, rel: &str) -> String {
        if self.shown.is_empty() || self.shown == "." {
            rel.to_string()
        } else {
            format!("{}/{rel}", self.shown.trim_end_matches(['/', '\\']))
        }
    }

    /// The text of `file`, as a [`Source`] named as [`Tree::show`] names it
    /// (a leading BOM removed).
    ///
    /// # Errors
    /// A diagnostic when the file is not UTF-8, naming the first bad byte.
    pub(crate) fn text(&self, file: &File) -> Result<Arc<Source>, Diagnostic> {
        let shown = self.show(&file.rel);
        match std::str::from_utf8(&file.bytes) {
            Ok(text) => Ok(Source::new(
                shown,
                text.strip_prefix('\u{feff}').unwrap_or(text),
            )),
            Err(e) => Err(Diagnostic::error(
                codes::IO,
                format!("`{shown}` is not valid UTF-8"),
            )
            .note(format!(
                "the first invalid byte is at offset {}",
                e.valid_up_to()
            ))
            .help(format!(
                "save `{shown}` as UTF-8 (e.g. `iconv -f LATIN1 -t UTF-8`), then import again"
            ))),
        }
    }
}

/// True for what an importer skips without a word: hidden entries and
/// `README*` files.
pub(crate) fn ignorable(name: &str) -> bool {
    name.starts_with('.') || name.to_ascii_uppercase().starts_with("README")
}

fn walk(
    dir: &Path,
    prefix: &str,
    depth: usize,
    shown: &str,
    files: &mut Vec<File>,
    errors: &mut Vec<Diagnostic>,
) {
    let shown_dir = if prefix.is_empty() {
        shown.to_string()
    } else {
        format!("{shown}/{prefix}")
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(io_error(&shown_dir, &e));
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                errors.push(io_error(&shown_dir, &e));
                continue;
            }
        };
        let Ok(name) = entry.file_name().into_string() else {
            errors.push(
                Diagnostic::error(
                    codes::IO,
                    format!(
                        "`{shown_dir}/{}` has a name that is not valid UTF-8",
                        entry.file_name().to_string_lossy()
                    ),
                )
                .help("rename it (or move it out of the directory)"),
            );
            continue;
        };
        if ignorable(&name) {
            continue;
        }
        // The name goes into the imported up.sql's header comment: a line
        // break there would make the rest of the name a statement.
        if name.chars().any(char::is_control) {
            errors.push(
                Diagnostic::error(
                    codes::IO,
                    format!(
                        "`{shown_dir}/{}` has a control character (a line break, a tab, ...) \
                         in its name",
                        name.escape_debug()
                    ),
                )
                .help("rename it without one, then import again"),
            );
            continue;
        }
        let rel = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        let path = entry.path();
        // Follows symbolic links, as the tools do.
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => {
                if depth < MAX_DEPTH {
                    walk(&path, &rel, depth + 1, shown, files, errors);
                } else {
                    // Never skipped in silence (a symbolic link loop ends here too).
                    errors.push(
                        Diagnostic::error(
                            codes::IO,
                            format!(
                                "`{shown}/{rel}` is more than {MAX_DEPTH} directories deep (or \
                                 a symbolic link loop)"
                            ),
                        )
                        .help("move its migrations up, or remove the link, then import again"),
                    );
                }
            }
            Ok(_) => match std::fs::read(&path) {
                Ok(bytes) => files.push(File { rel, bytes }),
                Err(e) => errors.push(io_error(&format!("{shown}/{rel}"), &e)),
            },
            Err(e) => errors.push(io_error(&format!("{shown}/{rel}"), &e)),
        }
    }
}

fn io_error(shown: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(codes::IO, format!("cannot read `{shown}`: {e}"))
        .help(format!("make `{shown}` readable, then import again"))
}

/// The error for files that are not migrations of the format: each named,
/// with the pattern the format's files follow.
pub(crate) fn unmatched(tree: &Tree, rels: &[String], format: &str, pattern: &str) -> Diagnostic {
    let mut d = Diagnostic::error(
        codes::BAD_MIGRATION_NAME,
        format!(
            "{} file{} in `{}` {} {format} migration{}",
            rels.len(),
            if rels.len() == 1 { "" } else { "s" },
            tree.shown,
            if rels.len() == 1 {
                "is not a"
            } else {
                "are not"
            },
            if rels.len() == 1 { "" } else { "s" },
        ),
    );
    for rel in rels {
        d = d.note(format!("`{}`", tree.show(rel)));
    }
    d.note(format!("{format} migrations are named {pattern}"))
        .help(
            "rename them to the pattern, or move them out of the directory (hidden files and \
             `README*` files are skipped), then import again",
        )
}

/// An error at `line` (1-based) of `source`, quoting it.
pub(crate) fn at_line(
    code: Code,
    source: &Arc<Source>,
    line: usize,
    message: impl Into<String>,
    label: &str,
    help: impl Into<String>,
) -> Diagnostic {
    let line = u32::try_from(line).unwrap_or(u32::MAX);
    Diagnostic::error(code, message)
        .at(&Origin::new(source, line, 1))
        .label(label)
        .help(help)
}

/// An error about a whole file, named.
pub(crate) fn about_file(
    code: Code,
    source: &Arc<Source>,
    message: impl Into<String>,
    help: impl Into<String>,
) -> Diagnostic {
    let message = message.into();
    if source.text.is_empty() {
        Diagnostic::error(code, format!("{message} (`{}` is empty)", source.path)).help(help)
    } else {
        Diagnostic::error(code, message)
            .at(&Origin::new(source, 1, 1))
            .label("in this file")
            .help(help)
    }
}

/// The lines of `text`, each with its line ending, and their 1-based numbers.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_inclusive('\n')
        .enumerate()
        .map(|(i, line)| (i + 1, line))
}

/// `line` without its line ending.
pub(crate) fn bare(line: &str) -> &str {
    line.trim_end_matches(['\n', '\r'])
}

/// `found` sorted by `key` (the tool's own order), refused with a located
/// error for each two migrations that share a key (`refuses`: the tool's
/// name when it refuses them too, for a note); the migrations, or every
/// error of `errors` and these.
pub(crate) fn in_order<K: Ord + std::fmt::Display>(
    tree: &Tree,
    mut found: Vec<super::Imported>,
    mut errors: Vec<Diagnostic>,
    key: impl Fn(&super::Imported) -> K,
    refuses: Option<&str>,
) -> Result<super::Parsed, Vec<Diagnostic>> {
    found.sort_by_key(|m| key(m));
    for pair in found.windows(2) {
        let (a, b) = (key(&pair[0]), key(&pair[1]));
        if a == b {
            let mut d = Diagnostic::error(
                codes::DUPLICATE_VERSION,
                format!(
                    "`{}` and `{}` share version {a}",
                    tree.show(&pair[0].up_path),
                    tree.show(&pair[1].up_path),
                ),
            );
            if let Some(tool) = refuses {
                d = d.note(format!("{tool} refuses two migrations of one version too"));
            }
            errors.push(d.help("renumber one of them, then import again"));
        }
    }
    if errors.is_empty() {
        Ok(super::Parsed {
            migrations: found,
            dropped: Vec::new(),
        })
    } else {
        Err(errors)
    }
}
