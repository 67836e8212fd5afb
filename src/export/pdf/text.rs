//! Text in the PDF: glyph codes per (glyph, text, width), text objects
//! written as raw operators, and the subset Type0/CIDFontType2 fonts with
//! their widths, CID→GID maps and ToUnicode CMaps.
//!
//! See the parent module for how text stays extractable in logical order.

use super::PdfError;
use super::content::{Content, Shown};
use crate::scene::{Glyph, GlyphRun, SceneFont};
use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};
use printpdf::DictItem;
use std::collections::HashMap;
use std::fmt::Write as _;

/// What a content-stream code stands for in one font.
#[derive(Debug)]
pub(super) struct CodeKey {
    gid: u16,
    /// Text the code extracts as; empty for codes drawn inside empty ActualText.
    text: String,
    /// Width in millionths of an em (the `/W` entry, in thousandths, to
    /// three decimals): exact enough that a glyph at its natural advance
    /// needs no `TJ` adjustment.
    width: i32,
}

#[derive(Default)]
pub(super) struct FontCodes {
    /// Codes by (glyph, width); the text of each is its key's, so a lookup
    /// makes no key (a glyph at one width nearly always carries one text).
    map: HashMap<(u16, i32), Vec<u16>>,
    pub(super) keys: Vec<CodeKey>,
    pub(super) overflowed: bool,
}

impl FontCodes {
    /// The code for glyph `gid` extracting as `text` at `width` (millionths
    /// of an em), allocating one (codes start at 1). When a font runs out
    /// of the 65535 two-byte codes, the overflow is recorded and code 0
    /// (.notdef) is used; the export then fails with an error.
    fn code(&mut self, gid: u16, text: &str, width: i32) -> u16 {
        let keys = &self.keys;
        let codes = self.map.entry((gid, width)).or_default();
        if let Some(&c) = codes.iter().find(|&&c| keys[usize::from(c) - 1].text == text) {
            return c;
        }
        if self.keys.len() >= u16::MAX as usize {
            self.overflowed = true;
            return 0;
        }
        self.keys.push(CodeKey { gid, text: text.to_string(), width });
        let code = self.keys.len() as u16;
        codes.push(code);
        code
    }
}

pub(super) fn font_resource_name(i: usize) -> String {
    format!("F{i}")
}

/// A glyph with no outline, used for the invisible ghost codes (the space
/// glyph when the font has one).
pub(super) fn blank_glyph(font: &SceneFont) -> u16 {
    let f = &font.face;
    f.glyph(' ').or_else(|| f.glyph('\u{200B}')).unwrap_or(0)
}

/// The smallest `TJ` adjustment written, in thousandths of an em: 0.05 is
/// 0.001 pt at 20 pt, far below what any device shows; the pen position
/// is tracked exactly, so skipped adjustments never add up.
const MIN_ADJUSTMENT: f32 = 0.05;

/// `TJ` adjustments are written in tenths of a thousandth of an em (0.002 pt
/// at 20 pt): finer digits only made the content stream longer, and the
/// pen is tracked at the written value, so the rounding never adds up along
/// a line.
fn adjustment(thousandths: f32) -> f32 {
    (thousandths * 10.0).round() / 10.0
}

/// A `/W` width from millionths of an em: an integer when it is one.
fn width_object(millionths: i32) -> Object {
    match millionths % 1000 {
        0 => Object::Integer(i64::from(millionths / 1000)),
        _ => Object::Real(millionths as f32 / 1000.0),
    }
}

pub(super) fn real(v: f32) -> DictItem {
    DictItem::Real((v * 1000.0).round() / 1000.0)
}

fn actual_text(text: &str) -> DictItem {
    let mut data = vec![0xFE, 0xFF];
    for u in text.encode_utf16() {
        data.extend_from_slice(&u.to_be_bytes());
    }
    let mut map = std::collections::BTreeMap::new();
    map.insert("ActualText".to_string(), DictItem::String { data, literal: false });
    DictItem::Dict { map }
}

/// One thing to draw in a text object: a code at a position, or a change of
/// marked-content state.
enum Mark {
    Show { code: u16, x: f32, y: f32, width: f32 },
    Begin(Span),
    End(Span),
}

#[derive(Clone, Copy, PartialEq)]
enum Span {
    /// Drawn glyphs that extract as nothing.
    Silent,
    /// Invisible codes that carry text.
    Ghost,
}

