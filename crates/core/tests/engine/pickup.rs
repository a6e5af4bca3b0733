//! Collecting the passport: the power of attorney made from what the phone
//! keeps, read back by a PDF reader (poppler's pdftotext).

use super::inbox::paid;
use super::support::*;
use super::{filed, rini};
use mpaspor_core::engine::Party;

fn read_back(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kuasa.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext is installed (scripts/setup: poppler-utils)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn the_power_of_attorney_carries_both_people_and_refuses_a_bad_nik() {
    let w = World::new().await;
    let person = rini();
    let draft = filed(&w, &person, "rini.kuasa@example.com").await;
    let id = paid(&w, &draft).await;
    for to in ["interviewed", "approved", "printed", "ready"] {
        w.tester.advance(&id, to).await;
    }
    w.engine.sync().await.unwrap();
    let proxy = Party {
        name: "Rina Wijaya".into(),
        nik: "3273015203920001".into(),
        born: "Bandung, 12-03-1992".into(),
        address: "Jalan Dago 5, Bandung".into(),
    };
    let text = read_back(
        &w.engine
            .power_of_attorney(&id, proxy.clone(), "teman")
            .unwrap(),
    );
    for want in [
        person.full_name.as_str(),
        person.nik.as_str(),
        "Rina Wijaya",
        "3273015203920001",
        "Jalan Dago 5, Bandung",
        "teman",
        id.as_str(),
    ] {
        assert!(text.contains(want), "{want} in {text}");
    }
    let bad = Party {
        nik: "1234".into(),
        ..proxy
    };
    let refused = w.engine.power_of_attorney(&id, bad, "teman").unwrap_err();
    assert_eq!(refused.key(), "attorney-nik");
}
