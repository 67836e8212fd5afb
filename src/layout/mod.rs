//! Layout: place the blocks of each frame on its page and build the
//! [`Scene`].
//!
//! Owns vertical placement (line boxes, spacing, lists, rules), fitting
//! content to frames (overflow errors, shrinking, flowing into the next
//! frame or onto new pages with widow and orphan control), and the
//! placement of each line inside its frame. Text inside a line comes from
//! the text engine; this module never shapes or reorders text itself and
//! knows nothing of PDF.
//!
//! This file owns the entry point [`layout`], its errors, the per-document
//! context (`Ctx`: the fonts used, paragraph numbering, missing glyphs), the
//! calls into the text engine and the emission of laid-out lines as glyph
//! runs. Each placed frame is recorded on its page as a
//! [`FrameBox`](crate::scene::FrameBox), and every item it produced is
//! marked with that frame's index. The other concerns have a file each:
//!
//! - `flow`: filling a frame with content and fitting it (an error,
//!   shrinking, flowing through `next` frames and onto new pages), widows
//!   and orphans, overflow messages;
//! - `columns`: a frame's columns, filled in reading order, balanced,
//!   with rules in the gutters;
//! - `verse`: couplets of Persian verse, hemistichs side by side or stacked;
//! - `table`: tables: column widths, rows set and drawn, the header
//!   repeated where a table flows on;
//! - `blocks`: blocks of fixed height (rules, pictures, QR codes);
//! - `paint`: page and frame decoration (fills and gradients, frame
//!   backgrounds, borders and pictures, extension into the bleed).

mod blocks;
mod columns;
mod emoji;
mod flow;
mod paint;
mod table;
mod verse;

use crate::fonts::FaceId;
use crate::model::{Document, Fit, Frame, Paragraph, Rect};
use crate::scene::{
    FrameBox, Glyph, GlyphRun, Item, LineItem, Origin, ParagraphInfo, Role, SCENE_FORMAT, Scene, SceneFont, ScenePage,
};
use crate::text::{Line, MissingGlyph, ParagraphCache, Prepared, layout_paragraph, shape::Shaper};
use std::collections::HashMap;

