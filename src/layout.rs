//! Layout: place the blocks of each frame on its page and build the
//! [`Scene`].
//!
//! Owns vertical placement (line boxes, spacing, lists, rules), fitting
//! content to frames (overflow errors, shrinking, flowing into the next
//! frame or onto new pages with widow and orphan control), and the
//! placement of each line inside its frame. Text inside a line comes from
//! the text engine; this module never shapes or reorders text itself and
//! knows nothing of PDF.

use crate::fonts::FaceId;
use crate::model::{
    Align, Block, Direction, Document, Fill, Fit, Frame, FramePicture, ImageFit, Paragraph, Rect, Rgb, VAlign,
};
use crate::scene::{
    Glyph, GlyphRun, GradientStop, ImageItem, Item, LineItem, Paint, RectItem, Scene, SceneFont, ScenePage, Stroke,
};
use crate::text::{Line, layout_paragraph, shape::Shaper};
use std::collections::HashMap;

/// Errors from placing content.
#[derive(Debug, thiserror::Error)]
pub enum LayoutError {
    #[error(
        "text overflows frame \"{frame}\" on page {page} by {over_pt:.1} pt ({over_mm:.1} mm), starting at {at}; {advice}"
    )]
    Overflow { frame: String, page: usize, over_pt: f32, over_mm: f32, at: String, advice: String },
    #[error("frame \"{frame}\" on page {page} is too short for even one line of {at}; make it taller")]
    TooShort { frame: String, page: usize, at: String },
    #[error("frame \"{frame}\" flows onto more than {limit} pages; is a frame too small for its text?")]
    TooManyPages { frame: String, limit: usize },
}

/// The most pages a flowing frame may add.
const MAX_FLOW_PAGES: usize = 1000;

/// Lay out a whole document.
///
/// ```
/// let src = r#"
/// [page]
/// size = "A6"
/// margin = "10mm"
/// [[frame]]
/// [[frame.block]]
/// type = "paragraph"
/// text = "سلام دنیا"
/// "#;
/// let doc = nashr::model::parse(src, std::path::Path::new("inline.toml")).unwrap();
/// let scene = nashr::layout::layout(&doc).unwrap();
/// assert_eq!(scene.page_paragraphs(0), vec!["سلام دنیا".to_string()]);
/// ```
pub fn layout(doc: &Document) -> Result<Scene, LayoutError> {
    let mut shaper = Shaper::new(&doc.fonts, &doc.meta.language);
    let bleed = doc.print.bleed;
    let mut ctx =
        Ctx { doc, fonts: HashMap::new(), scene_fonts: Vec::new(), paragraph: 0, missing: Vec::new(), forced: false };
    let mut pages: Vec<ScenePage> =
        doc.pages.iter().map(|p| new_page(p.width, p.height, p.background.as_ref(), bleed)).collect();
    // Frames for the last page come after the others have added their pages.
    let (last, rest): (Vec<&Frame>, Vec<&Frame>) =
        doc.frames.iter().filter(|f| !f.continuation).partition(|f| f.last_page);
    let mut moved = Vec::new();
    for frame in rest.into_iter().chain(last) {
        let frame = if frame.last_page {
            let mut f = frame.clone();
            f.page = pages.len().saturating_sub(1);
            moved.push(f);
            moved.last().expect("just pushed")
        } else {
            frame
        };
        let units = units_of(&frame.blocks);
        let placed = match frame.fit {
            Fit::Error => vec![ctx.place_all(&mut shaper, frame, &units, 1.0)?],
            Fit::Shrink => vec![ctx.place_shrunk(&mut shaper, frame, &units)?],
            Fit::Flow => ctx.place_flow(&mut shaper, frame, &units)?,
        };
        for (page, items) in placed {
            while pages.len() <= page {
                let spec = doc.pages.last().cloned().unwrap_or(crate::model::PageSpec {
                    width: 595.0,
                    height: 842.0,
                    background: None,
                });
                pages.push(new_page(spec.width, spec.height, spec.background.as_ref(), bleed));
            }
            pages[page].items.extend(items);
        }
    }
    Ok(Scene {
        pages,
        fonts: ctx.scene_fonts,
        meta: doc.meta.clone(),
        missing: ctx.missing,
        images: doc.pictures.clone(),
        print: doc.print.clone(),
    })
}

