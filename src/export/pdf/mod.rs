//! PDF export: a [`Scene`] to PDF bytes with printpdf, fonts embedded as
//! subsets, and every glyph mapped back to its source text.
//!
//! printpdf writes the document and pages and holds the graphics states and
//! shadings; each page's content stream is written straight to bytes
//! (`content::Content`) and set on its page, and fonts and pictures are
//! added as objects to printpdf's
//! `lopdf` document, because printpdf 0.12 without its `text_layout` feature
//! embeds whole fonts and keeps one ToUnicode string per glyph id (see the
//! README, "PDF text"), and re-encodes pictures instead of embedding a JPEG
//! as it is.
//!
//! How text stays extractable in logical order, measured with poppler
//! (pdftotext, Evince), pdfium (Chrome), pdf.js (Firefox), pypdf and mupdf
//! (`../shared/tools/extract-matrix`; the README has the figures). Every
//! engine but mupdf turns a right-to-left line written in visual order back
//! into logical order by reversing it character by character, but they
//! differ in what they treat as a unit, so every code carries at most one
//! right-to-left character:
//! - glyphs are written in visual order, each mapped (ToUnicode) to the text
//!   of its cluster;
//! - codes are allocated per (glyph, text, width), not per glyph, so one
//!   glyph may carry different text in different places (a ZWNJ and a space
//!   share the space glyph; a typed tatweel is text, an inserted one is not);
//! - a right-to-left glyph standing for several letters («لا») is cut into
//!   one code per letter: the glyph carries the leftmost letter over its
//!   part of the advance, blank glyphs the others (pypdf keeps a
//!   multi-character code as it is, the others reverse it);
//! - a letter with marks («بِ», «دُّ») is its letter's glyph cut the same way,
//!   each mark on a zero-width blank code just before its letter, since
//!   pdf.js gives any code holding a mark no width; the mark glyphs are drawn
//!   after the line in a separate text object, as an artifact that extracts
//!   as nothing. A cluster that does not advance (the alef of a lam-alef drawn
//!   as two glyphs) joins its logical predecessor. pdf.js still splits a
//!   word that ends in a mark: it reads the space before the word only at
//!   the first letter after the mark;
//! - a cluster of several advancing glyphs for several characters (rare) is
//!   drawn as no text, its characters written as invisible codes side by
//!   side over it in visual order;
//! - an inserted kashida maps to a zero width joiner: invisible, and the
//!   word stays whole (an unmapped glyph would show its raw code in pdf.js
//!   and pypdf, and a missing one would leave a gap that splits the word);
//! - a number in Persian or Arabic-Indic digits is carried whole by its
//!   first digit (the others map to zero width joiners), since pypdf
//!   reverses digits with the rest of a right-to-left line;
//! - glyphs that are not text (list markers, a drawn hyphen) sit in an empty
//!   `/ActualText` span and map to a zero width joiner;
//! - the runs of one line share one text object and one pen, the runs of one
//!   paragraph on a line one marked-content sequence, and `Tf` is written
//!   only when the font changes: pdf.js reorders each marked-content
//!   sequence on its own and pypdf each piece between two `Tf`;
//! - poppler wraps every number inside right-to-left text in LRE…PDF, so a
//!   number with a suffix written onto it («٥ی») comes back with controls
//!   inside the word; no encoding avoids it.
//!
//! This module knows nothing of TOML, styles or bidi: it draws the Scene.

mod content;
pub(super) mod deflate;
mod file;
mod graphics;
mod marks;
mod sfnt;
mod standard;
mod svg;
mod tags;
mod text;

use crate::base::ColorMode;
use crate::scene::{Item, Scene};
use content::Content;
use lopdf::ObjectId;
use printpdf::{Mm, PdfDocument, PdfPage, PdfSaveOptions, Pt, Rect};
use text::{FontCodes, real};

