//! Locales: the strings of one language for `{{key}}` placeholders in a
//! layout, with the language's direction, digits and quotation marks.
//!
//! A locale file is TOML:
//!
//! ```toml
//! [locale]
//! language = "en"
//! name = "English"
//! direction = "ltr"
//! digits = "latin"
//! quotes = ["“", "”"]
//! translation = true
//!
//! [strings]
//! headline = "Take part in the congress of the Worker-communist Party!"
//! ```

use super::{Direction, ModelError};
use crate::error::{Error, SourceError};
use crate::lang::digits::Digits;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The strings and conventions of one language, read from a locale file
/// with [`Engine::locale`](crate::Engine::locale).
#[derive(Debug, Clone)]
pub struct Locale {
    /// BCP 47 tag, e.g. `fa`, `en`, `ckb`.
    pub language: String,
    /// The language's own name.
    pub name: String,
    /// Writing direction of the language (`Rtl` or `Ltr`).
    pub direction: Direction,
    /// The digits numbers are written with.
    pub digits: Digits,
    /// Opening and closing quotation marks.
    pub quotes: (String, String),
    /// The strings are a translation of the original.
    pub translation: bool,
    /// A font family replacing the layout's families (for scripts they lack).
    pub font: Option<String>,
    /// The kashida the language's justified text uses, when the locale says.
    pub kashida: Option<super::Kashida>,
    /// The strings `{{key}}` placeholders take, by key.
    pub strings: BTreeMap<String, String>,
    /// The file the locale was read from.
    pub file: PathBuf,
    /// The data row merged into the strings (variable-data printing): its
    /// 1-based number and file, for messages.
    pub(crate) row: Option<(usize, PathBuf)>,
    /// The locale brings its language's direction, digits and font (false
    /// for the strings of a data row alone).
    pub(crate) conventions: bool,
    /// Style values the language needs set differently (`[styles.body]
    /// line_height = 1.45`): over the layout's, by style name.
    pub(crate) styles: BTreeMap<String, StyleOverride>,
    /// Keys whose strings are plain text (the values of a data row loaded
    /// with [`Engine::load_with_text`](crate::Engine::load_with_text)):
    /// their `*`, `[`, `]` and `\\` are written as they are, never read as markup.
    pub(crate) text_keys: std::collections::BTreeSet<String>,
}

/// One row of a data file: column name → value. Its values fill
/// `{{column}}` placeholders before the locale's strings.
///
/// ```
/// let row = nashr::DataRow { number: 1, file: "guests.csv".into(), values: [("name".into(), "مریم".into())].into() };
/// let engine = nashr::Engine::new();
/// let source = nashr::LayoutSource::new("card.toml", "[page]\nsize = \"A6\"\n[meta]\ntitle = \"{{name}}\"\n");
/// let doc = engine.load_with(&source, None, Some(&row))?;
/// assert_eq!(doc.title(), "مریم");
/// # Ok::<(), nashr::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct DataRow {
    /// 1-based row number (the header is not counted).
    pub number: usize,
    /// The data file the row comes from, for messages.
    pub file: PathBuf,
    /// The row's values by column name.
    pub values: BTreeMap<String, String>,
}

/// Read the rows of a CSV file (a header line names the columns) or of a
/// TOML file (`[[row]]` tables of strings).
pub(crate) fn load_rows(path: &Path) -> Result<Vec<DataRow>, Error> {
    let text =
        crate::files::read_text(path, crate::files::DATA_LIMIT).map_err(|err| Error::read("data file", path, err))?;
    parse_rows(&text, path)
}

