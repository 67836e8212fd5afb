//! Tables: the columns' widths in a frame (`resolve_widths`: fixed
//! lengths, `auto` columns as wide as their text wants and no narrower
//! than their longest word, fractions sharing the rest), each run of rows
//! that goes together set (`Ctx::set_rows`: every cell a paragraph broken
//! at its column's width by the text engine) and drawn (`Ctx::draw_rows`:
//! fills, lines between cells, the outer border, then the text), the
//! first column on the right in a right-to-left table.
//!
//! Rows are never cut: a run of rows that does not fit goes to the next
//! frame, column or page whole, where the header rows are drawn again
//! first (marked as repeated, so they are read once); the header stays with
//! the first rows after it. Which unit goes where is `flow`'s; this file
//! decides a table's geometry.

use super::flow::{Unit, describe, word_around};
use super::{Ctx, LayoutError, baseline};
use crate::model::{ColumnWidth, Frame, Rect, Rgb, Table, VAlign};
use crate::scene::{Item, LineItem, Origin, ParagraphInfo, RectItem, Role, TableCell};
use crate::text::Line;
use crate::text::shape::Shaper;
use std::ops::Range;

/// The key of a table's column widths: its first cell's key, the measure
/// and the scale (as bits).
pub(super) type WidthsKey = ((usize, usize), u32, u32);

/// The cells (indices into `Table::cells`) of a table's run of rows `group`.
pub(super) fn group_cells(table: &Table, group: usize) -> Range<usize> {
    let rows = &table.groups[group];
    let a = table.cells.partition_point(|c| c.row < rows.start);
    let b = table.cells.partition_point(|c| c.row < rows.end);
    a..b
}

/// The widths of columns written as `specs` in `measure` points, given the
/// narrowest and widest each column's cells can be (padding included):
/// fixed columns take their length, `auto` columns their widest, fraction
/// columns share what is left by their shares (never below their
/// narrowest). When that is too wide, `auto` columns give up room in
/// proportion to what they can spare. `Err` holds the narrowest the
/// columns can be when even that is wider than `measure`.
pub(super) fn resolve_widths(specs: &[ColumnWidth], measure: f32, min: &[f32], max: &[f32]) -> Result<Vec<f32>, f32> {
    let mut w: Vec<f32> = specs
        .iter()
        .enumerate()
        .map(|(i, s)| match s {
            ColumnWidth::Fixed(v) => *v,
            ColumnWidth::Auto => max[i].max(min[i]),
            ColumnWidth::Fraction(_) => min[i],
        })
        .collect();
    let autos: Vec<usize> = (0..specs.len()).filter(|&i| specs[i] == ColumnWidth::Auto).collect();
    let total: f32 = w.iter().sum();
    if total > measure {
        let narrowest: f32 =
            specs.iter().enumerate().map(|(i, s)| if matches!(s, ColumnWidth::Fixed(_)) { w[i] } else { min[i] }).sum();
        if narrowest > measure + 0.01 {
            return Err(narrowest);
        }
        let spare: f32 = autos.iter().map(|&i| w[i] - min[i]).sum();
        let cut = (total - measure) / spare.max(f32::EPSILON);
        for &i in &autos {
            w[i] -= (w[i] - min[i]) * cut.min(1.0);
        }
        return Ok(w);
    }
    // Fractions share what is left; one that would fall below its
    // narrowest keeps that, and the others share the rest.
    let mut open: Vec<usize> = (0..specs.len()).filter(|&i| matches!(specs[i], ColumnWidth::Fraction(_))).collect();
    let share = |i: usize| if let ColumnWidth::Fraction(f) = specs[i] { f } else { 0.0 };
    loop {
        let fixed: f32 = (0..specs.len()).filter(|i| !open.contains(i)).map(|i| w[i]).sum();
        let left = (measure - fixed).max(0.0);
        let shares: f32 = open.iter().map(|&i| share(i)).sum();
        let under: Vec<usize> = open.iter().copied().filter(|&i| left * share(i) / shares < min[i]).collect();
        if under.is_empty() {
            for &i in &open {
                w[i] = left * share(i) / shares;
            }
            return Ok(w);
        }
        open.retain(|i| !under.contains(i));
    }
}

