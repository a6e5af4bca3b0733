//! An account's messages: each change of one of its applications, each
//! correction asked, fixed or lapsed, each place opened for a watch goes on
//! the account's feed and out as an email in the account's language, in the
//! transaction that made it.

use crate::clock::from_secs;
use crate::error::{ApiError, ApiResult};
use crate::letters::{self, About, Letter};
use crate::model::applications::load_any;
use crate::model::events;
use crate::model::otps::send_email;
use crate::reference::SlotRef;
use jiff::Timestamp;
use mpaspor_domain::api::{Correction, PlaceOpened};
use mpaspor_domain::schedule::pickup_last_day;
use mpaspor_domain::{ApplicationState, Language, OfficeZone};
use rusqlite::{Connection, OptionalExtension};

/// Where an account's letters go, and in which language.
fn mailbox(tx: &Connection, account_id: &str) -> ApiResult<Option<(String, Language)>> {
    let found: Option<(String, String)> = tx
        .prepare_cached("SELECT email, language FROM accounts WHERE id = ?1")?
        .query_row([account_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    found
        .map(|(email, lang)| Ok((email, lang.parse().map_err(|_| ApiError::internal())?)))
        .transpose()
}

fn send(
    tx: &Connection,
    account_id: &str,
    letter: impl FnOnce(Language) -> Option<Letter>,
    now: Timestamp,
) -> ApiResult<()> {
    if let Some((email, lang)) = mailbox(tx, account_id)?
        && let Some((subject, body)) = letter(lang)
    {
        send_email(tx, &email, &subject, &body, None, now)?;
    }
    Ok(())
}

/// The application's owner, who it is for, and its office (with the zone).
struct Subject {
    account_id: String,
    applicant: String,
    office: Option<(String, OfficeZone)>,
    ready_at: Option<i64>,
}

fn subject_of(tx: &Connection, application_id: &str) -> ApiResult<Subject> {
    let row = load_any(tx, application_id)?;
    let (account_id, ready_at): (String, Option<i64>) = tx
        .prepare_cached("SELECT account_id, ready_at FROM applications WHERE id = ?1")?
        .query_row([application_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let office = row
        .slot_id
        .as_deref()
        .and_then(SlotRef::parse)
        .map(|s| (s.office.served.name.clone(), s.office.served.zone));
    Ok(Subject {
        account_id,
        applicant: row.draft.personal.full_name.unwrap_or_default(),
        office,
        ready_at,
    })
}

impl Subject {
    fn about(&self) -> About<'_> {
        About {
            applicant: &self.applicant,
            office: self.office.as_ref().map(|(name, _)| name.as_str()),
        }
    }

    fn zone(&self) -> OfficeZone {
        self.office.as_ref().map_or(OfficeZone::Wib, |(_, z)| *z)
    }
}

/// One of the account's applications moved to `state`.
pub fn application_changed(
    tx: &Connection,
    application_id: &str,
    state: ApplicationState,
    now: Timestamp,
) -> ApiResult<()> {
    let subject = subject_of(tx, application_id)?;
    events::application_changed(tx, &subject.account_id, application_id, state, now)?;
    let pickup_by = subject
        .ready_at
        .map(|at| pickup_last_day(from_secs(at), subject.zone()));
    send(
        tx,
        &subject.account_id,
        |lang| letters::state_changed(lang, state, &subject.about(), pickup_by),
        now,
    )
}

/// A correction was asked for, fixed or lapsed.
pub fn correction(tx: &Connection, c: &Correction, now: Timestamp) -> ApiResult<()> {
    let subject = subject_of(tx, &c.application_id)?;
    events::correction(tx, &subject.account_id, c, now)?;
    send(
        tx,
        &subject.account_id,
        |lang| {
            Some(letters::correction(
                lang,
                c,
                &subject.about(),
                subject.zone(),
            ))
        },
        now,
    )
}

/// A place opened that fits one of the account's watches.
pub fn place_opened(
    tx: &Connection,
    account_id: &str,
    place: &PlaceOpened,
    now: Timestamp,
) -> ApiResult<()> {
    events::place_opened(tx, account_id, place, now)?;
    let when = format!("{} {}", place.date, place.window.show(place.zone));
    send(
        tx,
        account_id,
        |lang| {
            Some(letters::place_opened(
                lang,
                &place.office_name,
                &when,
                place.left,
            ))
        },
        now,
    )
}
