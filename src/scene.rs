//! The Scene: pages of positioned items, the contract between layout and the
//! exporters.
//!
//! Everything is in points, origin at the top-left of the page, y down.
//! Glyph runs carry their glyph ids, positions and the source text of each
//! cluster, so exporters can draw them and map them back to text without
//! knowing anything about bidi, styles or TOML. It serializes to JSON
//! (`nashr render --format json`).
//!
//! Every item says where it came from ([`Origin`]): the frame it was placed
//! in, as an index into its page's [`ScenePage::frames`], and the block of
//! that frame. Later stages (preflight, other tools reading the JSON) name
//! places from this provenance and never guess it from geometry.
//!
//! The JSON starts with `"format"`, [`SCENE_FORMAT`]: it changes whenever a
//! field is removed or changes meaning, so a reader can tell which shape of
//! Scene it holds.
//!
//! A Scene is public data: [`Engine::layout`](crate::Engine::layout) makes
//! one, and [`Engine::export`](crate::Engine::export) draws any Scene, one
//! an embedder changed or built (items added, moved or recoloured) too.

use crate::fonts::FontFace;
use serde::Serialize;
use std::sync::Arc;

pub use crate::base::{ColorMode, Mark, Meta, PdfStandard, Platform, Print, Rect, Rgb, TextOutline, TextShadow};
pub use crate::picture::{Jpeg, Picture as SceneImage, Pixels};
pub use crate::text::MissingGlyph;

/// The version of the Scene's shape, serialized first as `"format"`.
///
/// Version 1: pages with their frames ([`FrameBox`]), and an [`Origin`] on
/// every item.
pub const SCENE_FORMAT: u32 = 1;

/// A laid-out document.
#[derive(Debug, Clone, Serialize)]
pub struct Scene {
    /// The version of this structure: [`SCENE_FORMAT`] for a scene made by
    /// this build. Serialized first, so a reader can check it before the rest.
    pub format: u32,
    /// The pages, in order.
    pub pages: Vec<ScenePage>,
    /// Faces used by the glyph runs, indexed by [`GlyphRun::font`].
    pub fonts: Vec<SceneFont>,
    /// Document title, author, subject and language.
    pub meta: Meta,
    /// Characters no font could show (each reported once per place).
    pub missing: Vec<MissingGlyph>,
    /// Raster pictures used by [`Item::Image`], each stored once however
    /// often it is drawn.
    pub images: Vec<SceneImage>,
    /// What each paragraph of the document is (by [`GlyphRun::paragraph`]):
    /// a heading, a paragraph, an item of a list — the structure of a
    /// tagged PDF.
    #[serde(default)]
    pub paragraphs: Vec<ParagraphInfo>,
    /// Pictures and QR codes that say something, with their alternative
    /// text, in document order among the paragraphs.
    #[serde(default)]
    pub figures: Vec<Figure>,
    /// How the document goes to print: colour mode, standard, bleed, marks.
    pub print: Print,
}

/// A picture or a QR code that says something.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Figure {
    /// What it shows or says, for a reader who cannot see it.
    pub alt: String,
    /// Its place in reading order: the paragraph index it stands at.
    pub order: usize,
    /// The reading-order key of its frame (the frame's `order`).
    pub frame_order: i64,
}

/// What a paragraph of the document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ParagraphInfo {
    /// Heading, paragraph or list item.
    pub role: Role,
    /// For a list item, the list it belongs to: (frame index in the
    /// layout, block index in the frame); items of one list share it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list: Option<(usize, usize)>,
    /// The reading-order key of its frame (the frame's `order`): frames
    /// are read by it, then paragraphs in the order they were laid out.
    pub frame_order: i64,
    /// For a table cell, where it is in its table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<TableCell>,
}

/// Where a table cell is: its table, its row and column (columns in
/// reading order), its spans, and whether it is a header cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct TableCell {
    /// The table: (frame index in the layout, block index in the frame).
    pub table: (usize, usize),
    /// Its first row, from 0.
    pub row: usize,
    /// Its first column, from 0, in reading order (the rightmost in a
    /// right-to-left table).
    pub col: usize,
    /// How many rows it spans.
    pub rowspan: usize,
    /// How many columns it spans.
    pub colspan: usize,
    /// A cell of the table's header rows.
    pub header: bool,
}

