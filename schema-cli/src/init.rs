//! `schema init --from-database URL`: a new project written from a live
//! database (schema.sql, a baseline migration and schema.sum), then the
//! database stamped at the baseline through the checked `stamp`.
//!
//! The files are written into a staging directory first, checked there as
//! `schema check` would (a lint the live database breaks gets its
//! `-- schema: allow(...)` directive, with a comment saying why), and only
//! then moved into place; nothing is overwritten. The baseline's version is
//! always 1 (`00000000000001_baseline`), so `init` run twice on the same
//! database writes the same files byte for byte.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use schema_core::diagnostic::{Diagnostic, render_all};
use schema_core::migrations::generate::generate;
use schema_core::model::Schema;
use schema_core::render::Postgres;
use schema_core::render::declarative::schema_sql;
use schema_core::{Project, load, migrations};

use schema_runtime::Driver as _;

use crate::migrate;

/// The baseline migration's version and directory name.
const BASELINE_VERSION: u64 = 1;
const BASELINE: &str = "00000000000001_baseline";

/// Runs `schema init`.
pub(crate) fn run(url: &str, project: &Project, color: bool) -> ExitCode {
    match init(url, project, color) {
        Ok(code) => code,
        Err(message) => {
            reportln!("error: {}", message.trim_end());
            ExitCode::from(1)
        }
    }
}

fn init(url: &str, project: &Project, color: bool) -> Result<ExitCode, String> {
    let schema_path = project.schema_path();
    let migrations_path = project.migrations_path();
    let schema_display = project.display(&schema_path);
    let migrations_display = project.display(&migrations_path);
    refuse_existing(
        &schema_path,
        &schema_display,
        &migrations_path,
        &migrations_display,
    )?;

    let (live, tool_tables) = read_database(url)?;
    let mut text = schema_sql(&live).map_err(|e| {
        format!(
            "the live schema cannot be written as PostgreSQL DDL: {e}\n  = help: this is a gap \
             in `schema`; please report it with the object named above"
        )
    })?;
    if text.trim().is_empty() {
        return Err(
            "the database has nothing to adopt (no table, type, function or other \
                    object outside the system schemas)\n  = help: start the project with \
                    schema.sql and `schema new <slug>` instead"
                .to_string(),
        );
    }
    text.insert_str(
        0,
        "-- The declared schema, written by `schema init` from the live database.\n\
         -- Edit it from now on; `schema new <slug>` writes each next migration.\n\n",
    );

    let staging = Staging::new(project)?;
    let staged = staging.project();
    let mut up_allows: Vec<(String, String)> = Vec::new();
    let mut written = stage(&staging, &text, &up_allows, color)?;
    // A lint the live database breaks: allow it where it is, saying why.
    for _ in 0..2 {
        let loaded = load(&staged);
        let (schema_allows, migration_allows) = allowances(&loaded.diagnostics, &staged);
        if schema_allows.is_empty() && migration_allows.is_empty() {
            break;
        }
        text = with_directives(&text, &schema_allows);
        for a in migration_allows {
            if !up_allows.contains(&a) {
                up_allows.push(a);
            }
        }
        written = stage(&staging, &text, &up_allows, color)?;
    }
    let loaded = load(&staged);
    let errors: Vec<Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    if !errors.is_empty() {
        report!("{}", render_all(&errors, color));
        return Err(
            "the project written from the database does not check clean (above: the lines \
             quoted are those of the schema.sql `init` would have written); nothing was \
             written\n  = help: `schema diff --from <an empty file> --to <database>` prints \
             that schema.sql; the objects named above are what `schema` cannot adopt yet"
                .to_string(),
        );
    }

    // The checked stamp, on the staged files: the live schema must be the
    // baseline's before anything is written or recorded.
    let mut target = migrate::Target {
        database_url: Some(url.to_string()),
        migrations: staging.migrations(),
        schema: staging.dir.join("schema.sql"),
        lock_timeout: 300,
        connect_timeout: None,
    };
    if let Err(migrate::Incomplete::Bad(message)) = migrate::complete(&mut target) {
        return Err(message);
    }
    let code = migrate::run(
        migrate::DbCommand::Stamp {
            target,
            version: Some(BASELINE_VERSION),
            from_tool: None,
            force: false,
        },
        color,
    );
    if code != ExitCode::SUCCESS {
        reportln!(
            "error: the schema.sql `init` would write does not give the live database (the \
             differences above are what it would take to make them one): nothing was \
             written, nothing recorded\n  = help: the objects named above are what `schema` \
             cannot adopt yet; `schema diff --from <an empty file> --to <database>` prints \
             what it can"
        );
        return Ok(code);
    }

    if let Err(message) =
        staging.move_into_place(&schema_path, &migrations_path, &migrations_display)
    {
        return Err(format!(
            "{message}\n  = note: the database was stamped at version 1 already; once the \
             files can be written, run `schema init` again after `DROP TABLE \
             _schema_migrations`"
        ));
    }
    outln!(
        "wrote {schema_display} ({} table{}; {} object{} in all)",
        written.tables,
        plural(written.tables),
        written.objects,
        plural(written.objects)
    );
    outln!("wrote {migrations_display}/{BASELINE}/up.sql and down.sql");
    outln!("wrote {migrations_display}/{}", migrations::sum::SUM_FILE);
    for (table, tool) in &tool_tables {
        outln!(
            "note: `{table}` is {tool}'s version table: left out of {schema_display}, as the \
             database commands leave it out of their comparisons. To keep that tool's \
             history instead of the baseline, see `schema import --help` and `schema stamp \
             --from-tool`; once the tool is retired, drop the table"
        );
    }

    outln!(
        "next: `schema check` and `schema verify` are clean; edit {schema_display}, then `schema new <slug>`"
    );
    Ok(ExitCode::SUCCESS)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Refuses to write over a schema file or a history.
fn refuse_existing(
    schema: &Path,
    schema_display: &str,
    migrations: &Path,
    migrations_display: &str,
) -> Result<(), String> {
    if schema.exists() {
        return Err(format!(
            "`{schema_display}` exists: `schema init` writes a new project and overwrites \
             nothing\n  = help: move it away, or pass another path with `--schema-file`"
        ));
    }
    if let Ok(entries) = std::fs::read_dir(migrations) {
        let taken: Vec<String> = entries
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|name| !name.starts_with('.'))
            .collect();
        if !taken.is_empty() {
            return Err(format!(
                "`{migrations_display}` is not empty ({}): `schema init` starts a new \
                 history\n  = help: move it away, or pass another directory with \
                 `--migrations`; to adopt another tool's migrations, see `schema import --help`",
                taken.join(", ")
            ));
        }
    } else if migrations.exists() {
        return Err(format!(
            "`{migrations_display}` is not a directory\n  = help: pass the directory to write \
             the migrations into with `--migrations`"
        ));
    }
    Ok(())
}

