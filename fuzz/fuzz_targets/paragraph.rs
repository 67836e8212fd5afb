//! A paragraph's text from the fuzzer (inline markup, bidi, numbers,
//! addresses, marks), set justified with kashida in a frame whose width and
//! alignment come from the first bytes, then laid out and written.
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&shape, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let width = 20 + u32::from(shape & 0x3f) * 4;
    let align = ["justify", "start", "center", "end"][usize::from(shape >> 6)];
    let fit = if shape & 1 == 0 { "flow" } else { "shrink" };
    let escaped: String = text.chars().flat_map(|c| c.escape_default()).collect();
    let layout = format!(
        "[meta]\nlanguage = \"fa\"\n[page]\nsize = \"A6\"\nmargin = \"8mm\"\n\
         [styles.body]\nsize = \"10pt\"\nalign = \"{align}\"\n\
         [[frame]]\nwidth = \"{width}mm\"\nheight = \"60mm\"\nfit = \"{fit}\"\n\
         [[frame.block]]\ntype = \"paragraph\"\ntext = \"{escaped}\"\n"
    );
    let name = concat!(env!("CARGO_MANIFEST_DIR"), "/../layouts/fuzz.toml");
    if let Ok(doc) = common::engine().load_str(name, &layout) {
        common::render(&doc);
    }
});