/// The role of a paragraph in the document's structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Body text.
    #[default]
    Paragraph,
    /// A heading block.
    Heading,
    /// An item of a list (its marker runs carry [`GlyphRun::marker`]).
    Item,
    /// A table cell ([`ParagraphInfo::cell`] says where).
    Cell,
}

/// A font used in a scene. Only layout makes them: the face itself (the
/// font program the exporters draw and embed) is not public.
#[derive(Debug, Clone, Serialize)]
pub struct SceneFont {
    /// Family name as the font reports it.
    pub family: String,
    /// OS/2 weight class, 100–900.
    pub weight: u16,
    /// PostScript name (the PDF's BaseFont).
    pub postscript_name: String,
    /// Where the face came from: `bundled:…` or a file path.
    pub source: String,
    #[serde(skip)]
    pub(crate) face: Arc<FontFace>,
}

/// One page.
#[derive(Debug, Clone, Serialize)]
pub struct ScenePage {
    /// Page width (of the trim box) in points.
    pub width: f32,
    /// Page height (of the trim box) in points.
    pub height: f32,
    /// The frames placed on this page, in the order they were placed:
    /// [`Origin::frame`] indexes this list. A frame whose text flows over
    /// several pages is listed on each, as are the frames its text flows into.
    pub frames: Vec<FrameBox>,
    /// What is drawn, in drawing order (later items over earlier ones).
    pub items: Vec<Item>,
}

/// A frame as placed on one page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameBox {
    /// The frame's name in the layout (`frame N` for unnamed frames).
    pub name: String,
    /// The frame's box on this page, as the layout gives it: before its
    /// background is extended into the bleed.
    pub rect: Rect,
    /// The box the frame's content is placed in: `rect` inside the padding.
    pub content: Rect,
    /// Degrees the frame and everything drawn in it turn about the centre
    /// of `rect`, clockwise on the page (0: upright). `rect`, `content` and
    /// the items' coordinates are as before the turn.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub rotate: f32,
}

fn is_zero(v: &f32) -> bool {
    *v == 0.0
}

/// An affine map of page points (y down): `[a, b, c, d, e, f]` takes
/// `(x, y)` to `(a·x + c·y + e, b·x + d·y + f)`, as PDF's `cm` and
/// tiny-skia's `Transform::from_row` read it.
pub type Affine = [f32; 6];

impl FrameBox {
    /// The turn of a rotated frame about the centre of its box, or `None`
    /// for an upright one.
    pub fn transform(&self) -> Option<Affine> {
        if self.rotate == 0.0 || !self.rotate.is_finite() {
            return None;
        }
        let (sin, cos) = self.rotate.to_radians().sin_cos();
        let (cx, cy) = (self.rect.x + self.rect.width / 2.0, self.rect.y + self.rect.height / 2.0);
        // Move the centre to the origin, turn, move back.
        Some([cos, sin, -sin, cos, cx - cos * cx + sin * cy, cy - sin * cx - cos * cy])
    }

    /// The four corners of the frame's box where they land on the page
    /// (top left, top right, bottom right, bottom left before the turn).
    pub fn corners(&self) -> [(f32, f32); 4] {
        let r = self.rect;
        let pts = [(r.x, r.y), (r.x + r.width, r.y), (r.x + r.width, r.y + r.height), (r.x, r.y + r.height)];
        match self.transform() {
            Some(m) => pts.map(|p| apply(&m, p)),
            None => pts,
        }
    }
}

/// Where `affine` takes the point `p`.
pub fn apply(m: &Affine, (x, y): (f32, f32)) -> (f32, f32) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

impl ScenePage {
    /// The turn of the frame an item was drawn in ([`FrameBox::transform`]),
    /// if that frame is rotated.
    pub fn transform_of(&self, origin: Origin) -> Option<Affine> {
        origin.frame.and_then(|f| self.frames.get(f)).and_then(FrameBox::transform)
    }
}

