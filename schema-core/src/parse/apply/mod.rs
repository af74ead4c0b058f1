//! Applies located statements to a [`Schema`]: the one place that knows what each
//! DDL statement does to the model, shared by `schema.sql` and migration replay.
//!
//! This module holds the entry points, the per-statement context `Cx` with its
//! shared helpers (locations, refusals, name checks) and the dispatch of each
//! statement; what a statement does to each kind of object lives in the module
//! of that kind.

use sqlparser::ast::{
    AlterIndexOperation, Ident, ObjectName, Statement, UserDefinedTypeRepresentation,
};

mod alter;
mod comments;
mod composites;
mod constraints;
mod domains;
mod drop;
mod functions;
mod indexes;
mod namespaces;
mod others;
mod partitions;
mod privileges;
pub use partitions::{partition_bound_from_text, partition_key_from_text};
mod column_storage;
mod sequences;
mod storage;
mod tables;
mod triggers;
mod types;
mod view_columns;
mod views;

pub use indexes::{operator_class_of, split_key_collation};

pub use namespaces::BUILTIN_EXTENSION;

use super::{LocatedStatement, ParsedFile, ParsedStatement, unsupported_statement};
use crate::diagnostic::{Diagnostic, Origin, codes};
use crate::directive::Directive;
use crate::model::names::{closest, object_name_parts};
use crate::model::{QualifiedName, Schema, Table};

/// What kind of file the statements come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `schema.sql`: creates only (plus the `ALTER` forms `pg_dump` writes).
    Declarative,
    /// A migration: anything the model covers, DML ignored.
    Migration,
}

type Res<T> = Result<T, Diagnostic>;

/// Applies every statement of `file`, collecting diagnostics.
/// Returns the number of statements that change or could change the schema
/// (0 means the file does nothing).
///
/// A file with deep expressions is applied on a stack of its own
/// ([`crate::stack`]): a chain may be up to [`crate::model::depth::MAX_DEPTH`] long,
/// every walk of its tree follows it, and the caller's thread may be small.
pub fn apply_file(
    schema: &mut Schema,
    file: &ParsedFile,
    mode: Mode,
    diagnostics: &mut Vec<Diagnostic>,
) -> usize {
    apply_file_observed(schema, file, mode, diagnostics, &mut ())
}

/// Watches the statements of a file being applied, one by one: what the
/// online lints read (the schema before a statement and after it).
pub trait Observer {
    /// Before `statement` is applied to `schema`; `directives` are the
    /// `-- schema:` lines right above it.
    fn before(&mut self, schema: &Schema, statement: &LocatedStatement, directives: &[Directive]);
    /// After it, `applied` false when it failed (and changed nothing).
    fn after(&mut self, schema: &Schema, statement: &LocatedStatement, applied: bool);
}

/// Watches nothing.
impl Observer for () {
    fn before(&mut self, _: &Schema, _: &LocatedStatement, _: &[Directive]) {}
    fn after(&mut self, _: &Schema, _: &LocatedStatement, _: bool) {}
}

/// [`apply_file`], telling `observer` about each statement.
pub fn apply_file_observed(
    schema: &mut Schema,
    file: &ParsedFile,
    mode: Mode,
    diagnostics: &mut Vec<Diagnostic>,
    observer: &mut (dyn Observer + Send),
) -> usize {
    file_directives(schema, file, mode, diagnostics);
    if file.deepest > crate::model::depth::INLINE_DEPTH {
        crate::stack::on_big_stack(|| apply_statements(schema, file, mode, diagnostics, observer))
    } else {
        apply_statements(schema, file, mode, diagnostics, observer)
    }
}

/// Parses `source` and applies each statement as soon as it is read, keeping
/// no syntax tree past its statement ([`crate::parse::parse_file_each`]): what
/// [`crate::parse::parse_file`] and [`apply_file`] do, in a fraction of the
/// memory. The diagnostics are the parser's, then the statements'.
pub(crate) fn parse_and_apply(
    source: &std::sync::Arc<crate::diagnostic::Source>,
    schema: &mut Schema,
    mode: Mode,
) -> Vec<Diagnostic> {
    let (mut diagnostics, mut applied, _) = parse_and_apply_observed(source, schema, mode, &mut ());
    diagnostics.append(&mut applied);
    diagnostics
}

