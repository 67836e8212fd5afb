//! Scalar values written in layout files: lengths, colours, weights, line
//! heights, page sizes.
//!
//! Each type deserializes itself from TOML with a message that says what was
//! expected, so the TOML parser can point at the exact value that is wrong.
//! A colour written as a word stays a word ([`Color::Named`]) until the
//! resolver looks it up in the layout's `[colors]`: these types hold no
//! state between one value and the next, nor between layouts.

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use toml::Spanned;

pub use crate::base::{PT_PER_MM, PT_PER_PX, Rgb};

/// A length, always stored in PDF points (1/72 inch).
///
/// Written as a number (points) or a string with a unit: `12mm`, `1.5cm`,
/// `10pt`, `0.5in`, `24px`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Length(pub f32);

/// The largest length nashr accepts, in points (about 5 m: ten times the
/// largest page), so every coordinate stays finite and exact enough.
pub const MAX_LENGTH: f64 = 144_000.0;

impl Length {
    /// A length of `pt` points, when finite and within ±[`MAX_LENGTH`].
    fn checked(pt: f64) -> Result<Length, String> {
        if !pt.is_finite() {
            return Err("a length must be a finite number".into());
        }
        if pt.abs() > MAX_LENGTH {
            return Err(format!("length {pt:.0} pt is beyond ±{MAX_LENGTH:.0} pt (about 5 m)"));
        }
        Ok(Length(pt as f32))
    }

    /// Parse `"12mm"`, `"10pt"`, `"1in"`, `"24px"`, `"1.5cm"` or a bare number (points).
    pub fn parse(s: &str) -> Result<Length, String> {
        let s = s.trim();
        let split = s.find(|c: char| c.is_ascii_alphabetic() || c == '%').unwrap_or(s.len());
        let (num, unit) = s.split_at(split);
        let value: f32 = num
            .trim()
            .parse()
            .map_err(|_| format!("expected a length like \"12mm\", \"10pt\", \"1in\" or \"24px\", found \"{s}\""))?;
        let factor = match unit.trim() {
            "" | "pt" => 1.0,
            "mm" => PT_PER_MM,
            "cm" => PT_PER_MM * 10.0,
            "in" => 72.0,
            "px" => PT_PER_PX,
            other => {
                return Err(format!("unknown unit \"{other}\" in \"{s}\"; use mm, cm, pt, in or px"));
            }
        };
        if !value.is_finite() {
            return Err(format!("length \"{s}\" is not a finite number"));
        }
        Length::checked(value as f64 * factor as f64)
    }
}

struct NumOrStr<T>(std::marker::PhantomData<T>, &'static str);

trait FromNumOrStr: Sized {
    fn from_num(v: f64) -> Result<Self, String>;
    fn from_str(s: &str) -> Result<Self, String>;
}

impl<'de, T: FromNumOrStr> Visitor<'de> for NumOrStr<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.1)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::from_num(v as f64).map_err(E::custom)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::from_num(v as f64).map_err(E::custom)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        T::from_num(v).map_err(E::custom)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        T::from_str(v).map_err(E::custom)
    }
}

impl FromNumOrStr for Length {
    fn from_num(v: f64) -> Result<Self, String> {
        Length::checked(v)
    }
    fn from_str(s: &str) -> Result<Self, String> {
        Length::parse(s)
    }
}

impl<'de> Deserialize<'de> for Length {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NumOrStr::<Length>(
            Default::default(),
            "a length like \"12mm\", \"10pt\", \"1in\", \"24px\" or a number of points",
        ))
    }
}

/// How wide a table column is, as written: a length (`"22mm"`, a number
/// of points), a share of the width left over (`"1fr"`, `"2.5fr"`), or
/// `"auto"` (as wide as its text wants, within what is left).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum ColumnWidth {
    /// A fixed width, in points.
    Fixed(f32),
    /// A share of what the fixed and auto columns leave.
    Fraction(f32),
    /// As wide as its widest cell's text on one line, narrower if it must.
    Auto,
}

