//! The proof of application's QR payload (a `ProofClaim`), signed with
//! ed25519 so an office can verify it with the public key alone
//! (`mpaspor_domain::proof::open`). The key survives restarts.

use crate::db::Db;
use crate::error::ApiError;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signer, SigningKey};
use mpaspor_domain::api::ReceiptKey;
use mpaspor_domain::proof::{ProofClaim, signed_part};

pub struct ReceiptSigner {
    key: SigningKey,
    key_id: String,
}

const SEED_KEY: &str = "receipt_signing_seed";

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

    /// `MPASPOR1.<the claim as base64url JSON>.<signature of that much>`.
    pub fn sign(&self, claim: &ProofClaim) -> String {
        let signed = signed_part(claim);
        let signature = self.key.sign(signed.as_bytes());
        format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
    }
}

fn decode_hex32(text: &str) -> Option<[u8; 32]> {
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(text, &mut bytes).ok()?;
    Some(bytes)
}
