//! The application, one step per screen, every choice saved the moment it
//! is made (a field of the draft in SQLite). Steps so far: service, adult or
//! child, new or replacement, passport type and validity with the fee, purpose,
//! office (search, nearest to a typed place, the earliest free windows).

use crate::app::{Route, Services};
use crate::components::{Field, Frame};
use crate::i18n::{Language, tr, tr_with};
use dioxus::prelude::*;
use mpaspor_core::documents::LocalDocument;
use mpaspor_core::drafts::Draft;
use mpaspor_domain::api::{ApplicationDraft, EarliestSlot, Office, OfficeQuery, PageQuery};
use mpaspor_domain::choice::{ApplicantKind, PassportType, Purpose, ReplacementReason, Service};
use mpaspor_domain::eligibility::DocumentKind;
use mpaspor_domain::eligibility::allowed_validities;
use mpaspor_domain::fees::{FeeChoice, FeeTable};
use mpaspor_domain::ids::PassportNumber;
use mpaspor_domain::{DraftField, Step};
use serde_json::{Value, json};

/// The kinds of the pictures attached to a draft (uploaded or waiting to be).
pub(crate) fn kinds(attached: &[LocalDocument]) -> Vec<DocumentKind> {
    attached.iter().map(|a| a.kind).collect()
}

/// The first step still to answer (where a resumed draft opens).
pub fn first_open_step(d: &ApplicationDraft, attached: &[LocalDocument]) -> Step {
    Step::first_open(d, &kinds(attached))
}

pub(crate) fn wire<T: serde::Serialize>(v: T) -> Value {
    serde_json::to_value(v).expect("choices serialise")
}

