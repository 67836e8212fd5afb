//! The layout as written: serde types that mirror the TOML tables and keys
//! one to one, with positions (`Spanned`) where a later message needs one.
//!
//! These types own the shape of the file format (which keys exist, and
//! `deny_unknown_fields` so a misspelt key is an error at its position).
//! They must not know what the values mean together: defaults, inheritance,
//! units of the page, fonts and named colours are the resolver's business.

use super::values::{Angle, Color, ColumnWidth, Indent, Length, LineHeight, RawFill, Weight};
use super::{
    Align, ColorMode, Digits, Direction, Fit, ImageFit, Justify, Kashida, Mark, PdfStandard, Platform, VAlign, Wrap,
};
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// A nashr layout (format version 1): page geometry, named styles, and
/// frames placed on pages, each holding a flow of blocks. `[page]` is
/// required; unknown keys are errors.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "nashr layout")]
pub(super) struct RawLayout {
    /// The layout format version: 1.
    #[schemars(with = "Option<i64>", range(min = 1, max = 1))]
    pub(super) version: Option<Spanned<i64>>,
    /// Run the Persian normaliser over every text of the layout.
    pub(super) normalize: Option<bool>,
    /// Font files to load (.ttf, .otf, .ttc), relative to the layout; their
    /// family names become usable in styles.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub(super) fonts: Vec<Spanned<String>>,
    /// Named colours, usable wherever a colour is written .
    #[serde(default)]
    #[allow(dead_code)]
    #[schemars(with = "BTreeMap<String, Color>")]
    pub(super) colors: BTreeMap<String, Spanned<String>>,
    /// How the document goes to print: colour mode, PDF standard, output intent.
    #[serde(default)]
    pub(super) print: RawPrint,
    /// Document metadata: title, author, language, default locale.
    #[serde(default)]
    pub(super) meta: RawMeta,
    /// Page geometry (required): a size or width and height, margins, background, bleed, marks.
    pub(super) page: RawPage,
    /// Named paragraph styles; a block names one with `style`.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawStyle>")]
    pub(super) styles: BTreeMap<String, Spanned<RawStyle>>,
    /// Frames: boxes on pages holding blocks (`[[frame]]`).
    #[serde(default, rename = "frame")]
    #[schemars(with = "Vec<RawFrame>")]
    pub(super) frames: Vec<Spanned<RawFrame>>,
}

/// Document metadata (`[meta]`).
#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Meta")]
pub(super) struct RawMeta {
    /// The document's title (PDF metadata; the window title in a viewer).
    pub(super) title: Option<String>,
    /// The author (PDF metadata).
    pub(super) author: Option<String>,
    /// The subject (PDF metadata).
    pub(super) subject: Option<String>,
    /// The language, a BCP 47 tag (`fa`, `ckb`, `en`): sets /Lang, and RTL languages make number-only lines RTL.
    pub(super) language: Option<String>,
    /// Whether the PDF is tagged (on unless `false`).
    pub(super) tagged: Option<bool>,
    /// The locale used when none is given (a file, relative to the layout).
    #[schemars(with = "Option<String>")]
    pub(super) locale: Option<Spanned<String>>,
}

/// How the document goes to print (`[print]`).
#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Print")]
pub(super) struct RawPrint {
    /// The colour space colours are written in: `rgb` (default) or `cmyk`.
    pub(super) color_mode: Option<ColorMode>,
    /// The PDF standard the file declares: `x-4` or `x-1a` (needs cmyk); none by default.
    pub(super) pdf_standard: Option<PdfStandard>,
    /// The output intent's ICC profile (.icc, .icm), relative to the layout.
    #[schemars(with = "Option<String>")]
    pub(super) icc_profile: Option<Spanned<String>>,
    /// The registered printing condition declared (e.g. `FOGRA39`).
    pub(super) output_condition: Option<String>,
    /// Text keeps at least this far inside the trim (a preflight warning otherwise).
    pub(super) safe_margin: Option<Length>,
}

