//! Privileges and owners: what `GRANT`, `REVOKE` and `OWNER TO` leave on a
//! table, sequence, schema, function, procedure or type, as PostgreSQL's
//! access control lists hold it.
//!
//! An object's [`Acl`] is what its ACL holds beyond its owner's own rights:
//! every `(grantee, privilege, grant option)` given to another role or to
//! `PUBLIC`, for the object and for each of its columns, and the owner when
//! one is named. Only objects whose ACL or owner differs from what a new
//! object gets are in [`super::Schema::privileges`]: a table nobody granted
//! anything on has no entry, and neither has one whose grants were all
//! revoked again. A new function or procedure has `EXECUTE` for `PUBLIC`
//! and a new type (enum, domain, composite) `USAGE` for `PUBLIC` (see
//! [`Acl::default_for`]): `REVOKE EXECUTE ... FROM PUBLIC` leaves an entry
//! whose list lacks it. A function's ACL is keyed by the function's key
//! (name and identity signature, see `function::key_of`). The owner's own privileges are not modelled (the role that
//! runs the migrations is the owner, and PostgreSQL gives it every right).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::{DEFAULT_SCHEMA, QualifiedName};

/// The grantee `PUBLIC` (every role), as the model spells it.
pub const PUBLIC: &str = "PUBLIC";

/// The `public` schema's owner in a new PostgreSQL 15 database.
pub const PUBLIC_SCHEMA_OWNER: &str = "pg_database_owner";

/// What kind of object an [`Acl`] is on: the word after `ON` in `GRANT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AclKind {
    /// A table (and its columns).
    Table,
    /// A sequence.
    Sequence,
    /// A schema (its key is [`QualifiedName::global`]).
    Schema,
    /// A function (its key is the function's, name and identity signature).
    Function,
    /// A procedure (keyed as a function).
    Procedure,
    /// An enum type, domain or composite type.
    Type,
}

impl AclKind {
    /// The word after `ON`, and after `ALTER` for `OWNER TO`.
    pub fn keyword(self) -> &'static str {
        match self {
            AclKind::Table => "TABLE",
            AclKind::Sequence => "SEQUENCE",
            AclKind::Schema => "SCHEMA",
            AclKind::Function => "FUNCTION",
            AclKind::Procedure => "PROCEDURE",
            AclKind::Type => "TYPE",
        }
    }

    /// True for functions and procedures (keyed by signature).
    pub fn is_routine(self) -> bool {
        matches!(self, AclKind::Function | AclKind::Procedure)
    }

    /// The privilege `PUBLIC` holds on a new object of this kind, if any
    /// (`EXECUTE` on routines, `USAGE` on types).
    pub fn public_default(self) -> Option<Privilege> {
        match self {
            AclKind::Function | AclKind::Procedure => Some(Privilege::Execute),
            AclKind::Type => Some(Privilege::Usage),
            AclKind::Table | AclKind::Sequence | AclKind::Schema => None,
        }
    }

    /// The privileges an object of this kind can be granted, in
    /// PostgreSQL's order (what `ALL PRIVILEGES` grants).
    pub fn all(self) -> &'static [Privilege] {
        use Privilege::{
            Create, Delete, Insert, References, Select, Trigger, Truncate, Update, Usage,
        };
        match self {
            AclKind::Table => &[
                Insert, Select, Update, Delete, Truncate, References, Trigger,
            ],
            AclKind::Sequence => &[Usage, Select, Update],
            AclKind::Schema => &[Usage, Create],
            AclKind::Function | AclKind::Procedure => &[Privilege::Execute],
            AclKind::Type => &[Usage],
        }
    }
}

/// The privileges a column can be granted (`ALL (c)` grants these).
pub const COLUMN_PRIVILEGES: &[Privilege] = &[
    Privilege::Insert,
    Privilege::Select,
    Privilege::Update,
    Privilege::References,
];

