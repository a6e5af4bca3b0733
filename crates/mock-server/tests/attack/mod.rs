//! The API under attack, as an auditor would try it (MASVS-AUTH and
//! -NETWORK on the server's side; `docs/security.md` maps them): forged,
//! altered, misplaced, expired and replayed tokens; oversized and malformed
//! bodies; SQL-shaped text; path traversal in document kinds and ids. Each
//! is refused with the status a client can act on, and none is a 5xx (the
//! mock's own totals say so at the end of every test). Reading or changing
//! another account's data and OTP guessing are in `api.rs`
//! (`one_account_cannot_see_or_touch_anothers_data`,
//! `accounts_otps_and_logins_refuse_what_they_should`).

mod accounts;
mod family;
mod money;
mod races;
mod tester;

use super::support::*;
use reqwest::Method;
use serde_json::json;

/// No answer in the whole test was a 5xx.
async fn no_server_error(mock: &Mock) {
    let totals = mock.tester().get("/tester/requests/totals").await.ok();
    assert_eq!(totals["server_errors_not_injected"], 0, "{totals}");
    assert!(totals["requests"].as_u64().unwrap() > 0);
}

fn with_token(api: &Client, token: &str) -> Client {
    Client {
        token: token.to_owned(),
        ..api.clone()
    }
}

#[tokio::test]
async fn forged_altered_misplaced_expired_and_replayed_tokens_are_refused() {
    let mock = Mock::start().await;
    let budi = sample("Budi Santoso");
    let api = mock.account_for(&budi).await;
    api.get("/v1/applicants").await.ok();

    // Made up, one character changed, cut short, padded, or the refresh
    // token in the access token's place: unknown tokens, 401 unauthorized.
    let mut flipped = api.token.clone().into_bytes();
    flipped[5] = if flipped[5] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(flipped).unwrap();
    let forged = [
        "made-up-token".to_owned(),
        "A".repeat(43),
        flipped,
        api.token[..api.token.len() - 1].to_owned(),
        format!("{}A", api.token),
        api.refresh.clone(),
        format!("{} ", api.token.to_uppercase()),
        "x".repeat(8 * 1024),
        "' OR '1'='1".to_owned(),
    ];
    for token in &forged {
        with_token(&api, token)
            .get("/v1/applicants")
            .await
            .error(401, "unauthorized");
    }
    // No token, another scheme, or a header that is not text.
    let anon = mock.anon();
    anon.get("/v1/applicants").await.error(401, "unauthorized");
    for header in [
        format!("Basic {}", api.token),
        api.token.clone(),
        "Bearer".to_owned(),
    ] {
        anon.send(
            anon.http
                .get(format!("{}/v1/applicants", anon.base))
                .header("Authorization", header),
        )
        .await
        .error(401, "unauthorized");
    }
    anon.send(
        anon.http
            .get(format!("{}/v1/applicants", anon.base))
            .header(
                "Authorization",
                reqwest::header::HeaderValue::from_bytes(b"Bearer \xff\xfe").unwrap(),
            ),
    )
    .await
    .error(401, "unauthorized");

    // A refresh token cannot be refreshed with an access token, nor with a forged one.
    for token in [api.token.clone(), "made-up".into()] {
        anon.post("/v1/sessions/refresh", json!({"refresh_token": token}))
            .await
            .error(401, "unauthorized");
    }

    // Expired: the access token after 15 minutes, the refresh token after 30 days.
    let mut api = api;
    mock.tester()
        .post("/tester/clock", json!({"advance_seconds": 16 * 60}))
        .await
        .ok();
    api.get("/v1/applicants").await.error(401, "token_expired");
    api.refresh_tokens().await;
    api.get("/v1/applicants").await.ok();
    mock.tester()
        .post("/tester/clock", json!({"advance_seconds": 31 * 24 * 3600}))
        .await
        .ok();
    anon.post(
        "/v1/sessions/refresh",
        json!({"refresh_token": api.refresh}),
    )
    .await
    .error(401, "token_expired");

    // Replayed after logout: neither token opens anything again.
    let api = mock.account_for(&sample("Siti Rahayu")).await;
    api.request(Method::DELETE, "/v1/sessions/current", None)
        .await
        .expect(204);
    api.get("/v1/applicants").await.error(401, "session_ended");
    anon.post(
        "/v1/sessions/refresh",
        json!({"refresh_token": api.refresh}),
    )
    .await
    .error(401, "session_ended");
    no_server_error(&mock).await;
}

