use crate::context::choose_language;
use crate::i18n::{Language, tr};
use crate::services::Services;
use dioxus::prelude::*;

/// The two languages as a pair of buttons; the chosen one is pressed.
#[component]
pub fn LanguageSwitch() -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    rsx! {
        div { class: "language-switch", role: "group", aria_label: tr(lang(), "language-label"),
            for choice in Language::ALL {
                button {
                    id: "lang-{choice.code()}",
                    class: if lang() == choice { "chip chip-on" } else { "chip" },
                    lang: choice.code(),
                    aria_pressed: if lang() == choice { "true" } else { "false" },
                    onclick: {
                        let services = services.clone();
                        move |_| choose_language(&services.engine, lang, choice)
                    },
                    {tr(choice, &format!("language-{}", choice.code()))}
                }
            }
        }
    }
}
