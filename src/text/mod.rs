//! The text engine: one paragraph in, positioned lines out.
//!
//! Per paragraph, one file per decision:
//!
//! - [`prepare`](Prepared): bidi levels (UAX #9) → items of one span, face,
//!   level and script → shaping (rustybuzz, [`shape`]), once per paragraph;
//! - `context`: the shaped paragraph at one scale, which the steps below read;
//! - `breaking`: line breaking in logical order (UAX #14 opportunities,
//!   total fit, balance, hyphenation points);
//! - `line`: each line shaped where it cuts an item, reordered on its own
//!   (UAX #9 L1–L2), its hyphen and alignment;
//! - [`justify`] and [`kashida`]: stretching lines with kashida and spaces.
//!
//! It knows nothing of pages, frames, TOML or PDF; it gets a [`Paragraph`]
//! and a width and returns [`Line`]s whose glyphs are in visual order, left
//! to right, each carrying the source text of its cluster.

pub mod breaking;
mod context;
pub mod hb;
mod isolate;
pub mod justify;
pub mod kashida;
mod line;
mod prepare;
pub mod shape;

use crate::fonts::FaceId;
use crate::model::{Align, Paragraph, Rgb};
pub(crate) use prepare::ParagraphCache;
pub use prepare::Prepared;
use serde::Serialize;
use shape::Shaper;
use std::ops::Range;

/// A glyph on a line, in points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineGlyph {
    pub id: u16,
    /// Pen position from the line's left edge.
    pub x: f32,
    /// Offset from the pen position (marks, kerning), y up.
    pub dx: f32,
    pub dy: f32,
    pub advance: f32,
    /// The source text of this glyph's cluster, on the first glyph of the
    /// cluster in logical order; empty on the others.
    pub text: String,
    /// Byte offset of the cluster in the paragraph text.
    pub cluster: usize,
    /// A tatweel inserted for justification: drawn, but not text.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub kashida: bool,
}

/// Glyphs of one face, size and colour on a line, in visual order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineRun {
    pub face: FaceId,
    pub size: f32,
    pub color: Rgb,
    /// The run's resolved bidi level is odd (right to left).
    pub rtl: bool,
    /// The address the run's text links to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Underlined, struck through, slanted (inline spans).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub underline: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub strike: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub oblique: bool,
    pub glyphs: Vec<LineGlyph>,
}

/// One laid-out line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    /// Runs in visual order, left to right.
    pub runs: Vec<LineRun>,
    /// Width after justification.
    pub width: f32,
    /// Width before justification.
    pub natural_width: f32,
    /// Offset of the line's left edge inside the available width.
    pub x: f32,
    /// Largest ascent and descent of the faces on the line (points, descent positive).
    pub ascent: f32,
    pub descent: f32,
    /// Byte range of the paragraph text on this line.
    pub range: Range<usize>,
    /// The paragraph is right to left.
    pub rtl: bool,
    /// The line had to end inside a word that is wider than the measure
    /// (no break opportunity or hyphenation point fitted).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub forced: bool,
}

/// A character that no available font can show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissingGlyph {
    /// The character.
    pub ch: char,
    /// Where it is: the paragraph's origin and the character offset.
    pub origin: String,
    /// 0-based index of the character in its paragraph's text.
    pub char_index: usize,
}

/// A laid-out paragraph.
#[derive(Debug, Clone, Serialize)]
pub struct LaidParagraph {
    pub lines: Vec<Line>,
    pub missing: Vec<MissingGlyph>,
}

/// Lay out `para` in lines no wider than `width` points.
pub fn layout_paragraph(shaper: &mut Shaper, para: &Paragraph, width: f32) -> LaidParagraph {
    let mut prepared = Prepared::new(shaper, para);
    let lines = prepared.lines(shaper, 0, width, 1.0);
    LaidParagraph { lines, missing: prepared.missing }
}

impl Prepared {
    /// Break the paragraph from byte `from` of its text on (0 for all of
    /// it; a paragraph continued in another frame starts later) into lines
    /// no wider than `width` points, with every font size multiplied by
    /// `scale`. Line ranges are offsets into the whole paragraph's text.
    pub fn lines(&mut self, shaper: &mut Shaper, from: usize, width: f32, scale: f32) -> Vec<Line> {
        self.broken(shaper, from, width, scale, Build::Whole)
    }

