//! Layouts, locales and data rows written by someone else: each case gives
//! a clear error or a bounded result — no panic, no hang, no file read
//! outside the layout's root or shown in a message, nothing written outside
//! the output folder, no invalid number in a PDF.

mod common;

use common::*;
use nashr::{Engine, Format, LayoutSource, RenderOptions};

/// Resolve and render `src` held in memory (named inside the crate); the error text, if any.
fn outcome(src: &str) -> Result<Vec<u8>, String> {
    let engine = Engine::new();
    let doc = engine
        .load_with(&LayoutSource::new(crate_path("tests/hostile.toml"), src), None, None)
        .map_err(|e| e.to_string())?;
    engine.render(&doc, &RenderOptions::new(Format::Pdf)).map(|r| r.bytes).map_err(|e| e.to_string())
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const PAGE: &str = "[page]\nsize = \"A6\"\nmargin = \"10mm\"\n";

#[test]
fn files_outside_the_root_are_refused_and_never_shown() {
    for locale in ["/etc/shadow", "/etc/passwd", "../../../../etc/passwd", "../../secret.toml", "/dev/zero"] {
        let e = outcome(&format!("[meta]\nlocale = \"{locale}\"\n{PAGE}")).unwrap_err();
        assert!(e.contains(locale) && !e.contains("root:"), "{e}");
    }
    let e = outcome(&format!("fonts = [\"/proc/self/environ\"]\n{PAGE}")).unwrap_err();
    assert!(e.contains("font file"), "{e}");
    let e = outcome(&format!("{PAGE}[[frame]]\nimage = \"/dev/urandom\"\n")).unwrap_err();
    assert!(e.contains("picture"), "{e}");
}

#[test]
fn a_deep_chain_of_styles_is_an_error_not_a_crash() {
    let mut src = String::from(PAGE);
    for i in 0..3000 {
        src.push_str(&format!("[styles.s{i}]\nparent = \"s{}\"\n", i + 1));
    }
    src.push_str(
        "[styles.s3000]\nsize = 9\n[[frame]]\n[[frame.block]]\ntype = \"paragraph\"\nstyle = \"s0\"\ntext = \"x\"\n",
    );
    let e = outcome(&src).unwrap_err();
    assert!(e.contains("more than 64 deep"), "{e}");
}

#[test]
fn a_letter_with_thousands_of_marks_is_an_error_not_a_crash() {
    let marks = "\u{064E}".repeat(80_000);
    let e =
        outcome(&format!("{PAGE}[[frame]]\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"ب{marks}\"\n")).unwrap_err();
    assert!(e.contains("combining marks") && e.contains("block 1"), "{}", &e[..e.len().min(300)]);
}

#[test]
fn numbers_beyond_the_world_are_refused() {
    for bad in ["x = 1e308", "width = \"1e38pt\"", "x = nan", "y = inf", "height = -1e300"] {
        let e = outcome(&format!("{PAGE}[[frame]]\n{bad}\n")).unwrap_err();
        assert!(e.contains("hostile.toml:5:"), "{bad}: {e}");
    }
    for angle in ["nan", "inf"] {
        let e = outcome(&format!(
            "[page]\nsize = \"A6\"\nbackground = {{ gradient = [\"#000\", \"#fff\"], angle = {angle} }}\n"
        ))
        .unwrap_err();
        assert!(e.contains("finite"), "{e}");
    }
    let stops = vec!["\"#000\""; 100].join(", ");
    let e = outcome(&format!("[page]\nsize = \"A6\"\nbackground = {{ gradient = [{stops}] }}\n")).unwrap_err();
    assert!(e.contains("at most 64 colours"), "{e}");
}

#[test]
fn no_pdf_carries_a_number_that_is_not_finite() {
    let pdf = outcome(&format!(
        "{PAGE}[[frame]]\nx = \"-5000mm\"\nwidth = \"10000mm\"\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"سلام\"\n"
    ))
    .expect("huge but finite geometry renders");
    let lo = lopdf::Document::load_mem(&pdf).unwrap();
    for (_, page) in lo.get_pages() {
        let content = String::from_utf8_lossy(&lo.get_page_content(page)).to_ascii_lowercase();
        assert!(content.contains("tj"), "the page has its text");
        assert!(!content.contains("nan") && !content.contains("inf"), "finite numbers only");
    }
}

#[test]
fn links_go_only_to_the_web_mail_or_phone() {
    for bad in ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x"] {
        let e =
            outcome(&format!("{PAGE}[[frame]]\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"[click]({bad})\"\n"))
                .unwrap_err();
        assert!(e.contains("not an http, https, mailto or tel address"), "{e}");
    }
    for good in ["https://wpiran.org", "mailto:info@wpiran.org", "tel:+46700447425"] {
        outcome(&format!("{PAGE}[[frame]]\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"[here]({good})\"\n"))
            .unwrap();
    }
}

