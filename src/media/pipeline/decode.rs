//! Decoding to 8-bit RGB, the size and the memory it would take checked from the header
//! before any pixel buffer exists.

use std::io::Cursor;

use image::metadata::Orientation;
use image::{ColorType, DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};
use jpeg_decoder::{CodingProcess, PixelFormat};

use super::{Format, MAX_EDGE, MAX_PIXELS, MAX_SIDE, Refused, check_dimensions};

/// Most bytes one decode may take: the decoded pixels at their own depth and channels, the
/// conversion to 8-bit RGB, and the resized output. 50 Mpx of 8-bit RGBA fits; 16-bit images
/// that large do not (7000×7000 16-bit RGB alone is 294 MB).
pub const MAX_DECODE_BYTES: u64 = 224 * 1024 * 1024;

/// The resized image and its thumbnail, beside the decoded pixels (1600² RGB twice, rounded up).
const OUTPUT_BYTES: u64 = 16 * 1024 * 1024;

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

/// What decoding `bytes` would take in memory, read from the header only; refused when over
/// [`MAX_DECODE_BYTES`] (with its own message when it is over because of 16-bit samples).
pub(super) fn cost(format: Format, bytes: &[u8]) -> Result<u64, Refused> {
    match format {
        Format::Jpeg => {
            let mut decoder = jpeg_decoder::Decoder::new(bytes);
            jpeg_header(&mut decoder, bytes).map(|header| header.cost)
        }
        Format::Png | Format::WebP => {
            let decoder = image_decoder(bytes, format)?;
            image_cost(&decoder)
        }
    }
}

/// The cost of decoding `decoded` bytes (plus `converted` for the conversion to 8-bit RGB),
/// refused over the budget.
fn within_budget(decoded: u64, converted: u64, deep: bool) -> Result<u64, Refused> {
    let cost = decoded.saturating_add(converted).saturating_add(OUTPUT_BYTES);
    match cost {
        cost if cost <= MAX_DECODE_BYTES => Ok(cost),
        _ if deep => Err(Refused::TooDeep),
        _ => Err(Refused::TooLarge),
    }
}

pub(super) fn decode(format: Format, bytes: &[u8]) -> Result<Decoded, Refused> {
    match format {
        Format::Jpeg => decode_jpeg(bytes),
        Format::Png | Format::WebP => decode_with_image(bytes, format),
    }
}

/// What the JPEG path learns from the header: the source and output sizes and the cost.
struct JpegHeader {
    info: jpeg_decoder::ImageInfo,
    width: u32,
    height: u32,
    cost: u64,
}

/// Reads the markers up to the frame header (SOF), sets the DCT scaling, and prices the decode.
fn jpeg_header(
    decoder: &mut jpeg_decoder::Decoder<&[u8]>, bytes: &[u8],
) -> Result<JpegHeader, Refused> {
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
    // A progressive JPEG keeps every DCT coefficient (2 bytes a sample, at most one sample
    // per pixel and component) until its last scan, whatever the output size.
    let coefficients = match info.coding_process {
        CodingProcess::Lossless => return Err(Refused::NotAnImage),
        CodingProcess::DctProgressive => {
            if count_jpeg_scans(bytes) > MAX_JPEG_SCANS {
                return Err(Refused::TooLarge);
            }
            u64::from(source_width) * u64::from(source_height) * components * 2
        }
        CodingProcess::DctSequential => 0,
    };

    // The strongest of 1/8, 1/4, 1/2 that keeps the long edge at MAX_EDGE or more
    // (the decoder picks the smallest output reaching the request on either axis).
    let edge = MAX_EDGE as u16;
    let (width, height) = decoder.scale(edge, edge).map_err(jpeg_refusal)?;
    let (width, height) = (u32::from(width), u32::from(height));
    // The component planes and the interleaved output, and a grey image's RGB copy.
    let output = u64::from(width) * u64::from(height);
    let converted = if components == 1 { output * 3 } else { 0 };
    let cost = within_budget(coefficients + output * components * 2, converted, false)?;
    Ok(JpegHeader { info, width, height, cost })
}

fn decode_jpeg(bytes: &[u8]) -> Result<Decoded, Refused> {
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    let JpegHeader { info, width, height, .. } = jpeg_header(&mut decoder, bytes)?;
    let (source_width, source_height) = (u32::from(info.width), u32::from(info.height));
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

/// The image crate's decoder for a PNG or WebP, its limits set before the header is read; the
/// size is checked from the header too.
fn image_decoder(bytes: &[u8], format: Format) -> Result<impl ImageDecoder + '_, Refused> {
    let (width, height) = match format {
        Format::Png => png_dimensions(bytes)?,
        Format::WebP => webp_dimensions(bytes)?,
        Format::Jpeg => return Err(Refused::NotAnImage),
    };
    check_dimensions(width, height)?;
    let format = if format == Format::Png { ImageFormat::Png } else { ImageFormat::WebP };
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);

    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let decoder = reader.into_decoder().map_err(image_refusal)?;
    let (width, height) = decoder.dimensions();
    check_dimensions(width, height)?;
    Ok(decoder)
}

/// The decoded buffer at the image's own depth and channels (a 16-bit RGBA pixel is 8 bytes),
/// and what turning it into 8-bit RGB adds (see `decode_with_image`).
fn image_cost(decoder: &impl ImageDecoder) -> Result<u64, Refused> {
    let (width, height) = decoder.dimensions();
    let pixels = u64::from(width) * u64::from(height);
    let color = decoder.color_type();
    let converted = match color {
        ColorType::Rgb8 | ColorType::Rgba8 => 0,
        ColorType::L8 => pixels * 3,
        _ => pixels * 4,
    };
    let deep = color.bytes_per_pixel() > color.channel_count();
    within_budget(decoder.total_bytes(), converted, deep)
}

/// PNG and WebP through the image crate, priced from the header before any pixel is decoded.
fn decode_with_image(bytes: &[u8], format: Format) -> Result<Decoded, Refused> {
    let mut decoder = image_decoder(bytes, format)?;
    image_cost(&decoder)?;
    let (width, height) = decoder.dimensions();
    // A broken EXIF block only loses its orientation; it does not refuse the photo.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);

    let rgb = match DynamicImage::from_decoder(decoder).map_err(image_refusal)? {
        DynamicImage::ImageRgb8(image) => image.into_raw(),
        DynamicImage::ImageRgba8(image) => rgba_over_white(image.into_raw()),
        DynamicImage::ImageLuma8(image) => gray_to_rgb(image.as_raw()),
        // Grey with alpha, 16-bit and float: to 8-bit RGBA first (within the price above).
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
