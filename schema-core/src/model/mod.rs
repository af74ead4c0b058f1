//! The dialect-neutral schema model in PostgreSQL's canonical form.
//!
//! Two spellings of one schema give equal models: types are canonical
//! ([`SqlType`]), unquoted identifiers are folded to lower case, implicit
//! constraint and index names are the ones PostgreSQL would choose
//! ([`names`]), and expressions compare by their canonical text
//! ([`Expression`]). Every object keeps the [`Origin`] it came from; origins
//! never take part in equality.

pub mod contrib;
pub mod depends;
pub mod depth;
pub mod expr;
pub mod function;
pub mod map;
pub mod mentions;
pub mod name_map;
pub mod names;
pub mod others;
pub mod policy;
pub mod privileges;
pub mod sequence;
pub mod storage;
pub mod trigger;
pub mod types;
pub mod view;

use std::collections::BTreeMap;
use std::fmt;

pub use expr::Expression;
pub use function::Function;
pub use map::{Indexed, Journal, ObjectMap};
pub use name_map::NameMap;
pub use policy::{Policies, Policy, PolicyCommand};
pub use sequence::{SequenceOption, SequenceOptions, SequenceType};
pub use storage::{Compression, Storage};
pub use trigger::{Trigger, TriggerEvents, TriggerState, TriggerTiming, Triggers};
pub use types::SqlType;
pub use view::{View, ViewColumn, ViewQuery};

use crate::diagnostic::Origin;

/// The default schema of unqualified names.
pub const DEFAULT_SCHEMA: &str = "public";

