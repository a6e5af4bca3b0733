//! After submit: the inbox keeps every message from the feed (each shown as
//! a notification once, history on a new phone never), and a correction the
//! office asks for is fixed from the phone, just that field or document.

use super::support::*;
use super::{OFFICE, filed, photo, rini};
use mpaspor_core::StoreError;
use mpaspor_core::engine::{Preference, Said};
use mpaspor_domain::api::CorrectionState;
use mpaspor_domain::state::ApplicationState;
use mpaspor_domain::{DocumentKind, DraftField, DraftId};
use serde_json::json;
use std::time::Duration;

/// Submitted for a window some days on (a correction needs the day before
/// the appointment still ahead) and paid as a bank would.
pub async fn paid(w: &World, draft: &DraftId) -> mpaspor_domain::ApplicationId {
    let slots = w.api().office_slots(OFFICE, None, Some(30)).await.unwrap();
    let slot = slots
        .days
        .iter()
        .flat_map(|d| d.slots.iter())
        .rfind(|s| s.left > 0)
        .expect("a free slot")
        .id
        .clone();
    w.engine.submit(draft, &slot).unwrap();
    w.engine.sync().await.unwrap();
    let id = w.store().draft(draft).unwrap().server_id.unwrap();
    let payment = w.store().payment(&id).unwrap().expect("kept at submit");
    w.tester.pay(payment.billing_code.as_str(), true).await;
    id
}

/// Reads the feed until it has nothing more, then syncs (as `follow` does).
async fn told(w: &World) {
    while w.engine.follow_once(Duration::ZERO).await.unwrap() > 0 {}
    w.engine.sync().await.unwrap();
}

fn states(messages: &[mpaspor_core::engine::Message]) -> Vec<ApplicationState> {
    messages
        .iter()
        .rev()
        .filter_map(|m| match &m.said {
            Said::StateChanged(c) => Some(c.state),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn each_message_is_kept_notified_once_and_read() {
    let w = World::new().await;
    let draft = filed(&w, &rini(), "rini.inbox@example.com").await;
    let id = paid(&w, &draft).await;
    told(&w).await;

    let messages = w.engine.messages().unwrap();
    assert_eq!(
        states(&messages),
        [ApplicationState::AwaitingPayment, ApplicationState::Paid]
    );
    assert!(messages.iter().all(|m| *m.application() == id));
    assert_eq!(w.engine.unread_messages().unwrap(), 2);
    assert_eq!(w.engine.take_messages_to_notify().unwrap().len(), 2);
    assert!(
        w.engine.take_messages_to_notify().unwrap().is_empty(),
        "once each"
    );

    // The office moves it on; the phone hears and pulls the new state.
    w.tester.advance(&id, "interviewed").await;
    told(&w).await;
    let fresh = w.engine.take_messages_to_notify().unwrap();
    assert_eq!(states(&fresh), [ApplicationState::Interviewed]);
    let view = w.engine.application(&id).unwrap().unwrap();
    assert_eq!(view.app.state, ApplicationState::Interviewed);

    w.engine.mark_read(Some(fresh[0].seq)).unwrap();
    assert_eq!(w.engine.unread_messages().unwrap(), 2);
    w.engine.mark_read(None).unwrap();
    assert_eq!(w.engine.unread_messages().unwrap(), 0);
    assert!(w.engine.messages().unwrap().iter().all(|m| m.read));

    // Another phone signing in keeps the history, read, and pops nothing up.
    let (_dir, phone) = w.second_phone();
    phone
        .login("rini.inbox@example.com", "paspor-baru-2026")
        .await
        .unwrap();
    while phone.follow_once(Duration::ZERO).await.unwrap() > 0 {}
    assert_eq!(phone.messages().unwrap().len(), 3);
    assert_eq!(phone.unread_messages().unwrap(), 0);
    assert!(phone.take_messages_to_notify().unwrap().is_empty());
}

#[tokio::test]
async fn a_correction_is_fixed_from_the_phone_and_nothing_else_changes() {
    let w = World::new().await;
    let draft = filed(&w, &rini(), "rini.correction@example.com").await;
    let id = paid(&w, &draft).await;
    told(&w).await;
    let asks = format!("/tester/applications/{id}/corrections");
    w.tester
        .post(
            &asks,
            json!({"document": "family_card", "reason": "Foto buram"}),
        )
        .await;
    w.tester
        .post(
            &asks,
            json!({"field": "personal.address", "reason": "RT/RW kosong"}),
        )
        .await;

    // Before the phone hears of it, nothing of the submitted draft may change.
    assert!(matches!(
        w.store()
            .save_field(&draft, DraftField::Address, &json!("Jl. Baru 1")),
        Err(StoreError::Locked)
    ));
    told(&w).await;
    let asked: Vec<_> = w
        .engine
        .messages()
        .unwrap()
        .into_iter()
        .filter_map(|m| match m.said {
            Said::Correction(c) => Some(c),
            _ => None,
        })
        .collect();
    assert_eq!(asked.len(), 2);
    let view = w.engine.application(&id).unwrap().unwrap();
    assert_eq!(view.app.open_corrections().count(), 2);

    // Only what was asked.
    assert!(matches!(
        w.store()
            .save_field(&draft, DraftField::Occupation, &json!("Pilot")),
        Err(StoreError::Locked)
    ));
    assert!(matches!(
        w.store()
            .attach_document(&draft, DocumentKind::Ektp, &photo(70)),
        Err(StoreError::Locked)
    ));
    let address = json!("Jl. Melati No. 5, RT 003/RW 002, Tebet, Jakarta Selatan");
    w.engine
        .save_field(&draft, DraftField::Address, &address)
        .unwrap();
    w.store()
        .attach_document(&draft, DocumentKind::FamilyCard, &photo(71))
        .unwrap();
    w.engine.sync().await.unwrap();
    told(&w).await;

    let server = w.api().application(&id).await.unwrap();
    assert_eq!(server.state, ApplicationState::Paid);
    assert!(
        server
            .corrections
            .iter()
            .all(|c| c.state == CorrectionState::Fixed),
        "{:?}",
        server.corrections
    );
    assert_eq!(server.draft.personal.address.as_deref(), address.as_str());
    let local = w.engine.application(&id).unwrap().unwrap().app;
    assert_eq!(local.open_corrections().count(), 0);
    assert!(w.store().draft(&draft).unwrap().dirty.is_empty());
    assert_eq!(w.store().pending_count().unwrap(), 0);
}

#[tokio::test]
async fn the_language_chosen_reaches_the_accounts_emails() {
    let w = World::new().await;
    let draft = filed(&w, &rini(), "rini.language@example.com").await;
    w.engine.set_preference(Preference::Language, "en").unwrap();
    let id = paid(&w, &draft).await;
    let mail = w
        .tester
        .get("/tester/outbox?email=rini.language@example.com")
        .await;
    let subjects: Vec<&str> = mail["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["subject"].as_str().unwrap())
        .collect();
    assert!(
        subjects.contains(&"M-Paspor: Payment received"),
        "{subjects:?} for {id}"
    );
}
