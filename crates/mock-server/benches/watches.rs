//! Telling watches: one quota release of 100 places (five windows of 20 at
//! ULP Pondok Pinang) matched against 10 000 watches in the transaction
//! that opens them, each fitting watch getting its event and its email;
//! twice: every watch on that office (the worst case), and the 10 000
//! spread over the 43 offices. Beside it, in the same run, the peer: the
//! same 10 000 phones each polling that office's slots once (one GET of
//! `/v1/offices/{id}/slots?days=30` each, 32 at a time, on loopback) to
//! learn of the same places.
//!
//! `cargo bench -p mpaspor-mock --bench watches` (add `-- 9` for more rounds).

use mpaspor_mock::model::watches::tell;
use mpaspor_mock::reference::{self, Pool, SlotRef};
use mpaspor_mock::{MockConfig, start};
use rusqlite::params;
use std::time::{Duration, Instant};

const OFFICE: &str = "ulp-pondok-pinang";
const WATCHES: usize = 10_000;
const POLLERS: usize = 32;

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
    let mock = start(MockConfig::default(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let state = mock.state.clone();
    let office = reference::office(OFFICE).unwrap();
    let now = state.clock.now();
    let first = mpaspor_mock::model::bookings::first_bookable(now, office);
    // The release: the first five windows from the first bookable day.
    let mut opened = Vec::new();
    let mut date = first;
    while opened.len() < 5 {
        for window in office.windows_on(date) {
            if opened.len() < 5 {
                opened.push((
                    SlotRef {
                        office,
                        date,
                        window,
                    },
                    Pool::General,
                    office.capacity_per_window,
                ));
            }
        }
        date = date.tomorrow().unwrap();
    }
    let places: u32 = opened.len() as u32 * office.capacity_per_window;
    assert_eq!(places, 100);
    let (from, to) = (
        first.to_string(),
        (first + jiff::Span::new().days(29)).to_string(),
    );

    // 10 000 applicants (1 000 accounts of ten drafts each), one watch each.
    let offices: Vec<&str> = reference::OFFICES
        .iter()
        .map(|o| o.served.id.as_str())
        .collect();
    let setup = |spread: bool| {
        state
            .db
            .write(|tx| {
                tx.execute_batch(
                    "DELETE FROM watch_offices; DELETE FROM watches; DELETE FROM events; DELETE FROM outbox;",
                )?;
                for a in 0..WATCHES / 10 {
                    tx.prepare_cached("INSERT OR IGNORE INTO accounts (id, email, full_name, phone, birth_date, sex, password_hash, verified, created_at) VALUES (?1, ?2, 'Bench', '081234567890', '1990-01-01', 'male', '-', 1, 0)")?
                        .execute(params![format!("acc_{a}"), format!("bench{a}@example.com")])?;
                }
                for i in 0..WATCHES {
                    let (account, app) = (format!("acc_{}", i / 10), format!("app_{i}"));
                    tx.prepare_cached("INSERT OR IGNORE INTO applications (id, account_id, applicant_id, version, state, draft, created_at, updated_at) VALUES (?1, ?2, 'ap', 1, 'draft', '{}', 0, 0)")?
                        .execute(params![app, account])?;
                    tx.prepare_cached("INSERT INTO watches (id, account_id, application_id, nik, from_date, to_date, passport_type, service, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'elektronik', 'reguler', 0)")?
                        .execute(params![format!("wat_{i}"), account, app, format!("{i:016}"), from, to])?;
                    let at = if spread { offices[i % offices.len()] } else { OFFICE };
                    tx.prepare_cached("INSERT INTO watch_offices (office_id, watch_id) VALUES (?1, ?2)")?
                        .execute(params![at, format!("wat_{i}")])?;
                }
                Ok(())
            })
            .unwrap();
    };
    let reset = || {
        state
            .db
            .write(|tx| {
                tx.execute_batch(
                    "DELETE FROM events; DELETE FROM outbox; UPDATE watches SET last_match = NULL;",
                )?;
                Ok(())
            })
            .unwrap();
    };

    let mut report = Vec::new();
    for (name, spread) in [
        ("every watch on the office", false),
        ("spread over 43 offices", true),
    ] {
        setup(spread);
        let mut took = Vec::new();
        let mut told = 0;
        for _ in 0..rounds {
            let start = Instant::now();
            told = state.db.write(|tx| tell(tx, &opened, now)).unwrap();
            took.push(start.elapsed());
            reset();
        }
        report.push((name, told, median(took)));
    }

    // The peer: the same 10 000 phones polling the office's slots once.
    let url = format!("{}/v1/offices/{OFFICE}/slots?days=30", mock.url());
    let mut polls = Vec::new();
    for _ in 0..rounds {
        let start = Instant::now();
        let mut tasks = Vec::new();
        for p in 0..POLLERS {
            let url = url.clone();
            tasks.push(tokio::spawn(async move {
                let client = reqwest::Client::new();
                for _ in (p..WATCHES).step_by(POLLERS) {
                    let body = client
                        .get(&url)
                        .send()
                        .await
                        .unwrap()
                        .bytes()
                        .await
                        .unwrap();
                    assert!(!body.is_empty());
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        polls.push(start.elapsed());
    }

    println!("{places} places released at {OFFICE}, {WATCHES} watches, median of {rounds} rounds:");
    for (name, told, took) in report {
        println!(
            "  match and tell ({name}): {:.1} ms, {told} watches told",
            ms(took)
        );
    }
    println!(
        "  peer, one polling round of {WATCHES} phones ({POLLERS} at a time): {:.1} ms",
        ms(median(polls))
    );
    mock.stop().await;
}
