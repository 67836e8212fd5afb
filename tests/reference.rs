//! Reference-image tests: the social layouts rendered to PNG and compared
//! with checked-in images under `tests/reference/`, with a tolerance; the
//! difference ×4 is written to `target/raster-diff/` when they drift.
//!
//! After an intended change of look, look at the new renders and bless them:
//! `NASHR_BLESS=1 cargo test --test reference`.

mod common;

use common::image::*;
use common::*;
use nashr::{Engine, Format, RenderOptions};
use tiny_skia::Pixmap;

/// Half size keeps the checked-in images small while still catching a moved
/// line, a lost glyph or a changed colour.
const SCALE: f32 = 0.5;

const LIMITS: Limits = Limits { mean: 0.6, tile: 6.0, far: 0.002 };

/// Render a layout file as `opts` say.
fn render(layout: &str, opts: &RenderOptions) -> nashr::Rendered {
    let engine = Engine::new();
    let doc = engine.load(crate_path(layout)).expect("resolves");
    engine.render(&doc, opts).expect("renders")
}

fn check(layout: &str, name: &str, size: (u32, u32)) {
    let mut opts = RenderOptions::new(Format::Png);
    opts.scale = Some(SCALE);
    let out = render(layout, &opts);
    let actual = Pixmap::decode_png(&out.bytes).expect("a PNG");
    assert_eq!((actual.width(), actual.height()), size, "{name}: pixel size");
    let reference = crate_path(&format!("tests/reference/{name}.png"));
    if std::env::var_os("NASHR_BLESS").is_some() {
        std::fs::create_dir_all(reference.parent().unwrap()).unwrap();
        std::fs::write(&reference, &out.bytes).unwrap();
        eprintln!("blessed {}", reference.display());
        return;
    }
    let expected = Pixmap::load_png(&reference).unwrap_or_else(|e| {
        panic!("{}: {e}; create it with NASHR_BLESS=1 after looking at the render", reference.display())
    });
    assert_eq!((expected.width(), expected.height()), size, "{name}: reference size");
    assert_similar(&actual, &expected, LIMITS, name);
}

#[test]
fn square_post_matches_its_reference() {
    check("layouts/invitation-square.toml", "invitation-square", (540, 540));
}

#[test]
fn story_matches_its_reference() {
    check("layouts/invitation-story.toml", "invitation-story", (540, 960));
}

#[test]
fn portrait_post_matches_its_reference() {
    check("layouts/invitation-portrait.toml", "invitation-portrait", (540, 675));
}

#[test]
fn link_preview_matches_its_reference() {
    check("layouts/invitation-link-preview.toml", "invitation-link-preview", (600, 315));
}

/// The Nowruz post: an SVG logo, colour emoji, a ribbon turned across the
/// corner and a title with a soft shadow.
#[test]
fn event_post_matches_its_reference() {
    check("layouts/event-post.toml", "event-post", (540, 540));
}

/// The congress programme's first page (Persian): the band, the call in
/// two columns and the table, its header row filled, days spanning it.
#[test]
fn congress_programme_matches_its_reference() {
    check("layouts/congress-programme.toml", "congress-programme", (397, 561));
}

/// The QR code on the square post scans back to the website.
#[test]
fn square_post_qr_code_scans() {
    let out = render("layouts/invitation-square.toml", &RenderOptions::new(Format::Png));
    let img = Pixmap::decode_png(&out.bytes).expect("a PNG");
    let luma = |x: usize, y: usize| {
        let p = img.pixel(x as u32, y as u32).expect("inside");
        ((p.red() as u32 * 3 + p.green() as u32 * 6 + p.blue() as u32) / 10) as u8
    };
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(img.width() as usize, img.height() as usize, luma);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code found");
    let (_, content) = grids[0].decode().expect("it decodes");
    assert_eq!(content, "https://www.wpiran.org");
}

/// The poetry night: two couplets set the classical way (hemistichs side
/// by side, stretched to one width), a gold span, two columns.
#[test]
fn poetry_night_matches_its_reference() {
    check("layouts/poetry-night.toml", "poetry-night", (397, 561));
}
