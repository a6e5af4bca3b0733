//! Document photos: whatever the camera or gallery gives becomes a small,
//! upright, legible JPEG with no metadata, and the applicant hears at once
//! what is wrong with it.
//!
//! JPEGs are decoded with DCT-domain downscaling (`jpeg-decoder`'s `scale`,
//! 1/2 to 1/8 while decoding), so a 12 MP camera photo never exists in memory
//! at full size; the rest is resized with `fast_image_resize`.

mod checks;

pub use checks::{MIN_SHARPNESS, Measures, Verdict, assess, measure};

use fast_image_resize as fr;
use image::metadata::Orientation;
use image::{DynamicImage, RgbImage};
use mpaspor_domain::limits::{FileKind, MAX_DOCUMENT_BYTES, MAX_LONG_EDGE_PX};
use std::io::Cursor;

/// The long edge of a prepared document photo is at most this; a KTP-sized
/// card keeps its smallest print several pixels tall (see `crates/core/README.md`).
pub const TARGET_LONG_EDGE_PX: u32 = 2048;
/// ...and at least this, when the source is larger: the JPEG decoder's DCT
/// scale (1/2, 1/4, 1/8) may land anywhere in between, which spares a resample
/// (a 4032 px camera photo decodes straight to 2016 px).
pub const MIN_LONG_EDGE_PX: u32 = 1600;
/// What a prepared photo aims to weigh at most; the upload limit is 1 MiB.
pub const TARGET_BYTES: usize = 600 * 1024;
/// Larger pictures are refused before any pixel is decoded (decompression bombs).
pub const MAX_SOURCE_PIXELS: u64 = 80_000_000;
pub const MAX_SOURCE_EDGE_PX: u32 = 20_000;
/// JPEG qualities tried in turn until the photo fits `TARGET_BYTES`.
const QUALITIES: [u8; 4] = [85, 78, 70, 60];
/// The preview the app shows of a kept picture (the full one leaves the phone once uploaded).
pub const THUMBNAIL_LONG_EDGE_PX: u32 = 320;
const THUMBNAIL_QUALITY: u8 = 70;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("this file is {}, not a photo; use a JPEG or PNG", .0.describe())]
    NotAPhoto(FileKind),
    #[error("the photo is damaged or cut short")]
    Damaged,
    #[error("the picture is too large to open ({width}x{height} pixels)")]
    TooLarge { width: u32, height: u32 },
    #[error("the photo cannot be made smaller than 1 MB")]
    CannotFit,
}

impl PhotoError {
    /// The translation key of the message the app shows.
    pub fn key(&self) -> &'static str {
        match self {
            PhotoError::NotAPhoto(FileKind::Heic) => "photo-error-heic",
            PhotoError::NotAPhoto(FileKind::Pdf) => "photo-error-pdf",
            PhotoError::NotAPhoto(_) => "photo-error-not-a-photo",
            PhotoError::Damaged => "photo-error-damaged",
            PhotoError::TooLarge { .. } => "photo-error-too-large",
            PhotoError::CannotFit => "photo-error-cannot-fit",
        }
    }
}

/// A photo ready to upload.
#[derive(Debug, Clone)]
pub struct PreparedPhoto {
    /// Baseline JPEG, no EXIF, no other metadata.
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub quality: u8,
    pub source_kind: FileKind,
    pub source_width: u32,
    pub source_height: u32,
    pub source_bytes: usize,
    pub measures: Measures,
    /// What is wrong with it, if anything; an empty list is a good photo.
    pub verdicts: Vec<Verdict>,
    /// A small JPEG of the same picture for the preview (`THUMBNAIL_LONG_EDGE_PX`).
    pub thumbnail: Vec<u8>,
}

/// Decodes, turns upright, shrinks, checks and re-encodes a photo.
pub fn prepare(input: &[u8]) -> Result<PreparedPhoto, PhotoError> {
    let kind = FileKind::sniff(input);
    let (image, orientation, (source_width, source_height)) = match kind {
        FileKind::Jpeg => decode_jpeg(input)?,
        FileKind::Png => decode_png(input)?,
        other => return Err(PhotoError::NotAPhoto(other)),
    };
    let mut image = DynamicImage::ImageRgb8(shrink(image, TARGET_LONG_EDGE_PX));
    image.apply_orientation(orientation);
    let image = image.into_rgb8();
    // The checks and the thumbnail on a second thread while the full JPEG is
    // encoded: a phone has the cores, and the applicant waits on the wall time.
    let ((measures, verdicts, thumbnail), encoded) = std::thread::scope(|scope| {
        let side = scope.spawn(|| {
            let measures = measure(&image);
            let verdicts = assess(&measures, source_width.min(source_height));
            let thumbnail = encode_at(
                &shrink(image.clone(), THUMBNAIL_LONG_EDGE_PX),
                THUMBNAIL_QUALITY,
            );
            (measures, verdicts, thumbnail)
        });
        let encoded = encode(&image);
        let side = side
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (side, encoded)
    });
    let (jpeg, quality) = encoded?;
    let thumbnail = thumbnail?;
    Ok(PreparedPhoto {
        thumbnail,
        width: image.width(),
        height: image.height(),
        jpeg,
        quality,
        source_kind: kind,
        source_width,
        source_height,
        source_bytes: input.len(),
        measures,
        verdicts,
    })
}

