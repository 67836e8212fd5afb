//! The JSON Schema of the layout format: the committed
//! `schema/layout.schema.json` is what the code generates, every layout in
//! the repository validates against it, and a misspelt key is rejected.

mod common;

use common::*;
use std::path::PathBuf;

/// The schema as the code generates it.
fn generated() -> serde_json::Value {
    serde_json::from_str(&nashr::layout_schema()).unwrap()
}

/// A TOML document as the JSON value an editor's schema check sees.
fn as_json(toml_text: &str) -> serde_json::Value {
    let value: toml::Value = toml::from_str(toml_text).expect("valid TOML");
    serde_json::to_value(value).unwrap()
}

/// The schema's complaints about a layout (empty when it is valid).
fn complaints(layout: &str) -> Vec<String> {
    let validator = jsonschema::validator_for(&generated()).expect("a valid schema");
    validator.iter_errors(&as_json(layout)).map(|e| format!("{e} at {}", e.instance_path())).collect()
}

/// Every `.toml` in a folder of the repository.
fn layouts_in(folder: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(crate_path(folder))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_committed_schema_is_the_generated_one() {
    let committed = std::fs::read_to_string(crate_path("schema/layout.schema.json")).unwrap();
    assert!(
        committed == nashr::layout_schema(),
        "schema/layout.schema.json is out of date: run `cargo run -- schema > schema/layout.schema.json`"
    );
    let o = nashr(&["schema"]);
    assert!(o.status.success());
    assert_eq!(String::from_utf8(o.stdout).unwrap(), committed, "`nashr schema` prints the committed file");
}

#[test]
fn every_layout_in_the_repository_is_valid() {
    let files: Vec<PathBuf> =
        ["layouts", "tests/layouts", "src/cli/presets"].iter().flat_map(|folder| layouts_in(folder)).collect();
    assert!(files.len() >= 10, "{files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let errors = complaints(&text);
        assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
    }
}

#[test]
fn a_misspelt_key_is_rejected_everywhere() {
    let good = "[page]\nsize = \"A6\"\n[styles.body]\nsize = \"10pt\"\n[[frame]]\nname = \"f\"\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"x\"\n";
    assert!(complaints(good).is_empty(), "{:?}", complaints(good));
    for (right, wrong) in [
        ("size = \"A6\"", "sise = \"A6\""),
        ("size = \"10pt\"", "szie = \"10pt\""),
        ("name = \"f\"", "nmae = \"f\""),
        ("text = \"x\"", "txet = \"x\""),
    ] {
        let bad = good.replacen(right, wrong, 1);
        let errors = complaints(&bad);
        let key = wrong.split(' ').next().unwrap();
        assert!(errors.iter().any(|e| e.contains(key)), "{key}: {errors:?}");
        // The layout reader refuses it too, at its position.
        assert!(nashr::Engine::new().load_str("bad.toml", &bad).is_err());
    }
    let schema = generated();
    for table in ["Page", "Style", "Frame", "Block", "Meta", "Print"] {
        assert_eq!(schema["$defs"][table]["additionalProperties"], false, "{table}");
    }
    assert_eq!(schema["additionalProperties"], false);
}

#[test]
fn enumerated_values_are_checked() {
    let layout = |align: &str| format!("[page]\nsize = \"A6\"\n[styles.body]\nalign = \"{align}\"\n");
    assert!(complaints(&layout("justify")).is_empty());
    assert!(!complaints(&layout("justified")).is_empty());
    assert!(!complaints("[page]\nsize = \"A6\"\n[[frame]]\n[[frame.block]]\ntype = \"picture\"\n").is_empty());
    // Each block type takes its own keys, as the reader does.
    let block = |keys: &str| format!("[page]\nsize = \"A6\"\n[[frame]]\n[[frame.block]]\n{keys}\n");
    for (good, bad) in [
        ("type = \"heading\"\ntext = \"x\"", "type = \"heading\"\nitems = [\"x\"]"),
        ("type = \"spacer\"\nheight = \"5mm\"", "type = \"spacer\"\ntext = \"x\""),
        ("type = \"qr\"\ndata = \"x\"\nsize = \"20mm\"", "type = \"rule\"\nsize = \"20mm\""),
    ] {
        assert!(complaints(&block(good)).is_empty(), "{good}: {:?}", complaints(&block(good)));
        assert!(!complaints(&block(bad)).is_empty(), "{bad}");
        assert!(nashr::Engine::new().load_str("b.toml", &block(bad)).is_err(), "the reader refuses {bad} too");
    }
    assert!(!complaints("[page]\nmargin = \"12 parsecs\"\n").is_empty());
    assert!(!complaints("[meta]\ntitle = \"no page\"\n").is_empty(), "[page] is required");
    let schema = generated();
    let described = schema["$defs"]["Style"]["properties"]["kashida"]["description"].as_str().unwrap_or("");
    assert!(described.contains("auto"), "keys carry their doc comments: {described}");
}
