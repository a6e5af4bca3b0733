//! Tools testers love: injected faults per route and the request journal,
//! both steps of the one layer around every request (`every_request` in
//! `lib.rs`).

use crate::error::ApiError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use mpaspor_domain::api::{
    ActiveFault, CapturedMessage, ErrorCode, FaultRule, JournalEntry, RequestDetail, RequestTotals,
};
use rand::RngExt;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The journal keeps this many requests, newest first.
pub const JOURNAL_SIZE: usize = 2000;

#[derive(Default)]
pub struct FaultSet {
    next_id: u64,
    rules: Vec<ActiveFault>,
    /// Whether any rule is set, read without the lock by every request.
    armed: Arc<AtomicBool>,
}

impl FaultSet {
    fn rearm(&self) {
        self.armed.store(!self.rules.is_empty(), Ordering::Release);
    }

    pub fn add(&mut self, rule: FaultRule) -> ActiveFault {
        self.next_id += 1;
        let fault = ActiveFault {
            id: self.next_id,
            rule,
            hits: 0,
        };
        self.rules.push(fault.clone());
        self.rearm();
        fault
    }

    pub fn list(&self) -> Vec<ActiveFault> {
        self.rules.clone()
    }

    pub fn remove(&mut self, id: u64) -> bool {
        let before = self.rules.len();
        self.rules.retain(|f| f.id != id);
        self.rearm();
        before != self.rules.len()
    }

    pub fn clear(&mut self) {
        self.rules.clear();
        self.rearm();
    }

    /// The first rule matching a request (and drawn, when it has a `share`),
    /// counted as hit (and dropped once its `times` are used).
    fn take(&mut self, method: &str, path: &str) -> Option<FaultRule> {
        let mut rng = rand::rng();
        let i = self.rules.iter().position(|f| {
            f.rule
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
                && route_matches(&f.rule.route, path)
                && f.rule
                    .share
                    .is_none_or(|share| rng.random_bool(share.clamp(0.0, 1.0)))
        })?;
        let fault = &mut self.rules[i];
        fault.hits += 1;
        let rule = fault.rule.clone();
        if rule.times.is_some_and(|t| fault.hits >= t as u64) {
            self.rules.remove(i);
            self.rearm();
        }
        Some(rule)
    }
}

/// `*` matches one path segment, a final `**` any rest; other segments match themselves.
pub fn route_matches(pattern: &str, path: &str) -> bool {
    let mut pat = pattern.trim_matches('/').split('/');
    let mut segs = path.trim_matches('/').split('/');
    loop {
        match (pat.next(), segs.next()) {
            (Some("**"), _) => return true,
            (Some(p), Some(s)) if p == "*" || p == s => continue,
            (None, None) => return true,
            _ => return false,
        }
    }
}

#[derive(Default)]
pub struct Journal {
    next_id: u64,
    entries: VecDeque<JournalEntry>,
    /// What was sent and answered, for the latest requests, newest first.
    details: VecDeque<(u64, CapturedMessage, CapturedMessage)>,
    totals: RequestTotals,
}

impl Journal {
    fn push(&mut self, entry: JournalEntry, content: Option<(CapturedMessage, CapturedMessage)>) {
        let id = self.count(entry);
        if let Some((asked, answered)) = content {
            if self.details.len() == crate::capture::KEPT {
                self.details.pop_back();
            }
            self.details.push_front((id, asked, answered));
        }
    }

    fn count(&mut self, mut entry: JournalEntry) -> u64 {
        let totals = &mut self.totals;
        totals.requests += 1;
        // Counted under a key made once per status, not once per request.
        let code = StatusCode::from_u16(entry.status).ok();
        match code
            .as_ref()
            .and_then(|c| totals.by_status.get_mut(c.as_str()))
        {
            Some(n) => *n += 1,
            None => {
                *totals
                    .by_status
                    .entry(entry.status.to_string())
                    .or_default() += 1
            }
        }
        totals.injected += u64::from(entry.injected_fault);
        if let Some(fault) = &entry.fault {
            *totals.by_fault.entry(fault.clone()).or_default() += 1;
        }
        totals.server_errors_not_injected +=
            u64::from(entry.status >= 500 && !entry.injected_fault);
        self.next_id += 1;
        entry.id = self.next_id;
        if self.entries.len() == JOURNAL_SIZE {
            self.entries.pop_back();
        }
        self.entries.push_front(entry);
        self.next_id
    }

    /// One request with its content, while the journal keeps it.
    pub fn detail(&self, id: u64) -> Option<RequestDetail> {
        let (_, asked, answered) = self.details.iter().find(|(i, ..)| *i == id)?;
        let entry = self.entries.iter().find(|e| e.id == id)?;
        Some(RequestDetail {
            entry: entry.clone(),
            request: asked.clone(),
            response: answered.clone(),
        })
    }

