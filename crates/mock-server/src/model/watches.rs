//! Watches: an applicant's standing request to be told when a place opens
//! that fits their draft (offices, a range of days, the passport type's
//! quota). A watch is bound to the applicant's NIK (a few per person,
//! across every account) and goes when that person books, when its last
//! day has passed, or with its draft. It tells, it does not hold: a place
//! it found is booked like any other, first come first served.

use crate::clock::{from_secs, secs};
use crate::error::{ApiError, ApiResult};
use crate::ids::new_id;
use crate::model::messages;
use crate::reference::{OfficeRecord, Pool, SlotRef};
use jiff::Timestamp;
use jiff::civil::Date;
use mpaspor_domain::api::{ErrorCode, MAX_WATCHES_PER_NIK, PlaceOpened, Watch};
use mpaspor_domain::{PassportType, Service};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::{BTreeMap, HashMap};

/// A watch to keep, checked by the route.
pub struct NewWatch<'a> {
    pub account_id: &'a str,
    pub application_id: &'a str,
    pub nik: &'a str,
    pub offices: Vec<&'static OfficeRecord>,
    pub from: Date,
    pub to: Date,
    pub passport_type: PassportType,
    pub service: Service,
}

fn bad_value<E: std::fmt::Display>(e: E) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.to_string().into())
}

const COLUMNS: &str = "id, application_id, from_date, to_date, passport_type, service, created_at, last_match, account_id";

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Watch, String)> {
    let text = |i: usize| r.get::<_, String>(i);
    let last: Option<String> = r.get(7)?;
    Ok((
        Watch {
            id: text(0)?.into(),
            application_id: text(1)?.into(),
            offices: Vec::new(),
            from: text(2)?.parse().map_err(bad_value)?,
            to: text(3)?.parse().map_err(bad_value)?,
            passport_type: text(4)?.parse().map_err(bad_value)?,
            service: text(5)?.parse().map_err(bad_value)?,
            created_at: from_secs(r.get(6)?),
            last_match: last
                .map(|l| serde_json::from_str(&l))
                .transpose()
                .map_err(bad_value)?,
        },
        text(8)?,
    ))
}

fn offices_of(tx: &Connection, watch: &mut Watch) -> ApiResult<()> {
    let mut q = tx.prepare_cached(
        "SELECT office_id FROM watch_offices WHERE watch_id = ?1 ORDER BY office_id",
    )?;
    watch.offices = q
        .query_map([watch.id.as_str()], |r| r.get::<_, String>(0))?
        .map(|o| o.map(Into::into))
        .collect::<Result<_, _>>()?;
    Ok(())
}

/// Keeps a watch, unless the person already has as many as allowed.
pub fn create(tx: &Connection, new: &NewWatch<'_>, now: Timestamp) -> ApiResult<Watch> {
    let count: i64 = tx
        .prepare_cached("SELECT COUNT(*) FROM watches WHERE nik = ?1")?
        .query_row([new.nik], |r| r.get(0))?;
    if count as usize >= MAX_WATCHES_PER_NIK {
        return Err(ApiError::conflict(
            ErrorCode::WatchLimit,
            format!(
                "one applicant can have at most {MAX_WATCHES_PER_NIK} watches; remove one first"
            ),
        ));
    }
    let id = new_id("wat");
    tx.prepare_cached("INSERT INTO watches (id, account_id, application_id, nik, from_date, to_date, passport_type, service, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")?.execute(params![
        id, new.account_id, new.application_id, new.nik, new.from.to_string(), new.to.to_string(),
        new.passport_type.as_str(), new.service.as_str(), secs(now)
    ])?;
    for office in &new.offices {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO watch_offices (office_id, watch_id) VALUES (?1, ?2)",
        )?
        .execute([office.served.id.as_str(), &id])?;
    }
    get(tx, new.account_id, &id)?.ok_or_else(ApiError::internal)
}

/// One of the account's watches.
pub fn get(tx: &Connection, account_id: &str, id: &str) -> ApiResult<Option<Watch>> {
    let sql = format!("SELECT {COLUMNS} FROM watches WHERE id = ?1 AND account_id = ?2");
    let found = tx
        .prepare_cached(&sql)?
        .query_row([id, account_id], read)
        .optional()?;
    let Some((mut watch, _)) = found else {
        return Ok(None);
    };
    offices_of(tx, &mut watch)?;
    Ok(Some(watch))
}

/// The account's watches, oldest first.
pub fn list(tx: &Connection, account_id: &str) -> ApiResult<Vec<Watch>> {
    let sql =
        format!("SELECT {COLUMNS} FROM watches WHERE account_id = ?1 ORDER BY created_at, id");
    let mut watches: Vec<Watch> = tx
        .prepare_cached(&sql)?
        .query_map([account_id], read)?
        .map(|w| w.map(|(w, _)| w))
        .collect::<Result<_, _>>()?;
    for watch in &mut watches {
        offices_of(tx, watch)?;
    }
    Ok(watches)
}

