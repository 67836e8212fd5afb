//! Inline markup inside layout text: `**bold**`, links written
//! `[www.wpiran.org](https://www.wpiran.org)`, styled spans written
//! `[text]{color=#c00 size=14pt underline}` (pandoc's bracketed spans), and
//! `\*`, `\[`, `\]`, `\{`, `\}`, `\\` for a literal character.
//!
//! Turns one string into pieces of plain text, each with the emphasis,
//! link and span attributes it sits in. The markers themselves are not text
//! and never reach the page. Attribute values are kept as written, with the
//! character offset they stand at, for the resolver to check (a colour name
//! needs the layout's `[colors]`) and to point at when one is wrong.
//!
//! A span's attributes: `color=…`, `size=…` (a length or `1.2em`),
//! `weight=…` (100–900 or a name), `lang=…` (a language tag), `dir=rtl|ltr`,
//! and the flags `bold`, `italic` (or `oblique`), `underline`, `strike`,
//! `nobreak`. Spans and links nest up to [`MAX_DEPTH`] deep; an inner span
//! overrides what it sets and keeps the rest of the outer one's.

/// The deepest nesting of spans and links.
pub const MAX_DEPTH: usize = 8;

/// An attribute value as written, with the character offset (in the
/// parsed string) its value starts at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    pub text: String,
    pub at: usize,
}

/// Writing direction of a span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    Rtl,
    Ltr,
}

/// What a span sets; unset values are the paragraph style's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attrs {
    pub color: Option<Value>,
    pub size: Option<Value>,
    pub weight: Option<Value>,
    pub lang: Option<Value>,
    pub dir: Option<Dir>,
    pub italic: bool,
    pub underline: bool,
    pub strike: bool,
    pub nobreak: bool,
}

impl Attrs {
    /// `inner`'s settings over these.
    fn merged(&self, inner: &Attrs) -> Attrs {
        Attrs {
            color: inner.color.clone().or_else(|| self.color.clone()),
            size: inner.size.clone().or_else(|| self.size.clone()),
            weight: inner.weight.clone().or_else(|| self.weight.clone()),
            lang: inner.lang.clone().or_else(|| self.lang.clone()),
            dir: inner.dir.or(self.dir),
            italic: self.italic || inner.italic,
            underline: self.underline || inner.underline,
            strike: self.strike || inner.strike,
            nobreak: self.nobreak || inner.nobreak,
        }
    }
}

/// A piece of text with its inline emphasis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub bold: bool,
    /// The address the text links to.
    pub link: Option<String>,
    /// The attributes of the spans the text sits in.
    pub attrs: Attrs,
    /// Which span (counted from 1 in order of opening) the text sits in
    /// innermost; 0 outside any. Pieces of one span share it, so a span's
    /// direction isolates all of them together.
    pub span: usize,
}

/// A mistake in the markup: what is wrong and the character offset (in the
/// parsed string) where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkupError {
    pub at: usize,
    pub message: String,
}

fn fail<T>(at: usize, message: impl Into<String>) -> Result<T, MarkupError> {
    Err(MarkupError { at, message: message.into() })
}

/// The characters a backslash makes literal.
fn escapable(c: char) -> bool {
    matches!(c, '*' | '\\' | '[' | ']' | '{' | '}')
}

/// `s` with every character markup reads (`*`, `[`, `]`, `{`, `}`, `\\`)
/// escaped, so [`parse_inline`] gives it back as one plain piece.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if escapable(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Split `s` into pieces at its markup. An unclosed `**` is an error, so a
/// stray marker never silently turns the rest of a paragraph bold; so are
/// unknown span attributes and nesting deeper than [`MAX_DEPTH`]. Linear in
/// the length of `s`, whatever it holds.
pub fn parse_inline(s: &str) -> Result<Vec<Piece>, MarkupError> {
    let chars: Vec<char> = s.chars().collect();
    let next = Next::of(&chars);
    let mut parser = Parser { chars: &chars, next: &next, pieces: Vec::new(), spans: 0 };
    let outer = Context { bold: false, link: None, attrs: Attrs::default(), span: 0, depth: 0 };
    parser.range(0, chars.len(), &outer)?;
    Ok(merge(parser.pieces))
}

