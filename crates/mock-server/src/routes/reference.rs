//! Offices and their quota, the earliest free places, fees, places, and the
//! Dukcapil NIK check.

use crate::error::{ApiError, ApiResult};
use crate::extract::{ClientAddress, Json, Path, Query};
use crate::model::bookings::{
    BOOKING_HORIZON_DAYS, first_bookable, last_open, quota_release, slot_of,
};
use crate::model::identity::{citizen_row, identity_verdict, parse_citizen};
use crate::model::lifecycle::sweep;
use crate::model::sessions::Caller;
use crate::model::throttle;
use crate::reference::{self, OfficeRecord, Pool, SlotRef, distance_km, nearest, parse_point};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use jiff::Span;
use jiff::civil::Date;
use mpaspor_domain::PassportType;
use mpaspor_domain::api::{
    EarliestSlot, ErrorBody, NikCheckRequest, NikCheckResponse, Office, OfficeQuery, OfficeSlots,
    Page, PageQuery, Place, Slot, SlotDay, WalkInDay,
};
use mpaspor_domain::fees::FeeTable;
use rusqlite::Connection;
use serde::Deserialize;
use std::collections::HashMap;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_offices))
        .routes(routes!(office_slots))
        .routes(routes!(earliest))
        .routes(routes!(walk_ins))
        .routes(routes!(fees))
        .routes(routes!(places))
        .routes(routes!(nik_check))
}

fn contains_words(haystack: &str, q: &str) -> bool {
    let h = haystack.to_lowercase();
    q.split_whitespace().all(|w| h.contains(&w.to_lowercase()))
}

/// `near` as a point, or the 400 that says how to write one.
pub(crate) fn point(near: &str) -> ApiResult<(f64, f64)> {
    parse_point(near)
        .ok_or_else(|| ApiError::bad_request("near is lat,lon in degrees").field("near"))
}

/// Offices, nearest first from `near`, or by name.
#[utoipa::path(get, path = "/v1/offices", tag = "offices", params(OfficeQuery, PageQuery),
    responses((status = 200, body = Page<Office>), (status = 400, body = ErrorBody)))]
