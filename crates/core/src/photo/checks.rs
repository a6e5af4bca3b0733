//! Quality checks of a prepared photo, each with its own verdict so the app
//! can say what is wrong in the applicant's language. How the thresholds were
//! chosen is in `crates/core/README.md`.

use image::RgbImage;
use serde::{Deserialize, Serialize};

/// Shorter than this on the short edge, a KTP's small print cannot be read.
pub const MIN_SHORT_EDGE_PX: u32 = 600;
/// Mean luma (0-255) below which a photo is too dark.
pub const DARK_MEAN: f64 = 55.0;
/// Mean luma above which, with no dark ink left, it is washed out...
pub const BRIGHT_MEAN: f64 = 225.0;
/// ...where "no dark ink" is: even the darkest 0.1% is lighter than this.
/// (A white certificate filling the frame is bright, but its print is dark.)
pub const INK_LUMA: f64 = 110.0;
/// Spread between the 0.1st and 99.9th percentile of luma below which there is no contrast.
pub const MIN_SPREAD: f64 = 40.0;
/// Edge sharpness (steepest edges' slope per unit of contrast) below which a photo is blurred.
pub const MIN_SHARPNESS: f64 = 0.30;
/// Share of the frame the document's edges must span: below it the document
/// is a small thing in the middle of a table. A card's text block filling the
/// frame spans about 0.6, a scene 0.3, a card at a third of the width 0.09.
pub const MIN_FILL: f64 = 0.2;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    TooSmall { short_edge: u32 },
    TooDark { mean: f64 },
    WashedOut { mean: f64 },
    LowContrast { spread: f64 },
    Blurred { sharpness: f64 },
    NotFilling { fill: f64 },
}

impl Verdict {
    /// The translation key of the message the app shows.
    pub fn key(&self) -> &'static str {
        match self {
            Verdict::TooSmall { .. } => "photo-too-small",
            Verdict::TooDark { .. } => "photo-too-dark",
            Verdict::WashedOut { .. } => "photo-washed-out",
            Verdict::LowContrast { .. } => "photo-low-contrast",
            Verdict::Blurred { .. } => "photo-blurred",
            Verdict::NotFilling { .. } => "photo-not-filling",
        }
    }
}

fn luma(image: &RgbImage) -> Vec<u8> {
    image
        .pixels()
        .map(|p| ((77 * p[0] as u32 + 150 * p[1] as u32 + 29 * p[2] as u32) >> 8) as u8)
        .collect()
}

fn percentile(histogram: &[u64; 256], total: u64, p: f64) -> f64 {
    let target = (total as f64 * p) as u64;
    let mut seen = 0;
    for (value, count) in histogram.iter().enumerate() {
        seen += count;
        if seen > target {
            return value as f64;
        }
    }
    255.0
}

/// How steep the steepest edges are for the contrast there is: the mean
/// Sobel slope of the steepest 0.5% of pixels over the 0.1-99.9% luma spread.
/// A sharp edge climbs about half its height per pixel; a Gaussian blur of
/// sigma 1.5 px only about a quarter.
pub fn sharpness(gray: &[u8], width: usize, height: usize, spread: f64) -> f64 {
    if width < 3 || height < 3 || spread <= 0.0 {
        return 0.0;
    }
    let at = |x: usize, y: usize| gray[y * width + x] as i32;
    let mut slopes: Vec<u16> = Vec::with_capacity((width - 2) * (height - 2));
    for y in 1..height - 1 {
        for x in 1..width - 1 {
            let gx = at(x + 1, y - 1) + 2 * at(x + 1, y) + at(x + 1, y + 1)
                - at(x - 1, y - 1)
                - 2 * at(x - 1, y)
                - at(x - 1, y + 1);
            let gy = at(x - 1, y + 1) + 2 * at(x, y + 1) + at(x + 1, y + 1)
                - at(x - 1, y - 1)
                - 2 * at(x, y - 1)
                - at(x + 1, y - 1);
            // Sobel sums four differences two pixels apart: /8 is the slope per pixel.
            slopes.push((((gx * gx + gy * gy) as f64).sqrt() / 8.0) as u16);
        }
    }
    let top = (slopes.len() / 200).max(1);
    let cut = slopes.len() - top;
    slopes.select_nth_unstable(cut);
    let mean_top = slopes[cut..].iter().map(|&s| s as f64).sum::<f64>() / top as f64;
    mean_top / spread
}

