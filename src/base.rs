//! Plain values every stage shares: colours, rectangles, document metadata,
//! print settings and OpenType feature settings as written.
//!
//! The model produces them, the layout copies them into the Scene and the
//! exporters read them there; this module depends on nothing else in the
//! crate, so the exporters never need to import the model.

use serde::{Deserialize, Serialize};

/// Points per millimetre.
pub const PT_PER_MM: f32 = 72.0 / 25.4;
/// Points per CSS pixel: a `px` is 1/96 inch, so 1080 px = 810 pt in a PDF.
pub const PT_PER_PX: f32 = 0.75;

/// A shadow drawn behind text: an offset copy in one colour, softened by
/// `blur`, for legibility over pictures.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TextShadow {
    /// The shadow's colour.
    pub color: Rgb,
    /// How far right it falls, in points.
    pub x: f32,
    /// How far down it falls, in points.
    pub y: f32,
    /// The radius of its soft edge, in points (0: sharp).
    pub blur: f32,
    /// 0 (invisible) to 1 (opaque).
    pub opacity: f32,
}

/// An outline along the edges of every letter (centred on them).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TextOutline {
    /// The stroke's colour.
    pub color: Rgb,
    /// The stroke's width in points.
    pub width: f32,
}

/// Effects drawn with text: a shadow behind it, an outline around it.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct TextEffects {
    /// The shadow, if any.
    pub shadow: Option<TextShadow>,
    /// The outline, if any.
    pub outline: Option<TextOutline>,
}

/// A colour: sRGB for screens, and the CMYK a print job uses when the
/// layout gave the colour in CMYK.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rgb {
    /// Red, 0–1.
    pub r: f32,
    /// Green, 0–1.
    pub g: f32,
    /// Blue, 0–1.
    pub b: f32,
    /// Cyan, magenta, yellow, black (0–1) as written in the layout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cmyk: Option<[f32; 4]>,
}

impl Rgb {
    /// Black, as RGB.
    pub const BLACK: Rgb = Rgb { r: 0.0, g: 0.0, b: 0.0, cmyk: None };

    /// A colour given in CMYK (each 0–1); its screen colour is the naive
    /// conversion `r = (1 − c)(1 − k)` and so on.
    pub fn from_cmyk(c: f32, m: f32, y: f32, k: f32) -> Rgb {
        Rgb { r: (1.0 - c) * (1.0 - k), g: (1.0 - m) * (1.0 - k), b: (1.0 - y) * (1.0 - k), cmyk: Some([c, m, y, k]) }
    }

    /// The CMYK a print job writes: as given, or converted from RGB by the
    /// documented rule `k = 1 − max(r, g, b)`, `c = (1 − r − k) / (1 − k)`
    /// (likewise m, y). Neutral greys and black become pure K: black text
    /// is 100 % K, never rich black.
    pub fn to_cmyk(&self) -> [f32; 4] {
        if let Some(c) = self.cmyk {
            return c;
        }
        let k = 1.0 - self.r.max(self.g).max(self.b);
        if k >= 1.0 - 1e-6 {
            return [0.0, 0.0, 0.0, 1.0];
        }
        let f = |v: f32| ((1.0 - v - k) / (1.0 - k)).clamp(0.0, 1.0);
        [f(self.r), f(self.g), f(self.b), k]
    }

    /// Total area coverage of the colour in print, in percent (0–400).
    pub fn ink(&self) -> f32 {
        self.to_cmyk().iter().sum::<f32>() * 100.0
    }

