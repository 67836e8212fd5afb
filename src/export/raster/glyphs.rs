//! Glyph coverage masks, kept by an engine and reused across renders.
//!
//! This module owns drawing a glyph through a coverage mask: its outline is
//! filled into a small mask at its position to a sixteenth of a pixel — the
//! exact area of each pixel it covers, by the non-zero rule, as font
//! rasterisers compute it — and composited in its colour. From the second
//! time a glyph is met at one (face, size, subpixel position) — in the next
//! variant of a batch, mostly — the mask is kept, and later occurrences are
//! composited from it instead of being scan-converted again. A kept mask
//! and a fresh one are the same pixels, so an image does not depend on what
//! the engine drew before (a render without an engine keeps its own masks,
//! and draws the same pixels too). Positions are kept to a sixteenth of a
//! pixel across and down (a quarter, as some font renderers keep, moved
//! small text visibly against the PDF's rendering).
//!
//! Only glyphs drawn upright and unslanted at a scale go through masks; a
//! turned or slanted glyph, or one larger than [`MAX_MASK_PIXELS`], is
//! filled from its outline by tiny-skia. The cache is bounded
//! ([`MAX_BYTES`]): past it, it starts again empty, so memory stays flat
//! however many variants a batch renders.

use crate::fonts::FontFace;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use tiny_skia as sk;

/// Subpixel positions per pixel, across and down.
const STEPS: f32 = 16.0;

/// Bytes of masks an engine keeps before starting again.
const MAX_BYTES: usize = 32 << 20;

/// A glyph whose mask would be larger than this many pixels is filled
/// directly (a display size where a mask would rarely be met again).
const MAX_MASK_PIXELS: u64 = 400 * 400;

/// What a glyph's mask depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    /// The face, by address: the cache holds the face, so the address is
    /// not reused while the key is.
    face: usize,
    gid: u16,
    /// The outline's scale, font units to pixels, across and down (`f32`
    /// bits; down is negative, since outlines are y up).
    sx: u32,
    sy: u32,
    /// Subpixel position, in sixteenths of a pixel.
    qx: u8,
    qy: u8,
}

/// A glyph's coverage at one subpixel position, and where its top-left
/// pixel lies relative to the pixel the glyph's origin falls in.
struct GlyphMask {
    left: i32,
    top: i32,
    mask: sk::Mask,
}

/// The masks of an engine (shared by the threads of a batch).
#[derive(Default)]
pub(crate) struct GlyphMasks {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// `None`: the glyph has no ink at this size (a space).
    masks: HashMap<Key, Option<Arc<GlyphMask>>>,
    /// Glyphs met once, filled directly.
    seen: HashSet<Key>,
    /// The faces the keys point at, held so their addresses stay theirs.
    faces: Vec<Arc<FontFace>>,
    bytes: usize,
}

/// What remembering a glyph met once counts against [`MAX_BYTES`].
const SEEN_BYTES: usize = 32;

/// A glyph to draw: its outline in font units and the transform from font
/// units to pixels.
pub(crate) struct Glyph<'a> {
    pub(crate) face: &'a Arc<FontFace>,
    pub(crate) gid: u16,
    pub(crate) outline: &'a sk::Path,
    pub(crate) transform: sk::Transform,
}

impl GlyphMasks {
    /// Draw `glyph` in `color` (opaque) from its cached mask, making the mask
    /// the first time. Returns `false`, drawing nothing, for a glyph this
    /// cache does not take (turned, slanted, too large or far off the page):
    /// the caller fills its outline instead.
    pub(crate) fn draw(&self, pixmap: &mut sk::PixmapMut<'_>, glyph: &Glyph, color: sk::PremultipliedColorU8) -> bool {
        let t = glyph.transform;
        let far = |v: f32| v.is_nan() || v.abs() >= 1e7;
        if t.kx != 0.0 || t.ky != 0.0 || far(t.tx) || far(t.ty) || !t.sx.is_finite() || !t.sy.is_finite() {
            return false;
        }
        let (ix, qx) = split(t.tx);
        let (iy, qy) = split(t.ty);
        let key = Key {
            face: Arc::as_ptr(glyph.face) as usize,
            gid: glyph.gid,
            sx: t.sx.to_bits(),
            sy: t.sy.to_bits(),
            qx,
            qy,
        };
        // The cache's mask, or whether this is the glyph's first sighting.
        let (found, first) = match self.inner.lock() {
            Ok(mut inner) => match inner.masks.get(&key).cloned() {
                Some(mask) => (Some(mask), false),
                None => {
                    let first = inner.seen.insert(key);
                    if first {
                        inner.bytes += SEEN_BYTES;
                    }
                    (None, first)
                }
            },
            Err(_) => (None, true),
        };
        let mask = match found {
            Some(mask) => mask,
            None => {
                let origin = (f32::from(qx) / STEPS, f32::from(qy) / STEPS);
                let Some(mask) = rasterize(glyph.outline, t.sx, t.sy, origin) else { return false };
                let mask = mask.map(Arc::new);
                // Kept from the second sighting on: a single render's
                // glyphs seldom recur at the same sixteenth of a pixel.
                if !first {
                    self.keep(key, glyph.face, mask.clone());
                }
                mask
            }
        };
        if let Some(m) = mask {
            composite(pixmap, &m, ix, iy, color);
        }
        true
    }