/// A page dimension, remembering whether it was given in pixels (a screen
/// page: no bleed by default).
#[derive(Debug, Clone, Copy)]
pub(super) struct PageLength {
    pub(super) length: Length,
    pub(super) px: bool,
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
pub(super) struct ColorsOnly {
    #[serde(default)]
    pub(super) colors: BTreeMap<String, Spanned<String>>,
}

/// Page geometry (`[page]`, required).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Page")]
pub(super) struct RawPage {
    /// A named size: A3, A4, A5, A6, Letter, Legal, or a social preset:
    /// instagram-square, instagram-portrait, story, link-preview, x-landscape.
    #[schemars(with = "Option<String>")]
    pub(super) size: Option<Spanned<String>>,
    /// The page width, instead of `size` (a `px` width makes a screen page: no bleed by default).
    #[schemars(with = "Option<Length>")]
    pub(super) width: Option<PageLength>,
    /// The page height, instead of `size`.
    #[schemars(with = "Option<Length>")]
    pub(super) height: Option<PageLength>,
    /// `portrait` (default) or `landscape`.
    pub(super) orientation: Option<Orientation>,
    /// The margin on every side; `margin_top`, `margin_bottom`, `margin_start`, `margin_end` override it.
    pub(super) margin: Option<Length>,
    /// The top margin.
    pub(super) margin_top: Option<Length>,
    /// The bottom margin.
    pub(super) margin_bottom: Option<Length>,
    /// The margin where lines start (the right one in an RTL document).
    pub(super) margin_start: Option<Length>,
    /// The margin where lines end (the left one in an RTL document).
    pub(super) margin_end: Option<Length>,
    /// The page's background: a colour or a gradient.
    #[schemars(with = "Option<RawFill>")]
    pub(super) background: Option<Spanned<RawFill>>,
    /// A fixed page count: text flowing past it is shrunk within the frame's
    /// `min_size`, or the render fails; frames may only be placed on these pages.
    #[schemars(with = "Option<i64>", range(min = 1, max = 10000))]
    pub(super) pages: Option<Spanned<i64>>,
    /// How far the artwork runs past the trim (default 3 mm for print sizes, 0 for pixel sizes).
    pub(super) bleed: Option<Length>,
    /// Printer's marks drawn in the slug outside the bleed.
    pub(super) marks: Option<Vec<Mark>>,
    /// The platform a screen image is made for (`story`, `square`,
    /// `portrait`, `link-preview`): preflight warns about text and codes
    /// where its interface covers or crops the image. Implied by the size
    /// presets `story`, `instagram-square`, `instagram-portrait` and `link-preview`.
    pub(super) platform: Option<Platform>,
}

/// Page orientation.
#[derive(Deserialize, Clone, Copy, PartialEq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(super) enum Orientation {
    /// Taller than wide.
    Portrait,
    /// Wider than tall.
    Landscape,
}

