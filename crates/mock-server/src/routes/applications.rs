//! Applications: drafts (If-Match), document uploads, submit (holds a place
//! and issues the billing code), payment, reschedule, cancel and the receipt.

use crate::clock::secs;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query, if_match};
use crate::idempotency;
use crate::ids::new_id;
use crate::model::applications::{documents, load, new_billing_code, payment_of, to_api};
use crate::model::bookings::{BOOKING_HORIZON_DAYS, book, first_bookable, release_place};
use crate::model::identity::check_identity;
use crate::model::lifecycle::{append_timeline, mark_paid, sweep, transition};
use crate::model::people::owned;
use crate::model::sessions::Caller;
use crate::reference::{self, SlotRef};

use crate::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use jiff::Span;
use mpaspor_domain::api::{
    Application, ApplicationDraft, CancelRequest, DocumentInfo, ErrorBody, ErrorCode,
    NikCheckRequest, Page, PageQuery, Payment, PaymentConfirmRequest, Receipt, ReceiptDetails,
    ReceiptKey, RescheduleRequest, SubmitRequest, SubmitResponse,
};
use mpaspor_domain::draft::{Lack, lacks};
use mpaspor_domain::eligibility::applicant_kind;
use mpaspor_domain::fees::FeeChoice;
use mpaspor_domain::limits::{FileKind, MAX_DOCUMENT_BYTES, MAX_LONG_EDGE_PX};
use mpaspor_domain::schedule::{check_reschedule, payment_deadline};
use mpaspor_domain::{ApplicationState, DocumentKind, Nik, Ntpn, Service, Transition};
use rusqlite::{OptionalExtension, params};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, update))
        .routes(routes!(upload_document))
        .routes(routes!(submit))
        .routes(routes!(payment))
        .routes(routes!(confirm_payment))
        .routes(routes!(reschedule))
        .routes(routes!(cancel))
        .routes(routes!(receipt))
        .routes(routes!(receipt_key))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    applicant_id: Option<String>,
}

/// The account's applications, newest first.
#[utoipa::path(get, path = "/v1/applications", tag = "applications", params(ListQuery, PageQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<Application>), (status = 401, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ListQuery>,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<Page<Application>>> {
    let now = state.clock.now();
    let all = state.db.write(|tx| {
        sweep(tx, now)?;
        let ids: Vec<String> = {
            let mut s = tx.prepare_cached("SELECT id FROM applications WHERE account_id = ?1 AND (?2 IS NULL OR applicant_id = ?2) ORDER BY created_at DESC, id")?;
            s.query_map(params![caller.account_id, q.applicant_id], |r| r.get(0))?.collect::<Result<_, _>>()?
        };
        let page_ids = Page::of(ids, page);
        let items = page_ids.items.iter().map(|id| to_api(tx, &load(tx, &caller, id)?)).collect::<ApiResult<Vec<_>>>()?;
        Ok(Page { items, total: page_ids.total, next_offset: page_ids.next_offset })
    })?;
    Ok(Json(all))
}

/// Create a server draft from the local one.
#[utoipa::path(post, path = "/v1/applications", tag = "applications", request_body = ApplicationDraft, security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = Application), (status = 404, description = "no such applicant", body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Json(draft): Json<ApplicationDraft>,
) -> ApiResult<Response> {
    let key = idempotency::key(&headers)?;
    let now = state.clock.now();
    state.db.write(|tx| {
        idempotency::once(tx, &caller.account_id, key.as_deref(), "POST /v1/applications", &draft, now, |tx| {
            owned(tx, &caller, &draft.applicant_id).map_err(|e| e.field("applicant_id"))?;
            let id = new_id("app");
            tx.prepare_cached("INSERT INTO applications (id, account_id, applicant_id, version, state, draft, created_at, updated_at) VALUES (?1, ?2, ?3, 1, 'draft', ?4, ?5, ?5)")?.execute(
                params![id, caller.account_id, draft.applicant_id, serde_json::to_string(&draft)?, secs(now)],
            )?;
            append_timeline(tx, &id, ApplicationState::Draft, now, None)?;
            Ok((StatusCode::CREATED, to_api(tx, &load(tx, &caller, &id)?)?))
        })
    })
}

