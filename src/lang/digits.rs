//! Digit shapes per locale: Persian (۰–۹), Arabic-Indic (٠–٩) or Latin (0–9).
//!
//! Only digits that belong to Persian/Arabic text are converted: a number in
//! a word with Latin letters, a URL, an e-mail address or a handle keeps its
//! digits, and a number standing alone follows the nearest word around it
//! (the one before, else the one after). Decided per character over the
//! whole paragraph, so spans (bold, colour) do not change the decision.

use serde::{Deserialize, Serialize};
use unicode_script::{Script, UnicodeScript};

/// Which digits to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Digits {
    /// Leave digits as written.
    #[default]
    Keep,
    /// Extended Arabic-Indic digits ۰۱۲۳۴۵۶۷۸۹ (Persian, Urdu).
    Persian,
    /// Arabic-Indic digits ٠١٢٣٤٥٦٧٨٩ (Arabic).
    ArabicIndic,
    /// European digits 0123456789.
    Latin,
}

fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '\u{0660}'..='\u{0669}' => Some(c as u32 - 0x0660),
        '\u{06F0}'..='\u{06F9}' => Some(c as u32 - 0x06F0),
        _ => None,
    }
}

impl Digits {
    /// The digit `c` in this system (unchanged when `c` is not a digit or the system is `Keep`).
    pub fn map(self, c: char) -> char {
        let Some(v) = digit_value(c) else { return c };
        let base = match self {
            Digits::Keep => return c,
            Digits::Persian => 0x06F0,
            Digits::ArabicIndic => 0x0660,
            Digits::Latin => '0' as u32,
        };
        char::from_u32(base + v).unwrap_or(c)
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Arabic,
    Other,
    Neutral,
}

/// Whether a token is Latin-like: letters of another script, or the marks
/// of a URL, an e-mail address or a handle.
fn token_kind(token: &str) -> Kind {
    let mut arabic = false;
    let mut other = false;
    for c in token.chars() {
        if super::is_alphabetic(c) {
            if super::is_arabic_script(c) {
                arabic = true;
            } else if !matches!(c.script(), Script::Common | Script::Inherited) {
                other = true;
            }
        }
    }
    let urlish = token.contains("://") || token.contains("www.") || token.contains('@') || token.contains('/');
    if other || urlish {
        Kind::Other
    } else if arabic {
        Kind::Arabic
    } else {
        Kind::Neutral
    }
}

/// For each character of `text`, whether its digit (if it is one) should
/// become a digit of `to`: Persian and Arabic-Indic digits only in
/// Arabic-script context, Latin digits everywhere.
pub(crate) fn convertible(text: &str, to: Digits) -> Vec<bool> {
    let arabic = arabic_context(text);
    if to == Digits::Latin {
        // Latin digits are asked for everywhere: URLs and handles have them already.
        return vec![true; arabic.len()];
    }
    arabic
}

/// For each character of `text`, whether it sits in Arabic-script context.
fn arabic_context(text: &str) -> Vec<bool> {
    let tokens: Vec<(usize, &str)> = {
        let mut v = Vec::new();
        let mut chars = 0;
        for piece in text.split_inclusive(char::is_whitespace) {
            v.push((chars, piece));
            chars += piece.chars().count();
        }
        v
    };
    let kinds: Vec<Kind> = tokens.iter().map(|(_, t)| token_kind(t.trim_end())).collect();
    // The nearest token with a script before and after each one, found in
    // two passes (a paragraph of ten thousand numbers stays linear).
    let mut before: Vec<Option<Kind>> = Vec::with_capacity(kinds.len());
    let mut last = None;
    for k in &kinds {
        before.push(last);
        if *k != Kind::Neutral {
            last = Some(*k);
        }
    }
    let mut after: Vec<Option<Kind>> = vec![None; kinds.len()];
    let mut next = None;
    for (i, k) in kinds.iter().enumerate().rev() {
        after[i] = next;
        if *k != Kind::Neutral {
            next = Some(*k);
        }
    }
    let mut out = vec![false; text.chars().count()];
    for (i, (start, tok)) in tokens.iter().enumerate() {
        let convert = match kinds[i] {
            Kind::Arabic => true,
            Kind::Other => false,
            Kind::Neutral => {
                match before[i].or(after[i]) {
                    Some(k) => k == Kind::Arabic,
                    // A paragraph of numbers only: the style asked for these digits.
                    None => true,
                }
            }
        };
        for k in 0..tok.chars().count() {
            out[start + k] = convert;
        }
    }
    out
}

/// Convert the digits of `text` that sit in Arabic-script context.
///
/// ```
/// use nashr::lang::digits::{convert, Digits};
/// assert_eq!(convert("در روزهای 12 تا 14 آذر", Digits::Persian), "در روزهای ۱۲ تا ۱۴ آذر");
/// assert_eq!(convert("سایت: www.site2.org", Digits::Persian), "سایت: www.site2.org");
/// ```
pub fn convert(text: &str, to: Digits) -> String {
    if to == Digits::Keep {
        return text.to_string();
    }
    let ctx = convertible(text, to);
    text.chars().zip(ctx).map(|(c, yes)| if yes { to.map(c) } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_text_gets_persian_digits() {
        assert_eq!(convert("۴۲ سال و 12 روز", Digits::Persian), "۴۲ سال و ۱۲ روز");
        assert_eq!(convert("۱۳ آبان ۱۴۰۰ (4 نوامبر 2021)", Digits::Persian), "۱۳ آبان ۱۴۰۰ (۴ نوامبر ۲۰۲۱)");
    }

    #[test]
    fn urls_handles_and_latin_words_keep_their_digits() {
        let t = "پیامگیر: wpi_tamas2@ و www.wpiran2.org و نسخه v3";
        assert_eq!(convert(t, Digits::Persian), t);
        assert_eq!(convert("کد Windows 11 را", Digits::Persian), "کد Windows 11 را");
    }

    #[test]
    fn a_lone_number_follows_the_word_before_it() {
        assert_eq!(convert("سال 1400", Digits::Persian), "سال ۱۴۰۰");
        assert_eq!(convert("year 1400 سال", Digits::Persian), "year 1400 سال");
        // A paragraph of digits only (a phone number) converts.
        assert_eq!(convert("0046700447425", Digits::Persian), "۰۰۴۶۷۰۰۴۴۷۴۲۵");
    }

    #[test]
    fn latin_digits_go_everywhere() {
        assert_eq!(convert("Hello ۱۲ and سلام ۱۲", Digits::Latin), "Hello 12 and سلام 12");
        assert_eq!(convert("۰۰۴۶۷۰۰۴۴۷۴۲۵", Digits::Latin), "0046700447425");
    }

    #[test]
    fn other_systems_and_keep() {
        assert_eq!(convert("سال ۱۴۰۰", Digits::ArabicIndic), "سال ١٤٠٠");
        assert_eq!(convert("سال ۱۴۰۰", Digits::Latin), "سال 1400");
        assert_eq!(convert("سال 1400", Digits::Keep), "سال 1400");
    }
}
