//! Tables, checked on the Scene and in PDF and PNG: the congress programme's
//! table flows onto page 2 with its header row drawn again there (and read
//! once), a right-to-left table's first column is on the right and a
//! left-to-right one's on the left, spans take the room of the cells they
//! cover, poppler extracts the cells row by row in reading order, the tagged
//! PDF has `Table`/`TR`/`TH`/`TD`, rows are never cut (an error naming the
//! row, or shrunk with `fit = "shrink"`), and mistakes in a table as
//! written are errors with their line and column.

mod common;

use common::*;
use lopdf::Object;
use nashr::scene::{GlyphRun, Item, Role, Scene};
use nashr::{Engine, Format, LayoutSource, RenderOptions};

/// A page with one frame (`frame` holds its keys) holding `table` (the
/// table block's keys), in `language`.
fn source(language: &str, frame: &str, table: &str) -> String {
    format!(
        "[meta]\nlanguage = \"{language}\"\n[page]\nsize = \"A5\"\nmargin = \"12mm\"\n[styles.body]\nsize = \"10pt\"\n\
         [[frame]]\n{frame}\n[[frame.block]]\ntype = \"table\"\n{table}\n"
    )
}

fn scene_of(src: &str) -> Result<Scene, String> {
    let engine = Engine::new();
    let doc = engine.load_str("t.toml", src).map_err(|e| e.to_string())?;
    engine.layout(&doc).map_err(|e| e.to_string())
}

fn programme(locale: &str) -> (Scene, Vec<u8>) {
    let engine = Engine::new();
    let locale = engine.locale(crate_path(&format!("locales/{locale}.toml"))).unwrap();
    let source = LayoutSource::read(crate_path("layouts/congress-programme.toml")).unwrap();
    let doc = engine.load_with(&source, Some(&locale), None).unwrap();
    let out = engine.render(&doc, &RenderOptions::new(Format::Pdf)).unwrap();
    (out.scene, out.bytes)
}

/// The locale's string `key`.
fn string(locale: &str, key: &str) -> String {
    let engine = Engine::new();
    let l = engine.locale(crate_path(&format!("locales/{locale}.toml"))).unwrap();
    l.strings[key].clone()
}

/// The runs on page `page` whose paragraph's text is `text`.
fn runs_of<'s>(scene: &'s Scene, page: usize, text: &str) -> Vec<&'s GlyphRun> {
    let paragraphs: Vec<usize> = (0..scene.pages.len())
        .flat_map(|p| scene.paragraphs_on(p))
        .filter(|(_, t)| t.trim() == text)
        .map(|(p, _)| p)
        .collect();
    scene.pages[page]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Glyphs(g) if paragraphs.contains(&g.paragraph) => Some(g),
            _ => None,
        })
        .collect()
}

/// The left edge of a run's glyphs.
fn left(run: &GlyphRun) -> f32 {
    run.x + run.glyphs.first().map_or(0.0, |g| g.x)
}

#[test]
fn the_programme_flows_onto_page_two_with_its_header_drawn_again_and_read_once() {
    for locale in ["fa", "en"] {
        let (scene, _) = programme(locale);
        assert_eq!(scene.pages.len(), 2, "{locale}: two pages");
        let header = string(locale, "programme_speaker");
        let first = runs_of(&scene, 0, &header);
        let again = runs_of(&scene, 1, &header);
        assert!(!first.is_empty() && first.iter().all(|r| !r.repeated), "{locale}: the header on page 1 is read");
        assert!(!again.is_empty() && again.iter().all(|r| r.repeated), "{locale}: page 2 draws it again, marked");
        // It heads the table on page 2: above every other run of the frame the table flows into.
        let frame = scene.pages[1].frames.iter().position(|f| f.name == "programme-2").unwrap();
        let top = scene.pages[1]
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Glyphs(g) if g.origin.frame == Some(frame) && !g.repeated => Some(g.y),
                _ => None,
            })
            .fold(f32::MAX, f32::min);
        assert!(again.iter().all(|r| r.y < top), "{locale}: the repeated header is above the rows");
        // The table goes on on page 2 and the header is read once.
        let rest = string(locale, "programme_internationale");
        assert!(scene.page_paragraphs(1).iter().any(|p| p.trim() == rest), "{locale}: the last row is on page 2");
        assert!(!scene.page_paragraphs(1).iter().any(|p| p.trim() == header), "{locale}: read on page 1 only");
        // A table's fills are no QR code, and nothing else is amiss for print.
        let report = Engine::new().check_scene(&scene);
        assert!(report.findings.is_empty(), "{locale}: {report}");
        let cells = scene.paragraphs.iter().filter(|p| p.role == Role::Cell).count();
        // 3 header cells, 3 day rows of one cell, 14 sessions of 3 less the one a rowspan covers.
        assert_eq!(cells, 47, "{locale}: every cell is a paragraph of its own");
    }
}

