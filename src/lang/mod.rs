//! Language rules that the model and the text engine both use: which
//! languages are written right to left, which have hyphenation patterns,
//! digit shapes per locale ([`digits`]) and the Persian normaliser
//! ([`normalize`]).
//!
//! This module sits below both `model` and `text`, so the model never
//! imports the text engine. It knows nothing of layouts, fonts or PDF.

pub mod digits;
pub mod normalize;

/// The ISO 639-1 code of a language whose hyphenation patterns nashr has.
pub(crate) fn hyphenation_language(tag: &str) -> Option<[u8; 2]> {
    let b = tag.split(['-', '_']).next()?.as_bytes();
    let code = [b.first()?.to_ascii_lowercase(), b.get(1)?.to_ascii_lowercase()];
    (b.len() == 2 && hypher::Lang::from_iso(code).is_some()).then_some(code)
}

/// Whether justified text in this language takes kashida unless told
/// otherwise: not Kurdish (Sorani `ckb`, `ku`), whose setting stretches
/// spaces, not words.
pub fn kashida_by_default(tag: &str) -> bool {
    let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    !matches!(primary.as_str(), "ckb" | "ku" | "kmr" | "sdh")
}

/// Whether a BCP 47 language tag names a language written right to left.
pub(crate) fn is_rtl_language(tag: &str) -> bool {
    let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    matches!(
        primary.as_str(),
        "fa" | "ar" | "he" | "ur" | "ckb" | "ps" | "sd" | "ug" | "yi" | "dv" | "ku" | "prs" | "syr"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rtl_languages_and_hyphenation() {
        assert!(is_rtl_language("fa") && is_rtl_language("ckb-IQ") && !is_rtl_language("en"));
        assert_eq!(hyphenation_language("en-GB"), Some(*b"en"));
        assert_eq!(hyphenation_language("fa"), None);
    }
}
