//! The personal-data step: every field saved as it is typed, the NIK read as
//! typed (what it says of birth date and sex, or what is wrong), and the
//! live Dukcapil check before the step is left.

use crate::components::{Field, parse_date};
use crate::hooks::use_tr;
use crate::i18n::{Language, nik_message, tr, tr_with};
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_domain::DraftField;
use mpaspor_domain::api::ApplicationDraft;
use mpaspor_domain::choice::{MaritalStatus, Sex};
use mpaspor_domain::draft::wire;
use mpaspor_domain::nik::Nik;
use serde_json::Value;

/// A text field of the draft (the one `Field`), saved on every keystroke.
#[component]
fn DraftText(
    field: DraftField,
    label: String,
    initial: String,
    #[props(default)] hint: Option<String>,
    #[props(default)] error: Option<String>,
    #[props(default = "text".to_string())] kind: String,
    #[props(default)] inputmode: Option<String>,
    #[props(default)] autocomplete: Option<String>,
    saved: Callback<(DraftField, Value)>,
) -> Element {
    let mut value = use_signal(|| initial.clone());
    // What the draft holds now (a sample filled in, say) shows in the field.
    use_effect(use_reactive!(|initial| value.set(initial)));
    rsx! {
        Field { id: field.as_str().replace('.', "-"), label, value, kind, autocomplete, inputmode, hint, error,
            on_input: move |text: String| {
                let kept = if text.trim().is_empty() { Value::Null } else { wire(text) };
                saved.call((field, kept));
            }
        }
    }
}

/// What the NIK as typed says, checked against the birth date and sex typed.
fn nik_note(
    lang: Language,
    d: &ApplicationDraft,
    today: jiff::civil::Date,
) -> Option<Result<String, String>> {
    let typed = d.personal.nik.as_deref()?.trim();
    if typed.is_empty() {
        return None;
    }
    let parsed = match d.personal.birth_date {
        Some(stated) => Nik::parse_stated(typed, stated, d.personal.sex),
        None => Nik::parse(typed, today),
    };
    Some(match parsed {
        Ok(nik) => Ok(tr_with(
            lang,
            "nik-says",
            &[
                ("date", nik.birth_date().strftime("%d-%m-%Y").to_string()),
                ("sex", tr(lang, &format!("sex-{}", nik.sex().as_str()))),
            ],
        )),
        Err(e) => Err(nik_message(lang, &e)),
    })
}

#[component]
pub fn PersonalStep(
    draft: ApplicationDraft,
    save: Callback<(DraftField, Value)>,
    check_failed: Option<String>,
) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let today = mpaspor_domain::schedule::OfficeZone::Wib.local_date(services.engine.server_now());
    let note = nik_note(lang(), &draft, today);
    // In mock mode: the registry's sample people, to fill the step with one tap.
    let samples = use_resource({
        let services = services.clone();
        move || {
            let services = services.clone();
            async move {
                match services.mock.clone() {
                    Some(tester) => services.run(crate::mock_mode::samples(tester)).await,
                    None => Vec::new(),
                }
            }
        }
    });
    let samples = samples().unwrap_or_default();
    // Bumped when a sample fills the step, so the inputs are drawn anew with it.
    let mut filled = use_signal(|| 0u32);
    rsx! {
        if !samples.is_empty() {
            div { id: "samples", class: "note note-mock",
                p { {t("personal-samples")} }
                div { class: "choices",
                    for (i, c) in samples.into_iter().enumerate() {
                        button { id: "sample-{i}", class: "chip", r#type: "button",
                            onclick: move |_| {
                                for (field, value) in c.draft_fields() {
                                    save.call((field, value));
                                }
                                filled += 1;
                            },
                            {c.full_name.clone()}
                        }
                    }
                }
            }
        }
        div { class: "form",
            Fields { key: "{filled}", draft: draft.clone(), save, check_failed, note }
        }
    }
}

