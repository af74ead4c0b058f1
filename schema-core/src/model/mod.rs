//! The dialect-neutral schema model in PostgreSQL's canonical form.
//!
//! Two spellings of one schema give equal models: types are canonical
//! ([`SqlType`]), unquoted identifiers are folded to lower case, implicit
//! constraint and index names are the ones PostgreSQL would choose
//! ([`names`]), and expressions compare by their canonical text
//! ([`Expression`]). Every object keeps the [`Origin`] it came from; origins
//! never take part in equality.

pub mod depth;
pub mod expr;
pub mod map;
pub mod mentions;
pub mod names;
pub mod types;

use std::collections::BTreeMap;
use std::fmt;

pub use expr::Expression;
pub use map::{Indexed, Journal, ObjectMap};
pub use types::SqlType;

use crate::diagnostic::Origin;

/// The default schema of unqualified names.
pub const DEFAULT_SCHEMA: &str = "public";

/// A schema-qualified object name (`public.users`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QualifiedName {
    /// The schema (namespace), `public` unless given.
    pub schema: String,
    /// The object's own name.
    pub name: String,
}

impl QualifiedName {
    /// A name in `schema`.
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Self {
        QualifiedName {
            schema: schema.into(),
            name: name.into(),
        }
    }

    /// A name in the default schema.
    pub fn public(name: impl Into<String>) -> Self {
        Self::new(DEFAULT_SCHEMA, name)
    }

    /// The key of an object that belongs to no schema (a schema itself, an
    /// extension): an empty `schema` part.
    pub fn global(name: impl Into<String>) -> Self {
        Self::new("", name)
    }
}

impl fmt::Display for QualifiedName {
    /// `name` in the default schema (and for a [`global`](Self::global) name),
    /// `schema.name` elsewhere; quoted where needed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.schema != DEFAULT_SCHEMA && !self.schema.is_empty() {
            write!(f, "{}.", names::quote_ident(&self.schema))?;
        }
        f.write_str(&names::quote_ident(&self.name))
    }
}

/// A whole schema: tables, enum types and sequences, by qualified name; the
/// schemas (namespaces) created by name and the extensions, by
/// [`QualifiedName::global`] name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    /// Tables.
    pub tables: ObjectMap<Table>,
    /// Enum types.
    pub enums: ObjectMap<EnumType>,
    /// Sequences (those created by `serial` columns included).
    pub sequences: ObjectMap<Sequence>,
    /// Schemas created with `CREATE SCHEMA` (a schema its objects use is there
    /// too, see [`Schema::used_namespaces`]).
    pub namespaces: ObjectMap<Namespace>,
    /// Extensions (`CREATE EXTENSION`).
    pub extensions: ObjectMap<Extension>,
}

impl Schema {
    /// An empty schema.
    pub fn new() -> Self {
        Self::default()
    }

