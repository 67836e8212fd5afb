//! A localised variant keeps its design: a locale may set style values over
//! the layout's, a layout that fixes its page count keeps it in every
//! language (shrinking the flowing text, or saying why it cannot), and
//! `nashr check --locale` preflights a language.

mod common;

use common::*;
use nashr::{Engine, Format, LayoutSource, RenderOptions};

#[test]
fn every_language_of_the_leaflet_keeps_its_two_pages() {
    let engine = Engine::new();
    let source = LayoutSource::read(crate_path("layouts/invitation-a5.toml")).unwrap();
    for code in ["fa", "en", "de", "sv", "ckb"] {
        let locale = engine.locale(crate_path(&format!("locales/{code}.toml"))).unwrap();
        let doc = engine.load_with(&source, Some(&locale), None).unwrap();
        let out = engine.render(&doc, &RenderOptions::new(Format::Pdf)).unwrap();
        assert_eq!(out.scene.pages.len(), 2, "{code}: the leaflet fixes pages = 2");
    }
}

/// A layout with `pages` fixed (or not) and a long flowing text.
fn flowing(pages: &str, min_size: &str, repeat: usize) -> String {
    let text = "Take part in the congress of the party and bring your questions and expectations. ".repeat(repeat);
    format!(
        "[page]\nsize = \"A6\"\nmargin = \"10mm\"\n{pages}\n[styles.body]\nsize = \"10pt\"\n\
         [[frame]]\nname = \"body\"\nfit = \"flow\"\nmin_size = \"{min_size}\"\n\
         [[frame.block]]\ntype = \"paragraph\"\ntext = \"{text}\"\n"
    )
}

#[test]
fn a_fixed_page_count_shrinks_the_flow_or_says_why_it_cannot() {
    let engine = Engine::new();
    // Without `pages`, flowing text adds pages.
    let doc = engine.load_str("free.toml", &flowing("", "5pt", 60)).unwrap();
    assert!(engine.layout(&doc).unwrap().pages.len() > 2);
    // With `pages = 2` it is shrunk to fit two.
    let doc = engine.load_str("fixed.toml", &flowing("pages = 2", "5pt", 60)).unwrap();
    let scene = engine.layout(&doc).unwrap();
    assert_eq!(scene.pages.len(), 2);
    let size = scene.pages[0].items.iter().find_map(|i| match i {
        nashr::scene::Item::Glyphs(g) => Some(g.size),
        _ => None,
    });
    assert!(size.is_some_and(|s| (5.0..10.0).contains(&s)), "{size:?}");
    // Too much text for two pages even at the minimum size: an error that says so.
    let doc = engine.load_str("fixed.toml", &flowing("pages = 2", "9pt", 200)).unwrap();
    let e = engine.layout(&doc).unwrap_err().to_string();
    assert!(e.contains("\"body\"") && e.contains("2 pages") && e.contains("9.0 pt"), "{e}");
}

#[test]
fn a_locale_sets_style_values_over_the_layout() {
    let dir = temp_dir("locale-styles");
    let layout = "[meta]\nlanguage = \"fa\"\n[page]\nsize = \"A6\"\n[styles.body]\nsize = \"10pt\"\nline_height = 2\n\
                  [[frame]]\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"{{t}}\"\n";
    std::fs::write(dir.join("l.toml"), layout).unwrap();
    let locale = "[locale]\nlanguage = \"en\"\ndirection = \"ltr\"\n[styles.body]\nline_height = 1.25\nsize = \"12pt\"\n\
                  [styles.caption]\nsize = \"8pt\"\n[strings]\nt = \"One line. Another line that is long enough to wrap onto a second line of the page.\"\n";
    std::fs::write(dir.join("en.toml"), locale).unwrap();
    let engine = Engine::new();
    let en = engine.locale(dir.join("en.toml")).unwrap();
    let doc = engine.load_with(&LayoutSource::read(dir.join("l.toml")).unwrap(), Some(&en), None).unwrap();
    let scene = engine.layout(&doc).unwrap();
    let runs: Vec<&nashr::scene::GlyphRun> = scene.pages[0]
        .items
        .iter()
        .filter_map(|i| if let nashr::scene::Item::Glyphs(g) = i { Some(g) } else { None })
        .collect();
    assert!(runs.iter().all(|r| r.size == 12.0), "the locale's size");
    let mut ys: Vec<f32> = runs.iter().map(|r| r.y).collect();
    ys.dedup();
    assert!(ys.len() >= 2 && ((ys[1] - ys[0]) - 15.0).abs() < 0.01, "line height 1.25 × 12 pt: {ys:?}");
    // A bad value in a locale's style is an error pointing into the locale.
    std::fs::write(
        dir.join("bad.toml"),
        "[locale]\nlanguage = \"en\"\ndirection = \"ltr\"\n[styles.body]\nline_hight = 1\n",
    )
    .unwrap();
    let e = engine.locale(dir.join("bad.toml")).unwrap_err().to_string();
    assert!(e.contains("bad.toml:5:1") && e.contains("line_hight"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn check_takes_a_locale() {
    let o = nashr(&["check", "--locale", "de", crate_path("layouts/invitation-a5.toml").to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("0 errors"));
    let o = nashr(&["check", "--locale", "xx", crate_path("layouts/invitation-a5.toml").to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("no locale \"xx\""));
}

#[test]
fn no_page_of_a_latin_column_ends_on_a_hyphen() {
    let engine = Engine::new();
    let source = LayoutSource::read(crate_path("layouts/invitation-column-60mm.toml")).unwrap();
    for code in ["de", "en", "sv"] {
        let locale = engine.locale(crate_path(&format!("locales/{code}.toml"))).unwrap();
        let scene = engine.layout(&engine.load_with(&source, Some(&locale), None).unwrap()).unwrap();
        let mut hyphens = 0;
        for (pi, page) in scene.pages.iter().enumerate() {
            let runs: Vec<&nashr::scene::GlyphRun> = page
                .items
                .iter()
                .filter_map(|i| if let nashr::scene::Item::Glyphs(g) = i { Some(g) } else { None })
                .collect();
            // A drawn hyphen is a glyph that is not text, not a marker, not a kashida.
            let ends_hyphenated = |y: f32| {
                let line: Vec<&nashr::scene::Glyph> =
                    runs.iter().filter(|r| r.y == y && !r.marker).flat_map(|r| r.glyphs.iter()).collect();
                line.last().is_some_and(|g| g.text.is_empty() && !g.kashida)
            };
            let ys: Vec<f32> = runs.iter().map(|r| r.y).collect();
            hyphens += ys.iter().filter(|&&y| ends_hyphenated(y)).count();
            if let Some(&last) = ys.iter().max_by(|a, b| a.total_cmp(b)) {
                assert!(!ends_hyphenated(last), "{code}: page {} ends on a hyphen", pi + 1);
            }
        }
        assert!(hyphens > 0, "{code}: the column does hyphenate");
    }
}