/// Errors from placing content: text that does not fit where the layout
/// puts it. Each names the frame and says what to change.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LayoutError {
    /// The content is taller than its frame (with `fit = "error"`, or
    /// still after shrinking to `min_size` with `fit = "shrink"`).
    #[error(
        "text overflows frame \"{frame}\" on page {page} by {over_pt:.1} pt ({over_mm:.1} mm), starting at {at}; {advice}"
    )]
    Overflow {
        /// The frame's name (`frame N` for unnamed frames).
        frame: String,
        /// The page, counted from 1.
        page: usize,
        /// How much taller the content is than the frame, in points.
        over_pt: f32,
        /// The same in millimetres.
        over_mm: f32,
        /// The first content that does not fit: the block and the start of its text.
        at: String,
        /// What to change: shrink or flow the text, or make the frame taller.
        advice: String,
    },
    /// A frame (or a frame the text flows into) cannot hold even the first
    /// line of the content that comes next.
    #[error("frame \"{frame}\" on page {page} is too short for even one line of {at}; make it taller")]
    TooShort {
        /// The frame's name.
        frame: String,
        /// The page, counted from 1.
        page: usize,
        /// The content that does not fit: the block and the start of its text.
        at: String,
    },
    /// Text flowing onto new pages still has not ended after `limit` pages.
    #[error(
        "frame \"{frame}\" flows onto more than {limit} pages, the limit (`pages`); is a frame too small for its text? If the document is meant, raise it with `--limit pages=N`"
    )]
    TooManyPages {
        /// The frame the text flows from.
        frame: String,
        /// How many pages a flow may add.
        limit: usize,
    },
    /// A word (or a piece of text with no place to break) is wider than its
    /// frame: it cannot be set without cutting it or running past the frame.
    #[error(
        "«{word}» is wider than frame \"{frame}\" on page {page} ({measure:.1} pt inside) and has no place to break; it cannot be set without cutting it: widen the frame, set a smaller size or `fit = \"shrink\"`"
    )]
    WordTooWide {
        /// The frame's name.
        frame: String,
        /// The page, counted from 1.
        page: usize,
        /// The word, as it is written.
        word: String,
        /// The width of the line it took, in points (at most the measure
        /// when the word was cut to fit).
        width: f32,
        /// The width inside the frame, in points.
        measure: f32,
    },
    /// The layout fixes its page count (`pages = N`) and the flowing text
    /// does not fit in it even shrunk to the frame's `min_size`.
    #[error(
        "the text flowing from frame \"{frame}\" needs more than the {pages} page{} the layout fixes, even shrunk to {min_size:.1} pt; shorten the text, lower `min_size` or remove `pages` from [page] to let pages be added",
        if *pages == 1 { "" } else { "s" }
    )]
    PagesExceeded {
        /// The frame the text flows from.
        frame: String,
        /// The pages the layout fixes.
        pages: usize,
        /// The smallest size the text may be shrunk to, in points.
        min_size: f32,
    },
    /// A table's columns need more room than its frame has, even with its
    /// `auto` columns as narrow as their words allow.
    #[error(
        "the table in block {block} of frame \"{frame}\" on page {page} needs {needed:.1} pt across and the frame has {measure:.1} pt; narrow its fixed columns, set its text smaller or widen the frame"
    )]
    TableTooWide {
        /// The frame's name.
        frame: String,
        /// The page, counted from 1.
        page: usize,
        /// The table's block in its frame, counted from 1.
        block: usize,
        /// The narrowest the table can be, in points.
        needed: f32,
        /// The width inside the frame, in points.
        measure: f32,
    },
    /// The document asks for more work than the engine's [`Limits`](crate::Limits) allow.
    #[error("{0}")]
    Limit(crate::Exceeded),
}

/// Lay out a whole document (see [`Engine::layout`](crate::Engine::layout)).
pub fn layout(doc: &Document) -> Result<Scene, LayoutError> {
    layout_cached(doc, None)
}

/// [`layout`], taking paragraphs shaped by earlier renders from `cache`
/// (an engine's) and leaving the ones it shapes there.
pub(crate) fn layout_cached(doc: &Document, cache: Option<&ParagraphCache>) -> Result<Scene, LayoutError> {
    layout_with(doc, &mut Shaper::new(&doc.fonts, &doc.meta.language), cache)
}

/// [`layout`] with a given shaper (whose count of shaped runs tests read).
fn layout_with(doc: &Document, shaper: &mut Shaper, cache: Option<&ParagraphCache>) -> Result<Scene, LayoutError> {
    let bleed = doc.print.bleed;
    let mut ctx = Ctx {
        doc,
        fonts: HashMap::new(),
        scene_fonts: Vec::new(),
        paragraph: 0,
        missing: Vec::new(),
        forced: false,
        probing: false,
        prepared: HashMap::new(),
        cache,
        roles: Vec::new(),
        frame_order: 0,
        glyphs: 0,
        over: None,
        broken: HashMap::new(),
        figures: Vec::new(),
        table_widths: HashMap::new(),
    };
    let mut pages: Vec<ScenePage> =
        doc.pages.iter().map(|p| paint::new_page(p.width, p.height, p.background.as_ref(), bleed)).collect();
    // Frames for the last page come after the others have added their pages.
    type Indexed<'a> = Vec<(usize, &'a Frame)>;
    let (last, rest): (Indexed, Indexed) =
        doc.frames.iter().enumerate().filter(|(_, f)| !f.continuation).partition(|(_, f)| f.last_page);
    let mut moved = Vec::new();
    for (index, frame) in rest.into_iter().chain(last) {
        let frame = if frame.last_page {
            let mut f = frame.clone();
            f.page = pages.len().saturating_sub(1);
            moved.push(f);
            moved.last().expect("just pushed")
        } else {
            frame
        };
        ctx.frame_order = frame.order;
        ctx.within_limits()?;
        let units = flow::units_of(index, &frame.blocks);
        let placed = match frame.fit {
            Fit::Error => vec![ctx.place_all(shaper, frame, &units, 1.0)?],
            Fit::Shrink => vec![ctx.place_shrunk(shaper, frame, &units)?],
            Fit::Flow => ctx.place_flow(shaper, frame, &units)?,
        };
        for placed in placed {
            while pages.len() <= placed.page {
                let spec = doc.pages.last().cloned().unwrap_or(crate::model::PageSpec {
                    width: 595.0,
                    height: 842.0,
                    background: None,
                });
                pages.push(paint::new_page(spec.width, spec.height, spec.background.as_ref(), bleed));
            }
            add_to_page(&mut pages[placed.page], placed);
        }
    }
    ctx.within_limits()?;
    crate::Exceeded::check("pages", doc.limits.pages as u64, pages.len() as u64).map_err(LayoutError::Limit)?;
    let mut images = doc.pictures.clone();
    emoji::add_bitmaps(&mut pages, &ctx.scene_fonts, &mut images);
    Ok(Scene {
        format: SCENE_FORMAT,
        pages,
        fonts: ctx.scene_fonts,
        meta: doc.meta.clone(),
        paragraphs: ctx.roles,
        figures: ctx.figures,
        missing: ctx.missing,
        images,
        print: doc.print.clone(),
    })
}