/// [`parse_and_apply`], telling `observer` about each statement: the
/// parser's diagnostics, the statements', and how many statements applied
/// (what [`apply_file_observed`] returns).
pub(crate) fn parse_and_apply_observed(
    source: &std::sync::Arc<crate::diagnostic::Source>,
    schema: &mut Schema,
    mode: Mode,
    observer: &mut (dyn Observer + Send),
) -> (Vec<Diagnostic>, Vec<Diagnostic>, usize) {
    let mut applied = Vec::new();
    let mut started = false;
    let mut previous_end = 0;
    let mut count = 0;
    let (file, diagnostics) = crate::parse::parse_file_each(
        source,
        Some(&mut |file: &ParsedFile, statement: LocatedStatement| {
            if !started {
                file_directives(schema, file, mode, &mut applied);
                started = true;
            }
            let mut one = |schema: &mut Schema, applied: &mut Vec<Diagnostic>| {
                apply_one(
                    schema,
                    file,
                    &statement,
                    mode,
                    previous_end,
                    applied,
                    &mut *observer,
                );
            };
            if file.deepest > crate::model::depth::INLINE_DEPTH {
                crate::stack::on_big_stack(|| one(schema, &mut applied));
            } else {
                one(schema, &mut applied);
            }
            previous_end = statement.end_line;
            count += 1;
        }),
    );
    if !started {
        file_directives(schema, &file, mode, &mut applied);
    }
    (diagnostics, applied, count)
}

/// The checks and settings of a file's directives that speak for the whole
/// file (before its statements apply).
fn file_directives(
    schema: &mut Schema,
    file: &ParsedFile,
    mode: Mode,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for d in file.all_directives() {
        if d.kind == crate::directive::DirectiveKind::NoTransaction && mode == Mode::Declarative {
            diagnostics.push(
                Diagnostic::error(
                    codes::NOT_ALLOWED_HERE,
                    "`-- schema: no-transaction` is a setting of one migration, not of schema.sql",
                )
                .at(&d.origin)
                .help("write it in the up.sql of the migration that must run outside a transaction, and remove it here"),
            );
            continue;
        }
        if d.kind != crate::directive::DirectiveKind::IgnorePrivileges {
            continue;
        }
        match mode {
            Mode::Declarative => schema.privileges_ignored = true,
            Mode::Migration => diagnostics.push(
                Diagnostic::error(
                    codes::NOT_ALLOWED_HERE,
                    "`-- schema: ignore(privileges)` is a setting of the whole project, not of one migration",
                )
                .at(&d.origin)
                .help("write it in schema.sql, and remove it here"),
            ),
        }
    }
}

/// [`apply_file_observed`] on the current stack.
fn apply_statements(
    schema: &mut Schema,
    file: &ParsedFile,
    mode: Mode,
    diagnostics: &mut Vec<Diagnostic>,
    observer: &mut (dyn Observer + Send),
) -> usize {
    let mut previous_end = 0;
    for statement in &file.statements {
        apply_one(
            schema,
            file,
            statement,
            mode,
            previous_end,
            diagnostics,
            observer,
        );
        previous_end = statement.end_line;
    }
    file.statements.len()
}

/// Applies one statement of `file`, the one after the statement that ended on
/// line `previous_end` (the directives between them are its own).
fn apply_one(
    schema: &mut Schema,
    file: &ParsedFile,
    statement: &LocatedStatement,
    mode: Mode,
    previous_end: u32,
    diagnostics: &mut Vec<Diagnostic>,
    observer: &mut (dyn Observer + Send),
) {
    let directives = file.directives_between(previous_end, statement.origin.line);
    observer.before(schema, statement, &directives);
    let mut cx = Cx {
        schema,
        mode,
        file,
        statement,
        directives,
    };
    let applied = match cx.apply() {
        Ok(()) => true,
        Err(d) => {
            diagnostics.push(d);
            false
        }
    };
    observer.after(schema, statement, applied);
}

