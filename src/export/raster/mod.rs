//! Raster export: one page of a [`Scene`] to pixels (PNG or JPEG), for
//! social-media images and previews.
//!
//! This module owns the rasteriser: drawing glyph outlines, rectangles
//! (rounded, gradient-filled, stroked), lines and pictures with tiny-skia on
//! a white page, and encoding the result. Like the other exporters it knows
//! nothing of TOML, styles or bidi: it draws exactly the Scene the PDF
//! exporter draws, item by item in order, in the same coordinates (points,
//! origin top-left, y down) multiplied by [`RasterOptions::scale`].
//!
//! A CMYK job is drawn in the colours the press will print
//! (`super::proof`: through the output intent's ICC profile, FOGRA39 by
//! default), so a proof shows what the paper will.
//!
//! Glyphs are filled from the font's own outlines (no hinting), so an image
//! matches what a PDF viewer shows at the same resolution up to
//! anti-aliasing.

use crate::base::Rgb;
use crate::scene::{GlyphRun, GradientStop, ImageItem, Item, LineItem, Paint, RectItem, Scene, SceneImage};
use std::collections::HashMap;
use tiny_skia as sk;

mod glyphs;
mod idat;
mod page;

pub(crate) use page::Page;

/// Pixels per point at 96 dpi: a page of `1080px` (810 pt) is 1080 pixels wide.
pub const DEFAULT_SCALE: f32 = 96.0 / 72.0;

/// The largest image this exporter draws, in pixels (100 megapixels, 400 MB
/// of RGBA): a larger one is refused before anything is allocated.
pub const MAX_PIXELS: u64 = 100_000_000;

/// What to rasterise and how finely.
///
/// `scale` is pixels per point: 1 is 72 dpi, [`DEFAULT_SCALE`] (4/3) is
/// 96 dpi, where a CSS pixel of the layout is one image pixel. `page` is the
/// 0-based page index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RasterOptions {
    /// Pixels per point.
    pub scale: f32,
    /// 0-based page index.
    pub page: usize,
    /// How hard PNG image data is compressed.
    pub compression: crate::Compression,
}

impl Default for RasterOptions {
    fn default() -> Self {
        RasterOptions { scale: DEFAULT_SCALE, page: 0, compression: crate::Compression::Standard }
    }
}

/// Errors while rasterising or encoding a page.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RasterError {
    /// The page asked for is not in the document.
    #[error("there is no page {page}: the document has {count} page{}", if *count == 1 { "" } else { "s" })]
    NoSuchPage {
        /// The page asked for, counted from 1 as people count pages.
        page: usize,
        /// How many pages the document has.
        count: usize,
    },
    /// The resolution is zero, negative or not a number.
    #[error("the scale must be a positive number of pixels per point, not {0}")]
    BadScale(f32),
    /// The image would have more pixels than the limit (100 megapixels).
    #[error(
        "a {width}×{height} pixel image ({:.1} megapixels) is over the limit of {} megapixels; use a lower resolution",
        *width as f64 * *height as f64 / 1e6,
        MAX_PIXELS / 1_000_000
    )]
    TooLarge {
        /// Width in pixels.
        width: u64,
        /// Height in pixels.
        height: u64,
    },
    /// The image would be less than one pixel wide or high.
    #[error("a {width}×{height} pixel image has no pixels; use a higher resolution")]
    Empty {
        /// Width in pixels.
        width: u64,
        /// Height in pixels.
        height: u64,
    },
    /// The encoder failed.
    #[error("cannot encode the {format} image: {reason}")]
    Encode {
        /// `PNG` or `JPEG`.
        format: &'static str,
        /// What the encoder said.
        reason: String,
    },
}

/// The pixel size of page `opts.page` at `opts.scale`, checked against
/// [`MAX_PIXELS`]: `round(width × scale) × round(height × scale)`.
pub fn pixel_size(scene: &Scene, opts: &RasterOptions) -> Result<(u32, u32), RasterError> {
    let count = scene.pages.len();
    let page = scene.pages.get(opts.page).ok_or(RasterError::NoSuchPage { page: opts.page + 1, count })?;
    if !(opts.scale.is_finite() && opts.scale > 0.0) {
        return Err(RasterError::BadScale(opts.scale));
    }
    let w = (page.width as f64 * opts.scale as f64).round().max(0.0) as u64;
    let h = (page.height as f64 * opts.scale as f64).round().max(0.0) as u64;
    if w.saturating_mul(h) > MAX_PIXELS {
        return Err(RasterError::TooLarge { width: w, height: h });
    }
    if w == 0 || h == 0 {
        return Err(RasterError::Empty { width: w, height: h });
    }
    Ok((w as u32, h as u32))
}

/// What an engine keeps between raster renders: painted page backgrounds
/// and glyph coverage masks.
#[derive(Default)]
pub(crate) struct RasterCache {
    backgrounds: Backgrounds,
    glyphs: glyphs::GlyphMasks,
    /// The last pages encoded as PNG, band by band.
    png: idat::Bands,
    /// Pages whose encoding is done, for later variants to draw on over a
    /// copied background (fresh memory costs page faults and zeroing).
    spare: std::sync::Mutex<Vec<Page>>,
}

/// The most pages an engine keeps for reuse, and the largest it keeps.
const MAX_SPARE: usize = 4;
const MAX_SPARE_BYTES: usize = 16 << 20;

impl RasterCache {
    /// A page of `w`×`h` pixels with the background of `key` copied in, if
    /// the engine has that background.
    fn page_from_background(&self, key: &BackgroundKey, w: u32, h: u32) -> Option<Page> {
        if !self.backgrounds.has(key) {
            return None;
        }
        let spare = self.spare.lock().ok().and_then(|mut s| {
            let i = s.iter().position(|p| p.width() == w && p.height() == h)?;
            Some(s.swap_remove(i))
        });
        let mut page = match spare {
            Some(page) => page,
            None => Page::new(w, h)?,
        };
        // Every byte is overwritten, so a used page will do.
        if self.backgrounds.copy_into(key, &mut page) {
            return Some(page);
        }
        self.recycle(page);
        None
    }

    /// Keep `page` for a later variant.
    fn recycle(&self, page: Page) {
        if let Ok(mut spare) = self.spare.lock()
            && spare.len() < MAX_SPARE
            && page.data().len() <= MAX_SPARE_BYTES
        {
            spare.push(page);
        }
    }
}

