//! The [`Engine`]: the one value an embedder keeps. It holds the fonts
//! (bundled, and optionally the system's) and bounded caches of font files
//! and pictures read from disk and of painted page backgrounds, and is
//! `Send + Sync` and cheap to clone, so one engine serves every thread of a
//! service or a batch. Everything else goes through it: load a layout (from
//! a file or from a string), in a locale and with a data row, render it to
//! bytes with one [`RenderOptions`] value, preflight it.
//!
//! Nothing here prints, exits or keeps process-global state: two engines
//! share nothing, and dropping an engine frees its caches.

use crate::error::Error;
use crate::fonts::FontFiles;
use crate::model::Document;
use crate::model::locale::{DataRow, Locale};
use crate::picture::PictureFiles;
use crate::scene::Scene;
use crate::{Format, RenderOptions, Rendered, export, layout, preflight};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// State shared by every render of an engine.
#[derive(Default)]
pub(crate) struct Shared {
    pub(crate) fonts: FontFiles,
    pub(crate) pictures: PictureFiles,
    pub(crate) raster: export::raster::RasterCache,
    pub(crate) paragraphs: crate::text::ParagraphCache,
    /// Fonts installed on the system, found on first use when enabled.
    system: Option<OnceLock<crate::fonts::SystemFonts>>,
    /// The folder layouts may read files from (see `files`); `None`: per layout.
    pub(crate) root: Option<PathBuf>,
    /// How much work one document may ask for.
    pub(crate) limits: crate::Limits,
}

impl Shared {
    /// The system's fonts, when the engine was asked to use them.
    pub(crate) fn system_fonts(&self) -> Option<&crate::fonts::SystemFonts> {
        self.system.as_ref().map(|s| s.get_or_init(crate::fonts::SystemFonts::scan))
    }
}

/// How [`Engine::shape`] shapes a text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ShapeOptions {
    /// A font file; the bundled Vazirmatn Regular when `None`.
    pub font: Option<PathBuf>,
    /// The direction; `Auto` guesses it from the script as hb-shape does
    /// (with `bidi`: from the first strong character).
    pub direction: crate::model::Direction,
    /// Lay the text out as one line of a paragraph (bidi runs, reordering)
    /// and give every glyph in visual order, left to right.
    pub bidi: bool,
    /// OpenType features, as `hb-shape --features` takes them (`"tnum"`,
    /// `"-liga"`, `"ss01"`): a style's `features`.
    pub features: Vec<String>,
}

/// Typesets layouts: fonts, caches and the render call.
///
/// ```
/// let engine = nashr::Engine::new();
/// let layout = r#"
/// [page]
/// size = "A6"
/// margin = "10mm"
/// [[frame]]
/// [[frame.block]]
/// type = "paragraph"
/// text = "سلام دنیا"
/// "#;
/// let doc = engine.load_str("hello.toml", layout)?;
/// let pdf = engine.render(&doc, &nashr::RenderOptions::new(nashr::Format::Pdf))?;
/// assert!(pdf.bytes.starts_with(b"%PDF"));
/// let png = engine.render(&doc, &nashr::RenderOptions::new(nashr::Format::Png))?;
/// assert_eq!(png.pixels, Some((397, 559)));
/// # Ok::<(), nashr::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct Engine {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("font_files", &self.shared.fonts.len())
            .field("pictures", &self.shared.pictures.len())
            .field("paragraphs", &self.shared.paragraphs.len())
            .field("system_fonts", &self.shared.system.is_some())
            .finish()
    }
}

/// The source text of a layout and the name it goes by in messages; its
/// folder anchors the font, picture and locale files it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutSource {
    name: PathBuf,
    text: String,
}

impl LayoutSource {
    /// Read a layout file.
    pub fn read(path: impl AsRef<Path>) -> Result<LayoutSource, Error> {
        let path = path.as_ref();
        let text = crate::files::read_text(path, crate::files::LAYOUT_LIMIT)
            .map_err(|err| Error::read("layout", path, err))?;
        Ok(LayoutSource { name: path.to_path_buf(), text })
    }