/// Applies one statement (with no directives) to `schema`.
///
/// # Errors
/// A diagnostic located at the statement when it cannot be applied.
pub fn apply_statement(
    schema: &mut Schema,
    file: &ParsedFile,
    statement: &LocatedStatement,
    mode: Mode,
) -> Result<(), Diagnostic> {
    Cx {
        schema,
        mode,
        file,
        statement,
        directives: Vec::new(),
    }
    .apply()
}

struct Cx<'a> {
    schema: &'a mut Schema,
    mode: Mode,
    file: &'a ParsedFile,
    statement: &'a LocatedStatement,
    directives: Vec<Directive>,
}

fn qualified(name: &ObjectName) -> Result<QualifiedName, String> {
    qualified_parts(&object_name_parts(name))
        .map_err(|_| format!("`{name}` is not a valid object name"))
}

fn qualified_parts(parts: &[String]) -> Result<QualifiedName, String> {
    QualifiedName::from_parts(parts)
        .ok_or_else(|| format!("`{}` is not a valid object name", parts.join(".")))
}

impl<'a> Cx<'a> {
    fn origin(&self) -> Origin {
        self.statement.origin.clone()
    }

    fn at_ident(&self, ident: &Ident) -> Origin {
        self.at_location(ident.span.start)
    }

    /// The start of a node's span, or the statement's start when it has none.
    fn at_span(&self, node: &impl sqlparser::ast::Spanned) -> Origin {
        self.at_location(node.span().start)
    }

    /// A location the tokenizer gave, or the statement's start when it gave none.
    fn at_location(&self, start: sqlparser::tokenizer::Location) -> Origin {
        if start.line == 0 {
            return self.origin();
        }
        Origin::new(
            &self.file.source,
            u32::try_from(start.line).unwrap_or(1),
            u32::try_from(start.column).unwrap_or(1),
        )
    }

    fn at_name(&self, name: &ObjectName) -> Origin {
        match name.0.first().and_then(|p| p.as_ident()) {
            Some(i) => self.at_ident(i),
            None => self.origin(),
        }
    }

    fn err(&self, code: crate::diagnostic::Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(code, message).at(&self.statement.origin)
    }

    fn unsupported(&self, what: impl std::fmt::Display) -> Diagnostic {
        self.err(
            codes::UNSUPPORTED_FEATURE,
            format!("{what} is not supported by the schema model"),
        )
        .help("remove it, or keep it in a separate SQL file run after migrations")
    }

    /// The refusal of a clause the model does not carry yet, located at the
    /// clause's first word (`words`) when it can be found, else at the statement.
    fn refuse_clause(&self, clause: &str, words: &[&str], statement: &str) -> Diagnostic {
        let at = self.at_words(words).unwrap_or_else(|| self.origin());
        Diagnostic::error(
            codes::UNSUPPORTED_FEATURE,
            format!("`{clause}` is not supported yet: the schema model does not carry it"),
        )
        .at(&at)
        .note("it is refused rather than dropped, so the database never silently differs from this file")
        .help(format!(
            "remove `{clause}` from this `{statement}`; if the database needs it, apply it from a separate SQL file run after migrations"
        ))
    }

    /// True when the statement's text holds `words` in a row.
    fn has_words(&self, words: &[&str]) -> bool {
        self.at_words(words).is_some()
    }