/// A paragraph style (`[styles.NAME]`); unset keys come from `parent`.
#[derive(Deserialize, Default, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Style")]
pub(super) struct RawStyle {
    /// The style this one inherits from, then overrides.
    #[schemars(with = "Option<String>")]
    pub(super) parent: Option<Spanned<String>>,
    /// A font family: the bundled Vazirmatn, or one loaded with `fonts = [...]`.
    #[schemars(with = "Option<String>")]
    pub(super) font: Option<Spanned<String>>,
    /// Families tried, in order, for characters the font lacks.
    #[schemars(with = "Option<Vec<String>>")]
    pub(super) fallback: Option<Vec<Spanned<String>>>,
    /// The font weight: 100–900 or thin … black.
    pub(super) weight: Option<Weight>,
    /// The font size, greater than 0 and at most 2000 pt.
    pub(super) size: Option<Length>,
    /// A multiple of the size (1.8), or a length ("18pt").
    pub(super) line_height: Option<LineHeight>,
    /// The text colour.
    #[schemars(with = "Option<Color>")]
    pub(super) color: Option<Spanned<Color>>,
    /// How lines are aligned; `start` and `end` follow the direction.
    pub(super) align: Option<Align>,
    /// The paragraph direction: `auto` (first strong character), `rtl`, `ltr`.
    pub(super) direction: Option<Direction>,
    /// Space above a paragraph of this style.
    pub(super) space_before: Option<Length>,
    /// Space below a paragraph of this style.
    pub(super) space_after: Option<Length>,
    /// How justified lines stretch: `kashida` first (default) or `spaces` only.
    pub(super) justify: Option<Justify>,
    /// How much kashida: `auto`, `off`, `display`.
    pub(super) kashida: Option<Kashida>,
    /// How lines are chosen: `optimal`, `balance`, `greedy`.
    pub(super) wrap: Option<Wrap>,
    /// Which digits to show: `persian`, `arabic-indic`, `latin`, `keep`.
    pub(super) digits: Option<Digits>,
    /// Run the Persian normaliser over texts of this style.
    pub(super) normalize: Option<bool>,
    /// Display text (headlines, dates, short calls): never justified
    /// (`justify` becomes `start`), never hyphenated, lines balanced, no line
    /// ending on the hyphen of a compound. Headings are display text unless
    /// their style says `display = false`.
    pub(super) display: Option<bool>,
    /// With `align = "justify"`: justify the last line too (so a one-line
    /// paragraph fills the measure), as verse does.
    pub(super) justify_last: Option<bool>,
    /// Indent of a paragraph's first line on the start side (the right in
    /// RTL text): a length or ems (`"1em"`).
    pub(super) first_line_indent: Option<Indent>,
    /// OpenType features for the shaper, as HarfBuzz writes them: `"ss01"`,
    /// `"tnum"`, `"-liga"` (off), `"salt=2"`; at most 32.
    #[schemars(with = "Option<Vec<String>>")]
    pub(super) features: Option<Spanned<Vec<String>>>,
    /// Size Latin text that falls back to another font (like CSS
    /// `font-size-adjust`): `true` matches x-heights (with an Arabic font
    /// like Noto Naskh, the fallback's x-height is two thirds of its alef), a number sets
    /// the fallback's x-height as that fraction of the size, `false` keeps
    /// the paragraph's size. By default only a font without Latin letters
    /// adjusts. A fallback is only ever made smaller (to half at most).
    pub(super) fallback_size_adjust: Option<RawSizeAdjust>,
    /// Variation axes of a variable font, by tag: `{ wdth = 90 }`, `{ wght
    /// = 650, opsz = 12 }` (a `wght` here wins over the style's `weight`, a
    /// span's weight or bold over it); each value is kept within its axis.
    /// At most 8; the style's font must have each axis.
    #[schemars(with = "Option<std::collections::BTreeMap<String, f64>>")]
    pub(super) variations: Option<Spanned<std::collections::BTreeMap<String, f64>>>,
    /// A shadow behind the text, for legibility over pictures:
    /// `{ color = "#000000", x = "2px", y = "3px", blur = "6px", opacity = 0.6 }`.
    #[schemars(with = "Option<RawShadow>")]
    pub(super) shadow: Option<Spanned<RawShadow>>,
    /// An outline around each letter: `{ color = "#ffffff", width = "1.5px" }`.
    #[schemars(with = "Option<RawOutline>")]
    pub(super) outline: Option<Spanned<RawOutline>>,
}

/// `fallback_size_adjust`: on or off, or an x-height ratio.
#[derive(Deserialize, JsonSchema, Clone, Copy)]
#[serde(untagged)]
pub(super) enum RawSizeAdjust {
    /// Adjust (x-heights matched) or not.
    Switch(bool),
    /// The fallback's x-height as a fraction of the font size (0.3–0.8).
    Ratio(f64),
}

/// A text shadow: an offset, blurred copy of the text drawn behind it.
#[derive(Deserialize, Default, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "TextShadow")]
pub(super) struct RawShadow {
    /// The shadow's colour (default black).
    #[schemars(with = "Option<Color>")]
    pub(super) color: Option<Spanned<Color>>,
    /// How far right the shadow falls (default 2 px; negative: left).
    pub(super) x: Option<Length>,
    /// How far down the shadow falls (default 2 px; negative: up).
    pub(super) y: Option<Length>,
    /// How soft its edge is, 0 (sharp) to 50 pt (default 0).
    pub(super) blur: Option<Length>,
    /// Its opacity, 0–1 (default 0.6).
    #[schemars(range(min = 0.0, max = 1.0))]
    pub(super) opacity: Option<f32>,
}

/// A text outline: a stroke along the edge of every letter.
#[derive(Deserialize, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "TextOutline")]
pub(super) struct RawOutline {
    /// The stroke's colour.
    #[schemars(with = "Color")]
    pub(super) color: Spanned<Color>,
    /// The stroke's width, centred on the letters' edges (default 1 pt; at most 20 pt).
    pub(super) width: Option<Length>,
}

