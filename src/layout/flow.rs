//! Flow: filling a frame with its content and making the content fit.
//!
//! Owns the units of flowing content (paragraphs, list items, fixed-height
//! blocks, spacers), filling one frame's content box with them line by
//! line, the three ways a frame fits its content (an overflow error,
//! shrinking the text, flowing through `next` frames and onto new pages),
//! widow and orphan control (`keep_together`), vertical alignment of the
//! filled frame, and the messages that say where content overflowed
//! (`describe`, `excerpt`). Lines come from the text engine through
//! `Ctx::lay`; fixed blocks are drawn by `blocks`, frame decoration by
//! `paint`.

use super::blocks::fixed_extent;
use super::{Ctx, LayoutError, Placed, baseline, content_box};
use crate::model::{Block, Frame, Paragraph, Rect, Table, VAlign, Verse};
use crate::scene::{FrameBox, Item};
use crate::text::Line;
use crate::text::shape::Shaper;

/// One unit of flowing content: a paragraph (a list item is one, with its
/// marker), a rule or a spacer, with where it came from.
pub(super) enum Unit<'a> {
    Para {
        para: &'a Paragraph,
        marker: Option<(&'a Paragraph, f32)>,
        block: usize,
        /// The paragraph's key among the document's: (frame, unit).
        id: (usize, usize),
        /// A heading block.
        heading: bool,
    },
    /// A box of fixed height: a rule, a picture or a QR code.
    Fixed {
        block: &'a Block,
        index: usize,
    },
    Spacer(f32),
    /// One couplet of a verse block: both hemistichs, placed together.
    Couplet {
        verse: &'a Verse,
        couplet: usize,
        block: usize,
        /// The key of the first hemistich; the second is the next unit's.
        id: (usize, usize),
    },
    /// The second hemistich of the couplet before it, placed with it: a
    /// unit of its own so that it is a paragraph of its own.
    Hemistich,
    /// Rows of a table that go together (`Table::groups[group]`), placed
    /// whole; the unit and the ones after it, one per cell of these rows,
    /// are the cells' paragraphs.
    Rows {
        table: &'a Table,
        group: usize,
        block: usize,
        /// The key of the table's first cell: cell `k`'s is `first.1 + k` on.
        first: (usize, usize),
    },
    /// A cell of the rows before it, placed with them.
    Cell,
}

/// The key of a couplet's second hemistich, given the first's: the unit
/// after the couplet's.
pub(super) fn second_id(id: (usize, usize)) -> (usize, usize) {
    (id.0, id.1 + 1)
}

/// The key of couplet `k` of a verse whose first couplet's key is `first`.
pub(super) fn couplet_id(first: (usize, usize), k: usize) -> (usize, usize) {
    (first.0, first.1 + 2 * k)
}

/// The units of the blocks of frame `frame` (its index in the document).
pub(super) fn units_of(frame: usize, blocks: &[Block]) -> Vec<Unit<'_>> {
    let mut units = Vec::new();
    for (bi, b) in blocks.iter().enumerate() {
        let id = (frame, units.len());
        match b {
            Block::Paragraph(p) => units.push(Unit::Para { para: p, marker: None, block: bi, id, heading: false }),
            Block::Heading(p) => units.push(Unit::Para { para: p, marker: None, block: bi, id, heading: true }),
            Block::List { items, marker, indent } => {
                for p in items {
                    let id = (frame, units.len());
                    units.push(Unit::Para { para: p, marker: Some((marker, *indent)), block: bi, id, heading: false });
                }
            }
            Block::Rule { .. } | Block::Image { .. } | Block::Qr { .. } => {
                units.push(Unit::Fixed { block: b, index: bi })
            }
            Block::Spacer(h) => units.push(Unit::Spacer(*h)),
            Block::Verse(verse) => {
                for couplet in 0..verse.couplets.len() {
                    let id = (frame, units.len());
                    units.push(Unit::Couplet { verse, couplet, block: bi, id });
                    units.push(Unit::Hemistich);
                }
            }
            Block::Table(table) => {
                for group in 0..table.groups.len() {
                    units.push(Unit::Rows { table, group, block: bi, first: id });
                    let cells = super::table::group_cells(table, group).len();
                    units.extend((1..cells).map(|_| Unit::Cell));
                }
            }
        }
    }
    units
}

