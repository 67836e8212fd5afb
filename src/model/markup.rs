//! Inline markup inside layout text: `**bold**`, and `\*` for a literal star.
//!
//! Turns one string into pieces of plain text, each marked bold or not. The
//! markers themselves are not text and never reach the page.

/// A piece of text with its inline emphasis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub bold: bool,
}

/// Split `s` at `**` markers. An unclosed `**` is an error, so a stray marker
/// never silently turns the rest of a paragraph bold.
///
/// ```
/// use nashr::model::markup::parse_inline;
/// let p = parse_inline("پیامگیر تلگرام: **wpi_tamas@**").unwrap();
/// assert_eq!(p.len(), 2);
/// assert!(p[1].bold && p[1].text == "wpi_tamas@");
/// ```
pub fn parse_inline(s: &str) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut cur = String::new();
    let mut bold = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some('*') | Some('\\')) => {
                cur.push(chars.next().unwrap_or('\\'));
            }
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                if !cur.is_empty() {
                    pieces.push(Piece { text: std::mem::take(&mut cur), bold });
                }
                bold = !bold;
            }
            _ => cur.push(c),
        }
    }
    if bold {
        return Err(
            "a \"**\" opens bold text that is never closed; add the closing \"**\" or write \\* for a literal star"
                .into(),
        );
    }
    if !cur.is_empty() {
        pieces.push(Piece { text: cur, bold });
    }
    Ok(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_one_piece() {
        assert_eq!(parse_inline("سلام").unwrap(), vec![Piece { text: "سلام".into(), bold: false }]);
    }

    #[test]
    fn bold_in_the_middle() {
        let p = parse_inline("a **b** c").unwrap();
        let got: Vec<_> = p.iter().map(|p| (p.text.as_str(), p.bold)).collect();
        assert_eq!(got, vec![("a ", false), ("b", true), (" c", false)]);
    }

    #[test]
    fn escaped_star_is_text() {
        let p = parse_inline(r"2 \* 3").unwrap();
        assert_eq!(p[0].text, "2 * 3");
    }

    #[test]
    fn unclosed_bold_is_an_error() {
        assert!(parse_inline("a **b").is_err());
    }
}
