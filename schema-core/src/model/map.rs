//! [`ObjectMap`]: the map of tables, enums or sequences of a schema, with an
//! optional undo journal.
//!
//! Values sit behind `Arc`s and are copied on first write, so a snapshot shares
//! every object it did not change. Replay does not snapshot at all: it turns the
//! journal on, which records the prior value of each entry the first time it is
//! written; the journal tells what a migration touched and rolls it back, so
//! checking a down costs in proportion to what the migration touched, not to
//! the size of the schema.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use super::QualifiedName;

/// The prior value (`None`: absent) of each entry written since the journal began.
pub type Journal<V> = BTreeMap<QualifiedName, Option<Arc<V>>>;

/// Objects by qualified name, shared copy-on-write between snapshots.
#[derive(Clone)]
pub struct ObjectMap<V> {
    inner: BTreeMap<QualifiedName, Arc<V>>,
    journal: Option<Journal<V>>,
}

impl<V> Default for ObjectMap<V> {
    fn default() -> Self {
        ObjectMap {
            inner: BTreeMap::new(),
            journal: None,
        }
    }
}

impl<V: PartialEq> PartialEq for ObjectMap<V> {
    fn eq(&self, other: &Self) -> bool {
        self.inner.len() == other.inner.len()
            && self
                .inner
                .iter()
                .zip(other.inner.iter())
                .all(|((ka, va), (kb, vb))| ka == kb && (Arc::ptr_eq(va, vb) || va == vb))
    }
}
impl<V: Eq> Eq for ObjectMap<V> {}

impl<V: fmt::Debug> fmt::Debug for ObjectMap<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.inner.iter().map(|(k, v)| (k, &**v)))
            .finish()
    }
}

impl<V: Clone> ObjectMap<V> {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the current value of `name` if the journal is on and has not yet.
    fn note(&mut self, name: &QualifiedName) {
        if let Some(journal) = &mut self.journal {
            if !journal.contains_key(name) {
                journal.insert(name.clone(), self.inner.get(name).cloned());
            }
        }
    }

    /// The object called `name`.
    pub fn get(&self, name: &QualifiedName) -> Option<&V> {
        self.inner.get(name).map(|v| &**v)
    }

    /// The object called `name`, for writing (copied first if a snapshot shares it).
    pub fn get_mut(&mut self, name: &QualifiedName) -> Option<&mut V> {
        if self.journal.is_some() && self.inner.contains_key(name) {
            self.note(name);
        }
        self.inner.get_mut(name).map(Arc::make_mut)
    }

    /// True when an object is called `name`.
    pub fn contains_key(&self, name: &QualifiedName) -> bool {
        self.inner.contains_key(name)
    }

    /// Inserts or replaces; returns the previous object.
    pub fn insert(&mut self, name: QualifiedName, value: V) -> Option<V> {
        self.note(&name);
        self.inner
            .insert(name, Arc::new(value))
            .map(Arc::unwrap_or_clone)
    }

    /// Removes and returns the object called `name`.
    pub fn remove(&mut self, name: &QualifiedName) -> Option<V> {
        if self.inner.contains_key(name) {
            self.note(name);
        }
        self.inner.remove(name).map(Arc::unwrap_or_clone)
    }

    /// Number of objects.
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// Names in order.
    pub fn keys(&self) -> impl Iterator<Item = &QualifiedName> {
        self.inner.keys()
    }

    /// Objects in name order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.inner.values().map(|v| &**v)
    }

    /// `(name, object)` pairs in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&QualifiedName, &V)> {
        self.inner.iter().map(|(k, v)| (k, &**v))
    }

    /// Changes every object for which `pred` holds, copying only those.
    pub fn update_where(&mut self, pred: impl Fn(&V) -> bool, mut f: impl FnMut(&mut V)) {
        let names: Vec<QualifiedName> = self
            .inner
            .iter()
            .filter(|(_, v)| pred(v))
            .map(|(k, _)| k.clone())
            .collect();
        for name in names {
            self.note(&name);
            if let Some(v) = self.inner.get_mut(&name) {
                f(Arc::make_mut(v));
            }
        }
    }

    /// Keeps the objects for which `keep` holds.
    pub fn retain(&mut self, mut keep: impl FnMut(&QualifiedName, &V) -> bool) {
        let gone: Vec<QualifiedName> = self
            .inner
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
        match (self.inner.get(name), other.inner.get(name)) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// Starts recording prior values (dropping any journal in progress).
    pub fn begin_journal(&mut self) {
        self.journal = Some(Journal::new());
    }

    /// Stops recording and returns what was recorded.
    pub fn take_journal(&mut self) -> Journal<V> {
        self.journal.take().unwrap_or_default()
    }

    /// Puts back the values a journal recorded.
    pub fn roll_back(&mut self, journal: Journal<V>) {
        for (name, prior) in journal {
            match prior {
                Some(v) => {
                    self.inner.insert(name, v);
                }
                None => {
                    self.inner.remove(&name);
                }
            }
        }
    }

    /// The current entry of `name`, shared (for journals and comparisons).
    pub fn entry_arc(&self, name: &QualifiedName) -> Option<Arc<V>> {
        self.inner.get(name).cloned()
    }

    /// Inserts an entry already behind an `Arc` (no copy).
    pub fn insert_arc(&mut self, name: QualifiedName, value: Arc<V>) {
        self.note(&name);
        self.inner.insert(name, value);
    }
}

impl<V: Clone> std::ops::Index<&QualifiedName> for ObjectMap<V> {
    type Output = V;

    /// # Panics
    /// When no object is called `name`; check with `contains_key` or use `get`.
    fn index(&self, name: &QualifiedName) -> &V {
        &self.inner[name]
    }
}

impl<V: Clone> FromIterator<(QualifiedName, V)> for ObjectMap<V> {
    fn from_iter<I: IntoIterator<Item = (QualifiedName, V)>>(iter: I) -> Self {
        ObjectMap {
            inner: iter.into_iter().map(|(k, v)| (k, Arc::new(v))).collect(),
            journal: None,
        }
    }
}

impl<V: Clone> Extend<(QualifiedName, V)> for ObjectMap<V> {
    fn extend<I: IntoIterator<Item = (QualifiedName, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
