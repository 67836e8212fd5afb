//! Unit tests of the model: layouts parsed from text, checked on the
//! resolved [`Document`](super::Document) and on the positions of errors.

use super::*;

fn parse_str(src: &str) -> Result<Document, crate::Error> {
    crate::Engine::new().load_str("test.toml", src)
}

fn err_of(src: &str) -> SourceError {
    match parse_str(src) {
        Err(crate::Error::Source(e)) => *e,
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("expected an error"),
    }
}

const MINIMAL: &str = r#"
[page]
size = "A5"
margin = "10mm"

[styles.body]
size = "10pt"
align = "justify"

[[frame]]
name = "main"
[[frame.block]]
type = "paragraph"
text = "سلام **دنیا**"
"#;

#[test]
fn minimal_layout_resolves() {
    let doc = parse_str(MINIMAL).unwrap();
    assert_eq!(doc.pages.len(), 1);
    assert!((doc.pages[0].width - 419.53).abs() < 0.1);
    let f = &doc.frames[0];
    assert!((f.rect.x - 28.35).abs() < 0.1);
    let Block::Paragraph(p) = &f.blocks[0] else { panic!() };
    assert_eq!(p.spans.len(), 2);
    assert_eq!(doc.fonts.face(p.spans[1].face).weight, 700);
    assert_eq!(p.style.align, Align::Justify);
}

#[test]
fn unknown_key_names_line_and_column() {
    let e = err_of("[page]\nsize = \"A5\"\nmargn = \"1mm\"\n");
    assert_eq!(e.line, 3);
    assert!(e.message.contains("margn"), "{}", e.message);
}

#[test]
fn bad_length_says_what_was_expected() {
    let e = err_of("[page]\nsize = \"A5\"\nmargin = \"12 furlongs\"\n");
    assert_eq!((e.line, e.column), (3, 10));
    assert!(e.message.contains("unknown unit"), "{}", e.message);
}

#[test]
fn unknown_style_lists_the_defined_ones() {
    let src = MINIMAL.replace("type = \"paragraph\"", "type = \"paragraph\"\nstyle = \"bdy\"");
    let e = err_of(&src);
    assert!(e.message.contains("\"bdy\"") && e.message.contains("body"), "{}", e.message);
    assert!(e.line_text.contains("bdy"));
}

#[test]
fn unknown_font_lists_the_families() {
    let src = MINIMAL.replace("size = \"10pt\"", "size = \"10pt\"\nfont = \"Comic\"");
    let e = err_of(&src);
    assert!(e.message.contains("Comic") && e.message.contains("Vazirmatn"), "{}", e.message);
}

#[test]
fn style_cycles_are_reported() {
    let src = MINIMAL.replace("[styles.body]", "[styles.a]\nparent = \"body\"\n[styles.body]\nparent = \"a\"");
    assert!(err_of(&src).message.contains("cycle"));
}

#[test]
fn unknown_block_type_and_misplaced_key() {
    let e = err_of(&MINIMAL.replace("\"paragraph\"", "\"para\""));
    assert!(e.message.contains("heading, paragraph"), "{}", e.message);
    let e = err_of(&MINIMAL.replace("text = ", "height = \"2mm\"\ntext = "));
    assert!(e.message.contains("no key `height`"), "{}", e.message);
}

#[test]
fn digits_convert_per_style_across_bold_spans() {
    let src = MINIMAL
        .replace("align = \"justify\"", "align = \"justify\"\ndigits = \"persian\"")
        .replace("سلام **دنیا**", "روزهای **12** تا 14 آذر، سایت www.site2.org");
    let doc = parse_str(&src).unwrap();
    let Block::Paragraph(p) = &doc.frames[0].blocks[0] else { panic!() };
    assert_eq!(p.text(), "روزهای ۱۲ تا ۱۴ آذر، سایت www.site2.org");
    assert_eq!(p.spans[1].text, "۱۲");
    let e = err_of(&MINIMAL.replace("align = \"justify\"", "digits = \"roman\""));
    assert!(e.message.contains("persian"), "{}", e.message);
}

