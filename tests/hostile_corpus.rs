//! The hostile corpus: one layout per attack seen in the wild or in a probe
//! (`tests/hostile/*.toml`; the fuzz targets start from it too). The first
//! line of each says what must happen: `# expect: error: TEXT` (an error
//! whose message holds TEXT), `# expect: error` (any clear error) or
//! `# expect: bounded` (a result or an error, in bounded time). None may
//! panic, show a file's content or write a number that is not finite.

mod common;

use common::*;
use nashr::{Engine, Format, LayoutSource, RenderOptions};

/// What a case's first line asks for.
enum Expect {
    Error(String),
    Bounded,
}

fn expectation(text: &str, name: &str) -> Expect {
    let first = text.lines().next().unwrap_or_default();
    let rule = first.strip_prefix("# expect: ").unwrap_or_else(|| panic!("{name}: the first line says what to expect"));
    match rule {
        "bounded" => Expect::Bounded,
        "error" => Expect::Error(String::new()),
        other => Expect::Error(
            other.strip_prefix("error: ").unwrap_or_else(|| panic!("{name}: unknown expectation {other:?}")).into(),
        ),
    }
}

fn render(path: &std::path::Path) -> Result<Vec<u8>, String> {
    let engine = Engine::new().with_root(crate_path(""));
    let source = LayoutSource::read(path).map_err(|e| e.to_string())?;
    let doc = engine.load_with(&source, None, None).map_err(|e| e.to_string())?;
    engine.render(&doc, &RenderOptions::new(Format::Pdf)).map(|r| r.bytes).map_err(|e| e.to_string())
}

#[test]
fn every_hostile_layout_gets_a_clear_error_or_a_bounded_result() {
    let mut cases: Vec<_> = std::fs::read_dir(crate_path("tests/hostile"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "the corpus is there: {}", cases.len());
    for path in cases {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let outcome = render(&path);
        if let Err(e) = &outcome {
            assert!(!e.contains("root:") && !e.contains("DATABASE_URL"), "{name}: a message shows a file: {e}");
            assert!(
                e.chars().all(|c| c == '\n' || !c.is_control()),
                "{name}: control characters reach the terminal: {e:?}"
            );
            assert!(e.len() < 2000, "{name}: a message of {} bytes", e.len());
        }
        if let Ok(pdf) = &outcome {
            let body = String::from_utf8_lossy(pdf);
            assert!(!body.contains("NaN") && !body.contains("inf "), "{name}: a number that is not finite");
        }
        match (expectation(&text, &name), outcome) {
            (Expect::Error(want), Err(e)) => assert!(e.contains(&want), "{name}: expected «{want}» in: {e}"),
            (Expect::Error(want), Ok(_)) => panic!("{name}: rendered, but an error «{want}» was expected"),
            (Expect::Bounded, _) => {}
        }
    }
}