impl FromNumOrStr for ColumnWidth {
    fn from_num(v: f64) -> Result<Self, String> {
        let l = Length::checked(v)?;
        if l.0 <= 0.0 {
            return Err(format!("a column width must be greater than 0, not {v}"));
        }
        Ok(ColumnWidth::Fixed(l.0))
    }
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim();
        if t == "auto" {
            return Ok(ColumnWidth::Auto);
        }
        if let Some(n) = t.strip_suffix("fr") {
            let share: f32 = n
                .trim()
                .parse()
                .map_err(|_| format!("expected a column width like \"25mm\", \"1fr\" or \"auto\", found \"{t}\""))?;
            if !(share.is_finite() && share > 0.0 && share <= 1000.0) {
                return Err(format!("a fraction column takes a share from above 0 to 1000, not \"{t}\""));
            }
            return Ok(ColumnWidth::Fraction(share));
        }
        let l = Length::parse(t)
            .map_err(|_| format!("expected a column width like \"25mm\", \"1fr\" or \"auto\", found \"{t}\""))?;
        if l.0 <= 0.0 {
            return Err(format!("a column width must be greater than 0, not \"{t}\""));
        }
        Ok(ColumnWidth::Fixed(l.0))
    }
}

impl<'de> Deserialize<'de> for ColumnWidth {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NumOrStr::<ColumnWidth>(
            Default::default(),
            "a column width: a length like \"25mm\", a share like \"1fr\", or \"auto\"",
        ))
    }
}

/// Line height: a multiple of the font size (`1.6`) or a fixed length (`"14pt"`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum LineHeight {
    Multiple(f32),
    Fixed(Length),
}

impl LineHeight {
    /// The line height in points for a font size.
    pub fn resolve(self, size: f32) -> f32 {
        match self {
            LineHeight::Multiple(m) => m * size,
            LineHeight::Fixed(l) => l.0,
        }
    }
}

impl FromNumOrStr for LineHeight {
    fn from_num(v: f64) -> Result<Self, String> {
        if v > 0.0 && v < 20.0 {
            Ok(LineHeight::Multiple(v as f32))
        } else {
            Err(format!("line height {v} is out of range; write a multiple like 1.5 or a length like \"14pt\""))
        }
    }
    fn from_str(s: &str) -> Result<Self, String> {
        Length::parse(s).map(LineHeight::Fixed)
    }
}

impl<'de> Deserialize<'de> for LineHeight {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NumOrStr::<LineHeight>(
            Default::default(),
            "a multiple of the font size like 1.5, or a length like \"14pt\"",
        ))
    }
}

/// A first-line indent: a length (`"6mm"`, a number of points) or a
/// multiple of the font size (`"1.5em"`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Indent {
    /// A fixed length.
    Fixed(Length),
    /// Ems: multiples of the paragraph's font size.
    Em(f32),
}

impl Indent {
    /// The indent in points for a font size.
    pub fn resolve(self, size: f32) -> f32 {
        match self {
            Indent::Fixed(l) => l.0,
            Indent::Em(m) => m * size,
        }
    }
}

impl FromNumOrStr for Indent {
    fn from_num(v: f64) -> Result<Self, String> {
        Length::checked(v).map(Indent::Fixed)
    }
    fn from_str(s: &str) -> Result<Self, String> {
        let Some(num) = s.trim().strip_suffix("em") else { return Length::parse(s).map(Indent::Fixed) };
        match num.trim().parse::<f32>() {
            Ok(v) if v.is_finite() && (-100.0..=100.0).contains(&v) => Ok(Indent::Em(v)),
            _ => {
                Err(format!("expected an indent like \"1em\" (−100 to 100 em) or a length like \"6mm\", found \"{s}\""))
            }
        }
    }
}

impl<'de> Deserialize<'de> for Indent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NumOrStr::<Indent>(Default::default(), "an indent like \"1em\" or a length like \"6mm\""))
    }
}

/// A font weight as a span writes it (`650`, `"semibold"`).
pub(crate) fn parse_weight(s: &str) -> Result<u16, String> {
    match s.trim().parse::<f64>() {
        Ok(v) => Weight::from_num(v).map(|w| w.0),
        Err(_) => Weight::from_str(s).map(|w| w.0),
    }
}

/// An indent or a span size as written (`"1.2em"`, `"14pt"`, `"12"`).
pub(crate) fn parse_indent(s: &str) -> Result<Indent, String> {
    match s.trim().parse::<f64>() {
        Ok(v) => Indent::from_num(v),
        Err(_) => Indent::from_str(s),
    }
}

/// An angle in degrees, clockwise on the page: a number (`-8`) or a string
/// with a unit, `"-8deg"`, `"0.5rad"` or `"0.1turn"`; within ±360°.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Angle(pub f32);

