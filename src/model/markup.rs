//! Inline markup inside layout text: `**bold**`, links written
//! `[www.wpiran.org](https://www.wpiran.org)`, and `\*`, `\[` for a literal
//! star or bracket.
//!
//! Turns one string into pieces of plain text, each marked bold or not and
//! linked or not. The markers themselves are not text and never reach the page.

/// A piece of text with its inline emphasis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub bold: bool,
    /// The address the text links to.
    pub link: Option<String>,
}

/// `s` with every character markup reads (`*`, `[`, `]`, `\\`) escaped,
/// so [`parse_inline`] gives it back as one plain piece.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '*' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Split `s` at `**` markers. An unclosed `**` is an error, so a stray marker
/// never silently turns the rest of a paragraph bold. Linear in the length
/// of `s`, whatever it holds.
pub fn parse_inline(s: &str) -> Result<Vec<Piece>, String> {
    let chars: Vec<char> = s.chars().collect();
    let next = Next::of(&chars);
    parse_range(&chars, 0, chars.len(), &next, false)
}

/// For each position, where the next `]`, `)` and white space are.
struct Next {
    close: Vec<usize>,
    paren: Vec<usize>,
    space: Vec<usize>,
}

impl Next {
    fn of(chars: &[char]) -> Next {
        let n = chars.len();
        let (mut close, mut paren, mut space) = (vec![n; n + 1], vec![n; n + 1], vec![n; n + 1]);
        for i in (0..n).rev() {
            close[i] = if chars[i] == ']' { i } else { close[i + 1] };
            paren[i] = if chars[i] == ')' { i } else { paren[i + 1] };
            space[i] = if chars[i].is_whitespace() { i } else { space[i + 1] };
        }
        Next { close, paren, space }
    }

    /// For a `[` at `open`: the end of the link text (the `]`) and of the
    /// address (the `)`), when it reads `[text](address)` within `end`.
    fn link(&self, chars: &[char], open: usize, end: usize) -> Option<(usize, usize)> {
        let close = self.close[open + 1];
        if close >= end || close == open + 1 || chars.get(close + 1) != Some(&'(') {
            return None;
        }
        let paren = self.paren[close + 2];
        let url_ok = paren < end && paren > close + 2 && self.space[close + 2] > paren;
        url_ok.then_some((close, paren))
    }
}

/// Parse `chars[start..end]`; `bold` is the emphasis the range starts in
/// (the text of a link inside bold text).
fn parse_range(chars: &[char], start: usize, end: usize, next: &Next, nested: bool) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut cur = String::new();
    let mut bold = false;
    let mut i = start;
    while i < end {
        let c = chars[i];
        let peek = (i + 1 < end).then(|| chars[i + 1]);
        match c {
            '\\' if matches!(peek, Some('*' | '\\' | '[' | ']')) => {
                cur.push(chars[i + 1]);
                i += 2;
                continue;
            }
            '*' if peek == Some('*') => {
                if !cur.is_empty() {
                    pieces.push(Piece { text: std::mem::take(&mut cur), bold, link: None });
                }
                bold = !bold;
                i += 2;
                continue;
            }
            '[' if !nested => {
                if let Some((close, paren)) = next.link(chars, i, end) {
                    if !cur.is_empty() {
                        pieces.push(Piece { text: std::mem::take(&mut cur), bold, link: None });
                    }
                    let url: String = chars[close + 2..paren].iter().collect();
                    // The link text may itself hold bold markup.
                    for mut p in parse_range(chars, i + 1, close, next, true)? {
                        p.bold ^= bold;
                        p.link = Some(url.clone());
                        pieces.push(p);
                    }
                    i = paren + 1;
                    continue;
                }
                cur.push(c);
            }
            _ => cur.push(c),
        }
        i += 1;
    }
    if bold {
        return Err(
            "a \"**\" opens bold text that is never closed; add the closing \"**\" or write \\* for a literal star"
                .into(),
        );
    }
    if !cur.is_empty() {
        pieces.push(Piece { text: cur, bold, link: None });
    }
    Ok(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_one_piece() {
        assert_eq!(parse_inline("سلام").unwrap(), vec![Piece { text: "سلام".into(), bold: false, link: None }]);
    }

    #[test]
    fn bold_in_the_middle() {
        let p = parse_inline("a **b** c").unwrap();
        let got: Vec<_> = p.iter().map(|p| (p.text.as_str(), p.bold)).collect();
        assert_eq!(got, vec![("a ", false), ("b", true), (" c", false)]);
    }

    #[test]
    fn bold_at_the_end() {
        let p = parse_inline("پیامگیر تلگرام: **wpi_tamas@**").unwrap();
        assert_eq!(p.len(), 2);
        assert!(p[1].bold && p[1].text == "wpi_tamas@");
    }

    #[test]
    fn escaped_star_is_text() {
        let p = parse_inline(r"2 \* 3").unwrap();
        assert_eq!(p[0].text, "2 * 3");
    }

    #[test]
    fn links_carry_their_address() {
        let p =
            parse_inline("وب سایت: [www.wpiran.org](https://www.wpiran.org) و [**تلگرام**](https://t.me/x)").unwrap();
        let got: Vec<_> = p.iter().map(|p| (p.text.as_str(), p.bold, p.link.as_deref())).collect();
        assert_eq!(
            got,
            vec![
                ("وب سایت: ", false, None),
                ("www.wpiran.org", false, Some("https://www.wpiran.org")),
                (" و ", false, None),
                ("تلگرام", true, Some("https://t.me/x")),
            ]
        );
        // Brackets that are not a link stay text.
        assert_eq!(parse_inline("[1] و (2)").unwrap()[0].text, "[1] و (2)");
        assert_eq!(parse_inline(r"\[x](y)").unwrap()[0].text, "[x](y)");
    }

    #[test]
    fn unclosed_bold_is_an_error() {
        assert!(parse_inline("a **b").is_err());
    }
}