/// Errors while writing a PDF.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PdfError {
    /// A font could not be cut down to the glyphs the document uses.
    #[error("cannot subset font {font}: {reason}")]
    Subset {
        /// The font's PostScript name.
        font: String,
        /// What the subsetter said.
        reason: String,
    },
    /// The PDF writer failed.
    #[error("cannot write the PDF: {0}")]
    Write(String),
    /// One font is used with more distinct glyph, text and width
    /// combinations than a two-byte PDF font encoding can number.
    #[error("font {font} needs more than 65535 distinct glyph codes in one document; split the document")]
    TooManyCodes {
        /// The font's PostScript name.
        font: String,
    },
}

/// Render a scene to PDF bytes, its streams deflated as `compression` asks.
pub fn to_pdf(scene: &Scene, compression: crate::Compression) -> Result<Vec<u8>, PdfError> {
    let level = deflate::level(compression);
    let mut doc = PdfDocument::new(&scene.meta.title);
    let mut codes: Vec<FontCodes> = scene.fonts.iter().map(|_| FontCodes::default()).collect();
    let blank: Vec<u16> = scene.fonts.iter().map(text::blank_glyph).collect();
    let print = &scene.print;
    let mut res = graphics::Resources::default();
    res.cmyk = print.color_mode == ColorMode::Cmyk;
    let boxes = PageBoxes::new(print);
    let mut pages = Vec::with_capacity(scene.pages.len());
    let mut links: Vec<Vec<Link>> = Vec::with_capacity(scene.pages.len());
    let tagged = scene.meta.tagged;
    let mut page_tags: Vec<tags::PageTags> = Vec::with_capacity(scene.pages.len());
    // Each page's content stream.
    let mut contents: Vec<Vec<u8>> = Vec::with_capacity(scene.pages.len());
    for page in &scene.pages {
        let mut tags = tags::PageTags::default();
        links.push(page_links(page, boxes.offset));
        let h = page.height;
        // The trim sits `offset` inside the media box; the Scene is drawn
        // in trim coordinates.
        let mut ops = Content::default();
        ops.op("q", &[]);
        ops.op("cm", &[1.0, 0.0, 0.0, 1.0, boxes.offset, boxes.offset].map(real));
        // The runs of one line share a text object, so extractors that
        // read a right-to-left line in content order see it whole.
        let line_of = |i: usize| match page.items.get(i) {
            Some(Item::Glyphs(g)) => Some((g.paragraph, g.y.to_bits())),
            _ => None,
        };
        // Runs of one line and one paragraph share a marked-content sequence.
        let joins = |a: usize, b: usize| match (page.items.get(a), page.items.get(b)) {
            (Some(Item::Glyphs(x)), Some(Item::Glyphs(y))) => {
                line_of(a) == line_of(b) && tags::same_sequence(scene, x, y)
            }
            _ => false,
        };
        let mut sequence: Option<tags::RunTag> = None;
        // Drawing that follows a line's text object (see `text::write_run`).
        let mut late = Content::default();
        let mut pen: text::Pen = None;
        let figure_of = |i: usize| page.items.get(i).and_then(|it| it.origin().figure);
        // The rotated frame whose items are being drawn, inside `q cm … Q`.
        let mut turned: Option<usize> = None;
        for (i, item) in page.items.iter().enumerate() {
            let frame = item.origin().frame.filter(|_| page.transform_of(item.origin()).is_some());
            if frame != turned {
                if turned.is_some() {
                    ops.op("Q", &[]);
                }
                if let Some(m) = page.transform_of(item.origin()) {
                    ops.op("q", &[]);
                    ops.op("cm", &turn_operands(m, h));
                }
                turned = frame;
            }
            // A figure's drawing is one marked-content sequence; everything
            // else but text is an artifact to a screen reader.
            let figure = if tagged { figure_of(i) } else { None };
            let artifact = tagged && figure.is_none() && !matches!(item, Item::Glyphs(_));
            if artifact {
                ops.op("BMC", &[printpdf::DictItem::Name(b"Artifact".to_vec())]);
            }
            if let Some(f) = figure
                && (i == 0 || figure_of(i - 1) != Some(f))
            {
                let mcid = tags.figure(f);
                let mut props = std::collections::BTreeMap::new();
                props.insert("MCID".to_string(), printpdf::DictItem::Int(mcid));
                ops.op("BDC", &[printpdf::DictItem::Name(b"Figure".to_vec()), printpdf::DictItem::Dict { map: props }]);
            }
            match item {
                Item::Rect(r) => graphics::draw_rect(&mut ops, r, h, &mut res, &mut doc),
                Item::Line(l) => graphics::draw_line(&mut ops, l, h, &res),
                Item::Image(i) => match scene.images.get(i.image).and_then(|p| p.svg.as_ref()) {
                    Some(svg) => svg::draw(&mut ops, i, svg, h, &mut res, &mut doc),
                    None => graphics::draw_image(&mut ops, i, h, &mut res, &mut doc),
                },
                Item::Glyphs(run) => {
                    let begins = i == 0 || !joins(i - 1, i);
                    if tagged && begins {
                        sequence = Some(tags.run(scene, run));
                    }
                    let f = run.font;
                    let open = i == 0 || line_of(i - 1) != line_of(i);
                    if open {
                        // The shadows of a line go under all of its text.
                        let line = page.items[i..].iter().take_while(|it| {
                            matches!(it, Item::Glyphs(g)
                            if Some((g.paragraph, g.y.to_bits())) == line_of(i))
                        });
                        for it in line {
                            if let Item::Glyphs(r) = it
                                && let Some(shadow) = r.shadow
                            {
                                let font = &scene.fonts[r.font];
                                let shade = text::Shade { shadow, tagged, blank: blank[r.font] };
                                text::write_shadow(&mut ops, r, font, &mut codes[r.font], shade, h, &mut res, &mut doc);
                            }
                        }
                    }
                    let object = text::TextObject {
                        open,
                        close: line_of(i + 1) != line_of(i),
                        tag: if tagged { sequence } else { None },
                        begins,
                        ends: !joins(i, i + 1),
                        // The space goes at the run's right end: after the
                        // text of a left-to-right run, before the text of a
                        // right-to-left one (so a right-to-left cell is set
                        // apart from the cell before it).
                        separate: matches!((page.items.get(if run.rtl { i.wrapping_sub(1) } else { i + 1 }), line_of(i)),
                            (Some(Item::Glyphs(other)), Some((p, y))) if other.paragraph != p && other.y.to_bits() == y),
                        same_state: i > 0
                            && matches!(&page.items[i - 1], Item::Glyphs(p)
                                if p.font == run.font && p.size == run.size && p.color == run.color
                                    && p.outline == run.outline),
                    };
                    text::write_run(
                        &mut ops,
                        run,
                        &scene.fonts[f],
                        &mut codes[f],
                        blank[f],
                        h,
                        res.cmyk,
                        object,
                        &mut pen,
                        &mut late,
                    );
                    if object.close && !late.is_empty() {
                        if tagged {
                            ops.op("BMC", &[printpdf::DictItem::Name(b"Artifact".to_vec())]);
                        }
                        ops.append(&mut late);
                        if tagged {
                            ops.op("EMC", &[]);
                        }
                    }
                }
            }
            if artifact || figure.is_some_and(|f| figure_of(i + 1) != Some(f)) {
                ops.op("EMC", &[]);
            }
        }
        if turned.is_some() {
            ops.op("Q", &[]);
        }
        ops.op("Q", &[]);
        if tagged && !print.marks.is_empty() {
            ops.op("BMC", &[printpdf::DictItem::Name(b"Artifact".to_vec())]);
            marks::draw(&mut ops, &print.marks, &boxes, page.width, page.height);
            ops.op("EMC", &[]);
        } else {
            marks::draw(&mut ops, &print.marks, &boxes, page.width, page.height);
        }
        page_tags.push(tags);
        let mut p = PdfPage::new(Mm(0.0), Mm(0.0), Vec::new());
        contents.push(ops.into_bytes());
        let (mw, mh) = (page.width + 2.0 * boxes.offset, page.height + 2.0 * boxes.offset);
        p.media_box = Rect::from_wh(Pt(mw), Pt(mh));
        p.crop_box = Rect::from_wh(Pt(mw), Pt(mh));
        p.trim_box = Rect {
            x: Pt(boxes.offset),
            y: Pt(boxes.offset),
            width: Pt(page.width),
            height: Pt(page.height),
            mode: None,
            winding_order: None,
        };
        pages.push(p);
    }

    let info = &mut doc.metadata.info;
    info.author = scene.meta.author.clone();
    info.subject = scene.meta.subject.clone();
    info.creator = format!("nashr {}", env!("CARGO_PKG_VERSION"));
    info.producer = format!("nashr {} (printpdf)", env!("CARGO_PKG_VERSION"));
    let date = document_date();
    info.creation_date = date;
    info.modification_date = date;
    info.metadata_date = date;
    // printpdf's PDF/X conformance would copy its own 650 KB profile into
    // the document; `standard::finish` writes the output intent instead.
    doc.with_pages(pages);
    let opts = PdfSaveOptions { optimize: false, subset_fonts: false, secure: false, image_optimization: None };
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&opts, &mut warnings);
    set_contents(&mut lo, contents);

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
    add_page_resources(
        &mut lo,
        "Font",
        font_refs.into_iter().map(|(n, id)| (n, lopdf::Object::Reference(id))).collect(),
    );
    graphics::embed_images(&mut lo, &scene.images, &res);
    boxes.set_boxes(&mut lo, scene);
    // PDF/X allows no link annotations over the artwork: print files go without.
    if print.standard.is_none() {
        add_links(&mut lo, &links);
    }
    if !scene.meta.language.is_empty() {
        text::set_catalog_language(&mut lo, &scene.meta.language);
    }
    if tagged {
        tags::write_tree(&mut lo, scene, &page_tags);
    }
    let bundled_profile = standard::finish(&mut lo, scene)?;
    deflate::deflate_streams(&mut lo, level);
    // printpdf draws the file /ID from a random generator: derive it from
    // the content instead, so the same inputs always give the same bytes.
    // The file is written once with a placeholder of the same length,
    // which is then overwritten with the hash of those bytes.
    let placeholder = lopdf::Object::String(vec![0; 16], lopdf::StringFormat::Hexadecimal);
    lo.trailer.set("ID", lopdf::Object::Array(vec![placeholder.clone(), placeholder]));
    // Room for every stream and some for the rest: the file is not copied
    // as it grows.
    let streams: usize = lo.objects.values().filter_map(|o| o.as_stream().ok()).map(|s| s.content.len() + 128).sum();
    let body = bundled_profile.map(|id| (id, standard::bundled_profile_body()));
    let mut out = Vec::with_capacity(streams + body.map_or(0, |(_, b)| b.len()) + 64 * 1024);
    save(&mut lo, scene, body, level, &mut out)?;
    let id = content_id(&out);
    fill_id(&mut out, &id)?;
    Ok(out)
}