/// Write one glyph run as a text object.
#[allow(clippy::too_many_arguments)]
pub(super) fn write_run(
    ops: &mut Content,
    run: &GlyphRun,
    font: &SceneFont,
    codes: &mut FontCodes,
    blank: u16,
    page_h: f32,
    cmyk: bool,
    object: TextObject,
    pen: &mut Pen,
    late: &mut Content,
) {
    let upem = font.face.upem;
    let units = |pt: f32| (pt / run.size * 1000.0).round() as i32;
    let nat = |gid: u16| (font.face.advance(gid) * 1_000_000.0 / upem).round() as i32;
    let mut marks: Vec<Mark> = Vec::with_capacity(run.glyphs.len() + 4);
    let mut state: Option<Span> = None;
    let mut set_state = |marks: &mut Vec<Mark>, want: Option<Span>| {
        if state != want {
            if let Some(s) = state {
                marks.push(Mark::End(s));
            }
            if let Some(s) = want {
                marks.push(Mark::Begin(s));
            }
            state = want;
        }
    };
    let numbers = number_texts(run);
    // Glyphs drawn after the line, outside its text: marks whose characters
    // ride on codes of their letter.
    let mut drawn: Vec<Mark> = Vec::new();
    // Per group, reused: its glyphs that are not kashida, and its text.
    let (mut real, mut text) = (Vec::new(), String::new());
    for range in letter_groups(&run.glyphs, run.rtl) {
        let cluster = &run.glyphs[range.clone()];
        real.clear();
        real.extend((0..cluster.len()).filter(|&k| !cluster[k].kashida));
        group_text(cluster, run.rtl, &mut text);
        let n = text.chars().count();
        // One glyph for several characters (a ligature, «لا»).
        let ligature = real.len() == 1 && n > 1;
        if run.rtl
            && n > 1
            && !ligature
            && let Some(base) = lone_base(cluster, &real)
        {
            // A letter with its marks, right to left: the letter's glyph
            // carries the letters, the marks ride on zero-width codes, and
            // the mark glyphs are drawn apart, as text that is no text.
            set_state(&mut marks, None);
            for (k, g) in cluster.iter().enumerate() {
                let natural = nat(g.id);
                let width = natural as f32 * run.size / 1_000_000.0;
                let at = |code| Mark::Show { code, x: run.x + g.x, y: run.y + g.y, width };
                if k == base {
                    split_cluster(&mut marks, codes, g, &text, run, natural, blank);
                } else if g.kashida {
                    marks.push(at(codes.code(g.id, "\u{200D}", natural)));
                } else {
                    drawn.push(at(codes.code(g.id, "", natural)));
                }
            }
            continue;
        }
        for (k, g) in cluster.iter().enumerate() {
            if ligature && run.rtl && !g.kashida && !numbers.contains_key(&(range.start + k)) {
                set_state(&mut marks, None);
                split_cluster(&mut marks, codes, g, &text, run, nat(g.id), blank);
                continue;
            }
            let text: &str = if g.kashida {
                // Inserted kashidas are drawn glyphs that are not text: a
                // zero width joiner, invisible, keeps the word whole.
                "\u{200D}"
            } else if let Some(t) = numbers.get(&(range.start + k)) {
                t
            } else if n == 1 && matches!(text.as_str(), "\u{00A0}" | "\u{202F}") {
                // A no-break space extracts as a space: pdfium moves a
                // no-break space (a bidi separator) to the wrong side of a
                // number in right-to-left text, joining «۱۲ تا» into one
                // word; the line was laid out already, so nothing breaks.
                " "
            } else if ligature || (n == 1 && !g.text.is_empty()) {
                &text
            } else {
                ""
            };
            set_state(&mut marks, if text.is_empty() { Some(Span::Silent) } else { None });
            let natural = nat(g.id);
            let width = natural as f32 * run.size / 1_000_000.0;
            marks.push(Mark::Show { code: codes.code(g.id, text, natural), x: run.x + g.x, y: run.y + g.y, width });
        }
        if n > 1 && !ligature {
            // Several glyphs for several characters (a letter and its
            // marks): the glyphs are drawn as no text, and the characters
            // written as invisible codes side by side over the cluster, in
            // visual order, one position each.
            set_state(&mut marks, Some(Span::Ghost));
            let left = real.iter().map(|&k| cluster[k].x).fold(f32::MAX, f32::min);
            let right = real.iter().map(|&k| cluster[k].x + cluster[k].advance).fold(f32::MIN, f32::max);
            let share = ((right - left) / n as f32).max(0.0);
            let mut chars: Vec<char> = text.chars().collect();
            if run.rtl {
                chars.reverse();
            }
            for (k, c) in chars.iter().enumerate() {
                let code = codes.code(blank, c.encode_utf8(&mut [0; 4]), units(share) * 1000);
                marks.push(Mark::Show { code, x: run.x + left + share * k as f32, y: run.y, width: share });
            }
        }
    }
    set_state(&mut marks, None);
    if object.close && object.separate {
        let end = marks.iter().rev().find_map(|m| match m {
            Mark::Show { x, y, width, .. } => Some((x + width, *y)),
            _ => None,
        });
        if let Some((x, y)) = end {
            marks.push(Mark::Show { code: codes.code(blank, " ", 0), x, y, width: 0.0 });
        }
    }
    emit_text_object(ops, run, &marks, page_h, cmyk, object, pen);
    if !drawn.is_empty() {
        drawn.insert(0, Mark::Begin(Span::Silent));
        drawn.push(Mark::End(Span::Silent));
        let alone = TextObject::ALONE;
        emit_text_object(late, run, &drawn, page_h, cmyk, alone, &mut None);
    }
}