/// One frame filled on one page: the frame as placed and its items, in
/// drawing order. The items know their block; their frame is set when
/// they go onto the page.
struct Placed {
    page: usize,
    frame: FrameBox,
    items: Vec<Item>,
}

/// Record a placed frame on its page and add its items, each marked with
/// the frame's index in the page's list of frames.
fn add_to_page(page: &mut ScenePage, placed: Placed) {
    let index = page.frames.len();
    page.frames.push(placed.frame);
    page.items.extend(placed.items.into_iter().map(|mut item| {
        item.origin_mut().frame = Some(index);
        item
    }));
}

/// What laying out one document keeps track of.
/// Lines a paragraph was broken into, and the (width, scale) bits they fit
/// with whether they are heights-only lines.
type Broken = ((u32, u32, bool), std::rc::Rc<[Line]>);

/// The lines of a paragraph from one of them on: a view into the lines it
/// was broken into, shared, so a paragraph flowing through a thousand
/// small frames does not copy its remaining lines for each.
pub(super) struct Lines {
    all: std::rc::Rc<[Line]>,
    from: usize,
}

impl std::ops::Deref for Lines {
    type Target = [Line];
    fn deref(&self) -> &[Line] {
        &self.all[self.from..]
    }
}

struct Ctx<'d> {
    /// The engine's paragraphs shaped by earlier renders.
    cache: Option<&'d ParagraphCache>,
    doc: &'d Document,
    /// Scene font index of each face used so far.
    fonts: HashMap<FaceId, usize>,
    scene_fonts: Vec<SceneFont>,
    /// The document paragraph the glyph runs being emitted belong to.
    paragraph: usize,
    missing: Vec<crate::text::MissingGlyph>,
    /// A line was cut inside a word too wide for its frame (shrinking must go on).
    forced: bool,
    /// Trying a scale or measuring an overflow: lines too wide are noted, not errors.
    probing: bool,
    /// The lines each paragraph was last broken into, with the (width,
    /// scale) they were broken at.
    broken: HashMap<(usize, usize), Broken>,
    /// What each paragraph of the document is, by paragraph index.
    roles: Vec<ParagraphInfo>,
    /// The reading-order key of the frame being laid out.
    frame_order: i64,
    /// Glyphs of the paragraphs shaped so far.
    glyphs: usize,
    /// The first limit the document went past, reported at the next check.
    over: Option<crate::Exceeded>,
    /// Pictures and QR codes with alternative text, as placed.
    figures: Vec<crate::scene::Figure>,
    /// Paragraphs shaped so far, by (frame, unit): broken again, never reshaped.
    prepared: HashMap<(usize, usize), Prepared>,
    /// Each table's column widths, by its first cell's key, measure and scale.
    table_widths: HashMap<table::WidthsKey, std::rc::Rc<[f32]>>,
}

