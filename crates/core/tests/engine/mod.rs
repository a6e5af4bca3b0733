//! The engine against the real mock server: the whole journey, offline,
//! lost responses, token refresh, conflicts; crash safety and the plain-text
//! scan have their own files.

mod crash;
pub mod inbox;
mod pickup;
mod plaintext;
pub mod scan;
pub mod support;
mod watch;

use crate::photo::{card, jpeg, noisy};
use mpaspor_core::StoreError;
use mpaspor_core::photo::{PreparedPhoto, prepare};
use mpaspor_domain::api::{Citizen, NikCheckRequest, Relationship};
use mpaspor_domain::choice::Sex;
use mpaspor_domain::eligibility::DocumentKind;
use mpaspor_domain::state::ApplicationState;
use mpaspor_domain::{DraftField, DraftId};
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::*;

pub const OFFICE: &str = "kanim-jakarta-selatan";
pub const REQUIRED: [DocumentKind; 3] = [
    DocumentKind::Ektp,
    DocumentKind::FamilyCard,
    DocumentKind::BirthCertificate,
];

pub fn photo(seed: u64) -> PreparedPhoto {
    prepare(&jpeg(&noisy(card(1700, 1070), seed), 90)).unwrap()
}

pub fn rini() -> Citizen {
    citizen(
        "3273016203880007",
        "Rini Kartika",
        jiff::civil::date(1988, 3, 22),
        Sex::Female,
    )
}

/// The applicant's side up to a draft the server holds with every document:
/// sign up, the holder's NIK, a live NIK check, fields, photos, one sync.
pub async fn filed(w: &World, person: &Citizen, email: &str) -> DraftId {
    filed_with(w, person, email, "paspor-baru-2026", &[]).await
}

/// `filed`, with some fields typed differently after the usual ones.
pub async fn filed_with(
    w: &World,
    person: &Citizen,
    email: &str,
    password: &str,
    overrides: &[(DraftField, serde_json::Value)],
) -> DraftId {
    w.tester.add_citizen(person).await;
    w.sign_up(person, email, password).await;
    let holder = w.holder().await;
    w.store()
        .update_applicant(&holder, &input_of(person, Relationship::Holder))
        .unwrap();
    let check = w
        .api()
        .nik_check(&NikCheckRequest {
            nik: person.nik.clone(),
            full_name: person.full_name.clone(),
            birth_date: person.birth_date,
        })
        .await
        .unwrap();
    assert!(check.valid, "{}", check.message);
    let draft = w.store().new_draft(&holder).unwrap();
    for (field, value) in complete_draft_fields(person, OFFICE)
        .into_iter()
        .chain(overrides.iter().cloned())
    {
        w.store().save_field(&draft, field, &value).unwrap();
    }
    for (i, kind) in REQUIRED.into_iter().enumerate() {
        w.store()
            .attach_document(&draft, kind, &photo(i as u64))
            .unwrap();
    }
    let report = w.engine.sync().await.unwrap();
    assert!(!report.interrupted, "{report:?}");
    assert_eq!(w.store().pending_count().unwrap(), 0);
    draft
}

/// Rini's application, filed and submitted for the first free window:
/// answers the local draft and the server's id.
async fn filed_and_submitted(w: &World) -> (DraftId, mpaspor_domain::ApplicationId) {
    let draft = filed(w, &rini(), "rini.kartika@example.com").await;
    let slot = free_slot(w.api(), OFFICE, 0).await;
    w.engine.submit(&draft, &slot).unwrap();
    w.engine.sync().await.unwrap();
    let id = w.store().draft(&draft).unwrap().server_id.unwrap();
    (draft, id)
}

/// Submits, pays (the bank tells the treasury only), confirms with the NTPN.
pub async fn submitted_and_paid(w: &World, draft: &DraftId) -> mpaspor_domain::ApplicationId {
    let slot = free_slot(w.api(), OFFICE, 0).await;
    w.engine.submit(draft, &slot).unwrap();
    w.engine.sync().await.unwrap();
    let id = w.store().draft(draft).unwrap().server_id.unwrap();
    let payment = w.store().payment(&id).unwrap().expect("kept at submit");
    let ntpn = w.tester.pay(payment.billing_code.as_str(), false).await;
    w.engine
        .confirm_payment(draft, &mpaspor_domain::Ntpn::parse(&ntpn).unwrap())
        .unwrap();
    w.engine.sync().await.unwrap();
    id
}

