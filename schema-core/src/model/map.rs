//! [`ObjectMap`]: the map of tables, enums or sequences of a schema, with an
//! optional undo journal and a lookup of what its objects hold.
//!
//! Values sit behind `Arc`s and are copied on first write, so a snapshot shares
//! every object it did not change. Replay does not snapshot at all: it turns the
//! journal on, which records the prior value of each entry the first time it is
//! written; the journal tells what a migration touched and rolls it back, so
//! checking a down costs in proportion to what the migration touched, not to
//! the size of the schema.
//!
//! The lookup answers "which tables hold a constraint or index called `x`" and
//! "which tables have a foreign key to `t`" without scanning every table (see
//! [`Indexed`]): PostgreSQL's implicit names are chosen by asking whether a
//! name is taken, once or more per constraint, and dropping a column asks what
//! references it, so a scan made replaying a long history quadratic. It is kept
//! in step by every write: an object handed out by [`ObjectMap::get_mut`] is
//! looked at directly until it is filed again (when enough others wait, or
//! the map is rolled back), which costs something only if its names changed.
//! Answers are still checked against the objects.

use std::collections::{BTreeMap, BTreeSet, HashMap, hash_map};
use std::fmt;
use std::sync::Arc;

use super::QualifiedName;

/// The prior value (`None`: absent) of each entry written since the journal began.
pub type Journal<V> = BTreeMap<QualifiedName, Option<Arc<V>>>;

/// What an object of an [`ObjectMap`] holds that others look up across the map.
pub trait Indexed {
    /// Names in a namespace shared by the map's objects (a table's constraints
    /// and indexes).
    fn held_names(&self) -> impl Iterator<Item = &str>;
    /// Objects of the schema this one refers to (the tables a table's foreign
    /// keys reference; the table that owns a sequence).
    fn references(&self) -> impl Iterator<Item = &QualifiedName>;
}

/// The objects that hold each name and that refer to each object, as last
/// filed, and what each object was filed under.
#[derive(Clone, Default)]
struct Lookup {
    /// Held name → the objects that hold it.
    names: Hashed<String, Owners>,
    /// Referenced object → the objects that refer to it.
    references: Hashed<QualifiedName, Owners>,
    /// Object → the keys it is filed under (to refile it only when they changed,
    /// and to take it out of them).
    filed: Hashed<QualifiedName, Filed>,
}

/// The maps of this module: searched, never listed (order comes from the
/// `order` of an [`ObjectMap`]'s objects and from [`Owners`]), so found by hash.
type Hashed<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// The objects filed under one key, in order. Most keys have one: a sorted
/// vector holds it in its 48 bytes, where a `BTreeSet` takes a 500-byte node
/// (a fifth of a 10,000-table model went to those nodes). Past 32 owners (a
/// table every other table refers to) it is a `BTreeSet` again: inserting in
/// the middle of a long vector would be quadratic.
#[derive(Clone)]
enum Owners {
    Few(Vec<QualifiedName>),
    Many(BTreeSet<QualifiedName>),
}

impl Default for Owners {
    fn default() -> Self {
        Owners::Few(Vec::new())
    }
}

impl Owners {
    fn insert(&mut self, owner: &QualifiedName) {
        let few = match self {
            Owners::Many(set) => {
                set.insert(owner.clone());
                return;
            }
            Owners::Few(few) => few,
        };
        if let Err(at) = few.binary_search(owner) {
            if few.len() >= 32 {
                let mut set: BTreeSet<QualifiedName> = std::mem::take(few).into_iter().collect();
                set.insert(owner.clone());
                *self = Owners::Many(set);
                return;
            }
            if few.len() < 4 {
                few.reserve_exact(1);
            }
            few.insert(at, owner.clone());
        }
    }

    fn remove(&mut self, owner: &QualifiedName) {
        match self {
            Owners::Few(few) => {
                if let Ok(at) = few.binary_search(owner) {
                    few.remove(at);
                }
            }
            Owners::Many(set) => {
                set.remove(owner);
            }
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            Owners::Few(few) => few.is_empty(),
            Owners::Many(set) => set.is_empty(),
        }
    }

