//! Graphics in the PDF: rectangles (rounded, filled, stroked, gradients),
//! rules and pictures, written as raw path operators, with opacity through
//! ExtGState resources, gradients as axial shadings and pictures as image
//! XObjects embedded once per document.

use super::content::Content;
use super::text::real;
use crate::base::Rgb;
use crate::scene::{GradientStop, ImageItem, LineItem, Paint, RectItem, SceneImage};
use lopdf::{Dictionary, Object, ObjectId, Stream};
use printpdf::{DictItem, ExtendedGraphicsState, ExtendedGraphicsStateId, PdfDocument};
use std::collections::BTreeMap;

/// Resources the pages refer to by name, registered as they are first used.
#[derive(Default)]
pub(super) struct Resources {
    /// Opacity (in thousandths) → ExtGState name.
    alphas: BTreeMap<u16, String>,
    /// Shading dictionaries by name, added to the pages after printpdf has
    /// written them (printpdf's shadings are RGB only).
    pub(super) shadings: Vec<(String, Dictionary)>,
    /// Scene image index → XObject name.
    pub(super) images: BTreeMap<usize, String>,
    /// Write every colour as DeviceCMYK.
    pub(super) cmyk: bool,
}

/// One drawing point in PDF space (y up).
fn pt(page_h: f32, x: f32, y: f32) -> (f32, f32) {
    (x, page_h - y)
}

fn name(s: &str) -> DictItem {
    DictItem::Name(s.as_bytes().to_vec())
}

/// Set a fill (or stroke) colour: DeviceCMYK in a CMYK job or for a colour
/// given in CMYK, DeviceRGB otherwise.
pub(super) fn set_color(ops: &mut Content, c: Rgb, stroke: bool, cmyk_job: bool) {
    if cmyk_job || c.cmyk.is_some() {
        let [cy, m, y, k] = c.to_cmyk();
        ops.op(if stroke { "K" } else { "k" }, &[real(cy), real(m), real(y), real(k)]);
    } else {
        ops.op(if stroke { "RG" } else { "rg" }, &[real(c.r), real(c.g), real(c.b)]);
    }
}

impl Resources {
    /// The graphics state for an opacity, registered once per value.
    pub(super) fn alpha(&mut self, doc: &mut PdfDocument, opacity: f32) -> String {
        let key = (opacity.clamp(0.0, 1.0) * 1000.0).round() as u16;
        if let Some(n) = self.alphas.get(&key) {
            return n.clone();
        }
        let n = format!("GS{key}");
        let a = key as f32 / 1000.0;
        let state = ExtendedGraphicsState::default().with_current_fill_alpha(a).with_current_stroke_alpha(a);
        doc.resources.extgstates.map.insert(ExtendedGraphicsStateId(n.clone()), state);
        self.alphas.insert(key, n.clone());
        n
    }

    /// An axial shading for a linear gradient, in PDF space, in the job's
    /// colour space (see [`shading_dict`]).
    fn shading(&mut self, page_h: f32, line: [f32; 4], stops: &[GradientStop]) -> String {
        let n = format!("Sh{}", self.shadings.len());
        let (a, b) = (pt(page_h, line[0], line[1]), pt(page_h, line[2], line[3]));
        let stops: Vec<(f32, Rgb)> = stops.iter().map(|s| (s.offset, s.color)).collect();
        let dict = shading_dict(2, &[a.0, a.1, b.0, b.1], &stops, self.cmyk);
        self.shadings.push((n.clone(), dict));
        n
    }
}

