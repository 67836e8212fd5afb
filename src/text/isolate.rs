//! Units that read left to right whatever surrounds them — web addresses,
//! e-mail addresses, `@handles`, Latin `#hashtags`, phone numbers and file
//! paths — recognised in a paragraph's text and laid out as isolated
//! left-to-right units in right-to-left paragraphs, as chat apps do.
//!
//! Without it, the Unicode bidi algorithm lets the neutral characters of a
//! unit take the paragraph's direction: `@sokhan_saraayan` typed correctly
//! in a Persian line shows as `sokhan_saraayan@`, the groups of
//! `+46 70 044 74 25` come out in reverse order, and a handle next to a
//! web address swaps places with it. Isolating a unit gives it the
//! levels it would have as a left-to-right paragraph of its own (UAX #9
//! isolates, without adding characters to the text), so the extracted text
//! stays exactly what was typed. Inside a unit a line may only break after
//! an address's own `/`, `.` or `-`.

use std::ops::Range;
use unicode_bidi::{BidiInfo, Level};

/// What kind of unit a piece of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A web address (`https://…`, `www.…`, `name.org/…`) or a file path.
    Address,
    /// An e-mail address, an `@handle`, a `#hashtag` or a phone number: never broken.
    Whole,
}

/// A left-to-right unit: its byte range and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unit {
    pub(crate) range: Range<usize>,
    pub(crate) kind: Kind,
}

/// Characters that end a sentence or a clause after a unit, not part of it.
fn is_trailing_punct(c: char) -> bool {
    matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '}' | '»' | '"' | '\'' | '،' | '؛' | '؟' | '…')
}

/// Characters that open a quotation or a bracket before a unit.
fn is_leading_punct(c: char) -> bool {
    matches!(c, '(' | '[' | '{' | '«' | '"' | '\'')
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('۰'..='۹').contains(&c) || ('٠'..='٩').contains(&c)
}

fn is_ascii_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The units of `text`, in order, not overlapping.
pub(crate) fn units(text: &str) -> Vec<Unit> {
    let mut out = phone_numbers(text);
    for word in words(text) {
        if out.iter().any(|u| u.range.start < word.end && word.start < u.range.end) {
            continue;
        }
        if let Some(unit) = classify(text, word) {
            out.push(unit);
        }
    }
    out.sort_by_key(|u| u.range.start);
    out
}