/// Adjacent pieces with the same emphasis, link and span as one.
fn merge(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    for p in pieces {
        match out.last_mut() {
            Some(last) if last.bold == p.bold && last.link == p.link && last.span == p.span => {
                last.text.push_str(&p.text)
            }
            _ => out.push(p),
        }
    }
    out
}

/// For each position: the `]` matching a `[` there (brackets nest, escaped
/// ones do not count), and where the next `)`, `}` and white space are.
struct Next {
    close: Vec<Option<usize>>,
    paren: Vec<usize>,
    brace: Vec<usize>,
    space: Vec<usize>,
}

impl Next {
    fn of(chars: &[char]) -> Next {
        let n = chars.len();
        let escaped = escaped(chars);
        let (mut paren, mut brace, mut space) = (vec![n; n + 1], vec![n; n + 1], vec![n; n + 1]);
        for i in (0..n).rev() {
            paren[i] = if chars[i] == ')' { i } else { paren[i + 1] };
            brace[i] = if chars[i] == '}' && !escaped[i] { i } else { brace[i + 1] };
            space[i] = if chars[i].is_whitespace() { i } else { space[i + 1] };
        }
        let mut close = vec![None; n + 1];
        let mut open: Vec<usize> = Vec::new();
        for i in 0..n {
            if escaped[i] {
                continue;
            }
            match chars[i] {
                '[' => open.push(i),
                ']' => {
                    if let Some(o) = open.pop() {
                        close[o] = Some(i);
                    }
                }
                _ => {}
            }
        }
        Next { close, paren, brace, space }
    }
}

/// For each character, whether a backslash before it makes it literal
/// (read left to right, as the parser reads escapes).
fn escaped(chars: &[char]) -> Vec<bool> {
    let mut out = vec![false; chars.len()];
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\\' && chars.get(i + 1).is_some_and(|&c| escapable(c)) {
            out[i + 1] = true;
            i += 2;
        } else {
            i += 1;
        }
    }
    out
}

/// What the text at some place sits in.
#[derive(Clone)]
struct Context {
    bold: bool,
    link: Option<String>,
    attrs: Attrs,
    span: usize,
    depth: usize,
}

struct Parser<'a> {
    chars: &'a [char],
    next: &'a Next,
    pieces: Vec<Piece>,
    /// Spans opened so far.
    spans: usize,
}

