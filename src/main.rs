//! The `nashr` command line: a thin shell over the library. It owns the
//! terminal (messages, exit codes); the library never prints or exits.

use clap::{Parser, Subcommand, ValueEnum};
use nashr::model::Direction;
use nashr::text::{hb, shape::Shaper};
use nashr::{FontBook, Format};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "nashr",
    version,
    about = "Typeset TOML layouts into print-ready PDFs, with Persian (RTL) typography",
    long_about = "nashr turns TOML layout files into print-ready PDF leaflets and posters, with \
                  right-to-left Persian typography: shaping, bidi, line breaking and justification.\n\n\
                  Quick start:\n  nashr render layouts/invitation-a5.toml -o leaflet.pdf"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render a layout to PDF or to the laid-out scene as JSON.
    Render {
        /// The layout file (TOML).
        layout: PathBuf,
        /// Output file; defaults to the layout's name with the format's extension.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Output format; by default taken from the output file's extension, else PDF.
        #[arg(short, long, value_enum)]
        format: Option<FormatArg>,
    },
    /// Shape text and print the glyphs in hb-shape's format, to compare with HarfBuzz.
    ///
    /// Prints `[gid=cluster+advance|gid=cluster@dx,dy+advance|…]` in font units,
    /// clusters as character indices, exactly like `hb-shape --no-glyph-names`.
    Shape {
        /// The text to shape.
        text: String,
        /// Font file; defaults to the bundled Vazirmatn Regular.
        #[arg(long)]
        font: Option<PathBuf>,
        /// Text direction; `auto` guesses it from the script as hb-shape does
        /// (with --bidi: from the first strong character).
        #[arg(long, value_enum, default_value = "auto")]
        direction: DirectionArg,
        /// Lay the text out as one line of a paragraph (bidi runs, reordering)
        /// and print every glyph in visual order, left to right.
        #[arg(long)]
        bidi: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Pdf,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum DirectionArg {
    Auto,
    Rtl,
    Ltr,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Render { layout, output, format } => render(&layout, output, format),
        Command::Shape { text, font, direction, bidi } => shape(&text, font.as_deref(), direction, bidi),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::FAILURE
        }
    }
}

fn render(layout: &Path, output: Option<PathBuf>, format: Option<FormatArg>) -> Result<(), String> {
    let format = match (format, &output) {
        (Some(FormatArg::Pdf), _) => Format::Pdf,
        (Some(FormatArg::Json), _) => Format::Json,
        (None, Some(o)) => match Format::from_path(o) {
            Some(f) => f,
            None => {
                return Err(format!("cannot tell the format from {}; add --format pdf or --format json", o.display()));
            }
        },
        (None, None) => Format::Pdf,
    };
    let output = output.unwrap_or_else(|| layout.with_extension(format.extension()));
    let rendered = nashr::render_file(layout, format).map_err(|e| e.to_string())?;
    for m in &rendered.scene.missing {
        eprintln!(
            "warning: no font has a glyph for {:?} (U+{:04X}) in {}, character {}",
            m.ch,
            m.ch as u32,
            m.origin,
            m.char_index + 1
        );
    }
    nashr::export::write_atomic(&output, &rendered.bytes)
        .map_err(|e| format!("cannot write {}: {e}", output.display()))?;
    eprintln!(
        "wrote {} ({} page{}, {} bytes)",
        output.display(),
        rendered.scene.pages.len(),
        if rendered.scene.pages.len() == 1 { "" } else { "s" },
        rendered.bytes.len()
    );
    Ok(())
}

fn shape(text: &str, font: Option<&Path>, direction: DirectionArg, bidi: bool) -> Result<(), String> {
    let mut book = FontBook::with_bundled();
    let face = match font {
        Some(p) => book.load_file(p).map_err(|e| e.to_string())?,
        None => book.resolve(nashr::fonts::DEFAULT_FAMILY, 400).map_err(|e| e.to_string())?,
    };
    let direction = match direction {
        DirectionArg::Auto => Direction::Auto,
        DirectionArg::Rtl => Direction::Rtl,
        DirectionArg::Ltr => Direction::Ltr,
    };
    let mut shaper = Shaper::new(&book, "");
    let glyphs = if bidi {
        hb::shape_line(&mut shaper, face, text, direction)
    } else {
        hb::shape_run(&mut shaper, face, text, direction)
    };
    println!("{}", hb::format(&glyphs));
    Ok(())
}