/// A shading dictionary: `kind` 2 (axial, coords x0 y0 x1 y1) or 3 (radial,
/// coords x0 y0 r0 x1 y1 r1), extended at both ends, in CMYK when the job
/// is (`cmyk`) or a stop was given in CMYK: one exponential function between
/// two stops, a stitching function of one per pair over more (the first
/// stop's colour from 0, the last's up to 1).
pub(super) fn shading_dict(kind: i64, coords: &[f32], stops: &[(f32, Rgb)], cmyk: bool) -> Dictionary {
    let cmyk = cmyk || stops.iter().any(|(_, c)| c.cmyk.is_some());
    let comps = |c: Rgb| -> Object {
        let v: Vec<f32> = if cmyk { c.to_cmyk().to_vec() } else { vec![c.r, c.g, c.b] };
        Object::Array(v.into_iter().map(Object::Real).collect())
    };
    let segment = |a: Rgb, b: Rgb| {
        Object::Dictionary(Dictionary::from_iter(vec![
            ("FunctionType", Object::Integer(2)),
            ("Domain", Object::Array(vec![Object::Real(0.0), Object::Real(1.0)])),
            ("C0", comps(a)),
            ("C1", comps(b)),
            ("N", Object::Real(1.0)),
        ]))
    };
    let function = if stops.len() <= 2 {
        segment(stops[0].1, stops[stops.len() - 1].1)
    } else {
        let pieces: Vec<Object> = stops.windows(2).map(|w| segment(w[0].1, w[1].1)).collect();
        let bounds: Vec<Object> = stops[1..stops.len() - 1].iter().map(|s| Object::Real(s.0)).collect();
        let encode: Vec<Object> = (0..pieces.len()).flat_map(|_| [Object::Real(0.0), Object::Real(1.0)]).collect();
        Object::Dictionary(Dictionary::from_iter(vec![
            ("FunctionType", Object::Integer(3)),
            ("Domain", Object::Array(vec![Object::Real(0.0), Object::Real(1.0)])),
            ("Functions", Object::Array(pieces)),
            ("Bounds", Object::Array(bounds)),
            ("Encode", Object::Array(encode)),
        ]))
    };
    Dictionary::from_iter(vec![
        ("ShadingType", Object::Integer(kind)),
        ("ColorSpace", Object::Name(if cmyk { b"DeviceCMYK".to_vec() } else { b"DeviceRGB".to_vec() })),
        ("Coords", Object::Array(coords.iter().map(|&v| Object::Real(v)).collect())),
        ("Function", function),
        ("Extend", Object::Array(vec![Object::Boolean(true), Object::Boolean(true)])),
    ])
}

/// Append the path of a (rounded) rectangle.
fn rect_path(ops: &mut Content, r: &RectItem, page_h: f32) {
    let rad = r.radius.min(r.width / 2.0).min(r.height / 2.0).max(0.0);
    if rad <= 0.0 {
        let (x, y) = pt(page_h, r.x, r.y + r.height);
        ops.op("re", &[real(x), real(y), real(r.width), real(r.height)]);
        return;
    }
    // Corners as cubic Béziers (k ≈ 0.5523 of the radius).
    let k = 0.552_284_8 * rad;
    let (x0, y0, x1, y1) = (r.x, r.y, r.x + r.width, r.y + r.height);
    let p = |x: f32, y: f32| {
        let (a, b) = pt(page_h, x, y);
        [real(a), real(b)]
    };
    let mv = |ops: &mut Content, x, y| ops.op("m", &p(x, y));
    let ln = |ops: &mut Content, x, y| ops.op("l", &p(x, y));
    let cv = |ops: &mut Content, [a, b, c]: [(f32, f32); 3]| {
        let ([ax, ay], [bx, by], [cx, cy]) = (p(a.0, a.1), p(b.0, b.1), p(c.0, c.1));
        ops.op("c", &[ax, ay, bx, by, cx, cy]);
    };
    mv(ops, x0 + rad, y0);
    ln(ops, x1 - rad, y0);
    cv(ops, [(x1 - rad + k, y0), (x1, y0 + rad - k), (x1, y0 + rad)]);
    ln(ops, x1, y1 - rad);
    cv(ops, [(x1, y1 - rad + k), (x1 - rad + k, y1), (x1 - rad, y1)]);
    ln(ops, x0 + rad, y1);
    cv(ops, [(x0 + rad - k, y1), (x0, y1 - rad + k), (x0, y1 - rad)]);
    ln(ops, x0, y0 + rad);
    cv(ops, [(x0, y0 + rad - k), (x0 + rad - k, y0), (x0 + rad, y0)]);
    ops.op("h", &[]);
}

/// Draw a rectangle: fill (solid or gradient), then stroke, at its opacity.
pub(super) fn draw_rect(ops: &mut Content, r: &RectItem, page_h: f32, res: &mut Resources, doc: &mut PdfDocument) {
    if r.width <= 0.0 || r.height <= 0.0 || (r.fill.is_none() && r.stroke.is_none()) {
        return;
    }
    ops.op("q", &[]);
    if r.opacity < 1.0 {
        let gs = res.alpha(doc, r.opacity);
        ops.op("gs", &[name(&gs)]);
    }
    match &r.fill {
        Some(Paint::Solid(c)) => {
            set_color(ops, *c, false, res.cmyk);
            rect_path(ops, r, page_h);
            ops.op("f", &[]);
        }
        Some(Paint::Linear { x1, y1, x2, y2, stops }) => {
            let sh = res.shading(page_h, [*x1, *y1, *x2, *y2], stops);
            ops.op("q", &[]);
            rect_path(ops, r, page_h);
            ops.op("W", &[]);
            ops.op("n", &[]);
            ops.op("sh", &[name(&sh)]);
            ops.op("Q", &[]);
        }
        None => {}
    }
    if let Some(s) = r.stroke {
        set_color(ops, s.color, true, res.cmyk);
        ops.op("w", &[real(s.width)]);
        rect_path(ops, r, page_h);
        ops.op("S", &[]);
    }
    ops.op("Q", &[]);
}