/// The content box of a frame (inside its padding).
fn content_box(frame: &Frame) -> Rect {
    let r = frame.rect;
    let p = frame.padding;
    Rect { x: r.x + p, y: r.y + p, width: r.width - 2.0 * p, height: r.height - 2.0 * p }
}

impl Ctx<'_> {
    fn font_index(&mut self, face: FaceId) -> usize {
        if let Some(&i) = self.fonts.get(&face) {
            return i;
        }
        let f = self.doc.fonts.face(face).clone();
        self.scene_fonts.push(SceneFont {
            family: f.family.clone(),
            weight: f.weight,
            postscript_name: f.postscript_name.clone(),
            source: f.source.clone(),
            face: f,
        });
        self.fonts.insert(face, self.scene_fonts.len() - 1);
        self.scene_fonts.len() - 1
    }

    /// A list item's marker, on the first line of block `block`.
    #[allow(clippy::too_many_arguments)]
    fn place_marker(
        &mut self,
        shaper: &mut Shaper,
        items: &mut Vec<Item>,
        m: &Paragraph,
        indent: f32,
        r: Rect,
        rtl: bool,
        base: f32,
        scale: f32,
        block: usize,
    ) {
        let m = scaled(m, scale);
        let mut lines = self.lay(shaper, &m, indent.max(1.0));
        if let Some(mline) = lines.first_mut() {
            // The marker sits on the start side, flush with the frame edge.
            // It is decoration, not text: it extracts as nothing.
            let mx = if rtl { r.x + r.width - mline.width } else { r.x };
            for g in mline.runs.iter_mut().flat_map(|r| r.glyphs.iter_mut()) {
                g.text.clear();
            }
            self.emit_line(items, mline, mx, base, block, true, m.style.effects);
        }
    }

    fn lay(&mut self, shaper: &mut Shaper, p: &Paragraph, width: f32) -> Vec<Line> {
        let laid = layout_paragraph(shaper, p, width);
        self.note_lines(&laid.lines, &laid.missing);
        laid.lines
    }

    /// The lines of paragraph `id` from byte `offset` on, `width` wide, at
    /// `scale`: the paragraph is shaped the first time it is asked for and
    /// only broken again after that (a frame shrinking its text, an
    /// overflow being measured, a paragraph flowing on). With `heights`,
    /// the lines carry only what their placing reads
    /// ([`Prepared::line_heights`]): for trying a size, not for drawing.
    #[allow(clippy::too_many_arguments)]
    fn lay_unit(
        &mut self,
        shaper: &mut Shaper,
        id: (usize, usize),
        para: &Paragraph,
        offset: usize,
        width: f32,
        scale: f32,
        heights: bool,
    ) -> Lines {
        // A paragraph flowing on into a frame of the same width keeps the
        // lines it was broken into: the rest is the tail of those lines.
        let key = (width.to_bits(), scale.to_bits(), heights);
        let tail = self.broken.get(&id).filter(|(k, _)| *k == key).and_then(|(_, lines)| {
            let from = lines.partition_point(|l| l.range.start < offset);
            (lines.get(from)?.range.start == offset).then(|| Lines { all: lines.clone(), from })
        });
        let prepared = self.prepare_unit(shaper, id, para);
        let lines = match tail {
            Some(lines) => lines,
            None => {
                let all: std::rc::Rc<[Line]> = match heights {
                    true => prepared.line_heights(shaper, offset, width, scale).into(),
                    false => prepared.lines(shaper, offset, width, scale).into(),
                };
                self.broken.insert(id, (key, all.clone()));
                Lines { all, from: 0 }
            }
        };
        let missing = self.prepared[&id].missing().to_vec();
        self.note_lines(&lines, &missing);
        lines
    }

    /// Paragraph `id` shaped: the first time it is asked for (counted
    /// against the glyph limits), from the paragraphs shaped so far after.
    fn prepare_unit(&mut self, shaper: &mut Shaper, id: (usize, usize), para: &Paragraph) -> &mut Prepared {
        let cache = self.cache;
        let limits = self.doc.limits;
        let (glyphs, over) = (&mut self.glyphs, &mut self.over);
        self.prepared.entry(id).or_insert_with(|| {
            let prepared = match cache {
                Some(c) => c.prepare(shaper, para),
                None => Prepared::new(shaper, para),
            };
            let n = prepared.glyph_count();
            *glyphs += n;
            let checks = crate::Exceeded::check("paragraph-glyphs", limits.paragraph_glyphs as u64, n as u64)
                .and(crate::Exceeded::check("document-glyphs", limits.document_glyphs as u64, *glyphs as u64));
            if let Err(e) = checks {
                over.get_or_insert(e);
            }
            prepared
        })
    }

    /// An error for the first limit the document went past, if any.
    fn within_limits(&mut self) -> Result<(), LayoutError> {
        self.over.take().map_or(Ok(()), |e| Err(LayoutError::Limit(e)))
    }

    /// Record what the current paragraph is: a heading, a list item (of the
    /// list at `list`), or body text.
    fn note_role(&mut self, heading: bool, list: Option<(usize, usize)>) {
        let role = if list.is_some() {
            Role::Item
        } else if heading {
            Role::Heading
        } else {
            Role::Paragraph
        };
        if self.roles.len() <= self.paragraph {
            self.roles.resize(self.paragraph + 1, ParagraphInfo::default());
        }
        self.roles[self.paragraph] = ParagraphInfo { role, list, frame_order: self.frame_order, cell: None };
    }

    /// Remember a forced cut and the characters no font has (each once per place).
    fn note_lines(&mut self, lines: &[Line], missing: &[MissingGlyph]) {
        self.forced |= lines.iter().any(|l| l.forced);
        for m in missing {
            // Report each character once per place (a list marker is laid out once per item).
            if !self.missing.iter().any(|k| k.ch == m.ch && k.origin == m.origin) {
                self.missing.push(m.clone());
            }
        }
    }

    /// Emit a line's runs for block `block`; clusters are offsets into the
    /// whole paragraph, also for a paragraph continued from another frame.
    #[allow(clippy::too_many_arguments)]
    fn emit_line(
        &mut self,
        items: &mut Vec<Item>,
        line: &Line,
        x: f32,
        baseline: f32,
        block: usize,
        marker: bool,
        effects: crate::base::TextEffects,
    ) {
        let paragraph = self.paragraph;
        for run in &line.runs {
            let font = self.font_index(run.face);
            items.push(Item::Glyphs(GlyphRun {
                origin: Origin { frame: None, block: Some(block), figure: None },
                font,
                size: run.size,
                color: run.color,
                x,
                y: baseline,
                rtl: run.rtl,
                paragraph,
                marker,
                repeated: false,
                link: run.link.clone(),
                slant: if run.oblique { OBLIQUE_SLANT } else { 0.0 },
                shadow: effects.shadow,
                outline: effects.outline,
                glyphs: run
                    .glyphs
                    .iter()
                    .map(|g| Glyph {
                        id: g.id,
                        x: g.x + g.dx,
                        y: -g.dy,
                        advance: g.advance,
                        text: g.text.clone(),
                        cluster: g.cluster,
                        kashida: g.kashida,
                    })
                    .collect(),
            }));
        }
        items.extend(decorations(self.doc, line, x, baseline, block));
    }
}

