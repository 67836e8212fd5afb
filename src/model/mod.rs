//! The layout model: parse a TOML layout (version 1) and resolve it into a
//! [`Document`] where everything is in points, every style is resolved and
//! every font is a face in the [`FontBook`].
//!
//! This is the only module that knows TOML. It validates names (styles,
//! fonts) and reports mistakes as [`SourceError`]s with file, line and column.
//! It knows nothing of shaping, bidi or PDF.

pub mod locale;
pub mod markup;
pub mod values;

pub use crate::base::{ColorMode, Mark, Meta, PdfStandard, Print, Rect};
use crate::error::SourceError;
use crate::fonts::{FaceId, FontBook, FontError};
pub use crate::lang::digits::Digits;
use crate::lang::{hyphenation_language, is_rtl_language};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;
pub use values::{Color, Fill, Length, LineHeight, Rgb, Weight};

/// Paragraph direction as written in a style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// From the first strong character (UAX #9 rules P2–P3).
    #[default]
    Auto,
    Rtl,
    Ltr,
}

/// Horizontal alignment of lines; `start` and `end` follow the paragraph direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    #[default]
    Start,
    End,
    Center,
    Justify,
    Left,
    Right,
}

/// How lines are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Justify {
    /// Kashida first in Arabic-script words, spaces for the rest.
    #[default]
    Kashida,
    /// Word spaces only.
    Spaces,
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
}

/// Paragraph-level settings resolved from a style.
#[derive(Debug, Clone, Serialize)]
pub struct ParaStyle {
    pub align: Align,
    pub direction: Direction,
    /// Line height in points.
    pub line_height: f32,
    pub space_before: f32,
    pub space_after: f32,
    /// Direction for `auto` paragraphs with no strong character (a phone
    /// number, a date): the document language's direction.
    pub fallback_rtl: bool,
    /// Justify Arabic-script words with kashida (else spaces only).
    pub kashida: bool,
    /// How lines are chosen.
    pub wrap: Wrap,
    /// Hyphenate Latin-script words with the patterns of this language
    /// (ISO 639-1), when it has them: justified text in en, de, sv, ….
    pub hyphenate: Option<[u8; 2]>,
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
}

/// A block in a frame, in reading order.
#[derive(Debug, Clone)]
pub enum Block {
    Paragraph(Paragraph),
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
    /// A picture as wide as the frame (or its own height's worth).
    Image {
        picture: FramePicture,
        /// Height of the box; `None` keeps the picture's aspect at the frame width.
        height: Option<f32>,
        align: Align,
        space_before: f32,
        space_after: f32,
    },
    /// A QR code drawn as vector squares.
    Qr {
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
    /// This frame only receives text flowing from another frame.
    pub continuation: bool,
    /// Edges on the trim extend into the bleed.
    pub bleed: bool,
    /// Placed on the document's last page, after flowing text made its pages.
    pub last_page: bool,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum VAlign {
    #[default]
    Top,
    Middle,
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

/// A resolved layout: pages and frames in points, fonts in a [`FontBook`].
#[derive(Debug, Clone)]
pub struct Document {
    pub pages: Vec<PageSpec>,
    pub frames: Vec<Frame>,
    pub fonts: FontBook,
    pub meta: Meta,
    /// Pictures used by frames and blocks, each once.
    pub pictures: Vec<crate::picture::Picture>,
    /// The document's language is written right to left (`start` is the right edge).
    pub rtl: bool,
    /// Print settings: colour mode, standard, bleed and marks.
    pub print: Print,
}

/// Errors from reading and resolving a layout.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("cannot read layout {path}: {err}")]
    Read { path: PathBuf, err: std::io::Error },
    #[error("{0}")]
    Source(Box<SourceError>),
}

impl ModelError {
    /// The source position, when the error points into the layout.
    pub fn source_error(&self) -> Option<&SourceError> {
        match self {
            ModelError::Source(e) => Some(e),
            ModelError::Read { .. } => None,
        }
    }
}

// ---------------------------------------------------------------- raw TOML

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLayout {
    version: Option<Spanned<i64>>,
    /// Run the Persian normaliser over every text of the layout.
    normalize: Option<bool>,
    #[serde(default)]
    fonts: Vec<Spanned<String>>,
    /// Named colours, read before the rest (see `named_colors`).
    #[serde(default)]
    #[allow(dead_code)]
    colors: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    print: RawPrint,
    #[serde(default)]
    meta: RawMeta,
    page: RawPage,
    #[serde(default)]
    styles: BTreeMap<String, Spanned<RawStyle>>,
    #[serde(default, rename = "frame")]
    frames: Vec<Spanned<RawFrame>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    title: Option<String>,
    author: Option<String>,
    subject: Option<String>,
    language: Option<String>,
    /// The locale used when none is given (a file, relative to the layout).
    locale: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPrint {
    color_mode: Option<ColorMode>,
    pdf_standard: Option<PdfStandard>,
    icc_profile: Option<Spanned<String>>,
    output_condition: Option<String>,
    safe_margin: Option<Length>,
}

/// A page dimension, remembering whether it was given in pixels (a screen
/// page: no bleed by default).
#[derive(Debug, Clone, Copy)]
struct PageLength {
    length: Length,
    px: bool,
}

impl<'de> Deserialize<'de> for PageLength {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = toml::Value::deserialize(d)?;
        let px = v.as_str().is_some_and(|s| s.trim().ends_with("px"));
        let length = Length::deserialize(v).map_err(serde::de::Error::custom)?;
        Ok(PageLength { length, px })
    }
}

/// Only the `[colors]` table, read first so that names can be used anywhere.
#[derive(Deserialize)]
struct ColorsOnly {
    #[serde(default)]
    colors: BTreeMap<String, Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    size: Option<Spanned<String>>,
    width: Option<PageLength>,
    height: Option<PageLength>,
    orientation: Option<Orientation>,
    margin: Option<Length>,
    margin_top: Option<Length>,
    margin_bottom: Option<Length>,
    margin_start: Option<Length>,
    margin_end: Option<Length>,
    background: Option<Fill>,
    pages: Option<Spanned<i64>>,
    bleed: Option<Length>,
    marks: Option<Vec<Mark>>,
}

#[derive(Deserialize, Clone, Copy, PartialEq)]
#[serde(rename_all = "lowercase")]
enum Orientation {
    Portrait,
    Landscape,
}

#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
struct RawStyle {
    parent: Option<Spanned<String>>,
    font: Option<Spanned<String>>,
    fallback: Option<Vec<Spanned<String>>>,
    weight: Option<Weight>,
    size: Option<Length>,
    line_height: Option<LineHeight>,
    color: Option<Color>,
    align: Option<Align>,
    direction: Option<Direction>,
    space_before: Option<Length>,
    space_after: Option<Length>,
    justify: Option<Justify>,
    wrap: Option<Wrap>,
    digits: Option<Digits>,
    normalize: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrame {
    name: Option<String>,
    page: Option<Spanned<toml::Value>>,
    x: Option<Length>,
    y: Option<Length>,
    width: Option<Length>,
    height: Option<Length>,
    valign: Option<VAlign>,
    background: Option<Fill>,
    border_color: Option<Color>,
    border_width: Option<Length>,
    radius: Option<Length>,
    opacity: Option<f32>,
    image: Option<Spanned<String>>,
    image_fit: Option<ImageFit>,
    image_opacity: Option<f32>,
    padding: Option<Length>,
    bleed: Option<bool>,
    fit: Option<Fit>,
    min_size: Option<Length>,
    next: Option<Spanned<String>>,
    widows: Option<Spanned<i64>>,
    orphans: Option<Spanned<i64>>,
    #[serde(default, rename = "block")]
    blocks: Vec<Spanned<RawBlock>>,
}

/// One block; which keys are allowed depends on `type`, checked in `resolve_block`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBlock {
    #[serde(rename = "type")]
    kind: Spanned<String>,
    text: Option<Spanned<String>>,
    style: Option<Spanned<String>>,
    items: Option<Vec<Spanned<String>>>,
    marker: Option<String>,
    indent: Option<Length>,
    thickness: Option<Length>,
    color: Option<Color>,
    length: Option<Length>,
    align: Option<Align>,
    height: Option<Length>,
    space_before: Option<Length>,
    space_after: Option<Length>,
    path: Option<Spanned<String>>,
    fit: Option<ImageFit>,
    opacity: Option<f32>,
    data: Option<Spanned<String>>,
    size: Option<Length>,
    background: Option<Color>,
}

// ---------------------------------------------------------------- resolving

/// A fully resolved style (character and paragraph properties).
#[derive(Debug, Clone)]
struct Style {
    family: String,
    fallback: Vec<String>,
    weight: u16,
    size: f32,
    line_height: LineHeight,
    color: Rgb,
    align: Align,
    direction: Direction,
    space_before: f32,
    space_after: f32,
    justify: Justify,
    wrap: Option<Wrap>,
    digits: Digits,
    normalize: bool,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            family: crate::fonts::DEFAULT_FAMILY.to_string(),
            fallback: Vec::new(),
            weight: 400,
            size: 10.0,
            line_height: LineHeight::Multiple(1.5),
            color: Rgb::BLACK,
            align: Align::Start,
            direction: Direction::Auto,
            space_before: 0.0,
            space_after: 0.0,
            justify: Justify::Kashida,
            wrap: None,
            digits: Digits::Keep,
            normalize: false,
        }
    }
}