/// Where the flow stands: the unit, and the byte offset inside its paragraph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Pos {
    pub(super) unit: usize,
    pub(super) offset: usize,
}

/// Items placed in one frame, and where the content continues.
pub(super) struct Filled {
    pub(super) items: Vec<Item>,
    /// From the top of the box to the bottom of the last line or block placed.
    pub(super) used: f32,
    pub(super) next: Option<Pos>,
}

impl Ctx<'_> {
    /// Everything in one frame, at `scale`; an error when it does not fit.
    pub(super) fn place_all(
        &mut self,
        shaper: &mut Shaper,
        frame: &Frame,
        units: &[Unit],
        scale: f32,
    ) -> Result<Placed, LayoutError> {
        let advice = "make the frame taller, the text smaller, set `fit = \"shrink\"` or `fit = \"flow\"`";
        let filled = self.fill_whole(shaper, frame, units, scale, advice)?;
        Ok(self.finish(frame, frame.page, frame.rect, filled))
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
        let filled = self.fill_columns(shaper, frame, units, Pos { unit: 0, offset: 0 }, scale, base)?;
        self.paragraph = base + units.len();
        if let Some(rest) = filled.next {
            let over = self.height_from(shaper, frame, units, rest, scale);
            return Err(overflow(frame, frame.page, units, rest, over, advice));
        }
        Ok(filled)
    }

    /// Scale the text down until it fits, no smaller than `min_size`.
    pub(super) fn place_shrunk(
        &mut self,
        shaper: &mut Shaper,
        frame: &Frame,
        units: &[Unit],
    ) -> Result<Placed, LayoutError> {
        let smallest = smallest_size(units).unwrap_or(frame.min_size);
        let floor = (frame.min_size / smallest).min(1.0);
        let fits = |ctx: &mut Self, shaper: &mut Shaper, s: f32| -> Result<bool, LayoutError> {
            let saved = (ctx.paragraph, ctx.missing.len());
            ctx.forced = false;
            ctx.probing = true;
            let filled = ctx.fill_columns(shaper, frame, units, Pos { unit: 0, offset: 0 }, s, saved.0);
            ctx.probing = false;
            let ok = filled?.next.is_none();
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
            return Ok(self.finish(frame, frame.page, frame.rect, filled));
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
    pub(super) fn place_flow(
        &mut self,
        shaper: &mut Shaper,
        first: &Frame,
        units: &[Unit],
    ) -> Result<Vec<Placed>, LayoutError> {
        let Some(limit) = self.doc.fixed_pages else { return self.flow_at(shaper, first, units, 1.0, usize::MAX) };
        let saved = (self.paragraph, self.missing.len());
        match self.flow_at(shaper, first, units, 1.0, limit) {
            Err(LayoutError::PagesExceeded { .. }) => {}
            other => return other,
        }
        // The layout fixes its page count: shrink the flowing text, as
        // little as needed and no smaller than `min_size`, to keep it.
        let smallest = smallest_size(units).unwrap_or(first.min_size);
        let floor = (first.min_size / smallest).min(1.0);
        let fits = |ctx: &mut Self, shaper: &mut Shaper, s: f32| {
            (ctx.paragraph, ctx.probing) = (saved.0, true);
            let ok = ctx.flow_at(shaper, first, units, s, limit).is_ok();
            ctx.probing = false;
            ctx.missing.truncate(saved.1);
            ok
        };
        if !fits(self, shaper, floor) {
            self.paragraph = saved.0;
            return Err(LayoutError::PagesExceeded {
                frame: first.name.clone(),
                pages: limit,
                min_size: first.min_size,
            });
        }
        let (mut lo, mut hi) = (floor, 1.0f32);
        while hi - lo > 0.002 {
            let mid = (lo + hi) / 2.0;
            if fits(self, shaper, mid) { lo = mid } else { hi = mid }
        }
        self.paragraph = saved.0;
        self.flow_at(shaper, first, units, lo, limit)
    }

    /// Flow at `scale`, failing with [`LayoutError::PagesExceeded`] when the
    /// text would reach page `limit` (counted from 0) or beyond.
    fn flow_at(
        &mut self,
        shaper: &mut Shaper,
        first: &Frame,
        units: &[Unit],
        scale: f32,
        limit: usize,
    ) -> Result<Vec<Placed>, LayoutError> {
        let base = self.paragraph;
        let mut out = Vec::new();
        let mut pos = Pos { unit: 0, offset: 0 };
        let mut frame = first;
        let mut page = first.page;
        loop {
            let rect = frame.rect;
            let filled = self.fill_columns(shaper, frame, units, pos, scale, base)?;
            self.within_limits()?;
            let next = filled.next;
            let used_before = out.len();
            out.push(self.finish(frame, page, rect, filled));
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
                    if page >= limit {
                        return Err(LayoutError::PagesExceeded {
                            frame: frame.name.clone(),
                            pages: limit,
                            min_size: first.min_size,
                        });
                    }
                    if page >= self.doc.limits.pages {
                        return Err(LayoutError::TooManyPages {
                            frame: frame.name.clone(),
                            limit: self.doc.limits.pages,
                        });
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
        // The rest, set in one column of the frame's width.
        let cb = super::columns::column_rects(content_box(frame), &frame.columns, false)[0];
        tall.rect.height = 1.0e7;
        let saved = (self.paragraph, self.missing.len(), self.probing);
        self.probing = true;
        let used = self
            .fill(shaper, &tall, Rect { height: 1.0e7, ..cb }, units, pos, scale, saved.0)
            .map(|f| f.used)
            .unwrap_or(0.0);
        self.probing = saved.2;
        self.missing.truncate(saved.1);
        used
    }

    /// A filled frame placed at `rect` on `page`: its decoration, then its
    /// content moved down by the vertical alignment.
    fn finish(&self, frame: &Frame, page: usize, rect: Rect, mut filled: Filled) -> Placed {
        let content = content_box(frame);
        let mut items = self.decorate(frame, rect);
        let free = content.height - filled.used;
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
        items.extend(filled.items);
        Placed { page, frame: FrameBox { name: frame.name.clone(), rect, content, rotate: frame.rotate }, items }
    }

    /// Fill one frame's content box `r` with units from `pos`, at `scale`,
    /// keeping at least `orphans` lines of a split paragraph at the bottom
    /// and `widows` at the top of the next frame.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn fill(
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
        // The table whose rows were placed last in this box, if nothing came since.
        let mut piece: Option<(usize, usize)> = None;
        for (ui, unit) in units.iter().enumerate().skip(pos.unit) {
            let offset = if ui == pos.unit { pos.offset } else { 0 };
            self.paragraph = base + ui;
            if !matches!(unit, Unit::Rows { .. } | Unit::Cell) {
                piece = None;
            }
            match unit {
                Unit::Rows { table, group, block, first } => {
                    let at =
                        super::table::RowsAt { units, unit: ui, table, group: *group, block: *block, first: *first };
                    let starts_piece = piece != Some(*first);
                    match self.place_rows(
                        shaper,
                        frame,
                        r,
                        &at,
                        scale,
                        (y, bottom),
                        at_top,
                        starts_piece,
                        &mut items,
                    )? {
                        Some((bottom_of_rows, after)) => {
                            y = bottom_of_rows;
                            end = y;
                            y += after;
                            at_top = false;
                            piece = Some(*first);
                        }
                        None => {
                            return Ok(Filled { items, used: end - r.y, next: Some(Pos { unit: ui, offset: 0 }) });
                        }
                    }
                }
                Unit::Cell => {}
                Unit::Spacer(h) => {
                    if !(at_top && continuing) {
                        y += h * scale;
                    }
                }
                Unit::Fixed { block, index } => {
                    let (before, height, after) = fixed_extent(self.doc, block, r.width, scale);
                    let before = if at_top { 0.0 } else { before };
                    if y + before + height > bottom && !at_top {
                        return Ok(Filled { items, used: end - r.y, next: Some(Pos { unit: ui, offset: 0 }) });
                    }
                    y += before;
                    self.place_fixed(&mut items, block, Rect { x: r.x, y, width: r.width, height }, scale, *index);
                    y += height;
                    end = y;
                    y += after;
                    at_top = false;
                }
                Unit::Couplet { verse, couplet, block, id } => {
                    let set = self.set_couplet(shaper, frame, r.width, verse, *couplet, *id, scale)?;
                    let style = &verse.couplets[*couplet][0].style;
                    let before = if at_top { 0.0 } else { style.space_before * scale };
                    if y + before + set.height > bottom && !at_top {
                        return Ok(Filled { items, used: end - r.y, next: Some(Pos { unit: ui, offset: 0 }) });
                    }
                    if y + before + set.height > bottom && at_top {
                        return Err(LayoutError::TooShort {
                            frame: frame.name.clone(),
                            page: frame.page + 1,
                            at: describe(units, Pos { unit: ui, offset: 0 }),
                        });
                    }
                    y += before;
                    self.place_couplet(&mut items, &set, r, y, *block);
                    y += set.height;
                    end = y;
                    y += style.space_after * scale;
                    at_top = false;
                }
                Unit::Hemistich => {}
                Unit::Para { para, marker, block, id, heading } => {
                    let style = &para.style;
                    self.note_role(*heading, marker.map(|_| (id.0, *block)));
                    let indent = marker.map_or(0.0, |(_, i)| i * scale);
                    // A paragraph continued from another frame has no space before.
                    if !at_top && offset == 0 {
                        y += style.space_before * scale;
                    }
                    let measure = (r.width - indent).max(1.0);
                    let lines = self.lay_unit(shaper, *id, para, offset, measure, scale, self.probing);
                    if !self.probing
                        && let Some(line) = lines.iter().find(|l| l.forced || l.width > measure + 0.01)
                    {
                        return Err(LayoutError::WordTooWide {
                            frame: frame.name.clone(),
                            page: frame.page + 1,
                            word: word_around(&para.text(), line.range.clone()),
                            width: line.width,
                            measure,
                        });
                    }
                    let lh = style.line_height * scale;
                    let heights: Vec<f32> = lines.iter().map(|l| line_height(l, lh, style.size * scale)).collect();
                    let fit = lines_that_fit(&heights, lh, bottom - y);
                    if fit == 0 && at_top && !lines.is_empty() {
                        return Err(LayoutError::TooShort {
                            frame: frame.name.clone(),
                            page: frame.page + 1,
                            at: describe(units, Pos { unit: ui, offset }),
                        });
                    }
                    let mut take = if fit == lines.len() {
                        fit
                    } else {
                        keep_together(fit, lines.len(), offset == 0, frame.widows, frame.orphans, at_top)
                    };
                    // A frame never ends on a hyphen: the broken word's first
                    // half goes on with its second, when orphans allow.
                    let text = para.text();
                    let hyphenated = |l: &Line| {
                        !l.forced
                            && text[..l.range.end].chars().next_back().is_some_and(char::is_alphabetic)
                            && text[l.range.end..].chars().next().is_some_and(char::is_alphabetic)
                    };
                    if take > 0 && take < lines.len() && hyphenated(&lines[take - 1]) {
                        let shorter = take - 1;
                        if shorter > 0 && (offset > 0 || shorter >= frame.orphans) {
                            take = shorter;
                        } else if offset == 0 && !at_top {
                            // Too few lines would stay: the paragraph moves on whole.
                            take = 0;
                        }
                    }
                    let rtl = lines.first().is_some_and(|l| l.rtl);
                    let text_x = if rtl { r.x } else { r.x + indent };
                    for (li, line) in lines.iter().take(take).enumerate() {
                        if li == 0
                            && offset == 0
                            && let Some((m, _)) = marker
                        {
                            let base = baseline(line, heights[li], y);
                            self.place_marker(shaper, &mut items, m, indent, r, rtl, base, scale, *block);
                        }
                        self.emit_line(
                            &mut items,
                            line,
                            text_x + line.x,
                            baseline(line, heights[li], y),
                            *block,
                            false,
                            style.effects,
                        );
                        y += heights[li];
                        end = y;
                        at_top = false;
                    }
                    if take < lines.len() {
                        // Line ranges are offsets into the whole paragraph.
                        let next = lines[take].range.start;
                        return Ok(Filled { items, used: end - r.y, next: Some(Pos { unit: ui, offset: next }) });
                    }
                    y += style.space_after * scale;
                }
            }
        }
        Ok(Filled { items, used: end - r.y, next: None })
    }
}

/// The height of a line in a paragraph of line height `lh` and font size
/// `size`: taller in proportion when an inline span on it is larger.
fn line_height(line: &Line, lh: f32, size: f32) -> f32 {
    let largest = line.runs.iter().map(|r| r.size).fold(size, f32::max);
    if largest > size { lh * largest / size } else { lh }
}

/// How many lines of these heights fit in `room` (lines of the paragraph's
/// own height `lh` counted by division, as they always were).
fn lines_that_fit(heights: &[f32], lh: f32, room: f32) -> usize {
    if heights.iter().all(|&h| h == lh) {
        return ((room / lh).floor().max(0.0) as usize).min(heights.len());
    }
    let mut used = 0.0;
    heights
        .iter()
        .take_while(|&&h| {
            used += h;
            used <= room
        })
        .count()
}

/// The smallest font size of the units' text.
fn smallest_size(units: &[Unit]) -> Option<f32> {
    units
        .iter()
        .filter_map(|u| match u {
            Unit::Para { para, .. } => para.spans.iter().map(|s| s.size).reduce(f32::min),
            Unit::Couplet { verse, couplet, .. } => {
                verse.couplets[*couplet].iter().flat_map(|p| &p.spans).map(|s| s.size).reduce(f32::min)
            }
            Unit::Rows { table, group, .. } => super::table::group_cells(table, *group)
                .flat_map(|k| &table.cells[k].para.spans)
                .map(|s| s.size)
                .reduce(f32::min),
            _ => None,
        })
        .reduce(f32::min)
}

/// The whole word (or words) a line cut or overfilled: the line's text
/// widened to the white space around it.
pub(super) fn word_around(text: &str, range: std::ops::Range<usize>) -> String {
    let start = text[..range.start].rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let end = text[range.end..].find(char::is_whitespace).map_or(text.len(), |i| range.end + i);
    excerpt(text[start..end].trim())
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
pub(super) fn describe(units: &[Unit], pos: Pos) -> String {
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
        Some(Unit::Spacer(_) | Unit::Hemistich | Unit::Cell) => "a spacer".into(),
        Some(Unit::Rows { table, group, block, .. }) => {
            let rows = &table.groups[*group];
            let text = super::table::group_cells(table, *group)
                .map(|k| table.cells[k].para.text())
                .find(|t| !t.trim().is_empty())
                .unwrap_or_default();
            let which = if rows.len() == 1 {
                format!("row {}", rows.start + 1)
            } else {
                format!("rows {}–{}", rows.start + 1, rows.end)
            };
            format!("block {}, table {which} («{}»)", block + 1, excerpt(&text))
        }
        Some(Unit::Couplet { verse, couplet, block, .. }) => {
            let first = verse.couplets[*couplet][0].text();
            format!("block {}, couplet {} («{}»)", block + 1, couplet + 1, excerpt(&first))
        }
        None => "the end".into(),
    }
}

fn excerpt(s: &str) -> String {
    // At most six words of at most forty characters each, for a message.
    let words: Vec<String> = s
        .split_whitespace()
        .take(6)
        .map(|w| if w.chars().count() > 40 { w.chars().take(40).chain(['…']).collect() } else { w.to_string() })
        .collect();
    let mut e = words.join(" ");
    if s.split_whitespace().nth(6).is_some() {
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
