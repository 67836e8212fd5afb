//! Resolving the blocks of a frame: headings and paragraphs (with their
//! styles and inline markup), lists, rules, spacers, pictures and QR codes,
//! each checked against the keys its type allows.

use super::raw::RawBlock;
use super::resolve::{Resolver, unit_interval};
use super::*;
use toml::Spanned;

/// Encode `data` as a QR code (error correction level M): the dark modules and the side.
///
/// The last few codes are kept for the process: choosing a code's mask
/// scores all eight, which a batch would otherwise redo for every variant
/// with the same address.
pub(super) fn qr_modules(data: &str) -> Result<(Vec<bool>, usize), String> {
    /// How many codes are kept.
    const KEPT: usize = 16;
    type Code = (String, (Vec<bool>, usize));
    static CODES: std::sync::Mutex<Vec<Code>> = std::sync::Mutex::new(Vec::new());
    if let Some(found) = CODES.lock().ok().and_then(|c| c.iter().find(|(d, _)| d == data).map(|(_, m)| m.clone())) {
        return Ok(found);
    }
    let (modules, width) = super::qr::modules(data.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| format!("cannot make a QR code of this text ({} bytes): {e}", data.len()))?;
    if let Ok(mut codes) = CODES.lock() {
        if codes.len() >= KEPT {
            codes.remove(0);
        }
        codes.push((data.to_string(), (modules.clone(), width)));
    }
    Ok((modules, width))
}

/// Resolve `next` names into frame indices: each must exist, hold no blocks
/// of its own, be the continuation of one frame only, and not loop.
/// One block of frame `frame`; `origin` says where it is, for messages.
/// The keys each block type takes besides `type`. The reader refuses any
/// other, and the layout schema says the same (`raw::schema`).
pub(super) const BLOCK_KEYS: &[(&str, &[&str])] = &[
    ("heading", &["text", "style"]),
    ("paragraph", &["text", "style"]),
    ("list", &["items", "style", "marker", "indent"]),
    ("rule", &["thickness", "color", "length", "align", "space_before", "space_after"]),
    ("spacer", &["height"]),
    ("image", &["path", "height", "fit", "align", "opacity", "space_before", "space_after", "alt"]),
    ("qr", &["data", "size", "color", "background", "align", "space_before", "space_after", "alt"]),
    ("verse", &["couplets", "style", "gap", "hemistich_width", "stacked"]),
    (
        "table",
        &[
            "rows",
            "columns",
            "align",
            "valign",
            "header",
            "style",
            "header_style",
            "padding",
            "border_width",
            "border_color",
            "rules",
            "rule_width",
            "rule_color",
            "header_fill",
            "fills",
            "direction",
            "space_before",
            "space_after",
        ],
    ),
];

/// The most couplets one verse block may hold.
const MAX_COUPLETS: usize = 1000;