/// Where an item came from.
///
/// Page backgrounds have neither a frame nor a block. Frame decoration
/// (background, picture, border) has its frame and no block. Content
/// (glyph runs, list markers, rules, pictures and QR code squares) has both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Origin {
    /// Index into the page's [`ScenePage::frames`].
    pub frame: Option<usize>,
    /// 0-based index of the block in its frame's list of blocks. Text that
    /// flows on into `next` frames or onto new pages keeps the index of its
    /// block in the frame the flow starts from.
    pub block: Option<usize>,
    /// The figure (a picture or a QR code with alternative text) the item
    /// draws part of: an index into [`Scene::figures`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub figure: Option<usize>,
}

/// Something drawn on a page. Serialized with `"kind"`: `glyphs`, `rect`,
/// `line` or `image`.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
#[non_exhaustive]
pub enum Item {
    /// A run of glyphs.
    Glyphs(GlyphRun),
    /// A rectangle: a background, a border, a QR code module.
    Rect(RectItem),
    /// A straight line: a rule, or the underline or strike of an inline
    /// span (drawn after its line's glyph runs, with their block).
    Line(LineItem),
    /// A raster picture.
    Image(ImageItem),
}

impl Item {
    /// Where the item came from.
    pub fn origin(&self) -> Origin {
        match self {
            Item::Glyphs(g) => g.origin,
            Item::Rect(r) => r.origin,
            Item::Line(l) => l.origin,
            Item::Image(i) => i.origin,
        }
    }

    /// Where the item came from, to set it.
    pub fn origin_mut(&mut self) -> &mut Origin {
        match self {
            Item::Glyphs(g) => &mut g.origin,
            Item::Rect(r) => &mut r.origin,
            Item::Line(l) => &mut l.origin,
            Item::Image(i) => &mut i.origin,
        }
    }
}

/// Glyphs of one font, size and colour on one baseline, in visual order.
#[derive(Debug, Clone, Serialize)]
pub struct GlyphRun {
    /// Where the run came from.
    pub origin: Origin,
    /// Index into [`Scene::fonts`].
    pub font: usize,
    /// Font size in points.
    pub size: f32,
    /// Fill colour of the glyphs.
    pub color: Rgb,
    /// Baseline origin of the run: x from the page's left edge.
    pub x: f32,
    /// Baseline origin of the run: y from the page's top edge.
    pub y: f32,
    /// The run's text direction is right to left.
    pub rtl: bool,
    /// Which paragraph of the document the run belongs to (in reading order).
    pub paragraph: usize,
    /// A list item's marker (a bullet): drawn, and labelled as such in a
    /// tagged PDF, but not text.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub marker: bool,
    /// The address the run links to: a link annotation in the PDF.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Slant of a synthesized oblique: how far right a glyph's outline moves
    /// per point above the baseline (0: upright).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub slant: f32,
    /// A shadow drawn behind the glyphs (not text: it extracts as nothing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shadow: Option<TextShadow>,
    /// An outline stroked along the glyphs' edges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outline: Option<TextOutline>,
    /// A table's header row drawn again at the top of a frame, page or
    /// column the table flows on into: shown, but read once (an artifact
    /// in a tagged PDF, not in [`Scene::page_paragraphs`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub repeated: bool,
    /// The glyphs, left to right.
    pub glyphs: Vec<Glyph>,
}

/// A positioned glyph.
#[derive(Debug, Clone, Serialize)]
pub struct Glyph {
    /// Glyph id in the run's font.
    pub id: u16,
    /// Position of the glyph origin relative to the run origin, rightwards.
    pub x: f32,
    /// Position of the glyph origin relative to the run origin, downwards.
    pub y: f32,
    /// Advance width in points as laid out (justification included).
    pub advance: f32,
    /// Source text of the glyph's cluster (on one glyph per cluster).
    pub text: String,
    /// Byte offset of the cluster in its paragraph's text.
    pub cluster: usize,
    /// A tatweel inserted to justify the line: drawn, but not text (the
    /// copies of one stretched kashida share its cluster, the offset it
    /// was inserted at).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub kashida: bool,
}

/// A rectangle, optionally with rounded corners, filled and/or stroked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RectItem {
    /// Where the rectangle came from.
    pub origin: Origin,
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
    /// Corner radius (0 for square corners).
    pub radius: f32,
    /// How the inside is filled, if it is.
    pub fill: Option<Paint>,
    /// The outline, centred on the edge, if there is one.
    pub stroke: Option<Stroke>,
    /// 0 (invisible) to 1 (opaque).
    pub opacity: f32,
}

