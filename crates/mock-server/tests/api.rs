//! The mock API over real HTTP on 127.0.0.1: every route's happy path and
//! errors, the whole journey, expiry, "paid but pending", concurrency,
//! idempotency, tokens and ownership.

mod attack;
mod browser;
mod messages;
mod quota;
mod ready;
mod support;

use mpaspor_domain::api::{Citizen, ReceiptKey};
use mpaspor_domain::proof;
use serde_json::{Value, json};
use support::*;

#[tokio::test]
async fn the_whole_journey_through_the_api() {
    let mock = Mock::start().await;
    let budi = sample("Budi Santoso");
    let api = mock.account_for(&budi).await;

    // The holder is the first applicant; add a family member.
    let applicants = api.get("/v1/applicants").await.ok();
    assert_eq!(applicants["total"], 1);
    assert_eq!(applicants["items"][0]["relationship"], "holder");
    let child = api
        .post("/v1/applicants", json!({"full_name": "Putri Santoso", "relationship": "child", "birth_date": "2015-02-14", "sex": "female", "marital_status": "single", "nik": "3174015402150004"}))
        .await
        .created();
    assert_eq!(child["version"], 1);

    // The Dukcapil check.
    let check = api
        .post(
            "/v1/identity/nik-check",
            json!({"nik": budi.nik, "full_name": "budi  santoso", "birth_date": "1990-05-15"}),
        )
        .await
        .ok();
    assert_eq!(check["valid"], true);

    // Offices near Jakarta Selatan, and a slot.
    let offices = api
        .get("/v1/offices?near=-6.26,106.81&passport_type=elektronik&limit=3")
        .await
        .ok();
    assert_eq!(offices["items"].as_array().unwrap().len(), 3);
    assert!(offices["items"][0]["distance_km"].as_f64().unwrap() < 10.0);
    let id = api.ready_draft(&budi, "kanim-jakarta-selatan").await;
    let slot = api.free_slot("kanim-jakarta-selatan", 0).await;
    let submitted = api.submit(&id, &slot).await.created();
    let code = submitted["payment"]["billing_code"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(code.len(), 15);
    assert!(code.starts_with('8'));
    assert_eq!(submitted["application"]["state"], "awaiting_payment");
    assert_eq!(
        submitted["payment"]["amount"], 950_000,
        "an elektronik passport for 10 years"
    );
    assert_eq!(
        submitted["application"]["appointment"]["slot_id"],
        slot.as_str()
    );

    // Pay as a bank would; the status follows.
    let paid = mock
        .tester()
        .post("/tester/payments", json!({"billing_code": code}))
        .await
        .created();
    let payment = api
        .get(&format!("/v1/applications/{id}/payment"))
        .await
        .ok();
    assert_eq!(payment["paid"], true);
    assert_eq!(payment["ntpn"], paid["ntpn"]);
    assert_eq!(payment["state"], "paid");

    // The receipt verifies with the served public key alone; one changed byte does not.
    let receipt = api
        .get(&format!("/v1/applications/{id}/receipt"))
        .await
        .ok();
    let key: ReceiptKey =
        serde_json::from_value(mock.anon().get("/v1/receipt-key").await.ok()).unwrap();
    let payload = receipt["qr_payload"].as_str().unwrap();
    let claim = proof::open(payload, &key).unwrap();
    assert_eq!(claim.application_id, id);
    assert_eq!(
        claim.slot_id,
        receipt["details"]["slot_id"].as_str().unwrap()
    );
    assert_eq!(receipt["details"]["applicant_name"], "Budi Santoso");
    assert_eq!(receipt["details"]["nik_last4"], "0001");
    for i in [10, payload.len() / 2, payload.len() - 3] {
        let mut bytes = payload.as_bytes().to_vec();
        bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
        assert!(
            proof::open(std::str::from_utf8(&bytes).unwrap(), &key).is_err(),
            "byte {i} changed"
        );
    }

    // Reschedule once; the second is refused with the reason.
    let later = api.free_slot("kanim-jakarta-selatan", 5).await;
    let moved = api
        .post(
            &format!("/v1/applications/{id}/reschedule"),
            json!({"slot_id": later}),
        )
        .await
        .ok();
    assert_eq!(moved["appointment"]["slot_id"], later.as_str());
    assert_eq!(moved["reschedules_used"], 1);
    let again = api.free_slot("kanim-jakarta-selatan", 8).await;
    let refused = api
        .post(
            &format!("/v1/applications/{id}/reschedule"),
            json!({"slot_id": again}),
        )
        .await;
    refused.error(409, "reschedule_refused");
    assert!(
        refused.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("only once")
    );

    // The office moves it on to collected; the timeline says every step.
    for to in ["interviewed", "approved", "printed", "ready", "collected"] {
        mock.tester()
            .post(
                &format!("/tester/applications/{id}/advance"),
                json!({"to": to}),
            )
            .await
            .ok();
    }
    let done = api.get(&format!("/v1/applications/{id}")).await.ok();
    assert_eq!(done["state"], "collected");
    let states: Vec<&str> = done["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["state"].as_str().unwrap())
        .collect();
    assert_eq!(
        states,
        [
            "draft",
            "awaiting_payment",
            "paid",
            "paid",
            "interviewed",
            "approved",
            "printed",
            "ready_for_pickup",
            "collected"
        ]
    );
    mock.tester()
        .post(
            &format!("/tester/applications/{id}/advance"),
            json!({"to": "approved"}),
        )
        .await
        .error(409, "transition_refused");
}

#[tokio::test]
async fn an_unpaid_code_expires_by_the_mock_clock_and_the_place_comes_back() {
    let mock = Mock::start().await;
    let dewi = sample("Dewi Lestari");
    let mut api = mock.account_for(&dewi).await;
    let id = api.ready_draft(&dewi, "kanim-surabaya").await;
    let id = id.as_str();
    // Days ahead, not the first day listed: the clock moves two hours below and
    // may cross midnight in the office's zone, taking the first day off the list.
    let slot = api.free_slot("kanim-surabaya", 40).await;
    let before = api.slot_left("kanim-surabaya", &slot).await;
    api.submit(id, &slot).await.created();
    assert_eq!(api.slot_left("kanim-surabaya", &slot).await, before - 1);

    mock.tester()
        .post("/tester/clock", json!({"advance_seconds": 2 * 3600 - 60}))
        .await
        .ok();
    api.refresh_tokens().await;
    assert_eq!(
        api.get(&format!("/v1/applications/{id}/payment"))
            .await
            .ok()["state"],
        "awaiting_payment"
    );
    mock.tester()
        .post("/tester/clock", json!({"advance_seconds": 61}))
        .await
        .ok();
    let payment = api
        .get(&format!("/v1/applications/{id}/payment"))
        .await
        .ok();
    assert_eq!(payment["state"], "expired");
    assert_eq!(payment["paid"], false);
    assert_eq!(api.slot_left("kanim-surabaya", &slot).await, before);
    let code = payment["billing_code"].as_str().unwrap();
    mock.tester()
        .post("/tester/payments", json!({"billing_code": code}))
        .await
        .error(409, "billing_expired");
}

#[tokio::test]
async fn paid_but_pending_is_settled_by_the_applicants_ntpn() {
    let mock = Mock::start().await;
    let made = sample("Made Wirawan");
    let api = mock.account_for(&made).await;
    let id = api.ready_draft(&made, "kanim-denpasar").await;
    let id = id.as_str();
    let slot = api.free_slot("kanim-denpasar", 0).await;
    let code = api
        .post(
            &format!("/v1/applications/{id}/submit"),
            json!({"slot_id": slot, "declaration_accepted": true}),
        )
        .await
        .created()["payment"]["billing_code"]
        .clone();

    let paid = mock
        .tester()
        .post(
            "/tester/payments",
            json!({"billing_code": code, "notify": false}),
        )
        .await
        .created();
    assert_eq!(paid["notified"], false);
    let pending = api
        .get(&format!("/v1/applications/{id}/payment"))
        .await
        .ok();
    assert_eq!(
        (pending["paid"].clone(), pending["state"].clone()),
        (json!(false), json!("awaiting_payment"))
    );

    api.post(
        &format!("/v1/applications/{id}/payment/confirm"),
        json!({"ntpn": "0000000000000000"}),
    )
    .await
    .error(422, "ntpn_not_found");
    api.post(
        &format!("/v1/applications/{id}/payment/confirm"),
        json!({"ntpn": "short"}),
    )
    .await
    .error(422, "validation_failed");
    let ntpn = paid["ntpn"].as_str().unwrap().to_lowercase();
    let confirmed = api
        .post(
            &format!("/v1/applications/{id}/payment/confirm"),
            json!({"ntpn": ntpn}),
        )
        .await
        .ok();
    assert_eq!(confirmed["paid"], true);
    assert_eq!(confirmed["state"], "paid");
    // Confirming again changes nothing and still answers paid.
    assert_eq!(
        api.post(
            &format!("/v1/applications/{id}/payment/confirm"),
            json!({"ntpn": ntpn})
        )
        .await
        .ok()["state"],
        "paid"
    );
}

#[tokio::test]
async fn two_hundred_submits_for_ten_places_book_exactly_ten() {
    let mock = Mock::start().await;
    let people: Vec<Citizen> = adults(200);
    let office = "kanim-bandung";
    let slot = mock.anon().free_slot(office, 2).await;
    mock.leave_places(&slot, "general", 10);

    // Forty accounts of five applicants each, every application ready to submit.
    let mut ready = Vec::new();
    for group in people.chunks(5) {
        mock.one_family(group);
        let api = mock.account_for(&group[0]).await;
        for (i, person) in group.iter().enumerate() {
            let applicant_id = if i == 0 {
                api.holder_id().await
            } else {
                api.add_applicant(person).await
            };
            let app = api.draft_with(person, office, &applicant_id).await;
            let id = app["id"].as_str().unwrap().to_owned();
            api.upload_required(&id).await;
            ready.push((api.token.clone(), id));
        }
    }
    assert_eq!(ready.len(), 200);

    let url = mock.url();
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(ready.len()));
    let mut tasks = Vec::new();
    for (token, id) in ready {
        let (barrier, url, slot) = (barrier.clone(), url.clone(), slot.clone());
        tasks.push(tokio::spawn(async move {
            // A client of its own: its own connection, so at least 50 are open at once.
            let client = reqwest::Client::new();
            let request = client
                .post(format!("{url}/v1/applications/{id}/submit"))
                .bearer_auth(token)
                .json(&json!({"slot_id": slot, "declaration_accepted": true}));
            barrier.wait().await;
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap();
            (status, body)
        }));
    }
    let mut booked = 0;
    let mut full = 0;
    for t in tasks {
        let (status, body) = t.await.unwrap();
        assert!(status < 500, "{status} {body}");
        match status {
            201 => booked += 1,
            409 => {
                assert_eq!(body["error"]["code"], "slot_full", "{body}");
                full += 1;
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!((booked, full), (10, 190));
    assert_eq!(mock.anon().slot_left(office, &slot).await, 0);
}

#[tokio::test]
async fn a_retried_submit_or_payment_with_one_key_happens_once() {
    let mock = Mock::start().await;
    let siti = sample("Siti Rahayu");
    let api = mock.account_for(&siti).await;
    let id = api.ready_draft(&siti, "kanim-bandung").await;
    let id = id.as_str();
    let slot = api.free_slot("kanim-bandung", 1).await;
    let before = api.slot_left("kanim-bandung", &slot).await;
    let body = json!({"slot_id": slot, "declaration_accepted": true});
    let first = api
        .post_keyed(
            &format!("/v1/applications/{id}/submit"),
            body.clone(),
            "submit-1",
        )
        .await
        .created();
    let second = api
        .post_keyed(
            &format!("/v1/applications/{id}/submit"),
            body.clone(),
            "submit-1",
        )
        .await
        .created();
    assert_eq!(first, second);
    assert_eq!(api.slot_left("kanim-bandung", &slot).await, before - 1);
    // The same key for another request is refused.
    api.post_keyed(
        &format!("/v1/applications/{id}/submit"),
        json!({"slot_id": slot, "declaration_accepted": false}),
        "submit-1",
    )
    .await
    .error(422, "idempotency_key_reused");

    let code = first["payment"]["billing_code"].clone();
    let tester = mock.tester();
    let pay1 = tester
        .post_keyed("/tester/payments", json!({"billing_code": code}), "pay-1")
        .await
        .created();
    let pay2 = tester
        .post_keyed("/tester/payments", json!({"billing_code": code}), "pay-1")
        .await
        .created();
    assert_eq!(pay1["ntpn"], pay2["ntpn"]);
    tester
        .post("/tester/payments", json!({"billing_code": code}))
        .await
        .error(409, "already_paid");
    let treasury: i64 = mock.count("SELECT COUNT(*) FROM treasury WHERE ntpn IS NOT NULL");
    assert_eq!(treasury, 1);
}

#[tokio::test]
async fn access_expires_refresh_rotates_and_a_reused_refresh_token_ends_the_session() {
    let mock = Mock::start().await;
    let mut api = mock.account_for(&sample("Yohanes Rumbiak")).await;
    api.get("/v1/applicants").await.ok();
    mock.tester()
        .post("/tester/clock", json!({"advance_seconds": 16 * 60}))
        .await
        .ok();
    api.get("/v1/applicants").await.error(401, "token_expired");

    let old_refresh = api.refresh.clone();
    let session = mock
        .anon()
        .post(
            "/v1/sessions/refresh",
            json!({"refresh_token": old_refresh}),
        )
        .await
        .ok();
    api.token = session["access_token"].as_str().unwrap().to_owned();
    api.get("/v1/applicants").await.ok();

    // The answer to a refresh may be lost on the way: the same token again,
    // within a moment, rotates once more instead of ending the session.
    let again = mock
        .anon()
        .post(
            "/v1/sessions/refresh",
            json!({"refresh_token": old_refresh}),
        )
        .await
        .ok();
    api.get("/v1/applicants").await.error(401, "unauthorized");
    api.token = again["access_token"].as_str().unwrap().to_owned();
    api.get("/v1/applicants").await.ok();
    let session = again;

    // The rotated-away token again, later: theft is assumed and the session ends.
    mock.tester()
        .post("/tester/clock", json!({"advance_seconds": 31}))
        .await
        .ok();
    mock.anon()
        .post(
            "/v1/sessions/refresh",
            json!({"refresh_token": old_refresh}),
        )
        .await
        .error(401, "session_ended");
    api.get("/v1/applicants").await.error(401, "session_ended");
    mock.anon()
        .post(
            "/v1/sessions/refresh",
            json!({"refresh_token": session["refresh_token"]}),
        )
        .await
        .error(401, "session_ended");
}

#[tokio::test]
async fn one_account_cannot_see_or_touch_anothers_data() {
    let mock = Mock::start().await;
    let budi = sample("Budi Santoso");
    let owner = mock.account_for(&budi).await;
    let app = owner.draft_for(&budi, "kanim-jakarta-pusat").await;
    let id = app["id"].as_str().unwrap();
    let applicant = owner.holder_id().await;
    let other = mock.account_for(&sample("Siti Rahayu")).await;

    other
        .get(&format!("/v1/applications/{id}"))
        .await
        .error(404, "not_found");
    other
        .get(&format!("/v1/applications/{id}/payment"))
        .await
        .error(404, "not_found");
    other
        .put(
            &format!("/v1/applications/{id}"),
            json!({"applicant_id": applicant}),
            Some(1),
        )
        .await
        .error(404, "not_found");
    other
        .put_bytes(
            &format!("/v1/applications/{id}/documents/ektp"),
            jpeg(64, 48),
        )
        .await
        .error(404, "not_found");
    other
        .get(&format!("/v1/applicants/{applicant}/travel-documents"))
        .await
        .error(404, "not_found");
    other
        .request(
            reqwest::Method::DELETE,
            &format!("/v1/applicants/{applicant}"),
            None,
        )
        .await
        .error(404, "not_found");
    // Nor file for someone else's applicant.
    other
        .post("/v1/applications", json!({"applicant_id": applicant}))
        .await
        .error(404, "not_found");
    assert_eq!(
        owner.get(&format!("/v1/applications/{id}")).await.ok()["id"],
        id
    );
}

#[tokio::test]
async fn accounts_otps_and_logins_refuse_what_they_should() {
    let mock = Mock::start().await;
    let anon = mock.anon();
    let reg = json!({"full_name": "Rina Wijaya", "email": "Rina@Example.com", "phone": "+6281234567890", "password": "kuatsekali9", "birth_date": "1995-01-02", "sex": "female"});
    anon.post("/v1/accounts", json!({"password": "short"}).with(&reg))
        .await
        .error(422, "weak_password");
    anon.post("/v1/accounts", json!({"email": "not-an-email"}).with(&reg))
        .await
        .error(422, "validation_failed");
    anon.post("/v1/accounts", json!({"phone": "12345"}).with(&reg))
        .await
        .error(422, "validation_failed");
    anon.post(
        "/v1/accounts",
        json!({"birth_date": "2015-01-01"}).with(&reg),
    )
    .await
    .error(422, "validation_failed");
    anon.post("/v1/accounts", reg.clone()).await.created();
    anon.post("/v1/accounts/otp", json!({"email": "rina@example.com"}))
        .await
        .error(429, "otp_cooldown");
    anon.post(
        "/v1/sessions",
        json!({"email": "rina@example.com", "password": "kuatsekali9"}),
    )
    .await
    .error(403, "account_not_verified");

    // OTP guessing: five wrong codes burn it.
    for _ in 0..5 {
        anon.post(
            "/v1/accounts/verify",
            json!({"email": "rina@example.com", "otp": "000000"}),
        )
        .await
        .error(422, "otp_invalid");
    }
    let otp = mock.last_otp("rina@example.com").await;
    anon.post(
        "/v1/accounts/verify",
        json!({"email": "rina@example.com", "otp": otp}),
    )
    .await
    .error(429, "rate_limited");
    mock.tester()
        .post("/tester/clock", json!({"advance_seconds": 61}))
        .await
        .ok();
    anon.post("/v1/accounts/otp", json!({"email": "rina@example.com"}))
        .await
        .expect(202);
    let otp = mock.last_otp("rina@example.com").await;
    anon.post(
        "/v1/accounts/verify",
        json!({"email": "rina@example.com", "otp": otp}),
    )
    .await
    .ok();
    // Registering an active account's email answers as for a new one; the
    // email tells the owner, with no code in it.
    anon.post("/v1/accounts", reg.clone()).await.created();
    let note = &mock.outbox("rina@example.com").await[0];
    assert!(note["otp"].is_null(), "{note}");

    // Five wrong passwords; then each try waits a growing moment (see
    // a_stranger_slows_an_owner_down_but_never_locks_them_out), after which
    // the right one gets in.
    for _ in 0..5 {
        anon.post(
            "/v1/sessions",
            json!({"email": "rina@example.com", "password": "salah12345"}),
        )
        .await
        .error(401, "invalid_credentials");
    }
    mock.tester()
        .post("/tester/clock", json!({"advance_seconds": 2}))
        .await
        .ok();

    // A forgotten password: reset by OTP ends every session.
    let session = anon
        .post(
            "/v1/sessions",
            json!({"email": "rina@example.com", "password": "kuatsekali9"}),
        )
        .await
        .created();
    anon.post(
        "/v1/accounts/password-reset",
        json!({"email": "rina@example.com"}),
    )
    .await
    .expect(202);
    anon.post(
        "/v1/accounts/password-reset",
        json!({"email": "nobody@example.com"}),
    )
    .await
    .expect(202);
    assert!(mock.outbox("nobody@example.com").await.is_empty());
    let otp = mock.last_otp("rina@example.com").await;
    anon.post(
        "/v1/accounts/password-reset/confirm",
        json!({"email": "rina@example.com", "otp": otp, "new_password": "lebihkuat10"}),
    )
    .await
    .expect(204);
    let old = Client {
        token: session["access_token"].as_str().unwrap().to_owned(),
        ..mock.anon()
    };
    old.get("/v1/applicants").await.error(401, "session_ended");
    anon.post(
        "/v1/sessions",
        json!({"email": "rina@example.com", "password": "kuatsekali9"}),
    )
    .await
    .error(401, "invalid_credentials");
    let fresh = anon
        .post(
            "/v1/sessions",
            json!({"email": "rina@example.com", "password": "lebihkuat10"}),
        )
        .await
        .created();
    let api = Client {
        token: fresh["access_token"].as_str().unwrap().to_owned(),
        ..mock.anon()
    };
    api.request(reqwest::Method::DELETE, "/v1/sessions/current", None)
        .await
        .expect(204);
    api.get("/v1/applicants").await.error(401, "session_ended");
}

#[tokio::test]
async fn deleting_the_account_removes_every_personal_record_and_frees_its_places() {
    let mock = Mock::start().await;
    let budi = sample("Budi Santoso");
    let api = mock.account_for(&budi).await;
    let id = api.ready_draft(&budi, "kanim-tangerang").await;
    let id = id.as_str();
    let slot = api.free_slot("kanim-tangerang", 0).await;
    let before = api.slot_left("kanim-tangerang", &slot).await;
    api.submit(id, &slot).await.created();
    // The access token alone does not delete it: the password is asked again.
    let delete = |password: &str| {
        api.request(
            reqwest::Method::DELETE,
            "/v1/accounts/current",
            Some(json!({ "password": password })),
        )
    };
    delete("not-his-password1")
        .await
        .error(403, "invalid_credentials");
    api.request(reqwest::Method::DELETE, "/v1/accounts/current", None)
        .await
        .error(415, "unsupported_media_type");
    assert_eq!(mock.count("SELECT COUNT(*) FROM accounts"), 1);
    delete("paspor-baru-2026").await.expect(204);
    for table in [
        "accounts",
        "applicants",
        "applications",
        "documents",
        "sessions",
        "timeline",
        "treasury",
        "outbox",
    ] {
        assert_eq!(
            mock.count(&format!("SELECT COUNT(*) FROM {table}")),
            0,
            "{table}"
        );
    }
    let other = mock.account_for(&sample("Siti Rahayu")).await;
    assert_eq!(other.slot_left("kanim-tangerang", &slot).await, before);
}

#[tokio::test]
async fn drafts_are_versioned_and_uploads_checked() {
    let mock = Mock::start().await;
    let budi = sample("Budi Santoso");
    let api = mock.account_for(&budi).await;
    let app = api.draft_for(&budi, "kanim-jakarta-selatan").await;
    let id = app["id"].as_str().unwrap();
    let v = app["version"].as_u64().unwrap();
    let mut draft = app["draft"].clone();
    draft["purpose"] = json!("umrah_hajj");
    api.put(&format!("/v1/applications/{id}"), draft.clone(), None)
        .await
        .error(428, "precondition_required");
    let updated = api
        .put(&format!("/v1/applications/{id}"), draft.clone(), Some(v))
        .await
        .ok();
    assert_eq!(updated["version"].as_u64().unwrap(), v + 1);
    let stale = api
        .put(&format!("/v1/applications/{id}"), draft.clone(), Some(v))
        .await;
    stale.error(409, "version_conflict");
    assert_eq!(
        stale.body["error"]["current_version"].as_u64().unwrap(),
        v + 1
    );
    draft["passport_type"] = json!("hologram");
    api.put(&format!("/v1/applications/{id}"), draft, Some(v + 1))
        .await
        .error(422, "validation_failed");

    let doc = format!("/v1/applications/{id}/documents");
    let stored = api
        .put_bytes(&format!("{doc}/ektp"), jpeg(640, 400))
        .await
        .ok();
    assert_eq!(
        (stored["width"].clone(), stored["height"].clone()),
        (json!(640), json!(400))
    );
    assert_eq!(stored["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(
        api.put_bytes(&format!("{doc}/family_card"), png(300, 200))
            .await
            .ok()["media_type"],
        "image/png"
    );
    let heic = api
        .put_bytes(
            &format!("{doc}/ektp"),
            b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec(),
        )
        .await;
    heic.error(415, "unsupported_media_type");
    assert!(
        heic.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("HEIC")
    );
    api.put_bytes(&format!("{doc}/ektp"), b"hello, I am a text file".to_vec())
        .await
        .error(415, "unsupported_media_type");
    let mut cut = jpeg(640, 400);
    cut.truncate(cut.len() / 2);
    api.put_bytes(&format!("{doc}/ektp"), cut)
        .await
        .error(422, "document_rejected");
    api.put_bytes(&format!("{doc}/ektp"), png(4001, 10))
        .await
        .error(422, "document_rejected");
    api.put_bytes(&format!("{doc}/ektp"), vec![0xFF; 1024 * 1024 + 1])
        .await
        .error(413, "payload_too_large");
    api.put_bytes(&format!("{doc}/..%2F..%2Fetc%2Fpasswd"), jpeg(10, 10))
        .await
        .error(404, "not_found");
    api.put_bytes(&format!("{doc}/selfie"), jpeg(10, 10))
        .await
        .error(404, "not_found");

    // Submit says what is missing; a bad NIK and an unknown identity are refused.
    let slot = api.free_slot("kanim-jakarta-selatan", 0).await;
    let submit = format!("/v1/applications/{id}/submit");
    api.post(
        &submit,
        json!({"slot_id": slot, "declaration_accepted": false}),
    )
    .await
    .error(422, "declaration_required");
    let missing = api
        .post(
            &submit,
            json!({"slot_id": slot, "declaration_accepted": true}),
        )
        .await;
    missing.error(422, "incomplete_application");
    assert_eq!(missing.body["error"]["field"], "documents");
}

#[tokio::test]
async fn submit_checks_the_identity_the_case_and_the_office() {
    let mock = Mock::start().await;
    let budi = sample("Budi Santoso");
    let api = mock.account_for(&budi).await;
    let app = api.draft_for(&budi, "kanim-jakarta-selatan").await;
    let id = app["id"].as_str().unwrap();
    api.upload_required(id).await;
    let slot = api.free_slot("kanim-jakarta-selatan", 0).await;
    let submit = format!("/v1/applications/{id}/submit");
    let body = json!({"slot_id": slot, "declaration_accepted": true});
    let change = |f: &dyn Fn(&mut Value)| {
        let mut d = app["draft"].clone();
        f(&mut d);
        d
    };
    let mut version = app["version"].as_u64().unwrap();
    let cases: Vec<(Value, u16, &str)> = vec![
        (
            change(&|d| d["personal"]["birth_date"] = json!("1990-05-16")),
            422,
            "nik_invalid",
        ),
        (
            change(&|d| d["personal"]["full_name"] = json!("Budi Santosa")),
            422,
            "identity_invalid",
        ),
        (
            change(&|d| d["personal"]["nik"] = json!("3174011505900002")),
            422,
            "identity_invalid",
        ),
        (
            change(&|d| d["applicant_kind"] = json!("child")),
            422,
            "validation_failed",
        ),
        (
            change(&|d| d["passport_type"] = json!("elektronik_polikarbonat")),
            201,
            "",
        ),
    ];
    for (draft, status, code) in cases {
        version = api
            .put(&format!("/v1/applications/{id}"), draft, Some(version))
            .await
            .ok()["version"]
            .as_u64()
            .unwrap();
        let r = api.post(&submit, body.clone()).await;
        if status == 201 {
            r.created();
        } else {
            r.error(status, code);
        }
    }
    // One active application per NIK.
    let second_id = api.ready_draft(&budi, "kanim-jakarta-pusat").await;
    let second_id = second_id.as_str();
    let slot = api.free_slot("kanim-jakarta-pusat", 0).await;
    api.submit(second_id, &slot)
        .await
        .error(409, "active_application_exists");
    // An office that does not issue the type.
    let third_id = api.ready_draft(&budi, "mpp-kota-tangerang").await;
    let third_id = third_id.as_str();
    let slot = api.free_slot("mpp-kota-tangerang", 0).await;
    api.submit(third_id, &slot)
        .await
        .error(422, "office_cannot_issue");
}

#[tokio::test]
async fn cancel_before_and_after_payment() {
    let mock = Mock::start().await;
    let siti = sample("Siti Rahayu");
    let api = mock.account_for(&siti).await;
    let id = api.ready_draft(&siti, "kanim-bandung").await;
    let id = id.as_str();
    let slot = api.free_slot("kanim-bandung", 3).await;
    let before = api.slot_left("kanim-bandung", &slot).await;
    let code = api
        .post(
            &format!("/v1/applications/{id}/submit"),
            json!({"slot_id": slot, "declaration_accepted": true}),
        )
        .await
        .created()["payment"]["billing_code"]
        .clone();
    mock.tester()
        .post("/tester/payments", json!({"billing_code": code}))
        .await
        .created();
    let refused = api
        .post(&format!("/v1/applications/{id}/cancel"), json!({}))
        .await;
    refused.error(409, "cancel_refused");
    assert!(
        refused.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not refunded")
    );
    let cancelled = api
        .post(
            &format!("/v1/applications/{id}/cancel"),
            json!({"accept_forfeit": true}),
        )
        .await
        .ok();
    assert_eq!(cancelled["state"], "cancelled");
    assert_eq!(api.slot_left("kanim-bandung", &slot).await, before);
    api.post(&format!("/v1/applications/{id}/cancel"), json!({}))
        .await
        .error(409, "cancel_refused");
    api.get(&format!("/v1/applications/{id}/receipt"))
        .await
        .error(409, "not_paid");
}

#[tokio::test]
async fn reference_routes_answer_and_refuse_bad_queries() {
    let mock = Mock::start().await;
    let anon = mock.anon();
    let fees = anon.get("/v1/fees").await.ok();
    assert_eq!(fees["express_surcharge"], 1_000_000);
    let places = anon.get("/v1/places?q=bandung").await.ok();
    assert!(
        places["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "Kota Bandung")
    );
    let found = anon.get("/v1/offices?q=jayapura").await.ok();
    assert_eq!(found["items"][0]["zone"], "WIT");
    anon.get("/v1/offices?near=abc")
        .await
        .error(400, "bad_request");
    anon.get("/v1/offices?limit=-1")
        .await
        .error(400, "bad_request");
    let slots = anon
        .get("/v1/offices/kanim-makassar/slots?days=7")
        .await
        .ok();
    assert_eq!(slots["zone"], "WITA");
    assert_eq!(slots["days"].as_array().unwrap().len(), 7);
    assert!(
        slots["days"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["open"] == false),
        "a week has a weekend"
    );
    anon.get("/v1/offices/kanim-nowhere/slots")
        .await
        .error(404, "not_found");
    anon.get("/v1/offices/kanim-makassar/slots?days=100")
        .await
        .error(400, "bad_request");
    let earliest = anon
        .get("/v1/slots/earliest?near=-6.2,106.8&passport_type=elektronik_polikarbonat")
        .await
        .ok();
    let first = &earliest["items"][0];
    assert!(
        first["office"]["passport_types"]
            .as_array()
            .unwrap()
            .contains(&json!("elektronik_polikarbonat"))
    );
    assert!(first["slot"]["left"].as_u64().unwrap() > 0);
    anon.post(
        "/v1/identity/nik-check",
        json!({"nik": "3174011505900001", "full_name": "x", "birth_date": "1990-05-15"}),
    )
    .await
    .error(401, "unauthorized");
    let api = mock.account_for(&sample("Budi Santoso")).await;
    let check = |nik: &str, name: &str, birth: &str| {
        api.post(
            "/v1/identity/nik-check",
            json!({"nik": nik, "full_name": name, "birth_date": birth}),
        )
    };
    assert_eq!(
        check("3174011505900001", "Budi Santoso", "1990-05-16")
            .await
            .ok()["failure"],
        "birth_date_mismatch"
    );
    // Not in the registry, or in it under another name: one answer.
    let unknown = check("3174011505900009", "Budi Santoso", "1990-05-15")
        .await
        .ok();
    let other_name = check("3174011505900001", "Budi Susanto", "1990-05-15")
        .await
        .ok();
    assert_eq!(unknown["failure"], "no_match");
    assert_eq!(unknown, other_name);
    assert_eq!(
        check("12345", "Budi Santoso", "1990-05-15").await.ok()["failure"],
        "malformed"
    );
    let spec = anon.get("/openapi.json").await.ok();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/v1/applications/{id}/submit",
        "/v1/slots/earliest",
        "/tester/payments",
        "/v1/receipt-key",
    ] {
        assert!(spec["paths"].get(path).is_some(), "{path}");
    }
}

#[tokio::test]
async fn travel_documents_come_from_the_registry_and_citizens_can_be_added() {
    let mock = Mock::start().await;
    let dewi = sample("Dewi Lestari");
    let api = mock.account_for(&dewi).await;
    let holder = api.holder_id().await;
    api.set_holder_nik(&dewi).await;
    let docs = api
        .get(&format!("/v1/applicants/{holder}/travel-documents"))
        .await
        .ok();
    assert_eq!(docs["items"][0]["number"], "C1234567");
    assert_eq!(docs["items"][0]["status"], "expired");

    let tester = mock.tester();
    let samples = tester.get("/tester/citizens/samples").await.ok();
    let names: Vec<&str> = samples
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["full_name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Dewi Lestari") && names.contains(&"Budi Santoso"),
        "{names:?}"
    );
    assert_eq!(samples[0]["nik"].as_str().unwrap().len(), 16);
    let new = json!({"nik": "3201014408000007", "full_name": "Anisa Putri", "birth_place": "Bogor", "birth_date": "2000-08-04", "sex": "female", "marital_status": "single", "address": "Jl. Pajajaran 1, Bogor"});
    tester.post("/tester/citizens", new.clone()).await.created();
    tester
        .post("/tester/citizens", new.clone())
        .await
        .error(409, "validation_failed");
    tester
        .post("/tester/citizens", json!({"sex": "male"}).with(&new))
        .await
        .error(422, "nik_invalid");
    let check = api.post("/v1/identity/nik-check", json!({"nik": "3201014408000007", "full_name": "Anisa Putri", "birth_date": "2000-08-04"})).await.ok();
    assert_eq!(check["valid"], true);
    api.post("/v1/applicants", json!({"full_name": "X", "relationship": "child", "birth_date": "2015-02-14", "sex": "male", "marital_status": "single", "nik": "3174015402150004"})).await.error(422, "nik_invalid");
    for i in 0..4 {
        api.post("/v1/applicants", json!({"full_name": format!("Anak {i}"), "relationship": "child", "birth_date": "2016-01-01", "sex": "male", "marital_status": "single"})).await.created();
    }
    api.post("/v1/applicants", json!({"full_name": "Anak 5", "relationship": "child", "birth_date": "2016-01-01", "sex": "male", "marital_status": "single"})).await.error(409, "applicant_limit");
    api.request(
        reqwest::Method::DELETE,
        &format!("/v1/applicants/{holder}"),
        None,
    )
    .await
    .error(422, "validation_failed");
}

#[tokio::test]
async fn state_survives_a_restart_of_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mock.sqlite");
    let budi = sample("Budi Santoso");
    let (token, id, key) = {
        let mock = Mock::start_at(&path).await;
        let api = mock.account_for(&budi).await;
        let app = api.draft_for(&budi, "kanim-jakarta-selatan").await;
        mock.tester()
            .post("/tester/clock", json!({"advance_seconds": 600}))
            .await
            .ok();
        let key = mock.anon().get("/v1/receipt-key").await.ok();
        (
            api.token.clone(),
            app["id"].as_str().unwrap().to_owned(),
            key,
        )
    };
    let mock = Mock::start_at(&path).await;
    let api = Client {
        token,
        ..mock.anon()
    };
    assert_eq!(
        api.get(&format!("/v1/applications/{id}")).await.ok()["state"],
        "draft"
    );
    assert_eq!(mock.anon().get("/v1/receipt-key").await.ok(), key);
    assert!(
        mock.tester().get("/tester/clock").await.ok()["offset_seconds"]
            .as_i64()
            .unwrap()
            >= 599
    );
}

#[tokio::test]
async fn without_tester_routes_every_tester_path_is_absent() {
    let mock = Mock::start_with(mpaspor_mock::MockConfig {
        tester_routes: false,
        ..Default::default()
    })
    .await;
    for path in [
        "/tester",
        "/tester/outbox",
        "/tester/clock",
        "/tester/faults",
        "/tester/requests",
        "/tester/applications",
        "/tester/citizens/samples",
    ] {
        mock.anon().get(path).await.error(404, "not_found");
    }
    for path in [
        "/tester/seed",
        "/tester/reset",
        "/tester/faults",
        "/tester/citizens",
        "/tester/clock",
    ] {
        mock.anon()
            .post(path, json!({}))
            .await
            .error(404, "not_found");
    }
    mock.anon()
        .post("/tester/payments", json!({}))
        .await
        .error(404, "not_found");
    assert!(
        mock.anon().get("/openapi.json").await.ok()["paths"]
            .get("/tester/payments")
            .is_none()
    );
}

#[tokio::test]
async fn family_members_are_edited_and_removed() {
    let mock = Mock::start().await;
    let api = mock.account_for(&sample("Siti Rahayu")).await;
    let child = api
        .post("/v1/applicants", json!({"full_name": "Putri Santoso", "relationship": "child", "birth_date": "2015-02-14", "sex": "female", "marital_status": "single"}))
        .await
        .created();
    let id = child["id"].as_str().unwrap();
    let edited = api
        .put(&format!("/v1/applicants/{id}"), json!({"full_name": "Putri Santoso", "relationship": "child", "birth_date": "2015-02-14", "sex": "female", "marital_status": "single", "nik": "3174015402150004"}), Some(1))
        .await
        .ok();
    assert_eq!(
        (edited["version"].clone(), edited["nik"].clone()),
        (json!(2), json!("3174015402150004"))
    );
    api.put(&format!("/v1/applicants/{id}"), json!({"full_name": "", "relationship": "child", "birth_date": "2015-02-14", "sex": "female", "marital_status": "single"}), Some(2)).await.error(422, "validation_failed");
    api.put(&format!("/v1/applicants/{id}"), json!({"full_name": "Putri", "relationship": "holder", "birth_date": "2015-02-14", "sex": "female", "marital_status": "single"}), Some(2)).await.error(422, "validation_failed");
    api.request(
        reqwest::Method::DELETE,
        &format!("/v1/applicants/{id}"),
        None,
    )
    .await
    .expect(204);
    assert_eq!(api.get("/v1/applicants").await.ok()["total"], 1);
    api.request(
        reqwest::Method::DELETE,
        &format!("/v1/applicants/{id}"),
        None,
    )
    .await
    .error(404, "not_found");
}

#[tokio::test]
async fn the_logs_carry_no_password_token_otp_email_or_nik() {
    use std::sync::{Arc, Mutex};
    #[derive(Clone)]
    struct Buf(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Buf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buf = Buf(Arc::new(Mutex::new(Vec::new())));
    let writer = buf.clone();
    // No timestamps: their digits could match a six-digit OTP by chance.
    let subscriber = tracing_subscriber::fmt()
        .without_time()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    // Global, not per thread: a per-thread subscriber misses callsites that
    // other tests' threads registered first. Other tests' lines land here too.
    tracing::subscriber::set_global_default(subscriber).expect("only this test sets a subscriber");

    let mock = Mock::start().await;
    let budi = sample("Budi Santoso");
    let api = mock.account_for(&budi).await;
    api.post(
        "/v1/identity/nik-check",
        json!({"nik": budi.nik, "full_name": budi.full_name, "birth_date": budi.birth_date}),
    )
    .await
    .ok();
    api.draft_for(&budi, "kanim-bandung").await;
    api.get("/v1/nope?token=abc").await.error(404, "not_found");
    let otp = mock.last_otp(&format!("{}@example.com", budi.nik)).await;

    // The server's lines only: the test's own HTTP client logs the URLs it asks for.
    let logs: String = String::from_utf8(buf.0.lock().unwrap().clone())
        .unwrap()
        .lines()
        .filter(|l| !l.contains("reqwest") && !l.contains("hyper_util::client"))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        logs.contains("/v1/applications"),
        "requests are logged: {logs}"
    );
    for secret in [
        "paspor-baru-2026",
        api.token.as_str(),
        api.refresh.as_str(),
        otp.as_str(),
        budi.nik.as_str(),
        "example.com",
        "Santoso",
    ] {
        assert!(!logs.contains(secret), "{secret:?} is in the logs");
    }
}

// --- Tester tools: faults, journal, scenarios, reset, console ---

#[tokio::test]
async fn each_fault_kind_is_seen_by_a_real_client() {
    let mock = Mock::start().await;
    let tester = mock.tester();
    let budi = sample("Budi Santoso");
    let api = mock.account_for(&budi).await;
    let holder = api.holder_id().await;

    // Latency.
    tester
        .post(
            "/tester/faults",
            json!({"route": "/v1/fees", "latency_ms": 300, "times": 1}),
        )
        .await
        .created();
    let t = std::time::Instant::now();
    api.get("/v1/fees").await.ok();
    assert!(t.elapsed() >= std::time::Duration::from_millis(300));
    let t = std::time::Instant::now();
    api.get("/v1/fees").await.ok();
    assert!(
        t.elapsed() < std::time::Duration::from_millis(300),
        "times: 1 ran out"
    );

    // Errors: 503 injected_fault, or the status asked for.
    let rule = tester
        .post(
            "/tester/faults",
            json!({"route": "/v1/offices/**", "error_rate": 1.0}),
        )
        .await
        .created();
    api.get("/v1/offices/kanim-bandung/slots")
        .await
        .error(503, "injected_fault");
    tester
        .request(
            reqwest::Method::DELETE,
            &format!("/tester/faults/{}", rule["id"]),
            None,
        )
        .await
        .expect(204);
    tester
        .post(
            "/tester/faults",
            json!({"route": "/v1/places", "error_rate": 1.0, "status": 502, "times": 1}),
        )
        .await
        .created();
    api.get("/v1/places").await.error(502, "injected_fault");
    api.get("/v1/places").await.ok();

    // Drop the connection: the client gets no answer and nothing happened.
    tester.post("/tester/faults", json!({"route": "/v1/applications", "method": "POST", "drop_connection": true, "times": 1})).await.created();
    let draft = json!({"applicant_id": holder});
    let sent = api
        .http
        .post(format!("{}/v1/applications", api.base))
        .bearer_auth(&api.token)
        .json(&draft)
        .send()
        .await;
    assert!(sent.is_err(), "the connection was dropped");
    assert_eq!(api.get("/v1/applications").await.ok()["total"], 0);

    // Drop after commit: the client gets no answer, but the draft exists.
    tester.post("/tester/faults", json!({"route": "/v1/applications", "method": "POST", "drop_after_commit": true, "times": 1})).await.created();
    let sent = api
        .http
        .post(format!("{}/v1/applications", api.base))
        .bearer_auth(&api.token)
        .header("Idempotency-Key", "k1")
        .json(&draft)
        .send()
        .await;
    assert!(sent.is_err(), "the answer was dropped");
    assert_eq!(api.get("/v1/applications").await.ok()["total"], 1);
    // The retry with the same key gets the first answer, and nothing more is made.
    let again = api
        .post_keyed("/v1/applications", draft.clone(), "k1")
        .await
        .created();
    assert_eq!(api.get("/v1/applications").await.ok()["total"], 1);
    assert_eq!(
        api.get("/v1/applications").await.ok()["items"][0]["id"],
        again["id"]
    );

    // Listed, then cleared; tester routes themselves are never faulted.
    tester
        .post("/tester/faults", json!({"route": "/**", "error_rate": 1.0}))
        .await
        .created();
    assert_eq!(
        tester
            .get("/tester/faults")
            .await
            .ok()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    api.get("/v1/fees").await.error(503, "injected_fault");
    tester
        .request(reqwest::Method::DELETE, "/tester/faults", None)
        .await
        .expect(204);
    api.get("/v1/fees").await.ok();
    tester
        .post("/tester/faults", json!({"route": "no-slash"}))
        .await
        .error(422, "validation_failed");
    tester
        .post("/tester/faults", json!({"route": "/x", "error_rate": 2}))
        .await
        .error(422, "validation_failed");
    tester
        .post("/tester/faults", json!({"route": "/x", "share": -0.5}))
        .await
        .error(422, "validation_failed");

    // A share: a rule drawn for none of the requests leaves them to the next
    // matching rule; drawn for all, it takes every one.
    tester
        .post(
            "/tester/faults",
            json!({"route": "/v1/fees", "error_rate": 1.0, "status": 502, "share": 0.0}),
        )
        .await
        .created();
    tester
        .post(
            "/tester/faults",
            json!({"route": "/v1/**", "error_rate": 1.0, "share": 1.0}),
        )
        .await
        .created();
    for _ in 0..5 {
        api.get("/v1/fees").await.error(503, "injected_fault");
    }
    tester
        .request(reqwest::Method::DELETE, "/tester/faults", None)
        .await
        .expect(204);

    // The journal marks the injected ones, masks personal query values and keeps idempotency keys.
    mock.anon().get("/v1/offices?near=-6.2,106.8").await.ok();
    let journal = tester.get("/tester/requests?limit=100").await.ok();
    let entries = journal["items"].as_array().unwrap();
    let injected: Vec<_> = entries
        .iter()
        .filter(|e| e["injected_fault"] == true)
        .map(|e| e["fault"].as_str().unwrap())
        .collect();
    for kind in ["latency", "error", "drop_connection", "drop_after_commit"] {
        assert!(injected.contains(&kind), "{kind} in {injected:?}");
    }
    assert!(entries.iter().any(|e| e["path"] == "/v1/offices?near=***"));
    assert!(entries.iter().any(|e| e["idempotency_key"] == "k1"));
    assert!(
        entries
            .iter()
            .all(|e| e["status"].as_u64().unwrap() < 500 || e["injected_fault"] == true)
    );
    // The totals count what the journal lists, and would count past its bound.
    let totals = tester.get("/tester/requests/totals").await.ok();
    assert_eq!(totals["requests"].as_u64().unwrap() as usize, entries.len());
    assert_eq!(totals["server_errors_not_injected"], 0);
    assert_eq!(totals["by_status"]["502"], 1);
    assert_eq!(
        totals["injected"].as_u64().unwrap() as usize,
        entries
            .iter()
            .filter(|e| e["injected_fault"] == true)
            .count()
    );
}

#[tokio::test]
async fn each_scenario_sets_up_what_it_says() {
    let mock = Mock::start().await;
    let tester = mock.tester();
    tester
        .post("/tester/seed", json!({"scenario": "nonsense"}))
        .await
        .error(422, "validation_failed");

    // Quota nearly full at the Jakarta offices, and nowhere else.
    tester
        .post("/tester/seed", json!({"scenario": "quota_nearly_full"}))
        .await
        .ok();
    let slots = mock
        .anon()
        .get("/v1/offices/kanim-jakarta-pusat/slots?days=30")
        .await
        .ok();
    let left: Vec<u64> = slots["days"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["slots"].as_array().unwrap().iter())
        .map(|s| s["left"].as_u64().unwrap())
        .collect();
    assert!(!left.is_empty() && left.iter().all(|l| *l <= 1));
    assert!(left.iter().filter(|l| **l == 1).count() >= 3);
    let bandung = mock
        .anon()
        .get("/v1/offices/kanim-bandung/slots?days=7")
        .await
        .ok();
    assert!(
        bandung["days"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|d| d["slots"].as_array().unwrap().iter())
            .all(|s| s["left"] == s["capacity"])
    );

    // An applicant with an expired passport can log in and see it.
    let report = tester
        .post("/tester/seed", json!({"scenario": "expired_passport"}))
        .await
        .ok();
    let session = mock
        .anon()
        .post(
            "/v1/sessions",
            json!({"email": report["email"], "password": report["password"]}),
        )
        .await
        .created();
    let dewi = Client {
        token: session["access_token"].as_str().unwrap().to_owned(),
        ..mock.anon()
    };
    let holder = dewi.holder_id().await;
    let docs = dewi
        .get(&format!("/v1/applicants/{holder}/travel-documents"))
        .await
        .ok();
    assert_eq!(docs["items"][0]["status"], "expired");

    // Quota release: full now; the office's next release opens new days.
    tester.post("/tester/reset", json!({})).await.expect(204);
    let report = tester
        .post("/tester/seed", json!({"scenario": "quota_release"}))
        .await
        .ok();
    let free = |v: &Value| {
        v["days"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|d| d["slots"].as_array().unwrap().iter())
            .filter(|s| s["left"].as_u64().unwrap() > 0)
            .count()
    };
    assert_eq!(
        free(
            &mock
                .anon()
                .get("/v1/offices/kanim-jakarta-selatan/slots?days=30")
                .await
                .ok()
        ),
        0
    );
    tester
        .post("/tester/clock", json!({"set": report["release_at"]}))
        .await
        .ok();
    assert!(
        free(
            &mock
                .anon()
                .get("/v1/offices/kanim-jakarta-selatan/slots?days=30")
                .await
                .ok()
        ) > 0
    );

    // Empty (and reset) leave nothing behind but the registry.
    tester
        .post("/tester/seed", json!({"scenario": "empty"}))
        .await
        .ok();
    assert_eq!(mock.count("SELECT COUNT(*) FROM accounts"), 0);
    assert_eq!(mock.count("SELECT COUNT(*) FROM slot_bookings"), 0);
    assert!(mock.count("SELECT COUNT(*) FROM citizens") >= 1000);
    assert_eq!(tester.get("/tester/clock").await.ok()["offset_seconds"], 0);
    mock.account_for(&sample("Budi Santoso")).await;
    tester
        .post(
            "/tester/faults",
            json!({"route": "/v1/fees", "error_rate": 1.0}),
        )
        .await
        .created();
    tester.post("/tester/reset", json!({})).await.expect(204);
    assert_eq!(mock.count("SELECT COUNT(*) FROM accounts"), 0);
    assert!(
        tester
            .get("/tester/faults")
            .await
            .ok()
            .as_array()
            .unwrap()
            .is_empty()
    );
    let journal = tester.get("/tester/requests").await.ok();
    assert_eq!(journal["total"], 1, "only the reset itself: {journal}");
    assert_eq!(journal["items"][0]["path"], "/tester/reset");
    let console = reqwest::get(format!("{}/tester", mock.url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(console.contains("tester console"));
}

#[tokio::test]
async fn walk_in_days_are_served_by_office_and_near_a_place() {
    let mock = Mock::start().await;
    let anon = mock.anon();
    let page = anon
        .get("/v1/walk-ins?office=kanim-jakarta-selatan&days=28&limit=100")
        .await
        .ok();
    let days = page["items"].as_array().unwrap();
    let kinds = |kind: &str| days.iter().filter(|d| d["kind"] == kind).count();
    // The everyday lane on each open day (about 20 in four weeks), Paspor
    // Simpatik on the first and third Saturdays (one or two in any four
    // weeks), one outreach visit at a mall.
    assert!((15..=21).contains(&kinds("priority_lane")), "{page}");
    assert!((1..=3).contains(&kinds("paspor_simpatik")), "{page}");
    assert_eq!(kinds("eazy_passport"), 1);
    let visit = days.iter().find(|d| d["kind"] == "eazy_passport").unwrap();
    assert!(visit["venue"].as_str().unwrap().starts_with("Mal "));
    assert_eq!(visit["who"], json!(["everyone"]));
    let lane = days.iter().find(|d| d["kind"] == "priority_lane").unwrap();
    assert_eq!(
        lane["who"],
        json!(["over_60", "disabled", "under_5", "pregnant"])
    );
    assert!(days.iter().all(|d| d["zone"] == "WIB"));
    let dates: Vec<&str> = days.iter().map(|d| d["date"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "soonest first");
    // Near Denpasar: Bali's offices, in WITA.
    let near = anon.get("/v1/walk-ins?near=-8.65,115.22").await.ok();
    assert!(
        near["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["office_id"] == "kanim-denpasar" && d["zone"] == "WITA"),
        "{near}"
    );
    let far = anon.get("/v1/walk-ins?office=kanim-jayapura").await.ok();
    assert_eq!(far["items"][0]["zone"], "WIT");
    anon.get("/v1/walk-ins?days=0")
        .await
        .error(400, "bad_request");
    anon.get("/v1/walk-ins?office=kanim-nowhere")
        .await
        .error(404, "not_found");
}
