//! Where a kashida (tatweel, U+0640) may lengthen a word, and which place in
//! each word is the best.
//!
//! Rules followed (one place per word; the best priority wins, and between
//! equals the one nearest the end of the word), as in the kashida
//! priorities Microsoft published for Arabic justification, Titus Nemeth's
//! *On Arabic justification*, LibreOffice's `kashida.cxx` and W3C alreq §5:
//!
//! 1. after a tatweel the user typed;
//! 2. after a seen- or sad-family letter (س ش ص ض) that joins the next letter;
//! 3. before the final form of teh marbuta, heh or dal family (ة ه د ذ);
//! 4. before the final form of alef, tah family, lam, kaf or gaf (ا ط ظ ل ک گ);
//! 5. before a medial beh-family letter followed by reh, yeh or alef maksura;
//! 6. before the final form of waw, ain family, qaf or feh (و ع غ ق ف);
//! 7. before the final form of any other letter that joins the previous one.
//!
//! Never: between letters that do not join (after ا د ذ ر ز ژ و, at a ZWNJ),
//! inside lam-alef, before a word-final yeh, in a suffix after a ZWNJ
//! («دیوان‌های» may stretch «دیوان», never «های»), in a word shorter than
//! the paragraph's minimum (four letters in ordinary text: not «حزب»، «همه»،
//! «که»), in a word that is not in Arabic script. The caller inserts U+0640
//! into the logical text at the returned offset and shapes again, so the
//! font picks the right forms.

use std::ops::Range;
use unicode_joining_type::{JoiningGroup as G, JoiningType as J, get_joining_group, get_joining_type};

/// The chosen kashida place of one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KashidaPoint {
    /// Byte offset in the text where a U+0640 goes (before the second letter of the join).
    pub offset: usize,
    /// Rule number, 1 (best) to 7.
    pub priority: u8,
}

/// A word of a line and its best kashida place, if it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordKashida {
    pub word: Range<usize>,
    /// Letters in the word (for "longest words first").
    pub letters: usize,
    pub point: KashidaPoint,
}

fn joins_forward(c: char) -> bool {
    matches!(get_joining_type(c), J::DualJoining | J::JoinCausing | J::LeftJoining)
}

fn joins_backward(c: char) -> bool {
    matches!(get_joining_type(c), J::DualJoining | J::JoinCausing | J::RightJoining)
}

fn is_transparent(c: char) -> bool {
    get_joining_type(c) == J::Transparent
}

fn joined(a: char, b: char) -> bool {
    joins_forward(a) && joins_backward(b)
}

fn is_yeh(g: G) -> bool {
    matches!(g, G::Yeh | G::FarsiYeh | G::YehWithTail | G::YehBarree)
}

/// Suffixes written after a ZWNJ (plural, comparative, clitics), which a
/// kashida never stretches.
fn is_suffix(part: &str) -> bool {
    matches!(
        part,
        "ها" | "های"
            | "هایی"
            | "هایم"
            | "هایت"
            | "هایش"
            | "هایمان"
            | "هایتان"
            | "هایشان"
            | "تر"
            | "ترین"
            | "ای"
            | "ام"
            | "ات"
            | "اش"
            | "ایم"
            | "اید"
            | "اند"
            | "شان"
            | "مان"
            | "تان"
            | "یی"
            | "ی"
    )
}

