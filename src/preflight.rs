//! Preflight: the checks a print shop runs before it accepts a file, run
//! before the file is sent.
//!
//! [`Engine::check`](crate::Engine::check) lays out a resolved
//! [`Document`] and inspects the [`Scene`]
//! (or the layout error) for what would make a printer pick up the phone:
//! text that does not fit or cannot be shown, fonts that may not be
//! embedded, text too small to read, text too close to or past the trim,
//! pictures with too few pixels, too much ink, and RGB colours in a CMYK
//! job. Each problem is a [`Finding`]: one line, `error: …` or
//! `warning: …`, naming the page, the frame or the file and the numbers.
//! Errors make a file unfit to print; warnings deserve a look.
//!
//! Places are named from the Scene's provenance: each item's
//! [`Origin`] points at the frame that placed it
//! ([`ScenePage::frames`](crate::scene::ScenePage::frames)), and page
//! backgrounds belong to no frame. Nothing is guessed from geometry.
//!
//! ```
//! let src = r##"
//! [page]
//! size = "A6"
//! margin = "10mm"
//! [styles.body]
//! size = "5pt"
//! color = "cmyk(100, 100, 100, 100)"
//! [[frame]]
//! [[frame.block]]
//! type = "paragraph"
//! text = "سلام دنیا"
//! "##;
//! let engine = nashr::Engine::new();
//! let doc = engine.load_str("inline.toml", src)?;
//! let report = engine.check(&doc);
//! assert!(!report.has_errors());
//! assert_eq!(report.count(nashr::preflight::Severity::Warning), 2);
//! for f in &report.findings {
//!     println!("{f}"); // "warning: smallest text is 5 pt …", "warning: colour cmyk(100, 100, 100, 100) has 400 % …"
//! }
//! println!("{report}"); // every finding, then "0 errors, 2 warnings"
//! # Ok::<(), nashr::Error>(())
//! ```
//!
//! | Check | Severity | Threshold |
//! |---|---|---|
//! | [`Check::Overflow`] | error | any layout error |
//! | [`Check::MissingGlyph`] | error | any character no font has |
//! | [`Check::FontEmbedding`] | error | OS/2 `fsType` forbids embedding or subsetting |
//! | [`Check::SmallText`] | warning | under [`MIN_PRINT_TEXT_PT`] (6 pt); screens: [`MIN_SCREEN_TEXT_PX`] (12 px) |
//! | [`Check::SafeArea`] | warning | text closer to the trim than `[print] safe_margin` (3 mm by default) |
//! | [`Check::TextInBleed`] | error | text past the trim |
//! | [`Check::ImageResolution`] | warning | under [`MIN_PICTURE_PPI`] (300 ppi), print jobs only |
//! | [`Check::InkCoverage`] | warning | over [`MAX_TOTAL_INK`] (300 %), CMYK jobs or colours given in CMYK |
//! | [`Check::RgbInCmyk`] | warning | RGB colours and pictures in a CMYK job, each once |
//!
//! Fonts are always embedded, as subsets, by nashr's PDF writer; the font
//! check makes sure their licences allow it.
//!
//! A job is a *screen* job (a social image) when it has no bleed, no
//! printer's marks, no PDF standard and RGB colours — what the pixel page
//! presets resolve to. Every other job is a *print* job. The checks that only
//! make sense on paper (picture resolution) are skipped for screen jobs, and
//! the smallest-text threshold is in pixels there.

use crate::layout::{self, LayoutError};
use crate::model::{ColorMode, Document, Print, Rgb, values::PT_PER_MM, values::PT_PER_PX};
use crate::scene::{GlyphRun, Item, Origin, Paint, Scene};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

/// Print jobs: text smaller than this (in points) is a warning; it is the
/// usual floor for legible print (Persian dots and joins blur below it).
pub const MIN_PRINT_TEXT_PT: f32 = 6.0;

/// Screen jobs: text smaller than this (in `px`, 1 px = 0.75 pt, so 9 pt) is
/// a warning; it is hard to read on a phone.
pub const MIN_SCREEN_TEXT_PX: f32 = 12.0;

/// Print jobs: pictures drawn at fewer pixels per inch than this are a
/// warning (they print soft or pixelated).
pub const MIN_PICTURE_PPI: f32 = 300.0;

/// Total area coverage (C + M + Y + K, in percent) above which a colour is a
/// warning: most presses and papers smear or set off above 300 %.
pub const MAX_TOTAL_INK: f32 = 300.0;

