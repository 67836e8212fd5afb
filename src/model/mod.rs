//! The layout model: parse a TOML layout (version 1) and resolve it into a
//! [`Document`] where everything is in points, every style is resolved and
//! every font is a face in the [`FontBook`].
//!
//! This is the only module that knows TOML. It validates names (styles,
//! fonts) and reports mistakes as [`SourceError`]s with file, line and column.
//! It knows nothing of shaping, bidi or PDF.
//!
//! This file owns the resolved types a [`Document`] is made of, the only part
//! of the model later stages see, so they must not know TOML or how a value
//! was written. The work is in the submodules: `raw` holds the TOML as
//! written, `resolve` turns it into these types, and `load` holds the entry
//! point the [`Engine`](crate::Engine) calls.

pub mod locale;
pub mod markup;
pub mod values;

mod blocks;
mod load;
mod qr;
mod raw;
mod resolve;
mod table;
#[cfg(test)]
mod tests;

pub use crate::base::{ColorMode, Mark, Meta, PdfStandard, Platform, Print, Rect, TextEffects};
use crate::error::SourceError;
use crate::fonts::{FaceId, FontBook};
pub use crate::lang::digits::Digits;
pub(crate) use load::resolve_source;
pub(crate) use raw::schema as layout_schema;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
pub use values::{Color, ColumnWidth, Fill, LineHeight, Rgb};

/// Paragraph direction as written in a style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// From the first strong character (UAX #9 rules P2–P3).
    #[default]
    Auto,
    /// Right to left.
    Rtl,
    /// Left to right.
    Ltr,
}

/// Horizontal alignment of lines; `start` and `end` follow the paragraph direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    /// The edge where the paragraph's direction starts (right in RTL text).
    #[default]
    Start,
    /// The edge where the paragraph's direction ends (left in RTL text).
    End,
    /// Centred.
    Center,
    /// Both edges (kashida and spaces stretch the line); the last line at the start.
    Justify,
    /// The left edge, whatever the direction.
    Left,
    /// The right edge, whatever the direction.
    Right,
}

/// How lines are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum Wrap {
    /// Total fit over the paragraph (for justified text); first fit otherwise.
    #[default]
    Optimal,
    /// Lines of similar length (headings).
    Balance,
    /// First fit: as much as fits on each line.
    Greedy,
}

/// How justified lines are stretched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum Justify {
    /// Kashida first in Arabic-script words, spaces for the rest.
    #[default]
    Kashida,
    /// Word spaces only.
    Spaces,
}

/// How much kashida a justified paragraph may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum Kashida {
    /// Persian book conventions: spaces first, then at most one kashida in
    /// about half the words of a line, never in words under four letters nor
    /// in a suffix after a ZWNJ. Off by default for Kurdish.
    #[default]
    Auto,
    /// No kashida: word spaces only.
    Off,
    /// Display type (headlines, posters): kashida in words of three
    /// letters or more, in every word of a line when needed, and longer.
    Display,
}

/// How a fallback face's text is sized against the paragraph's face (like
/// CSS `font-size-adjust`), for Latin, Greek and Cyrillic text only.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub enum SizeAdjust {
    /// Only when the paragraph's face has no Latin letters (an Arabic face
    /// like Noto Naskh): the fallback's x-height two thirds of its alef.
    #[default]
    Auto,
    /// Never: fallback text at the paragraph's size.
    Off,
    /// Always: x-heights matched (with an Arabic face, as `Auto`).
    On,
    /// The fallback's x-height this fraction of the font size.
    Ratio(f32),
}

impl SizeAdjust {
    /// A hashable key.
    pub fn key(self) -> (u8, u32) {
        match self {
            SizeAdjust::Auto => (0, 0),
            SizeAdjust::Off => (1, 0),
            SizeAdjust::On => (2, 0),
            SizeAdjust::Ratio(r) => (3, r.to_bits()),
        }
    }
}

/// A run of text with one font, size and colour.
#[derive(Debug, Clone)]
pub struct Span {
    pub text: String,
    /// Preferred face.
    pub face: FaceId,
    /// Faces to try, in order, for characters the preferred face lacks.
    pub fallbacks: Vec<FaceId>,
    pub size: f32,
    pub color: Rgb,
    /// The address this text links to (`[text](address)` in the layout).
    pub link: Option<String>,
    /// What an inline span (`[text]{…}`) adds: lines, slant, language,
    /// direction, no breaks. The default for text outside spans.
    pub inline: Inline,
}

