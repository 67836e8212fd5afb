//! A whole layout file from the fuzzer: parsed, resolved, laid out and
//! written as PDF and PNG.
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let name = concat!(env!("CARGO_MANIFEST_DIR"), "/../layouts/fuzz.toml");
    if let Ok(doc) = common::engine().load_str(name, text) {
        common::render(&doc);
    }
});
