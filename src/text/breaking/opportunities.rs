//! Where a line may end (UAX #14 opportunities) and first-fit breaking
//! among them.
//!
//! Works on byte offsets and a width function, so it knows nothing about
//! fonts or direction: the paragraph is broken before any line is reordered.

use std::ops::Range;
use unicode_linebreak::BreakOpportunity;

/// A place where a line may end: the next line starts at `pos`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakPoint {
    pub pos: usize,
    pub mandatory: bool,
}

/// UAX #14 break opportunities of `text`, including the end of the text.
pub fn break_opportunities(text: &str) -> Vec<BreakPoint> {
    unicode_linebreak::linebreaks(text)
        .filter(|&(pos, _)| pos > 0)
        .map(|(pos, op)| BreakPoint { pos, mandatory: op == BreakOpportunity::Mandatory })
        .collect()
}

/// The end of `range` without trailing white space (spaces hang at a line end).
pub fn trim_trailing_space(text: &str, range: Range<usize>) -> Range<usize> {
    let trimmed = text[range.clone()].trim_end_matches(|c: char| c.is_whitespace());
    range.start..range.start + trimmed.len()
}

/// First-fit line breaking: take as much as fits on each line, at the
/// allowed opportunities. A piece with no opportunity that is wider than the
/// line is cut at the last `fallback` position that fits (cluster
/// boundaries), so nothing is ever lost off the edge.
///
/// `width(a, b)` is the natural width of the text `a..b` (trailing spaces
/// already excluded by the caller's measure).
pub fn break_lines(
    range: Range<usize>,
    opportunities: &[BreakPoint],
    fallback: &[usize],
    max_width: f32,
    width: impl Fn(usize, usize) -> f32,
) -> Vec<Range<usize>> {
    let fits = |a: usize, b: usize| width(a, b) <= max_width + 0.01;
    let len = range.end;
    let mut lines = Vec::new();
    let mut start = range.start;
    let mut i = 0;
    while start < len {
        while i < opportunities.len() && opportunities[i].pos <= start {
            i += 1;
        }
        let mut end = None;
        while i < opportunities.len() && fits(start, opportunities[i].pos) {
            end = Some(opportunities[i].pos);
            i += 1;
            if opportunities[i - 1].mandatory {
                break;
            }
        }
        let end = end.unwrap_or_else(|| {
            let next = opportunities.get(i).map_or(len, |b| b.pos);
            cut_overlong(start, next, fallback, &fits)
        });
        lines.push(start..end);
        start = end;
    }
    lines
}

/// Where to cut a piece `start..next` that is wider than the line: the last
/// fallback position that fits, or the first one past `start` when even
/// that does not fit, or `next` when there is nothing to cut at.
fn cut_overlong(start: usize, next: usize, fallback: &[usize], fits: &impl Fn(usize, usize) -> bool) -> usize {
    let mut inner = fallback.iter().copied().filter(|&p| p > start && p < next);
    let Some(first) = inner.next() else { return next };
    std::iter::once(first).chain(inner).take_while(|&p| fits(start, p)).last().unwrap_or(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Width = number of characters (trailing spaces excluded).
    fn chars_width(text: &str) -> impl Fn(usize, usize) -> f32 + '_ {
        move |a, b| {
            let r = trim_trailing_space(text, a..b);
            text[r].chars().count() as f32
        }
    }

    fn lines_of(text: &str, max: f32) -> Vec<&str> {
        let ops = break_opportunities(text);
        let fallback: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        break_lines(0..text.len(), &ops, &fallback, max, chars_width(text)).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn breaks_at_spaces_in_logical_order() {
        let text = "در کنگره حزب کمونیست کارگری شرکت کنید";
        let lines = lines_of(text, 14.0);
        assert_eq!(lines, vec!["در کنگره حزب ", "کمونیست کارگری ", "شرکت کنید"]);
    }

    #[test]
    fn mandatory_break_is_taken() {
        assert_eq!(lines_of("ab\ncd", 10.0), vec!["ab\n", "cd"]);
    }

    #[test]
    fn overlong_word_is_cut_not_lost() {
        let lines = lines_of("abcdefghij kl", 4.0);
        assert_eq!(lines.concat(), "abcdefghij kl");
        assert!(lines.iter().all(|l| l.trim_end().chars().count() <= 4), "{lines:?}");
    }

    #[test]
    fn zwnj_is_not_a_break_opportunity() {
        // «می‌داند» with ZWNJ is one word: no break inside it.
        let text = "او می\u{200C}داند";
        let ops = break_opportunities(text);
        assert_eq!(ops.iter().map(|b| b.pos).collect::<Vec<_>>(), vec!["او ".len(), text.len()]);
    }

    #[test]
    fn handle_and_url_stay_whole() {
        let text = "پیامگیر تلگرام: wpi_tamas@";
        let ops: Vec<usize> = break_opportunities(text).iter().map(|b| b.pos).collect();
        assert!(!ops.contains(&(text.len() - 1)), "no break before the trailing @");
    }
}
