//! The application, one step per screen, every choice saved the moment it
//! is made (a field of the draft in SQLite). Steps so far: service, adult or
//! child, new or replacement, passport type and validity with the fee, purpose.

use crate::app::{Route, Services};
use crate::components::Field;
use crate::i18n::{Language, tr, tr_with};
use dioxus::prelude::*;
use mpaspor_core::drafts::Draft;
use mpaspor_domain::api::ApplicationDraft;
use mpaspor_domain::choice::{ApplicantKind, PassportType, Purpose, ReplacementReason, Service};
use mpaspor_domain::eligibility::allowed_validities;
use mpaspor_domain::fees::{FeeChoice, FeeTable};
use mpaspor_domain::ids::PassportNumber;
use serde_json::{Value, json};

/// The steps in order, by the name in the route.
pub const STEPS: &[&str] = &["service", "kind", "replacement", "passport", "purpose"];

/// Whether a step has what it needs to go on.
fn complete(step: &str, d: &ApplicationDraft) -> bool {
    match step {
        "service" => d.service.is_some(),
        "kind" => d.applicant_kind.is_some(),
        // The old passport's number is on the passport: known unless it was lost.
        "replacement" => d
            .replacement
            .as_ref()
            .is_none_or(|r| r.reason == ReplacementReason::Lost || r.old_passport_number.is_some()),
        "passport" => {
            d.passport_type.is_some()
                && d.validity.is_some_and(|v| {
                    d.applicant_kind
                        .is_none_or(|k| allowed_validities(k).contains(&v))
                })
        }
        "purpose" => d.purpose.is_some(),
        _ => false,
    }
}

/// The first step still to answer (where a resumed draft opens).
pub fn first_open_step(d: &ApplicationDraft) -> &'static str {
    STEPS
        .iter()
        .find(|s| !complete(s, d))
        .copied()
        .unwrap_or(STEPS[STEPS.len() - 1])
}

fn wire<T: serde::Serialize>(v: T) -> Value {
    serde_json::to_value(v).expect("choices serialise")
}

