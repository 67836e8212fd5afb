//! Pictures (PNG, JPEG and SVG): reading, size limits and the engine's
//! bounded cache ([`PictureFiles`]), so a logo used on a thousand variants is
//! decoded once, and read again when the file changes.
//!
//! Pixels are kept as straight 8-bit RGBA for the exporters; a baseline RGB
//! or greyscale JPEG also keeps its original bytes so the PDF can embed it
//! as it is (DCTDecode) instead of as decoded pixels.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The largest picture accepted, in pixels (100 megapixels).
pub const MAX_PIXELS: u64 = 100_000_000;

/// The pixels of pictures of the given sizes together (the distinct
/// pictures of one document are held to [`Limits::picture_pixels`](crate::Limits)).
pub(crate) fn document_pixels(sizes: impl IntoIterator<Item = (u32, u32)>) -> u64 {
    sizes.into_iter().map(|(w, h)| u64::from(w) * u64::from(h)).fold(0u64, u64::saturating_add)
}

/// Pixel data of a picture: 8-bit RGBA, not premultiplied, row by row.
#[derive(Debug, PartialEq)]
pub struct Pixels {
    /// Four bytes a pixel, `width × height` pixels.
    pub rgba: Vec<u8>,
    /// Whether any pixel is not fully opaque.
    pub has_alpha: bool,
}

/// The original bytes of a JPEG that a PDF can embed unchanged.
#[derive(Debug, PartialEq)]
pub struct Jpeg {
    /// The JPEG file.
    pub bytes: Vec<u8>,
    /// 1 (grey) or 3 (RGB) colour components.
    pub components: u8,
}

/// A decoded picture.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Picture {
    /// The file as the layout names it.
    pub source: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The decoded pixels.
    #[serde(skip)]
    pub pixels: Arc<Pixels>,
    /// A baseline JPEG's own bytes, which a PDF embeds as they are.
    #[serde(skip)]
    pub jpeg: Option<Arc<Jpeg>>,
    /// An SVG picture's shapes (its `pixels` are then empty): drawn as
    /// paths in a PDF and at the output's resolution in an image; `width`
    /// and `height` are its size in SVG pixels, rounded up.
    #[serde(skip)]
    pub svg: Option<crate::svg::Svg>,
}

/// Why a picture cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PictureError {
    #[error("cannot read picture {path}: {err}")]
    Read { path: PathBuf, err: std::io::Error },
    #[error("{path} is not a PNG or JPEG picture nashr can read: {reason}")]
    Decode { path: PathBuf, reason: String },
    #[error("{path} cannot be used as an SVG picture: {reason}")]
    Svg { path: PathBuf, reason: String },
    #[error("{path} is {width} × {height} pixels, more than the {limit} megapixels nashr accepts; scale it down first")]
    TooLarge { path: PathBuf, width: u64, height: u64, limit: u64 },
}

/// Pictures read from disk and decoded, shared by every render of an
/// engine: bounded, and read again when a file changes.
pub(crate) struct PictureFiles {
    cache: crate::cache::FileCache<Picture>,
}

impl Default for PictureFiles {
    fn default() -> Self {
        // 256 pictures or 512 MB of pixels, whichever comes first.
        PictureFiles { cache: crate::cache::FileCache::new(256, 512 << 20) }
    }
}

impl PictureFiles {
    /// Read and decode a PNG or JPEG file; `source` is its name as the layout gives it.
    pub(crate) fn load(&self, path: &Path, source: &str) -> Result<Picture, PictureError> {
        let picture = self
            .cache
            .get(path, |bytes| {
                let p = decode(&bytes, path, source)?;
                let weight = p.pixels.rgba.len()
                    + p.jpeg.as_ref().map_or(0, |j| j.bytes.len())
                    + p.svg.as_ref().map_or(0, |_| bytes.len() * 4);
                Ok((p, weight))
            })
            .map_err(|e| match e {
                crate::cache::CacheError::Read(err) => PictureError::Read { path: path.to_path_buf(), err },
                crate::cache::CacheError::Load(e) => e,
            })?;
        Ok(Picture { source: source.to_string(), ..(*picture).clone() })
    }

    /// How many pictures are held.
    pub(crate) fn len(&self) -> usize {
        self.cache.len()
    }
}

