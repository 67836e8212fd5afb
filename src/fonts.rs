//! Fonts: loading, naming and choosing faces.
//!
//! Owns the [`FontBook`], the set of faces a render may use: the bundled
//! Vazirmatn weights (compiled into the binary) plus any font files a layout
//! names. Each face is parsed once and shared (`Arc`); font files are read
//! through the engine's bounded cache ([`FontFiles`]), so a batch of many
//! renders pays for font loading once and a changed file is read again.
//! This module knows nothing of layouts, bidi or PDF; it answers "which face
//! is family F at weight W" and "which face has a glyph for this character".

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The family name of the bundled default font.
pub const DEFAULT_FAMILY: &str = "Vazirmatn";

/// The bundled fonts: the four Vazirmatn weights, then the colour emoji
/// ([`EMOJI_FAMILY`]), which every paragraph falls back to for the emoji
/// its fonts lack.
pub(crate) const BUNDLED: [&[u8]; 5] = [
    include_bytes!("../fonts/Vazirmatn-Regular.ttf"),
    include_bytes!("../fonts/Vazirmatn-Medium.ttf"),
    include_bytes!("../fonts/Vazirmatn-Bold.ttf"),
    include_bytes!("../fonts/Vazirmatn-Black.ttf"),
    include_bytes!("../fonts/NashrEmoji.ttf"),
];

/// The family of the bundled colour emoji: some 70 common emoji of Noto
/// Color Emoji as colour bitmaps (`fonts/NashrEmoji-OFL.txt`).
pub(crate) const EMOJI_FAMILY: &str = "Nashr Emoji";

/// Index of a face inside its [`FontBook`].
pub type FaceId = usize;

self_cell::self_cell!(
    /// The font file's bytes and the rustybuzz face parsed from them.
    struct FaceCell {
        owner: Cow<'static, [u8]>,
        #[covariant]
        dependent: ParsedFace,
    }
);

type ParsedFace<'a> = rustybuzz::Face<'a>;

/// One parsed font face, ready for shaping and embedding.
pub struct FontFace {
    /// Family name as the font reports it (typographic family if present).
    pub family: String,
    /// PostScript name (used as the PDF BaseFont).
    pub postscript_name: String,
    /// OS/2 weight class, 100–900.
    pub weight: u16,
    /// Where the face came from: `bundled:…` or a file path.
    pub source: String,
    /// The font file and its parsed face.
    cell: FaceCell,
    /// Units per em.
    pub upem: f32,
    /// Variation coordinates this face is an instance at (a variable font
    /// set at a weight); empty for a face as its file has it.
    pub variations: Vec<([u8; 4], f32)>,
}

impl std::fmt::Debug for FontFace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontFace")
            .field("family", &self.family)
            .field("weight", &self.weight)
            .field("source", &self.source)
            .finish()
    }
}

/// A glyph's colour bitmap (see [`FontFace::color_bitmap`]).
pub struct ColorBitmap<'a> {
    /// The PNG file.
    pub png: &'a [u8],
    /// Left edge from the glyph origin, in the bitmap's pixels.
    pub x: f32,
    /// Bottom edge from the baseline (y up), in the bitmap's pixels.
    pub y: f32,
    /// Width in pixels.
    pub width: f32,
    /// Height in pixels.
    pub height: f32,
    /// The pixels per em the bitmap was drawn for.
    pub ppem: f32,
}

/// Vertical metrics of a face, in font units.
#[derive(Debug, Clone, Copy)]
pub struct VMetrics {
    /// Height above the baseline.
    pub ascender: f32,
    /// Depth below the baseline (negative).
    pub descender: f32,
}

