//! The people an account files for (at most five, the holder included), and
//! the passports already issued to them (travel-document integration).

use crate::clock::secs;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query, if_match};
use crate::ids::new_id;
use crate::model::family::{check_applicant_nik, may_read};
use crate::model::identity::citizen;
use crate::model::people::{check_name, owned};
use crate::model::sessions::Caller;

use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use jiff::Timestamp;
use mpaspor_domain::api::{
    Applicant, ApplicantInput, ErrorBody, ErrorCode, MAX_APPLICANTS, Page, PageQuery, Relationship,
    TravelDocument,
};
use mpaspor_domain::{ApplicationState, Nik, OfficeZone};
use rusqlite::params;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(update, remove))
        .routes(routes!(travel_documents))
}

fn validate(input: &ApplicantInput, now: Timestamp) -> ApiResult<()> {
    check_name(&input.full_name, "full_name")?;
    if input.birth_date > OfficeZone::Wib.local_date(now) {
        return Err(ApiError::invalid(
            "birth_date",
            "the birth date is in the future",
        ));
    }
    if let Some(nik) = &input.nik {
        Nik::parse_stated(nik.trim(), input.birth_date, Some(input.sex)).map_err(|e| {
            ApiError::unprocessable(ErrorCode::NikInvalid, e.to_string()).field("nik")
        })?;
    }
    Ok(())
}

/// The account's applicants, the holder first.
#[utoipa::path(get, path = "/v1/applicants", tag = "applicants", params(PageQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<Applicant>), (status = 401, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<Page<Applicant>>> {
    let all = state.db.write(|tx| {
        let mut q = tx.prepare_cached("SELECT id, version, body FROM applicants WHERE account_id = ?1 ORDER BY created_at, id")?;
        let rows = q.query_map([&caller.account_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?, r.get::<_, String>(2)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, version, body) = row?;
            out.push(Applicant { id: id.into(), version, input: serde_json::from_str(&body)? });
        }
        Ok(out)
    })?;
    Ok(Json(Page::of(all, page)))
}

