//! After submit: every change is a message (the feed and an email in the
//! account's language), and the office's corrections, fixed without paying
//! again or losing the appointment.

use crate::support::*;
use mpaspor_domain::api::Citizen;
use serde_json::{Value, json};

const OFFICE: &str = "kanim-jakarta-selatan";

/// A paid application for `person` whose appointment is the farthest free
/// window (well after tomorrow): the account, the application's id.
async fn paid(mock: &Mock, person: &Citizen) -> (Client, String) {
    let api = mock.account_for(person).await;
    let id = api.ready_draft(person, OFFICE).await;
    let slot = api.free_slots(OFFICE).await.pop().unwrap();
    let code = api.submit(&id, &slot).await.created()["payment"]["billing_code"].clone();
    mock.tester()
        .post("/tester/payments", json!({"billing_code": code}))
        .await
        .created();
    (api, id)
}

fn subjects(outbox: &[Value]) -> Vec<String> {
    outbox
        .iter()
        .map(|e| e["subject"].as_str().unwrap().to_owned())
        .collect()
}

async fn feed(api: &Client) -> Vec<Value> {
    api.get("/v1/events?after=0").await.ok()["events"]
        .as_array()
        .unwrap()
        .clone()
}

async fn advance(mock: &Mock, id: &str, to: &str) {
    mock.tester()
        .post(
            &format!("/tester/applications/{id}/advance"),
            json!({"to": to}),
        )
        .await
        .ok();
}

#[tokio::test]
async fn every_change_is_on_the_feed_and_emailed_in_the_accounts_language() {
    let mock = Mock::start().await;
    let budi = sample("Budi Santoso");
    let (api, id) = paid(&mock, &budi).await;
    let email = format!("{}@example.com", budi.nik);

    let sent = subjects(&mock.outbox(&email).await);
    assert!(
        sent.contains(&"M-Paspor: Kode billing terbit".to_owned()),
        "{sent:?}"
    );
    assert!(
        sent.contains(&"M-Paspor: Pembayaran diterima".to_owned()),
        "{sent:?}"
    );

    // From now on in English.
    let account = api
        .request(
            reqwest::Method::PUT,
            "/v1/accounts/current/language",
            Some(json!({"language": "en"})),
        )
        .await
        .ok();
    assert_eq!(account["language"], "en");
    for to in ["interviewed", "approved", "printed", "ready", "collected"] {
        advance(&mock, &id, to).await;
    }
    let outbox = mock.outbox(&email).await;
    let sent = subjects(&outbox);
    for subject in [
        "M-Paspor: Interview done",
        "M-Paspor: Application approved",
        "M-Paspor: Passport printed",
        "M-Paspor: Passport ready to collect",
        "M-Paspor: Passport collected",
    ] {
        assert!(sent.contains(&subject.to_owned()), "{subject} in {sent:?}");
    }
    let ready = outbox
        .iter()
        .find(|e| e["subject"] == "M-Paspor: Passport ready to collect")
        .unwrap();
    let body = ready["body"].as_str().unwrap();
    assert!(
        body.contains(&budi.full_name) && body.contains("Jakarta Selatan"),
        "{body}"
    );
    assert!(body.contains("power of attorney"), "{body}");

    let states: Vec<Value> = feed(&api)
        .await
        .iter()
        .filter(|e| e["kind"] == "application_changed")
        .map(|e| e["application_changed"]["state"].clone())
        .collect();
    assert_eq!(
        states,
        [
            "awaiting_payment",
            "paid",
            "interviewed",
            "approved",
            "printed",
            "ready_for_pickup",
            "collected"
        ]
        .map(Value::from)
    );

    // A language the API does not speak is refused, and nothing changes.
    api.request(
        reqwest::Method::PUT,
        "/v1/accounts/current/language",
        Some(json!({"language": "fr"})),
    )
    .await
    .error(422, "validation_failed");
    mock.anon()
        .request(
            reqwest::Method::PUT,
            "/v1/accounts/current/language",
            Some(json!({"language": "id"})),
        )
        .await
        .error(401, "unauthorized");
}

