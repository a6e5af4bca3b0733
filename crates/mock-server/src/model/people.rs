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

/// A password long enough and hard enough to guess: 8 to 128 characters
/// that zxcvbn scores 3 or more (about 10^8 guesses), counting what the
/// account itself says (the name and the email) as easy to guess.
pub fn check_password(password: &str, field: &str, about: &[&str]) -> ApiResult<()> {
    // Each word of the name and the email, and the name run together.
    let mut words: Vec<String> = about
        .iter()
        .flat_map(|a| a.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.len() >= 3)
        .map(str::to_lowercase)
        .collect();
    words.extend(about.iter().map(|a| a.to_lowercase().replace(' ', "")));
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let length = password.chars().count();
    let strong = (8..=128).contains(&length)
        && zxcvbn::zxcvbn(password, &words).score() >= zxcvbn::Score::Three;
    if strong {
        Ok(())
    } else {
        Err(ApiError::unprocessable(
            ErrorCode::WeakPassword,
            "the password is too easy to guess: 8 to 128 characters, for example three or four \
             unrelated words; not the name, the email, dates or common words",
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

/// Password hashes computed at once (each takes ~19 MiB and a core for
/// tens of milliseconds); more wait their turn, and past a few seconds of
/// waiting the server says it is busy instead of piling up memory.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);
const HASHING_QUEUE: std::time::Duration = std::time::Duration::from_secs(5);

async fn hashing<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> ApiResult<T> {
    let busy = || {
        let mut e = ApiError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::RateLimited,
            "the server is busy; try again in a moment",
        );
        e.body.error.retry_after_seconds = Some(1);
        e
    };
    let _permit = tokio::time::timeout(HASHING_QUEUE, HASHING.acquire())
        .await
        .map_err(|_| busy())?
        .map_err(|_| busy())?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|_| ApiError::internal())
}

pub async fn hash_password(password: String) -> ApiResult<String> {
    hashing(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
    })
    .await?
    .map_err(|_| ApiError::internal())
}

/// Whether `password` is the one behind `hash`; with no hash (no such
/// account) a stand-in is checked, so the answer takes the same time.
pub async fn password_matches(password: String, hash: Option<String>) -> ApiResult<bool> {
    static STAND_IN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let known = hash.is_some();
    hashing(move || {
        let hash = hash.unwrap_or_else(|| {
            STAND_IN
                .get_or_init(|| {
                    let never = crate::ids::random_token(24);
                    Argon2::default()
                        .hash_password(never.as_bytes())
                        .map(|h| h.to_string())
                        .unwrap_or_default()
                })
                .clone()
        });
        // Checked whether or not the account exists (not short-circuited).
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), hash.as_str())
            .is_ok();
        known && matches
    })
    .await
}
