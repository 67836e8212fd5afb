//! The `nashr` command line: a thin shell over the library. It owns the
//! terminal (messages, exit codes); the library never prints or exits.

mod cli;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use nashr::{Direction, Engine, Format, LayoutSource};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "nashr",
    version,
    about = "Typeset TOML layouts into print-ready PDFs and images, with Persian (RTL) typography",
    long_about = "nashr turns TOML layout files into print-ready PDF leaflets and posters, with \
                  right-to-left Persian typography: shaping, bidi, line breaking and justification.\n\n\
                  Quick start:\n  nashr render layouts/invitation-a5.toml -o leaflet.pdf\n  \
                  nashr render layouts/invitation-a5.toml -o page2.png --page 2 --dpi 150"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Raise (or lower) a budget of one document, as NAME=VALUE; repeatable.
    /// pages (1000), paragraph-glyphs (500000), document-glyphs (2000000),
    /// picture-pixels (200000000), qr-codes (200), table-cells (20000). A
    /// document over a limit is an error that names it.
    #[arg(long = "limit", global = true, value_name = "NAME=VALUE", value_parser = limit_pair)]
    limits: Vec<(String, String)>,
    /// Let layouts name the fonts installed on the system by family (found
    /// with fontdb; `nashr fonts --system` lists them), besides the bundled
    /// ones and the font files they name.
    #[arg(long = "system-fonts", global = true)]
    system_fonts: bool,
}

/// `--limit NAME=VALUE`, checked against [`nashr::Limits`].
fn limit_pair(s: &str) -> Result<(String, String), String> {
    nashr::Limits::default().set_pair(s)?;
    let (name, value) = s.split_once('=').expect("checked by set_pair");
    Ok((name.trim().to_string(), value.to_string()))
}