impl FontFace {
    /// Parse a face from font data (the first face of a collection).
    pub fn parse(data: impl Into<Cow<'static, [u8]>>, source: &str) -> Result<FontFace, FontError> {
        let cell = FaceCell::try_new(data.into(), |bytes| {
            rustybuzz::Face::from_slice(bytes, 0).ok_or_else(|| FontError::Parse { source_name: source.to_string() })
        })?;
        let face = cell.borrow_dependent();
        let family = family_name(face).unwrap_or_else(|| "Unnamed".to_string());
        let postscript_name = face
            .names()
            .into_iter()
            .find(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .and_then(|n| n.to_string())
            .unwrap_or_else(|| family.replace(' ', ""));
        let weight = face.weight().to_number();
        let upem = face.units_per_em() as f32;
        Ok(FontFace { family, postscript_name, weight, source: source.to_string(), cell, upem, variations: Vec::new() })
    }

    /// The range of the face's weight axis, when it is a variable font with one.
    pub fn weight_axis(&self) -> Option<(f32, f32)> {
        let axes = self.face().variation_axes();
        axes.into_iter().find(|a| a.tag == ttf_parser::Tag::from_bytes(b"wght")).map(|a| (a.min_value, a.max_value))
    }

    /// Whether the face has a variation axis of this tag.
    pub fn has_axis(&self, tag: [u8; 4]) -> bool {
        self.face().variation_axes().into_iter().any(|a| a.tag == ttf_parser::Tag::from_bytes(&tag))
    }

    /// `coords` as this face can take them: each clamped to its axis,
    /// axes the face lacks left out.
    fn clamped(&self, coords: &[([u8; 4], f32)]) -> Vec<([u8; 4], f32)> {
        let axes: Vec<_> = self.face().variation_axes().into_iter().collect();
        coords
            .iter()
            .filter_map(|(tag, v)| {
                let axis = axes.iter().find(|a| a.tag == ttf_parser::Tag::from_bytes(tag))?;
                Some((*tag, v.clamp(axis.min_value, axis.max_value)))
            })
            .collect()
    }

    /// This variable face as an instance at `coords` (as [`FontFace::clamped`]
    /// gives them): shaping, advances and outlines are those of the instance.
    fn instance(&self, coords: &[([u8; 4], f32)]) -> Result<FontFace, FontError> {
        let data: Cow<'static, [u8]> = Cow::Owned(self.data().to_vec());
        let mut face = FontFace::parse(data, &self.source)?;
        for (tag, v) in coords {
            face.cell.with_dependent_mut(|_, f| {
                f.set_variation(ttf_parser::Tag::from_bytes(tag), *v);
            });
        }
        if let Some((_, w)) = coords.iter().find(|(t, _)| t == b"wght") {
            face.weight = w.round() as u16;
        }
        let name: String = coords.iter().map(|(t, v)| format!("-{}{v}", String::from_utf8_lossy(t))).collect();
        face.postscript_name = format!("{}{name}", self.family.replace(' ', ""));
        face.variations = coords.to_vec();
        Ok(face)
    }

    /// The rustybuzz face (derefs to `ttf_parser::Face`).
    pub fn face(&self) -> &rustybuzz::Face<'_> {
        self.cell.borrow_dependent()
    }

