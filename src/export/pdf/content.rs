//! Page content streams written straight to bytes.
//!
//! A page's drawing is a [`Content`]: each operator is written as it is
//! added — operands separated as lopdf's `Content::encode` separates them,
//! reals with at most five decimals — so no operator is kept as a value
//! (printpdf's `Op::Unknown` with its name and operand vector, three or
//! more allocations each) and nothing is formatted twice. Text shown with
//! `TJ` has its own writer, [`Content::show`], fed from a reused buffer.

use printpdf::DictItem;

/// A content stream being written.
#[derive(Default)]
pub(super) struct Content {
    bytes: Vec<u8>,
    /// Whether the last text matrix set (`Tm`) is slanted; `None` before
    /// any, `Some(false)` after a `BT`.
    slanted: Option<bool>,
}

/// One item of a `TJ` array: a code to show, or an adjustment in
/// thousandths of an em (positive moves the pen back).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Shown {
    Code(u16),
    Adjust(f32),
}

impl Content {
    /// An operator and its operands: `1 0 0 1 34.016 34.016 cm`.
    pub(super) fn op(&mut self, name: &str, operands: &[DictItem]) {
        self.start();
        for operand in operands {
            item(&mut self.bytes, operand);
            self.bytes.push(b' ');
        }
        self.bytes.extend_from_slice(name.as_bytes());
        match name {
            "BT" => self.slanted = Some(false),
            "Tm" => self.slanted = Some(matches!(operands.get(2), Some(DictItem::Real(c)) if *c != 0.0)),
            _ => {}
        }
    }

    /// `[<0001000B> -27.9<0004>] TJ`: codes side by side in one hex string,
    /// an adjustment between them where there is one.
    pub(super) fn show(&mut self, items: &[Shown]) {
        self.start();
        let out = &mut self.bytes;
        out.push(b'[');
        let mut open = false;
        for (i, it) in items.iter().enumerate() {
            match *it {
                Shown::Code(code) => {
                    if !open {
                        out.push(b'<');
                        open = true;
                    }
                    hex_byte(out, (code >> 8) as u8);
                    hex_byte(out, code as u8);
                }
                Shown::Adjust(v) => {
                    if open {
                        out.push(b'>');
                        open = false;
                    }
                    if i > 0 {
                        out.push(b' ');
                    }
                    real(out, v);
                }
            }
        }
        if open {
            out.push(b'>');
        }
        out.extend_from_slice(b"] TJ");
    }

    /// Whether the last text matrix set is slanted (a synthesized oblique).
    pub(super) fn slanted(&self) -> bool {
        self.slanted == Some(true)
    }

