//! Taking a database over from another migration tool: `schema stamp
//! --from-tool TOOL` reads that tool's version table, matches each applied
//! version with the imported migration whose up.sql header carries it, and
//! stamps at the highest one (the live schema checked first, as `stamp`
//! does); `schema up` refuses a database that another tool still keeps; and
//! every database command reads the live schema without the tools' version
//! tables ([`HideToolTables`]).
//!
//! The header contract, shared with `schema import`: the first line of an
//! imported migration's up.sql is exactly
//! `-- imported from <format> <tool-version> (<original file path>)`, where
//! `<format>` is a tool's name (`rails` histories may say `dbmate` or
//! `rails`: both tools keep the same `schema_migrations` table) and
//! `<tool-version>` is the version as that tool's table stores it.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use clap::ValueEnum;
use schema_core::Schema;
use schema_core::model::QualifiedName;
use schema_runtime::connect::{ConnectOptions, PostgresDriverKind, connect_with, redact};
use schema_runtime::driver::{Driver, DriverError, RowState, ScriptError, VersionRow};
use schema_runtime::introspect::IntrospectError;
use schema_runtime::migrator::StampReport;
use schema_runtime::{Dialect, Executor, Migration, Migrator, Value};

/// A migration tool whose database `schema` can take over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Tool {
    /// sqlx (`sqlx migrate run`): `_sqlx_migrations`.
    Sqlx,
    /// Diesel (`diesel migration run`): `__diesel_schema_migrations`.
    Diesel,
    /// refinery: `refinery_schema_history`.
    Refinery,
    /// golang-migrate (`migrate up`): `schema_migrations` (version, dirty).
    GolangMigrate,
    /// dbmate: `schema_migrations` (version).
    Dbmate,
    /// Rails (Active Record): `schema_migrations` (version), as dbmate's.
    Rails,
    /// goose: `goose_db_version`.
    Goose,
    /// Flyway: `flyway_schema_history`.
    Flyway,
    /// Alembic: `alembic_version`.
    Alembic,
}

impl Tool {
    /// Every tool, in the order `up` looks for their tables.
    const ALL: [Tool; 9] = [
        Tool::Sqlx,
        Tool::Diesel,
        Tool::Refinery,
        Tool::GolangMigrate,
        Tool::Dbmate,
        Tool::Rails,
        Tool::Goose,
        Tool::Flyway,
        Tool::Alembic,
    ];

    /// The name `--from-tool` takes and import headers carry.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Tool::Sqlx => "sqlx",
            Tool::Diesel => "diesel",
            Tool::Refinery => "refinery",
            Tool::GolangMigrate => "golang-migrate",
            Tool::Dbmate => "dbmate",
            Tool::Rails => "rails",
            Tool::Goose => "goose",
            Tool::Flyway => "flyway",
            Tool::Alembic => "alembic",
        }
    }

    /// The tool's version table (its default name).
    pub(crate) fn table(self) -> &'static str {
        match self {
            Tool::Sqlx => "_sqlx_migrations",
            Tool::Diesel => "__diesel_schema_migrations",
            Tool::Refinery => "refinery_schema_history",
            Tool::GolangMigrate | Tool::Dbmate | Tool::Rails => "schema_migrations",
            Tool::Goose => "goose_db_version",
            Tool::Flyway => "flyway_schema_history",
            Tool::Alembic => "alembic_version",
        }
    }

    /// The header formats whose migrations stand for this tool's versions:
    /// dbmate and Rails keep the same table, so each takes either.
    fn formats(self) -> &'static [&'static str] {
        match self {
            Tool::Dbmate | Tool::Rails => &["dbmate", "rails"],
            other => match other {
                Tool::Sqlx => &["sqlx"],
                Tool::Diesel => &["diesel"],
                Tool::Refinery => &["refinery"],
                Tool::GolangMigrate => &["golang-migrate"],
                Tool::Goose => &["goose"],
                Tool::Flyway => &["flyway"],
                _ => &["alembic"],
            },
        }
    }

    /// The statements that drop what the tool keeps, once it is no longer needed.
    fn drop_sql(self) -> String {
        match self {
            Tool::Rails => "DROP TABLE schema_migrations; DROP TABLE ar_internal_metadata;".into(),
            other => format!("DROP TABLE {};", other.table()),
        }
    }

    /// `text` (a version as the tool's table or a header writes it) in the
    /// form two equal versions share, or `None` when it cannot be one of
    /// this tool's versions.
    fn key(self, text: &str) -> Option<String> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        match self {
            Tool::Sqlx | Tool::Refinery | Tool::GolangMigrate | Tool::Goose => {
                text.parse::<i128>().ok().map(|n| n.to_string())
            }
            Tool::Flyway => flyway_parts(text).map(|parts| parts.join(".")),
            Tool::Diesel | Tool::Dbmate | Tool::Rails | Tool::Alembic => Some(text.to_string()),
        }
    }
}

/// A Flyway version's parts (`1.1`, `1_1`, `001.10`), each without leading
/// zeros, trailing zero parts left out (Flyway takes `1.0` for `1`); `None`
/// when a part is not digits.
fn flyway_parts(text: &str) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    for part in text.split(['.', '_']) {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let digits = part.trim_start_matches('0');
        parts.push(if digits.is_empty() { "0" } else { digits }.to_string());
    }
    while parts.len() > 1 && parts.last().is_some_and(|p| p == "0") {
        parts.pop();
    }
    Some(parts)
}

/// Flyway's order of two versions' [`flyway_parts`].
fn flyway_cmp(a: &[String], b: &[String]) -> Ordering {
    for i in 0..a.len().max(b.len()) {
        let zero = String::from("0");
        let (x, y) = (a.get(i).unwrap_or(&zero), b.get(i).unwrap_or(&zero));
        let order = x.len().cmp(&y.len()).then_with(|| x.cmp(y));
        if order != Ordering::Equal {
            return order;
        }
    }
    Ordering::Equal
}

