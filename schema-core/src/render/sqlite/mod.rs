//! SQLite: bare names, declared types chosen for their affinity, enum types as
//! `CHECK`s, `serial` and identity columns as rowid aliases, native `ALTER TABLE`
//! where SQLite has it and its table-rebuild procedure everywhere else; plus the
//! reading back of what this module writes (types, expressions, column markers),
//! which live introspection uses.
//!
//! # Types
//! Each canonical type is written as a declared type that SQLite gives the
//! affinity in the table and that reads back to the same type:
//!
//! | model type                         | declared type                   | affinity |
//! |------------------------------------|---------------------------------|----------|
//! | `smallint`, `integer`, `bigint`    | `SMALLINT`, `INTEGER`, `BIGINT` | INTEGER  |
//! | `real`, `double precision`         | `REAL`, `DOUBLE PRECISION`      | REAL     |
//! | `numeric[(p,s)]`, `money`          | `NUMERIC[(p,s)]`, `MONEY`       | NUMERIC  |
//! | `text`                             | `TEXT`                          | TEXT     |
//! | `character varying[(n)]`           | `VARCHAR[(n)]`                  | TEXT     |
//! | `character(n)`                     | `CHAR(n)`                       | TEXT     |
//! | `bytea`                            | `BLOB` (read back as `bytea`)   | BLOB     |
//! | `boolean`                          | `BOOLEAN`                       | NUMERIC  |
//! | `date`                             | `DATE`                          | NUMERIC  |
//! | `time[(p)]`, `time with time zone` | `TIME[(p)]`, `TIMETZ[(p)]`      | NUMERIC  |
//! | `timestamp[(p)]`, `timestamptz`    | `TIMESTAMP[(p)]`, `TIMESTAMPTZ[(p)]` | NUMERIC |
//! | `interval[(p)]`                    | `INTERVAL[(p)]`                 | INTEGER  |
//! | `uuid`, `json`, `jsonb`, `xml`     | `UUID`, `JSON`, `JSONB`, `XML`  | NUMERIC  |
//! | `inet`, `cidr`, `macaddr`          | `INET`, `CIDR`, `MACADDR`       | NUMERIC  |
//! | an enum type `mood`                | `TEXT /* schema: enum mood */` + `CHECK (col IN (..))` | TEXT |
//! | `T[]` (`text[]`, `integer[]`, ...) | `TEXT[]`, `INTEGER[]`, ...      | T's      |
//!
//! No spelling that PostgreSQL's type parser reads as `bytea` gives BLOB
//! affinity (`BYTEA` would be NUMERIC, which turns text that looks like a
//! number into a number), so `bytea` is written `BLOB` and [`type_from_sqlite`]
//! reads `BLOB` back as `bytea`. NUMERIC affinity keeps text that does not look
//! like a number as text, so dates, UUIDs and JSON objects are stored as written.
//! Lengths (`varchar(20)`) and precisions are kept in the declared type but not
//! enforced by SQLite.
//!
//! Arrays are stored as PostgreSQL's array text (`'{a,b}'`, so a default such
//! as `'{}'` keeps its meaning); SQLite does not check their elements. Their
//! element affinity keeps that text as text (it never looks like a number). An
//! enum array (`mood[]`) has no `CHECK`: its enum's labels are read back from
//! a column of the enum type itself, which must exist. An array of a type with
//! a modifier (`varchar(20)[]`: SQLite's grammar has no place for it) or of
//! `bytea` is unsupported, and so is an `ARRAY[..]` expression.
//!
//! An enum column's declared type is `TEXT` (so a label such as `'1e3'` or
//! `'007'` is stored as written, never as a number) followed by a comment
//! naming the enum ([`parse_enum_marker`]), so introspection knows the type,
//! and a column `CHECK ("col" IN ('a', 'b'))` holds its labels in order;
//! changing the labels rebuilds the tables whose columns use the type. An enum
//! type no column uses has no trace in SQLite: [`comparable`] leaves it out.
//!
//! # Automatic numbering
//! A `serial` column (its default is `nextval` of the sequence it owns) and an
//! identity column become `INTEGER ... PRIMARY KEY AUTOINCREMENT`, a rowid alias
//! whose values are never reused, when the column is the table's whole primary
//! key. The declared type must then be exactly `INTEGER`, so the model type, the
//! kind and the sequence name are kept in a comment in the column definition
//! (`/* schema: bigint serial t_id_seq */`, see [`RowidMarker`]); SQLite keeps
//! comments in the stored `CREATE TABLE` text. `GENERATED ALWAYS` is not
//! enforced: SQLite accepts explicit values.
//!
//! # Expressions
//! Canonical expressions are written with every identifier quoted; `now()` is
//! `datetime('now')` (and read back as `now()`), `CURRENT_TIMESTAMP`,
//! `CURRENT_DATE` and `CURRENT_TIME` stay; casts become `CAST(x AS <declared
//! type>)`. Only functions that SQLite has with the same meaning are written
//! (`lower`, `upper`, `length`, `abs`, `coalesce`, `nullif`, `replace`,
//! `round`, `substr`, `trim`, `ltrim`, `rtrim`). SQLite's `LIKE` ignores ASCII
//! case where PostgreSQL's does not.
//!
//! # Changes
//! Native where SQLite has the statement: `CREATE TABLE` (with its foreign keys
//! inline, as SQLite cannot add them later), `DROP TABLE` (children before
//! parents), `RENAME TO`, `RENAME COLUMN`, `ADD COLUMN` (when SQLite allows it:
//! no primary key or unique constraint, a constant default, a non-NULL default
//! for `NOT NULL`, a foreign key only with a NULL default — folded into the
//! column), `DROP COLUMN` (when the column is in no constraint, kept index or
//! generated column), `CREATE INDEX`, `DROP INDEX` (an index rename is a drop
//! and a create). Every other change of a table (column type, nullability,
//! default; constraints added, dropped or renamed; enum labels its columns
//! use) rebuilds the table once, covering all its changes, with the procedure
//! of <https://www.sqlite.org/lang_altertable.html#otheralter>: create
//! `_new_<table>` as the table is in the target schema, copy the rows of the
//! columns both have (renames are applied first; new columns get their
//! default), drop the table, rename the new one, recreate its indexes. Rebuilds
//! run after the migration's drops and renames and before everything else.
//!
//! A migration that rebuilds a table starts with `PRAGMA foreign_keys=OFF` and
//! ends with `PRAGMA foreign_key_check` and `PRAGMA foreign_keys=ON`. SQLite
//! ignores `PRAGMA foreign_keys` inside a transaction, so the migrator must run
//! such a migration with foreign keys off (outside a transaction, or switch
//! them off before `BEGIN`), and treat a row returned by
//! `PRAGMA foreign_key_check` as a failure.
//!
//! SQLite sorts NULLs first in an ascending index key and last in a
//! descending one, whatever the key says; a key's non-default `NULLS FIRST` /
//! `NULLS LAST` (PostgreSQL's default is the opposite of SQLite's order) is
//! kept in a comment after it (`/* schema: nulls first */`), like a `varchar`
//! length: declared, read back, not enforced.
//!
//! Comments (`COMMENT ON`) have no SQLite equivalent and are skipped: the
//! model's comments do not survive on SQLite ([`comparable`] clears them).
//!
//! # Data statements
//! A migration's `INSERT`, `UPDATE` and `DELETE` run as written, between the
//! schema changes around them, when SQLite reads them as PostgreSQL does
//! ([`data`]); otherwise they are [`Unsupported`].
//!
//! # Unsupported
//! [`Unsupported`], naming the change: a table without columns, two names
//! that differ only in case ([`case_collisions`]: SQLite ignores ASCII case in
//! names), objects outside the `public` schema,
//! the arrays above, `bit`, `bit varying`, `tsvector`, `tsquery`, sequences other than a
//! rowid alias's, `serial`/identity columns that are not the whole integer
//! primary key, deferrable primary keys and unique constraints, `NULLS NOT
//! DISTINCT`, `MATCH FULL` (SQLite parses it but does not enforce it), index
//! methods other than `btree`, `INCLUDE` (on indexes and on primary keys and
//! unique constraints), exclusion constraints (`EXCLUDE`), `NOT VALID` constraints and their `VALIDATE CONSTRAINT`
//! (SQLite checks every row, so the table's rows would be held to it), composite types, domains (SQLite has none; inlining a
//! domain's checks into each column would lose the domain itself, which
//! introspection could not read back), partitioned tables, extensions' types, and expressions using
//! operators, functions or syntax SQLite does not have with the same meaning
//! (`ILIKE`, `SIMILAR TO`, regular expressions, arrays, `AT TIME ZONE`, ...).

