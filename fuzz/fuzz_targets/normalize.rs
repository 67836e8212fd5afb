//! Pasted text through the Persian normaliser and its report: the fixed
//! text must itself be a fixed point.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (fixed, changes) = nashr::lang::normalize::normalize(text);
    let _ = nashr::lang::normalize::report(text, &changes);
    let (again, more) = nashr::lang::normalize::normalize(&fixed);
    assert_eq!(again, fixed, "normalising twice changes the text: {more:?}");
});