    /// A glyph's colour bitmap (CBDT, sbix) at the largest size the font
    /// has: PNG bytes, the bitmap's left edge and bottom edge from the
    /// glyph origin (y up) and its size, all in pixels, and the pixels per em.
    pub fn color_bitmap(&self, gid: u16) -> Option<ColorBitmap<'_>> {
        let img = self.face().glyph_raster_image(ttf_parser::GlyphId(gid), u16::MAX)?;
        (img.format == ttf_parser::RasterImageFormat::PNG && img.pixels_per_em > 0).then_some(ColorBitmap {
            png: img.data,
            x: img.x as f32,
            y: img.y as f32,
            width: img.width as f32,
            height: img.height as f32,
            ppem: img.pixels_per_em as f32,
        })
    }

    /// The font file's bytes.
    pub fn data(&self) -> &[u8] {
        self.cell.borrow_owner()
    }

    /// The glyph for a character, if the face has one.
    pub fn glyph(&self, c: char) -> Option<u16> {
        self.face().glyph_index(c).map(|g| g.0)
    }

    /// Whether the face can show `c` (default-ignorable characters always can).
    pub fn covers(&self, c: char) -> bool {
        is_default_ignorable(c) || c.is_control() || self.glyph(c).is_some()
    }

    /// Horizontal advance of a glyph in font units.
    pub fn advance(&self, gid: u16) -> f32 {
        self.face().glyph_hor_advance(ttf_parser::GlyphId(gid)).unwrap_or(0) as f32
    }

    /// Where a line under (`strike = false`) or through the text goes:
    /// its centre above the baseline and its thickness, in font units.
    pub fn decoration(&self, strike: bool) -> (f32, f32) {
        let f = self.face();
        let metrics = if strike { f.strikeout_metrics() } else { f.underline_metrics() };
        let thickness = metrics.map_or(self.upem * 0.05, |m| m.thickness as f32).max(self.upem * 0.02);
        match metrics {
            // The `post` table's underline position is the line's top edge.
            Some(m) if !strike => (m.position as f32 - thickness / 2.0, thickness),
            Some(m) => (m.position as f32, thickness),
            None if strike => (self.x_height() / 2.0, thickness),
            None => (-self.upem * 0.1, thickness),
        }
    }

    /// The size factor for `fallback`'s Latin text set in a paragraph of
    /// this face (see [`SizeAdjust`](crate::model::SizeAdjust)), within 0.5–1: a
    /// fallback is only ever made smaller, so its line keeps its height.
    pub fn size_adjust(&self, fallback: &FontFace, mode: crate::model::SizeAdjust) -> f32 {
        use crate::model::SizeAdjust;
        let em = |v: f32, f: &FontFace| v / f.upem;
        let own_x = self.latin_x_height();
        // With an Arabic face (which has no x-height): the fallback's
        // x-height two thirds of the alef's height. Noto Naskh's alef is as
        // tall as Vazirmatn's (0.67 em) but its letters' bodies are far
        // smaller (teeth at 0.34 em, Vazirmatn's Latin x-height 0.53 em):
        // this sets Latin at 0.85 of the size, looked at beside 0.78–1.
        let by_alef = || match (self.glyph_top('\u{0627}'), fallback.latin_x_height()) {
            (Some(alef), Some(x)) => ALEF_TO_X_HEIGHT * em(alef, self) / em(x, fallback),
            _ => 1.0,
        };
        let factor = match (mode, own_x, fallback.latin_x_height()) {
            (SizeAdjust::Off, ..) | (SizeAdjust::Auto, Some(_), _) => 1.0,
            (SizeAdjust::Ratio(r), _, Some(fx)) => r / em(fx, fallback),
            (SizeAdjust::Ratio(_), _, None) => 1.0,
            (SizeAdjust::On, Some(x), Some(fx)) => em(x, self) / em(fx, fallback),
            (SizeAdjust::On, Some(_), None) => 1.0,
            (SizeAdjust::Auto | SizeAdjust::On, None, _) => by_alef(),
        };
        if factor.is_finite() { factor.clamp(0.5, 1.0) } else { 1.0 }
    }

    /// The top of a character's glyph above the baseline, in font units.
    fn glyph_top(&self, c: char) -> Option<f32> {
        let f = self.face();
        let g = f.glyph_index(c)?;
        f.glyph_bounding_box(g).map(|b| b.y_max as f32).filter(|&y| y > 0.0)
    }

    /// The x-height of the face's Latin letters, when it has them.
    pub fn latin_x_height(&self) -> Option<f32> {
        self.glyph('x')?;
        Some(self.x_height())
    }

    /// The height of a lowercase x in font units (OS/2, else measured, else half an em).
    pub fn x_height(&self) -> f32 {
        let f = self.face();
        if let Some(x) = f.x_height().filter(|&x| x > 0) {
            return x as f32;
        }
        f.glyph_index('x').and_then(|g| f.glyph_bounding_box(g)).map_or(self.upem * 0.5, |b| b.y_max as f32)
    }

    /// Ascender and descender, preferring the OS/2 typographic values.
    pub fn vmetrics(&self) -> VMetrics {
        let f = self.face();
        let (asc, desc) = match f.tables().os2 {
            Some(os2) if os2.use_typographic_metrics() => (os2.typographic_ascender(), os2.typographic_descender()),
            _ => (f.ascender(), f.descender()),
        };
        VMetrics { ascender: asc as f32, descender: desc as f32 }
    }
}

