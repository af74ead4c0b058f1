//! [`NameMap`]: the few objects of one table (constraints, indexes) by name,
//! in name order, in a sorted vector.
//!
//! A table holds a handful of them; a `BTreeMap` gave each table an 11-slot
//! node per map (about 2.5 KB for an index map of two), a fifth of a large
//! model. This keeps the part of `BTreeMap`'s interface the engine uses, with
//! the same order, so iteration and comparison are unchanged. Past
//! [`FEW`] objects it is a `BTreeMap` again: inserting in the middle of a long
//! vector would make a table of 100,000 constraints quadratic.

use std::borrow::Borrow;
use std::collections::{BTreeMap, btree_map};
use std::fmt;

/// Up to this many objects, a sorted vector; past it, a `BTreeMap`.
const FEW: usize = 32;

/// Objects by name, in name order (see the module's documentation).
#[derive(Clone)]
pub struct NameMap<V> {
    entries: Entries<V>,
}

#[derive(Clone)]
enum Entries<V> {
    Few(Vec<(String, V)>),
    Many(BTreeMap<String, V>),
}

impl<V> Default for NameMap<V> {
    fn default() -> Self {
        NameMap {
            entries: Entries::Few(Vec::new()),
        }
    }
}

impl<V: PartialEq> PartialEq for NameMap<V> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<V: Eq> Eq for NameMap<V> {}

impl<V: std::hash::Hash> std::hash::Hash for NameMap<V> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_usize(self.len());
        for entry in self.iter() {
            entry.hash(state);
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

    /// How many objects.
    pub fn len(&self) -> usize {
        match &self.entries {
            Entries::Few(v) => v.len(),
            Entries::Many(m) => m.len(),
        }
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The object called `name`.
    pub fn get<Q>(&self, name: &Q) -> Option<&V>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match &self.entries {
            Entries::Few(v) => find(v, name).ok().map(|at| &v[at].1),
            Entries::Many(m) => m.get(name),
        }
    }

    /// The object called `name`, for writing.
    pub fn get_mut<Q>(&mut self, name: &Q) -> Option<&mut V>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match &mut self.entries {
            Entries::Few(v) => find(v, name).ok().map(|at| &mut v[at].1),
            Entries::Many(m) => m.get_mut(name),
        }
    }

    /// True when an object is called `name`.
    pub fn contains_key<Q>(&self, name: &Q) -> bool
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.get(name).is_some()
    }

    /// Files `value` under `name`, returning the object it replaces.
    pub fn insert(&mut self, name: String, value: V) -> Option<V> {
        let v = match &mut self.entries {
            Entries::Many(m) => return m.insert(name, value),
            Entries::Few(v) => v,
        };
        match find(v, name.as_str()) {
            Ok(at) => Some(std::mem::replace(&mut v[at].1, value)),
            Err(_) if v.len() >= FEW => {
                let mut many: BTreeMap<String, V> = std::mem::take(v).into_iter().collect();
                many.insert(name, value);
                self.entries = Entries::Many(many);
                None
            }
            Err(at) => {
                // Most tables have one to three: grow by one up to four.
                if v.len() < 4 {
                    v.reserve_exact(1);
                }
                v.insert(at, (name, value));
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
        match &mut self.entries {
            Entries::Few(v) => find(v, name).ok().map(|at| v.remove(at).1),
            Entries::Many(m) => m.remove(name),
        }
    }

    /// Keeps only the objects `keep` accepts.
    pub fn retain(&mut self, mut keep: impl FnMut(&String, &mut V) -> bool) {
        match &mut self.entries {
            Entries::Few(v) => v.retain_mut(|(k, v)| keep(k, v)),
            Entries::Many(m) => m.retain(|k, v| keep(k, v)),
        }
    }

    /// Takes every object out.
    pub fn clear(&mut self) {
        self.entries = Entries::Few(Vec::new());
    }

    /// Names and objects, in name order.
    pub fn iter(&self) -> Iter<'_, V> {
        match &self.entries {
            Entries::Few(v) => Iter::Few(v.iter()),
            Entries::Many(m) => Iter::Many(m.iter()),
        }
    }

    /// Names and objects for writing, in name order.
    pub fn iter_mut(&mut self) -> IterMut<'_, V> {
        match &mut self.entries {
            Entries::Few(v) => IterMut::Few(v.iter_mut()),
            Entries::Many(m) => IterMut::Many(m.iter_mut()),
        }
    }

    /// Names, in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator {
        self.iter().map(|(k, _)| k)
    }

    /// Objects, in name order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.iter().map(|(_, v)| v)
    }

    /// Objects for writing, in name order.
    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.iter_mut().map(|(_, v)| v)
    }

    /// Objects, in name order, taken out.
    pub fn into_values(self) -> impl DoubleEndedIterator<Item = V> + ExactSizeIterator {
        self.into_iter().map(|(_, v)| v)
    }
}

