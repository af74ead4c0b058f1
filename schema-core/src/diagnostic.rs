//! Located diagnostics: the one error type of the engine and its rustc-style rendering.
//!
//! Rendering uses `annotate-snippets`, the renderer rustc itself uses for its
//! diagnostics: the output looks exactly like a compiler error (which is what a
//! user of a compile-time tool expects), it has no runtime dependencies beyond
//! the renderer and, unlike `miette`, it does not ask us to model errors as
//! `std::error::Error` trait objects.

use std::fmt;
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// A file the engine read, kept whole so diagnostics can quote any line of it.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Source {
    /// The path as the user should read it (relative to the project where possible).
    pub path: String,
    /// The file's text, exactly as read.
    pub text: String,
}

impl Source {
    /// Wraps a path and its text into a shareable source.
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Arc<Self> {
        Arc::new(Source {
            path: path.into(),
            text: text.into(),
        })
    }

    /// The text of line `line` (1-based), without its line ending; empty when out of range.
    pub fn line_text(&self, line: u32) -> &str {
        let Some(index) = (line as usize).checked_sub(1) else {
            return "";
        };
        self.text
            .split('\n')
            .nth(index)
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .unwrap_or("")
    }
}

/// Where an object or a problem comes from: a file, a line and a column (both 1-based).
///
/// Two origins always compare equal, so that models read from different files
/// (or from a live database) compare by content alone.
#[derive(Clone)]
pub struct Origin {
    /// The file.
    pub source: Arc<Source>,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
}

impl Origin {
    /// An origin at `line:column` of `source`.
    pub fn new(source: &Arc<Source>, line: u32, column: u32) -> Self {
        Origin {
            source: Arc::clone(source),
            line: line.max(1),
            column: column.max(1),
        }
    }

    /// An origin at `line:column`, moved back onto the file's last line when it
    /// points past the end (a tokenizer reports an unclosed comment one line on).
    pub(crate) fn clamped(source: &Arc<Source>, line: u32, column: u32) -> Self {
        let lines = u32::try_from(source.text.lines().count().max(1)).unwrap_or(u32::MAX);
        if line <= lines {
            return Origin::new(source, line, column);
        }
        let last = source.line_text(lines);
        let end = u32::try_from(last.chars().count() + 1).unwrap_or(u32::MAX);
        Origin::new(source, lines, end)
    }

    /// An origin for objects that come from no file (e.g. a live database).
    pub fn synthetic(what: &str) -> Self {
        Origin {
            source: Source::new(what, ""),
            line: 1,
            column: 1,
        }
    }

    /// The quoted line this origin points into.
    pub fn line_text(&self) -> &str {
        self.source.line_text(self.line)
    }

    /// True when the origin points into a real file with text.
    pub(crate) fn has_text(&self) -> bool {
        !self.source.text.is_empty()
    }
}

impl PartialEq for Origin {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for Origin {}
impl std::hash::Hash for Origin {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.source.path, self.line, self.column)
    }
}

impl fmt::Debug for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A stable diagnostic code: an id for searching and a name for allow directives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Code {
    /// Stable id, e.g. `S0101`.
    pub id: &'static str,
    /// Stable snake_case name, e.g. `empty_migration`; lints are allowed by this name.
    pub name: &'static str,
    /// True when a `-- schema: allow(<name>)` directive may silence it.
    pub allowable: bool,
}

/// Every code the engine emits. Ids never change meaning; new codes get new ids.
pub mod codes {
    use super::Code;

    const fn error(id: &'static str, name: &'static str) -> Code {
        Code {
            id,
            name,
            allowable: false,
        }
    }
    const fn lint(id: &'static str, name: &'static str) -> Code {
        Code {
            id,
            name,
            allowable: true,
        }
    }

