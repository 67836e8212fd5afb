//! The designer's toolkit, checked on the Scene and in PDF and PNG, right
//! to left and left to right: columns (reading order, balance, rules,
//! flowing on, overflow), verse (hemistichs side by side or stacked, of
//! one width, extracted in order), `justify_last`, `first_line_indent`
//! and OpenType `features`.

mod common;

use common::*;
use nashr::scene::{Item, Scene};
use nashr::{Engine, Format, RenderOptions};

const FA: &str = "شب شعر با خوانش غزل‌های حافظ و سعدی آغاز می‌شود. پس از آن گروه موسیقی سنتی قطعاتی در دستگاه شور و همایون اجرا می‌کند و در پایان، شاعران جوان شعرهای تازهٔ خود را می‌خوانند.";
const EN: &str = "The poetry night opens with readings of Hafez and Saadi. A small ensemble then plays pieces in the modes of Shur and Homayun, and at the end young poets read their new work aloud.";

/// Couplets of Hafez (public domain).
const HAFEZ: [[&str; 2]; 2] = [
    ["الا یا ایها الساقی ادر کأسا و ناولها", "که عشق آسان نمود اول ولی افتاد مشکل‌ها"],
    ["به بوی نافه‌ای کاخر صبا زان طره بگشاید", "ز تاب جعد مشکینش چه خون افتاد در دل‌ها"],
];

/// A layout in `language` ("fa" or "en") with `styles` and `frames` (TOML).
fn source(language: &str, styles: &str, frames: &str) -> String {
    format!("[meta]\nlanguage = \"{language}\"\n[page]\nsize = \"A5\"\nmargin = \"12mm\"\n{styles}\n{frames}\n")
}

fn scene_of(src: &str) -> Result<Scene, String> {
    let engine = Engine::new();
    let doc = engine.load_str("toolkit.toml", src).map_err(|e| e.to_string())?;
    engine.layout(&doc).map_err(|e| e.to_string())
}

/// Render `src` to PDF and to a PNG of its first page; both must work.
fn render_both(src: &str) -> Vec<u8> {
    let engine = Engine::new();
    let doc = engine.load_str("toolkit.toml", src).unwrap();
    let pdf = engine.render(&doc, &RenderOptions::new(Format::Pdf)).unwrap();
    let png = engine.render(&doc, &RenderOptions::new(Format::Png)).unwrap();
    assert!(pdf.bytes.starts_with(b"%PDF") && png.bytes.starts_with(b"\x89PNG"));
    pdf.bytes
}

/// Left and right edge of the glyphs of each paragraph on page `page`
/// (visible, advancing glyphs), by paragraph index, with its baselines.
fn extents(scene: &Scene, page: usize) -> std::collections::BTreeMap<usize, (f32, f32, Vec<f32>)> {
    let mut out: std::collections::BTreeMap<usize, (f32, f32, Vec<f32>)> = Default::default();
    for item in &scene.pages[page].items {
        let Item::Glyphs(run) = item else { continue };
        let e = out.entry(run.paragraph).or_insert((f32::MAX, f32::MIN, Vec::new()));
        for g in run.glyphs.iter().filter(|g| g.advance > 0.0) {
            e.0 = e.0.min(run.x + g.x);
            e.1 = e.1.max(run.x + g.x + g.advance);
        }
        if !e.2.iter().any(|y| (y - run.y).abs() < 0.01) {
            e.2.push(run.y);
        }
    }
    out
}

/// Every line of page `page`: (baseline, left, right), top to bottom.
/// The runs of one line share its origin (x and baseline).
fn lines(scene: &Scene, page: usize) -> Vec<(f32, f32, f32)> {
    let mut by_line: Vec<((f32, f32), f32, f32)> = Vec::new();
    for item in &scene.pages[page].items {
        let Item::Glyphs(run) = item else { continue };
        let at = (run.x, run.y);
        let i = match by_line.iter().position(|e| e.0 == at) {
            Some(i) => i,
            None => {
                by_line.push((at, f32::MAX, f32::MIN));
                by_line.len() - 1
            }
        };
        for g in run.glyphs.iter().filter(|g| g.advance > 0.0) {
            by_line[i].1 = by_line[i].1.min(run.x + g.x);
            by_line[i].2 = by_line[i].2.max(run.x + g.x + g.advance);
        }
    }
    let mut out: Vec<(f32, f32, f32)> = by_line.into_iter().map(|((_, y), l, r)| (y, l, r)).collect();
    out.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    out
}

