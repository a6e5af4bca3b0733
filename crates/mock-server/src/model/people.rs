//! Accounts and the people they file for: names as the registry keeps
//! them, and an applicant of the caller's.

use crate::error::{ApiError, ApiResult};
use crate::model::sessions::Caller;
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use mpaspor_domain::api::{Applicant, ErrorCode};
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
        id: id.to_owned().into(),
        version,
        input: serde_json::from_str(&body)?,
    })
}

pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub fn check_email(email: &str) -> ApiResult<()> {
    let ok = email.len() <= 254
        && email.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
        })
        && !email.chars().any(char::is_whitespace);
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid("email", "this is not an email address"))
    }
}

pub fn check_password(password: &str, field: &str) -> ApiResult<()> {
    let strong = password.chars().count() >= 8
        && password.len() <= 128
        && password.chars().any(|c| c.is_alphabetic())
        && password.chars().any(|c| c.is_ascii_digit());
    if strong {
        Ok(())
    } else {
        Err(ApiError::unprocessable(
            ErrorCode::WeakPassword,
            "a password has 8 to 128 characters, with letters and digits",
        )
        .field(field))
    }
}

/// Indonesian mobile numbers: 08... or +628..., 10 to 15 digits.
pub fn check_phone(phone: &str) -> ApiResult<()> {
    let digits: String = phone.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let rest = digits
        .strip_prefix("+62")
        .map(|r| format!("0{r}"))
        .unwrap_or(digits);
    let ok = rest.starts_with("08")
        && (10..=15).contains(&rest.len())
        && rest.bytes().all(|b| b.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid(
            "phone",
            "a mobile number starts with 08 or +62 and has 10 to 15 digits",
        ))
    }
}

pub async fn hash_password(password: String) -> ApiResult<String> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
    })
    .await
    .map_err(|_| ApiError::internal())?
    .map_err(|_| ApiError::internal())
}

pub async fn password_matches(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .verify_password(password.as_bytes(), hash.as_str())
            .is_ok()
    })
    .await
    .unwrap_or(false)
}