/// A Latin fallback's x-height in an Arabic paragraph, as a fraction of
/// the Arabic face's alef height (`fallback_size_adjust`).
const ALEF_TO_X_HEIGHT: f32 = 2.0 / 3.0;

/// Default-ignorable characters that never need a glyph of their own.
pub fn is_default_ignorable(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}')
}

fn family_name(face: &ttf_parser::Face<'_>) -> Option<String> {
    let names = face.names();
    let find = |id: u16| names.into_iter().filter(|n| n.name_id == id && n.is_unicode()).find_map(|n| n.to_string());
    find(ttf_parser::name_id::TYPOGRAPHIC_FAMILY).or_else(|| find(ttf_parser::name_id::FAMILY))
}

/// Errors about fonts.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    /// The file could not be read.
    #[error("cannot read font file {path}: {err}")]
    Read {
        /// The font file.
        path: PathBuf,
        /// What the system said.
        err: std::io::Error,
    },
    /// The bytes are not a font.
    #[error("{source_name} is not a font nashr can read (TrueType or OpenType expected)")]
    Parse {
        /// The file or name of the data.
        source_name: String,
    },
    /// No face of this family is in the book.
    #[error("unknown font family \"{family}\"; families available: {available}")]
    UnknownFamily {
        /// The family asked for.
        family: String,
        /// The families the book has, comma-separated.
        available: String,
    },
}

/// The faces available to a render, grouped by family.
#[derive(Debug, Clone)]
pub struct FontBook {
    faces: Vec<Arc<FontFace>>,
}

impl Default for FontBook {
    fn default() -> Self {
        Self::with_bundled()
    }
}

fn bundled_faces() -> &'static [Arc<FontFace>] {
    static FACES: OnceLock<Vec<Arc<FontFace>>> = OnceLock::new();
    FACES.get_or_init(|| {
        BUNDLED
            .iter()
            .enumerate()
            .map(|(i, data)| {
                let source = if i < 4 {
                    format!("bundled:Vazirmatn#{i}")
                } else {
                    format!("bundled:{}", EMOJI_FAMILY.replace(' ', ""))
                };
                let face = FontFace::parse(*data, &source).expect("bundled fonts are valid");
                Arc::new(face)
            })
            .collect()
    })
}

/// Font files read from disk and parsed, shared by every render of an
/// engine: bounded, and read again when a file changes.
pub(crate) struct FontFiles {
    cache: crate::cache::FileCache<FontFace>,
}

impl Default for FontFiles {
    fn default() -> Self {
        // 64 files or 256 MB of font data, whichever comes first.
        FontFiles { cache: crate::cache::FileCache::new(64, 256 << 20) }
    }
}

impl FontFiles {
    /// The face in the font file at `path`.
    pub(crate) fn load(&self, path: &Path) -> Result<Arc<FontFace>, FontError> {
        let source = path.display().to_string();
        self.cache
            .get(path, |bytes| {
                let weight = bytes.len();
                FontFace::parse(bytes, &source).map(|f| (f, weight))
            })
            .map_err(|e| match e {
                crate::cache::CacheError::Read(err) => FontError::Read { path: path.to_path_buf(), err },
                crate::cache::CacheError::Load(e) => e,
            })
    }

    /// How many font files are held.
    pub(crate) fn len(&self) -> usize {
        self.cache.len()
    }
}