#[tokio::test]
async fn the_whole_journey_through_the_engine() {
    let w = World::new().await;
    let person = rini();
    let draft = filed(&w, &person, "rini.kartika@example.com").await;

    // The server holds the draft with every field and the very bytes prepared here.
    let local = w.store().draft(&draft).unwrap();
    assert!(local.dirty.is_empty());
    let id = local.server_id.clone().unwrap();
    let server = w.api().application(&id).await.unwrap();
    assert_eq!(server.draft, local.body);
    assert_eq!(
        server.draft.personal.full_name.as_deref(),
        Some("Rini Kartika")
    );
    let docs = w.store().documents(&draft).unwrap();
    assert_eq!(docs.len(), 3);
    for doc in &docs {
        assert!(doc.uploaded);
        // The full picture left the phone; its sealed preview stays to be shown.
        let preview = w.store().document_thumbnail(&draft, doc.kind).unwrap();
        assert!(image::load_from_memory(&preview.unwrap()).is_ok());
        let there = server
            .documents
            .iter()
            .find(|d| d.kind == doc.kind)
            .unwrap();
        assert_eq!(there.sha256, doc.sha256);
    }

    // Submit: a held place and a 15-digit billing code due in two hours of server time.
    let slot = free_slot(w.api(), OFFICE, 0).await;
    w.engine.submit(&draft, &slot).unwrap();
    w.engine.sync().await.unwrap();
    let app = w.store().application(&id).unwrap().unwrap();
    assert_eq!(app.state, ApplicationState::AwaitingPayment);
    assert_eq!(app.appointment.as_ref().unwrap().slot_id, slot);
    let payment = w.store().payment(&id).unwrap().unwrap();
    assert_eq!(payment.billing_code.as_str().len(), 15);
    assert_eq!(
        payment.expires_at.duration_since(payment.issued_at),
        jiff::SignedDuration::from_hours(2)
    );
    let left = w.engine.time_to_pay(&payment);
    assert!(
        left > jiff::SignedDuration::from_mins(118) && left <= jiff::SignedDuration::from_hours(2)
    );
    assert!(matches!(
        w.store()
            .save_field(&draft, DraftField::Occupation, &json!("Guru")),
        Err(StoreError::Locked)
    ));

    // Paid at the bank, but the immigration side was not told: still pending...
    let ntpn = w.tester.pay(payment.billing_code.as_str(), false).await;
    w.engine.sync().await.unwrap();
    assert_eq!(
        w.store().application(&id).unwrap().unwrap().state,
        ApplicationState::AwaitingPayment
    );
    // ... until the applicant gives the NTPN from the receipt.
    w.engine
        .confirm_payment(&draft, &mpaspor_domain::Ntpn::parse(&ntpn).unwrap())
        .unwrap();
    w.engine.sync().await.unwrap();
    let app = w.store().application(&id).unwrap().unwrap();
    assert_eq!(app.state, ApplicationState::Paid);
    let payment = w.store().payment(&id).unwrap().unwrap();
    assert!(payment.paid);
    assert_eq!(payment.ntpn.unwrap().as_str(), ntpn);

    // The proof of application is kept for offline use, and its QR verifies.
    let receipt = w.store().receipt(&id).unwrap().expect("kept after payment");
    let key = w.api().receipt_key().await.unwrap();
    let claim = mpaspor_domain::proof::open(&receipt.qr_payload, &key).unwrap();
    assert_eq!(claim.application_id, id);
    assert_eq!(receipt.details.nik_last4, "0007");

    // Reschedule once; the second is refused and waits for the applicant.
    let later = free_slot(w.api(), OFFICE, 5).await;
    w.engine.reschedule(&draft, &later).unwrap();
    w.engine.sync().await.unwrap();
    let app = w.store().application(&id).unwrap().unwrap();
    assert_eq!(app.appointment.as_ref().unwrap().slot_id, later);
    assert_eq!(app.reschedules_used, 1);
    // The kept proof names the new day, and is the new appointment's.
    let receipt = w.store().receipt(&id).unwrap().unwrap();
    assert_eq!(receipt.details.date, app.appointment.as_ref().unwrap().date);
    assert_eq!(receipt.details.slot_id, later);
    assert_eq!(w.engine.receipt(&id).unwrap(), Some(receipt.clone()));
    // A doctored copy on the phone is never shown: its signature fails.
    let mut doctored = receipt.clone();
    doctored.qr_payload = doctored.qr_payload.replacen("MPASPOR1.", "MPASPOR1.e", 1);
    w.store().keep_receipt(&id, &doctored).unwrap();
    assert_eq!(w.engine.receipt(&id).unwrap(), None);
    w.store().keep_receipt(&id, &receipt).unwrap();
    let again = free_slot(w.api(), OFFICE, 9).await;
    w.engine.reschedule(&draft, &again).unwrap();
    let report = w.engine.sync().await.unwrap();
    assert_eq!(report.refused, 1);
    let status = w.engine.status().borrow().clone();
    assert_eq!((status.pending, status.failed), (0, 1));
    assert_eq!(status.last_error.unwrap().0, "error-reschedule_refused");
    let refused = &w.store().outbox().unwrap()[0];
    assert_eq!(refused.failed.as_ref().unwrap().0, "reschedule_refused");
    w.store().discard(refused.seq).unwrap();

    // Status changes at the office come down with the next sync.
    w.tester.advance(&id, "interviewed").await;
    w.engine.sync().await.unwrap();
    let app = w.store().application(&id).unwrap().unwrap();
    assert_eq!(app.state, ApplicationState::Interviewed);
    assert!(
        app.timeline
            .iter()
            .any(|t| t.state == ApplicationState::Paid)
    );
    assert_eq!(w.engine.status().borrow().failed, 0);
}

