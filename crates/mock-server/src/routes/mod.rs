//! One router module per resource.

pub mod accounts;
pub mod applicants;
pub mod applications;
pub mod reference;
pub mod tester;

use crate::error::{ApiError, ApiResult};
use axum::http::{HeaderMap, StatusCode};
use mpaspor_domain::api::ErrorCode;

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

pub fn version_conflict(current: u64) -> ApiError {
    let mut e = ApiError::conflict(
        ErrorCode::VersionConflict,
        "this was changed since you read it; here is the current version",
    );
    e.body.error.current_version = Some(current);
    e
}
