//! The API client: one `send` that every typed call in `routes.rs` goes
//! through. It adds the bearer token (refreshing it when the server says it
//! expired, or before it would by the server's clock), sets timeouts, and
//! retries with backoff and full jitter, but only requests that are safe to
//! repeat: GET, PUT and DELETE, and POSTs that carry an idempotency key or
//! only read (the NIK check). Every response's `Date` header keeps the
//! server's clock; deadlines are counted against it, never the phone's.

mod accounts;
mod call;
mod config;
mod error;
mod routes;
mod tester;

pub(crate) use call::{Body, Call};
pub use config::{ApiConfig, check_address};
#[cfg(feature = "internals")]
pub use config::RetryPolicy;
pub use error::ApiError;
pub use tester::Tester;

use crate::secrets::Secrets;
use bytes::Bytes;
use jiff::{SignedDuration, Timestamp};
use mpaspor_domain::api::{ErrorBody, RefreshRequest, Session};
use reqwest::{Method, StatusCode, header};
use std::sync::{Arc, Mutex};

/// Called with (bytes sent, total) while a body goes out.
pub type Progress = Arc<dyn Fn(u64, u64) + Send + Sync>;

struct Inner {
    http: reqwest::Client,
    config: ApiConfig,
    secrets: Secrets,
    session: Mutex<Option<Session>>,
    /// Server time minus phone time, from the last response's `Date`.
    skew: Mutex<Option<SignedDuration>>,
    refreshing: tokio::sync::Mutex<()>,
}

/// The API client. Cheap to clone.
#[derive(Clone)]
pub struct Api {
    inner: Arc<Inner>,
}

/// A token is refreshed this long before it expires by the server's clock.
const REFRESH_AHEAD: SignedDuration = SignedDuration::from_secs(30);

