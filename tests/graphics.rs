//! Graphics for social posts and print, in PDF and PNG: SVG pictures (vector
//! in the PDF, sharp at 600 dpi; hostile SVGs refused), colour emoji (in
//! colour in images, as text in the PDF's text layer), rotated frames
//! (corners where the maths puts them) and text shadows and outlines (the
//! shadow is not text: the words extract once).

mod common;

use common::*;
use nashr::scene::{Item, Scene};
use nashr::{Engine, Format, RenderOptions};
use std::path::{Path, PathBuf};
use tiny_skia::Pixmap;

/// A logo of straight-edged shapes: a black square on a white disc inside
/// a red ring, with a gradient bar and a clip path.
const LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100">
  <defs>
    <linearGradient id="g"><stop offset="0" stop-color="#ff0000"/><stop offset="1" stop-color="#0000ff"/></linearGradient>
    <clipPath id="c"><rect x="0" y="80" width="50" height="20"/></clipPath>
  </defs>
  <rect x="0" y="0" width="100" height="100" fill="#ffffff"/>
  <rect x="20" y="20" width="60" height="50" fill="#000000"/>
  <rect x="0" y="80" width="100" height="20" fill="url(#g)" clip-path="url(#c)"/>
  <circle cx="50" cy="50" r="48" fill="none" stroke="#cc0000" stroke-width="2"/>
</svg>"##;

/// A folder holding `logo.svg` (the given SVG) and `post.toml` (the given layout).
fn project(name: &str, svg: &str, layout: &str) -> PathBuf {
    let dir = temp_dir(name);
    std::fs::write(dir.join("logo.svg"), svg).unwrap();
    std::fs::write(dir.join("post.toml"), layout).unwrap();
    dir
}

/// A page 200 pt square with the logo drawn 144 pt wide (2 in) at (28, 28).
const LOGO_PAGE: &str = "[page]\nwidth = \"200pt\"\nheight = \"200pt\"\n\
    [[frame]]\nname = \"logo\"\nx = \"28pt\"\ny = \"28pt\"\nwidth = \"144pt\"\nheight = \"144pt\"\n\
    image = \"logo.svg\"\nimage_fit = \"contain\"\n";

fn render(path: &Path, format: Format) -> Vec<u8> {
    let engine = Engine::new();
    let doc = engine.load(path).unwrap_or_else(|e| panic!("{e}"));
    engine.render(&doc, &RenderOptions::new(format)).unwrap_or_else(|e| panic!("{e}")).bytes
}

/// Image XObjects of a PDF, not counting soft masks: (width, height) of each.
fn pdf_images(pdf: &[u8]) -> Vec<(i64, i64)> {
    let doc = lopdf::Document::load_mem(pdf).expect("the PDF parses");
    doc.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(|v| v.as_name()).ok() == Some(b"Image".as_slice()))
        // Soft masks (an image's alpha) are images of their own: leave them out.
        .filter(|s| s.dict.get(b"ColorSpace").and_then(|v| v.as_name()).ok() != Some(b"DeviceGray".as_slice()))
        .map(|s| {
            let n = |k: &[u8]| s.dict.get(k).and_then(|v| v.as_i64()).unwrap_or(0);
            (n(b"Width"), n(b"Height"))
        })
        .collect()
}

/// How far the trim box sits inside the media box (the bleed), in points.
fn trim_offset(pdf: &[u8]) -> f32 {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let page = doc.get_object(*doc.get_pages().values().next().unwrap()).unwrap().as_dict().unwrap();
    let trim = page.get(b"TrimBox").unwrap().as_array().unwrap();
    trim[0].as_float().unwrap_or_else(|_| trim[0].as_i64().unwrap() as f32)
}

/// The page's content stream, decompressed.
fn page_content(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let page = *doc.get_pages().values().next().unwrap();
    String::from_utf8_lossy(&doc.get_page_content(page)).into_owned()
}

