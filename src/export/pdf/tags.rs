//! Tagged PDF (PDF/UA-1): the page content marked as structure or as
//! artifact, and the structure tree a screen reader follows.
//!
//! Each glyph run is a marked-content sequence with an MCID, tagged by the
//! role its paragraph has in the Scene (`H1`, `P`, and for a list item
//! `Lbl` for its marker and `LBody` for its text, for a table cell `TH` or
//! `TD`); everything else on the page (backgrounds, rules, pictures, QR
//! codes, printer's marks, a table's header drawn again on a later page)
//! is an `/Artifact`. The structure tree follows the document's paragraphs
//! in reading order: `Document` → `H1` | `P` | `L` → `LI` → `Lbl`, `LBody`
//! | `Table` → `TR` → `TH`, `TD` (with their spans and a header's scope).
//! The catalog gets `/MarkInfo`, `/StructTreeRoot` (with its `/ParentTree`)
//! and `/ViewerPreferences /DisplayDocTitle`; each page `/StructParents` and
//! `/Tabs /S`.

use crate::scene::{GlyphRun, Role, Scene};
use lopdf::{Dictionary, Object, ObjectId};

/// How a glyph run is marked: its structure tag, its MCID (none for an
/// artifact), and a language when it differs from the document's.
#[derive(Debug, Clone, Copy)]
pub(super) struct RunTag {
    pub(super) name: &'static str,
    pub(super) mcid: Option<i64>,
    pub(super) lang: Option<&'static str>,
}

/// The structure tag of a glyph run and its language when it differs from
/// the document's.
fn tag_of(scene: &Scene, run: &GlyphRun) -> (&'static str, Option<&'static str>) {
    let role = scene.paragraphs.get(run.paragraph).map_or(Role::Paragraph, |p| p.role);
    let header = scene.paragraphs.get(run.paragraph).and_then(|p| p.cell).is_some_and(|c| c.header);
    let tag = match (role, run.marker) {
        _ if run.repeated => "Artifact",
        (_, true) => "Lbl",
        (Role::Cell, _) if header => "TH",
        (Role::Cell, _) => "TD",
        (Role::Heading, _) => "H1",
        (Role::Item, _) => "LBody",
        (Role::Paragraph, _) => "P",
    };
    // Latin text (an address, a handle) in a right-to-left document is
    // marked as such, so a screen reader reads it in a Latin voice.
    let latin = !run.rtl
        && crate::lang::is_rtl_language(&scene.meta.language)
        && run.glyphs.iter().any(|g| g.text.chars().any(|c| c.is_ascii_alphabetic()));
    (tag, latin.then_some("en"))
}

/// Whether two runs of one line belong in one marked-content sequence: the
/// same paragraph, marker, link, tag and language. A line split into
/// sequences at every bidi run (a number in a right-to-left line) is read
/// by pdf.js as separate pieces, each reordered on its own.
pub(super) fn same_sequence(scene: &Scene, a: &GlyphRun, b: &GlyphRun) -> bool {
    a.paragraph == b.paragraph
        && a.marker == b.marker
        && a.repeated == b.repeated
        && a.link == b.link
        && tag_of(scene, a) == tag_of(scene, b)
}

/// What a marked-content sequence holds.
#[derive(Clone, Copy)]
enum Content {
    /// Text of a paragraph: its index, and whether it is a list marker.
    Text(usize, bool),
    /// A figure: its index in the Scene's figures.
    Figure(usize),
}

/// The marked content written on one page, by MCID.
#[derive(Default)]
pub(super) struct PageTags {
    content: Vec<(i64, Content)>,
    /// The MCIDs of linked text, with the address they link to.
    links: Vec<(i64, String)>,
}

impl PageTags {
    /// The tag and MCID for a glyph run, recorded for the structure tree.
    pub(super) fn run(&mut self, scene: &Scene, run: &GlyphRun) -> RunTag {
        if run.repeated {
            return RunTag { name: "Artifact", mcid: None, lang: None };
        }
        let mcid = self.content.len() as i64;
        self.content.push((mcid, Content::Text(run.paragraph, run.marker)));
        if let Some(uri) = &run.link {
            self.links.push((mcid, uri.clone()));
        }
        let (name, lang) = tag_of(scene, run);
        RunTag { name, mcid: Some(mcid), lang }
    }

