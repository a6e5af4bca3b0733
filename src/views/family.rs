//! Family members: the people this account files for (at most five, the
//! holder included). Changes are kept here at once and sent by sync.

use crate::components::{Field, Frame, Primary, parse_date};
use crate::hooks::{use_applicants, use_tr};
use crate::i18n::{Language, nik_message, tr, tr_with};
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_core::engine::LocalApplicant;
use mpaspor_domain::api::{ApplicantInput, MAX_APPLICANTS, Relationship};
use mpaspor_domain::choice::{MaritalStatus, Sex};
use mpaspor_domain::nik::Nik;

/// Chips for one choice out of a few; `key` prefixes the translation keys.
#[component]
fn Choice<T: Copy + PartialEq + 'static>(
    id: String,
    legend: String,
    options: Vec<(T, String)>,
    value: Signal<Option<T>>,
    error: Option<String>,
) -> Element {
    let mut value = value;
    rsx! {
        fieldset { class: "field", id: "{id}",
            legend { {legend} }
            div { class: "choices", role: "radiogroup",
                for (i, (option, label)) in options.into_iter().enumerate() {
                    button {
                        id: "{id}-{i}",
                        r#type: "button",
                        role: "radio",
                        class: if value() == Some(option) { "chip chip-on" } else { "chip" },
                        aria_checked: if value() == Some(option) { "true" } else { "false" },
                        onclick: move |_| value.set(Some(option)),
                        {label}
                    }
                }
            }
            if let Some(error) = error {
                p { class: "field-error", role: "alert", "⚠ {error}" }
            }
        }
    }
}

#[component]
pub fn Family() -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let mut editing = use_signal(|| None::<Option<String>>);
    let mut confirm_remove = use_signal(|| None::<String>);
    let mut error = use_signal(|| None::<String>);
    let people: Vec<LocalApplicant> = use_applicants()();
    let full = people.len() >= MAX_APPLICANTS;
    let remove = {
        let services = services.clone();
        move |id: String| {
            match services.engine.remove_applicant(&id) {
                Ok(()) => error.set(None),
                Err(e) => error.set(Some(e.key())),
            }
            confirm_remove.set(None);
        }
    };
    rsx! {
        Frame { id: "family", title: t("family-title"),
            p { class: "muted", {tr_with(lang(), "family-limit", &[("max", MAX_APPLICANTS.to_string()), ("count", people.len().to_string())])} }
            if let Some(e) = error() {
                p { id: "family-error", class: "note note-bad", role: "alert", "⚠ {tr(lang(), &e)}" }
            }
            ul { class: "rows card",
                for person in people.clone() {
                    li { id: "person-{person.id}", class: "row",
                        div { class: "row-main",
                            strong { {person.input.full_name.clone()} }
                            span { class: "muted",
                                {t(&format!("relationship-{}", person.input.relationship.as_str()))}
                                " · {person.input.birth_date.strftime(\"%d-%m-%Y\")}"
                            }
                        }
                        div { class: "row-actions",
                            button { id: "edit-{person.id}", class: "secondary small", r#type: "button",
                                aria_label: tr_with(lang(), "family-edit-named", &[("name", person.input.full_name.clone())]),
                                onclick: { let id = person.id.clone(); move |_| editing.set(Some(Some(id.clone()))) },
                                {t("family-edit")}
                            }
                            if person.input.relationship != Relationship::Holder {
                                button { id: "remove-{person.id}", class: "secondary small", r#type: "button",
                                    aria_label: tr_with(lang(), "family-remove-named", &[("name", person.input.full_name.clone())]),
                                    onclick: { let id = person.id.clone(); move |_| confirm_remove.set(Some(id.clone())) },
                                    {t("family-remove")}
                                }
                            }
                        }
                    }
                    if confirm_remove() == Some(person.id.clone()) {
                        li { class: "note note-warn", role: "alertdialog", aria_label: t("family-remove"),
                            p { {tr_with(lang(), "family-remove-confirm", &[("name", person.input.full_name.clone())])} }
                            div { class: "choices",
                                button { id: "remove-yes", class: "primary small", r#type: "button",
                                    onclick: { let id = person.id.clone(); let mut remove = remove.clone(); move |_| remove(id.clone()) },
                                    {t("family-remove-yes")}
                                }
                                button { id: "remove-no", class: "secondary small", r#type: "button",
                                    onclick: move |_| confirm_remove.set(None), {t("family-remove-no")} }
                            }
                        }
                    }
                }
            }
            match editing() {
                Some(which) => rsx! {
                    PersonForm {
                        key: "{which:?}",
                        existing: which.and_then(|id| people.iter().find(|p| p.id == id).cloned()),
                        done: move |_| editing.set(None),
                    }
                },
                None => rsx! {
                    button { id: "add-person", class: "primary", r#type: "button", disabled: full,
                        onclick: move |_| editing.set(Some(None)),
                        if full { {t("family-full")} } else { {t("family-add")} }
                    }
                },
            }
        }
    }
}