/// The best kashida place in `word` (a byte range of `text` holding no
/// white space), or `None` when the word has no allowed place. In «کنگره»
/// it is between «گ» and the final «ر» (rule 7).
pub fn best_point(text: &str, word: Range<usize>) -> Option<KashidaPoint> {
    // Letters with their offsets; marks ride on the letter before them. A
    // suffix after a ZWNJ never stretches: its letters are left out.
    let w = &text[word.clone()];
    let suffix_start = w.rfind('\u{200C}').filter(|&z| is_suffix(&w[z + 3..])).unwrap_or(w.len());
    let letters: Vec<(usize, char)> = w[..suffix_start]
        .char_indices()
        .map(|(i, c)| (word.start + i, c))
        .filter(|(_, c)| !is_transparent(*c))
        .collect();
    if !letters.iter().any(|(_, c)| matches!(get_joining_type(*c), J::DualJoining | J::RightJoining)) {
        return None;
    }
    let mut best: Option<KashidaPoint> = None;
    for i in 0..letters.len().saturating_sub(1) {
        let (_, c1) = letters[i];
        let (off2, c2) = letters[i + 1];
        if !joined(c1, c2) || (c2 == '\u{0640}' && c1 != '\u{0640}') {
            continue;
        }
        let (g1, g2) = (get_joining_group(c1), get_joining_group(c2));
        // Inside lam-alef: never.
        if g1 == G::Lam && g2 == G::Alef {
            continue;
        }
        let next = letters.get(i + 2).map(|(_, c)| *c);
        let final2 = !next.is_some_and(|c3| joined(c2, c3));
        // Never before a word-final yeh.
        if final2 && is_yeh(g2) {
            continue;
        }
        let priority = if c1 == '\u{0640}' {
            1
        } else if matches!(g1, G::Seen | G::Sad) {
            2
        } else if final2 && matches!(g2, G::TehMarbuta | G::TehMarbutaGoal | G::Heh | G::HehGoal | G::Dal) {
            3
        } else if final2 && matches!(g2, G::Alef | G::Tah | G::Lam | G::Kaf | G::Gaf) {
            4
        } else if !final2
            && matches!(g2, G::Beh | G::Noon | G::Yeh | G::FarsiYeh)
            && next.is_some_and(|c3| matches!(get_joining_group(c3), G::Reh | G::Yeh | G::FarsiYeh))
        {
            5
        } else if final2 && matches!(g2, G::Waw | G::Ain | G::Qaf | G::Feh | G::AfricanQaf | G::AfricanFeh) {
            6
        } else if final2 {
            7
        } else {
            continue;
        };
        // Later places win ties: iterate forward and take `<=`.
        if best.is_none_or(|b| priority <= b.priority) {
            best = Some(KashidaPoint { offset: off2, priority });
        }
    }
    best
}

