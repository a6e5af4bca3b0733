//! The account's change feed: events numbered in the order they happened,
//! read after a cursor. Kept 30 days; an account's go with it.

use crate::clock::{from_secs, secs};
use crate::error::{ApiError, ApiResult};
use jiff::{SignedDuration, Timestamp};
use mpaspor_domain::ApplicationState;
use mpaspor_domain::api::{ApplicationChanged, Correction, FeedEvent, FeedKind, PlaceOpened};
use rusqlite::{Connection, params};

/// How long an event stays readable.
pub const KEPT: SignedDuration = SignedDuration::from_hours(24 * 30);

/// Most events one read answers.
pub const PAGE: u32 = 100;

fn append(
    tx: &Connection,
    account_id: &str,
    kind: FeedKind,
    body: &impl serde::Serialize,
    now: Timestamp,
) -> ApiResult<()> {
    tx.prepare_cached("INSERT INTO events (account_id, kind, body, at) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![
            account_id,
            kind.as_str(),
            serde_json::to_string(body)?,
            secs(now)
        ])?;
    Ok(())
}

/// Adds a place-opened event to an account's feed.
pub fn place_opened(
    tx: &Connection,
    account_id: &str,
    place: &PlaceOpened,
    now: Timestamp,
) -> ApiResult<()> {
    append(tx, account_id, FeedKind::PlaceOpened, place, now)
}

/// Tells an account that one of its applications moved to `state`.
pub fn application_changed(
    tx: &Connection,
    account_id: &str,
    application_id: &str,
    state: ApplicationState,
    now: Timestamp,
) -> ApiResult<()> {
    let body = ApplicationChanged {
        application_id: application_id.into(),
        state,
    };
    append(tx, account_id, FeedKind::ApplicationChanged, &body, now)
}

/// Tells an account of a correction on one of its applications.
pub fn correction(
    tx: &Connection,
    account_id: &str,
    correction: &Correction,
    now: Timestamp,
) -> ApiResult<()> {
    append(tx, account_id, FeedKind::Correction, correction, now)
}

/// The account's events after `after`, oldest first, at most [`PAGE`].
pub fn after(conn: &Connection, account_id: &str, after: u64) -> ApiResult<Vec<FeedEvent>> {
    let mut q = conn.prepare_cached(
        "SELECT seq, kind, body, at FROM events WHERE account_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
    )?;
    let rows = q.query_map(params![account_id, after as i64, PAGE], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    let mut events = Vec::new();
    for row in rows {
        let (seq, kind, body, at) = row?;
        let kind: FeedKind = kind.parse().map_err(|_| ApiError::internal())?;
        let mut event = FeedEvent {
            seq: seq as u64,
            at: from_secs(at),
            kind,
            place_opened: None,
            application_changed: None,
            correction: None,
        };
        match kind {
            FeedKind::PlaceOpened => event.place_opened = Some(serde_json::from_str(&body)?),
            FeedKind::ApplicationChanged => {
                event.application_changed = Some(serde_json::from_str(&body)?)
            }
            FeedKind::Correction => event.correction = Some(serde_json::from_str(&body)?),
        }
        events.push(event);
    }
    Ok(events)
}

/// Forgets events older than [`KEPT`].
pub fn prune(tx: &Connection, now: Timestamp) -> ApiResult<()> {
    tx.prepare_cached("DELETE FROM events WHERE at < ?1")?
        .execute([secs(now - KEPT)])?;
    Ok(())
}