impl Angle {
    fn checked(deg: f64) -> Result<Angle, String> {
        if !deg.is_finite() || deg.abs() > 360.0 {
            return Err(format!("an angle must lie within ±360 degrees, found {deg}"));
        }
        Ok(Angle(deg as f32))
    }
}

impl FromNumOrStr for Angle {
    fn from_num(v: f64) -> Result<Self, String> {
        Angle::checked(v)
    }
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim();
        let split = t.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(t.len());
        let (num, unit) = t.split_at(split);
        let value: f64 = num
            .trim()
            .parse()
            .map_err(|_| format!("expected an angle like \"-8deg\" or a number of degrees, found \"{s}\""))?;
        let factor = match unit.trim() {
            "" | "deg" => 1.0,
            "rad" => 180.0 / std::f64::consts::PI,
            "turn" => 360.0,
            other => return Err(format!("unknown angle unit \"{other}\" in \"{s}\"; use deg, rad or turn")),
        };
        Angle::checked(value * factor)
    }
}

impl<'de> Deserialize<'de> for Angle {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NumOrStr::<Angle>(Default::default(), "an angle like \"-8deg\" or a number of degrees"))
    }
}

/// Font weight, 1–1000: a number or a name (`thin`, `light`, `regular`,
/// `medium`, `semibold`, `bold`, `extrabold`, `black`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Weight(pub u16);

impl FromNumOrStr for Weight {
    fn from_num(v: f64) -> Result<Self, String> {
        if (1.0..=1000.0).contains(&v) {
            Ok(Weight(v as u16))
        } else {
            Err(format!("font weight {v} is out of range 1–1000"))
        }
    }
    fn from_str(s: &str) -> Result<Self, String> {
        let w = match s.to_ascii_lowercase().replace(['-', ' ', '_'], "").as_str() {
            "thin" => 100,
            "extralight" | "ultralight" => 200,
            "light" => 300,
            "regular" | "normal" | "book" => 400,
            "medium" => 500,
            "semibold" | "demibold" => 600,
            "bold" => 700,
            "extrabold" | "ultrabold" => 800,
            "black" | "heavy" => 900,
            _ => {
                return Err(format!(
                    "unknown font weight \"{s}\"; use a number 100–900 or thin, light, regular, medium, semibold, bold, extrabold, black"
                ));
            }
        };
        Ok(Weight(w))
    }
}

impl<'de> Deserialize<'de> for Weight {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NumOrStr::<Weight>(
            Default::default(),
            "a font weight: a number 100–900 or a name like \"bold\"",
        ))
    }
}

/// A colour as written in a layout: a literal, or a word that can only be
/// looked up once the layout's `[colors]` table is known ([`Color::resolve`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Color {
    /// `#1a2b3c`, `rgb(26, 43, 60)` or `cmyk(0, 90, 85, 10)`.
    Rgb(Rgb),
    /// A name from the layout's `[colors]`, or one [`Rgb::parse`] knows
    /// (`black`, `white`, …), as written.
    Named(String),
}

impl Color {
    /// Read a colour as written. Literals are checked here, so a malformed
    /// one is reported where it is written; words wait for [`Color::resolve`].
    pub fn parse(s: &str) -> Result<Color, String> {
        let t = s.trim();
        if t.starts_with('#') || t.contains('(') {
            Rgb::parse(s).map(Color::Rgb)
        } else {
            Ok(Color::Named(s.to_string()))
        }
    }

    /// The colour, looking a word up in `named` (the layout's `[colors]`)
    /// before the names [`Rgb::parse`] knows.
    pub fn resolve(&self, named: &BTreeMap<String, Rgb>) -> Result<Rgb, String> {
        let word = match self {
            Color::Rgb(c) => return Ok(*c),
            Color::Named(word) => word,
        };
        if let Some(c) = named.get(word.trim()) {
            return Ok(*c);
        }
        Rgb::parse(word).map_err(|m| {
            if named.is_empty() {
                return m;
            }
            let names: Vec<&str> = named.keys().map(String::as_str).collect();
            format!("unknown colour \"{}\"; colours named in [colors]: {}", word.trim(), names.join(", "))
        })
    }
}

