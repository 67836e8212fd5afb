//! Shaping one run of text with rustybuzz.
//!
//! A run has one face, one direction and one script. The [`Shaper`] keeps a
//! shape plan per (face, direction, script, language) so that shaping many
//! small runs does not rebuild the plan each time. Glyphs come back in
//! *logical* order with clusters as byte offsets into the paragraph text.

use crate::fonts::{FaceId, FontBook};
use rustybuzz::{Direction, Feature, Language, ShapePlan, UnicodeBuffer};
use std::collections::HashMap;
use std::ops::Range;
use std::str::FromStr;

/// A glyph as the shaper produced it, in font units, logical order.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapedGlyph {
    pub id: u16,
    /// Byte offset in the paragraph text of the cluster's first character.
    pub cluster: usize,
    pub x_advance: i32,
    pub y_advance: i32,
    pub x_offset: i32,
    pub y_offset: i32,
    /// Breaking the line right before this glyph would change shaping.
    pub unsafe_to_break: bool,
    /// A tatweel inserted for justification (not part of the text).
    pub inserted: bool,
}

/// What a shape plan depends on: face, direction, script, language and features.
type PlanKey = (FaceId, bool, [u8; 4], String, Vec<(u32, u32, u32, u32)>);

/// Shapes runs, caching shape plans.
pub struct Shaper<'b> {
    book: &'b FontBook,
    plans: HashMap<PlanKey, ShapePlan>,
    language: Option<Language>,
    /// How many runs were shaped (a measure of work, for tests).
    shaped: usize,
}

/// What to shape: a byte range of a paragraph with its surroundings as context.
pub struct RunSpec<'t> {
    pub text: &'t str,
    pub range: Range<usize>,
    pub face: FaceId,
    pub rtl: bool,
    /// ISO 15924 tag, e.g. `*b"Arab"`; `None` lets the shaper guess.
    pub script: Option<[u8; 4]>,
    /// OpenType features to turn on or off (a style's `features`).
    pub features: &'t [Feature],
    /// The language to shape with (an inline span's `lang`), when not the shaper's.
    pub language: Option<&'t str>,
}

/// Parse features as HarfBuzz writes them (`"ss01"`, `"-liga"`,
/// `"salt=2"`), leaving out any it cannot read (the model checked them).
pub fn parse_features(list: &[String]) -> Vec<Feature> {
    list.iter().filter_map(|f| crate::base::opentype_feature(f)).collect()
}

/// A key for a list of features: tag, value and range of each.
fn features_key(features: &[Feature]) -> Vec<(u32, u32, u32, u32)> {
    features.iter().map(|f| (f.tag.as_u32(), f.value, f.start, f.end)).collect()
}

impl<'b> Shaper<'b> {
    /// A shaper over the faces of `book`; `language` is a BCP 47 tag or empty.
    pub fn new(book: &'b FontBook, language: &str) -> Self {
        Shaper {
            book,
            plans: HashMap::new(),
            language: if language.is_empty() { None } else { Language::from_str(language).ok() },
            shaped: 0,
        }
    }

    /// How many runs this shaper has shaped (not counting words shaped
    /// again with kashida inserted).
    pub fn runs_shaped(&self) -> usize {
        self.shaped
    }

    /// The language shaped for, as a BCP 47 tag (empty when none).
    pub fn language_tag(&self) -> String {
        self.language.as_ref().map_or(String::new(), |l| l.as_str().to_string())
    }

    /// The font book this shaper draws faces from.
    pub fn book(&self) -> &'b FontBook {
        self.book
    }

    /// Shape `spec.range` of `spec.text`; the text around the range is passed
    /// as context so joining across run boundaries stays right.
    pub fn shape(&mut self, spec: &RunSpec) -> Vec<ShapedGlyph> {
        self.shaped += 1;
        self.shape_run(spec)
    }

    fn shape_run(&mut self, spec: &RunSpec) -> Vec<ShapedGlyph> {
        let face = self.book.face(spec.face).face();
        let slice = &spec.text[spec.range.clone()];
        let mut buf = UnicodeBuffer::new();
        buf.push_str(slice);
        buf.set_pre_context(context_before(spec.text, spec.range.start));
        buf.set_post_context(context_after(spec.text, spec.range.end));
        let direction = if spec.rtl { Direction::RightToLeft } else { Direction::LeftToRight };
        buf.set_direction(direction);
        let script =
            spec.script.and_then(|t| rustybuzz::Script::from_iso15924_tag(rustybuzz::ttf_parser::Tag::from_bytes(&t)));
        if let Some(s) = script {
            buf.set_script(s);
        }
        let language = match spec.language {
            Some(tag) => Language::from_str(tag).ok(),
            None => self.language.clone(),
        };
        if let Some(l) = &language {
            buf.set_language(l.clone());
        }
        buf.guess_segment_properties();
        let script_tag = buf_script_tag(&buf);
        let language_tag = language.as_ref().map_or(String::new(), |l| l.as_str().to_string());
        let key = (spec.face, spec.rtl, script_tag, language_tag, features_key(spec.features));
        let plan = self.plans.entry(key).or_insert_with(|| {
            let s = rustybuzz::Script::from_iso15924_tag(rustybuzz::ttf_parser::Tag::from_bytes(&script_tag));
            ShapePlan::new(face, direction, s, language.as_ref(), spec.features)
        });
        let out = rustybuzz::shape_with_plan(face, plan, buf);
        let infos = out.glyph_infos();
        let positions = out.glyph_positions();
        let mut glyphs: Vec<ShapedGlyph> = infos
            .iter()
            .zip(positions)
            .map(|(i, p)| ShapedGlyph {
                id: i.glyph_id as u16,
                cluster: spec.range.start + i.cluster as usize,
                x_advance: p.x_advance,
                y_advance: p.y_advance,
                x_offset: p.x_offset,
                y_offset: p.y_offset,
                unsafe_to_break: i.unsafe_to_break(),
                inserted: false,
            })
            .collect();
        if spec.rtl {
            glyphs.reverse();
        }
        glyphs
    }
}

