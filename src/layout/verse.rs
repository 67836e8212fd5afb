//! Verse: the couplets of a Persian poem, each two hemistichs set side by
//! side in the paragraph's direction (the first on the right in
//! right-to-left text) with a gap between them, both justified — kashida
//! first, the last line included — to one hemistich width: the widest
//! hemistich's natural width, or the block's `hemistich_width`. A column
//! too narrow for both (or a `stacked` verse) sets them one above the
//! other, the first at the start side and the second at the end side.
//!
//! Owns the hemistich width (`Ctx::hemistich_width`), the boxes of a
//! couplet's hemistichs (`hemistich_boxes`), setting a couplet
//! (`Ctx::set_couplet`) and placing it (`Ctx::place_couplet`). Whether a
//! couplet fits its frame is decided by `flow`; lines come from the text
//! engine, whose `justify_last` does the stretching.

use super::flow::{couplet_id, second_id, word_around};
use super::{Ctx, LayoutError, baseline};
use crate::model::{Frame, Rect, Verse};
use crate::scene::Item;
use crate::text::Line;
use crate::text::shape::Shaper;

/// A couplet set for one column: its hemistichs' lines and where they go.
pub(super) struct SetCouplet {
    /// The lines of the first and the second hemistich.
    lines: [Vec<Line>; 2],
    /// The left edge of each hemistich's box, from the column's left edge.
    boxes: [f32; 2],
    /// One above the other instead of side by side.
    stacked: bool,
    line_height: f32,
    /// The text effects of each hemistich's style.
    effects: [crate::base::TextEffects; 2],
    /// The height the couplet takes.
    pub(super) height: f32,
}

/// The left edges of a couplet's two hemistich boxes, each `width` wide,
/// in a column `measure` wide: side by side with `gap` between them and
/// centred, the first on the right when `rtl`; stacked, the first at the
/// start side and the second at the end side.
pub(super) fn hemistich_boxes(measure: f32, width: f32, gap: f32, stacked: bool, rtl: bool) -> [f32; 2] {
    let free = (measure - width).max(0.0);
    if stacked {
        return if rtl { [free, 0.0] } else { [0.0, free] };
    }
    let left = ((measure - 2.0 * width - gap) / 2.0).max(0.0);
    let right = left + width + gap;
    if rtl { [right, left] } else { [left, right] }
}

impl Ctx<'_> {
    /// The width every hemistich of `verse` takes at `scale`: the block's
    /// `hemistich_width`, else the widest hemistich's natural width. `first`
    /// is the key of the verse's first couplet.
    fn hemistich_width(&mut self, shaper: &mut Shaper, verse: &Verse, first: (usize, usize), scale: f32) -> f32 {
        if let Some(w) = verse.hemistich_width {
            return w * scale;
        }
        let mut widest = 0.0f32;
        for (k, pair) in verse.couplets.iter().enumerate() {
            let id = couplet_id(first, k);
            for (id, para) in [(id, &pair[0]), (second_id(id), &pair[1])] {
                let natural = self.prepare_unit(shaper, id, para).natural_width(shaper.book(), scale);
                widest = widest.max(natural);
            }
        }
        widest
    }

    /// Set couplet `couplet` of `verse` (key `id`) for a column `measure`
    /// wide at `scale`: side by side when both hemistichs and the gap fit
    /// and the verse is not `stacked`, else stacked.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn set_couplet(
        &mut self,
        shaper: &mut Shaper,
        frame: &Frame,
        measure: f32,
        verse: &Verse,
        couplet: usize,
        id: (usize, usize),
        scale: f32,
    ) -> Result<SetCouplet, LayoutError> {
        let first = (id.0, id.1 - 2 * couplet);
        let natural = self.hemistich_width(shaper, verse, first, scale);
        let gap = verse.gap * scale;
        let stacked = verse.stacked || 2.0 * natural + gap > measure + 0.01;
        let width = natural.min(measure).max(1.0);
        let pair = &verse.couplets[couplet];
        let lines = [
            self.lay_unit(shaper, id, &pair[0], 0, width, scale, false).to_vec(),
            self.lay_unit(shaper, second_id(id), &pair[1], 0, width, scale, false).to_vec(),
        ];
        for (para, lines) in pair.iter().zip(&lines) {
            if let Some(line) = lines.iter().find(|l| l.forced || l.width > width + 0.01).filter(|_| !self.probing) {
                return Err(LayoutError::WordTooWide {
                    frame: frame.name.clone(),
                    page: frame.page + 1,
                    word: word_around(&para.text(), line.range.clone()),
                    width: line.width,
                    measure: width,
                });
            }
        }
        let rtl = lines[0].first().is_some_and(|l| l.rtl);
        let line_height = pair[0].style.line_height * scale;
        let rows = if stacked { lines[0].len() + lines[1].len() } else { lines[0].len().max(lines[1].len()) };
        Ok(SetCouplet {
            boxes: hemistich_boxes(measure, width, gap, stacked, rtl),
            lines,
            stacked,
            line_height,
            effects: [pair[0].style.effects, pair[1].style.effects],
            height: rows as f32 * line_height,
        })
    }

    /// Draw a set couplet of block `block` into column `column` from `top`
    /// down: the first hemistich's lines, then the second's, so the text
    /// reads in order, each hemistich a paragraph of its own (the current
    /// one and the next).
    pub(super) fn place_couplet(
        &mut self,
        items: &mut Vec<Item>,
        set: &SetCouplet,
        column: Rect,
        top: f32,
        block: usize,
    ) {
        let lh = set.line_height;
        let first = self.paragraph;
        for (k, lines) in set.lines.iter().enumerate() {
            self.paragraph = first + k;
            self.note_role(false, None);
            let first_row = if set.stacked && k == 1 { set.lines[0].len() } else { 0 };
            for (i, line) in lines.iter().enumerate() {
                let y = baseline(line, lh, top + (first_row + i) as f32 * lh);
                self.emit_line(items, line, column.x + set.boxes[k] + line.x, y, block, false, set.effects[k]);
            }
        }
        self.paragraph = first;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn side_by_side_the_first_hemistich_is_on_the_start_side() {
        // 100 pt hemistichs, 20 pt gap, in 300 pt: 40 pt free each side.
        assert_eq!(hemistich_boxes(300.0, 100.0, 20.0, false, true), [160.0, 40.0]);
        assert_eq!(hemistich_boxes(300.0, 100.0, 20.0, false, false), [40.0, 160.0]);
    }

    #[test]
    fn stacked_the_second_hemistich_goes_to_the_end_side() {
        assert_eq!(hemistich_boxes(150.0, 100.0, 20.0, true, true), [50.0, 0.0]);
        assert_eq!(hemistich_boxes(150.0, 100.0, 20.0, true, false), [0.0, 50.0]);
    }
}