pub(super) fn resolve_block(
    r: &mut Resolver,
    b: &Spanned<RawBlock>,
    frame: &str,
    inner: f32,
    origin: &str,
) -> Result<Block, ModelError> {
    let raw = b.get_ref();
    let kind = raw.kind.get_ref().as_str();
    let Some(&(_, allowed)) = BLOCK_KEYS.iter().find(|(k, _)| *k == kind) else {
        return Err(r.err(
            raw.kind.span(),
            format!("unknown block type \"{kind}\"; expected one of heading, paragraph, list, rule, spacer, image, qr, verse, table"),
        ));
    };
    let present: [(&str, bool); 37] = [
        ("rows", raw.rows.is_some()),
        ("columns", raw.columns.is_some()),
        ("valign", raw.valign.is_some()),
        ("header", raw.header.is_some()),
        ("header_style", raw.header_style.is_some()),
        ("padding", raw.padding.is_some()),
        ("border_width", raw.border_width.is_some()),
        ("border_color", raw.border_color.is_some()),
        ("rules", raw.rules.is_some()),
        ("rule_width", raw.rule_width.is_some()),
        ("rule_color", raw.rule_color.is_some()),
        ("header_fill", raw.header_fill.is_some()),
        ("fills", raw.fills.is_some()),
        ("direction", raw.direction.is_some()),
        ("couplets", raw.couplets.is_some()),
        ("gap", raw.gap.is_some()),
        ("hemistich_width", raw.hemistich_width.is_some()),
        ("stacked", raw.stacked.is_some()),
        ("alt", raw.alt.is_some()),
        ("path", raw.path.is_some()),
        ("fit", raw.fit.is_some()),
        ("opacity", raw.opacity.is_some()),
        ("data", raw.data.is_some()),
        ("size", raw.size.is_some()),
        ("background", raw.background.is_some()),
        ("text", raw.text.is_some()),
        ("style", raw.style.is_some()),
        ("items", raw.items.is_some()),
        ("marker", raw.marker.is_some()),
        ("indent", raw.indent.is_some()),
        ("thickness", raw.thickness.is_some()),
        ("color", raw.color.is_some()),
        ("length", raw.length.is_some()),
        ("align", raw.align.is_some()),
        ("height", raw.height.is_some()),
        ("space_before", raw.space_before.is_some()),
        ("space_after", raw.space_after.is_some()),
    ];
    if let Some((key, _)) = present.iter().find(|(k, p)| *p && !allowed.contains(k)) {
        return Err(
            r.err(b.span(), format!("a {kind} block has no key `{key}`; its keys are: type, {}", allowed.join(", ")))
        );
    }
    let need = |what: &str| r.err(b.span(), format!("a {kind} block needs `{what}`"));
    Ok(match kind {
        "heading" | "paragraph" => {
            let text = raw.text.as_ref().ok_or_else(|| need("text"))?;
            let heading = kind == "heading";
            let style = r.block_style(&raw.style, if heading { "heading" } else { "body" })?;
            let wrap = if heading { Wrap::Balance } else { Wrap::Optimal };
            let p = r.paragraph_wrapped(text, &style, origin.to_string(), wrap)?;
            if heading { Block::Heading(p) } else { Block::Paragraph(p) }
        }
        "list" => {
            let items = raw.items.as_ref().ok_or_else(|| need("items"))?;
            let style = r.block_style(&raw.style, "list")?;
            let marker_text = Spanned::new(0..0, raw.marker.clone().unwrap_or_else(|| "•".into()));
            let marker = r.paragraph(&marker_text, &style, format!("{origin}, marker"))?;
            let mut paras = Vec::new();
            for (i, it) in items.iter().enumerate() {
                let mut p = r.paragraph(it, &style, format!("{origin}, item {}", i + 1))?;
                // Space between items comes from the style; the list keeps its own outer spacing.
                p.style.space_before = if i == 0 { style.space_before } else { 0.0 };
                p.style.space_after =
                    if i + 1 == items.len() { style.space_after } else { style.space_before.min(style.space_after) };
                paras.push(p);
            }
            let indent = raw.indent.map_or(style.size * 1.6, |l| l.0);
            Block::List { items: paras, marker, indent }
        }
        "rule" => Block::Rule {
            thickness: raw.thickness.map_or(0.5, |l| l.0),
            color: raw.color.as_ref().map_or(Ok(Rgb::BLACK), |c| r.palette.color(c))?,
            length: raw.length.map(|l| l.0),
            align: one_align(r, raw)?.unwrap_or(Align::Center),
            space_before: raw.space_before.map_or(4.0, |l| l.0),
            space_after: raw.space_after.map_or(4.0, |l| l.0),
        },
        "image" => {
            let path = raw.path.as_ref().ok_or_else(|| need("path"))?;
            let picture = r.picture(path, frame)?;
            Block::Image {
                alt: raw.alt.clone(),
                picture: FramePicture {
                    picture,
                    fit: raw.fit.unwrap_or(ImageFit::Contain),
                    opacity: unit_interval(r, b, raw.opacity, "opacity")?,
                },
                height: raw.height.map(|l| l.0),
                align: one_align(r, raw)?.unwrap_or(Align::Center),
                space_before: raw.space_before.map_or(0.0, |l| l.0),
                space_after: raw.space_after.map_or(0.0, |l| l.0),
            }
        }
        "qr" => {
            let data = raw.data.as_ref().ok_or_else(|| need("data"))?;
            if data.get_ref().is_empty() {
                return Err(r.err(data.span(), "a QR code needs some text to encode"));
            }
            r.qr_codes += 1;
            crate::Exceeded::check("qr-codes", r.files.limits.qr_codes as u64, r.qr_codes as u64)
                .map_err(|e| r.err(b.span(), e.to_string()))?;
            let (modules, width) = qr_modules(data.get_ref()).map_err(|m| r.err(data.span(), m))?;
            let size = raw.size.map_or(30.0 * values::PT_PER_MM, |l| l.0);
            if size <= 0.0 {
                return Err(r.err(b.span(), "a QR code needs a positive `size`"));
            }
            Block::Qr {
                alt: raw.alt.clone().unwrap_or_else(|| data.get_ref().clone()),
                modules,
                width,
                size,
                color: raw.color.as_ref().map_or(Ok(Rgb::BLACK), |c| r.palette.color(c))?,
                background: Some(
                    raw.background.as_ref().map_or(Ok(Rgb::from_u8(255, 255, 255)), |c| r.palette.color(c))?,
                ),
                align: one_align(r, raw)?.unwrap_or(Align::Center),
                space_before: raw.space_before.map_or(0.0, |l| l.0),
                space_after: raw.space_after.map_or(0.0, |l| l.0),
            }
        }
        "verse" => Block::Verse(resolve_verse(r, b, inner, origin)?),
        "table" => Block::Table(super::table::resolve_table(r, b, origin)?),
        _ => Block::Spacer(raw.height.ok_or_else(|| need("height"))?.0),
    })
}