/// Put the content streams [`Content`] wrote into the pages
/// printpdf made without them.
fn set_contents(lo: &mut lopdf::Document, contents: Vec<Vec<u8>>) {
    let ids: Vec<ObjectId> = lo.get_pages().values().copied().collect();
    for (page, bytes) in ids.into_iter().zip(contents) {
        let stream =
            lo.get_dictionary(page).ok().and_then(|d| d.get(b"Contents").ok()).and_then(|c| c.as_reference().ok());
        match stream.map(|id| lo.get_object_mut(id)) {
            Some(Ok(lopdf::Object::Stream(s))) => s.set_content(bytes),
            _ => {
                let id = lo.add_object(lopdf::Stream::new(lopdf::Dictionary::new(), bytes));
                if let Ok(d) = lo.get_dictionary_mut(page) {
                    d.set("Contents", lopdf::Object::Reference(id));
                }
            }
        }
    }
}

/// The operands of `cm` that turn PDF space as `m` turns the page's
/// (y down, `page_h` high): the page map conjugated by the flip y → h − y.
fn turn_operands(m: crate::scene::Affine, page_h: f32) -> [printpdf::DictItem; 6] {
    let [a, b, c, d, e, f] = m;
    let r = |v: f32| printpdf::DictItem::Real((v * 1e5).round() / 1e5);
    [r(a), r(-b), r(-c), r(d), r(c * page_h + e), r(page_h - d * page_h - f)]
}

