//! The entry point, [`resolve_source`]: parse layout text (named by its
//! file) as TOML, choose the locale (the caller's, else the layout's
//! default) and merge a data row, then drive the resolver step by step.
//! The [`Engine`](crate::Engine) reads the file and calls it.
//!
//! This file owns the order of those steps and the errors about the source
//! as a whole (reading it, TOML syntax, the version, the locale's font). It
//! must not know what a style, frame or block means: that is `resolve`'s.

use super::raw::{ColorsOnly, RawLayout};
use super::resolve::{Palette, Resolver, link_flows, resolve_frame, resolve_page, resolve_print};
use super::*;
use crate::fonts::FontError;
use crate::lang::is_rtl_language;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Resolve layout source text with an engine's files, in a locale and with
/// a data row (whose values are plain text, never markup, with `row_text`).
pub(crate) fn resolve_source(
    files: &crate::engine::Shared,
    src: &str,
    path: &Path,
    locale: Option<&locale::Locale>,
    row: Option<&locale::DataRow>,
    row_text: bool,
) -> Result<Document, crate::Error> {
    resolve(files, src, path, locale, row, row_text).map_err(crate::Error::from)
}

fn resolve(
    files: &crate::engine::Shared,
    src: &str,
    path: &Path,
    locale: Option<&locale::Locale>,
    row: Option<&locale::DataRow>,
    row_text: bool,
) -> Result<Document, ModelError> {
    let toml_error = |e: toml::de::Error| {
        let span = e.span().unwrap_or(0..0);
        let message = match e.message().trim() {
            "missing field `page`" => {
                "a layout needs a [page] table: its size (size = \"A4\", \"story\", …) or width and height".to_string()
            }
            other => other.to_string(),
        };
        ModelError::Source(Box::new(SourceError::new(path, src, span, message)))
    };
    let palette = Palette::new(path, src, named_colors(src, path)?);
    let raw: RawLayout = toml::from_str(src).map_err(toml_error)?;
    palette.check(&raw)?;
    super::resolve::check_all_features(path, src, &raw)?;
    let root = files.root.clone().unwrap_or_else(|| crate::files::default_root(path));
    let base = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let confined = |f: &toml::Spanned<String>, kind: crate::files::Kind| {
        crate::files::resolve(&root, base, f.get_ref(), kind)
            .map_err(|m| ModelError::Source(Box::new(SourceError::new(path, src, f.span(), m))))
    };
    let default_locale = match (&raw.meta.locale, locale) {
        (Some(f), None) => {
            let p = confined(f, crate::files::Kind::Locale)?;
            Some(locale::Locale::load(&p).map_err(|e| match e {
                ModelError::Read { err, .. } => ModelError::Source(Box::new(SourceError::new(
                    path,
                    src,
                    f.span(),
                    format!("cannot read the locale {}: {err}", p.display()),
                ))),
                other => other,
            })?)
        }
        _ => None,
    };
    let locale = locale.or(default_locale.as_ref());
    let mut inputs: Vec<PathBuf> = locale.map(|l| l.file.clone()).into_iter().collect();
    let base_language = raw.meta.language.clone().unwrap_or_default();
    let with_row = row.map(|r| locale::Locale::with_row(locale, r, is_rtl_language(&base_language), row_text));
    let locale = with_row.as_ref().or(locale);
    // Only a real locale brings a language's conventions (direction, digits, font).
    let conventions = locale.filter(|l| l.conventions);
    let language = conventions.map_or(base_language.clone(), |l| l.language.clone());
    let mut r = Resolver {
        files,
        root: root.clone(),
        locale,
        mirror: conventions.is_some_and(|l| l.rtl() != is_rtl_language(&base_language)),
        language: language.clone(),
        inputs: std::cell::RefCell::new(std::mem::take(&mut inputs)),
        pictures: Vec::new(),
        normalize: raw.normalize.unwrap_or(false),
        palette,
        file: path,
        src,
        fonts: std::cell::RefCell::new(FontBook::with_bundled()),
        raw_styles: &raw.styles,
        styles: BTreeMap::new(),
        rtl_language: conventions.map_or(is_rtl_language(&language), |l| l.rtl()),
        qr_codes: 0,
        table_cells: 0,
    };
    if let Some(family) = conventions.and_then(|l| l.font.as_ref())
        && !r.fonts.borrow().has_family(family)
    {
        return Err(r.err(
            0..0,
            format!(
                "the locale names font \"{family}\", which is not available; families: {}",
                r.fonts.borrow().families().join(", ")
            ),
        ));
    }

    if let Some(v) = &raw.version
        && *v.get_ref() != 1
    {
        return Err(
            r.err(v.span(), format!("layout version {} is not supported; this nashr reads version 1", v.get_ref()))
        );
    }
    for f in &raw.fonts {
        let p = confined(f, crate::files::Kind::Font)?;
        r.read_from(&p);
        r.fonts.borrow_mut().load_file(&files.fonts, &p).map_err(|e| match e {
            FontError::Read { err, .. } => r.err(f.span(), format!("cannot read font file {}: {err}", p.display())),
            other => r.err(f.span(), other.to_string()),
        })?;
    }
    let (page, margins) = resolve_page(&r, &raw.page)?;
    let mut frames = Vec::new();
    let mut page_count = match &raw.page.pages {
        Some(n) if *n.get_ref() < 1 || *n.get_ref() > 10_000 => {
            return Err(r.err(n.span(), "pages must be between 1 and 10000"));
        }
        Some(n) => *n.get_ref() as usize,
        None => 1,
    };
    for (fi, f) in raw.frames.iter().enumerate() {
        let frame = resolve_frame(&mut r, f, fi, &page, margins)?;
        frames.push(frame);
    }
    if let Some((fi, problem)) = page_problem(&raw.page.pages, &frames) {
        return Err(r.err(raw.frames[fi].span(), problem));
    }
    page_count = frames.iter().map(|f| f.page + 1).fold(page_count, usize::max);
    link_flows(&r, &raw.frames, &mut frames)?;
    let fill = |s: &Option<String>| locale::fill_in(s.as_deref().unwrap_or(""), locale, path, src, 0..0, false);
    let meta = Meta {
        title: fill(&raw.meta.title)?,
        author: fill(&raw.meta.author)?,
        subject: fill(&raw.meta.subject)?,
        language,
        tagged: raw.meta.tagged.unwrap_or(true),
    };
    let rtl = r.rtl_language;
    let print = resolve_print(&r, &raw)?;
    let fixed_pages = raw.page.pages.as_ref().map(|_| page_count);
    Ok(Document {
        pages: vec![page; page_count],
        frames,
        fonts: r.fonts.into_inner(),
        meta,
        pictures: r.pictures,
        rtl,
        print,
        fixed_pages,
        limits: r.files.limits,
        inputs: r.inputs.into_inner(),
    })
}