/// One privilege.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Privilege {
    /// `INSERT`.
    Insert,
    /// `SELECT`.
    Select,
    /// `UPDATE`.
    Update,
    /// `DELETE`.
    Delete,
    /// `TRUNCATE`.
    Truncate,
    /// `REFERENCES`.
    References,
    /// `TRIGGER`.
    Trigger,
    /// `USAGE`.
    Usage,
    /// `CREATE`.
    Create,
    /// `EXECUTE` (functions and procedures).
    Execute,
}

impl Privilege {
    /// Every privilege the model knows.
    pub const ALL: &'static [Privilege] = &[
        Privilege::Insert,
        Privilege::Select,
        Privilege::Update,
        Privilege::Delete,
        Privilege::Truncate,
        Privilege::References,
        Privilege::Trigger,
        Privilege::Usage,
        Privilege::Create,
        Privilege::Execute,
    ];

    /// Its keyword (also what `aclexplode` reports).
    pub fn keyword(self) -> &'static str {
        match self {
            Privilege::Insert => "INSERT",
            Privilege::Select => "SELECT",
            Privilege::Update => "UPDATE",
            Privilege::Delete => "DELETE",
            Privilege::Truncate => "TRUNCATE",
            Privilege::References => "REFERENCES",
            Privilege::Trigger => "TRIGGER",
            Privilege::Usage => "USAGE",
            Privilege::Create => "CREATE",
            Privilege::Execute => "EXECUTE",
        }
    }

    /// The privilege a keyword names (any case).
    pub fn from_keyword(word: &str) -> Option<Privilege> {
        Self::ALL
            .iter()
            .copied()
            .find(|p| p.keyword().eq_ignore_ascii_case(word))
    }
}

impl fmt::Display for Privilege {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

/// One entry of an ACL: a privilege given to a role.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AclItem {
    /// The role it is given to ([`PUBLIC`] for every role), as PostgreSQL
    /// knows it (unquoted names folded to lower case).
    pub grantee: String,
    /// The privilege.
    pub privilege: Privilege,
    /// `WITH GRANT OPTION`: the grantee may grant it on.
    pub grantable: bool,
}

/// What an object's ACL holds beyond its owner's own rights, and its owner
/// when named (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acl {
    /// The object's name ([`QualifiedName::global`] for a schema).
    pub name: QualifiedName,
    /// What kind of object it is.
    pub kind: AclKind,
    /// The object's own entries.
    pub items: BTreeSet<AclItem>,
    /// Each column's entries (tables only), by column name.
    pub columns: BTreeMap<String, BTreeSet<AclItem>>,
    /// The role `OWNER TO` made the owner; `None` for the role that runs
    /// the migrations (and, for `public`, its default owner).
    pub owner: Option<String>,
}

impl Acl {
    /// What a new object of `kind` named `name` has: for the `public`
    /// schema, `USAGE` for every role; for a function or procedure,
    /// `EXECUTE` for every role; for a type, `USAGE` for every role; for any
    /// other, nothing.
    pub fn default_for(kind: AclKind, name: &QualifiedName) -> Acl {
        let mut items = BTreeSet::new();
        let public =
            if kind == AclKind::Schema && name.schema.is_empty() && name.name == DEFAULT_SCHEMA {
                Some(Privilege::Usage)
            } else {
                kind.public_default()
            };
        if let Some(privilege) = public {
            items.insert(AclItem {
                grantee: PUBLIC.to_string(),
                privilege,
                grantable: false,
            });
        }
        Acl {
            name: name.clone(),
            kind,
            items,
            columns: BTreeMap::new(),
            owner: None,
        }
    }

    /// True when this is what a new object has (so the model holds no entry).
    pub fn is_default(&self) -> bool {
        let d = Acl::default_for(self.kind, &self.name);
        self.items == d.items
            && self.columns.values().all(BTreeSet::is_empty)
            && self.owner.is_none()
    }

