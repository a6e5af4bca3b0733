//! Where the client talks to and how patiently: the address (refused unless
//! https, or http to this device), timeouts, and the retry policy.

use super::ApiError;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Tries in all, the first included.
    pub attempts: u32,
    pub base: Duration,
    pub cap: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 4,
            base: Duration::from_millis(300),
            cap: Duration::from_secs(8),
        }
    }
}

impl RetryPolicy {
    /// Full jitter: a random wait up to `base * 2^retry`, capped.
    pub(super) fn wait(&self, retry: u32, server_hint: Option<Duration>) -> Duration {
        let ceiling = self
            .base
            .saturating_mul(1u32 << retry.min(16))
            .min(self.cap);
        let jittered = ceiling.mul_f64(fastrand::f64());
        match server_hint {
            Some(hint) => hint.min(self.cap).max(jittered),
            None => jittered,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// e.g. `http://127.0.0.1:8080` (no trailing slash needed).
    pub base_url: String,
    pub connect_timeout: Duration,
    /// For one ordinary request, response included.
    pub timeout: Duration,
    /// For one document upload.
    pub upload_timeout: Duration,
    pub retry: RetryPolicy,
}

/// Whether the app may talk to `base_url`: https anywhere; plain http only
/// to this device (127.0.0.0/8, ::1, localhost), where the bundled mock and
/// the tests' servers run. Anything else would send tokens and personal data
/// in the clear.
pub fn check_address(base_url: &str) -> Result<(), ApiError> {
    let url = reqwest::Url::parse(base_url)
        .map_err(|e| ApiError::Address(format!("{base_url:?} is not a web address: {e}")))?;
    let host = url
        .host_str()
        .ok_or_else(|| ApiError::Address(format!("{base_url:?} names no server")))?;
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    match url.scheme() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        "http" => Err(ApiError::Address(format!(
            "{base_url:?} is plain http to another machine: use https"
        ))),
        other => Err(ApiError::Address(format!("{other}: is not http or https"))),
    }
}

impl ApiConfig {
    pub fn new(base_url: &str) -> ApiConfig {
        ApiConfig {
            base_url: base_url.trim_end_matches('/').to_owned(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            upload_timeout: Duration::from_secs(180),
            retry: RetryPolicy::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Api;
    use crate::secrets::Secrets;

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let p = RetryPolicy {
            attempts: 5,
            base: Duration::from_millis(100),
            cap: Duration::from_millis(500),
        };
        let waits: Vec<Duration> = (0..200).map(|_| p.wait(10, None)).collect();
        assert!(waits.iter().all(|w| *w <= Duration::from_millis(500)));
        assert!(waits.iter().any(|w| *w != waits[0]), "jittered");
        assert!((0..200).all(|_| p.wait(0, None) <= Duration::from_millis(100)));
        assert_eq!(
            p.wait(0, Some(Duration::from_secs(60))),
            Duration::from_millis(500)
        );
    }

    #[test]
    fn plain_http_reaches_only_this_device() {
        for ok in [
            "https://api.imigrasi.go.id",
            "https://10.0.0.5:8443",
            "http://127.0.0.1:8080",
            "http://127.8.0.1",
            "http://[::1]:9000",
            "http://localhost:3000",
        ] {
            assert_eq!(check_address(ok), Ok(()), "{ok}");
        }
        for bad in [
            "http://192.168.1.20:8080",
            "http://api.imigrasi.go.id",
            "http://127.0.0.1.example.com",
            "http://localhost.evil.com",
            "ftp://127.0.0.1",
            "127.0.0.1:8080",
            "",
        ] {
            assert!(
                matches!(check_address(bad), Err(ApiError::Address(_))),
                "{bad}"
            );
        }
        let refused = Api::new(ApiConfig::new("http://10.0.2.2:8080"), Secrets::in_memory());
        assert!(matches!(refused, Err(ApiError::Address(_))));
    }
}
