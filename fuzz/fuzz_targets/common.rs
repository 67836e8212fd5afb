//! What every target shares: one engine, with budgets small enough that an
//! input cannot make one run slow, and the render of a document to PDF and
//! to a small PNG.

use nashr::{Document, Engine, Format, Limits, RenderOptions};
use std::sync::OnceLock;

/// One engine for the whole run (its caches are part of what is tested),
/// reading only inside the crate's folder.
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut limits = Limits::default();
        for pair in ["pages=20", "paragraph-glyphs=20000", "document-glyphs=50000", "qr-codes=4", "picture-pixels=4000000"] {
            limits.set_pair(pair).expect("a valid limit");
        }
        Engine::new().with_root(env!("CARGO_MANIFEST_DIR").trim_end_matches("/fuzz")).with_limits(limits)
    })
}

/// Render a document as PDF and as a small PNG of its first page; errors
/// are fine, panics are what the fuzzer looks for.
pub fn render(doc: &Document) {
    let engine = engine();
    let Ok(scene) = engine.layout(doc) else { return };
    let _ = engine.export(&scene, &RenderOptions::new(Format::Pdf));
    let mut png = RenderOptions::new(Format::Png);
    png.scale = Some(0.1);
    let _ = engine.export(&scene, &png);
}
