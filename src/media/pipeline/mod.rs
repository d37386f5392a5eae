//! The image pipeline: recognise, decode within limits, orient, resize, re-encode as JPEG.
//!
//! `process` is pure (no I/O, no database): bytes in, two metadata-free JPEGs out, or a
//! [`Refused`] that maps to one localised message.
//!
//! 1. **Recognise** by magic number only ([`sniff`]): JPEG, PNG, WebP. A name or a
//!    content type is never trusted; anything else is `NotAnImage` (GIF, BMP, PDF, HTML, ZIP...).
//! 2. **Check the size from the header** before any pixel is decoded: either side above
//!    [`MAX_SIDE`] or more than [`MAX_PIXELS`] is `TooLarge` (a decompression bomb never gets a
//!    buffer). So is the memory the decode would take (width × height × bytes a sample ×
//!    channels, the conversion to 8-bit RGB and the output) over [`MAX_DECODE_BYTES`]; when
//!    16-bit samples are the reason, `TooDeep`. The decoders are limited as well
//!    (`image::Limits`, jpeg-decoder's buffer limit).
//! 3. **Decode** to 8-bit RGB. A JPEG is decoded with DCT-domain downscaling (1/2, 1/4, 1/8),
//!    choosing the strongest reduction that still leaves at least [`MAX_EDGE`] px on the long
//!    edge: a 4000×3000 photo is decoded straight to 2000×1500, a quarter of the work and memory.
//!    Transparent PNG/WebP pixels are laid over white. A file that does not decode cleanly to the
//!    end (cut short, corrupt, "JPEG" header followed by something else) is `Damaged`. Bytes
//!    after a complete image (a ZIP or a script glued to a JPEG) are ignored: only decoded
//!    pixels go on, so nothing of them survives re-encoding.
//! 4. **Resize** (Lanczos3, SIMD, `fast_image_resize`) to at most [`MAX_EDGE`] px on the long
//!    edge, never upscaling.
//! 5. **Orient** the resized pixels by the EXIF orientation (JPEG APP1, PNG eXIf, WebP EXIF):
//!    cheaper on 1600 px than on the original.
//! 6. **Thumbnail** ([`THUMB_EDGE`] px) from the oriented image, and **encode** both as baseline
//!    JPEG 4:2:0 (`jpeg-encoder`, AVX2 when the CPU has it). The encoder is given pixels only,
//!    so no EXIF (GPS, camera serial, ...), XMP, ICC or comment reaches the output.
//!
//! Heap for a 12-megapixel baseline JPEG is about 22 MB beside the upload itself. A progressive
//! JPEG keeps every DCT coefficient until its last scan: about 50 MB at 4:2:0 and 95 MB at
//! 4:4:4 (see `cargo bench --bench photos`); progressive files are also limited in scans.

mod decode;
/// Test images for the tests and benchmarks; not in the portal's build (feature `testing`).
#[cfg(any(test, feature = "testing"))]
#[doc(hidden)]
pub mod fixtures;
mod orient;
#[cfg(test)]
mod tests;

use std::time::{Duration, Instant};

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};

pub use decode::MAX_DECODE_BYTES;
#[cfg(any(test, feature = "testing"))]
#[doc(hidden)]
pub use fixtures::{blank_png, sample_jpeg, sample_png, sample_webp};

/// Long edge of the stored image, in pixels.
pub const MAX_EDGE: u32 = 1600;
/// Long edge of the thumbnail, in pixels.
pub const THUMB_EDGE: u32 = 320;
/// Largest width or height accepted (read from the header, before decoding).
pub const MAX_SIDE: u32 = 12_000;
/// Largest number of pixels accepted (read from the header, before decoding).
pub const MAX_PIXELS: u64 = 50_000_000;
/// JPEG quality of the stored image.
pub const FULL_QUALITY: u8 = 85;
/// JPEG quality of the thumbnail.
pub const THUMB_QUALITY: u8 = 80;

/// What a stored photo is made of: the image (at most 1600 px on the long edge) and a 320 px
/// thumbnail, both JPEG without any metadata.
#[derive(Debug)]
pub struct Processed {
    pub full: Vec<u8>,
    pub thumb: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Why an upload is refused; each maps to one localised message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Not JPEG, PNG or WebP by its bytes (or a variant of them we cannot read, such as an
    /// arithmetic-coded or lossless JPEG).
    NotAnImage,
    /// Cut short, or damaged.
    Damaged,
    /// Too many pixels, or would need too much memory to decode (a decompression bomb).
    TooLarge,
    /// Over the memory budget because of 16 bits a sample (8 bits would fit).
    TooDeep,
}

impl Refused {
    pub fn message_id(self) -> &'static str {
        match self {
            Refused::NotAnImage => "photo-error-type",
            Refused::Damaged => "photo-error-damaged",
            Refused::TooLarge => "photo-error-dimensions",
            Refused::TooDeep => "photo-error-depth",
        }
    }
}

/// An accepted input format, recognised by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    WebP,
}

/// Recognises the format by magic number: `FF D8 FF` (JPEG), `89 'PNG' 0D 0A 1A 0A` (PNG),
/// `'RIFF' size 'WEBP'` (WebP). Nothing else is looked at.
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Format::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Format::Png)
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some(Format::WebP)
    } else {
        None
    }
}