mod case;
pub mod data;
mod expr;
mod markers;
mod rebuild;
mod types;

use super::{Context, Rendered, Renderer, Statement, Unsupported, data_loss, literal};
use crate::diff::Change;
use crate::model::contrib::{ExtensionType, resolve_extension_type};
use crate::model::expr::nextval;
use crate::model::{
    Column, Constraint, ConstraintKind, DEFAULT_SCHEMA, EnumType, Extension, Index, IndexPart,
    QualifiedName, ReferentialAction, Schema, Sequence, SequenceOptions, SequenceType, SqlType,
    Table, TypeKind, View,
};

pub use case::{CaseCollision, case_collisions, new_case_collisions};
pub(crate) use case::{CaseIndex, new_case_collisions_indexed};
pub use expr::expression_from_sqlite;
pub use markers::{RowidKind, RowidMarker, parse_enum_marker, parse_nulls_marker};
pub use types::{comparable, type_from_sqlite};

use case::shape_refusal;
use expr::{sqlite_default, sqlite_expr};
use markers::{enum_marker, nulls_marker, rowid_alias};
use rebuild::{Plan, changed_table, drop_order, native_add, runs_before_rebuilds};
use types::{declared_type, enum_arrays_have_labels};

/// The SQLite renderer.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sqlite;

/// The prefix of the table a rebuild creates and renames.
pub(crate) const REBUILD_PREFIX: &str = "_new_";

/// Why SQLite cannot express something, in words (made an [`Unsupported`]
/// naming the change where it is refused).
type Reason = String;

/// A double-quoted identifier, always (SQLite's keywords are not PostgreSQL's).
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `name` must be in `public`: SQLite has no schemas.
fn public(name: &QualifiedName, what: &str) -> Result<(), Reason> {
    if name.schema == DEFAULT_SCHEMA {
        Ok(())
    } else {
        Err(format!(
            "SQLite has no schemas: {what} `{name}` is outside `{DEFAULT_SCHEMA}`"
        ))
    }
}

