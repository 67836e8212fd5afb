//! The image data of nashr's PNGs: rows composited on white, Sub-filtered,
//! and deflated in bands that an engine keeps for the next variant.
//!
//! This module owns the zlib stream inside `IDAT`. Every stream is one
//! deflate block with one fixed Huffman code, [`LENGTHS`], made for filtered
//! page rows (nearly all zero; then ±1, then small differences): a literal
//! per non-zero byte, and a run of zeros as a zero and a copy of it. A band
//! of [`BAND_ROWS`] rows is therefore a string of bits that depends on its
//! own bytes only, wherever it lies in the stream, and the checksum of the
//! whole is combined from the bands' own.
//!
//! That lets a batch skip most of its encoding: an engine keeps the last
//! page it encoded at each size with each band's bits, and a band whose
//! pixels are unchanged — everything but the personalised line, in a batch
//! of invitations — is copied as bits instead of being composited, filtered
//! and compressed again. Kept bands and fresh ones are the same bits, so a
//! PNG's bytes never depend on what the engine encoded before.

use super::page::Page;
use std::sync::{Mutex, OnceLock};

/// Rows per band.
const BAND_ROWS: usize = 16;

/// Code lengths of the literal/length alphabet (symbols 0–285): literals
/// by their distance from zero (a filtered byte of 255 is −1), the end of
/// the block, and lengths of runs of zeros. Fitted to the filtered rows of
/// the invitation layouts (gradients, text, pictures) and made monotone in
/// the distance from zero so that no byte value is favoured by chance;
/// about 15 % smaller than fdeflate's code on them. A complete code: the
/// tests check it.
const LENGTHS: [u8; 286] = [
    2, 4, 6, 7, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, //
    9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, //
    9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, //
    9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, //
    9, 9, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, //
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, //
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, //
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, //
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, //
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, //
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, //
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 9, //
    9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, //
    9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, //
    9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, //
    8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 7, 6, 4, //
    14, 14, 13, 7, 10, 11, 8, 9, 12, 7, 8, 10, 8, 7, 8, 8, //
    8, 6, 7, 8, 8, 6, 6, 7, 8, 7, 7, 8, 8, 6,
];

/// The end-of-block symbol.
const END: usize = 256;

/// Run lengths where each length symbol (257–285) starts, and its extra bits.
const LENGTH_BASE: [u16; 29] =
    [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA: [u8; 29] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];

/// The order in which a dynamic block lists the code-length code's lengths.
const CODE_LENGTH_ORDER: [usize; 19] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/// The Huffman code of [`LENGTHS`], ready to write: each symbol's bits
/// (reversed, since deflate packs codes from the low bit) and their count;
/// and each run length's whole code (length symbol, extra bits and the
/// one-bit distance code for "the byte before").
struct Code {
    bits: [u16; 286],
    lens: [u8; 286],
    /// For run lengths 3–258 (index = length): bits and count.
    runs: [(u32, u8); 259],
    /// The stream's start: zlib header and the block header.
    header: Bits,
}

fn code() -> &'static Code {
    static CODE: OnceLock<Code> = OnceLock::new();
    CODE.get_or_init(|| {
        let bits = canonical(&LENGTHS);
        let mut runs = [(0u32, 0u8); 259];
        for (len, run) in runs.iter_mut().enumerate().skip(3) {
            let k = LENGTH_BASE.iter().rposition(|&b| usize::from(b) <= len).unwrap_or(0);
            let sym = 257 + k;
            let extra = (len - usize::from(LENGTH_BASE[k])) as u32;
            let n = LENGTHS[sym] + LENGTH_EXTRA[k];
            // Distance code 0 (distance 1) is the single bit 0 after it.
            *run = (u32::from(bits[sym]) | extra << LENGTHS[sym], n + 1);
        }
        Code { bits, lens: LENGTHS, runs, header: header(&LENGTHS) }
    })
}