fn two_columns(language: &str, text: &str, extra: &str) -> String {
    let para = format!("[[frame.block]]\ntype = \"paragraph\"\ntext = \"{text}\"\n");
    let frames = format!(
        "[[frame]]\nname = \"programme\"\nheight = \"60mm\"\ncolumns = 2\ngutter = \"8mm\"\n{extra}\n{}",
        para.repeat(3)
    );
    source(language, "[styles.body]\nsize = \"10pt\"\nalign = \"justify\"\n", &frames)
}

#[test]
fn columns_fill_in_reading_order_right_first_in_rtl_left_first_in_ltr() {
    for (language, text) in [("fa", FA), ("en", EN)] {
        let src = two_columns(language, text, "");
        let scene = scene_of(&src).unwrap();
        let frame = &scene.pages[0].frames[0];
        let (x, w) = (frame.content.x, frame.content.width);
        let col = (w - 8.0 * 72.0 / 25.4) / 2.0;
        let (left, right) = ((x, x + col), (x + w - col, x + w));
        let all = lines(&scene, 0);
        assert!(all.len() > 8, "{language}: lines in both columns");
        for (y, l, r) in &all {
            let inside = |c: (f32, f32)| *l >= c.0 - 0.5 && *r <= c.1 + 0.5;
            assert!(inside(left) || inside(right), "{language}: a line at y {y} from {l} to {r} is in no column");
        }
        // The first line of the first paragraph is in the start column.
        let first = extents(&scene, 0)[&0].clone();
        let top = first.2.iter().copied().fold(f32::MAX, f32::min);
        let line = all.iter().find(|(y, ..)| (*y - top).abs() < 0.01).unwrap();
        let start = if language == "fa" { right } else { left };
        let starts_first = all
            .iter()
            .filter(|(y, ..)| (*y - top).abs() < 0.01)
            .any(|(_, l, r)| *l >= start.0 - 0.5 && *r <= start.1 + 0.5);
        assert!(
            starts_first,
            "{language}: the text starts in the {} column: {line:?}",
            if language == "fa" { "right" } else { "left" }
        );
        // Both columns hold lines.
        assert!(all.iter().any(|(_, l, r)| *l >= left.0 - 0.5 && *r <= left.1 + 0.5));
        assert!(all.iter().any(|(_, l, r)| *l >= right.0 - 0.5 && *r <= right.1 + 0.5));
        render_both(&src);
    }
}

#[test]
fn balanced_columns_end_within_a_line_of_each_other_and_rules_sit_in_the_gutter() {
    for language in ["fa", "en"] {
        let text = if language == "fa" { FA } else { EN };
        let src =
            two_columns(language, text, "balance = true\ncolumn_rule = \"#808080\"\ncolumn_rule_width = \"0.75pt\"");
        let scene = scene_of(&src).unwrap();
        let frame = &scene.pages[0].frames[0];
        let mid = frame.content.x + frame.content.width / 2.0;
        let all = lines(&scene, 0);
        let bottom =
            |left: bool| all.iter().filter(|(_, l, _)| (*l < mid) == left).map(|(y, ..)| *y).fold(f32::MIN, f32::max);
        assert!(
            (bottom(true) - bottom(false)).abs() <= 15.0 + 0.5,
            "{language}: {} against {}",
            bottom(true),
            bottom(false)
        );
        assert!(
            bottom(true).max(bottom(false)) < frame.content.y + frame.content.height - 40.0,
            "{language}: balanced, not filled"
        );
        let (first, last) =
            if language == "fa" { (bottom(false), bottom(true)) } else { (bottom(true), bottom(false)) };
        assert!(first + 0.5 >= last, "{language}: the first column is not the shorter: {first} against {last}");
        let rules: Vec<_> =
            scene.pages[0].items.iter().filter_map(|i| if let Item::Line(l) = i { Some(l) } else { None }).collect();
        assert_eq!(rules.len(), 1, "{language}: one gutter, one rule");
        assert!((rules[0].x1 - mid).abs() < 0.01 && rules[0].x1 == rules[0].x2 && (rules[0].width - 0.75).abs() < 1e-4);
        render_both(&src);
    }
}

