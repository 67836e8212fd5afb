//! Reading a render request: the last path segment names the layout and
//! the format (`invitation-square.png`), the query the locale, page, scale,
//! JPEG quality and template values. Everything is checked before any file
//! is touched: the query's length (414), each value's length (414),
//! percent-encoding and UTF-8, control characters, repeated keys and
//! numbers in range (400).

use super::Config;
use super::catalog::is_plain_name;
use super::problem::Problem;
use crate::Format;
use axum::http::StatusCode;
use std::collections::BTreeMap;

/// The options a query may set; every other key is a template value.
const OPTIONS: [&str; 4] = ["locale", "page", "scale", "quality"];

/// What a render request asks for.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Wanted {
    pub(crate) layout: String,
    pub(crate) format: Format,
    pub(crate) locale: Option<String>,
    pub(crate) page: Option<u32>,
    pub(crate) scale: Option<f32>,
    pub(crate) quality: Option<u8>,
    pub(crate) values: BTreeMap<String, String>,
}

impl Wanted {
    /// The render options it asks for.
    pub(crate) fn options(&self) -> crate::RenderOptions {
        crate::RenderOptions {
            format: self.format,
            scale: self.scale,
            dpi: None,
            page: self.page.unwrap_or(1),
            quality: self.quality.unwrap_or(90),
            compression: crate::Compression::Standard,
        }
    }
}

/// Read `/render/{file}` (the raw, still percent-encoded segment) and its raw query.
pub(crate) fn parse(file: &str, query: Option<&str>, config: &Config) -> Result<Wanted, Problem> {
    let query = query.unwrap_or("");
    if query.len() > config.max_query_bytes {
        return Err(Problem::new(
            StatusCode::URI_TOO_LONG,
            format!("the query is {} bytes, over the {} this service reads", query.len(), config.max_query_bytes),
        ));
    }
    let file = decode(file).map_err(|why| Problem::bad_request(format!("the layout name {why}")))?;
    let (layout, format) = layout_and_format(&file)?;
    let mut wanted =
        Wanted { layout, format, locale: None, page: None, scale: None, quality: None, values: BTreeMap::new() };
    let mut seen = std::collections::BTreeSet::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let key = decode(k).map_err(|why| Problem::bad_request(format!("a query key {why}")))?;
        if key.chars().count() > 64 {
            return Err(Problem::bad_request("a query key is longer than 64 characters".into()));
        }
        if v.len() > config.max_value_chars * 12 {
            return Err(too_long(&key, config));
        }
        let value = decode(v).map_err(|why| Problem::bad_request(format!("the value of \"{key}\" {why}")))?;
        if value.chars().count() > config.max_value_chars {
            return Err(too_long(&key, config));
        }
        if !seen.insert(key.clone()) {
            return Err(Problem::bad_request(format!("\"{key}\" is given more than once")));
        }
        set(&mut wanted, key, value, config)?;
    }
    if !format.is_raster() {
        for (flag, set) in [("page", wanted.page.is_some()), ("scale", wanted.scale.is_some())] {
            if set {
                return Err(Problem::bad_request(format!(
                    "{flag} applies to PNG and JPEG images, not to {} output",
                    format.extension().to_uppercase()
                )));
            }
        }
    }
    if wanted.quality.is_some() && format != Format::Jpeg {
        return Err(Problem::bad_request("quality applies to JPEG images only".into()));
    }
    Ok(wanted)
}

fn too_long(key: &str, config: &Config) -> Problem {
    Problem::new(
        StatusCode::URI_TOO_LONG,
        format!("the value of \"{key}\" is longer than the {} characters a value may have", config.max_value_chars),
    )
}

