//! A mock server on 127.0.0.1:0 and a small HTTP client for the tests.

#![allow(dead_code)]

use jiff::civil::Date;
use mpaspor_domain::api::Citizen;
use mpaspor_mock::{DbLocation, MockConfig, RunningMock, registry};
use reqwest::Method;
use serde_json::{Value, json};
use std::io::Cursor;
use std::path::Path;

/// A port nothing listens on yet, for a server a test starts itself.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub struct Mock {
    pub server: RunningMock,
}

fn today() -> Date {
    mpaspor_domain::OfficeZone::Wib.local_date(jiff::Timestamp::now())
}

/// A named sample citizen of the seeded registry.
pub fn sample(name: &str) -> Citizen {
    registry::samples(today())
        .into_iter()
        .find(|c| c.full_name == name)
        .expect("a sample citizen")
}

/// `n` adults of the seeded population (default seed), none of them a sample.
pub fn adults(n: usize) -> Vec<Citizen> {
    let samples = registry::samples(today()).len();
    registry::population(MockConfig::default().seed, today())
        .into_iter()
        .skip(samples)
        .filter(|c| {
            let age = mpaspor_domain::eligibility::age_on(c.birth_date, today());
            (25..70).contains(&age)
        })
        .take(n)
        .collect()
}

pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            (x * 7 % 256) as u8,
            (y * 5 % 256) as u8,
            ((x + y) % 256) as u8,
        ])
    });
    let mut out = Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&img)
        .unwrap();
    out.into_inner()
}