fn refuse_huge(width: u32, height: u32) -> Result<(), PhotoError> {
    if width.max(height) > MAX_SOURCE_EDGE_PX || width as u64 * height as u64 > MAX_SOURCE_PIXELS {
        return Err(PhotoError::TooLarge { width, height });
    }
    Ok(())
}

type Decoded = (RgbImage, Orientation, (u32, u32));

fn decode_jpeg(input: &[u8]) -> Result<Decoded, PhotoError> {
    // A file cut short in transfer may still decode, as grey: it must end with EOI.
    if !input.ends_with(&[0xFF, 0xD9]) {
        return Err(PhotoError::Damaged);
    }
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(input));
    decoder.read_info().map_err(|_| PhotoError::Damaged)?;
    let info = decoder.info().ok_or(PhotoError::Damaged)?;
    let (width, height) = (info.width as u32, info.height as u32);
    refuse_huge(width, height)?;
    let orientation = decoder
        .exif_data()
        .and_then(Orientation::from_exif_chunk)
        .unwrap_or(Orientation::NoTransforms);
    if width.max(height) > TARGET_LONG_EDGE_PX {
        // The decoder picks the smallest DCT scale that still covers the request.
        let scale = MIN_LONG_EDGE_PX as f64 / width.max(height) as f64;
        let req = |edge: u32| ((edge as f64 * scale).ceil() as u16).max(1);
        decoder
            .scale(req(width), req(height))
            .map_err(|_| PhotoError::Damaged)?;
    }
    let pixels = decoder.decode().map_err(|_| PhotoError::Damaged)?;
    let info = decoder.info().ok_or(PhotoError::Damaged)?;
    let (w, h) = (info.width as u32, info.height as u32);
    let rgb: Vec<u8> = match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => pixels,
        jpeg_decoder::PixelFormat::L8 => pixels.iter().flat_map(|&l| [l, l, l]).collect(),
        jpeg_decoder::PixelFormat::L16 => pixels
            .chunks_exact(2)
            .flat_map(|p| [p[0], p[0], p[0]])
            .collect(),
        jpeg_decoder::PixelFormat::CMYK32 => pixels
            .chunks_exact(4)
            .flat_map(|p| {
                let k = 255 - p[3] as u32;
                let ch = |c: u8| ((255 - c as u32) * k / 255) as u8;
                [ch(p[0]), ch(p[1]), ch(p[2])]
            })
            .collect(),
    };
    let image = RgbImage::from_raw(w, h, rgb).ok_or(PhotoError::Damaged)?;
    Ok((image, orientation, (width, height)))
}

fn decode_png(input: &[u8]) -> Result<Decoded, PhotoError> {
    // The header alone first: a bomb is refused before any pixel is inflated.
    let header = image::ImageReader::with_format(Cursor::new(input), image::ImageFormat::Png);
    let (width, height) = header.into_dimensions().map_err(|_| PhotoError::Damaged)?;
    refuse_huge(width, height)?;
    let mut reader = image::ImageReader::with_format(Cursor::new(input), image::ImageFormat::Png);
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_SOURCE_PIXELS * 4);
    reader.limits(limits);
    let decoded = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => PhotoError::TooLarge { width, height },
        _ => PhotoError::Damaged,
    })?;
    Ok((
        decoded.into_rgb8(),
        Orientation::NoTransforms,
        (width, height),
    ))
}

/// Scales so the long edge is at most `long_edge` (never up).
fn shrink(image: RgbImage, long_edge: u32) -> RgbImage {
    let (w, h) = image.dimensions();
    if w.max(h) <= long_edge {
        return image;
    }
    let scale = long_edge as f64 / w.max(h) as f64;
    let (nw, nh) = (
        ((w as f64 * scale).round() as u32).max(1),
        ((h as f64 * scale).round() as u32).max(1),
    );
    let src = fr::images::Image::from_vec_u8(w, h, image.into_raw(), fr::PixelType::U8x3)
        .expect("an RGB buffer of its own size");
    let mut dst = fr::images::Image::new(nw, nh, fr::PixelType::U8x3);
    let options =
        fr::ResizeOptions::new().resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::CatmullRom));
    fr::Resizer::new()
        .resize(&src, &mut dst, &options)
        .expect("same pixel type on both sides");
    RgbImage::from_raw(nw, nh, dst.into_vec()).expect("the resizer's own size")
}

/// A bare JFIF (jpeg-encoder, with its SIMD paths): no EXIF, nothing else.
fn encode_at(image: &RgbImage, quality: u8) -> Result<Vec<u8>, PhotoError> {
    let mut out = Vec::with_capacity(TARGET_BYTES);
    jpeg_encoder::Encoder::new(&mut out, quality)
        .encode(
            image.as_raw(),
            image.width() as u16,
            image.height() as u16,
            jpeg_encoder::ColorType::Rgb,
        )
        .map_err(|_| PhotoError::CannotFit)?;
    Ok(out)
}

fn encode(image: &RgbImage) -> Result<(Vec<u8>, u8), PhotoError> {
    let mut smallest = None;
    for quality in QUALITIES {
        let out = encode_at(image, quality)?;
        if out.len() <= TARGET_BYTES {
            return Ok((out, quality));
        }
        smallest = Some((out, quality));
    }
    match smallest {
        Some((out, q))
            if out.len() <= MAX_DOCUMENT_BYTES && MAX_LONG_EDGE_PX >= TARGET_LONG_EDGE_PX =>
        {
            Ok((out, q))
        }
        _ => Err(PhotoError::CannotFit),
    }
}