/// A frame (`[[frame]]`): a box on a page holding a flow of blocks.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Frame")]
pub(super) struct RawFrame {
    /// The frame's name, used in messages and by another frame's `next`.
    pub(super) name: Option<String>,
    /// The page, from 1, or `"last"`: the last page once flowing text has made its pages.
    #[schemars(with = "Option<FramePage>")]
    pub(super) page: Option<Spanned<toml::Value>>,
    /// Distance from the page's left edge (default: the margin box); mirrored for a locale of the other direction.
    pub(super) x: Option<Length>,
    /// Distance from the page's top edge (default: the top margin).
    pub(super) y: Option<Length>,
    /// The width (default: to the margin).
    pub(super) width: Option<Length>,
    /// The height (default: to the bottom margin); must leave room inside the padding.
    pub(super) height: Option<Length>,
    /// Vertical placement of the content: `top`, `middle`, `bottom`.
    pub(super) valign: Option<VAlign>,
    /// The frame's background: a colour or a gradient.
    #[schemars(with = "Option<RawFill>")]
    pub(super) background: Option<Spanned<RawFill>>,
    /// The border's colour.
    #[schemars(with = "Option<Color>")]
    pub(super) border_color: Option<Spanned<Color>>,
    /// The border's width.
    pub(super) border_width: Option<Length>,
    /// The corner radius of the background and border.
    pub(super) radius: Option<Length>,
    /// The opacity of the background, 0–1.
    #[schemars(range(min = 0.0, max = 1.0))]
    pub(super) opacity: Option<f32>,
    /// A picture (PNG, JPEG or SVG) filling the frame, relative to the layout.
    #[schemars(with = "Option<String>")]
    pub(super) image: Option<Spanned<String>>,
    /// How `image` fills the frame: `cover` (default), `contain`, `fill`.
    pub(super) image_fit: Option<ImageFit>,
    /// The opacity of `image`, 0–1.
    #[schemars(range(min = 0.0, max = 1.0))]
    pub(super) image_opacity: Option<f32>,
    /// Space between the frame's edge and its content.
    pub(super) padding: Option<Length>,
    /// Edges on the trim run out into the bleed.
    pub(super) bleed: Option<bool>,
    /// Turn the frame and everything in it about its centre, clockwise for a
    /// positive angle: `"-8deg"` (a ribbon, a stamp).
    pub(super) rotate: Option<Angle>,
    /// What the frame does when its text does not fit: `error` (default), `shrink`, `flow`.
    pub(super) fit: Option<Fit>,
    /// The smallest font size `fit = "shrink"` may scale to (default 5 pt).
    pub(super) min_size: Option<Length>,
    /// With `fit = "flow"`: the frame the text continues in.
    #[schemars(with = "Option<String>")]
    pub(super) next: Option<Spanned<String>>,
    /// Lines of a split paragraph kept at the top of the next frame (default 2).
    #[schemars(with = "Option<i64>", range(min = 1))]
    pub(super) widows: Option<Spanned<i64>>,
    /// Lines of a split paragraph kept at the bottom of this frame (default 2).
    #[schemars(with = "Option<i64>", range(min = 1))]
    pub(super) orphans: Option<Spanned<i64>>,
    /// Its place in reading order for screen readers: frames are read by it,
    /// ties in layout order; by default its position in the layout, from 1.
    #[schemars(with = "Option<i64>", range(min = -10000, max = 10000))]
    pub(super) order: Option<Spanned<i64>>,
    /// Columns the content flows through (1–12, default 1): the start column
    /// first (the right one in an RTL document).
    #[schemars(with = "Option<i64>", range(min = 1, max = 12))]
    pub(super) columns: Option<Spanned<i64>>,
    /// Space between columns (default 5 mm).
    pub(super) gutter: Option<Length>,
    /// Balance the columns: the last columns the content reaches are filled
    /// to about the same height instead of one after the other.
    pub(super) balance: Option<bool>,
    /// The colour of a vertical rule drawn in the middle of each gutter (none by default).
    #[schemars(with = "Option<Color>")]
    pub(super) column_rule: Option<Spanned<Color>>,
    /// The width of the column rule (default 0.5 pt).
    pub(super) column_rule_width: Option<Length>,
    /// The frame's blocks, in reading order (`[[frame.block]]`).
    #[serde(default, rename = "block")]
    #[schemars(with = "Vec<RawBlock>")]
    pub(super) blocks: Vec<Spanned<RawBlock>>,
}