    /// How many masks are kept.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.inner.lock().map_or(0, |i| i.masks.len())
    }

    /// Remember `mask` under `key`, starting again when the cache is full.
    fn keep(&self, key: Key, face: &Arc<FontFace>, mask: Option<Arc<GlyphMask>>) {
        let Ok(mut inner) = self.inner.lock() else { return };
        let size = mask.as_ref().map_or(0, |m| m.mask.data().len()) + 64;
        if inner.bytes + size > MAX_BYTES {
            *inner = Inner::default();
        }
        if !inner.faces.iter().any(|f| Arc::ptr_eq(f, face)) {
            inner.faces.push(face.clone());
        }
        inner.bytes += size;
        inner.masks.insert(key, mask);
    }
}

/// A device coordinate as a whole pixel and the nearest sixteenth past it.
fn split(v: f32) -> (i32, u8) {
    let whole = v.floor();
    let q = ((v - whole) * STEPS).round();
    if q >= STEPS { (whole as i32 + 1, 0) } else { (whole as i32, q as u8) }
}

/// The coverage of `outline` scaled by (`sx`, `sy`) with its origin at
/// `origin` (a fraction of a pixel): `Some(None)` for a glyph without ink,
/// `None` for one too large to cache.
fn rasterize(outline: &sk::Path, sx: f32, sy: f32, origin: (f32, f32)) -> Option<Option<GlyphMask>> {
    let b = outline.bounds();
    let xs = [sx * b.left() + origin.0, sx * b.right() + origin.0];
    let ys = [sy * b.top() + origin.1, sy * b.bottom() + origin.1];
    let (x0, x1) = (xs[0].min(xs[1]).floor() - 1.0, xs[0].max(xs[1]).ceil() + 1.0);
    let (y0, y1) = (ys[0].min(ys[1]).floor() - 1.0, ys[0].max(ys[1]).ceil() + 1.0);
    let (w, h) = (x1 - x0, y1 - y0);
    // (Not finite, from a damaged outline: too large as well.)
    if (w * h).partial_cmp(&(MAX_MASK_PIXELS as f32)) != Some(std::cmp::Ordering::Less) {
        return None;
    }
    let Some(mut mask) = sk::Mask::new(w as u32, h as u32) else { return Some(None) };
    let ts = sk::Transform::from_row(sx, 0.0, 0.0, sy, origin.0 - x0, origin.1 - y0);
    coverage(outline, ts, &mut mask);
    Some(Some(GlyphMask { left: x0 as i32, top: y0 as i32, mask }))
}

