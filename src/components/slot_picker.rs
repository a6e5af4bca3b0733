//! The office's quota as a calendar, then the windows of the day picked.

use crate::hooks::use_tr;
use crate::i18n::{Language, tr, tr_with};
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_domain::api::{OfficeSlots, Slot};
use mpaspor_domain::{DraftId, PassportType, SlotId};

/// Weekday names in the language, Monday first (jiff counts Monday as 1).
pub(super) fn weekday(lang: Language, date: jiff::civil::Date) -> String {
    tr(
        lang,
        &format!("weekday-{}", date.weekday().to_monday_one_offset()),
    )
}

/// "biasa 12 · e-paspor polikarbonat 0": a window's places for each
/// passport type, so a full polycarbonate quota is not a full office.
fn by_type(lang: Language, slot: &Slot) -> String {
    slot.by_type
        .iter()
        .map(|q| {
            format!(
                "{} {}",
                tr(
                    lang,
                    &format!("passport-short-{}", q.passport_type.as_str())
                ),
                q.left
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The office's quota for the next 30 days as a calendar (for the draft's
/// passport type, each type's beside it), then the windows of the day
/// picked: for the schedule step and for a reschedule. With a `draft`, a
/// calendar with no free day offers to tell the applicant when one opens.
#[component]
pub fn SlotPicker(
    office: String,
    chosen: Option<SlotId>,
    on_choose: Callback<SlotId>,
    passport_type: Option<PassportType>,
    draft: Option<DraftId>,
) -> Element {
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
                    .run(async move { engine.office_slots(&office, passport_type).await })
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
                let any_free = quota.days.iter().any(|d| d.slots.iter().any(|s| s.left > 0));
                let (first, last) = (quota.days.first().map(|d| d.date), quota.days.last().map(|d| d.date));
                let near = services.engine.kept_offices().and_then(|all| all.into_iter().find(|o| o.id == office)).map(|o| format!("{:.4},{:.4}", o.lat, o.lon));
                rsx! {
                    p { class: "muted", {tr_with(lang(), "schedule-zone", &[("zone", zone.label().to_owned())])} }
                    if let Some(release) = quota.release {
                        crate::components::ReleaseLine { release, zone }
                    }
                    if let (false, Some(draft), Some(from), Some(to)) = (any_free, draft.clone(), first, last) {
                        crate::components::WatchOffer { draft, office: office.clone(), passport_type, from, to, near }
                    }
                    div { id: "calendar", class: "calendar", role: "group", aria_label: t("schedule-days"),
                        for d in quota.days.iter() {
                            {
                                let left: u32 = d.slots.iter().map(|s| s.left).sum();
                                let state = if !d.open { "closed" } else if d.opens_at.is_some() { "soon" } else if left == 0 { "full" } else { "free" };
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
                                                "soon" => tr_with(lang(), "schedule-soon", &[("when", d.opens_at.map(|at| zone.local_date(at).strftime("%d-%m").to_string()).unwrap_or_default())]),
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
                                        if s.by_type.len() > 1 {
                                            span { class: "types muted", {by_type(lang(), s)} }
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
}
