//! The office's quota as a calendar, then the windows of the day picked.

use crate::hooks::use_tr;
use crate::i18n::{Language, tr, tr_with};
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_domain::SlotId;
use mpaspor_domain::api::OfficeSlots;

/// Weekday names in the language, Monday first (jiff counts Monday as 1).
fn weekday(lang: Language, date: jiff::civil::Date) -> String {
    tr(
        lang,
        &format!("weekday-{}", date.weekday().to_monday_one_offset()),
    )
}

/// The office's quota for the next 30 days as a calendar, then the windows of
/// the day picked: for the schedule step and for a reschedule.
#[component]
pub fn SlotPicker(office: String, chosen: Option<SlotId>, on_choose: Callback<SlotId>) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let mut slots = use_signal(|| None::<Result<OfficeSlots, mpaspor_core::Error>>);
    let mut day = use_signal(|| None::<jiff::civil::Date>);
    let load = {
        let services = services.clone();
        let office = office.clone();
        move || {
            let services = services.clone();
            let office = office.clone();
            spawn(async move {
                let engine = services.engine.clone();
                let got = services
                    .run(async move { engine.office_slots(&office).await })
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
                                        class: if chosen.as_ref() == Some(&s.id) { "option option-on" } else { "option" },
                                        aria_checked: if chosen.as_ref() == Some(&s.id) { "true" } else { "false" },
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
