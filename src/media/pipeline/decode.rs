//! Decoding to 8-bit RGB, the size checked from the header before any pixel buffer exists.

use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};
use jpeg_decoder::{CodingProcess, PixelFormat};

use super::{Format, MAX_EDGE, MAX_PIXELS, MAX_SIDE, Refused, check_dimensions};

/// Most bytes a decoder may allocate for one upload (the image crate counts its output buffer
/// and its own working memory). 50 Mpx of 8-bit RGBA fits; 16-bit RGBA that large does not.
pub const MAX_DECODE_ALLOC: u64 = 256 * 1024 * 1024;

/// Most scans a progressive JPEG may have. Encoders write about 10; thousands of scans that
/// each walk the whole image are a way to make a small file cost minutes of CPU.
pub const MAX_JPEG_SCANS: usize = 100;

/// Decoded RGB pixels (`width`×`height`, 3 bytes each) of a source that is
/// `source_width`×`source_height` (larger when the JPEG decoder downscaled while decoding),
/// and the orientation its metadata asks for.
pub(super) struct Decoded {
    pub rgb: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub source_width: u32,
    pub source_height: u32,
    pub orientation: Orientation,
}

pub(super) fn decode(format: Format, bytes: &[u8]) -> Result<Decoded, Refused> {
    match format {
        Format::Jpeg => decode_jpeg(bytes),
        Format::Png => {
            let (width, height) = png_dimensions(bytes)?;
            check_dimensions(width, height)?;
            decode_with_image(bytes, ImageFormat::Png)
        }
        Format::WebP => {
            let (width, height) = webp_dimensions(bytes)?;
            check_dimensions(width, height)?;
            decode_with_image(bytes, ImageFormat::WebP)
        }
    }
}

fn decode_jpeg(bytes: &[u8]) -> Result<Decoded, Refused> {
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    // Reads the markers up to the frame header (SOF) only.
    decoder.read_info().map_err(jpeg_refusal)?;
    let info = decoder.info().ok_or(Refused::Damaged)?;
    let (source_width, source_height) = (u32::from(info.width), u32::from(info.height));
    check_dimensions(source_width, source_height)?;
    let components: u64 = match info.pixel_format {
        PixelFormat::L8 => 1,
        PixelFormat::RGB24 => 3,
        PixelFormat::CMYK32 => 4,
        // 16-bit lossless (medical, scientific): not a photo, and not DCT-scalable.
        PixelFormat::L16 => return Err(Refused::NotAnImage),
    };
    match info.coding_process {
        CodingProcess::Lossless => return Err(Refused::NotAnImage),
        CodingProcess::DctProgressive => {
            // A progressive JPEG keeps every DCT coefficient (2 bytes a sample, at most one
            // sample per pixel and component) until its last scan, whatever the output size.
            let coefficients = u64::from(source_width) * u64::from(source_height) * components * 2;
            if coefficients > MAX_DECODE_ALLOC || count_jpeg_scans(bytes) > MAX_JPEG_SCANS {
                return Err(Refused::TooLarge);
            }
        }
        CodingProcess::DctSequential => {}
    }

    // The strongest of 1/8, 1/4, 1/2 that keeps the long edge at MAX_EDGE or more
    // (the decoder picks the smallest output reaching the request on either axis).
    let edge = MAX_EDGE as u16;
    let (width, height) = decoder.scale(edge, edge).map_err(jpeg_refusal)?;
    let (width, height) = (u32::from(width), u32::from(height));
    decoder.set_max_decoding_buffer_size(MAX_PIXELS as usize * 4);

    let pixels = decoder.decode().map_err(jpeg_refusal)?;
    let orientation = decoder
        .exif_data()
        .and_then(Orientation::from_exif_chunk)
        .unwrap_or(Orientation::NoTransforms);

    let expected = width as usize * height as usize;
    let rgb = match info.pixel_format {
        PixelFormat::RGB24 => pixels,
        PixelFormat::L8 => gray_to_rgb(&pixels),
        // jpeg-decoder hands CMYK back un-inverted (Adobe's inversion undone).
        PixelFormat::CMYK32 => cmyk_to_rgb(pixels),
        PixelFormat::L16 => return Err(Refused::NotAnImage),
    };
    if rgb.len() != expected * 3 {
        return Err(Refused::Damaged);
    }
    Ok(Decoded { rgb, width, height, source_width, source_height, orientation })
}

/// Counts the scans (SOS markers) of a JPEG by walking its segments, stopping at EOI or at
/// anything malformed (the decoder judges that). Entropy-coded data is skipped: in it a 0xFF is
/// always followed by 0x00 (stuffing) or a restart marker.
pub(super) fn count_jpeg_scans(bytes: &[u8]) -> usize {
    let mut scans = 0;
    let mut at = 2;
    while at + 1 < bytes.len() {
        if bytes[at] != 0xFF {
            return scans;
        }
        let marker = bytes[at + 1];
        match marker {
            0xFF => at += 1, // fill byte
            0xD9 => return scans,
            0x01 | 0xD0..=0xD7 => at += 2,
            _ => {
                let Some(length) = bytes.get(at + 2..at + 4) else {
                    return scans;
                };
                at += 2 + usize::from(u16::from_be_bytes([length[0], length[1]]));
                if marker == 0xDA {
                    scans += 1;
                    // Skip the entropy-coded data up to the next real marker.
                    loop {
                        let Some(offset) = bytes
                            .get(at..)
                            .and_then(|rest| rest.iter().position(|&byte| byte == 0xFF))
                        else {
                            return scans;
                        };
                        at += offset;
                        match bytes.get(at + 1) {
                            Some(0x00 | 0xD0..=0xD7) => at += 2,
                            Some(_) => break,
                            None => return scans,
                        }
                    }
                }
            }
        }
    }
    scans
}

