//! Image comparison for raster and reference-image tests: mean, worst-tile
//! and far-pixel measures, and a difference image written on failure.

use super::crate_path;
use std::path::PathBuf;
use tiny_skia::Pixmap;

/// How two images differ.
#[derive(Debug)]
pub struct Difference {
    /// The compared area: the top-left part both images cover.
    pub width: u32,
    pub height: u32,
    /// Mean absolute difference per colour channel (0–255), over all pixels.
    pub mean: f64,
    /// The same mean over the worst 32×32 pixel tile, and where it starts:
    /// a local mistake (a missing line) that the page's mean dilutes.
    pub tile: f64,
    pub tile_at: (u32, u32),
    /// Largest difference of any channel.
    pub max: u8,
    /// Share of pixels with some channel differing by more than 64.
    pub far: f64,
}

/// What a comparison accepts (each bound exclusive).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub mean: f64,
    pub tile: f64,
    pub far: f64,
}

pub const TILE: u32 = 32;

/// Compare two images channel by channel (colours composited on white, so
/// transparency does not matter), over the area both cover: images whose
/// sizes differ by rounding are cropped to the common size.
pub fn compare(a: &Pixmap, b: &Pixmap) -> Difference {
    let (w, h) = (a.width().min(b.width()), a.height().min(b.height()));
    let (tw, th) = (w.div_ceil(TILE), h.div_ceil(TILE));
    let mut tiles = vec![(0u64, 0u64); (tw * th) as usize];
    let (mut sum, mut max, mut far) = (0u64, 0u8, 0u64);
    for y in 0..h {
        for x in 0..w {
            let (p, q) = (on_white(a, x, y), on_white(b, x, y));
            let d = [p[0].abs_diff(q[0]), p[1].abs_diff(q[1]), p[2].abs_diff(q[2])];
            let s = d.iter().map(|&v| v as u64).sum::<u64>();
            sum += s;
            let t = &mut tiles[((y / TILE) * tw + x / TILE) as usize];
            t.0 += s;
            t.1 += 3;
            let m = *d.iter().max().expect("three");
            max = max.max(m);
            far += (m > 64) as u64;
        }
    }
    let (mut tile, mut tile_at) = (0.0, (0, 0));
    for (i, &(s, n)) in tiles.iter().enumerate() {
        let m = s as f64 / n.max(1) as f64;
        if m > tile {
            (tile, tile_at) = (m, ((i as u32 % tw) * TILE, (i as u32 / tw) * TILE));
        }
    }
    let n = (w as u64 * h as u64).max(1);
    Difference {
        width: w,
        height: h,
        mean: sum as f64 / (3 * n) as f64,
        tile,
        tile_at,
        max,
        far: far as f64 / n as f64,
    }
}

pub fn on_white(p: &Pixmap, x: u32, y: u32) -> [u8; 3] {
    let c = p.pixel(x, y).expect("inside");
    let white = 255 - c.alpha();
    [c.red() + white, c.green() + white, c.blue() + white]
}

/// Write the absolute difference of two images, amplified `gain` times, as
/// `target/raster-diff/NAME.png`, and return its path.
pub fn write_diff(a: &Pixmap, b: &Pixmap, name: &str, gain: u32) -> PathBuf {
    let (w, h) = (a.width().min(b.width()), a.height().min(b.height()));
    let mut out = Pixmap::new(w, h).expect("non-empty");
    for y in 0..h {
        for x in 0..w {
            let (p, q) = (on_white(a, x, y), on_white(b, x, y));
            let i = ((y * w + x) * 4) as usize;
            for c in 0..3 {
                out.data_mut()[i + c] = (p[c].abs_diff(q[c]) as u32 * gain).min(255) as u8;
            }
            out.data_mut()[i + 3] = 255;
        }
    }
    let dir = crate_path("target/raster-diff");
    std::fs::create_dir_all(&dir).expect("diff folder");
    let path = dir.join(format!("{name}.png"));
    out.save_png(&path).expect("diff written");
    path
}

/// Shrink an image `k` times, each pixel the mean of a `k`×`k` block (what
/// a scanner or the eye sees of a finer rendering); the edges that do not
/// fill a block are dropped.
pub fn box_down(p: &Pixmap, k: u32) -> Pixmap {
    let (w, h) = (p.width() / k, p.height() / k);
    let mut out = Pixmap::new(w, h).expect("non-empty");
    let (src, stride) = (p.data(), p.width() as usize * 4);
    let dst = out.data_mut();
    for y in 0..h as usize {
        for x in 0..w as usize {
            let mut sum = [0u32; 4];
            for dy in 0..k as usize {
                let row = (y * k as usize + dy) * stride + x * k as usize * 4;
                for px in src[row..row + k as usize * 4].chunks_exact(4) {
                    for c in 0..4 {
                        sum[c] += px[c] as u32;
                    }
                }
            }
            for c in 0..4 {
                dst[(y * w as usize + x) * 4 + c] = ((sum[c] + k * k / 2) / (k * k)) as u8;
            }
        }
    }
    out
}

/// Compare two images and fail, leaving the difference ×4 behind as an
/// image named in the message, when any measure reaches its limit.
pub fn assert_similar(actual: &Pixmap, expected: &Pixmap, limits: Limits, name: &str) -> Difference {
    let d = compare(actual, expected);
    if d.mean >= limits.mean || d.tile >= limits.tile || d.far >= limits.far {
        let path = write_diff(actual, expected, name, 4);
        panic!(
            "{name}: the images ({}×{} and {}×{}, compared over {}×{}) differ more than {limits:?}: mean {:.3}, \
             worst tile {:.2} at {:?}, largest {}, far {:.5}; the difference ×4 is in {}",
            actual.width(),
            actual.height(),
            expected.width(),
            expected.height(),
            d.width,
            d.height,
            d.mean,
            d.tile,
            d.tile_at,
            d.max,
            d.far,
            path.display()
        );
    }
    d
}