/// The parsed first line of an imported up.sql.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    /// The tool the migration came from (`sqlx`, `dbmate`, ...).
    pub(crate) format: String,
    /// Its version as that tool's table stores it.
    pub(crate) tool_version: String,
    /// The original file's path.
    pub(crate) original: String,
}

/// What every imported up.sql starts with.
const HEADER_PREFIX: &str = "-- imported from ";

/// Reads the import header of `up_sql` (a leading BOM and CRLF allowed):
/// `None` when the first line is not one, an error when it starts like one
/// and does not read.
pub(crate) fn parse_header(up_sql: &str) -> Option<Result<Header, String>> {
    let text = up_sql.strip_prefix('\u{feff}').unwrap_or(up_sql);
    let line = text
        .lines()
        .next()
        .unwrap_or_default()
        .trim_end_matches('\r');
    let rest = line.strip_prefix(HEADER_PREFIX)?;
    let expected = "`-- imported from <format> <tool-version> (<original file path>)`";
    let Some((format, rest)) = rest.split_once(' ') else {
        return Some(Err(format!(
            "the header says no version: expected {expected}"
        )));
    };
    let Some((version, rest)) = rest.split_once(' ') else {
        return Some(Err(format!(
            "the header names no original file: expected {expected}"
        )));
    };
    let Some(original) = rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')) else {
        return Some(Err(format!(
            "the header's original file path is not in parentheses: expected {expected}"
        )));
    };
    if format.is_empty() || version.is_empty() || original.is_empty() {
        return Some(Err(format!(
            "the header has an empty part: expected {expected}"
        )));
    }
    Some(Ok(Header {
        format: format.to_string(),
        tool_version: version.to_string(),
        original: original.to_string(),
    }))
}

/// One of our migrations with the header of one of the tool's.
#[derive(Debug, Clone)]
struct Imported {
    /// Our version.
    version: u64,
    /// Our slug.
    name: &'static str,
    /// The header.
    header: Header,
    /// The tool's version in [`Tool::key`] form.
    key: String,
}

impl Imported {
    fn describe(&self) -> String {
        format!(
            "{}_{} (from {} {}, {})",
            self.version,
            self.name,
            self.header.format,
            self.header.tool_version,
            self.header.original
        )
    }
}

/// Our migrations imported from `tool`, in our order.
fn imported(tool: Tool, migrations: &[Migration], dir: &Path) -> Result<Vec<Imported>, String> {
    let mut out: Vec<Imported> = Vec::new();
    for m in migrations {
        let file = dir.join(format!("{}_{}", m.version, m.name)).join("up.sql");
        let Some(header) = parse_header(m.postgres.up) else {
            continue;
        };
        let header = header.map_err(|e| {
            format!(
                "{}:1: {e}; fix the first line (`schema import` writes it)",
                file.display()
            )
        })?;
        if !tool.formats().contains(&header.format.as_str()) {
            continue;
        }
        let key = tool.key(&header.tool_version).ok_or_else(|| {
            format!(
                "{}:1: `{}` is not a {} version; the header must carry the version as {}'s \
                 table `{}` stores it",
                file.display(),
                header.tool_version,
                tool.name(),
                tool.name(),
                tool.table()
            )
        })?;
        if let Some(other) = out.iter().find(|i| i.key == key) {
            return Err(format!(
                "{}:1: {} version {} is imported twice: in {}_{} and in {}_{}; keep one",
                file.display(),
                tool.name(),
                header.tool_version,
                other.version,
                other.name,
                m.version,
                m.name
            ));
        }
        out.push(Imported {
            version: m.version,
            name: m.name,
            header,
            key,
        });
    }
    out.sort_by_key(|i| i.version);
    Ok(out)
}

/// A value read as text (booleans as `true`/`false`), `None` for NULL.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Bool(b) => Some(b.to_string()),
        Value::Int(n) => Some(n.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Text(t) => Some(t.clone()),
        Value::Bytes(b) => Some(String::from_utf8_lossy(b).into_owned()),
    }
}

