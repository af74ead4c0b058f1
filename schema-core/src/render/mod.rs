//! Changes → SQL, one module per dialect holding only what differs.
//!
//! [`Renderer`] has a default method per piece of SQL (identifiers, types,
//! column and constraint definitions, `CREATE INDEX`) and per kind of
//! [`Change`] (`render_create_table`, `render_add_column`, ...), all in
//! PostgreSQL's spelling: [`Postgres`] is the defaults. A dialect overrides
//! the pieces and changes it spells differently, says in
//! [`Renderer::refusal`] what it cannot express (an [`Unsupported`], never a
//! panic), and may wrap the whole list in [`Renderer::render`] as [`Sqlite`]
//! does for its table rebuilds. Each per-change method gets a [`Context`]:
//! the change list, the schemas around it and the change at hand.

pub mod declarative;
mod functions;
mod loss;
pub mod postgres;
pub mod sqlite;
pub mod triggers;
pub(crate) mod views;

use std::fmt;

use crate::diff::{Change, TableFlags};
use crate::model::names::quote_ident;
use crate::model::{
    Column, CompositeType, Constraint, ConstraintKind, Domain, EnumType, Extension, Identity,
    Index, IndexKey, IndexPart, QualifiedName, ReferentialAction, Schema, Sequence, SequenceType,
    SqlType, StorageParameters, Table, View,
};

pub use loss::{data_loss, narrows};
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

/// A change list being rendered, and the change at hand (one of the list).
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The ordered change list.
    pub changes: &'a [Change],
    /// The schema before the list.
    pub from: &'a Schema,
    /// The schema after it.
    pub to: &'a Schema,
    /// The change being rendered.
    pub change: &'a Change,
}

