//! `Idempotency-Key`: a retried creating, paying or booking POST returns the
//! first answer and changes nothing. Kept in the database, inside the same
//! transaction as the change it guards, so a crash cannot split them.

use crate::clock::secs;
use crate::error::{ApiError, ApiResult};
use crate::ids::sha256_hex;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use mpaspor_domain::api::ErrorCode;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

pub const HEADER: &str = "idempotency-key";

/// The key of a request, if it sent one (at most 200 visible ASCII characters).
pub fn key(headers: &HeaderMap) -> ApiResult<Option<String>> {
    let Some(value) = headers.get(HEADER) else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .filter(|k| !k.is_empty() && k.len() <= 200)
        .ok_or_else(|| {
            ApiError::bad_request("Idempotency-Key must be 1 to 200 visible ASCII characters")
                .field("Idempotency-Key")
        })?;
    Ok(Some(key.to_owned()))
}

/// Runs `f` once per (scope, key): a repeat gets the stored answer. Only a
/// success is stored; a refused request changed nothing and may be retried.
pub fn once<T: Serialize>(
    tx: &Connection,
    scope: &str,
    key: Option<&str>,
    route: &str,
    request: &impl Serialize,
    now: Timestamp,
    f: impl FnOnce(&Connection) -> ApiResult<(StatusCode, T)>,
) -> ApiResult<Response> {
    let Some(key) = key else {
        let (status, body) = f(tx)?;
        return Ok((status, axum::Json(body)).into_response());
    };
    let request_hash =
        sha256_hex(format!("{route}\n{}", serde_json::to_string(request)?).as_bytes());
    let stored: Option<(String, i64, String)> = tx
        .prepare_cached(
            "SELECT request_hash, status, body FROM idempotency WHERE scope = ?1 AND key = ?2",
        )?
        .query_row(params![scope, key], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    if let Some((hash, status, body)) = stored {
        if hash != request_hash {
            return Err(ApiError::unprocessable(
                ErrorCode::IdempotencyKeyReused,
                "this Idempotency-Key was used for a different request",
            )
            .field("Idempotency-Key"));
        }
        let status = StatusCode::from_u16(status as u16).map_err(|_| ApiError::internal())?;
        let body: serde_json::Value = serde_json::from_str(&body)?;
        return Ok((status, axum::Json(body)).into_response());
    }
    let (status, body) = f(tx)?;
    let json = serde_json::to_string(&body)?;
    tx.prepare_cached("INSERT INTO idempotency (scope, key, route, request_hash, status, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?.execute(
        params![scope, key, route, request_hash, status.as_u16(), json, secs(now)],
    )?;
    Ok((status, axum::Json(body)).into_response())
}
