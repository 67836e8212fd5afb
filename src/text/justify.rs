//! Justification: stretching a line to the full measure the way Persian
//! typesetters do.
//!
//! Order of resort (W3C alreq §5, Nemeth, and common Persian practice):
//! word spaces stretch a little first (up to [`SPACE_FIRST`] of their
//! width); then kashidas take the rest, one per word at its best place
//! ([`super::kashida`]), the longest words first, each at least one tatweel
//! and at most [`kashida_max`] long, on at most half the words of the line;
//! whatever kashida cannot take goes back to the spaces. Joined script is
//! never letter-spaced. Spaces stay between [`SPACE_MIN`] and [`SPACE_MAX`]
//! of their natural width whenever the line breaker found such a solution.

use super::breaking::opportunities::trim_trailing_space;
use super::context::ParaCtx;
use super::{Line, LineGlyph};
use crate::model::Kashida;

/// Smallest word space, as a fraction of the natural space.
pub const SPACE_MIN: f32 = 0.85;
/// Largest word space the line breaker aims for.
pub const SPACE_MAX: f32 = 1.25;
/// Word spaces of hyphenated Latin-script text: TeX's interword glue
/// (⅓ em, stretch ⅙ em, shrink ⅑ em), as multiples of the space.
pub const LATIN_SPACE_MIN: f32 = 0.8;
/// See [`LATIN_SPACE_MIN`].
pub const LATIN_SPACE_MAX: f32 = 1.5;
/// Letter spacing Latin-script text may take, in ems per letter, when its
/// spaces alone would leave that range (a narrow column's emergency): a
/// little looser, a little tighter.
pub const LETTER_STRETCH: f32 = 0.03;
/// See [`LETTER_STRETCH`].
pub const LETTER_SHRINK: f32 = 0.015;
/// How far spaces stretch before kashida is used.
pub const SPACE_FIRST: f32 = 0.10;
/// Share of the words of a line (with a kashida place) that may get one.
pub const KASHIDA_WORD_SHARE: f32 = 0.5;

/// What kashida may do in a paragraph, by its [`Kashida`] setting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KashidaRules {
    /// Fewest letters a word needs to take a kashida.
    pub min_letters: usize,
    /// Share of a line's candidate words that ordinarily take one.
    pub word_share: f32,
    /// Longest kashida, in tatweels and in ems (the smaller wins).
    pub max_tatweels: f32,
    /// See `max_tatweels`.
    pub max_em: f32,
}

impl KashidaRules {
    /// The rules of a setting; `None` for no kashida.
    pub fn of(mode: Kashida) -> Option<KashidaRules> {
        match mode {
            Kashida::Off => None,
            Kashida::Auto => Some(AUTO),
            Kashida::Display => Some(KashidaRules { min_letters: 3, word_share: 1.0, max_tatweels: 4.0, max_em: 1.0 }),
        }
    }

    /// Longest kashida for a tatweel of width `tatweel` at font size `em`.
    pub fn max_len(&self, tatweel: f32, em: f32) -> f32 {
        (self.max_tatweels * tatweel).min(self.max_em * em).max(tatweel)
    }

    /// How many of `candidates` words carry a kashida on one line in the
    /// ordinary case.
    pub fn cap(&self, candidates: usize) -> usize {
        if candidates == 0 { 0 } else { ((candidates as f32 * self.word_share).ceil() as usize).max(1) }
    }

    /// Kashida length a line can take: full length on the ordinary share of
    /// its words, and half credit for the rest, which are used only when the
    /// spaces would otherwise open too wide (narrow columns).
    pub fn capacity(&self, candidates: usize, max_len: f32) -> f32 {
        let soft = self.cap(candidates);
        (soft as f32 + 0.5 * (candidates - soft) as f32) * max_len
    }
}

/// Longest kashida in ordinary text for a tatweel of width `tatweel` at
/// font size `em`: two and a half tatweels, but never more than 0.6 em.
pub fn kashida_max(tatweel: f32, em: f32) -> f32 {
    AUTO.max_len(tatweel, em)
}