#[tokio::test]
async fn oversized_and_malformed_bodies_get_a_clear_4xx() {
    let mock = Mock::start().await;
    let budi = sample("Budi Santoso");
    let api = mock.account_for(&budi).await;
    let holder = api.holder_id().await;
    let url = |path: &str| format!("{}{path}", api.base);

    // Larger than a route takes: 413, before anything is parsed or stored.
    let big_name = "A".repeat(70 * 1024);
    api.post(
        "/v1/applicants",
        json!({"full_name": big_name, "relationship": "sibling", "birth_date": "1990-01-01",
               "sex": "male", "marital_status": "single"}),
    )
    .await
    .error(413, "payload_too_large");
    let draft = api.draft_for(&budi, "kanim-jakarta-selatan").await;
    let id = draft["id"].as_str().unwrap();
    api.put_bytes(
        &format!("/v1/applications/{id}/documents/ektp"),
        vec![0xff; 2 << 20],
    )
    .await
    .error(413, "payload_too_large");

    // Not JSON, cut short, nested past reason, the wrong shape, the wrong type.
    let deep = format!("{{\"applicant_id\": \"x\", \"extra\": {}", "[".repeat(5000));
    let bodies: [(&str, u16, &str); 8] = [
        ("{\"applicant_id\": ", 400, "invalid_json"),
        ("not json at all", 400, "invalid_json"),
        ("\u{feff}{}", 400, "invalid_json"),
        (&deep, 400, "invalid_json"),
        (&"[".repeat(5000), 422, "validation_failed"),
        ("{\"applicant_id\": 12}", 422, "validation_failed"),
        ("{\"applicant_id\": null}", 422, "validation_failed"),
        // A draft may start empty, but not without whose it is.
        ("{}", 404, "not_found"),
    ];
    for (body, status, code) in bodies {
        api.send(
            api.http
                .post(url("/v1/applications"))
                .header("content-type", "application/json")
                .body(body.to_owned()),
        )
        .await
        .error(status, code);
    }
    // JSON sent as something else, and a document sent as JSON.
    api.send(
        api.http
            .post(url("/v1/applications"))
            .header("content-type", "text/plain")
            .body(json!({"applicant_id": holder}).to_string()),
    )
    .await
    .error(415, "unsupported_media_type");
    api.send(
        api.http
            .post(url("/v1/sessions"))
            .body("email=a@b.c&password=x"),
    )
    .await
    .error(415, "unsupported_media_type");
    // Numbers out of range and a control character in a name.
    api.get("/v1/offices?limit=99999999999999999999999")
        .await
        .error(400, "bad_request");
    api.get("/v1/offices/kanim-bandung/slots?days=-1")
        .await
        .error(400, "bad_request");
    api.post(
        "/v1/applicants",
        json!({"full_name": "Nama\u{0}Tersembunyi", "relationship": "sibling",
               "birth_date": "1990-01-01", "sex": "male", "marital_status": "single"}),
    )
    .await
    .error(422, "validation_failed");
    api.post(
        "/v1/applicants",
        json!({"full_name": "Adik", "relationship": "sibling", "birth_date": "1990-02-31",
               "sex": "male", "marital_status": "single"}),
    )
    .await
    .error(422, "validation_failed");

    // Nothing half-made is left: the one draft, the holder alone.
    assert_eq!(api.get("/v1/applications").await.ok()["total"], 1);
    assert_eq!(api.get("/v1/applicants").await.ok()["total"], 1);
    no_server_error(&mock).await;
}

