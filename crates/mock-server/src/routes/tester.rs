//! Tester routes (mock only): the outbox, paying as a bank would, moving an
//! application on, adding citizens, and the clock.

use crate::clock::{from_secs, secs};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::idempotency;
use crate::model::applications::{load_any, to_api};
use crate::model::bookings::release_place;
use crate::model::corrections;
use crate::model::lifecycle::{append_event, mark_paid, sweep, transition};
use crate::model::people::check_name;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use mpaspor_domain::api::{
    ActiveFault, AdvanceRequest, AdvanceTo, Application, Citizen, ClockRequest, ClockState,
    Correction, CorrectionRequest, DeskLookup, DeskLookupRequest, ErrorBody, ErrorCode, FaultRule,
    JournalEntry, OutboxEmail, Page, PageQuery, RequestDetail, RequestTotals, SeedReport,
    SeedRequest, TesterPayment, TesterPaymentRequest, TimelineEvent,
};
use mpaspor_domain::{ApplicationState, Nik, Transition};
use rusqlite::{OptionalExtension, params};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(outbox))
        .routes(routes!(pay))
        .routes(routes!(advance))
        .routes(routes!(ask_correction))
        .routes(routes!(check_in))
        .routes(routes!(desk_lookup))
        .routes(routes!(add_citizen))
        .routes(routes!(samples))
        .routes(routes!(get_clock, move_clock))
        .routes(routes!(list_faults, add_fault, clear_faults))
        .routes(routes!(remove_fault))
        .routes(routes!(requests))
        .routes(routes!(request_totals))
        .routes(routes!(request_detail))
        .routes(routes!(requests_har))
        .routes(routes!(seed))
        .routes(routes!(reset))
        .routes(routes!(all_applications))
}

/// The tester console: one static page that holds no data of its own; it
/// reads the tester token from its address (`/tester#token=...`, a fragment
/// the browser never sends) and polls the tester routes with it.
pub async fn console() -> axum::response::Html<&'static str> {
    axum::response::Html(include_str!("../../console/index.html"))
}

/// The office's desk: a static page, like the console (the token in its
/// address's fragment), that scans a proof's QR code with the camera or
/// takes its pasted text, shows what it is worth with the application, and
/// moves the application on.
pub async fn desk() -> axum::response::Html<&'static str> {
    axum::response::Html(include_str!("../../console/desk.html"))
}

/// The QR decoder the desk runs in the browser (npm's jsqr, vendored:
/// `console/vendor/README.md`).
pub async fn desk_decoder() -> impl axum::response::IntoResponse {
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/javascript; charset=utf-8",
            ),
            (axum::http::header::CACHE_CONTROL, "max-age=86400"),
        ],
        include_str!("../../console/vendor/jsQR-1.4.0.js"),
    )
}

/// Active fault rules.
#[utoipa::path(get, path = "/tester/faults", tag = "tester", responses((status = 200, body = Vec<ActiveFault>)))]
async fn list_faults(State(state): State<AppState>) -> Json<Vec<ActiveFault>> {
    Json(state.tools.faults().list())
}

/// Add a fault rule for requests whose path matches `route` (`*` one segment, final `**` the rest).
#[utoipa::path(post, path = "/tester/faults", tag = "tester", request_body = FaultRule,
    responses((status = 201, body = ActiveFault), (status = 422, body = ErrorBody)))]
async fn add_fault(
    State(state): State<AppState>,
    Json(rule): Json<FaultRule>,
) -> ApiResult<(StatusCode, Json<ActiveFault>)> {
    if !rule.route.starts_with('/') {
        return Err(ApiError::invalid(
            "route",
            "a route pattern starts with /, e.g. /v1/applications/*/submit",
        ));
    }
    if !(0.0..=1.0).contains(&rule.error_rate) {
        return Err(ApiError::invalid(
            "error_rate",
            "error_rate is between 0 and 1",
        ));
    }
    if rule.share.is_some_and(|s| !(0.0..=1.0).contains(&s)) {
        return Err(ApiError::invalid("share", "share is between 0 and 1"));
    }
    if rule.status.is_some_and(|s| !(400..=599).contains(&s)) {
        return Err(ApiError::invalid(
            "status",
            "an injected status is 400 to 599",
        ));
    }
    let fault = state.tools.faults().add(rule);
    Ok((StatusCode::CREATED, Json(fault)))
}

