//! Design elements through the model, the Scene and the PDF: gradients,
//! rounded and stroked frames, opacity, pictures (and their errors) and QR
//! codes.

mod common;

use common::*;
use nashr::scene::{Item, Paint, Scene};
use nashr::{Document, Engine, Error, Format, RenderOptions};
use std::path::Path;

/// Resolve a layout held in a string, named `name` in messages.
fn parse(src: &str, name: &str) -> Result<Document, Error> {
    Engine::new().load_str(name, src)
}

/// Lay out a resolved layout.
fn lay_out(doc: &Document) -> Scene {
    Engine::new().layout(doc).expect("the layout fits")
}

/// The PDF of a scene.
fn pdf_of(scene: &Scene) -> Vec<u8> {
    Engine::new().export(scene, &RenderOptions::new(Format::Pdf)).expect("the PDF is written")
}

fn write_png(path: &Path, w: u32, h: u32, alpha: bool) {
    let mut out = Vec::new();
    {
        let mut e = png::Encoder::new(&mut out, w, h);
        e.set_color(png::ColorType::Rgba);
        e.set_depth(png::BitDepth::Eight);
        let mut px = Vec::with_capacity((w * h * 4) as usize);
        for y in 0..h {
            for x in 0..w {
                px.extend_from_slice(&[
                    (x * 255 / w) as u8,
                    (y * 255 / h) as u8,
                    90,
                    if alpha && x < w / 2 { 128 } else { 255 },
                ]);
            }
        }
        e.write_header().unwrap().write_image_data(&px).unwrap();
    }
    std::fs::write(path, out).unwrap();
}

fn source_error(e: Error) -> nashr::SourceError {
    match e {
        Error::Source(s) => *s,
        other => panic!("expected a source error, got {other}"),
    }
}

#[test]
fn gradient_page_background_runs_along_the_css_angle() {
    let src =
        "[page]\nsize = \"instagram-square\"\nbackground = { gradient = [\"#ff0000\", \"#0000ff\"], angle = 90 }\n";
    let doc = parse(src, "g.toml").unwrap();
    let scene = lay_out(&doc);
    assert_eq!((scene.pages[0].width, scene.pages[0].height), (810.0, 810.0), "1080 px = 810 pt");
    let Item::Rect(r) = &scene.pages[0].items[0] else { panic!("background first") };
    let Some(Paint::Linear { x1, y1, x2, y2, stops }) = &r.fill else { panic!("a gradient") };
    // 90°: left to right across the page, at mid height.
    assert!((x1 - 0.0).abs() < 0.01 && (x2 - 810.0).abs() < 0.01, "{x1} → {x2}");
    assert!((y1 - 405.0).abs() < 0.01 && (y2 - 405.0).abs() < 0.01);
    assert_eq!(stops.len(), 2);
    let pdf = pdf_of(&scene);
    // Resource dictionaries are written uncompressed.
    assert!(pdf_contains(&pdf, b"/ShadingType 2"), "the gradient is an axial shading in the PDF");
}

#[test]
fn bad_fill_values_are_errors_with_positions() {
    let e =
        source_error(parse("[page]\nsize = \"A6\"\nbackground = { gradient = [\"#fff\"] }\n", "f.toml").unwrap_err());
    assert_eq!(e.line, 3);
    assert!(e.message.contains("two colours"), "{}", e.message);
    let e = source_error(parse("[page]\nsize = \"A6\"\nbackground = 12\n", "f.toml").unwrap_err());
    assert!(e.message.contains("gradient"), "{}", e.message);
}

#[test]
fn rounded_bordered_translucent_frame() {
    let src = "[page]\nsize = \"A6\"\n[[frame]]\nx = 20\ny = 20\nwidth = 100\nheight = 60\nbackground = \"#ffcc00\"\nborder_color = \"#333333\"\nborder_width = 2\nradius = 12\nopacity = 0.5\n";
    let doc = parse(src, "r.toml").unwrap();
    let scene = lay_out(&doc);
    // The fill first, the border drawn over it (and over any picture).
    let [Item::Rect(fill), Item::Rect(border)] = &scene.pages[0].items[..] else { panic!("fill then border") };
    assert_eq!((fill.radius, fill.opacity), (12.0, 0.5));
    assert!(fill.fill.is_some() && fill.stroke.is_none());
    assert_eq!((border.radius, border.stroke.map(|s| s.width)), (12.0, Some(2.0)));
    assert!(border.fill.is_none());
    let pdf = pdf_of(&scene);
    assert!(
        pdf_contains(&pdf, b"/ca 0.5") && pdf_contains(&pdf, b"/CA 0.5"),
        "an ExtGState with fill and stroke alpha 0.5"
    );
}