/// Maximal runs of characters that are not white space, as byte ranges.
fn words(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                out.push(s..i);
            }
        } else {
            start.get_or_insert(i);
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

/// The unit a white-space-delimited word holds, if any: its core without
/// leading brackets and trailing punctuation, classified.
fn classify(text: &str, word: Range<usize>) -> Option<Unit> {
    let w = &text[word.clone()];
    let lead = w.len() - w.trim_start_matches(is_leading_punct).len();
    let core_end = w.trim_end_matches(is_trailing_punct).len();
    if core_end <= lead {
        return None;
    }
    let core = &w[lead..core_end];
    let range = word.start + lead..word.start + core_end;
    let kind = if is_url(core) || is_path(core) {
        Kind::Address
    } else if is_email(core) || is_handle(core) || is_hashtag(core) {
        Kind::Whole
    } else {
        return None;
    };
    Some(Unit { range, kind })
}

fn is_url(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    if ["http://", "https://", "ftp://", "mailto:"].iter().any(|p| lower.starts_with(p)) && s.len() > 8 {
        return true;
    }
    if lower.starts_with("www.") && s.len() > 5 {
        return true;
    }
    // name.tld or name.tld/path: ASCII labels, the last one letters.
    let host = s.split(['/', '?', '#']).next().unwrap_or("");
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && labels.last().is_some_and(|t| t.len() >= 2 && t.chars().all(|c| c.is_ascii_alphabetic()))
        && labels[0].chars().any(|c| c.is_ascii_alphabetic())
}

fn is_path(s: &str) -> bool {
    let unix = (s.starts_with('/') || s.starts_with("~/") || s.starts_with("./")) && s.matches('/').count() >= 2;
    let windows = s.len() > 3 && s.as_bytes()[0].is_ascii_alphabetic() && s[1..].starts_with(":\\");
    (unix || windows) && s.is_ascii()
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && local.chars().all(|c| is_ascii_word(c) || matches!(c, '.' | '-' | '+'))
        && is_url(domain)
        && !domain.contains('/')
}

fn is_handle(s: &str) -> bool {
    s.strip_prefix('@')
        .is_some_and(|h| h.chars().next().is_some_and(is_ascii_word) && h.chars().all(|c| is_ascii_word(c) || c == '.'))
}

fn is_hashtag(s: &str) -> bool {
    // Only Latin tags read left to right; a Persian tag reads with its line.
    s.strip_prefix('#')
        .is_some_and(|h| h.chars().any(|c| c.is_ascii_alphabetic()) && h.chars().all(|c| is_ascii_word(c) || c == '-'))
}

/// Phone numbers: an optional `+`, then digits (any script) in groups
/// separated by single spaces, hyphens, dots or brackets, with at least
/// seven digits and either a `+` or more than one group.
fn phone_numbers(text: &str) -> Vec<Unit> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let starts = (c == '+' || c == '(' || is_digit(c))
            && (i == 0 || !(chars[i - 1].1.is_alphanumeric() || chars[i - 1].1 == '+'));
        if !starts {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let mut digits = is_digit(c) as usize;
        let mut groups = 1;
        let mut last_digit = if is_digit(c) { Some(i) } else { None };
        while j < chars.len() {
            let d = chars[j].1;
            if is_digit(d) {
                digits += 1;
                last_digit = Some(j);
            } else if matches!(d, ' ' | '-' | '.' | '(' | ')' | '\u{00A0}') {
                // A separator must be followed by a digit (or a bracket) to go on.
                let next = chars.get(j + 1).map(|x| x.1);
                if !next.is_some_and(|n| is_digit(n) || n == '(') {
                    break;
                }
                groups += 1;
            } else {
                break;
            }
            j += 1;
        }
        let plus = c == '+';
        match last_digit {
            Some(end) if digits >= 7 && (plus || groups > 1) => {
                let next_is_word = chars.get(end + 1).is_some_and(|x| x.1.is_alphanumeric());
                if !next_is_word {
                    let (e, ch) = chars[end];
                    out.push(Unit { range: start..e + ch.len_utf8(), kind: Kind::Whole });
                }
                i = end + 1;
            }
            _ => i = j.max(i + 1),
        }
    }
    out
}

/// The bidi levels of `text` with its units isolated (UAX #9 isolates,
/// without adding characters): outside the units, levels are resolved as
/// if each unit were one neutral character — so the separators between
/// two units follow the paragraph, and a unit never decides an `auto`
/// paragraph's direction — and inside each unit, levels are those of a
/// left-to-right paragraph of its own, raised to the next even level above
/// the paragraph's (an Arabic word in an address's path still reads right
/// to left).
pub(crate) fn bidi_info<'t>(
    text: &'t str,
    default_level: Option<Level>,
    units: &[Unit],
    isolates: &[(Range<usize>, bool)],
) -> BidiInfo<'t> {
    if units.is_empty() && isolates.is_empty() {
        return BidiInfo::new(text, default_level);
    }
    let masked: Vec<Range<usize>> =
        isolates.iter().map(|(r, _)| r.clone()).chain(units.iter().map(|u| u.range.clone())).collect();
    let masked = mask(text, &masked);
    let outer = BidiInfo::new(&masked, default_level);
    let mut levels = outer.levels;
    let paragraphs = outer.paragraphs;
    // Spans with a direction of their own, as UAX #9 isolates (RLI/LRI … PDI):
    // a neutral outside, their own paragraph inside, one level up.
    for (range, rtl) in isolates {
        let Some(para) = paragraphs.iter().find(|p| p.range.contains(&range.start)) else { continue };
        let outer_level = para.level.number();
        let base = if *rtl { outer_level + 1 + (outer_level % 2) } else { outer_level + 1 + (1 - outer_level % 2) };
        let own = if *rtl { Level::rtl() } else { Level::ltr() };
        let inner = BidiInfo::new(&text[range.clone()], Some(own));
        for (k, level) in inner.levels.iter().enumerate() {
            if let Ok(l) = Level::new(base + level.number() - own.number()) {
                levels[range.start + k] = l;
            }
        }
    }
    for unit in units {
        let Some(para) = paragraphs.iter().find(|p| p.range.contains(&unit.range.start)) else { continue };
        let base = para.level.number() + para.level.is_rtl() as u8;
        let inner = BidiInfo::new(&text[unit.range.clone()], Some(Level::ltr()));
        for (k, level) in inner.levels.iter().enumerate() {
            if let Ok(l) = Level::new(base + level.number()) {
                levels[unit.range.start + k] = l;
            }
        }
    }
    let original_classes = BidiInfo::new(text, default_level).original_classes;
    BidiInfo { text, original_classes, levels, paragraphs }
}