/// A page; its background runs into the bleed.
fn new_page(width: f32, height: f32, background: Option<&Fill>, bleed: f32) -> ScenePage {
    let mut items = Vec::new();
    if let Some(bg) = background {
        let r = Rect { x: -bleed, y: -bleed, width: width + 2.0 * bleed, height: height + 2.0 * bleed };
        items.push(Item::Rect(RectItem {
            fill: Some(paint(bg, r)),
            ..RectItem::filled(r.x, r.y, r.width, r.height, Rgb::BLACK)
        }));
    }
    ScenePage { width, height, items }
}

/// A fill over `r` as a Scene paint: a gradient runs along the CSS angle
/// (0° up, 90° right, 180° down) across the whole rectangle.
pub fn paint(fill: &Fill, r: Rect) -> Paint {
    match fill {
        Fill::Solid(c) => Paint::Solid(*c),
        Fill::Gradient { angle, stops } => {
            let a = angle.to_radians();
            let (dx, dy) = (a.sin(), -a.cos());
            let half = (r.width * dx.abs() + r.height * dy.abs()) / 2.0;
            let (cx, cy) = (r.x + r.width / 2.0, r.y + r.height / 2.0);
            let n = (stops.len() - 1).max(1) as f32;
            Paint::Linear {
                x1: cx - dx * half,
                y1: cy - dy * half,
                x2: cx + dx * half,
                y2: cy + dy * half,
                stops: stops
                    .iter()
                    .enumerate()
                    .map(|(i, c)| GradientStop { offset: i as f32 / n, color: *c })
                    .collect(),
            }
        }
    }
}

/// Where a picture of `pw × ph` pixels is drawn for a box, by fit mode;
/// `align_x` (0 left, 1 right) places a narrower picture horizontally.
fn picture_rect(pw: u32, ph: u32, fit: ImageFit, b: Rect, align_x: f32) -> Rect {
    let (pw, ph) = (pw as f32, ph as f32);
    match fit {
        ImageFit::Fill => b,
        ImageFit::Contain | ImageFit::Cover => {
            let s = if fit == ImageFit::Contain {
                (b.width / pw).min(b.height / ph)
            } else {
                (b.width / pw).max(b.height / ph)
            };
            let (w, h) = (pw * s, ph * s);
            Rect { x: b.x + (b.width - w) * align_x, y: b.y + (b.height - h) / 2.0, width: w, height: h }
        }
    }
}

/// One unit of flowing content: a paragraph (a list item is one, with its
/// marker), a rule or a spacer, with where it came from.
enum Unit<'a> {
    Para {
        para: &'a Paragraph,
        marker: Option<(&'a Paragraph, f32)>,
        block: usize,
    },
    /// A box of fixed height: a rule, a picture or a QR code.
    Fixed {
        block: &'a Block,
        index: usize,
    },
    Spacer(f32),
}

fn units_of(blocks: &[Block]) -> Vec<Unit<'_>> {
    let mut units = Vec::new();
    for (bi, b) in blocks.iter().enumerate() {
        match b {
            Block::Paragraph(p) => units.push(Unit::Para { para: p, marker: None, block: bi }),
            Block::List { items, marker, indent } => {
                for p in items {
                    units.push(Unit::Para { para: p, marker: Some((marker, *indent)), block: bi });
                }
            }
            Block::Rule { .. } | Block::Image { .. } | Block::Qr { .. } => {
                units.push(Unit::Fixed { block: b, index: bi })
            }
            Block::Spacer(h) => units.push(Unit::Spacer(*h)),
        }
    }
    units
}

/// Where the flow stands: the unit, and the byte offset inside its paragraph.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Pos {
    unit: usize,
    offset: usize,
}

