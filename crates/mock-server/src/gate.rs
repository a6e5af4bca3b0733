//! Who may reach the mock at all, before any route runs: requests must name
//! the server by an address or a name it answers for (a page on another site
//! that rebinds its own name to 127.0.0.1 is refused), and the tester routes
//! need the tester token in a header (a cross-site form cannot send one).

use crate::error::ApiError;
use crate::ids::{random_token, sha256_hex};
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use mpaspor_domain::api::ErrorCode;
use std::net::IpAddr;

/// The header a tester sends the token in.
pub const TESTER_TOKEN_HEADER: &str = "x-tester-token";

/// The environment variable a tester may give the token in.
pub const TESTER_TOKEN_ENV: &str = "MPASPOR_TESTER_TOKEN";

/// The secret every tester route asks for. Kept as its hash, compared as
/// hashes (so the comparison takes the same time however much matches).
pub struct TesterToken {
    plain: String,
    hash: String,
}

impl TesterToken {
    /// The token given, or a new random one; a given one must be long enough
    /// not to be guessed.
    pub fn given_or_new(given: Option<&str>) -> Result<TesterToken, String> {
        let plain = match given.map(str::trim) {
            Some(t) if t.len() < 16 || t.len() > 200 => {
                return Err("a tester token is 16 to 200 characters".into());
            }
            Some(t) => t.to_owned(),
            None => random_token(24),
        };
        Ok(TesterToken {
            hash: sha256_hex(plain.as_bytes()),
            plain,
        })
    }

    /// The token itself, to hand to the one who started the server.
    pub fn reveal(&self) -> &str {
        &self.plain
    }

    fn admits(&self, headers: &HeaderMap) -> bool {
        headers
            .get(TESTER_TOKEN_HEADER)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| sha256_hex(t.trim().as_bytes()) == self.hash)
    }
}

/// Layered on the tester routes only.
pub async fn tester_only(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match &state.tester_token {
        Some(token) if token.admits(request.headers()) => next.run(request).await,
        _ => ApiError::unauthorized(
            "tester routes need the tester token in the X-Tester-Token header \
             (printed when the mock starts)",
        )
        .into_response(),
    }
}

/// Whether a request's `Host` is one this server answers for: an address
/// literal (no page can make a browser send someone else's address as its
/// own origin's host), `localhost`, or a name the tester allowed.
pub fn host_allowed(headers: &HeaderMap, allowed: &[String]) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        // HTTP/1.0 and HTTP/2 without :authority; no browser sends these.
        return true;
    };
    let name = strip_port(host);
    name.parse::<IpAddr>().is_ok()
        || name.eq_ignore_ascii_case("localhost")
        || allowed.iter().any(|a| a.eq_ignore_ascii_case(name))
}

fn strip_port(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    host.rsplit_once(':').map_or(host, |(name, _)| name)
}

pub fn wrong_host() -> ApiError {
    ApiError::new(
        StatusCode::MISDIRECTED_REQUEST,
        ErrorCode::BadRequest,
        "this server does not answer for that Host (start it with --allow-host NAME to add one)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(h: &str) -> HeaderMap {
        let mut m = HeaderMap::new();
        m.insert(header::HOST, h.parse().unwrap());
        m
    }

    #[test]
    fn addresses_and_localhost_pass_and_other_names_do_not() {
        for ok in [
            "127.0.0.1:8080",
            "127.0.0.1",
            "[::1]:8080",
            "localhost:3000",
            "10.0.2.2:8080",
        ] {
            assert!(host_allowed(&host(ok), &[]), "{ok}");
        }
        for bad in [
            "evil.example:8080",
            "127.0.0.1.nip.io",
            "localhost.evil.example",
        ] {
            assert!(!host_allowed(&host(bad), &[]), "{bad}");
        }
        assert!(host_allowed(&host("mock.lan:8080"), &["mock.lan".into()]));
    }

    #[test]
    fn a_given_token_must_be_long_and_a_new_one_is_random() {
        assert!(TesterToken::given_or_new(Some("short")).is_err());
        let a = TesterToken::given_or_new(None).unwrap();
        let b = TesterToken::given_or_new(None).unwrap();
        assert_ne!(a.reveal(), b.reveal());
        assert!(a.reveal().len() >= 32);
        let mut h = HeaderMap::new();
        h.insert(TESTER_TOKEN_HEADER, a.reveal().parse().unwrap());
        assert!(a.admits(&h));
        assert!(!b.admits(&h));
    }
}