    /// The SQL text does not parse.
    pub const SYNTAX: Code = error("S0001", "syntax_error");
    /// A statement the model does not cover (views, functions, triggers, ...).
    pub(crate) const UNSUPPORTED_STATEMENT: Code = error("S0002", "unsupported_statement");
    /// A clause or type the model does not cover inside a supported statement.
    pub const UNSUPPORTED_FEATURE: Code = error("S0003", "unsupported_feature");
    /// A statement refers to an object that does not exist at that point.
    pub const UNKNOWN_OBJECT: Code = error("S0004", "unknown_object");
    /// A statement creates an object that already exists.
    pub const DUPLICATE_OBJECT: Code = error("S0005", "duplicate_object");
    /// A statement that is valid SQL but not allowed in this kind of file.
    pub const NOT_ALLOWED_HERE: Code = error("S0006", "not_allowed_here");
    /// A `-- schema:` directive that is not understood.
    pub(crate) const BAD_DIRECTIVE: Code = error("S0007", "bad_directive");
    /// A file or directory could not be read.
    pub const IO: Code = error("S0008", "io_error");
    /// A statement read and ignored (data statements in schema.sql); a warning.
    pub const IGNORED_STATEMENT: Code = error("S0009", "ignored_statement");

    /// A migrations directory entry that is not `<version>_<slug>/`.
    pub const BAD_MIGRATION_NAME: Code = error("S0101", "bad_migration_name");
    /// Two migrations share a version.
    pub const DUPLICATE_VERSION: Code = error("S0102", "duplicate_version");
    /// A migration lacks up.sql or down.sql.
    pub const MISSING_MIGRATION_FILE: Code = error("S0103", "missing_migration_file");
    /// `migrations/schema.sum` is missing.
    pub const SUM_MISSING: Code = error("S0110", "sum_missing");
    /// `migrations/schema.sum` does not list exactly the files present.
    pub const SUM_STALE: Code = error("S0111", "sum_stale");
    /// A migration file changed after schema.sum recorded it.
    pub const CHECKSUM_MISMATCH: Code = error("S0112", "checksum_mismatch");
    /// `migrations/schema.sum` cannot be read.
    pub const SUM_MALFORMED: Code = error("S0113", "sum_malformed");

    /// Lint: a migration whose up.sql holds no statement.
    pub(crate) const EMPTY_MIGRATION: Code = lint("S0201", "empty_migration");
    /// Lint: a declared table without a primary key.
    pub(crate) const MISSING_PRIMARY_KEY: Code = lint("S0202", "missing_primary_key");
    /// Lint: a down.sql that does not restore the schema before its up.sql.
    pub const DOWN_DOES_NOT_UNDO_UP: Code = lint("S0203", "down_does_not_undo_up");
    /// Lint: an object declared in schema.sql that no migration creates.
    pub(crate) const UNMIGRATED_OBJECT: Code = lint("S0204", "unmigrated_object");
    /// Lint: a migration that PostgreSQL runs and SQLite cannot (a data
    /// statement in PostgreSQL's own syntax, names that differ only in case,
    /// a table without columns).
    pub(crate) const SQLITE_UNSUPPORTED: Code = lint("S0205", "sqlite_unsupported");
    /// Lint (a warning): a `SECURITY DEFINER` function without `SET search_path`.
    pub(crate) const SECURITY_DEFINER_SEARCH_PATH: Code =
        lint("S0206", "security_definer_search_path");

    /// Online lint: `CREATE INDEX` / `DROP INDEX` without `CONCURRENTLY` on
    /// a table that existed before the migration.
    pub const INDEX_WITHOUT_CONCURRENTLY: Code = lint("S0501", "index_without_concurrently");
    /// Online lint (an error): a statement that cannot run in a transaction
    /// (`CONCURRENTLY`, `VACUUM`) in a migration that runs in one.
    pub const CONCURRENTLY_IN_TRANSACTION: Code = lint("S0502", "concurrently_in_transaction");
    /// Online lint: a foreign key or check added without `NOT VALID` to an
    /// existing table (or validated in the transaction that added it).
    pub const CONSTRAINT_WITHOUT_NOT_VALID: Code = lint("S0503", "constraint_without_not_valid");
    /// Online lint: `SET NOT NULL` without a validated `CHECK (c IS NOT NULL)`.
    pub const SET_NOT_NULL_SCANS: Code = lint("S0504", "set_not_null_scans");
    /// Online lint: a column type change that rewrites the table.
    pub const COLUMN_TYPE_REWRITES: Code = lint("S0505", "column_type_rewrites");
    /// Online lint: a column added with a default that rewrites the table.
    pub const VOLATILE_DEFAULT: Code = lint("S0506", "volatile_default");
    /// Online lint: a primary key, unique or exclusion constraint whose index
    /// is built under the table's strongest lock.
    pub const CONSTRAINT_BUILDS_INDEX: Code = lint("S0507", "constraint_builds_index");
    /// Online lint: renaming a table or column the previous release may use.
    pub const RENAME_IN_USE: Code = lint("S0508", "rename_in_use");
    /// Online lint: dropping a table or column the previous release may use.
    pub const DROP_IN_USE: Code = lint("S0509", "drop_in_use");
    /// Online lint: a migration that locks an existing table without
    /// `SET lock_timeout` first.
    pub const MISSING_LOCK_TIMEOUT: Code = lint("S0510", "missing_lock_timeout");
    /// Online lint: `VACUUM FULL`, which rewrites a table under its strongest lock.
    pub const TABLE_REWRITE: Code = lint("S0511", "table_rewrite");
    /// Online lint: an enum value added and used in one transaction.
    pub const ENUM_VALUE_USED_IN_TRANSACTION: Code =
        lint("S0512", "enum_value_used_in_transaction");
    /// Online lint (style, off by default): a new table keyed by `int` or
    /// `serial` rather than `bigint` identity.
    pub const INT_PRIMARY_KEY: Code = lint("S0513", "int_primary_key");