/// Painted page backgrounds, kept by an engine so that a batch paints a
/// background once it has met it twice and later variants start from a
/// copy (a single render does not pay for copying its background into the
/// cache). Holds a few at most.
#[derive(Default)]
struct Backgrounds {
    painted: std::sync::Mutex<Vec<(BackgroundKey, sk::Pixmap)>>,
    seen: std::sync::Mutex<Vec<BackgroundKey>>,
}

/// What a painted background depends on: pixel size, scale and the rectangle.
#[derive(Debug, Clone, PartialEq)]
struct BackgroundKey {
    width: u32,
    height: u32,
    scale: f32,
    rect: RectItem,
}

/// The most backgrounds an engine keeps.
const MAX_BACKGROUNDS: usize = 8;

impl Backgrounds {
    fn has(&self, key: &BackgroundKey) -> bool {
        self.painted.lock().is_ok_and(|p| p.iter().any(|(k, _)| k == key))
    }

    /// Copy the background of `key` into `page`; `false` if there is none.
    fn copy_into(&self, key: &BackgroundKey, page: &mut Page) -> bool {
        let Ok(painted) = self.painted.lock() else { return false };
        match painted.iter().find(|(k, _)| k == key) {
            Some((_, p)) if p.data().len() == page.data().len() => {
                page.data_mut().copy_from_slice(p.data());
                true
            }
            _ => false,
        }
    }

    /// Keep `pixmap` as the background of `key` if `key` was met before;
    /// else only remember the key.
    fn put(&self, key: BackgroundKey, page: &Page) {
        if let Ok(mut seen) = self.seen.lock() {
            match seen.iter().position(|k| *k == key) {
                Some(i) => {
                    seen.remove(i);
                }
                None => {
                    if seen.len() >= MAX_BACKGROUNDS {
                        seen.remove(0);
                    }
                    seen.push(key);
                    return;
                }
            }
        }
        if let Ok(mut painted) = self.painted.lock() {
            if painted.len() >= MAX_BACKGROUNDS {
                painted.remove(0);
            }
            let size = sk::IntSize::from_wh(page.width(), page.height());
            if let Some(pixmap) = size.and_then(|s| sk::Pixmap::from_vec(page.data().to_vec(), s)) {
                painted.push((key, pixmap));
            }
        }
    }
}

/// Draw one page on white and return the pixels (premultiplied RGBA, all
/// opaque), starting from a painted page background when `cache` (an
/// engine's) has it.
pub(crate) fn render_page(
    scene: &Scene,
    opts: &RasterOptions,
    cache: Option<&RasterCache>,
) -> Result<Page, RasterError> {
    let (w, h) = pixel_size(scene, opts)?;
    let page_ts = sk::Transform::from_scale(opts.scale, opts.scale);
    let mut painter = Painter {
        scene,
        ts: page_ts,
        rotated: false,
        scale: opts.scale,
        outlines: HashMap::new(),
        pictures: HashMap::new(),
        masks: cache.map_or(Masks::Own(Default::default()), |c| Masks::Engine(&c.glyphs)),
    };
    let proofed = super::proof::page_items(scene, opts.page);
    let items = &proofed[..];
    // A page background is the same in every variant of a batch: paint it
    // once per engine and start later pages from a copy.
    let background = match (cache.map(|c| &c.backgrounds), items.first()) {
        (Some(backgrounds), Some(Item::Rect(r)))
            if r.x <= 0.0 && r.y <= 0.0 && r.opacity >= 1.0 && r.radius == 0.0 && r.stroke.is_none() =>
        {
            Some((backgrounds, r, BackgroundKey { width: w, height: h, scale: opts.scale, rect: r.clone() }))
        }
        _ => None,
    };
    let mut i = 0;
    let copied = background.as_ref().and_then(|(_, _, key)| cache?.page_from_background(key, w, h));
    let mut pixels = match copied {
        Some(page) => {
            i = 1;
            page
        }
        None => Page::new(w, h).ok_or(RasterError::TooLarge { width: w as u64, height: h as u64 })?,
    };
    if i == 0 {
        let mut pixmap = pixels.as_mut();
        // Paper is white, unless the first thing painted covers it all.
        let covered = matches!(items.first(), Some(Item::Rect(r))
            if r.opacity >= 1.0 && r.fill.is_some() && covers(&pixmap, r, opts.scale));
        if !covered {
            pixmap.fill(sk::Color::WHITE);
        }
        if let Some((cache, r, key)) = background {
            painter.rect(&mut pixmap, r);
            cache.put(key, &pixels);
            i = 1;
        }
    }
    let mut pixmap = pixels.as_mut();
    let page = &scene.pages[opts.page];
    while i < items.len() {
        // An item of a rotated frame is drawn turned about the frame's centre.
        let turn = page.transform_of(items[i].origin());
        painter.rotated = turn.is_some();
        painter.ts = turn.map_or(page_ts, |m| page_ts.pre_concat(affine(m)));
        match &items[i] {
            Item::Glyphs(run) => painter.glyphs(&mut pixmap, run),
            Item::Rect(r) => {
                // Consecutive opaque rectangles of one colour (the modules of
                // a QR code) are filled as one path: filled one by one, the
                // anti-aliased edges they share would show as pale seams.
                let run = match solid_opaque(r) {
                    Some(c) => items[i..]
                        .iter()
                        .take_while(|it| matches!(it, Item::Rect(o) if solid_opaque(o) == Some(c)))
                        .count(),
                    None => 1,
                };
                if run > 1 {
                    painter.rects(&mut pixmap, &items[i..i + run], r);
                    i += run;
                    continue;
                }
                painter.rect(&mut pixmap, r);
            }
            Item::Line(l) => painter.line(&mut pixmap, l),
            Item::Image(im) => painter.image(&mut pixmap, im),
        }
        i += 1;
    }
    Ok(pixels)
}

/// The pixels as RGB composited on white: premultiplied colour plus the
/// uncovered share of white (which cannot overflow, since a premultiplied
/// channel is at most its alpha).
fn on_white(rgba: &[u8]) -> Vec<u8> {
    let mut rgb = vec![0u8; rgba.len() / 4 * 3];
    on_white_into(rgba, &mut rgb);
    rgb
}

