//! Which layouts and locales a service offers, and what it knows of each:
//! a layout is `LAYOUTS/NAME.toml` for a NAME of letters, digits, `-` and
//! `_`; a locale is `LOCALES/CODE.toml`. Both must be regular files that
//! resolve inside the root (a symbolic link out of it is "not found").
//!
//! Each file is read once and kept with its length and modification time;
//! a request looks at the file's metadata and reads it again when either
//! changed, so an edited layout is served from its next request on. A file
//! rewritten in place is empty for a moment: meanwhile the version read
//! last is served (503 when there is none), and a read that overlaps a
//! change is read again. A
//! layout is kept with its text, a digest of it, the template keys its
//! strings use (`{{key}}`), its default locale and the other files it
//! names (fonts, pictures, profiles), whose metadata goes into every
//! variant's fingerprint.

use super::problem::Problem;
use crate::files::Kind;
use crate::{Error, LayoutSource, Locale};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// What identifies one version of a file without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    pub(crate) fn of(meta: &std::fs::Metadata) -> Stamp {
        Stamp { len: meta.len(), modified: meta.modified().ok() }
    }

    /// The stamp's bytes, for a fingerprint.
    pub(crate) fn bytes(&self) -> [u8; 24] {
        let nanos =
            self.modified.and_then(|m| m.duration_since(SystemTime::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
        let mut out = [0; 24];
        out[..8].copy_from_slice(&self.len.to_le_bytes());
        out[8..].copy_from_slice(&nanos.to_le_bytes());
        out
    }
}

/// A layout as last read.
#[derive(Debug)]
pub(crate) struct LayoutEntry {
    pub(crate) name: String,
    stamp: Stamp,
    pub(crate) source: LayoutSource,
    pub(crate) digest: [u8; 32],
    /// The keys of its `{{key}}` placeholders.
    pub(crate) keys: BTreeSet<String>,
    /// The locale file `[meta] locale` names, when it resolves inside the root.
    pub(crate) default_locale: Option<PathBuf>,
    /// Other files it names that resolve inside the root.
    pub(crate) files: Vec<PathBuf>,
}

/// A locale as last read.
#[derive(Debug)]
pub(crate) struct LocaleEntry {
    stamp: Stamp,
    pub(crate) locale: Locale,
    pub(crate) digest: [u8; 32],
}

/// The layouts and locales under a root.
pub(crate) struct Catalog {
    root: PathBuf,
    layouts: PathBuf,
    locales: PathBuf,
    layout_entries: Mutex<HashMap<String, Arc<LayoutEntry>>>,
    locale_entries: Mutex<HashMap<PathBuf, Arc<LocaleEntry>>>,
}

/// One layout in `GET /layouts`.
#[derive(Debug, Serialize)]
pub(crate) struct Listed {
    name: String,
    keys: Vec<String>,
    locale: Option<String>,
    formats: [&'static str; 4],
    example: String,
}

/// The answer of `GET /layouts`.
#[derive(Debug, Serialize)]
pub(crate) struct Listing {
    layouts: Vec<Listed>,
    locales: Vec<String>,
}

/// Whether `name` may name a layout or a locale: 1 to 100 ASCII letters,
/// digits, `-` and `_`, so it can never climb out of its folder.
pub(crate) fn is_plain_name(name: &str) -> bool {
    (1..=100).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Catalog {
    /// The catalogue of `layouts` and `locales` under `root`.
    pub(crate) fn new(root: &Path, layouts: &Path, locales: &Path) -> Result<Catalog, Error> {
        let canonical = |p: &Path, what: &str| {
            p.canonicalize().map_err(|e| Error::Options(format!("cannot use {} as the {what}: {e}", p.display())))
        };
        let root = canonical(root, "root")?;
        let layouts = canonical(layouts, "layouts folder")?;
        if !layouts.starts_with(&root) {
            return Err(Error::Options(format!(
                "the layouts folder {} lies outside the root {}",
                layouts.display(),
                root.display()
            )));
        }
        // A missing locales folder only means no `?locale=` is found.
        let locales = locales.canonicalize().unwrap_or_else(|_| locales.to_path_buf());
        Ok(Catalog { root, layouts, locales, layout_entries: Mutex::default(), locale_entries: Mutex::default() })
    }

    /// The canonical root.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// The layout `name`, read again when its file changed.
    pub(crate) fn layout(&self, name: &str) -> Result<Arc<LayoutEntry>, Problem> {
        let missing = || Problem::not_found(format!("there is no layout \"{name}\"; GET /layouts lists them"));
        if !is_plain_name(name) {
            return Err(missing());
        }
        let path = self.layouts.join(format!("{name}.toml"));
        let meta = std::fs::metadata(&path).map_err(|_| missing())?;
        let stamp = Stamp::of(&meta);
        if let Some(e) = lock(&self.layout_entries).get(name)
            && (e.stamp == stamp || meta.len() == 0)
        {
            // An empty file is one being rewritten in place (truncated, not
            // yet written): the version read last is served meanwhile.
            return Ok(e.clone());
        }
        if !meta.is_file() || !self.inside(&path) {
            return Err(missing());
        }
        let (stamp, text) = self.read_whole(&path, "layout")?;
        let entry = Arc::new(self.describe(name, stamp, LayoutSource::new(&path, text)));
        lock(&self.layout_entries).insert(name.to_string(), entry.clone());
        Ok(entry)
    }

    /// The locale `CODE.toml` in the locales folder.
    pub(crate) fn locale_named(&self, code: &str) -> Result<Arc<LocaleEntry>, Problem> {
        let missing = || Problem::not_found(format!("there is no locale \"{code}\"; GET /layouts lists the locales"));
        if !is_plain_name(code) {
            return Err(missing());
        }
        self.locale_at(&self.locales.join(format!("{code}.toml"))).map_err(|p| match p.status.as_u16() {
            404 => missing(),
            _ => p,
        })
    }

    /// The locale file at `path` (inside the root), read again when it changed.
    pub(crate) fn locale_at(&self, path: &Path) -> Result<Arc<LocaleEntry>, Problem> {
        let missing = || Problem::not_found("no such locale".into());
        let meta = std::fs::metadata(path).map_err(|_| missing())?;
        let stamp = Stamp::of(&meta);
        if let Some(e) = lock(&self.locale_entries).get(path)
            && (e.stamp == stamp || meta.len() == 0)
        {
            return Ok(e.clone());
        }
        if !meta.is_file() || !self.inside(path) {
            return Err(missing());
        }
        let (stamp, text) = self.read_whole(path, "locale")?;
        let locale = Locale::parse(&text, path).map_err(|e| Problem::from_error(&Error::from(e), &self.root))?;
        let entry = Arc::new(LocaleEntry { stamp, locale, digest: Sha256::digest(text.as_bytes()).into() });
        lock(&self.locale_entries).insert(path.to_path_buf(), entry.clone());
        Ok(entry)
    }

    /// Every layout and locale on offer, by name.
    pub(crate) fn listing(&self) -> Listing {
        let mut layouts = Vec::new();
        for name in names_in(&self.layouts) {
            let Ok(entry) = self.layout(&name) else { continue };
            let locale = entry.default_locale.as_ref().and_then(|p| self.locale_at(p).ok());
            layouts.push(Listed {
                example: format!("/render/{name}.png"),
                name,
                keys: entry.keys.iter().cloned().collect(),
                locale: locale.map(|l| l.locale.language.clone()),
                formats: ["png", "jpg", "pdf", "json"],
            });
        }
        Listing { layouts, locales: names_in(&self.locales) }
    }

    /// A layout or locale file's text and the stamp of that text: read
    /// again when the file changed while it was read or is empty (an editor
    /// writing it in place), so a half-written file is never kept as the
    /// file; 503 when it does not settle.
    fn read_whole(&self, path: &Path, what: &'static str) -> Result<(Stamp, String), Problem> {
        let stamp_now = || std::fs::metadata(path).map(|m| Stamp::of(&m));
        for _ in 0..5 {
            let before = stamp_now();
            let text = crate::files::read_text(path, crate::files::LAYOUT_LIMIT)
                .map_err(|err| Problem::from_error(&Error::read(what, path, err), &self.root))?;
            if let (Ok(before), Ok(after)) = (before, stamp_now())
                && before == after
                && before.len == text.len() as u64
                && !text.is_empty()
            {
                return Ok((before, text));
            }
            std::thread::yield_now();
        }
        Err(Problem::unavailable(format!("the {what} is empty or changing; if it is being written, try again shortly")))
    }

    /// Whether `path` resolves to a file inside the root.
    fn inside(&self, path: &Path) -> bool {
        path.canonicalize().is_ok_and(|p| p.starts_with(&self.root))
    }

    /// A layout's entry: its keys and the files it names, read from its
    /// strings (a layout that is not valid TOML has none; rendering it
    /// reports where it is wrong).
    fn describe(&self, name: &str, stamp: Stamp, source: LayoutSource) -> LayoutEntry {
        let digest: [u8; 32] = Sha256::digest(source.text().as_bytes()).into();
        let mut strings = Vec::new();
        let mut default_locale = None;
        if let Ok(value) = toml::from_str::<toml::Value>(source.text()) {
            collect_strings(&value, &mut strings);
            let written = value.get("meta").and_then(|m| m.get("locale")).and_then(|l| l.as_str());
            let base = source.name().parent().unwrap_or(&self.layouts);
            default_locale = written.and_then(|w| crate::files::resolve(&self.root, base, w, Kind::Locale).ok());
        }
        let base = source.name().parent().unwrap_or(&self.layouts).to_path_buf();
        let mut keys = BTreeSet::new();
        let mut files = BTreeSet::new();
        for s in &strings {
            placeholders(s, &mut keys);
            for kind in [Kind::Font, Kind::Picture, Kind::Profile, Kind::Locale] {
                if let Ok(p) = crate::files::resolve(&self.root, &base, s, kind) {
                    files.insert(p);
                }
            }
        }
        LayoutEntry {
            name: name.to_string(),
            stamp,
            source,
            digest,
            keys,
            default_locale,
            files: files.into_iter().collect(),
        }
    }
}

/// The plain names of the `.toml` files in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let Ok(read) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut names: Vec<String> = read
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".toml")).map(str::to_string))
        .filter(|n| is_plain_name(n))
        .collect();
    names.sort();
    names
}

/// Every string in a TOML value.
fn collect_strings(value: &toml::Value, out: &mut Vec<String>) {
    match value {
        toml::Value::String(s) => out.push(s.clone()),
        toml::Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        toml::Value::Table(t) => t.values().for_each(|v| collect_strings(v, out)),
        _ => {}
    }
}

/// The keys of the `{{key}}` placeholders in `s`, as the resolver reads them.
fn placeholders(s: &str, keys: &mut BTreeSet<String>) {
    let mut rest = s;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { return };
        keys.insert(after[..end].trim().to_string());
        rest = &after[end + 2..];
    }
}

/// A lock, even when a thread panicked holding it (the maps stay valid).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_climb() {
        for bad in ["", "..", "a/b", "a.b", "%2e", "/etc/passwd", "a\0", "é"] {
            assert!(!is_plain_name(bad), "{bad:?}");
        }
        assert!(is_plain_name("invitation-square_2"));
    }

    #[test]
    fn placeholders_are_read_as_the_resolver_reads_them() {
        let mut keys = BTreeSet::new();
        placeholders("{{ name }} and {{city}}, {{unclosed", &mut keys);
        assert_eq!(keys.into_iter().collect::<Vec<_>>(), ["city", "name"]);
    }
}
