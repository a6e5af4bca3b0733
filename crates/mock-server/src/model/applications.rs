//! Applications as stored: the row, its answer with documents and timeline,
//! the billing code and the payment.

use crate::clock::from_secs;
use crate::error::{ApiError, ApiResult};
use crate::model::sessions::Caller;
use crate::reference::SlotRef;
use mpaspor_domain::api::{
    Application, ApplicationDraft, Appointment, Correction, DocumentInfo, ErrorCode, Payment,
    TimelineEntry,
};
use mpaspor_domain::fees::FeeQuote;
use mpaspor_domain::{ApplicationState, BillingCode, Ntpn};
use rusqlite::{Connection, OptionalExtension, params};

/// An application as stored.
pub struct Row {
    pub id: String,
    pub applicant_id: String,
    pub version: u64,
    pub state: ApplicationState,
    pub draft: ApplicationDraft,
    pub fee: Option<FeeQuote>,
    pub slot_id: Option<String>,
    pub reschedules_used: u32,
    pub billing_code: Option<String>,
    pub issued_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub paid_at: Option<i64>,
    pub ntpn: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, applicant_id, version, state, draft, fee, slot_id, reschedules_used, billing_code, issued_at, expires_at, paid_at, ntpn, created_at, updated_at";

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Row, String, String, Option<String>)> {
    Ok((
        Row {
            id: r.get(0)?,
            applicant_id: r.get(1)?,
            version: r.get(2)?,
            state: ApplicationState::Draft,
            draft: ApplicationDraft::default(),
            fee: None,
            slot_id: r.get(6)?,
            reschedules_used: r.get(7)?,
            billing_code: r.get(8)?,
            issued_at: r.get(9)?,
            expires_at: r.get(10)?,
            paid_at: r.get(11)?,
            ntpn: r.get(12)?,
            created_at: r.get(13)?,
            updated_at: r.get(14)?,
        },
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

fn finish_row(
    (mut row, state, draft, fee): (Row, String, String, Option<String>),
) -> ApiResult<Row> {
    row.state = state.parse().map_err(|_| ApiError::internal())?;
    row.draft = serde_json::from_str(&draft)?;
    row.fee = fee.map(|f| serde_json::from_str(&f)).transpose()?;
    Ok(row)
}

/// One of the caller's applications, or 404.
pub fn load(tx: &Connection, caller: &Caller, id: &str) -> ApiResult<Row> {
    let sql = format!("SELECT {COLUMNS} FROM applications WHERE id = ?1 AND account_id = ?2");
    let raw = tx
        .prepare_cached(&sql)?
        .query_row(params![id, caller.account_id], read_row)
        .optional()?;
    finish_row(raw.ok_or_else(|| ApiError::not_found("application"))?)
}

/// One of the caller's applications that may still change (a draft): its
/// contents and its documents. Checked in the same transaction as the
/// write it guards, so a submit between the check and the write cannot
/// slip through.
pub fn load_editable(tx: &Connection, caller: &Caller, id: &str) -> ApiResult<Row> {
    let row = load(tx, caller, id)?;
    if row.state != ApplicationState::Draft {
        return Err(ApiError::conflict(
            ErrorCode::NotEditable,
            format!("the application is {}; only a draft can change", row.state),
        ));
    }
    Ok(row)
}

/// An application by id, whoever owns it (tester routes).
pub fn load_any(tx: &Connection, id: &str) -> ApiResult<Row> {
    let sql = format!("SELECT {COLUMNS} FROM applications WHERE id = ?1");
    let raw = tx
        .prepare_cached(&sql)?
        .query_row([id], read_row)
        .optional()?;
    finish_row(raw.ok_or_else(|| ApiError::not_found("application"))?)
}

pub fn documents(tx: &Connection, id: &str) -> ApiResult<Vec<DocumentInfo>> {
    let mut q = tx.prepare_cached("SELECT kind, media_type, length(bytes), width, height, sha256, uploaded_at FROM documents WHERE application_id = ?1 ORDER BY kind")?;
    let rows = q.query_map([id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get::<_, i64>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (kind, media_type, bytes, width, height, sha256, at) = row?;
        out.push(DocumentInfo {
            kind: kind.parse().map_err(|_| ApiError::internal())?,
            media_type,
            bytes,
            width,
            height,
            sha256,
            uploaded_at: from_secs(at),
        });
    }
    Ok(out)
}

fn appointment(slot_id: Option<&str>) -> Option<Appointment> {
    let slot = SlotRef::parse(slot_id?)?;
    Some(Appointment {
        slot_id: slot.id().into(),
        office_id: slot.office.served.id.clone(),
        date: slot.date,
        window: slot.window,
        zone: slot.office.served.zone,
    })
}

pub fn to_api(tx: &Connection, row: &Row) -> ApiResult<Application> {
    let mut q = tx.prepare_cached(
        "SELECT state, at, note, event FROM timeline WHERE application_id = ?1 ORDER BY seq",
    )?;
    let timeline = q
        .query_map([&row.id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?
        .map(|t| {
            let (state, at, note, event) = t?;
            Ok(TimelineEntry {
                state: state.parse().map_err(|_| ApiError::internal())?,
                at: from_secs(at),
                event: event
                    .map(|e| e.parse().map_err(|_| ApiError::internal()))
                    .transpose()?,
                note,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Application {
        id: row.id.clone().into(),
        version: row.version,
        state: row.state,
        draft: row.draft.clone(),
        documents: documents(tx, &row.id)?,
        appointment: if row.state.is_active() {
            appointment(row.slot_id.as_deref())
        } else {
            None
        },
        fee: row.fee.clone(),
        reschedules_used: row.reschedules_used,
        created_at: from_secs(row.created_at),
        updated_at: from_secs(row.updated_at),
        timeline,
        corrections: corrections_of(tx, &row.id)?,
    })
}

/// A 15-digit PNBP billing code (first digit 8), unique in the treasury.
pub fn new_billing_code(tx: &Connection) -> ApiResult<BillingCode> {
    loop {
        let mut b = [0u8; 8];
        getrandom::fill(&mut b).expect("the OS has randomness");
        let code = BillingCode::parse(&format!(
            "8{:014}",
            u64::from_le_bytes(b) % 100_000_000_000_000
        ))
        .map_err(|_| ApiError::internal())?;
        let taken: bool = tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM treasury WHERE billing_code = ?1)")?
            .query_row([code.as_str()], |r| r.get(0))?;
        if !taken {
            return Ok(code);
        }
    }
}

pub fn payment_of(tx: &Connection, row: &Row) -> ApiResult<Payment> {
    let code = row.billing_code.as_deref().ok_or_else(|| {
        ApiError::conflict(
            ErrorCode::NotPaid,
            "the application has not been submitted; there is nothing to pay",
        )
    })?;
    let amount: u64 = tx
        .prepare_cached("SELECT amount FROM treasury WHERE billing_code = ?1")?
        .query_row([code], |r| r.get(0))?;
    Ok(Payment {
        billing_code: BillingCode::parse(code).map_err(|_| ApiError::internal())?,
        amount: mpaspor_domain::Rupiah(amount),
        issued_at: from_secs(row.issued_at.unwrap_or_default()),
        expires_at: from_secs(row.expires_at.unwrap_or_default()),
        paid: row.paid_at.is_some(),
        paid_at: row.paid_at.map(from_secs),
        ntpn: row
            .ntpn
            .as_deref()
            .map(Ntpn::parse)
            .transpose()
            .map_err(|_| ApiError::internal())?,
        state: row.state,
    })
}

pub const CORRECTION_COLUMNS: &str =
    "id, application_id, document, field, reason, asked_at, due_at, state, settled_at";

pub fn read_correction(r: &rusqlite::Row<'_>) -> rusqlite::Result<Correction> {
    let bad = |i: usize| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            "bad value".into(),
        )
    };
    Ok(Correction {
        id: r.get(0)?,
        application_id: r.get::<_, String>(1)?.into(),
        document: r
            .get::<_, Option<String>>(2)?
            .map(|d| d.parse().map_err(|_| bad(2)))
            .transpose()?,
        field: r
            .get::<_, Option<String>>(3)?
            .map(|f| f.parse().map_err(|_| bad(3)))
            .transpose()?,
        reason: r.get(4)?,
        asked_at: from_secs(r.get(5)?),
        due_at: from_secs(r.get(6)?),
        state: r.get::<_, String>(7)?.parse().map_err(|_| bad(7))?,
        settled_at: r.get::<_, Option<i64>>(8)?.map(from_secs),
    })
}

/// An application's corrections (`corrections.rs` holds their rules), oldest first.
pub fn corrections_of(tx: &Connection, application_id: &str) -> ApiResult<Vec<Correction>> {
    let sql = format!(
        "SELECT {CORRECTION_COLUMNS} FROM corrections WHERE application_id = ?1 ORDER BY asked_at, id"
    );
    Ok(tx
        .prepare_cached(&sql)?
        .query_map([application_id], read_correction)?
        .collect::<Result<_, _>>()?)
}
