//! One engine shared by a thread pool, rendering a thousand personalised
//! square posts: the layout is read once, each row of data fills its
//! `{{name}}` and `{{city}}`, and fonts, pictures and the painted background
//! are shared by every thread through the engine's caches.
//!
//!     cargo run --release --example personalised_squares -- 1000

use nashr::{DataRow, Engine, Format, LayoutSource, RenderOptions};
use rayon::prelude::*;
use std::time::Instant;

const LAYOUT: &str = r##"
[page]
size = "instagram-square"
background = { gradient = ["#c62d24", "#7a1411", "#4a0a08"], angle = 160 }

[styles.name]
size = "96px"
weight = "black"
color = "#ffffff"
align = "center"
direction = "rtl"

[styles.body]
size = "44px"
color = "#ffe9e6"
align = "center"
direction = "rtl"

[[frame]]
padding = "80px"
valign = "middle"

[[frame.block]]
type = "heading"
style = "name"
text = "{{name}} عزیز،"

[[frame.block]]
type = "paragraph"
text = "شما به کنگره دعوت شده‌اید: ۱۲ تا ۱۴ آذر، {{city}}."
"##;

fn main() -> Result<(), nashr::Error> {
    let count: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(1000);
    let names = ["مریم", "علی", "سارا", "رضا", "نگار", "کاوه", "Shirin", "Daniel"];
    let cities = ["تهران", "استکهلم", "تورنتو", "برلین", "سلیمانیه"];
    let rows: Vec<DataRow> = (0..count)
        .map(|i| DataRow {
            number: i + 1,
            file: "rows".into(),
            values: [("name".into(), names[i % names.len()].into()), ("city".into(), cities[i % cities.len()].into())]
                .into(),
        })
        .collect();

    let engine = Engine::new();
    let source = LayoutSource::new("square.toml", LAYOUT);
    let opts = RenderOptions::new(Format::Png);
    let start = Instant::now();
    let bytes: Result<Vec<usize>, nashr::Error> = rows
        .par_iter()
        .map(|row| {
            let doc = engine.load_with(&source, None, Some(row))?;
            Ok(engine.render(&doc, &opts)?.bytes.len())
        })
        .collect();
    let bytes = bytes?;
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} squares in {secs:.2} s ({:.0} per second on {} threads), {} MB of PNG",
        bytes.len(),
        bytes.len() as f64 / secs,
        rayon::current_num_threads(),
        bytes.iter().sum::<usize>() / 1_000_000
    );
    Ok(())
}