    /// A layout held in memory; `name` is used in messages (`invite.toml:3:9`)
    /// and its folder anchors relative file names.
    pub fn new(name: impl Into<PathBuf>, text: impl Into<String>) -> LayoutSource {
        LayoutSource { name: name.into(), text: text.into() }
    }

    /// The name messages use.
    pub fn name(&self) -> &Path {
        &self.name
    }

    /// The TOML text.
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl Engine {
    /// An engine with the bundled fonts (Vazirmatn Regular, Medium, Bold and
    /// Black) and empty caches.
    pub fn new() -> Engine {
        Engine::default()
    }

    /// An engine that also offers the fonts installed on the system (found
    /// with fontdb on first use) to layouts that name their families.
    pub fn with_system_fonts() -> Engine {
        Engine { shared: Arc::new(Shared { system: Some(OnceLock::new()), ..Shared::default() }) }
    }

    /// This engine, letting layouts read the files they name (locales,
    /// fonts, pictures, profiles) anywhere inside `dir` — by default a
    /// layout reads inside the working folder when it lies in it, else
    /// inside its own folder. Paths outside the root are refused.
    pub fn with_root(self, dir: impl Into<PathBuf>) -> Engine {
        let system = self.shared.system.as_ref().map(|_| OnceLock::new());
        let limits = self.shared.limits;
        Engine { shared: Arc::new(Shared { system, root: Some(dir.into()), limits, ..Shared::default() }) }
    }

    /// This engine with other budgets: how many pages, glyphs, picture
    /// pixels and QR codes one document may ask for (see [`Limits`](crate::Limits)).
    /// A document over a limit is an error that names it.
    pub fn with_limits(self, limits: crate::Limits) -> Engine {
        let system = self.shared.system.as_ref().map(|_| OnceLock::new());
        let root = self.shared.root.clone();
        Engine { shared: Arc::new(Shared { system, root, limits, ..Shared::default() }) }
    }

    /// The budgets of this engine's documents.
    pub fn limits(&self) -> crate::Limits {
        self.shared.limits
    }

    /// Read and resolve a layout file in its default locale.
    pub fn load(&self, path: impl AsRef<Path>) -> Result<Document, Error> {
        self.load_with(&LayoutSource::read(path)?, None, None)
    }

    /// Resolve a layout held in a string; `name` is used in messages.
    pub fn load_str(&self, name: impl Into<PathBuf>, source: &str) -> Result<Document, Error> {
        self.load_with(&LayoutSource::new(name, source), None, None)
    }

    /// Resolve a layout in a locale (`None`: the layout's default) with a
    /// data row whose columns fill `{{column}}` placeholders.
    pub fn load_with(
        &self,
        source: &LayoutSource,
        locale: Option<&Locale>,
        row: Option<&DataRow>,
    ) -> Result<Document, Error> {
        crate::model::resolve_source(&self.shared, &source.text, &source.name, locale, row, false)
    }

    /// [`Engine::load_with`], with a data row whose values are plain text:
    /// a `**`, `[` or `\\` in them is printed as written, never read as
    /// bold or a link. For values from untrusted hands (a web request).
    ///
    /// ```
    /// let engine = nashr::Engine::new();
    /// let source = nashr::LayoutSource::new("card.toml", "[page]\nsize = \"A6\"\n[[frame]]\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"{{name}}\"\n");
    /// let row = nashr::DataRow { number: 1, file: "query".into(), values: [("name".into(), "**[x](https://example.com)**".into())].into() };
    /// let doc = engine.load_with_text(&source, None, &row)?;
    /// assert_eq!(engine.layout(&doc)?.page_paragraphs(0), ["**[x](https://example.com)**"]);
    /// # Ok::<(), nashr::Error>(())
    /// ```
    pub fn load_with_text(
        &self,
        source: &LayoutSource,
        locale: Option<&Locale>,
        row: &DataRow,
    ) -> Result<Document, Error> {
        crate::model::resolve_source(&self.shared, &source.text, &source.name, locale, Some(row), true)
    }

    /// Read a locale file: its language, direction, digits and strings.
    ///
    /// ```no_run
    /// let en = nashr::Engine::new().locale("locales/en.toml")?;
    /// assert_eq!(en.language, "en");
    /// # Ok::<(), nashr::Error>(())
    /// ```
    pub fn locale(&self, path: impl AsRef<Path>) -> Result<Locale, Error> {
        let path = path.as_ref();
        let text = crate::files::read_text(path, crate::files::LAYOUT_LIMIT)
            .map_err(|err| Error::read("locale", path, err))?;
        Ok(Locale::parse(&text, path)?)
    }

    /// Read the rows of a data file for variable-data printing: a CSV file
    /// whose header line names the columns, or a TOML file of `[[row]]`
    /// tables of strings. A file with no rows is an error.
    pub fn rows(&self, path: impl AsRef<Path>) -> Result<Vec<DataRow>, Error> {
        crate::model::locale::load_rows(path.as_ref())
    }

    /// The rows of a data file held in a string (a form upload, a request
    /// body); `name` is used in messages, and ends in `.toml` for `[[row]]`
    /// tables, else the text is CSV.
    ///
    /// ```
    /// let rows = nashr::Engine::new().rows_from_str("guests.csv", "name\nمریم\nSara\n")?;
    /// assert_eq!(rows.len(), 2);
    /// assert_eq!(rows[0].values["name"], "مریم");
    /// # Ok::<(), nashr::Error>(())
    /// ```
    pub fn rows_from_str(&self, name: impl AsRef<Path>, text: &str) -> Result<Vec<DataRow>, Error> {
        crate::model::locale::parse_rows(text, name.as_ref())
    }

    /// Lay a document out: pages of positioned glyphs, shapes and pictures.
    ///
    /// ```
    /// let engine = nashr::Engine::new();
    /// let doc = engine.load_str("hello.toml", "[page]\nsize = \"A6\"\n[[frame]]\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"سلام دنیا\"\n")?;
    /// let scene = engine.layout(&doc)?;
    /// assert_eq!(scene.page_paragraphs(0), ["سلام دنیا"]);
    /// # Ok::<(), nashr::Error>(())
    /// ```
    pub fn layout(&self, doc: &Document) -> Result<Scene, Error> {
        Ok(layout::layout_cached(doc, Some(&self.shared.paragraphs))?)
    }

    /// Lay out and export a document as `opts` say.
    pub fn render(&self, doc: &Document, opts: &RenderOptions) -> Result<Rendered, Error> {
        opts.validate()?;
        let scene = self.layout(doc)?;
        let bytes = self.export(&scene, opts)?;
        let pixels = match opts.format.is_raster() {
            true => Some(export::raster::pixel_size(&scene, &raster_options(opts))?),
            false => None,
        };
        Ok(Rendered { bytes, scene, pixels })
    }

    /// Export a laid-out scene to the bytes of `opts.format`: a PDF of every
    /// page, the scene as JSON, or one page as a PNG or JPEG image.
    ///
    /// ```
    /// let engine = nashr::Engine::new();
    /// let doc = engine.load_str("post.toml", "[page]\nsize = \"instagram-square\"\n")?;
    /// let scene = engine.layout(&doc)?;
    /// let json = engine.export(&scene, &nashr::RenderOptions::new(nashr::Format::Json))?;
    /// assert!(json.starts_with(b"{\n  \"format\": 1,"));
    /// let png = engine.export(&scene, &nashr::RenderOptions::new(nashr::Format::Png))?;
    /// let image = tiny_skia::Pixmap::decode_png(&png).unwrap();
    /// assert_eq!((image.width(), image.height()), (1080, 1080));
    /// # Ok::<(), nashr::Error>(())
    /// ```
    pub fn export(&self, scene: &Scene, opts: &RenderOptions) -> Result<Vec<u8>, Error> {
        opts.validate()?;
        let raster = raster_options(opts);
        let cache = Some(&self.shared.raster);
        Ok(match opts.format {
            Format::Pdf => export::pdf::to_pdf(scene, opts.compression)?,
            Format::Json => export::json::to_json(scene).into_bytes(),
            Format::Png => export::raster::to_png(scene, &raster, cache)?,
            Format::Jpeg => export::raster::to_jpeg(scene, &raster, opts.quality, cache)?,
        })
    }

    /// Shape `text` and print its glyphs as `hb-shape --no-glyph-names`
    /// does (`[gid=cluster+advance|…]`, font units, clusters as character
    /// indices), to compare with HarfBuzz.
    ///
    /// ```
    /// let engine = nashr::Engine::new();
    /// let glyphs = engine.shape("اسلامی", &nashr::ShapeOptions::default())?;
    /// assert_eq!(glyphs, "[1129=5+1329|1267=4+1132|1302=2+1234|1218=1+1615|681=0+475]");
    /// # Ok::<(), nashr::Error>(())
    /// ```
    pub fn shape(&self, text: &str, opts: &ShapeOptions) -> Result<String, Error> {
        let mut book = crate::fonts::FontBook::with_bundled();
        let face = match &opts.font {
            Some(p) => book.load_file(&self.shared.fonts, p)?,
            None => book.resolve(crate::fonts::DEFAULT_FAMILY, 400)?,
        };
        if let Some(bad) =
            opts.features.iter().find(|f| crate::text::shape::parse_features(&[f.to_string()]).is_empty())
        {
            return Err(Error::Options(format!(
                "\"{bad}\" is not an OpenType feature; write a tag like \"tnum\", \"-liga\" or \"salt=2\""
            )));
        }
        let mut shaper = crate::text::shape::Shaper::new(&book, "");
        let features = &opts.features;
        let glyphs = if opts.bidi {
            crate::text::hb::shape_line(&mut shaper, face, text, opts.direction, features)
        } else {
            crate::text::hb::shape_run(&mut shaper, face, text, opts.direction, features)
        };
        Ok(crate::text::hb::format(&glyphs))
    }

    /// The fonts layouts can name: the bundled Vazirmatn weights and colour
    /// emoji, and the system's when the engine was made
    /// [`with_system_fonts`](Engine::with_system_fonts), each with how much
    /// of the Persian, Sorani and Arabic alphabets it has.
    ///
    /// ```
    /// let fonts = nashr::Engine::new().fonts();
    /// let vazirmatn: Vec<_> = fonts.iter().filter(|f| f.family == "Vazirmatn").collect();
    /// assert_eq!(vazirmatn.len(), 4);
    /// assert!(vazirmatn.iter().all(|f| f.coverage[0].percent() == 100));
    /// assert!(fonts.iter().any(|f| f.family == "Nashr Emoji"));
    /// ```
    pub fn fonts(&self) -> Vec<crate::FontInfo> {
        crate::fonts::list(self.shared.system_fonts())
    }

    /// Preflight a document for print (see [`preflight`]).
    pub fn check(&self, doc: &Document) -> preflight::Report {
        preflight::check(doc)
    }

    /// Preflight a scene already laid out (the frames are named by the
    /// scene's provenance).
    pub fn check_scene(&self, scene: &Scene) -> preflight::Report {
        preflight::check_scene(scene)
    }
}

/// The raster exporter's options for `opts` (a 0-based page).
fn raster_options(opts: &RenderOptions) -> export::raster::RasterOptions {
    export::raster::RasterOptions {
        scale: opts.pixels_per_point(),
        page: opts.page.saturating_sub(1) as usize,
        compression: opts.compression,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_engine_is_shared_across_threads() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<Engine>();
    }

    #[test]
    fn a_layout_in_a_string_names_itself_in_errors() {
        let e = Engine::new().load_str("poster.toml", "[page]\nsize = \"A9\"\n").unwrap_err();
        let shown = e.to_string();
        assert!(shown.contains("poster.toml:2:8"), "{shown}");
    }
}