/// The rows of a data file's text; `path` names it in messages and tells
/// TOML (`.toml`) from CSV.
pub(crate) fn parse_rows(text: &str, path: &Path) -> Result<Vec<DataRow>, Error> {
    let at = |span: Range<usize>, message: String| Error::Source(Box::new(SourceError::new(path, text, span, message)));
    let is_toml = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    let mut rows = Vec::new();
    if is_toml {
        #[derive(Deserialize)]
        struct Rows {
            row: Vec<BTreeMap<String, String>>,
        }
        let r: Rows = toml::from_str(text).map_err(|e| {
            at(
                e.span().unwrap_or(0..0),
                format!("{} (a data file holds [[row]] tables of text values)", e.message().trim()),
            )
        })?;
        for (i, values) in r.row.into_iter().enumerate() {
            rows.push(DataRow { number: i + 1, file: path.to_path_buf(), values });
        }
    } else {
        let csv_error = |e: csv::Error, what: String| {
            let byte = e.position().map_or(0, |p| p.byte() as usize);
            at(byte..byte, format!("{what}{e}"))
        };
        let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
        let headers = reader.headers().map_err(|e| csv_error(e, String::new()))?.clone();
        for (i, rec) in reader.records().enumerate() {
            let rec = rec.map_err(|e| csv_error(e, format!("row {}: ", i + 1)))?;
            let values = headers.iter().zip(rec.iter()).map(|(h, v)| (h.trim().to_string(), v.to_string())).collect();
            rows.push(DataRow { number: i + 1, file: path.to_path_buf(), values });
        }
    }
    if rows.is_empty() {
        return Err(at(0..0, "the data file has no rows".into()));
    }
    Ok(rows)
}

