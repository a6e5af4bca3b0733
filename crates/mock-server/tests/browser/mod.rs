//! The tester console and the office's desk in a real browser: Debian's
//! Chromium, headless, driven over WebDriver (chromedriver) with fantoccini.

mod desk;

use crate::support::*;
use fantoccini::{ClientBuilder, Locator};
use serde_json::json;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Driver {
    process: Child,
    port: u16,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

pub async fn chromedriver() -> Driver {
    let port = free_port();
    let process = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver is installed by scripts/setup (Debian's chromium-driver)");
    let started = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Driver {
        process,
        port,
        _profile: tempfile::tempdir().unwrap(),
    }
}

/// Headless Chromium on `driver`, quiet on the network, with `extra` flags.
pub async fn browser(driver: &Driver, extra: &[String]) -> fantoccini::Client {
    let mut args = vec![
        "--headless=new".to_owned(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--disable-quic".into(),
        format!("--user-data-dir={}", driver._profile.path().display()),
    ];
    args.extend(extra.iter().cloned());
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), json!({ "args": args }));
    ClientBuilder::rustls()
        .expect("a TLS provider")
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .unwrap()
}

pub async fn wait_for_text(page: &fantoccini::Client, css: &str, want: &str) -> String {
    let started = Instant::now();
    loop {
        if let Ok(el) = page.find(Locator::Css(css)).await
            && let Ok(text) = el.text().await
            && text.contains(want)
        {
            return text;
        }
        if started.elapsed() > Duration::from_secs(15) {
            let shown = match page.find(Locator::Css(css)).await {
                Ok(el) => el.text().await.unwrap_or_default(),
                Err(e) => format!("(not found: {e})"),
            };
            let error = page
                .find(Locator::Id("error"))
                .await
                .unwrap()
                .text()
                .await
                .unwrap_or_default();
            panic!("{css} never showed {want:?}; it shows {shown:?}; the page says {error:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn the_tester_console_moves_an_application_on_in_a_real_browser() {
    let mock = Mock::start().await;
    let budi = sample("Budi Santoso");
    let api = mock.account_for(&budi).await;
    let id = api.ready_draft(&budi, "kanim-jakarta-selatan").await;
    let slot = api.free_slot("kanim-jakarta-selatan", 0).await;
    let submitted = api.submit(&id, &slot).await.created();
    mock.tester()
        .post(
            "/tester/payments",
            json!({"billing_code": submitted["payment"]["billing_code"]}),
        )
        .await
        .created();

    let driver = chromedriver().await;
    let page = browser(&driver, &[]).await;
    // Without the token the console shows nothing but where to give it.
    page.goto(&format!("{}/tester", mock.url())).await.unwrap();
    wait_for_text(&page, "#error", "tester token").await;
    // With it (in the fragment, as the mock prints the address), it works.
    let token = mock.server.tester_token().unwrap();
    page.goto(&format!("{}/tester#token={token}", mock.url()))
        .await
        .unwrap();

    // The paid application is listed with its state; one click moves it on.
    let row = format!("tr[data-id='{id}']");
    wait_for_text(&page, &format!("{row} .state"), "paid").await;
    page.find(Locator::Css(&format!(
        "{row} button[data-advance='interviewed']"
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    wait_for_text(&page, &format!("{row} .state"), "interviewed").await;
    assert_eq!(
        api.get(&format!("/v1/applications/{id}")).await.ok()["state"],
        "interviewed"
    );

    // The clock control moves the mock's clock, and the page shows it without a reload.
    page.find(Locator::Id("clock-1h"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&page, "#clock-offset", "3600").await;
    // The outbox shows the OTP, the journal the requests.
    wait_for_text(&page, "#outbox", &format!("{}@example.com", budi.nik)).await;
    wait_for_text(&page, "#journal", "/submit").await;
    page.close().await.unwrap();
}
