//! Preflight: every check fails on a layout made to break it and passes on
//! a clean one, and `nashr check` / `nashr render --preflight` exit as
//! documented.

mod common;

use common::*;
use nashr::Engine;
use nashr::preflight::{Check, Report, Severity};
use std::path::{Path, PathBuf};

/// Read a layout file and preflight it: a layout that cannot be read or
/// resolved is an `Err`; text that does not fit is a finding.
fn check_file(path: &Path) -> Result<Report, nashr::Error> {
    let engine = Engine::new();
    Ok(engine.check(&engine.load(path)?))
}

/// A plain A5 print job: 14 mm margins, a 10 pt body style.
const A5: &str = r#"
version = 1
[meta]
language = "fa"
[page]
size = "A5"
margin = "14mm"
[styles.body]
size = "10pt"
direction = "rtl"
"#;

/// A 1080 × 1080 px social image (a screen job: no bleed, no marks).
const SQUARE: &str = r#"
version = 1
[meta]
language = "fa"
[page]
size = "instagram-square"
margin = "60px"
[styles.body]
size = "40px"
direction = "rtl"
"#;

/// A frame with one paragraph.
fn text_frame(name: &str, geometry: &str, style: Option<&str>, text: &str) -> String {
    let style = style.map_or(String::new(), |s| format!("style = \"{s}\"\n"));
    format!(
        "\n[[frame]]\nname = \"{name}\"\n{geometry}\n[[frame.block]]\ntype = \"paragraph\"\n{style}text = \"{text}\"\n"
    )
}

/// Write `src` as `layout.toml` in a fresh directory named `name`.
fn write_layout(name: &str, src: &str) -> (PathBuf, PathBuf) {
    let dir = temp_dir(&format!("preflight-{name}"));
    let path = dir.join("layout.toml");
    std::fs::write(&path, src).unwrap();
    (dir, path)
}

