//! The commands around rendering: starter layouts (`init`), the font list
//! (`fonts`), shell completions and the manual page, and merging the
//! manifests of a sharded batch (`manifest merge`) made by real
//! `batch --shard` runs.

mod common;

use common::*;
use std::path::{Path, PathBuf};

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn every_preset_renders_and_init_never_overwrites() {
    let dir = temp_dir("init");
    for (preset, ext, pages) in [("story", "png", 1), ("square", "png", 1), ("a5", "pdf", 1), ("a3-poster", "pdf", 1)] {
        let file = dir.join(format!("{preset}.toml"));
        let o = nashr(&["init", "--preset", preset, file.to_str().unwrap()]);
        assert!(o.status.success(), "{preset}: {}", stderr(&o));
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.lines().filter(|l| l.contains('#')).count() >= 5, "{preset} explains itself in comments");
        let out = dir.join(format!("{preset}.{ext}"));
        let o = nashr(&["render", file.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert!(o.status.success(), "{preset}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(!e.contains("warning"), "{preset} renders cleanly: {e}");
        if ext == "pdf" {
            assert!(e.contains(&format!("({pages} page")), "{e}");
        }
        if preset == "story" {
            assert!(e.contains("1080×1920"), "{e}");
        }
        let check = nashr(&["check", file.to_str().unwrap()]);
        assert!(check.status.success(), "{preset}: {}", stdout(&check));

        // A second init refuses and leaves the file alone.
        std::fs::write(&file, "# mine\n").unwrap();
        let o = nashr(&["init", "--preset", preset, file.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1));
        assert!(stderr(&o).starts_with("error: ") && stderr(&o).contains("already exists"), "{}", stderr(&o));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "# mine\n");
    }
}

#[test]
fn fonts_lists_the_bundled_faces_with_their_coverage() {
    let o = nashr(&["fonts"]);
    assert!(o.status.success());
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 6, "{out}");
    for weight in ["400", "500", "700", "900"] {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("Vazirmatn\t{weight}\tbundled\tPersian 32/32 100%, Sorani 5/5 100%"))),
            "{weight}: {out}"
        );
    }
    // The bundled colour emoji, the fallback for emoji.
    assert!(lines[4].starts_with("Nashr Emoji\t400\tbundled"), "{out}");
    assert!(lines[5].starts_with("5 faces in 2 families"), "{out}");
    // A font without the Sorani letters says which it lacks.
    let coverage = &nashr::Engine::new().fonts()[0].coverage;
    assert_eq!(coverage.iter().map(|c| c.alphabet).collect::<Vec<_>>(), ["Persian", "Sorani", "Arabic"]);
}

