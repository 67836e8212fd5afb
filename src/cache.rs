//! Bounded caches of files read from disk (fonts, pictures), owned by an
//! [`Engine`](crate::Engine) rather than by the process.
//!
//! An entry is keyed by the file's path and remembers the file's length and
//! modification time: a file changed on disk is read again on its next use,
//! so a long-running service never serves a stale font or logo. The cache
//! holds at most a fixed number of entries and of bytes; past either bound
//! the least recently used entries go. It knows nothing of what the values
//! are: the caller says how to turn bytes into a value and how heavy it is.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// What identifies one version of a file: its length and modification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    fn of(path: &Path) -> std::io::Result<Stamp> {
        let m = std::fs::metadata(path)?;
        Ok(Stamp { len: m.len(), modified: m.modified().ok() })
    }
}

struct Entry<T> {
    stamp: Stamp,
    value: Arc<T>,
    weight: usize,
    used: u64,
}

struct Inner<T> {
    entries: HashMap<PathBuf, Entry<T>>,
    clock: u64,
    weight: usize,
}

/// A bounded, invalidating cache of values made from files.
pub(crate) struct FileCache<T> {
    inner: Mutex<Inner<T>>,
    max_entries: usize,
    max_weight: usize,
}

/// Why a cached file could not be had: it could not be read, or `load` refused its bytes.
#[derive(Debug)]
pub(crate) enum CacheError<E> {
    Read(std::io::Error),
    Load(E),
}

impl<T> FileCache<T> {
    /// A cache of at most `max_entries` values weighing `max_weight` in all.
    pub(crate) fn new(max_entries: usize, max_weight: usize) -> FileCache<T> {
        FileCache {
            inner: Mutex::new(Inner { entries: HashMap::new(), clock: 0, weight: 0 }),
            max_entries: max_entries.max(1),
            max_weight,
        }
    }

    /// The value for `path`: cached when the file is unchanged, else made
    /// by `load` from the file's bytes (returning the value and its weight).
    pub(crate) fn get<E>(
        &self,
        path: &Path,
        load: impl FnOnce(Vec<u8>) -> Result<(T, usize), E>,
    ) -> Result<Arc<T>, CacheError<E>> {
        let stamp = Stamp::of(path).map_err(CacheError::Read)?;
        let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        if let Some(v) = self.lookup(&key, stamp) {
            return Ok(v);
        }
        let bytes = std::fs::read(path).map_err(CacheError::Read)?;
        let (value, weight) = load(bytes).map_err(CacheError::Load)?;
        let value = Arc::new(value);
        self.store(key, stamp, value.clone(), weight);
        Ok(value)
    }

    fn lookup(&self, key: &Path, stamp: Stamp) -> Option<Arc<T>> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.clock += 1;
        let now = inner.clock;
        let entry = inner.entries.get_mut(key)?;
        if entry.stamp != stamp {
            return None;
        }
        entry.used = now;
        Some(entry.value.clone())
    }

    fn store(&self, key: PathBuf, stamp: Stamp, value: Arc<T>, weight: usize) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if weight > self.max_weight {
            // Too heavy to keep: used once, never cached.
            return;
        }
        inner.clock += 1;
        let used = inner.clock;
        if let Some(old) = inner.entries.insert(key, Entry { stamp, value, weight, used }) {
            inner.weight -= old.weight;
        }
        inner.weight += weight;
        while inner.entries.len() > self.max_entries || inner.weight > self.max_weight {
            let Some(oldest) = inner.entries.iter().min_by_key(|(_, e)| e.used).map(|(k, _)| k.clone()) else {
                break;
            };
            if let Some(e) = inner.entries.remove(&oldest) {
                inner.weight -= e.weight;
            }
        }
    }

    /// How many values are cached.
    pub(crate) fn len(&self) -> usize {
        self.inner.lock().map_or(0, |i| i.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("nashr-cache-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn load(bytes: Vec<u8>) -> Result<(String, usize), ()> {
        let n = bytes.len();
        Ok((String::from_utf8(bytes).unwrap(), n))
    }

    #[test]
    fn a_changed_file_is_read_again() {
        let d = dir("changed");
        let p = d.join("a.txt");
        std::fs::write(&p, "one").unwrap();
        let cache = FileCache::new(4, 1000);
        assert_eq!(*cache.get(&p, load).unwrap(), "one");
        assert_eq!(*cache.get(&p, |_| Err(())).unwrap(), "one", "unchanged: from the cache");
        std::fs::write(&p, "three").unwrap();
        assert_eq!(*cache.get(&p, load).unwrap(), "three");
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn entries_and_weight_stay_bounded() {
        let d = dir("bounded");
        let cache = FileCache::new(3, 10);
        for i in 0..10 {
            let p = d.join(format!("{i}.txt"));
            std::fs::write(&p, "abcd").unwrap();
            cache.get(&p, load).unwrap();
            assert!(cache.len() <= 2, "10 bytes hold two 4-byte files");
        }
        let big = d.join("big.txt");
        std::fs::write(&big, "x".repeat(50)).unwrap();
        assert_eq!(cache.get(&big, load).unwrap().len(), 50, "too heavy to keep, still returned");
        assert!(cache.len() <= 2);
        assert!(matches!(cache.get(&d.join("missing"), load), Err(CacheError::Read(_))));
        std::fs::remove_dir_all(&d).unwrap();
    }
}
