//! "Ready to submit" is one rule: generated drafts go through the real
//! submit route, and the mock accepts exactly those the app would let
//! through (every step before the schedule complete by domain's
//! `Step::is_complete`, and an office that takes the draft).

use crate::support::*;
use mpaspor_domain::api::{ApplicationDraft, Replacement};
use mpaspor_domain::{
    DocumentKind, PassportNumber, PassportType, Purpose, ReplacementReason, Service, Step, Validity,
};
use proptest::prelude::*;
use serde_json::json;

/// Offices that take anything, that have no same-day service, that issue only biasa.
const OFFICES: [&str; 3] = [
    "kanim-jakarta-selatan",
    "kanim-jakarta-timur",
    "mpp-kota-tangerang",
];

const PAPERS: [DocumentKind; 8] = [
    DocumentKind::Ektp,
    DocumentKind::FamilyCard,
    DocumentKind::BirthCertificate,
    DocumentKind::Diploma,
    DocumentKind::OldPassport,
    DocumentKind::PoliceReport,
    DocumentKind::NameChangeOrder,
    DocumentKind::ReligiousRecommendation,
];

#[derive(Debug, Clone)]
struct Case {
    draft: ApplicationDraft,
    uploads: Vec<DocumentKind>,
}

/// One way a draft can fall short: a choice or a personal field left
/// unanswered (by its index), or a paper not uploaded.
#[derive(Debug, Clone, Copy)]
enum Gap {
    Choice(usize),
    Personal(usize),
    Paper(DocumentKind),
}

fn gaps() -> impl Strategy<Value = Vec<Gap>> {
    let gap = prop_oneof![
        (0..6usize).prop_map(Gap::Choice),
        (0..12usize).prop_map(Gap::Personal),
        proptest::sample::select(&PAPERS[..]).prop_map(Gap::Paper),
    ];
    // No gap at all half of the time: both answers of the rule get tried.
    prop_oneof![Just(vec![]), proptest::collection::vec(gap, 1..3)]
}

/// Budi's complete draft with other choices, some of them left unanswered,
/// and some papers not uploaded.
fn cases(base: ApplicationDraft) -> impl Strategy<Value = Case> {
    let choices = (
        proptest::sample::select(Service::ALL),
        proptest::option::weighted(
            0.3,
            (
                proptest::sample::select(ReplacementReason::ALL),
                any::<bool>(),
            ),
        ),
        proptest::sample::select(&[0, 0, 0, 1, 2][..]),
        proptest::sample::select(PassportType::ALL),
        proptest::sample::select(Validity::ALL),
        proptest::sample::select(Purpose::ALL),
        proptest::bool::weighted(0.2),
    );
    (choices, gaps()).prop_map(move |(c, gaps)| {
        let (service, replacement, office, passport_type, validity, purpose, name_changed) = c;
        let mut d = base.clone();
        d.service = Some(service);
        d.replacement = replacement.map(|(reason, numbered)| Replacement {
            reason,
            old_passport_number: numbered.then(|| PassportNumber::parse("C7654321").unwrap()),
            force_majeure: false,
        });
        d.office_id = Some(OFFICES[office].into());
        d.passport_type = Some(passport_type);
        d.validity = Some(validity);
        d.purpose = Some(purpose);
        d.name_changed = name_changed;
        let mut uploads = PAPERS.to_vec();
        for gap in gaps {
            match gap {
                Gap::Choice(0) => d.service = None,
                Gap::Choice(1) => d.applicant_kind = None,
                Gap::Choice(2) => d.office_id = None,
                Gap::Choice(3) => d.passport_type = None,
                Gap::Choice(4) => d.validity = None,
                Gap::Choice(_) => d.purpose = None,
                Gap::Personal(i) => blank(&mut d, i),
                Gap::Paper(kind) => uploads.retain(|k| *k != kind),
            }
        }
        Case { draft: d, uploads }
    })
}

/// Leaves the `i`th required personal field unanswered (blank text or none).
fn blank(d: &mut ApplicationDraft, i: usize) {
    let p = &mut d.personal;
    let spaces = i.is_multiple_of(2).then(|| "  ".to_owned());
    match i {
        0 => p.nik = spaces,
        1 => p.full_name = spaces,
        2 => p.birth_place = spaces,
        3 => p.address = spaces,
        4 => p.occupation = spaces,
        5 => p.phone = spaces,
        6 => p.mother_name = spaces,
        7 => p.emergency_contact.name = spaces,
        8 => p.emergency_contact.phone = spaces,
        9 => p.sex = None,
        10 => p.birth_date = None,
        _ => p.marital_status = None,
    }
}

/// What the app lets through to submit: every step before the schedule
/// complete, at an office that takes the draft (the office step offers no other).
fn app_lets_through(case: &Case) -> bool {
    let steps_done = Step::ALL[..Step::Schedule.index()]
        .iter()
        .all(|s| s.is_complete(&case.draft, &case.uploads));
    let office_takes = case
        .draft
        .office_id
        .as_deref()
        .and_then(mpaspor_mock::reference::office)
        .is_some_and(|o| o.served.refuses(&case.draft).is_none());
    steps_done && office_takes
}

#[test]
fn submit_accepts_exactly_the_drafts_the_apps_steps_let_through() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (_mock, api, base, slots) = rt.block_on(async {
        let mock = Mock::start().await;
        let budi = sample("Budi Santoso");
        let api = mock.account_for(&budi).await;
        let made = api.draft_for(&budi, OFFICES[0]).await;
        let base: ApplicationDraft = serde_json::from_value(made["draft"].clone()).unwrap();
        let mut slots = Vec::new();
        for office in OFFICES {
            slots.push(api.free_slot(office, 0).await);
        }
        (mock, api, base, slots)
    });
    let (accepted, refused) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    let config = ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(case in cases(base))| {
        let ready = app_lets_through(&case);
        let (status, code) = rt.block_on(async {
            let made = api.post("/v1/applications", serde_json::to_value(&case.draft).unwrap()).await.created();
            let id = made["id"].as_str().unwrap().to_owned();
            for kind in &case.uploads {
                api.put_bytes(&format!("/v1/applications/{id}/documents/{kind}"), jpeg(96, 64)).await.ok();
            }
            let office = OFFICES.iter().position(|o| case.draft.office_id.as_deref() == Some(*o));
            let reply = api.submit(&id, &slots[office.unwrap_or(0)]).await;
            let status = reply.status;
            let code = reply.body["error"]["code"].as_str().unwrap_or_default().to_owned();
            if status == 201 {
                // Frees the NIK and the place for the next case.
                api.post(&format!("/v1/applications/{id}/cancel"), json!({})).await.ok();
            }
            (status, code)
        });
        prop_assert_eq!(status == 201, ready, "{} {} for {:?}", status, code, case);
        if !ready {
            prop_assert!(
                ["incomplete_application", "office_cannot_issue"].contains(&code.as_str()),
                "{} {}", status, code
            );
        }
        let tried = if ready { &accepted } else { &refused };
        tried.set(tried.get() + 1);
    });
    let (accepted, refused) = (accepted.get(), refused.get());
    assert!(
        accepted >= 3 && refused >= 3,
        "both sides of the rule were tried: {accepted} accepted, {refused} refused"
    );
}
