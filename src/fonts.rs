//! Fonts: loading, naming and choosing faces.
//!
//! Owns the [`FontBook`], the set of faces a render may use: the bundled
//! Vazirmatn weights (compiled into the binary) plus any font files a layout
//! names. Each face is parsed once and shared (`Arc`), so a batch of many
//! renders pays for font loading once. This module knows nothing of layouts,
//! bidi or PDF; it answers "which face is family F at weight W" and "which
//! face has a glyph for this character".

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// The family name of the bundled default font.
pub const DEFAULT_FAMILY: &str = "Vazirmatn";

const BUNDLED: [&[u8]; 4] = [
    include_bytes!("../fonts/Vazirmatn-Regular.ttf"),
    include_bytes!("../fonts/Vazirmatn-Medium.ttf"),
    include_bytes!("../fonts/Vazirmatn-Bold.ttf"),
    include_bytes!("../fonts/Vazirmatn-Black.ttf"),
];

/// Index of a face inside its [`FontBook`].
pub type FaceId = usize;

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
    /// The raw font file.
    pub data: &'static [u8],
    /// The rustybuzz face (derefs to `ttf_parser::Face`).
    pub face: rustybuzz::Face<'static>,
    /// Units per em.
    pub upem: f32,
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

/// Vertical metrics of a face, in font units.
#[derive(Debug, Clone, Copy)]
pub struct VMetrics {
    pub ascender: f32,
    pub descender: f32,
    pub line_gap: f32,
}

impl FontFace {
    /// Parse a face from font data that lives for the whole process.
    pub fn parse(data: &'static [u8], source: &str) -> Result<FontFace, FontError> {
        let face =
            rustybuzz::Face::from_slice(data, 0).ok_or_else(|| FontError::Parse { source_name: source.to_string() })?;
        let family = family_name(&face).unwrap_or_else(|| "Unnamed".to_string());
        let postscript_name = face
            .names()
            .into_iter()
            .find(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .and_then(|n| n.to_string())
            .unwrap_or_else(|| family.replace(' ', ""));
        let weight = face.weight().to_number();
        let upem = face.units_per_em() as f32;
        Ok(FontFace { family, postscript_name, weight, source: source.to_string(), data, face, upem })
    }

    /// The glyph for a character, if the face has one.
    pub fn glyph(&self, c: char) -> Option<u16> {
        self.face.glyph_index(c).map(|g| g.0)
    }

    /// Whether the face can show `c` (default-ignorable characters always can).
    pub fn covers(&self, c: char) -> bool {
        is_default_ignorable(c) || c.is_control() || self.glyph(c).is_some()
    }

    /// Horizontal advance of a glyph in font units.
    pub fn advance(&self, gid: u16) -> f32 {
        self.face.glyph_hor_advance(ttf_parser::GlyphId(gid)).unwrap_or(0) as f32
    }

    /// Ascender, descender and line gap, preferring the OS/2 typographic values.
    pub fn vmetrics(&self) -> VMetrics {
        let f = &self.face;
        let (asc, desc, gap) = match f.tables().os2 {
            Some(os2) if os2.use_typographic_metrics() => {
                (os2.typographic_ascender(), os2.typographic_descender(), os2.typographic_line_gap())
            }
            _ => (f.ascender(), f.descender(), f.line_gap()),
        };
        VMetrics { ascender: asc as f32, descender: desc as f32, line_gap: gap as f32 }
    }
}

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
    #[error("cannot read font file {path}: {err}")]
    Read { path: PathBuf, err: std::io::Error },
    #[error("{source_name} is not a font nashr can read (TrueType or OpenType expected)")]
    Parse { source_name: String },
    #[error("unknown font family \"{family}\"; families available: {available}")]
    UnknownFamily { family: String, available: String },
}

/// The faces available to a render, grouped by family.
///
/// ```
/// let book = nashr::FontBook::with_bundled();
/// let face = book.resolve("Vazirmatn", 700).unwrap();
/// assert_eq!(book.face(face).weight, 700);
/// ```
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
                let face = FontFace::parse(data, &format!("bundled:Vazirmatn#{i}")).expect("bundled fonts are valid");
                Arc::new(face)
            })
            .collect()
    })
}

/// Font files read from disk, kept for the life of the process so that each
/// file is read and parsed once however many layouts name it.
fn file_cache() -> &'static Mutex<HashMap<PathBuf, Arc<FontFace>>> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Arc<FontFace>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

impl FontBook {
    /// A book with the bundled Vazirmatn weights (Regular, Medium, Bold, Black).
    pub fn with_bundled() -> FontBook {
        FontBook { faces: bundled_faces().to_vec() }
    }

    /// Load a font file (cached per process) and add it to the book.
    pub fn load_file(&mut self, path: &Path) -> Result<FaceId, FontError> {
        let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        let cached = file_cache().lock().map(|c| c.get(&key).cloned()).unwrap_or(None);
        let face = match cached {
            Some(face) => face,
            None => {
                let bytes = std::fs::read(path).map_err(|err| FontError::Read { path: path.to_path_buf(), err })?;
                let data: &'static [u8] = Box::leak(bytes.into_boxed_slice());
                let face = Arc::new(FontFace::parse(data, &path.display().to_string())?);
                if let Ok(mut cache) = file_cache().lock() {
                    cache.insert(key, face.clone());
                }
                face
            }
        };
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

    /// The face of `family` closest to `weight` (CSS font matching: exact,
    /// then the nearest weight in the direction the CSS rules prefer).
    pub fn resolve(&self, family: &str, weight: u16) -> Result<FaceId, FontError> {
        let candidates: Vec<FaceId> =
            (0..self.faces.len()).filter(|&i| self.faces[i].family.eq_ignore_ascii_case(family)).collect();
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
