//! Sync's overhead: 100 queued operations (new drafts, each a
//! `POST /v1/applications` with its idempotency key) flushed by
//! `Engine::sync` to the mock on loopback, beside the same 100 requests made
//! directly with reqwest (same bodies, token and keys, answers parsed), both
//! sequential on one keep-alive client, alternating rounds, each round on a
//! fresh account so both see the same server state.
//!
//! `cargo bench -p mpaspor-core --bench sync` (add `-- 9` for more rounds).

use mpaspor_core::client::ApiConfig;
use mpaspor_core::{Api, Engine, Secrets, Store};
use mpaspor_domain::api::{Application, ApplicationDraft, RegisterRequest};
use mpaspor_domain::choice::Sex;
use std::time::{Duration, Instant};

const OPERATIONS: usize = 100;

struct Phone {
    engine: std::sync::Arc<Engine>,
    holder: String,
    holder_server: String,
    token: String,
}

async fn phone(url: &str, tester_token: &str, n: usize) -> Phone {
    let api = Api::new(ApiConfig::new(url), Secrets::in_memory()).unwrap();
    let email = format!("bench{n}@example.com");
    api.register(&RegisterRequest {
        full_name: "Bench Sync".into(),
        email: email.clone(),
        phone: "081377665544".into(),
        password: "paspor-baru-2026".into(),
        birth_date: jiff::civil::date(1990, 1, 1),
        sex: Sex::Male,
        language: Default::default(),
    })
    .await
    .unwrap();
    let tester = api.tester(tester_token.to_owned());
    let otp = tester.last_otp(&email).await.unwrap().unwrap();
    api.verify(&email, &otp).await.unwrap();
    api.login(&email, "paspor-baru-2026").await.unwrap();
    let engine = Engine::new(Store::open_in_memory().unwrap(), api);
    engine.sync().await.unwrap();
    let holder = engine.store().applicants().unwrap().remove(0);
    let token = engine.api().session().unwrap().access_token;
    Phone {
        holder: holder.id,
        holder_server: holder.server_id.unwrap(),
        token,
        engine,
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let rounds: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(5);
    let mock = mpaspor_mock::start(Default::default(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let url = mock.url();
    let tester_token = mock.tester_token().unwrap().to_owned();
    let http = reqwest::Client::new();
    let (mut ours, mut theirs, mut pulls, mut clients) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds + 1 {
        // The engine: queue 100 drafts, flush them in one sync (which also pulls).
        let p = phone(&url, &tester_token, 2 * round).await;
        for _ in 0..OPERATIONS {
            p.engine.store().new_draft(&p.holder).unwrap();
        }
        let t = Instant::now();
        let report = p.engine.sync().await.unwrap();
        let engine_took = t.elapsed();
        assert_eq!(report.sent as usize, OPERATIONS, "{report:?}");
        // A second run has nothing to push: what it takes is the pull alone.
        let t = Instant::now();
        let again = p.engine.sync().await.unwrap();
        let pull_took = t.elapsed();
        assert_eq!(
            (again.sent, again.pulled as usize),
            (0, OPERATIONS),
            "{again:?}"
        );

        // The same 100 requests by hand.
        let p = phone(&url, &tester_token, 2 * round + 1).await;
        // The body the engine sends for a new draft: the whole draft, nothing chosen yet.
        let body = serde_json::to_vec(&ApplicationDraft {
            applicant_id: p.holder_server.clone().into(),
            ..ApplicationDraft::default()
        })
        .unwrap();
        let t = Instant::now();
        for _ in 0..OPERATIONS {
            let answer = http
                .post(format!("{url}/v1/applications"))
                .bearer_auth(&p.token)
                .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
                .header("Content-Type", "application/json")
                .body(body.clone())
                .send()
                .await
                .unwrap();
            assert!(answer.status().is_success());
            let _: Application = answer.json().await.unwrap();
        }
        let raw_took = t.elapsed();

        // The engine's API client alone (no store, no outbox), on the same account.
        let draft = ApplicationDraft {
            applicant_id: p.holder_server.clone().into(),
            ..ApplicationDraft::default()
        };
        let t = Instant::now();
        for _ in 0..OPERATIONS {
            let key = uuid::Uuid::new_v4().to_string();
            p.engine
                .api()
                .create_application(&draft, &key)
                .await
                .unwrap();
        }
        let client_took = t.elapsed();
        // The first round warms both up.
        if round > 0 {
            ours.push(engine_took);
            theirs.push(raw_took);
            pulls.push(pull_took);
            clients.push(client_took);
        }
    }
    let (ours, theirs) = (median(ours), median(theirs));
    let (pull, client) = (median(pulls), median(clients));
    println!("{OPERATIONS} operations, median of {rounds} rounds");
    println!("engine sync (push + pull)   {:8.1} ms", ms(ours));
    println!("  a pull alone (second run)  {:8.1} ms", ms(pull));
    println!("reqwest, by hand            {:8.1} ms", ms(theirs));
    println!("  the engine's client alone  {:8.1} ms", ms(client));
    println!("ratio                       {:8.2}", ms(ours) / ms(theirs));
}
