//! A paragraph's context after shaping: its text, bidi levels, items
//! (runs of one span, face, level and script), shaped glyphs and the scale
//! it is set at, plus prefix sums to measure any candidate line.
//!
//! This is the ground the other steps stand on: breaking, line building
//! and justification all read it, and it imports none of them, so they
//! never depend on each other in a circle.

use super::breaking::opportunities::trim_trailing_space;
use super::shape::ShapedGlyph;
use crate::fonts::{FaceId, FontBook};
use crate::model::Paragraph;
use std::ops::Range;
use unicode_bidi::{BidiInfo, Level};

/// A maximal piece of the paragraph with one span, face, level and script.
#[derive(Debug, Clone)]
pub(super) struct Item {
    pub(super) range: Range<usize>,
    pub(super) span: usize,
    pub(super) face: FaceId,
    pub(super) level: Level,
    pub(super) script: Option<[u8; 4]>,
    /// Size factor of a fallback face matched to the span's own
    /// (`fallback_size_adjust`); 1 for the span's face.
    pub(super) adjust: f32,
}

/// Everything known about a paragraph after shaping, at one scale: the
/// ground the steps that break, build and justify its lines stand on.
pub(super) struct ParaCtx<'a> {
    pub(super) book: &'a FontBook,
    pub(super) para: &'a Paragraph,
    pub(super) text: &'a str,
    pub(super) bidi: BidiInfo<'a>,
    pub(super) items: &'a [Item],
    /// Shaped glyphs of each item, in font units and logical order.
    pub(super) glyphs: &'a [Vec<ShapedGlyph>],
    /// Multiplier on every span's font size (a frame shrinking its text).
    pub(super) scale: f32,
}

impl ParaCtx<'_> {
    /// Font size of span `span` at this scale.
    pub(super) fn size(&self, span: usize) -> f32 {
        self.para.spans[span].size * self.scale
    }

    /// Font size of an item at this scale: its span's, times its fallback adjustment.
    pub(super) fn item_size(&self, it: &Item) -> f32 {
        self.size(it.span) * it.adjust
    }

    /// The primary face and size of the paragraph (its first span).
    pub(super) fn primary(&self) -> (&crate::fonts::FontFace, f32) {
        let span = &self.para.spans[0];
        (self.book.face(span.face), span.size * self.scale)
    }

    /// Width of a hyphen in the primary face.
    pub(super) fn hyphen_width(&self) -> f32 {
        let (face, size) = self.primary();
        face.glyph('-').map_or(0.0, |g| face.advance(g) * size / face.upem)
    }

    /// Natural width of the tatweel in the primary face, if it has one.
    pub(super) fn tatweel_width(&self) -> Option<f32> {
        let (face, size) = self.primary();
        face.glyph('\u{0640}').map(|g| face.advance(g) * size / face.upem)
    }
}

/// Prefix sums over the paragraph's glyphs in logical order, to measure any
/// candidate line in O(log n).
pub(super) struct Measure {
    pub(super) clusters: Vec<usize>,
    width: Vec<f32>,
    space: Vec<f32>,
    spaces: Vec<u32>,
    /// Letters of Latin-script text that may be spaced apart, times their
    /// font size (what letter spacing in ems scales by).
    tracking: Vec<f32>,
}

impl Measure {
    pub(super) fn new(ctx: &ParaCtx) -> Measure {
        let n: usize = ctx.glyphs.iter().map(Vec::len).sum();
        let starting = |v| {
            let mut out = Vec::with_capacity(n + 1);
            out.push(v);
            out
        };
        let mut m = Measure {
            clusters: Vec::with_capacity(n),
            width: starting(0.0),
            space: starting(0.0),
            spaces: Vec::with_capacity(n + 1),
            tracking: starting(0.0),
        };
        m.spaces.push(0);
        for (k, g) in ctx.glyphs.iter().enumerate() {
            let it = &ctx.items[k];
            let scale = ctx.item_size(it) / ctx.book.face(it.face).upem;
            let latin = it.script == Some(*b"Latn") && !it.level.is_rtl();
            for sg in g {
                let adv = sg.x_advance as f32 * scale;
                let is_space = matches!(ctx.text[sg.cluster..].chars().next(), Some(' ' | '\u{00A0}'));
                m.clusters.push(sg.cluster);
                m.width.push(m.width.last().copied().unwrap_or(0.0) + adv);
                m.space.push(m.space.last().copied().unwrap_or(0.0) + if is_space { adv } else { 0.0 });
                m.spaces.push(m.spaces.last().copied().unwrap_or(0) + is_space as u32);
                let track = if latin && !is_space && sg.x_advance > 0 { ctx.item_size(it) } else { 0.0 };
                m.tracking.push(m.tracking.last().copied().unwrap_or(0.0) + track);
            }
        }
        m
    }

    fn at(&self, pos: usize) -> usize {
        self.clusters.partition_point(|c| *c < pos)
    }

    /// (natural width, natural width of the spaces, number of spaces) of
    /// `a..b` without its trailing white space.
    pub(super) fn line(&self, text: &str, a: usize, b: usize) -> (f32, f32, u32) {
        let r = trim_trailing_space(text, a..b);
        let (i, j) = (self.at(r.start), self.at(r.end));
        (self.width[j] - self.width[i], self.space[j] - self.space[i], self.spaces[j] - self.spaces[i])
    }

    /// The Latin letters of `a..b` that may be spaced apart, times their
    /// font size: letter spacing of `f` em gives `f` times this.
    pub(super) fn tracking(&self, text: &str, a: usize, b: usize) -> f32 {
        let r = trim_trailing_space(text, a..b);
        self.tracking[self.at(r.end)] - self.tracking[self.at(r.start)]
    }
}