#[tokio::test]
async fn an_application_filed_on_another_phone_can_be_cancelled_here() {
    let w = World::new().await;
    let (_, id) = filed_and_submitted(&w).await;

    // The same account on a second phone: the application comes down with a
    // locked local draft, through which its actions go.
    let (_dir, other) = w.second_phone();
    other
        .api()
        .login("rini.kartika@example.com", "paspor-baru-2026")
        .await
        .unwrap();
    other.sync().await.unwrap();
    let here = other
        .store()
        .draft_for_server(&id)
        .unwrap()
        .expect("mirrored");
    assert!(other.store().draft(&here).unwrap().locked);
    assert!(other.store().payment(&id).unwrap().is_some());
    other.cancel(&here, false).unwrap();
    let report = other.sync().await.unwrap();
    assert_eq!(report.refused, 0, "{:?}", other.store().outbox().unwrap());
    assert_eq!(
        w.api().application(&id).await.unwrap().state,
        ApplicationState::Cancelled
    );
    // A second sync does not mirror it twice.
    other.sync().await.unwrap();
    assert_eq!(other.store().draft_for_server(&id).unwrap(), Some(here));
}

#[tokio::test]
async fn unpaid_in_two_hours_it_expires_and_starts_again_with_the_same_answers() {
    let w = World::new().await;
    let (draft, id) = filed_and_submitted(&w).await;
    w.tester.advance_clock(2 * 3600 + 1).await;
    w.engine.sync().await.unwrap();
    let app = w.store().application(&id).unwrap().unwrap();
    assert_eq!(app.state, ApplicationState::Expired);

    let again = w.store().copy_of_application(&app.draft).unwrap();
    let copy = w.store().draft(&again).unwrap();
    assert!(!copy.locked && copy.server_id.is_none());
    assert_eq!(copy.body, w.store().draft(&draft).unwrap().body);
    assert!(w.store().documents(&again).unwrap().is_empty());
}

#[tokio::test]
async fn offline_the_draft_still_fills_and_syncs_once_when_back() {
    let w = World::new().await;
    let person = rini();
    w.tester.add_citizen(&person).await;
    w.sign_up(&person, "rini.offline@example.com", "paspor-baru-2026")
        .await;
    let holder = w.holder().await;

    // Every applicant route fails from now on.
    w.tester
        .fault(json!({"route": "/v1/**", "error_rate": 1.0}))
        .await;
    let draft = w.store().new_draft(&holder).unwrap();
    for (field, value) in complete_draft_fields(&person, OFFICE) {
        w.store().save_field(&draft, field, &value).unwrap();
    }
    w.store()
        .save_field(&draft, DraftField::Occupation, &json!("Perawat"))
        .unwrap();
    let report = w.engine.sync().await.unwrap();
    assert!(report.interrupted);
    let status = w.engine.status().borrow().clone();
    assert_eq!(status.online, Some(false));
    assert_eq!(status.pending, 1);
    assert_eq!(status.last_error.unwrap().0, "error-injected_fault");
    // Several tries while offline change nothing on the server.
    for _ in 0..3 {
        w.engine.sync().await.unwrap();
    }
    w.store()
        .save_field(&draft, DraftField::Purpose, &json!("study"))
        .unwrap();

    w.tester.clear_faults().await;
    let report = w.engine.sync().await.unwrap();
    assert!(!report.interrupted);
    assert_eq!(w.engine.status().borrow().online, Some(true));
    let all = w.tester.applications().await;
    assert_eq!(all.len(), 1, "exactly one application on the server");
    assert_eq!(all[0].draft.personal.occupation.as_deref(), Some("Perawat"));
    assert_eq!(
        all[0].draft.purpose,
        Some(mpaspor_domain::choice::Purpose::Study)
    );
    assert!(w.store().draft(&draft).unwrap().dirty.is_empty());
}

