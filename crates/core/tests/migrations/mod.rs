//! Upgrades: a committed database made by each schema version opens in this
//! build with nothing lost. When a step is added, add `schema-N.sqlite` (run
//! `MPASPOR_WRITE_FIXTURES=1 cargo test -p mpaspor-core --test core make_fixtures -- --ignored`,
//! after teaching `fill` what the new step holds) and keep every older one.

use crate::photo::{card, jpeg};
use mpaspor_core::outbox::Operation;
use mpaspor_core::photo::prepare;
use mpaspor_core::{DataKey, Store, schema};
use mpaspor_domain::api::{
    ApplicantInput, Application, Relationship, TravelDocument, TravelDocumentStatus,
};
use mpaspor_domain::choice::{MaritalStatus, Sex};
use mpaspor_domain::eligibility::DocumentKind;
use mpaspor_domain::{DraftField, PassportNumber, PassportType};
use rusqlite::Connection;
use serde_json::json;
use std::path::{Path, PathBuf};

/// The window chosen for the fixture's draft, and a reminder already sent.
const SLOT: &str = "kanim-jakarta-selatan.20270104.0800";
const REMINDER: &str = "app_fixture:pay";

/// The fixtures' data key (test data only; never a real one).
const FIXTURE_KEY: [u8; 32] = *b"fixture-key-of-m-paspor-tests-01";

fn fixture(version: i64) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/schema-{version}.sqlite"))
}

fn key() -> DataKey {
    DataKey::from_bytes(&FIXTURE_KEY).unwrap()
}

fn budi() -> ApplicantInput {
    ApplicantInput {
        full_name: "Budi Santoso".into(),
        relationship: Relationship::Holder,
        birth_date: jiff::civil::date(1990, 5, 15),
        sex: Sex::Male,
        marital_status: MaritalStatus::Married,
        nik: Some("3174011505900001".into()),
    }
}

fn old_passport() -> TravelDocument {
    TravelDocument {
        number: PassportNumber::parse("C1234567").unwrap(),
        passport_type: PassportType::Elektronik,
        issued_on: jiff::civil::date(2016, 3, 1),
        expires_on: jiff::civil::date(2026, 3, 1),
        status: TravelDocumentStatus::Expired,
        issuing_office: "Kantor Imigrasi Jakarta Selatan".into(),
    }
}

/// The server's copy of Budi's application as the phone keeps it.
fn server_copy() -> Application {
    serde_json::from_value(json!({
        "id": "app_fixture", "version": 2, "state": "draft", "draft": {"applicant_id": ""},
        "documents": [], "appointment": null, "fee": null, "reschedules_used": 0,
        "created_at": "2026-11-30T02:00:00Z", "updated_at": "2026-11-30T02:00:00Z", "timeline": []
    }))
    .unwrap()
}

/// What each version can hold, written through that version's own API.
fn fill(path: &Path, version: i64) {
    let mut conn = Connection::open(path).unwrap();
    schema::migrate_to(&mut conn, version).unwrap();
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('language', 'en')",
        [],
    )
    .unwrap();
    drop(conn);
    if version >= 2 {
        let store = Store::open(path, key()).unwrap();
        let applicant = store.add_applicant(&budi()).unwrap();
        let draft = store.new_draft(&applicant).unwrap();
        store
            .save_field(&draft, DraftField::Service, &json!("percepatan"))
            .unwrap();
        store
            .save_field(&draft, DraftField::FullName, &json!("Budi Santoso"))
            .unwrap();
        store
            .attach_document(
                &draft,
                DocumentKind::Ektp,
                &prepare(&jpeg(&card(320, 200), 80)).unwrap(),
            )
            .unwrap();
        if version >= 3 {
            store
                .keep_travel_documents(&applicant, &[old_passport()])
                .unwrap();
        }
        if version >= 4 {
            store
                .keep_application(&server_copy(), Some(&draft))
                .unwrap();
        }
        if version >= 5 {
            store.choose_slot(&draft, &SLOT.into()).unwrap();
            store.note_notified(REMINDER).unwrap();
        }
        mpaspor_core::outbox::queue(
            &store,
            &Operation::Submit {
                draft: draft.to_string(),
                slot_id: SLOT.into(),
            },
        )
        .unwrap();
    }
    // Fold the WAL into the file so one file is the whole fixture.
    let conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
}