/// One application with its status timeline.
#[utoipa::path(get, path = "/v1/applications/{id}", tag = "applications", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Application), (status = 404, body = ErrorBody)))]
async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Application>> {
    let now = state.clock.now();
    Ok(Json(state.db.write(|tx| {
        sweep(tx, now)?;
        to_api(tx, &load(tx, &caller, &id)?)
    })?))
}

/// Update the draft (`If-Match: <version>`); only drafts can change.
#[utoipa::path(put, path = "/v1/applications/{id}", tag = "applications", request_body = ApplicationDraft, security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = u64, Header, description = "the version being changed")),
    responses((status = 200, body = Application), (status = 404, body = ErrorBody), (status = 409, description = "version_conflict or not_editable", body = ErrorBody), (status = 428, body = ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(draft): Json<ApplicationDraft>,
) -> ApiResult<Json<Application>> {
    let version = if_match(&headers)?;
    let now = state.clock.now();
    Ok(Json(state.db.write(|tx| {
        let row = load(tx, &caller, &id)?;
        if row.state != ApplicationState::Draft {
            return Err(ApiError::conflict(ErrorCode::NotEditable, format!("the application is {}; only a draft can change", row.state)));
        }
        if row.version != version {
            return Err(ApiError::version_conflict(row.version));
        }
        owned(tx, &caller, &draft.applicant_id).map_err(|e| e.field("applicant_id"))?;
        tx.prepare_cached("UPDATE applications SET draft = ?2, applicant_id = ?3, version = version + 1, updated_at = ?4 WHERE id = ?1")?.execute(
            params![id, serde_json::to_string(&draft)?, draft.applicant_id, secs(now)],
        )?;
        to_api(tx, &load(tx, &caller, &id)?)
    })?))
}

/// What an uploaded image is, or why it is refused.
fn inspect_image(bytes: &[u8]) -> ApiResult<(FileKind, u32, u32)> {
    let kind = FileKind::sniff(bytes);
    if !kind.is_accepted() {
        let what = kind.describe();
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            format!("this file is {what}; send a JPEG or PNG photo"),
        ));
    }
    let rejected = |m: String| ApiError::unprocessable(ErrorCode::DocumentRejected, m);
    let format = if kind == FileKind::Jpeg {
        image::ImageFormat::Jpeg
    } else {
        image::ImageFormat::Png
    };
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_LONG_EDGE_PX);
    limits.max_image_height = Some(MAX_LONG_EDGE_PX);
    limits.max_alloc = Some(128 * 1024 * 1024);
    reader.limits(limits);
    let decoded = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => rejected(format!(
            "the image is larger than {MAX_LONG_EDGE_PX} pixels on its long edge"
        )),
        _ => rejected("the image is damaged or cut short; take or pick it again".into()),
    })?;
    // A camera file cut short in transfer still decodes as grey: a JPEG must end with its EOI marker.
    if kind == FileKind::Jpeg && !bytes.ends_with(&[0xFF, 0xD9]) {
        return Err(rejected(
            "the image is damaged or cut short; take or pick it again".into(),
        ));
    }
    Ok((kind, decoded.width(), decoded.height()))
}

