//! The SQLite renderings of a project's migrations and its fresh-database
//! scripts, cached on disk beside the expansions (`<target>/schema-cache/`),
//! so that after an edit `schema!()` renders only what the edit can change.
//!
//! - **What depends on what**: a migration's SQLite script is rendered from
//!   the schema before it and after it, which only the history up to it
//!   decides. Each is keyed by a [`Fingerprint`] of the macro's build and of
//!   every migration up to and including it (version, name, up.sql and
//!   down.sql), chained: editing schema.sql renders nothing again, adding a
//!   migration renders that one, editing migration *k* renders *k* and every
//!   later one. The fresh-database scripts are keyed by the whole history.
//! - **Entry**: one file per project, `<project>.renderings`, holding the
//!   renderings of its current history: a header (format, length and
//!   fingerprint of the body) and a record per rendering. A truncated,
//!   edited or foreign file is read as empty, so a damaged cache costs a
//!   render, never a wrong script.
//! - **Writes** (only when something was rendered) go to a temporary file
//!   renamed into place, as the expansions' do; the expansion cache's pruning
//!   removes a project's file after [`STALE_AFTER`] unused.
//! - `SCHEMA_NO_CACHE=1` turns it off with the rest of the cache.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use crate::fingerprint::Fingerprint;
use crate::migrations::dialects::{self, DialectSql, Embedded, Fresh};
use crate::migrations::replay::Replay;

/// The first line of every file; bump the number when the format, or what a
/// key covers, changes.
const FORMAT: &str = "schema!() rendering cache, format 1";

/// How long an unused project's file is kept.
pub(crate) const STALE_AFTER: Duration = Duration::from_secs(30 * 24 * 3600);

/// The file name's ending.
pub(crate) const SUFFIX: &str = ".renderings";

/// One project's file of renderings, and the part of every key that is the
/// macro's build.
pub(crate) struct Renderings {
    /// `<target>/schema-cache`.
    pub(crate) dir: PathBuf,
    /// `<project>.renderings` in it.
    pub(crate) file: PathBuf,
    /// The macro's version and build (a rebuilt renderer renders again).
    pub(crate) base: Fingerprint,
}

/// A stored rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Record {
    /// A migration's SQLite script, or why SQLite cannot run it.
    Sqlite(Result<DialectSql, String>),
    /// The fresh-database scripts.
    Fresh(Fresh),
}

/// The migrations of `replay` as the runtime embeds them and its fresh
/// scripts, each SQLite script and the fresh scripts taken from `cache` when
/// it holds them for this history (and stored there when it did not), and how
/// many renderings were made rather than read.
pub(crate) fn embed(replay: &Replay, cache: Option<&Renderings>) -> (Vec<Embedded>, Fresh, usize) {
    let Some(cache) = cache else {
        let embedded: Vec<Embedded> = replay.migrations.iter().map(dialects::embedded).collect();
        let fresh = dialects::fresh(replay, &embedded);
        return (embedded, fresh, replay.migrations.len() + 1);
    };
    let mut stored = cache.read();
    let mut chain = cache.base.clone();
    chain.write(&[u8::from(replay.migrated.privileges_ignored)]);
    let mut made = 0;
    let mut kept: Vec<(u128, Record)> = Vec::with_capacity(replay.migrations.len() + 1);
    let mut embedded = Vec::with_capacity(replay.migrations.len());
    for m in &replay.migrations {
        chain.write_u64(m.files.version);
        chain.write_str(&m.files.dir_name);
        chain.write_str(&m.files.up.text);
        chain.write_str(&m.files.down.text);
        let key = chain.finish();
        let e = match stored.remove(&key) {
            Some(Record::Sqlite(sqlite)) => dialects::embedded_with_sqlite(m, sqlite),
            _ => {
                made += 1;
                dialects::embedded(m)
            }
        };
        kept.push((key, Record::Sqlite(e.sqlite.clone())));
        embedded.push(e);
    }
    chain.write_str("fresh");
    let key = chain.finish();
    let fresh = match stored.remove(&key) {
        Some(Record::Fresh(fresh)) => fresh,
        _ => {
            made += 1;
            dialects::fresh(replay, &embedded)
        }
    };
    kept.push((key, Record::Fresh(fresh.clone())));
    if made > 0 {
        cache.write(&kept);
    } else {
        cache.touch();
    }
    (embedded, fresh, made)
}

