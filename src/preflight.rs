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
//! | [`Check::RichBlack`] | warning | black text (K ≥ [`RICH_BLACK_K`]) with cyan, magenta or yellow in a CMYK job |
//! | [`Check::PlatformZone`] | warning | text or a QR code outside the platform's safe area (see [`Platform`]) |
//! | [`Check::QrModule`] | warning | a QR module under [`MIN_QR_MODULE_MM`] (print) or [`MIN_QR_MODULE_PX`] (screen) |
//! | [`Check::QrQuietZone`] | warning | less than [`MIN_QR_QUIET_MODULES`] modules of light space around a QR code |
//!
//! ## Platforms
//!
//! A social image knows where it is shown when its page `size` is a preset
//! made for a platform (`story`, `instagram-square`, `instagram-portrait`,
//! `link-preview`) or when `[page] platform` names one. Text and QR codes
//! must then stay inside the platform's safe rectangle ([`Platform::safe_px`]),
//! given in pixels of a 1080 (1200) px wide page and scaled with the page:
//!
//! | platform | safe area | why |
//! |---|---|---|
//! | `story` (1080×1920) | y 250–1580 | the profile bar covers the top 250 px, the reply bar the bottom 340 px |
//! | `square` (1080×1080) | x 135–945 | the profile grid crops posts to 3:4 |
//! | `portrait` (1080×1350) | x 34–1046 | the profile grid crops posts to 3:4 |
//! | `link-preview` (1200×630) | x 60–1140, y 45–585 | 2:1 and 1.91:1 crops, rounded corners |
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
use crate::model::{ColorMode, Document, Platform, Print, Rgb, values::PT_PER_MM, values::PT_PER_PX};
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

/// Print jobs: black text with at least this much K (0–1) is meant to be
/// black; with any C, M or Y besides, it is rich black, which misregisters
/// into coloured fringes around small type.
pub const RICH_BLACK_K: f32 = 0.85;

/// Print jobs: QR modules smaller than this (in mm) are a warning; phone
/// cameras at reading distance need about 0.4 mm.
pub const MIN_QR_MODULE_MM: f32 = 0.4;

/// Screen jobs: QR modules smaller than this (in px) are a warning; a
/// photographed or scaled-down screen blurs smaller ones together.
pub const MIN_QR_MODULE_PX: f32 = 4.0;

/// The light margin a QR code needs around it, in modules (ISO/IEC 18004).
pub const MIN_QR_QUIET_MODULES: f32 = 4.0;

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
    /// Black text in a CMYK job printed in more than K alone (warning).
    RichBlack,
    /// Text or a QR code where the platform's interface covers or crops the
    /// image (warning).
    PlatformZone,
    /// QR modules too small to scan (warning).
    QrModule,
    /// A QR code without enough light space around it (warning).
    QrQuietZone,
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
        | LayoutError::PagesExceeded { frame, .. }
        | LayoutError::TableTooWide { frame, .. } => frame,
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
    rich_black(report, &cx);
    let codes = qr_codes(scene);
    platform_zones(report, &cx, &codes);
    qr_modules(report, &cx, &codes);
    qr_quiet_zones(report, &cx, &codes);
}

/// Black text printed in four inks: K at least [`RICH_BLACK_K`] with any
/// cyan, magenta or yellow, in a CMYK job. One finding per colour.
fn rich_black(report: &mut Report, cx: &Ctx) {
    if cx.scene.print.color_mode != ColorMode::Cmyk {
        return;
    }
    let mut seen: Vec<String> = Vec::new();
    for (page, run) in cx.runs() {
        let [c, m, y, k] = run.color.to_cmyk();
        let name = colour_name(&run.color);
        if k < RICH_BLACK_K || c + m + y < 0.005 || seen.contains(&name) {
            continue;
        }
        seen.push(name.clone());
        report.push(
            Severity::Warning,
            Check::RichBlack,
            format!(
                "black text {} is printed as {} (rich black): four inks misregister around small type; \
                 give text cmyk(0, 0, 0, 100)",
                cx.text_place(page, run),
                if run.color.cmyk.is_some() { name } else { format!("{name} → {}", cmyk_text(&run.color.to_cmyk())) }
            ),
        );
    }
}