/// The box of a glyph run, for the safe-area and bleed checks, reaches this
/// far above the baseline (a multiple of the font size) …
pub(crate) const TEXT_ASCENT: f32 = 0.8;

/// … and this far below it.
pub(crate) const TEXT_DESCENT: f32 = 0.3;

/// How many places a finding names before it says "and N more".
const MAX_PLACES: usize = 3;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// The file is not fit to print.
    Error,
    /// Worth a look; the file can still be printed.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// Which check found something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Check {
    /// Text that does not fit its frame (error): the layout error itself.
    Overflow,
    /// A character no font can show (error).
    MissingGlyph,
    /// A font whose licence (OS/2 `fsType`) forbids embedding or subsetting
    /// (error). nashr always embeds every font it uses, subset to the glyphs
    /// drawn, so "restricted licence embedding", "no subsetting" and "bitmap
    /// embedding only" faces cannot be used; preview-and-print, editable and
    /// installable faces can.
    FontEmbedding,
    /// Text under [`MIN_PRINT_TEXT_PT`] (print) or [`MIN_SCREEN_TEXT_PX`] (screen) (warning).
    SmallText,
    /// Text closer to the trim than the layout's `safe_margin` (warning).
    SafeArea,
    /// Text past the trim, in the bleed: it will be cut off (error).
    TextInBleed,
    /// A picture under [`MIN_PICTURE_PPI`] in a print job (warning).
    ImageResolution,
    /// A colour with more than [`MAX_TOTAL_INK`] percent of ink (warning).
    InkCoverage,
    /// An RGB colour or picture converted to CMYK by rule in a CMYK job
    /// (warning). Neutral ones (greys, black, white) are not reported: the
    /// rule turns them into K alone, exactly.
    RgbInCmyk,
}

/// One problem: a line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Whether the file is unfit to print or deserves a look.
    pub severity: Severity,
    /// The check that found it.
    pub check: Check,
    /// What is wrong, where and by how much, in one line.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.severity, self.message)
    }
}

/// All findings of a preflight, errors first.
///
/// Displays as one line per finding followed by a summary line such as
/// `2 errors, 1 warning`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The findings, errors first.
    pub findings: Vec<Finding>,
}

impl Report {
    /// Whether any finding is an error: the file is not fit to print.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// How many findings have this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }

    /// The findings of one check.
    pub fn of(&self, check: Check) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.check == check)
    }

    /// Add a finding unless the same check already said the same thing.
    fn push(&mut self, severity: Severity, check: Check, message: String) {
        if !self.findings.iter().any(|f| f.check == check && f.message == message) {
            self.findings.push(Finding { severity, check, message });
        }
    }

    /// The summary line: `2 errors, 1 warning`.
    pub fn summary(&self) -> String {
        let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        format!(
            "{}, {}",
            plural(self.count(Severity::Error), "error"),
            plural(self.count(Severity::Warning), "warning")
        )
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for finding in &self.findings {
            writeln!(f, "{finding}")?;
        }
        write!(f, "{}", self.summary())
    }
}

/// Lay out a document and preflight it.
///
/// A layout error (text that overflows its frame, a frame too short for one
/// line, a flow that never ends) is an [`Check::Overflow`] error; the other
/// checks then run on the layout without that frame's text, so one run
/// reports every problem.
pub(crate) fn check(doc: &Document) -> Report {
    let mut report = Report::default();
    let mut doc = Cow::Borrowed(doc);
    loop {
        match layout::layout(&doc) {
            Ok(scene) => {
                check_into(&mut report, &scene);
                break;
            }
            Err(e) => {
                report.push(Severity::Error, Check::Overflow, e.to_string());
                if !drop_text_of(doc.to_mut(), failing_frame(&e)) {
                    break;
                }
            }
        }
    }
    sort(&mut report);
    report
}

/// Preflight a scene already laid out. Places are named from each item's
/// [`Origin`] and its page's frames.
pub(crate) fn check_scene(scene: &Scene) -> Report {
    let mut report = Report::default();
    check_into(&mut report, scene);
    sort(&mut report);
    report
}

/// Whether a job is for screens (see the module documentation).
pub(crate) fn is_screen_job(print: &Print) -> bool {
    print.bleed <= 0.0 && print.marks.is_empty() && print.standard.is_none() && print.color_mode == ColorMode::Rgb
}

fn sort(report: &mut Report) {
    report.findings.sort_by_key(|f| f.severity);
}