/// Where `name` is in a sorted vector, or would go.
fn find<V, Q>(entries: &[(String, V)], name: &Q) -> Result<usize, usize>
where
    String: Borrow<Q>,
    Q: Ord + ?Sized,
{
    entries.binary_search_by(|(k, _)| Borrow::<Q>::borrow(k).cmp(name))
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

/// The names and objects of a [`NameMap`], in name order.
pub enum Iter<'a, V> {
    #[doc(hidden)]
    Few(std::slice::Iter<'a, (String, V)>),
    #[doc(hidden)]
    Many(btree_map::Iter<'a, String, V>),
}

impl<'a, V> Iterator for Iter<'a, V> {
    type Item = (&'a String, &'a V);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Iter::Few(i) => i.next().map(|(k, v)| (k, v)),
            Iter::Many(i) => i.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Iter::Few(i) => i.size_hint(),
            Iter::Many(i) => i.size_hint(),
        }
    }
}

impl<V> DoubleEndedIterator for Iter<'_, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        match self {
            Iter::Few(i) => i.next_back().map(|(k, v)| (k, v)),
            Iter::Many(i) => i.next_back(),
        }
    }
}

impl<V> ExactSizeIterator for Iter<'_, V> {}

/// The names and objects of a [`NameMap`] for writing, in name order.
pub enum IterMut<'a, V> {
    #[doc(hidden)]
    Few(std::slice::IterMut<'a, (String, V)>),
    #[doc(hidden)]
    Many(btree_map::IterMut<'a, String, V>),
}

impl<'a, V> Iterator for IterMut<'a, V> {
    type Item = (&'a String, &'a mut V);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            IterMut::Few(i) => i.next().map(|(k, v)| (&*k, v)),
            IterMut::Many(i) => i.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            IterMut::Few(i) => i.size_hint(),
            IterMut::Many(i) => i.size_hint(),
        }
    }
}

impl<V> DoubleEndedIterator for IterMut<'_, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        match self {
            IterMut::Few(i) => i.next_back().map(|(k, v)| (&*k, v)),
            IterMut::Many(i) => i.next_back(),
        }
    }
}

impl<V> ExactSizeIterator for IterMut<'_, V> {}

/// The names and objects of a [`NameMap`], taken out, in name order.
pub enum IntoIter<V> {
    #[doc(hidden)]
    Few(std::vec::IntoIter<(String, V)>),
    #[doc(hidden)]
    Many(btree_map::IntoIter<String, V>),
}

impl<V> Iterator for IntoIter<V> {
    type Item = (String, V);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            IntoIter::Few(i) => i.next(),
            IntoIter::Many(i) => i.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            IntoIter::Few(i) => i.size_hint(),
            IntoIter::Many(i) => i.size_hint(),
        }
    }
}

impl<V> DoubleEndedIterator for IntoIter<V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        match self {
            IntoIter::Few(i) => i.next_back(),
            IntoIter::Many(i) => i.next_back(),
        }
    }
}

impl<V> ExactSizeIterator for IntoIter<V> {}

impl<V> IntoIterator for NameMap<V> {
    type Item = (String, V);
    type IntoIter = IntoIter<V>;

    fn into_iter(self) -> IntoIter<V> {
        match self.entries {
            Entries::Few(v) => IntoIter::Few(v.into_iter()),
            Entries::Many(m) => IntoIter::Many(m.into_iter()),
        }
    }
}

impl<'a, V> IntoIterator for &'a NameMap<V> {
    type Item = (&'a String, &'a V);
    type IntoIter = Iter<'a, V>;

    fn into_iter(self) -> Iter<'a, V> {
        self.iter()
    }
}

impl<'a, V> IntoIterator for &'a mut NameMap<V> {
    type Item = (&'a String, &'a mut V);
    type IntoIter = IterMut<'a, V>;

    fn into_iter(self) -> IterMut<'a, V> {
        self.iter_mut()
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
        let mut names = vec!["b", "a", "d", "c", "a", "e", "b", "f", "g", "a"];
        // Past `FEW`, in an order that is not the names' own.
        let many: Vec<String> = (0..80).map(|i| format!("m{}", (i * 37) % 80)).collect();
        names.extend(many.iter().map(String::as_str));
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
