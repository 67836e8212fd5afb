//! SVG pictures in the PDF, as vectors: the usvg tree becomes PDF path
//! operators in the page's content stream, so a logo stays sharp at any
//! resolution and no image is embedded for it.
//!
//! Every path is written in page points, its transforms applied here (so a
//! tiny viewBox loses no precision to the content stream's three decimals);
//! groups keep their clip paths (`W n`); paths are filled (non-zero or
//! even-odd) and stroked (width, caps, joins, miter limit, dashes) in solid
//! colours, or painted with linear and radial gradients as axial and radial
//! shadings clipped to the path. A stroke that a transform stretches
//! unevenly, and a gradient stroke, is first turned into its outline. Opacity is an ExtGState alpha:
//! a group's opacity multiplies into each shape it holds, which matches the
//! SVG exactly unless shapes of a translucent group overlap. A gradient's
//! stops are drawn opaque at the gradient's own opacity (their mean), and
//! `reflect` and `repeat` spreads are drawn as `pad`. Filters, masks,
//! patterns, raster images and text are refused when the SVG is read
//! (`crate::svg`).

use super::content::Content;
use super::graphics::{Resources, set_color};
use super::text::real;
use crate::base::Rgb;
use crate::scene::ImageItem;
use lopdf::Dictionary;
use printpdf::{DictItem, PdfDocument};
use usvg::tiny_skia_path::{self as skp, PathSegment};

/// Draw SVG `svg` into the picture's box, clipped to its clip rectangle.
pub(super) fn draw(
    ops: &mut Content,
    item: &ImageItem,
    svg: &crate::svg::Svg,
    page_h: f32,
    res: &mut Resources,
    doc: &mut PdfDocument,
) {
    let size = svg.tree.size();
    ops.op("q", &[]);
    let c = &item.clip;
    ops.op("re", &[real(c.x), real(page_h - c.y - c.height), real(c.width), real(c.height)]);
    ops.op("W", &[]);
    ops.op("n", &[]);
    // SVG pixels (y down) into the picture's box on the page (y up).
    let (sx, sy) = (item.width / size.width(), item.height / size.height());
    let base = skp::Transform::from_row(sx, 0.0, 0.0, -sy, item.x, page_h - item.y);
    let mut w = Writer { ops, res, doc };
    w.group(svg.tree.root(), item.opacity.clamp(0.0, 1.0), base);
    w.ops.op("Q", &[]);
}

struct Writer<'a> {
    ops: &'a mut Content,
    res: &'a mut Resources,
    doc: &'a mut PdfDocument,
}

/// A usvg transform as the operands of `cm`.
fn cm(t: skp::Transform) -> [DictItem; 6] {
    // Transform values are small; keep more digits than `real` does.
    let r = |v: f32| DictItem::Real((v * 1e5).round() / 1e5);
    [r(t.sx), r(t.ky), r(t.kx), r(t.sy), r(t.tx), r(t.ty)]
}

fn rgb(c: usvg::Color) -> Rgb {
    Rgb::from_u8(c.red, c.green, c.blue)
}

