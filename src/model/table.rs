//! Resolving a table block: its cells placed on the grid (column and row
//! spans, short rows filled with empty cells), the runs of rows that must
//! stay together, each cell's paragraph in the cell or header style with
//! its column's alignment, and the table's lines and fills.
//!
//! Owns where each cell goes (`place_cells`), which rows go together
//! (`row_groups`) and every check of a table as written, each reported at
//! its place in the layout. Column widths depend on the frame and the text,
//! so they are the layout's (`layout::table`).

use super::raw::{OneOrEach, RawBlock, RawCell, TableRules};
use super::resolve::{Resolver, Style};
use super::*;
use std::ops::Range;
use toml::Spanned;

/// The most columns one table may have.
pub(super) const MAX_COLUMNS: usize = 64;

/// A cell's place on the grid: first row and column, and how many of each it spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Slot {
    pub(super) row: usize,
    pub(super) col: usize,
    pub(super) rowspan: usize,
    pub(super) colspan: usize,
    /// The written cell (its index in its row), or `None` for an empty
    /// cell filling a short row.
    pub(super) written: Option<usize>,
}

/// Place the cells of `rows` (each cell's colspan and rowspan, in reading
/// order) on a grid of `columns` columns: each cell takes the first column
/// no cell above spans into; places left free are filled with empty cells.
/// The slots come row by row, each row in column order. A mistake is
/// `(row, cell, message)`, counted from 0.
pub(super) fn place_cells(rows: &[Vec<(usize, usize)>], columns: usize) -> Result<Vec<Slot>, (usize, usize, String)> {
    let mut taken = vec![vec![false; columns]; rows.len()];
    let mut slots = Vec::new();
    for (r, cells) in rows.iter().enumerate() {
        let mut c = 0;
        let mut row_slots = Vec::new();
        for (k, &(colspan, rowspan)) in cells.iter().enumerate() {
            while c < columns && taken[r][c] {
                c += 1;
            }
            if c >= columns {
                return Err((r, k, format!("row {} has more cells than the table's {columns} columns", r + 1)));
            }
            if c + colspan > columns {
                return Err((
                    r,
                    k,
                    format!(
                        "cell {} of row {} starts at column {} and spans {colspan}, past the table's {columns} columns",
                        k + 1,
                        r + 1,
                        c + 1
                    ),
                ));
            }
            if r + rowspan > rows.len() {
                return Err((
                    r,
                    k,
                    format!(
                        "cell {} of row {} spans {rowspan} rows, past the table's last row ({})",
                        k + 1,
                        r + 1,
                        rows.len()
                    ),
                ));
            }
            if let Some(hit) = (c..c + colspan).find(|&x| taken[r][x]) {
                return Err((
                    r,
                    k,
                    format!(
                        "cell {} of row {} spans into column {}, which a cell from a row above already takes",
                        k + 1,
                        r + 1,
                        hit + 1
                    ),
                ));
            }
            for row in taken.iter_mut().skip(r).take(rowspan) {
                row[c..c + colspan].iter_mut().for_each(|t| *t = true);
            }
            row_slots.push(Slot { row: r, col: c, rowspan, colspan, written: Some(k) });
            c += colspan;
        }
        for (col, _) in taken[r].iter().enumerate().filter(|(_, t)| !**t) {
            row_slots.push(Slot { row: r, col, rowspan: 1, colspan: 1, written: None });
        }
        taken[r].iter_mut().for_each(|t| *t = true);
        row_slots.sort_by_key(|s| s.col);
        slots.extend(row_slots);
    }
    Ok(slots)
}

