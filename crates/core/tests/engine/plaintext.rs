//! No plain text at rest: a journey with a distinct marker in every personal
//! field and token, then a byte scan (UTF-8, UTF-16LE and UTF-16BE) of the
//! SQLite file with its -wal and -shm, the engine's log, and every file made
//! under the temporary folder during the test; and the prepared photos'
//! bytes, which are sealed like the rest.

use super::scan::{files_under, found, photo_markers};
use super::support::*;
use super::{OFFICE, REQUIRED, filed_with, photo, submitted_and_paid};
use mpaspor_domain::DraftField;
use mpaspor_domain::choice::Sex;
use serde_json::json;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

#[derive(Clone)]
struct LogFile(Arc<Mutex<std::fs::File>>);

impl std::io::Write for LogFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.lock().unwrap().flush()
    }
}

#[tokio::test]
async fn no_personal_value_or_token_is_left_in_plain_text() {
    let since = SystemTime::now() - std::time::Duration::from_secs(1);
    let w = World::new().await;
    let log_path = w.dir.path().join("engine.log");
    let log = LogFile(Arc::new(Mutex::new(
        std::fs::File::create(&log_path).unwrap(),
    )));
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || log.clone())
        .finish();
    // Global, not scoped: a scoped subscriber misses events whose callsites
    // another test thread registered first. Other tests' lines land here too.
    tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");

    let mut person = citizen(
        "3578014709850003",
        "Qistina Markerova",
        jiff::civil::date(1985, 9, 7),
        Sex::Female,
    );
    person.birth_place = "Zorbakota".into();
    person.address = "Jalan Xylomarker 17, Surabaya".into();
    person.mother_name = Some("Vindamarker Sari".into());
    let email = "qistina.markerova@example.com";
    let password = "Markerpass77";
    let overrides = [
        (DraftField::Occupation, json!("Pemaharkerja")),
        (DraftField::Phone, json!("081299887766")),
        (DraftField::Email, json!(email)),
        (DraftField::FatherName, json!("Yusufmarker Hadi")),
        (DraftField::EmergencyName, json!("Wulanmarker Dewi")),
        (DraftField::EmergencyPhone, json!("081277553311")),
        (DraftField::EmergencyRelationship, json!("Kakakmarker")),
    ];
    let draft = filed_with(&w, &person, email, password, &overrides).await;
    let id = submitted_and_paid(&w, &draft).await;
    assert!(w.store().receipt(&id).unwrap().is_some());
    assert!(OFFICE.starts_with("kanim"));

    let session = w.api().session().unwrap();
    let mut markers: Vec<String> = vec![
        person.nik.clone(),
        person.full_name.clone(),
        "Markerova".into(),
        person.birth_place.clone(),
        "Xylomarker".into(),
        "Vindamarker".into(),
        email.into(),
        password.into(),
        "081377665544".into(),
        session.access_token.clone(),
        session.refresh_token.clone(),
    ];
    markers.extend(
        overrides
            .iter()
            .map(|(_, v)| v.as_str().unwrap().to_owned()),
    );

    let mut files = vec![
        w.db_path(),
        PathBuf::from(format!("{}-wal", w.db_path().display())),
        PathBuf::from(format!("{}-shm", w.db_path().display())),
        log_path.clone(),
    ];
    files_under(&std::env::temp_dir(), since, &mut files, 4);
    files.sort();
    files.dedup();
    assert!(files[..].iter().any(|f| f.ends_with("mpaspor.sqlite-wal")));
    let logged = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        logged.contains("api"),
        "the log was written: {} bytes",
        logged.len()
    );
    // The prepared photos and their previews, sealed too.
    let pictures: Vec<_> = (0..REQUIRED.len())
        .flat_map(|i| photo_markers(&format!("document {i}"), &photo(i as u64)))
        .collect();
    let hits = found(&files, &markers, &pictures);
    assert!(hits.is_empty(), "{hits:#?}");
}