#[test]
fn an_svg_logo_is_paths_in_the_pdf_and_no_image() {
    let dir = project("svg-vector", LOGO, LOGO_PAGE);
    let pdf = render(&dir.join("post.toml"), Format::Pdf);
    assert!(pdf_images(&pdf).is_empty(), "no image XObject: {:?}", pdf_images(&pdf));
    let content = page_content(&pdf);
    // The square, the ring (curves), the gradient (a shading) and the clip.
    assert!(content.matches(" re").count() + content.matches(" l\n").count() >= 2, "{content}");
    assert!(content.contains(" c\n") && content.contains(" sh") && content.contains("W\nn"), "{content}");
    // Preflight knows it is vector: no resolution warning for a 100 px SVG
    // drawn 2 inches wide (50 "ppi").
    let engine = Engine::new();
    let report = engine.check(&engine.load(dir.join("post.toml")).unwrap());
    assert!(!report.to_string().contains("ppi"), "{report}");
    // In the PNG the logo is drawn too: the square's middle is black.
    let png = Pixmap::decode_png(&render(&dir.join("post.toml"), Format::Png)).unwrap();
    let s = 96.0 / 72.0;
    let px = png.pixel((100.0 * s) as u32, (95.0 * s) as u32).unwrap();
    assert!(px.red() < 20 && px.green() < 20 && px.blue() < 20, "{px:?}");
}

#[test]
fn an_svg_logo_is_sharp_at_600_dpi() {
    if !require("pdftoppm") {
        return;
    }
    let dir = project("svg-sharp", LOGO, LOGO_PAGE);
    let pdf = dir.join("post.pdf");
    std::fs::write(&pdf, render(&dir.join("post.toml"), Format::Pdf)).unwrap();
    // The black square's left edge is at 28 + 0.2 × 144 = 56.8 pt from the
    // trim's left; its middle row at 28 + 0.45 × 144 = 92.8 pt from the
    // top. The trim sits inside the bleed. Render a strip across the edge.
    let bleed = trim_offset(&std::fs::read(&pdf).unwrap());
    let dpi = 600.0;
    let px = |pt: f32| ((pt + bleed) / 72.0 * dpi) as i64;
    let (x0, y0, w) = (px(46.8), px(92.8), px(40.0) - px(0.0));
    let out = dir.join("strip");
    let status = std::process::Command::new("pdftoppm")
        .args(["-r", "600", "-gray", "-x", &x0.to_string(), "-y", &y0.to_string(), "-W", &w.to_string(), "-H", "4"])
        .args(["-singlefile", "-png"])
        .arg(&pdf)
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let strip = Pixmap::load_png(out.with_extension("png")).unwrap();
    let row: Vec<u8> = (0..strip.width()).map(|x| strip.pixel(x, 1).unwrap().red()).collect();
    let dark = row.iter().filter(|&&v| v < 30).count();
    let grey = row.iter().filter(|&&v| (30..225).contains(&v)).count();
    // White, then black past the edge; at most two grey pixels between
    // (a 240 px picture scaled up would blur over a dozen).
    assert!(dark > 50 && row[0] > 225, "{row:?}");
    assert!(grey <= 2, "{grey} grey pixels across the edge: {row:?}");
}

/// The error for a layout whose logo is `svg`.
fn refusal(name: &str, svg: &str) -> String {
    let dir = project(name, svg, LOGO_PAGE);
    let engine = Engine::new();
    engine.load(dir.join("post.toml")).map(|_| ()).expect_err("refused").to_string()
}

#[test]
fn hostile_svgs_are_refused_naming_the_file_the_line_and_the_reason() {
    let huge = r#"<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000"/>"#;
    let e = refusal("svg-huge", huge);
    assert!(e.contains("logo.svg") && e.contains("post.toml:") && e.contains("on a side"), "{e}");
    assert!(e.contains("image = \"logo.svg\""), "the layout line is shown: {e}");
    let external =
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><use href="../../etc/passwd#a"/></svg>"#;
    assert!(refusal("svg-href", external).contains("outside the SVG"));
    let network = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="https://example.org/x.png" width="10" height="10"/></svg>"#;
    let e = refusal("svg-net", network);
    assert!(e.contains("<image>") || e.contains("outside the SVG"), "{e}");
    let deep = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">{}<rect width="1" height="1"/>{}</svg>"#,
        "<g>".repeat(500),
        "</g>".repeat(500)
    );
    assert!(refusal("svg-deep", &deep).contains("nest more than"));
    let text = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text y="9">Hi</text></svg>"#;
    assert!(refusal("svg-text", text).contains("convert the text to paths"));
    let dir = project("svg-gz", "", LOGO_PAGE);
    std::fs::write(dir.join("logo.svg"), [0x1f, 0x8b, 8, 0]).unwrap();
    let e = Engine::new().load(dir.join("post.toml")).map(|_| ()).unwrap_err().to_string();
    assert!(e.contains("compressed"), "{e}");
}