/// Named page sizes in pixels for social images (1 px = 0.75 pt).
pub fn preset_size(name: &str) -> Option<(f32, f32)> {
    let px = |w: f32, h: f32| Some((w * PT_PER_PX, h * PT_PER_PX));
    match name.to_ascii_lowercase().as_str() {
        "instagram-square" => px(1080.0, 1080.0),
        "instagram-portrait" => px(1080.0, 1350.0),
        "story" => px(1080.0, 1920.0),
        "link-preview" => px(1200.0, 630.0),
        "x-landscape" => px(1600.0, 900.0),
        _ => None,
    }
}

/// Names accepted by [`preset_size`].
pub const PRESETS: &str = "instagram-square (1080×1080 px), instagram-portrait (1080×1350), story (1080×1920), link-preview (1200×630), x-landscape (1600×900)";

impl<'de> Deserialize<'de> for Color {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Color::parse(&s).map_err(de::Error::custom)
    }
}

/// The most colours a gradient may have.
pub const MAX_STOPS: usize = 64;

/// How an area is filled: a colour, or a linear gradient (CSS angles: 0
/// points up, 90 right, 180 down).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Fill {
    Solid(Rgb),
    Gradient { angle: f32, stops: Vec<Rgb> },
}

/// A [`Fill`] as written in a layout, its colours still [`Color`]s: a colour
/// string, or a table `{ gradient = ["#a8201a", "#3b0a08"], angle = 160 }`
/// (the angle is 180, downwards, when not given).
///
/// Only the TOML reader can deserialize it: the stops keep their position.
#[derive(Debug, Clone, PartialEq)]
pub enum RawFill {
    Solid(Color),
    /// `stops` keeps the position of the list, for a message about one of its colours.
    Gradient {
        angle: f32,
        stops: Spanned<Vec<Color>>,
    },
}

impl<'de> Deserialize<'de> for RawFill {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawFill;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a colour like \"#a8201a\" or a gradient like { gradient = [\"#a8201a\", \"#3b0a08\"], angle = 160 }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawFill, E> {
                Color::parse(v).map(RawFill::Solid).map_err(E::custom)
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<RawFill, A::Error> {
                let mut stops: Option<Spanned<Vec<Color>>> = None;
                let mut angle = 180.0f32;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "gradient" => stops = Some(map.next_value()?),
                        "angle" => {
                            let a = map.next_value::<f64>()?;
                            if !a.is_finite() {
                                return Err(de::Error::custom("a gradient's angle must be a finite number of degrees"));
                            }
                            angle = (a % 360.0) as f32;
                        }
                        other => {
                            return Err(de::Error::custom(format!(
                                "unknown key `{other}` in a fill; expected `gradient` and `angle`"
                            )));
                        }
                    }
                }
                let stops = stops.ok_or_else(|| de::Error::custom("a gradient fill needs `gradient = [colours…]`"))?;
                if stops.get_ref().len() < 2 {
                    return Err(de::Error::custom("a gradient needs at least two colours"));
                }
                if stops.get_ref().len() > MAX_STOPS {
                    return Err(de::Error::custom(format!(
                        "a gradient has at most {MAX_STOPS} colours; this one has {}",
                        stops.get_ref().len()
                    )));
                }
                Ok(RawFill::Gradient { angle, stops })
            }
        }
        d.deserialize_any(V)
    }
}

/// A named paper size in points (portrait), if the name is known.
pub fn paper_size(name: &str) -> Option<(f32, f32)> {
    let mm = |w: f32, h: f32| Some((w * PT_PER_MM, h * PT_PER_MM));
    match name.to_ascii_lowercase().as_str() {
        "a3" => mm(297.0, 420.0),
        "a4" => mm(210.0, 297.0),
        "a5" => mm(148.0, 210.0),
        "a6" => mm(105.0, 148.0),
        "letter" => Some((612.0, 792.0)),
        "legal" => Some((612.0, 1008.0)),
        _ => None,
    }
}

