//! PDF export: a [`Scene`] to PDF bytes with printpdf, fonts embedded as
//! subsets, and every glyph mapped back to its source text.
//!
//! printpdf writes the document and pages and holds the graphics states and
//! shadings; content is written as raw operators through printpdf's
//! `Op::Unknown`, and fonts and pictures are added as objects to printpdf's
//! `lopdf` document, because printpdf 0.12 without its `text_layout` feature
//! embeds whole fonts and keeps one ToUnicode string per glyph id (see the
//! README, "PDF text"), and re-encodes pictures instead of embedding a JPEG
//! as it is.
//!
//! How text stays extractable in logical order:
//! - codes are allocated per (glyph, text, width), not per glyph, so one
//!   glyph may carry different text in different places (a ZWNJ and a space
//!   share the space glyph; a typed tatweel is text, an inserted one is not);
//! - a glyph whose cluster has one character maps to that character;
//! - a glyph whose cluster has several characters («لا», «fi») is drawn inside
//!   an empty `/ActualText` span, and the characters are written as invisible
//!   zero-ink "ghost" codes laid side by side over the cluster in visual
//!   order, so every extractor sees one character per position and reads
//!   them back in the right order in both directions;
//! - glyphs with no text (list markers, inserted kashidas, the second glyph
//!   of a cluster) are drawn inside an empty `/ActualText` span.
//!
//! This module knows nothing of TOML, styles or bidi: it draws the Scene.

mod graphics;
mod text;

use crate::scene::{Item, Scene};
use lopdf::ObjectId;
use printpdf::{Mm, PdfDocument, PdfPage, PdfSaveOptions};
use text::FontCodes;

/// Errors while writing a PDF.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("cannot subset font {font}: {reason}")]
    Subset { font: String, reason: String },
    #[error("cannot write the PDF: {0}")]
    Write(String),
    #[error("font {font} needs more than 65535 distinct glyph codes in one document; split the document")]
    TooManyCodes { font: String },
}

/// Render a scene to PDF bytes.
///
/// ```
/// # let src = "[page]\nsize = \"A6\"\n[[frame]]\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"سلام\"\n";
/// # let doc = nashr::model::parse(src, std::path::Path::new("x.toml")).unwrap();
/// let scene = nashr::layout::layout(&doc).unwrap();
/// let pdf = nashr::export::pdf::to_pdf(&scene).unwrap();
/// assert!(pdf.starts_with(b"%PDF-"));
/// ```
pub fn to_pdf(scene: &Scene) -> Result<Vec<u8>, PdfError> {
    let mut doc = PdfDocument::new(&scene.meta.title);
    let mut codes: Vec<FontCodes> = scene.fonts.iter().map(|_| FontCodes::default()).collect();
    let blank: Vec<u16> = scene.fonts.iter().map(text::blank_glyph).collect();
    let mut res = graphics::Resources::default();
    let mut pages = Vec::with_capacity(scene.pages.len());
    for page in &scene.pages {
        let h = page.height;
        let mut ops = Vec::new();
        for item in &page.items {
            match item {
                Item::Rect(r) => graphics::draw_rect(&mut ops, r, h, &mut res, &mut doc),
                Item::Line(l) => graphics::draw_line(&mut ops, l, h),
                Item::Image(i) => graphics::draw_image(&mut ops, i, h, &mut res, &mut doc),
                Item::Glyphs(run) => {
                    let f = run.font;
                    text::write_run(&mut ops, run, &scene.fonts[f], &mut codes[f], blank[f], h);
                }
            }
        }
        let mm = crate::model::values::PT_PER_MM;
        pages.push(PdfPage::new(Mm(page.width / mm), Mm(h / mm), ops));
    }

    doc.metadata.info.author = scene.meta.author.clone();
    doc.metadata.info.subject = scene.meta.subject.clone();
    doc.metadata.info.creator = format!("nashr {}", env!("CARGO_PKG_VERSION"));
    doc.metadata.info.producer = format!("nashr {} (printpdf)", env!("CARGO_PKG_VERSION"));
    doc.with_pages(pages);
    let opts = PdfSaveOptions { optimize: false, subset_fonts: false, secure: false, image_optimization: None };
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&opts, &mut warnings);

    let mut font_refs: Vec<(String, ObjectId)> = Vec::new();
    for (i, font) in scene.fonts.iter().enumerate() {
        if codes[i].keys.is_empty() {
            continue;
        }
        if codes[i].overflowed {
            return Err(PdfError::TooManyCodes { font: font.postscript_name.clone() });
        }
        let id = text::embed_font(&mut lo, font, &codes[i])?;
        font_refs.push((text::font_resource_name(i), id));
    }
    text::add_fonts_to_pages(&mut lo, &font_refs);
    graphics::embed_images(&mut lo, &scene.images, &res.images);
    if !scene.meta.language.is_empty() {
        text::set_catalog_language(&mut lo, &scene.meta.language);
    }
    lo.compress();
    let mut out = Vec::new();
    lo.save_to(&mut out).map_err(|e| PdfError::Write(e.to_string()))?;
    Ok(out)
}