#[test]
fn normalize_on_the_layout_or_a_style() {
    let text = "چون میداند که **تشکل های** کارگری";
    let src = MINIMAL.replace("سلام **دنیا**", text);
    let doc = parse_str(&src).unwrap();
    let Block::Paragraph(p) = &doc.frames[0].blocks[0] else { panic!() };
    assert_eq!(p.text(), "چون میداند که تشکل های کارگری", "off by default");
    for src in [format!("normalize = true\n{src}"), src.replace("[styles.body]", "[styles.body]\nnormalize = true")] {
        let doc = parse_str(&src).unwrap();
        let Block::Paragraph(p) = &doc.frames[0].blocks[0] else { panic!() };
        assert_eq!(p.text(), "چون می\u{200C}داند که تشکل\u{200C}های کارگری");
        assert!(p.spans.iter().any(|s| s.text == "تشکل\u{200C}های"), "bold span kept");
    }
}

#[test]
fn unclosed_bold_points_at_the_text() {
    let e = err_of(&MINIMAL.replace("**دنیا**", "**دنیا"));
    assert!(e.message.contains("never closed"));
    assert_eq!(e.line, 14);
}

#[test]
fn named_colours_reach_every_colour_key() {
    let src = r##"
[colors]
brand = "#a8201a"
ink = "cmyk(0, 0, 0, 100)"
red = "#010203"

[page]
size = "A6"
background = "ink"

[styles.body]
color = "brand"

[[frame]]
background = { gradient = ["brand", "#000", " ink "] }
border_color = "red"
[[frame.block]]
type = "paragraph"
text = "سلام"
[[frame.block]]
type = "rule"
color = "brand"
[[frame.block]]
type = "qr"
data = "https://www.wpiran.org"
color = "ink"
background = "White"
"##;
    let doc = parse_str(src).unwrap();
    let (brand, ink) = (Rgb::from_u8(168, 32, 26), Rgb::parse("cmyk(0, 0, 0, 100)").unwrap());
    assert_eq!(doc.pages[0].background, Some(Fill::Solid(ink)));
    let f = &doc.frames[0];
    assert_eq!(f.background, Some(Fill::Gradient { angle: 180.0, stops: vec![brand, Rgb::BLACK, ink] }));
    assert_eq!(f.border, Some((Rgb::from_u8(1, 2, 3), 1.0)), "a name in [colors] overrides a built-in one");
    let [Block::Paragraph(p), Block::Rule { color: rule, .. }, Block::Qr { color: qr, background, .. }] = &f.blocks[..]
    else {
        panic!("paragraph, rule, qr")
    };
    assert_eq!((p.spans[0].color, *rule, *qr), (brand, brand, ink));
    assert_eq!(*background, Some(Rgb::from_u8(255, 255, 255)));
}

#[test]
fn unknown_colour_names_the_defined_ones() {
    let colors = "[colors]\nbrand = \"#a8201a\"\nink = \"#111\"\n";
    // In a style no block uses, and before a second mistake later in the file.
    let src = format!("{colors}{MINIMAL}")
        .replace("[styles.body]", "[styles.unused]\ncolor = \"brnad\"\n[styles.body]")
        .replace("type = \"paragraph\"", "type = \"paragraph\"\nstyle = \"nobody\"");
    let e = err_of(&src);
    assert_eq!(e.message, "unknown colour \"brnad\"; colours named in [colors]: brand, ink");
    assert_eq!((e.line, e.column, e.width), (10, 9, 7));
    // A gradient stop points at the list of stops.
    let src = format!("{colors}{MINIMAL}")
        .replace("margin = ", "background = { gradient = [\"ink\", \"brnad\"] }\nmargin = ");
    let e = err_of(&src);
    assert!(e.message.starts_with("unknown colour \"brnad\""), "{}", e.message);
    assert_eq!((e.line, e.column), (7, 27));
    // Without [colors], the message lists the forms a colour can take.
    let e = err_of(&MINIMAL.replace("[styles.body]", "[styles.body]\ncolor = \"brand\""));
    assert!(e.message.contains("a name from [colors]") && e.message.contains("found \"brand\""), "{}", e.message);
}

