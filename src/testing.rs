//! What the app's tests share: a `Phone` (the services over an in-memory
//! store, with what a test sets up below the engine's door), rendering the
//! app at a route without a window, the check that every control is named,
//! and `Live`: the app against a real mock server on 127.0.0.1.

use crate::app::Root;
use crate::i18n::Language;
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_core::Store;
use mpaspor_core::engine::{Engine, LocalApplicant};
use mpaspor_domain::{ApplicationId, DraftId};

/// The whole app as it starts on `phone`, rendered to HTML.
pub fn render_app(phone: &Phone) -> String {
    let mut dom = VirtualDom::new(Root).with_root_context(phone.services.clone());
    dom.rebuild_in_place();
    dioxus_ssr::render(&dom)
}

/// The app opened at `path` (e.g. `/login`) on `services`, rendered to HTML.
pub fn render_at(services: Services, path: &str) -> String {
    #[component]
    fn At(path: String) -> Element {
        use_hook(|| {
            dioxus::history::provide_history_context(std::rc::Rc::new(
                dioxus::history::MemoryHistory::with_initial_path(path),
            ))
        });
        rsx! { Root {} }
    }
    let mut dom = VirtualDom::new_with_props(
        At,
        AtProps {
            path: path.to_owned(),
        },
    )
    .with_root_context(services);
    dom.rebuild_in_place();
    dioxus_ssr::render(&dom)
}

/// A phone for a test: the services the screens use (the engine's door), an
/// in-memory store below them, and no server (the API address answers
/// nothing). Setting data up below the door is done here, never in a view.
#[derive(Clone)]
pub struct Phone {
    pub services: Services,
    store: Store,
}

impl Phone {
    /// A fresh phone where no language was chosen yet.
    pub fn unset() -> Phone {
        let store = Store::open_in_memory().unwrap();
        Phone {
            services: Services::for_tests(store.clone()),
            store,
        }
    }

    /// A fresh phone where `lang` was chosen.
    pub fn new(lang: Language) -> Phone {
        let phone = Phone::unset();
        phone.set_setting("language", lang.code());
        phone
    }

    /// The same phone after the app was closed and started again.
    pub fn restarted(&self) -> Phone {
        Phone {
            services: Services::for_tests(self.store.clone()),
            store: self.store.clone(),
        }
    }

    pub fn engine(&self) -> &Engine {
        &self.services.engine
    }

    /// The app opened at `path`, rendered to HTML.
    pub fn render(&self, path: &str) -> String {
        render_at(self.services.clone(), path)
    }

    /// An empty draft for a person (nothing filled in, unlike `begin_draft`).
    pub fn empty_draft(&self, applicant: &str) -> DraftId {
        self.store.new_draft(applicant).unwrap()
    }

    /// Reference data as if fetched before (`fees`, `offices`).
    pub fn keep_reference<T: serde::Serialize>(&self, name: &str, value: &T) {
        self.store.keep_reference(name, value).unwrap();
    }

    /// Passports as if the registry had answered them for a person.
    pub fn keep_travel_documents(
        &self,
        applicant: &str,
        documents: &[mpaspor_domain::api::TravelDocument],
    ) {
        self.store
            .keep_travel_documents(applicant, documents)
            .unwrap();
    }

    /// A setting as kept (the language, the text size).
    pub fn setting(&self, key: &str) -> Option<String> {
        self.store.setting(key).unwrap()
    }

    pub fn set_setting(&self, key: &str, value: &str) {
        self.store.set_setting(key, value).unwrap();
    }

    /// A person as kept on the phone.
    pub fn applicant(&self, id: &str) -> LocalApplicant {
        self.store.applicant(id).unwrap()
    }

    /// The local ids of every draft on the phone.
    pub fn drafts(&self) -> Vec<DraftId> {
        self.store
            .drafts()
            .unwrap()
            .into_iter()
            .map(DraftId::from)
            .collect()
    }
}

/// A fresh phone in `lang` with its holder (Siti Rahayu, an adult) and an
/// empty draft for her.
pub fn holder_draft(lang: Language) -> (Phone, DraftId) {
    use mpaspor_domain::api::{ApplicantInput, Relationship};
    use mpaspor_domain::choice::{MaritalStatus, Sex};
    let phone = Phone::new(lang);
    let holder = phone
        .engine()
        .add_applicant(&ApplicantInput {
            full_name: "Siti Rahayu".into(),
            relationship: Relationship::Holder,
            birth_date: jiff::civil::date(1992, 8, 17),
            sex: Sex::Female,
            marital_status: MaritalStatus::Single,
            nik: None,
        })
        .unwrap();
    let draft = phone.empty_draft(&holder);
    (phone, draft)
}

