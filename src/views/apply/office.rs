//! The office: search by name or by a typed place (nearest first, with the
//! earliest free windows), or pick from the offices kept on the phone.

use crate::components::Field;
use crate::hooks::use_tr;
use crate::i18n::{Language, tr_with};
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_core::engine::FoundOffices;
use mpaspor_domain::DraftField;
use mpaspor_domain::api::{ApplicationDraft, Office};
use mpaspor_domain::draft::wire;
use serde_json::Value;

#[component]
pub fn OfficeStep(draft: ApplicationDraft, save: Callback<(DraftField, Value)>) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let text = use_signal(String::new);
    let mut found = use_signal(|| None::<FoundOffices>);
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| None::<mpaspor_core::Error>);
    // Before a search: the offices kept on the phone (they open offline),
    // refreshed from the server when it answers.
    let mut kept = use_signal(|| services.engine.kept_offices().unwrap_or_default());
    {
        let services = services.clone();
        use_future(move || {
            let services = services.clone();
            async move {
                let engine = services.engine.clone();
                if let Ok(Some(all)) = services.run(async move { engine.offices().await }).await {
                    kept.set(all);
                }
            }
        });
    }
    let search = {
        let services = services.clone();
        let passport_type = draft.passport_type;
        move |_| {
            let q = text.read().trim().to_owned();
            if q.is_empty() {
                return;
            }
            let services = services.clone();
            busy.set(true);
            spawn(async move {
                let engine = services.engine.clone();
                let result = services
                    .run(async move { engine.find_offices(&q, passport_type).await })
                    .await;
                busy.set(false);
                match result {
                    Ok(f) => {
                        error.set(None);
                        found.set(Some(f));
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    let shown: Vec<Office> = match found() {
        Some(f) => f.offices,
        None => {
            let mut list: Vec<Office> = kept
                .read()
                .iter()
                .filter(|o| {
                    draft.office_id.as_deref() == Some(o.id.as_str()) || o.refuses(&draft).is_none()
                })
                .cloned()
                .collect();
            list.truncate(8);
            list
        }
    };
    rsx! {
        div { class: "search",
            Field { id: "office_query", label: t("office-search"), value: text, hint: t("office-search-hint") }
            button { id: "office-search", class: "secondary", r#type: "button", disabled: busy(), onclick: search,
                if busy() { {t("working")} } else { {t("office-search-go")} }
            }
        }
        crate::components::ErrorNote { error: error() }
        if let Some(f) = found() {
            if let Some(place) = &f.place {
                p { class: "muted", {tr_with(lang(), "office-near", &[("place", place.clone())])} }
            }
            if !f.earliest.is_empty() {
                h3 { class: "sub", {t("office-earliest")} }
                ul { id: "earliest", class: "rows",
                    for e in f.earliest.iter() {
                        li { class: "row",
                            div { class: "row-main",
                                strong { {e.office.name.clone()} }
                                span { {format!("{} {}", e.slot.date.strftime("%d-%m-%Y"), e.slot.window.show(e.office.zone))} }
                                span { class: "muted", {tr_with(lang(), "office-left", &[("left", e.slot.left.to_string())])} }
                            }
                            button { id: "earliest-{e.slot.id}", class: "secondary small", r#type: "button",
                                aria_label: tr_with(lang(), "office-choose-named", &[("name", e.office.name.clone())]),
                                onclick: { let id = e.office.id.clone(); move |_| save.call((DraftField::OfficeId, wire(id.clone()))) },
                                {t("office-choose")}
                            }
                        }
                    }
                }
            }
            crate::components::WalkIns { days: f.walk_ins.clone(), offices: f.offices.clone() }
            if f.offices.is_empty() {
                p { id: "no-offices", class: "muted", {t("office-none")} }
            }
        }
        h3 { class: "sub", {t("office-list")} }
        ul { id: "offices", class: "rows",
            for office in shown {
                li { id: "office-{office.id}", class: "row",
                    div { class: "row-main",
                        strong {
                            if draft.office_id.as_deref() == Some(office.id.as_str()) { "✓ " }
                            {office.name.clone()}
                        }
                        span { class: "muted",
                            {format!("{}, {} · {}", office.city, office.province, office.zone.label())}
                            if let Some(km) = office.distance_km { {format!(" · {km:.0} km")} }
                        }
                        span { class: "muted",
                            {office.passport_types.iter().map(|p| t(&format!("passport-short-{}", p.as_str()))).collect::<Vec<_>>().join(", ")}
                            if office.express { {format!(" · {}", t("office-express"))} }
                        }
                        if let Some(why) = office.refuses(&draft).map(|r| r.key()) {
                            span { class: "field-error", "⚠ {t(why)}" }
                        }
                    }
                    if draft.office_id.as_deref() == Some(office.id.as_str()) {
                        span { class: "state state-paid", {t("office-chosen")} }
                    } else {
                        button { id: "choose-{office.id}", class: "secondary small", r#type: "button",
                            disabled: office.refuses(&draft).is_some(),
                            aria_label: tr_with(lang(), "office-choose-named", &[("name", office.name.clone())]),
                            onclick: { let id = office.id.clone(); move |_| save.call((DraftField::OfficeId, wire(id.clone()))) },
                            {t("office-choose")}
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::i18n::{Language, tr};
    use crate::testing::{assert_every_control_is_named, holder_draft, render_at};
    use mpaspor_domain::DraftField;
    use serde_json::json;

    #[test]
    fn the_office_step_lists_kept_offices_and_refuses_one_that_cannot_issue() {
        let (phone, draft) = holder_draft(Language::En);
        let offices: Vec<mpaspor_domain::api::Office> = serde_json::from_value(json!([
            {"id": "kanim-a", "name": "Kantor A", "kind": "kanim", "address": "Jl. A", "city": "Kota A",
             "province": "Jawa Barat", "lat": -6.9, "lon": 107.6, "zone": "WIB",
             "passport_types": ["biasa", "elektronik"], "express": true},
            {"id": "ulp-b", "name": "ULP B", "kind": "ulp", "address": "Jl. B", "city": "Kota B",
             "province": "Jawa Barat", "lat": -6.8, "lon": 107.5, "zone": "WIB",
             "passport_types": ["biasa"], "express": false}
        ]))
        .unwrap();
        phone.keep_reference("offices", &offices);
        phone
            .engine()
            .save_field(&draft, DraftField::PassportType, &json!("elektronik"))
            .unwrap();
        phone
            .engine()
            .save_field(&draft, DraftField::OfficeId, &json!("ulp-b"))
            .unwrap();
        let html = render_at(phone.services.clone(), &format!("/apply/{draft}/office"));
        assert!(
            html.contains("Kantor A") && html.contains("ULP B"),
            "{html}"
        );
        assert!(html.contains(&tr(Language::En, "office-no-type")));
        assert!(html.contains(r#"id="choose-kanim-a""#));
        assert_every_control_is_named(&html);
    }

    /// The walk-in days near a place, in both languages: the weekend and
    /// outreach days listed with who may come, the everyday lane said once.
    #[test]
    fn walk_in_days_are_listed_with_who_may_come() {
        use dioxus::prelude::*;
        #[component]
        fn Shown(lang: Language, days: Vec<mpaspor_domain::api::WalkInDay>) -> Element {
            use_context_provider(|| Signal::new(lang));
            rsx! { crate::components::WalkIns { days, offices: vec![] } }
        }
        let days: Vec<mpaspor_domain::api::WalkInDay> = serde_json::from_value(json!([
            {"office_id": "kanim-bandung", "kind": "priority_lane", "date": "2026-12-08",
             "window": {"start": "08:00", "end": "10:00"}, "zone": "WIB", "venue": "Kanim Bandung",
             "who": ["over_60", "disabled", "under_5", "pregnant"], "passport_types": ["elektronik"], "places": 20},
            {"office_id": "kanim-bandung", "kind": "paspor_simpatik", "date": "2026-12-19",
             "window": {"start": "08:00", "end": "12:00"}, "zone": "WIB", "venue": "Kanim Bandung",
             "who": ["everyone"], "passport_types": ["elektronik"], "places": 150}
        ]))
        .unwrap();
        for lang in Language::ALL {
            let mut dom = VirtualDom::new_with_props(
                Shown,
                ShownProps {
                    lang,
                    days: days.clone(),
                },
            );
            dom.rebuild_in_place();
            let html = dioxus_ssr::render(&dom);
            assert!(
                html.contains(r#"id="walk-in-kanim-bandung-2026-12-19""#),
                "{html}"
            );
            assert!(!html.contains(r#"id="walk-in-kanim-bandung-2026-12-08""#));
            assert!(html.contains(&tr(lang, "walk-in-paspor_simpatik")));
            assert!(html.contains(&tr(lang, "walk-in-for-everyone")));
            assert!(html.contains(r#"id="walk-in-lane""#));
            assert!(
                html.contains("19-12-2026 08.00-12.00 WIB")
                    || html.contains("19-12-2026 08:00-12:00 WIB"),
                "{html}"
            );
        }
    }
}
