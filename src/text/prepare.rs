//! Preparing a paragraph: bidi levels (UAX #9), items of one span, face,
//! level and script (with per-character font fallback), and shaping each
//! item once with rustybuzz.
//!
//! A [`Prepared`] paragraph is shaped once and then broken into lines as
//! often as layout asks — at another width, from another offset (a
//! paragraph flowing on into the next frame) or at another scale (a frame
//! shrinking its text): shaped advances are in font units, so a new size
//! only scales them.

use super::MissingGlyph;
use super::breaking::opportunities::{BreakPoint, break_opportunities};
use super::context::Item;
use super::isolate;
use super::line::PieceCache;
use super::shape::{RunSpec, ShapedGlyph, Shaper};
use crate::fonts::{FaceId, FontBook, FontFace, is_default_ignorable};
use crate::model::{Direction, Paragraph};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use unicode_bidi::{BidiInfo, Level};
use unicode_script::{Script, UnicodeScript};

/// A paragraph shaped once, ready to be broken into lines (see
/// [`Prepared::lines`](super::Prepared::lines)).
#[derive(Clone)]
pub struct Prepared {
    pub(super) para: Paragraph,
    pub(super) text: String,
    /// The paragraph level its style asks for (`None`: from the first strong character).
    pub(super) default_level: Option<Level>,
    /// Web addresses, handles, phone numbers…: isolated left-to-right units.
    pub(super) units: Vec<isolate::Unit>,
    /// The bidi analysis of `text`, made once: every breaking of the
    /// paragraph (each width, offset and scale) reorders its lines by it.
    pub(super) bidi: BidiParts,
    pub(super) items: Vec<Item>,
    pub(super) glyphs: Vec<Vec<ShapedGlyph>>,
    pub(super) missing: Vec<MissingGlyph>,
    /// UAX #14 break opportunities, found once for breaking and for telling
    /// a forced cut inside a word.
    pub(super) opportunities: Vec<BreakPoint>,
    /// Line pieces shaped again where a line cuts an item, by item, range and kashidas.
    pub(super) pieces: PieceCache,
}

impl Prepared {
    /// Itemize and shape `para`.
    pub fn new(shaper: &mut Shaper, para: &Paragraph) -> Prepared {
        let text = para.text();
        let default_level = match para.style.direction {
            Direction::Rtl => Some(Level::rtl()),
            Direction::Ltr => Some(Level::ltr()),
            Direction::Auto if !has_strong_char(&text) && para.style.fallback_rtl => Some(Level::rtl()),
            Direction::Auto => None,
        };
        let units = isolate::units(&text);
        let isolates = isolates(para);
        let bidi = bidi_info(&text, default_level, &units, &isolates);
        let (items, missing) = itemize(shaper.book(), para, &text, &bidi.levels);
        let features = super::shape::parse_features(&para.style.features);
        let glyphs = shape_items(shaper, para, &text, &items, &features);
        let opportunities = opportunities(&text, &units, &para.nobreak_ranges());
        let bidi = BidiParts::of(bidi);
        Prepared {
            para: para.clone(),
            text,
            default_level,
            units,
            bidi,
            items,
            glyphs,
            missing,
            opportunities,
            pieces: PieceCache::default(),
        }
    }

    /// Shaping results depend on the text of each span, the faces the
    /// paragraph may use (the whole book: fallback may pick any face), the
    /// direction, the language and the OpenType features — not on sizes,
    /// colours or alignment.
    fn shaping_key(shaper: &Shaper, para: &Paragraph) -> ShapingKey {
        ShapingKey {
            language: shaper.language_tag(),
            direction: para.style.direction,
            fallback_rtl: para.style.fallback_rtl,
            features: para.style.features.clone(),
            size_adjust: para.style.fallback_size_adjust.key(),
            spans: para.spans.iter().map(|s| (s.text.clone(), s.face, s.fallbacks.clone(), s.inline.clone())).collect(),
            faces: shaper.book().faces().iter().map(|f| Arc::as_ptr(f) as usize).collect(),
        }
    }

    /// The paragraph's text (all spans).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// How many glyphs the paragraph shaped to.
    pub fn glyph_count(&self) -> usize {
        self.glyphs.iter().map(Vec::len).sum()
    }

    /// Characters no font in the book can show.
    pub fn missing(&self) -> &[MissingGlyph] {
        &self.missing
    }
}

