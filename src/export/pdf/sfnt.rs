//! Trimming an embedded TrueType subset: the `post` table's glyph names
//! are dropped (`post` version 3.0 keeps its header: italic angle,
//! underline, fixed pitch). A PDF reaches a CID font's glyphs by code and
//! `/CIDToGIDMap`, never by name, so the names are bytes no reader uses;
//! HarfBuzz's subsetter drops them by default too. In the A5 leaflet they
//! were 1.7 KB of its 41 KB (deflated) besides the output profile.
//!
//! Every other table is copied byte for byte; the table directory, the
//! checksums and `head.checkSumAdjustment` are written afresh.

/// `program` with its `post` table cut to version 3.0, or `program` as it
/// is when it has no `post` table of version 2.0 or 2.5, or does not read
/// as an sfnt (the caller's subsetter wrote it, so that is not expected).
pub(super) fn without_glyph_names(program: Vec<u8>) -> Vec<u8> {
    match rewrite(&program) {
        Some(trimmed) => trimmed,
        None => program,
    }
}

/// The bytes of one table as found in the directory.
struct Table<'a> {
    tag: [u8; 4],
    data: std::borrow::Cow<'a, [u8]>,
}

/// The length of the `post` header that version 3.0 keeps.
const POST_HEADER: usize = 32;

fn rewrite(font: &[u8]) -> Option<Vec<u8>> {
    let sfnt_version = font.get(0..4)?;
    let count = usize::from(u16::from_be_bytes(font.get(4..6)?.try_into().ok()?));
    let mut tables = Vec::with_capacity(count);
    let mut trimmed = false;
    for i in 0..count {
        let record = font.get(12 + 16 * i..28 + 16 * i)?;
        let tag: [u8; 4] = record[0..4].try_into().ok()?;
        let offset = u32::from_be_bytes(record[8..12].try_into().ok()?) as usize;
        let length = u32::from_be_bytes(record[12..16].try_into().ok()?) as usize;
        let data = font.get(offset..offset.checked_add(length)?)?;
        let data = if &tag == b"post" && matches!(data.get(0..4)?, [0, 2, 0, 0] | [0, 2, 0x80, 0]) {
            trimmed = true;
            let mut header = data.get(..POST_HEADER)?.to_vec();
            header[0..4].copy_from_slice(&[0, 3, 0, 0]);
            std::borrow::Cow::Owned(header)
        } else {
            std::borrow::Cow::Borrowed(data)
        };
        tables.push(Table { tag, data });
    }
    if !trimmed {
        return None;
    }
    Some(write(sfnt_version, &mut tables))
}

/// An sfnt of `tables` in tag order, each padded to four bytes, with its
/// checksums and `head.checkSumAdjustment`.
fn write(sfnt_version: &[u8], tables: &mut [Table]) -> Vec<u8> {
    tables.sort_by_key(|t| t.tag);
    let count = tables.len() as u16;
    // Binary-search fields of the directory: the largest power of two not
    // above the table count.
    let power = if count == 0 { 0 } else { 1u16 << (15 - count.leading_zeros()) };
    let search_range = power * 16;
    let entry_selector = if power == 0 { 0 } else { power.trailing_zeros() as u16 };
    let range_shift = count * 16 - search_range;
    let directory = 12 + 16 * tables.len();
    let body: usize = tables.iter().map(|t| padded(t.data.len())).sum();
    let mut out = Vec::with_capacity(directory + body);
    out.extend_from_slice(sfnt_version);
    for v in [count, search_range, entry_selector, range_shift] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = directory;
    let mut head_at = None;
    for t in tables.iter() {
        if &t.tag == b"head" {
            head_at = Some(offset);
        }
        out.extend_from_slice(&t.tag);
        out.extend_from_slice(&checksum(&t.data, &t.tag).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(t.data.len() as u32).to_be_bytes());
        offset += padded(t.data.len());
    }
    for t in tables.iter() {
        out.extend_from_slice(&t.data);
        out.resize(padded(out.len()), 0);
    }
    if let Some(at) = head_at.filter(|&at| out.len() >= at + 12) {
        out[at + 8..at + 12].fill(0);
        let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out, b"    "));
        out[at + 8..at + 12].copy_from_slice(&adjustment.to_be_bytes());
    }
    out
}

fn padded(n: usize) -> usize {
    n.div_ceil(4) * 4
}