/// The runs of rows that go together: a cell spanning rows binds them.
/// With `header` rows, the header is the first run; a header cell spanning
/// into the body is a mistake (the header is repeated alone).
pub(super) fn row_groups(slots: &[Slot], rows: usize, header: usize) -> Result<Vec<Range<usize>>, String> {
    let mut ends = vec![0usize; rows];
    for s in slots {
        ends[s.row] = ends[s.row].max(s.row + s.rowspan);
    }
    let mut groups = Vec::new();
    let mut start = 0;
    while start < rows {
        let mut end = start + 1;
        let mut r = start;
        while r < end {
            end = end.max(ends[r]);
            r += 1;
        }
        if start < header && end > header {
            return Err(format!(
                "a header cell spans from row {} into the body (the header is its first {header} row{}); shorten its rowspan or count that row in `header`",
                start + 1,
                if header == 1 { "" } else { "s" }
            ));
        }
        groups.push(start..end);
        start = end;
    }
    if header > 0 {
        let body = groups.split_off(groups.iter().position(|g| g.end == header).map_or(0, |i| i + 1));
        groups = std::iter::once(0..header).chain(body).collect();
    }
    Ok(groups)
}

/// A whole number written in the layout, from `min` to `max`.
fn count(r: &Resolver, n: &Spanned<i64>, what: &str, min: i64, max: usize) -> Result<usize, ModelError> {
    let v = *n.get_ref();
    if v < min || v > max as i64 {
        return Err(r.err(n.span(), format!("{what} must be from {min} to {max}, not {v}")));
    }
    Ok(v as usize)
}

/// The style a table's cells are set in: the block's `style`, else the
/// layout's `table` style, else `body`.
fn cell_style(r: &mut Resolver, raw: &RawBlock) -> Result<Style, ModelError> {
    match &raw.style {
        Some(_) => r.block_style(&raw.style, "table"),
        None if r.raw_styles.contains_key("table") => r.block_style(&None, "table"),
        None => r.block_style(&None, "body"),
    }
}

