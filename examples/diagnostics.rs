//! Reading what went wrong, as data: a mistake in a layout has a file, a
//! line and a column; text that does not fit names its frame; a render's
//! warnings list characters no font has; preflight lists what a print shop
//! would object to.
//!
//!     cargo run --example diagnostics

use nashr::{Engine, Error, Format, RenderOptions};

fn main() {
    let engine = Engine::new();

    // 1. A misspelt style: the error points into the layout.
    let misspelt = "[page]\nsize = \"A6\"\n[styles.body]\nsize = \"9pt\"\n[[frame]]\n[[frame.block]]\ntype = \"paragraph\"\nstyle = \"bdy\"\ntext = \"سلام\"\n";
    match engine.load_str("card.toml", misspelt) {
        Err(Error::Source(at)) => {
            println!("{}:{}:{}: {}", at.file.display(), at.line, at.column, at.message);
            println!("{at}\n");
        }
        other => println!("unexpected: {other:?}"),
    }

    // 2. Text that does not fit its frame.
    let tight = "[page]\nsize = \"A6\"\n[[frame]]\nname = \"tiny\"\nheight = \"8mm\"\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"این متن بلند در این قاب کوچک جا نمی‌شود و باید گزارش شود، نه این که بریده شود.\"\n";
    let doc = engine.load_str("tight.toml", tight).expect("the layout is valid");
    match engine.render(&doc, &RenderOptions::new(Format::Pdf)) {
        Err(Error::Layout(e)) => println!("layout: {e}\n"),
        other => println!("unexpected: {:?}", other.map(|r| r.bytes.len())),
    }

    // 3. A character no font has is a warning of the render.
    let snowman = "[page]\nsize = \"A6\"\n[[frame]]\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"برف ☃\"\n";
    let doc = engine.load_str("snow.toml", snowman).expect("the layout is valid");
    let rendered = engine.render(&doc, &RenderOptions::new(Format::Png)).expect("it renders");
    for w in rendered.warnings() {
        println!("warning: {w}");
    }

    // 4. Preflight: every finding with its severity, then a summary.
    println!("\n{}", engine.check(&doc));
}