#[tokio::test]
async fn a_correction_is_fixed_without_paying_again_or_losing_the_appointment() {
    let mock = Mock::start().await;
    let budi = sample("Budi Santoso");
    let (api, id) = paid(&mock, &budi).await;
    let before = api.get(&format!("/v1/applications/{id}")).await.ok();
    let payment = api
        .get(&format!("/v1/applications/{id}/payment"))
        .await
        .ok();
    let asks = format!("/tester/applications/{id}/corrections");

    // The office asks for the family card again.
    let asked = mock
        .tester()
        .post(
            &asks,
            json!({"document": "family_card", "reason": "Foto buram, nomor KK tidak terbaca"}),
        )
        .await
        .created();
    assert_eq!(asked["state"], "open");
    let events = feed(&api).await;
    let told = events.iter().find(|e| e["kind"] == "correction").unwrap();
    assert_eq!(told["correction"]["id"], asked["id"]);
    let email = format!("{}@example.com", budi.nik);
    let letter = mock.outbox(&email).await;
    let letter = letter
        .iter()
        .find(|e| e["subject"] == "M-Paspor: Kantor meminta perbaikan")
        .unwrap();
    assert!(
        letter["body"]
            .as_str()
            .unwrap()
            .contains("nomor KK tidak terbaca")
    );

    // The same open correction again, and two at once, are refused.
    mock.tester()
        .post(&asks, json!({"document": "family_card", "reason": "lagi"}))
        .await
        .error(409, "correction_refused");
    mock.tester()
        .post(
            &asks,
            json!({"document": "family_card", "field": "personal.address", "reason": "x"}),
        )
        .await
        .error(422, "validation_failed");
    // What the civil registry vouches for is not asked again.
    mock.tester()
        .post(&asks, json!({"field": "personal.nik", "reason": "salah"}))
        .await
        .error(422, "validation_failed");

    // Only the asked document may change, and not to the same image.
    let docs = format!("/v1/applications/{id}/documents");
    api.put_bytes(&format!("{docs}/ektp"), jpeg(120, 80))
        .await
        .error(409, "not_editable");
    api.put_bytes(&format!("{docs}/family_card"), jpeg(96, 64))
        .await
        .error(422, "document_rejected");
    let stranger = mock.account_for(&sample("Siti Rahayu")).await;
    stranger
        .put_bytes(&format!("{docs}/family_card"), jpeg(120, 80))
        .await
        .error(404, "not_found");
    api.put_bytes(&format!("{docs}/family_card"), jpeg(120, 80))
        .await
        .ok();

    let after = api.get(&format!("/v1/applications/{id}")).await.ok();
    assert_eq!(after["state"], "paid");
    assert_eq!(after["appointment"], before["appointment"]);
    assert_eq!(after["corrections"][0]["state"], "fixed");
    assert_eq!(
        api.get(&format!("/v1/applications/{id}/payment"))
            .await
            .ok()["billing_code"],
        payment["billing_code"]
    );
    assert!(
        subjects(&mock.outbox(&email).await).contains(&"M-Paspor: Perbaikan diterima".to_owned())
    );

    // A field: only it may change, to something not empty.
    mock.tester()
        .post(
            &asks,
            json!({"field": "personal.address", "reason": "RT/RW tidak ada"}),
        )
        .await
        .created();
    let current = api.get(&format!("/v1/applications/{id}")).await.ok();
    let version = current["version"].as_u64().unwrap();
    let mut draft = current["draft"].clone();
    draft["personal"]["address"] = json!("Jl. Melati No. 5, RT 003/RW 002, Tebet");
    draft["personal"]["occupation"] = json!("Pilot");
    api.put(
        &format!("/v1/applications/{id}"),
        draft.clone(),
        Some(version),
    )
    .await
    .error(409, "not_editable");
    draft["personal"]["occupation"] = current["draft"]["personal"]["occupation"].clone();
    let mut empty = draft.clone();
    empty["personal"]["address"] = json!("  ");
    api.put(&format!("/v1/applications/{id}"), empty, Some(version))
        .await
        .error(422, "validation_failed");
    let fixed = api
        .put(
            &format!("/v1/applications/{id}"),
            draft.clone(),
            Some(version),
        )
        .await
        .ok();
    assert_eq!(
        fixed["draft"]["personal"]["address"],
        draft["personal"]["address"]
    );
    assert_eq!(fixed["corrections"][1]["state"], "fixed");
    assert_eq!(fixed["state"], "paid");
    // Fixed, it is closed again.
    draft["personal"]["address"] = json!("Jl. Lain No. 1");
    api.put(
        &format!("/v1/applications/{id}"),
        draft,
        fixed["version"].as_u64(),
    )
    .await
    .error(409, "not_editable");
}

#[tokio::test]
async fn an_unfixed_correction_lapses_at_its_deadline_and_the_applicant_is_told_what_follows() {
    let mock = Mock::start().await;
    let budi = sample("Budi Santoso");
    let (api, id) = paid(&mock, &budi).await;
    let now = mock.tester().get("/tester/clock").await.ok()["now"]
        .as_str()
        .unwrap()
        .parse::<jiff::Timestamp>()
        .unwrap();
    let due = now + jiff::SignedDuration::from_hours(3);
    let asks = format!("/tester/applications/{id}/corrections");
    // A deadline past the day before the appointment is refused.
    mock.tester()
        .post(&asks, json!({"field": "personal.mother_name", "reason": "x", "due_at": now + jiff::SignedDuration::from_hours(24 * 60)}))
        .await
        .error(422, "validation_failed");
    mock.tester()
        .post(&asks, json!({"field": "personal.mother_name", "reason": "Nama ibu berbeda dengan akta", "due_at": due}))
        .await
        .created();
    mock.tester()
        .post("/tester/clock", json!({"advance_seconds": 4 * 3600}))
        .await
        .ok();
    let mut api = api;
    api.refresh_tokens().await;
    let app = api.get(&format!("/v1/applications/{id}")).await.ok();
    assert_eq!(app["corrections"][0]["state"], "lapsed");
    assert_eq!(app["state"], "paid", "the appointment stays");
    let email = format!("{}@example.com", budi.nik);
    let outbox = mock.outbox(&email).await;
    let lapsed = outbox
        .iter()
        .find(|e| e["subject"] == "M-Paspor: Batas perbaikan terlewat")
        .unwrap();
    assert!(
        lapsed["body"]
            .as_str()
            .unwrap()
            .contains("Bawa dokumen asli")
    );
    let kinds: Vec<Value> = feed(&api).await.iter().map(|e| e["kind"].clone()).collect();
    assert_eq!(
        kinds.iter().filter(|k| *k == "correction").count(),
        2,
        "{kinds:?}"
    );

    // Unpaid, or checked in already: nothing to ask.
    advance(&mock, &id, "interviewed").await;
    mock.tester()
        .post(&asks, json!({"document": "ektp", "reason": "x"}))
        .await
        .error(409, "correction_refused");
}