    /// The owners, in order.
    fn iter(&self) -> impl Iterator<Item = &QualifiedName> {
        let (few, many) = match self {
            Owners::Few(few) => (Some(few.iter()), None),
            Owners::Many(set) => (None, Some(set.iter())),
        };
        few.into_iter().flatten().chain(many.into_iter().flatten())
    }
}

/// The keys one object is filed under.
#[derive(Clone, Default)]
struct Filed {
    names: Vec<String>,
    references: Vec<QualifiedName>,
}

impl Filed {
    /// The keys of `value`.
    fn of<V: Indexed>(value: &V) -> Filed {
        Filed {
            names: value.held_names().map(str::to_string).collect(),
            references: value.references().cloned().collect(),
        }
    }

    /// True when `value` has exactly these keys.
    fn matches<V: Indexed>(&self, value: &V) -> bool {
        value.held_names().eq(self.names.iter().map(String::as_str))
            && value.references().eq(self.references.iter())
    }
}

impl Lookup {
    /// Files `owner` under the keys of `value` (`None`: absent), when they changed.
    fn file<V: Indexed>(&mut self, owner: &QualifiedName, value: Option<&V>) {
        let Lookup {
            names,
            references,
            filed,
        } = self;
        let (old, new) = match (filed.get_mut(owner), value) {
            (Some(old), Some(value)) => {
                if old.matches(value) {
                    return;
                }
                (std::mem::replace(old, Filed::of(value)), Some(&*old))
            }
            (Some(_), None) => (filed.remove(owner).unwrap_or_default(), None),
            (None, Some(value)) => {
                filed.insert(owner.clone(), Filed::of(value));
                (Filed::default(), filed.get(owner))
            }
            (None, None) => return,
        };
        let empty = Filed::default();
        let new = new.unwrap_or(&empty);
        // An object holds a handful of keys and changes one or two at a time:
        // touch only the sets of the keys that came or went.
        for name in old.names.iter().filter(|n| !new.names.contains(n)) {
            unfile(names, name.as_str(), owner);
        }
        for name in new.names.iter().filter(|n| !old.names.contains(n)) {
            names.entry(name.clone()).or_default().insert(owner);
        }
        for target in old
            .references
            .iter()
            .filter(|t| !new.references.contains(t))
        {
            unfile(references, target, owner);
        }
        for target in new
            .references
            .iter()
            .filter(|t| !old.references.contains(t))
        {
            references.entry(target.clone()).or_default().insert(owner);
        }
    }
}

/// Takes `owner` out of the owners of `key`.
fn unfile<K, Q>(map: &mut Hashed<K, Owners>, key: &Q, owner: &QualifiedName)
where
    K: Eq + std::hash::Hash + std::borrow::Borrow<Q>,
    Q: Eq + std::hash::Hash + ?Sized,
{
    if let Some(owners) = map.get_mut(key) {
        owners.remove(owner);
        if owners.is_empty() {
            map.remove(key);
        }
    }
}

/// Below this many objects a map keeps no lookup and answers by looking at
/// every object: the schemas replay keeps per migration (what it touched) are
/// that small, and filing would cost them more than it saves.
const LOOKUP_FROM: usize = 32;

/// At most this many objects handed out by [`ObjectMap::get_mut`] wait to be
/// filed again; each lookup looks at them directly.
const UNFILED_AT_MOST: usize = 2;

/// The objects of an [`ObjectMap`]: found by hash (replay looks a table up
/// several times a column, and a B-tree search of two strings was a sixth of
/// the analysis), listed in name order. Nothing is allocated while empty: a
/// schema has 14 maps, most of them empty, and replay keeps two small
/// schemas per migration.
struct Store<V>(Option<Box<Objects<V>>>);

/// A non-empty [`Store`]. Each name is kept twice (a hash key and an
/// ordered one): two short strings an object, against a search of two
/// strings saved many times an object.
struct Objects<V> {
    by_name: Hashed<QualifiedName, Arc<V>>,
    /// The names of `by_name`, in order.
    order: BTreeSet<QualifiedName>,
}