#[component]
fn Fields(
    draft: ApplicationDraft,
    save: Callback<(DraftField, Value)>,
    check_failed: Option<String>,
    note: Option<Result<String, String>>,
) -> Element {
    let _lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let p = draft.personal.clone();
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut birth_text = use_signal(|| {
        p.birth_date
            .map(|d| d.strftime("%d-%m-%Y").to_string())
            .unwrap_or_default()
    });
    let birth_ok = parse_date(&birth_text.read()).is_some() || birth_text.read().trim().is_empty();
    rsx! {
        div { class: "form",
            DraftText { field: DraftField::Nik, label: t("field-nik"), initial: text(&p.nik),
                inputmode: "numeric", saved: save,
                hint: match &note { Some(Ok(says)) => Some(says.clone()), _ => Some(t("personal-nik-hint")) },
                error: match (&note, &check_failed) { (Some(Err(e)), _) => Some(e.clone()), (_, Some(f)) => Some(f.clone()), _ => None } }
            DraftText { field: DraftField::FullName, label: t("field-full-name"),
                initial: text(&p.full_name), hint: t("field-full-name-hint"), autocomplete: "name", saved: save }
            DraftText { field: DraftField::BirthPlace, label: t("field-birth-place"),
                initial: text(&p.birth_place), saved: save }
            div { class: if birth_ok { "field" } else { "field field-bad" },
                label { r#for: "personal-birth_date", {t("field-birth-date")} }
                input { id: "personal-birth_date", r#type: "text", inputmode: "numeric",
                    initial_value: "{birth_text}",
                    aria_describedby: "personal-birth_date-hint",
                    oninput: move |e| {
                        birth_text.set(e.value());
                        if let Some(d) = parse_date(&e.value()) {
                            save.call((DraftField::BirthDate, wire(d)));
                        }
                    } }
                p { id: "personal-birth_date-hint", class: if birth_ok { "field-hint" } else { "field-error" },
                    if birth_ok { {t("field-date-hint")} } else { "⚠ {t(\"form-date\")}" } }
            }
            fieldset { class: "field",
                legend { {t("field-sex")} }
                div { class: "choices", role: "radiogroup",
                    for s in [Sex::Male, Sex::Female] {
                        button { id: "personal-sex-{s.as_str()}", r#type: "button", role: "radio",
                            class: if p.sex == Some(s) { "chip chip-on" } else { "chip" },
                            aria_checked: if p.sex == Some(s) { "true" } else { "false" },
                            onclick: move |_| save.call((DraftField::Sex, wire(s))),
                            {t(&format!("sex-{}", s.as_str()))}
                        }
                    }
                }
            }
            DraftText { field: DraftField::Address, label: t("field-address"),
                initial: text(&p.address), hint: t("field-address-hint"), autocomplete: "street-address", saved: save }
            fieldset { class: "field",
                legend { {t("field-marital")} }
                div { class: "choices", role: "radiogroup",
                    for m in MaritalStatus::ALL.iter().copied() {
                        button { id: "personal-marital-{m.as_str()}", r#type: "button", role: "radio",
                            class: if p.marital_status == Some(m) { "chip chip-on" } else { "chip" },
                            aria_checked: if p.marital_status == Some(m) { "true" } else { "false" },
                            onclick: move |_| save.call((DraftField::MaritalStatus, wire(m))),
                            {t(&format!("marital-{}", m.as_str()))}
                        }
                    }
                }
            }
            DraftText { field: DraftField::Occupation, label: t("field-occupation"),
                initial: text(&p.occupation), saved: save }
            DraftText { field: DraftField::Phone, label: t("field-phone"), kind: "tel",
                inputmode: "tel", autocomplete: "tel", initial: text(&p.phone), hint: t("field-phone-hint"), saved: save }
            DraftText { field: DraftField::Email, label: t("field-email-optional"), kind: "email",
                autocomplete: "email", initial: text(&p.email), saved: save }
            DraftText { field: DraftField::MotherName, label: t("field-mother"),
                initial: text(&p.mother_name), hint: t("field-mother-hint"), saved: save }
            DraftText { field: DraftField::FatherName, label: t("field-father"),
                initial: text(&p.father_name), saved: save }
            h3 { class: "sub", {t("personal-emergency")} }
            DraftText { field: DraftField::EmergencyName, label: t("field-emergency-name"),
                initial: text(&p.emergency_contact.name), saved: save }
            DraftText { field: DraftField::EmergencyPhone, label: t("field-emergency-phone"),
                kind: "tel", inputmode: "tel", initial: text(&p.emergency_contact.phone), saved: save }
            DraftText { field: DraftField::EmergencyRelationship, label: t("field-emergency-relationship"),
                initial: text(&p.emergency_contact.relationship), saved: save }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::i18n::{Language, tr};
    use crate::testing::{Phone, assert_every_control_is_named, render_at};
    use mpaspor_domain::api::{ApplicantInput, Relationship};
    use mpaspor_domain::choice::{MaritalStatus, Sex};
    use mpaspor_domain::{DraftField, Step};
    use serde_json::json;

    #[test]
    fn a_confirmed_nik_is_kept_on_a_person_who_had_none() {
        let (phone, draft) = crate::testing::holder_draft(Language::Id);
        let services = phone.services.clone();
        let holder = phone.engine().applicants().unwrap()[0].id.clone();
        let mut body = phone.engine().draft(&draft).unwrap().body;
        body.personal.nik = Some("3273015708920003".into());
        services.engine.keep_confirmed_nik(&holder, &body).unwrap();
        assert_eq!(
            phone.applicant(&holder).input.nik.as_deref(),
            Some("3273015708920003")
        );
        // A NIK already there is not replaced by what a draft says.
        body.personal.nik = Some("3273015708920004".into());
        services.engine.keep_confirmed_nik(&holder, &body).unwrap();
        assert_eq!(
            phone.applicant(&holder).input.nik.as_deref(),
            Some("3273015708920003")
        );
    }

    #[test]
    fn the_nik_is_read_as_typed_and_a_mismatch_is_explained() {
        for lang in Language::ALL {
            let phone = Phone::new(lang);
            let holder = phone
                .engine()
                .add_applicant(&ApplicantInput {
                    full_name: "Budi Santoso".into(),
                    relationship: Relationship::Holder,
                    birth_date: jiff::civil::date(1990, 5, 15),
                    sex: Sex::Male,
                    marital_status: MaritalStatus::Married,
                    nik: None,
                })
                .unwrap();
            let draft = phone.empty_draft(&holder);
            phone
                .engine()
                .save_field(&draft, DraftField::Nik, &json!("3174011505900001"))
                .unwrap();
            let path = format!("/apply/{draft}/personal");
            let html = render_at(phone.services.clone(), &path);
            assert!(html.contains("15-05-1990"), "what the NIK says: {html}");
            assert_every_control_is_named(&html);
            // A birth date the NIK does not carry.
            phone
                .engine()
                .save_field(&draft, DraftField::BirthDate, &json!("1990-06-15"))
                .unwrap();
            let html = render_at(phone.services.clone(), &path);
            let expected =
                crate::i18n::tr_with(lang, "nik-error-birth", &[("date", "15-05-..90".into())]);
            assert!(html.contains(&expected), "{expected}: {html}");
            // Too short.
            phone
                .engine()
                .save_field(&draft, DraftField::Nik, &json!("31740115"))
                .unwrap();
            let html = render_at(phone.services.clone(), &path);
            assert!(html.contains(&crate::i18n::tr_with(
                lang,
                "nik-error-length",
                &[("found", "8".into())]
            )));
            assert!(html.contains(&tr(lang, "step-personal")));
        }
    }

    #[test]
    fn the_step_is_complete_only_with_every_required_field() {
        let mut d = mpaspor_domain::api::ApplicationDraft::default();
        assert!(!Step::Personal.is_complete(&d, &[]));
        let p = &mut d.personal;
        p.nik = Some("3174011505900001".into());
        p.full_name = Some("Budi Santoso".into());
        p.birth_place = Some("Jakarta".into());
        p.birth_date = Some(jiff::civil::date(1990, 5, 15));
        p.sex = Some(Sex::Male);
        p.address = Some("Jl. Melati 1".into());
        p.marital_status = Some(MaritalStatus::Married);
        p.occupation = Some("Guru".into());
        p.phone = Some("081234567890".into());
        p.mother_name = Some("Siti".into());
        p.emergency_contact.name = Some("Adik".into());
        assert!(
            !Step::Personal.is_complete(&d, &[]),
            "the emergency phone is still missing"
        );
        d.personal.emergency_contact.phone = Some("081298765432".into());
        assert!(Step::Personal.is_complete(&d, &[]));
        d.personal.occupation = Some("  ".into());
        assert!(!Step::Personal.is_complete(&d, &[]), "blank is not filled");
    }
}
