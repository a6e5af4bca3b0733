use crate::components::LanguageSwitch;
use crate::i18n::{Language, tr};
use dioxus::prelude::*;

/// The first screen: what the app is, in the applicant's language.
#[component]
pub fn Welcome() -> Element {
    let lang = use_context::<Signal<Language>>();
    let t = |key: &str| tr(lang(), key);
    rsx! {
        main { id: "welcome", class: "screen welcome",
            header { class: "welcome-hero",
                div { class: "emblem", aria_hidden: "true", "🛂" }
                h1 { id: "app-name", {t("app-name")} }
                p { id: "app-tagline", class: "tagline", {t("app-tagline")} }
            }
            section { class: "card", aria_labelledby: "language-title",
                h2 { id: "language-title", {t("language-label")} }
                LanguageSwitch {}
            }
            section { class: "card", aria_labelledby: "points-title",
                h2 { id: "points-title", {t("welcome-points-title")} }
                ul { class: "points",
                    li { {t("welcome-point-draft")} }
                    li { {t("welcome-point-quota")} }
                    li { {t("welcome-point-pay")} }
                }
            }
            footer { class: "footnote", {t("welcome-footer")} }
        }
    }
}