fn failing_frame(e: &LayoutError) -> &str {
    match e {
        LayoutError::Overflow { frame, .. }
        | LayoutError::TooShort { frame, .. }
        | LayoutError::TooManyPages { frame, .. }
        | LayoutError::WordTooWide { frame, .. }
        | LayoutError::PagesExceeded { frame, .. } => frame,
        LayoutError::Limit(_) => "",
    }
}

/// Remove the blocks of the frames named `name` (or of the frames whose
/// flow they continue); whether anything changed.
fn drop_text_of(doc: &mut Document, name: &str) -> bool {
    let mut changed = false;
    for i in 0..doc.frames.len() {
        if doc.frames[i].continuation {
            continue;
        }
        // The frame and the frames its text flows into.
        let mut chain = Some(i);
        let mut named = false;
        let mut steps = 0;
        while let Some(c) = chain
            && steps <= doc.frames.len()
        {
            named |= doc.frames[c].name == name;
            chain = doc.frames[c].next;
            steps += 1;
        }
        if named && !doc.frames[i].blocks.is_empty() {
            doc.frames[i].blocks.clear();
            changed = true;
        }
    }
    changed
}

fn check_into(report: &mut Report, scene: &Scene) {
    let cx = Ctx { scene, excerpts: Default::default() };
    missing_glyphs(report, scene);
    fonts(report, scene);
    small_text(report, &cx);
    safe_area(report, &cx);
    if !is_screen_job(&scene.print) {
        picture_resolution(report, &cx);
    }
    ink(report, &cx);
}

/// Each character no font has, with where it is.
fn missing_glyphs(report: &mut Report, scene: &Scene) {
    for m in &scene.missing {
        report.push(
            Severity::Error,
            Check::MissingGlyph,
            format!(
                "no font has a glyph for {:?} (U+{:04X}) in {}, character {}; it would print as an empty box",
                m.ch,
                m.ch as u32,
                m.origin,
                m.char_index + 1
            ),
        );
    }
}

/// Fonts must allow embedding: nashr always embeds every font it uses, as a
/// subset of the glyphs drawn, so a face whose OS/2 `fsType` says
/// "restricted licence embedding", "no subsetting" or "bitmap embedding
/// only" cannot go into the PDF within its licence. Preview-and-print,
/// editable and installable faces are fine.
fn fonts(report: &mut Report, scene: &Scene) {
    use ttf_parser::Permissions;
    for font in &scene.fonts {
        let face: &ttf_parser::Face = font.face.face();
        let name = format!("font {} {} ({})", font.family, font.weight, font.source);
        let problem = match face.permissions() {
            Some(Permissions::Restricted) => Some("its licence forbids embedding (OS/2 fsType: restricted)"),
            None if face.tables().os2.is_some() => {
                Some("its embedding permissions (OS/2 fsType) are malformed, so embedding is not clearly allowed")
            }
            _ if !face.is_subsetting_allowed() => {
                Some("its licence forbids subsetting (OS/2 fsType: no subsetting), and nashr embeds subsets")
            }
            _ if !face.is_outline_embedding_allowed() => {
                Some("its licence allows only bitmap embedding (OS/2 fsType), and nashr embeds outlines")
            }
            _ => None,
        };
        if let Some(problem) = problem {
            report.push(
                Severity::Error,
                Check::FontEmbedding,
                format!("{name}: {problem}; the PDF must embed every font it uses — use a font licensed for embedding"),
            );
        }
    }
}

/// The smallest text, in print jobs under [`MIN_PRINT_TEXT_PT`], in screen
/// jobs under [`MIN_SCREEN_TEXT_PX`].
fn small_text(report: &mut Report, cx: &Ctx) {
    let mut smallest: Option<(usize, &GlyphRun)> = None;
    for (page, run) in cx.runs() {
        if smallest.is_none_or(|(_, s)| run.size < s.size - 1e-3) {
            smallest = Some((page, run));
        }
    }
    let Some((page, run)) = smallest else { return };
    let place = cx.text_place(page, run);
    if is_screen_job(&cx.scene.print) {
        let px = run.size / PT_PER_PX;
        if px < MIN_SCREEN_TEXT_PX - 1e-3 {
            report.push(
                Severity::Warning,
                Check::SmallText,
                format!(
                    "smallest text is {} px ({} pt): {place}; text for screens should be at least {} px",
                    num(px),
                    num(run.size),
                    num(MIN_SCREEN_TEXT_PX)
                ),
            );
        }
    } else if run.size < MIN_PRINT_TEXT_PT - 1e-3 {
        report.push(
            Severity::Warning,
            Check::SmallText,
            format!(
                "smallest text is {} pt: {place}; printed text should be at least {} pt",
                num(run.size),
                num(MIN_PRINT_TEXT_PT)
            ),
        );
    }
}

