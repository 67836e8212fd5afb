//! Variable fonts: the variable Vazirmatn (`fonts/Vazirmatn-Variable.ttf`)
//! set at a weight draws that weight's outlines in PNG and in the PDF (the
//! embedded font is instanced, not the file's default), and at 700 it
//! matches the static Vazirmatn Bold.

mod common;

use common::image::compare;
use common::*;
use nashr::scene::Item;
use nashr::{Engine, Format, RenderOptions};
use tiny_skia::Pixmap;

const TEXT: &str = "نشر فارسی با وزن‌های گوناگون Variable 2026";

/// A layout setting TEXT at `weight`, with the variable font when `variable`.
fn layout(variable: bool, weight: u16) -> String {
    let fonts = if variable { "fonts = [\"../fonts/Vazirmatn-Variable.ttf\"]\n" } else { "" };
    format!(
        "version = 1\n{fonts}[page]\nwidth = \"800px\"\nheight = \"200px\"\nmargin = \"20px\"\n\
         [styles.body]\nsize = \"28pt\"\nweight = {weight}\ndirection = \"rtl\"\n\
         [[frame]]\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"{TEXT}\"\n"
    )
}

fn render(variable: bool, weight: u16, format: Format) -> Vec<u8> {
    let engine = Engine::new();
    let doc = engine.load_str(crate_path("layouts/variable.toml"), &layout(variable, weight)).unwrap();
    engine.render(&doc, &RenderOptions::new(format)).unwrap().bytes
}

fn png(variable: bool, weight: u16) -> Pixmap {
    Pixmap::decode_png(&render(variable, weight, Format::Png)).unwrap()
}

/// Dark pixels: how much ink a rendering has.
fn ink(p: &Pixmap) -> usize {
    p.data().chunks(4).filter(|px| px[0] < 128).count()
}

#[test]
fn the_variable_font_at_700_matches_the_static_bold_in_png() {
    let (var, bold) = (png(true, 700), png(false, 700));
    let d = compare(&var, &bold);
    assert!(d.mean < 0.5 && d.far < 0.002, "variable 700 vs static Bold: {d:?}");
    // And it is not the regular weight: the default instance differs far more.
    let d_regular = compare(&png(true, 400), &bold);
    eprintln!("PNG: variable 700 vs Bold {d:?}; variable 400 vs Bold {d_regular:?}");
    assert!(d_regular.mean > 4.0 * d.mean.max(0.05), "regular vs Bold: {d_regular:?}");
}

#[test]
fn weights_between_the_statics_are_instanced() {
    let engine = Engine::new();
    let doc = engine.load_str(crate_path("layouts/variable.toml"), &layout(true, 650)).unwrap();
    let scene = engine.layout(&doc).unwrap();
    let weights: Vec<u16> = scene.pages[0]
        .items
        .iter()
        .filter_map(|i| if let Item::Glyphs(r) = i { Some(scene.fonts[r.font].weight) } else { None })
        .collect();
    assert!(!weights.is_empty() && weights.iter().all(|&w| w == 650), "{weights:?}");
    // Ink grows with the weight.
    let (w300, w400, w650, w900) =
        (ink(&png(true, 300)), ink(&png(true, 400)), ink(&png(true, 650)), ink(&png(true, 900)));
    assert!(w300 < w400 && w400 < w650 && w650 < w900, "{w300} {w400} {w650} {w900}");
}

#[test]
fn the_pdf_embeds_the_instance() {
    if !require("pdftoppm") {
        return;
    }
    let dir = temp_dir("variable");
    let raster = |variable: bool, weight: u16| {
        let name = format!("v{variable}-{weight}");
        let pdf = dir.join(format!("{name}.pdf"));
        std::fs::write(&pdf, render(variable, weight, Format::Pdf)).unwrap();
        let out = std::process::Command::new("pdftoppm")
            .args(["-r", "96", "-png", "-singlefile"])
            .arg(&pdf)
            .arg(dir.join(&name))
            .output()
            .expect("run pdftoppm");
        assert!(out.status.success());
        Pixmap::load_png(dir.join(format!("{name}.png"))).unwrap()
    };
    let bold = raster(false, 700);
    let d = compare(&raster(true, 700), &bold);
    assert!(d.mean < 0.5 && d.far < 0.002, "PDF: variable 700 vs static Bold: {d:?}");
    let d_regular = compare(&raster(true, 400), &bold);
    eprintln!("PDF: variable 700 vs Bold {d:?}; variable 400 vs Bold {d_regular:?}");
    assert!(d_regular.mean > 4.0 * d.mean.max(0.05), "PDF: regular vs Bold: {d_regular:?}");
}

#[test]
fn variations_set_axes_and_name_a_missing_one() {
    let with = |axes: &str| layout(true, 400).replace("weight = 400", &format!("variations = {{ {axes} }}"));
    let engine = Engine::new();
    let doc = engine.load_str(crate_path("layouts/variable.toml"), &with("wght = 700")).unwrap();
    let p = Pixmap::decode_png(&engine.render(&doc, &RenderOptions::new(Format::Png)).unwrap().bytes).unwrap();
    let d = compare(&p, &png(false, 700));
    assert!(d.mean < 0.5, "wght = 700 draws as the Bold: {d:?}");
    let e = engine.load_str(crate_path("layouts/variable.toml"), &with("wdth = 90")).unwrap_err().to_string();
    assert!(e.contains("no variable wdth axis") && e.contains("variable.toml:9:"), "{e}");
    let e = engine.load_str(crate_path("layouts/variable.toml"), &with("width = 90")).unwrap_err().to_string();
    assert!(e.contains("four letters"), "{e}");
}