/// Canonical Huffman codes for `lens` (RFC 1951, 3.2.2), bit-reversed.
fn canonical<const N: usize>(lens: &[u8; N]) -> [u16; N] {
    let mut count = [0u16; 16];
    for &l in lens {
        count[usize::from(l)] += 1;
    }
    count[0] = 0;
    let mut next = [0u16; 16];
    let mut code = 0u16;
    for bits in 1..16 {
        code = (code + count[bits - 1]) << 1;
        next[bits] = code;
    }
    let mut out = [0u16; N];
    for (o, &l) in out.iter_mut().zip(lens) {
        if l > 0 {
            let c = next[usize::from(l)];
            next[usize::from(l)] += 1;
            *o = c.reverse_bits() >> (16 - l);
        }
    }
    out
}

/// Huffman code lengths, at most `limit` bits, for symbols of `weights`
/// (zero: unused), by package-merge.
fn limited_lengths(weights: &[u64], limit: u8) -> Vec<u8> {
    let mut leaves: Vec<(u64, Vec<usize>)> =
        weights.iter().enumerate().filter(|&(_, &w)| w > 0).map(|(s, &w)| (w, vec![s])).collect();
    leaves.sort();
    let mut lens = vec![0u8; weights.len()];
    if leaves.len() == 1 {
        lens[leaves[0].1[0]] = 1;
        return lens;
    }
    let mut list = leaves.clone();
    for _ in 1..limit {
        let merged = list.chunks_exact(2).map(|p| (p[0].0 + p[1].0, [p[0].1.clone(), p[1].1.clone()].concat()));
        let mut next: Vec<(u64, Vec<usize>)> = leaves.iter().cloned().chain(merged).collect();
        next.sort_by_key(|(w, _)| *w);
        list = next;
    }
    for (_, symbols) in list.iter().take(2 * leaves.len() - 2) {
        for &s in symbols {
            lens[s] += 1;
        }
    }
    lens
}

/// The zlib header and the header of the one dynamic block (final), whose
/// literal/length code is `lens` and whose distance code is distance 1
/// alone.
fn header(lens: &[u8; 286]) -> Bits {
    let mut b = Bits::default();
    // Deflate with a 32 KB window, fastest (0x78 0x01: a multiple of 31).
    b.put(0x0178, 16);
    b.put(1, 1); // final block
    b.put(2, 2); // dynamic Huffman codes
    b.put(286 - 257, 5);
    b.put(0, 5); // one distance code
    // The code lengths (286, then the distance code's 1), each written
    // with the code-length code, without run-length symbols.
    let all: Vec<u8> = lens.iter().copied().chain([1]).collect();
    let mut weights = [0u64; 19];
    for &l in &all {
        weights[usize::from(l)] += 1;
    }
    let cl: [u8; 19] = limited_lengths(&weights, 7).try_into().unwrap_or([0; 19]);
    let cl_bits = canonical(&cl);
    let used = CODE_LENGTH_ORDER.iter().rposition(|&s| cl[s] > 0).map_or(4, |i| (i + 1).max(4));
    b.put(used as u64 - 4, 4);
    for &s in &CODE_LENGTH_ORDER[..used] {
        b.put(u64::from(cl[s]), 3);
    }
    for &l in &all {
        let l = usize::from(l);
        b.put(u64::from(cl_bits[l]), u32::from(cl[l]));
    }
    b
}

/// A string of bits, packed from the low bit of each byte as deflate packs
/// them: whole 64-bit words in `out`, the rest in `buf`.
#[derive(Default, Clone)]
struct Bits {
    out: Vec<u8>,
    buf: u64,
    /// Bits in `buf` (under 64).
    n: u32,
}

impl Bits {
    /// Append the low `n` bits of `bits` (`n` ≤ 64; no bits above them).
    #[inline]
    fn put(&mut self, bits: u64, n: u32) {
        self.buf |= bits.checked_shl(self.n).unwrap_or(0);
        let total = self.n + n;
        if total >= 64 {
            self.out.extend_from_slice(&self.buf.to_le_bytes());
            self.buf = bits.checked_shr(64 - self.n).unwrap_or(0);
            self.n = total - 64;
        } else {
            self.n = total;
        }
    }