    /// True when the schema has no object at all.
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
            && self.enums.is_empty()
            && self.sequences.is_empty()
            && self.namespaces.is_empty()
            && self.extensions.is_empty()
    }

    /// Every schema (namespace) the model uses: `public`, those created by
    /// name, those holding a table, enum type or sequence, and those an
    /// extension is installed in (PostgreSQL's own left out).
    pub fn used_namespaces(&self) -> std::collections::BTreeSet<&str> {
        let mut out = std::collections::BTreeSet::new();
        out.insert(DEFAULT_SCHEMA);
        out.extend(self.namespaces.keys().map(|n| n.name.as_str()));
        for n in self
            .tables
            .keys()
            .chain(self.enums.keys())
            .chain(self.sequences.keys())
        {
            out.insert(n.schema.as_str());
        }
        out.extend(
            self.extensions
                .values()
                .filter_map(|e| e.schema.as_deref())
                .filter(|s| !s.starts_with("pg_") && *s != "information_schema"),
        );
        out
    }

    /// Starts recording the prior value of every object written (see [`ObjectMap`]).
    pub(crate) fn begin_journal(&mut self) {
        self.tables.begin_journal();
        self.enums.begin_journal();
        self.sequences.begin_journal();
        self.namespaces.begin_journal();
        self.extensions.begin_journal();
    }

    /// Stops recording and returns the prior values of what was written.
    pub(crate) fn take_journal(&mut self) -> SchemaJournal {
        SchemaJournal {
            tables: self.tables.take_journal(),
            enums: self.enums.take_journal(),
            sequences: self.sequences.take_journal(),
            namespaces: self.namespaces.take_journal(),
            extensions: self.extensions.take_journal(),
        }
    }

    /// Undoes what a journal recorded.
    pub(crate) fn roll_back(&mut self, journal: SchemaJournal) {
        self.tables.roll_back(journal.tables);
        self.enums.roll_back(journal.enums);
        self.sequences.roll_back(journal.sequences);
        self.namespaces.roll_back(journal.namespaces);
        self.extensions.roll_back(journal.extensions);
    }

    /// Finds the table that owns the index `name` in `schema`.
    pub(crate) fn index_owner(&self, index: &QualifiedName) -> Option<&QualifiedName> {
        self.tables
            .holding(&index.name)
            .map(|(_, t)| t)
            .find(|t| t.name.schema == index.schema && t.indexes.contains_key(&index.name))
            .map(|t| &t.name)
    }

    /// True when `name` is taken by a relation (table, index, sequence, or a
    /// constraint's index) in its schema: PostgreSQL's relation namespace.
    pub(crate) fn relation_name_taken(&self, name: &QualifiedName) -> bool {
        if self.tables.contains_key(name) || self.sequences.contains_key(name) {
            return true;
        }
        let key = name.name.as_str();
        self.tables.holding(key).any(|(_, t)| {
            t.name.schema == name.schema
                && (t.indexes.contains_key(key)
                    || t.constraints.get(key).is_some_and(|c| c.kind.has_index()))
        })
    }

    /// True when a constraint called `name` exists in `schema` (PostgreSQL
    /// avoids such names when it chooses one).
    pub(crate) fn constraint_name_taken(&self, schema: &str, name: &str) -> bool {
        self.tables
            .holding(name)
            .any(|(_, t)| t.name.schema == schema && t.constraints.contains_key(name))
    }

    /// The foreign keys that reference `table` (its own included), as
    /// `(referencing table, constraint, foreign key)`, in name order.
    pub(crate) fn foreign_keys_referencing<'a>(
        &'a self,
        table: &'a QualifiedName,
    ) -> impl Iterator<Item = (&'a Table, &'a Constraint, &'a ForeignKey)> {
        self.tables
            .referring_to(table)
            .map(|(_, t)| t)
            .flat_map(move |t| {
                t.constraints.values().filter_map(move |c| match &c.kind {
                    ConstraintKind::ForeignKey(fk) if fk.ref_table == *table => Some((t, c, fk)),
                    _ => None,
                })
            })
    }
}

impl Indexed for Table {
    /// Its constraints' and indexes' names.
    fn held_names(&self) -> impl Iterator<Item = &str> {
        self.constraints
            .keys()
            .chain(self.indexes.keys())
            .map(String::as_str)
    }

    /// The tables its foreign keys reference.
    fn references(&self) -> impl Iterator<Item = &QualifiedName> {
        self.constraints.values().filter_map(|c| match &c.kind {
            ConstraintKind::ForeignKey(fk) => Some(&fk.ref_table),
            _ => None,
        })
    }
}

/// Objects that hold no names and refer to nothing.
macro_rules! holds_nothing {
    ($($ty:ty),*) => {$(
        impl Indexed for $ty {
            /// None.
            fn held_names(&self) -> impl Iterator<Item = &str> {
                std::iter::empty()
            }

            /// None.
            fn references(&self) -> impl Iterator<Item = &QualifiedName> {
                std::iter::empty()
            }
        }
    )*};
}

holds_nothing!(EnumType, Namespace, Extension);