impl Parser<'_> {
    fn push(&mut self, text: &mut String, ctx: &Context, bold: bool) {
        if !text.is_empty() {
            self.pieces.push(Piece {
                text: std::mem::take(text),
                bold,
                link: ctx.link.clone(),
                attrs: ctx.attrs.clone(),
                span: ctx.span,
            });
        }
    }

    /// Parse `chars[start..end]` in `ctx`.
    fn range(&mut self, start: usize, end: usize, ctx: &Context) -> Result<(), MarkupError> {
        let chars = self.chars;
        let mut cur = String::new();
        let mut bold = ctx.bold;
        let mut bold_at = start;
        let mut i = start;
        while i < end {
            let c = chars[i];
            let peek = chars.get(i + 1).copied().filter(|_| i + 1 < end);
            match c {
                '\\' if peek.is_some_and(escapable) => {
                    cur.push(chars[i + 1]);
                    i += 2;
                    continue;
                }
                '*' if peek == Some('*') => {
                    self.push(&mut cur, ctx, bold);
                    bold = !bold;
                    bold_at = i;
                    i += 2;
                    continue;
                }
                '[' => {
                    // The text so far goes before whatever the bracket opens
                    // (pieces of a literal bracket merge again).
                    self.push(&mut cur, ctx, bold);
                    if let Some(after) = self.bracket(i, end, ctx, bold)? {
                        i = after;
                        continue;
                    }
                    cur.push(c);
                }
                _ => cur.push(c),
            }
            i += 1;
        }
        self.push(&mut cur, ctx, bold);
        if bold != ctx.bold {
            return fail(
                bold_at,
                "a \"**\" opens bold text that is never closed; add the closing \"**\" or write \\* for a literal star",
            );
        }
        Ok(())
    }

    /// A `[` at `open`: a link or a span when it reads as one (then parse
    /// it and return where it ends), else `None` (a literal bracket).
    fn bracket(&mut self, open: usize, end: usize, ctx: &Context, bold: bool) -> Result<Option<usize>, MarkupError> {
        let chars = self.chars;
        let Some(close) = self.next.close[open].filter(|&c| c < end) else { return Ok(None) };
        let inner_ctx =
            |link: Option<String>, attrs: Attrs, span: usize| Context { bold, link, attrs, span, depth: ctx.depth + 1 };
        match chars.get(close + 1).filter(|_| close + 1 < end) {
            Some('(') if ctx.link.is_none() && close > open + 1 => {
                let paren = self.next.paren[close + 2];
                let url_ok = paren < end && paren > close + 2 && self.next.space[close + 2] > paren;
                if !url_ok {
                    return Ok(None);
                }
                self.deeper(ctx, open)?;
                let url: String = chars[close + 2..paren].iter().collect();
                let inner = inner_ctx(Some(url), ctx.attrs.clone(), ctx.span);
                self.range(open + 1, close, &inner)?;
                Ok(Some(paren + 1))
            }
            Some('{') => {
                let brace = self.next.brace[close + 2];
                if brace >= end {
                    return fail(close + 1, "the attributes of a span open with \"{\" and are never closed with \"}\"");
                }
                self.deeper(ctx, open)?;
                let attrs = attributes(chars, close + 2, brace)?;
                self.spans += 1;
                let inner = inner_ctx(ctx.link.clone(), ctx.attrs.merged(&attrs), self.spans);
                self.range(open + 1, close, &inner)?;
                Ok(Some(brace + 1))
            }
            _ => Ok(None),
        }
    }

    fn deeper(&self, ctx: &Context, at: usize) -> Result<(), MarkupError> {
        if ctx.depth >= MAX_DEPTH {
            return fail(at, format!("spans and links nest at most {MAX_DEPTH} deep"));
        }
        Ok(())
    }
}

/// The attributes written in `chars[start..end]` (between `{` and `}`).
fn attributes(chars: &[char], start: usize, end: usize) -> Result<Attrs, MarkupError> {
    let mut attrs = Attrs::default();
    let mut i = start;
    while i < end {
        if chars[i].is_whitespace() || chars[i] == ',' {
            i += 1;
            continue;
        }
        let name_start = i;
        while i < end && (chars[i].is_alphanumeric() || chars[i] == '-' || chars[i] == '_') {
            i += 1;
        }
        let name: String = chars[name_start..i].iter().collect();
        if name.is_empty() {
            return fail(i, format!("expected an attribute name in a span, found \"{}\"", chars[i]));
        }
        let value = if i < end && chars[i] == '=' {
            i += 1;
            let (text, at, after) = attribute_value(chars, i, end)?;
            i = after;
            Some(Value { text, at })
        } else {
            None
        };
        set(&mut attrs, &name, name_start, value)?;
    }
    Ok(attrs)
}

/// A value after `=`: quoted (`"…"` or `'…'`) or up to the next white space.
fn attribute_value(chars: &[char], start: usize, end: usize) -> Result<(String, usize, usize), MarkupError> {
    match chars.get(start).filter(|_| start < end) {
        Some(&q @ ('"' | '\'')) => {
            let Some(close) = (start + 1..end).find(|&k| chars[k] == q) else {
                return fail(start, format!("a value opened with {q} is never closed"));
            };
            Ok((chars[start + 1..close].iter().collect(), start + 1, close + 1))
        }
        _ => {
            let stop = (start..end).find(|&k| chars[k].is_whitespace() || chars[k] == ',').unwrap_or(end);
            if stop == start {
                return fail(start, "an attribute has \"=\" but no value");
            }
            Ok((chars[start..stop].iter().collect(), start, stop))
        }
    }
}

/// The span attributes there are, for messages.
const ATTRIBUTES: &str =
    "color, size, weight, lang, dir, and the flags bold, italic, oblique, underline, strike, nobreak";