/// Text boxes past the trim (errors) or inside the safe margin (warnings),
/// one finding per frame and page at its worst point.
fn safe_area(report: &mut Report, cx: &Ctx) {
    let safe = cx.scene.print.safe_margin;
    // (page, frame on the page or paragraph) → the closest run and its distance and edge.
    type Key = (usize, Option<usize>, usize);
    let mut worst: Vec<(Key, f32, &'static str, &GlyphRun)> = Vec::new();
    for (page, run) in cx.runs() {
        let Some((x0, y0, x1, y1)) = text_box(run) else { continue };
        let p = &cx.scene.pages[page];
        let edges = [(x0, "left"), (y0, "top"), (p.width - x1, "right"), (p.height - y1, "bottom")];
        let (d, edge) = edges.into_iter().fold((f32::INFINITY, ""), |a, b| if b.0 < a.0 { b } else { a });
        if d >= safe - 0.01 {
            continue;
        }
        let frame = run.origin.frame;
        let key = (page, frame, if frame.is_some() { 0 } else { run.paragraph });
        match worst.iter_mut().find(|w| w.0 == key) {
            Some(w) if d < w.1 => *w = (key, d, edge, run),
            Some(_) => {}
            None => worst.push((key, d, edge, run)),
        }
    }
    for ((page, _, _), d, edge, run) in worst {
        let place = cx.text_place(page, run);
        if d < -0.01 {
            report.push(
                Severity::Error,
                Check::TextInBleed,
                format!("{place} runs {} mm past the {edge} trim edge into the bleed; it will be cut off", mm(-d)),
            );
        } else {
            report.push(
                Severity::Warning,
                Check::SafeArea,
                format!(
                    "{place} is {} mm from the {edge} trim edge, inside the {} mm safe margin; the cut may touch it",
                    mm(d),
                    mm(safe)
                ),
            );
        }
    }
}

/// The box of a glyph run's visible glyphs: x from the first glyph's origin
/// to the last glyph's advance, y from [`TEXT_ASCENT`] × size above the
/// baseline to [`TEXT_DESCENT`] × size below. White space is left out.
fn text_box(run: &GlyphRun) -> Option<(f32, f32, f32, f32)> {
    let visible = run.glyphs.iter().filter(|g| g.text.is_empty() || !g.text.chars().all(char::is_whitespace));
    let (mut lo, mut hi) = (f32::INFINITY, f32::NEG_INFINITY);
    for g in visible {
        lo = lo.min(g.x);
        hi = hi.max(g.x + g.advance);
    }
    (lo <= hi).then_some((run.x + lo, run.y - TEXT_ASCENT * run.size, run.x + hi, run.y + TEXT_DESCENT * run.size))
}

/// Effective resolution of each picture where it is drawn: its pixels over
/// the inches it covers (the smaller of the horizontal and vertical figure).
fn picture_resolution(report: &mut Report, cx: &Ctx) {
    // Picture → lowest ppi, where, and how many more places are under the limit.
    let mut low: Vec<(usize, f32, usize, usize, usize)> = Vec::new();
    for (page, items) in cx.scene.pages.iter().enumerate() {
        for (i, item) in items.items.iter().enumerate() {
            let Item::Image(im) = item else { continue };
            let Some(pic) = cx.scene.images.get(im.image) else { continue };
            if im.width <= 0.0 || im.height <= 0.0 {
                continue;
            }
            let ppi = (pic.width as f32 / (im.width / 72.0)).min(pic.height as f32 / (im.height / 72.0));
            if ppi >= MIN_PICTURE_PPI - 0.5 {
                continue;
            }
            match low.iter_mut().find(|l| l.0 == im.image) {
                Some(l) => {
                    l.4 += 1;
                    if ppi < l.1 {
                        (l.1, l.2, l.3) = (ppi, page, i);
                    }
                }
                None => low.push((im.image, ppi, page, i, 0)),
            }
        }
    }
    for (image, ppi, page, i, more) in low {
        let pic = &cx.scene.images[image];
        let Item::Image(im) = &cx.scene.pages[page].items[i] else { continue };
        report.push(
            Severity::Warning,
            Check::ImageResolution,
            format!(
                "picture {} ({} × {} px) is drawn {} × {} mm {}: {:.0} ppi, under the {} ppi print needs{}",
                pic.source,
                pic.width,
                pic.height,
                mm(im.width),
                mm(im.height),
                cx.where_(page, i),
                ppi,
                num(MIN_PICTURE_PPI),
                and_more(more)
            ),
        );
    }
}

/// Total ink of every colour used, and RGB colours and pictures in a CMYK job.
fn ink(report: &mut Report, cx: &Ctx) {
    let cmyk_job = cx.scene.print.color_mode == ColorMode::Cmyk;
    // Colour name → colour, places (page, item, role).
    type Use = (usize, usize, Role);
    let mut colours: Vec<(String, Rgb, Vec<Use>)> = Vec::new();
    let mut pictures: Vec<(usize, usize, usize)> = Vec::new();
    for (page, p) in cx.scene.pages.iter().enumerate() {
        for (i, item) in p.items.iter().enumerate() {
            if let Item::Image(im) = item {
                if !pictures.iter().any(|p| p.0 == im.image) {
                    pictures.push((im.image, page, i));
                }
                continue;
            }
            for (c, role) in item_colours(item) {
                let key = colour_name(&c);
                match colours.iter_mut().find(|k| k.0 == key) {
                    Some(k) => k.2.push((page, i, role)),
                    None => colours.push((key, c, vec![(page, i, role)])),
                }
            }
        }
    }
    // The distinct places a colour is used, the first few by name.
    let places = |uses: &[Use]| {
        let mut named: Vec<String> = Vec::new();
        for &(p, i, role) in uses {
            let place = cx.colour_place(p, i, role);
            if !named.contains(&place) {
                named.push(place);
            }
        }
        let more = named.len().saturating_sub(MAX_PLACES);
        named.truncate(MAX_PLACES);
        format!("{}{}", named.join("; "), and_more(more))
    };
    for (name, c, uses) in &colours {
        if !(cmyk_job || c.cmyk.is_some()) {
            continue;
        }
        let total = c.ink();
        if total > MAX_TOTAL_INK + 0.05 {
            report.push(
                Severity::Warning,
                Check::InkCoverage,
                format!(
                    "colour {name} has {} % total ink, over the {} % limit: {}",
                    num(total),
                    num(MAX_TOTAL_INK),
                    places(uses)
                ),
            );
        }
    }
    if !cmyk_job {
        return;
    }
    for (name, c, uses) in &colours {
        // Greys, black and white convert exactly, to K only.
        if c.cmyk.is_none() && !(c.r == c.g && c.g == c.b) {
            report.push(
                Severity::Warning,
                Check::RgbInCmyk,
                format!(
                    "RGB colour {name} is converted to {} in this CMYK job by the rule k = 1 − max(r, g, b); \
                     give it as cmyk(…) to choose the inks: {}",
                    cmyk_text(&c.to_cmyk()),
                    places(uses)
                ),
            );
        }
    }
    for (image, page, i) in pictures {
        let pic = &cx.scene.images[image];
        if pic.pixels.rgba.chunks_exact(4).all(|p| p[0] == p[1] && p[1] == p[2]) {
            continue; // greys convert exactly, to K only
        }
        report.push(
            Severity::Warning,
            Check::RgbInCmyk,
            format!(
                "picture {} {} is RGB; this CMYK job converts its pixels by the rule k = 1 − max(r, g, b), \
                 without an ICC profile, so check its colours in a proof",
                pic.source,
                cx.where_(page, i)
            ),
        );
    }
}

/// What a colour is used for, for naming the place.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Text,
    Fill,
    Stroke,
    Line,
}