/// The comment PostgreSQL gives the `public` schema of a new database. The
/// model holds `public` as a [`Namespace`] only when its comment is another
/// (none included): see [`Schema::namespace_comment`].
pub const PUBLIC_SCHEMA_COMMENT: &str = "standard public schema";

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

    /// The name a written name's parts (already folded) stand for: `n` in
    /// the default schema, `s.n`, or `db.s.n` (the database part is the
    /// current one's); `None` for no parts or more than three.
    pub fn from_parts(parts: &[String]) -> Option<Self> {
        match parts {
            [n] => Some(Self::public(n.clone())),
            [s, n] | [_, s, n] => Some(Self::new(s.clone(), n.clone())),
            _ => None,
        }
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
    /// Domains (`CREATE DOMAIN`).
    pub domains: ObjectMap<Domain>,
    /// Composite types (`CREATE TYPE ... AS (...)`).
    pub composites: ObjectMap<CompositeType>,
    /// Sequences (those created by `serial` columns included).
    pub sequences: ObjectMap<Sequence>,
    /// Schemas created with `CREATE SCHEMA` (a schema its objects use is there
    /// too, see [`Schema::used_namespaces`]).
    pub namespaces: ObjectMap<Namespace>,
    /// Extensions (`CREATE EXTENSION`).
    pub extensions: ObjectMap<Extension>,
    /// Grants and owners of tables, sequences and schemas, where they differ
    /// from a new object's (see [`privileges`]).
    pub privileges: ObjectMap<privileges::Acl>,
    /// `ALTER DEFAULT PRIVILEGES` entries (keyed by [`privileges::DefaultAcl::key`]).
    pub default_privileges: ObjectMap<privileges::DefaultAcl>,
    /// `-- schema: ignore(privileges)`: `GRANT`, `REVOKE` and `OWNER TO` are
    /// checked but leave nothing in [`Schema::privileges`].
    pub privileges_ignored: bool,
    /// Functions and procedures, by [`Function::key`] (name and identity signature).
    pub functions: ObjectMap<Function>,
    /// Views and materialized views (`CREATE [MATERIALIZED] VIEW`).
    pub views: ObjectMap<View>,
    /// Triggers, by the table they are on, then by name.
    pub triggers: ObjectMap<Triggers>,
    /// Row-level security policies, by the table they are on, then by name.
    pub policies: ObjectMap<Policies>,
    /// Aggregates, operators, casts, collations, text-search objects, event
    /// triggers, publications and rules, by [`others::OtherIdentity::key`].
    pub others: ObjectMap<others::OtherObject>,
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
            && self.domains.is_empty()
            && self.composites.is_empty()
            && self.sequences.is_empty()
            && self.namespaces.is_empty()
            && self.extensions.is_empty()
            && self.privileges.is_empty()
            && self.default_privileges.is_empty()
            && self.functions.is_empty()
            && self.views.is_empty()
            && self.triggers.is_empty()
            && self.policies.is_empty()
            && self.others.is_empty()
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
            .chain(self.domains.keys())
            .chain(self.composites.keys())
            .chain(self.sequences.keys())
            .chain(self.functions.keys())
            .chain(self.views.keys())
            .chain(self.others.keys().filter(|k| !k.schema.is_empty()))
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

    /// The comment of schema `name`: its [`Namespace`]'s, else (`public`,
    /// or a schema used but not created by name) the one PostgreSQL gives
    /// it.
    pub fn namespace_comment(&self, name: &str) -> Option<&str> {
        match self.namespaces.get(&QualifiedName::global(name)) {
            Some(n) => n.comment.as_deref(),
            None if name == DEFAULT_SCHEMA => Some(PUBLIC_SCHEMA_COMMENT),
            None => None,
        }
    }

    /// Starts recording the prior value of every object written (see [`ObjectMap`]).
    pub(crate) fn begin_journal(&mut self) {
        self.tables.begin_journal();
        self.enums.begin_journal();
        self.domains.begin_journal();
        self.composites.begin_journal();
        self.sequences.begin_journal();
        self.namespaces.begin_journal();
        self.extensions.begin_journal();
        self.privileges.begin_journal();
        self.default_privileges.begin_journal();
        self.functions.begin_journal();
        self.views.begin_journal();
        self.triggers.begin_journal();
        self.policies.begin_journal();
        self.others.begin_journal();
    }

    /// Stops recording and returns the prior values of what was written.
    pub(crate) fn take_journal(&mut self) -> SchemaJournal {
        SchemaJournal {
            tables: self.tables.take_journal(),
            enums: self.enums.take_journal(),
            domains: self.domains.take_journal(),
            composites: self.composites.take_journal(),
            sequences: self.sequences.take_journal(),
            namespaces: self.namespaces.take_journal(),
            extensions: self.extensions.take_journal(),
            privileges: self.privileges.take_journal(),
            default_privileges: self.default_privileges.take_journal(),
            functions: self.functions.take_journal(),
            views: self.views.take_journal(),
            triggers: self.triggers.take_journal(),
            policies: self.policies.take_journal(),
            others: self.others.take_journal(),
        }
    }

    /// Undoes what a journal recorded.
    pub(crate) fn roll_back(&mut self, journal: SchemaJournal) {
        self.tables.roll_back(journal.tables);
        self.enums.roll_back(journal.enums);
        self.domains.roll_back(journal.domains);
        self.composites.roll_back(journal.composites);
        self.sequences.roll_back(journal.sequences);
        self.namespaces.roll_back(journal.namespaces);
        self.extensions.roll_back(journal.extensions);
        self.privileges.roll_back(journal.privileges);
        self.default_privileges
            .roll_back(journal.default_privileges);
        self.functions.roll_back(journal.functions);
        self.views.roll_back(journal.views);
        self.triggers.roll_back(journal.triggers);
        self.policies.roll_back(journal.policies);
        self.others.roll_back(journal.others);
    }

    /// Finds the table that owns the index `name` in `schema`.
    pub(crate) fn index_owner(&self, index: &QualifiedName) -> Option<&QualifiedName> {
        self.tables
            .holding(&index.name)
            .map(|(_, t)| t)
            .find(|t| t.name.schema == index.schema && t.indexes.contains_key(&index.name))
            .map(|t| &t.name)
    }

    /// Finds the materialized view that owns the index `name` in its schema.
    pub(crate) fn view_index_owner(&self, index: &QualifiedName) -> Option<&QualifiedName> {
        self.views
            .holding(&index.name)
            .map(|(k, _)| k)
            .find(|k| k.schema == index.schema)
    }

    /// True when `name` is taken by a relation (table, index, sequence, or a
    /// constraint's index) in its schema: PostgreSQL's relation namespace.
    pub(crate) fn relation_name_taken(&self, name: &QualifiedName) -> bool {
        if self.tables.contains_key(name)
            || self.sequences.contains_key(name)
            || self.views.contains_key(name)
        {
            return true;
        }
        if self
            .views
            .holding(&name.name)
            .any(|(k, _)| k.schema == name.schema)
        {
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
    /// avoids such names when it chooses one), a domain's included.
    pub(crate) fn constraint_name_taken(&self, schema: &str, name: &str) -> bool {
        self.tables
            .holding(name)
            .any(|(_, t)| t.name.schema == schema && t.constraints.contains_key(name))
            || self
                .domains
                .holding(name)
                .any(|(_, d)| d.name.schema == schema && d.checks.contains_key(name))
    }

    /// True when `name` is taken by a type in its schema: an enum type, a
    /// domain, a composite type, or a table (whose row type has its name;
    /// a sequence's does not, in PostgreSQL 15).
    pub(crate) fn type_name_taken(&self, name: &QualifiedName) -> bool {
        self.enums.contains_key(name)
            || self.domains.contains_key(name)
            || self.composites.contains_key(name)
            || self.tables.contains_key(name)
            || self.views.contains_key(name)
    }

    /// The kind of the user-defined type `name`, when it is one.
    pub fn type_kind(&self, name: &QualifiedName) -> Option<TypeKind> {
        if self.enums.contains_key(name) {
            Some(TypeKind::Enum)
        } else if self.domains.contains_key(name) {
            Some(TypeKind::Domain)
        } else if self.composites.contains_key(name) {
            Some(TypeKind::Composite)
        } else {
            None
        }
    }

    /// Renames the enum type, domain or composite type `old` to `new`, and
    /// every use of it, as `ALTER TYPE`/`ALTER DOMAIN ... RENAME TO` does:
    /// columns, domain bases and composite attributes of it (or arrays of
    /// it), and casts to it in column defaults, generated columns, checks
    /// and domains. Nothing happens when `old` is no such type.
    pub(crate) fn rename_type(&mut self, old: &QualifiedName, new: &QualifiedName) {
        if let Some(mut e) = self.enums.remove(old) {
            e.name = new.clone();
            self.enums.insert(new.clone(), e);
        } else if let Some(mut d) = self.domains.remove(old) {
            d.name = new.clone();
            self.domains.insert(new.clone(), d);
        } else if let Some(mut c) = self.composites.remove(old) {
            c.name = new.clone();
            self.composites.insert(new.clone(), c);
        } else {
            return;
        }
        // Its grants and owner go with it.
        self.rename_acl(old, new);
        self.rename_type_uses(old, new);
    }

    /// Renames type `old` to `new` where it is used (see
    /// [`Schema::rename_type`]), the type itself left as it is.
    pub(crate) fn rename_type_uses(&mut self, old: &QualifiedName, new: &QualifiedName) {
        use mentions::{expression_casts_to, rename_type, rename_type_in_expression, uses_type};
        let casts =
            |e: &Option<Expression>| e.as_ref().is_some_and(|e| expression_casts_to(e, old));
        let rename = |e: &mut Option<Expression>| {
            if let Some(x) = e {
                *x = rename_type_in_expression(x, old, new);
            }
        };
        self.tables.update_where(
            |t| {
                t.columns.iter().any(|c| {
                    uses_type(&c.data_type, old) || casts(&c.default)
                        || c.generated.as_deref().is_some_and(|e| expression_casts_to(e, old))
                }) || t.constraints.values().any(
                    |c| matches!(&c.kind, ConstraintKind::Check { expr } if expression_casts_to(expr, old)),
                )
            },
            |t| {
                for c in &mut t.columns {
                    rename_type(&mut c.data_type, old, new);
                    rename(&mut c.default);
                    if let Some(g) = &mut c.generated {
                        **g = rename_type_in_expression(g, old, new);
                    }
                }
                for c in t.constraints.values_mut() {
                    if let ConstraintKind::Check { expr } = &mut c.kind {
                        *expr = rename_type_in_expression(expr, old, new);
                    }
                }
            },
        );
        self.domains.update_where(
            |d| {
                uses_type(&d.base, old)
                    || casts(&d.default)
                    || d.checks.values().any(|c| expression_casts_to(&c.expr, old))
            },
            |d| {
                rename_type(&mut d.base, old, new);
                rename(&mut d.default);
                for c in d.checks.values_mut() {
                    c.expr = rename_type_in_expression(&c.expr, old, new);
                }
            },
        );
        self.composites.update_where(
            |c| c.attributes.iter().any(|a| uses_type(&a.data_type, old)),
            |c| {
                for a in &mut c.attributes {
                    rename_type(&mut a.data_type, old, new);
                }
            },
        );
        function::rename_type_in_functions(self, old, new);
        self.triggers.update_where(
            |t| t.0.values().any(|x| casts(&x.when)),
            |t| {
                for x in t.0.values_mut() {
                    rename(&mut x.when);
                }
            },
        );
        self.policies.update_where(
            |p| {
                p.0.values()
                    .any(|x| casts(&x.using) || casts(&x.with_check))
            },
            |p| {
                for x in p.0.values_mut() {
                    rename(&mut x.using);
                    rename(&mut x.with_check);
                }
            },
        );
    }

    /// `ty` with every domain in it replaced by the type it stands for in
    /// the end (an array of a domain over `integer[]` is `integer[]`, as
    /// PostgreSQL has no arrays of arrays).
    pub fn resolved_type(&self, ty: &SqlType) -> SqlType {
        self.resolved_type_within(ty, self.domains.len() + 1)
    }

    fn resolved_type_within(&self, ty: &SqlType, fuel: usize) -> SqlType {
        match ty {
            _ if fuel == 0 => ty.clone(),
            SqlType::Array(inner) => match self.resolved_type_within(inner, fuel - 1) {
                SqlType::Array(t) => SqlType::Array(t),
                t => SqlType::Array(Box::new(t)),
            },
            SqlType::Named(n) => match self.domains.get(n) {
                Some(d) => self.resolved_type_within(&d.base, fuel - 1),
                None => ty.clone(),
            },
            other => other.clone(),
        }
    }

    /// The type a domain stands for in the end, following domains over
    /// domains (`ty` itself when it is no domain); arrays keep their shape.
    /// The chain is bounded, so a cycle (which PostgreSQL cannot hold) ends.
    pub fn base_type<'a>(&'a self, ty: &'a SqlType) -> &'a SqlType {
        let mut ty = ty;
        for _ in 0..=self.domains.len() {
            match ty {
                SqlType::Named(n) => match self.domains.get(n) {
                    Some(d) => ty = &d.base,
                    None => return ty,
                },
                _ => return ty,
            }
        }
        ty
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

holds_nothing!(
    EnumType,
    Namespace,
    Extension,
    CompositeType,
    privileges::Acl,
    privileges::DefaultAcl,
    others::OtherObject
);

impl Indexed for Domain {
    /// Its check constraints' names.
    fn held_names(&self) -> impl Iterator<Item = &str> {
        self.checks.keys().map(String::as_str)
    }

    /// None.
    fn references(&self) -> impl Iterator<Item = &QualifiedName> {
        std::iter::empty()
    }
}

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
    /// Domains.
    pub domains: Journal<Domain>,
    /// Composite types.
    pub composites: Journal<CompositeType>,
    /// Sequences.
    pub sequences: Journal<Sequence>,
    /// Schemas created by name.
    pub namespaces: Journal<Namespace>,
    /// Extensions.
    pub extensions: Journal<Extension>,
    /// Grants and owners.
    pub privileges: Journal<privileges::Acl>,
    /// Default privileges.
    pub default_privileges: Journal<privileges::DefaultAcl>,
    /// Functions and procedures.
    pub functions: Journal<Function>,
    /// Views.
    pub views: Journal<View>,
    /// Triggers, per table.
    pub triggers: Journal<Triggers>,
    /// Policies, per table.
    pub policies: Journal<Policies>,
    /// Aggregates, operators, casts, collations, text-search objects, event
    /// triggers, publications and rules.
    pub others: Journal<others::OtherObject>,
}

/// A table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Qualified name.
    pub name: QualifiedName,
    /// Columns in their physical order.
    pub columns: Vec<Column>,
    /// Constraints (primary key, unique, foreign key, check) by name.
    pub constraints: NameMap<Constraint>,
    /// Indexes that are not the implicit index of a constraint, by name.
    pub indexes: NameMap<Index>,
    /// `COMMENT ON TABLE`.
    pub comment: Option<String>,
    /// `CREATE UNLOGGED TABLE` / `ALTER TABLE ... SET UNLOGGED` (PostgreSQL's
    /// `pg_class.relpersistence = 'u'`).
    pub unlogged: bool,
    /// `ALTER TABLE ... ENABLE ROW LEVEL SECURITY` (`pg_class.relrowsecurity`).
    pub row_security: bool,
    /// `ALTER TABLE ... FORCE ROW LEVEL SECURITY` (`pg_class.relforcerowsecurity`).
    pub force_row_security: bool,
    /// `PARTITION BY ...`: a partitioned table, whose rows live in its partitions.
    pub partition_by: Option<PartitionKey>,
    /// `PARTITION OF parent FOR VALUES ...` (or a table attached as one). A
    /// partition has its parent's columns, which PostgreSQL keeps in step
    /// with the parent: they are not listed here (`columns` is empty), and
    /// neither are the constraints and indexes it inherits; only its own.
    pub partition_of: Option<PartitionOf>,
    /// A partition's own indexes and constraints that became copies of its
    /// parent's (`ALTER INDEX ... ATTACH PARTITION`, or a matching one found
    /// by `ATTACH PARTITION`): its name for each, with the parent's. They are
    /// the parent's now; remembered so that a partition of this partition can
    /// attach to them in turn, and a `DETACH` gives them back their names.
    /// Never part of equality.
    pub attached_indexes: AttachedIndexes,
    /// Storage parameters: `WITH (fillfactor = 70, toast.autovacuum_enabled = false)`,
    /// `ALTER TABLE ... SET (...)` / `RESET (...)` (`pg_class.reloptions`, and the
    /// TOAST table's with a `toast.` prefix).
    pub options: StorageParameters,
    /// Where the table is declared.
    pub origin: Origin,
    /// `-- schema:` directives written just before the table.
    pub directives: Directives,
}

/// A partition's names of the indexes and constraints it holds as copies of
/// its parent's, each with the parent's name; see [`Table::attached_indexes`].
#[derive(Debug, Clone, Default)]
pub struct AttachedIndexes(pub std::collections::BTreeMap<String, String>);

impl PartialEq for AttachedIndexes {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for AttachedIndexes {}

/// `PARTITION BY strategy (keys)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionKey {
    /// `RANGE`, `LIST` or `HASH`.
    pub strategy: PartitionStrategy,
    /// The key's columns and expressions, each with its `COLLATE` (never a
    /// sort order).
    pub keys: Vec<IndexKey>,
}

/// How a partitioned table splits rows among its partitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartitionStrategy {
    /// `RANGE`.
    Range,
    /// `LIST`.
    List,
    /// `HASH`.
    Hash,
}

impl PartitionStrategy {
    /// The keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            PartitionStrategy::Range => "RANGE",
            PartitionStrategy::List => "LIST",
            PartitionStrategy::Hash => "HASH",
        }
    }
}

