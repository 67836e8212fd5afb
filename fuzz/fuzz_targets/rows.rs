//! A data file (CSV or TOML rows) from the fuzzer, merged into the square
//! invitation: the rows parse or fail cleanly, and each row renders.
#![no_main]

#[path = "common.rs"]
mod common;

use nashr::LayoutSource;
use std::sync::OnceLock;

fn layout() -> &'static LayoutSource {
    static LAYOUT: OnceLock<LayoutSource> = OnceLock::new();
    LAYOUT.get_or_init(|| {
        LayoutSource::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../layouts/invitation-square.toml")).expect("the layout")
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let name = if kind & 1 == 0 { "rows.csv" } else { "rows.toml" };
    let engine = common::engine();
    let Ok(rows) = engine.rows_from_str(name, text) else { return };
    for row in rows.iter().take(3) {
        if let Ok(doc) = engine.load_with(layout(), None, Some(row)) {
            common::render(&doc);
        }
    }
});