#[test]
fn columns_flow_on_shrink_and_overflow() {
    let para = format!("[[frame.block]]\ntype = \"paragraph\"\ntext = \"{FA}\"\n").repeat(12);
    let styles = "[styles.body]\nsize = \"10pt\"\nalign = \"justify\"\n";
    let frame = |fit: &str| {
        format!("[[frame]]\nname = \"cols\"\nheight = \"50mm\"\ncolumns = 3\ngutter = \"4mm\"\nfit = \"{fit}\"\n{para}")
    };
    // Flow: the columns fill, then a new page.
    let flowed = scene_of(&source("fa", styles, &frame("flow"))).unwrap();
    assert!(flowed.pages.len() >= 2, "the rest flows onto a new page");
    let text: String = (0..flowed.pages.len()).flat_map(|p| flowed.page_paragraphs(p)).collect();
    assert_eq!(text.matches("شب شعر").count(), 12, "every paragraph is set once");
    let first = lines(&flowed, 0);
    let frame0 = &flowed.pages[0].frames[0];
    let third = (frame0.content.width - 8.0 * 72.0 / 25.4) / 3.0;
    assert!(
        first.iter().any(|(_, _, r)| *r <= frame0.content.x + third + 0.5),
        "the last (left) column is used on page 1"
    );
    // Error: the overflow names the frame.
    let err = scene_of(&source("fa", styles, &frame("error"))).unwrap_err();
    assert!(err.contains("overflows frame \"cols\""), "{err}");
    // Shrink: all of it in the three columns of one page, smaller.
    let shrunk = scene_of(&source("fa", styles, &frame("shrink"))).unwrap();
    assert_eq!(shrunk.pages.len(), 1);
    let text: String = shrunk.page_paragraphs(0).concat();
    assert_eq!(text.matches("شب شعر").count(), 12);
    render_both(&source("fa", styles, &frame("flow")));
}

#[test]
fn bad_column_values_are_errors_at_their_place() {
    let frame = |keys: &str| source("fa", "", &format!("[[frame]]\nheight = \"40mm\"\n{keys}\n"));
    let err = scene_of(&frame("columns = 13")).unwrap_err();
    assert!(err.contains("1 to 12 columns") && err.contains("toolkit.toml:"), "{err}");
    let err = scene_of(&frame("columns = 4\ngutter = \"100mm\"")).unwrap_err();
    assert!(err.contains("gutter"), "{err}");
    let err = scene_of(&frame("columns = 2\ncolumn_rule = \"red\"\ncolumn_rule_width = \"9mm\"\ngutter = \"2mm\""))
        .unwrap_err();
    assert!(err.contains("column rule"), "{err}");
}

fn verse(language: &str, couplets: &[[&str; 2]], keys: &str, size: &str) -> String {
    let list: Vec<String> = couplets.iter().map(|[a, b]| format!("[\"{a}\", \"{b}\"]")).collect();
    let frames = format!(
        "[[frame]]\nname = \"poem\"\nheight = \"80mm\"\n[[frame.block]]\ntype = \"verse\"\ncouplets = [{}]\n{keys}\n",
        list.join(", ")
    );
    source(language, &format!("[styles.verse]\nsize = \"{size}\"\n"), &frames)
}

const ENGLISH: [[&str; 2]; 2] = [
    ["Shall I compare thee to a summer's day?", "Thou art more lovely and more temperate:"],
    ["Rough winds do shake the darling buds of May,", "And summer's lease hath all too short a date."],
];

#[test]
fn hemistichs_sit_side_by_side_in_reading_order_and_end_together() {
    for (language, couplets) in [("fa", HAFEZ), ("en", ENGLISH)] {
        let src = verse(language, &couplets, "", "8pt");
        let scene = scene_of(&src).unwrap();
        let e = extents(&scene, 0);
        assert_eq!(e.len(), 4, "{language}: each hemistich is a paragraph");
        let width = e[&0].1 - e[&0].0;
        for c in 0..2 {
            let (first, second) = (&e[&(2 * c)], &e[&(2 * c + 1)]);
            assert_eq!(first.2, second.2, "{language}: couplet {c} on one baseline");
            for h in [first, second] {
                assert!((h.1 - h.0 - width).abs() < 0.5, "{language}: hemistich of {} pt against {width}", h.1 - h.0);
            }
            if language == "fa" {
                assert!(first.0 > second.1, "{language}: the first hemistich on the right");
            } else {
                assert!(first.1 < second.0, "{language}: the first hemistich on the left");
            }
            // The hemistichs of every couplet start and end at the same x.
            let (a, b) = (&e[&0], &e[&1]);
            assert!((first.0 - a.0).abs() < 0.5 && (first.1 - a.1).abs() < 0.5);
            assert!((second.0 - b.0).abs() < 0.5 && (second.1 - b.1).abs() < 0.5);
        }
        let text = scene.page_paragraphs(0);
        assert_eq!(text[0].trim(), couplets[0][0]);
        assert_eq!(text[1].trim(), couplets[0][1]);
        render_both(&src);
    }
}