#[derive(Subcommand)]
enum Command {
    /// Render a layout to PDF, to a PNG or JPEG image of one page, or to the laid-out scene as JSON.
    Render {
        /// The layout file (TOML).
        layout: PathBuf,
        /// Output file; defaults to the layout's name with the format's extension.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Output format; by default taken from the output file's extension
        /// (.pdf, .json, .png, .jpg or .jpeg), else PDF.
        #[arg(short, long, value_enum)]
        format: Option<FormatArg>,
        #[command(flatten)]
        image: ImageArgs,
        /// Run the preflight checks of `nashr check` first: print their
        /// report on standard error and write nothing when there are errors.
        #[arg(long)]
        preflight: bool,
        /// The language to render in: a locale file, or a language code
        /// looked up as `locales/CODE.toml` beside the layout's folder or in
        /// the current folder. Fills `{{key}}` placeholders and sets the
        /// direction (mirroring the layout when it differs), digits and font.
        #[arg(long)]
        locale: Option<String>,
        /// The folder the layout may read the files it names from (locales,
        /// fonts, pictures, profiles) [default: the working folder when the
        /// layout lies in it, else the layout's folder].
        #[arg(long)]
        root: Option<PathBuf>,
        /// When the output is flushed to disk: `file` before its rename (a
        /// file reported as written is on disk), `none` left to the system
        /// (scratch output, a millisecond or so sooner); `batch` is `file`
        /// for one output. It is renamed into place whole either way.
        #[arg(long, value_enum, default_value = "file")]
        fsync: FsyncArg,
    },
    /// Render layouts × locales × formats in one go, in parallel.
    ///
    /// Keeps going past a failed variant, lists every failure at the end and
    /// exits with 1 when any failed. Writes a JSON manifest of every output
    /// with its inputs and SHA-256.
    Batch {
        /// Layout files.
        #[arg(required = true)]
        layouts: Vec<PathBuf>,
        /// Locales, comma-separated: files or codes (`locales/CODE.toml`);
        /// by default each layout's own.
        #[arg(long, value_delimiter = ',')]
        locales: Vec<String>,
        /// Formats, comma-separated.
        #[arg(long, value_delimiter = ',', value_enum, default_value = "pdf")]
        formats: Vec<FormatArg>,
        /// Output folder.
        #[arg(short, long)]
        output: PathBuf,
        /// Output name template: {layout} (file stem), {locale}, {ext}, and
        /// with --data {row} and {COLUMN} [default: {layout}-{locale}.{ext},
        /// with --data {layout}-{locale}-{row}.{ext}].
        #[arg(long)]
        name: Option<String>,
        /// Threads (default: one per core; at most four per core).
        #[arg(long, default_value_t = 0)]
        jobs: usize,
        /// When outputs are flushed to disk: `file` before each rename (a
        /// file listed as written is on disk), `batch` all at the end
        /// (faster on slow disks), `none` left to the system (scratch
        /// output). Every output is renamed into place whole either way.
        #[arg(long, value_enum, default_value = "file")]
        fsync: FsyncArg,
        /// Render only every N-th variant starting at the K-th (K/N, K from
        /// 1), to spread a batch over machines; `nashr manifest merge` joins
        /// the shards' manifests.
        #[arg(long)]
        shard: Option<String>,
        /// Manifest file [default: OUTPUT/manifest.json; with --shard K/N,
        /// OUTPUT/manifest-K-of-N.json].
        #[arg(long)]
        manifest: Option<PathBuf>,
        /// A CSV (header line) or TOML (`[[row]]` tables) file of data rows:
        /// one output per row, its columns filling `{{column}}` placeholders
        /// (use {row} or {COLUMN} in --name).
        #[arg(long)]
        data: Option<PathBuf>,
        #[command(flatten)]
        image: ImageArgs,
        /// The folder the layouts may read the files they name from.
        #[arg(long)]
        root: Option<PathBuf>,
    },
    /// Preflight a layout for print: overflowing text, missing glyphs, fonts
    /// that may not be embedded, small text, text near or past the trim,
    /// low-resolution pictures, total ink and RGB in a CMYK job.
    ///
    /// Prints one line per finding (`error: …` or `warning: …`) and a
    /// summary; exits with 1 when there are errors (warnings alone exit 0,
    /// unless --strict).
    Check {
        /// The layout file (TOML).
        layout: PathBuf,
        /// Warnings fail the check too (exit 1), for CI.
        #[arg(long)]
        strict: bool,
        /// Check the layout in this language: a locale file, or a code
        /// looked up as `locales/CODE.toml` (as for `render`).
        #[arg(long)]
        locale: Option<String>,
        /// The folder the layout may read the files it names from.
        #[arg(long)]
        root: Option<PathBuf>,
    },
    /// Render a layout, then again on every save of it, its locale, its
    /// data and the fonts and pictures it names.
    ///
    /// Prints one line per render with the time it took and any warnings.
    /// A save that breaks the layout prints the error with its file, line
    /// and column and keeps the last good output. Stop it with Ctrl-C.
    Watch {
        /// The layout file (TOML).
        layout: PathBuf,
        /// Output file; defaults to the layout's name with the format's extension.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Output format; by default taken from the output file's extension, else PDF.
        #[arg(short, long, value_enum)]
        format: Option<FormatArg>,
        #[command(flatten)]
        image: ImageArgs,
        /// The language to render in: a locale file or a code (as for `render`).
        #[arg(long)]
        locale: Option<String>,
        /// A data file (CSV or TOML rows) whose row fills `{{column}}` placeholders.
        #[arg(long)]
        data: Option<PathBuf>,
        /// The row of --data to render, from 1.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..), requires = "data")]
        row: u32,
        /// The folder the layout may read the files it names from.
        #[arg(long)]
        root: Option<PathBuf>,
        /// Serve a live preview of every page on http://127.0.0.1:PORT/
        /// (loopback only) that reloads itself after each render; without
        /// PORT a free port is chosen and printed.
        #[arg(long, value_name = "PORT", num_args = 0..=1, default_missing_value = "0")]
        preview: Option<u16>,
        /// How long the files must be quiet before a render, in milliseconds.
        #[arg(long, default_value_t = 100)]
        debounce: u64,
    },
    /// Print the JSON Schema of the layout format (for editors: see the README).
    Schema,
    /// Write a small working layout with comments to start from (never overwrites).
    Init {
        /// The kind of layout.
        #[arg(long, value_enum)]
        preset: cli::init::Preset,
        /// The file to write.
        file: PathBuf,
    },
    /// List the fonts layouts can name, with their weights and how much of
    /// the Persian, Sorani Kurdish and Arabic alphabets each has.
    Fonts {
        /// Also list the fonts installed on this machine (found with
        /// fontdb), which an embedder's `Engine::with_system_fonts` offers.
        #[arg(long)]
        system: bool,
    },
    /// Batch manifests: merge the manifests of a batch's shards.
    Manifest {
        #[command(subcommand)]
        action: ManifestCommand,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), for `man -l -` or a man folder.
    Man,
    /// Serve the layouts in a folder over HTTP: PNG, JPEG, PDF or JSON of
    /// each, rendered on request with template values from the query.
    ///
    /// GET /render/LAYOUT.png?locale=fa&page=1&scale=2&KEY=VALUE renders
    /// ROOT/layouts/LAYOUT.toml; GET /layouts lists the layouts and their
    /// keys; GET /healthz; GET /metrics (Prometheus). Listens on loopback
    /// unless --public. Logs go to standard error (RUST_LOG sets the level).
    #[cfg(feature = "serve")]
    Serve(ServeArgs),
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
        /// OpenType features, comma-separated as for hb-shape: `tnum,-liga`.
        #[arg(long, value_delimiter = ',')]
        features: Vec<String>,
    },
    /// Clean pasted Persian text: Persian ی and ک, ZWNJ after «می» and before
    /// suffixes where the text gives evidence, spacing around punctuation.
    ///
    /// Prints the corrected text on standard output (or writes it with -o)
    /// and each change, with its line and column, on standard error.
    Normalize {
        /// The text file to read (UTF-8); `-` reads standard input.
        file: PathBuf,
        /// Write the corrected text here instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Print nothing but the list of changes, and exit with 1 when there
        /// are any (for checking texts in CI).
        #[arg(long)]
        check: bool,
    },
}

