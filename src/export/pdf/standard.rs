//! What printpdf's conformance settings leave to fix, and PDF/X.
//!
//! printpdf 0.12 writes `/GTS_PDFXVersion ()` into every document's Info
//! (claiming a PDF/X version it is not), declares PDF 1.3 even when the file
//! uses transparency (a PDF 1.4 feature), writes XMP metadata with a random
//! instance id (so two renders differ) and no language, and gives PDF/X-1a
//! no output intent although the standard requires one; its PDF/X-4 output
//! intent names the profile `/DestinationOutputProfile` (the key is
//! `/DestOutputProfile`) and carries a licence text. This module sets
//! the version, cleans the Info, writes deterministic XMP metadata, and
//! makes the output intent name the layout's ICC profile when it has one.

use super::PdfError;
use crate::base::PdfStandard;
use crate::scene::Scene;
use lopdf::{Dictionary, Object, Stream, StringFormat};

/// Fix the document-level entries for the Scene's print settings. Returns
/// the object that is to carry the bundled FOGRA39 profile, if the output
/// intent embeds it: that stream is added empty (with its `/Length`), and
/// [`bundled_profile_body`] gives the bytes the file writer writes in it,
/// straight from the binary rather than copied into the document first.
pub(super) fn finish(lo: &mut lopdf::Document, scene: &Scene) -> Result<Option<lopdf::ObjectId>, PdfError> {
    let standard = scene.print.standard;
    lo.version = match standard {
        Some(PdfStandard::X1a) => "1.3".into(),
        _ => "1.6".into(),
    };
    let info_id = lo.trailer.get(b"Info").and_then(|o| o.as_reference()).ok();
    if let Some(id) = info_id
        && let Ok(info) = lo.get_dictionary_mut(id)
    {
        match standard {
            None => {
                info.remove(b"GTS_PDFXVersion");
            }
            Some(s) => {
                info.set("GTS_PDFXVersion", Object::String(pdfx_version(s).as_bytes().to_vec(), StringFormat::Literal))
            }
        }
        info.remove(b"Identifier");
    }
    let root = lo.trailer.get(b"Root").and_then(|o| o.as_reference()).map_err(|e| PdfError::Write(e.to_string()))?;
    // printpdf's own XMP (with a random instance id) goes; ours replaces it.
    let old = lo.get_dictionary(root).ok().and_then(|c| c.get(b"Metadata").ok()).and_then(|m| m.as_reference().ok());
    if let Some(id) = old {
        lo.objects.remove(&id);
    }
    if standard.is_some() || scene.meta.tagged {
        let xmp = xmp(scene, standard);
        let mut stream = Stream::new(
            Dictionary::from_iter(vec![
                ("Type", Object::Name(b"Metadata".to_vec())),
                ("Subtype", Object::Name(b"XML".to_vec())),
            ]),
            xmp.into_bytes(),
        );
        // Metadata stays uncompressed so tools can read it without inflating.
        stream.allows_compression = false;
        let meta = lo.add_object(stream);
        if let Ok(cat) = lo.get_dictionary_mut(root) {
            cat.set("Metadata", Object::Reference(meta));
        }
        if standard.is_some() {
            let (intent, bundled) = output_intent(lo, scene);
            if let Ok(cat) = lo.get_dictionary_mut(root) {
                cat.set("OutputIntents", Object::Array(vec![intent]));
            }
            return Ok(bundled);
        }
    } else if let Ok(cat) = lo.get_dictionary_mut(root) {
        cat.remove(b"Metadata");
    }
    Ok(None)
}

/// The deflated bytes of the bundled FOGRA39 profile, the body of the
/// stream [`finish`] names.
pub(super) fn bundled_profile_body() -> &'static [u8] {
    crate::export::FOGRA39_DEFLATED
}

fn pdfx_version(s: PdfStandard) -> &'static str {
    match s {
        PdfStandard::X4 => "PDF/X-4",
        PdfStandard::X1a => "PDF/X-1a:2001",
    }
}

/// The output intent: the layout's ICC profile when it names one, else the
/// bundled Coated FOGRA39 (PDF/X-4), else the registered condition alone
/// (FOGRA39 by default), which PDF/X-1a accepts.
fn output_intent(lo: &mut lopdf::Document, scene: &Scene) -> (Object, Option<lopdf::ObjectId>) {
    let p = &scene.print;
    let condition = p.output_condition.clone();
    let mut d = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"OutputIntent".to_vec())),
        ("S", Object::Name(b"GTS_PDFX".to_vec())),
        ("OutputConditionIdentifier", Object::String(condition.clone().into_bytes(), StringFormat::Literal)),
        ("OutputCondition", Object::String(condition.into_bytes(), StringFormat::Literal)),
        ("RegistryName", Object::String(b"http://www.color.org".to_vec(), StringFormat::Literal)),
    ]);
    // The profile embedded, and the `/Info` naming the bundled one.
    let (profile, info): (Option<&[u8]>, Option<&[u8]>) = match &p.icc_profile {
        Some((_, bytes)) => (Some(bytes), None),
        None if p.standard == Some(PdfStandard::X4) => {
            (Some(crate::export::FOGRA39), Some(b"Coated FOGRA39 (ISO 12647-2:2004)"))
        }
        None => (None, None),
    };
    let mut bundled = None;
    if let Some(bytes) = profile {
        let (id, is_bundled) = profile_stream(lo, bytes);
        d.set("DestOutputProfile", Object::Reference(id));
        bundled = is_bundled.then_some(id);
    }
    if let Some(info) = info {
        d.set("Info", Object::String(info.to_vec(), StringFormat::Literal));
    }
    (Object::Dictionary(d), bundled)
}

