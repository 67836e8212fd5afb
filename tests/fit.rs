//! Text that does not fit: shrink to fit, flow into the next frame or onto
//! new pages (with widow and orphan control), or an error naming the frame.

mod common;

use nashr::scene::{Item, Scene};
use nashr::{Engine, Error};

const BODY: &str = "در کنگره حزب کمونیست کارگری که به دلیل شیوع کرونا بصورت آنلاین در روزهای ۱۲ تا ۱۴ آذر برگزار میشود شرکت کنید. این حق شما است که با احزاب سیاسی تماس بگیرید، در میتینگ ها و همایش های آنها شرکت کنید، نظر بدهید، نقد کنید و یا انتظارتان را طرح کنید.";

fn layout(frames: &str, text_repeat: usize) -> Result<Scene, String> {
    let text = vec![BODY; text_repeat].join(" ");
    let src = format!(
        "[page]\nsize = \"A6\"\nmargin = \"10mm\"\n[styles.body]\nsize = \"10pt\"\nalign = \"justify\"\ndirection = \"rtl\"\n{frames}\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"{text}\"\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"{BODY}\"\n"
    );
    let engine = Engine::new();
    let doc = engine.load_str("fit.toml", &src).map_err(|e| e.to_string())?;
    engine.layout(&doc).map_err(|e| e.to_string())
}

fn all_text(scene: &Scene) -> String {
    let s: String = (0..scene.pages.len()).flat_map(|p| scene.page_paragraphs(p)).collect();
    s.split_whitespace().collect()
}

fn sizes(scene: &Scene) -> Vec<f32> {
    scene
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| if let Item::Glyphs(g) = i { Some(g.size) } else { None })
        .collect()
}

/// Lines of each paragraph on each page: (page, paragraph) → distinct baselines.
fn lines_per_fragment(scene: &Scene) -> Vec<usize> {
    let mut out = Vec::new();
    for page in &scene.pages {
        let mut per: std::collections::BTreeMap<usize, Vec<i64>> = Default::default();
        for i in &page.items {
            if let Item::Glyphs(g) = i {
                let v = per.entry(g.paragraph).or_default();
                let y = (g.y * 10.0) as i64;
                if !v.contains(&y) {
                    v.push(y);
                }
            }
        }
        out.extend(per.values().map(|v| v.len()));
    }
    out
}

fn expected_text(repeat: usize) -> String {
    let mut t = vec![BODY; repeat].join(" ");
    t.push_str(BODY);
    t.split_whitespace().collect()
}

#[test]
fn overflow_is_an_error_by_default() {
    let e = layout("[[frame]]\nname = \"body\"\nheight = \"40mm\"", 3).unwrap_err();
    assert!(e.contains("overflows frame \"body\" on page 1"), "{e}");
    assert!(e.contains("fit = \\\"shrink\\\"") || e.contains("fit = \"shrink\""), "{e}");
}

#[test]
fn shrink_scales_the_text_until_it_fits() {
    let scene =
        layout("[[frame]]\nname = \"body\"\nheight = \"60mm\"\nfit = \"shrink\"\nmin_size = \"5pt\"", 2).unwrap();
    assert_eq!(scene.pages.len(), 1);
    let s = sizes(&scene);
    let max = s.iter().copied().fold(0.0, f32::max);
    assert!((5.0..10.0).contains(&max), "shrunk to {max}");
    assert_eq!(all_text(&scene), expected_text(2), "nothing lost");
    // Larger scale than needed would overflow: shrinking is as little as possible.
    assert!(max > 6.0, "not shrunk more than needed: {max}");
}

#[test]
fn shrink_below_the_minimum_is_an_error() {
    let e =
        layout("[[frame]]\nname = \"body\"\nheight = \"20mm\"\nfit = \"shrink\"\nmin_size = \"8pt\"", 3).unwrap_err();
    assert!(e.contains("minimum size") && e.contains("\"body\""), "{e}");
}

#[test]
fn flow_adds_pages_and_keeps_the_text_in_order() {
    let scene = layout("[[frame]]\nname = \"body\"\nfit = \"flow\"", 12).unwrap();
    assert!(scene.pages.len() >= 3, "{} pages", scene.pages.len());
    assert_eq!(all_text(&scene), expected_text(12));
    for n in lines_per_fragment(&scene) {
        assert!(n >= 2, "a fragment of {n} line: widow or orphan");
    }
}

#[test]
fn flow_continues_in_the_named_frame() {
    let text = [BODY; 4].join(" ");
    let src = format!(
        "[page]\nsize = \"A6\"\nmargin = \"10mm\"\n[styles.body]\nsize = \"9pt\"\nalign = \"justify\"\n[[frame]]\nname = \"right\"\nx = \"55mm\"\nwidth = \"40mm\"\nfit = \"flow\"\nnext = \"left\"\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"{text}\"\n[[frame]]\nname = \"left\"\nx = \"10mm\"\nwidth = \"40mm\"\nfit = \"flow\"\n"
    );
    let engine = Engine::new();
    let doc = engine.load_str("cols.toml", &src).unwrap();
    let scene = engine.layout(&doc).unwrap();
    let xs: Vec<f32> =
        scene.pages[0].items.iter().filter_map(|i| if let Item::Glyphs(g) = i { Some(g.x) } else { None }).collect();
    assert!(xs.iter().any(|&x| x > 150.0) && xs.iter().any(|&x| x < 120.0), "both columns used");
    let s: String = all_text(&scene);
    assert_eq!(s, text.split_whitespace().collect::<String>());
}

#[test]
fn next_frame_mistakes_are_reported() {
    let bad = "[page]\nsize = \"A6\"\n[[frame]]\nname = \"a\"\nfit = \"flow\"\nnext = \"b\"\n";
    let engine = Engine::new();
    let e = engine.load_str("n.toml", bad).unwrap_err();
    let Error::Source(e) = e else { panic!("expected a source error, got {e}") };
    assert!(e.message.contains("no frame is named \"b\"") && e.message.contains("frames: a"), "{}", e.message);
    let no_flow = "[page]\nsize = \"A6\"\n[[frame]]\nname = \"a\"\nnext = \"b\"\n[[frame]]\nname = \"b\"\n";
    let e = engine.load_str("n.toml", no_flow).unwrap_err().to_string();
    assert!(e.contains("fit = \"flow\""), "{e}");
}
