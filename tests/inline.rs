//! Inline spans, checked on the Scene and in PDF and PNG, right to left and
//! left to right: colour, size and weight split runs; underline and strike
//! are lines under the span's glyphs (following right-to-left runs); an
//! oblique slants Latin runs only; `nobreak` keeps a span on one line; a
//! span's `dir` isolates it; a mistake names its line and column.

mod common;

use common::*;
use nashr::scene::{Item, LineItem, Scene};
use nashr::{Engine, Format, RenderOptions, Rgb};

const RED: &str = "#d00000";

fn layout(direction: &str, text: &str) -> String {
    format!(
        "[page]\nsize = \"A6\"\nmargin = \"8mm\"\n[styles.body]\nsize = \"14pt\"\ndirection = \"{direction}\"\n\
         [[frame]]\n[[frame.block]]\ntype = \"paragraph\"\ntext = '''{text}'''\n"
    )
}

fn scene_of(src: &str) -> Scene {
    let engine = Engine::new();
    let doc = engine.load_str("inline.toml", src).unwrap();
    engine.layout(&doc).unwrap()
}

fn red() -> Rgb {
    Rgb::parse(RED).unwrap()
}

/// The left and right edges and the baseline of the glyphs of colour `c`.
fn extent_of(scene: &Scene, c: Rgb) -> (f32, f32, f32) {
    let mut e = (f32::MAX, f32::MIN, 0.0);
    for item in &scene.pages[0].items {
        let Item::Glyphs(run) = item else { continue };
        if run.color != c {
            continue;
        }
        for g in run.glyphs.iter().filter(|g| g.advance > 0.0) {
            e.0 = e.0.min(run.x + g.x);
            e.1 = e.1.max(run.x + g.x + g.advance);
        }
        e.2 = run.y;
    }
    e
}

fn lines(scene: &Scene) -> Vec<&LineItem> {
    scene.pages[0].items.iter().filter_map(|i| if let Item::Line(l) = i { Some(l) } else { None }).collect()
}

#[test]
fn a_coloured_underlined_span_in_rtl_text_is_underlined_under_its_glyphs() {
    let scene = scene_of(&layout("rtl", &format!("نشست [امشب در سالن]{{color={RED} underline}} برگزار می‌شود.")));
    let (left, right, baseline) = extent_of(&scene, red());
    assert!(left < right, "the span's glyphs are red");
    let under = lines(&scene);
    assert_eq!(under.len(), 1, "one underline: {under:?}");
    let u = under[0];
    assert_eq!(u.color, red());
    assert!((u.x1 - left).abs() < 0.5 && (u.x2 - right).abs() < 0.5, "{u:?} vs {left}..{right}");
    assert!(u.y1 > baseline && u.y1 < baseline + 7.0, "under the baseline: {} vs {baseline}", u.y1);
    // The rest of the line is black and not underlined; the red span stands
    // right of the black words that follow it in a right-to-left line.
    let (black_left, _, _) = extent_of(&scene, Rgb::BLACK);
    assert!(black_left < left);
    assert_eq!(scene.page_paragraphs(0), vec!["نشست امشب در سالن برگزار می‌شود."]);
}

#[test]
fn strike_goes_through_and_size_and_weight_split_runs() {
    let scene = scene_of(&layout(
        "ltr",
        &format!("Plain [struck]{{strike color={RED}}} and [big bold]{{size=2em weight=bold}} end"),
    ));
    let (_, _, baseline) = extent_of(&scene, red());
    let strike = lines(&scene);
    assert_eq!(strike.len(), 1);
    assert!(strike[0].y1 < baseline - 2.0 && strike[0].y1 > baseline - 8.0, "{:?} at {baseline}", strike[0]);
    let runs: Vec<_> = scene.pages[0]
        .items
        .iter()
        .filter_map(|i| if let Item::Glyphs(r) = i { Some((r.size, scene.fonts[r.font].weight)) } else { None })
        .collect();
    assert!(runs.contains(&(28.0, 700)) && runs.contains(&(14.0, 400)), "{runs:?}");
}

#[test]
fn a_larger_span_makes_its_line_taller() {
    let words = "word ".repeat(30);
    let plain = scene_of(&layout("ltr", &words));
    let big = scene_of(&layout("ltr", &format!("[BIG]{{size=28pt}} {words}")));
    let baselines = |s: &Scene| {
        let mut v: Vec<f32> =
            s.pages[0].items.iter().filter_map(|i| if let Item::Glyphs(r) = i { Some(r.y) } else { None }).collect();
        v.dedup_by(|a, b| (*a - *b).abs() < 0.01);
        v
    };
    let (p, b) = (baselines(&plain), baselines(&big));
    let step = p[1] - p[0];
    assert!(b[1] - b[0] > 1.25 * step, "the first line grows: {b:?}");
    assert!(((b[2] - b[1]) - step).abs() < 0.01, "the next keeps its height");
}