/// Time spent in each stage of one [`process_timed`] call.
#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    /// Recognise, read the header, decode (with DCT downscaling for JPEG), read the orientation.
    pub decode: Duration,
    /// Both resizes: decoded → full, full → thumbnail.
    pub resize: Duration,
    /// Applying the EXIF orientation to the resized pixels.
    pub orient: Duration,
    /// Both JPEG encodes.
    pub encode: Duration,
}

impl Timings {
    pub fn total(&self) -> Duration {
        self.decode + self.resize + self.orient + self.encode
    }
}

/// The memory decoding `bytes` would take, read from the header (refused over
/// [`MAX_DECODE_BYTES`]): what an upload reserves from the shared budget before decoding.
pub fn decode_cost(bytes: &[u8]) -> Result<u64, Refused> {
    let format = sniff(bytes).ok_or(Refused::NotAnImage)?;
    std::panic::catch_unwind(|| decode::cost(format, bytes)).unwrap_or(Err(Refused::Damaged))
}

/// Turns an upload into a stored photo and its thumbnail, or says why not.
pub fn process(bytes: &[u8]) -> Result<Processed, Refused> {
    process_timed(bytes).map(|(processed, _)| processed)
}

/// [`process`], also telling how long each stage took (for the benchmark and for logs).
pub fn process_timed(bytes: &[u8]) -> Result<(Processed, Timings), Refused> {
    let mut timings = Timings::default();
    let format = sniff(bytes).ok_or(Refused::NotAnImage)?;

    let start = Instant::now();
    // The decoders are fuzzed, but they parse hostile input: a panic in one is a refused
    // upload, not a dead worker thread.
    let decoded = std::panic::catch_unwind(|| decode::decode(format, bytes))
        .unwrap_or(Err(Refused::Damaged))?;
    timings.decode = start.elapsed();

    let start = Instant::now();
    let mut resizer = Resizer::new();
    // The target follows the source's own size: the decoded size is rounded up by DCT scaling.
    let (width, height) = fit(decoded.source_width, decoded.source_height, MAX_EDGE);
    let full = resize(&mut resizer, decoded.rgb, (decoded.width, decoded.height), (width, height))?;
    timings.resize = start.elapsed();

    let start = Instant::now();
    let (full, width, height) = orient::apply(full, width, height, decoded.orientation);
    timings.orient = start.elapsed();

    let start = Instant::now();
    let thumb_size = fit(width, height, THUMB_EDGE);
    let thumb = if thumb_size == (width, height) {
        None
    } else {
        Some(resize_ref(&mut resizer, &full, (width, height), thumb_size)?)
    };
    timings.resize += start.elapsed();

    let start = Instant::now();
    let full_jpeg = encode_jpeg(&full, width, height, FULL_QUALITY)?;
    let thumb_jpeg = match thumb {
        Some(pixels) => encode_jpeg(&pixels, thumb_size.0, thumb_size.1, THUMB_QUALITY)?,
        None => encode_jpeg(&full, width, height, THUMB_QUALITY)?,
    };
    timings.encode = start.elapsed();

    Ok((Processed { full: full_jpeg, thumb: thumb_jpeg, width, height }, timings))
}

/// Refuses a size read from a header before anything is allocated for its pixels.
fn check_dimensions(width: u32, height: u32) -> Result<(), Refused> {
    if width == 0 || height == 0 {
        return Err(Refused::Damaged);
    }
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(Refused::TooLarge);
    }
    Ok(())
}

/// The size that fits `width`×`height` into `edge` px on the long edge, never larger.
pub fn fit(width: u32, height: u32, edge: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= edge {
        return (width, height);
    }
    let scale = |side: u32| {
        let scaled = (u64::from(side) * u64::from(edge) + u64::from(long) / 2) / u64::from(long);
        (scaled as u32).max(1)
    };
    if width >= height { (edge, scale(height)) } else { (scale(width), edge) }
}

fn resize_options() -> ResizeOptions {
    ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
}

/// Resizes RGB pixels; hands the buffer back untouched when the size does not change.
fn resize(
    resizer: &mut Resizer, rgb: Vec<u8>, from: (u32, u32), to: (u32, u32),
) -> Result<Vec<u8>, Refused> {
    if from == to {
        return Ok(rgb);
    }
    resize_ref(resizer, &rgb, from, to)
}

fn resize_ref(
    resizer: &mut Resizer, rgb: &[u8], from: (u32, u32), to: (u32, u32),
) -> Result<Vec<u8>, Refused> {
    // Sizes are ours and the buffers match them; an error here would be a bug, reported as a
    // damaged file rather than a panic on the request path.
    let src = ImageRef::new(from.0, from.1, rgb, PixelType::U8x3).map_err(|_| Refused::Damaged)?;
    let mut dst = Image::new(to.0, to.1, PixelType::U8x3);
    resizer.resize(&src, &mut dst, &resize_options()).map_err(|_| Refused::Damaged)?;
    Ok(dst.into_vec())
}

/// Baseline JPEG, 4:2:0 below quality 90, JFIF header only: no EXIF, XMP, ICC or comment.
fn encode_jpeg(rgb: &[u8], width: u32, height: u32, quality: u8) -> Result<Vec<u8>, Refused> {
    let (w, h) = (
        u16::try_from(width).map_err(|_| Refused::TooLarge)?,
        u16::try_from(height).map_err(|_| Refused::TooLarge)?,
    );
    let mut out = Vec::with_capacity(rgb.len() / 10);
    jpeg_encoder::Encoder::new(&mut out, quality)
        .encode(rgb, w, h, jpeg_encoder::ColorType::Rgb)
        .map_err(|_| Refused::Damaged)?;
    Ok(out)
}
