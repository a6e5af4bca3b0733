//! From a cancellation to the open app being told: the engine following
//! the account's feed (`Engine::follow`, one held request) against the mock
//! on loopback, over N cancellations of a booking at a full office the
//! applicant watches (the `quota_release` scenario, seeded again before
//! each: the office full, one place held, then the tester cancels it).
//! Beside it in the same run, the peer: the same app learning it by polling
//! the office's slots every 30 s. A poller's delay depends on where in its
//! 30 s the cancellation falls, so ten pollers started at random phases
//! each watch five of the cancellations (50 samples, five half-minutes).
//! First, the idle app: every request it makes in 80 s with nothing
//! happening (after the first sync its loop makes when it starts).
//!
//! `cargo bench -p mpaspor-core --bench told` (add `-- N` for N cancellations; 50 by default).

use mpaspor_core::client::ApiConfig;
use mpaspor_core::engine::WatchPlan;
use mpaspor_core::{Api, Engine, Secrets, Store};
use mpaspor_domain::api::{JournalEntry, Page, RegisterRequest};
use mpaspor_mock::registry::{complete_draft_fields, samples};
use mpaspor_mock::{MockConfig, start};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const OFFICE: &str = "kanim-jakarta-selatan";
const POLL_EVERY: Duration = Duration::from_secs(30);
const POLLERS: usize = 10;
const POLLED_EVENTS: usize = 5;

struct Tester {
    http: reqwest::Client,
    url: String,
    token: String,
}

impl Tester {
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.url))
            .header("X-Tester-Token", &self.token);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let answer = req.send().await.unwrap();
        assert!(answer.status().is_success(), "{path}: {}", answer.status());
        answer.json().await.unwrap_or(Value::Null)
    }

    /// The office full again, with one place held; answers the holding application.
    async fn hold(&self) -> String {
        let report = self
            .call(
                reqwest::Method::POST,
                "/tester/seed",
                Some(json!({"scenario": "quota_release"})),
            )
            .await;
        report["application_id"].as_str().unwrap().to_owned()
    }

    async fn cancel(&self, application: &str) {
        self.call(
            reqwest::Method::POST,
            &format!("/tester/applications/{application}/advance"),
            Some(json!({"to": "cancelled"})),
        )
        .await;
    }
}