/// Split the paragraph into items of one span, face, bidi level and script,
/// choosing a face per character (with fallback) and noting characters no
/// face can show.
pub(super) fn itemize(
    book: &FontBook,
    para: &Paragraph,
    text: &str,
    levels: &[Level],
) -> (Vec<Item>, Vec<MissingGlyph>) {
    let mut items: Vec<Item> = Vec::new();
    let mut missing = Vec::new();
    let mut span_start = 0;
    let scripts = resolve_scripts(text);
    let mut char_index = 0;
    for (si, span) in para.spans.iter().enumerate() {
        let mut prev_face: Option<FaceId> = None;
        for (off, c) in span.text.char_indices() {
            let pos = span_start + off;
            let inherits = is_default_ignorable(c) || is_mark(c) || c.is_control();
            let face = match prev_face {
                Some(f) if inherits => f,
                _ => match book.face_for_char(span.face, &span.fallbacks, c) {
                    Some(f) => f,
                    None => {
                        missing.push(MissingGlyph { ch: c, origin: para.origin.clone(), char_index });
                        span.face
                    }
                },
            };
            prev_face = Some(face);
            let level = levels[pos];
            let script = scripts[char_index];
            match items.last_mut() {
                Some(it) if it.span == si && it.face == face && it.level == level && it.script == script => {
                    it.range.end = pos + c.len_utf8();
                }
                _ => items.push(Item { range: pos..pos + c.len_utf8(), span: si, face, level, script, adjust: 1.0 }),
            }
            char_index += 1;
        }
        span_start += span.text.len();
    }
    for it in &mut items {
        let span = &para.spans[it.span];
        if it.face != span.face && has_x_height(it.script) {
            it.adjust = book.face(span.face).size_adjust(book.face(it.face), para.style.fallback_size_adjust);
        }
    }
    (items, missing)
}

/// Scripts whose lowercase letters have an x-height (what a fallback's
/// size is matched by).
fn has_x_height(script: Option<[u8; 4]>) -> bool {
    matches!(script.as_ref().map(|s| &s[..]), Some(b"Latn" | b"Grek" | b"Cyrl"))
}

/// Whether the text has a strong directional character (UAX #9 classes L, R, AL).
pub(super) fn has_strong_char(text: &str) -> bool {
    use unicode_bidi::BidiClass::{AL, L, R};
    text.chars().any(|c| matches!(unicode_bidi::bidi_class(c), L | R | AL))
}

fn is_mark(c: char) -> bool {
    matches!(unicode_script::Script::from(c), Script::Inherited)
        || ('\u{064B}'..='\u{065F}').contains(&c)
        || c == '\u{0670}'
}

/// Script per character, with Common and Inherited characters taking the
/// script of the run they sit in (the previous real script, else the next).
fn resolve_scripts(text: &str) -> Vec<Option<[u8; 4]>> {
    let raw: Vec<Script> = text.chars().map(|c| c.script()).collect();
    let real = |s: Script| !matches!(s, Script::Common | Script::Inherited | Script::Unknown);
    let mut out = vec![None; raw.len()];
    let mut last: Option<[u8; 4]> = None;
    for (i, s) in raw.iter().enumerate() {
        if real(*s) {
            last = Some(tag_of(*s));
        }
        out[i] = last;
    }
    // Leading neutrals take the first real script after them.
    if let Some(first) = raw.iter().position(|s| real(*s)) {
        let t = Some(tag_of(raw[first]));
        for o in out.iter_mut().take(first) {
            *o = t;
        }
    }
    out
}

fn tag_of(s: Script) -> [u8; 4] {
    let b = s.short_name().as_bytes();
    [b[0], b[1], b[2], b[3]]
}

fn shape_items(
    shaper: &mut Shaper,
    para: &Paragraph,
    text: &str,
    items: &[Item],
    features: &[rustybuzz::Feature],
) -> Vec<Vec<ShapedGlyph>> {
    items
        .iter()
        .map(|it| {
            shaper.shape(&RunSpec {
                text,
                range: it.range.clone(),
                face: it.face,
                rtl: it.level.is_rtl(),
                script: it.script,
                features,
                language: para.spans[it.span].inline.language.as_deref(),
            })
        })
        .collect()
}

/// A [`BidiInfo`] without the text it borrows, so that a [`Prepared`]
/// paragraph (which owns its text) can keep it.
#[derive(Clone)]
pub(super) struct BidiParts {
    classes: Vec<unicode_bidi::BidiClass>,
    levels: Vec<Level>,
    paragraphs: Vec<unicode_bidi::ParagraphInfo>,
}

impl BidiParts {
    fn of(info: BidiInfo) -> BidiParts {
        BidiParts { classes: info.original_classes, levels: info.levels, paragraphs: info.paragraphs }
    }

    /// The analysis again, for `text` (the text it was made from).
    pub(super) fn info<'t>(&self, text: &'t str) -> BidiInfo<'t> {
        BidiInfo {
            text,
            original_classes: self.classes.clone(),
            levels: self.levels.clone(),
            paragraphs: self.paragraphs.clone(),
        }
    }
}

/// The bidi levels of `text`, with its left-to-right units and its spans
/// with a direction of their own isolated.
pub(super) fn bidi_info<'t>(
    text: &'t str,
    default_level: Option<Level>,
    units: &[isolate::Unit],
    isolates: &[(std::ops::Range<usize>, bool)],
) -> BidiInfo<'t> {
    isolate::bidi_info(text, default_level, units, isolates)
}

