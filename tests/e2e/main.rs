//! End-to-end journeys: the real app binary under Xvfb at 390x844, driven
//! like a person against the mock server. See `tests/README.md`.

mod catalog;
mod desk;
#[path = "../../crates/mock-server/tests/browser/driver.rs"]
mod driver;
mod harness;
#[path = "../../crates/core/tests/engine/scan.rs"]
mod scan;

use catalog::Catalog;
use harness::{Mock, Phone, Screen, one_at_a_time};
use mpaspor_domain::api::{Citizen, TravelDocument, TravelDocumentStatus};
use mpaspor_domain::choice::{MaritalStatus, Sex};
use mpaspor_domain::{PassportNumber, PassportType};

/// The newcomer of the journeys: in the civil registry, with no account yet.
fn budi() -> Citizen {
    Citizen {
        nik: "3273011505900003".into(),
        full_name: "Budi Santoso".into(),
        birth_place: "Bandung".into(),
        birth_date: jiff::civil::date(1990, 5, 15),
        sex: Sex::Male,
        marital_status: MaritalStatus::Single,
        address: "Jalan Braga 12, Bandung".into(),
        mother_name: Some("Siti Aminah".into()),
        // An ordinary passport of 2016, expired.
        passports: vec![TravelDocument {
            number: PassportNumber::parse("B7654321").unwrap(),
            passport_type: PassportType::Biasa,
            issued_on: jiff::civil::date(2016, 3, 1),
            expires_on: jiff::civil::date(2021, 3, 1),
            status: TravelDocumentStatus::Expired,
            issuing_office: "Kantor Imigrasi Kelas I Bandung".into(),
        }],
        family_card: None,
    }
}

const EMAIL: &str = "budi.santoso@example.com";
const PASSWORD: &str = "rahasia-budi-77";

/// A journey's world: its screen, the mock, the phone, a scratch folder.
struct World {
    mock: Mock,
    phone: Phone,
    _screen: Screen,
    _scratch: tempfile::TempDir,
}

fn world(journey: &str) -> World {
    let screen = Screen::start();
    let mock = Mock::start();
    mock.add_citizen(&budi());
    let scratch = tempfile::tempdir().unwrap();
    let phone = Phone::start(journey, &screen, Some(&mock.url()), scratch.path());
    World {
        mock,
        phone,
        _screen: screen,
        _scratch: scratch,
    }
}

/// Welcome → register → the emailed OTP → home, in `lang` ("id" or "en").
fn register(w: &mut World, lang: &str) {
    let p = &mut w.phone;
    p.wait_for("#welcome");
    if lang == "en" {
        p.tap("#lang-en");
        p.wait_text("Create an account");
    }
    p.shot("welcome");
    p.tap("#to-register");
    p.type_in("#full_name", "Budi Santoso");
    p.type_in("#email", EMAIL);
    p.type_in("#phone", "081377665544");
    p.type_in("#password", PASSWORD);
    p.type_in("#birth_date", "15-05-1990");
    p.tap("#sex-male");
    p.shot("register");
    p.tap("#register-submit");
    p.wait_for("#otp");
    let otp = w.mock.otp(EMAIL);
    p.type_in("#otp", &otp);
    p.shot("otp");
    p.tap("#verify-submit");
    p.wait_for("#home");
}

/// Home → a new application for the holder, every step to the billing code.
fn apply_to_billing_code(w: &mut World, t: &Catalog) {
    first_steps(&mut w.phone);
    personal_step(&mut w.phone);
    w.phone.tap("#next");
    documents_step(&mut w.phone, t);
    schedule_and_submit(&mut w.phone, t);
}

/// A new application for the holder, from whom it is for to the office chosen.
fn first_steps(p: &mut Phone) {
    p.tap("#new-application");
    p.shot("home-whom");
    p.tap("[id^='new-for-']");
    p.wait_for("#step-service");
    p.tap("#service-0");
    p.shot("step-service");
    p.tap("#next");
    p.wait_for("#step-kind");
    p.tap("#kind-0");
    p.tap("#next");
    p.wait_for("#step-replacement");
    p.tap("#replacement-new");
    p.shot("step-replacement");
    p.tap("#next");
    p.wait_for("#step-passport");
    p.tap("#passport-type-0");
    p.tap("#validity-1");
    // An e-passport for ten years (PP 45/2024).
    p.wait_text("Rp950.000");
    p.shot("step-passport-fee");
    p.tap("#next");
    p.wait_for("#step-purpose");
    p.tap("#purpose-0");
    p.tap("#next");
    p.wait_for("#step-office");
    p.type_in("#office_query", "Jakarta Selatan");
    p.tap("#office-search");
    p.tap("#choose-kanim-jakarta-selatan");
    p.shot("step-office");
    p.tap("#next");
    p.wait_for("#step-personal");
}

