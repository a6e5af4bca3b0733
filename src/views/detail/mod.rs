//! One application after submit: paying its billing code (with a countdown by
//! the server's clock), its status timeline, the proof, a reschedule (once,
//! until H-1) and a cancel whose consequence is stated before it is
//! confirmed. Every action goes through the outbox, so it waits offline.

mod cancel;
mod corrections;
mod payment;
mod pickup;
mod reschedule;
mod timeline;

use cancel::Cancel;
use corrections::Corrections;
pub use corrections::what as correction_what;
use payment::{Expired, PaymentPanel};
use pickup::Pickup;
use reschedule::Reschedule;
use timeline::Timeline;

use crate::Route;
use crate::components::{Frame, show_date};
use crate::hooks::{use_application, use_tr};
use crate::i18n::{Language, tr};
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_core::engine::ApplicationView;
use mpaspor_core::engine::{Operation, Pending};
use mpaspor_domain::state::ApplicationState;
use mpaspor_domain::{ApplicationId, OfficeZone};

/// What of this draft waits in the outbox to be sent (not refused): read once
/// per drawing of the screen, and handed to the parts that show it.
#[derive(Clone, Copy, Default, PartialEq)]
struct Sending {
    ntpn: bool,
    reschedule: bool,
    cancel: bool,
}

impl Sending {
    fn of(queued: &[Pending]) -> Sending {
        let mut sending = Sending::default();
        for p in queued.iter().filter(|p| p.failed.is_none()) {
            match p.operation {
                Operation::ConfirmPayment { .. } => sending.ntpn = true,
                Operation::Reschedule { .. } => sending.reschedule = true,
                Operation::Cancel { .. } => sending.cancel = true,
                _ => {}
            }
        }
        sending
    }
}

#[component]
pub fn ApplicationDetail(id: ApplicationId) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    // Read again whenever sync keeps a new copy (the payment panel also
    // redraws each second, for its countdown).
    let Some(view) = use_application(&id)() else {
        return rsx! {
            Frame { id: "detail", title: t("detail-title"),
                p { id: "no-application", class: "note", {t("detail-unknown")} }
                Link { class: "secondary", to: Route::Home {}, {t("home-title")} }
            }
        };
    };
    let ApplicationView {
        app,
        draft,
        payment,
        has_proof,
        queued,
    } = view;
    let zone = app
        .appointment
        .as_ref()
        .map(|a| a.zone)
        .unwrap_or(OfficeZone::Wib);
    let who = app.draft.personal.full_name.clone().unwrap_or_default();
    let (problems, sending) = (super::refused(&queued), Sending::of(&queued));
    rsx! {
        Frame { id: "detail", title: t("detail-title"),
            section { class: "card", aria_labelledby: "detail-who",
                h2 { id: "detail-who", {who} }
                p { span { class: "state state-{app.state.as_str()}", {t(&format!("state-{}", app.state.as_str()))} } }
                dl { class: "facts",
                    if let Some(office) = &app.draft.office_id {
                        dt { {t("proof-office")} }
                        dd { {services.office_name(Some(office))} }
                    }
                    if let Some(a) = &app.appointment {
                        dt { {t("proof-when")} }
                        dd { id: "detail-when", "{show_date(a.date)} {a.window.show(a.zone)}" }
                    }
                }
                if has_proof {
                    Link { id: "open-proof", class: "primary", to: Route::Proof { id: id.clone() }, {t("detail-open-proof")} }
                }
            }
            for p in problems {
                div { class: "note note-bad", role: "alert",
                    p { "⚠ " {tr(lang(), &format!("error-{}", p.failed.as_ref().map(|f| f.0.clone()).unwrap_or_default()))} }
                    button { id: "dismiss-{p.seq}", class: "secondary small", r#type: "button",
                        onclick: { let services = services.clone(); let seq = p.seq; move |_| { let _ = services.engine.let_go(seq); } },
                        {t("detail-dismiss")}
                    }
                }
            }
            Corrections { app: app.clone(), draft: draft.clone(), zone }
            if let (ApplicationState::AwaitingPayment, Some(payment), Some(draft)) = (app.state, payment.clone(), draft.clone()) {
                if !payment.paid {
                    PaymentPanel { draft, payment, zone, sending_ntpn: sending.ntpn }
                }
            }
            if app.state == ApplicationState::ReadyForPickup {
                Pickup { app: app.clone(), zone }
            }
            if app.state == ApplicationState::Expired {
                Expired { app: app.clone() }
            }
            if let Some(draft) = draft.clone() {
                if app.appointment.is_some() && matches!(app.state, ApplicationState::AwaitingPayment | ApplicationState::Paid) {
                    Reschedule { app: app.clone(), draft: draft.clone(), sending: sending.reschedule }
                }
                if matches!(app.state, ApplicationState::AwaitingPayment | ApplicationState::Paid) {
                    Cancel { state: app.state, amount: payment.as_ref().map(|p| p.amount.to_string()).unwrap_or_default(), draft, sending: sending.cancel }
                }
            }
            Timeline { app: app.clone(), zone }
        }
    }
}