fn set(attrs: &mut Attrs, name: &str, at: usize, value: Option<Value>) -> Result<(), MarkupError> {
    let flag = |attrs: &mut Attrs, f: fn(&mut Attrs) -> &mut bool| -> Result<(), MarkupError> {
        match &value {
            Some(v) => fail(v.at, format!("the span flag \"{name}\" takes no value")),
            None => {
                *f(attrs) = true;
                Ok(())
            }
        }
    };
    let valued = |slot: &mut Option<Value>| -> Result<(), MarkupError> {
        match &value {
            Some(v) => {
                *slot = Some(v.clone());
                Ok(())
            }
            None => fail(at, format!("the span attribute \"{name}\" needs a value: {name}=…")),
        }
    };
    match name {
        "color" | "colour" => valued(&mut attrs.color),
        "size" => valued(&mut attrs.size),
        "weight" => valued(&mut attrs.weight),
        "lang" => {
            valued(&mut attrs.lang)?;
            let v = attrs.lang.as_ref().expect("set");
            if !is_language_tag(&v.text) {
                return fail(v.at, format!("\"{}\" is not a language tag like \"en\", \"fa\" or \"ckb\"", v.text));
            }
            Ok(())
        }
        "dir" => {
            let mut slot = None;
            valued(&mut slot)?;
            let v = slot.expect("set");
            attrs.dir = Some(match v.text.as_str() {
                "rtl" => Dir::Rtl,
                "ltr" => Dir::Ltr,
                other => return fail(v.at, format!("a span's dir is \"rtl\" or \"ltr\", not \"{other}\"")),
            });
            Ok(())
        }
        "bold" => match &value {
            Some(v) => fail(v.at, "the span flag \"bold\" takes no value; write weight=… for another weight"),
            None => {
                attrs.weight = Some(Value { text: "bold".into(), at });
                Ok(())
            }
        },
        "italic" | "oblique" => flag(attrs, |a| &mut a.italic),
        "underline" => flag(attrs, |a| &mut a.underline),
        "strike" => flag(attrs, |a| &mut a.strike),
        "nobreak" => flag(attrs, |a| &mut a.nobreak),
        _ => fail(at, format!("unknown span attribute \"{name}\"; a span takes {ATTRIBUTES}")),
    }
}

