//! Named scenarios for `POST /tester/seed`, and `POST /tester/reset`.

use crate::clock::secs;
use crate::error::{ApiError, ApiResult};
use crate::ids::new_id;
use crate::model::bookings::{Pool, RELEASES_SEEN, first_bookable, last_open};
use crate::reference::{self, OfficeRecord, SlotRef};
use crate::state::AppState;
use argon2::{Argon2, PasswordHasher};
use jiff::{Span, Timestamp};
use mpaspor_domain::api::{ApplicantInput, Relationship, SeedReport};
use rusqlite::{Connection, OptionalExtension, params};

/// Every scenario: name and what it sets up.
pub const SCENARIOS: &[(&str, &str)] = &[
    (
        "empty",
        "no accounts, applications, bookings or faults; the registry as seeded; the clock at real time",
    ),
    (
        "quota_nearly_full",
        "at the Jakarta offices every window of the next 30 days is full, except one place left in the first window of every third day",
    ),
    (
        "expired_passport",
        "an active account dewi.lestari@example.com (password paspor-baru-2026) whose holder, Dewi Lestari, has an expired passport C1234567",
    ),
    (
        "quota_release",
        "every window open now at Kantor Imigrasi Jakarta Selatan is full; its next release (every Friday at 09:00 WIB, the week after next; the answer's release_at) opens new days by the mock clock",
    ),
];

const TABLES: &[&str] = &[
    "events",
    "watch_offices",
    "watches",
    "idempotency",
    "documents",
    "timeline",
    "treasury",
    "applications",
    "applicants",
    "spent_refresh",
    "sessions",
    "otps",
    "outbox",
    "throttle",
    "accounts",
    "slot_bookings",
    "citizens",
];

/// Empties every table but the receipt key, resets the clock, faults and journal, and re-seeds the registry.
pub fn reset(state: &AppState) -> ApiResult<()> {
    state.db.write(|tx| {
        for table in TABLES {
            tx.execute(&format!("DELETE FROM {table}"), [])?;
        }
        tx.prepare_cached("DELETE FROM meta WHERE key = ?1")?
            .execute([RELEASES_SEEN])?;
        Ok(())
    })?;
    state.clock.set(Timestamp::now())?;
    state.tools.faults().clear();
    state.tools.journal().clear();
    state.seed_registry_if_empty()
}

fn jakarta() -> impl Iterator<Item = &'static OfficeRecord> {
    reference::OFFICES
        .iter()
        .filter(|o| o.served.province == "DKI Jakarta")
}

/// Fills every place of the office's next 30 days whose places are
/// released, in every pool; `keep_one(day, window)` leaves one ordinary place.
fn fill(
    tx: &Connection,
    state: &AppState,
    office: &'static OfficeRecord,
    keep_one: impl Fn(i64, usize) -> bool,
) -> ApiResult<()> {
    let now = state.clock.now();
    let first = first_bookable(now, office);
    let last = last_open(now, office);
    for day in 0..30 {
        let date = first + Span::new().days(day);
        if date > last {
            break;
        }
        for (i, window) in office.windows_on(date).into_iter().enumerate() {
            let slot = SlotRef {
                office,
                date,
                window,
            };
            for pool in office.pools() {
                let capacity = pool.capacity(office);
                let booked = if keep_one(day, i) && pool == Pool::General {
                    capacity.saturating_sub(1)
                } else {
                    capacity
                };
                tx.prepare_cached("INSERT INTO slot_bookings (slot_id, pool, booked) VALUES (?1, ?2, ?3) ON CONFLICT (slot_id, pool) DO UPDATE SET booked = MAX(booked, excluded.booked)")?.execute(
                    params![slot.id(), pool.as_str(), booked],
                )?;
            }
        }
    }
    Ok(())
}

pub async fn seed(state: &AppState, scenario: &str) -> ApiResult<SeedReport> {
    let description = SCENARIOS
        .iter()
        .find(|(name, _)| *name == scenario)
        .map(|(_, d)| d.to_string())
        .ok_or_else(|| {
            let names: Vec<_> = SCENARIOS.iter().map(|(n, _)| *n).collect();
            ApiError::invalid(
                "scenario",
                format!("no such scenario; there are: {}", names.join(", ")),
            )
        })?;
    let mut report = SeedReport {
        scenario: scenario.into(),
        description,
        email: None,
        password: None,
        release_at: None,
    };
    match scenario {
        "empty" => reset(state)?,
        "quota_nearly_full" => state.db.write(|tx| {
            for office in jakarta() {
                fill(tx, state, office, |day, window| day % 3 == 0 && window == 0)?;
            }
            Ok(())
        })?,
        "expired_passport" => {
            let (email, password) = ("dewi.lestari@example.com", "paspor-baru-2026");
            let hash = tokio::task::spawn_blocking(move || {
                Argon2::default()
                    .hash_password(password.as_bytes())
                    .map(|h| h.to_string())
            })
            .await
            .map_err(|_| ApiError::internal())?
            .map_err(|_| ApiError::internal())?;
            let now = state.clock.now();
            let dewi = crate::registry::samples(mpaspor_domain::OfficeZone::Wib.local_date(now))
                .into_iter()
                .find(|c| c.full_name == "Dewi Lestari")
                .ok_or_else(ApiError::internal)?;
            state.db.write(|tx| {
                let exists: Option<String> = tx.prepare_cached("SELECT id FROM accounts WHERE email = ?1")?.query_row( [email], |r| r.get(0)).optional()?;
                if exists.is_some() {
                    return Ok(());
                }
                let id = new_id("acc");
                tx.prepare_cached("INSERT INTO accounts (id, email, full_name, phone, birth_date, sex, password_hash, verified, created_at) VALUES (?1, ?2, ?3, '081234567890', ?4, ?5, ?6, 1, ?7)")?.execute(
                    params![id, email, dewi.full_name, dewi.birth_date.to_string(), dewi.sex.as_str(), hash, secs(now)],
                )?;
                let holder = ApplicantInput { full_name: dewi.full_name.clone(), relationship: Relationship::Holder, birth_date: dewi.birth_date, sex: dewi.sex, marital_status: dewi.marital_status, nik: Some(dewi.nik.clone()) };
                tx.prepare_cached("INSERT INTO applicants (id, account_id, version, body, created_at) VALUES (?1, ?2, 1, ?3, ?4)")?.execute(
                    params![new_id("ap"), id, serde_json::to_string(&holder)?, secs(now)],
                )?;
                Ok(())
            })?;
            report.email = Some(email.into());
            report.password = Some(password.into());
        }
        "quota_release" => {
            let office =
                reference::office("kanim-jakarta-selatan").ok_or_else(ApiError::internal)?;
            state.db.write(|tx| fill(tx, state, office, |_, _| false))?;
            report.release_at = Some(office.next_release(state.clock.now()).0);
        }
        _ => unreachable!("every listed scenario is handled"),
    }
    Ok(report)
}