impl RectItem {
    /// A plain filled rectangle.
    pub fn filled(x: f32, y: f32, width: f32, height: f32, color: Rgb) -> RectItem {
        RectItem {
            origin: Origin::default(),
            x,
            y,
            width,
            height,
            radius: 0.0,
            fill: Some(Paint::Solid(color)),
            stroke: None,
            opacity: 1.0,
        }
    }
}

/// How an area is filled.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
#[non_exhaustive]
pub enum Paint {
    /// One colour.
    Solid(Rgb),
    /// A linear gradient from (x1, y1) to (x2, y2), in page coordinates.
    Linear {
        /// Where the gradient starts, x.
        x1: f32,
        /// Where the gradient starts, y.
        y1: f32,
        /// Where the gradient ends, x.
        x2: f32,
        /// Where the gradient ends, y.
        y2: f32,
        /// The colours along the way, by increasing offset.
        stops: Vec<GradientStop>,
    },
}

/// A colour at a position (0–1) along a gradient.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GradientStop {
    /// Position along the gradient, 0 at its start and 1 at its end.
    pub offset: f32,
    /// The colour there.
    pub color: Rgb,
}

/// An outline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Stroke {
    /// The line's colour.
    pub color: Rgb,
    /// The line's width in points.
    pub width: f32,
}

/// A raster picture drawn into a rectangle, clipped to another.
#[derive(Debug, Clone, Serialize)]
pub struct ImageItem {
    /// Where the picture came from.
    pub origin: Origin,
    /// Index into [`Scene::images`].
    pub image: usize,
    /// Where the whole picture is drawn (it may extend past the clip): left edge.
    pub x: f32,
    /// Top edge of the whole picture.
    pub y: f32,
    /// Width of the whole picture.
    pub width: f32,
    /// Height of the whole picture.
    pub height: f32,
    /// The visible area (the frame, for `cover`).
    pub clip: Rect,
    /// 0 (invisible) to 1 (opaque).
    pub opacity: f32,
}

/// A straight stroked line.
#[derive(Debug, Clone, Serialize)]
pub struct LineItem {
    /// Where the line came from.
    pub origin: Origin,
    /// Start, x.
    pub x1: f32,
    /// Start, y.
    pub y1: f32,
    /// End, x.
    pub x2: f32,
    /// End, y.
    pub y2: f32,
    /// Stroke width in points.
    pub width: f32,
    /// Stroke colour.
    pub color: Rgb,
}

impl Scene {
    /// The logical text of each paragraph on a page, in reading order,
    /// rebuilt from the glyphs' cluster texts: what the page says, whatever
    /// the visual order of its glyphs. White space that hangs at a line end
    /// is not drawn; it comes back as one space. A table's header repeated
    /// on a later page is read where it first stands only.
    pub fn page_paragraphs(&self, page: usize) -> Vec<String> {
        self.paragraphs_on(page).into_iter().map(|(_, text)| text).collect()
    }

    /// Like [`Scene::page_paragraphs`], each text with the paragraph's index
    /// in the document ([`GlyphRun::paragraph`]).
    pub fn paragraphs_on(&self, page: usize) -> Vec<(usize, String)> {
        let mut order: Vec<usize> = Vec::new();
        let mut parts: std::collections::HashMap<usize, Vec<(usize, &str)>> = Default::default();
        for item in &self.pages[page].items {
            if let Item::Glyphs(run) = item
                && !run.repeated
            {
                if !parts.contains_key(&run.paragraph) {
                    order.push(run.paragraph);
                }
                let v = parts.entry(run.paragraph).or_default();
                v.extend(run.glyphs.iter().filter(|g| !g.text.is_empty()).map(|g| (g.cluster, g.text.as_str())));
            }
        }
        order
            .into_iter()
            .map(|p| {
                let mut v = parts.remove(&p).unwrap_or_default();
                v.sort_by_key(|(c, _)| *c);
                let mut text = String::new();
                let mut next = v.first().map_or(0, |(c, _)| *c);
                for (c, t) in v {
                    if c > next {
                        text.push(' ');
                    }
                    text.push_str(t);
                    next = c + t.len();
                }
                (p, text)
            })
            .collect()
    }
}
