//! The mock beside Prism (`@stoplight/prism-cli`, `prism mock` on the mock's
//! own `/openapi.json`), loaded by the same tool (wrk: one thread, 16
//! keep-alive connections, 5 s, loopback) on the same three routes: an
//! office's slots for 30 days, the fee table, a NIK check. Rounds alternate
//! ours and theirs. While wrk reads our slots, a writer books places at that
//! office one after another and, after each booking, reads the slots back:
//! the window must show one place fewer (our answers are the live state,
//! not canned).
//!
//! `scripts/bench-mock` installs wrk and Prism and runs this:
//! `cargo bench -p mpaspor-mock --bench versus_prism` (add `-- 5` for more rounds).

#[path = "../tests/support/mod.rs"]
mod support;

use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;
use support::*;

const OFFICE: &str = "kanim-bandung";
const SECONDS: u32 = 5;
const CONNECTIONS: u32 = 16;

struct Load {
    requests_per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    non_2xx: u64,
}

fn millis(text: &str) -> f64 {
    let (number, unit) = text.split_at(text.find(|c: char| c.is_alphabetic()).unwrap());
    let n: f64 = number.parse().unwrap();
    match unit {
        "us" => n / 1000.0,
        "ms" => n,
        "s" => n * 1000.0,
        other => panic!("wrk unit {other}"),
    }
}

/// Runs wrk against `url` with `script` (the method, headers and body).
fn wrk(url: &str, script: &Path) -> Load {
    let out = Command::new("wrk")
        .args([
            "-t1",
            &format!("-c{CONNECTIONS}"),
            &format!("-d{SECONDS}s"),
            "--latency",
            "-s",
        ])
        .arg(script)
        .arg(url)
        .output()
        .expect("wrk (scripts/bench-mock installs it)");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let field = |prefix: &str| {
        text.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(prefix))
            .map(|v| v.trim().to_owned())
            .unwrap_or_else(|| panic!("no {prefix:?} in wrk's output:\n{text}"))
    };
    let non_2xx = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Non-2xx or 3xx responses:"))
        .map(|v| v.trim().parse().unwrap())
        .unwrap_or(0);
    Load {
        requests_per_second: field("Requests/sec:").parse().unwrap(),
        p50_ms: millis(&field("50%")),
        p99_ms: millis(&field("99%")),
        non_2xx,
    }
}

