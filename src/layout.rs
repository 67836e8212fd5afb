//! Layout: place the blocks of each frame on its page and build the
//! [`Scene`].
//!
//! Owns vertical placement (line boxes, spacing, lists, rules), the
//! placement of each line inside its frame, and overflow detection. Text
//! inside a line comes from the text engine; this module never shapes or
//! reorders text itself and knows nothing of PDF.

use crate::fonts::FaceId;
use crate::model::{Align, Block, Document, Frame, Paragraph, VAlign};
use crate::scene::{Glyph, GlyphRun, Item, LineItem, RectItem, Scene, SceneFont, ScenePage};
use crate::text::{Line, layout_paragraph, shape::Shaper};
use std::collections::HashMap;

/// Errors from placing content.
#[derive(Debug, thiserror::Error)]
pub enum LayoutError {
    #[error(
        "text overflows frame \"{frame}\" on page {page} by {over_pt:.1} pt ({over_mm:.1} mm), starting at {at}; make the frame taller, the text smaller, or move some blocks to another frame"
    )]
    Overflow { frame: String, page: usize, over_pt: f32, over_mm: f32, at: String },
}

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
    let mut ctx = Ctx { doc, fonts: HashMap::new(), scene_fonts: Vec::new(), paragraph: 0, missing: Vec::new() };
    let mut pages: Vec<ScenePage> = doc
        .pages
        .iter()
        .map(|p| {
            let mut items = Vec::new();
            if let Some(bg) = p.background {
                items.push(Item::Rect(RectItem { x: 0.0, y: 0.0, width: p.width, height: p.height, fill: bg }));
            }
            ScenePage { width: p.width, height: p.height, items }
        })
        .collect();
    for frame in &doc.frames {
        let items = ctx.place_frame(&mut shaper, frame)?;
        pages[frame.page].items.extend(items);
    }
    Ok(Scene { pages, fonts: ctx.scene_fonts, meta: doc.meta.clone(), missing: ctx.missing })
}

