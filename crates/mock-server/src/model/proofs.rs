//! A proof of application as an office judges it: what the signed claim
//! is worth now against the application it names.

use crate::error::ApiResult;
use crate::model::applications::{Row, load_any};
use crate::model::lifecycle::sweep;
use mpaspor_domain::api::ReceiptKey;
use mpaspor_domain::proof::{ProofClaim, ProofVerdict};

/// What a scanned proof is worth now, with its claim and the application
/// it names when both are known: `valid` only while the application stands
/// at the appointment the proof names and that appointment is not over;
/// `superseded` after a reschedule, `cancelled`, `expired`, or `invalid`
/// (not signed by this server, or naming no application).
pub fn judge(
    tx: &rusqlite::Connection,
    key: &ReceiptKey,
    payload: &str,
    now: jiff::Timestamp,
) -> ApiResult<(ProofVerdict, Option<ProofClaim>, Option<Row>)> {
    use mpaspor_domain::ApplicationState::*;
    let Ok(claim) = mpaspor_domain::proof::open(payload, key) else {
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