struct Resolver<'a> {
    /// The engine's font and picture files.
    files: &'a crate::engine::Shared,
    file: &'a Path,
    src: &'a str,
    fonts: FontBook,
    raw_styles: &'a BTreeMap<String, Spanned<RawStyle>>,
    styles: BTreeMap<String, Style>,
    rtl_language: bool,
    pictures: Vec<crate::picture::Picture>,
    normalize: bool,
    /// The locale whose strings fill `{{key}}` placeholders.
    locale: Option<&'a locale::Locale>,
    /// The locale's direction differs from the layout's: mirror frames.
    mirror: bool,
    /// The document's language (the locale's, else the layout's).
    language: String,
}

impl Resolver<'_> {
    fn err(&self, span: Range<usize>, msg: impl Into<String>) -> ModelError {
        ModelError::Source(Box::new(SourceError::new(self.file, self.src, span, msg)))
    }

    /// Load a picture named in the layout (relative to the layout file),
    /// once per document; errors name the file and the frame.
    fn picture(&mut self, path: &Spanned<String>, frame: &str) -> Result<usize, ModelError> {
        let source = path.get_ref();
        if let Some(i) = self.pictures.iter().position(|p| &p.source == source) {
            return Ok(i);
        }
        let full = self.file.parent().unwrap_or(Path::new(".")).join(source);
        let picture = self
            .files
            .pictures
            .load(&full, source)
            .map_err(|e| self.err(path.span(), format!("in frame \"{frame}\": {e}")))?;
        self.pictures.push(picture);
        Ok(self.pictures.len() - 1)
    }

    /// Add the system's faces of `family` to the book when the book lacks
    /// the family and the engine offers system fonts.
    fn load_system_family(&mut self, family: &str) {
        if self.fonts.has_family(family) {
            return;
        }
        let Some(system) = self.files.system_fonts() else { return };
        for path in system.files_of(family) {
            // A system font that cannot be read is as if it were not installed.
            let _ = self.fonts.load_file(&self.files.fonts, &path);
        }
    }

    fn style_names(&self) -> String {
        let names: Vec<&str> = self.raw_styles.keys().map(|s| s.as_str()).collect();
        if names.is_empty() { "none are defined; add a [styles.NAME] table".into() } else { names.join(", ") }
    }

    /// Resolve a style by name, following `parent` links (cycles are errors).
    fn style(&mut self, name: &str, span: Range<usize>, chain: &mut Vec<String>) -> Result<Style, ModelError> {
        if let Some(s) = self.styles.get(name) {
            return Ok(s.clone());
        }
        let Some(raw) = self.raw_styles.get(name) else {
            return Err(self.err(span, format!("unknown style \"{name}\"; styles defined: {}", self.style_names())));
        };
        if chain.iter().any(|c| c == name) {
            chain.push(name.to_string());
            return Err(
                self.err(raw.span(), format!("styles inherit from each other in a cycle: {}", chain.join(" → ")))
            );
        }
        chain.push(name.to_string());
        let raw = raw.get_ref().clone();
        let mut style = match &raw.parent {
            Some(p) => self.style(p.get_ref(), p.span(), chain)?,
            None => Style::default(),
        };
        if let Some(f) = &raw.font {
            self.load_system_family(f.get_ref());
            if !self.fonts.has_family(f.get_ref()) {
                return Err(self.err(
                    f.span(),
                    format!("unknown font family \"{}\"; families available: {} (add font files with `fonts = [\"path.ttf\"]`)", f.get_ref(), self.fonts.families().join(", ")),
                ));
            }
            style.family = f.get_ref().clone();
        }
        if let Some(list) = &raw.fallback {
            style.fallback.clear();
            for f in list {
                self.load_system_family(f.get_ref());
                if !self.fonts.has_family(f.get_ref()) {
                    return Err(self.err(
                        f.span(),
                        format!(
                            "unknown fallback font family \"{}\"; families available: {}",
                            f.get_ref(),
                            self.fonts.families().join(", ")
                        ),
                    ));
                }
                style.fallback.push(f.get_ref().clone());
            }
        }
        macro_rules! set {
            ($field:ident) => {
                if let Some(v) = raw.$field {
                    style.$field = v;
                }
            };
        }
        set!(line_height);
        set!(align);
        set!(direction);
        set!(justify);
        set!(digits);
        set!(normalize);
        if raw.wrap.is_some() {
            style.wrap = raw.wrap;
        }
        if let Some(w) = raw.weight {
            style.weight = w.0;
        }
        if let Some(s) = raw.size {
            style.size = s.0;
        }
        if let Some(c) = raw.color {
            style.color = c.0;
        }
        if let Some(v) = raw.space_before {
            style.space_before = v.0;
        }
        if let Some(v) = raw.space_after {
            style.space_after = v.0;
        }
        if style.size <= 0.0 || style.size > 2000.0 {
            return Err(self.err(
                self.raw_styles[name].span(),
                format!("style \"{name}\" has font size {} pt; it must be between 0 and 2000", style.size),
            ));
        }
        chain.pop();
        self.styles.insert(name.to_string(), style.clone());
        Ok(style)
    }

    /// The style named by a block, or the default for its type: a missing
    /// default style falls back to the built-in one.
    fn block_style(&mut self, named: &Option<Spanned<String>>, default: &str) -> Result<Style, ModelError> {
        match named {
            Some(s) => self.style(s.get_ref(), s.span(), &mut Vec::new()),
            None if self.raw_styles.contains_key(default) => self.style(default, 0..0, &mut Vec::new()),
            None => Ok(Style::default()),
        }
    }

    fn face(&self, family: &str, weight: u16) -> FaceId {
        // Families were validated when the style was resolved.
        self.fonts
            .resolve(family, weight)
            .unwrap_or_else(|_| self.fonts.resolve(crate::fonts::DEFAULT_FAMILY, weight).unwrap_or(0))
    }

    fn paragraph(&self, text: &Spanned<String>, style: &Style, origin: String) -> Result<Paragraph, ModelError> {
        self.paragraph_wrapped(text, style, origin, Wrap::Optimal)
    }

    /// A paragraph whose wrap mode is `default_wrap` unless its style says otherwise.
    fn paragraph_wrapped(
        &self,
        text: &Spanned<String>,
        style: &Style,
        origin: String,
        default_wrap: Wrap,
    ) -> Result<Paragraph, ModelError> {
        let filled = locale::fill_in(text.get_ref(), self.locale, self.file, self.src, text.span())?;
        // A locale brings its language's direction, digits and (if it names one) font.
        let localized;
        let style = match self.locale.filter(|l| l.conventions) {
            Some(l) => {
                let mut s = style.clone();
                s.direction = l.direction;
                s.digits = l.digits;
                if let Some(f) = &l.font {
                    s.family = f.clone();
                }
                localized = s;
                &localized
            }
            None => style,
        };
        let source =
            if style.normalize || self.normalize { crate::lang::normalize::normalize(&filled).0 } else { filled };
        let mut pieces = markup::parse_inline(&source).map_err(|m| self.err(text.span(), m))?;
        convert_digits(&mut pieces, style.digits);
        let spans = pieces
            .into_iter()
            .map(|p| {
                let weight = if p.bold { if style.weight >= 700 { 900 } else { 700 } } else { style.weight };
                Span {
                    text: p.text,
                    face: self.face(&style.family, weight),
                    fallbacks: style.fallback.iter().map(|f| self.face(f, weight)).collect(),
                    size: style.size,
                    color: style.color,
                    link: p.link,
                }
            })
            .collect();
        Ok(Paragraph {
            spans,
            style: ParaStyle {
                align: style.align,
                direction: style.direction,
                line_height: style.line_height.resolve(style.size),
                space_before: style.space_before,
                space_after: style.space_after,
                fallback_rtl: self.rtl_language,
                kashida: style.justify == Justify::Kashida,
                wrap: style.wrap.unwrap_or(default_wrap),
                hyphenate: (style.align == Align::Justify).then(|| hyphenation_language(&self.language)).flatten(),
            },
            origin,
        })
    }
}