    /// The MCID for figure `figure`'s drawing, recorded for the structure tree.
    pub(super) fn figure(&mut self, figure: usize) -> i64 {
        let mcid = self.content.len() as i64;
        self.content.push((mcid, Content::Figure(figure)));
        mcid
    }
}

/// A structure element being built: its type, its kids (elements or
/// marked content) and the object it will be.
struct Elem {
    kind: &'static str,
    kids: Vec<Kid>,
    /// The paragraph whose logical text the element carries as
    /// `/ActualText` (its glyphs are in visual order on the page).
    text_of: Option<usize>,
    /// For a table cell, where it is (its spans and scope become attributes).
    cell: Option<crate::scene::TableCell>,
}

enum Kid {
    Elem(usize),
    Content {
        page: usize,
        mcid: i64,
    },
    /// A link annotation on a page.
    Annotation {
        page: usize,
        annot: ObjectId,
    },
}

/// Write the structure tree for the pages' marked content.
pub(super) fn write_tree(lo: &mut lopdf::Document, scene: &Scene, pages: &[PageTags]) {
    let page_ids: Vec<ObjectId> = lo.get_pages().values().copied().collect();
    let mut elems: Vec<Elem> = vec![Elem { kind: "Document", kids: Vec::new(), text_of: None, cell: None }];
    // The leaf element of each paragraph (and of each list item's label).
    let mut body_of: std::collections::HashMap<usize, usize> = Default::default();
    let mut label_of: std::collections::HashMap<usize, usize> = Default::default();
    let mut current_list: Option<((usize, usize), usize)> = None;
    // The table being read and its row: (table, element), (row, element).
    let mut current_table: Option<((usize, usize), usize)> = None;
    let mut current_row: Option<(usize, usize)> = None;
    // Paragraphs and figures in reading order (a figure stands at the
    // paragraph index of its block).
    // Frames are read by their `order`, then in the order laid out.
    let mut order: Vec<((i64, usize, usize), Content)> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for page in pages {
        for &(_, c) in &page.content {
            let key = match c {
                Content::Text(p, _) => (scene.paragraphs.get(p).map_or(i64::MAX, |i| i.frame_order), p, 0),
                Content::Figure(f) => {
                    scene.figures.get(f).map_or((i64::MAX, usize::MAX, 1), |x| (x.frame_order, x.order, 1))
                }
            };
            let id = match c {
                Content::Text(p, _) => (0, p),
                Content::Figure(f) => (1, f),
            };
            if seen.insert(id) {
                order.push((key, c));
            }
        }
    }
    order.sort_by_key(|(k, _)| *k);
    let mut figure_elem: std::collections::HashMap<usize, usize> = Default::default();
    for (_, c) in order {
        let p = match c {
            Content::Figure(f) => {
                current_list = None;
                current_table = None;
                elems.push(Elem { kind: "Figure", kids: Vec::new(), text_of: None, cell: None });
                let e = elems.len() - 1;
                figure_elem.insert(f, e);
                elems[0].kids.push(Kid::Elem(e));
                continue;
            }
            Content::Text(p, _) => p,
        };
        let info = scene.paragraphs.get(p).copied().unwrap_or_default();
        if let (Role::Cell, Some(cell)) = (info.role, info.cell) {
            current_list = None;
            let t = match current_table {
                Some((key, t)) if key == cell.table => t,
                _ => {
                    elems.push(Elem { kind: "Table", kids: Vec::new(), text_of: None, cell: None });
                    let t = elems.len() - 1;
                    elems[0].kids.push(Kid::Elem(t));
                    current_table = Some((cell.table, t));
                    current_row = None;
                    t
                }
            };
            let tr = match current_row {
                Some((row, tr)) if row == cell.row => tr,
                _ => {
                    elems.push(Elem { kind: "TR", kids: Vec::new(), text_of: None, cell: None });
                    let tr = elems.len() - 1;
                    elems[t].kids.push(Kid::Elem(tr));
                    current_row = Some((cell.row, tr));
                    tr
                }
            };
            let kind = if cell.header { "TH" } else { "TD" };
            elems.push(Elem { kind, kids: Vec::new(), text_of: Some(p), cell: Some(cell) });
            let e = elems.len() - 1;
            body_of.insert(p, e);
            elems[tr].kids.push(Kid::Elem(e));
            continue;
        }
        current_table = None;
        match (info.role, info.list) {
            (Role::Item, Some(list)) => {
                let l = match current_list {
                    Some((key, l)) if key == list => l,
                    _ => {
                        elems.push(Elem { kind: "L", kids: Vec::new(), text_of: None, cell: None });
                        let l = elems.len() - 1;
                        elems[0].kids.push(Kid::Elem(l));
                        current_list = Some((list, l));
                        l
                    }
                };
                elems.push(Elem { kind: "LI", kids: Vec::new(), text_of: None, cell: None });
                let li = elems.len() - 1;
                elems[l].kids.push(Kid::Elem(li));
                elems.push(Elem { kind: "Lbl", kids: Vec::new(), text_of: None, cell: None });
                let lbl = elems.len() - 1;
                label_of.insert(p, lbl);
                elems[li].kids.push(Kid::Elem(lbl));
                elems.push(Elem { kind: "LBody", kids: Vec::new(), text_of: Some(p), cell: None });
                let body = elems.len() - 1;
                body_of.insert(p, body);
                elems[li].kids.push(Kid::Elem(body));
            }
            (role, _) => {
                current_list = None;
                elems.push(Elem {
                    kind: if role == Role::Heading { "H1" } else { "P" },
                    kids: Vec::new(),
                    text_of: Some(p),
                    cell: None,
                });
                let e = elems.len() - 1;
                body_of.insert(p, e);
                elems[0].kids.push(Kid::Elem(e));
            }
        }
    }
    // The link annotations of each page, with their addresses.
    let page_annots: Vec<Vec<(ObjectId, String)>> = page_ids
        .iter()
        .map(|&pg| {
            let annots: Vec<ObjectId> = lo
                .get_dictionary(pg)
                .ok()
                .and_then(|d| d.get(b"Annots").ok())
                .and_then(|a| a.as_array().ok())
                .map(|a| a.iter().filter_map(|o| o.as_reference().ok()).collect())
                .unwrap_or_default();
            annots
                .into_iter()
                .filter_map(|annot| {
                    let uri = lo
                        .get_dictionary(annot)
                        .ok()?
                        .get(b"A")
                        .ok()?
                        .as_dict()
                        .ok()?
                        .get(b"URI")
                        .ok()?
                        .as_str()
                        .ok()?;
                    Some((annot, String::from_utf8_lossy(uri).into_owned()))
                })
                .collect()
        })
        .collect();
    // Linked text: a `Link` element inside its paragraph's, per page and
    // address, holding the text and (below) the annotation.
    let mut link_elem: std::collections::HashMap<(usize, String), usize> = Default::default();
    let mut linked: std::collections::HashMap<(usize, i64), usize> = Default::default();
    for (pi, page) in pages.iter().enumerate() {
        for (mcid, uri) in &page.links {
            let parent = page.content.iter().find(|c| c.0 == *mcid).and_then(|c| match c.1 {
                Content::Text(p, _) => body_of.get(&p).copied(),
                Content::Figure(_) => None,
            });
            let Some(parent) = parent else { continue };
            // Only text whose link became an annotation (PDF/X has none).
            if !page_annots.get(pi).is_some_and(|a| a.iter().any(|(_, u)| u == uri)) {
                continue;
            }
            let e = *link_elem.entry((pi, uri.clone())).or_insert_with(|| {
                elems.push(Elem { kind: "Link", kids: Vec::new(), text_of: None, cell: None });
                let link = elems.len() - 1;
                elems[parent].kids.push(Kid::Elem(link));
                link
            });
            linked.insert((pi, *mcid), e);
        }
    }
    // Marked content into its element, page by page, in content order.
    let mut parents: Vec<Vec<usize>> = Vec::new();
    for (pi, page) in pages.iter().enumerate() {
        let mut per_mcid = Vec::with_capacity(page.content.len());
        for &(mcid, c) in &page.content {
            let e = match c {
                Content::Text(..) if linked.contains_key(&(pi, mcid)) => linked.get(&(pi, mcid)),
                Content::Text(p, true) => label_of.get(&p).or(body_of.get(&p)),
                Content::Text(p, false) => body_of.get(&p),
                Content::Figure(f) => figure_elem.get(&f),
            };
            let e = *e.unwrap_or(&0);
            elems[e].kids.push(Kid::Content { page: pi, mcid });
            per_mcid.push(e);
        }
        parents.push(per_mcid);
    }
    // Each link annotation into the `Link` element of its page and address.
    let mut annotations: Vec<(ObjectId, usize)> = Vec::new();
    for (pi, annots) in page_annots.iter().enumerate() {
        for (annot, uri) in annots {
            if let Some(&e) = link_elem.get(&(pi, uri.clone())) {
                elems[e].kids.push(Kid::Annotation { page: pi, annot: *annot });
                annotations.push((*annot, e));
            }
        }
    }
    // The logical text of each paragraph, over all its pages.
    let mut texts: std::collections::HashMap<usize, String> = Default::default();
    for pi in 0..scene.pages.len() {
        for (p, t) in scene.paragraphs_on(pi) {
            let e = texts.entry(p).or_default();
            if !e.is_empty() {
                e.push(' ');
            }
            e.push_str(&t);
        }
    }
    // Objects: allocate ids first, so parents and kids can refer to each other.
    let root_id = lo.new_object_id();
    let ids: Vec<ObjectId> = elems.iter().map(|_| lo.new_object_id()).collect();
    let mut parent_of = vec![root_id; elems.len()];
    for (i, e) in elems.iter().enumerate() {
        for k in &e.kids {
            if let Kid::Elem(c) = k {
                parent_of[*c] = ids[i];
            }
        }
    }
    for (i, e) in elems.iter().enumerate() {
        // Content all on one page is referred to by MCID alone, with the
        // page on the element; content over several pages by MCR.
        let pages_of: std::collections::BTreeSet<usize> = e
            .kids
            .iter()
            .filter_map(|k| match k {
                Kid::Content { page, .. } => Some(*page),
                Kid::Elem(_) | Kid::Annotation { .. } => None,
            })
            .collect();
        let one_page = (pages_of.len() == 1).then(|| pages_of.first().and_then(|p| page_ids.get(*p))).flatten();
        let kids: Vec<Object> = e
            .kids
            .iter()
            .filter_map(|k| match k {
                Kid::Elem(c) => Some(Object::Reference(ids[*c])),
                Kid::Content { mcid, .. } if one_page.is_some() => Some(Object::Integer(*mcid)),
                Kid::Content { page, mcid } => page_ids.get(*page).map(|&pg| {
                    Object::Dictionary(Dictionary::from_iter(vec![
                        ("Type", Object::Name(b"MCR".to_vec())),
                        ("Pg", Object::Reference(pg)),
                        ("MCID", Object::Integer(*mcid)),
                    ]))
                }),
                Kid::Annotation { page, annot } => page_ids.get(*page).map(|&pg| {
                    Object::Dictionary(Dictionary::from_iter(vec![
                        ("Type", Object::Name(b"OBJR".to_vec())),
                        ("Pg", Object::Reference(pg)),
                        ("Obj", Object::Reference(*annot)),
                    ]))
                }),
            })
            .collect();
        let mut d = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"StructElem".to_vec())),
            ("S", Object::Name(e.kind.as_bytes().to_vec())),
            ("P", Object::Reference(parent_of[i])),
            ("K", Object::Array(kids)),
        ]);
        if let Some(&pg) = one_page {
            d.set("Pg", Object::Reference(pg));
        }
        if e.kind == "Figure"
            && let Some((f, _)) = figure_elem.iter().find(|(_, x)| **x == i)
            && let Some(fig) = scene.figures.get(*f)
        {
            d.set("Alt", text_string(&fig.alt));
        }
        if let Some(cell) = e.cell {
            d.set("A", table_attributes(cell));
        }
        if let Some(t) = e.text_of.and_then(|p| texts.get(&p)) {
            d.set("ActualText", text_string(t));
        }
        if i == 0 && !scene.meta.language.is_empty() {
            d.set("Lang", Object::string_literal(scene.meta.language.as_str()));
        }
        lo.objects.insert(ids[i], Object::Dictionary(d));
    }
    let mut nums = Vec::new();
    for (pi, per_mcid) in parents.iter().enumerate() {
        nums.push(Object::Integer(pi as i64));
        nums.push(Object::Array(per_mcid.iter().map(|&e| Object::Reference(ids[e])).collect()));
    }
    // Annotations are keyed after the pages.
    for (k, &(annot, e)) in annotations.iter().enumerate() {
        let key = (pages.len() + k) as i64;
        nums.push(Object::Integer(key));
        nums.push(Object::Reference(ids[e]));
        if let Ok(d) = lo.get_dictionary_mut(annot) {
            d.set("StructParent", Object::Integer(key));
        }
    }
    let parent_tree = lo.add_object(Dictionary::from_iter(vec![("Nums", Object::Array(nums))]));
    lo.objects.insert(
        root_id,
        Object::Dictionary(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"StructTreeRoot".to_vec())),
            ("K", Object::Reference(ids[0])),
            ("ParentTree", Object::Reference(parent_tree)),
            ("ParentTreeNextKey", Object::Integer((pages.len() + annotations.len()) as i64)),
        ])),
    );
    for (pi, &pg) in page_ids.iter().enumerate() {
        if let Ok(d) = lo.get_dictionary_mut(pg) {
            d.set("StructParents", Object::Integer(pi as i64));
            d.set("Tabs", Object::Name(b"S".to_vec()));
        }
    }
    if let Ok(root) = lo.trailer.get(b"Root").and_then(|r| r.as_reference())
        && let Ok(cat) = lo.get_dictionary_mut(root)
    {
        cat.set("StructTreeRoot", Object::Reference(root_id));
        cat.set("MarkInfo", Object::Dictionary(Dictionary::from_iter(vec![("Marked", Object::Boolean(true))])));
        cat.set(
            "ViewerPreferences",
            Object::Dictionary(Dictionary::from_iter(vec![("DisplayDocTitle", Object::Boolean(true))])),
        );
    }
}

