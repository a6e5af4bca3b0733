//! The proof of application's QR payload, signed with ed25519 so an office
//! can verify it with the public key alone. The key survives restarts.

use crate::db::Db;
use crate::error::ApiError;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use mpaspor_domain::api::{ReceiptDetails, ReceiptKey};

pub struct ReceiptSigner {
    key: SigningKey,
    key_id: String,
}

const SEED_KEY: &str = "receipt_signing_seed";
pub const PAYLOAD_PREFIX: &str = "MPASPOR1";

impl ReceiptSigner {
    pub fn load_or_create(db: &Db) -> Result<ReceiptSigner, ApiError> {
        let seed = match db.meta(SEED_KEY)? {
            Some(text) => decode_hex32(&text).ok_or_else(ApiError::internal)?,
            None => {
                let mut seed = [0u8; 32];
                getrandom::fill(&mut seed).expect("the OS has randomness");
                db.set_meta(SEED_KEY, &hex::encode(seed))?;
                seed
            }
        };
        let key = SigningKey::from_bytes(&seed);
        let key_id = crate::ids::sha256_hex(key.verifying_key().as_bytes())[..16].to_owned();
        Ok(ReceiptSigner { key, key_id })
    }

    pub fn public(&self) -> ReceiptKey {
        ReceiptKey {
            algorithm: "ed25519".into(),
            key_id: self.key_id.clone(),
            public_key: URL_SAFE_NO_PAD.encode(self.key.verifying_key().as_bytes()),
        }
    }

    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// `MPASPOR1.<details as base64url JSON>.<signature of that middle part>`.
    pub fn sign(&self, details: &ReceiptDetails) -> String {
        let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(details).expect("details serialise"));
        let signed = format!("{PAYLOAD_PREFIX}.{body}");
        let signature = self.key.sign(signed.as_bytes());
        format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
    }
}

fn decode_hex32(text: &str) -> Option<[u8; 32]> {
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(text, &mut bytes).ok()?;
    Some(bytes)
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptInvalid {
    #[error("not an M-Paspor receipt")]
    Shape,
    #[error("the signature does not match")]
    Signature,
}

/// Checks a QR payload with the served public key alone, and reads its details.
pub fn verify(payload: &str, key: &ReceiptKey) -> Result<ReceiptDetails, ReceiptInvalid> {
    let (signed, signature) = payload.rsplit_once('.').ok_or(ReceiptInvalid::Shape)?;
    let body = signed
        .strip_prefix(&format!("{PAYLOAD_PREFIX}."))
        .ok_or(ReceiptInvalid::Shape)?;
    let public: [u8; 32] = URL_SAFE_NO_PAD
        .decode(&key.public_key)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(ReceiptInvalid::Shape)?;
    let public = VerifyingKey::from_bytes(&public).map_err(|_| ReceiptInvalid::Shape)?;
    let signature: [u8; 64] = URL_SAFE_NO_PAD
        .decode(signature)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(ReceiptInvalid::Signature)?;
    public
        .verify(signed.as_bytes(), &Signature::from_bytes(&signature))
        .map_err(|_| ReceiptInvalid::Signature)?;
    let json = URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| ReceiptInvalid::Shape)?;
    serde_json::from_slice(&json).map_err(|_| ReceiptInvalid::Shape)
}
