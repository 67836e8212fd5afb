//! The Scene: pages of positioned items, the contract between layout and the
//! exporters.
//!
//! Everything is in points, origin at the top-left of the page, y down.
//! Glyph runs carry their glyph ids, positions and the source text of each
//! cluster, so exporters can draw them and map them back to text without
//! knowing anything about bidi, styles or TOML. It serializes to JSON
//! (`nashr render --format json`).

use crate::fonts::FontFace;
use crate::model::Rgb;
use serde::Serialize;
use std::sync::Arc;

/// A laid-out document.
#[derive(Debug, Clone, Serialize)]
pub struct Scene {
    pub pages: Vec<ScenePage>,
    /// Faces used by the glyph runs, indexed by [`GlyphRun::font`].
    pub fonts: Vec<SceneFont>,
    /// Document title, author, subject and language.
    pub meta: crate::model::Meta,
    /// Characters no font could show (each reported once per place).
    pub missing: Vec<crate::text::MissingGlyph>,
}

/// A font used in a scene.
#[derive(Debug, Clone, Serialize)]
pub struct SceneFont {
    pub family: String,
    pub weight: u16,
    pub postscript_name: String,
    pub source: String,
    #[serde(skip)]
    pub face: Arc<FontFace>,
}

/// One page.
#[derive(Debug, Clone, Serialize)]
pub struct ScenePage {
    /// Page size (the trim box) in points.
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
}

/// Something drawn on a page.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Item {
    Glyphs(GlyphRun),
    Rect(RectItem),
    Line(LineItem),
}

/// Glyphs of one font, size and colour on one baseline, in visual order.
#[derive(Debug, Clone, Serialize)]
pub struct GlyphRun {
    /// Index into [`Scene::fonts`].
    pub font: usize,
    pub size: f32,
    pub color: Rgb,
    /// Baseline origin of the run.
    pub x: f32,
    pub y: f32,
    /// The run's text direction is right to left.
    pub rtl: bool,
    /// Which paragraph of the document the run belongs to (in reading order).
    pub paragraph: usize,
    pub glyphs: Vec<Glyph>,
}

/// A positioned glyph.
#[derive(Debug, Clone, Serialize)]
pub struct Glyph {
    pub id: u16,
    /// Position of the glyph origin relative to the run origin (x right, y down).
    pub x: f32,
    pub y: f32,
    /// Advance width in points as laid out (justification included).
    pub advance: f32,
    /// Source text of the glyph's cluster (on one glyph per cluster).
    pub text: String,
    /// Byte offset of the cluster in its paragraph's text.
    pub cluster: usize,
}

/// A filled rectangle.
#[derive(Debug, Clone, Serialize)]
pub struct RectItem {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
    pub fill: Rgb,
}

/// A straight stroked line.
#[derive(Debug, Clone, Serialize)]
pub struct LineItem {
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
    pub width: f32,
    pub color: Rgb,
}

impl Scene {
    /// The logical text of each paragraph on a page, in reading order,
    /// rebuilt from the glyphs' cluster texts: what the page says, whatever
    /// the visual order of its glyphs. White space that hangs at a line end
    /// is not drawn; it comes back as one space.
    pub fn page_paragraphs(&self, page: usize) -> Vec<String> {
        let mut order: Vec<usize> = Vec::new();
        let mut parts: std::collections::HashMap<usize, Vec<(usize, &str)>> = Default::default();
        for item in &self.pages[page].items {
            if let Item::Glyphs(run) = item {
                if !parts.contains_key(&run.paragraph) {
                    order.push(run.paragraph);
                }
                let v = parts.entry(run.paragraph).or_default();
                v.extend(run.glyphs.iter().filter(|g| !g.text.is_empty()).map(|g| (g.cluster, g.text.as_str())));
            }
        }
        order
            .into_iter()
            .map(|p| {
                let mut v = parts.remove(&p).unwrap_or_default();
                v.sort_by_key(|(c, _)| *c);
                let mut text = String::new();
                let mut next = v.first().map_or(0, |(c, _)| *c);
                for (c, t) in v {
                    if c > next {
                        text.push(' ');
                    }
                    text.push_str(t);
                    next = c + t.len();
                }
                text
            })
            .collect()
    }
}
