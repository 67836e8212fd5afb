//! Budgets: how much work one document may ask of an engine. Layouts, locales
//! and data rows often come from other people; a limit turns a document that
//! would take minutes or gigabytes into a clear error naming the limit and
//! how to raise it. The limits belong to whoever runs the engine (the
//! command line's `--limit`, [`Engine::with_limits`](crate::Engine::with_limits)),
//! never to the layout, which could otherwise raise its own budget.

use std::fmt;

/// How much work one document may ask for. Every field has a default that
/// no real layout comes near; [`Limits::set`] changes one by name.
///
/// ```
/// let mut limits = nashr::Limits::default();
/// limits.set("pages", "5000")?;
/// assert_eq!(limits.pages, 5000);
/// let engine = nashr::Engine::new().with_limits(limits);
/// assert_eq!(engine.limits().pages, 5000);
/// # Ok::<(), String>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Pages of one document, flowing text included (1,000).
    pub pages: usize,
    /// Glyphs one paragraph may shape to (500,000: some 100,000 Persian
    /// words, laid out in about 2.5 s).
    pub paragraph_glyphs: usize,
    /// Glyphs of one document, all paragraphs together (2,000,000).
    pub document_glyphs: usize,
    /// Decoded pixels of all the pictures of one document (200 million:
    /// two 10,000 × 10,000 images).
    pub picture_pixels: u64,
    /// QR codes in one document (200).
    pub qr_codes: usize,
    /// Cells of all the tables of one document (20,000): each is a
    /// paragraph, measured for auto columns and set again in every frame a
    /// table flows through.
    pub table_cells: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            pages: 1000,
            paragraph_glyphs: 500_000,
            document_glyphs: 2_000_000,
            picture_pixels: 200_000_000,
            qr_codes: 200,
            table_cells: 20_000,
        }
    }
}

/// The names [`Limits::set`] takes, with what each bounds.
pub const LIMIT_NAMES: [(&str, &str); 6] = [
    ("pages", "pages of one document, flowing text included"),
    ("paragraph-glyphs", "glyphs one paragraph may shape to"),
    ("document-glyphs", "glyphs of one document"),
    ("picture-pixels", "decoded pixels of all the pictures of one document"),
    ("qr-codes", "QR codes in one document"),
    ("table-cells", "table cells in one document"),
];

impl Limits {
    /// Set the limit called `name` (see [`LIMIT_NAMES`]; `_` and `-` are
    /// the same) to `value`, a whole number of at least 1.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        let n: u64 = value
            .trim()
            .replace('_', "")
            .parse()
            .ok()
            .filter(|&n| n >= 1)
            .ok_or_else(|| format!("limit `{name}` takes a whole number of at least 1, not {value:?}"))?;
        let size = usize::try_from(n).unwrap_or(usize::MAX);
        match name.replace('_', "-").as_str() {
            "pages" => self.pages = size,
            "paragraph-glyphs" => self.paragraph_glyphs = size,
            "document-glyphs" => self.document_glyphs = size,
            "picture-pixels" => self.picture_pixels = n,
            "qr-codes" => self.qr_codes = size,
            "table-cells" => self.table_cells = size,
            _ => {
                let names: Vec<&str> = LIMIT_NAMES.iter().map(|(n, _)| *n).collect();
                return Err(format!("there is no limit called `{name}`; the limits are {}", names.join(", ")));
            }
        }
        Ok(())
    }

    /// Set a limit from `NAME=VALUE` (the command line's `--limit`).
    pub fn set_pair(&mut self, pair: &str) -> Result<(), String> {
        let (name, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("a limit is written NAME=VALUE (like pages=2000), not {pair:?}"))?;
        self.set(name.trim(), value)
    }
}

/// A limit a document went past: its name, its value and what the document
/// asked for, with how to raise it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exceeded {
    /// The limit's name, as [`Limits::set`] takes it.
    pub name: &'static str,
    /// The limit.
    pub limit: u64,
    /// What the document needs (at least).
    pub needed: u64,
}

impl fmt::Display for Exceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = LIMIT_NAMES.iter().find(|(n, _)| *n == self.name).map_or(self.name, |(_, w)| *w);
        write!(
            f,
            "this document needs {} {what}, more than the limit of {} (`{}`); raise it with `--limit {}=N` on the command line or `Limits` in the library if the document is meant",
            self.needed, self.limit, self.name, self.name
        )
    }
}

impl std::error::Error for Exceeded {}

impl Exceeded {
    /// `Err` when `needed` is over `limit`.
    pub(crate) fn check(name: &'static str, limit: u64, needed: u64) -> Result<(), Exceeded> {
        if needed > limit { Err(Exceeded { name, limit, needed }) } else { Ok(()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_set_by_name_and_refuse_nonsense() {
        let mut l = Limits::default();
        l.set_pair("qr_codes=3").unwrap();
        l.set("picture-pixels", "1_000_000").unwrap();
        assert_eq!((l.qr_codes, l.picture_pixels), (3, 1_000_000));
        assert!(l.set("pages", "0").unwrap_err().contains("at least 1"));
        assert!(l.set("pages", "-4").is_err());
        assert!(l.set("speed", "9").unwrap_err().contains("pages, paragraph-glyphs"));
        assert!(l.set_pair("pages").unwrap_err().contains("NAME=VALUE"));
    }

    #[test]
    fn an_exceeded_limit_says_how_to_raise_it() {
        let e = Exceeded::check("pages", 10, 11).unwrap_err().to_string();
        assert!(e.contains("11 pages") && e.contains("limit of 10") && e.contains("--limit pages=N"), "{e}");
        assert!(Exceeded::check("pages", 10, 10).is_ok());
    }
}
