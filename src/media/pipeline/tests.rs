use std::time::{Duration, Instant};

use image::ImageEncoder;

use super::fixtures::{
    self, SAMPLE_MAKE, exif_block, jpeg_from_rgb, sample_jpeg, sample_png, sample_webp,
};
use super::*;

/// Width, height and RGB pixels of a JPEG, decoded independently of the pipeline.
fn decode_output(jpeg: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut decoder = jpeg_decoder::Decoder::new(jpeg);
    let pixels = decoder.decode().expect("output decodes");
    let info = decoder.info().unwrap();
    (u32::from(info.width), u32::from(info.height), pixels)
}

/// The markers of a JPEG's header segments, from SOI up to the first scan.
fn header_markers(jpeg: &[u8]) -> Vec<u8> {
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "starts with SOI");
    let mut markers = Vec::new();
    let mut at = 2;
    while at + 4 <= jpeg.len() {
        assert_eq!(jpeg[at], 0xFF, "segment starts with a marker");
        let marker = jpeg[at + 1];
        markers.push(marker);
        if marker == 0xDA {
            break;
        }
        let length = usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
        at += 2 + length;
    }
    markers
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

/// Checks everything that must hold for any accepted photo.
fn assert_clean_output(processed: &Processed) {
    for jpeg in [&processed.full, &processed.thumb] {
        assert!(jpeg.starts_with(&[0xFF, 0xD8, 0xFF]), "output is a JPEG");
        let markers = header_markers(jpeg);
        assert!(
            markers.iter().all(|&m| m == 0xE0 || !(0xE1..=0xEF).contains(&m)),
            "no APP segment but JFIF: {markers:02X?}"
        );
        assert!(!markers.contains(&0xFE), "no comment");
        assert!(!contains(jpeg, b"Exif"), "no EXIF");
        assert!(!contains(jpeg, SAMPLE_MAKE.as_bytes()), "no camera make");
    }
    let (width, height, _) = decode_output(&processed.full);
    assert_eq!((width, height), (processed.width, processed.height));
    assert!(width.max(height) <= MAX_EDGE);
    let (thumb_width, thumb_height, _) = decode_output(&processed.thumb);
    assert!(thumb_width.max(thumb_height) <= THUMB_EDGE);
}

#[test]
fn jpeg_png_and_webp_are_accepted_and_come_out_as_clean_jpeg() {
    for (name, bytes) in [
        ("jpeg", sample_jpeg(800, 600, Some(1))),
        ("png", sample_png(800, 600)),
        ("webp", sample_webp(800, 600)),
    ] {
        let processed = process(&bytes).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!((processed.width, processed.height), (800, 600), "{name}");
        assert_clean_output(&processed);
        assert_eq!(decode_output(&processed.thumb).0, 320, "{name}");
        assert_eq!(decode_output(&processed.thumb).1, 240, "{name}");
    }
}

#[test]
fn a_large_photo_is_scaled_while_decoding_and_resized_to_1600() {
    // 3300 px: the decoder halves it (1650), the resizer takes it to 1600.
    let processed = process(&sample_jpeg(3300, 2000, Some(1))).unwrap();
    assert_eq!((processed.width, processed.height), (1600, 970));
    assert_clean_output(&processed);
    assert_eq!(decode_output(&processed.thumb).0, 320);

    let processed = process(&sample_jpeg(2000, 3300, None)).unwrap();
    assert_eq!((processed.width, processed.height), (970, 1600));
    assert_eq!(decode_output(&processed.thumb).1, 320);
}

#[test]
fn a_small_image_is_not_upscaled() {
    let processed = process(&sample_jpeg(400, 300, None)).unwrap();
    assert_eq!((processed.width, processed.height), (400, 300));
    let (thumb_width, thumb_height, _) = decode_output(&processed.thumb);
    assert_eq!((thumb_width, thumb_height), (320, 240));

    let tiny = process(&sample_png(200, 100)).unwrap();
    assert_eq!((tiny.width, tiny.height), (200, 100));
    assert_eq!(decode_output(&tiny.thumb).0, 200, "thumbnail not upscaled either");
}

