//! Resolution: the raw layout becomes the [`Document`] types. Styles with
//! their inheritance, paragraphs (locale strings, normalising, digits,
//! inline markup), the page and its margins, frames in points, blocks, QR
//! modules, `next` links between flowing frames and the print settings.
//!
//! This file owns the defaults and every check that looks at more than one
//! key, and loads what the layout names (fonts by family, pictures, ICC
//! profiles). It must not know how the layout was read or which locale or
//! data row was chosen (that is `load`'s), nor anything of shaping, bidi or
//! PDF.

use super::raw::{Orientation, RawFrame, RawLayout, RawOutline, RawPage, RawShadow, RawStyle};
use super::values::RawFill;
use super::*;
use crate::fonts::FontBook;
use crate::lang::hyphenation_language;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// A fully resolved style (character and paragraph properties).
#[derive(Debug, Clone)]
pub(super) struct Style {
    pub(super) family: String,
    pub(super) fallback: Vec<String>,
    pub(super) weight: u16,
    pub(super) size: f32,
    pub(super) line_height: LineHeight,
    pub(super) color: Rgb,
    pub(super) align: Align,
    pub(super) direction: Direction,
    pub(super) space_before: f32,
    pub(super) space_after: f32,
    pub(super) justify: Justify,
    /// The kashida the style asks for, when it says.
    pub(super) kashida: Option<Kashida>,
    pub(super) wrap: Option<Wrap>,
    pub(super) digits: Digits,
    pub(super) normalize: bool,
    /// Whether this is display text, when the style says.
    pub(super) display: Option<bool>,
    pub(super) justify_last: bool,
    pub(super) first_line_indent: Option<values::Indent>,
    pub(super) features: Vec<String>,
    pub(super) fallback_size_adjust: SizeAdjust,
    /// Variation coordinates for a variable font (`variations`).
    pub(super) variations: Vec<([u8; 4], f32)>,
    pub(super) effects: crate::base::TextEffects,
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
            kashida: None,
            wrap: None,
            digits: Digits::Keep,
            normalize: false,
            display: None,
            justify_last: false,
            first_line_indent: None,
            features: Vec::new(),
            fallback_size_adjust: SizeAdjust::Auto,
            variations: Vec::new(),
            effects: Default::default(),
        }
    }
}

/// The layout's `[colors]` table: turns colours as written into RGB, an
/// unknown name being an error at its position. It belongs to one layout,
/// so a name never outlives the layout that defines it.
pub(super) struct Palette<'a> {
    file: &'a Path,
    src: &'a str,
    names: BTreeMap<String, Rgb>,
}

impl<'a> Palette<'a> {
    /// The palette of the layout `src` (read from `file`), whose `[colors]` are `names`.
    pub(super) fn new(file: &'a Path, src: &'a str, names: BTreeMap<String, Rgb>) -> Self {
        Palette { file, src, names }
    }

    /// A colour written at `span`.
    fn rgb(&self, c: &Color, span: Range<usize>) -> Result<Rgb, ModelError> {
        c.resolve(&self.names).map_err(|m| ModelError::Source(Box::new(SourceError::new(self.file, self.src, span, m))))
    }

    /// A colour written in the layout.
    pub(super) fn color(&self, c: &Spanned<Color>) -> Result<Rgb, ModelError> {
        self.rgb(c.get_ref(), c.span())
    }

    /// A fill written in the layout; a gradient stop's mistake points at the list of stops.
    pub(super) fn fill(&self, f: &Spanned<RawFill>) -> Result<Fill, ModelError> {
        Ok(match f.get_ref() {
            RawFill::Solid(c) => Fill::Solid(self.rgb(c, f.span())?),
            RawFill::Gradient { angle, stops } => Fill::Gradient {
                angle: *angle,
                stops: stops.get_ref().iter().map(|c| self.rgb(c, stops.span())).collect::<Result<_, _>>()?,
            },
        })
    }

