//! Changes → SQL, one module per dialect holding only what differs.
//!
//! [`Renderer`] has a default method per piece of SQL (PostgreSQL's spelling);
//! a dialect overrides what it spells differently and returns
//! [`Unsupported`] for what it cannot express, never panicking.

pub mod postgres;
pub mod sqlite;

use std::fmt;

use crate::diff::Change;
use crate::model::names::quote_ident;
use crate::model::{
    Column, Constraint, ConstraintKind, Identity, Index, IndexPart, QualifiedName,
    ReferentialAction, Schema, SqlType,
};

pub use postgres::Postgres;
pub use sqlite::Sqlite;

/// A change a dialect cannot express.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    /// The dialect.
    pub dialect: &'static str,
    /// The change, described.
    pub change: String,
    /// Why.
    pub reason: String,
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} cannot express `{}`: {}",
            self.dialect, self.change, self.reason
        )
    }
}

impl std::error::Error for Unsupported {}

/// One rendered statement, with the comment lines that explain it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Comment lines (without `-- `), e.g. a data-loss warning.
    pub comments: Vec<String>,
    /// The SQL, ending in `;` (empty: the comments alone).
    pub sql: String,
}

impl Statement {
    /// A statement without comments.
    pub fn new(sql: impl Into<String>) -> Self {
        Statement {
            comments: Vec::new(),
            sql: sql.into(),
        }
    }
}

/// Joins statements into a file's text: comments as `-- ` lines, one statement a line.
pub fn to_script(statements: &[Statement]) -> String {
    let mut out = String::new();
    for s in statements {
        for c in &s.comments {
            out.push_str("-- ");
            out.push_str(c);
            out.push('\n');
        }
        // A statement may be comments alone (what a dialect has nothing to do for).
        if !s.sql.is_empty() {
            out.push_str(&s.sql);
            out.push('\n');
        }
    }
    out
}

/// A string literal.
pub fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Why a change loses data, if it does.
pub fn data_loss(change: &Change) -> Option<String> {
    match change {
        Change::DropTable(t) => Some(format!("drops table `{}` and all its rows", t.name)),
        Change::DropColumn { table, column } => Some(format!(
            "drops column `{table}.{}` and the data in it",
            column.name
        )),
        Change::AlterColumn { table, from, to } if narrows(&from.data_type, &to.data_type) => {
            Some(format!(
                "narrows `{table}.{}` from `{}` to `{}`: values that do not fit make it fail",
                to.name, from.data_type, to.data_type
            ))
        }
        Change::RecreateEnum { from, to } => {
            let removed: Vec<&String> = from
                .values
                .iter()
                .filter(|v| !to.values.contains(v))
                .collect();
            if removed.is_empty() {
                None
            } else {
                let list: Vec<String> = removed.iter().map(|v| literal(v)).collect();
                Some(format!(
                    "removes label(s) {} from enum type `{}`: rows holding them make it fail",
                    list.join(", "),
                    from.name
                ))
            }
        }
        _ => None,
    }
}

fn int_rank(t: &SqlType) -> Option<u8> {
    match t {
        SqlType::SmallInt => Some(1),
        SqlType::Integer => Some(2),
        SqlType::BigInt => Some(3),
        SqlType::Numeric {
            precision: None, ..
        } => Some(4),
        _ => None,
    }
}

/// True when converting `from` to `to` can lose information or fail on existing values.
pub fn narrows(from: &SqlType, to: &SqlType) -> bool {
    use SqlType as T;
    if from == to {
        return false;
    }
    match (from, to) {
        (_, T::Text) => false,
        (T::Varchar(_) | T::Char(_), T::Varchar(None)) => false,
        (T::Varchar(Some(a)), T::Varchar(Some(b))) => b < a,
        (T::Char(a), T::Varchar(Some(b)) | T::Char(b)) => b < a,
        (T::Text | T::Varchar(None), T::Varchar(Some(_)) | T::Char(_)) => true,
        (T::Real, T::DoublePrecision) => false,
        (
            T::Numeric {
                precision: Some(p1),
                scale: s1,
            },
            T::Numeric {
                precision: Some(p2),
                scale: s2,
            },
        ) => {
            let (s1, s2) = (s1.unwrap_or(0), s2.unwrap_or(0));
            s2 < s1 || i64::from(*p2) - s2 < i64::from(*p1) - s1
        }
        (
            T::Numeric { .. },
            T::Numeric {
                precision: None, ..
            },
        ) => false,
        (T::Timestamp { precision: a, .. }, T::Timestamp { precision: b, .. })
        | (T::Time { precision: a, .. }, T::Time { precision: b, .. }) => {
            matches!((a, b), (None, Some(_))) || matches!((a, b), (Some(x), Some(y)) if y < x)
        }
        (T::Date, T::Timestamp { .. }) => false,
        (T::Json, T::Jsonb) | (T::Jsonb, T::Json) => false,
        (T::VarBit(Some(a)), T::VarBit(Some(b))) => b < a,
        (T::Bit(_) | T::VarBit(_), T::VarBit(None)) => false,
        _ => match (int_rank(from), int_rank(to)) {
            (Some(a), Some(b)) => b < a,
            _ => true,
        },
    }
}

/// The SQL pieces every dialect needs, spelled as PostgreSQL spells them.
pub trait Renderer {
    /// The dialect's name, for errors.
    fn name(&self) -> &'static str;

    /// An identifier, quoted where needed.
    fn ident(&self, name: &str) -> String {
        quote_ident(name)
    }

