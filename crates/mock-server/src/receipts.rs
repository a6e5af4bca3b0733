//! The proof of application's QR payload (a `ProofClaim`), signed with
//! ed25519 so an office can verify it with the public key alone
//! (`mpaspor_domain::proof::open`). The key survives restarts.

use crate::db::Db;
use crate::error::ApiError;
use crate::model::applications::{Row, load_any};
use crate::model::lifecycle::sweep;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signer, SigningKey};
use mpaspor_domain::api::ReceiptKey;
use mpaspor_domain::proof::{ProofClaim, ProofVerdict, signed_part};

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

/// What a scanned proof is worth now, with its claim and the application
/// it names when both are known: `valid` only while the application stands
/// at the appointment the proof names and that appointment is not over;
/// `superseded` after a reschedule, `cancelled`, `expired`, or `invalid`
/// (not signed by this server, or naming no application).
pub fn judge(
    tx: &rusqlite::Connection,
    signer: &ReceiptSigner,
    payload: &str,
    now: jiff::Timestamp,
) -> crate::error::ApiResult<(ProofVerdict, Option<ProofClaim>, Option<Row>)> {
    use mpaspor_domain::ApplicationState::*;
    let Ok(claim) = mpaspor_domain::proof::open(payload, &signer.public()) else {
        return Ok((ProofVerdict::Invalid, None, None));
    };
    sweep(tx, now)?;
    let row = match load_any(tx, &claim.application_id) {
        Ok(row) => row,
        Err(e) if e.status == axum::http::StatusCode::NOT_FOUND => {
            return Ok((ProofVerdict::Invalid, Some(claim), None));
        }
        Err(e) => return Err(e),
    };
    let verdict = if row.state == Cancelled {
        ProofVerdict::Cancelled
    } else if row.slot_id.as_deref() != Some(claim.slot_id.as_str()) {
        ProofVerdict::Superseded
    } else if !matches!(
        row.state,
        Paid | Interviewed | Approved | Printed | ReadyForPickup
    ) || now > claim.valid_until
    {
        ProofVerdict::Expired
    } else {
        ProofVerdict::Valid
    };
    Ok((verdict, Some(claim), Some(row)))
}