impl Writer<'_> {
    /// A group at the opacity of the groups around it; `outer` takes the
    /// group's parent's coordinates to page points.
    fn group(&mut self, g: &usvg::Group, outer: f32, outer_ts: skp::Transform) {
        let opacity = outer * g.opacity().get();
        if opacity <= 0.0 {
            return;
        }
        let ts = outer_ts.pre_concat(g.transform());
        let clipped = g.clip_path().is_some();
        if let Some(clip) = g.clip_path() {
            self.ops.op("q", &[]);
            self.clip(clip, ts);
        }
        for node in g.children() {
            match node {
                usvg::Node::Group(child) => self.group(child, opacity, ts),
                usvg::Node::Path(p) => self.path(p, opacity, ts),
                // Refused when the SVG was read.
                usvg::Node::Image(_) | usvg::Node::Text(_) => {}
            }
        }
        if clipped {
            self.ops.op("Q", &[]);
        }
    }

    /// Intersect the clip with a clip path: the outlines of its shapes,
    /// each in the clip's coordinates (`outer` then the clip's own transform).
    fn clip(&mut self, clip: &usvg::ClipPath, outer: skp::Transform) {
        if let Some(inner) = clip.clip_path() {
            self.clip(inner, outer);
        }
        let ts = outer.pre_concat(clip.transform());
        let mut any = false;
        let mut even_odd = false;
        collect_clip(clip.root(), ts, &mut |path, rule| {
            any = true;
            even_odd |= rule == usvg::FillRule::EvenOdd;
            path_ops(self.ops, path);
        });
        if !any {
            // An empty clip path hides everything.
            self.ops.op("re", &[real(0.0), real(0.0), real(0.0), real(0.0)]);
        }
        self.ops.op(if even_odd { "W*" } else { "W" }, &[]);
        self.ops.op("n", &[]);
    }

    /// A path; `ts` takes its coordinates to page points.
    fn path(&mut self, p: &usvg::Path, opacity: f32, ts: skp::Transform) {
        if !p.is_visible() {
            return;
        }
        let fill_first = p.paint_order() == usvg::PaintOrder::FillAndStroke;
        if fill_first {
            self.fill(p, opacity, ts);
            self.stroke(p, opacity, ts);
        } else {
            self.stroke(p, opacity, ts);
            self.fill(p, opacity, ts);
        }
    }

    fn fill(&mut self, p: &usvg::Path, opacity: f32, ts: skp::Transform) {
        let Some(fill) = p.fill() else { return };
        let even_odd = fill.rule() == usvg::FillRule::EvenOdd;
        let Some(path) = p.data().clone().transform(ts) else { return };
        self.paint(&path, fill.paint(), opacity * fill.opacity().get(), even_odd, ts);
    }

    fn stroke(&mut self, p: &usvg::Path, opacity: f32, ts: skp::Transform) {
        let Some(stroke) = p.stroke() else { return };
        let alpha = opacity * stroke.opacity().get();
        let scale = uniform_scale(ts);
        if let (usvg::Paint::Color(c), Some(k)) = (stroke.paint(), scale) {
            let Some(path) = p.data().clone().transform(ts) else { return };
            self.ops.op("q", &[]);
            self.alpha(alpha);
            set_color(self.ops, rgb(*c), true, self.res.cmyk);
            self.ops.op("w", &[real(stroke.width().get() * k)]);
            let cap = match stroke.linecap() {
                usvg::LineCap::Butt => 0,
                usvg::LineCap::Round => 1,
                usvg::LineCap::Square => 2,
            };
            let join = match stroke.linejoin() {
                usvg::LineJoin::Miter | usvg::LineJoin::MiterClip => 0,
                usvg::LineJoin::Round => 1,
                usvg::LineJoin::Bevel => 2,
            };
            self.ops.op("J", &[DictItem::Int(cap)]);
            self.ops.op("j", &[DictItem::Int(join)]);
            self.ops.op("M", &[real(stroke.miterlimit().get().max(1.0))]);
            if let Some(dashes) = stroke.dasharray() {
                let arr = dashes.iter().map(|&d| real(d * k)).collect();
                self.ops.op("d", &[DictItem::Array(arr), real(stroke.dashoffset() * k)]);
            }
            path_ops(self.ops, &path);
            self.ops.op("S", &[]);
            self.ops.op("Q", &[]);
            return;
        }
        // A gradient stroke, or one stretched unevenly: its outline, filled.
        if let Some(outline) = p.data().stroke(&stroke.to_tiny_skia(), 4.0).and_then(|o| o.transform(ts)) {
            self.paint(&outline, stroke.paint(), alpha, false, ts);
        }
    }

    /// Fill `path` (in page points) with `paint`, whose coordinates `ts`
    /// takes to page points.
    fn paint(&mut self, path: &skp::Path, paint: &usvg::Paint, alpha: f32, even_odd: bool, ts: skp::Transform) {
        if alpha <= 0.0 {
            return;
        }
        self.ops.op("q", &[]);
        match paint {
            usvg::Paint::Color(c) => {
                self.alpha(alpha);
                set_color(self.ops, rgb(*c), false, self.res.cmyk);
                path_ops(self.ops, path);
                self.ops.op(if even_odd { "f*" } else { "f" }, &[]);
            }
            usvg::Paint::LinearGradient(g) => {
                let coords = [g.x1(), g.y1(), g.x2(), g.y2()];
                self.gradient(path, even_odd, alpha, ts.pre_concat(g.transform()), g.stops(), 2, &coords);
            }
            usvg::Paint::RadialGradient(g) => {
                let coords = [g.fx(), g.fy(), 0.0, g.cx(), g.cy(), g.r().get()];
                self.gradient(path, even_odd, alpha, ts.pre_concat(g.transform()), g.stops(), 3, &coords);
            }
            // Refused when the SVG was read.
            usvg::Paint::Pattern(_) => {}
        }
        self.ops.op("Q", &[]);
    }

    /// Clip to `path` and paint a shading of type 2 (axial) or 3 (radial).
    #[allow(clippy::too_many_arguments)]
    fn gradient(
        &mut self,
        path: &skp::Path,
        even_odd: bool,
        alpha: f32,
        ts: skp::Transform,
        stops: &[usvg::Stop],
        kind: i64,
        coords: &[f32],
    ) {
        if stops.is_empty() {
            return;
        }
        let mean = stops.iter().map(|s| s.opacity().get()).sum::<f32>() / stops.len() as f32;
        self.alpha(alpha * mean);
        path_ops(self.ops, path);
        self.ops.op(if even_odd { "W*" } else { "W" }, &[]);
        self.ops.op("n", &[]);
        if !ts.is_identity() {
            self.ops.op("cm", &cm(ts));
        }
        let stops: Vec<(f32, Rgb)> = stops.iter().map(|s| (s.offset().get(), rgb(s.color()))).collect();
        let name = format!("Sh{}", self.res.shadings.len());
        let dict = shading(kind, coords, &stops, self.res.cmyk);
        self.res.shadings.push((name.clone(), dict));
        self.ops.op("sh", &[DictItem::Name(name.into_bytes())]);
    }

    fn alpha(&mut self, alpha: f32) {
        if alpha < 1.0 {
            let gs = self.res.alpha(self.doc, alpha);
            self.ops.op("gs", &[DictItem::Name(gs.into_bytes())]);
        }
    }
}

