//! The quota: places left in a window for each passport type's pool,
//! holding and giving back a place, the days that can be booked, and the
//! offices' releases whose time has come.

use crate::clock::{from_secs, secs};
use crate::error::{ApiError, ApiResult};
use crate::model::watches;
use crate::reference::{self, OfficeRecord, Pool, SlotRef};
use jiff::civil::Date;
use jiff::{Span, Timestamp};
use mpaspor_domain::PassportType;
use mpaspor_domain::api::{ErrorCode, QuotaRelease, Slot, TypeQuota};
use rusqlite::{Connection, OptionalExtension, params};

/// How far ahead places can be booked (at most; an office's release rule
/// may open fewer days).
pub const BOOKING_HORIZON_DAYS: i64 = 60;

/// The `meta` key of the instant up to which releases have been applied,
/// and of the next release after it (`seen next`, unix seconds).
pub const RELEASES_SEEN: &str = "releases_seen";

/// A window with its quota per passport type, from the places booked in
/// each pool; `asked` picks the type whose quota `capacity` and `left` give.
pub fn slot_of(slot: &SlotRef, booked: impl Fn(Pool) -> u32, asked: Option<PassportType>) -> Slot {
    let quota = |t: PassportType| {
        let pool = Pool::of(t);
        let capacity = pool.capacity(slot.office);
        TypeQuota {
            passport_type: t,
            capacity,
            left: capacity.saturating_sub(booked(pool)),
        }
    };
    let main = quota(asked.unwrap_or(PassportType::Biasa));
    Slot {
        id: slot.id().into(),
        date: slot.date,
        window: slot.window,
        capacity: main.capacity,
        left: main.left,
        by_type: slot
            .office
            .served
            .passport_types
            .iter()
            .map(|t| quota(*t))
            .collect(),
    }
}