/// Convert the digits of inline pieces, deciding context over the whole paragraph.
fn convert_digits(pieces: &mut [markup::Piece], to: Digits) {
    if to == Digits::Keep {
        return;
    }
    let whole: String = pieces.iter().map(|p| p.text.as_str()).collect();
    let mut context = crate::lang::digits::convertible(&whole, to).into_iter();
    for p in pieces.iter_mut() {
        p.text = p.text.chars().map(|c| if context.next().unwrap_or(false) { to.map(c) } else { c }).collect();
    }
}

/// Read and resolve a layout file. Font paths in the layout are relative to
/// the layout file.
///
/// ```no_run
/// let doc = nashr::model::load(std::path::Path::new("layouts/invitation-a5.toml"))?;
/// assert_eq!(doc.pages.len(), 2);
/// # Ok::<(), nashr::model::ModelError>(())
/// ```
pub fn load(path: &Path) -> Result<Document, ModelError> {
    let src = std::fs::read_to_string(path).map_err(|err| ModelError::Read { path: path.to_path_buf(), err })?;
    parse(&src, path)
}

/// Resolve layout source text with an engine's files, in a locale and with a data row.
pub(crate) fn resolve_source(
    files: &crate::engine::Shared,
    src: &str,
    path: &Path,
    locale: Option<&locale::Locale>,
    row: Option<&locale::DataRow>,
) -> Result<Document, crate::Error> {
    resolve(files, src, path, FontBook::with_bundled(), locale, row).map_err(crate::Error::from)
}