/// The fonts installed on the system, as fontdb finds them: family names
/// and files, read only when a layout names one of their families.
pub(crate) struct SystemFonts {
    db: fontdb::Database,
}

impl SystemFonts {
    /// Look for the system's fonts (fontconfig's folders on Linux, the
    /// usual folders elsewhere).
    pub(crate) fn scan() -> SystemFonts {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        SystemFonts { db }
    }

    /// Files holding faces of `family` (case-insensitive), first faces of
    /// their files only.
    pub(crate) fn files_of(&self, family: &str) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = self
            .db
            .faces()
            .filter(|f| f.index == 0 && f.families.iter().any(|(name, _)| name.eq_ignore_ascii_case(family)))
            .filter_map(|f| match &f.source {
                fontdb::Source::File(path) => Some(path.clone()),
                _ => None,
            })
            .collect();
        files.sort();
        files.dedup();
        files
    }
}

impl FontBook {
    /// A book with the bundled Vazirmatn weights (Regular, Medium, Bold, Black).
    pub fn with_bundled() -> FontBook {
        FontBook { faces: bundled_faces().to_vec() }
    }

    /// Read a font file (through `files`, the engine's cache) and add it to the book.
    pub(crate) fn load_file(&mut self, files: &FontFiles, path: &Path) -> Result<FaceId, FontError> {
        let face = files.load(path)?;
        Ok(self.add(face))
    }

    /// Add an already parsed face; returns its id (an existing id if the same
    /// face is already in the book).
    pub fn add(&mut self, face: Arc<FontFace>) -> FaceId {
        if let Some(i) = self.faces.iter().position(|f| Arc::ptr_eq(f, &face)) {
            return i;
        }
        self.faces.push(face);
        self.faces.len() - 1
    }

    /// The face with this id.
    pub fn face(&self, id: FaceId) -> &Arc<FontFace> {
        &self.faces[id]
    }

    /// All faces, indexed by [`FaceId`].
    #[allow(dead_code, reason = "part of the book's interface, though nothing lists every face yet")]
    pub fn faces(&self) -> &[Arc<FontFace>] {
        &self.faces
    }

    /// Family names in the book, sorted and deduplicated.
    pub fn families(&self) -> Vec<String> {
        let mut v: Vec<String> = self.faces.iter().map(|f| f.family.clone()).collect();
        v.sort();
        v.dedup();
        v
    }

    /// Whether a family of this name (case-insensitive) is in the book.
    pub fn has_family(&self, family: &str) -> bool {
        self.faces.iter().any(|f| f.family.eq_ignore_ascii_case(family))
    }

    /// The face of `family` at `weight`, as [`FontBook::resolve`] finds it,
    /// except that a variable font whose weight axis covers `weight` is set
    /// at that weight (an instance added to the book once) when the family
    /// has no face of exactly that weight. Faces a layout loaded go before
    /// the bundled ones of the same family.
    /// `axes` are other coordinates a style sets (`variations`); a `wght`
    /// among them wins over `weight`.
    pub fn resolve_varied(&mut self, family: &str, weight: u16, axes: &[([u8; 4], f32)]) -> Result<FaceId, FontError> {
        let found = self.resolve(family, weight)?;
        if axes.is_empty() && self.faces[found].weight == weight && self.faces[found].variations.is_empty() {
            return Ok(found);
        }
        let w = axes.iter().find(|(t, _)| t == b"wght").map_or(weight as f32, |(_, v)| *v);
        let Some(base) = self.family_faces(family).into_iter().find(|&i| {
            self.faces[i].variations.is_empty()
                && self.faces[i].weight_axis().is_some_and(|(lo, hi)| lo <= w && w <= hi)
        }) else {
            return Ok(found);
        };
        let mut coords = vec![(*b"wght", w)];
        coords.extend(axes.iter().filter(|(t, _)| t != b"wght").copied());
        let b = &self.faces[base];
        let coords = b.clamped(&coords);
        let same = |f: &FontFace| f.variations == coords && f.family == b.family && f.source == b.source;
        if let Some(i) = self.faces.iter().position(|f| same(f)) {
            return Ok(i);
        }
        let instance = b.instance(&coords)?;
        self.faces.push(Arc::new(instance));
        Ok(self.faces.len() - 1)
    }