#[test]
fn a_batch_writes_only_inside_its_folder_and_goes_on_past_a_bad_row() {
    let dir = temp_dir("hostile-batch");
    let layout = dir.join("card.toml");
    std::fs::write(&layout, format!("{PAGE}[[frame]]\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"{{{{t}}}}\"\n"))
        .unwrap();
    let mut rows = String::from("t\n");
    for i in 0..100 {
        if i == 37 {
            rows.push_str(&format!("ب{}\n", "\u{064E}".repeat(80_000)));
        } else {
            rows.push_str(&format!("سلام {i}\n"));
        }
    }
    std::fs::write(dir.join("rows.csv"), rows).unwrap();
    let out = dir.join("out");
    let o = nashr(&[
        "batch",
        layout.to_str().unwrap(),
        "--data",
        dir.join("rows.csv").to_str().unwrap(),
        "--name",
        "{layout}-{row}.{ext}",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "one failure: {}", stderr(&o));
    let written = std::fs::read_dir(&out)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "pdf"))
        .count();
    assert_eq!(written, 99);
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("combining marks"), "the failure is in the manifest");
    // Names that would leave the output folder or overwrite an input: refused, nothing written.
    for name in ["../{layout}.{ext}", "/tmp/{layout}.{ext}", "../card.toml"] {
        let out2 = dir.join(format!("out-{}", name.len()));
        let o = nashr(&["batch", layout.to_str().unwrap(), "--name", name, "-o", out2.to_str().unwrap()]);
        assert!(!o.status.success() && stderr(&o).contains("nothing was written"), "{name}: {}", stderr(&o));
        assert!(!out2.join("manifest.json").exists());
    }
    // A manifest over the layout: refused.
    let o = nashr(&[
        "batch",
        layout.to_str().unwrap(),
        "--manifest",
        layout.to_str().unwrap(),
        "-o",
        dir.join("o3").to_str().unwrap(),
    ]);
    assert!(!o.status.success() && stderr(&o).contains("is an input"), "{}", stderr(&o));
    // render -o onto the layout itself: refused, the layout kept.
    let o = nashr(&["render", layout.to_str().unwrap(), "--format", "pdf", "-o", layout.to_str().unwrap()]);
    assert!(!o.status.success() && stderr(&o).contains("the layout itself"), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&layout).unwrap().contains("[page]"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn long_and_strange_text_gives_short_clear_messages() {
    // 100,000 brackets: parsed in linear time, and the message quotes a
    // few characters of the word, not all of it.
    let e = outcome(&format!(
        "{PAGE}[[frame]]\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"{}\"\n",
        "[".repeat(100_000)
    ))
    .unwrap_err();
    assert!(e.len() < 600 && e.contains("wider than frame"), "{} bytes: {}", e.len(), &e[..e.len().min(200)]);
    // An escape sequence in a style name reaches the terminal escaped.
    let dir = temp_dir("hostile-escape");
    let layout = dir.join("e.toml");
    std::fs::write(
        &layout,
        format!("{PAGE}[[frame]]\n[[frame.block]]\ntype = \"paragraph\"\nstyle = \"x\\u001b[31m\"\ntext = \"a\"\n"),
    )
    .unwrap();
    let o = nashr(&["render", layout.to_str().unwrap(), "-o", dir.join("e.pdf").to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(!stderr(&o).contains('\u{1b}') && stderr(&o).contains("\\u{1b}"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_pictures_of_one_document_share_a_pixel_budget() {
    // One 10-megapixel picture, named twenty ways ("big.png", "./big.png",
    // "././big.png", …): each name counts, and the twentieth passes the 200
    // megapixels a document may hold.
    let dir = temp_dir("hostile-picture-budget");
    let (w, h) = (3_200u32, 3_200u32);
    let mut file = Vec::new();
    {
        let mut e = png::Encoder::new(&mut file, w, h);
        e.set_color(png::ColorType::Grayscale);
        e.set_compression(png::Compression::Fast);
        e.write_header().unwrap().write_image_data(&vec![200u8; (w * h) as usize]).unwrap();
    }
    std::fs::write(dir.join("big.png"), file).unwrap();
    let frames = |n: usize| -> String {
        (0..n).map(|k| format!("[[frame]]\nname = \"f{}\"\nimage = \"{}big.png\"\n", k + 1, "./".repeat(k))).collect()
    };
    let layout = |n: usize| format!("[page]\nsize = \"A6\"\n{}", frames(n));
    let engine = Engine::new();
    assert!(engine.load_str(dir.join("within.toml"), &layout(19)).is_ok(), "195 megapixels are within the budget");
    let e = engine.load_str(dir.join("over.toml"), &layout(20)).unwrap_err().to_string();
    assert!(e.contains("204800000 decoded pixels") && e.contains("limit of 200000000 (`picture-pixels`)"), "{e}");
    // Frame k's image is on line 3k + 2.
    assert!(e.contains("frame \"f20\"") && e.contains("over.toml:62:"), "names the frame and the line: {e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_fifo_or_device_given_as_layout_locale_or_data_is_refused_without_waiting() {
    let dir = temp_dir("hostile-fifo");
    let fifo = dir.join("rows.csv");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success());
    let engine = Engine::new();
    // Reading a FIFO nobody writes to would block for ever.
    let e = engine.rows(&fifo).unwrap_err().to_string();
    assert!(e.contains("rows.csv") && e.contains("not a regular file"), "{e}");
    let layout_fifo = dir.join("post.toml");
    assert!(std::process::Command::new("mkfifo").arg(&layout_fifo).status().unwrap().success());
    let e = LayoutSource::read(&layout_fifo).unwrap_err().to_string();
    assert!(e.contains("not a regular file"), "{e}");
    let e = engine.locale(&layout_fifo).unwrap_err().to_string();
    assert!(e.contains("not a regular file"), "{e}");
    // A device never ends.
    let e = engine.rows("/dev/zero").unwrap_err().to_string();
    assert!(e.contains("not a regular file"), "{e}");
    // An oversize data file is refused before it is read.
    let big = dir.join("big.csv");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(65 << 20).unwrap();
    let e = engine.rows(&big).unwrap_err().to_string();
    assert!(e.contains("over the 64 MB"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Render `src` (named inside the crate) with an engine of the given limits.
fn within(limits: nashr::Limits, src: &str) -> Result<Vec<u8>, String> {
    let engine = Engine::new().with_limits(limits);
    let doc = engine
        .load_with(&LayoutSource::new(crate_path("tests/limits.toml"), src), None, None)
        .map_err(|e| e.to_string())?;
    engine.render(&doc, &RenderOptions::new(Format::Pdf)).map(|r| r.bytes).map_err(|e| e.to_string())
}

fn limits(pairs: &[&str]) -> nashr::Limits {
    let mut l = nashr::Limits::default();
    for p in pairs {
        l.set_pair(p).unwrap();
    }
    l
}

fn paragraphs(n: usize, words: usize) -> String {
    let text = vec!["سلام"; words].join(" ");
    let blocks: String =
        (0..n).map(|_| format!("[[frame.block]]\ntype = \"paragraph\"\ntext = \"{text}\"\n")).collect();
    format!("{PAGE}[[frame]]\nfit = \"flow\"\n{blocks}")
}

#[test]
fn glyphs_per_paragraph_and_per_document_are_budgeted() {
    // 300 words of «سلام» shape to some 1,500 glyphs.
    assert!(within(limits(&["paragraph-glyphs=5000"]), &paragraphs(1, 300)).is_ok());
    let e = within(limits(&["paragraph-glyphs=1000"]), &paragraphs(1, 300)).unwrap_err();
    assert!(e.contains("glyphs one paragraph may shape to") && e.contains("--limit paragraph-glyphs=N"), "{e}");
    // Ten such paragraphs pass one by one but not together.
    let e = within(limits(&["paragraph-glyphs=5000", "document-glyphs=10000"]), &paragraphs(10, 300)).unwrap_err();
    assert!(e.contains("`document-glyphs`"), "{e}");
    // The default budget holds a long document.
    assert!(within(nashr::Limits::default(), &paragraphs(10, 300)).is_ok());
}

#[test]
fn pages_are_budgeted_whether_named_or_made_by_flowing_text() {
    let e = within(limits(&["pages=3"]), &paragraphs(1, 3000)).unwrap_err();
    assert!(e.contains("more than 3 pages") && e.contains("--limit pages=N"), "{e}");
    let named = format!("{PAGE}pages = 9\n[[frame]]\npage = 9\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"x\"\n");
    let e = within(limits(&["pages=5"]), &named).unwrap_err();
    assert!(e.contains("needs 9 pages") && e.contains("(`pages`)"), "{e}");
    // A frame on the last page of a long flow counts too.
    let last = format!(
        "{}[[frame]]\npage = \"last\"\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"end\"\n",
        paragraphs(1, 3000)
    );
    assert!(within(limits(&["pages=3"]), &last).is_err());
}

#[test]
fn qr_codes_are_budgeted_with_the_place_of_the_one_too_many() {
    let qr = "[[frame.block]]\ntype = \"qr\"\ndata = \"https://example.org\"\nsize = \"10mm\"\n";
    let src = format!("{PAGE}[[frame]]\n{}", qr.repeat(3));
    assert!(within(limits(&["qr-codes=3"]), &src).is_ok());
    let e = within(limits(&["qr-codes=2"]), &src).unwrap_err();
    // The third QR block starts on line 13.
    assert!(e.contains("limits.toml:13:") && e.contains("`qr-codes`"), "{e}");
}

#[test]
fn the_command_line_sets_limits_and_refuses_unknown_ones() {
    let dir = temp_dir("hostile-cli-limits");
    let layout = dir.join("long.toml");
    std::fs::write(&layout, paragraphs(1, 3000).replace("[page]", "fonts = []\n[page]")).unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_nashr")).args(args).current_dir(&dir).output().unwrap()
    };
    let o = run(&["render", "long.toml", "-o", "long.pdf", "--limit", "pages=2"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("more than 2 pages") && !dir.join("long.pdf").exists(), "{}", stderr(&o));
    let o = run(&["render", "long.toml", "-o", "long.pdf", "--limit", "pages=100"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["render", "long.toml", "--limit", "speed=9"]);
    assert_eq!(o.status.code(), Some(2), "a usage error");
    assert!(stderr(&o).contains("no limit called `speed`"), "{}", stderr(&o));
    // `normalize` reads only regular files, within a size limit.
    let o = run(&["normalize", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).unwrap();
}