/// The OpenType checksum of a table: the sum of its big-endian 32-bit words
/// (zero-padded), with `head`'s `checkSumAdjustment` counted as zero.
fn checksum(data: &[u8], tag: &[u8; 4]) -> u32 {
    let mut sum = 0u32;
    for (i, chunk) in data.chunks(4).enumerate() {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        if tag == b"head" && i == 2 {
            continue;
        }
        sum = sum.wrapping_add(u32::from_be_bytes(word));
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subset_of(font: &[u8], glyphs: &[u16]) -> Vec<u8> {
        let mut remapper = subsetter::GlyphRemapper::new();
        for &g in glyphs {
            remapper.remap(g);
        }
        subsetter::subset(font, 0, &remapper).unwrap()
    }

    fn table<'a>(font: &'a [u8], tag: &[u8; 4]) -> Option<&'a [u8]> {
        ttf_parser::RawFace::parse(font, 0).ok()?.table(ttf_parser::Tag::from_bytes(tag))
    }

    fn tags(font: &[u8]) -> Vec<[u8; 4]> {
        let n = u16::from_be_bytes([font[4], font[5]]) as usize;
        (0..n).map(|i| font[12 + 16 * i..16 + 16 * i].try_into().unwrap()).collect()
    }

    #[test]
    fn a_subset_loses_its_glyph_names_and_nothing_else() {
        for path in ["fonts/Vazirmatn-Regular.ttf", "fonts/NotoNaskhArabic-Regular.ttf"] {
            let font = std::fs::read(path).unwrap();
            let subset = subset_of(&font, &[0, 3, 10, 20, 40, 41, 42, 100]);
            assert_eq!(&table(&subset, b"post").unwrap()[0..2], [0, 2], "{path}: the subsetter keeps names");
            let trimmed = without_glyph_names(subset.clone());
            assert!(trimmed.len() < subset.len(), "{path}");
            let post = table(&trimmed, b"post").unwrap();
            assert_eq!(post.len(), POST_HEADER, "{path}");
            assert_eq!(post[0..4], [0, 3, 0, 0], "{path}");
            assert_eq!(post[4..], table(&subset, b"post").unwrap()[4..POST_HEADER], "{path}: header kept");
            assert_eq!(tags(&trimmed), tags(&subset), "{path}: the same tables");
            for tag in tags(&subset).iter().filter(|t| *t != b"post" && *t != b"head") {
                assert_eq!(table(&trimmed, tag), table(&subset, tag), "{path}: {tag:?} copied as it was");
            }
            let (a, b) = (table(&trimmed, b"head").unwrap(), table(&subset, b"head").unwrap());
            assert_eq!((&a[..8], &a[12..]), (&b[..8], &b[12..]), "{path}: head differs only in its adjustment");
            // The glyphs still read, outlines and advances alike.
            let (old, new) =
                (ttf_parser::Face::parse(&subset, 0).unwrap(), ttf_parser::Face::parse(&trimmed, 0).unwrap());
            assert_eq!(old.number_of_glyphs(), new.number_of_glyphs());
            for g in 0..new.number_of_glyphs() {
                let g = ttf_parser::GlyphId(g);
                assert_eq!(old.glyph_bounding_box(g), new.glyph_bounding_box(g));
                assert_eq!(old.glyph_hor_advance(g), new.glyph_hor_advance(g));
            }
            assert_eq!(new.glyph_name(ttf_parser::GlyphId(1)), None, "{path}: no names");
        }
    }

    #[test]
    fn checksums_add_up_as_the_opentype_rules_say() {
        let font = std::fs::read("fonts/Vazirmatn-Regular.ttf").unwrap();
        let trimmed = without_glyph_names(subset_of(&font, &[0, 5, 6, 7]));
        // Every table's recorded checksum is its own.
        for i in 0..tags(&trimmed).len() {
            let r = &trimmed[12 + 16 * i..28 + 16 * i];
            let tag: [u8; 4] = r[0..4].try_into().unwrap();
            let sum = u32::from_be_bytes(r[4..8].try_into().unwrap());
            let at = u32::from_be_bytes(r[8..12].try_into().unwrap()) as usize;
            assert_eq!(at % 4, 0, "{tag:?} is aligned");
            let len = u32::from_be_bytes(r[12..16].try_into().unwrap()) as usize;
            assert_eq!(sum, checksum(&trimmed[at..at + len], &tag), "{tag:?}");
        }
        // The whole file sums to the magic number.
        assert_eq!(checksum(&trimmed, b"    "), 0xB1B0_AFBA);
    }

    #[test]
    fn fonts_without_names_to_drop_are_returned_as_they_are() {
        assert_eq!(without_glyph_names(b"not a font".to_vec()), b"not a font");
        assert_eq!(without_glyph_names(Vec::new()), Vec::<u8>::new());
        let font = std::fs::read("fonts/Vazirmatn-Regular.ttf").unwrap();
        let once = without_glyph_names(subset_of(&font, &[0, 1, 2]));
        assert_eq!(without_glyph_names(once.clone()), once, "version 3.0 is left alone");
        // A directory that points past the end is not followed.
        let mut broken = subset_of(&font, &[0, 1, 2]);
        broken.truncate(broken.len() / 2);
        assert_eq!(without_glyph_names(broken.clone()), broken);
    }
}
