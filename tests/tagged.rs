//! Tagged PDF: the leaflet's structure tree has its headline as a heading,
//! the eight addressees as list items with labels and bodies, the body as
//! paragraphs, the language on the catalog, and every other mark on the
//! page as an artifact; `tagged = false` leaves it all out.

mod common;

use common::*;
use lopdf::{Document, Object};
use nashr::{Engine, Format, LayoutSource, RenderOptions};

fn pdf_of(source: &LayoutSource) -> Vec<u8> {
    let engine = Engine::new();
    let doc = engine.load_with(source, None, None).unwrap();
    engine.render(&doc, &RenderOptions::new(Format::Pdf)).unwrap().bytes
}

/// The structure element types in the document, depth first, in order.
fn structure(lo: &Document) -> Vec<String> {
    fn walk(lo: &Document, obj: &Object, out: &mut Vec<String>) {
        let Ok(id) = obj.as_reference() else { return };
        let Ok(d) = lo.get_dictionary(id) else { return };
        if let Ok(s) = d.get(b"S").and_then(Object::as_name) {
            out.push(String::from_utf8_lossy(s).into_owned());
        }
        match d.get(b"K") {
            Ok(Object::Array(kids)) => kids.iter().for_each(|k| walk(lo, k, out)),
            Ok(k @ Object::Reference(_)) => walk(lo, k, out),
            _ => {}
        }
    }
    let catalog = lo.catalog().unwrap();
    let mut out = Vec::new();
    if let Ok(root) = catalog.get(b"StructTreeRoot").and_then(Object::as_reference) {
        walk(lo, lo.get_dictionary(root).unwrap().get(b"K").unwrap(), &mut out);
    }
    out
}