fn lua(dir: &Path, name: &str, method: &str, token: &str, body: Option<&str>) -> PathBuf {
    let path = dir.join(format!("{name}.lua"));
    let mut script =
        format!("wrk.method = \"{method}\"\nwrk.headers[\"Authorization\"] = \"Bearer {token}\"\n");
    if let Some(body) = body {
        script.push_str("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
        script.push_str(&format!("wrk.body = [[{body}]]\n"));
    }
    std::fs::write(&path, script).unwrap();
    path
}

fn prism(spec: &Path, port: u16) -> Child {
    let bin =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/prism/node_modules/.bin/prism");
    Command::new(bin)
        .args([
            "mock",
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--errors",
            "false",
        ])
        .arg(spec)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("Prism in target/prism (scripts/bench-mock installs it)")
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let rounds: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(3);
    // wrk's thousands of NIK checks a second from one account are a load
    // test, not an applicant: the limits are off for it.
    let mock = Mock::start_with(mpaspor_mock::MockConfig {
        limits: false,
        ..Default::default()
    })
    .await;
    let budi = sample("Budi Santoso");
    let api = mock.account_for(&budi).await;
    let dir = tempfile::tempdir().unwrap();

    // Ready applications for the writer: 20 accounts of five.
    let mut ready = Vec::new();
    for group in adults(100).chunks(5) {
        mock.one_family(group);
        let account = mock.account_for(&group[0]).await;
        for (i, person) in group.iter().enumerate() {
            let applicant = if i == 0 {
                account.holder_id().await
            } else {
                account.add_applicant(person).await
            };
            let app = account.draft_with(person, OFFICE, &applicant).await;
            let id = app["id"].as_str().unwrap().to_owned();
            account.upload_required(&id).await;
            ready.push((account.clone(), id));
        }
    }

    let spec = dir.path().join("openapi.json");
    let document = mock.anon().get("/openapi.json").await.ok();
    std::fs::write(&spec, document.to_string()).unwrap();
    let prism_port = free_port();
    let mut theirs = prism(&spec, prism_port);
    let prism_url = format!("http://127.0.0.1:{prism_port}");
    let http = reqwest::Client::new();
    for _ in 0..200 {
        if http
            .get(format!("{prism_url}/v1/fees"))
            .send()
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let nik = json!({"nik": budi.nik, "full_name": budi.full_name, "birth_date": budi.birth_date})
        .to_string();
    let routes = [
        (
            "slots",
            format!("/v1/offices/{OFFICE}/slots?days=30"),
            lua(dir.path(), "slots", "GET", &api.token, None),
        ),
        (
            "fees",
            "/v1/fees".to_owned(),
            lua(dir.path(), "fees", "GET", &api.token, None),
        ),
        (
            "nik-check",
            "/v1/identity/nik-check".to_owned(),
            lua(dir.path(), "nik", "POST", &api.token, Some(&nik)),
        ),
    ];
    let ready = Arc::new(std::sync::Mutex::new(ready));
    let mut booked_during_load = 0;
    println!("route      server  round  req/s     p50 ms  p99 ms  non-2xx");
    let mut summary = Vec::new();
    for (name, path, script) in &routes {
        let (mut ours_rps, mut ours_p99, mut ours_p50) = (vec![], vec![], vec![]);
        let (mut prism_rps, mut prism_p99, mut prism_p50) = (vec![], vec![], vec![]);
        for round in 0..rounds {
            // Ours, with the writer on while the slots are read.
            let stop = Arc::new(AtomicBool::new(false));
            let booked = Arc::new(AtomicUsize::new(0));
            let writer = (*name == "slots").then(|| {
                let (stop, booked, ready, url) =
                    (stop.clone(), booked.clone(), ready.clone(), mock.url());
                tokio::spawn(async move {
                    let reader = Client {
                        base: url,
                        http: reqwest::Client::new(),
                        token: String::new(),
                        refresh: String::new(),
                        tester_token: None,
                    };
                    while !stop.load(Ordering::Relaxed) {
                        let Some((account, id)) = ready.lock().unwrap().pop() else {
                            break;
                        };
                        let slot = reader.free_slot(OFFICE, 0).await;
                        let before = reader.slot_left(OFFICE, &slot).await;
                        account.submit(&id, &slot).await.created();
                        let after = reader.slot_left(OFFICE, &slot).await;
                        assert_eq!(after, before - 1, "the slots show the booking at once");
                        booked.fetch_add(1, Ordering::Relaxed);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                })
            });
            let url = format!("{}{path}", mock.url());
            let (ours_script, prism_script) = (script.clone(), script.clone());
            let ours = tokio::task::spawn_blocking(move || wrk(&url, &ours_script))
                .await
                .unwrap();
            stop.store(true, Ordering::Relaxed);
            if let Some(w) = writer {
                w.await.unwrap();
            }
            booked_during_load += booked.load(Ordering::Relaxed);
            let url = format!("{prism_url}{path}");
            let theirs_load = tokio::task::spawn_blocking(move || wrk(&url, &prism_script))
                .await
                .unwrap();
            for (who, l) in [("ours", &ours), ("prism", &theirs_load)] {
                println!(
                    "{name:<10} {who:<7} {round:<6} {:<9.0} {:<7.2} {:<7.2} {}",
                    l.requests_per_second, l.p50_ms, l.p99_ms, l.non_2xx
                );
            }
            assert_eq!(ours.non_2xx, 0, "{name}: every answer of ours was 2xx");
            ours_rps.push(ours.requests_per_second);
            ours_p50.push(ours.p50_ms);
            ours_p99.push(ours.p99_ms);
            prism_rps.push(theirs_load.requests_per_second);
            prism_p50.push(theirs_load.p50_ms);
            prism_p99.push(theirs_load.p99_ms);
        }
        summary.push((
            *name,
            median(ours_rps.clone()),
            median(ours_p50),
            median(ours_p99),
            median(prism_rps.clone()),
            median(prism_p50),
            median(prism_p99),
        ));
    }
    let _ = theirs.kill();
    let _ = theirs.wait();
    println!("\nmedian of {rounds} rounds, wrk -t1 -c{CONNECTIONS} -d{SECONDS}s:");
    for (name, rps, p50, p99, prps, pp50, pp99) in summary {
        println!(
            "{name:<10} ours {rps:.0} req/s p50 {p50:.2} ms p99 {p99:.2} ms | prism {prps:.0} req/s p50 {pp50:.2} ms p99 {pp99:.2} ms | {:.1}x",
            rps / prps
        );
    }
    println!(
        "writer: {booked_during_load} places booked during the slot loads, each seen at once in the slots"
    );
}