/// A partition's parent and bound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionOf {
    /// The partitioned table.
    pub parent: QualifiedName,
    /// Which rows it holds.
    pub bound: PartitionBound,
}

/// `FOR VALUES ...` or `DEFAULT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartitionBound {
    /// `DEFAULT`: the rows no other partition takes.
    Default,
    /// `FOR VALUES IN (values)`.
    In(Vec<Expression>),
    /// `FOR VALUES FROM (lower) TO (upper)`.
    Range {
        /// Inclusive lower bound, one value per key column.
        from: Vec<RangeBound>,
        /// Exclusive upper bound.
        to: Vec<RangeBound>,
    },
    /// `FOR VALUES WITH (MODULUS m, REMAINDER r)`.
    Hash {
        /// `MODULUS`.
        modulus: u64,
        /// `REMAINDER`.
        remainder: u64,
    },
}

/// One value of a range partition's bound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RangeBound {
    /// `MINVALUE`.
    MinValue,
    /// `MAXVALUE`.
    MaxValue,
    /// A constant.
    Value(Expression),
}

impl fmt::Display for PartitionKey {
    /// `RANGE (a, lower(b) COLLATE "C")`, as PostgreSQL writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys: Vec<String> = self
            .keys
            .iter()
            .map(|k| {
                let mut out = match &k.part {
                    IndexPart::Column(c) => names::quote_ident(c),
                    IndexPart::Expression(e) => format!("({})", e.source()),
                };
                if let Some(c) = &k.collation {
                    out.push_str(&format!(" COLLATE {}", names::quote_ident(c)));
                }
                if let Some(class) = &k.opclass {
                    if let Some(schema) = &class.schema {
                        out.push_str(&format!(" {}.", names::quote_ident(schema)));
                    } else {
                        out.push(' ');
                    }
                    out.push_str(&names::quote_ident(&class.name));
                }
                out
            })
            .collect();
        write!(f, "{} ({})", self.strategy.keyword(), keys.join(", "))
    }
}

