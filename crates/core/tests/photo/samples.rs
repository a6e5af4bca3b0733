//! Made-up document pictures: the photo tests, the engine tests and the
//! soak (`examples/soak.rs`, which includes this file by path) use them.

use image::{Rgb, RgbImage};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::io::Cursor;

pub fn jpeg(img: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(img)
        .unwrap();
    out.into_inner()
}

/// Sensor-like noise: Gaussian-ish (sum of uniforms), sigma about 4 levels.
pub fn noisy(mut img: RgbImage, seed: u64) -> RgbImage {
    let mut rng = StdRng::seed_from_u64(seed);
    for p in img.pixels_mut() {
        let n: i32 = (0..4).map(|_| rng.random_range(-7..=7)).sum::<i32>() / 2;
        for c in p.0.iter_mut() {
            *c = (*c as i32 + n).clamp(0, 255) as u8;
        }
    }
    img
}

/// A KTP-like card: a light card with dark blocky "text" lines and a photo box.
pub fn card(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| {
        let (fx, fy) = (x as f64 / w as f64, y as f64 / h as f64);
        let in_card = (0.05..0.95).contains(&fx) && (0.1..0.9).contains(&fy);
        if !in_card {
            return Rgb([60, 70, 80]);
        }
        let photo = (0.70..0.90).contains(&fx) && (0.25..0.70).contains(&fy);
        if photo {
            return Rgb([120, 90, 80]);
        }
        // Text lines: glyph-like strokes 3 px wide in rows 18 px tall.
        let row = (y as f64 - 0.15 * h as f64) as i64;
        let in_line = row >= 0 && row % 40 < 18 && fx < 0.65;
        let glyph = (x / 9) % 5 != 4 && ((x % 9) < 3 || (row % 40) % 8 < 3);
        if in_line && glyph {
            Rgb([25, 25, 35])
        } else {
            Rgb([225, 230, 240])
        }
    })
}