/// Resolve layout source text; `path` names the file in messages and anchors
/// relative font paths.
pub fn parse(src: &str, path: &Path) -> Result<Document, ModelError> {
    parse_with_fonts(src, path, FontBook::with_bundled())
}

/// Like [`parse`], starting from a given font book (fonts already loaded stay shared).
pub fn parse_with_fonts(src: &str, path: &Path, fonts: FontBook) -> Result<Document, ModelError> {
    parse_localized(src, path, fonts, None)
}

/// Read and resolve a layout in a locale: `{{key}}` placeholders take the
/// locale's strings, and the layout takes the locale's direction (mirroring
/// its frames when the direction differs from the layout's own language),
/// digits and font.
///
/// ```no_run
/// use nashr::model::{load_localized, locale::Locale};
/// let en = Locale::load(std::path::Path::new("locales/en.toml"))?;
/// let doc = load_localized(std::path::Path::new("layouts/invitation-square.toml"), Some(&en))?;
/// assert!(!doc.rtl);
/// # Ok::<(), nashr::model::ModelError>(())
/// ```
pub fn load_localized(path: &Path, locale: Option<&locale::Locale>) -> Result<Document, ModelError> {
    load_with_row(path, locale, None)
}

/// [`load_localized`] with a data row whose values fill `{{column}}`
/// placeholders before the locale's strings (variable-data printing).
pub fn load_with_row(
    path: &Path,
    locale: Option<&locale::Locale>,
    row: Option<&locale::DataRow>,
) -> Result<Document, ModelError> {
    let src = std::fs::read_to_string(path).map_err(|err| ModelError::Read { path: path.to_path_buf(), err })?;
    parse_with_row(&src, path, FontBook::with_bundled(), locale, row)
}

/// [`parse_with_fonts`] in a locale (see [`load_localized`]); `None` uses the
/// layout's default locale (`locale` in `[meta]`), if it names one.
pub fn parse_localized(
    src: &str,
    path: &Path,
    fonts: FontBook,
    locale: Option<&locale::Locale>,
) -> Result<Document, ModelError> {
    parse_with_row(src, path, fonts, locale, None)
}

/// [`parse_localized`] with a data row (see [`load_with_row`]).
pub fn parse_with_row(
    src: &str,
    path: &Path,
    fonts: FontBook,
    locale: Option<&locale::Locale>,
    row: Option<&locale::DataRow>,
) -> Result<Document, ModelError> {
    resolve(&crate::engine::Shared::default(), src, path, fonts, locale, row)
}

fn resolve(
    files: &crate::engine::Shared,
    src: &str,
    path: &Path,
    fonts: FontBook,
    locale: Option<&locale::Locale>,
    row: Option<&locale::DataRow>,
) -> Result<Document, ModelError> {
    let toml_error = |e: toml::de::Error| {
        let span = e.span().unwrap_or(0..0);
        ModelError::Source(Box::new(SourceError::new(path, src, span, e.message().trim().to_string())))
    };
    let names = named_colors(src, path)?;
    let raw: RawLayout = values::with_named_colors(names, || toml::from_str(src)).map_err(toml_error)?;
    let default_locale = match (&raw.meta.locale, locale) {
        (Some(f), None) => {
            let p = path.parent().unwrap_or(Path::new(".")).join(f.get_ref());
            Some(locale::Locale::load(&p).map_err(|e| match e {
                ModelError::Read { err, .. } => ModelError::Source(Box::new(SourceError::new(
                    path,
                    src,
                    f.span(),
                    format!("cannot read the locale {}: {err}", p.display()),
                ))),
                other => other,
            })?)
        }
        _ => None,
    };
    let locale = locale.or(default_locale.as_ref());
    let base_language = raw.meta.language.clone().unwrap_or_default();
    let with_row = row.map(|r| locale::Locale::with_row(locale, r, is_rtl_language(&base_language)));
    let locale = with_row.as_ref().or(locale);
    // Only a real locale brings a language's conventions (direction, digits, font).
    let conventions = locale.filter(|l| l.conventions);
    let language = conventions.map_or(base_language.clone(), |l| l.language.clone());
    let mut r = Resolver {
        files,
        locale,
        mirror: conventions.is_some_and(|l| l.rtl() != is_rtl_language(&base_language)),
        language: language.clone(),
        pictures: Vec::new(),
        normalize: raw.normalize.unwrap_or(false),
        file: path,
        src,
        fonts,
        raw_styles: &raw.styles,
        styles: BTreeMap::new(),
        rtl_language: conventions.map_or(is_rtl_language(&language), |l| l.rtl()),
    };
    if let Some(family) = conventions.and_then(|l| l.font.as_ref())
        && !r.fonts.has_family(family)
    {
        return Err(r.err(
            0..0,
            format!(
                "the locale names font \"{family}\", which is not available; families: {}",
                r.fonts.families().join(", ")
            ),
        ));
    }

    if let Some(v) = &raw.version
        && *v.get_ref() != 1
    {
        return Err(
            r.err(v.span(), format!("layout version {} is not supported; this nashr reads version 1", v.get_ref()))
        );
    }
    let base = path.parent().unwrap_or(Path::new("."));
    for f in &raw.fonts {
        let p = base.join(f.get_ref());
        r.fonts.load_file(&files.fonts, &p).map_err(|e| match e {
            FontError::Read { err, .. } => r.err(f.span(), format!("cannot read font file {}: {err}", p.display())),
            other => r.err(f.span(), other.to_string()),
        })?;
    }
    let (page, margins) = resolve_page(&r, &raw.page)?;
    let mut frames = Vec::new();
    let mut page_count = match &raw.page.pages {
        Some(n) if *n.get_ref() < 1 || *n.get_ref() > 10_000 => {
            return Err(r.err(n.span(), "pages must be between 1 and 10000"));
        }
        Some(n) => *n.get_ref() as usize,
        None => 1,
    };
    for (fi, f) in raw.frames.iter().enumerate() {
        let frame = resolve_frame(&mut r, f, fi, &page, margins)?;
        page_count = page_count.max(frame.page + 1);
        frames.push(frame);
    }
    link_flows(&r, &raw.frames, &mut frames)?;
    let fill = |s: &Option<String>| locale::fill_in(s.as_deref().unwrap_or(""), locale, path, src, 0..0);
    let meta = Meta {
        title: fill(&raw.meta.title)?,
        author: fill(&raw.meta.author)?,
        subject: fill(&raw.meta.subject)?,
        language,
    };
    let rtl = r.rtl_language;
    let print = resolve_print(&r, &raw)?;
    Ok(Document { pages: vec![page; page_count], frames, fonts: r.fonts, meta, pictures: r.pictures, rtl, print })
}

