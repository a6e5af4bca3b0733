//! Corrections an office asks for before the appointment: one document to
//! photograph again or one typed field to fix, by a deadline no later than
//! the end of the day before the appointment (office time). The fix clears
//! it in the transaction that takes it; the sweep marks the unfixed ones
//! lapsed when their deadline passes. Each step is a message to the account.

use crate::clock::{from_secs, secs};
use crate::error::{ApiError, ApiResult};
use crate::ids::new_id;
use crate::model::applications::{
    CORRECTION_COLUMNS, Row, corrections_of, documents, load, load_any, load_editable,
    read_correction,
};
use crate::model::messages;
use crate::model::sessions::Caller;
use crate::reference::SlotRef;
use jiff::Timestamp;
use mpaspor_domain::api::ApplicationDraft;
use mpaspor_domain::api::{
    Correction, CorrectionRequest, CorrectionState, ErrorCode, MAX_CORRECTION_REASON,
    MAX_OPEN_CORRECTIONS,
};
use mpaspor_domain::draft::{changed_fields, required_documents};
use mpaspor_domain::{ApplicationState, DocumentKind, DraftField};
use rusqlite::{Connection, params};

fn refused(message: impl Into<String>) -> ApiError {
    ApiError::conflict(ErrorCode::CorrectionRefused, message)
}

/// The office asks for a correction: only of a paid application whose
/// appointment is not tomorrow or sooner.
pub fn ask(
    tx: &Connection,
    application_id: &str,
    req: &CorrectionRequest,
    now: Timestamp,
) -> ApiResult<Correction> {
    let invalid = |field: &str, m: &str| {
        ApiError::unprocessable(ErrorCode::ValidationFailed, m.to_owned()).field(field)
    };
    let row = load_any(tx, application_id)?;
    if row.state != ApplicationState::Paid {
        return Err(refused(format!(
            "the application is {}; a correction is asked only before the appointment of a paid one",
            row.state
        )));
    }
    match (req.document, req.field) {
        (Some(_), Some(_)) | (None, None) => {
            return Err(invalid("document", "ask for one document or one field"));
        }
        (None, Some(field)) if !field.correctable() => {
            return Err(invalid(
                "field",
                "that field is vouched for by the civil registry or sets the fee; it cannot be asked again",
            ));
        }
        (Some(kind), None) => {
            let attached: Vec<DocumentKind> = documents(tx, application_id)?
                .iter()
                .map(|d| d.kind)
                .collect();
            if !attached.contains(&kind) && !required_documents(&row.draft).accepts(kind) {
                return Err(invalid(
                    "document",
                    "this application does not take that document",
                ));
            }
        }
        _ => {}
    }
    let reason = req.reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_CORRECTION_REASON {
        return Err(invalid(
            "reason",
            &format!("give a reason of 1 to {MAX_CORRECTION_REASON} characters"),
        ));
    }
    let slot = row
        .slot_id
        .as_deref()
        .and_then(SlotRef::parse)
        .ok_or_else(ApiError::internal)?;
    let zone = slot.office.served.zone;
    // The end of the day before the appointment, at the office.
    let latest = zone.instant(slot.date, jiff::civil::Time::midnight());
    if latest <= now {
        return Err(refused(
            "the appointment is today or tomorrow; the officer checks it at the counter",
        ));
    }
    let due = req.due_at.unwrap_or(latest);
    if due <= now || due > latest {
        return Err(invalid(
            "due_at",
            "the deadline must be ahead and no later than the end of the day before the appointment",
        ));
    }
    let open: Vec<Correction> = corrections_of(tx, application_id)?
        .into_iter()
        .filter(Correction::is_open)
        .collect();
    if open.len() >= MAX_OPEN_CORRECTIONS {
        return Err(refused(format!(
            "{MAX_OPEN_CORRECTIONS} corrections are open already"
        )));
    }
    if open
        .iter()
        .any(|c| c.document == req.document && c.field == req.field)
    {
        return Err(refused("that correction is open already"));
    }
    let correction = Correction {
        id: new_id("cor"),
        application_id: application_id.into(),
        document: req.document,
        field: req.field,
        reason: reason.to_owned(),
        asked_at: now,
        due_at: due,
        state: CorrectionState::Open,
        settled_at: None,
    };
    tx.prepare_cached(
        "INSERT INTO corrections (id, application_id, document, field, reason, asked_at, due_at, state)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open')",
    )?
    .execute(params![
        correction.id,
        application_id,
        req.document.map(|d| d.as_str()),
        req.field.map(|f| f.as_str()),
        correction.reason,
        secs(now),
        secs(due),
    ])?;
    messages::correction(tx, &correction, now)?;
    Ok(correction)
}

/// The open correction asking for `kind`, if any.
pub fn open_for_document(
    tx: &Connection,
    application_id: &str,
    kind: DocumentKind,
) -> ApiResult<Option<Correction>> {
    Ok(corrections_of(tx, application_id)?
        .into_iter()
        .find(|c| c.is_open() && c.document == Some(kind)))
}