/// What an inline span sets besides font, size and colour.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Inline {
    /// A line under the text.
    pub underline: bool,
    /// A line through the text.
    pub strike: bool,
    /// Slanted (synthesized oblique) where the text runs left to right.
    pub oblique: bool,
    /// The language to shape with (a BCP 47 tag), when not the document's.
    pub language: Option<String>,
    /// The span's text is isolated with this direction (`true`: right to left).
    pub rtl: Option<bool>,
    /// Which span this text belongs to (pieces of one span share it; 0 for
    /// text outside spans): a direction isolates the whole span.
    pub group: usize,
    /// No line ends inside the span.
    pub nobreak: bool,
}

/// Paragraph-level settings resolved from a style.
#[derive(Debug, Clone, Serialize)]
pub struct ParaStyle {
    /// The style's font size in points (inline spans may be larger: their
    /// lines grow in proportion).
    pub size: f32,
    pub align: Align,
    pub direction: Direction,
    /// Line height in points.
    pub line_height: f32,
    pub space_before: f32,
    pub space_after: f32,
    /// Direction for `auto` paragraphs with no strong character (a phone
    /// number, a date): the document language's direction.
    pub fallback_rtl: bool,
    /// How much kashida justified lines may use.
    pub kashida: Kashida,
    /// How lines are chosen.
    pub wrap: Wrap,
    /// Hyphenate Latin-script words with the patterns of this language
    /// (ISO 639-1), when it has them: justified text in en, de, sv, ….
    pub hyphenate: Option<[u8; 2]>,
    /// Display text: no line ends on the hyphen of a compound
    /// («Worker- / communist»); set with balanced lines and never justified.
    pub display: bool,
    /// Justify the last line too (with `align = "justify"`).
    pub justify_last: bool,
    /// Indent of the first line on the start side, in points.
    pub first_line_indent: f32,
    /// OpenType features for the shaper, as HarfBuzz writes them (validated).
    pub features: Vec<String>,
    /// How text in a fallback face is sized.
    pub fallback_size_adjust: SizeAdjust,
    /// A shadow and an outline drawn with the text.
    pub effects: TextEffects,
}

/// A paragraph: styled spans plus paragraph settings. `origin` says where
/// it came from, for messages.
#[derive(Debug, Clone)]
pub struct Paragraph {
    pub spans: Vec<Span>,
    pub style: ParaStyle,
    pub origin: String,
}

impl Paragraph {
    /// The paragraph's text (all spans).
    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }

    /// Byte ranges of the paragraph text, one per inline span group, with
    /// what its spans say: consecutive spans of one group form one range.
    pub fn groups(&self) -> Vec<(std::ops::Range<usize>, &Inline)> {
        let mut out: Vec<(std::ops::Range<usize>, &Inline)> = Vec::new();
        let mut at = 0;
        for s in &self.spans {
            let end = at + s.text.len();
            match out.last_mut() {
                Some((r, i)) if i.group == s.inline.group && s.inline.group != 0 => r.end = end,
                _ if s.inline.group != 0 => out.push((at..end, &s.inline)),
                _ => {}
            }
            at = end;
        }
        out
    }

    /// Byte ranges no line may end inside (`nobreak` spans).
    pub fn nobreak_ranges(&self) -> Vec<std::ops::Range<usize>> {
        let mut out: Vec<std::ops::Range<usize>> = Vec::new();
        for (r, _) in self.groups().into_iter().filter(|(_, i)| i.nobreak) {
            match out.last_mut() {
                // A span nested in a nobreak span continues it.
                Some(last) if last.end == r.start => last.end = r.end,
                _ => out.push(r),
            }
        }
        out
    }
}

/// A block in a frame, in reading order.
#[derive(Debug, Clone)]
pub enum Block {
    Paragraph(Paragraph),
    /// A heading: a paragraph that titles what follows.
    Heading(Paragraph),
    List {
        items: Vec<Paragraph>,
        /// The marker, shaped with the item style.
        marker: Paragraph,
        /// Distance from the frame's start edge to the item text.
        indent: f32,
    },
    Rule {
        thickness: f32,
        color: Rgb,
        /// Length of the rule; the frame width when `None`.
        length: Option<f32>,
        /// Alignment of a shorter rule (start, center, end).
        align: Align,
        space_before: f32,
        space_after: f32,
    },
    Spacer(f32),
    /// Persian verse: couplets of two hemistichs set side by side (or
    /// stacked), each stretched to the same width.
    Verse(Verse),
    /// A table: cells in rows and columns, each a paragraph.
    Table(Table),
    /// A picture as wide as the frame (or its own height's worth).
    Image {
        picture: FramePicture,
        /// What the picture shows, for a reader who cannot see it (`None`: decoration).
        alt: Option<String>,
        /// Height of the box; `None` keeps the picture's aspect at the frame width.
        height: Option<f32>,
        align: Align,
        space_before: f32,
        space_after: f32,
    },
    /// A QR code drawn as vector squares.
    Qr {
        /// What the code says, for a reader who cannot scan it.
        alt: String,
        /// Dark modules, row by row, `width` per row.
        modules: Vec<bool>,
        width: usize,
        /// Side of the square, quiet zone included.
        size: f32,
        color: Rgb,
        /// Light colour (and the 4-module quiet zone); `None` leaves it transparent.
        background: Option<Rgb>,
        align: Align,
        space_before: f32,
        space_after: f32,
    },
}