/// Removes one of the account's watches; `false` when it has none by that id.
pub fn remove(tx: &Connection, account_id: &str, id: &str) -> ApiResult<bool> {
    Ok(tx
        .prepare_cached("DELETE FROM watches WHERE id = ?1 AND account_id = ?2")?
        .execute([id, account_id])?
        > 0)
}

/// The person booked: their watches have done their work.
pub fn remove_for_nik(tx: &Connection, nik: &str) -> ApiResult<()> {
    tx.prepare_cached("DELETE FROM watches WHERE nik = ?1")?
        .execute([nik])?;
    Ok(())
}

/// The draft was cancelled: nothing is left to book for it.
pub fn remove_for_application(tx: &Connection, application_id: &str) -> ApiResult<()> {
    tx.prepare_cached("DELETE FROM watches WHERE application_id = ?1")?
        .execute([application_id])?;
    Ok(())
}

/// Watches whose last day is before `today` (the earliest date any office
/// has now) can find nothing more.
pub fn remove_passed(tx: &Connection, today: Date) -> ApiResult<()> {
    tx.prepare_cached("DELETE FROM watches WHERE to_date < ?1")?
        .execute([today.to_string()])?;
    Ok(())
}

/// A watch that may fit places at an office.
struct Candidate {
    id: String,
    account_id: String,
    application_id: String,
    passport_type: PassportType,
    from: Date,
    to: Date,
}

/// Places that opened (a release, a cancellation, an expired billing
/// code, a reschedule), each with the places left in its pool: each watch
/// they fit is told once, of the earliest that still has a place left for
/// its passport type, in its feed and by email. Answers how many watches
/// were told.
pub fn tell(tx: &Connection, opened: &[(SlotRef, Pool, u32)], now: Timestamp) -> ApiResult<usize> {
    let mut by_office: BTreeMap<&str, Vec<(&SlotRef, Pool, u32)>> = BTreeMap::new();
    for &(ref slot, pool, places) in opened {
        if places > 0 {
            by_office
                .entry(slot.office.served.id.as_str())
                .or_default()
                .push((slot, pool, places));
        }
    }
    let mut best: HashMap<String, (Candidate, &SlotRef, u32)> = HashMap::new();
    for (office_id, mut places) in by_office {
        places.sort_by_key(|(s, _, _)| (s.date, s.window.start));
        let (first, last) = (places[0].0.date, places[places.len() - 1].0.date);
        let mut q = tx.prepare_cached(
            "SELECT w.id, w.account_id, w.application_id, w.passport_type, w.from_date, w.to_date
             FROM watch_offices o JOIN watches w ON w.id = o.watch_id
             WHERE o.office_id = ?1 AND w.from_date <= ?3 AND w.to_date >= ?2",
        )?;
        let rows = q.query_map(
            params![office_id, first.to_string(), last.to_string()],
            |r| {
                let text = |i: usize| r.get::<_, String>(i);
                Ok(Candidate {
                    id: text(0)?,
                    account_id: text(1)?,
                    application_id: text(2)?,
                    passport_type: text(3)?.parse().map_err(bad_value)?,
                    from: text(4)?.parse().map_err(bad_value)?,
                    to: text(5)?.parse().map_err(bad_value)?,
                })
            },
        )?;
        for watch in rows {
            let watch = watch?;
            let pool = Pool::of(watch.passport_type);
            let Some((slot, _, places)) = places
                .iter()
                .find(|(s, p, _)| *p == pool && (watch.from..=watch.to).contains(&s.date))
            else {
                continue;
            };
            let better = best.get(&watch.id).is_none_or(|(_, known, _)| {
                (slot.date, slot.window.start) < (known.date, known.window.start)
            });
            if better {
                best.insert(watch.id.clone(), (watch, slot, *places));
            }
        }
    }
    let told = best.len();
    for (_, (watch, slot, places)) in best {
        let office = &slot.office.served;
        let place = PlaceOpened {
            watch_id: watch.id.clone().into(),
            application_id: watch.application_id.into(),
            office_id: office.id.clone(),
            office_name: office.name.clone(),
            slot_id: slot.id().into(),
            date: slot.date,
            window: slot.window,
            zone: office.zone,
            passport_type: watch.passport_type,
            left: places,
            at: now,
        };
        tx.prepare_cached("UPDATE watches SET last_match = ?2 WHERE id = ?1")?
            .execute(params![watch.id, serde_json::to_string(&place)?])?;
        messages::place_opened(tx, &watch.account_id, &place, now)?;
    }
    Ok(told)
}

/// The office issues the passport type, and same-day service if asked.
pub fn serves(office: &OfficeRecord, passport_type: PassportType, service: Service) -> bool {
    office.served.passport_types.contains(&passport_type)
        && (service != Service::Percepatan || office.served.express)
}
