//! The account screens: register, the emailed OTP, log in, forgotten password.

use crate::app::{JustRegistered, Route, Services};
use crate::components::{ErrorNote, Field, Frame, Primary, field_error, parse_date};
use crate::i18n::{Language, tr, tr_with};
use dioxus::prelude::*;
use mpaspor_core::ApiError;
use mpaspor_domain::api::{OtpSent, PasswordResetConfirm, RegisterRequest};
use mpaspor_domain::choice::Sex;

/// A required field left empty, as a field error.
fn required(lang: Language, value: &Signal<String>) -> Option<String> {
    value
        .read()
        .trim()
        .is_empty()
        .then(|| tr(lang, "form-required"))
}

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
    let mut error = use_signal(|| None::<ApiError>);
    let t = move |k: &str| tr(lang(), k);
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
        };
        let services = services.clone();
        busy.set(true);
        spawn(async move {
            let api = services.api().clone();
            let sent = services
                .run(async move { api.register(&req).await.map(|s| (s, req)) })
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

/// Seconds left until `at` by the server's clock (never below zero).
fn seconds_until(services: &Services, at: jiff::Timestamp) -> i64 {
    at.duration_since(services.api().server_now())
        .as_secs()
        .max(0)
}

#[component]
pub fn Verify(email: String) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let just = use_context::<Signal<Option<JustRegistered>>>();
    let otp = use_signal(String::new);
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| None::<ApiError>);
    // The cooldown the server gave with the first code, then with each resend.
    let mut resend_at = use_signal(|| {
        just()
            .filter(|j| j.email == email)
            .and_then(|j| j.resend_after)
    });
    let mut now_tick = use_signal(|| 0u64);
    let mut mock_otp = use_signal(|| None::<String>);
    let t = move |k: &str| tr(lang(), k);
    // A once-a-second tick for the resend countdown, and (mock mode) the OTP banner.
    {
        let services = services.clone();
        let email = email.clone();
        use_future(move || {
            let services = services.clone();
            let email = email.clone();
            async move {
                loop {
                    if let Some(mock) = services.mock.clone() {
                        let found = services
                            .run(crate::mock_mode::last_otp(mock, email.clone()))
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
                let api = services.api().clone();
                let done = services
                    .run(async move {
                        api.verify(&email, &code).await?;
                        match login {
                            Some(j) => api.login(&j.email, &j.password).await.map(|_| true),
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
                let api = services.api().clone();
                let sent: Result<OtpSent, ApiError> = services
                    .run(async move { api.resend_otp(&email).await })
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

#[component]
pub fn Login() -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let email = use_signal(String::new);
    let password = use_signal(String::new);
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| None::<ApiError>);
    let t = move |k: &str| tr(lang(), k);
    let submit = {
        let services = services.clone();
        move |_| {
            let (e, p) = (email.read().trim().to_lowercase(), password.read().clone());
            if e.is_empty() || p.is_empty() {
                return;
            }
            let services = services.clone();
            busy.set(true);
            spawn(async move {
                let api = services.api().clone();
                let done = services.run(async move { api.login(&e, &p).await }).await;
                busy.set(false);
                match done {
                    Ok(_) => {
                        services.nudge();
                        navigator().replace(Route::Home {});
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    let not_verified =
        error().and_then(|e| e.code()).map(|c| c.as_str()) == Some("account_not_verified");
    rsx! {
        Frame { id: "login", title: t("login-title"),
            form { class: "card form", onsubmit: move |e| e.prevent_default(),
                Field { id: "email", label: t("field-email"), value: email, kind: "email", autocomplete: "email" }
                Field { id: "password", label: t("field-password"), value: password, kind: "password",
                    autocomplete: "current-password" }
                ErrorNote { error: error() }
                if not_verified {
                    Link { id: "to-verify", class: "secondary", to: Route::Verify { email: email.read().trim().to_lowercase() },
                        {t("login-verify-now")}
                    }
                }
                Primary { id: "login-submit", label: t("login-submit"), busy: busy(), onclick: submit }
            }
            p { class: "aside",
                Link { id: "to-forgot", to: Route::Forgot {}, {t("login-forgot")} }
            }
            p { class: "aside",
                {t("login-no-account")} " "
                Link { id: "to-register", to: Route::Register {}, {t("welcome-register")} }
            }
        }
    }
}

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
    let mut error = use_signal(|| None::<ApiError>);
    let mut mock_otp = use_signal(|| None::<String>);
    let t = move |k: &str| tr(lang(), k);
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
                let api = services.api().clone();
                let to = address.clone();
                let result = services
                    .run(async move { api.password_reset(&to).await })
                    .await;
                busy.set(false);
                match result {
                    Ok(_) => {
                        error.set(None);
                        sent.set(true);
                        if let Some(mock) = services.mock.clone() {
                            mock_otp.set(
                                services
                                    .run(crate::mock_mode::last_otp(mock, address))
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
                let api = services.api().clone();
                let result = services
                    .run(async move { api.password_reset_confirm(&req).await })
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

#[cfg(test)]
mod tests {
    use crate::app::Services;
    use crate::i18n::{Language, tr};
    use crate::views::testing::{assert_every_control_is_named, render_at, store_in};

    #[test]
    fn every_account_screen_renders_in_both_languages_with_named_controls() {
        let screens = [
            ("/register", "register", "register-title", "register-submit"),
            ("/login", "login", "login-title", "login-forgot"),
            ("/forgot", "forgot", "forgot-title", "forgot-send"),
            (
                "/verify/budi%40example.com",
                "verify",
                "verify-title",
                "verify-resend",
            ),
        ];
        for lang in Language::ALL {
            for (path, id, title, action) in screens {
                let html = render_at(Services::for_tests(store_in(lang)), path);
                assert!(html.contains(&format!(r#"id="{id}""#)), "{path}: {html}");
                assert!(html.contains(&tr(lang, title)), "{path} in {lang:?}");
                assert!(html.contains(&tr(lang, action)), "{path} in {lang:?}");
                assert_every_control_is_named(&html);
            }
        }
    }

    #[test]
    fn register_asks_for_everything_the_account_needs() {
        let html = render_at(Services::for_tests(store_in(Language::Id)), "/register");
        for field in ["full_name", "email", "phone", "password", "birth_date"] {
            assert!(html.contains(&format!(r#"id="{field}""#)), "{field}");
        }
        assert!(html.contains(r#"id="sex-male""#) && html.contains(r#"id="sex-female""#));
        assert!(html.contains(r#"autocomplete="new-password""#));
        assert!(html.contains(&tr(Language::Id, "field-date-hint")));
    }

    #[test]
    fn the_verify_screen_names_the_address_the_code_went_to() {
        let html = render_at(
            Services::for_tests(store_in(Language::En)),
            "/verify/budi%40example.com",
        );
        assert!(html.contains("budi@example.com"), "{html}");
        assert!(html.contains(r#"autocomplete="one-time-code""#));
    }
}
