//! The engine's start on a phone that has kept 1 000 applications: open the
//! SQLite file (pragmas, the schema check and migrations), then list every
//! application (each unsealed and parsed, newest first), beside a raw
//! rusqlite open of the same file reading the same rows without unsealing,
//! in the same run.
//!
//! `cargo bench -p mpaspor-core --bench start` (add `-- 50` for more rounds).

use jiff::Timestamp;
use mpaspor_core::Store;
use mpaspor_core::crypto::DataKey;
use mpaspor_domain::api::{Application, ApplicationDraft, Appointment, TimelineEntry};
use mpaspor_domain::schedule::{OfficeZone, TimeWindow};
use mpaspor_domain::state::ApplicationState;
use rusqlite::Connection;
use std::time::{Duration, Instant};

const APPLICATIONS: usize = 1_000;

fn application(i: usize) -> Application {
    let at: Timestamp = "2026-12-01T02:00:00Z".parse().unwrap();
    let at = at + jiff::SignedDuration::from_secs(i as i64);
    let mut draft = ApplicationDraft {
        applicant_id: format!("ap_{i}").into(),
        office_id: Some("kanim-jakarta-selatan".into()),
        ..ApplicationDraft::default()
    };
    draft.personal.full_name = Some(format!("Pemohon Nomor {i}"));
    draft.personal.address = Some("Jalan Merdeka Raya No. 1, Gambir, Jakarta Pusat".into());
    Application {
        id: format!("app_{i:05}").into(),
        version: 3,
        state: ApplicationState::Paid,
        draft,
        documents: vec![],
        appointment: Some(Appointment {
            slot_id: "kanim-jakarta-selatan.20261210.0800".into(),
            office_id: "kanim-jakarta-selatan".into(),
            date: jiff::civil::date(2026, 12, 10),
            window: TimeWindow {
                start: jiff::civil::time(8, 0, 0, 0),
                end: jiff::civil::time(10, 0, 0, 0),
            },
            zone: OfficeZone::Wib,
        }),
        fee: None,
        reschedules_used: 0,
        created_at: at,
        updated_at: at,
        timeline: vec![
            TimelineEntry {
                state: ApplicationState::Draft,
                at,
                event: None,
                note: None,
            },
            TimelineEntry {
                state: ApplicationState::AwaitingPayment,
                at,
                event: None,
                note: None,
            },
            TimelineEntry {
                state: ApplicationState::Paid,
                at,
                event: None,
                note: None,
            },
        ],
        corrections: Vec::new(),
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let rounds: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(21);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mpaspor.sqlite");
    let key = DataKey::generate().0;
    {
        let store = Store::open(&path, key.clone()).unwrap();
        for i in 0..APPLICATIONS {
            store.keep_application(&application(i), None).unwrap();
        }
    }
    let (mut open, mut list, mut raw) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds + 2 {
        let t = Instant::now();
        let store = Store::open(&path, key.clone()).unwrap();
        let opened = t.elapsed();
        let apps = store.applications().unwrap();
        let total = t.elapsed();
        assert_eq!(apps.len(), APPLICATIONS);
        drop(store);

        let t = Instant::now();
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        let rows: Vec<(String, Vec<u8>)> = conn
            .prepare("SELECT id, sealed FROM applications")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let raw_took = t.elapsed();
        assert_eq!(rows.len(), APPLICATIONS);
        drop(conn);
        // Two warm-up rounds.
        if round >= 2 {
            open.push(opened);
            list.push(total - opened);
            raw.push(raw_took);
        }
    }
    let (open, list, raw) = (median(open), median(list), median(raw));
    println!("{APPLICATIONS} applications, median of {rounds} rounds");
    println!("open (pragmas, schema check)   {:8.2} ms", ms(open));
    println!("list (unseal, parse, sort)     {:8.2} ms", ms(list));
    println!("engine start (open + list)     {:8.2} ms", ms(open + list));
    println!("raw rusqlite open + read rows  {:8.2} ms", ms(raw));
    println!(
        "ratio                          {:8.2}",
        ms(open + list) / ms(raw)
    );
}
