//! Render a layout in memory, as a web service or another tool would: parse
//! once, lay out, export to PDF bytes and JSON, no files written.
//!
//!     cargo run --example render_to_bytes -- layouts/invitation-a5.toml

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(|| "layouts/invitation-a5.toml".into());
    let doc = nashr::model::load(&path)?;
    let scene = nashr::layout::layout(&doc)?;
    let pdf = nashr::export::pdf::to_pdf(&scene)?;
    let json = nashr::export::json::to_json(&scene);
    println!("{}: {} pages, PDF {} bytes, JSON {} bytes", path.display(), scene.pages.len(), pdf.len(), json.len());
    for (i, _) in scene.pages.iter().enumerate() {
        for paragraph in scene.page_paragraphs(i).iter().take(2) {
            println!("page {}: {paragraph}", i + 1);
        }
    }
    Ok(())
}