    /// Where the statement's first run of the unquoted `words` starts.
    fn at_words(&self, words: &[&str]) -> Option<Origin> {
        use sqlparser::tokenizer::{Token, Tokenizer};
        if words.is_empty() {
            return None;
        }
        let source = &self.file.source;
        let first = self.statement.origin.line;
        let last = self.statement.end_line.max(first);
        let lines: Vec<&str> = source
            .text
            .lines()
            .skip(usize::try_from(first).ok()?.saturating_sub(1))
            .take(usize::try_from(last - first + 1).ok()?)
            .collect();
        let text = lines.join("\n");
        let dialect = sqlparser::dialect::PostgreSqlDialect {};
        let tokens = Tokenizer::new(&dialect, &text)
            .tokenize_with_location()
            .ok()?;
        let start_column = u64::from(self.statement.origin.column);
        let significant: Vec<_> = tokens
            .iter()
            .filter(|t| !matches!(t.token, Token::Whitespace(_)))
            .filter(|t| t.span.start.line > 1 || t.span.start.column >= start_column)
            .collect();
        let found = significant.windows(words.len()).find(|w| {
            w.iter().zip(words).all(|(t, word)| {
                matches!(&t.token, Token::Word(x)
                    if x.quote_style.is_none() && x.value.eq_ignore_ascii_case(word))
            })
        })?;
        let loc = found.first()?.span.start;
        Some(Origin::new(
            source,
            first + u32::try_from(loc.line).ok()? - 1,
            u32::try_from(loc.column).ok()?,
        ))
    }

    /// PostgreSQL refuses a reserved key word as an unquoted name (`ColId`):
    /// refused here too, rather than passing `check` and failing at `up`.
    fn check_name(&self, ident: &Ident, what: &str) -> Res<()> {
        if ident.quote_style.is_some() || !super::keywords::is_reserved_unfolded(&ident.value) {
            return Ok(());
        }
        let word = ident.value.to_ascii_lowercase();
        Err(Diagnostic::error(
            codes::SYNTAX,
            format!("`{word}` is a reserved word in PostgreSQL: it cannot name a {what} unquoted"),
        )
        .at(&self.at_ident(ident))
        .note("PostgreSQL rejects this statement with a syntax error")
        .help(format!(
            "quote it, here and everywhere it is named: `\"{word}\"`; or choose another name"
        )))
    }

    /// [`Self::check_name`] for an object name: only its first part is a `ColId`
    /// (`public.user` is accepted, `user` is not).
    fn check_object_name(&self, name: &ObjectName, what: &str) -> Res<()> {
        match name.0.first().and_then(|p| p.as_ident()) {
            Some(first) if name.0.len() == 1 => self.check_name(first, what),
            Some(first) => self.check_name(first, "schema"),
            None => Ok(()),
        }
    }

    /// `SET search_path`: accepted while unqualified names still land in the
    /// default schema (`"$user", public`, as pg_dump and Rails write it);
    /// refused by name otherwise, since the model would put them elsewhere.
    /// `SET ROLE` and `SET SESSION AUTHORIZATION` are refused by name.
    fn check_search_path(&self) -> Res<()> {
        let text = self.statement.text.to_ascii_lowercase();
        let words: Vec<&str> = text
            .split(|c: char| c.is_whitespace() || c == '=' || c == ',' || c == ';')
            .filter(|w| !w.is_empty())
            .collect();
        let role = matches!(
            words.as_slice(),
            ["set", "role", ..]
                | ["set", "session" | "local", "role", ..]
                | ["set", "session", "authorization", ..]
                | ["set", "local" | "session", "session", "authorization", ..]
        );
        if role {
            return Err(self
                .refuse_clause("SET ROLE", &["role", "authorization"], "SET")
                .note("the migrator records each migration in its table as the role it connected as; after a SET ROLE the rest of the migration, and that record, run as another role")
                .help("connect as the role that should own the objects, or create them and write `ALTER ... OWNER TO role` (which the model keeps)"));
        }
        let rest = match words.as_slice() {
            ["set", "session" | "local", "search_path", rest @ ..]
            | ["set", "search_path", rest @ ..] => rest,
            _ => return Ok(()),
        };
        let schemas: Vec<&str> = rest
            .iter()
            .copied()
            .filter(|w| *w != "to")
            .map(|w| w.trim_matches(['\'', '"']))
            .filter(|w| !w.is_empty() && *w != "$user" && *w != "pg_catalog")
            .collect();
        match schemas.first() {
            None | Some(&crate::model::DEFAULT_SCHEMA) => Ok(()),
            Some(_) => Err(self
                .refuse_clause("SET search_path", &["search_path"], "SET")
                .note("unqualified names would land in another schema than `public`, where the model puts them")
                .help("qualify the names instead (`CREATE TABLE app.t ...`), or remove the SET")),
        }
    }

