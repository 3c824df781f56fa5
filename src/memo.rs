//! The keyed result stores `serve`'s memos are made of: results by a 64-bit key that covers
//! everything the result read. A render borrows the whole store (lookups run in parallel without
//! locking), adds what it computed, and hands it back; entries no longer used are dropped only
//! once they make up a noticeable share, so an edit costs work for the edit, not a rebuilt map.
//! Also `Hash128`, the content key of what is kept between runs (where 64 bits are too few).

use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::Mutex;

/// Two differently seeded 64-bit FxHashes of the same input, 128 bits in all: the key of the
/// site cache and of stored highlighted blocks, where a collision would serve wrong output.
pub struct Hash128([rustc_hash::FxHasher; 2]);

impl Default for Hash128 {
    fn default() -> Self {
        let mut hs = [rustc_hash::FxHasher::default(), rustc_hash::FxHasher::default()];
        std::hash::Hasher::write_u64(&mut hs[1], 0x9e37_79b9_7f4a_7c15);
        Hash128(hs)
    }
}

impl std::hash::Hasher for Hash128 {
    fn write(&mut self, bytes: &[u8]) {
        self.0.iter_mut().for_each(|h| h.write(bytes));
    }
    // FxHasher mixes integers its own way; forward those it specialises that keys use.
    fn write_u8(&mut self, n: u8) {
        self.0.iter_mut().for_each(|h| h.write_u8(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.0.iter_mut().for_each(|h| h.write_u64(n));
    }
    fn write_usize(&mut self, n: usize) {
        self.0.iter_mut().for_each(|h| h.write_usize(n));
    }
    /// The first half; `finish128` gives both.
    fn finish(&self) -> u64 {
        self.0[0].finish()
    }
}

impl Hash128 {
    pub fn finish128(&self) -> u128 {
        use std::hash::Hasher;
        (u128::from(self.0[0].finish()) << 64) | u128::from(self.0[1].finish())
    }
}

pub struct Store<V> {
    enabled: bool,
    map: Mutex<FxHashMap<u64, V>>,
}

impl<V> Default for Store<V> {
    fn default() -> Self {
        Store { enabled: false, map: Mutex::new(FxHashMap::default()) }
    }
}

impl<V> Store<V> {
    /// A store that remembers (the default one forgets everything: one-shot builds).
    pub fn enabled() -> Self {
        Store { enabled: true, map: Mutex::new(FxHashMap::default()) }
    }

    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// The entries, for the length of one render (empty when the store is disabled).
    pub fn take(&self) -> FxHashMap<u64, V> {
        if self.enabled { std::mem::take(&mut *self.map.lock().expect("memo lock")) } else { FxHashMap::default() }
    }

    /// Hand the entries back with what this render computed. `used` are the keys this render
    /// looked up or added: when entries outside it exceed an eighth of them (at least 64), they
    /// are dropped, so the store stays within ~1.125× what the site needs.
    pub fn put(&self, mut map: FxHashMap<u64, V>, fresh: impl IntoIterator<Item = (u64, V)>, used: &[u64]) {
        if !self.enabled {
            return;
        }
        map.extend(fresh);
        if map.len() > used.len() + (used.len() / 8).max(64) {
            let live: FxHashSet<u64> = used.iter().copied().collect();
            map.retain(|k, _| live.contains(k));
        }
        *self.map.lock().expect("memo lock") = map;
    }

    /// `put` for a render that computed a value for every key in `keys` (in the same order):
    /// the pairs `map` lacks are the fresh ones.
    pub fn put_all(&self, map: FxHashMap<u64, V>, keys: &[u64], values: &[V])
    where
        V: Clone,
    {
        if !self.enabled {
            return;
        }
        let fresh: Vec<(u64, V)> =
            keys.iter().zip(values).filter(|(k, _)| !map.contains_key(k)).map(|(k, v)| (*k, v.clone())).collect();
        self.put(map, fresh, keys);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_fresh_entries_and_drops_stale_ones_past_the_slack() {
        let s: Store<u32> = Store::enabled();
        let m = s.take();
        s.put(m, (0..100).map(|k| (k, k as u32)), &(0..100).collect::<Vec<_>>());
        let m = s.take();
        assert_eq!(m.len(), 100);
        // 100 entries changed: 200 held, over 100 + 64 live, so the stale ones go.
        s.put(m, (100..200).map(|k| (k, 0)), &(100..200).collect::<Vec<_>>());
        let m = s.take();
        assert_eq!(m.len(), 100);
        assert!(m.contains_key(&150) && !m.contains_key(&50));
        // A few changes stay within the slack: nothing is scanned or dropped.
        s.put(m, [(1000, 0)], &(100..200).chain([1000]).collect::<Vec<_>>());
        let m = s.take();
        assert_eq!(m.len(), 101);
        // Every key computed: only those the map lacked are added, the rest keep their entries.
        s.put_all(m, &[100, 2000], &[7, 8]);
        let m = s.take();
        assert_eq!((m[&100], m[&2000]), (0, 8));
        let off: Store<u32> = Store::default();
        off.put(FxHashMap::default(), [(1, 1)], &[1]);
        assert!(off.take().is_empty());
    }
}