/// [`on_white`] for a slice of premultiplied RGBA pixels into `rgb`.
fn on_white_into(rgba: &[u8], rgb: &mut [u8]) {
    for (out, px) in rgb.chunks_exact_mut(12).zip(rgba.chunks_exact(16)) {
        for k in 0..4 {
            let white = 255 - px[4 * k + 3];
            for c in 0..3 {
                out[3 * k + c] = px[4 * k + c].wrapping_add(white);
            }
        }
    }
    let done = rgba.len() / 16 * 4;
    for (out, px) in rgb[done * 3..].chunks_exact_mut(3).zip(rgba[done * 4..].chunks_exact(4)) {
        let white = 255 - px[3];
        for c in 0..3 {
            out[c] = px[c].wrapping_add(white);
        }
    }
}

/// Render one page to PNG bytes, with an engine's background cache.
pub(crate) fn to_png(scene: &Scene, opts: &RasterOptions, cache: Option<&RasterCache>) -> Result<Vec<u8>, RasterError> {
    let pixmap = render_page(scene, opts, cache)?;
    let (w, h) = (pixmap.width(), pixmap.height());
    let encode = |e: png::EncodingError| RasterError::Encode { format: "PNG", reason: e.to_string() };
    // The page is paper: opaque. RGB (a quarter smaller than RGBA), with the
    // resolution recorded so print previews keep their size.
    let (idat, spare) = match opts.compression {
        crate::Compression::Standard => idat::image_data(pixmap, cache.map(|c| &c.png)),
        crate::Compression::Max => (idat::smallest(&pixmap), Some(pixmap)),
    };
    if let (Some(c), Some(page)) = (cache, spare) {
        c.recycle(page);
    }
    let mut out = Vec::with_capacity(idat.len() + 128);
    {
        let mut e = png::Encoder::new(&mut out, w, h);
        e.set_color(png::ColorType::Rgb);
        e.set_depth(png::BitDepth::Eight);
        let ppm = (opts.scale * 72.0 / 0.0254).round() as u32;
        e.set_pixel_dims(Some(png::PixelDimensions { xppu: ppm, yppu: ppm, unit: png::Unit::Meter }));
        let mut writer = e.write_header().map_err(encode)?;
        writer.write_chunk(png::chunk::IDAT, &idat).map_err(encode)?;
        // Dropping the writer ends the file (IEND).
    }
    Ok(out)
}

/// Render one page to baseline JPEG bytes, with an engine's background
/// cache; `quality` is 1–100 (clamped). The resolution (`scale` × 72 dpi)
/// is recorded in the JFIF header.
pub(crate) fn to_jpeg(
    scene: &Scene,
    opts: &RasterOptions,
    quality: u8,
    cache: Option<&RasterCache>,
) -> Result<Vec<u8>, RasterError> {
    let pixmap = render_page(scene, opts, cache)?;
    let (w, h) = (pixmap.width(), pixmap.height());
    let too_big = |_| RasterError::Encode {
        format: "JPEG",
        reason: format!("{w}×{h} pixels is over JPEG's limit of 65535 on a side"),
    };
    let (jw, jh) = (u16::try_from(w).map_err(too_big)?, u16::try_from(h).map_err(too_big)?);
    let rgb = on_white(pixmap.data());
    if let Some(c) = cache {
        c.recycle(pixmap);
    }
    let mut out = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut out, quality.clamp(1, 100));
    let dpi = (opts.scale * 72.0).round().clamp(1.0, u16::MAX as f32) as u16;
    enc.set_density(jpeg_encoder::PixelDensity::dpi(dpi));
    enc.encode(&rgb, jw, jh, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| RasterError::Encode { format: "JPEG", reason: e.to_string() })?;
    Ok(out)
}

/// State of one page render: the scene, the page-to-pixel transform and
/// caches that live as long as the render.
struct Painter<'a> {
    scene: &'a Scene,
    /// Points to pixels (turned for an item of a rotated frame).
    ts: sk::Transform,
    /// The current item is turned.
    rotated: bool,
    scale: f32,
    /// Glyph outlines in font units (y up) per (font index, glyph id);
    /// `None` for glyphs with no outline (spaces).
    outlines: HashMap<(usize, u16), Option<sk::Path>>,
    /// Pictures as premultiplied pixmaps per (image index, halvings).
    pictures: HashMap<(usize, u32), Option<sk::Pixmap>>,
    /// The glyph masks: the engine's, or the render's own without one
    /// (the same pixels either way).
    masks: Masks<'a>,
}

/// Where a render's glyph masks are kept.
enum Masks<'a> {
    Engine(&'a glyphs::GlyphMasks),
    Own(glyphs::GlyphMasks),
}

impl Masks<'_> {
    fn get(&self) -> &glyphs::GlyphMasks {
        match self {
            Masks::Engine(m) => m,
            Masks::Own(m) => m,
        }
    }
}