/// Adds a person, or changes one.
#[component]
fn PersonForm(existing: Option<LocalApplicant>, done: EventHandler<()>) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let start = existing.as_ref().map(|p| p.input.clone());
    let name = use_signal(|| {
        start
            .as_ref()
            .map(|i| i.full_name.clone())
            .unwrap_or_default()
    });
    let birth = use_signal(|| {
        start
            .as_ref()
            .map(|i| i.birth_date.strftime("%d-%m-%Y").to_string())
            .unwrap_or_default()
    });
    let nik = use_signal(|| {
        start
            .as_ref()
            .and_then(|i| i.nik.clone())
            .unwrap_or_default()
    });
    let relationship = use_signal(|| start.as_ref().map(|i| i.relationship));
    let sex = use_signal(|| start.as_ref().map(|i| i.sex));
    let marital = use_signal(|| start.as_ref().map(|i| i.marital_status));
    let mut tried = use_signal(|| false);
    let mut error = use_signal(|| None::<String>);
    let is_holder = start
        .as_ref()
        .is_some_and(|i| i.relationship == Relationship::Holder);
    let birth_date = move || parse_date(&birth.read());
    // The NIK as typed: what it says, or what is wrong with it.
    let nik_text = nik.read().trim().to_owned();
    let nik_note = (!nik_text.is_empty()).then(|| {
        let parsed = match birth_date() {
            Some(stated) => Nik::parse_stated(&nik_text, stated, sex()),
            None => Nik::parse(
                &nik_text,
                mpaspor_domain::schedule::OfficeZone::Wib.local_date(jiff::Timestamp::now()),
            ),
        };
        parsed.map(|_| ()).map_err(|e| nik_message(lang(), &e))
    });
    let save = {
        let services = services.clone();
        let existing = existing.clone();
        move |_| {
            tried.set(true);
            let (Some(birth_date), Some(relationship), Some(sex), Some(marital_status)) =
                (birth_date(), relationship(), sex(), marital())
            else {
                return;
            };
            let full_name = name.read().trim().to_owned();
            if full_name.is_empty() {
                return;
            }
            let nik = Some(nik.read().trim().to_owned()).filter(|n| !n.is_empty());
            let input = ApplicantInput {
                full_name,
                relationship,
                birth_date,
                sex,
                marital_status,
                nik,
            };
            let saved = match &existing {
                Some(p) => services.engine.update_applicant(&p.id, &input),
                None => services.engine.add_applicant(&input).map(|_| ()),
            };
            match saved {
                Ok(()) => done.call(()),
                Err(e) => error.set(Some(e.key())),
            }
        }
    };
    let relationships: Vec<(Relationship, String)> = if is_holder {
        vec![(Relationship::Holder, t("relationship-holder"))]
    } else {
        [
            Relationship::Spouse,
            Relationship::Child,
            Relationship::Parent,
            Relationship::Sibling,
            Relationship::Other,
        ]
        .into_iter()
        .map(|r| (r, t(&format!("relationship-{}", r.as_str()))))
        .collect()
    };
    let need = move |ok: bool| (tried() && !ok).then(|| t("form-choose"));
    rsx! {
        form { id: "person-form", class: "card form", onsubmit: move |e| e.prevent_default(),
            h2 { if existing.is_some() { {t("family-edit")} } else { {t("family-add")} } }
            Field { id: "person_name", label: t("field-full-name"), value: name, hint: t("field-full-name-hint"),
                error: (tried() && name.read().trim().is_empty()).then(|| t("form-required")) }
            Choice { id: "relationship", legend: t("field-relationship"), options: relationships, value: relationship,
                error: need(relationship().is_some()) }
            Field { id: "person_birth", label: t("field-birth-date"), value: birth, inputmode: "numeric",
                hint: t("field-date-hint"), error: (tried() && birth_date().is_none()).then(|| t("form-date")) }
            Choice { id: "person_sex", legend: t("field-sex"),
                options: vec![(Sex::Male, t("sex-male")), (Sex::Female, t("sex-female"))], value: sex,
                error: need(sex().is_some()) }
            Choice { id: "person_marital", legend: t("field-marital"),
                options: [MaritalStatus::Single, MaritalStatus::Married, MaritalStatus::Divorced, MaritalStatus::Widowed]
                    .into_iter().map(|m| (m, t(&format!("marital-{}", m.as_str())))).collect(),
                value: marital, error: need(marital().is_some()) }
            Field { id: "person_nik", label: t("field-nik"), value: nik, inputmode: "numeric",
                hint: match &nik_note { Some(Ok(())) => t("nik-looks-right"), _ => t("field-nik-hint") },
                error: match &nik_note { Some(Err(e)) => Some(e.clone()), _ => None } }
            if let Some(e) = error() {
                p { class: "note note-bad", role: "alert", "⚠ {tr(lang(), &e)}" }
            }
            Primary { id: "person-save", label: t("family-save"), busy: false, onclick: save }
            button { id: "person-cancel", class: "secondary", r#type: "button", onclick: move |_| done.call(()), {t("family-cancel")} }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::i18n::{Language, tr};
    use crate::testing::{Phone, assert_every_control_is_named, render_at};
    use mpaspor_domain::api::{ApplicantInput, Relationship};
    use mpaspor_domain::choice::{MaritalStatus, Sex};

    fn person(name: &str, relationship: Relationship) -> ApplicantInput {
        ApplicantInput {
            full_name: name.into(),
            relationship,
            birth_date: jiff::civil::date(2010, 4, 1),
            sex: Sex::Female,
            marital_status: MaritalStatus::Single,
            nik: None,
        }
    }

    #[test]
    fn the_holder_cannot_be_removed_and_a_sixth_person_cannot_be_added() {
        for lang in Language::ALL {
            let phone = Phone::new(lang);
            let holder = phone
                .engine()
                .add_applicant(&person("Budi Santoso", Relationship::Holder))
                .unwrap();
            let child = phone
                .engine()
                .add_applicant(&person("Putri Santoso", Relationship::Child))
                .unwrap();
            let html = render_at(phone.services.clone(), "/family");
            assert!(html.contains("Putri Santoso") && html.contains("Budi Santoso"));
            assert!(html.contains(&format!(r#"id="remove-{child}""#)));
            assert!(!html.contains(&format!(r#"id="remove-{holder}""#)));
            assert!(html.contains(&tr(lang, "relationship-child")));
            assert!(html.contains(&tr(lang, "family-add")));
            assert_every_control_is_named(&html);
            for name in ["Adi", "Bayu", "Citra"] {
                phone
                    .engine()
                    .add_applicant(&person(name, Relationship::Sibling))
                    .unwrap();
            }
            let html = render_at(phone.services.clone(), "/family");
            assert!(html.contains(&tr(lang, "family-full")), "{html}");
            assert!(
                html.contains(r#"id="add-person" class="primary" type="button" disabled"#),
                "{html}"
            );
        }
    }
}
