//! The eight EXIF orientations applied to packed RGB pixels.

use image::metadata::Orientation;

/// Tile side for the transposing orientations: both the rows read and the rows written stay in
/// cache while a tile is copied.
const TILE: usize = 32;

/// Returns the pixels as they should be shown, with their new width and height.
pub(super) fn apply(
    rgb: Vec<u8>, width: u32, height: u32, orientation: Orientation,
) -> (Vec<u8>, u32, u32) {
    if orientation == Orientation::NoTransforms {
        return (rgb, width, height);
    }
    let (w, h) = (width as isize, height as isize);
    // Source pixel of output pixel (x, y) is `origin + x * step_x + y * step_y`.
    let (origin, step_x, step_y, transposed) = match orientation {
        Orientation::NoTransforms => (0, 1, w, false),
        Orientation::FlipHorizontal => (w - 1, -1, w, false),
        Orientation::FlipVertical => ((h - 1) * w, 1, -w, false),
        Orientation::Rotate180 => (h * w - 1, -1, -w, false),
        // Clockwise: the left column becomes the top row.
        Orientation::Rotate90 => ((h - 1) * w, -w, 1, true),
        // Counter-clockwise: the right column becomes the top row.
        Orientation::Rotate270 => (w - 1, w, -1, true),
        // EXIF 5, transpose.
        Orientation::Rotate90FlipH => (0, w, 1, true),
        // EXIF 7, transverse.
        Orientation::Rotate270FlipH => (h * w - 1, -w, -1, true),
    };
    let (out_w, out_h) = if transposed { (height, width) } else { (width, height) };
    let (ow, oh) = (out_w as usize, out_h as usize);
    let mut out = vec![0u8; rgb.len()];
    for tile_y in (0..oh).step_by(TILE) {
        for tile_x in (0..ow).step_by(TILE) {
            for y in tile_y..(tile_y + TILE).min(oh) {
                let row_origin = origin + y as isize * step_y;
                for x in tile_x..(tile_x + TILE).min(ow) {
                    let src = (row_origin + x as isize * step_x) as usize * 3;
                    let dst = (y * ow + x) * 3;
                    out[dst..dst + 3].copy_from_slice(&rgb[src..src + 3]);
                }
            }
        }
    }
    (out, out_w, out_h)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3×2 image whose pixel (x, y) is `[10 * y + x; 3]`:
    /// ```text
    ///  0  1  2
    /// 10 11 12
    /// ```
    fn sample() -> Vec<u8> {
        [0u8, 1, 2, 10, 11, 12].iter().flat_map(|&value| [value; 3]).collect()
    }

    fn shown(orientation: Orientation) -> (Vec<u8>, u32, u32) {
        let (rgb, width, height) = apply(sample(), 3, 2, orientation);
        (rgb.chunks(3).map(|pixel| pixel[0]).collect(), width, height)
    }

    #[test]
    fn every_exif_orientation_maps_pixels_as_the_standard_says() {
        let expected: [(u8, &[u8], u32, u32); 8] = [
            (1, &[0, 1, 2, 10, 11, 12], 3, 2),
            (2, &[2, 1, 0, 12, 11, 10], 3, 2),
            (3, &[12, 11, 10, 2, 1, 0], 3, 2),
            (4, &[10, 11, 12, 0, 1, 2], 3, 2),
            (5, &[0, 10, 1, 11, 2, 12], 2, 3),
            (6, &[10, 0, 11, 1, 12, 2], 2, 3),
            (7, &[12, 2, 11, 1, 10, 0], 2, 3),
            (8, &[2, 12, 1, 11, 0, 10], 2, 3),
        ];
        for (exif, pixels, width, height) in expected {
            let orientation = Orientation::from_exif(exif).unwrap();
            assert_eq!(
                shown(orientation),
                (pixels.to_vec(), width, height),
                "EXIF orientation {exif}"
            );
        }
    }
}