impl Context<'_> {
    /// `dialect` cannot express the change at hand, because of `reason`.
    pub fn unsupported(&self, dialect: &'static str, reason: impl Into<String>) -> Unsupported {
        Unsupported {
            dialect,
            change: self.change.to_string(),
            reason: reason.into(),
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

/// What rendering one change gives: its statements, or why the dialect cannot.
pub type Rendered = Result<Vec<Statement>, Unsupported>;

/// One statement, rendered.
fn one(sql: String) -> Rendered {
    Ok(vec![Statement::new(sql)])
}

/// `ALTER DEFAULT PRIVILEGES ...;` for a [`Change::DefaultPrivileges`] (empty
/// for any other change).
pub(crate) fn default_privileges_sql(change: &Change) -> String {
    let Change::DefaultPrivileges {
        role,
        schema,
        objects,
        grantee,
        privileges,
        revoke,
        option_only,
        grantable,
    } = change
    else {
        return String::new();
    };
    let mut out = String::from("ALTER DEFAULT PRIVILEGES");
    if let Some(r) = role {
        out.push_str(&format!(" FOR ROLE {}", quote_ident(r)));
    }
    if let Some(s) = schema {
        out.push_str(&format!(" IN SCHEMA {}", quote_ident(s)));
    }
    out.push(' ');
    out.push_str(&grant_statement(
        GrantWords {
            revoke: *revoke,
            option_only: *option_only,
            grantable: *grantable,
        },
        &privilege_list_sql(privileges, None, quote_ident),
        objects.keyword(),
        &grantee_sql(grantee, quote_ident),
    ));
    out
}

/// Which of `GRANT` and `REVOKE` a statement is, and its options.
#[derive(Clone, Copy)]
struct GrantWords {
    /// `REVOKE` rather than `GRANT`.
    revoke: bool,
    /// `REVOKE GRANT OPTION FOR`.
    option_only: bool,
    /// `GRANT ... WITH GRANT OPTION`.
    grantable: bool,
}

/// `GRANT list ON target TO grantee [WITH GRANT OPTION];` or `REVOKE [GRANT
/// OPTION FOR] list ON target FROM grantee;`: the one spelling of both, for
/// objects and for `ALTER DEFAULT PRIVILEGES`.
fn grant_statement(words: GrantWords, list: &str, target: &str, grantee: &str) -> String {
    if words.revoke {
        let option = if words.option_only {
            "GRANT OPTION FOR "
        } else {
            ""
        };
        format!("REVOKE {option}{list} ON {target} FROM {grantee};")
    } else {
        let option = if words.grantable {
            " WITH GRANT OPTION"
        } else {
            ""
        };
        format!("GRANT {list} ON {target} TO {grantee}{option};")
    }
}

/// `SELECT, UPDATE` or, for a column, `SELECT (c), UPDATE (c)`.
fn privilege_list_sql(
    privileges: &[crate::model::privileges::Privilege],
    column: Option<&str>,
    ident: impl Fn(&str) -> String,
) -> String {
    privileges
        .iter()
        .map(|p| match column {
            Some(c) => format!("{} ({})", p.keyword(), ident(c)),
            None => p.keyword().to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A role, or `PUBLIC`.
fn grantee_sql(grantee: &str, ident: impl Fn(&str) -> String) -> String {
    if grantee == crate::model::privileges::PUBLIC {
        grantee.to_string()
    } else {
        ident(grantee)
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
        if let Some(method) = c.compression {
            out.push_str(&format!(" COMPRESSION {method}"));
        }
        if let Some(collation) = &c.collation {
            out.push_str(&format!(" COLLATE {}", self.ident(collation)));
        }
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
        if c.identity.is_some() {
            out.push_str(&postgres::identity_options(c));
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
        let include = |v: &[String]| {
            if v.is_empty() {
                String::new()
            } else {
                format!(" INCLUDE ({})", cols(v))
            }
        };
        let mut out = match &c.kind {
            ConstraintKind::PrimaryKey {
                columns,
                include: i,
            } => {
                format!("PRIMARY KEY ({}){}", cols(columns), include(i))
            }
            ConstraintKind::Unique {
                columns,
                nulls_not_distinct,
                include: i,
            } => format!(
                "UNIQUE {}({}){}",
                if *nulls_not_distinct {
                    "NULLS NOT DISTINCT "
                } else {
                    ""
                },
                cols(columns),
                include(i)
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
            ConstraintKind::Exclude(x) => {
                let elements: Vec<String> = x
                    .elements
                    .iter()
                    .map(|e| format!("{} WITH {}", self.index_key_sql(&e.key), e.operator))
                    .collect();
                let mut s = format!("EXCLUDE USING {} ({})", x.method, elements.join(", "));
                s.push_str(&include(&x.include));
                if let Some(p) = &x.predicate {
                    s.push_str(&format!(" WHERE ({p})"));
                }
                s
            }
        };
        if c.deferrable {
            out.push_str(" DEFERRABLE");
            if c.initially_deferred {
                out.push_str(" INITIALLY DEFERRED");
            }
        }
        out
    }

    /// One index key (of an index or an exclusion constraint): column or
    /// `(expression)`, collation, operator class, order.
    fn index_key_sql(&self, k: &IndexKey) -> String {
        let mut s = match &k.part {
            IndexPart::Column(c) => self.ident(c),
            IndexPart::Expression(e) => format!("({e})"),
        };
        if let Some(c) = &k.collation {
            s.push_str(&format!(" COLLATE {}", self.ident(c)));
        }
        if let Some(o) = &k.opclass {
            s.push(' ');
            if let Some(schema) = &o.schema {
                s.push_str(&format!("{}.", self.ident(schema)));
            }
            s.push_str(&self.ident(&o.name));
            if !o.parameters.is_empty() {
                s.push_str(&format!(" ({})", o.parameters.to_sql()));
            }
        }
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
    }

    /// `CREATE INDEX`.
    ///
    /// # Errors
    /// When the dialect cannot express the index.
    fn create_index(&self, table: &QualifiedName, i: &Index) -> Result<String, Unsupported> {
        let keys: Vec<String> = i.keys.iter().map(|k| self.index_key_sql(k)).collect();
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
        if !i.options.is_empty() {
            out.push_str(&format!(" WITH ({})", i.options.to_sql()));
        }
        if let Some(p) = &i.predicate {
            out.push_str(&format!(" WHERE {p}"));
        }
        out.push(';');
        Ok(out)
    }

    /// Why this dialect cannot express the change at hand, checked before it
    /// is rendered; `None` (the default) when it can.
    fn refusal(&self, _cx: &Context<'_>) -> Option<String> {
        None
    }

    /// The statements of the change at hand: its [`refusal`](Self::refusal),
    /// else what the method of its kind renders.
    ///
    /// # Errors
    /// When the dialect cannot express the change.
    fn render_change(&self, cx: &Context<'_>) -> Rendered {
        if let Some(reason) = self.refusal(cx) {
            return Err(cx.unsupported(self.name(), reason));
        }
        match cx.change {
            Change::CreateEnum(e) => self.render_create_enum(cx, e),
            Change::DropEnum(e) => self.render_drop_enum(cx, e),
            Change::AddEnumValue {
                name,
                value,
                before,
            } => self.render_add_enum_value(cx, name, value, before.as_deref()),
            Change::RecreateEnum { from, to } => self.render_recreate_enum(cx, from, to),
            Change::CreateView(v) => self.render_create_view(cx, v),
            Change::DropView(v) => self.render_drop_view(cx, v),
            Change::ReplaceView { from, to } => self.render_replace_view(cx, from, to),
            Change::RenameView { from, to } => self.render_rename_view(cx, from, to),
            Change::AlterView { from, to } => self.render_alter_view(cx, from, to),
            Change::CreateTrigger(_)
            | Change::DropTrigger(_)
            | Change::ReplaceTrigger { .. }
            | Change::AlterTrigger { .. }
            | Change::CreatePolicy(_)
            | Change::DropPolicy(_)
            | Change::AlterPolicy { .. } => self.render_trigger_or_policy(cx),
            Change::CreateDomain(d) => self.render_create_domain(cx, d),
            Change::DropDomain(d) => self.render_drop_domain(cx, d),
            Change::ReplaceDomain { from, to } => {
                let mut out = self.render_drop_domain(cx, from)?;
                out.extend(self.render_create_domain(cx, to)?);
                Ok(out)
            }
            Change::AlterDomain { from, to } => self.render_alter_domain(cx, from, to),
            Change::CreateComposite(c) => self.render_create_composite(cx, c),
            Change::DropComposite(c) => self.render_drop_composite(cx, c),
            Change::ReplaceComposite { from, to } => {
                if !composite_users(cx.from, &from.name).is_empty() {
                    return self.convert_composite(cx, from, to, "dropped and created again");
                }
                let mut out = self.render_drop_composite(cx, from)?;
                out.extend(self.render_create_composite(cx, to)?);
                Ok(out)
            }
            Change::AlterComposite { from, to } => {
                let retyped = from
                    .attributes
                    .iter()
                    .any(|a| to.attributes.iter().any(|b| b.name == a.name && b != a));
                if retyped && !composite_users(cx.from, &from.name).is_empty() {
                    return self.convert_composite(
                        cx,
                        from,
                        to,
                        "given an attribute of another type",
                    );
                }
                self.render_alter_composite(cx, from, to)
            }
            Change::CreateSchema(n) => self.render_create_schema(cx, n),
            Change::DropSchema(n) => self.render_drop_schema(cx, n),
            Change::CreateExtension(e) => self.render_create_extension(cx, e),
            Change::DropExtension(e) => self.render_drop_extension(cx, e),
            Change::ReplaceExtension { from, to } => self.render_replace_extension(cx, from, to),
            Change::CreateSequence(s) => self.render_create_sequence(cx, s),
            Change::RenameSequence { from, to } => self.render_rename_sequence(cx, from, to),
            Change::DropSequence(s) => self.render_drop_sequence(cx, s),
            Change::AlterSequence { from, to } => self.render_alter_sequence(cx, from, to),
            Change::CreateTable(t) => self.render_create_table(cx, t),
            Change::DropTable(t) => self.render_drop_table(cx, t),
            Change::RenameTable { from, to } => self.render_rename_table(cx, from, to),
            Change::RenameType { kind, from, to } => self.render_rename_type(cx, *kind, from, to),
            Change::RenameConstraint { table, from, to } => {
                self.render_rename_constraint(cx, table, from, to)
            }
            Change::RenameIndex { table, from, to } => {
                self.render_rename_index(cx, table, from, to)
            }
            Change::RenameColumn { table, from, to } => {
                self.render_rename_column(cx, table, from, to)
            }
            Change::AddColumn { table, column } => self.render_add_column(cx, table, column),
            Change::DropColumn { table, column } => self.render_drop_column(cx, table, column),
            Change::AlterColumn { table, from, to } => {
                self.render_alter_column(cx, table, from, to)
            }
            Change::AddConstraint { table, constraint } => {
                self.render_add_constraint(cx, table, constraint)
            }
            Change::DropConstraint { table, constraint } => {
                self.render_drop_constraint(cx, table, constraint)
            }
            Change::CreateIndex { table, index } => self.render_create_index(cx, table, index),
            Change::DropIndex { table, index } => self.render_drop_index(cx, table, index),
            Change::ValidateConstraint { table, constraint } => {
                self.render_validate_constraint(cx, table, constraint)
            }
            Change::SetConstraintComment {
                table,
                constraint,
                to,
                ..
            } => self.render_set_constraint_comment(cx, table, constraint, to.as_deref()),
            Change::SetIndexComment {
                table, index, to, ..
            } => self.render_set_index_comment(cx, table, index, to.as_deref()),
            Change::SetTableComment { table, from, to } => {
                self.render_set_table_comment(cx, table, from.as_deref(), to.as_deref())
            }
            Change::SetSequenceComment { name, to, .. } => {
                self.render_set_sequence_comment(cx, name, to.as_deref())
            }
            Change::SetTypeComment { name, to, .. } => {
                self.render_set_type_comment(cx, name, to.as_deref())
            }
            Change::SetSchemaComment { name, to, .. } => {
                self.render_set_schema_comment(cx, name, to.as_deref())
            }
            Change::SetExtensionComment { name, to, .. } => {
                self.render_set_extension_comment(cx, name, to)
            }
            Change::SetTableFlags { table, from, to } => {
                self.render_set_table_flags(cx, table, from, to)
            }
            Change::Grant {
                kind,
                object,
                column,
                grantee,
                privileges,
                grantable,
            } => self.render_grant(
                cx,
                *kind,
                object,
                column.as_deref(),
                grantee,
                privileges,
                *grantable,
            ),
            Change::Revoke {
                kind,
                object,
                column,
                grantee,
                privileges,
                option_only,
            } => self.render_revoke(
                cx,
                *kind,
                object,
                column.as_deref(),
                grantee,
                privileges,
                *option_only,
            ),
            Change::SetOwner {
                kind, object, to, ..
            } => self.render_set_owner(cx, *kind, object, to.as_deref()),
            Change::DefaultPrivileges { .. } => one(default_privileges_sql(cx.change)),
            Change::SetPartitionBound { table, from, to } => {
                self.render_set_partition_bound(cx, table, from, to)
            }
            Change::SetTableOptions { table, from, to } => {
                self.render_set_table_options(cx, table, from, to)
            }
            Change::SetIndexOptions {
                table,
                index,
                from,
                to,
            } => self.render_set_index_options(cx, table, index, from, to),
            Change::CreateFunction { function, .. } => functions::create(self, function, false),
            Change::ReplaceFunction { to, .. } => functions::create(self, to, true),
            Change::DropFunction { function, .. } => {
                functions::generated_callers(cx, function, "drop")?;
                functions::drop(self, function)
            }
            Change::RecreateFunction { from, to, .. } => {
                functions::generated_callers(cx, from, "recreate")?;
                let mut out = functions::drop(self, from)?;
                out.extend(functions::create(self, to, false)?);
                Ok(out)
            }
            Change::SetFunctionComment { function, to, .. } => {
                functions::comment(self, function, to.as_deref())
            }
            Change::DropColumnDefault { table, column } => one(format!(
                "ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT;",
                self.object_name(table),
                self.ident(&column.name)
            )),
            Change::SetColumnDefault { table, column } => match &column.default {
                Some(d) => one(format!(
                    "ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {d};",
                    self.object_name(table),
                    self.ident(&column.name)
                )),
                None => Ok(Vec::new()),
            },
            Change::CreateOther(_)
            | Change::DropOther(_)
            | Change::RecreateOther { .. }
            | Change::SetOtherComment { .. } => self.render_other(cx),
        }
    }

    /// [`Change::CreateOther`]: the object's statements as written, then its
    /// comment; [`Change::DropOther`]: `DROP <kind> <identity>`;
    /// [`Change::RecreateOther`]: both;
    /// [`Change::SetOtherComment`]: `COMMENT ON <kind> <identity>`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_other(&self, cx: &Context<'_>) -> Rendered {
        use crate::model::others::{comment_sql, drop_sql};
        match cx.change {
            Change::CreateOther(o) => Ok(o.create_sql().into_iter().map(Statement::new).collect()),
            Change::DropOther(o) => one(drop_sql(&o.identity)),
            Change::RecreateOther { from, to }
                if from.identity.kind == crate::model::others::OtherKind::Collation =>
            {
                // PostgreSQL will not drop a collation a column uses.
                let users = cx.from.tables.values().find_map(|t| {
                    let c = t.columns.iter().find(|c| {
                        c.collation.as_deref().is_some_and(|k| {
                            k == from.identity.name
                                || k == format!("{}.{}", from.identity.schema, from.identity.name)
                        })
                    })?;
                    cx.to
                        .tables
                        .contains_key(&t.name)
                        .then(|| format!("{}.{}", t.name, c.name))
                });
                if let Some(column) = users {
                    return Err(Unsupported {
                        dialect: "PostgreSQL 15",
                        change: format!("recreate collation `{}`", from.identity.name),
                        reason: format!(
                            "column `{column}` uses it, and PostgreSQL will not drop a collation a column uses; write this migration by hand: move the columns to another collation (`ALTER COLUMN ... TYPE ... COLLATE`), recreate the collation, move them back"
                        ),
                    });
                }
                Ok(std::iter::once(drop_sql(&from.identity))
                    .chain(to.create_sql())
                    .map(Statement::new)
                    .collect())
            }
            Change::RecreateOther { from, to } => Ok(std::iter::once(drop_sql(&from.identity))
                .chain(to.create_sql())
                .map(Statement::new)
                .collect()),
            Change::SetOtherComment { object, to, .. } => {
                one(comment_sql(&object.identity, to.as_deref()))
            }
            _ => Ok(Vec::new()),
        }
    }

    /// [`Change::CreateEnum`]: `CREATE TYPE ... AS ENUM`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_create_enum(&self, _cx: &Context<'_>, e: &EnumType) -> Rendered {
        let values: Vec<String> = e.values.iter().map(|v| literal(v)).collect();
        one(format!(
            "CREATE TYPE {} AS ENUM ({});",
            self.object_name(&e.name),
            values.join(", ")
        ))
    }

    /// [`Change::DropEnum`]: `DROP TYPE`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_drop_enum(&self, _cx: &Context<'_>, e: &EnumType) -> Rendered {
        one(format!("DROP TYPE {};", self.object_name(&e.name)))
    }

    /// [`Change::AddEnumValue`]: `ALTER TYPE ... ADD VALUE`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_add_enum_value(
        &self,
        _cx: &Context<'_>,
        name: &QualifiedName,
        value: &str,
        before: Option<&str>,
    ) -> Rendered {
        one(format!(
            "ALTER TYPE {} ADD VALUE {}{};",
            self.object_name(name),
            literal(value),
            before
                .map(|b| format!(" BEFORE {}", literal(b)))
                .unwrap_or_default()
        ))
    }

    /// [`Change::RecreateEnum`]: the type renamed away, created again, its
    /// columns converted, checks and indexes that compare them
    /// with a label dropped and put back.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_recreate_enum(&self, cx: &Context<'_>, from: &EnumType, to: &EnumType) -> Rendered {
        postgres::recreate_enum(self, from, to, cx.from, cx.to, cx.changes)
    }

    /// [`Change::CreateView`]: `CREATE [MATERIALIZED] VIEW` with the user's
    /// query, its indexes and comments.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_create_view(&self, _cx: &Context<'_>, v: &View) -> Rendered {
        views::create_view(self, v)
    }

    /// [`Change::DropView`]: `DROP [MATERIALIZED] VIEW`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_drop_view(&self, _cx: &Context<'_>, v: &View) -> Rendered {
        Ok(views::drop_view(self, v))
    }

    /// [`Change::RenameView`]: `ALTER [MATERIALIZED] VIEW ... RENAME TO`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_rename_view(&self, _cx: &Context<'_>, from: &View, to: &QualifiedName) -> Rendered {
        one(format!(
            "ALTER {} {} RENAME TO {};",
            if from.materialized {
                "MATERIALIZED VIEW"
            } else {
                "VIEW"
            },
            self.object_name(&from.name),
            self.ident(&to.name)
        ))
    }

    /// [`Change::ReplaceView`]: `CREATE OR REPLACE VIEW`, then comments.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_replace_view(&self, _cx: &Context<'_>, from: &View, to: &View) -> Rendered {
        Ok(views::replace_view(self, from, to))
    }

    /// [`Change::AlterView`]: options, indexes, `WITH [NO] DATA`, comments.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_alter_view(&self, _cx: &Context<'_>, from: &View, to: &View) -> Rendered {
        views::alter_view(self, from, to)
    }
    /// The trigger and policy changes ([`Change::CreateTrigger`] ...
    /// [`Change::AlterPolicy`]): see [`triggers::render`].
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_trigger_or_policy(&self, cx: &Context<'_>) -> Rendered {
        triggers::render(cx.change)
    }

    /// [`Change::CreateDomain`]: `CREATE DOMAIN`, and `COMMENT ON DOMAIN`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_create_domain(&self, _cx: &Context<'_>, d: &Domain) -> Rendered {
        let mut sql = format!(
            "CREATE DOMAIN {} AS {}",
            self.object_name(&d.name),
            self.column_type(&d.base)?
        );
        if let Some(c) = &d.collation {
            sql.push_str(&format!(" COLLATE {}", self.ident(c)));
        }
        if let Some(e) = &d.default {
            sql.push_str(&format!(" DEFAULT {}", e.as_column_default()));
        }
        if d.not_null {
            sql.push_str(" NOT NULL");
        }
        for c in d.checks.values().filter(|c| c.valid) {
            sql.push_str(&format!(
                " CONSTRAINT {} CHECK ({})",
                self.ident(&c.name),
                c.expr
            ));
        }
        sql.push(';');
        let mut out = vec![Statement::new(sql)];
        // `CREATE DOMAIN` takes no `NOT VALID`: such a check is added after.
        for c in d.checks.values().filter(|c| !c.valid) {
            out.push(Statement::new(format!(
                "ALTER DOMAIN {} ADD CONSTRAINT {} CHECK ({}) NOT VALID;",
                self.object_name(&d.name),
                self.ident(&c.name),
                c.expr
            )));
        }
        if let Some(comment) = &d.comment {
            out.push(Statement::new(format!(
                "COMMENT ON DOMAIN {} IS {};",
                self.object_name(&d.name),
                literal(comment)
            )));
        }
        Ok(out)
    }

    /// [`Change::DropDomain`]: `DROP DOMAIN`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_drop_domain(&self, _cx: &Context<'_>, d: &Domain) -> Rendered {
        one(format!("DROP DOMAIN {};", self.object_name(&d.name)))
    }

    /// [`Change::AlterDomain`]: one `ALTER DOMAIN` per difference: checks
    /// dropped (or renamed, when a check of the same condition takes a new
    /// name), the default, `NOT NULL`, checks added, then the comment.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_alter_domain(&self, _cx: &Context<'_>, from: &Domain, to: &Domain) -> Rendered {
        let name = self.object_name(&to.name);
        let mut out = Vec::new();
        // A check kept but made not valid again must be dropped and added
        // `NOT VALID`; one validated since is validated in place.
        let kept = |f: &crate::model::DomainCheck, t: &crate::model::DomainCheck| {
            f.expr == t.expr && (!f.valid || t.valid)
        };
        let mut dropped: Vec<&crate::model::DomainCheck> = from
            .checks
            .values()
            .filter(|c| to.checks.get(&c.name).is_none_or(|t| !kept(c, t)))
            .collect();
        let mut added: Vec<&crate::model::DomainCheck> = to
            .checks
            .values()
            .filter(|c| from.checks.get(&c.name).is_none_or(|f| !kept(f, c)))
            .collect();
        let validated: Vec<&crate::model::DomainCheck> = to
            .checks
            .values()
            .filter(|c| {
                c.valid
                    && from
                        .checks
                        .get(&c.name)
                        .is_some_and(|f| f.expr == c.expr && !f.valid)
            })
            .collect();
        // A check whose name alone changed is renamed (when the new name is free).
        let mut renamed = Vec::new();
        dropped.retain(|d| {
            let free = |n: &str| !from.checks.contains_key(n);
            match added.iter().position(|a| {
                a.expr == d.expr
                    && a.valid == d.valid
                    && free(&a.name)
                    && !to.checks.contains_key(&d.name)
            }) {
                Some(i) => {
                    renamed.push((d.name.clone(), added.remove(i).name.clone()));
                    false
                }
                None => true,
            }
        });
        for c in &dropped {
            out.push(Statement::new(format!(
                "ALTER DOMAIN {name} DROP CONSTRAINT {};",
                self.ident(&c.name)
            )));
        }
        for (old, new) in &renamed {
            out.push(Statement::new(format!(
                "ALTER DOMAIN {name} RENAME CONSTRAINT {} TO {};",
                self.ident(old),
                self.ident(new)
            )));
        }
        if from.default != to.default {
            out.push(Statement::new(match &to.default {
                Some(e) => format!("ALTER DOMAIN {name} SET DEFAULT {e};"),
                None => format!("ALTER DOMAIN {name} DROP DEFAULT;"),
            }));
        }
        if from.not_null != to.not_null {
            let verb = if to.not_null { "SET" } else { "DROP" };
            out.push(Statement::new(format!(
                "ALTER DOMAIN {name} {verb} NOT NULL;"
            )));
        }
        for c in &added {
            out.push(Statement::new(format!(
                "ALTER DOMAIN {name} ADD CONSTRAINT {} CHECK ({}){};",
                self.ident(&c.name),
                c.expr,
                if c.valid { "" } else { " NOT VALID" }
            )));
        }
        for c in &validated {
            out.push(Statement::new(format!(
                "ALTER DOMAIN {name} VALIDATE CONSTRAINT {};",
                self.ident(&c.name)
            )));
        }
        if from.comment != to.comment {
            out.push(Statement::new(format!(
                "COMMENT ON DOMAIN {name} IS {};",
                to.comment
                    .as_deref()
                    .map_or_else(|| "NULL".to_string(), literal)
            )));
        }
        Ok(out)
    }

    /// An attribute of a composite type: `name type [COLLATE c]`.
    ///
    /// # Errors
    /// When the dialect cannot express its type.
    fn attribute_def(&self, a: &crate::model::Attribute) -> Result<String, Unsupported> {
        let mut out = format!(
            "{} {}",
            self.ident(&a.name),
            self.column_type(&a.data_type)?
        );
        if let Some(c) = &a.collation {
            out.push_str(&format!(" COLLATE {}", self.ident(c)));
        }
        Ok(out)
    }

    /// [`Change::CreateComposite`]: `CREATE TYPE ... AS (...)`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_create_composite(&self, _cx: &Context<'_>, c: &CompositeType) -> Rendered {
        let attributes = c
            .attributes
            .iter()
            .map(|a| self.attribute_def(a))
            .collect::<Result<Vec<_>, _>>()?;
        one(format!(
            "CREATE TYPE {} AS ({});",
            self.object_name(&c.name),
            attributes.join(", ")
        ))
    }

    /// A composite type whose values are stored, changed in a way PostgreSQL
    /// refuses in place (`how`): the old type renamed away, the new one
    /// created, each column of it converted attribute by attribute (a kept
    /// attribute cast to its new type, a new one `NULL`, a `NULL` value kept
    /// `NULL`), the old type dropped. Arrays of it, domains over it and
    /// composites holding it are refused: write that step by hand.
    ///
    /// # Errors
    /// When values of the type are stored other than in plain columns.
    fn convert_composite(
        &self,
        cx: &Context<'_>,
        from: &CompositeType,
        to: &CompositeType,
        how: &str,
    ) -> Rendered {
        let users = composite_users(cx.from, &from.name);
        let direct = composite_columns(cx.from, &from.name);
        if direct.len() != users.len() {
            return Err(cx.unsupported(self.name(), composite_in_use(&from.name, &users, how)));
        }
        let old = QualifiedName::new(
            from.name.schema.clone(),
            crate::model::names::make_object_name(&from.name.name, None, Some("old")),
        );
        let new_type = self.object_name(&to.name);
        let mut out = vec![Statement::new(format!(
            "ALTER TYPE {} RENAME TO {};",
            self.object_name(&from.name),
            self.ident(&old.name)
        ))];
        out.extend(self.render_create_composite(cx, to)?);
        for (table, column) in direct {
            if cx
                .changes
                .iter()
                .any(|c| matches!(c, Change::DropTable(t) if t.name == table))
            {
                continue;
            }
            // Renames run before type changes: the names by now.
            let (table_now, column_now) = names_after_renames(cx.changes, &table, &column.name);
            let t = self.object_name(&table_now);
            let c = self.ident(&column_now);
            if column.default.is_some() {
                out.push(Statement::new(format!(
                    "ALTER TABLE {t} ALTER COLUMN {c} DROP DEFAULT;"
                )));
            }
            let mut parts = Vec::new();
            for b in &to.attributes {
                let ty = self.column_type(&b.data_type)?;
                parts.push(match from.attributes.iter().find(|a| a.name == b.name) {
                    Some(a) if a.data_type == b.data_type => {
                        format!("({c}).{}", self.ident(&a.name))
                    }
                    Some(a) => format!("({c}).{}::{ty}", self.ident(&a.name)),
                    None => format!("NULL::{ty}"),
                });
            }
            out.push(Statement::new(format!(
                "ALTER TABLE {t} ALTER COLUMN {c} TYPE {new_type} USING CASE WHEN {c}::text IS NULL THEN NULL ELSE ROW({})::{new_type} END;",
                parts.join(", ")
            )));
            let default_after = cx
                .to
                .tables
                .get(&table_now)
                .and_then(|t| t.column(&column_now))
                .and_then(|c| c.default.as_ref());
            if let Some(d) = default_after {
                out.push(Statement::new(format!(
                    "ALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT {};",
                    d.as_column_default()
                )));
            }
        }
        out.push(Statement::new(format!(
            "DROP TYPE {};",
            self.object_name(&old)
        )));
        Ok(out)
    }

    /// [`Change::DropComposite`]: `DROP TYPE`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_drop_composite(&self, _cx: &Context<'_>, c: &CompositeType) -> Rendered {
        one(format!("DROP TYPE {};", self.object_name(&c.name)))
    }

    /// [`Change::AlterComposite`]: one `ALTER TYPE` per attribute dropped,
    /// given another type, or added (at the end, in order).
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_alter_composite(
        &self,
        _cx: &Context<'_>,
        from: &CompositeType,
        to: &CompositeType,
    ) -> Rendered {
        let name = self.object_name(&to.name);
        let mut out = Vec::new();
        for a in &from.attributes {
            match to.attributes.iter().find(|b| b.name == a.name) {
                None => out.push(Statement::new(format!(
                    "ALTER TYPE {name} DROP ATTRIBUTE {};",
                    self.ident(&a.name)
                ))),
                Some(b) if b != a => {
                    let mut sql = format!(
                        "ALTER TYPE {name} ALTER ATTRIBUTE {} SET DATA TYPE {}",
                        self.ident(&b.name),
                        self.column_type(&b.data_type)?
                    );
                    if let Some(c) = &b.collation {
                        sql.push_str(&format!(" COLLATE {}", self.ident(c)));
                    }
                    sql.push(';');
                    out.push(Statement::new(sql));
                }
                Some(_) => {}
            }
        }
        for b in &to.attributes {
            if !from.attributes.iter().any(|a| a.name == b.name) {
                out.push(Statement::new(format!(
                    "ALTER TYPE {name} ADD ATTRIBUTE {};",
                    self.attribute_def(b)?
                )));
            }
        }
        Ok(out)
    }

    /// [`Change::CreateSchema`]: `CREATE SCHEMA`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_create_schema(&self, _cx: &Context<'_>, name: &str) -> Rendered {
        one(format!("CREATE SCHEMA {};", self.ident(name)))
    }

    /// [`Change::DropSchema`]: `DROP SCHEMA`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_drop_schema(&self, _cx: &Context<'_>, name: &str) -> Rendered {
        one(format!("DROP SCHEMA {};", self.ident(name)))
    }

    /// [`Change::CreateExtension`]: `CREATE EXTENSION` as declared.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_create_extension(&self, _cx: &Context<'_>, e: &Extension) -> Rendered {
        Ok(vec![postgres::create_extension(self, e)])
    }

    /// [`Change::DropExtension`]: `DROP EXTENSION`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_drop_extension(&self, _cx: &Context<'_>, e: &Extension) -> Rendered {
        Ok(vec![postgres::drop_extension(self, e)])
    }

    /// [`Change::ReplaceExtension`]: dropped and created again.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_replace_extension(
        &self,
        _cx: &Context<'_>,
        from: &Extension,
        to: &Extension,
    ) -> Rendered {
        Ok(vec![
            postgres::drop_extension(self, from),
            postgres::create_extension(self, to),
        ])
    }

    /// [`Change::CreateSequence`]: `CREATE SEQUENCE`, none for the sequence of
    /// a column written `serial`; its owner is set by
    /// [`render_after_all`](Self::render_after_all).
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_create_sequence(&self, cx: &Context<'_>, s: &Sequence) -> Rendered {
        if postgres::is_serial_sequence(s, cx.to, cx.changes) {
            return Ok(Vec::new());
        }
        let options = s.options.create_options(SequenceType::BigInt);
        one(format!(
            "CREATE SEQUENCE {}{};",
            self.object_name(&s.name),
            postgres::option_list(&options)
        ))
    }

    /// [`Change::RenameSequence`]: `ALTER SEQUENCE ... RENAME TO`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_rename_sequence(
        &self,
        _cx: &Context<'_>,
        from: &QualifiedName,
        to: &QualifiedName,
    ) -> Rendered {
        one(format!(
            "ALTER SEQUENCE {} RENAME TO {};",
            self.object_name(from),
            self.ident(&to.name)
        ))
    }

    /// [`Change::DropSequence`]: `DROP SEQUENCE`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_drop_sequence(&self, _cx: &Context<'_>, s: &Sequence) -> Rendered {
        one(format!("DROP SEQUENCE {};", self.object_name(&s.name)))
    }

    /// [`Change::AlterSequence`]: `ALTER SEQUENCE ...` with the options that
    /// differ, then `ALTER SEQUENCE ... OWNED BY` when the owner does.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_alter_sequence(&self, _cx: &Context<'_>, from: &Sequence, to: &Sequence) -> Rendered {
        let mut out = Vec::new();
        let sequence = format!("{}::regclass", literal(&self.object_name(&to.name)));
        let moved = postgres::move_into_range(&sequence, &from.options, &to.options);
        let mut before = from.options;
        if let Some(wide) = moved
            .as_ref()
            .and_then(|_| postgres::widened(&before, &to.options, true))
        {
            out.push(Statement::new(format!(
                "ALTER SEQUENCE {}{};",
                self.object_name(&to.name),
                postgres::option_list(&before.alter_options(&wide))
            )));
            before = wide;
        }
        out.extend(moved);
        let options = before.alter_options(&to.options);
        if !options.is_empty() {
            out.push(Statement::new(format!(
                "ALTER SEQUENCE {}{};",
                self.object_name(&to.name),
                postgres::option_list(&options)
            )));
        }
        if from.owned_by != to.owned_by {
            out.push(Statement::new(format!(
                "ALTER SEQUENCE {} OWNED BY {};",
                self.object_name(&to.name),
                match &to.owned_by {
                    Some((t, c)) => format!("{}.{}", self.object_name(t), self.ident(c)),
                    None => "NONE".to_string(),
                }
            )));
        }
        Ok(out)
    }

    /// [`Change::CreateTable`]: `CREATE TABLE` with its constraints, then its
    /// comments.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_create_table(&self, cx: &Context<'_>, t: &Table) -> Rendered {
        let mut out = postgres::create_table(self, t, cx.changes)?;
        out.extend(postgres::created_table_storage(self, cx, t)?);
        Ok(out)
    }

    /// [`Change::DropTable`]: `DROP TABLE`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_drop_table(&self, _cx: &Context<'_>, t: &Table) -> Rendered {
        one(format!("DROP TABLE {};", self.object_name(&t.name)))
    }

    /// [`Change::RenameTable`]: `ALTER TABLE ... RENAME TO`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_rename_table(
        &self,
        _cx: &Context<'_>,
        from: &QualifiedName,
        to: &QualifiedName,
    ) -> Rendered {
        one(format!(
            "ALTER TABLE {} RENAME TO {};",
            self.object_name(from),
            self.ident(&to.name)
        ))
    }

    /// [`Change::RenameType`]: `ALTER TYPE ... RENAME TO` (an enum or
    /// composite type) or `ALTER DOMAIN ... RENAME TO`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_rename_type(
        &self,
        _cx: &Context<'_>,
        kind: crate::model::TypeKind,
        from: &QualifiedName,
        to: &QualifiedName,
    ) -> Rendered {
        one(format!(
            "ALTER {} {} RENAME TO {};",
            kind.keyword(),
            self.object_name(from),
            self.ident(&to.name)
        ))
    }

    /// [`Change::RenameConstraint`]: `ALTER TABLE ... RENAME CONSTRAINT`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_rename_constraint(
        &self,
        _cx: &Context<'_>,
        table: &QualifiedName,
        from: &str,
        to: &str,
    ) -> Rendered {
        one(format!(
            "ALTER TABLE {} RENAME CONSTRAINT {} TO {};",
            self.object_name(table),
            self.ident(from),
            self.ident(to)
        ))
    }

    /// [`Change::RenameIndex`]: `ALTER INDEX ... RENAME TO`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_rename_index(
        &self,
        _cx: &Context<'_>,
        table: &QualifiedName,
        from: &str,
        to: &str,
    ) -> Rendered {
        one(format!(
            "ALTER INDEX {} RENAME TO {};",
            self.object_name(&QualifiedName::new(table.schema.clone(), from.to_string())),
            self.ident(to)
        ))
    }

    /// [`Change::RenameColumn`]: `ALTER TABLE ... RENAME COLUMN` (table renames
    /// run first, so `table` is the new name).
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_rename_column(
        &self,
        _cx: &Context<'_>,
        table: &QualifiedName,
        from: &str,
        to: &str,
    ) -> Rendered {
        one(format!(
            "ALTER TABLE {} RENAME COLUMN {} TO {};",
            self.object_name(table),
            self.ident(from),
            self.ident(to)
        ))
    }

    /// [`Change::AddColumn`]: `ALTER TABLE ... ADD COLUMN` (with a warning when
    /// it fails on a table with rows), then its comment.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_add_column(
        &self,
        cx: &Context<'_>,
        table: &QualifiedName,
        column: &Column,
    ) -> Rendered {
        let mut v = vec![Statement::new(format!(
            "ALTER TABLE {} ADD COLUMN {};",
            self.object_name(table),
            postgres::column(self, table, column, cx.changes)?
        ))];
        if !column.nullable && column.default.is_none() && column.identity.is_none() {
            v[0].comments.push(format!(
                "fails if `{table}` has rows: add it with a DEFAULT, or nullable, backfill, then SET NOT NULL"
            ));
        }
        if column.comment.is_some() {
            v.push(postgres::column_comment(self, table, column));
        }
        // `ADD COLUMN` gave the compression; `SET STORAGE` reaches the
        // partitions, as `ADD COLUMN` did.
        let before = (None, column.compression);
        v.extend(postgres::set_storage(
            self, cx.to, table, false, before, column,
        ));
        Ok(v)
    }

    /// [`Change::DropColumn`]: `ALTER TABLE ... DROP COLUMN`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_drop_column(
        &self,
        _cx: &Context<'_>,
        table: &QualifiedName,
        column: &Column,
    ) -> Rendered {
        one(format!(
            "ALTER TABLE {} DROP COLUMN {};",
            self.object_name(table),
            self.ident(&column.name)
        ))
    }

    /// [`Change::AlterColumn`]: an `ALTER TABLE ... ALTER COLUMN` per
    /// difference (a type change with a `USING` cast when one is needed).
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_alter_column(
        &self,
        cx: &Context<'_>,
        table: &QualifiedName,
        from: &Column,
        to: &Column,
    ) -> Rendered {
        let mut out = postgres::alter_column(self, table, from, to)?;
        // A new type (even the same) resets storage and compression; a
        // partitioned table's partitions keep theirs (`ONLY`), which compare
        // on their own.
        let retyped = from.data_type != to.data_type || from.collation != to.collation;
        let before = if retyped {
            (None, None)
        } else {
            (from.storage, from.compression)
        };
        let partitioned = cx
            .to
            .tables
            .get(table)
            .is_some_and(|t| t.partition_by.is_some());
        out.extend(postgres::set_storage(
            self,
            cx.to,
            table,
            partitioned,
            before,
            to,
        ));
        Ok(out)
    }

    /// [`Change::AddConstraint`]: `ALTER TABLE ... ADD CONSTRAINT` (`NOT
    /// VALID` when the constraint is not validated).
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_add_constraint(
        &self,
        _cx: &Context<'_>,
        table: &QualifiedName,
        constraint: &Constraint,
    ) -> Rendered {
        one(format!(
            "ALTER TABLE {} ADD CONSTRAINT {} {}{};",
            self.object_name(table),
            self.ident(&constraint.name),
            self.constraint_body(constraint),
            if constraint.validated {
                ""
            } else {
                " NOT VALID"
            }
        ))
    }

    /// [`Change::ValidateConstraint`]: `ALTER TABLE ... VALIDATE CONSTRAINT`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_validate_constraint(
        &self,
        _cx: &Context<'_>,
        table: &QualifiedName,
        constraint: &str,
    ) -> Rendered {
        let mut s = Statement::new(format!(
            "ALTER TABLE {} VALIDATE CONSTRAINT {};",
            self.object_name(table),
            self.ident(constraint)
        ));
        s.comments.push(format!(
            "fails if rows of `{table}` violate it: fix them first"
        ));
        Ok(vec![s])
    }

    /// [`Change::SetConstraintComment`]: `COMMENT ON CONSTRAINT ... ON ...`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_set_constraint_comment(
        &self,
        _cx: &Context<'_>,
        table: &QualifiedName,
        constraint: &str,
        to: Option<&str>,
    ) -> Rendered {
        one(format!(
            "COMMENT ON CONSTRAINT {} ON {} IS {};",
            self.ident(constraint),
            self.object_name(table),
            to.map_or_else(|| "NULL".to_string(), literal)
        ))
    }

    /// [`Change::SetIndexComment`]: `COMMENT ON INDEX`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_set_index_comment(
        &self,
        _cx: &Context<'_>,
        table: &QualifiedName,
        index: &str,
        to: Option<&str>,
    ) -> Rendered {
        one(format!(
            "COMMENT ON INDEX {} IS {};",
            self.object_name(&QualifiedName::new(table.schema.clone(), index.to_string())),
            to.map_or_else(|| "NULL".to_string(), literal)
        ))
    }

    /// [`Change::DropConstraint`]: `ALTER TABLE ... DROP CONSTRAINT`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_drop_constraint(
        &self,
        _cx: &Context<'_>,
        table: &QualifiedName,
        constraint: &Constraint,
    ) -> Rendered {
        one(format!(
            "ALTER TABLE {} DROP CONSTRAINT {};",
            self.object_name(table),
            self.ident(&constraint.name)
        ))
    }

    /// [`Change::CreateIndex`]: [`create_index`](Self::create_index).
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_create_index(
        &self,
        _cx: &Context<'_>,
        table: &QualifiedName,
        index: &Index,
    ) -> Rendered {
        one(self.create_index(table, index)?)
    }

    /// [`Change::DropIndex`]: `DROP INDEX`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_drop_index(
        &self,
        _cx: &Context<'_>,
        table: &QualifiedName,
        index: &Index,
    ) -> Rendered {
        one(format!(
            "DROP INDEX {};",
            self.object_name(&QualifiedName::new(
                table.schema.clone(),
                index.name.clone()
            ))
        ))
    }

    /// [`Change::SetSequenceComment`]: `COMMENT ON SEQUENCE`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_set_sequence_comment(
        &self,
        _cx: &Context<'_>,
        name: &QualifiedName,
        to: Option<&str>,
    ) -> Rendered {
        one(format!(
            "COMMENT ON SEQUENCE {} IS {};",
            self.object_name(name),
            to.map_or_else(|| "NULL".to_string(), literal)
        ))
    }

    /// [`Change::SetTypeComment`]: `COMMENT ON TYPE`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_set_type_comment(
        &self,
        _cx: &Context<'_>,
        name: &QualifiedName,
        to: Option<&str>,
    ) -> Rendered {
        one(format!(
            "COMMENT ON TYPE {} IS {};",
            self.object_name(name),
            to.map_or_else(|| "NULL".to_string(), literal)
        ))
    }

    /// [`Change::Grant`]: `GRANT ... ON ... TO ...`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    #[allow(
        clippy::too_many_arguments,
        reason = "one argument per part of the statement"
    )]
    fn render_grant(
        &self,
        _cx: &Context<'_>,
        kind: crate::model::privileges::AclKind,
        object: &QualifiedName,
        column: Option<&str>,
        grantee: &str,
        privileges: &[crate::model::privileges::Privilege],
        grantable: bool,
    ) -> Rendered {
        one(grant_statement(
            GrantWords {
                revoke: false,
                option_only: false,
                grantable,
            },
            &privilege_list_sql(privileges, column, |i| self.ident(i)),
            &self.privilege_target(kind, object),
            &grantee_sql(grantee, |i| self.ident(i)),
        ))
    }

    /// [`Change::Revoke`]: `REVOKE [GRANT OPTION FOR] ... ON ... FROM ...`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    #[allow(
        clippy::too_many_arguments,
        reason = "one argument per part of the statement"
    )]
    fn render_revoke(
        &self,
        _cx: &Context<'_>,
        kind: crate::model::privileges::AclKind,
        object: &QualifiedName,
        column: Option<&str>,
        grantee: &str,
        privileges: &[crate::model::privileges::Privilege],
        option_only: bool,
    ) -> Rendered {
        one(grant_statement(
            GrantWords {
                revoke: true,
                option_only,
                grantable: false,
            },
            &privilege_list_sql(privileges, column, |i| self.ident(i)),
            &self.privilege_target(kind, object),
            &grantee_sql(grantee, |i| self.ident(i)),
        ))
    }

    /// [`Change::SetOwner`]: `ALTER ... OWNER TO ...`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_set_owner(
        &self,
        _cx: &Context<'_>,
        kind: crate::model::privileges::AclKind,
        object: &QualifiedName,
        to: Option<&str>,
    ) -> Rendered {
        one(format!(
            "ALTER {} OWNER TO {};",
            self.privilege_target(kind, object),
            to.map_or_else(|| "CURRENT_USER".to_string(), |r| self.ident(r)),
        ))
    }

    /// `TABLE t`, `SEQUENCE s`, `SCHEMA s`, `FUNCTION f(integer)`,
    /// `PROCEDURE p(text)` or `TYPE t`.
    fn privilege_target(
        &self,
        kind: crate::model::privileges::AclKind,
        object: &QualifiedName,
    ) -> String {
        use crate::model::privileges::AclKind;
        let name = match kind {
            AclKind::Schema => self.ident(&object.name),
            // The key is `name(types)`: the name quoted, the types as they are.
            AclKind::Function | AclKind::Procedure => {
                let bare = crate::model::function::name_of_key(object);
                let types = &object.name[bare.name.len()..];
                format!("{}{types}", self.object_name(&bare))
            }
            _ => self.object_name(object),
        };
        format!("{} {name}", kind.keyword())
    }

    /// [`Change::SetSchemaComment`]: `COMMENT ON SCHEMA`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_set_schema_comment(
        &self,
        _cx: &Context<'_>,
        name: &str,
        to: Option<&str>,
    ) -> Rendered {
        one(format!(
            "COMMENT ON SCHEMA {} IS {};",
            self.ident(name),
            to.map_or_else(|| "NULL".to_string(), literal)
        ))
    }

    /// [`Change::SetExtensionComment`]: `COMMENT ON EXTENSION`; back to the
    /// control file's comment only for an extension whose comment is known
    /// (a contrib one).
    ///
    /// # Errors
    /// When the dialect cannot express it, or the comment to restore is not
    /// known.
    fn render_set_extension_comment(
        &self,
        cx: &Context<'_>,
        name: &str,
        to: &crate::model::ExtensionComment,
    ) -> Rendered {
        let text = to.text(name).map_err(|reason| {
            cx.unsupported(self.name(), format!(
                "{reason}: write the comment it should have in schema.sql (`COMMENT ON EXTENSION {} IS '...'`)",
                self.ident(name)
            ))
        })?;
        one(format!(
            "COMMENT ON EXTENSION {} IS {};",
            self.ident(name),
            text.map_or_else(|| "NULL".to_string(), literal)
        ))
    }

    /// [`Change::SetTableComment`]: `COMMENT ON TABLE`.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_set_table_comment(
        &self,
        _cx: &Context<'_>,
        table: &QualifiedName,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Rendered {
        let _ = from;
        one(format!(
            "COMMENT ON TABLE {} IS {};",
            self.object_name(table),
            to.map_or_else(|| "NULL".to_string(), literal)
        ))
    }

    /// [`Change::SetPartitionBound`]: `DETACH PARTITION`, then `ATTACH
    /// PARTITION` with the new bound (PostgreSQL scans the partition then, and
    /// fails on a row outside the bound).
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_set_partition_bound(
        &self,
        _cx: &Context<'_>,
        table: &QualifiedName,
        from: &crate::model::PartitionOf,
        to: &crate::model::PartitionOf,
    ) -> Rendered {
        Ok(vec![
            Statement::new(format!(
                "ALTER TABLE {} DETACH PARTITION {};",
                self.object_name(&from.parent),
                self.object_name(table)
            )),
            Statement::new(format!(
                "ALTER TABLE {} ATTACH PARTITION {} {};",
                self.object_name(&to.parent),
                self.object_name(table),
                to.bound
            )),
        ])
    }

    /// [`Change::SetTableFlags`]: one `ALTER TABLE` per flag that differs
    /// (`SET LOGGED`/`SET UNLOGGED`, `ENABLE`/`DISABLE ROW LEVEL SECURITY`,
    /// `FORCE`/`NO FORCE ROW LEVEL SECURITY`).
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_set_table_flags(
        &self,
        _cx: &Context<'_>,
        table: &QualifiedName,
        from: &TableFlags,
        to: &TableFlags,
    ) -> Rendered {
        Ok(to
            .differences(from)
            .into_iter()
            .map(|words| {
                Statement::new(format!(
                    "ALTER TABLE {} {};",
                    self.object_name(table),
                    words.to_uppercase()
                ))
            })
            .collect())
    }

    /// [`Change::SetTableOptions`]: `ALTER TABLE ... RESET (...)` for the
    /// parameters `to` drops, then `SET (...)` for those it sets or changes.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_set_table_options(
        &self,
        _cx: &Context<'_>,
        table: &QualifiedName,
        from: &StorageParameters,
        to: &StorageParameters,
    ) -> Rendered {
        Ok(set_storage_parameters(
            &format!("ALTER TABLE {}", self.object_name(table)),
            from,
            to,
        ))
    }

    /// [`Change::SetIndexOptions`]: `ALTER INDEX ... RESET (...)` for the
    /// parameters `to` drops, then `SET (...)` for those it sets or changes.
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_set_index_options(
        &self,
        _cx: &Context<'_>,
        table: &QualifiedName,
        index: &str,
        from: &StorageParameters,
        to: &StorageParameters,
    ) -> Rendered {
        let name = QualifiedName::new(table.schema.clone(), index.to_string());
        Ok(set_storage_parameters(
            &format!("ALTER INDEX {}", self.object_name(&name)),
            from,
            to,
        ))
    }

    /// What the change at hand adds after every change of the list: by
    /// default the owner of a created sequence (its column exists by then).
    ///
    /// # Errors
    /// When the dialect cannot express it.
    fn render_after_all(&self, cx: &Context<'_>) -> Rendered {
        let Change::CreateSequence(s) = cx.change else {
            return Ok(Vec::new());
        };
        if postgres::is_serial_sequence(s, cx.to, cx.changes) {
            return Ok(Vec::new());
        }
        Ok(s.owned_by
            .iter()
            .map(|(t, c)| {
                Statement::new(format!(
                    "ALTER SEQUENCE {} OWNED BY {}.{};",
                    self.object_name(&s.name),
                    self.object_name(t),
                    self.ident(c)
                ))
            })
            .collect())
    }

    /// Renders an ordered change list; `from` and `to` are the schemas around
    /// it. By default each change through [`render_change`](Self::render_change),
    /// its data loss said in a comment, then what
    /// [`render_after_all`](Self::render_after_all) adds.
    ///
    /// # Errors
    /// The first change the dialect cannot express.
    fn render(&self, changes: &[Change], from: &Schema, to: &Schema) -> Rendered {
        let each = self.render_each(changes, from, to)?;
        let mut out: Vec<Statement> = Vec::new();
        let mut after_all = Vec::new();
        for (mut own, mut after) in each {
            out.append(&mut own);
            after_all.append(&mut after);
        }
        out.append(&mut after_all);
        Ok(out)
    }

    /// [`render`](Self::render) change by change: for each change, its own
    /// statements and what [`render_after_all`](Self::render_after_all) adds
    /// for it (which must run after every change's own statements).
    ///
    /// # Errors
    /// The first change the dialect cannot express.
    #[allow(clippy::type_complexity)]
    fn render_each(
        &self,
        changes: &[Change],
        from: &Schema,
        to: &Schema,
    ) -> Result<Vec<(Vec<Statement>, Vec<Statement>)>, Unsupported> {
        // What follows a type rename sees the type under its new name.
        let renamed = crate::diff::with_type_renames(from, changes);
        let from = renamed.as_ref();
        let mut out = Vec::with_capacity(changes.len());
        for change in changes {
            let cx = Context {
                changes,
                from,
                to,
                change,
            };
            let mut stmts = self.render_change(&cx)?;
            if let (Some(loss), Some(first)) = (data_loss(change), stmts.first_mut()) {
                first.comments.insert(0, format!("destructive: {loss}"));
            }
            let after = self.render_after_all(&cx)?;
            out.push((stmts, after));
        }
        Ok(out)
    }

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