/// A 400 × 200 px page with one paragraph of `text` in `style` (TOML keys).
fn post(text: &str, style: &str) -> String {
    format!(
        "[page]\nwidth = \"400px\"\nheight = \"200px\"\nbackground = \"#ffffff\"\n[styles.body]\nsize = \"48px\"\n{style}\n\
         [[frame]]\nname = \"t\"\nx = \"20px\"\ny = \"40px\"\nwidth = \"360px\"\nheight = \"120px\"\n\
         [[frame.block]]\ntype = \"paragraph\"\nstyle = \"body\"\ntext = \"{text}\"\n"
    )
}

fn scene_of(src: &str) -> Scene {
    let engine = Engine::new();
    engine.layout(&engine.load_str("post.toml", src).unwrap()).unwrap()
}

fn render_str(src: &str, format: Format) -> Vec<u8> {
    let engine = Engine::new();
    let doc = engine.load_str("post.toml", src).unwrap();
    engine.render(&doc, &RenderOptions::new(format)).unwrap().bytes
}

#[test]
fn emoji_are_drawn_in_colour_and_copy_as_their_characters() {
    let src = post("گل 🌷 tulip", "direction = \"rtl\"");
    let scene = scene_of(&src);
    assert!(scene.missing.is_empty(), "{:?}", scene.missing);
    let font = scene.fonts.iter().position(|f| f.family == "Nashr Emoji").expect("the emoji font is used");
    let run = scene.pages[0]
        .items
        .iter()
        .find_map(|i| match i {
            Item::Glyphs(g) if g.font == font => Some(g),
            _ => None,
        })
        .unwrap();
    let bitmap = scene.pages[0].items.iter().find_map(|i| match i {
        Item::Image(im) => Some(im),
        _ => None,
    });
    let bitmap = bitmap.expect("the emoji's bitmap is a picture");
    assert!((bitmap.x - (run.x + run.glyphs[0].x)).abs() < 0.2 * run.size, "over its glyph");
    // Pink petals: some pixels far redder than they are green, in the PNG…
    let png = Pixmap::decode_png(&render_str(&src, Format::Png)).unwrap();
    let s = 96.0 / 72.0;
    let (x0, y0) = ((bitmap.x * s) as u32, (bitmap.y * s) as u32);
    let (w, h) = ((bitmap.width * s) as u32, (bitmap.height * s) as u32);
    let colourful = (x0..x0 + w)
        .flat_map(|x| (y0..y0 + h).map(move |y| (x, y)))
        .filter_map(|(x, y)| png.pixel(x, y))
        .filter(|p| p.red() as i32 - p.green() as i32 > 80)
        .count();
    assert!(colourful > 50, "{colourful} pink pixels");
    // …and in the PDF, the bitmap an image and the text layer the emoji.
    let pdf = render_str(&src, Format::Pdf);
    assert_eq!(pdf_images(&pdf).len(), 1, "one bitmap");
    if require("pdftotext") {
        let text = pdftotext(&pdf, "emoji");
        assert_eq!(text.matches('🌷').count(), 1, "{text}");
    }
}

#[test]
fn emoji_no_font_has_are_reported_as_missing() {
    let scene = scene_of(&post("a 🦄 b", ""));
    assert_eq!(scene.missing.iter().map(|m| m.ch).collect::<Vec<_>>(), vec!['🦄']);
}