impl Painter<'_> {
    fn glyphs(&mut self, pixmap: &mut sk::PixmapMut<'_>, run: &GlyphRun) {
        let Some(font) = self.scene.fonts.get(run.font) else { return };
        let face = &font.face;
        let mut paint = sk::Paint::default();
        paint.set_color(color(run.color, 1.0));
        paint.anti_alias = true;
        // Font units to points, y flipped (outlines are y up).
        let k = run.size / face.upem;
        // A slanted run (a synthesized oblique) leans its outlines right.
        let glyph_ts =
            |g: &crate::scene::Glyph| sk::Transform::from_row(k, 0.0, k * run.slant, -k, run.x + g.x, run.y + g.y);
        if run.shadow.is_none() && run.outline.is_none() {
            let (masks, ts) = (self.masks.get(), self.ts);
            let premultiplied = color(run.color, 1.0).premultiply().to_color_u8();
            for g in &run.glyphs {
                let path = self.outlines.entry((run.font, g.id)).or_insert_with(|| outline(face.face(), g.id));
                let Some(path) = path else { continue };
                let transform = ts.pre_concat(glyph_ts(g));
                let glyph = glyphs::Glyph { face: &font.face, gid: g.id, outline: path, transform };
                if !masks.draw(pixmap, &glyph, premultiplied) {
                    pixmap.fill_path(path, &paint, sk::FillRule::Winding, transform, None);
                }
            }
            return;
        }
        // With effects, the run is one path in points: the shadow is drawn
        // from it, then the glyphs, then their outline over them.
        let mut pb = sk::PathBuilder::new();
        for g in &run.glyphs {
            let path = self.outlines.entry((run.font, g.id)).or_insert_with(|| outline(face.face(), g.id));
            if let Some(p) = path.as_ref().and_then(|p| p.clone().transform(glyph_ts(g))) {
                pb.push_path(&p);
            }
        }
        let Some(path) = pb.finish() else { return };
        if let Some(shadow) = run.shadow {
            self.shadow(pixmap, &path, shadow);
        }
        pixmap.fill_path(&path, &paint, sk::FillRule::Winding, self.ts, None);
        if let Some(o) = run.outline {
            let mut paint = sk::Paint { anti_alias: true, ..Default::default() };
            paint.set_color(color(o.color, 1.0));
            let stroke = sk::Stroke { width: o.width, line_join: sk::LineJoin::Round, ..Default::default() };
            pixmap.stroke_path(&path, &paint, &stroke, self.ts, None);
        }
    }

    /// A text shadow: the run's path moved by the shadow's offset, filled
    /// into a coverage mask just large enough, softened (three box blurs,
    /// close to a Gaussian of half the blur radius) and drawn in the
    /// shadow's colour.
    fn shadow(&mut self, pixmap: &mut sk::PixmapMut<'_>, path: &sk::Path, shadow: crate::scene::TextShadow) {
        let ts = self.ts.pre_concat(sk::Transform::from_translate(shadow.x, shadow.y));
        let Some(device) = path.clone().transform(ts) else { return };
        let b = device.bounds();
        let pad = (shadow.blur * self.scale * 1.5).ceil() + 2.0;
        let (x0, y0) = ((b.left() - pad).floor().max(0.0), (b.top() - pad).floor().max(0.0));
        let x1 = (b.right() + pad).ceil().min(pixmap.width() as f32);
        let y1 = (b.bottom() + pad).ceil().min(pixmap.height() as f32);
        if x1 <= x0 || y1 <= y0 {
            return;
        }
        let (w, h) = ((x1 - x0) as u32, (y1 - y0) as u32);
        let Some(mut mask) = sk::Mask::new(w, h) else { return };
        mask.fill_path(&device, sk::FillRule::Winding, true, sk::Transform::from_translate(-x0, -y0));
        let sigma = shadow.blur * self.scale / 2.0;
        if sigma >= 0.5 {
            blur(mask.data_mut(), w as usize, h as usize, sigma);
        }
        let mut paint = sk::Paint::default();
        paint.set_color(color(shadow.color, shadow.opacity));
        let Some(rect) = sk::Rect::from_xywh(0.0, 0.0, w as f32, h as f32) else { return };
        let Some(mut layer) = sk::Pixmap::new(w, h) else { return };
        layer.fill_rect(rect, &paint, sk::Transform::identity(), Some(&mask));
        pixmap.draw_pixmap(
            x0 as i32,
            y0 as i32,
            layer.as_ref(),
            &sk::PixmapPaint::default(),
            sk::Transform::identity(),
            None,
        );
    }

    fn rect(&mut self, pixmap: &mut sk::PixmapMut<'_>, r: &RectItem) {
        let opacity = r.opacity.clamp(0.0, 1.0);
        if opacity <= 0.0 {
            return;
        }
        if let Some(Paint::Linear { x1, y1, x2, y2, stops }) = &r.fill
            && opacity >= 1.0
            && !self.rotated
            && r.stroke.is_none()
            && covers(pixmap, r, self.scale)
            && fill_linear(pixmap, self.scale, [*x1, *y1, *x2, *y2], stops)
        {
            return;
        }
        let Some(path) = rect_path(r.x, r.y, r.width, r.height, r.radius) else { return };
        if let Some(fill) = &r.fill {
            let mut paint = sk::Paint { anti_alias: true, ..Default::default() };
            match fill {
                Paint::Solid(c) => paint.set_color(color(*c, opacity)),
                Paint::Linear { x1, y1, x2, y2, stops } => {
                    let sk_stops: Vec<sk::GradientStop> =
                        stops.iter().map(|s| sk::GradientStop::new(s.offset, color(s.color, opacity))).collect();
                    match sk::LinearGradient::new(
                        sk::Point::from_xy(*x1, *y1),
                        sk::Point::from_xy(*x2, *y2),
                        sk_stops,
                        sk::SpreadMode::Pad,
                        sk::Transform::identity(),
                    ) {
                        Some(shader) => paint.shader = shader,
                        // No stops, or the two ends coincide: the last colour, as a padded gradient shows.
                        None => match stops.last() {
                            Some(s) => paint.set_color(color(s.color, opacity)),
                            None => return,
                        },
                    }
                }
            }
            pixmap.fill_path(&path, &paint, sk::FillRule::Winding, self.ts, None);
        }
        if let Some(stroke) = &r.stroke {
            let mut paint = sk::Paint { anti_alias: true, ..Default::default() };
            paint.set_color(color(stroke.color, opacity));
            let s = sk::Stroke { width: stroke.width.max(0.0), ..Default::default() };
            pixmap.stroke_path(&path, &paint, &s, self.ts, None);
        }
    }

    /// Fill several rectangles of one solid opaque colour as one path.
    fn rects(&mut self, pixmap: &mut sk::PixmapMut<'_>, items: &[Item], first: &RectItem) {
        let mut pb = sk::PathBuilder::new();
        for item in items {
            if let Item::Rect(r) = item
                && let Some(path) = rect_path(r.x, r.y, r.width, r.height, r.radius)
            {
                pb.push_path(&path);
            }
        }
        let (Some(path), Some(c)) = (pb.finish(), solid_opaque(first)) else { return };
        let mut paint = sk::Paint { anti_alias: true, ..Default::default() };
        paint.set_color(color(c, 1.0));
        pixmap.fill_path(&path, &paint, sk::FillRule::Winding, self.ts, None);
    }

    fn line(&mut self, pixmap: &mut sk::PixmapMut<'_>, l: &LineItem) {
        let mut pb = sk::PathBuilder::new();
        pb.move_to(l.x1, l.y1);
        pb.line_to(l.x2, l.y2);
        let Some(path) = pb.finish() else { return };
        let mut paint = sk::Paint { anti_alias: true, ..Default::default() };
        paint.set_color(color(l.color, 1.0));
        let s = sk::Stroke { width: l.width.max(0.0), line_cap: sk::LineCap::Butt, ..Default::default() };
        pixmap.stroke_path(&path, &paint, &s, self.ts, None);
    }

    fn image(&mut self, pixmap: &mut sk::PixmapMut<'_>, item: &ImageItem) {
        let opacity = item.opacity.clamp(0.0, 1.0);
        let Some(img) = self.scene.images.get(item.image) else { return };
        if opacity <= 0.0 || img.width == 0 || img.height == 0 || item.width <= 0.0 || item.height <= 0.0 {
            return;
        }
        if let Some(svg) = &img.svg {
            self.svg(pixmap, item, svg, opacity);
            return;
        }
        // The visible part: the destination rectangle within the clip.
        let c = &item.clip;
        let (left, top) = (item.x.max(c.x), item.y.max(c.y));
        let (right, bottom) = ((item.x + item.width).min(c.x + c.width), (item.y + item.height).min(c.y + c.height));
        let Some(visible) = sk::Rect::from_ltrb(left, top, right, bottom) else { return };
        // Bicubic sampling alone aliases when a picture is shrunk a lot, so
        // halve it (averaging 2×2 blocks) while it is still over twice the
        // size it is drawn at.
        let shown_w = item.width * self.scale;
        let shown_h = item.height * self.scale;
        let mut halvings = 0;
        while (img.width >> (halvings + 1)) as f32 >= shown_w * 2.0
            && (img.height >> (halvings + 1)) as f32 >= shown_h * 2.0
        {
            halvings += 1;
        }
        let picture = self.pictures.entry((item.image, halvings)).or_insert_with(|| picture(img, halvings));
        let Some(picture) = picture else { return };
        let (sx, sy) = (item.width / picture.width() as f32, item.height / picture.height() as f32);
        let pattern_ts = sk::Transform::from_row(sx, 0.0, 0.0, sy, item.x, item.y);
        // A picture drawn pixel for pixel onto the grid is copied as it is;
        // bicubic sampling (Mitchell) would soften it a little.
        let on_grid = |v: f32| (v - v.round()).abs() < 1e-3;
        let unit = |v: f32| (v - 1.0).abs() < 1e-3;
        let s = self.scale;
        let quality = if !self.rotated && unit(sx * s) && unit(sy * s) && on_grid(item.x * s) && on_grid(item.y * s) {
            sk::FilterQuality::Nearest
        } else {
            sk::FilterQuality::Bicubic
        };
        let paint = sk::Paint {
            shader: sk::Pattern::new(picture.as_ref(), sk::SpreadMode::Pad, quality, opacity, pattern_ts),
            anti_alias: true,
            ..Default::default()
        };
        pixmap.fill_rect(visible, &paint, self.ts, None);
    }
}