const GRID: &str = "columns = [\"25mm\", \"1fr\", \"auto\"]\nheader = 1\n\
    rows = [[\"ساعت\", \"برنامه\", \"سخنران\"], [\"یک\", \"گشایش\", \"هیئت\"], [{ text = \"دو\", colspan = 2 }, \"مهمانان\"]]";

#[test]
fn a_right_to_left_table_starts_at_the_right_and_a_left_to_right_one_at_the_left() {
    let rtl = scene_of(&source("fa", "", GRID)).unwrap();
    let x = |s: &Scene, t: &str| left(runs_of(s, 0, t)[0]);
    assert!(x(&rtl, "ساعت") > x(&rtl, "برنامه") && x(&rtl, "برنامه") > x(&rtl, "سخنران"), "first column on the right");
    let ltr = scene_of(&source("fa", "", &format!("direction = \"ltr\"\n{GRID}"))).unwrap();
    assert!(x(&ltr, "ساعت") < x(&ltr, "برنامه") && x(&ltr, "برنامه") < x(&ltr, "سخنران"), "first column on the left");
    // A left-to-right locale moves the programme's first column to the left.
    for (locale, rtl) in [("fa", true), ("en", false)] {
        let (scene, _) = programme(locale);
        let at = |key: &str| left(runs_of(&scene, 0, &string(locale, key))[0]);
        let (time, session, speaker) = (at("programme_time"), at("programme_session"), at("programme_speaker"));
        assert_eq!((time > session, session > speaker), (rtl, rtl), "{locale}: {time} {session} {speaker}");
    }
    // The spanning cell starts where its first column does (start-aligned text).
    let frame = rtl.pages[0].frames[0].content;
    let edge = |s: &Scene, t: &str| {
        let r = runs_of(s, 0, t)[0];
        r.x + r.glyphs.iter().map(|g| g.x + g.advance).fold(0.0, f32::max)
    };
    assert!((edge(&rtl, "دو") - edge(&rtl, "یک")).abs() < 0.5, "the span starts at column 1's start");
    assert!(edge(&rtl, "دو") < frame.x + frame.width, "inside the frame");
    // PDF and PNG both draw it.
    let engine = Engine::new();
    let doc = engine.load_str("t.toml", &source("fa", "", GRID)).unwrap();
    for f in [Format::Pdf, Format::Png] {
        assert!(!engine.render(&doc, &RenderOptions::new(f)).unwrap().bytes.is_empty());
    }
}

#[test]
fn the_cells_of_a_row_share_its_height_and_an_auto_column_fits_its_text() {
    let scene = scene_of(&source("en", "", "columns = [\"auto\", \"1fr\"]\nrows = [[\"Time\", \"A session whose title is long enough to take more than one line in the narrow column that is left over here, and then some more words\"], [\"Later\", \"Short\"]]")).unwrap();
    let y = |t: &str| runs_of(&scene, 0, t).iter().map(|r| r.y).fold(f32::MAX, f32::min);
    assert!((y("Time") - y("Later")).abs() > 30.0, "the long cell makes its row taller");
    // The auto column is as wide as its widest cell's text: "Later" and "Time" on one line each.
    assert_eq!(
        runs_of(&scene, 0, "Later").iter().map(|r| r.y.to_bits()).collect::<std::collections::BTreeSet<_>>().len(),
        1
    );
    let session = runs_of(&scene, 0, "Short")[0];
    assert!(left(session) - left(runs_of(&scene, 0, "Later")[0]) < 60.0, "the auto column is narrow");
}