    /// Append another string of bits.
    fn append(&mut self, other: &Bits) {
        if self.n == 0 {
            self.out.extend_from_slice(&other.out);
        } else {
            for word in other.out.chunks_exact(8) {
                let mut w = [0u8; 8];
                w.copy_from_slice(word);
                self.put(u64::from_le_bytes(w), 64);
            }
        }
        self.put(other.buf, other.n);
    }

    /// The bytes, the last one padded with zero bits.
    fn into_bytes(mut self) -> Vec<u8> {
        let tail = self.n.div_ceil(8) as usize;
        self.out.extend_from_slice(&self.buf.to_le_bytes()[..tail]);
        self.out
    }
}

/// Deflate `data` with [`code`] onto `bits`: literals, and each run of
/// zeros as a zero and copies of the byte before.
fn encode(data: &[u8], code: &Code, bits: &mut Bits) {
    let mut i = 0;
    let n = data.len();
    while i < n {
        let b = data[i];
        if b != 0 {
            bits.put(u64::from(code.bits[usize::from(b)]), u32::from(code.lens[usize::from(b)]));
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i + 8 <= n && data[i..i + 8] == [0; 8] {
            i += 8;
        }
        while i < n && data[i] == 0 {
            i += 1;
        }
        let zero = (u64::from(code.bits[0]), u32::from(code.lens[0]));
        bits.put(zero.0, zero.1);
        let mut rest = i - start - 1;
        while rest >= 258 {
            let (c, l) = code.runs[258];
            bits.put(u64::from(c), u32::from(l));
            rest -= 258;
        }
        if rest >= 3 {
            let (c, l) = code.runs[rest];
            bits.put(u64::from(c), u32::from(l));
        } else {
            for _ in 0..rest {
                bits.put(zero.0, zero.1);
            }
        }
    }
}

/// The Adler-32 checksum of `data`.
fn adler32(data: &[u8]) -> u32 {
    let mut a = simd_adler32::Adler32::new();
    a.write(data);
    a.finish()
}

/// Adler-32 of `a ‖ b` from the checksums of `a` and of `b` (`b_len`
/// bytes long), as zlib combines them.
fn adler_combine(a: u32, b: u32, b_len: usize) -> u32 {
    const BASE: u64 = 65521;
    let rem = b_len as u64 % BASE;
    let (a1, a2) = (u64::from(a & 0xffff), u64::from(a >> 16));
    let (b1, b2) = (u64::from(b & 0xffff), u64::from(b >> 16));
    let sum1 = (a1 + b1 + BASE - 1) % BASE;
    let sum2 = (rem * a1 % BASE + a2 + b2 + BASE - rem) % BASE;
    (sum1 | sum2 << 16) as u32
}

/// One band's encoding: its bits, the Adler-32 of its filtered bytes and
/// how many there are.
struct Band {
    bits: Bits,
    adler: u32,
    len: usize,
}

/// Composite, filter and deflate rows `rows` of `page` into a band;
/// `line` and `rgb` (a row's length) are scratch space.
fn band(page: &Page, rows: std::ops::Range<usize>, line: &mut Vec<u8>, rgb: &mut [u8]) -> Band {
    let w = page.width() as usize;
    line.resize(rows.len() * (w * 3 + 1), 0);
    let pixels = page.data()[rows.start * w * 4..rows.end * w * 4].chunks_exact(w * 4);
    for (row, out) in pixels.zip(line.chunks_exact_mut(w * 3 + 1)) {
        super::on_white_into(row, rgb);
        out[0] = 1; // Sub: each byte minus the same channel of the pixel before
        let (first, rest) = out[1..].split_at_mut(3);
        first.copy_from_slice(&rgb[..3]);
        for ((f, &now), &before) in rest.iter_mut().zip(&rgb[3..]).zip(&*rgb) {
            *f = now.wrapping_sub(before);
        }
    }
    let mut bits = Bits { out: Vec::with_capacity(line.len() / 8), ..Bits::default() };
    encode(line, code(), &mut bits);
    Band { bits, adler: adler32(line), len: line.len() }
}

/// What an engine keeps of the last page it encoded at a size: the page
/// itself and each band's encoding.
struct Kept {
    page: Page,
    bands: Vec<Band>,
}

/// Encoded pages kept by an engine, one per thread that encodes at once.
#[derive(Default)]
pub(crate) struct Bands {
    kept: Mutex<Vec<Kept>>,
    /// Page sizes met once: a size is kept from its second page on, so a
    /// single render keeps nothing.
    seen: Mutex<Vec<(u32, u32)>>,
}

/// The most page sizes remembered as met once.
const MAX_SEEN: usize = 8;

/// The most bytes of pixels kept (the largest page kept is as large).
const MAX_KEPT_BYTES: usize = 16 << 20;

/// The most pages kept: one per thread a batch runs by default (the
/// machine's cores), at most four. Asked once per process: on Linux the
/// answer reads the cgroup's CPU quota from files, and a page is kept per
/// variant of a batch.
fn max_kept() -> usize {
    static KEPT: OnceLock<usize> = OnceLock::new();
    *KEPT.get_or_init(|| std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4))
}

