//! Review with the declaration, then submit, which answers the billing code
//! to pay (and the way to the payment).

use crate::Route;
use crate::hooks::{use_application, use_queued, use_tr};
use crate::i18n::{Language, tr};
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_core::engine::Draft;
use mpaspor_domain::state::ApplicationState;

#[component]
pub fn ReviewStep(current: Draft) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let mut declared = use_signal(|| false);
    let mut busy = use_signal(|| false);
    let draft_id = current.id.clone();
    let draft = &current.body;
    let slot = current.slot_id.clone();
    // An empty id (not on the server yet) is an application never heard of.
    let view = use_application(&current.server_id.clone().unwrap_or_default())();
    let queued = use_queued(&draft_id);
    let (app, payment) = match view {
        Some(v) => (Some(v.app), v.payment),
        None => (None, None),
    };
    let refused = crate::views::refused(&queued()).into_iter().next();
    let submit = {
        let services = services.clone();
        let draft_id = draft_id.clone();
        let slot = slot.clone();
        move |_| {
            let Some(slot) = slot.clone() else { return };
            if let Err(e) = services.engine.submit(&draft_id, &slot) {
                tracing::warn!("submit not queued: {e}");
                return;
            }
            let services = services.clone();
            busy.set(true);
            spawn(async move {
                let engine = services.engine.clone();
                let _ = services.run(async move { engine.sync().await }).await;
                busy.set(false);
            });
        }
    };
    let p = &draft.personal;
    let line = |key: &str, value: String| {
        rsx! {
            div { class: "fee-line", span { class: "muted", {t(key)} } strong { {value} } }
        }
    };
    if let (Some(app), Some(payment)) = (&app, &payment)
        && app.state != ApplicationState::Draft
    {
        let zone = app
            .appointment
            .as_ref()
            .map(|a| a.zone)
            .unwrap_or(mpaspor_domain::schedule::OfficeZone::Wib);
        return rsx! {
            div { id: "submitted", class: "note", role: "status",
                h3 { class: "sub", "✓ " {t("review-submitted")} }
                {line("review-billing-code", payment.billing_code.as_str().to_owned())}
                {line("review-amount", payment.amount.to_string())}
                {line("review-pay-before", format!("{} {}", zone.local_date(payment.expires_at).strftime("%d-%m-%Y"), zone.clock(payment.expires_at)))}
                if let Some(a) = &app.appointment {
                    {line("review-arrival", format!("{} {}", a.date.strftime("%d-%m-%Y"), a.window.show(a.zone)))}
                }
                p { {t("review-pay-how")} }
                Link { id: "to-payment", class: "primary", to: Route::ApplicationDetail { id: app.id.clone() }, {t("review-to-payment")} }
                Link { id: "to-home", class: "secondary", to: Route::Home {}, {t("home-title")} }
            }
        };
    }
    rsx! {
        div { id: "review", class: "fee",
            {line("step-service", draft.service.map(|s| t(&format!("service-{}", s.as_str()))).unwrap_or_default())}
            {line("field-full-name", p.full_name.clone().unwrap_or_default())}
            {line("field-nik", p.nik.clone().unwrap_or_default())}
            {line("step-passport", draft.passport_type.map(|x| t(&format!("passport-{}", x.as_str()))).unwrap_or_default())}
            {line("validity-title", draft.validity.map(|v| t(&format!("validity-{}", v.as_str()))).unwrap_or_default())}
            {line("step-office", services.office_name(draft.office_id.as_deref()))}
            {line("review-arrival", slot.clone().map(|s| slot_label(&s)).unwrap_or_else(|| t("review-no-slot")))}
        }
        if let Some(p) = &refused {
            p { id: "submit-refused", class: "note note-bad", role: "alert",
                "⚠ " {tr(lang(), &format!("error-{}", p.failed.as_ref().map(|f| f.0.clone()).unwrap_or_default()))}
            }
            button { id: "submit-again", class: "secondary", r#type: "button",
                onclick: { let services = services.clone(); let seq = p.seq; move |_| { let _ = services.engine.let_go(seq); } },
                {t("review-change-slot")}
            }
        }
        label { class: "check", r#for: "declaration",
            input { id: "declaration", r#type: "checkbox", checked: declared(), onchange: move |e: FormEvent| declared.set(e.checked()) }
            span { {t("review-declaration")} }
        }
        button { id: "submit", class: "primary", r#type: "button",
            disabled: !declared() || slot.is_none() || busy() || refused.is_some(),
            onclick: submit,
            if busy() { {t("working")} } else { {t("review-submit")} }
        }
    }
}

/// `kanim-x.20270104.0800` as "04-01-2027 08:00".
fn slot_label(slot: &str) -> String {
    let parts: Vec<&str> = slot.rsplitn(3, '.').collect();
    match parts[..] {
        [time, date, _] if date.len() == 8 && time.len() == 4 => {
            format!(
                "{}-{}-{} {}:{}",
                &date[6..8],
                &date[4..6],
                &date[..4],
                &time[..2],
                &time[2..]
            )
        }
        _ => slot.to_owned(),
    }
}

#[cfg(all(test, feature = "bundled-mock"))]
mod tests {
    use crate::i18n::{Language, tr};
    use crate::testing::{Live, assert_every_control_is_named};

    #[test]
    fn from_a_full_draft_to_a_billing_code_on_screen() {
        let live = Live::dewi(Language::Id);
        let draft = live.ready_draft();
        let body = live.services.engine.draft(&draft).unwrap().body;
        assert!(mpaspor_domain::Step::Personal.is_complete(&body, &[]));

        // The schedule step shows the office's quota; choose the first free window.
        let html = live.render(&format!("/apply/{draft}/schedule"));
        assert!(html.contains(r#"id="step-schedule""#));
        let slot = live.free_slot();
        live.services.engine.choose_slot(&draft, &slot).unwrap();
        let html = live.render(&format!("/apply/{draft}/review"));
        assert!(
            html.contains(r#"id="declaration""#) && html.contains("Dewi Lestari"),
            "{html}"
        );
        assert_every_control_is_named(&html);

        // What the submit button does, then the screen shows the billing code.
        let id = live.submit(&draft, &slot);
        let html = live.render(&format!("/apply/{draft}/review"));
        assert!(html.contains(r#"id="submitted""#), "{html}");
        let payment = live.services.engine.payment(&id).unwrap().unwrap();
        assert!(html.contains(payment.billing_code.as_str()));
        assert!(html.contains(&payment.amount.to_string()));
        assert!(html.contains(&tr(Language::Id, "review-billing-code")));
        assert!(html.contains("WIB"));
    }
}
