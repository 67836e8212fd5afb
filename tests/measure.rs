//! The measure is law: no line of text reaches past its frame's content
//! box, in any layout, in any locale.
//!
//! Every layout in `layouts/` is rendered in every locale in `locales/`,
//! and every glyph run of the Scene is checked against the content box of
//! the frame it came from (the Scene's provenance), by the advance widths
//! of its glyphs.

mod common;

use common::*;
use nashr::scene::{Item, Scene};
use nashr::{Engine, LayoutSource};

/// How far past its frame each run reaches, in points, with a description;
/// only runs past the tolerance.
fn overhangs(scene: &Scene) -> Vec<String> {
    let mut out = Vec::new();
    for (pi, page) in scene.pages.iter().enumerate() {
        for item in &page.items {
            let Item::Glyphs(run) = item else { continue };
            let Some(frame) = run.origin.frame.map(|f| &page.frames[f]) else { continue };
            // The pen: from the first glyph's position, advance by advance
            // (a glyph's offset — a mark, a stretched kashida's copies —
            // moves its ink, not the pen).
            let Some(first) = run.glyphs.first() else { continue };
            let left = run.x + first.x;
            let right = left + run.glyphs.iter().map(|g| g.advance).sum::<f32>();
            let (lo, hi) = (frame.content.x, frame.content.x + frame.content.width);
            let over = (lo - left).max(right - hi);
            if over > 0.05 {
                let mut glyphs: Vec<_> = run.glyphs.iter().collect();
                glyphs.sort_by_key(|g| g.cluster);
                let text: String = glyphs.iter().map(|g| g.text.as_str()).collect();
                out.push(format!("page {}, frame \"{}\": {over:.2} pt past the frame «{text}»", pi + 1, frame.name));
            }
        }
    }
    out
}

#[test]
fn no_line_reaches_past_its_frame_in_any_layout_or_locale() {
    let engine = Engine::new();
    let mut layouts: Vec<_> = std::fs::read_dir(crate_path("layouts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    layouts.sort();
    let mut locales: Vec<_> = std::fs::read_dir(crate_path("locales")).unwrap().map(|e| e.unwrap().path()).collect();
    locales.sort();
    assert!(layouts.len() >= 5 && locales.len() >= 5);
    let mut failures = Vec::new();
    for layout in &layouts {
        let source = LayoutSource::read(layout).unwrap();
        for locale in &locales {
            let locale = engine.locale(locale).unwrap();
            let doc = engine.load_with(&source, Some(&locale), None).unwrap();
            let scene =
                engine.layout(&doc).unwrap_or_else(|e| panic!("{} in {}: {e}", layout.display(), locale.language));
            for o in overhangs(&scene) {
                failures.push(format!("{} ({}): {o}", layout.file_name().unwrap().to_string_lossy(), locale.language));
            }
        }
    }
    assert!(failures.is_empty(), "{} runs past their frames:\n{}", failures.len(), failures.join("\n"));
}

/// A 30 mm wide frame holding one long word, fitting as `fit` says.
fn narrow(fit: &str) -> String {
    format!(
        "[page]\nsize = \"A6\"\n[styles.body]\nsize = \"14pt\"\n[[frame]]\nname = \"narrow\"\nx = \"10mm\"\nwidth = \"30mm\"\n\
         fit = \"{fit}\"\nmin_size = \"4pt\"\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"مسئولیت‌ناپذیرترینشان\"\n"
    )
}

#[test]
fn a_word_wider_than_its_frame_is_an_error_naming_it_or_is_shrunk() {
    let engine = Engine::new();
    let doc = engine.load_str("narrow.toml", &narrow("error")).unwrap();
    let e = engine.layout(&doc).unwrap_err().to_string();
    assert!(e.contains("مسئولیت‌ناپذیرترینشان") && e.contains("\"narrow\"") && e.contains("page 1"), "{e}");
    let doc = engine.load_str("narrow.toml", &narrow("shrink")).unwrap();
    let scene = engine.layout(&doc).expect("shrinks until the word fits");
    assert!(overhangs(&scene).is_empty(), "{:?}", overhangs(&scene));
    let Some(Item::Glyphs(run)) = scene.pages[0].items.iter().find(|i| matches!(i, Item::Glyphs(_))) else {
        panic!("the word is set")
    };
    assert!(run.size < 14.0, "shrunk: {}", run.size);
    assert_eq!(scene.page_paragraphs(0), vec!["مسئولیت‌ناپذیرترینشان".to_string()], "whole, not cut");
}