/// The x of each column boundary, from the table's start edge: column
/// `c` runs from `edges[c]` to `edges[c + 1]`.
fn edges(widths: &[f32]) -> Vec<f32> {
    let mut e = Vec::with_capacity(widths.len() + 1);
    e.push(0.0);
    for w in widths {
        e.push(e.last().copied().unwrap_or(0.0) + w);
    }
    e
}

/// The left edge and width of columns `cols` of a table `widths` wide
/// whose left edge is at `x0`: from the left in a left-to-right table,
/// from the right in a right-to-left one.
pub(super) fn span_box(widths: &[f32], x0: f32, cols: Range<usize>, rtl: bool) -> (f32, f32) {
    let e = edges(widths);
    let total = e[widths.len()];
    let (a, b) = (e[cols.start], e[cols.end]);
    if rtl { (x0 + total - b, b - a) } else { (x0 + a, b - a) }
}

/// Where a run of rows stands: the units of its frame, its own unit, the
/// table, which run and which block, and the key of the table's first cell.
pub(super) struct RowsAt<'u, 'a> {
    pub(super) units: &'u [Unit<'a>],
    pub(super) unit: usize,
    pub(super) table: &'a Table,
    pub(super) group: usize,
    pub(super) block: usize,
    pub(super) first: (usize, usize),
}

/// A run of rows set for one set of column widths.
pub(super) struct SetRows {
    /// Each cell (index into `Table::cells`) with its lines and their height.
    cells: Vec<(usize, Vec<Line>, f32)>,
    /// Each row's top, from the run's top, and the run's bottom last.
    tops: Vec<f32>,
    /// The run's height.
    height: f32,
}