/// The rules of ordinary text.
const AUTO: KashidaRules =
    KashidaRules { min_letters: 4, word_share: KASHIDA_WORD_SHARE, max_tatweels: 2.5, max_em: 0.6 };

/// Whether a glyph is an inter-word space that may stretch.
pub fn is_expansion_point(g: &LineGlyph) -> bool {
    matches!(g.text.as_str(), " " | "\u{00A0}" | "\u{3000}")
}

/// What a line needs from kashida: how much to add, what the spaces can
/// give, and which words may take a kashida.
#[derive(Debug, Clone)]
pub struct KashidaNeed {
    /// Width to add to the line.
    pub extra: f32,
    /// Total natural width of the line's word spaces.
    pub spaces: f32,
    /// Letter counts of the words that have a kashida place, in line order.
    pub words: Vec<usize>,
    /// Natural width of the tatweel glyph; `None` when the font has none.
    pub tatweel: Option<f32>,
    /// Font size (for the length cap).
    pub em: f32,
    /// What kashida may do.
    pub rules: KashidaRules,
}

/// Kashidas to insert: (index into `KashidaNeed::words`, length in points).
pub fn plan_kashida(need: &KashidaNeed) -> Vec<(usize, f32)> {
    let Some(tw) = need.tatweel else { return Vec::new() };
    if need.words.is_empty() || need.extra <= 0.0 || tw <= 0.0 {
        return Vec::new();
    }
    let first = need.extra.min(SPACE_FIRST * need.spaces);
    let for_kashida = need.extra - first;
    let mut lmax = need.rules.max_len(tw, need.em);
    // Ordinarily about half the words; all of them only when spaces alone
    // would open wider than SPACE_MAX.
    let soft = need.rules.cap(need.words.len());
    let spaces_left = |n: usize, lmax: f32| need.extra - n as f32 * lmax;
    let too_loose = |n: usize, lmax: f32| spaces_left(n, lmax) > (SPACE_MAX - 1.0) * need.spaces;
    let cap = if too_loose(soft, lmax) { need.words.len() } else { soft };
    // A line with few long words (a narrow column) would still open its
    // spaces too wide: its kashidas may grow to display length instead.
    if too_loose(cap, lmax) {
        lmax = KashidaRules::of(Kashida::Display).map_or(lmax, |d| d.max_len(tw, need.em)).max(lmax);
    }
    let n = if for_kashida >= tw {
        ((for_kashida / lmax).ceil() as usize).clamp(1, cap).min((for_kashida / tw).floor() as usize)
    } else if need.extra > (SPACE_MAX - 1.0) * need.spaces && need.extra - tw >= -(1.0 - SPACE_MIN) * need.spaces {
        // Spaces alone would be too loose and one short kashida fits.
        1
    } else {
        0
    };
    if n == 0 {
        return Vec::new();
    }
    // Longest words first; among equals, the earlier one.
    let mut order: Vec<usize> = (0..need.words.len()).collect();
    order.sort_by(|&a, &b| need.words[b].cmp(&need.words[a]).then(a.cmp(&b)));
    order.truncate(n);
    // Lengths follow the words: a longer word takes a longer kashida, and a
    // shorter one is capped shorter, so the kashidas of a line are not all
    // one length.
    let letters: usize = order.iter().map(|&i| need.words[i]).sum();
    let longest = order.iter().map(|&i| need.words[i]).max().unwrap_or(1).max(1) as f32;
    let mut chosen: Vec<(usize, f32)> = order
        .into_iter()
        .map(|i| {
            let cap = (lmax * (0.6 + 0.4 * need.words[i] as f32 / longest)).max(tw);
            (i, (for_kashida * need.words[i] as f32 / letters.max(1) as f32).clamp(tw, cap))
        })
        .collect();
    chosen.sort_by_key(|(i, _)| *i);
    chosen
}

