//! Axum's extractors, with every rejection answered as the JSON error body
//! (a malformed body, path or query is a 4xx with a clear code, never a 500);
//! the caller behind a bearer token; the version an update is based on.

use crate::clock::secs;
use crate::error::{ApiError, ApiResult};
use crate::ids::sha256_hex;
use crate::model::sessions::Caller;
use crate::state::{AppState, LiveSession};
use axum::extract::FromRequest;
use axum::extract::FromRequestParts;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use mpaspor_domain::api::ErrorCode;
use rusqlite::OptionalExtension;

#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Json<T>(pub T);

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> ApiError {
        match r {
            JsonRejection::MissingJsonContentType(_) => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedMediaType,
                "send the body as JSON with Content-Type: application/json",
            ),
            JsonRejection::JsonSyntaxError(e) => ApiError::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::InvalidJson,
                format!("the body is not valid JSON: {}", e.body_text()),
            ),
            JsonRejection::JsonDataError(e) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::ValidationFailed,
                e.body_text(),
            ),
            JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                too_large()
            }
            other => ApiError::bad_request(other.body_text()),
        }
    }
}

pub fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::PayloadTooLarge,
        "the request body is larger than this route accepts",
    )
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, r.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
            r.body_text(),
        )
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Caller> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(|| ApiError::unauthorized("send Authorization: Bearer <access token>"))?;
        let hash = sha256_hex(token.trim().as_bytes());
        let now = secs(state.clock.now());
        // A live session found at this generation is still live while nothing
        // was written (a logout or a refresh is a write) and it has not expired.
        if let Some(live) = state.sessions.get(&hash, state.db.generation())
            && live.expires > now
        {
            return Ok(Caller {
                account_id: live.account_id,
                session_id: live.session_id,
            });
        }
        state.db.write(|tx| {
            let row: Option<(String, String, i64, bool)> = tx
                .prepare_cached("SELECT id, account_id, access_expires_at, ended FROM sessions WHERE access_hash = ?1")?.query_row(
                    [&hash],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            match row {
                None => Err(ApiError::unauthorized("the access token is not known")),
                Some((_, _, _, true)) => Err(ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    ErrorCode::SessionEnded,
                    "this session has ended; log in again",
                )),
                Some((_, _, expires, _)) if expires <= now => Err(ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    ErrorCode::TokenExpired,
                    "the access token has expired; refresh it",
                )),
                Some((session_id, account_id, expires, _)) => {
                    let caller = Caller {
                        account_id,
                        session_id,
                    };
                    let live = LiveSession {
                        account_id: caller.account_id.clone(),
                        session_id: caller.session_id.clone(),
                        expires,
                    };
                    state.sessions.put(hash.clone(), state.db.generation(), live);
                    Ok(caller)
                }
            }
        })
    }
}

/// The address a request came from (the accept loop puts it on every
/// request; unspecified when a test calls the router directly), for the
/// throttles that count per client.
pub struct ClientAddress(pub std::net::IpAddr);

impl<S: Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map_or(std::net::Ipv4Addr::UNSPECIFIED.into(), |c| c.0.ip()),
        ))
    }
}

/// The version an update is based on, from `If-Match` (`3` or `"3"`).
pub fn if_match(headers: &HeaderMap) -> ApiResult<u64> {
    let value = headers.get("if-match").ok_or_else(|| {
        ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            ErrorCode::PreconditionRequired,
            "send If-Match with the version you changed",
        )
    })?;
    value
        .to_str()
        .ok()
        .map(|v| v.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| ApiError::bad_request("If-Match is the version number").field("If-Match"))
}
