//! Print-ready PDF: page boxes and marks, CMYK jobs without RGB, PDF/X
//! metadata and output intent, byte-identical output.

mod common;

use common::*;
use lopdf::{Document, Object};
use nashr::{Engine, Format, RenderOptions};

const MM: f32 = 72.0 / 25.4;

fn render(layout: &str) -> Vec<u8> {
    let engine = Engine::new();
    let doc = engine.load(crate_path(layout)).expect("resolves");
    engine.render(&doc, &RenderOptions::new(Format::Pdf)).expect("renders").bytes
}

fn render_source(source: &nashr::LayoutSource) -> Vec<u8> {
    let engine = Engine::new();
    let doc = engine.load_with(source, None, None).expect("resolves");
    engine.render(&doc, &RenderOptions::new(Format::Pdf)).expect("renders").bytes
}

fn boxes(pdf: &[u8]) -> Vec<[[f32; 4]; 3]> {
    let doc = Document::load_mem(pdf).unwrap();
    let get = |d: &lopdf::Dictionary, k: &[u8]| -> [f32; 4] {
        let a = d.get(k).unwrap().as_array().unwrap();
        [0, 1, 2, 3].map(|i| a[i].as_float().unwrap())
    };
    doc.get_pages()
        .values()
        .map(|id| {
            let p = doc.get_dictionary(*id).unwrap();
            [get(p, b"MediaBox"), get(p, b"BleedBox"), get(p, b"TrimBox")]
        })
        .collect()
}

fn assert_print_boxes(pdf: &[u8], w_mm: f32, h_mm: f32) {
    for [media, bleed, trim] in boxes(pdf) {
        let (tw, th) = (trim[2] - trim[0], trim[3] - trim[1]);
        assert!((tw - w_mm * MM).abs() < 0.05 && (th - h_mm * MM).abs() < 0.05, "trim {tw} × {th}");
        for i in 0..2 {
            assert!((trim[i] - bleed[i] - 3.0 * MM).abs() < 0.05, "bleed 3 mm on the low side");
            assert!((bleed[i + 2] - trim[i + 2] - 3.0 * MM).abs() < 0.05, "bleed 3 mm on the high side");
            assert!(bleed[i] - media[i] > 5.0 * MM && media[i + 2] - bleed[i + 2] > 5.0 * MM, "a slug for the marks");
        }
    }
}

#[test]
fn leaflet_and_poster_have_trim_bleed_and_media_boxes() {
    assert_print_boxes(&render("layouts/invitation-a5.toml"), 148.0, 210.0);
    assert_print_boxes(&render("layouts/invitation-a3-poster.toml"), 297.0, 420.0);
}

/// Every operator of every content stream.
fn content_operators(pdf: &[u8]) -> Vec<String> {
    let doc = Document::load_mem(pdf).unwrap();
    let mut ops = Vec::new();
    for id in doc.get_pages().values() {
        let content = doc.get_page_content(*id);
        for op in lopdf::content::Content::decode(&content).unwrap().operations {
            ops.push(op.operator);
        }
    }
    ops
}

#[test]
fn marks_stay_outside_the_bleed() {
    let pdf = render("layouts/invitation-a5.toml");
    let doc = Document::load_mem(&pdf).unwrap();
    let [_, bleed, _] = boxes(&pdf)[0];
    let page = *doc.get_pages().values().next().unwrap();
    let ops = lopdf::content::Content::decode(&doc.get_page_content(page)).unwrap().operations;
    // The marks are drawn after the artwork's closing Q, in media coordinates.
    let last_q = ops.iter().rposition(|o| o.operator == "Q").unwrap();
    let artwork_end = ops[..last_q].iter().rposition(|o| o.operator == "Q").unwrap();
    let mut points = 0;
    for o in &ops[artwork_end + 1..] {
        if matches!(o.operator.as_str(), "m" | "l" | "re") {
            let x = o.operands[0].as_float().unwrap();
            let y = o.operands[1].as_float().unwrap();
            let inside = x > bleed[0] + 0.01 && x < bleed[2] - 0.01 && y > bleed[1] + 0.01 && y < bleed[3] - 0.01;
            assert!(!inside, "a mark at ({x}, {y}) is inside the bleed box {bleed:?}");
            points += 1;
        }
    }
    assert!(points > 20, "crop marks, registration marks and the colour bar are drawn");
}