fn item_colours(item: &Item) -> Vec<(Rgb, Role)> {
    match item {
        Item::Glyphs(run) => vec![(run.color, Role::Text)],
        Item::Rect(r) => {
            let mut v = Vec::new();
            match &r.fill {
                Some(Paint::Solid(c)) => v.push((*c, Role::Fill)),
                Some(Paint::Linear { stops, .. }) => v.extend(stops.iter().map(|s| (s.color, Role::Fill))),
                None => {}
            }
            if let Some(s) = &r.stroke {
                v.push((s.color, Role::Stroke));
            }
            v
        }
        Item::Line(l) => vec![(l.color, Role::Line)],
        Item::Image(_) => Vec::new(),
    }
}

/// A colour as written: `cmyk(…)` for CMYK colours, `#rrggbb` for RGB ones.
fn colour_name(c: &Rgb) -> String {
    match c.cmyk {
        Some(k) => cmyk_text(&k),
        None => {
            let b = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
            format!("#{:02x}{:02x}{:02x}", b(c.r), b(c.g), b(c.b))
        }
    }
}

fn cmyk_text(k: &[f32; 4]) -> String {
    let p: Vec<String> = k.iter().map(|v| num(v * 100.0)).collect();
    format!("cmyk({})", p.join(", "))
}

