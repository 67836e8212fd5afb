//! Integration tests on the real job: the invitation leaflet, rendered from
//! `layouts/invitation-a5.toml`, checked through the Scene, its JSON and the PDF.

mod common;

use common::*;
use nashr::{Engine, Format, RenderOptions};

fn leaflet() -> nashr::Rendered {
    let engine = Engine::new();
    let doc = engine.load(crate_path("layouts/invitation-a5.toml")).expect("the leaflet resolves");
    engine.render(&doc, &RenderOptions::new(Format::Pdf)).expect("the leaflet renders")
}

/// All paragraphs of a scene in reading order.
fn scene_text(scene: &nashr::Scene) -> String {
    (0..scene.pages.len()).flat_map(|p| scene.page_paragraphs(p)).collect::<Vec<_>>().join("\n")
}

#[test]
fn leaflet_has_two_a5_pages_and_no_missing_glyphs() {
    let out = leaflet();
    assert_eq!(out.scene.pages.len(), 2);
    for p in &out.scene.pages {
        assert!((p.width - 419.53).abs() < 0.05 && (p.height - 595.28).abs() < 0.05, "A5 is 148 × 210 mm");
    }
    assert!(out.scene.missing.is_empty(), "{:?}", out.scene.missing);
}

/// The source types the Telegram handle in reverse (`wpi_tamas@`) so that it
/// looks right in software without bidi isolation; the Persian locale has
/// the handle that exists, `@wpi_tamas` (`nashr normalize` puts it right).
fn handle_put_right(source: &str) -> String {
    source.replace("wpi_tamas@", "@wpi_tamas")
}

/// What the leaflet says, in reading order: the source with the handle put
/// right, the date card (the date and its note, from the locale) after the
/// headline, and the QR code's caption (the address it points to) after
/// the contacts; all through the normaliser, as the layout asks
/// (`normalize = true`: zero-width non-joiners in «خانواده‌های» and the like).
fn leaflet_text(source: &str) -> String {
    let source = handle_put_right(source);
    let (headline, rest) = source.trim_start().split_once('\n').unwrap();
    let card = "۱۲ تا ۱۴ آذر\nکنگره دوازدهم حزب، بصورت آنلاین";
    let text = format!("{headline}\n{card}\n{rest}\nwww.wpiran.org");
    nashr::lang::normalize::normalize(&text).0
}

#[test]
fn leaflet_scene_holds_the_whole_source_text_in_order() {
    let source = invitation_source();
    let out = leaflet();
    assert_eq!(fold(&scene_text(&out.scene)), fold(&leaflet_text(&source)));
}