impl Indexed for Sequence {
    /// None.
    fn held_names(&self) -> impl Iterator<Item = &str> {
        std::iter::empty()
    }

    /// The table that owns it.
    fn references(&self) -> impl Iterator<Item = &QualifiedName> {
        self.owned_by.iter().map(|(table, _)| table)
    }
}

/// The prior value of each object written while a schema's journal was on.
#[derive(Debug, Default)]
pub(crate) struct SchemaJournal {
    /// Tables.
    pub tables: Journal<Table>,
    /// Enum types.
    pub enums: Journal<EnumType>,
    /// Sequences.
    pub sequences: Journal<Sequence>,
    /// Schemas created by name.
    pub namespaces: Journal<Namespace>,
    /// Extensions.
    pub extensions: Journal<Extension>,
}

/// A table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Qualified name.
    pub name: QualifiedName,
    /// Columns in their physical order.
    pub columns: Vec<Column>,
    /// Constraints (primary key, unique, foreign key, check) by name.
    pub constraints: BTreeMap<String, Constraint>,
    /// Indexes that are not the implicit index of a constraint, by name.
    pub indexes: BTreeMap<String, Index>,
    /// `COMMENT ON TABLE`.
    pub comment: Option<String>,
    /// `CREATE UNLOGGED TABLE` / `ALTER TABLE ... SET UNLOGGED` (PostgreSQL's
    /// `pg_class.relpersistence = 'u'`).
    pub unlogged: bool,
    /// `ALTER TABLE ... ENABLE ROW LEVEL SECURITY` (`pg_class.relrowsecurity`).
    pub row_security: bool,
    /// `ALTER TABLE ... FORCE ROW LEVEL SECURITY` (`pg_class.relforcerowsecurity`).
    pub force_row_security: bool,
    /// Storage parameters: `WITH (fillfactor = 70, toast.autovacuum_enabled = false)`,
    /// `ALTER TABLE ... SET (...)` / `RESET (...)` (`pg_class.reloptions`, and the
    /// TOAST table's with a `toast.` prefix).
    pub options: StorageParameters,
    /// Where the table is declared.
    pub origin: Origin,
    /// `-- schema:` directives written just before the table.
    pub directives: Directives,
}

impl Table {
    /// An empty table.
    pub fn new(name: QualifiedName, origin: Origin) -> Self {
        Table {
            name,
            columns: Vec::new(),
            constraints: BTreeMap::new(),
            indexes: BTreeMap::new(),
            comment: None,
            unlogged: false,
            row_security: false,
            force_row_security: false,
            options: StorageParameters::default(),
            origin,
            directives: Directives::default(),
        }
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The column called `name`, mutably.
    pub(crate) fn column_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns.iter_mut().find(|c| c.name == name)
    }

    /// Drops an index key's `COLLATE` where it is the collation the key has
    /// anyway, as PostgreSQL does (`pg_get_indexdef` prints only a different
    /// one, and an index rebuilt by `ALTER COLUMN ... TYPE` follows the
    /// column): a column's own collation, or for an expression the one
    /// collation of the text columns it mentions (`default` when none).
    pub fn canonical_key_collations(&mut self) {
        let columns = &self.columns;
        fn own(col: &Column) -> &str {
            col.collation.as_deref().unwrap_or("default")
        }
        for index in self.indexes.values_mut() {
            for key in &mut index.keys {
                let implied = match &key.part {
                    IndexPart::Column(c) => columns.iter().find(|col| col.name == *c).map(own),
                    IndexPart::Expression(e) => {
                        let mut found = columns
                            .iter()
                            .filter(|col| col.data_type.is_collatable())
                            .filter(|col| mentions::expression_mentions(e, &col.name))
                            .map(own);
                        let first = found.next().unwrap_or("default");
                        found.all(|c| c == first).then_some(first)
                    }
                };
                if implied.is_some() && key.collation.as_deref() == implied {
                    key.collation = None;
                }
            }
        }
    }

