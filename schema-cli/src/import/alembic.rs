//! alembic's offline SQL: what `alembic upgrade --sql` prints (one file, or a
//! directory of such files), split at its `-- Running upgrade <a> -> <b>`
//! comments and put in chain order (each revision after the one it revises);
//! down scripts from `alembic downgrade --sql <head>:base`, split at
//! `-- Running downgrade <b> -> <a>`. alembic's own bookkeeping is dropped:
//! the `BEGIN;`/`COMMIT;` around the run, `CREATE TABLE alembic_version` and
//! the statements that write `alembic_version`. Our versions are 1..N in chain
//! order; the tool version is the revision id.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use schema_core::diagnostic::{Diagnostic, Source, codes};

use super::source::{Tree, at_line, bare, lines, unmatched};
use super::{Down, Imported, Parsed, section, sql};

/// What a statement of alembic's offline SQL is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The migration's own SQL.
    Own,
    /// `BEGIN;`
    Begin,
    /// `COMMIT;`
    Commit,
    /// `CREATE TABLE alembic_version`.
    VersionTable,
    /// `INSERT INTO`, `UPDATE`, `DELETE FROM` or `DROP TABLE` `alembic_version`.
    VersionRow,
}

/// How many statements of each bookkeeping kind were dropped.
#[derive(Debug, Default)]
struct Dropped {
    transaction: usize,
    table: usize,
    rows: usize,
}

/// One `-- Running upgrade|downgrade a -> b` section.
#[derive(Debug, Clone)]
struct Step {
    from: String,
    to: String,
    /// The file, relative to the directory given.
    rel: String,
    source: Arc<Source>,
    /// The line of its comment.
    line: usize,
    /// Its SQL, bookkeeping removed.
    sql: String,
    /// alembic left its transaction in the middle of it (`COMMIT;` ...
    /// `BEGIN;`, an `autocommit_block()`).
    outside: bool,
}

