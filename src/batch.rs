//! Batch rendering: layouts × locales × formats in one process, in
//! parallel, one failed variant never stopping the others.
//!
//! Fonts and pictures are cached per process, and each (layout, locale) is
//! read and resolved once for all its formats. The library returns an
//! [`Outcome`] per variant; it never prints — [`run`] reports progress to a
//! callback so the CLI can draw a progress bar.

use crate::model::locale::{DataRow, Locale};
use crate::{Format, RenderOptions};
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// One output to make.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    /// The layout file.
    pub layout: PathBuf,
    /// Index into the locales given to [`plan`]; `None` for the layout's default.
    #[serde(skip)]
    pub locale: Option<usize>,
    /// The locale's language tag (the layout's own locale's when none is
    /// given, or `default` when it has none).
    pub language: String,
    /// Index into the data rows given to [`plan`], for variable-data printing.
    #[serde(skip)]
    pub row: Option<usize>,
    /// The row's 1-based number in its data file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row_number: Option<usize>,
    /// The format, by its file extension (`pdf`, `png`, …).
    pub format: &'static str,
    /// The file to write.
    pub output: PathBuf,
    /// Its place in the whole plan, from 1 (the same in every shard), so
    /// that the manifests of shards can be merged and checked.
    #[serde(rename = "variant")]
    pub number: usize,
    /// How many variants the whole plan has, over all shards.
    #[serde(rename = "variants")]
    pub of: usize,
}

/// What became of a variant.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The variant.
    #[serde(flatten)]
    pub variant: Variant,
    /// Bytes written, when it succeeded.
    pub bytes: Option<usize>,
    /// SHA-256 of the output, hex.
    pub sha256: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
}

/// Which share of the variants this run makes: every `of`-th, starting at
/// `index` (0-based), so a large batch can be spread over machines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which share, from 0.
    pub index: usize,
    /// How many shares there are.
    pub of: usize,
}

impl Shard {
    /// Parse `K/N` (1-based K).
    pub fn parse(s: &str) -> Result<Shard, String> {
        let (k, n) = s.split_once('/').ok_or_else(|| format!("a shard is written K/N, like 2/4; found \"{s}\""))?;
        let (k, n): (usize, usize) = (
            k.trim().parse().map_err(|_| format!("shard \"{s}\": K is not a number"))?,
            n.trim().parse().map_err(|_| format!("shard \"{s}\": N is not a number"))?,
        );
        if n == 0 || k == 0 || k > n {
            return Err(format!("shard \"{s}\": K must be between 1 and N"));
        }
        Ok(Shard { index: k - 1, of: n })
    }
}

/// The output name for a variant from a template with `{layout}` (the
/// layout's file stem), `{locale}` and `{ext}`, and for a data row `{row}`
/// (its number) and `{COLUMN}` (its values, made safe for file names).
pub fn output_name(template: &str, layout: &Path, language: &str, ext: &str, row: Option<&DataRow>) -> String {
    let stem = layout.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "layout".into());
    let mut name =
        template.replace("{layout}", &safe_part(&stem)).replace("{locale}", &safe_part(language)).replace("{ext}", ext);
    if let Some(r) = row {
        name = name.replace("{row}", &r.number.to_string());
        for (k, v) in &r.values {
            name = name.replace(&format!("{{{k}}}"), &safe_part(v));
        }
    }
    name
}

/// A value made safe as part of a file name: letters, digits, `-` and `_`
/// kept, anything else (a `/`, a `..`) an underscore, at most 100 characters.
fn safe_part(v: &str) -> String {
    v.chars().take(100).map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
}

/// Why an output path may not be written: it leaves the output folder
/// (an absolute path or a `..` in the name template), or it is one of
/// `inputs` (a layout, a locale or a data file of the same run).
pub fn unsafe_output(output: &Path, out_dir: &Path, inputs: &[PathBuf]) -> Option<String> {
    use std::path::Component;
    let leaves = || Some(format!("{} leaves the output folder {}", output.display(), out_dir.display()));
    let Ok(rel) = output.strip_prefix(out_dir) else { return leaves() };
    if rel.as_os_str().is_empty() || rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return leaves();
    }
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let dir = canonical(out_dir);
    let target = dir.join(rel);
    if inputs.iter().any(|i| canonical(i) == target) {
        return Some(format!("{} is an input of this batch; it would be overwritten", output.display()));
    }
    if std::fs::symlink_metadata(&target).is_ok_and(|m| !m.file_type().is_file()) {
        return Some(format!("{} exists and is not a regular file", output.display()));
    }
    None
}

/// What a batch is made of: layouts × locales × data rows × formats.
#[derive(Debug, Clone, Copy)]
pub struct Matrix<'a> {
    /// The layout files.
    pub layouts: &'a [PathBuf],
    /// The language of each layout's own locale (as [`crate::Document::language`]
    /// gives it), used in names when no locales are given; `default` for a
    /// layout missing here or with an empty one.
    pub own_languages: &'a [String],
    /// The locales; none renders each layout in its own.
    pub locales: &'a [Locale],
    /// The data rows; none renders each layout once.
    pub rows: &'a [DataRow],
    /// The formats.
    pub formats: &'a [Format],
}