/// The inline spans of `para` that set a direction: (byte range, right to left).
fn isolates(para: &Paragraph) -> Vec<(std::ops::Range<usize>, bool)> {
    para.groups().into_iter().filter_map(|(r, i)| i.rtl.map(|rtl| (r, rtl))).collect()
}

/// Where lines may end: UAX #14's opportunities, except inside units that
/// must stay whole and inside `nobreak` spans, plus the separators of long
/// addresses.
fn opportunities(text: &str, units: &[isolate::Unit], nobreak: &[std::ops::Range<usize>]) -> Vec<BreakPoint> {
    let inside = |pos: usize| nobreak.iter().any(|r| r.start < pos && pos < r.end);
    let mut all: Vec<BreakPoint> = break_opportunities(text)
        .into_iter()
        .filter(|b| isolate::may_break(text, units, b.pos) && (b.mandatory || !inside(b.pos)))
        .collect();
    let extra = isolate::extra_breaks(text, units);
    all.extend(extra.into_iter().filter(|&p| !inside(p)).map(|pos| BreakPoint { pos, mandatory: false }));
    all.sort_by_key(|b| (b.pos, !b.mandatory));
    all.dedup_by_key(|b| b.pos);
    all
}

/// What a paragraph's shaping depends on.
#[derive(Clone, PartialEq, Eq, Hash)]
struct ShapingKey {
    language: String,
    direction: Direction,
    fallback_rtl: bool,
    /// The OpenType features asked for.
    features: Vec<String>,
    /// How fallback faces are sized (part of the items).
    size_adjust: (u8, u32),
    /// Text, preferred face, fallback faces and inline settings of each span.
    spans: Vec<(String, FaceId, Vec<FaceId>, crate::model::Inline)>,
    /// The book's faces, by identity.
    faces: Vec<usize>,
}

/// Paragraphs already shaped, shared by every render of an engine: a batch
/// of personalised variants shapes the paragraphs they have in common once.
/// Bounded by count and by glyphs held; the oldest go first.
#[derive(Default)]
pub(crate) struct ParagraphCache {
    inner: Mutex<CacheInner>,
}

#[derive(Default)]
struct CacheInner {
    entries: HashMap<ShapingKey, Cached>,
    order: VecDeque<ShapingKey>,
    glyphs: usize,
}

struct Cached {
    prepared: Prepared,
    /// The faces the key names by address, kept alive so that no other face
    /// can take one of their addresses while the entry exists.
    _faces: Vec<Arc<FontFace>>,
    glyphs: usize,
}

/// The most paragraphs an engine keeps shaped.
const MAX_PARAGRAPHS: usize = 4096;
/// The most glyphs they may hold in all (about 64 MB).
const MAX_GLYPHS: usize = 1 << 20;

impl ParagraphCache {
    /// `para` prepared: from the cache when a paragraph with the same text,
    /// faces, direction and language was shaped before, else shaped now.
    pub(crate) fn prepare(&self, shaper: &mut Shaper, para: &Paragraph) -> Prepared {
        let key = Prepared::shaping_key(shaper, para);
        if let Some(hit) = self.get(&key) {
            let mut prepared = Prepared { para: para.clone(), ..hit };
            for m in &mut prepared.missing {
                m.origin.clone_from(&para.origin);
            }
            return prepared;
        }
        let prepared = Prepared::new(shaper, para);
        self.put(key, &prepared, shaper.book().faces().to_vec());
        prepared
    }

    fn get(&self, key: &ShapingKey) -> Option<Prepared> {
        let inner = self.inner.lock().ok()?;
        inner.entries.get(key).map(|c| c.prepared.clone())
    }

    fn put(&self, key: ShapingKey, prepared: &Prepared, faces: Vec<Arc<FontFace>>) {
        let glyphs: usize = prepared.glyphs.iter().map(Vec::len).sum::<usize>() + prepared.text.len();
        if glyphs > MAX_GLYPHS / 16 {
            return;
        }
        let Ok(mut inner) = self.inner.lock() else { return };
        if inner.entries.contains_key(&key) {
            return;
        }
        while inner.entries.len() >= MAX_PARAGRAPHS || inner.glyphs + glyphs > MAX_GLYPHS {
            let Some(old) = inner.order.pop_front() else { break };
            if let Some(c) = inner.entries.remove(&old) {
                inner.glyphs -= c.glyphs;
            }
        }
        inner.glyphs += glyphs;
        inner.order.push_back(key.clone());
        let cached = Prepared { pieces: PieceCache::default(), ..prepared.clone() };
        inner.entries.insert(key, Cached { prepared: cached, _faces: faces, glyphs });
    }

    /// How many paragraphs are held.
    pub(crate) fn len(&self) -> usize {
        self.inner.lock().map_or(0, |i| i.entries.len())
    }
}