/// Places booked in one pool of a slot.
pub fn booked(tx: &Connection, slot_id: &str, pool: Pool) -> ApiResult<u32> {
    Ok(tx
        .prepare_cached("SELECT booked FROM slot_bookings WHERE slot_id = ?1 AND pool = ?2")?
        .query_row([slot_id, pool.as_str()], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// Places left in one pool of a slot.
pub fn left(tx: &Connection, slot: &SlotRef, pool: Pool) -> ApiResult<u32> {
    Ok(pool
        .capacity(slot.office)
        .saturating_sub(booked(tx, &slot.id(), pool)?))
}

/// The first office-local date that can be booked: tomorrow at the office.
pub fn first_bookable(now: Timestamp, office: &OfficeRecord) -> Date {
    office.served.zone.local_date(now) + Span::new().days(1)
}

/// The last office-local date whose places are open now: the office's
/// release rule, within the booking horizon.
pub fn last_open(now: Timestamp, office: &OfficeRecord) -> Date {
    let horizon = first_bookable(now, office) + Span::new().days(BOOKING_HORIZON_DAYS - 1);
    office.release.open_through(office.local(now)).min(horizon)
}

/// The office's release rule, its next release and the days open now.
pub fn quota_release(office: &OfficeRecord, now: Timestamp) -> QuotaRelease {
    let (next_at, next) = office.next_release(now);
    QuotaRelease {
        rule: office.release,
        next_at,
        opens_from: next.from,
        opens_through: next.through,
        open_through: last_open(now, office),
    }
}

/// Refuses a window that cannot be booked now: in the past, beyond the
/// horizon, or on a day whose places the office has not released yet.
pub fn check_bookable(now: Timestamp, slot: &SlotRef) -> ApiResult<()> {
    let office = slot.office;
    let first = first_bookable(now, office);
    let horizon = first + Span::new().days(BOOKING_HORIZON_DAYS - 1);
    if slot.date < first || slot.date > horizon {
        return Err(ApiError::invalid(
            "slot_id",
            format!("places can be booked from {first} for {BOOKING_HORIZON_DAYS} days"),
        ));
    }
    if slot.date > last_open(now, office) {
        let opens = office.release.opens_at(slot.date);
        return Err(ApiError::invalid(
            "slot_id",
            format!(
                "the places of {} open on {} at {:02}:{:02} {}",
                slot.date,
                opens.date(),
                opens.hour(),
                opens.minute(),
                office.served.zone.label()
            ),
        ));
    }
    Ok(())
}

/// Takes one place of a slot's pool, or refuses with `slot_full`. Runs
/// inside the caller's transaction, which the database lock serialises:
/// no overbooking.
pub fn book(tx: &Connection, slot: &SlotRef, pool: Pool) -> ApiResult<()> {
    if left(tx, slot, pool)? == 0 {
        return Err(
            ApiError::conflict(ErrorCode::SlotFull, "no places are left in this window")
                .field("slot_id"),
        );
    }
    tx.prepare_cached("INSERT INTO slot_bookings (slot_id, pool, booked) VALUES (?1, ?2, 1) ON CONFLICT (slot_id, pool) DO UPDATE SET booked = booked + 1")?.execute(
        [slot.id().as_str(), pool.as_str()],
    )?;
    Ok(())
}

/// Gives an application's place back to its slot's pool, and tells the
/// watches it fits.
pub fn release_place(tx: &Connection, id: &str, now: Timestamp) -> ApiResult<()> {
    let held: Option<(Option<String>, String)> = tx
        .prepare_cached("SELECT slot_id, slot_pool FROM applications WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((Some(slot_id), pool)) = held else {
        return Ok(());
    };
    tx.prepare_cached(
        "UPDATE slot_bookings SET booked = MAX(booked - 1, 0) WHERE slot_id = ?1 AND pool = ?2",
    )?
    .execute([&slot_id, &pool])?;
    if let Some(slot) = SlotRef::parse(&slot_id) {
        let pool = Pool::parse(&pool);
        let places = left(tx, &slot, pool)?;
        watches::tell(tx, &[(slot, pool, places)], now)?;
    }
    Ok(())
}

/// The releases that came since the last look open their days: the
/// watches those places fit are told. Answers the next release of any
/// office. Until that instant (kept beside the last look) nothing is
/// worked out: a sweep runs in every write, and this is most of one.
pub fn apply_releases(tx: &Connection, now: Timestamp) -> ApiResult<Option<Timestamp>> {
    let kept: Option<(i64, i64)> = tx
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([RELEASES_SEEN], |r| r.get::<_, String>(0))
        .optional()?
        .and_then(|v| {
            let (seen, next) = v.split_once(' ')?;
            Some((seen.parse().ok()?, next.parse().ok()?))
        });
    match kept {
        Some((seen, next)) if seen <= secs(now) && secs(now) < next => {
            return Ok(Some(from_secs(next)));
        }
        // The clock went back, or this is the first look: nothing to tell.
        Some((seen, _)) if seen <= secs(now) => tell_released(tx, from_secs(seen), now)?,
        _ => {}
    }
    let next = reference::OFFICES
        .iter()
        .map(|o| o.next_release(now).0)
        .min();
    tx.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![
        RELEASES_SEEN,
        format!("{} {}", secs(now), next.map_or(i64::MAX, secs))
    ])?;
    Ok(next)
}

/// Tells the watches of the bookable places the releases after `since`
/// (and up to `now`) opened. Older releases opened days past by now.
fn tell_released(tx: &Connection, since: Timestamp, now: Timestamp) -> ApiResult<()> {
    let since = since.max(now - jiff::SignedDuration::from_hours(24 * 62));
    let mut opened = Vec::new();
    for office in reference::OFFICES.iter() {
        let (first, last) = (first_bookable(now, office), last_open(now, office));
        for release in office
            .release
            .between(office.local(since), office.local(now))
        {
            let mut date = release.from.max(first);
            while date <= release.through.min(last) {
                for window in office.windows_on(date) {
                    for pool in office.pools() {
                        let slot = SlotRef {
                            office,
                            date,
                            window,
                        };
                        let places = left(tx, &slot, pool)?;
                        opened.push((slot, pool, places));
                    }
                }
                date = date.tomorrow().map_err(|_| ApiError::internal())?;
            }
        }
    }
    watches::tell(tx, &opened, now)?;
    Ok(())
}
