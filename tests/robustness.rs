//! No panic on user input: damaged layouts give errors, never crashes.

mod common;

use common::*;
use nashr::{Engine, Format, RenderOptions};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Parse, lay out and export; any error is fine, a panic is not.
fn survives(src: &str, export: bool) -> Result<(), String> {
    let r = catch_unwind(AssertUnwindSafe(|| {
        let engine = Engine::new();
        let Ok(doc) = engine.load_str("mutated.toml", src) else { return };
        let Ok(scene) = engine.layout(&doc) else { return };
        if export {
            let _ = engine.export(&scene, &RenderOptions::new(Format::Pdf));
        }
    }));
    r.map_err(|_| src.chars().take(200).collect())
}

#[test]
fn deleting_any_line_of_the_leaflet_never_panics() {
    let src = std::fs::read_to_string(crate_path("layouts/invitation-a5.toml")).unwrap();
    let lines: Vec<&str> = src.lines().collect();
    for i in 0..lines.len() {
        let mutated: Vec<&str> = lines.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, l)| *l).collect();
        survives(&mutated.join("\n"), false).unwrap_or_else(|_| panic!("panic after deleting line {}", i + 1));
    }
}

#[test]
fn truncating_the_leaflet_never_panics() {
    let src = std::fs::read_to_string(crate_path("layouts/invitation-a5.toml")).unwrap();
    let cuts: Vec<usize> = src.char_indices().map(|(i, _)| i).step_by(src.chars().count() / 40).collect();
    for cut in cuts {
        survives(&src[..cut], true).unwrap_or_else(|_| panic!("panic when truncated at byte {cut}"));
    }
}

#[test]
fn hostile_values_are_errors_not_panics() {
    let cases = [
        "[page]\nsize = \"A5\"\nmargin = \"-500mm\"\n[[frame]]\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"x\"\n",
        "[page]\nwidth = 0\nheight = 0\n",
        "[page]\nwidth = \"1e30pt\"\nheight = \"1e30pt\"\n",
        "[page]\nsize = \"A6\"\n[styles.body]\nsize = 0\n[[frame]]\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"x\"\n",
        "[page]\nsize = \"A6\"\n[styles.body]\nline_height = 0.01\n[[frame]]\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"x\"\n",
        "[page]\nsize = \"A6\"\n[[frame]]\nwidth = \"2pt\"\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"کلمه‌ای بسیار بلند\"\n",
        "[page]\nsize = \"A6\"\n[[frame]]\npage = 0\n",
        "[page]\nsize = \"A6\"\npages = 99999999999\n",
        "[page]\nsize = \"A6\"\n[[frame]]\n[[frame.block]]\ntype = \"list\"\nitems = []\nindent = \"900mm\"\n",
        "[page]\nsize = \"A6\"\n[[frame]]\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"\u{202E}\u{2067}\u{200F}\u{0301}\u{064B}\\n\\n\\n\"\n",
        "[page]\nsize = \"A6\"\n[[frame]]\npadding = \"200mm\"\n",
        "fonts = [\"/dev/null\", \"nonexistent.ttf\"]\n[page]\nsize = \"A6\"\n",
    ];
    for c in cases {
        survives(c, true).unwrap_or_else(|s| panic!("panic on {s:?}"));
    }
}
