//! The store as a whole: forgetting everything, and a file whose key is lost.
//! (Here, not beside `store.rs`: they go through the drafts, the people and
//! the outbox too, which sit above the store.)

use mpaspor_core::Secrets;
use mpaspor_core::crypto::DataKey;
use mpaspor_core::store::{Opened, Store};

#[test]
fn forgetting_everything_keeps_only_the_preferences_and_leaves_no_trace_in_the_file() {
    use mpaspor_domain::api::{ApplicantInput, Relationship};
    use mpaspor_domain::choice::{MaritalStatus, Sex};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mpaspor.sqlite");
    let store = Store::open(&path, DataKey::generate().0).unwrap();
    let person = store
        .add_applicant(&ApplicantInput {
            full_name: "Budi Santoso".into(),
            relationship: Relationship::Holder,
            birth_date: jiff::civil::date(1990, 5, 15),
            sex: Sex::Male,
            marital_status: MaritalStatus::Married,
            nik: None,
        })
        .unwrap();
    let draft = store.new_draft(&person).unwrap();
    store
        .save_field(
            &draft,
            mpaspor_domain::DraftField::Service,
            &serde_json::json!("reguler"),
        )
        .unwrap();
    store.set_setting("language", "en").unwrap();
    store
        .set_setting("api_address", "https://mock.example")
        .unwrap();
    store
        .set_setting(&format!("seen:{draft}"), "a-note")
        .unwrap();
    store
        .choose_slot(&draft, &"kanim-bandung.20270104.0800".into())
        .unwrap();
    store.note_notified(&format!("{draft}:pay")).unwrap();
    store.forget_everything().unwrap();

    assert!(store.applicants().unwrap().is_empty());
    assert!(store.drafts().unwrap().is_empty());
    assert!(store.outbox().unwrap().is_empty());
    assert_eq!(store.setting("language").unwrap().as_deref(), Some("en"));
    assert_eq!(store.setting("api_address").unwrap(), None);
    assert_eq!(store.setting(&format!("seen:{draft}")).unwrap(), None);
    assert!(!store.was_notified(&format!("{draft}:pay")).unwrap());
    // Not even the plain ids are left in the file or its WAL.
    for file in ["mpaspor.sqlite", "mpaspor.sqlite-wal"] {
        let bytes = std::fs::read(dir.path().join(file)).unwrap_or_default();
        for id in [person.as_str(), draft.as_str()] {
            assert!(
                !bytes.windows(id.len()).any(|w| w == id.as_bytes()),
                "{id} left in {file}"
            );
        }
    }
}

/// Something sealed to keep: the holder's record.
fn budi() -> mpaspor_domain::api::ApplicantInput {
    mpaspor_domain::api::ApplicantInput {
        full_name: "Budi".into(),
        relationship: mpaspor_domain::api::Relationship::Holder,
        birth_date: jiff::civil::date(1990, 5, 15),
        sex: mpaspor_domain::choice::Sex::Male,
        marital_status: mpaspor_domain::choice::MaritalStatus::Married,
        nik: None,
    }
}

/// The keystore backend is chosen at each start; a flip to another one (with
/// a key of its own) made every read fail later, unclearly. The file records
/// which key sealed it, so that is told at once.
#[test]
fn a_store_sealed_by_another_keystores_key_is_told_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mpaspor.sqlite");
    let first = Secrets::in_memory();
    let (store, _) = Store::open_with(&path, &first).unwrap();
    store.add_applicant(&budi()).unwrap();
    drop(store);
    // Another keystore, which already holds a key of its own.
    let other = Secrets::in_memory();
    other.data_key().unwrap();
    let (store, opened) = Store::open_with(&path, &other).unwrap();
    assert!(opened.set_aside.expect("set aside").exists());
    assert_eq!(opened.sealed_by, Some(first.vendor()));
    assert!(store.applicants().unwrap().is_empty());
    // The new file is the other keystore's: it opens again with it.
    drop(store);
    let (_, again) = Store::open_with(&path, &other).unwrap();
    assert_eq!(again, Opened::default());
}

#[test]
fn a_store_whose_key_is_lost_is_set_aside_not_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mpaspor.sqlite");
    let secrets = Secrets::in_memory();
    let (store, opened) = Store::open_with(&path, &secrets).unwrap();
    assert_eq!(opened, Opened::default());
    store.set_setting("language", "en").unwrap();
    drop(store);
    // Same key: opens as it was, even with nothing sealed in it.
    let (store, opened) = Store::open_with(&path, &secrets).unwrap();
    assert!(opened.set_aside.is_none());
    assert_eq!(store.setting("language").unwrap().as_deref(), Some("en"));
    store.add_applicant(&budi()).unwrap();
    drop(store);
    secrets.forget_everything().unwrap();
    let (store, opened) = Store::open_with(&path, &secrets).unwrap();
    let aside = opened.set_aside.expect("set aside");
    assert!(aside.exists());
    assert!(store.applicants().unwrap().is_empty());
}