fn resolve_print(r: &Resolver, raw: &RawLayout) -> Result<Print, ModelError> {
    let p = &raw.print;
    let page = &raw.page;
    // Print sizes get 3 mm of bleed unless told otherwise; pixel sizes none.
    let pixel_page = page.size.as_ref().is_some_and(|s| values::preset_size(s.get_ref()).is_some())
        || page.width.is_some_and(|w| w.px)
        || page.height.is_some_and(|h| h.px);
    let bleed = page.bleed.map_or(if pixel_page { 0.0 } else { 3.0 * values::PT_PER_MM }, |l| l.0);
    if !(0.0..=50.0 * values::PT_PER_MM).contains(&bleed) {
        return Err(r.err(0..0, format!("bleed {bleed:.1} pt is outside 0–50 mm")));
    }
    let icc_profile = match &p.icc_profile {
        Some(f) => {
            let full = r.file.parent().unwrap_or(Path::new(".")).join(f.get_ref());
            let bytes = std::fs::read(&full)
                .map_err(|e| r.err(f.span(), format!("cannot read ICC profile {}: {e}", full.display())))?;
            if bytes.len() < 132 || &bytes[36..40] != b"acsp" {
                return Err(r.err(f.span(), format!("{} is not an ICC profile", full.display())));
            }
            Some((f.get_ref().clone(), std::sync::Arc::new(bytes)))
        }
        None => None,
    };
    let color_mode =
        p.color_mode.unwrap_or(if p.pdf_standard == Some(PdfStandard::X1a) { ColorMode::Cmyk } else { ColorMode::Rgb });
    if p.pdf_standard == Some(PdfStandard::X1a) && color_mode != ColorMode::Cmyk {
        return Err(r.err(0..0, "pdf_standard = \"x-1a\" needs color_mode = \"cmyk\" (PDF/X-1a allows no RGB)"));
    }
    Ok(Print {
        color_mode,
        standard: p.pdf_standard,
        icc_profile,
        output_condition: p.output_condition.clone().unwrap_or_else(|| "FOGRA39".into()),
        bleed,
        marks: page.marks.clone().unwrap_or_default(),
        safe_margin: p.safe_margin.map_or(3.0 * values::PT_PER_MM, |l| l.0),
    })
}

/// The layout's `[colors]`: names for colours usable wherever a colour is written.
fn named_colors(src: &str, path: &Path) -> Result<std::collections::HashMap<String, Rgb>, ModelError> {
    let Ok(only) = toml::from_str::<ColorsOnly>(src) else {
        // A syntax error: the full parse reports it with its position.
        return Ok(Default::default());
    };
    let mut names = std::collections::HashMap::new();
    for (name, value) in only.colors {
        let c = Rgb::parse(value.get_ref())
            .map_err(|m| ModelError::Source(Box::new(SourceError::new(path, src, value.span(), m))))?;
        names.insert(name, c);
    }
    Ok(names)
}

/// Margins in points: top, end, bottom, start.
#[derive(Clone, Copy)]
struct Margins {
    top: f32,
    bottom: f32,
    left: f32,
    right: f32,
}

fn resolve_page(r: &Resolver, p: &RawPage) -> Result<(PageSpec, Margins), ModelError> {
    let (mut w, mut h) = match (&p.size, p.width.map(|l| l.length), p.height.map(|l| l.length)) {
        (Some(s), None, None) => {
            values::paper_size(s.get_ref()).or_else(|| values::preset_size(s.get_ref())).ok_or_else(|| {
                r.err(
                    s.span(),
                    format!(
                        "unknown page size \"{}\"; use one of {}, a social preset ({}), or give width and height",
                        s.get_ref(),
                        values::PAPER_SIZES,
                        values::PRESETS
                    ),
                )
            })?
        }
        (None, Some(w), Some(h)) => (w.0, h.0),
        (Some(s), _, _) => return Err(r.err(s.span(), "give either `size` or `width` and `height`, not both")),
        (None, _, _) => {
            return Err(r.err(0..0, "the [page] table needs `size` (like \"A5\") or both `width` and `height`"));
        }
    };
    if p.orientation == Some(Orientation::Landscape) && h > w {
        std::mem::swap(&mut w, &mut h);
    }
    if p.orientation == Some(Orientation::Portrait) && w > h {
        std::mem::swap(&mut w, &mut h);
    }
    if !(1.0..=14_400.0).contains(&w) || !(1.0..=14_400.0).contains(&h) {
        return Err(r.err(
            p.size.as_ref().map_or(0..0, |s| s.span()),
            format!("page size {w:.1} × {h:.1} pt is outside 1–14400 pt"),
        ));
    }
    let m = p.margin.map_or(0.0, |l| l.0);
    let top = p.margin_top.map_or(m, |l| l.0);
    let bottom = p.margin_bottom.map_or(m, |l| l.0);
    let start = p.margin_start.map_or(m, |l| l.0);
    let end = p.margin_end.map_or(m, |l| l.0);
    // Start is the right edge in a right-to-left document, the left edge otherwise.
    let margins = if r.rtl_language {
        Margins { top, bottom, left: end, right: start }
    } else {
        Margins { top, bottom, left: start, right: end }
    };
    Ok((PageSpec { width: w, height: h, background: p.background.clone() }, margins))
}