fn percentile(v: &[Duration], p: f64) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Whether the office's first window with a place left is there now.
async fn any_free(http: &reqwest::Client, url: &str) -> bool {
    let slots: Value = http.get(url).send().await.unwrap().json().await.unwrap();
    slots["days"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["slots"].as_array().unwrap().iter())
        .any(|s| s["left"].as_u64().unwrap() > 0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let events: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(50);
    let mock = start(MockConfig::default(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let url = mock.url();
    let tester = Tester {
        http: reqwest::Client::new(),
        url: url.clone(),
        token: mock.tester_token().unwrap().to_owned(),
    };

    // The applicant: a sample person of the registry, with a draft for the office.
    let today = mpaspor_domain::OfficeZone::Wib.local_date(jiff::Timestamp::now());
    let person = samples(today)
        .into_iter()
        .find(|c| c.full_name == "Budi Santoso")
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let secrets = Secrets::in_memory();
    let (key, _) = secrets.data_key().unwrap();
    let store = Store::open(&dir.path().join("mpaspor.sqlite"), key).unwrap();
    let api = Api::new(ApiConfig::new(&url), secrets).unwrap();
    let email = "budi.watch@example.com";
    api.register(&RegisterRequest {
        full_name: person.full_name.clone(),
        email: email.into(),
        phone: "081377665544".into(),
        password: "paspor-baru-2026".into(),
        birth_date: person.birth_date,
        sex: person.sex,
        language: Default::default(),
    })
    .await
    .unwrap();
    let otp = api
        .tester(tester.token.clone())
        .last_otp(email)
        .await
        .unwrap()
        .unwrap();
    api.verify(email, &otp).await.unwrap();
    api.login(email, "paspor-baru-2026").await.unwrap();
    let engine = Engine::new(store, api);
    engine.sync().await.unwrap();
    let holder = engine.store().applicants().unwrap().remove(0).id;
    let draft = engine.store().new_draft(&holder).unwrap();
    for (field, value) in complete_draft_fields(&person, OFFICE) {
        engine.store().save_field(&draft, field, &value).unwrap();
    }
    let mut held = tester.hold().await;
    let first = today.tomorrow().unwrap();
    engine
        .watch(
            &draft,
            WatchPlan {
                offices: vec![OFFICE.into()],
                near: None,
                from: first,
                to: first + jiff::Span::new().days(29),
            },
        )
        .unwrap();
    engine.sync().await.unwrap();
    assert!(
        engine.watches().unwrap()[0].server.is_some(),
        "the watch was not taken: {:?}",
        engine.status().borrow().last_error
    );

    // The open app, idle, as the app runs it: the feed, and sync every 30 s.
    let follower = {
        let engine = engine.clone();
        tokio::spawn(async move { engine.follow().await })
    };
    let syncing = {
        let engine = engine.clone();
        tokio::spawn(async move { engine.run(Duration::from_secs(30)).await })
    };
    // Past the first sync the loop makes at its start.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let idle_from = jiff::Timestamp::now();
    tokio::time::sleep(Duration::from_secs(80)).await;
    let journal: Page<JournalEntry> = serde_json::from_value(
        tester
            .call(reqwest::Method::GET, "/tester/requests?limit=200", None)
            .await,
    )
    .unwrap();
    let idle: Vec<&JournalEntry> = journal
        .items
        .iter()
        .filter(|e| e.at >= idle_from && !e.path.starts_with("/tester"))
        .collect();
    let feed_requests = idle
        .iter()
        .filter(|e| e.path.starts_with("/v1/events"))
        .count();

    // The peer's pollers, each at its own phase.
    let slots_url = format!("{url}/v1/offices/{OFFICE}/slots?days=30");
    let seen: Arc<Mutex<Vec<Vec<Instant>>>> = Arc::new(Mutex::new(vec![Vec::new(); POLLERS]));
    let mut pollers = Vec::new();
    for p in 0..POLLERS {
        let (seen, slots_url) = (seen.clone(), slots_url.clone());
        let phase = Duration::from_millis(p as u64 * 30_000 / POLLERS as u64 + 1_000);
        pollers.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            tokio::time::sleep(phase).await;
            let mut tick = tokio::time::interval(POLL_EVERY);
            loop {
                tick.tick().await;
                if any_free(&http, &slots_url).await {
                    seen.lock().unwrap()[p].push(Instant::now());
                }
            }
        }));
    }

    // The cancellations: the feed's delay for each; the pollers' for the first few.
    let mut feed = Vec::new();
    let mut polled = Vec::new();
    for n in 0..events {
        if n < POLLED_EVENTS {
            for log in seen.lock().unwrap().iter_mut() {
                log.clear();
            }
        }
        let before = engine.store().feed_cursor().unwrap();
        let mut changes = engine.changes();
        let cancelled = Instant::now();
        tester.cancel(&held).await;
        loop {
            if engine.store().feed_cursor().unwrap() > before {
                break;
            }
            tokio::time::timeout(Duration::from_secs(10), changes.next())
                .await
                .expect("told within 10 s");
        }
        feed.push(cancelled.elapsed());
        if n < POLLED_EVENTS {
            // Every poller polls once more while the place is free.
            tokio::time::sleep(POLL_EVERY + Duration::from_secs(2)).await;
            for log in seen.lock().unwrap().iter() {
                let first = log
                    .iter()
                    .find(|at| **at >= cancelled)
                    .expect("each poller saw it");
                polled.push(first.duration_since(cancelled));
            }
        }
        held = tester.hold().await;
    }
    follower.abort();
    syncing.abort();
    for p in pollers {
        p.abort();
    }

    let mut paths: Vec<&str> = idle
        .iter()
        .map(|e| e.path.split('?').next().unwrap_or_default())
        .collect();
    paths.sort();
    paths.dedup();
    println!(
        "idle open app, 80 s: {} requests, {} of them the feed's held GET /v1/events ({:?} each); paths: {}",
        idle.len(),
        feed_requests,
        mpaspor_core::engine::FEED_WAIT,
        paths.join(", ")
    );
    println!(
        "cancellation to told, feed, {} events: median {:.0} ms, p95 {:.0} ms, max {:.0} ms",
        feed.len(),
        ms(percentile(&feed, 0.5)),
        ms(percentile(&feed, 0.95)),
        ms(percentile(&feed, 1.0))
    );
    println!(
        "peer, polling the slots every 30 s, {} samples: median {:.0} ms, p95 {:.0} ms",
        polled.len(),
        ms(percentile(&polled, 0.5)),
        ms(percentile(&polled, 0.95))
    );
    mock.stop().await;
}
