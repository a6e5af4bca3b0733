//! The last two steps: the arrival day and time window from the office's
//! quota, then review with the declaration and submit, which answers the
//! billing code to pay.

use crate::app::{Route, Services};
use crate::i18n::{Language, tr, tr_with};
use dioxus::prelude::*;
use mpaspor_domain::api::{ApplicationDraft, OfficeSlots};
use mpaspor_domain::state::ApplicationState;

/// The slot chosen for a draft (an id, not personal), kept with the settings.
fn slot_key(draft: &str) -> String {
    format!("slot:{draft}")
}

pub fn chosen_slot(services: &Services, draft: &str) -> Option<String> {
    services.store.setting(&slot_key(draft)).ok().flatten()
}

/// Weekday names in the language, Monday first (jiff counts Monday as 1).
fn weekday(lang: Language, date: jiff::civil::Date) -> String {
    tr(
        lang,
        &format!("weekday-{}", date.weekday().to_monday_one_offset()),
    )
}

#[component]
pub fn ScheduleStep(draft_id: String, draft: ApplicationDraft, changed: Callback<()>) -> Element {
    let services = use_context::<Services>();
    let chosen = chosen_slot(&services, &draft_id);
    let choose = move |slot: String| {
        let _ = services.store.set_setting(&slot_key(&draft_id), &slot);
        changed.call(());
    };
    rsx! {
        SlotPicker { office: draft.office_id.clone().unwrap_or_default(), chosen, on_choose: choose }
    }
}