    /// Resolve every colour of the layout once, before anything else is
    /// resolved, and report the first mistake in the file: a misspelt name
    /// is an error even where it is not used (a style no block takes), and
    /// comes before the mistakes resolving finds, as one in a literal does.
    pub(super) fn check(&self, raw: &RawLayout) -> Result<(), ModelError> {
        let mut colors: Vec<&Spanned<Color>> = Vec::new();
        let mut fills: Vec<&Spanned<RawFill>> = raw.page.background.iter().collect();
        colors.extend(raw.styles.values().filter_map(|s| s.get_ref().color.as_ref()));
        for f in raw.frames.iter().map(Spanned::get_ref) {
            fills.extend(&f.background);
            colors.extend(f.border_color.iter().chain(&f.column_rule));
            for b in f.blocks.iter().map(Spanned::get_ref) {
                colors.extend(b.color.iter().chain(&b.background));
            }
        }
        let color_errors = colors.into_iter().filter_map(|c| self.color(c).err().map(|e| (c.span().start, e)));
        let fill_errors = fills.into_iter().filter_map(|f| self.fill(f).err().map(|e| (f.span().start, e)));
        match color_errors.chain(fill_errors).min_by_key(|(at, _)| *at) {
            Some((_, e)) => Err(e),
            None => Ok(()),
        }
    }
}

/// The deepest chain of style `parent`s.
const MAX_STYLE_DEPTH: usize = 64;

/// The most combining marks one letter may carry.
const MAX_MARKS: usize = 32;

pub(super) struct Resolver<'a> {
    /// The engine's font and picture files.
    pub(super) files: &'a crate::engine::Shared,
    /// The folder the layout may read files from.
    pub(super) root: std::path::PathBuf,
    pub(super) file: &'a Path,
    pub(super) src: &'a str,
    /// The faces; variable fonts add instances as weights ask for them.
    pub(super) fonts: std::cell::RefCell<FontBook>,
    pub(super) raw_styles: &'a BTreeMap<String, Spanned<RawStyle>>,
    pub(super) styles: BTreeMap<String, Style>,
    pub(super) rtl_language: bool,
    pub(super) pictures: Vec<crate::picture::Picture>,
    pub(super) normalize: bool,
    /// The layout's named colours.
    pub(super) palette: Palette<'a>,
    /// The locale whose strings fill `{{key}}` placeholders.
    pub(super) locale: Option<&'a locale::Locale>,
    /// The locale's direction differs from the layout's: mirror frames.
    pub(super) mirror: bool,
    /// The document's language (the locale's, else the layout's).
    pub(super) language: String,
    /// QR codes resolved so far.
    pub(super) qr_codes: usize,
    /// Table cells resolved so far.
    pub(super) table_cells: usize,
    /// The files read so far besides the layout (see [`Document::inputs`]).
    pub(super) inputs: std::cell::RefCell<Vec<std::path::PathBuf>>,
}

