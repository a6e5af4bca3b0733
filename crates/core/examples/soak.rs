//! The soak: many applicants, each a phone of its own (an engine, a SQLite
//! file, a keystore), go through the whole journey at once against the mock
//! on 127.0.0.1 with faults on: latency on every request, 5% of them
//! answered 503, and 3% of the application routes' answers dropped after
//! the change was committed. Each applicant registers (OTP from the mock's
//! outbox), logs in, files for one to three people (a live NIK check, every
//! field, three prepared photos), picks a window, submits, pays (half tell
//! immigration through the bank, half through the NTPN in the app), and one
//! in four reschedules, one in five cancels and files again. Refusals are
//! met as the app meets them: a full window means another window.
//!
//! At the end, with the faults cleared, it checks that every applicant has
//! exactly the applications it meant to have, in the state it left them,
//! on its phone and on the server; that bookings plus places left equal
//! capacity for every window; and that no request got a 5xx the faults did
//! not make. It exits non-zero on any failure or when it ran past its time.
//!
//! `scripts/soak` runs the full one (200 applicants, 5 minutes at most);
//! `scripts/test` a 30-second one:
//! `cargo run -p mpaspor-core --example soak -- --applicants 40 --seconds 30`.

#[path = "../tests/photo/samples.rs"]
mod samples;
// The engine tests' tester client and helpers (the soak uses a few of them).
#[path = "../tests/engine/support.rs"]
#[allow(dead_code)]
mod support;

use mpaspor_core::client::{ApiConfig, RetryPolicy};
use mpaspor_core::photo::{PreparedPhoto, prepare};
use mpaspor_core::{Api, ApiError, Engine, Secrets, Store};
use mpaspor_domain::SlotId;
use mpaspor_domain::api::{
    Application, Citizen, ErrorCode, NikCheckRequest, RegisterRequest, Relationship, RequestTotals,
};
use mpaspor_domain::choice::{MaritalStatus, Sex};
use mpaspor_domain::eligibility::DocumentKind;
use mpaspor_domain::state::ApplicationState;
use rand::RngExt;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{Tester, complete_draft_fields, input_of};

const OFFICES: [&str; 2] = ["kanim-jakarta-selatan", "kanim-jakarta-timur"];
const DOCUMENTS: [DocumentKind; 3] = [
    DocumentKind::Ektp,
    DocumentKind::FamilyCard,
    DocumentKind::BirthCertificate,
];
const PASSWORD: &str = "paspor-baru-2026";

struct Args {
    applicants: usize,
    seconds: u64,
}

fn args() -> Args {
    let mut args = Args {
        applicants: 200,
        seconds: 300,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().and_then(|v| v.parse().ok());
        match (flag.as_str(), value) {
            ("--applicants", Some(n)) => args.applicants = n as usize,
            ("--seconds", Some(s)) => args.seconds = s,
            _ => {
                eprintln!("usage: soak [--applicants N] [--seconds S]");
                std::process::exit(2);
            }
        }
    }
    args
}

/// What an applicant meant to leave on the server: an application in a state,
/// at a window (none when cancelled), rescheduled or not.
#[derive(Debug, Clone)]
struct Meant {
    draft: mpaspor_domain::DraftId,
    state: ApplicationState,
    slot: Option<SlotId>,
    rescheduled: bool,
}

/// One simulated applicant: a phone of its own.
struct Applicant {
    n: usize,
    email: String,
    people: Vec<Citizen>,
    engine: Arc<Engine>,
    _dir: tempfile::TempDir,
}

type Step<T> = Result<T, String>;

/// What a person does when the app says "try again": tries again, a little
/// later, while the error is one that may pass.
async fn again<T, F, Fut>(what: &str, mut call: F) -> Step<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, ApiError>>,
{
    for _ in 0..20 {
        match call().await {
            Ok(v) => return Ok(v),
            Err(e) if e.is_transient() => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => return Err(format!("{what}: {e}")),
        }
    }
    Err(format!("{what}: still failing after 20 tries"))
}