impl Painter<'_> {
    /// An SVG picture, drawn by resvg at the output's resolution: straight
    /// onto the page when it is opaque and wholly inside its clip, else
    /// onto a layer the page's size that is then drawn through the clip at
    /// the picture's opacity.
    fn svg(&mut self, pixmap: &mut sk::PixmapMut<'_>, item: &ImageItem, svg: &crate::svg::Svg, opacity: f32) {
        let size = svg.tree.size();
        let (sx, sy) = (item.width / size.width(), item.height / size.height());
        let ts = self.ts.pre_concat(sk::Transform::from_row(sx, 0.0, 0.0, sy, item.x, item.y));
        let c = &item.clip;
        let inside = c.x <= item.x + 1e-3
            && c.y <= item.y + 1e-3
            && c.x + c.width >= item.x + item.width - 1e-3
            && c.y + c.height >= item.y + item.height - 1e-3;
        if inside && opacity >= 1.0 {
            resvg::render(&svg.tree, ts, pixmap);
            return;
        }
        let (Some(mut layer), Some(mut mask)) =
            (sk::Pixmap::new(pixmap.width(), pixmap.height()), sk::Mask::new(pixmap.width(), pixmap.height()))
        else {
            return;
        };
        resvg::render(&svg.tree, ts, &mut layer.as_mut());
        let Some(clip) = rect_path(c.x, c.y, c.width, c.height, 0.0) else { return };
        mask.fill_path(&clip, sk::FillRule::Winding, true, self.ts);
        let paint = sk::PixmapPaint { opacity, ..Default::default() };
        pixmap.draw_pixmap(0, 0, layer.as_ref(), &paint, sk::Transform::identity(), Some(&mask));
    }
}

/// A Scene affine map as a tiny-skia transform.
fn affine(m: crate::scene::Affine) -> sk::Transform {
    sk::Transform::from_row(m[0], m[1], m[2], m[3], m[4], m[5])
}

/// Soften an 8-bit coverage mask in place: three box blurs across and down,
/// whose sum is close to a Gaussian of deviation `sigma` pixels.
fn blur(data: &mut [u8], w: usize, h: usize, sigma: f32) {
    // Box widths for three passes (Kovesi's "fast almost-Gaussian").
    let ideal = (12.0 * sigma * sigma / 3.0 + 1.0).sqrt();
    let mut lower = ideal.floor() as usize;
    if lower.is_multiple_of(2) {
        lower = lower.saturating_sub(1);
    }
    let upper = lower + 2;
    let m = ((12.0 * sigma * sigma - 3.0 * (lower * lower) as f32 - 12.0 * lower as f32 - 9.0)
        / (-4.0 * lower as f32 - 4.0))
        .round()
        .clamp(0.0, 3.0) as usize;
    let mut tmp = vec![0u8; data.len()];
    for pass in 0..3 {
        let r = (if pass < m { lower } else { upper }) / 2;
        box_pass(data, &mut tmp, w, h, r, true);
        box_pass(&tmp, data, w, h, r, false);
    }
}