#[test]
fn poppler_reads_the_programme_row_by_row_in_reading_order() {
    if !require("pdftotext") {
        return;
    }
    let dir = temp_dir("table-extract");
    for locale in ["fa", "en"] {
        let (_, pdf) = programme(locale);
        let path = dir.join(format!("programme-{locale}.pdf"));
        std::fs::write(&path, &pdf).unwrap();
        let o = std::process::Command::new("pdftotext")
            .args(["-enc", "UTF-8", path.to_str().unwrap(), "-"])
            .output()
            .unwrap();
        assert!(o.status.success());
        let clean = |s: &str| {
            fold(s)
                .chars()
                .filter(|c| !matches!(c, '\u{200c}' | '\u{200d}' | '\u{2066}'..='\u{2069}'))
                .collect::<String>()
        };
        let text = clean(&String::from_utf8(o.stdout).unwrap());
        // Rows in order, and in each row the cells from the first column on.
        let keys = [
            "programme_time",
            "programme_session",
            "programme_speaker",
            "programme_day_1",
            "programme_opening",
            "signature_name",
            "programme_agenda",
            "programme_by_delegates",
            "programme_political_report",
            "programme_by_cc",
            "programme_day_2",
            "programme_organisational_report",
            "programme_by_ec",
            "programme_resolutions",
            "programme_by_presidium",
            "programme_voices",
            "programme_day_3",
            "programme_prisoners",
            "programme_by_presidium",
            "programme_election",
            "programme_by_delegates",
            "programme_closing",
            "signature_name",
            "programme_internationale",
            "programme_by_all",
        ];
        let mut at = 0;
        for key in keys {
            let want = clean(&string(locale, key));
            let found = text[at..].find(&want);
            assert!(
                found.is_some(),
                "{locale}: «{want}» ({key}) comes after what came before it, in:\n{}",
                &text[at..]
            );
            at += found.unwrap() + want.len();
        }
    }
}

#[test]
fn the_tagged_pdf_has_a_table_of_rows_of_header_and_data_cells() {
    let (_, pdf) = programme("fa");
    let lo = lopdf::Document::load_mem(&pdf).unwrap();
    let mut kinds: Vec<String> = Vec::new();
    let mut spans = 0;
    for (_, obj) in lo.objects.iter() {
        let Ok(d) = obj.as_dict() else { continue };
        if d.get(b"Type").and_then(Object::as_name).ok() != Some(b"StructElem".as_slice()) {
            continue;
        }
        let s = String::from_utf8_lossy(d.get(b"S").unwrap().as_name().unwrap()).into_owned();
        if let Ok(a) = d.get(b"A").and_then(Object::as_dict)
            && (a.has(b"ColSpan") || a.has(b"RowSpan"))
        {
            spans += 1;
        }
        kinds.push(s);
    }
    let count = |k: &str| kinds.iter().filter(|s| *s == k).count();
    assert_eq!(count("Table"), 1, "{kinds:?}");
    assert_eq!(count("TH"), 3, "three header cells, once though drawn twice");
    assert_eq!(count("TR"), 18, "{kinds:?}");
    assert_eq!(count("TD"), 44, "{kinds:?}");
    assert_eq!(spans, 4, "three days span the table's width, one speaker two rows");
    // The header drawn again on page 2 is an artifact.
    let mut doc = lo.clone();
    doc.decompress();
    let page2 = *doc.get_pages().get(&2).unwrap();
    let content = String::from_utf8_lossy(&doc.get_page_content(page2)).into_owned();
    assert!(!content.contains("/TH"), "no header cell is marked as content on page 2");
}

