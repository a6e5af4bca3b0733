//! Autosave of one field change through the store's public API (validation
//! and sealing included) beside a raw rusqlite upsert of the same bytes into
//! a table of the same shape, with the same pragmas, in the same run.
//!
//! `cargo bench -p mpaspor-core --bench autosave` (add `-- 50000` for more saves).

use mpaspor_core::Store;
use mpaspor_core::crypto::DataKey;
use mpaspor_domain::DraftField;
use mpaspor_domain::api::{ApplicantInput, Relationship};
use mpaspor_domain::choice::{MaritalStatus, Sex};
use rusqlite::{Connection, params};
use serde_json::json;
use std::time::{Duration, Instant};

const FIELDS: [DraftField; 4] = [
    DraftField::Address,
    DraftField::FullName,
    DraftField::Occupation,
    DraftField::MotherName,
];

fn value(i: usize) -> String {
    format!("Jalan Merdeka Raya No. {i}, Kelurahan Gambir, Jakarta Pusat")
}

fn raw_connection(path: &std::path::Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "NORMAL").unwrap();
    conn.pragma_update(None, "temp_store", "MEMORY").unwrap();
    conn.pragma_update(None, "foreign_keys", "ON").unwrap();
    conn.pragma_update(None, "secure_delete", "ON").unwrap();
    conn.execute_batch(
        "CREATE TABLE fields (draft_id TEXT NOT NULL, field TEXT NOT NULL, value BLOB NOT NULL,
             rev INTEGER NOT NULL, PRIMARY KEY (draft_id, field)) STRICT, WITHOUT ROWID;",
    )
    .unwrap();
    conn
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let saves: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(20_000);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("store.sqlite"), DataKey::generate().0).unwrap();
    let applicant = store
        .add_applicant(&ApplicantInput {
            full_name: "Bench".into(),
            relationship: Relationship::Holder,
            birth_date: jiff::civil::date(1990, 1, 1),
            sex: Sex::Male,
            marital_status: MaritalStatus::Single,
            nik: None,
        })
        .unwrap();
    let draft = store.new_draft(&applicant).unwrap();
    let raw = raw_connection(&dir.path().join("raw.sqlite"));
    let mut upsert = raw
        .prepare(
            "INSERT INTO fields (draft_id, field, value, rev) VALUES (?1, ?2, ?3, 1)
             ON CONFLICT (draft_id, field) DO UPDATE SET value = excluded.value, rev = rev + 1",
        )
        .unwrap();

    let (mut ours, mut theirs) = (Vec::with_capacity(saves), Vec::with_capacity(saves));
    // Alternate blocks of 500 so both see the same machine.
    let block = 500;
    for start in (0..saves + 1000).step_by(block) {
        for i in start..start + block {
            let field = FIELDS[i % FIELDS.len()];
            let v = json!(value(i));
            let t = Instant::now();
            store.save_field(&draft, field, &v).unwrap();
            let took = t.elapsed();
            let bytes = serde_json::to_vec(&v).unwrap();
            let t2 = Instant::now();
            upsert
                .execute(params![draft.as_str(), field.as_str(), bytes])
                .unwrap();
            let took2 = t2.elapsed();
            if i >= 1000 {
                // The first 1000 of each warm the caches.
                ours.push(took);
                theirs.push(took2);
            }
        }
    }
    ours.truncate(saves);
    theirs.truncate(saves);
    ours.sort();
    theirs.sort();
    let row = |name: &str, d: &[Duration]| {
        let mean = d.iter().sum::<Duration>() / d.len() as u32;
        println!(
            "| {name} | {} | {:.1} | {:.1} | {:.1} |",
            d.len(),
            percentile(d, 0.50).as_secs_f64() * 1e6,
            percentile(d, 0.99).as_secs_f64() * 1e6,
            mean.as_secs_f64() * 1e6
        );
    };
    println!("| autosave of one field | saves | p50 µs | p99 µs | mean µs |");
    println!("| --- | --- | --- | --- | --- |");
    row("Store::save_field (check + seal + upsert)", &ours);
    row("raw rusqlite upsert, same bytes and pragmas", &theirs);
    let ratio = percentile(&ours, 0.99).as_secs_f64() / percentile(&theirs, 0.99).as_secs_f64();
    println!("\np99 ratio: {ratio:.2}x (goal: within 2x)");
}
