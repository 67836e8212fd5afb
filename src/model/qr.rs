//! QR codes: the qrcode crate encodes the data, adds error correction and
//! draws the symbol; its mask is chosen here.
//!
//! The crate scores each of the eight masks on a copy of its canvas through
//! boxed closures per module (2.8 million instructions for a 33×33 code, a
//! twentieth of a whole leaflet render). [`modules`] applies the masks with
//! the crate and scores them on a plain grid by the crate's own rules
//! (`Canvas::compute_total_penalty_scores` in qrcode 0.14, including its
//! u16 arithmetic), so the code drawn is the one `QrCode::new` would draw —
//! a test compares the two over many inputs.

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel, Version};

/// The masks in the order the crate tries them; the first of equal scores wins.
const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// The modules of the QR code of `data` at error correction `ec` (row by
/// row, `true` dark) and the symbol's side in modules.
pub(super) fn modules(data: &[u8], ec: EcLevel) -> qrcode::types::QrResult<(Vec<bool>, usize)> {
    let bits = qrcode::bits::encode_auto(data, ec)?;
    let version = bits.version();
    let (data, ec_data) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, ec)?;
    let mut canvas = Canvas::new(version, ec);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec_data);
    let side = version.width() as usize;
    let mut best: Option<(u16, Vec<bool>)> = None;
    for mask in MASKS {
        let mut masked = canvas.clone();
        masked.apply_mask(mask);
        let dark: Vec<bool> = masked.into_colors().into_iter().map(|c| c == Color::Dark).collect();
        let score = match version {
            Version::Normal(_) => penalty(&dark, side),
            // `encode_auto` makes normal codes only; a micro code would be
            // scored on its light sides, which this does not do.
            Version::Micro(_) => return Err(qrcode::types::QrError::InvalidVersion),
        };
        if best.as_ref().is_none_or(|(s, _)| score < *s) {
            best = Some((score, dark));
        }
    }
    let (_, dark) = best.expect("eight masks were scored");
    Ok((dark, side))
}

/// The crate's total penalty of a masked normal code, in its u16
/// arithmetic: runs of five or more, 2×2 blocks, finder-like patterns,
/// and the dark/light balance.
fn penalty(dark: &[bool], side: usize) -> u16 {
    let at = |x: usize, y: usize| dark[y * side + x];
    let runs = |horizontal: bool| {
        let mut total = 0u16;
        for i in 0..side {
            let mut run = 1u16;
            let mut last = None;
            // A sentinel after the line ends its last run.
            for j in 0..=side {
                let here = (j < side).then(|| if horizontal { at(j, i) } else { at(i, j) });
                if here == last {
                    run += 1;
                } else {
                    last = here;
                    if run >= 5 {
                        total = total.wrapping_add(run - 2);
                    }
                    run = 1;
                }
            }
        }
        total
    };
    let mut blocks = 0u16;
    for y in 0..side - 1 {
        for x in 0..side - 1 {
            let c = at(x, y);
            if at(x + 1, y) == c && at(x, y + 1) == c && at(x + 1, y + 1) == c {
                blocks = blocks.wrapping_add(3);
            }
        }
    }
    let finders = |horizontal: bool| {
        const PATTERN: [bool; 7] = [true, false, true, true, true, false, true];
        let mut total = 0u16;
        for i in 0..side {
            let get = |k: usize| if horizontal { at(k, i) } else { at(i, k) };
            for j in 0..side - 6 {
                if (0..7).any(|k| get(j + k) != PATTERN[k]) {
                    continue;
                }
                // Four light modules (or the symbol's edge) on either side.
                let before = (j.saturating_sub(4)..j).any(get);
                let after = (j + 7..(j + 11).min(side)).any(get);
                if !before || !after {
                    total = total.wrapping_add(40);
                }
            }
        }
        total.wrapping_sub(360)
    };
    let dark_count = dark.iter().filter(|&&d| d).count();
    let ratio = dark_count * 200 / dark.len();
    let balance = ratio.abs_diff(100) as u16;
    runs(true)
        .wrapping_add(runs(false))
        .wrapping_add(blocks)
        .wrapping_add(finders(true))
        .wrapping_add(finders(false))
        .wrapping_add(balance)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crate_code(data: &[u8], ec: EcLevel) -> (Vec<bool>, usize) {
        let code = qrcode::QrCode::with_error_correction_level(data, ec).unwrap();
        (code.to_colors().into_iter().map(|c| c == Color::Dark).collect(), code.width())
    }

    #[test]
    fn the_same_code_as_the_crate_for_addresses_text_and_sizes() {
        let mut cases: Vec<Vec<u8>> = vec![
            b"https://wpiran.org".to_vec(),
            b"https://t.me/wpi_tamas".to_vec(),
            "tel:+46 70 123 45 67".as_bytes().to_vec(),
            "کنگره حزب کمونیست کارگری".as_bytes().to_vec(),
            b"0123456789".to_vec(),
            b"A".to_vec(),
            Vec::new(),
        ];
        // Versions from 1 to about 20, numeric, alphanumeric and bytes.
        for n in (1..400).step_by(13) {
            cases.push((0..n).map(|i| b'0' + (i % 10) as u8).collect());
            cases.push((0..n).map(|i| b"ABC $%*+-./:"[i % 12]).collect());
            cases.push((0..n).map(|i| (i * 37 % 251) as u8).collect());
        }
        for data in &cases {
            for ec in [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H] {
                let Ok(ours) = modules(data, ec) else {
                    assert!(qrcode::QrCode::with_error_correction_level(data, ec).is_err());
                    continue;
                };
                assert_eq!(ours, crate_code(data, ec), "{} bytes at {ec:?}", data.len());
            }
        }
    }

    #[test]
    fn scores_follow_the_rules() {
        // All light, 21×21: runs of 21 in all 42 lines, 400 blocks, no
        // finder-like pattern (−360 in each direction, for the three finder
        // patterns a real code always has), balance 100.
        let light = vec![false; 21 * 21];
        let expected = 42 * 19 + 400 * 3 - 720 + 100;
        assert_eq!(penalty(&light, 21), expected);
        // A checkerboard: no runs, no blocks, even balance.
        let board: Vec<bool> = (0..21 * 21).map(|i| (i / 21 + i % 21) % 2 == 0).collect();
        assert_eq!(penalty(&board, 21), 0u16.wrapping_sub(720).wrapping_add(0));
    }
}
