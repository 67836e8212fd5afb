//! `nashr watch`: render a layout, then render it again on every save of
//! the layout, its locale, its data file and the fonts and pictures it
//! names, printing one line per render with the time it took and any
//! warnings. A save that breaks the layout prints the error (file, line
//! and column) and leaves the last good output in place.
//!
//! Files are watched through their folders (editors often save by writing
//! a new file and renaming it over the old one), and a burst of events is
//! rendered once, after a short quiet time.

use super::preview::{Preview, Shown};
use nashr::{Engine, Format, LayoutSource, RenderOptions};
use notify::{EventKind, RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

/// What `nashr watch` renders, and how.
pub struct Job {
    /// The engine every render goes through (its caches re-read changed files).
    pub engine: Engine,
    /// The layout file.
    pub layout: PathBuf,
    /// The output file.
    pub output: PathBuf,
    /// The output's format and image options.
    pub options: RenderOptions,
    /// Finds the locale for each render (read again every time), if one was asked for.
    pub locale: Option<Box<dyn Fn() -> Result<nashr::Locale, String>>>,
    /// A data file and the row (from 1) to fill placeholders from.
    pub data: Option<(PathBuf, usize)>,
    /// How long the files must be quiet before a render.
    pub debounce: Duration,
}

/// What one render read and made.
struct Made {
    /// The files it read besides the layout.
    inputs: Vec<PathBuf>,
    /// PNG pictures of its pages, for the preview.
    pages: Vec<Vec<u8>>,
    /// What was written: `wrote OUT (N pages, N bytes)`.
    summary: String,
    /// The render's warnings.
    warnings: Vec<String>,
}

/// Watch and render until the process is stopped. Only a failure to watch
/// at all returns.
pub fn run(job: &Job, preview: Option<&Preview>) -> Result<(), String> {
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = tx.send(event);
    })
    .map_err(|e| format!("cannot watch files: {e}"))?;
    let mut folders = BTreeSet::new();
    let mut files: BTreeSet<PathBuf> = BTreeSet::new();
    let mut always = vec![job.layout.clone()];
    always.extend(job.data.as_ref().map(|(d, _)| d.clone()));
    // The layout's folder is watched before the first render, so a save
    // made while it runs is not missed.
    watch_folders(&mut watcher, &mut folders, &always)?;
    loop {
        let (started, started_at) = (Instant::now(), SystemTime::now());
        let made = render(job, preview.is_some());
        let took = started.elapsed();
        let mut watched = always.clone();
        match &made {
            Ok(made) => watched.extend(made.inputs.iter().cloned()),
            // The files of the last good render stay watched.
            Err(_) => watched.extend(files.iter().cloned()),
        }
        files = watched.iter().map(|f| absolute(f)).collect();
        let list: Vec<PathBuf> = files.iter().cloned().collect();
        // The folders of what the render read are watched before its line
        // is printed: a save made as soon as the line shows is seen.
        watch_folders(&mut watcher, &mut folders, &list)?;
        match made {
            // The preview shows a render before its line is printed.
            Ok(made) => {
                if let Some(p) = preview {
                    show(p, Some(made.pages), None);
                }
                eprintln!("{} {} in {} ms", clock(), made.summary, took.as_millis());
                for w in &made.warnings {
                    eprintln!("{} warning: {w}", clock());
                }
            }
            Err(message) => {
                if let Some(p) = preview {
                    show(p, None, Some(message.clone()));
                }
                eprintln!("{} error: {message}", clock());
                eprintln!("{} kept the last good {} ({} ms)", clock(), job.output.display(), took.as_millis());
            }
        }
        // A file saved while the render ran, in a folder not watched yet,
        // sent no event: its time says so.
        if changed_since(&files, started_at) {
            continue;
        }
        wait_for_change(&rx, &files, job.debounce)?;
    }
}

/// Whether any of `files` was modified between `since` and now (a time
/// in the future, from a skewed clock or an unpacked archive, is no save).
fn changed_since(files: &BTreeSet<PathBuf>, since: SystemTime) -> bool {
    let now = SystemTime::now();
    files.iter().any(|f| std::fs::metadata(f).and_then(|m| m.modified()).is_ok_and(|t| t >= since && t <= now))
}

/// Watch the folders of `files` not watched yet.
fn watch_folders(watcher: &mut impl Watcher, folders: &mut BTreeSet<PathBuf>, files: &[PathBuf]) -> Result<(), String> {
    for file in files {
        let folder = absolute(file).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
        if folders.insert(folder.clone()) {
            watcher
                .watch(&folder, RecursiveMode::NonRecursive)
                .map_err(|e| format!("cannot watch {}: {e}", folder.display()))?;
        }
    }
    Ok(())
}

