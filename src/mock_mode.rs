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

/// The bundled mock's database is sealed with the app's data key.
#[cfg(feature = "bundled-mock")]
struct Seal(mpaspor_core::secrets::FileSeal);

#[cfg(feature = "bundled-mock")]
impl mpaspor_mock::Sealer for Seal {
    fn seal(&self, plain: &[u8]) -> Vec<u8> {
        self.0.seal(plain)
    }
    fn open(&self, sealed: &[u8]) -> Option<Vec<u8>> {
        self.0.open(sealed)
    }
}

/// Where the bundled mock keeps its state in the data folder: one sealed file.
#[cfg(feature = "bundled-mock")]
pub const MOCK_FILE: &str = "mock-server.sealed";

/// Starts the bundled mock on a free loopback port, its state in one file
/// sealed with the app's data key (nothing of it is readable on the disk).
#[cfg(feature = "bundled-mock")]
pub fn start(
    runtime: &tokio::runtime::Runtime,
    data_dir: &Path,
    secrets: &mpaspor_core::Secrets,
) -> Result<Bundled, String> {
    use mpaspor_mock::{DbLocation, MockConfig};
    // An older build kept it in plain SQLite: that goes (its accounts were
    // samples and tries, and it held personal values in the clear).
    for old in [
        "mock-server.sqlite",
        "mock-server.sqlite-wal",
        "mock-server.sqlite-shm",
    ] {
        let _ = std::fs::remove_file(data_dir.join(old));
    }
    let file = data_dir.join(MOCK_FILE);
    let seal = secrets
        .file_seal("bundled-mock")
        .map_err(|e| format!("the bundled mock's key: {e}"))?;
    let config = MockConfig {
        db: DbLocation::Sealed {
            path: file,
            sealer: std::sync::Arc::new(Seal(seal)),
        },
        ..MockConfig::default()
    };
    let mock = runtime
        .block_on(mpaspor_mock::start(
            config,
            "127.0.0.1:0".parse().expect("an address"),
        ))
        .map_err(|e| format!("the bundled mock server did not start: {e}"))?;
    // No account at all (a new install, or a file the keystore's key no
    // longer opens): the sample account is made again.
    let fresh = mock
        .state
        .db
        .read(|conn| {
            Ok(conn.query_row("SELECT count(*) FROM accounts", [], |r| r.get::<_, i64>(0))?)
        })
        .map_err(|e| format!("the bundled mock: {}", e.body.error.message))?
        == 0;
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
pub fn start(
    _: &tokio::runtime::Runtime,
    _: &Path,
    _: &mpaspor_core::Secrets,
) -> Result<Bundled, String> {
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

#[cfg(all(test, feature = "bundled-mock"))]
mod tests {
    use super::*;

    fn files_hold(dir: &Path, marker: &str) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .filter(|f| {
                let bytes = std::fs::read(f.path()).unwrap_or_default();
                bytes.windows(marker.len()).any(|w| w == marker.as_bytes())
            })
            .map(|f| f.file_name().to_string_lossy().into_owned())
            .collect()
    }

    /// The bundled mock wrote every NIK, address, name and OTP in plain
    /// text beside the app's sealed store. Now its one file is sealed with
    /// the app's data key, and it is still there after a restart.
    #[test]
    fn the_bundled_mock_keeps_nothing_readable_on_the_disk_and_keeps_it_across_starts() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = mpaspor_core::Secrets::in_memory();
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let mock = start(&runtime, dir.path(), &secrets).unwrap();
        let marker = "Zzqxmarker";
        let email = "zzqxmarker@example.com";
        let http = reqwest::Client::new();
        let register =
            |url: String| {
                let http = http.clone();
                async move {
                    http.post(format!("{url}/v1/accounts"))
                    .json(&serde_json::json!({"full_name": format!("Rina {marker}"), "email": email,
                        "phone": "081234567890", "password": "kuat-sekali-9",
                        "birth_date": "1995-01-02", "sex": "female"}))
                    .send()
                    .await
                    .unwrap()
                    .status()
                }
            };
        assert_eq!(runtime.block_on(register(mock.url.clone())), 201);
        std::thread::sleep(mpaspor_mock::snapshot::KEEP_EVERY * 4);
        assert!(dir.path().join(MOCK_FILE).exists());
        for needle in [
            marker,
            email,
            "Dewi Lestari",
            "3578017011880005",
            "Surabaya",
        ] {
            assert_eq!(
                files_hold(dir.path(), needle),
                Vec::<String>::new(),
                "{needle}"
            );
        }
        let login = |url: String| {
            runtime.block_on(async {
                http.post(format!("{url}/v1/sessions"))
                    .json(&serde_json::json!({"email": email, "password": "kuat-sekali-9"}))
                    .send()
                    .await
                    .unwrap()
                    .status()
            })
        };
        // Started again on the same folder: the account is there.
        let again = start(&runtime, dir.path(), &secrets).unwrap();
        assert_eq!(login(again.url), 403, "known, and waiting for its code");
        // Another key opens nothing: that file is set aside and a new one starts.
        let stranger = mpaspor_core::Secrets::in_memory();
        let third = start(&runtime, dir.path(), &stranger).unwrap();
        assert_eq!(login(third.url), 401);
    }
}