#[component]
pub fn Apply(draft: String, step: Step) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = move |k: &str| tr(lang(), k);
    let mut revision = use_signal(|| 0u32);
    let mut problem = use_signal(|| None::<&'static str>);
    let mut check_failed = use_signal(|| None::<String>);
    let mut checking = use_signal(|| false);
    let mut offline_ack = use_signal(|| false);
    // The fee table: the kept copy at once, refreshed from the server.
    let mut fees = use_signal(|| services.store.reference::<FeeTable>("fees").ok().flatten());
    {
        let services = services.clone();
        use_future(move || {
            let services = services.clone();
            async move {
                let engine = services.engine.clone();
                if let Ok(Some(table)) = services.run(async move { engine.fees().await }).await {
                    fees.set(Some(table));
                }
            }
        });
    }
    // A new step opens at its top, not where the last one was scrolled to.
    use_effect(use_reactive!(|step| {
        let _ = step;
        document::eval("window.scrollTo(0, 0)");
    }));
    let _ = revision();
    let Ok(current) = services.store.draft(&draft) else {
        return rsx! {
            main { id: "apply", class: "screen",
                p { class: "note note-bad", role: "alert", {t("store-error-not-found")} }
                Link { class: "primary", to: Route::Home {}, {t("home-title")} }
            }
        };
    };
    let d = current.body.clone();
    let index = step.index();
    let total = Step::ALL.len();
    let save = {
        let services = services.clone();
        let draft = draft.clone();
        move |(field, value): (DraftField, Value)| {
            match services.store.save_field(&draft, field, &value) {
                Ok(()) => problem.set(None),
                Err(e) => problem.set(Some(e.key())),
            }
            revision += 1;
        }
    };
    let go_on = {
        let draft = draft.clone();
        move || match step.next() {
            Some(next) => {
                navigator().push(Route::Apply {
                    draft: draft.clone(),
                    step: next,
                });
            }
            None => {
                navigator().replace(Route::Home {});
            }
        }
    };
    let next = {
        let services = services.clone();
        let body = d.clone();
        let applicant = current.applicant_id.clone();
        move |_| {
            services.nudge();
            if step != Step::Personal || offline_ack() {
                go_on();
                return;
            }
            // The live Dukcapil check before leaving the personal data.
            let services = services.clone();
            let body = body.clone();
            let applicant = applicant.clone();
            let go_on = go_on.clone();
            checking.set(true);
            spawn(async move {
                let api = services.api().clone();
                let verdict = services
                    .run(super::personal::dukcapil(api, body.clone()))
                    .await;
                checking.set(false);
                match verdict {
                    Ok(None) => {
                        check_failed.set(None);
                        super::personal::remember_nik(&services, &applicant, &body);
                        go_on();
                    }
                    Ok(Some(key)) => check_failed.set(Some(tr(lang(), &key))),
                    Err(e) => {
                        check_failed.set(None);
                        let transient = e.is_transient();
                        problem.set(Some(if transient {
                            "nik-check-offline"
                        } else {
                            "nik-check-unknown_nik"
                        }));
                        offline_ack.set(transient);
                    }
                }
            });
        }
    };
    let attached = services.store.documents(&draft).unwrap_or_default();
    let ready = match step {
        Step::Schedule => super::finish::chosen_slot(&services, &draft).is_some(),
        _ => step.is_complete(&d, &kinds(&attached)),
    };
    rsx! {
        Frame { id: "apply", title: t("apply-title"),
            div { class: "progress",
                p { id: "step-count", {tr_with(lang(), "apply-step-of", &[("n", (index + 1).to_string()), ("total", total.to_string())])} }
                div { class: "progress-track", role: "progressbar", aria_label: t("apply-progress"),
                    aria_valuemin: "1", aria_valuemax: "{total}", aria_valuenow: "{index + 1}",
                    div { class: "progress-fill", style: "width: {(index + 1) * 100 / total}%" }
                }
            }
            if let Some(key) = problem() {
                p { id: "step-error", class: "note note-bad", role: "alert", "⚠ {tr(lang(), key)}" }
            }
            section { id: "step-{step}", class: "card form", aria_labelledby: "step-title",
                h2 { id: "step-title", {t(&format!("step-{step}"))} }
                match step {
                    Step::Service => rsx! {
                        Options { id: "service", save: save.clone(), field: DraftField::Service, chosen: d.service.map(wire),
                            options: [Service::Reguler, Service::Percepatan].into_iter()
                                .map(|s| (wire(s), t(&format!("service-{}", s.as_str())), Some(t(&format!("service-{}-note", s.as_str()))))).collect() }
                    },
                    Step::Kind => rsx! {
                        Options { id: "kind", save: save.clone(), field: DraftField::ApplicantKind, chosen: d.applicant_kind.map(wire),
                            options: [ApplicantKind::Adult, ApplicantKind::Child].into_iter()
                                .map(|k| (wire(k), t(&format!("kind-{}", k.as_str())), Some(t(&format!("kind-{}-note", k.as_str()))))).collect() }
                    },
                    Step::Replacement => rsx! { ReplacementStep { current: current.clone(), save: save.clone() } },
                    Step::Passport => rsx! {
                        h3 { class: "sub", {t("passport-type-title")} }
                        Options { id: "passport-type", save: save.clone(), field: DraftField::PassportType, chosen: d.passport_type.map(wire),
                            options: [PassportType::Elektronik, PassportType::ElektronikPolikarbonat, PassportType::Biasa].into_iter()
                                .map(|p| (wire(p), t(&format!("passport-{}", p.as_str())), None)).collect() }
                        h3 { class: "sub", {t("validity-title")} }
                        Options { id: "validity", save: save.clone(), field: DraftField::Validity, chosen: d.validity.map(wire),
                            options: allowed_validities(d.applicant_kind.unwrap_or(ApplicantKind::Adult)).iter()
                                .map(|v| (wire(*v), t(&format!("validity-{}", v.as_str())), None)).collect() }
                        FeeLine { draft: d.clone(), table: fees() }
                    },
                    Step::Office => rsx! { OfficeStep { draft: d.clone(), save: save.clone() } },
                    Step::Schedule => rsx! {
                        super::finish::ScheduleStep { draft_id: draft.clone(), draft: d.clone(), changed: move |_| revision += 1 }
                    },
                    Step::Review => rsx! {
                        super::finish::ReviewStep { draft_id: draft.clone(), draft: d.clone(), changed: move |_| revision += 1 }
                    },
                    Step::Documents => rsx! {
                        super::documents::DocumentsStep { draft_id: draft.clone(), draft: d.clone(),
                            changed: move |_| revision += 1 }
                    },
                    Step::Personal => rsx! {
                        super::personal::PersonalStep { draft: d.clone(), save: save.clone(), check_failed: check_failed() }
                    },
                    Step::Purpose => rsx! {
                        Options { id: "purpose", save: save.clone(), field: DraftField::Purpose, chosen: d.purpose.map(wire),
                            options: Purpose::ALL.iter()
                                .map(|p| (wire(*p), t(&format!("purpose-{}", p.as_str())), None)).collect() }
                    },
                }
            }
            p { class: "muted saved", role: "status", {t("apply-saved")} }
            if step != Step::Review {
            button { id: "next", class: "primary", r#type: "button", disabled: !ready || checking(), onclick: next,
                if checking() { {t("nik-checking")} }
                else if step.next().is_some() { {t("apply-next")} } else { {t("apply-save-exit")} }
            }
            }
        }
    }
}

