//! Unit tests of the text engine: per-line reordering of mixed lines (checked
//! against fribidi's visual-to-logical maps), line breaking before
//! reordering, ZWNJ, alignment and justification.

use super::*;
use crate::fonts::FontBook;
use crate::model::{Direction, ParaStyle, Span, Wrap};
use shape::RunSpec;

fn para(text: &str, direction: Direction, align: Align) -> Paragraph {
    Paragraph {
        spans: vec![Span {
            text: text.into(),
            face: 0,
            fallbacks: vec![],
            size: 10.0,
            color: Rgb::BLACK,
            link: None,
            inline: Default::default(),
        }],
        style: ParaStyle {
            size: 10.0,
            align,
            direction,
            line_height: 15.0,
            space_before: 0.0,
            space_after: 0.0,
            fallback_rtl: true,
            kashida: crate::model::Kashida::Auto,
            wrap: Wrap::Optimal,
            hyphenate: None,
            display: false,
            justify_last: false,
            first_line_indent: 0.0,
            fallback_size_adjust: Default::default(),
            effects: Default::default(),
            features: Vec::new(),
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
        let visible = breaking::opportunities::trim_trailing_space(text, line.range.clone());
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
        s.shape(&RunSpec {
            text: t,
            range: 0..t.len(),
            face: 0,
            rtl: true,
            script: None,
            features: &[],
            language: None,
        })
        .iter()
        .map(|g| g.id)
        .collect()
    };
    let with_zwnj = "می\u{200C}داند";
    let glyphs = shaper.shape(&RunSpec {
        text: with_zwnj,
        range: 0..with_zwnj.len(),
        face: 0,
        rtl: true,
        script: None,
        features: &[],
        language: None,
    });
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

/// A font book with Noto Naskh Arabic (bundled in `fonts/`) loaded.
fn book_with_noto() -> (FontBook, crate::fonts::FaceId) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts/NotoNaskhArabic-Regular.ttf");
    let mut book = FontBook::with_bundled();
    let id = book.load_file(&crate::fonts::FontFiles::default(), &path).expect("Noto Naskh Arabic is bundled");
    (book, id)
}

/// Lay out `text` justified in `face` and return the lines.
fn justified_in(book: &FontBook, face: crate::fonts::FaceId, text: &str, width: f32) -> Vec<Line> {
    let mut p = para(text, Direction::Rtl, Align::Justify);
    p.spans[0].face = face;
    let mut shaper = Shaper::new(book, "");
    layout_paragraph(&mut shaper, &p, width).lines
}

#[test]
fn kashida_lands_where_the_rules_say_in_both_fonts() {
    let text = "جامعه کمونیست حکومت جامعه کمونیست حکومت جامعه کمونیست حکومت جامعه کمونیست حکومت";
    for (book, face) in [(FontBook::with_bundled(), 0), book_with_noto()] {
        let f = book.face(face);
        let tatweel = f.glyph('\u{0640}').expect("both fonts have a tatweel");
        let lines = justified_in(&book, face, text, 150.0);
        let mut seen = 0;
        for line in &lines[..lines.len() - 1] {
            for g in line.runs.iter().flat_map(|r| &r.glyphs).filter(|g| g.kashida) {
                assert_eq!(g.id, tatweel, "{}: the inserted glyph is the tatweel", f.family);
                assert!(g.text.is_empty(), "inserted kashida carries no text");
                // The kashida sits before the letter its word's rule picked.
                let word_start = text[..g.cluster].rfind(' ').map_or(0, |i| i + 1);
                let word_end = text[g.cluster..].find(' ').map_or(text.len(), |i| g.cluster + i);
                let p = super::kashida::best_point(text, word_start..word_end).expect("a place");
                assert_eq!(g.cluster, p.offset, "{}: «{}»", f.family, &text[word_start..word_end]);
                seen += 1;
            }
        }
        assert!(seen > 0, "{}: kashida used", f.family);
    }
}

#[test]
fn kashida_never_goes_inside_lam_alef_nor_after_non_joining_letters_when_laid_out() {
    // Only lam-alef and non-joining letters: no kashida can go anywhere,
    // so the justified lines stretch their spaces instead.
    let text = "لا ولا دارا آزاد زور دور لا ولا دارا آزاد زور دور لا ولا دارا آزاد";
    let lines = justified_in(&FontBook::with_bundled(), 0, text, 120.0);
    assert!(lines.len() > 1);
    assert!(lines.iter().flat_map(|l| l.runs.iter().flat_map(|r| &r.glyphs)).all(|g| !g.kashida));
    for line in &lines[..lines.len() - 1] {
        assert!((line.width - 120.0).abs() < 0.01, "still justified by spaces");
    }
}

#[test]
fn headings_are_balanced() {
    let mut p = para("در کنگره حزب کمونیست کارگری شرکت کنید!", Direction::Rtl, Align::Center);
    p.style.wrap = Wrap::Balance;
    p.spans[0].size = 20.0;
    let book = FontBook::with_bundled();
    let mut shaper = Shaper::new(&book, "");
    let lines = layout_paragraph(&mut shaper, &p, 260.0).lines;
    assert_eq!(lines.len(), 2);
    let (a, b) = (lines[0].width, lines[1].width);
    assert!((a - b).abs() < 0.35 * a.max(b), "balanced: {a:.1} and {b:.1}");
    p.style.wrap = Wrap::Greedy;
    let greedy = layout_paragraph(&mut shaper, &p, 260.0).lines;
    assert!((greedy[0].width - greedy[1].width).abs() > (a - b).abs(), "first fit is less even");
}

#[test]
fn latin_text_is_hyphenated_where_its_language_allows() {
    let text = "Organisations defending children's rights and the environment, organisations and networks of the women's liberation movement, and families of political prisoners are invited.";
    let mut p = para(text, Direction::Ltr, Align::Justify);
    p.style.hyphenate = Some(*b"en");
    let book = FontBook::with_bundled();
    let mut shaper = Shaper::new(&book, "en");
    let lines = layout_paragraph(&mut shaper, &p, 120.0).lines;
    let hyphen = book.face(0).glyph('-').unwrap();
    let mut hyphenated = 0;
    for line in &lines {
        let last = line.runs.last().unwrap().glyphs.last().unwrap();
        let inside_word = line.range.end < text.len() && text[..line.range.end].ends_with(char::is_alphabetic);
        if inside_word {
            hyphenated += 1;
            assert_eq!(last.id, hyphen, "a line broken inside a word ends with a hyphen");
            assert!(last.text.is_empty(), "the hyphen is not text");
        }
    }
    assert!(hyphenated > 0, "some words are hyphenated at 120 pt");
    // Without a language, words are never split.
    p.style.hyphenate = None;
    let lines = layout_paragraph(&mut shaper, &p, 120.0).lines;
    assert!(lines.iter().all(|l| l.range.end == text.len() || !text[..l.range.end].ends_with(char::is_alphabetic)));
}

/// A piece of a mixed line in logical order: right-to-left text, a unit
/// that reads left to right, or a unit holding right-to-left text, with the
/// visual form a reader expects written out.
enum Piece {
    R(&'static str),
    L(&'static str),
    Mixed { logical: &'static str, visual: &'static str },
}

impl Piece {
    fn logical(&self) -> &'static str {
        match self {
            Piece::R(s) | Piece::L(s) => s,
            Piece::Mixed { logical, .. } => logical,
        }
    }
}

/// The characters of `text`'s first line in visual order, left to right.
fn visual_text(text: &str, width: f32) -> String {
    let laid = lay(text, width);
    let chars: Vec<char> = text.chars().collect();
    visual_order(text, &laid.lines[0]).into_iter().map(|i| chars[i]).collect()
}

/// The visual string a reader expects for pieces in logical order in a
/// right-to-left line: the pieces from right to left, right-to-left pieces
/// with their characters reversed, left-to-right ones as typed.
fn expected(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .rev()
        .map(|p| match p {
            Piece::R(s) => s.chars().rev().collect::<String>(),
            Piece::L(s) => s.to_string(),
            Piece::Mixed { visual, .. } => visual.to_string(),
        })
        .collect()
}

#[test]
fn handles_addresses_and_numbers_read_left_to_right_in_rtl_lines() {
    use Piece::{L, Mixed, R};
    let cases: Vec<Vec<Piece>> = vec![
        // Persian
        vec![R("پیام به "), L("@sokhan_saraayan"), R(" بدهید")],
        vec![R("وب سایت: "), L("www.wpiran.org")],
        vec![R("وب سایت: "), L("www.wpiran.org"), R(".")],
        vec![R("پیامگیر تلگرام: "), L("@wpi_tamas")],
        vec![R("نامه به "), L("info@wpiran.org"), R(" بفرستید.")],
        vec![R("تلفن: "), L("+46 70 044 74 25"), R(" (سیگنال)")],
        vec![
            R("مقاله "),
            Mixed {
                logical: "https://fa.wikipedia.org/wiki/کمونیسم", visual: "https://fa.wikipedia.org/wiki/مسینومک"
            },
            R(" را بخوانید"),
        ],
        vec![R("فایل "), L("/home/user/notes.txt"), R(" را ببینید")],
        vec![R("ما را در "), L("@wpiran"), R(" و "), L("#WPI"), R(" دنبال کنید")],
        vec![R("سایت "), L("wpiran.org/fa/news"), R("، تلگرام "), L("@wpi_tamas")],
        // Sorani Kurdish: a list of units reads from right to left.
        vec![R("ئێمە لە "), L("#tag"), R(" · "), L("@sulibookfair"), R(" · "), L("sulibookfair.krd")],
        vec![R("پەیوەندی: "), L("sulibookfair@gmail.com")],
        vec![R("ژمارە: "), L("+964 770 123 4567"), R(" بۆ پرسیار")],
        // Arabic
        vec![R("تابعونا على "), L("@aljazeera"), R(" و "), L("aljazeera.net")],
        vec![R("للتواصل: "), L("contact@example.org"), R(" أو "), L("+20 2 1234 5678")],
        vec![
            R("الرابط: "),
            Mixed {
                logical: "https://ar.wikipedia.org/wiki/القاهرة", visual: "https://ar.wikipedia.org/wiki/ةرهاقلا"
            },
        ],
    ];
    for case in &cases {
        let text: String = case.iter().map(Piece::logical).collect();
        assert_eq!(visual_text(&text, 2000.0), expected(case), "{text}");
    }
}

#[test]
fn a_handle_next_to_an_address_keeps_its_place_across_a_line_break() {
    // In a narrow measure the address breaks only after its own separators.
    let text = "سایت https://fa.wikipedia.org/wiki/Communism و @wpiran";
    let laid = lay(text, 90.0);
    for line in &laid.lines {
        let part = &text[line.range.clone()];
        assert!(!part.ends_with("wpi") && !part.contains("@wpi") || part.contains("@wpiran"), "{part}");
        if let Some(end) = part.trim_end().chars().last()
            && part.contains("wikipedia")
            && !part.trim_end().ends_with("Communism")
        {
            assert!(matches!(end, '/' | '.' | '-'), "breaks after a separator: «{part}»");
        }
    }
}

#[test]
fn display_text_never_ends_a_line_on_the_hyphen_of_a_compound() {
    let text = "Take part in the congress of the Worker-communist Party";
    let mut p = para(text, Direction::Ltr, Align::Center);
    p.style.wrap = Wrap::Balance;
    let book = FontBook::with_bundled();
    let mut shaper = Shaper::new(&book, "");
    // Find a width at which plain text breaks after «Worker-».
    let breaks_at_hyphen = |p: &Paragraph, shaper: &mut Shaper, w: f32| {
        let laid = layout_paragraph(shaper, p, w);
        laid.lines.iter().any(|l| text[..l.range.end].trim_end().ends_with("Worker-"))
    };
    let width = (100..300).map(|w| w as f32).find(|&w| breaks_at_hyphen(&p, &mut shaper, w));
    let width = width.expect("some width breaks plain text at the hyphen");
    p.style.display = true;
    assert!(!breaks_at_hyphen(&p, &mut shaper, width), "display text keeps «Worker-communist» whole");
}

#[test]
fn display_text_leaves_no_word_alone_on_its_last_line() {
    let text = "Take part in the congress of the Worker-communist Party of Iran!";
    let mut p = para(text, Direction::Ltr, Align::Center);
    p.style.wrap = Wrap::Balance;
    p.style.display = true;
    let book = FontBook::with_bundled();
    let mut shaper = Shaper::new(&book, "");
    for w in (80..=300).step_by(10) {
        let laid = layout_paragraph(&mut shaper, &p, w as f32);
        if laid.lines.len() < 2 {
            continue;
        }
        let last = &laid.lines[laid.lines.len() - 1];
        let words = text[last.range.clone()].split_whitespace().count();
        assert!(words >= 2, "at {w} pt the last line is «{}» alone", &text[last.range.clone()]);
    }
}

/// `text` laid out `width` wide with its style changed by `change`.
fn lay_styled(text: &str, width: f32, change: impl Fn(&mut ParaStyle)) -> LaidParagraph {
    let book = FontBook::with_bundled();
    let mut shaper = Shaper::new(&book, "");
    let mut p = para(text, Direction::Rtl, Align::Justify);
    change(&mut p.style);
    layout_paragraph(&mut shaper, &p, width)
}

#[test]
fn justify_last_stretches_a_one_line_paragraph_to_the_measure() {
    let text = "شب شعر حافظ و سعدی";
    let plain = lay_styled(text, 200.0, |_| {});
    let full = lay_styled(text, 200.0, |s| s.justify_last = true);
    assert_eq!((plain.lines.len(), full.lines.len()), (1, 1));
    assert!(plain.lines[0].width < 150.0, "left at its natural width: {}", plain.lines[0].width);
    assert!((full.lines[0].width - 200.0).abs() < 0.01, "justified: {}", full.lines[0].width);
    assert!(full.lines[0].runs.iter().flat_map(|r| &r.glyphs).any(|g| g.kashida), "kashida first");
}

#[test]
fn a_first_line_indent_narrows_only_the_first_line_on_the_start_side() {
    let text = "در کنگره حزب کمونیست کارگری شرکت کنید و صدای آزادی و برابری را به گوش همه برسانید. ".repeat(3);
    let laid = lay_styled(&text, 200.0, |s| s.first_line_indent = 20.0);
    assert!(laid.lines.len() > 2);
    let first = &laid.lines[0];
    assert!(
        (first.width - 180.0).abs() < 0.01 && first.x.abs() < 0.01,
        "right to left: {} at {}",
        first.width,
        first.x
    );
    assert!(laid.lines[1..laid.lines.len() - 1].iter().all(|l| (l.width - 200.0).abs() < 0.01));
    assert_eq!(first.range.end, laid.lines[1].range.start, "the rest goes on where the first line ended");
    // Left to right, the first line moves right by the indent.
    let mut p =
        para("The poetry night opens with readings of Hafez and Saadi and music.", Direction::Ltr, Align::Start);
    p.style.first_line_indent = 30.0;
    let book = FontBook::with_bundled();
    let laid = layout_paragraph(&mut Shaper::new(&book, ""), &p, 150.0);
    assert!((laid.lines[0].x - 30.0).abs() < 0.01 && laid.lines[1].x.abs() < 0.01);
}

#[test]
fn opentype_features_change_the_glyphs_as_harfbuzz_says() {
    // hb-shape --features=tnum Vazirmatn-Regular.ttf '۱۱۱۱': uni06F1.tnum,
    // advance 1349 instead of 591; --features=ss01 '1111': the Latin one
    // becomes uni06F1 (591) instead of `one` (1151).
    let book = FontBook::with_bundled();
    let mut shaper = Shaper::new(&book, "");
    let shape = |shaper: &mut Shaper, text: &str, features: &[&str]| {
        let features = shape::parse_features(&features.iter().map(|f| f.to_string()).collect::<Vec<_>>());
        let spec = RunSpec {
            text,
            range: 0..text.len(),
            face: 0,
            rtl: false,
            script: None,
            features: &features,
            language: None,
        };
        shaper.shape(&spec)
    };
    let advances = |g: &[shape::ShapedGlyph]| g.iter().map(|g| g.x_advance).collect::<Vec<_>>();
    let persian = "۱۱۱۱";
    let plain = shape(&mut shaper, persian, &[]);
    assert_eq!(advances(&plain), vec![591; 4]);
    assert_eq!(advances(&shape(&mut shaper, persian, &["tnum"])), vec![1349; 4]);
    let latin = shape(&mut shaper, "1111", &[]);
    let ss01 = shape(&mut shaper, "1111", &["ss01"]);
    assert_eq!((advances(&latin), advances(&ss01)), (vec![1151; 4], vec![591; 4]));
    assert_eq!(ss01[0].id, plain[0].id, "ss01 draws the Persian one");
    // The plan cache keeps them apart: without the feature, or with it off, plain again.
    assert_eq!(shape(&mut shaper, persian, &[]), plain);
    assert_eq!(shape(&mut shaper, persian, &["-tnum"]), plain);
}

#[test]
fn words_with_tatweels_shaped_alone_are_the_whole_piece_shaped_again() {
    // A line's piece with tatweels is shaped again word by word, cut at
    // spaces the item's shaping marks safe: the glyphs must be those of
    // the whole piece shaped again, in both fonts, for whole items and for
    // pieces cut from their middle.
    let text = "در کنگره حزب کمونیست کارگری شرکت کنید! جامعهٔ کمونیستی، حکومت و «سوسیالیسم» ۱۴۰۰";
    let fonts = [(FontBook::with_bundled(), 0), book_with_noto()];
    let inside: Vec<usize> =
        text.char_indices().filter(|&(i, c)| i > 0 && c != ' ' && !text[..i].ends_with(' ')).map(|(i, _)| i).collect();
    let mut compared = 0;
    for (book, face) in &fonts {
        let mut shaper = Shaper::new(book, "fa");
        let whole = |range: std::ops::Range<usize>| RunSpec {
            text,
            range,
            face: *face,
            rtl: true,
            script: Some(*b"Arab"),
            features: &[],
            language: None,
        };
        let item = shaper.shape(&whole(0..text.len()));
        let first_space = text.find(' ').unwrap();
        let last_space = text.rfind(' ').unwrap();
        for range in [0..text.len(), first_space + 1..text.len(), 0..last_space, first_space + 1..last_space] {
            for step in [1, 3, 7, 40] {
                let at: Vec<usize> =
                    inside.iter().copied().filter(|&o| o > range.start && o < range.end).step_by(step).collect();
                let spec = whole(range.clone());
                let expected = shaper.shape_with_tatweels(&spec, &at);
                let local = line::shape_with_tatweels(&mut shaper, &spec, &item, &(0..text.len()), &at);
                assert_eq!(local, expected, "{}: {range:?}, tatweels at {at:?}", book.face(*face).family);
                assert!(local.iter().filter(|g| g.inserted).count() >= at.len());
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 32);
}
