//! Sessions: log in (wrong passwords slowed per email and per client
//! address), refresh, log out.

use crate::error::{ApiError, ApiResult};
use crate::extract::{ClientAddress, Json};
use crate::model::people::{normalise_email, password_matches};
use crate::model::sessions::{self, Caller};
use crate::model::throttle::{self, LOGIN_FAILURES_PER_ADDRESS, LOGIN_FAILURES_PER_EMAIL};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use mpaspor_domain::api::{ErrorBody, ErrorCode, LoginRequest, RefreshRequest, Session};
use rusqlite::OptionalExtension;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(logout))
}

/// Log in: an access token (15 minutes) and a refresh token (30 days, rotating).
#[utoipa::path(post, path = "/v1/sessions", tag = "sessions", request_body = LoginRequest,
    responses((status = 201, body = Session), (status = 401, description = "invalid_credentials", body = ErrorBody),
              (status = 403, description = "account_not_verified", body = ErrorBody), (status = 429, description = "rate_limited", body = ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Json(req): Json<LoginRequest>,
) -> ApiResult<(StatusCode, Json<Session>)> {
    let email = normalise_email(&req.email);
    let address = address.to_string();
    let wrong = || {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidCredentials,
            "wrong email or password",
        )
    };
    // Bounded at the edge: nothing longer is an email or a password here.
    if email.len() > 254 || req.password.len() > 128 {
        return Err(wrong());
    }
    let now = state.clock.now();
    let found: Option<(String, String, bool)> = state.db.write(|tx| {
        throttle::check(tx, &LOGIN_FAILURES_PER_ADDRESS, &address, now)?;
        throttle::check(tx, &LOGIN_FAILURES_PER_EMAIL, &email, now)?;
        Ok(tx
            .prepare_cached("SELECT id, password_hash, verified FROM accounts WHERE email = ?1")?
            .query_row([&email], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?)
    })?;
    let (id, hash, verified) = match found {
        Some((id, hash, verified)) => (Some(id), Some(hash), verified),
        None => (None, None, false),
    };
    // Hashed whether or not the email has an account: the same answer in
    // the same time either way.
    let matches = password_matches(req.password.clone(), hash).await?;
    let Some(id) = id.filter(|_| matches) else {
        state.db.write(|tx| {
            throttle::count(tx, &LOGIN_FAILURES_PER_ADDRESS, &address, now)?;
            throttle::count(tx, &LOGIN_FAILURES_PER_EMAIL, &email, now)
        })?;
        return Err(wrong());
    };
    if !verified {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::AccountNotVerified,
            "activate the account with the emailed code first",
        ));
    }
    let session = state.db.write(|tx| {
        throttle::clear(tx, &LOGIN_FAILURES_PER_EMAIL, &email)?;
        sessions::open_session(tx, &id, now)
    })?;
    Ok((StatusCode::CREATED, Json(session)))
}

/// Rotate tokens. Presenting an already-rotated refresh token ends the session.
#[utoipa::path(post, path = "/v1/sessions/refresh", tag = "sessions", request_body = RefreshRequest,
    responses((status = 200, body = Session), (status = 401, description = "unauthorized, token_expired or session_ended", body = ErrorBody)))]
async fn refresh(
    State(state): State<AppState>,
    Json(req): Json<RefreshRequest>,
) -> ApiResult<Json<Session>> {
    let now = state.clock.now();
    // A reuse ends the session even though the request fails: commit that first.
    let outcome = state
        .db
        .write(|tx| match sessions::rotate(tx, &req.refresh_token, now) {
            Err(e) if e.body.code() == Some(ErrorCode::SessionEnded) => Ok(Err(e)),
            other => other.map(Ok),
        })?;
    Ok(Json(outcome?))
}

/// Log out: this session's tokens stop working.
#[utoipa::path(delete, path = "/v1/sessions/current", tag = "sessions", security(("bearer" = [])),
    responses((status = 204, description = "logged out"), (status = 401, body = ErrorBody)))]
async fn logout(State(state): State<AppState>, caller: Caller) -> ApiResult<StatusCode> {
    state.db.write(|tx| {
        tx.prepare_cached("UPDATE sessions SET ended = 1 WHERE id = ?1")?
            .execute([&caller.session_id])?;
        Ok(())
    })?;
    Ok(StatusCode::NO_CONTENT)
}