    /// `CREATE ... IF NOT EXISTS` of an object that already exists: a no-op
    /// in PostgreSQL, and so in replay. In schema.sql the second declaration is
    /// most likely meant to count, so it is a located warning there.
    fn skipped_if_not_exists(&self, what: &str, previous: &Origin) -> Res<()> {
        if self.mode == Mode::Migration {
            return Ok(());
        }
        Err(Diagnostic::warning(
            codes::IGNORED_STATEMENT,
            format!("{what} already exists: PostgreSQL skips this `IF NOT EXISTS`, and nothing in it takes effect"),
        )
        .at(&self.origin())
        .related(previous, "declared here first")
        .help("declare each object once, in its final form"))
    }

    /// `VACUUM` or `ANALYZE [tables]`: refused in schema.sql, checked for its
    /// tables in a migration, and otherwise nothing to the model.
    fn maintenance(&self, m: &super::maintenance::Maintenance) -> Res<()> {
        self.not_in_declarative(if m.vacuum { "VACUUM" } else { "ANALYZE" })?;
        for parts in &m.tables {
            let name =
                qualified_parts(parts).map_err(|message| self.err(codes::SYNTAX, message))?;
            if !self.schema.tables.contains_key(&name) && !self.schema.views.contains_key(&name) {
                return Err(self.unknown_table(&name, &self.origin()));
            }
        }
        Ok(())
    }

    fn not_in_declarative(&self, what: &str) -> Res<()> {
        if self.mode == Mode::Declarative {
            return Err(self
                .err(
                    codes::NOT_ALLOWED_HERE,
                    format!("`{what}` is not allowed in a declarative schema file"),
                )
                .note("schema.sql states what the schema is, not how it changes")
                .help(
                    "declare the final form of the object instead; changes belong in migrations",
                ));
        }
        Ok(())
    }

    fn name(&self, name: &ObjectName) -> Res<QualifiedName> {
        qualified(name).map_err(|m| self.err(codes::SYNTAX, m).at(&self.at_name(name)))
    }

    fn table_mut(&mut self, name: &QualifiedName, at: &Origin) -> Res<&mut Table> {
        if !self.schema.tables.contains_key(name) {
            return Err(self.unknown_table(name, at));
        }
        self.schema
            .tables
            .get_mut(name)
            .ok_or_else(|| Diagnostic::error(codes::UNKNOWN_OBJECT, "table vanished"))
    }

    fn unknown_table(&self, name: &QualifiedName, at: &Origin) -> Diagnostic {
        let mut d = Diagnostic::error(
            codes::UNKNOWN_OBJECT,
            format!("table `{name}` does not exist at this point"),
        )
        .at(at);
        if let Some(similar) = closest(
            &name.name,
            self.schema.tables.keys().map(|k| k.name.as_str()),
        ) {
            d = d.help(format!("did you mean `{similar}`?"));
        } else {
            d = d.help(format!(
                "create `{name}` before this statement (statements apply in order)"
            ));
        }
        d
    }

    fn apply(&mut self) -> Res<()> {
        let created = privileges::before_creation(self);
        let applied = self.apply_statement();
        if let Some(before) = created {
            privileges::after_creation(self.schema, &before);
        }
        // What a statement dropped takes its grants with it, even when a
        // later check of the statement fails.
        privileges::prune(self.schema);
        applied?;
        self.check_sequence_names()
    }

