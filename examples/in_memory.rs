//! Render a layout held in a string, in memory, as a web service or another
//! tool would: no file is read or written. The layout's name
//! (`greeting.toml`) is what error messages show.
//!
//!     cargo run --example in_memory

use nashr::{Engine, Format, RenderOptions};

const LAYOUT: &str = r##"
[page]
size = "link-preview"          # 1200 × 630 px
background = { gradient = ["#c62d24", "#4a0a08"], angle = 160 }

[styles.title]
size = "72px"
weight = "black"
color = "#ffffff"
align = "center"

[styles.body]
size = "34px"
color = "#ffe9e6"
align = "center"

[[frame]]
padding = "60px"
valign = "middle"

[[frame.block]]
type = "heading"
style = "title"
text = "در کنگره شرکت کنید!"

[[frame.block]]
type = "paragraph"
text = "۱۲ تا ۱۴ آذر · وب سایت: www.wpiran.org · تلگرام: @wpi_tamas"
"##;

fn main() -> Result<(), nashr::Error> {
    let engine = Engine::new();
    let doc = engine.load_str("greeting.toml", LAYOUT)?;
    let pdf = engine.render(&doc, &RenderOptions::new(Format::Pdf))?;
    let png = engine.render(&doc, &RenderOptions { scale: Some(2.0), ..RenderOptions::new(Format::Png) })?;
    let (w, h) = png.pixels.unwrap_or_default();
    println!("PDF: {} bytes; PNG: {w}×{h} px, {} bytes", pdf.bytes.len(), png.bytes.len());
    for paragraph in pdf.scene.page_paragraphs(0) {
        println!("  {paragraph}");
    }
    Ok(())
}
