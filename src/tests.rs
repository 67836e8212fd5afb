//! Justification quality on the real layouts: word gaps, kashida, last
//! lines, measured on the text engine's lines for each justified paragraph
//! of a resolved document.
//!
//! `cargo test --lib tests:: -- --nocapture` prints the word-gap figures for
//! spaces-only first-fit justification and for nashr's default (total fit
//! with kashida).

use crate::model::{Align, Block, Document, Paragraph, Wrap};
use crate::text::{Line, layout_paragraph, shape::Shaper};
use crate::{Engine, LayoutSource};
use std::path::{Path, PathBuf};

/// Path inside the crate.
fn crate_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Justified paragraphs of the document with the width they are set in.
fn justified(doc: &Document) -> Vec<(Paragraph, f32)> {
    let mut out = Vec::new();
    for f in &doc.frames {
        for b in &f.blocks {
            if let Block::Paragraph(p) | Block::Heading(p) = b
                && p.style.align == Align::Justify
            {
                out.push((p.clone(), f.rect.width - 2.0 * f.padding));
            }
        }
    }
    out
}

/// Each word space of a line as a multiple of its natural width.
fn gaps(doc: &Document, line: &Line) -> Vec<f32> {
    let mut v = Vec::new();
    for run in &line.runs {
        let face = doc.fonts.face(run.face);
        for g in &run.glyphs {
            if g.text == " " {
                let natural = face.advance(g.id) * run.size / face.upem;
                v.push(g.advance / natural);
            }
        }
    }
    v
}

struct Stats {
    min: f32,
    max: f32,
    lines: usize,
    kashidas: usize,
    one_word_last: usize,
}

fn measure(doc: &Document, kashida: bool, wrap: Wrap) -> Stats {
    let mut shaper = Shaper::new(&doc.fonts, "fa");
    let mut s = Stats { min: f32::MAX, max: 0.0, lines: 0, kashidas: 0, one_word_last: 0 };
    for (mut p, width) in justified(doc) {
        p.style.kashida = if kashida { crate::model::Kashida::Auto } else { crate::model::Kashida::Off };
        p.style.wrap = wrap;
        let laid = layout_paragraph(&mut shaper, &p, width);
        let n = laid.lines.len();
        for (i, line) in laid.lines.iter().enumerate() {
            if i + 1 == n {
                let words = line.runs.iter().flat_map(|r| &r.glyphs).filter(|g| g.text == " ").count() + 1;
                if words == 1 && n > 1 {
                    s.one_word_last += 1;
                }
                continue;
            }
            s.lines += 1;
            s.kashidas += line.runs.iter().flat_map(|r| &r.glyphs).filter(|g| g.kashida && g.advance > 0.0).count();
            for r in gaps(doc, line) {
                s.min = s.min.min(r);
                s.max = s.max.max(r);
            }
        }
    }
    s
}

fn load(layout: &str) -> Document {
    Engine::new().load(crate_path(layout)).unwrap()
}

#[test]
fn leaflet_word_gaps_stay_between_085_and_125() {
    let doc = load("layouts/invitation-a5.toml");
    let before = measure(&doc, false, Wrap::Greedy);
    let after = measure(&doc, true, Wrap::Optimal);
    println!(
        "spaces only, first fit: {} justified lines, word gaps {:.2}–{:.2}× a space, {} one-word last lines",
        before.lines, before.min, before.max, before.one_word_last
    );
    println!(
        "kashida, total fit:     {} justified lines, word gaps {:.2}–{:.2}× a space, {} kashidas, {} one-word last lines",
        after.lines, after.min, after.max, after.kashidas, after.one_word_last
    );
    assert!(after.min >= 0.85 - 1e-3 && after.max <= 1.25 + 1e-3, "gaps {:.3}–{:.3}", after.min, after.max);
    assert!(after.kashidas > 0, "kashida is used");
    assert_eq!(after.one_word_last, 0);
    assert!(before.max > after.max, "spaces-only first fit is looser");
}