/// The rest of the personal data after what the account already knew.
const PERSONAL: [(&str, &str); 8] = [
    ("#personal-birth_place", "Bandung"),
    ("#personal-address", "Jalan Braga 12, Bandung"),
    ("#personal-occupation", "Guru"),
    ("#personal-phone", "081377665544"),
    ("#personal-mother_name", "Siti Aminah"),
    ("#personal-emergency_contact-name", "Ani Santoso"),
    ("#personal-emergency_contact-phone", "081298765432"),
    ("#personal-emergency_contact-relationship", "kakak"),
];

fn personal_step(p: &mut Phone) {
    p.type_in("#personal-nik", &budi().nik);
    for (field, value) in PERSONAL {
        p.type_in(field, value);
    }
    p.shot("step-personal");
}

fn documents_step(p: &mut Phone, t: &Catalog) {
    p.wait_for("#step-documents");
    for kind in ["ektp", "family_card", "birth_certificate"] {
        p.tap(&format!("[id^='pick-'][id$='-{kind}']"));
        p.wait_for(&format!("#preview-{kind}"));
    }
    p.wait_text(t.text("documents-uploaded"));
    p.shot("step-documents");
    p.tap("#next");
}

fn schedule_and_submit(p: &mut Phone, t: &Catalog) {
    p.wait_for("#step-schedule");
    p.tap(".day-free");
    p.tap("#windows button:not([disabled])");
    p.shot("step-schedule");
    p.tap("#next");
    p.wait_for("#step-review");
    p.tap("#declaration");
    p.shot("step-review");
    p.tap("#submit");
    p.wait_for("#submitted");
    p.wait_text(t.text("review-billing-code"));
    p.shot("submitted");
}

/// Taps the last day with a place left in the calendar inside `scope`.
fn last_free_day(p: &mut Phone, scope: &str) {
    p.js(&format!(
        "const days = [...document.querySelectorAll('{scope} .day-free')]; \
         days[days.length - 1].id = 'e2e-later-day'; return days.length"
    ));
    p.tap("#e2e-later-day");
}

/// The billing code as the payment screen shows it, without its spaces.
fn billing_code(p: &mut Phone) -> String {
    let shown = p.text_of("#billing-code");
    let code: String = shown.chars().filter(|c| !c.is_whitespace()).collect();
    assert_eq!(code.len(), 15, "{shown}");
    code
}

