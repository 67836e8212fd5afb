//! The bytes of a PDF 1.5+ file: its streams as indirect objects, every
//! other object packed into deflated object streams, and a cross-reference
//! stream.
//!
//! This is the layout lopdf's `save_with_options` writes with object and
//! cross-reference streams (the same object order, numbering and trailer),
//! written in one pass: lopdf serialises each packed object three times and
//! deflates the object stream through zlib, which cost a leaflet more than
//! all its other objects together.

use super::content;
use super::deflate;
use lopdf::{Dictionary, Object, ObjectId, Stream};
use std::io::Write;

/// The most objects one object stream holds (lopdf's default).
const PER_STREAM: usize = 100;

/// Where an object is found: at a byte offset (with its generation), or the
/// `index`th object of object stream `container`.
#[derive(Clone, Copy)]
enum Entry {
    At(u32, u16),
    Packed { container: u32, index: u16 },
}

/// Write `lo` to `out` (from its start) with object and cross-reference
/// streams. The document's version is raised to 1.5 if it is lower; its
/// trailer's `/ID` and other entries are kept. `body`, when given, is the
/// content of that (empty) stream object, written from where it lies;
/// object streams are deflated at `level`.
pub(super) fn save(
    lo: &mut lopdf::Document,
    body: Option<(ObjectId, &[u8])>,
    level: u32,
    out: &mut Vec<u8>,
) -> std::io::Result<()> {
    if lo.version.as_str() < "1.5" {
        lo.version = "1.5".to_string();
    }
    let start = out.len();
    let offset = |out: &Vec<u8>| u32::try_from(out.len() - start).map_err(std::io::Error::other);
    writeln!(out, "%PDF-{}", lo.version)?;
    if lo.binary_mark.iter().all(|&b| b >= 128) {
        out.push(b'%');
        out.extend_from_slice(&lo.binary_mark);
        out.push(b'\n');
    }
    let mut entries: Vec<Option<Entry>> = vec![None; lo.max_id as usize + 1];
    let mut packed: Vec<ObjectId> = Vec::new();
    for (&(id, generation), object) in &lo.objects {
        if is_object_stream(object) {
            continue;
        }
        if generation == 0 && lopdf::ObjectStream::can_be_compressed((id, generation), object, lo) {
            packed.push((id, generation));
            continue;
        }
        set(&mut entries, id, Entry::At(offset(out)?, generation));
        match (object, body) {
            (Object::Stream(s), Some((at, bytes))) if at == (id, generation) && s.content.is_empty() => {
                indirect_stream(out, id, generation, &s.dict, bytes)?;
            }
            _ => indirect(out, id, generation, object)?,
        }
    }
    let mut z = deflate::compressor(level);
    let mut next_id = lo.max_id + 1;
    for group in packed.chunks(PER_STREAM) {
        let container = next_id;
        next_id += 1;
        let stream = object_stream(lo, group, &mut z);
        for (index, &(id, _)) in group.iter().enumerate() {
            set(&mut entries, id, Entry::Packed { container, index: index as u16 });
        }
        set(&mut entries, container, Entry::At(offset(out)?, 0));
        indirect(out, container, 0, &Object::Stream(stream))?;
    }
    // The cross-reference stream is the last object.
    let xref_id = next_id;
    lo.max_id = xref_id;
    let xref_start = offset(out)?;
    set(&mut entries, xref_id, Entry::At(xref_start, 0));
    let (table, index) = xref_table(&entries);
    let mut trailer = lo.trailer.clone();
    trailer.set("Type", Object::Name(b"XRef".to_vec()));
    trailer.set("Size", i64::from(xref_id + 1));
    trailer.set("W", Object::Array(vec![Object::Integer(1), Object::Integer(4), Object::Integer(2)]));
    trailer.set("Index", Object::Array(index));
    trailer.remove(b"Filter");
    trailer.set("Length", table.len() as i64);
    let xref = Stream { dict: trailer, allows_compression: true, content: table, start_position: None };
    indirect(out, xref_id, 0, &Object::Stream(xref))?;
    write!(out, "\nstartxref\n{xref_start}\n%%EOF")?;
    Ok(())
}

/// Whether `object` is an object stream of a document read from a file
/// (a new one is written instead).
fn is_object_stream(object: &Object) -> bool {
    matches!(object, Object::Stream(s) if s.dict.get(b"Type").and_then(Object::as_name).is_ok_and(|n| n == b"ObjStm"))
}

fn set(entries: &mut Vec<Option<Entry>>, id: u32, entry: Entry) {
    let id = id as usize;
    if entries.len() <= id {
        entries.resize(id + 1, None);
    }
    entries[id] = Some(entry);
}

/// `id generation obj … endobj`, spaced as lopdf spaces it.
fn indirect(out: &mut Vec<u8>, id: u32, generation: u16, object: &Object) -> std::io::Result<()> {
    let simple = content::object_needs_separator(object);
    write!(out, "{id} {generation} obj\n{}", if simple { " " } else { "" })?;
    content::object(out, object);
    let end_space = simple || matches!(object, Object::Name(_) | Object::Stream(_));
    writeln!(out, "{}\nendobj", if end_space { " " } else { "" })
}

