//! The quota: places left in a window, holding and giving back a place,
//! the days that can be booked, and a quota release whose time has come.

use crate::clock::{from_secs, secs};
use crate::error::{ApiError, ApiResult};
use crate::reference::{OfficeRecord, SlotRef};
use jiff::civil::Date;
use jiff::{Span, Timestamp};
use mpaspor_domain::api::{ErrorCode, Slot};
use rusqlite::{Connection, OptionalExtension};

/// The `meta` key of the one pending quota release (`office-id unix-seconds`).
pub const RELEASE_KEY: &str = "quota_release";

/// How far ahead places can be booked.
pub const BOOKING_HORIZON_DAYS: i64 = 60;

/// Capacity and places left of one slot.
pub fn slot_state(tx: &Connection, slot: &SlotRef) -> ApiResult<Slot> {
    let id = slot.id();
    let booked: u32 = tx
        .prepare_cached("SELECT booked FROM slot_bookings WHERE slot_id = ?1")?
        .query_row([&id], |r| r.get(0))
        .optional()?
        .unwrap_or(0);
    let capacity: u32 = tx
        .prepare_cached("SELECT capacity FROM slot_capacity WHERE slot_id = ?1")?
        .query_row([&id], |r| r.get(0))
        .optional()?
        .unwrap_or(slot.office.capacity_per_window);
    Ok(Slot {
        id: id.into(),
        date: slot.date,
        window: slot.window,
        capacity,
        left: capacity.saturating_sub(booked),
    })
}

/// The first office-local date that can be booked: tomorrow at the office.
pub fn first_bookable(now: Timestamp, office: &OfficeRecord) -> Date {
    office.served.zone.local_date(now) + Span::new().days(1)
}

/// Takes one place of a slot, or refuses with `slot_full`. Runs inside the
/// caller's transaction, which the database lock serialises: no overbooking.
pub fn book(tx: &Connection, slot: &SlotRef) -> ApiResult<()> {
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

/// A pending quota release whose time has come opens its places. Answers
/// when the one still pending is due, if one is.
pub fn apply_release(tx: &Connection, now: Timestamp) -> ApiResult<Option<Timestamp>> {
    let pending: Option<String> = tx
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([RELEASE_KEY], |r| r.get(0))
        .optional()?;
    let Some((office, at)) = pending.as_deref().and_then(|v| v.split_once(' ')) else {
        return Ok(None);
    };
    let at = at.parse::<i64>().map_err(|_| ApiError::internal())?;
    if secs(now) < at {
        return Ok(Some(from_secs(at)));
    }
    tx.prepare_cached("DELETE FROM slot_capacity WHERE slot_id LIKE ?1 AND capacity = 0")?
        .execute([format!("{office}.%")])?;
    tx.prepare_cached("DELETE FROM meta WHERE key = ?1")?
        .execute([RELEASE_KEY])?;
    Ok(None)
}
