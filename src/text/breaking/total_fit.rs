//! Total-fit line breaking (Knuth–Plass) over a whole paragraph.
//!
//! Chooses among the UAX #14 opportunities the set of breaks with the least
//! total demerits, where a line's badness comes from how far its word
//! spaces and kashidas must stretch or shrink to fill the measure. It also
//! avoids a one-word last line, avoids leaving a number alone at a line end
//! when the next word could join it, and avoids a very tight line next to a
//! very loose one. Works on byte offsets and a metrics function, so it knows
//! nothing about fonts or direction.

use super::opportunities::BreakPoint;
use std::ops::Range;

/// What a candidate line can do.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineMetrics {
    /// Width with natural spaces, without trailing white space.
    pub natural: f32,
    /// How much it may grow (spaces up to their maximum, kashidas).
    pub stretch: f32,
    /// How much it may shrink (spaces down to their minimum).
    pub shrink: f32,
    /// Words on the line.
    pub words: usize,
}

/// Demerits added for a paragraph whose last line holds a single word.
pub const ONE_WORD_LAST_LINE: f32 = 40_000.0;
/// Demerits for two adjacent lines of very different tightness.
const FITNESS_JUMP: f32 = 3_000.0;
/// Demerits for two hyphenated lines in a row (TeX's \\doublehyphendemerits).
const DOUBLE_HYPHEN: f32 = 10_000.0;
/// Never more hyphenated lines in a row than this.
const MAX_HYPHENS_IN_A_ROW: u8 = 2;
/// Base cost of a line (keeps the number of lines down).
const LINE_PENALTY: f32 = 10.0;

#[derive(Debug, Clone)]
struct Node {
    pos: usize,
    demerits: f32,
    prev: Option<usize>,
    fitness: u8,
    line: usize,
    /// Hyphenated lines in a row ending here.
    hyphens: u8,
}

fn fitness(r: f32) -> u8 {
    if r < -0.5 {
        0
    } else if r <= 0.5 {
        1
    } else if r <= 1.0 {
        2
    } else {
        3
    }
}

/// The adjustment ratio of a line: −1…0 shrinking, 0…1 stretching within
/// limits, above 1 looser than the limits allow.
fn ratio(m: &LineMetrics, width: f32, last: bool) -> f32 {
    let d = width - m.natural;
    if last && d >= 0.0 {
        return 0.0;
    }
    if d >= 0.0 {
        if m.stretch > 0.0 {
            d / m.stretch
        } else if d < 0.01 {
            0.0
        } else {
            1_000.0
        }
    } else if m.shrink > 0.0 {
        d / m.shrink
    } else if d > -0.01 {
        0.0
    } else {
        f32::NEG_INFINITY
    }
}

/// Break `range` into lines of `width`, or `None` when no set of breaks
/// keeps every line within `tolerance` (ratio) without overfilling one.
///
/// `penalty(pos)` is an extra cost for breaking at `pos` (not applied at the
/// end of the paragraph). Mandatory breaks are always taken.
pub fn break_optimal(
    range: Range<usize>,
    opportunities: &[BreakPoint],
    width: f32,
    tolerance: f32,
    metrics: &impl Fn(usize, usize) -> LineMetrics,
    penalty: &impl Fn(usize) -> f32,
    hyphenated: &impl Fn(usize) -> bool,
) -> Option<Vec<Range<usize>>> {
    let mut lines = Vec::new();
    let (mut start, len) = (range.start, range.end);
    // Paragraph pieces between mandatory breaks are independent.
    for seg_end in opportunities.iter().filter(|b| b.mandatory).map(|b| b.pos).chain(std::iter::once(len)) {
        if seg_end <= start {
            continue;
        }
        let ops: Vec<usize> = opportunities.iter().map(|b| b.pos).filter(|&p| p > start && p <= seg_end).collect();
        let costs = Costs { metrics, penalty, hyphenated };
        lines.extend(break_segment(start, seg_end, &ops, width, tolerance, &costs)?);
        start = seg_end;
    }
    Some(lines)
}

/// What a candidate line costs: its metrics, the penalty of its break, and
/// whether it ends with a hyphen.
struct Costs<'c, M, P, H> {
    metrics: &'c M,
    penalty: &'c P,
    hyphenated: &'c H,
}

