//! Settings: language, text size, the API address (for testers), signing
//! out, deleting what this phone holds, deleting the account.

use crate::Route;
use crate::components::{Field, Frame, LanguageSwitch};
use crate::context::{TextSize, choose_text_size};
use crate::hooks::{use_sync_status, use_tr};
use crate::i18n::{Language, tr_with};
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_core::engine::Preference;

/// An API address as typed: empty (the default), or an https URL (plain
/// http only to this device: `mpaspor_core::engine::check_address`).
pub fn check_api_address(text: &str) -> Result<Option<String>, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match reqwest::Url::parse(text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
            let text = text.trim_end_matches('/');
            match mpaspor_core::engine::check_address(text) {
                Ok(()) => Ok(Some(text.to_owned())),
                Err(_) => Err("settings-api-insecure"),
            }
        }
        _ => Err("settings-api-bad"),
    }
}

/// Ends the session (the server is told when it can be; the tokens go from
/// the keystore either way) and, with `forget`, deletes what this phone holds.
/// Errors are translation keys.
pub async fn sign_out(services: &Services, forget: bool) -> Result<(), String> {
    let engine = services.engine.clone();
    services
        .run(async move { engine.sign_out(forget).await })
        .await
        .map_err(|e| e.key().to_owned())
}

/// Deletes the account on the server (which must answer, and asks for the
/// password again), then everything here.
pub async fn delete_account(services: &Services, password: String) -> Result<(), String> {
    let engine = services.engine.clone();
    services
        .run(async move { engine.delete_account(&password).await })
        .await
        .map_err(|e| e.key())
}

/// Keeps the server address a tester typed (used from the next start). To
/// another server than the saved one, the session ends first, so no token
/// of one server is ever offered to another. Errors are translation keys.
pub async fn save_api_address(services: &Services, typed: &str) -> Result<(), &'static str> {
    let address = check_api_address(typed)?.unwrap_or_default();
    let saved = services
        .engine
        .preference(Preference::ApiAddress)
        .unwrap_or_default();
    if address != saved && services.engine.session().is_some() {
        sign_out(services, false)
            .await
            .map_err(|_| "store-error-io")?;
    }
    services
        .engine
        .set_preference(Preference::ApiAddress, &address)
        .map_err(|_| "store-error-io")
}

#[derive(Clone, Copy, PartialEq)]
enum Confirm {
    Nothing,
    ForgetHere,
    DeleteAccount,
}