impl<V> Clone for Store<V> {
    fn clone(&self) -> Self {
        Store(self.0.as_ref().map(|o| {
            Box::new(Objects {
                by_name: o.by_name.clone(),
                order: o.order.clone(),
            })
        }))
    }
}

impl<V> Store<V> {
    fn get(&self, name: &QualifiedName) -> Option<&Arc<V>> {
        self.0.as_ref()?.by_name.get(name)
    }

    fn get_key_value(&self, name: &QualifiedName) -> Option<(&QualifiedName, &Arc<V>)> {
        self.0.as_ref()?.by_name.get_key_value(name)
    }

    fn get_mut(&mut self, name: &QualifiedName) -> Option<&mut Arc<V>> {
        self.0.as_mut()?.by_name.get_mut(name)
    }

    fn contains_key(&self, name: &QualifiedName) -> bool {
        self.get(name).is_some()
    }

    fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |o| o.by_name.len())
    }

    /// The names, in order.
    fn keys(&self) -> impl Iterator<Item = &QualifiedName> {
        self.0.iter().flat_map(|o| o.order.iter())
    }

    /// The entries, in name order.
    fn iter(&self) -> impl Iterator<Item = (&QualifiedName, &Arc<V>)> {
        self.0
            .iter()
            .flat_map(|o| o.order.iter().filter_map(|k| o.by_name.get_key_value(k)))
    }

    /// Puts `value` in as `name`; returns the previous one.
    fn insert(&mut self, name: QualifiedName, value: Arc<V>) -> Option<Arc<V>> {
        let objects = self.0.get_or_insert_with(|| {
            Box::new(Objects {
                by_name: Hashed::default(),
                order: BTreeSet::new(),
            })
        });
        match objects.by_name.entry(name) {
            hash_map::Entry::Occupied(mut e) => Some(e.insert(value)),
            hash_map::Entry::Vacant(e) => {
                objects.order.insert(e.key().clone());
                e.insert(value);
                None
            }
        }
    }

    /// Takes `name` out (the last one out frees the room; a map down to a
    /// quarter of its room gives the rest back, as a B-tree's nodes would).
    fn remove(&mut self, name: &QualifiedName) -> Option<Arc<V>> {
        let objects = self.0.as_mut()?;
        let taken = objects.by_name.remove(name)?;
        objects.order.remove(name);
        if objects.by_name.is_empty() {
            self.0 = None;
        } else if objects.by_name.len() < objects.by_name.capacity() / 4 {
            objects.by_name.shrink_to_fit();
        }
        Some(taken)
    }
}

/// Objects by qualified name, shared copy-on-write between snapshots.
#[derive(Clone)]
pub struct ObjectMap<V> {
    objects: Store<V>,
    journal: Option<Journal<V>>,
    /// Kept once the map reached [`LOOKUP_FROM`] objects (boxed: most maps
    /// never have one, and a schema holds many maps).
    lookup: Option<Box<Lookup>>,
    /// Objects handed out for writing since they were last filed in `lookup`.
    unfiled: Vec<QualifiedName>,
}

impl<V> Default for ObjectMap<V> {
    fn default() -> Self {
        ObjectMap {
            objects: Store(None),
            journal: None,
            lookup: None,
            unfiled: Vec::new(),
        }
    }
}

impl<V: PartialEq> PartialEq for ObjectMap<V> {
    fn eq(&self, other: &Self) -> bool {
        self.objects.len() == other.objects.len()
            && self
                .objects
                .iter()
                .zip(other.objects.iter())
                .all(|((ka, va), (kb, vb))| ka == kb && (Arc::ptr_eq(va, vb) || va == vb))
    }
}
impl<V: Eq> Eq for ObjectMap<V> {}

impl<V: fmt::Debug> fmt::Debug for ObjectMap<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.objects.iter().map(|(k, v)| (k, &**v)))
            .finish()
    }
}