/// Decode picture bytes; `path` names the file in errors.
pub fn decode(bytes: &[u8], path: &Path, source: &str) -> Result<Picture, PictureError> {
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("svg")) {
        return decode_svg(bytes, path, source);
    }
    let bad = |reason: String| PictureError::Decode { path: path.to_path_buf(), reason };
    let check = |w: u32, h: u32| {
        if w == 0 || h == 0 {
            return Err(bad("the picture has no pixels".into()));
        }
        if w as u64 * h as u64 > MAX_PIXELS {
            return Err(PictureError::TooLarge {
                path: path.to_path_buf(),
                width: w as u64,
                height: h as u64,
                limit: MAX_PIXELS / 1_000_000,
            });
        }
        Ok(())
    };
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        // The IHDR chunk always comes first: check the size before decoding anything.
        if bytes.len() >= 24 && &bytes[12..16] == b"IHDR" {
            let be = |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
            check(be(16), be(20))?;
        }
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info().map_err(|e| bad(e.to_string()))?;
        let (w, h) = (reader.info().width, reader.info().height);
        check(w, h)?;
        let mut buf = vec![0; reader.output_buffer_size()];
        let frame = reader.next_frame(&mut buf).map_err(|e| bad(e.to_string()))?;
        let data = &buf[..frame.buffer_size()];
        let rgba: Vec<u8> = match frame.color_type {
            png::ColorType::Rgba => data.to_vec(),
            png::ColorType::Rgb => data.chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect(),
            png::ColorType::GrayscaleAlpha => data.chunks_exact(2).flat_map(|p| [p[0], p[0], p[0], p[1]]).collect(),
            png::ColorType::Grayscale => data.iter().flat_map(|&g| [g, g, g, 255]).collect(),
            png::ColorType::Indexed => return Err(bad("indexed colour was not expanded".into())),
        };
        let has_alpha = rgba.chunks_exact(4).any(|p| p[3] != 255);
        return Ok(Picture {
            source: source.to_string(),
            width: w,
            height: h,
            pixels: Arc::new(Pixels { rgba, has_alpha }),
            jpeg: None,
            svg: None,
        });
    }
    if bytes.starts_with(&[0xFF, 0xD8]) {
        let mut decoder = jpeg_decoder::Decoder::new(std::io::Cursor::new(bytes));
        decoder.read_info().map_err(|e| bad(e.to_string()))?;
        let info = decoder.info().ok_or_else(|| bad("no frame header".into()))?;
        check(info.width as u32, info.height as u32)?;
        let data = decoder.decode().map_err(|e| bad(e.to_string()))?;
        let (rgba, components): (Vec<u8>, Option<u8>) = match info.pixel_format {
            jpeg_decoder::PixelFormat::RGB24 => {
                (data.chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect(), Some(3))
            }
            jpeg_decoder::PixelFormat::L8 => (data.iter().flat_map(|&g| [g, g, g, 255]).collect(), Some(1)),
            jpeg_decoder::PixelFormat::L16 => {
                (data.chunks_exact(2).flat_map(|p| [p[0], p[0], p[0], 255]).collect(), None)
            }
            jpeg_decoder::PixelFormat::CMYK32 => (
                data.chunks_exact(4)
                    .flat_map(|p| {
                        // Adobe CMYK JPEGs store inverted values.
                        let k = p[3] as u16;
                        let ch = |c: u8| ((c as u16 * k) / 255) as u8;
                        [ch(p[0]), ch(p[1]), ch(p[2]), 255]
                    })
                    .collect(),
                None,
            ),
        };
        return Ok(Picture {
            source: source.to_string(),
            width: info.width as u32,
            height: info.height as u32,
            pixels: Arc::new(Pixels { rgba, has_alpha: false }),
            jpeg: components.map(|c| Arc::new(Jpeg { bytes: without_metadata(bytes), components: c })),
            svg: None,
        });
    }
    Err(bad("it starts with neither the PNG nor the JPEG signature".into()))
}

/// An SVG picture (see [`crate::svg`] for what is refused and why).
fn decode_svg(bytes: &[u8], path: &Path, source: &str) -> Result<Picture, PictureError> {
    let svg = crate::svg::parse(bytes).map_err(|reason| PictureError::Svg { path: path.to_path_buf(), reason })?;
    let size = svg.tree.size();
    Ok(Picture {
        source: source.to_string(),
        width: (size.width().ceil() as u32).max(1),
        height: (size.height().ceil() as u32).max(1),
        pixels: Arc::new(Pixels { rgba: Vec::new(), has_alpha: true }),
        jpeg: None,
        svg: Some(svg),
    })
}