fn resolve_frame(
    r: &mut Resolver,
    f: &Spanned<RawFrame>,
    index: usize,
    page: &PageSpec,
    m: Margins,
) -> Result<Frame, ModelError> {
    let raw = f.get_ref();
    let name = raw.name.clone().unwrap_or_else(|| format!("frame {}", index + 1));
    // A page number from 1, or "last": the last page once flowing text has
    // added its pages (a contact block that must end the document).
    let (page_index, last_page) = match &raw.page {
        None => (0, false),
        Some(p) => match p.get_ref() {
            toml::Value::Integer(n) if (1..=10_000).contains(n) => (*n as usize - 1, false),
            toml::Value::String(s) if s == "last" => (0, true),
            _ => return Err(r.err(p.span(), "`page` is a page number from 1, or \"last\"")),
        },
    };
    let x = raw.x.map_or(m.left, |l| l.0);
    let y = raw.y.map_or(m.top, |l| l.0);
    let width = raw.width.map_or(page.width - m.right - x, |l| l.0);
    // A layout made for one direction, set in a language of the other, mirrors.
    let x = if r.mirror && raw.x.is_some() { page.width - x - width } else { x };
    let height = raw.height.map_or(page.height - m.bottom - y, |l| l.0);
    if width <= 1.0 || height <= 1.0 {
        return Err(r.err(f.span(), format!("frame \"{name}\" is {width:.1} × {height:.1} pt; it needs a positive width and height (check x, y and the page margins)")));
    }
    let mut blocks = Vec::new();
    for (bi, b) in raw.blocks.iter().enumerate() {
        blocks.push(resolve_block(r, b, &name, &format!("frame \"{name}\", block {}", bi + 1))?);
    }
    let padding = raw.padding.map_or(0.0, |l| l.0);
    if 2.0 * padding >= width.min(height) {
        return Err(r.err(f.span(), format!("frame \"{name}\" has padding {padding:.1} pt, which leaves no room inside its {width:.1} × {height:.1} pt")));
    }
    let lines = |v: &Option<Spanned<i64>>| -> Result<usize, ModelError> {
        match v {
            Some(n) if !(1..=20).contains(n.get_ref()) => {
                Err(r.err(n.span(), "widows and orphans take a number of lines from 1 to 20"))
            }
            Some(n) => Ok(*n.get_ref() as usize),
            None => Ok(2),
        }
    };
    let fit = raw.fit.unwrap_or_default();
    if raw.next.is_some() && fit != Fit::Flow {
        let span = raw.next.as_ref().map_or(0..0, |n| n.span());
        return Err(
            r.err(span, format!("frame \"{name}\" names a `next` frame but does not flow; add `fit = \"flow\"`"))
        );
    }
    let min_size = raw.min_size.map_or(5.0, |l| l.0);
    if min_size <= 0.0 {
        return Err(r.err(f.span(), "min_size must be a positive length"));
    }
    let (widows, orphans) = (lines(&raw.widows)?, lines(&raw.orphans)?);
    let opacity = unit_interval(r, f, raw.opacity, "opacity")?;
    let image = match &raw.image {
        Some(path) => Some(FramePicture {
            picture: r.picture(path, &name)?,
            fit: raw.image_fit.unwrap_or(ImageFit::Cover),
            opacity: unit_interval(r, f, raw.image_opacity, "image_opacity")?,
        }),
        None => None,
    };
    Ok(Frame {
        name,
        page: page_index,
        rect: Rect { x, y, width, height },
        blocks,
        valign: raw.valign.unwrap_or_default(),
        background: raw.background.clone(),
        border: match (raw.border_color, raw.border_width) {
            (None, None) => None,
            (c, w) => Some((c.map_or(Rgb::BLACK, |c| c.0), w.map_or(1.0, |w| w.0))),
        },
        radius: raw.radius.map_or(0.0, |l| l.0).max(0.0),
        opacity,
        image,
        padding,
        fit,
        min_size,
        next: None,
        widows,
        orphans,
        continuation: false,
        bleed: raw.bleed.unwrap_or(false),
        last_page,
    })
}

/// An optional number that must lie in 0–1 (opacity); 1 when absent.
fn unit_interval<T>(r: &Resolver, at: &Spanned<T>, v: Option<f32>, key: &str) -> Result<f32, ModelError> {
    match v {
        Some(x) if !(0.0..=1.0).contains(&x) => {
            Err(r.err(at.span(), format!("`{key}` must be between 0 and 1, found {x}")))
        }
        Some(x) => Ok(x),
        None => Ok(1.0),
    }
}

/// Encode `data` as a QR code (error correction level M): the dark modules and the side.
fn qr_modules(data: &str) -> Result<(Vec<bool>, usize), String> {
    let code = qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| format!("cannot make a QR code of this text ({} bytes): {e}", data.len()))?;
    let width = code.width();
    let modules = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
    Ok((modules, width))
}

