//! Properties that hold for any text and any frame: no character of the
//! text is lost between the layout and the Scene, and no line reaches past
//! its frame — for random mixes of Persian, Latin, digits, handles and
//! marks, at random widths, sizes and alignments.

use nashr::scene::{Item, Scene};
use nashr::{Engine, LayoutSource};
use proptest::prelude::*;

/// Words to build paragraphs from: Persian (with ZWNJ), Sorani, Arabic with
/// marks, Latin (hyphenatable), digits, addresses and a handle.
const WORDS: &[&str] = &[
    "کنگره",
    "حزب",
    "کمونیست",
    "کارگری",
    "می‌داند",
    "خانواده‌های",
    "لا",
    "اسلامی",
    "تلاش",
    "و",
    "کۆنگرەی",
    "بەشداری",
    "بِسْمِ",
    "اللَّهِ",
    "congress",
    "Arbeiterkommunistischen",
    "organisation",
    "۱۲",
    "۱۴۰۰",
    "2021",
    "www.wpiran.org",
    "@wpi_tamas",
    "info@wpiran.org",
    "(۴",
    "نوامبر)",
    "،",
    ".",
];

fn paragraph() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 1..60).prop_map(|w| w.join(" "))
}

fn layout(text: &str, width_mm: u32, size: u32, align: &str, fit: &str) -> String {
    format!(
        "[meta]\nlanguage = \"fa\"\n[page]\nsize = \"A5\"\nmargin = \"10mm\"\n[styles.body]\nsize = \"{size}pt\"\nalign = \"{align}\"\n\
         [[frame]]\nname = \"f\"\nx = \"10mm\"\nwidth = \"{width_mm}mm\"\nfit = \"{fit}\"\nmin_size = \"2pt\"\n\
         [[frame.block]]\ntype = \"paragraph\"\ntext = \"{text}\"\n"
    )
}

/// The letters and digits of a text, in order (what must all come back).
fn letters(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

fn scene_text(scene: &Scene) -> String {
    (0..scene.pages.len()).flat_map(|p| scene.page_paragraphs(p)).collect::<Vec<_>>().join(" ")
}

/// How far the widest run reaches past its frame's content box, in points.
fn overhang(scene: &Scene) -> f32 {
    let mut worst = 0.0f32;
    for page in &scene.pages {
        for item in &page.items {
            let Item::Glyphs(run) = item else { continue };
            let Some(frame) = run.origin.frame.map(|f| &page.frames[f]) else { continue };
            // Glyphs that move the pen: not marks drawn over a letter (no
            // advance, an offset), not the copies of a stretched kashida.
            let pen: Vec<&nashr::scene::Glyph> = run.glyphs.iter().filter(|g| g.advance > 0.0 && !g.kashida).collect();
            if pen.is_empty() {
                continue;
            }
            let left = run.x + pen.iter().map(|g| g.x).fold(f32::INFINITY, f32::min);
            let right = run.x + pen.iter().map(|g| g.x + g.advance).fold(f32::NEG_INFINITY, f32::max);
            worst = worst.max(frame.content.x - left).max(right - (frame.content.x + frame.content.width));
        }
    }
    worst
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn no_text_is_lost_and_no_line_passes_its_frame(
        text in paragraph(),
        width in 25u32..128,
        size in 6u32..16,
        align in prop::sample::select(&["justify", "start", "center", "end"][..]),
    ) {
        let engine = Engine::new();
        let src = layout(&text, width, size, align, "flow");
        let doc = engine.load_with(&LayoutSource::new("prop.toml", src), None, None).unwrap();
        match engine.layout(&doc) {
            Ok(scene) => {
                prop_assert_eq!(letters(&scene_text(&scene)), letters(&text), "every letter, in order");
                prop_assert!(overhang(&scene) <= 0.05, "a line {} pt past its frame", overhang(&scene));
            }
            // A word wider than a narrow frame is an error that names it,
            // never a cut or an overhang.
            Err(e) => prop_assert!(e.to_string().contains("wider than frame"), "{}", e),
        }
    }

    #[test]
    fn a_shrinking_frame_keeps_every_letter_inside(text in paragraph(), width in 20u32..60) {
        let engine = Engine::new();
        let src = layout(&text, width, 12, "justify", "shrink");
        let doc = engine.load_with(&LayoutSource::new("prop.toml", src), None, None).unwrap();
        if let Ok(scene) = engine.layout(&doc) {
            prop_assert_eq!(letters(&scene_text(&scene)), letters(&text));
            prop_assert!(overhang(&scene) <= 0.05);
        }
    }
}