    /// Parse `#rrggbb`, `#rgb`, `rgb(r, g, b)` (0–255), `cmyk(c, m, y, k)`
    /// (percent) or a CSS basic colour name.
    ///
    /// ```
    /// let red = nashr::Rgb::parse("#ff0000").unwrap();
    /// assert_eq!(red, nashr::Rgb::from_u8(255, 0, 0));
    /// ```
    pub fn parse(s: &str) -> Result<Rgb, String> {
        let t = s.trim();
        if let Some(inner) = t.strip_prefix("cmyk(").and_then(|x| x.strip_suffix(')')) {
            let bad_cmyk = || format!("expected cmyk(c, m, y, k) with four percentages 0–100, found \"{s}\"");
            let parts: Vec<f32> = inner
                .split(',')
                .map(|p| p.trim().trim_end_matches('%').parse::<f32>().ok().filter(|v| (0.0..=100.0).contains(v)))
                .collect::<Option<_>>()
                .ok_or_else(bad_cmyk)?;
            if parts.len() != 4 {
                return Err(bad_cmyk());
            }
            return Ok(Rgb::from_cmyk(parts[0] / 100.0, parts[1] / 100.0, parts[2] / 100.0, parts[3] / 100.0));
        }
        let bad = || {
            format!(
                "expected a colour like \"#1a2b3c\", \"rgb(26, 43, 60)\", \"cmyk(0, 90, 85, 10)\", a name from [colors] or \"black\", found \"{s}\""
            )
        };
        if let Some(hex) = t.strip_prefix('#') {
            let digits: Vec<u8> =
                hex.chars().map(|c| c.to_digit(16).map(|d| d as u8)).collect::<Option<_>>().ok_or_else(bad)?;
            let (r, g, b) = match digits.len() {
                3 => (digits[0] * 17, digits[1] * 17, digits[2] * 17),
                6 => (digits[0] * 16 + digits[1], digits[2] * 16 + digits[3], digits[4] * 16 + digits[5]),
                _ => return Err(bad()),
            };
            return Ok(Rgb::from_u8(r, g, b));
        }
        if let Some(inner) = t.strip_prefix("rgb(").and_then(|x| x.strip_suffix(')')) {
            let parts: Vec<u8> =
                inner.split(',').map(|p| p.trim().parse::<u8>().ok()).collect::<Option<_>>().ok_or_else(bad)?;
            if parts.len() != 3 {
                return Err(bad());
            }
            return Ok(Rgb::from_u8(parts[0], parts[1], parts[2]));
        }
        let named = match t.to_ascii_lowercase().as_str() {
            "black" => (0, 0, 0),
            "white" => (255, 255, 255),
            "red" => (255, 0, 0),
            "green" => (0, 128, 0),
            "blue" => (0, 0, 255),
            "gray" | "grey" => (128, 128, 128),
            _ => return Err(bad()),
        };
        Ok(Rgb::from_u8(named.0, named.1, named.2))
    }

    /// An sRGB colour from 8-bit channels.
    pub fn from_u8(r: u8, g: u8, b: u8) -> Rgb {
        Rgb { r: r as f32 / 255.0, g: g as f32 / 255.0, b: b as f32 / 255.0, cmyk: None }
    }
}

/// A rectangle in points, origin at the top-left of the page, y down.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

/// Colour space of a print job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum ColorMode {
    /// Colours as written: RGB ones as RGB, CMYK ones as CMYK.
    #[default]
    Rgb,
    /// Everything in DeviceCMYK: RGB colours and pictures converted by the rule of `Rgb::to_cmyk`.
    Cmyk,
}

/// A PDF standard for print exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum PdfStandard {
    /// PDF/X-4 (PDF 1.6): transparency allowed, an output intent with a profile.
    #[serde(rename = "x-4")]
    X4,
    /// PDF/X-1a (PDF 1.3): CMYK only, a registered printing condition.
    #[serde(rename = "x-1a")]
    X1a,
}

/// Printer's marks drawn in the slug, outside the bleed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Mark {
    /// Crop marks at the corners of the trim.
    Crop,
    /// Registration targets in the middle of each side.
    Registration,
    /// A colour bar: C, M, Y and K solids and 50 % tints, in the bottom slug.
    Colorbar,
}

/// How the document goes to print.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Print {
    /// The colour space colours are written in.
    pub color_mode: ColorMode,
    /// The PDF standard the file declares, if any.
    pub standard: Option<PdfStandard>,
    /// The output intent's ICC profile (file name and bytes), when the layout names one.
    #[serde(skip)]
    pub icc_profile: Option<(String, std::sync::Arc<Vec<u8>>)>,
    /// The registered printing condition declared in the output intent.
    pub output_condition: String,
    /// Bleed around the trim on every side, in points.
    pub bleed: f32,
    /// Printer's marks drawn around the bleed.
    pub marks: Vec<Mark>,
    /// Distance inside the trim that text should keep (preflight), in points.
    pub safe_margin: f32,
    /// The platform a screen image is made for, whose interface covers or
    /// crops parts of it (preflight warns about text there); none for print.
    pub platform: Option<Platform>,
}

/// Where a social image is shown, which decides the parts of it the app
/// covers with its own controls or crops away: `[page] platform`, or implied
/// by the page `size` preset of the same name.
///
/// Zones are given for the preset's width in pixels (1080 or 1200) and scale
/// with the page's width.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Platform {
    /// A story (1080×1920): the top 250 px (profile, close button) and the
    /// bottom 340 px (reply bar, links) are covered.
    Story,
    /// A square post (1080×1080): the profile grid shows it cropped to 3:4,
    /// the central 810 px (x 135–945).
    Square,
    /// A portrait post (1080×1350): the profile grid shows it cropped to
    /// 3:4, the central 1012 px (x 34–1046).
    Portrait,
    /// A link preview (1200×630): the 2:1 and 1.91:1 crops of the apps and
    /// their rounded corners keep the central 1080×540 (x 60–1140, y 45–585).
    LinkPreview,
}