/// A JPEG without its metadata: EXIF and XMP (APP1), IPTC (APP13) and
/// comments (COM) go — they may hold a camera's serial, a place, a name —
/// while everything the picture needs to decode and show its colours
/// (JFIF, ICC profile, Adobe colour transform, tables, frame, scan) stays.
/// Bytes that do not parse as JPEG segments are returned as they are.
fn without_metadata(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    if bytes.len() < 4 || bytes[..2] != [0xFF, 0xD8] {
        return bytes.to_vec();
    }
    out.extend_from_slice(&bytes[..2]);
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return bytes.to_vec();
        }
        let marker = bytes[i + 1];
        if marker == 0xDA {
            // Start of scan: the compressed data runs to the end.
            out.extend_from_slice(&bytes[i..]);
            return out;
        }
        let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
        if len < 2 || i + 2 + len > bytes.len() {
            return bytes.to_vec();
        }
        let drop = matches!(marker, 0xE1 | 0xED | 0xFE);
        if !drop {
            out.extend_from_slice(&bytes[i..i + 2 + len]);
        }
        i += 2 + len;
    }
    bytes.to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_may_hold_two_pictures_of_the_largest_size_and_no_more() {
        let largest = (10_000, 10_000);
        let limit = crate::Limits::default().picture_pixels;
        assert_eq!(document_pixels([largest, largest]), limit);
        assert_eq!(document_pixels([largest, largest, (1, 1)]), limit + 1);
        assert_eq!(document_pixels([(u32::MAX, u32::MAX); 3]), u64::MAX, "no overflow");
    }

    fn png_bytes(w: u32, h: u32, rgba: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut e = png::Encoder::new(&mut out, w, h);
        e.set_color(png::ColorType::Rgba);
        e.set_depth(png::BitDepth::Eight);
        e.write_header().unwrap().write_image_data(rgba).unwrap();
        out
    }

    #[test]
    fn jpeg_metadata_is_left_out() {
        // SOI, APP0 (kept), APP1 "Exif…secret" and COM (dropped), then a scan.
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, b'J', b'F'];
        jpeg.extend_from_slice(&[0xFF, 0xE1, 0x00, 0x0C]);
        jpeg.extend_from_slice(b"Exifsecre");
        jpeg.push(b't');
        jpeg.extend_from_slice(&[0xFF, 0xFE, 0x00, 0x06, b'n', b'a', b'm', b'e']);
        jpeg.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 1, 2, 3, 0xFF, 0xD9]);
        let out = without_metadata(&jpeg);
        assert!(!out.windows(6).any(|w| w == b"secret") && !out.windows(4).any(|w| w == b"name"));
        assert!(out.starts_with(&[0xFF, 0xD8, 0xFF, 0xE0]) && out.ends_with(&[1, 2, 3, 0xFF, 0xD9]));
        assert_eq!(without_metadata(b"not a jpeg"), b"not a jpeg");
    }

    #[test]
    fn png_decodes_to_rgba() {
        let bytes = png_bytes(2, 1, &[255, 0, 0, 255, 0, 0, 255, 128]);
        let p = decode(&bytes, Path::new("x.png"), "x.png").unwrap();
        assert_eq!((p.width, p.height), (2, 1));
        assert_eq!(p.pixels.rgba, vec![255, 0, 0, 255, 0, 0, 255, 128]);
        assert!(p.pixels.has_alpha);
    }

    #[test]
    fn corrupt_and_unknown_files_name_the_file() {
        let e = decode(b"GIF89a....", Path::new("logo.gif"), "logo.gif").unwrap_err().to_string();
        assert!(e.contains("logo.gif") && e.contains("PNG or JPEG"), "{e}");
        let mut bytes = png_bytes(2, 2, &[0; 16]);
        bytes.truncate(40);
        let e = decode(&bytes, Path::new("cut.png"), "cut.png").unwrap_err().to_string();
        assert!(e.contains("cut.png"), "{e}");
    }

    #[test]
    fn huge_pictures_are_refused_before_decoding() {
        // A valid PNG header claiming 20000 × 20000 pixels, with no image data.
        let mut bytes = Vec::new();
        {
            let mut e = png::Encoder::new(&mut bytes, 20_000, 20_000);
            e.set_color(png::ColorType::Rgba);
            let _ = e.write_header();
        }
        let e = decode(&bytes, Path::new("huge.png"), "huge.png").unwrap_err();
        assert!(matches!(e, PictureError::TooLarge { .. }), "{e}");
        assert!(e.to_string().contains("100 megapixels"));
    }
}