#[tokio::test]
async fn lost_responses_after_commit_end_with_one_of_each() {
    let w = World::new().await;
    let person = rini();
    w.tester.add_citizen(&person).await;
    w.sign_up(&person, "rini.lost@example.com", "paspor-baru-2026")
        .await;
    let holder = w.holder().await;
    let draft = w.store().new_draft(&holder).unwrap();
    for (field, value) in complete_draft_fields(&person, OFFICE) {
        w.store().save_field(&draft, field, &value).unwrap();
    }
    for (i, kind) in REQUIRED.into_iter().enumerate() {
        w.store()
            .attach_document(&draft, kind, &photo(10 + i as u64))
            .unwrap();
    }
    // The server makes each change, then the client never hears (once per route).
    for (method, route) in [
        ("POST", "/v1/applications"),
        ("PUT", "/v1/applications/*/documents/*"),
        ("POST", "/v1/applications/*/submit"),
    ] {
        w.tester
            .fault(json!({"route": route, "method": method, "drop_after_commit": true, "times": 1}))
            .await;
    }
    w.engine.sync().await.unwrap();
    let slot = free_slot(w.api(), OFFICE, 0).await;
    let left_before = slot_left(&w, &slot).await;
    w.engine.submit(&draft, &slot).unwrap();
    w.engine.sync().await.unwrap();
    assert_eq!(w.store().pending_count().unwrap(), 0);

    let all = w.tester.applications().await;
    assert_eq!(all.len(), 1, "one application");
    assert_eq!(all[0].state, ApplicationState::AwaitingPayment);
    assert_eq!(
        all[0].documents.len(),
        3,
        "one stored document of each kind"
    );
    assert_eq!(slot_left(&w, &slot).await, left_before - 1, "one booking");
    // The journal shows each drop and the retry that carried the same key.
    let journal = w.tester.get("/tester/requests?limit=100").await;
    let submits: Vec<_> = journal["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["path"].as_str().unwrap().ends_with("/submit"))
        .collect();
    assert!(submits.len() >= 2, "dropped, then retried: {submits:?}");
    assert!(
        submits
            .iter()
            .all(|e| e["idempotency_key"] == submits[0]["idempotency_key"])
    );
}

#[tokio::test]
async fn an_answer_is_kept_while_the_next_operation_is_sent_even_if_sync_stops_there() {
    let w = World::new().await;
    let person = rini();
    let first = filed(&w, &person, "rini.overlap@example.com").await;
    let holder = w.holder().await;
    // Two operations on two drafts: the second draft's create, then a new
    // picture for the first. The create's answer is kept while the upload is
    // on its way; the upload is slow, and the sync is dropped during it.
    let second = w.store().new_draft(&holder).unwrap();
    let picture = photo(40);
    w.store()
        .attach_document(&first, DocumentKind::Ektp, &picture)
        .unwrap();
    w.tester
        .fault(json!({"route": "/v1/applications/*/documents/*", "method": "PUT", "latency_ms": 3000, "times": 1}))
        .await;
    let stopped = tokio::time::timeout(Duration::from_secs(1), w.engine.sync()).await;
    assert!(stopped.is_err(), "the upload was still on its way");
    let created = w.store().draft(&second).unwrap().server_id;
    assert!(created.is_some(), "the create's answer was kept");
    let left = w.store().outbox().unwrap();
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0].operation.kind(), "upload_document");

    w.tester.clear_faults().await;
    let report = w.engine.sync().await.unwrap();
    assert!(!report.interrupted, "{report:?}");
    assert_eq!(w.store().pending_count().unwrap(), 0);
    let all = w.tester.applications().await;
    assert_eq!(all.len(), 2, "the second draft was created once");
    let server_first = w.store().draft(&first).unwrap().server_id.unwrap();
    let on_server = all.iter().find(|a| a.id == server_first).unwrap();
    let ektp = on_server
        .documents
        .iter()
        .find(|d| d.kind == DocumentKind::Ektp)
        .unwrap();
    assert_eq!(
        ektp.sha256,
        mpaspor_core::documents::sha256_hex(&picture.jpeg)
    );
}