fn jpeg_refusal(error: jpeg_decoder::Error) -> Refused {
    match error {
        jpeg_decoder::Error::Unsupported(_) => Refused::NotAnImage,
        jpeg_decoder::Error::Format(_)
        | jpeg_decoder::Error::Io(_)
        | jpeg_decoder::Error::Internal(_) => Refused::Damaged,
    }
}

/// PNG and WebP through the image crate, with its limits set before the header is read.
fn decode_with_image(bytes: &[u8], format: ImageFormat) -> Result<Decoded, Refused> {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);

    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(image_refusal)?;
    let (width, height) = decoder.dimensions();
    check_dimensions(width, height)?;
    // A broken EXIF block only loses its orientation; it does not refuse the photo.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);

    let rgb = match DynamicImage::from_decoder(decoder).map_err(image_refusal)? {
        DynamicImage::ImageRgb8(image) => image.into_raw(),
        DynamicImage::ImageRgba8(image) => rgba_over_white(image.into_raw()),
        DynamicImage::ImageLuma8(image) => gray_to_rgb(image.as_raw()),
        other => rgba_over_white(other.into_rgba8().into_raw()),
    };
    if rgb.len() != width as usize * height as usize * 3 {
        return Err(Refused::Damaged);
    }
    Ok(Decoded { rgb, width, height, source_width: width, source_height: height, orientation })
}

fn image_refusal(error: ImageError) -> Refused {
    match error {
        ImageError::Limits(_) => Refused::TooLarge,
        ImageError::Unsupported(_) => Refused::NotAnImage,
        ImageError::Decoding(_)
        | ImageError::IoError(_)
        | ImageError::Parameter(_)
        | ImageError::Encoding(_) => Refused::Damaged,
    }
}

/// Width and height from the IHDR chunk, which the PNG format puts first.
pub(super) fn png_dimensions(bytes: &[u8]) -> Result<(u32, u32), Refused> {
    let header = bytes.get(8..24).ok_or(Refused::Damaged)?;
    if header[0..4] != [0, 0, 0, 13] || &header[4..8] != b"IHDR" {
        return Err(Refused::Damaged);
    }
    Ok((be_u32(&header[8..12]), be_u32(&header[12..16])))
}

/// Width and height from the first chunk of a WebP: `VP8 ` (lossy), `VP8L` (lossless) or
/// `VP8X` (extended: the canvas size).
pub(super) fn webp_dimensions(bytes: &[u8]) -> Result<(u32, u32), Refused> {
    let chunk = bytes.get(12..16).ok_or(Refused::Damaged)?;
    let data = bytes.get(20..30).ok_or(Refused::Damaged)?;
    match chunk {
        b"VP8 " => {
            // 3-byte frame tag, start code 9D 01 2A, then 14-bit width and height.
            if data[3..6] != [0x9D, 0x01, 0x2A] {
                return Err(Refused::Damaged);
            }
            let width = u32::from(u16::from_le_bytes([data[6], data[7]]) & 0x3FFF);
            let height = u32::from(u16::from_le_bytes([data[8], data[9]]) & 0x3FFF);
            Ok((width, height))
        }
        b"VP8L" => {
            // Signature 0x2F, then width-1 and height-1 in 14 bits each.
            if data[0] != 0x2F {
                return Err(Refused::Damaged);
            }
            let bits = u32::from_le_bytes([data[1], data[2], data[3], data[4]]);
            Ok(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
        }
        b"VP8X" => {
            // 4 bytes of flags, then canvas width-1 and height-1 in 24 bits each.
            let width = u32::from_le_bytes([data[4], data[5], data[6], 0]) + 1;
            let height = u32::from_le_bytes([data[7], data[8], data[9], 0]) + 1;
            Ok((width, height))
        }
        _ => Err(Refused::Damaged),
    }
}

fn be_u32(bytes: &[u8]) -> u32 {
    u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

fn gray_to_rgb(gray: &[u8]) -> Vec<u8> {
    gray.iter().flat_map(|&value| [value; 3]).collect()
}

fn cmyk_to_rgb(mut cmyk: Vec<u8>) -> Vec<u8> {
    let pixels = cmyk.len() / 4;
    for i in 0..pixels {
        let [c, m, y, k] = [cmyk[4 * i], cmyk[4 * i + 1], cmyk[4 * i + 2], cmyk[4 * i + 3]];
        let ink = |value: u8| ((255 - u32::from(value)) * (255 - u32::from(k)) / 255) as u8;
        // Writing pixel i at 3*i never overtakes the reads at 4*i and later.
        cmyk[3 * i..3 * i + 3].copy_from_slice(&[ink(c), ink(m), ink(y)]);
    }
    cmyk.truncate(pixels * 3);
    cmyk
}

/// Lays RGBA over a white background, in place (a transparent ID photo shows white, not black).
fn rgba_over_white(mut rgba: Vec<u8>) -> Vec<u8> {
    let pixels = rgba.len() / 4;
    for i in 0..pixels {
        let alpha = u32::from(rgba[4 * i + 3]);
        let blend =
            |value: u8| ((u32::from(value) * alpha + 255 * (255 - alpha) + 127) / 255) as u8;
        let rgb = [blend(rgba[4 * i]), blend(rgba[4 * i + 1]), blend(rgba[4 * i + 2])];
        rgba[3 * i..3 * i + 3].copy_from_slice(&rgb);
    }
    rgba.truncate(pixels * 3);
    rgba
}