/// How a run's shadow is drawn.
pub(super) struct Shade {
    pub(super) shadow: crate::scene::TextShadow,
    /// The document is tagged: the shadow is an artifact.
    pub(super) tagged: bool,
    /// The font's blank glyph (see [`blank_glyph`]).
    pub(super) blank: u16,
}

/// A run's shadow: the run again in the shadow's colour, moved by its
/// offset, in text objects of their own that are no text (an empty
/// `ActualText`, an artifact in a tagged PDF), so the words extract once.
/// A blurred shadow is drawn as copies spread over rings out to the blur
/// radius, each faint, which overlap to the shadow's opacity in the middle
/// and fade towards its edge (PDF has no blur of its own).
#[allow(clippy::too_many_arguments)]
pub(super) fn write_shadow(
    ops: &mut Content,
    run: &GlyphRun,
    font: &SceneFont,
    codes: &mut FontCodes,
    shade: Shade,
    page_h: f32,
    res: &mut super::graphics::Resources,
    doc: &mut printpdf::PdfDocument,
) {
    let s = shade.shadow;
    let offsets = shadow_offsets(s.blur);
    // Copies that all overlap add up to the shadow's opacity.
    let each = 1.0 - (1.0 - s.opacity.clamp(0.0, 1.0)).powf(1.0 / offsets.len() as f32);
    if shade.tagged {
        ops.op("BMC", &[DictItem::Name(b"Artifact".to_vec())]);
    }
    ops.op("q", &[]);
    if each < 1.0 {
        let gs = res.alpha(doc, each);
        ops.op("gs", &[DictItem::Name(gs.into_bytes())]);
    }
    ops.op("BDC", &[DictItem::Name(b"Span".to_vec()), actual_text("")]);
    for (dx, dy) in offsets {
        let copy = GlyphRun {
            color: s.color,
            x: run.x + s.x + dx,
            y: run.y + s.y + dy,
            shadow: None,
            outline: None,
            link: None,
            ..run.clone()
        };
        let alone = TextObject::ALONE;
        let mut late = Content::default();
        write_run(ops, &copy, font, codes, shade.blank, page_h, res.cmyk, alone, &mut None, &mut late);
        ops.append(&mut late);
    }
    ops.op("EMC", &[]);
    ops.op("Q", &[]);
    if shade.tagged {
        ops.op("EMC", &[]);
    }
}

/// Where the copies of a shadow blurred by `blur` points go: the centre,
/// then rings at a third and two thirds of the radius (6 and 12 copies).
fn shadow_offsets(blur: f32) -> Vec<(f32, f32)> {
    let mut v = vec![(0.0, 0.0)];
    if blur > 0.0 {
        for (radius, n) in [(blur / 3.0, 6), (blur * 2.0 / 3.0, 12)] {
            for k in 0..n {
                let a = std::f32::consts::TAU * k as f32 / n as f32;
                v.push((radius * a.cos(), radius * a.sin()));
            }
        }
    }
    v
}

