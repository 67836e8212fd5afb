//! The README as a user follows it: every TOML block loads (and a layout
//! renders), every shown output is what the command prints, every file a
//! quick-start command writes is ignored by git, and the tools it names
//! are the ones the tests run.

mod common;

use common::*;

fn readme() -> String {
    std::fs::read_to_string(crate_path("README.md")).unwrap()
}

/// The fenced blocks of a language, each with the text just before it.
fn blocks(text: &str, lang: &str) -> Vec<(String, String)> {
    let fence = format!("```{lang}\n");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(&fence) {
        let before = rest[..start].to_string();
        let body_start = start + fence.len();
        let end = rest[body_start..].find("```").expect("a closed block") + body_start;
        // Blocks inside a list item are indented; take the indent off.
        let indent = before.rsplit('\n').next().unwrap_or("").len();
        let body: String = rest[body_start..end]
            .lines()
            .map(|l| if l.len() >= indent && l[..indent].trim().is_empty() { &l[indent..] } else { l })
            .collect::<Vec<_>>()
            .join("\n");
        out.push((before, body));
        rest = &rest[end + 3..];
    }
    out
}

#[test]
fn every_toml_block_loads_and_every_layout_renders() {
    let engine = nashr::Engine::new();
    let dir = temp_dir("readme-toml");
    let blocks = blocks(&readme(), "toml");
    assert!(blocks.len() >= 5, "{}", blocks.len());
    let mut layouts = 0;
    for (_, body) in &blocks {
        let parsed: toml::Value = toml::from_str(body).unwrap_or_else(|e| panic!("not TOML: {e}\n{body}"));
        if parsed.get("locale").is_some() {
            let file = dir.join("locale.toml");
            std::fs::write(&file, body).unwrap();
            engine.locale(&file).unwrap_or_else(|e| panic!("{e}\n{body}"));
        } else if let Some(rules) = parsed.get("rule") {
            // The `.taplo.toml` example: its schema exists, its patterns name layouts.
            let rule = &rules.as_array().unwrap()[0];
            let schema = rule["schema"]["path"].as_str().unwrap();
            assert!(crate_path(schema).is_file(), "{schema}");
            assert!(rule["include"].as_array().unwrap().iter().any(|p| p.as_str().unwrap().starts_with("layouts/")));
            let committed = std::fs::read_to_string(crate_path(".taplo.toml")).unwrap();
            assert_eq!(body.trim_end(), committed.trim_end(), "the README shows the repository's own .taplo.toml");
        } else {
            if let Some(path) = body.strip_prefix("#:schema ").and_then(|r| r.lines().next()) {
                assert!(crate_path(path).is_file(), "the #:schema path of a layout at the root: {path}");
            }
            // A layout, read as if it lay in layouts/ (its relative names resolve there).
            let name = crate_path("layouts/readme-block.toml");
            let doc = engine.load_str(&name, body).unwrap_or_else(|e| panic!("{e}\n{body}"));
            let pdf = engine.render(&doc, &nashr::RenderOptions::new(nashr::Format::Pdf));
            assert!(pdf.is_ok_and(|r| r.bytes.starts_with(b"%PDF")), "{body}");
            layouts += 1;
        }
    }
    assert!(layouts >= 3, "{layouts}");
}

#[test]
fn the_error_example_is_what_nashr_prints() {
    let text = readme();
    let (_, shown) = blocks(&text, "text")
        .into_iter()
        .find(|(before, _)| before.ends_with("`nashr render tests/layouts/typo.toml` prints:\n\n"))
        .expect("the error example");
    let dir = temp_dir("readme-typo");
    let out = dir.join("typo.pdf");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_nashr"))
        .current_dir(crate_path("."))
        .args(["render", "tests/layouts/typo.toml", "-o", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&o.stderr).trim_end(), shown.trim_end());
}

#[test]
fn the_bad_layout_example_runs_as_shipped() {
    let text = readme();
    let (_, shown) = blocks(&text, "text")
        .into_iter()
        .find(|(before, _)| before.contains("`nashr check tests/layouts/bad-print.toml`:"))
        .expect("the preflight example");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_nashr"))
        .current_dir(crate_path("."))
        .args(["check", "tests/layouts/bad-print.toml"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let printed = String::from_utf8_lossy(&o.stdout).into_owned();
    let printed: Vec<&str> = printed.lines().collect();
    let shown: Vec<&str> = shown.lines().collect();
    assert_eq!(printed.len(), shown.len(), "{printed:#?}");
    for (p, s) in printed.iter().zip(&shown) {
        // The README shortens long lines with «…» at their end.
        let head = s.split('…').next().unwrap().trim_end_matches([' ', ';', '«']);
        assert!(p.starts_with(head) || p.contains(head), "README: {s}\nnashr:  {p}");
    }
}

#[test]
fn quick_start_outputs_are_ignored_by_git() {
    let ignore = std::fs::read_to_string(crate_path(".gitignore")).unwrap();
    let ignored: Vec<&str> = ignore.lines().map(str::trim).collect();
    let text = readme();
    let mut outputs = Vec::new();
    for (_, body) in blocks(&text, "sh") {
        let words: Vec<&str> = body.split_whitespace().collect();
        for pair in words.windows(2) {
            if pair[0] == "-o" || pair[0] == "init" || (pair[0] == "square" && pair[1].ends_with(".toml")) {
                outputs.push(pair[1].to_string());
            }
        }
    }
    for (_, body) in blocks(&text, "rust,no_run") {
        for (i, _) in body.match_indices("std::fs::write(\"") {
            let name = body[i + 16..].split('"').next().unwrap();
            outputs.push(name.to_string());
        }
    }
    let at_root: Vec<&String> = outputs.iter().filter(|o| !o.contains('/') && o.contains('.')).collect();
    assert!(at_root.len() >= 5, "{outputs:?}");
    for o in at_root {
        assert!(ignored.contains(&format!("/{o}").as_str()), "{o} is written by the README but not in .gitignore");
    }
    assert!(ignored.contains(&"/out/"));
}

#[test]
fn the_tools_named_are_the_tools_the_tests_run() {
    let text = readme();
    let start = text.find("Tools the tests run when present:").expect("the tools sentence");
    let sentence = &text[start..start + text[start..].find(';').unwrap()];
    let named: Vec<&str> = sentence.split('`').skip(1).step_by(2).collect();
    let mut used = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(crate_path("tests")).unwrap() {
        let source = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
        for (i, _) in source.match_indices("require(\"") {
            used.insert(source[i + 9..].split('"').next().unwrap().to_string());
        }
        if source.contains("pypdfium2") && source.contains("Command::new(\"python3\")") {
            used.insert("python3".into());
            used.insert("pypdfium2".into());
        }
    }
    let named: std::collections::BTreeSet<String> = named.iter().map(|s| s.to_string()).collect();
    assert_eq!(named, used, "the README's list of tools and the tools the tests need differ");
}
