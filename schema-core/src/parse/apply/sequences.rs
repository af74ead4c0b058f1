//! Sequences: `CREATE SEQUENCE`, `ALTER SEQUENCE` (options, `OWNED BY`,
//! `RESTART`), identity columns' sequence options (`AS IDENTITY (...)`,
//! `ALTER COLUMN ... SET INCREMENT BY ...`) and identity sequences' names.

use sqlparser::ast::{ObjectName, SequenceOptions as AstOptions, Statement};

use super::{Cx, Mode, Res, qualified};
use crate::diagnostic::{Diagnostic, Origin, codes};
use crate::model::names::{self, object_name_parts};
use crate::model::types::TypeSpec;
use crate::model::{QualifiedName, Sequence, SequenceOption, SequenceOptions, SequenceType};
use crate::parse::ParsedStatement;
use crate::parse::alter_sequence::{IdentityAlteration, LocatedOption, expression_value};

impl Cx<'_> {
    /// `SEQUENCE NAME s` in identity options (as pg_dump writes them) is read
    /// only when `s` is the name PostgreSQL gives the identity's sequence anyway
    /// (`table_column_seq`): the model does not carry another.
    pub(super) fn check_sequence_names(&self) -> Res<()> {
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

    pub(super) fn create_sequence(
        &mut self,
        name: &ObjectName,
        if_not_exists: bool,
        options: &[AstOptions],
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
        let written = self.sequence_options(options, "CREATE SEQUENCE")?;
        let values = SequenceOptions::create(SequenceType::BigInt, &strip(&written))
            .map_err(|m| self.refused_values(&m, &written))?;
        self.schema.sequences.insert(
            q.clone(),
            Sequence {
                name: q.clone(),
                owned_by: None,
                options: values,
                comment: None,
                origin: self.at_name(name),
            },
        );
        for o in options {
            if let AstOptions::OwnedBy(owner) = o {
                let parts = owner.as_ref().map(object_name_parts);
                self.alter_sequence_owned_by(&object_name_parts(name), parts.as_deref())?;
            }
        }
        Ok(())
    }

    /// The options of `CREATE SEQUENCE` or an identity's `(...)`, each where
    /// it is written (`OWNED BY` left out: the caller reads it).
    fn sequence_options(&self, options: &[AstOptions], statement: &str) -> Res<Vec<LocatedOption>> {
        let mut out = Vec::new();
        // Where each option's first word is: the n-th of its kind.
        let mut seen: Vec<&str> = Vec::new();
        for option in options {
            let word = match option {
                AstOptions::DataType(_) => "AS",
                AstOptions::IncrementBy(..) => "INCREMENT",
                AstOptions::MinValue(Some(_)) => "MINVALUE",
                AstOptions::MaxValue(Some(_)) => "MAXVALUE",
                AstOptions::MinValue(None) | AstOptions::MaxValue(None) => "NO",
                AstOptions::StartWith(..) => "START",
                AstOptions::Cache(_) => "CACHE",
                AstOptions::Cycle(false) => "CYCLE",
                AstOptions::Cycle(true) => "NO",
                AstOptions::OwnedBy(_) => continue,
            };
            let nth = seen.iter().filter(|w| **w == word).count();
            seen.push(word);
            let at = self.at_nth_word(word, nth).unwrap_or_else(|| self.origin());
            let value = |e: &sqlparser::ast::Expr| {
                expression_value(e).map_err(|m| {
                    Diagnostic::error(codes::SYNTAX, format!("{m} in `{statement}`"))
                        .at(&at)
                        .help("write a whole number between -9223372036854775808 and 9223372036854775807")
                })
            };
            let o = match option {
                AstOptions::DataType(data_type) => {
                    let ty = TypeSpec::from_ast(data_type)
                        .ok()
                        .filter(|spec| !spec.serial)
                        .and_then(|spec| SequenceType::of(&spec.ty));
                    let Some(ty) = ty else {
                        return Err(Diagnostic::error(
                            codes::SYNTAX,
                            format!("sequence type must be smallint, integer, or bigint, not `{data_type}`"),
                        )
                        .at(&at)
                        .help("write `AS smallint`, `AS integer` or `AS bigint`"));
                    };
                    SequenceOption::As(ty)
                }
                AstOptions::IncrementBy(e, _) => SequenceOption::Increment(value(e)?),
                AstOptions::MinValue(e) => {
                    SequenceOption::MinValue(e.as_ref().map(value).transpose()?)
                }
                AstOptions::MaxValue(e) => {
                    SequenceOption::MaxValue(e.as_ref().map(value).transpose()?)
                }
                AstOptions::StartWith(e, _) => SequenceOption::Start(value(e)?),
                AstOptions::Cache(e) => SequenceOption::Cache(value(e)?),
                // `Cycle(true)` is `NO CYCLE`.
                AstOptions::Cycle(no) => SequenceOption::Cycle(!no),
                AstOptions::OwnedBy(_) => continue,
            };
            out.push((o, at.line, at.column));
        }
        Ok(out)
    }

    /// Where the statement's `nth` (0-based) unquoted `word` starts.
    fn at_nth_word(&self, word: &str, nth: usize) -> Option<Origin> {
        if nth == 0 {
            return self.at_words(&[word]);
        }
        let source = &self.file.source;
        let mut found = 0;
        let first = self.statement.origin.line;
        let lines = source
            .text
            .lines()
            .skip(usize::try_from(first).ok()?.saturating_sub(1))
            .zip(first..=self.statement.end_line.max(first));
        for (text, line) in lines {
            let upper = text.to_ascii_uppercase();
            for (i, _) in upper.match_indices(word) {
                let before = upper[..i].chars().next_back();
                let after = upper[i + word.len()..].chars().next();
                let alone =
                    |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphanumeric() && c != '_');
                if alone(before) && alone(after) {
                    if found == nth {
                        let column = u32::try_from(text[..i].chars().count() + 1).ok()?;
                        return Some(Origin::new(source, line, column));
                    }
                    found += 1;
                }
            }
        }
        None
    }

    /// PostgreSQL refuses these option values: its message, at the option it
    /// names (the first option when it names none of them).
    fn refused_values(&self, message: &str, written: &[LocatedOption]) -> Diagnostic {
        let names = |o: &SequenceOption| -> &'static str {
            match o {
                SequenceOption::As(_) => "sequence data type",
                SequenceOption::Increment(_) => "INCREMENT",
                SequenceOption::MinValue(_) => "MINVALUE",
                SequenceOption::MaxValue(_) => "MAXVALUE",
                SequenceOption::Start(_) => "START",
                SequenceOption::Cache(_) => "CACHE",
                SequenceOption::Cycle(_) => "CYCLE",
            }
        };
        let at = written
            .iter()
            .find(|(o, ..)| message.starts_with(names(o)))
            .or_else(|| written.iter().find(|(o, ..)| message.contains(names(o))))
            .or(written.first())
            .map_or_else(
                || self.origin(),
                |(_, line, column)| Origin::clamped(&self.file.source, *line, *column),
            );
        Diagnostic::error(codes::SYNTAX, format!("PostgreSQL refuses these sequence options: {message}"))
            .at(&at)
            .note("a sequence's values lie between its MINVALUE and MAXVALUE, which lie within its type (`AS smallint | integer | bigint`); START lies between them; INCREMENT is not zero; CACHE is at least 1")
            .help("change the values so that PostgreSQL accepts them")
    }

    /// The options of an identity column's sequence (`AS IDENTITY (...)`)
    /// on a column of type `column_type`.
    pub(super) fn identity_options(
        &self,
        options: Option<&[AstOptions]>,
        column_type: &crate::model::SqlType,
    ) -> Res<SequenceOptions> {
        let options = options.unwrap_or_default();
        if options.iter().any(|o| matches!(o, AstOptions::OwnedBy(_))) {
            return Err(self.refuse_clause("OWNED BY", &["OWNED", "BY"], "identity column"));
        }
        let written = self.sequence_options(options, "identity column")?;
        if let Some((_, line, column)) = written
            .iter()
            .find(|(o, ..)| matches!(o, SequenceOption::As(_)))
        {
            return Err(Diagnostic::error(
                codes::SYNTAX,
                "an identity column's sequence has the column's type: PostgreSQL refuses `AS` here (conflicting or redundant options)",
            )
            .at(&Origin::clamped(&self.file.source, *line, *column))
            .help("remove `AS ...`; change the column's type instead"));
        }
        // A column of another type is refused by the caller.
        let base = SequenceType::of(column_type).unwrap_or(SequenceType::BigInt);
        SequenceOptions::create(base, &strip(&written))
            .map_err(|m| self.refused_values(&m, &written))
    }

    /// `ALTER SEQUENCE [IF EXISTS] name option... [RESTART] [OWNED BY ...]`.
    pub(super) fn alter_sequence(
        &mut self,
        sequence: &[String],
        if_exists: bool,
        options: &[LocatedOption],
        owned_by: Option<Option<&[String]>>,
        restart: Option<(u32, u32)>,
    ) -> Res<()> {
        let seq = match sequence {
            [n] => QualifiedName::public(n.clone()),
            [s, n] => QualifiedName::new(s.clone(), n.clone()),
            _ => return Err(self.err(codes::SYNTAX, "bad sequence name")),
        };
        if if_exists && !self.schema.sequences.contains_key(&seq) {
            return Ok(());
        }
        if !options.is_empty() {
            let Some(current) = self.schema.sequences.get(&seq).map(|s| s.options) else {
                return Err(self.unknown_sequence(&seq));
            };
            let mut next = current;
            next.apply(&strip(options), false)
                .map_err(|m| self.refused_values(&m, options))?;
            if let Some(s) = self.schema.sequences.get_mut(&seq) {
                s.options = next;
            }
        }
        if let Some(owner) = owned_by {
            self.alter_sequence_owned_by(sequence, owner)?;
        }
        if options.is_empty() && owned_by.is_none() && !self.schema.sequences.contains_key(&seq) {
            return Err(self.unknown_sequence(&seq));
        }
        match restart {
            Some((line, column)) if self.mode == Mode::Declarative => {
                Err(self.restart_ignored(line, column))
            }
            _ => Ok(()),
        }
    }

    /// `ALTER TABLE t ALTER COLUMN c` `SET GENERATED ...`, `SET option`,
    /// `RESTART`, or `DROP IDENTITY [IF EXISTS]`.
    pub(super) fn alter_identity(
        &mut self,
        table: &[String],
        if_exists: bool,
        column: &str,
        column_at: (u32, u32),
        alteration: &IdentityAlteration,
    ) -> Res<()> {
        let what = match alteration {
            IdentityAlteration::Drop { .. } => "ALTER COLUMN ... DROP IDENTITY",
            IdentityAlteration::Set { .. } => "ALTER COLUMN ... SET (identity options)",
        };
        self.not_in_declarative(what)?;
        let name = match table {
            [n] => QualifiedName::public(n.clone()),
            [s, n] | [_, s, n] => QualifiedName::new(s.clone(), n.clone()),
            _ => return Err(self.err(codes::SYNTAX, "bad table name")),
        };
        if if_exists && !self.schema.tables.contains_key(&name) {
            return Ok(());
        }
        let at = Origin::clamped(&self.file.source, column_at.0, column_at.1);
        let table = self.table_mut(&name, &at)?;
        let Some(c) = table.column_mut(column) else {
            return Err(Diagnostic::error(
                codes::UNKNOWN_OBJECT,
                format!("column `{column}` of table `{name}` does not exist at this point"),
            )
            .at(&at)
            .help("add the column first"));
        };
        let not_identity = || {
            Diagnostic::error(
                codes::NOT_ALLOWED_HERE,
                format!("column `{column}` of table `{name}` is not an identity column"),
            )
            .at(&at)
            .help("add it first: `ALTER COLUMN ... ADD GENERATED ALWAYS AS IDENTITY`")
        };
        match alteration {
            IdentityAlteration::Drop { if_exists } => {
                if c.identity.is_none() && !if_exists {
                    return Err(not_identity());
                }
                c.identity = None;
                c.identity_options = None;
                Ok(())
            }
            IdentityAlteration::Set {
                generated,
                options,
                restart: _,
            } => {
                let Some(mut values) = c
                    .identity_options
                    .as_deref()
                    .copied()
                    .filter(|_| c.identity.is_some())
                else {
                    return Err(not_identity());
                };
                if let Err(m) = values.apply(&strip(options), false) {
                    return Err(self.refused_values(&m, options));
                }
                let Some(c) = self
                    .schema
                    .tables
                    .get_mut(&name)
                    .and_then(|t| t.column_mut(column))
                else {
                    return Err(not_identity());
                };
                c.identity_options = Some(Box::new(values));
                if let Some(kind) = generated {
                    c.identity = Some(*kind);
                }
                Ok(())
            }
        }
    }

    fn unknown_sequence(&self, seq: &QualifiedName) -> Diagnostic {
        self.err(
            codes::UNKNOWN_OBJECT,
            format!("sequence `{seq}` does not exist at this point"),
        )
        .help("create the sequence first")
    }

    /// `RESTART` in schema.sql: it sets where a sequence is, which is data,
    /// not schema. Like a data statement there, a warning that it is ignored.
    pub(super) fn restart_ignored(&self, line: u32, column: u32) -> Diagnostic {
        Diagnostic::warning(
            codes::IGNORED_STATEMENT,
            "`RESTART` ignored: schema.sql declares the schema, not a sequence's current value",
        )
        .at(&Origin::clamped(&self.file.source, line, column))
        .note("the rest of the statement is read; the sequence's next value never reaches the database from here")
        .help("move it to a migration if the value matters; remove it to silence this warning")
    }

    pub(super) fn alter_sequence_owned_by(
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

/// The options without their places.
fn strip(options: &[LocatedOption]) -> Vec<SequenceOption> {
    options.iter().map(|(o, ..)| *o).collect()
}