impl fmt::Display for PartitionBound {
    /// `FOR VALUES ...` or `DEFAULT`, with each value as written.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let range = |values: &[RangeBound]| {
            values
                .iter()
                .map(|v| match v {
                    RangeBound::MinValue => "MINVALUE".to_string(),
                    RangeBound::MaxValue => "MAXVALUE".to_string(),
                    RangeBound::Value(e) => e.source().to_string(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            PartitionBound::Default => f.write_str("DEFAULT"),
            PartitionBound::In(values) => {
                let values: Vec<&str> = values.iter().map(Expression::source).collect();
                write!(f, "FOR VALUES IN ({})", values.join(", "))
            }
            PartitionBound::Range { from, to } => {
                write!(f, "FOR VALUES FROM ({}) TO ({})", range(from), range(to))
            }
            PartitionBound::Hash { modulus, remainder } => write!(
                f,
                "FOR VALUES WITH (MODULUS {modulus}, REMAINDER {remainder})"
            ),
        }
    }
}

impl Table {
    /// An empty table.
    pub fn new(name: QualifiedName, origin: Origin) -> Self {
        Table {
            name,
            columns: Vec::new(),
            constraints: NameMap::new(),
            indexes: NameMap::new(),
            comment: None,
            unlogged: false,
            row_security: false,
            force_row_security: false,
            partition_by: None,
            partition_of: None,
            attached_indexes: AttachedIndexes::default(),
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
    /// collation of the text columns it mentions (`default` when none). Also
    /// drops a btree column key's operator class where it is the column
    /// type's default (`int4_ops` on an `integer`), which `pg_get_indexdef`
    /// does not print either.
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
                // A btree key's default operator class, written out, is one
                // PostgreSQL does not report.
                let column_type = match &key.part {
                    IndexPart::Column(c) => columns.iter().find(|col| col.name == *c),
                    IndexPart::Expression(_) => None,
                }
                .map(|col| &col.data_type);
                let default = column_type
                    .filter(|_| index.method == "btree")
                    .and_then(SqlType::default_btree_opclass);
                if key.opclass.as_ref().is_some_and(|o| {
                    o.schema.as_deref().is_none_or(|s| s == "pg_catalog")
                        && Some(o.name.as_str()) == default
                }) {
                    key.opclass = None;
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
            Some(ConstraintKind::PrimaryKey { columns, .. }) => columns,
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
    /// The options of an identity column's sequence (`AS IDENTITY (...)`),
    /// `Some` exactly when `identity` is; their type is the column's. Boxed,
    /// as `generated`: few columns have one, and a column is the model's most
    /// numerous object (48 bytes each inline, 8 boxed).
    pub identity_options: Option<Box<SequenceOptions>>,
    /// `GENERATED ALWAYS AS (expr) STORED`.
    pub generated: Option<Box<Expression>>,
    /// `COMMENT ON COLUMN`.
    pub comment: Option<String>,
    /// `COLLATE name`: the collation's name as PostgreSQL keeps it (folded
    /// unless quoted; a `pg_catalog.`/`public.` qualifier dropped); `None` for
    /// the type's default collation (`COLLATE "default"` included).
    pub collation: Option<String>,
    /// `SET STORAGE`: `None` for the storage its type gives it
    /// ([`Schema::default_storage`]); a new type resets it.
    pub storage: Option<Storage>,
    /// `COMPRESSION`/`SET COMPRESSION`: `None` for `default`; a new type
    /// resets it.
    pub compression: Option<Compression>,
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
    /// False for a check or foreign key added `NOT VALID` and not validated
    /// since (`pg_constraint.convalidated`); true for every other constraint.
    pub validated: bool,
    /// `COMMENT ON CONSTRAINT`.
    pub comment: Option<String>,
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
        /// `INCLUDE (columns)`: non-key columns of its index.
        include: Vec<String>,
    },
    /// `UNIQUE [NULLS NOT DISTINCT] (columns) [INCLUDE (columns)]`.
    Unique {
        /// Columns in order.
        columns: Vec<String>,
        /// `NULLS NOT DISTINCT`.
        nulls_not_distinct: bool,
        /// `INCLUDE (columns)`: non-key columns of its index.
        include: Vec<String>,
    },
    /// `FOREIGN KEY (columns) REFERENCES table (columns) ...`.
    ForeignKey(ForeignKey),
    /// `CHECK (expr)`.
    Check {
        /// The condition.
        expr: Expression,
    },
    /// `EXCLUDE [USING method] (element WITH operator, ...) [INCLUDE (...)]
    /// [WHERE (predicate)]`.
    Exclude(Exclusion),
}

/// An exclusion constraint: no two rows whose elements all compare true
/// under their operators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusion {
    /// The index access method, lower case (`gist`, `btree`, ...).
    pub method: String,
    /// Its elements in order.
    pub elements: Vec<ExclusionElement>,
    /// `INCLUDE (columns)`: non-key columns of its index.
    pub include: Vec<String>,
    /// `WHERE (predicate)`: a partial constraint.
    pub predicate: Option<Expression>,
}

/// One element of an exclusion constraint: an index key and its operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExclusionElement {
    /// The key, as an index key (column or expression, collation, operator
    /// class, order).
    pub key: IndexKey,
    /// The operator (`=`, `&&`), as PostgreSQL prints it.
    pub operator: String,
}

impl ConstraintKind {
    /// True for constraints backed by an index (primary key, unique).
    pub(crate) fn has_index(&self) -> bool {
        matches!(
            self,
            ConstraintKind::PrimaryKey { .. }
                | ConstraintKind::Unique { .. }
                | ConstraintKind::Exclude(_)
        )
    }