impl Ctx<'_> {
    /// Place the rows of `at` in box `r` from `y` (`(y, bottom)`), with the
    /// header drawn again first when the rows start a frame or column:
    /// `Some((bottom of the rows, space after the table))`, or `None` when
    /// they go to the next box. Rows too tall for an empty box are an
    /// error naming them (or, while a scale is being tried, do not fit).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn place_rows(
        &mut self,
        shaper: &mut Shaper,
        frame: &Frame,
        r: Rect,
        at: &RowsAt,
        scale: f32,
        (y, bottom): (f32, f32),
        at_top: bool,
        starts_piece: bool,
        items: &mut Vec<Item>,
    ) -> Result<Option<(f32, f32)>, LayoutError> {
        let table = at.table;
        let widths = match self.table_widths(shaper, frame, at, r.width, scale) {
            Ok(w) => w,
            Err(_) if self.probing => return Ok(None),
            Err(e) => return Err(e),
        };
        let header = table.header > 0;
        let set = self.set_rows(shaper, frame, at, at.group, &widths, scale)?;
        let repeat = if at_top && header && at.group > 0 {
            Some(self.set_rows(shaper, frame, at, 0, &widths, scale)?)
        } else {
            None
        };
        let before = if at.group == 0 && !at_top { table.space_before } else { 0.0 };
        let mut need = before + set.height + repeat.as_ref().map_or(0.0, |h| h.height);
        // The header stays with the rows after it.
        if header && at.group == 0 && table.groups.len() > 1 {
            need += self.set_rows(shaper, frame, at, 1, &widths, scale)?.height;
        }
        if y + need > bottom {
            if !at_top || self.probing {
                return Ok(None);
            }
            return Err(LayoutError::TooShort {
                frame: frame.name.clone(),
                page: frame.page + 1,
                at: describe(at.units, super::flow::Pos { unit: at.unit, offset: 0 }),
            });
        }
        let mut top = y + before;
        let total: f32 = widths.iter().sum();
        let x0 = if table.rtl { r.x + r.width - total } else { r.x };
        if let Some(head) = &repeat {
            self.draw_rows(items, at, 0, head, &widths, (x0, top), (true, false), true);
            top += head.height;
        }
        let last = at.group + 1 == table.groups.len();
        let ends_piece = last || {
            let next = self.set_rows(shaper, frame, at, at.group + 1, &widths, scale)?;
            top + set.height + next.height > bottom
        };
        let starts = repeat.is_none() && (starts_piece || at_top);
        self.draw_rows(items, at, at.group, &set, &widths, (x0, top), (starts, ends_piece), false);
        let after = if last { table.space_after } else { 0.0 };
        Ok(Some((top + set.height, after)))
    }

    /// The column widths of `at`'s table in a box `measure` wide at `scale`.
    fn table_widths(
        &mut self,
        shaper: &mut Shaper,
        frame: &Frame,
        at: &RowsAt,
        measure: f32,
        scale: f32,
    ) -> Result<std::rc::Rc<[f32]>, LayoutError> {
        let key = (at.first, measure.to_bits(), scale.to_bits());
        if let Some(w) = self.table_widths.get(&key) {
            return Ok(w.clone());
        }
        let table = at.table;
        let n = table.columns.len();
        let pad = 2.0 * table.padding;
        let (mut min, mut max) = (vec![pad; n], vec![pad; n]);
        for (k, cell) in table.cells.iter().enumerate() {
            if cell.colspan != 1 || matches!(table.columns[cell.col], ColumnWidth::Fixed(_)) {
                continue;
            }
            let id = (at.first.0, at.first.1 + k);
            let (narrow, wide) = self.prepare_unit(shaper, id, &cell.para).widths(shaper.book(), scale);
            // A hair of room, so a line measured at its natural width fits.
            min[cell.col] = min[cell.col].max(narrow + pad + 0.5);
            max[cell.col] = max[cell.col].max(wide + pad + 0.5);
        }
        let widths: std::rc::Rc<[f32]> = resolve_widths(&table.columns, measure, &min, &max)
            .map_err(|needed| LayoutError::TableTooWide {
                frame: frame.name.clone(),
                page: frame.page + 1,
                block: at.block + 1,
                needed,
                measure,
            })?
            .into();
        self.table_widths.insert(key, widths.clone());
        Ok(widths)
    }

    /// Set the cells of run `group` at `widths`: each cell's text broken at
    /// its columns' width less the padding; each row as tall as its tallest
    /// cell, a cell spanning rows adding what it needs more to its last.
    fn set_rows(
        &mut self,
        shaper: &mut Shaper,
        frame: &Frame,
        at: &RowsAt,
        group: usize,
        widths: &[f32],
        scale: f32,
    ) -> Result<SetRows, LayoutError> {
        let table = at.table;
        let rows = table.groups[group].clone();
        let pad = table.padding;
        let mut heights = vec![0.0f32; rows.len()];
        let mut cells = Vec::new();
        let mut tall = Vec::new();
        for k in group_cells(table, group) {
            let cell = &table.cells[k];
            let (_, w) = span_box(widths, 0.0, cell.col..cell.col + cell.colspan, false);
            let measure = (w - 2.0 * pad).max(1.0);
            let id = (at.first.0, at.first.1 + k);
            let lines = self.lay_unit(shaper, id, &cell.para, 0, measure, scale, false).to_vec();
            if let Some(line) = lines.iter().find(|l| l.forced || l.width > measure + 0.01).filter(|_| !self.probing) {
                return Err(LayoutError::WordTooWide {
                    frame: frame.name.clone(),
                    page: frame.page + 1,
                    word: word_around(&cell.para.text(), line.range.clone()),
                    width: line.width,
                    measure,
                });
            }
            let lh = cell.para.style.line_height * scale;
            let h = lines.len().max(1) as f32 * lh + 2.0 * pad;
            let row = cell.row - rows.start;
            if cell.rowspan == 1 {
                heights[row] = heights[row].max(h);
            } else {
                tall.push((row, cell.rowspan, h));
            }
            cells.push((k, lines, lh));
        }
        for (row, span, h) in tall {
            let have: f32 = heights[row..row + span].iter().sum();
            if h > have {
                heights[row + span - 1] += h - have;
            }
        }
        let mut tops = vec![0.0f32];
        for h in &heights {
            tops.push(tops.last().copied().unwrap_or(0.0) + h);
        }
        let height = tops.last().copied().unwrap_or(0.0);
        Ok(SetRows { cells, tops, height })
    }

    /// Draw set run `group` with its left edge and top at `(x0, top)`:
    /// fills, the lines between its cells, the border (its top and bottom
    /// where it starts and ends the table's piece in this box, `edges`),
    /// then the text, each cell a paragraph of its own. A `repeated` header
    /// is marked so, and its cells keep the paragraphs they first had.
    #[allow(clippy::too_many_arguments)]
    fn draw_rows(
        &mut self,
        items: &mut Vec<Item>,
        at: &RowsAt,
        group: usize,
        set: &SetRows,
        widths: &[f32],
        (x0, top): (f32, f32),
        (starts, ends): (bool, bool),
        repeated: bool,
    ) {
        let table = at.table;
        let rows = table.groups[group].clone();
        let total: f32 = widths.iter().sum();
        let origin = Origin { frame: None, block: Some(at.block), figure: None };
        let line = |x1: f32, y1: f32, x2: f32, y2: f32, (color, width): (Rgb, f32)| {
            Item::Line(LineItem { origin, x1, y1, x2, y2, width, color })
        };
        let cell_box = |k: usize| {
            let c = &table.cells[k];
            let (x, w) = span_box(widths, x0, c.col..c.col + c.colspan, table.rtl);
            let r0 = c.row - rows.start;
            let y = top + set.tops[r0];
            Rect { x, y, width: w, height: set.tops[r0 + c.rowspan] - set.tops[r0] }
        };
        for (k, ..) in &set.cells {
            let c = &table.cells[*k];
            let row_fill = if c.header {
                table.header_fill
            } else {
                table.fills.get((c.row - table.header) % table.fills.len().max(1)).copied()
            };
            if let Some(fill) = c.fill.or(row_fill) {
                let b = cell_box(*k);
                let mut rect = RectItem::filled(b.x, b.y, b.width, b.height, fill);
                rect.origin = origin;
                items.push(Item::Rect(rect));
            }
        }
        let rule = table.rule;
        for (k, ..) in &set.cells {
            let c = &table.cells[*k];
            let b = cell_box(*k);
            if table.column_rules && c.col + c.colspan < widths.len() {
                // The edge towards the next column: the left one in a right-to-left table.
                let x = if table.rtl { b.x } else { b.x + b.width };
                items.push(line(x, b.y, x, b.y + b.height, rule));
            }
            if table.row_rules && c.row + c.rowspan < rows.end {
                items.push(line(b.x, b.y + b.height, b.x + b.width, b.y + b.height, rule));
            }
        }
        if table.row_rules && !starts {
            items.push(line(x0, top, x0 + total, top, rule));
        }
        if let Some((color, width)) = table.border {
            let bottom = top + set.height;
            let (y1, y2) =
                (top - if starts { width / 2.0 } else { 0.0 }, bottom + if ends { width / 2.0 } else { 0.0 });
            items.push(line(x0, y1, x0, y2, (color, width)));
            items.push(line(x0 + total, y1, x0 + total, y2, (color, width)));
            if starts {
                items.push(line(x0, top, x0 + total, top, (color, width)));
            }
            if ends {
                items.push(line(x0, bottom, x0 + total, bottom, (color, width)));
            }
        }
        let base = self.paragraph;
        let first_cell = group_cells(table, at.group).start;
        for (k, lines, lh) in &set.cells {
            let (k, lh) = (*k, *lh);
            let c = &table.cells[k];
            // Cell k's paragraph, counted from the current unit's (the first cell of run `at.group`).
            self.paragraph = (base + k) - first_cell;
            if !repeated {
                self.note_cell(TableCell {
                    table: (at.first.0, at.block),
                    row: c.row,
                    col: c.col,
                    rowspan: c.rowspan,
                    colspan: c.colspan,
                    header: c.header,
                });
            }
            let b = cell_box(k);
            let pad = table.padding;
            let content = lines.len() as f32 * lh;
            let free = (b.height - 2.0 * pad - content).max(0.0);
            let shift = match c.valign {
                VAlign::Top => 0.0,
                VAlign::Middle => free / 2.0,
                VAlign::Bottom => free,
            };
            let start = items.len();
            for (i, l) in lines.iter().enumerate() {
                let y = baseline(l, lh, b.y + pad + shift + i as f32 * lh);
                self.emit_line(items, l, b.x + pad + l.x, y, at.block, false, c.para.style.effects);
            }
            if repeated {
                for item in &mut items[start..] {
                    if let Item::Glyphs(g) = item {
                        g.repeated = true;
                    }
                }
            }
        }
        self.paragraph = base;
    }

    /// Record the current paragraph as a table cell.
    fn note_cell(&mut self, cell: TableCell) {
        if self.roles.len() <= self.paragraph {
            self.roles.resize(self.paragraph + 1, ParagraphInfo::default());
        }
        self.roles[self.paragraph] =
            ParagraphInfo { role: Role::Cell, list: None, frame_order: self.frame_order, cell: Some(cell) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ColumnWidth::*;

    #[test]
    fn fixed_columns_keep_their_length_and_fractions_share_the_rest() {
        let w = resolve_widths(&[Fixed(60.0), Fraction(1.0), Fraction(3.0)], 460.0, &[10.0; 3], &[50.0; 3]).unwrap();
        assert_eq!(w, vec![60.0, 100.0, 300.0]);
    }

    #[test]
    fn auto_columns_take_their_text_s_width_and_fractions_what_is_left() {
        let w = resolve_widths(&[Auto, Fraction(1.0), Auto], 300.0, &[20.0, 30.0, 10.0], &[80.0, 90.0, 40.0]).unwrap();
        assert_eq!(w, vec![80.0, 180.0, 40.0]);
        // Only auto columns: the table is as wide as its text.
        let w = resolve_widths(&[Auto, Auto], 300.0, &[20.0, 10.0], &[80.0, 40.0]).unwrap();
        assert_eq!(w.iter().sum::<f32>(), 120.0);
    }

    #[test]
    fn a_fraction_never_falls_below_its_longest_word() {
        let w = resolve_widths(&[Fraction(1.0), Fraction(1.0)], 100.0, &[70.0, 10.0], &[90.0, 20.0]).unwrap();
        assert_eq!(w, vec![70.0, 30.0]);
    }

    #[test]
    fn too_wide_auto_columns_give_up_room_down_to_their_longest_word() {
        // 100 + 200 wanted in 200: each gives up half of what it can spare (50 and 150).
        let w = resolve_widths(&[Auto, Auto], 200.0, &[50.0, 50.0], &[100.0, 200.0]).unwrap();
        assert_eq!(w, vec![75.0, 125.0]);
        assert_eq!(resolve_widths(&[Fixed(150.0), Auto], 200.0, &[0.0, 60.0], &[0.0, 100.0]), Err(210.0));
    }

    #[test]
    fn a_right_to_left_table_starts_at_the_right() {
        let widths = [10.0, 20.0, 30.0];
        assert_eq!(span_box(&widths, 100.0, 0..1, true), (150.0, 10.0));
        assert_eq!(span_box(&widths, 100.0, 1..3, true), (100.0, 50.0));
        assert_eq!(span_box(&widths, 100.0, 0..1, false), (100.0, 10.0));
        assert_eq!(span_box(&widths, 100.0, 1..3, false), (110.0, 50.0));
    }
}
