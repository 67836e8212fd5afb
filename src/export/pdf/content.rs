//! Page content streams written straight to bytes.
//!
//! Every operator nashr draws with is a `printpdf::Op::Unknown` (an operator
//! name and its operands). printpdf would turn each into lopdf objects and
//! lopdf would format them again; for a text-heavy page that costs more than
//! laying the text out. [`encode`] writes the same bytes lopdf's
//! `Content::encode` writes — operands separated as lopdf separates them,
//! reals with at most five decimals — in one pass without allocating per
//! operand.

use printpdf::{DictItem, Op};

/// The content stream of `ops`, or `None` when one of them is an operator
/// printpdf knows by name (then printpdf must write the page itself).
pub(super) fn encode(ops: &[Op]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(ops.len() * 24);
    for (i, op) in ops.iter().enumerate() {
        let Op::Unknown { key, value } = op else { return None };
        if i > 0 {
            out.push(b'\n');
        }
        for operand in value {
            item(&mut out, operand);
            out.push(b' ');
        }
        out.extend_from_slice(key.as_bytes());
    }
    Some(out)
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
        O::Stream(stream) => {
            entries(out, &stream.dict);
            out.extend_from_slice(b"stream\n");
            out.extend_from_slice(&stream.content);
            out.extend_from_slice(b"\nendstream");
        }
        O::Reference((id, generation)) => reference(out, *id, *generation),
    }
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
    fn lopdf_bytes(ops: &[Op]) -> Vec<u8> {
        let operations: Vec<lopdf::content::Operation> = ops
            .iter()
            .map(|op| match op {
                Op::Unknown { key, value } => {
                    lopdf::content::Operation::new(key, value.iter().map(DictItem::to_lopdf).collect())
                }
                _ => unreachable!(),
            })
            .collect();
        lopdf::content::Content { operations }.encode().unwrap()
    }

    fn op(key: &str, value: Vec<DictItem>) -> Op {
        Op::Unknown { key: key.into(), value }
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
        let ops = vec![
            op("q", vec![]),
            op("cm", [1.0, 0.0, 0.0, 1.0, 8.504, -0.25].map(DictItem::Real).to_vec()),
            op("BDC", vec![DictItem::Name(b"Span".to_vec()), DictItem::Dict { map: props }]),
            op("Tf", vec![DictItem::Name(b"F0 x#".to_vec()), DictItem::Real(10.0)]),
            op(
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
            op("Tr", vec![DictItem::Int(3), DictItem::Bool(true), DictItem::Null]),
            op("Q", vec![]),
        ];
        assert_eq!(String::from_utf8_lossy(&encode(&ops).unwrap()), String::from_utf8_lossy(&lopdf_bytes(&ops)));
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

    #[test]
    fn a_known_printpdf_operator_leaves_the_page_to_printpdf() {
        assert!(encode(&[op("q", vec![]), Op::SaveGraphicsState]).is_none());
    }
}