/// The happy path in `lang`, from the welcome screen to a second reschedule refused.
fn happy_path(journey: &str, lang: &str) -> World {
    let t = Catalog::load(lang);
    let mut w = world(journey);
    register(&mut w, lang);
    w.phone.shot("home");
    w.phone.note_memory("at home, just registered");
    if lang == "en" {
        // The English journey runs at the largest text size: everything must still fit and work.
        let p = &mut w.phone;
        p.tap("#to-settings");
        p.tap("#text-130");
        p.shot("settings-text-130");
        p.tap("#back");
        p.wait_for("#home");
    }
    apply_to_billing_code(&mut w, &t);

    // The payment screen: the code, the countdown, the channels.
    let p = &mut w.phone;
    p.tap("#to-payment");
    p.wait_for("#countdown");
    let code = billing_code(p);
    // "Copy" puts the code on the clipboard, to paste into a bank's app.
    p.tap("#copy-code");
    p.wait_text(t.text("pay-copied"));
    assert_eq!(p.clipboard(), code);
    p.shot("payment");
    p.tap("#channel-mobile_banking summary");
    p.wait_text(&t.part("pay-channel-mobile_banking-how"));
    p.shot("payment-channel");

    // Paid at the bank (the mock's tester route): the app is told through
    // its feed, without asking ("check payment" is for a bank that did not
    // tell immigration; see the unpaid journey).
    w.mock.pay(&code, true);
    let p = &mut w.phone;
    p.wait_for("#open-proof");
    p.wait_text(&t.part("reschedule-rule"));
    p.shot("paid");
    p.tap("#open-proof");
    p.wait_for("#qr svg");
    p.wait_text(t.text("proof-bring"));
    p.shot("proof");
    let first_day = p.text_of("#proof-when");
    p.tap("#back");

    // Reschedule once: another day, another window.
    p.tap("#reschedule-open");
    p.wait_for("#reschedule .day-free");
    last_free_day(p, "#reschedule");
    p.tap("#reschedule #windows button:not([disabled])");
    p.shot("reschedule-choose");
    p.tap("#reschedule-confirm");
    // The second is refused, and the screen says why.
    p.wait_text(t.text("reschedule-used"));
    assert!(!p.has("#reschedule-open"));
    p.shot("reschedule-refused");
    p.tap("#open-proof");
    p.wait_for("#qr svg");
    let second_day = p.text_of("#proof-when");
    assert_ne!(first_day, second_day, "the proof shows the new day");
    // Back, screen by screen, to home (as the history went).
    for _ in 0..8 {
        if p.has("#home") {
            break;
        }
        p.tap("#back");
    }
    p.wait_for("#home");
    p.shot("home-paid");
    // The proof opens with the network cut: it is kept on the phone.
    w.mock.network(false);
    let p = &mut w.phone;
    p.tap("[id^='proof-']");
    p.wait_for("#qr svg");
    p.wait_text(&second_day);
    p.shot("proof-offline");
    p.tap("#back");
    p.wait_for("#home");
    w.mock.network(true);
    let p = &mut w.phone;

    // The screens around the journey.
    for (link, screen) in [
        ("#to-passports", "#passports"),
        ("#to-family", "#family"),
        ("#to-settings", "#settings"),
    ] {
        p.tap(link);
        p.wait_for(screen);
        p.shot(&screen[1..]);
        p.tap("#back");
        p.wait_for("#home");
    }

    // Renew from "my passports": a new application with the old passport filled in.
    p.tap("#to-passports");
    renew(p, &t, "B7654321");
    w
}

/// On "my passports": renew `number`, and see the replacement step name it.
fn renew(p: &mut Phone, t: &Catalog, number: &str) {
    p.tap(&format!("#renew-{number}"));
    p.wait_for("#step-service");
    p.tap("#service-0");
    p.tap("#next");
    p.tap("#next");
    p.wait_for("#step-replacement");
    p.wait_text(t.text("old-passport-chosen"));
    assert_eq!(p.value_of("#old_passport"), number);
    p.shot("renewal");
}

/// The office is full: the applicant watches it, another applicant's
/// booking is cancelled, the app tells (a notification and home) and one
/// tap from home leads to the review with the freed place chosen.
#[test]
fn a_full_office_is_watched_and_the_freed_place_booked() {
    let _one = one_at_a_time();
    let t = Catalog::load("id");
    let mut w = world("quota-watch");
    let report = w.mock.post(
        "/tester/seed",
        serde_json::json!({"scenario": "quota_release"}),
    );
    let held = report["application_id"].as_str().unwrap().to_owned();
    register(&mut w, "id");
    first_steps(&mut w.phone);
    personal_step(&mut w.phone);
    w.phone.tap("#next");
    documents_step(&mut w.phone, &t);

    let p = &mut w.phone;
    p.wait_for("#step-schedule");
    p.wait_for("#release");
    p.wait_for("#watch-offer");
    assert!(!p.has(".day-free"), "every open day is full");
    assert!(p.has(".day-soon"), "later days say when they open");
    // The nearest offices' next releases, this one among them.
    p.wait_for("#release-kanim-jakarta-selatan");
    p.shot("schedule-full");
    p.tap("#watch-office");
    p.wait_for("#watch-saved");
    // Home lists the watch.
    p.tap("#watch-home");
    p.wait_for("#watches");
    p.wait_text(t.text("watch-active"));
    p.shot("home-watching");

    // Someone else's booking is cancelled: the place goes to whoever books first.
    w.mock.post(
        &format!("/tester/applications/{held}/advance"),
        serde_json::json!({"to": "cancelled"}),
    );
    let p = &mut w.phone;
    p.wait_for("[id^='opening-book-']");
    let told = p.wait_notification("Kantor Imigrasi Kelas I Khusus TPI Jakarta Selatan");
    assert!(told.contains("08:00-10:00 WIB"), "{told}");
    p.shot("home-opening");
    p.tap("[id^='opening-book-']");
    p.wait_for("#step-review");
    p.tap("#declaration");
    p.shot("opening-review");
    p.tap("#submit");
    p.wait_for("#submitted");
    p.wait_text(t.text("review-billing-code"));
    p.shot("opening-booked");
}