async fn slot_left(w: &World, slot: &str) -> u32 {
    let slots = w.api().office_slots(OFFICE, None, Some(30)).await.unwrap();
    slots
        .days
        .iter()
        .flat_map(|d| d.slots.iter())
        .find(|s| s.id == slot)
        .unwrap()
        .left
}

#[tokio::test]
async fn the_token_is_refreshed_when_the_server_clock_passes_its_expiry() {
    let w = World::new().await;
    let person = rini();
    w.tester.add_citizen(&person).await;
    w.sign_up(&person, "rini.refresh@example.com", "paspor-baru-2026")
        .await;
    let holder = w.holder().await;
    let before = w.api().session().unwrap();
    let draft = w.store().new_draft(&holder).unwrap();
    w.store()
        .save_field(&draft, DraftField::Service, &json!("reguler"))
        .unwrap();

    w.tester.advance_clock(16 * 60).await;
    let report = w.engine.sync().await.unwrap();
    assert!(!report.interrupted, "{report:?}");
    let after = w.api().session().unwrap();
    assert_ne!(after.access_token, before.access_token);
    assert_ne!(after.refresh_token, before.refresh_token);
    assert_eq!(
        w.secrets
            .session(w.api().base_url())
            .unwrap()
            .unwrap()
            .refresh_token,
        after.refresh_token,
        "the rotated tokens are in the keystore"
    );
    // The server's clock, not the phone's, is what the client counts with.
    let skew = w.api().server_now().duration_since(jiff::Timestamp::now());
    assert!(skew > jiff::SignedDuration::from_mins(15), "{skew:?}");
    assert_eq!(w.tester.applications().await.len(), 1);
}

#[tokio::test]
async fn a_conflict_keeps_the_fields_changed_here_and_takes_the_rest() {
    let w = World::new().await;
    let person = rini();
    let draft = filed(&w, &person, "rini.conflict@example.com").await;
    let id = w.store().draft(&draft).unwrap().server_id.unwrap();

    // Another phone changes the occupation and the phone number on the server.
    let mut theirs = w.api().application(&id).await.unwrap();
    theirs.draft.personal.occupation = Some("Dosen".into());
    theirs.draft.personal.phone = Some("081311112222".into());
    w.api()
        .update_application(&id, theirs.version, &theirs.draft)
        .await
        .unwrap();
    // This phone, not yet aware, changes the phone number and the address.
    w.store()
        .save_field(&draft, DraftField::Phone, &json!("081355556666"))
        .unwrap();
    w.store()
        .save_field(&draft, DraftField::Address, &json!("Jalan Baru 9, Bandung"))
        .unwrap();
    w.engine.sync().await.unwrap();

    let server = w.api().application(&id).await.unwrap();
    let p = &server.draft.personal;
    assert_eq!(
        p.occupation.as_deref(),
        Some("Dosen"),
        "theirs, untouched here"
    );
    assert_eq!(p.phone.as_deref(), Some("081355556666"), "ours wins");
    assert_eq!(p.address.as_deref(), Some("Jalan Baru 9, Bandung"));
    let local = w.store().draft(&draft).unwrap();
    assert_eq!(local.body, server.draft);
    assert!(local.dirty.is_empty());
}

#[tokio::test]
async fn an_upload_reports_its_progress() {
    let w = World::new().await;
    let person = rini();
    let draft = filed(&w, &person, "rini.progress@example.com").await;
    let id = w.store().draft(&draft).unwrap().server_id.unwrap();
    let bytes = photo(77).jpeg;
    let seen: Arc<Mutex<Vec<(u64, u64)>>> = Arc::default();
    let record = seen.clone();
    let info = w
        .api()
        .upload_document(
            &id,
            DocumentKind::Ektp,
            bytes.clone().into(),
            "image/jpeg",
            Some(Arc::new(move |sent, total| {
                record.lock().unwrap().push((sent, total))
            })),
        )
        .await
        .unwrap();
    assert_eq!(info.bytes, bytes.len() as u64);
    let seen = seen.lock().unwrap();
    let total = bytes.len() as u64;
    assert!(seen.len() > 3, "{seen:?}");
    assert!(seen.iter().all(|(_, t)| *t == total));
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0));
    assert_eq!(seen.first().unwrap().0, 0);
    assert_eq!(seen.last().unwrap().0, total);
}

