//! SVG pictures: the checks an untrusted SVG passes before it is parsed,
//! and the parsed tree the exporters draw (resvg for pixels, PDF path
//! operators for print, see `export::pdf::svg`).
//!
//! An SVG is read as text (no gzip: `.svgz` could unpack to anything) and
//! refused, with a message that says why, when it
//! - is larger than [`MAX_BYTES`], declares a DTD, or has more than
//!   [`MAX_NODES`] elements once every `<use>` is expanded (nested `<use>`
//!   can multiply a small file into billions of nodes) or nests deeper
//!   than [`MAX_DEPTH`];
//! - refers to anything outside itself: an `href` that is not `#id` (other
//!   files, the network), CSS `@import`, or an `<image>` (nashr draws SVG
//!   paths; a photo goes in its own PNG or JPEG picture);
//! - has text (`<text>`: nashr would need the SVG's fonts; convert text to
//!   paths in the editor);
//! - uses what the PDF cannot draw as vectors here: filters, masks and
//!   pattern fills;
//! - is larger than [`MAX_SIDE`] pixels on a side, or has no size.
//!
//! Everything else (paths, fills, strokes, dashes, transforms, opacity,
//! linear and radial gradients, clip paths) is drawn in both formats.

use std::collections::HashMap;
use std::sync::Arc;

/// The largest SVG file, in bytes (4 MB).
pub const MAX_BYTES: usize = 4 << 20;
/// The most elements an SVG may draw, each `<use>` expanded.
pub const MAX_NODES: u64 = 100_000;
/// The deepest nesting of elements.
pub const MAX_DEPTH: usize = 64;
/// The largest width or height, in SVG pixels.
pub const MAX_SIDE: f32 = 10_000.0;

/// A parsed SVG picture.
#[derive(Clone)]
pub struct Svg {
    /// The tree usvg made: paths, groups, paints, all in the SVG's pixels.
    pub tree: Arc<usvg::Tree>,
}

impl std::fmt::Debug for Svg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let size = self.tree.size();
        write!(f, "Svg({} × {})", size.width(), size.height())
    }
}

impl PartialEq for Svg {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.tree, &other.tree)
    }
}

/// Check and parse SVG bytes; the error says what is wrong (the caller
/// names the file and the layout line).
pub fn parse(bytes: &[u8]) -> Result<Svg, String> {
    if bytes.len() > MAX_BYTES {
        return Err(format!("the SVG is {} bytes, more than the {} MB nashr reads", bytes.len(), MAX_BYTES >> 20));
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return Err("it is compressed (SVGZ); save it as plain SVG".into());
    }
    let text = std::str::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string())?;
    check_source(text)?;
    let opt = usvg::Options {
        resources_dir: None,
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..Default::default()
    };
    let tree = usvg::Tree::from_str(text, &opt).map_err(|e| format!("it is not an SVG nashr can read: {e}"))?;
    let size = tree.size();
    if !(size.width() <= MAX_SIDE && size.height() <= MAX_SIDE) {
        return Err(format!(
            "it is {} × {} pixels, more than {MAX_SIDE} on a side",
            size.width().round(),
            size.height().round()
        ));
    }
    check_tree(tree.root())?;
    Ok(Svg { tree: Arc::new(tree) })
}

/// The checks on the SVG's source: DTD, size once expanded, depth,
/// references, text and images.
fn check_source(text: &str) -> Result<(), String> {
    let opt = roxmltree::ParsingOptions { allow_dtd: false, nodes_limit: (MAX_NODES as u32).saturating_mul(2) };
    let doc = roxmltree::Document::parse_with_options(text, opt).map_err(|e| match e {
        roxmltree::Error::DtdDetected => "it declares a DTD (entities), which nashr does not read".to_string(),
        roxmltree::Error::NodesLimitReached => format!("it has more than {MAX_NODES} elements"),
        e => format!("it is not well-formed XML: {e}"),
    })?;
    let mut ids: HashMap<&str, roxmltree::Node> = HashMap::new();
    for node in doc.descendants().filter(|n| n.is_element()) {
        if node.ancestors().count() > MAX_DEPTH + 1 {
            return Err(format!("its elements nest more than {MAX_DEPTH} deep"));
        }
        let tag = node.tag_name().name();
        match tag {
            "text" => return Err("it has text (<text>); convert the text to paths in the editor first".into()),
            "image" => {
                return Err("it holds an <image>; nashr draws SVG shapes, put photos in a PNG or JPEG picture".into());
            }
            "style" if node.text().is_some_and(|t| t.contains("@import")) => {
                return Err("its style sheet imports another file (@import)".into());
            }
            _ => {}
        }
        for a in node.attributes() {
            if a.name() == "href" && !a.value().trim_start().starts_with('#') {
                return Err(format!(
                    "<{tag}> refers to {:?} outside the SVG; only references inside it (#id) are read",
                    a.value()
                ));
            }
        }
        if let Some(id) = node.attribute("id") {
            ids.insert(id, node);
        }
    }
    let mut sizes = HashMap::new();
    let total = expanded(doc.root_element(), &ids, &mut sizes, 0)?;
    if total > MAX_NODES {
        return Err(format!("it draws more than {MAX_NODES} elements once its <use> references are expanded"));
    }
    Ok(())
}

