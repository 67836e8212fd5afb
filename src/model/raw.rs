//! The layout as written: serde types that mirror the TOML tables and keys
//! one to one, with positions (`Spanned`) where a later message needs one.
//!
//! These types own the shape of the file format (which keys exist, and
//! `deny_unknown_fields` so a misspelt key is an error at its position).
//! They must not know what the values mean together: defaults, inheritance,
//! units of the page, fonts and named colours are the resolver's business.

use super::values::{Color, Length, LineHeight, RawFill, Weight};
use super::{Align, ColorMode, Digits, Direction, Fit, ImageFit, Justify, Kashida, Mark, PdfStandard, VAlign, Wrap};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLayout {
    pub(super) version: Option<Spanned<i64>>,
    /// Run the Persian normaliser over every text of the layout.
    pub(super) normalize: Option<bool>,
    #[serde(default)]
    pub(super) fonts: Vec<Spanned<String>>,
    /// Named colours, read before the rest (see `named_colors`).
    #[serde(default)]
    #[allow(dead_code)]
    pub(super) colors: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub(super) print: RawPrint,
    #[serde(default)]
    pub(super) meta: RawMeta,
    pub(super) page: RawPage,
    #[serde(default)]
    pub(super) styles: BTreeMap<String, Spanned<RawStyle>>,
    #[serde(default, rename = "frame")]
    pub(super) frames: Vec<Spanned<RawFrame>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMeta {
    pub(super) title: Option<String>,
    pub(super) author: Option<String>,
    pub(super) subject: Option<String>,
    pub(super) language: Option<String>,
    /// Whether the PDF is tagged (on unless `false`).
    pub(super) tagged: Option<bool>,
    /// The locale used when none is given (a file, relative to the layout).
    pub(super) locale: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPrint {
    pub(super) color_mode: Option<ColorMode>,
    pub(super) pdf_standard: Option<PdfStandard>,
    pub(super) icc_profile: Option<Spanned<String>>,
    pub(super) output_condition: Option<String>,
    pub(super) safe_margin: Option<Length>,
}

/// A page dimension, remembering whether it was given in pixels (a screen
/// page: no bleed by default).
#[derive(Debug, Clone, Copy)]
pub(super) struct PageLength {
    pub(super) length: Length,
    pub(super) px: bool,
}

impl<'de> Deserialize<'de> for PageLength {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = toml::Value::deserialize(d)?;
        let px = v.as_str().is_some_and(|s| s.trim().ends_with("px"));
        let length = Length::deserialize(v).map_err(serde::de::Error::custom)?;
        Ok(PageLength { length, px })
    }
}

/// Only the `[colors]` table, read first so that names can be used anywhere.
#[derive(Deserialize)]
pub(super) struct ColorsOnly {
    #[serde(default)]
    pub(super) colors: BTreeMap<String, Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPage {
    pub(super) size: Option<Spanned<String>>,
    pub(super) width: Option<PageLength>,
    pub(super) height: Option<PageLength>,
    pub(super) orientation: Option<Orientation>,
    pub(super) margin: Option<Length>,
    pub(super) margin_top: Option<Length>,
    pub(super) margin_bottom: Option<Length>,
    pub(super) margin_start: Option<Length>,
    pub(super) margin_end: Option<Length>,
    pub(super) background: Option<Spanned<RawFill>>,
    pub(super) pages: Option<Spanned<i64>>,
    pub(super) bleed: Option<Length>,
    pub(super) marks: Option<Vec<Mark>>,
}

#[derive(Deserialize, Clone, Copy, PartialEq)]
#[serde(rename_all = "lowercase")]
pub(super) enum Orientation {
    Portrait,
    Landscape,
}

#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStyle {
    pub(super) parent: Option<Spanned<String>>,
    pub(super) font: Option<Spanned<String>>,
    pub(super) fallback: Option<Vec<Spanned<String>>>,
    pub(super) weight: Option<Weight>,
    pub(super) size: Option<Length>,
    pub(super) line_height: Option<LineHeight>,
    pub(super) color: Option<Spanned<Color>>,
    pub(super) align: Option<Align>,
    pub(super) direction: Option<Direction>,
    pub(super) space_before: Option<Length>,
    pub(super) space_after: Option<Length>,
    pub(super) justify: Option<Justify>,
    pub(super) kashida: Option<Kashida>,
    pub(super) wrap: Option<Wrap>,
    pub(super) digits: Option<Digits>,
    pub(super) normalize: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFrame {
    pub(super) name: Option<String>,
    pub(super) page: Option<Spanned<toml::Value>>,
    pub(super) x: Option<Length>,
    pub(super) y: Option<Length>,
    pub(super) width: Option<Length>,
    pub(super) height: Option<Length>,
    pub(super) valign: Option<VAlign>,
    pub(super) background: Option<Spanned<RawFill>>,
    pub(super) border_color: Option<Spanned<Color>>,
    pub(super) border_width: Option<Length>,
    pub(super) radius: Option<Length>,
    pub(super) opacity: Option<f32>,
    pub(super) image: Option<Spanned<String>>,
    pub(super) image_fit: Option<ImageFit>,
    pub(super) image_opacity: Option<f32>,
    pub(super) padding: Option<Length>,
    pub(super) bleed: Option<bool>,
    pub(super) fit: Option<Fit>,
    pub(super) min_size: Option<Length>,
    pub(super) next: Option<Spanned<String>>,
    pub(super) widows: Option<Spanned<i64>>,
    pub(super) orphans: Option<Spanned<i64>>,
    pub(super) order: Option<Spanned<i64>>,
    #[serde(default, rename = "block")]
    pub(super) blocks: Vec<Spanned<RawBlock>>,
}

/// One block; which keys are allowed depends on `type`, checked in `resolve_block`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBlock {
    #[serde(rename = "type")]
    pub(super) kind: Spanned<String>,
    pub(super) text: Option<Spanned<String>>,
    pub(super) style: Option<Spanned<String>>,
    pub(super) items: Option<Vec<Spanned<String>>>,
    pub(super) marker: Option<String>,
    pub(super) indent: Option<Length>,
    pub(super) thickness: Option<Length>,
    pub(super) color: Option<Spanned<Color>>,
    pub(super) length: Option<Length>,
    pub(super) align: Option<Align>,
    pub(super) height: Option<Length>,
    pub(super) space_before: Option<Length>,
    pub(super) space_after: Option<Length>,
    pub(super) path: Option<Spanned<String>>,
    pub(super) fit: Option<ImageFit>,
    pub(super) opacity: Option<f32>,
    pub(super) data: Option<Spanned<String>>,
    /// What a picture or a QR code says, for a reader who cannot see it.
    pub(super) alt: Option<String>,
    pub(super) size: Option<Length>,
    pub(super) background: Option<Spanned<Color>>,
}
