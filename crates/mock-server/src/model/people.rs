//! Accounts and the people they file for: names as the registry keeps
//! them, and an applicant of the caller's.

use crate::error::{ApiError, ApiResult};
use crate::model::sessions::Caller;
use mpaspor_domain::api::Applicant;
use rusqlite::{Connection, OptionalExtension, params};

pub fn check_name(name: &str, field: &str) -> ApiResult<()> {
    let n = name.trim().chars().count();
    if (1..=100).contains(&n) && !name.chars().any(char::is_control) {
        Ok(())
    } else {
        Err(ApiError::invalid(field, "a name has 1 to 100 characters"))
    }
}

/// An applicant of the caller's, or 404 (whether it exists for another account or not at all).
pub fn owned(tx: &Connection, caller: &Caller, id: &str) -> ApiResult<Applicant> {
    let row: Option<(u64, String)> = tx
        .prepare_cached("SELECT version, body FROM applicants WHERE id = ?1 AND account_id = ?2")?
        .query_row(params![id, caller.account_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let (version, body) = row.ok_or_else(|| ApiError::not_found("applicant"))?;
    Ok(Applicant {
        id: id.to_owned(),
        version,
        input: serde_json::from_str(&body)?,
    })
}