    /// The lines [`Prepared::lines`] breaks the paragraph into, with only
    /// what placing them in a frame reads: range, ascent and descent, one
    /// empty run per item on the line (for its size), whether the break
    /// was forced. No glyph is positioned and nothing is justified — what a
    /// frame asks of each size it tries while shrinking its text.
    pub fn line_heights(&mut self, shaper: &mut Shaper, from: usize, width: f32, scale: f32) -> Vec<Line> {
        self.broken(shaper, from, width, scale, Build::Heights)
    }

    fn broken(&mut self, shaper: &mut Shaper, from: usize, width: f32, scale: f32, build: Build) -> Vec<Line> {
        let text = self.text.as_str();
        let from = from.min(text.len());
        if from >= text.len() {
            return Vec::new();
        }
        let ctx = context::ParaCtx {
            book: shaper.book(),
            para: &self.para,
            text,
            bidi: self.bidi.info(text),
            items: &self.items,
            glyphs: &self.glyphs,
            scale,
        };
        let indent = if from == 0 { first_line_indent(&self.para, width, scale) } else { 0.0 };
        if indent != 0.0 {
            return lines_indented(shaper, &ctx, &mut self.pieces, &self.opportunities, from, width, indent, build);
        }
        let opportunities: Vec<_> = self.opportunities.iter().copied().filter(|b| b.pos > from).collect();
        let ends: Vec<usize> = opportunities.iter().map(|b| b.pos).collect();
        let (ranges, hyphens) = breaking::choose_breaks(&ctx, from..text.len(), width, &opportunities, &ends);
        build_lines(shaper, &ctx, &mut self.pieces, ranges, &hyphens, &ends, width, build)
    }

    /// The width of the whole paragraph set on one line at `scale`, before
    /// any justification (its trailing white space left out): what a verse
    /// measures its hemistichs by.
    pub fn natural_width(&self, book: &crate::fonts::FontBook, scale: f32) -> f32 {
        let end = self.text.trim_end().len();
        self.items
            .iter()
            .zip(&self.glyphs)
            .map(|(it, glyphs)| {
                let face = book.face(it.face);
                let size = self.para.spans[it.span].size * scale * it.adjust;
                let units: i32 = glyphs.iter().filter(|g| g.cluster < end).map(|g| g.x_advance).sum();
                units as f32 * size / face.upem
            })
            .sum()
    }
}

impl Prepared {
    /// The narrowest and the widest the paragraph can be set at `scale`
    /// without cutting a word: its widest unbreakable piece (white space at
    /// its end left out), and its widest line when only forced breaks
    /// (`\n`) end lines — what a table's `auto` column is measured by.
    pub fn widths(&self, book: &crate::fonts::FontBook, scale: f32) -> (f32, f32) {
        let mut advances: Vec<(usize, f32)> = Vec::new();
        for (it, glyphs) in self.items.iter().zip(&self.glyphs) {
            let face = book.face(it.face);
            let size = self.para.spans[it.span].size * scale;
            advances.extend(glyphs.iter().map(|g| (g.cluster, g.x_advance as f32 * size / face.upem)));
        }
        advances.sort_by_key(|a| a.0);
        let mut sums = Vec::with_capacity(advances.len() + 1);
        sums.push(0.0f32);
        for (_, w) in &advances {
            sums.push(sums.last().copied().unwrap_or(0.0) + w);
        }
        // The width of the clusters that start in `range`.
        let width = |range: Range<usize>| {
            let a = advances.partition_point(|g| g.0 < range.start);
            let b = advances.partition_point(|g| g.0 < range.end);
            sums[b] - sums[a]
        };
        let (mut narrowest, mut widest, mut line, mut start) = (0.0f32, 0.0f32, 0.0f32, 0);
        for bp in &self.opportunities {
            let piece = start..bp.pos.min(self.text.len());
            let trimmed = breaking::opportunities::trim_trailing_space(&self.text, piece.clone());
            let inked = width(trimmed);
            narrowest = narrowest.max(inked);
            widest = widest.max(line + inked);
            line += width(piece);
            if bp.mandatory {
                line = 0.0;
            }
            start = bp.pos;
        }
        (narrowest, widest)
    }
}

