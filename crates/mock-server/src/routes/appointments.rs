//! After payment: move the appointment once, or cancel.

use crate::clock::secs;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use crate::idempotency;
use crate::model::applications::{load, to_api};
use crate::model::bookings::{book, check_bookable, release_place};
use crate::model::lifecycle::{append_event, sweep, transition};
use crate::model::sessions::Caller;
use crate::model::watches;
use crate::reference::{Pool, SlotRef};

use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use mpaspor_domain::api::{
    Application, CancelRequest, ErrorBody, ErrorCode, RescheduleRequest, TimelineEvent,
};
use mpaspor_domain::schedule::check_reschedule;
use mpaspor_domain::{ApplicationState, Transition};
use rusqlite::params;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(reschedule))
        .routes(routes!(cancel))
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
            check_bookable(now, &new)?;
            let pool: String = tx.prepare_cached("SELECT slot_pool FROM applications WHERE id = ?1")?.query_row([&id], |r| r.get(0))?;
            book(tx, &new, Pool::parse(&pool))?;
            release_place(tx, &id, now)?;
            tx.prepare_cached("UPDATE applications SET slot_id = ?2, reschedules_used = reschedules_used + 1, version = version + 1, updated_at = ?3 WHERE id = ?1")?.execute(
                params![id, new.id(), secs(now)],
            )?;
            let note = format!("rescheduled from {} {} to {} {}", current.date, current.window.show(current.office.served.zone), new.date, new.window.show(new.office.served.zone));
            append_event(tx, &id, row.state, Some(TimelineEvent::Rescheduled), now, Some(&note))?;
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
                release_place(tx, &id, now)?;
            }
            watches::remove_for_application(tx, &id)?;
            transition(tx, &id, row.state, Transition::Cancel, now, Some(note))?;
            Ok((StatusCode::OK, to_api(tx, &load(tx, &caller, &id)?)?))
        })
    })
}