/// One box blur of radius `r` along rows (`across`) or columns, from `src` into `dst`.
fn box_pass(src: &[u8], dst: &mut [u8], w: usize, h: usize, r: usize, across: bool) {
    let (lines, len) = if across { (h, w) } else { (w, h) };
    let at = |line: usize, i: usize| if across { line * w + i } else { i * w + line };
    let width = (2 * r + 1) as u32;
    for line in 0..lines {
        let mut sum: u32 = 0;
        // The window [i - r, i + r], zero beyond the edges.
        for i in 0..=r.min(len - 1) {
            sum += src[at(line, i)] as u32;
        }
        for i in 0..len {
            dst[at(line, i)] = ((sum + width / 2) / width) as u8;
            if i + r + 1 < len {
                sum += src[at(line, i + r + 1)] as u32;
            }
            if i >= r {
                sum -= src[at(line, i - r)] as u32;
            }
        }
    }
}

/// The colour of a rectangle that is only an opaque solid fill (no stroke),
/// which may be filled together with its neighbours of the same colour.
fn solid_opaque(r: &RectItem) -> Option<Rgb> {
    match (&r.fill, &r.stroke) {
        (Some(Paint::Solid(c)), None) if r.opacity >= 1.0 => Some(*c),
        _ => None,
    }
}

/// A colour with an alpha, clamped to the valid range.
/// Whether the unrounded rectangle `r` covers every pixel of `pixmap`.
fn covers(pixmap: &sk::PixmapMut<'_>, r: &RectItem, scale: f32) -> bool {
    r.radius == 0.0
        && r.x * scale <= 0.0
        && r.y * scale <= 0.0
        && (r.x + r.width) * scale >= pixmap.width() as f32
        && (r.y + r.height) * scale >= pixmap.height() as f32
}

/// Fill every pixel of `pixmap` with an opaque linear gradient from
/// `(x1, y1)` to `(x2, y2)` (page points, padded beyond its ends), as the
/// general painter would, a row at a time: along a row the gradient
/// position grows by a fixed step, so a full-page background costs a few
/// additions per pixel. False (nothing drawn) when the gradient has no
/// stops, no length, or a position that is not finite.
fn fill_linear(pixmap: &mut sk::PixmapMut<'_>, scale: f32, [x1, y1, x2, y2]: [f32; 4], stops: &[GradientStop]) -> bool {
    let (dx, dy) = (x2 - x1, y2 - y1);
    let len2 = dx * dx + dy * dy;
    if stops.is_empty() || !(len2 > 0.0 && len2.is_finite()) || scale.is_nan() || scale <= 0.0 {
        return false;
    }
    let mut stops = stops.to_vec();
    stops.sort_by(|a, b| a.offset.total_cmp(&b.offset));
    let channel = |v: f32| if v.is_finite() { v.clamp(0.0, 1.0) * 255.0 } else { 0.0 };
    let rgb: Vec<[f32; 3]> =
        stops.iter().map(|s| [channel(s.color.r), channel(s.color.g), channel(s.color.b)]).collect();
    let offsets: Vec<f32> = stops.iter().map(|s| s.offset).collect();
    let at = |t: f32| -> [u8; 4] {
        let k = offsets.partition_point(|&o| o <= t);
        let c = match k {
            0 => rgb[0],
            k if k == offsets.len() => rgb[k - 1],
            k => {
                let span = offsets[k] - offsets[k - 1];
                let f = if span > 0.0 { (t - offsets[k - 1]) / span } else { 1.0 };
                let (a, b) = (rgb[k - 1], rgb[k]);
                [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f]
            }
        };
        [(c[0] + 0.5) as u8, (c[1] + 0.5) as u8, (c[2] + 0.5) as u8, 255]
    };
    // Colours at 4,096 positions: finer than any page's pixels, and two
    // neighbours differ by at most a sixteenth of a level.
    const STEPS: usize = 4096; // a power of two (see the row loop)
    let table: [[u8; 4]; STEPS] = std::array::from_fn(|i| at(i as f32 / (STEPS - 1) as f32));
    let width = pixmap.width() as usize;
    let scaled = (STEPS - 1) as f32 / len2;
    let step = dx / scale * scaled;
    // Table positions in 16.16 fixed point: one add per pixel, and the
    // position clamped to the table without a float conversion.
    let fixed = |v: f32| (f64::from(v).clamp(-1e9, 1e9) * 65536.0).round() as i64;
    let step = fixed(step);
    for (row, pixels) in pixmap.data_mut().chunks_exact_mut(width * 4).enumerate() {
        let py = (row as f32 + 0.5) / scale;
        let start = ((0.5 / scale - x1) * dx + (py - y1) * dy) * scaled;
        if !start.is_finite() {
            return false;
        }
        let mut at = fixed(start + 0.5);
        let last = at + step * (width as i64 - 1);
        let inside = |v: i64| (0..(STEPS as i64) << 16).contains(&v);
        if inside(at) && inside(last) {
            // The whole row within the table (the common case: a gradient
            // that spans its rectangle): no clamping, and the mask only
            // tells the compiler what is already true.
            for px in pixels.chunks_exact_mut(4) {
                px.copy_from_slice(&table[(at >> 16) as usize & (STEPS - 1)]);
                at += step;
            }
            continue;
        }
        for px in pixels.chunks_exact_mut(4) {
            let i = (at >> 16).clamp(0, STEPS as i64 - 1) as usize;
            px.copy_from_slice(&table[i]);
            at += step;
        }
    }
    true
}

fn color(c: Rgb, alpha: f32) -> sk::Color {
    let f = |v: f32| if v.is_finite() { v.clamp(0.0, 1.0) } else { 0.0 };
    sk::Color::from_rgba(f(c.r), f(c.g), f(c.b), f(alpha)).unwrap_or(sk::Color::BLACK)
}

