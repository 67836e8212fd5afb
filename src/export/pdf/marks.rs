//! Printer's marks in the slug: crop marks, registration targets and a
//! colour bar, all outside the bleed so they never touch the artwork, in
//! registration colour (100 % of every ink).

use super::PageBoxes;
use super::content::Content;
use super::text::real;
use crate::base::Mark;
use crate::base::PT_PER_MM;

/// Width of the slug around the bleed that holds the marks.
pub const SLUG: f32 = 9.0 * PT_PER_MM;
/// Gap between the bleed edge and the marks.
const GAP: f32 = 1.0 * PT_PER_MM;
/// Hairline for marks.
const LINE: f32 = 0.25;

fn registration(ops: &mut Content, stroke: bool) {
    ops.op(if stroke { "K" } else { "k" }, &[1.0, 1.0, 1.0, 1.0].map(real));
}

fn line(ops: &mut Content, x0: f32, y0: f32, x1: f32, y1: f32) {
    ops.op("m", &[real(x0), real(y0)]);
    ops.op("l", &[real(x1), real(y1)]);
}

/// Draw the requested marks around a trim of `w × h` (media coordinates, y up).
pub(super) fn draw(ops: &mut Content, marks: &[Mark], b: &PageBoxes, w: f32, h: f32) {
    if marks.is_empty() {
        return;
    }
    let o = b.offset;
    let start = b.bleed + GAP; // marks begin this far outside the trim
    let len = b.slug - 2.0 * GAP;
    ops.op("q", &[]);
    registration(ops, true);
    ops.op("w", &[real(LINE)]);
    if marks.contains(&Mark::Crop) {
        for (cx, sx) in [(o, -1.0), (o + w, 1.0)] {
            for (cy, sy) in [(o, -1.0), (o + h, 1.0)] {
                // Horizontal mark on the trim line, vertical mark on the trim line.
                line(ops, cx + sx * start, cy, cx + sx * (start + len), cy);
                line(ops, cx, cy + sy * start, cx, cy + sy * (start + len));
            }
        }
        ops.op("S", &[]);
    }
    if marks.contains(&Mark::Registration) {
        let r = (len / 2.0).min(3.5 * PT_PER_MM);
        let d = start + len / 2.0; // centre line of the slug
        for (x, y) in [(o + w / 2.0, o - d), (o + w / 2.0, o + h + d), (o - d, o + h / 2.0), (o + w + d, o + h / 2.0)] {
            circle(ops, x, y, r * 0.6);
            line(ops, x - r, y, x + r, y);
            line(ops, x, y - r, x, y + r);
            ops.op("S", &[]);
        }
    }
    if marks.contains(&Mark::Colorbar) {
        // C, M, Y, K solids and 50 % tints along the bottom slug, left of centre.
        let size = (len * 0.8).min(5.0 * PT_PER_MM);
        let y = o - start - len / 2.0 - size / 2.0;
        let patches: [[f32; 4]; 8] = [
            [1.0, 0.0, 0.0, 0.0],
            [0.0, 1.0, 0.0, 0.0],
            [0.0, 0.0, 1.0, 0.0],
            [0.0, 0.0, 0.0, 1.0],
            [0.5, 0.0, 0.0, 0.0],
            [0.0, 0.5, 0.0, 0.0],
            [0.0, 0.0, 0.5, 0.0],
            [0.0, 0.0, 0.0, 0.5],
        ];
        let x0 = o + w * 0.12;
        for (i, c) in patches.iter().enumerate() {
            ops.op("k", &c.map(real));
            ops.op("re", &[real(x0 + i as f32 * size), real(y), real(size), real(size)]);
            ops.op("f", &[]);
        }
    }
    ops.op("Q", &[]);
}

fn circle(ops: &mut Content, x: f32, y: f32, r: f32) {
    let k = 0.552_284_8 * r;
    ops.op("m", &[real(x + r), real(y)]);
    for (c1, c2, e) in [
        ((x + r, y + k), (x + k, y + r), (x, y + r)),
        ((x - k, y + r), (x - r, y + k), (x - r, y)),
        ((x - r, y - k), (x - k, y - r), (x, y - r)),
        ((x + k, y - r), (x + r, y - k), (x + r, y)),
    ] {
        ops.op("c", &[c1.0, c1.1, c2.0, c2.1, e.0, e.1].map(real));
    }
}
