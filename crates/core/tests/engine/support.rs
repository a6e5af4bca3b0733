//! A real mock server on 127.0.0.1:0, a real SQLite file in a temporary
//! folder, and the engine between them; plus the tester's side of the mock.

use mpaspor_core::client::{ApiConfig, RetryPolicy};
use mpaspor_core::{Api, Engine, Secrets, Store};
use mpaspor_domain::api::{ApplicantInput, Application, Citizen, Relationship};
use mpaspor_domain::choice::{MaritalStatus, Sex};
pub use mpaspor_mock::registry::complete_draft_fields;
use mpaspor_mock::{MockConfig, start};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub struct World {
    /// Serves until the world is dropped.
    _mock: mpaspor_mock::RunningMock,
    pub dir: tempfile::TempDir,
    pub tester: Tester,
    pub engine: Arc<Engine>,
    pub secrets: Secrets,
}

/// Retries quick enough for tests, the same rules as the app's.
pub fn fast(url: &str) -> ApiConfig {
    let mut config = ApiConfig::new(url);
    config.timeout = Duration::from_secs(5);
    config.retry = RetryPolicy {
        attempts: 4,
        base: Duration::from_millis(20),
        cap: Duration::from_millis(200),
    };
    config
}

impl World {
    pub async fn new() -> World {
        let mock = start(MockConfig::default(), "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let secrets = Secrets::in_memory();
        let (key, _) = secrets.data_key().unwrap();
        let store = Store::open(&dir.path().join("mpaspor.sqlite"), key).unwrap();
        let api = Api::new(fast(&mock.url()), secrets.clone()).unwrap();
        World {
            tester: Tester::new(&mock.url(), mock.tester_token().unwrap()),
            engine: Engine::new(store, api),
            _mock: mock,
            dir,
            secrets,
        }
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("mpaspor.sqlite")
    }

    pub fn store(&self) -> &Store {
        self.engine.store()
    }

    pub fn api(&self) -> &Api {
        self.engine.api()
    }

    /// Another phone on the same mock: its own store and keystore, no session yet.
    pub fn second_phone(&self) -> (tempfile::TempDir, Arc<Engine>) {
        let dir = tempfile::tempdir().unwrap();
        let secrets = Secrets::in_memory();
        let (key, _) = secrets.data_key().unwrap();
        let store = Store::open(&dir.path().join("mpaspor.sqlite"), key).unwrap();
        let api = Api::new(fast(&self._mock.url()), secrets).unwrap();
        (dir, Engine::new(store, api))
    }

    /// Registers, verifies by the emailed OTP and logs in, through the engine's client.
    pub async fn sign_up(&self, person: &Citizen, email: &str, password: &str) {
        let api = self.api();
        api.register(&mpaspor_domain::api::RegisterRequest {
            full_name: person.full_name.clone(),
            email: email.into(),
            phone: "081377665544".into(),
            password: password.into(),
            birth_date: person.birth_date,
            sex: person.sex,
            language: Default::default(),
        })
        .await
        .unwrap();
        let otp = self.tester.otp(email).await;
        let account = api.verify(email, &otp).await.unwrap();
        assert!(account.verified);
        api.login(email, password).await.unwrap();
    }

    /// The holder the server made at registration, as the phone holds it after a sync.
    pub async fn holder(&self) -> String {
        self.engine.sync().await.unwrap();
        self.store()
            .applicants()
            .unwrap()
            .into_iter()
            .find(|a| a.input.relationship == Relationship::Holder)
            .expect("the holder came down with the first sync")
            .id
    }
}

/// A person in the registry, built to the NIK's rules.
pub fn citizen(nik: &str, name: &str, birth: jiff::civil::Date, sex: Sex) -> Citizen {
    Citizen {
        nik: nik.into(),
        full_name: name.into(),
        birth_place: "Bandung".into(),
        birth_date: birth,
        sex,
        marital_status: MaritalStatus::Married,
        address: "Jalan Merdeka 1, Bandung".into(),
        mother_name: Some("Sri Wahyuni".into()),
        passports: vec![],
        family_card: None,
    }
}

pub fn input_of(person: &Citizen, relationship: Relationship) -> ApplicantInput {
    ApplicantInput {
        full_name: person.full_name.clone(),
        relationship,
        birth_date: person.birth_date,
        sex: person.sex,
        marital_status: person.marital_status,
        nik: Some(person.nik.clone()),
    }
}

/// The tester's side: plain HTTP to the mock's tester routes (the soak,
/// `examples/soak.rs`, includes this file by path for it).
#[derive(Clone)]
pub struct Tester {
    http: reqwest::Client,
    base: String,
}

impl Tester {
    /// The tester routes of the mock at `base`, with its tester token.
    pub fn new(base: &str, token: &str) -> Tester {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-tester-token", token.parse().unwrap());
        Tester {
            http: reqwest::Client::builder()
                .default_headers(headers)
                .build()
                .unwrap(),
            base: base.to_owned(),
        }
    }

    pub async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        assert!(status.is_success(), "{path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    pub async fn get(&self, path: &str) -> Value {
        self.call(reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Value {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn otp(&self, email: &str) -> String {
        let mail = self.get(&format!("/tester/outbox?email={email}")).await;
        mail["items"][0]["otp"].as_str().unwrap().to_owned()
    }

    pub async fn add_citizen(&self, person: &Citizen) {
        self.post("/tester/citizens", serde_json::to_value(person).unwrap())
            .await;
    }

    pub async fn fault(&self, rule: Value) {
        self.post("/tester/faults", rule).await;
    }

    pub async fn clear_faults(&self) {
        self.call(reqwest::Method::DELETE, "/tester/faults", None)
            .await;
    }

    pub async fn advance_clock(&self, seconds: i64) {
        self.post("/tester/clock", json!({"advance_seconds": seconds}))
            .await;
    }

    /// Pays a billing code as a bank would; answers the NTPN.
    pub async fn pay(&self, billing_code: &str, notify: bool) -> String {
        let paid = self
            .post(
                "/tester/payments",
                json!({"billing_code": billing_code, "notify": notify}),
            )
            .await;
        paid["ntpn"].as_str().unwrap().to_owned()
    }

    /// Every application the mock holds, whatever the account, all pages.
    pub async fn applications(&self) -> Vec<Application> {
        let mut all = Vec::new();
        loop {
            let page = self
                .get(&format!(
                    "/tester/applications?limit=100&offset={}",
                    all.len()
                ))
                .await;
            let items: Vec<Application> = serde_json::from_value(page["items"].clone()).unwrap();
            let total = page["total"].as_u64().unwrap() as usize;
            let done = items.is_empty();
            all.extend(items);
            if done || all.len() >= total {
                return all;
            }
        }
    }

    pub async fn advance(&self, application: &str, to: &str) -> Application {
        let app = self
            .post(
                &format!("/tester/applications/{application}/advance"),
                json!({"to": to}),
            )
            .await;
        serde_json::from_value(app).unwrap()
    }
}

/// The first slot with a place left at `office`, `skip` slots on.
pub async fn free_slot(api: &Api, office: &str, skip: usize) -> mpaspor_domain::SlotId {
    let slots = api.office_slots(office, None, Some(30)).await.unwrap();
    slots
        .days
        .iter()
        .flat_map(|d| d.slots.iter())
        .filter(|s| s.left > 0)
        .nth(skip)
        .expect("a free slot")
        .id
        .clone()
}