/// A stream object whose content is `body` rather than its own (which is
/// empty), spaced as [`indirect`] spaces a stream.
fn indirect_stream(out: &mut Vec<u8>, id: u32, generation: u16, dict: &Dictionary, body: &[u8]) -> std::io::Result<()> {
    writeln!(out, "{id} {generation} obj")?;
    content::stream(out, dict, body);
    writeln!(out, " \nendobj")
}

/// The deflated object stream of the objects `ids` of `lo`: each object
/// serialised once, after a header of object numbers and offsets.
fn object_stream(lo: &lopdf::Document, ids: &[ObjectId], z: &mut libdeflater::Compressor) -> Stream {
    let mut bodies = Vec::new();
    let mut header = String::new();
    for id in ids {
        let Some(object) = lo.objects.get(id) else { continue };
        header.push_str(&format!("{} {} ", id.0, bodies.len()));
        content::object(&mut bodies, object);
        bodies.push(b' ');
    }
    let first = header.len();
    let mut content = header.into_bytes();
    content.extend_from_slice(&bodies);
    let deflated = deflate::deflate_with(z, &content);
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"ObjStm".to_vec()));
    dict.set("N", ids.len() as i64);
    dict.set("First", first as i64);
    let mut stream = Stream::new(dict, content);
    if !deflated.is_empty() {
        stream.dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        stream.set_content(deflated);
    }
    stream
}

/// The cross-reference stream's rows (type, 4-byte field, 2-byte field) for
/// objects 1 and up, in sections of consecutive numbers, and its `/Index`.
fn xref_table(entries: &[Option<Entry>]) -> (Vec<u8>, Vec<Object>) {
    let mut table = Vec::with_capacity(entries.len() * 7);
    let mut index = Vec::new();
    let mut section: Option<(u32, u32)> = None;
    for (id, entry) in entries.iter().enumerate().skip(1) {
        let Some(entry) = entry else {
            if let Some((from, n)) = section.take() {
                index.extend([Object::Integer(from.into()), Object::Integer(n.into())]);
            }
            continue;
        };
        section.get_or_insert((id as u32, 0)).1 += 1;
        match *entry {
            Entry::At(offset, generation) => {
                table.push(1);
                table.extend(offset.to_be_bytes());
                table.extend(generation.to_be_bytes());
            }
            Entry::Packed { container, index } => {
                table.push(2);
                table.extend(container.to_be_bytes());
                table.extend(index.to_be_bytes());
            }
        }
    }
    if let Some((from, n)) = section {
        index.extend([Object::Integer(from.into()), Object::Integer(n.into())]);
    }
    (table, index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    #[test]
    fn cross_reference_rows_carry_generations_and_sections_skip_gaps() {
        let entries = [
            None,
            Some(Entry::At(100, 1)),
            Some(Entry::Packed { container: 5, index: 2 }),
            None,
            Some(Entry::At(0x0102_0304, 0)),
        ];
        let (table, index) = xref_table(&entries);
        assert_eq!(table, [1, 0, 0, 0, 100, 0, 1, 2, 0, 0, 0, 5, 0, 2, 1, 1, 2, 3, 4, 0, 0]);
        let index: Vec<i64> = index.iter().map(|o| o.as_i64().unwrap()).collect();
        assert_eq!(index, [1, 2, 4, 1], "sections 1–2 and 4");
    }

    #[test]
    fn a_saved_document_reads_back_with_every_object() {
        let mut lo = lopdf::Document::with_version("1.4");
        let font = lo.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" });
        let content = lo.add_object(Stream::new(Dictionary::new(), b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET".to_vec()));
        let pages_id = lo.new_object_id();
        let page = lo.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
        });
        lo.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 }),
        );
        let catalog = lo.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        lo.trailer.set("Root", catalog);
        // An object of a later generation is written in place, not packed.
        lo.objects.insert((50, 1), Object::Integer(7));
        lo.max_id = 50;
        let mut out = Vec::new();
        save(&mut lo, None, 6, &mut out).unwrap();
        assert!(out.starts_with(b"%PDF-1.5\n"), "raised to 1.5 for object streams");
        assert!(out.ends_with(b"%%EOF"));
        let back = lopdf::Document::load_mem(&out).unwrap();
        for id in [font, page, pages_id, catalog] {
            assert!(back.get_object(id).is_ok(), "object {id:?} is found through the cross-reference stream");
        }
        assert_eq!(back.get_object((50, 1)).unwrap().as_i64().unwrap(), 7);
        assert_eq!(back.get_page_content(page).trim_ascii_end(), b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET");
        let text = String::from_utf8_lossy(&out);
        assert!(text.contains("/Type /ObjStm") || text.contains("/Type/ObjStm"), "{text}");
    }
}
