//! Building one line: the items it holds (shaped again where the line
//! cuts one, with tatweels where justification inserts them), reordered
//! for display on their own (UAX #9 L1–L2 on this line only), each glyph
//! carrying the text of its cluster; then the drawn hyphen of a broken
//! word and the line's place by its alignment.

use super::breaking::opportunities::trim_trailing_space;
use super::context::ParaCtx;
use super::shape::{RunSpec, ShapedGlyph, Shaper};
use super::{Line, LineGlyph, LineRun, justify};
use crate::model::Align;
use std::collections::HashMap;
use std::ops::Range;

/// Line pieces shaped again, by (item, start, end, kashida offsets): a
/// paragraph re-broken at another scale or width reuses them.
pub(super) type PieceCache = HashMap<(usize, usize, usize, Vec<usize>), Vec<ShapedGlyph>>;

/// Lay out one line: shape the pieces of the items it holds (with tatweels
/// inserted at `kashida` offsets), reorder them for display and stretch
/// each inserted tatweel to `kashida_len`.
pub(super) fn build_line(
    shaper: &mut Shaper,
    ctx: &ParaCtx,
    cache: &mut PieceCache,
    range: Range<usize>,
    kashidas: &[(usize, f32)],
) -> Line {
    let kashida: Vec<usize> = kashidas.iter().map(|(o, _)| *o).collect();
    let para_info = paragraph_at(ctx, range.start);
    let rtl = para_info.level.is_rtl();
    let visible = trim_trailing_space(ctx.text, range);
    let pieces = line_pieces(shaper, ctx, cache, visible.clone(), &kashida);
    let mut line = reorder_line(ctx, para_info, &pieces, visible, rtl);
    if !kashida.is_empty() {
        justify::stretch_kashidas(&mut line, kashidas);
    }
    line
}

/// The bidi paragraph holding byte `at`.
fn paragraph_at<'c>(ctx: &'c ParaCtx, at: usize) -> &'c unicode_bidi::ParagraphInfo {
    ctx.bidi.paragraphs.iter().find(|p| p.range.start <= at && at < p.range.end).unwrap_or(&ctx.bidi.paragraphs[0])
}

/// A line over `range` with no runs, no size and no width yet.
fn empty_line(range: Range<usize>, rtl: bool) -> Line {
    Line {
        runs: Vec::new(),
        width: 0.0,
        natural_width: 0.0,
        x: 0.0,
        ascent: 0.0,
        descent: 0.0,
        range,
        rtl,
        forced: false,
    }
}

