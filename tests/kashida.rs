//! Kashida by language and word, counted in every layout and locale: none in
//! Sorani by default, none in a word under four letters, at most one per
//! word, and lengths that follow the words rather than one length for all.

mod common;

use common::*;
use nashr::scene::{Item, Scene};
use nashr::{Engine, LayoutSource};
use std::collections::{BTreeMap, BTreeSet};

/// A kashida found in a scene: the word it stretches and its length.
#[derive(Debug)]
struct Found {
    word: String,
    /// (paragraph, byte offset of the word's first cluster).
    at: (usize, usize),
    length: f32,
    /// (page, baseline) of its line.
    line: (usize, i32),
}

/// Every inserted kashida of `scene`, with its word.
fn kashidas(scene: &Scene) -> Vec<Found> {
    // The text of each line of each paragraph by cluster, from the glyphs
    // (white space that hangs at a line end is not drawn: lines are apart).
    let mut text: BTreeMap<(usize, usize, i32), BTreeMap<usize, String>> = BTreeMap::new();
    for (pi, page) in scene.pages.iter().enumerate() {
        for item in &page.items {
            if let Item::Glyphs(run) = item {
                let t = text.entry((run.paragraph, pi, run.y as i32)).or_default();
                for g in run.glyphs.iter().filter(|g| !g.text.is_empty()) {
                    t.insert(g.cluster, g.text.clone());
                }
            }
        }
    }
    let word_at = |line: (usize, usize, i32), at: usize| {
        let t = &text[&line];
        let before: Vec<(&usize, &String)> =
            t.range(..at).rev().take_while(|(_, s)| !s.chars().any(char::is_whitespace)).collect();
        let start = before.last().map_or(at, |(c, _)| **c);
        let after = t.range(at..).map(|(_, s)| s).take_while(|s| !s.chars().any(char::is_whitespace));
        (start, before.into_iter().rev().map(|(_, s)| s).chain(after).map(String::as_str).collect::<String>())
    };
    let mut out = Vec::new();
    for (pi, page) in scene.pages.iter().enumerate() {
        for item in &page.items {
            let Item::Glyphs(run) = item else { continue };
            // The copies of one stretched kashida share its cluster; the one
            // that carries the advance carries its length.
            for g in run.glyphs.iter().filter(|g| g.kashida && g.advance > 0.0) {
                let (start, word) = word_at((run.paragraph, pi, run.y as i32), g.cluster);
                out.push(Found { word, at: (run.paragraph, start), length: g.advance, line: (pi, run.y as i32) });
            }
        }
    }
    out
}

fn letters(word: &str) -> usize {
    word.chars().filter(|c| c.is_alphabetic()).count()
}

#[test]
fn kashida_follows_the_language_and_the_word() {
    let engine = Engine::new();
    let mut report = Vec::new();
    for layout in
        ["invitation-a5", "invitation-column-60mm", "invitation-story", "invitation-square", "invitation-a3-poster"]
    {
        let source = LayoutSource::read(crate_path(&format!("layouts/{layout}.toml"))).unwrap();
        for code in ["fa", "ckb", "en", "de", "sv"] {
            let locale = engine.locale(crate_path(&format!("locales/{code}.toml"))).unwrap();
            let doc = engine.load_with(&source, Some(&locale), None).unwrap();
            let found = kashidas(&engine.layout(&doc).unwrap());
            report.push(format!("{layout} {code}: {} kashidas", found.len()));
            if code == "ckb" {
                assert!(found.is_empty(), "{layout}: Sorani takes no kashida by default: {found:?}");
            }
            for k in &found {
                assert!(letters(&k.word) >= 4, "{layout} {code}: a kashida in «{}», under four letters", k.word);
            }
            let mut per_word = BTreeSet::new();
            for k in &found {
                assert!(per_word.insert(k.at), "{layout} {code}: two kashidas in «{}»", k.word);
            }
            // On a line with several kashidas in words of different lengths,
            // the kashidas are not all one length.
            let mut lines: BTreeMap<(usize, i32), Vec<&Found>> = BTreeMap::new();
            for k in &found {
                lines.entry(k.line).or_default().push(k);
            }
            for (line, ks) in lines {
                let sizes: BTreeSet<usize> = ks.iter().map(|k| letters(&k.word)).collect();
                let lengths: BTreeSet<i32> = ks.iter().map(|k| (k.length * 100.0) as i32).collect();
                if ks.len() >= 3 && sizes.len() >= 2 {
                    assert!(lengths.len() >= 2, "{layout} {code} line {line:?}: {} kashidas of one length", ks.len());
                }
            }
        }
    }
    eprintln!("{}", report.join("\n"));
}

#[test]
fn a_locale_or_a_style_chooses_the_kashida() {
    let engine = Engine::new();
    let text = "در کنگره حزب کمونیست کارگری که به دلیل شیوع کرونا بصورت آنلاین در روزهای ۱۲ تا ۱۴ آذر برگزار میشود شرکت کنید. این حق شماست که با احزاب سیاسی تماس بگیرید.";
    let layout = |kashida: &str| {
        format!(
            "[meta]\nlanguage = \"fa\"\n[page]\nsize = \"A6\"\nmargin = \"12mm\"\n[styles.body]\nsize = \"11pt\"\nalign = \"justify\"\n{kashida}\n\
             [[frame]]\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"{text}\"\n"
        )
    };
    let found = |src: String| kashidas(&engine.layout(&engine.load_str("k.toml", &src).unwrap()).unwrap());
    let longest = |f: &[Found]| f.iter().map(|k| k.length).fold(0.0f32, f32::max);
    let auto = found(layout(""));
    let display = found(layout("kashida = \"display\""));
    assert!(!auto.is_empty(), "Persian text justifies with kashida");
    assert!(found(layout("kashida = \"off\"")).is_empty());
    assert!(longest(&display) > longest(&auto), "display kashidas are longer");
    let e = engine.load_str("k.toml", &layout("kashida = \"lots\"")).unwrap_err().to_string();
    assert!(e.contains("k.toml:9:11") && e.contains("auto"), "{e}");
}