    /// The columns the constraint is on (for a check and an exclusion
    /// constraint, whose elements may be expressions: none).
    pub fn columns(&self) -> &[String] {
        match self {
            ConstraintKind::PrimaryKey { columns, .. } | ConstraintKind::Unique { columns, .. } => {
                columns
            }
            ConstraintKind::ForeignKey(fk) => &fk.columns,
            ConstraintKind::Check { .. } | ConstraintKind::Exclude(_) => &[],
        }
    }

    /// The `INCLUDE` columns of a primary key's or unique constraint's index
    /// (for the other kinds: none).
    pub fn included(&self) -> &[String] {
        match self {
            ConstraintKind::PrimaryKey { include, .. } | ConstraintKind::Unique { include, .. } => {
                include
            }
            ConstraintKind::Exclude(x) => &x.include,
            ConstraintKind::ForeignKey(_) | ConstraintKind::Check { .. } => &[],
        }
    }

    /// True for the kinds `NOT VALID` applies to (check, foreign key).
    pub fn can_be_not_valid(&self) -> bool {
        matches!(
            self,
            ConstraintKind::ForeignKey(_) | ConstraintKind::Check { .. }
        )
    }

    /// A short word for messages: `primary key`, `unique constraint`, ...
    pub fn describe(&self) -> &'static str {
        match self {
            ConstraintKind::PrimaryKey { .. } => "primary key",
            ConstraintKind::Unique { .. } => "unique constraint",
            ConstraintKind::ForeignKey(_) => "foreign key",
            ConstraintKind::Check { .. } => "check constraint",
            ConstraintKind::Exclude(_) => "exclusion constraint",
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
    /// `COMMENT ON INDEX`.
    pub comment: Option<String>,
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
    /// Its parameters (`gist_trgm_ops (siglen = 32)`), as PostgreSQL stores
    /// them in the index column's `pg_attribute.attoptions`; empty when none.
    pub parameters: StorageParameters,
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

/// The kind of a user-defined type: what renames it and how it is described.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeKind {
    /// `CREATE TYPE ... AS ENUM`.
    Enum,
    /// `CREATE DOMAIN`.
    Domain,
    /// `CREATE TYPE ... AS (...)`.
    Composite,
}

impl TypeKind {
    /// The kind in words: `enum type`, `domain`, `composite type`.
    pub fn describe(self) -> &'static str {
        match self {
            TypeKind::Enum => "enum type",
            TypeKind::Domain => "domain",
            TypeKind::Composite => "composite type",
        }
    }