#[test]
fn leaflet_json_scene_holds_the_source_text() {
    let source = invitation_source();
    let dir = temp_dir("json");
    let json_path = dir.join("leaflet.json");
    let o = nashr(&[
        "render",
        crate_path("layouts/invitation-a5.toml").to_str().unwrap(),
        "-o",
        json_path.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    // Rebuild each paragraph from the glyphs' cluster texts.
    let mut paragraphs: Vec<(u64, Vec<(u64, String)>)> = Vec::new();
    for page in v["pages"].as_array().unwrap() {
        for item in page["items"].as_array().unwrap() {
            if item["kind"] != "glyphs" {
                continue;
            }
            let p = item["paragraph"].as_u64().unwrap();
            if paragraphs.last().is_none_or(|(q, _)| *q != p) {
                paragraphs.push((p, Vec::new()));
            }
            let entry = &mut paragraphs.last_mut().unwrap().1;
            for g in item["glyphs"].as_array().unwrap() {
                entry.push((g["cluster"].as_u64().unwrap(), g["text"].as_str().unwrap().to_string()));
            }
        }
    }
    let text: String = paragraphs
        .into_iter()
        .map(|(_, mut g)| {
            g.sort_by_key(|(c, _)| *c);
            g.into_iter().map(|(_, t)| t).collect::<String>()
        })
        .collect();
    assert_eq!(fold(&text), fold(&leaflet_text(&source)));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn leaflet_pdf_embeds_subset_fonts_with_tounicode() {
    let out = leaflet();
    let pdf = &out.bytes;
    assert!(pdf.starts_with(b"%PDF-"));
    let doc = lopdf::Document::load_mem(pdf).expect("lopdf reads the PDF");
    let mut fonts = 0;
    for (_, obj) in doc.objects.iter() {
        let Ok(d) = obj.as_dict() else { continue };
        if d.get(b"Subtype").ok().and_then(|s| s.as_name().ok()) == Some(b"Type0") {
            fonts += 1;
            let base = d.get(b"BaseFont").unwrap().as_name().unwrap();
            assert_eq!(base[6], b'+', "subset tag on {}", String::from_utf8_lossy(base));
            assert!(d.get(b"ToUnicode").is_ok());
        }
        if let Ok(Some(len)) = d.get(b"Length1").map(|l| l.as_i64().ok()) {
            assert!(len < 60_000, "font program is subset, {len} bytes");
        }
    }
    // Font programs carry no glyph names: `post` is version 3.0.
    let mut programs = 0;
    for obj in doc.objects.values() {
        let Ok(s) = obj.as_stream() else { continue };
        if s.dict.get(b"Length1").is_err() {
            continue;
        }
        let program = s.decompressed_content().expect("the font program inflates");
        let face = ttf_parser::RawFace::parse(&program, 0).expect("a TrueType program");
        let post = face.table(ttf_parser::Tag::from_bytes(b"post")).expect("a post table");
        assert_eq!(post[0..4], [0, 3, 0, 0], "post 3.0, {} bytes", post.len());
        programs += 1;
    }
    assert_eq!(programs, fonts);
    assert!(fonts >= 3, "regular, bold and black at least");
    // PDF/X-4: the output intent's ICC profile (FOGRA39, about 550 kB) comes on top.
    let profile: usize = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"N").ok().and_then(|n| n.as_i64().ok()) == Some(4))
        .map(|s| s.content.len())
        .sum();
    assert!(profile > 100_000, "an embedded output profile");
    // Besides the profile, the two pages with four subset faces, a QR code
    // and the structure tree are 39.5 KB.
    assert!(pdf.len() - profile < 41_000, "the leaflet is {} bytes besides its profile", pdf.len() - profile);
    // Codes shown side by side are one string in a `TJ` array, not a string each.
    let page = doc.get_pages()[&1];
    let content = String::from_utf8_lossy(&doc.get_page_content(page)).into_owned();
    assert!(!content.contains("><"), "no two hex strings in a row");
    assert!(content.contains("> TJ") || content.contains(">] TJ"));
}

/// The leaflet as the print shop gets it: CMYK, PDF/X-4, the date on page 1
/// at 18 pt or more, and on the last page a QR code of at least 20 mm
/// (without its quiet zone) in the contact box.
#[test]
fn leaflet_is_a_cmyk_pdf_x4_with_a_date_card_and_a_qr_code_in_its_contact_box() {
    use nashr::scene::{ColorMode, Item, PdfStandard};
    let engine = Engine::new();
    for locale in ["fa", "en", "de", "sv", "ckb"] {
        let source = nashr::LayoutSource::read(crate_path("layouts/invitation-a5.toml")).unwrap();
        let loc = engine.locale(crate_path(&format!("locales/{locale}.toml"))).unwrap();
        let scene = engine.layout(&engine.load_with(&source, Some(&loc), None).unwrap()).unwrap();
        assert_eq!(scene.pages.len(), 2, "{locale}: two pages");
        assert_eq!(scene.print.color_mode, ColorMode::Cmyk);
        assert_eq!(scene.print.standard, Some(PdfStandard::X4));
        let in_frame = |page: usize, name: &str, o: nashr::scene::Origin| {
            o.frame.is_some_and(|f| scene.pages[page].frames[f].name == name)
        };
        let date = scene.pages[0].items.iter().filter_map(|i| match i {
            Item::Glyphs(g) if in_frame(0, "date-card", g.origin) => Some(g.size),
            _ => None,
        });
        assert!(date.fold(0.0, f32::max) >= 18.0, "{locale}: the date is 18 pt or more");
        let modules: Vec<_> = scene.pages[1]
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Rect(r) if in_frame(1, "contact-qr", r.origin) && r.origin.block.is_some() => Some(r),
                _ => None,
            })
            .collect();
        let (light, dark) = modules.split_first().expect("a QR code in the contact box");
        let x0 = dark.iter().map(|r| r.x).fold(f32::INFINITY, f32::min);
        let x1 = dark.iter().map(|r| r.x + r.width).fold(0.0, f32::max);
        let mm = (x1 - x0) / (72.0 / 25.4);
        assert!(mm >= 20.0, "{locale}: the code is {mm:.1} mm");
        // The last row of dark runs is exactly one module tall.
        let module = dark.iter().map(|r| r.height).fold(f32::INFINITY, f32::min);
        assert!(x0 - light.x >= 4.0 * module - 0.01, "{locale}: a 4-module quiet zone");
    }
}
