//! Sequences: `CREATE SEQUENCE`, `ALTER SEQUENCE ... OWNED BY`, the sequence
//! options the model reads (PostgreSQL's defaults) and identity sequences'
//! options and names.

use sqlparser::ast::{Expr, ObjectName, SequenceOptions, Statement};

use super::{Cx, Res, qualified};
use crate::diagnostic::{Diagnostic, Origin, codes};
use crate::model::names::{self, object_name_parts};
use crate::model::types::TypeSpec;
use crate::model::{QualifiedName, Schema, Sequence, SqlType};
use crate::parse::ParsedStatement;

/// A sequence declared `AS smallint` or `AS integer`, and where.
pub(super) type NarrowSequence = (QualifiedName, SqlType, Origin);

/// `AS smallint` / `AS integer` on a sequence is read only where the model
/// implies it: a sequence owned by a column of that type (what `pg_dump`
/// writes for `serial`). Anywhere else it is refused by name.
pub(super) fn unowned_narrow_sequences(
    schema: &Schema,
    narrow: Vec<NarrowSequence>,
) -> Vec<Diagnostic> {
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
    pub(super) fn identity_options(&self, options: Option<&[SequenceOptions]>) -> Res<()> {
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