/// A box in points: x0, y0, x1, y1.
type Box4 = (f32, f32, f32, f32);

/// A QR code as drawn: its dark modules' box and module size, in points.
struct Code {
    page: usize,
    /// An index of one of its items on the page, to name the place.
    item: usize,
    origin: Origin,
    /// The box of the modules (without the quiet zone): x0, y0, x1, y1.
    modules: (f32, f32, f32, f32),
    /// The side of one module.
    module: f32,
}

/// The QR codes of a scene: the rectangles of a figure a block drew (QR
/// codes are the only figures drawn as rectangles; a table's fills are no
/// figure), grouped by page, frame and block. The
/// last row of dark runs is exactly one module tall, so the smallest height
/// is the module; the light square is the rectangle holding all others.
fn qr_codes(scene: &Scene) -> Vec<Code> {
    let mut codes: Vec<(Code, Vec<Box4>)> = Vec::new();
    for (page, p) in scene.pages.iter().enumerate() {
        for (i, item) in p.items.iter().enumerate() {
            let Item::Rect(r) = item else { continue };
            if r.origin.block.is_none() || r.origin.figure.is_none() {
                continue;
            }
            let b = (r.x, r.y, r.x + r.width, r.y + r.height);
            match codes.iter_mut().find(|c| c.0.page == page && same_block(c.0.origin, r.origin)) {
                Some(c) => c.1.push(b),
                None => {
                    codes.push((Code { page, item: i, origin: r.origin, modules: b, module: f32::INFINITY }, vec![b]))
                }
            }
        }
    }
    codes
        .into_iter()
        .filter_map(|(mut code, rects)| {
            let contains_all = |a: &(f32, f32, f32, f32)| {
                rects.iter().all(|b| a.0 <= b.0 + 0.01 && a.1 <= b.1 + 0.01 && a.2 >= b.2 - 0.01 && a.3 >= b.3 - 0.01)
            };
            let light = rects.iter().position(|r| rects.len() > 1 && contains_all(r));
            let dark: Vec<_> = rects.iter().enumerate().filter(|(i, _)| Some(*i) != light).map(|(_, r)| *r).collect();
            let first = *dark.first()?;
            let bx = dark.iter().fold(first, |a, b| (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3)));
            code.module = dark.iter().map(|r| r.3 - r.1).fold(f32::INFINITY, f32::min);
            code.modules = bx;
            Some(code)
        })
        .collect()
}

fn same_block(a: Origin, b: Origin) -> bool {
    a.frame == b.frame && a.block == b.block
}

