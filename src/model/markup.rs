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

/// Split `s` at `**` markers. An unclosed `**` is an error, so a stray marker
/// never silently turns the rest of a paragraph bold.
pub fn parse_inline(s: &str) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut cur = String::new();
    let mut bold = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some('*' | '\\' | '[' | ']')) => {
                cur.push(chars.next().unwrap_or('\\'));
            }
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                if !cur.is_empty() {
                    pieces.push(Piece { text: std::mem::take(&mut cur), bold, link: None });
                }
                bold = !bold;
            }
            '[' => {
                // A link: `[text](address)`; the address is read ahead.
                let rest: String = chars.clone().collect();
                let Some(close) = find_link_end(&rest) else {
                    cur.push(c);
                    continue;
                };
                if !cur.is_empty() {
                    pieces.push(Piece { text: std::mem::take(&mut cur), bold, link: None });
                }
                let (text_len, url) = close;
                let inner: String = rest.chars().take(text_len).collect();
                // The link text may itself hold bold markup.
                for mut p in parse_inline(&inner)? {
                    p.bold ^= bold;
                    p.link = Some(url.clone());
                    pieces.push(p);
                }
                let skip = text_len + 2 + url.chars().count() + 1;
                for _ in 0..skip {
                    chars.next();
                }
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
        pieces.push(Piece { text: cur, bold, link: None });
    }
    Ok(pieces)
}

/// For text after a `[`: the length (in characters) of the link text and
/// the address, when it reads `text](address)`.
fn find_link_end(rest: &str) -> Option<(usize, String)> {
    let chars: Vec<char> = rest.chars().collect();
    let close = chars.iter().position(|&c| c == ']')?;
    if chars.get(close + 1) != Some(&'(') || close == 0 {
        return None;
    }
    let end = chars[close + 2..].iter().position(|&c| c == ')')? + close + 2;
    let url: String = chars[close + 2..end].iter().collect();
    (!url.trim().is_empty() && !url.contains(char::is_whitespace)).then_some((close, url))
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
