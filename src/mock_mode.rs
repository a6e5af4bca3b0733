//! Mock mode: with no API address, the desktop build starts the bundled mock
//! server in-process on 127.0.0.1 (its data in the app's data folder), so a
//! newcomer can go through the whole journey at once. Only here does the app
//! name the mock crate; its tester routes (the OTP it "emailed", its bank,
//! its sample people) are asked through core's typed `Tester`.

use mpaspor_core::engine::Tester;
use mpaspor_domain::BillingCode;
use mpaspor_domain::api::Citizen;
use std::path::Path;

/// The scenario a fresh bundled mock starts with, and its account.
#[cfg(feature = "bundled-mock")]
const SAMPLE_SCENARIO: &str = "expired_passport";
pub const SAMPLE_EMAIL: &str = "dewi.lestari@example.com";
pub const SAMPLE_PASSWORD: &str = "paspor-baru-2026";

/// The bundled mock, serving until the app exits.
pub struct Bundled {
    pub url: String,
    /// Made at random at each start; only the app's memory holds it.
    pub tester_token: String,
}

/// Starts the bundled mock on a free loopback port.
#[cfg(feature = "bundled-mock")]
pub fn start(runtime: &tokio::runtime::Runtime, data_dir: &Path) -> Result<Bundled, String> {
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
    let bundled = Bundled {
        url: mock.url(),
        tester_token: mock
            .tester_token()
            .ok_or("the bundled mock serves no tester routes")?
            .to_owned(),
    };
    tracing::info!("bundled mock server at {}", bundled.url);
    // Serves until the app exits.
    std::mem::forget(mock);
    Ok(bundled)
}

#[cfg(not(feature = "bundled-mock"))]
pub fn start(_: &tokio::runtime::Runtime, _: &Path) -> Result<Bundled, String> {
    Err("this build has no bundled mock server: give --api URL".into())
}

/// The newest OTP the mock "emailed" to `email`, if any.
pub async fn last_otp(tester: Tester, email: String) -> Option<String> {
    tester.last_otp(&email).await.ok().flatten()
}

/// Pays a billing code as a bank would, through the mock's tester route;
/// with `notify` false the immigration side is not told ("paid but still
/// pending"). Answers the NTPN printed on the bank's receipt, or the
/// translation key of why not.
pub async fn pay(
    tester: Tester,
    billing_code: BillingCode,
    notify: bool,
) -> Result<String, String> {
    tester
        .pay(&billing_code, notify)
        .await
        .map(|ntpn| ntpn.as_str().to_owned())
        .map_err(|e| e.key())
}

/// The registry's named sample people, offered on the personal step.
pub async fn samples(tester: Tester) -> Vec<Citizen> {
    tester.samples().await.unwrap_or_default()
}

/// What the app's own tests take from the mock crate: only here does `src/`
/// name it.
#[cfg(all(test, feature = "bundled-mock"))]
pub mod testing {
    pub use mpaspor_mock::registry::{complete_draft_fields, samples};
    pub use mpaspor_mock::{RunningMock, scenarios, start};
}
