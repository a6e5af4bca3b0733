//! The photo pipeline on any bytes: never panics, never runs away with
//! memory (decompression bombs are refused before decoding), and what it
//! keeps is a JPEG within the size the upload takes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mpaspor_core::photo::{TARGET_LONG_EDGE_PX, prepare};
use mpaspor_domain::limits::MAX_DOCUMENT_BYTES;

fuzz_target!(|data: &[u8]| {
    let Ok(photo) = prepare(data) else {
        return;
    };
    assert!(photo.jpeg.starts_with(&[0xff, 0xd8]), "a JPEG");
    assert!(photo.jpeg.len() <= MAX_DOCUMENT_BYTES);
    assert!(photo.width.max(photo.height) <= TARGET_LONG_EDGE_PX);
    assert!(!photo.thumbnail.is_empty());
});