/// The slant of a synthesized oblique: about 12°, as browsers slant a
/// face that has no italic.
const OBLIQUE_SLANT: f32 = 0.21;

/// The lines under and through a line's underlined and struck runs, each
/// from the run's first glyph to its last (in visual order, so right-to-left
/// runs too), at the position and thickness the run's font gives.
fn decorations(doc: &Document, line: &Line, x: f32, baseline: f32, block: usize) -> Vec<Item> {
    let mut out = Vec::new();
    for run in &line.runs {
        let (Some(first), Some(last)) = (run.glyphs.first(), run.glyphs.last()) else { continue };
        let face = doc.fonts.face(run.face);
        let s = run.size / face.upem;
        for strike in [false, true].into_iter().filter(|&k| if k { run.strike } else { run.underline }) {
            let (position, thickness) = face.decoration(strike);
            let y = baseline - position * s;
            out.push(Item::Line(LineItem {
                origin: Origin { frame: None, block: Some(block), figure: None },
                x1: x + first.x,
                y1: y,
                x2: x + last.x + last.advance,
                y2: y,
                width: thickness * s,
                color: run.color,
            }));
        }
    }
    out
}

/// A list marker at `scale`.
fn scaled(para: &Paragraph, scale: f32) -> Paragraph {
    let mut p = para.clone();
    for s in &mut p.spans {
        s.size *= scale;
    }
    p
}