/// Overwrite the placeholder `/ID [<00…> <00…>]` of the trailer (the last
/// one in the file) with `id`, twice, in hexadecimal. The trailer is at the
/// end, so the search runs backwards and stops there.
fn fill_id(out: &mut [u8], id: &[u8; 16]) -> Result<(), PdfError> {
    let zeros = format!("<{}>", "0".repeat(32));
    let needle = zeros.as_bytes();
    let second = out.windows(needle.len()).rposition(|w| w == needle);
    // The first string sits right before the second, or one space before.
    let first = second.and_then(|s| {
        [needle.len(), needle.len() + 1]
            .into_iter()
            .filter_map(|back| s.checked_sub(back))
            .find(|&f| out[f..f + needle.len()] == *needle && out[f + needle.len()..s].iter().all(|&b| b == b' '))
    });
    let (Some(first), Some(second)) = (first, second) else {
        return Err(PdfError::Write("the file has no /ID to fill".into()));
    };
    let hex: String = id.iter().map(|b| format!("{b:02X}")).collect();
    out[first + 1..first + 33].copy_from_slice(hex.as_bytes());
    out[second + 1..second + 33].copy_from_slice(hex.as_bytes());
    Ok(())
}

/// Write `lo`: its small objects packed into deflated object streams with
/// a cross-reference stream (PDF 1.5 and later), except for PDF/X-1a,
/// whose PDF 1.3 has neither.
/// `body` is an empty stream's content, written from where it is.
fn save(
    lo: &mut lopdf::Document,
    scene: &Scene,
    body: Option<(ObjectId, &[u8])>,
    level: u32,
    out: &mut Vec<u8>,
) -> Result<(), PdfError> {
    let result = match scene.print.standard {
        Some(crate::base::PdfStandard::X1a) => {
            // lopdf writes what the document holds.
            if let Some((id, bytes)) = body
                && let Ok(lopdf::Object::Stream(s)) = lo.get_object_mut(id)
            {
                s.content = bytes.to_vec();
            }
            lo.save_to(out)
        }
        _ => file::save(lo, body, level, out),
    };
    result.map_err(|e| PdfError::Write(e.to_string()))
}