    /// The primary key constraint, if any.
    pub(crate) fn primary_key(&self) -> Option<&Constraint> {
        self.constraints
            .values()
            .find(|c| matches!(c.kind, ConstraintKind::PrimaryKey { .. }))
    }

    /// The primary key's columns (empty without one).
    pub fn primary_key_columns(&self) -> &[String] {
        match self.primary_key().map(|c| &c.kind) {
            Some(ConstraintKind::PrimaryKey { columns }) => columns,
            _ => &[],
        }
    }
}

/// A column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Name.
    pub name: String,
    /// Canonical type.
    pub data_type: SqlType,
    /// False for `NOT NULL` (and for primary key columns).
    pub nullable: bool,
    /// `DEFAULT` expression (`nextval(...)` for serial columns).
    pub default: Option<Expression>,
    /// `GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY`.
    pub identity: Option<Identity>,
    /// `GENERATED ALWAYS AS (expr) STORED`.
    pub generated: Option<Expression>,
    /// `COMMENT ON COLUMN`.
    pub comment: Option<String>,
    /// `COLLATE name`: the collation's name as PostgreSQL keeps it (folded
    /// unless quoted; a `pg_catalog.`/`public.` qualifier dropped); `None` for
    /// the type's default collation (`COLLATE "default"` included).
    pub collation: Option<String>,
    /// Where the column is declared.
    pub origin: Origin,
    /// `-- schema:` directives written on or just before the column.
    pub directives: Directives,
}

/// The kind of an identity column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Identity {
    /// `GENERATED ALWAYS AS IDENTITY`.
    Always,
    /// `GENERATED BY DEFAULT AS IDENTITY`.
    ByDefault,
}

/// A named table constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraint {
    /// Name (PostgreSQL's choice when the source gave none).
    pub name: String,
    /// What it constrains.
    pub kind: ConstraintKind,
    /// `DEFERRABLE`.
    pub deferrable: bool,
    /// `INITIALLY DEFERRED`.
    pub initially_deferred: bool,
    /// Where it is declared.
    pub origin: Origin,
}

/// The four constraint kinds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConstraintKind {
    /// `PRIMARY KEY (columns)`.
    PrimaryKey {
        /// Key columns in order.
        columns: Vec<String>,
    },
    /// `UNIQUE [NULLS NOT DISTINCT] (columns)`.
    Unique {
        /// Columns in order.
        columns: Vec<String>,
        /// `NULLS NOT DISTINCT`.
        nulls_not_distinct: bool,
    },
    /// `FOREIGN KEY (columns) REFERENCES table (columns) ...`.
    ForeignKey(ForeignKey),
    /// `CHECK (expr)`.
    Check {
        /// The condition.
        expr: Expression,
    },
}

impl ConstraintKind {
    /// True for constraints backed by an index (primary key, unique).
    pub(crate) fn has_index(&self) -> bool {
        matches!(
            self,
            ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. }
        )
    }

    /// The columns the constraint is on (for a check: none).
    pub fn columns(&self) -> &[String] {
        match self {
            ConstraintKind::PrimaryKey { columns } | ConstraintKind::Unique { columns, .. } => {
                columns
            }
            ConstraintKind::ForeignKey(fk) => &fk.columns,
            ConstraintKind::Check { .. } => &[],
        }
    }

    /// A short word for messages: `primary key`, `unique constraint`, ...
    pub fn describe(&self) -> &'static str {
        match self {
            ConstraintKind::PrimaryKey { .. } => "primary key",
            ConstraintKind::Unique { .. } => "unique constraint",
            ConstraintKind::ForeignKey(_) => "foreign key",
            ConstraintKind::Check { .. } => "check constraint",
        }
    }
}

/// A foreign key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    /// Referencing columns.
    pub columns: Vec<String>,
    /// Referenced table.
    pub ref_table: QualifiedName,
    /// Referenced columns (the referenced primary key when the source omitted them).
    pub ref_columns: Vec<String>,
    /// `ON DELETE`.
    pub on_delete: ReferentialAction,
    /// `ON UPDATE`.
    pub on_update: ReferentialAction,
    /// `MATCH FULL` (otherwise `MATCH SIMPLE`).
    pub match_full: bool,
}

