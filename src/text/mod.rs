//! The text engine: one paragraph in, positioned lines out.
//!
//! Per paragraph: bidi levels (UAX #9) → runs split by level, script and
//! font → shaping (rustybuzz) → line breaking in logical order (UAX #14) →
//! each line reordered on its own (UAX #9 L1–L2) → alignment and
//! justification. It knows nothing of pages, frames, TOML or PDF; it gets a
//! [`Paragraph`] and a width and returns [`Line`]s whose glyphs are in visual
//! order, left to right, each carrying the source text of its cluster.

pub mod breaker;
pub mod hb;
pub mod justify;
pub mod kashida;
pub mod linebreak;
pub mod shape;

use crate::fonts::{FaceId, FontBook, is_default_ignorable};
use crate::model::{Align, Direction, Paragraph, Rgb, Wrap};
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
/// use nashr::{FontBook, model::{Paragraph, ParaStyle, Span, Align, Direction, Rgb, Wrap}};
/// use nashr::text::{layout_paragraph, shape::Shaper};
/// let book = FontBook::with_bundled();
/// let para = Paragraph {
///     spans: vec![Span { text: "وب سایت: www.wpiran.org".into(), face: 0, fallbacks: vec![], size: 10.0, color: Rgb::BLACK, link: None }],
///     style: ParaStyle { align: Align::Start, direction: Direction::Auto, line_height: 15.0, space_before: 0.0, space_after: 0.0, fallback_rtl: true, kashida: true, wrap: Wrap::Optimal, hyphenate: None },
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
    let para_ctx = ParaCtx { book, para, text: &text, bidi: &bidi, items: &items, glyphs: &glyphs };
    // UAX #14 break opportunities, found once for breaking and for telling
    // a forced cut inside a word.
    let opportunities = linebreak::break_opportunities(&text);
    let ends: Vec<usize> = opportunities.iter().map(|b| b.pos).collect();
    let (ranges, hyphens) = choose_breaks(&para_ctx, width, &opportunities, &ends);

    let n = ranges.len();
    let mut lines = Vec::with_capacity(n);
    for (li, range) in ranges.into_iter().enumerate() {
        let ends_paragraph = li + 1 == n || text[range.clone()].ends_with('\n');
        let justify = para.style.align == Align::Justify && !ends_paragraph;
        let mut line = build_line(shaper, &para_ctx, range.clone(), &[], 0.0);
        if justify && para.style.kashida {
            let insert = kashida_insertions(&para_ctx, &line, width);
            if let Some((offsets, length)) = insert {
                line = build_line(shaper, &para_ctx, range.clone(), &offsets, length);
            }
        }
        if hyphens.binary_search(&range.end).is_ok() {
            add_hyphen(&para_ctx, &mut line);
        }
        if justify {
            justify::justify_spaces(&mut line, width);
        }
        line.forced = ends.binary_search(&range.end).is_err() && hyphens.binary_search(&range.end).is_err();
        line.range = range;
        align_line(&mut line, para.style.align, width);
        lines.push(line);
    }
    LaidParagraph { lines, missing }
}

/// Everything known about a paragraph after shaping, shared by the steps
/// that break, build and justify its lines.
struct ParaCtx<'a> {
    book: &'a FontBook,
    para: &'a Paragraph,
    text: &'a str,
    bidi: &'a BidiInfo<'a>,
    items: &'a [Item],
    glyphs: &'a [Vec<ShapedGlyph>],
}

impl ParaCtx<'_> {
    /// The primary face and size of the paragraph (its first span).
    fn primary(&self) -> (&crate::fonts::FontFace, f32) {
        let span = &self.para.spans[0];
        (self.book.face(span.face), span.size)
    }

    /// Width of a hyphen in the primary face.
    fn hyphen_width(&self) -> f32 {
        let (face, size) = self.primary();
        face.glyph('-').map_or(0.0, |g| face.advance(g) * size / face.upem)
    }

    /// Natural width of the tatweel in the primary face, if it has one.
    fn tatweel_width(&self) -> Option<f32> {
        let (face, size) = self.primary();
        face.glyph('\u{0640}').map(|g| face.advance(g) * size / face.upem)
    }
}

/// Prefix sums over the paragraph's glyphs in logical order, to measure any
/// candidate line in O(log n).
struct Measure {
    clusters: Vec<usize>,
    width: Vec<f32>,
    space: Vec<f32>,
    spaces: Vec<u32>,
}