async fn list_offices(
    Query(q): Query<OfficeQuery>,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<Page<Office>>> {
    let near = q.near.as_deref().map(point).transpose()?;
    let mut found: Vec<(Option<f64>, &OfficeRecord)> = reference::OFFICES
        .iter()
        .filter(|o| {
            q.passport_type
                .is_none_or(|t| o.served.passport_types.contains(&t))
        })
        .filter(|o| {
            q.q.as_deref().is_none_or(|words| {
                contains_words(
                    &format!("{} {} {}", o.served.name, o.served.city, o.served.province),
                    words,
                )
            })
        })
        .map(|o| {
            (
                near.map(|(lat, lon)| distance_km(lat, lon, o.served.lat, o.served.lon)),
                o,
            )
        })
        .collect();
    if near.is_some() {
        found.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
    } else {
        found.sort_by(|a, b| a.1.served.name.cmp(&b.1.served.name));
    }
    Ok(Json(Page::of(
        found.into_iter().map(|(d, o)| o.to_office(d)).collect(),
        page,
    )))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct SlotQuery {
    /// First office-local date; tomorrow at the office when absent.
    from: Option<Date>,
    /// How many days, 1 to 62; 14 when absent.
    days: Option<u32>,
    /// Whose quota `capacity` and `left` give (each type's is in `by_type`
    /// anyway); the ordinary passports' when absent.
    passport_type: Option<PassportType>,
}

/// Places booked in one office's slots, by slot id and pool.
fn booked_at(tx: &Connection, office_id: &str) -> ApiResult<HashMap<(String, Pool), u32>> {
    // Slot ids start with the office's id and a dot: the range is that prefix ('/' follows '.').
    let (from, to) = (format!("{office_id}."), format!("{office_id}/"));
    let mut q = tx.prepare_cached(
        "SELECT slot_id, pool, booked FROM slot_bookings WHERE slot_id >= ?1 AND slot_id < ?2",
    )?;
    let rows = q.query_map([&from, &to], |r| {
        Ok((
            (r.get::<_, String>(0)?, Pool::parse(&r.get::<_, String>(1)?)),
            r.get::<_, u32>(2)?,
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The office's days from `from`: the windows of the days whose places
/// are released, with their quota; later days say when they open.
fn days_of(
    tx: &Connection,
    office: &'static OfficeRecord,
    from: Date,
    days: u32,
    asked: Option<PassportType>,
    now: jiff::Timestamp,
) -> ApiResult<Vec<SlotDay>> {
    let booked = booked_at(tx, &office.served.id)?;
    let last_open = last_open(now, office);
    let mut out = Vec::with_capacity(days as usize);
    for i in 0..days {
        let date = from + Span::new().days(i as i64);
        let windows = office.windows_on(date);
        let open = !windows.is_empty();
        let released = date <= last_open;
        let slots: Vec<Slot> = windows
            .into_iter()
            .filter(|_| released)
            .map(|window| {
                let slot = SlotRef {
                    office,
                    date,
                    window,
                };
                let id = slot.id();
                slot_of(
                    &slot,
                    |pool| booked.get(&(id.clone(), pool)).copied().unwrap_or(0),
                    asked,
                )
            })
            .collect();
        let opens = office.release.opens_at(date);
        out.push(SlotDay {
            date,
            open,
            slots,
            opens_at: (open && !released)
                .then(|| office.served.zone.instant(opens.date(), opens.time())),
        });
    }
    Ok(out)
}

/// Expired billing codes and due releases first: they change the quota
/// (skipped while no write has happened and no deadline has come since the
/// last sweep).
pub(crate) fn sweep_if_due(state: &AppState) -> ApiResult<()> {
    let now = state.clock.now();
    if state.swept.needed(state.db.generation(), now) {
        state.db.write(|tx| {
            let next = sweep(tx, now)?;
            state.swept.record(state.db.generation(), next);
            Ok(())
        })?;
    }
    Ok(())
}

/// Sweeps each deadline when it comes (a quota release, an expiring
/// billing code), so the watches it frees places for are told while their
/// phones wait on the feed, without a request to prompt it. Looks once a
/// second; a look with nothing due is a comparison, not a query.
pub async fn keep_swept(state: AppState) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        tick.tick().await;
        if let Err(e) = sweep_if_due(&state) {
            tracing::warn!("sweeping the deadlines failed: {}", e.body.error.message);
        }
    }
}

/// Per day, the office's arrival windows with capacity and places left.
#[utoipa::path(get, path = "/v1/offices/{id}/slots", tag = "offices", params(("id" = String, Path, description = "office id"), SlotQuery),
    responses((status = 200, body = OfficeSlots), (status = 404, body = ErrorBody), (status = 400, body = ErrorBody)))]
async fn office_slots(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<SlotQuery>,
) -> ApiResult<Response> {
    let office = reference::office(&id).ok_or_else(|| ApiError::not_found("office"))?;
    let first = first_bookable(state.clock.now(), office);
    let from = q.from.unwrap_or(first).max(first);
    let days = q.days.unwrap_or(14);
    if !(1..=62).contains(&days) {
        return Err(ApiError::bad_request("days is 1 to 62").field("days"));
    }
    let last = first + Span::new().days(BOOKING_HORIZON_DAYS - 1);
    let days = if from > last {
        0
    } else {
        days.min((last - from).get_days() as u32 + 1)
    };
    sweep_if_due(&state)?;
    let asked = q.passport_type;
    let key = format!(
        "{}/{from}/{days}/{}",
        office.served.id,
        asked.map_or("", |t| t.as_str())
    );
    let body = match state.answers.get(&key, state.db.generation()) {
        Some(body) => body,
        None => {
            // Rendered by the clock of this generation: a release moves it on
            // (the sweep records it), so the answer holds until then.
            let now = state.clock.now();
            let (generation, days) = state.db.write(|tx| {
                Ok((
                    state.db.generation(),
                    days_of(tx, office, from, days, asked, now)?,
                ))
            })?;
            let body = Bytes::from(serde_json::to_vec(&OfficeSlots {
                office_id: office.served.id.clone(),
                zone: office.served.zone,
                days,
                release: Some(quota_release(office, now)),
            })?);
            state.answers.put(key, generation, body.clone());
            body
        }
    };
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct EarliestQuery {
    /// `lat,lon`.
    #[param(pattern = r"^-?[0-8]?[0-9](\.[0-9]{1,6})?,-?1?[0-7]?[0-9](\.[0-9]{1,6})?$")]
    near: String,
    passport_type: Option<PassportType>,
    /// How many of the nearest offices to search, 1 to 20; 8 when absent.
    #[param(minimum = 1, maximum = 20)]
    offices: Option<usize>,
}

/// The earliest free windows across the offices nearest a point, soonest first.
#[utoipa::path(get, path = "/v1/slots/earliest", tag = "offices", params(EarliestQuery, PageQuery),
    responses((status = 200, body = Page<EarliestSlot>), (status = 400, body = ErrorBody)))]
async fn earliest(
    State(state): State<AppState>,
    Query(q): Query<EarliestQuery>,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<Page<EarliestSlot>>> {
    let at = point(&q.near)?;
    let n = q.offices.unwrap_or(8);
    if !(1..=20).contains(&n) {
        return Err(ApiError::bad_request("offices is 1 to 20").field("offices"));
    }
    let nearest = nearest(at, n, |o| {
        q.passport_type
            .is_none_or(|t| o.served.passport_types.contains(&t))
    });
    // Anyone may ask, so each office's first free window is worked out once
    // per database generation (like the slots), not under the lock per request.
    sweep_if_due(&state)?;
    let now = state.clock.now();
    let asked = q.passport_type;
    let key = |office: &OfficeRecord| {
        format!(
            "{}/{}/{}",
            office.served.id,
            first_bookable(now, office),
            asked.map_or("", |t| t.as_str())
        )
    };
    let generation = state.db.generation();
    let mut firsts: Vec<Option<Option<Slot>>> = nearest
        .iter()
        .map(|(_, office)| state.earliest.get(&key(office), generation))
        .collect();
    if firsts.iter().any(Option::is_none) {
        let (generation, worked_out) = state.db.write(|tx| {
            let mut worked_out = Vec::new();
            for ((_, office), known) in nearest.iter().zip(&firsts) {
                if known.is_some() {
                    continue;
                }
                let days = days_of(
                    tx,
                    office,
                    first_bookable(now, office),
                    BOOKING_HORIZON_DAYS as u32,
                    asked,
                    now,
                )?;
                let first = days.into_iter().flat_map(|d| d.slots).find(|s| s.left > 0);
                worked_out.push((key(office), first));
            }
            Ok((state.db.generation(), worked_out))
        })?;
        let mut worked_out = worked_out.into_iter();
        for known in firsts.iter_mut().filter(|k| k.is_none()) {
            let (key, first) = worked_out.next().expect("one per office not known");
            state.earliest.put(key, generation, first.clone());
            *known = Some(first);
        }
    }
    let mut found: Vec<(f64, EarliestSlot)> = nearest
        .iter()
        .zip(firsts)
        .filter_map(|((distance, office), first)| {
            first.flatten().map(|slot| {
                (
                    *distance,
                    EarliestSlot {
                        office: office.to_office(Some(*distance)),
                        slot,
                    },
                )
            })
        })
        .collect();
    found.sort_by(|a, b| {
        (a.1.slot.date, a.1.slot.window.start)
            .cmp(&(b.1.slot.date, b.1.slot.window.start))
            .then(a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal))
    });
    Ok(Json(Page::of(
        found.into_iter().map(|(_, e)| e).collect(),
        page,
    )))
}

/// The fee table in force (Government Regulation 45/2024).
#[utoipa::path(get, path = "/v1/fees", tag = "fees", responses((status = 200, body = FeeTable)))]
async fn fees() -> Json<FeeTable> {
    Json(reference::FEES.clone())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct PlaceQuery {
    /// Words of the city or regency name.
    q: Option<String>,
}

/// Cities and regencies with coordinates, for a typed address.
#[utoipa::path(get, path = "/v1/places", tag = "places", params(PlaceQuery, PageQuery), responses((status = 200, body = Page<Place>)))]
async fn places(Query(q): Query<PlaceQuery>, Query(page): Query<PageQuery>) -> Json<Page<Place>> {
    let found: Vec<Place> = reference::PLACES
        .iter()
        .filter(|p| {
            q.q.as_deref()
                .is_none_or(|words| contains_words(&format!("{} {}", p.name, p.province), words))
        })
        .cloned()
        .collect();
    Json(Page::of(found, page))
}

/// Check a NIK with name and birth date against the civil registry. An
/// unknown NIK and one registered with another name or birth date answer
/// alike (`no_match`); 30 checks an hour per account.
#[utoipa::path(post, path = "/v1/identity/nik-check", tag = "identity", request_body = NikCheckRequest, security(("bearer" = [])),
    responses((status = 200, body = NikCheckResponse), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 429, description = "rate_limited", body = ErrorBody)))]
