//! Ids, tokens and hashes: what several layers make or compare.

use base64::Engine;
use sha2::{Digest, Sha256};

/// Random bytes, base64url: tokens, ids.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the OS has randomness");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// A short id with a prefix saying what it names: `ap_...`, `app_...`.
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", random_token(9))
}

pub fn sha256_hex(data: &[u8]) -> String {
    // One pass into one buffer: a format! per byte was most of a token check.
    hex::encode(Sha256::digest(data))
}
