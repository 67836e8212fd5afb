//! Errors that point into a source file: file, line, column, the line itself
//! and a caret under the mistake.
//!
//! Every layer reports user mistakes through [`SourceError`], so the CLI can
//! show them the same way and a library user gets the position as data.
//! [`Error`] is the one error type of the library: its variants are the
//! kinds a caller can match on.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A mistake at a place in a text file (a layout, a locale file, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    /// The file the mistake is in.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong and what was expected.
    pub message: String,
    /// The source line, for display.
    pub line_text: String,
    /// How many characters to underline (at least 1).
    pub width: usize,
}

impl SourceError {
    /// Build an error for the byte range `span` of `source`.
    pub fn new(file: &Path, source: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        let end = floor_char_boundary(source, span.end.clamp(start, source.len()));
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..].find('\n').map_or(source.len(), |i| start + i);
        let line = source[..start].matches('\n').count() + 1;
        let column = source[line_start..start].chars().count() + 1;
        let width = source[start..end.min(line_end)].chars().count().max(1);
        SourceError {
            file: file.to_path_buf(),
            line,
            column,
            message: printable(&message.into()),
            line_text: printable(source[line_start..line_end].trim_end_matches('\r')),
            width,
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let num = self.line.to_string();
        let pad = " ".repeat(num.len());
        writeln!(f, "{}", self.message)?;
        writeln!(f, "{pad}--> {}:{}:{}", self.file.display(), self.line, self.column)?;
        writeln!(f, "{pad} |")?;
        // A long line (a value of thousands of characters) is shown as a
        // window around the mistake.
        let chars: Vec<char> = self.line_text.chars().collect();
        let at = self.column.saturating_sub(1).min(chars.len());
        let width = self.width.min(SHOWN / 2);
        let from = at.saturating_sub(SHOWN / 4);
        let to = (at + width + SHOWN / 4).min(chars.len()).max(from);
        let (open, close) = (if from > 0 { "…" } else { "" }, if to < chars.len() { "…" } else { "" });
        let shown: String = chars[from..to].iter().collect();
        writeln!(f, "{num} | {open}{shown}{close}")?;
        let lead: String =
            open.chars().chain(chars[from..at].iter().copied()).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
        write!(f, "{pad} | {lead}{}", "^".repeat(width))
    }
}

/// `text` with control characters (but newlines and tabs) written as
/// `\u{1b}`: a layout's text must not drive the terminal it is shown on.
///
/// ```
/// assert_eq!(nashr::printable("red \u{1b}[31m\nnext"), "red \\u{1b}[31m\nnext");
/// ```
pub fn printable(text: &str) -> String {
    if !text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return text.to_string();
    }
    text.chars()
        .map(|c| if c.is_control() && c != '\n' && c != '\t' { c.escape_unicode().to_string() } else { c.to_string() })
        .collect()
}

/// The most characters of a source line an error shows.
const SHOWN: usize = 160;

impl std::error::Error for SourceError {}

/// Any error nashr reports. Each prints as one message; a mistake in a
/// file prints with its file, line and column and the line underlined.
///
/// ```
/// let err = nashr::Engine::new().load_str("x.toml", "[page]\nsize = \"A5\"\nmargn = 1\n").unwrap_err();
/// match &err {
///     nashr::Error::Source(at) => assert_eq!((at.line, at.column), (3, 1)),
///     other => panic!("unexpected {other}"),
/// }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read: a layout, a locale or a data file.
    #[error("cannot read {what} {path}: {err}")]
    Read {
        /// What the file is for: `layout`, `locale`, `data file`.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// What the system said.
        err: std::io::Error,
    },
    /// A mistake at a place in a layout, locale or data file.
    #[error("{0}")]
    Source(Box<SourceError>),
    /// Content does not fit where the layout puts it (overflow, a frame too
    /// short for one line, a flow that never ends).
    #[error(transparent)]
    Layout(#[from] crate::layout::LayoutError),
    /// The PDF could not be written.
    #[error(transparent)]
    Pdf(#[from] crate::export::pdf::PdfError),
    /// The image could not be drawn or encoded (no such page, too large).
    #[error(transparent)]
    Raster(#[from] crate::export::raster::RasterError),
    /// A font file that cannot be used.
    #[error(transparent)]
    Font(#[from] crate::fonts::FontError),
    /// Options that do not make sense together or out of range.
    #[error("{0}")]
    Options(String),
}

impl From<crate::model::ModelError> for Error {
    fn from(e: crate::model::ModelError) -> Error {
        match e {
            crate::model::ModelError::Read { path, err } => Error::Read { what: "layout", path, err },
            crate::model::ModelError::Source(e) => Error::Source(e),
        }
    }
}

impl Error {
    /// A file that could not be read.
    pub(crate) fn read(what: &'static str, path: &Path, err: std::io::Error) -> Error {
        Error::Read { what, path: path.to_path_buf(), err }
    }

    /// The position in a file, when the error points into one.
    pub fn source_error(&self) -> Option<&SourceError> {
        match self {
            Error::Source(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_is_line_and_column() {
        let src = "a = 1\nstyle = \"bdy\"\n";
        let at = src.find("\"bdy\"").unwrap();
        let e = SourceError::new(Path::new("x.toml"), src, at..at + 5, "unknown style");
        assert_eq!((e.line, e.column, e.width), (2, 9, 5));
        let shown = e.to_string();
        assert!(shown.contains("x.toml:2:9"), "{shown}");
        assert!(shown.ends_with("        ^^^^^"), "{shown}");
    }
}
