//! Columns: a frame's content box divided into columns that its content
//! fills one after the other in reading order (the right column first in a
//! right-to-left document), optionally balanced, with a rule in each gutter.
//!
//! Owns the column boxes (`column_rects`), filling them in turn
//! (`Ctx::fill_columns`), balancing the columns the content reaches
//! (`Ctx::balanced_height`) and the gutter rules (`gutter_rules`). Filling
//! one column is `flow`'s `Ctx::fill`; what a frame does with content that
//! does not fit (an error, shrinking, flowing on) is `flow`'s too.

use super::flow::{Filled, Pos, Unit};
use super::{Ctx, LayoutError, content_box};
use crate::model::{Columns, Frame, Rect};
use crate::scene::{Item, LineItem, Origin};
use crate::text::shape::Shaper;

/// The column boxes of content box `content`, in reading order: from the
/// right in a right-to-left document, from the left otherwise.
pub(super) fn column_rects(content: Rect, columns: &Columns, rtl: bool) -> Vec<Rect> {
    let n = columns.count.max(1);
    if n == 1 {
        return vec![content];
    }
    let gutter = columns.gutter.max(0.0);
    let width = ((content.width - gutter * (n - 1) as f32) / n as f32).max(1.0);
    let mut rects: Vec<Rect> =
        (0..n).map(|i| Rect { x: content.x + i as f32 * (width + gutter), width, ..content }).collect();
    if rtl {
        rects.reverse();
    }
    rects
}

/// A vertical rule in the middle of each gutter between `rects` (in any
/// order), from `top` down `height`.
fn gutter_rules(rects: &[Rect], rule: (crate::model::Rgb, f32), top: f32, height: f32) -> Vec<Item> {
    let mut lefts: Vec<Rect> = rects.to_vec();
    lefts.sort_by(|a, b| a.x.total_cmp(&b.x));
    lefts
        .windows(2)
        .map(|w| {
            let x = (w[0].x + w[0].width + w[1].x) / 2.0;
            Item::Line(LineItem {
                origin: Origin { frame: None, block: None, figure: None },
                x1: x,
                y1: top,
                x2: x,
                y2: top + height,
                width: rule.1,
                color: rule.0,
            })
        })
        .collect()
}

impl Ctx<'_> {
    /// Fill frame `frame`'s columns with units from `pos`, at `scale`:
    /// each column takes what the one before it left, and a balanced frame
    /// whose content ends in it fills its columns to about one height.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn fill_columns(
        &mut self,
        shaper: &mut Shaper,
        frame: &Frame,
        units: &[Unit],
        pos: Pos,
        scale: f32,
        base: usize,
    ) -> Result<Filled, LayoutError> {
        let content = content_box(frame);
        let mut rects = column_rects(content, &frame.columns, self.doc.rtl);
        if rects.len() == 1 {
            return self.fill(shaper, frame, content, units, pos, scale, base);
        }
        let mut filled = self.fill_each(shaper, frame, &rects, units, pos, scale, base)?;
        if frame.columns.balance && filled.next.is_none() {
            let height = self.balanced_height(shaper, frame, &rects, units, pos, scale, base);
            if height < content.height {
                rects.iter_mut().for_each(|r| r.height = height);
                filled = self.fill_each(shaper, frame, &rects, units, pos, scale, base)?;
            }
        }
        if let Some(rule) = frame.columns.rule
            && filled.used > 0.0
        {
            filled.items.extend(gutter_rules(&rects, rule, content.y, filled.used));
        }
        Ok(filled)
    }

    /// Fill `rects` one after the other; the content left after the last is
    /// the frame's `next`.
    #[allow(clippy::too_many_arguments)]
    fn fill_each(
        &mut self,
        shaper: &mut Shaper,
        frame: &Frame,
        rects: &[Rect],
        units: &[Unit],
        pos: Pos,
        scale: f32,
        base: usize,
    ) -> Result<Filled, LayoutError> {
        Ok(self.fill_measured(shaper, frame, rects, units, pos, scale, base)?.0)
    }

    /// [`Self::fill_each`], with the height each column it reached used.
    #[allow(clippy::too_many_arguments)]
    fn fill_measured(
        &mut self,
        shaper: &mut Shaper,
        frame: &Frame,
        rects: &[Rect],
        units: &[Unit],
        mut pos: Pos,
        scale: f32,
        base: usize,
    ) -> Result<(Filled, Vec<f32>), LayoutError> {
        let mut all = Filled { items: Vec::new(), used: 0.0, next: Some(pos) };
        let mut heights = Vec::with_capacity(rects.len());
        for &rect in rects {
            let filled = self.fill(shaper, frame, rect, units, pos, scale, base)?;
            all.items.extend(filled.items);
            all.used = all.used.max(filled.used);
            heights.push(filled.used);
            all.next = filled.next;
            match filled.next {
                Some(rest) => pos = rest,
                None => break,
            }
        }
        Ok((all, heights))
    }

    /// The lowest column height (to half a point) at which the content from
    /// `pos` still ends within `rects`; the columns' own height when none
    /// lower does. When widows and orphans leave the first column shorter
    /// than the last there, a height up to two lines more that makes the
    /// first at least as tall is taken instead (earlier columns are never
    /// the short ones).
    #[allow(clippy::too_many_arguments)]
    fn balanced_height(
        &mut self,
        shaper: &mut Shaper,
        frame: &Frame,
        rects: &[Rect],
        units: &[Unit],
        pos: Pos,
        scale: f32,
        base: usize,
    ) -> f32 {
        let saved = (self.paragraph, self.missing.len(), self.probing, self.figures.len());
        self.probing = true;
        let full = rects.first().map_or(0.0, |r| r.height);
        let (mut lo, mut hi) = (0.0f32, full);
        while hi - lo > 0.5 {
            let mid = (lo + hi) / 2.0;
            let trial: Vec<Rect> = rects.iter().map(|r| Rect { height: mid, ..*r }).collect();
            let ends = self.fill_each(shaper, frame, &trial, units, pos, scale, base).is_ok_and(|f| f.next.is_none());
            if ends { hi = mid } else { lo = mid }
        }
        let reach = (hi + 2.0 * tallest_line(units, scale)).min(full);
        let mut h = hi;
        while h <= reach {
            let trial: Vec<Rect> = rects.iter().map(|r| Rect { height: h, ..*r }).collect();
            let filled = self.fill_measured(shaper, frame, &trial, units, pos, scale, base);
            if let Ok((f, heights)) = filled
                && f.next.is_none()
                && heights.first().zip(heights.last()).is_some_and(|(first, last)| first + 0.5 >= *last)
            {
                hi = h;
                break;
            }
            h += 1.0;
        }
        self.paragraph = saved.0;
        self.missing.truncate(saved.1);
        self.probing = saved.2;
        self.figures.truncate(saved.3);
        hi
    }
}