/// Clear every fault rule.
#[utoipa::path(delete, path = "/tester/faults", tag = "tester", responses((status = 204, description = "cleared")))]
async fn clear_faults(State(state): State<AppState>) -> StatusCode {
    state.tools.faults().clear();
    StatusCode::NO_CONTENT
}

/// Remove one fault rule.
#[utoipa::path(delete, path = "/tester/faults/{id}", tag = "tester", params(("id" = u64, Path)),
    responses((status = 204, description = "removed"), (status = 404, body = ErrorBody)))]
async fn remove_fault(State(state): State<AppState>, Path(id): Path<u64>) -> ApiResult<StatusCode> {
    if state.tools.faults().remove(id) {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("fault"))
    }
}

/// The request journal, newest first (the console's own reads are left out).
#[utoipa::path(get, path = "/tester/requests", tag = "tester", params(PageQuery), responses((status = 200, body = Page<JournalEntry>)))]
async fn requests(
    State(state): State<AppState>,
    Query(page): Query<PageQuery>,
) -> Json<Page<JournalEntry>> {
    Json(Page::of(state.tools.journal().list(), page))
}

/// One journaled request with its headers and JSON bodies both ways,
/// personal and secret values masked (kept for the latest 200 requests).
#[utoipa::path(get, path = "/tester/requests/{id}", tag = "tester", params(("id" = u64, Path)),
    responses((status = 200, body = RequestDetail), (status = 404, body = ErrorBody)))]
async fn request_detail(
    State(state): State<AppState>,
    Path(id): Path<u64>,
) -> ApiResult<Json<RequestDetail>> {
    state
        .tools
        .journal()
        .detail(id)
        .map(Json)
        .ok_or_else(|| ApiError::not_found("request (its content is kept for the latest 200)"))
}

/// The journal's latest 200 requests as HAR 1.2, oldest first, for a
/// browser's developer tools or a proxy (masked as in the detail).
#[utoipa::path(get, path = "/tester/requests/har", tag = "tester",
    responses((status = 200, description = "a HAR 1.2 document", content_type = "application/json", body = Object)))]
async fn requests_har(State(state): State<AppState>) -> impl axum::response::IntoResponse {
    (
        [(
            axum::http::header::CONTENT_DISPOSITION,
            "attachment; filename=\"mpaspor-mock.har\"",
        )],
        axum::Json(state.tools.journal().har()),
    )
}

/// Every request since the last reset counted by status, without the
/// journal's bound; 5xx answers no fault rule made are counted apart.
#[utoipa::path(get, path = "/tester/requests/totals", tag = "tester", responses((status = 200, body = RequestTotals)))]
async fn request_totals(State(state): State<AppState>) -> Json<RequestTotals> {
    Json(state.tools.journal().totals())
}

/// Load a named scenario: `empty`, `quota_nearly_full`, `expired_passport`, `quota_release`.
#[utoipa::path(post, path = "/tester/seed", tag = "tester", request_body = SeedRequest,
    responses((status = 200, body = SeedReport), (status = 422, body = ErrorBody)))]
async fn seed(
    State(state): State<AppState>,
    Json(req): Json<SeedRequest>,
) -> ApiResult<Json<SeedReport>> {
    Ok(Json(crate::scenarios::seed(&state, &req.scenario).await?))
}