#[cfg(all(test, feature = "bundled-mock"))]
mod live_tests {
    use crate::i18n::{Language, tr, tr_with};
    use crate::testing::{Live, assert_every_control_is_named};
    use mpaspor_domain::state::ApplicationState;

    fn submitted(live: &Live) -> (mpaspor_domain::DraftId, mpaspor_domain::ApplicationId) {
        let draft = live.ready_draft();
        let id = live.submit(&draft, &live.free_slot());
        (draft, id)
    }

    #[test]
    fn the_payment_screen_counts_down_by_the_servers_clock_and_says_how_to_pay() {
        for lang in Language::ALL {
            let live = Live::dewi(lang);
            let (_, id) = submitted(&live);
            let payment = live.services.engine.payment(&id).unwrap().unwrap();
            let html = live.render(&format!("/application/{id}"));
            assert!(html.contains(&payment.billing_code.grouped()), "{html}");
            assert!(html.contains(r#"id="copy-code""#));
            assert!(html.contains(&payment.amount.to_string()));
            assert!(html.contains(r#"id="countdown""#));
            assert!(html.contains("1:59:") || html.contains("2:00:00"), "{html}");
            for channel in super::payment::CHANNELS {
                assert!(html.contains(&format!(r#"id="channel-{channel}""#)));
            }
            for id in [
                "check-payment",
                "have-paid",
                "mock-pay-now",
                "mock-pay-quiet",
                "cancel-open",
            ] {
                assert!(html.contains(&format!(r#"id="{id}""#)), "{id}");
            }
            assert!(html.contains(&tr(lang, "cancel-free")));
            assert!(html.contains(&tr(lang, "reschedule-not-paid")));
            assert_every_control_is_named(&html);

            // The phone's clock stays; the server's moves on: the countdown follows the server.
            live.advance_clock(2 * 3600 - 90);
            let html = live.render(&format!("/application/{id}"));
            assert!(html.contains("0:01:") || html.contains("0:00:"), "{html}");
            live.advance_clock(91);
            let html = live.render(&format!("/application/{id}"));
            assert_eq!(live.state(&id), ApplicationState::Expired);
            assert!(html.contains(r#"id="expired""#), "{html}");
            assert!(html.contains(r#"id="apply-again""#));
            assert!(!html.contains(r#"id="payment""#));
            assert!(!html.contains(r#"id="cancel""#));
        }
    }

    #[test]
    fn paid_but_pending_is_settled_by_the_ntpn_then_rescheduled_once() {
        let lang = Language::Id;
        let live = Live::dewi(lang);
        let (draft, id) = submitted(&live);
        // The bank took the money but immigration was not told: still to pay.
        let ntpn = live.pay_at_bank(&id, false);
        let html = live.render(&format!("/application/{id}"));
        assert!(html.contains(r#"id="payment""#));
        // What "send the NTPN" does; then the proof, the rule and the forfeit are shown.
        live.services
            .engine
            .confirm_payment(&draft, &mpaspor_domain::Ntpn::parse(&ntpn).unwrap())
            .unwrap();
        live.sync();
        let html = live.render(&format!("/application/{id}"));
        assert!(!html.contains(r#"id="payment""#), "{html}");
        assert!(html.contains(r#"id="open-proof""#));
        assert!(html.contains(r#"id="reschedule-open""#));
        let app = live.services.engine.application(&id).unwrap().unwrap().app;
        let day = app.appointment.as_ref().unwrap().date;
        let last = crate::components::show_date(day.yesterday().unwrap());
        assert!(html.contains(&tr_with(lang, "reschedule-rule", &[("last", last)])));
        let amount = live
            .services
            .engine
            .payment(&id)
            .unwrap()
            .unwrap()
            .amount
            .to_string();
        assert!(html.contains(&tr_with(lang, "cancel-forfeit", &[("amount", amount)])));
        assert!(html.contains(r#"id="accept-forfeit""#));
        // Timeline: submitted and paid, with the office's zone; the rest to come.
        assert!(html.contains(&tr(lang, "state-paid")) && html.contains("WIB"));
        assert!(html.contains(&tr(lang, "state-collected")));

        // Reschedule once; the screen then says why a second is refused.
        let later = live
            .rt
            .block_on(
                live.services
                    .engine
                    .office_slots("kanim-jakarta-selatan", None),
            )
            .unwrap()
            .days
            .iter()
            .filter(|d| d.date > day)
            .flat_map(|d| d.slots.clone())
            .find(|s| s.left > 0)
            .unwrap();
        live.services.engine.reschedule(&draft, &later.id).unwrap();
        live.sync();
        let html = live.render(&format!("/application/{id}"));
        assert!(html.contains(r#"id="reschedule-refused""#), "{html}");
        assert!(html.contains(&tr(lang, "reschedule-used")));
        assert!(html.contains(&tr(lang, "timeline-rescheduled")));
        assert!(!html.contains(r#"id="reschedule-open""#));
        assert!(html.contains(&crate::components::show_date(later.date)));
    }

    #[test]
    fn the_mock_bank_button_pays_and_the_quiet_one_leaves_it_pending() {
        let live = Live::dewi(Language::Id);
        let (draft, id) = submitted(&live);
        assert!(
            live.services.mock.is_some(),
            "the mock bank is there in mock mode"
        );
        let code = live
            .services
            .engine
            .payment(&id)
            .unwrap()
            .unwrap()
            .billing_code;
        // "Pay, but do not tell immigration": the bank's NTPN, the state unchanged.
        let ntpn = live
            .rt
            .block_on(crate::mock_mode::pay(
                live.services.mock.clone().unwrap(),
                code.clone(),
                false,
            ))
            .unwrap();
        assert_eq!(ntpn.len(), 16);
        live.sync();
        let state = |live: &Live| live.state(&id);
        assert_eq!(state(&live), ApplicationState::AwaitingPayment);
        let html = live.render(&format!("/application/{id}"));
        assert!(html.contains(r#"id="mock-pay-now""#));
        // The NTPN the screen then shows settles it.
        live.services
            .engine
            .confirm_payment(&draft, &mpaspor_domain::Ntpn::parse(&ntpn).unwrap())
            .unwrap();
        live.sync();
        assert_eq!(state(&live), ApplicationState::Paid);
        // Paying again is refused by the mock bank, said in words.
        let again = live.rt.block_on(crate::mock_mode::pay(
            live.services.mock.clone().unwrap(),
            code,
            true,
        ));
        assert_eq!(again, Err("error-already_paid".to_owned()));
    }

    #[test]
    fn cancelled_before_payment_nothing_is_left_to_do() {
        let live = Live::dewi(Language::En);
        let (draft, id) = submitted(&live);
        live.services.engine.cancel(&draft, false).unwrap();
        // Queued, not sent yet (as offline): said so, and not offered twice.
        let html = live.render(&format!("/application/{id}"));
        assert!(html.contains(r#"id="cancel-waiting""#), "{html}");
        assert!(!html.contains(r#"id="cancel-open""#));
        live.sync();
        let html = live.render(&format!("/application/{id}"));
        assert!(html.contains(&tr(Language::En, "state-cancelled")));
        for gone in ["payment", "cancel", "reschedule"] {
            assert!(!html.contains(&format!(r#"id="{gone}""#)), "{gone}");
        }
    }
}