#[test]
fn a_picture_used_on_many_pages_is_embedded_once() {
    let dir = temp_dir("picture-once");
    write_png(&dir.join("logo.png"), 40, 20, true);
    let mut src = String::from("[page]\nsize = \"A6\"\npages = 3\n");
    for page in 1..=3 {
        src.push_str(&format!(
            "[[frame]]\npage = {page}\nheight = \"30mm\"\nimage = \"logo.png\"\nimage_fit = \"contain\"\n[[frame.block]]\ntype = \"image\"\npath = \"logo.png\"\nheight = \"10mm\"\nfit = \"cover\"\n"
        ));
    }
    let layout = dir.join("p.toml");
    std::fs::write(&layout, &src).unwrap();
    let doc = Engine::new().load(&layout).unwrap();
    let scene = lay_out(&doc);
    assert_eq!(scene.images.len(), 1, "the picture is read and stored once");
    let drawn = scene.pages.iter().flat_map(|p| &p.items).filter(|i| matches!(i, Item::Image(_))).count();
    assert_eq!(drawn, 6);
    let pdf = pdf_of(&scene);
    let lo = lopdf::Document::load_mem(&pdf).unwrap();
    let images = lo
        .objects
        .values()
        .filter(|o| {
            o.as_stream().is_ok_and(|s| {
                s.dict.get(b"Subtype").ok().and_then(|v| v.as_name().ok()) == Some(b"Image")
                    && s.dict.get(b"ColorSpace").ok().and_then(|v| v.as_name().ok()) == Some(b"DeviceRGB")
            })
        })
        .count();
    assert_eq!(images, 1, "one RGB image XObject (plus its soft mask) for six uses");
}

#[test]
fn missing_and_corrupt_pictures_name_the_file_and_the_frame() {
    let dir = temp_dir("picture-errors");
    std::fs::write(dir.join("broken.png"), b"\x89PNG\r\n\x1a\nthis is not a png").unwrap();
    // A picture block names its frame too.
    let layout = dir.join("b.toml");
    std::fs::write(&layout, "[page]\nsize = \"A6\"\n[[frame]]\nname = \"side\"\n[[frame.block]]\ntype = \"image\"\npath = \"nowhere.png\"\n").unwrap();
    let e = source_error(Engine::new().load(&layout).unwrap_err());
    assert!(e.message.contains("frame \"side\"") && e.message.contains("nowhere.png"), "{}", e.message);
    for (file, want) in [("nowhere.png", "cannot read picture"), ("broken.png", "not a PNG or JPEG")] {
        let layout = dir.join("e.toml");
        std::fs::write(&layout, format!("[page]\nsize = \"A6\"\n[[frame]]\nname = \"logo\"\nimage = \"{file}\"\n"))
            .unwrap();
        let e = source_error(Engine::new().load(&layout).unwrap_err());
        assert!(
            e.message.contains(want) && e.message.contains(file) && e.message.contains("frame \"logo\""),
            "{}",
            e.message
        );
        assert_eq!(e.line, 5);
    }
}

#[test]
fn qr_code_is_drawn_as_vector_squares_matching_the_code() {
    let src = "[page]\nsize = \"A6\"\n[[frame]]\n[[frame.block]]\ntype = \"qr\"\ndata = \"https://www.wpiran.org\"\nsize = \"40mm\"\n";
    let doc = parse(src, "q.toml").unwrap();
    let scene = lay_out(&doc);
    let rects: Vec<_> =
        scene.pages[0].items.iter().filter_map(|i| if let Item::Rect(r) = i { Some(r) } else { None }).collect();
    let light = rects[0];
    assert!((light.width - 40.0 * 72.0 / 25.4).abs() < 0.01, "the light square is the requested size");
    // Rebuild the module grid from the dark squares and compare with the code.
    let code = qrcode::QrCode::with_error_correction_level(b"https://www.wpiran.org", qrcode::EcLevel::M).unwrap();
    let n = code.width();
    let m = light.width / (n as f32 + 8.0);
    let mut grid = vec![false; n * n];
    for r in &rects[1..] {
        let row = ((r.y - light.y) / m - 4.0).round() as usize;
        let c0 = ((r.x - light.x) / m - 4.0).round() as usize;
        let c1 = ((r.x + r.width - light.x) / m - 4.0).round() as usize;
        for c in c0..c1 {
            grid[row * n + c] = true;
        }
    }
    let want: Vec<bool> = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
    assert_eq!(grid, want);
    let e = source_error(parse(&src.replace("https://www.wpiran.org", ""), "q.toml").unwrap_err());
    assert!(e.message.contains("needs some text"), "{}", e.message);
}