impl<V: Clone + Indexed> ObjectMap<V> {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the current value of `name` if the journal is on and has not yet.
    fn note(&mut self, name: &QualifiedName) {
        if let Some(journal) = &mut self.journal {
            if !journal.contains_key(name) {
                journal.insert(name.clone(), self.objects.get(name).cloned());
            }
        }
    }

    /// Files `value` as the object called `name` (`None`: absent) in the lookup.
    fn file(&mut self, name: &QualifiedName, value: Option<&V>) {
        if let Some(lookup) = &mut self.lookup {
            lookup.file(name, value);
        }
    }

    /// Files the objects handed out for writing: they are written by now.
    fn file_unfiled(&mut self) {
        for name in std::mem::take(&mut self.unfiled) {
            if let (Some(lookup), Some(value)) = (&mut self.lookup, self.objects.get(&name)) {
                lookup.file(&name, Some(&**value));
            }
        }
    }

    /// Starts the lookup once the map is large enough to need one.
    fn grown(&mut self) {
        if self.lookup.is_none() && self.objects.len() >= LOOKUP_FROM {
            let mut lookup = Lookup::default();
            for (name, value) in self.iter() {
                lookup.file(name, Some(value));
            }
            self.lookup = Some(Box::new(lookup));
            self.unfiled.clear();
        }
    }

    /// The objects that `keep` accepts among the filed `candidates` and the
    /// unfiled ones (or among all, without a lookup), each once, in name order.
    fn checked<'a, F: Fn(&V) -> bool>(
        &'a self,
        candidates: impl FnOnce(&'a Lookup) -> Option<&'a Owners>,
        keep: F,
    ) -> impl Iterator<Item = (&'a QualifiedName, &'a V)> {
        let names: Vec<&QualifiedName> = match &self.lookup {
            Some(lookup) => {
                let mut names: Vec<&QualifiedName> = candidates(lookup)
                    .into_iter()
                    .flat_map(Owners::iter)
                    .chain(&self.unfiled)
                    .collect();
                if names.len() > 1 {
                    names.sort();
                    names.dedup();
                }
                names
            }
            None => self.objects.keys().collect(),
        };
        names
            .into_iter()
            .filter_map(|n| self.objects.get_key_value(n).map(|(k, v)| (k, &**v)))
            .filter(move |(_, v)| keep(v))
    }

