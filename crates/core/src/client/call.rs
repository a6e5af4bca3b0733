//! One request as the typed routes describe it: method, path, query, body,
//! and whether it may be sent again (see `Api::send`).

use super::Progress;
use bytes::Bytes;
use reqwest::Method;

pub(crate) enum Body {
    Empty,
    Json(Vec<u8>),
    Upload {
        data: Bytes,
        media_type: &'static str,
        progress: Option<Progress>,
    },
}

pub(crate) struct Call<'a> {
    pub(super) method: Method,
    pub(super) path: String,
    pub(super) query: Vec<(&'static str, String)>,
    pub(super) body: Body,
    pub(super) auth: bool,
    pub(super) idempotency_key: Option<&'a str>,
    pub(super) if_match: Option<u64>,
    /// The mock's tester token, for its tester routes.
    pub(super) tester_token: Option<&'a str>,
    /// A POST that only reads: safe to repeat.
    pub(super) read_only: bool,
    /// Longer than the usual timeout: a request the server may hold open.
    pub(super) timeout: Option<std::time::Duration>,
}

impl<'a> Call<'a> {
    pub(crate) fn new(method: Method, path: impl Into<String>) -> Call<'a> {
        Call {
            method,
            path: path.into(),
            query: Vec::new(),
            body: Body::Empty,
            auth: true,
            idempotency_key: None,
            if_match: None,
            tester_token: None,
            read_only: false,
            timeout: None,
        }
    }
    pub(crate) fn json<T: serde::Serialize>(mut self, body: &T) -> Self {
        self.body = Body::Json(serde_json::to_vec(body).expect("request bodies serialise"));
        self
    }
    pub(crate) fn anonymous(mut self) -> Self {
        self.auth = false;
        self
    }
    pub(crate) fn key(mut self, key: &'a str) -> Self {
        self.idempotency_key = Some(key);
        self
    }
    pub(crate) fn if_match(mut self, version: u64) -> Self {
        self.if_match = Some(version);
        self
    }
    /// A call to the mock's tester routes: no session, the tester token.
    pub(crate) fn tester_call(mut self, token: &'a str) -> Self {
        self.auth = false;
        self.tester_token = Some(token);
        self
    }
    pub(crate) fn query(mut self, name: &'static str, value: impl ToString) -> Self {
        self.query.push((name, value.to_string()));
        self
    }
    /// A request the server may hold open this long before it answers.
    pub(crate) fn held_open(mut self, wait: std::time::Duration) -> Self {
        self.timeout = Some(wait);
        self
    }
    pub(crate) fn read_only(mut self) -> Self {
        self.read_only = true;
        self
    }
    pub(super) fn repeatable(&self) -> bool {
        matches!(self.method, Method::GET | Method::PUT | Method::DELETE)
            || self.idempotency_key.is_some()
            || self.read_only
    }
}