    /// Gives `privilege` to `grantee` (on `column` when given); with
    /// `grantable`, the grant option too (a grant without it keeps an
    /// option given before, as PostgreSQL does).
    pub fn grant(
        &mut self,
        column: Option<&str>,
        grantee: &str,
        privilege: Privilege,
        grantable: bool,
    ) {
        grant_in(self.items_mut(column), grantee, privilege, grantable);
    }

    /// Takes `privilege` from `grantee` (on `column` when given); with
    /// `option_only` (`REVOKE GRANT OPTION FOR`), only the grant option.
    pub fn revoke(
        &mut self,
        column: Option<&str>,
        grantee: &str,
        privilege: Privilege,
        option_only: bool,
    ) {
        revoke_in(self.items_mut(column), grantee, privilege, option_only);
        if let Some(c) = column {
            if self.columns.get(c).is_some_and(BTreeSet::is_empty) {
                self.columns.remove(c);
            }
        }
    }

    fn items_mut(&mut self, column: Option<&str>) -> &mut BTreeSet<AclItem> {
        match column {
            Some(c) => self.columns.entry(c.to_string()).or_default(),
            None => &mut self.items,
        }
    }
}

/// [`Acl::grant`] on a list of entries.
pub fn grant_in(
    items: &mut BTreeSet<AclItem>,
    grantee: &str,
    privilege: Privilege,
    grantable: bool,
) {
    let with = AclItem {
        grantee: grantee.to_string(),
        privilege,
        grantable: true,
    };
    if items.contains(&with) {
        return;
    }
    let without = AclItem {
        grantable: false,
        ..with.clone()
    };
    if grantable {
        items.remove(&without);
        items.insert(with);
    } else {
        items.insert(without);
    }
}

/// [`Acl::revoke`] on a list of entries.
pub fn revoke_in(
    items: &mut BTreeSet<AclItem>,
    grantee: &str,
    privilege: Privilege,
    option_only: bool,
) {
    let with = AclItem {
        grantee: grantee.to_string(),
        privilege,
        grantable: true,
    };
    let without = AclItem {
        grantable: false,
        ..with.clone()
    };
    if option_only {
        if items.remove(&with) {
            items.insert(without);
        }
    } else {
        items.remove(&with);
        items.remove(&without);
    }
}

/// The objects `ALTER DEFAULT PRIVILEGES` is about (`pg_default_acl.defaclobjtype`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DefaultObjects {
    /// `TABLES` (views too).
    Tables,
    /// `SEQUENCES`.
    Sequences,
    /// `FUNCTIONS` and `ROUTINES` (procedures too: PostgreSQL keeps one entry).
    Functions,
    /// `TYPES` (domains too).
    Types,
    /// `SCHEMAS`.
    Schemas,
}