/// The one glyph of a cluster that advances (its letter, or a ligature of
/// letters), when every other glyph is a mark that does not.
fn lone_base(cluster: &[Glyph], real: &[usize]) -> Option<usize> {
    let mut advancing = real.iter().filter(|&&k| cluster[k].advance > 0.0);
    let base = *advancing.next()?;
    advancing.next().is_none().then_some(base)
}

/// A right-to-left cluster («لا», «بِ», «لَا») as one code per character,
/// in visual order. The glyph's advance is shared among its letters: the
/// glyph carries the leftmost, blank glyphs the others. Each mark rides on a
/// zero-width blank code just before (to the left of) its letter. Every
/// extractor then sees single right-to-left characters in place and
/// reverses them into logical order, marks after their letter:
///
/// - a code carrying several characters is reversed by some engines
///   (poppler, pdfium, pdf.js) and kept by others (pypdf);
/// - pdf.js gives a mark no width whatever its code's width says, so a
///   mark on a code with width would open a gap that it reads as a space.
fn split_cluster(
    marks: &mut Vec<Mark>,
    codes: &mut FontCodes,
    g: &Glyph,
    text: &str,
    run: &GlyphRun,
    advance: i32,
    blank: u16,
) {
    // Letters with the marks that follow each, in logical order.
    let mut units: Vec<(char, Vec<char>)> = Vec::new();
    for c in text.chars() {
        match units.last_mut() {
            Some(unit) if is_mark(c) => unit.1.push(c),
            _ => units.push((c, Vec::new())),
        }
    }
    let part = advance / units.len() as i32;
    let part_pt = part as f32 * run.size / 1_000_000.0;
    for (k, (letter, on)) in units.iter().rev().enumerate() {
        let x = run.x + g.x + part_pt * k as f32;
        for m in on.iter().rev() {
            let code = codes.code(blank, m.encode_utf8(&mut [0; 4]), 0);
            marks.push(Mark::Show { code, x, y: run.y + g.y, width: 0.0 });
        }
        let gid = if k == 0 { g.id } else { blank };
        let code = codes.code(gid, letter.encode_utf8(&mut [0; 4]), part);
        marks.push(Mark::Show { code, x, y: run.y + g.y, width: part_pt });
    }
}

/// A combining mark (harakat, shadda, superscript alef): extractors attach
/// it to the character before it in logical order.
fn is_mark(c: char) -> bool {
    unicode_bidi::bidi_class(c) == unicode_bidi::BidiClass::NSM
}

/// Clusters as index ranges; right to left, a cluster that does not advance
/// (the alef of a lam-alef drawn as two glyphs, «إِ» after «لْ») joins the
/// cluster after it in the run, its logical predecessor, so that the
/// glyph that advances carries the letters of both.
fn letter_groups(glyphs: &[Glyph], rtl: bool) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    let mut pending: Option<usize> = None;
    for r in clusters(glyphs) {
        let advances = glyphs[r.clone()].iter().any(|g| !g.kashida && g.advance > 0.0);
        let start = pending.take().unwrap_or(r.start);
        if rtl && !advances {
            pending = Some(start);
        } else {
            out.push(start..r.end);
        }
    }
    if let Some(start) = pending {
        out.push(start..glyphs.len());
    }
    out
}

/// The text of a group of glyphs in logical order, into `out`: its
/// clusters' texts, last cluster first when the run is right to left
/// (glyphs are in visual order).
fn group_text(glyphs: &[Glyph], rtl: bool, out: &mut String) {
    out.clear();
    let mut push = |r: std::ops::Range<usize>| {
        for g in glyphs[r].iter().filter(|g| !g.kashida) {
            out.push_str(&g.text);
        }
    };
    if !rtl {
        push(0..glyphs.len());
        return;
    }
    let mut end = glyphs.len();
    while end > 0 {
        let cluster = glyphs[end - 1].cluster;
        let mut start = end - 1;
        while start > 0 && glyphs[start - 1].cluster == cluster {
            start -= 1;
        }
        push(start..end);
        end = start;
    }
}

/// Consecutive glyphs of the same cluster, as index ranges.
fn clusters(glyphs: &[Glyph]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < glyphs.len() {
        let mut j = i + 1;
        while j < glyphs.len() && glyphs[j].cluster == glyphs[i].cluster {
            j += 1;
        }
        out.push(i..j);
        i = j;
    }
    out
}

