//! The command line as a user meets it: help, errors with positions, overflow,
//! atomic output.

mod common;

use common::*;

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn help_and_version() {
    let o = nashr(&["--help"]);
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("render") && out.contains("shape"));
    let o = nashr(&["--version"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn toml_mistake_names_file_line_and_column() {
    let dir = temp_dir("toml-error");
    let layout = dir.join("bad.toml");
    std::fs::write(&layout, "[page]\nsize = \"A5\"\nmargin = \"12 parsecs\"\n").unwrap();
    let o = nashr(&["render", layout.to_str().unwrap(), "-o", dir.join("x.pdf").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("bad.toml:3:10"), "{e}");
    assert!(e.contains("unknown unit"), "{e}");
    assert!(e.contains("margin = \"12 parsecs\""), "the line is shown: {e}");
    assert!(!dir.join("x.pdf").exists());
}

#[test]
fn unknown_style_names_the_existing_ones() {
    let dir = temp_dir("style-error");
    let layout = dir.join("s.toml");
    std::fs::write(
        &layout,
        "[page]\nsize = \"A6\"\n[styles.body]\nsize = 9\n[styles.title]\nsize = 20\n[[frame]]\n[[frame.block]]\ntype = \"heading\"\nstyle = \"titel\"\ntext = \"x\"\n",
    )
    .unwrap();
    let o = nashr(&["render", layout.to_str().unwrap()]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(e.contains("s.toml:10:9") && e.contains("\"titel\"") && e.contains("body, title"), "{e}");
}

#[test]
fn overflow_is_an_error_naming_the_frame_and_nothing_is_written() {
    let dir = temp_dir("overflow");
    let layout = dir.join("o.toml");
    let text = "کلمه ".repeat(400);
    std::fs::write(
        &layout,
        format!("[page]\nsize = \"A6\"\nmargin = \"10mm\"\n[[frame]]\nname = \"tiny\"\nheight = \"20mm\"\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"{text}\"\n"),
    )
    .unwrap();
    let out = dir.join("o.pdf");
    std::fs::write(&out, b"previous good file").unwrap();
    let o = nashr(&["render", layout.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("overflows frame \"tiny\" on page 1"), "{e}");
    assert_eq!(std::fs::read(&out).unwrap(), b"previous good file", "a failed render leaves the old file alone");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn missing_glyph_is_a_warning_naming_the_character() {
    let dir = temp_dir("missing");
    let layout = dir.join("m.toml");
    std::fs::write(&layout, "[page]\nsize = \"A6\"\n[[frame]]\nname = \"main\"\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"سلام ☃ دنیا\"\n").unwrap();
    let o = nashr(&["render", layout.to_str().unwrap(), "-o", dir.join("m.pdf").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("U+2603") && e.contains("frame \"main\""), "{e}");
}

#[test]
fn render_defaults_output_name_and_json_format() {
    let dir = temp_dir("defaults");
    let layout = dir.join("d.toml");
    std::fs::write(
        &layout,
        "[page]\nsize = \"A6\"\n[[frame]]\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"سلام\"\n",
    )
    .unwrap();
    let o = nashr(&["render", layout.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read(dir.join("d.pdf")).unwrap().starts_with(b"%PDF-"));
    let o = nashr(&["render", layout.to_str().unwrap(), "--format", "json"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("d.json")).unwrap()).unwrap();
    assert_eq!(v["pages"].as_array().unwrap().len(), 1);
    let o = nashr(&["render", layout.to_str().unwrap(), "-o", dir.join("d.xyz").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--format"));
}

#[test]
fn second_font_from_a_layout_renders() {
    let dir = temp_dir("noto");
    std::fs::copy(crate_path("fonts/NotoNaskhArabic-Regular.ttf"), dir.join("noto.ttf")).unwrap();
    let layout = dir.join("n.toml");
    std::fs::write(
        &layout,
        format!(
            "fonts = [\"{}\"]\n[page]\nsize = \"A6\"\nmargin = \"10mm\"\n[styles.body]\nfont = \"Noto Naskh Arabic\"\nsize = 12\nalign = \"justify\"\n[[frame]]\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"جمهوری اسلامی با تمام قوا تلاش کرده است. وب سایت: www.wpiran.org\"\n",
            "noto.ttf"
        ),
    )
    .unwrap();
    let json = dir.join("n.json");
    let o = nashr(&["render", layout.to_str().unwrap(), "-o", json.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let families: Vec<&str> = v["fonts"].as_array().unwrap().iter().map(|f| f["family"].as_str().unwrap()).collect();
    assert!(families.contains(&"Noto Naskh Arabic"), "{families:?}");
    let o = nashr(&["render", layout.to_str().unwrap(), "-o", dir.join("n.pdf").to_str().unwrap()]);
    assert!(o.status.success());
}

#[test]
fn normalize_prints_the_corrected_text_and_the_changes() {
    let dir = temp_dir("normalize");
    let input = dir.join("in.txt");
    std::fs::write(&input, "چون میداند که تشکل های كارگری\nسطر دوم\n").unwrap();
    let o = nashr(&["normalize", input.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(String::from_utf8(o.stdout.clone()).unwrap(), "چون می\u{200C}داند که تشکل\u{200C}های کارگری\nسطر دوم\n");
    let e = stderr(&o);
    assert!(e.contains("in.txt:1:5") && e.contains("می‹ZWNJ›داند"), "{e}");
    // --check: the list only, and a failing exit code when something would change.
    let o = nashr(&["normalize", "--check", input.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let clean = dir.join("clean.txt");
    std::fs::write(&clean, "متن تمیز\n").unwrap();
    assert!(nashr(&["normalize", "--check", clean.to_str().unwrap()]).status.success());
    // -o writes the file.
    let out = dir.join("out.txt");
    assert!(nashr(&["normalize", input.to_str().unwrap(), "-o", out.to_str().unwrap()]).status.success());
    assert!(std::fs::read_to_string(&out).unwrap().contains("می\u{200C}داند"));
}

#[test]
fn another_page_as_an_image_gets_its_own_default_name() {
    let dir = temp_dir("page-name");
    let layout = dir.join("two.toml");
    std::fs::write(&layout, "[page]\nsize = \"A6\"\npages = 2\n").unwrap();
    assert!(
        nashr(&["render", layout.to_str().unwrap(), "--format", "png", "--page", "2", "--dpi", "30"]).status.success()
    );
    assert!(dir.join("two-2.png").exists());
    assert!(nashr(&["render", layout.to_str().unwrap(), "--format", "png", "--dpi", "30"]).status.success());
    assert!(dir.join("two.png").exists());
}

#[test]
fn a_layout_reads_only_inside_its_root() {
    let dir = temp_dir("root");
    std::fs::create_dir_all(dir.join("layouts")).unwrap();
    std::fs::copy(crate_path("fonts/NotoNaskhArabic-Regular.ttf"), dir.join("noto.ttf")).unwrap();
    std::fs::write(dir.join("secret.txt"), "DATABASE_URL=postgres://admin:hunter2@db\n").unwrap();
    std::fs::write(dir.join("secret.toml"), "DATABASE_URL=postgres://admin:hunter2@db\n").unwrap();
    let layout = dir.join("layouts/l.toml");
    let write = |locale: &str| {
        std::fs::write(
            &layout,
            format!("fonts = [\"../noto.ttf\"]\n[meta]\nlocale = \"{locale}\"\n[page]\nsize = \"A6\"\n"),
        )
        .unwrap()
    };
    // Outside the layout's folder (and not under the working folder): refused.
    write("../secret.toml");
    let o = nashr(&["render", layout.to_str().unwrap(), "-o", dir.join("o.pdf").to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("outside") && !stderr(&o).contains("hunter2"), "{}", stderr(&o));
    write("/etc/passwd");
    let o = nashr(&["render", layout.to_str().unwrap(), "-o", dir.join("o.pdf").to_str().unwrap()]);
    assert!(stderr(&o).contains("absolute path") && !stderr(&o).contains("root:"), "{}", stderr(&o));
    // With the root widened, the font is read; a file that is no locale by
    // its name is refused, and its content is never shown.
    write("../secret.txt");
    let o = nashr(&[
        "render",
        layout.to_str().unwrap(),
        "--root",
        dir.to_str().unwrap(),
        "-o",
        dir.join("o.pdf").to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(!stderr(&o).contains("hunter2"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--system-fonts` lets a layout name an installed family; without it the
/// family is unknown.
#[test]
fn system_fonts_are_named_by_family_with_the_flag() {
    let listed = nashr(&["fonts", "--system"]);
    let text = String::from_utf8_lossy(&listed.stdout).to_string();
    // A family of the system's, not a bundled one: family, weight, source, coverage.
    let family = text
        .lines()
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|cols| cols.len() > 2 && !cols[2].starts_with("bundled"))
        .map(|cols| cols[0])
        .find(|f| f.chars().all(|c| c.is_ascii_alphanumeric() || c == ' '));
    if !required("a system font", family.is_some()) {
        return;
    }
    let family = family.expect("checked");
    let dir = temp_dir("system-fonts");
    let layout = dir.join("sys.toml");
    std::fs::write(
        &layout,
        format!("[page]\nsize = \"A6\"\n[styles.body]\nfont = \"{family}\"\n[[frame]]\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"Hello\"\n"),
    )
    .unwrap();
    let out = dir.join("sys.json");
    let (layout, out) = (layout.to_str().unwrap(), out.to_str().unwrap());
    let without = nashr(&["render", layout, "--format", "json", "-o", out]);
    assert!(!without.status.success());
    assert!(String::from_utf8_lossy(&without.stderr).contains("unknown font family"));
    let with = nashr(&["render", "--system-fonts", layout, "--format", "json", "-o", out]);
    assert!(with.status.success(), "{}", String::from_utf8_lossy(&with.stderr));
    let scene = std::fs::read_to_string(out).unwrap();
    assert!(
        scene.contains(&format!("\"family\":\"{family}\"")) || scene.contains(&format!("\"family\": \"{family}\"")),
        "{family}"
    );
}

#[test]
fn render_flushes_its_output_unless_told_not_to() {
    let dir = temp_dir("fsync");
    let layout = dir.join("f.toml");
    std::fs::write(
        &layout,
        "[page]\nsize = \"A6\"\n[[frame]]\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"سلام\"\n",
    )
    .unwrap();
    for (fsync, name) in [("file", "a.pdf"), ("none", "b.pdf"), ("batch", "c.pdf")] {
        let out = dir.join(name);
        let o = nashr(&["render", layout.to_str().unwrap(), "-o", out.to_str().unwrap(), "--fsync", fsync]);
        assert!(o.status.success(), "--fsync {fsync}: {}", stderr(&o));
        assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF-"), "--fsync {fsync} writes the file whole");
    }
    assert_eq!(std::fs::read(dir.join("a.pdf")).unwrap(), std::fs::read(dir.join("b.pdf")).unwrap());
    let o = nashr(&["render", layout.to_str().unwrap(), "--fsync", "sometimes"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("possible values: file, batch, none"), "{}", stderr(&o));
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file is left behind");
}