/// `Some(text)` as its length, `None` as `-`.
fn length(text: Option<&String>) -> String {
    text.map_or_else(|| "-".to_string(), |t| t.len().to_string())
}

impl Renderings {
    /// The records of the file, by key; empty when it is missing or damaged.
    fn read(&self) -> HashMap<u128, Record> {
        std::fs::read_to_string(&self.file)
            .ok()
            .and_then(|text| parse(&text))
            .unwrap_or_default()
    }

    /// Replaces the file with `records` (errors ignored).
    fn write(&self, records: &[(u128, Record)]) {
        let mut body = String::new();
        for (key, record) in records {
            let (tag, a, b) = match record {
                Record::Sqlite(Ok(sql)) => ("ok", Some(&sql.up), Some(&sql.down)),
                Record::Sqlite(Err(why)) => ("err", Some(why), None),
                Record::Fresh(f) => ("fresh", f.postgres.as_ref(), f.sqlite.as_ref()),
            };
            let _ = writeln!(body, "{key:032x} {tag} {} {}", length(a), length(b));
            body.push_str(a.map_or("", String::as_str));
            body.push_str(b.map_or("", String::as_str));
        }
        let text = format!(
            "{FORMAT}\nlength {}\nfingerprint {:032x}\n\n{body}",
            body.len(),
            Fingerprint::of(body.as_bytes())
        );
        super::expansion_cache::write_atomically(&self.dir, &self.file, &text);
    }

    /// Marks the file used, so pruning keeps it.
    fn touch(&self) {
        if let Ok(file) = std::fs::OpenOptions::new().write(true).open(&self.file) {
            let _ = file.set_modified(std::time::SystemTime::now());
        }
    }
}

