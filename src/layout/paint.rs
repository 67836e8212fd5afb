//! Paint: page and frame decoration.
//!
//! Owns new pages with their background (run into the bleed), fills as
//! Scene paints (solid colours and gradients along a CSS angle), and a
//! frame's decoration: its background, its picture and its border, drawn
//! in that order, and extended into the bleed where the frame asks for it
//! and touches the trim. Decoration says which frame it belongs to and no
//! block; page backgrounds belong to no frame.

use super::Ctx;
use super::blocks::picture_rect;
use crate::model::{Fill, Frame, FramePicture, Rect, Rgb};
use crate::scene::{GradientStop, ImageItem, Item, Origin, Paint, RectItem, ScenePage, Stroke};

/// A page; its background runs into the bleed.
pub(super) fn new_page(width: f32, height: f32, background: Option<&Fill>, bleed: f32) -> ScenePage {
    let mut items = Vec::new();
    if let Some(bg) = background {
        let r = Rect { x: -bleed, y: -bleed, width: width + 2.0 * bleed, height: height + 2.0 * bleed };
        items.push(Item::Rect(RectItem {
            fill: Some(paint(bg, r)),
            ..RectItem::filled(r.x, r.y, r.width, r.height, Rgb::BLACK)
        }));
    }
    ScenePage { width, height, frames: Vec::new(), items }
}

/// A fill over `r` as a Scene paint: a gradient runs along the CSS angle
/// (0° up, 90° right, 180° down) across the whole rectangle.
pub fn paint(fill: &Fill, r: Rect) -> Paint {
    match fill {
        Fill::Solid(c) => Paint::Solid(*c),
        Fill::Gradient { angle, stops } => {
            let a = angle.to_radians();
            let (dx, dy) = (a.sin(), -a.cos());
            let half = (r.width * dx.abs() + r.height * dy.abs()) / 2.0;
            let (cx, cy) = (r.x + r.width / 2.0, r.y + r.height / 2.0);
            let n = (stops.len() - 1).max(1) as f32;
            Paint::Linear {
                x1: cx - dx * half,
                y1: cy - dy * half,
                x2: cx + dx * half,
                y2: cy + dy * half,
                stops: stops
                    .iter()
                    .enumerate()
                    .map(|(i, c)| GradientStop { offset: i as f32 / n, color: *c })
                    .collect(),
            }
        }
    }
}

impl Ctx<'_> {
    /// A frame's background, then its picture, then its border on top of
    /// both, over `rect` (run into the bleed when the frame asks for it).
    pub(super) fn decorate(&self, frame: &Frame, rect: Rect) -> Vec<Item> {
        let mut out = Vec::new();
        let rect = if frame.bleed { self.extend_into_bleed(rect) } else { rect };
        let shape = |fill, stroke| RectItem {
            origin: Origin::default(),
            x: rect.x,
            y: rect.y,
            width: rect.width,
            height: rect.height,
            radius: frame.radius,
            fill,
            stroke,
            opacity: frame.opacity,
        };
        if let Some(bg) = &frame.background {
            out.push(Item::Rect(shape(Some(paint(bg, rect)), None)));
        }
        if let Some(pic) = frame.image {
            out.push(self.picture_item(pic, rect, frame.opacity));
        }
        if let Some((color, width)) = frame.border {
            out.push(Item::Rect(shape(None, Some(Stroke { color, width }))));
        }
        out
    }

    /// Extend the edges of `r` that lie on the trim out to the bleed edge.
    fn extend_into_bleed(&self, r: Rect) -> Rect {
        let b = self.doc.print.bleed;
        let Some(page) = self.doc.pages.first() else { return r };
        let near = |a: f32, e: f32| (a - e).abs() < 0.5;
        let (mut x0, mut y0, mut x1, mut y1) = (r.x, r.y, r.x + r.width, r.y + r.height);
        if near(x0, 0.0) {
            x0 -= b;
        }
        if near(y0, 0.0) {
            y0 -= b;
        }
        if near(x1, page.width) {
            x1 += b;
        }
        if near(y1, page.height) {
            y1 += b;
        }
        Rect { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }
    }

    /// A picture filling box `b` by its fit mode, clipped to the box.
    fn picture_item(&self, pic: FramePicture, b: Rect, opacity: f32) -> Item {
        let p = &self.doc.pictures[pic.picture];
        let r = picture_rect(p.width, p.height, pic.fit, b, 0.5);
        Item::Image(ImageItem {
            origin: Origin::default(),
            image: pic.picture,
            x: r.x,
            y: r.y,
            width: r.width,
            height: r.height,
            clip: b,
            opacity: pic.opacity * opacity,
        })
    }
}
