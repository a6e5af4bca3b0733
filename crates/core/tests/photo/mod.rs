//! The photo pipeline on generated pictures: a document card, a geometric
//! target and a scene, with camera-like noise; every EXIF orientation;
//! progressive and CMYK JPEGs (made with ImageMagick); truncated files and
//! decompression bombs.

use image::{Rgb, RgbImage};
use mpaspor_core::photo::{MIN_SHARPNESS, PhotoError, TARGET_BYTES, Verdict, prepare};
use mpaspor_domain::limits::FileKind;
use std::io::Cursor;

mod samples;
pub use samples::{card, jpeg, noisy};

/// A geometric target: a checkerboard and rings.
fn target(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| {
        let (cx, cy) = (x as f64 - w as f64 / 2.0, y as f64 - h as f64 / 2.0);
        let ring = (((cx * cx + cy * cy).sqrt() / 24.0) as u32).is_multiple_of(2);
        let check = (x / 32 + y / 32) % 2 == 0;
        if x < w / 2 {
            if check {
                Rgb([20, 20, 20])
            } else {
                Rgb([235, 235, 235])
            }
        } else if ring {
            Rgb([200, 40, 40])
        } else {
            Rgb([240, 240, 200])
        }
    })
}

/// A scene: a sky gradient, a hill, a house with windows and a fence.
fn scene(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| {
        let (fx, fy) = (x as f64 / w as f64, y as f64 / h as f64);
        let hill = fy > 0.6 + 0.1 * (fx * 6.0).sin();
        let house = (0.3..0.6).contains(&fx) && (0.35..0.75).contains(&fy);
        let window = house
            && ((fx * 40.0) as u32).is_multiple_of(3)
            && ((fy * 40.0) as u32).is_multiple_of(3);
        let fence = fy > 0.8 && (x / 14) % 2 == 0;
        if window {
            Rgb([250, 230, 120])
        } else if house {
            Rgb([150, 60, 40])
        } else if fence {
            Rgb([90, 60, 30])
        } else if hill {
            Rgb([40, 120, 50])
        } else {
            Rgb([(90.0 + 100.0 * fy) as u8, (150.0 + 60.0 * fy) as u8, 235])
        }
    })
}

fn blurred(img: &RgbImage) -> RgbImage {
    image::imageops::blur(img, 1.5)
}

#[test]
fn the_blur_check_tells_sharp_from_blurred_on_three_pictures() {
    let (w, h) = (1600, 1000);
    for (name, picture) in [
        ("card", card(w, h)),
        ("target", target(w, h)),
        ("scene", scene(w, h)),
    ] {
        let sharp = prepare(&jpeg(&noisy(picture.clone(), 1), 85)).unwrap();
        let blur = prepare(&jpeg(&noisy(blurred(&picture), 2), 85)).unwrap();
        let (s, b) = (sharp.measures.sharpness, blur.measures.sharpness);
        eprintln!(
            "{name}: sharp {s:.3}, blurred {b:.3}, fill {:.2}",
            sharp.measures.fill
        );
        // Not just on either side of the threshold: with room on both.
        assert!(
            s >= MIN_SHARPNESS + 0.04 && b <= MIN_SHARPNESS - 0.04,
            "{name}: sharp {s:.3}, blurred {b:.3}"
        );
        let is_blurred = |v: &[Verdict]| v.iter().any(|v| matches!(v, Verdict::Blurred { .. }));
        assert!(
            !is_blurred(&sharp.verdicts),
            "{name}: sharp flagged: {:?}",
            sharp.verdicts
        );
        assert!(
            is_blurred(&blur.verdicts),
            "{name}: blurred passed: {:?}",
            blur.verdicts
        );
    }
}