impl DefaultObjects {
    /// The word after `ON`.
    pub fn keyword(self) -> &'static str {
        match self {
            DefaultObjects::Tables => "TABLES",
            DefaultObjects::Sequences => "SEQUENCES",
            DefaultObjects::Functions => "FUNCTIONS",
            DefaultObjects::Types => "TYPES",
            DefaultObjects::Schemas => "SCHEMAS",
        }
    }

    /// The privileges such objects take (what `ALL` grants).
    pub fn all(self) -> &'static [Privilege] {
        match self {
            DefaultObjects::Tables => AclKind::Table.all(),
            DefaultObjects::Sequences => AclKind::Sequence.all(),
            DefaultObjects::Functions => &[Privilege::Execute],
            DefaultObjects::Types => &[Privilege::Usage],
            DefaultObjects::Schemas => AclKind::Schema.all(),
        }
    }

    /// `pg_default_acl.defaclobjtype`.
    pub fn code(self) -> char {
        match self {
            DefaultObjects::Tables => 'r',
            DefaultObjects::Sequences => 'S',
            DefaultObjects::Functions => 'f',
            DefaultObjects::Types => 'T',
            DefaultObjects::Schemas => 'n',
        }
    }

    /// The objects a `defaclobjtype` code names.
    pub fn from_code(code: &str) -> Option<DefaultObjects> {
        [
            DefaultObjects::Tables,
            DefaultObjects::Sequences,
            DefaultObjects::Functions,
            DefaultObjects::Types,
            DefaultObjects::Schemas,
        ]
        .into_iter()
        .find(|o| o.code().to_string() == code)
    }

    /// What new objects of this kind get when no default privileges were
    /// set (beyond their owner's rights): `EXECUTE` on functions and `USAGE`
    /// on types for every role.
    pub fn builtin(self) -> BTreeSet<AclItem> {
        let privilege = match self {
            DefaultObjects::Functions => Privilege::Execute,
            DefaultObjects::Types => Privilege::Usage,
            _ => return BTreeSet::new(),
        };
        [AclItem {
            grantee: PUBLIC.to_string(),
            privilege,
            grantable: false,
        }]
        .into_iter()
        .collect()
    }

    /// The kind of ACL the objects have (procedures are
    /// [`AclKind::Procedure`] under [`DefaultObjects::Functions`] too).
    pub fn acl_kind(self) -> AclKind {
        match self {
            DefaultObjects::Tables => AclKind::Table,
            DefaultObjects::Sequences => AclKind::Sequence,
            DefaultObjects::Schemas => AclKind::Schema,
            DefaultObjects::Functions => AclKind::Function,
            DefaultObjects::Types => AclKind::Type,
        }
    }

    /// The default privileges objects of `kind` get.
    pub fn of(kind: AclKind) -> DefaultObjects {
        match kind {
            AclKind::Table => DefaultObjects::Tables,
            AclKind::Sequence => DefaultObjects::Sequences,
            AclKind::Schema => DefaultObjects::Schemas,
            AclKind::Function | AclKind::Procedure => DefaultObjects::Functions,
            AclKind::Type => DefaultObjects::Types,
        }
    }
}

/// One entry of `ALTER DEFAULT PRIVILEGES`: what objects `role` creates (in
/// `schema`, or anywhere) get beyond their owner's rights.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultAcl {
    /// `FOR ROLE`; `None` for the role that runs the migrations.
    pub role: Option<String>,
    /// `IN SCHEMA`; `None` for every schema.
    pub schema: Option<String>,
    /// What kind of objects.
    pub objects: DefaultObjects,
    /// The entries: for every schema, all of them (the built-in ones
    /// included); in one schema, those added to the others.
    pub items: BTreeSet<AclItem>,
}

impl DefaultAcl {
    /// The key of an entry in [`super::Schema::default_privileges`].
    pub fn key(role: Option<&str>, schema: Option<&str>, objects: DefaultObjects) -> QualifiedName {
        // `\0` cannot be part of a PostgreSQL name.
        QualifiedName::new(
            format!("{}\0{}", role.unwrap_or(""), schema.unwrap_or("")),
            objects.keyword(),
        )
    }

    /// What an entry holds when none was set.
    pub fn base(schema: Option<&str>, objects: DefaultObjects) -> BTreeSet<AclItem> {
        if schema.is_some() {
            BTreeSet::new()
        } else {
            objects.builtin()
        }
    }
}

impl super::Schema {
    /// The default privileges entry for (`role`, `schema`, `objects`): the
    /// model's, or what it holds when none was set.
    pub fn default_acl(
        &self,
        role: Option<&str>,
        schema: Option<&str>,
        objects: DefaultObjects,
    ) -> DefaultAcl {
        self.default_privileges
            .get(&DefaultAcl::key(role, schema, objects))
            .cloned()
            .unwrap_or_else(|| DefaultAcl {
                role: role.map(str::to_string),
                schema: schema.map(str::to_string),
                objects,
                items: DefaultAcl::base(schema, objects),
            })
    }

