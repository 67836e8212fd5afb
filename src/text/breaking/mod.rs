//! Line breaking in logical order: which of the places where a line may
//! end (UAX #14, [`opportunities`]; hyphenation points of Latin words) to
//! choose — total fit ([`total_fit`], Knuth–Plass) for justified text,
//! balanced lines for headings, first fit otherwise.
//!
//! Works on byte offsets of the paragraph and the measures of its context,
//! so the paragraph is broken before any line is reordered.

pub mod opportunities;
pub mod total_fit;

use super::context::{Measure, ParaCtx};
use super::{justify, kashida};
use crate::model::{Align, Wrap};
use opportunities::BreakPoint;
use std::ops::Range;
use unicode_script::{Script, UnicodeScript};

/// Choose the line breaks: total fit for justified text, balanced lines for
/// headings, first fit otherwise (and whenever total fit finds nothing).
pub(super) fn choose_breaks(
    ctx: &ParaCtx,
    range: Range<usize>,
    width: f32,
    opportunities: &[BreakPoint],
    ends: &[usize],
) -> (Vec<Range<usize>>, Vec<usize>) {
    let text = ctx.text;
    let kept;
    let opportunities = if ctx.para.style.display {
        kept = keep_compounds(text, opportunities);
        &kept[..]
    } else {
        opportunities
    };
    let m = Measure::new(ctx);
    let mut fallback: Vec<usize> = m.clusters.iter().copied().filter(|&c| c > range.start).collect();
    fallback.dedup();
    let greedy =
        |w: f32| opportunities::break_lines(range.clone(), opportunities, &fallback, w, |a, b| m.line(text, a, b).0);
    match (ctx.para.style.wrap, ctx.para.style.align) {
        (Wrap::Optimal, Align::Justify) => {
            let rules = justify::KashidaRules::of(ctx.para.style.kashida);
            let words = match rules {
                Some(r) => kashida::line_points(text, range.clone(), r.min_letters),
                None => Vec::new(),
            };
            let starts: Vec<usize> = words.iter().map(|w| w.word.start).collect();
            let kashida_len = match (ctx.tatweel_width(), rules) {
                (Some(tw), Some(r)) => r.max_len(tw, ctx.primary().1),
                _ => 0.0,
            };
            // Hyphenation points are extra places to break, at a price and a hyphen's width.
            let hyphens: Vec<usize> = hyphenation_points(ctx).into_iter().filter(|&p| p > range.start).collect();
            // Hyphenated (Latin) text has no kashida: its spaces may vary as
            // much as TeX lets them; Arabic-script text keeps its tighter range.
            let (space_min, space_max) = if ctx.para.style.hyphenate.is_some() {
                (justify::LATIN_SPACE_MIN, justify::LATIN_SPACE_MAX)
            } else {
                (justify::SPACE_MIN, justify::SPACE_MAX)
            };
            let hyphen_width = ctx.hyphen_width();
            let mut all = opportunities.to_vec();
            all.extend(hyphens.iter().map(|&pos| BreakPoint { pos, mandatory: false }));
            all.sort_by_key(|b| b.pos);
            let latin = ctx.para.style.hyphenate.is_some();
            let metrics_with = |a: usize, b: usize, tracking: bool| {
                let (mut natural, spaces, count) = m.line(text, a, b);
                if hyphens.binary_search(&b).is_ok() {
                    natural += hyphen_width;
                }
                // Words are in text order: count those starting in a..b by bisection.
                let candidates = starts.partition_point(|&s| s < b) - starts.partition_point(|&s| s < a);
                let kashida = rules.map_or(0.0, |r| r.capacity(candidates, kashida_len));
                let letters = if tracking { m.tracking(text, a, b) } else { 0.0 };
                total_fit::LineMetrics {
                    natural,
                    stretch: (space_max - 1.0) * spaces + kashida + justify::LETTER_STRETCH * letters,
                    shrink: (1.0 - space_min) * spaces + justify::LETTER_SHRINK * letters,
                    words: count as usize + 1,
                }
            };
            let hyphenated = |pos: usize| hyphens.binary_search(&pos).is_ok();
            let penalty = |pos: usize| {
                let number = if ends_with_number(text, pos) { NUMBER_PENALTY } else { 0.0 };
                let hyphen = if hyphens.binary_search(&pos).is_ok() { HYPHEN_PENALTY } else { 0.0 };
                number + hyphen
            };
            // Latin text that cannot keep its spaces in range may space its
            // letters a little (an emergency pass, as TeX's emergency stretch).
            let passes: &[(f32, bool)] = if latin {
                &[(1.0, false), (1.0, true), (2.5, true), (10.0, true)]
            } else {
                &[(1.0, false), (2.5, false), (10.0, false)]
            };
            let optimal = passes.iter().find_map(|&(tol, tracking)| {
                let metrics = |a: usize, b: usize| metrics_with(a, b, tracking);
                total_fit::break_optimal(range.clone(), &all, width, tol, &metrics, &penalty, &hyphenated)
            });
            match optimal {
                Some(lines) => (lines, hyphens),
                None => (greedy(width), Vec::new()),
            }
        }
        (Wrap::Balance, _) => {
            let lines = balance_even(text, range.clone(), width, opportunities, &m)
                .unwrap_or_else(|| balance(text, width, &greedy, &m, ends));
            (lines, Vec::new())
        }
        (Wrap::Optimal, _) => {
            // A centred or ragged paragraph does not end on a lone word when
            // more even lines can take it along.
            let lines = greedy(width);
            if ends_with_one_word(text, &lines) {
                let even = balance_even(text, range.clone(), width, opportunities, &m)
                    .unwrap_or_else(|| balance(text, width, &greedy, &m, ends));
                if !ends_with_one_word(text, &even) {
                    return (even, Vec::new());
                }
            }
            (lines, Vec::new())
        }
        _ => (greedy(width), Vec::new()),
    }
}

