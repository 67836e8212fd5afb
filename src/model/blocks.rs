//! Resolving the blocks of a frame: headings and paragraphs (with their
//! styles and inline markup), lists, rules, spacers, pictures and QR codes,
//! each checked against the keys its type allows.

use super::raw::RawBlock;
use super::resolve::{Resolver, unit_interval};
use super::*;
use toml::Spanned;

/// Encode `data` as a QR code (error correction level M): the dark modules and the side.
pub(super) fn qr_modules(data: &str) -> Result<(Vec<bool>, usize), String> {
    let code = qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| format!("cannot make a QR code of this text ({} bytes): {e}", data.len()))?;
    let width = code.width();
    let modules = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
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
];

pub(super) fn resolve_block(
    r: &mut Resolver,
    b: &Spanned<RawBlock>,
    frame: &str,
    origin: &str,
) -> Result<Block, ModelError> {
    let raw = b.get_ref();
    let kind = raw.kind.get_ref().as_str();
    let Some(&(_, allowed)) = BLOCK_KEYS.iter().find(|(k, _)| *k == kind) else {
        return Err(r.err(
            raw.kind.span(),
            format!("unknown block type \"{kind}\"; expected one of heading, paragraph, list, rule, spacer, image, qr"),
        ));
    };
    let present: [(&str, bool); 19] = [
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
            align: raw.align.unwrap_or(Align::Center),
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
                align: raw.align.unwrap_or(Align::Center),
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
                align: raw.align.unwrap_or(Align::Center),
                space_before: raw.space_before.map_or(0.0, |l| l.0),
                space_after: raw.space_after.map_or(0.0, |l| l.0),
            }
        }
        _ => Block::Spacer(raw.height.ok_or_else(|| need("height"))?.0),
    })
}
