//! The pixels of a page being drawn.
//!
//! This module owns the memory a page is drawn into. A page of a megabyte or
//! more (a 1080×1080 post is 4.7 MB of RGBA) is fresh zeroed memory mapped
//! for it, with transparent huge pages asked for where the system offers
//! them (Linux with THP set to `madvise` or `always`): its first touch then
//! costs a few 2 MB page faults instead of a thousand 4 KB ones, which took
//! more of a single image's time than the compositing. Smaller pages, and
//! any page when the mapping fails, are an ordinary vector.

use tiny_skia as sk;

/// Below this many bytes a page is an ordinary vector.
const MAPPED_FROM: usize = 1 << 20;

/// A huge page: a mapping of a whole number of them is placed on their
/// boundary by the kernel, so all of it can be huge pages.
const HUGE: usize = 2 << 20;

/// A page's premultiplied RGBA pixels, zeroed (transparent) when made.
pub(crate) struct Page {
    width: u32,
    height: u32,
    /// Bytes of pixels (a mapping may be longer).
    len: usize,
    pixels: Pixels,
}

enum Pixels {
    Mapped(memmap2::MmapMut),
    Owned(Vec<u8>),
}

impl Page {
    /// A transparent page, or `None` for an empty or impossibly large one.
    pub(crate) fn new(width: u32, height: u32) -> Option<Page> {
        // tiny-skia's own bounds: sides over zero and rows that fit an i32.
        sk::IntSize::from_wh(width, height)?;
        let len = (width as usize).checked_mul(height as usize)?.checked_mul(4)?;
        let pixels = match len >= MAPPED_FROM {
            true => match memmap2::MmapOptions::new().len(len.div_ceil(HUGE) * HUGE).map_anon() {
                Ok(map) => {
                    #[cfg(target_os = "linux")]
                    let _ = map.advise(memmap2::Advice::HugePage);
                    Pixels::Mapped(map)
                }
                Err(_) => Pixels::Owned(vec![0; len]),
            },
            false => Pixels::Owned(vec![0; len]),
        };
        Some(Page { width, height, len, pixels })
    }

    pub(crate) fn width(&self) -> u32 {
        self.width
    }

    pub(crate) fn height(&self) -> u32 {
        self.height
    }

    /// The pixels, row by row, four bytes each.
    pub(crate) fn data(&self) -> &[u8] {
        match &self.pixels {
            Pixels::Mapped(m) => &m[..self.len],
            Pixels::Owned(v) => v,
        }
    }

    pub(crate) fn data_mut(&mut self) -> &mut [u8] {
        match &mut self.pixels {
            Pixels::Mapped(m) => &mut m[..self.len],
            Pixels::Owned(v) => v,
        }
    }

    /// The page for tiny-skia to draw on.
    pub(crate) fn as_mut(&mut self) -> sk::PixmapMut<'_> {
        let (w, h) = (self.width, self.height);
        // The length is width × height × 4 by construction.
        sk::PixmapMut::from_bytes(self.data_mut(), w, h).expect("a page's bytes match its size")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_and_large_pages_start_transparent_and_draw_alike() {
        for (w, h) in [(10, 10), (1080, 1080)] {
            let mut page = Page::new(w, h).unwrap();
            assert!(page.data().iter().all(|&b| b == 0));
            assert_eq!(page.data().len(), (w * h * 4) as usize);
            page.as_mut().fill(sk::Color::WHITE);
            assert!(page.data().iter().all(|&b| b == 255));
        }
        assert!(Page::new(0, 10).is_none());
    }
}