/// The tallest line of the units at `scale` (0 when there is no text).
fn tallest_line(units: &[Unit], scale: f32) -> f32 {
    units
        .iter()
        .filter_map(|u| match u {
            Unit::Para { para, .. } => Some(para.style.line_height),
            Unit::Couplet { verse, couplet, .. } => Some(verse.couplets[*couplet][0].style.line_height),
            _ => None,
        })
        .fold(0.0, f32::max)
        * scale
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content() -> Rect {
        Rect { x: 10.0, y: 20.0, width: 310.0, height: 100.0 }
    }

    #[test]
    fn columns_share_the_width_less_the_gutters() {
        let cols = Columns { count: 3, gutter: 5.0, ..Columns::default() };
        let rects = column_rects(content(), &cols, false);
        assert_eq!(rects.len(), 3);
        assert!(rects.iter().all(|r| (r.width - 100.0).abs() < 1e-4 && r.height == 100.0));
        assert_eq!(rects.iter().map(|r| r.x).collect::<Vec<_>>(), vec![10.0, 115.0, 220.0]);
    }

    #[test]
    fn a_right_to_left_document_starts_with_the_right_column() {
        let cols = Columns { count: 2, gutter: 10.0, ..Columns::default() };
        let rects = column_rects(content(), &cols, true);
        assert!(rects[0].x > rects[1].x, "{rects:?}");
        assert!((rects[0].x + rects[0].width - 320.0).abs() < 1e-4, "the first ends at the right edge");
    }

    #[test]
    fn one_rule_in_the_middle_of_each_gutter() {
        let cols = Columns { count: 3, gutter: 10.0, ..Columns::default() };
        let rects = column_rects(content(), &cols, true);
        let rules = gutter_rules(&rects, (crate::model::Rgb::BLACK, 0.5), 20.0, 50.0);
        let xs: Vec<f32> = rules
            .iter()
            .map(|i| match i {
                Item::Line(l) => l.x1,
                _ => f32::NAN,
            })
            .collect();
        let w = (310.0 - 20.0) / 3.0;
        assert_eq!(xs.len(), 2);
        assert!((xs[0] - (10.0 + w + 5.0)).abs() < 1e-3 && (xs[1] - (10.0 + 2.0 * w + 15.0)).abs() < 1e-3, "{xs:?}");
    }
}
