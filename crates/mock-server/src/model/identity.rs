//! The civil registry (Dukcapil): a person by NIK, and the verdict on a NIK,
//! name and birth date.

use crate::error::ApiResult;
use crate::registry::same_name;
use mpaspor_domain::api::{Citizen, NikCheckFailure, NikCheckRequest, NikCheckResponse};
use mpaspor_domain::{Nik, NikError};
use rusqlite::{Connection, OptionalExtension};

/// The registry's row for a NIK, as it is stored (JSON).
pub fn citizen_row(tx: &Connection, nik: &str) -> ApiResult<Option<String>> {
    Ok(tx
        .prepare_cached("SELECT body FROM citizens WHERE nik = ?1")?
        .query_row([nik], |r| r.get(0))
        .optional()?)
}

pub fn parse_citizen(row: Option<String>) -> ApiResult<Option<Citizen>> {
    Ok(row.map(|b| serde_json::from_str(&b)).transpose()?)
}

pub fn citizen(tx: &Connection, nik: &str) -> ApiResult<Option<Citizen>> {
    parse_citizen(citizen_row(tx, nik)?)
}

/// The Dukcapil verdict on a NIK, name and birth date.
pub fn check_identity(tx: &Connection, req: &NikCheckRequest) -> ApiResult<NikCheckResponse> {
    identity_verdict(req, |nik| citizen(tx, nik))
}

/// The verdict, asking the registry through `lookup` once the NIK itself is
/// well-formed and agrees with the birth date.
pub fn identity_verdict(
    req: &NikCheckRequest,
    lookup: impl FnOnce(&str) -> ApiResult<Option<Citizen>>,
) -> ApiResult<NikCheckResponse> {
    let fail = |failure: NikCheckFailure, message: String| NikCheckResponse {
        valid: false,
        failure: Some(failure),
        message,
    };
    let nik = match Nik::parse_stated(req.nik.trim(), req.birth_date, None) {
        Ok(nik) => nik,
        Err(e @ NikError::BirthDateMismatch { .. }) => {
            return Ok(fail(NikCheckFailure::BirthDateMismatch, e.to_string()));
        }
        Err(e) => return Ok(fail(NikCheckFailure::Malformed, e.to_string())),
    };
    // Not registered, or registered with another name or birth date: one
    // answer, so the check is no oracle of who is in the registry.
    let matches = lookup(nik.as_str())?.is_some_and(|person| {
        person.birth_date == req.birth_date && same_name(&person.full_name, &req.full_name)
    });
    if !matches {
        return Ok(fail(
            NikCheckFailure::NoMatch,
            "identitas tidak valid: the registry has no person with this NIK, name and birth date"
                .into(),
        ));
    }
    Ok(NikCheckResponse {
        valid: true,
        failure: None,
        message: "identity confirmed by Dukcapil".into(),
    })
}
