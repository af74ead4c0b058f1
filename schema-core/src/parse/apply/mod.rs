//! Applies located statements to a [`Schema`]: the one place that knows what each
//! DDL statement does to the model, shared by `schema.sql` and migration replay.

use sqlparser::ast::{
    AlterColumnOperation, AlterIndexOperation, AlterTableOperation, AlterTypeAddValuePosition,
    AlterTypeOperation, ColumnDef, ColumnOption, CommentObject, ConstraintCharacteristics,
    CreateIndex, CreateTable, DeferrableInitial, Expr, ForeignKeyConstraint, GeneratedAs, Ident,
    IndexColumn, IndexType, NullsDistinctOption, ObjectName, ObjectType, OrderBySort,
    RenameTableNameKind, SequenceOptions, Statement, TableConstraint,
    UserDefinedTypeRepresentation,
};

mod namespaces;

pub use namespaces::BUILTIN_EXTENSION;

use super::{LocatedStatement, ParsedFile, ParsedStatement, unsupported_statement};
use crate::diagnostic::{Diagnostic, Origin, codes};
use crate::directive::Directive;
use crate::model::expr::nextval;
use crate::model::mentions::{
    expression_mentions, index_mentions, references, rename_in_expression, rename_type, uses_type,
};
use crate::model::names::{self, closest, fold_ident, object_name_parts};
use crate::model::types::TypeSpec;
use crate::model::{
    Column, Constraint, ConstraintKind, Directives, EnumType, Expression, ForeignKey, Identity,
    Index, IndexKey, IndexPart, QualifiedName, ReferentialAction, Schema, Sequence, SqlType, Table,
};

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
    if file.deepest > crate::model::depth::INLINE_DEPTH {
        crate::stack::on_big_stack(|| apply_statements(schema, file, mode, diagnostics))
    } else {
        apply_statements(schema, file, mode, diagnostics)
    }
}

/// [`apply_file`] on the current stack.
fn apply_statements(
    schema: &mut Schema,
    file: &ParsedFile,
    mode: Mode,
    diagnostics: &mut Vec<Diagnostic>,
) -> usize {
    let mut previous_end = 0;
    let mut narrow_sequences = Vec::new();
    for statement in &file.statements {
        let directives = file.directives_between(previous_end, statement.origin.line);
        let mut cx = Cx {
            schema,
            mode,
            file,
            statement,
            directives,
            narrow_sequences: &mut narrow_sequences,
        };
        if let Err(d) = cx.apply() {
            diagnostics.push(d);
        }
        previous_end = statement.end_line;
    }
    diagnostics.extend(unowned_narrow_sequences(schema, narrow_sequences));
    file.statements.len()
}

/// A sequence declared `AS smallint` or `AS integer`, and where.
type NarrowSequence = (QualifiedName, SqlType, Origin);

/// `AS smallint` / `AS integer` on a sequence is read only where the model
/// implies it: a sequence owned by a column of that type (what `pg_dump`
/// writes for `serial`). Anywhere else it is refused by name.
fn unowned_narrow_sequences(schema: &Schema, narrow: Vec<NarrowSequence>) -> Vec<Diagnostic> {
    narrow
        .into_iter()
        .filter(|(name, ty, _)| {
            schema.sequences.get(name).is_some_and(|s| {
                let owner_type = s.owned_by.as_ref().and_then(|(t, c)| {
                    schema
                        .tables
                        .get(t)
                        .and_then(|t| t.column(c))
                        .map(|c| &c.data_type)
                });
                owner_type != Some(ty)
            })
        })
        .map(|(name, ty, at)| {
            Diagnostic::error(
                codes::UNSUPPORTED_FEATURE,
                format!("`AS {ty}` is not supported yet on sequence `{name}`: the schema model does not carry a sequence's type"),
            )
            .at(&at)
            .note(format!("it is read only for a sequence owned by a `{ty}` column (`ALTER SEQUENCE {name} OWNED BY table.column`), as pg_dump writes for `serial`"))
            .help("remove `AS ...` (a sequence is `bigint`), or own the sequence by the column it numbers")
        })
        .collect()
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
    let mut narrow_sequences = Vec::new();
    Cx {
        schema,
        mode,
        file,
        statement,
        directives: Vec::new(),
        narrow_sequences: &mut narrow_sequences,
    }
    .apply()?;
    match unowned_narrow_sequences(schema, narrow_sequences)
        .into_iter()
        .next()
    {
        Some(d) => Err(d),
        None => Ok(()),
    }
}

struct Cx<'a> {
    schema: &'a mut Schema,
    mode: Mode,
    file: &'a ParsedFile,
    statement: &'a LocatedStatement,
    directives: Vec<Directive>,
    /// Sequences of the file declared `AS smallint` / `AS integer`.
    narrow_sequences: &'a mut Vec<NarrowSequence>,
}

fn qualified(name: &ObjectName) -> Result<QualifiedName, String> {
    let parts = object_name_parts(name);
    match parts.as_slice() {
        [n] => Ok(QualifiedName::public(n.clone())),
        [s, n] => Ok(QualifiedName::new(s.clone(), n.clone())),
        [_, s, n] => Ok(QualifiedName::new(s.clone(), n.clone())),
        _ => Err(format!("`{name}` is not a valid object name")),
    }
}

fn action(a: &Option<sqlparser::ast::ReferentialAction>) -> ReferentialAction {
    use sqlparser::ast::ReferentialAction as A;
    match a {
        None | Some(A::NoAction) => ReferentialAction::NoAction,
        Some(A::Restrict) => ReferentialAction::Restrict,
        Some(A::Cascade) => ReferentialAction::Cascade,
        Some(A::SetNull) => ReferentialAction::SetNull,
        Some(A::SetDefault) => ReferentialAction::SetDefault,
    }
}

/// The column name of an index key written as a plain column, if it is one.
fn plain_column(e: &Expr) -> Option<String> {
    match e {
        Expr::Identifier(i) => Some(fold_ident(i)),
        Expr::Nested(inner) => plain_column(inner),
        _ => None,
    }
}

/// PostgreSQL's `FigureIndexColname`: the name an index column gets from its
/// expression, `expr` when nothing in it gives one.
fn figure_name(e: &Expr) -> String {
    figure_colname(e).map_or_else(|| "expr".to_string(), |(name, _)| name)
}

/// PostgreSQL's `FigureColnameInternal`: a name and how strong a guess it is
/// (2 for a column, a function or a construct named like one; 1 for a cast's
/// type or `case`).
fn figure_colname(e: &Expr) -> Option<(String, u8)> {
    let strong = |name: &str| Some((name.to_string(), 2));
    match e {
        Expr::Identifier(i) => Some((fold_ident(i), 2)),
        Expr::CompoundIdentifier(parts) => parts.last().map(|i| (fold_ident(i), 2)),
        Expr::Nested(inner) | Expr::Collate { expr: inner, .. } => figure_colname(inner),
        Expr::Function(f) => object_name_parts(&f.name).last().map(|n| (n.clone(), 2)),
        // Constructs the grammar turns into function calls.
        Expr::Floor { .. } => strong("floor"),
        Expr::Ceil { .. } => strong("ceil"),
        Expr::AtTimeZone { .. } => strong("timezone"),
        Expr::Extract { .. } => strong("extract"),
        Expr::Position { .. } => strong("position"),
        Expr::Substring { .. } => strong("substring"),
        Expr::Trim { trim_where, .. } => match trim_where {
            Some(sqlparser::ast::TrimWhereField::Leading) => strong("ltrim"),
            Some(sqlparser::ast::TrimWhereField::Trailing) => strong("rtrim"),
            _ => strong("btrim"),
        },
        Expr::Array(_) => strong("array"),
        Expr::Tuple(_) => strong("row"),
        Expr::Cast {
            expr, data_type, ..
        } => match figure_colname(expr) {
            Some((name, 2)) => Some((name, 2)),
            _ => Some((internal_type_name(data_type), 1)),
        },
        Expr::Case { else_result, .. } => match else_result.as_deref().and_then(figure_colname) {
            Some((name, 2)) => Some((name, 2)),
            _ => Some(("case".to_string(), 1)),
        },
        _ => None,
    }
}

/// The last part of a type name as PostgreSQL's grammar records it: SQL's
/// spellings of built-in types become their internal names (`integer` is `int4`).
fn internal_type_name(data_type: &sqlparser::ast::DataType) -> String {
    match TypeSpec::from_ast(data_type).map(|spec| spec.ty) {
        Ok(SqlType::SmallInt) => "int2".into(),
        Ok(SqlType::Integer) => "int4".into(),
        Ok(SqlType::BigInt) => "int8".into(),
        Ok(SqlType::Real) => "float4".into(),
        Ok(SqlType::DoublePrecision) => "float8".into(),
        Ok(SqlType::Numeric { .. }) => "numeric".into(),
        Ok(SqlType::Boolean) => "bool".into(),
        Ok(SqlType::Varchar(_)) => "varchar".into(),
        Ok(SqlType::Char(_)) => "bpchar".into(),
        Ok(SqlType::Time {
            with_time_zone: true,
            ..
        }) => "timetz".into(),
        Ok(SqlType::Time { .. }) => "time".into(),
        Ok(SqlType::Timestamp {
            with_time_zone: true,
            ..
        }) => "timestamptz".into(),
        Ok(SqlType::Timestamp { .. }) => "timestamp".into(),
        Ok(SqlType::Interval { .. }) => "interval".into(),
        Ok(SqlType::Bit(_)) => "bit".into(),
        Ok(SqlType::VarBit(_)) => "varbit".into(),
        Ok(SqlType::Array(_)) | Err(_) => data_type.to_string().to_ascii_lowercase(),
        Ok(SqlType::Named(name)) => name.name,
        Ok(other) => other.to_string(),
    }
}

/// PostgreSQL's `ChooseIndexColumnNames`: a name repeated within one index
/// gets a number (`lower`, `lower1`).
fn dedup_column_names(names: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        let mut candidate = name.clone();
        let mut i = 0;
        while out.contains(&candidate) {
            i += 1;
            let suffix = i.to_string();
            let base = names::truncate(&name, names::MAX_IDENTIFIER_BYTES - suffix.len());
            candidate = format!("{base}{suffix}");
        }
        out.push(candidate);
    }
    out
}

/// The fields a primary key and a unique constraint share.
struct KeyParts<'k> {
    name: Option<&'k Ident>,
    index_name: Option<&'k Ident>,
    index_type: Option<&'k IndexType>,
    columns: &'k [IndexColumn],
    include: &'k [Ident],
    index_options: &'k [sqlparser::ast::IndexOption],
    characteristics: Option<&'k ConstraintCharacteristics>,
}

/// A description of a constraint before it gets its name.
struct PendingConstraint {
    name: Option<String>,
    kind: ConstraintKind,
    deferrable: bool,
    initially_deferred: bool,
    origin: Origin,
}

impl<'a> Cx<'a> {
    fn origin(&self) -> Origin {
        self.statement.origin.clone()
    }

    fn at_ident(&self, ident: &Ident) -> Origin {
        let start = ident.span.start;
        if start.line == 0 {
            return self.origin();
        }
        Origin::new(
            &self.file.source,
            u32::try_from(start.line).unwrap_or(1),
            u32::try_from(start.column).unwrap_or(1),
        )
    }