/// Fill `mask` with the exact area of each pixel that `outline` (moved by
/// `ts`) covers, by the non-zero rule: edges are accumulated as signed
/// areas and summed along each row, as font rasterisers do, at a fraction
/// of the cost of supersampling.
fn coverage(outline: &sk::Path, ts: sk::Transform, mask: &mut sk::Mask) {
    let (w, h) = (mask.width() as usize, mask.height() as usize);
    let mut r = ab_glyph_rasterizer::Rasterizer::new(w, h);
    let at = |p: sk::Point| ab_glyph_rasterizer::point(ts.sx * p.x + ts.tx, ts.sy * p.y + ts.ty);
    let (mut start, mut pen) = (None, ab_glyph_rasterizer::point(0.0, 0.0));
    // An open contour is closed, as filling closes it.
    let close = |r: &mut ab_glyph_rasterizer::Rasterizer, start: &mut Option<_>, pen| {
        if let Some(s) = start.take() {
            r.draw_line(pen, s);
        }
    };
    for segment in outline.segments() {
        match segment {
            sk::PathSegment::MoveTo(p) => {
                close(&mut r, &mut start, pen);
                pen = at(p);
                start = Some(pen);
            }
            sk::PathSegment::LineTo(p) => {
                let p = at(p);
                r.draw_line(pen, p);
                pen = p;
            }
            sk::PathSegment::QuadTo(c, p) => {
                let p = at(p);
                r.draw_quad(pen, at(c), p);
                pen = p;
            }
            sk::PathSegment::CubicTo(c1, c2, p) => {
                let p = at(p);
                r.draw_cubic(pen, at(c1), at(c2), p);
                pen = p;
            }
            sk::PathSegment::Close => close(&mut r, &mut start, pen),
        }
    }
    close(&mut r, &mut start, pen);
    let data = mask.data_mut();
    r.for_each_pixel(|i, c| {
        if let Some(d) = data.get_mut(i) {
            *d = (c.clamp(0.0, 1.0) * 255.0 + 0.5) as u8;
        }
    });
}

/// Composite `color` through `m` onto `pixmap` (premultiplied RGBA), with
/// the glyph's origin in pixel (`ix`, `iy`); what falls off the page is
/// skipped.
fn composite(pixmap: &mut sk::PixmapMut<'_>, m: &GlyphMask, ix: i32, iy: i32, color: sk::PremultipliedColorU8) {
    let (pw, ph) = (pixmap.width() as i64, pixmap.height() as i64);
    let (mw, mh) = (m.mask.width() as i64, m.mask.height() as i64);
    let (left, top) = (i64::from(ix) + i64::from(m.left), i64::from(iy) + i64::from(m.top));
    let (x0, x1) = (left.max(0), (left + mw).min(pw));
    let (y0, y1) = (top.max(0), (top + mh).min(ph));
    if x0 >= x1 || y0 >= y1 {
        return;
    }
    let src = [color.red(), color.green(), color.blue(), color.alpha()].map(u32::from);
    let data = pixmap.data_mut();
    let coverage = m.mask.data();
    for y in y0..y1 {
        let row = ((y - top) * mw) as usize;
        let cov = &coverage[row + (x0 - left) as usize..row + (x1 - left) as usize];
        let at = ((y * pw + x0) * 4) as usize;
        let dst = &mut data[at..at + cov.len() * 4];
        for (px, &a) in dst.chunks_exact_mut(4).zip(cov) {
            match a {
                0 => {}
                255 => px.copy_from_slice(&[color.red(), color.green(), color.blue(), color.alpha()]),
                a => {
                    let (a, keep) = (u32::from(a), 255 - u32::from(a));
                    for (d, s) in px.iter_mut().zip(src) {
                        *d = div255(s * a + u32::from(*d) * keep);
                    }
                }
            }
        }
    }
}