/// A rectangle path in points, with corners rounded by `radius` (clamped to
/// half the smaller side), each quarter circle drawn as one cubic Bézier.
fn rect_path(x: f32, y: f32, w: f32, h: f32, radius: f32) -> Option<sk::Path> {
    if !(w > 0.0 && h > 0.0) {
        return None;
    }
    let r = radius.min(w.min(h) / 2.0);
    if r.is_nan() || r <= 0.0 {
        return Some(sk::PathBuilder::from_rect(sk::Rect::from_xywh(x, y, w, h)?));
    }
    // Distance of the control points from the corner's ends: the usual
    // circle approximation, 4/3·(√2 − 1) ≈ 0.5523 of the radius.
    let c = r * (1.0 - 0.5523);
    let (r0, b0) = (x + w, y + h);
    let mut pb = sk::PathBuilder::new();
    pb.move_to(x + r, y);
    pb.line_to(r0 - r, y);
    pb.cubic_to(r0 - c, y, r0, y + c, r0, y + r);
    pb.line_to(r0, b0 - r);
    pb.cubic_to(r0, b0 - c, r0 - c, b0, r0 - r, b0);
    pb.line_to(x + r, b0);
    pb.cubic_to(x + c, b0, x, b0 - c, x, b0 - r);
    pb.line_to(x, y + r);
    pb.cubic_to(x, y + c, x + c, y, x + r, y);
    pb.close();
    pb.finish()
}

/// A glyph's outline in font units (y up), or `None` when it has none.
fn outline(face: &ttf_parser::Face, gid: u16) -> Option<sk::Path> {
    struct Builder(sk::PathBuilder);
    impl ttf_parser::OutlineBuilder for Builder {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0.move_to(x, y);
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0.line_to(x, y);
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            self.0.quad_to(x1, y1, x, y);
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            self.0.cubic_to(x1, y1, x2, y2, x, y);
        }
        fn close(&mut self) {
            self.0.close();
        }
    }
    let mut b = Builder(sk::PathBuilder::new());
    face.outline_glyph(ttf_parser::GlyphId(gid), &mut b)?;
    b.0.finish()
}

/// A picture as a premultiplied pixmap, halved `halvings` times by
/// averaging 2×2 blocks; `None` if its pixel data does not match its size.
fn picture(img: &SceneImage, halvings: u32) -> Option<sk::Pixmap> {
    let (w, h) = (img.width as usize, img.height as usize);
    let rgba = &img.pixels.rgba;
    if rgba.len() < w.checked_mul(h)?.checked_mul(4)? {
        return None;
    }
    let mut data = Vec::with_capacity(w * h * 4);
    for p in rgba[..w * h * 4].chunks_exact(4) {
        let a = p[3] as u32;
        let pm = |c: u8| ((c as u32 * a + 127) / 255) as u8;
        data.extend_from_slice(&[pm(p[0]), pm(p[1]), pm(p[2]), p[3]]);
    }
    let mut pixmap = sk::Pixmap::from_vec(data, sk::IntSize::from_wh(img.width, img.height)?)?;
    for _ in 0..halvings {
        pixmap = halve(&pixmap)?;
    }
    Some(pixmap)
}