/// A CMYK ICC profile as a deflated stream, and whether it is the bundled
/// FOGRA39. That one comes deflated from the build, and its stream is left
/// empty here with the `/Length` of [`bundled_profile_body`], which the file
/// writer writes; another profile is deflated at level 1 once per process
/// (it is hundreds of kilobytes, and the same in every file).
fn profile_stream(lo: &mut lopdf::Document, profile: &[u8]) -> (lopdf::ObjectId, bool) {
    let mut dict = Dictionary::from_iter(vec![("N", Object::Integer(4))]);
    if profile == crate::export::FOGRA39 {
        dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        let mut stream = Stream::new(dict, Vec::new());
        stream.dict.set("Length", bundled_profile_body().len() as i64);
        stream.allows_compression = false;
        return (lo.add_object(stream), true);
    }
    let deflated = deflated_once(profile);
    let mut stream = if deflated.is_empty() {
        Stream::new(dict, profile.to_vec())
    } else {
        dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        Stream::new(dict, deflated)
    };
    stream.allows_compression = false;
    (lo.add_object(stream), false)
}

/// `profile` deflated at level 1, remembered for the last profile seen;
/// empty if deflate failed.
fn deflated_once(profile: &[u8]) -> Vec<u8> {
    /// (length, hash) of the profile and its deflated bytes.
    type Deflated = Option<(usize, u64, Vec<u8>)>;
    static DEFLATED: std::sync::OnceLock<std::sync::Mutex<Deflated>> = std::sync::OnceLock::new();
    let key = (profile.len(), super::fnv1a(super::FNV_OFFSET, profile.iter().copied()));
    let cache = DEFLATED.get_or_init(Default::default);
    let Ok(mut slot) = cache.lock() else { return super::deflate::deflate(profile, 1) };
    match slot.as_ref() {
        Some((len, hash, bytes)) if (*len, *hash) == key => bytes.clone(),
        _ => {
            let bytes = super::deflate::deflate(profile, 1);
            *slot = Some((key.0, key.1, bytes.clone()));
            bytes
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// XMP metadata with no random parts: ids derived from the title and the
/// date, so the same inputs give the same bytes.
fn xmp(scene: &Scene, standard: Option<PdfStandard>) -> String {
    let m = &scene.meta;
    let epoch = super::source_date_epoch();
    let date = format_date(epoch);
    let h = super::fnv1a(super::FNV_OFFSET, m.title.bytes().chain(m.author.bytes()).chain(epoch.to_le_bytes()));
    let uuid = format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        h >> 32,
        (h >> 16) & 0xffff,
        h & 0xfff,
        (h >> 20) & 0xfff,
        h & 0xffff_ffff_ffff
    );
    let lang = if m.language.is_empty() { "x-default".to_string() } else { escape(&m.language) };
    format!(
        r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdfx="http://ns.adobe.com/pdfx/1.3/"
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
   <pdf:Producer>nashr {version} (printpdf)</pdf:Producer>
   <pdf:Trapped>False</pdf:Trapped>
   <xmp:CreatorTool>nashr {version}</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
   <xmpMM:DocumentID>uuid:{uuid}</xmpMM:DocumentID>
   <xmpMM:InstanceID>uuid:{uuid}</xmpMM:InstanceID>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
{pdfx}{pdfua}  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#,
        title = escape(&m.title),
        author = escape(&m.author),
        subject = escape(&m.subject),
        version = env!("CARGO_PKG_VERSION"),
        pdfx = standard.map_or(String::new(), |s| format!(
            "   <pdfx:GTS_PDFXVersion>{v}</pdfx:GTS_PDFXVersion>\n   <pdfxid:GTS_PDFXVersion>{v}</pdfxid:GTS_PDFXVersion>\n",
            v = pdfx_version(s)
        )),
        pdfua = if scene.meta.tagged { "   <pdfuaid:part>1</pdfuaid:part>\n" } else { "" },
    )
}

/// An ISO 8601 date (UTC) for a Unix time.
fn format_date(epoch: i64) -> String {
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + (m <= 2) as i64;
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_format() {
        assert_eq!(super::format_date(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::format_date(1_700_000_000), "2023-11-14T22:13:20Z");
    }
}