/// Reads a boolean as PostgreSQL (`true`, `t`) or SQLite (`1`) stores it.
fn boolean(value: Option<&str>) -> Option<bool> {
    match value?.trim().to_ascii_lowercase().as_str() {
        "true" | "t" | "1" | "yes" | "on" => Some(true),
        "false" | "f" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// The database, read through a driver's lent connection or, for a driver
/// that lends none (the async PostgreSQL drivers), a blocking connection of
/// its own.
struct Reader<'a> {
    /// The command's driver.
    driver: &'a mut dyn Driver,
    /// A blocking connection, when the driver lends none.
    own: Option<Box<dyn Driver>>,
    /// The URL, redacted, for messages.
    url: String,
}

impl<'a> Reader<'a> {
    fn new(driver: &'a mut dyn Driver, url: &str, timeout: Duration) -> Result<Self, String> {
        let own = if driver.lend_connection().is_none() {
            let options = ConnectOptions {
                connect_timeout: timeout,
                postgres_driver: PostgresDriverKind::Blocking,
                ..ConnectOptions::read_only()
            };
            Some(connect_with(url, &options).map_err(|e| e.to_string())?)
        } else {
            None
        };
        Ok(Reader {
            driver,
            own,
            url: redact(url),
        })
    }

    fn dialect(&self) -> Dialect {
        self.driver.dialect()
    }

    /// Every row of `sql`, each value as text.
    fn rows(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>, String> {
        let result = match self.own.as_mut() {
            Some(own) => Executor::query(&mut **own, sql, &[]),
            None => Executor::query(&mut *self.driver, sql, &[]),
        };
        let rows =
            result.map_err(|e| format!("reading {} failed: {e}\n  query: {sql}", self.url))?;
        Ok(rows
            .iter()
            .map(|row| row.iter().map(text).collect())
            .collect())
    }

    /// The columns of `table` (lower-cased), or `None` when there is no such table.
    fn columns(&mut self, table: &str) -> Result<Option<Vec<String>>, String> {
        let sql = match self.dialect() {
            Dialect::Sqlite => {
                format!("SELECT CAST(name AS TEXT) FROM pragma_table_info('{table}') ORDER BY cid")
            }
            _ => format!(
                "SELECT CAST(attname AS TEXT) FROM pg_catalog.pg_attribute \
                 WHERE attrelid = to_regclass('{table}') AND attnum > 0 AND NOT attisdropped \
                 ORDER BY attnum"
            ),
        };
        let names: Vec<String> = self
            .rows(&sql)?
            .into_iter()
            .filter_map(|row| row.into_iter().next().flatten())
            .map(|n| n.to_ascii_lowercase())
            .collect();
        Ok(if names.is_empty() { None } else { Some(names) })
    }

    /// How many rows `table` has.
    fn count(&mut self, table: &str) -> Result<u64, String> {
        let rows = self.rows(&format!("SELECT CAST(count(*) AS TEXT) FROM {table}"))?;
        Ok(rows
            .first()
            .and_then(|r| r.first().cloned().flatten())
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0))
    }

    /// The database's name, for messages: PostgreSQL's, or the SQLite URL.
    fn database(&mut self) -> String {
        if self.dialect() == Dialect::Sqlite {
            return self.url.clone();
        }
        match self.rows("SELECT CAST(current_database() AS TEXT)") {
            Ok(rows) => match rows.first().and_then(|r| r.first().cloned().flatten()) {
                Some(name) => format!("database `{name}` ({})", self.url),
                None => self.url.clone(),
            },
            Err(_) => self.url.clone(),
        }
    }
}

/// The version table's columns as golang-migrate writes them.
fn is_golang_migrate(columns: &[String]) -> bool {
    columns.iter().any(|c| c == "dirty")
}

/// What a tool's table says is applied.
#[derive(Debug, Default)]
struct ToolState {
    /// Versions recorded as applied, one row each, as stored.
    each: Vec<String>,
    /// golang-migrate, alembic: the one current version; every imported
    /// migration up to it (in the imported order) is applied.
    current: Option<String>,
    /// Flyway: a baseline; every imported migration at or below it is
    /// applied, and the baseline itself needs no migration of its own.
    baseline: Option<String>,
    /// Rows the table holds.
    rows: usize,
}

/// Reads what `tool`'s table says (refusing failed or dirty rows).
fn read_tool(tool: Tool, reader: &mut Reader<'_>) -> Result<ToolState, String> {
    let table = tool.table();
    let Some(columns) = reader.columns(table)? else {
        let database = reader.database();
        return Err(format!(
            "{} keeps its versions in `{table}`, and {database} has no such table: is this \
             the database {} migrated (check the URL), and did it keep its table under \
             another name or schema? (rename it back, or put its schema on the search_path)",
            tool.name(),
            tool.name()
        ));
    };
    let has = |c: &str| columns.iter().any(|x| x == c);
    let missing: Vec<&str> = required_columns(tool)
        .iter()
        .copied()
        .filter(|c| !has(c))
        .collect();
    if !missing.is_empty() {
        let hint = match tool {
            Tool::Dbmate | Tool::Rails if is_golang_migrate(&columns) => {
                " (it has a `dirty` column: it is golang-migrate's, use `--from-tool golang-migrate`)"
            }
            _ => "",
        };
        return Err(format!(
            "`{table}` is not {}'s version table: it has no column {} (it has {}){hint}",
            tool.name(),
            missing.join(", "),
            columns.join(", ")
        ));
    }
    if matches!(tool, Tool::Dbmate | Tool::Rails) && is_golang_migrate(&columns) {
        return Err(format!(
            "`{table}` has a `dirty` column: it is golang-migrate's, not {}'s; use \
             `--from-tool golang-migrate`",
            tool.name()
        ));
    }
    let mut state = ToolState::default();
    let null = |what: &str| {
        format!(
            "`{table}` has a row whose {what} is NULL, which {} never writes: fix or delete \
             that row by hand first",
            tool.name()
        )
    };
    match tool {
        Tool::Sqlx => {
            let rows = reader.rows(
                "SELECT CAST(version AS TEXT), CAST(success AS TEXT), CAST(description AS TEXT) \
                 FROM _sqlx_migrations ORDER BY version",
            )?;
            state.rows = rows.len();
            let mut failed = Vec::new();
            for row in rows {
                let version = row
                    .first()
                    .cloned()
                    .flatten()
                    .ok_or_else(|| null("version"))?;
                let description = row.get(2).cloned().flatten().unwrap_or_default();
                match boolean(row.get(1).and_then(|v| v.as_deref())) {
                    Some(true) => state.each.push(version),
                    _ => failed.push(format!("{version} ({description})")),
                }
            }
            if !failed.is_empty() {
                return Err(format!(
                    "sqlx recorded migration(s) {} as failed (`success` = false in \
                     `_sqlx_migrations`): a failed migration may have left part of its changes. \
                     Settle it with sqlx first (fix the database by hand and delete the row, \
                     or run it again with `sqlx migrate run`), then take over",
                    failed.join(", ")
                ));
            }
        }
        Tool::Diesel | Tool::Refinery | Tool::Dbmate | Tool::Rails => {
            let rows = reader.rows(&format!(
                "SELECT CAST(version AS TEXT) FROM {table} ORDER BY version"
            ))?;
            state.rows = rows.len();
            for row in rows {
                state.each.push(
                    row.into_iter()
                        .next()
                        .flatten()
                        .ok_or_else(|| null("version"))?,
                );
            }
        }
        Tool::GolangMigrate => {
            let rows = reader
                .rows("SELECT CAST(version AS TEXT), CAST(dirty AS TEXT) FROM schema_migrations")?;
            state.rows = rows.len();
            if rows.len() > 1 {
                return Err(format!(
                    "`schema_migrations` holds {} rows; golang-migrate keeps exactly one (the \
                     current version): check the table by hand and leave the current version only",
                    rows.len()
                ));
            }
            if let Some(row) = rows.into_iter().next() {
                let version = row
                    .first()
                    .cloned()
                    .flatten()
                    .ok_or_else(|| null("version"))?;
                if boolean(row.get(1).and_then(|v| v.as_deref())) != Some(false) {
                    return Err(format!(
                        "golang-migrate's `schema_migrations` is dirty at version {version}: its \
                         migration failed part-way. Fix the database by hand, then `migrate \
                         force {version}` (or the version before it), then take over"
                    ));
                }
                // golang-migrate writes -1 (its "no version") after reverting everything.
                if version.trim() != "-1" {
                    state.current = Some(version);
                }
            }
        }
        Tool::Goose => {
            let rows = reader.rows(
                "SELECT CAST(version_id AS TEXT), CAST(is_applied AS TEXT) \
                 FROM goose_db_version ORDER BY id",
            )?;
            state.rows = rows.len();
            // The latest row of each version decides (goose reads them newest first).
            let mut latest: Vec<(String, bool)> = Vec::new();
            for row in rows {
                let version = row
                    .first()
                    .cloned()
                    .flatten()
                    .ok_or_else(|| null("version_id"))?;
                let applied = boolean(row.get(1).and_then(|v| v.as_deref()))
                    .ok_or_else(|| null("is_applied"))?;
                let key = tool.key(&version).unwrap_or_else(|| version.clone());
                latest.retain(|(v, _)| tool.key(v).unwrap_or_else(|| v.clone()) != key);
                latest.push((version, applied));
            }
            state.each = latest
                .into_iter()
                // Version 0 is the row goose writes when it creates its table.
                .filter(|(v, applied)| *applied && v.trim() != "0")
                .map(|(v, _)| v)
                .collect();
        }
        Tool::Flyway => {
            let rows = reader.rows(
                "SELECT CAST(version AS TEXT), CAST(type AS TEXT), CAST(success AS TEXT), \
                 CAST(description AS TEXT) FROM flyway_schema_history ORDER BY installed_rank",
            )?;
            state.rows = rows.len();
            let mut failed = Vec::new();
            for row in rows {
                let version = row.first().cloned().flatten();
                let kind = row.get(1).cloned().flatten().unwrap_or_default();
                let description = row.get(3).cloned().flatten().unwrap_or_default();
                let success = boolean(row.get(2).and_then(|v| v.as_deref()));
                let kind = kind.trim().to_ascii_uppercase();
                // The row flyway writes for the schemas it created.
                if kind == "SCHEMA" {
                    continue;
                }
                if success != Some(true) {
                    failed.push(format!(
                        "{} ({description})",
                        version.as_deref().unwrap_or("repeatable")
                    ));
                    continue;
                }
                // A repeatable migration has no version: it is not one of the
                // versioned migrations that are imported.
                let Some(version) = version else { continue };
                match kind.as_str() {
                    "BASELINE" => state.baseline = Some(version),
                    // `flyway repair` marks a version deleted; an undo reverts one.
                    "DELETE" | "UNDO_SQL" | "UNDO_JDBC" | "UNDO_SCRIPT" => {
                        let key = tool.key(&version);
                        state.each.retain(|v| tool.key(v) != key);
                    }
                    _ => state.each.push(version),
                }
            }
            if !failed.is_empty() {
                return Err(format!(
                    "flyway recorded migration(s) {} as failed (`success` = false in \
                     `flyway_schema_history`): fix the database by hand and run `flyway repair` \
                     (or migrate again), then take over",
                    failed.join(", ")
                ));
            }
        }
        Tool::Alembic => {
            let rows = reader.rows("SELECT CAST(version_num AS TEXT) FROM alembic_version")?;
            state.rows = rows.len();
            let heads: Vec<String> = rows
                .into_iter()
                .map(|r| {
                    r.into_iter()
                        .next()
                        .flatten()
                        .ok_or_else(|| null("version_num"))
                })
                .collect::<Result<_, _>>()?;
            if heads.len() > 1 {
                return Err(format!(
                    "`alembic_version` holds {} heads ({}): the history is branched; merge the \
                     branches with alembic (`alembic merge heads`, then `alembic upgrade head`) \
                     and import again",
                    heads.len(),
                    heads.join(", ")
                ));
            }
            state.current = heads.into_iter().next();
        }
    }
    Ok(state)
}

/// The columns a tool's table must have to be read.
fn required_columns(tool: Tool) -> &'static [&'static str] {
    match tool {
        Tool::Sqlx => &["version", "description", "success", "checksum"],
        Tool::Diesel => &["version", "run_on"],
        Tool::Refinery => &["version", "name", "applied_on", "checksum"],
        Tool::GolangMigrate => &["version", "dirty"],
        Tool::Dbmate | Tool::Rails => &["version"],
        Tool::Goose => &["id", "version_id", "is_applied"],
        Tool::Flyway => &["installed_rank", "version", "type", "script", "success"],
        Tool::Alembic => &["version_num"],
    }
}