impl Api {
    /// A client for `config`, with the session (if any) the keystore holds.
    /// Refuses an address [`check_address`] refuses.
    pub fn new(config: ApiConfig, secrets: Secrets) -> Result<Api, ApiError> {
        check_address(&config.base_url)?;
        let http = reqwest::Client::builder()
            .https_only(!config.base_url.starts_with("http:"))
            .connect_timeout(config.connect_timeout)
            .user_agent(concat!("M-Paspor/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ApiError::Offline(e.to_string()))?;
        let session = secrets
            .session(&config.base_url)
            .map_err(|e| ApiError::Keystore(e.to_string()))?;
        Ok(Api {
            inner: Arc::new(Inner {
                http,
                config,
                secrets,
                session: Mutex::new(session),
                skew: Mutex::new(None),
                refreshing: tokio::sync::Mutex::new(()),
            }),
        })
    }

    pub fn base_url(&self) -> &str {
        &self.inner.config.base_url
    }

    pub fn secrets(&self) -> &Secrets {
        &self.inner.secrets
    }

    /// The server's time now, as well as the phone can tell (the phone's clock
    /// corrected by the last `Date` the server sent).
    pub fn server_now(&self) -> Timestamp {
        let skew = self
            .inner
            .skew
            .lock()
            .expect("skew lock")
            .unwrap_or_default();
        Timestamp::now().saturating_add(skew).expect("in range")
    }

    /// The signed-in session, if any.
    pub fn session(&self) -> Option<Session> {
        self.inner.session.lock().expect("session lock").clone()
    }

    pub(crate) fn keep_session(&self, session: Option<Session>) -> Result<(), ApiError> {
        let keystore = match &session {
            Some(s) => self.inner.secrets.set_session(&self.inner.config.base_url, s),
            None => self.inner.secrets.clear_session(),
        };
        *self.inner.session.lock().expect("session lock") = session;
        keystore.map_err(|e| ApiError::Keystore(e.to_string()))
    }

    fn note_date(&self, headers: &header::HeaderMap) {
        let Some(date) = headers.get(header::DATE).and_then(|d| d.to_str().ok()) else {
            return;
        };
        if let Ok(server) = jiff::fmt::rfc2822::parse(date) {
            let skew = server.timestamp().duration_since(Timestamp::now());
            *self.inner.skew.lock().expect("skew lock") = Some(skew);
        }
    }

    /// The access token to send, refreshed first when it is about to expire.
    async fn access_token(&self, force_refresh: bool) -> Result<String, ApiError> {
        let current = self.session().ok_or(ApiError::NotLoggedIn)?;
        let expiring = current.access_expires_at <= self.server_now() + REFRESH_AHEAD;
        if !force_refresh && !expiring {
            return Ok(current.access_token);
        }
        let _one_at_a_time = self.inner.refreshing.lock().await;
        // Another task may have refreshed while this one waited.
        let latest = self.session().ok_or(ApiError::NotLoggedIn)?;
        if latest.access_token != current.access_token {
            return Ok(latest.access_token);
        }
        // Sent once, never retried: a refresh token works one time only.
        let call = Call::new(Method::POST, "/v1/sessions/refresh")
            .anonymous()
            .json(&RefreshRequest {
                refresh_token: latest.refresh_token.clone(),
            });
        let refreshed: Result<Session, ApiError> =
            self.attempt(&call, None).await.and_then(|(_, body)| {
                serde_json::from_slice(&body).map_err(|e| ApiError::Decode(e.to_string()))
            });
        match refreshed {
            Ok(session) => {
                let token = session.access_token.clone();
                self.keep_session(Some(session))?;
                Ok(token)
            }
            Err(e) if e.ends_session() => {
                self.keep_session(None)?;
                Err(ApiError::NotLoggedIn)
            }
            Err(e) => Err(e),
        }
    }

    /// Sends a call and decodes a JSON answer.
    pub(crate) async fn json<T: serde::de::DeserializeOwned>(
        &self,
        call: Call<'_>,
    ) -> Result<T, ApiError> {
        let (_, body) = self.send(call).await?;
        serde_json::from_slice(&body).map_err(|e| ApiError::Decode(e.to_string()))
    }

    /// Sends a call: auth, timeouts, retries. Answers the status and body of a 2xx.
    pub(crate) async fn send(&self, call: Call<'_>) -> Result<(StatusCode, Bytes), ApiError> {
        let policy = &self.inner.config.retry;
        let mut refreshed = false;
        let mut retry = 0;
        loop {
            let token = if call.auth {
                Some(self.access_token(false).await?)
            } else {
                None
            };
            let outcome = self.attempt(&call, token.as_deref()).await;
            let error = match outcome {
                Ok(ok) => return Ok(ok),
                Err(e) => e,
            };
            if call.auth && !refreshed && error.code_is("token_expired") {
                refreshed = true;
                self.access_token(true).await?;
                continue;
            }
            if call.auth && error.ends_session() {
                self.keep_session(None)?;
                return Err(ApiError::NotLoggedIn);
            }
            retry += 1;
            if !(error.is_transient() && call.repeatable()) || retry >= policy.attempts {
                return Err(error);
            }
            let wait = policy.wait(retry - 1, error.retry_after());
            tracing::debug!(
                method = %call.method,
                path = %call.path,
                retry,
                ?wait,
                "retrying after: {error}"
            );
            tokio::time::sleep(wait).await;
        }
    }

    async fn attempt(
        &self,
        call: &Call<'_>,
        token: Option<&str>,
    ) -> Result<(StatusCode, Bytes), ApiError> {
        let url = format!("{}{}", self.inner.config.base_url, call.path);
        let mut req = self
            .inner
            .http
            .request(call.method.clone(), url)
            .query(&call.query)
            .header(header::ACCEPT, "application/json");
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(key) = call.idempotency_key {
            req = req.header("Idempotency-Key", key);
        }
        if let Some(version) = call.if_match {
            req = req.header(header::IF_MATCH, version.to_string());
        }
        if let Some(token) = call.tester_token {
            req = req.header("X-Tester-Token", token);
        }
        let timeout = self.inner.config.timeout + call.timeout.unwrap_or_default();
        req = match &call.body {
            Body::Empty => req.timeout(timeout),
            Body::Json(bytes) => req
                .timeout(self.inner.config.timeout)
                .header(header::CONTENT_TYPE, "application/json")
                .body(bytes.clone()),
            Body::Upload {
                data,
                media_type,
                progress,
            } => req
                .timeout(self.inner.config.upload_timeout)
                .header(header::CONTENT_TYPE, *media_type)
                .header(header::CONTENT_LENGTH, data.len())
                .body(upload_body(data.clone(), progress.clone())),
        };
        let started = std::time::Instant::now();
        let response = req.send().await.map_err(ApiError::from_transport)?;
        let status = response.status();
        self.note_date(response.headers());
        let body = response.bytes().await.map_err(ApiError::from_transport)?;
        tracing::debug!(
            method = %call.method,
            path = %call.path,
            status = status.as_u16(),
            ms = started.elapsed().as_millis() as u64,
            "api"
        );
        if status.is_success() {
            return Ok((status, body));
        }
        Err(match serde_json::from_slice::<ErrorBody>(&body) {
            Ok(body) => ApiError::Api {
                status: status.as_u16(),
                body,
            },
            Err(_) => ApiError::Unexpected {
                status: status.as_u16(),
            },
        })
    }
}

/// The document's bytes in 16 KiB pieces, reporting each as it is taken for sending.
fn upload_body(data: Bytes, progress: Option<Progress>) -> reqwest::Body {
    const PIECE: usize = 16 * 1024;
    let total = data.len() as u64;
    if let Some(p) = &progress {
        p(0, total);
    }
    let pieces: Vec<Bytes> = (0..data.len())
        .step_by(PIECE)
        .map(|at| data.slice(at..(at + PIECE).min(data.len())))
        .collect();
    let mut sent = 0u64;
    let stream = futures_util::stream::iter(pieces.into_iter().map(move |piece| {
        sent += piece.len() as u64;
        if let Some(p) = &progress {
            p(sent, total);
        }
        Ok::<Bytes, std::io::Error>(piece)
    }));
    reqwest::Body::wrap_stream(stream)
}