/// 400×300: left half red, right half blue.
fn red_left_blue_right() -> Vec<u8> {
    (0..300)
        .flat_map(|_| (0..400).map(|x| if x < 200 { [220, 20, 20] } else { [20, 20, 220] }))
        .flatten()
        .collect()
}

fn pixel(rgb: &[u8], width: u32, x: u32, y: u32) -> [u8; 3] {
    let at = (y * width + x) as usize * 3;
    [rgb[at], rgb[at + 1], rgb[at + 2]]
}

#[test]
fn exif_orientation_6_turns_a_landscape_into_a_portrait() {
    let jpeg = jpeg_from_rgb(&red_left_blue_right(), 400, 300, Some(6));
    let processed = process(&jpeg).unwrap();
    assert_eq!((processed.width, processed.height), (300, 400));
    assert_clean_output(&processed);
    // Turned clockwise: the left (red) half is now on top.
    let (width, _, rgb) = decode_output(&processed.full);
    let top = pixel(&rgb, width, 150, 50);
    let bottom = pixel(&rgb, width, 150, 350);
    assert!(top[0] > 150 && top[2] < 100, "top is red: {top:?}");
    assert!(bottom[2] > 150 && bottom[0] < 100, "bottom is blue: {bottom:?}");
    let (thumb_width, thumb_height, _) = decode_output(&processed.thumb);
    assert_eq!((thumb_width, thumb_height), (240, 320));
}

#[test]
fn every_orientation_gives_the_shown_size() {
    for (orientation, size) in [
        (1, (400, 300)),
        (2, (400, 300)),
        (3, (400, 300)),
        (4, (400, 300)),
        (5, (300, 400)),
        (6, (300, 400)),
        (7, (300, 400)),
        (8, (300, 400)),
    ] {
        let processed = process(&sample_jpeg(400, 300, Some(orientation))).unwrap();
        assert_eq!((processed.width, processed.height), size, "{orientation}");
    }
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(kind);
    chunk.extend_from_slice(data);
    chunk.extend_from_slice(&crc32(&chunk[4..]).to_be_bytes());
    chunk
}

#[test]
fn png_exif_orientation_is_applied_too() {
    let png = sample_png(400, 300);
    // Signature (8) + IHDR (25), then an eXIf chunk (the TIFF part of the EXIF block).
    let mut with_exif = png[..33].to_vec();
    with_exif.extend_from_slice(&png_chunk(b"eXIf", &exif_block(6)[6..]));
    with_exif.extend_from_slice(&png[33..]);
    let processed = process(&with_exif).unwrap();
    assert_eq!((processed.width, processed.height), (300, 400));
    assert_clean_output(&processed);
}

#[test]
fn transparent_png_is_laid_over_white() {
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&[0u8; 16 * 16 * 4], 16, 16, image::ExtendedColorType::Rgba8)
        .unwrap();
    let processed = process(&out).unwrap();
    let (_, _, rgb) = decode_output(&processed.full);
    assert!(rgb.iter().all(|&value| value > 245), "white, not black");
}

#[test]
fn other_formats_and_non_images_are_not_images() {
    let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;".to_vec();
    let mut bmp = b"BM".to_vec();
    bmp.extend_from_slice(&[0; 60]);
    let mut zip = b"PK\x03\x04".to_vec();
    zip.extend_from_slice(&[0; 40]);
    let cases: [(&str, Vec<u8>); 9] = [
        ("empty", Vec::new()),
        ("gif", gif),
        ("bmp", bmp),
        ("text", b"just some words, not a picture".to_vec()),
        ("pdf", b"%PDF-1.7\n%\xff\xd8\xff\n1 0 obj".to_vec()),
        ("html", b"<html><body><img src=x onerror=alert(1)></body></html>".to_vec()),
        ("zip", zip),
        ("riff but not webp", b"RIFF\x24\x00\x00\x00WAVEfmt ".to_vec()),
        ("one byte of jpeg", vec![0xFF]),
    ];
    for (name, bytes) in cases {
        assert_eq!(process(&bytes).unwrap_err(), Refused::NotAnImage, "{name}");
    }
}