/// Every button and input in `html` has a name a screen reader can say.
pub fn assert_every_control_is_named(html: &str) {
    for button in html.split("<button").skip(1) {
        let text = button.split_once('>').map(|(_, rest)| rest).unwrap_or("");
        let label = text.split("</button>").next().unwrap_or("").trim();
        assert!(
            !label.is_empty() || button.contains("aria-label"),
            "unnamed button: {button}"
        );
    }
    for input in html.split("<input").skip(1) {
        let tag = input.split_once('>').map(|(t, _)| t).unwrap_or(input);
        let id = tag
            .split("id=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or_else(|| panic!("input without an id: {tag}"));
        assert!(
            html.contains(&format!("for=\"{id}\"")),
            "input {id} has no label"
        );
    }
}

/// The app against a real mock server on 127.0.0.1, logged in as the
/// bundled sample account (Dewi Lestari, whose passport has expired) and
/// synced once: for screens whose content comes from the server.
#[cfg(feature = "bundled-mock")]
pub struct Live {
    pub rt: tokio::runtime::Runtime,
    /// Serves for as long as the test holds it.
    _mock: crate::mock_mode::testing::RunningMock,
    pub phone: Phone,
    pub services: Services,
    /// Dewi, the account holder (local applicant id).
    pub holder: String,
}

#[cfg(feature = "bundled-mock")]
impl Live {
    pub fn dewi(lang: Language) -> Live {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let mock = rt
            .block_on(crate::mock_mode::testing::start(
                Default::default(),
                "127.0.0.1:0".parse().unwrap(),
            ))
            .unwrap();
        rt.block_on(crate::mock_mode::testing::scenarios::seed(
            &mock.state,
            "expired_passport",
        ))
        .unwrap();
        let store = Store::open_in_memory().unwrap();
        store.set_setting("language", lang.code()).unwrap();
        let services = Services::on(
            store.clone(),
            &mock.url(),
            rt.handle().clone(),
            mock.tester_token().map(str::to_owned),
        );
        rt.block_on(async {
            services
                .engine
                .login(
                    crate::mock_mode::SAMPLE_EMAIL,
                    crate::mock_mode::SAMPLE_PASSWORD,
                )
                .await
                .unwrap();
            services.engine.sync().await.unwrap();
        });
        let holder = store.applicants().unwrap()[0].id.clone();
        Live {
            rt,
            _mock: mock,
            phone: Phone {
                services: services.clone(),
                store,
            },
            services,
            holder,
        }
    }

    pub fn render(&self, path: &str) -> String {
        render_at(self.services.clone(), path)
    }

    fn tester(&self, path: &str, body: serde_json::Value) -> serde_json::Value {
        let url = format!("{}{path}", self._mock.url());
        let token = self._mock.tester_token().unwrap().to_owned();
        self.rt.block_on(async move {
            reqwest::Client::new()
                .post(url)
                .header("x-tester-token", token)
                .json(&body)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap()
        })
    }

    /// Every API request fails from now on, as with no network.
    pub fn cut_network(&self) {
        self.tester(
            "/tester/faults",
            serde_json::json!({"route": "/v1/**", "drop_connection": true}),
        );
    }

    /// A draft for Dewi with every field answered (from the registry), her
    /// three documents prepared and everything synced: ready to submit.
    pub fn ready_draft(&self) -> mpaspor_domain::DraftId {
        let dewi = crate::mock_mode::testing::samples(jiff::civil::date(2026, 12, 1))
            .into_iter()
            .find(|c| c.full_name == "Dewi Lestari")
            .unwrap();
        let draft = self.phone.empty_draft(&self.holder);
        for (field, value) in
            crate::mock_mode::testing::complete_draft_fields(&dewi, "kanim-jakarta-selatan")
        {
            self.services
                .engine
                .save_field(&draft, field, &value)
                .unwrap();
        }
        use mpaspor_domain::eligibility::DocumentKind;
        for (i, kind) in [
            DocumentKind::Ektp,
            DocumentKind::FamilyCard,
            DocumentKind::BirthCertificate,
        ]
        .into_iter()
        .enumerate()
        {
            self.rt
                .block_on(crate::views::take_photo(
                    &self.services,
                    &draft,
                    kind,
                    crate::views::card_jpeg(i as u32),
                ))
                .unwrap();
        }
        self.rt.block_on(self.services.engine.sync()).unwrap();
        draft
    }

    /// The windows with a place left at the draft's office in the next 30 days.
    fn slots_left(&self) -> Vec<mpaspor_domain::SlotId> {
        let slots = self
            .rt
            .block_on(
                self.services
                    .engine
                    .office_slots("kanim-jakarta-selatan", None),
            )
            .unwrap();
        slots
            .days
            .iter()
            .flat_map(|d| &d.slots)
            .filter(|s| s.left > 0)
            .map(|s| s.id.clone())
            .collect()
    }

    /// The first free window of the draft's office in the next 30 days.
    pub fn free_slot(&self) -> mpaspor_domain::SlotId {
        self.slots_left().remove(0)
    }

    /// The last free window of the draft's office in the next 30 days
    /// (days away: an office may still ask for a correction before it).
    pub fn far_slot(&self) -> mpaspor_domain::SlotId {
        self.slots_left().pop().unwrap()
    }

    /// The office asks for a correction of application `id` (the body of
    /// the tester route); the phone hears of it through the feed.
    pub fn ask_correction(&self, id: &ApplicationId, body: serde_json::Value) {
        self.tester(&format!("/tester/applications/{id}/corrections"), body);
        self.follow();
    }

    /// Reads the feed until it has nothing more, then syncs (as the app's
    /// `follow` does when it hears of a change).
    pub fn follow(&self) {
        let engine = self.services.engine.clone();
        self.rt.block_on(async move {
            while engine.follow_once(std::time::Duration::ZERO).await.unwrap() > 0 {}
        });
        self.sync();
    }

    /// Submits `draft` for `slot` as the review step's button does; answers
    /// the server's application id.
    pub fn submit(
        &self,
        draft: &mpaspor_domain::DraftId,
        slot: &mpaspor_domain::SlotId,
    ) -> ApplicationId {
        self.services.engine.submit(draft, slot).unwrap();
        let report = self.rt.block_on(self.services.engine.sync()).unwrap();
        assert_eq!(
            report.refused,
            0,
            "{:?}",
            self.services.engine.queued_for(draft).unwrap()
        );
        self.services
            .engine
            .draft(draft)
            .unwrap()
            .server_id
            .unwrap()
    }

    /// A submitted application of Dewi's, paid at a bank (the mock's
    /// tester route) and synced, so its proof is on the phone.
    pub fn paid_application(&self) -> ApplicationId {
        let draft = self.ready_draft();
        let id = self.submit(&draft, &self.free_slot());
        self.pay_at_bank(&id, true);
        id
    }

    /// Pays application `id` at the mock's bank (immigration told only
    /// with `notify`), then syncs; answers the bank receipt's NTPN.
    pub fn pay_at_bank(&self, id: &ApplicationId, notify: bool) -> String {
        let payment = self.services.engine.payment(id).unwrap().unwrap();
        let ntpn = self
            .rt
            .block_on(crate::mock_mode::pay(
                self.services.mock.clone().unwrap(),
                payment.billing_code,
                notify,
            ))
            .unwrap();
        self.sync();
        ntpn
    }

    /// Moves the mock's clock on (the phone's stays), then syncs.
    pub fn advance_clock(&self, seconds: i64) {
        self.tester(
            "/tester/clock",
            serde_json::json!({"advance_seconds": seconds}),
        );
        self.sync();
    }

    /// Moves application `id` on at the office (interviewed, approved, ready...), then syncs.
    pub fn advance(&self, id: &str, to: &str) {
        self.tester(
            &format!("/tester/applications/{id}/advance"),
            serde_json::json!({"to": to}),
        );
        self.sync();
    }

    /// The state of application `id` as the phone keeps it.
    pub fn state(&self, id: &ApplicationId) -> mpaspor_domain::ApplicationState {
        self.services
            .engine
            .application(id)
            .unwrap()
            .expect("kept by sync")
            .app
            .state
    }

    pub fn sync(&self) -> mpaspor_core::engine::SyncReport {
        self.rt.block_on(self.services.engine.sync()).unwrap()
    }
}

/// The app rendered on a fresh phone where `lang` was chosen before.
pub fn render_in(lang: Language) -> String {
    render_app(&Phone::new(lang))
}