impl Sqlite {
    fn column_list(&self, columns: &[String]) -> String {
        columns
            .iter()
            .map(|c| quoted(c))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `REFERENCES ...` with actions and deferral.
    fn references(&self, fk: &crate::model::ForeignKey, c: &Constraint) -> Result<String, Reason> {
        public(&fk.ref_table, "table")?;
        if fk.match_full {
            return Err("SQLite parses `MATCH FULL` but does not enforce it".to_string());
        }
        let mut s = format!(
            "REFERENCES {} ({})",
            quoted(&fk.ref_table.name),
            self.column_list(&fk.ref_columns)
        );
        if fk.on_update != ReferentialAction::NoAction {
            s.push_str(&format!(" ON UPDATE {}", fk.on_update.as_sql()));
        }
        if fk.on_delete != ReferentialAction::NoAction {
            s.push_str(&format!(" ON DELETE {}", fk.on_delete.as_sql()));
        }
        if c.deferrable {
            s.push_str(if c.initially_deferred {
                " DEFERRABLE INITIALLY DEFERRED"
            } else {
                " DEFERRABLE INITIALLY IMMEDIATE"
            });
        }
        Ok(s)
    }

    /// `CONSTRAINT name <body>` as a table constraint.
    fn table_constraint(&self, c: &Constraint) -> Result<String, Reason> {
        if c.deferrable && !matches!(c.kind, ConstraintKind::ForeignKey(_)) {
            return Err(format!(
                "SQLite can defer only foreign keys, not {} `{}`",
                c.kind.describe(),
                c.name
            ));
        }
        if let ConstraintKind::Exclude(_) = c.kind {
            return Err(format!(
                "SQLite has no exclusion constraints (`EXCLUDE`, constraint `{}`)",
                c.name
            ));
        }
        if !c.validated {
            return Err(format!(
                "SQLite has no `NOT VALID` constraints: {} `{}` would hold for the rows it was added over, which PostgreSQL does not check; validate it (`ALTER TABLE ... VALIDATE CONSTRAINT`) or add it without `NOT VALID`",
                c.kind.describe(),
                c.name
            ));
        }
        if !c.kind.included().is_empty() {
            return Err(format!(
                "SQLite indexes have no `INCLUDE` columns ({} `{}`)",
                c.kind.describe(),
                c.name
            ));
        }
        let body = match &c.kind {
            ConstraintKind::PrimaryKey { columns, .. } => {
                format!("PRIMARY KEY ({})", self.column_list(columns))
            }
            ConstraintKind::Unique {
                columns,
                nulls_not_distinct,
                ..
            } => {
                if *nulls_not_distinct {
                    return Err(format!(
                        "SQLite has no `NULLS NOT DISTINCT` (unique constraint `{}`)",
                        c.name
                    ));
                }
                format!("UNIQUE ({})", self.column_list(columns))
            }
            ConstraintKind::ForeignKey(fk) => format!(
                "FOREIGN KEY ({}) {}",
                self.column_list(&fk.columns),
                self.references(fk, c)?
            ),
            ConstraintKind::Check { expr } => format!("CHECK ({})", sqlite_expr(expr)?),
            ConstraintKind::Exclude(_) => {
                return Err(format!(
                    "SQLite has no exclusion constraints (`EXCLUDE`, constraint `{}`)",
                    c.name
                ));
            }
        };
        Ok(format!("CONSTRAINT {} {body}", quoted(&c.name)))
    }

    /// A column's name, declared type, generated expression, default and
    /// nullability.
    fn plain_column(&self, c: &Column) -> Result<String, Reason> {
        let declared = match &c.data_type {
            // TEXT affinity, so a label that looks like a number stays text.
            SqlType::Named(name) => format!("TEXT {}", enum_marker(name)?),
            other => declared_type(other)?,
        };
        let mut out = format!("{} {declared}", quoted(&c.name));
        if let Some(collation) = &c.collation {
            let collation =
                sqlite_collation(collation).map_err(|e| format!("{e} (column `{}`)", c.name))?;
            out.push_str(&format!(" COLLATE {collation}"));
        }
        if let Some(g) = &c.generated {
            out.push_str(&format!(
                " GENERATED ALWAYS AS ({}) STORED",
                sqlite_expr(g)?
            ));
        }
        if let Some(d) = &c.default {
            out.push_str(&format!(" DEFAULT {}", sqlite_default(d)?.0));
        }
        if !c.nullable {
            out.push_str(" NOT NULL");
        }
        Ok(out)
    }

    /// A column definition in its table (`schema` is the one the table is in):
    /// the plain column and the enum's `CHECK`, or for the rowid alias its
    /// marker and inline primary key.
    fn column_sql(
        &self,
        table: &Table,
        c: &Column,
        schema: &Schema,
        alias: Option<&(String, RowidMarker)>,
    ) -> Result<String, Reason> {
        if let Some((_, marker)) = alias.filter(|(name, _)| *name == c.name) {
            let pk = table
                .primary_key()
                .map(|p| p.name.clone())
                .ok_or_else(|| format!("`{}` has no primary key", table.name))?;
            return Ok(format!(
                "{} INTEGER {} NOT NULL CONSTRAINT {} PRIMARY KEY AUTOINCREMENT",
                quoted(&c.name),
                marker.to_comment()?,
                quoted(&pk)
            ));
        }
        let mut out = self.plain_column(c)?;
        if let SqlType::Named(name) = &c.data_type {
            let e = schema.enums.get(name).ok_or_else(|| {
                format!(
                    "type `{name}` of `{}.{}` is not an enum type",
                    table.name, c.name
                )
            })?;
            let labels: Vec<String> = e.values.iter().map(|v| literal(v)).collect();
            out.push_str(&format!(
                " CHECK ({} IN ({}))",
                quoted(&c.name),
                labels.join(", ")
            ));
        }
        Ok(out)
    }

    /// `CREATE TABLE` for `table` as it is in `schema`, named `name`, with every
    /// constraint (foreign keys included) and without its indexes.
    fn create_table_sql(
        &self,
        name: &str,
        table: &Table,
        schema: &Schema,
    ) -> Result<String, Reason> {
        public(&table.name, "table")?;
        enum_arrays_have_labels(schema)?;
        let alias = rowid_alias(table, schema)?;
        let mut items = Vec::new();
        for c in &table.columns {
            items.push(self.column_sql(table, c, schema, alias.as_ref())?);
        }
        for c in table.constraints.values() {
            let inline_pk = alias.is_some() && matches!(c.kind, ConstraintKind::PrimaryKey { .. });
            if !inline_pk {
                items.push(self.table_constraint(c)?);
            }
        }
        Ok(format!(
            "CREATE TABLE {} (\n    {}\n);",
            quoted(name),
            items.join(",\n    ")
        ))
    }

    fn index_sql(&self, table: &QualifiedName, i: &Index) -> Result<String, Reason> {
        public(table, "table")?;
        if i.method != "btree" {
            return Err(format!(
                "SQLite has only b-tree indexes, not `{}` (index `{}`)",
                i.method, i.name
            ));
        }
        if !i.include.is_empty() {
            return Err(format!("SQLite has no `INCLUDE` (index `{}`)", i.name));
        }
        if i.nulls_not_distinct {
            return Err(format!(
                "SQLite has no `NULLS NOT DISTINCT` (index `{}`)",
                i.name
            ));
        }
        if !i.options.is_empty() {
            return Err(format!(
                "SQLite has no storage parameters, not `WITH ({})` (index `{}`)",
                i.options.to_sql(),
                i.name
            ));
        }
        let mut keys = Vec::new();
        for k in &i.keys {
            let mut s = match &k.part {
                IndexPart::Column(c) => quoted(c),
                IndexPart::Expression(e) => format!("({})", sqlite_expr(e)?),
            };
            if let Some(o) = &k.opclass {
                return Err(format!(
                    "SQLite has no operator classes, not `{}` (index `{}`)",
                    o.name, i.name
                ));
            }
            if let Some(c) = &k.collation {
                let c = sqlite_collation(c).map_err(|e| format!("{e} (index `{}`)", i.name))?;
                s.push_str(&format!(" COLLATE {c}"));
            }
            if k.descending {
                s.push_str(" DESC");
            }
            if k.nulls_first != k.descending {
                s.push(' ');
                s.push_str(&nulls_marker(k.nulls_first));
            }
            keys.push(s);
        }
        let mut out = format!(
            "CREATE {}INDEX {} ON {} ({})",
            if i.unique { "UNIQUE " } else { "" },
            quoted(&i.name),
            quoted(&table.name),
            keys.join(", ")
        );
        if let Some(p) = &i.predicate {
            out.push_str(&format!(" WHERE {}", sqlite_expr(p)?));
        }
        out.push(';');
        Ok(out)
    }
}

/// True when `seq` numbers a `serial` column of `schema` (the only sequences
/// SQLite keeps, as the column's rowid).
fn attached(seq: &Sequence, schema: &Schema) -> bool {
    seq.owned_by.as_ref().is_some_and(|(t, c)| {
        schema
            .tables
            .get(t)
            .and_then(|t| t.column(c))
            .is_some_and(|c| c.default == Some(nextval(&seq.name)))
    })
}

/// `seq` must be the sequence of a `serial` column of `schema`, with the
/// options `serial` gives it (SQLite's rowid counts 1, 2, 3, ...).
fn sequence_check(seq: &Sequence, schema: &Schema) -> Result<(), Reason> {
    public(&seq.name, "sequence")?;
    if attached(seq, schema) {
        let column_type = seq
            .owned_by
            .as_ref()
            .and_then(|(t, c)| schema.tables.get(t)?.column(c))
            .and_then(|c| SequenceType::of(&c.data_type));
        match column_type.map(SequenceOptions::defaults) {
            Some(defaults) if defaults != seq.options => Err(format!(
                "SQLite has no sequences: a `serial` column is numbered by its rowid (1, 2, 3, ...), so the options of sequence `{}` ({}) cannot be kept; use PostgreSQL's defaults",
                seq.name,
                non_default(&seq.options, &defaults)
            )),
            _ => Ok(()),
        }
    } else {
        Err(format!(
            "SQLite has no sequences; only the one a `serial` primary key owns is kept, as its rowid (`{}` is not one)",
            seq.name
        ))
    }
}

/// The options of `options` that differ from `defaults`, in words.
fn non_default(options: &SequenceOptions, defaults: &SequenceOptions) -> String {
    defaults.differences(options).join(", ")
}

/// `c`, when an identity column, must have its sequence's default options:
/// SQLite numbers a rowid alias 1, 2, 3, ...
fn identity_check(table: &QualifiedName, c: &Column) -> Result<(), Reason> {
    let (Some(&options), Some(ty)) = (
        c.identity_options.as_deref(),
        SequenceType::of(&c.data_type),
    ) else {
        return Ok(());
    };
    let defaults = SequenceOptions::defaults(ty);
    if c.identity.is_none() || options == defaults {
        return Ok(());
    }
    Err(format!(
        "SQLite has no sequences: identity column `{table}.{}` is numbered by its rowid (1, 2, 3, ...), so its identity options ({}) cannot be kept; use PostgreSQL's defaults",
        c.name,
        non_default(&options, &defaults)
    ))
}

/// The comment that stands for a PostgreSQL extension's change.
fn extension_comment(cx: &Context<'_>) -> Vec<Statement> {
    vec![Statement {
        comments: vec![format!(
            "{}: a PostgreSQL extension, nothing to do in SQLite",
            cx.change
        )],
        sql: String::new(),
    }]
}

impl Renderer for Sqlite {
    fn name(&self) -> &'static str {
        "SQLite"
    }