#[tokio::test]
async fn sql_shaped_text_is_only_text() {
    let mock = Mock::start().await;
    let budi = sample("Budi Santoso");
    let api = mock.account_for(&budi).await;
    let names = [
        "Robert'); DROP TABLE applicants;--",
        "x' OR '1'='1",
        "\"; DELETE FROM accounts; --",
        "Siti %_ Rahayu",
    ];
    let mut ids = Vec::new();
    for name in names {
        let made = api
            .post(
                "/v1/applicants",
                json!({"full_name": name, "relationship": "sibling", "birth_date": "1990-01-01",
                       "sex": "female", "marital_status": "single"}),
            )
            .await
            .created();
        assert_eq!(made["full_name"], name, "kept as typed");
        ids.push(made["id"].as_str().unwrap().to_owned());
    }
    // Every table still there and whole: the names read back as typed.
    let listed = api.get("/v1/applicants").await.ok();
    assert_eq!(listed["total"], 5);
    for (id, name) in ids.iter().zip(names) {
        let kept = listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == *id);
        assert_eq!(kept.unwrap()["full_name"], name);
    }
    assert_eq!(mock.count("SELECT count(*) FROM accounts"), 1);
    // In searches and ids: no match, not every row.
    for q in ["' OR '1'='1", "%", "_", "%' --"] {
        let found = api
            .get(&format!("/v1/places?q={}", urlencode(q)))
            .await
            .ok();
        assert_eq!(found["total"], 0, "{q}: {found}");
    }
    api.get(&format!("/v1/applications/{}", urlencode("' OR '1'='1")))
        .await
        .error(404, "not_found");
    let nik = api
        .post(
            "/v1/nik-checks",
            json!({"nik": "3273011505900003' OR '1'='1", "full_name": "x", "birth_date": "1990-05-15"}),
        )
        .await;
    assert_eq!(nik.status / 100, 4, "{}", nik.body);
    no_server_error(&mock).await;
}

#[tokio::test]
async fn path_traversal_in_document_kinds_and_ids_finds_nothing() {
    let mock = Mock::start().await;
    let budi = sample("Budi Santoso");
    let api = mock.account_for(&budi).await;
    let draft = api.draft_for(&budi, "kanim-jakarta-selatan").await;
    let id = draft["id"].as_str().unwrap().to_owned();
    let photo = jpeg(1600, 1000);
    // Encoded so the client sends them as they are (a URL parser would fold `..`).
    let kinds = [
        "..%2F..%2F..%2Fetc%2Fpasswd",
        "%2E%2E%2Fektp",
        "ektp%2F..%2F..%2Faccounts",
        "ektp%00",
        "ektp%00.jpg",
        "EKTP",
        "ektp.jpg",
        "%2Fetc%2Fpasswd",
        "..%5C..%5Cwindows",
        "family_card%20",
    ];
    for kind in kinds {
        api.put_bytes(
            &format!("/v1/applications/{id}/documents/{kind}"),
            photo.clone(),
        )
        .await
        .error(404, "not_found");
    }
    for other in ["..%2F..%2Ftester%2Fapplications", "%2E%2E", "app_%2F..%2F"] {
        api.put_bytes(
            &format!("/v1/applications/{other}/documents/ektp"),
            photo.clone(),
        )
        .await
        .error(404, "not_found");
        api.get(&format!("/v1/applications/{other}"))
            .await
            .error(404, "not_found");
    }
    // The draft has no document, and a real kind still goes in.
    let now = api.get(&format!("/v1/applications/{id}")).await.ok();
    assert_eq!(now["documents"].as_array().unwrap().len(), 0);
    api.put_bytes(&format!("/v1/applications/{id}/documents/ektp"), photo)
        .await
        .ok();
    no_server_error(&mock).await;
}

/// Percent-encodes everything but letters and digits.
fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
