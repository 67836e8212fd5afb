//! Build steps for the bundled Coated FOGRA39 output profile (650 KB):
//! - deflated once here at the best level, so a PDF/X-4 file embeds it
//!   without compressing it on every run (`src/export/pdf/standard.rs`);
//! - its CMYK → sRGB proof colours at the 17⁴ points of a grid, through the
//!   moxcms transform a proof would otherwise build at every start (some 150
//!   million instructions), for `src/export/proof.rs` to interpolate.

use std::io::Write;

fn main() {
    println!("cargo:rerun-if-changed=profiles/CoatedFOGRA39.icc");
    let icc = std::fs::read("profiles/CoatedFOGRA39.icc").expect("profiles/CoatedFOGRA39.icc is in the crate");
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&icc).expect("deflating in memory");
    let deflated = z.finish().expect("deflating in memory");
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("CoatedFOGRA39.icc.zz");
    std::fs::write(out, deflated).expect("writing to OUT_DIR");
    let grid = proof_grid(&icc);
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("fogra39-grid.bin");
    std::fs::write(out, grid).expect("writing to OUT_DIR");
}

/// Points on each CMYK axis of the proof grid (moxcms samples the profile
/// on the same 17 points).
const GRID: usize = 17;

/// sRGB bytes for every grid point, C slowest and K fastest, relative
/// colorimetric (as `src/export/proof.rs` converts).
fn proof_grid(icc: &[u8]) -> Vec<u8> {
    use moxcms::{ColorProfile, Layout, RenderingIntent, TransformOptions};
    let profile = ColorProfile::new_from_slice(icc).expect("the bundled profile reads");
    let options = TransformOptions { rendering_intent: RenderingIntent::RelativeColorimetric, ..Default::default() };
    let transform = profile
        .create_transform_8bit(Layout::Rgba, &ColorProfile::new_srgb(), Layout::Rgb, options)
        .expect("the bundled profile converts to sRGB");
    let level = |i: usize| ((i * 255 + (GRID - 1) / 2) / (GRID - 1)) as u8;
    let mut cmyk = Vec::with_capacity(GRID.pow(4) * 4);
    for c in 0..GRID {
        for m in 0..GRID {
            for y in 0..GRID {
                for k in 0..GRID {
                    cmyk.extend_from_slice(&[level(c), level(m), level(y), level(k)]);
                }
            }
        }
    }
    let mut rgb = vec![0u8; GRID.pow(4) * 3];
    transform.transform(&cmyk, &mut rgb).expect("the grid converts");
    rgb
}
