//! Colour emoji: glyphs whose font draws them as colour bitmaps (CBDT or
//! sbix, like the bundled Nashr Emoji) are placed as pictures over their
//! glyphs, so both exporters draw them without knowing about colour fonts.
//!
//! The glyph run keeps the emoji's glyph (it has no outline): the PDF's
//! text layer still carries the character, so it copies and searches as
//! the emoji. The pictures follow the glyph runs of their line, so a line's
//! text stays one text object, and share the runs' origin (a rotated
//! frame turns them too; a tagged PDF marks them as artifacts).

use crate::scene::{GlyphRun, ImageItem, Item, Rect, SceneFont, SceneImage, ScenePage};
use std::collections::HashMap;
use std::path::Path;

/// Add a picture item for every colour-bitmap glyph on `pages`, each
/// bitmap decoded once and stored in `images`.
pub(super) fn add_bitmaps(pages: &mut [ScenePage], fonts: &[SceneFont], images: &mut Vec<SceneImage>) {
    if !fonts.iter().any(|f| f.face.face().tables().cbdt.is_some() || f.face.face().tables().sbix.is_some()) {
        return;
    }
    let mut decoded: HashMap<(usize, u16), Option<usize>> = HashMap::new();
    for page in pages {
        let items = std::mem::take(&mut page.items);
        let mut out = Vec::with_capacity(items.len());
        let mut pending: Vec<Item> = Vec::new();
        let line = |it: &Item| match it {
            Item::Glyphs(g) => Some((g.paragraph, g.y.to_bits())),
            _ => None,
        };
        let mut iter = items.into_iter().peekable();
        while let Some(item) = iter.next() {
            if let Item::Glyphs(run) = &item {
                bitmaps_of(run, fonts, images, &mut decoded, &mut pending);
            }
            let key = line(&item);
            out.push(item);
            if key.is_none() || iter.peek().map(&line) != Some(key) {
                out.append(&mut pending);
            }
        }
        page.items = out;
    }
}

/// The pictures of `run`'s colour glyphs.
fn bitmaps_of(
    run: &GlyphRun,
    fonts: &[SceneFont],
    images: &mut Vec<SceneImage>,
    decoded: &mut HashMap<(usize, u16), Option<usize>>,
    out: &mut Vec<Item>,
) {
    let Some(font) = fonts.get(run.font) else { return };
    let face = &font.face;
    for g in &run.glyphs {
        let Some(bitmap) = face.color_bitmap(g.id) else { continue };
        let index = *decoded.entry((run.font, g.id)).or_insert_with(|| {
            let source = format!("{}#glyph{}", font.source, g.id);
            let picture = crate::picture::decode(bitmap.png, Path::new("emoji.png"), &source).ok()?;
            images.push(picture);
            Some(images.len() - 1)
        });
        let Some(image) = index else { continue };
        // Bitmap pixels to points at the run's size.
        let k = run.size / bitmap.ppem;
        let (x, y) = (run.x + g.x + bitmap.x * k, run.y + g.y - (bitmap.y + bitmap.height) * k);
        let (width, height) = (bitmap.width * k, bitmap.height * k);
        out.push(Item::Image(ImageItem {
            origin: run.origin,
            image,
            x,
            y,
            width,
            height,
            clip: Rect { x, y, width, height },
            opacity: 1.0,
        }));
    }
}
