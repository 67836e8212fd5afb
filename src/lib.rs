//! nashr: TOML layouts to print-ready PDF leaflets and posters and to
//! social-media images, with Persian (right-to-left, Arabic script)
//! typography done properly.
//!
//! An [`Engine`] holds the fonts and the caches; it loads a layout (a file
//! or a string), in a locale and with a data row, and renders it to bytes
//! with one [`RenderOptions`] value:
//!
//! ```
//! let engine = nashr::Engine::new();
//! let doc = engine.load_str("invite.toml", r##"
//! [page]
//! size = "instagram-square"
//! background = "#a8201a"
//! [styles.body]
//! size = "64px"
//! color = "white"
//! align = "center"
//! [[frame]]
//! valign = "middle"
//! [[frame.block]]
//! type = "paragraph"
//! text = "در کنگره شرکت کنید!"
//! "##)?;
//! let pdf = engine.render(&doc, &nashr::RenderOptions::new(nashr::Format::Pdf))?;
//! let png = engine.render(&doc, &nashr::RenderOptions::new(nashr::Format::Png))?;
//! assert!(pdf.bytes.starts_with(b"%PDF"));
//! assert_eq!(png.pixels, Some((1080, 1080)));
//! # Ok::<(), nashr::Error>(())
//! ```
//!
//! The pipeline runs one way: `model` (TOML → [`Document`]) → `text`
//! (shaping, bidi, line breaking, justification) → `layout` (frames and
//! pages → [`Scene`]) → `export` (PDF, JSON, PNG, JPEG). `ARCHITECTURE.md`
//! says where each decision lives.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub(crate) mod base;
pub mod batch;
mod cache;
mod engine;
mod error;
pub(crate) mod export;
mod files;
pub(crate) mod fonts;
pub mod lang;
pub(crate) mod layout;
mod limits;
pub(crate) mod model;
pub(crate) mod picture;
pub mod preflight;
pub mod scene;
#[cfg(feature = "serve")]
pub mod serve;
pub(crate) mod svg;
#[cfg(test)]
mod tests;
#[allow(
    dead_code,
    reason = "the text engine offers more than layout calls (a prepared paragraph's text and missing characters)"
)]
pub(crate) mod text;

pub use base::Rgb;
pub use engine::{Engine, LayoutSource, ShapeOptions};
pub use error::{Error, SourceError, printable};
pub use export::pdf::PdfError;
pub use export::raster::RasterError;
pub use export::{Durability, write_atomic, write_atomic_with};
pub use files::{DATA_LIMIT, read_text};
pub use fonts::{ALPHABETS, Coverage, FontError, FontInfo};
pub use layout::LayoutError;
pub use limits::{Exceeded, LIMIT_NAMES, Limits};
pub use model::locale::{DataRow, Locale};
pub use model::{Direction, Document, Kashida};
pub use scene::Scene;

use std::path::Path;

/// The JSON Schema (draft 2020-12) of the layout format, generated from the
/// types the layout reader deserializes, so it cannot drift from them:
/// every table rejects unknown keys (`additionalProperties: false`), and
/// keys with a fixed set of values list them. `nashr schema` prints it;
/// editors with a TOML language server check layouts against it.
///
/// ```
/// let schema: serde_json::Value = serde_json::from_str(&nashr::layout_schema()).unwrap();
/// assert_eq!(schema["additionalProperties"], false);
/// assert_eq!(schema["required"][0], "page");
/// ```
pub fn layout_schema() -> String {
    let mut text = serde_json::to_string_pretty(&model::layout_schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// How hard PDF streams and PNG image data are compressed.
///
/// ```
/// let opts = nashr::RenderOptions { compression: nashr::Compression::Max, ..nashr::RenderOptions::new(nashr::Format::Png) };
/// assert_eq!(opts.compression, nashr::Compression::Max);
/// assert_eq!(nashr::RenderOptions::default().compression, nashr::Compression::Standard);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Compression {
    /// Tuned for speed at a size close to the best: PDF streams deflated at
    /// libdeflate's level 6; PNG image data in bands with one fixed Huffman
    /// code, which a batch reuses for unchanged bands.
    #[default]
    Standard,
    /// The smallest files, for archives and uploads, at many times the
    /// time: PDF streams at libdeflate's level 12; PNG rows each given the
    /// filter that suits them best and deflated at level 12 (the square
    /// post: 224 → 108 KB, about a second on the development machine).
    Max,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// A PDF of every page.
    Pdf,
    /// The laid-out Scene as JSON.
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
///
/// ```
/// let opts = nashr::RenderOptions { page: 2, dpi: Some(150.0), ..nashr::RenderOptions::new(nashr::Format::Png) };
/// assert_eq!(opts.pixels_per_point(), 150.0 / 72.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RenderOptions {
    /// The output format.
    pub format: Format,
    /// Images: a multiplier on the default resolution of 96 dpi (4/3 pixels
    /// per point, one image pixel per layout `px`). Ignored when `dpi` is set.
    pub scale: Option<f32>,
    /// Images: the resolution in pixels per inch (`dpi / 72` pixels per point).
    pub dpi: Option<f32>,
    /// Images: the page to draw, counted from 1.
    pub page: u32,
    /// JPEG: quality, 1–100.
    pub quality: u8,
    /// PDF and PNG: how hard the file is compressed.
    pub compression: Compression,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            format: Format::Pdf,
            scale: None,
            dpi: None,
            page: 1,
            quality: 90,
            compression: Compression::Standard,
        }
    }
}

impl RenderOptions {
    /// Default options for `format`.
    pub fn new(format: Format) -> RenderOptions {
        RenderOptions { format, ..Default::default() }
    }

    /// Check the options: a page from 1, a positive resolution, a quality of 1–100.
    pub fn validate(&self) -> Result<(), Error> {
        if self.page == 0 {
            return Err(Error::Options("pages are counted from 1; page 0 does not exist".into()));
        }
        for (name, v) in [("dpi", self.dpi), ("scale", self.scale)] {
            if let Some(v) = v
                && !(v.is_finite() && v > 0.0)
            {
                return Err(Error::Options(format!("{name} must be a positive number, not {v}")));
            }
        }
        if !(1..=100).contains(&self.quality) {
            return Err(Error::Options(format!("JPEG quality is 1–100, not {}", self.quality)));
        }
        Ok(())
    }

    /// Pixels per point for images: `dpi / 72`, else `scale × 4/3`.
    pub fn pixels_per_point(&self) -> f32 {
        match self.dpi {
            Some(dpi) => dpi / 72.0,
            None => self.scale.unwrap_or(1.0) * export::raster::DEFAULT_SCALE,
        }
    }
}

/// A finished render: the bytes of the requested format and the scene they were drawn from.
#[derive(Debug)]
#[non_exhaustive]
pub struct Rendered {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// The laid-out pages the bytes were drawn from.
    pub scene: Scene,
    /// Width and height in pixels, for PNG and JPEG.
    pub pixels: Option<(u32, u32)>,
}

impl Rendered {
    /// Warnings about the render, one line each: characters no font has.
    pub fn warnings(&self) -> Vec<String> {
        self.scene
            .missing
            .iter()
            .map(|m| {
                format!(
                    "no font has a glyph for {:?} (U+{:04X}) in {}, character {}",
                    m.ch,
                    m.ch as u32,
                    m.origin,
                    m.char_index + 1
                )
            })
            .collect()
    }
}
