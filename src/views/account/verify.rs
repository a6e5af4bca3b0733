//! The emailed OTP that activates the account (resend after the cooldown,
//! by the server's clock).

use super::seconds_until;
use crate::Route;
use crate::components::{ErrorNote, Field, Frame, Primary, field_error};
use crate::context::JustRegistered;
use crate::hooks::use_tr;
use crate::i18n::{Language, tr_with};
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_core::Error;
use mpaspor_domain::api::OtpSent;

#[component]
pub fn Verify(email: String) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let just = use_context::<Signal<Option<JustRegistered>>>();
    let otp = use_signal(String::new);
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| None::<Error>);
    // The cooldown the server gave with the first code, then with each resend.
    let mut resend_at = use_signal(|| {
        just()
            .filter(|j| j.email == email)
            .and_then(|j| j.resend_after)
    });
    let mut now_tick = use_signal(|| 0u64);
    let mut mock_otp = use_signal(|| None::<String>);
    let t = use_tr();
    // A once-a-second tick for the resend countdown, and (mock mode) the OTP banner.
    {
        let services = services.clone();
        let email = email.clone();
        use_future(move || {
            let services = services.clone();
            let email = email.clone();
            async move {
                loop {
                    if let Some(tester) = services.mock.clone() {
                        let found = services
                            .run(crate::mock_mode::last_otp(tester, email.clone()))
                            .await;
                        if found.is_some() {
                            mock_otp.set(found);
                        }
                    }
                    now_tick += 1;
                    services.sleep(std::time::Duration::from_secs(1)).await;
                }
            }
        });
    }
    let _ = now_tick();
    let wait = resend_at()
        .map(|at| seconds_until(&services, at))
        .unwrap_or(0);
    let submit = {
        let services = services.clone();
        let email = email.clone();
        move |_| {
            let code = otp.read().trim().to_owned();
            if code.is_empty() {
                return;
            }
            let services = services.clone();
            let email = email.clone();
            let login = just().filter(|j| j.email == email);
            busy.set(true);
            spawn(async move {
                let engine = services.engine.clone();
                let done = services
                    .run(async move {
                        engine.verify(&email, &code).await?;
                        match login {
                            Some(j) => engine.login(&j.email, &j.password).await.map(|_| true),
                            None => Ok(false),
                        }
                    })
                    .await;
                busy.set(false);
                match done {
                    Ok(true) => {
                        services.nudge();
                        navigator().replace(Route::Home {});
                    }
                    Ok(false) => {
                        navigator().replace(Route::Login {});
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    let resend = {
        let services = services.clone();
        let email = email.clone();
        move |_| {
            let services = services.clone();
            let email = email.clone();
            spawn(async move {
                let engine = services.engine.clone();
                let sent: Result<OtpSent, Error> = services
                    .run(async move { engine.resend_otp(&email).await })
                    .await;
                match sent {
                    Ok(sent) => {
                        error.set(None);
                        resend_at.set(Some(sent.resend_after));
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    rsx! {
        Frame { id: "verify", title: t("verify-title"),
            if let Some(code) = mock_otp() {
                p { id: "mock-otp", class: "note note-mock", role: "status",
                    {tr_with(lang(), "mock-otp-banner", &[("otp", code)])}
                }
            }
            form { class: "card form", onsubmit: move |e| e.prevent_default(),
                p { {tr_with(lang(), "verify-sent", &[("email", email.clone())])} }
                Field { id: "otp", label: t("field-otp"), value: otp, inputmode: "numeric", autocomplete: "one-time-code",
                    error: field_error(lang(), &error(), "otp") }
                ErrorNote { error: error(), fields: vec!["otp".into()] }
                Primary { id: "verify-submit", label: t("verify-submit"), busy: busy(), onclick: submit }
                button {
                    id: "resend",
                    class: "secondary",
                    r#type: "button",
                    disabled: wait > 0,
                    onclick: resend,
                    if wait > 0 {
                        {tr_with(lang(), "verify-resend-in", &[("seconds", wait.to_string())])}
                    } else {
                        {t("verify-resend")}
                    }
                }
            }
        }
    }
}