    /// The online lints, in code order.
    pub const ONLINE: &[Code] = &[
        INDEX_WITHOUT_CONCURRENTLY,
        CONCURRENTLY_IN_TRANSACTION,
        CONSTRAINT_WITHOUT_NOT_VALID,
        SET_NOT_NULL_SCANS,
        COLUMN_TYPE_REWRITES,
        VOLATILE_DEFAULT,
        CONSTRAINT_BUILDS_INDEX,
        RENAME_IN_USE,
        DROP_IN_USE,
        MISSING_LOCK_TIMEOUT,
        TABLE_REWRITE,
        ENUM_VALUE_USED_IN_TRANSACTION,
        INT_PRIMARY_KEY,
    ];

    /// Drift: the migrated schema differs from the declared one.
    pub const DRIFT: Code = error("S0301", "drift");

    /// A column's type needs a feature of `sqlschema` that is off.
    pub const FEATURE_DISABLED: Code = error("S0401", "feature_disabled");
    /// A `#[derive(Schema)]` struct does not match its table.
    pub const MODEL_MISMATCH: Code = error("S0402", "model_mismatch");
    /// Two generated items would have one name.
    pub const MODEL_NAME_CLASH: Code = error("S0403", "model_name_clash");

    /// The lints other than the online ones.
    const CHECK_LINTS: &[Code] = &[
        EMPTY_MIGRATION,
        MISSING_PRIMARY_KEY,
        DOWN_DOES_NOT_UNDO_UP,
        UNMIGRATED_OBJECT,
        SQLITE_UNSUPPORTED,
        SECURITY_DEFINER_SEARCH_PATH,
    ];

    /// All lint codes, for directive validation and documentation.
    pub(crate) fn lints() -> impl Iterator<Item = &'static Code> {
        CHECK_LINTS.iter().chain(ONLINE)
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    /// Fails `schema check` and the build.
    Error,
    /// Printed, never fails anything.
    Warning,
}

