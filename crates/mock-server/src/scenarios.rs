//! Named scenarios for `POST /tester/seed`, and `POST /tester/reset`.

use crate::clock::secs;
use crate::error::{ApiError, ApiResult};
use crate::ids::new_id;
use crate::model::bookings::{RELEASES_SEEN, first_bookable, last_open};
use crate::reference::{self, OfficeRecord, Pool, SlotRef};
use crate::state::AppState;
use argon2::{Argon2, PasswordHasher};
use jiff::{Span, Timestamp};
use mpaspor_domain::api::{ApplicantInput, ApplicationDraft, Citizen, Relationship, SeedReport};
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
        "every window open now at Kantor Imigrasi Jakarta Selatan is full, one of its places held by Dewi Lestari's paid application (the answer's application_id: cancel it with /tester/applications/{id}/advance to free the place); its next release (every Friday at 09:00 WIB, the week after next; release_at) opens new days by the mock clock",
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

/// The sample account of the scenarios: email and password.
const DEWI: (&str, &str) = ("dewi.lestari@example.com", "paspor-baru-2026");

/// Dewi Lestari's active account, made once: its id, her applicant's id
/// and her registry record.
async fn dewi(state: &AppState) -> ApiResult<(String, String, Citizen)> {
    let (email, password) = DEWI;
    let now = state.clock.now();
    let dewi = crate::registry::samples(mpaspor_domain::OfficeZone::Wib.local_date(now))
        .into_iter()
        .find(|c| c.full_name == "Dewi Lestari")
        .ok_or_else(ApiError::internal)?;
    let known = |tx: &Connection| -> ApiResult<Option<(String, String)>> {
        Ok(tx
            .prepare_cached("SELECT a.id, p.id FROM accounts a JOIN applicants p ON p.account_id = a.id WHERE a.email = ?1")?
            .query_row([email], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    };
    if let Some((account, applicant)) = state.db.write(known)? {
        return Ok((account, applicant, dewi));
    }
    let hash = tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
    })
    .await
    .map_err(|_| ApiError::internal())?
    .map_err(|_| ApiError::internal())?;
    let (account, applicant) = state.db.write(|tx| {
        if let Some(ids) = known(tx)? {
            return Ok(ids);
        }
        let (account, applicant) = (new_id("acc"), new_id("ap"));
        tx.prepare_cached("INSERT INTO accounts (id, email, full_name, phone, birth_date, sex, password_hash, verified, created_at) VALUES (?1, ?2, ?3, '081234567890', ?4, ?5, ?6, 1, ?7)")?.execute(
            params![account, email, dewi.full_name, dewi.birth_date.to_string(), dewi.sex.as_str(), hash, secs(now)],
        )?;
        let holder = ApplicantInput { full_name: dewi.full_name.clone(), relationship: Relationship::Holder, birth_date: dewi.birth_date, sex: dewi.sex, marital_status: dewi.marital_status, nik: Some(dewi.nik.clone()) };
        tx.prepare_cached("INSERT INTO applicants (id, account_id, version, body, created_at) VALUES (?1, ?2, 1, ?3, ?4)")?.execute(
            params![applicant, account, serde_json::to_string(&holder)?, secs(now)],
        )?;
        Ok((account, applicant))
    })?;
    Ok((account, applicant, dewi))
}

/// A paid application of `person` holding a place in the office's first
/// open window: what a tester cancels to free a place.
fn hold_place(
    tx: &Connection,
    office: &'static OfficeRecord,
    account: &str,
    applicant: &str,
    person: &Citizen,
    now: Timestamp,
) -> ApiResult<String> {
    let date = first_bookable(now, office);
    let (date, window) = (0..14)
        .map(|d| date + Span::new().days(d))
        .find_map(|d| office.windows_on(d).first().map(|w| (d, *w)))
        .ok_or_else(ApiError::internal)?;
    let slot = SlotRef {
        office,
        date,
        window,
    };
    let draft: ApplicationDraft = serde_json::from_value(serde_json::json!({
        "applicant_id": applicant, "service": "reguler", "applicant_kind": "adult",
        "office_id": office.served.id, "passport_type": "elektronik", "validity": "10y", "purpose": "tourism",
        "personal": {"nik": person.nik, "full_name": person.full_name, "sex": person.sex,
            "birth_place": person.birth_place, "birth_date": person.birth_date, "address": person.address,
            "marital_status": person.marital_status, "phone": "081234567890"}
    }))?;
    let id = new_id("app");
    tx.prepare_cached("INSERT INTO applications (id, account_id, applicant_id, version, state, draft, nik, slot_id, slot_pool, paid_at, created_at, updated_at) VALUES (?1, ?2, ?3, 1, 'paid', ?4, ?5, ?6, 'general', ?7, ?7, ?7)")?.execute(
        params![id, account, applicant, serde_json::to_string(&draft)?, person.nik, slot.id(), secs(now)],
    )?;
    tx.prepare_cached("INSERT INTO slot_bookings (slot_id, pool, booked) VALUES (?1, 'general', 1) ON CONFLICT (slot_id, pool) DO UPDATE SET booked = booked + 1")?
        .execute([slot.id()])?;
    crate::model::lifecycle::append_timeline(
        tx,
        &id,
        mpaspor_domain::ApplicationState::Paid,
        now,
        Some("paid at the counter"),
    )?;
    Ok(id)
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
        application_id: None,
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
            dewi(state).await?;
            report.email = Some(DEWI.0.into());
            report.password = Some(DEWI.1.into());
        }
        "quota_release" => {
            let office =
                reference::office("kanim-jakarta-selatan").ok_or_else(ApiError::internal)?;
            let (account, applicant, person) = dewi(state).await?;
            let now = state.clock.now();
            let held = state.db.write(|tx| {
                let held = hold_place(tx, office, &account, &applicant, &person, now)?;
                fill(tx, state, office, |_, _| false)?;
                Ok(held)
            })?;
            report.release_at = Some(office.next_release(now).0);
            report.application_id = Some(held.into());
            report.email = Some(DEWI.0.into());
            report.password = Some(DEWI.1.into());
        }
        _ => unreachable!("every listed scenario is handled"),
    }
    Ok(report)
}