#[test]
fn the_leaflet_is_tagged_with_headings_lists_and_paragraphs() {
    // Without PDF/X, which allows no link annotations.
    let bytes = pdf_of(&leaflet_without_pdf_x());
    let lo = Document::load_mem(&bytes).unwrap();
    let catalog = lo.catalog().unwrap();
    let marked = catalog.get(b"MarkInfo").and_then(Object::as_dict).unwrap().get(b"Marked").unwrap();
    assert_eq!(marked, &Object::Boolean(true));
    assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"fa");
    let s = structure(&lo);
    assert_eq!(s[0], "Document");
    assert_eq!(s[1], "H1", "the headline first: {s:?}");
    let count = |t: &str| s.iter().filter(|x| *x == t).count();
    assert_eq!(count("L"), 1);
    assert_eq!(count("LI"), 8, "eight addressees");
    assert_eq!(count("Lbl"), 8);
    assert_eq!(count("LBody"), 8);
    assert!(count("P") >= 5, "{s:?}");
    assert_eq!(count("Link"), 2, "the site and the handle link, with their annotations: {s:?}");
    let annots = lo.objects.values().filter(|o| {
        o.as_dict().is_ok_and(|d| d.get(b"Subtype").ok().and_then(|s| s.as_name().ok()) == Some(b"Link".as_slice()))
    });
    for a in annots {
        let d = a.as_dict().unwrap();
        assert!(d.get(b"StructParent").is_ok() && d.get(b"Contents").is_ok(), "a tagged, described annotation");
    }
    // Each page says where its marked content's parents are, and the
    // content stream marks the text and leaves the rest as artifacts.
    for (_, id) in lo.get_pages() {
        let page = lo.get_dictionary(id).unwrap();
        assert!(page.get(b"StructParents").is_ok());
        let content = String::from_utf8_lossy(&lo.get_page_content(id)).into_owned();
        assert!(content.contains("/Artifact BMC") && content.contains("/MCID"), "marked content on every page");
    }
    // The address and the handle, Latin text in a Persian leaflet, say so.
    let all: String =
        lo.get_pages().values().map(|&id| String::from_utf8_lossy(&lo.get_page_content(id)).into_owned()).collect();
    assert!(all.contains("/Lang(en)"), "Latin spans carry their language");
    // The metadata declares PDF/UA-1.
    let meta = catalog.get(b"Metadata").and_then(Object::as_reference).unwrap();
    let xmp = String::from_utf8_lossy(&lo.get_object(meta).unwrap().as_stream().unwrap().content).into_owned();
    assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"), "{xmp}");
    if require("pdfinfo") {
        let dir = temp_dir("tagged");
        let path = dir.join("leaflet.pdf");
        std::fs::write(&path, &bytes).unwrap();
        let o = std::process::Command::new("pdfinfo").arg(&path).output().unwrap();
        assert!(String::from_utf8_lossy(&o.stdout).contains("Tagged:          yes"));
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[test]
fn the_poster_is_pdf_x_and_tagged_at_once() {
    let bytes = pdf_of(&LayoutSource::read(crate_path("layouts/invitation-a3-poster.toml")).unwrap());
    let lo = Document::load_mem(&bytes).unwrap();
    let catalog = lo.catalog().unwrap();
    assert!(catalog.get(b"OutputIntents").is_ok(), "PDF/X output intent");
    assert!(catalog.get(b"StructTreeRoot").is_ok(), "and a structure tree");
    let meta = catalog.get(b"Metadata").and_then(Object::as_reference).unwrap();
    let xmp = String::from_utf8_lossy(&lo.get_object(meta).unwrap().as_stream().unwrap().content).into_owned();
    assert!(xmp.contains("GTS_PDFXVersion") && xmp.contains("pdfuaid:part"), "both identifiers");
}

#[test]
fn tagging_can_be_turned_off() {
    let src = "[meta]\ntagged = false\n[page]\nsize = \"A6\"\n[[frame]]\n[[frame.block]]\ntype = \"heading\"\ntext = \"سلام\"\n";
    let bytes = pdf_of(&LayoutSource::new("plain.toml", src));
    let lo = Document::load_mem(&bytes).unwrap();
    assert!(lo.catalog().unwrap().get(b"StructTreeRoot").is_err());
    assert!(structure(&lo).is_empty());
    let tagged = pdf_of(&LayoutSource::new("tagged.toml", src.replace("tagged = false\n", "")));
    assert_eq!(structure(&Document::load_mem(&tagged).unwrap()), ["Document", "H1"]);
}

#[test]
fn a_qr_code_is_a_figure_that_says_its_address() {
    let bytes = pdf_of(&LayoutSource::read(crate_path("layouts/invitation-square.toml")).unwrap());
    let lo = Document::load_mem(&bytes).unwrap();
    assert!(structure(&lo).iter().any(|s| s == "Figure"), "{:?}", structure(&lo));
    let alt = lo.objects.values().find_map(|o| {
        let d = o.as_dict().ok()?;
        (d.get(b"S").ok()?.as_name().ok()? == b"Figure").then(|| d.get(b"Alt").ok().cloned()).flatten()
    });
    let Some(Object::String(bytes, _)) = alt else { panic!("the figure has alternative text") };
    let units: Vec<u16> = bytes[2..].chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
    assert_eq!(String::from_utf16(&units).unwrap(), "https://www.wpiran.org");
    // A layout's own text for a QR code replaces the address.
    let src = "[page]\nsize = \"A6\"\n[[frame]]\n[[frame.block]]\ntype = \"qr\"\ndata = \"https://x.org\"\nalt = \"the congress site\"\n";
    let lo = Document::load_mem(&pdf_of(&LayoutSource::new("qr.toml", src))).unwrap();
    assert_eq!(structure(&lo), ["Document", "Figure"]);
}

#[test]
fn frames_are_read_in_their_order() {
    // The heading frame is drawn second but read first (`order = 0`); the
    // other two keep their layout order (1 and 3).
    let src = "fonts = [\"../fonts/Vazirmatn-Regular.ttf\"]\n\
        [meta]\nlanguage = \"en\"\ntitle = \"Order\"\n[page]\nsize = \"A6\"\nmargin = \"10mm\"\n\
        [styles.body]\nfont = \"Vazirmatn\"\nsize = \"10pt\"\n\
        [[frame]]\ny = \"60mm\"\nheight = \"20mm\"\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"Body first in the layout.\"\n\
        [[frame]]\norder = 0\ny = \"10mm\"\nheight = \"20mm\"\n[[frame.block]]\ntype = \"heading\"\ntext = \"Heading\"\n\
        [[frame]]\ny = \"100mm\"\nheight = \"20mm\"\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"Last words.\"\n";
    let bytes = pdf_of(&LayoutSource::new(crate_path("layouts/order.toml"), src.to_string()));
    let lo = Document::load_mem(&bytes).unwrap();
    assert_eq!(structure(&lo), ["Document", "H1", "P", "P"]);
    // Without the key, layout order: the paragraph comes first.
    let plain = pdf_of(&LayoutSource::new(crate_path("layouts/order.toml"), src.replace("order = 0\n", "")));
    assert_eq!(structure(&Document::load_mem(&plain).unwrap()), ["Document", "P", "H1", "P"]);
}

#[test]
fn a_frame_order_out_of_range_is_an_error_with_its_place() {
    let src = "[page]\nsize = \"A6\"\n[[frame]]\norder = 99999\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"x\"\n";
    let err = Engine::new().load_str("order.toml", src).unwrap_err().to_string();
    assert!(err.contains("order") && err.contains("order.toml:4"), "{err}");
}