/// A 16-byte identifier from the bytes of a document: two multiply-xor
/// hashes over 8-byte words (a byte-at-a-time hash of a 500 KB print file
/// cost more than writing it).
fn content_id(bytes: &[u8]) -> [u8; 16] {
    let mix = |h: u64, w: u64, k: u64| {
        let h = (h ^ w).wrapping_mul(k);
        h ^ (h >> 29)
    };
    let (mut a, mut b) = (FNV_OFFSET, 0x84222325cbf29ce4u64);
    let words = bytes.chunks_exact(8);
    let tail = words.remainder();
    for w in words {
        let w = u64::from_le_bytes(w.try_into().unwrap_or_default());
        a = mix(a, w, 0x9E3779B97F4A7C15);
        b = mix(b, w.rotate_left(23), 0xC2B2AE3D27D4EB4F);
    }
    let (a, b) = (fnv1a(a ^ bytes.len() as u64, tail.iter().copied()), fnv1a(b, tail.iter().copied()));
    let mut id = [0u8; 16];
    id[..8].copy_from_slice(&a.to_be_bytes());
    id[8..].copy_from_slice(&b.to_be_bytes());
    id
}

/// A clickable area (PDF coordinates) and its address.
struct Link {
    rect: [f32; 4],
    uri: String,
}