#[test]
fn a_twelve_megapixel_camera_photo_comes_out_small_and_within_the_limits() {
    let big = jpeg(&noisy(card(4032, 3024), 3), 92);
    assert!(
        big.len() > 2_000_000,
        "a camera-sized input: {} bytes",
        big.len()
    );
    let p = prepare(&big).unwrap();
    // Decoded at half scale in the DCT domain: no resample needed.
    assert_eq!((p.width, p.height), (2016, 1512));
    assert!(p.jpeg.len() <= TARGET_BYTES, "{} bytes", p.jpeg.len());
    assert_eq!(
        (p.source_width, p.source_height, p.source_kind),
        (4032, 3024, FileKind::Jpeg)
    );
    assert!(p.verdicts.is_empty(), "{:?}", p.verdicts);
    let back = image::load_from_memory(&p.jpeg).unwrap();
    assert_eq!((back.width(), back.height()), (p.width, p.height));
    // The preview is the same picture, small.
    let preview = image::load_from_memory(&p.thumbnail).unwrap();
    assert_eq!((preview.width(), preview.height()), (320, 240));
    assert!(p.thumbnail.len() < 40_000, "{} bytes", p.thumbnail.len());
}

/// A JPEG with an EXIF segment: the orientation tag and a description that must not survive.
fn with_exif(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let marker = b"GPS-SECRET-LOCATION\0";
    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"II*\0");
    tiff.extend_from_slice(&8u32.to_le_bytes());
    tiff.extend_from_slice(&2u16.to_le_bytes()); // two entries
    tiff.extend_from_slice(&0x010Eu16.to_le_bytes()); // ImageDescription, ASCII
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend_from_slice(&(marker.len() as u32).to_le_bytes());
    tiff.extend_from_slice(&(8 + 2 + 12 * 2 + 4u32).to_le_bytes());
    tiff.extend_from_slice(&0x0112u16.to_le_bytes()); // Orientation, SHORT
    tiff.extend_from_slice(&3u16.to_le_bytes());
    tiff.extend_from_slice(&1u32.to_le_bytes());
    tiff.extend_from_slice(&(orientation as u32).to_le_bytes());
    tiff.extend_from_slice(&0u32.to_le_bytes()); // no next IFD
    tiff.extend_from_slice(marker);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

#[test]
fn every_exif_orientation_comes_out_upright_and_the_metadata_is_gone() {
    // Upright, the picture is 300 wide and 200 tall with red in its top-left corner.
    let upright = RgbImage::from_fn(300, 200, |x, y| {
        if x < 150 && y < 100 {
            Rgb([230, 20, 20])
        } else {
            Rgb([20, 20, 230])
        }
    });
    let stored = |o: u16| -> RgbImage {
        use image::imageops::*;
        match o {
            1 => upright.clone(),
            2 => flip_horizontal(&upright),
            3 => rotate180(&upright),
            4 => flip_vertical(&upright),
            5 => rotate90(&flip_vertical(&upright)),
            6 => rotate270(&upright),
            7 => rotate270(&flip_vertical(&upright)),
            8 => rotate90(&upright),
            _ => unreachable!(),
        }
    };
    for o in 1..=8u16 {
        let file = with_exif(&jpeg(&stored(o), 95), o);
        let p = prepare(&file).unwrap();
        assert_eq!((p.width, p.height), (300, 200), "orientation {o}");
        let out = image::load_from_memory(&p.jpeg).unwrap().into_rgb8();
        let red = |x, y| out.get_pixel(x, y)[0] > 150;
        assert!(
            red(40, 40) && !red(260, 40) && !red(40, 160),
            "orientation {o}: red is not top-left"
        );
        assert!(
            !p.jpeg.windows(4).any(|w| w == b"Exif"),
            "orientation {o}: EXIF kept"
        );
        assert!(
            !p.jpeg.windows(10).any(|w| w == b"GPS-SECRET"),
            "orientation {o}: metadata kept"
        );
    }
}

fn magick(input: &[u8], args: &[&str]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let (src, dst) = (dir.path().join("in.jpg"), dir.path().join("out.jpg"));
    std::fs::write(&src, input).unwrap();
    let status = std::process::Command::new("convert")
        .arg(&src)
        .args(args)
        .arg(&dst)
        .status()
        .expect("ImageMagick's convert, installed by scripts/setup");
    assert!(status.success());
    std::fs::read(dst).unwrap()
}