    /// Append `other` (emptied) after what is written.
    pub(super) fn append(&mut self, other: &mut Content) {
        if other.bytes.is_empty() {
            return;
        }
        self.start();
        self.bytes.append(&mut other.bytes);
        if let Some(s) = other.slanted.take() {
            self.slanted = Some(s);
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    pub(super) fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// Operators are separated by a newline.
    fn start(&mut self) {
        if !self.bytes.is_empty() {
            self.bytes.push(b'\n');
        }
    }
}

/// Whether lopdf puts a space between this item and the one before it.
fn needs_separator(item: &DictItem) -> bool {
    matches!(
        item,
        DictItem::Null
            | DictItem::Bool(_)
            | DictItem::Int(_)
            | DictItem::Real(_)
            | DictItem::Float(_)
            | DictItem::Ref { .. }
    )
}

/// One operand.
fn item(out: &mut Vec<u8>, item: &DictItem) {
    match item {
        DictItem::Null => out.extend_from_slice(b"null"),
        DictItem::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        DictItem::Int(i) => integer(out, *i),
        DictItem::Real(v) | DictItem::Float(v) => real(out, *v),
        DictItem::Name(name) => self::name(out, name),
        DictItem::String { data, literal: true } => literal(out, data),
        DictItem::String { data, literal: false } | DictItem::Bytes(data) => hex(out, data),
        DictItem::Ref { obj, r#gen } => reference(out, *obj, *r#gen),
        DictItem::Array(items) => array(out, items, needs_separator, self::item),
        DictItem::Dict { map } => {
            dictionary(out, map.iter().map(|(k, v)| (k.as_bytes(), v)), needs_separator, self::item)
        }
        // A stream cannot be an operand; nashr never writes one.
        DictItem::Stream { .. } => out.extend_from_slice(b"null"),
    }
}

/// Whether lopdf puts a space between this object and what comes before
/// it (in an array or dictionary, or after `obj`), and after it before
/// `endobj` (with names and streams too).
pub(super) fn object_needs_separator(o: &lopdf::Object) -> bool {
    use lopdf::Object as O;
    matches!(o, O::Null | O::Boolean(_) | O::Integer(_) | O::Real(_) | O::Reference(_))
}

/// Any PDF object, as lopdf's writer writes it (reals in their shortest
/// form), for the file writer (`super::file`).
pub(super) fn object(out: &mut Vec<u8>, object: &lopdf::Object) {
    use lopdf::Object as O;
    let entries = |out: &mut Vec<u8>, dict: &lopdf::Dictionary| {
        dictionary(out, dict.iter().map(|(k, v)| (k.as_slice(), v)), object_needs_separator, self::object)
    };
    match object {
        O::Null => out.extend_from_slice(b"null"),
        O::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        O::Integer(i) => integer(out, *i),
        O::Real(v) => {
            use std::io::Write as _;
            let _ = write!(out, "{v}");
        }
        O::Name(n) => name(out, n),
        O::String(data, lopdf::StringFormat::Literal) => literal(out, data),
        O::String(data, lopdf::StringFormat::Hexadecimal) => hex(out, data),
        O::Array(items) => array(out, items, object_needs_separator, self::object),
        O::Dictionary(dict) => entries(out, dict),
        O::Stream(s) => self::stream(out, &s.dict, &s.content),
        O::Reference((id, generation)) => reference(out, *id, *generation),
    }
}

/// A stream object: its dictionary, then `content` between `stream` and
/// `endstream`.
pub(super) fn stream(out: &mut Vec<u8>, dict: &lopdf::Dictionary, content: &[u8]) {
    dictionary(out, dict.iter().map(|(k, v)| (k.as_slice(), v)), object_needs_separator, self::object);
    out.extend_from_slice(b"stream\n");
    out.extend_from_slice(content);
    out.extend_from_slice(b"\nendstream");
}

/// `[a b]`, a space only before an item that needs one.
fn array<T>(out: &mut Vec<u8>, items: &[T], spaced: fn(&T) -> bool, write: fn(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (i, it) in items.iter().enumerate() {
        if i > 0 && spaced(it) {
            out.push(b' ');
        }
        write(out, it);
    }
    out.push(b']');
}

/// `<</Key value>>`, a space only before a value that needs one.
fn dictionary<'a, T: 'a>(
    out: &mut Vec<u8>,
    entries: impl Iterator<Item = (&'a [u8], &'a T)>,
    spaced: fn(&T) -> bool,
    write: fn(&mut Vec<u8>, &T),
) {
    out.extend_from_slice(b"<<");
    for (key, value) in entries {
        name(out, key);
        if spaced(value) {
            out.push(b' ');
        }
        write(out, value);
    }
    out.extend_from_slice(b">>");
}

/// `id generation R`.
fn reference(out: &mut Vec<u8>, id: u32, generation: u16) {
    integer(out, i64::from(id));
    out.push(b' ');
    integer(out, i64::from(generation));
    out.extend_from_slice(b" R");
}

fn integer(out: &mut Vec<u8>, v: i64) {
    let mut digits = [0u8; 20];
    let mut n = v.unsigned_abs();
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&digits[at..]);
}

/// A real to at most five decimals, trailing zeros dropped: `12.5`,
/// `-0.25`, `3`. Positions and sizes come rounded to thousandths and are
/// written as lopdf writes them (three places give back the same `f32`);
/// the sines and cosines of a turned frame keep five places. What is not
/// finite is written as 0, which every reader accepts.
fn real(out: &mut Vec<u8>, v: f32) {
    let thousandths = (f64::from(v) * 1e3).round();
    let places = if (thousandths / 1e3) as f32 == v { 3 } else { 5 };
    let unit = 10u64.pow(places);
    let scaled = (f64::from(v) * unit as f64).round();
    if !scaled.is_finite() || scaled.abs() >= 9.0e18 {
        out.push(b'0');
        return;
    }
    let t = scaled as i64;
    let (whole, mut frac) = (t.unsigned_abs() / unit, t.unsigned_abs() % unit);
    if t < 0 {
        out.push(b'-');
    }
    integer(out, whole as i64);
    if frac != 0 {
        out.push(b'.');
        let mut places = places as usize;
        while frac % 10 == 0 {
            frac /= 10;
            places -= 1;
        }
        let mut digits = [b'0'; 5];
        for d in digits[..places].iter_mut().rev() {
            *d = b'0' + (frac % 10) as u8;
            frac /= 10;
        }
        out.extend_from_slice(&digits[..places]);
    }
}

/// A name, with white space, delimiters and bytes outside `!`…`~` as `#xx`.
fn name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &b in name {
        if b" \t\n\r\x0C()<>[]{}/%#".contains(&b) || !(33..=126).contains(&b) {
            out.push(b'#');
            hex_byte(out, b);
        } else {
            out.push(b);
        }
    }
}

fn hex(out: &mut Vec<u8>, data: &[u8]) {
    out.push(b'<');
    for &b in data {
        hex_byte(out, b);
    }
    out.push(b'>');
}

fn hex_byte(out: &mut Vec<u8>, b: u8) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    out.push(DIGITS[usize::from(b >> 4)]);
    out.push(DIGITS[usize::from(b & 15)]);
}

/// A literal string: backslashes, carriage returns and unbalanced
/// parentheses escaped.
fn literal(out: &mut Vec<u8>, data: &[u8]) {
    // Parentheses that close an earlier opening one stay as they are.
    let mut open: Vec<usize> = Vec::new();
    let mut escaped = vec![false; data.len()];
    for (i, &b) in data.iter().enumerate() {
        match b {
            b'(' => open.push(i),
            b')' if open.pop().is_none() => escaped[i] = true,
            b'\\' | b'\r' => escaped[i] = true,
            _ => {}
        }
    }
    for i in open {
        escaped[i] = true;
    }
    out.push(b'(');
    for (&b, &e) in data.iter().zip(&escaped) {
        if e {
            out.push(b'\\');
            out.push(if b == b'\r' { b'r' } else { b });
        } else {
            out.push(b);
        }
    }
    out.push(b')');
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;
    use std::collections::BTreeMap;

    /// What lopdf writes for the same operators, through printpdf's own
    /// conversion of operands.
    fn lopdf_bytes(ops: &[(&str, Vec<DictItem>)]) -> Vec<u8> {
        let operations: Vec<lopdf::content::Operation> = ops
            .iter()
            .map(|(key, value)| lopdf::content::Operation::new(key, value.iter().map(DictItem::to_lopdf).collect()))
            .collect();
        lopdf::content::Content { operations }.encode().unwrap()
    }

    #[test]
    fn objects_are_written_as_lopdf_writes_them() {
        use lopdf::{Object, StringFormat};
        let dict = dictionary! {
            "Type" => "Font", "W" => vec![Object::Integer(3), Object::Array(vec![500.into(), Object::Real(612.5)])],
            "Name" => Object::Name(b"A B#".to_vec()), "Ref" => Object::Reference((12, 0)),
            "S" => Object::String(b"a(b\\c)d)".to_vec(), StringFormat::Literal),
            "H" => Object::String(vec![0, 255, 16], StringFormat::Hexadecimal), "N" => Object::Null,
            "T" => true, "R" => Object::Real(-0.000_123),
        };
        let stream = Object::Stream(lopdf::Stream::new(dict.clone(), b"q Q".to_vec()));
        for o in [Object::Dictionary(dict), stream, Object::Array(vec![Object::Null, 1.into(), "x".into()])] {
            let mut ours = Vec::new();
            object(&mut ours, &o);
            let mut doc = lopdf::Document::with_version("1.5");
            let id = doc.add_object(o);
            doc.trailer.set("Root", id);
            let mut theirs = Vec::new();
            doc.save_to(&mut theirs).unwrap();
            let body = String::from_utf8_lossy(&theirs);
            let ours = String::from_utf8_lossy(&ours);
            assert!(body.contains(&*ours), "{ours} is not in {body}");
        }
    }

    #[test]
    fn writes_what_lopdf_writes() {
        let mut props = BTreeMap::new();
        props.insert("MCID".to_string(), DictItem::Int(12));
        props.insert("ActualText".to_string(), DictItem::String { data: vec![0xfe, 0xff, 0, 0x41], literal: false });
        props.insert("Lang".to_string(), DictItem::String { data: b"fa (IR) \\ x)(".to_vec(), literal: true });
        let ops: Vec<(&str, Vec<DictItem>)> = vec![
            ("q", vec![]),
            ("cm", [1.0, 0.0, 0.0, 1.0, 8.504, -0.25].map(DictItem::Real).to_vec()),
            ("BDC", vec![DictItem::Name(b"Span".to_vec()), DictItem::Dict { map: props }]),
            ("Tf", vec![DictItem::Name(b"F0 x#".to_vec()), DictItem::Real(10.0)]),
            (
                "TJ",
                vec![DictItem::Array(vec![
                    DictItem::String { data: vec![0, 7], literal: false },
                    DictItem::Real(-12.345),
                    DictItem::String { data: vec![1, 255], literal: false },
                    DictItem::Int(-3),
                    DictItem::Real(0.001),
                    DictItem::Real(1234.5),
                ])],
            ),
            ("Tr", vec![DictItem::Int(3), DictItem::Bool(true), DictItem::Null]),
            ("Q", vec![]),
        ];
        let mut content = Content::default();
        for (key, value) in &ops {
            content.op(key, value);
        }
        assert_eq!(String::from_utf8_lossy(&content.into_bytes()), String::from_utf8_lossy(&lopdf_bytes(&ops)));
    }

    #[test]
    fn shown_text_is_the_tj_array_lopdf_writes() {
        use Shown::{Adjust, Code};
        let cases: [&[Shown]; 4] = [
            &[Code(1), Code(0x0B), Adjust(-27.9), Code(0xFFFF)],
            &[Adjust(92.8), Code(4), Adjust(15.2), Adjust(0.1), Code(5), Code(6)],
            &[Code(7)],
            &[],
        ];
        for items in cases {
            // The same array as printpdf items: runs of codes as one string.
            let mut array: Vec<DictItem> = Vec::new();
            for it in items {
                match (it, array.last_mut()) {
                    (Code(c), Some(DictItem::String { data, .. })) => data.extend(c.to_be_bytes()),
                    (Code(c), _) => array.push(DictItem::String { data: c.to_be_bytes().to_vec(), literal: false }),
                    (Adjust(v), _) => array.push(DictItem::Real(*v)),
                }
            }
            let mut content = Content::default();
            content.op("BT", &[]);
            content.show(items);
            let expected = lopdf_bytes(&[("BT", vec![]), ("TJ", vec![DictItem::Array(array)])]);
            assert_eq!(String::from_utf8_lossy(&content.into_bytes()), String::from_utf8_lossy(&expected));
        }
    }

    #[test]
    fn the_last_text_matrix_says_whether_text_is_slanted() {
        let mut c = Content::default();
        assert!(!c.slanted());
        c.op("Tm", &[1.0, 0.0, 0.2, 1.0, 5.0, 5.0].map(DictItem::Real));
        assert!(c.slanted());
        c.op("Tf", &[DictItem::Name(b"F0".to_vec()), DictItem::Real(9.0)]);
        assert!(c.slanted(), "other operators leave it");
        c.op("BT", &[]);
        assert!(!c.slanted(), "a new text object starts upright");
        let mut late = Content::default();
        late.op("Tm", &[1.0, 0.0, 0.3, 1.0, 0.0, 0.0].map(DictItem::Real));
        c.append(&mut late);
        assert!(c.slanted() && late.is_empty(), "appended operators count");
        c.append(&mut Content::default());
        assert!(c.slanted(), "appending nothing changes nothing");
        assert!(String::from_utf8_lossy(&c.into_bytes()).ends_with("Tf\nBT\n1 0 0.3 1 0 0 Tm"));
    }

    #[test]
    fn reals_keep_three_decimals_and_drop_trailing_zeros() {
        let s = |v: f32| {
            let mut out = Vec::new();
            real(&mut out, v);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(s(12.5), "12.5");
        assert_eq!(s(-0.25), "-0.25");
        assert_eq!(s(3.0), "3");
        assert_eq!(s(0.0), "0");
        assert_eq!(s(0.001), "0.001");
        assert_eq!(s(-1.01), "-1.01");
        assert_eq!(s(595.276), "595.276");
        assert_eq!(s(0.99027), "0.99027");
        assert_eq!(s(-0.13917), "-0.13917");
        assert_eq!(s(476.221), "476.221");
        assert_eq!(s(20000.123), "20000.123");
        assert_eq!(s(f32::NAN), "0");
        assert_eq!(s(f32::INFINITY), "0");
    }
}