    /// The kind in words with its article: `an enum type`, `a domain`, `a
    /// composite type`.
    pub fn with_article(self) -> &'static str {
        match self {
            TypeKind::Enum => "an enum type",
            TypeKind::Domain => "a domain",
            TypeKind::Composite => "a composite type",
        }
    }

    /// The keyword of its `ALTER` statement: `TYPE` or `DOMAIN`.
    pub fn keyword(self) -> &'static str {
        match self {
            TypeKind::Domain => "DOMAIN",
            TypeKind::Enum | TypeKind::Composite => "TYPE",
        }
    }
}

/// An enum type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumType {
    /// Qualified name.
    pub name: QualifiedName,
    /// Labels in sort order.
    pub values: Vec<String>,
    /// `COMMENT ON TYPE`.
    pub comment: Option<String>,
    /// Where it is declared.
    pub origin: Origin,
    /// `-- schema:` directives written just before it.
    pub directives: Directives,
}

/// A domain: `CREATE DOMAIN name AS base [COLLATE c] [DEFAULT e] [NOT NULL]
/// [CHECK (...)]...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    /// Qualified name.
    pub name: QualifiedName,
    /// The type it is based on (canonical; may be an enum type or another domain).
    pub base: SqlType,
    /// `COLLATE name`, as PostgreSQL prints it (folded unless quoted, the
    /// `pg_catalog`/`public` qualifier dropped); `None` for the base type's own.
    pub collation: Option<String>,
    /// `DEFAULT` expression (`DEFAULT NULL` is none, as PostgreSQL keeps it).
    pub default: Option<Expression>,
    /// `NOT NULL` (PostgreSQL 15's `pg_type.typnotnull`).
    pub not_null: bool,
    /// Check constraints by name (PostgreSQL's choice, `d_check`, when the
    /// source gave none).
    pub checks: BTreeMap<String, DomainCheck>,
    /// `COMMENT ON DOMAIN`.
    pub comment: Option<String>,
    /// Where it is declared.
    pub origin: Origin,
    /// `-- schema:` directives written just before it.
    pub directives: Directives,
}

