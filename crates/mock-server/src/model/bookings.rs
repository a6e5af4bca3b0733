//! The quota: places left in a window for each passport type's pool,
//! holding and giving back a place, the days that can be booked, and the
//! offices' releases whose time has come.

use crate::clock::{from_secs, secs};
use crate::error::{ApiError, ApiResult};
use crate::model::watches;
use crate::reference::{self, OfficeRecord, SlotRef};
use jiff::civil::Date;
use jiff::{Span, Timestamp};
use mpaspor_domain::PassportType;
use mpaspor_domain::api::{ErrorCode, Slot, TypeQuota};
use rusqlite::{Connection, OptionalExtension, params};

/// How far ahead places can be booked (at most; an office's release rule
/// may open fewer days).
pub const BOOKING_HORIZON_DAYS: i64 = 60;

/// The `meta` key of the instant up to which releases have been applied.
pub const RELEASES_SEEN: &str = "releases_seen";

/// A window's places are shared by the passport types of one pool: the
/// polycarbonate e-passport has its own, smaller pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pool {
    General,
    Polycarbonate,
}

impl Pool {
    pub fn of(passport_type: PassportType) -> Pool {
        match passport_type {
            PassportType::ElektronikPolikarbonat => Pool::Polycarbonate,
            PassportType::Biasa | PassportType::Elektronik => Pool::General,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Pool::General => "general",
            Pool::Polycarbonate => "polikarbonat",
        }
    }

    pub fn parse(s: &str) -> Pool {
        match s {
            "polikarbonat" => Pool::Polycarbonate,
            _ => Pool::General,
        }
    }

    /// Places per window in this pool at an office.
    pub fn capacity(self, office: &OfficeRecord) -> u32 {
        match self {
            Pool::General => office.capacity_per_window,
            Pool::Polycarbonate => office.polycarbonate_per_window(),
        }
    }
}

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
        watches::tell(tx, &[(slot, Pool::parse(&pool))], now)?;
    }
    Ok(())
}

/// The releases that came since the last look open their days: the
/// watches those places fit are told. Answers the next release of any
/// office.
pub fn apply_releases(tx: &Connection, now: Timestamp) -> ApiResult<Option<Timestamp>> {
    let seen: Option<i64> = tx
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([RELEASES_SEEN], |r| r.get::<_, String>(0))
        .optional()?
        .and_then(|v| v.parse().ok());
    // Written only when a release came (or the clock went back): a sweep
    // that finds nothing due leaves the database, and its answers, alone.
    let came = match seen {
        None => true,
        Some(seen) if seen > secs(now) => true,
        Some(seen) => {
            // Older releases opened days that are past by now.
            let since = from_secs(seen).max(now - jiff::SignedDuration::from_hours(24 * 62));
            let (mut opened, mut released) = (Vec::new(), false);
            for office in reference::OFFICES.iter() {
                let (first, last) = (first_bookable(now, office), last_open(now, office));
                for release in office
                    .release
                    .between(office.local(since), office.local(now))
                {
                    released = true;
                    let mut date = release.from.max(first);
                    while date <= release.through.min(last) {
                        for window in office.windows_on(date) {
                            for pool in office.pools() {
                                let slot = SlotRef {
                                    office,
                                    date,
                                    window,
                                };
                                opened.push((slot, pool));
                            }
                        }
                        date = date.tomorrow().map_err(|_| ApiError::internal())?;
                    }
                }
            }
            watches::tell(tx, &opened, now)?;
            released
        }
    };
    if came {
        tx.prepare_cached(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )?
        .execute(params![RELEASES_SEEN, secs(now).to_string()])?;
    }
    Ok(reference::OFFICES
        .iter()
        .map(|o| o.next_release(now).0)
        .min())
}