/// Stretch (or shrink) the word spaces of `line` so it is exactly `width`
/// wide. A line without spaces keeps its width (the caller aligns it).
pub fn justify_spaces(line: &mut Line, width: f32) {
    reflow_positions(line);
    let extra = width - line.width;
    let spaces: f32 =
        line.runs.iter().flat_map(|r| &r.glyphs).filter(|g| is_expansion_point(g)).map(|g| g.advance).sum();
    if spaces <= 0.0 || extra.abs() < 1e-4 {
        return;
    }
    // Each space by the same factor of its own width (a bold space and a
    // regular one open alike).
    let factor = (1.0 + extra / spaces).max(0.0);
    for g in line.runs.iter_mut().flat_map(|r| r.glyphs.iter_mut()) {
        if is_expansion_point(g) {
            g.advance *= factor;
        }
    }
    reflow_positions(line);
}

/// Justify a line of Latin-script text to `width`: its word spaces stay
/// within [`LATIN_SPACE_MIN`]–[`LATIN_SPACE_MAX`] of their width while
/// letter spacing (at most [`LETTER_STRETCH`] em per letter looser,
/// [`LETTER_SHRINK`] tighter) takes what they cannot; whatever is left goes
/// back to the spaces. Joined scripts are never letter-spaced.
pub fn justify_latin(line: &mut Line, width: f32) {
    reflow_positions(line);
    let extra = width - line.width;
    let spaces: f32 =
        line.runs.iter().flat_map(|r| &r.glyphs).filter(|g| is_expansion_point(g)).map(|g| g.advance).sum();
    let (limit, per_letter) = if extra > 0.0 {
        ((LATIN_SPACE_MAX - 1.0) * spaces, LETTER_STRETCH)
    } else {
        ((1.0 - LATIN_SPACE_MIN) * spaces, LETTER_SHRINK)
    };
    let beyond = extra.abs() - limit;
    if beyond > 0.0 {
        let em: f32 =
            line.runs.iter().map(|r| r.size * r.glyphs.iter().filter(|g| is_trackable(g, r.rtl)).count() as f32).sum();
        if em > 0.0 {
            let f = (beyond / em).min(per_letter) * extra.signum();
            for run in &mut line.runs {
                let (size, rtl) = (run.size, run.rtl);
                for g in run.glyphs.iter_mut().filter(|g| is_trackable(g, rtl)) {
                    g.advance += f * size;
                }
            }
        }
    }
    justify_spaces(line, width);
}

/// Whether a glyph is a Latin letter that letter spacing may move.
fn is_trackable(g: &LineGlyph, rtl: bool) -> bool {
    !rtl && g.advance > 0.0
        && !g.text.is_empty()
        && g.text.chars().all(|c| !c.is_whitespace() && (c.is_ascii() || c.is_alphabetic() && c < '\u{0590}'))
}

/// Recompute pen positions from the advances, left to right.
pub fn reflow_positions(line: &mut Line) {
    let mut pen = 0.0;
    for g in line.runs.iter_mut().flat_map(|r| r.glyphs.iter_mut()) {
        g.x = pen;
        pen += g.advance;
    }
    line.width = pen;
}

