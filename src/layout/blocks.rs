//! Blocks of fixed height: rules, pictures and QR codes.
//!
//! Owns how much vertical room such a block takes (`fixed_extent`), how it
//! is drawn into its box (`place_fixed`, `qr_items`), and where a picture
//! of given pixels goes in a box by its fit mode (`picture_rect`, shared
//! with frame pictures). Whether the block fits its frame is decided by
//! `flow`.

use super::Ctx;
use crate::model::{Align, Block, Document, ImageFit, Rect, Rgb};
use crate::scene::{Figure, ImageItem, Item, LineItem, Origin, RectItem};

impl Ctx<'_> {
    /// Draw block `index`, a rule, picture or QR code, into its box `b`
    /// (frame wide, its own height).
    pub(super) fn place_fixed(&mut self, items: &mut Vec<Item>, block: &Block, b: Rect, scale: f32, index: usize) {
        // A picture or a QR code that says something is a figure of the
        // document's structure, in reading order where its block stands.
        let alt = match block {
            Block::Image { alt: Some(alt), .. } | Block::Qr { alt, .. } => Some(alt.clone()),
            _ => None,
        };
        let figure = match alt {
            Some(alt) if !self.probing => {
                self.figures.push(Figure { alt, order: self.paragraph, frame_order: self.frame_order });
                Some(self.figures.len() - 1)
            }
            _ => None,
        };
        let origin = Origin { frame: None, block: Some(index), figure };
        let align_x = |align: Align| match (align, self.doc.rtl) {
            (Align::Left, _) | (Align::End, true) | (Align::Start, false) => 0.0,
            (Align::Right, _) | (Align::Start, true) | (Align::End, false) => 1.0,
            _ => 0.5,
        };
        match block {
            Block::Rule { thickness, color, length, align, .. } => {
                let len = length.map_or(b.width, |l| l * scale).min(b.width);
                let x1 = b.x + (b.width - len) * align_x(*align);
                let mid = b.y + thickness / 2.0;
                items.push(Item::Line(LineItem {
                    origin,
                    x1,
                    y1: mid,
                    x2: x1 + len,
                    y2: mid,
                    width: *thickness,
                    color: *color,
                }));
            }
            Block::Image { picture, align, .. } => {
                let p = &self.doc.pictures[picture.picture];
                let r = picture_rect(p.width, p.height, picture.fit, b, align_x(*align));
                let clip = if picture.fit == ImageFit::Cover { b } else { r };
                items.push(Item::Image(ImageItem {
                    origin,
                    image: picture.picture,
                    x: r.x,
                    y: r.y,
                    width: r.width,
                    height: r.height,
                    clip,
                    opacity: picture.opacity,
                }));
            }
            Block::Qr { modules, width, size, color, background, align, .. } => {
                let side = (size * scale).min(b.width);
                let x = b.x + (b.width - side) * align_x(*align);
                items.extend(qr_items(
                    modules,
                    *width,
                    Rect { x, y: b.y, width: side, height: side },
                    *color,
                    *background,
                    origin,
                ));
            }
            _ => {}
        }
    }
}

/// Space before, height and space after of a fixed-height block at `scale`
/// in a frame `width` wide.
pub(super) fn fixed_extent(doc: &Document, block: &Block, width: f32, scale: f32) -> (f32, f32, f32) {
    match block {
        Block::Rule { thickness, space_before, space_after, .. } => {
            (space_before * scale, *thickness, space_after * scale)
        }
        Block::Image { picture, height, space_before, space_after, .. } => {
            let p = &doc.pictures[picture.picture];
            let h = height.map_or(width * p.height as f32 / p.width as f32, |h| h * scale);
            (space_before * scale, h, space_after * scale)
        }
        Block::Qr { size, space_before, space_after, .. } => {
            (space_before * scale, (size * scale).min(width), space_after * scale)
        }
        _ => (0.0, 0.0, 0.0),
    }
}

/// A QR code as vector squares: the light square (with its 4-module quiet
/// zone) and one rectangle per run of dark modules in a row. Runs overlap
/// the row below by a hair so rasterisers leave no seams. Every square
/// carries `origin`.
fn qr_items(modules: &[bool], n: usize, b: Rect, dark: Rgb, light: Option<Rgb>, origin: Origin) -> Vec<Item> {
    let mut out = Vec::new();
    let quiet = if light.is_some() { 4.0 } else { 0.0 };
    let m = b.width / (n as f32 + 2.0 * quiet);
    if let Some(light) = light {
        out.push(Item::Rect(RectItem { origin, ..RectItem::filled(b.x, b.y, b.width, b.height, light) }));
    }
    let (ox, oy) = (b.x + quiet * m, b.y + quiet * m);
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if !modules[row * n + col] {
                col += 1;
                continue;
            }
            let start = col;
            while col < n && modules[row * n + col] {
                col += 1;
            }
            let overlap = if row + 1 < n { m * 0.02 } else { 0.0 };
            out.push(Item::Rect(RectItem {
                origin,
                ..RectItem::filled(
                    ox + start as f32 * m,
                    oy + row as f32 * m,
                    (col - start) as f32 * m,
                    m + overlap,
                    dark,
                )
            }));
        }
    }
    out
}

/// Where a picture of `pw × ph` pixels is drawn for a box, by fit mode;
/// `align_x` (0 left, 1 right) places a narrower picture horizontally.
pub(super) fn picture_rect(pw: u32, ph: u32, fit: ImageFit, b: Rect, align_x: f32) -> Rect {
    let (pw, ph) = (pw as f32, ph as f32);
    match fit {
        ImageFit::Fill => b,
        ImageFit::Contain | ImageFit::Cover => {
            let s = if fit == ImageFit::Contain {
                (b.width / pw).min(b.height / ph)
            } else {
                (b.width / pw).max(b.height / ph)
            };
            let (w, h) = (pw * s, ph * s);
            Rect { x: b.x + (b.width - w) * align_x, y: b.y + (b.height - h) / 2.0, width: w, height: h }
        }
    }
}