/// A table block.
pub(super) fn resolve_table(r: &mut Resolver, b: &Spanned<RawBlock>, origin: &str) -> Result<Table, ModelError> {
    let raw = b.get_ref();
    let rows = raw.rows.as_ref().ok_or_else(|| r.err(b.span(), "a table block needs `rows`"))?;
    let columns = raw.columns.as_ref().ok_or_else(|| {
        r.err(b.span(), "a table block needs `columns`: one width per column, like [\"25mm\", \"1fr\", \"auto\"]")
    })?;
    let ncols = columns.get_ref().len();
    if ncols == 0 || ncols > MAX_COLUMNS {
        return Err(r.err(columns.span(), format!("a table takes 1 to {MAX_COLUMNS} columns, not {ncols}")));
    }
    if rows.get_ref().is_empty() {
        return Err(r.err(rows.span(), "a table needs at least one row"));
    }
    let cells_written: usize = rows.get_ref().iter().map(|row| row.get_ref().len()).sum();
    r.table_cells += cells_written.max(rows.get_ref().len() * ncols);
    crate::Exceeded::check("table-cells", r.files.limits.table_cells as u64, r.table_cells as u64)
        .map_err(|e| r.err(rows.span(), e.to_string()))?;
    let nrows = rows.get_ref().len();
    let header = raw.header.as_ref().map_or(Ok(0), |h| count(r, h, "`header` (rows)", 0, nrows))?;
    // Spans as written, each checked where it is written.
    let mut spans = Vec::with_capacity(nrows);
    for row in rows.get_ref() {
        let mut list = Vec::with_capacity(row.get_ref().len());
        for cell in row.get_ref() {
            list.push(match cell.get_ref() {
                RawCell::Text(_) => (1, 1),
                RawCell::Full(t) => (
                    t.colspan.as_ref().map_or(Ok(1), |n| count(r, n, "`colspan`", 1, MAX_COLUMNS))?,
                    t.rowspan.as_ref().map_or(Ok(1), |n| count(r, n, "`rowspan`", 1, nrows))?,
                ),
            });
        }
        spans.push(list);
    }
    let slots = place_cells(&spans, ncols).map_err(|(row, k, m)| {
        let at = rows.get_ref()[row].get_ref().get(k).map_or(rows.get_ref()[row].span(), |c| c.span());
        r.err(at, m)
    })?;
    let groups = row_groups(&slots, nrows, header).map_err(|m| r.err(rows.span(), m))?;
    let aligns = per_column(r, raw.align.as_ref(), "align", ncols, Align::Start)?;
    let valigns = per_column(r, raw.valign.as_ref(), "valign", ncols, VAlign::Top)?;
    let rtl = match raw.direction {
        Some(Direction::Rtl) => true,
        Some(Direction::Ltr) => false,
        _ => r.rtl_language,
    };
    let body_style = cell_style(r, raw)?;
    let header_style = match &raw.header_style {
        Some(_) => r.block_style(&raw.header_style, "table")?,
        None => Style { weight: body_style.weight.max(700), ..body_style.clone() },
    };
    let mut cells = Vec::with_capacity(slots.len());
    for s in slots {
        let written = s.written.map(|k| &rows.get_ref()[s.row].get_ref()[k]);
        let is_header = s.row < header;
        let mut style = match written.map(|c| c.get_ref()) {
            Some(RawCell::Full(t)) if t.style.is_some() => r.block_style(&t.style, "table")?,
            _ if is_header => header_style.clone(),
            _ => body_style.clone(),
        };
        let own = match written.map(|c| c.get_ref()) {
            Some(RawCell::Full(t)) => Some(t),
            _ => None,
        };
        style.align = own.and_then(|t| t.align).unwrap_or(aligns[s.col]);
        if style.direction == Direction::Auto {
            style.direction = if rtl { Direction::Rtl } else { Direction::Ltr };
        }
        style.space_before = 0.0;
        style.space_after = 0.0;
        let text = match written {
            Some(c) => match c.get_ref() {
                RawCell::Text(t) => Spanned::new(c.span(), t.clone()),
                RawCell::Full(t) => t.text.clone().unwrap_or_else(|| Spanned::new(c.span(), String::new())),
            },
            None => Spanned::new(0..0, String::new()),
        };
        let where_ = format!("{origin}, row {}, column {}", s.row + 1, s.col + 1);
        let para = r.paragraph(&text, &style, where_)?;
        let fill = match own.and_then(|t| t.fill.as_ref()) {
            Some(c) => Some(r.palette.color(c)?),
            None => None,
        };
        cells.push(Cell {
            para,
            row: s.row,
            col: s.col,
            rowspan: s.rowspan,
            colspan: s.colspan,
            fill,
            valign: own.and_then(|t| t.valign).unwrap_or(valigns[s.col]),
            header: is_header,
        });
    }
    let color = |c: &Option<Spanned<Color>>| c.as_ref().map_or(Ok(Rgb::BLACK), |c| r.palette.color(c));
    let border_width = raw.border_width.map_or(0.5, |l| l.0);
    let rule_width = raw.rule_width.map_or(0.5, |l| l.0);
    let padding = raw.padding.map_or(2.0 * values::PT_PER_MM, |l| l.0);
    for (what, v) in [("border_width", border_width), ("rule_width", rule_width), ("padding", padding)] {
        if !(0.0..=100.0).contains(&v) {
            return Err(r.err(b.span(), format!("a table's `{what}` must be from 0 to 100 pt, not {v:.1} pt")));
        }
    }
    let rules = raw.rules.unwrap_or(TableRules::All);
    Ok(Table {
        columns: columns.get_ref().clone(),
        cells,
        header,
        groups,
        rtl,
        padding,
        border: (border_width > 0.0).then_some((color(&raw.border_color)?, border_width)),
        row_rules: rule_width > 0.0 && matches!(rules, TableRules::All | TableRules::Rows),
        column_rules: rule_width > 0.0 && matches!(rules, TableRules::All | TableRules::Columns),
        rule: (color(&raw.rule_color)?, rule_width),
        header_fill: raw.header_fill.as_ref().map(|c| r.palette.color(c)).transpose()?,
        fills: raw.fills.iter().flatten().map(|c| r.palette.color(c)).collect::<Result<_, _>>()?,
        space_before: raw.space_before.map_or(0.0, |l| l.0),
        space_after: raw.space_after.map_or(0.0, |l| l.0),
    })
}