/// The default output name template: with data rows, the row's number is
/// part of it, so that rows do not write the same file.
pub fn default_template(with_rows: bool) -> &'static str {
    if with_rows { "{layout}-{locale}-{row}.{ext}" } else { "{layout}-{locale}.{ext}" }
}

/// All variants of layouts × locales × formats, in a fixed order, keeping
/// those of `shard`.
pub fn plan(
    layouts: &[PathBuf],
    locales: &[Locale],
    rows: &[DataRow],
    formats: &[Format],
    out_dir: &Path,
    template: &str,
    shard: Option<Shard>,
) -> Vec<Variant> {
    let matrix = Matrix { layouts, own_languages: &[], locales, rows, formats };
    plan_matrix(&matrix, out_dir, template, shard)
}

/// [`plan`], naming each layout's own locale by its language.
pub fn plan_matrix(matrix: &Matrix, out_dir: &Path, template: &str, shard: Option<Shard>) -> Vec<Variant> {
    let Matrix { layouts, own_languages, locales, rows, formats } = *matrix;
    let locale_choices: Vec<Option<usize>> =
        if locales.is_empty() { vec![None] } else { (0..locales.len()).map(Some).collect() };
    let row_choices: Vec<Option<usize>> =
        if rows.is_empty() { vec![None] } else { (0..rows.len()).map(Some).collect() };
    let mut all = Vec::new();
    for (li, layout) in layouts.iter().enumerate() {
        let own = own_languages.get(li).filter(|l| !l.is_empty()).map_or("default", |l| l.as_str());
        for &l in &locale_choices {
            let language = l.map_or(own.to_string(), |i| locales[i].language.clone());
            for &r in &row_choices {
                let row = r.map(|i| &rows[i]);
                for &f in formats {
                    let output = out_dir.join(output_name(template, layout, &language, f.extension(), row));
                    all.push(Variant {
                        layout: layout.clone(),
                        locale: l,
                        language: language.clone(),
                        row: r,
                        row_number: row.map(|r| r.number),
                        format: f.extension(),
                        output,
                        number: all.len() + 1,
                        of: 0,
                    });
                }
            }
        }
    }
    let of = all.len();
    all.iter_mut().for_each(|v| v.of = of);
    match shard {
        Some(s) => all.into_iter().enumerate().filter(|(i, _)| i % s.of == s.index).map(|(_, v)| v).collect(),
        None => all,
    }
}

/// Render the variants on `jobs` threads (0: one per core), writing each
/// output atomically and flushing it to disk before its rename;
/// `progress` is called once per finished variant.
pub fn run(
    engine: &crate::Engine,
    variants: &[Variant],
    locales: &[Locale],
    rows: &[DataRow],
    base: &RenderOptions,
    jobs: usize,
    progress: &(dyn Fn(&Outcome) + Sync),
) -> Vec<Outcome> {
    let settings = RunSettings { jobs, durability: crate::Durability::EachFile };
    run_with(engine, variants, locales, rows, base, settings, progress)
}

/// How [`run_with`] runs a batch.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunSettings {
    /// Threads (0: one per core; at most four per core are used).
    pub jobs: usize,
    /// When outputs are flushed to disk.
    pub durability: crate::Durability,
}

/// [`run`], with the flushing policy of `settings`: with
/// [`crate::Durability::EndOfBatch`] every written output is flushed once
/// all are rendered, and an output that cannot be flushed is reported as
/// failed.
pub fn run_with(
    engine: &crate::Engine,
    variants: &[Variant],
    locales: &[Locale],
    rows: &[DataRow],
    base: &RenderOptions,
    settings: RunSettings,
    progress: &(dyn Fn(&Outcome) + Sync),
) -> Vec<Outcome> {
    let RunSettings { jobs, durability } = settings;
    // Variants that share a layout and locale are resolved once.
    let mut groups: Vec<Vec<&Variant>> = Vec::new();
    let mut group_of: std::collections::HashMap<(&Path, Option<usize>, Option<usize>), usize> = Default::default();
    for v in variants {
        let key = (v.layout.as_path(), v.locale, v.row);
        match group_of.get(&key) {
            Some(&g) => groups[g].push(v),
            None => {
                group_of.insert(key, groups.len());
                groups.push(vec![v]);
            }
        }
    }
    let work = || {
        groups
            .par_iter()
            .flat_map_iter(|group| {
                let locale = group[0].locale.map(|i| &locales[i]);
                let row = group[0].row.map(|i| &rows[i]);
                let doc = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    crate::LayoutSource::read(&group[0].layout)
                        .and_then(|source| engine.load_with(&source, locale, row))
                }))
                .unwrap_or_else(|p| Err(crate::Error::Options(format!("internal error: {}", panic_message(&p)))));
                group
                    .iter()
                    .map(|v| {
                        // A variant that panics fails alone; the batch goes on.
                        let outcome = match &doc {
                            Ok(doc) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                render_one(engine, doc, v, base, durability)
                            }))
                            .unwrap_or_else(|p| failed(v, format!("internal error: {}", panic_message(&p)))),
                            Err(e) => failed(v, e.to_string()),
                        };
                        progress(&outcome);
                        outcome
                    })
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    };
    // More threads than a few per core only cost memory and start-up time.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs = jobs.min(4 * cores);
    let outcomes = match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    };
    // Report in plan order, whatever order the threads finished in.
    let mut by_output: std::collections::HashMap<PathBuf, Outcome> =
        outcomes.into_iter().map(|o| (o.variant.output.clone(), o)).collect();
    let mut outcomes: Vec<Outcome> = variants.iter().filter_map(|v| by_output.remove(&v.output)).collect();
    if settings.durability == crate::Durability::EndOfBatch {
        for o in outcomes.iter_mut().filter(|o| o.error.is_none()) {
            if let Err(e) = crate::export::sync_file(&o.variant.output) {
                o.error = Some(format!("cannot flush {} to disk: {e}", o.variant.output.display()));
                o.bytes = None;
                o.sha256 = None;
            }
        }
        crate::export::sync_folders(outcomes.iter().filter(|o| o.error.is_none()).map(|o| o.variant.output.as_path()));
    }
    outcomes
}

