//! Build step: the bundled Coated FOGRA39 output profile (650 KB), deflated
//! once here at the best level, so a PDF/X-4 file embeds it without
//! compressing it on every run (`src/export/pdf/standard.rs`).

use std::io::Write;

fn main() {
    println!("cargo:rerun-if-changed=profiles/CoatedFOGRA39.icc");
    let icc = std::fs::read("profiles/CoatedFOGRA39.icc").expect("profiles/CoatedFOGRA39.icc is in the crate");
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&icc).expect("deflating in memory");
    let deflated = z.finish().expect("deflating in memory");
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("CoatedFOGRA39.icc.zz");
    std::fs::write(out, deflated).expect("writing to OUT_DIR");
}
