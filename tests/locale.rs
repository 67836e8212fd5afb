//! Locales: `{{key}}` strings, direction-aware geometry (an RTL layout
//! mirrors for an LTR language), digits, and errors that name what is missing.

mod common;

use common::*;
use nashr::scene::Item;
use nashr::{Document, Engine, Error, LayoutSource, Locale};

const LAYOUT: &str = r#"
[meta]
title = "{{headline}}"
language = "fa"
locale = "fa.toml"

[page]
size = "A6"
margin = "10mm"

[styles.body]
size = 11
align = "start"
direction = "rtl"

[[frame]]
name = "side"
x = "10mm"
y = "10mm"
width = "30mm"
height = "40mm"

[[frame.block]]
type = "paragraph"
text = "{{headline}} ۱۲"
"#;

const FA: &str =
    "[locale]\nlanguage = \"fa\"\ndirection = \"rtl\"\ndigits = \"persian\"\n[strings]\nheadline = \"سلام\"\n";
const EN: &str = "[locale]\nlanguage = \"en\"\ndirection = \"ltr\"\ndigits = \"latin\"\ntranslation = true\n[strings]\nheadline = \"Hello\"\n";

/// A layout file in a locale (`None`: the layout's default).
fn load(engine: &Engine, layout: &std::path::Path, locale: Option<&Locale>) -> Result<Document, Error> {
    engine.load_with(&LayoutSource::read(layout)?, locale, None)
}

fn setup(name: &str) -> std::path::PathBuf {
    let dir = temp_dir(name);
    std::fs::write(dir.join("l.toml"), LAYOUT).unwrap();
    std::fs::write(dir.join("fa.toml"), FA).unwrap();
    std::fs::write(dir.join("en.toml"), EN).unwrap();
    dir
}

#[test]
fn the_default_locale_fills_the_layout() {
    let dir = setup("locale-default");
    let engine = Engine::new();
    let doc = engine.load(dir.join("l.toml")).unwrap();
    assert!(doc.is_rtl());
    assert_eq!(doc.title(), "سلام");
    let scene = engine.layout(&doc).unwrap();
    assert_eq!(scene.meta.title, "سلام");
    assert_eq!(scene.page_paragraphs(0), ["سلام ۱۲"]);
    let frame = &scene.pages[0].frames[0];
    assert_eq!(frame.name, "side");
    assert!((frame.rect.x - 10.0 * 72.0 / 25.4).abs() < 0.01, "not mirrored in its own language");
}

#[test]
fn an_ltr_locale_mirrors_an_rtl_layout() {
    let dir = setup("locale-en");
    let engine = Engine::new();
    let en = engine.locale(dir.join("en.toml")).unwrap();
    let doc = load(&engine, &dir.join("l.toml"), Some(&en)).unwrap();
    assert!(!doc.is_rtl());
    assert_eq!(doc.language(), "en");
    let scene = engine.layout(&doc).unwrap();
    let page_w = scene.pages[0].width;
    let f = &scene.pages[0].frames[0];
    // 10 mm from the left became 10 mm from the right.
    assert!((page_w - (f.rect.x + f.rect.width) - 10.0 * 72.0 / 25.4).abs() < 0.01, "mirrored: x = {}", f.rect.x);
    assert_eq!(scene.page_paragraphs(0), ["Hello 12"], "the locale's digits");
    let run = scene.pages[0].items.iter().find_map(|i| if let Item::Glyphs(g) = i { Some(g) } else { None }).unwrap();
    assert!(!run.rtl);
    // Start alignment in English is the left edge of the (mirrored) frame.
    assert!((run.x - f.rect.x).abs() < 0.5, "run at {} in a frame at {}", run.x, f.rect.x);
}

#[test]
fn a_missing_string_is_an_error_naming_the_key_and_the_locale() {
    let dir = setup("locale-missing");
    std::fs::write(dir.join("en.toml"), EN.replace("headline", "title")).unwrap();
    let engine = Engine::new();
    let en = engine.locale(dir.join("en.toml")).unwrap();
    let e = load(&engine, &dir.join("l.toml"), Some(&en)).unwrap_err().to_string();
    assert!(e.contains("\"headline\"") && e.contains("en.toml") && e.contains("l.toml:"), "{e}");
}

#[test]
fn the_cli_takes_a_locale_by_file_or_code() {
    let dir = setup("locale-cli");
    let layout = dir.join("l.toml");
    let out = dir.join("en.json");
    let o = nashr(&[
        "render",
        layout.to_str().unwrap(),
        "--locale",
        dir.join("en.toml").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(v["meta"]["language"], "en");
    let o = nashr(&["render", layout.to_str().unwrap(), "--locale", "xx", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no locale \"xx\""));
}

/// Every invitation layout renders in every locale, mirrored for the LTR
/// languages, with nothing overflowing, and the Persian one unchanged.
#[test]
fn the_invitation_matrix_renders_in_all_five_languages() {
    let layouts =
        ["invitation-a5", "invitation-square", "invitation-story", "invitation-a3-poster", "invitation-column-60mm"];
    let engine = Engine::new();
    for code in ["fa", "en", "ckb", "sv", "de"] {
        let locale = engine.locale(crate_path(&format!("locales/{code}.toml"))).unwrap();
        assert_eq!(locale.translation, code != "fa", "{code}: marked as a translation");
        for l in layouts {
            let path = crate_path(&format!("layouts/{l}.toml"));
            let doc = load(&engine, &path, Some(&locale)).unwrap_or_else(|e| panic!("{l} in {code}: {e}"));
            assert_eq!(doc.is_rtl(), matches!(code, "fa" | "ckb"), "{l} in {code}");
            let scene = engine.layout(&doc).unwrap_or_else(|e| panic!("{l} in {code}: {e}"));
            assert!(scene.missing.is_empty(), "{l} in {code}: {:?}", scene.missing);
            let text: String = (0..scene.pages.len()).flat_map(|p| scene.page_paragraphs(p)).collect();
            assert!(!text.contains("{{"), "{l} in {code}: every placeholder filled");
        }
    }
}

#[test]
fn a_locale_code_is_found_beside_the_layouts() {
    let dir = temp_dir("locale-code");
    let out = dir.join("sq.json");
    let o = nashr(&[
        "render",
        crate_path("layouts/invitation-square.toml").to_str().unwrap(),
        "--locale",
        "ckb",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(v["meta"]["language"], "ckb");
}

#[test]
fn the_contact_block_ends_the_leaflet_in_every_language() {
    let engine = Engine::new();
    for code in ["fa", "en"] {
        let locale = engine.locale(crate_path(&format!("locales/{code}.toml"))).unwrap();
        let doc = load(&engine, &crate_path("layouts/invitation-a5.toml"), Some(&locale)).unwrap();
        let scene = engine.layout(&doc).unwrap();
        let last = scene.pages.len() - 1;
        let text: String = scene.page_paragraphs(last).concat();
        assert!(
            text.contains("www.wpiran.org"),
            "{code}: the contact block is on the last page ({} pages)",
            scene.pages.len()
        );
    }
    let e = engine.load_str("p.toml", "[page]\nsize = \"A6\"\n[[frame]]\npage = \"first\"\n").unwrap_err().to_string();
    assert!(e.contains("\"last\""), "{e}");
}