#[test]
fn a_document_small_in_the_frame_is_told_apart_from_one_that_fills_it() {
    // The card at a quarter of the frame's width, on a smooth wooden table.
    let card = card(600, 380);
    let table = RgbImage::from_fn(1600, 1200, |x, y| {
        if (500..1100).contains(&x) && (410..790).contains(&y) {
            *card.get_pixel(x - 500, y - 410)
        } else {
            Rgb([150 + (y / 40 % 3) as u8, 110, 70])
        }
    });
    let far = prepare(&jpeg(&noisy(table, 6), 85)).unwrap();
    assert!(
        far.verdicts
            .iter()
            .any(|v| matches!(v, Verdict::NotFilling { .. })),
        "{:?} {:?}",
        far.verdicts,
        far.measures
    );
    for picture in [card_full(), target(1600, 1000), scene(1600, 1000)] {
        let near = prepare(&jpeg(&noisy(picture, 7), 85)).unwrap();
        assert!(
            !near
                .verdicts
                .iter()
                .any(|v| matches!(v, Verdict::NotFilling { .. })),
            "{:?} {:?}",
            near.verdicts,
            near.measures
        );
    }
}

fn card_full() -> RgbImage {
    card(1600, 1000)
}

#[test]
fn a_large_png_is_resized_to_the_target() {
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(card(3000, 2000))
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let p = prepare(&png).unwrap();
    assert_eq!(
        (p.width, p.height, p.source_kind),
        (2048, 1365, FileKind::Png)
    );
}

#[test]
fn progressive_and_cmyk_jpegs_decode() {
    let picture = jpeg(&noisy(card(1200, 800), 4), 90);
    let progressive = magick(&picture, &["-interlace", "JPEG"]);
    let p = prepare(&progressive).unwrap();
    assert_eq!((p.width, p.height), (1200, 800));
    assert!(p.verdicts.is_empty(), "{:?}", p.verdicts);
    let cmyk = magick(&picture, &["-colorspace", "CMYK"]);
    let p = prepare(&cmyk).unwrap();
    assert_eq!((p.width, p.height), (1200, 800));
    // The card's light background stays light: the CMYK inversion is right.
    let out = image::load_from_memory(&p.jpeg).unwrap().into_rgb8();
    let bg = out.get_pixel(200, 150);
    assert!(bg[0] > 180 && bg[1] > 180, "{bg:?}");
}