/// Names accepted by [`paper_size`].
pub const PAPER_SIZES: &str = "A3, A4, A5, A6, Letter, Legal";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_convert_to_points() {
        assert!((Length::parse("25.4mm").unwrap().0 - 72.0).abs() < 1e-3);
        assert_eq!(Length::parse("10pt").unwrap().0, 10.0);
        assert_eq!(Length::parse("1in").unwrap().0, 72.0);
        assert_eq!(Length::parse("1080px").unwrap().0, 810.0);
        assert_eq!(Length::parse("12").unwrap().0, 12.0);
        assert!(Length::parse("12furlongs").unwrap_err().contains("unknown unit"));
        assert!(Length::parse("mm").is_err());
    }

    #[test]
    fn colours_parse() {
        assert_eq!(Rgb::parse("#fff").unwrap(), Rgb::from_u8(255, 255, 255));
        assert_eq!(Rgb::parse("#102030").unwrap(), Rgb::from_u8(16, 32, 48));
        assert_eq!(Rgb::parse("rgb(1, 2, 3)").unwrap(), Rgb::from_u8(1, 2, 3));
        assert!(Rgb::parse("#12345").is_err());
        assert!(Rgb::parse("teal-ish").is_err());
    }

    #[test]
    fn cmyk_colours_and_the_conversion_rule() {
        let c = Rgb::parse("cmyk(0, 100, 100, 0)").unwrap();
        assert_eq!(c.to_cmyk(), [0.0, 1.0, 1.0, 0.0]);
        assert_eq!((c.r, c.g, c.b), (1.0, 0.0, 0.0));
        assert_eq!(Rgb::BLACK.to_cmyk(), [0.0, 0.0, 0.0, 1.0], "black is 100 % K");
        let grey = Rgb::from_u8(128, 128, 128).to_cmyk();
        assert_eq!(&grey[..3], &[0.0, 0.0, 0.0], "greys are K only");
        assert!((Rgb::parse("cmyk(100,100,100,100)").unwrap().ink() - 400.0).abs() < 1e-3);
        assert!(Rgb::parse("cmyk(0, 120, 0, 0)").is_err());
        let page = |colors: &str| format!("{colors}[page]\nsize = \"A6\"\nbackground = \"brand\"\n");
        let engine = crate::Engine::new();
        let named = engine.load_str("a.toml", &page("[colors]\nbrand = \"cmyk(0, 100, 100, 0)\"\n"));
        assert_eq!(named.unwrap().pages[0].background, Some(Fill::Solid(c)));
        let e = engine.load_str("b.toml", &page("")).unwrap_err().to_string();
        assert!(e.contains("found \"brand\""), "names only live while their layout is read: {e}");
    }

    #[test]
    fn colour_words_are_looked_up_in_the_layout_names_first() {
        let names: BTreeMap<String, Rgb> =
            [("brand".into(), Rgb::from_u8(168, 32, 26)), ("red".into(), Rgb::from_u8(1, 2, 3))].into();
        let word = |s: &str| Color::parse(s).unwrap();
        assert_eq!(word(" brand ").resolve(&names).unwrap(), Rgb::from_u8(168, 32, 26));
        assert_eq!(word("red").resolve(&names).unwrap(), Rgb::from_u8(1, 2, 3), "a name overrides a built-in one");
        assert_eq!(word("Blue").resolve(&names).unwrap(), Rgb::from_u8(0, 0, 255));
        assert_eq!(word("#fff"), Color::Rgb(Rgb::from_u8(255, 255, 255)));
        assert!(Color::parse("#12345").is_err(), "a malformed literal is an error before any lookup");
        let e = word("brnad").resolve(&names).unwrap_err();
        assert_eq!(e, "unknown colour \"brnad\"; colours named in [colors]: brand, red");
        let e = word("brnad").resolve(&BTreeMap::new()).unwrap_err();
        assert!(e.contains("\"#1a2b3c\"") && e.contains("found \"brnad\""), "{e}");
    }

    #[test]
    fn indents_are_lengths_or_ems() {
        assert_eq!(Indent::from_str("1.5em").unwrap().resolve(10.0), 15.0);
        assert_eq!(Indent::from_str(" 2 em ").unwrap(), Indent::Em(2.0));
        assert_eq!(Indent::from_str("72pt").unwrap().resolve(10.0), 72.0);
        assert_eq!(Indent::from_num(6.0).unwrap(), Indent::Fixed(Length(6.0)));
        assert!(Indent::from_str("1rem").is_err() && Indent::from_str("500em").is_err());
        assert!(Indent::from_str("NaNem").is_err() && Indent::from_str("infem").is_err());
    }

    #[test]
    fn weights_parse() {
        assert_eq!(Weight::from_str("Bold").unwrap(), Weight(700));
        assert_eq!(Weight::from_str("semi-bold").unwrap(), Weight(600));
        assert!(Weight::from_str("fat").is_err());
    }
}

