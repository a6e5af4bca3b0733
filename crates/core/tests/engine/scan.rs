//! The byte scan for plain text at rest: every marker, in UTF-8, UTF-16LE
//! and UTF-16BE, in every file given. The engine's plain-text test and the
//! end-to-end journey (`tests/e2e`, which includes this file by path) use it.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

fn utf16(s: &str, big_endian: bool) -> Vec<u8> {
    s.encode_utf16()
        .flat_map(|u| {
            if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            }
        })
        .collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Files under `dir` (to `depth` folders down) changed since `since`, below 64 MiB.
pub fn files_under(dir: &Path, since: SystemTime, out: &mut Vec<PathBuf>, depth: u32) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_dir() && depth > 0 {
            files_under(&entry.path(), since, out, depth - 1);
        } else if meta.is_file()
            && meta.len() < 64 << 20
            && meta.modified().is_ok_and(|m| m >= since)
        {
            out.push(entry.path());
        }
    }
}

/// Byte markers for a prepared photo and its preview: a stretch from the
/// middle of each (entropy-coded, so found nowhere by chance).
pub fn photo_markers(
    name: &str,
    photo: &mpaspor_core::photo::PreparedPhoto,
) -> Vec<(String, Vec<u8>)> {
    [("photo", &photo.jpeg), ("preview", &photo.thumbnail)]
        .into_iter()
        .map(|(what, bytes)| {
            let middle = bytes.len() / 2;
            (
                format!("{name} {what}"),
                bytes[middle..middle + 48].to_vec(),
            )
        })
        .collect()
}

/// Each text marker in each of its three encodings, and each byte marker as
/// it is: what was found where, empty when nothing was.
pub fn found(files: &[PathBuf], texts: &[String], bytes: &[(String, Vec<u8>)]) -> Vec<String> {
    let mut needles: Vec<(String, Vec<u8>)> = Vec::new();
    for text in texts {
        needles.push((format!("{text:?} in UTF-8"), text.as_bytes().to_vec()));
        needles.push((format!("{text:?} in UTF-16LE"), utf16(text, false)));
        needles.push((format!("{text:?} in UTF-16BE"), utf16(text, true)));
    }
    needles.extend(bytes.iter().cloned());
    let mut hits = Vec::new();
    for file in files {
        let Ok(hay) = std::fs::read(file) else {
            continue;
        };
        for (what, needle) in &needles {
            if contains(&hay, needle) {
                hits.push(format!("{what} in {}", file.display()));
            }
        }
    }
    hits
}
