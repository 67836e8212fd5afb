//! nashr: TOML layouts to print-ready PDF leaflets and posters, with Persian
//! (right-to-left, Arabic script) typography done properly.
//!
//! The pipeline runs one way: [`model`] (TOML → [`model::Document`]) →
//! [`text`] (shaping, bidi, line breaking, justification) → [`layout`]
//! (frames and pages → [`scene::Scene`]) → [`export`] (PDF, JSON, PNG, JPEG).
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
//!
//! An image of one page, at 150 dpi:
//!
//! ```no_run
//! use std::path::Path;
//! let doc = nashr::model::load(Path::new("layouts/invitation-a5.toml"))?;
//! let opts = nashr::RenderOptions { format: nashr::Format::Png, dpi: Some(150.0), ..Default::default() };
//! let out = nashr::render_with(&doc, &opts)?;
//! let (w, h) = out.pixels.expect("raster formats report their size");
//! println!("{w}×{h} pixels");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod base;
pub mod batch;
pub mod error;
pub mod export;
pub mod fonts;
pub mod lang;
pub mod layout;
pub mod model;
pub mod picture;
pub mod preflight;
pub mod scene;
pub mod text;

pub use base::Rgb;
pub use error::SourceError;
pub use fonts::FontBook;
pub use scene::Scene;

use std::path::Path;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Json,
    /// One page as a PNG image.
    Png,
    /// One page as a JPEG image.
    Jpeg,
}

impl Format {
    /// The format a file name asks for, by its extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "pdf" => Some(Format::Pdf),
            "json" => Some(Format::Json),
            "png" => Some(Format::Png),
            "jpg" | "jpeg" => Some(Format::Jpeg),
            _ => None,
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Json => "json",
            Format::Png => "png",
            Format::Jpeg => "jpg",
        }
    }

    /// Whether the format is an image of one page.
    pub fn is_raster(self) -> bool {
        matches!(self, Format::Png | Format::Jpeg)
    }
}

/// How to render: the format and, for PNG and JPEG, which page at what resolution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RenderOptions {
    pub format: Format,
    /// Images: a multiplier on the default resolution of 96 dpi (4/3 pixels
    /// per point, one image pixel per layout `px`). Ignored when `dpi` is set.
    pub scale: Option<f32>,
    /// Images: the resolution in pixels per inch (`dpi / 72` pixels per point).
    pub dpi: Option<f32>,
    /// Images: the 0-based page to draw.
    pub page: usize,
    /// JPEG: quality, 1–100.
    pub quality: u8,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions { format: Format::Pdf, scale: None, dpi: None, page: 0, quality: 90 }
    }
}

impl RenderOptions {
    /// Default options for `format`.
    pub fn new(format: Format) -> RenderOptions {
        RenderOptions { format, ..Default::default() }
    }

    /// Pixels per point for images: `dpi / 72`, else `scale × 4/3`.
    pub fn pixels_per_point(&self) -> f32 {
        match self.dpi {
            Some(dpi) => dpi / 72.0,
            None => self.scale.unwrap_or(1.0) * export::raster::DEFAULT_SCALE,
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
    #[error(transparent)]
    Raster(#[from] export::raster::RasterError),
}

/// A finished render: the bytes of the requested format and the scene they were drawn from.
#[derive(Debug)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub scene: Scene,
    /// Width and height in pixels, for PNG and JPEG.
    pub pixels: Option<(u32, u32)>,
}

/// Render a resolved document to `format`, images at 96 dpi from the first page.
pub fn render(doc: &model::Document, format: Format) -> Result<Rendered, Error> {
    render_with(doc, &RenderOptions::new(format))
}

/// Render a resolved document as `opts` say.
pub fn render_with(doc: &model::Document, opts: &RenderOptions) -> Result<Rendered, Error> {
    let scene = layout::layout(doc)?;
    let raster = export::raster::RasterOptions { scale: opts.pixels_per_point(), page: opts.page };
    let (bytes, pixels) = match opts.format {
        Format::Pdf => (export::pdf::to_pdf(&scene)?, None),
        Format::Json => (export::json::to_json(&scene).into_bytes(), None),
        Format::Png => {
            let size = export::raster::pixel_size(&scene, &raster)?;
            (export::raster::to_png(&scene, &raster)?, Some(size))
        }
        Format::Jpeg => {
            let size = export::raster::pixel_size(&scene, &raster)?;
            (export::raster::to_jpeg(&scene, &raster, opts.quality)?, Some(size))
        }
    };
    Ok(Rendered { bytes, scene, pixels })
}

/// Read, lay out and export a layout file.
pub fn render_file(path: &Path, format: Format) -> Result<Rendered, Error> {
    render_file_with(path, &RenderOptions::new(format))
}

/// Read, lay out and export a layout file as `opts` say.
pub fn render_file_with(path: &Path, opts: &RenderOptions) -> Result<Rendered, Error> {
    render_file_localized(path, None, opts)
}

/// Read a layout in a locale (its strings, direction, digits; `None` for the
/// layout's default locale), lay it out and export it.
pub fn render_file_localized(
    path: &Path,
    locale: Option<&model::locale::Locale>,
    opts: &RenderOptions,
) -> Result<Rendered, Error> {
    let doc = model::load_localized(path, locale)?;
    render_with(&doc, opts)
}
