//! The output cache: finished renders by the fingerprint of their inputs,
//! bounded by their total size in bytes. Past the bound the least recently
//! used outputs go; an output larger than an eighth of the bound is not
//! kept, so one huge PDF cannot empty the cache of everything else.

use axum::body::Bytes;
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

/// A fingerprint: the SHA-256 of a variant's inputs.
pub(crate) type Key = [u8; 32];

struct Inner {
    entries: HashMap<Key, (Bytes, u64)>,
    /// Last use → key, oldest first.
    order: BTreeMap<u64, Key>,
    clock: u64,
    bytes: usize,
}

/// Finished outputs, at most `limit` bytes of them.
pub(crate) struct OutputCache {
    inner: Mutex<Inner>,
    limit: usize,
}

/// What an entry costs beyond its bytes (maps, key, handle).
const OVERHEAD: usize = 128;

impl OutputCache {
    pub(crate) fn new(limit: usize) -> OutputCache {
        let inner = Inner { entries: HashMap::new(), order: BTreeMap::new(), clock: 0, bytes: 0 };
        OutputCache { inner: Mutex::new(inner), limit }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The output for `key`, marking it used.
    pub(crate) fn get(&self, key: &Key) -> Option<Bytes> {
        let mut inner = self.lock();
        inner.clock += 1;
        let now = inner.clock;
        let (bytes, used) = inner.entries.get_mut(key)?;
        let (bytes, old) = (bytes.clone(), std::mem::replace(used, now));
        inner.order.remove(&old);
        inner.order.insert(now, *key);
        Some(bytes)
    }

    /// Keep `bytes` as the output for `key`, dropping the least recently
    /// used outputs until the cache is within its bound.
    pub(crate) fn put(&self, key: Key, bytes: Bytes) {
        let weight = bytes.len() + OVERHEAD;
        if weight > self.limit / 8 {
            return;
        }
        let mut inner = self.lock();
        inner.clock += 1;
        let now = inner.clock;
        if let Some((old, used)) = inner.entries.insert(key, (bytes, now)) {
            inner.bytes -= old.len() + OVERHEAD;
            inner.order.remove(&used);
        }
        inner.order.insert(now, key);
        inner.bytes += weight;
        while inner.bytes > self.limit {
            let Some((_, oldest)) = inner.order.pop_first() else { break };
            if let Some((gone, _)) = inner.entries.remove(&oldest) {
                inner.bytes -= gone.len() + OVERHEAD;
            }
        }
    }

    /// Outputs kept and the bytes they take.
    pub(crate) fn size(&self) -> (usize, usize) {
        let inner = self.lock();
        (inner.entries.len(), inner.bytes)
    }

    /// The bound, in bytes.
    pub(crate) fn limit(&self) -> usize {
        self.limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(i: u8) -> Key {
        [i; 32]
    }

    #[test]
    fn the_least_recently_used_go_first_and_the_bound_holds() {
        let cache = OutputCache::new(8 * (1000 + OVERHEAD));
        for i in 0..8 {
            cache.put(key(i), Bytes::from(vec![i; 1000]));
        }
        assert_eq!(cache.size().0, 8);
        assert!(cache.get(&key(0)).is_some());
        cache.put(key(8), Bytes::from(vec![8; 1000]));
        assert!(cache.get(&key(1)).is_none(), "1 was the least recently used");
        assert!(cache.get(&key(0)).is_some() && cache.get(&key(8)).is_some());
        assert!(cache.size().1 <= cache.limit());
        cache.put(key(9), Bytes::from(vec![0; 2000]));
        assert!(cache.get(&key(9)).is_none(), "over an eighth of the bound is not kept");
        cache.put(key(0), Bytes::from(vec![0; 10]));
        assert_eq!(cache.get(&key(0)).unwrap().len(), 10);
        assert!(cache.size().1 <= cache.limit());
    }
}