/// Half the size (rounded down), each pixel the mean of a 2×2 block.
fn halve(src: &sk::Pixmap) -> Option<sk::Pixmap> {
    let (w, h) = (src.width() / 2, src.height() / 2);
    let mut out = sk::Pixmap::new(w, h)?;
    let s = src.data();
    let stride = src.width() as usize * 4;
    let d = out.data_mut();
    for y in 0..h as usize {
        for x in 0..w as usize {
            let i = 2 * y * stride + 8 * x;
            for ch in 0..4 {
                let sum =
                    s[i + ch] as u32 + s[i + 4 + ch] as u32 + s[i + stride + ch] as u32 + s[i + stride + 4 + ch] as u32;
                d[(y * w as usize + x) * 4 + ch] = ((sum + 2) / 4) as u8;
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square() -> Scene {
        let engine = crate::Engine::new();
        let doc = engine.load_str("square.toml", "[page]\nwidth = \"1080px\"\nheight = \"1080px\"\n").unwrap();
        engine.layout(&doc).unwrap()
    }

    /// A page-filling gradient painted by tiny-skia's general pipeline.
    fn general_gradient(w: u32, h: u32, scale: f32, ends: [f32; 4], stops: &[GradientStop]) -> sk::Pixmap {
        let mut pixmap = sk::Pixmap::new(w, h).unwrap();
        let sk_stops = stops.iter().map(|s| sk::GradientStop::new(s.offset, color(s.color, 1.0))).collect();
        let shader = sk::LinearGradient::new(
            sk::Point::from_xy(ends[0], ends[1]),
            sk::Point::from_xy(ends[2], ends[3]),
            sk_stops,
            sk::SpreadMode::Pad,
            sk::Transform::identity(),
        )
        .unwrap();
        let paint = sk::Paint { shader, anti_alias: true, ..Default::default() };
        let rect = sk::Rect::from_xywh(0.0, 0.0, w as f32 / scale, h as f32 / scale).unwrap();
        pixmap.fill_rect(rect, &paint, sk::Transform::from_scale(scale, scale), None);
        pixmap
    }

    #[test]
    fn the_page_gradient_fill_matches_the_general_painter_within_a_level() {
        let rgb = |r: f32, g: f32, b: f32| Rgb { r, g, b, cmyk: None };
        let stops = [
            GradientStop { offset: 0.0, color: rgb(0.78, 0.18, 0.14) },
            GradientStop { offset: 0.4, color: rgb(0.1, 0.9, 0.3) },
            GradientStop { offset: 1.0, color: rgb(0.02, 0.04, 0.6) },
        ];
        // Diagonal, vertical, reversed and partial (padded) gradients, at two scales.
        for (scale, ends) in [
            (1.0, [0.0, 0.0, 200.0, 150.0]),
            (1.0, [100.0, 0.0, 100.0, 150.0]),
            (0.75, [266.0, 200.0, 0.0, 0.0]),
            (2.0, [40.0, 30.0, 60.0, 50.0]),
        ] {
            let (w, h) = ((200.0 * scale) as u32, (150.0 * scale) as u32);
            let want = general_gradient(w, h, scale, ends, &stops);
            let mut got = sk::Pixmap::new(w, h).unwrap();
            assert!(fill_linear(&mut got.as_mut(), scale, ends, &stops));
            let worst = want.data().iter().zip(got.data()).map(|(a, b)| a.abs_diff(*b)).max().unwrap();
            assert!(worst <= 2, "{ends:?} at {scale}×: off by {worst} levels");
        }
        let mut p = sk::Pixmap::new(4, 4).unwrap();
        assert!(
            !fill_linear(&mut p.as_mut(), 1.0, [1.0, 1.0, 1.0, 1.0], &stops),
            "no length: left to the general painter"
        );
        assert!(!fill_linear(&mut p.as_mut(), 1.0, [0.0, 0.0, 4.0, 0.0], &[]), "no stops");
        assert!(!fill_linear(&mut p.as_mut(), 1.0, [0.0, 0.0, f32::INFINITY, 0.0], &stops), "not finite");
    }

    #[test]
    fn a_background_is_kept_the_second_time_it_is_painted_and_gives_the_same_pixels() {
        let engine = crate::Engine::new();
        let layout = "[page]\nwidth = \"400px\"\nheight = \"300px\"\n\
                      background = { gradient = [\"#c62d24\", \"#4a0a08\"], angle = 160 }\n";
        let scene = engine.layout(&engine.load_str("bg.toml", layout).unwrap()).unwrap();
        let cache = RasterCache::default();
        let opts = RasterOptions::default();
        let count = || cache.backgrounds.painted.lock().unwrap().len();
        let first = render_page(&scene, &opts, Some(&cache)).unwrap();
        assert_eq!(count(), 0, "one render keeps no copy");
        let second = render_page(&scene, &opts, Some(&cache)).unwrap();
        assert_eq!(count(), 1, "met twice, kept");
        let third = render_page(&scene, &opts, Some(&cache)).unwrap();
        let uncached = render_page(&scene, &opts, None).unwrap();
        assert!(first.data() == second.data() && second.data() == third.data() && third.data() == uncached.data());
    }

    #[test]
    fn glyphs_drawn_with_or_without_an_engine_are_the_same_pixels() {
        let engine = crate::Engine::new();
        let layout = "[page]\nwidth = \"600px\"\nheight = \"200px\"\n\
                      [styles.body]\nsize = \"27.3px\"\n\
                      [[frame]]\nx = \"20px\"\ny = \"20px\"\nwidth = \"560px\"\nheight = \"160px\"\n\
                      [[frame.block]]\ntype = \"paragraph\"\nstyle = \"body\"\n\
                      text = \"کنگره‌ی سراسری — congress 2026\"\n";
        let scene = engine.layout(&engine.load_str("glyphs.toml", layout).unwrap()).unwrap();
        let opts = RasterOptions::default();
        let cache = RasterCache::default();
        let first = render_page(&scene, &opts, Some(&cache)).unwrap();
        assert_eq!(cache.glyphs.len(), 0, "masks of glyphs met once are not kept");
        let masked = render_page(&scene, &opts, Some(&cache)).unwrap();
        let kept = cache.glyphs.len();
        assert!(kept > 10, "met again, the masks are kept ({kept})");
        let again = render_page(&scene, &opts, Some(&cache)).unwrap();
        assert_eq!(cache.glyphs.len(), kept, "the third render finds every mask");
        // Kept or fresh, a mask gives the same pixels: an image does not
        // depend on what the engine drew before, nor on having an engine.
        assert_eq!(first.data(), masked.data());
        assert_eq!(masked.data(), again.data());
        let alone = render_page(&scene, &opts, None).unwrap();
        assert_eq!(alone.data(), masked.data());
        let inked = alone.data().chunks(4).filter(|p| p[0] < 128).count();
        assert!(inked > 1000, "the text is drawn ({inked} dark pixels)");
    }

    #[test]
    fn a_page_used_again_draws_the_same_image() {
        let engine = crate::Engine::new();
        let layout = "[page]\nwidth = \"1080px\"\nheight = \"1080px\"\n\
                      background = { gradient = [\"#c62d24\", \"#4a0a08\"], angle = 160 }\n\
                      [[frame]]\nx = \"100px\"\ny = \"100px\"\nwidth = \"880px\"\nheight = \"400px\"\n\
                      [[frame.block]]\ntype = \"paragraph\"\ntext = \"در کنگره شرکت کنید\"\n";
        let scene = engine.layout(&engine.load_str("reuse.toml", layout).unwrap()).unwrap();
        let (opts, cache) = (RasterOptions::default(), RasterCache::default());
        let images: Vec<Vec<u8>> = (0..5).map(|_| to_png(&scene, &opts, Some(&cache)).unwrap()).collect();
        assert!(!cache.spare.lock().unwrap().is_empty(), "the page is kept for the next variant");
        // Painted afresh, then over a kept background, then on a used page
        // with kept glyph masks: the same bytes every time.
        for (i, image) in images.iter().enumerate() {
            assert_eq!(image, &images[0], "render {i}");
        }
    }

    #[test]
    fn pixels_are_composited_on_white_in_whole_blocks_and_the_tail() {
        // 3×3: two blocks of four pixels and a tail of one.
        let mut p = sk::Pixmap::new(3, 3).unwrap();
        let colours = (0..9u8).map(|i| sk::PremultipliedColorU8::from_rgba(i * 10, 0, i * 5, 100 + i * 10).unwrap());
        for (px, c) in p.pixels_mut().iter_mut().zip(colours) {
            *px = c;
        }
        let rgb = on_white(p.data());
        assert_eq!(rgb.len(), 27);
        for i in 0..9u8 {
            let white = 255 - (100 + i * 10);
            assert_eq!(&rgb[3 * i as usize..3 * i as usize + 3], &[i * 10 + white, white, i * 5 + white], "pixel {i}");
        }
    }

    #[test]
    fn scale_page_and_size_are_checked() {
        let s = square();
        let e = to_png(&s, &RasterOptions { page: 1, ..Default::default() }, None).unwrap_err();
        assert_eq!(e.to_string(), "there is no page 2: the document has 1 page");
        assert!(matches!(
            render_page(&s, &RasterOptions { scale: 0.0, ..Default::default() }, None),
            Err(RasterError::BadScale(_))
        ));
        assert!(matches!(
            render_page(&s, &RasterOptions { scale: f32::NAN, ..Default::default() }, None),
            Err(RasterError::BadScale(_))
        ));
        // 10 000 × 10 000 pixels is exactly the limit; one more row is not.
        assert_eq!(
            pixel_size(&s, &RasterOptions { scale: 10000.0 / 810.0, ..Default::default() }).unwrap(),
            (10000, 10000)
        );
        let e = pixel_size(&s, &RasterOptions { scale: 10001.0 / 810.0, ..Default::default() }).unwrap_err();
        assert!(e.to_string().contains("over the limit of 100 megapixels"), "{e}");
    }
}