impl Bands {
    /// Take the kept page of this size, if any; `keep` says whether this
    /// size was met before (and the page encoded now should be kept).
    fn take(&self, width: u32, height: u32, bytes: usize) -> (Option<Kept>, bool) {
        if bytes > MAX_KEPT_BYTES {
            return (None, false);
        }
        if let Ok(mut kept) = self.kept.lock()
            && let Some(i) = kept.iter().position(|k| (k.page.width(), k.page.height()) == (width, height))
        {
            return (Some(kept.swap_remove(i)), true);
        }
        let Ok(mut seen) = self.seen.lock() else { return (None, false) };
        if seen.contains(&(width, height)) {
            return (None, true);
        }
        if seen.len() >= MAX_SEEN {
            seen.remove(0);
        }
        seen.push((width, height));
        (None, false)
    }

    /// Keep `page`, displacing the oldest pages past [`max_kept`] or
    /// [`MAX_KEPT_BYTES`]; returns the last page displaced, if any, for
    /// the caller to reuse.
    fn put(&self, page: Kept) -> Option<Page> {
        let Ok(mut kept) = self.kept.lock() else { return Some(page.page) };
        let bytes = |k: &Vec<Kept>| k.iter().map(|p| p.page.data().len()).sum::<usize>();
        let mut displaced = None;
        while !kept.is_empty() && (kept.len() >= max_kept() || bytes(&kept) + page.page.data().len() > MAX_KEPT_BYTES) {
            displaced = Some(kept.remove(0).page);
        }
        kept.push(page);
        displaced
    }
}

/// The zlib stream of `page`'s PNG image data. With `bands` (an engine's),
/// bands whose pixels equal the last page of this size are copied from its
/// encoding, and `page` may be kept in its place; what comes back with the
/// stream is a page the caller may reuse (`page` itself or the one it
/// displaced), if any.
pub(crate) fn image_data(page: Page, bands: Option<&Bands>) -> (Vec<u8>, Option<Page>) {
    let (last, keep) = match bands {
        Some(b) => b.take(page.width(), page.height(), page.data().len()),
        None => (None, false),
    };
    let mut last = last;
    let (data, encoded) = encode_page(&page, last.as_mut());
    let spare = last.map(|k| k.page);
    match bands {
        Some(b) if keep => {
            let displaced = b.put(Kept { page, bands: encoded });
            (data, spare.or(displaced))
        }
        _ => (data, Some(page)),
    }
}