/// Syncs until nothing waits in the outbox (refused operations aside).
async fn settle(engine: &Engine) -> Step<()> {
    for _ in 0..200 {
        let report = engine.sync().await.map_err(|e| e.to_string())?;
        let (pending, _) = engine.store().outbox_counts().map_err(|e| e.to_string())?;
        if !report.interrupted && pending == 0 {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err("the outbox never emptied".into())
}

/// The refusal of `kind` on `draft` waiting in the outbox, taken out of it
/// (the app shows it, and the applicant chooses again).
fn refusal(engine: &Engine, kind: &str, draft: &str) -> Step<Option<String>> {
    let store = engine.store();
    for pending in store.outbox().map_err(|e| e.to_string())? {
        if let Some((code, _)) = &pending.failed
            && pending.operation.kind() == kind
            && pending.operation.target() == draft
        {
            store.discard(pending.seq).map_err(|e| e.to_string())?;
            return Ok(Some(code.clone()));
        }
    }
    Ok(None)
}

/// A free window at the office, among its first few (so applicants race
/// for the same places).
async fn pick_slot(api: &Api, office: &str, not: Option<&str>) -> Step<SlotId> {
    let slots = again("slots", || api.office_slots(office, None, Some(30))).await?;
    let free: Vec<SlotId> = slots
        .days
        .iter()
        .flat_map(|d| d.slots.iter())
        .filter(|s| s.left > 0 && Some(s.id.as_str()) != not)
        .take(4)
        .map(|s| s.id.clone())
        .collect();
    if free.is_empty() {
        return Err(format!("no free window at {office}"));
    }
    Ok(free[rand::rng().random_range(0..free.len())].clone())
}

/// A person in the registry, built to the NIK's rules (region 3173 01,
/// south Jakarta; the day plus 40 for women; a serial of its own).
fn person(n: usize, k: usize) -> Citizen {
    let serial = n * 5 + k + 1;
    let female = serial.is_multiple_of(2);
    let (year, month, day) = (
        1960 + (serial % 40) as i16,
        1 + (serial % 12) as i8,
        1 + (serial % 28) as i8,
    );
    let nik = format!(
        "317401{:02}{:02}{:02}{:04}",
        day as u32 + if female { 40 } else { 0 },
        month,
        year % 100,
        serial
    );
    Citizen {
        nik,
        full_name: format!("Pemohon Soak {n} {k}"),
        birth_place: "Jakarta".into(),
        birth_date: jiff::civil::date(year, month, day),
        sex: if female { Sex::Female } else { Sex::Male },
        marital_status: MaritalStatus::Married,
        address: "Jalan Soak 1, Jakarta".into(),
        mother_name: Some("Ibu Soak".into()),
        passports: vec![],
        // A phone's people are one family, on one card.
        family_card: Some(format!("317401{n:010}")),
    }
}

fn config(url: &str) -> ApiConfig {
    let mut config = ApiConfig::new(url);
    config.timeout = Duration::from_secs(10);
    config.retry = RetryPolicy {
        attempts: 5,
        base: Duration::from_millis(50),
        cap: Duration::from_millis(800),
    };
    config
}

impl Applicant {
    fn new(n: usize, url: &str) -> Applicant {
        let dir = tempfile::tempdir().unwrap();
        let secrets = Secrets::in_memory();
        let (key, _) = secrets.data_key().unwrap();
        let store = Store::open(&dir.path().join("mpaspor.sqlite"), key).unwrap();
        let api = Api::new(config(url), secrets).unwrap();
        Applicant {
            n,
            email: format!("soak{n}@example.com"),
            people: (0..1 + n % 3).map(|k| person(n, k)).collect(),
            engine: Engine::new(store, api),
            _dir: dir,
        }
    }

    fn api(&self) -> &Api {
        self.engine.api()
    }

    fn store(&self) -> &Store {
        self.engine.store()
    }

    /// Registers, verifies with the emailed OTP, logs in. A register or
    /// verify whose answer was lost is met by what the server says next.
    async fn sign_up(&self, tester: &Tester) -> Step<()> {
        let holder = &self.people[0];
        let request = RegisterRequest {
            full_name: holder.full_name.clone(),
            email: self.email.clone(),
            phone: "081377665544".into(),
            password: PASSWORD.into(),
            birth_date: holder.birth_date,
            sex: holder.sex,
            language: Default::default(),
        };
        again("register", || self.api().register(&request)).await?;
        let mut verified = false;
        for _ in 0..20 {
            let mail = tester
                .get(&format!("/tester/outbox?email={}", self.email))
                .await;
            let otp = mail["items"][0]["otp"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            match self.api().verify(&self.email, &otp).await {
                Ok(_) => verified = true,
                // The first verify went through and its answer was lost.
                Err(e) if e.code() == Some(ErrorCode::EmailTaken) => verified = true,
                Err(e) if e.is_transient() => {}
                Err(e) => return Err(format!("verify: {e}")),
            }
            if verified {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        if !verified {
            return Err("verify: still failing".into());
        }
        again("login", || self.api().login(&self.email, PASSWORD)).await?;
        Ok(())
    }

    /// The application for one person, from a new draft to paid.
    async fn file(&self, tester: &Tester, applicant: &str, who: &Citizen) -> Step<Meant> {
        let check = NikCheckRequest {
            nik: who.nik.clone(),
            full_name: who.full_name.clone(),
            birth_date: who.birth_date,
        };
        let checked = again("NIK check", || self.api().nik_check(&check)).await?;
        if !checked.valid {
            return Err(format!("NIK check: {}", checked.message));
        }
        let store = self.store();
        fn err(e: impl std::fmt::Display) -> String {
            e.to_string()
        }
        let draft = store.new_draft(applicant).map_err(err)?;
        let office = OFFICES[rand::rng().random_range(0..OFFICES.len())];
        for (field, value) in complete_draft_fields(who, office) {
            store.save_field(&draft, field, &value).map_err(err)?;
        }
        for (kind, photo) in DOCUMENTS.into_iter().zip(photos()) {
            store.attach_document(&draft, kind, photo).map_err(err)?;
        }
        settle(&self.engine).await?;
        let mut slot = None;
        for _ in 0..10 {
            let chosen = pick_slot(self.api(), office, None).await?;
            self.engine.submit(&draft, &chosen).map_err(err)?;
            settle(&self.engine).await?;
            match refusal(&self.engine, "submit", &draft)? {
                None => {
                    slot = Some(chosen);
                    break;
                }
                Some(code) if code == "slot_full" => continue,
                Some(code) => return Err(format!("submit refused: {code}")),
            }
        }
        let Some(slot) = slot else {
            return Err("ten full windows in a row".into());
        };
        let server_id = store
            .draft(&draft)
            .map_err(err)?
            .server_id
            .ok_or("submitted without a server id")?;
        let payment = store
            .payment(&server_id)
            .map_err(err)?
            .ok_or("no billing code kept at submit")?;
        let tell = rand::rng().random_bool(0.5);
        let paid = tester
            .post(
                "/tester/payments",
                json!({"billing_code": payment.billing_code.as_str(), "notify": tell}),
            )
            .await;
        if !tell {
            let ntpn = mpaspor_domain::Ntpn::parse(paid["ntpn"].as_str().unwrap_or_default())
                .map_err(|e| format!("the bank's NTPN: {e}"))?;
            self.engine.confirm_payment(&draft, &ntpn).map_err(err)?;
        }
        settle(&self.engine).await?;
        if let Some(code) = refusal(&self.engine, "confirm_payment", &draft)? {
            return Err(format!("NTPN refused: {code}"));
        }
        Ok(Meant {
            draft,
            state: ApplicationState::Paid,
            slot: Some(slot),
            rescheduled: false,
        })
    }

    async fn reschedule(&self, meant: &mut Meant) -> Step<()> {
        for _ in 0..10 {
            let office = office_of(meant.slot.as_deref().unwrap_or_default());
            let chosen = pick_slot(self.api(), office, meant.slot.as_deref()).await?;
            self.engine
                .reschedule(&meant.draft, &chosen)
                .map_err(|e| e.to_string())?;
            settle(&self.engine).await?;
            match refusal(&self.engine, "reschedule", &meant.draft)? {
                None => {
                    meant.slot = Some(chosen);
                    meant.rescheduled = true;
                    return Ok(());
                }
                Some(code) if code == "slot_full" => continue,
                Some(code) => return Err(format!("reschedule refused: {code}")),
            }
        }
        Err("no window to reschedule to".into())
    }

    async fn cancel(&self, meant: &mut Meant) -> Step<()> {
        self.engine
            .cancel(&meant.draft, true)
            .map_err(|e| e.to_string())?;
        settle(&self.engine).await?;
        if let Some(code) = refusal(&self.engine, "cancel", &meant.draft)? {
            return Err(format!("cancel refused: {code}"));
        }
        meant.state = ApplicationState::Cancelled;
        meant.slot = None;
        Ok(())
    }

    /// The whole journey; answers what it meant to leave on the server.
    async fn journey(&self, tester: &Tester, stop_starting: Instant) -> Step<Vec<Meant>> {
        for who in &self.people {
            tester.add_citizen(who).await;
        }
        self.sign_up(tester).await?;
        settle(&self.engine).await?;
        fn err(e: impl std::fmt::Display) -> String {
            e.to_string()
        }
        let holder = self
            .store()
            .applicants()
            .map_err(err)?
            .into_iter()
            .find(|a| a.input.relationship == Relationship::Holder)
            .ok_or("the holder never came down")?
            .id;
        let mut meant = Vec::new();
        for (k, who) in self.people.iter().enumerate() {
            if Instant::now() > stop_starting {
                break;
            }
            let applicant = if k == 0 {
                self.store()
                    .update_applicant(&holder, &input_of(who, Relationship::Holder))
                    .map_err(err)?;
                holder.clone()
            } else {
                let relationship = [Relationship::Spouse, Relationship::Sibling][k - 1];
                self.store()
                    .add_applicant(&input_of(who, relationship))
                    .map_err(err)?
            };
            let mut filed = self.file(tester, &applicant, who).await?;
            let dice = rand::rng().random_range(0..20);
            if dice < 5 {
                self.reschedule(&mut filed).await?;
            }
            if dice % 5 == 4 {
                self.cancel(&mut filed).await?;
                meant.push(filed);
                if Instant::now() < stop_starting {
                    meant.push(self.file(tester, &applicant, who).await?);
                }
            } else {
                meant.push(filed);
            }
        }
        Ok(meant)
    }

    /// Phone and server agree with what was meant, and nothing else is there.
    async fn check(&self, meant: &[Meant]) -> Step<()> {
        settle(&self.engine).await?;
        let (pending, failed) = self.store().outbox_counts().map_err(|e| e.to_string())?;
        if pending + failed > 0 {
            return Err(format!(
                "{pending} waiting and {failed} refused in the outbox"
            ));
        }
        let server = again("list", || self.api().all_applications()).await?;
        if server.len() != meant.len() {
            return Err(format!(
                "meant {} applications, the server has {}",
                meant.len(),
                server.len()
            ));
        }
        let by_id: HashMap<&str, &Application> =
            server.iter().map(|a| (a.id.as_str(), a)).collect();
        for m in meant {
            let draft = self.store().draft(&m.draft).map_err(|e| e.to_string())?;
            let id = draft.server_id.ok_or("a meant draft has no server id")?;
            let app = by_id
                .get(id.as_str())
                .ok_or_else(|| format!("{id} is not on the server"))?;
            let kept = self
                .store()
                .application(&id)
                .map_err(|e| e.to_string())?
                .ok_or("the phone has no copy")?;
            let slot = app.appointment.as_ref().map(|a| a.slot_id.clone());
            let problems = [
                (app.state != m.state, "state"),
                (kept.state != app.state, "the phone's copy"),
                (m.slot.is_some() && slot != m.slot, "window"),
                (
                    app.reschedules_used != u32::from(m.rescheduled),
                    "reschedules",
                ),
            ];
            if let Some((_, what)) = problems.iter().find(|(bad, _)| *bad) {
                return Err(format!(
                    "{id}: {what}: meant {m:?}, the server has {:?} at {slot:?}",
                    app.state
                ));
            }
        }
        Ok(())
    }
}

/// A slot's id is `office.YYYYMMDD.HHMM`.
fn office_of(slot: &str) -> &str {
    slot.split('.').next().unwrap_or_default()
}

/// Three prepared photos, made once and shared by every applicant.
fn photos() -> &'static [PreparedPhoto] {
    static PHOTOS: std::sync::OnceLock<Vec<PreparedPhoto>> = std::sync::OnceLock::new();
    PHOTOS.get_or_init(|| {
        (0..3)
            .map(|seed| {
                let picture = samples::noisy(samples::card(1700, 1070), seed);
                prepare(&samples::jpeg(&picture, 90)).expect("a clear card photo passes")
            })
            .collect()
    })
}

/// Bookings plus places left equal capacity, for every window of the offices.
async fn check_places(tester: &Tester) -> Step<(u64, u64)> {
    let apps = tester.applications().await;
    let mut booked: HashMap<SlotId, u64> = HashMap::new();
    for app in apps.iter().filter(|a| a.state.is_active()) {
        if let Some(at) = &app.appointment {
            *booked.entry(at.slot_id.clone()).or_default() += 1;
        }
    }
    let (mut windows, mut bookings) = (0, 0);
    for office in OFFICES {
        let slots = tester
            .get(&format!("/v1/offices/{office}/slots?days=30"))
            .await;
        for day in slots["days"].as_array().unwrap() {
            for slot in day["slots"].as_array().unwrap() {
                let id = slot["id"].as_str().unwrap();
                let (capacity, left) = (
                    slot["capacity"].as_u64().unwrap(),
                    slot["left"].as_u64().unwrap(),
                );
                let taken = booked.remove(id).unwrap_or(0);
                if taken + left != capacity {
                    return Err(format!("{id}: {taken} booked + {left} left != {capacity}"));
                }
                windows += 1;
                bookings += taken;
            }
        }
    }
    if let Some((slot, n)) = booked.into_iter().next() {
        return Err(format!("{n} bookings at {slot}, a window no office lists"));
    }
    Ok((windows, bookings))
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let args = args();
    let started = Instant::now();
    let limit = Duration::from_secs(args.seconds);
    let mock = mpaspor_mock::start(Default::default(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let tester = Tester::new(&mock.url(), mock.tester_token().unwrap());
    photos();
    // The first matching rule wins; a rule with a share lets the rest through to the next.
    tester
        .fault(json!({"route": "/v1/applications/**", "drop_after_commit": true, "share": 0.03}))
        .await;
    tester
        .fault(json!({"route": "/v1/**", "latency_ms": 5, "error_rate": 0.05}))
        .await;
    // Journeys start for the first 60% of the time, then finish.
    let stop_starting = started + limit.mul_f64(0.6);
    let applicants: Vec<Arc<Applicant>> = (0..args.applicants)
        .map(|n| Arc::new(Applicant::new(n, &mock.url())))
        .collect();
    let journeys: Vec<_> = applicants
        .iter()
        .map(|a| {
            let (a, tester) = (a.clone(), tester.clone());
            tokio::spawn(async move { a.journey(&tester, stop_starting).await })
        })
        .collect();
    let mut failures = Vec::new();
    let mut meant = Vec::new();
    for (a, journey) in applicants.iter().zip(journeys) {
        match tokio::time::timeout_at(tokio::time::Instant::from_std(started + limit), journey)
            .await
        {
            Ok(Ok(Ok(m))) => meant.push(m),
            Ok(Ok(Err(e))) => failures.push(format!("applicant {}: {e}", a.n)),
            Ok(Err(panic)) => failures.push(format!("applicant {}: panicked: {panic}", a.n)),
            Err(_) => failures.push(format!("applicant {}: not done in {} s", a.n, args.seconds)),
        }
    }
    let journeys_took = started.elapsed();
    let totals: RequestTotals =
        serde_json::from_value(tester.get("/tester/requests/totals").await).unwrap();
    tester.clear_faults().await;
    if failures.is_empty() {
        for (a, m) in applicants.iter().zip(&meant) {
            if let Err(e) = a.check(m).await {
                failures.push(format!("applicant {}: {e}", a.n));
            }
        }
    }
    let places = check_places(&tester).await;
    let applications: usize = meant.iter().map(Vec::len).sum();
    let cancelled = meant
        .iter()
        .flatten()
        .filter(|m| m.state == ApplicationState::Cancelled)
        .count();
    let rescheduled = meant.iter().flatten().filter(|m| m.rescheduled).count();
    println!(
        "soak: {} applicants, {applications} applications ({rescheduled} rescheduled, {cancelled} cancelled) in {:.1} s",
        args.applicants,
        journeys_took.as_secs_f64()
    );
    println!(
        "soak: {} requests ({:.0}/s); faults {:?}; by status {:?}",
        totals.requests,
        totals.requests as f64 / journeys_took.as_secs_f64(),
        totals.by_fault,
        totals.by_status
    );
    match &places {
        Ok((windows, bookings)) => {
            println!("soak: {windows} windows, {bookings} bookings, every one adds up")
        }
        Err(e) => failures.push(format!("places: {e}")),
    }
    if totals.server_errors_not_injected > 0 {
        failures.push(format!(
            "{} answers were 5xx that no fault made",
            totals.server_errors_not_injected
        ));
    }
    if started.elapsed() > limit {
        failures.push(format!(
            "ran {} s, past the {} s bound",
            started.elapsed().as_secs(),
            args.seconds
        ));
    }
    if !failures.is_empty() {
        for f in failures.iter().take(20) {
            eprintln!("soak FAILED: {f}");
        }
        eprintln!("soak: {} failures", failures.len());
        std::process::exit(1);
    }
    println!("soak: passed");
}