impl Measure {
    fn new(ctx: &ParaCtx) -> Measure {
        let mut m = Measure { clusters: Vec::new(), width: vec![0.0], space: vec![0.0], spaces: vec![0] };
        for (k, g) in ctx.glyphs.iter().enumerate() {
            let it = &ctx.items[k];
            let scale = ctx.para.spans[it.span].size / ctx.book.face(it.face).upem;
            for sg in g {
                let adv = sg.x_advance as f32 * scale;
                let is_space = matches!(ctx.text[sg.cluster..].chars().next(), Some(' ' | '\u{00A0}'));
                m.clusters.push(sg.cluster);
                m.width.push(m.width.last().copied().unwrap_or(0.0) + adv);
                m.space.push(m.space.last().copied().unwrap_or(0.0) + if is_space { adv } else { 0.0 });
                m.spaces.push(m.spaces.last().copied().unwrap_or(0) + is_space as u32);
            }
        }
        m
    }

    fn at(&self, pos: usize) -> usize {
        self.clusters.partition_point(|c| *c < pos)
    }

    /// (natural width, natural width of the spaces, number of spaces) of
    /// `a..b` without its trailing white space.
    fn line(&self, text: &str, a: usize, b: usize) -> (f32, f32, u32) {
        let r = linebreak::trim_trailing_space(text, a..b);
        let (i, j) = (self.at(r.start), self.at(r.end));
        (self.width[j] - self.width[i], self.space[j] - self.space[i], self.spaces[j] - self.spaces[i])
    }
}

/// Choose the line breaks: total fit for justified text, balanced lines for
/// headings, first fit otherwise (and whenever total fit finds nothing).
fn choose_breaks(
    ctx: &ParaCtx,
    width: f32,
    opportunities: &[linebreak::BreakPoint],
    ends: &[usize],
) -> (Vec<Range<usize>>, Vec<usize>) {
    let text = ctx.text;
    let m = Measure::new(ctx);
    let mut fallback: Vec<usize> = m.clusters.clone();
    fallback.dedup();
    let greedy = |w: f32| linebreak::break_lines(text.len(), opportunities, &fallback, w, |a, b| m.line(text, a, b).0);
    match (ctx.para.style.wrap, ctx.para.style.align) {
        (Wrap::Optimal, Align::Justify) => {
            let words = if ctx.para.style.kashida { kashida::line_points(text, 0..text.len()) } else { Vec::new() };
            let kashida_len = match ctx.tatweel_width() {
                Some(tw) => justify::kashida_max(tw, ctx.primary().1),
                None => 0.0,
            };
            // Hyphenation points are extra places to break, at a price and a hyphen's width.
            let hyphens = hyphenation_points(ctx);
            // Hyphenated (Latin) text has no kashida: its spaces may vary as
            // much as TeX lets them; Arabic-script text keeps its tighter range.
            let (space_min, space_max) = if ctx.para.style.hyphenate.is_some() {
                (justify::LATIN_SPACE_MIN, justify::LATIN_SPACE_MAX)
            } else {
                (justify::SPACE_MIN, justify::SPACE_MAX)
            };
            let hyphen_width = ctx.hyphen_width();
            let mut all = opportunities.to_vec();
            all.extend(hyphens.iter().map(|&pos| linebreak::BreakPoint { pos, mandatory: false }));
            all.sort_by_key(|b| b.pos);
            let metrics = |a: usize, b: usize| {
                let (mut natural, spaces, count) = m.line(text, a, b);
                if hyphens.binary_search(&b).is_ok() {
                    natural += hyphen_width;
                }
                let candidates = words.iter().filter(|w| w.word.start >= a && w.word.start < b).count();
                let kashida = justify::kashida_capacity(candidates, kashida_len);
                breaker::LineMetrics {
                    natural,
                    stretch: (space_max - 1.0) * spaces + kashida,
                    shrink: (1.0 - space_min) * spaces,
                    words: count as usize + 1,
                }
            };
            let penalty = |pos: usize| {
                let number = if ends_with_number(text, pos) { 50.0 } else { 0.0 };
                let hyphen = if hyphens.binary_search(&pos).is_ok() { HYPHEN_PENALTY } else { 0.0 };
                number + hyphen
            };
            let optimal = [1.0, 2.5, 10.0]
                .iter()
                .find_map(|&tol| breaker::break_optimal(text.len(), &all, width, tol, &metrics, &penalty));
            match optimal {
                Some(lines) => (lines, hyphens),
                None => (greedy(width), Vec::new()),
            }
        }
        (Wrap::Balance, _) => (balance(text, width, &greedy, &m, ends), Vec::new()),
        _ => (greedy(width), Vec::new()),
    }
}

/// Cost of ending a line with a hyphen (in the breaker's penalty units, as TeX's 50).
const HYPHEN_PENALTY: f32 = 50.0;