/// The message a panic carried.
fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".into())
}

fn failed(v: &Variant, error: String) -> Outcome {
    Outcome { variant: v.clone(), bytes: None, sha256: None, error: Some(error) }
}

fn render_one(
    engine: &crate::Engine,
    doc: &crate::Document,
    v: &Variant,
    base: &RenderOptions,
    durability: crate::Durability,
) -> Outcome {
    let format = Format::from_path(&v.output).unwrap_or(base.format);
    let opts = RenderOptions { format, ..*base };
    match engine.render(doc, &opts) {
        Ok(r) => {
            if let Some(dir) = v.output.parent()
                && let Err(e) = std::fs::create_dir_all(dir)
            {
                return failed(v, format!("cannot create {}: {e}", dir.display()));
            }
            match crate::export::write_atomic_with(&v.output, &r.bytes, durability) {
                Ok(()) => Outcome {
                    variant: v.clone(),
                    bytes: Some(r.bytes.len()),
                    sha256: Some(Sha256::digest(&r.bytes).iter().map(|b| format!("{b:02x}")).collect()),
                    error: None,
                },
                Err(e) => failed(v, format!("cannot write {}: {e}", v.output.display())),
            }
        }
        Err(e) => failed(v, e.to_string()),
    }
}

/// The manifest: every output with its inputs and content hash, as JSON.
pub fn manifest(outcomes: &[Outcome]) -> String {
    serde_json::to_string_pretty(outcomes).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_template() {
        let a5 = Path::new("layouts/invitation-a5.toml");
        assert_eq!(output_name("{layout}-{locale}.{ext}", a5, "en", "pdf", None), "invitation-a5-en.pdf");
        let row =
            DataRow { number: 3, file: "c.csv".into(), values: [("city".to_string(), "Malmö C".to_string())].into() };
        assert_eq!(
            output_name("{layout}-{row}-{city}.{ext}", Path::new("p.toml"), "sv", "png", Some(&row)),
            "p-3-Malmö_C.png"
        );
    }

    #[test]
    fn shards_split_the_plan_without_overlap() {
        let layouts = vec![PathBuf::from("a.toml"), PathBuf::from("b.toml")];
        let formats = [Format::Pdf, Format::Png, Format::Json];
        let all = plan(&layouts, &[], &[], &formats, Path::new("out"), "{layout}.{ext}", None);
        assert_eq!(all.len(), 6);
        let mut union = Vec::new();
        for k in 1..=4 {
            let shard = Some(Shard::parse(&format!("{k}/4")).unwrap());
            union.extend(plan(&layouts, &[], &[], &formats, Path::new("out"), "{layout}.{ext}", shard));
        }
        union.sort_by(|a, b| a.output.cmp(&b.output));
        let mut all_sorted = all.clone();
        all_sorted.sort_by(|a, b| a.output.cmp(&b.output));
        assert_eq!(union, all_sorted);
        assert!(Shard::parse("0/3").is_err() && Shard::parse("4/3").is_err() && Shard::parse("x").is_err());
        let numbers: Vec<(usize, usize)> = union.iter().map(|v| (v.number, v.of)).collect();
        assert!(numbers.iter().all(|&(n, of)| of == 6 && (1..=6).contains(&n)), "{numbers:?}");
    }

    #[test]
    fn the_own_locale_is_named_by_its_language() {
        let layouts = vec![PathBuf::from("a.toml"), PathBuf::from("b.toml")];
        let own = ["fa".to_string()];
        let matrix =
            Matrix { layouts: &layouts, own_languages: &own, locales: &[], rows: &[], formats: &[Format::Pdf] };
        let names: Vec<PathBuf> = plan_matrix(&matrix, Path::new("out"), default_template(false), None)
            .into_iter()
            .map(|v| v.output)
            .collect();
        assert_eq!(names, [PathBuf::from("out/a-fa.pdf"), PathBuf::from("out/b-default.pdf")]);
    }
}