/// Resolve `next` names into frame indices: each must exist, hold no blocks
/// of its own, be the continuation of one frame only, and not loop.
fn link_flows(r: &Resolver, raw: &[Spanned<RawFrame>], frames: &mut [Frame]) -> Result<(), ModelError> {
    for (i, f) in raw.iter().enumerate() {
        let Some(next) = &f.get_ref().next else { continue };
        let name = next.get_ref();
        let Some(j) = frames.iter().position(|g| &g.name == name) else {
            let names: Vec<&str> = frames.iter().map(|g| g.name.as_str()).collect();
            return Err(r.err(next.span(), format!("no frame is named \"{name}\"; frames: {}", names.join(", "))));
        };
        if j == i || frames[j].continuation {
            return Err(r.err(
                next.span(),
                format!(
                    "frame \"{name}\" cannot continue this flow: it is this frame or already continues another one"
                ),
            ));
        }
        if !frames[j].blocks.is_empty() {
            return Err(r.err(
                next.span(),
                format!("frame \"{name}\" receives the flow, so it must not have blocks of its own"),
            ));
        }
        frames[i].next = Some(j);
        frames[j].continuation = true;
    }
    // A chain that comes back to its start would never end.
    for (start, raw_frame) in raw.iter().enumerate() {
        let mut seen = vec![false; frames.len()];
        let mut cur = Some(start);
        while let Some(c) = cur {
            if seen[c] {
                let span = raw_frame.get_ref().next.as_ref().map_or(0..0, |n| n.span());
                return Err(r.err(span, "the `next` frames form a loop"));
            }
            seen[c] = true;
            cur = frames[c].next;
        }
    }
    Ok(())
}