#[tokio::test]
async fn a_refused_value_is_a_clear_error_and_loses_nothing() {
    let w = World::new().await;
    let person = rini();
    w.tester.add_citizen(&person).await;
    w.sign_up(&person, "rini.bad@example.com", "paspor-baru-2026")
        .await;
    let holder = w.holder().await;
    let draft = w.store().new_draft(&holder).unwrap();
    w.store()
        .save_field(&draft, DraftField::PassportType, &json!("elektronik"))
        .unwrap();
    let err = w
        .store()
        .save_field(&draft, DraftField::PassportType, &json!("hologram"))
        .unwrap_err();
    assert_eq!(err.key(), "store-error-bad-value");
    assert_eq!(
        w.store().field(&draft, DraftField::PassportType).unwrap(),
        Some(json!("elektronik"))
    );
    // A NIK that does not match the registry is refused by the server, not silently kept.
    let check = w
        .api()
        .nik_check(&NikCheckRequest {
            nik: person.nik.clone(),
            full_name: "Orang Lain".into(),
            birth_date: person.birth_date,
        })
        .await
        .unwrap();
    assert!(!check.valid);
    // Wrong password: a typed error with its translation key.
    let err = w
        .api()
        .login("rini.bad@example.com", "salah12345")
        .await
        .unwrap_err();
    assert_eq!(err.key(), "error-invalid_credentials");
}

#[tokio::test]
async fn reference_data_opens_offline_from_the_last_copy() {
    let w = World::new().await;
    let fees = w.engine.fees().await.unwrap().expect("fetched");
    let offices = w.engine.offices().await.unwrap().expect("fetched");
    assert!(offices.len() >= 40, "every page: {}", offices.len());
    w.tester
        .fault(json!({"route": "/v1/**", "drop_connection": true}))
        .await;
    assert_eq!(w.engine.fees().await.unwrap(), Some(fees));
    assert_eq!(w.engine.offices().await.unwrap(), Some(offices));
}

#[tokio::test]
async fn only_repeatable_requests_are_retried_and_slow_answers_time_out() {
    let w = World::new().await;
    let person = rini();
    w.tester.add_citizen(&person).await;
    w.sign_up(&person, "rini.retry@example.com", "paspor-baru-2026")
        .await;
    let journal_count = |path: &'static str| {
        let tester = &w.tester;
        async move {
            let page = tester.get("/tester/requests?limit=100").await;
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["path"] == path)
                .count()
        }
    };
    // Two failures, then an answer: a GET gets there.
    w.tester
        .fault(json!({"route": "/v1/fees", "status": 503, "error_rate": 1.0, "times": 2}))
        .await;
    w.api().fees().await.unwrap();
    assert_eq!(journal_count("/v1/fees").await, 3);
    // A login (a POST without a key) is tried once and the error is the server's.
    let logins = journal_count("/v1/sessions").await;
    w.tester
        .fault(json!({"route": "/v1/sessions", "status": 503, "error_rate": 1.0, "times": 1}))
        .await;
    let err = w
        .api()
        .login("rini.retry@example.com", "paspor-baru-2026")
        .await
        .unwrap_err();
    assert_eq!(err.key(), "error-injected_fault");
    assert!(err.is_transient());
    assert_eq!(
        journal_count("/v1/sessions").await,
        logins + 1,
        "not retried"
    );
    // Slower than the client waits: a timeout, tried as often as the policy allows.
    w.tester.clear_faults().await;
    w.tester
        .fault(json!({"route": "/v1/places", "latency_ms": 1500}))
        .await;
    let mut config = fast(w.api().base_url());
    config.timeout = std::time::Duration::from_millis(300);
    config.retry.attempts = 2;
    let impatient = mpaspor_core::Api::new(config, mpaspor_core::Secrets::in_memory()).unwrap();
    let err = impatient
        .places("Bandung", Default::default())
        .await
        .unwrap_err();
    assert!(matches!(err, mpaspor_core::ApiError::Timeout), "{err:?}");
    assert_eq!(err.key(), "error-timeout");
}