    fn apply_statement(&mut self) -> Res<()> {
        let statement = match &self.statement.statement {
            ParsedStatement::AlterSequence {
                sequence,
                if_exists,
                options,
                owned_by,
                restart,
            } => {
                let owned_by = owned_by.as_ref().map(Option::as_deref);
                return self.alter_sequence(sequence, *if_exists, options, owned_by, *restart);
            }
            ParsedStatement::AlterIdentity {
                table,
                if_exists,
                column,
                column_at,
                alteration,
            } => return self.alter_identity(table, *if_exists, column, *column_at, alteration),
            ParsedStatement::RenameSequence {
                sequence,
                if_exists,
                new_name,
            } => return self.rename_sequence(sequence, *if_exists, new_name),
            ParsedStatement::OwnerTo { kind, name, owner } => {
                return self.owner_to(kind, name, owner.clone());
            }
            ParsedStatement::Grant(g) => return self.grant(g),
            ParsedStatement::DefaultPrivileges(d) => return self.default_privileges(d),
            ParsedStatement::AttachIndexPartition { index, partition } => {
                return self.attach_index_partition(index, partition);
            }
            ParsedStatement::Function(f) => return self.function_statement(f),
            ParsedStatement::CreateDomain(cd) => return self.create_domain(cd),
            ParsedStatement::AlterDomain(ad) => return self.alter_domain(ad),
            ParsedStatement::AlterAttributes(aa) => return self.alter_attributes(aa),
            ParsedStatement::AlterColumnStorage(a) => return self.alter_column_storage(a),
            ParsedStatement::CreateTrigger(ct) => return self.create_trigger(ct),
            ParsedStatement::CommentOnTableObject(c) => return self.comment_on_table_object(c),
            ParsedStatement::CommentOnConstraint {
                constraint,
                table,
                domain,
                comment,
            } => {
                return self.comment_on_constraint(constraint, table, *domain, comment.clone());
            }
            ParsedStatement::AlterIndexOptions {
                index,
                if_exists,
                set,
                reset,
            } => return self.alter_index_options(index, *if_exists, set, reset),
            ParsedStatement::CreateView(cv) => return self.create_view(cv),
            ParsedStatement::AlterView(av) => return self.alter_view(av),
            ParsedStatement::Other(o) => return self.other_statement(o),
            // Maintenance: it changes no schema. Only in migrations, on
            // tables that exist (the online lints judge its locks).
            ParsedStatement::Maintenance(m) => return self.maintenance(m),
            ParsedStatement::Sql(s) => s.as_ref(),
        };
        match statement {
            Statement::CreateTable(ct) => self.create_table(ct),
            Statement::AlterTable(at) => self.alter_table_statement(at),
            Statement::CreateIndex(ci) => self.create_index(ci),
            Statement::AlterIndex { name, operation } => {
                self.not_in_declarative("ALTER INDEX")?;
                let AlterIndexOperation::RenameIndex { index_name } = operation;
                let old = self.name(name)?;
                self.check_object_name(index_name, "index")?;
                let new = self.name(index_name)?;
                self.rename_index(&old, &new.name)
            }
            Statement::CreateType {
                name,
                representation,
            } => match representation {
                Some(UserDefinedTypeRepresentation::Enum { labels }) => {
                    self.check_object_name(name, "type")?;
                    let name = self.name(name)?;
                    self.create_enum(name, labels)
                }
                Some(UserDefinedTypeRepresentation::Composite { attributes }) => {
                    self.create_composite(name, attributes)
                }
                _ => Err(unsupported_statement(
                    "CREATE TYPE (other than AS ENUM and AS (...))",
                    &self.origin(),
                )),
            },
            Statement::AlterType(at) => {
                let name = self.name(&at.name)?;
                self.alter_type(&name, &at.operation)
            }
            Statement::Comment {
                object_type,
                object_name,
                comment,
                if_exists,
            } => self.comment(object_type, object_name, comment.clone(), *if_exists),
            Statement::Drop {
                object_type,
                if_exists,
                names,
                cascade,
                // The default behaviour.
                restrict: _,
                purge,
                temporary,
                table,
            } => {
                if *purge || *temporary || table.is_some() {
                    return Err(self.unsupported("`DROP` forms other than PostgreSQL's"));
                }
                self.drop(object_type, names, *if_exists, *cascade)
            }
            Statement::CreateSequence {
                if_not_exists,
                name,
                sequence_options,
                temporary,
            } => {
                if *temporary {
                    return Err(self.refuse_clause("TEMPORARY", &["TEMP"], "CREATE SEQUENCE"));
                }
                self.create_sequence(name, *if_not_exists, sequence_options)
            }
            // Session settings do not change the model, except the search path,
            // which decides where unqualified names land.
            Statement::Set(_) => self.check_search_path(),
            // The migrator runs each migration in a transaction of its own: a
            // COMMIT inside would make the rest of it run outside of it.
            Statement::StartTransaction { .. } | Statement::Commit { .. } => {
                if self.mode == Mode::Migration {
                    let what = if matches!(statement, Statement::Commit { .. }) {
                        "COMMIT / END"
                    } else {
                        "BEGIN / START TRANSACTION"
                    };
                    return Err(self
                        .err(
                            codes::NOT_ALLOWED_HERE,
                            format!("`{what}` is not allowed in a migration"),
                        )
                        .note("the migrator runs each migration, and the row that records it, in one transaction of its own; a COMMIT inside would leave half of it applied if the rest fails")
                        .help("remove it; for statements that cannot run in a transaction (`CREATE INDEX CONCURRENTLY`), write `-- schema: no-transaction` in the up.sql"));
                }
                Ok(())
            }
            Statement::DropDomain(dd) => self.drop_domain(dd),
            Statement::RefreshMaterializedView(r) => self.refresh_view(r),
            Statement::DropTrigger(dt) => self.drop_trigger(dt),
            Statement::AlterTrigger(at) => self.alter_trigger(at),
            Statement::CreatePolicy(cp) => self.create_policy(cp),
            Statement::AlterPolicy(ap) => self.alter_policy(ap),
            Statement::DropPolicy(dp) => self.drop_policy(dp),
            Statement::CreateExtension(ce) => self.create_extension(ce),
            Statement::DropExtension(de) => self.drop_extension(de),
            Statement::CreateSchema {
                schema_name,
                or_replace,
                if_not_exists,
                with,
                options,
                default_collate_spec,
                clone,
            } => self.create_schema(&namespaces::CreateSchema {
                schema_name,
                or_replace: *or_replace,
                if_not_exists: *if_not_exists,
                with: with.as_ref(),
                options: options.as_ref(),
                default_collate_spec: default_collate_spec.is_some(),
                clone: clone.is_some(),
            }),
            Statement::AlterSchema(sqlparser::ast::AlterSchema {
                name,
                if_exists,
                operations,
            }) => self.alter_schema(name, *if_exists, operations),
            Statement::Query(q) => {
                if self.mode == Mode::Migration || is_pg_dump_select(q) {
                    Ok(())
                } else {
                    Err(self
                        .err(
                            codes::NOT_ALLOWED_HERE,
                            "`SELECT` is not allowed in a declarative schema file",
                        )
                        .help("remove it; only `SELECT pg_catalog.set_config(...)` lines from pg_dump are accepted"))
                }
            }
            Statement::Insert(_)
            | Statement::Update(_)
            | Statement::Delete(_)
            | Statement::Truncate(_) => {
                if self.mode == Mode::Migration {
                    Ok(())
                } else {
                    // Read and ignored: a Rails structure.sql ends with
                    // `INSERT INTO "schema_migrations" ...`. A warning, never an error.
                    Err(Diagnostic::warning(
                        codes::IGNORED_STATEMENT,
                        "data statement ignored: schema.sql declares the schema, not its rows",
                    )
                    .at(&self.origin())
                    .note("rows inserted, changed or deleted here never reach the database")
                    .help("move it to a migration if the rows must exist; remove it to silence this warning"))
                }
            }
            other => {
                let text = other.to_string();
                let kind: Vec<&str> = text
                    .split_whitespace()
                    .take_while(|w| w.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
                    .take(3)
                    .collect();
                Err(unsupported_statement(&kind.join(" "), &self.origin()))
            }
        }
    }
}

fn is_pg_dump_select(q: &sqlparser::ast::Query) -> bool {
    let text = q.to_string().to_ascii_lowercase();
    text.starts_with("select pg_catalog.set_config(")
        || text.starts_with("select pg_catalog.setval(")
}