#[test]
fn what_is_not_a_photo_is_named_and_nothing_panics() {
    assert_eq!(
        prepare(b"hello, this is a text file").unwrap_err(),
        PhotoError::NotAPhoto(FileKind::Unknown)
    );
    assert_eq!(
        prepare(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic").unwrap_err(),
        PhotoError::NotAPhoto(FileKind::Heic)
    );
    assert_eq!(
        prepare(b"%PDF-1.7\n...").unwrap_err(),
        PhotoError::NotAPhoto(FileKind::Pdf)
    );
    assert!(
        prepare(b"\0\0\0\x18ftypheic")
            .unwrap_err()
            .to_string()
            .contains("HEIC")
    );
    assert_eq!(
        prepare(b"").unwrap_err(),
        PhotoError::NotAPhoto(FileKind::Unknown)
    );
    let good = jpeg(&card(800, 600), 85);
    for cut in [3, 100, good.len() / 2, good.len() - 2] {
        assert_eq!(
            prepare(&good[..cut]).unwrap_err(),
            PhotoError::Damaged,
            "cut at {cut}"
        );
    }
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(card(800, 600))
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    assert!(prepare(&png).is_ok());
    assert_eq!(
        prepare(&png[..png.len() / 2]).unwrap_err(),
        PhotoError::Damaged
    );
}

/// A PNG whose header claims `width` x `height`, with a correct CRC, and almost no data.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut png = Vec::new();
    image::DynamicImage::ImageLuma8(image::GrayImage::new(1, 1))
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png[16..20].copy_from_slice(&width.to_be_bytes());
    png[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32fast::hash(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

#[test]
fn decompression_bombs_are_refused_before_decoding() {
    assert_eq!(
        prepare(&png_claiming(30_000, 30_000)).unwrap_err(),
        PhotoError::TooLarge {
            width: 30_000,
            height: 30_000
        }
    );
    assert_eq!(
        prepare(&png_claiming(10_000, 9_000)).unwrap_err(),
        PhotoError::TooLarge {
            width: 10_000,
            height: 9_000
        }
    );
    // Within the limits but with no pixel data: damaged, and no 400 MB were spent.
    assert_eq!(
        prepare(&png_claiming(8_000, 8_000)).unwrap_err(),
        PhotoError::Damaged
    );
}

#[test]
fn small_dark_bright_and_flat_photos_get_their_own_verdicts() {
    let small = prepare(&jpeg(&card(500, 320), 90)).unwrap();
    assert!(
        small
            .verdicts
            .iter()
            .any(|v| matches!(v, Verdict::TooSmall { short_edge: 320 }))
    );
    let dark = card(1200, 800);
    let dark = RgbImage::from_fn(1200, 800, |x, y| {
        let p = dark.get_pixel(x, y);
        Rgb([p[0] / 6, p[1] / 6, p[2] / 6])
    });
    assert!(
        prepare(&jpeg(&dark, 90))
            .unwrap()
            .verdicts
            .iter()
            .any(|v| matches!(v, Verdict::TooDark { .. }))
    );
    let bright = RgbImage::from_fn(1200, 800, |x, _| {
        Rgb([245, 245, if x % 50 == 0 { 230 } else { 250 }])
    });
    let verdicts = prepare(&jpeg(&bright, 90)).unwrap().verdicts;
    assert!(
        verdicts
            .iter()
            .any(|v| matches!(v, Verdict::WashedOut { .. })),
        "{verdicts:?}"
    );
    assert!(
        verdicts
            .iter()
            .any(|v| matches!(v, Verdict::LowContrast { .. })),
        "{verdicts:?}"
    );
    assert_eq!(Verdict::Blurred { sharpness: 0.1 }.key(), "photo-blurred");
    // A white certificate filling the frame is bright but its print is dark: no verdict.
    let certificate = RgbImage::from_fn(1200, 1600, |x, y| {
        if (y / 30) % 3 == 0 && (x / 7) % 4 != 3 && (y % 30) < 12 && (100..1100).contains(&x) {
            Rgb([30, 30, 30])
        } else {
            Rgb([248, 248, 245])
        }
    });
    let verdicts = prepare(&jpeg(&certificate, 90)).unwrap().verdicts;
    assert!(verdicts.is_empty(), "{verdicts:?}");
}

/// Small print on a card photographed by a 12 MP camera, rendered by ImageMagick
/// (DejaVu Sans, 36 px: about 13 px tall once prepared), read back by tesseract.
#[test]
fn small_print_is_still_read_back_after_preparing() {
    let dir = tempfile::tempdir().unwrap();
    let (src, out) = (dir.path().join("card.jpg"), dir.path().join("prepared.jpg"));
    let status = std::process::Command::new("convert")
        .args([
            "-size",
            "4032x3024",
            "xc:#dfe6f0",
            "-fill",
            "#1a1a2a",
            "-font",
            "DejaVu-Sans",
            "-pointsize",
            "36",
        ])
        .args([
            "-annotate",
            "+200+400",
            "NIK : 3174011505900001",
            "-annotate",
            "+200+480",
            "Nama : BUDI SANTOSO",
        ])
        .args([
            "-annotate",
            "+200+560",
            "Alamat : JL TEBET RAYA NO 12 RT 004 RW 007",
            "-quality",
            "92",
        ])
        .arg(&src)
        .status()
        .expect("ImageMagick's convert, installed by scripts/setup");
    assert!(status.success());
    let camera = std::fs::read(&src).unwrap();
    let noisy_camera = jpeg(
        &noisy(image::load_from_memory(&camera).unwrap().into_rgb8(), 5),
        92,
    );
    let prepared = prepare(&noisy_camera).unwrap();
    assert_eq!(prepared.width, 2016);
    std::fs::write(&out, &prepared.jpeg).unwrap();
    let text = std::process::Command::new("tesseract")
        .arg(&out)
        .arg("-")
        .output()
        .expect("tesseract-ocr, installed by scripts/setup");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("3174011505900001"), "{text}");
    assert!(text.contains("BUDI SANTOSO"), "{text}");
    assert!(text.contains("RT 004 RW 007"), "{text}");
}