/// Items placed in one frame, and where the content continues.
struct Filled {
    items: Vec<Item>,
    used: f32,
    next: Option<Pos>,
}

struct Ctx<'d> {
    doc: &'d Document,
    fonts: HashMap<FaceId, usize>,
    scene_fonts: Vec<SceneFont>,
    paragraph: usize,
    missing: Vec<crate::text::MissingGlyph>,
    /// A line was cut inside a word too wide for its frame (shrinking must go on).
    forced: bool,
}

/// The content box of a frame (inside its padding).
fn content_box(frame: &Frame) -> Rect {
    let r = frame.rect;
    let p = frame.padding;
    Rect { x: r.x + p, y: r.y + p, width: r.width - 2.0 * p, height: r.height - 2.0 * p }
}

impl Ctx<'_> {
    fn font_index(&mut self, face: FaceId) -> usize {
        if let Some(&i) = self.fonts.get(&face) {
            return i;
        }
        let f = self.doc.fonts.face(face).clone();
        self.scene_fonts.push(SceneFont {
            family: f.family.clone(),
            weight: f.weight,
            postscript_name: f.postscript_name.clone(),
            source: f.source.clone(),
            face: f,
        });
        self.fonts.insert(face, self.scene_fonts.len() - 1);
        self.scene_fonts.len() - 1
    }

    /// Everything in one frame, at `scale`; an error when it does not fit.
    fn place_all(
        &mut self,
        shaper: &mut Shaper,
        frame: &Frame,
        units: &[Unit],
        scale: f32,
    ) -> Result<(usize, Vec<Item>), LayoutError> {
        let advice = "make the frame taller, the text smaller, set `fit = \"shrink\"` or `fit = \"flow\"`";
        let filled = self.fill_whole(shaper, frame, units, scale, advice)?;
        Ok((frame.page, self.finish(frame, frame.rect, filled)))
    }

    /// Fill the frame with all units at `scale`; what is left over is an
    /// overflow error naming the frame, by how much, and `advice`.
    fn fill_whole(
        &mut self,
        shaper: &mut Shaper,
        frame: &Frame,
        units: &[Unit],
        scale: f32,
        advice: &str,
    ) -> Result<Filled, LayoutError> {
        let base = self.paragraph;
        let filled = self.fill(shaper, frame, content_box(frame), units, Pos { unit: 0, offset: 0 }, scale, base)?;
        self.paragraph = base + units.len();
        if let Some(rest) = filled.next {
            let over = self.height_from(shaper, frame, units, rest, scale);
            return Err(overflow(frame, frame.page, units, rest, over, advice));
        }
        Ok(filled)
    }

    /// Scale the text down until it fits, no smaller than `min_size`.
    fn place_shrunk(
        &mut self,
        shaper: &mut Shaper,
        frame: &Frame,
        units: &[Unit],
    ) -> Result<(usize, Vec<Item>), LayoutError> {
        let smallest = units
            .iter()
            .filter_map(|u| match u {
                Unit::Para { para, .. } => para.spans.iter().map(|s| s.size).reduce(f32::min),
                _ => None,
            })
            .reduce(f32::min)
            .unwrap_or(frame.min_size);
        let floor = (frame.min_size / smallest).min(1.0);
        let fits = |ctx: &mut Self, shaper: &mut Shaper, s: f32| -> Result<bool, LayoutError> {
            let saved = (ctx.paragraph, ctx.missing.len());
            ctx.forced = false;
            let ok = ctx
                .fill(shaper, frame, content_box(frame), units, Pos { unit: 0, offset: 0 }, s, saved.0)?
                .next
                .is_none();
            ctx.missing.truncate(saved.1);
            // Text that fits only by cutting a word does not fit.
            Ok(ok && !ctx.forced)
        };
        let scale = if fits(self, shaper, 1.0)? {
            1.0
        } else if !fits(self, shaper, floor)? {
            let advice = format!(
                "even shrunk to the minimum size ({:.1} pt) it does not fit; lower `min_size` or make the frame taller",
                frame.min_size
            );
            let filled = self.fill_whole(shaper, frame, units, floor, &advice)?;
            return Ok((frame.page, self.finish(frame, frame.rect, filled)));
        } else {
            // Largest scale that fits, to a tenth of a percent.
            let (mut lo, mut hi) = (floor, 1.0f32);
            while hi - lo > 0.001 {
                let mid = (lo + hi) / 2.0;
                if fits(self, shaper, mid)? { lo = mid } else { hi = mid }
            }
            lo
        };
        self.place_all(shaper, frame, units, scale)
    }

    /// Flow through the chain of `next` frames, then onto new pages with a
    /// copy of the last frame.
    fn place_flow(
        &mut self,
        shaper: &mut Shaper,
        first: &Frame,
        units: &[Unit],
    ) -> Result<Vec<(usize, Vec<Item>)>, LayoutError> {
        let base = self.paragraph;
        let mut out = Vec::new();
        let mut pos = Pos { unit: 0, offset: 0 };
        let mut frame = first;
        let mut page = first.page;
        let mut added = 0;
        loop {
            let rect = frame.rect;
            let filled = self.fill(shaper, frame, content_box(frame), units, pos, 1.0, base)?;
            let next = filled.next;
            let used_before = out.len();
            out.push((page, self.finish(frame, rect, filled)));
            let Some(rest) = next else { break };
            if rest == pos && used_before > 0 {
                return Err(LayoutError::TooShort {
                    frame: frame.name.clone(),
                    page: page + 1,
                    at: describe(units, rest),
                });
            }
            pos = rest;
            match frame.next {
                Some(j) => {
                    frame = &self.doc.frames[j];
                    page = frame.page;
                }
                None => {
                    page += 1;
                    added += 1;
                    if added > MAX_FLOW_PAGES {
                        return Err(LayoutError::TooManyPages { frame: frame.name.clone(), limit: MAX_FLOW_PAGES });
                    }
                }
            }
        }
        self.paragraph = base + units.len();
        Ok(out)
    }

    /// Height the content from `pos` on would need in an unlimited frame.
    fn height_from(&mut self, shaper: &mut Shaper, frame: &Frame, units: &[Unit], pos: Pos, scale: f32) -> f32 {
        let mut tall = frame.clone();
        let cb = content_box(frame);
        tall.rect.height = 1.0e7;
        let saved = (self.paragraph, self.missing.len());
        let used = self
            .fill(shaper, &tall, Rect { height: 1.0e7, ..cb }, units, pos, scale, saved.0)
            .map(|f| f.used)
            .unwrap_or(0.0);
        self.missing.truncate(saved.1);
        used
    }

    /// Background and vertical alignment of a filled frame.
    fn finish(&self, frame: &Frame, rect: Rect, mut filled: Filled) -> Vec<Item> {
        let mut out = Vec::new();
        let rect = if frame.bleed { self.extend_into_bleed(rect) } else { rect };
        // Background, then picture, then border on top of both.
        let shape = |fill, stroke| RectItem {
            x: rect.x,
            y: rect.y,
            width: rect.width,
            height: rect.height,
            radius: frame.radius,
            fill,
            stroke,
            opacity: frame.opacity,
        };
        if let Some(bg) = &frame.background {
            out.push(Item::Rect(shape(Some(paint(bg, rect)), None)));
        }
        if let Some(pic) = frame.image {
            out.push(self.picture_item(pic, rect, frame.opacity));
        }
        if let Some((color, width)) = frame.border {
            out.push(Item::Rect(shape(None, Some(Stroke { color, width }))));
        }
        let free = content_box(frame).height - filled.used;
        let shift = match frame.valign {
            VAlign::Top => 0.0,
            VAlign::Middle => free / 2.0,
            VAlign::Bottom => free,
        };
        if shift > 0.0 {
            for item in &mut filled.items {
                shift_item(item, shift);
            }
        }
        out.extend(filled.items);
        out
    }

    /// Fill one frame's content box `r` with units from `pos`, at `scale`,
    /// keeping at least `orphans` lines of a split paragraph at the bottom
    /// and `widows` at the top of the next frame.
    #[allow(clippy::too_many_arguments)]
    fn fill(
        &mut self,
        shaper: &mut Shaper,
        frame: &Frame,
        r: Rect,
        units: &[Unit],
        pos: Pos,
        scale: f32,
        base: usize,
    ) -> Result<Filled, LayoutError> {
        let bottom = r.y + r.height + 0.01;
        let mut items = Vec::new();
        let mut y = r.y;
        // Bottom of the last line or rule (trailing space after does not count).
        let mut end = r.y;
        let mut at_top = true;
        let continuing = pos != Pos { unit: 0, offset: 0 };
        for (ui, unit) in units.iter().enumerate().skip(pos.unit) {
            let offset = if ui == pos.unit { pos.offset } else { 0 };
            self.paragraph = base + ui;
            match unit {
                Unit::Spacer(h) => {
                    if !(at_top && continuing) {
                        y += h * scale;
                    }
                }
                Unit::Fixed { block, .. } => {
                    let (before, height, after) = fixed_extent(self.doc, block, r.width, scale);
                    let before = if at_top { 0.0 } else { before };
                    if y + before + height > bottom && !at_top {
                        return Ok(Filled { items, used: end - r.y, next: Some(Pos { unit: ui, offset: 0 }) });
                    }
                    y += before;
                    self.place_fixed(&mut items, block, Rect { x: r.x, y, width: r.width, height }, scale);
                    y += height;
                    end = y;
                    y += after;
                    at_top = false;
                }
                Unit::Para { para, marker, .. } => {
                    let p = prepare(para, offset, scale);
                    let indent = marker.map_or(0.0, |(_, i)| i * scale);
                    if !at_top {
                        y += p.style.space_before;
                    }
                    let lines = self.lay(shaper, &p, (r.width - indent).max(1.0));
                    let lh = p.style.line_height;
                    let fit = (((bottom - y) / lh).floor().max(0.0) as usize).min(lines.len());
                    if fit == 0 && at_top && !lines.is_empty() {
                        return Err(LayoutError::TooShort {
                            frame: frame.name.clone(),
                            page: frame.page + 1,
                            at: describe(units, Pos { unit: ui, offset }),
                        });
                    }
                    let take = if fit == lines.len() {
                        fit
                    } else {
                        keep_together(fit, lines.len(), offset == 0, frame.widows, frame.orphans, at_top)
                    };
                    let rtl = lines.first().is_some_and(|l| l.rtl);
                    let text_x = if rtl { r.x } else { r.x + indent };
                    for (li, line) in lines.iter().take(take).enumerate() {
                        if li == 0
                            && offset == 0
                            && let Some((m, _)) = marker
                        {
                            self.place_marker(shaper, &mut items, m, indent, r, rtl, baseline(line, lh, y), scale);
                        }
                        self.emit_line(&mut items, line, text_x + line.x, baseline(line, lh, y), offset);
                        y += lh;
                        end = y;
                        at_top = false;
                    }
                    if take < lines.len() {
                        // Line ranges are offsets into the sliced text, which starts at `offset`.
                        let next = offset + lines[take].range.start;
                        return Ok(Filled { items, used: end - r.y, next: Some(Pos { unit: ui, offset: next }) });
                    }
                    y += p.style.space_after;
                }
            }
        }
        Ok(Filled { items, used: end - r.y, next: None })
    }

    /// Extend the edges of `r` that lie on the trim out to the bleed edge.
    fn extend_into_bleed(&self, r: Rect) -> Rect {
        let b = self.doc.print.bleed;
        let Some(page) = self.doc.pages.first() else { return r };
        let near = |a: f32, e: f32| (a - e).abs() < 0.5;
        let (mut x0, mut y0, mut x1, mut y1) = (r.x, r.y, r.x + r.width, r.y + r.height);
        if near(x0, 0.0) {
            x0 -= b;
        }
        if near(y0, 0.0) {
            y0 -= b;
        }
        if near(x1, page.width) {
            x1 += b;
        }
        if near(y1, page.height) {
            y1 += b;
        }
        Rect { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }
    }

    /// A picture filling box `b` by its fit mode, clipped to the box.
    fn picture_item(&self, pic: FramePicture, b: Rect, opacity: f32) -> Item {
        let p = &self.doc.pictures[pic.picture];
        let r = picture_rect(p.width, p.height, pic.fit, b, 0.5);
        Item::Image(ImageItem {
            image: pic.picture,
            x: r.x,
            y: r.y,
            width: r.width,
            height: r.height,
            clip: b,
            opacity: pic.opacity * opacity,
        })
    }

    /// Draw a rule, picture or QR code into its box `b` (frame wide, its own height).
    fn place_fixed(&self, items: &mut Vec<Item>, block: &Block, b: Rect, scale: f32) {
        let align_x = |align: Align| match (align, self.doc.rtl) {
            (Align::Left, _) | (Align::End, true) | (Align::Start, false) => 0.0,
            (Align::Right, _) | (Align::Start, true) | (Align::End, false) => 1.0,
            _ => 0.5,
        };
        match block {
            Block::Rule { thickness, color, length, align, .. } => {
                let len = length.map_or(b.width, |l| l * scale).min(b.width);
                let x1 = b.x + (b.width - len) * align_x(*align);
                let mid = b.y + thickness / 2.0;
                items.push(Item::Line(LineItem {
                    x1,
                    y1: mid,
                    x2: x1 + len,
                    y2: mid,
                    width: *thickness,
                    color: *color,
                }));
            }
            Block::Image { picture, align, .. } => {
                let p = &self.doc.pictures[picture.picture];
                let r = picture_rect(p.width, p.height, picture.fit, b, align_x(*align));
                let clip = if picture.fit == ImageFit::Cover { b } else { r };
                items.push(Item::Image(ImageItem {
                    image: picture.picture,
                    x: r.x,
                    y: r.y,
                    width: r.width,
                    height: r.height,
                    clip,
                    opacity: picture.opacity,
                }));
            }
            Block::Qr { modules, width, size, color, background, align, .. } => {
                let side = (size * scale).min(b.width);
                let x = b.x + (b.width - side) * align_x(*align);
                items.extend(qr_items(
                    modules,
                    *width,
                    Rect { x, y: b.y, width: side, height: side },
                    *color,
                    *background,
                ));
            }
            _ => {}
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn place_marker(
        &mut self,
        shaper: &mut Shaper,
        items: &mut Vec<Item>,
        m: &Paragraph,
        indent: f32,
        r: Rect,
        rtl: bool,
        base: f32,
        scale: f32,
    ) {
        let m = prepare(m, 0, scale);
        let mut lines = self.lay(shaper, &m, indent.max(1.0));
        if let Some(mline) = lines.first_mut() {
            // The marker sits on the start side, flush with the frame edge.
            // It is decoration, not text: it extracts as nothing.
            let mx = if rtl { r.x + r.width - mline.width } else { r.x };
            for g in mline.runs.iter_mut().flat_map(|r| r.glyphs.iter_mut()) {
                g.text.clear();
            }
            self.emit_line(items, mline, mx, base, 0);
        }
    }

    fn lay(&mut self, shaper: &mut Shaper, p: &Paragraph, width: f32) -> Vec<Line> {
        let laid = layout_paragraph(shaper, p, width);
        self.forced |= laid.lines.iter().any(|l| l.forced);
        for m in laid.missing {
            // Report each character once per place (a list marker is laid out once per item).
            if !self.missing.iter().any(|k| k.ch == m.ch && k.origin == m.origin) {
                self.missing.push(m);
            }
        }
        laid.lines
    }

    /// Emit a line's runs; `cluster_base` is where the laid-out text starts in
    /// its paragraph (a paragraph continued from another frame), so clusters
    /// stay offsets into the whole paragraph.
    fn emit_line(&mut self, items: &mut Vec<Item>, line: &Line, x: f32, baseline: f32, cluster_base: usize) {
        let paragraph = self.paragraph;
        for run in &line.runs {
            let font = self.font_index(run.face);
            items.push(Item::Glyphs(GlyphRun {
                font,
                size: run.size,
                color: run.color,
                x,
                y: baseline,
                rtl: run.rtl,
                paragraph,
                link: run.link.clone(),
                glyphs: run
                    .glyphs
                    .iter()
                    .map(|g| Glyph {
                        id: g.id,
                        x: g.x + g.dx,
                        y: -g.dy,
                        advance: g.advance,
                        text: g.text.clone(),
                        cluster: cluster_base + g.cluster,
                    })
                    .collect(),
            }));
        }
    }
}

/// Space before, height and space after of a fixed-height block at `scale`
/// in a frame `width` wide.
fn fixed_extent(doc: &Document, block: &Block, width: f32, scale: f32) -> (f32, f32, f32) {
    match block {
        Block::Rule { thickness, space_before, space_after, .. } => {
            (space_before * scale, *thickness, space_after * scale)
        }
        Block::Image { picture, height, space_before, space_after, .. } => {
            let p = &doc.pictures[picture.picture];
            let h = height.map_or(width * p.height as f32 / p.width as f32, |h| h * scale);
            (space_before * scale, h, space_after * scale)
        }
        Block::Qr { size, space_before, space_after, .. } => {
            (space_before * scale, (size * scale).min(width), space_after * scale)
        }
        _ => (0.0, 0.0, 0.0),
    }
}

/// A QR code as vector squares: the light square (with its 4-module quiet
/// zone) and one rectangle per run of dark modules in a row. Runs overlap
/// the row below by a hair so rasterisers leave no seams.
fn qr_items(modules: &[bool], n: usize, b: Rect, dark: Rgb, light: Option<Rgb>) -> Vec<Item> {
    let mut out = Vec::new();
    let quiet = if light.is_some() { 4.0 } else { 0.0 };
    let m = b.width / (n as f32 + 2.0 * quiet);
    if let Some(light) = light {
        out.push(Item::Rect(RectItem::filled(b.x, b.y, b.width, b.height, light)));
    }
    let (ox, oy) = (b.x + quiet * m, b.y + quiet * m);
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if !modules[row * n + col] {
                col += 1;
                continue;
            }
            let start = col;
            while col < n && modules[row * n + col] {
                col += 1;
            }
            let overlap = if row + 1 < n { m * 0.02 } else { 0.0 };
            out.push(Item::Rect(RectItem::filled(
                ox + start as f32 * m,
                oy + row as f32 * m,
                (col - start) as f32 * m,
                m + overlap,
                dark,
            )));
        }
    }
    out
}