/// Draw a straight rule.
pub(super) fn draw_line(ops: &mut Content, l: &LineItem, page_h: f32, res: &Resources) {
    let (a, b) = (pt(page_h, l.x1, l.y1), pt(page_h, l.x2, l.y2));
    ops.op("q", &[]);
    set_color(ops, l.color, true, res.cmyk);
    ops.op("w", &[real(l.width)]);
    ops.op("m", &[real(a.0), real(a.1)]);
    ops.op("l", &[real(b.0), real(b.1)]);
    ops.op("S", &[]);
    ops.op("Q", &[]);
}

/// Draw a picture into its rectangle, clipped, at its opacity. The image
/// XObject itself is written once per document by [`embed_images`].
pub(super) fn draw_image(ops: &mut Content, i: &ImageItem, page_h: f32, res: &mut Resources, doc: &mut PdfDocument) {
    let n = res.images.len();
    let name_str = res.images.entry(i.image).or_insert_with(|| format!("Im{n}")).clone();
    ops.op("q", &[]);
    if i.opacity < 1.0 {
        let gs = res.alpha(doc, i.opacity);
        ops.op("gs", &[name(&gs)]);
    }
    let (cx, cy) = pt(page_h, i.clip.x, i.clip.y + i.clip.height);
    ops.op("re", &[real(cx), real(cy), real(i.clip.width), real(i.clip.height)]);
    ops.op("W", &[]);
    ops.op("n", &[]);
    let (x, y) = pt(page_h, i.x, i.y + i.height);
    ops.op("cm", &[real(i.width), real(0.0), real(0.0), real(i.height), real(x), real(y)]);
    ops.op("Do", &[name(&name_str)]);
    ops.op("Q", &[]);
}

/// Write each used picture once as an image XObject (a JPEG as it is, with
/// DCTDecode; other pictures as Flate RGB with an alpha soft mask) and make
/// them available to every page under their names.
pub(super) fn embed_images(lo: &mut lopdf::Document, images: &[SceneImage], res: &Resources) {
    let mut entries: Vec<(String, Object)> = Vec::new();
    for (&index, n) in &res.images {
        let Some(img) = images.get(index) else { continue };
        entries.push((n.clone(), Object::Reference(image_object(lo, img, res.cmyk))));
    }
    super::add_page_resources(lo, "XObject", entries);
    let shadings = res.shadings.iter().map(|(n, d)| (n.clone(), Object::Dictionary(d.clone()))).collect();
    super::add_page_resources(lo, "Shading", shadings);
}

/// One picture as an image XObject: a JPEG as it is (RGB jobs), else Flate
/// pixels in the job's colour space with an alpha soft mask.
fn image_object(lo: &mut lopdf::Document, img: &SceneImage, cmyk: bool) -> ObjectId {
    let base = |cs: &str| {
        Dictionary::from_iter(vec![
            ("Type", Object::Name(b"XObject".to_vec())),
            ("Subtype", Object::Name(b"Image".to_vec())),
            ("Width", Object::Integer(img.width as i64)),
            ("Height", Object::Integer(img.height as i64)),
            ("ColorSpace", Object::Name(cs.as_bytes().to_vec())),
            ("BitsPerComponent", Object::Integer(8)),
        ])
    };
    if let Some(jpeg) = img.jpeg.as_ref().filter(|_| !cmyk) {
        let mut d = base(if jpeg.components == 1 { "DeviceGray" } else { "DeviceRGB" });
        d.set("Filter", Object::Name(b"DCTDecode".to_vec()));
        let mut s = Stream::new(d, jpeg.bytes.clone());
        s.allows_compression = false;
        return lo.add_object(s);
    }
    let px = &img.pixels.rgba;
    let (color, mut d) = if cmyk {
        let conv = |p: &[u8]| Rgb::from_u8(p[0], p[1], p[2]).to_cmyk().map(|v| (v * 255.0).round() as u8);
        (px.chunks_exact(4).flat_map(conv).collect::<Vec<u8>>(), base("DeviceCMYK"))
    } else {
        (px.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect(), base("DeviceRGB"))
    };
    if img.pixels.has_alpha {
        let alpha: Vec<u8> = px.chunks_exact(4).map(|p| p[3]).collect();
        let mask = lo.add_object(Stream::new(base("DeviceGray"), alpha));
        d.set("SMask", Object::Reference(mask));
    }
    lo.add_object(Stream::new(d, color))
}
