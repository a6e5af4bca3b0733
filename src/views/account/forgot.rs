//! A forgotten password: the emailed OTP, then a new one.

use crate::Route;
use crate::components::{ErrorNote, Field, Frame, Primary, field_error};
use crate::hooks::use_tr;
use crate::i18n::{Language, tr_with};
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_core::Error;
use mpaspor_domain::api::PasswordResetConfirm;

#[component]
pub fn Forgot() -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let email = use_signal(String::new);
    let otp = use_signal(String::new);
    let new_password = use_signal(String::new);
    let mut sent = use_signal(|| false);
    let mut done = use_signal(|| false);
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| None::<Error>);
    let mut mock_otp = use_signal(|| None::<String>);
    let t = use_tr();
    let send = {
        let services = services.clone();
        move |_| {
            let address = email.read().trim().to_lowercase();
            if address.is_empty() {
                return;
            }
            let services = services.clone();
            busy.set(true);
            spawn(async move {
                let engine = services.engine.clone();
                let to = address.clone();
                let result = services
                    .run(async move { engine.password_reset(&to).await })
                    .await;
                busy.set(false);
                match result {
                    Ok(_) => {
                        error.set(None);
                        sent.set(true);
                        if let Some(tester) = services.mock.clone() {
                            mock_otp.set(
                                services
                                    .run(crate::mock_mode::last_otp(tester, address))
                                    .await,
                            );
                        }
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    let confirm = {
        let services = services.clone();
        move |_| {
            let req = PasswordResetConfirm {
                email: email.read().trim().to_lowercase(),
                otp: otp.read().trim().to_owned(),
                new_password: new_password.read().clone(),
            };
            if req.otp.is_empty() || req.new_password.is_empty() {
                return;
            }
            let services = services.clone();
            busy.set(true);
            spawn(async move {
                let engine = services.engine.clone();
                let result = services
                    .run(async move { engine.password_reset_confirm(&req).await })
                    .await;
                busy.set(false);
                match result {
                    Ok(()) => {
                        error.set(None);
                        done.set(true);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    rsx! {
        Frame { id: "forgot", title: t("forgot-title"),
            if done() {
                div { class: "card",
                    p { id: "forgot-done", role: "status", {t("forgot-done")} }
                    Link { id: "to-login", class: "primary", to: Route::Login {}, {t("login-submit")} }
                }
            } else {
                if let Some(code) = mock_otp() {
                    p { id: "mock-otp", class: "note note-mock", role: "status",
                        {tr_with(lang(), "mock-otp-banner", &[("otp", code)])}
                    }
                }
                form { class: "card form", onsubmit: move |e| e.prevent_default(),
                    p { {t("forgot-intro")} }
                    Field { id: "email", label: t("field-email"), value: email, kind: "email", autocomplete: "email" }
                    if sent() {
                        p { role: "status", {t("forgot-sent")} }
                        Field { id: "otp", label: t("field-otp"), value: otp, inputmode: "numeric",
                            autocomplete: "one-time-code", error: field_error(lang(), &error(), "otp") }
                        Field { id: "new_password", label: t("field-new-password"), value: new_password, kind: "password",
                            autocomplete: "new-password", hint: t("field-password-hint"),
                            error: field_error(lang(), &error(), "new_password") }
                        ErrorNote { error: error(), fields: vec!["otp".into(), "new_password".into()] }
                        Primary { id: "forgot-confirm", label: t("forgot-confirm"), busy: busy(), onclick: confirm }
                    } else {
                        ErrorNote { error: error() }
                        Primary { id: "forgot-send", label: t("forgot-send"), busy: busy(), onclick: send }
                    }
                }
            }
        }
    }
}
