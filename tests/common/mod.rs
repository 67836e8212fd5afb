//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod image;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Path inside the crate.
pub fn crate_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The invitation source text, from the shared folder beside the repository.
pub fn invitation_source() -> Option<String> {
    std::fs::read_to_string(crate_path("../shared/content/invitation-fa.source.txt")).ok()
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

/// Whether a command-line tool is installed.
pub fn have(tool: &str) -> bool {
    Command::new(tool).arg("-v").output().is_ok()
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