/// Reads alembic's offline upgrade SQL (`tree`) and downgrade SQL (`down`).
///
/// # Errors
/// A file holding no `-- Running upgrade` comment, SQL outside the sections,
/// a merge or a branch (two revisions of one parent), a chain that does not
/// hold together, a downgrade of a revision the upgrade lacks, text that is
/// not UTF-8.
pub(crate) fn read(tree: &Tree, down: Option<&Tree>) -> Result<Parsed, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut dropped = Dropped::default();
    let ups = steps(tree, "upgrade", &mut dropped, &mut errors);
    let downs = down.map(|t| steps(t, "downgrade", &mut dropped, &mut errors));
    let chain = chain(&ups, &mut errors);
    let mut by_revision: HashMap<&str, &Step> = HashMap::new();
    if let Some(downs) = &downs {
        for d in downs {
            if let Some(first) = by_revision.insert(d.from.as_str(), d) {
                errors.push(
                    at_line(
                        codes::DUPLICATE_VERSION,
                        &d.source,
                        d.line,
                        format!("a second downgrade of revision `{}`", d.from),
                        "again here",
                        "give `--down` one run of `alembic downgrade --sql <head>:base`",
                    )
                    .related(
                        &schema_core::diagnostic::Origin::new(
                            &first.source,
                            u32::try_from(first.line).unwrap_or(u32::MAX),
                            1,
                        ),
                        "first here",
                    ),
                );
            } else if !ups.iter().any(|u| u.to == d.from) {
                errors.push(at_line(
                    codes::UNSUPPORTED_FEATURE,
                    &d.source,
                    d.line,
                    format!("`{}` downgrades revision `{}`, which the upgrade SQL does not have", d.source.path, d.from),
                    "not in the upgrade",
                    "produce both from one range: `alembic upgrade <base>:<head> --sql` and `alembic downgrade <head>:<base> --sql`",
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut migrations = Vec::new();
    for (i, step) in chain.iter().enumerate() {
        let n = i as u64 + 1;
        let mut hand = Vec::new();
        if step.outside {
            hand.push(format!(
                "alembic ran part of revision `{}` outside its transaction (`autocommit_block()`); \
                 here the whole migration runs outside one (`-- schema: no-transaction`)",
                step.to
            ));
        }
        let down = match by_revision.get(step.to.as_str()) {
            Some(d) => {
                if d.outside && !step.outside {
                    hand.push(format!(
                        "alembic ran part of the downgrade of `{}` outside its transaction; here \
                         the down runs as the up does, in a transaction",
                        step.to
                    ));
                }
                Down::of(&d.rel, section(&d.sql), "its downgrade holds no statement")
            }
            None if down.is_some() => Down::Missing(format!(
                "the downgrade SQL given with `--down` has no `-- Running downgrade {} -> ...`",
                step.to
            )),
            None => Down::Missing(
                "no downgrade SQL was given (`--down` with the output of `alembic downgrade --sql <head>:base`)"
                    .into(),
            ),
        };
        migrations.push(Imported {
            version: n,
            version_text: n.to_string(),
            tool_version: step.to.clone(),
            name: step.to.clone(),
            up_path: step.rel.clone(),
            up_sql: section(&step.sql),
            down,
            no_transaction: step.outside,
            hand,
        });
    }
    let mut notes = Vec::new();
    if dropped.transaction > 0 {
        notes.push(format!(
            "{} `BEGIN;`/`COMMIT;` (alembic's transaction around its run: the migrator runs each migration in a transaction of its own)",
            dropped.transaction
        ));
    }
    if dropped.table > 0 {
        notes.push(format!(
            "{} `CREATE TABLE alembic_version` (alembic's version table: the migrator keeps its own, `_schema_migrations`)",
            dropped.table
        ));
    }
    if dropped.rows > 0 {
        notes.push(format!(
            "{} statement{} writing `alembic_version` (alembic's bookkeeping: the migrator records each version itself)",
            dropped.rows,
            if dropped.rows == 1 { "" } else { "s" }
        ));
    }
    Ok(Parsed {
        migrations,
        dropped: notes,
    })
}

/// The sections of every file of `tree`, for `which` (`upgrade` or `downgrade`).
fn steps(
    tree: &Tree,
    which: &str,
    dropped: &mut Dropped,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Step> {
    let single = tree.files.len() == 1;
    let strays: Vec<String> = tree
        .files
        .iter()
        .filter(|f| !single && !f.rel.ends_with(".sql"))
        .map(|f| f.rel.clone())
        .collect();
    if !strays.is_empty() {
        errors.push(unmatched(
            tree,
            &strays,
            "alembic",
            "`<anything>.sql`, each the output of `alembic upgrade --sql` (or, for `--down`, of `alembic downgrade --sql`)",
        ));
    }
    let mut out = Vec::new();
    for f in tree
        .files
        .iter()
        .filter(|f| single || f.rel.ends_with(".sql"))
    {
        let source = match tree.text(f) {
            Ok(s) => s,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        let before = out.len();
        split_file(&source, &f.rel, which, dropped, &mut out, errors);
        if out.len() == before {
            errors.push(
                Diagnostic::error(
                    codes::SYNTAX,
                    format!(
                        "`{}` holds no `-- Running {which} <from> -> <to>` comment",
                        source.path
                    ),
                )
                .help(format!(
                    "give the output of `alembic {which} --sql` ({}) as it was printed",
                    if which == "upgrade" {
                        "e.g. `alembic upgrade head --sql > upgrade.sql`"
                    } else {
                        "e.g. `alembic downgrade head:base --sql > downgrade.sql`"
                    }
                )),
            );
        }
    }
    out
}

/// A `-- Running <which> a -> b` comment: `(a, b)`.
fn marker<'a>(line: &'a str, which: &str) -> Option<(&'a str, &'a str)> {
    let rest = line
        .trim()
        .strip_prefix("-- Running ")?
        .strip_prefix(which)?;
    let (from, to) = rest.split_once("->")?;
    Some((from.trim(), to.trim()))
}

/// Splits one file at its markers into `out`.
fn split_file(
    source: &Arc<Source>,
    rel: &str,
    which: &str,
    dropped: &mut Dropped,
    out: &mut Vec<Step>,
    errors: &mut Vec<Diagnostic>,
) {
    // (marker line, from, to, body start line, body)
    let mut prelude = String::new();
    let mut current: Option<(usize, String, String, usize, String)> = None;
    let mut finished = Vec::new();
    for (n, line) in lines(&source.text) {
        if let Some((from, to)) = marker(bare(line), which) {
            if let Some(c) = current.take() {
                finished.push(c);
            }
            current = Some((n, from.to_string(), to.to_string(), n + 1, String::new()));
        } else if let Some(c) = current.as_mut() {
            c.4.push_str(line);
        } else {
            prelude.push_str(line);
        }
    }
    finished.extend(current);
    // The prelude holds only bookkeeping.
    let (rest, _) = strip(&prelude, dropped);
    if sql::has_statement(&rest) {
        let offset = sql::first_token(&rest, 0..rest.len()).unwrap_or(0);
        let stmt = rest[offset..].lines().next().unwrap_or("");
        let line = lines(&source.text)
            .find(|(_, l)| bare(l).trim() == stmt.trim())
            .map_or(1, |(n, _)| n);
        errors.push(at_line(
            codes::SYNTAX,
            source,
            line,
            format!(
                "`{}`: a statement before the first `-- Running {which}` comment",
                source.path
            ),
            "not alembic bookkeeping, and in no revision",
            "give the output of `alembic --sql` as printed, or move the statement into a revision",
        ));
    }
    for (line, from, to, _, body) in finished {
        if to.is_empty() && which == "upgrade" {
            errors.push(at_line(
                codes::SYNTAX,
                source,
                line,
                format!("`{}`: an upgrade to no revision", source.path),
                "no revision after `->`",
                "give the output of `alembic upgrade --sql` as printed",
            ));
            continue;
        }
        let (sql, outside) = strip(&body, dropped);
        out.push(Step {
            from,
            to,
            rel: rel.to_string(),
            source: Arc::clone(source),
            line,
            sql,
            outside,
        });
    }
}

/// What a statement is (bookkeeping or not).
fn kind(text: &str, range: std::ops::Range<usize>) -> Kind {
    let words = sql::leading_words(text, range, 3);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let is_table = |w: Option<&&str>| {
        w.is_some_and(|w| {
            let w = w.trim_matches('"').to_ascii_uppercase();
            w == "ALEMBIC_VERSION"
                || w.ends_with(".ALEMBIC_VERSION")
                || w.ends_with(".\"ALEMBIC_VERSION")
        })
    };
    match words.as_slice() {
        ["BEGIN"] | ["BEGIN", "TRANSACTION" | "WORK"] => Kind::Begin,
        ["COMMIT"] | ["COMMIT", "TRANSACTION" | "WORK"] => Kind::Commit,
        ["CREATE", "TABLE", ..] if is_table(words.get(2)) => Kind::VersionTable,
        ["INSERT", "INTO", ..] | ["DELETE", "FROM", ..] | ["DROP", "TABLE", ..]
            if is_table(words.get(2)) =>
        {
            Kind::VersionRow
        }
        ["UPDATE", ..] if is_table(words.get(1)) => Kind::VersionRow,
        _ => Kind::Own,
    }
}

/// `text` without alembic's bookkeeping statements (counted in `dropped`),
/// and whether a `COMMIT;` ... `BEGIN;` pair encloses SQL of its own.
fn strip(text: &str, dropped: &mut Dropped) -> (String, bool) {
    let mut kinds = Vec::new();
    let mut gone = Vec::new();
    for range in sql::statements(text) {
        if sql::first_token(text, range.clone()).is_none() {
            continue;
        }
        let k = kind(text, range.clone());
        kinds.push(k);
        match k {
            Kind::Own => continue,
            Kind::Begin | Kind::Commit => dropped.transaction += 1,
            Kind::VersionTable => dropped.table += 1,
            Kind::VersionRow => dropped.rows += 1,
        }
        gone.push(range);
    }
    // COMMIT, then SQL of its own, then BEGIN: alembic's autocommit block.
    let commit = kinds.iter().position(|k| *k == Kind::Commit);
    let outside = commit.is_some_and(|c| {
        kinds[c..]
            .iter()
            .position(|k| *k == Kind::Begin)
            .is_some_and(|b| kinds[c..c + b].contains(&Kind::Own))
    });
    (sql::without(text, &gone), outside)
}

/// The upgrade steps in chain order: from the one whose parent no step
/// creates, each followed by the one that revises it.
fn chain<'a>(steps: &'a [Step], errors: &mut Vec<Diagnostic>) -> Vec<&'a Step> {
    let mut by_parent: BTreeMap<&str, &Step> = BTreeMap::new();
    let mut by_revision: HashMap<&str, &Step> = HashMap::new();
    let mut ok = true;
    for s in steps {
        if s.from.contains(',') {
            errors.push(at_line(
                codes::UNSUPPORTED_FEATURE,
                &s.source,
                s.line,
                format!("`{}`: revision `{}` merges branches", s.source.path, s.to),
                "a merge",
                "a history here is one line: import the revisions before the merge in one order (`alembic upgrade --sql` of one branch, then the other), or squash the branches first",
            ));
            ok = false;
            continue;
        }
        if let Some(other) = by_parent.insert(s.from.as_str(), s) {
            errors.push(at_line(
                codes::UNSUPPORTED_FEATURE,
                &s.source,
                s.line,
                format!(
                    "`{}`: revisions `{}` and `{}` both revise `{}` (a branch)",
                    s.source.path,
                    other.to,
                    s.to,
                    if s.from.is_empty() { "<base>" } else { &s.from }
                ),
                "the second child",
                "a history here is one line: give one branch's upgrade SQL",
            ));
            ok = false;
        }
        if by_revision.insert(s.to.as_str(), s).is_some() {
            errors.push(at_line(
                codes::DUPLICATE_VERSION,
                &s.source,
                s.line,
                format!(
                    "`{}`: revision `{}` is upgraded to twice",
                    s.source.path, s.to
                ),
                "again here",
                "give each revision's upgrade once (one run of `alembic upgrade --sql`)",
            ));
            ok = false;
        }
    }
    if !ok {
        return Vec::new();
    }
    let roots: Vec<&Step> = steps
        .iter()
        .filter(|s| !by_revision.contains_key(s.from.as_str()))
        .collect();
    if roots.len() != 1 {
        let names: Vec<String> = roots.iter().map(|s| format!("`{}`", s.to)).collect();
        let mut d = Diagnostic::error(
            codes::SYNTAX,
            format!(
                "the upgrade SQL holds {} separate chain{} of revisions{}",
                roots.len(),
                if roots.len() == 1 { "" } else { "s" },
                if names.is_empty() { String::new() } else { format!(", starting at {}", names.join(", ")) }
            ),
        )
        .help("give upgrade SQL for one unbroken range of revisions, e.g. `alembic upgrade base:head --sql`");
        if let Some(s) = roots.first().copied().or(steps.first()) {
            d = d.at(&schema_core::diagnostic::Origin::new(
                &s.source,
                u32::try_from(s.line).unwrap_or(u32::MAX),
                1,
            ));
        }
        errors.push(d);
        return Vec::new();
    }
    let mut order = vec![roots[0]];
    while let Some(next) = order.last().and_then(|s| by_parent.get(s.to.as_str())) {
        if order.len() > steps.len() {
            break;
        }
        order.push(next);
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    const UPGRADE: &str = "BEGIN;\n\nCREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);\n\n\
        -- Running upgrade  -> aaa\n\nCREATE TABLE t (x int);\n\nINSERT INTO alembic_version (version_num) VALUES ('aaa') RETURNING alembic_version.version_num;\n\n\
        -- Running upgrade aaa -> bbb\n\nALTER TABLE t ADD y int;\n\nCOMMIT;\n\nCREATE INDEX CONCURRENTLY i ON t (y);\n\nBEGIN;\n\n\
        UPDATE alembic_version SET version_num='bbb' WHERE alembic_version.version_num = 'aaa';\n\nCOMMIT;\n\n";

    const DOWNGRADE: &str = "BEGIN;\n\n-- Running downgrade bbb -> aaa\n\nALTER TABLE t DROP y;\n\n\
        UPDATE alembic_version SET version_num='aaa' WHERE alembic_version.version_num = 'bbb';\n\n\
        -- Running downgrade aaa -> \n\nDROP TABLE t;\n\nDELETE FROM alembic_version WHERE alembic_version.version_num = 'aaa';\n\nDROP TABLE alembic_version;\n\nCOMMIT;\n\n";

    #[test]
    fn revisions_split_in_chain_order_without_bookkeeping() {
        // Files in the directory come in name order; the chain decides.
        let up = Tree::of(&[
            (
                "2.sql",
                &UPGRADE[UPGRADE.find("-- Running upgrade aaa").unwrap_or(0)..],
            ),
            (
                "1.sql",
                &UPGRADE[..UPGRADE.find("-- Running upgrade aaa").unwrap_or(0)],
            ),
        ]);
        let down = Tree::of(&[("down.sql", DOWNGRADE)]);
        let parsed = match read(&up, Some(&down)) {
            Ok(p) => p,
            Err(e) => panic!("{}", e.iter().map(|d| d.render(false)).collect::<String>()),
        };
        let m = &parsed.migrations;
        assert_eq!(m.len(), 2);
        assert_eq!(
            (
                m[0].version,
                m[0].tool_version.as_str(),
                m[0].up_path.as_str()
            ),
            (1, "aaa", "1.sql")
        );
        assert_eq!(m[0].up_sql, "CREATE TABLE t (x int);\n");
        assert_eq!(
            m[0].down,
            Down::Sql {
                path: "down.sql".into(),
                sql: "DROP TABLE t;\n".into()
            }
        );
        assert_eq!(
            m[1].up_sql,
            "ALTER TABLE t ADD y int;\n\nCREATE INDEX CONCURRENTLY i ON t (y);\n"
        );
        assert!(
            m[1].no_transaction,
            "COMMIT ... BEGIN is an autocommit block"
        );
        assert_eq!(
            m[1].down,
            Down::Sql {
                path: "down.sql".into(),
                sql: "ALTER TABLE t DROP y;\n".into()
            }
        );
        let dropped = parsed.dropped.join("\n");
        assert!(
            dropped.contains("1 `CREATE TABLE alembic_version`"),
            "{dropped}"
        );
        assert!(
            dropped.contains("5 statements writing `alembic_version`"),
            "{dropped}"
        );
        assert!(dropped.contains("6 `BEGIN;`/`COMMIT;`"), "{dropped}");
    }

    #[test]
    fn without_down_sql_every_down_is_missing() {
        let up = Tree::of(&[("upgrade.sql", UPGRADE)]);
        let Ok(parsed) = read(&up, None) else {
            panic!("reads")
        };
        assert!(
            parsed
                .migrations
                .iter()
                .all(|m| matches!(m.down, Down::Missing(_)))
        );
    }

    #[test]
    fn branches_merges_strays_and_empty_files_are_refused() {
        for (text, needle) in [
            (
                "-- Running upgrade  -> a\nSELECT 1;\n-- Running upgrade  -> b\nSELECT 2;\n",
                "both revise `<base>`",
            ),
            (
                "-- Running upgrade  -> a\n-- Running upgrade  -> b\n-- Running upgrade a, b -> c\n",
                "merges branches",
            ),
            (
                "CREATE TABLE t (x int);\n-- Running upgrade  -> a\n",
                "up.sql:1:1",
            ),
            ("", "holds no `-- Running upgrade"),
            (
                "-- Running upgrade  -> a\n-- Running upgrade x -> y\n",
                "2 separate chains",
            ),
        ] {
            let tree = Tree::of(&[("up.sql", text)]);
            let Err(e) = read(&tree, None) else {
                panic!("{text:?} refused")
            };
            let all: String = e.iter().map(|d| d.render(false)).collect();
            assert!(all.contains(needle), "{needle} in {all}");
        }
        let down = Tree::of(&[("d.sql", "-- Running downgrade zzz -> \nDROP TABLE t;\n")]);
        let Err(e) = read(&Tree::of(&[("u.sql", UPGRADE)]), Some(&down)) else {
            panic!("refused")
        };
        assert!(e[0].message.contains("`zzz`"), "{:?}", e[0]);
    }
}
