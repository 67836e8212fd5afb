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
use std::sync::{Arc, OnceLock};

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
    let transform = match &scene.print.icc_profile {
        Some((_, bytes)) => transform_of(bytes),
        None => fogra39().clone(),
    };
    let Some(transform) = transform else { return Cow::Borrowed(items) };
    let mut proof = Proof { transform, seen: HashMap::new() };
    let mut items = items.to_vec();
    for item in &mut items {
        proof.item(item);
    }
    Cow::Owned(items)
}

/// The FOGRA39 transform, made once per process.
fn fogra39() -> &'static Option<Transform> {
    static T: OnceLock<Option<Transform>> = OnceLock::new();
    T.get_or_init(|| transform_of(FOGRA39))
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
    transform: Transform,
    seen: HashMap<[u8; 4], [u8; 3]>,
}

impl Proof {
    /// The sRGB a colour prints as; its CMYK stays what the PDF writes.
    fn color(&mut self, c: Rgb) -> Rgb {
        let byte = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
        let k = c.to_cmyk().map(byte);
        let transform = &self.transform;
        let rgb = *self.seen.entry(k).or_insert_with(|| {
            let mut out = [0u8; 3];
            transform.transform(&k, &mut out).map_or([0, 0, 0], |_| out)
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
        let mut p = Proof { transform: fogra39().clone().expect("the bundled profile reads"), seen: HashMap::new() };
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
}
