//! The portrait: JPEG 2000 from the card to a JPEG anyone can open.
//!
//! Decoder: `hayro-jpeg2000`, pure Rust (no C library to install or audit, builds offline,
//! tested against OpenJPEG's suite). The `image` crate writes the JPEG.
//!
//! A portrait is at most 2000 bytes (card-formats.md §2.3), yet its header may declare any
//! size: the declared size is checked against what a card portrait can be before anything is
//! decoded, and at most one decode per core runs at a time, whoever calls. [`crate::verify`]
//! decodes only portraits whose signature verified (or that this program read from the card).

use std::io::Cursor;

use hayro_jpeg2000::{DecodeSettings, DecoderContext, Image};
use image::codecs::jpeg::JpegEncoder;
use image::{ExtendedColorType, ImageEncoder};

/// Largest portrait side accepted before decoding. [P] A card portrait is at most 2000 bytes
/// of JPEG 2000, a few hundred pixels a side (the test portraits are 90x120); the bound keeps
/// a small file from declaring a huge image and exhausting memory.
pub const PORTRAIT_SIDE_MAX: u32 = 640;
/// Most colour components accepted (grey, grey+alpha, RGB, RGBA).
const COMPONENTS_MAX: usize = 4;
/// JPEG quality of the written portrait.
const JPEG_QUALITY: u8 = 90;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PortraitError {
    #[error("no portrait on the card")]
    Empty,
    #[error("the portrait is not a JPEG 2000 image")]
    NotJpeg2000,
    #[error("the portrait is {width}x{height}, larger than {PORTRAIT_SIDE_MAX} pixels a side")]
    TooLarge { width: u32, height: u32 },
    #[error("the portrait could not be decoded")]
    Decode,
    #[error("the portrait could not be written as JPEG")]
    Encode,
}

/// Decodes a JPEG 2000 portrait and encodes it as JPEG.
pub fn to_jpeg(jp2: &[u8]) -> Result<Vec<u8>, PortraitError> {
    if jp2.is_empty() {
        return Err(PortraitError::Empty);
    }
    let image = Image::new(jp2, &DecodeSettings::default()).map_err(|_| PortraitError::NotJpeg2000)?;
    let (width, height) = (image.width(), image.height());
    if width == 0 || height == 0 || width > PORTRAIT_SIDE_MAX || height > PORTRAIT_SIDE_MAX {
        return Err(PortraitError::TooLarge { width, height });
    }
    let channels = usize::from(image.color_space().num_channels()) + usize::from(image.has_alpha());
    if channels > COMPONENTS_MAX {
        return Err(PortraitError::Decode);
    }
    let _slot = DecodeSlot::take();
    // The decoder indexes internally; a panic on hostile data must not take the caller down.
    let pixels = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut ctx = DecoderContext::default();
        image.decode(&mut ctx).ok().map(|d| d.data_u8())
    }))
    .ok()
    .flatten()
    .ok_or(PortraitError::Decode)?;
    let (px, colour) = match channels {
        1 => (pixels, ExtendedColorType::L8),
        2 => (pixels.chunks_exact(2).map(|c| c.first().copied().unwrap_or_default()).collect(), ExtendedColorType::L8),
        3 => (pixels, ExtendedColorType::Rgb8),
        4 => (pixels.chunks_exact(4).flat_map(|c| c.iter().take(3).copied()).collect(), ExtendedColorType::Rgb8),
        _ => return Err(PortraitError::Decode),
    };
    let expected = usize::try_from(u64::from(width) * u64::from(height)).unwrap_or(usize::MAX)
        * if colour == ExtendedColorType::L8 { 1 } else { 3 };
    if px.len() != expected {
        return Err(PortraitError::Decode);
    }
    let mut out = Cursor::new(Vec::new());
    JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .write_image(&px, width, height, colour)
        .map_err(|_| PortraitError::Encode)?;
    Ok(out.into_inner())
}

/// Decodes in progress, bounded by the number of cores (a counting semaphore shared by every
/// caller in the process).
static DECODING: std::sync::Mutex<usize> = std::sync::Mutex::new(0);
static DECODE_DONE: std::sync::Condvar = std::sync::Condvar::new();

/// One of the decode slots; released on drop.
struct DecodeSlot;

impl DecodeSlot {
    fn take() -> Self {
        let max = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        // A poisoned lock only means a panic elsewhere; the count is still right.
        let mut n = DECODING.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        while *n >= max {
            n = DECODE_DONE.wait(n).unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        *n = n.saturating_add(1);
        DecodeSlot
    }
}

impl Drop for DecodeSlot {
    fn drop(&mut self) {
        let mut n = DECODING.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *n = n.saturating_sub(1);
        DECODE_DONE.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_the_test_portrait_and_refuses_garbage() {
        let jp2 =
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../testvectors/assets/portraits/portrait-01.jp2"))
                .unwrap();
        let jpeg = to_jpeg(&jp2).unwrap();
        assert_eq!(&jpeg[..3], &[0xFF, 0xD8, 0xFF]);
        let decoded = image::load_from_memory(&jpeg).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (90, 120));
        assert_eq!(to_jpeg(&[]), Err(PortraitError::Empty));
        assert_eq!(to_jpeg(b"not an image"), Err(PortraitError::NotJpeg2000));
        assert!(to_jpeg(&jp2[..200]).is_err());
    }
}