/// Numbers in Persian or Arabic-Indic digits in a left-to-right run: the
/// first digit's glyph carries the whole number and the others a zero width
/// joiner, by glyph index. Extractors that reverse every character of a
/// right-to-left line (digits included) then keep the number whole and in
/// order; those that apply the bidi algorithm read it the same.
fn number_texts(run: &GlyphRun) -> HashMap<usize, String> {
    let mut out = HashMap::new();
    if run.rtl {
        return out;
    }
    let digit = |g: &Glyph| {
        let mut cs = g.text.chars();
        matches!((cs.next(), cs.next()), (Some(c), None) if ('\u{0660}'..='\u{0669}').contains(&c) || ('\u{06F0}'..='\u{06F9}').contains(&c))
            && !g.kashida
    };
    let mut i = 0;
    while i < run.glyphs.len() {
        if !digit(&run.glyphs[i]) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < run.glyphs.len() && digit(&run.glyphs[j]) {
            j += 1;
        }
        if j - i > 1 {
            out.insert(i, run.glyphs[i..j].iter().map(|g| g.text.as_str()).collect());
            for k in i + 1..j {
                out.insert(k, "\u{200D}".to_string());
            }
        }
        i = j;
    }
    out
}

/// Whether a run begins and ends its text object (the runs of a line share one).
#[derive(Debug, Clone, Copy)]
pub(super) struct TextObject {
    pub(super) open: bool,
    pub(super) close: bool,
    /// The structure tag and MCID of the run, in a tagged PDF.
    pub(super) tag: Option<super::tags::RunTag>,
    /// Whether the run begins and ends its marked-content sequence (the
    /// runs of one paragraph on one line share one).
    pub(super) begins: bool,
    pub(super) ends: bool,
    /// Whether the run's font, size and colour are those already set in its
    /// text object. pypdf ends a piece of text at every `Tf`, even one that
    /// changes nothing, and reorders each piece on its own.
    pub(super) same_state: bool,
    /// The next text on this baseline is another paragraph's (the next cell
    /// of a table row, the next column, the other hemistich): the object
    /// ends with a zero-width space, because pypdf and pdf.js join text
    /// objects on one line without one («ساعتبرنامهسخنران»).
    pub(super) separate: bool,
}

impl TextObject {
    /// A text object of its own, outside the structure tree: a run's mark
    /// glyphs drawn after its line, a shadow's copies.
    const ALONE: TextObject = TextObject {
        open: true,
        close: true,
        tag: None,
        begins: false,
        ends: false,
        same_state: false,
        separate: false,
    };
}

/// Where the text pen stands in the current text object: user-space x and
/// the baseline, once a glyph has been shown.
pub(super) type Pen = Option<(f32, f32)>;