impl Platform {
    /// The platform a page size preset is made for, if any.
    pub fn of_preset(name: &str) -> Option<Platform> {
        match name.to_ascii_lowercase().as_str() {
            "story" => Some(Platform::Story),
            "instagram-square" => Some(Platform::Square),
            "instagram-portrait" => Some(Platform::Portrait),
            "link-preview" => Some(Platform::LinkPreview),
            _ => None,
        }
    }

    /// The platform's name as written in a layout.
    pub fn name(self) -> &'static str {
        match self {
            Platform::Story => "story",
            Platform::Square => "square",
            Platform::Portrait => "portrait",
            Platform::LinkPreview => "link-preview",
        }
    }

    /// The width in pixels the zones are given for.
    pub fn base_width(self) -> f32 {
        match self {
            Platform::LinkPreview => 1200.0,
            _ => 1080.0,
        }
    }

    /// The safe rectangle in pixels of [`base_width`](Self::base_width), as
    /// `(x0, y0, x1, y1)`, for a page `height_px` tall at that width: text and
    /// codes belong inside it.
    pub fn safe_px(self, height_px: f32) -> (f32, f32, f32, f32) {
        match self {
            Platform::Story => (0.0, 250.0, 1080.0, height_px - 340.0),
            Platform::Square => (135.0, 0.0, 945.0, height_px),
            Platform::Portrait => {
                let crop = (1080.0 - height_px * 0.75).max(0.0) / 2.0;
                (crop, 0.0, 1080.0 - crop, height_px)
            }
            Platform::LinkPreview => (60.0, 45.0, 1140.0, height_px - 45.0),
        }
    }

    /// What covers or crops the part outside the safe rectangle, in words.
    pub fn why(self) -> &'static str {
        match self {
            Platform::Story => "the app draws its profile bar at the top and its reply bar at the bottom",
            Platform::Square | Platform::Portrait => "the profile grid crops posts to 3:4",
            Platform::LinkPreview => "link previews are cropped to 2:1 or 1.91:1 and rounded",
        }
    }
}

/// Document metadata.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Meta {
    /// Title (the PDF's title and the XMP's `dc:title`).
    pub title: String,
    /// Author.
    pub author: String,
    /// Subject.
    pub subject: String,
    /// The language, a BCP 47 tag (`fa`, `en`) or empty.
    pub language: String,
    /// Write a tagged PDF (a structure tree for screen readers, PDF/UA-1).
    pub tagged: bool,
}

/// An OpenType feature setting as HarfBuzz writes it — `tnum`, `+kern`,
/// `-liga`, `salt=2`, `kern[3:5]`, `aalt[2:]=0` — when it is one: a sign,
/// a four-letter tag, an optional range and value, nothing else.
pub fn opentype_feature(s: &str) -> Option<rustybuzz::Feature> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let tag_end = body.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(body.len());
    if tag_end != 4 {
        return None;
    }
    let mut rest = &body[4..];
    if let Some(range) = rest.strip_prefix('[') {
        let close = range.find(']')?;
        if !range[..close].chars().all(|c| c.is_ascii_digit() || c == ':') || range[..close].matches(':').count() > 1 {
            return None;
        }
        rest = &range[close + 1..];
    }
    if let Some(value) = rest.strip_prefix('=') {
        if value.is_empty() || value.len() > 9 || !value.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
    } else if !rest.is_empty() {
        return None;
    }
    <rustybuzz::Feature as std::str::FromStr>::from_str(s).ok()
}

#[cfg(test)]
mod feature_tests {
    use super::opentype_feature;

    #[test]
    fn feature_settings_are_read_as_harfbuzz_writes_them() {
        for ok in ["tnum", "+kern", "-liga", "salt=2", "kern[3:5]", "aalt[2:]=0", "ss01"] {
            assert!(opentype_feature(ok).is_some(), "{ok}");
        }
        for bad in [
            "no such",
            "tnu",
            "tnumx",
            "liga=",
            "liga=x",
            "kern[a]",
            "kern[1:2:3]",
            "",
            "-",
            "tnum ",
            "ss01=99999999999",
        ] {
            assert!(opentype_feature(bad).is_none(), "{bad:?}");
        }
        assert_eq!(opentype_feature("-liga").map(|f| f.value), Some(0));
    }
}