/// Each column's value of `key` (`align`, `valign`): one value for all, or
/// a list of one per column; `default` when the key is not written.
fn per_column<T: Copy>(
    r: &Resolver,
    value: Option<&Spanned<OneOrEach<T>>>,
    key: &str,
    ncols: usize,
    default: T,
) -> Result<Vec<T>, ModelError> {
    Ok(match value {
        None => vec![default; ncols],
        Some(v) => match v.get_ref() {
            OneOrEach::One(one) => vec![*one; ncols],
            OneOrEach::Each(list) if list.len() == ncols => list.clone(),
            OneOrEach::Each(list) => {
                return Err(r.err(
                    v.span(),
                    format!("`{key}` lists {} values for the table's {ncols} columns; give one per column", list.len()),
                ));
            }
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(slots: &[Slot]) -> Vec<(usize, usize, usize, usize, bool)> {
        slots.iter().map(|s| (s.row, s.col, s.rowspan, s.colspan, s.written.is_some())).collect()
    }

    #[test]
    fn a_cell_takes_the_first_column_no_cell_above_spans_into() {
        // Row 1: a cell two rows tall, then one two columns wide; row 2: one cell.
        let slots = place_cells(&[vec![(1, 2), (2, 1)], vec![(1, 1)]], 3).unwrap();
        assert_eq!(
            at(&slots),
            vec![(0, 0, 2, 1, true), (0, 1, 1, 2, true), (1, 1, 1, 1, true), (1, 2, 1, 1, false)],
            "row 2's cell goes to column 2, past the tall cell, and its last column is filled with an empty cell"
        );
    }

    #[test]
    fn spans_past_the_grid_or_over_another_cell_are_mistakes() {
        let e = place_cells(&[vec![(1, 1), (3, 1)]], 3).unwrap_err();
        assert_eq!((e.0, e.1), (0, 1));
        assert!(e.2.contains("past the table's 3 columns"), "{}", e.2);
        let e = place_cells(&[vec![(1, 3)], vec![(1, 1)]], 2).unwrap_err();
        assert!(e.2.contains("past the table's last row"), "{}", e.2);
        let e = place_cells(&[vec![(1, 1), (1, 1), (1, 1)]], 2).unwrap_err();
        assert!(e.2.contains("more cells than"), "{}", e.2);
        // Row 2's second cell, two wide, would run into the tall cell of column 3.
        let e = place_cells(&[vec![(1, 1), (1, 1), (1, 2)], vec![(1, 1), (2, 1)]], 3).unwrap_err();
        assert_eq!((e.0, e.1), (1, 1));
        assert!(e.2.contains("column 3"), "{}", e.2);
    }

    #[test]
    fn rows_a_cell_spans_stay_together_and_the_header_is_one_run() {
        let slots =
            place_cells(&[vec![(1, 1), (1, 1)], vec![(1, 2), (1, 1)], vec![(1, 1)], vec![(1, 1), (1, 1)]], 2).unwrap();
        assert_eq!(row_groups(&slots, 4, 1).unwrap(), vec![0..1, 1..3, 3..4]);
        assert_eq!(row_groups(&slots, 4, 0).unwrap(), vec![0..1, 1..3, 3..4]);
        let two = place_cells(&[vec![(1, 1)], vec![(1, 1)], vec![(1, 1)]], 1).unwrap();
        assert_eq!(row_groups(&two, 3, 2).unwrap(), vec![0..2, 2..3]);
        assert!(row_groups(&slots, 4, 2).unwrap_err().contains("into the body"));
    }
}