    /// As written when SQLite runs it as PostgreSQL does (see [`data::check`]).
    fn data_statement(&self, text: &str, origin: &crate::Origin) -> Result<Statement, Unsupported> {
        match data::check(text) {
            Ok(()) => Ok(Statement::new(format!("{text};"))),
            Err(r) => Err(Unsupported {
                dialect: self.name(),
                change: format!("the data statement at {origin}"),
                reason: format!("{}: {}", r.what, r.help),
            }),
        }
    }

    /// Always double-quoted: SQLite's keywords are not PostgreSQL's.
    fn ident(&self, name: &str) -> String {
        quoted(name)
    }

    /// The bare name (SQLite has no schemas; `render` refuses other schemas).
    fn object_name(&self, name: &QualifiedName) -> String {
        if name.schema == DEFAULT_SCHEMA {
            quoted(&name.name)
        } else {
            format!("{}.{}", quoted(&name.schema), quoted(&name.name))
        }
    }

    fn column_type(&self, ty: &SqlType) -> Result<String, Unsupported> {
        declared_type(ty).map_err(|reason| Unsupported {
            dialect: self.name(),
            change: format!("type `{ty}`"),
            reason,
        })
    }

    /// A column without its table: identity and `serial` columns need their
    /// table (see [`Renderer::render`]), and an enum column's `CHECK` needs the
    /// enum's labels, so it is left out.
    fn column_def(&self, c: &Column) -> Result<String, Unsupported> {
        let unsupported = |reason: String| Unsupported {
            dialect: self.name(),
            change: format!("column `{}`", c.name),
            reason,
        };
        if c.identity.is_some()
            || c.default
                .as_ref()
                .is_some_and(|d| d.nextval_sequence().is_some())
        {
            return Err(unsupported(
                "an automatically numbered column is rendered with its table".to_string(),
            ));
        }
        self.plain_column(c).map_err(unsupported)
    }

    /// The SQLite spelling; what SQLite cannot express (which [`Renderer::render`]
    /// refuses) is a comment saying why.
    fn constraint_body(&self, c: &Constraint) -> String {
        match self.table_constraint(c) {
            Ok(sql) => sql
                .strip_prefix(&format!("CONSTRAINT {} ", quoted(&c.name)))
                .map(str::to_string)
                .unwrap_or(sql),
            Err(reason) => format!("/* {reason} */"),
        }
    }

    fn create_index(&self, table: &QualifiedName, i: &Index) -> Result<String, Unsupported> {
        self.index_sql(table, i).map_err(|reason| Unsupported {
            dialect: self.name(),
            change: format!("create index `{}` on `{table}`", i.name),
            reason,
        })
    }

