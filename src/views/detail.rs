//! One application after submit: paying its billing code (with a countdown by
//! the server's clock), its status timeline, the proof, a reschedule (once,
//! until H-1) and a cancel whose consequence is stated before it is
//! confirmed. Every action goes through the outbox, so it waits offline.

use crate::app::Route;
use crate::components::{Field, Frame, show_date, show_moment};
use crate::i18n::{Language, tr, tr_with};
use crate::services::Services;
use crate::views::{first_open_step, use_sync_status};
use dioxus::prelude::*;
use jiff::SignedDuration;
use mpaspor_core::outbox::{Operation, Pending};
use mpaspor_domain::api::{Application, Payment};
use mpaspor_domain::schedule::{RescheduleRefusal, can_reschedule, reschedule_last_day};
use mpaspor_domain::state::ApplicationState;
use mpaspor_domain::{Ntpn, OfficeZone};

/// The main path, for the timeline's steps still to come.
const PATH: [ApplicationState; 8] = [
    ApplicationState::Draft,
    ApplicationState::AwaitingPayment,
    ApplicationState::Paid,
    ApplicationState::Interviewed,
    ApplicationState::Approved,
    ApplicationState::Printed,
    ApplicationState::ReadyForPickup,
    ApplicationState::Collected,
];

/// The ways to pay a SIMPONI billing code, each with its translation keys
/// `pay-channel-{name}` and `pay-channel-{name}-how`.
const CHANNELS: [&str; 5] = [
    "mobile_banking",
    "atm",
    "post_office",
    "minimarket",
    "marketplace",
];