/// Where a frame goes: a page number from 1, or `"last"` (schema only).
pub(super) struct FramePage;

impl JsonSchema for FramePage {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FramePage".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A page number from 1, or \"last\": the last page once flowing text has made its pages.",
            "anyOf": [
                { "type": "integer", "minimum": 1 },
                { "const": "last" }
            ]
        })
    }
}

/// A block's type.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub(super) enum BlockType {
    /// A heading: `text`, `style` (default `heading`).
    Heading,
    /// A paragraph: `text` with `**bold**` and `[links](https://…)`, `style` (default `body`).
    Paragraph,
    /// A list: `items`, `style` (default `list`), `marker`, `indent`.
    List,
    /// A line: `thickness`, `color`, `length`, `align`, `space_before`, `space_after`.
    Rule,
    /// Empty space: `height`.
    Spacer,
    /// A picture: `path`, `height`, `fit`, `align`, `opacity`, `alt`.
    Image,
    /// A QR code: `data`, `size`, `color`, `background`, `align`, `alt`.
    Qr,
    /// Persian verse: `couplets`, `style` (default `verse`), `gap`, `hemistich_width`, `stacked`.
    Verse,
    /// A table: `rows` of cells, `columns` (widths), `align` per column,
    /// `header` rows, `style` (default `table`, else `body`), `header_style`,
    /// `padding`, borders, rules and fills.
    Table,
}