/// A line with what its height needs and nothing else: its range,
/// direction, ascent and descent (of the items on its visible part, as
/// [`build_line`] measures them), an empty run per item and visual run
/// carrying its face and size, in display order (the order the faces
/// are first met in), and `forced`.
pub(super) fn line_height_only(ctx: &ParaCtx, range: Range<usize>, forced: bool) -> Line {
    let para_info = paragraph_at(ctx, range.start);
    let rtl = para_info.level.is_rtl();
    let visible = trim_trailing_space(ctx.text, range.clone());
    let mut line = Line { forced, ..empty_line(range, rtl) };
    let overlaps = |it: &&super::context::Item, r: &Range<usize>| it.range.start.max(r.start) < it.range.end.min(r.end);
    for it in ctx.items.iter().filter(|it| overlaps(it, &visible)) {
        let face = ctx.book.face(it.face);
        let m = face.vmetrics();
        let s = ctx.item_size(it) / face.upem;
        line.ascent = line.ascent.max(m.ascender * s);
        line.descent = line.descent.max(-m.descender * s);
    }
    if visible.is_empty() {
        return line;
    }
    let (levels, runs) = ctx.bidi.visual_runs(para_info, visible.clone());
    for run in runs {
        let mut on: Vec<&super::context::Item> = ctx.items.iter().filter(|it| overlaps(it, &run)).collect();
        if levels[run.start].is_rtl() {
            on.reverse();
        }
        for it in on {
            line.runs.push(LineRun {
                face: it.face,
                size: ctx.item_size(it),
                color: ctx.para.spans[it.span].color,
                rtl: levels[run.start].is_rtl(),
                link: None,
                underline: false,
                strike: false,
                oblique: false,
                glyphs: Vec::new(),
            });
        }
    }
    line
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
    ctx: &ParaCtx,
    cache: &mut PieceCache,
    line: Range<usize>,
    kashida: &[usize],
) -> Vec<Piece> {
    let text = ctx.text;
    let mut pieces = Vec::new();
    let features = super::shape::parse_features(&ctx.para.style.features);
    for (k, it) in ctx.items.iter().enumerate() {
        let start = it.range.start.max(line.start);
        let end = it.range.end.min(line.end);
        if start >= end {
            continue;
        }
        let here: Vec<usize> = kashida.iter().copied().filter(|&o| o > start && o <= end).collect();
        let spec = RunSpec {
            text,
            range: start..end,
            face: it.face,
            rtl: it.level.is_rtl(),
            script: it.script,
            features: &features,
            language: ctx.para.spans[it.span].inline.language.as_deref(),
        };
        let g = if here.is_empty() && start == it.range.start && end == it.range.end {
            ctx.glyphs[k].clone()
        } else if let Some(g) = here.is_empty().then(|| safe_slice(&ctx.glyphs[k], start..end, &it.range)).flatten() {
            g
        } else {
            let key = (k, start, end, here);
            match cache.get(&key) {
                Some(g) => g.clone(),
                None => {
                    let g = if key.3.is_empty() {
                        shaper.shape(&spec)
                    } else {
                        shape_with_tatweels(shaper, &spec, &ctx.glyphs[k], &it.range, &key.3)
                    };
                    cache.insert(key, g.clone());
                    g
                }
            }
        };
        pieces.push(Piece { item: k, glyphs: g, range: start..end });
    }
    pieces
}

/// `spec` shaped with tatweels inserted before the offsets `at`, shaping
/// again only the words that take one: the piece is cut at spaces where
/// its item's shaping is safe to break (HarfBuzz's promise that the parts
/// shaped apart give the same glyphs), each word with a tatweel is shaped
/// with its neighbours as context, and the others keep the item's glyphs.
pub(super) fn shape_with_tatweels(
    shaper: &mut Shaper,
    spec: &RunSpec,
    item: &[ShapedGlyph],
    item_range: &Range<usize>,
    at: &[usize],
) -> Vec<ShapedGlyph> {
    let piece = spec.range.clone();
    let safe = |pos: usize| {
        pos == item_range.start || pos == item_range.end || {
            let here = clusters_in(item, pos..pos + 1);
            !here.is_empty() && here.iter().all(|g| !g.unsafe_to_break)
        }
    };
    // Cuts: the piece's ends and each safe start of a space or of the word
    // after one.
    let mut cuts = vec![piece.start];
    for (i, c) in spec.text[piece.clone()].char_indices() {
        let pos = piece.start + i;
        if c == ' ' && pos > piece.start && safe(pos) && safe(pos + 1) && pos + 1 < piece.end {
            cuts.extend([pos, pos + 1]);
        }
    }
    cuts.push(piece.end);
    cuts.dedup();
    if !safe(piece.start) || !safe(piece.end) || cuts.len() <= 2 {
        return shaper.shape_with_tatweels(spec, at);
    }
    let ascending = item.first().zip(item.last()).is_none_or(|(a, b)| a.cluster <= b.cluster);
    let mut parts: Vec<Vec<ShapedGlyph>> = Vec::with_capacity(cuts.len() - 1);
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let inside: Vec<usize> = at.iter().copied().filter(|&o| o > a && o <= b).collect();
        parts.push(if inside.is_empty() {
            clusters_in(item, a..b).to_vec()
        } else {
            shaper.shape_with_tatweels(&RunSpec { range: a..b, ..*spec }, &inside)
        });
    }
    if !ascending {
        parts.reverse();
    }
    parts.concat()
}

