//! Payment: the billing code's state, "I have paid" with the bank's NTPN,
//! and the signed proof of application.

use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use crate::idempotency;
use crate::model::applications::{documents, load, payment_of};
use crate::model::lifecycle::{mark_paid, sweep};
use crate::model::sessions::Caller;
use crate::reference::SlotRef;
use mpaspor_domain::proof::{ProofCheck, ProofCheckRequest, ProofClaim};

use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use mpaspor_domain::api::{
    ErrorBody, ErrorCode, Payment, PaymentConfirmRequest, Receipt, ReceiptDetails, ReceiptKey,
};
use mpaspor_domain::{ApplicationState, Ntpn, Service};
use rusqlite::OptionalExtension;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(payment))
        .routes(routes!(confirm_payment))
        .routes(routes!(receipt))
        .routes(routes!(receipt_key))
        .routes(routes!(verify_proof))
}

/// Billing code, amount, expiry (server time), paid or not, NTPN.
#[utoipa::path(get, path = "/v1/applications/{id}/payment", tag = "payments", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Payment), (status = 404, body = ErrorBody), (status = 409, description = "not submitted", body = ErrorBody)))]
async fn payment(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Payment>> {
    let now = state.clock.now();
    Ok(Json(state.db.write(|tx| {
        sweep(tx, now)?;
        payment_of(tx, &load(tx, &caller, &id)?)
    })?))
}

/// "I have paid": the NTPN from the bank receipt, checked against the treasury's record.
#[utoipa::path(post, path = "/v1/applications/{id}/payment/confirm", tag = "payments", request_body = PaymentConfirmRequest, security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = Payment), (status = 404, body = ErrorBody), (status = 409, description = "billing_expired", body = ErrorBody),
              (status = 422, description = "ntpn_not_found", body = ErrorBody)))]
async fn confirm_payment(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(req): Json<PaymentConfirmRequest>,
) -> ApiResult<Response> {
    let key = idempotency::key(&headers)?;
    let ntpn = Ntpn::parse(&req.ntpn).map_err(|e| ApiError::invalid("ntpn", e.to_string()))?;
    let now = state.clock.now();
    let route = format!("POST /v1/applications/{id}/payment/confirm");
    state.db.write(|tx| {
        sweep(tx, now)?;
        idempotency::once(
            tx,
            &caller.account_id,
            key.as_deref(),
            &route,
            &req,
            now,
            |tx| {
                let row = load(tx, &caller, &id)?;
                let code = row.billing_code.clone().ok_or_else(|| {
                    ApiError::conflict(ErrorCode::NotPaid, "the application has not been submitted")
                })?;
                let record: Option<(Option<String>, Option<i64>)> = tx
                    .prepare_cached("SELECT ntpn, paid_at FROM treasury WHERE billing_code = ?1")?
                    .query_row([&code], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?;
                let Some((Some(paid_ntpn), Some(paid_at))) =
                    record.filter(|(n, _)| n.as_deref() == Some(ntpn.as_str()))
                else {
                    return Err(ApiError::unprocessable(
                        ErrorCode::NtpnNotFound,
                        "the treasury has no payment with this NTPN for this billing code",
                    )
                    .field("ntpn"));
                };
                match row.state {
                    ApplicationState::AwaitingPayment => {
                        mark_paid(tx, &id, &paid_ntpn, paid_at, now)?
                    }
                    ApplicationState::Expired => {
                        return Err(ApiError::conflict(
                            ErrorCode::BillingExpired,
                            "the billing code expired before it was paid",
                        ));
                    }
                    _ => {}
                }
                Ok((StatusCode::OK, payment_of(tx, &load(tx, &caller, &id)?)?))
            },
        )
    })
}

/// The proof of application, with its QR payload signed by the receipt key.
#[utoipa::path(get, path = "/v1/applications/{id}/receipt", tag = "payments", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Receipt), (status = 404, body = ErrorBody), (status = 409, description = "not_paid", body = ErrorBody)))]
async fn receipt(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Receipt>> {
    let now = state.clock.now();
    let details = state.db.write(|tx| {
        sweep(tx, now)?;
        let row = load(tx, &caller, &id)?;
        use ApplicationState::*;
        if !matches!(
            row.state,
            Paid | Interviewed | Approved | Printed | ReadyForPickup
        ) {
            return Err(ApiError::conflict(
                ErrorCode::NotPaid,
                format!(
                    "a proof of application exists once paid; this one is {}",
                    row.state
                ),
            ));
        }
        let slot = row
            .slot_id
            .as_deref()
            .and_then(SlotRef::parse)
            .ok_or_else(ApiError::internal)?;
        let p = &row.draft.personal;
        let nik = p.nik.clone().unwrap_or_default();
        Ok(ReceiptDetails {
            application_id: row.id.clone().into(),
            applicant_name: p.full_name.clone().unwrap_or_default(),
            nik_last4: nik
                .chars()
                .rev()
                .take(4)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect(),
            office_id: slot.office.served.id.clone(),
            office_name: slot.office.served.name.clone(),
            office_address: format!(
                "{}, {}",
                slot.office.served.address, slot.office.served.city
            ),
            date: slot.date,
            window: slot.window,
            zone: slot.office.served.zone,
            service: row.draft.service.unwrap_or(Service::Reguler),
            passport_type: row
                .draft
                .passport_type
                .unwrap_or(mpaspor_domain::PassportType::Biasa),
            ntpn: row
                .ntpn
                .as_deref()
                .map(Ntpn::parse)
                .transpose()
                .map_err(|_| ApiError::internal())?
                .ok_or_else(ApiError::internal)?,
            originals: documents(tx, &row.id)?
                .into_iter()
                .map(|d| d.kind)
                .collect(),
            issued_at: now,
            slot_id: slot.id().into(),
            valid_until: slot.office.served.zone.instant(slot.date, slot.window.end),
        })
    })?;
    let claim = ProofClaim {
        application_id: details.application_id.clone(),
        slot_id: details.slot_id.clone(),
        valid_until: details.valid_until,
        issued_at: details.issued_at,
    };
    Ok(Json(Receipt {
        qr_payload: state.signer.sign(&claim),
        key_id: state.signer.key_id().to_owned(),
        details,
    }))
}

/// The public key that verifies receipts.
#[utoipa::path(get, path = "/v1/receipt-key", tag = "payments", responses((status = 200, body = ReceiptKey)))]
async fn receipt_key(State(state): State<AppState>) -> Json<ReceiptKey> {
    Json(state.signer.public())
}

/// For the office: what a scanned proof is worth now. `valid` only while
/// the application stands at the appointment the proof names and that
/// appointment is not over; `superseded` after a reschedule, `cancelled`,
/// `expired`, or `invalid` (not signed by this server). The answer carries
/// nothing personal: the office looks the applicant up by the application id.
#[utoipa::path(post, path = "/v1/proofs/verify", tag = "payments", request_body = ProofCheckRequest,
    responses((status = 200, body = ProofCheck), (status = 422, body = ErrorBody)))]
async fn verify_proof(
    State(state): State<AppState>,
    Json(req): Json<ProofCheckRequest>,
) -> ApiResult<Json<ProofCheck>> {
    if req.qr_payload.len() > 2048 {
        return Err(ApiError::invalid(
            "qr_payload",
            "a proof's payload is at most 2 048 characters",
        ));
    }
    let now = state.clock.now();
    let (verdict, claim, _) = state.db.write(|tx| {
        crate::model::proofs::judge(tx, &state.signer.public(), &req.qr_payload, now)
    })?;
    Ok(Json(ProofCheck { verdict, claim }))
}