/// One block of a frame (`[[frame.block]]`); which keys apply depends on `type`.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Block")]
pub(super) struct RawBlock {
    /// What the block is.
    #[serde(rename = "type")]
    #[schemars(with = "BlockType")]
    pub(super) kind: Spanned<String>,
    /// The text of a heading or paragraph; `{{key}}` placeholders are filled from the locale or data row.
    #[schemars(with = "Option<String>")]
    pub(super) text: Option<Spanned<String>>,
    /// The style's name (from `[styles]`).
    #[schemars(with = "Option<String>")]
    pub(super) style: Option<Spanned<String>>,
    /// A list's items.
    #[schemars(with = "Option<Vec<String>>")]
    pub(super) items: Option<Vec<Spanned<String>>>,
    /// A list's marker, drawn on the start side (not part of the text).
    pub(super) marker: Option<String>,
    /// A list's indent: where the items' text starts.
    pub(super) indent: Option<Length>,
    /// A rule's thickness.
    pub(super) thickness: Option<Length>,
    /// A rule's or QR code's colour.
    #[schemars(with = "Option<Color>")]
    pub(super) color: Option<Spanned<Color>>,
    /// A rule's length (default: the frame's width).
    pub(super) length: Option<Length>,
    /// Where a rule, picture or QR code sits across the frame; for a table,
    /// how each column's text is aligned: one value for all, or a list with
    /// one per column.
    #[schemars(with = "Option<BlockAlign>")]
    pub(super) align: Option<Spanned<BlockAlign>>,
    /// A spacer's or picture's height.
    pub(super) height: Option<Length>,
    /// Space above a rule, picture or QR code.
    pub(super) space_before: Option<Length>,
    /// Space below a rule, picture or QR code.
    pub(super) space_after: Option<Length>,
    /// A picture's file (PNG, JPEG or SVG), relative to the layout.
    #[schemars(with = "Option<String>")]
    pub(super) path: Option<Spanned<String>>,
    /// How a picture fills its box: `contain` (default), `cover`, `fill`.
    pub(super) fit: Option<ImageFit>,
    /// A picture's opacity, 0–1.
    #[schemars(range(min = 0.0, max = 1.0))]
    pub(super) opacity: Option<f32>,
    /// What a QR code encodes.
    #[schemars(with = "Option<String>")]
    pub(super) data: Option<Spanned<String>>,
    /// What a picture or a QR code says, for a reader who cannot see it.
    pub(super) alt: Option<String>,
    /// A QR code's size (default 30 mm).
    pub(super) size: Option<Length>,
    /// A QR code's light colour (with a 4-module quiet zone).
    #[schemars(with = "Option<Color>")]
    pub(super) background: Option<Spanned<Color>>,
    /// A verse's couplets, in reading order: each a pair of hemistichs
    /// `["first", "second"]`, the first set on the start side.
    #[schemars(with = "Option<Vec<[String; 2]>>")]
    pub(super) couplets: Option<Spanned<Vec<Vec<Spanned<String>>>>>,
    /// Space between the two hemistichs of a couplet (default 1 em of the verse's size; wider gaps read as two columns in some PDF text extractors).
    pub(super) gap: Option<Length>,
    /// The width every hemistich is stretched to (default: the widest hemistich's natural width).
    pub(super) hemistich_width: Option<Length>,
    /// Set each couplet's hemistichs one above the other (the second at the
    /// end side); also done when the frame is too narrow for both side by side.
    pub(super) stacked: Option<bool>,
    /// A table's column widths, one per column, in reading order: a length
    /// (`"22mm"`), a share of the rest (`"1fr"`), or `"auto"`.
    #[schemars(with = "Option<Vec<ColumnWidth>>")]
    pub(super) columns: Option<Spanned<Vec<ColumnWidth>>>,
    /// A table's rows, each a list of cells in reading order (the first on
    /// the start side: the right in a right-to-left table). A cell is a
    /// string (markup like a paragraph's) or an inline table
    /// `{ text = "…", colspan = 2, rowspan = 1, fill = "#eee", align = "center", valign = "middle", style = "…" }`.
    #[schemars(with = "Option<Vec<Vec<CellSchema>>>")]
    pub(super) rows: Option<Spanned<Vec<RawRow>>>,
    /// How many of a table's first rows are its header (default 0): set in
    /// `header_style`, filled with `header_fill`, and repeated at the top of
    /// every frame, page and column the table flows into.
    #[schemars(with = "Option<i64>", range(min = 0))]
    pub(super) header: Option<Spanned<i64>>,
    /// The style of a table's header cells (default: the cell style in bold).
    #[schemars(with = "Option<String>")]
    pub(super) header_style: Option<Spanned<String>>,
    /// Where a table cell's text sits in its cell: `top` (default),
    /// `middle`, `bottom`; one value for all, or a list with one per column.
    #[schemars(with = "Option<OneOrEach<VAlign>>")]
    pub(super) valign: Option<Spanned<OneOrEach<VAlign>>>,
    /// Space between a table cell's edges and its text (default 2 mm across, the same down).
    pub(super) padding: Option<Length>,
    /// The width of a table's outer border (default 0.5 pt; 0 for none).
    pub(super) border_width: Option<Length>,
    /// The colour of a table's outer border (default black).
    #[schemars(with = "Option<Color>")]
    pub(super) border_color: Option<Spanned<Color>>,
    /// Which lines a table draws between its cells: `all` (default), `rows`, `columns`, `none`.
    pub(super) rules: Option<TableRules>,
    /// The width of the lines between a table's cells (default 0.5 pt).
    pub(super) rule_width: Option<Length>,
    /// The colour of the lines between a table's cells (default black).
    #[schemars(with = "Option<Color>")]
    pub(super) rule_color: Option<Spanned<Color>>,
    /// The fill behind a table's header rows.
    #[schemars(with = "Option<Color>")]
    pub(super) header_fill: Option<Spanned<Color>>,
    /// Fills behind a table's body rows, taken in turn (`["#fff", "#f2f2f2"]` stripes them).
    #[schemars(with = "Option<Vec<Color>>")]
    pub(super) fills: Option<Vec<Spanned<Color>>>,
    /// A table's direction: `rtl` puts its first column on the right,
    /// `ltr` on the left; `auto` (default) follows the document's language.
    pub(super) direction: Option<Direction>,
}

/// A value for a whole block, or for a table one per column.
#[derive(JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "{T}PerColumn")]
#[allow(dead_code)]
pub(super) enum OneOrEach<T> {
    /// One value (a rule, picture or QR code; all of a table's columns).
    One(T),
    /// One value per table column, in reading order.
    Each(Vec<T>),
}