#[test]
fn italic_slants_latin_runs_only() {
    let scene = scene_of(&layout("rtl", "متن [English and فارسی]{italic} پایان"));
    let slants: Vec<(bool, f32)> = scene.pages[0]
        .items
        .iter()
        .filter_map(|i| if let Item::Glyphs(r) = i { Some((r.rtl, r.slant)) } else { None })
        .collect();
    assert!(slants.iter().any(|&(rtl, s)| !rtl && s > 0.1), "{slants:?}");
    assert!(slants.iter().all(|&(rtl, s)| !rtl || s == 0.0), "{slants:?}");
}

#[test]
fn nobreak_keeps_a_span_on_one_line() {
    let filler = "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk ";
    for k in 0..12 {
        let text = format!("{}[keep these four words]{{nobreak color={RED}}} tail", &filler[..k * 5]);
        let scene = scene_of(&layout("ltr", &text));
        let ys: Vec<f32> = scene.pages[0]
            .items
            .iter()
            .filter_map(|i| if let Item::Glyphs(r) = i { (r.color == red()).then_some(r.y) } else { None })
            .collect();
        assert!(ys.windows(2).all(|w| w[0] == w[1]), "k = {k}: {ys:?}");
    }
}

#[test]
fn a_span_with_a_direction_is_isolated() {
    // In a right-to-left paragraph, the "!" after a Latin word before
    // Persian text takes the paragraph's direction and stands left of
    // the word; a left-to-right span keeps it on the word's right.
    let x_of = |text: &str, what: &str| {
        let scene = scene_of(&layout("rtl", text));
        let mut at = None;
        for item in &scene.pages[0].items {
            let Item::Glyphs(r) = item else { continue };
            for g in r.glyphs.iter().filter(|g| g.text == what) {
                at = Some(r.x + g.x);
            }
        }
        (at.unwrap(), scene.page_paragraphs(0))
    };
    let (bang, _) = x_of("سلام Hello! دنیا", "!");
    let (o, _) = x_of("سلام Hello! دنیا", "o");
    assert!(bang < o, "without a span the mark goes left: {bang} vs {o}");
    let (bang, text) = x_of("سلام [Hello!]{dir=ltr} دنیا", "!");
    let (o, _) = x_of("سلام [Hello!]{dir=ltr} دنیا", "o");
    assert!(bang > o, "an ltr span keeps it right of the word: {bang} vs {o}");
    assert_eq!(text, vec!["سلام Hello! دنیا"]);
}

/// Pixels of `rgb` (each channel within 40) in an RGBA image.
fn count_colour(data: &[u8], rgb: [u8; 3]) -> usize {
    data.chunks(4).filter(|p| (0..3).all(|c| (p[c] as i32 - rgb[c] as i32).abs() < 40) && p[3] > 200).count()
}

#[test]
fn coloured_and_underlined_spans_reach_png_and_pdf() {
    let src = layout(
        "rtl",
        &format!("نشست [امشب]{{color={RED} underline}} و [English]{{italic color=#0000d0 strike}} پایان"),
    );
    let engine = Engine::new();
    let doc = engine.load_str("inline.toml", &src).unwrap();
    let png = engine.render(&doc, &RenderOptions::new(Format::Png)).unwrap();
    let pixmap = tiny_skia::Pixmap::decode_png(&png.bytes).unwrap();
    let (reds, blues) = (count_colour(pixmap.data(), [208, 0, 0]), count_colour(pixmap.data(), [0, 0, 208]));
    assert!(reds > 40 && blues > 40, "PNG: {reds} red, {blues} blue pixels");
    let pdf = engine.render(&doc, &RenderOptions::new(Format::Pdf)).unwrap();
    if !require("pdftoppm") {
        return;
    }
    let dir = temp_dir("inline");
    std::fs::write(dir.join("in.pdf"), &pdf.bytes).unwrap();
    let out = std::process::Command::new("pdftoppm")
        .args(["-r", "100", "-png", "-singlefile"])
        .arg(dir.join("in.pdf"))
        .arg(dir.join("out"))
        .output()
        .expect("run pdftoppm");
    assert!(out.status.success());
    let raster = tiny_skia::Pixmap::load_png(dir.join("out.png")).unwrap();
    let (r2, b2) = (count_colour(raster.data(), [208, 0, 0]), count_colour(raster.data(), [0, 0, 208]));
    assert!(r2 > 40 && b2 > 40, "PDF: {r2} red, {b2} blue pixels");
    // The underline is a horizontal run of red pixels wider than any stroke of a letter.
    let w = raster.width() as usize;
    let widest = raster
        .data()
        .chunks(4 * w)
        .map(|row| {
            let mut best = 0;
            let mut run = 0;
            for p in row.chunks(4) {
                run = if p[0] > 160 && p[1] < 80 && p[2] < 80 { run + 1 } else { 0 };
                best = best.max(run);
            }
            best
        })
        .max()
        .unwrap_or(0);
    assert!(widest > 25, "the underline in the PDF: {widest} px");
}

