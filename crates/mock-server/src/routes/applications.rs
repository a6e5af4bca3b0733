//! Applications: drafts (If-Match), document uploads, submit (holds a place
//! and issues the billing code), payment, reschedule, cancel and the receipt.

use crate::auth::{Caller, new_id};
use crate::clock::{from_secs, secs};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::idempotency;
use crate::reference::{self, SlotRef};
use crate::routes::applicants::owned;
use crate::routes::reference::{BOOKING_HORIZON_DAYS, check_identity, first_bookable, slot_state};
use crate::routes::{if_match, version_conflict};
use crate::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use jiff::{Span, Timestamp};
use mpaspor_domain::api::{
    Application, ApplicationDraft, Appointment, CancelRequest, DocumentInfo, ErrorBody, ErrorCode,
    NikCheckRequest, Page, PageQuery, Payment, PaymentConfirmRequest, Receipt, ReceiptDetails,
    ReceiptKey, RescheduleRequest, SubmitRequest, SubmitResponse, TimelineEntry,
};
use mpaspor_domain::draft::{Lack, lacks};
use mpaspor_domain::eligibility::applicant_kind;
use mpaspor_domain::fees::{FeeChoice, FeeQuote};
use mpaspor_domain::limits::{FileKind, MAX_DOCUMENT_BYTES, MAX_LONG_EDGE_PX};
use mpaspor_domain::schedule::{check_reschedule, payment_deadline, pickup_last_day};
use mpaspor_domain::{ApplicationState, BillingCode, DocumentKind, Nik, Ntpn, Service, Transition};
use rusqlite::{Connection, OptionalExtension, params};
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