/// The records of a file's text, `None` unless the whole of it is valid.
fn parse(text: &str) -> Option<HashMap<u128, Record>> {
    let (header, body) = text.split_once("\n\n")?;
    let mut lines = header.lines();
    let valid = lines.next()? == FORMAT
        && lines
            .next()?
            .strip_prefix("length ")?
            .parse::<usize>()
            .ok()?
            == body.len()
        && lines.next()?.strip_prefix("fingerprint ")?
            == format!("{:032x}", Fingerprint::of(body.as_bytes()))
        && lines.next().is_none();
    if !valid {
        return None;
    }
    let mut out = HashMap::new();
    let mut rest = body;
    while !rest.is_empty() {
        let (line, after) = rest.split_once('\n')?;
        let mut words = line.split(' ');
        let key = u128::from_str_radix(words.next()?, 16).ok()?;
        let tag = words.next()?;
        let mut take = |after: &mut &str| -> Option<Option<String>> {
            let word = words.next()?;
            if word == "-" {
                return Some(None);
            }
            let n: usize = word.parse().ok()?;
            let (text, tail) = (after.get(..n)?, after.get(n..)?);
            *after = tail;
            Some(Some(text.to_string()))
        };
        let mut after = after;
        let (a, b) = (take(&mut after)?, take(&mut after)?);
        let record = match (tag, a, b) {
            ("ok", Some(up), Some(down)) => Record::Sqlite(Ok(DialectSql { up, down })),
            ("err", Some(why), None) => Record::Sqlite(Err(why)),
            ("fresh", postgres, sqlite) => Record::Fresh(Fresh { postgres, sqlite }),
            _ => return None,
        };
        out.insert(key, record);
        rest = after;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrations::replay::replay;

    use crate::migrations::MigrationFiles;
    use crate::migrations::discover::in_memory as m;

    fn history() -> Vec<MigrationFiles> {
        vec![
            m(
                1,
                "CREATE TABLE a (id int PRIMARY KEY, n text NOT NULL DEFAULT 'x');\n",
                "DROP TABLE a;\n",
            ),
            m(
                2,
                "ALTER TABLE a ALTER COLUMN n DROP DEFAULT;\n",
                "ALTER TABLE a ALTER COLUMN n SET DEFAULT 'x';\n",
            ),
            m(
                3,
                "CREATE TABLE b (id int PRIMARY KEY REFERENCES a);\n",
                "DROP TABLE b;\n",
            ),
        ]
    }

    fn renderings(dir: &std::path::Path) -> Renderings {
        let mut base = Fingerprint::new();
        base.write_str("tests");
        Renderings {
            dir: dir.to_path_buf(),
            file: dir.join(format!("p{SUFFIX}")),
            base,
        }
    }

    fn replayed(files: &[MigrationFiles]) -> Replay {
        let mut diags = Vec::new();
        let r = replay(files, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        r
    }

    #[test]
    fn cached_renderings_are_the_rendered_ones_and_an_edit_renders_from_its_migration_on() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let cache = renderings(dir.path());
        let files = history();
        let r = replayed(&files);
        let uncached = embed(&r, None);
        // Nothing stored: every migration and the fresh scripts are rendered.
        let first = embed(&r, Some(&cache));
        assert_eq!(first.2, 4);
        assert_eq!((&first.0, &first.1), (&uncached.0, &uncached.1));
        assert!(
            first.0[1]
                .sqlite
                .as_ref()
                .is_ok_and(|s| s.up.contains("_new_a"))
        );
        // Nothing changed: nothing rendered, the same scripts.
        let again = embed(&r, Some(&cache));
        assert_eq!(again.2, 0);
        assert_eq!((&again.0, &again.1), (&uncached.0, &uncached.1));
        // Editing the second migration renders it, the third and the fresh scripts.
        let mut edited = history();
        edited[1] = m(
            2,
            "ALTER TABLE a ALTER COLUMN n SET DEFAULT 'y';\n",
            "ALTER TABLE a ALTER COLUMN n SET DEFAULT 'x';\n",
        );
        let r2 = replayed(&edited);
        let after_edit = embed(&r2, Some(&cache));
        assert_eq!(after_edit.2, 3);
        let uncached2 = embed(&r2, None);
        assert_eq!((&after_edit.0, &after_edit.1), (&uncached2.0, &uncached2.1));
        assert!(
            after_edit.0[1]
                .sqlite
                .as_ref()
                .is_ok_and(|s| s.up.contains("'y'"))
        );
        // Adding a migration renders only it and the fresh scripts.
        edited.push(m(4, "CREATE TABLE c (id int);\n", "DROP TABLE c;\n"));
        let r3 = replayed(&edited);
        assert_eq!(embed(&r3, Some(&cache)).2, 2);
    }

    #[test]
    fn a_damaged_file_is_rendered_again_never_trusted() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let cache = renderings(dir.path());
        let r = replayed(&history());
        let good = embed(&r, Some(&cache));
        let text = std::fs::read_to_string(&cache.file).unwrap_or_default();
        assert!(text.contains("_new_a"), "{text}");
        for damaged in [
            text.replace("_new_a", "_new_b"),
            text[..text.len() - 3].to_string(),
            text.replacen(FORMAT, "schema!() rendering cache, format 0", 1),
            String::new(),
        ] {
            std::fs::write(&cache.file, damaged).unwrap_or_else(|e| panic!("{e}"));
            let again = embed(&r, Some(&cache));
            assert_eq!(again.2, 4, "a damaged file counts as empty");
            assert_eq!((&again.0, &again.1), (&good.0, &good.1));
        }
        // Another build of the macro keys everything anew.
        let mut other = renderings(dir.path());
        other.base.write_str("another build");
        assert_eq!(embed(&r, Some(&other)).2, 4);
    }

    #[test]
    fn records_read_back_as_written_whatever_their_text() {
        let records = [
            (
                1u128,
                Record::Sqlite(Ok(DialectSql {
                    up: "a\n\nb ok 3 4\n".into(),
                    down: String::new(),
                })),
            ),
            (2, Record::Sqlite(Err("cannot: é ✓".into()))),
            (
                3,
                Record::Fresh(Fresh {
                    postgres: Some("-".into()),
                    sqlite: None,
                }),
            ),
            (4, Record::Fresh(Fresh::default())),
        ];
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let cache = renderings(dir.path());
        cache.write(&records);
        let read = cache.read();
        assert_eq!(read.len(), records.len());
        for (key, record) in &records {
            assert_eq!(read.get(key), Some(record));
        }
    }
}
