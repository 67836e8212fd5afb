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

/// The index of `c` in the Arabic block (U+0600–U+06FF), where Persian
/// text spends nearly all its characters.
pub(crate) fn arabic_block(c: char) -> Option<usize> {
    (c as u32).checked_sub(0x600).filter(|&i| i < 0x100).map(|i| i as usize)
}

/// Character properties of the Arabic block, looked up once: Unicode's
/// general lookups binary-search their tables for every non-ASCII
/// character, which was a visible share of setting a Persian page.
struct ArabicBlock {
    alphabetic: [bool; 256],
    arabic_script: [bool; 256],
}

static ARABIC_BLOCK: std::sync::LazyLock<ArabicBlock> = std::sync::LazyLock::new(|| {
    use unicode_script::{Script, UnicodeScript};
    let mut block = ArabicBlock { alphabetic: [false; 256], arabic_script: [false; 256] };
    for (i, c) in (0..256u32).filter_map(|i| char::from_u32(0x600 + i)).enumerate() {
        block.alphabetic[i] = c.is_alphabetic();
        block.arabic_script[i] = c.script() == Script::Arabic;
    }
    block
});

/// [`char::is_alphabetic`], quick for ASCII and the Arabic block.
pub(crate) fn is_alphabetic(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    match arabic_block(c) {
        Some(i) => ARABIC_BLOCK.alphabetic[i],
        None => c.is_alphabetic(),
    }
}

/// Whether `c` is of the Arabic script, quick for the Arabic block.
pub(crate) fn is_arabic_script(c: char) -> bool {
    use unicode_script::{Script, UnicodeScript};
    match arabic_block(c) {
        Some(i) => ARABIC_BLOCK.arabic_script[i],
        None => !c.is_ascii() && c.script() == Script::Arabic,
    }
}

#[cfg(test)]
mod block_tests {
    use super::*;
    use unicode_script::{Script, UnicodeScript};

    #[test]
    fn quick_lookups_agree_with_unicode() {
        for c in (0..0x3000u32).filter_map(char::from_u32) {
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_arabic_script(c), c.script() == Script::Arabic, "{c:?}");
        }
    }
}