/// How many of a paragraph's `total` remaining lines to put in this frame
/// when only `fit` fit: leave at least `widows` for the next frame and at
/// least `orphans` here, or move the whole paragraph on — unless the frame
/// is still empty, where some progress must be made.
fn keep_together(
    fit: usize,
    total: usize,
    starts_here: bool,
    widows: usize,
    orphans: usize,
    frame_empty: bool,
) -> usize {
    let mut take = fit;
    if total - take < widows {
        take = total.saturating_sub(widows);
    }
    if take < orphans && (starts_here || take < fit) {
        take = 0;
    }
    if take == 0 && frame_empty { fit } else { take }
}

/// The paragraph to lay out from byte `offset`, scaled: a continued
/// paragraph keeps its resolved direction and loses its space before.
fn prepare(para: &Paragraph, offset: usize, scale: f32) -> Paragraph {
    let mut p = if offset == 0 { para.clone() } else { slice_from(para, offset) };
    if scale != 1.0 {
        for s in &mut p.spans {
            s.size *= scale;
        }
        p.style.line_height *= scale;
        p.style.space_before *= scale;
        p.style.space_after *= scale;
    }
    p
}

/// The part of a paragraph from byte `offset` of its text on.
fn slice_from(para: &Paragraph, offset: usize) -> Paragraph {
    let mut p = para.clone();
    p.style.direction = resolved_direction(para);
    p.style.space_before = 0.0;
    let mut start = 0;
    p.spans.clear();
    for s in &para.spans {
        let end = start + s.text.len();
        if end > offset {
            let mut s = s.clone();
            s.text = s.text[offset.saturating_sub(start)..].to_string();
            p.spans.push(s);
        }
        start = end;
    }
    p
}