#[test]
fn completions_and_manual_page() {
    for (shell, needle) in [
        ("bash", "_nashr()"),
        ("zsh", "#compdef nashr"),
        ("fish", "complete -c nashr"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let o = nashr(&["completions", shell]);
        assert!(o.status.success(), "{shell}");
        let out = stdout(&o);
        assert!(out.contains(needle) && out.contains("watch"), "{shell}: {}", &out[..out.len().min(300)]);
    }
    let o = nashr(&["man"]);
    assert!(o.status.success());
    let page = stdout(&o);
    assert!(page.starts_with(".ie") || page.contains(".TH nashr"), "{}", &page[..page.len().min(200)]);
    assert!(page.contains("watch") && page.contains("manifest"));
    assert_eq!(nashr(&["completions", "tcsh"]).status.code(), Some(2), "an unknown shell is a usage error");
}

/// Run a sharded batch of the five invitation layouts × two formats.
fn shard(out: &Path, k: usize) -> PathBuf {
    let layouts: Vec<String> = ["a5", "a3-poster", "column-60mm", "square", "story"]
        .iter()
        .map(|l| crate_path(&format!("layouts/invitation-{l}.toml")).display().to_string())
        .collect();
    let mut args: Vec<String> = vec!["batch".into()];
    args.extend(layouts);
    let shard = format!("{k}/3");
    args.extend(["--formats", "pdf,json", "-o", out.to_str().unwrap(), "--shard", &shard].map(String::from));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_nashr"))
        .current_dir(crate_path("."))
        .args(&args)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let manifest = out.join(format!("manifest-{k}-of-3.json"));
    assert!(manifest.is_file(), "each shard writes its own manifest: {}", stderr(&o));
    manifest
}

#[test]
fn merge_joins_three_shards_and_finds_gaps_and_repeats() {
    let dir = temp_dir("merge");
    let out = dir.join("out");
    let manifests: Vec<PathBuf> = (1..=3).map(|k| shard(&out, k)).collect();
    let names: Vec<&str> = manifests.iter().map(|m| m.to_str().unwrap()).collect();
    let merged = dir.join("merged.json");

    let mut args = vec!["manifest", "merge"];
    args.extend(&names);
    args.extend(["-o", merged.to_str().unwrap()]);
    let o = nashr(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let entries: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(&merged).unwrap()).unwrap();
    assert_eq!(entries.len(), 10);
    let numbers: Vec<u64> = entries.iter().map(|e| e["variant"].as_u64().unwrap()).collect();
    assert_eq!(numbers, (1..=10).collect::<Vec<_>>(), "every variant once, in plan order");
    assert!(entries.iter().all(|e| e["variants"] == 10 && e["error"].is_null() && e["sha256"].is_string()));
    // The layouts' own locale is named by its code, not `default`.
    assert!(
        entries.iter().all(|e| e["language"] == "fa" && e["output"].as_str().unwrap().contains("-fa.")),
        "{entries:#?}"
    );

    // A shard missing.
    let missing = dir.join("missing.json");
    let o = nashr(&["manifest", "merge", names[0], names[2], "-o", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.starts_with("error: ") && e.contains("3 of 10 variants missing (numbers 2, 5, 8)"), "{e}");
    assert!(!missing.exists(), "nothing is written");

    // A shard given twice.
    let o = nashr(&["manifest", "merge", names[0], names[1], names[2], names[1], "-o", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("3 duplicated") && e.contains("variant 2 is in both"), "{e}");
    assert!(!missing.exists());

    // Manifests of another batch.
    let other = dir.join("other");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_nashr"))
        .current_dir(crate_path("."))
        .args(["batch", "layouts/invitation-square.toml", "-o", other.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let lone = other.join("manifest.json");
    let o = nashr(&["manifest", "merge", names[0], lone.to_str().unwrap(), "-o", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not shards of one batch"), "{}", stderr(&o));
}

#[test]
fn the_kubernetes_job_shards_by_its_completion_index() {
    let job = std::fs::read_to_string(crate_path("deploy/kubernetes/batch-job.yaml")).unwrap();
    let value = |key: &str| -> String {
        let line = job.lines().find(|l| l.trim_start().starts_with(key)).unwrap_or_else(|| panic!("{key}"));
        line.split(':').nth(1).unwrap().trim().trim_matches('"').to_string()
    };
    assert_eq!(value("completionMode:"), "Indexed");
    let n = value("completions:");
    assert_eq!(value("parallelism:"), n, "one pod per shard at once");
    let shards = job.lines().skip_while(|l| !l.contains("name: SHARDS")).nth(1).unwrap();
    assert_eq!(shards.trim(), format!("value: \"{n}\""), "SHARDS agrees with completions");
    assert!(job.contains("K=$((JOB_COMPLETION_INDEX + 1))") && job.contains("--shard \"$K/$SHARDS\""));
    assert!(job.contains("--manifest \"/out/manifest-$K.json\""));
    assert!(job.contains("nashr manifest merge /out/manifest-*.json -o /out/manifest.json"));
    // The shard a pod computes is one `batch` accepts, for every index.
    let n: usize = n.parse().unwrap();
    for index in 0..n {
        assert!(nashr::batch::Shard::parse(&format!("{}/{n}", index + 1)).is_ok());
    }
}