/// Upload one document image: JPEG or PNG, at most 1 MiB and 4000 px on the long edge.
#[utoipa::path(put, path = "/v1/applications/{id}/documents/{kind}", tag = "applications", security(("bearer" = [])),
    params(("id" = String, Path), ("kind" = DocumentKind, Path)),
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "the image bytes (image/jpeg or image/png)"),
    responses((status = 200, body = DocumentInfo), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn upload_document(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, kind)): Path<(String, String)>,
    body: Body,
) -> ApiResult<Json<DocumentInfo>> {
    let kind: DocumentKind = kind
        .parse()
        .map_err(|_| ApiError::not_found("document kind"))?;
    let bytes = axum::body::to_bytes(body, MAX_DOCUMENT_BYTES)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorCode::PayloadTooLarge,
                "a document image is at most 1 MiB",
            )
        })?;
    state.db.write(|tx| {
        let row = load(tx, &caller, &id)?;
        if row.state != ApplicationState::Draft {
            return Err(ApiError::conflict(
                ErrorCode::NotEditable,
                "documents can change only while the application is a draft",
            ));
        }
        Ok(())
    })?;
    let inspected = bytes.clone();
    let (file_kind, width, height) = tokio::task::spawn_blocking(move || inspect_image(&inspected))
        .await
        .map_err(|_| ApiError::internal())??;
    let sha256 = crate::ids::sha256_hex(&bytes);
    let now = state.clock.now();
    let media_type = file_kind
        .media_type()
        .unwrap_or("application/octet-stream")
        .to_owned();
    state.db.write(|tx| {
        load(tx, &caller, &id)?;
        tx.prepare_cached("INSERT INTO documents (application_id, kind, media_type, bytes, width, height, sha256, uploaded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (application_id, kind) DO UPDATE SET media_type = excluded.media_type, bytes = excluded.bytes, width = excluded.width,
                height = excluded.height, sha256 = excluded.sha256, uploaded_at = excluded.uploaded_at")?.execute(
            params![id, kind.as_str(), media_type, bytes.as_ref(), width, height, sha256, secs(now)],
        )?;
        tx.prepare_cached("UPDATE applications SET updated_at = ?2 WHERE id = ?1")?.execute( params![id, secs(now)])?;
        Ok(())
    })?;
    Ok(Json(DocumentInfo {
        kind,
        media_type,
        bytes: bytes.len() as u64,
        width,
        height,
        sha256,
        uploaded_at: now,
    }))
}

fn incomplete(field: &str, message: String) -> ApiError {
    ApiError::unprocessable(ErrorCode::IncompleteApplication, message).field(field)
}

/// Submit with a slot: checks completeness and the NIK, holds the place
/// atomically and issues the billing code (expires in 2 hours).
#[utoipa::path(post, path = "/v1/applications/{id}/submit", tag = "applications", request_body = SubmitRequest, security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = SubmitResponse), (status = 404, body = ErrorBody),
              (status = 409, description = "slot_full, active_application_exists or not_editable", body = ErrorBody),
              (status = 422, description = "incomplete_application, nik_invalid, identity_invalid, office_cannot_issue", body = ErrorBody)))]