fn break_segment<M, P, H>(
    start: usize,
    end: usize,
    ops: &[usize],
    width: f32,
    tolerance: f32,
    costs: &Costs<M, P, H>,
) -> Option<Vec<Range<usize>>>
where
    M: Fn(usize, usize) -> LineMetrics,
    P: Fn(usize) -> f32,
    H: Fn(usize) -> bool,
{
    let (metrics, penalty) = (costs.metrics, costs.penalty);
    let mut nodes = vec![Node { pos: start, demerits: 0.0, prev: None, fitness: 1, line: 0, hyphens: 0 }];
    let mut active: Vec<usize> = vec![0];
    for &pos in ops {
        let last = pos == end;
        let hyphen = !last && (costs.hyphenated)(pos);
        let mut best: [Option<(f32, usize)>; 4] = [None; 4];
        let mut k = 0;
        while k < active.len() {
            let a = active[k];
            let m = metrics(nodes[a].pos, pos);
            let r = ratio(&m, width, last);
            if r < -1.0 {
                // Only grows from here: this start can never end a line again.
                active.swap_remove(k);
                continue;
            }
            k += 1;
            if r > tolerance || (hyphen && nodes[a].hyphens >= MAX_HYPHENS_IN_A_ROW) {
                continue;
            }
            let badness = 100.0 * r.abs().powi(3);
            let mut d = (LINE_PENALTY + badness).powi(2);
            if !last {
                let p = penalty(pos);
                d += p * p;
            } else if m.words == 1 && nodes[a].line > 0 {
                d += ONE_WORD_LAST_LINE;
            }
            if hyphen && nodes[a].hyphens > 0 {
                d += DOUBLE_HYPHEN;
            }
            let f = fitness(r);
            if f.abs_diff(nodes[a].fitness) > 1 && !last {
                d += FITNESS_JUMP;
            }
            let total = nodes[a].demerits + d;
            let slot = &mut best[f as usize];
            if slot.is_none_or(|(t, _)| total < t) {
                *slot = Some((total, a));
            }
        }
        for (f, b) in best.iter().enumerate() {
            if let Some((total, prev)) = *b {
                nodes.push(Node {
                    pos,
                    demerits: total,
                    prev: Some(prev),
                    fitness: f as u8,
                    line: nodes[prev].line + 1,
                    hyphens: if hyphen { nodes[prev].hyphens + 1 } else { 0 },
                });
                active.push(nodes.len() - 1);
            }
        }
        if active.is_empty() {
            return None;
        }
    }
    let end_node = (0..nodes.len())
        .filter(|&i| nodes[i].pos == end && i > 0)
        .min_by(|&a, &b| nodes[a].demerits.total_cmp(&nodes[b].demerits))?;
    let mut ranges = Vec::new();
    let mut cur = end_node;
    while let Some(p) = nodes[cur].prev {
        ranges.push(nodes[p].pos..nodes[cur].pos);
        cur = p;
    }
    ranges.reverse();
    Some(ranges)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::breaking::opportunities::{break_opportunities, trim_trailing_space};

    /// Monospace metrics: each character 1 wide, spaces stretch 0.5 and shrink 0.3.
    fn mono(text: &str) -> impl Fn(usize, usize) -> LineMetrics + '_ {
        move |a, b| {
            let r = trim_trailing_space(text, a..b);
            let s = &text[r];
            let spaces = s.chars().filter(|c| *c == ' ').count() as f32;
            LineMetrics {
                natural: s.chars().count() as f32,
                stretch: 0.5 * spaces,
                shrink: 0.3 * spaces,
                words: spaces as usize + 1,
            }
        }
    }

    fn run(text: &str, width: f32) -> Option<Vec<&str>> {
        let ops = break_opportunities(text);
        break_optimal(0..text.len(), &ops, width, 1.0, &mono(text), &|_| 0.0, &|_| false)
            .map(|v| v.into_iter().map(|r| text[r].trim_end()).collect())
    }

    #[test]
    fn avoids_a_one_word_last_line_when_it_can() {
        // First fit at 14 leaves «ddd» alone on the last line.
        let text = "bbbbb ee bbbbb gg bb cc ff ddd";
        let greedy = crate::text::breaking::opportunities::break_lines(
            0..text.len(),
            &break_opportunities(text),
            &[],
            14.0,
            |a, b| mono(text)(a, b).natural,
        );
        assert_eq!(&text[greedy.last().unwrap().clone()], "ddd");
        let lines = run(text, 14.0).unwrap();
        assert!(lines.last().unwrap().contains(' '), "{lines:?}");
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn evens_out_spacing_across_lines() {
        let text = "aaaa bbbb cc dddd eeee ff gggg";
        let lines = run(text, 12.0).unwrap();
        let m = mono(text);
        let mut pos = 0;
        for l in &lines[..lines.len() - 1] {
            let start = text[pos..].find(l).unwrap() + pos;
            let r = ratio(&m(start, start + l.len()), 12.0, false);
            pos = start + l.len();
            assert!(r.abs() <= 1.0, "line «{l}» ratio {r}");
        }
    }

    #[test]
    fn keeps_a_number_with_the_next_word() {
        // Without a penalty the best breaks leave «12» at a line end; with
        // it, the breaker pays a little looseness to keep «12 e» together.
        let text = "dddd dddd aaaa ffff aa aa dd aaa e a 12 e c aa";
        let ops = break_opportunities(text);
        let number_end = text.find("12 ").unwrap() + 3;
        let free = break_optimal(0..text.len(), &ops, 20.0, 1.0, &mono(text), &|_| 0.0, &|_| false).unwrap();
        assert!(free.iter().any(|r| r.end == number_end), "{free:?}");
        let pen = |pos: usize| if pos == number_end { 50.0 } else { 0.0 };
        let kept = break_optimal(0..text.len(), &ops, 20.0, 1.0, &mono(text), &pen, &|_| false).unwrap();
        assert!(kept.iter().all(|r| r.end != number_end), "{kept:?}");
    }

    #[test]
    fn mandatory_breaks_split_the_problem() {
        let lines = run("aa bb\ncc dd", 20.0).unwrap();
        assert_eq!(lines, vec!["aa bb", "cc dd"]);
    }

    #[test]
    fn overlong_word_has_no_solution() {
        assert!(run("abcdefghijklmnop qr", 5.0).is_none());
    }
}