/// A verse block: couplets of two hemistichs, each a one-line paragraph
/// justified to the hemistich width (its last line included).
#[derive(Debug, Clone)]
pub struct Verse {
    /// The couplets in reading order: (first hemistich, second hemistich).
    pub couplets: Vec<[Paragraph; 2]>,
    /// Space between the hemistichs of a couplet set side by side, in points.
    pub gap: f32,
    /// The width every hemistich takes; `None`: the widest one's natural width.
    pub hemistich_width: Option<f32>,
    /// Always set the hemistichs one above the other.
    pub stacked: bool,
}

/// A table block: its cells (each a paragraph) placed on a grid of rows
/// and columns, with the header rows that repeat where it flows on.
#[derive(Debug, Clone)]
pub struct Table {
    /// The columns' widths as written, in reading order.
    pub columns: Vec<ColumnWidth>,
    /// The cells in reading order: row by row, each row from its first column.
    pub cells: Vec<Cell>,
    /// How many of the first rows are the header.
    pub header: usize,
    /// Runs of rows that go together (rows a cell spans are never parted):
    /// the header's rows are the first, when there is a header.
    pub groups: Vec<std::ops::Range<usize>>,
    /// The first column is on the right.
    pub rtl: bool,
    /// Space between a cell's edges and its text, in points.
    pub padding: f32,
    /// The outer border: colour and width.
    pub border: Option<(Rgb, f32)>,
    /// Lines between rows.
    pub row_rules: bool,
    /// Lines between columns.
    pub column_rules: bool,
    /// The lines between cells: colour and width.
    pub rule: (Rgb, f32),
    /// The fill behind the header rows.
    pub header_fill: Option<Rgb>,
    /// Fills behind the body rows, taken in turn.
    pub fills: Vec<Rgb>,
    pub space_before: f32,
    pub space_after: f32,
}

/// A table cell: a paragraph at its place on the grid.
#[derive(Debug, Clone)]
pub struct Cell {
    pub para: Paragraph,
    /// Its first row and column (columns in reading order).
    pub row: usize,
    pub col: usize,
    pub rowspan: usize,
    pub colspan: usize,
    /// Its own fill, over its row's.
    pub fill: Option<Rgb>,
    /// Where its text sits vertically.
    pub valign: VAlign,
    /// A cell of the header rows.
    pub header: bool,
}

/// How a frame divides its content box into columns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Columns {
    /// How many columns (1–12).
    pub count: usize,
    /// Space between two columns, in points.
    pub gutter: f32,
    /// Fill the columns the content reaches to about the same height.
    pub balance: bool,
    /// A rule in the middle of each gutter: colour and width.
    pub rule: Option<(Rgb, f32)>,
}

impl Default for Columns {
    fn default() -> Self {
        Columns { count: 1, gutter: 5.0 * values::PT_PER_MM, balance: false, rule: None }
    }
}

/// A frame: a rectangle on a page holding blocks.
#[derive(Debug, Clone)]
pub struct Frame {
    pub name: String,
    /// 0-based page index.
    pub page: usize,
    pub rect: Rect,
    pub blocks: Vec<Block>,
    /// Vertical alignment of the content inside the frame.
    pub valign: VAlign,
    /// Fill behind the frame.
    pub background: Option<Fill>,
    /// Outline of the frame.
    pub border: Option<(Rgb, f32)>,
    /// Corner radius of the background and border.
    pub radius: f32,
    /// Opacity of the background, border and picture (0–1).
    pub opacity: f32,
    /// A picture filling the frame (behind its blocks).
    pub image: Option<FramePicture>,
    /// Space between the frame's edges and its content.
    pub padding: f32,
    /// What happens when the content is taller than the frame.
    pub fit: Fit,
    /// With `fit = "shrink"`: the smallest font size text may reach.
    pub min_size: f32,
    /// With `fit = "flow"`: the frame the text continues in (index into
    /// `Document::frames`); `None` adds pages with a copy of this frame.
    pub next: Option<usize>,
    /// At least this many lines of a paragraph at the top of a frame it flows into.
    pub widows: usize,
    /// At least this many lines of a paragraph at the bottom of a frame it flows out of.
    pub orphans: usize,
    /// Its place in reading order (a screen reader's, the tagged PDF's):
    /// frames are read by this key, ties in layout order; by default the
    /// frame's position in the layout, from 1.
    pub order: i64,
    /// This frame only receives text flowing from another frame.
    pub continuation: bool,
    /// Edges on the trim extend into the bleed.
    pub bleed: bool,
    /// Placed on the document's last page, after flowing text made its pages.
    pub last_page: bool,
    /// The columns the content flows through.
    pub columns: Columns,
    /// Degrees the frame and its content turn about the frame's centre,
    /// clockwise on the page.
    pub rotate: f32,
}

