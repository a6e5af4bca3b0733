//! Submit: checks what the draft lacks, the identity and the office, holds
//! the place and issues the billing code.

use crate::clock::secs;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use crate::idempotency;
use crate::model::applications::{documents, load, new_billing_code, payment_of, to_api};
use crate::model::bookings::{book, check_bookable};
use crate::model::family::{check_may_file_for, check_unpaid_places};
use crate::model::identity::check_identity;
use crate::model::lifecycle::{sweep, transition};
use crate::model::sessions::Caller;
use crate::model::watches;
use crate::reference::{self, Pool, SlotRef};

use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use mpaspor_domain::api::{ErrorBody, ErrorCode, NikCheckRequest, SubmitRequest, SubmitResponse};
use mpaspor_domain::draft::{Lack, lacks, waiver_evidenced};
use mpaspor_domain::eligibility::applicant_kind;
use mpaspor_domain::fees::FeeChoice;
use mpaspor_domain::schedule::payment_deadline;
use mpaspor_domain::{ApplicationState, DocumentKind, Nik, Service, Transition};
use rusqlite::params;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(submit))
}

fn incomplete(field: &str, message: String) -> ApiError {
    ApiError::unprocessable(ErrorCode::IncompleteApplication, message).field(field)
}

/// Submit with a slot: checks completeness and the NIK, holds the place
/// atomically and issues the billing code (expires in 2 hours).
#[utoipa::path(post, path = "/v1/applications/{id}/submit", tag = "applications", request_body = SubmitRequest, security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = SubmitResponse), (status = 404, body = ErrorBody),
              (status = 409, description = "slot_full, active_application_exists or not_editable", body = ErrorBody),
              (status = 422, description = "incomplete_application, nik_invalid, identity_invalid, not_on_family_card, office_cannot_issue", body = ErrorBody)))]
async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(req): Json<SubmitRequest>,
) -> ApiResult<Response> {
    let key = idempotency::key(&headers)?;
    let now = state.clock.now();
    let route = format!("POST /v1/applications/{id}/submit");
    state.db.write(|tx| {
        sweep(tx, now)?;
        idempotency::once(tx, &caller.account_id, key.as_deref(), &route, &req, now, |tx| {
            let row = load(tx, &caller, &id)?;
            if row.state != ApplicationState::Draft {
                return Err(ApiError::conflict(ErrorCode::NotEditable, format!("the application is already {}", row.state)));
            }
            if !req.declaration_accepted {
                return Err(ApiError::unprocessable(ErrorCode::DeclarationRequired, "the applicant must declare the data true").field("declaration_accepted"));
            }
            let d = &row.draft;
            let uploaded: Vec<DocumentKind> = documents(tx, &id)?.into_iter().map(|doc| doc.kind).collect();
            let lacking = lacks(d, &uploaded);
            let unanswered: Vec<_> = lacking.iter().filter(|l| l.is_unanswered()).collect();
            if let Some(first) = unanswered.first() {
                let list: Vec<_> = unanswered.iter().map(|l| l.what()).collect();
                return Err(incomplete(first.field(), format!("still missing: {}", list.join(", "))));
            }
            let (p, office_id) = (&d.personal, d.office_id.as_deref().unwrap_or_default());
            let (birth, sex, marital) = (p.birth_date.unwrap_or_default(), p.sex.unwrap_or(mpaspor_domain::Sex::Male), p.marital_status.unwrap_or(mpaspor_domain::MaritalStatus::Single));
            let office = reference::office(office_id).ok_or_else(|| ApiError::invalid("office_id", "no such office"))?;
            let today = office.served.zone.local_date(now);
            let kind = applicant_kind(birth, marital, today);
            if Some(kind) != d.applicant_kind {
                return Err(ApiError::invalid("applicant_kind", format!("by birth date and marital status this applicant is an {kind}")));
            }
            if let Some(lack) = lacking.iter().find(|l| **l == Lack::ValidityNotForChild) {
                return Err(ApiError::invalid(lack.field(), lack.what()));
            }
            if let Some(refusal) = office.served.refuses(d) {
                return Err(ApiError::unprocessable(ErrorCode::OfficeCannotIssue, refusal.message(&office.served)).field(refusal.field()));
            }
            if let Some(lack) = lacking.iter().find(|l| matches!(l, Lack::Document(_))) {
                return Err(incomplete(lack.field(), format!("a document is missing: {}", lack.what())));
            }
            let (validity, passport_type) = (d.validity.ok_or_else(ApiError::internal)?, d.passport_type.ok_or_else(ApiError::internal)?);
            let service = d.service.unwrap_or(Service::Reguler);
            let nik_text = p.nik.as_deref().unwrap_or_default().trim();
            let nik = Nik::parse_stated(nik_text, birth, Some(sex)).map_err(|e| ApiError::unprocessable(ErrorCode::NikInvalid, e.to_string()).field("personal.nik"))?;
            let verdict = check_identity(tx, &NikCheckRequest { nik: nik.to_string(), full_name: p.full_name.clone().unwrap_or_default(), birth_date: birth })?;
            if !verdict.valid {
                return Err(ApiError::unprocessable(ErrorCode::IdentityInvalid, verdict.message).field("personal.nik"));
            }
            check_may_file_for(tx, &caller.account_id, nik.as_str(), "personal.nik")?;
            let active: Vec<String> = {
                let mut q = tx.prepare_cached("SELECT state FROM applications WHERE nik = ?1 AND id != ?2")?;
                q.query_map(params![nik.as_str(), id], |r| r.get(0))?.collect::<Result<_, _>>()?
            };
            if active.iter().any(|s| s.parse::<ApplicationState>().is_ok_and(|s| s.is_active())) {
                return Err(ApiError::conflict(ErrorCode::ActiveApplicationExists, "this NIK already has an application in progress").field("personal.nik"));
            }
            let slot = SlotRef::parse(&req.slot_id).filter(|s| s.office.served.id == office.served.id).ok_or_else(|| ApiError::invalid("slot_id", "no such window at this office"))?;
            check_bookable(now, &slot)?;
            let fee = reference::FEES
                .quote(&FeeChoice { passport_type, validity, service, replacement: d.replacement.as_ref().map(|r| r.reason), force_majeure: waiver_evidenced(d, &uploaded) })
                .map_err(|e| ApiError::invalid("passport_type", e.to_string()))?;
            check_unpaid_places(tx, &caller.account_id)?;
            let pool = Pool::of(passport_type);
            book(tx, &slot, pool)?;
            // Booked: the person's watches have done their work.
            watches::remove_for_nik(tx, nik.as_str())?;
            let code = new_billing_code(tx)?;
            let expires = payment_deadline(now);
            tx.prepare_cached("UPDATE applications SET fee = ?2, slot_id = ?3, billing_code = ?4, issued_at = ?5, expires_at = ?6, nik = ?7, slot_pool = ?8 WHERE id = ?1")?.execute(
                params![id, serde_json::to_string(&fee)?, slot.id(), code.as_str(), secs(now), secs(expires), nik.as_str(), pool.as_str()],
            )?;
            tx.prepare_cached("INSERT INTO treasury (billing_code, application_id, amount) VALUES (?1, ?2, ?3)")?.execute( params![code.as_str(), id, fee.total.0])?;
            transition(tx, &id, ApplicationState::Draft, Transition::Submit, now, Some(&format!("billing code {code}")))?;
            let row = load(tx, &caller, &id)?;
            Ok((StatusCode::CREATED, SubmitResponse { payment: payment_of(tx, &row)?, application: to_api(tx, &row)? }))
        })
    })
}