/// The glyphs of `piece` taken from its item's shaping, when the item may
/// be cut at both ends without shaping again: each end is the item's own
/// end or the start of a cluster the shaper marked safe to break at (the
/// joining and kerning there do not depend on the other side).
fn safe_slice(glyphs: &[ShapedGlyph], piece: Range<usize>, item: &Range<usize>) -> Option<Vec<ShapedGlyph>> {
    let safe_at = |pos: usize| {
        if pos == item.start || pos == item.end {
            return true;
        }
        let at = clusters_in(glyphs, pos..pos + 1);
        !at.is_empty() && at.iter().all(|g| !g.unsafe_to_break)
    };
    if !safe_at(piece.start) || !safe_at(piece.end) {
        return None;
    }
    Some(clusters_in(glyphs, piece).to_vec())
}

/// The glyphs whose cluster lies in `range`, found by binary search (a line
/// of a long paragraph must not scan the whole paragraph's glyphs): the
/// shaper's clusters run monotonically, up in a left-to-right run and down
/// in a right-to-left one.
fn clusters_in(glyphs: &[ShapedGlyph], range: Range<usize>) -> &[ShapedGlyph] {
    let ascending = match (glyphs.first(), glyphs.last()) {
        (Some(first), Some(last)) => first.cluster <= last.cluster,
        _ => return &[],
    };
    let (a, b) = match ascending {
        true => {
            (glyphs.partition_point(|g| g.cluster < range.start), glyphs.partition_point(|g| g.cluster < range.end))
        }
        false => {
            (glyphs.partition_point(|g| g.cluster >= range.end), glyphs.partition_point(|g| g.cluster >= range.start))
        }
    };
    &glyphs[a..b.max(a)]
}

/// Reorder one line for display (UAX #9 L1–L2 on this line only) and give
/// each glyph its position and the text of its cluster.
fn reorder_line(
    ctx: &ParaCtx,
    para_info: &unicode_bidi::ParagraphInfo,
    pieces: &[Piece],
    visible: Range<usize>,
    rtl: bool,
) -> Line {
    let (book, text, items) = (ctx.book, ctx.text, ctx.items);
    let mut line = empty_line(visible.clone(), rtl);
    // Cluster texts, in logical order per piece (each glyph takes its own:
    // a glyph is in one visual run only).
    let mut texts: Vec<Vec<String>> = pieces.iter().map(|p| cluster_texts(text, p)).collect();
    for p in pieces {
        let it = &items[p.item];
        let m = book.face(it.face).vmetrics();
        let s = ctx.item_size(it) / book.face(it.face).upem;
        line.ascent = line.ascent.max(m.ascender * s);
        line.descent = line.descent.max(-m.descender * s);
    }
    if visible.is_empty() {
        return line;
    }
    let (levels, runs) = ctx.bidi.visual_runs(para_info, visible.clone());
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
            let span = &ctx.para.spans[it.span];
            let size = ctx.item_size(it);
            let face = book.face(it.face);
            let s = size / face.upem;
            let g = &p.glyphs[gi];
            let glyph = LineGlyph {
                id: g.id,
                x: pen,
                dx: g.x_offset as f32 * s,
                dy: g.y_offset as f32 * s,
                advance: g.x_advance as f32 * s,
                text: std::mem::take(&mut texts[pi][gi]),
                cluster: g.cluster,
                kashida: g.inserted,
            };
            pen += glyph.advance;
            // Arabic-script text is never slanted: italic is a Latin convention.
            let oblique = span.inline.oblique && !level.is_rtl();
            let same = line.runs.last().is_some_and(|r: &LineRun| {
                r.face == it.face
                    && r.size == size
                    && r.color == span.color
                    && r.rtl == level.is_rtl()
                    && r.link == span.link
                    && r.underline == span.inline.underline
                    && r.strike == span.inline.strike
                    && r.oblique == oblique
            });
            if !same {
                line.runs.push(LineRun {
                    face: it.face,
                    size,
                    color: span.color,
                    link: span.link.clone(),
                    rtl: level.is_rtl(),
                    underline: span.inline.underline,
                    strike: span.inline.strike,
                    oblique,
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

/// End a line broken inside a word with a hyphen. It is drawn but is not
/// text: copying the word back gives it whole.
pub(super) fn add_hyphen(ctx: &ParaCtx, line: &mut Line) {
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

/// Place the line inside `width` by its alignment (justified lines are
/// already full; their last line and any line that could not be filled
/// sits at the start).
pub(super) fn align_line(line: &mut Line, align: Align, width: f32) {
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
