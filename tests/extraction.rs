//! The PDF text layer, as the viewers people use read it: every word of
//! the text comes back intact — «لا» in order, kashida never a character
//! nor a split, numbers whole, marks on their letters — from poppler
//! (pdftotext: Evince, Okular), pdfium (Chrome, Edge), pdf.js (Firefox) and
//! pypdf (scripts, indexers), on the Persian leaflet, the kashida-dense
//! 60 mm column, the Sorani leaflet, a Noto Naskh Arabic page and a
//! vocalised Arabic page.
//!
//! Words are compared as `../shared/tools/extract-matrix` compares them:
//! split at white space, with punctuation, bidi controls, tatweel, ZWNJ
//! and ZWJ stripped, in NFC. The reference is the document's own text, as
//! its Scene holds it. pdfium and pypdf are reached through Python
//! (`pip install pypdfium2 pypdf`), pdf.js through Node
//! (`npm install --prefix ~/.cache/nashr-tools/node pdfjs-dist@4`, or set
//! `PDFJS_DIR`); `.ci/run` installs them, and with `CI` set a missing
//! engine fails the test.

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

const PYPDF: &str = "import sys, pypdf\n\
    print('\\n'.join(p.extract_text() for p in pypdf.PdfReader(sys.argv[1]).pages))";

/// Whether a Python module is at hand (required when CI is set).
fn have_python(module: &str) -> bool {
    let ok =
        Command::new("python3").args(["-c", &format!("import {module}")]).output().is_ok_and(|o| o.status.success());
    required(&format!("python3 with {module}"), ok)
}

/// Where pdfjs-dist is installed: `PDFJS_DIR` (a folder with
/// `node_modules/pdfjs-dist`), else `~/.cache/nashr-tools/node`.
fn pdfjs_dir() -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("PDFJS_DIR")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".cache/nashr-tools/node")))?;
    let ok = dir.join("node_modules/pdfjs-dist").is_dir() && have("node");
    required("node with pdfjs-dist (PDFJS_DIR)", ok).then_some(dir)
}