/// A composite type: `CREATE TYPE name AS (attribute type [COLLATE c], ...)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompositeType {
    /// Qualified name.
    pub name: QualifiedName,
    /// Attributes in their physical order.
    pub attributes: Vec<Attribute>,
    /// `COMMENT ON TYPE`.
    pub comment: Option<String>,
    /// Where it is declared.
    pub origin: Origin,
    /// `-- schema:` directives written just before it.
    pub directives: Directives,
}

/// An attribute of a composite type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// Name.
    pub name: String,
    /// Canonical type.
    pub data_type: SqlType,
    /// `COLLATE name`, as PostgreSQL prints it; `None` for the type's own.
    pub collation: Option<String>,
}

/// A check constraint of a domain: `CONSTRAINT name CHECK (VALUE ...)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainCheck {
    /// Name.
    pub name: String,
    /// The condition, over `VALUE`.
    pub expr: Expression,
    /// False for a check added `NOT VALID` and not validated since
    /// (`pg_constraint.convalidated`): existing values were not checked.
    pub valid: bool,
    /// Where it is declared.
    pub origin: Origin,
}

/// A sequence; `serial` columns own one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sequence {
    /// Qualified name.
    pub name: QualifiedName,
    /// `OWNED BY table.column`.
    pub owned_by: Option<(QualifiedName, String)>,
    /// `AS`, `INCREMENT`, `MINVALUE`, `MAXVALUE`, `START`, `CACHE`, `CYCLE`.
    pub options: SequenceOptions,
    /// `COMMENT ON SEQUENCE`.
    pub comment: Option<String>,
    /// Where it is declared.
    pub origin: Origin,
}

