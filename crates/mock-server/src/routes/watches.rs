//! Watches (tell me when a place opens) and the account's change feed,
//! which a phone holds open instead of polling the slots.

use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::idempotency;
use crate::model::applications::load;
use crate::model::bookings::{BOOKING_HORIZON_DAYS, first_bookable};
use crate::model::events;
use crate::model::family::check_may_file_for;
use crate::model::sessions::Caller;
use crate::model::watches::{self, NewWatch, serves};
use crate::reference::{self, OfficeRecord};
use crate::routes::reference::{point, sweep_if_due};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use jiff::Span;
use mpaspor_domain::api::{
    ErrorBody, ErrorCode, FeedPage, MAX_FEED_WAIT, MAX_WATCH_OFFICES, NEAREST_WATCHED, Page,
    PageQuery, Watch, WatchRequest,
};
use mpaspor_domain::{ApplicationState, Nik, OfficeZone, Service};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(remove))
        .routes(routes!(feed))
}

/// Ask to be told when a place opens that fits a draft: at the offices
/// named (or the three nearest `near` that serve the draft), between two
/// days, for the draft's passport type. The draft's NIK must be one the
/// account files for; a person has at most three watches.
#[utoipa::path(post, path = "/v1/watches", tag = "watches", request_body = WatchRequest, security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = Watch), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "not_editable or watch_limit", body = ErrorBody),
              (status = 422, description = "validation_failed, incomplete_application, nik_invalid, not_on_family_card, office_cannot_issue", body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Json(req): Json<WatchRequest>,
) -> ApiResult<Response> {
    let key = idempotency::key(&headers)?;
    let now = state.clock.now();
    state.db.write(|tx| {
        idempotency::once(
            tx,
            &caller.account_id,
            key.as_deref(),
            "POST /v1/watches",
            &req,
            now,
            |tx| {
                let row = load(tx, &caller, &req.application_id)?;
                if row.state != ApplicationState::Draft {
                    return Err(ApiError::conflict(
                        ErrorCode::NotEditable,
                        format!(
                            "the application is already {}; only a draft waits for a place",
                            row.state
                        ),
                    ));
                }
                let d = &row.draft;
                let passport_type = d.passport_type.ok_or_else(|| {
                    ApiError::unprocessable(
                        ErrorCode::IncompleteApplication,
                        "choose the passport type first: each type has its own quota",
                    )
                    .field("passport_type")
                })?;
                let service = d.service.unwrap_or(Service::Reguler);
                let nik_text = d.personal.nik.as_deref().map(str::trim).unwrap_or_default();
                if nik_text.is_empty() {
                    return Err(ApiError::unprocessable(
                        ErrorCode::IncompleteApplication,
                        "a watch is bound to the applicant's NIK: fill it in first",
                    )
                    .field("personal.nik"));
                }
                let nik = Nik::parse(nik_text, OfficeZone::Wib.local_date(now)).map_err(|e| {
                    ApiError::unprocessable(ErrorCode::NikInvalid, e.to_string())
                        .field("personal.nik")
                })?;
                check_may_file_for(tx, &caller.account_id, nik.as_str(), "personal.nik")?;
                let offices = offices_of(&req, passport_type, service)?;
                let earliest = offices
                    .iter()
                    .map(|o| first_bookable(now, o))
                    .min()
                    .unwrap_or(req.from);
                let latest = earliest + Span::new().days(BOOKING_HORIZON_DAYS - 1);
                if req.from > req.to {
                    return Err(ApiError::invalid("to", "the last day is before the first"));
                }
                if req.to < earliest || req.from > latest {
                    return Err(ApiError::invalid(
                        "from",
                        format!("places can be booked from {earliest} to {latest}"),
                    ));
                }
                let watch = watches::create(
                    tx,
                    &NewWatch {
                        account_id: &caller.account_id,
                        application_id: &row.id,
                        nik: nik.as_str(),
                        offices,
                        from: req.from.max(earliest),
                        to: req.to.min(latest),
                        passport_type,
                        service,
                    },
                    now,
                )?;
                Ok((StatusCode::CREATED, watch))
            },
        )
    })
}

