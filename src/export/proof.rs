//! Proof colours: how a CMYK job's colours will look on the press, for its
//! PNG and JPEG proofs.
//!
//! A CMYK job's colours are converted from the CMYK the PDF carries (as
//! given, or by the rule of [`Rgb::to_cmyk`]) to sRGB through the output
//! intent's ICC profile — the layout's `icc_profile`, or Coated FOGRA39
//! (bundled, the profile the PDF declares by default) — with moxcms, a
//! colour-management engine in pure Rust, relative colorimetric (paper
//! white is the image's white). RGB jobs are drawn as written. Pictures are
//! drawn as they are.

use crate::base::{ColorMode, Rgb};
use crate::scene::{Item, Paint, Scene};
use moxcms::{ColorProfile, Layout, RenderingIntent, TransformExecutor, TransformOptions};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use super::FOGRA39;

type Transform = Arc<dyn TransformExecutor<u8> + Send + Sync>;

/// The items of page `page` with their colours as the press will print
/// them, for a CMYK job; the items as they are otherwise (or when the
/// profile cannot be read).
pub(crate) fn page_items(scene: &Scene, page: usize) -> Cow<'_, [Item]> {
    let items = &scene.pages[page].items[..];
    if scene.print.color_mode != ColorMode::Cmyk {
        return Cow::Borrowed(items);
    }
    let convert = match &scene.print.icc_profile {
        Some((_, bytes)) if bytes.as_slice() != FOGRA39 => match transform_of(bytes) {
            Some(t) => Convert::Transform(t),
            None => return Cow::Borrowed(items),
        },
        _ => Convert::Fogra39Grid,
    };
    let mut proof = Proof { convert, seen: HashMap::new() };
    let mut items = items.to_vec();
    for item in &mut items {
        proof.item(item);
    }
    Cow::Owned(items)
}

/// FOGRA39's proof colours at the points of a 17⁴ CMYK grid, sampled at
/// build time through the same moxcms transform `transform_of` makes (see
/// `build.rs`): making that transform costs more than rendering a page.
static FOGRA39_GRID: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/fogra39-grid.bin"));

/// Points on each axis of [`FOGRA39_GRID`].
const GRID: usize = 17;

/// The sRGB FOGRA39 prints CMYK `k` as: the grid interpolated between the
/// sixteen points around `k` (as moxcms interpolates its own grid).
fn fogra39_grid(k: [u8; 4]) -> [u8; 3] {
    let step = 255.0 / (GRID - 1) as f32;
    let mut base = [0usize; 4];
    let mut frac = [0f32; 4];
    for axis in 0..4 {
        let p = (f32::from(k[axis]) / step).min((GRID - 1) as f32);
        base[axis] = (p.floor() as usize).min(GRID - 2);
        frac[axis] = p - base[axis] as f32;
    }
    let mut sum = [0f32; 3];
    for corner in 0..16usize {
        let mut index = 0;
        let mut weight = 1.0;
        for axis in 0..4 {
            let up = corner >> (3 - axis) & 1;
            index = index * GRID + base[axis] + up;
            weight *= if up == 1 { frac[axis] } else { 1.0 - frac[axis] };
        }
        if weight == 0.0 {
            continue;
        }
        for (s, v) in sum.iter_mut().zip(&FOGRA39_GRID[index * 3..index * 3 + 3]) {
            *s += weight * f32::from(*v);
        }
    }
    sum.map(|v| v.round().clamp(0.0, 255.0) as u8)
}

/// How a job's CMYK becomes proof sRGB.
enum Convert {
    /// The bundled FOGRA39, from its build-time grid.
    Fogra39Grid,
    /// Another profile, through a moxcms transform made now.
    Transform(Transform),
}

/// A CMYK → sRGB transform through a profile's tables, if it is a CMYK output profile.
fn transform_of(icc: &[u8]) -> Option<Transform> {
    let profile = ColorProfile::new_from_slice(icc).ok()?;
    let options = TransformOptions { rendering_intent: RenderingIntent::RelativeColorimetric, ..Default::default() };
    let t = profile.create_transform_8bit(Layout::Rgba, &ColorProfile::new_srgb(), Layout::Rgb, options).ok()?;
    Some(t)
}

/// Converts colours, remembering each.
struct Proof {
    convert: Convert,
    seen: HashMap<[u8; 4], [u8; 3]>,
}

impl Proof {
    /// The sRGB a colour prints as; its CMYK stays what the PDF writes.
    fn color(&mut self, c: Rgb) -> Rgb {
        let byte = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
        let k = c.to_cmyk().map(byte);
        let convert = &self.convert;
        let rgb = *self.seen.entry(k).or_insert_with(|| match convert {
            Convert::Fogra39Grid => fogra39_grid(k),
            Convert::Transform(t) => {
                let mut out = [0u8; 3];
                t.transform(&k, &mut out).map_or([0, 0, 0], |_| out)
            }
        });
        Rgb { r: rgb[0] as f32 / 255.0, g: rgb[1] as f32 / 255.0, b: rgb[2] as f32 / 255.0, cmyk: c.cmyk }
    }

    fn paint(&mut self, p: &mut Paint) {
        match p {
            Paint::Solid(c) => *c = self.color(*c),
            Paint::Linear { stops, .. } => {
                for s in stops {
                    s.color = self.color(s.color);
                }
            }
        }
    }

    fn item(&mut self, item: &mut Item) {
        match item {
            Item::Glyphs(run) => run.color = self.color(run.color),
            Item::Rect(r) => {
                if let Some(f) = &mut r.fill {
                    self.paint(f);
                }
                if let Some(s) = &mut r.stroke {
                    s.color = self.color(s.color);
                }
            }
            Item::Line(l) => l.color = self.color(l.color),
            Item::Image(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fogra39_prints_paper_white_and_k_as_a_warm_dark_grey() {
        let mut p = Proof { convert: Convert::Fogra39Grid, seen: HashMap::new() };
        let white = p.color(Rgb::from_cmyk(0.0, 0.0, 0.0, 0.0));
        assert!(white.r > 0.97 && white.g > 0.97 && white.b > 0.97, "{white:?}");
        let black = p.color(Rgb::from_cmyk(0.0, 0.0, 0.0, 1.0));
        // 100 % K on coated paper is not RGB black: about 30–40 / 255.
        assert!(black.r > 0.08 && black.r < 0.25, "{black:?}");
        // A press red is duller than the naive formula's.
        let red = p.color(Rgb::from_cmyk(0.0, 0.95, 0.9, 0.12));
        let naive = Rgb::from_cmyk(0.0, 0.95, 0.9, 0.12);
        assert!(red.r < naive.r, "{red:?} vs {naive:?}");
        assert_eq!(red.cmyk, naive.cmyk, "the CMYK written stays");
    }

    #[test]
    fn the_build_time_grid_gives_what_the_transform_gives() {
        let t = transform_of(FOGRA39).expect("the bundled profile reads");
        let mut worst = 0;
        let mut state = 0x2545_f491u32;
        for _ in 0..2000 {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let k = state.to_le_bytes();
            let mut direct = [0u8; 3];
            t.transform(&k, &mut direct).expect("converts");
            let grid = fogra39_grid(k);
            let d = direct.iter().zip(grid).map(|(a, b)| a.abs_diff(b)).max().unwrap_or(0);
            worst = worst.max(d);
        }
        assert!(worst <= 3, "grid and transform differ by {worst} levels");
        assert_eq!(fogra39_grid([0, 0, 0, 0]), {
            let mut o = [0; 3];
            t.transform(&[0, 0, 0, 0], &mut o).unwrap();
            o
        });
    }
}