/// An application as stored.
pub struct Row {
    pub id: String,
    pub applicant_id: String,
    pub version: u64,
    pub state: ApplicationState,
    pub draft: ApplicationDraft,
    pub fee: Option<FeeQuote>,
    pub slot_id: Option<String>,
    pub reschedules_used: u32,
    pub billing_code: Option<String>,
    pub issued_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub paid_at: Option<i64>,
    pub ntpn: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, applicant_id, version, state, draft, fee, slot_id, reschedules_used, billing_code, issued_at, expires_at, paid_at, ntpn, created_at, updated_at";

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Row, String, String, Option<String>)> {
    Ok((
        Row {
            id: r.get(0)?,
            applicant_id: r.get(1)?,
            version: r.get(2)?,
            state: ApplicationState::Draft,
            draft: ApplicationDraft::default(),
            fee: None,
            slot_id: r.get(6)?,
            reschedules_used: r.get(7)?,
            billing_code: r.get(8)?,
            issued_at: r.get(9)?,
            expires_at: r.get(10)?,
            paid_at: r.get(11)?,
            ntpn: r.get(12)?,
            created_at: r.get(13)?,
            updated_at: r.get(14)?,
        },
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

fn finish_row(
    (mut row, state, draft, fee): (Row, String, String, Option<String>),
) -> ApiResult<Row> {
    row.state = state.parse().map_err(|_| ApiError::internal())?;
    row.draft = serde_json::from_str(&draft)?;
    row.fee = fee.map(|f| serde_json::from_str(&f)).transpose()?;
    Ok(row)
}

/// One of the caller's applications, or 404.
pub fn load(tx: &Connection, caller: &Caller, id: &str) -> ApiResult<Row> {
    let sql = format!("SELECT {COLUMNS} FROM applications WHERE id = ?1 AND account_id = ?2");
    let raw = tx
        .prepare_cached(&sql)?
        .query_row(params![id, caller.account_id], read_row)
        .optional()?;
    finish_row(raw.ok_or_else(|| ApiError::not_found("application"))?)
}

/// An application by id, whoever owns it (tester routes).
pub fn load_any(tx: &Connection, id: &str) -> ApiResult<Row> {
    let sql = format!("SELECT {COLUMNS} FROM applications WHERE id = ?1");
    let raw = tx
        .prepare_cached(&sql)?
        .query_row([id], read_row)
        .optional()?;
    finish_row(raw.ok_or_else(|| ApiError::not_found("application"))?)
}

fn documents(tx: &Connection, id: &str) -> ApiResult<Vec<DocumentInfo>> {
    let mut q = tx.prepare_cached("SELECT kind, media_type, length(bytes), width, height, sha256, uploaded_at FROM documents WHERE application_id = ?1 ORDER BY kind")?;
    let rows = q.query_map([id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get::<_, i64>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (kind, media_type, bytes, width, height, sha256, at) = row?;
        out.push(DocumentInfo {
            kind: kind.parse().map_err(|_| ApiError::internal())?,
            media_type,
            bytes,
            width,
            height,
            sha256,
            uploaded_at: from_secs(at),
        });
    }
    Ok(out)
}

fn appointment(slot_id: Option<&str>) -> Option<Appointment> {
    let slot = SlotRef::parse(slot_id?)?;
    Some(Appointment {
        slot_id: slot.id(),
        office_id: slot.office.served.id.clone(),
        date: slot.date,
        window: slot.window,
        zone: slot.office.served.zone,
    })
}

pub fn to_api(tx: &Connection, row: &Row) -> ApiResult<Application> {
    let mut q = tx.prepare_cached(
        "SELECT state, at, note FROM timeline WHERE application_id = ?1 ORDER BY seq",
    )?;
    let timeline = q
        .query_map([&row.id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?
        .map(|t| {
            let (state, at, note) = t?;
            Ok(TimelineEntry {
                state: state.parse().map_err(|_| ApiError::internal())?,
                at: from_secs(at),
                note,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Application {
        id: row.id.clone(),
        version: row.version,
        state: row.state,
        draft: row.draft.clone(),
        documents: documents(tx, &row.id)?,
        appointment: if row.state.is_active() {
            appointment(row.slot_id.as_deref())
        } else {
            None
        },
        fee: row.fee.clone(),
        reschedules_used: row.reschedules_used,
        created_at: from_secs(row.created_at),
        updated_at: from_secs(row.updated_at),
        timeline,
    })
}

/// Moves an application through the state machine and writes its timeline.
pub fn transition(
    tx: &Connection,
    id: &str,
    from: ApplicationState,
    t: Transition,
    now: Timestamp,
    note: Option<&str>,
) -> ApiResult<ApplicationState> {
    let to = from
        .apply(t)
        .map_err(|e| ApiError::conflict(ErrorCode::TransitionRefused, e.to_string()))?;
    tx.prepare_cached(
        "UPDATE applications SET state = ?2, version = version + 1, updated_at = ?3 WHERE id = ?1",
    )?
    .execute(params![id, to.as_str(), secs(now)])?;
    if to == ApplicationState::ReadyForPickup {
        tx.prepare_cached("UPDATE applications SET ready_at = ?2 WHERE id = ?1")?
            .execute(params![id, secs(now)])?;
    }
    append_timeline(tx, id, to, now, note)?;
    Ok(to)
}

fn append_timeline(
    tx: &Connection,
    id: &str,
    state: ApplicationState,
    now: Timestamp,
    note: Option<&str>,
) -> ApiResult<()> {
    tx.prepare_cached("INSERT INTO timeline (application_id, seq, state, at, note)
         VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM timeline WHERE application_id = ?1), ?2, ?3, ?4)")?.execute(
        params![id, state.as_str(), secs(now), note],
    )?;
    Ok(())
}

/// Takes one place of a slot, or refuses with `slot_full`. Runs inside the
/// caller's transaction, which the database lock serialises: no overbooking.
fn book(tx: &Connection, slot: &SlotRef) -> ApiResult<()> {
    if slot_state(tx, slot)?.left == 0 {
        return Err(
            ApiError::conflict(ErrorCode::SlotFull, "no places are left in this window")
                .field("slot_id"),
        );
    }
    tx.prepare_cached("INSERT INTO slot_bookings (slot_id, booked) VALUES (?1, 1) ON CONFLICT (slot_id) DO UPDATE SET booked = booked + 1")?.execute(
        [slot.id()],
    )?;
    Ok(())
}

/// Gives an application's place back to its slot.
pub fn release_place(tx: &Connection, id: &str) -> ApiResult<()> {
    let slot: Option<String> = tx
        .prepare_cached("SELECT slot_id FROM applications WHERE id = ?1")?
        .query_row([id], |r| r.get(0))?;
    if let Some(slot) = slot {
        tx.prepare_cached(
            "UPDATE slot_bookings SET booked = MAX(booked - 1, 0) WHERE slot_id = ?1",
        )?
        .execute([slot])?;
    }
    Ok(())
}

/// Marks an application paid with the treasury's NTPN.
pub fn mark_paid(
    tx: &Connection,
    id: &str,
    ntpn: &str,
    paid_at: i64,
    now: Timestamp,
) -> ApiResult<()> {
    tx.prepare_cached("UPDATE applications SET paid_at = ?2, ntpn = ?3 WHERE id = ?1")?
        .execute(params![id, paid_at, ntpn])?;
    tx.prepare_cached("UPDATE treasury SET notified = 1 WHERE application_id = ?1")?
        .execute([id])?;
    transition(
        tx,
        id,
        ApplicationState::AwaitingPayment,
        Transition::Pay,
        now,
        Some(&format!("NTPN {ntpn}")),
    )?;
    Ok(())
}

/// Deadlines by the mock clock: an unpaid billing code expires and its place
/// is released; one the treasury was paid for in time is settled instead;
/// a passport not collected within 30 days is cancelled. Answers the next
/// deadline still ahead (see [`Swept`]).
pub fn sweep(tx: &Connection, now: Timestamp) -> ApiResult<Option<Timestamp>> {
    let mut next = crate::scenarios::apply_release(tx, now)?;
    let due: Vec<(String, Option<String>, Option<i64>)> = {
        let mut q = tx.prepare_cached(
            "SELECT a.id, t.ntpn, t.paid_at FROM applications a LEFT JOIN treasury t ON t.billing_code = a.billing_code
             WHERE a.state = 'awaiting_payment' AND a.expires_at <= ?1",
        )?;
        q.query_map([secs(now)], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?
    };
    for (id, ntpn, paid_at) in due {
        match (ntpn, paid_at) {
            (Some(ntpn), Some(paid_at)) => mark_paid(tx, &id, &ntpn, paid_at, now)?,
            _ => {
                release_place(tx, &id)?;
                transition(
                    tx,
                    &id,
                    ApplicationState::AwaitingPayment,
                    Transition::Expire,
                    now,
                    Some("not paid within 2 hours; the place was released"),
                )?;
            }
        }
    }
    let soonest: Option<i64> = tx
        .prepare_cached(
            "SELECT min(expires_at) FROM applications WHERE state = 'awaiting_payment'",
        )?
        .query_row([], |r| r.get(0))?;
    next = next.into_iter().chain(soonest.map(from_secs)).min();
    let ready: Vec<(String, i64, Option<String>)> = {
        let mut q = tx.prepare_cached("SELECT id, ready_at, slot_id FROM applications WHERE state = 'ready_for_pickup' AND ready_at IS NOT NULL")?;
        q.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?
    };
    for (id, ready_at, slot) in ready {
        let zone = slot
            .as_deref()
            .and_then(SlotRef::parse)
            .map(|s| s.office.served.zone)
            .unwrap_or(mpaspor_domain::OfficeZone::Wib);
        let last_day = pickup_last_day(from_secs(ready_at), zone);
        if zone.local_date(now) > last_day {
            transition(
                tx,
                &id,
                ApplicationState::ReadyForPickup,
                Transition::MarkUncollected,
                now,
                Some("not collected within 30 days"),
            )?;
        } else {
            let day_after = zone.instant(
                last_day.tomorrow().map_err(|_| ApiError::internal())?,
                jiff::civil::Time::midnight(),
            );
            next = next.into_iter().chain([day_after]).min();
        }
    }
    Ok(next)
}

/// The next deadline the last sweep found, and the database generation it
/// saw. While the generation has not moved (no write could have added an
/// earlier deadline) and that deadline is still ahead by the mock clock,
/// sweeping again would change nothing, so a read may skip it.
#[derive(Default)]
pub struct Swept(std::sync::Mutex<Option<(u64, Option<Timestamp>)>>);

impl Swept {
    pub fn needed(&self, generation: u64, now: Timestamp) -> bool {
        match *self.0.lock().unwrap_or_else(|p| p.into_inner()) {
            Some((seen, next)) if seen == generation => next.is_some_and(|at| at <= now),
            _ => true,
        }
    }

    /// Notes a sweep's answer, made from the rows of `generation`.
    pub fn record(&self, generation: u64, next: Option<Timestamp>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some((generation, next));
    }
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
            return Err(version_conflict(row.version));
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
    let sha256 = crate::auth::sha256_hex(&bytes);
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

/// A 15-digit PNBP billing code (first digit 8), unique in the treasury.
fn new_billing_code(tx: &Connection) -> ApiResult<BillingCode> {
    loop {
        let mut b = [0u8; 8];
        getrandom::fill(&mut b).expect("the OS has randomness");
        let code = BillingCode::parse(&format!(
            "8{:014}",
            u64::from_le_bytes(b) % 100_000_000_000_000
        ))
        .map_err(|_| ApiError::internal())?;
        let taken: bool = tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM treasury WHERE billing_code = ?1)")?
            .query_row([code.as_str()], |r| r.get(0))?;
        if !taken {
            return Ok(code);
        }
    }
}

pub fn payment_of(tx: &Connection, row: &Row) -> ApiResult<Payment> {
    let code = row.billing_code.as_deref().ok_or_else(|| {
        ApiError::conflict(
            ErrorCode::NotPaid,
            "the application has not been submitted; there is nothing to pay",
        )
    })?;
    let amount: u64 = tx
        .prepare_cached("SELECT amount FROM treasury WHERE billing_code = ?1")?
        .query_row([code], |r| r.get(0))?;
    Ok(Payment {
        billing_code: BillingCode::parse(code).map_err(|_| ApiError::internal())?,
        amount: mpaspor_domain::Rupiah(amount),
        issued_at: from_secs(row.issued_at.unwrap_or_default()),
        expires_at: from_secs(row.expires_at.unwrap_or_default()),
        paid: row.paid_at.is_some(),
        paid_at: row.paid_at.map(from_secs),
        ntpn: row
            .ntpn
            .as_deref()
            .map(Ntpn::parse)
            .transpose()
            .map_err(|_| ApiError::internal())?,
        state: row.state,
    })
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
            let first = first_bookable(&state, office);
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
            let first = first_bookable(&state, current.office);
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

#[cfg(test)]
mod tests {
    use super::Swept;
    use jiff::{SignedDuration, Timestamp};

    #[test]
    fn a_sweep_is_skipped_only_while_nothing_was_written_and_nothing_is_due() {
        let swept = Swept::default();
        let now = Timestamp::from_second(1_800_000_000).unwrap();
        let next = now + SignedDuration::from_hours(2);
        assert!(swept.needed(7, now), "never swept yet");
        swept.record(7, Some(next));
        assert!(!swept.needed(7, now));
        assert!(
            swept.needed(8, now),
            "a write since may have added an earlier deadline"
        );
        assert!(swept.needed(7, next), "the deadline has come");
        swept.record(7, None);
        assert!(!swept.needed(7, next + SignedDuration::from_hours(24 * 365)));
    }
}
