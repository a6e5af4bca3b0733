//! The tester console and the office's desk in a real browser: Debian's
//! Chromium, headless, driven over WebDriver (chromedriver) with fantoccini.

mod desk;
pub mod driver;

pub use driver::{browser, chromedriver, wait_for_text};

use crate::support::*;
use fantoccini::Locator;
use serde_json::json;

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

async fn click(page: &fantoccini::Client, css: &str) {
    page.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap();
}

#[tokio::test]
async fn the_console_makes_faults_loads_scenarios_shows_a_masked_request_and_exports_har() {
    let mock = Mock::start().await;
    let driver = chromedriver().await;
    let page = browser(&driver, &[]).await;
    let token = mock.server.tester_token().unwrap();
    page.goto(&format!("{}/tester#token={token}", mock.url()))
        .await
        .unwrap();

    // A scenario loaded from the page.
    click(&page, "#scenario-load").await;
    wait_for_text(&page, "#scenario-report", "dewi.lestari@example.com").await;

    // A fault made from the page: the next request for the fees fails once.
    let route = page.find(Locator::Id("fault-route")).await.unwrap();
    route.clear().await.unwrap();
    route.send_keys("/v1/fees").await.unwrap();
    let rate = page.find(Locator::Id("fault-error-rate")).await.unwrap();
    rate.clear().await.unwrap();
    rate.send_keys("1").await.unwrap();
    page.find(Locator::Id("fault-times"))
        .await
        .unwrap()
        .send_keys("1")
        .await
        .unwrap();
    click(&page, "#fault-add").await;
    wait_for_text(&page, "#faults", "/v1/fees").await;
    mock.anon()
        .get("/v1/fees")
        .await
        .error(503, "injected_fault");
    mock.anon().get("/v1/fees").await.ok();

    // A request with personal values: its detail shows them masked.
    let password = "paspor-baru-2026";
    let session = mock
        .anon()
        .post(
            "/v1/sessions",
            json!({"email": "dewi.lestari@example.com", "password": password}),
        )
        .await
        .created();
    let journal = mock.tester().get("/tester/requests?limit=10").await.ok();
    let id = journal["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == "/v1/sessions")
        .unwrap()["id"]
        .clone();
    let button = format!("button[data-detail='{id}']");
    wait_for_text(&page, &format!("tr[data-request='{id}']"), "/v1/sessions").await;
    click(&page, &button).await;
    let sent = wait_for_text(&page, "#detail-request", "\"email\": \"***\"").await;
    let answered = wait_for_text(&page, "#detail-response", "\"access_token\": \"***\"").await;
    for secret in [
        "dewi.lestari@example.com",
        password,
        session["access_token"].as_str().unwrap(),
        session["refresh_token"].as_str().unwrap(),
    ] {
        assert!(
            !sent.contains(secret) && !answered.contains(secret),
            "{secret} shown"
        );
    }
    assert!(
        answered.contains("content-type: application/json"),
        "{answered}"
    );

    // The journal as HAR, from the page, then read as a tool would.
    click(&page, "#har-export").await;
    wait_for_text(&page, "#har-status", "exported").await;
    let har = mock.tester().get("/tester/requests/har").await.ok();
    assert_eq!(har["log"]["version"], "1.2");
    let entries = har["log"]["entries"].as_array().unwrap();
    let login = entries
        .iter()
        .find(|e| {
            e["request"]["url"]
                .as_str()
                .unwrap()
                .ends_with("/v1/sessions")
        })
        .unwrap();
    assert_eq!(login["response"]["status"], 201);
    let text = har.to_string();
    assert!(!text.contains("dewi.lestari@example.com") && !text.contains(password));
    assert!(!text.contains(session["access_token"].as_str().unwrap()));
    assert!(!text.contains(token), "the tester token never shows");
    page.close().await.unwrap();
}
