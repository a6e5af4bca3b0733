//! Booking under contention: 500 clients, each with its own connection and
//! its own ready application, submit at once for one window with 50 places
//! left. Per round: how long from the start signal to the last answer,
//! bookings per second, the submits' p50 and p99, and the proof that exactly
//! 50 were booked (50 answers 201, 450 `slot_full`, the window's places 0,
//! and 50 applications holding it in the mock's database). The peer, in the
//! same run: the same burst of 500 fresh connections asking `/healthz`.
//!
//! `cargo bench -p mpaspor-mock --bench booking` (add `-- 7` for more rounds).

#[path = "../tests/support/mod.rs"]
mod support;

use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::*;

const CLIENTS: usize = 500;
const PLACES: u32 = 50;
const OFFICE: &str = "kanim-bandung";

/// One applicant's ready application, and whose it is.
struct Racer {
    api: Client,
    applicant: String,
    person: mpaspor_domain::api::Citizen,
    id: String,
}

impl Racer {
    async fn ready(api: Client, applicant: String, person: mpaspor_domain::api::Citizen) -> Racer {
        let app = api.draft_with(&person, OFFICE, &applicant).await;
        let id = app["id"].as_str().unwrap().to_owned();
        api.upload_required(&id).await;
        Racer {
            api,
            applicant,
            person,
            id,
        }
    }

    /// Cancels the booked application (nothing was paid) and files again.
    async fn again(self) -> Racer {
        self.api
            .post(
                &format!("/v1/applications/{}/cancel", self.id),
                json!({"accept_forfeit": false}),
            )
            .await
            .ok();
        Racer::ready(self.api, self.applicant, self.person).await
    }
}

/// The peer, in the same run: 500 connections made the same way asking
/// `/healthz` at once, the HTTP stack's floor for the same burst.
async fn floor(url: &str) -> Duration {
    let start = Arc::new(tokio::sync::Barrier::new(CLIENTS + 1));
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (start, url) = (start.clone(), url.to_owned());
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            client.get(format!("{url}/healthz")).send().await.unwrap();
            let request = client.get(format!("{url}/healthz"));
            start.wait().await;
            let response = request.send().await.unwrap();
            assert!(response.status().is_success());
            response.bytes().await.unwrap();
        }));
    }
    start.wait().await;
    let began = Instant::now();
    for t in tasks {
        t.await.unwrap();
    }
    began.elapsed()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let rounds: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(5);
    let mock = Mock::start().await;
    // 100 accounts of five, each person's application ready to submit.
    // After a round its 50 winners cancel and file again, so every round
    // races 500.
    let people = adults(CLIENTS);
    assert_eq!(
        people.len(),
        CLIENTS,
        "enough adults in the seeded registry"
    );
    let setup = Instant::now();
    let mut pool: Vec<Racer> = Vec::new();
    for group in people.chunks(5) {
        mock.one_family(group);
        let api = mock.account_for(&group[0]).await;
        for (i, person) in group.iter().enumerate() {
            let applicant = if i == 0 {
                api.holder_id().await
            } else {
                api.add_applicant(person).await
            };
            pool.push(Racer::ready(api.clone(), applicant, person.clone()).await);
        }
    }
    println!(
        "booking: {} ready applications in {:.1} s",
        pool.len(),
        setup.elapsed().as_secs_f64()
    );

    let url = mock.url();
    let mut results = Vec::new();
    for round in 0..rounds {
        let slot = mock.anon().free_slot(OFFICE, round).await;
        mock.leave_places(&slot, "general", PLACES);
        let start = Arc::new(tokio::sync::Barrier::new(CLIENTS + 1));
        let mut tasks = Vec::new();
        for racer in pool.drain(..) {
            let (start, url, slot) = (start.clone(), url.clone(), slot.clone());
            tasks.push(tokio::spawn(async move {
                let client = reqwest::Client::new();
                // Connected before the start, so the race is the booking, not the handshakes.
                client.get(format!("{url}/healthz")).send().await.unwrap();
                let request = client
                    .post(format!("{url}/v1/applications/{}/submit", racer.id))
                    .bearer_auth(&racer.api.token)
                    .json(&json!({"slot_id": slot, "declaration_accepted": true}));
                start.wait().await;
                let sent = Instant::now();
                let response = request.send().await.unwrap();
                let status = response.status().as_u16();
                let body: Value = response.json().await.unwrap();
                (status, body, sent.elapsed(), racer)
            }));
        }
        start.wait().await;
        let began = Instant::now();
        let mut latencies = Vec::new();
        let (mut booked, mut full) = (0, 0);
        let mut winners = Vec::new();
        for task in tasks {
            let (status, body, latency, racer) = task.await.unwrap();
            latencies.push(latency);
            match status {
                201 => {
                    booked += 1;
                    winners.push(racer);
                }
                409 if body["error"]["code"] == "slot_full" => {
                    full += 1;
                    pool.push(racer);
                }
                other => panic!("round {round}: {other} {body}"),
            }
        }
        let took = began.elapsed();
        latencies.sort();
        let holding = mock.count(&format!(
            "SELECT count(*) FROM applications WHERE slot_id = '{slot}' AND state = 'awaiting_payment'"
        ));
        let left = mock.anon().slot_left(OFFICE, &slot).await;
        assert_eq!(
            (booked, full, left, holding),
            (PLACES as usize, CLIENTS - PLACES as usize, 0, PLACES as i64),
            "round {round}: exactly {PLACES} booked"
        );
        println!(
            "booking round {round}: {CLIENTS} submits for {PLACES} places in {:.0} ms: \
             {booked} booked, {full} slot_full, left 0; {:.0} bookings/s, {:.0} answers/s, \
             p50 {:.1} ms, p99 {:.1} ms",
            ms(took),
            booked as f64 / took.as_secs_f64(),
            CLIENTS as f64 / took.as_secs_f64(),
            ms(pct(&latencies, 0.5)),
            ms(pct(&latencies, 0.99)),
        );
        let peer = floor(&url).await;
        println!(
            "booking round {round} peer: the same burst of 500 asking /healthz in {:.0} ms",
            ms(peer)
        );
        results.push((took, pct(&latencies, 0.5), pct(&latencies, 0.99), peer));
        for winner in winners {
            pool.push(winner.again().await);
        }
    }
    let median = |f: fn(&(Duration, Duration, Duration, Duration)) -> Duration| {
        let mut v: Vec<Duration> = results.iter().map(f).collect();
        v.sort();
        v[v.len() / 2]
    };
    let took = median(|r| r.0);
    println!(
        "booking median of {rounds}: {:.0} ms for the race (the /healthz burst {:.0} ms), {:.0} bookings/s, {:.0} answers/s, p50 {:.1} ms, p99 {:.1} ms",
        ms(took),
        ms(median(|r| r.3)),
        PLACES as f64 / took.as_secs_f64(),
        CLIENTS as f64 / took.as_secs_f64(),
        ms(median(|r| r.1)),
        ms(median(|r| r.2)),
    );
}
