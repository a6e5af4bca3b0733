//! The API's JSON bodies, both ways.
//!
//! Server: the mock's whole router in this process (its real SQLite, a
//! seeded account logged in, a draft and a family member to aim at); the
//! first byte picks one of the routes that take a JSON body, the second is
//! sent as `If-Match`, the rest is the body. No answer may be a 5xx, and
//! every 4xx carries the error body with a code and a message.
//!
//! Client: the same bytes read as each body the app reads from the server;
//! whatever reads, writes back and reads again to the same value.
#![no_main]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use libfuzzer_sys::fuzz_target;
use mpaspor_domain::api::{
    Account, Applicant, Application, Citizen, ErrorBody, NikCheckResponse, Office, OfficeSlots,
    OtpSent, Page, Payment, Receipt, Session, SubmitResponse, TravelDocument,
};
use mpaspor_mock::{AppState, MockConfig, app};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::sync::OnceLock;
use tower::ServiceExt;

/// Routes that take a JSON body. Left out: the tester routes that reset the
/// mock or set faults (they would change what every later input meets).
const ROUTES: &[(&str, &str)] = &[
    ("POST", "/v1/accounts"),
    ("POST", "/v1/accounts/verify"),
    ("POST", "/v1/accounts/otp"),
    ("POST", "/v1/accounts/password-reset"),
    ("POST", "/v1/accounts/password-reset/confirm"),
    ("POST", "/v1/sessions"),
    ("POST", "/v1/sessions/refresh"),
    ("POST", "/v1/identity/nik-check"),
    ("POST", "/v1/applicants"),
    ("PUT", "/v1/applicants/{applicant}"),
    ("POST", "/v1/applications"),
    ("PUT", "/v1/applications/{app}"),
    ("POST", "/v1/applications/{app}/submit"),
    ("POST", "/v1/applications/{app}/payment/confirm"),
    ("POST", "/v1/applications/{app}/reschedule"),
    ("POST", "/v1/applications/{app}/cancel"),
    ("POST", "/tester/citizens"),
    ("POST", "/tester/payments"),
    ("POST", "/tester/applications/{app}/advance"),
];

struct Mock {
    runtime: tokio::runtime::Runtime,
    router: axum::Router,
    token: String,
    app: String,
    applicant: String,
}

impl Mock {
    async fn call(
        router: &axum::Router,
        method: &str,
        path: &str,
        token: &str,
        if_match: Option<u8>,
        body: Vec<u8>,
    ) -> (StatusCode, Vec<u8>) {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header("content-type", "application/json");
        if !token.is_empty() {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        if let Some(v) = if_match {
            request = request.header("if-match", v.to_string());
        }
        let response = router
            .clone()
            .oneshot(request.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap_or_default();
        (status, bytes.to_vec())
    }

    async fn json(router: &axum::Router, method: &str, path: &str, token: &str, body: Value) -> Value {
        let (status, bytes) =
            Mock::call(router, method, path, token, None, body.to_string().into_bytes()).await;
        assert!(status.is_success(), "{path}: {status}");
        serde_json::from_slice(&bytes).unwrap_or(Value::Null)
    }

    fn get() -> &'static Mock {
        static MOCK: OnceLock<Mock> = OnceLock::new();
        MOCK.get_or_init(|| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            let state = AppState::open(MockConfig::default()).expect("an in-memory mock");
            let router = app(state);
            let (token, app, applicant) = runtime.block_on(async {
                let r = &router;
                Mock::json(r, "POST", "/tester/seed", "", json!({"scenario": "expired_passport"})).await;
                let session = Mock::json(r, "POST", "/v1/sessions", "",
                    json!({"email": "dewi.lestari@example.com", "password": "paspor-baru-2026"})).await;
                let token = session["access_token"].as_str().unwrap().to_owned();
                let applicants = Mock::json(r, "GET", "/v1/applicants", &token, Value::Null).await;
                let holder = applicants["items"][0]["id"].as_str().unwrap().to_owned();
                let draft = Mock::json(r, "POST", "/v1/applications", &token, json!({"applicant_id": holder})).await;
                let child = Mock::json(r, "POST", "/v1/applicants", &token, json!({
                    "full_name": "Putri Lestari", "relationship": "child", "birth_date": "2015-02-14",
                    "sex": "female", "marital_status": "single"})).await;
                (token, draft["id"].as_str().unwrap().to_owned(), child["id"].as_str().unwrap().to_owned())
            });
            Mock { runtime, router, token, app, applicant }
        })
    }
}

/// Reads as `T`; if it reads, it writes back and reads again to the same value.
fn round_trip<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(data: &[u8]) {
    if let Ok(value) = serde_json::from_slice::<T>(data) {
        let written = serde_json::to_vec(&value).expect("what was read can be written");
        let again: T = serde_json::from_slice(&written).expect("what was written reads back");
        assert_eq!(again, value);
    }
}

fuzz_target!(|data: &[u8]| {
    // The client's side.
    round_trip::<Application>(data);
    round_trip::<SubmitResponse>(data);
    round_trip::<Payment>(data);
    round_trip::<Receipt>(data);
    round_trip::<Session>(data);
    round_trip::<Account>(data);
    round_trip::<OtpSent>(data);
    round_trip::<Page<Applicant>>(data);
    round_trip::<Page<Office>>(data);
    round_trip::<OfficeSlots>(data);
    round_trip::<NikCheckResponse>(data);
    round_trip::<Vec<TravelDocument>>(data);
    round_trip::<Citizen>(data);
    round_trip::<ErrorBody>(data);

    // The server's side.
    let [pick, version, body @ ..] = data else {
        return;
    };
    let mock = Mock::get();
    let (method, template) = ROUTES[*pick as usize % ROUTES.len()];
    let path = template
        .replace("{app}", &mock.app)
        .replace("{applicant}", &mock.applicant);
    let if_match = (method == "PUT").then_some(*version);
    let (status, answer) = mock.runtime.block_on(Mock::call(
        &mock.router,
        method,
        &path,
        &mock.token,
        if_match,
        body.to_vec(),
    ));
    assert!(
        !status.is_server_error(),
        "{method} {path} answered {status}: {}",
        String::from_utf8_lossy(&answer)
    );
    if status.is_client_error() {
        let error: ErrorBody = serde_json::from_slice(&answer).expect("a 4xx carries the error body");
        assert!(!error.error.code.is_empty() && !error.error.message.is_empty());
    }
});