/// Where to put kashidas on `line` to bring it to `width`, and how long
/// each is: (byte offset, length) pairs, empty when spaces alone should do it.
pub(super) fn kashida_insertions(ctx: &ParaCtx, line: &Line, width: f32) -> Vec<(usize, f32)> {
    let Some(rules) = KashidaRules::of(ctx.para.style.kashida) else { return Vec::new() };
    let visible = trim_trailing_space(ctx.text, line.range.clone());
    let Some(tatweel) = ctx.tatweel_width() else { return Vec::new() };
    // Only words whose face has a tatweel glyph.
    let words: Vec<super::kashida::WordKashida> = super::kashida::line_points(ctx.text, visible, rules.min_letters)
        .into_iter()
        .filter(|w| {
            ctx.items
                .iter()
                .find(|it| it.range.contains(&w.point.offset))
                .is_some_and(|it| ctx.book.face(it.face).glyph('\u{0640}').is_some())
        })
        .collect();
    let spaces: f32 =
        line.runs.iter().flat_map(|r| &r.glyphs).filter(|g| is_expansion_point(g)).map(|g| g.advance).sum();
    let need = KashidaNeed {
        extra: width - line.natural_width,
        spaces,
        words: words.iter().map(|w| w.letters).collect(),
        tatweel: Some(tatweel),
        em: ctx.primary().1,
        rules,
    };
    plan_kashida(&need).into_iter().map(|(i, len)| (words[i].point.offset, len)).collect()
}

/// Give each inserted tatweel its length from `lengths` (by the offset it
/// was inserted at), drawing as many overlapping tatweel glyphs as it takes
/// to cover it without a gap.
pub(super) fn stretch_kashidas(line: &mut Line, lengths: &[(usize, f32)]) {
    for run in &mut line.runs {
        let mut out = Vec::with_capacity(run.glyphs.len() + 4);
        for g in run.glyphs.drain(..) {
            let length = lengths.iter().find(|(o, _)| *o == g.cluster).map(|(_, l)| *l);
            let Some(length) = length.filter(|_| g.kashida && g.advance > 0.0) else {
                out.push(g);
                continue;
            };
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
    reflow_positions(line);
    line.natural_width = line.width;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn need(extra: f32, words: Vec<usize>) -> KashidaNeed {
        KashidaNeed { extra, spaces: 30.0, words, tatweel: Some(2.8), em: 10.0, rules: AUTO }
    }

    #[test]
    fn small_gaps_go_to_the_spaces() {
        // 2 pt over 30 pt of spaces is within the first 10 %.
        assert!(plan_kashida(&need(2.0, vec![5, 4, 6])).is_empty());
    }

    #[test]
    fn longest_words_first_and_at_most_half_the_words() {
        let plan = plan_kashida(&need(14.0, vec![3, 7, 5, 6]));
        assert_eq!(plan.iter().map(|p| p.0).collect::<Vec<_>>(), vec![1, 3], "the 7- and 6-letter words");
        for (_, l) in &plan {
            assert!(*l >= 2.8 && *l <= kashida_max(2.8, 10.0) + 1e-4);
        }
    }

    #[test]
    fn no_tatweel_glyph_means_no_kashida() {
        let mut n = need(20.0, vec![5]);
        n.tatweel = None;
        assert!(plan_kashida(&n).is_empty());
    }

    #[test]
    fn kashida_length_is_capped_and_the_rest_is_left_to_spaces() {
        // 9 pt: half the words (one) at full length leaves spaces within limits.
        let plan = plan_kashida(&need(9.0, vec![5, 5]));
        assert_eq!(plan.len(), 1, "ordinary cap: half of two words");
        // 100 pt: every word takes one, at the display maximum (a line far
        // too loose may stretch further than ordinary text), and no more.
        let plan = plan_kashida(&need(100.0, vec![5, 5]));
        assert_eq!(plan.len(), 2, "hard case: every word");
        let display = KashidaRules::of(Kashida::Display).unwrap().max_len(2.8, 10.0);
        assert!((plan[0].1 - display).abs() < 1e-4, "{} against {display}", plan[0].1);
        assert!(display > kashida_max(2.8, 10.0));
    }

    #[test]
    fn lengths_follow_the_words() {
        let plan = plan_kashida(&need(16.0, vec![9, 5, 4, 7]));
        let lengths: Vec<f32> = plan.iter().map(|p| p.1).collect();
        assert_eq!(plan.iter().map(|p| p.0).collect::<Vec<_>>(), vec![0, 3], "the two longest words");
        assert!(lengths[0] > lengths[1], "the longer word takes the longer kashida: {lengths:?}");
    }
}