/// What `nashr manifest` does.
#[derive(Subcommand)]
enum ManifestCommand {
    /// Join the manifests of the shards of one batch into one, checking
    /// that every variant is there exactly once (exit 1 when one is
    /// missing or duplicated, writing nothing).
    Merge {
        /// The shards' manifests.
        #[arg(required = true)]
        manifests: Vec<PathBuf>,
        /// The merged manifest.
        #[arg(short, long)]
        output: PathBuf,
    },
}

/// Options of `nashr serve`.
#[cfg(feature = "serve")]
#[derive(clap::Args)]
struct ServeArgs {
    /// The folder layouts may read files from; layouts are served from
    /// ROOT/layouts and locales read from ROOT/locales.
    #[arg(long)]
    root: PathBuf,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: std::net::SocketAddr,
    /// Allow an address other machines can reach (0.0.0.0, a LAN address).
    #[arg(long)]
    public: bool,
    /// The folder of layouts to serve [default: ROOT/layouts].
    #[arg(long)]
    layouts: Option<PathBuf>,
    /// The folder `?locale=CODE` reads CODE.toml from [default: ROOT/locales].
    #[arg(long)]
    locales: Option<PathBuf>,
    /// Renders at once (0: one per core).
    #[arg(long, default_value_t = 0)]
    workers: usize,
    /// Requests that may wait for a render; more get 503 [default: 4 per worker].
    #[arg(long)]
    queue: Option<usize>,
    /// Milliseconds a render request may wait and render before it gets 503.
    #[arg(long, default_value_t = 5000)]
    budget_ms: u64,
    /// Megabytes of finished outputs kept in memory (0: none).
    #[arg(long, default_value_t = 256)]
    cache_mb: usize,
    /// The Cache-Control header of rendered outputs.
    #[arg(long, default_value = "public, max-age=300")]
    cache_control: String,
    /// The longest template value a query may carry, in characters.
    #[arg(long, default_value_t = 500)]
    max_value_chars: usize,
    /// Milliseconds a client may take to send a request's headers.
    #[arg(long, default_value_t = 5000)]
    header_timeout_ms: u64,
    /// Milliseconds a client may accept no bytes of a response before its connection is closed.
    #[arg(long, default_value_t = 30000)]
    send_timeout_ms: u64,
    /// Connections open at once.
    #[arg(long, default_value_t = 1024)]
    max_connections: usize,
}

/// Options of PNG and JPEG output.
#[derive(clap::Args)]
struct ImageArgs {
    /// Images: resolution in pixels per inch (default 96: one pixel per layout `px`).
    #[arg(long, conflicts_with = "scale", value_parser = positive)]
    dpi: Option<f32>,
    /// Images: a multiplier on the default 96 dpi (2 gives 192 dpi).
    #[arg(long, value_parser = positive)]
    scale: Option<f32>,
    /// Images: the page to draw, from 1.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    page: Option<u32>,
    /// JPEG: quality from 1 to 100 [default: 90].
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=100))]
    quality: Option<u8>,
    /// PDF and PNG: `standard` (fast, near the smallest) or `max` (the
    /// smallest files, for archives and uploads: a PNG about half the size,
    /// at 1–1.5 s a megapixel) [default: standard].
    #[arg(long, value_enum)]
    compression: Option<CompressionArg>,
}

#[derive(Clone, Copy, ValueEnum)]
enum CompressionArg {
    Standard,
    Max,
}

impl From<CompressionArg> for nashr::Compression {
    fn from(c: CompressionArg) -> Self {
        match c {
            CompressionArg::Standard => nashr::Compression::Standard,
            CompressionArg::Max => nashr::Compression::Max,
        }
    }
}

fn positive(s: &str) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        _ => Err(format!("expected a positive number, found \"{s}\"")),
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Pdf,
    Json,
    Png,
    #[value(alias = "jpg")]
    Jpeg,
}