    /// Objects outside `public`, sequences other than a rowid alias's, and
    /// schemas: SQLite has none of them.
    fn refusal(&self, cx: &Context<'_>) -> Option<String> {
        let check = match cx.change {
            Change::CreateEnum(e) | Change::DropEnum(e) => public(&e.name, "type"),
            Change::AddEnumValue { name, .. } => public(name, "type"),
            Change::RecreateEnum { to, .. } => public(&to.name, "type"),
            Change::CreateSequence(s) | Change::AlterSequence { to: s, .. } => {
                sequence_check(s, cx.to)
            }
            Change::DropSequence(s) => sequence_check(s, cx.from),
            Change::RenameSequence { to, .. } => cx
                .to
                .sequences
                .get(to)
                .ok_or_else(|| format!("sequence `{to}` is not in the target schema"))
                .and_then(|s| sequence_check(s, cx.to)),
            Change::CreateSchema(_) | Change::DropSchema(_) => {
                Err("SQLite has no schemas".to_string())
            }
            Change::Grant { .. }
            | Change::Revoke { .. }
            | Change::SetOwner { .. }
            | Change::DefaultPrivileges { .. } => Err(
                "SQLite has no roles, privileges or owners; write `-- schema: ignore(privileges)` in schema.sql if privileges are managed outside the migrations".to_string(),
            ),
            Change::CreateView(v)
            | Change::DropView(v)
            | Change::ReplaceView { to: v, .. }
            | Change::RenameView { from: v, .. }
            | Change::AlterView { to: v, .. } => super::views::sqlite_view_check(v),
            Change::CreateDomain(d)
            | Change::DropDomain(d)
            | Change::ReplaceDomain { to: d, .. }
            | Change::AlterDomain { to: d, .. } => Err(format!(
                "SQLite has no domains; declare the columns of domain `{}` with its base type and their own NOT NULL, DEFAULT and CHECK instead",
                d.name
            )),
            Change::CreateTrigger(t)
            | Change::DropTrigger(t)
            | Change::ReplaceTrigger { to: t, .. }
            | Change::AlterTrigger { to: t, .. } => Err(format!(
                "SQLite triggers run SQL bodies, not trigger functions: trigger `{}` on `{}` (EXECUTE FUNCTION {}) cannot be rendered; keep it PostgreSQL-only",
                t.name, t.table, t.function
            )),
            Change::CreatePolicy(p) | Change::DropPolicy(p) | Change::AlterPolicy { to: p, .. } => {
                Err(format!(
                    "SQLite has no row-level security: policy `{}` on `{}` cannot be rendered",
                    p.name, p.table
                ))
            }
            Change::CreateComposite(c)
            | Change::DropComposite(c)
            | Change::ReplaceComposite { to: c, .. }
            | Change::AlterComposite { to: c, .. } => Err(format!(
                "SQLite has no composite types; store the attributes of `{}` as columns of their own instead",
                c.name
            )),
            Change::CreateOther(o)
            | Change::DropOther(o)
            | Change::RecreateOther { to: o, .. }
            | Change::SetOtherComment { object: o, .. } => Err(format!(
                "SQLite has no {}s: {} cannot be rendered; keep it PostgreSQL-only",
                o.identity.kind.describe(),
                o.identity
            )),
            Change::CreateFunction { function: f, .. }
            | Change::DropFunction { function: f, .. }
            | Change::ReplaceFunction { to: f, .. }
            | Change::RecreateFunction { to: f, .. }
            | Change::SetFunctionComment { function: f, .. } => Err(format!(
                "SQLite has no stored functions or procedures: {} `{}` cannot be created there; register it in the application (`sqlite3_create_function`) or keep it out of the SQLite build",
                f.kind.describe(),
                f.signature()
            )),
            Change::DropColumnDefault { table, column }
            | Change::SetColumnDefault { table, column } => Err(format!(
                "SQLite has no stored functions: the default of `{table}.{}` is set aside only while one is recreated",
                column.name
            )),
            Change::RenameType {
                kind: TypeKind::Enum,
                from,
                to,
            } => public(from, "type").and_then(|()| public(to, "type")),
            Change::RenameType {
                kind: TypeKind::Domain,
                from,
                ..
            } => Err(format!(
                "SQLite has no domains; declare the columns of domain `{from}` with its base type and their own NOT NULL, DEFAULT and CHECK instead"
            )),
            Change::RenameType {
                kind: TypeKind::Composite,
                from,
                ..
            } => Err(format!(
                "SQLite has no composite types; store the attributes of `{from}` as columns of their own instead"
            )),
            Change::RenameTable { from, to } => {
                public(from, "table").and_then(|()| public(to, "table"))
            }
            Change::RenameColumn { table, .. } => public(table, "table"),
            Change::CreateTable(t) if t.partition_by.is_some() => Err(format!(
                "table `{}` is partitioned (`PARTITION BY`), which SQLite has no equivalent of; keep it PostgreSQL-only or declare one plain table",
                t.name
            )),
            Change::CreateTable(t) if t.partition_of.is_some() => Err(format!(
                "table `{}` is a partition (`PARTITION OF`), which SQLite has no equivalent of",
                t.name
            )),
            Change::SetPartitionBound { table, .. } => Err(format!(
                "SQLite has no partitions; the bound of partition `{table}` cannot change there"
            )),
            Change::CreateTable(t)
                if t.columns
                    .iter()
                    .any(|c| identity_check(&t.name, c).is_err()) =>
            {
                t.columns
                    .iter()
                    .try_for_each(|c| identity_check(&t.name, c))
            }
            Change::AddColumn { table, column }
            | Change::AlterColumn {
                table, to: column, ..
            } if identity_check(table, column).is_err() => identity_check(table, column),
            Change::CreateTable(t) if t.unlogged => Err(format!(
                "table `{}` is `UNLOGGED`, which SQLite has no equivalent of; drop `UNLOGGED` from its `CREATE TABLE`",
                t.name
            )),
            Change::SetTableFlags { table, from, to } if from.unlogged != to.unlogged => {
                Err(format!(
                    "SQLite has no `UNLOGGED` tables; keep table `{table}` logged (remove `SET UNLOGGED`/`SET LOGGED`)"
                ))
            }
            Change::ValidateConstraint { table, constraint } => Err(format!(
                "SQLite has no `NOT VALID` constraints to validate (constraint `{constraint}` of table `{table}`)"
            )),
            Change::SetTableFlags { table, .. } => Err(format!(
                "SQLite has no row-level security; remove the `ROW LEVEL SECURITY` statements of table `{table}`"
            )),
            Change::CreateTable(t) if !t.options.is_empty() => Err(format!(
                "SQLite has no storage parameters; remove `WITH ({})` from the `CREATE TABLE` of `{}`",
                t.options.to_sql(),
                t.name
            )),
            Change::SetIndexOptions { index, .. } => Err(format!(
                "SQLite has no storage parameters; remove the `SET (...)`/`RESET (...)` of index `{index}`"
            )),
            Change::SetTableOptions { table, .. } => Err(format!(
                "SQLite has no storage parameters; remove the `SET (...)`/`RESET (...)` of table `{table}`"
            )),
            Change::CreateTable(t) if t.columns.iter().any(|c| c.collation.is_some()) => {
                column_collation_refusal(&t.name, t.columns.iter())
            }
            Change::AddColumn { table, column } if column.collation.is_some() => {
                column_collation_refusal(table, std::iter::once(column))
            }
            Change::AlterColumn { table, from, to } if from.collation != to.collation => {
                column_collation_refusal(table, [from, to].into_iter())
            }
            _ => column_storage_refusal(cx.change),
        };
        check.err()
    }

    /// `CREATE VIEW` alone: comments have no SQLite equivalent.
    fn render_create_view(&self, _: &Context<'_>, v: &View) -> Rendered {
        Ok(vec![Statement::new(crate::render::views::create_view_sql(
            self, v, false,
        ))])
    }

    /// `DROP VIEW` and `CREATE VIEW`: SQLite has no `CREATE OR REPLACE VIEW`.
    fn render_replace_view(&self, _: &Context<'_>, from: &View, to: &View) -> Rendered {
        let mut out = crate::render::views::drop_view(self, from);
        out.push(Statement::new(crate::render::views::create_view_sql(
            self, to, false,
        )));
        Ok(out)
    }