#[tokio::test]
async fn family_members_up_to_five_added_changed_and_removed_through_sync() {
    let w = World::new().await;
    let person = rini();
    w.tester.add_citizen(&person).await;
    w.sign_up(&person, "rini.family@example.com", "paspor-baru-2026")
        .await;
    let holder = w.holder().await;
    let mut family = Vec::new();
    for (i, name) in ["Adi", "Bayu", "Citra", "Dian"].into_iter().enumerate() {
        let mut input = input_of(&person, Relationship::Child);
        input.full_name = format!("{name} Kartika");
        input.birth_date = jiff::civil::date(2012 + i as i16, 1, 10);
        input.nik = None;
        family.push(w.store().add_applicant(&input).unwrap());
    }
    let mut sixth = input_of(&person, Relationship::Sibling);
    sixth.nik = None;
    assert!(matches!(
        w.store().add_applicant(&sixth),
        Err(StoreError::ApplicantLimit(5))
    ));
    assert!(matches!(
        w.store().remove_applicant(&holder),
        Err(StoreError::HolderStays)
    ));
    w.engine.sync().await.unwrap();
    assert_eq!(
        w.api().applicants(Default::default()).await.unwrap().total,
        5
    );

    // A rename, and a removal (one synced, one never sent).
    let mut adi = w.store().applicant(&family[0]).unwrap().input;
    adi.full_name = "Adi Pratama".into();
    w.store().update_applicant(&family[0], &adi).unwrap();
    w.store().remove_applicant(&family[1]).unwrap();
    let mut late = input_of(&person, Relationship::Spouse);
    late.nik = None;
    let never_sent = w.store().add_applicant(&late).unwrap();
    w.store().remove_applicant(&never_sent).unwrap();
    w.engine.sync().await.unwrap();

    let server = w.api().applicants(Default::default()).await.unwrap();
    let names: Vec<&str> = server
        .items
        .iter()
        .map(|a| a.input.full_name.as_str())
        .collect();
    assert_eq!(server.total, 4, "{names:?}");
    assert!(names.contains(&"Adi Pratama"));
    assert!(!names.contains(&"Bayu Kartika"));
    assert_eq!(w.store().applicants().unwrap().len(), 4);
    assert_eq!(w.store().pending_count().unwrap(), 0);
}

#[tokio::test]
async fn the_passports_already_issued_come_down_and_open_offline() {
    let w = World::new().await;
    w.tester
        .post("/tester/seed", json!({"scenario": "expired_passport"}))
        .await;
    w.api()
        .login("dewi.lestari@example.com", "paspor-baru-2026")
        .await
        .unwrap();
    let dewi = w.holder().await;
    assert_eq!(
        w.store().travel_documents(&dewi).unwrap(),
        None,
        "never asked"
    );
    let found = w.engine.travel_documents(&dewi).await.unwrap().unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].number.as_str(), "C1234567");
    assert_eq!(
        found[0].status,
        mpaspor_domain::api::TravelDocumentStatus::Expired
    );
    // Offline, the kept copy answers.
    w.tester
        .fault(json!({"route": "/v1/**", "drop_connection": true}))
        .await;
    assert_eq!(w.engine.travel_documents(&dewi).await.unwrap(), Some(found));
    // A person the server does not know yet has nothing to show.
    let child = w
        .store()
        .add_applicant(&input_of(
            &citizen(
                "3174015708150002",
                "Putri Lestari",
                jiff::civil::date(2015, 8, 17),
                Sex::Female,
            ),
            Relationship::Child,
        ))
        .unwrap();
    assert_eq!(w.engine.travel_documents(&child).await.unwrap(), None);
}