#[test]
fn a_row_taller_than_its_frame_is_an_error_naming_it_or_is_shrunk() {
    let long = "کلمه ".repeat(400);
    let table = format!("columns = [\"1fr\"]\nrows = [[\"کوتاه\"], [\"{long}\"]]");
    let e = scene_of(&source("fa", "height = \"60mm\"\nfit = \"flow\"", &table)).unwrap_err();
    assert!(e.contains("too short") && e.contains("table row 2"), "{e}");
    let shrunk = scene_of(&source("fa", "height = \"60mm\"\nfit = \"shrink\"\nmin_size = \"2pt\"", &table)).unwrap();
    let size = shrunk.pages[0].items.iter().find_map(|i| match i {
        Item::Glyphs(g) => Some(g.size),
        _ => None,
    });
    assert!(size.is_some_and(|s| s < 10.0), "shrunk: {size:?}");
    assert_eq!(shrunk.pages.len(), 1);
}

#[test]
fn mistakes_in_a_table_are_errors_at_their_place() {
    let load = |table: &str| Engine::new().load_str("t.toml", &source("fa", "", table)).unwrap_err().to_string();
    // Lines: 1 [meta], 2 language, 3 [page], 4 size, 5 margin, 6 [styles.body], 7 size,
    // 8 [[frame]], 9 (frame keys), 10 [[frame.block]], 11 type, 12 on: the table's keys.
    let e = load("columns = [\"20mm\", \"1fr\"]\nrows = [[\"a\", { text = \"b\", colspan = 2 }]]");
    assert!(e.contains("t.toml:13:") && e.contains("past the table's 2 columns"), "{e}");
    let e = load("columns = [\"20mm\", \"1fr\"]\nrows = [[{ text = \"a\", rowspan = 3 }, \"b\"], [\"c\"]]");
    assert!(e.contains("t.toml:13:") && e.contains("`rowspan` must be from 1 to 2"), "{e}");
    let e = load("columns = [\"20mm\", \"1fr\"]\nrows = [[\"a\", \"b\"], [{ text = \"c\", rowspan = 2 }, \"d\"]]");
    assert!(e.contains("t.toml:13:") && e.contains("past the table's last row"), "{e}");
    let e = load("columns = [\"20mm\", \"1fr\"]\nrows = [[\"a\", \"b\", \"c\"]]");
    assert!(e.contains("t.toml:13:") && e.contains("more cells than"), "{e}");
    let e = load("columns = [\"20mm\", \"2qq\"]\nrows = [[\"a\", \"b\"]]");
    assert!(e.contains("t.toml:12:") && e.contains("column width"), "{e}");
    let e = load("columns = [\"20mm\", \"0fr\"]\nrows = [[\"a\", \"b\"]]");
    assert!(e.contains("t.toml:12:") && e.contains("share"), "{e}");
    let e = load("columns = [\"20mm\", \"1fr\"]\nalign = [\"start\"]\nrows = [[\"a\", \"b\"]]");
    assert!(e.contains("t.toml:13:") && e.contains("one per column"), "{e}");
    let e = load("columns = [\"20mm\", \"1fr\"]\nvalign = [\"top\", \"middle\", \"bottom\"]\nrows = [[\"a\", \"b\"]]");
    assert!(e.contains("t.toml:13:") && e.contains("`valign` lists 3 values"), "{e}");
    let e = load("columns = [\"20mm\", \"1fr\"]\nrows = [[{ text = \"a\", colour = \"red\" }, \"b\"]]");
    assert!(e.contains("t.toml:13:") && e.contains("colour"), "{e}");
    let e = load("columns = [\"20mm\", \"1fr\"]\nheader = 1\nrows = [[{ text = \"a\", rowspan = 2 }, \"x\"], [\"b\"]]");
    assert!(e.contains("into the body"), "{e}");
    // A table wider than its frame, even with its auto columns as narrow as they go.
    let wide = scene_of(&source("fa", "", "columns = [\"100mm\", \"auto\"]\nrows = [[\"a\", \"بسیارطولانی‌ترینکلمه\"]]"));
    assert!(wide.unwrap_err().contains("needs"), "too wide");
    // Cells are budgeted.
    let mut limits = nashr::Limits::default();
    limits.set("table-cells", "3").unwrap();
    let e = Engine::new()
        .with_limits(limits)
        .load_str("t.toml", &source("fa", "", "columns = [\"1fr\", \"1fr\"]\nrows = [[\"a\", \"b\"], [\"c\", \"d\"]]"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("t.toml:13:") && e.contains("`table-cells`"), "{e}");
}