    /// `DROP VIEW` and `CREATE VIEW` under the new name: SQLite cannot
    /// rename a view.
    fn render_rename_view(&self, _: &Context<'_>, from: &View, to: &QualifiedName) -> Rendered {
        let mut out = crate::render::views::drop_view(self, from);
        let mut moved = from.clone();
        moved.name = to.clone();
        out.push(Statement::new(crate::render::views::create_view_sql(
            self, &moved, false,
        )));
        Ok(out)
    }

    /// Nothing: what a plain view SQLite holds can alter is its comments.
    fn render_alter_view(&self, _: &Context<'_>, _: &View, _: &View) -> Rendered {
        Ok(Vec::new())
    }

    /// Nothing: an enum type is its columns' `CHECK`s, which rebuilds change.
    fn render_create_enum(&self, _: &Context<'_>, _: &EnumType) -> Rendered {
        Ok(Vec::new())
    }

    /// Nothing (see [`Sqlite::render_create_enum`]).
    fn render_drop_enum(&self, _: &Context<'_>, _: &EnumType) -> Rendered {
        Ok(Vec::new())
    }

    /// Nothing (see [`Sqlite::render_create_enum`]).
    fn render_add_enum_value(
        &self,
        _: &Context<'_>,
        _: &QualifiedName,
        _: &str,
        _: Option<&str>,
    ) -> Rendered {
        Ok(Vec::new())
    }

    /// Nothing: SQLite knows an enum type by the marker comment of its
    /// columns, which the rebuild of their tables writes under the new name.
    fn render_rename_type(
        &self,
        _: &Context<'_>,
        _: TypeKind,
        _: &QualifiedName,
        _: &QualifiedName,
    ) -> Rendered {
        Ok(Vec::new())
    }

    /// Nothing (see [`Sqlite::render_create_enum`]).
    fn render_recreate_enum(&self, _: &Context<'_>, _: &EnumType, _: &EnumType) -> Rendered {
        Ok(Vec::new())
    }

    /// A comment: the extension is PostgreSQL's alone (README, "Dialects").
    fn render_create_extension(&self, cx: &Context<'_>, _: &Extension) -> Rendered {
        Ok(extension_comment(cx))
    }

    /// A comment (see [`Sqlite::render_create_extension`]).
    fn render_drop_extension(&self, cx: &Context<'_>, _: &Extension) -> Rendered {
        Ok(extension_comment(cx))
    }

    /// A comment (see [`Sqlite::render_create_extension`]).
    fn render_replace_extension(&self, cx: &Context<'_>, _: &Extension, _: &Extension) -> Rendered {
        Ok(extension_comment(cx))
    }

    /// Nothing: the only sequence SQLite keeps is a rowid alias's, its table's.
    fn render_create_sequence(&self, _: &Context<'_>, _: &Sequence) -> Rendered {
        Ok(Vec::new())
    }

    /// Nothing: a rebuild of the owning table renames the column's marker.
    fn render_rename_sequence(
        &self,
        _: &Context<'_>,
        _: &QualifiedName,
        _: &QualifiedName,
    ) -> Rendered {
        Ok(Vec::new())
    }

    /// Nothing (see [`Sqlite::render_create_sequence`]).
    fn render_drop_sequence(&self, _: &Context<'_>, _: &Sequence) -> Rendered {
        Ok(Vec::new())
    }

    /// Nothing (see [`Sqlite::render_create_sequence`]).
    fn render_alter_sequence(&self, _: &Context<'_>, _: &Sequence, _: &Sequence) -> Rendered {
        Ok(Vec::new())
    }

    /// `CREATE TABLE` as the table is in the target schema, foreign keys inline.
    fn render_create_table(&self, cx: &Context<'_>, t: &Table) -> Rendered {
        let full = cx.to.tables.get(&t.name).unwrap_or(t);
        let sql = self
            .create_table_sql(&t.name.name, full, cx.to)
            .map_err(|r| cx.unsupported(self.name(), r))?;
        Ok(vec![Statement::new(sql)])
    }

