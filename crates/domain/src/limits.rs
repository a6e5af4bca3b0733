//! Upload limits shared by the mock and the photo pipeline, and what a file
//! really is, told from its first bytes (never from its name).

use serde::{Deserialize, Serialize};

/// At most 1 MiB as uploaded.
pub const MAX_DOCUMENT_BYTES: usize = 1024 * 1024;
/// At most 4000 pixels on the long edge.
pub const MAX_LONG_EDGE_PX: u32 = 4000;

/// What a file's magic bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Jpeg,
    Png,
    Heic,
    Pdf,
    Gif,
    Webp,
    Tiff,
    Bmp,
    Unknown,
}

impl FileKind {
    pub fn sniff(bytes: &[u8]) -> FileKind {
        match bytes {
            [0xFF, 0xD8, 0xFF, ..] => FileKind::Jpeg,
            [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => FileKind::Png,
            [_, _, _, _, b'f', b't', b'y', b'p', brand @ ..]
                if brand.len() >= 4
                    && matches!(
                        &brand[..4],
                        b"heic"
                            | b"heix"
                            | b"hevc"
                            | b"heim"
                            | b"heis"
                            | b"mif1"
                            | b"msf1"
                            | b"avif"
                    ) =>
            {
                FileKind::Heic
            }
            [b'%', b'P', b'D', b'F', ..] => FileKind::Pdf,
            [b'G', b'I', b'F', b'8', ..] => FileKind::Gif,
            [
                b'R',
                b'I',
                b'F',
                b'F',
                _,
                _,
                _,
                _,
                b'W',
                b'E',
                b'B',
                b'P',
                ..,
            ] => FileKind::Webp,
            [b'I', b'I', 0x2A, 0x00, ..] | [b'M', b'M', 0x00, 0x2A, ..] => FileKind::Tiff,
            [b'B', b'M', ..] => FileKind::Bmp,
            _ => FileKind::Unknown,
        }
    }

    /// Only JPEG and PNG are accepted as document images.
    pub fn is_accepted(self) -> bool {
        matches!(self, FileKind::Jpeg | FileKind::Png)
    }

    /// What the file is, in words an applicant understands ("a HEIC/HEIF image").
    pub fn describe(self) -> &'static str {
        match self {
            FileKind::Jpeg => "a JPEG image",
            FileKind::Png => "a PNG image",
            FileKind::Heic => "a HEIC/HEIF image",
            FileKind::Pdf => "a PDF document",
            FileKind::Gif => "a GIF image",
            FileKind::Webp => "a WebP image",
            FileKind::Tiff => "a TIFF image",
            FileKind::Bmp => "a BMP image",
            FileKind::Unknown => "not an image",
        }
    }

    pub fn media_type(self) -> Option<&'static str> {
        match self {
            FileKind::Jpeg => Some("image/jpeg"),
            FileKind::Png => Some("image/png"),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_files_by_their_bytes() {
        assert_eq!(
            FileKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            FileKind::Jpeg
        );
        assert_eq!(
            FileKind::sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            FileKind::Png
        );
        assert_eq!(
            FileKind::sniff(b"\0\0\0\x18ftypheic\0\0\0\0"),
            FileKind::Heic
        );
        assert_eq!(
            FileKind::sniff(b"\0\0\0\x18ftypmif1\0\0\0\0"),
            FileKind::Heic
        );
        assert_eq!(
            FileKind::sniff(b"\0\0\0\x18ftypisom\0\0\0\0"),
            FileKind::Unknown
        );
        assert_eq!(FileKind::sniff(b"%PDF-1.7"), FileKind::Pdf);
        assert_eq!(FileKind::sniff(b"GIF89a"), FileKind::Gif);
        assert_eq!(FileKind::sniff(b"RIFF\0\0\0\0WEBPVP8 "), FileKind::Webp);
        assert_eq!(FileKind::sniff(b"hello, this is text"), FileKind::Unknown);
        assert_eq!(FileKind::sniff(b""), FileKind::Unknown);
        assert_eq!(FileKind::sniff(&[0xFF]), FileKind::Unknown);
    }

    #[test]
    fn only_jpeg_and_png_are_accepted() {
        assert!(FileKind::Jpeg.is_accepted() && FileKind::Png.is_accepted());
        assert!(!FileKind::Heic.is_accepted() && !FileKind::Pdf.is_accepted());
        assert_eq!(FileKind::Jpeg.media_type(), Some("image/jpeg"));
        assert_eq!(MAX_DOCUMENT_BYTES, 1_048_576);
    }
}
