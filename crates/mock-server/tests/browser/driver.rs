//! Headless Chromium driven over WebDriver (Debian's chromium-driver) with
//! fantoccini: the mock's browser tests use it, and the end-to-end journeys
//! (the office's desk) include this file.

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
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
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