pub fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::GrayImage::from_fn(width, height, |x, _| image::Luma([(x % 256) as u8]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Overrides fields of a JSON object.
pub trait With {
    fn with(self, base: &Value) -> Value;
}

impl With for Value {
    fn with(self, base: &Value) -> Value {
        let mut out = base.clone();
        for (k, v) in self.as_object().unwrap() {
            out[k] = v.clone();
        }
        out
    }
}

impl Mock {
    pub async fn start() -> Mock {
        Mock::start_with(MockConfig::default()).await
    }

    pub async fn start_at(path: &Path) -> Mock {
        Mock::start_with(MockConfig {
            db: DbLocation::File(path.to_owned()),
            ..MockConfig::default()
        })
        .await
    }

    pub async fn start_with(config: MockConfig) -> Mock {
        let server = mpaspor_mock::start(config, "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        Mock { server }
    }

    pub fn url(&self) -> String {
        self.server.url()
    }

    pub fn anon(&self) -> Client {
        Client {
            base: self.url(),
            http: reqwest::Client::new(),
            token: String::new(),
            refresh: String::new(),
            tester_token: None,
        }
    }

    /// A client that sends the mock's tester token.
    pub fn tester(&self) -> Client {
        Client {
            tester_token: self.server.tester_token().map(str::to_owned),
            ..self.anon()
        }
    }

    pub async fn outbox(&self, email: &str) -> Vec<Value> {
        self.tester()
            .get(&format!("/tester/outbox?email={email}"))
            .await
            .ok()["items"]
            .as_array()
            .unwrap()
            .clone()
    }

    pub async fn last_otp(&self, email: &str) -> String {
        self.outbox(email).await[0]["otp"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Registers, activates and logs in an account held by `person`, whose
    /// holder applicant then carries the person's NIK and marital status.
    pub async fn account_for(&self, person: &Citizen) -> Client {
        let email = format!("{}@example.com", person.nik);
        let client = self
            .signed_up(&person.full_name, &email, person.birth_date, person.sex)
            .await;
        client.set_holder_nik(person).await;
        client
    }

    /// Registers, activates and logs in an account (password
    /// `paspor-baru-2026`), its holder with no NIK yet.
    pub async fn signed_up(
        &self,
        full_name: &str,
        email: &str,
        birth_date: Date,
        sex: mpaspor_domain::Sex,
    ) -> Client {
        let anon = self.anon();
        anon.post("/v1/accounts", json!({"full_name": full_name, "email": email, "phone": "081234567890", "password": "paspor-baru-2026",
            "birth_date": birth_date, "sex": sex})).await.created();
        let otp = self.last_otp(email).await;
        anon.post("/v1/accounts/verify", json!({"email": email, "otp": otp}))
            .await
            .ok();
        let session = anon
            .post(
                "/v1/sessions",
                json!({"email": email, "password": "paspor-baru-2026"}),
            )
            .await
            .created();
        Client {
            token: session["access_token"].as_str().unwrap().to_owned(),
            refresh: session["refresh_token"].as_str().unwrap().to_owned(),
            ..anon
        }
    }

    /// Puts `people` on one family card in the registry (the first one's):
    /// a household one account files for.
    pub fn one_family(&self, people: &[Citizen]) {
        let card = registry::family_card_of(&people[0]);
        self.server
            .state
            .db
            .write(|tx| {
                for person in people {
                    tx.execute(
                        "UPDATE citizens SET body = json_set(body, '$.family_card', ?1) WHERE nik = ?2",
                        rusqlite::params![card, person.nik],
                    )?;
                }
                Ok(())
            })
            .unwrap();
    }

    /// Books a window's places in one pool (`general` or `polikarbonat`)
    /// until only `places` are left.
    pub fn leave_places(&self, slot: &str, pool: &str, places: u32) {
        let office = mpaspor_mock::reference::SlotRef::parse(slot)
            .expect("a slot of a seeded office")
            .office;
        let capacity = mpaspor_mock::reference::Pool::parse(pool).capacity(office);
        self.server
            .state
            .db
            .write(|tx| {
                tx.execute(
                    "INSERT INTO slot_bookings (slot_id, pool, booked) VALUES (?1, ?2, ?3)
                     ON CONFLICT (slot_id, pool) DO UPDATE SET booked = excluded.booked",
                    rusqlite::params![slot, pool, capacity - places],
                )?;
                Ok(())
            })
            .unwrap();
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.server
            .state
            .db
            .write(|tx| Ok(tx.query_row(sql, [], |r| r.get(0))?))
            .unwrap()
    }
}

#[derive(Clone)]
pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
    pub token: String,
    pub refresh: String,
    /// Sent as `X-Tester-Token` when set.
    pub tester_token: Option<String>,
}

pub struct Reply {
    pub status: u16,
    pub body: Value,
}

impl Reply {
    #[track_caller]
    pub fn expect(self, status: u16) -> Value {
        assert_eq!(self.status, status, "{}", self.body);
        self.body
    }
    #[track_caller]
    pub fn ok(self) -> Value {
        self.expect(200)
    }
    #[track_caller]
    pub fn created(self) -> Value {
        self.expect(201)
    }
    #[track_caller]
    pub fn error(&self, status: u16, code: &str) {
        assert_eq!(
            (
                self.status,
                self.body["error"]["code"].as_str().unwrap_or("")
            ),
            (status, code),
            "{}",
            self.body
        );
        assert!(
            self.body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
}

impl Client {
    pub async fn send(&self, req: reqwest::RequestBuilder) -> Reply {
        let mut req = if self.token.is_empty() {
            req
        } else {
            req.bearer_auth(&self.token)
        };
        if let Some(token) = &self.tester_token {
            req = req.header("x-tester-token", token);
        }
        let response = req.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("{status}: not JSON: {text}"))
        };
        Reply { status, body }
    }

    pub async fn request(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            req = req.json(&body);
        }
        self.send(req).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.request(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.request(Method::POST, path, Some(body)).await
    }

    pub async fn post_keyed(&self, path: &str, body: Value, key: &str) -> Reply {
        self.send(
            self.http
                .post(format!("{}{path}", self.base))
                .header("Idempotency-Key", key)
                .json(&body),
        )
        .await
    }

    pub async fn put(&self, path: &str, body: Value, version: Option<u64>) -> Reply {
        let mut req = self.http.put(format!("{}{path}", self.base)).json(&body);
        if let Some(v) = version {
            req = req.header("If-Match", v.to_string());
        }
        self.send(req).await
    }

    pub async fn put_bytes(&self, path: &str, bytes: Vec<u8>) -> Reply {
        self.send(
            self.http
                .put(format!("{}{path}", self.base))
                .header("content-type", "image/jpeg")
                .body(bytes),
        )
        .await
    }

    /// Rotates the session's tokens, as a client does when the access token expires.
    pub async fn refresh_tokens(&mut self) {
        let anon = Client {
            token: String::new(),
            ..self.clone()
        };
        let session = anon
            .post(
                "/v1/sessions/refresh",
                json!({"refresh_token": self.refresh}),
            )
            .await
            .ok();
        self.token = session["access_token"].as_str().unwrap().to_owned();
        self.refresh = session["refresh_token"].as_str().unwrap().to_owned();
    }

    pub async fn holder_id(&self) -> String {
        let list = self.get("/v1/applicants").await.ok();
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["relationship"] == "holder")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn set_holder_nik(&self, person: &Citizen) {
        let list = self.get("/v1/applicants").await.ok();
        let holder = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["relationship"] == "holder")
            .unwrap()
            .clone();
        let id = holder["id"].as_str().unwrap();
        let body = json!({"full_name": person.full_name, "relationship": "holder", "birth_date": person.birth_date, "sex": person.sex,
            "marital_status": person.marital_status, "nik": person.nik});
        self.put(
            &format!("/v1/applicants/{id}"),
            body,
            holder["version"].as_u64(),
        )
        .await
        .ok();
    }

    pub async fn add_applicant(&self, person: &Citizen) -> String {
        let body = json!({"full_name": person.full_name, "relationship": "sibling", "birth_date": person.birth_date, "sex": person.sex,
            "marital_status": person.marital_status, "nik": person.nik});
        self.post("/v1/applicants", body).await.created()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// A complete adult draft (new elektronik passport, 10 years) for the holder.
    pub async fn draft_for(&self, person: &Citizen, office: &str) -> Value {
        let holder = self.holder_id().await;
        self.draft_with(person, office, &holder).await
    }

    pub async fn draft_with(&self, person: &Citizen, office: &str, applicant_id: &str) -> Value {
        let draft = json!({
            "applicant_id": applicant_id, "service": "reguler", "applicant_kind": "adult", "office_id": office,
            "passport_type": "elektronik", "validity": "10y", "purpose": "tourism",
            "personal": {"nik": person.nik, "full_name": person.full_name, "sex": person.sex, "birth_place": person.birth_place,
                "birth_date": person.birth_date, "address": person.address, "marital_status": person.marital_status,
                "occupation": "Karyawan swasta", "phone": "081234567890", "email": null, "mother_name": person.mother_name,
                "father_name": null, "emergency_contact": {"name": "Keluarga", "phone": "081298765432", "relationship": "saudara"}}
        });
        self.post("/v1/applications", draft).await.created()
    }

    /// A complete draft for the holder with its documents uploaded: ready to submit.
    pub async fn ready_draft(&self, person: &Citizen, office: &str) -> String {
        let id = self.draft_for(person, office).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        self.upload_required(&id).await;
        id
    }

    /// Submits with the declaration accepted.
    pub async fn submit(&self, id: &str, slot: &str) -> Reply {
        self.post(
            &format!("/v1/applications/{id}/submit"),
            json!({"slot_id": slot, "declaration_accepted": true}),
        )
        .await
    }

    pub async fn upload_required(&self, id: &str) {
        for kind in ["ektp", "family_card", "birth_certificate"] {
            self.put_bytes(
                &format!("/v1/applications/{id}/documents/{kind}"),
                jpeg(96, 64),
            )
            .await
            .ok();
        }
    }

    /// The ids of an office's windows with a place left in the next 30 days.
    pub async fn free_slots(&self, office: &str) -> Vec<String> {
        let slots = self
            .get(&format!("/v1/offices/{office}/slots?days=30"))
            .await
            .ok();
        slots["days"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|d| d["slots"].as_array().unwrap().iter())
            .filter(|s| s["left"].as_u64().unwrap() > 0)
            .map(|s| s["id"].as_str().unwrap().to_owned())
            .collect()
    }

    /// The id of the `nth` slot with a place left at an office.
    pub async fn free_slot(&self, office: &str, nth: usize) -> String {
        self.free_slots(office).await[nth].clone()
    }

    pub async fn slot_left(&self, office: &str, slot: &str) -> u64 {
        let slots = self
            .get(&format!("/v1/offices/{office}/slots?days=30"))
            .await
            .ok();
        slots["days"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|d| d["slots"].as_array().unwrap().iter())
            .find(|s| s["id"] == slot)
            .map(|s| s["left"].as_u64().unwrap())
            .expect("the slot is in the next 30 days")
    }
}
