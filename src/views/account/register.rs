//! Register: who holds the account, then the OTP is emailed.

use super::required;
use crate::Route;
use crate::components::{ErrorNote, Field, Frame, Primary, field_error, parse_date};
use crate::context::JustRegistered;
use crate::hooks::use_tr;
use crate::i18n::Language;
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_core::Error;
use mpaspor_domain::api::RegisterRequest;
use mpaspor_domain::choice::Sex;

#[component]
pub fn Register() -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let mut just = use_context::<Signal<Option<JustRegistered>>>();
    let name = use_signal(String::new);
    let email = use_signal(String::new);
    let phone = use_signal(String::new);
    let password = use_signal(String::new);
    let birth = use_signal(String::new);
    let mut sex = use_signal(|| None::<Sex>);
    let mut tried = use_signal(|| false);
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| None::<Error>);
    let t = use_tr();
    let check = move |field: &str, value: &Signal<String>| {
        if tried() {
            required(lang(), value).or_else(|| field_error(lang(), &error(), field))
        } else {
            field_error(lang(), &error(), field)
        }
    };
    let birth_date = move || parse_date(&birth.read());
    let submit = move |_| {
        tried.set(true);
        let (Some(birth_date), Some(sex)) = (birth_date(), sex()) else {
            return;
        };
        if [name, email, phone, password]
            .iter()
            .any(|s| s.read().trim().is_empty())
        {
            return;
        }
        let req = RegisterRequest {
            full_name: name.read().trim().to_owned(),
            email: email.read().trim().to_lowercase(),
            phone: phone.read().trim().to_owned(),
            password: password.read().clone(),
            birth_date,
            sex,
            // The account's emails come in the language the app is in.
            language: lang().code().parse().unwrap_or_default(),
        };
        let services = services.clone();
        busy.set(true);
        spawn(async move {
            let engine = services.engine.clone();
            let sent = services
                .run(async move { engine.register(&req).await.map(|s| (s, req)) })
                .await;
            busy.set(false);
            match sent {
                Ok((sent, req)) => {
                    error.set(None);
                    just.set(Some(JustRegistered {
                        email: sent.email.clone(),
                        password: req.password,
                        resend_after: Some(sent.resend_after),
                    }));
                    navigator().push(Route::Verify { email: sent.email });
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let birth_error = if tried() && birth_date().is_none() {
        Some(t("form-date"))
    } else {
        field_error(lang(), &error(), "birth_date")
    };
    rsx! {
        Frame { id: "register", title: t("register-title"),
            form { class: "card form", onsubmit: move |e| e.prevent_default(),
                Field { id: "full_name", label: t("field-full-name"), value: name, autocomplete: "name",
                    hint: t("field-full-name-hint"), error: check("full_name", &name) }
                Field { id: "email", label: t("field-email"), value: email, kind: "email", autocomplete: "email",
                    error: check("email", &email) }
                Field { id: "phone", label: t("field-phone"), value: phone, kind: "tel", autocomplete: "tel",
                    inputmode: "tel", hint: t("field-phone-hint"), error: check("phone", &phone) }
                Field { id: "password", label: t("field-password"), value: password, kind: "password",
                    autocomplete: "new-password", hint: t("field-password-hint"), error: check("password", &password) }
                Field { id: "birth_date", label: t("field-birth-date"), value: birth, inputmode: "numeric",
                    autocomplete: "bday", hint: t("field-date-hint"), error: birth_error }
                fieldset { class: "field",
                    legend { {t("field-sex")} }
                    div { class: "choices", role: "radiogroup",
                        for choice in [Sex::Male, Sex::Female] {
                            button {
                                id: "sex-{choice.as_str()}",
                                r#type: "button",
                                role: "radio",
                                class: if sex() == Some(choice) { "chip chip-on" } else { "chip" },
                                aria_checked: if sex() == Some(choice) { "true" } else { "false" },
                                onclick: move |_| sex.set(Some(choice)),
                                {t(&format!("sex-{}", choice.as_str()))}
                            }
                        }
                    }
                    if tried() && sex().is_none() {
                        p { class: "field-error", role: "alert", "⚠ {t(\"form-choose\")}" }
                    }
                }
                ErrorNote { error: error(), fields: vec!["full_name".into(), "email".into(), "phone".into(), "password".into(), "birth_date".into()] }
                Primary { id: "register-submit", label: t("register-submit"), busy: busy(), onclick: submit }
            }
            p { class: "aside",
                {t("register-have-account")} " "
                Link { id: "to-login", to: Route::Login {}, {t("welcome-login")} }
            }
        }
    }
}