/// The office's quota for the next 30 days as a calendar, then the windows of
/// the day picked: for the schedule step and for a reschedule.
#[component]
pub fn SlotPicker(office: String, chosen: Option<String>, on_choose: Callback<String>) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = move |k: &str| tr(lang(), k);
    let mut slots = use_signal(|| None::<Result<OfficeSlots, mpaspor_core::ApiError>>);
    let mut day = use_signal(|| None::<jiff::civil::Date>);
    let load = {
        let services = services.clone();
        let office = office.clone();
        move || {
            let services = services.clone();
            let office = office.clone();
            spawn(async move {
                let api = services.api().clone();
                let got = services
                    .run(async move { api.office_slots(&office, None, Some(30)).await })
                    .await;
                slots.set(Some(got));
            });
        }
    };
    {
        let load = load.clone();
        use_hook(load);
    }
    rsx! {
        match slots() {
            None => rsx! { p { class: "muted", role: "status", {t("working")} } },
            Some(Err(e)) => rsx! {
                p { id: "slots-error", class: "note note-bad", role: "alert", "⚠ {tr(lang(), &e.key())}" }
                button { id: "slots-retry", class: "secondary", r#type: "button", onclick: move |_| load(), {t("schedule-retry")} }
            },
            Some(Ok(quota)) => {
                let zone = quota.zone;
                let picked = day().or_else(|| {
                    chosen.as_ref().and_then(|c| quota.days.iter().find(|d| d.slots.iter().any(|s| &s.id == c)).map(|d| d.date))
                });
                rsx! {
                    p { class: "muted", {tr_with(lang(), "schedule-zone", &[("zone", zone.label().to_owned())])} }
                    div { id: "calendar", class: "calendar", role: "group", aria_label: t("schedule-days"),
                        for d in quota.days.iter() {
                            {
                                let left: u32 = d.slots.iter().map(|s| s.left).sum();
                                let state = if !d.open { "closed" } else if left == 0 { "full" } else { "free" };
                                let date = d.date;
                                rsx! {
                                    button { id: "day-{date}", r#type: "button",
                                        class: if picked == Some(date) { "day day-{state} day-on" } else { "day day-{state}" },
                                        disabled: state != "free",
                                        aria_pressed: if picked == Some(date) { "true" } else { "false" },
                                        onclick: move |_| day.set(Some(date)),
                                        span { class: "day-name", {weekday(lang(), date)} }
                                        strong { {date.strftime("%d-%m").to_string()} }
                                        span { class: "day-left",
                                            match state {
                                                "closed" => t("schedule-closed"),
                                                "full" => t("schedule-full"),
                                                _ => tr_with(lang(), "schedule-left", &[("left", left.to_string())]),
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    if let Some(date) = picked {
                        if let Some(d) = quota.days.iter().find(|d| d.date == date) {
                            h3 { class: "sub", {tr_with(lang(), "schedule-windows", &[("day", format!("{} {}", weekday(lang(), date), date.strftime("%d-%m-%Y")))])} }
                            div { id: "windows", class: "options", role: "radiogroup",
                                for s in d.slots.iter() {
                                    button { id: "slot-{s.id}", r#type: "button", role: "radio",
                                        class: if chosen.as_deref() == Some(s.id.as_str()) { "option option-on" } else { "option" },
                                        aria_checked: if chosen.as_deref() == Some(s.id.as_str()) { "true" } else { "false" },
                                        disabled: s.left == 0,
                                        onclick: { let id = s.id.clone(); move |_| on_choose.call(id.clone()) },
                                        strong { {s.window.show(zone)} }
                                        span { if s.left == 0 { {t("schedule-full")} } else { {tr_with(lang(), "schedule-left", &[("left", s.left.to_string())])} } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[component]
pub fn ReviewStep(draft_id: String, draft: ApplicationDraft, changed: Callback<()>) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = move |k: &str| tr(lang(), k);
    let mut declared = use_signal(|| false);
    let mut busy = use_signal(|| false);
    let slot = chosen_slot(&services, &draft_id);
    let local = services.store.draft(&draft_id).ok();
    let server_id = local.as_ref().and_then(|d| d.server_id.clone());
    let app = server_id
        .as_ref()
        .and_then(|id| services.store.application(id).ok().flatten());
    let payment = server_id
        .as_ref()
        .and_then(|id| services.store.payment(id).ok().flatten());
    let refused = super::refused(&services.store.outbox().unwrap_or_default(), &draft_id)
        .into_iter()
        .next();
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
                changed.call(());
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
            {line("step-office", office_name(&services, draft.office_id.as_deref()))}
            {line("review-arrival", slot.clone().map(|s| slot_label(&s)).unwrap_or_else(|| t("review-no-slot")))}
        }
        if let Some(p) = &refused {
            p { id: "submit-refused", class: "note note-bad", role: "alert",
                "⚠ " {tr(lang(), &format!("error-{}", p.failed.as_ref().map(|f| f.0.clone()).unwrap_or_default()))}
            }
            button { id: "submit-again", class: "secondary", r#type: "button",
                onclick: { let services = services.clone(); let seq = p.seq; move |_| { let _ = services.store.discard(seq); changed.call(()); } },
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

/// The office's name from the kept list, else its id.
pub fn office_name(services: &Services, id: Option<&str>) -> String {
    let Some(id) = id else { return String::new() };
    services
        .store
        .reference::<Vec<mpaspor_domain::api::Office>>("offices")
        .ok()
        .flatten()
        .and_then(|all| all.into_iter().find(|o| o.id == id))
        .map(|o| o.name)
        .unwrap_or_else(|| id.to_owned())
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
    use crate::views::testing::{Live, assert_every_control_is_named};

    #[test]
    fn from_a_full_draft_to_a_billing_code_on_screen() {
        let live = Live::dewi(Language::Id);
        let draft = live.ready_draft();
        let body = live.store.draft(&draft).unwrap().body;
        assert!(mpaspor_domain::Step::Personal.is_complete(&body, &[]));

        // The schedule step shows the office's quota; choose the first free window.
        let html = live.render(&format!("/apply/{draft}/schedule"));
        assert!(html.contains(r#"id="step-schedule""#));
        let slot = live.free_slot();
        live.store
            .set_setting(&super::slot_key(&draft), &slot)
            .unwrap();
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
        let payment = live.store.payment(&id).unwrap().unwrap();
        assert!(html.contains(payment.billing_code.as_str()));
        assert!(html.contains(&payment.amount.to_string()));
        assert!(html.contains(&tr(Language::Id, "review-billing-code")));
        assert!(html.contains("WIB"));
    }
}