#[test]
#[ignore = "writes the fixtures; run by hand when a schema step is added"]
fn make_fixtures() {
    if std::env::var_os("MPASPOR_WRITE_FIXTURES").is_none() {
        return;
    }
    // Only the missing ones: an older fixture must stay as its own build made it.
    for version in 1..=schema::VERSION {
        let path = fixture(version);
        if !path.exists() {
            fill(&path, version);
        }
    }
}

#[test]
fn every_fixture_version_upgrades_with_nothing_lost() {
    for version in 1..=schema::VERSION {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite");
        std::fs::copy(fixture(version), &path)
            .unwrap_or_else(|e| panic!("schema-{version}.sqlite is missing: {e}"));
        let found: i64 = Connection::open(&path)
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(found, version, "the fixture is of its version");
        if (2..5).contains(&version) {
            // Before step 5 the app kept these as settings (its fixtures were
            // made without them): what it wrote, written here.
            let conn = Connection::open(&path).unwrap();
            let draft: String = conn
                .query_row("SELECT id FROM drafts", [], |r| r.get(0))
                .unwrap();
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2), (?3, '1')",
                [
                    format!("slot:{draft}"),
                    SLOT.into(),
                    format!("notified:{REMINDER}"),
                ],
            )
            .unwrap();
        }

        let store = Store::open(&path, key()).unwrap();
        store.integrity_check().unwrap();
        assert_eq!(store.setting("language").unwrap().as_deref(), Some("en"));
        if version >= 2 {
            let applicants = store.applicants().unwrap();
            assert_eq!(applicants.len(), 1);
            assert_eq!(applicants[0].input, budi());
            let draft = store.drafts().unwrap().remove(0);
            let d = store.draft(&draft).unwrap();
            assert_eq!(d.body.service.unwrap().as_str(), "percepatan");
            assert_eq!(d.body.personal.full_name.as_deref(), Some("Budi Santoso"));
            assert_eq!(d.slot_id.as_deref(), Some(SLOT), "the chosen window");
            assert!(store.was_notified(REMINDER).unwrap());
            assert!(!store.was_notified("app_fixture:pickup").unwrap());
            let conn = Connection::open(&path).unwrap();
            let left: i64 = conn
                .query_row(
                    "SELECT count(*) FROM settings WHERE key LIKE 'slot:%' OR key LIKE 'notified:%'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(left, 0, "moved out of the settings");
            let docs = store.documents(&draft).unwrap();
            assert_eq!((docs.len(), docs[0].uploaded), (1, false));
            let preview = store
                .document_thumbnail(&draft, DocumentKind::Ektp)
                .unwrap();
            assert_eq!(
                preview.is_some(),
                version >= 3,
                "pictures kept before step 3 have no preview, later ones do"
            );
            let passports = store.travel_documents(&applicants[0].id).unwrap();
            assert_eq!(passports, (version >= 3).then(|| vec![old_passport()]));
            assert_eq!(
                store.application("app_fixture").unwrap(),
                (version >= 4).then(server_copy)
            );
            let kinds: Vec<&str> = store
                .outbox()
                .unwrap()
                .iter()
                .map(|p| p.operation.kind())
                .collect();
            assert_eq!(
                kinds,
                [
                    "create_applicant",
                    "create_application",
                    "upload_document",
                    "submit"
                ]
            );
        }
        // The upgraded file works as a current one.
        let applicant = store.add_applicant(&budi()).unwrap();
        store.new_draft(&applicant).unwrap();
        store.keep_application(&server_copy(), None).unwrap();
        assert_eq!(
            store.application("app_fixture").unwrap(),
            Some(server_copy())
        );
        drop(store);
        let version_now: i64 = Connection::open(&path)
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version_now, schema::VERSION);
    }
}