#[component]
pub fn Apply(draft: String, step: String) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = move |k: &str| tr(lang(), k);
    let mut revision = use_signal(|| 0u32);
    let mut problem = use_signal(|| None::<&'static str>);
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
    let index = STEPS.iter().position(|s| *s == step).unwrap_or(0);
    let step_name = STEPS[index];
    let save = {
        let services = services.clone();
        let draft = draft.clone();
        move |(field, value): (&'static str, Value)| {
            match services.store.save_field(&draft, field, &value) {
                Ok(()) => problem.set(None),
                Err(e) => problem.set(Some(e.key())),
            }
            revision += 1;
        }
    };
    let next = {
        let draft = draft.clone();
        let services = services.clone();
        move |_| {
            services.nudge();
            match STEPS.get(index + 1) {
                Some(s) => {
                    navigator().push(Route::Apply {
                        draft: draft.clone(),
                        step: s.to_string(),
                    });
                }
                None => {
                    navigator().replace(Route::Home {});
                }
            }
        }
    };
    let ready = complete(step_name, &d);
    rsx! {
        main { id: "apply", class: "screen",
            header { class: "bar",
                button { id: "back", class: "back", r#type: "button", aria_label: t("back"),
                    onclick: move |_| navigator().go_back(), "‹" }
                h1 { {t("apply-title")} }
            }
            div { class: "progress",
                p { id: "step-count", {tr_with(lang(), "apply-step-of", &[("n", (index + 1).to_string()), ("total", STEPS.len().to_string())])} }
                div { class: "progress-track", role: "progressbar", aria_label: t("apply-progress"),
                    aria_valuemin: "1", aria_valuemax: "{STEPS.len()}", aria_valuenow: "{index + 1}",
                    div { class: "progress-fill", style: "width: {(index + 1) * 100 / STEPS.len()}%" }
                }
            }
            if let Some(key) = problem() {
                p { id: "step-error", class: "note note-bad", role: "alert", "⚠ {tr(lang(), key)}" }
            }
            section { id: "step-{step_name}", class: "card form", aria_labelledby: "step-title",
                h2 { id: "step-title", {t(&format!("step-{step_name}"))} }
                match step_name {
                    "service" => rsx! {
                        Options { id: "service", save: save.clone(), field: "service", chosen: d.service.map(wire),
                            options: [Service::Reguler, Service::Percepatan].into_iter()
                                .map(|s| (wire(s), t(&format!("service-{}", s.as_str())), Some(t(&format!("service-{}-note", s.as_str()))))).collect() }
                    },
                    "kind" => rsx! {
                        Options { id: "kind", save: save.clone(), field: "applicant_kind", chosen: d.applicant_kind.map(wire),
                            options: [ApplicantKind::Adult, ApplicantKind::Child].into_iter()
                                .map(|k| (wire(k), t(&format!("kind-{}", k.as_str())), Some(t(&format!("kind-{}-note", k.as_str()))))).collect() }
                    },
                    "replacement" => rsx! { ReplacementStep { current: current.clone(), save: save.clone() } },
                    "passport" => rsx! {
                        h3 { class: "sub", {t("passport-type-title")} }
                        Options { id: "passport-type", save: save.clone(), field: "passport_type", chosen: d.passport_type.map(wire),
                            options: [PassportType::Elektronik, PassportType::ElektronikPolikarbonat, PassportType::Biasa].into_iter()
                                .map(|p| (wire(p), t(&format!("passport-{}", p.as_str())), None)).collect() }
                        h3 { class: "sub", {t("validity-title")} }
                        Options { id: "validity", save: save.clone(), field: "validity", chosen: d.validity.map(wire),
                            options: allowed_validities(d.applicant_kind.unwrap_or(ApplicantKind::Adult)).iter()
                                .map(|v| (wire(*v), t(&format!("validity-{}", v.as_str())), None)).collect() }
                        FeeLine { draft: d.clone(), table: fees() }
                    },
                    _ => rsx! {
                        Options { id: "purpose", save: save.clone(), field: "purpose", chosen: d.purpose.map(wire),
                            options: Purpose::ALL.iter()
                                .map(|p| (wire(*p), t(&format!("purpose-{}", p.as_str())), None)).collect() }
                    },
                }
            }
            p { class: "muted saved", role: "status", {t("apply-saved")} }
            button { id: "next", class: "primary", r#type: "button", disabled: !ready, onclick: next,
                if index + 1 < STEPS.len() { {t("apply-next")} } else { {t("apply-save-exit")} }
            }
        }
    }
}