#[test]
fn span_mistakes_name_line_and_column() {
    let engine = Engine::new();
    let e = engine.load_str("inline.toml", &layout("ltr", "Hello [world]{colr=red}")).unwrap_err().to_string();
    assert!(e.contains("unknown span attribute \"colr\"") && e.contains("inline.toml:10:25"), "{e}");
    let deep = "[".repeat(20) + "x" + &"]{underline}".repeat(20);
    let e = engine.load_str("inline.toml", &layout("ltr", &deep)).unwrap_err().to_string();
    assert!(e.contains("nest at most"), "{e}");
}

/// The height in pixels of the ink of `text`, set alone in Noto Naskh
/// Arabic (Latin falling back to Vazirmatn) with `adjust`.
fn ink_height(text: &str, adjust: &str) -> u32 {
    let src = format!(
        "version = 1\nfonts = [\"../fonts/NotoNaskhArabic-Regular.ttf\"]\n[page]\nwidth = \"600px\"\nheight = \"300px\"\n\
         [styles.body]\nfont = \"Noto Naskh Arabic\"\nsize = \"100pt\"\ndirection = \"rtl\"\n{adjust}\n\
         [[frame]]\nx = \"10px\"\ny = \"10px\"\nwidth = \"580px\"\nheight = \"280px\"\n\
         [[frame.block]]\ntype = \"paragraph\"\ntext = \"{text}\"\n"
    );
    let engine = Engine::new();
    let doc = engine.load_str(crate_path("layouts/size-adjust.toml"), &src).unwrap();
    let png = engine.render(&doc, &RenderOptions::new(Format::Png)).unwrap();
    let p = tiny_skia::Pixmap::decode_png(&png.bytes).unwrap();
    let w = p.width() as usize;
    let rows: Vec<usize> =
        (0..p.height() as usize).filter(|&y| (0..w).any(|x| p.data()[(y * w + x) * 4] < 128)).collect();
    (rows.last().unwrap() - rows.first().unwrap() + 1) as u32
}

#[test]
fn latin_in_a_naskh_paragraph_is_sized_to_its_alef() {
    let alef = ink_height("ا", "") as f32;
    let x = ink_height("xxx", "") as f32;
    let x_plain = ink_height("xxx", "fallback_size_adjust = false") as f32;
    let x_ratio = ink_height("xxx", "fallback_size_adjust = 0.4") as f32;
    // By default (Naskh has no Latin letters), the x-height is two thirds of the alef's.
    assert!((x / alef - 2.0 / 3.0).abs() < 0.03, "x {x} px, alef {alef} px");
    // Unadjusted, Vazirmatn's x is 0.53 em against Naskh's alef of 0.67 em.
    assert!((x_plain / alef - 0.787).abs() < 0.03, "x {x_plain} px, alef {alef} px");
    // A number is the x-height as a fraction of the size (100 pt here).
    assert!((x_ratio - 40.0 * 96.0 / 72.0).abs() < 3.0, "x {x_ratio} px");
}

#[test]
fn justified_lines_stretch_across_spans_with_kashida() {
    let text = format!(
        "شب با خوانش غزل‌هایی از دیوان حافظ آغاز می‌شود؛ [هر غزل را نخست یکی از شاعران مهمان می‌خواند]{{color={RED} underline}} و سپس گروه موسیقی آن را در دستگاه شور و آواز دشتی اجرا می‌کند. پس از آن گفت‌وگویی کوتاه دربارهٔ زبان و نگاه حافظ برگزار می‌شود."
    );
    let src = layout("rtl", &text)
        .replace("direction = \"rtl\"", "direction = \"rtl\"\nalign = \"justify\"\nkashida = \"display\"");
    let scene = scene_of(&src);
    let content = scene.pages[0].frames[0].content;
    let mut rows: std::collections::BTreeMap<i32, (f32, f32)> = Default::default();
    let mut kashida_in_span = 0;
    for item in &scene.pages[0].items {
        let Item::Glyphs(r) = item else { continue };
        let e = rows.entry((r.y * 10.0) as i32).or_insert((f32::MAX, f32::MIN));
        for g in r.glyphs.iter().filter(|g| g.advance > 0.0) {
            e.0 = e.0.min(r.x + g.x);
            e.1 = e.1.max(r.x + g.x + g.advance);
        }
        if r.color == red() {
            kashida_in_span += r.glyphs.iter().filter(|g| g.kashida).count();
        }
    }
    let full: Vec<_> = rows.values().take(rows.len() - 1).collect();
    assert!(full.len() >= 3);
    for (l, r) in full {
        assert!(
            (l - content.x).abs() < 0.05 && (r - (content.x + content.width)).abs() < 0.05,
            "{l}..{r} vs {content:?}"
        );
    }
    assert!(kashida_in_span > 0, "kashidas inside the span");
    // The underline runs under the span's glyphs on each line it is on.
    assert!(lines(&scene).len() >= 2);
}
