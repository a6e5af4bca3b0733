//! The tester routes as an outsider would try them: another local process
//! with no token, a page on another site (DNS rebinding, a cross-site form),
//! and a clock moved past where time can go.

use super::super::support::*;
use reqwest::Method;
use serde_json::json;

/// What an outsider tried first: read every NIK, read an OTP, pay a bill,
/// wipe everything. Without the token (or with a wrong one), each is a 401
/// and nothing changed.
#[tokio::test]
async fn tester_routes_refuse_anyone_without_the_token() {
    let mock = Mock::start().await;
    let budi = sample("Budi Santoso");
    let api = mock.account_for(&budi).await;
    let id = api.ready_draft(&budi, "kanim-jakarta-selatan").await;
    let slot = api.free_slot("kanim-jakarta-selatan", 0).await;
    let code = api.submit(&id, &slot).await.created()["payment"]["billing_code"].clone();

    let wrong = Client {
        tester_token: Some("not-the-token-at-all-0123456789".into()),
        ..mock.anon()
    };
    for outsider in [mock.anon(), wrong, api.clone()] {
        for path in [
            "/tester/applications",
            "/tester/outbox",
            "/tester/requests",
            "/tester/clock",
            "/tester/citizens/samples",
        ] {
            let reply = outsider.get(path).await;
            reply.error(401, "unauthorized");
            assert!(!reply.body.to_string().contains(&budi.nik));
        }
        outsider
            .post("/tester/payments", json!({"billing_code": code}))
            .await
            .error(401, "unauthorized");
        // The body-less POST a cross-site form would send.
        let reset = outsider
            .send(outsider.http.post(format!("{}/tester/reset", mock.url())))
            .await;
        reset.error(401, "unauthorized");
    }
    // Nothing changed: the application is still there and unpaid.
    let app = api.get(&format!("/v1/applications/{id}")).await.ok();
    assert_eq!(app["state"], "awaiting_payment");
    // The token the mock was started with opens them.
    let all = mock.tester().get("/tester/applications").await.ok();
    assert_eq!(all["total"], 1);
    // The console's page holds no data of its own; it asks for the token.
    let page = reqwest::get(format!("{}/tester", mock.url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("token-form") && !page.contains(&budi.nik));
    // The OpenAPI document says which routes need it.
    let doc = mock.anon().get("/openapi.json").await.ok();
    assert_eq!(
        doc["paths"]["/tester/reset"]["post"]["security"][0]["tester_token"],
        json!([])
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["tester_token"]["name"],
        "X-Tester-Token"
    );
}

#[tokio::test]
async fn a_token_given_at_start_is_the_one_asked_for() {
    let given = "a-tester-token-given-at-start-42";
    let mock = Mock::start_with(mpaspor_mock::MockConfig {
        tester_token: Some(given.into()),
        ..Default::default()
    })
    .await;
    assert_eq!(mock.server.tester_token(), Some(given));
    let with = Client {
        tester_token: Some(given.into()),
        ..mock.anon()
    };
    with.get("/tester/clock").await.ok();
    // Too short to be a secret: the mock does not start with it.
    let short = mpaspor_mock::start(
        mpaspor_mock::MockConfig {
            tester_token: Some("1234".into()),
            ..Default::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await;
    assert!(short.is_err());
}

/// A page on another site whose name now points at 127.0.0.1 sends its own
/// name as the Host: refused on every route, token or not.
#[tokio::test]
async fn a_request_for_another_host_is_refused() {
    let mock = Mock::start().await;
    let tester = mock.tester();
    for (method, path) in [
        (Method::GET, "/tester/applications"),
        (Method::POST, "/tester/reset"),
        (Method::GET, "/v1/offices"),
        (Method::GET, "/healthz"),
    ] {
        let req = tester
            .http
            .request(method, format!("{}{path}", mock.url()))
            .header("host", "rebound.evil.example");
        let reply = tester.send(req).await;
        reply.error(421, "bad_request");
    }
    // Its own address and localhost are fine.
    let port = mock.server.addr.port();
    let req = tester
        .http
        .get(format!("{}/tester/clock", mock.url()))
        .header("host", format!("localhost:{port}"));
    assert_eq!(tester.send(req).await.status, 200);
}

/// A clock moved past where time can go answered 500 on every route, and
/// the stored offset made every later start panic.
#[tokio::test]
async fn the_clock_moves_within_bounds_and_a_bad_stored_offset_never_stops_a_start() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mock.sqlite");
    let mock = Mock::start_at(&file).await;
    let tester = mock.tester();
    for body in [
        json!({"advance_seconds": i64::MAX}),
        json!({"advance_seconds": i64::MIN}),
        json!({"advance_seconds": 11 * 366 * 86_400}),
        json!({"set": "9999-01-01T00:00:00Z"}),
        json!({"set": "-009999-01-01T00:00:00Z"}),
    ] {
        let reply = tester.post("/tester/clock", body.clone()).await;
        assert_eq!(reply.status, 422, "{body}: {}", reply.body);
    }
    // Within the bound it moves, and every route still answers.
    tester
        .post(
            "/tester/clock",
            json!({"advance_seconds": 9 * 366 * 86_400}),
        )
        .await
        .ok();
    mock.anon().get("/v1/offices").await.ok();
    tester.get("/tester/clock").await.ok();
    mock.server.stop().await;

    // A file whose kept offset is out of bounds (written by an older mock).
    let db = rusqlite::Connection::open(&file).unwrap();
    db.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'clock_offset_ms'",
        [i64::MAX.to_string()],
    )
    .unwrap();
    drop(db);
    let again = Mock::start_at(&file).await;
    let clock = again.tester().get("/tester/clock").await.ok();
    assert_eq!(clock["offset_seconds"], 0, "{clock}");
    again.anon().get("/v1/offices").await.ok();
    super::no_server_error(&again).await;
}
