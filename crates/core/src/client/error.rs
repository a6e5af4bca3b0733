//! What a call can end in, typed so the UI can say it in the applicant's language.

use mpaspor_domain::api::{ErrorBody, ErrorCode};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// No answer: no network, the server unreachable, or the connection dropped.
    #[error("the server could not be reached: {0}")]
    Offline(String),
    #[error("the server took too long to answer")]
    Timeout,
    /// The API's own error body.
    #[error("{} ({}): {}", status, body.error.code, body.error.message)]
    Api { status: u16, body: ErrorBody },
    /// An error status without the API's error body (a proxy, a captive portal).
    #[error("the server answered {status} without an explanation")]
    Unexpected { status: u16 },
    #[error("the server's answer could not be read: {0}")]
    Decode(String),
    #[error("not logged in, or the session has ended")]
    NotLoggedIn,
    #[error("the phone's keystore failed: {0}")]
    Keystore(String),
    /// An API address the app will not talk to: not a web address, or
    /// plain http to anywhere but this device.
    #[error("{0}")]
    Address(String),
}

impl ApiError {
    pub(crate) fn from_transport(e: reqwest::Error) -> ApiError {
        if e.is_timeout() {
            ApiError::Timeout
        } else {
            // Print the whole chain: "error sending request" alone says little.
            let mut text = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                text.push_str(": ");
                text.push_str(&s.to_string());
                source = s.source();
            }
            ApiError::Offline(text)
        }
    }

    /// The API's error code, when the server gave one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ApiError::Api { body, .. } => body.code(),
            _ => None,
        }
    }

    pub(crate) fn code_is(&self, code: &str) -> bool {
        matches!(self, ApiError::Api { body, .. } if body.error.code == code)
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Api { status, .. } | ApiError::Unexpected { status } => Some(*status),
            _ => None,
        }
    }

    /// Worth trying again later (the same request may well work).
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Offline(_) | ApiError::Timeout => true,
            ApiError::Api { status, .. } | ApiError::Unexpected { status } => {
                matches!(status, 429 | 500 | 502 | 503 | 504)
            }
            _ => false,
        }
    }

    /// Not worth trying again until the applicant logs in.
    pub(crate) fn ends_session(&self) -> bool {
        self.code_is("session_ended") || self.code_is("unauthorized")
    }

    pub(crate) fn retry_after(&self) -> Option<Duration> {
        match self {
            ApiError::Api { body, .. } => body.error.retry_after_seconds.map(Duration::from_secs),
            _ => None,
        }
    }

    /// The field the server found fault with, e.g. `personal.nik`.
    pub fn field(&self) -> Option<&str> {
        match self {
            ApiError::Api { body, .. } => body.error.field.as_deref(),
            _ => None,
        }
    }

    /// The translation key of the message the app shows.
    pub fn key(&self) -> String {
        match self {
            ApiError::Api { body, .. } => match body.code() {
                Some(code) => format!("error-{}", code.as_str()),
                None => "error-unexpected".into(),
            },
            ApiError::Offline(_) => "error-offline".into(),
            ApiError::Timeout => "error-timeout".into(),
            ApiError::Unexpected { .. } | ApiError::Decode(_) => "error-unexpected".into(),
            ApiError::NotLoggedIn => "error-not-logged-in".into(),
            ApiError::Keystore(_) => "error-keystore".into(),
            ApiError::Address(_) => "error-address".into(),
        }
    }
}