    /// A table (or other schema object) name.
    fn object_name(&self, name: &QualifiedName) -> String {
        format!("{}.{}", self.ident(&name.schema), self.ident(&name.name))
    }

    /// A column type.
    ///
    /// # Errors
    /// When the dialect has no such type.
    fn column_type(&self, ty: &SqlType) -> Result<String, Unsupported> {
        Ok(match ty {
            SqlType::Named(n) => self.object_name(n),
            SqlType::Array(inner) => format!("{}[]", self.column_type(inner)?),
            other => other.to_string(),
        })
    }

    /// A column definition as in `CREATE TABLE` (name, type, default, nullability).
    ///
    /// # Errors
    /// When the dialect cannot express the column.
    fn column_def(&self, c: &Column) -> Result<String, Unsupported> {
        let mut out = format!(
            "{} {}",
            self.ident(&c.name),
            self.column_type(&c.data_type)?
        );
        if let Some(g) = &c.generated {
            out.push_str(&format!(" GENERATED ALWAYS AS ({g}) STORED"));
        }
        if let Some(d) = &c.default {
            out.push_str(&format!(" DEFAULT {}", d.as_column_default()));
        }
        match c.identity {
            Some(Identity::Always) => out.push_str(" GENERATED ALWAYS AS IDENTITY"),
            Some(Identity::ByDefault) => out.push_str(" GENERATED BY DEFAULT AS IDENTITY"),
            None => {}
        }
        if !c.nullable {
            out.push_str(" NOT NULL");
        }
        Ok(out)
    }

    /// A constraint's definition after `CONSTRAINT name`.
    fn constraint_body(&self, c: &Constraint) -> String {
        let cols = |v: &[String]| {
            v.iter()
                .map(|c| self.ident(c))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut out = match &c.kind {
            ConstraintKind::PrimaryKey { columns } => format!("PRIMARY KEY ({})", cols(columns)),
            ConstraintKind::Unique {
                columns,
                nulls_not_distinct,
            } => format!(
                "UNIQUE {}({})",
                if *nulls_not_distinct {
                    "NULLS NOT DISTINCT "
                } else {
                    ""
                },
                cols(columns)
            ),
            ConstraintKind::ForeignKey(fk) => {
                let mut s = format!(
                    "FOREIGN KEY ({}) REFERENCES {} ({})",
                    cols(&fk.columns),
                    self.object_name(&fk.ref_table),
                    cols(&fk.ref_columns)
                );
                if fk.match_full {
                    s.push_str(" MATCH FULL");
                }
                if fk.on_update != ReferentialAction::NoAction {
                    s.push_str(&format!(" ON UPDATE {}", fk.on_update.as_sql()));
                }
                if fk.on_delete != ReferentialAction::NoAction {
                    s.push_str(&format!(" ON DELETE {}", fk.on_delete.as_sql()));
                }
                s
            }
            ConstraintKind::Check { expr } => format!("CHECK ({expr})"),
        };
        if c.deferrable {
            out.push_str(" DEFERRABLE");
            if c.initially_deferred {
                out.push_str(" INITIALLY DEFERRED");
            }
        }
        out
    }

    /// `CREATE INDEX`.
    ///
    /// # Errors
    /// When the dialect cannot express the index.
    fn create_index(&self, table: &QualifiedName, i: &Index) -> Result<String, Unsupported> {
        let keys: Vec<String> = i
            .keys
            .iter()
            .map(|k| {
                let mut s = match &k.part {
                    IndexPart::Column(c) => self.ident(c),
                    IndexPart::Expression(e) => format!("({e})"),
                };
                if k.descending {
                    s.push_str(" DESC");
                }
                if k.nulls_first != k.descending {
                    s.push_str(if k.nulls_first {
                        " NULLS FIRST"
                    } else {
                        " NULLS LAST"
                    });
                }
                s
            })
            .collect();
        let mut out = format!(
            "CREATE {}INDEX {} ON {}",
            if i.unique { "UNIQUE " } else { "" },
            self.ident(&i.name),
            self.object_name(table)
        );
        if i.method != "btree" {
            out.push_str(&format!(" USING {}", i.method));
        }
        out.push_str(&format!(" ({})", keys.join(", ")));
        if !i.include.is_empty() {
            let inc: Vec<String> = i.include.iter().map(|c| self.ident(c)).collect();
            out.push_str(&format!(" INCLUDE ({})", inc.join(", ")));
        }
        if i.nulls_not_distinct {
            out.push_str(" NULLS NOT DISTINCT");
        }
        if let Some(p) = &i.predicate {
            out.push_str(&format!(" WHERE {p}"));
        }
        out.push(';');
        Ok(out)
    }

    /// Renders an ordered change list; `from` and `to` are the schemas around it.
    ///
    /// # Errors
    /// The first change the dialect cannot express.
    fn render(
        &self,
        changes: &[Change],
        from: &Schema,
        to: &Schema,
    ) -> Result<Vec<Statement>, Unsupported>;

    /// A data statement of a migration (`INSERT`, `UPDATE`, `DELETE`, written
    /// for PostgreSQL, without its `;`, starting at `origin`) as this dialect
    /// runs it: by default as written.
    ///
    /// # Errors
    /// When the dialect cannot run it as PostgreSQL does.
    fn data_statement(&self, text: &str, origin: &crate::Origin) -> Result<Statement, Unsupported> {
        let _ = origin;
        Ok(Statement::new(format!("{text};")))
    }
}