/// Add a family member (five applicants at most, the holder included). A
/// NIK given must be on the holder's family card (KK).
#[utoipa::path(post, path = "/v1/applicants", tag = "applicants", request_body = ApplicantInput, security(("bearer" = [])),
    responses((status = 201, body = Applicant), (status = 409, description = "applicant_limit", body = ErrorBody),
              (status = 422, description = "not_on_family_card, nik_invalid or validation_failed", body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Json(input): Json<ApplicantInput>,
) -> ApiResult<axum::response::Response> {
    let now = state.clock.now();
    validate(&input, now)?;
    if input.relationship == Relationship::Holder {
        return Err(ApiError::invalid(
            "relationship",
            "the account holder is already an applicant",
        ));
    }
    let key = crate::idempotency::key(&headers)?;
    state.db.write(|tx| {
        crate::idempotency::once(tx, &caller.account_id, key.as_deref(), "POST /v1/applicants", &input, now, |tx| {
            let count: usize = tx.prepare_cached("SELECT COUNT(*) FROM applicants WHERE account_id = ?1")?.query_row( [&caller.account_id], |r| r.get(0))?;
            if count >= MAX_APPLICANTS {
                return Err(ApiError::conflict(ErrorCode::ApplicantLimit, "an account files for at most five applicants, the holder included"));
            }
            check_applicant_nik(tx, &caller.account_id, &input)?;
            let id = new_id("ap");
            tx.prepare_cached("INSERT INTO applicants (id, account_id, version, body, created_at) VALUES (?1, ?2, 1, ?3, ?4)")?.execute(
                params![id, caller.account_id, serde_json::to_string(&input)?, secs(now)],
            )?;
            Ok((StatusCode::CREATED, Applicant { id: id.into(), version: 1, input: input.clone() }))
        })
    })
}

/// Change an applicant (`If-Match: <version>`).
#[utoipa::path(put, path = "/v1/applicants/{id}", tag = "applicants", request_body = ApplicantInput, security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = u64, Header, description = "the version being changed")),
    responses((status = 200, body = Applicant), (status = 404, body = ErrorBody), (status = 409, description = "version_conflict", body = ErrorBody), (status = 428, body = ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(mut input): Json<ApplicantInput>,
) -> ApiResult<Json<Applicant>> {
    let version = if_match(&headers)?;
    validate(&input, state.clock.now())?;
    let updated = state.db.write(|tx| {
        let current = owned(tx, &caller, &id)?;
        if current.version != version {
            return Err(ApiError::version_conflict(current.version));
        }
        // The holder stays the holder, and nobody else becomes it.
        if (current.input.relationship == Relationship::Holder)
            != (input.relationship == Relationship::Holder)
        {
            if current.input.relationship == Relationship::Holder {
                input.relationship = Relationship::Holder;
            } else {
                return Err(ApiError::invalid(
                    "relationship",
                    "the account holder is already an applicant",
                ));
            }
        }
        check_applicant_nik(tx, &caller.account_id, &input)?;
        tx.prepare_cached("UPDATE applicants SET version = version + 1, body = ?2 WHERE id = ?1")?
            .execute(params![id, serde_json::to_string(&input)?])?;
        Ok(Applicant {
            id: id.clone().into(),
            version: version + 1,
            input,
        })
    })?;
    Ok(Json(updated))
}

/// Remove a family member with no application in progress.
#[utoipa::path(delete, path = "/v1/applicants/{id}", tag = "applicants", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 204, description = "removed"), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    state.db.write(|tx| {
        let applicant = owned(tx, &caller, &id)?;
        if applicant.input.relationship == Relationship::Holder {
            return Err(ApiError::invalid(
                "id",
                "the account holder leaves only by deleting the account",
            ));
        }
        let states: Vec<String> = {
            let mut q =
                tx.prepare_cached("SELECT state FROM applications WHERE applicant_id = ?1")?;
            q.query_map([&id], |r| r.get(0))?
                .collect::<Result<_, _>>()?
        };
        if states
            .iter()
            .any(|s| s.parse::<ApplicationState>().is_ok_and(|s| s.is_active()))
        {
            return Err(ApiError::conflict(
                ErrorCode::ActiveApplicationExists,
                "this applicant has an application in progress; cancel it first",
            ));
        }
        tx.prepare_cached("DELETE FROM applications WHERE applicant_id = ?1 AND account_id = ?2")?
            .execute(params![id, caller.account_id])?;
        tx.prepare_cached("DELETE FROM applicants WHERE id = ?1")?
            .execute([&id])?;
        Ok(())
    })?;
    Ok(StatusCode::NO_CONTENT)
}

/// The passports already issued to this applicant's NIK.
#[utoipa::path(get, path = "/v1/applicants/{id}/travel-documents", tag = "applicants", security(("bearer" = [])), params(("id" = String, Path), PageQuery),
    responses((status = 200, body = Page<TravelDocument>), (status = 404, body = ErrorBody)))]
async fn travel_documents(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<Page<TravelDocument>>> {
    let docs = state.db.write(|tx| {
        let applicant = owned(tx, &caller, &id)?;
        if !may_read(tx, &caller.account_id, &applicant)? {
            return Ok(Vec::new());
        }
        let Some(nik) = applicant.input.nik else {
            return Ok(Vec::new());
        };
        // Only when the registry's person is this applicant: the NIK alone is not proof.
        Ok(citizen(tx, nik.trim())?
            .filter(|c| {
                c.birth_date == applicant.input.birth_date
                    && crate::registry::same_name(&c.full_name, &applicant.input.full_name)
            })
            .map(|c| c.passports)
            .unwrap_or_default())
    })?;
    Ok(Json(Page::of(docs, page)))
}
