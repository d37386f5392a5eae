//! Test images made by code (no binary fixtures in the repository), shared by the unit tests
//! and `benches/photos.rs`.

use image::ImageEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;

/// Camera make written into fixture EXIF; a test checks it never reaches an output.
pub const SAMPLE_MAKE: &str = "AvtomektepTestCam";

/// Photo-like RGB pixels: smooth light gradients, blotchy mid-frequency texture and sensor-like
/// noise, so that a JPEG of it is about as large as a camera's (≈4 MB for 12 Mpx at quality 92).
pub fn sample_rgb(width: u32, height: u32) -> Vec<u8> {
    let (w, h) = (width.max(1) as i32, height.max(1) as i32);
    let mut out = Vec::with_capacity(width as usize * height as usize * 3);
    let mut seed: u32 = 0x2545_F491;
    for y in 0..h {
        let fy = y * 255 / h;
        for x in 0..w {
            let fx = x * 255 / w;
            // xorshift32: the noise.
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let noise = (seed & 15) as i32 - 8;
            let chroma_noise = ((seed >> 8) & 7) as i32 - 4;
            // Texture: a hash of coarse cells, different sizes per channel.
            let cell = cell_hash(x / 9, y / 7) as i32;
            let texture = (cell & 63) - 32;
            let fine = (cell_hash(x / 3, y / 2) & 15) as i32 - 8;
            let r = 50 + fx * 3 / 4 + texture / 2 + fine + noise + chroma_noise;
            let g = 70 + fy / 2 + fx / 5 + texture / 3 + fine + noise;
            let b = 190 - fy / 2 + texture / 4 + fine + noise - chroma_noise;
            out.extend_from_slice(&[clamp(r), clamp(g), clamp(b)]);
        }
    }
    out
}

fn cell_hash(x: i32, y: i32) -> u32 {
    let mut h = (x as u32).wrapping_mul(0x9E37_79B1) ^ (y as u32).wrapping_mul(0x85EB_CA77);
    h ^= h >> 15;
    h = h.wrapping_mul(0x2C1B_3C6D);
    h ^ (h >> 12)
}

fn clamp(value: i32) -> u8 {
    value.clamp(0, 255) as u8
}

/// A camera-like JPEG (quality 92, 4:2:0) of [`sample_rgb`]. With `Some(orientation)` it
/// carries an EXIF block with that orientation, a camera make ([`SAMPLE_MAKE`]) and a GPS
/// latitude — everything the pipeline must remove.
pub fn sample_jpeg(width: u32, height: u32, orientation: Option<u16>) -> Vec<u8> {
    jpeg_from_rgb(&sample_rgb(width, height), width, height, orientation)
}

/// A JPEG of the given RGB pixels, with EXIF as in [`sample_jpeg`].
pub fn jpeg_from_rgb(rgb: &[u8], width: u32, height: u32, orientation: Option<u16>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 92);
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_2_2);
    if let Some(orientation) = orientation {
        encoder
            .add_app_segment(1, &exif_block(orientation))
            .expect("a fixture EXIF block fits in one segment");
    }
    encoder
        .encode(rgb, width as u16, height as u16, jpeg_encoder::ColorType::Rgb)
        .expect("fixture sizes fit a JPEG");
    out
}

/// An APP1 EXIF payload (big-endian TIFF): IFD0 with Make, Orientation and a GPS IFD pointer;
/// the GPS IFD with a latitude.
pub fn exif_block(orientation: u16) -> Vec<u8> {
    let make = format!("{SAMPLE_MAKE}\0");
    const IFD0: u32 = 8;
    const IFD0_LEN: u32 = 2 + 3 * 12 + 4;
    let make_at = IFD0 + IFD0_LEN;
    let gps_at = make_at + make.len() as u32;
    let gps_len: u32 = 2 + 2 * 12 + 4;
    let latitude_at = gps_at + gps_len;

    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"MM\0\x2A");
    tiff.extend_from_slice(&IFD0.to_be_bytes());
    // IFD0: entries sorted by tag.
    tiff.extend_from_slice(&3u16.to_be_bytes());
    ifd_entry(&mut tiff, 0x010F, 2, make.len() as u32, make_at.to_be_bytes());
    let mut value = [0u8; 4];
    value[..2].copy_from_slice(&orientation.to_be_bytes());
    ifd_entry(&mut tiff, 0x0112, 3, 1, value);
    ifd_entry(&mut tiff, 0x8825, 4, 1, gps_at.to_be_bytes());
    tiff.extend_from_slice(&0u32.to_be_bytes());
    tiff.extend_from_slice(make.as_bytes());
    // GPS IFD: GPSLatitudeRef "N", GPSLatitude 43°15'0".
    tiff.extend_from_slice(&2u16.to_be_bytes());
    ifd_entry(&mut tiff, 0x0001, 2, 2, *b"N\0\0\0");
    ifd_entry(&mut tiff, 0x0002, 5, 3, latitude_at.to_be_bytes());
    tiff.extend_from_slice(&0u32.to_be_bytes());
    for (numerator, denominator) in [(43u32, 1u32), (15, 1), (0, 1)] {
        tiff.extend_from_slice(&numerator.to_be_bytes());
        tiff.extend_from_slice(&denominator.to_be_bytes());
    }

    let mut block = b"Exif\0\0".to_vec();
    block.extend_from_slice(&tiff);
    block
}