    /// The faces of `family`: those a layout loaded, when there are any,
    /// else the bundled ones.
    fn family_faces(&self, family: &str) -> Vec<FaceId> {
        let all: Vec<FaceId> =
            (0..self.faces.len()).filter(|&i| self.faces[i].family.eq_ignore_ascii_case(family)).collect();
        let loaded: Vec<FaceId> =
            all.iter().copied().filter(|&i| !self.faces[i].source.starts_with("bundled:")).collect();
        if loaded.is_empty() { all } else { loaded }
    }

    /// The face of `family` closest to `weight` (CSS font matching: exact,
    /// then the nearest weight in the direction the CSS rules prefer).
    pub fn resolve(&self, family: &str, weight: u16) -> Result<FaceId, FontError> {
        let candidates = self.family_faces(family);
        if candidates.is_empty() {
            return Err(FontError::UnknownFamily { family: family.to_string(), available: self.families().join(", ") });
        }
        let score = |w: u16| -> (u8, u16) {
            let w = w as i32;
            let t = weight as i32;
            if w == t {
                (0, 0)
            } else if t > 500 {
                if w > t { (1, (w - t) as u16) } else { (2, (t - w) as u16) }
            } else if w < t {
                (1, (t - w) as u16)
            } else {
                (2, (w - t) as u16)
            }
        };
        Ok(*candidates.iter().min_by_key(|&&i| score(self.faces[i].weight)).expect("non-empty"))
    }

    /// The face to use for `c`: the preferred face if it covers `c`, else the
    /// first fallback that does, else the bundled family at the same weight.
    /// `None` when no face in the book has the character.
    pub fn face_for_char(&self, preferred: FaceId, fallbacks: &[FaceId], c: char) -> Option<FaceId> {
        if self.faces[preferred].covers(c) {
            return Some(preferred);
        }
        if let Some(&f) = fallbacks.iter().find(|&&f| self.faces[f].covers(c)) {
            return Some(f);
        }
        let weight = self.faces[preferred].weight;
        if let Ok(f) = self.resolve(DEFAULT_FAMILY, weight)
            && self.faces[f].covers(c)
        {
            return Some(f);
        }
        (0..self.faces.len()).find(|&f| self.faces[f].glyph(c).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_fall_back_to_the_bundled_colour_emoji_and_have_bitmaps() {
        let book = FontBook::with_bundled();
        let regular = book.resolve(DEFAULT_FAMILY, 400).unwrap();
        let face = book.face_for_char(regular, &[], '🎉').expect("a bundled face has 🎉");
        assert_eq!(book.face(face).family, EMOJI_FAMILY);
        let gid = book.face(face).glyph('🎉').unwrap();
        let bitmap = book.face(face).color_bitmap(gid).expect("a colour bitmap");
        assert!(bitmap.png.starts_with(b"\x89PNG") && bitmap.ppem > 100.0 && bitmap.width > 100.0);
        // Letters and digits stay with Vazirmatn; emoji the subset lacks are missing.
        assert_eq!(book.face_for_char(regular, &[], '۱'), Some(regular));
        assert_eq!(book.face_for_char(regular, &[], '🦄'), None);
    }

    #[test]
    fn bundled_weights_resolve() {
        let book = FontBook::with_bundled();
        assert_eq!(book.face(book.resolve("vazirmatn", 400).unwrap()).weight, 400);
        assert_eq!(book.face(book.resolve("Vazirmatn", 700).unwrap()).weight, 700);
        // 600 is not bundled: CSS picks the next heavier one.
        assert_eq!(book.face(book.resolve("Vazirmatn", 600).unwrap()).weight, 700);
        // 300 is not bundled: CSS picks the next lighter, then heavier.
        assert_eq!(book.face(book.resolve("Vazirmatn", 300).unwrap()).weight, 400);
    }

    #[test]
    fn unknown_family_lists_the_known_ones() {
        let book = FontBook::with_bundled();
        let err = book.resolve("Helvetica", 400).unwrap_err().to_string();
        assert!(err.contains("Helvetica") && err.contains("Vazirmatn"), "{err}");
    }

    #[test]
    fn zwnj_counts_as_covered() {
        let book = FontBook::with_bundled();
        assert!(book.face(0).covers('\u{200C}'));
        assert!(book.face(0).covers('ک'));
        assert!(!book.face(0).covers('\u{10FFFD}'));
    }
}

/// The letters `nashr fonts` checks a font for, by alphabet: the 32 letters
/// of the Persian alphabet, the letters Sorani Kurdish adds to it, and
/// Arabic letters Persian does not use.
pub const ALPHABETS: &[(&str, &str)] =
    &[("Persian", "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"), ("Sorani", "ڕڵێۆە"), ("Arabic", "يكةءأإؤئ")];

/// A font an engine can use, as `nashr fonts` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontInfo {
    /// The family name styles use.
    pub family: String,
    /// The weight, 100–900.
    pub weight: u16,
    /// Where it comes from: `bundled` or a file path.
    pub source: String,
    /// How much of each of [`ALPHABETS`] it has, in that order.
    pub coverage: Vec<Coverage>,
}

/// How many letters of an alphabet a font has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// The alphabet's name (`Persian`, `Sorani`, `Arabic`).
    pub alphabet: &'static str,
    /// Letters the font has.
    pub covered: usize,
    /// Letters in the alphabet.
    pub total: usize,
    /// The letters it lacks.
    pub missing: String,
}