/// Big radio buttons for one field; a choice is saved at once.
#[component]
fn Options(
    id: String,
    field: DraftField,
    options: Vec<(Value, String, Option<String>)>,
    chosen: Option<Value>,
    save: Callback<(DraftField, Value)>,
) -> Element {
    rsx! {
        div { id: "{id}", class: "options", role: "radiogroup",
            for (i, (value, label, note)) in options.into_iter().enumerate() {
                button {
                    id: "{id}-{i}",
                    r#type: "button",
                    role: "radio",
                    class: if chosen.as_ref() == Some(&value) { "option option-on" } else { "option" },
                    aria_checked: if chosen.as_ref() == Some(&value) { "true" } else { "false" },
                    onclick: { let value = value.clone(); move |_| save.call((field, value.clone())) },
                    strong { {label} }
                    if let Some(note) = note { span { {note} } }
                }
            }
        }
    }
}

/// The fee for what is chosen so far, from the served table.
#[component]
fn FeeLine(draft: ApplicationDraft, table: Option<FeeTable>) -> Element {
    let lang = use_context::<Signal<Language>>();
    let (Some(passport_type), Some(validity), Some(table)) =
        (draft.passport_type, draft.validity, table)
    else {
        return rsx! {};
    };
    let choice = FeeChoice {
        passport_type,
        validity,
        service: draft.service.unwrap_or(Service::Reguler),
        replacement: draft.replacement.as_ref().map(|r| r.reason),
        force_majeure: draft.replacement.as_ref().is_some_and(|r| r.force_majeure),
    };
    match table.quote(&choice) {
        Ok(quote) => rsx! {
            div { id: "fee", class: "note fee", role: "status",
                for line in quote.lines.iter() {
                    p { class: "fee-line",
                        span { {tr(lang(), fee_item_key(&line.item))} }
                        span { {line.amount.to_string()} }
                    }
                }
                p { class: "fee-line fee-total",
                    strong { {tr_with(lang(), "apply-fee", &[("amount", quote.total.to_string())])} }
                }
            }
        },
        Err(_) => rsx! {
            p { id: "fee", class: "note note-warn", role: "status", {tr(lang(), "apply-fee-unknown")} }
        },
    }
}

/// Offices found for a place or a name, and the earliest free windows near it.
#[derive(Clone, PartialEq, Default)]
struct Found {
    place: Option<String>,
    offices: Vec<Office>,
    earliest: Vec<EarliestSlot>,
}

async fn find_offices(
    api: mpaspor_core::Api,
    text: String,
    passport_type: Option<PassportType>,
) -> Result<Found, mpaspor_core::ApiError> {
    let page = PageQuery {
        offset: 0,
        limit: 10,
    };
    let places = api.places(&text, page).await?;
    if let Some(place) = places.items.first() {
        let near = format!("{:.4},{:.4}", place.lat, place.lon);
        let query = OfficeQuery {
            near: Some(near.clone()),
            q: None,
            passport_type: None,
        };
        let offices = api.offices(&query, page).await?.items;
        let earliest = api
            .earliest_slots(
                &near,
                passport_type,
                PageQuery {
                    offset: 0,
                    limit: 5,
                },
            )
            .await?
            .items;
        return Ok(Found {
            place: Some(place.name.clone()),
            offices,
            earliest,
        });
    }
    let query = OfficeQuery {
        near: None,
        q: Some(text),
        passport_type: None,
    };
    Ok(Found {
        place: None,
        offices: api.offices(&query, page).await?.items,
        earliest: vec![],
    })
}

