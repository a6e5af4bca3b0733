//! Sessions: a short-lived access token and a refresh token that rotates,
//! kept only as SHA-256 hashes; the caller a token names; login throttling.

use crate::clock::{from_secs, secs};
use crate::error::{ApiError, ApiResult};
use crate::ids::{new_id, random_token, sha256_hex};
use axum::http::StatusCode;
use jiff::{SignedDuration, Timestamp};
use mpaspor_domain::api::{Account, ErrorCode, Session};
use rusqlite::{Connection, OptionalExtension, params};

pub const ACCESS_TTL: SignedDuration = SignedDuration::from_mins(15);
pub const REFRESH_TTL: SignedDuration = SignedDuration::from_hours(24 * 30);

/// The authenticated account of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub account_id: String,
    pub session_id: String,
}

pub fn load_account(tx: &Connection, id: &str) -> ApiResult<Account> {
    tx.prepare_cached("SELECT id, full_name, email, phone, birth_date, sex, verified, created_at, language FROM accounts WHERE id = ?1")?.query_row(
        [id],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, bool>(6)?,
                r.get::<_, i64>(7)?,
                r.get::<_, String>(8)?,
            ))
        },
    )
    .optional()?
    .map(|(id, full_name, email, phone, birth, sex, verified, created, language)| {
        Ok(Account {
            id,
            full_name,
            email,
            phone,
            birth_date: birth.parse().map_err(|_| ApiError::internal())?,
            sex: sex.parse().map_err(|_| ApiError::internal())?,
            language: language.parse().map_err(|_| ApiError::internal())?,
            verified,
            created_at: from_secs(created),
        })
    })
    .unwrap_or_else(|| Err(ApiError::not_found("account")))
}

/// Starts a session: fresh access and refresh tokens.
pub fn open_session(tx: &Connection, account_id: &str, now: Timestamp) -> ApiResult<Session> {
    let (access, refresh) = (random_token(32), random_token(32));
    let session_id = new_id("ses");
    tx.prepare_cached("INSERT INTO sessions (id, account_id, refresh_hash, refresh_expires_at, access_hash, access_expires_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?.execute(
        params![
            session_id,
            account_id,
            sha256_hex(refresh.as_bytes()),
            secs(now + REFRESH_TTL),
            sha256_hex(access.as_bytes()),
            secs(now + ACCESS_TTL),
            secs(now)
        ],
    )?;
    Ok(Session {
        access_token: access,
        access_expires_at: now + ACCESS_TTL,
        refresh_token: refresh,
        refresh_expires_at: now + REFRESH_TTL,
        account: load_account(tx, account_id)?,
    })
}

/// How long the refresh token just rotated away still rotates (once more)
/// instead of ending the session: the answer to a refresh can be lost on a
/// phone's link, and the app then sends the same token again.
pub const REFRESH_GRACE: SignedDuration = SignedDuration::from_secs(30);

/// Rotates a session's tokens. A refresh token that was already rotated away
/// is a sign of theft: the whole session ends, unless it is the one rotated
/// last, within `REFRESH_GRACE` (then the session rotates again).
pub fn rotate(tx: &Connection, refresh: &str, now: Timestamp) -> ApiResult<Session> {
    let hash = sha256_hex(refresh.trim().as_bytes());
    let spent: Option<(String, i64, bool)> = tx
        .prepare_cached(
            "SELECT s.session_id, s.spent_at,
                NOT EXISTS (SELECT 1 FROM spent_refresh later
                            WHERE later.session_id = s.session_id AND later.spent_at > s.spent_at)
             FROM spent_refresh s WHERE s.refresh_hash = ?1",
        )?
        .query_row([&hash], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    if let Some((session_id, spent_at, last)) = spent {
        let ended: bool = tx
            .prepare_cached("SELECT ended FROM sessions WHERE id = ?1")?
            .query_row([&session_id], |r| r.get(0))?;
        if last && !ended && secs(now) - spent_at <= REFRESH_GRACE.as_secs() {
            return reissue(tx, &session_id, now);
        }
        tx.prepare_cached("UPDATE sessions SET ended = 1 WHERE id = ?1")?
            .execute([&session_id])?;
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::SessionEnded,
            "this refresh token was already used; the session has been ended",
        ));
    }
    let row: Option<(String, String, i64, bool)> = tx
        .prepare_cached("SELECT id, account_id, refresh_expires_at, ended FROM sessions WHERE refresh_hash = ?1")?.query_row(
            [&hash],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let session_id = match row {
        None => return Err(ApiError::unauthorized("the refresh token is not known")),
        Some((_, _, _, true)) => {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                ErrorCode::SessionEnded,
                "this session has ended",
            ));
        }
        Some((_, _, expires, _)) if expires <= secs(now) => {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                ErrorCode::TokenExpired,
                "the refresh token has expired; log in again",
            ));
        }
        Some((id, _, _, _)) => id,
    };
    tx.prepare_cached(
        "INSERT INTO spent_refresh (refresh_hash, session_id, spent_at) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![hash, session_id, secs(now)])?;
    reissue(tx, &session_id, now)
}

/// New tokens for a session: the old ones stop working.
fn reissue(tx: &Connection, session_id: &str, now: Timestamp) -> ApiResult<Session> {
    let account_id: String = tx
        .prepare_cached("SELECT account_id FROM sessions WHERE id = ?1")?
        .query_row([session_id], |r| r.get(0))?;
    let (access, new_refresh) = (random_token(32), random_token(32));
    tx.prepare_cached("UPDATE sessions SET refresh_hash = ?2, refresh_expires_at = ?3, access_hash = ?4, access_expires_at = ?5 WHERE id = ?1")?.execute(
        params![
            session_id,
            sha256_hex(new_refresh.as_bytes()),
            secs(now + REFRESH_TTL),
            sha256_hex(access.as_bytes()),
            secs(now + ACCESS_TTL)
        ],
    )?;
    Ok(Session {
        access_token: access,
        access_expires_at: now + ACCESS_TTL,
        refresh_token: new_refresh,
        refresh_expires_at: now + REFRESH_TTL,
        account: load_account(tx, &account_id)?,
    })
}