fn emit_text_object(
    ops: &mut Content,
    run: &GlyphRun,
    marks: &[Mark],
    page_h: f32,
    cmyk: bool,
    object: TextObject,
    pen: &mut Pen,
) {
    let c = run.color;
    let tag = object.tag;
    // A slanted run sets its own text matrix, and the run after it sets an upright one.
    if object.open || run.slant != 0.0 || ops.slanted() {
        if object.open {
            ops.op("BT", &[]);
        }
        *pen = None;
    }
    if object.open || !object.same_state {
        ops.op("Tf", &[DictItem::Name(font_resource_name(run.font).into_bytes()), real(run.size)]);
        super::graphics::set_color(ops, c, false, cmyk);
        if let Some(o) = run.outline {
            // Fill, then stroke the outline over the letters' edges.
            super::graphics::set_color(ops, o.color, true, cmyk);
            ops.op("w", &[real(o.width)]);
            ops.op("j", &[DictItem::Int(1)]);
        }
    }
    // The mode the run's text is drawn in: filled, or filled and stroked.
    let mode = if run.outline.is_some() { 2 } else { 0 };
    if mode != 0 {
        ops.op("Tr", &[DictItem::Int(mode)]);
    }
    // The run is one marked-content sequence of the structure tree.
    if let Some(t) = tag.filter(|t| object.begins && t.mcid.is_none()) {
        ops.op("BMC", &[DictItem::Name(t.name.as_bytes().to_vec())]);
    }
    if let Some((t, mcid)) = tag.filter(|_| object.begins).and_then(|t| Some((t, t.mcid?))) {
        let mut props = std::collections::BTreeMap::new();
        props.insert("MCID".to_string(), DictItem::Int(mcid));
        if let Some(lang) = t.lang {
            props.insert("Lang".to_string(), DictItem::String { data: lang.as_bytes().to_vec(), literal: true });
        }
        ops.op("BDC", &[DictItem::Name(t.name.as_bytes().to_vec()), DictItem::Dict { map: props }]);
    }
    let mut tj: Vec<Shown> = Vec::new();
    let flush = |tj: &mut Vec<Shown>, ops: &mut Content| {
        if !tj.is_empty() {
            ops.show(tj);
            tj.clear();
        }
    };
    for m in marks {
        match m {
            Mark::Show { code, x, y, width } => {
                // Where the PDF's pen stands after this glyph: its own
                // position plus its width (not the scene's x, which an
                // adjustment too small to write would leave it short of).
                let mut drawn_x = *x;
                let same_line = pen.is_some_and(|(_, py)| (py - y).abs() < 0.0005);
                if same_line {
                    let (px, _) = pen.expect("checked");
                    let kern = adjustment((px - x) * 1000.0 / run.size);
                    if kern.abs() >= MIN_ADJUSTMENT {
                        tj.push(Shown::Adjust(kern));
                        drawn_x = px - kern * run.size / 1000.0;
                    } else {
                        drawn_x = px;
                    }
                } else {
                    flush(&mut tj, ops);
                    // A slanted run (a synthesized oblique) shears text space.
                    ops.op("Tm", &[real(1.0), real(0.0), real(run.slant), real(1.0), real(*x), real(page_h - y)]);
                }
                tj.push(Shown::Code(*code));
                *pen = Some((drawn_x + width, *y));
            }
            Mark::Begin(Span::Silent) => {
                flush(&mut tj, ops);
                ops.op("BDC", &[DictItem::Name(b"Span".to_vec()), actual_text("")]);
            }
            Mark::End(Span::Silent) => {
                flush(&mut tj, ops);
                ops.op("EMC", &[]);
            }
            Mark::Begin(Span::Ghost) => {
                flush(&mut tj, ops);
                ops.op("Tr", &[DictItem::Int(3)]);
            }
            Mark::End(Span::Ghost) => {
                flush(&mut tj, ops);
                ops.op("Tr", &[DictItem::Int(mode)]);
            }
        }
    }
    flush(&mut tj, ops);
    if mode != 0 {
        ops.op("Tr", &[DictItem::Int(0)]);
    }
    if tag.is_some() && object.ends {
        ops.op("EMC", &[]);
    }
    if object.close {
        ops.op("ET", &[]);
    }
}