#[test]
fn a_narrow_frame_stacks_the_hemistichs_the_second_at_the_end_side() {
    for (language, couplets, keys) in [("fa", HAFEZ, ""), ("en", ENGLISH, ""), ("fa", HAFEZ, "stacked = true")] {
        let size = if keys.is_empty() { "14pt" } else { "8pt" };
        let src = verse(language, &couplets, keys, size);
        let scene = scene_of(&src).unwrap();
        let frame = scene.pages[0].frames[0].content;
        let e = extents(&scene, 0);
        let (first, second) = (&e[&0], &e[&1]);
        assert!(second.2[0] > first.2[0], "{language} {keys}: the second hemistich below the first");
        let (w1, w2) = (first.1 - first.0, second.1 - second.0);
        assert!((w1 - w2).abs() < 0.5, "{language}: one width, {w1} and {w2}");
        let (start, end) = if language == "fa" {
            ((first.1 - (frame.x + frame.width)).abs(), (second.0 - frame.x).abs())
        } else {
            ((first.0 - frame.x).abs(), (second.1 - (frame.x + frame.width)).abs())
        };
        assert!(
            start < 0.5 && end < 0.5,
            "{language} {keys}: first at the start side ({start}), second at the end ({end})"
        );
        render_both(&src);
    }
}

#[test]
fn a_fixed_hemistich_width_stretches_every_hemistich_to_it() {
    let src = verse("fa", &HAFEZ, "hemistich_width = \"70mm\"\ngap = \"4mm\"", "8pt");
    let scene = scene_of(&src).unwrap();
    let want = 70.0 * 72.0 / 25.4;
    for (p, (l, r, _)) in extents(&scene, 0) {
        assert!((r - l - want).abs() < 0.5, "hemistich {p}: {} pt against {want}", r - l);
    }
    let err = scene_of(&verse("fa", &HAFEZ, "gap = \"500mm\"", "8pt")).unwrap_err();
    assert!(err.contains("gap") && err.contains("toolkit.toml:"), "{err}");
    let err = scene_of(&source("fa", "", "[[frame]]\n[[frame.block]]\ntype = \"verse\"\ncouplets = [[\"یک\"]]\n"))
        .unwrap_err();
    assert!(err.contains("couplet 1 has 1 hemistich"), "{err}");
}

