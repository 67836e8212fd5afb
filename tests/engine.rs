//! The engine as an embedder uses it: one value shared by threads, layouts
//! from strings, a locale and data rows, files on disk that change while
//! the engine lives, and memory that stays flat over many renders.

mod common;

use common::variants::*;
use common::*;
use nashr::{Engine, Format, LayoutSource, RenderOptions};

/// The colour of the pixel at (x, y) of a PNG.
fn pixel(png_bytes: &[u8], x: u32, y: u32) -> [u8; 3] {
    let img = tiny_skia::Pixmap::decode_png(png_bytes).expect("a PNG");
    let p = img.pixel(x, y).expect("inside the image");
    [p.red(), p.green(), p.blue()]
}

#[test]
fn a_changed_picture_or_font_file_is_picked_up() {
    let dir = temp_dir("engine-changes");
    std::fs::write(dir.join("logo.png"), png([255, 0, 0], 4, 4)).unwrap();
    std::fs::copy(crate_path("fonts/NotoNaskhArabic-Regular.ttf"), dir.join("face.ttf")).unwrap();
    let engine = Engine::new();
    let source = LayoutSource::new(dir.join("card.toml"), layout_with("logo.png", "face.ttf"));
    let opts = RenderOptions::new(Format::Png);
    let render = || {
        let doc = engine.load_with(&source, None, Some(&row(1, "مریم"))).expect("the layout resolves");
        engine.render(&doc, &opts).expect("it renders")
    };
    let first = render();
    assert_eq!(pixel(&first.bytes, 20, 20), [255, 0, 0]);
    assert_eq!(first.scene.fonts[0].family, "Noto Naskh Arabic");
    assert_eq!(first.scene.fonts[0].source, dir.join("face.ttf").display().to_string());

    // The picture changes on disk (another size, so the change is seen
    // whatever the file system's clock resolution).
    std::fs::write(dir.join("logo.png"), png([0, 0, 255], 5, 5)).unwrap();
    // The font file is replaced by the bold weight of the family.
    std::fs::copy(crate_path("fonts/NotoNaskhArabic-Bold.ttf"), dir.join("face.ttf")).unwrap();
    let second = render();
    assert_eq!(pixel(&second.bytes, 20, 20), [0, 0, 255], "the new picture is drawn");
    assert_eq!(second.scene.fonts[0].weight, 700, "the new font file is read");
    assert_eq!(first.scene.fonts[0].weight, 400);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn threads_share_one_engine_and_get_the_same_bytes() {
    let engine = Engine::new();
    let source = LayoutSource::read(crate_path("layouts/invitation-square.toml")).unwrap();
    let opts = RenderOptions::new(Format::Png);
    let alone = engine.render(&engine.load_with(&source, None, None).unwrap(), &opts).unwrap().bytes;
    let together: Vec<Vec<u8>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| s.spawn(|| engine.render(&engine.load_with(&source, None, None).unwrap(), &opts).unwrap().bytes))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(together.iter().all(|b| *b == alone), "every thread draws the same image");
}

#[test]
fn pages_count_from_one() {
    let engine = Engine::new();
    let doc = engine.load(crate_path("layouts/invitation-a5.toml")).unwrap();
    let page2 = RenderOptions { page: 2, ..RenderOptions::new(Format::Png) };
    assert!(engine.render(&doc, &page2).is_ok());
    let page3 = RenderOptions { page: 3, ..RenderOptions::new(Format::Png) };
    let e = engine.render(&doc, &page3).unwrap_err().to_string();
    assert!(e.contains("no page 3") && e.contains("2 pages"), "{e}");
    let page0 = RenderOptions { page: 0, ..RenderOptions::new(Format::Png) };
    assert!(matches!(engine.render(&doc, &page0), Err(nashr::Error::Options(_))));
}