struct Ctx<'d> {
    doc: &'d Document,
    fonts: HashMap<FaceId, usize>,
    scene_fonts: Vec<SceneFont>,
    paragraph: usize,
    missing: Vec<crate::text::MissingGlyph>,
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

    /// Place every block of `frame`; error when the content is taller than the frame.
    fn place_frame(&mut self, shaper: &mut Shaper, frame: &Frame) -> Result<Vec<Item>, LayoutError> {
        let outer = frame.rect;
        let mut backdrop = Vec::new();
        if let Some(fill) = frame.background {
            backdrop.push(Item::Rect(RectItem {
                x: outer.x,
                y: outer.y,
                width: outer.width,
                height: outer.height,
                fill,
            }));
        }
        let pad = frame.padding;
        let r = crate::model::Rect {
            x: outer.x + pad,
            y: outer.y + pad,
            width: outer.width - 2.0 * pad,
            height: outer.height - 2.0 * pad,
        };
        let mut items = Vec::new();
        let mut y = r.y;
        let mut first_overflow: Option<String> = None;
        let bottom = r.y + r.height;
        for (bi, block) in frame.blocks.iter().enumerate() {
            let before = y;
            match block {
                Block::Paragraph(p) => {
                    if bi > 0 {
                        y += p.style.space_before;
                    }
                    let laid = self.lay(shaper, p, r.width);
                    for line in &laid {
                        y = self.place_line(&mut items, line, p, r.x, y);
                    }
                    self.paragraph += 1;
                    y += p.style.space_after;
                }
                Block::List { items: list, marker, indent } => {
                    for (ii, p) in list.iter().enumerate() {
                        if bi > 0 || ii > 0 {
                            y += p.style.space_before;
                        }
                        let laid = self.lay(shaper, p, (r.width - indent).max(1.0));
                        let Some(first) = laid.first() else { continue };
                        let rtl = first.rtl;
                        let text_x = if rtl { r.x } else { r.x + indent };
                        let first_baseline = baseline(first, p, y);
                        for line in &laid {
                            y = self.place_line(&mut items, line, p, text_x, y);
                        }
                        self.paragraph += 1;
                        let mut m = self.lay(shaper, marker, *indent);
                        if let Some(mline) = m.first_mut() {
                            // The marker sits on the start side, flush with the frame
                            // edge. It is decoration, not text: it extracts as nothing.
                            let mx = if rtl { r.x + r.width - mline.width } else { r.x };
                            for g in mline.runs.iter_mut().flat_map(|r| r.glyphs.iter_mut()) {
                                g.text.clear();
                            }
                            self.emit_line(&mut items, mline, mx, first_baseline);
                            self.paragraph += 1;
                        }
                        y += p.style.space_after;
                    }
                }
                Block::Rule { thickness, color, length, align, space_before, space_after } => {
                    y += space_before;
                    let len = length.unwrap_or(r.width).min(r.width);
                    let x1 = match align {
                        Align::Left => r.x,
                        Align::Right => r.x + r.width - len,
                        Align::Start | Align::Justify => r.x + r.width - len,
                        Align::End => r.x,
                        Align::Center => r.x + (r.width - len) / 2.0,
                    };
                    let mid = y + thickness / 2.0;
                    items.push(Item::Line(LineItem {
                        x1,
                        y1: mid,
                        x2: x1 + len,
                        y2: mid,
                        width: *thickness,
                        color: *color,
                    }));
                    y += thickness + space_after;
                }
                Block::Spacer(h) => y += h,
            }
            if y > bottom + 0.01 && first_overflow.is_none() {
                first_overflow = Some(describe_block(block, bi, before > bottom));
            }
        }
        let used = y - r.y;
        if used > r.height + 0.01 {
            let over = used - r.height;
            return Err(LayoutError::Overflow {
                frame: frame.name.clone(),
                page: frame.page + 1,
                over_pt: over,
                over_mm: over / crate::model::values::PT_PER_MM,
                at: first_overflow.unwrap_or_default(),
            });
        }
        let shift = match frame.valign {
            VAlign::Top => 0.0,
            VAlign::Middle => (r.height - used) / 2.0,
            VAlign::Bottom => r.height - used,
        };
        if shift != 0.0 {
            for item in &mut items {
                shift_item(item, shift);
            }
        }
        backdrop.extend(items);
        Ok(backdrop)
    }

    fn lay(&mut self, shaper: &mut Shaper, p: &Paragraph, width: f32) -> Vec<Line> {
        let laid = layout_paragraph(shaper, p, width);
        for m in laid.missing {
            // Report each character once per place (a list marker is laid out once per item).
            if !self.missing.iter().any(|k| k.ch == m.ch && k.origin == m.origin) {
                self.missing.push(m);
            }
        }
        laid.lines
    }

    /// Place one line box at `top`; returns the top of the next line.
    fn place_line(&mut self, items: &mut Vec<Item>, line: &Line, p: &Paragraph, x: f32, top: f32) -> f32 {
        let base = baseline(line, p, top);
        self.emit_line(items, line, x + line.x, base);
        top + p.style.line_height
    }

    fn emit_line(&mut self, items: &mut Vec<Item>, line: &Line, x: f32, baseline: f32) {
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
                glyphs: run
                    .glyphs
                    .iter()
                    .map(|g| Glyph {
                        id: g.id,
                        x: g.x + g.dx,
                        y: -g.dy,
                        advance: g.advance,
                        text: g.text.clone(),
                        cluster: g.cluster,
                    })
                    .collect(),
            }));
        }
    }
}

/// The baseline of a line box whose top is at `top`: the line's ascent and
/// descent centred in the line height (half-leading above and below).
fn baseline(line: &Line, p: &Paragraph, top: f32) -> f32 {
    let lh = p.style.line_height;
    let content = line.ascent + line.descent;
    top + (lh - content) / 2.0 + line.ascent
}

fn shift_item(item: &mut Item, dy: f32) {
    match item {
        Item::Glyphs(g) => g.y += dy,
        Item::Rect(r) => r.y += dy,
        Item::Line(l) => {
            l.y1 += dy;
            l.y2 += dy;
        }
    }
}

fn describe_block(block: &Block, index: usize, whole: bool) -> String {
    let what = match block {
        Block::Paragraph(p) => format!("«{}»", excerpt(&p.text())),
        Block::List { items, .. } => {
            format!("the list starting «{}»", items.first().map(|p| excerpt(&p.text())).unwrap_or_default())
        }
        Block::Rule { .. } => "a rule".into(),
        Block::Spacer(_) => "a spacer".into(),
    };
    format!("{} {} ({what})", if whole { "block" } else { "inside block" }, index + 1)
}

fn excerpt(s: &str) -> String {
    let words: Vec<&str> = s.split_whitespace().take(6).collect();
    let mut e = words.join(" ");
    if s.split_whitespace().count() > 6 {
        e.push('…');
    }
    e
}