#[test]
fn social_presets_have_exact_pixel_sizes() {
    for (name, w, h) in [
        ("instagram-square", 1080.0, 1080.0),
        ("instagram-portrait", 1080.0, 1350.0),
        ("story", 1080.0, 1920.0),
        ("link-preview", 1200.0, 630.0),
        ("x-landscape", 1600.0, 900.0),
    ] {
        let scene = lay_out(&parse(&format!("[page]\nsize = \"{name}\"\n"), "s.toml").unwrap());
        let page = &scene.pages[0];
        assert_eq!((page.width / 0.75, page.height / 0.75), (w, h), "{name}");
    }
    let e = source_error(parse("[page]\nsize = \"instagram\"\n", "s.toml").unwrap_err());
    assert!(e.message.contains("instagram-square"), "{}", e.message);
}

#[test]
fn story_text_stays_out_of_the_safe_zones() {
    let engine = Engine::new();
    let doc = engine.load(crate_path("layouts/invitation-story.toml")).unwrap();
    let out = engine.render(&doc, &RenderOptions::new(Format::Json)).unwrap();
    let page = &out.scene.pages[0];
    assert_eq!((page.width / 0.75, page.height / 0.75), (1080.0, 1920.0));
    for item in &page.items {
        if let Item::Glyphs(g) = item {
            let size_px = g.size / 0.75;
            let (top, bottom) = ((g.y - g.size) / 0.75, (g.y + g.size * 0.4) / 0.75);
            assert!(top >= 250.0 && bottom <= 1920.0 - 250.0, "text at {top:.0}–{bottom:.0} px ({size_px:.0} px type)");
        }
    }
}

