//! [`NameMap`]: the few objects of one table (constraints, indexes) by name,
//! in name order, in a sorted vector.
//!
//! A table holds a handful of them; a `BTreeMap` gave each table an 11-slot
//! node per map (about 2.5 KB for an index map of two), a fifth of a large
//! model. This keeps the part of `BTreeMap`'s interface the engine uses, with
//! the same order, so iteration and comparison are unchanged.

use std::borrow::Borrow;
use std::fmt;

/// Objects by name, in name order (see the module's documentation).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct NameMap<V> {
    entries: Vec<(String, V)>,
}

impl<V> Default for NameMap<V> {
    fn default() -> Self {
        NameMap {
            entries: Vec::new(),
        }
    }
}

impl<V: fmt::Debug> fmt::Debug for NameMap<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<V> NameMap<V> {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    fn find<Q>(&self, name: &Q) -> Result<usize, usize>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(name))
    }

    /// How many objects.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The object called `name`.
    pub fn get<Q>(&self, name: &Q) -> Option<&V>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.find(name).ok().map(|at| &self.entries[at].1)
    }

    /// The object called `name`, for writing.
    pub fn get_mut<Q>(&mut self, name: &Q) -> Option<&mut V>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.find(name).ok().map(|at| &mut self.entries[at].1)
    }

    /// True when an object is called `name`.
    pub fn contains_key<Q>(&self, name: &Q) -> bool
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.find(name).is_ok()
    }

    /// Files `value` under `name`, returning the object it replaces.
    pub fn insert(&mut self, name: String, value: V) -> Option<V> {
        match self.find(name.as_str()) {
            Ok(at) => Some(std::mem::replace(&mut self.entries[at].1, value)),
            Err(at) => {
                // Most tables have one to three: grow by one up to four.
                if self.entries.len() < 4 {
                    self.entries.reserve_exact(1);
                }
                self.entries.insert(at, (name, value));
                None
            }
        }
    }

    /// Takes the object called `name` out.
    pub fn remove<Q>(&mut self, name: &Q) -> Option<V>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.find(name).ok().map(|at| self.entries.remove(at).1)
    }

    /// Keeps only the objects `keep` accepts.
    pub fn retain(&mut self, mut keep: impl FnMut(&String, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }

    /// Takes every object out.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// Names and objects, in name order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&String, &V)> + ExactSizeIterator {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// Names and objects for writing, in name order.
    pub fn iter_mut(
        &mut self,
    ) -> impl DoubleEndedIterator<Item = (&String, &mut V)> + ExactSizeIterator {
        self.entries.iter_mut().map(|(k, v)| (&*k, v))
    }

    /// Names, in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator {
        self.entries.iter().map(|(k, _)| k)
    }

    /// Objects, in name order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }

    /// Objects for writing, in name order.
    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    /// Objects, in name order, taken out.
    pub fn into_values(self) -> impl DoubleEndedIterator<Item = V> + ExactSizeIterator {
        self.entries.into_iter().map(|(_, v)| v)
    }
}

/// `map[name]`, as `BTreeMap`'s: panics when no object has that name (for
/// tests and callers that know it is there; the engine itself uses `get`).
impl<V, Q> std::ops::Index<&Q> for NameMap<V>
where
    String: Borrow<Q>,
    Q: Ord + ?Sized,
{
    type Output = V;

    #[allow(clippy::expect_used)]
    fn index(&self, name: &Q) -> &V {
        self.get(name).expect("no object of that name in the map")
    }
}

impl<V> FromIterator<(String, V)> for NameMap<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(iter: I) -> Self {
        let mut map = NameMap::new();
        map.extend(iter);
        map
    }
}

impl<V> Extend<(String, V)> for NameMap<V> {
    fn extend<I: IntoIterator<Item = (String, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<V> IntoIterator for NameMap<V> {
    type Item = (String, V);
    type IntoIter = std::vec::IntoIter<(String, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a, V> IntoIterator for &'a NameMap<V> {
    type Item = (&'a String, &'a V);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, V)>,
        fn(&'a (String, V)) -> (&'a String, &'a V),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl<'a, V> IntoIterator for &'a mut NameMap<V> {
    type Item = (&'a String, &'a mut V);
    type IntoIter = std::iter::Map<
        std::slice::IterMut<'a, (String, V)>,
        fn(&'a mut (String, V)) -> (&'a String, &'a mut V),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter_mut().map(|(k, v)| (&*k, v))
    }
}

#[cfg(test)]
mod tests {
    use super::NameMap;
    use std::collections::BTreeMap;

    /// Every operation answers as a `BTreeMap` does, in the same order.
    #[test]
    fn answers_as_a_btree_map() {
        let mut ours = NameMap::new();
        let mut theirs = BTreeMap::new();
        let names = ["b", "a", "d", "c", "a", "e", "b", "f", "g", "a"];
        for (i, name) in names.iter().enumerate() {
            assert_eq!(
                ours.insert(name.to_string(), i),
                theirs.insert(name.to_string(), i)
            );
            if i % 3 == 2 {
                assert_eq!(ours.remove(names[i - 1]), theirs.remove(names[i - 1]));
            }
            assert!(ours.iter().eq(theirs.iter()));
            assert_eq!(ours.get("a"), theirs.get("a"));
            assert_eq!(ours.contains_key("c"), theirs.contains_key("c"));
            assert_eq!(ours.len(), theirs.len());
        }
        ours.retain(|k, v| {
            *v += 1;
            k != "e"
        });
        theirs.retain(|k, v| {
            *v += 1;
            k != "e"
        });
        assert!(ours.iter().eq(theirs.iter()));
        assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
        let collected: NameMap<usize> = theirs.clone().into_iter().rev().collect();
        assert_eq!(collected, ours);
        assert!(ours.into_iter().eq(theirs));
    }
}