/// The paragraph's direction as its first strong character decides.
fn resolved_direction(para: &Paragraph) -> Direction {
    use unicode_bidi::BidiClass::{AL, L, R};
    if para.style.direction != Direction::Auto {
        return para.style.direction;
    }
    let text = para.text();
    match text.chars().map(unicode_bidi::bidi_class).find(|c| matches!(c, L | R | AL)) {
        Some(L) => Direction::Ltr,
        Some(_) => Direction::Rtl,
        None if para.style.fallback_rtl => Direction::Rtl,
        None => Direction::Ltr,
    }
}

/// The baseline of a line box whose top is at `top`: the line's ascent and
/// descent centred in the line height (half-leading above and below).
fn baseline(line: &Line, line_height: f32, top: f32) -> f32 {
    let content = line.ascent + line.descent;
    top + (line_height - content) / 2.0 + line.ascent
}

fn shift_item(item: &mut Item, dy: f32) {
    match item {
        Item::Glyphs(g) => g.y += dy,
        Item::Rect(r) => r.y += dy,
        Item::Image(i) => {
            i.y += dy;
            i.clip.y += dy;
        }
        Item::Line(l) => {
            l.y1 += dy;
            l.y2 += dy;
        }
    }
}

fn overflow(frame: &Frame, page: usize, units: &[Unit], at: Pos, over: f32, advice: &str) -> LayoutError {
    LayoutError::Overflow {
        frame: frame.name.clone(),
        page: page + 1,
        over_pt: over,
        over_mm: over / crate::model::values::PT_PER_MM,
        at: describe(units, at),
        advice: advice.to_string(),
    }
}