/// A number with at most one decimal, without a trailing `.0`.
fn num(v: f32) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}

/// Points as millimetres, one decimal.
fn mm(pt: f32) -> String {
    num(pt / PT_PER_MM)
}

fn and_more(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => " (and 1 more place)".into(),
        n => format!(" (and {n} more places)"),
    }
}

struct Ctx<'a> {
    scene: &'a Scene,
    /// Paragraph excerpts by page and paragraph, made when a page's are first needed.
    excerpts: std::cell::RefCell<HashMap<usize, HashMap<usize, String>>>,
}

impl<'a> Ctx<'a> {
    /// Glyph runs with glyphs, with their 0-based page.
    fn runs(&self) -> impl Iterator<Item = (usize, &'a GlyphRun)> + 'a {
        self.scene.pages.iter().enumerate().flat_map(|(page, p)| {
            p.items.iter().filter_map(move |item| match item {
                Item::Glyphs(run) if !run.glyphs.is_empty() => Some((page, run)),
                _ => None,
            })
        })
    }

    /// ` in frame "x"` for an item placed in a frame, else nothing.
    fn frame_name(&self, page: usize, origin: Origin) -> String {
        let frame = origin.frame.and_then(|f| self.scene.pages[page].frames.get(f));
        frame.map_or(String::new(), |f| format!(" in frame \"{}\"", f.name))
    }

    /// The start of a paragraph's text on a page, in logical order.
    fn excerpt(&self, page: usize, paragraph: usize) -> String {
        let mut excerpts = self.excerpts.borrow_mut();
        let on_page = excerpts.entry(page).or_insert_with(|| {
            self.scene.paragraphs_on(page).into_iter().map(|(p, text)| (p, first_words(&text))).collect()
        });
        on_page.get(&paragraph).cloned().unwrap_or_default()
    }

    /// `text «…» in frame "x" on page N`.
    fn text_place(&self, page: usize, run: &GlyphRun) -> String {
        let e = self.excerpt(page, run.paragraph);
        let what = if e.is_empty() { "text".to_string() } else { format!("text «{e}»") };
        format!("{what}{} on page {}", self.frame_name(page, run.origin), page + 1)
    }

    /// `in frame "x" on page N` for the item at `page`, index `i`.
    fn where_(&self, page: usize, i: usize) -> String {
        let origin = self.scene.pages[page].items[i].origin();
        format!("{} on page {}", self.frame_name(page, origin), page + 1).trim_start().to_string()
    }

    /// Where a colour is used, in words.
    fn colour_place(&self, page: usize, i: usize, role: Role) -> String {
        let item = &self.scene.pages[page].items[i];
        let origin = item.origin();
        let frame = origin.frame.and_then(|f| self.scene.pages[page].frames.get(f));
        match (item, role) {
            (Item::Glyphs(run), _) => self.text_place(page, run),
            // Content drawn as shapes: the squares of a QR code.
            (Item::Rect(_), _) if origin.block.is_some() => format!("a shape {}", self.where_(page, i)),
            (Item::Rect(_), Role::Fill) => match frame {
                Some(f) => format!("the background of frame \"{}\" on page {}", f.name, page + 1),
                None => format!("the background of page {}", page + 1),
            },
            (Item::Rect(_), _) => match frame {
                Some(f) => format!("the border of frame \"{}\" on page {}", f.name, page + 1),
                None => format!("a border on page {}", page + 1),
            },
            (Item::Line(_), _) => format!("a rule {}", self.where_(page, i)),
            (Item::Image(_), _) => format!("a picture {}", self.where_(page, i)),
        }
    }
}

/// The first four words of a text, with `…` when there are more.
fn first_words(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut e = words.iter().take(4).copied().collect::<Vec<_>>().join(" ");
    if words.len() > 4 {
        e.push('…');
    }
    e
}