/// How much of the frame the document spans, told cheaply: the box that
/// holds the middle 96% (by x and by y) of the pixels with a clear edge,
/// sampled every 4th pixel, as a share of the frame. Text, borders and photos
/// on a document are edges; a table or a wall around it mostly is not.
pub fn fill(gray: &[u8], width: usize, height: usize, spread: f64) -> f64 {
    if width < 9 || height < 9 || spread <= 0.0 {
        return 1.0;
    }
    let at = |x: usize, y: usize| gray[y * width + x] as i32;
    let strong = (spread * 0.25) as i32;
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for y in (4..height - 4).step_by(4) {
        for x in (4..width - 4).step_by(4) {
            let gx = (at(x + 2, y) - at(x - 2, y)).abs();
            let gy = (at(x, y + 2) - at(x, y - 2)).abs();
            if gx.max(gy) > strong {
                xs.push(x);
                ys.push(y);
            }
        }
    }
    if xs.len() < 16 {
        return 1.0;
    }
    xs.sort_unstable();
    ys.sort_unstable();
    let span = |v: &[usize], whole: usize| {
        let (lo, hi) = (v[v.len() / 50], v[v.len() - 1 - v.len() / 50]);
        (hi - lo) as f64 / whole as f64
    };
    span(&xs, width) * span(&ys, height)
}

/// What the checks measure, kept for the record (the `prepare-photo` command prints it).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Measures {
    pub mean: f64,
    /// Luma of the darkest 0.1%.
    pub darkest: f64,
    /// Luma spread between the 0.1st and 99.9th percentile.
    pub spread: f64,
    pub sharpness: f64,
    /// Share of the frame spanned by the box around its clear edges (0 to 1).
    pub fill: f64,
}

pub fn measure(image: &RgbImage) -> Measures {
    let gray = luma(image);
    let mut histogram = [0u64; 256];
    for &l in &gray {
        histogram[l as usize] += 1;
    }
    let total = gray.len().max(1) as u64;
    let mean = gray.iter().map(|&l| l as f64).sum::<f64>() / total as f64;
    let (darkest, lightest) = (
        percentile(&histogram, total, 0.001),
        percentile(&histogram, total, 0.999),
    );
    let spread = lightest - darkest;
    let sharpness = sharpness(
        &gray,
        image.width() as usize,
        image.height() as usize,
        spread,
    );
    let fill = fill(
        &gray,
        image.width() as usize,
        image.height() as usize,
        spread,
    );
    Measures {
        mean,
        darkest,
        spread,
        sharpness,
        fill,
    }
}

/// Every check of a prepared photo; `source_short_edge` is the original's.
pub fn assess(m: &Measures, source_short_edge: u32) -> Vec<Verdict> {
    let mut verdicts = Vec::new();
    if source_short_edge < MIN_SHORT_EDGE_PX {
        verdicts.push(Verdict::TooSmall {
            short_edge: source_short_edge,
        });
    }
    if m.mean < DARK_MEAN {
        verdicts.push(Verdict::TooDark { mean: m.mean });
    } else if m.mean > BRIGHT_MEAN && m.darkest > INK_LUMA {
        verdicts.push(Verdict::WashedOut { mean: m.mean });
    }
    if m.spread < MIN_SPREAD {
        verdicts.push(Verdict::LowContrast { spread: m.spread });
    } else if m.sharpness < MIN_SHARPNESS {
        verdicts.push(Verdict::Blurred {
            sharpness: m.sharpness,
        });
    }
    if m.spread >= MIN_SPREAD && m.fill < MIN_FILL {
        verdicts.push(Verdict::NotFilling { fill: m.fill });
    }
    verdicts
}