/// Empty state: no accounts, applications or bookings; clock, faults and journal reset.
#[utoipa::path(post, path = "/tester/reset", tag = "tester", responses((status = 204, description = "reset")))]
async fn reset(State(state): State<AppState>) -> ApiResult<StatusCode> {
    crate::scenarios::reset(&state)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every application of every account, newest first (for the console).
#[utoipa::path(get, path = "/tester/applications", tag = "tester", params(PageQuery), responses((status = 200, body = Page<Application>)))]
async fn all_applications(
    State(state): State<AppState>,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<Page<Application>>> {
    let now = state.clock.now();
    Ok(Json(state.db.write(|tx| {
        sweep(tx, now)?;
        let ids: Vec<String> = {
            let mut q =
                tx.prepare_cached("SELECT id FROM applications ORDER BY created_at DESC, id")?;
            q.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?
        };
        let ids = Page::of(ids, page);
        let items = ids
            .items
            .iter()
            .map(|id| to_api(tx, &load_any(tx, id)?))
            .collect::<ApiResult<Vec<_>>>()?;
        Ok(Page {
            items,
            total: ids.total,
            next_offset: ids.next_offset,
        })
    })?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct OutboxQuery {
    /// Only the emails sent to this address.
    email: Option<String>,
}

/// The emails the mock "sent" (OTPs), newest first.
#[utoipa::path(get, path = "/tester/outbox", tag = "tester", params(OutboxQuery, PageQuery), responses((status = 200, body = Page<OutboxEmail>)))]
async fn outbox(
    State(state): State<AppState>,
    Query(q): Query<OutboxQuery>,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<Page<OutboxEmail>>> {
    let email = q.email.map(|e| e.trim().to_lowercase());
    let all = state.db.write(|tx| {
        let mut s = tx.prepare_cached("SELECT to_email, subject, body, otp, sent_at FROM outbox WHERE ?1 IS NULL OR to_email = ?1 ORDER BY id DESC")?;
        let rows = s.query_map([&email], |r| {
            Ok(OutboxEmail { to: r.get(0)?, subject: r.get(1)?, body: r.get(2)?, otp: r.get(3)?, sent_at: from_secs(r.get(4)?) })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    })?;
    Ok(Json(Page::of(all, page)))
}

fn new_ntpn() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).expect("the OS has randomness");
    b.iter()
        .map(|x| ALPHABET[*x as usize % ALPHABET.len()] as char)
        .collect()
}

/// Pay a billing code as a bank would; answers the NTPN. With `notify: false`
/// the treasury records it but immigration is not told ("paid but still pending").
#[utoipa::path(post, path = "/tester/payments", tag = "tester", request_body = TesterPaymentRequest, params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = TesterPayment), (status = 404, body = ErrorBody), (status = 409, description = "already_paid or billing_expired", body = ErrorBody)))]
async fn pay(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(req): Json<TesterPaymentRequest>,
) -> ApiResult<Response> {
    let key = idempotency::key(&headers)?;
    let now = state.clock.now();
    state.db.write(|tx| {
        sweep(tx, now)?;
        idempotency::once(
            tx,
            "tester",
            key.as_deref(),
            "POST /tester/payments",
            &req,
            now,
            |tx| {
                let code = req.billing_code.as_str();
                let record: Option<(String, Option<String>)> = tx
                    .prepare_cached(
                        "SELECT application_id, ntpn FROM treasury WHERE billing_code = ?1",
                    )?
                    .query_row([code], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?;
                let (application_id, ntpn) =
                    record.ok_or_else(|| ApiError::not_found("billing code"))?;
                if ntpn.is_some() {
                    return Err(ApiError::conflict(
                        ErrorCode::AlreadyPaid,
                        "this billing code is already paid",
                    ));
                }
                let row = load_any(tx, &application_id)?;
                if row.state != ApplicationState::AwaitingPayment {
                    return Err(ApiError::conflict(
                        ErrorCode::BillingExpired,
                        format!(
                            "the billing code can no longer be paid: the application is {}",
                            row.state
                        ),
                    ));
                }
                let ntpn = new_ntpn();
                tx.prepare_cached(
                    "UPDATE treasury SET ntpn = ?2, paid_at = ?3 WHERE billing_code = ?1",
                )?
                .execute(params![code, ntpn, secs(now)])?;
                if req.notify {
                    mark_paid(tx, &application_id, &ntpn, secs(now), now)?;
                }
                let ntpn = mpaspor_domain::Ntpn::parse(&ntpn).map_err(|_| ApiError::internal())?;
                Ok((
                    StatusCode::CREATED,
                    TesterPayment {
                        billing_code: req.billing_code.clone(),
                        ntpn,
                        paid_at: now,
                        notified: req.notify,
                    },
                ))
            },
        )
    })
}

/// Move an application on, as the office would: interviewed, approved, rejected,
/// printed, ready, collected, no-show, uncollected, or cancelled (its place released).
#[utoipa::path(post, path = "/tester/applications/{id}/advance", tag = "tester", request_body = AdvanceRequest, params(("id" = String, Path)),
    responses((status = 200, body = Application), (status = 404, body = ErrorBody), (status = 409, description = "transition_refused", body = ErrorBody)))]
async fn advance(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(req): Json<AdvanceRequest>,
) -> ApiResult<Json<Application>> {
    let now = state.clock.now();
    let t = match req.to {
        AdvanceTo::Interviewed => Transition::Interview,
        AdvanceTo::Approved => Transition::Approve,
        AdvanceTo::Rejected => Transition::Reject,
        AdvanceTo::Printed => Transition::Print,
        AdvanceTo::Ready => Transition::MakeReady,
        AdvanceTo::Collected => Transition::Collect,
        AdvanceTo::NoShow => Transition::MarkNoShow,
        AdvanceTo::Uncollected => Transition::MarkUncollected,
        AdvanceTo::Cancelled => Transition::Cancel,
    };
    Ok(Json(state.db.write(|tx| {
        sweep(tx, now)?;
        let row = load_any(tx, &id)?;
        transition(tx, &id, row.state, t, now, None)?;
        if t == Transition::Cancel && row.state.is_active() {
            // Its place goes back to the quota, and to the watches it fits.
            release_place(tx, &id, now)?;
        }
        to_api(tx, &load_any(tx, &id)?)
    })?))
}

/// Ask, as the office would, for one document to be photographed again or
/// one typed field to be fixed, with the reason and a deadline (at the
/// latest the end of the day before the appointment). Only a paid
/// application whose appointment is after tomorrow.
#[utoipa::path(post, path = "/tester/applications/{id}/corrections", tag = "tester", request_body = CorrectionRequest, params(("id" = String, Path)),
    responses((status = 201, body = Correction), (status = 404, body = ErrorBody),
              (status = 409, description = "correction_refused: not paid, the appointment too near, or that correction open already", body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn ask_correction(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(req): Json<CorrectionRequest>,
) -> ApiResult<(StatusCode, Json<Correction>)> {
    let now = state.clock.now();
    let asked = state.db.write(|tx| {
        sweep(tx, now)?;
        corrections::ask(tx, &id, &req, now)
    })?;
    Ok((StatusCode::CREATED, Json(asked)))
}

/// The office's desk: what a scanned or pasted proof is worth now, and the
/// application it names, whole.
#[utoipa::path(post, path = "/tester/desk/lookup", tag = "tester", request_body = DeskLookupRequest,
    responses((status = 200, body = DeskLookup), (status = 422, body = ErrorBody)))]
async fn desk_lookup(
    State(state): State<AppState>,
    Json(req): Json<DeskLookupRequest>,
) -> ApiResult<Json<DeskLookup>> {
    if req.qr_payload.len() > 2048 {
        return Err(ApiError::invalid(
            "qr_payload",
            "a proof's payload is at most 2 048 characters",
        ));
    }
    let now = state.clock.now();
    Ok(Json(state.db.write(|tx| {
        let (verdict, claim, row) =
            crate::model::proofs::judge(tx, &state.signer.public(), req.qr_payload.trim(), now)?;
        Ok(DeskLookup {
            verdict,
            claim,
            application: row.map(|row| to_api(tx, &row)).transpose()?,
        })
    })?))
}

/// The applicant is at the counter: a paid application's timeline notes it
/// (the state stays "paid" until the interview).
#[utoipa::path(post, path = "/tester/applications/{id}/check-in", tag = "tester", params(("id" = String, Path)),
    responses((status = 200, body = Application), (status = 404, body = ErrorBody), (status = 409, description = "transition_refused: not paid", body = ErrorBody)))]
async fn check_in(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Application>> {
    let now = state.clock.now();
    Ok(Json(state.db.write(|tx| {
        sweep(tx, now)?;
        let row = load_any(tx, &id)?;
        if row.state != ApplicationState::Paid {
            return Err(ApiError::conflict(
                ErrorCode::TransitionRefused,
                format!(
                    "the application is {}; only a paid one is checked in",
                    row.state
                ),
            ));
        }
        append_event(
            tx,
            &id,
            ApplicationState::Paid,
            Some(TimelineEvent::CheckedIn),
            now,
            Some("checked in at the counter"),
        )?;
        tx.prepare_cached(
            "UPDATE applications SET version = version + 1, updated_at = ?2 WHERE id = ?1",
        )?
        .execute(params![id, secs(now)])?;
        to_api(tx, &load_any(tx, &id)?)
    })?))
}

/// Add a person to the Dukcapil registry, with any passports already issued to them.
#[utoipa::path(post, path = "/tester/citizens", tag = "tester", request_body = Citizen,
    responses((status = 201, body = Citizen), (status = 409, description = "the NIK is taken", body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_citizen(
    State(state): State<AppState>,
    Json(c): Json<Citizen>,
) -> ApiResult<(StatusCode, Json<Citizen>)> {
    Nik::parse_stated(c.nik.trim(), c.birth_date, Some(c.sex))
        .map_err(|e| ApiError::unprocessable(ErrorCode::NikInvalid, e.to_string()).field("nik"))?;
    check_name(&c.full_name, "full_name")?;
    if c.family_card
        .as_deref()
        .is_some_and(|k| !crate::registry::is_family_card(k))
    {
        return Err(ApiError::invalid(
            "family_card",
            "a family card number is 16 digits",
        ));
    }
    state.db.write(|tx| {
        let inserted = tx
            .prepare_cached("INSERT OR IGNORE INTO citizens (nik, body) VALUES (?1, ?2)")?
            .execute(params![c.nik.trim(), serde_json::to_string(&c)?])?;
        if inserted == 0 {
            return Err(ApiError::conflict(
                ErrorCode::ValidationFailed,
                "the registry already has this NIK",
            )
            .field("nik"));
        }
        Ok(())
    })?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// The registry's named sample people (the app's mock mode offers them on
/// the personal step; `docs/mock-server.md` lists them).
#[utoipa::path(get, path = "/tester/citizens/samples", tag = "tester", responses((status = 200, body = Vec<Citizen>)))]
async fn samples(State(state): State<AppState>) -> Json<Vec<Citizen>> {
    let today = mpaspor_domain::OfficeZone::Wib.local_date(state.clock.now());
    Json(crate::registry::samples(today))
}

fn clock_state(state: &AppState) -> ClockState {
    ClockState {
        now: state.clock.now(),
        offset_seconds: state.clock.offset().as_secs(),
    }
}

/// The mock's clock.
#[utoipa::path(get, path = "/tester/clock", tag = "tester", responses((status = 200, body = ClockState)))]
async fn get_clock(State(state): State<AppState>) -> Json<ClockState> {
    Json(clock_state(&state))
}

/// Move the mock's clock forward by `advance_seconds`, or `set` it (to expire billing codes, pass H-1).
#[utoipa::path(post, path = "/tester/clock", tag = "tester", request_body = ClockRequest,
    responses((status = 200, body = ClockState), (status = 422, body = ErrorBody)))]
async fn move_clock(
    State(state): State<AppState>,
    Json(req): Json<ClockRequest>,
) -> ApiResult<Json<ClockState>> {
    match (req.advance_seconds, req.set) {
        (Some(s), None) => state.clock.advance(s)?,
        (None, Some(t)) => state.clock.set(t)?,
        _ => {
            return Err(ApiError::invalid(
                "advance_seconds",
                "give either advance_seconds or set",
            ));
        }
    }
    Ok(Json(clock_state(&state)))
}
