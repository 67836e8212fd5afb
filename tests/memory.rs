//! Memory over many renders through one engine: after warm-up, resident
//! memory stays flat (caches are bounded; nothing is leaked per render).
//! Alone in its test binary, so other tests' threads do not blur the figure.

mod common;

use common::variants::*;
use common::*;
use nashr::{Engine, Format, LayoutSource, RenderOptions};

/// Resident memory of this process in kB (Linux).
fn rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).expect("VmRSS");
    line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).expect("a number")
}

/// Render `n` personalised variants through one engine; RSS after warm-up
/// and at the end, in kB.
fn memory_over(n: usize) -> (u64, u64) {
    let dir = temp_dir(&format!("engine-memory-{n}"));
    std::fs::write(dir.join("logo.png"), png([200, 30, 20], 64, 64)).unwrap();
    std::fs::copy(crate_path("fonts/NotoNaskhArabic-Regular.ttf"), dir.join("face.ttf")).unwrap();
    let engine = Engine::new();
    let source = LayoutSource::new(dir.join("card.toml"), layout_with("logo.png", "face.ttf"));
    let names = ["مریم", "علی", "Sara", "کاوه", "نگار"];
    let warm = n / 10;
    let mut after_warmup = 0;
    for i in 0..n {
        let doc = engine.load_with(&source, None, Some(&row(i + 1, names[i % names.len()]))).unwrap();
        let format = if i % 2 == 0 { Format::Png } else { Format::Pdf };
        let out = engine.render(&doc, &RenderOptions::new(format)).unwrap();
        assert!(!out.bytes.is_empty());
        if i + 1 == warm {
            after_warmup = rss_kb();
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
    (after_warmup, rss_kb())
}

#[test]
fn memory_stays_flat_over_many_renders() {
    let (warm, end) = memory_over(400);
    eprintln!("RSS after 40 renders: {warm} kB; after 400: {end} kB");
    assert!(end < warm + 8_000, "RSS grew from {warm} kB to {end} kB over 360 renders");
}

#[test]
#[ignore = "long-running (10,000 renders); run with `cargo test --release --test memory -- --ignored`"]
fn memory_stays_flat_over_ten_thousand_renders() {
    let (warm, end) = memory_over(10_000);
    eprintln!("RSS after 1,000 renders: {warm} kB; after 10,000: {end} kB");
    assert!(end < warm + 8_000, "RSS grew from {warm} kB to {end} kB over 9,000 renders");
}