/// The table attributes of a cell: its spans, and a header cell's scope
/// (the column below it).
fn table_attributes(cell: crate::scene::TableCell) -> Object {
    let mut a = Dictionary::from_iter(vec![("O", Object::Name(b"Table".to_vec()))]);
    if cell.rowspan > 1 {
        a.set("RowSpan", Object::Integer(cell.rowspan as i64));
    }
    if cell.colspan > 1 {
        a.set("ColSpan", Object::Integer(cell.colspan as i64));
    }
    if cell.header {
        a.set("Scope", Object::Name(b"Column".to_vec()));
    }
    Object::Dictionary(a)
}

/// Text strings longer than this many bytes are written in hexadecimal.
const LONG_TEXT_STRING: usize = 4096;

/// A PDF text string object. Long ones are hexadecimal: in UTF-16BE many
/// Arabic-script letters have a low byte that is `(`, `)` or `\\`, and
/// lopdf escapes a literal string in time quadratic in their number (a
/// 50,000-word paragraph's text took most of a second).
fn text_string(text: &str) -> Object {
    let bytes = utf16be(text);
    let format = match bytes.len() > LONG_TEXT_STRING {
        true => lopdf::StringFormat::Hexadecimal,
        false => lopdf::StringFormat::Literal,
    };
    Object::String(bytes, format)
}

/// A PDF text string: UTF-16BE with its byte order mark.
fn utf16be(text: &str) -> Vec<u8> {
    let mut out = vec![0xFE, 0xFF];
    for u in text.encode_utf16() {
        out.extend_from_slice(&u.to_be_bytes());
    }
    out
}
