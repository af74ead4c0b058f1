//! [`ObjectMap`]: the map of tables, enums or sequences of a schema, cheap to clone.
//!
//! Values sit behind `Arc`s and are copied on first write, so snapshotting a
//! whole schema (replay does it once per migration to check its down) costs a
//! few pointer copies, and comparing two snapshots skips every object they share.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use super::QualifiedName;

/// Objects by qualified name, shared copy-on-write between snapshots.
#[derive(Clone, PartialEq, Eq)]
pub struct ObjectMap<V> {
    inner: BTreeMap<QualifiedName, Arc<V>>,
}

impl<V> Default for ObjectMap<V> {
    fn default() -> Self {
        ObjectMap {
            inner: BTreeMap::new(),
        }
    }
}

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

    /// The object called `name`.
    pub fn get(&self, name: &QualifiedName) -> Option<&V> {
        self.inner.get(name).map(|v| &**v)
    }

    /// The object called `name`, for writing (copied first if a snapshot shares it).
    pub fn get_mut(&mut self, name: &QualifiedName) -> Option<&mut V> {
        self.inner.get_mut(name).map(Arc::make_mut)
    }

    /// True when an object is called `name`.
    pub fn contains_key(&self, name: &QualifiedName) -> bool {
        self.inner.contains_key(name)
    }

    /// Inserts or replaces; returns the previous object.
    pub fn insert(&mut self, name: QualifiedName, value: V) -> Option<V> {
        self.inner
            .insert(name, Arc::new(value))
            .map(Arc::unwrap_or_clone)
    }

    /// Removes and returns the object called `name`.
    pub fn remove(&mut self, name: &QualifiedName) -> Option<V> {
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
        for v in self.inner.values_mut() {
            if pred(v) {
                f(Arc::make_mut(v));
            }
        }
    }

    /// Keeps the objects for which `keep` holds.
    pub fn retain(&mut self, mut keep: impl FnMut(&QualifiedName, &V) -> bool) {
        self.inner.retain(|k, v| keep(k, v));
    }

    /// True when both maps hold the very same object (not a copy) under `name`.
    pub fn shares(&self, other: &Self, name: &QualifiedName) -> bool {
        match (self.inner.get(name), other.inner.get(name)) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
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