    /// The objects that hold `name` (see [`Indexed::held_names`]), in name order.
    pub fn holding<'a>(&'a self, name: &str) -> impl Iterator<Item = (&'a QualifiedName, &'a V)> {
        self.checked(
            |lookup| lookup.names.get(name),
            move |v| v.held_names().any(|h| h == name),
        )
    }

    /// The objects that refer to `target` (see [`Indexed::references`]), in
    /// name order.
    pub(crate) fn referring_to<'a>(
        &'a self,
        target: &QualifiedName,
    ) -> impl Iterator<Item = (&'a QualifiedName, &'a V)> {
        self.checked(
            |lookup| lookup.references.get(target),
            move |v| v.references().any(|r| r == target),
        )
    }

    /// The object called `name`.
    pub fn get(&self, name: &QualifiedName) -> Option<&V> {
        self.objects.get(name).map(|v| &**v)
    }

    /// The object called `name`, for writing (copied first if a snapshot shares it).
    ///
    /// The object is filed again in the lookup lazily: until then, lookups
    /// look at it directly (at most [`UNFILED_AT_MOST`] objects wait), so a
    /// statement that writes one table many times (a column at a time) files
    /// it once.
    pub fn get_mut(&mut self, name: &QualifiedName) -> Option<&mut V> {
        let wait = self.lookup.is_some() && !self.unfiled.contains(name);
        if wait && self.unfiled.len() >= UNFILED_AT_MOST {
            self.file_unfiled();
        }
        // One search of the map: the journal and the lookup are other fields.
        let slot = self.objects.get_mut(name)?;
        if let Some(journal) = &mut self.journal {
            if !journal.contains_key(name) {
                journal.insert(name.clone(), Some(Arc::clone(slot)));
            }
        }
        if wait {
            self.unfiled.push(name.clone());
        }
        Some(Arc::make_mut(slot))
    }

    /// True when an object is called `name`.
    pub fn contains_key(&self, name: &QualifiedName) -> bool {
        self.objects.contains_key(name)
    }

    /// Inserts or replaces; returns the previous object.
    pub fn insert(&mut self, name: QualifiedName, value: V) -> Option<V> {
        self.insert_arc_returning(name, Arc::new(value))
            .map(Arc::unwrap_or_clone)
    }

    /// Inserts an entry already behind an `Arc`, filing it; returns the previous one.
    fn insert_arc_returning(&mut self, name: QualifiedName, value: Arc<V>) -> Option<Arc<V>> {
        self.note(&name);
        self.file(&name, Some(&*value));
        let previous = self.objects.insert(name, value);
        self.grown();
        previous
    }

    /// Removes and returns the object called `name`.
    pub fn remove(&mut self, name: &QualifiedName) -> Option<V> {
        if !self.objects.contains_key(name) {
            return None;
        }
        self.note(name);
        self.file(name, None);
        self.objects.remove(name).map(Arc::unwrap_or_clone)
    }

    /// Number of objects.
    pub fn len(&self) -> usize {
        self.objects.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.objects.len() == 0
    }

    /// Names in order.
    pub fn keys(&self) -> impl Iterator<Item = &QualifiedName> {
        self.objects.keys()
    }

    /// Objects in name order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.iter().map(|(_, v)| v)
    }

    /// `(name, object)` pairs in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&QualifiedName, &V)> {
        self.objects.iter().map(|(k, v)| (k, &**v))
    }

    /// Changes every object for which `pred` holds, copying only those.
    pub fn update_where(&mut self, pred: impl Fn(&V) -> bool, mut f: impl FnMut(&mut V)) {
        self.file_unfiled();
        let names: Vec<QualifiedName> = self
            .iter()
            .filter(|(_, v)| pred(v))
            .map(|(k, _)| k.clone())
            .collect();
        for name in names {
            self.note(&name);
            if let Some(v) = self.objects.get_mut(&name) {
                f(Arc::make_mut(v));
            }
            if let (Some(lookup), Some(value)) = (&mut self.lookup, self.objects.get(&name)) {
                lookup.file(&name, Some(&**value));
            }
        }
    }

    /// Keeps the objects for which `keep` holds.
    pub fn retain(&mut self, mut keep: impl FnMut(&QualifiedName, &V) -> bool) {
        let gone: Vec<QualifiedName> = self
            .iter()
            .filter(|(k, v)| !keep(k, v))
            .map(|(k, _)| k.clone())
            .collect();
        for name in gone {
            self.remove(&name);
        }
    }

    /// True when both maps hold the very same object (not a copy) under `name`.
    pub fn shares(&self, other: &Self, name: &QualifiedName) -> bool {
        match (self.objects.get(name), other.objects.get(name)) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// Starts recording prior values (dropping any journal in progress).
    pub(crate) fn begin_journal(&mut self) {
        self.journal = Some(Journal::new());
    }

    /// Stops recording and returns what was recorded.
    pub(crate) fn take_journal(&mut self) -> Journal<V> {
        self.journal.take().unwrap_or_default()
    }

    /// Puts back the values a journal recorded.
    pub(crate) fn roll_back(&mut self, journal: Journal<V>) {
        self.file_unfiled();
        for (name, prior) in journal {
            self.file(&name, prior.as_deref());
            match prior {
                Some(v) => {
                    self.objects.insert(name, v);
                }
                None => {
                    self.objects.remove(&name);
                }
            }
        }
        self.grown();
    }

    /// The current entry of `name`, shared (for journals and comparisons).
    pub(crate) fn entry_arc(&self, name: &QualifiedName) -> Option<Arc<V>> {
        self.objects.get(name).cloned()
    }

    /// Inserts an entry already behind an `Arc` (no copy).
    pub(crate) fn insert_arc(&mut self, name: QualifiedName, value: Arc<V>) {
        self.insert_arc_returning(name, value);
    }
}

