//! The frame of every screen but the first ones: a back button, the title, the body.

use crate::i18n::{Language, tr};
use dioxus::prelude::*;

/// A screen's frame: a back button, the title, the body.
#[component]
pub fn Frame(id: String, title: String, children: Element) -> Element {
    let lang = use_context::<Signal<Language>>();
    rsx! {
        main { id: "{id}", class: "screen",
            header { class: "bar",
                button {
                    id: "back",
                    class: "back",
                    r#type: "button",
                    aria_label: tr(lang(), "back"),
                    onclick: move |_| navigator().go_back(),
                    "‹"
                }
                h1 { {title} }
            }
            {children}
        }
    }
}
