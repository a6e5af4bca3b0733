//! The proof of application's QR code: a claim signed with the server's
//! Ed25519 key, `MPASPOR1.<base64url of the claim's JSON>.<base64url of the
//! signature>`. It names the application and the appointment it is for and
//! until when; nothing personal (an office looks the rest up). Anyone holding
//! the published key checks the signature: the app before it shows a proof,
//! the office's scanner before it asks whether the proof still stands.

use crate::api::ReceiptKey;
use crate::ids::{ApplicationId, SlotId};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

pub const PAYLOAD_PREFIX: &str = "MPASPOR1";

/// What the QR code carries, signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProofClaim {
    pub application_id: ApplicationId,
    /// The appointment it is for: a reschedule makes another proof.
    pub slot_id: SlotId,
    /// The end of that appointment's window: no use after it.
    pub valid_until: Timestamp,
    pub issued_at: Timestamp,
}

crate::choice::wire_enum! {
    /// What a proof is worth now, as the office's check answers.
    ProofVerdict {
        Valid = "valid",
        /// The application was rescheduled: a newer proof stands instead.
        Superseded = "superseded",
        Cancelled = "cancelled",
        /// Its appointment is over, or the application no longer stands.
        Expired = "expired",
        /// Not signed by the server's key, or not a proof at all.
        Invalid = "invalid",
    }
}

/// `POST /v1/proofs/verify`: a scanned QR code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProofCheckRequest {
    #[cfg_attr(feature = "openapi", schema(max_length = 2048))]
    pub qr_payload: String,
}

/// The office's answer: the verdict, and the signed claim when it was one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProofCheck {
    pub verdict: ProofVerdict,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim: Option<ProofClaim>,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProofInvalid {
    #[error("not an M-Paspor proof")]
    Shape,
    #[error("the signature does not match")]
    Signature,
}

/// The payload's signed part (what the signature covers) for `claim`.
pub fn signed_part(claim: &ProofClaim) -> String {
    let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claim).expect("a claim serialises"));
    format!("{PAYLOAD_PREFIX}.{body}")
}

/// Checks a QR payload with the published key alone, and reads its claim.
pub fn open(payload: &str, key: &ReceiptKey) -> Result<ProofClaim, ProofInvalid> {
    let (signed, signature) = payload.rsplit_once('.').ok_or(ProofInvalid::Shape)?;
    let body = signed
        .strip_prefix(PAYLOAD_PREFIX)
        .and_then(|rest| rest.strip_prefix('.'))
        .ok_or(ProofInvalid::Shape)?;
    let public: [u8; 32] = URL_SAFE_NO_PAD
        .decode(&key.public_key)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(ProofInvalid::Shape)?;
    let public = VerifyingKey::from_bytes(&public).map_err(|_| ProofInvalid::Shape)?;
    let signature: [u8; 64] = URL_SAFE_NO_PAD
        .decode(signature)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(ProofInvalid::Signature)?;
    public
        .verify(signed.as_bytes(), &Signature::from_bytes(&signature))
        .map_err(|_| ProofInvalid::Signature)?;
    let json = URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| ProofInvalid::Shape)?;
    serde_json::from_slice(&json).map_err(|_| ProofInvalid::Shape)
}

/// Checks a proof as the server sent it: signed with `key`, and its claim
/// is the application and appointment its details show.
pub fn check_receipt(
    receipt: &crate::api::Receipt,
    key: &ReceiptKey,
) -> Result<ProofClaim, ProofInvalid> {
    let claim = open(&receipt.qr_payload, key)?;
    let d = &receipt.details;
    if claim.application_id == d.application_id && claim.slot_id == d.slot_id {
        Ok(claim)
    } else {
        Err(ProofInvalid::Shape)
    }
}