#[component]
fn OfficeStep(draft: ApplicationDraft, save: Callback<(DraftField, Value)>) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = move |k: &str| tr(lang(), k);
    let text = use_signal(String::new);
    let mut found = use_signal(|| None::<Found>);
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| None::<mpaspor_core::ApiError>);
    // Before a search: the offices kept on the phone (they open offline),
    // refreshed from the server when it answers.
    let mut kept = use_signal(|| {
        services
            .store
            .reference::<Vec<Office>>("offices")
            .ok()
            .flatten()
            .unwrap_or_default()
    });
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
                let api = services.api().clone();
                let result = services.run(find_offices(api, q, passport_type)).await;
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
                                onclick: { let id = e.office.id.clone(); move |_| save.call((DraftField::OfficeId, json!(id.clone()))) },
                                {t("office-choose")}
                            }
                        }
                    }
                }
            }
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
                            onclick: { let id = office.id.clone(); move |_| save.call((DraftField::OfficeId, json!(id.clone()))) },
                            {t("office-choose")}
                        }
                    }
                }
            }
        }
    }
}

fn fee_item_key(item: &mpaspor_domain::fees::FeeItem) -> &'static str {
    use mpaspor_domain::fees::FeeItem::*;
    match item {
        Passport { .. } => "fee-item-passport",
        Express => "fee-item-express",
        LostPassport => "fee-item-lost",
        DamagedPassport => "fee-item-damaged",
    }
}