/// Where the content at `pos` comes from, for messages.
fn describe(units: &[Unit], pos: Pos) -> String {
    match units.get(pos.unit) {
        Some(Unit::Para { para, block, .. }) => {
            let text = para.text();
            let from = &text[pos.offset.min(text.len())..];
            let inside = if pos.offset > 0 { "inside " } else { "" };
            format!("{inside}block {} («{}»)", block + 1, excerpt(from))
        }
        Some(Unit::Fixed { index, block }) => {
            let what = match block {
                Block::Rule { .. } => "a rule",
                Block::Image { .. } => "a picture",
                Block::Qr { .. } => "a QR code",
                _ => "a block",
            };
            format!("block {} ({what})", index + 1)
        }
        Some(Unit::Spacer(_)) => "a spacer".into(),
        None => "the end".into(),
    }
}

fn excerpt(s: &str) -> String {
    let words: Vec<&str> = s.split_whitespace().take(6).collect();
    let mut e = words.join(" ");
    if s.split_whitespace().count() > 6 {
        e.push('…');
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keep_together_respects_widows_and_orphans() {
        // 10 lines, 9 fit: one widow would be left; move one more.
        assert_eq!(keep_together(9, 10, true, 2, 2, false), 8);
        // 1 line fits of a new paragraph: an orphan; move it all.
        assert_eq!(keep_together(1, 10, true, 2, 2, false), 0);
        // Empty frame: progress beats the rules.
        assert_eq!(keep_together(1, 10, true, 2, 2, true), 1);
        // Short paragraph of 3 with 2 fitting: widows want 2 below, orphans 2 above: move all.
        assert_eq!(keep_together(2, 3, true, 2, 2, false), 0);
    }
}