#[test]
fn every_item_says_which_frame_and_block_it_came_from() {
    let src = r##"
[page]
size = "A6"
background = "#eeeeee"
[[frame]]
name = "a"
height = "20mm"
[[frame.block]]
type = "paragraph"
text = "سلام"
[[frame]]
name = "b"
y = "40mm"
height = "60mm"
background = "#ffcc00"
padding = "2mm"
[[frame.block]]
type = "paragraph"
text = "یک دو"
[[frame.block]]
type = "rule"
[[frame.block]]
type = "spacer"
height = "2mm"
[[frame.block]]
type = "paragraph"
text = "سه"
[[frame.block]]
type = "list"
items = ["چهار", "پنج"]
[[frame.block]]
type = "qr"
data = "nashr"
size = "10mm"
"##;
    let doc = parse(src, "o.toml").unwrap();
    let scene = lay_out(&doc);
    assert_eq!(scene.format, nashr::scene::SCENE_FORMAT);
    let page = &scene.pages[0];
    let names: Vec<&str> = page.frames.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["a", "b"]);
    let b = 1;
    // The frame as placed, and its content box inside the 2 mm padding.
    let fb = &page.frames[b];
    assert!((fb.rect.y - 40.0 * 72.0 / 25.4).abs() < 0.01, "{:?}", fb.rect);
    assert!((fb.content.x - fb.rect.x - 2.0 * 72.0 / 25.4).abs() < 0.01, "{:?}", fb.content);

    // The page background comes from no frame; frame b's background from b, no block.
    assert_eq!(page.items[0].origin(), nashr::scene::Origin { frame: None, block: None, figure: None });
    let Item::Rect(bg) = &page.items[0] else { panic!("the page background first") };
    assert_eq!(bg.fill, Some(Paint::Solid(nashr::Rgb::parse("#eeeeee").unwrap())));
    let decoration: Vec<&Item> =
        page.items.iter().filter(|i| i.origin().frame.is_some() && i.origin().block.is_none()).collect();
    assert!(matches!(decoration[..], [Item::Rect(_)]), "only frame b's background");
    assert_eq!(decoration[0].origin().frame, Some(b));
    // Everything else has a frame and a block.
    assert!(page.items[1..].iter().all(|i| i.origin().frame.is_some()));

    // Each block's glyph runs say so: the text of the runs of frame b, by block.
    let paragraphs: std::collections::HashMap<usize, String> = scene.paragraphs_on(0).into_iter().collect();
    let text_of = |frame: usize, block: usize| {
        let mut ps: Vec<usize> = page
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Glyphs(g) if g.origin.frame == Some(frame) && g.origin.block == Some(block) => Some(g.paragraph),
                _ => None,
            })
            .collect();
        ps.dedup();
        ps.iter().map(|p| paragraphs[p].clone()).collect::<Vec<_>>()
    };
    assert_eq!(text_of(0, 0), ["سلام"]);
    assert_eq!(text_of(b, 0), ["یک دو"]);
    assert_eq!(text_of(b, 3), ["سه"]);
    assert_eq!(text_of(b, 4), ["چهار", "پنج"], "list items and their markers are block 4");
    for block in [1, 2, 5] {
        assert!(text_of(b, block).is_empty(), "block {block} has no text");
    }
    let markers = page
        .items
        .iter()
        .filter(
            |i| matches!(i, Item::Glyphs(g) if g.origin.block == Some(4) && g.glyphs.iter().all(|g| g.text.is_empty())),
        )
        .count();
    assert_eq!(markers, 2, "one marker run per list item");
    // Rule and QR squares.
    let line = page.items.iter().find(|i| matches!(i, Item::Line(_))).unwrap();
    assert_eq!(line.origin(), nashr::scene::Origin { frame: Some(b), block: Some(1), figure: None });
    let squares = page.items.iter().filter(|i| i.origin().block == Some(5)).count();
    assert!(
        squares > 20 && page.items.iter().filter(|i| i.origin().block == Some(5)).all(|i| matches!(i, Item::Rect(_)))
    );

    // The JSON says which format it is, first, and carries the provenance.
    let json = Engine::new().export(&scene, &RenderOptions::new(Format::Json)).unwrap();
    let json = String::from_utf8(json).unwrap();
    assert!(json.starts_with("{\n  \"format\": 1,"), "{}", &json[..40]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["pages"][0]["frames"][1]["name"], "b");
    assert_eq!(v["pages"][0]["items"][0]["origin"], serde_json::json!({ "frame": null, "block": null }));
    let glyphs_b = v["pages"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "glyphs" && i["origin"]["frame"] == 1)
        .count();
    assert!(glyphs_b >= 4, "{glyphs_b} glyph runs of frame b");
}

#[test]
fn a_flowing_frame_is_listed_on_every_page_it_reaches() {
    let text = "کلمه ".repeat(400);
    let src = format!(
        "[page]\nsize = \"A6\"\n[[frame]]\nname = \"first\"\nheight = \"30mm\"\nfit = \"flow\"\nnext = \"second\"\n\
         [[frame.block]]\ntype = \"rule\"\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"{text}\"\n\
         [[frame]]\nname = \"second\"\ny = \"60mm\"\nheight = \"30mm\"\nfit = \"flow\"\n"
    );
    let doc = parse(&src, "f.toml").unwrap();
    let scene = lay_out(&doc);
    assert!(scene.pages.len() > 2, "the text needs more pages");
    let names: Vec<&str> = scene.pages[0].frames.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["first", "second"], "the frame and the frame it flows into");
    for (i, page) in scene.pages.iter().enumerate().skip(1) {
        let names: Vec<&str> = page.frames.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["second"], "page {}", i + 1);
    }
    for page in &scene.pages {
        for item in &page.items {
            let o = item.origin();
            let expect = if matches!(item, Item::Line(_)) { 0 } else { 1 };
            assert_eq!(o.block, Some(expect), "the paragraph keeps its block index in every frame it reaches");
            let frame = &page.frames[o.frame.unwrap()];
            let (fy, y) = match item {
                Item::Glyphs(g) => (frame.rect.y, g.y),
                Item::Line(l) => (frame.rect.y, l.y1),
                _ => unreachable!(),
            };
            assert!(y >= fy && y <= fy + frame.rect.height, "the item lies in the frame it names");
        }
    }
}