    /// At the list's first drop, every dropped table, children before their
    /// parents, each with its data-loss comment; nothing at the others.
    fn render_drop_table(&self, cx: &Context<'_>, t: &Table) -> Rendered {
        let first = cx.changes.iter().find_map(|c| match c {
            Change::DropTable(d) => Some(&d.name),
            _ => None,
        });
        if first != Some(&t.name) {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for t in drop_order(cx.changes).0 {
            public(&t.name, "table").map_err(|r| cx.unsupported(self.name(), r))?;
            let mut s = Statement::new(format!("DROP TABLE {};", quoted(&t.name.name)));
            if let Some(loss) = data_loss(&Change::DropTable(t.clone())) {
                s.comments.push(format!("destructive: {loss}"));
            }
            out.push(s);
        }
        Ok(out)
    }

    /// Nothing: a rebuild renames a constraint.
    fn render_rename_constraint(
        &self,
        _: &Context<'_>,
        _: &QualifiedName,
        _: &str,
        _: &str,
    ) -> Rendered {
        Ok(Vec::new())
    }

    /// `DROP INDEX` and `CREATE INDEX`: SQLite cannot rename an index.
    fn render_rename_index(
        &self,
        cx: &Context<'_>,
        table: &QualifiedName,
        from: &str,
        to: &str,
    ) -> Rendered {
        let refuse = |r: Reason| cx.unsupported(self.name(), r);
        let index = cx
            .to
            .tables
            .get(table)
            .and_then(|t| t.indexes.get(to))
            .ok_or_else(|| refuse(format!("index `{to}` is not in the target schema")))?;
        Ok(vec![
            Statement::new(format!("DROP INDEX {};", quoted(from))),
            Statement::new(self.index_sql(table, index).map_err(refuse)?),
        ])
    }

    /// `ADD COLUMN` with the foreign key folded in, when SQLite can add the
    /// column in place (else the table is rebuilt and this is not called).
    fn render_add_column(
        &self,
        cx: &Context<'_>,
        table: &QualifiedName,
        column: &Column,
    ) -> Rendered {
        let refuse = |r: Reason| cx.unsupported(self.name(), r);
        let t = cx
            .to
            .tables
            .get(table)
            .ok_or_else(|| refuse(format!("table `{table}` is not in the target schema")))?;
        let folded = native_add(cx.changes, cx.to, table, column)
            .map_err(|()| refuse("SQLite cannot add this column in place".to_string()))?;
        let mut sql = format!(
            "ALTER TABLE {} ADD COLUMN {}",
            quoted(&table.name),
            self.column_sql(t, column, cx.to, None).map_err(refuse)?
        );
        if let Some(fk) = folded {
            if let ConstraintKind::ForeignKey(k) = &fk.kind {
                sql.push_str(&format!(
                    " CONSTRAINT {} {}",
                    quoted(&fk.name),
                    self.references(k, fk).map_err(refuse)?
                ));
            }
        }
        sql.push(';');
        Ok(vec![Statement::new(sql)])
    }

    /// `DROP COLUMN` by the bare table name.
    fn render_drop_column(
        &self,
        _: &Context<'_>,
        table: &QualifiedName,
        column: &Column,
    ) -> Rendered {
        Ok(vec![Statement::new(format!(
            "ALTER TABLE {} DROP COLUMN {};",
            quoted(&table.name),
            quoted(&column.name)
        ))])
    }

    /// Nothing: a rebuild changes a column (a comment has no SQLite equivalent).
    fn render_alter_column(
        &self,
        _: &Context<'_>,
        _: &QualifiedName,
        _: &Column,
        _: &Column,
    ) -> Rendered {
        Ok(Vec::new())
    }

    /// Nothing: a rebuild, the table's `CREATE TABLE` or an `ADD COLUMN` has it.
    fn render_add_constraint(
        &self,
        _: &Context<'_>,
        _: &QualifiedName,
        _: &Constraint,
    ) -> Rendered {
        Ok(Vec::new())
    }

    /// Nothing: a rebuild drops a constraint (or its table is dropped).
    fn render_drop_constraint(
        &self,
        _: &Context<'_>,
        _: &QualifiedName,
        _: &Constraint,
    ) -> Rendered {
        Ok(Vec::new())
    }

    /// `DROP INDEX` by the bare index name.
    fn render_drop_index(&self, _: &Context<'_>, _: &QualifiedName, index: &Index) -> Rendered {
        Ok(vec![Statement::new(format!(
            "DROP INDEX {};",
            quoted(&index.name)
        ))])
    }

    /// Nothing: comments have no SQLite equivalent.
    fn render_set_constraint_comment(
        &self,
        _: &Context<'_>,
        _: &QualifiedName,
        _: &str,
        _: Option<&str>,
    ) -> Rendered {
        Ok(Vec::new())
    }

    /// Nothing: comments have no SQLite equivalent.
    fn render_set_index_comment(
        &self,
        _: &Context<'_>,
        _: &QualifiedName,
        _: &str,
        _: Option<&str>,
    ) -> Rendered {
        Ok(Vec::new())
    }

    /// Nothing: comments have no SQLite equivalent.
    fn render_set_sequence_comment(
        &self,
        _: &Context<'_>,
        _: &QualifiedName,
        _: Option<&str>,
    ) -> Rendered {
        Ok(Vec::new())
    }

    /// Nothing: comments have no SQLite equivalent.
    fn render_set_type_comment(
        &self,
        _: &Context<'_>,
        _: &QualifiedName,
        _: Option<&str>,
    ) -> Rendered {
        Ok(Vec::new())
    }

    /// Nothing: comments have no SQLite equivalent (nor schemas: `public`
    /// is the one SQLite's objects are in).
    fn render_set_schema_comment(&self, _: &Context<'_>, _: &str, _: Option<&str>) -> Rendered {
        Ok(Vec::new())
    }

    /// Nothing: comments have no SQLite equivalent (nor extensions).
    fn render_set_extension_comment(
        &self,
        _: &Context<'_>,
        _: &str,
        _: &crate::model::ExtensionComment,
    ) -> Rendered {
        Ok(Vec::new())
    }

    /// Nothing: comments have no SQLite equivalent.
    fn render_set_table_comment(
        &self,
        _: &Context<'_>,
        _: &QualifiedName,
        _: Option<&str>,
        _: Option<&str>,
    ) -> Rendered {
        Ok(Vec::new())
    }

    /// The change list with SQLite's procedure around it: tables dropped
    /// children first, the changes SQLite cannot make in place covered by one
    /// rebuild per table (after the drops and renames), foreign keys off
    /// around them.
    fn render(
        &self,
        changes: &[Change],
        from: &Schema,
        to: &Schema,
    ) -> Result<Vec<Statement>, Unsupported> {
        // What follows a type rename sees the type under its new name.
        let renamed = crate::diff::with_type_renames(from, changes);
        let from = renamed.as_ref();
        // A domain is refused by name before anything reads its columns as
        // enum columns.
        if let Some(change) = changes.iter().find(|c| {
            matches!(
                c,
                Change::CreateDomain(_)
                    | Change::DropDomain(_)
                    | Change::ReplaceDomain { .. }
                    | Change::AlterDomain { .. }
                    | Change::CreateComposite(_)
                    | Change::DropComposite(_)
                    | Change::ReplaceComposite { .. }
                    | Change::AlterComposite { .. }
                    | Change::RenameType {
                        kind: TypeKind::Domain | TypeKind::Composite,
                        ..
                    }
            )
        }) {
            let cx = Context {
                changes,
                from,
                to,
                change,
            };
            if let Some(reason) = self.refusal(&cx) {
                return Err(self.unsupported(change, reason));
            }
        }
        if let (Err(reason), Some(first)) = (enum_arrays_have_labels(to), changes.first()) {
            return Err(self.unsupported(first, reason));
        }
        if let Some((change, reason)) = shape_refusal(changes, from, to) {
            return Err(self.unsupported(change, reason));
        }
        for change in changes {
            let cx = Context {
                changes,
                from,
                to,
                change,
            };
            if let Some(reason) = extension_type_refusal(change, to)
                .or_else(|| partitioned_table_refusal(&cx))
                .or_else(|| column_storage_refusal(change).err())
            {
                return Err(self.unsupported(change, reason));
            }
        }
        // A schema holding a constraint SQLite has no equivalent of cannot be
        // on SQLite at all: no migration from or to it is either.
        if let (Some(reason), Some(first)) = (
            postgres_only_constraint(from).or_else(|| postgres_only_constraint(to)),
            changes.first(),
        ) {
            return Err(self.unsupported(first, reason));
        }
        let plan = Plan::new(changes, from, to);
        let (_, cycle) = drop_order(changes);
        let fk_off = cycle || !plan.rebuilt.is_empty();
        let mut out = Vec::new();
        if fk_off {
            out.push(Statement {
                comments: vec![
                    "SQLite ignores this inside a transaction: run this migration with foreign keys off"
                        .to_string(),
                ],
                sql: "PRAGMA foreign_keys=OFF;".to_string(),
            });
        }
        let split = changes
            .iter()
            .position(|c| !runs_before_rebuilds(c))
            .unwrap_or(changes.len());
        for (i, change) in changes.iter().enumerate() {
            if i == split {
                out.extend(self.rebuilds(&plan)?);
            }
            // What a rebuild covers is not rendered again.
            let covered =
                changed_table(&plan, change).is_some_and(|t| plan.rebuilt.contains_key(&t));
            let mut stmts = if covered {
                Vec::new()
            } else {
                self.render_change(&Context {
                    changes,
                    from,
                    to,
                    change,
                })?
            };
            if !matches!(change, Change::DropTable(_)) {
                if let (Some(loss), Some(first)) = (data_loss(change), stmts.first_mut()) {
                    first.comments.insert(0, format!("destructive: {loss}"));
                }
            }
            out.append(&mut stmts);
        }
        if split == changes.len() {
            out.extend(self.rebuilds(&plan)?);
        }
        if fk_off {
            out.push(Statement {
                comments: vec![
                    "any row returned here is a foreign key the migration broke".to_string(),
                ],
                sql: "PRAGMA foreign_key_check;".to_string(),
            });
            out.push(Statement::new("PRAGMA foreign_keys=ON;"));
        }
        Ok(out)
    }
}

/// Why a change cannot reach SQLite because a column it creates or changes
/// has a type that is neither PostgreSQL's own nor an enum of the schema: an
/// extension's type (`citext`, `hstore`, `ltree`, or an opaque one), which
/// SQLite has no equivalent of.
fn extension_type_refusal(change: &Change, to: &Schema) -> Option<String> {
    let columns: Vec<(&QualifiedName, &Column)> = match change {
        Change::CreateTable(t) => t.columns.iter().map(|c| (&t.name, c)).collect(),
        Change::AddColumn { table, column }
        | Change::AlterColumn {
            table, to: column, ..
        } => {
            vec![(table, column)]
        }
        _ => return None,
    };
    columns.into_iter().find_map(|(table, column)| {
        let mut ty = &column.data_type;
        while let SqlType::Array(inner) = ty {
            ty = inner;
        }
        let SqlType::Named(name) = ty else {
            return None;
        };
        // The schema's own types: enums SQLite holds, domains and composite
        // types it refuses by their own names.
        if to.enums.contains_key(name)
            || to.domains.contains_key(name)
            || to.composites.contains_key(name)
        {
            return None;
        }
        let from = match resolve_extension_type(to, name) {
            ExtensionType::Known { extension } | ExtensionType::Missing { extension, .. } => {
                format!("the extension `{extension}`")
            }
            ExtensionType::Opaque { extensions } => format!(
                "an extension (`{}`), taken as an opaque name",
                extensions.join("`, `")
            ),
            ExtensionType::Unknown => "no object of the schema".to_string(),
        };
        Some(format!(
            "column `{table}.{}` has type `{name}`, from {from}, which SQLite has no equivalent of; use a type SQLite can hold (`text`, ...) or leave SQLite out of the dialects this project builds for",
            column.name
        ))
    })
}

/// Why a change to a partitioned table or a partition cannot reach SQLite,
/// which has neither (creating one is refused by `refusal`'s own arms).
fn partitioned_table_refusal(cx: &Context<'_>) -> Option<String> {
    let table = match cx.change {
        Change::AddColumn { table, .. }
        | Change::DropColumn { table, .. }
        | Change::AlterColumn { table, .. }
        | Change::RenameColumn { table, .. }
        | Change::AddConstraint { table, .. }
        | Change::DropConstraint { table, .. }
        | Change::RenameConstraint { table, .. }
        | Change::CreateIndex { table, .. }
        | Change::DropIndex { table, .. }
        | Change::RenameIndex { table, .. }
        | Change::SetTableComment { table, .. }
        | Change::SetTableFlags { table, .. } => table,
        Change::DropTable(t) => &t.name,
        Change::RenameTable { to, .. } => to,
        _ => return None,
    };
    let t = cx
        .to
        .tables
        .get(table)
        .or_else(|| cx.from.tables.get(table))?;
    let what = if t.partition_of.is_some() {
        "a partition"
    } else if t.partition_by.is_some() {
        "partitioned"
    } else {
        return None;
    };
    Some(format!(
        "table `{table}` is {what}, which SQLite has no equivalent of"
    ))
}

/// Why SQLite cannot hold a constraint of `schema` (an exclusion constraint,
/// one added `NOT VALID`), if it has one.
fn postgres_only_constraint(schema: &Schema) -> Option<String> {
    schema.tables.values().find_map(|t| {
        t.constraints.values().find_map(|c| {
            if let ConstraintKind::Exclude(_) = c.kind {
                Some(format!(
                    "SQLite has no exclusion constraints (`EXCLUDE`, constraint `{}` of table `{}`)",
                    c.name, t.name
                ))
            } else if !c.validated {
                Some(format!(
                    "SQLite has no `NOT VALID` constraints ({} `{}` of table `{}`)",
                    c.kind.describe(),
                    c.name,
                    t.name
                ))
            } else {
                None
            }
        })
    })
}

/// A collation as SQLite names it: only its own three have an equivalent.
fn sqlite_collation(c: &str) -> Result<String, Reason> {
    match c.to_ascii_lowercase().as_str() {
        "binary" | "nocase" | "rtrim" => Ok(c.to_ascii_uppercase()),
        _ => Err(format!(
            "SQLite has only the collations `BINARY`, `NOCASE` and `RTRIM`, not `{c}`"
        )),
    }
}

/// The refusal of a column's `SET STORAGE` or `COMPRESSION`, PostgreSQL's
/// own (checked before rebuilds, which would cover an altered column).
fn column_storage_refusal(change: &Change) -> Result<(), String> {
    let (table, columns): (_, Vec<&Column>) = match change {
        Change::CreateTable(t) => (&t.name, t.columns.iter().collect()),
        Change::AddColumn { table, column } => (table, vec![column]),
        Change::AlterColumn { table, from, to }
            if from.storage != to.storage || from.compression != to.compression =>
        {
            (table, vec![from, to])
        }
        _ => return Ok(()),
    };
    match columns
        .into_iter()
        .find(|c| c.storage.is_some() || c.compression.is_some())
    {
        Some(c) => Err(format!(
            "SQLite has no column storage or compression (column `{table}.{}`); remove its `SET STORAGE` and `COMPRESSION`",
            c.name
        )),
        None => Ok(()),
    }
}

/// The refusal of a column `COLLATE` SQLite has no equivalent of.
fn column_collation_refusal<'a>(
    table: &QualifiedName,
    columns: impl Iterator<Item = &'a Column>,
) -> Result<(), String> {
    for c in columns {
        if let Some(Err(reason)) = c.collation.as_deref().map(sqlite_collation) {
            return Err(format!(
                "{reason} (column `{table}.{}`); remove its `COLLATE`, or use one of them",
                c.name
            ));
        }
    }
    Ok(())
}