    /// Stores `d`, or removes the entry when it holds what none would.
    pub fn set_default_acl(&mut self, d: DefaultAcl) {
        let key = DefaultAcl::key(d.role.as_deref(), d.schema.as_deref(), d.objects);
        if d.items == DefaultAcl::base(d.schema.as_deref(), d.objects) {
            self.default_privileges.remove(&key);
        } else {
            self.default_privileges.insert(key, d);
        }
    }

    /// What a new object of `objects` in `schema` gets from the default
    /// privileges of the role that runs the migrations (beyond its owner's
    /// rights).
    pub fn creation_items(&self, objects: DefaultObjects, schema: &str) -> BTreeSet<AclItem> {
        if self.default_privileges.is_empty() {
            return DefaultAcl::base(None, objects);
        }
        let mut items = self.default_acl(None, None, objects).items;
        if objects != DefaultObjects::Schemas {
            items.extend(self.default_acl(None, Some(schema), objects).items);
        }
        items
    }

    /// The ACL of `name` as the model holds it: its entry, or what a new
    /// object of `kind` has.
    pub fn acl(&self, kind: AclKind, name: &QualifiedName) -> Acl {
        self.privileges
            .get(name)
            .filter(|a| a.kind == kind)
            .cloned()
            .unwrap_or_else(|| Acl::default_for(kind, name))
    }

    /// Stores `acl`, or removes the entry when it is the default one.
    pub fn set_acl(&mut self, acl: Acl) {
        if acl.is_default() {
            self.privileges.remove(&acl.name);
        } else {
            self.privileges.insert(acl.name.clone(), acl);
        }
    }

    /// This schema compared as a project that manages its privileges
    /// elsewhere sees it (`-- schema: ignore(privileges)`): no grants, no
    /// owners.
    #[must_use]
    pub fn ignoring_privileges(mut self) -> Self {
        self.privileges = super::ObjectMap::default();
        self.default_privileges = super::ObjectMap::default();
        self.privileges_ignored = true;
        self
    }

    /// Moves the ACL of `from` to `to` (a renamed object keeps its grants).
    pub fn rename_acl(&mut self, from: &QualifiedName, to: &QualifiedName) {
        if let Some(mut acl) = self.privileges.remove(from) {
            acl.name = to.clone();
            self.privileges.insert(to.clone(), acl);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t() -> QualifiedName {
        QualifiedName::public("t")
    }

    #[test]
    fn grant_option_is_kept_by_a_plain_grant_and_taken_by_revoke_grant_option() {
        let mut acl = Acl::default_for(AclKind::Table, &t());
        acl.grant(None, "app", Privilege::Select, true);
        acl.grant(None, "app", Privilege::Select, false);
        assert!(acl.items.iter().all(|i| i.grantable));
        acl.revoke(None, "app", Privilege::Select, true);
        assert_eq!(acl.items.len(), 1);
        assert!(acl.items.iter().all(|i| !i.grantable));
        acl.revoke(None, "app", Privilege::Select, false);
        assert!(acl.is_default());
    }

    #[test]
    fn the_public_schema_starts_with_usage_for_public() {
        let mut acl = Acl::default_for(AclKind::Schema, &QualifiedName::global("public"));
        assert!(acl.is_default());
        acl.revoke(None, PUBLIC, Privilege::Usage, false);
        assert!(!acl.is_default());
        assert!(
            Acl::default_for(AclKind::Schema, &QualifiedName::global("app"))
                .items
                .is_empty()
        );
    }

    #[test]
    fn column_entries_go_when_emptied() {
        let mut acl = Acl::default_for(AclKind::Table, &t());
        acl.grant(Some("a"), "app", Privilege::Update, false);
        assert!(!acl.is_default());
        acl.revoke(Some("a"), "app", Privilege::Update, false);
        assert!(acl.columns.is_empty());
        assert!(acl.is_default());
    }
}