fn pdftotext(pdf: &[u8], name: &str) -> String {
    let dir = temp_dir(name);
    let path = dir.join("out.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext").arg(&path).arg("-").output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// A red 200 × 100 pt frame centred at (200, 150) on a white 400 × 300 pt page, turned `angle`.
fn turned(angle: &str) -> String {
    format!(
        "[page]\nwidth = \"400pt\"\nheight = \"300pt\"\nbackground = \"#ffffff\"\n\
         [[frame]]\nname = \"band\"\nx = \"100pt\"\ny = \"100pt\"\nwidth = \"200pt\"\nheight = \"100pt\"\n\
         background = \"#ff0000\"\nrotate = \"{angle}\"\n"
    )
}

#[test]
fn a_rotated_frame_turns_about_its_centre_where_the_maths_says() {
    let scene = scene_of(&turned("30deg"));
    let frame = &scene.pages[0].frames[0];
    assert_eq!(frame.rotate, 30.0);
    // Clockwise on the page (y down): the top-left corner (−100, −50) from
    // the centre goes to (−100 cos 30° + 50 sin 30°, −100 sin 30° − 50 cos 30°).
    let (c, s) = (30f32.to_radians().cos(), 30f32.to_radians().sin());
    let want = (200.0 - 100.0 * c + 50.0 * s, 150.0 - 100.0 * s - 50.0 * c);
    let got = frame.corners()[0];
    assert!((got.0 - want.0).abs() < 0.01 && (got.1 - want.1).abs() < 0.01, "{got:?} vs {want:?}");
    // In the PNG (1 px = 1 pt), just inside each turned corner is red and
    // just outside is white; the unturned corner (100, 100) is white.
    let mut opts = RenderOptions::new(Format::Png);
    opts.scale = Some(0.75); // of 96 dpi: 72 dpi, a pixel a point
    let engine = Engine::new();
    let doc = engine.load_str("band.toml", &turned("30deg")).unwrap();
    let png = Pixmap::decode_png(&engine.render(&doc, &opts).unwrap().bytes).unwrap();
    let red = |(x, y): (f32, f32)| {
        let p = png.pixel(x.round() as u32, y.round() as u32).unwrap();
        p.red() > 200 && p.green() < 60
    };
    for corner in frame.corners() {
        let towards = |k: f32| (corner.0 + (200.0 - corner.0) * k, corner.1 + (150.0 - corner.1) * k);
        assert!(red(towards(0.05)), "inside {corner:?}");
        assert!(!red(towards(-0.05)), "outside {corner:?}");
    }
    assert!(!red((102.0, 102.0)));
    // The PDF turns the same way: rendered by poppler, the same pixels.
    if require("pdftoppm") {
        let dir = temp_dir("turned-pdf");
        let pdf = render_str(&turned("30deg"), Format::Pdf);
        let bleed = trim_offset(&pdf);
        std::fs::write(dir.join("band.pdf"), pdf).unwrap();
        let ok = std::process::Command::new("pdftoppm")
            .args(["-r", "72", "-singlefile", "-png"])
            .arg(dir.join("band.pdf"))
            .arg(dir.join("band"))
            .status()
            .unwrap();
        assert!(ok.success());
        let pdf_png = Pixmap::load_png(dir.join("band.png")).unwrap();
        let red_pdf = |(x, y): (f32, f32)| {
            let p = pdf_png.pixel((x + bleed).round() as u32, (y + bleed).round() as u32).unwrap();
            p.red() > 200 && p.green() < 60
        };
        for corner in frame.corners() {
            let towards = |k: f32| (corner.0 + (200.0 - corner.0) * k, corner.1 + (150.0 - corner.1) * k);
            assert!(red_pdf(towards(0.05)) && !red_pdf(towards(-0.05)), "PDF at {corner:?}");
        }
    }
}

#[test]
fn rotate_takes_degrees_radians_and_turns_and_refuses_nonsense() {
    let quarter = |a: &str| scene_of(&turned(a)).pages[0].frames[0].rotate;
    assert_eq!(quarter("90"), 90.0);
    assert!((quarter("0.25turn") - 90.0).abs() < 1e-3);
    assert!((quarter("1.5707963rad") - 90.0).abs() < 1e-3);
    let engine = Engine::new();
    let e = engine.load_str("band.toml", &turned("9grad")).unwrap_err().to_string();
    assert!(e.contains("band.toml:") && e.contains("deg, rad or turn"), "{e}");
    let e = engine.load_str("band.toml", &turned("720deg")).unwrap_err().to_string();
    assert!(e.contains("±360"), "{e}");
}

#[test]
fn preflight_measures_turned_text_by_its_turned_box() {
    // A frame inside the page whose text, turned 90°, reaches past the top.
    let src = "[page]\nwidth = \"400pt\"\nheight = \"300pt\"\n\
        [[frame]]\nname = \"band\"\nx = \"10pt\"\ny = \"120pt\"\nwidth = \"380pt\"\nheight = \"60pt\"\nrotate = \"90deg\"\n\
        [[frame.block]]\ntype = \"paragraph\"\ntext = \"a long line of text that turns\"\n";
    let engine = Engine::new();
    let report = engine.check(&engine.load_str("band.toml", src).unwrap());
    let text = report.to_string();
    assert!(text.contains("band") && text.contains("trim edge"), "{text}");
    let upright = src.replace("rotate = \"90deg\"\n", "");
    let report = engine.check(&engine.load_str("band.toml", &upright).unwrap());
    assert!(!report.to_string().contains("trim edge"), "{report}");
}

#[test]
fn a_shadowed_line_extracts_once_and_its_shadow_is_drawn() {
    let style =
        "color = \"#ffffff\"\nshadow = { color = \"#000000\", x = \"4px\", y = \"4px\", blur = \"4px\", opacity = 1 }";
    let src = post("سلام shadow", style);
    let pdf = render_str(&src, Format::Pdf);
    if require("pdftotext") {
        let text = pdftotext(&pdf, "shadow");
        assert_eq!(text.matches("shadow").count(), 1, "{text}");
        assert_eq!(text.matches("سلام").count(), 1, "{text}");
    }
    // White text on white: only the shadow shows, dark, in the PNG.
    let png = Pixmap::decode_png(&render_str(&src, Format::Png)).unwrap();
    let dark = png.pixels().iter().filter(|p| p.red() < 100).count();
    assert!(dark > 200, "{dark} shadow pixels");
    let plain = Pixmap::decode_png(&render_str(&post("سلام shadow", "color = \"#ffffff\""), Format::Png)).unwrap();
    assert_eq!(plain.pixels().iter().filter(|p| p.red() < 100).count(), 0);
}

#[test]
fn an_outline_is_stroked_in_png_and_pdf() {
    let style = "color = \"#ffffff\"\noutline = { color = \"#0000ff\", width = \"2pt\" }";
    let src = post("outline", style);
    let pdf = render_str(&src, Format::Pdf);
    let content = page_content(&pdf);
    assert!(content.contains("2 Tr") && content.contains("0 0 1 RG"), "{content}");
    let png = Pixmap::decode_png(&render_str(&src, Format::Png)).unwrap();
    let blue = png.pixels().iter().filter(|p| p.blue() > 200 && p.red() < 60).count();
    assert!(blue > 200, "{blue} outline pixels");
    let engine = Engine::new();
    let e = engine.load_str("post.toml", &post("x", "outline = { color = \"#000\", width = \"50pt\" }")).unwrap_err();
    assert!(e.to_string().contains("at most 20 pt"), "{e}");
}

#[test]
fn the_event_post_logo_is_vector_and_its_bitmaps_are_only_emoji() {
    let pdf = render(&crate_path("layouts/event-post.toml"), Format::Pdf);
    let images = pdf_images(&pdf);
    assert!(!images.is_empty(), "the emoji are bitmaps");
    // Noto Color Emoji's bitmaps are 136 × 128 pixels; nothing else is an image.
    assert!(images.iter().all(|&(w, h)| (w, h) == (136, 128)), "{images:?}");
    if require("pdftotext") {
        let text = pdftotext(&pdf, "event-post");
        assert_eq!(text.matches("جشن نوروز").count(), 1, "the shadowed title once: {text}");
        assert!(text.contains('🌷') && text.contains('📍'), "{text}");
    }
}