/// How many elements `node` stands for, each `<use>` counted as a copy of
/// what it refers to (memoised; saturating).
fn expanded<'a>(
    node: roxmltree::Node<'a, 'a>,
    ids: &HashMap<&str, roxmltree::Node<'a, 'a>>,
    sizes: &mut HashMap<roxmltree::NodeId, u64>,
    depth: usize,
) -> Result<u64, String> {
    if depth > 4 * MAX_DEPTH {
        return Err(format!("its <use> references chain more than {} deep", 4 * MAX_DEPTH));
    }
    if let Some(&n) = sizes.get(&node.id()) {
        return Ok(n);
    }
    let mut n: u64 = 1;
    if node.tag_name().name() == "use"
        && let Some(target) = node.attributes().find(|a| a.name() == "href").map(|a| a.value().trim())
        && let Some(target) = target.strip_prefix('#').and_then(|id| ids.get(id))
    {
        n = n.saturating_add(expanded(*target, ids, sizes, depth + 1)?);
    }
    for child in node.children().filter(|c| c.is_element()) {
        n = n.saturating_add(expanded(child, ids, sizes, depth + 1)?);
        if n > MAX_NODES {
            break;
        }
    }
    sizes.insert(node.id(), n);
    Ok(n)
}

/// What usvg kept that the PDF cannot draw as vectors: filters, masks and
/// pattern fills.
fn check_tree(group: &usvg::Group) -> Result<(), String> {
    if !group.filters().is_empty() {
        return Err("it uses a filter (blur, shadow…), which nashr cannot draw as vectors in a PDF".into());
    }
    if group.mask().is_some() {
        return Err("it uses a mask, which nashr cannot draw as vectors in a PDF; use a clip path".into());
    }
    if let Some(clip) = group.clip_path() {
        check_tree(clip.root())?;
    }
    for node in group.children() {
        match node {
            usvg::Node::Group(g) => check_tree(g)?,
            usvg::Node::Path(p) => {
                let pattern = |paint: &usvg::Paint| matches!(paint, usvg::Paint::Pattern(_));
                if p.fill().is_some_and(|f| pattern(f.paint())) || p.stroke().is_some_and(|s| pattern(s.paint())) {
                    return Err("it fills with a pattern, which nashr cannot draw as vectors in a PDF".into());
                }
            }
            usvg::Node::Image(_) => return Err("it holds an <image>".into()),
            usvg::Node::Text(_) => return Err("it has text; convert the text to paths first".into()),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50" viewBox="0 0 100 50">
        <rect x="10" y="10" width="80" height="30" fill="#c00"/></svg>"##;

    #[test]
    fn a_plain_logo_parses_with_its_size() {
        let svg = parse(LOGO.as_bytes()).unwrap();
        assert_eq!((svg.tree.size().width(), svg.tree.size().height()), (100.0, 50.0));
    }

    fn refused(svg: &str) -> String {
        parse(svg.as_bytes()).unwrap_err()
    }

    #[test]
    fn hostile_svgs_are_refused_with_the_reason() {
        let huge = r#"<svg xmlns="http://www.w3.org/2000/svg" width="1000000" height="10"/>"#;
        assert!(refused(huge).contains("on a side"), "{}", refused(huge));
        let external = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><use xlink:href="/etc/passwd#x"/></svg>"#;
        assert!(refused(external).contains("outside the SVG"), "{}", refused(external));
        let net = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="https://example.com/a.png" width="5" height="5"/></svg>"#;
        assert!(refused(net).contains("outside the SVG") || refused(net).contains("<image>"));
        let deep = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">{}{}</svg>"#,
            "<g>".repeat(200),
            "</g>".repeat(200)
        );
        assert!(refused(&deep).contains("nest more than"), "{}", refused(&deep));
        let text = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>hi</text></svg>"#;
        assert!(refused(text).contains("convert the text to paths"));
        let dtd =
            r#"<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>"#;
        assert!(refused(dtd).contains("DTD"));
        let blur = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><filter id="f"><feGaussianBlur stdDeviation="2"/></filter><rect width="5" height="5" filter="url(#f)"/></svg>"#;
        assert!(refused(blur).contains("filter"), "{}", refused(blur));
        assert!(refused("not xml").contains("not well-formed"));
    }

    #[test]
    fn nested_use_cannot_multiply_a_small_file_into_millions_of_nodes() {
        // Each level uses the one before ten times: 10^8 rectangles.
        let mut s = String::from(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><defs><rect id="l0" width="1" height="1"/>"#,
        );
        for level in 1..=8 {
            s.push_str(&format!("<g id=\"l{level}\">"));
            for _ in 0..10 {
                s.push_str(&format!("<use xlink:href=\"#l{}\"/>", level - 1));
            }
            s.push_str("</g>");
        }
        s.push_str("</defs><use xlink:href=\"#l8\"/></svg>");
        assert!(refused(&s).contains("once its <use> references are expanded"), "{}", refused(&s));
    }
}