/// `v / 255`, rounded, for `v` up to 255².
fn div255(v: u32) -> u8 {
    ((v + 128 + ((v + 128) >> 8)) >> 8) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_split_into_whole_pixels_and_sixteenths() {
        assert_eq!(split(10.0), (10, 0));
        assert_eq!(split(10.3), (10, 5));
        assert_eq!(split(10.99), (11, 0));
        assert_eq!(split(-0.6), (-1, 6));
    }

    #[test]
    fn division_by_255_rounds() {
        for v in 0..=255u32 * 255 {
            assert_eq!(u32::from(div255(v)), (v as f32 / 255.0).round() as u32, "{v}");
        }
    }

    #[test]
    fn glyph_coverage_agrees_with_a_supersampled_fill() {
        // Every glyph of the bundled text face, at text and display sizes
        // and an odd subpixel origin: the exact-area coverage and
        // tiny-skia's supersampled fill hold the same ink, and differ only
        // along edges, by little.
        let book = crate::fonts::FontBook::with_bundled();
        let face = book.face(0).face();
        let (mut ink, mut other, mut diff, mut pixels, mut worst) = (0u64, 0u64, 0u64, 0u64, 0u8);
        for gid in (0..face.number_of_glyphs()).step_by(7) {
            let Some(path) = super::super::outline(face, gid) else { continue };
            for size in [0.012f32, 0.08] {
                let Some(Some(m)) = rasterize(&path, size, -size, (0.3125, 0.6875)) else { continue };
                let mut reference = sk::Mask::new(m.mask.width(), m.mask.height()).unwrap();
                let ts = sk::Transform::from_row(size, 0.0, 0.0, -size, 0.3125 - m.left as f32, 0.6875 - m.top as f32);
                reference.fill_path(&path, sk::FillRule::Winding, true, ts);
                for (&a, &b) in m.mask.data().iter().zip(reference.data()) {
                    ink += u64::from(a);
                    other += u64::from(b);
                    diff += u64::from(a.abs_diff(b));
                    worst = worst.max(a.abs_diff(b));
                    pixels += 1;
                }
            }
        }
        assert!(pixels > 100_000 && ink > 1_000_000, "glyphs were drawn ({pixels} pixels)");
        let share = (ink as f64 - other as f64).abs() / other as f64;
        assert!(share < 0.01, "ink differs by {:.2} %", share * 100.0);
        let mean = diff as f64 / pixels as f64;
        assert!(mean < 2.0, "mean difference {mean}, largest {worst}");
    }

    #[test]
    fn overlapping_contours_fill_once_and_holes_stay_empty() {
        // Two squares wound the same way, overlapping (as variable fonts
        // draw strokes), and a counter wound the other way inside a third.
        let mut pb = sk::PathBuilder::new();
        pb.push_rect(sk::Rect::from_xywh(1.0, 1.0, 6.0, 6.0).unwrap());
        pb.push_rect(sk::Rect::from_xywh(4.0, 4.0, 6.0, 6.0).unwrap());
        pb.move_to(12.0, 1.0);
        pb.line_to(19.0, 1.0);
        pb.line_to(19.0, 8.0);
        pb.line_to(12.0, 8.0);
        pb.close();
        pb.move_to(14.0, 3.0);
        pb.line_to(14.0, 6.0);
        pb.line_to(17.0, 6.0);
        pb.line_to(17.0, 3.0);
        pb.close();
        let path = pb.finish().unwrap();
        let mut mask = sk::Mask::new(20, 11).unwrap();
        coverage(&path, sk::Transform::identity(), &mut mask);
        let at = |x: usize, y: usize| mask.data()[y * 20 + x];
        assert_eq!(at(5, 5), 255, "the overlap is covered once, fully");
        assert_eq!(at(2, 2), 255);
        assert_eq!(at(8, 8), 255);
        assert_eq!(at(15, 4), 0, "the counter is empty");
        assert_eq!(at(12, 2), 255);
        assert_eq!(at(0, 0), 0);
        assert_eq!(at(9, 2), 0, "outside both squares");
    }

    #[test]
    fn a_square_composites_as_a_filled_path_does() {
        // A 10×10 square at a fractional offset: the cached mask and a
        // direct fill agree within one level everywhere.
        let path = sk::PathBuilder::from_rect(sk::Rect::from_xywh(0.0, 0.0, 10.0, 10.0).unwrap());
        let t = sk::Transform::from_row(1.0, 0.0, 0.0, 1.0, 3.25, 4.5);
        let mut direct = sk::Pixmap::new(20, 20).unwrap();
        direct.fill(sk::Color::WHITE);
        let mut paint = sk::Paint::default();
        paint.set_color_rgba8(200, 30, 20, 255);
        paint.anti_alias = true;
        direct.fill_path(&path, &paint, sk::FillRule::Winding, t, None);
        let mut cached = sk::Pixmap::new(20, 20).unwrap();
        cached.fill(sk::Color::WHITE);
        let (ix, qx) = split(t.tx);
        let (iy, qy) = split(t.ty);
        let m = rasterize(&path, 1.0, 1.0, (f32::from(qx) / STEPS, f32::from(qy) / STEPS)).unwrap().unwrap();
        composite(&mut cached.as_mut(), &m, ix, iy, sk::ColorU8::from_rgba(200, 30, 20, 255).premultiply());
        let worst = direct.data().iter().zip(cached.data()).map(|(a, b)| a.abs_diff(*b)).max().unwrap();
        assert!(worst <= 1, "largest difference {worst}");
        assert_ne!(direct.data(), sk::Pixmap::new(20, 20).unwrap().data());
    }
}