/// Text and QR codes outside the platform's safe rectangle, one finding per
/// frame and page at its worst point.
fn platform_zones(report: &mut Report, cx: &Ctx, codes: &[Code]) {
    let Some(platform) = cx.scene.print.platform else { return };
    // (page, frame, what) → how far past the safe area, which edge, the place.
    // (page, frame, is a code) → how far past, the edge, the place.
    type Key = (usize, Option<usize>, bool);
    let mut worst: Vec<(Key, f32, &'static str, String)> = Vec::new();
    let mut note =
        |key: (usize, Option<usize>, bool), over: f32, edge: &'static str, place: &dyn Fn() -> String| match worst
            .iter_mut()
            .find(|w| w.0 == key)
        {
            Some(w) if over > w.1 => (w.1, w.2) = (over, edge),
            Some(_) => {}
            None => worst.push((key, over, edge, place())),
        };
    for (page, run) in cx.runs() {
        let Some(b) = text_box(&cx.scene.pages[page], run) else { continue };
        if let Some((over, edge)) = outside(platform, &cx.scene.pages[page], b) {
            note((page, run.origin.frame, false), over, edge, &|| cx.text_place(page, run));
        }
    }
    for code in codes {
        if let Some((over, edge)) = outside(platform, &cx.scene.pages[code.page], code.modules) {
            note((code.page, code.origin.frame, true), over, edge, &|| {
                format!("the QR code {}", cx.where_(code.page, code.item))
            });
        }
    }
    for ((page, _, _), over, edge, place) in worst {
        let (x0, y0, x1, y1) = safe_rect_px(platform, &cx.scene.pages[page]);
        report.push(
            Severity::Warning,
            Check::PlatformZone,
            format!(
                "{place} reaches {} px past the {edge} edge of the {} safe area (x {}–{}, y {}–{} px): {}",
                num(over),
                platform.name(),
                num(x0),
                num(x1),
                num(y0),
                num(y1),
                platform.why()
            ),
        );
    }
}

/// The platform's safe rectangle on a page, in the page's pixels.
fn safe_rect_px(platform: Platform, page: &crate::scene::ScenePage) -> (f32, f32, f32, f32) {
    let (w, h) = (page.width / PT_PER_PX, page.height / PT_PER_PX);
    let k = w / platform.base_width();
    let (x0, y0, x1, y1) = platform.safe_px(h / k);
    (x0 * k, y0 * k, x1 * k, y1 * k)
}

/// How far (in px) a box in points reaches out of the safe rectangle, and
/// past which edge; `None` inside.
fn outside(platform: Platform, page: &crate::scene::ScenePage, b: (f32, f32, f32, f32)) -> Option<(f32, &'static str)> {
    let (x0, y0, x1, y1) = safe_rect_px(platform, page);
    let px = |v: f32| v / PT_PER_PX;
    let edges = [(x0 - px(b.0), "left"), (y0 - px(b.1), "top"), (px(b.2) - x1, "right"), (px(b.3) - y1, "bottom")];
    let (over, edge) = edges.into_iter().fold((0.5, ""), |a, e| if e.0 > a.0 { e } else { a });
    (!edge.is_empty()).then_some((over, edge))
}

/// QR modules under [`MIN_QR_MODULE_MM`] in print or [`MIN_QR_MODULE_PX`] on screens.
fn qr_modules(report: &mut Report, cx: &Ctx, codes: &[Code]) {
    let screen = is_screen_job(&cx.scene.print);
    for code in codes {
        let (size, least, unit) = if screen {
            (code.module / PT_PER_PX, MIN_QR_MODULE_PX, "px")
        } else {
            (code.module / PT_PER_MM, MIN_QR_MODULE_MM, "mm")
        };
        if size >= least - 1e-3 {
            continue;
        }
        let side = (code.modules.2 - code.modules.0) / code.module;
        report.push(
            Severity::Warning,
            Check::QrModule,
            format!(
                "the QR code {} has modules of {} {unit}, under the {} {unit} a phone can scan; \
                 draw it at least {} {unit} wide (without the quiet zone)",
                cx.where_(code.page, code.item),
                if screen { num(size) } else { format!("{size:.2}") },
                num(least),
                num((side * least).ceil())
            ),
        );
    }
}

/// QR codes with less than [`MIN_QR_QUIET_MODULES`] of light space around
/// their modules: up to the edge of the innermost light rectangle holding
/// them (their own light square, a frame's background, the page) and to
/// anything else drawn nearby.
fn qr_quiet_zones(report: &mut Report, cx: &Ctx, codes: &[Code]) {
    for code in codes {
        let quiet = quiet_zone(cx.scene, code) / code.module;
        if quiet >= MIN_QR_QUIET_MODULES - 0.05 {
            continue;
        }
        report.push(
            Severity::Warning,
            Check::QrQuietZone,
            format!(
                "the QR code {} has {} modules of light space around it, under the {} it needs to scan; \
                 give the block a `background` or more room",
                cx.where_(code.page, code.item),
                num(quiet.max(0.0)),
                num(MIN_QR_QUIET_MODULES)
            ),
        );
    }
}

/// The light space around a code's modules, in points.
fn quiet_zone(scene: &Scene, code: &Code) -> f32 {
    let page = &scene.pages[code.page];
    let m = code.modules;
    let holds =
        |b: (f32, f32, f32, f32)| b.0 <= m.0 + 0.01 && b.1 <= m.1 + 0.01 && b.2 >= m.2 - 0.01 && b.3 >= m.3 - 0.01;
    // The innermost filled rectangle holding the code, and whether it is light.
    let mut holder: Option<((f32, f32, f32, f32), bool)> = None;
    let mut room = f32::INFINITY;
    for item in &page.items {
        let (b, light) = match item {
            Item::Rect(r) => ((r.x, r.y, r.x + r.width, r.y + r.height), r.fill.as_ref().map(is_light)),
            Item::Glyphs(run) => match text_box(page, run) {
                Some(b) => (b, None),
                None => continue,
            },
            Item::Line(l) => ((l.x1.min(l.x2), l.y1.min(l.y2), l.x1.max(l.x2), l.y1.max(l.y2)), None),
            Item::Image(im) => ((im.x, im.y, im.x + im.width, im.y + im.height), None),
        };
        let own = matches!(item, Item::Rect(r) if same_block(r.origin, code.origin) && r.origin.block.is_some());
        if holds(b)
            && let Some(light) = light
        {
            let area = (b.2 - b.0) * (b.3 - b.1);
            if holder.is_none_or(|(h, _)| area <= (h.2 - h.0) * (h.3 - h.1)) {
                holder = Some((b, light));
            }
        } else if !own {
            room = room.min(gap(m, b));
        }
    }
    match holder {
        Some((h, true)) => room.min(m.0 - h.0).min(m.1 - h.1).min(h.2 - m.2).min(h.3 - m.3),
        Some((_, false)) => 0.0,
        // On the page itself: white paper or a transparent image.
        None => room.min(m.0).min(m.1).min(page.width - m.2).min(page.height - m.3),
    }
}

/// The distance between two boxes (0 when they touch or overlap).
fn gap(a: (f32, f32, f32, f32), b: (f32, f32, f32, f32)) -> f32 {
    let dx = (b.0 - a.2).max(a.0 - b.2).max(0.0);
    let dy = (b.1 - a.3).max(a.1 - b.3).max(0.0);
    dx.max(dy)
}

/// Whether a fill is light enough to be a QR code's quiet zone: every
/// colour of it at least 70 % luminance.
fn is_light(p: &Paint) -> bool {
    let lum = |c: &Rgb| 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
    match p {
        Paint::Solid(c) => lum(c) >= 0.7,
        Paint::Linear { stops, .. } => stops.iter().all(|s| lum(&s.color) >= 0.7),
    }
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
        let Some((x0, y0, x1, y1)) = text_box(&cx.scene.pages[page], run) else { continue };
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
/// In a rotated frame, the page box around that box turned.
fn text_box(page: &crate::scene::ScenePage, run: &GlyphRun) -> Option<(f32, f32, f32, f32)> {
    let visible = run.glyphs.iter().filter(|g| g.text.is_empty() || !g.text.chars().all(char::is_whitespace));
    let (mut lo, mut hi) = (f32::INFINITY, f32::NEG_INFINITY);
    for g in visible {
        lo = lo.min(g.x);
        hi = hi.max(g.x + g.advance);
    }
    let b = (run.x + lo, run.y - TEXT_ASCENT * run.size, run.x + hi, run.y + TEXT_DESCENT * run.size);
    (lo <= hi).then(|| match page.transform_of(run.origin) {
        Some(m) => turned_box(&m, b),
        None => b,
    })
}

/// The upright box around box `b` (x0, y0, x1, y1) once `m` has turned it.
fn turned_box(m: &crate::scene::Affine, (x0, y0, x1, y1): (f32, f32, f32, f32)) -> (f32, f32, f32, f32) {
    let pts = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)].map(|p| crate::scene::apply(m, p));
    let (xs, ys) = (pts.map(|p| p.0), pts.map(|p| p.1));
    let min = |v: [f32; 4]| v.into_iter().fold(f32::INFINITY, f32::min);
    let max = |v: [f32; 4]| v.into_iter().fold(f32::NEG_INFINITY, f32::max);
    (min(xs), min(ys), max(xs), max(ys))
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
            // An SVG is vector: sharp at any size.
            if pic.svg.is_some() || im.width <= 0.0 || im.height <= 0.0 {
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