/// Put one query pair into `wanted`.
fn set(wanted: &mut Wanted, key: String, value: String, config: &Config) -> Result<(), Problem> {
    let bad = |m: String| Err(Problem::bad_request(m));
    match key.as_str() {
        "locale" => {
            if !is_plain_name(&value) {
                return bad("a locale is a code of letters, digits, '-' and '_', like fa or en".into());
            }
            wanted.locale = Some(value);
        }
        "page" => match value.parse::<u32>() {
            Ok(p) if (1..=10_000).contains(&p) => wanted.page = Some(p),
            _ => return bad("page is a whole number from 1".into()),
        },
        "scale" => match value.parse::<f32>() {
            Ok(s) if s.is_finite() && s > 0.0 && s <= config.max_scale => wanted.scale = Some(s),
            _ => return bad(format!("scale is a number above 0 and at most {}", config.max_scale)),
        },
        "quality" => match value.parse::<u8>() {
            Ok(q) if (1..=100).contains(&q) => wanted.quality = Some(q),
            _ => return bad("quality is a whole number from 1 to 100".into()),
        },
        _ => {
            debug_assert!(!OPTIONS.contains(&key.as_str()));
            if key.is_empty() {
                return bad("a query value has no key".into());
            }
            wanted.values.insert(key, value);
        }
    }
    Ok(())
}

/// The layout name and format of a segment like `invitation-square.png`.
fn layout_and_format(file: &str) -> Result<(String, Format), Problem> {
    let refuse = || {
        Problem::bad_request(
            "a layout is asked for as NAME.png, NAME.jpg, NAME.pdf or NAME.json, where NAME is letters, digits, '-' and '_'"
                .into(),
        )
    };
    let (name, ext) = file.rsplit_once('.').ok_or_else(refuse)?;
    if !is_plain_name(name) {
        return Err(refuse());
    }
    let format = match ext {
        "png" => Format::Png,
        "jpg" | "jpeg" => Format::Jpeg,
        "pdf" => Format::Pdf,
        "json" => Format::Json,
        _ => return Err(refuse()),
    };
    Ok((name.to_string(), format))
}

/// Percent-decode `s` (`+` is a space), refusing invalid escapes, text that
/// is not UTF-8 and control characters.
fn decode(s: &str) -> Result<String, &'static str> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = |b: u8| (b as char).to_digit(16);
                let (Some(hi), Some(lo)) =
                    (bytes.get(i + 1).and_then(|&b| hex(b)), bytes.get(i + 2).and_then(|&b| hex(b)))
                else {
                    return Err("has a % that is not followed by two hex digits");
                };
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    let text = String::from_utf8(out).map_err(|_| "is not UTF-8 text")?;
    if text.chars().any(char::is_control) {
        return Err("holds a control character");
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::new(".")
    }

    #[test]
    fn a_query_gives_options_and_values() {
        let w = parse("card.png", Some("locale=fa&page=2&scale=2&name=%D9%85%D8%B1%DB%8C%D9%85+%DA%A9"), &config())
            .unwrap();
        assert_eq!((w.layout.as_str(), w.format, w.locale.as_deref()), ("card", Format::Png, Some("fa")));
        assert_eq!((w.page, w.scale), (Some(2), Some(2.0)));
        assert_eq!(w.values["name"], "مریم ک");
    }

    #[test]
    fn hostile_requests_are_refused() {
        let c = config();
        let status = |file: &str, q: &str| parse(file, Some(q), &c).unwrap_err().status.as_u16();
        assert_eq!(status("%2e%2e%2fetc%2fpasswd.png", ""), 400);
        assert_eq!(status("..png", ""), 400);
        assert_eq!(status("card.exe", ""), 400);
        assert_eq!(status("card.png", "name=a%0Ab"), 400);
        assert_eq!(status("card.png", "name=%FF"), 400);
        assert_eq!(status("card.png", "name=%4"), 400);
        assert_eq!(status("card.png", "a=1&a=2"), 400);
        assert_eq!(status("card.png", "locale=../../etc"), 400);
        assert_eq!(status("card.png", "scale=1e9"), 400);
        assert_eq!(status("card.png", "scale=NaN"), 400);
        assert_eq!(status("card.pdf", "page=2"), 400);
        assert_eq!(status("card.png", &format!("name={}", "x".repeat(501))), 414);
        assert_eq!(status("card.png", &format!("name={}", "%D9%85".repeat(600))), 414);
        assert_eq!(status("card.png", &"a".repeat(9000)), 414);
    }
}
