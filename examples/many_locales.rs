//! Render one layout in many languages, in memory, from several threads —
//! what a web service or another tool embedding nashr does. One engine is
//! shared by all threads: fonts and pictures are read once.
//!
//!     cargo run --release --example many_locales -- layouts/invitation-square.toml fa en ckb sv de

use nashr::{Engine, Format, LayoutSource, Locale, RenderOptions};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let layout = PathBuf::from(args.next().unwrap_or_else(|| "layouts/invitation-square.toml".into()));
    let codes: Vec<String> = args.collect();
    let codes =
        if codes.is_empty() { vec!["fa".into(), "en".into(), "ckb".into(), "sv".into(), "de".into()] } else { codes };
    let engine = Engine::new();
    let locales: Vec<Locale> =
        codes.iter().map(|c| engine.locale(format!("locales/{c}.toml"))).collect::<Result<_, _>>()?;
    let source = LayoutSource::read(&layout)?;

    let opts = RenderOptions::new(Format::Png);
    let results: Vec<(String, Result<usize, String>)> = std::thread::scope(|s| {
        let handles: Vec<_> = locales
            .iter()
            .map(|locale| {
                let (engine, source, opts) = (&engine, &source, &opts);
                s.spawn(move || {
                    let bytes = engine
                        .load_with(source, Some(locale), None)
                        .and_then(|doc| engine.render(&doc, opts))
                        .map(|r| r.bytes.len());
                    (locale.language.clone(), bytes.map_err(|e| e.to_string()))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("a render thread")).collect()
    });
    for (language, result) in results {
        match result {
            Ok(n) => println!("{language}: {n} bytes of PNG"),
            Err(e) => println!("{language}: {e}"),
        }
    }
    Ok(())
}
