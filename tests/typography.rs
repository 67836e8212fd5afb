//! Typography through the public API: inserted kashidas are drawn, never
//! text, and a mixed line takes its direction from its first strong
//! character.
//!
//! The word-gap measures of justification on the real layouts read the text
//! engine's lines and live with it, in `src/tests.rs`.

mod common;

use common::*;
use nashr::scene::Item;
use nashr::{Engine, Format, RenderOptions};

#[test]
fn inserted_kashidas_are_not_text() {
    let engine = Engine::new();
    let doc = engine.load(crate_path("layouts/invitation-a5.toml")).unwrap();
    let out = engine.render(&doc, &RenderOptions::new(Format::Pdf)).unwrap();
    let text: String = (0..out.scene.pages.len()).flat_map(|p| out.scene.page_paragraphs(p)).collect();
    assert!(!text.contains('\u{0640}'), "no tatweel in the scene's text");
    if require("pdftotext") {
        let dir = temp_dir("kashida-text");
        let pdf = dir.join("l.pdf");
        std::fs::write(&pdf, &out.bytes).unwrap();
        let o = std::process::Command::new("pdftotext")
            .args(["-enc", "UTF-8", pdf.to_str().unwrap(), "-"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(!String::from_utf8_lossy(&o.stdout).contains('\u{0640}'), "no tatweel in pdftotext output");
    }
}

#[test]
fn a_mixed_line_takes_its_direction_from_its_first_strong_character() {
    let engine = Engine::new();
    let src = "[page]\nsize = \"A6\"\nmargin = \"10mm\"\n[styles.body]\nsize = \"10pt\"\n\
               [[frame]]\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"وب سایت: www.wpiran.org\"\n";
    let scene = engine.layout(&engine.load_str("mixed.toml", src).unwrap()).unwrap();
    let runs: Vec<_> =
        scene.pages[0].items.iter().filter_map(|i| if let Item::Glyphs(g) = i { Some(g) } else { None }).collect();
    assert!(runs.iter().all(|r| r.y == runs[0].y), "one line");
    let text = |r: &nashr::scene::GlyphRun| r.glyphs.iter().map(|g| g.text.as_str()).collect::<String>();
    let persian = runs.iter().find(|r| r.rtl && text(r).contains('و')).expect("a right-to-left run");
    let latin = runs.iter().find(|r| !r.rtl && text(r).contains("www")).expect("a left-to-right run");
    // The paragraph is right to left (its first strong letter is Persian):
    // it reads from the right, so the Persian words stand right of the address.
    let left = |r: &nashr::scene::GlyphRun| r.x + r.glyphs.iter().map(|g| g.x).fold(f32::MAX, f32::min);
    assert!(left(persian) > left(latin), "Persian at {}, the address at {}", left(persian), left(latin));
    assert_eq!(scene.page_paragraphs(0), ["وب سایت: www.wpiran.org"]);
}