impl Coverage {
    /// The share covered, in percent (rounded down).
    pub fn percent(&self) -> usize {
        (self.covered * 100).checked_div(self.total).unwrap_or(0)
    }
}

/// The coverage of [`ALPHABETS`] by a face, told by `has` (whether it has a glyph for a letter).
fn coverage(has: impl Fn(char) -> bool) -> Vec<Coverage> {
    ALPHABETS
        .iter()
        .map(|(alphabet, letters)| {
            let missing: String = letters.chars().filter(|&c| !has(c)).collect();
            let total = letters.chars().count();
            Coverage { alphabet, covered: total - missing.chars().count(), total, missing }
        })
        .collect()
}

/// The bundled faces, and the system's when `system` is given, with their coverage.
pub(crate) fn list(system: Option<&SystemFonts>) -> Vec<FontInfo> {
    let mut all: Vec<FontInfo> = bundled_faces()
        .iter()
        .map(|f| FontInfo {
            family: f.family.clone(),
            weight: f.weight,
            source: "bundled".into(),
            coverage: coverage(|c| f.covers(c)),
        })
        .collect();
    if let Some(system) = system {
        all.extend(system.list());
    }
    all
}

impl SystemFonts {
    /// Every face fontdb found, with its coverage (faces it cannot parse are left out).
    fn list(&self) -> Vec<FontInfo> {
        let mut all: Vec<FontInfo> = self
            .db
            .faces()
            .filter_map(|f| {
                let source = match &f.source {
                    fontdb::Source::File(path) => path.display().to_string(),
                    _ => return None,
                };
                let coverage = self.db.with_face_data(f.id, |data, index| {
                    ttf_parser::Face::parse(data, index).ok().map(|face| coverage(|c| face.glyph_index(c).is_some()))
                })??;
                let family = f.families.first().map(|(name, _)| name.clone())?;
                Some(FontInfo { family, weight: f.weight.0, source, coverage })
            })
            .collect();
        all.sort_by(|a, b| (&a.family, a.weight, &a.source).cmp(&(&b.family, b.weight, &b.source)));
        all
    }
}