/// Embed one font as a Type0 font with a CIDFontType2 descendant: subset
/// program, `/W` widths, a CID→GID map and a ToUnicode CMap, all per code.
pub(super) fn embed_font(doc: &mut lopdf::Document, font: &SceneFont, codes: &FontCodes) -> Result<ObjectId, PdfError> {
    let face = &font.face;
    let mut remapper = subsetter::GlyphRemapper::new();
    for k in &codes.keys {
        remapper.remap(k.gid);
    }
    // A variable font set at a weight is instanced: the outlines embedded
    // are those of that weight, not the file's default.
    let coords: Vec<(subsetter::Tag, f32)> =
        face.variations.iter().map(|(tag, v)| (subsetter::Tag::new(tag), *v)).collect();
    let program = if coords.is_empty() {
        subsetter::subset(face.data(), 0, &remapper)
    } else {
        subsetter::subset_with_variations(face.data(), 0, &coords, &remapper)
    }
    .map_err(|e| PdfError::Subset { font: font.postscript_name.clone(), reason: format!("{e:?}") })?;
    let program = super::sfnt::without_glyph_names(program);
    let tag = subset_tag(codes);
    let base_font = format!("{tag}+{}", font.postscript_name);

    let mut cid_to_gid = Vec::with_capacity((codes.keys.len() + 1) * 2);
    cid_to_gid.extend_from_slice(&[0, 0]);
    for k in &codes.keys {
        let new = remapper.get(k.gid).unwrap_or(0);
        cid_to_gid.extend_from_slice(&new.to_be_bytes());
    }
    let widths: Vec<Object> = codes.keys.iter().map(|k| width_object(k.width)).collect();

    let s = 1000.0 / face.upem;
    let bbox = face.face().global_bounding_box();
    let m = face.vmetrics();
    let cap = face.face().capital_height().unwrap_or((m.ascender * 0.7) as i16) as f32;
    let program_len = program.len() as i64;
    let file_id =
        doc.add_object(Stream::new(Dictionary::from_iter(vec![("Length1", Object::Integer(program_len))]), program));
    let descriptor = doc.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"FontDescriptor".to_vec())),
        ("FontName", Object::Name(base_font.clone().into_bytes())),
        ("Flags", Object::Integer(4)),
        (
            "FontBBox",
            Object::Array(vec![
                Object::Integer((bbox.x_min as f32 * s) as i64),
                Object::Integer((bbox.y_min as f32 * s) as i64),
                Object::Integer((bbox.x_max as f32 * s) as i64),
                Object::Integer((bbox.y_max as f32 * s) as i64),
            ]),
        ),
        ("ItalicAngle", Object::Integer(0)),
        ("Ascent", Object::Integer((m.ascender * s) as i64)),
        ("Descent", Object::Integer((m.descender * s) as i64)),
        ("CapHeight", Object::Integer((cap * s) as i64)),
        ("StemV", Object::Integer(50 + (face.weight as i64 / 65).pow(2))),
        ("FontFile2", Object::Reference(file_id)),
    ]));
    let cid_map = doc.add_object(Stream::new(Dictionary::new(), cid_to_gid));
    let cid_font = doc.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"CIDFontType2".to_vec())),
        ("BaseFont", Object::Name(base_font.clone().into_bytes())),
        (
            "CIDSystemInfo",
            Object::Dictionary(Dictionary::from_iter(vec![
                ("Registry", Object::String(b"Adobe".to_vec(), StringFormat::Literal)),
                ("Ordering", Object::String(b"Identity".to_vec(), StringFormat::Literal)),
                ("Supplement", Object::Integer(0)),
            ])),
        ),
        ("FontDescriptor", Object::Reference(descriptor)),
        ("DW", Object::Integer(0)),
        ("W", Object::Array(vec![Object::Integer(1), Object::Array(widths)])),
        ("CIDToGIDMap", Object::Reference(cid_map)),
    ]));
    let to_unicode = doc.add_object(Stream::new(Dictionary::new(), to_unicode_cmap(codes).into_bytes()));
    Ok(doc.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type0".to_vec())),
        ("BaseFont", Object::Name(base_font.into_bytes())),
        ("Encoding", Object::Name(b"Identity-H".to_vec())),
        ("DescendantFonts", Object::Array(vec![Object::Reference(cid_font)])),
        ("ToUnicode", Object::Reference(to_unicode)),
    ])))
}

/// Six capital letters derived from the subset's contents, so the same
/// subset always gets the same name.
fn subset_tag(codes: &FontCodes) -> String {
    let h = super::fnv1a(super::FNV_OFFSET, codes.keys.iter().flat_map(|k| k.gid.to_be_bytes()));
    (0..6).map(|i| (b'A' + ((h >> (i * 8)) % 26) as u8) as char).collect()
}

/// The ToUnicode CMap: each code to the UTF-16 of its text. Codes with no
/// text (drawn inside empty ActualText) are left out.
fn to_unicode_cmap(codes: &FontCodes) -> String {
    let mut entries: Vec<(u16, &str)> = Vec::new();
    for (i, k) in codes.keys.iter().enumerate() {
        // A code that is not text (a list marker, a drawn hyphen, a glyph
        // after the first of its cluster) maps to a zero width joiner:
        // extractors that read ToUnicode rather than `/ActualText` would
        // otherwise show its raw code.
        let text = if k.text.is_empty() { "\u{200D}" } else { k.text.as_str() };
        entries.push((i as u16 + 1, text));
    }
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for chunk in entries.chunks(100) {
        let _ = writeln!(s, "{} beginbfchar", chunk.len());
        for (code, text) in chunk {
            let utf16: String = text.encode_utf16().map(|u| format!("{u:04X}")).collect();
            let _ = writeln!(s, "<{code:04X}> <{utf16}>");
        }
        s.push_str("endbfchar\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s
}

/// Declare the document language (`/Lang` in the catalog) for screen readers and extractors.
pub(super) fn set_catalog_language(doc: &mut lopdf::Document, lang: &str) {
    if let Ok(root) = doc.trailer.get(b"Root").and_then(|r| r.as_reference())
        && let Ok(cat) = doc.get_dictionary_mut(root)
    {
        cat.set("Lang", Object::String(lang.as_bytes().to_vec(), StringFormat::Literal));
    }
}
