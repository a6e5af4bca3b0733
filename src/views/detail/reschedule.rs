//! Reschedule: once, after payment, until the day before (office time); the
//! rule or the refusal in words.

use crate::components::show_date;
use crate::hooks::use_tr;
use crate::i18n::{Language, tr, tr_with};
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_domain::DraftId;
use mpaspor_domain::SlotId;
use mpaspor_domain::api::Application;
use mpaspor_domain::schedule::{RescheduleRefusal, can_reschedule, reschedule_last_day};

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
pub fn Reschedule(app: Application, draft: DraftId, sending: bool) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let mut open = use_signal(|| false);
    let mut chosen = use_signal(|| None::<SlotId>);
    let appointment = app.appointment.clone().expect("shown with an appointment");
    let refusal = can_reschedule(
        app.state,
        app.reschedules_used,
        appointment.date,
        appointment.zone,
        services.engine.server_now(),
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
                        on_choose: move |slot: SlotId| chosen.set(Some(slot)), passport_type: app.draft.passport_type }
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