    /// The requests whose content is kept, oldest first, as HAR 1.2 (what
    /// browsers' developer tools and proxies open).
    pub fn har(&self) -> serde_json::Value {
        let entries: Vec<serde_json::Value> = self
            .details
            .iter()
            .rev()
            .filter_map(|(id, asked, answered)| {
                let entry = self.entries.iter().find(|e| e.id == *id)?;
                Some(crate::capture::har_entry(entry, asked, answered))
            })
            .collect();
        serde_json::json!({"log": {
            "version": "1.2",
            "creator": {"name": "M-Paspor mock", "version": env!("CARGO_PKG_VERSION")},
            "comment": "personal and secret values masked as ***; images and bodies over 8 KiB not kept",
            "entries": entries,
        }})
    }

    pub fn list(&self) -> Vec<JournalEntry> {
        self.entries.iter().cloned().collect()
    }

    /// Every request since the last clear, not only the kept ones.
    pub fn totals(&self) -> RequestTotals {
        self.totals.clone()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.details.clear();
        self.totals = RequestTotals::default();
    }
}

#[derive(Clone)]
pub struct Tools {
    faults: Arc<Mutex<FaultSet>>,
    armed: Arc<AtomicBool>,
    journal: Arc<Mutex<Journal>>,
}

impl Default for Tools {
    fn default() -> Tools {
        let faults = FaultSet::default();
        Tools {
            armed: faults.armed.clone(),
            faults: Arc::new(Mutex::new(faults)),
            journal: Arc::default(),
        }
    }
}

impl Tools {
    // Both are plain data: a panic while one was held leaves nothing half-done.
    pub fn faults(&self) -> std::sync::MutexGuard<'_, FaultSet> {
        self.faults.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn journal(&self) -> std::sync::MutexGuard<'_, Journal> {
        self.journal.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Marks a response as carrying an injected fault, for the journal.
#[derive(Clone, Copy)]
struct Injected(&'static str);

/// A response whose body fails at once: the server closes the connection
/// without a complete answer, so the client never hears how it went.
fn dropped() -> Response {
    let body = Body::from_stream(futures_util::stream::once(async {
        Err::<axum::body::Bytes, std::io::Error>(std::io::Error::other(
            "connection dropped by an injected fault",
        ))
    }));
    let mut r = Response::new(body);
    r.extensions_mut().insert(Injected("drop"));
    r
}

/// Runs the request with the first matching fault rule applied. Tester
/// routes are never faulted, so a tester can always clear what they set.
pub async fn with_faults(tools: &Tools, request: Request, next: Next) -> Response {
    if !tools.armed.load(Ordering::Acquire) || request.uri().path().starts_with("/tester") {
        return next.run(request).await;
    }
    let rule = tools
        .faults()
        .take(request.method().as_str(), request.uri().path());
    let Some(rule) = rule else {
        return next.run(request).await;
    };
    if rule.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(rule.latency_ms.min(60_000))).await;
    }
    if rule.drop_connection {
        let mut r = dropped();
        r.extensions_mut().insert(Injected("drop_connection"));
        return r;
    }
    if rule.error_rate > 0.0 && rand::rng().random_bool(rule.error_rate.clamp(0.0, 1.0)) {
        let status = rule
            .status
            .and_then(|s| StatusCode::from_u16(s).ok())
            .unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
        let mut r = ApiError::new(
            status,
            ErrorCode::InjectedFault,
            "a fault injected by a tester",
        )
        .into_response();
        r.extensions_mut().insert(Injected("error"));
        return r;
    }
    let response = next.run(request).await;
    if rule.drop_after_commit {
        let status = response.status();
        let mut r = dropped();
        *r.status_mut() = status;
        r.extensions_mut().insert(Injected("drop_after_commit"));
        return r;
    }
    if rule.latency_ms > 0 {
        let mut response = response;
        response.extensions_mut().insert(Injected("latency"));
        return response;
    }
    response
}

/// Query values that are personal or secret are masked in the journal.
fn masked_query(query: Option<&str>) -> String {
    let Some(q) = query else { return String::new() };
    let pairs: Vec<String> = q
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _))
                if matches!(k, "email" | "token" | "otp" | "password" | "nik" | "near") =>
            {
                format!("{k}=***")
            }
            _ => pair.to_owned(),
        })
        .collect();
    format!("?{}", pairs.join("&"))
}

/// What the journal and the log keep of a request, noted before it runs.
pub struct Seen {
    started: Instant,
    at: jiff::Timestamp,
    method: String,
    path: String,
    idempotency_key: Option<String>,
    /// The route's template, for the log line (only when it is written).
    route: Option<String>,
}