/// A schema (namespace) created by name: `CREATE SCHEMA name`; or `public`,
/// which every database has, when its comment is not the one PostgreSQL
/// gives it ([`PUBLIC_SCHEMA_COMMENT`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Namespace {
    /// Its name.
    pub name: String,
    /// `COMMENT ON SCHEMA`.
    pub comment: Option<String>,
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
    /// `COMMENT ON EXTENSION`: the comment its control file gives it, unless
    /// changed since.
    pub comment: ExtensionComment,
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
        self.name == other.name && !self.differs_from(other) && self.comment == other.comment
    }
}
impl Eq for Extension {}

/// An extension's comment. `CREATE EXTENSION` gives it the comment of the
/// extension's control file (`pg_available_extensions.comment`), which
/// pg_dump writes back as `COMMENT ON EXTENSION`: that one is
/// [`Default`](Self::Default), however it was written, so that a statement
/// and a live database agree without the statement knowing the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ExtensionComment {
    /// The control file's comment (for a contrib extension,
    /// [`contrib::default_comment`]).
    #[default]
    Default,
    /// Another comment.
    Set(String),
    /// No comment (`IS NULL`), where the control file gives one.
    Removed,
}

impl ExtensionComment {
    /// `COMMENT ON EXTENSION name IS text` (`None` for `NULL`) as the model
    /// keeps it: the comment of a contrib extension's control file is
    /// [`Default`](Self::Default).
    pub fn stated(extension: &str, text: Option<String>) -> Self {
        match text {
            Some(t) if contrib::default_comment(extension) == Some(t.as_str()) => {
                ExtensionComment::Default
            }
            Some(t) => ExtensionComment::Set(t),
            None => ExtensionComment::Removed,
        }
    }

    /// The comment's text for `COMMENT ON EXTENSION name IS ...` (`None` for
    /// `NULL`), or `Err` when it is the control file's comment of an
    /// extension this crate does not know (not a contrib one).
    pub fn text(&self, extension: &str) -> Result<Option<&str>, String> {
        match self {
            ExtensionComment::Set(t) => Ok(Some(t)),
            ExtensionComment::Removed => Ok(None),
            ExtensionComment::Default => contrib::default_comment(extension)
                .map(Some)
                .ok_or_else(|| {
                    format!(
                        "the comment extension `{extension}` is created with (its control file's) is not known here"
                    )
                }),
        }
    }
}

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
