//! nashr: TOML layouts to print-ready PDF leaflets and posters, with Persian
//! (right-to-left, Arabic script) typography done properly.
//!
//! The pipeline runs one way: [`model`] (TOML → [`model::Document`]) →
//! [`text`] (shaping, bidi, line breaking, justification) → [`layout`]
//! (frames and pages → [`scene::Scene`]) → [`export`] (PDF, JSON).
//!
//! ```no_run
//! use std::path::Path;
//! let out = nashr::render_file(Path::new("layouts/invitation-a5.toml"), nashr::Format::Pdf)?;
//! nashr::export::write_atomic(Path::new("leaflet.pdf"), &out.bytes)?;
//! for m in &out.scene.missing {
//!     eprintln!("warning: no font has {:?} ({})", m.ch, m.origin);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod error;
pub mod export;
pub mod fonts;
pub mod layout;
pub mod model;
pub mod picture;
pub mod scene;
pub mod text;

pub use error::SourceError;
pub use fonts::FontBook;
pub use scene::Scene;

use std::path::Path;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Json,
}

impl Format {
    /// The format a file name asks for, by its extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "pdf" => Some(Format::Pdf),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Json => "json",
        }
    }
}

/// Any error nashr can report.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Model(#[from] model::ModelError),
    #[error(transparent)]
    Layout(#[from] layout::LayoutError),
    #[error(transparent)]
    Pdf(#[from] export::pdf::PdfError),
}

/// A finished render: the bytes of the requested format and the scene they were drawn from.
#[derive(Debug)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub scene: Scene,
}

/// Render a resolved document to `format`.
pub fn render(doc: &model::Document, format: Format) -> Result<Rendered, Error> {
    let scene = layout::layout(doc)?;
    let bytes = match format {
        Format::Pdf => export::pdf::to_pdf(&scene)?,
        Format::Json => export::json::to_json(&scene).into_bytes(),
    };
    Ok(Rendered { bytes, scene })
}

/// Read, lay out and export a layout file.
pub fn render_file(path: &Path, format: Format) -> Result<Rendered, Error> {
    let doc = model::load(path)?;
    render(&doc, format)
}