/// Our versions the tool's state makes applied, checked against the
/// imported history and the whole of ours; the highest is where to stamp.
fn applied_versions(
    tool: Tool,
    state: &ToolState,
    imported: &[Imported],
    migrations: &[Migration],
) -> Result<Vec<u64>, String> {
    let import = format!(
        "run `schema import --from {}` first (it writes each migration with the header \
         `-- imported from {} <version> (<file>)`)",
        tool.name(),
        tool.formats()[0]
    );
    let find = |raw: &str| {
        let key = tool.key(raw)?;
        imported.iter().position(|i| i.key == key)
    };
    let mut applied: BTreeSet<usize> = BTreeSet::new();
    let mut missing = Vec::new();
    for raw in &state.each {
        match find(raw) {
            Some(i) => {
                applied.insert(i);
            }
            None => missing.push(raw.clone()),
        }
    }
    if let Some(current) = &state.current {
        match find(current) {
            Some(i) => applied.extend(0..=i),
            None => missing.push(current.clone()),
        }
    }
    if let Some(baseline) = state.baseline.as_deref().and_then(flyway_parts) {
        for (n, i) in imported.iter().enumerate() {
            if flyway_parts(&i.key).is_some_and(|p| flyway_cmp(&p, &baseline) != Ordering::Greater)
            {
                applied.insert(n);
            }
        }
    }
    if !missing.is_empty() {
        let have = if imported.is_empty() {
            format!(
                "none of the migrations has a `-- imported from {}` header",
                tool.formats()[0]
            )
        } else {
            format!(
                "the imported ones carry {}",
                imported
                    .iter()
                    .map(|i| i.header.tool_version.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return Err(format!(
            "{} has applied version(s) {} (in `{}`) that no migration of ours was imported \
             from ({have}): {import}",
            tool.name(),
            missing.join(", "),
            tool.table()
        ));
    }
    // The applied ones must be the first of the imported order.
    let count = applied.len();
    if let Some(gap) = (0..count).find(|i| !applied.contains(i)) {
        let later = applied
            .iter()
            .copied()
            .filter(|i| *i > gap)
            .collect::<Vec<_>>();
        let later = later
            .iter()
            .map(|i| imported[*i].describe())
            .collect::<Vec<_>>()
            .join(", ");
        return Err(format!(
            "{}'s applied versions are not the first of the imported history: {} was not \
             applied, but the later {later} were. Bring the database in line with {} first (apply \
             the skipped migration with {}, or revert the later ones), then take over",
            tool.name(),
            imported[gap].describe(),
            tool.name(),
            tool.name()
        ));
    }
    let versions: Vec<u64> = applied.iter().map(|i| imported[*i].version).collect();
    if let Some(&top) = versions.last() {
        let strays: Vec<String> = migrations
            .iter()
            .filter(|m| m.version < top && !versions.contains(&m.version))
            .map(|m| format!("{}_{}", m.version, m.name))
            .collect();
        if !strays.is_empty() {
            return Err(format!(
                "migration(s) {} come before {top}, the last one {} applied, but were not \
                 imported from {}: stamping at {top} would record them as applied. Give them \
                 versions after the imported history (rename their directories and run \
                 `schema sum`), then take over",
                strays.join(", "),
                tool.name(),
                tool.name()
            ));
        }
    }
    Ok(versions)
}

/// What a takeover did, for the command's report.
pub(crate) struct Takeover {
    /// The tool.
    pub(crate) tool: Tool,
    /// The version stamped at (0: none).
    pub(crate) version: u64,
    /// The migrations recorded, with their tool versions.
    pub(crate) recorded: Vec<String>,
    /// The stamp's own report.
    pub(crate) report: StampReport,
}

impl Takeover {
    /// The lines `stamp --from-tool` prints.
    pub(crate) fn describe(&self) -> String {
        let tool = self.tool.name();
        let table = self.tool.table();
        let mut out = String::new();
        let _ = writeln!(
            out,
            "took over from {tool}: stamped version {} ({} recorded)",
            self.version,
            self.report.recorded.len()
        );
        for line in &self.recorded {
            let _ = writeln!(out, "  {line}");
        }
        let _ = write!(
            out,
            "{tool}'s table `{table}` is left in place, untouched: schema neither reads nor \
             changes it from now on. Once nothing runs {tool} on this database any more, drop \
             it: {}",
            self.tool.drop_sql()
        );
        out
    }
}

/// `schema stamp --from-tool TOOL`: reads the tool's table through `db`,
/// matches it with the imported migrations (of `target`'s directory), then
/// stamps with `migrator` (checking the live schema unless `force`).
pub(crate) fn stamp(
    migrator: &Migrator,
    migrations: &[Migration],
    db: &mut dyn Driver,
    target: &crate::migrate::Target,
    tool: Tool,
    force: bool,
) -> Result<Takeover, String> {
    let (url, connect_timeout, dir) = (target.url(), target.connect_timeout(), &target.migrations);
    let ours = db.read_versions().map_err(|e| e.to_string())?;
    if !ours.is_empty() {
        return Err(format!(
            "{} already has schema's version table `{}` with {} row(s): it was taken over (or \
             migrated by schema) before. See where it stands with `schema status` and \
             `schema verify`; `schema stamp VERSION` moves it",
            redact(url),
            schema_runtime::driver::VERSION_TABLE,
            ours.len()
        ));
    }
    let imported = imported(tool, migrations, dir)?;
    let state = {
        let mut reader = Reader::new(db, url, connect_timeout)?;
        read_tool(tool, &mut reader)?
    };
    let versions = applied_versions(tool, &state, &imported, migrations)?;
    let version = versions.last().copied().unwrap_or(0);
    let report = migrator
        .stamp(db, version, force)
        .map_err(|e| e.to_string())?;
    let recorded = imported
        .iter()
        .filter(|i| versions.contains(&i.version))
        .map(Imported::describe)
        .collect();
    Ok(Takeover {
        tool,
        version,
        recorded,
        report,
    })
}

/// The check of `up`, `down` and `redo`: when schema's version table does
/// not exist or holds no row, and another tool's table holds rows, the
/// database is that tool's, and migrating it would run again (or revert)
/// what that tool ran.
pub(crate) fn refuse_untaken(
    db: &mut dyn Driver,
    url: &str,
    connect_timeout: Duration,
) -> Result<(), String> {
    let mut reader = Reader::new(db, url, connect_timeout)?;
    // Our version table with rows: the database is ours. Missing or empty
    // (an earlier command made it and recorded nothing), the tool's rows
    // still say what ran.
    let ours = schema_runtime::driver::VERSION_TABLE;
    if reader.columns(ours)?.is_some() && reader.count(ours)? > 0 {
        return Ok(());
    }
    // (golang-migrate, dbmate and Rails share `schema_migrations`: each is
    // tried, and the first whose columns it has names the tool.)
    for tool in Tool::ALL {
        let table = tool.table();
        let Some(columns) = reader.columns(table)? else {
            continue;
        };
        if !required_columns(tool)
            .iter()
            .all(|c| columns.iter().any(|x| x == c))
        {
            continue;
        }
        if reader.count(table)? == 0 {
            continue;
        }
        let tool = match tool {
            Tool::GolangMigrate | Tool::Dbmate | Tool::Rails if is_golang_migrate(&columns) => {
                Tool::GolangMigrate
            }
            Tool::GolangMigrate | Tool::Dbmate | Tool::Rails => Tool::Dbmate,
            other => other,
        };
        let name = if tool == Tool::Dbmate {
            "dbmate (or Rails)".to_string()
        } else {
            tool.name().to_string()
        };
        let from = if tool == Tool::Dbmate {
            "dbmate` (or `rails`)".to_string()
        } else {
            format!("{}`", tool.name())
        };
        return Err(format!(
            "{} is migrated by {name}: it has {name}'s version table `{table}` with rows, and \
             no row in `{}` yet. Migrating it now would run again (or revert) what {name} \
             ran. Take it over first: `schema import --from {from}, then `schema stamp \
             --from-tool {from}, then `schema up`. (If `{table}` is a leftover of a tool no \
             longer used, drop it.)",
            reader.database(),
            schema_runtime::driver::VERSION_TABLE
        ));
    }
    Ok(())
}

/// A driver that reads the live schema without the other tools' version
/// tables (and what they own: indexes, sequences, grants), so that a
/// database taken over keeps them without drifting. A table counts as a
/// tool's when it has that tool's table name and columns, and the declared
/// schema has no table of that name.
pub(crate) struct HideToolTables {
    inner: Box<dyn Driver>,
    declared: RefCell<BTreeSet<QualifiedName>>,
    /// The tables the last [`Driver::introspect`] left out.
    hidden: Vec<QualifiedName>,
}

impl HideToolTables {
    /// Wraps `inner`.
    pub(crate) fn new(inner: Box<dyn Driver>) -> Self {
        HideToolTables {
            inner,
            declared: RefCell::new(BTreeSet::new()),
            hidden: Vec::new(),
        }
    }

    /// The tools' tables the last introspection left out, each with the
    /// tools that keep such a table (`golang-migrate, dbmate or rails` for
    /// `schema_migrations`).
    pub(crate) fn hidden(&self) -> Vec<(String, String)> {
        self.hidden
            .iter()
            .filter_map(|name| {
                let tools: Vec<&str> = Tool::ALL
                    .iter()
                    .filter(|t| t.table() == name.name)
                    .map(|t| t.name())
                    .collect();
                let tools = match tools.split_last() {
                    None => return None,
                    Some((last, [])) => (*last).to_string(),
                    Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
                };
                Some((name.name.clone(), tools))
            })
            .collect()
    }

    fn note_declared(&self, schema: &Schema) {
        self.declared
            .borrow_mut()
            .extend(schema.tables.keys().cloned());
    }
}

/// Whether `table` is one of the tools' version tables.
fn is_tool_table(name: &str, columns: &[String]) -> bool {
    let has = |cs: &[&str]| cs.iter().all(|c| columns.iter().any(|x| x == c));
    match name {
        "schema_migrations" => {
            has(&["version"]) && columns.iter().all(|c| c == "version" || c == "dirty")
        }
        // Rails keeps it beside schema_migrations.
        "ar_internal_metadata" => has(&["key", "value"]) && columns.len() <= 4,
        "alembic_version" => columns.len() == 1 && has(&["version_num"]),
        other => Tool::ALL
            .iter()
            .any(|t| t.table() == other && has(required_columns(*t))),
    }
}

/// `schema` without the tools' tables that `declared` does not hold.
fn without_tool_tables(
    mut schema: Schema,
    declared: &BTreeSet<QualifiedName>,
) -> (Schema, Vec<QualifiedName>) {
    let hidden: Vec<QualifiedName> = schema
        .tables
        .iter()
        .filter(|(name, table)| {
            // The tools keep their table where their search path puts it:
            // `public` (a table of that name elsewhere is the user's own).
            name.schema == schema_core::model::DEFAULT_SCHEMA && !declared.contains(*name) && {
                let columns: Vec<String> = table
                    .columns
                    .iter()
                    .map(|c| c.name.to_ascii_lowercase())
                    .collect();
                is_tool_table(&name.name, &columns)
            }
        })
        .map(|(name, _)| name.clone())
        .collect();
    if hidden.is_empty() {
        return (schema, hidden);
    }
    let owned: Vec<QualifiedName> = schema
        .sequences
        .iter()
        .filter(|(_, s)| s.owned_by.as_ref().is_some_and(|(t, _)| hidden.contains(t)))
        .map(|(name, _)| name.clone())
        .collect();
    for name in &hidden {
        schema.tables.remove(name);
        schema.triggers.remove(name);
        schema.policies.remove(name);
    }
    for name in &owned {
        schema.sequences.remove(name);
    }
    schema
        .privileges
        .retain(|_, acl| !hidden.contains(&acl.name) && !owned.contains(&acl.name));
    (schema, hidden)
}

/// The savepoint [`introspect_sqlite_hiding`] rolls back to.
const HIDING_SAVEPOINT: &str = "schema_takeover_hide";

/// SQLite's live schema read with the tools' tables out of sight: SQLite's
/// reader refuses types such as golang-migrate's `uint64` or Rails'
/// `datetime(6)` before anything could leave them out, and leaves out every
/// table whose name starts with `_schema_`. So the tools' tables are renamed
/// so, inside a savepoint, for the read, and the savepoint is rolled back:
/// nothing changes. `None` when there is no tool table to hide, or the
/// database refuses the savepoint (read the usual way then).
fn introspect_sqlite_hiding(
    driver: &mut dyn Driver,
    schemas: &[String],
    declared: &BTreeSet<QualifiedName>,
) -> Option<(Result<Schema, IntrospectError>, Vec<QualifiedName>)> {
    let mut known: Vec<&str> = Tool::ALL.iter().map(|t| t.table()).collect();
    known.push("ar_internal_metadata");
    known.dedup();
    let mut hidden = Vec::new();
    for table in known {
        if declared.contains(&QualifiedName::new(
            schema_core::model::DEFAULT_SCHEMA,
            table,
        )) {
            continue;
        }
        let sql = format!("SELECT CAST(name AS TEXT) FROM pragma_table_info('{table}')");
        let columns: Vec<String> = Executor::query(&mut *driver, &sql, &[])
            .ok()?
            .iter()
            .filter_map(|row| row.first().and_then(text))
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if !columns.is_empty() && is_tool_table(table, &columns) {
            hidden.push(table);
        }
    }
    if hidden.is_empty() {
        return None;
    }
    Executor::execute(&mut *driver, &format!("SAVEPOINT {HIDING_SAVEPOINT}"), &[]).ok()?;
    let renamed = hidden.iter().all(|table| {
        let sql = format!("ALTER TABLE \"{table}\" RENAME TO \"_schema_hidden_{table}\"");
        Executor::execute(&mut *driver, &sql, &[]).is_ok()
    });
    let live = renamed.then(|| driver.introspect(schemas));
    let _ = Executor::execute(
        &mut *driver,
        &format!("ROLLBACK TO {HIDING_SAVEPOINT}"),
        &[],
    );
    let _ = Executor::execute(&mut *driver, &format!("RELEASE {HIDING_SAVEPOINT}"), &[]);
    let hidden = hidden
        .iter()
        .map(|table| QualifiedName::new(schema_core::model::DEFAULT_SCHEMA, *table))
        .collect();
    live.map(|live| (live, hidden))
}

impl Driver for HideToolTables {
    fn dialect(&self) -> Dialect {
        self.inner.dialect()
    }
    fn transactional_ddl(&self) -> bool {
        self.inner.transactional_ddl()
    }
    fn lock(&mut self, timeout: Duration) -> Result<(), DriverError> {
        self.inner.lock(timeout)
    }
    fn set_lock_timeout(&mut self, timeout: Duration) -> Result<(), DriverError> {
        self.inner.set_lock_timeout(timeout)
    }
    fn unlock(&mut self) -> Result<(), DriverError> {
        self.inner.unlock()
    }
    fn ensure_version_table(&mut self) -> Result<(), DriverError> {
        self.inner.ensure_version_table()
    }
    fn read_versions(&mut self) -> Result<Vec<VersionRow>, DriverError> {
        self.inner.read_versions()
    }
    fn is_recorded(&mut self, version: u64) -> Result<bool, DriverError> {
        self.inner.is_recorded(version)
    }
    fn begin(&mut self, script: &str) -> Result<(), DriverError> {
        self.inner.begin(script)
    }
    fn commit(&mut self) -> Result<(), DriverError> {
        self.inner.commit()
    }
    fn rollback(&mut self) -> Result<(), DriverError> {
        self.inner.rollback()
    }
    fn run_script(&mut self, sql: &str) -> Result<(), ScriptError> {
        self.inner.run_script(sql)
    }
    fn write_row(&mut self, row: &VersionRow) -> Result<(), DriverError> {
        self.inner.write_row(row)
    }
    fn set_state(
        &mut self,
        version: u64,
        state: RowState,
        duration_ms: Option<f64>,
    ) -> Result<(), DriverError> {
        self.inner.set_state(version, state, duration_ms)
    }
    fn delete_row(&mut self, version: u64) -> Result<(), DriverError> {
        self.inner.delete_row(version)
    }
    fn introspect(&mut self, schemas: &[String]) -> Result<Schema, IntrospectError> {
        let declared = self.declared.borrow().clone();
        let hiding = if self.inner.dialect() == Dialect::Sqlite {
            introspect_sqlite_hiding(&mut *self.inner, schemas, &declared)
        } else {
            None
        };
        let (live, mut hidden) = match hiding {
            Some((live, renamed)) => (live?, renamed),
            None => (self.inner.introspect(schemas)?, Vec::new()),
        };
        let (live, left_out) = without_tool_tables(live, &declared);
        hidden.extend(left_out);
        self.hidden = hidden;
        Ok(live)
    }
    fn namespaces(&mut self) -> Result<Vec<String>, IntrospectError> {
        self.inner.namespaces()
    }
    fn unusable(&mut self, schemas: &[String]) -> Result<Vec<String>, IntrospectError> {
        self.inner.unusable(schemas)
    }
    fn comparable(&self, declared: &Schema) -> Schema {
        self.note_declared(declared);
        self.inner.comparable(declared)
    }
    fn as_stored(&mut self, declared: &Schema) -> Schema {
        self.note_declared(declared);
        self.inner.as_stored(declared)
    }
    fn lend_connection(&mut self) -> Option<schema_runtime::rows::DriverConnection<'_>> {
        self.inner.lend_connection()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_read_and_refuse() {
        let h = parse_header("-- imported from sqlx 20240101000000 (migrations/20240101000000_a.sql)\nCREATE TABLE t ();")
            .and_then(Result::ok);
        assert_eq!(
            h,
            Some(Header {
                format: "sqlx".into(),
                tool_version: "20240101000000".into(),
                original: "migrations/20240101000000_a.sql".into(),
            })
        );
        let crlf = parse_header("\u{feff}-- imported from flyway 1.1 (db/V1_1__b c.sql)\r\nx");
        assert_eq!(
            crlf.and_then(Result::ok)
                .map(|h| (h.tool_version, h.original)),
            Some(("1.1".into(), "db/V1_1__b c.sql".into()))
        );
        assert!(parse_header("CREATE TABLE t ();").is_none());
        assert!(parse_header("").is_none());
        assert!(matches!(
            parse_header("-- imported from sqlx"),
            Some(Err(_))
        ));
        assert!(matches!(
            parse_header("-- imported from sqlx 1 path"),
            Some(Err(_))
        ));
        assert!(matches!(
            parse_header("-- imported from sqlx 1 ()"),
            Some(Err(_))
        ));
    }

    #[test]
    fn versions_compare_as_each_tool_stores_them() {
        assert_eq!(Tool::Sqlx.key("007"), Some("7".into()));
        assert_eq!(
            Tool::Sqlx.key("99999999999999999999999999"),
            Some("99999999999999999999999999".into())
        );
        assert_eq!(Tool::Sqlx.key("1e3"), None);
        assert_eq!(Tool::Goose.key(" 42 "), Some("42".into()));
        assert_eq!(Tool::Flyway.key("1.1"), Tool::Flyway.key("1_01"));
        assert_eq!(Tool::Flyway.key("2.0"), Some("2".into()));
        assert_eq!(Tool::Flyway.key("1.x"), None);
        assert_eq!(
            Tool::Diesel.key("20240101000000"),
            Some("20240101000000".into())
        );
        assert_eq!(Tool::Alembic.key(""), None);
        let p = |s: &str| flyway_parts(s).unwrap_or_default();
        assert_eq!(flyway_cmp(&p("1.10"), &p("1.9")), Ordering::Greater);
        assert_eq!(flyway_cmp(&p("1"), &p("1.0.0")), Ordering::Equal);
        assert_eq!(flyway_cmp(&p("1"), &p("1.0.1")), Ordering::Less);
    }

    #[test]
    fn booleans_of_both_databases() {
        assert_eq!(boolean(Some("t")), Some(true));
        assert_eq!(boolean(Some("false")), Some(false));
        assert_eq!(boolean(Some("1")), Some(true));
        assert_eq!(boolean(Some("maybe")), None);
        assert_eq!(boolean(None), None);
    }

    fn migration(version: u64, up: &'static str) -> Migration {
        Migration {
            version,
            name: "m",
            checksum: "",
            no_transaction: false,
            postgres: schema_runtime::Script { up, down: "" },
            sqlite: Ok(schema_runtime::Script { up, down: "" }),
        }
    }

    #[test]
    fn applied_versions_must_be_a_prefix() {
        let ms = [
            migration(1, "-- imported from sqlx 10 (a.sql)\n"),
            migration(2, "-- imported from sqlx 20 (b.sql)\n"),
            migration(3, "-- imported from sqlx 30 (c.sql)\n"),
            migration(4, "CREATE TABLE t ();\n"),
        ];
        let imported = imported(Tool::Sqlx, &ms, Path::new("migrations")).unwrap_or_default();
        assert_eq!(imported.len(), 3);
        let state = |each: &[&str]| ToolState {
            each: each.iter().map(|s| (*s).to_string()).collect(),
            ..ToolState::default()
        };
        assert_eq!(
            applied_versions(Tool::Sqlx, &state(&["10", "20"]), &imported, &ms),
            Ok(vec![1, 2])
        );
        let gap = applied_versions(Tool::Sqlx, &state(&["10", "30"]), &imported, &ms);
        assert!(
            gap.as_ref()
                .is_err_and(|e| e.contains("2_m (from sqlx 20, b.sql) was not applied")),
            "{gap:?}"
        );
        let missing = applied_versions(Tool::Sqlx, &state(&["10", "40"]), &imported, &ms);
        assert!(
            missing
                .as_ref()
                .is_err_and(|e| e.contains("40") && e.contains("schema import --from sqlx")),
            "{missing:?}"
        );
        let through = ToolState {
            current: Some("20".into()),
            ..ToolState::default()
        };
        assert_eq!(
            applied_versions(Tool::Sqlx, &through, &imported, &ms),
            Ok(vec![1, 2])
        );
        assert_eq!(
            applied_versions(Tool::Sqlx, &state(&[]), &imported, &ms),
            Ok(vec![])
        );
    }

    #[test]
    fn rails_and_dbmate_take_either_header() {
        let ms = [
            migration(
                1,
                "-- imported from rails 20240101000001 (db/migrate/20240101000001_a.rb)\n",
            ),
            migration(
                2,
                "-- imported from dbmate 20240101000002 (db/migrations/20240101000002_b.sql)\n",
            ),
        ];
        for tool in [Tool::Rails, Tool::Dbmate] {
            let imported = imported(tool, &ms, Path::new("m")).unwrap_or_default();
            assert_eq!(imported.len(), 2, "{tool:?}");
        }
        assert!(imported(Tool::Sqlx, &ms, Path::new("m")).is_ok_and(|i| i.is_empty()));
        let bad = [migration(1, "-- imported from goose x1 (a.sql)\n")];
        assert!(imported(Tool::Goose, &bad, Path::new("m")).is_err_and(|e| e.contains("x1")));
    }

    #[test]
    fn a_flyway_baseline_covers_what_it_is_above() {
        let ms = [
            migration(1, "-- imported from flyway 1 (V1__a.sql)\n"),
            migration(2, "-- imported from flyway 1.1 (V1_1__b.sql)\n"),
            migration(3, "-- imported from flyway 2 (V2__c.sql)\n"),
        ];
        let imported = imported(Tool::Flyway, &ms, Path::new("m")).unwrap_or_default();
        let state = ToolState {
            baseline: Some("1.1".into()),
            each: vec!["2".into()],
            ..ToolState::default()
        };
        assert_eq!(
            applied_versions(Tool::Flyway, &state, &imported, &ms),
            Ok(vec![1, 2, 3])
        );
    }

    #[test]
    fn tool_tables_are_known_by_name_and_columns() {
        let cols = |c: &[&str]| c.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
        assert!(is_tool_table("schema_migrations", &cols(&["version"])));
        assert!(is_tool_table(
            "schema_migrations",
            &cols(&["version", "dirty"])
        ));
        assert!(!is_tool_table(
            "schema_migrations",
            &cols(&["version", "name"])
        ));
        assert!(is_tool_table(
            "_sqlx_migrations",
            &cols(&[
                "version",
                "description",
                "installed_on",
                "success",
                "checksum",
                "execution_time"
            ])
        ));
        assert!(!is_tool_table("users", &cols(&["version"])));
    }
}
