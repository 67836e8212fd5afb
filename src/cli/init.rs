//! `nashr init --preset NAME FILE`: write a small working layout with
//! comments to start from. It never overwrites a file.

use clap::ValueEnum;
use std::path::Path;

/// The starter layouts.
#[derive(Clone, Copy, ValueEnum)]
pub enum Preset {
    /// A 1080 × 1920 px story.
    Story,
    /// A 1080 × 1080 px square post.
    Square,
    /// An A5 leaflet for print, flowing onto more pages as it grows.
    A5,
    /// An A3 poster for a print shop: CMYK, PDF/X-4, marks.
    #[value(name = "a3-poster")]
    A3Poster,
}

impl Preset {
    /// The layout's text.
    pub fn text(self) -> &'static str {
        match self {
            Preset::Story => include_str!("presets/story.toml"),
            Preset::Square => include_str!("presets/square.toml"),
            Preset::A5 => include_str!("presets/a5.toml"),
            Preset::A3Poster => include_str!("presets/a3-poster.toml"),
        }
    }

    /// The output a first render should make.
    fn output(self) -> &'static str {
        match self {
            Preset::Story | Preset::Square => "png",
            Preset::A5 | Preset::A3Poster => "pdf",
        }
    }
}

/// Write the preset to `file`, refusing to replace anything already there.
pub fn write(preset: Preset, file: &Path) -> Result<String, String> {
    use std::io::Write;
    let mut out = std::fs::OpenOptions::new().write(true).create_new(true).open(file).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => {
            format!("{} already exists; nashr init never overwrites a file, choose another name", file.display())
        }
        _ => format!("cannot create {}: {e}", file.display()),
    })?;
    out.write_all(preset.text().as_bytes()).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    let stem = file.with_extension(preset.output());
    Ok(format!(
        "wrote {}; render it with `nashr render {} -o {}`, or edit it with `nashr watch {} -o {} --preview` running",
        file.display(),
        file.display(),
        stem.display(),
        file.display(),
        stem.display()
    ))
}