/// JSON Schema of the values written as strings or numbers, for
/// `schema/layout.schema.json`: what an editor can check before nashr runs.
mod schema {
    use super::*;
    use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
    use std::borrow::Cow;

    /// A length with a unit, as [`Length::parse`] reads it.
    const LENGTH_PATTERN: &str = r"^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*(mm|cm|pt|in|px)?\s*$";

    impl JsonSchema for Length {
        fn schema_name() -> Cow<'static, str> {
            "Length".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "A length: a number of points, or a string with a unit: mm, cm, pt, in or px (1 px = 0.75 pt).",
                "anyOf": [
                    { "type": "number" },
                    { "type": "string", "pattern": LENGTH_PATTERN }
                ]
            })
        }
    }

    impl JsonSchema for Angle {
        fn schema_name() -> Cow<'static, str> {
            "Angle".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "An angle, clockwise on the page: a number of degrees, or a string with deg, rad or turn (\"-8deg\"); within ±360°.",
                "anyOf": [
                    { "type": "number", "minimum": -360, "maximum": 360 },
                    { "type": "string", "pattern": r"^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)\s*(deg|rad|turn)?\s*$" }
                ]
            })
        }
    }

    impl JsonSchema for ColumnWidth {
        fn schema_name() -> Cow<'static, str> {
            "ColumnWidth".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "A table column's width: a length (a number of points, or a string with mm, cm, pt, in or px), a share of the width left over (\"1fr\", \"2fr\"), or \"auto\" (as wide as its text on one line, narrower if it must).",
                "anyOf": [
                    { "type": "number", "exclusiveMinimum": 0 },
                    { "type": "string", "pattern": LENGTH_PATTERN },
                    { "type": "string", "pattern": r"^\s*([0-9]+\.?[0-9]*|\.[0-9]+)\s*fr\s*$" },
                    { "const": "auto" }
                ]
            })
        }
    }

    impl JsonSchema for LineHeight {
        fn schema_name() -> Cow<'static, str> {
            "LineHeight".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "A multiple of the font size (1.5), or a fixed length (\"14pt\").",
                "anyOf": [
                    { "type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 20 },
                    { "type": "string", "pattern": LENGTH_PATTERN }
                ]
            })
        }
    }

    impl JsonSchema for Indent {
        fn schema_name() -> Cow<'static, str> {
            "Indent".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "An indent: a length (a number of points, or a string with mm, cm, pt, in or px) or ems of the font size (\"1em\").",
                "anyOf": [
                    { "type": "number" },
                    { "type": "string", "pattern": LENGTH_PATTERN },
                    { "type": "string", "pattern": r"^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)\s*em\s*$" }
                ]
            })
        }
    }

    impl JsonSchema for Weight {
        fn schema_name() -> Cow<'static, str> {
            "Weight".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "A font weight: a number 1–1000 or a name.",
                "anyOf": [
                    { "type": "integer", "minimum": 1, "maximum": 1000 },
                    { "type": "string", "enum": [
                        "thin", "extralight", "ultralight", "light", "regular", "normal", "book",
                        "medium", "semibold", "demibold", "bold", "extrabold", "ultrabold", "black", "heavy"
                    ] }
                ]
            })
        }
    }

    impl JsonSchema for Color {
        fn schema_name() -> Cow<'static, str> {
            "Color".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "A colour: #rrggbb, #rgb, rgb(r, g, b), cmyk(c, m, y, k) in percent, a basic name (black, white, …) or a name from [colors].",
                "type": "string",
                "minLength": 1
            })
        }
    }

    impl JsonSchema for RawFill {
        fn schema_name() -> Cow<'static, str> {
            "Fill".into()
        }
        fn json_schema(generator: &mut SchemaGenerator) -> Schema {
            let color = generator.subschema_for::<Color>();
            json_schema!({
                "description": "A colour, or a linear gradient { gradient = [colours…], angle = degrees } (CSS angles: 0 up, 90 right, 180 down, the default).",
                "anyOf": [
                    color.clone(),
                    {
                        "type": "object",
                        "properties": {
                            "gradient": { "type": "array", "items": color, "minItems": 2, "maxItems": MAX_STOPS },
                            "angle": { "type": "number" }
                        },
                        "required": ["gradient"],
                        "additionalProperties": false
                    }
                ]
            })
        }
    }
}