/// One block of frame `frame`; `origin` says where it is, for messages.
fn resolve_block(r: &mut Resolver, b: &Spanned<RawBlock>, frame: &str, origin: &str) -> Result<Block, ModelError> {
    let raw = b.get_ref();
    let kind = raw.kind.get_ref().as_str();
    let allowed: &[&str] = match kind {
        "heading" | "paragraph" => &["text", "style"],
        "list" => &["items", "style", "marker", "indent"],
        "rule" => &["thickness", "color", "length", "align", "space_before", "space_after"],
        "spacer" => &["height"],
        "image" => &["path", "height", "fit", "align", "opacity", "space_before", "space_after"],
        "qr" => &["data", "size", "color", "background", "align", "space_before", "space_after"],
        other => {
            return Err(r.err(
                raw.kind.span(),
                format!(
                    "unknown block type \"{other}\"; expected one of heading, paragraph, list, rule, spacer, image, qr"
                ),
            ));
        }
    };
    let present: [(&str, bool); 18] = [
        ("path", raw.path.is_some()),
        ("fit", raw.fit.is_some()),
        ("opacity", raw.opacity.is_some()),
        ("data", raw.data.is_some()),
        ("size", raw.size.is_some()),
        ("background", raw.background.is_some()),
        ("text", raw.text.is_some()),
        ("style", raw.style.is_some()),
        ("items", raw.items.is_some()),
        ("marker", raw.marker.is_some()),
        ("indent", raw.indent.is_some()),
        ("thickness", raw.thickness.is_some()),
        ("color", raw.color.is_some()),
        ("length", raw.length.is_some()),
        ("align", raw.align.is_some()),
        ("height", raw.height.is_some()),
        ("space_before", raw.space_before.is_some()),
        ("space_after", raw.space_after.is_some()),
    ];
    if let Some((key, _)) = present.iter().find(|(k, p)| *p && !allowed.contains(k)) {
        return Err(
            r.err(b.span(), format!("a {kind} block has no key `{key}`; its keys are: type, {}", allowed.join(", ")))
        );
    }
    let need = |what: &str| r.err(b.span(), format!("a {kind} block needs `{what}`"));
    Ok(match kind {
        "heading" | "paragraph" => {
            let text = raw.text.as_ref().ok_or_else(|| need("text"))?;
            let heading = kind == "heading";
            let style = r.block_style(&raw.style, if heading { "heading" } else { "body" })?;
            let wrap = if heading { Wrap::Balance } else { Wrap::Optimal };
            Block::Paragraph(r.paragraph_wrapped(text, &style, origin.to_string(), wrap)?)
        }
        "list" => {
            let items = raw.items.as_ref().ok_or_else(|| need("items"))?;
            let style = r.block_style(&raw.style, "list")?;
            let marker_text = Spanned::new(0..0, raw.marker.clone().unwrap_or_else(|| "•".into()));
            let marker = r.paragraph(&marker_text, &style, format!("{origin}, marker"))?;
            let mut paras = Vec::new();
            for (i, it) in items.iter().enumerate() {
                let mut p = r.paragraph(it, &style, format!("{origin}, item {}", i + 1))?;
                // Space between items comes from the style; the list keeps its own outer spacing.
                p.style.space_before = if i == 0 { style.space_before } else { 0.0 };
                p.style.space_after =
                    if i + 1 == items.len() { style.space_after } else { style.space_before.min(style.space_after) };
                paras.push(p);
            }
            let indent = raw.indent.map_or(style.size * 1.6, |l| l.0);
            Block::List { items: paras, marker, indent }
        }
        "rule" => Block::Rule {
            thickness: raw.thickness.map_or(0.5, |l| l.0),
            color: raw.color.map_or(Rgb::BLACK, |c| c.0),
            length: raw.length.map(|l| l.0),
            align: raw.align.unwrap_or(Align::Center),
            space_before: raw.space_before.map_or(4.0, |l| l.0),
            space_after: raw.space_after.map_or(4.0, |l| l.0),
        },
        "image" => {
            let path = raw.path.as_ref().ok_or_else(|| need("path"))?;
            let picture = r.picture(path, frame)?;
            Block::Image {
                picture: FramePicture {
                    picture,
                    fit: raw.fit.unwrap_or(ImageFit::Contain),
                    opacity: unit_interval(r, b, raw.opacity, "opacity")?,
                },
                height: raw.height.map(|l| l.0),
                align: raw.align.unwrap_or(Align::Center),
                space_before: raw.space_before.map_or(0.0, |l| l.0),
                space_after: raw.space_after.map_or(0.0, |l| l.0),
            }
        }
        "qr" => {
            let data = raw.data.as_ref().ok_or_else(|| need("data"))?;
            if data.get_ref().is_empty() {
                return Err(r.err(data.span(), "a QR code needs some text to encode"));
            }
            let (modules, width) = qr_modules(data.get_ref()).map_err(|m| r.err(data.span(), m))?;
            let size = raw.size.map_or(30.0 * values::PT_PER_MM, |l| l.0);
            if size <= 0.0 {
                return Err(r.err(b.span(), "a QR code needs a positive `size`"));
            }
            Block::Qr {
                modules,
                width,
                size,
                color: raw.color.map_or(Rgb::BLACK, |c| c.0),
                background: Some(raw.background.map_or(Rgb::from_u8(255, 255, 255), |c| c.0)),
                align: raw.align.unwrap_or(Align::Center),
                space_before: raw.space_before.map_or(0.0, |l| l.0),
                space_after: raw.space_after.map_or(0.0, |l| l.0),
            }
        }
        _ => Block::Spacer(raw.height.ok_or_else(|| need("height"))?.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(src: &str) -> Result<Document, ModelError> {
        parse(src, Path::new("test.toml"))
    }

    fn err_of(src: &str) -> SourceError {
        match parse_str(src) {
            Err(ModelError::Source(e)) => *e,
            Err(e) => panic!("unexpected error {e}"),
            Ok(_) => panic!("expected an error"),
        }
    }

    const MINIMAL: &str = r#"
[page]
size = "A5"
margin = "10mm"

[styles.body]
size = "10pt"
align = "justify"

[[frame]]
name = "main"
[[frame.block]]
type = "paragraph"
text = "سلام **دنیا**"
"#;

    #[test]
    fn minimal_layout_resolves() {
        let doc = parse_str(MINIMAL).unwrap();
        assert_eq!(doc.pages.len(), 1);
        assert!((doc.pages[0].width - 419.53).abs() < 0.1);
        let f = &doc.frames[0];
        assert!((f.rect.x - 28.35).abs() < 0.1);
        let Block::Paragraph(p) = &f.blocks[0] else { panic!() };
        assert_eq!(p.spans.len(), 2);
        assert_eq!(doc.fonts.face(p.spans[1].face).weight, 700);
        assert_eq!(p.style.align, Align::Justify);
    }

    #[test]
    fn unknown_key_names_line_and_column() {
        let e = err_of("[page]\nsize = \"A5\"\nmargn = \"1mm\"\n");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("margn"), "{}", e.message);
    }

    #[test]
    fn bad_length_says_what_was_expected() {
        let e = err_of("[page]\nsize = \"A5\"\nmargin = \"12 furlongs\"\n");
        assert_eq!((e.line, e.column), (3, 10));
        assert!(e.message.contains("unknown unit"), "{}", e.message);
    }

    #[test]
    fn unknown_style_lists_the_defined_ones() {
        let src = MINIMAL.replace("type = \"paragraph\"", "type = \"paragraph\"\nstyle = \"bdy\"");
        let e = err_of(&src);
        assert!(e.message.contains("\"bdy\"") && e.message.contains("body"), "{}", e.message);
        assert!(e.line_text.contains("bdy"));
    }

    #[test]
    fn unknown_font_lists_the_families() {
        let src = MINIMAL.replace("size = \"10pt\"", "size = \"10pt\"\nfont = \"Comic\"");
        let e = err_of(&src);
        assert!(e.message.contains("Comic") && e.message.contains("Vazirmatn"), "{}", e.message);
    }

    #[test]
    fn style_cycles_are_reported() {
        let src = MINIMAL.replace("[styles.body]", "[styles.a]\nparent = \"body\"\n[styles.body]\nparent = \"a\"");
        assert!(err_of(&src).message.contains("cycle"));
    }

    #[test]
    fn unknown_block_type_and_misplaced_key() {
        let e = err_of(&MINIMAL.replace("\"paragraph\"", "\"para\""));
        assert!(e.message.contains("heading, paragraph"), "{}", e.message);
        let e = err_of(&MINIMAL.replace("text = ", "height = \"2mm\"\ntext = "));
        assert!(e.message.contains("no key `height`"), "{}", e.message);
    }

    #[test]
    fn digits_convert_per_style_across_bold_spans() {
        let src = MINIMAL
            .replace("align = \"justify\"", "align = \"justify\"\ndigits = \"persian\"")
            .replace("سلام **دنیا**", "روزهای **12** تا 14 آذر، سایت www.site2.org");
        let doc = parse_str(&src).unwrap();
        let Block::Paragraph(p) = &doc.frames[0].blocks[0] else { panic!() };
        assert_eq!(p.text(), "روزهای ۱۲ تا ۱۴ آذر، سایت www.site2.org");
        assert_eq!(p.spans[1].text, "۱۲");
        let e = err_of(&MINIMAL.replace("align = \"justify\"", "digits = \"roman\""));
        assert!(e.message.contains("persian"), "{}", e.message);
    }

    #[test]
    fn normalize_on_the_layout_or_a_style() {
        let text = "چون میداند که **تشکل های** کارگری";
        let src = MINIMAL.replace("سلام **دنیا**", text);
        let doc = parse_str(&src).unwrap();
        let Block::Paragraph(p) = &doc.frames[0].blocks[0] else { panic!() };
        assert_eq!(p.text(), "چون میداند که تشکل های کارگری", "off by default");
        for src in [format!("normalize = true\n{src}"), src.replace("[styles.body]", "[styles.body]\nnormalize = true")]
        {
            let doc = parse_str(&src).unwrap();
            let Block::Paragraph(p) = &doc.frames[0].blocks[0] else { panic!() };
            assert_eq!(p.text(), "چون می\u{200C}داند که تشکل\u{200C}های کارگری");
            assert!(p.spans.iter().any(|s| s.text == "تشکل\u{200C}های"), "bold span kept");
        }
    }

    #[test]
    fn unclosed_bold_points_at_the_text() {
        let e = err_of(&MINIMAL.replace("**دنیا**", "**دنیا"));
        assert!(e.message.contains("never closed"));
        assert_eq!(e.line, 14);
    }
}