#[test]
fn a_cmyk_job_writes_no_rgb() {
    let pdf = render("layouts/invitation-a3-poster.toml");
    let ops = content_operators(&pdf);
    assert!(ops.iter().any(|o| o == "k"), "CMYK fills are used");
    for rgb in ["rg", "RG"] {
        assert!(!ops.iter().any(|o| o == rgb), "no {rgb} operator in a CMYK job");
    }
    let doc = Document::load_mem(&pdf).unwrap();
    for (_, obj) in doc.objects.iter() {
        if let Ok(s) = obj.as_stream()
            && s.dict.get(b"Subtype").ok().and_then(|v| v.as_name().ok()) == Some(b"Image")
        {
            assert_ne!(s.dict.get(b"ColorSpace").unwrap().as_name().unwrap(), b"DeviceRGB");
        }
    }
    assert!(pdf_contains(&pdf, b"/DeviceCMYK"), "the gradient shading is in DeviceCMYK");
    assert!(!pdf_contains(&pdf, b"/DeviceRGB"), "no RGB colour space anywhere");
}

#[test]
fn black_text_in_a_cmyk_job_is_pure_k() {
    let src = "[print]\ncolor_mode = \"cmyk\"\n[page]\nsize = \"A6\"\n[[frame]]\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"سلام\"\n";
    let engine = Engine::new();
    let doc = engine.load_str("k.toml", src).unwrap();
    let pdf = engine.render(&doc, &RenderOptions::new(Format::Pdf)).unwrap().bytes;
    let lo = Document::load_mem(&pdf).unwrap();
    let page = *lo.get_pages().values().next().unwrap();
    let ops = lopdf::content::Content::decode(&lo.get_page_content(page)).unwrap().operations;
    let k = ops.iter().find(|o| o.operator == "k").expect("a CMYK fill for the text");
    let v: Vec<f32> = k.operands.iter().map(|o| o.as_float().unwrap()).collect();
    assert_eq!(v, vec![0.0, 0.0, 0.0, 1.0]);
}

