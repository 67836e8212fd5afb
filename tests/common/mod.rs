//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod image;
pub mod variants;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Path inside the crate.
pub fn crate_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The invitation's source text, as the layouts set it
/// (`tests/fixtures/invitation-fa.source.txt`).
pub fn invitation_source() -> String {
    let path = crate_path("tests/fixtures/invitation-fa.source.txt");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Fold text for comparison: drop poppler's directional marks
/// (U+202A–U+202E), `**` markup and all white space.
pub fn fold(s: &str) -> String {
    s.replace("**", "").chars().filter(|c| !c.is_whitespace() && !('\u{202A}'..='\u{202E}').contains(c)).collect()
}

/// Length of the longest common subsequence of two char sequences.
pub fn lcs(a: &[char], b: &[char]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for &x in a {
        for (j, &y) in b.iter().enumerate() {
            cur[j + 1] = if x == y { prev[j] + 1 } else { cur[j].max(prev[j + 1]) };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Whether a command-line tool is installed (it can be started).
pub fn have(tool: &str) -> bool {
    Command::new(tool).arg("--version").output().is_ok()
}

/// Whether the checks that need `tool` can run: true when it is installed.
/// When it is not, a test in CI (the `CI` environment variable set, as
/// `.ci/run` does) fails, since a check that never runs proves nothing;
/// elsewhere a note says what was left out and the test goes on without it.
#[track_caller]
pub fn require(tool: &str) -> bool {
    required(tool, have(tool))
}

/// [`require`] for anything a check needs (a Python module, a Node
/// package): `ok` says whether `what` is at hand.
#[track_caller]
pub fn required(what: &str, ok: bool) -> bool {
    if ok {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{what} is not installed, and CI is set: the checks that need it must run");
    }
    eprintln!("note: {what} is not installed; the checks that need it are left out");
    false
}

/// A fresh temporary directory for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("nashr-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Run the nashr binary.
pub fn nashr(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_nashr")).args(args).output().expect("run nashr")
}

/// Whether the PDF `pdf` holds the bytes `needle` in any object, once its
/// object streams are unpacked and its streams inflated (a search of the
/// raw file would miss what object streams deflate).
#[allow(dead_code)]
pub fn pdf_contains(pdf: &[u8], needle: &[u8]) -> bool {
    let mut doc = lopdf::Document::load_mem(pdf).expect("a PDF lopdf reads");
    doc.decompress();
    let mut plain = Vec::new();
    doc.save_to(&mut plain).expect("the PDF is written again");
    plain.windows(needle.len()).any(|w| w == needle)
}

/// The A5 leaflet as a plain PDF: its layout without `pdf_standard`, for
/// what PDF/X leaves out (link annotations) or adds (an output intent).
#[allow(dead_code)]
pub fn leaflet_without_pdf_x() -> nashr::LayoutSource {
    let path = crate_path("layouts/invitation-a5.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("pdf_standard = \"x-4\"\n"), "the leaflet is PDF/X-4");
    nashr::LayoutSource::new(path, text.replace("pdf_standard = \"x-4\"\n", ""))
}