/// The factor by which `ts` scales every length, when it scales all
/// directions alike (a turn, a mirror, a uniform scale); `None` otherwise.
fn uniform_scale(ts: skp::Transform) -> Option<f32> {
    let a = (ts.sx * ts.sx + ts.ky * ts.ky).sqrt();
    let b = (ts.kx * ts.kx + ts.sy * ts.sy).sqrt();
    let dot = ts.sx * ts.kx + ts.ky * ts.sy;
    ((a - b).abs() <= 1e-4 * a.max(b) && dot.abs() <= 1e-4 * a * b).then_some(a)
}

/// Every filled path of a clip path's group, in page points.
fn collect_clip(g: &usvg::Group, ts: skp::Transform, out: &mut dyn FnMut(&skp::Path, usvg::FillRule)) {
    let ts = ts.pre_concat(g.transform());
    for node in g.children() {
        match node {
            usvg::Node::Group(child) => collect_clip(child, ts, out),
            usvg::Node::Path(p) if p.is_visible() => {
                let rule = p.fill().map_or(usvg::FillRule::NonZero, |f| f.rule());
                if let Some(moved) = p.data().clone().transform(ts) {
                    out(&moved, rule);
                }
            }
            _ => {}
        }
    }
}

/// The operators that trace `path` (quadratic curves raised to cubics).
fn path_ops(ops: &mut Content, path: &skp::Path) {
    let mut last = skp::Point::zero();
    for seg in path.segments() {
        match seg {
            PathSegment::MoveTo(p) => {
                ops.op("m", &[real(p.x), real(p.y)]);
                last = p;
            }
            PathSegment::LineTo(p) => {
                ops.op("l", &[real(p.x), real(p.y)]);
                last = p;
            }
            PathSegment::QuadTo(q, p) => {
                let c1 = (last.x + 2.0 / 3.0 * (q.x - last.x), last.y + 2.0 / 3.0 * (q.y - last.y));
                let c2 = (p.x + 2.0 / 3.0 * (q.x - p.x), p.y + 2.0 / 3.0 * (q.y - p.y));
                ops.op("c", &[real(c1.0), real(c1.1), real(c2.0), real(c2.1), real(p.x), real(p.y)]);
                last = p;
            }
            PathSegment::CubicTo(a, b, p) => {
                ops.op("c", &[real(a.x), real(a.y), real(b.x), real(b.y), real(p.x), real(p.y)]);
                last = p;
            }
            PathSegment::Close => ops.op("h", &[]),
        }
    }
}

/// A shading dictionary for an SVG gradient (see
/// [`shading_dict`](super::graphics::shading_dict)): stops at offsets
/// strictly inside (0, 1) bound the pieces, and the ends pad.
fn shading(kind: i64, coords: &[f32], stops: &[(f32, Rgb)], cmyk: bool) -> Dictionary {
    let mut pts: Vec<(f32, Rgb)> = stops.to_vec();
    if pts[0].0 > 0.0 {
        pts.insert(0, (0.0, pts[0].1));
    }
    if pts[pts.len() - 1].0 < 1.0 {
        pts.push((1.0, pts[pts.len() - 1].1));
    }
    super::graphics::shading_dict(kind, coords, &pts, cmyk)
}