/// A BCP 47-like tag: a 2–3 letter language and optional subtags.
fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split(['-', '_']);
    let lang = parts.next().unwrap_or("");
    (2..=3).contains(&lang.len())
        && lang.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(p: &[Piece]) -> Vec<(&str, bool)> {
        p.iter().map(|p| (p.text.as_str(), p.bold)).collect()
    }

    #[test]
    fn plain_text_is_one_piece() {
        let p = parse_inline("سلام").unwrap();
        assert_eq!(texts(&p), vec![("سلام", false)]);
        assert_eq!((p[0].link.clone(), p[0].span, p[0].attrs.clone()), (None, 0, Attrs::default()));
    }

    #[test]
    fn bold_in_the_middle() {
        let p = parse_inline("a **b** c").unwrap();
        assert_eq!(texts(&p), vec![("a ", false), ("b", true), (" c", false)]);
    }

    #[test]
    fn bold_at_the_end() {
        let p = parse_inline("پیامگیر تلگرام: **wpi_tamas@**").unwrap();
        assert_eq!(p.len(), 2);
        assert!(p[1].bold && p[1].text == "wpi_tamas@");
    }

    #[test]
    fn escaped_markup_is_text() {
        assert_eq!(parse_inline(r"2 \* 3").unwrap()[0].text, "2 * 3");
        assert_eq!(parse_inline(r"\[x]\{color=red\}").unwrap()[0].text, "[x]{color=red}");
        assert_eq!(parse_inline(r"a \\ b").unwrap()[0].text, r"a \ b");
        let s = r"[a*b] {c} [d]{ \*";
        assert_eq!(parse_inline(&escape(s)).unwrap()[0].text, s);
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
        // Brackets that are not a link or a span stay text.
        assert_eq!(texts(&parse_inline("[1] و (2)").unwrap()), vec![("[1] و (2)", false)]);
        assert_eq!(parse_inline(r"\[x](y)").unwrap()[0].text, "[x](y)");
    }

    #[test]
    fn spans_carry_their_attributes() {
        let p = parse_inline("a [red **bold**]{color=#c00 size=1.2em underline} b").unwrap();
        assert_eq!(texts(&p), vec![("a ", false), ("red ", false), ("bold", true), (" b", false)]);
        let a = &p[1].attrs;
        assert_eq!(a.color.as_ref().map(|v| (v.text.as_str(), v.at)), Some(("#c00", 23)));
        assert_eq!(a.size.as_ref().unwrap().text, "1.2em");
        assert!(a.underline && !a.strike && !a.italic);
        assert_eq!(p[1].span, 1);
        assert_eq!(p[2].attrs, p[1].attrs);
        assert_eq!(p[3].attrs, Attrs::default());
        let p = parse_inline(r#"[x]{lang=en dir=ltr italic strike nobreak weight="semi bold" bold}"#).unwrap();
        let a = &p[0].attrs;
        assert!(a.italic && a.strike && a.nobreak && a.dir == Some(Dir::Ltr));
        assert_eq!(a.lang.as_ref().unwrap().text, "en");
        assert_eq!(a.weight.as_ref().unwrap().text, "bold", "the later attribute wins");
    }

    #[test]
    fn spans_nest_and_inner_settings_win() {
        let p = parse_inline("[a [b]{color=blue strike} [link](https://x.org) c]{color=red underline}").unwrap();
        let got: Vec<_> = p
            .iter()
            .map(|p| (p.text.as_str(), p.attrs.color.as_ref().unwrap().text.as_str(), p.attrs.strike, p.link.is_some()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a ", "red", false, false),
                ("b", "blue", true, false),
                (" ", "red", false, false),
                ("link", "red", false, true),
                (" c", "red", false, false)
            ]
        );
        assert!(p.iter().all(|p| p.attrs.underline));
        // A span inside a link's text is styled and linked.
        let p = parse_inline("[see [here]{italic}](https://x.org)").unwrap();
        assert!(p[1].attrs.italic && p[1].link.as_deref() == Some("https://x.org"));
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = |n: usize| "[".repeat(n) + "x" + &"]{underline}".repeat(n);
        assert!(parse_inline(&deep(MAX_DEPTH)).is_ok());
        let e = parse_inline(&deep(MAX_DEPTH + 1)).unwrap_err();
        assert!(e.message.contains("nest at most"), "{}", e.message);
        assert_eq!(e.at, MAX_DEPTH);
        // Thousands of brackets are no trouble: an error, quickly.
        assert!(parse_inline(&deep(5000)).is_err());
        assert!(parse_inline(&"[".repeat(100_000)).is_ok());
        assert!(parse_inline(&"\\".repeat(100_001)).is_ok());
    }

    #[test]
    fn mistakes_point_at_their_character() {
        let e = parse_inline("ab [c]{colour=red underline=yes}").unwrap_err();
        assert_eq!(e.at, 28, "{}", e.message);
        assert!(e.message.contains("takes no value"));
        let e = parse_inline("[c]{color=red blink}").unwrap_err();
        assert_eq!(e.at, 14);
        assert!(e.message.contains("unknown span attribute \"blink\""), "{}", e.message);
        let e = parse_inline("[c]{dir=up}").unwrap_err();
        assert_eq!(e.at, 8);
        let e = parse_inline("[c]{lang=english}").unwrap_err();
        assert_eq!(e.at, 9);
        let e = parse_inline("[c]{size}").unwrap_err();
        assert!(e.message.contains("needs a value"));
        let e = parse_inline("x [c]{color=red").unwrap_err();
        assert_eq!(e.at, 5);
        assert!(e.message.contains("never closed"));
        let e = parse_inline("a **b").unwrap_err();
        assert_eq!(e.at, 2);
        let e = parse_inline("[a **b]{italic} c").unwrap_err();
        assert_eq!(e.at, 3, "bold must close inside its span");
    }
}