/// What a foreign key does when its referenced row changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ReferentialAction {
    /// `NO ACTION` (the default).
    #[default]
    NoAction,
    /// `RESTRICT`.
    Restrict,
    /// `CASCADE`.
    Cascade,
    /// `SET NULL`.
    SetNull,
    /// `SET DEFAULT`.
    SetDefault,
}

impl ReferentialAction {
    /// The SQL keywords.
    pub(crate) fn as_sql(self) -> &'static str {
        match self {
            ReferentialAction::NoAction => "NO ACTION",
            ReferentialAction::Restrict => "RESTRICT",
            ReferentialAction::Cascade => "CASCADE",
            ReferentialAction::SetNull => "SET NULL",
            ReferentialAction::SetDefault => "SET DEFAULT",
        }
    }
}

/// An index that is not the implicit index of a constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    /// Name (PostgreSQL's choice when the source gave none).
    pub name: String,
    /// `UNIQUE`.
    pub unique: bool,
    /// Access method, lower case (`btree`, `hash`, `gin`, `gist`, `brin`, ...).
    pub method: String,
    /// Key parts in order.
    pub keys: Vec<IndexKey>,
    /// `INCLUDE (columns)`.
    pub include: Vec<String>,
    /// `NULLS NOT DISTINCT`.
    pub nulls_not_distinct: bool,
    /// Partial index condition.
    pub predicate: Option<Expression>,
    /// Storage parameters: `WITH (fillfactor = 50, fastupdate = off)`
    /// (`pg_class.reloptions` of the index).
    pub options: StorageParameters,
    /// Where it is declared.
    pub origin: Origin,
}

/// One key part of an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexKey {
    /// A column or an expression.
    pub part: IndexPart,
    /// `DESC`.
    pub descending: bool,
    /// `NULLS FIRST` (PostgreSQL's default is `NULLS FIRST` exactly for `DESC`).
    pub nulls_first: bool,
    /// `COLLATE name`: the collation's name as PostgreSQL keeps it (folded
    /// unless quoted; a `pg_catalog.` qualifier dropped, as PostgreSQL prints it).
    pub collation: Option<String>,
    /// The operator class, when one is written (kept as written, an explicit
    /// default class included: a live database compares through the stored
    /// form, where PostgreSQL omits default classes).
    pub opclass: Option<OperatorClass>,
}

/// An index key's operator class: `text_pattern_ops`, `public.my_ops`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorClass {
    /// The schema, when the class was written qualified (not `pg_catalog`).
    pub schema: Option<String>,
    /// The class's name, folded unless quoted.
    pub name: String,
}

/// Storage parameters (`pg_class.reloptions`): names and values as PostgreSQL
/// stores them (names folded, values as written: `fillfactor=70`,
/// `autovacuum_enabled=off`), in the order PostgreSQL keeps them. Two lists
/// are equal when they hold the same pairs, whatever their order.
#[derive(Debug, Clone, Default)]
pub struct StorageParameters(pub Vec<(String, String)>);

impl PartialEq for StorageParameters {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len() && self.0.iter().all(|p| other.0.contains(p))
    }
}
impl Eq for StorageParameters {}

impl StorageParameters {
    /// True when no parameter is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// `SET (name = value)`: as PostgreSQL does, a parameter set again moves
    /// to the end with its new value.
    pub fn set(&mut self, name: &str, value: &str) {
        self.0.retain(|(n, _)| n != name);
        self.0.push((name.to_string(), value.to_string()));
    }

    /// `RESET (name)`.
    pub fn reset(&mut self, name: &str) {
        self.0.retain(|(n, _)| n != name);
    }