/// Big radio buttons for one field; a choice is saved at once.
#[component]
fn Options(
    id: String,
    field: &'static str,
    options: Vec<(Value, String, Option<String>)>,
    chosen: Option<Value>,
    save: Callback<(&'static str, Value)>,
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
fn ReplacementStep(current: Draft, save: Callback<(&'static str, Value)>) -> Element {
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
                save.call(("replacement", wire(&rep)));
            }
        });
    }
    let reason_of = |reason: ReplacementReason| {
        json!({"reason": reason, "old_passport_number": r.as_ref().and_then(|r| r.old_passport_number.clone()),
               "force_majeure": false})
    };
    rsx! {
        div { class: "options", role: "radiogroup", id: "replacement",
            button { id: "replacement-new", r#type: "button", role: "radio",
                class: if r.is_none() { "option option-on" } else { "option" },
                aria_checked: if r.is_none() { "true" } else { "false" },
                onclick: move |_| save.call(("replacement", Value::Null)),
                strong { {t("replacement-none")} }
                span { {t("replacement-none-note")} }
            }
            for reason in [ReplacementReason::ExpiredOrFull, ReplacementReason::Lost, ReplacementReason::Damaged] {
                button { id: "replacement-{reason.as_str()}", r#type: "button", role: "radio",
                    class: if r.as_ref().map(|r| r.reason) == Some(reason) { "option option-on" } else { "option" },
                    aria_checked: if r.as_ref().map(|r| r.reason) == Some(reason) { "true" } else { "false" },
                    onclick: { let v = reason_of(reason); move |_| save.call(("replacement", v.clone())) },
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
                            save.call(("replacement", wire(&rep)));
                        } } }
                    span { {t("field-force-majeure")} }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{STEPS, first_open_step};
    use crate::app::Services;
    use crate::i18n::{Language, tr};
    use crate::views::testing::{assert_every_control_is_named, render_at, store_in};
    use mpaspor_domain::api::{ApplicantInput, Relationship};
    use mpaspor_domain::choice::{MaritalStatus, Sex};
    use serde_json::json;

    fn with_draft(lang: Language) -> (mpaspor_core::Store, String) {
        let store = store_in(lang);
        let holder = store
            .add_applicant(&ApplicantInput {
                full_name: "Made Wirawan".into(),
                relationship: Relationship::Holder,
                birth_date: jiff::civil::date(1985, 2, 1),
                sex: Sex::Male,
                marital_status: MaritalStatus::Married,
                nik: None,
            })
            .unwrap();
        let draft = store.new_draft(&holder).unwrap();
        (store, draft)
    }

    #[test]
    fn every_step_renders_in_both_languages_with_its_progress_and_named_controls() {
        for lang in Language::ALL {
            let (store, draft) = with_draft(lang);
            for (i, step) in STEPS.iter().enumerate() {
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
    fn a_choice_is_shown_as_chosen_and_opens_the_next_step() {
        let (store, draft) = with_draft(Language::Id);
        let html = render_at(
            Services::for_tests(store.clone()),
            &format!("/apply/{draft}/service"),
        );
        assert!(
            html.contains(r#"id="next" class="primary" type="button" disabled"#),
            "{html}"
        );
        store
            .save_field(&draft, "service", &json!("percepatan"))
            .unwrap();
        let html = render_at(
            Services::for_tests(store.clone()),
            &format!("/apply/{draft}/service"),
        );
        assert!(html.contains(r#"id="service-1" type="button" role="radio" class="option option-on" aria-checked="true""#), "{html}");
        assert!(!html.contains(r#"id="next" class="primary" type="button" disabled"#));
        let body = store.draft(&draft).unwrap().body;
        assert_eq!(first_open_step(&body), "kind");
    }

    #[test]
    fn the_fee_follows_the_choices_from_the_served_table() {
        let (store, draft) = with_draft(Language::Id);
        let table: mpaspor_domain::fees::FeeTable =
            serde_json::from_str(include_str!("../../crates/mock-server/data/fees.json")).unwrap();
        store.keep_reference("fees", &table).unwrap();
        for (field, value) in [
            ("service", json!("reguler")),
            ("applicant_kind", json!("adult")),
            ("passport_type", json!("elektronik")),
            ("validity", json!("10y")),
        ] {
            store.save_field(&draft, field, &value).unwrap();
        }
        let html = render_at(
            Services::for_tests(store.clone()),
            &format!("/apply/{draft}/passport"),
        );
        assert!(html.contains("Biaya: Rp950.000"), "{html}");
        store
            .save_field(&draft, "service", &json!("percepatan"))
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
        let (store, draft) = with_draft(Language::En);
        let body = || store.draft(&draft).unwrap().body;
        assert!(super::complete("replacement", &body()), "a first passport");
        let expired = json!({"reason": "expired_or_full", "old_passport_number": null, "force_majeure": false});
        store.save_field(&draft, "replacement", &expired).unwrap();
        assert!(!super::complete("replacement", &body()));
        let lost = json!({"reason": "lost", "old_passport_number": null, "force_majeure": true});
        store.save_field(&draft, "replacement", &lost).unwrap();
        assert!(super::complete("replacement", &body()));
        let numbered =
            json!({"reason": "damaged", "old_passport_number": "C1234567", "force_majeure": false});
        store.save_field(&draft, "replacement", &numbered).unwrap();
        assert!(super::complete("replacement", &body()));
        let html = render_at(
            Services::for_tests(store.clone()),
            &format!("/apply/{draft}/replacement"),
        );
        assert!(html.contains(r#"id="old_passport""#) && html.contains(r#"id="force_majeure""#));
        assert_every_control_is_named(&html);
    }
}
