//! Stage benchmarks (`cargo bench`): parsing a layout, laying it out (cold,
//! through a fresh engine, and warm, through an engine that has laid it out
//! before), and exporting the scene to PDF, PNG and JPEG — for the A5
//! leaflet, the square post and a 20,000-word justified Persian text that
//! flows over A4 pages.

use nashr::{Engine, Format, RenderOptions};
use std::path::PathBuf;

fn main() {
    divan::main();
}

fn crate_path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

const LEAFLET: &str = "layouts/invitation-a5.toml";
const SQUARE: &str = "layouts/invitation-square.toml";

/// A layout whose one frame flows `words` words of justified Persian over
/// as many A4 pages as they need.
fn flowing_layout(words: usize) -> String {
    let vocabulary = ["کنگره", "حزب", "دموکرات", "کردستان", "ایران", "شرکت", "می‌کنیم", "در", "و", "اسلامی"];
    let text: Vec<&str> = (0..words).map(|i| vocabulary[(i * 7 + i / 3) % vocabulary.len()]).collect();
    format!(
        "[page]\nsize = \"A4\"\nmargin = \"20mm\"\n\n[styles.body]\nsize = \"11pt\"\nalign = \"justify\"\n\n\
         [[frame]]\nname = \"body\"\nfit = \"flow\"\n\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"{}\"\n",
        text.join(" ")
    )
}

#[divan::bench(args = [LEAFLET, SQUARE])]
fn parse(bencher: divan::Bencher, layout: &str) {
    let engine = Engine::new();
    let path = crate_path(layout);
    bencher.bench(|| engine.load(&path).unwrap());
}

#[divan::bench(args = [LEAFLET, SQUARE])]
fn layout_cold(bencher: divan::Bencher, layout: &str) {
    let doc = Engine::new().load(crate_path(layout)).unwrap();
    bencher.bench(|| Engine::new().layout(&doc).unwrap());
}

#[divan::bench(args = [LEAFLET, SQUARE])]
fn layout_warm(bencher: divan::Bencher, layout: &str) {
    let engine = Engine::new();
    let doc = engine.load(crate_path(layout)).unwrap();
    engine.layout(&doc).unwrap();
    bencher.bench(|| engine.layout(&doc).unwrap());
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn layout_20k_words(bencher: divan::Bencher) {
    let source = flowing_layout(20_000);
    let doc = Engine::new().load_str(crate_path("flow.toml"), &source).unwrap();
    bencher.bench(|| Engine::new().layout(&doc).unwrap());
}

fn export(bencher: divan::Bencher, layout: &str, format: Format) {
    let engine = Engine::new();
    let scene = engine.layout(&engine.load(crate_path(layout)).unwrap()).unwrap();
    let opts = RenderOptions::new(format);
    bencher.bench(|| engine.export(&scene, &opts).unwrap());
}

#[divan::bench(args = [LEAFLET, SQUARE])]
fn export_pdf(bencher: divan::Bencher, layout: &str) {
    export(bencher, layout, Format::Pdf);
}

#[divan::bench(args = [LEAFLET, SQUARE])]
fn export_png(bencher: divan::Bencher, layout: &str) {
    export(bencher, layout, Format::Png);
}

#[divan::bench(args = [SQUARE])]
fn export_jpeg(bencher: divan::Bencher, layout: &str) {
    export(bencher, layout, Format::Jpeg);
}

#[divan::bench]
fn engine_new() -> Engine {
    Engine::new()
}
