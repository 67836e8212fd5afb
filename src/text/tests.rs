//! Unit tests of the text engine: per-line reordering of mixed lines (checked
//! against fribidi's visual-to-logical maps), line breaking before
//! reordering, ZWNJ, alignment and justification.

use super::*;
use crate::model::{ParaStyle, Span};

fn para(text: &str, direction: Direction, align: Align) -> Paragraph {
    Paragraph {
        spans: vec![Span { text: text.into(), face: 0, fallbacks: vec![], size: 10.0, color: Rgb::BLACK }],
        style: ParaStyle {
            align,
            direction,
            line_height: 15.0,
            space_before: 0.0,
            space_after: 0.0,
            fallback_rtl: true,
            kashida: true,
            wrap: Wrap::Optimal,
        },
        origin: "test".into(),
    }
}

fn lay(text: &str, width: f32) -> LaidParagraph {
    let book = FontBook::with_bundled();
    let mut shaper = Shaper::new(&book, "");
    layout_paragraph(&mut shaper, &para(text, Direction::Rtl, Align::Justify), width)
}

/// Character indices of a line in visual order, left to right (a cluster of
/// several characters counts as its characters in their display order).
fn visual_order(text: &str, line: &Line) -> Vec<usize> {
    let mut out = Vec::new();
    for run in &line.runs {
        for g in run.glyphs.iter().filter(|g| !g.text.is_empty()) {
            let first = text[..g.cluster].chars().count();
            let n = g.text.chars().count();
            let mut idx: Vec<usize> = (first..first + n).collect();
            if run.rtl {
                idx.reverse();
            }
            out.extend(idx);
        }
    }
    out
}