#[test]
fn leaflet_in_noto_naskh_keeps_gaps_in_range_too() {
    let src = std::fs::read_to_string(crate_path("layouts/invitation-a5.toml")).unwrap();
    let src = src.replace("font = \"Vazirmatn\"", "font = \"Noto Naskh Arabic\"").replacen(
        "version = 1",
        "version = 1\nfonts = [\"../fonts/NotoNaskhArabic-Regular.ttf\", \"../fonts/NotoNaskhArabic-Bold.ttf\"]",
        1,
    );
    let source = LayoutSource::new(crate_path("layouts/naskh.toml"), src);
    let doc = Engine::new().load_with(&source, None, None).unwrap();
    let s = measure(&doc, true, Wrap::Optimal);
    println!("Noto Naskh: {} lines, word gaps {:.2}–{:.2}×, {} kashidas", s.lines, s.min, s.max, s.kashidas);
    assert!(s.min >= 0.85 - 1e-3 && s.max <= 1.25 + 1e-3, "gaps {:.3}–{:.3}", s.min, s.max);
    assert!(s.kashidas > 0);
    assert_eq!(s.one_word_last, 0);
}

#[test]
fn sixty_mm_column_stays_even() {
    let doc = load("layouts/invitation-column-60mm.toml");
    let before = measure(&doc, false, Wrap::Greedy);
    let after = measure(&doc, true, Wrap::Optimal);
    println!(
        "60 mm column: spaces only, first fit {:.2}–{:.2}×; kashida, total fit {:.2}–{:.2}× with {} kashidas on {} lines",
        before.min, before.max, after.min, after.max, after.kashidas, after.lines
    );
    // A narrow column has lines of few long words; with no kashida in words
    // under four letters, one line opens its spaces to about 1.36×.
    assert!(after.min >= 0.85 - 1e-3 && after.max <= 1.4 + 1e-3, "gaps {:.3}–{:.3}", after.min, after.max);
    assert_eq!(after.one_word_last, 0);
}

/// Word gaps and hyphenation of the justified paragraphs of a layout in a
/// locale, as the document sets them: (min gap, max gap, lines over 1.5×,
/// longest run of hyphenated lines).
fn latin_composition(layout: &str, code: &str) -> (f32, f32, usize, usize) {
    let engine = Engine::new();
    let source = LayoutSource::read(crate_path(layout)).unwrap();
    let locale = engine.locale(crate_path(&format!("locales/{code}.toml"))).unwrap();
    let doc = engine.load_with(&source, Some(&locale), None).unwrap();
    let mut shaper = Shaper::new(&doc.fonts, code);
    let (mut min, mut max, mut loose, mut run, mut longest) = (f32::MAX, 0.0f32, 0, 0, 0);
    for (p, width) in justified(&doc) {
        let laid = layout_paragraph(&mut shaper, &p, width);
        let text = p.text();
        let n = laid.lines.len();
        for (i, line) in laid.lines.iter().enumerate() {
            let cut = text[..line.range.end].chars().next_back().is_some_and(char::is_alphabetic)
                && text[line.range.end..].chars().next().is_some_and(char::is_alphabetic);
            run = if cut { run + 1 } else { 0 };
            longest = longest.max(run);
            if i + 1 == n {
                continue;
            }
            let g = gaps(&doc, line);
            if g.iter().any(|&r| r > 1.5 + 1e-3) {
                loose += 1;
            }
            for r in g {
                min = min.min(r);
                max = max.max(r);
            }
        }
        run = 0;
    }
    (min, max, loose, longest)
}

#[test]
fn latin_columns_keep_their_spaces_and_hyphens_in_bounds() {
    for code in ["en", "de", "sv"] {
        let (min, max, loose, hyphens) = latin_composition("layouts/invitation-column-60mm.toml", code);
        println!(
            "60 mm column, {code}: word gaps {min:.2}–{max:.2}×, {loose} lines over 1.5×, at most {hyphens} hyphenated lines in a row"
        );
        // Gaps are measured against the font's space width; a space the font
        // kerns against its neighbour reads up to a tenth narrower.
        assert!(min >= 0.72 && max <= 1.5 + 1e-3, "{code}: word gaps {min:.3}–{max:.3}");
        assert!(hyphens <= 2, "{code}: {hyphens} hyphenated lines in a row");
    }
}