#[test]
fn pdf_x4_declares_itself_with_metadata_and_an_output_intent() {
    let pdf = render("layouts/invitation-a3-poster.toml");
    let doc = Document::load_mem(&pdf).unwrap();
    assert_eq!(doc.version, "1.6");
    let info = doc.get_dictionary(doc.trailer.get(b"Info").unwrap().as_reference().unwrap()).unwrap();
    assert_eq!(info.get(b"GTS_PDFXVersion").unwrap().as_str().unwrap(), b"PDF/X-4");
    assert!(info.get(b"Trapped").is_ok());
    let cat = doc.catalog().unwrap();
    let intents = cat.get(b"OutputIntents").unwrap().as_array().unwrap();
    assert_eq!(intents.len(), 1);
    let intent = intents[0].as_dict().unwrap();
    assert_eq!(intent.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFX");
    assert_eq!(intent.get(b"OutputConditionIdentifier").unwrap().as_str().unwrap(), b"FOGRA39");
    let profile = doc.get_object(intent.get(b"DestOutputProfile").unwrap().as_reference().unwrap()).unwrap();
    let fogra39 = std::fs::read(crate_path("profiles/CoatedFOGRA39.icc")).unwrap();
    assert!(profile.as_stream().unwrap().decompressed_content().unwrap() == fogra39, "the bundled profile, whole");
    assert!(intent.get(b"License").is_err());
    let meta = doc.get_object(cat.get(b"Metadata").unwrap().as_reference().unwrap()).unwrap().as_stream().unwrap();
    let xmp = String::from_utf8_lossy(&meta.content);
    assert!(xmp.contains("<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>"));
    assert!(xmp.contains("<rdf:li>fa</rdf:li>"), "the language");
    assert!(xmp.contains("در کنگره حزب"), "the title");
    // A document that is not PDF/X does not claim to be.
    let plain = render_source(&leaflet_without_pdf_x());
    assert!(!pdf_contains(&plain, b"GTS_PDFXVersion"));
}

/// The bundled FOGRA39 named as the layout's own profile: written from the
/// binary by nashr's file writer (PDF/X-4) and by lopdf's (PDF/X-1a, PDF
/// 1.3), the profile comes out whole either way.
#[test]
fn the_bundled_profile_named_by_a_layout_is_embedded_whole_in_x4_and_x1a() {
    let dir = temp_dir("bundled-profile");
    let fogra39 = std::fs::read(crate_path("profiles/CoatedFOGRA39.icc")).unwrap();
    std::fs::write(dir.join("press.icc"), &fogra39).unwrap();
    for standard in ["x-4", "x-1a"] {
        let layout = dir.join(format!("{standard}.toml"));
        let src = format!(
            "[print]\ncolor_mode = \"cmyk\"\npdf_standard = \"{standard}\"\nicc_profile = \"press.icc\"\n[page]\nsize = \"A6\"\n[[frame]]\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"سلام\"\n"
        );
        std::fs::write(&layout, src).unwrap();
        let pdf = render(layout.to_str().unwrap());
        let doc = Document::load_mem(&pdf).unwrap();
        let intents = doc.catalog().unwrap().get(b"OutputIntents").unwrap().as_array().unwrap().clone();
        let intent = intents[0].as_dict().unwrap();
        let profile = doc.get_object(intent.get(b"DestOutputProfile").unwrap().as_reference().unwrap()).unwrap();
        let profile = profile.as_stream().unwrap();
        assert_eq!(
            profile.dict.get(b"Length").unwrap().as_i64().unwrap() as usize,
            profile.content.len(),
            "{standard}"
        );
        assert!(profile.decompressed_content().unwrap() == fogra39, "{standard}: the profile, whole");
    }
}

#[test]
fn rendering_twice_gives_the_same_bytes() {
    for layout in ["layouts/invitation-a5.toml", "layouts/invitation-a3-poster.toml"] {
        assert!(render(layout) == render(layout), "{layout} renders byte for byte the same");
    }
    // Through the CLI in two processes, with SOURCE_DATE_EPOCH honoured.
    let dir = temp_dir("reproducible");
    let layout = crate_path("layouts/invitation-a3-poster.toml");
    let mut outs = Vec::new();
    for i in 0..2 {
        let out = dir.join(format!("p{i}.pdf"));
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_nashr"))
            .args(["render", layout.to_str().unwrap(), "-o", out.to_str().unwrap()])
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .output()
            .unwrap();
        assert!(o.status.success());
        outs.push(std::fs::read(out).unwrap());
    }
    assert!(outs[0] == outs[1]);
    assert!(pdf_contains(&outs[0], b"2023-11-14T22:13:20Z"), "the XMP date is SOURCE_DATE_EPOCH");
}

#[test]
fn ghostscript_reads_the_print_files() {
    if !require("gs") {
        return;
    }
    let dir = temp_dir("inkcov");
    for layout in ["layouts/invitation-a5.toml", "layouts/invitation-a3-poster.toml"] {
        let pdf = dir.join("f.pdf");
        std::fs::write(&pdf, render(layout)).unwrap();
        let o = std::process::Command::new("gs")
            .args(["-q", "-o", "-", "-sDEVICE=inkcov", "-r36"])
            .arg(&pdf)
            .output()
            .unwrap();
        assert!(o.status.success(), "{layout}: {}", String::from_utf8_lossy(&o.stderr));
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(out.contains("CMYK OK"), "{layout}: {out}");
    }
}

#[test]
fn bad_print_settings_are_errors() {
    for (src, want) in [
        ("[print]\npdf_standard = \"x-1a\"\ncolor_mode = \"rgb\"\n[page]\nsize = \"A6\"\n", "needs color_mode"),
        ("[print]\npdf_standard = \"x-9\"\n[page]\nsize = \"A6\"\n", "x-4"),
        ("[page]\nsize = \"A6\"\nmarks = [\"stars\"]\n", "crop"),
        ("[colors]\nbrand = \"cmyk(0, 200, 0, 0)\"\n[page]\nsize = \"A6\"\n", "percentages"),
        ("[print]\nicc_profile = \"nowhere.icc\"\n[page]\nsize = \"A6\"\n", "ICC profile"),
    ] {
        let e = Engine::new().load_str("p.toml", src).unwrap_err().to_string();
        assert!(e.contains(want), "{src}: {e}");
    }
    let _ = Object::Null;
}

#[test]
fn links_are_clickable_annotations_outside_pdf_x() {
    // The leaflet is PDF/X-4, which allows no annotations: it has none.
    assert!(!pdf_contains(&render("layouts/invitation-a5.toml"), b"/Link"));
    let pdf = render_source(&leaflet_without_pdf_x());
    let doc = Document::load_mem(&pdf).unwrap();
    let mut uris = Vec::new();
    for id in doc.get_pages().values() {
        let page = doc.get_dictionary(*id).unwrap();
        let Ok(annots) = page.get(b"Annots").and_then(|a| a.as_array()) else { continue };
        for a in annots {
            let a = doc.get_dictionary(a.as_reference().unwrap()).unwrap();
            assert_eq!(a.get(b"Subtype").unwrap().as_name().unwrap(), b"Link");
            assert!(a.get(b"F").is_err(), "no Print flag: links are not printed");
            let rect: Vec<f32> =
                a.get(b"Rect").unwrap().as_array().unwrap().iter().map(|v| v.as_float().unwrap()).collect();
            assert!(rect[2] - rect[0] > 20.0 && rect[3] - rect[1] > 5.0, "covers the text: {rect:?}");
            let action = a.get(b"A").unwrap().as_dict().unwrap();
            uris.push(String::from_utf8(action.get(b"URI").unwrap().as_str().unwrap().to_vec()).unwrap());
        }
    }
    uris.sort();
    // The website twice: in the contacts and as the QR code's caption.
    assert_eq!(uris, vec!["https://t.me/wpi_tamas", "https://www.wpiran.org", "https://www.wpiran.org"]);
    // The link markup is not text: extraction still gives the source.
    let engine = Engine::new();
    let doc = engine.load(crate_path("layouts/invitation-a5.toml")).unwrap();
    let out = engine.render(&doc, &RenderOptions::new(Format::Json)).unwrap();
    let text: String = (0..out.scene.pages.len()).flat_map(|p| out.scene.page_paragraphs(p)).collect();
    assert!(text.contains("www.wpiran.org") && !text.contains("](") && !text.contains("https"));
    // PDF/X print files carry no annotations.
    assert!(!pdf_contains(&render("layouts/invitation-a3-poster.toml"), b"/Link"));
}

#[test]
fn the_same_layout_gives_the_same_bytes_with_an_id_from_its_content() {
    let (a, b) = (render("layouts/invitation-a5.toml"), render("layouts/invitation-a5.toml"));
    assert!(a == b, "two renders of one layout are byte for byte the same");
    let doc = lopdf::Document::load_mem(&a).unwrap();
    let ids = doc.trailer.get(b"ID").unwrap().as_array().unwrap();
    let first = ids[0].as_str().unwrap();
    assert_eq!(first.len(), 16);
    assert!(first.iter().any(|&b| b != 0), "the placeholder was filled");
    assert_eq!(ids[0], ids[1]);
    let poster = render("layouts/invitation-a3-poster.toml");
    let poster_id = lopdf::Document::load_mem(&poster).unwrap().trailer.get(b"ID").unwrap().clone();
    assert_ne!(&poster_id, doc.trailer.get(b"ID").unwrap(), "another file, another id");
}
