//! The `hb-shape` text format, so nashr's shaping can be compared with
//! HarfBuzz glyph for glyph.
//!
//! `[gid=cluster+advance|gid=cluster@dx,dy+advance|…]`, advances and offsets
//! in font units, clusters as character indices into the input (what
//! `hb-shape --no-glyph-names` prints by default).

use super::shape::{RunSpec, Shaper};
use super::{Line, layout_paragraph};
use crate::fonts::FaceId;
use crate::model::{Align, Direction, ParaStyle, Paragraph, Rgb, Span, Wrap};

/// One glyph as hb-shape reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HbGlyph {
    pub id: u16,
    /// Character index in the input text.
    pub cluster: usize,
    pub x_offset: i32,
    pub y_offset: i32,
    pub x_advance: i32,
    pub y_advance: i32,
}

/// Format glyphs as hb-shape does.
pub fn format(glyphs: &[HbGlyph]) -> String {
    let body: Vec<String> = glyphs
        .iter()
        .map(|g| {
            let mut s = format!("{}={}", g.id, g.cluster);
            if g.x_offset != 0 || g.y_offset != 0 {
                s.push_str(&format!("@{},{}", g.x_offset, g.y_offset));
            }
            s.push_str(&format!("+{}", g.x_advance));
            if g.y_advance != 0 {
                s.push_str(&format!(",{}", g.y_advance));
            }
            s
        })
        .collect();
    format!("[{}]", body.join("|"))
}

fn char_index_of(text: &str) -> impl Fn(usize) -> usize + '_ {
    move |byte| text[..byte.min(text.len())].chars().count()
}

/// Shape `text` as one run, like `hb-shape` does: `direction` `None` guesses
/// from the script. Glyphs in the shaper's output order (visual).
pub fn shape_run(
    shaper: &mut Shaper,
    face: FaceId,
    text: &str,
    direction: Direction,
    features: &[String],
) -> Vec<HbGlyph> {
    let rtl = match direction {
        Direction::Rtl => true,
        Direction::Ltr => false,
        Direction::Auto => guess_rtl(text),
    };
    let features = super::shape::parse_features(features);
    let mut glyphs = shaper.shape(&RunSpec {
        text,
        range: 0..text.len(),
        face,
        rtl,
        script: None,
        features: &features,
        language: None,
    });
    if rtl {
        glyphs.reverse();
    }
    let idx = char_index_of(text);
    glyphs
        .iter()
        .map(|g| HbGlyph {
            id: g.id,
            cluster: idx(g.cluster),
            x_offset: g.x_offset,
            y_offset: g.y_offset,
            x_advance: g.x_advance,
            y_advance: g.y_advance,
        })
        .collect()
}

/// Whether HarfBuzz would shape `text` right to left when guessing: the
/// horizontal direction of its first script that is not Common/Inherited.
fn guess_rtl(text: &str) -> bool {
    use unicode_script::{Script, UnicodeScript};
    text.chars()
        .map(|c| c.script())
        .find(|s| !matches!(s, Script::Common | Script::Inherited | Script::Unknown))
        .is_some_and(|s| {
            matches!(
                s,
                Script::Arabic
                    | Script::Hebrew
                    | Script::Syriac
                    | Script::Thaana
                    | Script::Nko
                    | Script::Adlam
                    | Script::Mandaic
            )
        })
}

/// Lay `text` out as one line of a paragraph (bidi, runs, reordering) and
/// return all glyphs in visual order, left to right, in font units of `face`.
pub fn shape_line(
    shaper: &mut Shaper,
    face: FaceId,
    text: &str,
    direction: Direction,
    features: &[String],
) -> Vec<HbGlyph> {
    let upem = shaper.book().face(face).upem;
    let para = Paragraph {
        spans: vec![Span {
            text: text.to_string(),
            face,
            fallbacks: Vec::new(),
            size: upem,
            color: Rgb::BLACK,
            link: None,
            inline: Default::default(),
        }],
        style: ParaStyle {
            size: upem,
            align: Align::Left,
            direction,
            line_height: upem,
            space_before: 0.0,
            space_after: 0.0,
            fallback_rtl: false,
            kashida: crate::model::Kashida::Off,
            wrap: Wrap::Greedy,
            hyphenate: None,
            display: false,
            justify_last: false,
            first_line_indent: 0.0,
            fallback_size_adjust: crate::model::SizeAdjust::Off,
            effects: Default::default(),
            features: features.to_vec(),
        },
        origin: "command line".into(),
    };
    let laid = layout_paragraph(shaper, &para, f32::MAX);
    let idx = char_index_of(text);
    laid.lines
        .iter()
        .flat_map(line_glyphs)
        .map(|mut g| {
            g.cluster = idx(g.cluster);
            g
        })
        .collect()
}

fn line_glyphs(line: &Line) -> Vec<HbGlyph> {
    line.runs
        .iter()
        .flat_map(|r| &r.glyphs)
        .map(|g| HbGlyph {
            id: g.id,
            cluster: g.cluster,
            x_offset: g.dx.round() as i32,
            y_offset: g.dy.round() as i32,
            x_advance: g.advance.round() as i32,
            y_advance: 0,
        })
        .collect()
}