/// The live schema of every non-system schema of the database at `url`,
/// refused when the database already has this tool's version table. Also
/// gives the other tools' version tables it left out, each with the
/// tools that keep such a table.
fn read_database(url: &str) -> Result<(Schema, Vec<(String, String)>), String> {
    // Other tools' version tables stay out, as every database command
    // leaves them out of its comparisons (see `takeover`).
    let mut db = crate::takeover::HideToolTables::new(migrate::connect_to_read(url)?);
    let recorded = db.read_versions().map_err(|e| e.to_string())?;
    if !recorded.is_empty() {
        return Err(format!(
            "the database already records {} migration{} of this tool\n  = help: it is \
             adopted already: check out its project and run `schema status` and `schema \
             verify`",
            recorded.len(),
            plural(recorded.len())
        ));
    }
    let found = unadoptable(&mut db)?;
    if !found.is_empty() {
        return Err(format!(
            "the database holds what `schema` cannot adopt yet (it would be left out of \
             schema.sql or changed):\n{}\n  = help: nothing was written; change or drop these \
             in the database (or adopt it by hand, see docs/adopt-a-database.md), then run \
             `schema init` again",
            found
                .iter()
                .map(|f| format!("  - {f}"))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    let schemas = db.namespaces().map_err(|e| e.to_string())?;
    let live = db.introspect(&schemas).map_err(|e| e.to_string())?;
    Ok((live, db.hidden()))
}

/// What was written, for the summary.
struct Written {
    tables: usize,
    /// Objects created in all (tables, indexes, constraints, types, ...).
    objects: usize,
}

/// Writes schema.sql (`text`), the baseline migration (with `up_allows`,
/// `(lint, why)`, at the top of its up.sql) and schema.sum into the staging
/// directory.
fn stage(
    staging: &Staging,
    text: &str,
    up_allows: &[(String, String)],
    color: bool,
) -> Result<Written, String> {
    let schema_path = staging.dir.join("schema.sql");
    std::fs::write(&schema_path, text)
        .map_err(|e| format!("cannot write `{}`: {e}", schema_path.display()))?;
    let declared = schema_core::parse::parse_schema(&schema_core::diagnostic::Source::new(
        "schema.sql",
        text,
    ))
    .map_err(|d| {
        report!("{}", render_all(&d, color));
        "the schema written from the database does not read back (above)\n  = help: this is a \
         gap in `schema`: please report it with the diagnostics above"
            .to_string()
    })?;
    let migration = generate(
        &Schema::default(),
        &declared,
        &Default::default(),
        &Postgres,
    )
    .map_err(|e| format!("the baseline migration cannot be written: {e}"))?;
    let mut up = format!("-- {BASELINE} up: generated by `schema init` from the live database\n");
    for (lint, why) in up_allows {
        up.push_str(&format!(
            "-- schema init: {why}\n-- schema: allow({lint})\n"
        ));
    }
    up.push_str(&migration.up_sql());
    let down = format!(
        "-- {BASELINE} down: generated by `schema init`; it drops everything the baseline \
         creates\n{}",
        migration.down_sql()
    );
    let dir = staging.migrations().join(BASELINE);
    let _ = std::fs::remove_dir_all(&dir);
    schema_core::atomic::create_dir_with(&dir, &[("up.sql", &up), ("down.sql", &down)])
        .map_err(|e| format!("cannot write `{}`: {e}", dir.display()))?;
    let (found, diagnostics) = migrations::discover(&staging.migrations(), "migrations");
    if !diagnostics.is_empty() {
        report!("{}", render_all(&diagnostics, color));
        return Err("the staged baseline migration does not read back (above)".to_string());
    }
    migrations::sum::write(&staging.migrations(), &found)
        .map_err(|e| format!("cannot write the staged schema.sum: {e}"))?;
    Ok(Written {
        tables: declared.tables.len(),
        objects: migration.changes.len(),
    })
}

/// The allowable lints `diagnostics` report: in schema.sql, `(line, lint,
/// why)`; in a migration, `(lint, why)`.
#[allow(clippy::type_complexity)]
fn allowances(
    diagnostics: &[Diagnostic],
    staged: &Project,
) -> (Vec<(u32, String, String)>, Vec<(String, String)>) {
    let schema_display = staged.display(&staged.schema_path());
    let mut in_schema = Vec::new();
    let mut in_migrations = Vec::new();
    for d in diagnostics.iter().filter(|d| d.code.allowable) {
        let why = match d.code.name {
            "missing_primary_key" => {
                "the live table has no primary key; add one (then `schema new`), or keep \
                 the next line to accept it"
                    .to_string()
            }
            "security_definer_search_path" => {
                "the live function is SECURITY DEFINER without `SET search_path`; set one \
                 (then `schema new`), or keep the next line to accept it"
                    .to_string()
            }
            _ => format!(
                "the live database breaks lint `{}` here: {}",
                d.code.name, d.message
            ),
        };
        match &d.origin {
            Some(o) if o.source.path == schema_display => {
                let entry = (o.line, d.code.name.to_string(), why);
                if !in_schema.contains(&entry) {
                    in_schema.push(entry);
                }
            }
            _ => {
                let entry = (d.code.name.to_string(), why);
                if !in_migrations.contains(&entry) {
                    in_migrations.push(entry);
                }
            }
        }
    }
    (in_schema, in_migrations)
}

/// `text` with each `(line, lint, why)` allowed on the lines above `line`.
fn with_directives(text: &str, allows: &[(u32, String, String)]) -> String {
    let mut out = String::with_capacity(text.len() + allows.len() * 120);
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        for (_, lint, why) in allows.iter().filter(|(l, _, _)| *l == number) {
            out.push_str(&format!(
                "-- schema init: {why}\n-- schema: allow({lint})\n"
            ));
        }
        out.push_str(line);
    }
    out
}

/// A directory beside the project's files where the new ones are written
/// and checked first; removed when dropped.
struct Staging {
    dir: PathBuf,
}

impl Staging {
    fn new(project: &Project) -> Result<Self, String> {
        let parent = project
            .schema_path()
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let dir = parent.join(format!(".schema-init-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("migrations")).map_err(|e| {
            format!(
                "cannot create the staging directory `{}`: {e}",
                dir.display()
            )
        })?;
        Ok(Staging { dir })
    }

    fn migrations(&self) -> PathBuf {
        self.dir.join("migrations")
    }

    /// The staged project, with the files named as the real ones are.
    fn project(&self) -> Project {
        Project::new(self.dir.clone())
            .with_schema("schema.sql")
            .with_migrations("migrations")
    }

    /// Moves the staged files to `schema` and `migrations`: the migration
    /// directory and schema.sum first, schema.sql last, each whole.
    fn move_into_place(
        &self,
        schema: &Path,
        migrations: &Path,
        migrations_display: &str,
    ) -> Result<(), String> {
        let created = !migrations.exists();
        std::fs::create_dir_all(migrations)
            .map_err(|e| format!("cannot create `{migrations_display}`: {e}"))?;
        let undo = || {
            let _ = std::fs::remove_dir_all(migrations.join(BASELINE));
            let _ = std::fs::remove_file(migrations.join(migrations::sum::SUM_FILE));
            if created {
                let _ = std::fs::remove_dir(migrations);
            }
        };
        let staged = self.migrations().join(BASELINE);
        let moved = std::fs::read_to_string(staged.join("up.sql"))
            .and_then(|up| Ok((up, std::fs::read_to_string(staged.join("down.sql"))?)))
            .and_then(|(up, down)| {
                schema_core::atomic::create_dir_with(
                    &migrations.join(BASELINE),
                    &[("up.sql", &up), ("down.sql", &down)],
                )
            })
            .and_then(|()| {
                let sum = std::fs::read(self.migrations().join(migrations::sum::SUM_FILE))?;
                schema_core::atomic::write(&migrations.join(migrations::sum::SUM_FILE), &sum)
            })
            .and_then(|()| {
                let text = std::fs::read(self.dir.join("schema.sql"))?;
                schema_core::atomic::write(schema, &text)
            });
        moved.map_err(|e| {
            undo();
            format!("cannot write the project's files: {e}; nothing was written")
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// What the live schema's model does not hold yet, one line each, so that
/// `init` refuses rather than leave it out or change it in silence.
const POSTGRES_UNADOPTABLE: &str = "
WITH user_rel AS (
    SELECT c.oid, c.relkind, c.relreplident FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                      WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
                        AND d.deptype = 'e')
)
SELECT 'table inheritance: `' || i.inhrelid::regclass || '` INHERITS `' || i.inhparent::regclass || '`'
  FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
  JOIN user_rel u ON u.oid = c.oid WHERE NOT c.relispartition
UNION ALL
SELECT 'CHECK ... NO INHERIT: constraint `' || k.conname || '` on `' || k.conrelid::regclass || '`'
  FROM pg_catalog.pg_constraint k JOIN user_rel u ON u.oid = k.conrelid
  WHERE k.contype = 'c' AND k.connoinherit
UNION ALL
SELECT 'ON DELETE SET NULL/SET DEFAULT with a column list: foreign key `' || k.conname || '` on `' || k.conrelid::regclass || '`'
  FROM pg_catalog.pg_constraint k JOIN user_rel u ON u.oid = k.conrelid
  WHERE k.contype = 'f' AND (to_jsonb(k) ->> 'confdelsetcols') IS NOT NULL
UNION ALL
SELECT 'foreign table `' || u.oid::regclass || '`' FROM user_rel u WHERE u.relkind = 'f'
UNION ALL
SELECT 'foreign server `' || s.srvname || '`' FROM pg_catalog.pg_foreign_server s
UNION ALL
SELECT 'extended statistics `' || x.stxnamespace::regnamespace || '.' || x.stxname || '`'
  FROM pg_catalog.pg_statistic_ext x JOIN pg_catalog.pg_namespace n ON n.oid = x.stxnamespace
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
UNION ALL
SELECT 'SET STATISTICS on column `' || a.attrelid::regclass || '.' || a.attname || '`'
  FROM pg_catalog.pg_attribute a JOIN user_rel u ON u.oid = a.attrelid
  WHERE a.attnum > 0 AND NOT a.attisdropped AND COALESCE(a.attstattarget, -1) >= 0
    AND u.relkind IN ('r', 'p', 'm')
UNION ALL
SELECT 'column option ' || o || ' on `' || a.attrelid::regclass || '.' || a.attname || '`'
  FROM pg_catalog.pg_attribute a JOIN user_rel u ON u.oid = a.attrelid,
       unnest(a.attoptions) o
  WHERE a.attnum > 0 AND NOT a.attisdropped AND o LIKE 'n\\_distinct%'
UNION ALL
SELECT 'REPLICA IDENTITY ' || CASE u.relreplident WHEN 'f' THEN 'FULL' WHEN 'n' THEN 'NOTHING' ELSE 'USING INDEX' END
       || ' on `' || u.oid::regclass || '`'
  FROM user_rel u WHERE u.relkind IN ('r', 'p') AND u.relreplident <> 'd'
UNION ALL
SELECT 'identity sequence `' || s.relname || '` of `' || c.oid::regclass || '.' || a.attname
       || '` (not the default `' || c.relname || '_' || a.attname || '_seq`)'
  FROM pg_catalog.pg_attribute a JOIN user_rel u ON u.oid = a.attrelid
  JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
  JOIN pg_catalog.pg_depend d ON d.refclassid = 'pg_catalog.pg_class'::regclass
       AND d.refobjid = a.attrelid AND d.refobjsubid = a.attnum
       AND d.classid = 'pg_catalog.pg_class'::regclass AND d.deptype = 'i'
  JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'
  WHERE a.attidentity <> '' AND octet_length(c.relname || '_' || a.attname || '_seq') <= 63
    AND s.relname <> c.relname || '_' || a.attname || '_seq'
UNION ALL
SELECT 'CLUSTER ON index `' || x.indexrelid::regclass || '`'
  FROM pg_catalog.pg_index x JOIN user_rel u ON u.oid = x.indrelid WHERE x.indisclustered
ORDER BY 1";

/// [`POSTGRES_UNADOPTABLE`] for SQLite.
const SQLITE_UNADOPTABLE: &str = "
SELECT 'trigger `' || name || '` on `' || tbl_name || '`' FROM sqlite_master WHERE type = 'trigger'
UNION ALL
SELECT 'AUTOINCREMENT on `' || name || '`' FROM sqlite_master
  WHERE type = 'table' AND upper(sql) LIKE '%AUTOINCREMENT%'
UNION ALL
SELECT 'an ON CONFLICT clause in `' || name || '`' FROM sqlite_master
  WHERE type = 'table' AND upper(sql) LIKE '%ON CONFLICT%'
UNION ALL
SELECT CASE WHEN t.strict THEN 'STRICT' ELSE 'WITHOUT ROWID' END || ' table `' || t.name || '`'
  FROM pragma_table_list t
  WHERE t.schema = 'main' AND t.type = 'table' AND (t.strict OR t.wr)
    AND t.name NOT LIKE 'sqlite_%'
UNION ALL
SELECT 'VIRTUAL generated column `' || m.name || '.' || x.name || '`'
  FROM sqlite_master m, pragma_table_xinfo(m.name) x
  WHERE m.type = 'table' AND x.hidden = 2
ORDER BY 1";

/// The constructs of the live database that `init` cannot adopt yet.
fn unadoptable(db: &mut (impl schema_runtime::Driver + ?Sized)) -> Result<Vec<String>, String> {
    let sql = match db.dialect() {
        schema_runtime::Dialect::Sqlite => SQLITE_UNADOPTABLE,
        _ => POSTGRES_UNADOPTABLE,
    };
    let rows = schema_runtime::Executor::query(&mut *db, sql, &[])
        .map_err(|e| format!("while looking for what cannot be adopted: {e}"))?;
    Ok(rows
        .into_iter()
        .filter_map(|row| match row.into_iter().next() {
            Some(schema_runtime::Value::Text(line)) => Some(line),
            _ => None,
        })
        .collect())
}
