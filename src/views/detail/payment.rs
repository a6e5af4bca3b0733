//! Paying the billing code: the countdown by the server's clock, the ways
//! to pay, "check payment", the NTPN from the receipt; and what expiry means.

use crate::Route;
use crate::components::{Field, show_moment};
use crate::hooks::use_tr;
use crate::i18n::{Language, tr, tr_with};
use crate::services::Services;
use dioxus::prelude::*;
use jiff::SignedDuration;
use mpaspor_domain::DraftId;
use mpaspor_domain::api::{Application, Payment};
use mpaspor_domain::{Ntpn, OfficeZone, Step};

/// The ways to pay a SIMPONI billing code, each with its translation keys
/// `pay-channel-{name}` and `pay-channel-{name}-how`.
pub(super) const CHANNELS: [&str; 5] = [
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

/// The billing code, the countdown, the channels, checking and confirming.
#[component]
pub fn PaymentPanel(
    draft: DraftId,
    payment: Payment,
    zone: OfficeZone,
    sending_ntpn: bool,
) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
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
                if services.engine.confirm_payment(&draft, &n).is_ok() {
                    let services = services.clone();
                    spawn(async move { services.sync_now().await });
                }
            }
        }
    };
    let mock_pay = {
        let services = services.clone();
        let code = payment.billing_code.clone();
        move |notify: bool| {
            let Some(tester) = services.mock.clone() else {
                return;
            };
            let services = services.clone();
            let code = code.clone();
            spawn(async move {
                let paid = services
                    .run(crate::mock_mode::pay(tester, code, notify))
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
pub fn Expired(app: Application) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let mut problem = use_signal(|| None::<String>);
    let again = move |_| match services.engine.copy_of_application(&app.draft) {
        Ok(draft) => {
            services.nudge();
            let step = services.engine.resume_step(&draft).unwrap_or(Step::Service);
            navigator().push(Route::Apply { draft, step });
        }
        Err(e) => problem.set(Some(e.key())),
    };
    rsx! {
        section { id: "expired", class: "card",
            p { class: "note note-warn", {t("pay-expired-done")} }
            button { id: "apply-again", class: "primary", r#type: "button", onclick: again, {t("detail-apply-again")} }
            if let Some(key) = problem() {
                p { class: "note note-bad", role: "alert", "⚠ {tr(lang(), &key)}" }
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