#[component]
pub fn Settings() -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let text_size = use_context::<Signal<TextSize>>();
    let t = use_tr();
    let saved_api = services
        .engine
        .preference(Preference::ApiAddress)
        .unwrap_or_default();
    let api_typed = use_signal(|| saved_api.clone());
    // The server address is a tester's tool, behind a switch with a warning
    // (shown at once when a tester already set one).
    let mut developer = use_signal(|| !saved_api.is_empty());
    let mut api_note = use_signal(|| None::<&'static str>);
    let mut confirm = use_signal(|| Confirm::Nothing);
    let password = use_signal(String::new);
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| None::<String>);
    let logged_in = services.engine.session().is_some();
    let status = use_sync_status()();
    let pending = status.pending + status.failed;

    let save_api = {
        let services = services.clone();
        move |_| {
            let services = services.clone();
            let typed = api_typed.read().clone();
            spawn(async move {
                api_note.set(Some(match save_api_address(&services, &typed).await {
                    Ok(()) => "settings-api-saved",
                    Err(key) => key,
                }));
            });
        }
    };
    let finish = {
        let services = services.clone();
        move |what: Confirm| {
            let services = services.clone();
            busy.set(true);
            error.set(None);
            spawn(async move {
                let done = match what {
                    Confirm::DeleteAccount => delete_account(&services, password()).await,
                    Confirm::ForgetHere => sign_out(&services, true).await,
                    Confirm::Nothing => sign_out(&services, false).await,
                };
                busy.set(false);
                match done {
                    Ok(()) => {
                        navigator().replace(Route::Welcome {});
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };

    rsx! {
        Frame { id: "settings", title: t("settings-title"),
            section { class: "card",
                h2 { {t("language-label")} }
                LanguageSwitch {}
            }
            section { class: "card",
                h2 { {t("settings-text-size")} }
                div { class: "choices", role: "radiogroup", aria_label: t("settings-text-size"),
                    for size in TextSize::ALL {
                        button { id: "text-{size.percent()}", r#type: "button", role: "radio",
                            class: if text_size() == size { "chip chip-on" } else { "chip" },
                            aria_checked: if text_size() == size { "true" } else { "false" },
                            onclick: {
                                let services = services.clone();
                                move |_| choose_text_size(&services.engine, text_size, size)
                            },
                            "{size.percent()}%"
                        }
                    }
                }
                p { id: "text-size-note", class: "field-hint", {t("settings-text-size-note")} }
            }
            section { class: "card",
                h2 { {t("settings-developer")} }
                label { class: "check", r#for: "developer",
                    input { id: "developer", r#type: "checkbox", checked: developer(),
                        onchange: move |e: FormEvent| developer.set(e.checked()) }
                    span { {t("settings-developer-switch")} }
                }
                if developer() {
                    p { id: "developer-warning", class: "note note-warn", role: "alert",
                        "⚠ " {t("settings-developer-warning")} }
                    h3 { class: "sub", {t("settings-api")} }
                    Field { id: "api_address", label: t("settings-api-label"), value: api_typed,
                        hint: t("settings-api-hint"), kind: "url",
                        error: api_note().filter(|k| *k != "settings-api-saved").map(t) }
                    if api_note() == Some("settings-api-saved") {
                        p { id: "api-saved", class: "ok", role: "status", "✓ " {t("settings-api-saved")} }
                    }
                    button { id: "save-api", class: "secondary", r#type: "button", onclick: save_api, {t("settings-api-save")} }
                }
            }
            section { class: "card",
                h2 { {t("settings-account")} }
                if let Some(key) = error() {
                    p { id: "form-error", class: "note note-bad", role: "alert", "⚠ {t(&key)}" }
                }
                if logged_in {
                    button { id: "sign-out", class: "secondary", r#type: "button", disabled: busy(),
                        onclick: { let mut finish = finish.clone(); move |_| finish(Confirm::Nothing) },
                        {t("home-logout")} }
                }
                match confirm() {
                    Confirm::Nothing => rsx! {
                        button { id: "forget-here", class: "secondary", r#type: "button",
                            onclick: move |_| confirm.set(Confirm::ForgetHere), {t("settings-forget")} }
                        if logged_in {
                            button { id: "delete-account", class: "danger", r#type: "button",
                                onclick: move |_| confirm.set(Confirm::DeleteAccount), {t("settings-delete-account")} }
                        }
                    },
                    what => rsx! {
                        div { id: "confirm", class: "note note-warn", role: "alertdialog",
                            aria_label: t(if what == Confirm::ForgetHere { "settings-forget" } else { "settings-delete-account" }),
                            if what == Confirm::ForgetHere {
                                p { {t("settings-forget-what")} }
                                if pending > 0 {
                                    p { id: "unsent", class: "field-error",
                                        "⚠ " {tr_with(lang(), "settings-forget-unsent", &[("count", pending.to_string())])} }
                                }
                            } else {
                                p { {t("settings-delete-what")} }
                                p { {t("settings-delete-keeps")} }
                                Field { id: "delete-password", label: t("settings-delete-password"),
                                    value: password, kind: "password", autocomplete: "current-password" }
                            }
                            div { class: "actions",
                                button { id: "confirm-yes", class: "danger", r#type: "button", disabled: busy(),
                                    onclick: { let mut finish = finish.clone(); move |_| finish(what) },
                                    {t(if what == Confirm::ForgetHere { "settings-forget-yes" } else { "settings-delete-yes" })} }
                                button { id: "confirm-no", class: "secondary", r#type: "button",
                                    onclick: move |_| confirm.set(Confirm::Nothing), {t("cancel")} }
                            }
                        }
                    },
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check_api_address;
    #[cfg(feature = "bundled-mock")]
    use crate::i18n::{Language, tr};
    #[cfg(feature = "bundled-mock")]
    use crate::testing::{Live, assert_every_control_is_named};

    #[test]
    fn an_api_address_is_a_web_address_or_empty() {
        assert_eq!(check_api_address("  "), Ok(None));
        assert_eq!(
            check_api_address("http://127.0.0.1:8080/"),
            Ok(Some("http://127.0.0.1:8080".into()))
        );
        assert_eq!(check_api_address("ftp://x"), Err("settings-api-bad"));
        assert_eq!(check_api_address("localhost"), Err("settings-api-bad"));
        assert_eq!(
            check_api_address("http://192.168.1.20:8080"),
            Err("settings-api-insecure")
        );
        assert_eq!(
            check_api_address("https://192.168.1.20:8443/"),
            Ok(Some("https://192.168.1.20:8443".into()))
        );
    }

    #[test]
    #[cfg(feature = "bundled-mock")]
    fn settings_show_every_choice_and_what_deleting_removes() {
        for lang in Language::ALL {
            let live = Live::dewi(lang);
            let html = live.render("/settings");
            // The server address hides behind the developer switch.
            assert!(!html.contains(r#"id="api_address""#));
            for id in [
                "lang-id",
                "text-100",
                "text-130",
                "developer",
                "sign-out",
                "forget-here",
                "delete-account",
            ] {
                assert!(html.contains(&format!(r#"id="{id}""#)), "{id}: {html}");
            }
            assert!(
                html.contains(r#"id="text-100" type="button" role="radio" class="chip chip-on""#)
            );
            assert!(html.contains(&tr(lang, "settings-text-size")));
            assert!(html.contains(r#"id="text-size-note""#));
            assert_every_control_is_named(&html);
        }
    }

    #[test]
    #[cfg(feature = "bundled-mock")]
    fn another_server_address_is_behind_a_warning_and_signs_out_first() {
        use mpaspor_core::engine::Preference;
        let live = Live::dewi(Language::En);
        // The same address again keeps the session.
        live.rt
            .block_on(super::save_api_address(&live.services, ""))
            .unwrap();
        assert!(live.services.engine.session().is_some());
        assert_eq!(
            live.rt
                .block_on(super::save_api_address(&live.services, "ftp://x")),
            Err("settings-api-bad")
        );
        live.rt
            .block_on(super::save_api_address(
                &live.services,
                "https://mock.example",
            ))
            .unwrap();
        assert!(live.services.engine.session().is_none(), "signed out first");
        assert_eq!(
            live.services
                .engine
                .preference(Preference::ApiAddress)
                .as_deref(),
            Some("https://mock.example")
        );
        // Once set, settings show it at once, with the warning.
        let html = live.render("/settings");
        assert!(html.contains(r#"id="api_address""#) && html.contains(r#"id="developer-warning""#));
    }

    #[test]
    #[cfg(feature = "bundled-mock")]
    fn deleting_the_account_removes_it_on_the_server_and_here() {
        let live = Live::dewi(Language::En);
        assert!(!live.services.engine.applicants().unwrap().is_empty());
        // A token alone does not delete it: the password is asked again.
        let refused = live.rt.block_on(super::delete_account(
            &live.services,
            "not-her-password1".into(),
        ));
        assert_eq!(refused, Err("error-invalid_credentials".into()));
        assert!(!live.services.engine.applicants().unwrap().is_empty());
        assert!(live.services.engine.session().is_some());
        live.rt
            .block_on(super::delete_account(
                &live.services,
                crate::mock_mode::SAMPLE_PASSWORD.into(),
            ))
            .unwrap();
        assert!(live.services.engine.applicants().unwrap().is_empty());
        assert!(live.services.engine.session().is_none());
        let again = live.rt.block_on(live.services.engine.login(
            crate::mock_mode::SAMPLE_EMAIL,
            crate::mock_mode::SAMPLE_PASSWORD,
        ));
        assert_eq!(again.unwrap_err().key(), "error-invalid_credentials");
        assert_eq!(live.phone.setting("language").as_deref(), Some("en"));
    }

    #[test]
    #[cfg(feature = "bundled-mock")]
    fn signing_out_and_forgetting_leaves_nothing_of_the_applicant() {
        let live = Live::dewi(Language::Id);
        live.phone.empty_draft(&live.holder);
        live.rt
            .block_on(super::sign_out(&live.services, true))
            .unwrap();
        assert!(live.phone.drafts().is_empty());
        assert!(live.services.engine.session().is_none());
        // The account itself is still there: logging in again works.
        live.rt
            .block_on(live.services.engine.login(
                crate::mock_mode::SAMPLE_EMAIL,
                crate::mock_mode::SAMPLE_PASSWORD,
            ))
            .unwrap();
    }

    #[test]
    #[cfg(feature = "bundled-mock")]
    fn the_chosen_text_size_scales_every_screen() {
        let live = Live::dewi(Language::Id);
        live.phone.set_setting("text_size", "130");
        let html = live.render("/home");
        // 130% of the 16 px base.
        assert!(html.contains(":root { font-size: 20.8px; }"), "{html}");
    }
}