/// Visual-to-logical maps from `fribidi --rtl --nobreak --vtol --novisual`.
const FRIBIDI: &[(&str, &[usize])] = &[
    ("وب سایت: www.wpiran.org", &[9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 8, 7, 6, 5, 4, 3, 2, 1, 0]),
    (
        "پیامگیر تلگرام: wpi_tamas@",
        &[25, 16, 17, 18, 19, 20, 21, 22, 23, 24, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    ),
    (
        "۱۳ آبان ۱۴۰۰ (۴ نوامبر ۲۰۲۱)",
        &[27, 23, 24, 25, 26, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 8, 9, 10, 11, 7, 6, 5, 4, 3, 2, 0, 1],
    ),
    ("۰۰۴۶۷۰۰۴۴۷۴۲۵", &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
    ("کرد، ۴۲ سال علیه", &[15, 14, 13, 12, 11, 10, 9, 8, 7, 5, 6, 4, 3, 2, 1, 0]),
];

#[test]
fn mixed_lines_reorder_like_fribidi() {
    for (text, want) in FRIBIDI {
        let laid = lay(text, 1000.0);
        assert_eq!(laid.lines.len(), 1, "{text}");
        assert_eq!(visual_order(text, &laid.lines[0]), *want, "visual order of «{text}»");
    }
}

#[test]
fn handle_shows_at_sign_first_and_parentheses_mirror() {
    let text = "پیامگیر تلگرام: wpi_tamas@";
    let laid = lay(text, 1000.0);
    let line = &laid.lines[0];
    // Leftmost glyph is the «@», then the handle left to right.
    let first: Vec<&str> = line.runs.iter().flat_map(|r| &r.glyphs).take(2).map(|g| g.text.as_str()).collect();
    assert_eq!(first, vec!["@", "w"]);

    // In «(۴ نوامبر ۲۰۲۱)» the parentheses sit in RTL runs and are mirrored
    // by the shaper: the leftmost glyph is the closing parenthesis of the
    // text, drawn as an opening one.
    let text = "۱۳ آبان ۱۴۰۰ (۴ نوامبر ۲۰۲۱)";
    let laid = lay(text, 1000.0);
    let line = &laid.lines[0];
    let leftmost = &line.runs[0].glyphs[0];
    assert_eq!(leftmost.text, ")");
    let book = FontBook::with_bundled();
    assert_eq!(Some(leftmost.id), book.face(0).glyph('('), "mirrored to the «(» glyph");
}

#[test]
fn lines_are_broken_before_they_are_reordered() {
    // Each line holds a prefix of the logical text; reordering never moves
    // words from one line to another.
    let text =
        "در کنگره حزب کمونیست کارگری که به دلیل شیوع کرونا بصورت آنلاین در روزهای ۱۲ تا ۱۴ آذر برگزار میشود شرکت کنید";
    let laid = lay(text, 150.0);
    assert!(laid.lines.len() >= 3);
    let mut next = 0;
    for line in &laid.lines {
        assert_eq!(line.range.start, next, "lines cover the text in logical order");
        next = line.range.end;
        let mut order = visual_order(text, line);
        // Pure RTL words with LTR digits: visual order, sorted, is exactly the line's characters.
        order.sort();
        let first = text[..line.range.start].chars().count();
        let visible = linebreak::trim_trailing_space(text, line.range.clone());
        let count = text[visible].chars().count();
        assert_eq!(order, (first..first + count).collect::<Vec<_>>());
    }
    assert_eq!(next, text.len());
}

#[test]
fn first_line_starts_with_the_first_words_on_the_right() {
    let text = "اول دوم سوم چهارم پنجم ششم هفتم هشتم نهم دهم";
    let laid = lay(text, 80.0);
    let line = &laid.lines[0];
    let last_run = line.runs.last().unwrap();
    let rightmost = last_run.glyphs.last().unwrap();
    assert_eq!(rightmost.cluster, 0, "the first letter of the paragraph is at the right edge");
}

#[test]
fn zwnj_breaks_the_join_without_a_gap() {
    let book = FontBook::with_bundled();
    let mut shaper = Shaper::new(&book, "");
    let ids = |s: &mut Shaper, t: &str| -> Vec<u16> {
        s.shape(&RunSpec { text: t, range: 0..t.len(), face: 0, rtl: true, script: None })
            .iter()
            .map(|g| g.id)
            .collect()
    };
    let with_zwnj = "می\u{200C}داند";
    let glyphs =
        shaper.shape(&RunSpec { text: with_zwnj, range: 0..with_zwnj.len(), face: 0, rtl: true, script: None });
    let zwnj = glyphs.iter().find(|g| g.cluster == "می".len()).expect("a glyph for the ZWNJ");
    assert_eq!(zwnj.x_advance, 0, "no gap");
    let without: Vec<u16> = glyphs.iter().filter(|g| g.cluster != "می".len()).map(|g| g.id).collect();
    let mut apart = ids(&mut shaper, "می");
    apart.extend(ids(&mut shaper, "داند"));
    assert_eq!(without, apart, "«می» and «داند» take their unjoined forms");
    let joined = ids(&mut shaper, "میداند");
    assert_ne!(joined, apart, "without ZWNJ the letters join");
}

#[test]
fn justified_lines_fill_the_measure_and_last_line_does_not() {
    let text = "در کنگره حزب کمونیست کارگری که به دلیل شیوع کرونا بصورت آنلاین در روزهای ۱۲ تا ۱۴ آذر برگزار میشود";
    let laid = lay(text, 160.0);
    let n = laid.lines.len();
    assert!(n >= 2);
    for line in &laid.lines[..n - 1] {
        assert!((line.width - 160.0).abs() < 0.01, "justified width {}", line.width);
        assert!(line.natural_width <= 160.01);
    }
    let last = &laid.lines[n - 1];
    assert!(last.width < 160.0 - 1.0);
    // RTL: the short last line starts at the right edge.
    assert!((last.x + last.width - 160.0).abs() < 0.01);
}

#[test]
fn lam_alef_cluster_keeps_both_letters() {
    let text = "اسلامی";
    let laid = lay(text, 1000.0);
    let all: Vec<&str> = laid.lines[0].runs.iter().flat_map(|r| &r.glyphs).map(|g| g.text.as_str()).collect();
    assert!(all.contains(&"لا"), "the lam-alef ligature carries «لا»: {all:?}");
    assert_eq!(visual_order(text, &laid.lines[0]), vec![5, 4, 3, 2, 1, 0]);
}

#[test]
fn missing_characters_are_reported_with_position() {
    let laid = lay("سلام \u{10FFFD} دنیا", 1000.0);
    assert_eq!(laid.missing.len(), 1);
    assert_eq!(laid.missing[0].ch, '\u{10FFFD}');
    assert_eq!(laid.missing[0].char_index, 5);
}

#[test]
fn auto_direction_without_strong_characters_follows_the_language() {
    let book = FontBook::with_bundled();
    let mut shaper = Shaper::new(&book, "");
    let mut p = para("۰۰۴۶۷۰۰۴۴۷۴۲۵", Direction::Auto, Align::Start);
    assert!(layout_paragraph(&mut shaper, &p, 500.0).lines[0].rtl);
    p.style.fallback_rtl = false;
    assert!(!layout_paragraph(&mut shaper, &p, 500.0).lines[0].rtl);
}