/// The link areas of a page: one per run of linked glyphs, neighbours on
/// one baseline with the same address merged.
fn page_links(page: &crate::scene::ScenePage, offset: f32) -> Vec<Link> {
    let mut out: Vec<(f32, Link)> = Vec::new();
    for item in &page.items {
        let Item::Glyphs(run) = item else { continue };
        let Some(uri) = &run.link else { continue };
        let Some(x0) = run.glyphs.iter().map(|g| g.x).reduce(f32::min) else { continue };
        let x1 = run.glyphs.iter().map(|g| g.x + g.advance).fold(x0, f32::max);
        let base = offset + page.height - run.y;
        let rect = [offset + run.x + x0, base - 0.3 * run.size, offset + run.x + x1, base + 0.95 * run.size];
        if let Some((y, l)) = out.last_mut()
            && *y == run.y
            && &l.uri == uri
            && (rect[0] - l.rect[2]).abs() < run.size
        {
            l.rect[0] = l.rect[0].min(rect[0]);
            l.rect[2] = l.rect[2].max(rect[2]);
            continue;
        }
        out.push((run.y, Link { rect, uri: uri.clone() }));
    }
    out.into_iter().map(|(_, l)| l).collect()
}

/// Add the link annotations to the pages: clickable in a viewer, not printed
/// (no Print flag), no border.
fn add_links(lo: &mut lopdf::Document, links: &[Vec<Link>]) {
    use lopdf::{Dictionary, Object, StringFormat};
    let ids: Vec<ObjectId> = lo.get_pages().values().copied().collect();
    for (id, page_links) in ids.into_iter().zip(links) {
        if page_links.is_empty() {
            continue;
        }
        let annots: Vec<Object> = page_links
            .iter()
            .map(|l| {
                let action = Dictionary::from_iter(vec![
                    ("S", Object::Name(b"URI".to_vec())),
                    ("URI", Object::String(l.uri.as_bytes().to_vec(), StringFormat::Literal)),
                ]);
                let a = Dictionary::from_iter(vec![
                    ("Type", Object::Name(b"Annot".to_vec())),
                    ("Subtype", Object::Name(b"Link".to_vec())),
                    ("Rect", Object::Array(l.rect.iter().map(|v| Object::Real(*v)).collect())),
                    ("Border", Object::Array(vec![Object::Integer(0), Object::Integer(0), Object::Integer(0)])),
                    ("A", Object::Dictionary(action)),
                    // What the link does, for a reader who cannot see it.
                    ("Contents", Object::String(l.uri.as_bytes().to_vec(), StringFormat::Literal)),
                ]);
                Object::Reference(lo.add_object(a))
            })
            .collect();
        if let Ok(d) = lo.get_dictionary_mut(id) {
            d.set("Annots", Object::Array(annots));
        }
    }
}

/// The document's date: `SOURCE_DATE_EPOCH` when set (reproducible builds),
/// else a fixed date, so the same inputs always give the same bytes.
fn document_date() -> printpdf::OffsetDateTime {
    printpdf::OffsetDateTime::from_unix_timestamp(source_date_epoch())
        .unwrap_or_else(|_| printpdf::OffsetDateTime::from_unix_timestamp(0).expect("epoch"))
}

/// `SOURCE_DATE_EPOCH` when set (reproducible builds), else 0 (1970-01-01).
pub(super) fn source_date_epoch() -> i64 {
    std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|v| v.trim().parse::<i64>().ok()).unwrap_or(0)
}

