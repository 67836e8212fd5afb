//! Batch rendering: the matrix in one command, failure isolation, shards,
//! the manifest.

mod common;

use common::*;

const LAYOUT: &str = "[meta]\nlanguage = \"fa\"\n[page]\nsize = \"instagram-square\"\n[styles.body]\nsize = \"60px\"\nalign = \"center\"\n[[frame]]\n[[frame.block]]\ntype = \"heading\"\nstyle = \"body\"\ntext = \"{{headline}}\"\n";

fn setup(name: &str) -> std::path::PathBuf {
    let dir = temp_dir(name);
    std::fs::write(dir.join("post.toml"), LAYOUT).unwrap();
    std::fs::write(
        dir.join("fa.toml"),
        "[locale]\nlanguage = \"fa\"\ndirection = \"rtl\"\n[strings]\nheadline = \"در کنگره شرکت کنید!\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("en.toml"),
        "[locale]\nlanguage = \"en\"\ndirection = \"ltr\"\n[strings]\nheadline = \"Take part in the congress!\"\n",
    )
    .unwrap();
    // A broken variant: this locale lacks the string.
    std::fs::write(
        dir.join("sv.toml"),
        "[locale]\nlanguage = \"sv\"\ndirection = \"ltr\"\n[strings]\nrubrik = \"Delta!\"\n",
    )
    .unwrap();
    dir
}

fn run(dir: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let locales = ["fa", "en", "sv"].map(|l| dir.join(format!("{l}.toml")).display().to_string()).join(",");
    let mut args: Vec<String> = vec![
        "batch".into(),
        dir.join("post.toml").display().to_string(),
        "--locales".into(),
        locales,
        "--formats".into(),
        "pdf,png".into(),
        "-o".into(),
        dir.join("out").display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    nashr(&refs)
}

#[test]
fn one_broken_variant_does_not_stop_the_others() {
    let dir = setup("batch-fail");
    let o = run(&dir, &["--jobs", "2"]);
    assert_eq!(o.status.code(), Some(1), "a failure makes the exit code non-zero");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("4 of 6 variants written"), "{err}");
    assert!(err.contains("post-sv.pdf") && err.contains("\"headline\""), "the failure and its reason: {err}");
    for ok in ["post-fa.pdf", "post-fa.png", "post-en.pdf", "post-en.png"] {
        assert!(dir.join("out").join(ok).exists(), "{ok}");
    }
    assert!(!dir.join("out/post-sv.pdf").exists());
    // The manifest lists every variant with its inputs and, for outputs, a hash.
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("out/manifest.json")).unwrap()).unwrap();
    let rows = m.as_array().unwrap();
    assert_eq!(rows.len(), 6);
    let fa_png = rows.iter().find(|r| r["output"].as_str().unwrap().ends_with("post-fa.png")).unwrap();
    assert_eq!(fa_png["language"], "fa");
    assert_eq!(fa_png["format"], "png");
    assert_eq!(fa_png["sha256"].as_str().unwrap().len(), 64);
    let bytes = std::fs::read(dir.join("out/post-fa.png")).unwrap();
    assert_eq!(fa_png["bytes"].as_u64().unwrap() as usize, bytes.len());
    let sv = rows.iter().find(|r| r["output"].as_str().unwrap().ends_with("post-sv.pdf")).unwrap();
    assert!(sv["error"].as_str().unwrap().contains("headline"));
}

#[test]
fn shards_cover_the_matrix_once() {
    let dir = setup("batch-shard");
    let mut written = Vec::new();
    for k in 1..=2 {
        let o =
            run(&dir, &["--shard", &format!("{k}/2"), "--manifest", dir.join(format!("m{k}.json")).to_str().unwrap()]);
        let m: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join(format!("m{k}.json"))).unwrap()).unwrap();
        assert_eq!(m.as_array().unwrap().len(), 3, "{}", String::from_utf8_lossy(&o.stderr));
        written.extend(m.as_array().unwrap().iter().map(|r| r["output"].as_str().unwrap().to_string()));
    }
    written.sort();
    written.dedup();
    assert_eq!(written.len(), 6);
}

