//! A small personalised layout that names a picture and a font file, and
//! the pictures and data rows to fill it: what the engine and memory tests
//! render many times.

use nashr::DataRow;

/// A layout in a string that names a picture and a font file beside it.
pub fn layout_with(picture: &str, font: &str) -> String {
    format!(
        r##"
fonts = ["{font}"]
[page]
width = "200px"
height = "120px"
[styles.body]
font = "Noto Naskh Arabic"
size = "20px"
align = "center"
[[frame]]
name = "logo"
x = "0px"
y = "0px"
width = "40px"
height = "40px"
image = "{picture}"
image_fit = "fill"
[[frame]]
name = "text"
y = "60px"
[[frame.block]]
type = "paragraph"
text = "سلام {{{{name}}}}"
"##
    )
}

/// A solid PNG of `w × h` pixels.
pub fn png(color: [u8; 3], w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = png::Encoder::new(&mut out, w, h);
    e.set_color(png::ColorType::Rgb);
    e.set_depth(png::BitDepth::Eight);
    let data: Vec<u8> = (0..w * h).flat_map(|_| color).collect();
    e.write_header().unwrap().write_image_data(&data).unwrap();
    out
}

pub fn row(n: usize, name: &str) -> DataRow {
    DataRow { number: n, file: "rows.csv".into(), values: [("name".to_string(), name.to_string())].into() }
}