/// One problem, located in a file when it has a location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// One line, lowercase, no trailing period, code in backticks.
    pub message: String,
    /// Where the problem is, if it has a place.
    pub origin: Option<Origin>,
    /// Label under the caret.
    pub label: Option<String>,
    /// Other places worth showing, each with its label.
    pub related: Vec<(Origin, String)>,
    /// Extra facts.
    pub notes: Vec<String>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error with a code and a message.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            origin: None,
            label: None,
            related: Vec::new(),
            notes: Vec::new(),
            help: None,
        }
    }

    /// A warning with a code and a message: printed, never fails anything.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Places the diagnostic at `origin`.
    #[must_use]
    pub fn at(mut self, origin: &Origin) -> Self {
        self.origin = Some(origin.clone());
        self
    }

    /// Points at `origin` when there is one (a declaration that may be
    /// missing, as for a change the declared schema does not locate).
    #[must_use]
    pub fn maybe_at(self, origin: Option<&Origin>) -> Self {
        match origin {
            Some(o) => self.at(o),
            None => self,
        }
    }

    /// Sets the label shown under the caret.
    #[must_use]
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a note.
    #[must_use]
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Sets the help text.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a related location.
    #[must_use]
    pub fn related(mut self, origin: &Origin, label: impl Into<String>) -> Self {
        self.related.push((origin.clone(), label.into()));
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col` of the diagnostic, or `None`.
    pub fn location(&self) -> Option<String> {
        self.origin.as_ref().map(ToString::to_string)
    }

    /// Renders like rustc, with ANSI colours when `color` is true.
    pub fn render(&self, color: bool) -> String {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let id = format!("{}/{}", self.code.id, self.code.name);
        let title = level.primary_title(self.message.as_str()).id(id);
        let mut groups: Vec<Group<'_>> = Vec::new();
        let mut group = match &self.origin {
            Some(origin) => title.element(snippet_for(
                origin,
                self.label.as_deref(),
                AnnotationKind::Primary,
            )),
            None => Group::with_title(title),
        };
        for (origin, label) in &self.related {
            group = group.element(snippet_for(origin, Some(label), AnnotationKind::Context));
        }
        for note in &self.notes {
            group = group.element(Level::NOTE.message(note.as_str()));
        }
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        groups.push(group);
        renderer.render(&groups).to_string()
    }
}

/// A one-line snippet: the quoted line with a caret under the token at the origin.
fn snippet_for<'a>(
    origin: &'a Origin,
    label: Option<&'a str>,
    kind: AnnotationKind,
) -> Snippet<'a, annotate_snippets::Annotation<'a>> {
    let line = origin.line_text();
    let start = char_to_byte(line, origin.column.saturating_sub(1) as usize);
    let end = token_end(line, start);
    let mut annotation = kind.span(start..end);
    if let Some(label) = label {
        annotation = annotation.label(label);
    }
    Snippet::source(line)
        .line_start(origin.line as usize)
        .path(origin.source.path.as_str())
        .annotation(annotation)
}

fn char_to_byte(line: &str, chars: usize) -> usize {
    line.char_indices()
        .nth(chars)
        .map(|(i, _)| i)
        .unwrap_or(line.len())
}

/// The end of the word (or quoted identifier) starting at byte `start`; at least one char.
fn token_end(line: &str, start: usize) -> usize {
    let rest = &line[start..];
    let mut chars = rest.char_indices();
    match chars.next() {
        None => start,
        Some((_, '"')) => rest[1..]
            .find('"')
            .map(|i| start + i + 2)
            .unwrap_or(line.len()),
        Some((_, c)) if c.is_alphanumeric() || c == '_' => {
            let len = rest
                .char_indices()
                .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == '$'))
                .map(|(i, _)| i)
                .unwrap_or(rest.len());
            start + len
        }
        Some((_, c)) => start + c.len_utf8(),
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl std::error::Error for Diagnostic {}

/// Renders every diagnostic, separated by blank lines, with a closing count line.
pub fn render_all(diagnostics: &[Diagnostic], color: bool) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&d.render(color));
        out.push_str("\n\n");
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        out.push_str(&format!(
            "error: could not check the schema due to {errors} previous error{}\n",
            if errors == 1 { "" } else { "s" }
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_file_line_column_quoted_line_and_caret() {
        let src = Source::new("schema.sql", "create table t (\n  id int\n);\n");
        let d = Diagnostic::error(codes::MISSING_PRIMARY_KEY, "table `t` has no primary key")
            .at(&Origin::new(&src, 2, 3))
            .label("this column")
            .help("add `PRIMARY KEY`");
        let text = d.render(false);
        assert!(text.contains("schema.sql:2:3"), "{text}");
        assert!(text.contains("  id int"), "{text}");
        assert!(text.contains("^^"), "{text}");
        assert!(text.contains("help: add `PRIMARY KEY`"), "{text}");
        assert!(text.contains("S0202/missing_primary_key"), "{text}");
    }

    #[test]
    fn origins_compare_equal_whatever_their_place() {
        let a = Source::new("a.sql", "x");
        let b = Source::new("b.sql", "y");
        assert_eq!(Origin::new(&a, 1, 1), Origin::new(&b, 9, 9));
    }
}