fn python(script: &str, pdf: &std::path::Path) -> String {
    let o = Command::new("python3").args(["-c", script, pdf.to_str().unwrap()]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn pdfjs(dir: &std::path::Path, pdf: &std::path::Path) -> String {
    let o = Command::new("node")
        .arg(crate_path("tests/tools/pdfjs_text.mjs"))
        .arg(pdf)
        .env("PDFJS_DIR", dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

/// Words an engine may break, with why (in the caller).
type Allowed<'a> = &'a dyn Fn(&str, &str) -> bool;

/// Render and extract with poppler, pdfium, pdf.js and pypdf; every word
/// must come back, except those `allowed(engine, word)` excuses.
fn check(name: &str, layout: &LayoutSource, locale: Option<&str>, allowed: Allowed) {
    let (reference, texts) = extract(name, layout, locale);
    for (engine, text) in texts {
        let b = excused(&reference, &text, engine, allowed);
        assert!(b.is_empty(), "{name}: {engine} breaks {} words: {b:?}", b.len());
    }
}

/// The document's own text, and its text as each engine at hand extracts it.
fn extract(name: &str, layout: &LayoutSource, locale: Option<&str>) -> (String, Vec<(&'static str, String)>) {
    let (pdf, reference) = render(layout, locale);
    assert!(words(&reference).len() > 50, "{name}: a real text");
    let dir = temp_dir(&format!("extract-{name}"));
    let path = dir.join("out.pdf");
    std::fs::write(&path, pdf).unwrap();
    let mut extracted: Vec<(&'static str, String)> = Vec::new();
    if require("pdftotext") {
        extracted.push(("poppler", poppler(&path)));
    }
    if have_python("pypdfium2") {
        extracted.push(("pdfium", python(PDFIUM, &path)));
    }
    if have_python("pypdf") {
        extracted.push(("pypdf", python(PYPDF, &path)));
    }
    if let Some(js) = pdfjs_dir() {
        extracted.push(("pdf.js", pdfjs(&js, &path)));
    }
    let _ = std::fs::remove_dir_all(dir);
    (reference, extracted)
}

/// The words of `reference` that `engine`'s `text` breaks, but those
/// `allowed` excuses.
fn excused(reference: &str, text: &str, engine: &str, allowed: Allowed) -> Vec<String> {
    broken(reference, text).into_iter().filter(|w| !allowed(engine, w)).collect()
}

/// No excuses.
fn none(_: &str, _: &str) -> bool {
    false
}

/// poppler wraps a number inside a right-to-left line in LRE…PDF marks,
/// which split a number from a suffix written onto it («٥ی»).
fn poppler_suffixed_numbers(engine: &str, word: &str) -> bool {
    engine == "poppler" && word.starts_with(|c: char| c.is_numeric()) && word.chars().any(|c| !c.is_numeric())
}

#[test]
fn the_persian_leaflet_extracts_whole() {
    let layout = LayoutSource::read(crate_path("layouts/invitation-a5.toml")).unwrap();
    check("leaflet-fa", &layout, None, &none);
}

#[test]
fn the_kashida_dense_column_extracts_whole() {
    let layout = LayoutSource::read(crate_path("layouts/invitation-column-60mm.toml")).unwrap();
    check("column-fa", &layout, None, &none);
    check("column-ckb", &layout, Some("ckb"), &poppler_suffixed_numbers);
}

#[test]
fn the_sorani_leaflet_extracts_whole() {
    let layout = LayoutSource::read(crate_path("layouts/invitation-a5.toml")).unwrap();
    check("leaflet-ckb", &layout, Some("ckb"), &poppler_suffixed_numbers);
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
    check("naskh", &LayoutSource::new(crate_path("tests/naskh.toml"), src), None, &none);
}

/// Vocalised Arabic (harakat, shadda, superscript alef, lam-alef with
/// marks) in Noto Naskh Arabic, justified with kashida.
#[test]
fn vocalised_arabic_extracts_whole() {
    let text = std::fs::read_to_string(crate_path("tests/fixtures/vocalised-ar.txt")).unwrap();
    let src = format!(
        "fonts = [\"../fonts/NotoNaskhArabic-Regular.ttf\", \"../fonts/NotoNaskhArabic-Bold.ttf\"]\n\
         [meta]\nlanguage = \"ar\"\n[page]\nsize = \"A5\"\nmargin = \"15mm\"\n\
         [styles.body]\nfont = \"Noto Naskh Arabic\"\nsize = \"13pt\"\nline_height = 2.0\nalign = \"justify\"\n\
         [[frame]]\nfit = \"flow\"\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"{}\"\n",
        text.trim().replace('"', "\\\"")
    );
    // pdf.js reads the space before a word (and the end of a line) only at
    // the first letter after a zero-width mark, so a word's last mark can
    // land across the space, on the next word (see the PDF module's doc).
    // Its letters must all be in place: the words compare whole with marks
    // stripped from both sides.
    let is_mark = |c: &char| ('\u{064B}'..='\u{0670}').contains(c);
    let pdfjs_moved_mark = |engine: &str, word: &str| engine == "pdf.js" && word.chars().any(|c| is_mark(&c));
    let layout = LayoutSource::new(crate_path("tests/vocalised.toml"), src);
    let (reference, texts) = extract("vocalised", &layout, None);
    for (engine, text) in texts {
        let b = excused(&reference, &text, engine, &pdfjs_moved_mark);
        // poppler starts a new word at a zero-width code that lands on the
        // start of the one before it: a mark after a narrow kashida piece
        // («السَّـنَةِ») can still come back split. One word of 109 today.
        let tolerated = if engine == "poppler" { 1 } else { 0 };
        assert!(b.len() <= tolerated, "vocalised: {engine} breaks {} words: {b:?}", b.len());
        if engine == "pdf.js" {
            let bare = |t: &str| t.chars().filter(|c| !is_mark(c)).collect::<String>();
            let b = broken(&bare(&reference), &bare(&text));
            assert!(b.is_empty(), "vocalised: pdf.js loses letters of {} words: {b:?}", b.len());
        }
    }
}

/// The cells of a table row, each a paragraph on one baseline, come back
/// as separate words: pypdf joined the text objects of one line with no
/// space («ساعتبرنامهسخنران»), so each ends with a zero-width space
/// towards its neighbour. (pdf.js still joins them, and moves word-final
/// marks; pypdf reverses times in a right-to-left line: those words are
/// counted, not excused, in the closing figures of the README.)
#[test]
fn table_cells_extract_as_separate_words() {
    let layout = LayoutSource::read(crate_path("layouts/congress-programme.toml")).unwrap();
    let (_, texts) = extract("programme-fa", &layout, None);
    // poppler reads the columns of a table apart (each cell on a line of
    // its own), so the row's order is pypdf's to show.
    // Without pypdf there is nothing to check here (with CI set, `extract`
    // has failed already: see `required`).
    let Some((engine, text)) = texts.iter().find(|(e, _)| *e == "pypdf") else { return };
    let flat = text.replace(['\u{200D}', '\n'], " ");
    let words: Vec<&str> = flat.split_whitespace().collect();
    let header = ["ساعت", "برنامه", "سخنران"];
    assert!(words.windows(3).any(|w| w == header), "{engine}: the header row's cells apart, in order: {text}");
    assert!(words.contains(&"جانباختگان") && words.contains(&"اصغر"), "{engine}: a session and its speaker apart");
}
