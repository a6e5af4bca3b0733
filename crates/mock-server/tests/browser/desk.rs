//! The office's desk (`/desk`) in headless Chromium: a proof pasted, and a
//! proof's QR code shown to Chromium's fake camera (a Y4M video of the QR
//! code) and decoded on the page by the vendored jsQR; the officer checks
//! the applicant in and moves the application on.

use super::{browser, chromedriver, wait_for_text};
use crate::support::*;
use fantoccini::{Client as Page, Locator};
use serde_json::{Value, json};

/// A paid application of Budi's for the last free window (days away, so the
/// office may still ask for a correction): the account, its id, its
/// proof's payload.
async fn paid(mock: &Mock) -> (Client, String, String) {
    let budi = sample("Budi Santoso");
    let api = mock.account_for(&budi).await;
    let id = api.ready_draft(&budi, "kanim-jakarta-selatan").await;
    let slot = api.free_slots("kanim-jakarta-selatan").await.pop().unwrap();
    let submitted = api.submit(&id, &slot).await.created();
    mock.tester()
        .post(
            "/tester/payments",
            json!({"billing_code": submitted["payment"]["billing_code"]}),
        )
        .await
        .created();
    let receipt = api
        .get(&format!("/v1/applications/{id}/receipt"))
        .await
        .ok();
    let payload = receipt["qr_payload"].as_str().unwrap().to_owned();
    (api, id, payload)
}

async fn click(page: &Page, id: &str) {
    page.find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"))
        .click()
        .await
        .unwrap();
}

async fn open_desk(page: &Page, mock: &Mock) {
    let token = mock.server.tester_token().unwrap();
    page.goto(&format!("{}/desk#token={token}", mock.url()))
        .await
        .unwrap();
    wait_for_text(page, "h1", "desk").await;
}

#[tokio::test]
async fn the_desk_judges_a_pasted_proof_and_moves_the_application_on() {
    let mock = Mock::start().await;
    let (api, id, payload) = paid(&mock).await;
    let driver = chromedriver().await;
    let page = browser(&driver, &[]).await;
    open_desk(&page, &mock).await;

    // Something that is no proof.
    let field = page.find(Locator::Id("qr-text")).await.unwrap();
    field
        .send_keys("MPASPOR1.bm90LWEtcHJvb2Y.c2lnbmF0dXJl")
        .await
        .unwrap();
    click(&page, "check").await;
    wait_for_text(&page, "#verdict", "INVALID").await;

    field.clear().await.unwrap();
    field.send_keys(&payload).await.unwrap();
    click(&page, "check").await;
    wait_for_text(&page, "#verdict", "VALID").await;
    wait_for_text(&page, "#desk-applicant", "Budi Santoso").await;
    wait_for_text(&page, "#desk-state", "paid").await;
    wait_for_text(&page, "#documents", "family_card").await;

    click(&page, "check-in").await;
    wait_for_text(&page, "#desk-at-the-counter", "checked in").await;
    let app = api.get(&format!("/v1/applications/{id}")).await.ok();
    assert!(
        app["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["event"] == "checked_in"),
        "{app}"
    );
    click(&page, "to-interviewed").await;
    wait_for_text(&page, "#desk-state", "interviewed").await;
    assert_eq!(
        api.get(&format!("/v1/applications/{id}")).await.ok()["state"],
        "interviewed"
    );
    // Without the token, the desk shows nothing.
    let anon = mock
        .anon()
        .post("/tester/desk/lookup", json!({"qr_payload": payload}))
        .await;
    anon.error(401, "unauthorized");
}

#[tokio::test]
async fn the_desk_asks_for_a_correction_the_applicant_then_sees() {
    let mock = Mock::start().await;
    let (api, id, payload) = paid(&mock).await;

    let driver = chromedriver().await;
    let page = browser(&driver, &[]).await;
    open_desk(&page, &mock).await;
    page.find(Locator::Id("qr-text"))
        .await
        .unwrap()
        .send_keys(&payload)
        .await
        .unwrap();
    click(&page, "check").await;
    wait_for_text(&page, "#verdict", "VALID").await;
    page.find(Locator::Css(
        "#fix-what option[value='document:family_card']",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    page.find(Locator::Id("fix-reason"))
        .await
        .unwrap()
        .send_keys("Foto KK buram")
        .await
        .unwrap();
    click(&page, "ask-correction").await;
    wait_for_text(&page, "#corrections", "Foto KK buram").await;
    let app = api.get(&format!("/v1/applications/{id}")).await.ok();
    assert_eq!(app["corrections"][0]["document"], "family_card");
    assert_eq!(app["corrections"][0]["state"], "open");
}

/// A Y4M video (what Chromium's fake camera plays) of `frames` frames
/// showing a QR code of `payload` on white.
fn qr_video(payload: &str, frames: usize) -> Vec<u8> {
    let code = qrcode::QrCode::new(payload.as_bytes()).unwrap();
    let qr = code
        .render::<image::Luma<u8>>()
        .min_dimensions(560, 560)
        .build();
    let side = (qr.width().max(qr.height()) as usize + 80).next_multiple_of(2);
    let mut luma = vec![255u8; side * side];
    let at = (side - qr.width() as usize) / 2;
    for (x, y, p) in qr.enumerate_pixels() {
        luma[(y as usize + at) * side + x as usize + at] = p.0[0];
    }
    let chroma = vec![128u8; (side / 2) * (side / 2)];
    let mut video = format!("YUV4MPEG2 W{side} H{side} F10:1 Ip A1:1 C420jpeg\n").into_bytes();
    for _ in 0..frames {
        video.extend_from_slice(b"FRAME\n");
        video.extend_from_slice(&luma);
        video.extend_from_slice(&chroma);
        video.extend_from_slice(&chroma);
    }
    video
}

#[tokio::test]
async fn the_desk_reads_a_proof_from_the_camera() {
    let mock = Mock::start().await;
    let (_api, _id, payload) = paid(&mock).await;
    let dir = tempfile::tempdir().unwrap();
    let video = dir.path().join("proof.y4m");
    std::fs::write(&video, qr_video(&payload, 20)).unwrap();

    let driver = chromedriver().await;
    let page = browser(
        &driver,
        &[
            "--use-fake-ui-for-media-stream".into(),
            "--use-fake-device-for-media-stream".into(),
            format!("--use-file-for-fake-video-capture={}", video.display()),
        ],
    )
    .await;
    open_desk(&page, &mock).await;
    click(&page, "scan").await;
    wait_for_text(&page, "#scan-status", "camera").await;
    wait_for_text(&page, "#verdict", "VALID").await;
    wait_for_text(&page, "#desk-applicant", "Budi Santoso").await;
    let read: Value = page
        .execute("return document.getElementById('qr-text').value", vec![])
        .await
        .unwrap();
    assert_eq!(read, Value::from(payload));
}