#[test]
fn a_name_template_that_collides_is_refused() {
    let dir = setup("batch-name");
    let o = run(&dir, &["--name", "{layout}.{ext}"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("both write"));
}

#[test]
fn the_library_renders_many_locales_in_memory_from_threads() {
    let dir = setup("batch-lib");
    let layout = dir.join("post.toml");
    let engine = nashr::Engine::new();
    let source = nashr::LayoutSource::read(&layout).unwrap();
    let locales: Vec<_> = ["fa", "en"].iter().map(|l| engine.locale(dir.join(format!("{l}.toml"))).unwrap()).collect();
    std::thread::scope(|s| {
        let handles: Vec<_> = locales
            .iter()
            .map(|l| {
                let (engine, source) = (&engine, &source);
                s.spawn(move || {
                    let opts = nashr::RenderOptions::new(nashr::Format::Png);
                    let doc = engine.load_with(source, Some(l), None).unwrap();
                    engine.render(&doc, &opts).unwrap().bytes
                })
            })
            .collect();
        for h in handles {
            assert!(h.join().unwrap().starts_with(b"\x89PNG"));
        }
    });
}

#[test]
fn data_rows_make_one_output_each_and_a_missing_column_names_the_row() {
    let dir = setup("batch-data");
    std::fs::write(
        dir.join("city.toml"),
        LAYOUT.replace("text = \"{{headline}}\"", "text = \"{{headline}} {{city}}\""),
    )
    .unwrap();
    std::fs::write(dir.join("cities.csv"), "city,date\nتهران,۱۲ آذر\nGöteborg,3 dec\n").unwrap();
    let o = nashr(&[
        "batch",
        dir.join("city.toml").to_str().unwrap(),
        "--locales",
        dir.join("fa.toml").to_str().unwrap(),
        "--data",
        dir.join("cities.csv").to_str().unwrap(),
        "--formats",
        "json",
        "--name",
        "{layout}-{row}-{city}.{ext}",
        "-o",
        dir.join("out").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("out/city-2-Göteborg.json")).unwrap()).unwrap();
    let text = v.to_string();
    assert!(text.contains("\"text\":\"G\""), "the row's value is laid out");
    assert!(dir.join("out/city-1-تهران.json").exists());

    // A column the layout needs and the data lacks: the row and the column are named.
    std::fs::write(dir.join("city.toml"), LAYOUT.replace("{{headline}}", "{{headline}} {{venue}}")).unwrap();
    let o = nashr(&[
        "batch",
        dir.join("city.toml").to_str().unwrap(),
        "--data",
        dir.join("cities.csv").to_str().unwrap(),
        "--locales",
        dir.join("fa.toml").to_str().unwrap(),
        "--name",
        "{layout}-{row}.{ext}",
        "-o",
        dir.join("out2").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("row 1 of") && e.contains("cities.csv") && e.contains("no column \"venue\""), "{e}");
}

/// The bytes of every output of a batch, by file name (the manifest aside).
fn outputs(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "manifest.json")
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect()
}

#[test]
fn every_fsync_policy_writes_the_same_files_and_leaves_no_temporary_ones() {
    let dir = setup("batch-fsync");
    let mut seen = Vec::new();
    for policy in ["file", "batch", "none"] {
        let _ = std::fs::remove_dir_all(dir.join("out"));
        let o = run(&dir, &["--fsync", policy]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("4 of 6 variants written"), "{policy}: {err}");
        let files = outputs(&dir.join("out"));
        assert_eq!(files.len(), 4, "{policy}: four outputs and nothing else: {:?}", files.keys());
        assert!(files.keys().all(|n| !n.starts_with('.')), "{policy}: no temporary file is left");
        seen.push(files);
    }
    assert!(
        seen[0] == seen[1] && seen[1] == seen[2],
        "the policy changes when files reach the disk, not what they hold"
    );
    let o = run(&dir, &["--fsync", "sometimes"]);
    assert_eq!(o.status.code(), Some(2), "an unknown policy is a usage error");
    assert!(String::from_utf8_lossy(&o.stderr).contains("possible values: file, batch, none"));
}

#[test]
fn a_variant_late_in_a_batch_is_the_image_a_single_render_makes() {
    // Later variants draw over a kept background, on a used page, with
    // kept glyph masks; none of that may change a byte.
    let dir = temp_dir("late-variant");
    std::fs::write(dir.join("post.toml"), LAYOUT).unwrap();
    let mut locales = Vec::new();
    for i in 0..6 {
        let file = dir.join(format!("en{i}.toml"));
        std::fs::write(
            &file,
            format!(
                "[locale]\nlanguage = \"en{i}\"\ndirection = \"ltr\"\n[strings]\nheadline = \"Take part in congress {i}!\"\n"
            ),
        )
        .unwrap();
        locales.push(file.to_str().unwrap().to_string());
    }
    let out = dir.join("out");
    let post = dir.join("post.toml");
    let o = nashr(&[
        "batch",
        post.to_str().unwrap(),
        "--locales",
        &locales.join(","),
        "--formats",
        "png",
        "--jobs",
        "1",
        "-o",
        out.to_str().unwrap(),
        "--name",
        "{locale}.{ext}",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for i in [0, 5] {
        let single = dir.join(format!("single{i}.png"));
        let o = nashr(&["render", post.to_str().unwrap(), "--locale", &locales[i], "-o", single.to_str().unwrap()]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let batched = std::fs::read(out.join(format!("en{i}.png"))).unwrap();
        assert!(batched == std::fs::read(&single).unwrap(), "variant {i} differs from its single render");
    }
}
