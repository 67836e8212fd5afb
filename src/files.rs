//! Which files a layout may read: every file it names (a locale, font
//! files, pictures, an ICC profile) resolves inside a root folder, is a
//! regular file (no FIFO, device or folder, which could block or never
//! end), and is no larger than a limit for its kind, checked before
//! anything is read.
//!
//! The root is the engine's (`Engine::with_root`, `nashr render --root`),
//! else the working folder when the layout lies inside it (a project whose
//! layouts name `../locales/fa.toml`), else the layout's own folder. An
//! absolute path or one that climbs out of the root is refused with an error
//! that names the path as written and never shows the file's content.

use std::path::{Component, Path, PathBuf};

/// What a file is for, with its size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Locale,
    Font,
    Picture,
    Profile,
}

impl Kind {
    /// The file name endings a file of this kind may have.
    fn extensions(self) -> &'static [&'static str] {
        match self {
            Kind::Locale => &["toml"],
            Kind::Font => &["ttf", "otf", "ttc", "otc"],
            Kind::Picture => &["png", "jpg", "jpeg", "svg"],
            Kind::Profile => &["icc", "icm"],
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Locale => "locale",
            Kind::Font => "font file",
            Kind::Picture => "picture",
            Kind::Profile => "ICC profile",
        }
    }

    /// The largest file of this kind, in bytes.
    pub(crate) fn limit(self) -> u64 {
        match self {
            Kind::Locale => 4 << 20,
            Kind::Font => 64 << 20,
            Kind::Picture => 64 << 20,
            Kind::Profile => 8 << 20,
        }
    }
}

/// The root a layout at `layout` reads inside, when the engine names none.
pub(crate) fn default_root(layout: &Path) -> PathBuf {
    let folder = layout.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let folder = folder.canonicalize().unwrap_or_else(|_| folder.to_path_buf());
    match std::env::current_dir().and_then(|d| d.canonicalize()) {
        Ok(cwd) if folder.starts_with(&cwd) => cwd,
        _ => folder,
    }
}

/// The file `written` (relative to the layout's folder `base`) names, when
/// it lies inside `root` and may be read as a `kind`; else why not.
pub(crate) fn resolve(root: &Path, base: &Path, written: &str, kind: Kind) -> Result<PathBuf, String> {
    let refuse = |why: &str| format!("the {} \"{written}\" {why}", kind.name());
    let rel = Path::new(written);
    if rel.is_absolute() || rel.components().any(|c| matches!(c, Component::Prefix(_) | Component::RootDir)) {
        return Err(refuse(&format!(
            "is an absolute path; files a layout names must lie inside {} (name them relative to the layout, or widen the root with --root)",
            root.display()
        )));
    }
    let ext = rel.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    if !ext.as_deref().is_some_and(|e| kind.extensions().contains(&e)) {
        return Err(refuse(&format!("does not end in .{}", kind.extensions().join(", ."))));
    }
    let joined = base.join(rel);
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let outside = || {
        refuse(&format!(
            "lies outside {}, the folder this layout may read from; widen it with --root if it is meant",
            root.display()
        ))
    };
    // A path that climbs out is refused whether or not its file exists, so
    // that messages tell nothing of files outside the root.
    if !lexically_inside(&root, &joined) {
        return Err(outside());
    }
    let full = joined
        .canonicalize()
        .map_err(|e| format!("cannot read {} {}: {}", kind.name(), joined.display(), io_reason(&e)))?;
    if !full.starts_with(&root) {
        return Err(outside());
    }
    let meta = std::fs::metadata(&full).map_err(|e| refuse(&format!("cannot be opened: {}", io_reason(&e))))?;
    if !meta.is_file() {
        return Err(refuse("is not a regular file"));
    }
    if meta.len() > kind.limit() {
        return Err(refuse(&format!(
            "is {} MB, over the {} MB a {} may be",
            meta.len() >> 20,
            kind.limit() >> 20,
            kind.name()
        )));
    }
    Ok(full)
}

/// Whether `path`, made absolute from the (canonical) working folder and
/// with its `..` and `.` taken away by their names alone, lies inside
/// `root` (itself canonical). Links are not followed here: the real path
/// is checked after, when the file exists.
fn lexically_inside(root: &Path, path: &Path) -> bool {
    let absolute = match path.is_absolute() {
        true => path.to_path_buf(),
        false => match std::env::current_dir().and_then(|d| d.canonicalize()) {
            Ok(cwd) => cwd.join(path),
            Err(_) => return true,
        },
    };
    let mut clean = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    clean.starts_with(root)
}

/// The largest layout, locale or data file read, in bytes.
pub(crate) const LAYOUT_LIMIT: u64 = 4 << 20;
/// The largest data file (CSV or TOML rows) read, in bytes; also the
/// largest text `nashr normalize` reads.
pub const DATA_LIMIT: u64 = 64 << 20;

/// Read the text file at `path`, refusing anything but a regular file (a
/// FIFO or a device would block or never end) and files over `limit`
/// bytes, both before reading it.
///
/// ```
/// let text = nashr::read_text(std::path::Path::new("Cargo.toml"), nashr::DATA_LIMIT)?;
/// assert!(text.contains("[package]"));
/// assert!(nashr::read_text(std::path::Path::new("/dev/zero"), nashr::DATA_LIMIT).is_err());
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn read_text(path: &Path, limit: u64) -> std::io::Result<String> {
    use std::io::Read;
    let invalid = |m: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, m);
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(invalid("it is not a regular file".into()));
    }
    if meta.len() > limit {
        return Err(invalid(format!("it is {} MB, over the {} MB nashr reads", meta.len() >> 20, limit >> 20)));
    }
    let mut text = String::new();
    // The file may grow between the check and the read: read no more.
    std::fs::File::open(path)?.take(limit).read_to_string(&mut text)?;
    Ok(text)
}

/// The reason of an I/O error, without the OS error number.
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_outside_the_root_are_refused_without_reading_them() {
        let dir = std::env::temp_dir().join(format!("nashr-files-{}", std::process::id()));
        let inner = dir.join("project/layouts");
        std::fs::create_dir_all(&inner).unwrap();
        std::fs::write(dir.join("project/ok.toml"), "x").unwrap();
        std::fs::write(dir.join("secret.env"), "DATABASE_URL=postgres://admin:hunter2@db").unwrap();
        let root = dir.join("project");
        assert!(resolve(&root, &inner, "../ok.toml", Kind::Locale).is_ok());
        for bad in ["/etc/passwd", "../../secret.env", "../../../../../../etc/shadow"] {
            let e = resolve(&root, &inner, bad, Kind::Locale).unwrap_err();
            assert!(!e.contains("hunter2") && !e.contains("root:"), "{e}");
        }
        assert!(resolve(&root, &inner, "../secret.env", Kind::Locale).unwrap_err().contains("does not end in .toml"));
        std::fs::create_dir_all(inner.join("d.toml")).unwrap();
        assert!(resolve(&root, &inner, "d.toml", Kind::Locale).unwrap_err().contains("not a regular file"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn devices_are_refused() {
        let e = resolve(Path::new("/"), Path::new("/dev"), "null", Kind::Picture).unwrap_err();
        assert!(e.contains("does not end in"), "{e}");
        let dir = std::env::temp_dir().join(format!("nashr-files-dev-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let link = dir.join("zero.png");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        let e = resolve(Path::new("/"), &dir, "zero.png", Kind::Picture).unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(e.contains("not a regular file"), "{e}");
    }
}