/// A text as extract-matrix compares it: bidi controls, ZWJ, ZWNJ,
/// tatweel and white space left out.
fn bare(s: &str) -> String {
    s.chars()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(c, '\u{200c}' | '\u{200d}' | '\u{200e}' | '\u{200f}' | '\u{0640}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

#[test]
fn verse_extracts_from_the_pdf_in_reading_order() {
    let pdf = render_both(&verse("fa", &HAFEZ, "", "8pt"));
    if !require("pdftotext") {
        return;
    }
    let dir = temp_dir("verse-extract");
    let path = dir.join("verse.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&path).arg("-").output().unwrap();
    assert!(out.status.success());
    let text = bare(&String::from_utf8(out.stdout).unwrap());
    let want: String = HAFEZ.iter().flatten().map(|h| bare(h)).collect();
    assert_eq!(text, want, "the verse in logical order");
}

#[test]
fn justify_last_fills_a_one_line_paragraph_and_an_indent_starts_the_first_line() {
    for (language, text) in [("fa", "شب شعر حافظ و سعدی"), ("en", "A night of Persian poetry")] {
        let styles = "[styles.body]\nsize = \"10pt\"\nalign = \"justify\"\njustify_last = true\n";
        let frames =
            format!("[[frame]]\nheight = \"40mm\"\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"{text}\"\n");
        let src = source(language, styles, &frames);
        let scene = scene_of(&src).unwrap();
        let content = scene.pages[0].frames[0].content;
        let (l, r, _) = extents(&scene, 0)[&0].clone();
        assert!((r - l - content.width).abs() < 0.5, "{language}: {} pt in {}", r - l, content.width);
        render_both(&src);
    }
    for (language, text) in [("fa", FA), ("en", EN)] {
        let styles = "[styles.body]\nsize = \"10pt\"\nalign = \"justify\"\nfirst_line_indent = \"2em\"\n";
        let frames =
            format!("[[frame]]\nheight = \"80mm\"\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"{text}\"\n");
        let src = source(language, styles, &frames);
        let scene = scene_of(&src).unwrap();
        let content = scene.pages[0].frames[0].content;
        let all = lines(&scene, 0);
        assert!(all.len() >= 3);
        let (first, second) = (all[0], all[1]);
        if language == "fa" {
            assert!((first.2 - (content.x + content.width - 20.0)).abs() < 0.5, "fa: indented on the right: {first:?}");
            assert!((second.2 - (content.x + content.width)).abs() < 0.5, "fa: the next line is not: {second:?}");
            assert!((first.1 - content.x).abs() < 0.5, "fa: and justified to the left edge: {first:?}");
        } else {
            assert!((first.1 - (content.x + 20.0)).abs() < 0.5, "en: indented on the left: {first:?}");
            assert!((second.1 - content.x).abs() < 0.5, "en: {second:?}");
        }
        render_both(&src);
    }
}

#[test]
fn opentype_features_reach_the_shaper_and_bad_ones_are_errors() {
    // One engine for both: its cache of shaped paragraphs must tell them apart.
    let engine = Engine::new();
    let digits = |features: &str| {
        let styles = format!("[styles.body]\nsize = \"20pt\"\nfeatures = [{features}]\n");
        let frames = "[[frame]]\nheight = \"40mm\"\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"۱۱۱۱ ۲۰۱۹\"\n";
        let doc = engine.load_str("toolkit.toml", &source("en", &styles, frames)).unwrap();
        let scene = engine.render(&doc, &RenderOptions::new(Format::Pdf)).unwrap().scene;
        let (l, r, _) = extents(&scene, 0)[&0].clone();
        r - l
    };
    let (plain, tabular) = (digits(""), digits("\"tnum\""));
    assert!(tabular - plain > 10.0, "tnum sets the Persian ones as wide as other digits: {plain} against {tabular}");
    // Also in a style no block takes, as a colour would be.
    let err = scene_of(&source("en", "[styles.unused]\nfeatures = [\"not a feature\"]\n", "")).unwrap_err();
    assert!(err.contains("is not an OpenType feature") && err.contains("toolkit.toml:"), "{err}");
}

#[test]
fn the_poetry_night_poster_renders_and_passes_preflight() {
    let engine = Engine::new();
    let doc = engine.load(crate_path("layouts/poetry-night.toml")).unwrap();
    let report = engine.check(&doc);
    assert!(!report.has_errors(), "{report}");
    let pdf = engine.render(&doc, &RenderOptions::new(Format::Pdf)).unwrap();
    let scene = &pdf.scene;
    let all: String = scene.page_paragraphs(0).concat();
    assert!(all.contains("حافظ"), "{all}");
}

#[test]
fn couplets_flow_on_whole_and_shrink_with_the_frame() {
    let many: Vec<[&str; 2]> = HAFEZ.iter().cycle().take(12).copied().collect();
    let list: Vec<String> = many.iter().map(|[a, b]| format!("[\"{a}\", \"{b}\"]")).collect();
    let frame = |fit: &str| {
        format!(
            "[[frame]]\nname = \"poem\"\nheight = \"40mm\"\nfit = \"{fit}\"\nmin_size = \"3pt\"\n[[frame.block]]\ntype = \"verse\"\ncouplets = [{}]\n",
            list.join(", ")
        )
    };
    let styles = "[styles.verse]\nsize = \"8pt\"\nline_height = 2\n";
    let flowed = scene_of(&source("fa", styles, &frame("flow"))).unwrap();
    assert!(flowed.pages.len() >= 2, "the couplets flow on");
    let mut hemistichs = Vec::new();
    for page in 0..flowed.pages.len() {
        let texts = flowed.page_paragraphs(page);
        assert_eq!(texts.len() % 2, 0, "page {page}: couplets stay whole");
        hemistichs.extend(texts.into_iter().map(|t| t.trim().to_string()));
    }
    let want: Vec<String> = many.iter().flatten().map(|h| h.to_string()).collect();
    assert_eq!(hemistichs, want, "in reading order");
    let shrunk = scene_of(&source("fa", styles, &frame("shrink"))).unwrap();
    assert_eq!((shrunk.pages.len(), shrunk.page_paragraphs(0).len()), (1, 24));
    let err = scene_of(&source("fa", styles, &frame("error"))).unwrap_err();
    assert!(err.contains("overflows frame \"poem\"") && err.contains("couplet"), "{err}");
}