impl FormatArg {
    fn format(self) -> Format {
        match self {
            FormatArg::Pdf => Format::Pdf,
            FormatArg::Json => Format::Json,
            FormatArg::Png => Format::Png,
            FormatArg::Jpeg => Format::Jpeg,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum FsyncArg {
    File,
    Batch,
    None,
}

fn durability(fsync: FsyncArg) -> nashr::Durability {
    match fsync {
        FsyncArg::File => nashr::Durability::EachFile,
        FsyncArg::Batch => nashr::Durability::EndOfBatch,
        FsyncArg::None => nashr::Durability::None,
    }
}

/// For the commands that run for a moment (`render`, `check`, `batch`):
/// memory a render frees stays with the process for its next allocation.
/// By default glibc maps every block of 128 KB or more on its own and
/// unmaps it when it is freed (the threshold then adapts), and hands back
/// the top of the heap once 128 KB of it are free; such memory comes back
/// as fresh zeroed pages, a page fault per 4 KB, and every unmapping is a
/// system call. A render's compressors, font programs, streams and file
/// are such blocks. Kept (blocks up to 32 MB from the heap, the heap
/// trimmed past 64 MB free), a leaflet or square render is 0.2–0.4 ms
/// quicker and a 100-square batch takes a fifth fewer page faults at the
/// same peak memory (README, "Performance"). `serve` and `watch` run for
/// hours and keep glibc's defaults, which give memory back. Raster pages of
/// 1 MB or more are mapped by the raster exporter itself either way.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_freed_memory() {
    // SAFETY: mallopt only sets two of glibc's malloc parameters; it is
    // called before the process starts any thread.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 64 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_freed_memory() {}

/// How `render` writes its output: after the preflight checks or not, and
/// when it is flushed to disk.
struct Writing {
    preflight: bool,
    durability: nashr::Durability,
}

#[derive(Clone, Copy, ValueEnum)]
enum DirectionArg {
    Auto,
    Rtl,
    Ltr,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(cli.command, Command::Render { .. } | Command::Check { .. } | Command::Batch { .. }) {
        keep_freed_memory();
    }
    let mut limits = nashr::Limits::default();
    for (name, value) in &cli.limits {
        limits.set(name, value).expect("checked when parsed");
    }
    let system_fonts = cli.system_fonts;
    let engine = |root: Option<PathBuf>| engine(root, limits, system_fonts);
    let result = match cli.command {
        Command::Render { layout, output, format, image, preflight, locale, root, fsync } => {
            let write = Writing { preflight, durability: durability(fsync) };
            let engine = engine(root);
            let result = render(&engine, &layout, output, format, &image, write, locale.as_deref());
            // As in `render`: the process's end frees the engine's caches.
            std::mem::forget(engine);
            result.map(|()| ExitCode::SUCCESS)
        }
        Command::Check { layout, strict, locale, root } => check(&engine(root), &layout, locale.as_deref(), strict),
        Command::Batch { layouts, locales, formats, output, name, jobs, fsync, shard, manifest, data, image, root } => {
            let settings = nashr::batch::RunSettings { jobs, durability: durability(fsync) };
            let name = name.unwrap_or_else(|| nashr::batch::default_template(data.is_some()).to_string());
            let options =
                BatchOptions { template: &name, settings, shard: shard.as_deref(), manifest, data, image: &image };
            batch(&engine(root), &layouts, &locales, &formats, &output, options)
        }
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve(args, limits),
        Command::Shape { text, font, direction, bidi, features } => {
            shape(&text, font.as_deref(), direction, bidi, features).map(|()| ExitCode::SUCCESS)
        }
        Command::Normalize { file, output, check } => {
            normalize(&file, output.as_deref(), check).map(|()| ExitCode::SUCCESS)
        }
        Command::Watch { layout, output, format, image, locale, data, row, root, preview, debounce } => {
            let data = data.map(|d| (d, row as usize));
            let how = WatchOptions { output, format, image: &image, locale, data, preview, debounce };
            watch(engine(root), layout, how).map(|()| ExitCode::SUCCESS)
        }
        Command::Schema => {
            print!("{}", nashr::layout_schema());
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { preset, file } => cli::init::write(preset, &file).map(|msg| {
            eprintln!("{msg}");
            ExitCode::SUCCESS
        }),
        Command::Fonts { system } => {
            print!("{}", cli::fonts::list(system));
            Ok(ExitCode::SUCCESS)
        }
        Command::Manifest { action: ManifestCommand::Merge { manifests, output } } => merge(&manifests, &output),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "nashr", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut page)
                .map_err(|e| format!("cannot write the manual page: {e}"))
                .map(|()| {
                    use std::io::Write;
                    let _ = std::io::stdout().write_all(&page);
                    ExitCode::SUCCESS
                })
        }
    };
    match result {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("error: {}", nashr::printable(&msg));
            ExitCode::FAILURE
        }
    }
}

/// `nashr check`: the report on standard output; 1 when it has errors.
/// The engine for a command: its root, when the command names one, and
/// the budgets `--limit` sets.
fn engine(root: Option<PathBuf>, limits: nashr::Limits, system_fonts: bool) -> Engine {
    let base = if system_fonts { Engine::with_system_fonts() } else { Engine::new() };
    let engine = base.with_limits(limits);
    match root {
        Some(r) => engine.with_root(r),
        None => engine,
    }
}

fn check(engine: &Engine, layout: &Path, locale: Option<&str>, strict: bool) -> Result<ExitCode, String> {
    let locale = locale.map(|l| find_locale(engine, layout, l)).transpose()?;
    let source = LayoutSource::read(layout).map_err(|e| e.to_string())?;
    let doc = engine.load_with(&source, locale.as_ref(), None).map_err(|e| e.to_string())?;
    let report = engine.check(&doc);
    println!("{report}");
    let warnings = report.count(nashr::preflight::Severity::Warning);
    if report.has_errors() {
        return Ok(ExitCode::FAILURE);
    }
    if strict && warnings > 0 {
        eprintln!("error: {warnings} warning{} with --strict", if warnings == 1 { "" } else { "s" });
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// The format of an output: `--format`, else the output's extension, else
/// PDF. A `--format` the extension contradicts (`--format jpeg -o x.png`)
/// is refused rather than writing a JPEG named `.png`.
fn output_format(format: Option<FormatArg>, output: Option<&Path>) -> Result<Format, String> {
    let by_name = output.map(|o| (o, Format::from_path(o)));
    match (format.map(FormatArg::format), by_name) {
        (Some(f), Some((o, Some(named)))) if f != named => Err(format!(
            "--format {} disagrees with the output {}, whose extension says {}; drop --format (the extension chooses) or name the output .{}",
            format_name(f),
            o.display(),
            format_name(named),
            f.extension()
        )),
        (Some(f), _) => Ok(f),
        (None, Some((_, Some(named)))) => Ok(named),
        (None, Some((o, None))) => {
            Err(format!("cannot tell the format from {}; add --format pdf, json, png or jpeg", o.display()))
        }
        (None, None) => Ok(Format::Pdf),
    }
}

/// A format as `--format` names it.
fn format_name(format: Format) -> &'static str {
    match format {
        Format::Jpeg => "jpeg",
        other => other.extension(),
    }
}

/// The image flags given for a format that is not an image: an error.
fn image_flags_fit(image: &ImageArgs, format: Format) -> Result<(), String> {
    let given = [
        ("--dpi", image.dpi.is_some()),
        ("--scale", image.scale.is_some()),
        ("--page", image.page.is_some()),
        ("--quality", image.quality.is_some()),
    ];
    for (flag, set) in given {
        if set && !format.is_raster() {
            return Err(format!(
                "{flag} applies to PNG and JPEG images, not to {} output",
                format.extension().to_uppercase()
            ));
        }
    }
    if image.quality.is_some() && format != Format::Jpeg {
        return Err("--quality applies to JPEG images only".into());
    }
    if image.compression.is_some() && !compressible(format) {
        return Err(format!(
            "--compression applies to PDF and PNG output, not to {} output",
            format.extension().to_uppercase()
        ));
    }
    Ok(())
}

/// Whether `--compression` applies to `format` (PDF and PNG).
fn compressible(format: Format) -> bool {
    matches!(format, Format::Pdf | Format::Png)
}

/// The render options of a format and the image flags.
fn render_options(format: Format, image: &ImageArgs) -> nashr::RenderOptions {
    nashr::RenderOptions {
        format,
        scale: image.scale,
        dpi: image.dpi,
        page: image.page.unwrap_or(1),
        quality: image.quality.unwrap_or(90),
        compression: image.compression.map_or(nashr::Compression::Standard, Into::into),
    }
}

/// The options of `nashr watch` beyond its layout.
struct WatchOptions<'a> {
    output: Option<PathBuf>,
    format: Option<FormatArg>,
    image: &'a ImageArgs,
    locale: Option<String>,
    data: Option<(PathBuf, usize)>,
    preview: Option<u16>,
    debounce: u64,
}

fn watch(engine: Engine, layout: PathBuf, how: WatchOptions) -> Result<(), String> {
    let WatchOptions { output, format, image, locale, data, preview, debounce } = how;
    let format = output_format(format, output.as_deref())?;
    image_flags_fit(image, format)?;
    let output = output.unwrap_or_else(|| layout.with_extension(format.extension()));
    refuse_to_overwrite(&output, &layout)?;
    let locale = locale.map(|given| {
        let (engine, layout) = (engine.clone(), layout.clone());
        Box::new(move || find_locale(&engine, &layout, &given)) as Box<dyn Fn() -> Result<nashr::Locale, String>>
    });
    let job = cli::watch::Job {
        engine,
        layout,
        output,
        options: render_options(format, image),
        locale,
        data,
        debounce: std::time::Duration::from_millis(debounce),
    };
    let shown = match preview {
        Some(port) => {
            let shown = cli::preview::Preview::default();
            let addr = cli::preview::serve(port, shown.clone())?;
            eprintln!("preview on http://{addr}/");
            Some(shown)
        }
        None => None,
    };
    cli::watch::run(&job, shown.as_ref())
}

/// The language of a layout's own locale (or its `[meta] language`); empty
/// when the layout cannot be read (its variants then fail with the reason).
fn own_language(engine: &Engine, layout: &Path, row: Option<&nashr::DataRow>) -> String {
    LayoutSource::read(layout)
        .and_then(|source| engine.load_with(&source, None, row))
        .map(|doc| doc.language().to_string())
        .unwrap_or_default()
}

fn merge(manifests: &[PathBuf], output: &Path) -> Result<ExitCode, String> {
    if manifests.iter().any(|m| m.canonicalize().ok() == output.canonicalize().ok() && output.exists()) {
        return Err(format!("{} is one of the manifests to merge; choose another output", output.display()));
    }
    let (text, failed) = cli::merge::merge(manifests)?;
    nashr::write_atomic(output, text.as_bytes()).map_err(|e| format!("cannot write {}: {e}", output.display()))?;
    eprintln!("merged {} manifests into {}", manifests.len(), output.display());
    if failed > 0 {
        eprintln!(
            "error: {failed} variant{} of the batch failed; see their \"error\"",
            if failed == 1 { "" } else { "s" }
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

fn render(
    engine: &Engine,
    layout: &Path,
    output: Option<PathBuf>,
    format: Option<FormatArg>,
    image: &ImageArgs,
    write: Writing,
    locale: Option<&str>,
) -> Result<(), String> {
    let locale = match locale {
        Some(l) => Some(find_locale(engine, layout, l)?),
        None => None,
    };
    let format = output_format(format, output.as_deref())?;
    image_flags_fit(image, format)?;
    let opts = render_options(format, image);
    let output = output.unwrap_or_else(|| match image.page {
        // Another page of the same layout must not overwrite page 1's image.
        Some(p) if format.is_raster() && p > 1 => {
            let stem = layout.file_stem().map_or_else(|| "page".into(), |s| s.to_string_lossy().into_owned());
            layout.with_file_name(format!("{stem}-{p}.{}", format.extension()))
        }
        _ => layout.with_extension(format.extension()),
    });
    refuse_to_overwrite(&output, layout)?;
    let source = LayoutSource::read(layout).map_err(|e| e.to_string())?;
    let doc = engine.load_with(&source, locale.as_ref(), None).map_err(|e| e.to_string())?;
    let rendered = engine.render(&doc, &opts);
    if write.preflight {
        // The scene just rendered is checked as it is; a layout that failed is laid out again by the checks.
        let report = match &rendered {
            Ok(r) => engine.check_scene(&r.scene),
            Err(_) => engine.check(&doc),
        };
        eprintln!("{report}");
        if report.has_errors() {
            return Err(format!("preflight failed ({}); {} was not written", report.summary(), output.display()));
        }
    }
    let rendered = rendered.map_err(|e| e.to_string())?;
    for w in rendered.warnings() {
        eprintln!("warning: {w}");
    }
    // One output: flushed at the end of the "batch" is flushed before its rename.
    let durability = match write.durability {
        nashr::Durability::None => nashr::Durability::None,
        _ => nashr::Durability::EachFile,
    };
    nashr::write_atomic_with(&output, &rendered.bytes, durability)
        .map_err(|e| format!("cannot write {}: {e}", output.display()))?;
    let pages = rendered.scene.pages.len();
    match rendered.pixels {
        Some((w, h)) => eprintln!("wrote {} ({w}×{h} px, {} bytes)", output.display(), rendered.bytes.len()),
        None => eprintln!(
            "wrote {} ({} page{}, {} bytes)",
            output.display(),
            pages,
            if pages == 1 { "" } else { "s" },
            rendered.bytes.len()
        ),
    }
    // The process ends next and its memory goes with it: taking the scene
    // and the document apart piece by piece would only cost time.
    std::mem::forget(rendered);
    std::mem::forget(doc);
    Ok(())
}

/// `nashr serve`: the service until SIGINT or SIGTERM.
#[cfg(feature = "serve")]
fn serve(args: ServeArgs, limits: nashr::Limits) -> Result<ExitCode, String> {
    use nashr::serve;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("nashr=info"));
    use std::io::IsTerminal;
    let colours = std::io::stderr().is_terminal();
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(colours).init();
    serve::check_address(args.addr, args.public)?;
    let mut config = serve::Config::new(&args.root);
    config.layouts = args.layouts.unwrap_or(config.layouts);
    config.locales = args.locales.unwrap_or(config.locales);
    config.workers = args.workers;
    config.queue = args.queue;
    config.budget = std::time::Duration::from_millis(args.budget_ms);
    config.cache_bytes = args.cache_mb.saturating_mul(1 << 20);
    config.cache_control = args.cache_control;
    config.max_value_chars = args.max_value_chars;
    let service = serve::Service::new(Engine::new().with_limits(limits), config).map_err(|e| e.to_string())?;
    let listen = serve::ListenOptions {
        header_timeout: std::time::Duration::from_millis(args.header_timeout_ms),
        send_timeout: std::time::Duration::from_millis(args.send_timeout_ms),
        max_connections: args.max_connections,
        ..serve::ListenOptions::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", args.addr))?;
        let bound = listener.local_addr().map_err(|e| e.to_string())?;
        tracing::info!(address = %bound, root = %args.root.display(), "listening");
        serve::run(listener, service.router(), listen, serve::shutdown_signal()).await.map_err(|e| e.to_string())
    })?;
    Ok(ExitCode::SUCCESS)
}

fn shape(
    text: &str,
    font: Option<&Path>,
    direction: DirectionArg,
    bidi: bool,
    features: Vec<String>,
) -> Result<(), String> {
    let direction = match direction {
        DirectionArg::Auto => Direction::Auto,
        DirectionArg::Rtl => Direction::Rtl,
        DirectionArg::Ltr => Direction::Ltr,
    };
    let opts = nashr::ShapeOptions { font: font.map(Path::to_path_buf), direction, bidi, features };
    println!("{}", Engine::new().shape(text, &opts).map_err(|e| e.to_string())?);
    Ok(())
}

fn normalize(file: &Path, output: Option<&Path>, check: bool) -> Result<(), String> {
    use std::io::Read;
    let mut text = String::new();
    if file == Path::new("-") {
        let stdin = std::io::stdin().take(nashr::DATA_LIMIT + 1).read_to_string(&mut text);
        stdin.map_err(|e| format!("cannot read standard input: {e}"))?;
        if text.len() as u64 > nashr::DATA_LIMIT {
            return Err(format!("standard input is over the {} MB nashr normalizes", nashr::DATA_LIMIT >> 20));
        }
    } else {
        text = nashr::read_text(file, nashr::DATA_LIMIT).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    }
    let (fixed, changes) = nashr::lang::normalize::normalize(&text);
    let report = nashr::lang::normalize::report(&text, &changes);
    let name = file.display();
    for line in report.lines() {
        eprintln!("{name}:{line}");
    }
    if check {
        if changes.is_empty() {
            return Ok(());
        }
        return Err(format!(
            "{} change{} suggested in {name}",
            changes.len(),
            if changes.len() == 1 { "" } else { "s" }
        ));
    }
    match output {
        Some(out) => {
            nashr::write_atomic(out, fixed.as_bytes()).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
            eprintln!(
                "wrote {} ({} change{})",
                out.display(),
                changes.len(),
                if changes.len() == 1 { "" } else { "s" }
            );
        }
        None => print!("{fixed}"),
    }
    Ok(())
}

/// Refuse an output that is the layout itself, or an existing path that is
/// not a regular file (a symlink, a device): writing would replace it.
fn refuse_to_overwrite(output: &Path, layout: &Path) -> Result<(), String> {
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    if canonical(output) == canonical(layout) {
        return Err(format!("{} is the layout itself; choose another output", output.display()));
    }
    if std::fs::symlink_metadata(output).is_ok_and(|m| !m.file_type().is_file()) {
        return Err(format!("{} exists and is not a regular file; choose another output", output.display()));
    }
    Ok(())
}

/// A locale given on the command line: a file, or a language code looked up
/// as `locales/CODE.toml` beside the layout's folder, then in the current folder.
fn find_locale(engine: &Engine, layout: &Path, given: &str) -> Result<nashr::Locale, String> {
    let direct = Path::new(given);
    let mut tried = vec![direct.to_path_buf()];
    if !direct.exists() {
        let file = format!("{given}.toml");
        if let Some(dir) = layout.parent().and_then(|d| d.parent()) {
            tried.push(dir.join("locales").join(&file));
        }
        tried.push(Path::new("locales").join(&file));
    }
    // `layouts/x.toml` looks in `locales/` both ways: name it once.
    let plain = |p: &PathBuf| -> PathBuf { p.components().filter(|c| *c != std::path::Component::CurDir).collect() };
    let mut seen = Vec::new();
    tried.retain(|p| {
        let key = plain(p);
        let new = !seen.contains(&key);
        seen.push(key);
        new
    });
    let found = tried.iter().find(|p| p.is_file()).ok_or_else(|| {
        let names: Vec<String> = tried.iter().map(|p| p.display().to_string()).collect();
        format!("no locale \"{given}\": looked for {}", names.join(", "))
    })?;
    engine.locale(found).map_err(|e| e.to_string())
}

/// The options of `nashr batch` beyond its inputs and output folder.
struct BatchOptions<'a> {
    template: &'a str,
    settings: nashr::batch::RunSettings,
    shard: Option<&'a str>,
    manifest: Option<PathBuf>,
    data: Option<PathBuf>,
    image: &'a ImageArgs,
}

fn batch(
    engine: &Engine,
    layouts: &[PathBuf],
    locales: &[String],
    formats: &[FormatArg],
    out: &Path,
    options: BatchOptions,
) -> Result<ExitCode, String> {
    let BatchOptions { template, settings, shard, manifest, data, image } = options;
    let rows = match &data {
        Some(d) => engine.rows(d).map_err(|e| e.to_string())?,
        None => Vec::new(),
    };
    use std::io::IsTerminal;
    let first = layouts.first().map(|p| p.as_path()).unwrap_or(Path::new("."));
    let locales: Vec<nashr::Locale> =
        locales.iter().map(|l| find_locale(engine, first, l)).collect::<Result<_, _>>()?;
    let formats: Vec<Format> = formats.iter().map(|f| f.format()).collect();
    if image.compression.is_some() && !formats.iter().any(|&f| compressible(f)) {
        return Err("--compression applies to PDF and PNG output, and no format asked for is one".into());
    }
    let shard = shard.map(nashr::batch::Shard::parse).transpose()?;
    // Outputs in each layout's own locale are named by its language.
    let own_languages: Vec<String> = match locales.is_empty() {
        true => layouts.iter().map(|l| own_language(engine, l, rows.first())).collect(),
        false => Vec::new(),
    };
    let matrix = nashr::batch::Matrix {
        layouts,
        own_languages: &own_languages,
        locales: &locales,
        rows: &rows,
        formats: &formats,
    };
    let variants = nashr::batch::plan_matrix(&matrix, out, template, shard);
    let mut inputs: Vec<PathBuf> = layouts.to_vec();
    inputs.extend(locales.iter().map(|l| l.file.clone()));
    inputs.extend(data.clone());
    if let Some(problem) = variants.iter().find_map(|v| nashr::batch::unsafe_output(&v.output, out, &inputs)) {
        return Err(format!("{problem}; nothing was written"));
    }
    let mut names: Vec<&Path> = variants.iter().map(|v| v.output.as_path()).collect();
    names.sort();
    if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
        return Err(format!(
            "two variants would both write {}; put {{layout}}, {{locale}}, {{ext}} (and {{row}} with --data) in --name",
            w[0].display()
        ));
    }
    let base = render_options(Format::Pdf, image);
    let bar = if std::io::stderr().is_terminal() {
        let b = indicatif::ProgressBar::new(variants.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {elapsed} {msg}") {
            b.set_style(style);
        }
        Some(b)
    } else {
        None
    };
    // Each shard of a batch writes its own manifest, for `nashr manifest merge`.
    let manifest = manifest.unwrap_or_else(|| match shard {
        Some(s) => out.join(format!("manifest-{}-of-{}.json", s.index + 1, s.of)),
        None => out.join("manifest.json"),
    });
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    if inputs.iter().any(|i| canonical(i) == canonical(&manifest)) {
        return Err(format!("the manifest {} is an input of this batch; nothing was written", manifest.display()));
    }
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    // The manifest is flushed whenever it is written, unless nothing is.
    let manifest_durability = match settings.durability {
        nashr::Durability::None => nashr::Durability::None,
        _ => nashr::Durability::EachFile,
    };
    // The manifest is rewritten as variants finish (at most every second),
    // so a batch that is stopped leaves a true list of what it wrote.
    let so_far = std::sync::Mutex::new((Vec::new(), std::time::Instant::now()));
    let report = |o: &nashr::batch::Outcome| {
        if let Ok(mut s) = so_far.lock() {
            s.0.push(o.clone());
            if s.1.elapsed() >= std::time::Duration::from_secs(1) {
                let _ =
                    nashr::write_atomic_with(&manifest, nashr::batch::manifest(&s.0).as_bytes(), manifest_durability);
                s.1 = std::time::Instant::now();
            }
        }
        let line = match &o.error {
            None => format!("ok   {} ({} bytes)", o.variant.output.display(), o.bytes.unwrap_or(0)),
            Some(e) => format!("FAIL {}: {e}", o.variant.output.display()),
        };
        match &bar {
            Some(b) => {
                if o.error.is_some() {
                    b.println(line);
                }
                b.inc(1);
            }
            None => eprintln!("{line}"),
        }
    };
    let start = std::time::Instant::now();
    let outcomes = nashr::batch::run_with(engine, &variants, &locales, &rows, &base, settings, &report);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    nashr::write_atomic_with(&manifest, nashr::batch::manifest(&outcomes).as_bytes(), manifest_durability)
        .map_err(|e| format!("cannot write {}: {e}", manifest.display()))?;
    let failures: Vec<&nashr::batch::Outcome> = outcomes.iter().filter(|o| o.error.is_some()).collect();
    eprintln!(
        "{} of {} variants written in {:.2} s; manifest {}",
        outcomes.len() - failures.len(),
        outcomes.len(),
        start.elapsed().as_secs_f64(),
        manifest.display()
    );
    if failures.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!("error: {} variant{} failed:", failures.len(), if failures.len() == 1 { "" } else { "s" });
    for f in failures {
        eprintln!(
            "  {} ({}, {}): {}",
            f.variant.output.display(),
            f.variant.layout.display(),
            f.variant.language,
            f.error.as_deref().unwrap_or("")
        );
    }
    Ok(ExitCode::FAILURE)
}