async fn nik_check(
    State(state): State<AppState>,
    caller: Caller,
    ClientAddress(address): ClientAddress,
    Json(req): Json<NikCheckRequest>,
) -> ApiResult<Json<NikCheckResponse>> {
    let now = state.clock.now();
    state.db.write(|tx| {
        throttle::take(
            tx,
            &throttle::NIK_CHECKS_PER_ACCOUNT,
            &caller.account_id,
            now,
        )?;
        throttle::take(
            tx,
            &throttle::NIK_CHECKS_PER_ADDRESS,
            &address.to_string(),
            now,
        )
    })?;
    // Only the registry's row is read under the database's lock.
    let verdict = identity_verdict(&req, |nik| {
        parse_citizen(state.db.read(|conn| citizen_row(conn, nik))?)
    })?;
    Ok(Json(verdict))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct WalkInQuery {
    /// One office's days.
    office: Option<String>,
    /// `lat,lon`: the days of the five offices nearest it.
    #[param(pattern = r"^-?[0-8]?[0-9](\.[0-9]{1,6})?,-?1?[0-7]?[0-9](\.[0-9]{1,6})?$")]
    near: Option<String>,
    /// How many days ahead, 1 to 28; 14 when absent.
    #[param(minimum = 1, maximum = 28)]
    days: Option<i64>,
}

/// Walk-in days, soonest first: the everyday lane for those who need not
/// book, Paspor Simpatik weekends and outreach visits; of one office, of
/// the five nearest a point, or of every office.
#[utoipa::path(get, path = "/v1/walk-ins", tag = "offices", params(WalkInQuery, PageQuery),
    responses((status = 200, body = Page<WalkInDay>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn walk_ins(
    State(state): State<AppState>,
    Query(q): Query<WalkInQuery>,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<Page<WalkInDay>>> {
    let days = q.days.unwrap_or(14);
    if !(1..=28).contains(&days) {
        return Err(ApiError::bad_request("days is 1 to 28").field("days"));
    }
    let offices: Vec<&OfficeRecord> = match (&q.office, &q.near) {
        (Some(id), _) => vec![reference::office(id).ok_or_else(|| ApiError::not_found("office"))?],
        (None, Some(near)) => nearest(point(near)?, 5, |_| true)
            .into_iter()
            .map(|(_, o)| o)
            .collect(),
        (None, None) => reference::OFFICES.iter().collect(),
    };
    let now = state.clock.now();
    let found = crate::walk_ins::of_offices(offices, |o| o.served.zone.local_date(now), days);
    Ok(Json(Page::of(found, page)))
}
