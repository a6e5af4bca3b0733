//! Mock mode: with no API address, the desktop build starts the bundled mock
//! server in-process on 127.0.0.1 (its data in the app's data folder), so a
//! newcomer can go through the whole journey at once. Only here does the app
//! read the mock's tester routes: the OTP it "emailed", shown in a banner.

use std::path::Path;

/// The scenario a fresh bundled mock starts with, and its account.
#[cfg(feature = "bundled-mock")]
const SAMPLE_SCENARIO: &str = "expired_passport";
pub const SAMPLE_EMAIL: &str = "dewi.lestari@example.com";
pub const SAMPLE_PASSWORD: &str = "rahasia123";

/// Starts the bundled mock on a free loopback port; answers its URL.
#[cfg(feature = "bundled-mock")]
pub fn start(runtime: &tokio::runtime::Runtime, data_dir: &Path) -> Result<String, String> {
    use mpaspor_mock::{DbLocation, MockConfig};
    let file = data_dir.join("mock-server.sqlite");
    let fresh = !file.exists();
    let config = MockConfig {
        db: DbLocation::File(file),
        ..MockConfig::default()
    };
    let mock = runtime
        .block_on(mpaspor_mock::start(
            config,
            "127.0.0.1:0".parse().expect("an address"),
        ))
        .map_err(|e| format!("the bundled mock server did not start: {e}"))?;
    if fresh {
        // A ready account, so a newcomer can log in at once (or register their own).
        runtime
            .block_on(mpaspor_mock::scenarios::seed(&mock.state, SAMPLE_SCENARIO))
            .map_err(|e| format!("the bundled mock was not seeded: {}", e.body.error.message))?;
    }
    let url = mock.url();
    tracing::info!("bundled mock server at {url}");
    // Serves until the app exits.
    std::mem::forget(mock);
    Ok(url)
}

#[cfg(not(feature = "bundled-mock"))]
pub fn start(_: &tokio::runtime::Runtime, _: &Path) -> Result<String, String> {
    Err("this build has no bundled mock server: give --api URL".into())
}

/// The newest OTP the mock "emailed" to `email`, if any.
pub async fn last_otp(mock: String, email: String) -> Option<String> {
    let page: serde_json::Value = reqwest::Client::new()
        .get(format!("{mock}/tester/outbox"))
        .query(&[("email", email.as_str())])
        .send()
        .await
        .ok()?
        .json()
        .await
        .ok()?;
    page["items"][0]["otp"].as_str().map(str::to_owned)
}

/// Pays a billing code as a bank would, through the mock's tester route;
/// with `notify` false the immigration side is not told ("paid but still
/// pending"). Answers the NTPN printed on the bank's receipt, or the
/// translation key of why not.
pub async fn pay(mock: String, billing_code: String, notify: bool) -> Result<String, String> {
    let answer = reqwest::Client::new()
        .post(format!("{mock}/tester/payments"))
        .json(&serde_json::json!({
            "billing_code": billing_code,
            "notify": notify,
            "channel": "mock bank",
        }))
        .send()
        .await
        .map_err(|_| "error-offline".to_owned())?;
    if !answer.status().is_success() {
        let body: mpaspor_domain::api::ErrorBody = answer
            .json()
            .await
            .map_err(|_| "error-unexpected".to_owned())?;
        return Err(body
            .code()
            .map(|c| format!("error-{}", c.as_str()))
            .unwrap_or_else(|| "error-unexpected".into()));
    }
    let paid: mpaspor_domain::api::TesterPayment = answer
        .json()
        .await
        .map_err(|_| "error-unexpected".to_owned())?;
    Ok(paid.ntpn.as_str().to_owned())
}