/// Byte offsets inside Latin-script words where the paragraph's language
/// allows a hyphen (at least two letters before and three after), for
/// left-to-right paragraphs whose style asks for hyphenation.
fn hyphenation_points(ctx: &ParaCtx) -> Vec<usize> {
    let Some(code) = ctx.para.style.hyphenate else { return Vec::new() };
    let Some(lang) = hypher::Lang::from_iso(code) else { return Vec::new() };
    if ctx.bidi.paragraphs.iter().any(|p| p.level.is_rtl()) {
        return Vec::new();
    }
    let text = ctx.text;
    let mut points = Vec::new();
    let mut start = None;
    let flush = |s: usize, e: usize, points: &mut Vec<usize>| {
        let word = &text[s..e];
        if word.chars().count() < 5 || !word.chars().all(|c| c.is_alphabetic() && c.script() == Script::Latin) {
            return;
        }
        let mut pos = s;
        for syllable in hypher::hyphenate_bounded(word, lang, 2, 3) {
            pos += syllable.len();
            if pos < e {
                points.push(pos);
            }
        }
    };
    for (i, c) in text.char_indices() {
        if c.is_alphabetic() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            flush(s, i, &mut points);
        }
    }
    if let Some(s) = start {
        flush(s, text.len(), &mut points);
    }
    points
}

/// End a line broken inside a word with a hyphen. It is drawn but is not
/// text: copying the word back gives it whole.
fn add_hyphen(ctx: &ParaCtx, line: &mut Line) {
    let Some(run) = line.runs.last_mut() else { return };
    let face = ctx.book.face(run.face);
    let Some(id) = face.glyph('-') else { return };
    let advance = face.advance(id) * run.size / face.upem;
    run.glyphs.push(LineGlyph {
        id,
        x: line.width,
        dx: 0.0,
        dy: 0.0,
        advance,
        text: String::new(),
        cluster: line.range.end,
        kashida: false,
    });
    line.width += advance;
    line.natural_width += advance;
}

/// Whether the word before the break at `pos` is a number (any digits).
fn ends_with_number(text: &str, pos: usize) -> bool {
    let before = text[..pos].trim_end();
    let word = before.rsplit(char::is_whitespace).next().unwrap_or("");
    let core = word.trim_end_matches(|c: char| c.is_ascii_punctuation() || "،؛".contains(c));
    !core.is_empty() && core.chars().all(|c| c.is_numeric())
}

/// Balanced lines: the narrowest measure that still needs no more lines
/// than first fit at the full width, so lines come out of similar length.
fn balance(
    text: &str,
    width: f32,
    greedy: &impl Fn(f32) -> Vec<Range<usize>>,
    m: &Measure,
    ends: &[usize],
) -> Vec<Range<usize>> {
    let full = greedy(width);
    if full.len() < 2 {
        return full;
    }
    let widest = |lines: &[Range<usize>]| lines.iter().map(|r| m.line(text, r.start, r.end).0).fold(0.0, f32::max);
    // A narrower measure that only works by cutting a word is no balance.
    let whole_words = |lines: &[Range<usize>]| lines.iter().all(|r| ends.binary_search(&r.end).is_ok());
    let (mut lo, mut hi) = (widest(&full) / full.len() as f32, width);
    let mut best = full.clone();
    for _ in 0..20 {
        let mid = (lo + hi) / 2.0;
        let lines = greedy(mid);
        if lines.len() <= full.len() && widest(&lines) <= mid + 0.01 && whole_words(&lines) {
            best = lines;
            hi = mid;
        } else {
            lo = mid;
        }
        if hi - lo < 0.5 {
            break;
        }
    }
    best
}

/// Lay out one line: shape the pieces of the items it holds (with tatweels
/// inserted at `kashida` offsets), reorder them for display and stretch
/// each inserted tatweel to `kashida_len`.
fn build_line(shaper: &mut Shaper, ctx: &ParaCtx, range: Range<usize>, kashida: &[usize], kashida_len: f32) -> Line {
    let para_info = ctx
        .bidi
        .paragraphs
        .iter()
        .find(|p| p.range.start <= range.start && range.start < p.range.end)
        .unwrap_or(&ctx.bidi.paragraphs[0]);
    let rtl = para_info.level.is_rtl();
    let visible = linebreak::trim_trailing_space(ctx.text, range);
    let pieces = line_pieces(shaper, ctx.text, ctx.items, ctx.glyphs, visible.clone(), kashida);
    let mut line = reorder_line(ctx.book, ctx.para, ctx.text, ctx.bidi, para_info, ctx.items, &pieces, visible, rtl);
    if !kashida.is_empty() {
        stretch_kashidas(&mut line, kashida_len);
    }
    line
}