/// `prefix RESET (...)` for the parameters `to` drops, then `prefix SET
/// (...)` for those it sets or changes (`prefix` is `ALTER TABLE t` or
/// `ALTER INDEX i`).
fn set_storage_parameters(
    prefix: &str,
    from: &StorageParameters,
    to: &StorageParameters,
) -> Vec<Statement> {
    let reset: Vec<&str> = from
        .0
        .iter()
        .filter(|(n, _)| to.get(n).is_none())
        .map(|(n, _)| n.as_str())
        .collect();
    let set = StorageParameters(
        to.0.iter()
            .filter(|(n, v)| from.get(n) != Some(v.as_str()))
            .cloned()
            .collect(),
    );
    let mut out = Vec::new();
    if !reset.is_empty() {
        out.push(Statement::new(format!(
            "{prefix} RESET ({});",
            reset.join(", ")
        )));
    }
    if !set.is_empty() {
        out.push(Statement::new(format!("{prefix} SET ({});", set.to_sql())));
    }
    out
}

/// Where `schema` stores values of the composite type `name`: the columns of
/// that type (directly, in arrays or through domains) and the composite types
/// with an attribute of it, as `table.column` / `type.attribute`.
fn composite_users(schema: &Schema, name: &QualifiedName) -> Vec<String> {
    let uses = |ty: &SqlType| {
        let mut ty = ty;
        for _ in 0..=schema.domains.len() {
            while let SqlType::Array(inner) = ty {
                ty = inner;
            }
            match ty {
                SqlType::Named(n) if n == name => return true,
                SqlType::Named(n) => match schema.domains.get(n) {
                    Some(d) => ty = &d.base,
                    None => return false,
                },
                _ => return false,
            }
        }
        false
    };
    let mut out: Vec<String> = schema
        .tables
        .values()
        .filter(|t| t.partition_of.is_none())
        .flat_map(|t| {
            t.columns
                .iter()
                .filter(|c| uses(&c.data_type))
                .map(move |c| format!("{}.{}", t.name, c.name))
        })
        .collect();
    out.extend(schema.composites.values().flat_map(|c| {
        c.attributes
            .iter()
            .filter(|a| uses(&a.data_type))
            .map(move |a| format!("{}.{}", c.name, a.name))
    }));
    out
}

