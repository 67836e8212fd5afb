//! The PDF text layer, as the viewers people use read it: every word of
//! the text comes back intact — «لا» in order, kashida never a character
//! nor a split, numbers whole — from poppler (pdftotext: Evince, Okular)
//! and pdfium (Chrome, Edge), on the Persian leaflet, the kashida-dense
//! 60 mm column, the Sorani leaflet and a Noto Naskh Arabic page.
//!
//! Words are compared as `../shared/tools/extract-matrix` compares them:
//! split at white space, with punctuation, bidi controls, tatweel, ZWNJ
//! and ZWJ stripped, in NFC. The reference is the document's own text, as
//! its Scene holds it. pdfium is reached through Python's pypdfium2
//! (`pip install pypdfium2`); `.ci/run` installs it.

mod common;

use common::*;
use nashr::{Engine, Format, LayoutSource, RenderOptions};
use std::collections::BTreeMap;
use std::process::Command;
use unicode_normalization::UnicodeNormalization;

/// The words of a text, counted, as extract-matrix counts them.
fn words(text: &str) -> BTreeMap<String, usize> {
    let controls = |c: char| matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    let stripped = |c: char| {
        matches!(
            c,
            '\u{200c}'
                | '\u{200d}'
                | '\u{0640}'
                | '@'
                | '*'
                | '«'
                | '»'
                | '('
                | ')'
                | '['
                | ']'
                | '{'
                | '}'
                | '.'
                | ','
                | '،'
                | ':'
                | ';'
                | '؛'
                | '!'
                | '?'
                | '؟'
                | '"'
                | '\''
                | '-'
                | '–'
                | '—'
                | '/'
        )
    };
    let text: String = text.nfc().map(|c| if controls(c) { ' ' } else { c }).collect();
    let mut out = BTreeMap::new();
    for w in text.split_whitespace() {
        let w: String = w.chars().filter(|&c| !stripped(c)).collect();
        if !w.is_empty() {
            *out.entry(w).or_insert(0) += 1;
        }
    }
    out
}

/// The words of `reference` that `extracted` does not give back whole.
fn broken(reference: &str, extracted: &str) -> Vec<String> {
    let got = words(extracted);
    let mut out = Vec::new();
    for (w, n) in words(reference) {
        let have = got.get(&w).copied().unwrap_or(0);
        if have < n {
            out.push(w);
        }
    }
    out
}

/// A document rendered to PDF, and its text as the Scene holds it.
fn render(layout: &LayoutSource, locale: Option<&str>) -> (Vec<u8>, String) {
    let engine = Engine::new();
    let locale = locale.map(|c| engine.locale(crate_path(&format!("locales/{c}.toml"))).unwrap());
    let doc = engine.load_with(layout, locale.as_ref(), None).unwrap();
    let out = engine.render(&doc, &RenderOptions::new(Format::Pdf)).unwrap();
    let text = (0..out.scene.pages.len()).flat_map(|p| out.scene.page_paragraphs(p)).collect::<Vec<_>>().join("\n");
    (out.bytes, text)
}

fn poppler(pdf: &std::path::Path) -> String {
    let o = Command::new("pdftotext").args(["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

const PDFIUM: &str = "import sys, pypdfium2 as p\n\
    d = p.PdfDocument(sys.argv[1])\n\
    print('\\n'.join(pg.get_textpage().get_text_range() for pg in d))";

/// Whether Python with pypdfium2 is at hand (required when CI is set).
fn have_pdfium() -> bool {
    let ok = Command::new("python3").args(["-c", "import pypdfium2"]).output().is_ok_and(|o| o.status.success());
    if !ok && std::env::var_os("CI").is_some() {
        panic!("python3 with pypdfium2 is not installed, and CI is set: the pdfium checks must run");
    }
    if !ok {
        eprintln!("note: python3 with pypdfium2 is not installed; the pdfium checks are left out");
    }
    ok
}

fn pdfium(pdf: &std::path::Path) -> String {
    let o = Command::new("python3").args(["-c", PDFIUM, pdf.to_str().unwrap()]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

/// Render and extract with both engines; every word must come back, except
/// those `allowed` names (with why, in the caller).
fn check(name: &str, layout: &LayoutSource, locale: Option<&str>, allowed: &[&str]) {
    let (pdf, reference) = render(layout, locale);
    assert!(words(&reference).len() > 50, "{name}: a real text");
    let dir = temp_dir(&format!("extract-{name}"));
    let path = dir.join("out.pdf");
    std::fs::write(&path, pdf).unwrap();
    let keep = |b: Vec<String>| b.into_iter().filter(|w| !allowed.contains(&w.as_str())).collect::<Vec<_>>();
    if require("pdftotext") {
        let b = keep(broken(&reference, &poppler(&path)));
        assert!(b.is_empty(), "{name}: poppler breaks {} words: {b:?}", b.len());
    }
    if have_pdfium() {
        let b = keep(broken(&reference, &pdfium(&path)));
        assert!(b.is_empty(), "{name}: pdfium breaks {} words: {b:?}", b.len());
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_persian_leaflet_extracts_whole() {
    check("leaflet-fa", &LayoutSource::read(crate_path("layouts/invitation-a5.toml")).unwrap(), None, &[]);
}

#[test]
fn the_kashida_dense_column_extracts_whole() {
    let layout = LayoutSource::read(crate_path("layouts/invitation-column-60mm.toml")).unwrap();
    check("column-fa", &layout, None, &[]);
    check("column-ckb", &layout, Some("ckb"), &["٥ی", "١٤ی"]);
}

#[test]
fn the_sorani_leaflet_extracts_whole() {
    // poppler wraps a number inside a right-to-left line in LRE…PDF marks,
    // which split a number from a suffix written onto it («٥ی»).
    let layout = LayoutSource::read(crate_path("layouts/invitation-a5.toml")).unwrap();
    check("leaflet-ckb", &layout, Some("ckb"), &["٥ی", "١٤ی", "٤ی", "١٣ی"]);
}

#[test]
fn a_noto_naskh_page_extracts_whole() {
    let text = std::fs::read_to_string(crate_path("tests/fixtures/invitation-fa.source.txt")).unwrap();
    let body: String = text.lines().filter(|l| l.chars().count() > 40).take(6).collect::<Vec<_>>().join(" ");
    let src = format!(
        "fonts = [\"../fonts/NotoNaskhArabic-Regular.ttf\", \"../fonts/NotoNaskhArabic-Bold.ttf\"]\n\
         [meta]\nlanguage = \"fa\"\n[page]\nsize = \"A4\"\nmargin = \"18mm\"\n\
         [styles.body]\nfont = \"Noto Naskh Arabic\"\nsize = \"12pt\"\nline_height = 1.9\nalign = \"justify\"\n\
         [[frame]]\nfit = \"flow\"\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"{}\"\n",
        body.replace('"', "\\\"").replace("**", "")
    );
    check("naskh", &LayoutSource::new(crate_path("tests/naskh.toml"), src), None, &[]);
}