#[test]
fn a_cut_file_is_damaged() {
    let jpeg = sample_jpeg(640, 480, Some(1));
    assert_eq!(process(&jpeg[..jpeg.len() / 2]).unwrap_err(), Refused::Damaged);
    assert_eq!(process(&jpeg[..jpeg.len() - 2]).unwrap_err(), Refused::Damaged, "no EOI");
    assert_eq!(process(&jpeg[..100]).unwrap_err(), Refused::Damaged, "header only");
    let png = sample_png(640, 480);
    assert_eq!(process(&png[..png.len() / 2]).unwrap_err(), Refused::Damaged);
    assert_eq!(process(&png[..20]).unwrap_err(), Refused::Damaged);
    let webp = sample_webp(640, 480);
    assert_eq!(process(&webp[..webp.len() / 2]).unwrap_err(), Refused::Damaged);
}

#[test]
fn damaged_data_inside_a_jpeg_is_refused() {
    let mut jpeg = sample_jpeg(320, 240, None);
    // Replace the entropy-coded data after the header with bytes that are no valid JPEG.
    let start = jpeg.len() / 3;
    let end = jpeg.len();
    for byte in &mut jpeg[start..end] {
        *byte = 0xFF;
    }
    assert_eq!(process(&jpeg).unwrap_err(), Refused::Damaged);
}

#[test]
fn a_polyglot_is_refused_or_defused() {
    // Starts like a JPEG, then it is a web page: not decodable, refused.
    let mut fake = vec![0xFF, 0xD8, 0xFF, 0xE0];
    fake.extend_from_slice(b"<html><script>alert(document.cookie)</script></html>");
    assert_eq!(process(&fake).unwrap_err(), Refused::Damaged);

    // A real JPEG with a ZIP and a script glued after its end: the picture is taken, re-encoded
    // from pixels, and nothing of the payload survives.
    let payload = b"PK\x03\x04 payload.js <script>alert(1)</script>";
    let mut glued = sample_jpeg(320, 240, Some(1));
    glued.extend_from_slice(payload);
    let processed = process(&glued).unwrap();
    assert_clean_output(&processed);
    assert!(!contains(&processed.full, b"<script>"));
    assert!(!contains(&processed.full, b"PK\x03\x04"));
}

/// A PNG that is only a header declaring `width`×`height`, with a valid CRC.
fn png_header_only(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&png_chunk(b"IHDR", &ihdr));
    png.extend_from_slice(&png_chunk(b"IDAT", &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]));
    png.extend_from_slice(&png_chunk(b"IEND", &[]));
    png
}

fn assert_refused_fast(bytes: &[u8], expected: Refused, what: &str) {
    let start = Instant::now();
    assert_eq!(process(bytes).unwrap_err(), expected, "{what}");
    assert!(start.elapsed() < Duration::from_millis(200), "{what} took {:?}", start.elapsed());
}

#[test]
fn decompression_bombs_are_refused_from_the_header() {
    assert_refused_fast(&png_header_only(100_000, 100_000), Refused::TooLarge, "png 100k²");
    assert_refused_fast(&png_header_only(12_001, 10), Refused::TooLarge, "png too wide");
    // Each side allowed, but 121 Mpx in all.
    assert_refused_fast(&png_header_only(11_000, 11_000), Refused::TooLarge, "png 121 Mpx");

    // A small JPEG whose frame header claims 65,000×65,000.
    let mut jpeg = sample_jpeg(16, 16, None);
    let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    jpeg[sof + 5..sof + 9].copy_from_slice(&[0xFD, 0xE8, 0xFD, 0xE8]);
    assert_refused_fast(&jpeg, Refused::TooLarge, "jpeg 65k²");

    // A WebP whose extended header claims a 16,000×16,000 canvas.
    let mut webp = b"RIFF\x00\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00".to_vec();
    webp.extend_from_slice(&[0x7F, 0x3E, 0x00, 0x7F, 0x3E, 0x00]);
    assert_refused_fast(&webp, Refused::TooLarge, "webp 16k²");
}

#[test]
fn header_sizes_are_read_without_decoding() {
    assert_eq!(decode::png_dimensions(&sample_png(33, 17)), Ok((33, 17)));
    assert_eq!(decode::webp_dimensions(&sample_webp(33, 17)), Ok((33, 17)));
    assert_eq!(fit(4000, 3000, 1600), (1600, 1200));
    assert_eq!(fit(3000, 4000, 320), (240, 320));
    assert_eq!(fit(100, 50, 320), (100, 50));
    assert_eq!(fit(20_000, 1, 1600), (1600, 1));
}

