//! The text engine: one paragraph in, positioned lines out.
//!
//! Per paragraph: bidi levels (UAX #9) → runs split by level, script and
//! font → shaping (rustybuzz) → line breaking in logical order (UAX #14) →
//! each line reordered on its own (UAX #9 L1–L2) → alignment and
//! justification. It knows nothing of pages, frames, TOML or PDF; it gets a
//! [`Paragraph`] and a width and returns [`Line`]s whose glyphs are in visual
//! order, left to right, each carrying the source text of its cluster.

pub mod hb;
pub mod justify;
pub mod linebreak;
pub mod shape;

use crate::fonts::{FaceId, FontBook, is_default_ignorable};
use crate::model::{Align, Direction, Paragraph, Rgb};
use serde::Serialize;
use shape::{RunSpec, ShapedGlyph, Shaper};
use std::ops::Range;
use unicode_bidi::{BidiInfo, Level};
use unicode_script::{Script, UnicodeScript};

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
}

/// Glyphs of one face, size and colour on a line, in visual order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineRun {
    pub face: FaceId,
    pub size: f32,
    pub color: Rgb,
    /// The run's resolved bidi level is odd (right to left).
    pub rtl: bool,
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
}

/// A character that no available font can show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissingGlyph {
    pub ch: char,
    /// Where it is: the paragraph's origin and the character offset.
    pub origin: String,
    pub char_index: usize,
}

/// A laid-out paragraph.
#[derive(Debug, Clone, Serialize)]
pub struct LaidParagraph {
    pub lines: Vec<Line>,
    pub missing: Vec<MissingGlyph>,
}

/// A maximal piece of the paragraph with one span, face, level and script.
#[derive(Debug, Clone)]
struct Item {
    range: Range<usize>,
    span: usize,
    face: FaceId,
    level: Level,
    script: Option<[u8; 4]>,
}

/// Lay out `para` in lines no wider than `width` points.
///
/// ```
/// use nashr::{FontBook, model::{Paragraph, ParaStyle, Span, Align, Direction, Rgb}};
/// use nashr::text::{layout_paragraph, shape::Shaper};
/// let book = FontBook::with_bundled();
/// let para = Paragraph {
///     spans: vec![Span { text: "وب سایت: www.wpiran.org".into(), face: 0, fallbacks: vec![], size: 10.0, color: Rgb::BLACK }],
///     style: ParaStyle { align: Align::Start, direction: Direction::Auto, line_height: 15.0, space_before: 0.0, space_after: 0.0, fallback_rtl: true },
///     origin: "example".into(),
/// };
/// let laid = layout_paragraph(&mut Shaper::new(&book, ""), &para, 300.0);
/// assert_eq!(laid.lines.len(), 1);
/// assert!(laid.lines[0].rtl);
/// ```
pub fn layout_paragraph(shaper: &mut Shaper, para: &Paragraph, width: f32) -> LaidParagraph {
    let text = para.text();
    let book = shaper.book();
    if text.is_empty() {
        return LaidParagraph { lines: Vec::new(), missing: Vec::new() };
    }
    let default_level = match para.style.direction {
        Direction::Rtl => Some(Level::rtl()),
        Direction::Ltr => Some(Level::ltr()),
        Direction::Auto if !has_strong_char(&text) && para.style.fallback_rtl => Some(Level::rtl()),
        Direction::Auto => None,
    };
    let bidi = BidiInfo::new(&text, default_level);
    let (items, missing) = itemize(book, para, &text, &bidi.levels);
    let glyphs = shape_items(shaper, &text, &items);
    let scale: Vec<f32> = items.iter().map(|it| para.spans[it.span].size / book.face(it.face).upem).collect();

    // Prefix sums of advances over the paragraph's glyphs (logical order).
    let mut flat: Vec<(usize, f32)> = Vec::new(); // (cluster, advance pt)
    for (k, g) in glyphs.iter().enumerate() {
        for sg in g {
            flat.push((sg.cluster, sg.x_advance as f32 * scale[k]));
        }
    }
    let mut prefix = Vec::with_capacity(flat.len() + 1);
    prefix.push(0.0f32);
    for (_, a) in &flat {
        prefix.push(prefix.last().unwrap() + a);
    }
    let glyph_at = |pos: usize| flat.partition_point(|(c, _)| *c < pos);
    let measure = |a: usize, b: usize| {
        let r = linebreak::trim_trailing_space(&text, a..b);
        prefix[glyph_at(r.end)] - prefix[glyph_at(r.start)]
    };
    let opportunities = linebreak::break_opportunities(&text);
    let mut fallback: Vec<usize> = flat.iter().map(|(c, _)| *c).collect();
    fallback.dedup();
    let ranges = linebreak::break_lines(text.len(), &opportunities, &fallback, width, measure);

    let n = ranges.len();
    let mut lines = Vec::with_capacity(n);
    for (li, range) in ranges.into_iter().enumerate() {
        let para_info = bidi
            .paragraphs
            .iter()
            .find(|p| p.range.start <= range.start && range.start < p.range.end)
            .unwrap_or(&bidi.paragraphs[0]);
        let rtl = para_info.level.is_rtl();
        let ends_paragraph = li + 1 == n || text[range.clone()].ends_with('\n');
        let visible = linebreak::trim_trailing_space(&text, range.clone());
        let pieces = line_pieces(shaper, &text, &items, &glyphs, visible.clone());
        let mut line = reorder_line(book, para, &text, &bidi, para_info, &items, &pieces, visible, rtl);
        line.range = range;
        align_line(&mut line, &text, para.style.align, width, ends_paragraph);
        lines.push(line);
    }
    LaidParagraph { lines, missing }
}

