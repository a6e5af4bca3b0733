//! The application's life by the mock clock: moves through the state
//! machine with their timeline, payment, and the deadlines' sweep.

use crate::clock::{from_secs, secs};
use crate::error::{ApiError, ApiResult};
use crate::model::bookings::{apply_releases, release_place};
use crate::model::{corrections, events, messages, watches};
use crate::reference::SlotRef;
use jiff::Timestamp;
use mpaspor_domain::api::{ErrorCode, TimelineEvent};
use mpaspor_domain::schedule::pickup_last_day;
use mpaspor_domain::{ApplicationState, Transition};
use rusqlite::{Connection, params};

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
    if from == ApplicationState::Paid {
        corrections::close_open(tx, id, now)?;
    }
    if to == ApplicationState::ReadyForPickup {
        tx.prepare_cached("UPDATE applications SET ready_at = ?2 WHERE id = ?1")?
            .execute(params![id, secs(now)])?;
    }
    append_timeline(tx, id, to, now, note)?;
    // The owner hears of it on the feed (the phone, without polling) and by email.
    messages::application_changed(tx, id, to, now)?;
    Ok(to)
}

pub fn append_timeline(
    tx: &Connection,
    id: &str,
    state: ApplicationState,
    now: Timestamp,
    note: Option<&str>,
) -> ApiResult<()> {
    append_event(tx, id, state, None, now, note)
}

/// Writes what happened to an application while it stayed `state`.
pub fn append_event(
    tx: &Connection,
    id: &str,
    state: ApplicationState,
    event: Option<TimelineEvent>,
    now: Timestamp,
    note: Option<&str>,
) -> ApiResult<()> {
    tx.prepare_cached("INSERT INTO timeline (application_id, seq, state, at, note, event)
         VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM timeline WHERE application_id = ?1), ?2, ?3, ?4, ?5)")?.execute(
        params![id, state.as_str(), secs(now), note, event.map(|e| e.as_str())],
    )?;
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

/// Deadlines by the mock clock: the offices' quota releases whose time has
/// come open their days; an unpaid billing code expires and its place is
/// released; one the treasury was paid for in time is settled instead; a
/// passport not collected within 30 days is cancelled; watches past their
/// last day and old feed events go. Answers the next deadline still ahead
/// (see [`Swept`]).
pub fn sweep(tx: &Connection, now: Timestamp) -> ApiResult<Option<Timestamp>> {
    let mut next = apply_releases(tx, now)?;
    next = next
        .into_iter()
        .chain(corrections::lapse_due(tx, now)?)
        .min();
    watches::remove_passed(tx, mpaspor_domain::OfficeZone::Wib.local_date(now))?;
    events::prune(tx, now)?;
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
                release_place(tx, &id, now)?;
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