/// The image data of `page` as small as nashr makes it (`Compression::Max`):
/// each row composited on white and given the PNG filter that leaves the
/// smallest sum of magnitudes (the usual heuristic; None, Sub, Up, Average
/// or Paeth), then all rows deflated at `Compression::Max`'s level. No band is
/// kept or reused: the whole page is one zlib stream.
pub(crate) fn smallest(page: &Page) -> Vec<u8> {
    let (w, h) = (page.width() as usize, page.height() as usize);
    let stride = w * 3;
    let mut filtered = Vec::with_capacity(h * (stride + 1));
    let (mut row, mut prev) = (vec![0u8; stride], vec![0u8; stride]);
    let (mut candidate, mut best) = (vec![0u8; stride], vec![0u8; stride]);
    for pixels in page.data().chunks_exact(w * 4).take(h) {
        super::on_white_into(pixels, &mut row);
        let mut chosen = (u64::MAX, 0u8);
        for kind in 0..5u8 {
            filter_row(kind, &row, &prev, &mut candidate);
            let cost: u64 = candidate.iter().map(|&b| u64::from((b as i8).unsigned_abs())).sum();
            if cost < chosen.0 {
                chosen = (cost, kind);
                std::mem::swap(&mut best, &mut candidate);
            }
        }
        filtered.push(chosen.1);
        filtered.extend_from_slice(&best);
        std::mem::swap(&mut prev, &mut row);
    }
    use crate::export::pdf::deflate;
    deflate::deflate(&filtered, deflate::level(crate::Compression::Max))
}

/// PNG filter `kind` (0 None, 1 Sub, 2 Up, 3 Average, 4 Paeth) of `row`
/// below `prev`, three bytes a pixel, into `out`.
fn filter_row(kind: u8, row: &[u8], prev: &[u8], out: &mut [u8]) {
    const BPP: usize = 3;
    for i in 0..row.len() {
        let a = if i >= BPP { row[i - BPP] } else { 0 };
        let b = prev[i];
        let c = if i >= BPP { prev[i - BPP] } else { 0 };
        let predicted = match kind {
            0 => 0,
            1 => a,
            2 => b,
            3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
            _ => paeth(a, b, c),
        };
        out[i] = row[i].wrapping_sub(predicted);
    }
}