impl Resolver<'_> {
    /// Remember a file the document was read from.
    pub(super) fn read_from(&self, path: &Path) {
        let mut inputs = self.inputs.borrow_mut();
        if !inputs.iter().any(|p| p == path) {
            inputs.push(path.to_path_buf());
        }
    }

    pub(super) fn err(&self, span: Range<usize>, msg: impl Into<String>) -> ModelError {
        ModelError::Source(Box::new(SourceError::new(self.file, self.src, span, msg)))
    }

    /// Load a picture named in the layout (relative to the layout file),
    /// once per document; errors name the file and the frame.
    pub(super) fn picture(&mut self, path: &Spanned<String>, frame: &str) -> Result<usize, ModelError> {
        let source = path.get_ref();
        if let Some(i) = self.pictures.iter().position(|p| &p.source == source) {
            return Ok(i);
        }
        let base = self.file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let full = crate::files::resolve(&self.root, base, source, crate::files::Kind::Picture)
            .map_err(|m| self.err(path.span(), format!("in frame \"{frame}\": {m}")))?;
        self.read_from(&full);
        let picture = self
            .files
            .pictures
            .load(&full, source)
            .map_err(|e| self.err(path.span(), format!("in frame \"{frame}\": {e}")))?;
        let sizes = self.pictures.iter().chain([&picture]).map(|p| (p.width, p.height));
        let total = crate::picture::document_pixels(sizes);
        if let Err(e) = crate::Exceeded::check("picture-pixels", self.files.limits.picture_pixels, total) {
            return Err(self.err(path.span(), format!("in frame \"{frame}\": with {source}, {e}")));
        }
        self.pictures.push(picture);
        Ok(self.pictures.len() - 1)
    }

    /// A style's text shadow: black, 2 px right and down, sharp, 60 % by default.
    fn shadow(&self, raw: &Spanned<RawShadow>) -> Result<crate::base::TextShadow, ModelError> {
        let s = raw.get_ref();
        let blur = s.blur.map_or(0.0, |l| l.0);
        if !(0.0..=MAX_SHADOW_BLUR).contains(&blur) {
            return Err(
                self.err(raw.span(), format!("a shadow's blur lies between 0 and {MAX_SHADOW_BLUR} pt, not {blur} pt"))
            );
        }
        let offset = |l: Option<values::Length>| l.map_or(2.0 * values::PT_PER_PX, |l| l.0);
        let (x, y) = (offset(s.x), offset(s.y));
        if x.abs() > MAX_SHADOW_OFFSET || y.abs() > MAX_SHADOW_OFFSET {
            return Err(self.err(raw.span(), format!("a shadow falls at most {MAX_SHADOW_OFFSET} pt from its text")));
        }
        let opacity = s.opacity.unwrap_or(0.6);
        if !(0.0..=1.0).contains(&opacity) {
            return Err(self.err(raw.span(), format!("a shadow's opacity lies between 0 and 1, not {opacity}")));
        }
        let color = s.color.as_ref().map_or(Ok(Rgb::BLACK), |c| self.palette.color(c))?;
        Ok(crate::base::TextShadow { color, x, y, blur, opacity })
    }

    /// A style's text outline: 1 pt by default, at most 20 pt.
    fn outline(&self, raw: &Spanned<RawOutline>) -> Result<crate::base::TextOutline, ModelError> {
        let o = raw.get_ref();
        let width = o.width.map_or(1.0, |l| l.0);
        if !(width > 0.0 && width <= MAX_OUTLINE) {
            return Err(self.err(
                raw.span(),
                format!("an outline's width lies above 0 and at most {MAX_OUTLINE} pt, not {width} pt"),
            ));
        }
        Ok(crate::base::TextOutline { color: self.palette.color(&o.color)?, width })
    }

    /// The values the locale sets over style `name` (a language's own line
    /// height, size or spacing); a style inheriting from it gets them too.
    fn apply_locale_style(&self, name: &str, style: &mut Style) {
        let Some(o) = self.locale.filter(|l| l.conventions).and_then(|l| l.styles.get(name)) else { return };
        if let Some(v) = o.size {
            style.size = v.0;
        }
        if let Some(v) = o.line_height {
            style.line_height = v;
        }
        if let Some(v) = o.weight {
            style.weight = v.0;
        }
        if let Some(v) = o.align {
            style.align = v;
        }
        if let Some(v) = o.space_before {
            style.space_before = v.0;
        }
        if let Some(v) = o.space_after {
            style.space_after = v.0;
        }
        if let Some(v) = o.justify {
            style.justify = v;
        }
        if o.kashida.is_some() {
            style.kashida = o.kashida;
        }
        if o.wrap.is_some() {
            style.wrap = o.wrap;
        }
    }

    /// Add the system's faces of `family` to the book when the book lacks
    /// the family and the engine offers system fonts.
    fn load_system_family(&mut self, family: &str) {
        if self.fonts.borrow().has_family(family) {
            return;
        }
        let Some(system) = self.files.system_fonts() else { return };
        for path in system.files_of(family) {
            // A system font that cannot be read is as if it were not installed.
            let _ = self.fonts.borrow_mut().load_file(&self.files.fonts, &path);
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
        if chain.len() > MAX_STYLE_DEPTH {
            return Err(self.err(
                raw.span(),
                format!(
                    "styles inherit more than {MAX_STYLE_DEPTH} deep (from \"{}\"); shorten the chain of `parent`s",
                    chain[0]
                ),
            ));
        }
        let raw = raw.get_ref().clone();
        let mut style = match &raw.parent {
            Some(p) => self.style(p.get_ref(), p.span(), chain)?,
            None => Style::default(),
        };
        if let Some(f) = &raw.font {
            self.load_system_family(f.get_ref());
            if !self.fonts.borrow().has_family(f.get_ref()) {
                return Err(self.err(
                    f.span(),
                    format!("unknown font family \"{}\"; families available: {} (add font files with `fonts = [\"path.ttf\"]`)", f.get_ref(), self.fonts.borrow().families().join(", ")),
                ));
            }
            style.family = f.get_ref().clone();
        }
        if let Some(list) = &raw.fallback {
            style.fallback.clear();
            for f in list {
                self.load_system_family(f.get_ref());
                if !self.fonts.borrow().has_family(f.get_ref()) {
                    return Err(self.err(
                        f.span(),
                        format!(
                            "unknown fallback font family \"{}\"; families available: {}",
                            f.get_ref(),
                            self.fonts.borrow().families().join(", ")
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
        if raw.kashida.is_some() {
            style.kashida = raw.kashida;
        }
        set!(digits);
        set!(normalize);
        if raw.display.is_some() {
            style.display = raw.display;
        }
        set!(justify_last);
        if raw.first_line_indent.is_some() {
            style.first_line_indent = raw.first_line_indent;
        }
        if let Some(list) = &raw.features {
            style.features = check_features(list.get_ref()).map_err(|m| self.err(list.span(), m))?;
        }
        if let Some(v) = &raw.variations {
            style.variations = self.check_variations(v.get_ref(), &style.family).map_err(|m| self.err(v.span(), m))?;
        }
        if let Some(a) = raw.fallback_size_adjust {
            style.fallback_size_adjust = match a {
                super::raw::RawSizeAdjust::Switch(true) => SizeAdjust::On,
                super::raw::RawSizeAdjust::Switch(false) => SizeAdjust::Off,
                super::raw::RawSizeAdjust::Ratio(r) if (0.3..=0.8).contains(&r) => SizeAdjust::Ratio(r as f32),
                super::raw::RawSizeAdjust::Ratio(r) => {
                    return Err(self.err(
                        span.clone(),
                        format!("fallback_size_adjust {r} is outside 0.3–0.8 (an x-height as a fraction of the size), or write true or false"),
                    ));
                }
            };
        }
        if let Some(shadow) = &raw.shadow {
            style.effects.shadow = Some(self.shadow(shadow)?);
        }
        if let Some(outline) = &raw.outline {
            style.effects.outline = Some(self.outline(outline)?);
        }
        if raw.wrap.is_some() {
            style.wrap = raw.wrap;
        }
        if let Some(w) = raw.weight {
            style.weight = w.0;
        }
        if let Some(s) = raw.size {
            style.size = s.0;
        }
        if let Some(c) = &raw.color {
            style.color = self.palette.color(c)?;
        }
        if let Some(v) = raw.space_before {
            style.space_before = v.0;
        }
        if let Some(v) = raw.space_after {
            style.space_after = v.0;
        }
        self.apply_locale_style(name, &mut style);
        if style.size <= 0.0 || style.size > 2000.0 {
            return Err(self.err(
                self.raw_styles[name].span(),
                format!(
                    "style \"{name}\" has size {} pt; a font size must be greater than 0 and at most 2000 pt",
                    style.size
                ),
            ));
        }
        if let LineHeight::Fixed(l) = style.line_height
            && l.0 <= 0.0
        {
            return Err(self.err(
                self.raw_styles[name].span(),
                format!(
                    "style \"{name}\" has line_height {} pt; a line height must be positive: a length like \"14pt\" or a multiple of the size like 1.5",
                    l.0
                ),
            ));
        }
        let indent = style.first_line_indent.map_or(0.0, |i| i.resolve(style.size));
        if !(-1000.0..=1000.0).contains(&indent) {
            return Err(self.err(
                self.raw_styles[name].span(),
                format!("style \"{name}\" has first_line_indent {indent:.1} pt; an indent must be within ±1000 pt"),
            ));
        }
        chain.pop();
        self.styles.insert(name.to_string(), style.clone());
        Ok(style)
    }

    /// The style named by a block, or the default for its type: a missing
    /// default style falls back to the built-in one.
    pub(super) fn block_style(&mut self, named: &Option<Spanned<String>>, default: &str) -> Result<Style, ModelError> {
        match named {
            Some(s) => self.style(s.get_ref(), s.span(), &mut Vec::new()),
            None if self.raw_styles.contains_key(default) => self.style(default, 0..0, &mut Vec::new()),
            None => Ok(Style::default()),
        }
    }

    /// Variation coordinates as a style writes them, checked: four-letter
    /// tags the style's family has an axis for, finite values, at most 8.
    fn check_variations(&self, written: &BTreeMap<String, f64>, family: &str) -> Result<Vec<([u8; 4], f32)>, String> {
        if written.len() > 8 {
            return Err(format!("a style sets at most 8 variation axes, found {}", written.len()));
        }
        let fonts = self.fonts.borrow();
        let faces: Vec<_> = fonts.faces().iter().filter(|f| f.family.eq_ignore_ascii_case(family)).collect();
        written
            .iter()
            .map(|(tag, v)| {
                let t: [u8; 4] = tag
                    .as_bytes()
                    .try_into()
                    .ok()
                    .filter(|t: &[u8; 4]| t.iter().all(|c| c.is_ascii_alphanumeric()))
                    .ok_or_else(|| {
                        format!("\"{tag}\" is not a variation axis tag; write four letters like wght, wdth, opsz")
                    })?;
                if !v.is_finite() {
                    return Err(format!("the {tag} axis needs a finite number"));
                }
                if !faces.iter().any(|f| f.has_axis(t)) {
                    return Err(format!(
                        "the font family \"{family}\" has no variable {tag} axis (a variable font file names its axes)"
                    ));
                }
                Ok((t, *v as f32))
            })
            .collect()
    }

    fn face(&self, family: &str, weight: u16, axes: &[([u8; 4], f32)]) -> FaceId {
        // Families were validated when the style was resolved.
        let mut fonts = self.fonts.borrow_mut();
        fonts
            .resolve_varied(family, weight, axes)
            .unwrap_or_else(|_| fonts.resolve(crate::fonts::DEFAULT_FAMILY, weight).unwrap_or(0))
    }

    /// The span of one piece of inline markup in `style`; a wrong value
    /// is an error at the place `at` gives for its character.
    fn span(
        &self,
        p: markup::Piece,
        style: &Style,
        at: &dyn Fn(usize) -> Range<usize>,
    ) -> Result<Span, (Range<usize>, String)> {
        let a = &p.attrs;
        let base = match &a.weight {
            Some(v) => values::parse_weight(&v.text).map_err(|m| (at(v.at), m))?,
            None => style.weight,
        };
        let weight = if p.bold { if base >= 700 { 900 } else { 700 } } else { base };
        // A span's own weight (or bold) wins over the style's wght axis.
        let axes: Vec<([u8; 4], f32)> = match a.weight.is_some() || p.bold {
            true => style.variations.iter().filter(|(t, _)| t != b"wght").copied().collect(),
            false => style.variations.clone(),
        };
        let size = match &a.size {
            Some(v) => span_size(&v.text, style.size).map_err(|m| (at(v.at), m))?,
            None => style.size,
        };
        let color = match &a.color {
            Some(v) => {
                values::Color::parse(&v.text).and_then(|c| c.resolve(&self.palette.names)).map_err(|m| (at(v.at), m))?
            }
            None => style.color,
        };
        Ok(Span {
            text: p.text,
            face: self.face(&style.family, weight, &axes),
            fallbacks: style.fallback.iter().map(|f| self.face(f, weight, &[])).collect(),
            size,
            color,
            link: p.link,
            inline: Inline {
                underline: a.underline,
                strike: a.strike,
                oblique: a.italic,
                language: a.lang.as_ref().map(|v| v.text.clone()),
                rtl: a.dir.map(|d| d == markup::Dir::Rtl),
                group: p.span,
                nobreak: a.nobreak,
            },
        })
    }

    pub(super) fn paragraph(
        &self,
        text: &Spanned<String>,
        style: &Style,
        origin: String,
    ) -> Result<Paragraph, ModelError> {
        self.paragraph_wrapped(text, style, origin, Wrap::Optimal)
    }

    /// A paragraph whose wrap mode is `default_wrap` unless its style says otherwise.
    pub(super) fn paragraph_wrapped(
        &self,
        text: &Spanned<String>,
        style: &Style,
        origin: String,
        default_wrap: Wrap,
    ) -> Result<Paragraph, ModelError> {
        let filled = locale::fill_in(text.get_ref(), self.locale, self.file, self.src, text.span(), true)?;
        if let Some(at) = too_many_marks(&filled) {
            return Err(self.err(
                text.span(),
                format!("{origin}: a letter at character {} carries more than {MAX_MARKS} combining marks", at + 1),
            ));
        }
        // A locale brings its language's direction, digits and (if it names one) font.
        let localized;
        let style = match self.locale.filter(|l| l.conventions) {
            Some(l) => {
                let mut s = style.clone();
                s.direction = l.direction;
                s.digits = l.digits;
                if l.kashida.is_some() {
                    s.kashida = l.kashida;
                }
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
        // A markup mistake points at its character when the text reached
        // the parser as written (no locale strings filled in, nothing normalised).
        let as_written = source == *text.get_ref();
        let at = |char_at: usize| match as_written {
            true => string_offset(self.src, text.span(), char_at).map_or(text.span(), |o| o..o + 1),
            false => text.span(),
        };
        let mut pieces =
            markup::parse_inline(&source).map_err(|e| self.err(at(e.at), format!("{origin}: {}", e.message)))?;
        // A link goes to the web, a mail address or a phone: never a script
        // or a local file a reader's viewer would open.
        if let Some(bad) = pieces.iter().filter_map(|p| p.link.as_deref()).find(|l| !is_safe_link(l)) {
            return Err(self.err(
                text.span(),
                format!(
                    "{origin}: the link «{}» is not an http, https, mailto or tel address",
                    bad.chars().take(60).collect::<String>()
                ),
            ));
        }
        convert_digits(&mut pieces, style.digits);
        let spans = pieces
            .into_iter()
            .map(|p| self.span(p, style, &at).map_err(|(r, m)| self.err(r, format!("{origin}: {m}"))))
            .collect::<Result<Vec<_>, _>>()?;
        // Headings (balanced by default) are display text unless told otherwise.
        let display = style.display.unwrap_or(default_wrap == Wrap::Balance);
        let align = if display && style.align == Align::Justify { Align::Start } else { style.align };
        Ok(Paragraph {
            spans,
            style: ParaStyle {
                size: style.size,
                align,
                display,
                direction: style.direction,
                line_height: style.line_height.resolve(style.size),
                space_before: style.space_before,
                space_after: style.space_after,
                fallback_rtl: self.rtl_language,
                kashida: kashida_mode(style, &self.language),
                wrap: style.wrap.unwrap_or(if display { Wrap::Balance } else { default_wrap }),
                hyphenate: (align == Align::Justify).then(|| hyphenation_language(&self.language)).flatten(),
                justify_last: style.justify_last,
                first_line_indent: style.first_line_indent.map_or(0.0, |i| i.resolve(style.size)),
                features: style.features.clone(),
                fallback_size_adjust: style.fallback_size_adjust,
                effects: style.effects,
            },
            origin,
        })
    }
}

/// The most OpenType features one style may ask for.
const MAX_FEATURES: usize = 32;

/// Check the OpenType features of every style, used or not, as colours
/// are: a misspelt feature is an error at its place even in a style no
/// block takes.
pub(super) fn check_all_features(file: &Path, src: &str, raw: &RawLayout) -> Result<(), ModelError> {
    for list in raw.styles.values().filter_map(|s| s.get_ref().features.as_ref()) {
        check_features(list.get_ref())
            .map_err(|m| ModelError::Source(Box::new(SourceError::new(file, src, list.span(), m))))?;
    }
    Ok(())
}

/// OpenType features as written in a style, each checked the way HarfBuzz
/// reads it (`"ss01"`, `"-liga"`, `"salt=2"`, `"kern[3:5]"`).
fn check_features(list: &[String]) -> Result<Vec<String>, String> {
    if list.len() > MAX_FEATURES {
        return Err(format!("a style takes at most {MAX_FEATURES} OpenType features, found {}", list.len()));
    }
    for f in list {
        let ok = crate::base::opentype_feature(f).is_some();
        if !ok {
            return Err(format!(
                "\"{f}\" is not an OpenType feature; write a four-letter tag like \"ss01\", \"-liga\" to turn one off or \"salt=2\""
            ));
        }
    }
    Ok(list.to_vec())
}

/// The smallest and largest font size a span may ask for, in points.
const SPAN_SIZES: std::ops::RangeInclusive<f32> = 1.0..=1000.0;

/// A span's font size: a length, or ems of the paragraph's size (`1.2em`).
fn span_size(written: &str, style_size: f32) -> Result<f32, String> {
    let size = values::parse_indent(written)
        .map_err(|_| {
            format!("a span's size is a length like \"14pt\" or a multiple like \"1.2em\", found \"{written}\"")
        })?
        .resolve(style_size);
    if !SPAN_SIZES.contains(&size) {
        return Err(format!("a span's size must be 1–1000 pt, found {size:.1} pt"));
    }
    Ok(size)
}

/// Whether a link target is a web, mail or phone address.
fn is_safe_link(target: &str) -> bool {
    let lower = target.trim_start().to_ascii_lowercase();
    ["http://", "https://", "mailto:", "tel:"].iter().any(|p| lower.starts_with(p))
        && !target.chars().any(|c| c.is_control())
}

/// The character index of the first letter carrying more than
/// [`MAX_MARKS`] combining marks, if any (the shaper cannot take them).
fn too_many_marks(text: &str) -> Option<usize> {
    use unicode_script::{Script, UnicodeScript};
    let mut run = 0;
    for (i, c) in text.chars().enumerate() {
        let mark = c.script() == Script::Inherited || ('\u{064B}'..='\u{065F}').contains(&c) || c == '\u{0670}';
        run = if mark { run + 1 } else { 0 };
        if run > MAX_MARKS {
            return Some(i - run);
        }
    }
    None
}

/// The kashida a paragraph uses: the style's (or the locale's) when it
/// says; none when the style justifies with spaces; else none for Kurdish,
/// whose setting rarely stretches words, and Persian conventions otherwise.
fn kashida_mode(style: &Style, language: &str) -> Kashida {
    match (style.kashida, style.justify) {
        (Some(k), _) => k,
        (None, Justify::Spaces) => Kashida::Off,
        (None, Justify::Kashida) if crate::lang::kashida_by_default(language) => Kashida::Auto,
        (None, Justify::Kashida) => Kashida::Off,
    }
}

/// Convert the digits of inline pieces, deciding context over the whole paragraph.
pub(super) fn convert_digits(pieces: &mut [markup::Piece], to: Digits) {
    if to == Digits::Keep {
        return;
    }
    let whole: String = pieces.iter().map(|p| p.text.as_str()).collect();
    let mut context = crate::lang::digits::convertible(&whole, to).into_iter();
    for p in pieces.iter_mut() {
        p.text = p.text.chars().map(|c| if context.next().unwrap_or(false) { to.map(c) } else { c }).collect();
    }
}

pub(super) fn resolve_print(r: &Resolver, raw: &RawLayout) -> Result<Print, ModelError> {
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
            let base = r.file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            let full = crate::files::resolve(&r.root, base, f.get_ref(), crate::files::Kind::Profile)
                .map_err(|m| r.err(f.span(), m))?;
            r.read_from(&full);
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
        platform: page.platform.or_else(|| page.size.as_ref().and_then(|s| Platform::of_preset(s.get_ref()))),
    })
}

/// Margins in points: top, end, bottom, start.
#[derive(Clone, Copy)]
pub(super) struct Margins {
    top: f32,
    bottom: f32,
    left: f32,
    right: f32,
}

pub(super) fn resolve_page(r: &Resolver, p: &RawPage) -> Result<(PageSpec, Margins), ModelError> {
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
    let background = p.background.as_ref().map(|f| r.palette.fill(f)).transpose()?;
    Ok((PageSpec { width: w, height: h, background }, margins))
}

/// What is wrong with a frame's size, when it is too small to hold
/// anything: more than 1 pt each way is needed. Says which key (or which
/// default) made it so.
fn frame_size_problem(name: &str, raw: &RawFrame, at: (f32, f32), size: (f32, f32)) -> Option<String> {
    let (x, y) = at;
    let (width, height) = size;
    let problem = |side: &str, value: f32, given: bool, from: &str, start: f32| {
        if given {
            format!(
                "frame \"{name}\" has {side} {value:.1} pt; a frame must be more than 1 pt in each direction to hold anything"
            )
        } else {
            format!(
                "frame \"{name}\" would be {value:.1} pt in {side}: without `{side}` it reaches from {from} ({start:.1} pt) to the page margin; move it or give it a `{side}`"
            )
        }
    };
    if height <= 1.0 {
        return Some(problem("height", height, raw.height.is_some(), "y", y));
    }
    if width <= 1.0 {
        return Some(problem("width", width, raw.width.is_some(), "x", x));
    }
    None
}

pub(super) fn resolve_frame(
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
    if let Some(problem) = frame_size_problem(&name, raw, (x, y), (width, height)) {
        return Err(r.err(f.span(), problem));
    }
    let padding = raw.padding.map_or(0.0, |l| l.0);
    let mut blocks = Vec::new();
    for (bi, b) in raw.blocks.iter().enumerate() {
        let origin = format!("frame \"{name}\", block {}", bi + 1);
        blocks.push(super::blocks::resolve_block(r, b, &name, width - 2.0 * padding, &origin)?);
    }
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
    let order = match &raw.order {
        Some(n) if !(-10_000..=10_000).contains(n.get_ref()) => {
            return Err(r.err(n.span(), "`order` is a place in reading order, a whole number from -10000 to 10000"));
        }
        Some(n) => *n.get_ref(),
        None => index as i64 + 1,
    };
    let opacity = unit_interval(r, f, raw.opacity, "opacity")?;
    let columns = resolve_columns(r, f, &name, width - 2.0 * padding)?;
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
        background: raw.background.as_ref().map(|f| r.palette.fill(f)).transpose()?,
        border: match (&raw.border_color, raw.border_width) {
            (None, None) => None,
            (c, w) => Some((c.as_ref().map_or(Ok(Rgb::BLACK), |c| r.palette.color(c))?, w.map_or(1.0, |w| w.0))),
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
        order,
        continuation: false,
        bleed: raw.bleed.unwrap_or(false),
        last_page,
        columns,
        // A mirrored layout turns the other way.
        rotate: raw.rotate.map_or(0.0, |a| if r.mirror { -a.0 } else { a.0 }),
    })
}

/// The softest shadow edge, in points.
const MAX_SHADOW_BLUR: f32 = 50.0;
/// The farthest a shadow falls from its text, in points.
const MAX_SHADOW_OFFSET: f32 = 200.0;
/// The widest text outline, in points.
const MAX_OUTLINE: f32 = 20.0;

/// A frame's columns: 1–12 of them, the gutters leaving each column at
/// least 1 pt of the frame's `inner` width, a rule's width within a gutter.
fn resolve_columns(r: &Resolver, f: &Spanned<RawFrame>, name: &str, inner: f32) -> Result<Columns, ModelError> {
    let raw = f.get_ref();
    let count = match &raw.columns {
        Some(n) if !(1..=12).contains(n.get_ref()) => {
            return Err(r.err(
                n.span(),
                format!("frame \"{name}\" has columns = {}; a frame takes 1 to 12 columns", n.get_ref()),
            ));
        }
        Some(n) => *n.get_ref() as usize,
        None => 1,
    };
    let mut columns = Columns { count, balance: raw.balance.unwrap_or(false), ..Columns::default() };
    if let Some(g) = raw.gutter {
        columns.gutter = g.0;
    }
    let gutters = columns.gutter * (count - 1) as f32;
    if columns.gutter < 0.0 || inner - gutters < count as f32 {
        return Err(r.err(
            f.span(),
            format!(
                "frame \"{name}\" has a gutter of {:.1} pt; its {count} columns need the gutters to be at least 0 and to leave room in its {inner:.1} pt",
                columns.gutter
            ),
        ));
    }
    if let Some(c) = &raw.column_rule {
        let width = raw.column_rule_width.map_or(0.5, |l| l.0);
        if width <= 0.0 || (count > 1 && width > columns.gutter) {
            return Err(r.err(
                c.span(),
                format!("frame \"{name}\" has a column rule {width:.1} pt wide; it must be more than 0 and no wider than the gutter"),
            ));
        }
        columns.rule = Some((r.palette.color(c)?, width));
    }
    Ok(columns)
}

/// An optional number that must lie in 0–1 (opacity); 1 when absent.
pub(super) fn unit_interval<T>(r: &Resolver, at: &Spanned<T>, v: Option<f32>, key: &str) -> Result<f32, ModelError> {
    match v {
        Some(x) if !(0.0..=1.0).contains(&x) => {
            Err(r.err(at.span(), format!("`{key}` must be between 0 and 1, found {x}")))
        }
        Some(x) => Ok(x),
        None => Ok(1.0),
    }
}

pub(super) fn link_flows(r: &Resolver, raw: &[Spanned<RawFrame>], frames: &mut [Frame]) -> Result<(), ModelError> {
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

/// Where, in the layout's source, the character `at` (counted in chars) of
/// the TOML string written at `span` stands: the string's escapes, its
/// quotes and a multi-line string's first newline and line-ending
/// backslashes are stepped over as TOML reads them. `None` when the span is
/// not a string as written (an inline value, a key).
pub(super) fn string_offset(src: &str, span: Range<usize>, at: usize) -> Option<usize> {
    let written = src.get(span.clone())?;
    let (quote, literal) = [("\"\"\"", false), ("'''", true), ("\"", false), ("'", true)]
        .into_iter()
        .find(|(q, _)| written.starts_with(q))?;
    let multi = quote.len() == 3;
    let body = &written[quote.len()..];
    let mut chars = body.char_indices().peekable();
    // A newline right after the opening quotes is not part of a multi-line string.
    if multi {
        if body.starts_with("\r\n") {
            chars.next();
            chars.next();
        } else if body.starts_with('\n') {
            chars.next();
        }
    }
    let mut count = 0;
    while let Some((i, c)) = chars.next() {
        if !literal && c == '\\' {
            match chars.peek().map(|&(_, n)| n) {
                Some('u') | Some('U') | Some('x') => {
                    let n = match chars.peek().map(|&(_, n)| n) {
                        Some('u') => 4,
                        Some('U') => 8,
                        _ => 2,
                    };
                    if count == at {
                        return Some(span.start + quote.len() + i);
                    }
                    for _ in 0..=n {
                        chars.next();
                    }
                    count += 1;
                    continue;
                }
                Some(w) if multi && w.is_whitespace() => {
                    // A line-ending backslash: it and the white space after it are nothing.
                    while chars.peek().is_some_and(|&(_, n)| n.is_whitespace()) {
                        chars.next();
                    }
                    continue;
                }
                _ => {
                    if count == at {
                        return Some(span.start + quote.len() + i);
                    }
                    chars.next();
                    count += 1;
                    continue;
                }
            }
        }
        if count == at {
            return Some(span.start + quote.len() + i);
        }
        count += 1;
    }
    None
}