/// The usual FNV-1a offset basis.
pub(super) const FNV_OFFSET: u64 = 0xcbf29ce484222325;

/// FNV-1a over `bytes` from `seed`: stable names and ids derived from content.
pub(super) fn fnv1a(seed: u64, bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(seed, |h, b| (h ^ b as u64).wrapping_mul(0x100000001b3))
}

/// Add named entries to one kind of resource (`Font`, `XObject`, `Shading`)
/// of every page, next to what printpdf put there.
pub(super) fn add_page_resources(lo: &mut lopdf::Document, kind: &str, entries: Vec<(String, lopdf::Object)>) {
    use lopdf::{Dictionary, Object};
    if entries.is_empty() {
        return;
    }
    let pages: Vec<ObjectId> = lo.get_pages().values().copied().collect();
    for page_id in pages {
        let res_id =
            lo.get_dictionary(page_id).ok().and_then(|p| p.get(b"Resources").ok()).and_then(|r| r.as_reference().ok());
        let Some(res_id) = res_id else { continue };
        let existing = lo.get_dictionary(res_id).ok().and_then(|r| r.get(kind.as_bytes()).ok().cloned());
        let mut dict = match existing {
            Some(Object::Reference(id)) => lo.get_dictionary(id).cloned().unwrap_or_default(),
            Some(Object::Dictionary(d)) => d,
            _ => Dictionary::new(),
        };
        for (n, v) in &entries {
            dict.set(n.as_bytes().to_vec(), v.clone());
        }
        if let Ok(r) = lo.get_dictionary_mut(res_id) {
            r.set(kind, Object::Dictionary(dict));
        }
    }
}

/// Where the trim, bleed and media boxes sit on a page.
pub(crate) struct PageBoxes {
    /// Bleed around the trim.
    pub bleed: f32,
    /// Room for marks outside the bleed.
    pub slug: f32,
    /// Trim origin inside the media box (bleed + slug).
    pub offset: f32,
}

impl PageBoxes {
    fn new(print: &crate::base::Print) -> PageBoxes {
        let slug = if print.marks.is_empty() { 0.0 } else { marks::SLUG };
        PageBoxes { bleed: print.bleed, slug, offset: print.bleed + slug }
    }

    /// printpdf has no BleedBox and writes boxes as [x y width height]
    /// where PDF wants [llx lly urx ury]: set TrimBox and BleedBox here.
    fn set_boxes(&self, lo: &mut lopdf::Document, scene: &Scene) {
        let ids: Vec<ObjectId> = lo.get_pages().values().copied().collect();
        let arr = |v: [f32; 4]| lopdf::Object::Array(v.into_iter().map(lopdf::Object::Real).collect());
        for (id, page) in ids.into_iter().zip(&scene.pages) {
            let (o, b) = (self.offset, self.bleed);
            if let Ok(d) = lo.get_dictionary_mut(id) {
                d.set("TrimBox", arr([o, o, o + page.width, o + page.height]));
                d.set("BleedBox", arr([o - b, o - b, o + page.width + b, o + page.height + b]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_placeholder_is_filled_with_the_content_hash() {
        let zeros = format!("<{}>", "0".repeat(32));
        let mut file = format!("%PDF-1.6\n<</ID[{zeros}{zeros}]>>\n%%EOF").into_bytes();
        let id = content_id(&file);
        fill_id(&mut file, &id).unwrap();
        let text = String::from_utf8(file).unwrap();
        let hex: String = id.iter().map(|b| format!("{b:02X}")).collect();
        assert_eq!(text, format!("%PDF-1.6\n<</ID[<{hex}><{hex}>]>>\n%%EOF"));
        assert!(fill_id(&mut b"%PDF-1.6\n%%EOF".to_vec(), &id).is_err(), "no placeholder, an error");
    }
}