impl Seen {
    pub fn of(now: jiff::Timestamp, request: &Request) -> Seen {
        let uri = request.uri();
        let path = match uri.query() {
            Some(_) => format!("{}{}", uri.path(), masked_query(uri.query())),
            None => uri.path().to_owned(),
        };
        let route = tracing::enabled!(tracing::Level::INFO).then(|| {
            request
                .extensions()
                .get::<axum::extract::MatchedPath>()
                .map_or("(no route)", |p| p.as_str())
                .to_owned()
        });
        Seen {
            started: Instant::now(),
            at: now,
            method: request.method().to_string(),
            path,
            idempotency_key: request
                .headers()
                .get(crate::idempotency::HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            route,
        }
    }

    /// Journals the request (all but the tester console's own reads) and
    /// writes one log line: method, route template (never the concrete path
    /// or query, which may carry ids or emails), status and latency. Bodies,
    /// headers and tokens are never logged.
    pub fn done(
        self,
        tools: &Tools,
        response: &Response,
        content: Option<(CapturedMessage, CapturedMessage)>,
    ) {
        let status = response.status().as_u16();
        let latency_ms = self.started.elapsed().as_millis() as u64;
        if let Some(route) = &self.route {
            tracing::info!(method = %self.method, route, status, latency_ms, "request");
        }
        if self.quiet() {
            return;
        }
        let fault = response
            .extensions()
            .get::<Injected>()
            .map(|i| i.0.to_owned());
        let entry = JournalEntry {
            id: 0,
            method: self.method,
            path: self.path,
            status,
            at: self.at,
            latency_ms,
            idempotency_key: self.idempotency_key,
            injected_fault: fault.is_some(),
            fault,
        };
        tools.journal().push(entry, content);
    }

    /// The console's and the desk's own reads (and health checks) are not
    /// journaled.
    pub fn quiet(&self) -> bool {
        self.method == "GET"
            && (self.path.starts_with("/tester")
                || self.path.starts_with("/desk")
                || self.path == "/healthz")
    }

    /// Whether an injected fault broke the answer off on purpose.
    pub fn dropped(response: &Response) -> bool {
        response
            .extensions()
            .get::<Injected>()
            .is_some_and(|i| i.0.starts_with("drop"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_patterns() {
        assert!(route_matches(
            "/v1/applications/*/submit",
            "/v1/applications/app_1/submit"
        ));
        assert!(!route_matches(
            "/v1/applications/*/submit",
            "/v1/applications/app_1/cancel"
        ));
        assert!(route_matches("/v1/**", "/v1/offices/kanim-bandung/slots"));
        assert!(route_matches("/**", "/anything"));
        assert!(!route_matches("/v1/fees", "/v1/fees/x"));
        assert!(route_matches("/v1/fees", "/v1/fees"));
    }

    #[test]
    fn requests_skip_the_fault_lock_exactly_while_no_rule_is_set() {
        let tools = Tools::default();
        let armed = || tools.armed.load(Ordering::Acquire);
        assert!(!armed());
        let once = tools.faults().add(FaultRule {
            route: "/v1/fees".into(),
            times: Some(1),
            ..Default::default()
        });
        assert!(armed());
        assert!(tools.faults().take("GET", "/v1/fees").is_some());
        assert!(!armed(), "the rule ran out");
        tools.faults().add(FaultRule {
            route: "/v1/**".into(),
            ..Default::default()
        });
        assert!(!tools.faults().remove(once.id));
        assert!(armed());
        tools.faults().clear();
        assert!(!armed());
    }

    #[test]
    fn rules_run_out_after_their_times_and_the_journal_is_bounded() {
        let mut set = FaultSet::default();
        set.add(FaultRule {
            route: "/v1/**".into(),
            times: Some(2),
            ..Default::default()
        });
        assert!(set.take("GET", "/v1/fees").is_some());
        assert!(set.take("GET", "/v1/fees").is_some());
        assert!(set.take("GET", "/v1/fees").is_none());
        let mut j = Journal::default();
        for _ in 0..JOURNAL_SIZE + 10 {
            j.push(
                JournalEntry {
                    id: 0,
                    method: "GET".into(),
                    path: "/".into(),
                    status: 200,
                    at: jiff::Timestamp::UNIX_EPOCH,
                    latency_ms: 0,
                    idempotency_key: None,
                    injected_fault: false,
                    fault: None,
                },
                Some(Default::default()),
            );
        }
        // Content is kept for the latest few only.
        assert!(j.detail(1).is_none());
        assert!(j.detail((JOURNAL_SIZE + 10) as u64).is_some());
        assert_eq!(
            j.har()["log"]["entries"].as_array().unwrap().len(),
            crate::capture::KEPT
        );
        assert_eq!(j.list().len(), JOURNAL_SIZE);
        assert_eq!(j.totals().requests, (JOURNAL_SIZE + 10) as u64);
        assert_eq!(j.totals().by_status["200"], (JOURNAL_SIZE + 10) as u64);
        assert_eq!(j.list()[0].id, (JOURNAL_SIZE + 10) as u64);
        assert_eq!(
            masked_query(Some("email=a@b.c&limit=5")),
            "?email=***&limit=5"
        );
    }
}
