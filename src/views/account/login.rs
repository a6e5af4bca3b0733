//! Log in with email and password.

use crate::Route;
use crate::components::{ErrorNote, Field, Frame, Primary};
use crate::hooks::use_tr;
use crate::i18n::Language;
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_core::Error;

#[component]
pub fn Login() -> Element {
    let services = use_context::<Services>();
    let _lang = use_context::<Signal<Language>>();
    let email = use_signal(String::new);
    let password = use_signal(String::new);
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| None::<Error>);
    let t = use_tr();
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
                let engine = services.engine.clone();
                let done = services
                    .run(async move { engine.login(&e, &p).await })
                    .await;
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