/// Split the paragraph into items of one span, face, bidi level and script,
/// choosing a face per character (with fallback) and noting characters no
/// face can show.
fn itemize(book: &FontBook, para: &Paragraph, text: &str, levels: &[Level]) -> (Vec<Item>, Vec<MissingGlyph>) {
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
                _ => items.push(Item { range: pos..pos + c.len_utf8(), span: si, face, level, script }),
            }
            char_index += 1;
        }
        span_start += span.text.len();
    }
    (items, missing)
}

/// Whether the text has a strong directional character (UAX #9 classes L, R, AL).
fn has_strong_char(text: &str) -> bool {
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

fn shape_items(shaper: &mut Shaper, text: &str, items: &[Item]) -> Vec<Vec<ShapedGlyph>> {
    items
        .iter()
        .map(|it| {
            shaper.shape(&RunSpec {
                text,
                range: it.range.clone(),
                face: it.face,
                rtl: it.level.is_rtl(),
                script: it.script,
            })
        })
        .collect()
}

/// The glyphs of one item clipped to a line, in logical order.
struct Piece {
    item: usize,
    glyphs: Vec<ShapedGlyph>,
    range: Range<usize>,
}

/// The items on `line`, reshaped where the line cuts through one (joining and
/// kerning at the cut must be those of the shorter text).
fn line_pieces(
    shaper: &mut Shaper,
    text: &str,
    items: &[Item],
    glyphs: &[Vec<ShapedGlyph>],
    line: Range<usize>,
) -> Vec<Piece> {
    let mut pieces = Vec::new();
    for (k, it) in items.iter().enumerate() {
        let start = it.range.start.max(line.start);
        let end = it.range.end.min(line.end);
        if start >= end {
            continue;
        }
        let g = if start == it.range.start && end == it.range.end {
            glyphs[k].clone()
        } else {
            shaper.shape(&RunSpec { text, range: start..end, face: it.face, rtl: it.level.is_rtl(), script: it.script })
        };
        pieces.push(Piece { item: k, glyphs: g, range: start..end });
    }
    pieces
}

/// Reorder one line for display (UAX #9 L1–L2 on this line only) and give
/// each glyph its position and the text of its cluster.
#[allow(clippy::too_many_arguments)]
fn reorder_line(
    book: &FontBook,
    para: &Paragraph,
    text: &str,
    bidi: &BidiInfo,
    para_info: &unicode_bidi::ParagraphInfo,
    items: &[Item],
    pieces: &[Piece],
    visible: Range<usize>,
    rtl: bool,
) -> Line {
    let mut line = Line {
        runs: Vec::new(),
        width: 0.0,
        natural_width: 0.0,
        x: 0.0,
        ascent: 0.0,
        descent: 0.0,
        range: visible.clone(),
        rtl,
    };
    // Cluster texts, in logical order per piece.
    let texts: Vec<Vec<String>> = pieces.iter().map(|p| cluster_texts(text, p)).collect();
    for p in pieces {
        let it = &items[p.item];
        let span = &para.spans[it.span];
        let m = book.face(it.face).vmetrics();
        let s = span.size / book.face(it.face).upem;
        line.ascent = line.ascent.max(m.ascender * s);
        line.descent = line.descent.max(-m.descender * s);
    }
    if visible.is_empty() {
        return line;
    }
    let (levels, runs) = bidi.visual_runs(para_info, visible.clone());
    let mut pen = 0.0f32;
    for run in runs {
        let level = levels[run.start];
        // Glyphs of this visual run, logical order, tagged with their piece.
        let mut seq: Vec<(usize, usize)> = Vec::new();
        for (pi, p) in pieces.iter().enumerate() {
            if p.range.end <= run.start || p.range.start >= run.end {
                continue;
            }
            for (gi, g) in p.glyphs.iter().enumerate() {
                if g.cluster >= run.start && g.cluster < run.end {
                    seq.push((pi, gi));
                }
            }
        }
        if level.is_rtl() {
            seq.reverse();
        }
        for (pi, gi) in seq {
            let p = &pieces[pi];
            let it = &items[p.item];
            let span = &para.spans[it.span];
            let face = book.face(it.face);
            let s = span.size / face.upem;
            let g = &p.glyphs[gi];
            let glyph = LineGlyph {
                id: g.id,
                x: pen,
                dx: g.x_offset as f32 * s,
                dy: g.y_offset as f32 * s,
                advance: g.x_advance as f32 * s,
                text: texts[pi][gi].clone(),
                cluster: g.cluster,
            };
            pen += glyph.advance;
            let same = line.runs.last().is_some_and(|r: &LineRun| {
                r.face == it.face && r.size == span.size && r.color == span.color && r.rtl == level.is_rtl()
            });
            if !same {
                line.runs.push(LineRun {
                    face: it.face,
                    size: span.size,
                    color: span.color,
                    rtl: level.is_rtl(),
                    glyphs: Vec::new(),
                });
            }
            line.runs.last_mut().expect("pushed").glyphs.push(glyph);
        }
    }
    line.natural_width = pen;
    line.width = pen;
    line
}

/// The text of each glyph's cluster: on the first glyph of a cluster in
/// logical order, empty on the rest.
fn cluster_texts(text: &str, p: &Piece) -> Vec<String> {
    let g = &p.glyphs;
    let mut out = vec![String::new(); g.len()];
    let mut i = 0;
    while i < g.len() {
        let c = g[i].cluster;
        let mut j = i + 1;
        while j < g.len() && g[j].cluster == c {
            j += 1;
        }
        let end = if j < g.len() { g[j].cluster } else { p.range.end };
        out[i] = text[c..end.max(c)].to_string();
        i = j;
    }
    out
}

/// Place the line inside `width`: align it and, for justified lines that do
/// not end a paragraph, stretch it to the full width.
fn align_line(line: &mut Line, text: &str, align: Align, width: f32, ends_paragraph: bool) {
    let _ = text;
    let (start_is_left, justify) = match align {
        Align::Justify => (!line.rtl, !ends_paragraph),
        _ => (!line.rtl, false),
    };
    if justify && line.natural_width < width {
        justify::justify_line(line, width);
    }
    let free = (width - line.width).max(0.0);
    line.x = match align {
        Align::Left => 0.0,
        Align::Right => free,
        Align::Center => free / 2.0,
        Align::Start | Align::Justify => {
            if start_is_left {
                0.0
            } else {
                free
            }
        }
        Align::End => {
            if start_is_left {
                free
            } else {
                0.0
            }
        }
    };
}

#[cfg(test)]
mod tests;