/// The name `table` has once the renames of `changes` ran.
pub(super) fn table_after_renames(changes: &[Change], table: &QualifiedName) -> QualifiedName {
    changes
        .iter()
        .find_map(|c| match c {
            Change::RenameTable { from, to } if from == table => Some(to.clone()),
            _ => None,
        })
        .unwrap_or_else(|| table.clone())
}

/// The names `table` and its `column` have once the renames of `changes`
/// ran (renames run before the other changes to a table).
pub(super) fn names_after_renames(
    changes: &[Change],
    table: &QualifiedName,
    column: &str,
) -> (QualifiedName, String) {
    let table_now = table_after_renames(changes, table);
    let column_now = changes
        .iter()
        .find_map(|c| match c {
            Change::RenameColumn { table, from, to } if *table == table_now && from == column => {
                Some(to.clone())
            }
            _ => None,
        })
        .unwrap_or_else(|| column.to_string());
    (table_now, column_now)
}

/// The plain columns of `schema` whose type is the composite type `name`,
/// with their tables (partitions left out: they follow their parent).
fn composite_columns(schema: &Schema, name: &QualifiedName) -> Vec<(QualifiedName, Column)> {
    schema
        .tables
        .values()
        .filter(|t| t.partition_of.is_none())
        .flat_map(|t| {
            t.columns
                .iter()
                .filter(|c| matches!(&c.data_type, SqlType::Named(n) if n == name))
                .map(|c| (t.name.clone(), c.clone()))
        })
        .collect()
}

/// Why a composite type in use cannot be changed the way the declaration
/// asks, and what to do instead.
fn composite_in_use(name: &QualifiedName, users: &[String], how: &str) -> String {
    format!(
        "composite type `{name}` would be {how}, which PostgreSQL refuses while values of it \
         are stored (in {}), and only plain columns of it are converted; write this step \
         by hand: create the new type under another name, convert each use with \
         `ALTER ... TYPE new USING ROW((c).a, ...)::new`, drop the old type and rename the \
         new one",
        users
            .iter()
            .map(|u| format!("`{u}`"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}