/// An alignment across a frame, or one per table column.
pub(super) type BlockAlign = OneOrEach<Align>;

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrEach<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for V<T> {
            type Value = OneOrEach<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("one value, or a list of them with one per table column")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<OneOrEach<T>, E> {
                T::deserialize(serde::de::value::StrDeserializer::<E>::new(v)).map(OneOrEach::One)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<OneOrEach<T>, A::Error> {
                Vec::<T>::deserialize(serde::de::value::SeqAccessDeserializer::new(seq)).map(OneOrEach::Each)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// Which lines a table draws between its cells.
#[derive(Deserialize, JsonSchema, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(super) enum TableRules {
    /// Between rows and between columns.
    All,
    /// Between rows only.
    Rows,
    /// Between columns only.
    Columns,
    /// None (the border and fills only).
    None,
}

/// A table row as written: its cells, each with its place in the file.
pub(super) type RawRow = Spanned<Vec<Spanned<RawCell>>>;

/// A table cell as written: its text, or an inline table with the text and
/// the cell's own settings.
pub(super) enum RawCell {
    Text(String),
    Full(RawCellTable),
}

/// A table cell written as an inline table.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Cell")]
pub(super) struct RawCellTable {
    /// The cell's text, markup like a paragraph's (default empty).
    #[schemars(with = "Option<String>")]
    pub(super) text: Option<Spanned<String>>,
    /// How many columns the cell spans (default 1).
    #[schemars(with = "Option<i64>", range(min = 1))]
    pub(super) colspan: Option<Spanned<i64>>,
    /// How many rows the cell spans (default 1).
    #[schemars(with = "Option<i64>", range(min = 1))]
    pub(super) rowspan: Option<Spanned<i64>>,
    /// The fill behind the cell, over its row's.
    #[schemars(with = "Option<Color>")]
    pub(super) fill: Option<Spanned<Color>>,
    /// How the cell's text is aligned (default: its column's).
    pub(super) align: Option<Align>,
    /// Where the cell's text sits in it (default: the table's `valign`).
    pub(super) valign: Option<VAlign>,
    /// The cell's style (default: the table's cell or header style).
    #[schemars(with = "Option<String>")]
    pub(super) style: Option<Spanned<String>>,
}

/// A table cell: its text, or an inline table (schema only).
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub(super) enum CellSchema {
    /// The cell's text.
    Text(String),
    /// The text and the cell's own settings.
    Cell(RawCellTable),
}

impl<'de> Deserialize<'de> for RawCell {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RawCell;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a table cell: a string, or an inline table like { text = \"…\", colspan = 2 }")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawCell, E> {
                Ok(RawCell::Text(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<RawCell, A::Error> {
                RawCellTable::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(RawCell::Full)
            }
        }
        d.deserialize_any(V)
    }
}

/// The JSON Schema of the layout format, generated from these types. A
/// key left out is absent (TOML has no null), so options are not nullable.
pub(crate) fn schema() -> serde_json::Value {
    let mut schema = schemars::schema_for!(RawLayout).to_value();
    not_nullable(&mut schema);
    schema["$defs"]["Block"]["allOf"] = block_keys_by_type();
    schema
}

/// For each block type, the keys it takes (`BLOCK_KEYS`, the table the
/// reader checks), as `if type is … then only these keys`.
fn block_keys_by_type() -> serde_json::Value {
    let rules: Vec<serde_json::Value> = super::blocks::BLOCK_KEYS
        .iter()
        .map(|(kind, keys)| {
            let mut names = vec!["type"];
            names.extend(keys.iter());
            serde_json::json!({
                "if": { "properties": { "type": { "const": kind } } },
                "then": { "propertyNames": { "enum": names } }
            })
        })
        .collect();
    serde_json::Value::Array(rules)
}

/// Remove `null` from every type and every `anyOf` of a schema.
fn not_nullable(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(any)) = map.get_mut("anyOf") {
                any.retain(|s| s.get("type").is_none_or(|t| t != "null"));
                if any.len() == 1
                    && let Value::Object(only) = any.remove(0)
                {
                    map.remove("anyOf");
                    for (k, v) in only {
                        map.entry(k).or_insert(v);
                    }
                }
            }
            map.values_mut().for_each(not_nullable);
        }
        Value::Array(items) => items.iter_mut().for_each(not_nullable),
        _ => {}
    }
}