/// The words of `line` (split at white space) of at least `min_letters`
/// letters that have a kashida place.
pub fn line_points(text: &str, line: Range<usize>, min_letters: usize) -> Vec<WordKashida> {
    let mut out = Vec::new();
    let slice = &text[line.clone()];
    let mut start: Option<usize> = None;
    let push = |s: usize, e: usize, out: &mut Vec<WordKashida>| {
        let letters = text[s..e].chars().filter(|&c| crate::lang::is_alphabetic(c) && !is_transparent(c)).count();
        if letters < min_letters {
            return;
        }
        if let Some(point) = best_point(text, s..e) {
            out.push(WordKashida { word: s..e, letters, point });
        }
    };
    for (i, c) in slice.char_indices() {
        let pos = line.start + i;
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                push(s, pos, &mut out);
            }
        } else if start.is_none() {
            start = Some(pos);
        }
    }
    if let Some(s) = start {
        push(s, line.end, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word split at its kashida place, as «before|after».
    fn mark(word: &str) -> Option<(String, u8)> {
        best_point(word, 0..word.len()).map(|p| (format!("{}|{}", &word[..p.offset], &word[p.offset..]), p.priority))
    }

    #[test]
    fn seen_family_takes_priority_over_a_final_form() {
        assert_eq!(mark("کمونیست"), Some(("کمونیس|ت".into(), 2)));
        assert_eq!(mark("نویسندگان"), Some(("نویس|ندگان".into(), 2)));
        assert_eq!(mark("شکل"), Some(("ش|کل".into(), 2)));
        // «سیاسی»: the second «س» is followed by a word-final yeh (never),
        // so the first one takes it.
        assert_eq!(mark("سیاسی"), Some(("س|یاسی".into(), 2)));
    }

    #[test]
    fn final_heh_and_dal_family() {
        assert_eq!(mark("جامعه"), Some(("جامع|ه".into(), 3)));
        assert_eq!(mark("میکند"), Some(("میکن|د".into(), 3)));
        assert_eq!(mark("بگیرید"), Some(("بگیری|د".into(), 3)));
        assert_eq!(mark("اعدام"), Some(("اع|دام".into(), 3)));
    }

    #[test]
    fn final_alef_lam_kaf_gaf_and_ties_go_to_the_end() {
        assert_eq!(mark("تمام"), Some(("تم|ام".into(), 4)));
        assert_eq!(mark("کاری"), Some(("ک|اری".into(), 4)));
        // Two rule-4 places: the later one wins.
        assert_eq!(mark("مقابل"), Some(("مقاب|ل".into(), 4)));
    }

    #[test]
    fn medial_beh_before_reh_or_yeh_then_waw_ain_qaf_feh_then_any_final() {
        assert_eq!(mark("کتبی"), Some(("کت|بی".into(), 5)));
        assert_eq!(mark("حکومت"), Some(("حک|ومت".into(), 6)));
        assert_eq!(mark("کنگره"), Some(("کنگ|ره".into(), 7)));
        assert_eq!(mark("حزب"), Some(("ح|زب".into(), 7)));
    }

    #[test]
    fn never_inside_lam_alef_or_after_non_joining_letters() {
        // «تلاش»: ت→ل is not final, ل→ا is lam-alef, ا→ش does not join.
        assert_eq!(mark("تلاش"), None);
        assert_eq!(mark("اسلامی"), Some(("اس|لامی".into(), 2)));
        for w in ["و", "در", "زور", "آزاد"] {
            assert_eq!(mark(w), None, "{w}");
        }
    }

    #[test]
    fn never_before_final_yeh_nor_across_zwnj() {
        assert_eq!(mark("علی"), None);
        // «می‌داند»: the ZWNJ breaks the join; only «ن→د» is left.
        assert_eq!(mark("می\u{200C}داند"), Some(("می\u{200C}دان|د".into(), 3)));
    }

    #[test]
    fn latin_words_have_none() {
        assert_eq!(mark("www.wpiran.org"), None);
        assert_eq!(mark("۱۴۰۰"), None);
    }

    #[test]
    fn typed_tatweel_is_the_first_choice() {
        assert_eq!(mark("کـتاب").map(|m| m.1), Some(1));
    }

    #[test]
    fn line_points_skip_words_without_a_place() {
        let text = "در کنگره حزب کمونیست";
        let pts = line_points(text, 0..text.len(), 3);
        let words: Vec<&str> = pts.iter().map(|p| &text[p.word.clone()]).collect();
        assert_eq!(words, vec!["کنگره", "حزب", "کمونیست"]);
        // Ordinary text: no kashida in words under four letters.
        let pts = line_points(text, 0..text.len(), 4);
        let words: Vec<&str> = pts.iter().map(|p| &text[p.word.clone()]).collect();
        assert_eq!(words, vec!["کنگره", "کمونیست"]);
    }

    #[test]
    fn a_suffix_after_a_zwnj_never_stretches() {
        // «دیوان‌های»: the stem «دیوان» may (before its final «ن»), «های» may not.
        assert_eq!(mark("دیوان\u{200C}های"), Some(("دی|وان\u{200C}های".into(), 6)));
        assert_eq!(mark("کتاب\u{200C}ها"), Some(("کت|اب\u{200C}ها".into(), 4)));
        for word in ["همایش\u{200C}های", "بزرگ\u{200C}ترین", "خانه\u{200C}ای", "تشکل\u{200C}هایشان"]
        {
            let p = best_point(word, 0..word.len()).expect("the stem has a place");
            assert!(p.offset < word.find('\u{200C}').unwrap(), "{word}: in the stem, not the suffix");
        }
        // A prefix before the ZWNJ is no suffix: the verb after it may stretch.
        assert_eq!(mark("می\u{200C}داند"), Some(("می\u{200C}دان|د".into(), 3)));
    }
}