/// The fields open corrections ask for.
pub fn open_fields(tx: &Connection, application_id: &str) -> ApiResult<Vec<DraftField>> {
    Ok(corrections_of(tx, application_id)?
        .into_iter()
        .filter(Correction::is_open)
        .filter_map(|c| c.field)
        .collect())
}

fn settle(
    tx: &Connection,
    mut correction: Correction,
    state: CorrectionState,
    now: Timestamp,
    tell: bool,
) -> ApiResult<()> {
    tx.prepare_cached("UPDATE corrections SET state = ?2, settled_at = ?3 WHERE id = ?1")?
        .execute(params![correction.id, state.as_str(), secs(now)])?;
    correction.state = state;
    correction.settled_at = Some(now);
    if tell {
        messages::correction(tx, &correction, now)?;
    }
    Ok(())
}

/// The applicant sent what `correction` asked for.
pub fn fixed(tx: &Connection, correction: Correction, now: Timestamp) -> ApiResult<()> {
    settle(tx, correction, CorrectionState::Fixed, now, true)
}

/// The application left "paid" (checked in, cancelled): what is still open
/// is the officer's to judge now, so it closes without a message.
pub fn close_open(tx: &Connection, application_id: &str, now: Timestamp) -> ApiResult<()> {
    for c in corrections_of(tx, application_id)?
        .into_iter()
        .filter(Correction::is_open)
    {
        settle(tx, c, CorrectionState::Lapsed, now, false)?;
    }
    Ok(())
}

/// Marks lapsed the open corrections whose deadline has come, telling each
/// owner; answers the next deadline still ahead.
pub fn lapse_due(tx: &Connection, now: Timestamp) -> ApiResult<Option<Timestamp>> {
    let sql = format!(
        "SELECT {CORRECTION_COLUMNS} FROM corrections WHERE state = 'open' AND due_at <= ?1"
    );
    let due: Vec<Correction> = tx
        .prepare_cached(&sql)?
        .query_map([secs(now)], read_correction)?
        .collect::<Result<_, _>>()?;
    for c in due {
        settle(tx, c, CorrectionState::Lapsed, now, true)?;
    }
    let next: Option<i64> = tx
        .prepare_cached("SELECT min(due_at) FROM corrections WHERE state = 'open'")?
        .query_row([], |r| r.get(0))?;
    Ok(next.map(from_secs))
}

/// Whether the caller's application may take a new `kind` image: a draft
/// may (`None`); after submit, only while a correction asks for it (that
/// correction).
pub fn document_gate(
    tx: &Connection,
    caller: &Caller,
    id: &str,
    kind: DocumentKind,
) -> ApiResult<Option<Correction>> {
    let row = load(tx, caller, id)?;
    if row.state == ApplicationState::Draft {
        return Ok(None);
    }
    match open_for_document(tx, id, kind)? {
        Some(c) => Ok(Some(c)),
        None => load_editable(tx, caller, id).map(|_| None),
    }
}

/// Whether the caller's application may become `draft`: a draft may; after
/// submit, only the fields open corrections ask for may change, each to a
/// value that is not empty. Answers the row and the corrections the change
/// fixes.
pub fn draft_gate(
    tx: &Connection,
    caller: &Caller,
    id: &str,
    draft: &ApplicationDraft,
) -> ApiResult<(Row, Vec<Correction>)> {
    let row = load(tx, caller, id)?;
    if row.state == ApplicationState::Draft {
        return Ok((row, Vec::new()));
    }
    let open: Vec<Correction> = corrections_of(tx, id)?
        .into_iter()
        .filter(|c| c.is_open() && c.field.is_some())
        .collect();
    let changed = changed_fields(&row.draft, draft);
    let asked = |f: &DraftField| open.iter().any(|c| c.field == Some(*f));
    if open.is_empty()
        || changed.is_empty()
        || !changed.iter().all(asked)
        || draft.applicant_id != row.draft.applicant_id
    {
        load_editable(tx, caller, id)?;
        return Err(ApiError::conflict(
            ErrorCode::NotEditable,
            "after submit only the fields the office asked to correct may change",
        ));
    }
    let fields = mpaspor_domain::draft::fields_of(draft);
    for field in &changed {
        let value = &fields
            .iter()
            .find(|(f, _)| f == field)
            .expect("every field")
            .1;
        if value.is_null() || value.as_str().is_some_and(|s| s.trim().is_empty()) {
            return Err(ApiError::unprocessable(
                ErrorCode::ValidationFailed,
                "the corrected value is empty",
            )
            .field(field.as_str()));
        }
    }
    let fixes = open
        .into_iter()
        .filter(|c| c.field.is_some_and(|f| changed.contains(&f)))
        .collect();
    Ok((row, fixes))
}