    /// `name=value, ...` as `WITH (...)` and `SET (...)` write them.
    pub fn to_sql(&self) -> String {
        self.0
            .iter()
            .map(|(n, v)| format!("{n}={}", parameter_value(v)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A storage parameter's value written back so that PostgreSQL stores it
/// unchanged: a lower-case word or a plain number bare, anything else as a
/// string constant (which PostgreSQL stores as its contents).
fn parameter_value(v: &str) -> String {
    let word = v.starts_with(|c: char| c.is_ascii_lowercase())
        && v.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    let digits = v.strip_prefix('-').unwrap_or(v);
    let number = digits.starts_with(|c: char| c.is_ascii_digit())
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|b| *b == b'.').count() <= 1
        && !digits.ends_with('.')
        && (digits == "0" || !digits.starts_with('0') || digits.starts_with("0."));
    if word || number {
        v.to_string()
    } else {
        format!("'{}'", v.replace('\'', "''"))
    }
}

/// A column or an expression in an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexPart {
    /// A plain column.
    Column(String),
    /// An expression.
    Expression(Expression),
}

/// An enum type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumType {
    /// Qualified name.
    pub name: QualifiedName,
    /// Labels in sort order.
    pub values: Vec<String>,
    /// Where it is declared.
    pub origin: Origin,
    /// `-- schema:` directives written just before it.
    pub directives: Directives,
}

/// A sequence; `serial` columns own one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sequence {
    /// Qualified name.
    pub name: QualifiedName,
    /// `OWNED BY table.column`.
    pub owned_by: Option<(QualifiedName, String)>,
    /// Where it is declared.
    pub origin: Origin,
}

/// A schema (namespace) created by name: `CREATE SCHEMA name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Namespace {
    /// Its name.
    pub name: String,
    /// Where it is created.
    pub origin: Origin,
}

/// An extension: `CREATE EXTENSION [IF NOT EXISTS] name [WITH] [SCHEMA s]
/// [VERSION v] [CASCADE]`.
///
/// Its schema and version are what the statement says (`None` when it does
/// not say), and two extensions differ in them only when both say (see
/// [`Extension::differs_from`]): PostgreSQL picks a schema and the default
/// version itself, and a live database always names both. `IF NOT EXISTS`,
/// `WITH` and `CASCADE` are how it was written, kept to write it back the same
/// way, and never compared.
#[derive(Debug, Clone)]
pub struct Extension {
    /// Its name (`uuid-ossp`).
    pub name: String,
    /// `SCHEMA s`.
    pub schema: Option<String>,
    /// `VERSION v`.
    pub version: Option<String>,
    /// `IF NOT EXISTS`.
    pub if_not_exists: bool,
    /// The optional `WITH` before `SCHEMA`/`VERSION`.
    pub with_keyword: bool,
    /// `CASCADE` (also install the extensions it requires).
    pub cascade: bool,
    /// Extensions it requires, when known (a live database says; a statement
    /// does not).
    pub requires: Vec<String>,
    /// Where it is created.
    pub origin: Origin,
}

impl PartialEq for Extension {
    /// The name, and the schema and version where both state them (see
    /// [`Extension::differs_from`]): an unstated one is whatever PostgreSQL
    /// picks. (So `Eq` is not transitive across an unstated field: `None`
    /// equals both `1.0` and `1.1`.)
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && !self.differs_from(other)
    }
}
impl Eq for Extension {}

impl Extension {
    /// True when `self` and `other` (one extension, by name) differ in what
    /// both state: the schema, the version.
    pub(crate) fn differs_from(&self, other: &Extension) -> bool {
        let both_say =
            |a: &Option<String>, b: &Option<String>| matches!((a, b), (Some(a), Some(b)) if a != b);
        both_say(&self.schema, &other.schema) || both_say(&self.version, &other.version)
    }
}

/// `-- schema: ...` directives attached to an object. Never part of equality.
#[derive(Debug, Clone, Default)]
pub struct Directives(pub Vec<crate::directive::Directive>);

impl PartialEq for Directives {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for Directives {}

impl Directives {
    /// True when a directive allows the lint called `name`.
    pub fn allows(&self, name: &str) -> bool {
        self.0.iter().any(|d| d.allows(name))
    }
}