/// New passport, or a replacement: why, and the old passport's number.
#[component]
fn ReplacementStep(current: Draft, save: Callback<(DraftField, Value)>) -> Element {
    let lang = use_context::<Signal<Language>>();
    let t = move |k: &str| tr(lang(), k);
    let r = current.body.replacement.clone();
    let number = use_signal(|| {
        r.as_ref()
            .and_then(|r| r.old_passport_number.as_ref())
            .map(|n| n.as_str().to_owned())
            .unwrap_or_default()
    });
    let typed = number.read().trim().to_uppercase();
    let parsed = (!typed.is_empty()).then(|| PassportNumber::parse(&typed));
    // Save the number as soon as it reads as a passport number (checked against
    // what is saved now, not what this render was given).
    {
        let services = use_context::<Services>();
        let draft = current.id.clone();
        use_effect(move || {
            let typed = number.read().trim().to_uppercase();
            let Ok(n) = PassportNumber::parse(&typed) else {
                return;
            };
            let saved = services
                .store
                .draft(&draft)
                .ok()
                .and_then(|d| d.body.replacement);
            if let Some(mut rep) = saved
                && rep.old_passport_number.as_ref() != Some(&n)
            {
                rep.old_passport_number = Some(n);
                save.call((DraftField::Replacement, wire(&rep)));
            }
        });
    }
    // The passports already issued to this person, from the travel-document
    // integration: one tap fills the reason and the old number.
    let services = use_context::<Services>();
    let mut asked = use_signal(|| 0u32);
    {
        let services = services.clone();
        let applicant = current.applicant_id.clone();
        use_future(move || {
            let services = services.clone();
            let applicant = applicant.clone();
            async move {
                let engine = services.engine.clone();
                let _ = services
                    .run(async move { engine.travel_documents(&applicant).await })
                    .await;
                asked += 1;
            }
        });
    }
    let _ = asked();
    let passports = services
        .store
        .travel_documents(&current.applicant_id)
        .ok()
        .flatten()
        .unwrap_or_default();
    let mut number_typed = number;
    let reason_of = |reason: ReplacementReason| {
        json!({"reason": reason, "old_passport_number": r.as_ref().and_then(|r| r.old_passport_number.clone()),
               "force_majeure": false})
    };
    rsx! {
        if !passports.is_empty() {
            section { id: "old-passports", class: "note old-passports",
                strong { {t("old-passports-title")} }
                ul { class: "plain",
                    for p in passports.iter() {
                        {
                            let chosen = r.as_ref().and_then(|r| r.old_passport_number.as_ref()) == Some(&p.number);
                            let n = p.number.clone();
                            let replacement = wire(p.replacement());
                            let can_renew = p.can_be_replaced();
                            rsx! {
                                li { id: "old-passport-{p.number.as_str()}", class: "old-passport",
                                    div {
                                        strong { "{p.number.as_str()}" }
                                        p { {tr_with(lang(), "old-passport-line", &[
                                            ("type", t(&format!("passport-{}", p.passport_type.as_str()))),
                                            ("expires", crate::components::show_date(p.expires_on)),
                                            ("status", t(&format!("passport-status-{}", p.status.as_str()))),
                                        ])} }
                                    }
                                    if chosen {
                                        span { class: "ok", "✓ " {t("old-passport-chosen")} }
                                    } else if can_renew {
                                        button { id: "use-passport-{p.number.as_str()}", class: "secondary", r#type: "button",
                                            onclick: move |_| {
                                                number_typed.set(n.as_str().to_owned());
                                                save.call((DraftField::Replacement, replacement.clone()));
                                            },
                                            {t("old-passport-use")}
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        div { class: "options", role: "radiogroup", id: "replacement",
            button { id: "replacement-new", r#type: "button", role: "radio",
                class: if r.is_none() { "option option-on" } else { "option" },
                aria_checked: if r.is_none() { "true" } else { "false" },
                onclick: move |_| save.call((DraftField::Replacement, Value::Null)),
                strong { {t("replacement-none")} }
                span { {t("replacement-none-note")} }
            }
            for reason in [ReplacementReason::ExpiredOrFull, ReplacementReason::Lost, ReplacementReason::Damaged] {
                button { id: "replacement-{reason.as_str()}", r#type: "button", role: "radio",
                    class: if r.as_ref().map(|r| r.reason) == Some(reason) { "option option-on" } else { "option" },
                    aria_checked: if r.as_ref().map(|r| r.reason) == Some(reason) { "true" } else { "false" },
                    onclick: { let v = reason_of(reason); move |_| save.call((DraftField::Replacement, v.clone())) },
                    strong { {t(&format!("replacement-{}", reason.as_str()))} }
                }
            }
        }
        if let Some(rep) = r.clone() {
            Field { id: "old_passport", label: t("field-old-passport"), value: number,
                hint: t("field-old-passport-hint"),
                error: match &parsed { Some(Err(_)) => Some(t("old-passport-bad")), _ => None } }
            if rep.reason != ReplacementReason::ExpiredOrFull {
                label { class: "check", r#for: "force_majeure",
                    input { id: "force_majeure", r#type: "checkbox", checked: rep.force_majeure,
                        onchange: { let rep = rep.clone(); move |e: FormEvent| {
                            let mut rep = rep.clone();
                            rep.force_majeure = e.checked();
                            save.call((DraftField::Replacement, wire(&rep)));
                        } } }
                    span { {t("field-force-majeure")} }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::first_open_step;
    use crate::app::Services;
    use crate::i18n::{Language, tr};
    #[cfg(feature = "bundled-mock")]
    use crate::views::testing::Live;
    use crate::views::testing::{assert_every_control_is_named, holder_draft, render_at};
    use mpaspor_domain::{DraftField, Step};
    use serde_json::json;

    #[test]
    fn every_step_renders_in_both_languages_with_its_progress_and_named_controls() {
        for lang in Language::ALL {
            let (store, draft) = holder_draft(lang);
            for (i, step) in Step::ALL.iter().enumerate() {
                let html = render_at(
                    Services::for_tests(store.clone()),
                    &format!("/apply/{draft}/{step}"),
                );
                assert!(
                    html.contains(&format!(r#"id="step-{step}""#)),
                    "{step}: {html}"
                );
                assert!(html.contains(&tr(lang, &format!("step-{step}"))));
                assert!(html.contains(&format!(r#"aria-valuenow="{}""#, i + 1)));
                assert_every_control_is_named(&html);
            }
        }
    }

    #[test]
    #[cfg(feature = "bundled-mock")]
    fn the_passports_already_issued_are_offered_for_replacement() {
        for lang in Language::ALL {
            let live = Live::dewi(lang);
            let draft = live.store.new_draft(&live.holder).unwrap();
            let path = format!("/apply/{draft}/replacement");
            // The step asks the server when it opens; here the engine is asked first.
            let engine = live.services.engine.clone();
            let holder = live.holder.clone();
            live.rt
                .block_on(async move { engine.travel_documents(&holder).await })
                .unwrap();
            let html = live.render(&path);
            assert!(html.contains(r#"id="old-passport-C1234567""#), "{html}");
            assert!(html.contains(&tr(lang, "passport-status-expired")));
            assert!(html.contains(r#"id="use-passport-C1234567""#));
            assert_every_control_is_named(&html);
            // What the button saves: a replacement of that passport, shown as chosen.
            live.store
                .save_field(
                    &draft,
                    DraftField::Replacement,
                    &json!({"reason": "expired_or_full", "old_passport_number": "C1234567", "force_majeure": false}),
                )
                .unwrap();
            let html = live.render(&path);
            assert!(html.contains(&tr(lang, "old-passport-chosen")));
            assert!(!html.contains(r#"id="use-passport-C1234567""#));
            assert!(html.contains(r#"value="C1234567""#), "{html}");
        }
    }

    #[test]
    fn a_choice_is_shown_as_chosen_and_opens_the_next_step() {
        let (store, draft) = holder_draft(Language::Id);
        let html = render_at(
            Services::for_tests(store.clone()),
            &format!("/apply/{draft}/service"),
        );
        assert!(
            html.contains(r#"id="next" class="primary" type="button" disabled"#),
            "{html}"
        );
        store
            .save_field(&draft, DraftField::Service, &json!("percepatan"))
            .unwrap();
        let html = render_at(
            Services::for_tests(store.clone()),
            &format!("/apply/{draft}/service"),
        );
        assert!(html.contains(r#"id="service-1" type="button" role="radio" class="option option-on" aria-checked="true""#), "{html}");
        assert!(!html.contains(r#"id="next" class="primary" type="button" disabled"#));
        let body = store.draft(&draft).unwrap().body;
        assert_eq!(first_open_step(&body, &[]), Step::Kind);
    }

    #[test]
    fn the_fee_follows_the_choices_from_the_served_table() {
        let (store, draft) = holder_draft(Language::Id);
        let table: mpaspor_domain::fees::FeeTable =
            serde_json::from_str(include_str!("../../crates/mock-server/data/fees.json")).unwrap();
        store.keep_reference("fees", &table).unwrap();
        for (field, value) in [
            (DraftField::Service, json!("reguler")),
            (DraftField::ApplicantKind, json!("adult")),
            (DraftField::PassportType, json!("elektronik")),
            (DraftField::Validity, json!("10y")),
        ] {
            store.save_field(&draft, field, &value).unwrap();
        }
        let html = render_at(
            Services::for_tests(store.clone()),
            &format!("/apply/{draft}/passport"),
        );
        assert!(html.contains("Biaya: Rp950.000"), "{html}");
        store
            .save_field(&draft, DraftField::Service, &json!("percepatan"))
            .unwrap();
        let html = render_at(
            Services::for_tests(store.clone()),
            &format!("/apply/{draft}/passport"),
        );
        assert!(html.contains("Biaya: Rp1.950.000"), "{html}");
        assert!(html.contains(&tr(Language::Id, "fee-item-express")));
        assert!(html.contains("Rp1.000.000"));
    }

    #[test]
    fn a_replacement_needs_the_old_number_unless_it_was_lost() {
        let (store, draft) = holder_draft(Language::En);
        let body = || store.draft(&draft).unwrap().body;
        assert!(
            Step::Replacement.is_complete(&body(), &[]),
            "a first passport"
        );
        let expired = json!({"reason": "expired_or_full", "old_passport_number": null, "force_majeure": false});
        store
            .save_field(&draft, DraftField::Replacement, &expired)
            .unwrap();
        assert!(!Step::Replacement.is_complete(&body(), &[]));
        let lost = json!({"reason": "lost", "old_passport_number": null, "force_majeure": true});
        store
            .save_field(&draft, DraftField::Replacement, &lost)
            .unwrap();
        assert!(Step::Replacement.is_complete(&body(), &[]));
        let numbered =
            json!({"reason": "damaged", "old_passport_number": "C1234567", "force_majeure": false});
        store
            .save_field(&draft, DraftField::Replacement, &numbered)
            .unwrap();
        assert!(Step::Replacement.is_complete(&body(), &[]));
        let html = render_at(
            Services::for_tests(store.clone()),
            &format!("/apply/{draft}/replacement"),
        );
        assert!(html.contains(r#"id="old_passport""#) && html.contains(r#"id="force_majeure""#));
        assert_every_control_is_named(&html);
    }

    #[test]
    fn the_office_step_lists_kept_offices_and_refuses_one_that_cannot_issue() {
        let (store, draft) = holder_draft(Language::En);
        let offices: Vec<mpaspor_domain::api::Office> = serde_json::from_value(json!([
            {"id": "kanim-a", "name": "Kantor A", "kind": "kanim", "address": "Jl. A", "city": "Kota A",
             "province": "Jawa Barat", "lat": -6.9, "lon": 107.6, "zone": "WIB",
             "passport_types": ["biasa", "elektronik"], "express": true},
            {"id": "ulp-b", "name": "ULP B", "kind": "ulp", "address": "Jl. B", "city": "Kota B",
             "province": "Jawa Barat", "lat": -6.8, "lon": 107.5, "zone": "WIB",
             "passport_types": ["biasa"], "express": false}
        ]))
        .unwrap();
        store.keep_reference("offices", &offices).unwrap();
        store
            .save_field(&draft, DraftField::PassportType, &json!("elektronik"))
            .unwrap();
        store
            .save_field(&draft, DraftField::OfficeId, &json!("ulp-b"))
            .unwrap();
        let html = render_at(
            Services::for_tests(store.clone()),
            &format!("/apply/{draft}/office"),
        );
        assert!(
            html.contains("Kantor A") && html.contains("ULP B"),
            "{html}"
        );
        assert!(html.contains(&tr(Language::En, "office-no-type")));
        assert!(html.contains(r#"id="choose-kanim-a""#));
        assert_every_control_is_named(&html);
    }

    #[cfg(feature = "bundled-mock")]
    #[test]
    fn a_typed_place_finds_the_nearest_offices_and_their_earliest_times() {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let found = runtime.block_on(async {
            let mock = mpaspor_mock::start(Default::default(), "127.0.0.1:0".parse().unwrap())
                .await
                .unwrap();
            let api = mpaspor_core::Api::new(
                mpaspor_core::client::ApiConfig::new(&mock.url()),
                mpaspor_core::Secrets::in_memory(),
            )
            .unwrap();
            let near = super::find_offices(
                api.clone(),
                "Bandung".into(),
                Some(super::PassportType::Elektronik),
            )
            .await
            .unwrap();
            let by_name = super::find_offices(api, "Ngurah Rai".into(), None).await;
            (near, by_name)
        });
        let (near, by_name) = found;
        assert!(near.place.unwrap().contains("Bandung"));
        let km: Vec<f64> = near
            .offices
            .iter()
            .map(|o| o.distance_km.unwrap())
            .collect();
        assert!(km.windows(2).all(|w| w[0] <= w[1]), "nearest first: {km:?}");
        assert!(
            near.offices[0].city.contains("Bandung"),
            "{:?}",
            near.offices[0]
        );
        assert!(!near.earliest.is_empty());
        assert!(near.earliest.iter().all(|e| e.slot.left > 0));
        // A name that is no place searches the offices by name.
        let by_name = by_name.unwrap();
        assert!(by_name.place.is_none());
        assert!(
            by_name
                .offices
                .iter()
                .all(|o| o.name.contains("Ngurah Rai")),
            "{:?}",
            by_name.offices.iter().map(|o| &o.name).collect::<Vec<_>>()
        );
    }
}