/// Lines of a paragraph whose first line is `indent` narrower (on the
/// start side): the first line is broken at the narrower measure, the
/// rest from where it ended at the full one.
#[allow(clippy::too_many_arguments)]
fn lines_indented(
    shaper: &mut Shaper,
    ctx: &context::ParaCtx,
    pieces: &mut line::PieceCache,
    opportunities: &[breaking::opportunities::BreakPoint],
    from: usize,
    width: f32,
    indent: f32,
    build: Build,
) -> Vec<Line> {
    let text = ctx.text;
    let opportunities: Vec<_> = opportunities.iter().copied().filter(|b| b.pos > from).collect();
    let ends: Vec<usize> = opportunities.iter().map(|b| b.pos).collect();
    let narrow = (width - indent).max(1.0);
    let (ranges, hyphens) = breaking::choose_breaks(ctx, from..text.len(), narrow, &opportunities, &ends);
    let Some(first) = ranges.into_iter().next() else { return Vec::new() };
    let mut lines = build_lines(shaper, ctx, pieces, vec![first.clone()], &hyphens, &ends, narrow, build);
    lines.iter_mut().for_each(|l| indent_line(l, indent));
    if first.end >= text.len() {
        return lines;
    }
    let rest: Vec<_> = opportunities.iter().copied().filter(|b| b.pos > first.end).collect();
    let rest_ends: Vec<usize> = rest.iter().map(|b| b.pos).collect();
    let (ranges, hyphens) = breaking::choose_breaks(ctx, first.end..text.len(), width, &rest, &rest_ends);
    lines.extend(build_lines(shaper, ctx, pieces, ranges, &hyphens, &rest_ends, width, build));
    lines
}

/// The first-line indent of `para` at `scale`, kept within the measure.
fn first_line_indent(para: &Paragraph, width: f32, scale: f32) -> f32 {
    let indent = para.style.first_line_indent * scale;
    if indent.is_finite() { indent.max(-width).min(width - 1.0) } else { 0.0 }
}

/// Move a first line laid out in a measure `indent` narrower to its place
/// in the full measure: an indent is on the start side, so a left-to-right
/// line moves right by it and a right-to-left one stays.
fn indent_line(line: &mut Line, indent: f32) {
    if !line.rtl {
        line.x += indent;
    }
}

/// How much of a line to build: all of it, or what its height needs.
#[derive(Clone, Copy, PartialEq)]
enum Build {
    Whole,
    Heights,
}

/// Build, justify and align the chosen lines (or, for `Build::Heights`,
/// only what their heights need).
#[allow(clippy::too_many_arguments)]
fn build_lines(
    shaper: &mut Shaper,
    ctx: &context::ParaCtx,
    cache: &mut line::PieceCache,
    ranges: Vec<Range<usize>>,
    hyphens: &[usize],
    ends: &[usize],
    width: f32,
    build: Build,
) -> Vec<Line> {
    let style = &ctx.para.style;
    let n = ranges.len();
    let mut lines = Vec::with_capacity(n);
    let forced = |end: usize| ends.binary_search(&end).is_err() && hyphens.binary_search(&end).is_err();
    if build == Build::Heights {
        return ranges.into_iter().map(|range| line::line_height_only(ctx, range.clone(), forced(range.end))).collect();
    }
    for range in ranges {
        let ends_paragraph = range.end >= ctx.text.len() || ctx.text[range.clone()].ends_with('\n');
        let justify = style.align == Align::Justify && (!ends_paragraph || style.justify_last);
        let mut line = line::build_line(shaper, ctx, cache, range.clone(), &[]);
        if justify {
            let kashidas = justify::kashida_insertions(ctx, &line, width);
            if !kashidas.is_empty() {
                line = line::build_line(shaper, ctx, cache, range.clone(), &kashidas);
            }
        }
        if hyphens.binary_search(&range.end).is_ok() {
            line::add_hyphen(ctx, &mut line);
        }
        // A justified paragraph's last line is set at its natural width, but
        // the breaker may have counted on its spaces shrinking (within their
        // limits) to make it fit: shrink them, so no line passes the measure.
        if justify || (style.align == Align::Justify && line.width > width) {
            if style.hyphenate.is_some() {
                justify::justify_latin(&mut line, width);
            } else {
                justify::justify_spaces(&mut line, width);
            }
        }
        line.forced = forced(range.end);
        line.range = range;
        // Only a line of one unbreakable cluster may be wider: layout reports it.
        debug_assert!(
            line.forced || line.width <= width + 0.01 || single_cluster(&line),
            "a line of {} pt in a measure of {width} pt: «{}»",
            line.width,
            &ctx.text[line.range.clone()]
        );
        line::align_line(&mut line, style.align, width);
        lines.push(line);
    }
    lines
}

/// Whether a line holds a single cluster of text.
fn single_cluster(line: &Line) -> bool {
    line.runs.iter().flat_map(|r| &r.glyphs).filter(|g| !g.text.is_empty()).count() <= 1
}

#[cfg(test)]
mod tests;
