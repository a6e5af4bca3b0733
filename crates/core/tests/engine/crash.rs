//! Crash safety: a child process saves field changes as fast as it can and
//! says which it has saved; it is killed with SIGKILL at random moments. Every
//! reopen must pass `PRAGMA integrity_check` and hold every acknowledged save.
//! The child finds the data key where the app would: the kernel keystore
//! (keyutils), in the session keyring it inherits.

use mpaspor_core::secrets::platform::keyutils;
use mpaspor_core::{Secrets, Store};
use mpaspor_domain::DraftField;
use mpaspor_domain::api::{ApplicantInput, Relationship};
use mpaspor_domain::choice::{MaritalStatus, Sex};
use serde_json::json;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

const FIELDS: [DraftField; 6] = [
    DraftField::FullName,
    DraftField::Address,
    DraftField::Occupation,
    DraftField::BirthPlace,
    DraftField::MotherName,
    DraftField::FatherName,
];

/// The child: not a test of its own (it returns at once without its variables).
#[test]
#[ignore = "the child of autosave_survives_sigkill_at_random_moments"]
fn crash_child() {
    let (Ok(path), Ok(service), Ok(draft), Ok(start)) = (
        std::env::var("MPASPOR_CRASH_DB"),
        std::env::var("MPASPOR_CRASH_SERVICE"),
        std::env::var("MPASPOR_CRASH_DRAFT"),
        std::env::var("MPASPOR_CRASH_START"),
    ) else {
        return;
    };
    let secrets = Secrets::new(keyutils().unwrap(), &service);
    let (key, made) = secrets.data_key().unwrap();
    assert!(!made, "the child must find the parent's key");
    let store = Store::open(path.as_ref(), key).unwrap();
    let mut out = std::io::stdout().lock();
    for i in start.parse::<u64>().unwrap().. {
        let field = FIELDS[(i as usize) % FIELDS.len()];
        store
            .save_field(&draft, field, &json!(format!("v{i}")))
            .unwrap();
        writeln!(out, "saved {i}").unwrap();
        out.flush().unwrap();
    }
}

#[test]
fn autosave_survives_sigkill_at_random_moments() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.sqlite");
    let service = format!("mpaspor-crash-test-{}", std::process::id());
    let secrets = Secrets::new(keyutils().unwrap(), &service);
    let (key, _) = secrets.data_key().unwrap();
    let store = Store::open(&path, key.clone()).unwrap();
    let applicant = store
        .add_applicant(&ApplicantInput {
            full_name: "Anak Uji".into(),
            relationship: Relationship::Holder,
            birth_date: jiff::civil::date(1990, 1, 1),
            sex: Sex::Male,
            marital_status: MaritalStatus::Single,
            nik: None,
        })
        .unwrap();
    let draft = store.new_draft(&applicant).unwrap();
    drop(store);

    let exe = std::env::current_exe().unwrap();
    let mut acked: HashMap<DraftField, u64> = HashMap::new();
    let mut next = 0u64;
    let mut total = 0;
    for round in 0..24 {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "engine::crash::crash_child",
                "--ignored",
                "--nocapture",
            ])
            .args(["--test-threads", "1"])
            .env("MPASPOR_CRASH_DB", &path)
            .env("MPASPOR_CRASH_SERVICE", &service)
            .env("MPASPOR_CRASH_DRAFT", draft.as_str())
            .env("MPASPOR_CRASH_START", next.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // Wait for the first save, then let it run a random while before the kill.
        let saved = |line: &str| {
            line.strip_prefix("saved ")
                .and_then(|n| n.parse::<u64>().ok())
        };
        let mut seen = Vec::new();
        for line in lines.by_ref() {
            if let Some(n) = saved(&line.unwrap()) {
                seen.push(n);
                break;
            }
        }
        assert!(!seen.is_empty(), "round {round}: the child never saved");
        std::thread::sleep(Duration::from_millis(fastrand::u64(5..150)));
        child.kill().unwrap();
        // What it printed before it died was acknowledged.
        seen.extend(lines.map_while(Result::ok).filter_map(|l| saved(&l)));
        child.wait().unwrap();
        for n in &seen {
            let field = FIELDS[(*n as usize) % FIELDS.len()];
            let best = acked.entry(field).or_default();
            *best = (*best).max(*n);
        }
        total += seen.len();
        next = seen.iter().max().unwrap() + 1;

        let store = Store::open(&path, key.clone()).unwrap();
        store.integrity_check().unwrap();
        for (field, n) in &acked {
            let value = store.field(&draft, *field).unwrap().unwrap();
            let kept: u64 = value.as_str().unwrap()[1..].parse().unwrap();
            assert!(
                kept >= *n,
                "round {round}: {field} holds v{kept}, v{n} was acknowledged"
            );
        }
    }
    assert!(
        total > 24 * 10,
        "the children saved too little to mean much: {total}"
    );
    secrets.forget_everything().unwrap();
}