/// Where to put kashidas on `line` to bring it to `width`, and how long
/// each is; `None` when spaces alone should do it.
fn kashida_insertions(ctx: &ParaCtx, line: &Line, width: f32) -> Option<(Vec<usize>, f32)> {
    let visible = linebreak::trim_trailing_space(ctx.text, line.range.clone());
    let tatweel = ctx.tatweel_width()?;
    // Only words whose face has a tatweel glyph.
    let words: Vec<kashida::WordKashida> = kashida::line_points(ctx.text, visible)
        .into_iter()
        .filter(|w| {
            ctx.items
                .iter()
                .find(|it| it.range.contains(&w.point.offset))
                .is_some_and(|it| ctx.book.face(it.face).glyph('\u{0640}').is_some())
        })
        .collect();
    let spaces: f32 =
        line.runs.iter().flat_map(|r| &r.glyphs).filter(|g| justify::is_expansion_point(g)).map(|g| g.advance).sum();
    let need = justify::KashidaNeed {
        extra: width - line.natural_width,
        spaces,
        words: words.iter().map(|w| w.letters).collect(),
        tatweel: Some(tatweel),
        em: ctx.primary().1,
    };
    let plan = justify::plan_kashida(&need);
    let length = plan.first()?.1;
    let offsets = plan.iter().map(|(i, _)| words[*i].point.offset).collect();
    Some((offsets, length))
}

/// Give each inserted tatweel the advance `length`, drawing as many
/// overlapping tatweel glyphs as it takes to cover it without a gap.
fn stretch_kashidas(line: &mut Line, length: f32) {
    for run in &mut line.runs {
        let mut out = Vec::with_capacity(run.glyphs.len() + 4);
        for g in run.glyphs.drain(..) {
            if !g.kashida || g.advance <= 0.0 {
                out.push(g);
                continue;
            }
            let natural = g.advance;
            let copies = (length / natural).ceil().max(1.0) as usize;
            let step = if copies > 1 { (length - natural) / (copies - 1) as f32 } else { 0.0 };
            // All copies share the pen position; the last one carries the advance.
            for k in 0..copies {
                let mut c = g.clone();
                c.dx += step * k as f32;
                c.advance = if k + 1 == copies { length } else { 0.0 };
                out.push(c);
            }
        }
        run.glyphs = out;
    }
    justify::reflow_positions(line);
    line.natural_width = line.width;
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
    kashida: &[usize],
) -> Vec<Piece> {
    let mut pieces = Vec::new();
    for (k, it) in items.iter().enumerate() {
        let start = it.range.start.max(line.start);
        let end = it.range.end.min(line.end);
        if start >= end {
            continue;
        }
        let here: Vec<usize> = kashida.iter().copied().filter(|&o| o > start && o <= end).collect();
        let spec = RunSpec { text, range: start..end, face: it.face, rtl: it.level.is_rtl(), script: it.script };
        let g = if !here.is_empty() {
            shaper.shape_with_tatweels(&spec, &here)
        } else if start == it.range.start && end == it.range.end {
            glyphs[k].clone()
        } else {
            shaper.shape(&spec)
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
        forced: false,
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
                kashida: g.inserted,
            };
            pen += glyph.advance;
            let same = line.runs.last().is_some_and(|r: &LineRun| {
                r.face == it.face
                    && r.size == span.size
                    && r.color == span.color
                    && r.rtl == level.is_rtl()
                    && r.link == span.link
            });
            if !same {
                line.runs.push(LineRun {
                    face: it.face,
                    size: span.size,
                    color: span.color,
                    link: span.link.clone(),
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
    // Inserted tatweels are not text: leave them out of the clusters.
    let real: Vec<usize> = (0..g.len()).filter(|&i| !g[i].inserted).collect();
    let mut i = 0;
    while i < real.len() {
        let c = g[real[i]].cluster;
        let mut j = i + 1;
        while j < real.len() && g[real[j]].cluster == c {
            j += 1;
        }
        let end = if j < real.len() { g[real[j]].cluster } else { p.range.end };
        out[real[i]] = text[c..end.max(c)].to_string();
        i = j;
    }
    out
}

/// Place the line inside `width` by its alignment (justified lines are
/// already full; their last line and any line that could not be filled
/// sits at the start).
fn align_line(line: &mut Line, align: Align, width: f32) {
    let free = (width - line.width).max(0.0);
    let start = if line.rtl { free } else { 0.0 };
    let end = if line.rtl { 0.0 } else { free };
    line.x = match align {
        Align::Left => 0.0,
        Align::Right => free,
        Align::Center => free / 2.0,
        Align::Start | Align::Justify => start,
        Align::End => end,
    };
}

#[cfg(test)]
mod tests;