impl<V: Clone> std::ops::Index<&QualifiedName> for ObjectMap<V> {
    type Output = V;

    /// # Panics
    /// When no object is called `name`; check with `contains_key` or use `get`.
    #[expect(
        clippy::panic,
        reason = "indexing panics on a missing key, as documented"
    )]
    fn index(&self, name: &QualifiedName) -> &V {
        match self.objects.get(name) {
            Some(v) => v,
            None => panic!("no object called `{name}` in this map"),
        }
    }
}

impl<V: Clone + Indexed> FromIterator<(QualifiedName, V)> for ObjectMap<V> {
    fn from_iter<I: IntoIterator<Item = (QualifiedName, V)>>(iter: I) -> Self {
        let mut map = ObjectMap::new();
        map.extend(iter);
        map
    }
}

impl<V: Clone + Indexed> Extend<(QualifiedName, V)> for ObjectMap<V> {
    fn extend<I: IntoIterator<Item = (QualifiedName, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A string holds the names it lists after `holds:`, space-separated, and
    /// refers to the ones after `refs:`.
    impl Indexed for String {
        fn held_names(&self) -> impl Iterator<Item = &str> {
            self.split(';')
                .find_map(|part| part.strip_prefix("holds:"))
                .into_iter()
                .flat_map(str::split_whitespace)
        }

        fn references(&self) -> impl Iterator<Item = &QualifiedName> {
            std::iter::empty()
        }
    }

    #[test]
    fn the_lookup_follows_every_kind_of_write() {
        // Small maps look at every object; large ones keep a lookup.
        for filler in [0, LOOKUP_FROM] {
            let name = |n: &str| QualifiedName::public(n);
            let holders = |m: &ObjectMap<String>, held: &str| -> Vec<String> {
                m.holding(held).map(|(k, _)| k.name.clone()).collect()
            };
            let mut m: ObjectMap<String> = (0..filler)
                .map(|i| (name(&format!("f{i:03}")), format!("holds:filler{i} x{i}")))
                .chain([(name("a"), "holds:x y".to_string())])
                .collect();
            assert_eq!(m.lookup.is_some(), filler > 0);
            assert_eq!(holders(&m, "x"), ["a"]);
            // Written through `get_mut`: seen before and after the next write.
            if let Some(v) = m.get_mut(&name("a")) {
                *v = "holds:z".into();
            }
            assert!(holders(&m, "x").is_empty());
            assert_eq!(holders(&m, "z"), ["a"]);
            m.insert(name("b"), "holds:z".into());
            assert_eq!(holders(&m, "z"), ["a", "b"]);
            // Journaled, changed, rolled back.
            m.begin_journal();
            m.update_where(|v| v.contains('z'), |v| *v = "holds:w".into());
            assert_eq!(holders(&m, "w"), ["a", "b"]);
            m.remove(&name("a"));
            assert_eq!(holders(&m, "w"), ["b"]);
            m.retain(|k, _| k.name != "f000");
            assert!(holders(&m, "filler0").is_empty());
            let journal = m.take_journal();
            m.roll_back(journal);
            assert_eq!(holders(&m, "z"), ["a", "b"]);
            assert!(holders(&m, "w").is_empty());
            if filler > 0 {
                assert_eq!(holders(&m, "filler0"), ["f000"]);
            }
            // A clone answers like the original.
            let copy = m.clone();
            assert_eq!(holders(&copy, "z"), ["a", "b"]);
        }
    }

    /// Objects come out in name order whatever order they went in, through
    /// removals that shrink or empty the map and a roll-back that refills it.
    #[test]
    fn objects_are_listed_in_name_order_through_every_write() {
        let name = |i: usize| QualifiedName::public(format!("t{i:03}"));
        let names =
            |m: &ObjectMap<String>| -> Vec<String> { m.keys().map(|k| k.name.clone()).collect() };
        let all: Vec<String> = (0..100).map(|i| format!("t{i:03}")).collect();
        let mut m: ObjectMap<String> = ObjectMap::default();
        assert!(m.objects.0.is_none(), "an empty map allocates nothing");
        for i in (0..100).map(|i| (i * 37) % 100) {
            m.insert(name(i), format!("v{i}"));
        }
        assert_eq!(names(&m), all);
        let values: Vec<String> = (0..100).map(|i| format!("v{i}")).collect();
        assert_eq!(m.values().cloned().collect::<Vec<_>>(), values);
        let full = m.clone();
        m.begin_journal();
        m.retain(|k, _| k.name.ends_with('7'));
        assert_eq!(
            names(&m),
            [
                "t007", "t017", "t027", "t037", "t047", "t057", "t067", "t077", "t087", "t097"
            ]
        );
        assert_eq!(m.get(&name(57)).map(String::as_str), Some("v57"));
        assert!(m.get(&name(58)).is_none());
        m.retain(|_, _| false);
        assert!(m.is_empty() && m.iter().next().is_none());
        assert!(m.objects.0.is_none(), "an emptied map gives its room back");
        let journal = m.take_journal();
        m.roll_back(journal);
        assert_eq!(m, full);
        assert_eq!(names(&m), all);
        // Equal whatever order the objects went in; listed alike.
        let reversed: ObjectMap<String> =
            (0..100).rev().map(|i| (name(i), format!("v{i}"))).collect();
        assert_eq!(reversed, full);
        assert_eq!(format!("{reversed:?}"), format!("{full:?}"));
        assert_eq!(reversed[&name(42)], "v42");
    }

    /// A name many objects hold (past the owners a vector keeps) is found
    /// in order, and let go of, as a name few hold.
    #[test]
    fn a_name_many_objects_hold_is_found_in_order() {
        let name = |i: usize| QualifiedName::public(format!("t{i:03}"));
        let holders = |m: &ObjectMap<String>| -> Vec<String> {
            m.holding("shared").map(|(k, _)| k.name.clone()).collect()
        };
        let mut m: ObjectMap<String> = ObjectMap::default();
        // Filed in an order that is not the names' own.
        for i in (0..100).map(|i| (i * 37) % 100) {
            m.insert(name(i), format!("holds:shared own{i}"));
        }
        let all: Vec<String> = (0..100).map(|i| format!("t{i:03}")).collect();
        assert_eq!(holders(&m), all);
        for i in (0..100).filter(|i| i % 2 == 0) {
            m.remove(&name(i));
        }
        let odd: Vec<String> = all.iter().skip(1).step_by(2).cloned().collect();
        assert_eq!(holders(&m), odd);
        assert_eq!(
            m.holding("own7")
                .map(|(k, _)| k.name.clone())
                .collect::<Vec<_>>(),
            ["t007"]
        );
    }

    #[test]
    fn the_journal_records_first_writes_and_rolls_them_back() {
        let name = |n: &str| QualifiedName::public(n);
        let mut m: ObjectMap<String> = [(name("a"), "1".to_string()), (name("b"), "2".to_string())]
            .into_iter()
            .collect();
        let original = m.clone();
        m.begin_journal();
        if let Some(v) = m.get_mut(&name("a")) {
            v.push('x');
        }
        if let Some(v) = m.get_mut(&name("a")) {
            v.push('y');
        }
        m.remove(&name("b"));
        m.insert(name("c"), "3".into());
        m.update_where(|v| v == "3", |v| v.push('!'));
        let journal = m.take_journal();
        assert_eq!(journal.len(), 3);
        assert_eq!(
            journal[&name("a")].as_deref().map(String::as_str),
            Some("1")
        );
        assert!(journal[&name("c")].is_none());
        assert_eq!(m.get(&name("a")).map(String::as_str), Some("1xy"));
        m.roll_back(journal);
        assert_eq!(m, original);
        // With the journal off, nothing is recorded.
        m.insert(name("d"), "4".into());
        assert!(m.take_journal().is_empty());
    }
}
