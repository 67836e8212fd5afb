//! Justification: stretching a line to the full measure.
//!
//! Today: inter-word spaces only, never letter-spacing (joined Arabic script
//! must never be letter-spaced). Kashida elongation plugs in here as the
//! first resort for Arabic-script lines, with spaces as the second.

use super::{Line, LineGlyph};

/// Whether a glyph is an inter-word space that may stretch.
pub fn is_expansion_point(g: &LineGlyph) -> bool {
    matches!(g.text.as_str(), " " | "\u{00A0}" | "\u{3000}")
}

/// Stretch `line` to `width` by widening its word spaces equally. A line
/// without spaces is left at its natural width (and aligned by the caller).
pub fn justify_line(line: &mut Line, width: f32) {
    let extra = width - line.natural_width;
    let count = line.runs.iter().flat_map(|r| &r.glyphs).filter(|g| is_expansion_point(g)).count();
    if count == 0 || extra <= 0.0 {
        return;
    }
    let each = extra / count as f32;
    for g in line.runs.iter_mut().flat_map(|r| r.glyphs.iter_mut()) {
        if is_expansion_point(g) {
            g.advance += each;
        }
    }
    reflow_positions(line);
}

/// Recompute pen positions from the advances, left to right.
pub fn reflow_positions(line: &mut Line) {
    let mut pen = 0.0;
    for g in line.runs.iter_mut().flat_map(|r| r.glyphs.iter_mut()) {
        g.x = pen;
        pen += g.advance;
    }
    line.width = pen;
}