/// Time left as `1:59:30`; nothing left as `0:00:00`.
pub fn show_left(left: SignedDuration) -> String {
    let s = left.as_secs().max(0);
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// What of this draft waits in the outbox to be sent (not refused): read once
/// per drawing of the screen, and handed to the parts that show it.
#[derive(Clone, Copy, Default, PartialEq)]
struct Sending {
    ntpn: bool,
    reschedule: bool,
    cancel: bool,
}

impl Sending {
    fn of(queue: &[Pending], draft: &str) -> Sending {
        let mut sending = Sending::default();
        for p in queue
            .iter()
            .filter(|p| p.failed.is_none() && p.operation.target() == draft)
        {
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
pub fn ApplicationDetail(id: String) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = move |k: &str| tr(lang(), k);
    // Redraws after each sync (the payment panel also each second, for its countdown).
    let status = use_sync_status();
    let _ = status();
    let mut redraw = use_signal(|| 0u32);
    let _ = redraw();
    let app = services.store.application(&id).ok().flatten();
    let draft = services.store.draft_for_server(&id).ok().flatten();
    let Some(app) = app else {
        return rsx! {
            Frame { id: "detail", title: t("detail-title"),
                p { id: "no-application", class: "note", {t("detail-unknown")} }
                Link { class: "secondary", to: Route::Home {}, {t("home-title")} }
            }
        };
    };
    let payment = services.store.payment(&id).ok().flatten();
    let has_proof = services.store.receipt(&id).ok().flatten().is_some();
    let zone = app
        .appointment
        .as_ref()
        .map(|a| a.zone)
        .unwrap_or(OfficeZone::Wib);
    let who = app.draft.personal.full_name.clone().unwrap_or_default();
    let queue = services.store.outbox().unwrap_or_default();
    let (problems, sending) = match draft.as_deref() {
        Some(d) => (super::refused(&queue, d), Sending::of(&queue, d)),
        None => (Vec::new(), Sending::default()),
    };
    rsx! {
        Frame { id: "detail", title: t("detail-title"),
            section { class: "card", aria_labelledby: "detail-who",
                h2 { id: "detail-who", {who} }
                p { span { class: "state state-{app.state.as_str()}", {t(&format!("state-{}", app.state.as_str()))} } }
                dl { class: "facts",
                    if let Some(office) = &app.draft.office_id {
                        dt { {t("proof-office")} }
                        dd { {super::office_name(&services, Some(office))} }
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
                        onclick: { let services = services.clone(); let seq = p.seq; move |_| { let _ = services.store.discard(seq); redraw += 1; } },
                        {t("detail-dismiss")}
                    }
                }
            }
            if let (ApplicationState::AwaitingPayment, Some(payment), Some(draft)) = (app.state, payment.clone(), draft.clone()) {
                if !payment.paid {
                    PaymentPanel { draft, payment, zone, sending_ntpn: sending.ntpn }
                }
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

/// The billing code, the countdown, the channels, checking and confirming.
#[component]
fn PaymentPanel(draft: String, payment: Payment, zone: OfficeZone, sending_ntpn: bool) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = move |k: &str| tr(lang(), k);
    let mut tick = use_signal(|| 0u64);
    {
        let services = services.clone();
        use_future(move || {
            let services = services.clone();
            async move {
                loop {
                    services.sleep(std::time::Duration::from_secs(1)).await;
                    tick += 1;
                }
            }
        });
    }
    let _ = tick();
    let mut copied = use_signal(|| false);
    let mut checking = use_signal(|| false);
    let mut checked = use_signal(|| false);
    let mut telling = use_signal(|| false);
    let ntpn = use_signal(String::new);
    let mut ntpn_error = use_signal(|| None::<String>);
    let mut mock_ntpn = use_signal(|| None::<Result<String, String>>);
    let left = services.engine.time_to_pay(&payment);
    let code = payment.billing_code.as_str().to_owned();
    let copy = {
        let code = code.clone();
        move |_| {
            // A textarea and execCommand: works in every webview, secure context or not.
            let js = format!(
                "const t = document.createElement('textarea'); t.value = {code:?}; \
                 document.body.appendChild(t); t.select(); document.execCommand('copy'); t.remove();"
            );
            document::eval(&js);
            copied.set(true);
        }
    };
    let check = {
        let services = services.clone();
        move |_| {
            let services = services.clone();
            checking.set(true);
            spawn(async move {
                services.sync_now().await;
                checking.set(false);
                checked.set(true);
            });
        }
    };
    let send_ntpn = {
        let services = services.clone();
        let draft = draft.clone();
        move |_| match Ntpn::parse(&ntpn()) {
            Err(_) => ntpn_error.set(Some(tr(lang(), "ntpn-bad"))),
            Ok(n) => {
                ntpn_error.set(None);
                if services.engine.confirm_payment(&draft, n.as_str()).is_ok() {
                    let services = services.clone();
                    spawn(async move { services.sync_now().await });
                }
            }
        }
    };
    let mock_pay = {
        let services = services.clone();
        let code = code.clone();
        move |notify: bool| {
            let Some(mock) = services.mock.clone() else {
                return;
            };
            let services = services.clone();
            let code = code.clone();
            spawn(async move {
                let paid = services
                    .run(crate::mock_mode::pay(mock, code, notify))
                    .await;
                mock_ntpn.set(Some(paid));
                services.sync_now().await;
            });
        }
    };
    let expired = left <= SignedDuration::ZERO;
    rsx! {
        section { id: "payment", class: "card", aria_labelledby: "payment-title",
            h2 { id: "payment-title", {t("pay-title")} }
            p { class: "muted", {t("pay-code-label")} }
            p { id: "billing-code", class: "billing-code", "{payment.billing_code.grouped()}" }
            button { id: "copy-code", class: "secondary", r#type: "button", onclick: copy,
                if copied() { "✓ " {t("pay-copied")} } else { {t("pay-copy")} }
            }
            div { class: "fee-line", span { class: "muted", {t("review-amount")} } strong { id: "pay-amount", "{payment.amount}" } }
            if expired {
                p { id: "pay-expired", class: "note note-bad", role: "alert", "⚠ " {t("pay-expired")} }
            } else {
                p { id: "countdown", class: "countdown", role: "timer",
                    {tr_with(lang(), "pay-left", &[("left", show_left(left))])}
                }
                p { class: "muted", {tr_with(lang(), "pay-before", &[("when", show_moment(payment.expires_at, zone))])} }
            }
            h3 { class: "sub", {t("pay-how")} }
            for channel in CHANNELS {
                details { id: "channel-{channel}", class: "channel",
                    summary { {t(&format!("pay-channel-{channel}"))} }
                    p { {t(&format!("pay-channel-{channel}-how"))} }
                }
            }
            button { id: "check-payment", class: "primary", r#type: "button", disabled: checking(), onclick: check,
                if checking() { {t("working")} } else { {t("pay-check")} }
            }
            if checked() && !checking() {
                p { id: "still-unpaid", class: "note", role: "status", {t("pay-not-yet")} }
            }
            if sending_ntpn {
                p { id: "ntpn-waiting", class: "note", role: "status", {t("pay-ntpn-waiting")} }
            } else if telling() {
                Field { id: "ntpn", label: t("pay-ntpn"), value: ntpn, hint: t("pay-ntpn-hint"), error: ntpn_error() }
                button { id: "send-ntpn", class: "primary", r#type: "button", onclick: send_ntpn, {t("pay-ntpn-send")} }
            } else {
                button { id: "have-paid", class: "secondary", r#type: "button", onclick: move |_| telling.set(true), {t("pay-have-paid")} }
            }
            if services.mock.is_some() {
                div { id: "mock-pay", class: "note note-mock",
                    p { strong { {t("pay-mock-title")} } }
                    button { id: "mock-pay-now", class: "secondary", r#type: "button",
                        onclick: { let pay = mock_pay.clone(); move |_| pay(true) }, {t("pay-mock")} }
                    button { id: "mock-pay-quiet", class: "secondary", r#type: "button",
                        onclick: { let pay = mock_pay.clone(); move |_| pay(false) }, {t("pay-mock-quiet")} }
                    match mock_ntpn() {
                        Some(Ok(n)) => rsx! { p { id: "mock-ntpn", {tr_with(lang(), "pay-mock-ntpn", &[("ntpn", n)])} } },
                        Some(Err(key)) => rsx! { p { class: "note-bad", role: "alert", "⚠ " {tr(lang(), &key)} } },
                        None => rsx! {},
                    }
                }
            }
        }
    }
}

/// Unpaid in time: the place is gone and nothing is owed; start again with
/// the same answers.
#[component]
fn Expired(app: Application) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = move |k: &str| tr(lang(), k);
    let mut problem = use_signal(|| None::<&'static str>);
    let again = move |_| match services.store.copy_of_application(&app.draft) {
        Ok(draft) => {
            services.nudge();
            let body = services
                .store
                .draft(&draft)
                .map(|d| d.body)
                .unwrap_or_default();
            let step = first_open_step(&body, &[]);
            navigator().push(Route::Apply { draft, step });
        }
        Err(e) => problem.set(Some(e.key())),
    };
    rsx! {
        section { id: "expired", class: "card",
            p { class: "note note-warn", {t("pay-expired-done")} }
            button { id: "apply-again", class: "primary", r#type: "button", onclick: again, {t("detail-apply-again")} }
            if let Some(key) = problem() {
                p { class: "note note-bad", role: "alert", "⚠ {tr(lang(), key)}" }
            }
        }
    }
}

/// The rule in words, and why it is not allowed now when it is not.
fn reschedule_rule(
    lang: Language,
    refusal: Option<RescheduleRefusal>,
    last_day: jiff::civil::Date,
) -> String {
    match refusal {
        None => tr_with(lang, "reschedule-rule", &[("last", show_date(last_day))]),
        Some(RescheduleRefusal::NotPaid { .. }) => tr(lang, "reschedule-not-paid"),
        Some(RescheduleRefusal::AlreadyRescheduled) => tr(lang, "reschedule-used"),
        Some(RescheduleRefusal::TooLate { last_day }) => tr_with(
            lang,
            "reschedule-too-late",
            &[("last", show_date(last_day))],
        ),
        Some(RescheduleRefusal::NewDateNotAhead { .. }) => tr(lang, "reschedule-not-ahead"),
    }
}

#[component]
fn Reschedule(app: Application, draft: String, sending: bool) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = move |k: &str| tr(lang(), k);
    let mut open = use_signal(|| false);
    let mut chosen = use_signal(|| None::<String>);
    let appointment = app.appointment.clone().expect("shown with an appointment");
    let refusal = can_reschedule(
        app.state,
        app.reschedules_used,
        appointment.date,
        appointment.zone,
        services.api().server_now(),
    )
    .err();
    let confirm = {
        let services = services.clone();
        move |_| {
            let Some(slot) = chosen() else { return };
            if services.engine.reschedule(&draft, &slot).is_ok() {
                open.set(false);
                let services = services.clone();
                spawn(async move { services.sync_now().await });
            }
        }
    };
    rsx! {
        section { id: "reschedule", class: "card", aria_labelledby: "reschedule-title",
            h2 { id: "reschedule-title", {t("reschedule-title")} }
            p { id: if refusal.is_some() { "reschedule-refused" } else { "reschedule-rule" },
                class: if refusal.is_some() { "note" } else { "muted" },
                {reschedule_rule(lang(), refusal, reschedule_last_day(appointment.date))}
            }
            if sending {
                p { id: "reschedule-waiting", class: "note", role: "status", {t("reschedule-waiting")} }
            } else if refusal.is_none() {
                if open() {
                    crate::components::SlotPicker { office: appointment.office_id.clone(), chosen: chosen(),
                        on_choose: move |slot| chosen.set(Some(slot)) }
                    button { id: "reschedule-confirm", class: "primary", r#type: "button",
                        disabled: chosen().is_none() || chosen() == Some(appointment.slot_id.clone()),
                        onclick: confirm, {t("reschedule-confirm")} }
                    button { id: "reschedule-keep", class: "secondary", r#type: "button", onclick: move |_| open.set(false), {t("reschedule-keep")} }
                } else {
                    button { id: "reschedule-open", class: "secondary", r#type: "button", onclick: move |_| open.set(true), {t("reschedule-open")} }
                }
            }
        }
    }
}

#[component]
fn Cancel(state: ApplicationState, amount: String, draft: String, sending: bool) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = move |k: &str| tr(lang(), k);
    let mut confirming = use_signal(|| false);
    let mut accepted = use_signal(|| false);
    let paid = state == ApplicationState::Paid;
    let cancel = move |_| {
        if services.engine.cancel(&draft, paid).is_ok() {
            confirming.set(false);
            let services = services.clone();
            spawn(async move { services.sync_now().await });
        }
    };
    rsx! {
        section { id: "cancel", class: "card", aria_labelledby: "cancel-title",
            h2 { id: "cancel-title", {t("cancel-title")} }
            // The consequence is in view before anything is pressed.
            p { id: "cancel-consequence", class: if paid { "note note-warn" } else { "muted" },
                if paid { {tr_with(lang(), "cancel-forfeit", &[("amount", amount.clone())])} } else { {t("cancel-free")} }
            }
            if paid {
                label { class: "check", r#for: "accept-forfeit",
                    input { id: "accept-forfeit", r#type: "checkbox", checked: accepted(), onchange: move |e: FormEvent| accepted.set(e.checked()) }
                    span { {t("cancel-accept")} }
                }
            }
            if sending {
                p { id: "cancel-waiting", class: "note", role: "status", {t("cancel-waiting")} }
            } else if confirming() {
                p { class: "note note-bad", role: "alert", {t("cancel-sure")} }
                button { id: "cancel-confirm", class: "danger", r#type: "button", onclick: cancel, {t("cancel-confirm")} }
                button { id: "cancel-keep", class: "secondary", r#type: "button", onclick: move |_| confirming.set(false), {t("cancel-keep")} }
            } else {
                button { id: "cancel-open", class: "secondary", r#type: "button", disabled: paid && !accepted(),
                    onclick: move |_| confirming.set(true), {t("cancel-open")} }
            }
        }
    }
}

/// What happened, when (in the office's zone), and the steps still to come.
#[component]
fn Timeline(app: Application, zone: OfficeZone) -> Element {
    let lang = use_context::<Signal<Language>>();
    let t = move |k: &str| tr(lang(), k);
    let to_come: Vec<ApplicationState> = if app.state.is_final() {
        Vec::new()
    } else {
        PATH.iter()
            .skip_while(|s| **s != app.state)
            .skip(1)
            .copied()
            .collect()
    };
    rsx! {
        section { id: "timeline", class: "card", aria_labelledby: "timeline-title",
            h2 { id: "timeline-title", {t("timeline-title")} }
            ol { class: "timeline",
                for (i, e) in app.timeline.iter().enumerate() {
                    li { id: "timeline-{i}", class: "done",
                        span { class: "mark", aria_hidden: "true", "✓" }
                        div {
                            // The server's notes are in one language: the app says it in the applicant's.
                            // A state entered again is a reschedule (the only move that stays in a state).
                            if i > 0 && app.timeline[i - 1].state == e.state {
                                strong { {t("timeline-rescheduled")} }
                            } else {
                                strong { {t(&format!("state-{}", e.state.as_str()))} }
                            }
                            span { class: "muted", " · {show_moment(e.at, zone)}" }
                        }
                    }
                }
                for s in to_come {
                    li { class: "to-come",
                        span { class: "mark", aria_hidden: "true", "○" }
                        div { span { {t(&format!("state-{}", s.as_str()))} } span { class: "muted", " · " {t("timeline-to-come")} } }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::show_left;
    use jiff::SignedDuration;

    #[test]
    fn time_left_reads_as_hours_minutes_seconds() {
        assert_eq!(show_left(SignedDuration::from_secs(7200)), "2:00:00");
        assert_eq!(show_left(SignedDuration::from_secs(7199)), "1:59:59");
        assert_eq!(show_left(SignedDuration::from_secs(61)), "0:01:01");
        assert_eq!(show_left(SignedDuration::from_secs(-5)), "0:00:00");
    }
}

#[cfg(all(test, feature = "bundled-mock"))]
mod live_tests {
    use crate::i18n::{Language, tr, tr_with};
    use crate::views::testing::{Live, assert_every_control_is_named};
    use mpaspor_domain::state::ApplicationState;

    fn submitted(live: &Live) -> (String, String) {
        let draft = live.ready_draft();
        let id = live.submit(&draft, &live.free_slot());
        (draft, id)
    }

    #[test]
    fn the_payment_screen_counts_down_by_the_servers_clock_and_says_how_to_pay() {
        for lang in Language::ALL {
            let live = Live::dewi(lang);
            let (_, id) = submitted(&live);
            let payment = live.store.payment(&id).unwrap().unwrap();
            let html = live.render(&format!("/application/{id}"));
            assert!(html.contains(&payment.billing_code.grouped()), "{html}");
            assert!(html.contains(r#"id="copy-code""#));
            assert!(html.contains(&payment.amount.to_string()));
            assert!(html.contains(r#"id="countdown""#));
            assert!(html.contains("1:59:") || html.contains("2:00:00"), "{html}");
            for channel in super::CHANNELS {
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
            assert_eq!(
                live.store.application(&id).unwrap().unwrap().state,
                ApplicationState::Expired
            );
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
        live.services.engine.confirm_payment(&draft, &ntpn).unwrap();
        live.sync();
        let html = live.render(&format!("/application/{id}"));
        assert!(!html.contains(r#"id="payment""#), "{html}");
        assert!(html.contains(r#"id="open-proof""#));
        assert!(html.contains(r#"id="reschedule-open""#));
        let app = live.store.application(&id).unwrap().unwrap();
        let day = app.appointment.as_ref().unwrap().date;
        let last = crate::components::show_date(day.yesterday().unwrap());
        assert!(html.contains(&tr_with(lang, "reschedule-rule", &[("last", last)])));
        let amount = live.store.payment(&id).unwrap().unwrap().amount.to_string();
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
                    .api()
                    .office_slots("kanim-jakarta-selatan", None, Some(30)),
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
        let mock = live.services.mock.clone().unwrap();
        let code = live.store.payment(&id).unwrap().unwrap().billing_code;
        // "Pay, but do not tell immigration": the bank's NTPN, the state unchanged.
        let ntpn = live
            .rt
            .block_on(crate::mock_mode::pay(
                mock.clone(),
                code.as_str().into(),
                false,
            ))
            .unwrap();
        assert_eq!(ntpn.len(), 16);
        live.sync();
        let state = |live: &Live| live.store.application(&id).unwrap().unwrap().state;
        assert_eq!(state(&live), ApplicationState::AwaitingPayment);
        let html = live.render(&format!("/application/{id}"));
        assert!(html.contains(r#"id="mock-pay-now""#));
        // The NTPN the screen then shows settles it.
        live.services.engine.confirm_payment(&draft, &ntpn).unwrap();
        live.sync();
        assert_eq!(state(&live), ApplicationState::Paid);
        // Paying again is refused by the mock bank, said in words.
        let again = live
            .rt
            .block_on(crate::mock_mode::pay(mock, code.as_str().into(), true));
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