async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(req): Json<SubmitRequest>,
) -> ApiResult<Response> {
    let key = idempotency::key(&headers)?;
    let now = state.clock.now();
    let route = format!("POST /v1/applications/{id}/submit");
    state.db.write(|tx| {
        sweep(tx, now)?;
        idempotency::once(tx, &caller.account_id, key.as_deref(), &route, &req, now, |tx| {
            let row = load(tx, &caller, &id)?;
            if row.state != ApplicationState::Draft {
                return Err(ApiError::conflict(ErrorCode::NotEditable, format!("the application is already {}", row.state)));
            }
            if !req.declaration_accepted {
                return Err(ApiError::unprocessable(ErrorCode::DeclarationRequired, "the applicant must declare the data true").field("declaration_accepted"));
            }
            let d = &row.draft;
            let uploaded: Vec<DocumentKind> = documents(tx, &id)?.into_iter().map(|doc| doc.kind).collect();
            let lacking = lacks(d, &uploaded);
            let unanswered: Vec<_> = lacking.iter().filter(|l| l.is_unanswered()).collect();
            if let Some(first) = unanswered.first() {
                let list: Vec<_> = unanswered.iter().map(|l| l.what()).collect();
                return Err(incomplete(first.field(), format!("still missing: {}", list.join(", "))));
            }
            let (p, office_id) = (&d.personal, d.office_id.as_deref().unwrap_or_default());
            let (birth, sex, marital) = (p.birth_date.unwrap_or_default(), p.sex.unwrap_or(mpaspor_domain::Sex::Male), p.marital_status.unwrap_or(mpaspor_domain::MaritalStatus::Single));
            let office = reference::office(office_id).ok_or_else(|| ApiError::invalid("office_id", "no such office"))?;
            let today = office.served.zone.local_date(now);
            let kind = applicant_kind(birth, marital, today);
            if Some(kind) != d.applicant_kind {
                return Err(ApiError::invalid("applicant_kind", format!("by birth date and marital status this applicant is an {kind}")));
            }
            if let Some(lack) = lacking.iter().find(|l| **l == Lack::ValidityNotForChild) {
                return Err(ApiError::invalid(lack.field(), lack.what()));
            }
            if let Some(refusal) = office.served.refuses(d) {
                return Err(ApiError::unprocessable(ErrorCode::OfficeCannotIssue, refusal.message(&office.served)).field(refusal.field()));
            }
            if let Some(lack) = lacking.iter().find(|l| matches!(l, Lack::Document(_))) {
                return Err(incomplete(lack.field(), format!("a document is missing: {}", lack.what())));
            }
            let (validity, passport_type) = (d.validity.ok_or_else(ApiError::internal)?, d.passport_type.ok_or_else(ApiError::internal)?);
            let service = d.service.unwrap_or(Service::Reguler);
            let nik_text = p.nik.as_deref().unwrap_or_default().trim();
            let nik = Nik::parse_stated(nik_text, birth, Some(sex)).map_err(|e| ApiError::unprocessable(ErrorCode::NikInvalid, e.to_string()).field("personal.nik"))?;
            let verdict = check_identity(tx, &NikCheckRequest { nik: nik.to_string(), full_name: p.full_name.clone().unwrap_or_default(), birth_date: birth })?;
            if !verdict.valid {
                return Err(ApiError::unprocessable(ErrorCode::IdentityInvalid, verdict.message).field("personal.nik"));
            }
            let active: Vec<String> = {
                let mut q = tx.prepare_cached("SELECT state FROM applications WHERE nik = ?1 AND id != ?2")?;
                q.query_map(params![nik.as_str(), id], |r| r.get(0))?.collect::<Result<_, _>>()?
            };
            if active.iter().any(|s| s.parse::<ApplicationState>().is_ok_and(|s| s.is_active())) {
                return Err(ApiError::conflict(ErrorCode::ActiveApplicationExists, "this NIK already has an application in progress").field("personal.nik"));
            }
            let slot = SlotRef::parse(&req.slot_id).filter(|s| s.office.served.id == office.served.id).ok_or_else(|| ApiError::invalid("slot_id", "no such window at this office"))?;
            let first = first_bookable(now, office);
            if slot.date < first || slot.date > first + Span::new().days(BOOKING_HORIZON_DAYS - 1) {
                return Err(ApiError::invalid("slot_id", format!("places can be booked from {first} for {BOOKING_HORIZON_DAYS} days")));
            }
            let fee = reference::FEES
                .quote(&FeeChoice { passport_type, validity, service, replacement: d.replacement.as_ref().map(|r| r.reason), force_majeure: d.replacement.as_ref().is_some_and(|r| r.force_majeure) })
                .map_err(|e| ApiError::invalid("passport_type", e.to_string()))?;
            book(tx, &slot)?;
            let code = new_billing_code(tx)?;
            let expires = payment_deadline(now);
            tx.prepare_cached("UPDATE applications SET fee = ?2, slot_id = ?3, billing_code = ?4, issued_at = ?5, expires_at = ?6, nik = ?7 WHERE id = ?1")?.execute(
                params![id, serde_json::to_string(&fee)?, slot.id(), code.as_str(), secs(now), secs(expires), nik.as_str()],
            )?;
            tx.prepare_cached("INSERT INTO treasury (billing_code, application_id, amount) VALUES (?1, ?2, ?3)")?.execute( params![code.as_str(), id, fee.total.0])?;
            transition(tx, &id, ApplicationState::Draft, Transition::Submit, now, Some(&format!("billing code {code}")))?;
            let row = load(tx, &caller, &id)?;
            Ok((StatusCode::CREATED, SubmitResponse { payment: payment_of(tx, &row)?, application: to_api(tx, &row)? }))
        })
    })
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

/// Move the appointment: once, after payment, no later than the day before (office time).
#[utoipa::path(post, path = "/v1/applications/{id}/reschedule", tag = "applications", request_body = RescheduleRequest, security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = Application), (status = 404, body = ErrorBody), (status = 409, description = "reschedule_refused or slot_full", body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn reschedule(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(req): Json<RescheduleRequest>,
) -> ApiResult<Response> {
    let key = idempotency::key(&headers)?;
    let now = state.clock.now();
    let route = format!("POST /v1/applications/{id}/reschedule");
    state.db.write(|tx| {
        sweep(tx, now)?;
        idempotency::once(tx, &caller.account_id, key.as_deref(), &route, &req, now, |tx| {
            let row = load(tx, &caller, &id)?;
            let current = row.slot_id.as_deref().and_then(SlotRef::parse).ok_or_else(|| ApiError::conflict(ErrorCode::RescheduleRefused, "the application has no appointment"))?;
            let new = SlotRef::parse(&req.slot_id).filter(|s| s.office.served.id == current.office.served.id).ok_or_else(|| ApiError::invalid("slot_id", "no such window at this office"))?;
            check_reschedule(row.state, row.reschedules_used, current.date, new.date, current.office.served.zone, now)
                .map_err(|why| ApiError::conflict(ErrorCode::RescheduleRefused, why.to_string()))?;
            let first = first_bookable(now, current.office);
            if new.date > first + Span::new().days(BOOKING_HORIZON_DAYS - 1) {
                return Err(ApiError::invalid("slot_id", format!("places can be booked up to {BOOKING_HORIZON_DAYS} days ahead")));
            }
            book(tx, &new)?;
            release_place(tx, &id)?;
            tx.prepare_cached("UPDATE applications SET slot_id = ?2, reschedules_used = reschedules_used + 1, version = version + 1, updated_at = ?3 WHERE id = ?1")?.execute(
                params![id, new.id(), secs(now)],
            )?;
            let note = format!("rescheduled from {} {} to {} {}", current.date, current.window.show(current.office.served.zone), new.date, new.window.show(new.office.served.zone));
            append_timeline(tx, &id, row.state, now, Some(&note))?;
            Ok((StatusCode::OK, to_api(tx, &load(tx, &caller, &id)?)?))
        })
    })
}