/// Cost of ending a line with a number, parting it from its unit, month or
/// year («5.» | «Dezember», «۱۲» | «تا ۱۴ آذر»).
const NUMBER_PENALTY: f32 = 150.0;

/// Cost of ending a line with a hyphen (in the breaker's penalty units, as TeX's 50).
const HYPHEN_PENALTY: f32 = 50.0;

/// Byte offsets inside Latin-script words where the paragraph's language
/// allows a hyphen (at least two letters before and three after), for
/// left-to-right paragraphs whose style asks for hyphenation.
fn hyphenation_points(ctx: &ParaCtx) -> Vec<usize> {
    let nobreak = ctx.para.nobreak_ranges();
    let mut points = hyphenation_points_anywhere(ctx);
    points.retain(|&p| !nobreak.iter().any(|r| r.start < p && p < r.end));
    points
}

/// Where words of the paragraph may be hyphenated, `nobreak` spans or not.
fn hyphenation_points_anywhere(ctx: &ParaCtx) -> Vec<usize> {
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
    // The narrowest good set of lines, and the narrowest with no short word
    // alone on a line («der», «۱۴۰۰»), which is preferred.
    let mut best = full.clone();
    let mut best_shapely = (!has_lone_short_word(text, &full)).then(|| full.clone());
    for _ in 0..20 {
        let mid = (lo + hi) / 2.0;
        let lines = greedy(mid);
        if lines.len() <= full.len() && widest(&lines) <= mid + 0.01 && whole_words(&lines) {
            if !has_lone_short_word(text, &lines) {
                best_shapely = Some(lines.clone());
            }
            best = lines;
            hi = mid;
        } else {
            lo = mid;
        }
        if hi - lo < 0.5 {
            break;
        }
    }
    best_shapely.unwrap_or(best)
}

/// Balanced lines by dynamic programming over the break opportunities: the
/// fewest lines that fit, then the most even (least squared slack, the last
/// line included), and no short word alone on a line when another set of
/// lines avoids it. `None` when some piece between opportunities is wider
/// than the measure.
fn balance_even(
    text: &str,
    range: Range<usize>,
    width: f32,
    opportunities: &[BreakPoint],
    m: &Measure,
) -> Option<Vec<Range<usize>>> {
    const MAX_POINTS: usize = 400;
    let mut points = vec![(range.start, false)];
    points.extend(opportunities.iter().filter(|b| b.pos > range.start).map(|b| (b.pos, b.mandatory)));
    if points.len() > MAX_POINTS {
        return None;
    }
    // best[i]: (lines, cost, previous point) of the best way to end a line at point i.
    let mut best: Vec<Option<(usize, f32, usize)>> = vec![None; points.len()];
    best[0] = Some((0, 0.0, 0));
    for i in 1..points.len() {
        for j in (0..i).rev() {
            // A line never runs over a mandatory break.
            if j + 1 < i && points[j + 1..i].iter().any(|p| p.1) {
                break;
            }
            let Some((lines, cost, _)) = best[j] else { continue };
            let w = m.line(text, points[j].0, points[i].0).0;
            if w > width + 0.01 {
                break;
            }
            let lone = if is_lone_short_word(&text[points[j].0..points[i].0]) { width * width } else { 0.0 };
            let candidate = (lines + 1, cost + (width - w).powi(2) + lone, j);
            if best[i].is_none_or(|b| (candidate.0, candidate.1) < (b.0, b.1)) {
                best[i] = Some(candidate);
            }
        }
    }
    let mut out = Vec::new();
    let mut i = points.len() - 1;
    while i > 0 {
        let (_, _, j) = best[i]?;
        out.push(points[j].0..points[i].0);
        i = j;
    }
    out.reverse();
    Some(out)
}

/// Whether a line holds a single word of three letters or fewer (or a lone
/// number), which reads as a stray line in a heading or a centred closing.
fn has_lone_short_word(text: &str, lines: &[Range<usize>]) -> bool {
    lines.len() > 1 && lines.iter().any(|r| is_lone_short_word(&text[r.clone()]))
}

/// Whether a line's text is a single short word or a lone number.
fn is_lone_short_word(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    words.len() == 1
        && words[0].chars().filter(|c| c.is_alphanumeric()).count() <= 4
        && (words[0].chars().filter(|c| c.is_alphabetic()).count() <= 3 || words[0].chars().all(|c| !c.is_alphabetic()))
}

/// Whether the last of several lines holds a single word.
fn ends_with_one_word(text: &str, lines: &[Range<usize>]) -> bool {
    lines.len() > 1 && lines.last().is_some_and(|r| text[r.clone()].split_whitespace().count() == 1)
}

/// The opportunities without those right after the hyphen of a compound (a
/// hyphen between two letters, as in «Worker-communist»): display text
/// keeps compounds whole on a line.
fn keep_compounds(text: &str, opportunities: &[BreakPoint]) -> Vec<BreakPoint> {
    let compound = |pos: usize| {
        let mut before = text[..pos].chars().rev();
        let hyphen = before.next().is_some_and(|c| matches!(c, '-' | '\u{2010}'));
        hyphen
            && before.next().is_some_and(char::is_alphabetic)
            && text[pos..].chars().next().is_some_and(char::is_alphabetic)
    };
    opportunities.iter().copied().filter(|b| b.mandatory || !compound(b.pos)).collect()
}