/// `text` with every character of every range replaced by as many `!` (a
/// neutral) as it has bytes, so byte offsets stay the same. Ranges may
/// overlap (a unit inside a span with a direction).
fn mask(text: &str, ranges: &[Range<usize>]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for r in ranges {
        // Line breaks stay: they end bidi paragraphs.
        bytes[r.clone()].iter_mut().filter(|b| !matches!(b, b'\n' | b'\r')).for_each(|b| *b = b'!');
    }
    // Whole characters were replaced byte for byte: still UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|_| "!".repeat(text.len()))
}

/// Whether a line may end at byte `pos`, as far as the units go: not
/// inside an e-mail, a handle, a hashtag or a phone number, and inside an
/// address only right after its own `/`, `.`, `-`, `?`, `&` or `=`.
pub(crate) fn may_break(text: &str, units: &[Unit], pos: usize) -> bool {
    match units.iter().find(|u| u.range.start < pos && pos < u.range.end) {
        None => true,
        Some(Unit { kind: Kind::Whole, .. }) => false,
        Some(Unit { kind: Kind::Address, .. }) => {
            text[..pos].chars().next_back().is_some_and(|c| matches!(c, '/' | '.' | '-' | '?' | '&' | '='))
        }
    }
}

/// Places inside addresses where a line may break that UAX #14 does not
/// offer (after a `.` or `-` followed by more of the address).
pub(crate) fn extra_breaks(text: &str, units: &[Unit]) -> Vec<usize> {
    let mut out = Vec::new();
    for u in units.iter().filter(|u| u.kind == Kind::Address) {
        for (i, c) in text[u.range.clone()].char_indices() {
            let pos = u.range.start + i + c.len_utf8();
            if matches!(c, '/' | '.' | '-') && pos < u.range.end {
                out.push(pos);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        units(text).into_iter().map(|u| &text[u.range]).collect()
    }

    #[test]
    fn addresses_handles_tags_and_numbers_are_found() {
        assert_eq!(found("پیام به @sokhan_saraayan بدهید."), vec!["@sokhan_saraayan"]);
        assert_eq!(found("#tag · @sulibookfair · sulibookfair.krd"), vec!["#tag", "@sulibookfair", "sulibookfair.krd"]);
        assert_eq!(found("وب سایت: www.wpiran.org."), vec!["www.wpiran.org"]);
        assert_eq!(found("(https://fa.wikipedia.org/wiki/کمونیسم)"), vec!["https://fa.wikipedia.org/wiki/کمونیسم"]);
        assert_eq!(found("نامه به info@wpiran.org بفرستید"), vec!["info@wpiran.org"]);
        assert_eq!(found("تلفن: +46 70 044 74 25 یا ۰۰۴۶۷۰۰۴۴۷۴۲۵"), vec!["+46 70 044 74 25"]);
        assert_eq!(found("فایل /home/user/notes.txt را ببینید"), vec!["/home/user/notes.txt"]);
    }

    #[test]
    fn ordinary_text_is_not_a_unit() {
        for text in ["۱۲ تا ۱۴ آذر ۱۴۰۰", "e.g. this, v3.2 and 2021", "#کنگره", "wpi_tamas@", "۴۲ سال", "Dr. Smith."]
        {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn lines_break_inside_addresses_only_at_their_separators() {
        let text = "سایت https://fa.wikipedia.org/wiki/x و @a_b";
        let u = units(text);
        let slash = text.find("wiki/").unwrap() + "wiki/".len();
        assert!(may_break(text, &u, slash));
        assert!(!may_break(text, &u, text.find("pedia").unwrap()));
        assert!(!may_break(text, &u, text.find("_b").unwrap()));
        assert!(may_break(text, &u, text.find(" و").unwrap()));
    }
}