#[test]
fn display_text_is_balanced_and_never_justified_or_hyphenated() {
    let with = |style: &str, kind: &str| {
        let src = MINIMAL
            .replace("align = \"justify\"", &format!("align = \"justify\"\n{style}"))
            .replace("type = \"paragraph\"", &format!("type = \"{kind}\"\nstyle = \"body\""))
            .replace("[page]", "[meta]\nlanguage = \"en\"\n[page]");
        let doc = parse_str(&src).unwrap();
        let (Block::Paragraph(p) | Block::Heading(p)) = &doc.frames[0].blocks[0] else { panic!() };
        p.style.clone()
    };
    let body = with("", "paragraph");
    assert!(!body.display && body.align == Align::Justify && body.hyphenate.is_some());
    for s in [with("display = true", "paragraph"), with("", "heading")] {
        assert!(s.display, "display text");
        assert_eq!(s.align, Align::Start, "justify becomes start");
        assert_eq!(s.hyphenate, None);
        assert_eq!(s.wrap, Wrap::Balance);
    }
    let plain_heading = with("display = false", "heading");
    assert!(!plain_heading.display && plain_heading.align == Align::Justify);
}

#[test]
fn span_mistakes_point_at_their_column() {
    // A basic string with escapes before the mistake: the column is the
    // character's in the file, not in the string TOML read.
    let e = err_of(&MINIMAL.replace("سلام **دنیا**", r#"a\u0020b\t[c]{color=red blink}"#));
    assert!(e.message.contains("unknown span attribute \"blink\""), "{}", e.message);
    assert_eq!((e.line, e.column), (14, 33), "{}", e.line_text);
    // A literal string, a value the palette cannot read.
    let e = err_of(&MINIMAL.replace("\"سلام **دنیا**\"", "'[c]{color=#12345}'"));
    assert_eq!((e.line, e.column), (14, 19), "{}", e.message);
    // A multi-line string: the mistake's own line.
    let e = err_of(&MINIMAL.replace("\"سلام **دنیا**\"", "\"\"\"\nfirst line \\\n   second [x]{size=huge}\"\"\""));
    assert_eq!((e.line, e.column), (16, 20), "{}", e.message);
    assert!(e.message.contains("a span's size"), "{}", e.message);
    // Bold left open inside a span points at its stars.
    let e = err_of(&MINIMAL.replace("سلام **دنیا**", "ab [**c]{italic}"));
    assert_eq!((e.line, e.column), (14, 13));
}

#[test]
fn spans_resolve_to_styled_text() {
    let doc =
        parse_str(&MINIMAL.replace("سلام **دنیا**", "a [b **c**]{color=#ff0000 size=2em underline lang=en dir=ltr} d"))
            .unwrap();
    let Block::Paragraph(p) = &doc.frames[0].blocks[0] else { panic!() };
    let got: Vec<_> = p.spans.iter().map(|s| (s.text.as_str(), s.size, s.color, s.inline.underline)).collect();
    let red = Rgb::parse("#ff0000").unwrap();
    assert_eq!(
        got,
        vec![
            ("a ", 10.0, Rgb::BLACK, false),
            ("b ", 20.0, red, true),
            ("c", 20.0, red, true),
            (" d", 10.0, Rgb::BLACK, false)
        ]
    );
    assert!(doc.fonts.face(p.spans[2].face).weight >= 700, "bold inside the span");
    assert_eq!(p.spans[1].inline.language.as_deref(), Some("en"));
    assert_eq!(p.spans[1].inline.rtl, Some(false));
    assert_eq!(p.groups().len(), 1, "one span, one group: {:?}", p.groups());
    // A line break is a newline in the text.
    let doc = parse_str(&MINIMAL.replace("سلام **دنیا**", r"a\nb")).unwrap();
    let Block::Paragraph(p) = &doc.frames[0].blocks[0] else { panic!() };
    assert_eq!(p.text(), "a\nb");
}

#[test]
fn string_offsets_follow_toml_escapes() {
    let src = r#"t = "a\"b\u00e9c""#;
    let span = 4..src.len();
    // a → 5, " (escaped) → 6, b → 8, é → 9, c → 15
    let got: Vec<_> = (0..5).map(|k| resolve::string_offset(src, span.clone(), k)).collect();
    assert_eq!(got, vec![Some(5), Some(6), Some(8), Some(9), Some(15)]);
    assert_eq!(resolve::string_offset("t = 42", 4..6, 0), None);
}