fn check_src(name: &str, src: &str) -> Report {
    let (_, path) = write_layout(name, src);
    check_file(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// Write a `w × h` PNG filled with one colour.
fn write_png(path: &Path, w: u32, h: u32, rgb: [u8; 3]) {
    let mut out = Vec::new();
    {
        let mut e = png::Encoder::new(&mut out, w, h);
        e.set_color(png::ColorType::Rgb);
        e.set_depth(png::BitDepth::Eight);
        let mut wr = e.write_header().unwrap();
        wr.write_image_data(&rgb.repeat((w * h) as usize)).unwrap();
    }
    std::fs::write(path, out).unwrap();
}

/// The messages of one check.
fn messages(r: &Report, check: Check) -> Vec<String> {
    r.of(check).map(|f| f.message.clone()).collect()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `tests/layouts/bad-print.toml` as shipped, with its 50 × 50 px picture
/// `tests/layouts/low-res.png`, and a temp dir for outputs.
fn bad_print(name: &str) -> (PathBuf, PathBuf) {
    let dir = temp_dir(&format!("preflight-{name}"));
    (dir, crate_path("tests/layouts/bad-print.toml"))
}

#[test]
fn bad_layout_gets_one_clear_line_per_problem_and_exit_1() {
    let (_dir, layout) = bad_print("bad");
    let o = nashr(&["check", layout.to_str().unwrap()]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
    let lines: Vec<&str> = out.lines().collect();
    let one = |pred: &dyn Fn(&str) -> bool, what: &str| {
        let n = lines.iter().filter(|l| pred(l)).count();
        assert_eq!(n, 1, "expected one line for {what}:\n{out}");
    };
    one(&|l| l.starts_with("error: text overflows frame \"tiny\" on page 1 by "), "the overflow");
    one(
        &|l| {
            l.starts_with("error: text «")
                && l.contains("in frame \"edge\" on page 1 runs 2 mm past the left trim edge into the bleed")
        },
        "text in the bleed",
    );
    one(
        &|l| l.starts_with("warning: picture low-res.png (50 × 50 px) is drawn 50 × 50 mm") && l.contains(": 25 ppi"),
        "the low-resolution picture",
    );
    one(
        &|l| {
            l.starts_with("warning: colour cmyk(100, 100, 100, 100) has 400 % total ink")
                && l.contains("frame \"dark\" on page 1")
        },
        "the ink",
    );
    assert_eq!(lines.last(), Some(&"2 errors, 2 warnings"), "{out}");
    assert_eq!(lines.len(), 5, "nothing else is reported:\n{out}");
}

#[test]
fn the_invitation_and_the_social_images_pass() {
    // Every example layout, in every locale: no errors and no warnings,
    // the platform zones of the social images included.
    let layouts = [
        "invitation-a5",
        "invitation-a3-poster",
        "invitation-column-60mm",
        "invitation-square",
        "invitation-portrait",
        "invitation-story",
        "invitation-link-preview",
    ];
    let engine = Engine::new();
    for name in layouts {
        for locale in ["fa", "en", "de", "sv", "ckb"] {
            let source = nashr::LayoutSource::read(crate_path(&format!("layouts/{name}.toml"))).unwrap();
            let loc = engine.locale(crate_path(&format!("locales/{locale}.toml"))).unwrap();
            let doc = engine.load_with(&source, Some(&loc), None).unwrap_or_else(|e| panic!("{name} {locale}: {e}"));
            let r = engine.check(&doc);
            assert_eq!(r.to_string(), "0 errors, 0 warnings", "{name} {locale}");
        }
    }
}

#[test]
fn overflow_is_an_error_and_the_other_checks_still_run() {
    let long = "کلمه ".repeat(300);
    let src = format!(
        "{A5}[styles.tiny]\nparent = \"body\"\nsize = \"5pt\"\n{}{}",
        text_frame("full", "y = \"20mm\"\nheight = \"10mm\"", None, &long),
        text_frame("note", "y = \"100mm\"\nheight = \"20mm\"", Some("tiny"), "یادداشت"),
    );
    let r = check_src("overflow", &src);
    let over = messages(&r, Check::Overflow);
    assert_eq!(over.len(), 1, "{r}");
    assert!(over[0].contains("frame \"full\" on page 1"), "{r}");
    assert!(r.has_errors());
    assert_eq!(messages(&r, Check::SmallText).len(), 1, "the 5 pt note is still checked: {r}");

    let fits = check_src("overflow-ok", &format!("{A5}{}", text_frame("full", "", None, "کلمه کلمه")));
    assert!(fits.findings.is_empty(), "{fits}");
}

#[test]
fn a_missing_glyph_is_an_error_naming_the_character_and_the_place() {
    let r = check_src("missing", &format!("{A5}{}", text_frame("snow", "", None, "آدم برفی ☃ در باغ")));
    let m = messages(&r, Check::MissingGlyph);
    assert_eq!(m.len(), 1, "{r}");
    assert!(m[0].contains("'☃' (U+2603)") && m[0].contains("frame \"snow\", block 1, character 10"), "{}", m[0]);
    assert!(r.has_errors());
    let ok = check_src("missing-ok", &format!("{A5}{}", text_frame("snow", "", None, "آدم برفی در باغ")));
    assert_eq!(messages(&ok, Check::MissingGlyph).len(), 0, "{ok}");
}

/// The bundled Vazirmatn Regular with another weight class (so a style can
/// pick it) and the given OS/2 fsType.
fn patched_font(path: &Path, weight: u16, fs_type: u16) {
    let mut data = std::fs::read(crate_path("fonts/Vazirmatn-Regular.ttf")).unwrap();
    let be16 = |d: &[u8], at: usize| u16::from_be_bytes([d[at], d[at + 1]]) as usize;
    let be32 = |d: &[u8], at: usize| u32::from_be_bytes([d[at], d[at + 1], d[at + 2], d[at + 3]]) as usize;
    let os2 = (0..be16(&data, 4))
        .map(|i| 12 + 16 * i)
        .find(|&rec| &data[rec..rec + 4] == b"OS/2")
        .map(|rec| be32(&data, rec + 8))
        .expect("an OS/2 table");
    data[os2 + 4..os2 + 6].copy_from_slice(&weight.to_be_bytes());
    data[os2 + 8..os2 + 10].copy_from_slice(&fs_type.to_be_bytes());
    std::fs::write(path, data).unwrap();
}

#[test]
fn fonts_must_allow_embedding_and_subsetting() {
    // fsType: 2 restricted, 0x100 no subsetting, 4 preview & print, 0 installable.
    for (fs_type, weight, bad) in [(0x0002, 410, true), (0x0100, 420, true), (0x0004, 430, false), (0, 440, false)] {
        let name = format!("font-{fs_type:x}");
        let dir = temp_dir(&format!("preflight-{name}"));
        patched_font(&dir.join("font.ttf"), weight, fs_type);
        let src = format!(
            "fonts = [\"font.ttf\"]\n{A5}[styles.licensed]\nparent = \"body\"\nweight = {weight}\n{}",
            text_frame("f", "", Some("licensed"), "سلام")
        );
        let path = dir.join("layout.toml");
        std::fs::write(&path, src).unwrap();
        let r = check_file(&path).unwrap();
        let m = messages(&r, Check::FontEmbedding);
        if bad {
            assert_eq!(m.len(), 1, "fsType {fs_type:#x}: {r}");
            assert!(m[0].starts_with(&format!("font Vazirmatn {weight} (")) && m[0].contains("font.ttf"), "{}", m[0]);
            assert!(m[0].contains(if fs_type == 2 { "forbids embedding" } else { "forbids subsetting" }), "{}", m[0]);
            assert!(r.has_errors());
        } else {
            assert!(m.is_empty(), "fsType {fs_type:#x}: {r}");
        }
    }
}

#[test]
fn small_text_is_a_warning_under_6_pt_in_print_and_12_px_on_screens() {
    let page2 = "page = 2\ny = \"20mm\"\nheight = \"20mm\"";
    let print = |size: &str| {
        format!(
            "{A5}[styles.small]\nparent = \"body\"\nsize = \"{size}\"\n{}{}",
            text_frame("main", "height = \"20mm\"", None, "متن اصلی"),
            text_frame("fine-print", page2, Some("small"), "ریز نوشته پایین"),
        )
    };
    let r = check_src("small", &print("5.5pt"));
    let m = messages(&r, Check::SmallText);
    assert_eq!(m.len(), 1, "{r}");
    assert!(
        m[0].starts_with("smallest text is 5.5 pt: text «ریز نوشته پایین» in frame \"fine-print\" on page 2"),
        "{}",
        m[0]
    );
    assert!(!r.has_errors(), "a warning, not an error");
    assert!(messages(&check_src("small-ok", &print("6pt")), Check::SmallText).is_empty());

    let screen = |size: &str| {
        format!(
            "{SQUARE}[styles.small]\nparent = \"body\"\nsize = \"{size}\"\n{}",
            text_frame("f", "", Some("small"), "سلام")
        )
    };
    let r = check_src("small-screen", &screen("10px"));
    let m = messages(&r, Check::SmallText);
    assert_eq!(m.len(), 1, "{r}");
    assert!(m[0].starts_with("smallest text is 10 px (7.5 pt)") && m[0].contains("at least 12 px"), "{}", m[0]);
    assert!(messages(&check_src("small-screen-ok", &screen("12px")), Check::SmallText).is_empty());
}

#[test]
fn text_near_the_trim_is_a_warning_and_past_it_an_error() {
    let placed = |x: &str| {
        format!(
            "{A5}[styles.left]\nparent = \"body\"\nalign = \"left\"\n{}",
            text_frame(
                "side",
                &format!("x = \"{x}\"\ny = \"30mm\"\nwidth = \"60mm\"\nheight = \"20mm\""),
                Some("left"),
                "کنار برگه"
            )
        )
    };
    let r = check_src("safe", &placed("1.5mm"));
    let m = messages(&r, Check::SafeArea);
    assert_eq!(m.len(), 1, "{r}");
    assert!(
        m[0].contains("in frame \"side\" on page 1 is 1.5 mm from the left trim edge, inside the 3 mm safe margin"),
        "{}",
        m[0]
    );
    assert!(messages(&r, Check::TextInBleed).is_empty() && !r.has_errors(), "{r}");

    let r = check_src("bleed", &placed("-2mm"));
    let m = messages(&r, Check::TextInBleed);
    assert_eq!(m.len(), 1, "{r}");
    assert!(m[0].contains("runs 2 mm past the left trim edge into the bleed"), "{}", m[0]);
    assert!(messages(&r, Check::SafeArea).is_empty(), "the worse finding only: {r}");
    assert!(r.has_errors());

    // The bottom edge too: a frame running off the foot of the page.
    let low = format!("{A5}{}", text_frame("foot", "y = \"207mm\"\nheight = \"10mm\"", None, "پانویس"));
    let r = check_src("bleed-bottom", &low);
    assert!(messages(&r, Check::TextInBleed).iter().any(|m| m.contains("bottom trim edge")), "{r}");

    let ok = check_src("safe-ok", &placed("14mm"));
    assert!(ok.of(Check::SafeArea).chain(ok.of(Check::TextInBleed)).next().is_none(), "{ok}");

    // A wider safe margin in [print] catches the same text.
    let wide = placed("14mm").replace("[page]", "[print]\nsafe_margin = \"15mm\"\n[page]");
    assert_eq!(messages(&check_src("safe-wide", &wide), Check::SafeArea).len(), 1);
}

#[test]
fn pictures_under_300_ppi_are_a_warning_in_print_jobs_only() {
    let with_picture = |name: &str, base: &str, px: u32| {
        let dir = temp_dir(&format!("preflight-{name}"));
        write_png(&dir.join("pic.png"), px, px, [40, 90, 160]);
        let src = format!(
            "{base}\n[[frame]]\nname = \"photo\"\nx = \"20mm\"\ny = \"20mm\"\nwidth = \"50mm\"\nheight = \"50mm\"\n\
             [[frame.block]]\ntype = \"image\"\npath = \"pic.png\"\n"
        );
        let path = dir.join("layout.toml");
        std::fs::write(&path, src).unwrap();
        check_file(&path).unwrap()
    };
    let r = with_picture("ppi-low", A5, 100);
    let m = messages(&r, Check::ImageResolution);
    assert_eq!(m.len(), 1, "{r}");
    assert_eq!(
        m[0],
        "picture pic.png (100 × 100 px) is drawn 50 × 50 mm in frame \"photo\" on page 1: 51 ppi, under the 300 ppi print needs"
    );
    assert!(!r.has_errors());
    // 600 px over 50 mm is 305 ppi.
    assert!(messages(&with_picture("ppi-ok", A5, 600), Check::ImageResolution).is_empty());
    // Screens have their own pixels: no ppi check.
    assert!(messages(&with_picture("ppi-screen", SQUARE, 100), Check::ImageResolution).is_empty());
}

#[test]
fn total_ink_over_300_percent_is_a_warning() {
    let coloured = |c: &str| {
        format!(
            "{A5}[styles.ink]\nparent = \"body\"\ncolor = \"{c}\"\n{}{}",
            text_frame("a", "height = \"20mm\"", Some("ink"), "سیاه پررنگ"),
            text_frame("b", "y = \"60mm\"\nheight = \"20mm\"", Some("ink"), "باز هم"),
        )
    };
    let r = check_src("ink", &coloured("cmyk(100, 100, 100, 100)"));
    let m = messages(&r, Check::InkCoverage);
    assert_eq!(m.len(), 1, "one finding per colour: {r}");
    assert_eq!(
        m[0],
        "colour cmyk(100, 100, 100, 100) has 400 % total ink, over the 300 % limit: \
         text «سیاه پررنگ» in frame \"a\" on page 1; text «باز هم» in frame \"b\" on page 1"
    );
    let r = check_src(
        "ink-rule",
        &format!("{A5}\n[[frame]]\n[[frame.block]]\ntype = \"rule\"\ncolor = \"cmyk(80, 80, 80, 100)\"\n"),
    );
    assert!(
        messages(&r, Check::InkCoverage)[0].contains("340 %") && messages(&r, Check::InkCoverage)[0].contains("a rule"),
        "{r}"
    );
    assert!(messages(&check_src("ink-ok", &coloured("cmyk(60, 60, 60, 100)")), Check::InkCoverage).is_empty());
    assert!(messages(&check_src("ink-rgb", &coloured("#0a0a0a")), Check::InkCoverage).is_empty());
}

#[test]
fn rgb_colours_and_pictures_in_a_cmyk_job_are_reported_once_each() {
    let dir = temp_dir("preflight-rgb-in-cmyk");
    write_png(&dir.join("red.png"), 600, 600, [200, 30, 30]);
    write_png(&dir.join("grey.png"), 600, 600, [90, 90, 90]);
    let job = |body: &str, mode: &str| {
        let picture = |name: &str, file: &str, y: &str| {
            format!(
                "\n[[frame]]\nname = \"{name}\"\ny = \"{y}\"\nwidth = \"40mm\"\nheight = \"40mm\"\n\
                 [[frame.block]]\ntype = \"image\"\npath = \"{file}\"\n"
            )
        };
        format!(
            "{}{}{}{}{}{}",
            A5.replace("[page]", &format!("[print]\ncolor_mode = \"{mode}\"\n[page]"))
                .replace("[styles.body]\n", &format!("[styles.body]\ncolor = \"{body}\"\n")),
            text_frame("one", "y = \"110mm\"\nheight = \"20mm\"", None, "یک"),
            text_frame("two", "y = \"140mm\"\nheight = \"20mm\"", None, "دو"),
            picture("red-1", "red.png", "14mm"),
            picture("red-2", "red.png", "60mm"),
            picture("grey", "grey.png", "160mm"),
        )
    };
    let run = |src: String| {
        let path = dir.join("layout.toml");
        std::fs::write(&path, src).unwrap();
        check_file(&path).unwrap()
    };
    let r = run(job("#1d1d1f", "cmyk"));
    let m = messages(&r, Check::RgbInCmyk);
    assert_eq!(m.len(), 2, "the colour once, the RGB picture once, the grey one never: {r}");
    assert!(
        m[0].starts_with("RGB colour #1d1d1f is converted to cmyk(6.5, 6.5, 0, 87.8) in this CMYK job")
            && m[0].contains("text «یک» in frame \"one\" on page 1; text «دو» in frame \"two\" on page 1"),
        "{}",
        m[0]
    );
    assert!(m[1].starts_with("picture red.png in frame \"red-1\" on page 1 is RGB"), "{}", m[1]);
    assert!(!r.has_errors());
    assert!(messages(&run(job("cmyk(0, 0, 0, 90)", "cmyk")), Check::RgbInCmyk).len() == 1, "the picture only");
    assert!(messages(&run(job("#1d1d1f", "rgb")), Check::RgbInCmyk).is_empty(), "an RGB job");
}

#[test]
fn the_report_reads_errors_first_then_a_summary() {
    let (_dir, layout) = bad_print("report");
    let r = check_file(&layout).unwrap();
    let text = r.to_string();
    let severities: Vec<Severity> = r.findings.iter().map(|f| f.severity).collect();
    assert!(severities.is_sorted(), "{text}");
    assert!(text.lines().all(|l| l.starts_with("error: ") || l.starts_with("warning: ") || l == r.summary()));
    assert_eq!(r.summary(), "2 errors, 2 warnings");
    let one = check_src("summary", &format!("{A5}{}", text_frame("f", "", None, "☃")));
    assert_eq!(one.summary(), "1 error, 0 warnings");
}

#[test]
fn check_exits_0_with_warnings_and_1_with_errors() {
    let a5 = crate_path("layouts/invitation-a5.toml");
    let o = nashr(&["check", a5.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "0 errors, 0 warnings");

    let small =
        format!("{A5}[styles.tiny]\nparent = \"body\"\nsize = \"5pt\"\n{}", text_frame("f", "", Some("tiny"), "ریز"));
    let (_dir, path) = write_layout("cli-warn", &small);
    let o = nashr(&["check", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "warnings alone pass: {}", stdout(&o));
    assert!(stdout(&o).starts_with("warning: smallest text is 5 pt"), "{}", stdout(&o));

    let o = nashr(&["check", "no-such-layout.toml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).starts_with("error: cannot read layout no-such-layout.toml"), "{}", stderr(&o));
}

#[test]
fn render_with_preflight_refuses_to_write_a_file_with_errors() {
    let (dir, layout) = bad_print("render");
    let out = dir.join("out.pdf");
    let o = nashr(&["render", layout.to_str().unwrap(), "-o", out.to_str().unwrap(), "--preflight"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("error: text overflows frame \"tiny\"") && e.contains("2 errors, 2 warnings"), "{e}");
    let refusal = format!("error: preflight failed (2 errors, 2 warnings); {} was not written", out.display());
    assert!(e.trim_end().ends_with(&refusal), "{e}");
    assert!(stdout(&o).is_empty(), "the report goes to standard error");
    assert!(!out.exists());

    // Warnings only: the report is shown and the file written.
    let (dir, path) = write_layout(
        "render-warn",
        &format!("{A5}[styles.tiny]\nparent = \"body\"\nsize = \"5pt\"\n{}", text_frame("f", "", Some("tiny"), "ریز")),
    );
    let out = dir.join("ok.pdf");
    let o = nashr(&["render", path.to_str().unwrap(), "-o", out.to_str().unwrap(), "--preflight"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning: smallest text is 5 pt") && stderr(&o).contains("0 errors, 1 warning"));
    assert!(out.exists());

    // Without --preflight the render behaves as before (layout errors still stop it).
    let o = nashr(&["render", path.to_str().unwrap(), "-o", dir.join("plain.pdf").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert!(!stderr(&o).contains("warning: smallest"), "{}", stderr(&o));
}

#[test]
fn places_are_named_by_the_frame_that_placed_them() {
    // The contact frame goes on the last page, after the body has flowed
    // over its pages; on page 1 the body's text runs where the contact
    // frame stands on the last page. Each is named by its own frame.
    let src = format!(
        "{}\n[[frame]]\nname = \"body\"\nfit = \"flow\"\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"{}\"\n\
         \n[[frame]]\nname = \"contact\"\npage = \"last\"\ny = \"150mm\"\nheight = \"30mm\"\nbackground = \"#f6eeed\"\n",
        A5.replace("[page]", "[print]\ncolor_mode = \"cmyk\"\n[page]")
            .replace("[styles.body]\n", "[styles.body]\ncolor = \"#1d1d1f\"\n"),
        "کلمه ".repeat(900)
    );
    let (_, path) = write_layout("provenance", &src);
    let engine = Engine::new();
    let last = engine.layout(&engine.load(&path).unwrap()).unwrap().pages.len();
    assert!(last >= 2, "the body flows onto a second page");
    let r = check_file(&path).unwrap();
    let m = messages(&r, Check::RgbInCmyk);
    assert_eq!(m.len(), 2, "{r}");
    let text = m.iter().find(|m| m.starts_with("RGB colour #1d1d1f")).expect("the text colour");
    assert!(text.contains("in frame \"body\" on page 1") && !text.contains("\"contact\""), "{text}");
    let background = m.iter().find(|m| m.starts_with("RGB colour #f6eeed")).expect("the background colour");
    assert!(background.ends_with(&format!(": the background of frame \"contact\" on page {last}")), "{background}");
}

#[test]
fn text_in_the_story_bottom_ui_zone_is_a_warning() {
    let story = std::fs::read_to_string(crate_path("layouts/invitation-story.toml")).unwrap();
    let dir = crate_path("layouts");
    let check = |src: &str| {
        let engine = Engine::new();
        engine.check(&engine.load_str(dir.join("moved.toml").to_str().unwrap(), src).unwrap())
    };
    assert!(messages(&check(&story), Check::PlatformZone).is_empty(), "the story as shipped is clean");
    // Move the contact frame down to y 1700 px, into the reply bar's zone.
    let (head, tail) = story.split_once("name = \"contact\"").unwrap();
    let tail = tail.replacen("y = \"", "y = \"1700px\"\nold_y = \"", 1);
    let moved = format!("{head}name = \"contact\"{}", tail.replace("old_y = \"", "#"));
    let r = check(&moved);
    let m = messages(&r, Check::PlatformZone);
    assert_eq!(m.len(), 1, "{r}");
    assert!(m[0].contains("in frame \"contact\"") && m[0].contains("bottom edge of the story safe area"), "{}", m[0]);
    assert!(m[0].contains("y 250–1580 px"), "{}", m[0]);
    assert!(!r.has_errors(), "{r}");
}

#[test]
fn a_page_names_its_platform_and_square_posts_keep_to_the_grid_crop() {
    let square = |platform: &str, x: &str| {
        let src = SQUARE
            .replace("size = \"instagram-square\"", &format!("width = \"1080px\"\nheight = \"1080px\"\n{platform}"));
        src + &text_frame(
            "wide",
            &format!("x = \"{x}\"\ny = \"400px\"\nwidth = \"100px\"\nheight = \"200px\""),
            None,
            "سلام",
        )
    };
    let at_edge = check_src("platform-square-edge", &square("platform = \"square\"", "40px"));
    let m = messages(&at_edge, Check::PlatformZone);
    assert_eq!(m.len(), 1, "{at_edge}");
    assert!(m[0].contains("left edge of the square safe area (x 135–945"), "{}", m[0]);
    assert!(
        messages(&check_src("platform-square-in", &square("platform = \"square\"", "300px")), Check::PlatformZone)
            .is_empty()
    );
    assert!(
        messages(&check_src("platform-none", &square("", "40px")), Check::PlatformZone).is_empty(),
        "a page without a platform has no zones"
    );
}

#[test]
fn a_qr_code_too_small_for_print_or_without_quiet_zone_is_a_warning() {
    let qr = |size: &str, background: &str| {
        format!(
            "{A5}\n[[frame]]\nname = \"code\"\ny = \"40mm\"\nheight = \"40mm\"\n[[frame.block]]\ntype = \"qr\"\n\
             data = \"https://www.wpiran.org\"\nsize = \"{size}\"\n{background}"
        )
    };
    let r = check_src("qr-small", &qr("10mm", ""));
    let m = messages(&r, Check::QrModule);
    assert_eq!(m.len(), 1, "{r}");
    assert!(m[0].starts_with("the QR code in frame \"code\" on page 1 has modules of 0.3"), "{}", m[0]);
    assert!(m[0].contains("under the 0.4 mm"), "{}", m[0]);
    assert!(
        messages(&check_src("qr-big", &qr("22mm", "")), Check::QrModule).is_empty(),
        "{}",
        check_src("qr-big2", &qr("22mm", ""))
    );
    // A code whose own square is dark has no light quiet zone.
    let dark = qr("22mm", "background = \"#303030\"\ncolor = \"#000000\"");
    let r = check_src("qr-dark", &dark);
    let m = messages(&r, Check::QrQuietZone);
    assert_eq!(m.len(), 1, "{r}");
    assert!(m[0].contains("has 0 modules of light space"), "{}", m[0]);
}

#[test]
fn rich_black_text_in_a_cmyk_job_is_a_warning() {
    let job = |color: &str| {
        A5.replace("[page]", "[print]\ncolor_mode = \"cmyk\"\n[page]")
            .replace("[styles.body]\n", &format!("[styles.body]\ncolor = \"{color}\"\n"))
            + &text_frame("one", "y = \"40mm\"\nheight = \"20mm\"", None, "یک")
    };
    let r = check_src("rich-black", &job("cmyk(60, 40, 40, 100)"));
    let m = messages(&r, Check::RichBlack);
    assert_eq!(m.len(), 1, "{r}");
    assert!(m[0].contains("cmyk(60, 40, 40, 100) (rich black)") && m[0].contains("in frame \"one\""), "{}", m[0]);
    assert!(messages(&check_src("pure-black", &job("cmyk(0, 0, 0, 100)")), Check::RichBlack).is_empty());
    assert!(messages(&check_src("rgb-black", &job("#000000")), Check::RichBlack).is_empty(), "neutral RGB is K only");
}