#[tokio::test]
async fn a_typed_place_finds_the_nearest_offices_and_their_earliest_times() {
    let w = World::new().await;
    let near = w
        .engine
        .find_offices("Bandung", Some(mpaspor_domain::PassportType::Elektronik))
        .await
        .unwrap();
    let by_name = w.engine.find_offices("Ngurah Rai", None).await;
    assert!(near.place.unwrap().contains("Bandung"));
    let km: Vec<f64> = near
        .offices
        .iter()
        .map(|o| o.distance_km.unwrap())
        .collect();
    assert!(km.windows(2).all(|w| w[0] <= w[1]), "nearest first: {km:?}");
    assert!(
        near.offices[0].city.contains("Bandung"),
        "{:?}",
        near.offices[0]
    );
    assert!(!near.earliest.is_empty());
    assert!(near.earliest.iter().all(|e| e.slot.left > 0));
    // The walk-in days near it: Bandung's own among them, soonest first.
    assert!(
        near.walk_ins.iter().any(|d| d.office_id == "kanim-bandung"),
        "{:?}",
        near.walk_ins
    );
    let dates: Vec<_> = near.walk_ins.iter().map(|d| d.date).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]));
    // A name that is no place searches the offices by name.
    let by_name = by_name.unwrap();
    assert!(by_name.place.is_none());
    assert!(
        by_name
            .offices
            .iter()
            .all(|o| o.name.contains("Ngurah Rai")),
        "{:?}",
        by_name.offices.iter().map(|o| &o.name).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn the_dukcapil_check_says_why_a_person_does_not_match() {
    let w = World::new().await;
    let budi = citizen(
        "3174011505900001",
        "Budi Santoso",
        jiff::civil::date(1990, 5, 15),
        Sex::Male,
    );
    w.sign_up(&budi, "budi.nik@example.com", "paspor-baru-2026")
        .await;
    let mut d = mpaspor_domain::api::ApplicationDraft::default();
    d.personal.nik = Some("3174011505900001".into());
    d.personal.full_name = Some("Budi Santoso".into());
    d.personal.birth_date = Some(jiff::civil::date(1990, 5, 15));
    assert_eq!(w.engine.check_identity(&d).await.unwrap(), None);
    d.personal.full_name = Some("Budi Setiawan".into());
    assert_eq!(
        w.engine.check_identity(&d).await.unwrap().as_deref(),
        Some("nik-check-no_match")
    );
    d.personal.birth_date = None;
    assert_eq!(
        w.engine.check_identity(&d).await.unwrap().as_deref(),
        Some("nik-check-incomplete")
    );
}

/// The API address could be changed with the session signed in, and its
/// tokens then went to the new server (a phishing path). They are bound to
/// the server that issued them now.
#[tokio::test]
async fn a_session_is_never_sent_to_another_server() {
    let w = World::new().await;
    let person = rini();
    w.tester.add_citizen(&person).await;
    w.sign_up(&person, "rini.bound@example.com", "paspor-baru-2026")
        .await;
    let here = w.api().base_url().to_owned();
    assert!(w.secrets.session(&here).unwrap().is_some());
    // The same keystore, an app pointed elsewhere: no session, and the kept
    // one is gone (signed out, not carried over).
    let elsewhere = mpaspor_core::Api::new(fast("http://127.0.0.1:9"), w.secrets.clone()).unwrap();
    assert!(elsewhere.session().is_none());
    assert!(w.secrets.session(&here).unwrap().is_none());
}

/// A family member removed while the server was still making them came
/// back at the next pull. Now the server's record is removed too.
#[tokio::test]
async fn a_family_member_removed_while_being_made_does_not_come_back() {
    let w = Arc::new(World::new().await);
    let person = rini();
    w.tester.add_citizen(&person).await;
    w.sign_up(&person, "rini.inflight@example.com", "paspor-baru-2026")
        .await;
    w.holder().await;
    let mut late = input_of(&person, Relationship::Child);
    late.full_name = "Anak Sebentar".into();
    late.birth_date = jiff::civil::date(2016, 1, 10);
    late.nik = None;
    let child = w.store().add_applicant(&late).unwrap();
    // The server takes its time making them; meanwhile they are removed here.
    w.tester
        .fault(json!({"route": "/v1/applicants", "method": "POST", "latency_ms": 800, "times": 1}))
        .await;
    let syncing = tokio::spawn({
        let w = w.clone();
        async move { w.engine.sync().await.unwrap() }
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    w.store().remove_applicant(&child).unwrap();
    syncing.await.unwrap();
    w.engine.sync().await.unwrap();
    w.engine.sync().await.unwrap();
    let names: Vec<String> = w
        .store()
        .applicants()
        .unwrap()
        .into_iter()
        .map(|a| a.input.full_name)
        .collect();
    assert_eq!(names, vec![person.full_name.clone()]);
    let server = w.api().applicants(Default::default()).await.unwrap();
    assert_eq!(server.total, 1, "{server:?}");
}

/// An outbox row damaged on the disk blocked every later operation; it is
/// set aside now, the rest goes out, and the applicant is told (the home
/// screen's `set-aside` note reads this count).
#[tokio::test]
async fn a_damaged_outbox_row_is_set_aside_and_reported() {
    let w = World::new().await;
    let person = rini();
    w.tester.add_citizen(&person).await;
    w.sign_up(&person, "rini.damaged@example.com", "paspor-baru-2026")
        .await;
    let holder = w.holder().await;
    rusqlite::Connection::open(w.db_path())
        .unwrap()
        .execute(
            "INSERT INTO outbox (kind, target, sealed, idempotency_key, created_at)
             VALUES ('submit', 'a-draft', x'', 'k-damaged', '2026-12-07T00:00:00Z')",
            [],
        )
        .unwrap();
    let draft = w.store().new_draft(&holder).unwrap();
    let report = w.engine.sync().await.unwrap();
    assert!(!report.interrupted, "{report:?}");
    let status = w.engine.status().borrow().clone();
    assert_eq!((status.pending, status.set_aside), (0, 1), "{status:?}");
    assert!(w.store().draft(&draft).unwrap().server_id.is_some());
}