/// After submit, in `lang`: paid (told by a real notification), the office
/// asks for the family card again (told, on home and in the application),
/// the applicant takes it again, the request clears; the inbox keeps it all;
/// at the desk the officer scans the proof off the phone's screen with the
/// camera and checks the applicant in; interviewed, and at last ready: the
/// app tells, shows the pickup, and makes the power of attorney, whose PDF
/// names both people; collected.
fn after_submit(journey: &str, lang: &str) {
    let t = Catalog::load(lang);
    let mut w = world(journey);
    register(&mut w, lang);
    first_steps(&mut w.phone);
    personal_step(&mut w.phone);
    w.phone.tap("#next");
    documents_step(&mut w.phone, &t);
    // A day well ahead: the office may ask for a correction until the day before.
    let p = &mut w.phone;
    p.wait_for("#step-schedule");
    last_free_day(p, "#step-schedule");
    p.tap("#windows button:not([disabled])");
    p.tap("#next");
    p.wait_for("#step-review");
    p.tap("#declaration");
    p.tap("#submit");
    p.wait_for("#submitted");
    p.tap("#to-payment");
    p.wait_for("#countdown");
    let code = billing_code(p);
    w.mock.pay(&code, true);
    let p = &mut w.phone;
    p.wait_for("#open-proof");
    let paid = p.wait_notification(t.text("state-paid"));
    assert!(paid.contains("Budi Santoso"), "{paid}");

    // The office asks for the family card again.
    p.clear_notifications();
    let id = w.mock.get("/tester/applications")["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let reason = "Foto KK buram, nomor KK tidak terbaca";
    let asked = w.mock.post(
        &format!("/tester/applications/{id}/corrections"),
        serde_json::json!({"document": "family_card", "reason": reason}),
    );
    let cid = asked["id"].as_str().unwrap().to_owned();
    let p = &mut w.phone;
    let told = p.wait_notification(&t.part("msg-correction-open"));
    assert!(told.contains(reason), "{told}");
    // Tapped, the notification opens the application it is about.
    p.tap_notification();
    p.wait_for("#corrections");
    p.wait_text(reason);
    for _ in 0..8 {
        if p.has("#home") {
            break;
        }
        p.tap("#back");
    }
    p.wait_for(&format!("#asked-{cid}"));
    p.wait_text(reason);
    p.shot("home-correction");
    p.tap(&format!("#fix-{cid}"));
    p.wait_for("#corrections");
    p.wait_for("#retake-family_card");
    p.wait_text(t.text("correction-if-not"));
    p.shot("correction");

    // Taken again (another picture of the card), checked, uploaded: cleared.
    harness::document_photo(7)
        .save(p.pick_dir.join("family_card.jpg"))
        .unwrap();
    p.tap("#retake-family_card");
    p.wait_text(t.text("correction-fixed"));
    p.wait_notification(&t.part("msg-correction-fixed"));
    p.shot("correction-fixed");
    let server = w.mock.get("/tester/applications?limit=1");
    assert_eq!(server["items"][0]["corrections"][0]["state"], "fixed");
    assert_eq!(server["items"][0]["state"], "paid", "nothing paid again");

    // The inbox keeps every message; one tap opens the application.
    let p = &mut w.phone;
    p.tap("#back");
    p.wait_for("#home");
    p.tap("#to-inbox");
    p.wait_for("#messages");
    p.wait_text(&t.part("msg-correction-open"));
    p.shot("inbox");
    p.tap("[id^='open-message-']");
    p.wait_for("#detail");
    // The email went out in the account's language.
    let mail = w.mock.get(&format!("/tester/outbox?email={EMAIL}"));
    let subjects: Vec<&str> = mail["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["subject"].as_str().unwrap())
        .collect();
    let want = if lang == "id" {
        "M-Paspor: Kantor meminta perbaikan"
    } else {
        "M-Paspor: The office asks for a correction"
    };
    assert!(subjects.contains(&want), "{subjects:?}");

    // The proof as the phone shows it is what the officer's camera sees.
    let p = &mut w.phone;
    p.tap("#open-proof");
    p.wait_for("#qr svg");
    let proof = p.shot("proof-at-the-desk");
    let video = w._scratch.path().join("proof.y4m");
    std::fs::write(&video, desk::video_of(&proof, 20)).unwrap();
    let shots = harness::shots_dir(journey);
    let desk = w.mock.rt.block_on(desk::Desk::open(
        &w.mock.url(),
        &w.mock.tester_token(),
        &video,
    ));
    w.mock.rt.block_on(async {
        desk.click("scan").await;
        desk.shows("#verdict", "VALID").await;
        desk.shows("#desk-applicant", "Budi Santoso").await;
        desk.shot(&shots, "valid").await;
        desk.click("check-in").await;
        desk.shows("#desk-at-the-counter", "checked in").await;
        desk.advance("interviewed", "interviewed").await;
        desk.advance("approved", "approved").await;
        desk.advance("printed", "printed").await;
        desk.advance("ready", "ready_for_pickup").await;
        desk.shot(&shots, "ready").await;
    });

    // Ready: told, and the application says where, by when, who and with what.
    let p = &mut w.phone;
    p.wait_notification(t.text("state-ready_for_pickup"));
    p.tap("#back");
    for _ in 0..8 {
        if p.has("#home") {
            break;
        }
        p.tap("#back");
    }
    p.wait_for("#home");
    p.tap(&format!("#open-{id}"));
    p.wait_for("#pickup");
    p.wait_text(t.text("pickup-proxy-brings"));
    p.shot("pickup");
    p.tap("#attorney summary");
    p.type_in("#attorney-name", "Rina Wijaya");
    p.type_in("#attorney-nik", "3273015203920001");
    p.type_in("#attorney-born", "Bandung, 12-03-1992");
    p.type_in("#attorney-address", "Jalan Dago 5, Bandung");
    p.type_in(
        "#attorney-relationship",
        if lang == "id" { "teman" } else { "friend" },
    );
    p.tap("#attorney-make");
    p.wait_for("#attorney-saved");
    p.shot("attorney");
    let pdf = p
        .home_dir()
        .join("Downloads")
        .join(format!("surat-kuasa-{id}.pdf"));
    let text = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext is installed (scripts/setup: poppler-utils)");
    let text = String::from_utf8_lossy(&text.stdout);
    for want in [
        "SURAT KUASA",
        "Budi Santoso",
        "3273011505900003",
        "Rina Wijaya",
        "3273015203920001",
        id.as_str(),
    ] {
        assert!(text.contains(want), "{want} in the letter: {text}");
    }

    // Collected at the counter: told.
    w.mock.rt.block_on(desk.advance("collected", "collected"));
    let p = &mut w.phone;
    p.wait_notification(t.text("state-collected"));
    p.wait_text(t.text("state-collected"));
    p.shot("collected");
}

#[test]
fn after_submit_a_correction_the_desk_and_the_pickup_in_indonesian() {
    let _one = one_at_a_time();
    after_submit("after-submit-id", "id");
}

#[test]
fn after_submit_a_correction_the_desk_and_the_pickup_in_english() {
    let _one = one_at_a_time();
    after_submit("after-submit-en", "en");
}

#[test]
fn happy_path_in_indonesian() {
    let _one = one_at_a_time();
    let mut w = happy_path("happy-path-id", "id");
    // Indonesian throughout: the home screen's words are the Indonesian catalogue's.
    let text = w.phone.text();
    assert!(
        text.contains(Catalog::load("id").text("home-applications")),
        "{text}"
    );
    w.phone.note_memory("after the whole journey");
    nothing_personal_at_rest(&w.phone);
}

/// After the whole journey through the UI: nothing the applicant typed,
/// and none of the prepared photos or their previews, is on the phone's
/// storage in plain text (the engine's own scan, in crates/core, also looks
/// for the tokens, which here sit in the keystore).
fn nothing_personal_at_rest(p: &Phone) {
    let person = budi();
    let texts: Vec<String> = vec![
        person.nik.clone(),
        person.full_name.clone(),
        EMAIL.into(),
        PASSWORD.into(),
        "Jalan Braga 12".into(),
        "Siti Aminah".into(),
        "Ani Santoso".into(),
        "081298765432".into(),
        "081377665544".into(),
    ];
    let mut pictures = Vec::new();
    for kind in ["ektp", "family_card", "birth_certificate"] {
        let picked = std::fs::read(p.pick_dir.join(format!("{kind}.jpg"))).unwrap();
        let prepared = mpaspor_core::photo::prepare(&picked).unwrap();
        pictures.extend(scan::photo_markers(kind, &prepared));
        // The preview as the screen shows it, base64 in a data URL.
        use base64::Engine as _;
        let shown = base64::engine::general_purpose::STANDARD.encode(&prepared.thumbnail);
        let middle = shown.len() / 2 / 4 * 4;
        pictures.push((
            format!("{kind} preview in base64"),
            shown[middle..middle + 64].into(),
        ));
    }
    let files = p.files_at_rest();
    assert!(
        files
            .iter()
            .any(|f| f.to_string_lossy().ends_with(".sqlite-wal")),
        "{files:#?}"
    );
    let hits = scan::found(&files, &texts, &pictures);
    assert!(hits.is_empty(), "{hits:#?}");
}

#[test]
fn happy_path_in_english_shows_no_indonesian_and_no_keys() {
    let _one = one_at_a_time();
    let w = happy_path("happy-path-en", "en");
    let (en, id) = (Catalog::load("en"), Catalog::load("id"));
    let indonesian = id.only_here(&en);
    let keys: Vec<&String> = en.keys().filter(|k| k.contains('-')).collect();
    // Every screen the journey saw, as it was read when its screenshot was taken.
    for (screen, text) in w.phone.seen() {
        let words: Vec<&str> = text
            .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
            .collect();
        for key in &keys {
            assert!(
                !words.contains(&key.as_str()),
                "{screen}: the key {key} shows:\n{text}"
            );
        }
        for run in &indonesian {
            assert!(
                !text.contains(run),
                "{screen}: Indonesian {run:?} shows:\n{text}"
            );
        }
    }
}

#[test]
fn unpaid_it_expires_then_paid_but_pending_is_settled_by_the_ntpn() {
    let _one = one_at_a_time();
    let t = Catalog::load("id");
    let mut w = world("expiry-and-ntpn");
    register(&mut w, "id");
    apply_to_billing_code(&mut w, &t);
    w.phone.tap("#to-payment");
    w.phone.wait_for("#countdown");

    // The mock's clock passes the two hours: the app, told through its
    // feed, says the place was released.
    w.mock.advance_clock(2 * 3600 + 60);
    let p = &mut w.phone;
    p.wait_for("#expired");
    p.wait_text(t.text("state-expired"));
    p.wait_text(&t.part("pay-expired-done"));
    assert!(!p.has("#payment"));
    p.shot("expired");

    // Again with the same answers: only the documents and the day are asked again.
    p.tap("#apply-again");
    documents_step(p, &t);
    schedule_and_submit(p, &t);
    p.tap("#to-payment");
    let code = billing_code(p);

    // Paid at the bank, but immigration was not told: "check" finds nothing yet...
    let ntpn = w.mock.pay(&code, false);
    let p = &mut w.phone;
    p.tap("#check-payment");
    p.wait_for("#still-unpaid");
    p.shot("paid-still-pending");
    // ... so the applicant gives the NTPN from the receipt (a typo first).
    p.tap("#have-paid");
    p.type_in("#ntpn", "12345");
    p.tap("#send-ntpn");
    p.wait_text(t.text("ntpn-bad"));
    p.shot("ntpn-typo");
    p.type_in("#ntpn", &ntpn.to_lowercase());
    p.tap("#send-ntpn");
    p.wait_for("#open-proof");
    p.wait_text(t.text("state-paid"));
    p.shot("paid-by-ntpn");
}

#[test]
fn the_form_survives_bad_input_no_network_and_a_killed_app() {
    let _one = one_at_a_time();
    let t = Catalog::load("id");
    let mut w = world("form-kept");
    register(&mut w, "id");
    first_steps(&mut w.phone);
    let p = &mut w.phone;

    // A NIK too short, then one whose birth date is not the one typed: each
    // explained under the field as it is typed.
    p.type_in("#personal-nik", "1234");
    p.wait_text(&t.part("nik-error-length"));
    p.shot("nik-too-short");
    p.type_in("#personal-nik", "3273011505910003");
    p.wait_text(&t.part("nik-error-birth"));
    p.shot("nik-other-birth-date");
    p.type_in("#personal-nik", &budi().nik);
    p.wait_text(&t.part("nik-says"));

    // The network goes: the app says so and goes on saving on the phone.
    w.mock.network(false);
    let p = &mut w.phone;
    for (field, value) in &PERSONAL[..3] {
        p.type_in(field, value);
    }
    p.wait_for("#offline");
    p.shot("offline");

    // Killed mid-form (SIGKILL), started again: every field is still there.
    p.kill();
    p.launch();
    if p.has("#welcome") {
        p.tap("#to-home");
    }
    p.wait_for("#home");
    p.tap("[id^='resume-']");
    p.wait_for("#step-personal");
    assert_eq!(p.value_of("#personal-nik"), budi().nik);
    for (field, value) in &PERSONAL[..3] {
        assert_eq!(p.value_of(field), *value, "{field}");
    }
    p.shot("restarted");

    // The network is back: the rest typed, everything reaches the server.
    w.mock.network(true);
    let p = &mut w.phone;
    for (field, value) in &PERSONAL[3..] {
        p.type_in(field, value);
    }
    p.wait_gone("#offline");
    p.tap("#next");
    p.wait_for("#step-documents");
    let sent = w.mock.get("/tester/applications");
    let personal = &sent["items"][0]["draft"]["personal"];
    assert_eq!(personal["nik"], budi().nik.as_str(), "{sent}");
    assert_eq!(
        personal["emergency_contact"]["relationship"], "kakak",
        "{sent}"
    );

    // A file that is not a photo, then a blurred photo: each told beside its document.
    let pick = w.phone.pick_dir.clone();
    std::fs::write(pick.join("ektp.jpg"), b"this is a letter, not a photo").unwrap();
    let blurred = image::imageops::blur(&harness::document_photo(1), 9.0);
    blurred.save(pick.join("family_card.jpg")).unwrap();
    let p = &mut w.phone;
    p.tap("[id^='pick-'][id$='-ektp']");
    p.wait_text(t.text("photo-error-not-a-photo"));
    p.tap("[id^='pick-'][id$='-family_card']");
    p.wait_text(t.text("photo-blurred"));
    p.shot("bad-photos");
    // Good photos now; what was typed is untouched.
    harness::write_document_photos(&pick);
    documents_step(p, &t);
    p.wait_for("#step-schedule");
    // Back as a person would: the on-screen arrow, then the keyboard's Escape.
    p.tap("#back");
    p.wait_for("#step-documents");
    p.press("Escape");
    p.wait_for("#step-personal");
    assert_eq!(p.value_of("#personal-nik"), budi().nik);
    for (field, value) in PERSONAL {
        assert_eq!(p.value_of(field), value, "{field}");
    }
}

#[test]
fn the_run_commands_bundled_mock_takes_the_sample_account_through_a_renewal() {
    let _one = one_at_a_time();
    let t = Catalog::load("id");
    let screen = Screen::start();
    let scratch = tempfile::tempdir().unwrap();
    // No API address: the app starts its bundled mock, seeded with the sample account.
    let mut p = Phone::start("bundled-mock", &screen, None, scratch.path());
    p.wait_for("#mock-account");
    p.tap("#to-login");
    p.type_in("#email", "dewi.lestari@example.com");
    p.type_in("#password", "paspor-baru-2026");
    p.tap("#login-submit");
    p.wait_for("#home");
    p.tap("#to-passports");
    // Dewi's passport has expired: the registry says so and offers the renewal.
    p.wait_for("#passport-C1234567");
    p.wait_text(t.text("passport-status-expired"));
    p.shot("passports");
    renew(&mut p, &t, "C1234567");
    // Nothing of Dewi is readable on the disk: not in the app's store, and
    // not in the bundled mock's file, which is sealed with the same key.
    std::thread::sleep(std::time::Duration::from_secs(2));
    let files = p.files_at_rest();
    assert!(
        files
            .iter()
            .any(|f| f.to_string_lossy().ends_with("mock-server.sealed")),
        "{files:#?}"
    );
    let texts: Vec<String> = [
        "3578017011880005",
        "Dewi Lestari",
        "dewi.lestari@example.com",
        "paspor-baru-2026",
        "Kartini",
        "C1234567",
    ]
    .map(String::from)
    .to_vec();
    let hits = scan::found(&files, &texts, &[]);
    assert!(hits.is_empty(), "{hits:#?}");
}