impl Locale {
    /// This locale with a data row's values over its strings; with no
    /// locale, the row's strings alone. With `text`, the row's values are
    /// plain text, never markup.
    pub(crate) fn with_row(base: Option<&Locale>, row: &DataRow, layout_rtl: bool, text: bool) -> Locale {
        let mut l = base.cloned().unwrap_or_else(|| Locale {
            language: String::new(),
            name: String::new(),
            direction: if layout_rtl { Direction::Rtl } else { Direction::Ltr },
            digits: Digits::Keep,
            quotes: ("«".into(), "»".into()),
            translation: false,
            font: None,
            kashida: None,
            strings: BTreeMap::new(),
            file: row.file.clone(),
            row: None,
            conventions: false,
            styles: BTreeMap::new(),
            text_keys: Default::default(),
        });
        l.strings.extend(row.values.iter().map(|(k, v)| (k.clone(), v.clone())));
        if text {
            l.text_keys.extend(row.values.keys().cloned());
        } else {
            l.text_keys.retain(|k| !row.values.contains_key(k));
        }
        l.row = Some((row.number, row.file.clone()));
        l
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLocale {
    locale: RawHead,
    #[serde(default)]
    strings: BTreeMap<String, String>,
    #[serde(default)]
    styles: BTreeMap<String, StyleOverride>,
}

/// The style values a locale may set over a layout's style of the same
/// name: what one language needs different from another (a Latin text's
/// line height, a size, spacing, alignment, justification).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StyleOverride {
    pub(crate) size: Option<super::values::Length>,
    pub(crate) line_height: Option<super::values::LineHeight>,
    pub(crate) weight: Option<super::values::Weight>,
    pub(crate) align: Option<super::Align>,
    pub(crate) space_before: Option<super::values::Length>,
    pub(crate) space_after: Option<super::values::Length>,
    pub(crate) justify: Option<super::Justify>,
    pub(crate) kashida: Option<super::Kashida>,
    pub(crate) wrap: Option<super::Wrap>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHead {
    language: String,
    name: Option<String>,
    direction: Spanned<Direction>,
    #[serde(default)]
    digits: Digits,
    quotes: Option<(String, String)>,
    #[serde(default)]
    translation: bool,
    font: Option<String>,
    kashida: Option<super::Kashida>,
}

impl Locale {
    /// Read a locale file.
    pub(crate) fn load(path: &Path) -> Result<Locale, ModelError> {
        let src = crate::files::read_text(path, crate::files::LAYOUT_LIMIT)
            .map_err(|err| ModelError::Read { path: path.to_path_buf(), err })?;
        Locale::parse(&src, path)
    }

    /// Read locale source text; `path` names it in messages.
    pub(crate) fn parse(src: &str, path: &Path) -> Result<Locale, ModelError> {
        let raw: RawLocale = toml::from_str(src).map_err(|e| {
            ModelError::Source(Box::new(SourceError::new(path, src, e.span().unwrap_or(0..0), e.message().trim())))
        })?;
        let h = raw.locale;
        if *h.direction.get_ref() == Direction::Auto {
            return Err(ModelError::Source(Box::new(SourceError::new(
                path,
                src,
                h.direction.span(),
                "a locale's direction is \"rtl\" or \"ltr\"",
            ))));
        }
        Ok(Locale {
            name: h.name.unwrap_or_else(|| h.language.clone()),
            language: h.language,
            direction: *h.direction.get_ref(),
            digits: h.digits,
            quotes: h.quotes.unwrap_or_else(|| ("“".into(), "”".into())),
            translation: h.translation,
            font: h.font,
            kashida: h.kashida,
            strings: raw.strings,
            file: path.to_path_buf(),
            row: None,
            conventions: true,
            styles: raw.styles,
            text_keys: Default::default(),
        })
    }

    /// The language is written right to left.
    pub fn rtl(&self) -> bool {
        self.direction == Direction::Rtl
    }
}

/// Replace every `{{key}}` in `text` with the locale's string. `span` is
/// where the text stands in the layout, for the error when a key is missing
/// (or when there is no locale to take it from). With `markup` (the text
/// is read as inline markup next), a plain-text string has its markup
/// characters escaped, so it reads as written.
pub(crate) fn fill_in(
    text: &str,
    locale: Option<&Locale>,
    layout: &Path,
    src: &str,
    span: Range<usize>,
    markup: bool,
) -> Result<String, ModelError> {
    if !text.contains("{{") {
        return Ok(text.to_string());
    }
    let err = |m: String| ModelError::Source(Box::new(SourceError::new(layout, src, span.clone(), m)));
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return Err(err("a \"{{\" is not closed by \"}}\"".into()));
        };
        let key = after[..end].trim();
        let Some(loc) = locale else {
            return Err(err(format!(
                "the text uses the string \"{key}\" but no locale is given; render with --locale, or name a default with `locale = \"…\"` in [meta]"
            )));
        };
        match loc.strings.get(key) {
            Some(s) if markup && loc.text_keys.contains(key) => out.push_str(&super::markup::escape(s)),
            Some(s) => out.push_str(s),
            None if loc.row.is_some() => {
                let (n, file) = loc.row.as_ref().expect("checked");
                return Err(err(format!(
                    "row {n} of {} has no column \"{key}\" (nor has the locale {} a string of that name)",
                    file.display(),
                    loc.language
                )));
            }
            None => {
                let known: Vec<&str> = loc.strings.keys().map(|k| k.as_str()).take(40).collect();
                return Err(err(format!(
                    "the locale {} ({}) has no string \"{key}\"; it has: {}",
                    loc.language,
                    loc.file.display(),
                    known.join(", ")
                )));
            }
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: &str =
        "[locale]\nlanguage = \"en\"\ndirection = \"ltr\"\ndigits = \"latin\"\n[strings]\nheadline = \"Come!\"\n";

    #[test]
    fn strings_fill_placeholders() {
        let en = Locale::parse(EN, Path::new("en.toml")).unwrap();
        assert!(!en.rtl());
        let got = fill_in("** {{ headline }} **", Some(&en), Path::new("l.toml"), "", 0..0, true).unwrap();
        assert_eq!(got, "** Come! **");
        assert_eq!(fill_in("plain", None, Path::new("l.toml"), "", 0..0, true).unwrap(), "plain");
    }

    #[test]
    fn a_missing_string_names_the_key_the_locale_and_the_place() {
        let en = Locale::parse(EN, Path::new("en.toml")).unwrap();
        let src = "text = \"{{title}}\"";
        let e = fill_in("{{title}}", Some(&en), Path::new("l.toml"), src, 7..18, true).unwrap_err().to_string();
        assert!(
            e.contains("\"title\"") && e.contains("en.toml") && e.contains("headline") && e.contains("l.toml:1:8"),
            "{e}"
        );
        let e = fill_in("{{title}}", None, Path::new("l.toml"), src, 7..18, true).unwrap_err().to_string();
        assert!(e.contains("--locale"), "{e}");
    }

    #[test]
    fn bad_locale_files_are_errors_with_positions() {
        let e = Locale::parse("[locale]\nlanguage = \"en\"\ndirection = \"up\"\n", Path::new("x.toml")).unwrap_err();
        assert!(e.to_string().contains("x.toml:3"), "{e}");
        let e = Locale::parse("[locale]\nlanguage = \"en\"\ndirection = \"auto\"\n", Path::new("x.toml")).unwrap_err();
        assert!(e.to_string().contains("\"rtl\" or \"ltr\""), "{e}");
    }
}