/// The offices a request names, each able to serve the draft.
fn offices_of(
    req: &WatchRequest,
    passport_type: mpaspor_domain::PassportType,
    service: Service,
) -> ApiResult<Vec<&'static OfficeRecord>> {
    match (&req.offices[..], &req.near) {
        ([], Some(near)) => {
            let found = reference::nearest(point(near)?, NEAREST_WATCHED, |o| {
                serves(o, passport_type, service)
            });
            Ok(found.into_iter().map(|(_, o)| o).collect())
        }
        ([], None) => Err(ApiError::invalid(
            "offices",
            "name the offices to watch, or give near",
        )),
        (ids, _) if ids.len() > MAX_WATCH_OFFICES => Err(ApiError::invalid(
            "offices",
            format!("a watch names at most {MAX_WATCH_OFFICES} offices"),
        )),
        (ids, _) => ids
            .iter()
            .map(|id| {
                let office = reference::office(id)
                    .ok_or_else(|| ApiError::invalid("offices", format!("no office {id}")))?;
                if !serves(office, passport_type, service) {
                    return Err(ApiError::unprocessable(
                        ErrorCode::OfficeCannotIssue,
                        format!(
                            "{} does not offer this passport type or service",
                            office.served.name
                        ),
                    )
                    .field("offices"));
                }
                Ok(office)
            })
            .collect(),
    }
}

/// The account's watches, each with the last place it found.
#[utoipa::path(get, path = "/v1/watches", tag = "watches", params(PageQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<Watch>), (status = 401, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<Page<Watch>>> {
    let all = state.db.write(|tx| watches::list(tx, &caller.account_id))?;
    Ok(Json(Page::of(all, page)))
}

/// Stop a watch.
#[utoipa::path(delete, path = "/v1/watches/{id}", tag = "watches", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 204, description = "removed"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let removed = state
        .db
        .write(|tx| watches::remove(tx, &caller.account_id, &id))?;
    if removed {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("watch"))
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct FeedQuery {
    /// The last `seq` seen (the page's `cursor`); 0 for everything kept.
    after: Option<u64>,
    /// Seconds to hold the request open when there is nothing new, 0 to 30.
    #[param(minimum = 0, maximum = 30)]
    wait: Option<u64>,
}

/// The account's events after a cursor: a place opened for a watch, an
/// application that moved to another state.
/// With `wait`, the answer comes as soon as there is one, or after that
/// many seconds with none: a phone holds this open instead of polling.
#[utoipa::path(get, path = "/v1/events", tag = "watches", params(FeedQuery), security(("bearer" = [])),
    responses((status = 200, body = FeedPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn feed(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<FeedQuery>,
) -> ApiResult<Json<FeedPage>> {
    let after = q.after.unwrap_or(0);
    let wait = q.wait.unwrap_or(0);
    if wait > MAX_FEED_WAIT {
        return Err(
            ApiError::bad_request(format!("wait is 0 to {MAX_FEED_WAIT} seconds")).field("wait"),
        );
    }
    // A deadline that came (a release, an expiry) tells its watches first.
    sweep_if_due(&state)?;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(wait);
    // Subscribed before the first read: a write between the two still wakes us.
    let mut changed = state.db.subscribe();
    loop {
        let found = state
            .db
            .read(|conn| events::after(conn, &caller.account_id, after))?;
        if !found.is_empty() {
            let cursor = found.last().map_or(after, |e| e.seq);
            return Ok(Json(FeedPage {
                events: found,
                cursor,
            }));
        }
        match tokio::time::timeout_at(deadline, changed.changed()).await {
            Ok(Ok(())) => continue,
            _ => {
                return Ok(Json(FeedPage {
                    events: Vec::new(),
                    cursor: after,
                }));
            }
        }
    }
}