/// The one alignment of a rule, picture or QR code (a list is a table's).
fn one_align(r: &Resolver, raw: &RawBlock) -> Result<Option<Align>, ModelError> {
    match &raw.align {
        None => Ok(None),
        Some(a) => match a.get_ref() {
            super::raw::OneOrEach::One(one) => Ok(Some(*one)),
            super::raw::OneOrEach::Each(_) => Err(r.err(
                a.span(),
                format!(
                    "a {} block takes one `align` (start, end, center…); a list is for a table's columns",
                    raw.kind.get_ref()
                ),
            )),
        },
    }
}

/// A verse block: each couplet two non-empty one-line hemistichs, set in
/// the block's style (default `verse`) justified to the hemistich width,
/// last line included; kashida as long as display type unless the style
/// says. `gap` and `hemistich_width` must fit the frame's `inner` width.
fn resolve_verse(r: &mut Resolver, b: &Spanned<RawBlock>, inner: f32, origin: &str) -> Result<Verse, ModelError> {
    let raw = b.get_ref();
    let Some(couplets) = &raw.couplets else { return Err(r.err(b.span(), "a verse block needs `couplets`")) };
    if couplets.get_ref().is_empty() || couplets.get_ref().len() > MAX_COUPLETS {
        return Err(r.err(couplets.span(), format!("a verse takes 1 to {MAX_COUPLETS} couplets")));
    }
    let mut style = r.block_style(&raw.style, "verse")?;
    style.align = Align::Justify;
    style.justify_last = true;
    if style.kashida.is_none() && style.justify == Justify::Kashida {
        style.kashida = Some(Kashida::Display);
    }
    let mut out = Vec::with_capacity(couplets.get_ref().len());
    for (ci, pair) in couplets.get_ref().iter().enumerate() {
        let [first, second] = pair.as_slice() else {
            return Err(r.err(
                couplets.span(),
                format!(
                    "couplet {} has {} hemistichs; write each couplet as [\"first hemistich\", \"second hemistich\"]",
                    ci + 1,
                    pair.len()
                ),
            ));
        };
        let hemistich = |h: &Spanned<String>, k: usize| -> Result<Paragraph, ModelError> {
            if h.get_ref().trim().is_empty() || h.get_ref().contains(['\n', '\r']) {
                return Err(r.err(h.span(), "a hemistich is one line of text: not empty, no line breaks"));
            }
            r.paragraph(h, &style, format!("{origin}, couplet {}, hemistich {k}", ci + 1))
        };
        out.push([hemistich(first, 1)?, hemistich(second, 2)?]);
    }
    let gap = raw.gap.map_or(style.size, |l| l.0);
    if !(0.0..inner).contains(&gap) {
        return Err(r.err(
            b.span(),
            format!("a verse's gap of {gap:.1} pt must be at least 0 and less than the frame's {inner:.1} pt"),
        ));
    }
    let hemistich_width = raw.hemistich_width.map(|l| l.0);
    if let Some(w) = hemistich_width.filter(|w| !(1.0..=inner).contains(w)) {
        return Err(r.err(
            b.span(),
            format!("a verse's hemistich_width of {w:.1} pt must be from 1 pt to the frame's {inner:.1} pt"),
        ));
    }
    Ok(Verse { couplets: out, gap, hemistich_width, stacked: raw.stacked.unwrap_or(false) })
}