/// The baseline of a line box whose top is at `top`: the line's ascent and
/// descent centred in the line height (half-leading above and below).
fn baseline(line: &Line, line_height: f32, top: f32) -> f32 {
    let content = line.ascent + line.descent;
    top + (line_height - content) / 2.0 + line.ascent
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A frame of `height` holding a long justified Persian paragraph, shrinking to fit.
    fn shrinking(height: &str) -> Document {
        let text = "در کنگره حزب کمونیست کارگری شرکت کنید و صدای آزادی و برابری را به گوش همه برسانید. ".repeat(12);
        let src = format!(
            "[page]\nsize = \"A6\"\nmargin = \"8mm\"\n[styles.body]\nsize = \"11pt\"\nalign = \"justify\"\n\
             [[frame]]\nheight = \"{height}\"\nfit = \"shrink\"\nmin_size = \"4pt\"\n\
             [[frame.block]]\ntype = \"paragraph\"\ntext = \"{text}\"\n"
        );
        crate::engine::Engine::new().load_str("shrink.toml", &src).expect("the layout resolves")
    }

    #[test]
    fn a_shrinking_frame_breaks_its_paragraph_again_without_shaping_it_again() {
        let roomy = shrinking("120mm");
        let tight = shrinking("45mm");
        let mut a = Shaper::new(&roomy.fonts, "fa");
        layout_with(&roomy, &mut a, None).expect("fits as it is");
        let mut b = Shaper::new(&tight.fonts, "fa");
        let scene = layout_with(&tight, &mut b, None).expect("fits once shrunk");
        let size = scene.pages[0].items.iter().find_map(|i| match i {
            crate::scene::Item::Glyphs(g) => Some(g.size),
            _ => None,
        });
        assert!(size.is_some_and(|s| s < 10.0), "the text was shrunk: {size:?}");
        eprintln!("runs shaped: {} at full size, {} shrinking to fit", a.runs_shaped(), b.runs_shaped());
        // About a dozen trial scales, each breaking the paragraph anew: the
        // paragraph is shaped once, and lines are cut from its shaping.
        assert!(
            b.runs_shaped() <= a.runs_shaped() + 2,
            "shrinking shaped {} runs against {} at full size",
            b.runs_shaped(),
            a.runs_shaped()
        );
    }

    #[test]
    fn an_engine_shapes_a_paragraph_its_renders_share_once() {
        let doc = shrinking("45mm");
        let cache = ParagraphCache::default();
        let mut first = Shaper::new(&doc.fonts, "fa");
        let a = layout_with(&doc, &mut first, Some(&cache)).unwrap();
        let mut second = Shaper::new(&doc.fonts, "fa");
        let b = layout_with(&doc, &mut second, Some(&cache)).unwrap();
        assert!(first.runs_shaped() > 0);
        assert_eq!(second.runs_shaped(), 0, "the second render shapes nothing");
        let json = |s: &Scene| serde_json::to_string(s).unwrap();
        assert_eq!(json(&a), json(&b), "and draws the same");
        assert_eq!(cache.len(), 1);
    }
}