/// A frame placed on a page the layout does not have: past `pages`, or,
/// without `pages`, after pages no frame is on (`page = 99` by mistake
/// would otherwise make 98 empty pages). The frame's index and the message.
fn page_problem(pages: &Option<toml::Spanned<i64>>, frames: &[Frame]) -> Option<(usize, String)> {
    let (fi, last) = frames.iter().enumerate().max_by_key(|(_, f)| f.page)?;
    let page = last.page + 1;
    let name = &last.name;
    match pages {
        Some(n) if page as i64 > *n.get_ref() => Some((
            fi,
            format!(
                "frame \"{name}\" is on page {page}, but [page] says pages = {}; raise `pages` or move the frame",
                n.get_ref()
            ),
        )),
        Some(_) => None,
        None => {
            let empty: Vec<usize> = (1..page).filter(|p| !frames.iter().any(|f| f.page + 1 == *p)).collect();
            let first = *empty.first()?;
            let range = if empty.len() == 1 {
                format!("page {first}")
            } else {
                format!("pages {first}–{}", empty[empty.len() - 1])
            };
            Some((
                fi,
                format!(
                    "frame \"{name}\" is on page {page}, but no frame is on {range}: the document would have {} empty page{}; if that is meant, say `pages = {page}` in [page]",
                    empty.len(),
                    if empty.len() == 1 { "" } else { "s" }
                ),
            ))
        }
    }
}

/// The layout's `[colors]`: names for colours usable wherever a colour is written.
fn named_colors(src: &str, path: &Path) -> Result<BTreeMap<String, Rgb>, ModelError> {
    let Ok(only) = toml::from_str::<ColorsOnly>(src) else {
        // A syntax error: the full parse reports it with its position.
        return Ok(Default::default());
    };
    let mut names = BTreeMap::new();
    for (name, value) in only.colors {
        let c = Rgb::parse(value.get_ref())
            .map_err(|m| ModelError::Source(Box::new(SourceError::new(path, src, value.span(), m))))?;
        names.insert(name, c);
    }
    Ok(names)
}