fn ifd_entry(out: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]) {
    out.extend_from_slice(&tag.to_be_bytes());
    out.extend_from_slice(&kind.to_be_bytes());
    out.extend_from_slice(&count.to_be_bytes());
    out.extend_from_slice(&value);
}

/// An RGB PNG of [`sample_rgb`].
pub fn sample_png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    PngEncoder::new(&mut out)
        .write_image(&sample_rgb(width, height), width, height, image::ExtendedColorType::Rgb8)
        .expect("fixture PNG encodes");
    out
}

/// A lossless RGB WebP of [`sample_rgb`].
pub fn sample_webp(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    WebPEncoder::new_lossless(&mut out)
        .write_image(&sample_rgb(width, height), width, height, image::ExtendedColorType::Rgb8)
        .expect("fixture WebP encodes");
    out
}

/// A PNG of `width`×`height` zero pixels (`color_type` and `bit_depth` as in its IHDR), small on
/// the wire however large decoded: the IDAT is one fixed-Huffman deflate block of
/// 258-byte repeats (13 bits each), so 7000×7000 16-bit RGB (294 MB decoded) is about 1.8 MB.
/// A decompression bomb, or the worst case of an accepted size.
pub fn blank_png(width: u32, height: u32, color_type: u8, bit_depth: u8) -> Vec<u8> {
    let channels: u64 = match color_type {
        0 | 3 => 1,
        4 => 2,
        2 => 3,
        _ => 4,
    };
    let row = (u64::from(width) * channels * u64::from(bit_depth)).div_ceil(8) + 1;
    let total = row * u64::from(height);

    let mut bits = BitWriter::default();
    bits.push(1, 1); // the last block
    bits.push(1, 2); // fixed Huffman codes
    bits.push_code(0b0011_0000, 8); // literal 0
    let mut left = total - 1;
    while left >= 258 {
        bits.push_code(0b1100_0101, 8); // length 258 (symbol 285)
        bits.push_code(0, 5); // distance 1
        left -= 258;
    }
    for _ in 0..left {
        bits.push_code(0b0011_0000, 8);
    }
    bits.push_code(0, 7); // end of block
    let mut zlib = vec![0x78, 0x01];
    zlib.extend_from_slice(&bits.finish());
    // Adler-32 of zeros: a stays 1, b adds 1 for each byte.
    zlib.extend_from_slice(&((((total % 65_521) as u32) << 16) | 1).to_be_bytes());

    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[bit_depth, color_type, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&chunk(b"IHDR", &ihdr));
    if color_type == 3 {
        png.extend_from_slice(&chunk(b"PLTE", &[0, 0, 0]));
    }
    png.extend_from_slice(&chunk(b"IDAT", &zlib));
    png.extend_from_slice(&chunk(b"IEND", &[]));
    png
}

/// Deflate's bit order: values least significant bit first, Huffman codes most significant first.
#[derive(Default)]
struct BitWriter {
    out: Vec<u8>,
    current: u32,
    used: u32,
}

impl BitWriter {
    fn push(&mut self, value: u32, count: u32) {
        for i in 0..count {
            self.current |= ((value >> i) & 1) << self.used;
            self.used += 1;
            if self.used == 8 {
                self.out.push(self.current as u8);
                (self.current, self.used) = (0, 0);
            }
        }
    }

    fn push_code(&mut self, code: u32, length: u32) {
        let reversed = code.reverse_bits() >> (32 - length);
        self.push(reversed, length);
    }

    fn finish(mut self) -> Vec<u8> {
        if self.used > 0 {
            self.out.push(self.current as u8);
        }
        self.out
    }
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(kind);
    chunk.extend_from_slice(data);
    let crc = chunk[4..].iter().fold(!0u32, |mut crc, &byte| {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
        crc
    });
    chunk.extend_from_slice(&(!crc).to_be_bytes());
    chunk
}