/// Cancel: the place is released. After payment the fee is forfeited, so the
/// request must say `accept_forfeit: true`.
#[utoipa::path(post, path = "/v1/applications/{id}/cancel", tag = "applications", request_body = CancelRequest, security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = Application), (status = 404, body = ErrorBody), (status = 409, description = "cancel_refused", body = ErrorBody)))]
async fn cancel(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(req): Json<CancelRequest>,
) -> ApiResult<Response> {
    let key = idempotency::key(&headers)?;
    let now = state.clock.now();
    let route = format!("POST /v1/applications/{id}/cancel");
    state.db.write(|tx| {
        sweep(tx, now)?;
        idempotency::once(tx, &caller.account_id, key.as_deref(), &route, &req, now, |tx| {
            let row = load(tx, &caller, &id)?;
            let note = match row.state {
                ApplicationState::Draft => "cancelled before submitting",
                ApplicationState::AwaitingPayment => "cancelled before payment; nothing is owed and the place was released",
                ApplicationState::Paid if req.accept_forfeit => "cancelled after payment; the PNBP fee is forfeited and the place was released",
                ApplicationState::Paid => {
                    return Err(ApiError::conflict(ErrorCode::CancelRefused, "the fee is already paid and is not refunded (PNBP); send accept_forfeit: true to cancel anyway").field("accept_forfeit"));
                }
                other => return Err(ApiError::conflict(ErrorCode::CancelRefused, format!("an application that is {other} can no longer be cancelled"))),
            };
            if row.state.is_active() {
                release_place(tx, &id)?;
            }
            transition(tx, &id, row.state, Transition::Cancel, now, Some(note))?;
            Ok((StatusCode::OK, to_api(tx, &load(tx, &caller, &id)?)?))
        })
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
            application_id: row.id.clone(),
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
        })
    })?;
    Ok(Json(Receipt {
        qr_payload: state.signer.sign(&details),
        key_id: state.signer.key_id().to_owned(),
        details,
    }))
}

/// The public key that verifies receipts.
#[utoipa::path(get, path = "/v1/receipt-key", tag = "payments", responses((status = 200, body = ReceiptKey)))]
async fn receipt_key(State(state): State<AppState>) -> Json<ReceiptKey> {
    Json(state.signer.public())
}
