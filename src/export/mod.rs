//! Exporters: each turns a [`crate::scene::Scene`] into bytes of one format
//! (PDF, JSON, and PNG or JPEG of one page).
//!
//! They know nothing of TOML, styles or bidi; they draw what the Scene says.

pub mod json;
pub mod pdf;
mod proof;
pub mod raster;

/// Coated FOGRA39 (ISO 12647-2:2004), Adobe's profile, redistributed under
/// its bundling licence (`profiles/CoatedFOGRA39.icc.LICENSE.txt`): the
/// output intent of PDF/X-4 files and the press of PNG proofs.
pub(crate) const FOGRA39: &[u8] = include_bytes!("../../profiles/CoatedFOGRA39.icc");
/// [`FOGRA39`] as a zlib stream, deflated at build time (`build.rs`).
pub(crate) const FOGRA39_DEFLATED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/CoatedFOGRA39.icc.zz"));

use std::io::Write;
use std::path::Path;

/// When the files a render or a batch writes are flushed to disk (fsync).
/// Every output is written to a temporary file and renamed into place
/// whatever the choice, so a reader never sees half a file; the choice is
/// what survives a power cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// Each file is flushed before its rename (the default): once a file
    /// is listed as written, it is on disk.
    #[default]
    EachFile,
    /// Files are renamed unflushed and all flushed once the batch ends:
    /// faster on slow disks; a crash mid-batch may leave empty files.
    EndOfBatch,
    /// Never flushed by nashr: the operating system writes them back when
    /// it will. For scratch output.
    None,
}

/// Write `bytes` to `path` atomically: into a temporary file in the same
/// directory, flushed to disk, then renamed over the target. A failure
/// never leaves a half-written file behind.
///
/// ```
/// let path = std::env::temp_dir().join("nashr-doc-write-atomic.txt");
/// nashr::write_atomic(&path, b"hello")?;
/// assert_eq!(std::fs::read(&path)?, b"hello");
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, bytes, Durability::EachFile)
}

/// [`write_atomic`], flushing the file before its rename only when
/// `durability` is [`Durability::EachFile`].
pub fn write_atomic_with(path: &Path, bytes: &[u8], durability: Durability) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if durability == Durability::EachFile {
            f.sync_all()?;
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Flush a written file to disk.
pub(crate) fn sync_file(path: &Path) -> std::io::Result<()> {
    std::fs::File::open(path)?.sync_all()
}

/// Flush the folders that list `paths` to disk, each once. Folders cannot
/// be opened for flushing on every platform; where they cannot, the files'
/// own flushes are what remains.
pub(crate) fn sync_folders<'a>(paths: impl IntoIterator<Item = &'a Path>) {
    let dirs: std::collections::BTreeSet<&Path> =
        paths.into_iter().filter_map(|p| p.parent()).filter(|d| !d.as_os_str().is_empty()).collect();
    for dir in dirs {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = std::env::temp_dir().join(format!("nashr-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("a.pdf");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(left.len(), 1);
        assert!(write_atomic(&dir.join("missing/x.pdf"), b"x").is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
