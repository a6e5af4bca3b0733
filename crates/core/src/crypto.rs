//! Personal data at rest: each value sealed on its own with XChaCha20-Poly1305
//! under the data key that lives in the OS keystore (see `secrets`).
//!
//! A sealed value is `nonce (24 bytes) || ciphertext || tag (16 bytes)`. The
//! associated data names where the value belongs (`table/row/field`), so a
//! sealed value copied into another row or field does not open.
//!
//! A digest (keyed BLAKE2s under a key derived from the data key) tells two
//! copies of a value apart without opening either: equal values in the same
//! place have equal digests, and without the key a digest says nothing of
//! the value.

use blake2::Blake2sMac256;
use blake2::digest::Mac;
use chacha20poly1305::aead::{Aead, Generate, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use std::sync::Arc;

const NONCE_LEN: usize = 24;
pub const KEY_LEN: usize = 32;

/// The key that seals personal data in the store. Cheap to clone.
#[derive(Clone)]
pub struct DataKey {
    cipher: Arc<XChaCha20Poly1305>,
    digest_key: [u8; KEY_LEN],
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(..)")
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    #[error("a data key must be {KEY_LEN} bytes")]
    BadKey,
    #[error("a sealed value did not open: wrong key, or the value was damaged or moved")]
    Unsealable,
}

impl DataKey {
    /// A new random key from the system's CSPRNG.
    pub fn generate() -> (DataKey, [u8; KEY_LEN]) {
        let key = Key::generate();
        let mut bytes = [0u8; KEY_LEN];
        bytes.copy_from_slice(key.as_slice());
        (DataKey::from_bytes(&bytes).expect("32 bytes"), bytes)
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<DataKey, CryptoError> {
        let key = Key::try_from(bytes).map_err(|_| CryptoError::BadKey)?;
        // Its own key for digests, so the cipher's key is used by the cipher only.
        let digest_key = keyed(bytes, b"mp-dkey", &[b""]);
        Ok(DataKey {
            cipher: Arc::new(XChaCha20Poly1305::new(&key)),
            digest_key,
        })
    }

    /// The keyed digest of `plain` in `place` (see the module's note).
    pub fn digest(&self, place: &str, plain: &[u8]) -> [u8; 32] {
        let len = (place.len() as u64).to_le_bytes();
        keyed(
            &self.digest_key,
            b"mp-value",
            &[&len, place.as_bytes(), plain],
        )
    }

    /// Seals `plain`, bound to `place` (e.g. `draft_fields/<draft>/<field>`).
    pub fn seal(&self, place: &str, plain: &[u8]) -> Vec<u8> {
        let nonce = XNonce::generate();
        let sealed = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plain,
                    aad: place.as_bytes(),
                },
            )
            .expect("XChaCha20-Poly1305 encryption does not fail for in-memory sizes");
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(nonce.as_slice());
        out.extend_from_slice(&sealed);
        out
    }

    pub fn open(&self, place: &str, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
        if sealed.len() < NONCE_LEN {
            return Err(CryptoError::Unsealable);
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        let nonce = XNonce::try_from(nonce).map_err(|_| CryptoError::Unsealable)?;
        self.cipher
            .decrypt(
                &nonce,
                Payload {
                    msg: body,
                    aad: place.as_bytes(),
                },
            )
            .map_err(|_| CryptoError::Unsealable)
    }
}

/// BLAKE2s-256 keyed with `key`, personalised with `persona`, over `parts` in turn.
fn keyed(key: &[u8], persona: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = Blake2sMac256::new_with_salt_and_personal(Some(key), b"", persona)
        .expect("a 32-byte key and a persona of at most 8 bytes");
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_opens_only_with_its_key_and_in_its_place() {
        let (key, bytes) = DataKey::generate();
        let sealed = key.seal("draft_fields/d1/personal.full_name", b"Budi Santoso");
        assert!(!sealed.windows(4).any(|w| w == b"Budi"));
        assert_eq!(
            key.open("draft_fields/d1/personal.full_name", &sealed)
                .unwrap(),
            b"Budi Santoso"
        );
        let again = DataKey::from_bytes(&bytes).unwrap();
        assert!(
            again
                .open("draft_fields/d1/personal.full_name", &sealed)
                .is_ok()
        );
        assert_eq!(
            key.open("draft_fields/d2/personal.full_name", &sealed),
            Err(CryptoError::Unsealable)
        );
        let (other, _) = DataKey::generate();
        assert_eq!(
            other.open("draft_fields/d1/personal.full_name", &sealed),
            Err(CryptoError::Unsealable)
        );
        let mut damaged = sealed.clone();
        damaged[30] ^= 1;
        assert!(
            key.open("draft_fields/d1/personal.full_name", &damaged)
                .is_err()
        );
        assert!(key.open("x", b"short").is_err());
        assert_eq!(
            DataKey::from_bytes(&[0; 31]).err(),
            Some(CryptoError::BadKey)
        );
    }

    #[test]
    fn the_same_value_seals_differently_each_time() {
        let (key, _) = DataKey::generate();
        assert_ne!(key.seal("p", b"same"), key.seal("p", b"same"));
    }

    #[test]
    fn a_digest_is_equal_for_equal_values_in_one_place_and_keyed() {
        let (key, bytes) = DataKey::generate();
        let d = key.digest("applications/a1/body", b"{\"state\":\"paid\"}");
        assert_eq!(
            d,
            DataKey::from_bytes(&bytes)
                .unwrap()
                .digest("applications/a1/body", b"{\"state\":\"paid\"}")
        );
        assert_ne!(
            d,
            key.digest("applications/a1/body", b"{\"state\":\"draft\"}")
        );
        assert_ne!(
            d,
            key.digest("applications/a2/body", b"{\"state\":\"paid\"}")
        );
        // The place's length is part of it: moving bytes between place and value changes it.
        assert_ne!(key.digest("ab", b"c"), key.digest("a", b"bc"));
        let (other, _) = DataKey::generate();
        assert_ne!(
            d,
            other.digest("applications/a1/body", b"{\"state\":\"paid\"}")
        );
    }
}