/// A picture placed in a frame or a block.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FramePicture {
    /// Index into [`Document::pictures`].
    pub picture: usize,
    pub fit: ImageFit,
    pub opacity: f32,
}

/// How a picture fills its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum ImageFit {
    /// Whole picture visible, aspect kept, centred in the box.
    #[default]
    Contain,
    /// Box filled, aspect kept, the overflow clipped.
    Cover,
    /// Box filled, aspect ignored.
    Fill,
}

/// What a frame does with content taller than itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum Fit {
    /// Report the overflow as an error naming the frame.
    #[default]
    Error,
    /// Scale the text down (to `min_size` at least) until it fits.
    Shrink,
    /// Continue in the `next` frame, or on new pages.
    Flow,
}

/// Vertical placement of a frame's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum VAlign {
    /// Content starts at the top of the frame.
    #[default]
    Top,
    /// Content is centred vertically.
    Middle,
    /// Content ends at the bottom of the frame.
    Bottom,
}

/// Page geometry.
#[derive(Debug, Clone, Serialize)]
pub struct PageSpec {
    pub width: f32,
    pub height: f32,
    /// Background of the page, if any.
    pub background: Option<Fill>,
}

/// A resolved layout: a layout read in a locale and with a data row, its
/// styles, fonts and pictures resolved and every length in points.
///
/// [`Engine::load`](crate::Engine::load) and its siblings make one;
/// [`Engine::layout`](crate::Engine::layout) and
/// [`Engine::render`](crate::Engine::render) lay it out. Its contents are
/// internal; the few facts an embedder needs before laying it out have
/// accessors, and everything laid out is in the [`Scene`](crate::Scene).
///
/// ```
/// let engine = nashr::Engine::new();
/// let doc = engine.load_str("card.toml", "[meta]\ntitle = \"دعوت\"\nlanguage = \"fa\"\n[page]\nsize = \"A6\"\n")?;
/// assert_eq!((doc.title(), doc.language(), doc.is_rtl()), ("دعوت", "fa", true));
/// # Ok::<(), nashr::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Document {
    pub(crate) pages: Vec<PageSpec>,
    pub(crate) frames: Vec<Frame>,
    pub(crate) fonts: FontBook,
    pub(crate) meta: Meta,
    /// Pictures used by frames and blocks, each once.
    pub(crate) pictures: Vec<crate::picture::Picture>,
    /// The document's language is written right to left (`start` is the right edge).
    pub(crate) rtl: bool,
    /// Print settings: colour mode, standard, bleed and marks.
    pub(crate) print: Print,
    /// The page count the layout fixes (`pages = N`): flowing text keeps
    /// within it, shrunk if it must be.
    pub(crate) fixed_pages: Option<usize>,
    /// How much work the document may ask of the layout.
    pub(crate) limits: crate::Limits,
    /// The files read besides the layout: locale, fonts, pictures, profile.
    pub(crate) inputs: Vec<PathBuf>,
}

impl Document {
    /// The title, from `[meta]` (with the locale's strings filled in).
    pub fn title(&self) -> &str {
        &self.meta.title
    }

    /// The language the document is set in: the locale's, else the
    /// layout's `[meta] language` (a BCP 47 tag, or empty).
    pub fn language(&self) -> &str {
        &self.meta.language
    }

    /// Whether the document's language is written right to left, so that
    /// `start` alignment means the right edge.
    pub fn is_rtl(&self) -> bool {
        self.rtl
    }

    /// The files this document was read from besides the layout itself:
    /// its locale file, the font files, pictures and ICC profile the layout
    /// names, each once, as resolved paths. A tool that re-renders on every
    /// save (`nashr watch`) watches these.
    pub fn inputs(&self) -> &[PathBuf] {
        &self.inputs
    }
}

/// Errors from reading and resolving a layout; the engine reports them as
/// [`crate::Error::Read`] and [`crate::Error::Source`].
#[derive(Debug, thiserror::Error)]
pub(crate) enum ModelError {
    #[error("cannot read layout {path}: {err}")]
    Read { path: PathBuf, err: std::io::Error },
    #[error("{0}")]
    Source(Box<SourceError>),
}