    /// The start of a node's span, or the statement's start when it has none.
    fn at_span(&self, node: &impl sqlparser::ast::Spanned) -> Origin {
        let start = node.span().start;
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
        let word = ident.value.to_ascii_lowercase();
        if ident.quote_style.is_some() || !super::keywords::is_reserved(&word) {
            return Ok(());
        }
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
    fn check_search_path(&self) -> Res<()> {
        let text = self.statement.text.to_ascii_lowercase();
        let words: Vec<&str> = text
            .split(|c: char| c.is_whitespace() || c == '=' || c == ',' || c == ';')
            .filter(|w| !w.is_empty())
            .collect();
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
        self.apply_statement()?;
        self.check_sequence_names()
    }

    /// `SEQUENCE NAME s` in identity options (as pg_dump writes them) is read
    /// only when `s` is the name PostgreSQL gives the identity's sequence anyway
    /// (`table_column_seq`): the model does not carry another.
    fn check_sequence_names(&self) -> Res<()> {
        let start = (self.statement.origin.line, self.statement.origin.column);
        let recorded = self.file.sequence_names.iter().filter(|(line, column, _)| {
            (*line, *column) >= start && *line <= self.statement.end_line
        });
        let table = match &self.statement.statement {
            ParsedStatement::Sql(s) => match s.as_ref() {
                Statement::CreateTable(ct) => qualified(&ct.name).ok(),
                Statement::AlterTable(at) => qualified(&at.name).ok(),
                _ => None,
            },
            _ => None,
        };
        let table = table.as_ref().and_then(|t| self.schema.tables.get(t));
        for (line, column, parts) in recorded {
            let expected: Vec<String> = table
                .map(|t| {
                    t.columns
                        .iter()
                        .filter(|c| c.identity.is_some())
                        .map(|c| {
                            names::choose_relation_name(
                                self.schema,
                                &[],
                                &t.name,
                                Some(&c.name),
                                "seq",
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let (schema, name) = match parts.as_slice() {
                [n] => (None, n),
                [.., s, n] => (Some(s), n),
                [] => continue,
            };
            let same_schema = table.is_none_or(|t| schema.is_none_or(|s| *s == t.name.schema));
            if !(same_schema && expected.contains(name)) {
                let at = Origin::new(&self.file.source, *line, *column);
                return Err(self
                    .refuse_clause("SEQUENCE NAME", &[], "identity column")
                    .at(&at)
                    .note(match expected.as_slice() {
                        [] => "the model does not carry an identity sequence's name".to_string(),
                        names => format!(
                            "only the name PostgreSQL would choose is read here: `{}`",
                            names.join("`, `")
                        ),
                    }));
            }
        }
        Ok(())
    }

    fn apply_statement(&mut self) -> Res<()> {
        let statement = match &self.statement.statement {
            ParsedStatement::AlterSequenceOwnedBy { sequence, owned_by } => {
                return self.alter_sequence_owned_by(sequence, owned_by.as_deref());
            }
            ParsedStatement::RenameSequence {
                sequence,
                if_exists,
                new_name,
            } => return self.rename_sequence(sequence, *if_exists, new_name),
            ParsedStatement::OwnerTo { kind, name } => return self.owner_to(kind, name),
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
                _ => Err(unsupported_statement(
                    "CREATE TYPE (other than AS ENUM)",
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
                name: _,
                if_exists: _,
                operations,
            }) => match operations.iter().find(|op| {
                !matches!(
                    op,
                    sqlparser::ast::AlterSchemaOperation::OwnerTo { owner: _ }
                )
            }) {
                // Ownership is not modelled yet.
                None => Ok(()),
                Some(op) => Err(self.unsupported(format!("`ALTER SCHEMA ... {op}`"))),
            },
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

    // ---------------------------------------------------------------- tables

    /// Every field of `CREATE TABLE` is bound here, so a field a new sqlparser
    /// adds is a compile error: the model carries it, or it is refused by name.
    fn refuse_table_clauses(&self, ct: &CreateTable) -> Res<()> {
        let CreateTable {
            or_replace,
            temporary,
            unlogged,
            external,
            dynamic,
            global,
            if_not_exists: _,
            transient,
            volatile,
            iceberg,
            snapshot,
            name: _,
            columns: _,
            constraints: _,
            hive_distribution,
            hive_formats,
            table_options,
            file_format,
            location,
            query,
            sqlite_table_options,
            like,
            clone,
            version,
            comment,
            on_commit,
            on_cluster,
            primary_key,
            order_by,
            partition_by,
            cluster_by,
            clustered_by,
            inherits,
            partition_of,
            for_values,
            copy_grants,
            enable_schema_evolution,
            change_tracking,
            data_retention_time_in_days,
            max_data_extension_time_in_days,
            default_ddl_collation,
            with_aggregation_policy,
            with_row_access_policy,
            with_storage_lifecycle_policy,
            with_tags,
            external_volume,
            with_connection,
            base_location,
            catalog,
            catalog_sync,
            storage_serialization_policy,
            target_lag,
            warehouse,
            refresh_mode,
            initialize,
            require_user,
            diststyle,
            distkey,
            sortkey,
            backup,
            multiset,
            fallback,
            with_data,
        } = ct;
        let options_clause = match table_options {
            sqlparser::ast::CreateTableOptions::None => None,
            sqlparser::ast::CreateTableOptions::With(_) => Some(("WITH (...)", &["WITH"][..])),
            sqlparser::ast::CreateTableOptions::Plain(_) => {
                Some(("TABLESPACE", &["TABLESPACE"][..]))
            }
            sqlparser::ast::CreateTableOptions::Options(_) => {
                Some(("OPTIONS (...)", &["OPTIONS"][..]))
            }
            sqlparser::ast::CreateTableOptions::TableProperties(_) => {
                Some(("TBLPROPERTIES", &["TBLPROPERTIES"][..]))
            }
        };
        // PostgreSQL's clauses first, each with the words that start it.
        let postgres: [(bool, &str, &[&str]); 11] = [
            (*temporary, "TEMPORARY", &["TEMP"]),
            (*unlogged, "UNLOGGED", &["UNLOGGED"]),
            (partition_by.is_some(), "PARTITION BY", &["PARTITION", "BY"]),
            (partition_of.is_some(), "PARTITION OF", &["PARTITION", "OF"]),
            (for_values.is_some(), "FOR VALUES", &["FOR", "VALUES"]),
            (inherits.is_some(), "INHERITS", &["INHERITS"]),
            (on_commit.is_some(), "ON COMMIT", &["ON", "COMMIT"]),
            (query.is_some(), "AS query", &["AS"]),
            (like.is_some(), "LIKE", &["LIKE"]),
            (global.is_some(), "GLOBAL / LOCAL", &[]),
            (*or_replace, "OR REPLACE", &["OR", "REPLACE"]),
        ];
        for (set, clause, words) in postgres {
            if set {
                let words = if clause == "TEMPORARY" && !self.has_words(&["TEMP"]) {
                    &["TEMPORARY"][..]
                } else {
                    words
                };
                return Err(self.refuse_clause(clause, words, "CREATE TABLE"));
            }
        }
        if let Some((clause, words)) = options_clause {
            return Err(self.refuse_clause(clause, words, "CREATE TABLE"));
        }
        // Other dialects' clauses: PostgreSQL's grammar never sets them.
        let foreign = [
            (*external, "EXTERNAL"),
            (*dynamic, "DYNAMIC"),
            (*transient, "TRANSIENT"),
            (*volatile, "VOLATILE"),
            (*iceberg, "ICEBERG"),
            (*snapshot, "SNAPSHOT"),
            (
                *hive_distribution != sqlparser::ast::HiveDistributionStyle::NONE,
                "PARTITIONED BY",
            ),
            (hive_formats.is_some(), "ROW FORMAT / STORED AS"),
            (file_format.is_some(), "STORED AS"),
            (location.is_some(), "LOCATION"),
            (
                *sqlite_table_options != sqlparser::ast::SqliteTableOptions::default(),
                "STRICT / WITHOUT ROWID",
            ),
            (clone.is_some(), "CLONE"),
            (version.is_some(), "AT / BEFORE"),
            (comment.is_some(), "COMMENT"),
            (on_cluster.is_some(), "ON CLUSTER"),
            (primary_key.is_some(), "PRIMARY KEY (table option)"),
            (order_by.is_some(), "ORDER BY"),
            (cluster_by.is_some(), "CLUSTER BY"),
            (clustered_by.is_some(), "CLUSTERED BY"),
            (*copy_grants, "COPY GRANTS"),
            (enable_schema_evolution.is_some(), "ENABLE_SCHEMA_EVOLUTION"),
            (change_tracking.is_some(), "CHANGE_TRACKING"),
            (
                data_retention_time_in_days.is_some(),
                "DATA_RETENTION_TIME_IN_DAYS",
            ),
            (
                max_data_extension_time_in_days.is_some(),
                "MAX_DATA_EXTENSION_TIME_IN_DAYS",
            ),
            (default_ddl_collation.is_some(), "DEFAULT_DDL_COLLATION"),
            (with_aggregation_policy.is_some(), "WITH AGGREGATION POLICY"),
            (with_row_access_policy.is_some(), "WITH ROW ACCESS POLICY"),
            (
                with_storage_lifecycle_policy.is_some(),
                "WITH STORAGE LIFECYCLE POLICY",
            ),
            (with_tags.is_some(), "WITH TAG"),
            (external_volume.is_some(), "EXTERNAL_VOLUME"),
            (with_connection.is_some(), "WITH CONNECTION"),
            (base_location.is_some(), "BASE_LOCATION"),
            (catalog.is_some(), "CATALOG"),
            (catalog_sync.is_some(), "CATALOG_SYNC"),
            (
                storage_serialization_policy.is_some(),
                "STORAGE_SERIALIZATION_POLICY",
            ),
            (target_lag.is_some(), "TARGET_LAG"),
            (warehouse.is_some(), "WAREHOUSE"),
            (refresh_mode.is_some(), "REFRESH_MODE"),
            (initialize.is_some(), "INITIALIZE"),
            (*require_user, "REQUIRE USER"),
            (diststyle.is_some(), "DISTSTYLE"),
            (distkey.is_some(), "DISTKEY"),
            (sortkey.is_some(), "SORTKEY"),
            (backup.is_some(), "BACKUP"),
            (multiset.is_some(), "MULTISET / SET"),
            (fallback.is_some(), "FALLBACK"),
            (with_data.is_some(), "WITH DATA"),
        ];
        match foreign.iter().find(|(set, _)| *set) {
            Some((_, clause)) => Err(self.refuse_clause(clause, &[], "CREATE TABLE")),
            None => Ok(()),
        }
    }

    fn create_table(&mut self, ct: &CreateTable) -> Res<()> {
        let name = self.name(&ct.name)?;
        self.check_object_name(&ct.name, "table")?;
        self.refuse_table_clauses(ct)?;
        if self.schema.tables.contains_key(&name) {
            let previous = self.schema.tables[&name].origin.clone();
            if ct.if_not_exists {
                return self.skipped_if_not_exists(&format!("table `{name}`"), &previous);
            }
            return Err(Diagnostic::error(
                codes::DUPLICATE_OBJECT,
                format!("table `{name}` is created twice"),
            )
            .at(&self.at_name(&ct.name))
            .related(&previous, "first created here")
            .help("remove one of the two definitions"));
        }
        if self.schema.relation_name_taken(&name) {
            return Err(self
                .err(
                    codes::DUPLICATE_OBJECT,
                    format!("relation `{name}` already exists"),
                )
                .help("an index or sequence already has this name; choose another"));
        }
        let mut table = Table::new(name.clone(), self.at_name(&ct.name));
        table.directives = Directives(self.directives.clone());
        self.schema.tables.insert(name.clone(), table);
        let result = self.fill_table(&name, ct);
        if result.is_err() {
            // Leave no half-built table behind: later statements see a clean state.
            self.schema.tables.remove(&name);
            self.schema
                .sequences
                .retain(|_, s| s.owned_by.as_ref().is_none_or(|(t, _)| *t != name));
        }
        result
    }

    fn fill_table(&mut self, name: &QualifiedName, ct: &CreateTable) -> Res<()> {
        let mut pending = Vec::new();
        let mut previous_line = self.statement.origin.line;
        for column in &ct.columns {
            let line = self.at_ident(&column.name).line;
            let directives = self.file.directives_between(previous_line, line);
            previous_line = line;
            self.add_column(name, column, directives, &mut pending)?;
        }
        for constraint in &ct.constraints {
            pending.push(self.table_constraint(constraint)?);
        }
        self.add_constraints(name, merge_duplicate_keys(pending))
    }

    fn add_column(
        &mut self,
        table: &QualifiedName,
        def: &ColumnDef,
        directives: Vec<Directive>,
        pending: &mut Vec<PendingConstraint>,
    ) -> Res<()> {
        let ColumnDef {
            name: column_ident,
            data_type: _,
            options,
        } = def;
        self.check_name(column_ident, "column")?;
        for option in options {
            if let Some(name) = &option.name {
                self.check_name(name, "constraint")?;
            }
        }
        let at = self.at_ident(&def.name);
        let col_name = fold_ident(&def.name);
        let spec = TypeSpec::from_ast(&def.data_type).map_err(|m| {
            Diagnostic::error(codes::UNSUPPORTED_FEATURE, m)
                .at(&at)
                .help("use a PostgreSQL type: integer, bigint, text, varchar(n), numeric(p,s), boolean, timestamptz, uuid, jsonb, an enum, ...")
        })?;
        self.check_type_exists(&spec.ty, &at)?;
        if self
            .schema
            .tables
            .get(table)
            .is_some_and(|t| t.column(&col_name).is_some())
        {
            return Err(Diagnostic::error(
                codes::DUPLICATE_OBJECT,
                format!("column `{col_name}` of table `{table}` already exists"),
            )
            .at(&at)
            .help("rename or remove one of the two columns"));
        }
        let mut column = Column {
            name: col_name.clone(),
            data_type: spec.ty.clone(),
            nullable: true,
            default: None,
            identity: None,
            generated: None,
            comment: None,
            origin: at.clone(),
            directives: Directives(directives),
        };
        let mut saw_null = false;
        for option in &def.options {
            let constraint_name = option.name.as_ref().map(fold_ident);
            match &option.option {
                ColumnOption::Null => saw_null = true,
                ColumnOption::NotNull => column.nullable = false,
                ColumnOption::Default(e) => {
                    if matches!(e, Expr::Collate { .. }) {
                        // PostgreSQL reads `DEFAULT 'x' COLLATE "C"` as the
                        // column's collation, which the model does not carry.
                        return Err(self.refuse_clause(
                            "COLLATE",
                            &["COLLATE"],
                            "column definition",
                        ));
                    }
                    if !crate::model::expr::is_bare_default(e) {
                        return Err(Diagnostic::error(
                                codes::SYNTAX,
                                format!("PostgreSQL needs parentheses around this `DEFAULT` of column `{col_name}`"),
                            )
                            .at(&at)
                            .note("in a column definition, `DEFAULT` takes only a restricted expression: `NOT`, `AND`/`OR`, `IS ...`, `LIKE`, `IN`, `BETWEEN`, `AT TIME ZONE` and `COLLATE` must be parenthesised")
                            .help(format!("write `DEFAULT ({e})`")));
                    }
                    column.default = column_default(e);
                }
                ColumnOption::PrimaryKey(pk) => {
                    column.nullable = false;
                    let mut p = self.primary_key(pk, Some(&col_name))?;
                    p.name = p.name.or(constraint_name);
                    p.origin = at.clone();
                    pending.push(p);
                }
                ColumnOption::Unique(u) => {
                    let mut p = self.unique(u, Some(&col_name))?;
                    p.name = p.name.or(constraint_name);
                    p.origin = at.clone();
                    pending.push(p);
                }
                ColumnOption::ForeignKey(fk) => {
                    let mut p = self.foreign_key(fk, Some(&col_name))?;
                    p.name = p.name.or(constraint_name);
                    p.origin = at.clone();
                    pending.push(p);
                }
                ColumnOption::Check(c) => {
                    let mut p = self.check(c)?;
                    p.name = p.name.or(constraint_name);
                    p.origin = at.clone();
                    pending.push(p);
                }
                ColumnOption::Generated {
                    generated_as,
                    sequence_options,
                    generation_expr,
                    generation_expr_mode,
                    generated_keyword: _,
                } => match (generated_as, generation_expr) {
                    (GeneratedAs::Always | GeneratedAs::ByDefault, None) => {
                        self.identity_options(sequence_options.as_deref())?;
                        column.identity = Some(if *generated_as == GeneratedAs::Always {
                            Identity::Always
                        } else {
                            Identity::ByDefault
                        });
                    }
                    (_, Some(e)) => {
                        if matches!(
                            generation_expr_mode,
                            Some(sqlparser::ast::GeneratedExpressionMode::Virtual)
                        ) {
                            return Err(self.refuse_clause(
                                "VIRTUAL",
                                &["VIRTUAL"],
                                "generated column",
                            ));
                        }
                        column.generated = Some(Expression::from_ast(e));
                    }
                    (GeneratedAs::ExpStored, None) => {
                        return Err(self.unsupported("a generated column without expression"));
                    }
                },
                ColumnOption::Collation(_) => {
                    return Err(self.refuse_clause("COLLATE", &["COLLATE"], "column definition"));
                }
                other => {
                    return Err(Diagnostic::error(
                        codes::UNSUPPORTED_FEATURE,
                        format!("column option `{other}` is not supported by the schema model"),
                    )
                    .at(&at)
                    .help("remove it from the column definition"));
                }
            }
        }
        if saw_null && !column.nullable {
            return Err(Diagnostic::error(
                codes::SYNTAX,
                format!("column `{col_name}` is declared both NULL and NOT NULL"),
            )
            .at(&at)
            .help("keep one of the two"));
        }
        if column.identity.is_some() {
            if !spec.ty.is_integer() {
                return Err(Diagnostic::error(
                    codes::SYNTAX,
                    format!(
                        "identity column `{col_name}` must be smallint, integer or bigint, not `{}`",
                        spec.ty
                    ),
                )
                .at(&at)
                .help("change the type to an integer type"));
            }
            column.nullable = false;
        }
        if spec.serial {
            column.nullable = false;
            let seq_name =
                names::choose_relation_name(self.schema, &[], table, Some(&col_name), "seq");
            let seq = QualifiedName::new(table.schema.clone(), seq_name);
            column.default = Some(nextval(&seq));
            self.schema.sequences.insert(
                seq.clone(),
                Sequence {
                    name: seq,
                    owned_by: Some((table.clone(), col_name.clone())),
                    origin: at.clone(),
                },
            );
        }
        let t = self.table_mut(table, &at)?;
        t.columns.push(column);
        Ok(())
    }

    fn check_type_exists(&self, ty: &SqlType, at: &Origin) -> Res<()> {
        match ty {
            SqlType::Array(inner) => self.check_type_exists(inner, at),
            SqlType::Named(name)
                if !self.schema.enums.contains_key(name)
                    && name.schema == crate::model::DEFAULT_SCHEMA
                    && !self.schema.enums.keys().any(|k| k.name == name.name)
                    && is_unmodelled_builtin_type(&name.name) =>
            {
                Err(Diagnostic::error(
                    codes::UNSUPPORTED_FEATURE,
                    format!(
                        "type `{}` is not supported yet: it is a PostgreSQL type the schema model does not carry",
                        name.name
                    ),
                )
                .at(at)
                .note("it is refused rather than changed, so the database never silently differs from this file")
                .help("use a type the model knows (`text`, `integer`, `jsonb`, ...), or keep this table in a separate SQL file run after migrations"))
            }
            SqlType::Named(name) if !self.schema.enums.contains_key(name) => {
                let mut d = Diagnostic::error(
                    codes::UNKNOWN_OBJECT,
                    format!("type `{name}` does not exist at this point"),
                )
                .at(at);
                d = match closest(
                    &name.name,
                    self.schema.enums.keys().map(|k| k.name.as_str()),
                ) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.help(format!(
                        "declare it first: `CREATE TYPE {name} AS ENUM (...);`"
                    )),
                };
                Err(d)
            }
            _ => Ok(()),
        }
    }

    fn index_columns(&self, columns: &[IndexColumn]) -> Res<Vec<String>> {
        for c in columns {
            if let Expr::Identifier(i) = &c.column.expr {
                self.check_name(i, "column")?;
            }
        }
        columns
            .iter()
            .map(|c| {
                plain_column(&c.column.expr).ok_or_else(|| {
                    self.unsupported(format!("constraint on expression `{}`", c.column.expr))
                })
            })
            .collect()
    }

    /// `DEFERRABLE` / `INITIALLY DEFERRED` as the model keeps them; `NOT ENFORCED`
    /// is refused (PostgreSQL 15 has no such clause for these constraints).
    fn deferral(&self, c: Option<&ConstraintCharacteristics>) -> Res<(bool, bool)> {
        let Some(ConstraintCharacteristics {
            deferrable,
            initially,
            enforced,
        }) = c
        else {
            return Ok((false, false));
        };
        if enforced.is_some() {
            let clause = if *enforced == Some(false) {
                "NOT ENFORCED"
            } else {
                "ENFORCED"
            };
            return Err(self.refuse_clause(clause, &["ENFORCED"], "constraint"));
        }
        let deferred = matches!(initially, Some(DeferrableInitial::Deferred));
        Ok((deferrable.unwrap_or(false) || deferred, deferred))
    }

    /// What a primary key and a unique constraint share: the columns (`column`
    /// when written on one) and deferral, once the clauses the model does not
    /// carry are refused.
    fn key_parts(&self, key: KeyParts<'_>, column: Option<&str>) -> Res<(Vec<String>, bool, bool)> {
        if let Some(n) = key.name {
            self.check_name(n, "constraint")?;
        }
        if !key.include.is_empty() {
            return Err(self.refuse_clause("INCLUDE", &["INCLUDE"], "constraint"));
        }
        if key.index_type.is_some() || !key.index_options.is_empty() {
            return Err(self.refuse_clause("USING", &["USING"], "constraint"));
        }
        if key.index_name.is_some() {
            return Err(self.refuse_clause("index name in a key constraint", &[], "constraint"));
        }
        let (deferrable, initially_deferred) = self.deferral(key.characteristics)?;
        let columns = match column {
            Some(c) => vec![c.to_string()],
            None => self.index_columns(key.columns)?,
        };
        Ok((columns, deferrable, initially_deferred))
    }

    /// A primary key; `column` is the column it is written on, if any.
    fn primary_key(
        &self,
        pk: &sqlparser::ast::PrimaryKeyConstraint,
        column: Option<&str>,
    ) -> Res<PendingConstraint> {
        let sqlparser::ast::PrimaryKeyConstraint {
            name,
            index_name,
            index_type,
            columns,
            include,
            index_options,
            characteristics,
        } = pk;
        let (columns, deferrable, initially_deferred) = self.key_parts(
            KeyParts {
                name: name.as_ref(),
                index_name: index_name.as_ref(),
                index_type: index_type.as_ref(),
                columns,
                include,
                index_options,
                characteristics: characteristics.as_ref(),
            },
            column,
        )?;
        Ok(PendingConstraint {
            name: name.as_ref().map(fold_ident),
            kind: ConstraintKind::PrimaryKey { columns },
            deferrable,
            initially_deferred,
            origin: name
                .as_ref()
                .map_or_else(|| self.at_span(pk), |i| self.at_ident(i)),
        })
    }

    /// A unique constraint; `column` is the column it is written on, if any.
    fn unique(
        &self,
        u: &sqlparser::ast::UniqueConstraint,
        column: Option<&str>,
    ) -> Res<PendingConstraint> {
        let sqlparser::ast::UniqueConstraint {
            name,
            index_name,
            index_type_display,
            index_type,
            columns,
            include,
            index_options,
            characteristics,
            nulls_distinct,
        } = u;
        if *index_type_display != sqlparser::ast::KeyOrIndexDisplay::None {
            return Err(self.refuse_clause("UNIQUE KEY / UNIQUE INDEX", &[], "constraint"));
        }
        let (columns, deferrable, initially_deferred) = self.key_parts(
            KeyParts {
                name: name.as_ref(),
                index_name: index_name.as_ref(),
                index_type: index_type.as_ref(),
                columns,
                include,
                index_options,
                characteristics: characteristics.as_ref(),
            },
            column,
        )?;
        Ok(PendingConstraint {
            name: name.as_ref().map(fold_ident),
            kind: ConstraintKind::Unique {
                columns,
                nulls_not_distinct: matches!(nulls_distinct, NullsDistinctOption::NotDistinct),
            },
            deferrable,
            initially_deferred,
            origin: name
                .as_ref()
                .map_or_else(|| self.at_span(u), |i| self.at_ident(i)),
        })
    }

    /// A check constraint.
    fn check(&self, c: &sqlparser::ast::CheckConstraint) -> Res<PendingConstraint> {
        let sqlparser::ast::CheckConstraint {
            name,
            expr,
            no_inherit,
            enforced,
        } = c;
        if let Some(n) = name {
            self.check_name(n, "constraint")?;
        }
        if *no_inherit {
            return Err(self.refuse_clause("NO INHERIT", &["NO", "INHERIT"], "CHECK constraint"));
        }
        if enforced.is_some() {
            return Err(self.refuse_clause("NOT ENFORCED", &["ENFORCED"], "CHECK constraint"));
        }
        Ok(PendingConstraint {
            name: name.as_ref().map(fold_ident),
            kind: ConstraintKind::Check {
                expr: Expression::from_ast(expr),
            },
            deferrable: false,
            initially_deferred: false,
            origin: name
                .as_ref()
                .map_or_else(|| self.at_span(c), |i| self.at_ident(i)),
        })
    }

    /// A foreign key; `column` is the column it is written on, if any.
    fn foreign_key(
        &self,
        fk: &ForeignKeyConstraint,
        column: Option<&str>,
    ) -> Res<PendingConstraint> {
        let ForeignKeyConstraint {
            name,
            index_name,
            columns,
            foreign_table,
            referred_columns,
            on_delete,
            on_update,
            match_kind,
            characteristics,
        } = fk;
        if let Some(n) = name {
            self.check_name(n, "constraint")?;
        }
        for c in columns.iter().chain(referred_columns) {
            self.check_name(c, "column")?;
        }
        self.check_object_name(foreign_table, "table")?;
        if matches!(
            match_kind,
            Some(sqlparser::ast::ConstraintReferenceMatchKind::Partial)
        ) {
            return Err(self.refuse_clause("MATCH PARTIAL", &["MATCH"], "foreign key"));
        }
        if index_name.is_some() {
            return Err(self.refuse_clause("index name in a foreign key", &[], "foreign key"));
        }
        let ref_table = self.name(foreign_table)?;
        let (deferrable, initially_deferred) = self.deferral(characteristics.as_ref())?;
        let columns = match column {
            Some(c) => vec![c.to_string()],
            None => columns.iter().map(fold_ident).collect(),
        };
        Ok(PendingConstraint {
            name: name.as_ref().map(fold_ident),
            kind: ConstraintKind::ForeignKey(ForeignKey {
                columns,
                ref_table,
                ref_columns: referred_columns.iter().map(fold_ident).collect(),
                on_delete: action(on_delete),
                on_update: action(on_update),
                match_full: matches!(
                    match_kind,
                    Some(sqlparser::ast::ConstraintReferenceMatchKind::Full)
                ),
            }),
            deferrable,
            initially_deferred,
            origin: name
                .as_ref()
                .map_or_else(|| self.origin(), |i| self.at_ident(i)),
        })
    }

    fn table_constraint(&self, constraint: &TableConstraint) -> Res<PendingConstraint> {
        match constraint {
            TableConstraint::PrimaryKey(pk) => self.primary_key(pk, None),
            TableConstraint::Unique(u) => self.unique(u, None),
            TableConstraint::ForeignKey(fk) => self.foreign_key(fk, None),
            TableConstraint::Check(c) => self.check(c),
            other => Err(self
                .unsupported(format!("constraint `{other}`"))
                .at(&self.at_span(other))),
        }
    }

    /// Names and adds constraints in PostgreSQL's order: checks, then primary
    /// key and unique (their indexes), then foreign keys.
    fn add_constraints(
        &mut self,
        table: &QualifiedName,
        pending: Vec<PendingConstraint>,
    ) -> Res<()> {
        let rank = |k: &ConstraintKind| match k {
            ConstraintKind::Check { .. } => 0,
            ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. } => 1,
            ConstraintKind::ForeignKey(_) => 2,
        };
        let mut pending = pending;
        pending.sort_by_key(|p| rank(&p.kind));
        // Names given explicitly are reserved before any is chosen.
        let mut chosen: Vec<String> = pending.iter().filter_map(|p| p.name.clone()).collect();
        for p in pending {
            let name = match p.name.clone() {
                Some(n) => n,
                None => {
                    let n = self.implicit_constraint_name(table, &p.kind, &chosen)?;
                    chosen.push(n.clone());
                    n
                }
            };
            self.add_constraint(table, name, p)?;
        }
        Ok(())
    }

    fn implicit_constraint_name(
        &self,
        table: &QualifiedName,
        kind: &ConstraintKind,
        chosen: &[String],
    ) -> Res<String> {
        Ok(match kind {
            ConstraintKind::PrimaryKey { .. } => {
                names::choose_relation_name(self.schema, chosen, table, None, "pkey")
            }
            ConstraintKind::Unique { columns, .. } => {
                let add = names::name_addition(columns.iter().map(String::as_str));
                names::choose_relation_name(self.schema, chosen, table, Some(&add), "key")
            }
            ConstraintKind::ForeignKey(fk) => {
                let add = names::name_addition(fk.columns.iter().map(String::as_str));
                names::choose_constraint_name(self.schema, chosen, table, Some(&add), "fkey")
            }
            ConstraintKind::Check { expr } => {
                let t = self.schema.tables.get(table);
                let referenced: Vec<&str> = t
                    .map(|t| {
                        t.columns
                            .iter()
                            .filter(|c| expression_mentions(expr, &c.name))
                            .map(|c| c.name.as_str())
                            .collect()
                    })
                    .unwrap_or_default();
                let add = match referenced.as_slice() {
                    [one] => Some(*one),
                    _ => None,
                };
                names::choose_constraint_name(self.schema, chosen, table, add, "check")
            }
        })
    }

    fn add_constraint(
        &mut self,
        table_name: &QualifiedName,
        name: String,
        p: PendingConstraint,
    ) -> Res<()> {
        let mut kind = p.kind;
        // Validate columns.
        let table = self
            .schema
            .tables
            .get(table_name)
            .ok_or_else(|| self.unknown_table(table_name, &p.origin))?;
        for c in kind.columns() {
            if table.column(c).is_none() {
                return Err(Diagnostic::error(
                    codes::UNKNOWN_OBJECT,
                    format!(
                        "column `{c}` named in {} `{name}` does not exist in table `{table_name}`",
                        kind.describe()
                    ),
                )
                .at(&p.origin)
                .help(
                    match closest(c, table.columns.iter().map(|c| c.name.as_str())) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => "add the column or fix the name".to_string(),
                    },
                ));
            }
        }
        if table.constraints.contains_key(&name) {
            return Err(Diagnostic::error(
                codes::DUPLICATE_OBJECT,
                format!("constraint `{name}` of table `{table_name}` already exists"),
            )
            .at(&p.origin)
            .related(&table.constraints[&name].origin, "the existing one")
            .help("give the new constraint another name"));
        }
        if matches!(kind, ConstraintKind::PrimaryKey { .. }) {
            if let Some(existing) = table.primary_key() {
                return Err(Diagnostic::error(
                    codes::DUPLICATE_OBJECT,
                    format!("table `{table_name}` already has a primary key"),
                )
                .at(&p.origin)
                .related(&existing.origin, "declared here")
                .help("a table has at most one primary key; merge the columns into one"));
            }
        }
        if kind.has_index()
            && self
                .schema
                .relation_name_taken(&QualifiedName::new(table_name.schema.clone(), name.clone()))
        {
            return Err(Diagnostic::error(
                codes::DUPLICATE_OBJECT,
                format!("relation `{name}` already exists"),
            )
            .at(&p.origin)
            .help("the constraint's index needs this name; choose another constraint name"));
        }
        if let ConstraintKind::ForeignKey(fk) = &mut kind {
            let referenced = if fk.ref_table == *table_name {
                Some(table)
            } else {
                self.schema.tables.get(&fk.ref_table)
            };
            let Some(referenced) = referenced else {
                return Err(self.unknown_table(&fk.ref_table.clone(), &p.origin));
            };
            if fk.ref_columns.is_empty() {
                fk.ref_columns = referenced.primary_key_columns().to_vec();
                if fk.ref_columns.is_empty() {
                    return Err(Diagnostic::error(
                        codes::UNKNOWN_OBJECT,
                        format!(
                            "there is no primary key for referenced table `{}`",
                            fk.ref_table
                        ),
                    )
                    .at(&p.origin)
                    .help("name the referenced columns: `REFERENCES t (col)`"));
                }
            }
            for c in &fk.ref_columns {
                if referenced.column(c).is_none() {
                    return Err(Diagnostic::error(
                        codes::UNKNOWN_OBJECT,
                        format!(
                            "column `{c}` referenced in foreign key `{name}` does not exist in table `{}`",
                            fk.ref_table
                        ),
                    )
                    .at(&p.origin)
                    .help("reference existing columns of the referenced table"));
                }
            }
            if fk.columns.len() != fk.ref_columns.len() {
                return Err(Diagnostic::error(
                    codes::SYNTAX,
                    format!(
                        "foreign key `{name}` has {} columns but references {}",
                        fk.columns.len(),
                        fk.ref_columns.len()
                    ),
                )
                .at(&p.origin)
                .help("list as many referenced columns as referencing ones"));
            }
        }
        let is_pk = matches!(kind, ConstraintKind::PrimaryKey { .. });
        let pk_columns: Vec<String> = if is_pk {
            kind.columns().to_vec()
        } else {
            Vec::new()
        };
        let table = self.table_mut(table_name, &p.origin)?;
        for c in &pk_columns {
            if let Some(col) = table.column_mut(c) {
                col.nullable = false;
            }
        }
        table.constraints.insert(
            name.clone(),
            Constraint {
                name,
                kind,
                deferrable: p.deferrable,
                initially_deferred: p.initially_deferred,
                origin: p.origin,
            },
        );
        Ok(())
    }

    fn alter_table_statement(&mut self, at: &sqlparser::ast::AlterTable) -> Res<()> {
        let sqlparser::ast::AlterTable {
            name: table,
            if_exists,
            // Tables are neither partitioned nor inherited (both are refused),
            // so `ONLY` changes nothing.
            only: _,
            operations,
            location,
            on_cluster,
            table_type,
            end_token: _,
        } = at;
        if location.is_some() || on_cluster.is_some() || table_type.is_some() {
            return Err(self.unsupported("`ALTER TABLE` forms other than PostgreSQL's"));
        }
        let name = self.name(table)?;
        self.check_object_name(table, "table")?;
        let owner_only = operations
            .iter()
            .all(|op| matches!(op, AlterTableOperation::OwnerTo { .. }));
        if !self.schema.tables.contains_key(&name) {
            // Ownership is not modelled; pg_dump writes `ALTER TABLE s OWNER TO`
            // for a sequence too.
            if *if_exists || (owner_only && self.schema.relation_name_taken(&name)) {
                return Ok(());
            }
            return Err(self.unknown_table(&name, &self.at_name(table)));
        }
        for op in operations {
            self.alter_table(&name, op)?;
        }
        Ok(())
    }

    fn alter_table(&mut self, name: &QualifiedName, op: &AlterTableOperation) -> Res<()> {
        let origin = self.origin();
        match op {
            AlterTableOperation::AddColumn {
                column_keyword: _,
                if_not_exists,
                column_def,
                column_position,
            } => {
                if column_position.is_some() {
                    return Err(self.unsupported("column position (`FIRST`/`AFTER`)"));
                }
                let exists = self
                    .table_mut(name, &origin)?
                    .column(&fold_ident(&column_def.name))
                    .is_some();
                if exists && *if_not_exists {
                    return Ok(());
                }
                let mut pending = Vec::new();
                self.add_column(name, column_def, self.directives.clone(), &mut pending)?;
                self.add_constraints(name, pending)
            }
            AlterTableOperation::DropColumn {
                has_column_keyword: _,
                column_names,
                if_exists,
                drop_behavior,
            } => {
                self.not_in_declarative("ALTER TABLE ... DROP COLUMN")?;
                let cascade = matches!(drop_behavior, Some(sqlparser::ast::DropBehavior::Cascade));
                for c in column_names {
                    self.drop_column(name, &fold_ident(c), *if_exists, cascade)?;
                }
                Ok(())
            }
            AlterTableOperation::AlterColumn { column_name, op } => {
                self.alter_column(name, column_name, op)
            }
            AlterTableOperation::AddConstraint {
                constraint,
                not_valid,
            } => {
                if *not_valid {
                    return Err(self.refuse_clause(
                        "NOT VALID",
                        &["NOT", "VALID"],
                        "ALTER TABLE ... ADD CONSTRAINT",
                    ));
                }
                self.table_mut(name, &origin)?;
                let p = self.table_constraint(constraint)?;
                self.add_constraints(name, vec![p])
            }
            AlterTableOperation::DropConstraint {
                if_exists,
                name: cname,
                drop_behavior,
            } => {
                let exists = self
                    .table_mut(name, &origin)?
                    .constraints
                    .contains_key(&fold_ident(cname));
                if *if_exists && !exists {
                    // pg_dump --clean: dropping what was never created is a no-op.
                    return Ok(());
                }
                self.not_in_declarative("ALTER TABLE ... DROP CONSTRAINT")?;
                let cascade = matches!(drop_behavior, Some(sqlparser::ast::DropBehavior::Cascade));
                self.drop_constraint(name, &fold_ident(cname), *if_exists, cascade)
            }
            AlterTableOperation::RenameColumn {
                old_column_name,
                new_column_name,
            } => {
                self.not_in_declarative("ALTER TABLE ... RENAME COLUMN")?;
                self.check_name(new_column_name, "column")?;
                self.rename_column(
                    name,
                    &fold_ident(old_column_name),
                    &fold_ident(new_column_name),
                )
            }
            AlterTableOperation::RenameTable { table_name } => {
                self.not_in_declarative("ALTER TABLE ... RENAME TO")?;
                let new = match table_name {
                    RenameTableNameKind::As(n) | RenameTableNameKind::To(n) => {
                        self.check_object_name(n, "table")?;
                        self.name(n)?
                    }
                };
                self.rename_table(name, &new.name)
            }
            AlterTableOperation::RenameConstraint { old_name, new_name } => {
                self.not_in_declarative("ALTER TABLE ... RENAME CONSTRAINT")?;
                self.check_name(new_name, "constraint")?;
                self.rename_constraint(name, &fold_ident(old_name), &fold_ident(new_name))
            }
            // Ownership is not modelled yet.
            AlterTableOperation::OwnerTo { new_owner: _ } => Ok(()),
            AlterTableOperation::ValidateConstraint { name: _ } => Err(self.refuse_clause(
                "VALIDATE CONSTRAINT",
                &["VALIDATE", "CONSTRAINT"],
                "ALTER TABLE",
            )),
            AlterTableOperation::AttachPartitionOf { .. }
            | AlterTableOperation::AttachPartition { .. } => {
                Err(self.refuse_clause("ATTACH PARTITION", &["ATTACH", "PARTITION"], "ALTER TABLE"))
            }
            AlterTableOperation::DetachPartitionOf { .. }
            | AlterTableOperation::DetachPartition { .. } => {
                Err(self.refuse_clause("DETACH PARTITION", &["DETACH", "PARTITION"], "ALTER TABLE"))
            }
            AlterTableOperation::SetOptionsParens { .. } => {
                Err(self.refuse_clause("SET (...)", &["SET"], "ALTER TABLE"))
            }
            AlterTableOperation::ResetOptions { .. } => {
                Err(self.refuse_clause("RESET (...)", &["RESET"], "ALTER TABLE"))
            }
            AlterTableOperation::SetLogged | AlterTableOperation::SetUnlogged => {
                Err(self.refuse_clause("SET LOGGED / SET UNLOGGED", &["SET"], "ALTER TABLE"))
            }
            AlterTableOperation::Inherit { .. } | AlterTableOperation::NoInherit { .. } => {
                Err(self.refuse_clause("INHERIT", &[], "ALTER TABLE"))
            }
            other => Err(self.unsupported(format!("`ALTER TABLE ... {other}`"))),
        }
    }

    fn column_mut(&mut self, table: &QualifiedName, column: &Ident) -> Res<&mut Column> {
        let at = self.at_ident(column);
        let col = fold_ident(column);
        let t = self.table_mut(table, &at)?;
        let suggestion =
            closest(&col, t.columns.iter().map(|c| c.name.as_str())).map(str::to_string);
        let Some(c) = t.columns.iter_mut().find(|c| c.name == col) else {
            return Err(Diagnostic::error(
                codes::UNKNOWN_OBJECT,
                format!("column `{col}` of table `{table}` does not exist at this point"),
            )
            .at(&at)
            .help(match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => "add the column first".to_string(),
            }));
        };
        Ok(c)
    }

    fn alter_column(
        &mut self,
        table: &QualifiedName,
        column: &Ident,
        op: &AlterColumnOperation,
    ) -> Res<()> {
        let declarative = self.mode == Mode::Declarative;
        let at = self.at_ident(column);
        match op {
            AlterColumnOperation::SetDefault { value } => {
                self.column_mut(table, column)?.default = column_default(value);
                Ok(())
            }
            AlterColumnOperation::AddGenerated {
                generated_as,
                sequence_options,
            } => {
                self.identity_options(sequence_options.as_deref())?;
                let c = self.column_mut(table, column)?;
                c.identity = Some(match generated_as {
                    Some(GeneratedAs::Always) => Identity::Always,
                    _ => Identity::ByDefault,
                });
                c.nullable = false;
                Ok(())
            }
            _ if declarative => self.not_in_declarative(&format!("ALTER COLUMN ... {op}")),
            AlterColumnOperation::SetNotNull => {
                self.column_mut(table, column)?.nullable = false;
                Ok(())
            }
            AlterColumnOperation::DropNotNull => {
                let col = fold_ident(column);
                let in_pk = self
                    .schema
                    .tables
                    .get(table)
                    .is_some_and(|t| t.primary_key_columns().contains(&col));
                if in_pk {
                    return Err(Diagnostic::error(
                        codes::NOT_ALLOWED_HERE,
                        format!("column `{col}` is in a primary key"),
                    )
                    .at(&at)
                    .help("drop the primary key first"));
                }
                self.column_mut(table, column)?.nullable = true;
                Ok(())
            }
            AlterColumnOperation::DropDefault => {
                self.column_mut(table, column)?.default = None;
                Ok(())
            }
            AlterColumnOperation::SetDataType {
                data_type,
                // How rows are converted: data, not schema.
                using: _,
                had_set: _,
            } => {
                let spec = TypeSpec::from_ast(data_type)
                    .map_err(|m| Diagnostic::error(codes::UNSUPPORTED_FEATURE, m).at(&at))?;
                if spec.serial {
                    return Err(Diagnostic::error(
                        codes::SYNTAX,
                        format!("type `{data_type}` does not exist"),
                    )
                    .at(&at)
                    .help("serial is only a shorthand in CREATE TABLE / ADD COLUMN; use an integer type with a default"));
                }
                self.check_type_exists(&spec.ty, &at)?;
                self.column_mut(table, column)?.data_type = spec.ty;
                Ok(())
            }
            other => Err(self.unsupported(format!("`ALTER COLUMN ... {other}`"))),
        }
    }

    fn drop_column(
        &mut self,
        table_name: &QualifiedName,
        column: &str,
        if_exists: bool,
        cascade: bool,
    ) -> Res<()> {
        let origin = self.origin();
        let exists = self
            .table_mut(table_name, &origin)?
            .column(column)
            .is_some();
        if !exists {
            if if_exists {
                return Ok(());
            }
            return Err(self.err(
                codes::UNKNOWN_OBJECT,
                format!("column `{column}` of table `{table_name}` does not exist at this point"),
            ));
        }
        // Foreign keys of other tables that reference this column.
        let dependents: Vec<(QualifiedName, String)> = self
            .schema
            .foreign_keys_to(table_name)
            .filter(|(_, _, fk)| fk.ref_columns.iter().any(|r| r == column))
            .map(|(t, c, _)| (t.name.clone(), c.name.clone()))
            .collect();
        if !dependents.is_empty() && !cascade {
            return Err(self.dependency_error(
                &format!("column `{column}` of table `{table_name}`"),
                &dependents,
            ));
        }
        for (t, c) in dependents {
            if let Some(t) = self.schema.tables.get_mut(&t) {
                t.constraints.remove(&c);
            }
        }
        let table = self.table_mut(table_name, &origin)?;
        table.columns.retain(|c| c.name != column);
        table.constraints.retain(|_, c| match &c.kind {
            ConstraintKind::Check { expr } => !expression_mentions(expr, column),
            ConstraintKind::ForeignKey(fk) => {
                let self_reference =
                    fk.ref_table == *table_name && fk.ref_columns.iter().any(|r| r == column);
                !(fk.columns.iter().any(|c| c == column) || self_reference)
            }
            k => !k.columns().iter().any(|c| c == column),
        });
        table.indexes.retain(|_, i| !index_mentions(i, column));
        let owned: Vec<QualifiedName> = self
            .schema
            .sequences
            .referring_to(table_name)
            .filter(|(_, s)| {
                s.owned_by
                    .as_ref()
                    .is_some_and(|(t, c)| t == table_name && c == column)
            })
            .map(|(name, _)| name.clone())
            .collect();
        for name in owned {
            self.schema.sequences.remove(&name);
        }
        Ok(())
    }

    fn dependency_error(&self, what: &str, dependents: &[(QualifiedName, String)]) -> Diagnostic {
        let list: Vec<String> = dependents
            .iter()
            .map(|(t, c)| format!("`{c}` on `{t}`"))
            .collect();
        self.err(
            codes::NOT_ALLOWED_HERE,
            format!("cannot drop {what} because other objects depend on it"),
        )
        .note(format!("depended on by {}", list.join(", ")))
        .help("drop the dependent objects first, or add CASCADE")
    }

    fn drop_constraint(
        &mut self,
        table_name: &QualifiedName,
        cname: &str,
        if_exists: bool,
        cascade: bool,
    ) -> Res<()> {
        let origin = self.origin();
        let table = self.table_mut(table_name, &origin)?;
        let Some(constraint) = table.constraints.get(cname).cloned() else {
            if if_exists {
                return Ok(());
            }
            let suggestion =
                closest(cname, table.constraints.keys().map(String::as_str)).map(str::to_string);
            return Err(self
                .err(
                    codes::UNKNOWN_OBJECT,
                    format!("constraint `{cname}` of table `{table_name}` does not exist at this point"),
                )
                .help(match suggestion {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "check the constraint's name (implicit names follow PostgreSQL: `t_pkey`, `t_col_key`, `t_col_fkey`, `t_col_check`)".to_string(),
                }));
        };
        if constraint.kind.has_index() {
            let cols = constraint.kind.columns().to_vec();
            let dependents: Vec<(QualifiedName, String)> = self
                .schema
                .tables
                .values()
                .flat_map(|t| {
                    t.constraints.values().filter_map(|c| match &c.kind {
                        ConstraintKind::ForeignKey(fk)
                            if fk.ref_table == *table_name && fk.ref_columns == cols =>
                        {
                            Some((t.name.clone(), c.name.clone()))
                        }
                        _ => None,
                    })
                })
                .collect();
            if !dependents.is_empty() && !cascade {
                return Err(self.dependency_error(
                    &format!("constraint `{cname}` of table `{table_name}`"),
                    &dependents,
                ));
            }
            for (t, c) in dependents {
                if let Some(t) = self.schema.tables.get_mut(&t) {
                    t.constraints.remove(&c);
                }
            }
        }
        if let Some(t) = self.schema.tables.get_mut(table_name) {
            t.constraints.remove(cname);
        }
        Ok(())
    }

    fn rename_column(&mut self, table_name: &QualifiedName, old: &str, new: &str) -> Res<()> {
        let origin = self.origin();
        let table = self.table_mut(table_name, &origin)?;
        if table.column(new).is_some() {
            return Err(self.err(
                codes::DUPLICATE_OBJECT,
                format!("column `{new}` of table `{table_name}` already exists"),
            ));
        }
        let table = self.table_mut(table_name, &origin)?;
        let Some(col) = table.column_mut(old) else {
            return Err(self.err(
                codes::UNKNOWN_OBJECT,
                format!("column `{old}` of table `{table_name}` does not exist at this point"),
            ));
        };
        col.name = new.to_string();
        let ren = |v: &mut Vec<String>| {
            for c in v.iter_mut() {
                if c == old {
                    *c = new.to_string();
                }
            }
        };
        for c in table.constraints.values_mut() {
            match &mut c.kind {
                ConstraintKind::PrimaryKey { columns } | ConstraintKind::Unique { columns, .. } => {
                    ren(columns)
                }
                ConstraintKind::ForeignKey(fk) => ren(&mut fk.columns),
                ConstraintKind::Check { expr } => *expr = rename_in_expression(expr, old, new),
            }
        }
        for i in table.indexes.values_mut() {
            ren(&mut i.include);
            for k in &mut i.keys {
                match &mut k.part {
                    IndexPart::Column(c) if c == old => *c = new.to_string(),
                    IndexPart::Expression(e) => *e = rename_in_expression(e, old, new),
                    IndexPart::Column(_) => {}
                }
            }
            if let Some(p) = &mut i.predicate {
                *p = rename_in_expression(p, old, new);
            }
        }
        self.schema.tables.update_where(
            |t| references(t, table_name),
            |t| {
                for c in t.constraints.values_mut() {
                    if let ConstraintKind::ForeignKey(fk) = &mut c.kind {
                        if fk.ref_table == *table_name {
                            ren(&mut fk.ref_columns);
                        }
                    }
                }
            },
        );
        self.schema.sequences.update_where(
            |s| {
                s.owned_by
                    .as_ref()
                    .is_some_and(|(t, c)| t == table_name && c == old)
            },
            |s| {
                if let Some((_, c)) = &mut s.owned_by {
                    *c = new.to_string();
                }
            },
        );
        Ok(())
    }

    fn rename_table(&mut self, old: &QualifiedName, new: &str) -> Res<()> {
        let origin = self.origin();
        let new_name = QualifiedName::new(old.schema.clone(), new.to_string());
        self.table_mut(old, &origin)?;
        if self.schema.relation_name_taken(&new_name) {
            return Err(self.err(
                codes::DUPLICATE_OBJECT,
                format!("relation `{new_name}` already exists"),
            ));
        }
        let Some(mut table) = self.schema.tables.remove(old) else {
            return Err(self.unknown_table(old, &origin));
        };
        table.name = new_name.clone();
        self.schema.tables.insert(new_name.clone(), table);
        self.schema.tables.update_where(
            |t| references(t, old),
            |t| {
                for c in t.constraints.values_mut() {
                    if let ConstraintKind::ForeignKey(fk) = &mut c.kind {
                        if fk.ref_table == *old {
                            fk.ref_table = new_name.clone();
                        }
                    }
                }
            },
        );
        self.schema.sequences.update_where(
            |s| s.owned_by.as_ref().is_some_and(|(t, _)| t == old),
            |s| {
                if let Some((t, _)) = &mut s.owned_by {
                    *t = new_name.clone();
                }
            },
        );
        Ok(())
    }

    fn rename_constraint(&mut self, table_name: &QualifiedName, old: &str, new: &str) -> Res<()> {
        let origin = self.origin();
        let table = self.table_mut(table_name, &origin)?;
        if table.constraints.contains_key(new) {
            return Err(self.err(
                codes::DUPLICATE_OBJECT,
                format!("constraint `{new}` of table `{table_name}` already exists"),
            ));
        }
        let table = self.table_mut(table_name, &origin)?;
        let Some(mut c) = table.constraints.remove(old) else {
            return Err(self.err(
                codes::UNKNOWN_OBJECT,
                format!("constraint `{old}` of table `{table_name}` does not exist at this point"),
            ));
        };
        c.name = new.to_string();
        table.constraints.insert(new.to_string(), c);
        Ok(())
    }

    // --------------------------------------------------------------- indexes

    fn create_index(&mut self, ci: &CreateIndex) -> Res<()> {
        let CreateIndex {
            name: _,
            table_name: _,
            using,
            columns,
            unique: _,
            // Builds the same index; the file's own text keeps the word for PostgreSQL.
            concurrently: _,
            r#async,
            if_not_exists: _,
            include: _,
            nulls_distinct: _,
            with,
            predicate: _,
            index_options,
            alter_options,
        } = ci;
        let table_name = self.name(&ci.table_name)?;
        self.check_object_name(&ci.table_name, "table")?;
        if let Some(n) = &ci.name {
            self.check_object_name(n, "index")?;
        }
        for c in &ci.include {
            self.check_name(c, "column")?;
        }
        let at = self.at_name(&ci.table_name);
        if !with.is_empty() {
            return Err(self.refuse_clause("WITH (...)", &["WITH"], "CREATE INDEX"));
        }
        if *r#async || !index_options.is_empty() || !alter_options.is_empty() {
            return Err(self.unsupported("index options other than PostgreSQL's"));
        }
        let method = match using {
            None | Some(IndexType::BTree) => "btree".to_string(),
            Some(IndexType::Hash) => "hash".into(),
            Some(IndexType::GIN) => "gin".into(),
            Some(IndexType::GiST) => "gist".into(),
            Some(IndexType::SPGiST) => "spgist".into(),
            Some(IndexType::BRIN) => "brin".into(),
            Some(IndexType::Bloom) => "bloom".into(),
            Some(IndexType::Custom(i)) => fold_ident(i),
        };
        let mut keys = Vec::new();
        let mut addition = Vec::new();
        for c in columns {
            let IndexColumn {
                column:
                    sqlparser::ast::OrderByExpr {
                        expr,
                        options: sqlparser::ast::OrderByOptions { sort, nulls_first },
                        with_fill,
                    },
                operator_class,
            } = c;
            if operator_class.is_some() {
                return Err(self
                    .refuse_clause("operator class", &[], "CREATE INDEX")
                    .at(&self.at_span(expr)));
            }
            if with_fill.is_some() {
                return Err(self.refuse_clause("WITH FILL", &["WITH", "FILL"], "CREATE INDEX"));
            }
            if let Expr::Collate { .. } = expr {
                // PostgreSQL keeps it as the key's collation, not as an
                // expression: the model does not carry it yet.
                return Err(self.refuse_clause("COLLATE", &["COLLATE"], "CREATE INDEX"));
            }
            if let Expr::Identifier(i) = expr {
                self.check_name(i, "column")?;
            }
            let descending = match sort {
                None | Some(OrderBySort::Asc) => false,
                Some(OrderBySort::Desc) => true,
                Some(OrderBySort::Using(_)) => {
                    return Err(self.refuse_clause("USING operator", &["USING"], "CREATE INDEX"));
                }
            };
            let nulls_first = nulls_first.unwrap_or(descending);
            let part = match plain_column(expr) {
                Some(col) => {
                    addition.push(col.clone());
                    IndexPart::Column(col)
                }
                None => {
                    addition.push(figure_name(expr));
                    IndexPart::Expression(Expression::from_ast(expr))
                }
            };
            keys.push(IndexKey {
                part,
                descending,
                nulls_first,
            });
        }
        let include: Vec<String> = ci.include.iter().map(fold_ident).collect();
        // Included columns count in the implicit name, as key columns do.
        addition.extend(include.iter().cloned());
        let addition = dedup_column_names(addition);
        let name = match &ci.name {
            Some(n) => {
                let q = self.name(n)?;
                if q.schema != table_name.schema && object_name_parts(n).len() > 1 {
                    return Err(self
                        .err(codes::SYNTAX, "an index lives in its table's schema")
                        .help("write the index name without a schema"));
                }
                q.name
            }
            None => names::choose_relation_name(
                self.schema,
                &[],
                &table_name,
                Some(&names::name_addition(addition.iter().map(String::as_str))),
                "idx",
            ),
        };
        let qualified_index = QualifiedName::new(table_name.schema.clone(), name.clone());
        if self.schema.relation_name_taken(&qualified_index) {
            if ci.if_not_exists {
                let previous = self
                    .schema
                    .index_owner(&qualified_index)
                    .and_then(|t| self.schema.tables.get(t))
                    .and_then(|t| t.indexes.get(&qualified_index.name))
                    .map(|i| i.origin.clone());
                return match previous {
                    Some(previous) => {
                        self.skipped_if_not_exists(&format!("index `{qualified_index}`"), &previous)
                    }
                    None => Ok(()),
                };
            }
            return Err(self
                .err(
                    codes::DUPLICATE_OBJECT,
                    format!("relation `{qualified_index}` already exists"),
                )
                .help("give the index another name"));
        }
        let table = self.table_mut(&table_name, &at)?;
        for key in &keys {
            if let IndexPart::Column(c) = &key.part {
                if table.column(c).is_none() {
                    return Err(Diagnostic::error(
                        codes::UNKNOWN_OBJECT,
                        format!(
                            "column `{c}` of table `{table_name}` does not exist at this point"
                        ),
                    )
                    .at(&at)
                    .help("index existing columns"));
                }
            }
        }
        let origin = match &ci.name {
            Some(n) => self.at_name(n),
            None => self.origin(),
        };
        let index = Index {
            name: name.clone(),
            unique: ci.unique,
            method,
            keys,
            include,
            nulls_not_distinct: ci.nulls_distinct == Some(false),
            predicate: ci.predicate.as_ref().map(Expression::from_ast),
            origin,
        };
        self.table_mut(&table_name, &at)?
            .indexes
            .insert(name, index);
        Ok(())
    }

    fn rename_index(&mut self, old: &QualifiedName, new: &str) -> Res<()> {
        let new_q = QualifiedName::new(old.schema.clone(), new.to_string());
        if self.schema.relation_name_taken(&new_q) {
            return Err(self.err(
                codes::DUPLICATE_OBJECT,
                format!("relation `{new_q}` already exists"),
            ));
        }
        let Some(owner) = self.schema.index_owner(old).cloned() else {
            return Err(self.err(
                codes::UNKNOWN_OBJECT,
                format!("index `{old}` does not exist at this point"),
            ));
        };
        if let Some(t) = self.schema.tables.get_mut(&owner) {
            if let Some(mut i) = t.indexes.remove(&old.name) {
                i.name = new.to_string();
                t.indexes.insert(new.to_string(), i);
            }
        }
        Ok(())
    }

    // ----------------------------------------------------------------- enums

    fn create_enum(&mut self, name: QualifiedName, labels: &[Ident]) -> Res<()> {
        if self.schema.enums.contains_key(&name) {
            return Err(self
                .err(
                    codes::DUPLICATE_OBJECT,
                    format!("type `{name}` already exists"),
                )
                .related(&self.schema.enums[&name].origin, "first created here")
                .help("remove one of the two definitions"));
        }
        let mut values: Vec<String> = Vec::new();
        for l in labels {
            if values.contains(&l.value) {
                return Err(self
                    .err(
                        codes::DUPLICATE_OBJECT,
                        format!("enum label `{}` is listed twice", l.value),
                    )
                    .help("remove the repeated label"));
            }
            values.push(l.value.clone());
        }
        self.schema.enums.insert(
            name.clone(),
            EnumType {
                name,
                values,
                origin: self.origin(),
                directives: Directives(self.directives.clone()),
            },
        );
        Ok(())
    }

    fn alter_type(&mut self, name: &QualifiedName, op: &AlterTypeOperation) -> Res<()> {
        self.not_in_declarative("ALTER TYPE")?;
        let Some(e) = self.schema.enums.get(name) else {
            return Err(self
                .err(
                    codes::UNKNOWN_OBJECT,
                    format!("type `{name}` does not exist at this point"),
                )
                .help("create the type first"));
        };
        let mut e = e.clone();
        match op {
            AlterTypeOperation::AddValue(add) => {
                let v = add.value.value.clone();
                if e.values.contains(&v) {
                    if add.if_not_exists {
                        return Ok(());
                    }
                    return Err(self.err(
                        codes::DUPLICATE_OBJECT,
                        format!("enum label `{v}` already exists in `{name}`"),
                    ));
                }
                let at = match &add.position {
                    None => e.values.len(),
                    Some(AlterTypeAddValuePosition::Before(n)) => self.label_index(&e, &n.value)?,
                    Some(AlterTypeAddValuePosition::After(n)) => {
                        self.label_index(&e, &n.value)? + 1
                    }
                };
                e.values.insert(at, v);
            }
            AlterTypeOperation::RenameValue(r) => {
                let i = self.label_index(&e, &r.from.value)?;
                if e.values.contains(&r.to.value) {
                    return Err(self.err(
                        codes::DUPLICATE_OBJECT,
                        format!("enum label `{}` already exists in `{name}`", r.to.value),
                    ));
                }
                e.values[i] = r.to.value.clone();
            }
            AlterTypeOperation::Rename(r) => {
                let new = QualifiedName::new(name.schema.clone(), fold_ident(&r.new_name));
                if self.schema.enums.contains_key(&new) {
                    return Err(self.err(
                        codes::DUPLICATE_OBJECT,
                        format!("type `{new}` already exists"),
                    ));
                }
                self.schema.enums.remove(name);
                e.name = new.clone();
                self.schema.enums.insert(new.clone(), e);
                self.schema.tables.update_where(
                    |t| t.columns.iter().any(|c| uses_type(&c.data_type, name)),
                    |t| {
                        for c in &mut t.columns {
                            rename_type(&mut c.data_type, name, &new);
                        }
                    },
                );
                return Ok(());
            }
        }
        self.schema.enums.insert(name.clone(), e);
        Ok(())
    }

    fn label_index(&self, e: &EnumType, label: &str) -> Res<usize> {
        e.values.iter().position(|v| v == label).ok_or_else(|| {
            self.err(
                codes::UNKNOWN_OBJECT,
                format!("`{label}` is not a label of enum `{}`", e.name),
            )
            .note(format!("its labels are: {}", e.values.join(", ")))
        })
    }

    // ------------------------------------------------------ comments, drops

    fn comment(
        &mut self,
        object_type: &CommentObject,
        object_name: &ObjectName,
        comment: Option<String>,
        if_exists: bool,
    ) -> Res<()> {
        let at = self.at_name(object_name);
        match object_type {
            CommentObject::Table => {
                let name = self.name(object_name)?;
                if if_exists && !self.schema.tables.contains_key(&name) {
                    return Ok(());
                }
                self.table_mut(&name, &at)?.comment = comment;
                Ok(())
            }
            CommentObject::Column => {
                let parts = object_name_parts(object_name);
                let (table, column) = match parts.as_slice() {
                    [t, c] => (QualifiedName::public(t.clone()), c.clone()),
                    [s, t, c] => (QualifiedName::new(s.clone(), t.clone()), c.clone()),
                    _ => {
                        return Err(self
                            .err(
                                codes::SYNTAX,
                                format!("`{object_name}` is not `table.column`"),
                            )
                            .help("write `COMMENT ON COLUMN table.column IS '...'`"));
                    }
                };
                if if_exists && !self.schema.tables.contains_key(&table) {
                    return Ok(());
                }
                let t = self.table_mut(&table, &at)?;
                let Some(c) = t.column_mut(&column) else {
                    return Err(Diagnostic::error(
                        codes::UNKNOWN_OBJECT,
                        format!(
                            "column `{column}` of table `{table}` does not exist at this point"
                        ),
                    )
                    .at(&at));
                };
                c.comment = comment;
                Ok(())
            }
            CommentObject::Extension | CommentObject::Schema => {
                // A migration's own text runs on PostgreSQL as written; in
                // schema.sql the comment would never reach the database.
                if self.mode == Mode::Migration {
                    return Ok(());
                }
                Err(Diagnostic::warning(
                    codes::IGNORED_STATEMENT,
                    format!(
                        "`COMMENT ON {object_type}` ignored: the schema model does not carry comments on {}s yet",
                        object_type.to_string().to_lowercase()
                    ),
                )
                .at(&at)
                .note("`schema new` writes no such comment and `verify` does not compare it")
                .help("set it in a migration, or remove it to silence this warning"))
            }
            other => Err(self.unsupported(format!("`COMMENT ON {other}`"))),
        }
    }

    fn drop(
        &mut self,
        object_type: &ObjectType,
        names: &[ObjectName],
        if_exists: bool,
        cascade: bool,
    ) -> Res<()> {
        for n in names {
            let name = self.name(n)?;
            let at = self.at_name(n);
            if if_exists && !self.exists(object_type, &name) {
                // pg_dump --clean: dropping what was never created is a no-op.
                continue;
            }
            self.not_in_declarative(&format!("DROP {object_type}"))?;
            match object_type {
                ObjectType::Table => self.drop_table(&name, if_exists, cascade, &at)?,
                ObjectType::Index => {
                    let Some(owner) = self.schema.index_owner(&name).cloned() else {
                        if if_exists {
                            continue;
                        }
                        let is_constraint = self.schema.relation_name_taken(&name);
                        let mut d = Diagnostic::error(
                            codes::UNKNOWN_OBJECT,
                            format!("index `{name}` does not exist at this point"),
                        )
                        .at(&at);
                        if is_constraint {
                            d = d.note("this name belongs to a constraint's index").help(
                                "drop the constraint instead: `ALTER TABLE t DROP CONSTRAINT name`",
                            );
                        }
                        return Err(d);
                    };
                    if let Some(t) = self.schema.tables.get_mut(&owner) {
                        t.indexes.remove(&name.name);
                    }
                }
                ObjectType::Type => {
                    if !self.schema.enums.contains_key(&name) {
                        if if_exists {
                            continue;
                        }
                        return Err(Diagnostic::error(
                            codes::UNKNOWN_OBJECT,
                            format!("type `{name}` does not exist at this point"),
                        )
                        .at(&at));
                    }
                    let users: Vec<(QualifiedName, String)> = self
                        .schema
                        .tables
                        .values()
                        .flat_map(|t| {
                            t.columns
                                .iter()
                                .filter(|c| uses_type(&c.data_type, &name))
                                .map(|c| (t.name.clone(), c.name.clone()))
                        })
                        .collect();
                    if !users.is_empty() && !cascade {
                        let list: Vec<String> =
                            users.iter().map(|(t, c)| format!("`{t}.{c}`")).collect();
                        return Err(Diagnostic::error(
                            codes::NOT_ALLOWED_HERE,
                            format!("cannot drop type `{name}` because columns use it"),
                        )
                        .at(&at)
                        .note(format!("used by {}", list.join(", ")))
                        .help("drop or change those columns first, or add CASCADE"));
                    }
                    for (t, c) in users {
                        self.drop_column(&t, &c, true, true)?;
                    }
                    self.schema.enums.remove(&name);
                }
                ObjectType::Sequence => {
                    if self.schema.sequences.remove(&name).is_none() && !if_exists {
                        return Err(Diagnostic::error(
                            codes::UNKNOWN_OBJECT,
                            format!("sequence `{name}` does not exist at this point"),
                        )
                        .at(&at));
                    }
                    let target = nextval(&name);
                    let users: Vec<String> = self
                        .schema
                        .tables
                        .values()
                        .flat_map(|t| {
                            t.columns
                                .iter()
                                .filter(|c| c.default.as_ref() == Some(&target))
                                .map(|c| format!("{}.{}", t.name, c.name))
                        })
                        .collect();
                    if !users.is_empty() && !cascade {
                        return Err(Diagnostic::error(
                            codes::NOT_ALLOWED_HERE,
                            format!(
                                "cannot drop sequence `{name}`: column `{}` uses it",
                                users.join("`, `")
                            ),
                        )
                        .at(&at)
                        .help("drop the column's default first, or add CASCADE"));
                    }
                    self.schema.tables.update_where(
                        |t| {
                            t.columns
                                .iter()
                                .any(|c| c.default.as_ref() == Some(&target))
                        },
                        |t| {
                            for c in &mut t.columns {
                                if c.default.as_ref() == Some(&target) {
                                    c.default = None;
                                }
                            }
                        },
                    );
                }
                ObjectType::Schema => {
                    let schema = object_name_parts(n).join(".");
                    self.drop_schema(&schema, if_exists, cascade, &at)?;
                }
                other => {
                    return Err(unsupported_statement(
                        &format!("DROP {other}"),
                        &self.origin(),
                    ));
                }
            }
        }
        Ok(())
    }

    /// `ALTER {SEQUENCE | TYPE | INDEX} name OWNER TO role`: ownership is not
    /// modelled yet, so it is read and ignored once the object is known to exist.
    fn owner_to(&self, kind: &str, name: &[String]) -> Res<()> {
        let name = match name {
            [n] => QualifiedName::public(n.clone()),
            [s, n] | [_, s, n] => QualifiedName::new(s.clone(), n.clone()),
            _ => return Err(self.err(codes::SYNTAX, "bad object name")),
        };
        let object_type = match kind {
            "SEQUENCE" => ObjectType::Sequence,
            "INDEX" => ObjectType::Index,
            _ => ObjectType::Type,
        };
        if self.exists(&object_type, &name) {
            return Ok(());
        }
        Err(self
            .err(
                codes::UNKNOWN_OBJECT,
                format!(
                    "{} `{name}` does not exist at this point",
                    kind.to_ascii_lowercase()
                ),
            )
            .help("create it before changing its owner (statements apply in order)"))
    }

    /// True when an object of this kind and name exists at this point; kinds
    /// the model does not hold are taken to exist (so dropping them is refused).
    fn exists(&self, object_type: &ObjectType, name: &QualifiedName) -> bool {
        match object_type {
            ObjectType::Table => self.schema.tables.contains_key(name),
            ObjectType::Index => self.schema.index_owner(name).is_some(),
            ObjectType::Sequence => self.schema.sequences.contains_key(name),
            ObjectType::Type => self.schema.enums.contains_key(name),
            // A schema exists for the model once something lives in it.
            ObjectType::Schema => {
                let schema = &name.name;
                self.schema.tables.keys().any(|t| t.schema == *schema)
                    || self.schema.enums.keys().any(|e| e.schema == *schema)
                    || self.schema.sequences.keys().any(|s| s.schema == *schema)
            }
            _ => true,
        }
    }

    fn drop_table(
        &mut self,
        name: &QualifiedName,
        if_exists: bool,
        cascade: bool,
        at: &Origin,
    ) -> Res<()> {
        if !self.schema.tables.contains_key(name) {
            if if_exists {
                return Ok(());
            }
            return Err(self.unknown_table(name, at));
        }
        let dependents: Vec<(QualifiedName, String)> = self
            .schema
            .foreign_keys_to(name)
            .map(|(t, c, _)| (t.name.clone(), c.name.clone()))
            .collect();
        if !dependents.is_empty() && !cascade {
            return Err(self.dependency_error(&format!("table `{name}`"), &dependents));
        }
        for (t, c) in dependents {
            if let Some(t) = self.schema.tables.get_mut(&t) {
                t.constraints.remove(&c);
            }
        }
        self.schema.tables.remove(name);
        let owned: Vec<QualifiedName> = self
            .schema
            .sequences
            .referring_to(name)
            .map(|(sequence, _)| sequence.clone())
            .collect();
        for sequence in owned {
            self.schema.sequences.remove(&sequence);
        }
        Ok(())
    }

    // ------------------------------------------------------------ sequences

    fn create_sequence(
        &mut self,
        name: &ObjectName,
        if_not_exists: bool,
        options: &[SequenceOptions],
    ) -> Res<()> {
        let q = self.name(name)?;
        self.check_object_name(name, "sequence")?;
        if self.schema.sequences.contains_key(&q) {
            if if_not_exists {
                return Ok(());
            }
            return Err(self.err(
                codes::DUPLICATE_OBJECT,
                format!("sequence `{q}` already exists"),
            ));
        }
        if self.schema.relation_name_taken(&q) {
            return Err(self.err(
                codes::DUPLICATE_OBJECT,
                format!("relation `{q}` already exists"),
            ));
        }
        if let Some((ty, at)) = self.sequence_options(options, "CREATE SEQUENCE")? {
            self.narrow_sequences.push((q.clone(), ty, at));
        }
        self.schema.sequences.insert(
            q.clone(),
            Sequence {
                name: q.clone(),
                owned_by: None,
                origin: self.at_name(name),
            },
        );
        for o in options {
            if let SequenceOptions::OwnedBy(Some(owner)) = o {
                let parts = object_name_parts(owner);
                self.alter_sequence_owned_by(&object_name_parts(name), Some(&parts))?;
            }
        }
        Ok(())
    }

    /// Sequence options the model does not carry yet: PostgreSQL's defaults
    /// (which `pg_dump` writes out) are read, any other value is refused by
    /// name. Returns an `AS` type other than `bigint`, which is only right for
    /// a sequence its column owns (checked at the end of the file).
    fn sequence_options(
        &self,
        options: &[SequenceOptions],
        statement: &str,
    ) -> Res<Option<(SqlType, Origin)>> {
        let is_one = |e: &Expr| e.to_string() == "1";
        let mut narrow = None;
        for option in options {
            let refused = match option {
                SequenceOptions::DataType(data_type) => {
                    match TypeSpec::from_ast(data_type).map(|spec| spec.ty) {
                        Ok(SqlType::BigInt) => None,
                        Ok(ty @ (SqlType::SmallInt | SqlType::Integer)) => {
                            let at = self.at_words(&["AS"]).unwrap_or_else(|| self.origin());
                            narrow = Some((ty, at));
                            None
                        }
                        _ => Some(("AS", &["AS"][..])),
                    }
                }
                SequenceOptions::IncrementBy(e, _) => {
                    (!is_one(e)).then_some(("INCREMENT BY", &["INCREMENT"][..]))
                }
                SequenceOptions::MinValue(e) => e
                    .as_ref()
                    .is_some_and(|e| !is_one(e))
                    .then_some(("MINVALUE", &["MINVALUE"][..])),
                SequenceOptions::MaxValue(e) => {
                    e.is_some().then_some(("MAXVALUE", &["MAXVALUE"][..]))
                }
                SequenceOptions::StartWith(e, _) => {
                    (!is_one(e)).then_some(("START WITH", &["START"][..]))
                }
                SequenceOptions::Cache(e) => (!is_one(e)).then_some(("CACHE", &["CACHE"][..])),
                // `Cycle(true)` is `NO CYCLE`, the default.
                SequenceOptions::Cycle(no) => (!no).then_some(("CYCLE", &["CYCLE"][..])),
                SequenceOptions::OwnedBy(_) => None,
            };
            if let Some((clause, words)) = refused {
                return Err(self
                    .refuse_clause(clause, words, statement)
                    .note("sequence options are read only at PostgreSQL's defaults (`START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1 NO CYCLE`), as pg_dump writes them"));
            }
        }
        Ok(narrow)
    }

    /// The options of an identity column's sequence (`AS IDENTITY (...)`).
    fn identity_options(&self, options: Option<&[SequenceOptions]>) -> Res<()> {
        let options = options.unwrap_or_default();
        if options
            .iter()
            .any(|o| matches!(o, SequenceOptions::OwnedBy(_)))
        {
            return Err(self.refuse_clause("OWNED BY", &["OWNED", "BY"], "identity column"));
        }
        if options
            .iter()
            .any(|o| matches!(o, SequenceOptions::DataType(_)))
        {
            return Err(self.refuse_clause("AS", &["AS"], "identity column"));
        }
        self.sequence_options(options, "identity column")
            .map(|_| ())
    }

    fn alter_sequence_owned_by(
        &mut self,
        sequence: &[String],
        owned_by: Option<&[String]>,
    ) -> Res<()> {
        let seq = match sequence {
            [n] => QualifiedName::public(n.clone()),
            [s, n] => QualifiedName::new(s.clone(), n.clone()),
            _ => return Err(self.err(codes::SYNTAX, "bad sequence name")),
        };
        let owner = match owned_by {
            None => None,
            Some([t, c]) => Some((QualifiedName::public(t.clone()), c.clone())),
            Some([s, t, c]) => Some((QualifiedName::new(s.clone(), t.clone()), c.clone())),
            Some(_) => {
                return Err(self
                    .err(codes::SYNTAX, "OWNED BY takes `table.column`")
                    .help("write `ALTER SEQUENCE s OWNED BY table.column`"));
            }
        };
        if let Some((t, c)) = &owner {
            let origin = self.origin();
            let table = self.table_mut(t, &origin)?;
            if table.column(c).is_none() {
                return Err(self.err(
                    codes::UNKNOWN_OBJECT,
                    format!("column `{c}` of table `{t}` does not exist at this point"),
                ));
            }
        }
        let Some(s) = self.schema.sequences.get_mut(&seq) else {
            return Err(self
                .err(
                    codes::UNKNOWN_OBJECT,
                    format!("sequence `{seq}` does not exist at this point"),
                )
                .help("create the sequence first"));
        };
        s.owned_by = owner;
        Ok(())
    }
}

/// PostgreSQL's `transformIndexConstraints`: within one `CREATE TABLE`, a unique
/// constraint on the same columns as the primary key or an earlier unique one is
/// the same index; the survivor (the primary key if either is one) takes the
/// duplicate's name when it has none of its own.
fn merge_duplicate_keys(pending: Vec<PendingConstraint>) -> Vec<PendingConstraint> {
    let key = |p: &PendingConstraint| match &p.kind {
        ConstraintKind::PrimaryKey { columns } => Some((columns.clone(), false)),
        ConstraintKind::Unique {
            columns,
            nulls_not_distinct,
        } => Some((columns.clone(), *nulls_not_distinct)),
        _ => None,
    };
    let mut out: Vec<PendingConstraint> = Vec::with_capacity(pending.len());
    // The primary key first, so it survives a unique constraint written before it.
    let (pks, rest): (Vec<_>, Vec<_>) = pending
        .into_iter()
        .partition(|p| matches!(p.kind, ConstraintKind::PrimaryKey { .. }));
    for p in pks.into_iter().chain(rest) {
        let same = key(&p).and_then(|k| {
            out.iter().position(|o| {
                key(o).is_some_and(|ko| {
                    ko.0 == k.0
                        && (ko.1 == k.1 || matches!(o.kind, ConstraintKind::PrimaryKey { .. }))
                }) && o.deferrable == p.deferrable
                    && o.initially_deferred == p.initially_deferred
            })
        });
        match same {
            Some(i) if !matches!(p.kind, ConstraintKind::PrimaryKey { .. }) => {
                if out[i].name.is_none() {
                    out[i].name = p.name;
                }
            }
            _ => out.push(p),
        }
    }
    out
}

/// A column's `DEFAULT`: PostgreSQL stores no default for `DEFAULT NULL`
/// (nor for `NULL::type`), so neither does the model.
fn column_default(e: &Expr) -> Option<Expression> {
    let default = Expression::from_ast(e);
    (!default.is_null()).then_some(default)
}

/// PostgreSQL's own types that the model has no place for yet (geometry,
/// ranges, system types, ...): refused by name instead of "does not exist".
fn is_unmodelled_builtin_type(name: &str) -> bool {
    const BUILTIN: &[&str] = &[
        "name",
        "oid",
        "regclass",
        "regproc",
        "regprocedure",
        "regoper",
        "regoperator",
        "regtype",
        "regconfig",
        "regdictionary",
        "regnamespace",
        "regrole",
        "regcollation",
        "xid",
        "xid8",
        "cid",
        "tid",
        "pg_lsn",
        "pg_snapshot",
        "txid_snapshot",
        "macaddr8",
        "point",
        "line",
        "lseg",
        "box",
        "path",
        "polygon",
        "circle",
        "int4range",
        "int8range",
        "numrange",
        "tsrange",
        "tstzrange",
        "daterange",
        "int4multirange",
        "int8multirange",
        "nummultirange",
        "tsmultirange",
        "tstzmultirange",
        "datemultirange",
        "\"char\"",
        "char",
        "aclitem",
        "refcursor",
    ];
    BUILTIN.contains(&name)
}

fn is_pg_dump_select(q: &sqlparser::ast::Query) -> bool {
    let text = q.to_string().to_ascii_lowercase();
    text.starts_with("select pg_catalog.set_config(")
        || text.starts_with("select pg_catalog.setval(")
}

#[cfg(test)]
mod tests {
    use crate::model::{Expression, QualifiedName};
    use crate::parse::parse_schema_str;

    fn column_default(sql: &str, table: &str, column: &str) -> Option<Expression> {
        let schema = parse_schema_str("t.sql", sql).unwrap_or_else(|d| panic!("{d:?}"));
        let table = schema.tables.get(&QualifiedName::public(table));
        table
            .and_then(|t| t.column(column))
            .and_then(|c| c.default.clone())
    }

    #[test]
    fn default_null_is_no_default() {
        let sql = "create table t (a text default null, b int default null::integer, c int);
                   alter table t alter column c set default null;";
        assert_eq!(column_default(sql, "t", "a"), None);
        assert_eq!(column_default(sql, "t", "b"), None);
        assert_eq!(column_default(sql, "t", "c"), None);
    }

    #[test]
    fn implicit_index_names_follow_postgres() {
        let sql = "create table r (id int, a text, b text, v numeric, n text);
            create index on r ((v::integer));
            create index on r (((v + 1)::integer));
            create index on r (lower(a), lower(b));
            create index on r (a, a);
            create index on r ((case when v > 0 then a else b end));
            create index on r ((case when v > 0 then 'x' end));
            create index on r ((v * 2));
            create index on r (id) include (n);";
        let schema = parse_schema_str("t.sql", sql).unwrap_or_else(|d| panic!("{d:?}"));
        let table = schema.tables.get(&QualifiedName::public("r"));
        let mut names: Vec<&str> = table
            .map(|t| t.indexes.keys().map(String::as_str).collect())
            .unwrap_or_default();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "r_a_a1_idx",
                "r_b_idx",
                "r_case_idx",
                "r_expr_idx",
                "r_id_n_idx",
                "r_int4_idx",
                "r_lower_lower1_idx",
                "r_v_idx",
            ]
        );
    }

    #[test]
    fn serial_default_names_its_sequence_as_regclass_prints_it() {
        let sql = "create table \"Diary\" (\"Entry\" serial primary key);";
        assert_eq!(
            column_default(sql, "Diary", "Entry"),
            Expression::parse("nextval('\"Diary_Entry_seq\"'::regclass)").ok()
        );
    }
}
