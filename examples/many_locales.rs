//! Render one layout in many languages, in memory, from several threads —
//! what a web service or another tool embedding nashr does. Fonts and
//! pictures are read once per process and shared by all threads.
//!
//!     cargo run --release --example many_locales -- layouts/invitation-square.toml fa en ckb sv de

use nashr::model::locale::Locale;
use nashr::{Format, RenderOptions};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let layout = PathBuf::from(args.next().unwrap_or_else(|| "layouts/invitation-square.toml".into()));
    let codes: Vec<String> = args.collect();
    let codes =
        if codes.is_empty() { vec!["fa".into(), "en".into(), "ckb".into(), "sv".into(), "de".into()] } else { codes };
    let locales: Vec<Locale> =
        codes.iter().map(|c| Locale::load(&PathBuf::from(format!("locales/{c}.toml")))).collect::<Result<_, _>>()?;

    let opts = RenderOptions::new(Format::Png);
    let results: Vec<(String, Result<usize, String>)> = std::thread::scope(|s| {
        let handles: Vec<_> = locales
            .iter()
            .map(|locale| {
                let (layout, opts) = (&layout, &opts);
                s.spawn(move || {
                    let bytes = nashr::render_file_localized(layout, Some(locale), opts).map(|r| r.bytes.len());
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
