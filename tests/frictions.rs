//! Rough edges a user met, each kept from coming back: a format that
//! contradicts the output's name, batch names with data and the layout's
//! own locale, error wording that blames the right key, frames on pages the
//! layout does not have, a locale looked for twice in one place, the
//! normaliser's report order, exit codes and the `error:` prefix.

mod common;

use common::*;
use std::path::{Path, PathBuf};

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const CARD: &str = "[page]\nsize = \"A6\"\nmargin = \"10mm\"\n[styles.body]\nsize = \"12pt\"\n[[frame]]\nname = \"main\"\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"سلام\"\n";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// The message of loading a layout.
fn load_error(src: &str) -> String {
    nashr::Engine::new().load_str("card.toml", src).map(|_| String::new()).unwrap_or_else(|e| e.to_string())
}

#[test]
fn a_format_the_output_name_contradicts_is_refused() {
    let dir = temp_dir("format-name");
    let layout = write(&dir, "card.toml", CARD);
    let png = dir.join("x.png");
    let o = nashr(&["render", layout.to_str().unwrap(), "--format", "jpeg", "-o", png.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.starts_with("error: --format jpeg disagrees with the output") && e.contains("x.png"), "{e}");
    assert!(!png.exists(), "nothing is written");
    // Without --format the extension decides; with an agreeing one it is fine.
    let jpg = dir.join("x.jpg");
    assert!(nashr(&["render", layout.to_str().unwrap(), "-o", jpg.to_str().unwrap()]).status.success());
    assert!(std::fs::read(&jpg).unwrap().starts_with(&[0xFF, 0xD8]));
    let o = nashr(&["render", layout.to_str().unwrap(), "--format", "png", "-o", png.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
}

#[test]
fn batch_with_data_names_each_row_and_the_own_locale_by_its_code() {
    let dir = temp_dir("batch-data-names");
    let layout = write(&dir, "card.toml", &CARD.replace("سلام", "سلام {{city}}"));
    let data = write(&dir, "cities.csv", "city\nTehran\nMalmö\n");
    let out = dir.join("out");
    let o = nashr(&["batch", layout.to_str().unwrap(), "--data", data.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "the default --name works with --data: {}", stderr(&o));
    assert!(out.join("card-default-1.pdf").is_file() && out.join("card-default-2.pdf").is_file(), "{}", stderr(&o));

    // A layout whose own locale is Persian: `fa`, in file names and the manifest.
    let a5 = crate_path("layouts/invitation-square.toml");
    let out = dir.join("own");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_nashr"))
        .current_dir(crate_path("."))
        .args(["batch", a5.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        out.join("invitation-square-fa.pdf").is_file(),
        "{:?}",
        std::fs::read_dir(&out).unwrap().collect::<Vec<_>>()
    );
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"language\": \"fa\"") && !manifest.contains("default"), "{manifest}");
}

#[test]
fn size_errors_say_what_is_wrong_and_where() {
    let e = load_error(&CARD.replace("name = \"main\"", "name = \"main\"\nheight = \"1pt\""));
    assert!(e.contains("frame \"main\" has height 1.0 pt; a frame must be more than 1 pt"), "{e}");
    assert!(!e.contains("positive"), "{e}");
    let e = load_error(&CARD.replace("name = \"main\"", "name = \"main\"\ny = \"147mm\""));
    assert!(e.contains("without `height` it reaches from y"), "{e}");

    let e = load_error(&CARD.replace("size = \"12pt\"", "size = \"12pt\"\nline_height = \"-3pt\""));
    assert!(e.contains("style \"body\" has line_height -3 pt") && !e.contains("frame"), "{e}");
    assert!(e.contains("card.toml:4:1"), "the style is pointed at: {e}");

    let e = load_error(&CARD.replace("size = \"12pt\"", "size = \"0pt\""));
    assert!(e.contains("greater than 0 and at most 2000"), "{e}");
    assert!(!e.contains("between 0 and 2000"), "{e}");

    let e = load_error("[meta]\ntitle = \"x\"\n");
    assert!(e.contains("a layout needs a [page] table"), "{e}");
}

#[test]
fn a_frame_on_a_page_the_layout_does_not_have_is_an_error() {
    let far = CARD.replace("name = \"main\"", "name = \"main\"\npage = 99");
    let e = load_error(&far);
    assert!(
        e.contains("frame \"main\" is on page 99, but no frame is on pages 1–98") && e.contains("pages = 99"),
        "{e}"
    );
    assert!(e.contains("card.toml:6:1"), "{e}");
    let e = load_error(&far.replace("margin = \"10mm\"", "margin = \"10mm\"\npages = 2"));
    assert!(e.contains("frame \"main\" is on page 99, but [page] says pages = 2"), "{e}");
    // Allowed by `pages`: an empty page between is meant.
    let meant = far.replace("page = 99", "page = 3").replace("margin = \"10mm\"", "margin = \"10mm\"\npages = 3");
    let engine = nashr::Engine::new();
    let doc = engine.load_str("card.toml", &meant).unwrap();
    assert_eq!(engine.layout(&doc).unwrap().pages.len(), 3);
    // Frames on pages 1 and 2 need no `pages`.
    let two = format!("{CARD}[[frame]]\nname = \"back\"\npage = 2\n");
    assert_eq!(engine.layout(&engine.load_str("card.toml", &two).unwrap()).unwrap().pages.len(), 2);
}

#[test]
fn an_unknown_locale_names_each_place_looked_once() {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_nashr"))
        .current_dir(crate_path("."))
        .args(["render", "layouts/invitation-a5.toml", "--locale", "xx", "-o", "/dev/null/never.pdf"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert_eq!(e.trim_end(), "error: no locale \"xx\": looked for xx, locales/xx.toml");
}

#[test]
fn normalize_lists_changes_in_file_order() {
    let dir = temp_dir("normalize-order");
    // Line 1 needs a ZWNJ, line 2 an Arabic yeh made Persian: two rules.
    let text = "او میداند\nعلي آمد\n";
    let file = write(&dir, "t.txt", text);
    let (_, changes) = nashr::lang::normalize::normalize(text);
    let offsets: Vec<usize> = changes.iter().map(|c| c.offset).collect();
    assert!(!offsets.is_sorted(), "the rules find these out of file order: {offsets:?}");
    let o = nashr(&["normalize", file.to_str().unwrap()]);
    assert!(o.status.success());
    let e = stderr(&o);
    let lines: Vec<usize> = e
        .lines()
        .map(|l| l.strip_prefix(&format!("{}:", file.display())).unwrap().split(':').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(lines, [1, 2], "{e}");
}

#[test]
fn exit_codes_and_message_prefixes() {
    let dir = temp_dir("exit-codes");
    // Usage: 2.
    assert_eq!(nashr(&["rendr"]).status.code(), Some(2));
    assert_eq!(nashr(&["render"]).status.code(), Some(2));
    assert_eq!(nashr(&["render", "x.toml", "--dpi", "-3"]).status.code(), Some(2));
    let o = nashr(&["render", "x.toml", "--bogus"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with("error: "), "{}", stderr(&o));
    // Failure: 1, with `error:`.
    for args in [
        vec!["render", "missing.toml"],
        vec!["check", "missing.toml"],
        vec!["batch", "missing.toml", "-o", dir.to_str().unwrap()],
        vec!["manifest", "merge", "missing.json", "-o", "x.json"],
        vec!["normalize", "missing.txt"],
    ] {
        let o = nashr(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let e = stderr(&o);
        assert!(e.lines().any(|l| l.starts_with("error: ")), "{args:?}: {e}");
    }
    // check: warnings alone pass, and fail under --strict.
    let small = write(&dir, "small.toml", &CARD.replace("12pt", "4pt"));
    let o = nashr(&["check", small.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stdout));
    assert!(String::from_utf8_lossy(&o.stdout).contains("0 errors, 1 warning"));
    let o = nashr(&["check", "--strict", small.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).starts_with("error: 1 warning with --strict"), "{}", stderr(&o));
    let clean = write(&dir, "clean.toml", CARD);
    assert_eq!(nashr(&["check", "--strict", clean.to_str().unwrap()]).status.code(), Some(0));
}