/// Render once: the output on disk (atomically, so a failure leaves the
/// last good file), and the pages as PNG when a preview wants them.
fn render(job: &Job, pictures: bool) -> Result<Made, String> {
    let engine = &job.engine;
    let locale = job.locale.as_ref().map(|find| find()).transpose()?;
    let row = match &job.data {
        Some((file, n)) => {
            let rows = engine.rows(file).map_err(|e| e.to_string())?;
            let count = rows.len();
            Some(
                rows.into_iter()
                    .nth(n.saturating_sub(1))
                    .ok_or_else(|| format!("{} has {count} rows; there is no row {n}", file.display()))?,
            )
        }
        None => None,
    };
    let source = LayoutSource::read(&job.layout).map_err(|e| e.to_string())?;
    let doc = engine.load_with(&source, locale.as_ref(), row.as_ref()).map_err(|e| e.to_string())?;
    let rendered = engine.render(&doc, &job.options).map_err(|e| e.to_string())?;
    nashr::write_atomic(&job.output, &rendered.bytes)
        .map_err(|e| format!("cannot write {}: {e}", job.output.display()))?;
    let pages = rendered.scene.pages.len();
    let summary = format!(
        "wrote {} ({} page{}, {} bytes)",
        job.output.display(),
        pages,
        if pages == 1 { "" } else { "s" },
        rendered.bytes.len()
    );
    let warnings = rendered.warnings();
    let mut made = Made { inputs: doc.inputs().to_vec(), pages: Vec::new(), summary, warnings };
    if pictures {
        for page in 1..=pages as u32 {
            let opts = RenderOptions { page, ..RenderOptions::new(Format::Png) };
            made.pages.push(engine.export(&rendered.scene, &opts).map_err(|e| e.to_string())?);
        }
    }
    Ok(made)
}

/// Block until one of `files` is created, changed or removed, then until
/// the files have been quiet for `debounce`.
fn wait_for_change(
    rx: &mpsc::Receiver<notify::Result<notify::Event>>,
    files: &BTreeSet<PathBuf>,
    debounce: Duration,
) -> Result<(), String> {
    loop {
        let event = rx.recv().map_err(|_| "the file watcher stopped".to_string())?;
        if concerns(&event, files) {
            break;
        }
    }
    // Quiet means no change to these files: other files of the folders
    // (the output being read, say) may be busy all the while.
    let mut quiet_since = Instant::now();
    while let Some(left) = debounce.checked_sub(quiet_since.elapsed()) {
        match rx.recv_timeout(left) {
            Ok(event) if concerns(&event, files) => quiet_since = Instant::now(),
            Ok(_) => {}
            Err(mpsc::RecvTimeoutError::Timeout) => break,
            Err(mpsc::RecvTimeoutError::Disconnected) => return Err("the file watcher stopped".into()),
        }
    }
    Ok(())
}

/// Whether an event changes one of `files` (reading a file, as every
/// render does, is not a change).
fn concerns(event: &notify::Result<notify::Event>, files: &BTreeSet<PathBuf>) -> bool {
    let Ok(event) = event else { return true };
    use notify::event::{MetadataKind, ModifyKind};
    let changes =
        !matches!(event.kind, EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)));
    changes && event.paths.iter().any(|p| files.contains(&absolute(p)))
}

/// A path made absolute through its folder (the file itself may be
/// missing for a moment while an editor replaces it).
fn absolute(path: &Path) -> PathBuf {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let folder = folder.canonicalize().unwrap_or_else(|_| folder.to_path_buf());
    match path.file_name() {
        Some(name) => folder.join(name),
        None => folder,
    }
}

/// Put a render's outcome into the preview.
fn show(preview: &Preview, pages: Option<Vec<Vec<u8>>>, error: Option<String>) {
    if let Ok(mut shown) = preview.lock() {
        let Shown { version, pages: shown_pages, error: shown_error } = &mut *shown;
        *version += 1;
        if let Some(p) = pages {
            *shown_pages = p;
        }
        *shown_error = error;
    }
}

/// The time of day (UTC), `[HH:MM:SS]`, to start each line with.
fn clock() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let day = secs % 86_400;
    format!("[{:02}:{:02}:{:02}]", day / 3600, day % 3600 / 60, day % 60)
}