impl Shaper<'_> {
    /// Shape `spec` with a tatweel (U+0640) inserted into the logical text
    /// before each byte offset in `at` (sorted, inside the range). The
    /// inserted glyphs are flagged and carry the offset as their cluster;
    /// every other cluster is an offset into the original text.
    pub fn shape_with_tatweels(&mut self, spec: &RunSpec, at: &[usize]) -> Vec<ShapedGlyph> {
        if at.is_empty() {
            return self.shape(spec);
        }
        const T: &str = "\u{0640}";
        let pre = context_before(spec.text, spec.range.start);
        let post = context_after(spec.text, spec.range.end);
        let mut tmp = String::with_capacity(pre.len() + spec.range.len() + T.len() * at.len() + post.len());
        tmp.push_str(pre);
        let mut last = spec.range.start;
        let mut inserted_at = Vec::with_capacity(at.len()); // offsets in `tmp`
        for &off in at {
            tmp.push_str(&spec.text[last..off]);
            inserted_at.push(tmp.len());
            tmp.push_str(T);
            last = off;
        }
        tmp.push_str(&spec.text[last..spec.range.end]);
        let body = pre.len()..tmp.len();
        tmp.push_str(post);
        let mut glyphs = self.shape_run(&RunSpec { text: &tmp, range: body, ..*spec });
        for g in &mut glyphs {
            if let Some(k) = inserted_at.iter().position(|&p| p == g.cluster) {
                g.inserted = true;
                g.cluster = at[k];
            } else {
                let before = inserted_at.iter().filter(|&&p| p < g.cluster).count();
                g.cluster = g.cluster - pre.len() - before * T.len() + spec.range.start;
            }
        }
        glyphs
    }
}

fn buf_script_tag(buf: &UnicodeBuffer) -> [u8; 4] {
    let tag = buf.script().tag().to_bytes();
    [tag[0], tag[1], tag[2], tag[3]]
}

/// Up to five characters before `at`, the context HarfBuzz looks at.
fn context_before(text: &str, at: usize) -> &str {
    let start = text[..at].char_indices().rev().nth(4).map_or(0, |(i, _)| i);
    &text[start..at]
}

/// Up to five characters after `at`.
fn context_after(text: &str, at: usize) -> &str {
    let end = text[at..].char_indices().nth(5).map_or(text.len(), |(i, _)| at + i);
    &text[at..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyphs_come_back_in_logical_order() {
        let book = FontBook::with_bundled();
        let mut s = Shaper::new(&book, "");
        let text = "سلام";
        let g = s.shape(&RunSpec {
            text,
            range: 0..text.len(),
            face: 0,
            rtl: true,
            script: Some(*b"Arab"),
            features: &[],
            language: None,
        });
        assert!(g.windows(2).all(|w| w[0].cluster <= w[1].cluster), "{g:?}");
        assert_eq!(g[0].cluster, 0);
    }

    #[test]
    fn context_keeps_the_join_across_a_run_boundary() {
        // «کتاب» split after «کت» (as a bold span would split it): the «ت»
        // must still take a joining form, not the final form it has alone.
        let book = FontBook::with_bundled();
        let mut s = Shaper::new(&book, "");
        let text = "کتاب";
        let cut = "کت".len();
        let whole = s.shape(&RunSpec {
            text,
            range: 0..text.len(),
            face: 0,
            rtl: true,
            script: None,
            features: &[],
            language: None,
        });
        let first =
            s.shape(&RunSpec { text, range: 0..cut, face: 0, rtl: true, script: None, features: &[], language: None });
        let alone = s.shape(&RunSpec {
            text: "کت",
            range: 0..cut,
            face: 0,
            rtl: true,
            script: None,
            features: &[],
            language: None,
        });
        let second = s.shape(&RunSpec {
            text,
            range: cut..text.len(),
            face: 0,
            rtl: true,
            script: None,
            features: &[],
            language: None,
        });
        assert_eq!(first[0].id, whole[0].id, "initial kaf");
        assert_ne!(first[1].id, alone[1].id, "teh joins to the alef after the cut");
        assert_eq!(
            second.iter().map(|g| g.id).collect::<Vec<_>>(),
            whole[2..].iter().map(|g| g.id).collect::<Vec<_>>()
        );
    }
}