#[test]
fn every_refusal_has_a_message() {
    for refused in [Refused::NotAnImage, Refused::Damaged, Refused::TooLarge, Refused::TooDeep] {
        assert!(refused.message_id().starts_with("photo-error-"));
    }
}

fn progressive_jpeg(width: u32, height: u32, scans_per_component: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 90);
    encoder.set_progressive_scans(scans_per_component);
    encoder
        .encode(
            &fixtures::sample_rgb(width, height),
            width as u16,
            height as u16,
            jpeg_encoder::ColorType::Rgb,
        )
        .unwrap();
    out
}

#[test]
fn progressive_jpeg_is_accepted_but_not_with_endless_scans() {
    let ordinary = progressive_jpeg(640, 480, 4);
    assert_eq!(decode::count_jpeg_scans(&ordinary), 12);
    assert_eq!(decode::count_jpeg_scans(&sample_jpeg(64, 64, Some(1))), 1);
    let processed = process(&ordinary).unwrap();
    assert_eq!((processed.width, processed.height), (640, 480));
    assert_clean_output(&processed);

    let endless = progressive_jpeg(64, 64, 64);
    assert!(decode::count_jpeg_scans(&endless) > decode::MAX_JPEG_SCANS);
    assert_eq!(process(&endless).unwrap_err(), Refused::TooLarge);
}

#[test]
fn grayscale_and_cmyk_jpegs_come_out_as_rgb() {
    let mut gray = Vec::new();
    jpeg_encoder::Encoder::new(&mut gray, 90)
        .encode(&[200u8; 64 * 48], 64, 48, jpeg_encoder::ColorType::Luma)
        .unwrap();
    let (_, _, rgb) = decode_output(&process(&gray).unwrap().full);
    let [r, g, b] = pixel(&rgb, 64, 30, 20);
    assert!(r.abs_diff(200) < 6 && g.abs_diff(200) < 6 && b.abs_diff(200) < 6);

    // Pure cyan ink (Adobe CMYK, as Photoshop writes it).
    let mut cmyk = Vec::new();
    let cyan: Vec<u8> = [255u8, 0, 0, 0].repeat(64 * 48);
    jpeg_encoder::Encoder::new(&mut cmyk, 95)
        .encode(&cyan, 64, 48, jpeg_encoder::ColorType::Cmyk)
        .unwrap();
    let (_, _, rgb) = decode_output(&process(&cmyk).unwrap().full);
    let [r, g, b] = pixel(&rgb, 64, 30, 20);
    assert!(r < 20 && g > 235 && b > 235, "cyan: {:?}", [r, g, b]);
}

#[test]
fn decoding_memory_is_priced_from_the_header_at_the_images_depth() {
    // The hostile file of the report: 7000×7000 16-bit RGB, 294 MB decoded, small on the wire.
    let deep = fixtures::blank_png(7000, 7000, 2, 16);
    assert!(deep.len() < 3 << 20, "{} bytes", deep.len());
    assert_refused_fast(&deep, Refused::TooDeep, "16-bit 7000²");
    assert_eq!(decode_cost(&deep), Err(Refused::TooDeep));

    // A 16-bit image that fits is converted to 8 bits and kept.
    let small = fixtures::blank_png(1200, 900, 2, 16);
    let processed = process(&small).unwrap();
    assert_eq!((processed.width, processed.height), (1200, 900));
    assert_clean_output(&processed);

    // The largest accepted kind: 8-bit RGBA at 49 Mpx, priced at its decoded size.
    let cost = decode_cost(&fixtures::blank_png(7000, 7000, 6, 8)).unwrap();
    assert!((7000 * 7000 * 4..=MAX_DECODE_BYTES).contains(&cost), "{cost}");
    // A bomb over the pixel limit is refused as too large, from the header.
    let bomb = fixtures::blank_png(11_000, 11_000, 2, 8);
    assert_refused_fast(&bomb, Refused::TooLarge, "121 Mpx of zeros");
    // A photo is priced at its DCT-scaled size.
    let photo = decode_cost(&sample_jpeg(4000, 3000, None)).unwrap();
    assert!(photo < 64 * 1024 * 1024, "{photo}");
}