/// The Paeth predictor: of the left, upper and upper-left bytes, the one
/// nearest to left + upper − upper-left (ties to left, then upper).
fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let (ia, ib, ic) = (i16::from(a), i16::from(b), i16::from(c));
    let p = ia + ib - ic;
    let (pa, pb, pc) = ((p - ia).abs(), (p - ib).abs(), (p - ic).abs());
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// Encode `page`, reusing the bands of `last` whose pixels are the same;
/// returns the stream and every band's encoding.
fn encode_page(page: &Page, mut last: Option<&mut Kept>) -> (Vec<u8>, Vec<Band>) {
    let (w, h) = (page.width() as usize, page.height() as usize);
    let data = page.data();
    let code = code();
    let mut out = code.header.clone();
    out.out.reserve(data.len() / 12);
    let mut adler = 1u32;
    let mut line = Vec::with_capacity(BAND_ROWS * (w * 3 + 1));
    let mut rgb = vec![0u8; w * 3];
    let mut bands = Vec::with_capacity(h.div_ceil(BAND_ROWS));
    for (k, start) in (0..h).step_by(BAND_ROWS).enumerate() {
        let rows = start..(start + BAND_ROWS).min(h);
        let pixels = rows.start * w * 4..rows.end * w * 4;
        let same = last.as_mut().and_then(|l| {
            let unchanged = l.page.data().get(pixels.clone()) == Some(&data[pixels.clone()]);
            let band = l.bands.get_mut(k).filter(|_| unchanged)?;
            Some(std::mem::replace(band, Band { bits: Bits::default(), adler: 1, len: 0 }))
        });
        let b = same.unwrap_or_else(|| band(page, rows, &mut line, &mut rgb));
        out.append(&b.bits);
        adler = adler_combine(adler, b.adler, b.len);
        bands.push(b);
    }
    out.put(u64::from(code.bits[END]), u32::from(code.lens[END]));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&adler.to_be_bytes());
    (bytes, bands)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_is_complete_and_no_longer_than_deflate_allows() {
        let kraft: f64 = LENGTHS.iter().map(|&l| 0.5f64.powi(i32::from(l))).sum();
        assert!((kraft - 1.0).abs() < 1e-12, "Kraft sum {kraft}");
        assert!(LENGTHS.iter().all(|&l| (1..=15).contains(&l)));
        let weights: Vec<u64> = (1..=19).map(|w| w * w).collect();
        let cl = limited_lengths(&weights, 7);
        let kraft: f64 = cl.iter().map(|&l| 0.5f64.powi(i32::from(l))).sum();
        assert!((kraft - 1.0).abs() < 1e-12 && cl.iter().all(|&l| (1..=7).contains(&l)), "{cl:?}");
    }

    #[test]
    fn checksums_combine_as_one_over_the_whole() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        for split in [0, 1, 5551, 65521, 100_000, 200_000] {
            let (a, b) = data.split_at(split);
            assert_eq!(adler_combine(adler32(a), adler32(b), b.len()), adler32(&data), "split at {split}");
        }
    }

    #[test]
    fn bits_append_across_word_boundaries() {
        let mut whole = Bits::default();
        let mut a = Bits::default();
        let mut b = Bits::default();
        for i in 0..300u64 {
            let (v, n) = ((i * 2_654_435_761) & ((1 << (i % 17)) - 1), (i % 17) as u32);
            whole.put(v, n);
            if i < 123 { a.put(v, n) } else { b.put(v, n) }
        }
        a.append(&b);
        assert_eq!(a.into_bytes(), whole.into_bytes());
    }

    /// A page of premultiplied pixels from `seed`: runs of one colour,
    /// translucent pixels and noise, so that every kind of symbol occurs.
    fn page(w: u32, h: u32, seed: u32) -> Page {
        let mut p = Page::new(w, h).unwrap();
        let mut s = seed;
        let mut px = [200u8, 40, 30, 255];
        for (i, out) in p.data_mut().chunks_exact_mut(4).enumerate() {
            s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            if s >> 28 == 0 || i % 997 == 0 {
                let a = if s & 1 == 0 { 255 } else { (s >> 8) as u8 };
                let c = |k: u32| ((u32::from((s >> k) as u8) * u32::from(a)) / 255) as u8;
                px = [c(16), c(20), c(24), a];
            }
            out.copy_from_slice(&px);
        }
        p
    }

    /// The stream of a copy of `page`, encoded with `bands`.
    fn encoded(page: &Page, bands: Option<&Bands>) -> Vec<u8> {
        let mut copy = Page::new(page.width(), page.height()).unwrap();
        copy.data_mut().copy_from_slice(page.data());
        image_data(copy, bands).0
    }

    /// The page decoded back by the png crate, as RGB; the stream's
    /// checksum checked by fdeflate's inflater (the png crate skips it).
    fn decoded(page: &Page, bands: Option<&Bands>) -> Vec<u8> {
        decoded_data(page, &encoded(page, bands))
    }

    /// `data`, the image data of `page`, decoded back by the png crate.
    fn decoded_data(page: &Page, data: &[u8]) -> Vec<u8> {
        let data = data.to_vec();
        let inflated = fdeflate::decompress_to_vec(&data).expect("a valid zlib stream, checksum included");
        assert_eq!(inflated.len(), page.height() as usize * (page.width() as usize * 3 + 1));
        let mut png = Vec::new();
        {
            let mut e = ::png::Encoder::new(&mut png, page.width(), page.height());
            e.set_color(::png::ColorType::Rgb);
            let mut w = e.write_header().unwrap();
            w.write_chunk(::png::chunk::IDAT, &data).unwrap();
        }
        let mut reader = ::png::Decoder::new(std::io::Cursor::new(png)).read_info().unwrap();
        let mut out = vec![0; reader.output_buffer_size()];
        reader.next_frame(&mut out).unwrap();
        out
    }

    #[test]
    fn pages_decode_to_their_pixels_on_white() {
        // Sizes with a last band short of 16 rows, one pixel wide, one
        // row high, and rows of zeros longer than a deflate copy (258).
        for (w, h) in [(1, 1), (1, 40), (37, 1), (300, 33), (1080, 17)] {
            let p = page(w, h, w * 31 + h);
            assert_eq!(decoded(&p, None), super::super::on_white(p.data()), "{w}×{h}");
        }
        let mut flat = Page::new(2000, 20).unwrap();
        flat.data_mut().fill(255);
        assert_eq!(decoded(&flat, None), vec![255; 2000 * 20 * 3]);
    }

    #[test]
    fn the_smallest_encoding_decodes_to_the_same_pixels_and_is_smaller() {
        for (w, h) in [(1, 1), (1, 40), (37, 1), (300, 33)] {
            let p = page(w, h, w * 7 + h);
            assert_eq!(decoded_data(&p, &smallest(&p)), super::super::on_white(p.data()), "{w}×{h}");
        }
        // A page of gradient rows and noise, where row filters pay.
        let mut p = Page::new(400, 120).unwrap();
        for (i, px) in p.data_mut().chunks_exact_mut(4).enumerate() {
            let (x, y) = ((i % 400) as u32, (i / 400) as u32);
            px.copy_from_slice(&[(x / 2) as u8, (y * 2) as u8, ((x + y) % 251) as u8, 255]);
        }
        let (small, standard) = (smallest(&p), encoded(&p, None));
        assert_eq!(decoded_data(&p, &small), super::super::on_white(p.data()));
        assert!(small.len() * 2 < standard.len(), "{} against {}", small.len(), standard.len());
    }

    #[test]
    fn each_row_filter_undoes_as_png_readers_undo_it() {
        let row: Vec<u8> = (0..60u32).map(|i| (i * 37 % 256) as u8).collect();
        let prev: Vec<u8> = (0..60u32).map(|i| (i * 91 % 256) as u8).collect();
        let mut out = vec![0; 60];
        for kind in 0..5u8 {
            filter_row(kind, &row, &prev, &mut out);
            // Reconstruct as the PNG specification says.
            let mut back = vec![0u8; 60];
            for i in 0..60 {
                let a = if i >= 3 { back[i - 3] } else { 0 };
                let (b, c) = (prev[i], if i >= 3 { prev[i - 3] } else { 0 });
                let p = match kind {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                    _ => paeth(a, b, c),
                };
                back[i] = out[i].wrapping_add(p);
            }
            assert_eq!(back, row, "filter {kind}");
        }
        assert_eq!((paeth(10, 20, 30), paeth(50, 20, 30), paeth(10, 20, 10), paeth(30, 10, 20)), (10, 50, 20, 20));
    }

    #[test]
    fn kept_bands_give_the_bytes_a_fresh_encoding_gives() {
        let bands = Bands::default();
        let (a, mut b) = (page(300, 70, 1), page(300, 70, 1));
        // The second page differs in one band only.
        b.data_mut()[300 * 4 * 20 + 40] ^= 0x10;
        let first = encoded(&a, Some(&bands));
        assert!(bands.kept.lock().unwrap().is_empty(), "a size met once is not kept");
        assert_eq!(encoded(&a, Some(&bands)), first);
        assert_eq!(bands.kept.lock().unwrap().len(), 1, "met twice, kept");
        let reused = encoded(&b, Some(&bands));
        assert_eq!(reused, encoded(&b, None));
        assert_ne!(reused, first);
        assert_eq!(encoded(&a, Some(&bands)), first);
        assert_eq!(decoded(&b, Some(&bands)), super::super::on_white(b.data()));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Any page, any size: its PNG data decodes to its pixels on white,
        /// and a page encoded after another, with kept bands, is the same
        /// bytes as alone.
        #[test]
        fn any_page_round_trips(w in 1u32..90, h in 1u32..70, seed: u32, other: u32) {
            let bands = Bands::default();
            let p = page(w, h, seed);
            image_data(page(w, h, other), Some(&bands));
            image_data(page(w, h, other), Some(&bands));
            proptest::prop_assert_eq!(encoded(&p, Some(&bands)), encoded(&p, None));
            proptest::prop_assert_eq!(decoded(&p, None), super::super::on_white(p.data()));
        }
    }
}
